/*
** unit_assess.c — unit tests of one person's assessment: its renderings,
** definitions that do not apply, the conditions warning, the guidance (plan
** and red flags), and a context limited to some definitions.
*/
#include "unit.h"

#include <jansson.h>
#include <stdlib.h>

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
    size_t hl[MAXCOL], lens[SARX_COHORT_BATCH][MAXCOL], ncol = 0, p, k;
    const sarx_field_info *info[MAXCOL];
    sarx_subject *s;
    sarx_error err;
    sarx_ctx *sub, *parent;
    int bad = 0;
    long compared = 0;
    sarx_subject_new(&s);
    ncol = csv_field_header(hdr, info, hl, MAXCOL);
    CHECK(ncol <= MAXCOL);
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
    CHECK_INT(sarx_ctx_new(&ctx, &err), SARX_OK);
    test_assess(ctx);
    test_guidance(ctx);
    test_ctx_select(ctx);
    sarx_ctx_free(ctx);
    return h_summary("unit_assess");
}
