/*
** tests/fhir_in.c — sarx_fhir_read: a realistic Bundle into the expected
** subject and categories, every error case with its message, --as-of.
** Run from the repository root (reads tests/fhir/in/).
*/
#include "harness.h"

#include "internal.h"

#include <stdlib.h>

static const sarx_ctx *ctx_for_tests;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    *len = (size_t)n;
    return b;
}

static int has_note(const sarx_fhir_info *in, const char *part)
{
    size_t i;
    for (i = 0; i < sarx_fhir_info_note_count(in); i++)
        if (strstr(sarx_fhir_info_note(in, i), part))
            return 1;
    return 0;
}

static int has_source(const sarx_fhir_info *in, const char *ref)
{
    size_t i;
    for (i = 0; i < sarx_fhir_info_source_count(in); i++)
        if (strcmp(sarx_fhir_info_source(in, i), ref) == 0)
            return 1;
    return 0;
}

#define NEAR(a, b) CHECK(fabs((a) - (b)) < 1e-6)

static const char *category(const sarx_assessment *a, const char *def)
{
    const sarx_result *r = sarx_assessment_find(a, def);
    return r ? sarx_result_category(r) : "?";
}

static void realistic(sarx_ctx *ctx)
{
    size_t len;
    char *j = slurp("tests/fhir/in/patient.json", &len);
    sarx_subject *s;
    sarx_fhir_info *in = NULL;
    sarx_assessment *a = NULL;
    sarx_error e;
    CHECK(j != NULL);
    if (!j)
        return;
    sarx_subject_new(&s);
    CHECK_INT(sarx_fhir_read(j, len, NULL, s, &in, &e), SARX_OK);
    if (!in) {
        fprintf(stderr, "%s\n", e.message);
        return;
    }
    CHECK_STR(sarx_fhir_info_as_of(in), "2026-03-01");
    CHECK_STR(sarx_fhir_info_as_of_source(in), "latest weight");
    CHECK_STR(sarx_fhir_info_patient(in), "p1");
    CHECK_STR(sarx_subject_id(s), "p1");
    NEAR(sarx_subject_get(s, "sex"), 1);
    NEAR(sarx_subject_get(s, "age_years"), 70); /* born 1955-06-15, 2026-03-01 */
    NEAR(sarx_subject_get(s, "weight_kg"), 74);
    NEAR(sarx_subject_get(s, "height_cm"), 175);
    NEAR(sarx_subject_get(s, "grip_kg"), 60 * 0.45359237); /* right hand, latest session, in lbf */
    NEAR(sarx_subject_get(s, "gait_speed_m_s"), 0.7);
    NEAR(sarx_subject_get(s, "crp_mg_l"), 12); /* the later CRP, 1.2 mg/dL */
    NEAR(sarx_subject_get(s, "albumin_g_dl"), 3.1);
    NEAR(sarx_subject_get(s, "hemoglobin_g_dl"), 11.5);
    NEAR(sarx_subject_get(s, "ecog"), 1);
    CHECK(isnan(sarx_subject_get(s, "chair_stand_5x_s")));
    CHECK(has_note(in, "Observation/w-pre: status preliminary, ignored"));
    CHECK(has_note(in, "Observation/w-err: status entered-in-error, ignored"));
    CHECK(has_note(in, "Observation/bp1: code 85354-9 is not mapped, ignored"));
    CHECK(has_note(in, "Observation/cs1: code chair_stand_5x_s has dataAbsentReason not-performed"));
    CHECK(has_note(in, "Condition/c2: clinicalStatus resolved, ignored"));
    CHECK(has_note(in, "Practitioner/dr1: resource type not read"));
    CHECK(has_source(in, "Observation/w1") && has_source(in, "Observation/w2") && has_source(in, "Observation/w3"));
    CHECK(has_source(in, "Observation/gl2") && has_source(in, "Observation/gr2"));
    CHECK(!has_source(in, "Observation/gl1") && !has_source(in, "Observation/crp1"));
    CHECK(!has_source(in, "Observation/w-pre"));
    CHECK_STR(sarx_fhir_info_source(in, 0), "Observation/w1"); /* the Bundle's order */
    CHECK_INT(sarx_assess(ctx, s, &a, &e), SARX_OK);
    if (a) {
        /* 172 lb = 78.018 kg on 2025-11-01 -> 74 kg: 5.15 % in 6 months; 82 -> 74: 9.76 % in 12 */
        NEAR(sarx_assessment_derived(a, "weight_loss_pct_6m"), (172 * 0.45359237 - 74) * 100 / (172 * 0.45359237));
        NEAR(sarx_assessment_derived(a, "weight_loss_pct_12m"), (82.0 - 74) * 100 / 82);
        CHECK_STR(category(a, "fearon2011"), "cachexia");
        sarx_assessment_free(a);
    }
    sarx_fhir_info_free(in);
    /* --as-of: an earlier date drops what came after it. */
    CHECK_INT(sarx_fhir_read(j, len, "2025-12-01", s, &in, &e), SARX_OK);
    if (in) {
        CHECK_STR(sarx_fhir_info_as_of(in), "2025-12-01");
        CHECK_STR(sarx_fhir_info_as_of_source(in), "as_of");
        NEAR(sarx_subject_get(s, "weight_kg"), 172 * 0.45359237);
        NEAR(sarx_subject_get(s, "grip_kg"), 32);
        NEAR(sarx_subject_get(s, "age_years"), 70);
        CHECK(isnan(sarx_subject_get(s, "crp_mg_l")));
        CHECK(has_note(in, "Observation/w3: dated 2026-03-01, after the assessment date 2025-12-01, ignored"));
        sarx_fhir_info_free(in);
    }
    CHECK_INT(sarx_fhir_read(j, len, "2025-13-01", s, &in, &e), SARX_ESYNTAX);
    CHECK(in == NULL);
    CHECK(strstr(e.message, "as_of: \"2025-13-01\" is not a date") != NULL);
    free(j);
    sarx_subject_free(s);
}

#define PAT "{\"fullUrl\": \"urn:uuid:p\", \"resource\": {\"resourceType\": \"Patient\", \"id\": \"p\", \"gender\": \"female\", \"birthDate\": \"1950\"}}"
#define OBS(id, code, rest) \
    "{\"resource\": {\"resourceType\": \"Observation\", \"id\": \"" id "\", \"status\": \"final\", \"code\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"" code "\"}]}, \"effectiveDateTime\": \"2026-01-05\", " rest "}}"
#define BUNDLE(...) "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [" __VA_ARGS__ "]}"

static void expect(const char *json, int code, const char *msg, int line)
{
    sarx_subject *s;
    sarx_fhir_info *in = NULL;
    sarx_error e;
    int rc;
    sarx_subject_new(&s);
    rc = sarx_fhir_read(json, strlen(json), NULL, s, &in, &e);
    if (rc != code || !strstr(e.message, msg)) {
        h_fail++;
        fprintf(stderr, "FAIL line %d: got %d \"%s\", expected %d \"%s\"\n", line, rc, rc ? e.message : "", code, msg);
    } else
        h_pass++;
    CHECK(in == NULL);
    sarx_subject_free(s);
}
#define EXPECT(j, c, m) expect(j, c, m, __LINE__)

static void errors(void)
{
    EXPECT("", SARX_EEMPTY, "FHIR: empty input");
    EXPECT("{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"Pat", SARX_ESYNTAX,
           "FHIR: malformed JSON at line 1");
    EXPECT("{\"resourceType\": \"Patient\"}", SARX_EVALUE, "expected \"Bundle\", got \"Patient\"");
    EXPECT(BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": \"72\", \"code\": \"kg\"}")), SARX_ETYPE,
           "Observation/w (entry[1].resource.valueQuantity.value): expected a number, got text \"72\"");
    EXPECT(BUNDLE(PAT ", " PAT), SARX_ECONFLICT,
           "Patient/p (entry[1].resource): a second Patient (Patient/p at entry[0])");
    EXPECT("{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"Patient\", \"id\": \"p\", "
           "\"birthDate\": \"1950-01-01\", \"birthDate\": \"1951-01-01\"}}]}",
           SARX_ESYNTAX, "duplicate object key");
    EXPECT(BUNDLE(PAT ", " OBS("w", "29463-7", "\"subject\": {\"reference\": \"Patient/q\"}, \"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}")),
           SARX_EVALUE, "Observation/w (entry[1].resource.subject.reference): \"Patient/q\" is another patient");
    EXPECT(BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 70000, \"code\": \"g\"}")), SARX_EVALUE,
           "Observation/w (entry[1].resource.valueQuantity.code): unit \"g\" is not known for code 29463-7 (allowed kg, [lb_av])");
    EXPECT(BUNDLE(PAT ", {\"resource\": {\"resourceType\": \"Observation\", \"id\": \"x\", \"status\": \"final\", \"code\": "
                      "{\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": \"29463-7\"}]}, "
                      "\"effectiveDateTime\": \"2026-01-05\", \"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}}}"),
           SARX_EVALUE, "Observation/x (entry[1].resource.code.coding[0].system): code 29463-7 is mapped, but not under the system \"http://snomed.info/sct\"");
    EXPECT(BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 700, \"code\": \"kg\"}")), SARX_ERANGE,
           "Observation/w (entry[1].resource.value[x], code 29463-7)");
    EXPECT(BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueString\": \"heavy\"")), SARX_ETYPE,
           "code 29463-7 takes a valueQuantity in kg, [lb_av], not \"heavy\"");
    EXPECT(BUNDLE(PAT ", {\"resource\": {\"resourceType\": \"Observation\", \"id\": \"d\", \"status\": \"final\", \"code\": "
                      "{\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"8302-2\"}]}, \"effectiveDateTime\": "
                      "\"05/01/2026\", \"valueQuantity\": {\"value\": 170, \"code\": \"cm\"}}}"),
           SARX_ESYNTAX, "Observation/d (entry[1].resource.effective[x]): \"05/01/2026\" is not a FHIR date");
    EXPECT("{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"Patient\", \"id\": \"p\", "
           "\"birthDate\": \"1955-13\"}}]}",
           SARX_ESYNTAX, "Patient/p (entry[0].resource.birthDate): \"1955-13\" is not a FHIR date");
    EXPECT("{\"resourceType\": \"Bundle\", \"type\": \"history\"}", SARX_EVALUE, "Bundle (type): \"history\" is not read");
    EXPECT("{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"Patient\", \"id\": 5}}]}",
           SARX_ETYPE, "Patient at entry[0] (entry[0].resource.id): expected text, got a number 5");
}

/* No usable Observation: not an error; every definition is indeterminate
** and names what is missing.  A year-only birthDate leaves the age missing. */
static void empty_bundle(sarx_ctx *ctx)
{
    const char *j = BUNDLE(PAT ", " OBS("w", "29463-7", "\"status\": \"x\"") ", "
                               "{\"resource\": {\"resourceType\": \"QuestionnaireResponse\", \"id\": \"q\"}}");
    sarx_subject *s;
    sarx_fhir_info *in = NULL;
    sarx_assessment *a = NULL;
    sarx_error e;
    sarx_subject_new(&s);
    /* "status" twice in one object is malformed: use a clean Bundle. */
    CHECK_INT(sarx_fhir_read(j, strlen(j), NULL, s, &in, &e), SARX_ESYNTAX);
    j = BUNDLE(PAT ", {\"resource\": {\"resourceType\": \"QuestionnaireResponse\", \"id\": \"q\"}}");
    CHECK_INT(sarx_fhir_read(j, strlen(j), NULL, s, &in, &e), SARX_OK);
    if (in) {
        CHECK_STR(sarx_fhir_info_as_of(in), "");
        CHECK_STR(sarx_fhir_info_as_of_source(in), "");
        CHECK_INT(sarx_fhir_info_source_count(in), 0);
        CHECK(has_note(in, "QuestionnaireResponse/q: status missing, ignored"));
        CHECK(has_note(in, "Patient/p: no assessment date: age left missing"));
        sarx_fhir_info_free(in);
    }
    NEAR(sarx_subject_get(s, "sex"), 2);
    CHECK_INT(sarx_assess(ctx, s, &a, &e), SARX_OK);
    if (a) {
        CHECK_STR(category(a, "ewgsop2"), "indeterminate");
        sarx_assessment_free(a);
    }
    j = BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}"));
    CHECK_INT(sarx_fhir_read(j, strlen(j), NULL, s, &in, &e), SARX_OK);
    if (in) {
        CHECK(has_note(in, "Patient/p: birthDate 1950 does not determine the age in completed years at 2026-01-05"));
        CHECK(isnan(sarx_subject_get(s, "age_years")));
        sarx_fhir_info_free(in);
    }
    CHECK_INT(sarx_fhir_read(j, strlen(j), "2026-12-31", s, &in, &e), SARX_OK);
    NEAR(sarx_subject_get(s, "age_years"), 76); /* every birthday of 1950 is past on 31 Dec 2026 */
    sarx_fhir_info_free(in);
    sarx_subject_free(s);
}

/* SARC-F as a QuestionnaireResponse to sarx's SARC-F Questionnaire: each
** item by its linkId (nested groups too), one answer each; the latest of a
** QuestionnaireResponse and an Observation wins; other questionnaires and
** unfinished responses are noted; wrong answers are errors naming the path. */
#define QR(id, status, q, authored, items)                                                                              \
    "{\"resource\": {\"resourceType\": \"QuestionnaireResponse\", \"id\": \"" id "\", \"status\": \"" status "\", "    \
    "\"questionnaire\": \"" q "\", \"subject\": {\"reference\": \"Patient/p\"}, \"authored\": \"" authored "\", "     \
    "\"item\": [" items "]}}"
#define QSARCF "urn:sarx:fhir:Questionnaire:sarc-f"
#define ITEM(link, answer) "{\"linkId\": \"" link "\", \"answer\": [" answer "]}"
static void questionnaire(void)
{
    const char *j = BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}") ", "
                           QR("q1", "completed", QSARCF, "2026-01-05T10:00:00Z", ITEM("sarc_f_strength", "{\"valueInteger\": 2}") ", "
                              ITEM("sarc_f_assistance", "{\"valueCoding\": {\"code\": \"1\"}}") ", "
                              "{\"linkId\": \"g\", \"item\": [" ITEM("sarc_f_rise", "{\"valueDecimal\": 2}") ", "
                              ITEM("sarc_f_climb", "{\"valueInteger\": 2}") ", " ITEM("sarc_f_falls", "{\"valueInteger\": 1}")
                              "]}, " ITEM("note", "{\"valueString\": \"felt tired\"}")) ", "
                           QR("q2", "in-progress", QSARCF, "2026-01-05", ITEM("sarc_f_falls", "{\"valueInteger\": 2}")) ", "
                           QR("q3", "completed", "http://example.org/Questionnaire/phq9", "2026-01-05",
                              ITEM("sarc_f_falls", "{\"valueInteger\": 2}")) ", "
                           QR("q4", "completed", QSARCF "|1", "2025-12-01", ITEM("sarc_f_climb", "{\"valueInteger\": 0}")));
    /* an item Observation of a later day than the response wins for its field */
    const char *k = BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}") ", "
                           QR("q1", "amended", QSARCF, "2025-12-20", ITEM("sarc_f_falls", "{\"valueInteger\": 2}") ", "
                              ITEM("sarc_f_rise", "{\"valueInteger\": 1}")) ", "
                           "{\"resource\": {\"resourceType\": \"Observation\", \"id\": \"sf\", \"status\": \"final\", "
                           "\"code\": {\"coding\": [{\"system\": \"urn:sarx:fhir:CodeSystem:measure\", \"code\": "
                           "\"sarc_f_falls\"}]}, \"effectiveDateTime\": \"2026-01-02\", \"valueInteger\": 0}}");
    sarx_subject *s;
    sarx_fhir_info *in = NULL;
    sarx_error e;
    size_t n, i;
    sarx_subject_new(&s);
    CHECK_INT(sarx_fhir_read(j, strlen(j), NULL, s, &in, &e), SARX_OK);
    if (in) {
        NEAR(sarx_subject_get(s, "sarc_f_strength"), 2);
        NEAR(sarx_subject_get(s, "sarc_f_assistance"), 1);
        NEAR(sarx_subject_get(s, "sarc_f_rise"), 2);
        NEAR(sarx_subject_get(s, "sarc_f_climb"), 2); /* q1 (2026-01-05) is later than q4 (2025-12-01) */
        NEAR(sarx_subject_get(s, "sarc_f_falls"), 1); /* q2 is in progress, q3 another questionnaire */
        CHECK(has_source(in, "QuestionnaireResponse/q1") && !has_source(in, "QuestionnaireResponse/q4"));
        for (i = 0, n = 0; i < sarx_fhir_info_source_count(in); i++)
            n += strcmp(sarx_fhir_info_source(in, i), "QuestionnaireResponse/q1") == 0;
        CHECK_INT((int)n, 1); /* once, for its five answers */
        CHECK(has_note(in, "QuestionnaireResponse/q1: item note is not a SARC-F item, ignored"));
        CHECK(has_note(in, "QuestionnaireResponse/q2: status in-progress, ignored"));
        CHECK(has_note(in, "QuestionnaireResponse/q3: questionnaire http://example.org/Questionnaire/phq9 is not read"));
        sarx_fhir_info_free(in);
    } else
        fprintf(stderr, "%s\n", e.message);
    CHECK_INT(sarx_fhir_read(k, strlen(k), NULL, s, &in, &e), SARX_OK);
    if (in) {
        NEAR(sarx_subject_get(s, "sarc_f_falls"), 0); /* the Observation of 2026-01-02 */
        NEAR(sarx_subject_get(s, "sarc_f_rise"), 1);
        CHECK(has_source(in, "Observation/sf") && has_source(in, "QuestionnaireResponse/q1"));
        sarx_fhir_info_free(in);
    }
    sarx_subject_free(s);
    EXPECT(BUNDLE(PAT ", " QR("q", "completed", QSARCF, "2026-01-05", ITEM("sarc_f_strength", "{\"valueInteger\": 5}"))),
           SARX_ERANGE, "QuestionnaireResponse/q (entry[1].resource.item, linkId sarc_f_strength): field \"sarc_f_strength\"");
    EXPECT(BUNDLE(PAT ", " QR("q", "completed", QSARCF, "2026-01-05",
                              ITEM("sarc_f_falls", "{\"valueInteger\": 1}, {\"valueInteger\": 0}"))),
           SARX_EVALUE, "QuestionnaireResponse/q (entry[1].resource.item[0].answer): item sarc_f_falls has 2 answers");
    EXPECT(BUNDLE(PAT ", " QR("q", "completed", QSARCF, "2026-01-05",
                              "{\"linkId\": \"g\", \"item\": [" ITEM("sarc_f_rise", "{\"valueString\": \"2\"}") "]}")),
           SARX_ETYPE, "QuestionnaireResponse/q (entry[1].resource.item[0].item[0].answer[0].valueString): expected a score");
    EXPECT(BUNDLE(PAT ", " QR("q", "completed", QSARCF, "2026-01-05", ITEM("sarc_f_rise", "{\"valueCoding\": {\"code\": \"two\"}}"))),
           SARX_ETYPE, "item[0].answer[0].valueCoding.code): expected a score as text");
    EXPECT(BUNDLE(PAT ", " QR("q", "completed", QSARCF, "2026-01-05", ITEM("sarc_f_rise", "{\"valueDecimal\": 1.5}"))),
           SARX_ETYPE, "item[0].answer[0].valueDecimal): expected a whole number");
    EXPECT(BUNDLE(PAT ", " QR("q", "completed", QSARCF, "01/05/2026", ITEM("sarc_f_rise", "{\"valueInteger\": 1}"))),
           SARX_ESYNTAX, "QuestionnaireResponse/q (entry[1].resource.authored)");
    EXPECT(BUNDLE(PAT ", {\"resource\": {\"resourceType\": \"QuestionnaireResponse\", \"id\": \"q\", \"status\": "
                  "\"completed\", \"questionnaire\": \"" QSARCF "\", \"subject\": {\"reference\": \"Patient/other\"}, "
                  "\"authored\": \"2026-01-05\", \"item\": []}}"),
           SARX_EVALUE, "QuestionnaireResponse/q (entry[1].resource.subject.reference): \"Patient/other\" is another patient");
}

/* A censored value is no measurement; a diagnosis not confirmed is no condition (review findings). */
static void not_counted(void)
{
#define COND(id, vs) \
    "{\"resource\": {\"resourceType\": \"Condition\", \"id\": \"" id "\", \"subject\": {\"reference\": \"Patient/p\"}, " \
    "\"verificationStatus\": {\"coding\": [{\"code\": \"" vs "\"}]}, " \
    "\"code\": {\"coding\": [{\"system\": \"http://hl7.org/fhir/sid/icd-10-cm\", \"code\": \"C34.90\"}]}}}"
    const char *j = BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}") ", "
                           OBS("crp", "1988-5", "\"valueQuantity\": {\"value\": 5, \"comparator\": \"<\", \"code\": \"mg/L\"}") ", "
                           COND("c1", "unconfirmed") ", " COND("c2", "provisional") ", " COND("c3", "differential"));
    const char *k = BUNDLE(PAT ", " OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}") ", "
                           COND("c4", "confirmed"));
    sarx_subject *s;
    sarx_fhir_info *in = NULL;
    sarx_assessment *a = NULL;
    sarx_error e;
    sarx_subject_new(&s);
    CHECK_INT(sarx_fhir_read(j, strlen(j), NULL, s, &in, &e), SARX_OK);
    if (in) {
        CHECK(isnan(sarx_subject_get(s, "crp_mg_l")));
        CHECK(has_note(in, "Observation/crp: valueQuantity has a comparator"));
        CHECK(has_note(in, "Condition/c1: verificationStatus unconfirmed, ignored"));
        CHECK(has_note(in, "Condition/c2: verificationStatus provisional, ignored"));
        CHECK(has_note(in, "Condition/c3: verificationStatus differential, ignored"));
        sarx_fhir_info_free(in);
    }
    CHECK_INT(sarx_assess(ctx_for_tests, s, &a, &e), SARX_OK);
    if (a) {
        CHECK(strcmp(category(a, "fearon2011"), "not_applicable") == 0 ||
              strcmp(category(a, "fearon2011"), "indeterminate") == 0); /* no cancer known */
        sarx_assessment_free(a);
    }
    CHECK_INT(sarx_fhir_read(k, strlen(k), NULL, s, &in, &e), SARX_OK);
    sarx_fhir_info_free(in);
    CHECK_INT(sarx_assess(ctx_for_tests, s, &a, &e), SARX_OK);
    if (a) {
        CHECK(strcmp(category(a, "fearon2011"), "not_applicable") != 0); /* a confirmed cancer counts */
        sarx_assessment_free(a);
    }
    sarx_subject_free(s);
#undef COND
}

/* A Condition counts when present on the assessment day: not when its
** onset (else its recordedDate) is after it, nor when it abated on or
** before it; a date without a day cannot be placed and counts. */
static void condition_dates(void)
{
#define CONDD(id, code, dates)                                                                                     \
    "{\"resource\": {\"resourceType\": \"Condition\", \"id\": \"" id "\", \"subject\": {\"reference\": \"Patient/p\"}, " \
    "\"code\": {\"coding\": [{\"system\": \"http://hl7.org/fhir/sid/icd-10-cm\", \"code\": \"" code "\"}]}" dates "}}"
#define WEIGHT OBS("w", "29463-7", "\"valueQuantity\": {\"value\": 70, \"code\": \"kg\"}")
    const char *j = BUNDLE(PAT ", " WEIGHT ", " CONDD("c1", "C34.90", ", \"onsetDateTime\": \"2026-03-01\"") ", "
                           CONDD("c2", "J44.9", ", \"recordedDate\": \"2026-02-01T10:00:00Z\"") ", "
                           CONDD("c3", "I50.9", ", \"abatementDateTime\": \"2025-12-01\"") ", "
                           CONDD("c4", "E11.9", ", \"onsetDateTime\": \"2019\", \"recordedDate\": \"2026-02-01\"") ", "
                           CONDD("c5", "N18.3", ", \"onsetPeriod\": {\"start\": \"2020-05-01\"}") ", "
                           CONDD("c6", "I10", ", \"onsetDateTime\": \"2026-01-05\", \"abatementPeriod\": {\"end\": \"2026-01-06\"}"));
    const char *bad1 = BUNDLE(PAT ", " WEIGHT ", " CONDD("c1", "C34.90", ", \"onsetDateTime\": \"2026-13-01\""));
    const char *bad2 = BUNDLE(PAT ", " WEIGHT ", " CONDD("c1", "C34.90", ", \"onsetPeriod\": \"2020\""));
    const char *bad3 = BUNDLE(PAT ", " WEIGHT ", " CONDD("c1", "C34.90", ", \"abatementDateTime\": 2020"));
    sarx_subject *s;
    sarx_fhir_info *in = NULL;
    sarx_assessment *a = NULL;
    sarx_error e;
    sarx_subject_new(&s);
    CHECK_INT(sarx_fhir_read(j, strlen(j), NULL, s, &in, &e), SARX_OK); /* as of the weight's day, 2026-01-05 */
    if (in) {
        CHECK(has_note(in, "Condition/c1: onset 2026-03-01, after the assessment date 2026-01-05, ignored"));
        CHECK(has_note(in, "Condition/c2: recorded 2026-02-01, after the assessment date 2026-01-05, ignored"));
        CHECK(has_note(in, "Condition/c3: abated 2025-12-01, by the assessment date 2026-01-05, ignored"));
        CHECK(!has_note(in, "Condition/c4") && !has_note(in, "Condition/c5") && !has_note(in, "Condition/c6"));
        sarx_fhir_info_free(in);
    }
    CHECK_INT(sarx_assess(ctx_for_tests, s, &a, &e), SARX_OK);
    if (a) { /* the cancer was diagnosed after the assessment: not known then */
        CHECK(strcmp(category(a, "fearon2011"), "not_applicable") == 0 ||
              strcmp(category(a, "fearon2011"), "indeterminate") == 0);
        sarx_assessment_free(a);
    }
    CHECK_INT(sarx_fhir_read(j, strlen(j), "2026-04-01", s, &in, &e), SARX_OK); /* later: c1 and c2 count */
    if (in) {
        CHECK(!has_note(in, "Condition/c1") && !has_note(in, "Condition/c2"));
        CHECK(has_note(in, "Condition/c3: abated") && has_note(in, "Condition/c6: abated 2026-01-06"));
        sarx_fhir_info_free(in);
    }
    CHECK_INT(sarx_assess(ctx_for_tests, s, &a, &e), SARX_OK);
    if (a) {
        CHECK(strcmp(category(a, "fearon2011"), "not_applicable") != 0);
        sarx_assessment_free(a);
    }
    CHECK_INT(sarx_fhir_read(bad1, strlen(bad1), NULL, s, &in, &e), SARX_ESYNTAX);
    CHECK(strstr(e.message, "Condition/c1") && strstr(e.message, "onsetDateTime") && strstr(e.message, "2026-13-01"));
    CHECK_INT(sarx_fhir_read(bad2, strlen(bad2), NULL, s, &in, &e), SARX_ETYPE);
    CHECK(strstr(e.message, "onsetPeriod") && strstr(e.message, "Period"));
    CHECK_INT(sarx_fhir_read(bad3, strlen(bad3), NULL, s, &in, &e), SARX_ETYPE);
    CHECK(strstr(e.message, "abatementDateTime") != NULL);
    sarx_subject_free(s);
#undef CONDD
#undef WEIGHT
}

/* Two weights on one day: the later in time wins, whatever the Bundle's
** order (a search sorted newest first lists it first); without times, the
** later in the Bundle. */
static void same_day(void)
{
#define W(id, when, kg) \
    "{\"resource\": {\"resourceType\": \"Observation\", \"id\": \"" id "\", \"status\": \"final\", " \
    "\"code\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"29463-7\"}]}, " \
    "\"effectiveDateTime\": \"" when "\", \"valueQuantity\": {\"value\": " kg ", \"code\": \"kg\"}}}"
    const char *newest_first = BUNDLE(PAT ", " W("w1", "2026-03-01T16:00:00Z", "60") ", " W("w2", "2026-03-01T08:00:00Z", "70"));
    const char *zones = BUNDLE(PAT ", " W("w1", "2026-03-01T10:00:00+02:00", "60") ", " W("w2", "2026-03-01T09:30:00Z", "70"));
    const char *untimed = BUNDLE(PAT ", " W("w1", "2026-03-01", "60") ", " W("w2", "2026-03-01", "70"));
    sarx_subject *s;
    sarx_fhir_info *in = NULL;
    sarx_error e;
    sarx_subject_new(&s);
    CHECK_INT(sarx_fhir_read(newest_first, strlen(newest_first), NULL, s, &in, &e), SARX_OK);
    NEAR(sarx_subject_get(s, "weight_kg"), 60);
    CHECK(in && has_note(in, "Observation/w2: a second body weight on 2026-03-01 (Observation/w1 is later), ignored"));
    sarx_fhir_info_free(in);
    CHECK_INT(sarx_fhir_read(zones, strlen(zones), NULL, s, &in, &e), SARX_OK);
    NEAR(sarx_subject_get(s, "weight_kg"), 70); /* 10:00+02:00 is 08:00Z, before 09:30Z */
    sarx_fhir_info_free(in);
    CHECK_INT(sarx_fhir_read(untimed, strlen(untimed), NULL, s, &in, &e), SARX_OK);
    NEAR(sarx_subject_get(s, "weight_kg"), 70);
    sarx_fhir_info_free(in);
    { /* a versioned reference to the Patient is the Patient */
        const char *v = BUNDLE(PAT ", {\"resource\": {\"resourceType\": \"Observation\", \"id\": \"h\", \"status\": \"final\", "
                                   "\"subject\": {\"reference\": \"Patient/p/_history/2\"}, \"code\": {\"coding\": [{\"system\": "
                                   "\"http://loinc.org\", \"code\": \"8302-2\"}]}, \"effectiveDateTime\": \"2026-01-05\", "
                                   "\"valueQuantity\": {\"value\": 160, \"code\": \"cm\"}}}");
        CHECK_INT(sarx_fhir_read(v, strlen(v), NULL, s, &in, &e), SARX_OK);
        NEAR(sarx_subject_get(s, "height_cm"), 160);
        sarx_fhir_info_free(in);
    }
    sarx_subject_free(s);
#undef W
}

/* Every row: a known field, a unique (system, code, unit). */
static void table(void)
{
    size_t i, k;
    for (i = 0; i < sarx__fhir_code_count; i++) {
        const sarx__fhir_code *c = &sarx__fhir_codes[i];
        int ok = sarx_field_find(c->field) != NULL && *c->source && *c->display &&
                 c->verified == (strcmp(c->system, "http://loinc.org") == 0);
        for (k = 0; k < i; k++)
            if (strcmp(sarx__fhir_codes[k].system, c->system) == 0 && strcmp(sarx__fhir_codes[k].code, c->code) == 0 &&
                strcmp(sarx__fhir_codes[k].ucum, c->ucum) == 0)
                ok = 0;
        if (!ok)
            fprintf(stderr, "FAIL table row %zu (%s %s %s)\n", i, c->code, c->ucum, c->field);
        CHECK(ok);
    }
    /* every alternate unit of a field with a row has a row of its own */
    for (i = 0; i < sarx__alias_count; i++) {
        const char *canon = sarx__field_info[sarx__aliases[i].field].name;
        int has_canon = 0, has_alias = 0;
        for (k = 0; k < sarx__fhir_code_count; k++) {
            has_canon |= strcmp(sarx__fhir_codes[k].field, canon) == 0;
            has_alias |= strcmp(sarx__fhir_codes[k].field, sarx__aliases[i].name) == 0;
        }
        if (has_canon && !has_alias)
            fprintf(stderr, "FAIL no row for %s\n", sarx__aliases[i].name);
        CHECK(!has_canon || has_alias);
    }
}

/* docs/FHIR.md's mapping table, generated from sarx__fhir_codes: printed
** by `fhir_in --print-table`, and the test fails when the doc differs. */
static size_t table_md(char *buf, size_t n)
{
    size_t i, k = 0;
#define OUT(...) k += (size_t)snprintf(buf + (k < n ? k : n), k < n ? n - k : 0, __VA_ARGS__)
    OUT("| system | code | display | unit (UCUM) | sarx field | verified | source |\n");
    OUT("|---|---|---|---|---|---|---|\n");
    for (i = 0; i < sarx__fhir_code_count; i++) {
        const sarx__fhir_code *c = &sarx__fhir_codes[i];
        OUT("| %s | `%s` | %s | %s%s%s | `%s` | %s | %s |\n", c->verified ? "LOINC" : "sarx", c->code, c->display,
            *c->ucum ? "`" : "", *c->ucum ? c->ucum : "(none)", *c->ucum ? "`" : "", c->field,
            c->verified ? "yes" : "local", c->verified ? c->source : "no verified LOINC code");
    }
#undef OUT
    return k;
}

static void table_doc(void)
{
    static char want[65536], doc[262144];
    size_t n, len = 0;
    const char *a, *b;
    FILE *f = fopen("docs/FHIR.md", "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    n = table_md(want, sizeof want);
    CHECK(n < sizeof want);
    a = strstr(doc, "<!-- fhir-table: begin");
    a = a ? strchr(a, '\n') : NULL;
    b = a ? strstr(a, "<!-- fhir-table: end") : NULL;
    CHECK(a && b);
    if (a && b) {
        int same = (size_t)(b - a - 1) == n && memcmp(a + 1, want, n) == 0;
        if (!same)
            fprintf(stderr, "FAIL docs/FHIR.md: the mapping table is stale; regenerate it with "
                            "`build/tests/fhir_in --print-table`\n");
        CHECK(same);
    }
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx = NULL;
    if (argc > 1 && strcmp(argv[1], "--print-table") == 0) {
        static char t[65536];
        table_md(t, sizeof t);
        fputs(t, stdout);
        return 0;
    }
    CHECK_INT(sarx_ctx_new(&ctx, NULL), SARX_OK);
    realistic(ctx);
    errors();
    empty_bundle(ctx);
    ctx_for_tests = ctx;
    not_counted();
    condition_dates();
    same_day();
    questionnaire();
    table();
    table_doc();
    sarx_ctx_free(ctx);
    return h_summary("fhir_in");
}
