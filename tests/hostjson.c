/*
** hostjson.c — the ways a subject's JSON comes in, held to one reference
** (jansson's reading, sarx__subject_from_json_slow):
**   - sarx_subject_from_json, which reads a clean flat object itself
**     (src/json_fast.c) and leaves the rest to jansson;
**   - sarx_subject_set_json + sarx_subject_finish, key by key, as a host
**     with JSON of its own gives it;
**   - the same by field index (sarx_field_index, sarx_subject_set_json_field)
**     with numbers of number fields as doubles (sarx_subject_set_json_double),
**     as the PostgreSQL extension gives jsonb;
** on every vector input (the tests/vectors files given as arguments) and on
** texts made to reach every corner of the fast reader.  Each must give the
** same subject bit for bit, or the same error with the same message.
** Also the building blocks of the SQL aggregates: sarx_definition_reading,
** sarx_prevalence_json and sarx_agreement_json.
*/
#define _POSIX_C_SOURCE 200809L /* getline */
#include "harness.h"
#include "internal.h"
#include "hostset.h"
#include "sarx.h"
#include "vecload.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static sarx_subject *s_ref, *s_got;

/* got (its status rc and error e) against the reference reading of text. */
static void same(const char *how, const char *text, size_t len, int rc, const sarx_error *e)
{
    sarx_error re;
    int ref = sarx__subject_from_json_slow(s_ref, text, len, &re);
    if (ref != rc || (ref == SARX_OK && !sarx__subject_same(s_ref, s_got)) ||
        (ref != SARX_OK && strcmp(re.message, e->message) != 0)) {
        h_fail++;
        fprintf(stderr, "FAIL %s: %.*s\n  reference %d \"%s\"\n  got       %d \"%s\"\n", how, (int)len, text, ref,
                ref ? re.message : "", rc, rc ? e->message : "");
    } else {
        h_pass++;
    }
}

static void through_text(const char *text, size_t len)
{
    sarx_error e;
    int rc = sarx_subject_from_json(s_got, text, len, &e);
    same("sarx_subject_from_json", text, len, rc, &e);
}

static void through_host_ex(const char *text, size_t len, int by_index)
{
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL), *v;
    const char *key;
    sarx_error e;
    int rc = SARX_OK;
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return; /* a host has an object, or nothing */
    }
    sarx_subject_clear(s_got);
    json_object_foreach(root, key, v) {
        if ((rc = host_set_ex(s_got, key, v, &e, by_index)) != SARX_OK)
            break;
    }
    if (rc == SARX_OK)
        rc = sarx_subject_finish(s_got, &e);
    json_decref(root);
    same(by_index ? "sarx_subject_set_json_field/_double" : "sarx_subject_set_json", text, len, rc, &e);
}

static void through_host(const char *text, size_t len)
{
    through_host_ex(text, len, 0);
    through_host_ex(text, len, 1);
}

static void vectors(int argc, char **argv)
{
    int i, n = 0;
    for (i = 1; i < argc; i++) {
        vcase *cases = NULL;
        int nc = vec_load(argv[i], &cases), k;
        if (nc < 0) {
            h_fail++;
            fprintf(stderr, "FAIL: cannot read %s\n", argv[i]);
            nc = 0;
        }
        for (k = 0; k < nc; k++) {
            through_text(cases[k].in, strlen(cases[k].in));
            through_host(cases[k].in, strlen(cases[k].in));
            n++;
        }
        vec_free(cases, nc);
    }
    printf("(%d vector inputs, three ways each)\n", n);
    CHECK(n > 500 || argc == 1);
}

/* Texts at the edges of the fast reader: each must read as jansson reads it. */
static void edges(void)
{
    static const char *const texts[] = {
        "{}", " { } ", "\xEF\xBB\xBF{\"sex\":\"male\"}", "{\"sex\":\"male\",}", "{,}", "{\"sex\" \"male\"}",
        "{\"sex\":\"male\"", "{\"sex\":\"male\"} x", "{\"sex\":\"male\"}\n\n", "[]", "\"male\"", "", "   ",
        "{\"sex\":\"m\\u0061le\"}", "{\"se\\u0078\":\"male\"}", "{\"id\":\"caf\xC3\xA9\"}", "{\"id\":\"\xFF\"}",
        "{\"sex\":\"male\",\"sex\":\"male\"}", "{\"sex\":\"male\",\"sex\":\"female\"}",
        "{\"grip_kg\":20,\"grip_lb\":44}", "{\"age_years\":-0}", "{\"grip_kg\":-0.0}", "{\"grip_kg\":01}",
        "{\"grip_kg\":+5}", "{\"grip_kg\":.5}", "{\"grip_kg\":5.}", "{\"grip_kg\":1e999}", "{\"grip_kg\":2e1}",
        "{\"grip_kg\":2E+1}", "{\"grip_kg\":20.0000000000000000001}", "{\"age_years\":79.0}",
        "{\"age_years\":99999999999999999999}", "{\"id\":12}", "{\"id\":-0}", "{\"id\":1.5}", "{\"id\":1e2}",
        "{\"sex\":true}", "{\"chair_stand_unable\":true}", "{\"chair_stand_unable\":1}",
        "{\"chair_stand_unable\":tru}", "{\"chair_stand_unable\":nul}", "{\"grip_kg\":null,\"sex\":null}",
        "{\"conditions\":[\"copd\",\"heart failure\"]}", "{\"conditions\":[\"a]b\",\"c}d\"]}",
        "{\"conditions\":[{\"system\":\"icd10\",\"code\":\"C34.1\"}]}", "{\"conditions\":[\"x\"}",
        "{\"conditions\":[\"x\\\"]\"]}", "{\"conditions\":[1]}", "{\"conditions\":\"copd\"}",
        "{\"weight_history\":[{\"date\":\"2026-01-01\",\"weight_kg\":70},{\"date\":\"2026-06-01\",\"weight_kg\":64}],\"assessment_date\":\"2026-06-01\"}",
        "{\"weight_history\":[{\"date\":\"2026-01-01\",\"weight_kg\":70,\"date\":\"2026-01-02\"}]}",
        "{\"weight_history\":{}}", "{\"grip_kg\":[20]}", "{\"grip_kg\":{\"a\":1}}", "{\"grip_kg\":\"20\"}",
        "{\"nosuchfield\":1}", "{\"grip\":20}", "{\"grip_kg\":500}", "{\"sex\":\"Male\"}", "{\"sex\":\"other\"}",
        "{\"sarc_f\":3,\"sarc_f_strength\":2,\"sarc_f_rise\":2}", "{\"sex\":\"male\"\t,\r\n\"age_years\" : 70 }",
        "{\"id\":\"a\tb\"}", "{\"grip_kg\":20 20}", "{\"grip_kg\":-}", "{\"grip_kg\":1e}", "{\"grip_kg\":1.e5}",
        "{\"grip_kg\":--1}", "{\"\":1}", "{\"grip_kg\":20}{}", "{\"assessment_date\":\"2026-02-30\"}",
    };
    size_t i;
    char nul[] = "{\"sex\":\"male\"\0}";
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        through_text(texts[i], strlen(texts[i]));
        through_host(texts[i], strlen(texts[i]));
    }
    through_text(nul, sizeof nul - 1);
    { /* an unknown key longer than any buffer of the key-by-key reading (found by fuzz_hostjson) */
        char lng[1024];
        memset(lng, 'B', sizeof lng);
        memcpy(lng, "{\"sex\":\"male\",\"", 15);
        memcpy(lng + sizeof lng - 6, "\":1}", 4);
        lng[sizeof lng - 2] = '\0';
        through_text(lng, strlen(lng));
        through_host(lng, strlen(lng));
    }
    { /* more keys than the fast reader tracks: every field once */
        char big[16384];
        size_t k, at = 0;
        at += (size_t)snprintf(big + at, sizeof big - at, "{");
        for (k = 0; k < sarx_field_count() && at < sizeof big - 200; k++) {
            const sarx_field_info *fi = sarx_field_at(k);
            if (strcmp(fi->name, fi->canonical) != 0 || fi->kind != SARX_KIND_NUMBER)
                continue;
            at += (size_t)snprintf(big + at, sizeof big - at, "%s\"%s\":%g", at > 1 ? "," : "", fi->name,
                                   (fi->min + fi->max) / 2);
        }
        snprintf(big + at, sizeof big - at, "}");
        through_text(big, strlen(big));
        through_host(big, strlen(big));
    }
    /* a host's own misuse: a number that is not JSON, a key with a NUL */
    {
        sarx_error e;
        sarx_subject_clear(s_got);
        CHECK(sarx_subject_set_json(s_got, "grip_kg", 7, SARX_JSON_NUMBER, "+5", 2, &e) == SARX_ESYNTAX);
        CHECK(sarx_subject_set_json(s_got, "grip_kg", 7, SARX_JSON_NUMBER, "20", 2, &e) == SARX_OK);
        CHECK(sarx_subject_get(s_got, "grip_kg") == 20);
        CHECK(sarx_subject_set_json(s_got, "grip_kg\0x", 9, SARX_JSON_NUMBER, "20", 2, &e) == SARX_EFIELD);
        CHECK(sarx_subject_set_json(s_got, "grip_kg", 7, 99, "20", 2, &e) == SARX_EINVAL);
        CHECK(sarx_subject_set_json(NULL, "grip_kg", 7, SARX_JSON_NUMBER, "20", 2, &e) == SARX_EINVAL);
        CHECK(sarx_subject_finish(NULL, &e) == SARX_EINVAL);
        sarx_subject_clear(s_got);
        CHECK(sarx_subject_set_json(s_got, "sarc_f", 6, SARX_JSON_NUMBER, "10", 2, &e) == SARX_OK);
        CHECK(sarx_subject_set_json(s_got, "sarc_f_strength", 15, SARX_JSON_NUMBER, "0", 1, &e) == SARX_OK);
        CHECK(sarx_subject_finish(s_got, &e) != SARX_OK && strstr(e.message, "sarc_f") != NULL);
        CHECK(isnan(sarx_subject_get(s_got, "sarc_f"))); /* cleared */
    }
    /* the lookup by index, and its misuse */
    {
        sarx_error e, t;
        long g = sarx_field_index("grip_kg", 7), lb = sarx_field_index("weight_lb", 9);
        CHECK(g >= 0 && strcmp(sarx_field_at((size_t)g)->name, "grip_kg") == 0);
        CHECK(lb >= 0 && strcmp(sarx_field_at((size_t)lb)->name, "weight_lb") == 0);
        CHECK(sarx_field_index("grip_kgx", 7) == g); /* keylen bytes only */
        CHECK(sarx_field_index("nosuch", 6) == -1 && sarx_field_index(NULL, 0) == -1 && sarx_field_index("", 0) == -1);
        CHECK(sarx_field_index(NULL, 3) == -1);
        sarx_subject_clear(s_got);
        CHECK(sarx_subject_set_json_double(s_got, lb, 154.0, &e) == SARX_OK);
        CHECK(fabs(sarx_subject_get(s_got, "weight_kg") - 154.0 * 0.45359237) < 1e-9);
        CHECK(sarx_subject_set_json_double(s_got, sarx_field_index("weight_kg", 9), 70, &e) == SARX_ECONFLICT);
        CHECK(sarx_subject_set_json_double(s_got, sarx_field_index("sex", 3), 1, &e) == SARX_EINVAL);
        CHECK(sarx_subject_set_json_double(s_got, -1, 1, &e) == SARX_EINVAL);
        CHECK(sarx_subject_set_json_double(s_got, (long)sarx_field_count(), 1, &e) == SARX_EINVAL);
        CHECK(sarx_subject_set_json_double(NULL, g, 1, &e) == SARX_EINVAL);
        /* out of range: the message of the same number given as text */
        sarx_subject_clear(s_got);
        CHECK(sarx_subject_set_json_double(s_got, g, 500, &e) == SARX_ERANGE);
        sarx_subject_clear(s_got);
        CHECK(sarx_subject_set_json(s_got, "grip_kg", 7, SARX_JSON_NUMBER, "500", 3, &t) == SARX_ERANGE);
        CHECK(strcmp(e.message, t.message) == 0);
        CHECK(sarx_subject_set_json_double(s_got, sarx_field_index("sppb_score", 10), 7.5, &e) == SARX_ETYPE);
        CHECK(sarx_subject_set_json_double(s_got, g, NAN, &e) == SARX_ERANGE);
        /* an unknown key (-1) is the key's own error */
        CHECK(sarx_subject_set_json_field(s_got, -1, "grip", 4, SARX_JSON_NUMBER, "20", 2, &e) == SARX_EFIELD);
        CHECK(strstr(e.message, "grip") != NULL);
        CHECK(sarx_subject_set_json_field(s_got, -2, "grip", 4, SARX_JSON_NUMBER, "20", 2, &e) == SARX_EINVAL);
        CHECK(sarx_subject_set_json_field(s_got, (long)sarx_field_count(), "grip", 4, SARX_JSON_NUMBER, "20", 2, &e) ==
              SARX_EINVAL);
        CHECK(sarx_subject_set_json_field(s_got, g, "grip_kg", 7, 99, "20", 2, &e) == SARX_EINVAL);
        CHECK(sarx_subject_set_json_field(NULL, g, "grip_kg", 7, SARX_JSON_NUMBER, "20", 2, &e) == SARX_EINVAL);
    }
}

/* The readings against each definition's categories, and the JSON of the
** aggregates against the statistics they report. */
static void aggregates(void)
{
    sarx_ctx *ctx;
    const sarx_definition *ew, *fe;
    sarx_class c = {SARX_INDETERMINATE, 0};
    char *j;
    double lo, hi;
    char want[128];
    if (sarx_ctx_new(&ctx, NULL) != SARX_OK) {
        h_fail++;
        return;
    }
    ew = sarx_definition_find(ctx, "ewgsop2");
    fe = sarx_definition_find(ctx, "fearon2011");
    CHECK(ew && fe);
    if (ew && fe) {
        size_t k;
        for (k = 0; k < sarx_definition_category_count(ew); k++) {
            const char *name = sarx_definition_category(ew, k);
            c.category = (unsigned char)k;
            c.complete = 1;
            CHECK_INT(sarx_definition_reading(ew, c),
                      sarx_definition_category_positive(ew, k) ? SARX_READING_POSITIVE : SARX_READING_NEGATIVE);
            c.complete = 0; /* probable sarcopenia without a mass: could still become positive */
            if (strcmp(name, "probable_sarcopenia") == 0 || strcmp(name, "no_sarcopenia") == 0)
                CHECK_INT(sarx_definition_reading(ew, c), SARX_READING_UNDECIDED);
        }
        c.category = SARX_INDETERMINATE;
        c.complete = 0;
        CHECK_INT(sarx_definition_reading(ew, c), SARX_READING_UNDECIDED);
        for (k = 0; k < sarx_definition_category_count(fe); k++)
            if (strcmp(sarx_definition_category(fe, k), "not_applicable") == 0) {
                c.category = (unsigned char)k;
                c.complete = 1;
                CHECK_INT(sarx_definition_reading(fe, c), SARX_READING_NOT_APPLICABLE);
            }
    }
    CHECK(sarx_definition_reading(NULL, c) < 0);
    j = sarx_prevalence_json(3, 7, 2, 1, 4);
    CHECK(j && strstr(j, "\"n\":13,\"invalid\":4,\"decided\":10,\"undecided\":2,\"not_applicable\":1,\"positive\":3"));
    CHECK(j && strstr(j, "\"prevalence\":0.3,\"percent\":30.0"));
    sarx_wilson(3, 10, &lo, &hi);
    snprintf(want, sizeof want, "\"ci95\":[%.6g,%.6g]", lo, hi);
    CHECK(j && strstr(j, want));
    sarx_free(j);
    j = sarx_prevalence_json(0, 0, 5, 0, 0);
    CHECK(j && strstr(j, "\"decided\":0") && strstr(j, "\"prevalence\":null") && strstr(j, "\"ci95\":null"));
    sarx_free(j);
    CHECK(sarx_prevalence_json(-1, 0, 0, 0, 0) == NULL);
    j = sarx_agreement_json(10, 2, 3, 40, 5, 1);
    CHECK(j && strstr(j, "\"n\":60,\"invalid\":1,\"pairs\":55,\"table\":[[10,2],[3,40]]"));
    snprintf(want, sizeof want, "\"kappa\":%.6g", sarx_kappa(10, 2, 3, 40));
    CHECK(j && strstr(j, want));
    sarx_free(j);
    j = sarx_agreement_json(0, 0, 0, 0, 3, 0);
    CHECK(j && strstr(j, "\"agreement\":null") && strstr(j, "\"kappa\":null"));
    sarx_free(j);
    CHECK(sarx_agreement_json(0, 0, 0, -1, 0, 0) == NULL);
    sarx_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    if (sarx_subject_new(&s_ref) != SARX_OK || sarx_subject_new(&s_got) != SARX_OK)
        return 1;
    vectors(argc, argv);
    edges();
    aggregates();
    sarx_subject_free(s_ref);
    sarx_subject_free(s_got);
    return h_summary("host JSON");
}
