/*
** counts.c — sarx_cohort_counts_json and sarx_cohort_merge_counts: the
** counts of real cohorts (synth rows with bad ones, selected definitions,
** value maps and missing-value codes, decimal commas) split into parts are
** always accepted and add up to the whole's, byte for byte; counts that
** counting cannot make (a tally above its stratum, readings that do not
** fit the categories, agreement tables that do not fit the readings) are
** refused with a message naming what does not fit, adding nothing, and the
** summaries stay whole.
**
** usage: counts SARX_BINARY
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "sarx.h"

static const char *sarx_bin;

/* A deterministic generator (xorshift64). */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* `sarx synth n --seed seed --bad bad`: the CSV text (NUL-terminated). */
static char *synth(long n, unsigned seed, const char *bad, size_t *len)
{
    char cmd[1024], *buf = NULL;
    size_t cap = 0, k;
    FILE *p;
    snprintf(cmd, sizeof cmd, "'%s' synth %ld --seed %u --bad %s --quiet", sarx_bin, n, seed, bad);
    *len = 0;
    if (!(p = popen(cmd, "r")))
        return NULL;
    for (;;) {
        if (*len + 65537 > cap && !(buf = realloc(buf, cap = 2 * cap + 65537)))
            abort();
        if (!(k = fread(buf + *len, 1, cap - 1 - *len, p)))
            break;
        *len += k;
    }
    pclose(p);
    buf[*len] = '\0';
    return buf;
}

/* The text with decimal commas: ';' between cells, ',' in numbers. */
static void decimal_comma(char *t, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        t[i] = t[i] == ',' ? ';' : t[i] == '.' ? ',' : t[i];
}

/* How a cohort reads: its definitions, flags, options. */
typedef struct how {
    const sarx_ctx *ctx;
    unsigned flags;
    const sarx_readopts *ro;
} how;

/* A cohort of the text's data records lo .. hi - 1 (all: hi (size_t)-1),
** each by sarx_cohort_row (rows of the wrong field count are rejected); a
** new one made from the header when *c is NULL. */
static void feed(sarx_cohort **c, const how *h, const char *text, size_t len, size_t lo, size_t hi)
{
    char *copy = malloc(len + 1), **f;
    size_t *l, nf, rec = 0;
    sarx_class out[64];
    sarx_csv *csv;
    sarx_error e;
    int rc, first = 1;
    if (!copy)
        abort();
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (sarx_csv_new_buffer(&csv, copy, len, (h->flags & SARX_COHORT_DECIMAL_COMMA) ? ';' : ',', 0) != SARX_OK) {
        h_fail++;
        free(copy);
        return;
    }
    while ((rc = sarx_csv_next(csv, &f, &l, &nf, &e)) != 0) {
        if (rc < 0)
            continue;
        if (first) {
            first = 0;
            if (!*c && sarx_cohort_new_ex(h->ctx, f, l, nf, h->flags, h->ro, c, &e) != SARX_OK) {
                fprintf(stderr, "FAIL cohort: %s\n", e.message);
                h_fail++;
                break;
            }
            continue;
        }
        if (rec >= lo && rec < hi)
            (void)sarx_cohort_row(*c, f, l, nf, out, &e);
        rec++;
    }
    sarx_csv_free(csv);
    free(copy);
}

static int merge(sarx_cohort *into, const char *text, sarx_error *e)
{
    return sarx_cohort_merge_counts(into, text, strlen(text), e);
}

/* Every summary of c made (under the sanitizers: no sum overflows). */
static void summaries(const sarx_cohort *c)
{
    char *s[5];
    int i;
    s[0] = sarx_cohort_summary_json(c);
    s[1] = sarx_cohort_summary_text(c);
    s[2] = sarx_cohort_summary_text_ex(c, SARX_SUMMARY_WIDE);
    s[3] = sarx_cohort_svg_prevalence(c);
    s[4] = sarx_cohort_svg_agreement(c);
    for (i = 0; i < 5; i++) {
        CHECK(s[i] != NULL);
        sarx_free(s[i]);
    }
}

/* ---- real counts: always accepted, adding up to the whole's ------------- */

static void test_real(const sarx_ctx *full)
{
    static const char *const bads[] = {"0", "0.02", "0.2", "0.7"};
    sarx_ctx *sel[2];
    sarx_readopts *ro;
    sarx_error e;
    int round, accepted = 0;
    CHECK(sarx_ctx_select(full, "ewgsop2,fearon2011,janssen2004,glim2019,sarc_f", &sel[0], &e) == SARX_OK);
    CHECK(sarx_ctx_select(full, "dynapenia,awgs2019,evans2008", &sel[1], &e) == SARX_OK);
    CHECK(sarx_readopts_new(&ro, &e) == SARX_OK);
    CHECK(sarx_readopts_set_na(ro, "NA,.,-99,unknown", &e) == SARX_OK);
    CHECK(sarx_readopts_value(ro, "sex", "male", "female", &e) == SARX_OK); /* swapped: still real rows */
    CHECK(sarx_readopts_value(ro, "sex", "female", "male", &e) == SARX_OK);
    CHECK(sarx_readopts_value(ro, "asm_method", "dxa", "bia", &e) == SARX_OK);
    for (round = 0; round < 40; round++) {
        how h;
        size_t len, cut[5], k, nparts = 1 + next() % 4;
        long n = round == 0 ? 0 : (long)(next() % 900);
        char *text = synth(n, (unsigned)(next() % 100000), bads[next() % 4], &len), *a, *b, *twice;
        sarx_cohort *whole = NULL, *into = NULL, *acc = NULL, *acc2 = NULL;
        if (!text) {
            h_fail++;
            continue;
        }
        h.ctx = round % 4 < 2 ? full : sel[round % 4 - 2];
        h.flags = round % 2 ? SARX_COHORT_DECIMAL_COMMA : 0;
        h.ro = round % 4 >= 2 ? ro : NULL;
        if (h.flags & SARX_COHORT_DECIMAL_COMMA)
            decimal_comma(text, len);
        feed(&whole, &h, text, len, 0, (size_t)-1);
        if (!whole) {
            free(text);
            continue;
        }
        /* cut points: parts of any size, empty ones too */
        cut[0] = 0;
        for (k = 1; k < nparts; k++)
            cut[k] = (size_t)(next() % ((uint64_t)n + 2));
        cut[nparts] = (size_t)n + 1;
        for (k = 1; k < nparts; k++) { /* sorted */
            size_t j, v = cut[k];
            for (j = k; j > 1 && cut[j - 1] > v; j--)
                cut[j] = cut[j - 1];
            cut[j] = v;
        }
        feed(&into, &h, text, len, 0, 0); /* the header alone: its column names, as the whole's */
        for (k = 0; into && k < nparts; k++) {
            sarx_cohort *part = NULL;
            char *pt;
            CHECK(sarx_cohort_clone(whole, &part) == SARX_OK);
            feed(&part, &h, text, len, cut[k], cut[k + 1]);
            pt = sarx_cohort_counts_json(part);
            CHECK(pt != NULL);
            if (pt && merge(into, pt, &e) != SARX_OK) {
                h_fail++;
                fprintf(stderr, "FAIL round %d (%ld rows), part %zu: real counts refused: %s\n", round, n, k,
                        e.message);
            } else
                accepted++;
            sarx_free(pt);
            sarx_cohort_free(part);
        }
        a = sarx_cohort_counts_json(whole);
        b = sarx_cohort_counts_json(into);
        CHECK(a && b && strcmp(a, b) == 0);
        sarx_free(b);
        {
            char *sa = sarx_cohort_summary_json(whole), *sb = sarx_cohort_summary_json(into);
            CHECK(sa && sb && strcmp(sa, sb) == 0);
            sarx_free(sa);
            sarx_free(sb);
        }
        /* the sums of real counts are counts too */
        CHECK(sarx_cohort_clone(whole, &acc) == SARX_OK && sarx_cohort_clone(whole, &acc2) == SARX_OK);
        CHECK(a && merge(acc, a, &e) == SARX_OK && merge(acc, a, &e) == SARX_OK);
        twice = sarx_cohort_counts_json(acc);
        CHECK(twice && merge(acc2, twice, &e) == SARX_OK);
        CHECK_INT(sarx_cohort_rows(acc2), 2 * sarx_cohort_rows(whole));
        summaries(acc2);
        sarx_free(twice);
        sarx_free(a);
        sarx_cohort_free(acc);
        sarx_cohort_free(acc2);
        sarx_cohort_free(into);
        sarx_cohort_free(whole);
        free(text);
    }
    printf("counts: %d real counts texts accepted\n", accepted);
    sarx_readopts_free(ro);
    sarx_ctx_free(sel[0]);
    sarx_ctx_free(sel[1]);
}

/* ---- counts that counting cannot make: refused ----------------------------- */

/* Strata in the lists: all, male, female, sex unknown, 7 bands, age unknown. */
enum { S_MALE = 1, S_AGE0 = 4, S_NSTRATA = 12 };

static json_t *tally_list(json_t *root, size_t d, size_t k)
{
    return json_array_get(json_array_get(json_object_get(root, "tally"), d), k);
}
static long tget(json_t *root, size_t d, size_t k, int st)
{
    return (long)json_integer_value(json_array_get(tally_list(root, d, k), (size_t)st));
}
static void tset(json_t *root, size_t d, size_t k, int st, long v)
{
    json_array_set_new(tally_list(root, d, k), (size_t)st, json_integer(v));
}
/* Stratum male of definition d's kind k set to v, and the age bands
** changed by as much (the most first, none below 0): the kind still adds
** up by sex and by age band, and the male stratum is the one that does
** not fit. */
static void tset_male(json_t *root, size_t d, size_t k, long v)
{
    long delta = v - tget(root, d, k, S_MALE);
    int st;
    tset(root, d, k, S_MALE, v);
    while (delta) {
        int best = S_AGE0;
        long have, by;
        for (st = S_AGE0; st < S_NSTRATA; st++)
            if (tget(root, d, k, st) > tget(root, d, k, best))
                best = st;
        have = tget(root, d, k, best);
        by = delta > 0 ? delta : have < -delta ? -have : delta;
        if (!by)
            break; /* cannot happen: the male rows are in the bands */
        tset(root, d, k, best, have + by);
        delta -= by;
    }
}

/* The summary's count of definition d, stratum st: "n", "indeterminate",
** "incomplete", "not_applicable" (0 without), "reading_decided", "positive". */
static long sum_count(json_t *sum, size_t d, const char *st, const char *what)
{
    json_t *s = json_object_get(json_object_get(json_array_get(json_object_get(sum, "definitions"), d), "by"), st),
           *v = json_object_get(s, what);
    if (json_is_object(v))
        v = json_object_get(v, "count");
    return (long)json_integer_value(v);
}

/* The text refused with SARX_EINVAL, its message holding each of want[]
** (up to 3), nothing added, the summaries made. */
static void refused(sarx_cohort *c, json_t *root, const char *w1, const char *w2, int line)
{
    char *text = json_dumps(root, JSON_COMPACT);
    long rows = sarx_cohort_rows(c), rej = sarx_cohort_rejected(c);
    char *before = sarx_cohort_counts_json(c), *after;
    sarx_error e;
    int rc;
    memset(&e, 0, sizeof e);
    rc = text ? merge(c, text, &e) : -1;
    after = sarx_cohort_counts_json(c);
    if (rc == SARX_EINVAL && strncmp(e.message, "counts: ", 8) == 0 && strstr(e.message, w1) &&
        (!w2 || strstr(e.message, w2)) && sarx_cohort_rows(c) == rows && sarx_cohort_rejected(c) == rej && before &&
        after && strcmp(before, after) == 0)
        h_pass++;
    else {
        h_fail++;
        fprintf(stderr, "FAIL counts.c:%d: expected a refusal naming \"%s\"%s%s, got %d: %s\n", line, w1,
                w2 ? " and " : "", w2 ? w2 : "", rc, rc ? e.message : "(accepted)");
    }
    summaries(c);
    sarx_free(before);
    sarx_free(after);
    free(text);
}
#define REFUSED(c, root, w1, w2) refused(c, root, w1, w2, __LINE__)

static json_t *parsed(const char *text)
{
    json_error_t je;
    json_t *r = json_loads(text, 0, &je);
    CHECK(r != NULL);
    return r;
}

/* The reviewer's cases (issue 30), on a cohort of 4 rows. */
static void test_reviewed(const sarx_ctx *ctx)
{
    char *head[] = {"sex", "age_years", "grip_kg"};
    size_t hl[] = {3, 9, 7}, d, nd = sarx_definition_count(ctx), st;
    static const char *const rows[4][3] = {{"male", "80", "20"}, {"female", "70", "35"}, {"", "65", ""},
                                           {"female", "90", "14"}};
    sarx_cohort *src, *c;
    sarx_class out[64];
    sarx_error e;
    char *text;
    json_t *root;
    int r;
    CHECK(sarx_cohort_new_ex(ctx, head, hl, 3, 0, NULL, &src, &e) == SARX_OK);
    for (r = 0; r < 4; r++) {
        char *f[3];
        size_t l[3], j;
        for (j = 0; j < 3; j++) {
            f[j] = (char *)(uintptr_t)rows[r][j];
            l[j] = strlen(rows[r][j]);
        }
        CHECK(sarx_cohort_row(src, f, l, 3, out, &e) == SARX_OK);
    }
    text = sarx_cohort_counts_json(src);
    CHECK(text != NULL);
    if (!text)
        return;
    CHECK(sarx_cohort_clone(src, &c) == SARX_OK);
    CHECK(merge(c, text, &e) == SARX_OK); /* as it is: accepted */
    /* each definition's reading-decided list [0, LONG_MAX x 11] */
    root = parsed(text);
    for (d = 0; d < nd; d++) {
        json_t *l = tally_list(root, d, json_array_size(json_array_get(json_object_get(root, "tally"), d)) - 1);
        for (st = 1; st < S_NSTRATA; st++)
            json_array_set_new(l, st, json_integer(LONG_MAX));
    }
    REFUSED(c, root, "reading-decided", "more than \"rows\"");
    json_decref(root);
    /* agree [LONG_MAX, LONG_MAX, 1, 1]; [100, 0, 0, 0] with rows 4 */
    root = parsed(text);
    json_array_set_new(json_object_get(root, "agree"), 0, json_pack("[I,I,i,i]", (json_int_t)LONG_MAX,
                                                                     (json_int_t)LONG_MAX, 1, 1));
    REFUSED(c, root, "agree", "above \"rows\"");
    json_array_set_new(json_object_get(root, "agree"), 0, json_pack("[i,i,i,i]", 100, 0, 0, 0));
    REFUSED(c, root, "ewgsop2 and ewgsop1", "above \"rows\" (4)");
    /* rows made up to fit: every count within "rows", the readings not */
    json_object_set_new(root, "rows", json_integer(100));
    REFUSED(c, root, "do not add up", NULL);
    json_decref(root);
    /* the rows read (rows + rejected) must fit, in the text and in the sum */
    root = parsed(text);
    json_object_set_new(root, "rejected", json_integer(LONG_MAX));
    REFUSED(c, root, "\"rejected\"", "must fit");
    json_object_set_new(root, "rejected", json_integer(LONG_MAX - 4));
    {
        char *t2 = json_dumps(root, JSON_COMPACT);
        sarx_cohort *fresh = NULL;
        CHECK(t2 && sarx_cohort_clone(src, &fresh) == SARX_OK);
        CHECK(t2 && merge(fresh, t2, &e) == SARX_OK);
        summaries(fresh);
        CHECK(t2 && merge(c, t2, &e) == SARX_ERANGE && strstr(e.message, "overflow"));
        sarx_cohort_free(fresh);
        free(t2);
    }
    json_decref(root);
    CHECK_INT(sarx_cohort_rows(c), 4);
    CHECK_INT(sarx_cohort_rejected(c), 0);
    sarx_free(text);
    sarx_cohort_free(src);
    sarx_cohort_free(c);
}

/* Each consistency rule broken alone, on the counts of a synth cohort. */
static void test_rules(const sarx_ctx *ctx)
{
    size_t len, nd = sarx_definition_count(ctx), d, e2, nk;
    char *csv = synth(600, 7, "0.05", &len), *text, *sumtext;
    how h = {ctx, 0, NULL};
    sarx_cohort *c = NULL, *into = NULL;
    json_t *base, *sum, *root;
    sarx_error e;
    int done[6] = {0};
    long rows;
    if (!csv) {
        h_fail++;
        return;
    }
    feed(&c, &h, csv, len, 0, (size_t)-1);
    free(csv);
    if (!c) {
        h_fail++;
        return;
    }
    rows = sarx_cohort_rows(c);
    text = sarx_cohort_counts_json(c);
    sumtext = sarx_cohort_summary_json(c);
    base = parsed(text);
    sum = parsed(sumtext);
    CHECK(sarx_cohort_clone(c, &into) == SARX_OK && merge(into, text, &e) == SARX_OK);
    for (d = 0; d < nd; d++) {
        long n = sum_count(sum, d, "male", "n"), ind = sum_count(sum, d, "male", "indeterminate"),
             inc = sum_count(sum, d, "male", "incomplete"), na = sum_count(sum, d, "male", "not_applicable"),
             dec = sum_count(sum, d, "male", "reading_decided"), pos = sum_count(sum, d, "male", "positive");
        long inc_all = sum_count(sum, d, "all", "incomplete"), dec_all = sum_count(sum, d, "all", "reading_decided");
        nk = json_array_size(json_array_get(json_object_get(base, "tally"), d));
        CHECK_INT(tget(base, d, nk - 2, S_MALE), inc); /* the summary reads the counts as they are */
        CHECK_INT(tget(base, d, nk - 1, S_MALE), dec);
        if (!done[0] && inc_all - inc + n + 1 <= rows) { /* more incomplete rows than the stratum has */
            root = json_deep_copy(base);
            tset_male(root, d, nk - 2, n + 1);
            REFUSED(into, root, "stratum male", "incomplete rows of its");
            json_decref(root);
            done[0] = 1;
        }
        if (!done[1] && ind + na > 0 && dec_all - dec + n - na - ind + 1 <= rows) { /* decided: indeterminate, n/a */
            root = json_deep_copy(base);
            tset_male(root, d, nk - 1, n - na - ind + 1);
            REFUSED(into, root, "stratum male", "reading-decided rows, more than");
            json_decref(root);
            done[1] = 1;
        }
        if (!done[2] && pos > 0) { /* a positive row undecided */
            root = json_deep_copy(base);
            tset_male(root, d, nk - 1, pos - 1);
            REFUSED(into, root, "stratum male", "fewer than its");
            json_decref(root);
            done[2] = 1;
        }
        if (!done[3] && n - na - ind - inc - 1 >= pos && n - na - ind - inc - 1 >= 0) { /* a complete row undecided */
            root = json_deep_copy(base);
            tset_male(root, d, nk - 1, n - na - ind - inc - 1);
            REFUSED(into, root, "stratum male", "incomplete rows leave");
            json_decref(root);
            done[3] = 1;
        }
        if (!done[4] && tget(base, d, nk - 2, S_MALE) > 0) { /* by sex and by age band differ */
            root = json_deep_copy(base);
            tset(root, d, nk - 2, S_MALE, tget(base, d, nk - 2, S_MALE) - 1);
            REFUSED(into, root, "by sex", "by age band");
            json_decref(root);
            done[4] = 1;
        }
    }
    /* agreement tables: more positive rows than a's; none where both decide */
    for (d = 0, e2 = 1; e2 < nd && !done[5]; e2++) {
        long pa = sum_count(sum, d, "all", "positive"), da = sum_count(sum, d, "all", "reading_decided");
        long db = sum_count(sum, e2, "all", "reading_decided");
        if (pa + 1 <= rows) {
            root = json_deep_copy(base);
            json_array_set_new(json_object_get(root, "agree"), e2 - 1, json_pack("[I,i,i,i]", (json_int_t)pa + 1, 0,
                                                                                 0, 0));
            REFUSED(into, root, "agree", "positive by");
            json_decref(root);
            done[5]++;
        }
        if (da + db > rows) {
            root = json_deep_copy(base);
            json_array_set_new(json_object_get(root, "agree"), e2 - 1, json_pack("[i,i,i,i]", 0, 0, 0, 0));
            REFUSED(into, root, "agree", "where both readings are decided");
            json_decref(root);
            done[5]++;
        }
    }
    for (d = 0; d < 6; d++)
        if (!done[d]) {
            h_fail++;
            fprintf(stderr, "FAIL counts.c: rule %zu found no definition to break it on\n", d);
        }
    CHECK_INT(sarx_cohort_rows(into), rows); /* nothing added by any refused text */
    json_decref(base);
    json_decref(sum);
    sarx_free(text);
    sarx_free(sumtext);
    sarx_cohort_free(c);
    sarx_cohort_free(into);
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx;
    sarx_error e;
    if (argc < 2) {
        fprintf(stderr, "usage: counts SARX_BINARY\n");
        return 2;
    }
    sarx_bin = argv[1];
    if (sarx_ctx_new(&ctx, &e) != SARX_OK) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    test_reviewed(ctx);
    test_rules(ctx);
    test_real(ctx);
    sarx_ctx_free(ctx);
    return h_summary("counts");
}
