/*
** fhir_out.c — the FHIR R4 corpus sarx writes (docs/FHIR.md, "Out"), and
** its checks in C.
**
**   fhir_out [OUTDIR] VECTORS...
**
** For every input of the vector files that the library accepts: the
** assessment as a Bundle (sarx_fhir_bundle, with and without
** SARX_FHIR_SUGGEST_CONDITIONS) and the subject as a Bundle
** (sarx_fhir_subject_bundle); and the terminology (sarx_fhir_terminology).
** Checks: the Bundles' structure and required elements, every code of a
** sarx CodeSystem is in the terminology, every definition, category and
** criterion appears somewhere in the corpus, the output is reproducible.
** With OUTDIR ("-" for none), every distinct file is written there for the
** validators (tests/fhir/validate.mjs, run by tests/cli/fhir_validate.sh).
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "sarx.h"

#include <jansson.h>
#include <stdlib.h>

#define SARX_CS_PREFIX "urn:sarx:fhir:CodeSystem:"

/* ---- a small set of strings ---- */
typedef struct strset {
    char **s;
    size_t n, cap;
} strset;

static int set_has(const strset *t, const char *s)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        if (strcmp(t->s[i], s) == 0)
            return 1;
    return 0;
}

static void set_add(strset *t, const char *s)
{
    if (set_has(t, s))
        return;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->s = realloc(t->s, t->cap * sizeof *t->s);
        if (!t->s)
            abort();
    }
    t->s[t->n++] = strdup(s);
}

static void set_free(strset *t)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
}

static strset terminology; /* "system|code" of every concept of sarx's CodeSystems */
static strset seen;        /* "system|code" of every sarx code the corpus uses */
static strset written;     /* the hashes of the files written */
static const char *outdir;
static int nfiles, bad_codes;

static void walk_codes(const json_t *v, const char *where)
{
    size_t i;
    const char *k;
    json_t *x;
    if (json_is_object(v)) {
        const char *sys = json_string_value(json_object_get(v, "system"));
        const char *code = json_string_value(json_object_get(v, "code"));
        if (sys && code && strncmp(sys, SARX_CS_PREFIX, strlen(SARX_CS_PREFIX)) == 0) {
            char key[512];
            snprintf(key, sizeof key, "%s|%s", sys, code);
            set_add(&seen, key);
            if (!set_has(&terminology, key)) {
                bad_codes++;
                fprintf(stderr, "FAIL %s: code %s is not in the terminology\n", where, key);
            }
        }
        json_object_foreach((json_t *)v, k, x) walk_codes(x, where);
    } else if (json_is_array(v))
        json_array_foreach(v, i, x) walk_codes(x, where);
}

static void write_file(const char *name, const char *text)
{
    char path[1024], key[32];
    unsigned long long h = 0xcbf29ce484222325ull;
    const char *p;
    FILE *f;
    if (!outdir)
        return;
    for (p = text; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    snprintf(key, sizeof key, "%016llx", h);
    if (set_has(&written, key))
        return;
    set_add(&written, key);
    snprintf(path, sizeof path, "%s/%s.json", outdir, name);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
    nfiles++;
}

static int has_note(const json_t *res, const char *text)
{
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(res, "note"), i, n)
    {
        const char *t = json_string_value(json_object_get(n, "text"));
        if (t && strstr(t, text))
            return 1;
    }
    return 0;
}

static const char *str_at(const json_t *o, const char *a, const char *b)
{
    const json_t *x = json_object_get(o, a);
    return json_string_value(b ? json_object_get(x, b) : x);
}

/* Structure every Bundle must have; returns the parsed Bundle. */
static json_t *check_bundle(const char *text, const char *where)
{
    json_error_t e;
    json_t *b = text ? json_loads(text, 0, &e) : NULL, *ent;
    size_t i;
    CHECK(b != NULL);
    if (!b) {
        fprintf(stderr, "  in %s\n", where);
        return NULL;
    }
    CHECK_STR(str_at(b, "resourceType", NULL), "Bundle");
    CHECK_STR(str_at(b, "type", NULL), "collection");
    json_array_foreach(json_object_get(b, "entry"), i, ent)
    {
        const char *url = str_at(ent, "fullUrl", NULL);
        json_t *res = json_object_get(ent, "resource");
        const char *type = str_at(res, "resourceType", NULL);
        if (!url || !type || (strncmp(url, "urn:uuid:", 9) != 0 && strncmp(url, "urn:sarx:", 9) != 0)) {
            h_fail++;
            fprintf(stderr, "FAIL %s: entry %zu has no fullUrl or resourceType\n", where, i);
            continue;
        }
        if (strcmp(type, "Observation") == 0) {
            int ok = str_at(res, "status", NULL) && json_object_get(res, "code") && str_at(res, "subject", "reference");
            ok = ok && (json_object_get(res, "valueCodeableConcept") || json_object_get(res, "valueQuantity") ||
                        json_object_get(res, "valueBoolean") || json_object_get(res, "valueString") ||
                        json_object_get(res, "valueInteger"));
            if (ok) h_pass++; else { h_fail++; fprintf(stderr, "FAIL %s: Observation %zu lacks an element\n", where, i); }
        } else if (strcmp(type, "RiskAssessment") == 0) {
            int ok = str_at(res, "status", NULL) && str_at(res, "subject", "reference") &&
                     json_array_size(json_object_get(res, "prediction")) == 1 &&
                     json_array_size(json_object_get(res, "basis")) >= 1 && has_note(res, "Decision support");
            if (ok) h_pass++; else { h_fail++; fprintf(stderr, "FAIL %s: RiskAssessment %zu lacks an element\n", where, i); }
        } else if (strcmp(type, "Condition") == 0) {
            const json_t *vs = json_object_get(res, "verificationStatus");
            const char *ver = json_string_value(json_object_get(json_array_get(json_object_get(vs, "coding"), 0), "code"));
            int ok = json_object_get(res, "code") && str_at(res, "subject", "reference");
            if (json_object_get(res, "evidence")) /* a suggestion, not an input condition */
                ok = ok && ver && strcmp(ver, "provisional") == 0 && has_note(res, "Decision support");
            if (ok) h_pass++; else { h_fail++; fprintf(stderr, "FAIL %s: Condition %zu lacks an element\n", where, i); }
        }
    }
    walk_codes(b, where);
    return b;
}

/* The assessment's Bundle: one result Observation per definition, in order,
** each with the disclaimer and the citation. */
static void check_results(const json_t *b, const sarx_assessment *a, int conditions, const char *where)
{
    size_t i, k = 0, n = sarx_assessment_result_count(a), nres = 0, ncond = 0;
    json_t *ent;
    json_array_foreach(json_object_get(b, "entry"), i, ent)
    {
        json_t *res = json_object_get(ent, "resource");
        const char *type = str_at(res, "resourceType", NULL);
        const json_t *coding = json_array_get(json_object_get(json_object_get(res, "code"), "coding"), 0);
        const char *sys = str_at(coding, "system", NULL);
        if (strcmp(type, "Condition") == 0)
            ncond++;
        if (strcmp(type, "Observation") == 0 && sys && strcmp(sys, "http://loinc.org") == 0 &&
            str_at(coding, "code", NULL) && strcmp(str_at(coding, "code", NULL), "75305-3") == 0) {
            /* GLIM's Nutrition status: US Core's nutrition-assessment category */
            const json_t *cc = json_array_get(json_object_get(json_array_get(json_object_get(res, "category"), 0),
                                                              "coding"), 0);
            CHECK_STR(str_at(cc, "system", NULL), "http://hl7.org/fhir/us/core/CodeSystem/us-core-category");
            CHECK_STR(str_at(cc, "code", NULL), "nutrition-assessment");
        }
        if (strcmp(type, "Observation") != 0 || !sys || strcmp(sys, SARX_CS_PREFIX "definition") != 0)
            continue;
        nres++;
        if (k < n) {
            const sarx_result *r = sarx_assessment_result(a, k++);
            const sarx_definition *d = sarx_result_definition(r);
            char cat[256];
            snprintf(cat, sizeof cat, "%s.%s", sarx_definition_id(d), sarx_result_category(r));
            CHECK_STR(str_at(coding, "code", NULL), sarx_definition_id(d));
            CHECK_STR(json_string_value(json_object_get(
                          json_array_get(json_object_get(json_object_get(res, "valueCodeableConcept"), "coding"), 0),
                          "code")),
                      cat);
            CHECK(has_note(res, "Decision support, not a diagnosis"));
            CHECK(has_note(res, sarx_definition_citation(d)));
            CHECK(json_array_size(json_object_get(res, "component")) >= sarx_result_criterion_count(r) + 1);
        }
    }
    CHECK_INT(nres, n);
    if (!conditions)
        CHECK_INT(ncond, 0);
    else { /* M62.84 exactly when a definition that is more than muscle mass gives a sarcopenia category */
        int want = 0, got = 0;
        for (k = 0; k < n; k++) {
            const sarx_result *r = sarx_assessment_result(a, k);
            const char *id = sarx_definition_id(sarx_result_definition(r)), *c = sarx_result_category(r);
            if (strcmp(sarx_definition_kind(sarx_result_definition(r)), "sarcopenia") == 0 &&
                strcmp(id, "baumgartner1998") != 0 && strcmp(id, "janssen2004") != 0 &&
                (strcmp(c, "sarcopenia") == 0 || strcmp(c, "severe_sarcopenia") == 0 ||
                 strcmp(c, "weakness_low_lean_mass") == 0 || strcmp(c, "weakness_slowness_low_lean_mass") == 0))
                want = 1;
        }
        json_array_foreach(json_object_get(b, "entry"), i, ent)
        {
            json_t *res = json_object_get(ent, "resource");
            const json_t *coding = json_array_get(json_object_get(json_object_get(res, "code"), "coding"), 0);
            if (strcmp(str_at(res, "resourceType", NULL), "Condition") == 0 && str_at(coding, "code", NULL) &&
                strcmp(str_at(coding, "code", NULL), "M62.84") == 0)
                got = 1;
        }
        CHECK_INT(got, want);
    }
    (void)where;
}

static void load_terminology(const sarx_ctx *ctx)
{
    char *t = sarx_fhir_terminology(ctx, SARX_RENDER_PRETTY);
    json_t *b, *ent;
    size_t i;
    b = check_bundle(t, "terminology");
    json_array_foreach(json_object_get(b, "entry"), i, ent)
    {
        json_t *res = json_object_get(ent, "resource"), *c;
        const char *url = str_at(res, "url", NULL);
        size_t j, before = terminology.n;
        if (strcmp(str_at(res, "resourceType", NULL), "CodeSystem") != 0)
            continue;
        json_array_foreach(json_object_get(res, "concept"), j, c)
        {
            char key[512];
            snprintf(key, sizeof key, "%s|%s", url, str_at(c, "code", NULL));
            set_add(&terminology, key);
        }
        CHECK_INT(terminology.n - before, json_array_size(json_object_get(res, "concept"))); /* codes unique */
        CHECK_INT(json_integer_value(json_object_get(res, "count")), json_array_size(json_object_get(res, "concept")));
    }
    /* the terminology's own codes are not "seen": reset after checking */
    json_decref(b);
    set_free(&seen);
    memset(&seen, 0, sizeof seen);
    write_file("terminology", t);
    sarx_free(t);
}

static void one_case(const sarx_ctx *ctx, sarx_subject *s, const char *json, int num)
{
    sarx_error err;
    sarx_assessment *a = NULL;
    char name[64], pid[32], *t1, *t2, *t3, *sb;
    json_t *b;
    if (sarx_subject_from_json(s, json, strlen(json), &err) != SARX_OK)
        return;
    if (sarx_assess(ctx, s, &a, &err) != SARX_OK)
        return;
    t1 = sarx_fhir_bundle(a, NULL, 0);
    t2 = sarx_fhir_bundle(a, NULL, 0);
    t3 = sarx_fhir_bundle(a, NULL, SARX_FHIR_SUGGEST_CONDITIONS | SARX_RENDER_PRETTY);
    CHECK(t1 && t2 && strcmp(t1, t2) == 0); /* reproducible */
    snprintf(name, sizeof name, "case%04d-result", num);
    if ((b = check_bundle(t1, name)) != NULL) {
        check_results(b, a, 0, name);
        json_decref(b);
    }
    write_file(name, t1);
    snprintf(name, sizeof name, "case%04d-result-conditions", num);
    if ((b = check_bundle(t3, name)) != NULL) {
        check_results(b, a, 1, name);
        json_decref(b);
    }
    write_file(name, t3);
    snprintf(pid, sizeof pid, "case%04d", num);
    sb = sarx_fhir_subject_bundle(s, pid, SARX_RENDER_PRETTY);
    snprintf(name, sizeof name, "case%04d-subject", num);
    if ((b = check_bundle(sb, name)) != NULL) {
        json_t *pat = json_object_get(json_array_get(json_object_get(b, "entry"), 0), "resource");
        CHECK_STR(str_at(pat, "resourceType", NULL), "Patient");
        CHECK_STR(str_at(pat, "id", NULL), pid);
        json_decref(b);
    }
    write_file(name, sb);
    sarx_free(t1);
    sarx_free(t2);
    sarx_free(t3);
    sarx_free(sb);
    sarx_assessment_free(a);
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx = NULL;
    sarx_subject *s = NULL;
    sarx_error err;
    int i, num = 0;
    size_t d, j, missing = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: fhir_out OUTDIR|- VECTORS...\n");
        return 2;
    }
    outdir = strcmp(argv[1], "-") == 0 ? NULL : argv[1];
    if (sarx_ctx_new(&ctx, &err) != SARX_OK || sarx_subject_new(&s) != SARX_OK)
        return 2;
    load_terminology(ctx);
    for (i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        CHECK(f != NULL);
        if (!f)
            continue;
        while ((len = getline(&line, &cap, f)) > 0) {
            if (strncmp(line, "in: ", 4) != 0)
                continue;
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
            one_case(ctx, s, line + 4, ++num);
        }
        free(line);
        fclose(f);
    }
    /* Coverage: every definition, category and criterion somewhere. */
    for (d = 0; d < sarx_definition_count(ctx); d++) {
        const sarx_definition *def = sarx_definition_at(ctx, d);
        char key[512];
        snprintf(key, sizeof key, SARX_CS_PREFIX "definition|%s", sarx_definition_id(def));
        if (!set_has(&seen, key)) {
            missing++;
            fprintf(stderr, "FAIL coverage: definition %s never written\n", key);
        }
        for (j = 0; j < sarx_definition_category_count(def); j++) {
            snprintf(key, sizeof key, SARX_CS_PREFIX "category|%s.%s", sarx_definition_id(def),
                     sarx_definition_category(def, j));
            if (!set_has(&seen, key)) {
                missing++;
                fprintf(stderr, "FAIL coverage: category %s never written\n", key);
            }
        }
        for (j = 0; j < sarx_definition_criterion_count(def); j++) {
            snprintf(key, sizeof key, SARX_CS_PREFIX "criterion|%s.%s", sarx_definition_id(def),
                     sarx_definition_criterion(def, j));
            if (!set_has(&seen, key)) {
                missing++;
                fprintf(stderr, "FAIL coverage: criterion %s never written\n", key);
            }
        }
    }
    CHECK_INT(missing, 0);
    CHECK_INT(bad_codes, 0);
    CHECK(num > 100);
    fprintf(stderr, "fhir_out: %d inputs, %d distinct files written%s%s\n", num, nfiles, outdir ? " to " : "",
            outdir ? outdir : "");
    set_free(&terminology);
    set_free(&seen);
    set_free(&written);
    sarx_subject_free(s);
    sarx_ctx_free(ctx);
    return h_summary("fhir_out");
}
