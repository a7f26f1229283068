/*
** fhir_roundtrip.c — every vector input through FHIR and back: subject ->
** sarx_fhir_subject_bundle -> sarx_fhir_read -> the same category and
** completeness under every definition (docs/FHIR.md).
**
**   fhir_roundtrip [-v] VECTORS...
**
** The assessment date travels as sarx_fhir_read's as_of (`sarx assess
** --input fhir --as-of`), as an EHR's query would state it; an input
** without one is given FIXED_DATE (both sides are assessed with it).
** Inputs with a value FHIR cannot carry yet are counted apart and named
** with -v (they are not failures): a field the mapping table has no row
** for, an age not a whole number of years (it travels as
** Patient.birthDate), and a weight history without an assessment date (the
** reader dates the assessment at the latest weight, which changes what the
** history means).  Medications and the id do not travel; no definition
** reads them.
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "internal.h" /* the subject's lists, to tell what cannot travel */
#include "sarx.h"

#include <stdlib.h>

static int verbose;
#define FIXED_DATE "2025-01-15"

static int has_row(const char *field)
{
    size_t i, k;
    int f = sarx__field_lookup(field, strlen(field), &(int){0});
    for (i = 0; i < sarx__fhir_code_count; i++) {
        const char *rf = sarx__fhir_codes[i].field;
        if (strcmp(rf, field) == 0)
            return 1;
        for (k = 0; k < sarx__alias_count; k++)
            if (sarx__aliases[k].field == f && strcmp(sarx__aliases[k].name, rf) == 0)
                return 1;
    }
    return 0;
}

/* Why s cannot travel in FHIR yet, or NULL.  Medications and the id do
** not travel either, but no definition reads them. */
static const char *cannot_travel(const sarx_subject *s, char *buf, size_t n)
{
    int f;
    if (!isnan(s->v[SARX__F_AGE]) && !has_row("age_years") && s->v[SARX__F_AGE] != floor(s->v[SARX__F_AGE]))
        return "age_years not a whole number of years (age travels as Patient.birthDate)";
    if (isnan(s->v[SARX__F_DATE]) && s->nhist)
        return "weight_history without assessment_date (the reader dates the assessment at the latest weight)";
    for (f = 0; f < SARX__F_COUNT; f++) {
        const char *name = sarx__field_info[f].name;
        if (isnan(s->v[f]) || f == SARX__F_SEX || f == SARX__F_DATE || f == SARX__F_AGE || f == SARX__F_ID ||
            has_row(name))
            continue;
        snprintf(buf, n, "%s (no row in the mapping table)", name);
        return buf;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx = NULL;
    sarx_subject *s = NULL, *back = NULL;
    sarx_error err;
    int i, num = 0, skipped = 0, same = 0, differ = 0, known = 0;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = 1;
        argv++;
        argc--;
    }
    if (sarx_ctx_new(&ctx, &err) != SARX_OK || sarx_subject_new(&s) != SARX_OK || sarx_subject_new(&back) != SARX_OK)
        return 2;
    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        char *line = NULL, *cname = NULL;
        size_t cap = 0;
        ssize_t len;
        CHECK(f != NULL);
        if (!f)
            continue;
        while ((len = getline(&line, &cap, f)) > 0) {
            sarx_assessment *a = NULL, *b = NULL;
            sarx_fhir_info *info = NULL;
            char *bundle, date[11] = "", why[160];
            const char *reason;
            size_t r, bad = 0;
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
            if (strncmp(line, "case: ", 6) == 0) {
                free(cname);
                cname = strdup(line + 6);
            }
            if (strncmp(line, "in: ", 4) != 0 || sarx_subject_from_json(s, line + 4, strlen(line + 4), &err) != SARX_OK)
                continue;
            num++;
            if ((reason = cannot_travel(s, why, sizeof why)) != NULL) {
                skipped++;
                if (verbose)
                    printf("skip %s: \"%s\": %s\n", argv[i], cname ? cname : "?", reason);
                continue;
            }
            /* Observations carry the assessment date as their effective
            ** date; a subject without one is given a fixed one (nothing
            ** else in it is dated: no history, checked above). */
            if (isnan(s->v[SARX__F_DATE]) && sarx_subject_set_text(s, "assessment_date", FIXED_DATE,
                                                                   strlen(FIXED_DATE), 0, &err) != SARX_OK) {
                h_fail++;
                fprintf(stderr, "FAIL %s: \"%s\": assessment_date: %s\n", argv[i], cname ? cname : "?", err.message);
                continue;
            }
            sarx__date_format((int)s->v[SARX__F_DATE], date);
            bundle = sarx_fhir_subject_bundle(s, "p1", 0);
            CHECK(bundle != NULL);
            if (!bundle)
                continue;
            if (sarx_fhir_read(bundle, strlen(bundle), *date ? date : NULL, back, &info, &err) != SARX_OK) {
                h_fail++;
                differ++;
                fprintf(stderr, "FAIL %s: \"%s\": sarx_fhir_read: %s\n", argv[i], cname ? cname : "?", err.message);
                sarx_free(bundle);
                continue;
            }
            if (sarx_assess(ctx, s, &a, &err) != SARX_OK || sarx_assess(ctx, back, &b, &err) != SARX_OK) {
                h_fail++;
                fprintf(stderr, "FAIL %s: \"%s\": assess: %s\n", argv[i], cname ? cname : "?", err.message);
            } else
                for (r = 0; r < sarx_assessment_result_count(a); r++) {
                    const sarx_result *x = sarx_assessment_result(a, r), *y = sarx_assessment_result(b, r);
                    if (strcmp(sarx_result_category(x), sarx_result_category(y)) != 0 ||
                        sarx_result_complete(x) != sarx_result_complete(y)) {
                        if (!bad++ && !(isnan(s->v[SARX__F_WEIGHT]) && s->nhist))
                            fprintf(stderr, "FAIL %s: \"%s\":\n  in: %s\n  fhir: %s\n", argv[i], cname ? cname : "?",
                                    line + 4, bundle);
                        if (!(isnan(s->v[SARX__F_WEIGHT]) && s->nhist))
                            fprintf(stderr, "  %s: %s%s -> %s%s\n", sarx_definition_id(sarx_result_definition(x)),
                                sarx_result_category(x), sarx_result_complete(x) ? "" : " (incomplete)",
                                sarx_result_category(y), sarx_result_complete(y) ? "" : " (incomplete)");
                    }
                }
            if (bad && isnan(s->v[SARX__F_WEIGHT]) && s->nhist && !isnan(back->v[SARX__F_WEIGHT])) {
                known++; /* the reader's decision (fhir_pick.c): the latest weight is the current one */
                if (verbose)
                    printf("known %s: \"%s\": the reader takes the latest weight of the history as weight_kg, "
                           "although it is not dated on the assessment date\n", argv[i], cname ? cname : "?");
            } else if (bad) {
                h_fail++;
                differ++;
            } else {
                h_pass++;
                same++;
            }
            sarx_assessment_free(a);
            sarx_assessment_free(b);
            sarx_fhir_info_free(info);
            sarx_free(bundle);
        }
        free(cname);
        free(line);
        fclose(f);
    }
    printf("fhir_roundtrip: %d inputs: %d the same, %d different, %d known differences, %d cannot travel in FHIR yet "
           "(-v names them)\n",
           num, same, differ, known, skipped);
    sarx_subject_free(s);
    sarx_subject_free(back);
    sarx_ctx_free(ctx);
    return h_summary("fhir_roundtrip");
}
