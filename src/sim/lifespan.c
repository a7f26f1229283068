/*
** lifespan.c — the lifespan, disuse, spaceflight and training targets:
** means over 100 simulated people of low habitual activity (and 100
** masters athletes) with between-person variation, and the intervention
** presets' typical person.  Each value is the one its target in targets.c
** names (by id); docs/SIMULATOR.md, "Validation", gives the table.
*/
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PEOPLE 100 /* per lifespan cohort */

typedef struct cohort {
    sarx_sim_result *r[PEOPLE];
    int n;
} cohort;

static size_t col(const char *name)
{
    size_t k;
    for (k = 0; k < sarx_sim_column_count(); k++)
        if (strcmp(sarx_sim_column_name(k), name) == 0)
            return k;
    return 0; /* not reached: the names below are the model's */
}

static int run_cohort(cohort *c, const char *activity)
{
    static const char *const lifespan =
        "{\"activity_level\": \"%s\", \"between_person_variation\": true, \"start_age\": 20, \"end_age\": 90}";
    char json[256];
    sarx_scenario *sc = NULL;
    int i, rc;
    c->n = 0;
    snprintf(json, sizeof json, lifespan, activity);
    if ((rc = sarx_scenario_from_json(json, strlen(json), &sc, NULL)) != SARX_OK)
        return rc;
    for (i = 0; i < PEOPLE && rc == SARX_OK; i++)
        if ((rc = sarx_simulate(sc, 1000 + (unsigned long long)i, &c->r[c->n], NULL)) == SARX_OK)
            c->n++;
    sarx_scenario_free(sc);
    return rc;
}

static void free_cohort(cohort *c)
{
    int i;
    for (i = 0; i < c->n; i++)
        sarx_sim_result_free(c->r[i]);
    c->n = 0;
}

/* A column at an age (the row whose age is nearest). */
static double at(const sarx_sim_result *r, double age, const char *name)
{
    size_t i, best = 0, k = col(name), a = col("age_years");
    for (i = 0; i < sarx_sim_result_rows(r); i++)
        if (fabs(sarx_sim_result_value(r, i, a) - age) < fabs(sarx_sim_result_value(r, best, a) - age))
            best = i;
    return sarx_sim_result_value(r, best, k);
}

/* The mean over a cohort; people with no value (no fast unit left for a
** type II area) are left out. */
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

/* A preset's typical person (seed 1); NULL on failure, with *rc set. */
static sarx_sim_result *preset(const char *name, int *rc)
{
    sarx_scenario *sc = NULL;
    sarx_sim_result *r = NULL;
    if ((*rc = sarx_scenario_preset(name, &sc, NULL)) == SARX_OK)
        *rc = sarx_simulate(sc, 1, &r, NULL);
    sarx_scenario_free(sc);
    return r;
}

typedef struct named {
    const char *id;
    double v;
} named;

static void put(named *out, size_t *n, const char *id, double v)
{
    out[*n].id = id;
    out[(*n)++].v = v;
}

/* Every lifespan target's value into vals (by index of targets.c), NaN for
** the others; 0 or an error code. */
int sarx__lifespan_values(double *vals)
{
    cohort low, ath;
    named got[32];
    size_t n = 0, i, j;
    double m70, m80, s70, s80;
    sarx_sim_result *r;
    int rc;
    memset(&low, 0, sizeof low);
    memset(&ath, 0, sizeof ath);
    if ((rc = run_cohort(&low, "low")) != SARX_OK || (rc = run_cohort(&ath, "athlete")) != SARX_OK) {
        free_cohort(&low);
        free_cohort(&ath);
        return rc;
    }
    put(got, &n, "units-65", mean_at(&low, 65, "motor_units_rel"));
    put(got, &n, "units-71", mean_at(&low, 71, "motor_units_rel"));
    put(got, &n, "units-82", mean_at(&low, 82, "motor_units_rel"));
    put(got, &n, "units-athletes-65", mean_at(&ath, 65, "motor_units_rel"));
    put(got, &n, "units-athletes-minus-peers-65",
        mean_at(&ath, 65, "motor_units_rel") - mean_at(&low, 65, "motor_units_rel"));
    put(got, &n, "unit-size-71", mean_at(&low, 71, "unit_size_rel"));
    put(got, &n, "fibres-72", mean_at(&low, 72, "fibers_rel") / mean_at(&low, 30, "fibers_rel"));
    put(got, &n, "type2-area-71", mean_at(&low, 71, "type2_area_rel") / mean_at(&low, 23, "type2_area_rel"));
    put(got, &n, "type1-area-71", mean_at(&low, 71, "type1_area_rel") / mean_at(&low, 23, "type1_area_rel"));
    m70 = mean_at(&low, 70, "muscle_mass_rel");
    m80 = mean_at(&low, 80, "muscle_mass_rel");
    s70 = mean_at(&low, 70, "max_force_rel");
    s80 = mean_at(&low, 80, "max_force_rel");
    put(got, &n, "mass-loss-70s", 100 * (m70 - m80) / m70 / 10);
    put(got, &n, "strength-over-mass-loss-70s", ((s70 - s80) / s70) / ((m70 - m80) / m70));
    put(got, &n, "power-minus-strength-75",
        mean_at(&low, 75, "max_force_rel") - mean_at(&low, 75, "power_rel"));
    put(got, &n, "strength-minus-mass-75",
        mean_at(&low, 75, "muscle_mass_rel") - mean_at(&low, 75, "max_force_rel"));
    put(got, &n, "rfd-minus-strength-75", mean_at(&low, 75, "max_force_rel") - mean_at(&low, 75, "rfd_rel"));
    free_cohort(&low);
    free_cohort(&ath);
    if ((r = preset("bed_rest_10d", &rc))) {
        put(got, &n, "bed-rest-lean-10d", 100 * (1 - last(r, "muscle_mass_rel")));
        sarx_sim_result_free(r);
    }
    if (rc == SARX_OK && (r = preset("immobilization_14d", &rc))) {
        put(got, &n, "immobilization-size-14d", 100 * (1 - last(r, "muscle_mass_rel")));
        put(got, &n, "immobilization-strength-14d", 100 * (1 - last(r, "max_force_rel")));
        sarx_sim_result_free(r);
    }
    if (rc == SARX_OK && (r = preset("microgravity_180d", &rc))) {
        double v = 1 - last(r, "type1_area_rel");
        put(got, &n, "spaceflight-type1-180d", 100 * v);
        put(got, &n, "spaceflight-type1-minus-type2", v - (1 - last(r, "type2_area_rel")));
        sarx_sim_result_free(r);
    }
    if (rc == SARX_OK && (r = preset("resistance_training_6mo", &rc))) {
        put(got, &n, "training-type2-6mo", 100 * (last(r, "type2_area_rel") - 1));
        put(got, &n, "training-strength-6mo", 100 * (last(r, "max_force_rel") - 1));
        sarx_sim_result_free(r);
    }
    if (rc != SARX_OK)
        return rc;
    for (i = 0; i < sarx__target_count(); i++) {
        const sarx__target *t = sarx__target_at(i);
        vals[i] = NAN;
        for (j = 0; t->kind == SARX_SIM_TARGET_LIFESPAN && j < n; j++)
            if (strcmp(got[j].id, t->id) == 0)
                vals[i] = got[j].v;
    }
    return SARX_OK;
}
