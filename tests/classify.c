/*
** classify.c — sarx_classify under a selection of definitions gives each
** definition the result it has among all of them.  A context computes only
** the derived values its definitions' rows read (sarx__measure_skip), so a
** selection of one definition leaves out most of measure(): this holds it
** to the full context, and the full context to sarx_assess (which
** computes every derived value), on every vector input (the files given as arguments)
** and on random subjects that fill every field in its range (with a
** weight history, pregnancy, amputation, oedema, conditions), under each
** definition alone and under pairs.
*/
#define _POSIX_C_SOURCE 200809L /* getline */
#include "harness.h"
#include "sarx.h"
#include "vecload.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sarx_ctx *full, *one[64];
static size_t ndefs;
static long subjects;

static uint64_t rng = 88172645463325252ull;
static double unit(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* Each definition alone (and a pair with the next one) against the full context. */
static void compare(const sarx_subject *s)
{
    sarx_class all[64], sel[2];
    sarx_assessment *a;
    sarx_error e;
    size_t d;
    if (sarx_classify(full, s, all, &e) != SARX_OK)
        return; /* invalid under every context alike: the readers' tests hold that */
    subjects++;
    /* the full context against sarx_assess, which computes every derived value */
    if (sarx_assess(full, s, &a, &e) != SARX_OK) {
        h_fail++;
        return;
    }
    for (d = 0; d < ndefs; d++) {
        const sarx_result *r = sarx_assessment_result(a, d);
        const sarx_definition *def = sarx_definition_at(full, d);
        const char *cat = all[d].category == SARX_INDETERMINATE ? "indeterminate"
                                                                 : sarx_definition_category(def, all[d].category);
        if (strcmp(cat, sarx_result_category(r)) != 0 || all[d].complete != sarx_result_complete(r)) {
            h_fail++;
            fprintf(stderr, "FAIL %s: sarx_classify %s/%d, sarx_assess %s/%d\n", sarx_definition_id(def), cat,
                    all[d].complete, sarx_result_category(r), sarx_result_complete(r));
        } else {
            h_pass++;
        }
    }
    sarx_assessment_free(a);
    for (d = 0; d < ndefs; d++) {
        int rc = sarx_classify(one[d], s, sel, &e);
        if (rc != SARX_OK || sel[0].category != all[d].category || sel[0].complete != all[d].complete) {
            h_fail++;
            fprintf(stderr, "FAIL %s alone: %d/%d, among all %d/%d (rc %d)\n",
                    sarx_definition_id(sarx_definition_at(full, d)), sel[0].category, sel[0].complete,
                    all[d].category, all[d].complete, rc);
        } else {
            h_pass++;
        }
    }
    { /* a pair: the last definition with the first (a selection keeps the library's order) */
        char list[128];
        sarx_ctx *pair;
        snprintf(list, sizeof list, "%s,%s", sarx_definition_id(sarx_definition_at(full, ndefs - 1)),
                 sarx_definition_id(sarx_definition_at(full, subjects % (long)(ndefs - 1))));
        if (sarx_ctx_select(full, list, &pair, &e) != SARX_OK) {
            h_fail++;
            return;
        }
        CHECK(sarx_classify(pair, s, sel, &e) == SARX_OK);
        CHECK(sel[0].category == all[subjects % (long)(ndefs - 1)].category &&
              sel[1].category == all[ndefs - 1].category);
        sarx_ctx_free(pair);
    }
}

static void vectors(int argc, char **argv, sarx_subject *s)
{
    int i;
    for (i = 1; i < argc; i++) {
        vcase *cases = NULL;
        int n = vec_load(argv[i], &cases), k;
        sarx_error e;
        if (n < 0) {
            h_fail++;
            n = 0;
        }
        for (k = 0; k < n; k++)
            if (sarx_subject_from_json(s, cases[k].in, strlen(cases[k].in), &e) == SARX_OK)
                compare(s);
        vec_free(cases, n);
    }
}

/* A random subject: each canonical number field in its range with
** probability 0.6, enums and booleans at random, sometimes a history,
** conditions and a date. */
static void random_subject(sarx_subject *s)
{
    static const char *const conds[] = {"copd", "heart failure", "C34.1", "pregnancy", "amputation below knee",
                                        "rheumatoid arthritis", "hip fracture", "E11.9"};
    sarx_error e;
    size_t i;
    sarx_subject_clear(s);
    for (i = 0; i < sarx_field_count(); i++) {
        const sarx_field_info *fi = sarx_field_at(i);
        if (strcmp(fi->name, fi->canonical) != 0 || unit() > 0.6 || strncmp(fi->name, "sarc_f", 6) == 0 ||
            strncmp(fi->name, "fat_", 4) == 0)
            continue;
        switch (fi->kind) {
        case SARX_KIND_NUMBER:
            sarx_subject_set_number(s, fi->name, fi->min + (fi->max - fi->min) * unit() * unit(), &e);
            break;
        case SARX_KIND_INTEGER:
            sarx_subject_set_number(s, fi->name, (double)(long)(fi->min + (fi->max - fi->min + 1) * unit()), &e);
            break;
        case SARX_KIND_BOOL:
            sarx_subject_set_bool(s, fi->name, unit() < 0.3, &e);
            break;
        case SARX_KIND_ENUM: {
            const char *v = fi->values, *bar = strchr(v, '|');
            char w[64];
            size_t n = unit() < 0.5 || !bar ? (bar ? (size_t)(bar - v) : strlen(v)) : 0;
            if (!n) { /* the second word */
                v = bar + 1;
                bar = strchr(v, '|');
                n = bar ? (size_t)(bar - v) : strlen(v);
            }
            snprintf(w, sizeof w, "%.*s", (int)n, v);
            sarx_subject_set_text(s, fi->name, w, strlen(w), 0, &e);
            break;
        }
        default:
            break;
        }
    }
    if (unit() < 0.3)
        sarx_subject_set_number(s, "sarc_f", (double)(long)(11 * unit()), &e);
    if (unit() < 0.2)
        sarx_subject_set_number(s, "fat_pct", 10 + 40 * unit(), &e);
    if (unit() < 0.3)
        sarx_subject_add_item(s, "conditions", conds[(size_t)(unit() * 8)], &e);
    if (unit() < 0.4) {
        sarx_subject_set_text(s, "assessment_date", "2026-06-01", 10, 0, &e);
        sarx_subject_add_weight(s, "2025-12-01", 50 + 50 * unit(), &e);
        sarx_subject_add_weight(s, "2025-06-15", 50 + 50 * unit(), &e);
    }
}

int main(int argc, char **argv)
{
    sarx_subject *s;
    sarx_error e;
    size_t d;
    int i;
    if (sarx_ctx_new(&full, &e) != SARX_OK || sarx_subject_new(&s) != SARX_OK)
        return 1;
    ndefs = sarx_definition_count(full);
    CHECK(ndefs > 1 && ndefs <= 64);
    for (d = 0; d < ndefs; d++)
        if (sarx_ctx_select(full, sarx_definition_id(sarx_definition_at(full, d)), &one[d], &e) != SARX_OK)
            return 1;
    vectors(argc, argv, s);
    for (i = 0; i < 20000; i++) {
        random_subject(s);
        compare(s);
    }
    printf("(%ld subjects under %zu definitions)\n", subjects, ndefs);
    CHECK(subjects > 10000);
    for (d = 0; d < ndefs; d++)
        sarx_ctx_free(one[d]);
    sarx_ctx_free(full);
    sarx_subject_free(s);
    return h_summary("classify by selection");
}
