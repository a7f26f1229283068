/*
** sarx_pg.c — the module of the PostgreSQL extension: the per-call-site
** caches, reading a subject from jsonb (directly) or from JSON text, and
** errors.  The SQL functions are in sarx_pg_fn.c and sarx_pg_agg.c.
*/
#include "sarx_pg.h"
#include "sarx_pg_numeric.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

PG_MODULE_MAGIC;

void sarx_pg_oom(void)
{
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory in libsarx")));
    pg_unreachable();
}

void sarx_pg_raise(const sarx_error *err)
{
    StringInfoData d;
    if (err->code == SARX_ENOMEM)
        sarx_pg_oom();
    initStringInfo(&d);
    if (err->field[0])
        appendStringInfo(&d, "field: %s", err->field);
    if (err->value[0])
        appendStringInfo(&d, "%svalue: %s", d.len ? "; " : "", err->value);
    if (err->allowed[0])
        appendStringInfo(&d, "%sallowed: %s", d.len ? "; " : "", err->allowed);
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", err->message),
                    d.len ? errdetail("%s", d.data) : 0));
    pg_unreachable();
}

/* fn_mcxt is going: release what the library allocated. */
static void cache_free(void *arg)
{
    sarx_pg_cache *c = arg;
    sarx_subject_free(c->s);
    sarx_ctx_free(c->one);
    sarx_ctx_free(c->pair);
    sarx_ctx_free(c->full);
    c->s = NULL;
    c->one = c->pair = c->full = NULL;
}

sarx_pg_cache *sarx_pg_cache_get(FunctionCallInfo fcinfo)
{
    sarx_pg_cache *c = fcinfo->flinfo->fn_extra;
    if (c)
        return c;
    c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *c);
    if (sarx_subject_new(&c->s) != SARX_OK) {
        pfree(c);
        sarx_pg_oom();
    }
    c->cb.func = cache_free;
    c->cb.arg = c;
    MemoryContextRegisterResetCallback(fcinfo->flinfo->fn_mcxt, &c->cb);
    fcinfo->flinfo->fn_extra = c;
    return c;
}

const sarx_ctx *sarx_pg_full(sarx_pg_cache *c)
{
    sarx_error err;
    if (!c->full && sarx_ctx_new(&c->full, &err) != SARX_OK) {
        c->full = NULL;
        sarx_pg_raise(&err);
    }
    return c->full;
}

/* The label of an enum value of sarx_definition (palloc'd). */
static char *def_label(Oid def)
{
    return DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(def)));
}

const sarx_ctx *sarx_pg_one(sarx_pg_cache *c, Oid def)
{
    sarx_error err;
    const sarx_ctx *full;
    char *label;
    if (c->one && c->one_key == def)
        return c->one;
    full = sarx_pg_full(c);
    /* InvalidOid: any one definition (the first), for what needs none in particular */
    label = def == InvalidOid ? pstrdup(sarx_definition_id(sarx_definition_at(full, 0))) : def_label(def);
    sarx_ctx_free(c->one);
    c->one = NULL;
    for (size_t k = 0; k < sizeof c->cat / sizeof c->cat[0]; k++) {
        if (c->cat[k])
            pfree(c->cat[k]);
        c->cat[k] = NULL;
    }
    if (sarx_ctx_select(full, label, &c->one, &err) != SARX_OK) {
        c->one = NULL;
        sarx_pg_raise(&err);
    }
    c->one_key = def;
    pfree(label);
    return c->one;
}

text *sarx_pg_cat_text(FunctionCallInfo fcinfo, sarx_pg_cache *c, unsigned k)
{
    const sarx_definition *d = sarx_definition_at(c->one, 0);
    size_t at = k == SARX_INDETERMINATE ? 16 : k;
    if (at >= sizeof c->cat / sizeof c->cat[0] || (k != SARX_INDETERMINATE && k >= sarx_definition_category_count(d)))
        elog(ERROR, "sarx: no category %u of %s", k, sarx_definition_id(d));
    if (!c->cat[at]) {
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        c->cat[at] = cstring_to_text(k == SARX_INDETERMINATE ? "indeterminate" : sarx_definition_category(d, k));
        MemoryContextSwitchTo(old);
    }
    return c->cat[at];
}

const sarx_ctx *sarx_pg_pair(sarx_pg_cache *c, Oid a, Oid b, size_t *ia, size_t *ib)
{
    sarx_error err;
    const sarx_ctx *full;
    char *la, *lb, *list;
    size_t i, n;
    if (!c->pair || c->pair_a != a || c->pair_b != b) {
        full = sarx_pg_full(c);
        la = def_label(a);
        lb = def_label(b);
        list = psprintf("%s,%s", la, lb);
        sarx_ctx_free(c->pair);
        c->pair = NULL;
        if (sarx_ctx_select(full, list, &c->pair, &err) != SARX_OK) {
            c->pair = NULL;
            sarx_pg_raise(&err);
        }
        /* the selection keeps the library's order and holds a = b once */
        n = sarx_definition_count(c->pair);
        c->pair_ia = c->pair_ib = 0;
        for (i = 0; i < n; i++) {
            const char *id = sarx_definition_id(sarx_definition_at(c->pair, i));
            if (strcmp(id, la) == 0)
                c->pair_ia = i;
            if (strcmp(id, lb) == 0)
                c->pair_ib = i;
        }
        c->pair_a = a;
        c->pair_b = b;
        pfree(list);
        pfree(la);
        pfree(lb);
    }
    *ia = c->pair_ia;
    *ib = c->pair_ib;
    return c->pair;
}

/* The object's pairs are read straight from the container, as jsonb.h
** lays it out (JsonbContainer, JEntry, JBE_ADVANCE_OFFSET): its n keys are
** children 0..n-1 and their values n..2n-1, and the data of each follows
** the previous one's (numbers and containers int-aligned).  This is what
** JsonbIteratorNext does, without its per-value bookkeeping: reading every
** key of every row through the iterator was a fifth of the time of
** sarx_category. */
/* Ask for the cache lines of a subject before reading it, and of the
** tuples before it in the page.  A subject is read whole (every key is
** checked), where a query reading one field touches one or two lines: with
** the rows of a scan coming from memory, not the cache, waiting for each
** line in turn was a quarter of the time of sarx_category.  A heap page
** fills from its end, so a sequential scan meets the next tuples at lower
** addresses: the 512 bytes below this datum are asked for too (a prefetch
** never faults, and asks for nothing when they lie elsewhere).  Results do
** not depend on it. */
static void prefetch(const Jsonb *jb)
{
    const char *p = (const char *)jb, *end = p + VARSIZE(jb);
    uintptr_t at = (uintptr_t)p;
    int k;
    for (p += 64; p < end; p += 64)
        __builtin_prefetch(p);
    for (k = 1; k <= 8; k++)
        __builtin_prefetch((const void *)(at - 64 * (uintptr_t)k));
}

int sarx_pg_read_jsonb(sarx_pg_cache *c, Jsonb *jb, sarx_error *err)
{
    sarx_subject *s = c->s;
    const JsonbContainer *jc = &jb->root;
    const char *base;
    uint32 n, i, koff = 0, voff = 0;
    if (!JB_ROOT_IS_OBJECT(jb)) {
        /* a scalar or an array: the library says what it says of that JSON */
        char *txt = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
        int rc = sarx_subject_from_json(s, txt, strlen(txt), err);
        pfree(txt);
        return rc;
    }
    prefetch(jb);
    n = JsonContainerSize(jc);
    base = (const char *)&jc->children[n * 2];
    for (i = 0; i < n; i++) /* the values' data starts where the keys' ends */
        JBE_ADVANCE_OFFSET(voff, jc->children[i]);
    sarx_subject_clear(s);
    for (i = 0; i < n; i++) {
        JEntry ke = jc->children[i], ve = jc->children[n + i];
        uint32 kstart = koff, vstart = voff;
        const char *key = base + kstart;
        size_t keylen;
        long f;
        int rc;
        JBE_ADVANCE_OFFSET(koff, ke);
        JBE_ADVANCE_OFFSET(voff, ve);
        keylen = koff - kstart;
        f = sarx_field_index(key, keylen); /* once per key: the setters below take it */
        if (JBE_ISSTRING(ve)) {
            rc = sarx_subject_set_json_field(s, f, key, keylen, SARX_JSON_STRING, base + vstart, voff - vstart, err);
        } else if (JBE_ISNUMERIC(ve)) {
            Numeric num = (Numeric)(base + INTALIGN(vstart));
            int kind = f >= 0 ? sarx_field_at((size_t)f)->kind : -1;
            double x;
            if ((kind == SARX_KIND_NUMBER || kind == SARX_KIND_INTEGER) &&
                ((c->numbers > 0 && sarx_pg__short_double(num, &x)) || sarx_pg_number_double(c, num, &x))) {
                rc = sarx_subject_set_json_double(s, f, x, err);
            } else {
                /* as JSON spells it: numeric_out gives the digits the
                ** number was written with ("72.5", "1000" for 1e3: jsonb
                ** keeps the value, not the spelling) */
                char buf[SARX_PG_NUMBER_BUF];
                size_t len;
                const char *txt = sarx_pg_number_text(c, num, buf, sizeof buf, &len);
                rc = sarx_subject_set_json_field(s, f, key, keylen, SARX_JSON_NUMBER, txt, len, err);
                if (txt != buf)
                    pfree((char *)txt);
            }
        } else if (JBE_ISBOOL_TRUE(ve)) {
            rc = sarx_subject_set_json_field(s, f, key, keylen, SARX_JSON_TRUE, NULL, 0, err);
        } else if (JBE_ISBOOL_FALSE(ve)) {
            rc = sarx_subject_set_json_field(s, f, key, keylen, SARX_JSON_FALSE, NULL, 0, err);
        } else if (JBE_ISNULL(ve)) {
            rc = sarx_subject_set_json_field(s, f, key, keylen, SARX_JSON_NULL, NULL, 0, err);
        } else { /* a list or an object (conditions, weight_history): as JSON text */
            uint32 at = INTALIGN(vstart);
            char *txt = JsonbToCString(NULL, (JsonbContainer *)(base + at), (int)(voff - at));
            rc = sarx_subject_set_json_field(s, f, key, keylen, SARX_JSON_VALUE, txt, strlen(txt), err);
            pfree(txt);
        }
        if (rc != SARX_OK)
            return rc;
    }
    return sarx_subject_finish(s, err);
}

int sarx_pg_read_text(sarx_subject *s, text *t, sarx_error *err)
{
    return sarx_subject_from_json(s, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), err);
}

void sarx_pg_load(FunctionCallInfo fcinfo, int argno, int is_jsonb, sarx_pg_cache *c)
{
    sarx_error err;
    int rc = is_jsonb ? sarx_pg_read_jsonb(c, PG_GETARG_JSONB_P(argno), &err)
                      : sarx_pg_read_text(c->s, PG_GETARG_TEXT_PP(argno), &err);
    if (rc != SARX_OK)
        sarx_pg_raise(&err);
}

Datum sarx_pg_jsonb_from_library(char *json)
{
    volatile Datum d = (Datum)0;
    if (!json)
        sarx_pg_oom();
    PG_TRY();
    {
        d = DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
    }
    PG_FINALLY();
    {
        sarx_free(json);
    }
    PG_END_TRY();
    return d;
}
