/*
** cohort_counts.c — a cohort's counts as one line of JSON, and back: for
** adding up the counts of cohorts in other processes (Dask workers, nodes)
** exactly as sarx_cohort_merge adds those of other threads.
**
**   {"sarx_counts": 1,
**    "definitions": ["ewgsop2", ...],      the context's, in its order
**    "columns": ["sex", null, ...],        the field each column feeds (as
**                                          sarx_cohort_column_field names it)
**    "flags": 0,                           the cohort's SARX_COHORT_* flags
**    "rows": N, "rejected": N,
**    "tally": [[[...], ...], ...],         by definition: each category's
**                                          rows, then indeterminate,
**                                          incomplete and decided-reading
**                                          rows, each by stratum (all, male,
**                                          female, sex unknown, the age
**                                          bands, age unknown; "all" is 0:
**                                          the sum of the sex strata)
**    "agree": [[both, only_a, only_b, neither], ...]}
**                                          by pair of definitions a < b, in
**                                          order (0,1), (0,2), ... (1,2), ...
**
** Reading one back checks that it is counts of the same context and
** mapping, that every count is a whole number >= 0, that each definition's
** rows add up to "rows" by sex and by age band, and that the sums fit.
*/
#include "cohort_int.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNTS_VERSION 1

static size_t nkinds(const sarx__def *def) { return def->ncat + 3; }
/* Kind i of a definition's list (its categories, then the three others). */
static int kind_at(const sarx__def *def, size_t i)
{
    return i < def->ncat ? (int)i : K_INDET + (int)(i - def->ncat);
}

char *sarx_cohort_counts_json(const sarx_cohort *c)
{
    sarx__buf b = {0};
    size_t d, e, i, k, nd;
    int st;
    if (!c)
        return NULL;
    nd = c->ctx->ndefs;
    sarx__printf(&b, "{\"sarx_counts\":%d,\"definitions\":[", COUNTS_VERSION);
    for (d = 0; d < nd; d++)
        sarx__printf(&b, "%s\"%s\"", d ? "," : "", sarx_definition_id(sarx_definition_at(c->ctx, d)));
    sarx__puts(&b, "],\"columns\":[");
    for (i = 0; i < c->ncol; i++) {
        const char *f = sarx_cohort_column_field(c, i);
        sarx__printf(&b, "%s%s%s%s", i ? "," : "", f ? "\"" : "", f ? f : "null", f ? "\"" : "");
    }
    sarx__printf(&b, "],\"flags\":%u,\"rows\":%ld,\"rejected\":%ld,\"tally\":[", c->flags, c->rows, c->rejected);
    for (d = 0; d < nd; d++) {
        const sarx__def *def = c->ctx->defs[d].d;
        sarx__puts(&b, d ? ",[" : "[");
        for (k = 0; k < nkinds(def); k++) {
            const long *t = TALLY(c, d, kind_at(def, k));
            sarx__puts(&b, k ? ",[" : "[");
            for (st = 0; st < NSTRATA; st++)
                sarx__printf(&b, "%s%ld", st ? "," : "", t[st]);
            sarx__puts(&b, "]");
        }
        sarx__puts(&b, "]");
    }
    sarx__puts(&b, "],\"agree\":[");
    for (d = 0, i = 0; d < nd; d++)
        for (e = d + 1; e < nd; e++, i++)
            sarx__printf(&b, "%s[%ld,%ld,%ld,%ld]", i ? "," : "", AGREE(c, d, 0)[e], AGREE(c, d, 1)[e],
                         AGREE(c, d, 2)[e], AGREE(c, d, 3)[e]);
    sarx__puts(&b, "]}");
    return sarx__buf_take(&b);
}

/* A count: a whole number >= 0 that fits in a long. */
static int count_of(const json_t *v, long *out)
{
    json_int_t x;
    if (!json_is_integer(v) || (x = json_integer_value(v)) < 0 || x > LONG_MAX)
        return 0;
    *out = (long)x;
    return 1;
}

/* A refusal naming the key: SARX_EINVAL, "counts: ..." */
#define BAD(key, ...) sarx__err(err, SARX_EINVAL, key, "", "", "counts: " __VA_ARGS__)

/* The text's counts into t (a zeroed tally), a (agree), rows, rej: SARX_OK or
** SARX_EINVAL saying what does not fit into's context, mapping or form. */
static int read_counts(const sarx_cohort *into, const json_t *root, long *t, long *a, long *rows, long *rej,
                       sarx_error *err)
{
    static const char *const keys[] = {"sarx_counts", "definitions", "columns", "flags",
                                       "rows", "rejected", "tally", "agree"};
    const json_t *defs, *cols, *tal, *agr, *v;
    const char *key;
    size_t nd = into->ctx->ndefs, d, e, i, k;
    if (!json_is_object(root))
        return BAD("", "not a JSON object");
    json_object_foreach((json_t *)root, key, v) {
        for (k = 0; k < sizeof keys / sizeof keys[0] && strcmp(key, keys[k]) != 0; k++)
            ;
        if (k == sizeof keys / sizeof keys[0]) {
            char shown[64];
            sarx__show(shown, sizeof shown, key, strlen(key));
            return BAD("", "unknown key \"%s\"", shown);
        }
    }
    v = json_object_get(root, "sarx_counts");
    if (!json_is_integer(v) || json_integer_value(v) != COUNTS_VERSION)
        return BAD("sarx_counts", "not sarx counts (\"sarx_counts\": 1 missing)");
    defs = json_object_get(root, "definitions");
    if (!json_is_array(defs) || json_array_size(defs) != nd)
        return BAD("definitions", "counts of another context: not the same definitions");
    for (d = 0; d < nd; d++) {
        const char *id = json_string_value(json_array_get(defs, d));
        if (!id || strcmp(id, sarx_definition_id(sarx_definition_at(into->ctx, d))) != 0)
            return BAD("definitions", "counts of another context: definition %zu differs", d + 1);
    }
    cols = json_object_get(root, "columns");
    if (!json_is_array(cols) || json_array_size(cols) != into->ncol)
        return BAD("columns", "counts of another header: not the same number of columns");
    for (i = 0; i < into->ncol; i++) {
        const json_t *cv = json_array_get(cols, i);
        const char *f = sarx_cohort_column_field(into, i), *g = json_string_value(cv);
        if (!(f ? g && strcmp(f, g) == 0 : json_is_null(cv)))
            return BAD("columns", "counts of another header mapping: column %zu feeds another field", i + 1);
    }
    v = json_object_get(root, "flags");
    if (!json_is_integer(v) || json_integer_value(v) != (json_int_t)into->flags)
        return BAD("flags", "counts of a cohort with other flags");
    if (!count_of(json_object_get(root, "rows"), rows) || !count_of(json_object_get(root, "rejected"), rej))
        return BAD("rows", "\"rows\" and \"rejected\" must be whole numbers >= 0");
    tal = json_object_get(root, "tally");
    if (!json_is_array(tal) || json_array_size(tal) != nd)
        return BAD("tally", "\"tally\" must hold one list per definition");
    for (d = 0; d < nd; d++) {
        const sarx__def *def = into->ctx->defs[d].d;
        const json_t *td = json_array_get(tal, d);
        long by_sex = 0, by_age = 0;
        int st;
        if (!json_is_array(td) || json_array_size(td) != nkinds(def))
            return BAD("tally", "definition %s: not one list per category and 3 more",
                       sarx_definition_id(sarx_definition_at(into->ctx, d)));
        for (k = 0; k < nkinds(def); k++) {
            const json_t *tk = json_array_get(td, k);
            long *dst = &t[((size_t)d * KINDS + (size_t)kind_at(def, k)) * SLOTS];
            if (!json_is_array(tk) || json_array_size(tk) != (size_t)NSTRATA)
                return BAD("tally", "definition %s: a list of the wrong length",
                           sarx_definition_id(sarx_definition_at(into->ctx, d)));
            for (st = 0; st < NSTRATA; st++)
                if (!count_of(json_array_get(tk, (size_t)st), &dst[st]) || (st == ST_ALL && dst[st]))
                    return BAD("tally", "definition %s: a count that is not a whole number >= 0 (or "
                                             "\"all\" not 0)",
                               sarx_definition_id(sarx_definition_at(into->ctx, d)));
            if (k <= def->ncat) { /* the categories and indeterminate: each row once */
                for (st = ST_MALE; st <= ST_SEX_UNKNOWN; st++)
                    by_sex = by_sex > LONG_MAX - dst[st] ? -1 : by_sex < 0 ? -1 : by_sex + dst[st];
                for (st = ST_AGE0; st < NSTRATA; st++)
                    by_age = by_age > LONG_MAX - dst[st] ? -1 : by_age < 0 ? -1 : by_age + dst[st];
            }
        }
        if (by_sex != *rows || by_age != *rows)
            return BAD("tally", "definition %s: its rows by sex and by age band do not add up to \"rows\"",
                       sarx_definition_id(sarx_definition_at(into->ctx, d)));
    }
    agr = json_object_get(root, "agree");
    if (!json_is_array(agr) || json_array_size(agr) != nd * (nd ? nd - 1 : 0) / 2)
        return BAD("agree", "\"agree\" must hold one table per pair of definitions");
    for (d = 0, i = 0; d < nd; d++)
        for (e = d + 1; e < nd; e++, i++) {
            const json_t *q = json_array_get(agr, i);
            int n;
            if (!json_is_array(q) || json_array_size(q) != 4)
                return BAD("agree", "a table that is not 4 counts");
            for (n = 0; n < 4; n++)
                if (!count_of(json_array_get(q, (size_t)n), &a[((size_t)d * 4 + (size_t)n) * nd + e]))
                    return BAD("agree", "a count that is not a whole number >= 0");
        }
    return SARX_OK;
}

int sarx_cohort_merge_counts(sarx_cohort *into, const char *json, size_t len, sarx_error *err)
{
    json_error_t je;
    json_t *root;
    long *t, *a, rows = 0, rej = 0;
    size_t nd, nt, na, i;
    int rc;
    if (!into || (!json && len))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    nd = into->ctx->ndefs;
    nt = nd * KINDS * SLOTS;
    na = nd * 4 * nd;
    if (!(root = json_loadb(json ? json : "", len, JSON_REJECT_DUPLICATES, &je)))
        return sarx__err(err, SARX_EINVAL, "", "", "", "counts: not JSON: %s (line %d, column %d)", je.text,
                         je.line, je.column);
    t = calloc(nt ? nt : 1, sizeof *t);
    a = calloc(na ? na : 1, sizeof *a);
    if (!t || !a) {
        rc = sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
        goto done;
    }
    if ((rc = read_counts(into, root, t, a, &rows, &rej, err)) != SARX_OK)
        goto done;
    /* every sum must fit before any is made: all or nothing */
    rc = rows > LONG_MAX - into->rows || rej > LONG_MAX - into->rejected;
    for (i = 0; !rc && i < nt; i++)
        rc = t[i] > LONG_MAX - into->tally[i];
    for (i = 0; !rc && i < na; i++)
        rc = a[i] > LONG_MAX - into->agree[i];
    if (rc) {
        rc = sarx__err(err, SARX_ERANGE, "", "", "", "counts: the sums would overflow");
        goto done;
    }
    for (i = 0; i < nt; i++)
        into->tally[i] += t[i];
    for (i = 0; i < na; i++)
        into->agree[i] += a[i];
    into->rows += rows;
    into->rejected += rej;
done:
    json_decref(root);
    free(t);
    free(a);
    return rc;
}
