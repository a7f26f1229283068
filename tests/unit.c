/*
** unit.c — unit tests of libsarx's pieces: numbers, dates, fields, rules,
** the subject API, the assessment API and the renderers.
*/
#define _POSIX_C_SOURCE 200809L /* mmap, mprotect, sysconf */
#include "harness.h"
#include "internal.h"
#include "../cli/numtext.h" /* the CLI's number writer */

#include <jansson.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static double num(const char *s, int comma, int *rc)
{
    double v = NAN;
    *rc = sarx__parse_number(s, strlen(s), comma, &v);
    return v;
}

static void test_numbers(void)
{
    int rc;
    CHECK(num("72.5", 0, &rc) == 72.5 && rc == SARX_OK);
    CHECK(num("0.789", 0, &rc) == 0.789);
    CHECK(num("-3", 0, &rc) == -3.0);
    CHECK(num("+4", 0, &rc) == 4.0);
    CHECK(num("1e2", 0, &rc) == 100.0);
    CHECK(num("2.5E-1", 0, &rc) == 0.25);
    CHECK(num("007", 0, &rc) == 7.0);
    CHECK(num(".5", 0, &rc) == 0.5);
    CHECK(num("5.", 0, &rc) == 5.0);
    CHECK(num("1,5", 1, &rc) == 1.5 && rc == SARX_OK);
    CHECK(num("0.1", 0, &rc) == 0.1);
    CHECK(num("20.23", 0, &rc) == 20.23);
    /* More than 15 significant digits goes through strtod_l in the C locale. */
    CHECK(num("0.12345678901234567890", 0, &rc) == 0.12345678901234567890 && rc == SARX_OK);
    CHECK(num("1e300", 0, &rc) == 1e300);
    num("1e999", 0, &rc);
    CHECK_INT(rc, SARX_ERANGE);
    {
        static const char *const bad[] = {"", "-", ".", "1.2.3", "12abc", "inf", "nan", "0x10", " 1", "1 ",
                                          "1e", "1e+", "--1", "1,5", "1'000", "e5"};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            num(bad[i], 0, &rc);
            if (rc == SARX_OK)
                fprintf(stderr, "accepted bad number \"%s\"\n", bad[i]);
            CHECK(rc != SARX_OK);
        }
        num("1.5", 1, &rc); /* with decimal comma, a point is junk */
        CHECK(rc != SARX_OK);
    }
}

static void test_dates(void)
{
    int d, rc;
    char out[11];
    CHECK_INT(sarx__parse_date("1970-01-01", 10, &d), SARX_OK);
    CHECK_INT(d, 0);
    CHECK_INT(sarx__parse_date("2024-02-29", 10, &d), SARX_OK);
    CHECK_INT(sarx__parse_date("2026-02-29", 10, &d), SARX_ERANGE);
    CHECK_INT(sarx__parse_date("2026-13-01", 10, &d), SARX_ERANGE);
    CHECK_INT(sarx__parse_date("1899-12-31", 10, &d), SARX_ERANGE);
    CHECK_INT(sarx__parse_date("26-1-1", 6, &d), SARX_ESYNTAX);
    CHECK_INT(sarx__parse_date("2026/01/01", 10, &d), SARX_ESYNTAX);
    rc = sarx__parse_date("2026-08-31", 10, &d);
    CHECK_INT(rc, SARX_OK);
    sarx__date_format(sarx__date_minus_months(d, 6), out);
    CHECK_STR(out, "2026-02-28");
    sarx__parse_date("2024-08-31", 10, &d);
    sarx__date_format(sarx__date_minus_months(d, 6), out);
    CHECK_STR(out, "2024-02-29");
    sarx__parse_date("2026-03-15", 10, &d);
    sarx__date_format(sarx__date_minus_months(d, 12), out);
    CHECK_STR(out, "2025-03-15");
    sarx__date_format(sarx__date_minus_months(d, 6), out);
    CHECK_STR(out, "2025-09-15");
    /* Round trip over a few centuries. */
    {
        int day, ok = 1;
        for (day = -25000; day < 80000; day += 37) {
            int back;
            sarx__date_format(day, out);
            if (sarx__parse_date(out, 10, &back) != SARX_OK || back != day)
                ok = 0;
        }
        CHECK(ok);
    }
}

static void test_fields(void)
{
    size_t i;
    int alias;
    CHECK(sarx_field_count() == SARX__F_COUNT + sarx__alias_count);
    for (i = 0; i < sarx__alias_count; i++) {
        const sarx_field_info *fi = sarx_field_at(SARX__F_COUNT + i);
        const sarx_field_info *canon = sarx_field_at((size_t)sarx__aliases[i].field);
        double s = sarx__aliases[i].scale;
        CHECK_STR(fi->name, sarx__aliases[i].name);
        CHECK_STR(fi->canonical, canon->name);
        CHECK_NEAR(fi->min * s, canon->min, 1e-9 * (1 + canon->min));
        CHECK_NEAR(fi->max * s, canon->max, 1e-9 * (1 + canon->max));
    }
    CHECK(sarx_field_find("grip_kg") != NULL);
    CHECK(sarx_field_find("height_in") != NULL);
    CHECK(sarx_field_find("nope") == NULL);
    CHECK(sarx_field_at(9999) == NULL);
    CHECK_INT(sarx__field_lookup("weight_lb", 9, &alias), SARX__F_WEIGHT);
    CHECK(alias >= 0);
    CHECK_STR(sarx__field_suggest("grip_kgs"), "grip_kg");
    CHECK_STR(sarx__field_suggest("hieght_cm"), "height_cm");
    CHECK(sarx__field_suggest("zzzzzzzzzzzz") == NULL);
}

/* The ids and categories of docs/DEFINITIONS.md, in registry order. */
static void test_registry(const sarx_ctx *ctx)
{
    static const char *const spec[][8] = {
        {"ewgsop2", "severe_sarcopenia", "sarcopenia", "probable_sarcopenia", "no_sarcopenia", NULL},
        {"ewgsop1", "severe_sarcopenia", "sarcopenia", "presarcopenia", "no_sarcopenia", NULL},
        {"awgs2019", "severe_sarcopenia", "sarcopenia", "possible_sarcopenia", "no_sarcopenia", NULL},
        {"awgs2025", "sarcopenia", "possible_sarcopenia", "at_risk", "no_sarcopenia", "not_applicable", NULL},
        {"fnih2014", "weakness_slowness_low_lean_mass", "weakness_low_lean_mass", "no_sarcopenia", NULL},
        {"iwgs2011", "sarcopenia", "no_sarcopenia", NULL},
        {"sdoc2020", "sarcopenia", "no_sarcopenia", NULL},
        {"baumgartner1998", "sarcopenia", "no_sarcopenia", NULL},
        {"janssen2004", "severe_sarcopenia", "moderate_sarcopenia", "no_sarcopenia", "not_applicable", NULL},
        {"dynapenia", "sarcopenia", "dynapenia", "myopenia", "normal", NULL},
        {"sarc_f", "positive", "negative", NULL},
        {"sarc_calf", "positive", "negative", NULL},
        {"evans2008", "cachexia", "no_cachexia", NULL},
        {"evans2008_7", "cachexia", "no_cachexia", NULL},
        {"fearon2011", "refractory_cachexia", "cachexia", "precachexia", "no_cachexia", "not_applicable", NULL},
        {"glim2019", "malnutrition_severe", "malnutrition_severity_not_graded", "malnutrition_moderate",
         "no_malnutrition", NULL},
        {"espen_easo2022", "sarcopenic_obesity_stage_2", "sarcopenic_obesity_stage_1", "sarcopenic_obesity",
         "no_sarcopenic_obesity", "screen_positive", "screen_negative", NULL},
    };
    size_t i, k;
    CHECK_INT(sarx_definition_count(ctx), SARX__N(spec));
    for (i = 0; i < SARX__N(spec); i++) {
        const sarx_definition *d = sarx_definition_at(ctx, i);
        CHECK_STR(sarx_definition_id(d), spec[i][0]);
        CHECK(sarx_definition_find(ctx, spec[i][0]) == d);
        for (k = 1; spec[i][k]; k++)
            CHECK_STR(sarx_definition_category(d, k - 1), spec[i][k]);
        CHECK_INT(sarx_definition_category_count(d), k - 1);
        CHECK(sarx_definition_citation(d)[0] != '\0');
        CHECK(sarx_definition_version(d)[0] != '\0');
        for (k = 0; k < sarx_definition_row_count(d); k++) {
            sarx_row_info ri;
            CHECK_INT(sarx_definition_row(d, k, &ri), SARX_OK);
            CHECK(ri.citation && ri.citation[0]);
            CHECK(ri.unit != NULL && ri.when != NULL);
            /* The COMO VAI? calf cut-offs: J Cachexia Sarcopenia Muscle 2016, not "Nutrition 2016" (issue 26 item 12). */
            CHECK(!strstr(ri.citation, "Nutrition 2016;32:1091"));
            if (strncmp(ri.id, "SARC-CALF-CC-", 13) == 0)
                CHECK(strstr(ri.citation, "J Cachexia Sarcopenia Muscle 2016;7:136-143") &&
                      strstr(ri.citation, "doi:10.1002/jcsm.12049"));
        }
        CHECK_INT(sarx_definition_row(d, 9999, NULL), SARX_EINVAL);
        {   /* Positive categories come first in every decision list: an
            ** incomplete positive result stays positive (cohort.c relies on it).
            ** A category saying the definition does not apply is never positive. */
            int seen_negative = 0, ordered = 1;
            for (k = 0; k < sarx_definition_category_count(d); k++) {
                if (!sarx_definition_category_positive(d, k))
                    seen_negative = 1;
                else if (seen_negative)
                    ordered = 0;
                if (sarx__cat_not_applicable(&d->d->cats[k]))
                    CHECK(!sarx_definition_category_positive(d, k) && d->d->cats[k].note_m &&
                          d->d->cats[k].note_f && strcmp(d->d->cats[k].note_m, d->d->cats[k].note_f) == 0);
            }
            CHECK(ordered);
        }
    }
    CHECK(sarx_definition_find(ctx, "nope") == NULL);
    CHECK(sarx_definition_title(sarx_definition_find(ctx, "nope")) == NULL); /* NULL-safe */
    CHECK_INT(sarx_definition_row_count(NULL), 0);
    CHECK(sarx_definition_category(NULL, 0) == NULL);
    CHECK(sarx_definition_at(ctx, SARX__N(spec)) == NULL);
}

/* Kleene truth tables through the rule compiler. */
static void test_rules(void)
{
    static const sarx__crit crits[] = {{"a", "a"}, {"b", "b"}, {"c", "c"}};
    static const sarx__macro macros[] = {{"ab", "a & b"}, {"loop", "loop"}};
    sarx__def d;
    sarx__prog p;
    sarx_error err;
    unsigned char v[3];
    int a, b;
    memset(&d, 0, sizeof d);
    d.id = "test";
    d.crits = crits;
    d.ncrit = 3;
    d.macros = macros;
    d.nmacro = 2;
    CHECK_INT(sarx__compile(&d, "a & b", &p, &err), SARX_OK);
    for (a = 0; a < 3; a++)
        for (b = 0; b < 3; b++) {
            int want = (a == SARX_NOT_MET || b == SARX_NOT_MET) ? SARX_NOT_MET
                       : (a == SARX_UNKNOWN || b == SARX_UNKNOWN) ? SARX_UNKNOWN
                                                                  : SARX_MET;
            v[0] = (unsigned char)a;
            v[1] = (unsigned char)b;
            CHECK_INT(sarx__run(&p, v), want);
        }
    free(p.code);
    CHECK_INT(sarx__compile(&d, "a | b", &p, &err), SARX_OK);
    for (a = 0; a < 3; a++)
        for (b = 0; b < 3; b++) {
            int want = (a == SARX_MET || b == SARX_MET)             ? SARX_MET
                       : (a == SARX_UNKNOWN || b == SARX_UNKNOWN) ? SARX_UNKNOWN
                                                                  : SARX_NOT_MET;
            v[0] = (unsigned char)a;
            v[1] = (unsigned char)b;
            CHECK_INT(sarx__run(&p, v), want);
        }
    free(p.code);
    CHECK_INT(sarx__compile(&d, "!a", &p, &err), SARX_OK);
    v[0] = SARX_UNKNOWN;
    CHECK_INT(sarx__run(&p, v), SARX_UNKNOWN);
    v[0] = SARX_MET;
    CHECK_INT(sarx__run(&p, v), SARX_NOT_MET);
    free(p.code);
    /* Precedence: & binds tighter than |; macros expand. */
    CHECK_INT(sarx__compile(&d, "c | ab", &p, &err), SARX_OK);
    CHECK_INT(p.refs, 7);
    v[0] = SARX_MET, v[1] = SARX_MET, v[2] = SARX_NOT_MET;
    CHECK_INT(sarx__run(&p, v), SARX_MET);
    free(p.code);
    CHECK_INT(sarx__compile(&d, "atleast(2: a, b, c)", &p, &err), SARX_OK);
    v[0] = SARX_MET, v[1] = SARX_UNKNOWN, v[2] = SARX_NOT_MET;
    CHECK_INT(sarx__run(&p, v), SARX_UNKNOWN);
    v[1] = SARX_MET;
    CHECK_INT(sarx__run(&p, v), SARX_MET);
    v[0] = SARX_NOT_MET, v[1] = SARX_UNKNOWN;
    CHECK_INT(sarx__run(&p, v), SARX_NOT_MET);
    free(p.code);
    CHECK_INT(sarx__compile(&d, "a & nope", &p, &err), SARX_ESYNTAX);
    CHECK(strstr(err.message, "unknown name") != NULL);
    CHECK_INT(sarx__compile(&d, "(a", &p, &err), SARX_ESYNTAX);
    CHECK_INT(sarx__compile(&d, "a b", &p, &err), SARX_ESYNTAX);
    CHECK_INT(sarx__compile(&d, "loop", &p, &err), SARX_ESYNTAX);
    CHECK_INT(sarx__compile(&d, "", &p, &err), SARX_ESYNTAX);
    CHECK_INT(sarx__compile(&d, "atleast(3: a, b)", &p, &err), SARX_ESYNTAX); /* k > n */
}

static void test_subject_api(void)
{
    sarx_subject *s;
    sarx_error err;
    CHECK_INT(sarx_subject_new(&s), SARX_OK);
    CHECK_INT(sarx_subject_set_text(s, "weight_kg", "72,5", 4, SARX_TEXT_DECIMAL_COMMA, &err), SARX_OK);
    CHECK(sarx_subject_get(s, "weight_kg") == 72.5);
    CHECK_INT(sarx_subject_set_text(s, "weight_lb", "160", 3, 0, &err), SARX_ECONFLICT);
    CHECK_STR(err.field, "weight_lb");
    CHECK(strstr(err.message, "weight_kg") != NULL);
    CHECK_INT(sarx_subject_set_text(s, "height_in", "68", 2, 0, &err), SARX_OK);
    CHECK_NEAR(sarx_subject_get(s, "height_cm"), 172.72, 1e-9);
    CHECK_NEAR(sarx_subject_get(s, "height_in"), 68, 1e-9);
    CHECK_INT(sarx_subject_set_text(s, "fatigue", "Yes", 3, 0, &err), SARX_OK);
    CHECK(sarx_subject_get(s, "fatigue") == 1.0);
    CHECK_INT(sarx_subject_set_text(s, "anorexia", "maybe", 5, 0, &err), SARX_EVALUE);
    CHECK_INT(sarx_subject_set_text(s, "sex", "F", 1, 0, &err), SARX_OK);
    CHECK(sarx_subject_get(s, "sex") == SARX__FEMALE);
    CHECK_INT(sarx_subject_set_text(s, "population", "ASIAN", 5, 0, &err), SARX_OK);
    CHECK_INT(sarx_subject_set_text(s, "grip_kg", "  ", 2, 0, &err), SARX_OK); /* empty = missing */
    CHECK(isnan(sarx_subject_get(s, "grip_kg")));
    CHECK_INT(sarx_subject_set_text(s, "grip_kg", "12abc", 5, 0, &err), SARX_ESYNTAX);
    CHECK(strstr(err.message, "12abc") != NULL && strstr(err.message, "0-100 kg") != NULL);
    CHECK_INT(sarx_subject_set_text(s, "conditions", "COPD; heart failure ;", 21, 0, &err), SARX_OK);
    CHECK_INT(sarx_subject_set_number(s, "sppb_score", 7.5, &err), SARX_ETYPE);
    CHECK_INT(sarx_subject_set_number(s, "fatigue", 1, &err), SARX_ETYPE);
    CHECK_INT(sarx_subject_set_bool(s, "grip_kg", 1, &err), SARX_ETYPE);
    CHECK_INT(sarx_subject_set_number(s, "gripkg", 1, &err), SARX_EFIELD);
    CHECK(strstr(err.message, "did you mean \"grip_kg\"") != NULL);
    CHECK_INT(sarx_subject_add_weight(s, "2026-01-01", 80, &err), SARX_OK);
    CHECK_INT(sarx_subject_add_weight(s, "2026-01-01", 79, &err), SARX_ECONFLICT);
    CHECK_INT(sarx_subject_add_weight(s, "2026-01-02", 10, &err), SARX_ERANGE);
    CHECK_INT(sarx_subject_add_weight(s, "2026-02-30", 70, &err), SARX_ERANGE);
    CHECK_INT(sarx_subject_add_weight(s, "2026-02-30", 70, NULL), SARX_ERANGE); /* same code without a record */
    {
        const char *j = "{\"weight_history\": [{\"date\": \"2026-02-30\", \"weight_kg\": 70}]}";
        CHECK_INT(sarx_subject_from_json(s, j, strlen(j), NULL), SARX_ERANGE);
    }
    {
        int d, ok = 1;
        sarx_subject_clear(s);
        for (d = 0; d < SARX__MAX_HISTORY && ok; d++) {
            char date[11];
            sarx__date_format(20000 + d, date);
            ok = sarx_subject_add_weight(s, date, 70, &err) == SARX_OK;
        }
        CHECK(ok);
        CHECK_INT(sarx_subject_add_weight(s, "2200-01-01", 70, &err), SARX_ERANGE);
        CHECK(strstr(err.message, "more than 1000") != NULL);
        sarx_subject_clear(s);
    }
    CHECK_INT(sarx_subject_add_item(s, "medications", "prednisolone", &err), SARX_OK);
    CHECK_INT(sarx_subject_add_item(s, "grip_kg", "x", &err), SARX_ETYPE);
    CHECK_INT(sarx_subject_set_text(s, "id", "p-1", 3, 0, &err), SARX_OK);
    CHECK_STR(sarx_subject_id(s), "p-1");
    sarx_subject_clear(s);
    CHECK(isnan(sarx_subject_get(s, "weight_kg")));
    CHECK_STR(sarx_subject_id(s), "");
    CHECK(isnan(sarx_subject_get(s, "nope")));
    /* JSON: whole-object errors leave the subject empty. */
    {
        const char *j = "{\"weight_kg\": 70, \"grip_kg\": -1}";
        CHECK_INT(sarx_subject_from_json(s, j, strlen(j), &err), SARX_ERANGE);
        CHECK(isnan(sarx_subject_get(s, "weight_kg")));
        CHECK_STR(err.field, "grip_kg");
        CHECK_STR(err.value, "-1");
        CHECK_STR(err.allowed, "0-100 kg");
    }
    {
        const char *j = "{\"weight_kg\": 70,\n \"grip_kg\": }";
        CHECK_INT(sarx_subject_from_json(s, j, strlen(j), &err), SARX_ESYNTAX);
        CHECK_INT(err.line, 2);
        CHECK(err.column > 0);
    }
    {
        const char *j = "{\"weight_kg\": 70, \"weight_kg\": 71}";
        CHECK_INT(sarx_subject_from_json(s, j, strlen(j), &err), SARX_ESYNTAX);
    }
    CHECK_INT(sarx_subject_from_json(s, "  \n", 3, &err), SARX_EEMPTY);
    CHECK_INT(sarx_subject_from_json(s, "[1]", 3, &err), SARX_ETYPE);
    CHECK_INT(sarx_subject_from_json(s, "{\"id\": 17}", 10, &err), SARX_OK);
    CHECK_STR(sarx_subject_id(s), "17");
    CHECK_INT(sarx_subject_from_json(s, "{\"grip_kg\": null}", 17, &err), SARX_OK);
    CHECK(isnan(sarx_subject_get(s, "grip_kg")));
    sarx_subject_free(s);
    /* NULL handling. */
    sarx_subject_free(NULL);
    sarx_ctx_free(NULL);
    sarx_assessment_free(NULL);
    sarx_free(NULL);
    CHECK_INT(sarx_subject_new(NULL), SARX_EINVAL);
    CHECK_INT(sarx_subject_set_number(NULL, "grip_kg", 1, NULL), SARX_EINVAL);
}

/* The conditions a subject holds are exactly want[0 .. n). */
static int conditions_are(const sarx_subject *s, const char *const *want, size_t n)
{
    size_t i;
    if (s->conditions.n != n)
        return 0;
    for (i = 0; i < n; i++)
        if (strcmp(s->conditions.item[i], want[i]) != 0)
            return 0;
    return 1;
}

static int set_conditions(sarx_subject *s, const char *cell, sarx_error *err)
{
    sarx_subject_clear(s);
    return sarx_subject_set_text(s, "conditions", cell, strlen(cell), 0, err);
}

/* List cells (docs/COHORT.md): items separated by ';' with "\;", "\\" and
** "\[" escaped, or a JSON array of text; a cell's guard quote dropped;
** nothing cut; and what sarx_csv_list_append and sarx_csv_quote write comes
** back through the CSV reader exactly. */
static void test_list_cells(void)
{
    sarx_subject *s;
    sarx_error err;
    CHECK_INT(sarx_subject_new(&s), SARX_OK);
    {
        static const char *const want[] = {"a;b", "c\\d", "[x]", "e"};
        CHECK_INT(set_conditions(s, "a\\;b; c\\\\d ;\\[x];; e", &err), SARX_OK);
        CHECK(conditions_are(s, want, 4));
    }
    {   /* a backslash before anything else is itself */
        static const char *const want[] = {"C:\\dir\\x", "y\\"};
        CHECK_INT(set_conditions(s, "C:\\dir\\x;y\\", &err), SARX_OK);
        CHECK(conditions_are(s, want, 2));
    }
    {
        static const char *const want[] = {"x;y", "z", "a\\b"};
        CHECK_INT(set_conditions(s, "  [\"x;y\", \" z \", \"a\\\\b\"]", &err), SARX_OK);
        CHECK(conditions_are(s, want, 3));
    }
    CHECK_INT(set_conditions(s, "[\"x\", 1]", &err), SARX_ETYPE);
    CHECK_STR(err.field, "conditions");
    CHECK(strstr(err.message, "item 2 of the JSON list is a number 1") != NULL);
    CHECK_INT(set_conditions(s, "[draft] copd", &err), SARX_ESYNTAX);
    CHECK(strstr(err.message, "starts with '[' but is not a JSON array of text") != NULL);
    CHECK(strstr(err.message, "\\[") != NULL);
    CHECK_INT(set_conditions(s, "{\"a\": 1}", &err), SARX_OK); /* not '[': one item */
    {   /* coded conditions: "icd10:<code>" in any case, blanks after the colon;
        ** stored upper-cased; in a JSON cell also {"system", "code"} */
        static const char *const want[] = {"icd10:N18.4", "icd10:C34.1", "copd", "icd10:I50"};
        CHECK_INT(set_conditions(s, "icd10:n18.4; ICD10:  c34.1 ;copd;Icd10:I50", &err), SARX_OK);
        CHECK(conditions_are(s, want, 4));
        CHECK_INT(set_conditions(s, "[{\"system\": \"ICD-10\", \"code\": \"n18.4\"}, \"icd10:C34.1\", \"copd\", "
                                    "{\"system\": \"http://hl7.org/fhir/sid/icd-10-cm\", \"code\": \"I50\"}]",
                                 &err),
                  SARX_OK);
        CHECK(conditions_are(s, want, 4));
    }
    CHECK_INT(set_conditions(s, "copd;icd10:XYZ", &err), SARX_EVALUE);
    CHECK_STR(err.field, "conditions");
    CHECK_STR(err.value, "icd10:XYZ");
    CHECK(strstr(err.message, "\"icd10:XYZ\" is not an ICD-10 code") && strstr(err.message, "icd10:N18.4"));
    CHECK_INT(set_conditions(s, "icd10:N18.40000", &err), SARX_EVALUE); /* longer than a code */
    CHECK_INT(set_conditions(s, "icd10:", &err), SARX_EVALUE);
    CHECK_INT(set_conditions(s, "[{\"system\": \"snomed\", \"code\": \"13645005\"}]", &err), SARX_EVALUE);
    CHECK(strstr(err.message, "system \"snomed\" is not allowed") && strstr(err.message, "icd-10-cm"));
    CHECK_INT(set_conditions(s, "[{\"system\": \"icd10\", \"code\": \"N18.4\", \"display\": \"CKD\"}]", &err),
              SARX_EFIELD);
    CHECK(strstr(err.message, "unknown key \"display\"") != NULL);
    CHECK_INT(set_conditions(s, "[{\"system\": \"icd10\"}]", &err), SARX_EVALUE);
    CHECK_INT(set_conditions(s, "[{\"system\": \"icd10\", \"code\": 18}]", &err), SARX_ETYPE);
    sarx_subject_clear(s);
    {
        const char *cell = "[{\"system\": \"icd10\", \"code\": \"N18.4\"}]";
        CHECK_INT(sarx_subject_set_text(s, "medications", cell, strlen(cell), 0, &err), SARX_ETYPE); /* conditions only */
    }
    sarx_subject_clear(s);
    CHECK_INT(sarx_subject_add_item(s, "medications", "icd10:XYZ", &err), SARX_OK); /* a medicine's name, kept */
    CHECK_STR(s->medications.item[0], "icd10:XYZ");
    sarx_subject_clear(s);
    CHECK_INT(sarx_subject_add_item(s, "conditions", " icd10:k50.9 ", &err), SARX_OK);
    CHECK_STR(s->conditions.item[0], "icd10:K50.9");
    {
        const char *js = "{\"conditions\": [{\"code\": \"c34.1\", \"system\": \"icd10\"}]}";
        CHECK_INT(sarx_subject_from_json(s, js, strlen(js), &err), SARX_OK);
    }
    CHECK(s->conditions.n == 1 && strcmp(s->conditions.item[0], "icd10:C34.1") == 0);
    CHECK_INT(set_conditions(s, "[\"\"]", &err), SARX_EVALUE);
    {   /* a guarded cell: the quote that sarx_csv_quote put is dropped */
        static const char *const want[] = {"=HYPERLINK(\"http://x\")", "copd"};
        CHECK_INT(set_conditions(s, "'=HYPERLINK(\"http://x\");copd", &err), SARX_OK);
        CHECK(conditions_are(s, want, 2));
    }
    sarx_subject_clear(s);
    CHECK_INT(sarx_subject_set_text(s, "id", "'=1+1", 5, 0, &err), SARX_OK);
    CHECK_STR(sarx_subject_id(s), "=1+1");
    sarx_subject_clear(s);
    CHECK_INT(sarx_subject_set_text(s, "id", "'abc", 4, 0, &err), SARX_OK);
    CHECK_STR(sarx_subject_id(s), "'abc");
    sarx_subject_clear(s);
    CHECK_INT(sarx_subject_set_text(s, "weight_loss_pct_6m", "'-5", 3, 0, &err), SARX_OK);
    CHECK(sarx_subject_get(s, "weight_loss_pct_6m") == -5);
    /* A NUL in a cell is shown escaped, not the end of the value. */
    CHECK_INT(sarx_subject_set_text(s, "grip_kg", "12\0x", 4, 0, &err), SARX_ESYNTAX);
    CHECK_STR(err.value, "12\\0x");
    CHECK(strstr(err.message, "\"12\\0x\" is not a number") != NULL);
    {   /* Random lists, written as a list cell and a CSV field and read
        ** back by the CSV reader and the cell parser: the same items, long
        ** ones (past 1,023 bytes) whole. */
        static const char alpha[] = ";\\[]'=+-@\"\t,a b";
        unsigned seed = 99;
        int k, bad = 0;
        size_t maxlen = 0;
        for (k = 0; k < 3000; k++) {
            char items[4][2100], *cell, *field, *copy;
            const char *ptr[4];
            size_t ni = 1 + (size_t)k % 4, i, n = 0, need = 0, w;
            sarx_csv *csv;
            char **f;
            size_t *l, nf;
            for (i = 0; i < ni; i++) {
                size_t len, j;
                seed = seed * 1103515245u + 12345u;
                len = 1 + (k % 50 == 0 ? 2000 : (seed >> 16) % 12);
                for (j = 0; j < len; j++) {
                    seed = seed * 1103515245u + 12345u;
                    items[i][j] = alpha[(seed >> 16) % (sizeof alpha - 1)];
                }
                items[i][0] = items[i][0] == ' ' || items[i][0] == '\t' ? 'x' : items[i][0]; /* (items are */
                items[i][len - 1] = items[i][len - 1] == ' ' || items[i][len - 1] == '\t' ? 'y' : items[i][len - 1];
                items[i][len] = '\0';                                                       /* trimmed) */
                ptr[i] = items[i];
                need += sarx_csv_list_append(NULL, 0, items[i], len, i == 0);
                maxlen = len > maxlen ? len : maxlen;
            }
            cell = malloc(need + 1);
            for (i = 0; i < ni; i++)
                n += sarx_csv_list_append(cell + n, need - n, items[i], strlen(items[i]), i == 0);
            w = sarx_csv_quote(NULL, 0, cell, n, ',');
            field = malloc(w + 2);
            sarx_csv_quote(field, w, cell, n, ',');
            field[w++] = '\n';
            copy = field;
            if (n != need || sarx_csv_new_buffer(&csv, copy, w, ',', SARX_CSV_NO_BOM) != SARX_OK) {
                bad++;
            } else {
                if (sarx_csv_next(csv, &f, &l, &nf, NULL) != 1 || nf != 1 ||
                    (sarx_subject_clear(s), sarx_subject_set_text(s, "conditions", f[0], l[0], 0, &err)) != SARX_OK ||
                    !conditions_are(s, ptr, ni))
                    bad++;
                sarx_csv_free(csv);
            }
            free(cell);
            free(field);
        }
        CHECK_INT(bad, 0);
        CHECK(maxlen > 1023);
    }
    sarx_subject_free(s);
}

static void test_errors(void)
{
    int i;
    for (i = 0; i <= SARX_EIO; i++)
        CHECK(strcmp(sarx_strerror(i), "unknown error") != 0);
    CHECK_STR(sarx_strerror(-1), "unknown error");
    CHECK_STR(sarx_error_name(SARX_ERANGE), "range");
    CHECK_STR(sarx_error_name(SARX_ECONFLICT), "conflict");
    CHECK_STR(sarx_error_name(77), "unknown");
    CHECK_STR(sarx_strerror(999), "unknown error");
    CHECK_STR(sarx_version(), SARX_VERSION);
}

/* Error texts stay valid UTF-8 however they are cut; text input must be UTF-8. */
static void test_utf8(void)
{
    sarx_subject *s;
    sarx_error err;
    char key[1024], json[1200];
    size_t i, o = 0;
    for (i = 0; i < 200; i++) {
        key[o++] = (char)0xC3;
        key[o++] = (char)0xA9; /* é */
    }
    key[o] = '\0';
    snprintf(json, sizeof json, "{\"%s\": 1}", key);
    sarx_subject_new(&s);
    CHECK_INT(sarx_subject_from_json(s, json, strlen(json), &err), SARX_EFIELD);
    CHECK(sarx__utf8_valid(err.message, strlen(err.message)));
    CHECK(sarx__utf8_valid(err.field, strlen(err.field)));
    CHECK(strlen(err.message) > 0);
    CHECK_INT(sarx_subject_set_text(s, "id", "\xff\xfe", 2, 0, &err), SARX_ESYNTAX);
    CHECK(strstr(err.message, "UTF-8") != NULL);
    CHECK_INT(sarx_subject_set_text(s, "conditions", "caf\xe9", 4, 0, &err), SARX_ESYNTAX);
    CHECK_INT(sarx_subject_set_text(s, "id", "caf\xc3\xa9", 5, 0, &err), SARX_OK);
    CHECK_INT(sarx_subject_set_text(s, "sex", " Female ", 8, 0, &err), SARX_OK);
    CHECK(!sarx__utf8_valid("\xed\xa0\x80", 3)); /* a surrogate */
    CHECK(!sarx__utf8_valid("\xc0\xaf", 2));      /* overlong */
    CHECK(!sarx__utf8_valid("\xf4\x90\x80\x80", 4)); /* beyond U+10FFFF */
    CHECK(sarx__utf8_valid("\xf0\x9f\x92\xaa", 4));  /* U+1F4AA */
    sarx_subject_free(s);
}

/* Output never depends on LC_NUMERIC (skipped when the locale is absent). */
static void test_locale(const sarx_ctx *ctx)
{
    sarx_subject *s;
    sarx_assessment *a;
    sarx_error err;
    char *text;
    const char *j = "{\"sex\": \"male\", \"height_cm\": 170, \"weight_kg\": 70.5, \"grip_kg\": 150}";
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        printf("SKIP locale test: de_DE.UTF-8 not installed\n");
        return;
    }
    sarx_subject_new(&s);
    CHECK_INT(sarx_subject_from_json(s, j, strlen(j), &err), SARX_ERANGE);
    CHECK(strstr(err.message, "allowed 0-100 kg") != NULL);
    CHECK_INT(sarx_subject_set_text(s, "weight_kg", "70.5", 4, 0, &err), SARX_OK);
    CHECK(sarx_subject_get(s, "weight_kg") == 70.5);
    CHECK_INT(sarx_subject_set_text(s, "height_cm", "170", 3, 0, &err), SARX_OK);
    CHECK_INT(sarx_subject_set_text(s, "gait_speed_m_s", "0,5", 3, 0, &err), SARX_ESYNTAX);
    CHECK_INT(sarx_subject_set_text(s, "population", "ASIAN", 5, 0, &err), SARX_OK);
    sarx_assess(ctx, s, &a, &err);
    text = sarx_assessment_text(a, 0);
    CHECK(text && strstr(text, "BMI 24.394") != NULL);
    sarx_free(text);
    text = sarx_assessment_json(a, 0);
    CHECK(text && strstr(text, "\"bmi\":24.39446366782") != NULL);
    sarx_free(text);
    sarx_assessment_free(a);
    sarx_subject_free(s);
    setlocale(LC_ALL, "C");
}

/* jansson allocations fail from the Nth on (json_set_alloc_funcs is global:
** fine in this single-threaded test). */
static long oom_left;
static void *oom_malloc(size_t n)
{
    if (oom_left-- <= 0)
        return NULL;
    return malloc(n);
}

static sarx_assessment *assess(const sarx_ctx *ctx, const char *json);

/* Under every allocation failure the JSON renderers return NULL or whole
** JSON: never an object with keys silently missing.  The result is written
** without jansson (its failures go through the buffer the text report
** uses): it must not depend on jansson's allocator at all.  The catalogue
** is built with jansson, whose allocator is the one failed here. */
static void test_json_oom(const sarx_ctx *ctx)
{
    sarx_assessment *a = assess(ctx, "{\"sex\":\"female\",\"grip_kg\":12,\"asm_kg\":12,\"height_cm\":158}");
    long n;
    int partial = 0, nulls = 0, whole = 0;
    char *js, *ref;
    /* the result: identical with every jansson allocation failing */
    ref = sarx_assessment_json(a, SARX_RENDER_PRETTY);
    oom_left = 0;
    json_set_alloc_funcs(oom_malloc, free);
    js = sarx_assessment_json(a, SARX_RENDER_PRETTY);
    json_set_alloc_funcs(malloc, free);
    CHECK(ref && js && strcmp(ref, js) == 0);
    sarx_free(js);
    sarx_free(ref);
    /* the catalogue: NULL or whole */
    ref = sarx_catalogue(ctx, SARX_CATALOGUE_JSON);
    for (n = 0; n < 200000 && !whole; n += (n < 200 ? 1 : 37)) {
        oom_left = n;
        json_set_alloc_funcs(oom_malloc, free);
        js = sarx_catalogue(ctx, SARX_CATALOGUE_JSON);
        json_set_alloc_funcs(malloc, free);
        if (!js) {
            nulls++;
            continue;
        }
        if (ref && strcmp(js, ref) == 0)
            whole = 1;
        else
            partial++;
        sarx_free(js);
    }
    sarx_free(ref);
    CHECK(nulls > 0);
    CHECK_INT(partial, 0);
    CHECK(whole);
    sarx_assessment_free(a);
}

/* A random subject: each field missing or drawn from its range, often
** exactly on a threshold of some definition row (boundaries matter most). */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double unit01(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }

static void random_subject(const sarx_ctx *ctx, sarx_subject *s)
{
    size_t f;
    sarx_error err;
    sarx_subject_clear(s);
    for (f = 0; f < SARX__F_COUNT; f++) {
        const sarx_field_info *fi = sarx_field_at(f);
        double v;
        if (unit01() < 0.35)
            continue; /* missing */
        switch (fi->kind) {
        case SARX_KIND_NUMBER:
        case SARX_KIND_INTEGER:
            v = fi->min + unit01() * (fi->max - fi->min);
            if (unit01() < 0.5) { /* a threshold of a row on this field, maybe nudged */
                size_t d = rnd() % sarx_definition_count(ctx), r;
                const sarx_definition *def = sarx_definition_at(ctx, d);
                for (r = 0; r < sarx_definition_row_count(def); r++) {
                    sarx_row_info ri;
                    sarx_definition_row(def, r, &ri);
                    if (strcmp(ri.measure, fi->name) == 0 && strcmp(ri.op, "is") != 0) {
                        /* on it, inside or just outside the 1e-9 tolerance, a few
                        ** ulps either side of those edges, or a little away */
                        double t = ri.threshold, tol = 1e-9 * (fabs(t) > 1 ? fabs(t) : 1), u = unit01();
                        int k, steps = (int)(rnd() % 5);
                        v = u < 0.2 ? t : u < 0.4 ? t - tol : u < 0.6 ? t + tol : t + (unit01() - 0.5) * 0.2;
                        for (k = 0; k < steps; k++)
                            v = nextafter(v, (rnd() & 1) ? INFINITY : -INFINITY);
                        break;
                    }
                }
            }
            if (strcmp(fi->name, "age_years") == 0 && unit01() < 0.3) { /* the age bands' edge (GLIM) */
                int k, steps = (int)(rnd() % 3);
                v = 70;
                for (k = 0; k < steps; k++)
                    v = nextafter(v, (rnd() & 1) ? INFINITY : -INFINITY);
            }
            if (fi->kind == SARX_KIND_INTEGER)
                v = floor(v + 0.5);
            if (v < fi->min)
                v = fi->min;
            if (v > fi->max)
                v = fi->max;
            if (strcmp(fi->name, "sarc_f") == 0 && unit01() < 0.7)
                continue; /* leave room for the items (partial SARC-F ranges) */
            if (strcmp(fi->name, "fat_mass_kg") == 0 && unit01() < 0.7)
                continue; /* beside a fat % it mostly disagrees (a conflict) */
            if (strcmp(fi->name, "amputation_pct") == 0 && unit01() < 0.6)
                continue; /* it wins when given: the amputation levels need persons without it */
            sarx_subject_set_number(s, fi->name, v, &err);
            break;
        case SARX_KIND_BOOL:
            sarx_subject_set_bool(s, fi->name, (int)(rnd() & 1), &err);
            break;
        case SARX_KIND_ENUM: {
            const char *w = fi->values, *bar = strchr(w, '|');
            if (rnd() & 1)
                sarx_subject_set_text(s, fi->name, w, (size_t)(bar - w), 0, &err);
            else
                sarx_subject_set_text(s, fi->name, bar + 1, strcspn(bar + 1, "|"), 0, &err);
            break;
        }
        case SARX_KIND_LIST:
            if (f == SARX__F_CONDITIONS) { /* items of every class of the vocabulary, up to three */
                static const char *const pool[] = {"copd", "hypertension", "sepsis", "icd10:C34.1", "type 2 diabetes",
                                                   "no cancer", "family history of cancer", "icd10:D12.6",
                                                   "pregnancy", "history of breast cancer", "icd10:N18.4",
                                                   "below-knee amputation", "icd10:Z89.5"};
                int k, nk = unit01() < 0.5 ? 0 : 1 + (int)(rnd() % 3);
                for (k = 0; k < nk; k++)
                    sarx_subject_add_item(s, fi->name, pool[rnd() % (sizeof pool / sizeof pool[0])], &err);
            }
            break;
        default:
            break;
        }
    }
    if (unit01() < 0.2) { /* a weight history: the batch takes these lanes' values from measure() */
        static const char *const dates[] = {"2025-01-10", "2025-04-02", "2025-08-20", "2025-12-01", "2026-01-15"};
        int k, nh = 1 + (int)(rnd() % 4);
        if (unit01() < 0.8)
            sarx_subject_set_text(s, "assessment_date", "2026-01-15", 10, 0, &err);
        for (k = 0; k < nh; k++)
            sarx_subject_add_weight(s, dates[rnd() % 5], 50 + unit01() * 40, &err);
    }
}

/* The bit-sliced batch classifier equals sarx_classify on every lane. */
static void test_batch_equivalence(const sarx_ctx *ctx)
{
    enum { ROUNDS = 400 };
    sarx_subject *subj[SARX__LANES];
    sarx_class batch[SARX__LANES * 64], one[64];
    unsigned char ok[SARX__LANES];
    sarx__batch *b = sarx__batch_new();
    size_t nd = sarx_definition_count(ctx), d;
    int round, i, bad = 0, compared = 0;
    uint64_t seed = 20261121;
    const char *env = getenv("SARX_TEST_SEED");
    if (env)
        seed = strtoull(env, NULL, 10);
    rng_state = seed;
    for (i = 0; i < SARX__LANES; i++)
        sarx_subject_new(&subj[i]);
    for (round = 0; round < ROUNDS && bad < 5; round++) {
        int n = round % 7 == 0 ? 1 + (int)(rnd() % SARX__LANES) : SARX__LANES;
        for (i = 0; i < n; i++)
            random_subject(ctx, subj[i]);
        sarx__batch_use_baseline(b, round & 1); /* the widest comparison kernels, and the SSE2 ones */
        sarx__classify_batch(ctx, b, subj, n, batch, ok, NULL);
        for (i = 0; i < n && bad < 5; i++) {
            sarx_error err;
            int rc = sarx_classify(ctx, subj[i], one, &err);
            if ((rc == SARX_OK) != ok[i]) {
                fprintf(stderr, "batch lane %d: ok %d vs classify %d (seed %llu)\n", i, ok[i], rc,
                        (unsigned long long)seed);
                bad++;
                continue;
            }
            if (rc != SARX_OK)
                continue;
            {   /* only the measures declared so can be intervals (the batch reads hi only there) */
                static sarx__vals vals;
                int m;
                sarx__measure_values(subj[i], &vals);
                for (m = 0; m < SARX__M_COUNT; m++)
                    if (!sarx__measure_interval(m) && !(vals.lo[m] == vals.hi[m] || (isnan(vals.lo[m]) && isnan(vals.hi[m])))) {
                        fprintf(stderr, "measure %d is an interval but not declared one\n", m);
                        bad++;
                    }
            }
            for (d = 0; d < nd; d++) {
                const sarx_class *x = &batch[(size_t)i * nd + d];
                const sarx__masks *mk = &sarx__batch_masks(b)[i / 64]; /* lane i's word */
                int slot = x->category == SARX_INDETERMINATE ? SARX__MAX_CATS : x->category, k;
                for (k = 0; k <= SARX__MAX_CATS; k++)
                    if ((int)((mk->cat[d][k] >> (i % 64)) & 1u) != (k == slot)) {
                        fprintf(stderr, "batch masks differ from out[]: lane %d def %zu slot %d\n", i, d, k);
                        bad++;
                    }
                if ((int)((mk->complete[d] >> (i % 64)) & 1u) != (x->complete != 0) || !((mk->ok >> (i % 64)) & 1u)) {
                    fprintf(stderr, "batch complete/ok mask differs: lane %d def %zu\n", i, d);
                    bad++;
                }
                compared++;
                if (x->category != one[d].category || x->complete != one[d].complete) {
                    fprintf(stderr, "batch differs: round %d lane %d %s: %d/%d vs %d/%d (seed %llu)\n", round, i,
                            sarx_definition_id(sarx_definition_at(ctx, d)), x->category, x->complete,
                            one[d].category, one[d].complete, (unsigned long long)seed);
                    bad++;
                }
            }
        }
    }
    printf("batch equivalence: %d lane-definitions compared (seed %llu; set SARX_TEST_SEED to vary)\n", compared,
           (unsigned long long)seed);
    CHECK_INT(bad, 0);
    CHECK(compared > 100000);
    for (i = 0; i < SARX__LANES; i++)
        sarx_subject_free(subj[i]);
    sarx__batch_free(b);
}

/* The same double bit for bit, or both NaN (C leaves a NaN's sign and
** payload open: a compiler may swap the operands of a commutative
** operation, and of two NaNs the first is kept). */
static int same_double(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

/* derive() and its AVX-512 form give bit-identical derived values (and
** hi columns) on every lane, NaN where the other gives NaN: inputs drawn from missing values, zeros of
** either sign, the codes and cut-offs the rules use, and random magnitudes. */
/* The CLI's row and line numbers: put_counter against printf, counting up
** through every carry to 2,000,001, over 10^8 - 1 -> 10^8 (beyond which it
** hands over to put_count), and after jumps back, forward and to
** numbers it does not keep (negative, 9 digits and more). */
static void test_put_counter(void)
{
    static const long jumps[] = {5, 3, 0, 99999989, -7, 12, 123456789, 100000000, LONG_MAX, 41, 9999999, 1, 0};
    counter c = {-1, 0, 0};
    char got[64], want[32];
    long v;
    size_t k;
    int bad = 0, step;
    for (v = 0; v <= 2000001; v++) {
        char *e = put_counter(&c, got, v);
        snprintf(want, sizeof want, "%ld", v);
        if (((size_t)(e - got) != strlen(want) || memcmp(got, want, strlen(want)) != 0) && bad++ < 5)
            fprintf(stderr, "put_counter %ld: %.*s\n", v, (int)(e - got), got);
    }
    for (k = 0; k < sizeof jumps / sizeof jumps[0]; k++)
        for (step = 0, v = jumps[k]; step < 25; step++, v++) {
            char *e = put_counter(&c, got, v);
            snprintf(want, sizeof want, "%ld", v);
            if (((size_t)(e - got) != strlen(want) || memcmp(got, want, strlen(want)) != 0) && bad++ < 5)
                fprintf(stderr, "put_counter %ld after a jump: %.*s\n", v, (int)(e - got), got);
            if (v == LONG_MAX)
                break;
        }
    CHECK_INT(bad, 0);
}

/* out[] from the per-definition bytes: both paths give every pair in its
** place, for every number of definitions and rows, and write nothing past
** the n rows (out[] is allocated to the byte, for ASan). */
static void test_class_transpose(void)
{
    static uint64_t stage[SARX__LANES / 8][64][2];
    size_t nd, d;
    int n, g, k, bad = 0, wide;
    rng_state = 7;
    for (g = 0; g < SARX__LANES / 8; g++)
        for (d = 0; d < 64; d++)
            for (k = 0; k < 2; k++)
                stage[g][d][k] = rnd();
    for (nd = 1; nd <= 64; nd++)
        for (n = 1; n <= SARX__LANES; n++)
            for (wide = 0; wide < 2; wide++) {
                sarx_class *out = malloc((size_t)n * nd * sizeof *out);
                int i;
                if (!out)
                    abort();
                sarx__class_transpose(stage, nd, n, out, wide);
                for (i = 0; i < n; i++)
                    for (d = 0; d < nd; d++) {
                        unsigned cat = (unsigned)(stage[i / 8][d][0] >> (8 * (i % 8))) & 0xFFu;
                        unsigned cpl = (unsigned)(stage[i / 8][d][1] >> (8 * (i % 8))) & 0xFFu;
                        const sarx_class *o = &out[(size_t)i * nd + d];
                        if ((o->category != cat || o->complete != cpl) && bad++ < 5)
                            fprintf(stderr, "transpose (wide %d): %zu definitions, %d rows: row %d def %zu\n",
                                    wide, nd, n, i, d);
                    }
                free(out);
            }
    CHECK_INT(bad, 0);
}

/* The comparison kernels, the baseline's and the widest the processor has,
** against sarx__cmp (through assess.c's rule: < 0, <= 0, > 0, >= 0, and ==
** for SARX__IS) on and around each threshold's tolerance: t, t +- tol and
** one ulp either side of those, t +- tol / 2 and 2 tol, t's neighbours,
** zeros of either sign, infinities, NaN (never holds) and values around;
** each for every number of words in use (the lanes past them empty). */
static void test_batch_compare(void)
{
    static const double ts[] = {0.0, 0.8, 1.0, 4.0, 5.5, 7.0, 16.0, 20.0, 27.0, 70.0, 100.0, -3.0, 1e6, 1e-300};
    double x[SARX__LANES];
    uint64_t got[SARX__LWORDS];
    sarx__batch *b = sarx__batch_new();
    size_t k;
    int bad = 0, checked = 0;
    if (!b) {
        CHECK(0);
        return;
    }
    rng_state = 99;
    for (k = 0; k < sizeof ts / sizeof ts[0]; k++) {
        double t = ts[k], tol = 1e-9 * (fabs(t) > 1.0 ? fabs(t) : 1.0);
        const double edge[] = {t,
                               t + tol,
                               t - tol,
                               nextafter(t + tol, INFINITY),
                               nextafter(t + tol, -INFINITY),
                               nextafter(t - tol, INFINITY),
                               nextafter(t - tol, -INFINITY),
                               t + tol / 2,
                               t - tol / 2,
                               t + 2 * tol,
                               t - 2 * tol,
                               nextafter(t, INFINITY),
                               nextafter(t, -INFINITY),
                               0.0,
                               -0.0,
                               INFINITY,
                               -INFINITY,
                               NAN,
                               t * 1.001 + 1e-3,
                               t * 0.999 - 1e-3};
        int i, op, v, nw;
        for (i = 0; i < SARX__LANES; i++) /* the edges, then steps of tol / 4 around t, then random values */
            x[i] = i < (int)(sizeof edge / sizeof edge[0])
                       ? edge[i]
                       : i < 64 ? t + (i - 40) * tol / 4 : t + (unit01() - 0.5) * 8 * tol * (i % 3 ? 1 : 1e6);
        for (op = SARX__LT; op <= SARX__IS; op++)
            for (v = 0; v < 2; v++) {
                sarx__batch_use_baseline(b, v);
                for (nw = 1; nw <= SARX__LWORDS; nw++) {
                    sarx__batch_compare(b, op, x, t, nw, got);
                    for (i = 0; i < SARX__LANES; i++) {
                        int c = sarx__cmp(x[i], t), want;
                        switch (op) {
                        case SARX__LT: want = c < 0; break;
                        case SARX__LE: want = c <= 0; break;
                        case SARX__GT: want = c > 0; break;
                        case SARX__GE: want = c >= 0; break;
                        default: want = x[i] == t; break;
                        }
                        if (isnan(x[i]) || i >= 64 * nw)
                            want = 0;
                        checked++;
                        if ((int)((got[i / 64] >> (i % 64)) & 1u) != want && bad++ < 5)
                            fprintf(stderr, "batch compare (baseline %d, %d words): op %d, %.17g against %.17g: %d\n",
                                    v, nw, op, x[i], t, !want);
                    }
                }
            }
    }
    CHECK_INT(bad, 0);
    CHECK(checked >= 14 * 5 * 2 * 64); /* every threshold, operator and kernel, on a word or more */
    sarx__batch_free(b);
}

static void test_batch_derive(void)
{
    enum { ROUNDS = 3000 };
    static const double special[] = {0.0, -0.0, 1.0, 2.0, 0.5, 33.0, 34.0, 100.0, 1e-300, 1e300, 3.0, 10.0};
    sarx__batch *b[2] = {sarx__batch_new(), sarx__batch_new()};
    int round, f, i, v, bad = 0;
    unsigned char cs[SARX__LANES];
    if (!b[0] || !b[1]) {
        CHECK(0);
        return;
    }
    sarx__batch_use_baseline(b[0], 1);
    sarx__batch_use_baseline(b[1], 0); /* the widest the processor has (the same derive() without one) */
    rng_state = 20261121;
    for (round = 0; round < ROUNDS && bad < 5; round++) {
        for (f = 0; f < SARX__F_COUNT; f++)
            for (i = 0; i < SARX__LANES; i++) {
                double u = unit01(), x;
                if (u < 0.3)
                    x = NAN;
                else if (u < 0.55)
                    x = special[rnd() % (sizeof special / sizeof special[0])];
                else if (u < 0.65)
                    x = -unit01() * 10;
                else
                    x = unit01() * 250;
                sarx__batch_column(b[0], f)[i] = sarx__batch_column(b[1], f)[i] = x;
            }
        for (i = 0; i < SARX__LANES; i++) /* every combination of the summary's bits, and more */
            cs[i] = (unsigned char)(rnd() & 0x7F);
        for (v = 0; v < 2; v++) {
            memcpy(sarx__batch_conditions(b[v]), cs, sizeof cs);
            sarx__batch_derive(b[v]);
        }
        for (f = SARX__DERIVED_FIRST; f < SARX__M_COUNT && bad < 5; f++)
            for (i = 0; i < SARX__LANES; i++) {
                const double *l0 = sarx__batch_column(b[0], f), *l1 = sarx__batch_column(b[1], f);
                const double *h0 = sarx__batch_hi(b[0], f), *h1 = sarx__batch_hi(b[1], f);
                int hi_used = f == SARX__M_SF_TOTAL || f == SARX__M_CALF_TOTAL;
                if (!same_double(l0[i], l1[i]) || (hi_used && !same_double(h0[i], h1[i]))) {
                    fprintf(stderr, "derive differs: round %d measure %d lane %d: %.17g/%.17g vs %.17g/%.17g\n", round, f,
                            i, l0[i], hi_used ? h0[i] : l0[i], l1[i], hi_used ? h1[i] : l1[i]);
                    bad++;
                    break;
                }
            }
    }
    CHECK_INT(bad, 0);
    sarx__batch_free(b[0]);
    sarx__batch_free(b[1]);
}

/* The derived measures of random persons without a weight history: the
** batch's derive() (each kernel) bit for bit equal to measure() on every
** derived measure (lo, and hi where it can be an interval). */
static void test_derive_matches_measure(const sarx_ctx *ctx)
{
    enum { ROUNDS = 40 };
    static sarx__vals v[SARX__LANES];
    sarx__batch *b[2] = {sarx__batch_new(), sarx__batch_new()};
    sarx_subject *s;
    int round, i, k, f, lanes, bad = 0, compared = 0;
    if (!b[0] || !b[1] || sarx_subject_new(&s) != SARX_OK) {
        CHECK(0);
        return;
    }
    sarx__batch_use_baseline(b[0], 1);
    sarx__batch_use_baseline(b[1], 0);
    rng_state = 4242;
    for (round = 0; round < ROUNDS; round++) {
        for (lanes = 0; lanes < SARX__LANES;) {
            sarx_error err;
            random_subject(ctx, s);
            if (s->nhist || sarx__subject_finish(s, &err) != SARX_OK)
                continue; /* the batch takes history lanes from measure() itself */
            sarx__measure_values(s, &v[lanes]);
            for (k = 0; k < 2; k++) {
                for (f = 0; f < SARX__F_COUNT; f++)
                    sarx__batch_column(b[k], f)[lanes] = s->v[f];
                sarx__batch_conditions(b[k])[lanes] =
                    (unsigned char)sarx__conditions_summary(s->conditions.item, s->conditions.n);
            }
            lanes++;
        }
        for (k = 0; k < 2; k++) {
            sarx__batch_derive(b[k]);
            for (f = 0; f < SARX__M_COUNT; f++) /* the inputs too: some are set aside (an amputation) */
                for (i = 0; i < SARX__LANES; i++) {
                    double lo = sarx__batch_column(b[k], f)[i], hi = sarx__batch_hi(b[k], f)[i];
                    compared++;
                    if ((!same_double(lo, v[i].lo[f]) || (sarx__measure_interval(f) && !same_double(hi, v[i].hi[f]))) &&
                        bad++ < 5)
                        fprintf(stderr, "derive (kernel %d) differs from measure(): %s lane %d: %.17g vs %.17g\n", k,
                                sarx__measure_name(f), i, lo, v[i].lo[f]);
                }
        }
    }
    CHECK_INT(bad, 0);
    CHECK(compared >= ROUNDS * 2 * SARX__LANES * SARX__M_COUNT);
    sarx_subject_free(s);
    sarx__batch_free(b[0]);
    sarx__batch_free(b[1]);
}

/* Body composition against weight (ESPEN/EASO 2022 sarcopenic obesity):
** fat %, ALM/W and SMM/W, the inputs named when they are unknown, and fat
** mass given both ways held to one body (1 percentage point). */
static void test_weight_ratios(const sarx_ctx *ctx)
{
    static sarx__vals v;
    sarx_subject *s;
    sarx_error err;
    sarx_class cls[64];
    if (sarx_subject_new(&s) != SARX_OK) {
        CHECK(0);
        return;
    }
    sarx__measure(s, &v);
    CHECK(isnan(v.lo[SARX__M_FAT_PCT]) && sarx__set_has(&v.need[SARX__M_FAT_PCT], SARX__F_FAT_PCT));
    CHECK(isnan(v.lo[SARX__M_ASM_WEIGHT]) && sarx__set_has(&v.need[SARX__M_ASM_WEIGHT], SARX__F_ASM) &&
          sarx__set_has(&v.need[SARX__M_ASM_WEIGHT], SARX__F_WEIGHT));
    CHECK(isnan(v.lo[SARX__M_SMM_WEIGHT]) && sarx__set_has(&v.need[SARX__M_SMM_WEIGHT], SARX__F_SMM));
    sarx_subject_set_number(s, "weight_kg", 80, &err);
    sarx_subject_set_number(s, "fat_mass_kg", 24, &err);
    sarx_subject_set_number(s, "asm_kg", 20, &err);
    sarx_subject_set_number(s, "smm_kg", 30, &err);
    sarx__measure(s, &v);
    CHECK(v.lo[SARX__M_FAT_PCT] == 30.0 && v.hi[SARX__M_FAT_PCT] == 30.0);
    CHECK(v.lo[SARX__M_ASM_WEIGHT] == 25.0 && v.lo[SARX__M_SMM_WEIGHT] == 37.5);
    CHECK(sarx__derived_lookup("fat_pct") == SARX__M_FAT_PCT);
    CHECK(sarx__derived_lookup("asm_weight_pct") == SARX__M_ASM_WEIGHT);
    CHECK(sarx__derived_lookup("smm_weight_pct") == SARX__M_SMM_WEIGHT);
    CHECK_STR(sarx__measure_unit(SARX__M_FAT_PCT), "%");
    /* fat_mass_pct wins when both are given and agree within 1 point */
    CHECK_INT(sarx_subject_set_number(s, "fat_mass_pct", 31, &err), SARX_OK);
    CHECK_INT(sarx_classify(ctx, s, cls, &err), SARX_OK);
    sarx__measure(s, &v);
    CHECK(v.lo[SARX__M_FAT_PCT] == 31.0);
    sarx_subject_clear(s);
    sarx_subject_set_number(s, "weight_kg", 80, &err);
    sarx_subject_set_number(s, "fat_mass_kg", 24, &err);
    sarx_subject_set_number(s, "fat_mass_pct", 31.5, &err);
    CHECK_INT(sarx_classify(ctx, s, cls, &err), SARX_ECONFLICT);
    CHECK_STR(err.field, "fat_mass_pct");
    CHECK(strstr(err.message, "fat_mass_kg") && strstr(err.message, "31.5") && strstr(err.message, "30.0 %"));
    sarx_subject_clear(s); /* without a weight the two cannot be compared: fat_mass_pct is read */
    sarx_subject_set_number(s, "fat_mass_kg", 24, &err);
    sarx_subject_set_number(s, "fat_mass_pct", 45, &err);
    CHECK_INT(sarx_classify(ctx, s, cls, &err), SARX_OK);
    sarx_subject_free(s);
}

/* Pregnancy, limb loss and fluid (issue 26 item 6) in measure(): the
** percentage lost by level (Osterkamp 1995 segments as ranges, doubled when
** bilateral, amputation_pct winning), the whole-body weight and BMI, what
** is set aside and which input each names (none in pregnancy,
** amputation_adjusted after an amputation, amputation_pct for a range),
** and the sides of a judgement fluid could have moved. */
static void test_set_aside(void)
{
    static const double want[9][2] = {{0, 0},     {0, 0},     {0, 0.7},   {0.7, 2.3},   {2.3, 5.0},
                                      {0, 1.5},   {1.5, 5.9}, {5.9, 16.0}, {16.0, 16.0}};
    static sarx__vals v;
    sarx_subject *s;
    sarx_error err;
    double lo, hi;
    int k;
    for (k = 1; k <= 8; k++) {
        sarx__amputation_range(NAN, k, NAN, 0, &lo, &hi);
        CHECK(lo == want[k][0] && hi == want[k][1]);
        sarx__amputation_range(NAN, k, 1.0, 0, &lo, &hi); /* bilateral */
        CHECK(lo == 2 * want[k][0] && hi == 2 * want[k][1]);
        sarx__amputation_range(12.5, k, 1.0, SARX__CS_AMPUTATION, &lo, &hi); /* amputation_pct wins */
        CHECK(lo == 12.5 && hi == 12.5);
    }
    sarx__amputation_range(NAN, NAN, NAN, SARX__CS_AMPUTATION, &lo, &hi); /* listed, no level */
    CHECK(isnan(lo) && isnan(hi));
    sarx__amputation_range(NAN, NAN, NAN, SARX__CS_ANY, &lo, &hi); /* none known */
    CHECK(lo == 0 && hi == 0);
    if (sarx_subject_new(&s) != SARX_OK) {
        CHECK(0);
        return;
    }
    /* below the knee: 60 kg -> 60 / (1 - 0.015) .. 60 / (1 - 0.059); mass set aside */
    sarx_subject_set_number(s, "weight_kg", 60, &err);
    sarx_subject_set_number(s, "height_cm", 175, &err);
    sarx_subject_set_number(s, "asm_kg", 17, &err);
    sarx_subject_set_number(s, "calf_circumference_cm", 31, &err);
    sarx_subject_set_text(s, "amputation", "below_knee", 10, 0, &err);
    sarx__measure(s, &v);
    CHECK(v.lo[SARX__M_WEIGHT_EST] == 60 / (1.0 - 1.5 / 100.0) && v.hi[SARX__M_WEIGHT_EST] == 60 / (1.0 - 5.9 / 100.0));
    CHECK(v.lo[SARX__M_BMI] == v.lo[SARX__M_WEIGHT_EST] / (1.75 * 1.75) && v.hi[SARX__M_BMI] > v.lo[SARX__M_BMI]);
    CHECK(sarx__set_has(&v.need[SARX__M_BMI], SARX__F_AMPUTATION_PCT));
    CHECK(isnan(v.lo[SARX__F_ASM]) && isnan(v.lo[SARX__M_ASMI]) && isnan(v.lo[SARX__F_CALF]));
    CHECK(sarx__set_has(&v.need[SARX__M_ASMI], SARX__F_AMPUTATION_ADJUSTED));
    CHECK(!sarx__set_has(&v.need[SARX__M_ASMI], SARX__F_ASM)); /* given: only its adjustment is missing */
    CHECK((v.warn & SARX__W_AMPUTATION) && (v.warn & SARX__W_AMPUTATION_MASS));
    CHECK(sarx__measure_void(&v, SARX__M_ASMI) && !sarx__measure_void(&v, SARX__M_BMI));
    sarx_subject_set_bool(s, "amputation_adjusted", 1, &err);
    sarx__measure(s, &v);
    CHECK(v.lo[SARX__F_ASM] == 17 && v.lo[SARX__M_ASMI] == 17 / (1.75 * 1.75) && !(v.warn & SARX__W_AMPUTATION_MASS));
    CHECK(v.lo[SARX__M_ALM_BMI] == 17 / v.hi[SARX__M_BMI] && v.hi[SARX__M_ALM_BMI] == 17 / v.lo[SARX__M_BMI]);
    CHECK(!sarx__measure_void(&v, SARX__M_ASMI));
    /* pregnancy: weight-based values set aside, nothing to collect */
    sarx_subject_clear(s);
    sarx_subject_set_number(s, "height_cm", 160, &err);
    sarx_subject_set_number(s, "asm_kg", 14, &err);
    sarx_subject_add_item(s, "conditions", "pregnancy, 20 weeks", &err);
    sarx__measure(s, &v);
    for (k = 0; k < 4; k++) {
        static const int m[4] = {SARX__M_BMI, SARX__M_WL6, SARX__M_ALM_BMI, SARX__F_WAIST};
        CHECK(isnan(v.lo[m[k]]) && sarx__set_empty(&v.need[m[k]]) && sarx__measure_void(&v, m[k]));
    }
    CHECK(v.lo[SARX__M_ASMI] == 14 / (1.6 * 1.6) && !sarx__measure_void(&v, SARX__M_ASMI)); /* per height: kept */
    CHECK((v.warn & SARX__W_PREGNANT) && !(v.warn & SARX__W_PREGNANT_LISTED));
    sarx_subject_set_bool(s, "pregnant", 0, &err);
    sarx__measure(s, &v);
    CHECK((v.warn & SARX__W_PREGNANT) && (v.warn & SARX__W_PREGNANT_LISTED));
    sarx_subject_free(s);
    {   /* the sides fluid could have moved: below a cut-off stays below for what fluid raises */
        sarx__row bmi_low = {"r", "c", SARX__M_BMI, SARX__ANY, SARX__LT, 20, "", 0, "x"};
        sarx__row bmi_high = {"r", "c", SARX__M_BMI, SARX__ANY, SARX__GE, 30, "", 0, "x"};
        sarx__row ratio_low = {"r", "c", SARX__M_ALM_BMI, SARX__ANY, SARX__LT, 0.5, "", 0, "x"};
        sarx__row fat_high = {"r", "c", SARX__M_FAT_PCT, SARX__ANY, SARX__GT, 38, "", 0, "x"};
        sarx__row loss = {"r", "c", SARX__M_WL6, SARX__ANY, SARX__GT, 5, "", 0, "x"};
        sarx__row grip = {"r", "c", SARX__F_GRIP, SARX__ANY, SARX__LT, 16, "", 0, "x"};
        CHECK_INT(sarx__row_fluid(&bmi_low), SARX__SOFT_NOT);
        CHECK_INT(sarx__row_fluid(&bmi_high), SARX__SOFT_MET);
        CHECK_INT(sarx__row_fluid(&ratio_low), SARX__SOFT_MET);
        CHECK_INT(sarx__row_fluid(&fat_high), SARX__SOFT_NOT);
        CHECK_INT(sarx__row_fluid(&loss), SARX__SOFT_MET | SARX__SOFT_NOT);
        CHECK_INT(sarx__row_fluid(&grip), 0);
    }
}

/* What the person's illnesses mean for the rules (measures.c), for every
** chronic_illness and cancer (missing, false, true) and lists of every kind
** of condition: known_illness, disease_inflammation and cancer_known as the
** brief of issue 26 states them, the inputs named when they are unknown,
** and the batch's derive() (each kernel) equal to measure() on the
** vocabulary's summary. */
static double tri_want(int one, int zero) { return one ? 1.0 : zero ? 0.0 : NAN; }

static void test_condition_measures(void)
{
    static const char *const lists[][3] = {
        {NULL},
        {"hypertension", NULL},
        {"COPD", NULL},
        {"sepsis", NULL},
        {"lung cancer", NULL},
        {"icd10:C34.1", NULL},
        {"icd10:D12.6", NULL},
        {"type 2 diabetes", NULL},
        {"type 2 diabetes", "COPD", NULL},
        {"hypertension", "type 2 diabetes", NULL},
        {"family history of cancer", NULL},
        {"no cancer", NULL},
        {"history of breast cancer", "sepsis", NULL},
        {"pregnancy", "below-knee amputation", NULL},
    };
    static const unsigned summary[] = {
        0,
        SARX__CS_ANY,
        SARX__CS_ANY | SARX__CS_INFLAM | SARX__CS_CHRONIC,
        SARX__CS_ANY | SARX__CS_INFLAM,
        SARX__CS_ANY | SARX__CS_INFLAM | SARX__CS_CHRONIC | SARX__CS_CANCER,
        SARX__CS_ANY | SARX__CS_INFLAM | SARX__CS_CHRONIC | SARX__CS_CANCER,
        SARX__CS_ANY,
        SARX__CS_ANY | SARX__CS_UNKNOWN,
        SARX__CS_ANY | SARX__CS_UNKNOWN | SARX__CS_INFLAM | SARX__CS_CHRONIC,
        SARX__CS_ANY | SARX__CS_UNKNOWN,
        SARX__CS_ANY,
        SARX__CS_ANY | SARX__CS_UNKNOWN,
        SARX__CS_ANY | SARX__CS_UNKNOWN | SARX__CS_INFLAM,
        SARX__CS_ANY | SARX__CS_PREGNANCY | SARX__CS_AMPUTATION,
    };
    static const double tri[3] = {NAN, 0.0, 1.0};
    static const int m[3] = {SARX__M_ILLNESS, SARX__M_INFLAM, SARX__M_CANCER};
    static const int need[3] = {SARX__F_CHRONIC, SARX__F_INFLAMMATION, SARX__F_CANCER};
    static double wants[SARX__LANES][3];
    static sarx__vals v;
    sarx__batch *b[2] = {sarx__batch_new(), sarx__batch_new()};
    sarx_subject *s;
    sarx_error err;
    size_t l, k;
    int ch, ca, lane = 0, bad = 0, i;
    _Static_assert(sizeof lists / sizeof lists[0] * 9 <= SARX__LANES, "one lane per case");
    if (!b[0] || !b[1] || sarx_subject_new(&s) != SARX_OK) {
        CHECK(0);
        return;
    }
    sarx__batch_use_baseline(b[0], 1);
    sarx__batch_use_baseline(b[1], 0);
    for (l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (ch = 0; ch < 3; ch++)
            for (ca = 0; ca < 3; ca++, lane++) {
                double c = tri[ch], x = tri[ca], want[3];
                unsigned cs;
                sarx_subject_clear(s);
                for (k = 0; lists[l][k]; k++)
                    CHECK_INT(sarx_subject_add_item(s, "conditions", lists[l][k], &err), SARX_OK);
                if (!isnan(c))
                    sarx_subject_set_bool(s, "chronic_illness", c == 1.0, &err);
                if (!isnan(x))
                    sarx_subject_set_bool(s, "cancer", x == 1.0, &err);
                cs = sarx__conditions_summary(s->conditions.item, s->conditions.n);
                CHECK_INT(cs, summary[l]);
                want[0] = tri_want(c == 1 || x == 1 || (cs & SARX__CS_CHRONIC),
                                   c == 0 || ((cs & SARX__CS_ANY) && !(cs & SARX__CS_UNKNOWN) &&
                                              !(cs & SARX__CS_INFLAM)));
                want[1] = tri_want(x == 1 || (cs & SARX__CS_INFLAM),
                                   c != 1 && !(cs & SARX__CS_UNKNOWN) && (cs & SARX__CS_ANY));
                want[2] = tri_want(x == 1 || (cs & SARX__CS_CANCER), x == 0);
                sarx__measure(s, &v);
                for (i = 0; i < 3; i++) {
                    int ok = isnan(want[i]) ? isnan(v.lo[m[i]]) && isnan(v.hi[m[i]])
                                            : v.lo[m[i]] == want[i] && v.hi[m[i]] == want[i];
                    ok &= isnan(want[i]) ? sarx__set_has(&v.need[m[i]], need[i]) : sarx__set_empty(&v.need[m[i]]);
                    if (!ok && bad++ < 5)
                        fprintf(stderr, "condition measures: list %zu, chronic %g, cancer %g: measure %d is %g\n", l,
                                c, x, m[i], v.lo[m[i]]);
                }
                for (i = 0; i < 3; i++)
                    wants[lane][i] = want[i];
                for (i = 0; i < 2; i++) { /* the same person in lane `lane` of each batch */
                    sarx__batch_column(b[i], SARX__F_CHRONIC)[lane] = c;
                    sarx__batch_column(b[i], SARX__F_CANCER)[lane] = x;
                    sarx__batch_conditions(b[i])[lane] = (unsigned char)cs;
                }
            }
    for (i = 0; i < 2; i++) {
        int j, q;
        sarx__batch_derive(b[i]);
        for (j = 0; j < lane; j++)
            for (q = 0; q < 3; q++) {
                double got = sarx__batch_column(b[i], m[q])[j];
                if (!(isnan(wants[j][q]) ? isnan(got) : got == wants[j][q]) && bad++ < 5)
                    fprintf(stderr, "condition measures: batch kernel %d lane %d measure %d: %g\n", i, j, m[q], got);
            }
    }
    CHECK_INT(bad, 0);
    {   /* the vocabulary's readings the rules rest on */
        sarx_subject_clear(s);
        sarx_subject_add_item(s, "conditions", "hypertension", &err);
        sarx__measure_values(s, &v);
        CHECK(v.lo[SARX__M_INFLAM] == 0.0 && v.lo[SARX__M_ILLNESS] == 0.0 && isnan(v.lo[SARX__M_CANCER]));
        sarx_subject_clear(s);
        sarx_subject_add_item(s, "conditions", "sepsis", &err);
        sarx__measure_values(s, &v);
        CHECK(v.lo[SARX__M_INFLAM] == 1.0 && isnan(v.lo[SARX__M_ILLNESS])); /* acute alone: Evans left open */
        sarx_subject_clear(s); /* chronic_illness false says nothing of an acute illness */
        sarx_subject_set_bool(s, "chronic_illness", 0, &err);
        sarx__measure_values(s, &v);
        CHECK(isnan(v.lo[SARX__M_INFLAM]) && v.lo[SARX__M_ILLNESS] == 0.0);
        sarx_subject_clear(s);
        sarx_subject_add_item(s, "conditions", "type 2 diabetes", &err);
        sarx__measure_values(s, &v);
        CHECK(isnan(v.lo[SARX__M_INFLAM]) && isnan(v.lo[SARX__M_ILLNESS]));
    }
    sarx_subject_free(s);
    sarx__batch_free(b[0]);
    sarx__batch_free(b[1]);
}

/* One random CSV cell for a field: usual values in several spellings, and
** now and then blanks around it (read the slow way) or a value the field
** refuses.  plain: only the spellings the fast way reads (no sign, exponent,
** blank, list or unknown word), and values on, inside and one past the
** edges, so that a row is read by the fast way alone, or refused by it. */
static void random_cell(char *buf, size_t cap, const sarx_field_info *fi, int decimal_comma, int plain)
{
    double u = unit01();
    buf[0] = '\0';
    if (u < 0.25 && fi->kind != SARX_KIND_STRING)
        return; /* empty */
    switch (fi->kind) {
    case SARX_KIND_NUMBER:
    case SARX_KIND_INTEGER: {
        double v = fi->min + unit01() * (fi->max - fi->min), w = unit01();
        int prec = fi->kind == SARX_KIND_INTEGER ? 0 : (int)(rnd() % 4);
        char *comma;
        if (w < 0.001)
            v = fi->max + 1 + unit01() * 10; /* out of range */
        else if (w < 0.002)
            v = fi->min - 1 - unit01() * 10;
        else if (w < 0.004)
            v = unit01() < 0.5 ? fi->min - 1 : fi->max + 1; /* one past an edge */
        else if (w < 0.02)
            v = unit01() < 0.5 ? fi->min : fi->max; /* on the edges */
        if (plain && w >= 0.02 && w < 0.07)
            w = 0.07; /* the plain spelling */
        if (w >= 0.02 && w < 0.025 && fi->kind == SARX_KIND_INTEGER) {
            snprintf(buf, cap, "%.1f", floor(v) + 0.5); /* not whole */
        } else if (w >= 0.025 && w < 0.026) {
            snprintf(buf, cap, "x%.0f", v); /* not a number */
        } else if (w >= 0.026 && w < 0.029) {
            snprintf(buf, cap, " %.*f ", prec, v); /* blanks around: the slow way */
        } else if (w >= 0.03 && w < 0.05) {
            snprintf(buf, cap, "%.3e", fi->kind == SARX_KIND_INTEGER ? floor(v) : v); /* an exponent */
        } else {
            snprintf(buf, cap, "%s%.*f", !plain && w < 0.07 && v >= 0 ? "+" : "", prec, v);
        }
        if (decimal_comma && (comma = strchr(buf, '.')))
            *comma = ',';
        return;
    }
    case SARX_KIND_BOOL: {
        static const char *const words[] = {"true", "false", "yes", "no", "1", "0", "TRUE", "No", "YES", "False"};
        double w = unit01();
        snprintf(buf, cap, "%s", plain ? words[rnd() % 10] : w < 0.001 ? "maybe" : w < 0.003 ? " yes" : words[rnd() % 10]);
        return;
    }
    case SARX_KIND_ENUM: {
        const char *v = fi->values;
        size_t nw = 1, k, pick, i;
        for (k = 0; v[k]; k++)
            nw += v[k] == '|';
        pick = rnd() % nw;
        for (k = 0; k < pick; k++)
            v = strchr(v, '|') + 1;
        for (i = 0; v[i] && v[i] != '|' && i + 1 < cap; i++)
            buf[i] = (char)((rnd() & 3) == 0 && v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]);
        buf[i] = '\0';
        if (strcmp(fi->name, "sex") == 0 && unit01() < 0.2)
            snprintf(buf, cap, "%c", "mMfF"[rnd() % 4]);
        if (!plain && unit01() < 0.003)
            snprintf(buf, cap, "other");
        return;
    }
    case SARX_KIND_DATE:
        snprintf(buf, cap, plain || unit01() < 0.99 ? "2025-%02d-%02d" : "2025-%02d-%02dx", 1 + (int)(rnd() % 12),
                 1 + (int)(rnd() % 28));
        return;
    case SARX_KIND_LIST: {
        static const char *const lists[] = {"copd", "copd; heart failure", " ; ", "ckd;", "type 2 diabetes",
                                            "hypertension;icd10:c34.1", "ICD10: N18.4", "no cancer;sepsis",
                                            "icd10:XYZ", "[{\"system\":\"icd10\",\"code\":\"I50\"}]",
                                            "pregnancy;family history of cancer", "below-knee amputation",
                                            "icd10:O26.8;amputee"};
        if (plain || unit01() < 0.7)
            return; /* mostly empty: a list is read the slow way */
        snprintf(buf, cap, "%s", lists[rnd() % (sizeof lists / sizeof lists[0])]);
        return;
    }
    default:
        snprintf(buf, cap, "p%u", (unsigned)(rnd() % 100000));
        return;
    }
}

/* Cells parsed straight into the batch's columns (sarx_cohort_parse) give
** what the subject API gives for the same text (sarx_subject_set_text per
** cell, then sarx_classify): the same rows refused with the same message,
** the same category and completeness for the others.  Random rows over
** every field that has a CSV form, with canonical names, with units
** converted (aliases), and with a decimal comma; each read eight rows at a
** time (cells8.c, where the processor can) and by the scalar path alone,
** row by row (sarx_cohort_parse), and added then read at classification
** (sarx_cohort_add), whose refusals come back in ok[] and errs[], the
** last also with the text around the cells readable (sarx_cohort_readable:
** eight bytes of a cell at once). */
static void test_cohort_columns(const sarx_ctx *ctx)
{
    enum { ROWS = 6000, MAXCOL = 80 };
    static const char *const alias_names[] = {"height_in", "weight_lb", "grip_lb", "crp_mg_dl", "hemoglobin_g_l",
                                              "albumin_g_l", "testosterone_nmol_l"};
    static char store[SARX_COHORT_BATCH][MAXCOL][48];
    static sarx_class out[SARX_COHORT_BATCH * 64], ref[SARX_COHORT_BATCH][64];
    static sarx_error errs[SARX_COHORT_BATCH], refe[SARX_COHORT_BATCH];
    char *hdr[MAXCOL], *cells[SARX_COHORT_BATCH][MAXCOL];
    size_t hl[MAXCOL], lens[SARX_COHORT_BATCH][MAXCOL], nd = sarx_definition_count(ctx), ncol = 0, f, k;
    const sarx_field_info *info[MAXCOL];
    int refok[SARX_COHORT_BATCH], variant, bad = 0;
    long compared = 0, refused = 0, slow = 0, accepted = 0;
    unsigned char ok[SARX_COHORT_BATCH];
    sarx_subject *s;
    rng_state = 777;
    sarx_subject_new(&s);
    for (variant = 0; variant < 12; variant++) { /* canonical names, aliases, decimal comma; each four ways */
        sarx_cohort *c;
        sarx_error err;
        int dc = variant % 3 == 2, row = 0, add = variant >= 6;
        ncol = 0;
        for (f = 0; f < SARX__F_COUNT; f++) { /* the canonical fields (aliases follow them) */
            const sarx_field_info *fi = sarx_field_at(f);
            if (fi->kind == SARX_KIND_HISTORY)
                continue;
            hdr[ncol] = (char *)fi->name;
            for (k = 0; variant % 3 == 1 && k < sizeof alias_names / sizeof alias_names[0]; k++)
                if (strcmp(sarx_field_find(alias_names[k])->canonical, fi->name) == 0)
                    hdr[ncol] = (char *)alias_names[k];
            info[ncol] = sarx_field_find(hdr[ncol]);
            hl[ncol] = strlen(hdr[ncol]);
            ncol++;
        }
        CHECK(ncol <= MAXCOL);
        CHECK_INT(sarx_cohort_new(ctx, hdr, hl, ncol, dc ? SARX_COHORT_DECIMAL_COMMA : 0, &c, &err), SARX_OK);
        sarx__cohort_use_baseline(c, variant >= 3 && variant < 6); /* eight rows at once where the processor can, or the scalar path */
        if (variant >= 9) /* added, their text (and the bytes left past each cell) readable to the end of store */
            sarx_cohort_readable(c, (const char *)store + sizeof store);
        while (row < ROWS && bad < 5) {
            int n = 0, i;
            /* Up to a batch of rows that parse; refused ones are compared on the way. */
            while (n < SARX_COHORT_BATCH && row < ROWS && bad < 5) {
                sarx_error e1, e2;
                int rc1, rc2 = SARX_OK, blanks = 0, plain = unit01() < 0.5;
                row++;
                for (k = 0; k < ncol; k++) {
                    random_cell(store[n][k], sizeof store[n][k], info[k], dc, plain);
                    if (strcmp(info[k]->name, "sarc_f") == 0 && unit01() < 0.9)
                        store[n][k][0] = '\0'; /* a total beside items mostly disagrees */
                    if (strcmp(info[k]->name, "fat_mass_kg") == 0 && unit01() < 0.9)
                        store[n][k][0] = '\0'; /* likewise fat mass in kg beside a fat % */
                    cells[n][k] = store[n][k];
                    lens[n][k] = strlen(store[n][k]);
                    blanks |= lens[n][k] && (store[n][k][0] == ' ' || store[n][k][lens[n][k] - 1] == ' ');
                }
                slow += blanks;
                rc1 = add ? sarx_cohort_add(c, cells[n], lens[n], ncol, &e1) : sarx_cohort_parse(c, cells[n], lens[n], ncol, &e1);
                sarx_subject_clear(s);
                for (k = 0; k < ncol && rc2 == SARX_OK; k++)
                    if (strcmp(hdr[k], "id") != 0)
                        rc2 = sarx_subject_set_text(s, hdr[k], cells[n][k], lens[n][k],
                                                    dc ? SARX_TEXT_DECIMAL_COMMA : 0, &e2);
                if (rc2 == SARX_OK)
                    rc2 = sarx_classify(ctx, s, ref[n], &e2);
                refe[n] = e2;
                if (add ? rc1 != SARX_OK
                        : (rc1 == SARX_OK) != (rc2 == SARX_OK) ||
                              (rc1 != SARX_OK && strcmp(e1.message, e2.message) != 0)) {
                    fprintf(stderr, "cohort columns: variant %d row %d: parse %d \"%s\", subject %d \"%s\"\n",
                            variant, row, rc1, rc1 ? e1.message : "", rc2, rc2 ? e2.message : "");
                    bad++;
                }
                refok[n] = rc2 == SARX_OK;
                refused += add ? rc2 != SARX_OK : rc1 != SARX_OK;
                if (rc1 == SARX_OK)
                    n++;
            }
            CHECK_INT(sarx_cohort_classify(c, out, ok, errs), n);
            for (i = 0; i < n; i++) {
                size_t d;
                if (ok[i] != refok[i] || (!ok[i] && strcmp(errs[i].message, refe[i].message) != 0)) {
                    fprintf(stderr, "cohort columns: variant %d lane %d: ok %d \"%s\", subject %d \"%s\"\n", variant,
                            i, ok[i], ok[i] ? "" : errs[i].message, refok[i], refok[i] ? "" : refe[i].message);
                    bad++;
                }
                if (!refok[i] || !ok[i])
                    continue;
                accepted++;
                for (d = 0; d < nd; d++, compared++)
                    if (out[(size_t)i * nd + d].category != ref[i][d].category ||
                        out[(size_t)i * nd + d].complete != ref[i][d].complete) {
                        fprintf(stderr, "cohort columns: variant %d lane %d %s: %d/%d, subject %d/%d\n", variant,
                                i, sarx_definition_id(sarx_definition_at(ctx, d)), out[(size_t)i * nd + d].category,
                                out[(size_t)i * nd + d].complete, ref[i][d].category, ref[i][d].complete);
                        bad++;
                        break;
                    }
            }
        }
        CHECK_INT(sarx_cohort_rejected(c), refused);
        refused = 0;
        sarx_cohort_free(c);
    }
    printf("cohort columns: %ld rows accepted (%ld of all rows with blanks around a cell), %ld row-definitions "
           "compared\n", accepted, slow, compared);
    CHECK_INT(bad, 0);
    CHECK(accepted > 12 * ROWS / 4); /* most rows are read the fast way whole */
    CHECK(compared > 200000);
    sarx_subject_free(s);
}

/* The counts (strata, categories, agreement) of the widest counting the
** processor has and of the SWAR one, on the same random rows: the same
** summary.  Ages sit on and around the bands' edges, sexes include the
** unknown, some rows are refused. */
static void test_cohort_counts(const sarx_ctx *ctx)
{
    enum { ROWS = 5000, MAXCOL = 80 };
    static const char *const ages[] = {"18", "29", "29.999", "30", "30.001", "39.99", "40", "49.5", "50", "59.999",
                                       "60", "69", "69.9999", "70", "79.99", "80", "80.5", "99", "120", ""};
    static char store[MAXCOL][48];
    char *hdr[MAXCOL], *cells[MAXCOL], *j1, *j2;
    size_t hl[MAXCOL], lens[MAXCOL], ncol = 0, f, k;
    const sarx_field_info *info[MAXCOL];
    sarx_cohort *c[2];
    sarx_error err;
    int row, w;
    rng_state = 4242;
    for (f = 0; f < SARX__F_COUNT; f++) {
        const sarx_field_info *fi = sarx_field_at(f);
        if (fi->kind == SARX_KIND_HISTORY)
            continue;
        hdr[ncol] = (char *)fi->name;
        info[ncol] = fi;
        hl[ncol] = strlen(hdr[ncol]);
        ncol++;
    }
    CHECK(ncol <= MAXCOL);
    for (w = 0; w < 2; w++) {
        CHECK_INT(sarx_cohort_new(ctx, hdr, hl, ncol, 0, &c[w], &err), SARX_OK);
        sarx__cohort_use_baseline(c[w], w);
    }
    for (row = 0; row < ROWS; row++) {
        for (k = 0; k < ncol; k++) {
            random_cell(store[k], sizeof store[k], info[k], 0, unit01() < 0.7);
            if (strcmp(info[k]->name, "age_years") == 0 && unit01() < 0.7)
                snprintf(store[k], sizeof store[k], "%s", ages[rnd() % (sizeof ages / sizeof ages[0])]);
            if (strcmp(info[k]->name, "sarc_f") == 0 && unit01() < 0.9)
                store[k][0] = '\0';
            if (strcmp(info[k]->name, "fat_mass_kg") == 0 && unit01() < 0.9)
                store[k][0] = '\0'; /* fat mass in kg beside a fat % mostly disagrees */
            cells[k] = store[k];
            lens[k] = strlen(store[k]);
        }
        for (w = 0; w < 2; w++)
            if (sarx_cohort_parse(c[w], cells, lens, ncol, &err) == SARX_ERANGE) { /* a full batch */
                sarx_cohort_classify(c[w], NULL, NULL, NULL);
                sarx_cohort_parse(c[w], cells, lens, ncol, &err);
            }
    }
    for (w = 0; w < 2; w++)
        sarx_cohort_classify(c[w], NULL, NULL, NULL);
    j1 = sarx_cohort_summary_json(c[0]);
    j2 = sarx_cohort_summary_json(c[1]);
    CHECK(j1 && j2 && strcmp(j1, j2) == 0);
    CHECK_INT(sarx_cohort_rows(c[0]), sarx_cohort_rows(c[1]));
    CHECK(sarx_cohort_rows(c[0]) > ROWS / 2 && sarx_cohort_rejected(c[0]) > 0);
    CHECK(j1 && strstr(j1, "\"70-79\"") && strstr(j1, "\"age unknown\"") && strstr(j1, "\"sex unknown\""));
    sarx_free(j1);
    sarx_free(j2);
    sarx_cohort_free(c[0]);
    sarx_cohort_free(c[1]);
}

/* Rows where a definition does not apply (not_applicable: Fearon without
** cancer, Janssen below 60) are counted apart: not in the positive
** reading's denominator nor in agreement, and shown as "n/a" in the text. */
static void test_cohort_not_applicable(const sarx_ctx *ctx)
{
    static const char *const rows[][7] = {
        /* sex, age, cancer, 6-month loss, anorexia, ct_l3, smm_kg (height 170 cm, 72.25 kg) */
        {"male", "70", "false", "10", "false", "60", "22"},  /* Fearon n/a; Janssen severe */
        {"male", "30", "false", "10", "false", "60", "22"},  /* both n/a */
        {"male", "45", "false", "1", "false", "60", "35"},   /* both n/a */
        {"male", "70", "true", "8", "false", "60", "35"},    /* Fearon cachexia (incomplete: refractory open) */
        {"male", "70", "true", "1", "false", "60", "35"},    /* Fearon no_cachexia (complete); Janssen none */
        {"male", "70", "", "1", "false", "60", "35"},        /* Fearon indeterminate (cancer unknown) */
    };
    static const char *const hdr[] = {"sex", "age_years", "cancer", "weight_loss_pct_6m", "anorexia",
                                      "ct_l3_smi_cm2_m2", "smm_kg", "height_cm", "weight_kg", "cancer_unresponsive"};
    size_t hl[10], lens[10], i, k;
    char *cells[10];
    sarx_cohort *c;
    sarx_error err;
    char *js, *text;
    json_t *root, *defs, *it;
    for (k = 0; k < 10; k++)
        hl[k] = strlen(hdr[k]);
    CHECK_INT(sarx_cohort_new(ctx, (char *const *)hdr, hl, 10, 0, &c, &err), SARX_OK);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (k = 0; k < 7; k++)
            cells[k] = (char *)rows[i][k];
        cells[7] = "170";
        cells[8] = "72.25";
        cells[9] = "false";
        for (k = 0; k < 10; k++)
            lens[k] = strlen(cells[k]);
        CHECK_INT(sarx_cohort_parse(c, cells, lens, 10, &err), SARX_OK);
    }
    CHECK_INT(sarx_cohort_classify(c, NULL, NULL, NULL), 6);
    js = sarx_cohort_summary_json(c);
    root = js ? json_loads(js, 0, NULL) : NULL;
    defs = json_object_get(root, "definitions");
    json_array_foreach(defs, i, it) {
        const char *id = json_string_value(json_object_get(it, "definition"));
        json_t *all = json_object_get(json_object_get(it, "by"), "all");
        if (strcmp(id, "fearon2011") == 0) {
            CHECK_INT(json_integer_value(json_object_get(all, "not_applicable")), 3);
            CHECK_INT(json_integer_value(json_object_get(all, "indeterminate")), 1);
            CHECK_INT(json_integer_value(json_object_get(all, "reading_decided")), 2); /* cachexia, no_cachexia */
            CHECK_INT(json_integer_value(json_object_get(json_object_get(all, "positive"), "count")), 1);
            CHECK_INT(json_integer_value(json_object_get(json_object_get(all, "positive"), "of")), 2);
        } else if (strcmp(id, "janssen2004") == 0) {
            CHECK_INT(json_integer_value(json_object_get(all, "not_applicable")), 2);
            CHECK_INT(json_integer_value(json_object_get(all, "reading_decided")), 4);
            CHECK_INT(json_integer_value(json_object_get(json_object_get(all, "positive"), "count")), 1);
        } else if (strcmp(id, "ewgsop2") == 0) {
            CHECK(json_object_get(all, "not_applicable") == NULL); /* only where a definition has the category */
        }
    }
    json_array_foreach(json_object_get(root, "agreement"), i, it) { /* rows decided by both: n/a rows left out */
        if (strcmp(json_string_value(json_object_get(it, "a")), "janssen2004") == 0 &&
            strcmp(json_string_value(json_object_get(it, "b")), "fearon2011") == 0)
            CHECK_INT(json_integer_value(json_object_get(it, "n")), 2);
    }
    json_decref(root);
    sarx_free(js);
    text = sarx_cohort_summary_text(c);
    CHECK(text && strstr(text, "n/a") && strstr(text, "does not apply"));
    {   /* the Fearon line: 2 decided, 1 undecided, 3 n/a */
        const char *f = text ? strstr(text, "\nfearon2011 ") : NULL;
        long d1 = -1, d2 = -1, d3 = -1;
        CHECK(f && sscanf(f, " fearon2011 %ld %ld %ld", &d1, &d2, &d3) == 3 && d1 == 2 && d2 == 1 && d3 == 3);
    }
    sarx_free(text);
    sarx_cohort_free(c);
}

/* Wilson intervals and kappa against worked values. */
static void test_stats(void)
{
    double lo, hi;
    /* x = 5 of 10: p = 0.5, z = 1.96 -> 0.2366 .. 0.7634 (Newcombe 1998, method 3). */
    CHECK_INT(sarx_wilson(5, 10, &lo, &hi), SARX_OK);
    CHECK_NEAR(lo, 0.236593, 1e-6);
    CHECK_NEAR(hi, 0.763407, 1e-6);
    /* x = 0 of 10: exactly 0 .. 0.2775. */
    sarx_wilson(0, 10, &lo, &hi);
    CHECK(lo == 0.0);
    CHECK_NEAR(hi, 0.277533, 1e-6);
    /* x = n: the upper end is exactly 1. */
    sarx_wilson(10, 10, &lo, &hi);
    CHECK(hi == 1.0);
    CHECK_NEAR(lo, 0.722467, 1e-6);
    /* 81 of 263 (Newcombe 1998 example: 0.2553 .. 0.3662). */
    sarx_wilson(81, 263, &lo, &hi);
    CHECK_NEAR(lo, 0.2553, 1e-4);
    CHECK_NEAR(hi, 0.3662, 1e-4);
    CHECK_INT(sarx_wilson(1, 0, &lo, &hi), SARX_EINVAL);
    CHECK(isnan(lo) && isnan(hi));
    CHECK_INT(sarx_wilson(11, 10, &lo, &hi), SARX_EINVAL);
    /* kappa: both 20, a only 5, b only 10, neither 15 -> po 0.7, pe 0.5, kappa 0.4. */
    CHECK_NEAR(sarx_kappa(20, 5, 10, 15), 0.4, 1e-12);
    CHECK_NEAR(sarx_kappa(10, 0, 0, 10), 1.0, 1e-12);  /* perfect agreement */
    CHECK_NEAR(sarx_kappa(0, 10, 10, 0), -1.0, 1e-12); /* perfect disagreement */
    CHECK(isnan(sarx_kappa(0, 0, 0, 0)));              /* no pairs */
    CHECK(isnan(sarx_kappa(7, 0, 0, 0)));              /* both constant */
    CHECK(isnan(sarx_kappa(-1, 5, 5, 5)));             /* nonsense counts */
}

/* The eight-rows-at-once column reader (cells8.c) against the scalar cell
** path: a lane it reads holds exactly what sarx__parse_plain (numbers: in
** range, whole for an integer column, times the scale) or the word table
** gives, and it reads exactly the cells it is meant to (empty; 1-8 bytes of
** digits with at most one separator, and a minus sign first where the
** column allows one; a word of the column), leaving the rest (other signs,
** longer cells, blanks, other bytes) to the scalar path.  Every text of up
** to 5 bytes over the bytes that matter, through every kind of column, then
** random longer ones. */
static int c8_expect(const sarx__cells8 *g, const char *t, size_t len, char sep, double *want)
{
    size_t k, seps = 0, digits = 0, s0;
    double v;
    if (len == 0) {
        *want = NAN;
        return 1;
    }
    if (len > 8)
        return 0;
    if (g->code) {
        uint64_t x = 0;
        int hit = 0;
        for (k = 0; k < len; k++)
            x |= (uint64_t)(unsigned char)t[k] << (8 * k);
        for (k = 0; k < (size_t)g->nwords; k++) { /* the scalar rule (match_word): letters in either case */
            uint64_t w = g->word[k], cs = 0;
            size_t wl = 0, b;
            while (wl < 8 && (w >> (8 * wl)) & 0xFF)
                wl++;
            for (b = 0; b < wl; b++)
                if (((w >> (8 * b)) & 0xFF) >= 'a' && ((w >> (8 * b)) & 0xFF) <= 'z')
                    cs |= (uint64_t)0x20 << (8 * b);
            if (wl == len && (x | cs) == w)
                *want = g->wcode[k], hit = 1;
        }
        return hit;
    }
    s0 = g->sign && t[0] == '-'; /* a minus sign, where the column takes one */
    for (k = s0; k < len; k++) {
        seps += t[k] == sep;
        digits += t[k] >= '0' && t[k] <= '9';
    }
    if (seps > 1 || digits == 0 || s0 + seps + digits != len)
        return 0; /* not the kind of cell it reads */
    if (!sarx__parse_plain(t, len, sep, &v) || !(v >= g->lo && v <= g->hi) || (g->integer && v != floor(v)))
        return 0; /* refused, out of range, or not whole: the scalar path's to decide */
    *want = v * g->scale;
    return 1;
}

static void test_cells8(void)
{
    enum { NPLAN = 5 };
    static const char alphabet[] = "0159.,-+ a/:\xb9\x00";
    static double col[NPLAN][8], col2[NPLAN][8];
    const size_t na = sizeof alphabet - 1; /* the terminating NUL stays out; the one before it is a cell byte */
    long pagesz = sysconf(_SC_PAGESIZE), gathered = 0;
    char *pages, *guard, *packed[8];
    sarx__cells8 g[NPLAN];
    char text[8][16], *fields[8];
    size_t lens[8], len, idx, total = 1, k;
    long read = 0, left = 0, bad = 0, calls = 0, negs = 0;
    int j, round, q;
    if (!sarx__cells8_available()) {
        printf("cells8: this processor has no AVX-512; the scalar path is the only one (tested throughout)\n");
        CHECK(1);
        return;
    }
    /* The same cells packed end to end before a page that cannot be read,
    ** read with that page as the end of the readable text: a byte read past
    ** it is a crash, and the results must be those of the cells in blocks. */
    {
        int fd = open("/dev/zero", O_RDWR);
        pages = fd < 0 ? MAP_FAILED : mmap(NULL, 2 * (size_t)pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (fd >= 0)
            close(fd);
    }
    guard = pages + pagesz;
    if (pages == MAP_FAILED || mprotect(guard, (size_t)pagesz, PROT_NONE) != 0) {
        CHECK(!"two pages mapped, the second unreadable");
        return;
    }
    memset(g, 0, sizeof g);
    for (q = 0; q < NPLAN; q++) {
        g[q].scale = 1.0;
        g[q].lo = -INFINITY;
        g[q].hi = INFINITY;
    }
    g[1].scale = 2.54;               /* a unit converted */
    g[2].lo = 0.5, g[2].hi = 99.0;   /* a range, */
    g[2].integer = 1;                /* whole numbers */
    g[3].lo = -50.0, g[3].hi = 80.0; /* a signed range (weight loss) */
    g[3].sign = 1;
    g[4].code = 1; /* true/false/yes/no */
    {
        static const char *const words[] = {"true", "false", "yes", "no", "1", "0"};
        for (k = 0; k < 6; k++) {
            size_t n = strlen(words[k]), b;
            for (b = 0; b < n; b++)
                g[4].word[k] |= (uint64_t)(unsigned char)words[k][b] << (8 * b);
            g[4].wcode[k] = k == 0 || k == 2 || k == 4;
        }
        g[4].nwords = 6;
    }
    for (k = 0; k < 5; k++)
        total = total * na + 1; /* texts of 0..5 bytes, counted as numbers in base na with a length */
    rng_state = 88;
    for (round = 0; round < 2; round++) {
        char sep = round ? ',' : '.';
        for (idx = 0; idx < total + 400000; idx += 8) {
            unsigned lanes = 0xFF, rest[NPLAN];
            for (j = 0; j < 8; j++) {
                size_t x = idx + (size_t)j;
                if (x < total) { /* the x-th text of up to 5 bytes */
                    len = 0;
                    while (x > 0) {
                        x--;
                        text[j][len++] = alphabet[x % na];
                        x /= na;
                    }
                } else if (rnd() % 3 == 0) { /* a word, in some case */
                    static const char *const cand[] = {"true", "TRUE", "False", "yEs", "no", "NO ", "1", "0", "truex",
                                                       "tru", "fals", "yes1", "nO"};
                    const char *w = cand[rnd() % (sizeof cand / sizeof cand[0])];
                    len = strlen(w);
                    memcpy(text[j], w, len);
                } else { /* random digits with a separator or a sign, up to 12 bytes */
                    len = (size_t)(rnd() % 13);
                    for (k = 0; k < len; k++) {
                        uint64_t r2 = rnd() % 24;
                        text[j][k] = r2 < 20 ? (char)('0' + r2 % 10) : r2 < 22 ? sep : r2 == 22 ? '-' : 'x';
                    }
                    if (len && rnd() % 4 == 0)
                        text[j][0] = '-';
                }
                lens[j] = len;
            }
            if (rnd() % 8 == 0) /* some lanes not asked for */
                lanes = (unsigned)(rnd() & 0xFF);
            for (j = 0; j < 8; j++) /* each cell in a block of its size: a byte read past it is an ASan report */
                if (!(fields[j] = malloc(lens[j] ? lens[j] : 1)) || !memcpy(fields[j], text[j], lens[j]))
                    abort();
            for (q = 0; q < NPLAN; q++) {
                for (j = 0; j < 8; j++)
                    col[q][j] = 12345.0;
                rest[q] = sarx__cells8_read(&g[q], fields, lens, lanes, sep, NULL, col[q]);
            }
            for (j = 0; j < 8; j++)
                free(fields[j]);
            {
                char *at = guard;
                int first = (int)(rnd() % 8); /* the lane whose cell ends at the guard page */
                for (k = 0; k < 8; k++) {
                    j = (first + 8 - (int)k) % 8;
                    at -= lens[j];
                    memcpy(at, text[j], lens[j]);
                    packed[j] = at;
                    gathered += (lanes >> j & 1u) && guard - at >= 8;
                }
                for (q = 0; q < NPLAN; q++) {
                    unsigned r2;
                    for (j = 0; j < 8; j++)
                        col2[q][j] = 12345.0;
                    r2 = sarx__cells8_read(&g[q], packed, lens, lanes, sep, guard, col2[q]);
                    for (j = 0; j < 8; j++)
                        if (((r2 ^ rest[q]) >> j & 1u) || !same_double(col[q][j], col2[q][j]))
                            if (bad++ < 5)
                                fprintf(stderr, "cells8: column %d \"%.*s\" read %g (%u) packed, %g (%u) alone\n", q,
                                        (int)lens[j], text[j], col2[q][j], r2 >> j & 1u, col[q][j], rest[q] >> j & 1u);
                }
            }
            calls++;
            for (q = 0; q < NPLAN; q++)
                for (j = 0; j < 8; j++) {
                    double want = 0;
                    int e = c8_expect(&g[q], text[j], lens[j], sep, &want), got = !(rest[q] & (1u << j));
                    if (!(lanes & (1u << j))) {
                        if (!got || col[q][j] != 12345.0)
                            bad++; /* a lane not asked for is neither read nor written */
                        continue;
                    }
                    if (got != e || (got ? !same_double(want, col[q][j]) : col[q][j] != 12345.0)) {
                        if (bad++ < 5)
                            fprintf(stderr,
                                    "cells8: sep '%c' column %d \"%.*s\": read %d, expected %d, value %.17g, want %.17g\n",
                                    sep, q, (int)lens[j], text[j], got, e, col[q][j], want);
                    }
                    read += got;
                    left += !got;
                    negs += got && lens[j] > 1 && text[j][0] == '-';
                }
        }
    }
    printf("cells8: %ld calls, %ld cells read (%ld negative), %ld left to the scalar path\n", calls, read, negs, left);
    CHECK_INT(bad, 0);
    CHECK(read > 800000 && left > 3000000 && negs > 10000);
    CHECK(gathered > 1000000); /* most packed cells had eight readable bytes */
    munmap(pages, 2 * (size_t)pagesz);
    /* Its quotients without a division, over their whole domain: every
    ** number of up to eight digits with the separator anywhere. */
    CHECK_INT(sarx__cells8_quotients(), 0);
}

/* The cohort API: header mapping, rows one by one and in batches, merge. */
static void test_cohort_api(const sarx_ctx *ctx)
{
    static char *hdr[] = {"ID", "sex", " grip_kg ", "height_cm", "asm_kg", "site"};
    static const size_t hl[] = {2, 3, 9, 9, 6, 4};
    static char *rows[][6] = {{"a", "female", "12", "158", "12", "x"},
                              {"b", "male", "40", "175", "24", "x"},
                              {"c", "female", "150", "160", "14", "x"},
                              {"d", "", "20", "170", "20", "x"}};
    sarx_cohort *c1, *c2;
    sarx_class out[64 * 64], one[64];
    unsigned char ok[64];
    sarx_error err;
    size_t lens[6], i, k, nd = sarx_definition_count(ctx);
    char *js;
    CHECK_INT(sarx_cohort_new(ctx, hdr, hl, 6, 0, &c1, &err), SARX_OK);
    CHECK_INT(sarx_cohort_ignored_count(c1), 1);
    CHECK_STR(sarx_cohort_ignored(c1, 0), "site");
    CHECK_INT(sarx_cohort_id_column(c1), 0);
    CHECK_INT(sarx_cohort_new(ctx, hdr, hl, 6, SARX_COHORT_STRICT, &c2, &err), SARX_EFIELD);
    CHECK_INT(sarx_cohort_clone(c1, &c2), SARX_OK);
    for (i = 0; i < 4; i++) {
        for (k = 0; k < 6; k++)
            lens[k] = strlen(rows[i][k]);
        if (i == 2)
            CHECK_INT(sarx_cohort_parse(c2, rows[i], lens, 6, &err), SARX_ERANGE); /* grip 150 */
        else
            CHECK_INT(sarx_cohort_parse(c2, rows[i], lens, 6, &err), SARX_OK);
        if (i != 2) {
            CHECK_INT(sarx_cohort_row(c1, rows[i], lens, 6, one, &err), SARX_OK);
        }
    }
    CHECK_INT(sarx_cohort_classify(c2, out, ok, NULL), 3);
    CHECK(ok[0] && ok[1] && ok[2]);
    {   /* counts only: out and ok may be NULL, and the counts are the same */
        sarx_cohort *c3;
        char *j2, *j3;
        CHECK_INT(sarx_cohort_clone(c1, &c3), SARX_OK);
        for (i = 0; i < 4; i++) {
            for (k = 0; k < 6; k++)
                lens[k] = strlen(rows[i][k]);
            sarx_cohort_parse(c3, rows[i], lens, 6, &err);
        }
        CHECK_INT(sarx_cohort_classify(c3, NULL, NULL, NULL), 3);
        CHECK_INT(sarx_cohort_classify(c3, NULL, NULL, NULL), 0); /* nothing pending */
        j2 = sarx_cohort_summary_json(c2);
        j3 = sarx_cohort_summary_json(c3);
        CHECK(j2 && j3 && strcmp(j2, j3) == 0);
        sarx_free(j2);
        sarx_free(j3);
        sarx_cohort_free(c3);
    }
    /* Row "a" (woman, grip 12, ASMI 4.8): EWGSOP2 sarcopenia, incomplete (performance unknown). */
    CHECK_STR(sarx_definition_category(sarx_definition_at(ctx, 0), out[0].category), "sarcopenia");
    CHECK_INT(out[0].complete, 0);
    CHECK_INT(out[2 * nd + 0].category, SARX_INDETERMINATE); /* "d": sex unknown, grip 20 */
    CHECK_INT(sarx_cohort_rows(c1), 3);
    CHECK_INT(sarx_cohort_rows(c2), 3);
    CHECK_INT(sarx_cohort_rejected(c2), 1);
    CHECK_INT(sarx_cohort_merge(c1, c1), SARX_EINVAL); /* twice the same counts */
    CHECK_INT(sarx_cohort_merge(c1, c2), SARX_OK);
    CHECK_INT(sarx_cohort_rows(c1), 6);
    js = sarx_cohort_summary_json(c1);
    CHECK(js && strstr(js, "\"rows\": 6") && strstr(js, "\"rejected\": 1"));
    sarx_free(js);
    {   /* A short row, and a parse into a full batch. */
        size_t two[2] = {1, 1};
        CHECK_INT(sarx_cohort_row(c1, rows[0], two, 2, one, &err), SARX_ESYNTAX);
        CHECK(strstr(err.message, "the row has 2 fields, the header 6") != NULL);
    }
    sarx_cohort_free(c1);
    sarx_cohort_free(c2);
    sarx_cohort_free(NULL);
}

static sarx_assessment *assess(const sarx_ctx *ctx, const char *json)
{
    sarx_subject *s;
    sarx_assessment *a = NULL;
    sarx_error err;
    sarx_subject_new(&s);
    if (sarx_subject_from_json(s, json, strlen(json), &err) != SARX_OK)
        fprintf(stderr, "bad test input: %s\n", err.message);
    else
        sarx_assess(ctx, s, &a, &err);
    sarx_subject_free(s);
    return a;
}

/* A definition that does not apply (Fearon without cancer, Janssen below
** 60) says so in every rendering: the category not_applicable, a note shown
** whatever the sex, first in the text's detail, "does not apply" in its
** summary, the note in the JSON. */
static void test_not_applicable(const sarx_ctx *ctx)
{
    sarx_assessment *a = assess(ctx, "{\"age_years\":30,\"cancer\":false,\"conditions\":[\"COPD\"],"
                                     "\"weight_loss_pct_6m\":10}");
    const sarx_result *r;
    char *text, *js;
    json_t *root, *res, *it;
    size_t i;
    int seen = 0;
    CHECK(a != NULL);
    if (!a)
        return;
    r = sarx_assessment_find(a, "fearon2011");
    CHECK_STR(sarx_result_category(r), "not_applicable");
    CHECK_INT(sarx_result_complete(r), 1);
    CHECK(strstr(sarx_result_note(r), "Fearon 2011 is defined for cancer") != NULL);
    r = sarx_assessment_find(a, "janssen2004");
    CHECK_STR(sarx_result_category(r), "not_applicable");
    CHECK(strstr(sarx_result_note(r), "aged 60 and over") != NULL); /* sex unknown: shown all the same */
    text = sarx_assessment_text(a, SARX_RENDER_NO_GUIDANCE);
    CHECK(text && strstr(text, "does not apply to this person") &&
          strstr(text, "Fearon cancer cachexia (2011): not applicable\n    note: not applicable: Fearon 2011 is "
                       "defined for cancer"));
    sarx_free(text);
    js = sarx_assessment_json(a, 0);
    root = js ? json_loads(js, 0, NULL) : NULL;
    res = json_object_get(root, "results");
    json_array_foreach(res, i, it) {
        const char *id = json_string_value(json_object_get(it, "definition"));
        if (id && strcmp(id, "fearon2011") == 0) {
            CHECK_STR(json_string_value(json_object_get(it, "category")), "not_applicable");
            CHECK(json_is_true(json_object_get(it, "complete")));
            CHECK(strstr(json_string_value(json_object_get(it, "note")), "defined for cancer") != NULL);
            seen = 1;
        }
    }
    CHECK(seen);
    json_decref(root);
    sarx_free(js);
    sarx_assessment_free(a);
}

/* Conditions the vocabulary cannot read are named in one warning, with the
** reason, and the ones it reads are not. */
static void test_conditions_warning(const sarx_ctx *ctx)
{
    sarx_assessment *a = assess(ctx, "{\"conditions\":[\"COPD\",\"type 2 diabetes\",\"no cancer\"]}");
    const char *w;
    CHECK(a != NULL);
    if (!a)
        return;
    CHECK_INT(sarx_assessment_warning_count(a), 1);
    w = sarx_assessment_warning(a, 0);
    CHECK(w && strstr(w, "\"type 2 diabetes\" (not in sarx's vocabulary)") && strstr(w, "\"no cancer\" (negated") &&
          !strstr(w, "COPD") && strstr(w, "inflammation"));
    sarx_assessment_free(a);
    a = assess(ctx, "{\"conditions\":[\"COPD\", \"icd10:N18.4\", \"hypertension\"]}");
    CHECK(a && sarx_assessment_warning_count(a) == 0);
    sarx_assessment_free(a);
}

static void test_assess(const sarx_ctx *ctx)
{
    sarx_assessment *a;
    const sarx_result *r;
    char *text, *js;
    json_t *root;
    json_error_t je;
    /* Percent loss 80 -> 76 kg is exactly 5 %, not 5.000000000000004. */
    a = assess(ctx, "{\"sex\":\"male\",\"assessment_date\":\"2026-06-01\",\"weight_kg\":76,"
                    "\"weight_history\":[{\"date\":\"2026-01-01\",\"weight_kg\":80}],\"cancer\":true}");
    CHECK(a != NULL);
    CHECK(sarx_assessment_derived(a, "weight_loss_pct_6m") == 5.0);
    CHECK(sarx_assessment_derived(a, "weight_loss_pct_12m") == 5.0);
    r = sarx_assessment_find(a, "fearon2011");
    CHECK_STR(sarx_result_category(r), "indeterminate"); /* BMI and sarcopenia branches unknown */
    r = sarx_assessment_find(a, "evans2008");
    CHECK_INT(sarx_result_criterion_status(r, 1), SARX_MET); /* weight_loss: >= 5 % */
    CHECK(isnan(sarx_assessment_derived(a, "nope")));
    CHECK(sarx_assessment_find(a, "nope") == NULL);
    CHECK(sarx_assessment_result(a, 99) == NULL);
    sarx_assessment_free(a);

    /* Interval SARC-F: two items of 2 already reach 4. */
    a = assess(ctx, "{\"sarc_f_strength\":2,\"sarc_f_falls\":2}");
    r = sarx_assessment_find(a, "sarc_f");
    CHECK_STR(sarx_result_category(r), "positive");
    CHECK_INT(sarx_result_complete(r), 1);
    CHECK_INT(sarx_assessment_warning_count(a), 1);
    CHECK(isnan(sarx_assessment_derived(a, "sarc_f_total")));
    /* The total must be reachable from the items, also on the text (CSV) path. */
    {
        sarx_subject *t;
        sarx_assessment *b = NULL;
        sarx_error e;
        sarx_subject_new(&t);
        sarx_subject_set_number(t, "sarc_f", 0, &e);
        sarx_subject_set_number(t, "sarc_f_strength", 2, &e);
        CHECK_INT(sarx_assess(ctx, t, &b, &e), SARX_ECONFLICT);
        CHECK(b == NULL);
        CHECK_STR(e.field, "sarc_f");
        sarx_subject_free(t);
    }
    {
        double lo, hi;
        CHECK_INT(sarx_assessment_derived_range(a, "sarc_f_total", &lo, &hi), SARX_OK);
        CHECK(lo == 4 && hi == 10);
        CHECK_INT(sarx_assessment_derived_range(a, "nope", &lo, &hi), SARX_ENOTFOUND);
        { /* every listed name is known, the list ends, and the documented names are in it */
            size_t k;
            int bmi = 0, wl12 = 0;
            for (k = 0; k < sarx_derived_count(); k++) {
                CHECK_INT(sarx_assessment_derived_range(a, sarx_derived_name(k), &lo, &hi), SARX_OK);
                CHECK(sarx_derived_unit(k) != NULL);
                bmi |= strcmp(sarx_derived_name(k), "bmi") == 0;
                wl12 |= strcmp(sarx_derived_name(k), "weight_loss_pct_12m") == 0;
            }
            CHECK(sarx_derived_name(k) == NULL && sarx_derived_unit(k) == NULL && bmi && wl12);
        }
    }
    sarx_assessment_free(a);

    /* ASMI exactly on the cut-off: 20.23 / 1.7^2 = 7.0 is not < 7.0. */
    a = assess(ctx, "{\"sex\":\"male\",\"grip_kg\":20,\"asm_kg\":20.23,\"height_cm\":170,\"gait_speed_m_s\":1.2}");
    r = sarx_assessment_find(a, "ewgsop2");
    CHECK_STR(sarx_result_category(r), "probable_sarcopenia");
    CHECK_INT(sarx_result_complete(r), 1);
    {
        double v;
        const sarx_definition *d = sarx_result_definition(r);
        size_t i;
        for (i = 0; i < sarx_definition_row_count(d); i++) {
            sarx_row_info ri;
            sarx_definition_row(d, i, &ri);
            if (strcmp(ri.id, "EWGSOP2-QTY-ASMI-M") == 0) {
                CHECK_INT(sarx_result_row_status(r, i, &v), SARX_ROW_NOT_MET);
                CHECK_NEAR(v, 7.0, 1e-12);
            }
            if (strcmp(ri.id, "EWGSOP2-QTY-ASMI-F") == 0)
                CHECK_INT(sarx_result_row_status(r, i, &v), SARX_ROW_NOT_APPLICABLE);
        }
    }
    text = sarx_assessment_text(a, SARX_RENDER_EXPLAIN);
    CHECK(text && strstr(text, "EWGSOP2-QTY-ASMI-M") && strstr(text, "Decision support"));
    sarx_free(text);
    js = sarx_assessment_json(a, 0);
    root = js ? json_loads(js, 0, &je) : NULL;
    CHECK(root != NULL);
    CHECK(json_array_size(json_object_get(root, "results")) == sarx_definition_count(ctx));
    CHECK_STR(json_string_value(json_object_get(root, "sarx_version")), SARX_VERSION);
    CHECK(json_is_string(json_object_get(json_array_get(json_object_get(root, "results"), 0), "version")));
    json_decref(root);
    sarx_free(js);
    sarx_assessment_free(a);

    /* Janssen note follows the sex (the bands apply from age 60). */
    a = assess(ctx, "{\"sex\":\"female\",\"age_years\":70,\"smm_kg\":14,\"height_cm\":160}");
    r = sarx_assessment_find(a, "janssen2004");
    CHECK_STR(sarx_result_category(r), "severe_sarcopenia");
    CHECK(strstr(sarx_result_note(r), "women 3.31") != NULL);
    sarx_assessment_free(a);
    /* A sex-specific note needs the sex; one for both sexes does not. */
    a = assess(ctx, "{\"age_years\":70,\"smm_kg\":14,\"height_cm\":160}");
    CHECK_STR(sarx_result_note(sarx_assessment_find(a, "janssen2004")), "");
    sarx_assessment_free(a);
    test_not_applicable(ctx);
    test_conditions_warning(ctx);

    /* The catalogue renders in all three formats. */
    text = sarx_catalogue(ctx, SARX_CATALOGUE_MARKDOWN);
    CHECK(text && strstr(text, "EWGSOP2-STR-GRIP-F"));
    sarx_free(text);
    text = sarx_catalogue(ctx, SARX_CATALOGUE_JSON);
    root = text ? json_loads(text, 0, &je) : NULL;
    CHECK(root && json_array_size(json_object_get(root, "definitions")) == sarx_definition_count(ctx));
    json_decref(root);
    sarx_free(text);
    text = sarx_catalogue(ctx, SARX_CATALOGUE_TEXT);
    CHECK(text != NULL);
    sarx_free(text);
}

/* Guidance: the API around the rules (the rules are in tests/vectors/guidance.txt). */
static void test_guidance(const sarx_ctx *ctx)
{
    double v;
    size_t i, n;
    sarx_guide_item it;
    sarx_assessment *a;
    char *text, *js;
    json_t *root;
    json_error_t je;
    int kinds_in_order = 1, last = -1, cites = 1;

    /* 1RM: worked values (clinical.md A12) and the edges. */
    CHECK_INT(sarx_one_rm(100, 5, SARX_1RM_EPLEY, &v), SARX_OK);
    CHECK_NEAR(v, 116.66666666666667, 1e-9);
    CHECK_INT(sarx_one_rm(100, 5, SARX_1RM_BRZYCKI, &v), SARX_OK);
    CHECK_NEAR(v, 112.5, 1e-12);
    CHECK_INT(sarx_one_rm(100, 10, SARX_1RM_BRZYCKI, &v), SARX_OK);
    CHECK_NEAR(v, 133.33333333333334, 1e-9);
    CHECK_INT(sarx_one_rm(100, 1, SARX_1RM_EPLEY, &v), SARX_OK);
    CHECK_NEAR(v, 100, 0);
    CHECK_INT(sarx_one_rm(100, 1, SARX_1RM_BRZYCKI, &v), SARX_OK);
    CHECK_NEAR(v, 100, 0);
    CHECK_INT(sarx_one_rm(100, 36, SARX_1RM_BRZYCKI, &v), SARX_OK);
    CHECK_NEAR(v, 3600, 1e-9);
    CHECK_INT(sarx_one_rm(100, 37, SARX_1RM_BRZYCKI, &v), SARX_ERANGE);
    CHECK(isnan(v));
    CHECK_INT(sarx_one_rm(100, 40, SARX_1RM_EPLEY, &v), SARX_OK);
    CHECK_NEAR(v, 233.33333333333334, 1e-9);
    CHECK_INT(sarx_one_rm(0, 5, SARX_1RM_EPLEY, &v), SARX_ERANGE);
    CHECK_INT(sarx_one_rm(-1, 5, SARX_1RM_EPLEY, &v), SARX_ERANGE);
    CHECK_INT(sarx_one_rm(NAN, 5, SARX_1RM_EPLEY, &v), SARX_ERANGE);
    CHECK_INT(sarx_one_rm(INFINITY, 5, SARX_1RM_EPLEY, &v), SARX_ERANGE);
    CHECK_INT(sarx_one_rm(100, 0, SARX_1RM_EPLEY, &v), SARX_ERANGE);
    CHECK_INT(sarx_one_rm(100, 5, 7, &v), SARX_EINVAL);
    CHECK_INT(sarx_one_rm(100, 5, SARX_1RM_EPLEY, NULL), SARX_EINVAL);

    /* Plan names: enumerable, unknown names NaN. */
    n = sarx_plan_name_count();
    CHECK(n >= 17);
    CHECK(sarx_plan_name(n) == NULL);
    a = assess(ctx, "{\"sex\":\"male\",\"age_years\":34,\"weight_kg\":60,\"height_cm\":180,\"grip_kg\":20,"
                    "\"asm_kg\":17,\"fasciculations\":true,\"lift_load_kg\":40,\"lift_reps\":8}");
    for (i = 0; i < n; i++)
        CHECK(sarx_plan_name(i) != NULL);
    CHECK(isnan(sarx_assessment_plan(a, "no_such_number")));
    CHECK(isnan(sarx_assessment_plan(a, NULL)));
    CHECK(isnan(sarx_assessment_plan(NULL, "one_rm_kg")));
    CHECK_NEAR(sarx_assessment_plan(a, "protein_g_day_low"), 72, 1e-9); /* BMI 18.5: GLIM low BMI, 1.2 g/kg x 60 kg */

    /* Items come grouped in kind order, each with a citation. */
    CHECK(sarx_assessment_guide_count(a) > 5);
    for (i = 0; i < sarx_assessment_guide_count(a); i++) {
        CHECK_INT(sarx_assessment_guide(a, i, &it), SARX_OK);
        if (it.kind < last)
            kinds_in_order = 0;
        last = it.kind;
        if (!it.citation[0] && strncmp(it.id, "measure_", 8) != 0)
            cites = 0;
        CHECK(it.message && it.message[0] && it.evidence && it.missing && it.evidence_level);
    }
    CHECK(kinds_in_order);
    CHECK(cites);
    CHECK_INT(sarx_assessment_guide(a, sarx_assessment_guide_count(a), &it), SARX_EINVAL);
    CHECK_INT(sarx_assessment_guide(NULL, 0, &it), SARX_EINVAL);
    CHECK_INT(sarx_assessment_guide(a, 0, NULL), SARX_EINVAL);
    CHECK(sarx_assessment_guide_count(NULL) == 0);

    /* Text: red flags right under the summary, the guidance at the end. */
    text = sarx_assessment_text(a, 0);
    CHECK(text && strstr(text, "RED FLAGS") && strstr(text, "GUIDANCE") &&
          strstr(text, "RED FLAGS") < strstr(text, "EWGSOP2 (2019): ") && strstr(text, "Estimated 1RM"));
    sarx_free(text);
    text = sarx_assessment_text(a, SARX_RENDER_NO_GUIDANCE);
    CHECK(text && !strstr(text, "RED FLAGS") && !strstr(text, "GUIDANCE"));
    sarx_free(text);

    /* JSON: the guidance section, and none with the flag. */
    js = sarx_assessment_json(a, 0);
    root = js ? json_loads(js, 0, &je) : NULL;
    CHECK(root != NULL);
    {
        json_t *g = json_object_get(root, "guidance");
        json_t *p = json_object_get(json_object_get(g, "plan"), "protein_g_day");
        CHECK(json_is_array(json_object_get(g, "causes")) && json_is_array(json_object_get(g, "red_flags")) &&
              json_is_array(json_object_get(g, "tests")));
        CHECK_NEAR(json_number_value(json_object_get(p, "low")), 72, 1e-9);
        CHECK_NEAR(json_number_value(json_array_get(json_object_get(p, "basis_g_kg"), 1)), 1.5, 1e-12);
        CHECK(json_is_string(json_object_get(g, "disclaimer")));
    }
    json_decref(root);
    sarx_free(js);
    js = sarx_assessment_json(a, SARX_RENDER_NO_GUIDANCE);
    CHECK(js && !strstr(js, "\"guidance\""));
    sarx_free(js);
    sarx_assessment_free(a);

    /* Without guidance: same results, no items, NaN plan, no section. */
    {
        sarx_subject *s;
        sarx_error err;
        const char *in = "{\"sex\":\"female\",\"age_years\":80,\"weight_kg\":50,\"grip_kg\":12,\"dyspnea\":true}";
        sarx_assessment *b = NULL;
        sarx_subject_new(&s);
        CHECK_INT(sarx_subject_from_json(s, in, strlen(in), &err), SARX_OK);
        CHECK_INT(sarx_assess_ex(ctx, s, SARX_ASSESS_NO_GUIDANCE, &a, &err), SARX_OK);
        CHECK_INT(sarx_assess(ctx, s, &b, &err), SARX_OK);
        CHECK(sarx_assessment_guide_count(a) == 0 && sarx_assessment_guide_count(b) > 0);
        CHECK(isnan(sarx_assessment_plan(a, "energy_kcal_day_guide")));
        CHECK_NEAR(sarx_assessment_plan(b, "energy_kcal_day_guide"), 1500, 1e-9);
        CHECK_STR(sarx_result_category(sarx_assessment_find(a, "ewgsop2")),
                  sarx_result_category(sarx_assessment_find(b, "ewgsop2")));
        js = sarx_assessment_json(a, 0);
        CHECK(js && !strstr(js, "\"guidance\""));
        sarx_free(js);
        text = sarx_assessment_text(a, 0);
        CHECK(text && !strstr(text, "GUIDANCE") && !strstr(text, "RED FLAGS"));
        sarx_free(text);
        sarx_assessment_free(a);
        sarx_assessment_free(b);
        sarx_subject_free(s);
    }
}

/* sarx_ctx_select: a selection classifies every subject as the whole
** context does for the definitions it holds (sarx_assess, sarx_classify,
** sarx_cohort_row and batches, the cohort's counts), in the parent's order,
** each once; ids and kinds in any case; an empty list, an empty name or an
** unknown one is an error naming it and listing what there is.  The
** selection outlives the context it came from. */
static void test_ctx_select(const sarx_ctx *ctx)
{
    enum { SUBJECTS = 1500, ROWS = 3000, MAXCOL = 80 };
    static const struct {
        const char *list, *ids;
    } pick[] = {
        {"ewgsop2,awgs2019", "ewgsop2 awgs2019"},
        {" AWGS2019 , EWGSOP2 ", "ewgsop2 awgs2019"}, /* the parent's order, any case, spaces around */
        {"cachexia", "evans2008 evans2008_7 fearon2011"},
        {"glim2019", "glim2019"},
        {"screening,ewgsop2,sarc_f,SARC_F", "ewgsop2 sarc_f sarc_calf"}, /* each once */
        {"sarcopenia,ewgsop2", "ewgsop2 ewgsop1 awgs2019 awgs2025 fnih2014 iwgs2011 sdoc2020 baumgartner1998 janssen2004"},
        {"espen_easo2022,fearon2011,phenotype,malnutrition", "dynapenia fearon2011 glim2019 espen_easo2022"},
    };
    static char store[SARX_COHORT_BATCH][MAXCOL][48];
    static sarx_class full_out[SARX_COHORT_BATCH * 64], sub_out[SARX_COHORT_BATCH * 64];
    char *hdr[MAXCOL], *cells[SARX_COHORT_BATCH][MAXCOL];
    size_t hl[MAXCOL], lens[SARX_COHORT_BATCH][MAXCOL], ncol = 0, f, p, k;
    const sarx_field_info *info[MAXCOL];
    sarx_subject *s;
    sarx_error err;
    sarx_ctx *sub, *parent;
    int bad = 0;
    long compared = 0;
    sarx_subject_new(&s);
    for (f = 0; f < SARX__F_COUNT; f++) {
        const sarx_field_info *fi = sarx_field_at(f);
        if (fi->kind == SARX_KIND_HISTORY)
            continue;
        hdr[ncol] = (char *)fi->name;
        info[ncol] = fi;
        hl[ncol] = strlen(hdr[ncol]);
        ncol++;
    }
    for (p = 0; p < SARX__N(pick); p++) {
        size_t map[64], nd, d, n = 0;
        char ids[400] = "";
        int i, round;
        sarx_cohort *cf, *cs;
        /* made from a context of its own, freed at once: the selection owns what it holds */
        CHECK_INT(sarx_ctx_new(&parent, &err), SARX_OK);
        CHECK_INT(sarx_ctx_select(parent, pick[p].list, &sub, &err), SARX_OK);
        sarx_ctx_free(parent);
        if (!sub)
            continue;
        nd = sarx_definition_count(sub);
        for (d = 0; d < nd; d++) {
            const char *id = sarx_definition_id(sarx_definition_at(sub, d));
            snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", d ? " " : "", id);
            for (map[d] = 0; strcmp(sarx_definition_id(sarx_definition_at(ctx, map[d])), id) != 0; map[d]++)
                ;
            CHECK(sarx_definition_find(sub, id) == sarx_definition_at(sub, d));
        }
        CHECK_STR(ids, pick[p].ids);
        CHECK(sarx_definition_find(sub, "no_such_definition") == NULL);
        /* One subject at a time: sarx_assess (every result in full) and sarx_classify. */
        rng_state = 90210 + p;
        for (round = 0; round < SUBJECTS && bad < 5; round++) {
            sarx_assessment *a = NULL, *b = NULL;
            sarx_class cf1[64], cs1[64];
            random_subject(ctx, s);
            if (sarx_assess(ctx, s, &a, &err) != SARX_OK) {
                CHECK_INT(sarx_assess(sub, s, &b, &err), err.code); /* the same refusal */
                continue;
            }
            CHECK_INT(sarx_assess(sub, s, &b, &err), SARX_OK);
            CHECK_INT(sarx_classify(ctx, s, cf1, &err), SARX_OK);
            CHECK_INT(sarx_classify(sub, s, cs1, &err), SARX_OK);
            if (!b) {
                sarx_assessment_free(a);
                bad++;
                continue;
            }
            CHECK_INT(sarx_assessment_result_count(b), nd);
            if (nd < sarx_definition_count(ctx)) { /* a selection: no guidance (docs/DECISIONS.md) */
                CHECK_INT(sarx_assessment_guide_count(b), 0);
                CHECK(isnan(sarx_assessment_plan(b, "protein_g_kg_low")));
            }
            for (d = 0; d < nd; d++) {
                const sarx_result *x = sarx_assessment_result(a, map[d]), *y = sarx_assessment_result(b, d);
                size_t r;
                int same = strcmp(sarx_result_category(x), sarx_result_category(y)) == 0 &&
                           sarx_result_complete(x) == sarx_result_complete(y) &&
                           sarx_result_missing_count(x) == sarx_result_missing_count(y) &&
                           cf1[map[d]].category == cs1[d].category && cf1[map[d]].complete == cs1[d].complete &&
                           strcmp(sarx_result_note(x), sarx_result_note(y)) == 0;
                for (r = 0; same && r < sarx_result_missing_count(x); r++)
                    same = strcmp(sarx_result_missing(x, r), sarx_result_missing(y, r)) == 0;
                for (r = 0; same && r < sarx_result_criterion_count(x); r++)
                    same = sarx_result_criterion_status(x, r) == sarx_result_criterion_status(y, r);
                for (r = 0; same && r < sarx_definition_row_count(sarx_result_definition(x)); r++) {
                    double vx, vy;
                    same = sarx_result_row_status(x, r, &vx) == sarx_result_row_status(y, r, &vy) &&
                           ((isnan(vx) && isnan(vy)) || vx == vy);
                }
                compared++;
                if (!same && bad++ < 5)
                    fprintf(stderr, "ctx_select \"%s\": subject %d %s differs from the whole context\n",
                            pick[p].list, round, sarx_definition_id(sarx_definition_at(sub, d)));
            }
            {   /* the renderers hold the selected definitions and no other */
                char *j = sarx_assessment_json(b, 0), *t = sarx_assessment_text(b, SARX_RENDER_EXPLAIN);
                CHECK(j && t);
                if (j && round < 20) {
                    CHECK((strstr(j, "\"glim2019\"") != NULL) == (strstr(pick[p].ids, "glim2019") != NULL));
                    CHECK((strstr(j, "\"awgs2019\"") != NULL) == (strstr(pick[p].ids, "awgs2019") != NULL));
                }
                sarx_free(j);
                sarx_free(t);
            }
            sarx_assessment_free(a);
            sarx_assessment_free(b);
        }
        /* Rows of a table: sarx_cohort_row (one lane of the batch classifier)
        ** for the first half, batches of sarx_cohort_parse for the rest. */
        CHECK_INT(sarx_cohort_new(ctx, hdr, hl, ncol, 0, &cf, &err), SARX_OK);
        CHECK_INT(sarx_cohort_new(sub, hdr, hl, ncol, 0, &cs, &err), SARX_OK);
        rng_state = 4711 + p;
        for (round = 0; round < ROWS && bad < 5; round += n ? (int)n : 1) {
            int batchwise = round >= ROWS / 2, rf = SARX_OK, rs = SARX_OK;
            n = batchwise ? SARX_COHORT_BATCH : 1;
            for (i = 0; i < (int)n; i++) {
                for (k = 0; k < ncol; k++) {
                    random_cell(store[i][k], sizeof store[i][k], info[k], 0, unit01() < 0.7);
                    if ((strcmp(info[k]->name, "sarc_f") == 0 || strcmp(info[k]->name, "fat_mass_kg") == 0) &&
                        unit01() < 0.9)
                        store[i][k][0] = '\0'; /* beside the items (a fat %) it mostly disagrees */
                    cells[i][k] = store[i][k];
                    lens[i][k] = strlen(store[i][k]);
                }
                if (batchwise) {
                    rf = sarx_cohort_parse(cf, cells[i], lens[i], ncol, &err);
                    rs = sarx_cohort_parse(cs, cells[i], lens[i], ncol, &err);
                } else {
                    rf = sarx_cohort_row(cf, cells[i], lens[i], ncol, full_out, &err);
                    rs = sarx_cohort_row(cs, cells[i], lens[i], ncol, sub_out, &err);
                }
                if (rf != rs && bad++ < 5)
                    fprintf(stderr, "ctx_select \"%s\": row %d read %d vs %d\n", pick[p].list, round + i, rf, rs);
            }
            if (batchwise) {
                unsigned char okf[SARX_COHORT_BATCH], oks[SARX_COHORT_BATCH];
                size_t m = sarx_cohort_classify(cf, full_out, okf, NULL);
                CHECK_INT(sarx_cohort_classify(cs, sub_out, oks, NULL), m);
                for (i = 0; i < (int)m; i++) {
                    if (okf[i] != oks[i] && bad++ < 5)
                        fprintf(stderr, "ctx_select \"%s\": batch lane %d ok %d vs %d\n", pick[p].list, i, okf[i],
                                oks[i]);
                    for (d = 0; okf[i] && d < nd; d++, compared++)
                        if ((full_out[(size_t)i * sarx_definition_count(ctx) + map[d]].category !=
                                 sub_out[(size_t)i * nd + d].category ||
                             full_out[(size_t)i * sarx_definition_count(ctx) + map[d]].complete !=
                                 sub_out[(size_t)i * nd + d].complete) &&
                            bad++ < 5)
                            fprintf(stderr, "ctx_select \"%s\": batch lane %d %s differs\n", pick[p].list, i,
                                    sarx_definition_id(sarx_definition_at(sub, d)));
                }
            } else if (rf == SARX_OK) {
                for (d = 0; d < nd; d++, compared++)
                    if ((full_out[map[d]].category != sub_out[d].category ||
                         full_out[map[d]].complete != sub_out[d].complete) &&
                        bad++ < 5)
                        fprintf(stderr, "ctx_select \"%s\": row %d %s differs\n", pick[p].list, round,
                                sarx_definition_id(sarx_definition_at(sub, d)));
            }
        }
        /* The counts: every stratum and category, and agreement of each pair. */
        CHECK_INT(sarx_cohort_rows(cs), sarx_cohort_rows(cf));
        CHECK_INT(sarx_cohort_rejected(cs), sarx_cohort_rejected(cf));
        CHECK(sarx_cohort_rows(cs) > ROWS / 4);
        for (d = 0; d < nd; d++) {
            int st, cat, ncat = (int)sarx_definition_category_count(sarx_definition_at(sub, d));
            size_t e;
            for (st = 0; st < sarx__cohort_nstrata(); st++) {
                int same = sarx__cohort_positive(cs, d, st) == sarx__cohort_positive(cf, map[d], st) &&
                           sarx__cohort_incomplete(cs, d, st) == sarx__cohort_incomplete(cf, map[d], st) &&
                           sarx__cohort_reading(cs, d, st) == sarx__cohort_reading(cf, map[d], st) &&
                           sarx__cohort_total(cs, d, st) == sarx__cohort_total(cf, map[d], st);
                for (cat = -1; cat < ncat; cat++)
                    same &= sarx__cohort_count(cs, d, st, cat) == sarx__cohort_count(cf, map[d], st, cat);
                if (!same && bad++ < 5)
                    fprintf(stderr, "ctx_select \"%s\": counts of %s differ (stratum %d)\n", pick[p].list,
                            sarx_definition_id(sarx_definition_at(sub, d)), st);
            }
            for (e = d + 1; e < nd; e++) {
                long ts[4], tf[4];
                sarx__cohort_agree(cs, d, e, ts);
                sarx__cohort_agree(cf, map[d], map[e], tf);
                if (memcmp(ts, tf, sizeof ts) != 0 && bad++ < 5)
                    fprintf(stderr, "ctx_select \"%s\": agreement %zu-%zu differs\n", pick[p].list, d, e);
            }
        }
        {   /* the summaries: the selected definitions only */
            char *j = sarx_cohort_summary_json(cs), *t = sarx_cohort_summary_text(cs);
            char *v1 = sarx_cohort_svg_prevalence(cs), *v2 = sarx_cohort_svg_agreement(cs);
            CHECK(j && t && v1 && v2);
            if (j) { /* the JSON's definitions (not its columns: sarc_f is a field too), in order */
                json_t *doc = json_loads(j, 0, NULL), *defs = json_object_get(doc, "definitions");
                char got[400] = "";
                for (d = 0; d < json_array_size(defs); d++)
                    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", d ? " " : "",
                             json_string_value(json_object_get(json_array_get(defs, d), "definition")));
                CHECK_STR(got, pick[p].ids);
                CHECK_INT(json_array_size(json_object_get(doc, "agreement")), nd * (nd - 1) / 2);
                json_decref(doc);
            }
            if (j && t && v1)
                for (d = 0; d < sarx_definition_count(ctx); d++) {
                    const char *id = sarx_definition_id(sarx_definition_at(ctx, d));
                    char q[48];
                    int in = sarx_definition_find(sub, id) != NULL;
                    snprintf(q, sizeof q, "data-definition=\"%s\"", id); /* the plot shows titles */
                    CHECK((strstr(v1, q) != NULL) == in);
                    snprintf(q, sizeof q, "%s ", id);
                    CHECK(!in || strstr(t, q) != NULL);
                }
            sarx_free(j);
            sarx_free(t);
            sarx_free(v1);
            sarx_free(v2);
        }
        sarx_cohort_free(cf);
        sarx_cohort_free(cs);
        sarx_ctx_free(sub);
    }
    printf("ctx_select: %ld subject- and row-definitions compared with the whole context\n", compared);
    CHECK_INT(bad, 0);
    CHECK(compared > 50000);
    /* Errors: the option named, the value, what there is. */
    {
        static const char *const badlist[] = {"", " , ", "ewgsop2,,awgs2019", "ewgsop2,", "ewgsop3", "sarcopenia,frailty"};
        for (k = 0; k < SARX__N(badlist); k++) {
            sub = (sarx_ctx *)1;
            CHECK_INT(sarx_ctx_select(ctx, badlist[k], &sub, &err), SARX_EINVAL);
            CHECK(sub == NULL);
            CHECK_STR(err.field, "definitions");
            CHECK(strstr(err.message, "definitions: ") == err.message);
        }
        CHECK_INT(sarx_ctx_select(ctx, "", &sub, &err), SARX_EINVAL);
        CHECK(strstr(err.message, "empty list") && strstr(err.message, "espen_easo2022") &&
              strstr(err.message, "sarcopenic_obesity"));
        CHECK_INT(sarx_ctx_select(ctx, "ewgsop2,,awgs2019", &sub, &err), SARX_EINVAL);
        CHECK(strstr(err.message, "name 2 of \"ewgsop2,,awgs2019\" is empty") != NULL);
        CHECK_INT(sarx_ctx_select(ctx, "sarcopenia, Frailty ", &sub, &err), SARX_EINVAL);
        CHECK_STR(err.value, "Frailty");
        CHECK(strstr(err.message, "unknown name \"Frailty\"") && strstr(err.message, "ids: ewgsop2,") &&
              strstr(err.message, "glim2019") && strstr(err.message, "kinds: sarcopenia,") &&
              strstr(err.message, "sarcopenic_obesity)"));
        CHECK_INT(sarx_ctx_select(ctx, NULL, &sub, &err), SARX_EINVAL);
        CHECK_INT(sarx_ctx_select(NULL, "ewgsop2", &sub, &err), SARX_EINVAL);
        CHECK_INT(sarx_ctx_select(ctx, "ewgsop2", NULL, &err), SARX_EINVAL);
        /* a selection of a selection lists only what it holds */
        CHECK_INT(sarx_ctx_select(ctx, "ewgsop2,glim2019", &parent, &err), SARX_OK);
        CHECK_INT(sarx_ctx_select(parent, "awgs2019", &sub, &err), SARX_EINVAL);
        CHECK(strstr(err.message, "(ids: ewgsop2,glim2019; kinds: sarcopenia,malnutrition)") != NULL);
        CHECK_INT(sarx_ctx_select(parent, "MALNUTRITION", &sub, &err), SARX_OK);
        CHECK_INT(sarx_definition_count(sub), 1);
        CHECK_STR(sarx_definition_id(sarx_definition_at(sub, 0)), "glim2019");
        sarx_ctx_free(sub);
        sarx_ctx_free(parent);
    }
    sarx_subject_free(s);
}

int main(void)
{
    sarx_ctx *ctx;
    sarx_error err;
    test_numbers();
    test_dates();
    test_fields();
    test_rules();
    test_subject_api();
    test_list_cells();
    test_errors();
    CHECK_INT(sarx_ctx_new(&ctx, &err), SARX_OK);
    test_registry(ctx);
    test_assess(ctx);
    test_utf8();
    test_locale(ctx);
    test_json_oom(ctx);
    test_batch_equivalence(ctx);
    test_class_transpose();
    test_put_counter();
    test_batch_compare();
    test_batch_derive();
    test_condition_measures();
    test_derive_matches_measure(ctx);
    test_weight_ratios(ctx);
    test_set_aside();
    test_stats();
    test_cohort_api(ctx);
    test_cells8();
    test_cohort_columns(ctx);
    test_cohort_counts(ctx);
    test_cohort_not_applicable(ctx);
    test_guidance(ctx);
    test_ctx_select(ctx);
    sarx_ctx_free(ctx);
    return h_summary("unit");
}
