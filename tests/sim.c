/*
** sim.c — the simulator: the pool against worked values, scenario errors,
** determinism, and the validation: every published target of
** src/sim/targets.c (sarx_sim_validate, as `sarx simulate --validate`
** runs it) must pass, and the result must not depend on the threads.
**
** SARX_SIM_REPORT=FILE also writes the validation table as Markdown (for
** docs/SIMULATOR.md).
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "sarx.h"
#include "sim/sim.h" /* sarx__mu_pool_use_kernel */

#include <jansson.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The validation population of `sarx simulate --validate` (its default). */
#define VALIDATION_PEOPLE 40000

static FILE *report;

static size_t col(const char *name)
{
    size_t k;
    for (k = 0; k < sarx_sim_column_count(); k++)
        if (strcmp(sarx_sim_column_name(k), name) == 0)
            return k;
    fprintf(stderr, "no column %s\n", name);
    return (size_t)-1;
}

static double at(const sarx_sim_result *r, double age, const char *name)
{
    size_t i, best = 0, k = col(name), a = col("age_years");
    for (i = 0; i < sarx_sim_result_rows(r); i++)
        if (fabs(sarx_sim_result_value(r, i, a) - age) < fabs(sarx_sim_result_value(r, best, a) - age))
            best = i;
    return sarx_sim_result_value(r, best, k);
}

static void test_pool(void)
{
    sarx_mu_pool *p = NULL;
    const double *rate, *force;
    double f;
    size_t n = 120;
    CHECK_INT(sarx_mu_pool_new(1, 1, &p), SARX_ERANGE);
    CHECK_INT(sarx_mu_pool_new(n, 0, &p), SARX_OK);
    /* maximal excitation: RR + (PFRL - MFR) / g = 50 + 17 = 67 */
    CHECK_NEAR(sarx_mu_pool_max_excitation(p), 67.0, 1e-12);
    f = sarx_mu_pool_step(p, 67.0, 0.02);
    rate = sarx_mu_pool_rates(p);
    force = sarx_mu_pool_forces(p);
    /* first unit: rate capped at 35 Hz; T = 90 ms: x = 3.15, Pr = 1 - exp(-2 x^3) */
    CHECK_NEAR(rate[0], 35.0, 1e-12);
    CHECK_NEAR(force[0], 1.0 - exp(-2.0 * pow(3.15, 3)), 1e-12);
    /* last unit: 25 Hz, P = 100, T = 30 ms: x = 0.75 -> 57 % of tetanic (Potvin 2017) */
    CHECK_NEAR(rate[n - 1], 25.0, 1e-12);
    CHECK_NEAR(force[n - 1] / 100.0, 1.0 - exp(-2.0 * pow(0.75, 3)), 1e-12);
    CHECK(f > 0);
    /* below the first threshold nothing fires */
    CHECK_NEAR(sarx_mu_pool_step(p, 0.5, 0.02), 0.0, 0);
    /* at excitation 1 the first unit fires at the minimum rate, 8 Hz */
    sarx_mu_pool_step(p, 1.0, 0.02);
    CHECK_NEAR(sarx_mu_pool_rates(p)[0], 8.0, 1e-12);
    CHECK_NEAR(sarx_mu_pool_rates(p)[1], 0.0, 0);
    sarx_mu_pool_free(p);
    /* with fatigue the force of a sustained contraction falls */
    CHECK_INT(sarx_mu_pool_new(n, 1, &p), SARX_OK);
    {
        double f0 = sarx_mu_pool_step(p, 40, 1.0), f1 = f0;
        int k;
        for (k = 0; k < 60; k++)
            f1 = sarx_mu_pool_step(p, 40, 1.0);
        CHECK(f1 < f0);
    }
    CHECK(isnan(sarx_mu_pool_step(p, 40, -1)));
    sarx_mu_pool_free(p);
}

/* Every vector width's kernel that this processor runs gives the SSE2
** kernel's numbers, rates and forces unit by unit, to 1e-12 (the FMA
** kernels round a*b+c once); a pool whose size is not a multiple of the
** widths, excitations that leave blocks silent, and two dt. */
static void test_pool_kernels(void)
{
    static const double exc[] = {67, 40, 1, 0.5, 25, 40, 0};
    static const int widths[] = {4, 8}, every[] = {2, 4, 8};
    const size_t n = 1003;
    size_t w;
    sarx_mu_pool *a = NULL;
    CHECK_INT(sarx_mu_pool_new(n, 1, &a), SARX_OK);
    CHECK_INT(sarx__mu_pool_use_kernel(a, 3), 0);
    CHECK_INT(sarx__mu_pool_use_kernel(a, 2), 1);
    for (w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        sarx_mu_pool *b = NULL, *ref = NULL;
        double worst = 0;
        int k;
        size_t i;
        CHECK_INT(sarx_mu_pool_new(n, 1, &b), SARX_OK);
        CHECK_INT(sarx_mu_pool_new(n, 1, &ref), SARX_OK);
        if (!sarx__mu_pool_use_kernel(b, widths[w])) {
            printf("  (the %d-wide pool kernel does not run here: not compared)\n", widths[w]);
            sarx_mu_pool_free(b);
            sarx_mu_pool_free(ref);
            continue;
        }
        sarx__mu_pool_use_kernel(ref, 2);
        for (k = 0; k < 700; k++) {
            double e = exc[k % 7], dt = k < 350 ? 0.02 : 1.0;
            double fr = sarx_mu_pool_step(ref, e, dt), fb = sarx_mu_pool_step(b, e, dt);
            const double *rr = sarx_mu_pool_rates(ref), *rb = sarx_mu_pool_rates(b);
            const double *gr = sarx_mu_pool_forces(ref), *gb = sarx_mu_pool_forces(b);
            double d = fabs(fb - fr) / (fabs(fr) > 1 ? fabs(fr) : 1);
            worst = d > worst ? d : worst;
            for (i = 0; i < n; i++) {
                d = fabs(rb[i] - rr[i]) / (fabs(rr[i]) > 1 ? fabs(rr[i]) : 1);
                worst = d > worst ? d : worst;
                d = fabs(gb[i] - gr[i]) / (fabs(gr[i]) > 1 ? fabs(gr[i]) : 1);
                worst = d > worst ? d : worst;
            }
        }
        CHECK(worst <= 1e-12);
        if (worst > 1e-12)
            fprintf(stderr, "  the %d-wide kernel differs by %.3g\n", widths[w], worst);
        sarx_mu_pool_free(b);
        sarx_mu_pool_free(ref);
    }
    sarx_mu_pool_free(a);
    /* Above the maximal excitation every unit is at its peak rate, whatever
    ** the excitation, infinite included, and the padding units beyond n
    ** stay silent: the same total as at 67, on every kernel. */
    for (w = 0; w < sizeof every / sizeof every[0]; w++) {
        static const double huge[] = {1e301, 1e308, INFINITY};
        int vw = every[w], k;
        double ref;
        CHECK_INT(sarx_mu_pool_new(n, 1, &a), SARX_OK);
        if (!sarx__mu_pool_use_kernel(a, vw)) {
            sarx_mu_pool_free(a);
            continue;
        }
        ref = sarx_mu_pool_step(a, 67.0, 0.02);
        sarx_mu_pool_free(a);
        for (k = 0; k < 3; k++) {
            CHECK_INT(sarx_mu_pool_new(n, 1, &a), SARX_OK);
            sarx__mu_pool_use_kernel(a, vw);
            CHECK_NEAR(sarx_mu_pool_step(a, huge[k], 0.02), ref, 0);
            CHECK_NEAR(sarx_mu_pool_rates(a)[n - 1], 25.0, 1e-12);
            sarx_mu_pool_free(a);
        }
    }
}

static void test_scenarios(void)
{
    static const struct {
        const char *json, *field;
        int code;
    } bad[] = {
        {"{\"activity_level\": \"couch\"}", "activity_level", SARX_EVALUE},
        {"{\"motor_units\": 5}", "motor_units", SARX_ERANGE},
        {"{\"motor_units\": 1e10}", "motor_units", SARX_ERANGE}, /* out of int's range: refused, never converted */
        {"{\"end_age\": \"old\"}", "end_age", SARX_ETYPE},
        {"{\"colour\": 1}", "colour", SARX_EFIELD},
        {"{\"start_age\": 60, \"end_age\": 50}", "end_age", SARX_ERANGE},
        {"{\"interventions\": [{\"type\": \"yoga\", \"start_age\": 60, \"days\": 5}]}", "type", SARX_EVALUE},
        {"{\"interventions\": [{\"type\": \"bed_rest\", \"days\": 5}]}", "start_age", SARX_EFIELD},
        {"{\"interventions\": [{\"type\": \"bed_rest\", \"start_age\": 60}]}", "days", SARX_EFIELD},
        {"{\"interventions\": [{\"type\": \"bed_rest\", \"start_age\": 60, \"days\": 5, \"sets\": 3}]}", "sets",
         SARX_EFIELD},
        {"{\"interventions\": [{\"type\": \"resistance_training\", \"start_age\": 60, \"weeks\": 5, "
         "\"intensity_pct_1rm\": 120}]}",
         "intensity_pct_1rm", SARX_ERANGE},
        {"{\"protein_g_kg\": 9}", "protein_g_kg", SARX_ERANGE},
        {"[1, 2]", "", SARX_ETYPE},
        {"{\"sex\": ", "", SARX_ESYNTAX},
    };
    size_t i;
    sarx_scenario *sc = NULL;
    sarx_sim_result *a = NULL, *b = NULL;
    sarx_error err;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = sarx_scenario_from_json(bad[i].json, strlen(bad[i].json), &sc, &err);
        CHECK_INT(rc, bad[i].code);
        if (bad[i].field[0]) {
            CHECK_STR(err.field, bad[i].field);
            CHECK(strstr(err.message, bad[i].field) != NULL);
        }
        CHECK(sc == NULL);
    }
    CHECK_INT(sarx_scenario_preset("nope", &sc, &err), SARX_ENOTFOUND);
    CHECK(strstr(err.message, "sedentary") != NULL); /* names the allowed presets */
    /* every preset runs; the same seed gives the same numbers, another seed others */
    for (i = 0; i < sarx_scenario_preset_count(); i++) {
        CHECK_INT(sarx_scenario_preset(sarx_scenario_preset_name(i), &sc, &err), SARX_OK);
        CHECK_INT(sarx_simulate(sc, 7, &a, &err), SARX_OK);
        CHECK_INT(sarx_simulate(sc, 7, &b, &err), SARX_OK);
        CHECK(sarx_sim_result_rows(a) > 1 && sarx_sim_result_rows(a) == sarx_sim_result_rows(b));
        {
            size_t r, k, same = 1;
            for (r = 0; r < sarx_sim_result_rows(a); r++)
                for (k = 0; k < sarx_sim_column_count(); k++) {
                    double x = sarx_sim_result_value(a, r, k), y = sarx_sim_result_value(b, r, k);
                    if (!(x == y || (isnan(x) && isnan(y))))
                        same = 0;
                }
            CHECK(same);
        }
        /* the first reported point is the reference of an intervention preset */
        if (sarx_scenario_intervention_count(sc) > 0)
            CHECK_NEAR(sarx_sim_result_value(a, 0, col("muscle_mass_rel")), 1.0, 1e-12);
        else /* a lifespan: rows from 20 y, relative to 25 y */
            CHECK_NEAR(sarx_sim_result_value(a, 0, col("age_years")), 20.0, 1e-9);
        sarx_sim_result_free(a);
        sarx_sim_result_free(b);
        sarx_scenario_free(sc);
    }
    /* the columns the issue names */
    CHECK(col("age_years") != (size_t)-1 && col("motor_units") != (size_t)-1 && col("muscle_mass_rel") != (size_t)-1 &&
          col("max_force_rel") != (size_t)-1 && col("power_rel") != (size_t)-1 && col("rfd_rel") != (size_t)-1 &&
          col("type1_fiber_fraction") != (size_t)-1);
}

static sarx_sim_result *sim(const char *json, unsigned long long seed)
{
    sarx_scenario *sc = NULL;
    sarx_sim_result *r = NULL;
    sarx_error err;
    if (sarx_scenario_from_json(json, strlen(json), &sc, &err) != SARX_OK) {
        fprintf(stderr, "scenario %s: %s\n", json, err.message);
        return NULL;
    }
    sarx_simulate(sc, seed, &r, &err);
    sarx_scenario_free(sc);
    return r;
}

/* Behaviour the validation table relies on. */
static void test_behaviour(void)
{
    sarx_sim_result *a, *b;
    sarx_scenario *sc = NULL;
    sarx_error err;
    static const struct {
        const char *json, *field;
        int code;
    } bad[] = {
        {"{\"motor_units\": 20.5}", "motor_units", SARX_ETYPE},
        {"{\"report_every_years\": 1, \"report_every_days\": 7}", "report_every_days", SARX_ECONFLICT},
        {"{\"end_age\": 50, \"interventions\": [{\"type\": \"bed_rest\", \"start_age\": 60, \"days\": 5}]}",
         "interventions[0].start_age", SARX_ERANGE},
        {"{\"interventions\": [{\"type\": \"bed_rest\", \"start_age\": 60, \"days\": 30}, "
         "{\"type\": \"bed_rest\", \"start_age\": 60.05, \"days\": 5}]}",
         "interventions[1].start_age", SARX_ECONFLICT},
        {"{\"motor_units\": 5000, \"end_age\": 110, \"report_every_days\": 1}", "scenario", SARX_ERANGE},
    };
    size_t i, k, rows;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(sarx_scenario_from_json(bad[i].json, strlen(bad[i].json), &sc, &err), bad[i].code);
        CHECK_STR(err.field, bad[i].field);
    }
    /* a lifespan reports from 20 y; the row at 25 y is the reference */
    a = sim("{\"activity_level\": \"low\"}", 5);
    CHECK(a && sarx_sim_result_value(a, 0, col("age_years")) == 20);
    CHECK_NEAR(at(a, 25, "muscle_mass_rel"), 1.0, 1e-12);
    CHECK_NEAR(at(a, 25, "max_force_rel"), 1.0, 1e-12);
    /* a scenario that starts reporting at 60 is the same person at 60 */
    b = sim("{\"activity_level\": \"low\", \"start_age\": 60}", 5);
    CHECK(b && sarx_sim_result_value(b, 0, col("age_years")) == 60);
    CHECK_NEAR(sarx_sim_result_value(b, 0, col("motor_units")), at(a, 60, "motor_units"), 0);
    /* (the steps fall differently around the reported ages: a rounding-size difference) */
    CHECK_NEAR(sarx_sim_result_value(b, 0, col("muscle_mass_rel")), at(a, 60, "muscle_mass_rel"), 1e-3);
    sarx_sim_result_free(b);
    /* an intervention with no effect (training at 0 % 1RM, which forces daily
    ** steps for ten years) leaves the person as they were */
    b = sim("{\"activity_level\": \"low\", \"interventions\": [{\"type\": \"resistance_training\", "
            "\"start_age\": 60, \"days\": 3650, \"intensity_pct_1rm\": 0}]}",
            5);
    rows = b ? sarx_sim_result_rows(b) : 0;
    CHECK(rows == sarx_sim_result_rows(a));
    for (i = 0; i < rows; i++) {
        CHECK_NEAR(sarx_sim_result_value(b, i, col("motor_units")), sarx_sim_result_value(a, i, col("motor_units")), 0);
        for (k = 0; k < sarx_sim_column_count(); k++) {
            double x = sarx_sim_result_value(a, i, k), y = sarx_sim_result_value(b, i, k);
            if (x == x && fabs(x - y) > 5e-3 * fmax(1, fabs(x))) {
                fprintf(stderr, "FAIL no-effect intervention changed %s at row %lu: %g vs %g\n",
                        sarx_sim_column_name(k), (unsigned long)i, x, y);
                h_fail++;
                i = rows;
                break;
            }
        }
    }
    h_pass++;
    sarx_sim_result_free(a);
    sarx_sim_result_free(b);
}

static const char *kind_name(int kind)
{
    return kind == SARX_SIM_TARGET_LIFESPAN ? "lifespan"
         : kind == SARX_SIM_TARGET_CENTILE  ? "centile"
         : kind == SARX_SIM_TARGET_NORM     ? "norm"
                                            : "prevalence";
}

/* A progress callback: people done, from the worker threads. */
static void count_person(void *ud, long n) { atomic_fetch_add((atomic_long *)ud, n); }

/* The comparison's content: every definition either tabled or named as not
** computable; counts that add up, intervals around their prevalence; the
** spread the lowest and highest of the sarcopenia definitions; every
** prevalence check beside it with its own value and verdict; the text in
** 100 columns; an SVG with a row a definition a sex. */
static void check_compare(const sarx_sim_validation *v, const sarx_ctx *ctx, long people)
{
    char *text = sarx_sim_compare_text(v), *js = sarx_sim_compare_json(v), *svg = sarx_sim_compare_svg(v);
    json_t *root = js ? json_loads(js, 0, NULL) : NULL, *defs, *nc, *pub, *d;
    size_t i, k, np = 0, ndefs;
    const char *p, *line;
    CHECK(sarx_sim_compare_text(NULL) == NULL && sarx_sim_compare_json(NULL) == NULL &&
          sarx_sim_compare_svg(NULL) == NULL);
    CHECK(text && root && svg);
    if (!text || !root || !svg)
        goto done;
    defs = json_object_get(root, "definitions");
    nc = json_object_get(root, "not_computable");
    pub = json_object_get(root, "published");
    ndefs = json_array_size(defs);
    CHECK(ndefs >= 5 && ndefs + json_array_size(nc) == sarx_definition_count(ctx));
    CHECK(json_integer_value(json_object_get(root, "people")) == people);
    json_array_foreach(defs, i, d) {
        const char *sx[2] = {"men", "women"};
        int s;
        CHECK(sarx_definition_find(ctx, json_string_value(json_object_get(d, "id"))) != NULL);
        for (s = 0; s < 2; s++) {
            json_t *bands = json_object_get(d, sx[s]), *b;
            size_t j;
            CHECK(json_array_size(bands) == 3);
            json_array_foreach(bands, j, b) {
                json_int_t x = json_integer_value(json_object_get(b, "positive")),
                           n = json_integer_value(json_object_get(b, "decided"));
                json_t *pr = json_object_get(b, "prevalence"), *ci = json_object_get(b, "ci95");
                CHECK(x >= 0 && x <= n);
                if (n == 0)
                    CHECK(json_is_null(pr) && json_is_null(ci));
                else {
                    double q = json_real_value(pr), lo = json_real_value(json_array_get(ci, 0)),
                           hi = json_real_value(json_array_get(ci, 1));
                    CHECK(json_is_real(pr) && fabs(q - (double)x / (double)n) < 1e-5);
                    CHECK(lo <= q + 1e-6 && q <= hi + 1e-6 && lo >= 0 && hi <= 1);
                }
            }
        }
    }
    json_array_foreach(nc, i, d) /* named in the text's sentence */
        CHECK(strstr(text, json_string_value(d)) != NULL);
    /* the spread: the lowest and highest sarcopenia definition of each band */
    {
        const char *sx[2] = {"men", "women"};
        int s;
        for (s = 0; s < 2; s++) {
            json_t *bands = json_object_get(json_object_get(root, "spread"), sx[s]), *b;
            json_array_foreach(bands, k, b) {
                double lo = json_real_value(json_object_get(json_object_get(b, "lowest"), "prevalence")),
                       hi = json_real_value(json_object_get(json_object_get(b, "highest"), "prevalence"));
                CHECK(lo <= hi);
                json_array_foreach(defs, i, d) {
                    json_t *q = json_object_get(json_array_get(json_object_get(d, sx[s]), k), "prevalence");
                    if (strcmp(json_string_value(json_object_get(d, "kind")), "sarcopenia") == 0 && json_is_real(q))
                        CHECK(json_real_value(q) >= lo - 1e-9 && json_real_value(q) <= hi + 1e-9);
                }
            }
        }
    }
    /* every prevalence check, in order, with its value (a fraction) and verdict */
    for (i = 0; i < sarx_sim_validation_count(v); i++) {
        const sarx_sim_check *c = sarx_sim_validation_check(v, i);
        json_t *o;
        if (c->kind != SARX_SIM_TARGET_PREVALENCE)
            continue;
        o = json_array_get(pub, np++);
        CHECK(o && strcmp(json_string_value(json_object_get(o, "id")), c->id) == 0);
        CHECK(fabs(json_real_value(json_object_get(o, "simulated")) * 100 - c->value) < 1e-3 * (1 + c->value));
        CHECK(json_is_true(json_object_get(o, "pass")) == (c->pass != 0));
        CHECK(json_is_true(json_object_get(o, "held_out")) == (c->held_out != 0));
        CHECK(strstr(text, c->what) != NULL);
    }
    CHECK(np >= 2 && json_array_size(pub) == np);
    /* the text: 100 columns, the verdicts in words, the closing sentence */
    for (line = text; *line; line = p + (*p == '\n')) {
        p = line + strcspn(line, "\n");
        CHECK(p - line <= 100);
    }
    CHECK(strstr(text, "held out") && strstr(text, "docs/SIMULATOR.md") && strstr(text, "not data"));
    CHECK(strstr(text, "own sex, age range and measured"));
    /* the SVG: a row for every tabled definition in each panel, no font under 7 pt */
    for (k = 0, p = svg; (p = strstr(p, "<g class=\"definition\"")) != NULL; p++)
        k++;
    CHECK(k == 2 * ndefs);
    {
        char caption[128];
        snprintf(caption, sizeof caption,
                 "One virtual population, %ld people: the spread between rows is the definitions' alone.", people);
        CHECK(strstr(svg, caption) != NULL);
    }
    CHECK(!strstr(svg, "font-size=\"6\"") && !strstr(svg, "font-size=\"5\""));
    CHECK(strstr(svg, "class=\"published\""));
done:
    json_decref(root);
    sarx_free(text);
    sarx_free(js);
    sarx_free(svg);
}
/* Every target passes; the report table for docs/SIMULATOR.md. */
static void validation(void)
{
    sarx_sim_validation *v = NULL, *one = NULL;
    sarx_error err;
    size_t i, n, held = 0, prev_held = 0, known = 0;
    CHECK_INT(sarx_sim_validate(1, 999, 2, &v, &err), SARX_ERANGE);
    CHECK_STR(err.field, "people");
    CHECK_INT(sarx_sim_validate(1, 1000, 0, &v, &err), SARX_ERANGE);
    CHECK_STR(err.field, "threads");
    CHECK_INT(sarx_sim_validate(1, 1000, 1, NULL, &err), SARX_EINVAL);
    if (sarx_sim_validate(1, VALIDATION_PEOPLE, 2, &v, &err) != SARX_OK) {
        fprintf(stderr, "FAIL sarx_sim_validate: %s\n", err.message);
        h_fail++;
        return;
    }
    n = sarx_sim_validation_count(v);
    CHECK(n >= 21 + 54); /* the 21 lifespan targets, 54 centiles, the norms and prevalence */
    if (report)
        fprintf(report, "| kind | target | source | published | simulated | tolerance | result | fitted |\n"
                        "|---|---|---|---|---|---|---|---|\n");
    for (i = 0; i < n; i++) {
        const sarx_sim_check *c = sarx_sim_validation_check(v, i);
        /* every calibrated target passes; a held-out one passes, or fails as docs/SIMULATOR.md says it does */
        if (c->pass == !c->known)
            h_pass++;
        else {
            h_fail++;
            fprintf(stderr, "FAIL simulator target %s: %s = %.4g, published %s, tolerance [%.4g, %.4g] (%s)%s\n", c->id,
                    c->what, c->value, c->published, c->lo, c->hi, c->source,
                    c->known ? ": recorded as a known failure, but it passes now (src/sim/targets.c, docs)" : "");
        }
        known += c->known != NULL;
        CHECK(!c->known || c->held_out);
        held += c->held_out;
        prev_held += c->held_out && c->kind == SARX_SIM_TARGET_PREVALENCE;
        if (report)
            fprintf(report, "| %s | %s | %s | %s | %.3g | %.3g to %.3g | %s | %s |\n", kind_name(c->kind), c->what,
                    c->source, c->published, c->value, c->lo, c->hi, c->pass ? "pass" : "**fail** (known)",
                    c->held_out ? "held out" : "calibrated");
    }
    CHECK(prev_held >= 2); /* the issue: at least two prevalence targets held out of every calibration */
    CHECK(held >= prev_held);
    CHECK_INT((long)sarx_sim_validation_failed(v), (long)known);
    CHECK(sarx_sim_validation_check(v, n) == NULL);
    /* the comparison: text, JSON that parses, an SVG */
    {
        char *text = sarx_sim_compare_text(v), *js = sarx_sim_compare_json(v), *svg = sarx_sim_compare_svg(v);
        json_t *root = js ? json_loads(js, 0, NULL) : NULL;
        CHECK(text && strstr(text, "baumgartner1998") && strstr(text, "ewgsop2"));
        CHECK(root && json_is_array(json_object_get(root, "definitions")) &&
              json_is_array(json_object_get(root, "published")));
        CHECK(svg && strncmp(svg, "<svg", 4) == 0 && strstr(svg, "</svg>"));
        json_decref(root);
        sarx_free(text);
        sarx_free(js);
        sarx_free(svg);
    }
    {
        sarx_ctx *ctx = NULL;
        if (sarx_ctx_new(&ctx, &err) == SARX_OK)
            check_compare(v, ctx, VALIDATION_PEOPLE);
        sarx_ctx_free(ctx);
    }
    /* the same people with one thread: the same values, to the bit; and with
    ** two, reporting progress: every person counted once */
    if (sarx_sim_validate(1, 2000, 1, &one, &err) == SARX_OK) {
        sarx_sim_validation *two = NULL;
        atomic_long counted = 0;
        if (sarx_sim_validate_ex(1, 2000, 2, count_person, &counted, &two, &err) == SARX_OK) {
            CHECK_INT((int)atomic_load(&counted), 2000);
            int same = 1;
            for (i = 0; i < n; i++) {
                double a = sarx_sim_validation_check(one, i)->value, b = sarx_sim_validation_check(two, i)->value;
                if (!(a == b || (a != a && b != b)))
                    same = 0;
            }
            CHECK(same);
        }
        sarx_sim_validation_free(two);
    }
    sarx_sim_validation_free(one);
    sarx_sim_validation_free(v);
}

/* A population person's measurements: each in its field's range, the SPPB
** a whole score, and the same person whatever else is asked. */
static void test_population(void)
{
    static const double ages[] = {60, 75, 90};
    sarx_scenario *sc = NULL;
    double a[3 * 16], b[16];
    size_t nm = sarx_sim_measure_count(), k;
    sarx_error err;
    CHECK(nm == 10 && nm <= 16);
    CHECK_STR(sarx_sim_measure_name(7), "smm_kg");
    CHECK_STR(sarx_sim_measure_name(8), "chair_stand_5x_s");
    CHECK_STR(sarx_sim_measure_name(9), "sppb_score");
    CHECK(sarx_sim_measure_name(nm) == NULL);
    CHECK_INT(sarx_scenario_from_json("{}", 2, &sc, &err), SARX_OK);
    CHECK_INT(sarx_sim_person_measures(sc, 3, 41, ages, 3, a, &err), SARX_OK);
    CHECK_INT(sarx_sim_person_measures(sc, 3, 41, ages + 1, 1, b, &err), SARX_OK);
    for (k = 0; k < 3; k++) {
        const double *m = a + k * nm;
        CHECK(m[0] == 1 || m[0] == 2);
        CHECK(m[1] == ages[k]);
        CHECK(m[4] >= 1 && m[4] <= 100 && m[5] >= 0.1 && m[5] <= 3 && m[7] >= 5 && m[7] <= 80);
        CHECK(m[8] >= 3 && m[8] <= 60 && m[9] >= 0 && m[9] <= 12 && m[9] == floor(m[9]));
    }
    /* the same person at 75, asked alone (the steps fall differently around the ages: a rounding-size difference) */
    CHECK_NEAR(b[4], a[nm + 4], 5e-3 * a[nm + 4]);
    CHECK_NEAR(b[2], a[nm + 2], 1e-9 * a[nm + 2]);
    CHECK_INT(sarx_sim_person_measures(sc, 3, 41, (const double[]){70, 65}, 2, a, &err), SARX_ERANGE);
    sarx_scenario_free(sc);
}

static double correlation(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    size_t i;
    for (i = 0; i < n; i++)
        mx += x[i] / n, my += y[i] / n;
    for (i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/* The function factor is one ability: at one age, in one sex, a faster
** walker rises from a chair faster (a shorter time) and balances better (the
** SPPB balance points: the total less the walk and chair scores).  It once
** lengthened the chair time, which no reader of the rows could have seen in
** a marginal distribution. */
static void test_function_factor(void)
{
    enum { N = 600 };
    static double gait[N], chair[N], balance[N];
    sarx_scenario *sc = NULL;
    double m[16];
    sarx_error err;
    long p;
    int ok = 1;
    CHECK_INT(sarx_scenario_from_json("{\"sex\": \"female\"}", 17, &sc, &err), SARX_OK);
    for (p = 0; p < N && ok; p++) {
        ok = sarx_sim_person_measures(sc, 11, p, (const double[]){75}, 1, m, &err) == SARX_OK && m[0] == 2;
        gait[p] = m[5], chair[p] = m[8];
        balance[p] = m[9] - sarx__sppb_walk(4.0 / m[5]) - sarx__sppb_chair(m[8]);
    }
    CHECK(ok);
    CHECK(correlation(gait, chair, N) < -0.3);
    CHECK(correlation(gait, balance, N) > 0.2);
    CHECK(correlation(chair, balance, N) < -0.2);
    sarx_scenario_free(sc);
}

int main(void)
{
    const char *path = getenv("SARX_SIM_REPORT");
    report = path ? fopen(path, "w") : NULL;
    test_pool();
    test_pool_kernels();
    test_scenarios();
    test_behaviour();
    test_population();
    test_function_factor();
    validation();
    if (report)
        fclose(report);
    return h_summary("simulator");
}
