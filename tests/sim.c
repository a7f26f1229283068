/*
** sim.c — the simulator: the pool against worked values, scenario errors,
** determinism, and the validation suite against the published targets of
** shared/research/simulator.md §3, each with its tolerance.
**
** SARX_SIM_REPORT=FILE also writes the validation table as Markdown (for
** docs/SIMULATOR.md).
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "sarx.h"
#include "sim/sim.h" /* sarx__mu_pool_use_kernel */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PEOPLE 100 /* per validation cohort */

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

/* Mean of a column at an age (the row whose age is nearest) over a cohort. */
typedef struct cohort {
    sarx_sim_result *r[PEOPLE];
    int n;
} cohort;

static void run_cohort(cohort *c, const char *json, int people)
{
    sarx_scenario *sc = NULL;
    sarx_error err;
    int i;
    c->n = 0;
    if (sarx_scenario_from_json(json, strlen(json), &sc, &err) != SARX_OK) {
        fprintf(stderr, "scenario: %s\n", err.message);
        h_fail++;
        return;
    }
    for (i = 0; i < people; i++)
        if (sarx_simulate(sc, 1000 + (unsigned long long)i, &c->r[c->n], &err) == SARX_OK)
            c->n++;
    sarx_scenario_free(sc);
}

static void free_cohort(cohort *c)
{
    int i;
    for (i = 0; i < c->n; i++)
        sarx_sim_result_free(c->r[i]);
    c->n = 0;
}

static double at(const sarx_sim_result *r, double age, const char *name)
{
    size_t i, best = 0, k = col(name), a = col("age_years");
    for (i = 0; i < sarx_sim_result_rows(r); i++)
        if (fabs(sarx_sim_result_value(r, i, a) - age) < fabs(sarx_sim_result_value(r, best, a) - age))
            best = i;
    return sarx_sim_result_value(r, best, k);
}

/* People with no value (e.g. no fast unit left for a type II area) are left out. */
static double mean_at(const cohort *c, double age, const char *name)
{
    double s = 0;
    int i, k = 0;
    for (i = 0; i < c->n; i++) {
        double v = at(c->r[i], age, name);
        if (v == v)
            s += v, k++;
    }
    return k ? s / k : NAN;
}

static double last(const sarx_sim_result *r, const char *name)
{
    return sarx_sim_result_value(r, sarx_sim_result_rows(r) - 1, col(name));
}

/* One validation target: value within [lo, hi]. */
static void target(const char *what, const char *source, const char *expected, double value, double lo, double hi)
{
    int ok = value >= lo && value <= hi;
    if (ok)
        h_pass++;
    else {
        h_fail++;
        fprintf(stderr, "FAIL simulator target: %s = %.4g, expected %s [%.4g, %.4g] (%s)\n", what, value, expected,
                lo, hi, source);
    }
    if (report)
        fprintf(report, "| %s | %s | %s (tolerance %.3g to %.3g) | %.3g | %s |\n", what, source, expected, lo, hi,
                value, ok ? "pass" : "**fail**");
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

static void validation(void)
{
    cohort low, ath;
    double v, m70, m80, s70, s80;
    sarx_scenario *sc;
    sarx_sim_result *r;
    sarx_error err;
    static const char *const lifespan =
        "{\"activity_level\": \"%s\", \"between_person_variation\": true, \"start_age\": 20, \"end_age\": 90}";
    char json[256];

    if (report)
        fprintf(report, "| target | source | published | model | result |\n|---|---|---|---|---|\n");

    snprintf(json, sizeof json, lifespan, "low");
    run_cohort(&low, json, PEOPLE);
    snprintf(json, sizeof json, lifespan, "athlete");
    run_cohort(&ath, json, PEOPLE);

    /* 3.1 motor units */
    target("surviving motor units at 65 y, of 25 y", "McNeil 2005 (TA MUNE 150 -> 91)", "0.61", mean_at(&low, 65, "motor_units_rel"),
           0.53, 0.69);
    target("surviving motor units at 71 y, of 25 y", "Piasecki 2016 (~40 % fewer by ~71 y)", "about 0.6",
           mean_at(&low, 71, "motor_units_rel"), 0.5, 0.7);
    target("surviving motor units at 82 y, of 25 y", "McNeil 2005 (59 of 150 at >= 80 y)", "0.39",
           mean_at(&low, 82, "motor_units_rel"), 0.3, 0.48);
    target("masters athletes' motor units at 65 y, of 25 y", "Power 2010 (140 of 150)", "0.93",
           mean_at(&ath, 65, "motor_units_rel"), 0.76, 1.0);
    v = mean_at(&ath, 65, "motor_units_rel") - mean_at(&low, 65, "motor_units_rel");
    target("masters athletes minus sedentary peers, units at 65 y", "Power 2010 (140 vs 91 of 150)", "0.33 (more)",
           v, 0.05, 0.5);
    target("fibres per surviving unit at 71 y, of 25 y",
           "Piasecki 2016 J Physiol (VL MUP size +25 %); Piasecki 2016 review (survivors ~50 % larger)",
           "1.25-1.5", mean_at(&low, 71, "unit_size_rel"), 1.2, 1.55);

    /* 3.2 fibres */
    v = mean_at(&low, 72, "fibers_rel") / mean_at(&low, 30, "fibers_rel");
    target("VL fibre number at 72 y, of 30 y", "Lexell 1983 (478k -> 364k)", "0.76", v, 0.70, 0.82);
    v = mean_at(&low, 71, "type2_area_rel") / mean_at(&low, 23, "type2_area_rel");
    target("type II fibre area at 71 y, of 23 y", "Nilwik 2013 (29 % smaller)", "0.71", v, 0.62, 0.80);
    v = mean_at(&low, 71, "type1_area_rel") / mean_at(&low, 23, "type1_area_rel");
    target("type I fibre area at 71 y, of 23 y", "Lexell 1995; Nilwik 2013 (type I little changed)", "about 1",
           v, 0.88, 1.05);

    /* 3.3 mass, strength, power */
    m70 = mean_at(&low, 70, "muscle_mass_rel");
    m80 = mean_at(&low, 80, "muscle_mass_rel");
    s70 = mean_at(&low, 70, "max_force_rel");
    s80 = mean_at(&low, 80, "max_force_rel");
    target("muscle mass loss at 70-79 y, % a year", "Mitchell 2012 (0.6-1.0 %/y at ~75 y, longitudinal)",
           "0.6-1.0", 100 * (m70 - m80) / m70 / 10, 0.45, 1.3);
    target("strength loss / mass loss at 70-79 y", "Goodpaster 2006 (strength ~3x faster)", "about 3",
           ((s70 - s80) / s70) / ((m70 - m80) / m70), 2.1, 3.9);
    v = mean_at(&low, 75, "power_rel");
    target("power lost by 75 y minus strength lost", "Skelton 1995; Metter 1997 (power falls faster)", "> 0",
           mean_at(&low, 75, "max_force_rel") - v, 0.02, 1);
    target("strength lost by 75 y minus mass lost", "Goodpaster 2006; Hurley 1995", "> 0",
           mean_at(&low, 75, "muscle_mass_rel") - mean_at(&low, 75, "max_force_rel"), 0.02, 1);
    target("RFD lost by 75 y minus strength lost", "Thompson 2014 (RFD -39 to -64 % vs MVC -29 to -46 %)", "> 0",
           mean_at(&low, 75, "max_force_rel") - mean_at(&low, 75, "rfd_rel"), 0.01, 1);
    free_cohort(&low);
    free_cohort(&ath);

    /* 3.4 disuse */
    if (sarx_scenario_preset("bed_rest_10d", &sc, &err) == SARX_OK && sarx_simulate(sc, 1, &r, &err) == SARX_OK) {
        v = 1 - last(r, "muscle_mass_rel");
        target("leg lean mass lost in 10 days of bed rest at 67 y, % (x 13 kg = about 1 kg)",
               "Kortebein 2007 (0.95 kg of ~13 kg)", "7.3", 100 * v, 5.1, 9.5);
        sarx_sim_result_free(r);
    }
    sarx_scenario_free(sc);
    if (sarx_scenario_preset("immobilization_14d", &sc, &err) == SARX_OK &&
        sarx_simulate(sc, 1, &r, &err) == SARX_OK) {
        target("muscle size lost in 14 days of immobilisation at 24 y, %", "Wall 2014 (CSA -8.4 +/- 2.8 %)", "8.4",
               100 * (1 - last(r, "muscle_mass_rel")), 7.0, 9.8);
        target("strength lost in 14 days of immobilisation at 24 y, %", "Wall 2014 (-22.9 +/- 2.6 %)", "22.9",
               100 * (1 - last(r, "max_force_rel")), 21.6, 24.2);
        sarx_sim_result_free(r);
    }
    sarx_scenario_free(sc);
    if (sarx_scenario_preset("microgravity_180d", &sc, &err) == SARX_OK &&
        sarx_simulate(sc, 1, &r, &err) == SARX_OK) {
        v = 1 - last(r, "type1_area_rel");
        target("type I fibre area lost in 180 days of spaceflight, %", "Fitts 2010 (soleus type I ~20 %)", "20",
               100 * v, 14, 26);
        target("type I minus type II area lost in spaceflight", "Fitts 2010 (type I hit hardest)", "> 0",
               v - (1 - last(r, "type2_area_rel")), 0.01, 1);
        sarx_sim_result_free(r);
    }
    sarx_scenario_free(sc);

    /* 3.5 training */
    if (sarx_scenario_preset("resistance_training_6mo", &sc, &err) == SARX_OK &&
        sarx_simulate(sc, 1, &r, &err) == SARX_OK) {
        target("type II fibre area after 6 months of training at 71 y, %", "Nilwik 2013 (+24 +/- 8 %)", "+24",
               100 * (last(r, "type2_area_rel") - 1), 20, 28);
        target("strength after 6 months of training, %", "Peterson 2010 (+24 to +33 %)", "+24 to +33",
               100 * (last(r, "max_force_rel") - 1), 17, 43);
        sarx_sim_result_free(r);
    }
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
    validation();
    if (report)
        fclose(report);
    return h_summary("simulator");
}
