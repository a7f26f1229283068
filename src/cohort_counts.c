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
** mapping, that every count is a whole number >= 0 and not above "rows",
** and that the counts are consistent as counting makes them (check_tally,
** check_agree): so every sum the summary makes is bounded by the rows, and
** adding them to the cohort's is checked to fit.
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

static const char *def_id(const sarx_cohort *c, size_t d) { return sarx_definition_id(sarx_definition_at(c->ctx, d)); }
/* Kind i's name in messages. */
static const char *kind_name(const sarx__def *def, size_t i)
{
    static const char *const other[] = {"indeterminate", "incomplete", "reading-decided"};
    return i < def->ncat ? def->cats[i].name : other[i - def->ncat];
}
/* a + b, or -1 when either is -1 or the sum does not fit. */
static long add_sat(long a, long b) { return a < 0 || b < 0 || a > LONG_MAX - b ? -1 : a + b; }

/* Definition d's tallies (t: [kind][slot], every count in 0 .. rows) as
** counting makes them (cohort_count.c): the strata by sex partition the
** rows, and so do the age bands, for every kind alike; the categories and
** indeterminate partition the rows (so each stratum's total n is theirs);
** and in each stratum, of its n rows, those not_applicable (na), positive
** (pos: the positive categories that are not na) and indeterminate (ind):
**   incomplete <= n;
**   pos <= decided <= n - na - ind   (a positive row is decided; an
**                                     indeterminate or na one never is);
**   decided >= n - na - ind - incomplete   (a row neither na nor
**                                     indeterminate is decided when complete).
** *pos_all, *dec_all: its positive and decided rows over all (for agree). */
static int check_tally(const sarx_cohort *into, size_t d, const long *t, long rows, long *pos_all, long *dec_all,
                       sarx_error *err)
{
    const sarx__def *def = into->ctx->defs[d].d;
    unsigned na = into->na_cats[d];
    long n_sex = 0, n_age = 0;
    size_t k;
    int st;
#define T(kind, st) t[(size_t)(kind) * SLOTS + (size_t)(st)]
    for (k = 0; k < nkinds(def); k++) {
        long by_sex = 0, by_age = 0;
        for (st = ST_MALE; st <= ST_SEX_UNKNOWN; st++)
            by_sex = add_sat(by_sex, T(kind_at(def, k), st));
        for (st = ST_AGE0; st < NSTRATA; st++)
            by_age = add_sat(by_age, T(kind_at(def, k), st));
        if (by_sex != by_age)
            return BAD("tally",
                       "definition %s: its %s rows by sex (%ld) and by age band (%ld) do not add up the same",
                       def_id(into, d), kind_name(def, k), by_sex, by_age);
        if (by_sex < 0 || by_sex > rows)
            return BAD("tally", "definition %s: more %s rows than \"rows\" (%ld)", def_id(into, d),
                       kind_name(def, k), rows);
        if (k <= def->ncat) { /* the categories and indeterminate: each row once */
            n_sex = add_sat(n_sex, by_sex);
            n_age = add_sat(n_age, by_age);
        }
    }
    if (n_sex != rows || n_age != rows)
        return BAD("tally", "definition %s: its rows by sex and by age band do not add up to \"rows\"",
                   def_id(into, d));
    /* every sum below is of one stratum's partition of at most "rows" rows */
    *pos_all = 0;
    for (st = ST_MALE; st < NSTRATA; st++) {
        long n = 0, nna = 0, pos = 0, ind = T(K_INDET, st), inc = T(K_INCOMPLETE, st), dec = T(K_READING, st);
        for (k = 0; k <= def->ncat; k++)
            n += T(kind_at(def, k), st);
        for (k = 0; k < def->ncat; k++) {
            if ((na >> k) & 1u)
                nna += T(k, st);
            else if (def->cats[k].positive)
                pos += T(k, st);
        }
        if (inc > n)
            return BAD("tally", "definition %s, stratum %s: %ld incomplete rows of its %ld rows", def_id(into, d),
                       sarx__cohort_stratum(st), inc, n);
        if (dec > n - nna - ind)
            return BAD("tally",
                       "definition %s, stratum %s: %ld reading-decided rows, more than its %ld rows neither "
                       "indeterminate nor not_applicable",
                       def_id(into, d), sarx__cohort_stratum(st), dec, n - nna - ind);
        if (dec < pos)
            return BAD("tally", "definition %s, stratum %s: %ld reading-decided rows, fewer than its %ld positive",
                       def_id(into, d), sarx__cohort_stratum(st), dec, pos);
        if (dec < n - nna - ind - inc)
            return BAD("tally",
                       "definition %s, stratum %s: %ld reading-decided rows, but its %ld incomplete rows leave "
                       "at least %ld decided",
                       def_id(into, d), sarx__cohort_stratum(st), dec, inc, n - nna - ind - inc);
        if (st <= ST_SEX_UNKNOWN)
            *pos_all += pos;
    }
    *dec_all = T(K_READING, ST_MALE) + T(K_READING, ST_FEMALE) + T(K_READING, ST_SEX_UNKNOWN);
#undef T
    return SARX_OK;
}

/* A pair's agreement table q (both, only a, only b, neither; each in
** 0 .. rows) as counting makes it (the rows both readings decide, a's
** reading and b's): a's positive ones (both + only a) are at most a's
** positive rows pa, and at least those of them that b decides too, so at
** least pa - (rows - db); likewise b's positive ones (both + only b), a's
** negative ones (only b + neither, of da - pa) and b's (only a + neither,
** of db - pb); and all of them at most min(da, db), at least da + db - rows. */
static int check_agree(const sarx_cohort *into, size_t d, size_t e, const long q[4], long rows, long pa, long da,
                       long pb, long db, sarx_error *err)
{
    const long part[5] = {add_sat(q[0], q[1]), add_sat(q[0], q[2]), add_sat(q[2], q[3]), add_sat(q[1], q[3]),
                          add_sat(add_sat(q[0], q[1]), add_sat(q[2], q[3]))};
    const long most[5] = {pa, pb, da - pa, db - pb, da < db ? da : db};
    const long least[5] = {pa - (rows - db), pb - (rows - da), da - pa - (rows - db), db - pb - (rows - da),
                           da - (rows - db)};
    int i;
    for (i = 0; i < 5; i++)
        if (part[i] < 0 || part[i] > most[i] || part[i] < least[i]) {
            char side[96];
            if (i < 4)
                snprintf(side, sizeof side, i < 2 ? "positive by %s" : "negative by %s",
                         def_id(into, i % 2 ? e : d));
            else
                snprintf(side, sizeof side, "in all");
            return BAD("agree",
                       "definitions %s and %s: their agreement table [%ld,%ld,%ld,%ld] has %ld rows %s where both "
                       "readings are decided, but the tallies allow %ld to %ld (%ld and %ld positive of %ld and "
                       "%ld decided, %ld rows)",
                       def_id(into, d), def_id(into, e), q[0], q[1], q[2], q[3], part[i], side,
                       least[i] > 0 ? least[i] : 0, most[i], pa, pb, da, db, rows);
        }
    return SARX_OK;
}

/* The text's counts into t (a zeroed tally), a (agree), rows, rej: SARX_OK or
** SARX_EINVAL saying what does not fit into's context, mapping or form. */
static int read_counts(const sarx_cohort *into, const json_t *root, long *t, long *a, long *rows, long *rej,
                       long *rd, sarx_error *err)
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
    if (*rej > LONG_MAX - *rows)
        return BAD("rejected", "\"rows\" + \"rejected\" (the rows read) must fit in a long");
    tal = json_object_get(root, "tally");
    if (!json_is_array(tal) || json_array_size(tal) != nd)
        return BAD("tally", "\"tally\" must hold one list per definition");
    for (d = 0; d < nd; d++) {
        const sarx__def *def = into->ctx->defs[d].d;
        const json_t *td = json_array_get(tal, d);
        int st, rc;
        if (!json_is_array(td) || json_array_size(td) != nkinds(def))
            return BAD("tally", "definition %s: not one list per category and 3 more", def_id(into, d));
        for (k = 0; k < nkinds(def); k++) {
            const json_t *tk = json_array_get(td, k);
            long *dst = &t[((size_t)d * KINDS + (size_t)kind_at(def, k)) * SLOTS];
            if (!json_is_array(tk) || json_array_size(tk) != (size_t)NSTRATA)
                return BAD("tally", "definition %s: a list of the wrong length", def_id(into, d));
            for (st = 0; st < NSTRATA; st++) {
                if (!count_of(json_array_get(tk, (size_t)st), &dst[st]) || (st == ST_ALL && dst[st]))
                    return BAD("tally", "definition %s: a count that is not a whole number >= 0 (or "
                                        "\"all\" not 0)",
                               def_id(into, d));
                if (dst[st] > *rows)
                    return BAD("tally", "definition %s: %ld %s rows (stratum %s), more than \"rows\" (%ld)",
                               def_id(into, d), dst[st], kind_name(def, k), sarx__cohort_stratum(st), *rows);
            }
        }
        if ((rc = check_tally(into, d, &t[(size_t)d * KINDS * SLOTS], *rows, &rd[2 * d], &rd[2 * d + 1], err)))
            return rc;
    }
    agr = json_object_get(root, "agree");
    if (!json_is_array(agr) || json_array_size(agr) != nd * (nd ? nd - 1 : 0) / 2)
        return BAD("agree", "\"agree\" must hold one table per pair of definitions");
    for (d = 0, i = 0; d < nd; d++)
        for (e = d + 1; e < nd; e++, i++) {
            const json_t *q = json_array_get(agr, i);
            long qv[4];
            int n;
            if (!json_is_array(q) || json_array_size(q) != 4)
                return BAD("agree", "a table that is not 4 counts");
            for (n = 0; n < 4; n++) {
                if (!count_of(json_array_get(q, (size_t)n), &qv[n]))
                    return BAD("agree", "a count that is not a whole number >= 0");
                if (qv[n] > *rows)
                    return BAD("agree", "definitions %s and %s: an agreement count above \"rows\" (%ld)", def_id(into, d),
                               def_id(into, e), *rows);
                a[((size_t)d * 4 + (size_t)n) * nd + e] = qv[n];
            }
            if ((n = check_agree(into, d, e, qv, *rows, rd[2 * d], rd[2 * d + 1], rd[2 * e], rd[2 * e + 1], err)))
                return n;
        }
    return SARX_OK;
}

int sarx_cohort_merge_counts(sarx_cohort *into, const char *json, size_t len, sarx_error *err)
{
    json_error_t je;
    json_t *root;
    long *t, *a, *rd, rows = 0, rej = 0;
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
    rd = calloc(nd ? 2 * nd : 1, sizeof *rd);
    if (!t || !a || !rd) {
        rc = sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
        goto done;
    }
    if ((rc = read_counts(into, root, t, a, &rows, &rej, rd, err)) != SARX_OK)
        goto done;
    /* every sum must fit before any is made: all or nothing */
    rc = rows > LONG_MAX - into->rows || rej > LONG_MAX - into->rejected ||
         into->rows + rows > LONG_MAX - (into->rejected + rej); /* the rows read, too */
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
    free(rd);
    return rc;
}
