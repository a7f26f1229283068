/*
** unit.c — unit tests of libsarx's pieces: numbers, dates, fields, rules,
** the subject API, list cells, errors, UTF-8, the locale and running out of
** memory.  The batch classifier, the cohort reader and the assessment have
** programs of their own (unit_batch.c, unit_cohort.c, unit_assess.c).
*/
#include "unit.h"

#include <jansson.h>
#include <locale.h>
#include <stdlib.h>

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

int main(void)
{
    sarx_ctx *ctx;
    sarx_error err;
    CHECK_INT(sarx_ctx_new(&ctx, &err), SARX_OK);
    test_numbers();
    test_dates();
    test_fields();
    test_rules();
    test_subject_api();
    test_list_cells();
    test_errors();
    test_registry(ctx);
    test_utf8();
    test_locale(ctx);
    test_json_oom(ctx);
    sarx_ctx_free(ctx);
    return h_summary("unit");
}
