/*
** json.c — the JSON subject decoder and the JSON result encoder (jansson).
*/
#include "internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "text";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true/false";
    default: return "null";
    }
}

static const char *expected(const sarx_field_info *fi)
{
    switch (fi->kind) {
    case SARX_KIND_NUMBER: return "a number";
    case SARX_KIND_INTEGER: return "a whole number";
    case SARX_KIND_BOOL: return "true or false";
    case SARX_KIND_ENUM: return fi->values;
    case SARX_KIND_STRING: return "text";
    case SARX_KIND_DATE: return "a date \"YYYY-MM-DD\"";
    case SARX_KIND_LIST: return "a list of text";
    default: return "a list of {\"date\", \"weight_kg\"}";
    }
}

/* A short text form of a JSON value for messages. */
static void value_text(const json_t *v, char *buf, size_t n)
{
    char *s;
    if (json_is_string(v)) {
        snprintf(buf, n, "\"%s\"", json_string_value(v));
        return;
    }
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    snprintf(buf, n, "%s", s ? s : "?");
    free(s);
}

static int type_error(sarx_error *err, const sarx_field_info *fi, const json_t *v)
{
    char vb[64];
    value_text(v, vb, sizeof vb);
    return sarx__err(err, SARX_ETYPE, fi->name, vb, expected(fi), "field \"%s\": expected %s, got %s %s",
                     fi->name, expected(fi), type_name(v), vb);
}

static int decode_history(sarx_subject *s, const json_t *arr, sarx_error *err)
{
    size_t i;
    int rc;
    const json_t *item;
    if (!json_is_array(arr))
        return type_error(err, &sarx__field_info[SARX__F_HISTORY], arr);
    json_array_foreach(arr, i, item) {
        const char *key;
        const json_t *val, *date = NULL, *kg = NULL;
        char where[48];
        snprintf(where, sizeof where, "weight_history[%zu]", i);
        if (!json_is_object(item))
            return sarx__err(err, SARX_ETYPE, where, "", "{\"date\": \"YYYY-MM-DD\", \"weight_kg\": n}",
                             "field \"%s\": expected {\"date\": \"YYYY-MM-DD\", \"weight_kg\": n}, got %s", where,
                             type_name(item));
        json_object_foreach((json_t *)item, key, val) {
            if (strcmp(key, "date") == 0)
                date = val;
            else if (strcmp(key, "weight_kg") == 0)
                kg = val;
            else
                return sarx__err(err, SARX_EFIELD, where, key, "date, weight_kg",
                                 "field \"%s\": unknown key \"%s\" (allowed date, weight_kg)", where, key);
        }
        if (!date || !json_is_string(date) || !kg || !json_is_number(kg))
            return sarx__err(err, SARX_ETYPE, where, "", "{\"date\": \"YYYY-MM-DD\", \"weight_kg\": n}",
                             "field \"%s\": needs \"date\" as text and \"weight_kg\" as a number", where);
        if ((rc = sarx_subject_add_weight(s, json_string_value(date), json_number_value(kg), err)) != SARX_OK) {
            if (err) { /* name the entry: weight_history[i] */
                char msg[sizeof err->message + 64];
                snprintf(msg, sizeof msg, "%s (%s)", err->message, where);
                memcpy(err->message, msg, sizeof err->message - 1);
                err->message[sizeof err->message - 1] = '\0';
            }
            return rc;
        }
    }
    return SARX_OK;
}

static int decode_field(sarx_subject *s, const char *key, const json_t *v, sarx_error *err)
{
    int alias, f = sarx__field_lookup(key, strlen(key), &alias);
    const sarx_field_info *fi;
    if (f < 0) {
        const char *hint = sarx__field_suggest(key);
        if (hint)
            return sarx__err(err, SARX_EFIELD, key, "", "", "unknown field \"%s\" (did you mean \"%s\"?)", key,
                             hint);
        return sarx__err(err, SARX_EFIELD, key, "", "", "unknown field \"%s\"", key);
    }
    fi = &sarx__field_info[alias < 0 ? (size_t)f : SARX__F_COUNT + (size_t)alias];
    if (json_is_null(v))
        return SARX_OK; /* explicitly not measured */
    switch (fi->kind) {
    case SARX_KIND_NUMBER:
    case SARX_KIND_INTEGER:
        if (!json_is_number(v))
            return type_error(err, fi, v);
        return sarx__subject_set_field(s, f, alias, json_number_value(v), err);
    case SARX_KIND_BOOL:
        if (!json_is_boolean(v))
            return type_error(err, fi, v);
        return sarx__subject_set_field(s, f, alias, json_is_true(v) ? 1.0 : 0.0, err);
    case SARX_KIND_STRING:
        if (json_is_integer(v)) {
            char b[32];
            snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
            return sarx__subject_set_string(s, f, alias, b, strlen(b), err);
        }
        /* fall through */
    case SARX_KIND_ENUM:
    case SARX_KIND_DATE:
        if (!json_is_string(v))
            return type_error(err, fi, v);
        return sarx__subject_set_string(s, f, alias, json_string_value(v), json_string_length(v), err);
    case SARX_KIND_LIST: {
        size_t i;
        const json_t *it;
        if (!json_is_array(v))
            return type_error(err, fi, v);
        json_array_foreach(v, i, it) {
            int rc;
            if (!json_is_string(it))
                return type_error(err, fi, it);
            if ((rc = sarx_subject_add_item(s, fi->name, json_string_value(it), err)) != SARX_OK)
                return rc;
        }
        return SARX_OK;
    }
    default:
        return decode_history(s, v, err);
    }
}

int sarx_subject_from_json(sarx_subject *s, const char *text, size_t len, sarx_error *err)
{
    json_error_t je;
    json_t *root;
    const char *key;
    json_t *v;
    size_t i;
    int rc = SARX_OK;
    if (!s || (!text && len))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    sarx_subject_clear(s);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte-order mark */
        text += 3;
        len -= 3;
    }
    for (i = 0; i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'); i++)
        ;
    if (i == len)
        return sarx__err(err, SARX_EEMPTY, "", "", "a JSON object", "empty input: expected a JSON object");
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        rc = sarx__err(err, SARX_ESYNTAX, "", "", "a JSON object", "malformed JSON: %s", je.text);
        if (err) {
            err->line = je.line;
            err->column = je.column;
        }
        return rc;
    }
    if (!json_is_object(root)) {
        rc = sarx__err(err, SARX_ETYPE, "", type_name(root), "a JSON object",
                       "expected a JSON object (one subject), got %s", type_name(root));
        json_decref(root);
        return rc;
    }
    json_object_foreach(root, key, v) {
        if ((rc = decode_field(s, key, v, err)) != SARX_OK)
            break;
    }
    json_decref(root);
    if (rc == SARX_OK)
        rc = sarx__subject_finish(s, err);
    if (rc != SARX_OK)
        sarx_subject_clear(s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Encoding                                                           */

/* Every encoder builds through these: any failed allocation sets *bad and
** the renderer returns NULL rather than JSON with keys missing. */
static void put(json_t *o, const char *k, json_t *v, int *bad)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        *bad = 1;
}

static void add(json_t *a, json_t *v, int *bad)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        *bad = 1;
}

/* Dump root (consumed) unless something failed. */
static char *finish(json_t *root, size_t flags, int bad)
{
    char *out = bad || !root ? NULL : json_dumps(root, flags);
    json_decref(root);
    return out;
}

/* A measure: a number, null, or {"min": lo, "max": hi} for an interval. */
static json_t *measure_json(const sarx__vals *v, int m)
{
    if (isnan(v->lo[m]))
        return json_null();
    if (v->lo[m] == v->hi[m])
        return json_real(v->lo[m]);
    return json_pack("{s:f,s:f}", "min", v->lo[m], "max", v->hi[m]);
}

static const int derived_out[] = {SARX__M_BMI,  SARX__M_ASMI,     SARX__M_ALM_BMI,    SARX__M_SMI,
                                  SARX__M_FFMI, SARX__M_WL6,      SARX__M_WL12,       SARX__M_SF_TOTAL,
                                  SARX__M_CALF_TOTAL, SARX__M_MAMC};

static json_t *result_json(const sarx_result *r, const sarx__vals *vals, int *bad)
{
    const sarx_definition *def = sarx_result_definition(r);
    const sarx__def *d = def->d;
    json_t *o = json_object(), *miss = json_array(), *crits = json_array();
    size_t i, k;
    put(o, "definition", json_string(d->id), bad);
    put(o, "version", json_string(d->version), bad);
    put(o, "category", json_string(sarx_result_category(r)), bad);
    put(o, "complete", json_boolean(sarx_result_complete(r)), bad);
    for (i = 0; i < sarx_result_missing_count(r); i++)
        add(miss, json_string(sarx_result_missing(r, i)), bad);
    put(o, "missing", miss, bad);
    if (sarx_result_note(r)[0])
        put(o, "note", json_string(sarx_result_note(r)), bad);
    for (k = 0; k < d->ncrit; k++) {
        json_t *c = json_object(), *ev = json_array();
        put(c, "id", json_string(d->crits[k].id), bad);
        put(c, "status", json_string(sarx__tri_name[sarx_result_criterion_status(r, k)]), bad);
        if ((sarx__result_eval(r)->provisional >> k) & 1u)
            put(c, "provisional", json_true(), bad);
        for (i = 0; i < d->nrow; i++) {
            const sarx__row *row = &d->rows[i];
            double val;
            int st = sarx_result_row_status(r, i, &val);
            json_t *e;
            if (def->row_crit[i] != (int)k || st == SARX_ROW_NOT_APPLICABLE)
                continue;
            e = json_object();
            put(e, "row", json_string(row->id), bad);
            put(e, "input", json_string(sarx__measure_name(row->measure)), bad);
            put(e, "value", row->op == SARX__IS && !isnan(val) ? json_boolean(val != 0)
                                                                                 : measure_json(vals, row->measure), bad);
            put(e, "op", json_string(sarx__op_name[row->op]), bad);
            put(e, "threshold",
                                row->op == SARX__IS ? json_boolean(row->threshold != 0) : json_real(row->threshold), bad);
            if (row->unit[0])
                put(e, "unit", json_string(row->unit), bad);
            if (row->sex != SARX__ANY)
                put(e, "sex", json_string(row->sex == SARX__MALE ? "male" : "female"), bad);
            put(e, "status", json_string(sarx__row_status_name[st]), bad);
            put(e, "citation", json_string(row->cite), bad);
            add(ev, e, bad);
        }
        put(c, "evidence", ev, bad);
        add(crits, c, bad);
    }
    put(o, "criteria", crits, bad);
    put(o, "citation", json_string(d->citation), bad);
    return o;
}

/* A plan number, or null. */
static json_t *plan_num(const sarx_assessment *a, const char *name)
{
    double v = sarx_assessment_plan(a, name);
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *plan_pair(const sarx_assessment *a, const char *lo, const char *hi, int *bad)
{
    json_t *p = json_array();
    add(p, plan_num(a, lo), bad);
    add(p, plan_num(a, hi), bad);
    return p;
}

/* The guidance section (spec/io.md §3): causes, red flags, tests, plan. */
static json_t *guidance_json(const sarx_assessment *a, int *bad)
{
    json_t *g = json_object(), *causes = json_array(), *flags = json_array(), *tests = json_array();
    json_t *plan = json_object(), *advice = json_array(), *cautions = json_array(), *o;
    size_t i;
    for (i = 0; i < sarx_assessment_guide_count(a); i++) {
        sarx_guide_item it;
        json_t *e = json_object();
        sarx_assessment_guide(a, i, &it);
        put(e, "id", json_string(it.id), bad);
        if (it.kind == SARX_GUIDE_RED_FLAG)
            put(e, "status", json_string(it.possible ? "possible" : "met"), bad);
        put(e, it.kind == SARX_GUIDE_TEST ? "test" : "message", json_string(it.message), bad);
        put(e, it.kind == SARX_GUIDE_TEST ? "why" : "evidence", json_string(it.evidence), bad);
        if (it.possible) {
            json_t *m = json_array();
            const char *p = it.missing, *q;
            while (*p) {
                q = strchr(p, ',');
                if (!q)
                    q = p + strlen(p);
                add(m, json_stringn(p, (size_t)(q - p)), bad);
                p = *q ? q + 1 : q;
            }
            put(e, "missing", m, bad);
        }
        if (it.evidence_level[0])
            put(e, "evidence_level", json_string(it.evidence_level), bad);
        if (it.citation[0])
            put(e, "citation", json_string(it.citation), bad);
        add(it.kind == SARX_GUIDE_CAUSE      ? causes
            : it.kind == SARX_GUIDE_RED_FLAG ? flags
            : it.kind == SARX_GUIDE_TEST     ? tests
            : it.kind == SARX_GUIDE_ADVICE   ? advice
                                             : cautions,
            e, bad);
    }
    o = json_object();
    put(o, "low", plan_num(a, "protein_g_day_low"), bad);
    put(o, "high", plan_num(a, "protein_g_day_high"), bad);
    put(o, "basis_g_kg", plan_pair(a, "protein_g_kg_low", "protein_g_kg_high", bad), bad);
    put(plan, "protein_g_day", o, bad);
    o = json_object();
    put(o, "low", plan_num(a, "energy_kcal_day_low"), bad);
    put(o, "high", plan_num(a, "energy_kcal_day_high"), bad);
    put(o, "guide", plan_num(a, "energy_kcal_day_guide"), bad);
    put(o, "basis_kcal_kg", plan_pair(a, "energy_kcal_kg_low", "energy_kcal_kg_high", bad), bad);
    put(o, "guide_kcal_kg", plan_num(a, "energy_kcal_kg_guide"), bad);
    put(plan, "energy_kcal_day", o, bad);
    o = json_object();
    put(o, "sessions_per_week", plan_pair(a, "training_sessions_week_low", "training_sessions_week_high", bad), bad);
    put(o, "sets", plan_pair(a, "training_sets_low", "training_sets_high", bad), bad);
    put(o, "repetitions", plan_pair(a, "training_reps_low", "training_reps_high", bad), bad);
    put(o, "intensity_pct_1rm_start", plan_pair(a, "intensity_start_low_pct", "intensity_start_high_pct", bad), bad);
    put(o, "intensity_pct_1rm_mass", plan_pair(a, "intensity_mass_low_pct", "intensity_mass_high_pct", bad), bad);
    put(o, "one_rm_kg", plan_num(a, "one_rm_kg"), bad);
    put(o, "one_rm_epley_kg", plan_num(a, "one_rm_epley_kg"), bad);
    put(o, "one_rm_brzycki_kg", plan_num(a, "one_rm_brzycki_kg"), bad);
    put(o, "load_kg_start", plan_pair(a, "load_start_low_kg", "load_start_high_kg", bad), bad);
    put(o, "load_kg_mass", plan_pair(a, "load_mass_low_kg", "load_mass_high_kg", bad), bad);
    put(plan, "exercise", o, bad);
    put(plan, "advice", advice, bad);
    put(plan, "cautions", cautions, bad);
    put(g, "causes", causes, bad);
    put(g, "red_flags", flags, bad);
    put(g, "tests", tests, bad);
    put(g, "plan", plan, bad);
    put(g, "disclaimer", json_string(SARX__GUIDE_DISCLAIMER), bad);
    return g;
}

char *sarx_assessment_json(const sarx_assessment *a, unsigned flags)
{
    const sarx__vals *vals;
    json_t *root, *subj, *der, *res, *warn;
    size_t i;
    int bad_ = 0, *bad = &bad_;
    if (!a)
        return NULL;
    vals = sarx__assessment_vals(a);
    root = json_object();
    subj = json_object();
    der = json_object();
    res = json_array();
    warn = json_array();
    put(root, "sarx_version", json_string(sarx_version()), bad);
    put(subj, "id", json_string(sarx_assessment_id(a)), bad);
    for (i = 0; i < SARX__N(derived_out); i++)
        put(der, sarx__measure_name(derived_out[i]), measure_json(vals, derived_out[i]), bad);
    put(subj, "derived", der, bad);
    put(root, "subject", subj, bad);
    for (i = 0; i < sarx_assessment_result_count(a); i++)
        add(res, result_json(sarx_assessment_result(a, i), vals, bad), bad);
    put(root, "results", res, bad);
    for (i = 0; i < sarx_assessment_warning_count(a); i++)
        add(warn, json_string(sarx_assessment_warning(a, i)), bad);
    put(root, "warnings", warn, bad);
    if (!(flags & SARX_RENDER_NO_GUIDANCE) && sarx__assessment_has_guide(a))
        put(root, "guidance", guidance_json(a, bad), bad);
    put(root, "disclaimer", json_string(SARX__DISCLAIMER), bad);
    return finish(root, JSON_REAL_PRECISION(15) | JSON_PRESERVE_ORDER |
                            ((flags & SARX_RENDER_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT), bad_);
}

char *sarx_error_json(const sarx_error *e)
{
    json_t *o, *in;
    int bad_ = 0, *bad = &bad_;
    if (!e)
        return NULL;
    o = json_object();
    in = json_object();
    put(in, "code", json_string(sarx_error_name(e->code)), bad);
    put(in, "message", json_string(e->message), bad);
    if (e->field[0])
        put(in, "field", json_string(e->field), bad);
    if (e->value[0])
        put(in, "value", json_string(e->value), bad);
    if (e->allowed[0])
        put(in, "allowed", json_string(e->allowed), bad);
    if (e->record)
        put(in, "record", json_integer(e->record), bad);
    if (e->line)
        put(in, "line", json_integer(e->line), bad);
    if (e->column)
        put(in, "column", json_integer(e->column), bad);
    put(o, "error", in, bad);
    return finish(o, JSON_COMPACT | JSON_PRESERVE_ORDER, bad_);
}

/* The catalogue as JSON. */
char *sarx__catalogue_json(const sarx_ctx *ctx)
{
    json_t *root = json_object(), *defs = json_array();
    size_t i, k;
    int bad_ = 0, *bad = &bad_;
    put(root, "sarx_version", json_string(sarx_version()), bad);
    for (i = 0; i < ctx->ndefs; i++) {
        const sarx__def *d = ctx->defs[i].d;
        json_t *o = json_object(), *cats = json_array(), *rows = json_array(), *crits = json_array(),
               *macros = json_array();
        put(o, "id", json_string(d->id), bad);
        put(o, "title", json_string(d->title), bad);
        put(o, "version", json_string(d->version), bad);
        put(o, "kind", json_string(d->kind), bad);
        put(o, "citation", json_string(d->citation), bad);
        put(o, "notes", json_string(d->notes ? d->notes : ""), bad);
        for (k = 0; k < d->ncat; k++)
            add(cats, json_pack("{s:s,s:s}", "category", d->cats[k].name, "rule", d->cats[k].rule), bad);
        for (k = 0; k < d->nmacro; k++)
            add(macros, json_pack("{s:s,s:s}", "name", d->macros[k].name, "rule", d->macros[k].rule), bad);
        for (k = 0; k < d->ncrit; k++)
            add(crits, json_pack("{s:s,s:s}", "id", d->crits[k].id, "text", d->crits[k].text), bad);
        for (k = 0; k < d->nrow; k++) {
            sarx_row_info ri;
            sarx_definition_row(&ctx->defs[i], k, &ri);
            add(rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:s}", "id", ri.id, "criterion",
                                                  ri.criterion, "measure", ri.measure, "sex", ri.sex, "op", ri.op,
                                                  "threshold", ri.threshold, "unit", ri.unit, "when", ri.when,
                                                  "citation", ri.citation), bad);
        }
        put(o, "categories", cats, bad);
        put(o, "macros", macros, bad);
        put(o, "criteria", crits, bad);
        put(o, "rows", rows, bad);
        add(defs, o, bad);
    }
    put(root, "definitions", defs, bad);
    return finish(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15), bad_);
}
