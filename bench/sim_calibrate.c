/*
** sim_calibrate.c — fits the measurement mapping's calibrated parameters
** (src/sim/population.c, marked [C]) to the centile and norm targets of
** src/sim/targets.c that are not held out, and prints them: centiles and
** norms, and the two prevalence targets that set a population's muscle
** level (Korea at >= 60 y, NMEHS under 70 y).  A held-out target is never
** read.
**
**   build/bench/sim_calibrate [PEOPLE [SEED]]     (default 20000 people, seed 7)
**
** A validation population of its own seed (7: not the seed 1 the
** validation runs), simulated once; then each group of parameters (one
** measure of one sex) is fitted by Nelder-Mead to the sum of squared log
** ratios simulated / published over that measure's targets, with a steep
** penalty past 8.5 % so that no target is traded for the others.  Only the
** mapping moves: the model's trajectories, and so the neurogenic decline,
** are fixed.  docs/SIMULATOR.md lists which parameter was fitted to which
** target.
*/
#include "sim/sim.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXP 6

typedef struct group {
    const char *name;
    int ref;     /* the reference population */
    int measure; /* the targets' measure; -1: the population's calibrated prevalence targets; -2: its norms */
    int np;
    size_t off[MAXP]; /* offsets of the parameters in a sarx__sexmap */
} group;

#define O(f) offsetof(sarx__sexmap, f)
#define US SARX__REF_US
#define KR SARX__REF_KOREA
static const group groups[] = {
    {"height (height25, shrink)", US, SARX__M_HEIGHT, 2, {O(height25), O(shrink)}},
    {"BMI (bmi_sd)", US, SARX__D_BMI, 1, {O(bmi_sd)}},
    {"grip (grip_cv, grip_a)", US, SARX__M_GRIP, 2, {O(grip_cv), O(grip_a)}},
    {"gait (gait_v, gait_cv, gait_b, gait_cv_age)", US, SARX__M_GAIT, 4,
     {O(gait_v), O(gait_cv), O(gait_b), O(gait_cv_age)}},
    {"ASMI (asmi_peak, asmi_sd, asmi_a)", US, SARX__D_ASMI, 3, {O(asmi_peak), O(asmi_sd), O(asmi_a)}},
    {"SMI (smi_k)", US, SARX__D_SMI, 1, {O(smi_k)}},
    {"chair (chair_t, chair_sd, chair_c)", US, SARX__M_CHAIR, 3, {O(chair_t), O(chair_sd), O(chair_c)}},
    {"balance (bal_k, bal_top, bal_step)", US, SARX__D_BALANCE, 3, {O(bal_k), O(bal_top), O(bal_step)}},
    {"Korea: grip (grip_peak)", KR, SARX__M_GRIP, 1, {O(grip_peak)}},
    {"Korea: muscle mass level (asmi_peak), to AWGS 2019 at >= 60", KR, -1, 1, {O(asmi_peak)}},
    {"MrOS: levels of grip, gait speed (and its spread), muscle mass and BMI, and ALM's correlation with BMI, to "
     "its single criteria",
     SARX__REF_MROS, -2, 6, {O(grip_level), O(gait_level), O(gait_spread), O(asmi_level), O(bmi_level), O(asmi_bmi)}},
    {"NMEHS: muscle mass level, to Baumgartner's prevalence under 70", SARX__REF_NMEHS, -1, 1, {O(asmi_level)}},
    {"FNIH pooled cohorts: grip level, to its weakness shares", SARX__REF_FNIH, -2, 1, {O(grip_level)}},
};

static sarx__vpop pop;
static sarx__simmap maps[SARX__REF_COUNT];
static sarx_ctx *ctx;

static double *param(int sex, const group *g, int j) { return (double *)((char *)&maps[g->ref].sex[sex] + g->off[j]); }

static int in_group(const sarx__target *t, int want, const group *g)
{
    if (t->held_out || t->ref != g->ref || t->sex != want)
        return 0;
    if (g->measure == -1)
        return t->kind == SARX_SIM_TARGET_PREVALENCE;
    if (g->measure == -2)
        return t->kind == SARX_SIM_TARGET_CENTILE || t->kind == SARX_SIM_TARGET_NORM;
    return t->measure == g->measure && (t->kind == SARX_SIM_TARGET_CENTILE || t->kind == SARX_SIM_TARGET_NORM);
}

/* The group's objective at its current parameters: sum of (ln sim/pub)^2. */
static double objective(int sex, const group *g, int verbose)
{
    size_t i;
    double sum = 0;
    int want = sex == 0 ? SARX__MALE : SARX__FEMALE;
    sarx__vpop_map(&pop, &maps[g->ref]);
    for (i = 0; i < sarx__target_count(); i++) {
        const sarx__target *t = sarx__target_at(i);
        double v, r;
        if (!in_group(t, want, g))
            continue;
        if (t->kind == SARX_SIM_TARGET_PREVALENCE)
            v = sarx__vpop_prevalence(&pop, ctx, t);
        else if (sarx__vpop_stat(&pop, t, &v) != SARX_OK)
            v = NAN;
        if (t->kind == SARX_SIM_TARGET_NORM && t->centile < 0 && t->centile != SARX__STAT_MEAN && t->target > 50)
            r = v < 100 ? log((100 - v) / (100 - t->target)) : 10; /* a share: the rarer outcome, as its tolerance */
        else
            r = v > 0 && t->target > 0 ? log(v / t->target) : 10;
        /* least squares, with a steep penalty past 8.5 % (inside the 10 % tolerance) */
        sum += r * r + (fabs(r) > 0.085 ? 100 * (fabs(r) - 0.085) * (fabs(r) - 0.085) : 0);
        if (verbose)
            printf("    %-26s published %8.3f  simulated %8.3f  %+6.1f %%\n", t->id, t->target, v,
                   100 * (v / t->target - 1));
    }
    return sum;
}

/* A sex's mapping as the C initializer of src/sim/population.c. */
static void print_map(const char *name, const sarx__sexmap *m)
{
    printf("        /* %s */\n        {\n", name);
    printf("            %.4g, %.4g, %.4g,\n", m->height25, m->height_sd, m->shrink);
    printf("            {%.4g, %.4g, %.4g, %.4g}, %.4g,\n", m->bmi_age[0], m->bmi_age[1], m->bmi_age[2], m->bmi_age[3],
           m->bmi_sd);
    printf("            %.4g, %.4g, %.4g,\n", m->grip_peak, m->grip_cv, m->grip_a);
    printf("            %.4g, %.4g, %.4g, %.4g,\n", m->gait_v, m->gait_cv, m->gait_b, m->gait_cv_age);
    printf("            %.4g, %.4g, %.4g, %.4g,\n", m->asmi_peak, m->asmi_sd, m->asmi_a, m->asmi_bmi);
    printf("            %.4g, %.4g,\n", m->smi_k, m->smi_sd);
    printf("            %.4g, %.4g, %.4g,\n", m->chair_t, m->chair_sd, m->chair_c);
    printf("            %.4g, %.4g, %.4g,\n", m->bal_k, m->bal_top, m->bal_step);
    printf("            1, 1, 1, 1, 1,\n        },\n");
}

static double eval_at(int sex, const group *g, const double *x)
{
    int j;
    for (j = 0; j < g->np; j++)
        *param(sex, g, j) = x[j];
    return objective(sex, g, 0);
}

/* Nelder-Mead from the current parameters, steps of 10 % of each. */
static void fit(int sex, const group *g)
{
    double s[MAXP + 1][MAXP], f[MAXP + 1], c[MAXP], xr[MAXP], xe[MAXP], fr, fe;
    int n = g->np, i, j, it;
    for (j = 0; j < n; j++)
        s[0][j] = *param(sex, g, j);
    for (i = 1; i <= n; i++)
        for (j = 0; j < n; j++)
            s[i][j] = s[0][j] + (i - 1 == j ? (s[0][j] != 0 ? 0.1 * s[0][j] : 0.1) : 0);
    for (i = 0; i <= n; i++)
        f[i] = eval_at(sex, g, s[i]);
    for (it = 0; it < 300; it++) {
        int hi = 0, lo = 0;
        for (i = 1; i <= n; i++) {
            if (f[i] > f[hi])
                hi = i;
            if (f[i] < f[lo])
                lo = i;
        }
        if (f[hi] - f[lo] < 1e-9)
            break;
        for (j = 0; j < n; j++) {
            c[j] = 0;
            for (i = 0; i <= n; i++)
                if (i != hi)
                    c[j] += s[i][j] / n;
            xr[j] = c[j] + (c[j] - s[hi][j]);
        }
        fr = eval_at(sex, g, xr);
        if (fr < f[lo]) {
            for (j = 0; j < n; j++)
                xe[j] = c[j] + 2 * (c[j] - s[hi][j]);
            fe = eval_at(sex, g, xe);
            memcpy(s[hi], fe < fr ? xe : xr, sizeof xr);
            f[hi] = fe < fr ? fe : fr;
        } else if (fr < f[hi]) {
            memcpy(s[hi], xr, sizeof xr);
            f[hi] = fr;
        } else {
            for (j = 0; j < n; j++)
                xr[j] = c[j] + 0.5 * (s[hi][j] - c[j]);
            fr = eval_at(sex, g, xr);
            if (fr < f[hi]) {
                memcpy(s[hi], xr, sizeof xr);
                f[hi] = fr;
            } else
                for (i = 0; i <= n; i++)
                    if (i != lo) {
                        for (j = 0; j < n; j++)
                            s[i][j] = s[lo][j] + 0.5 * (s[i][j] - s[lo][j]);
                        f[i] = eval_at(sex, g, s[i]);
                    }
        }
    }
    {
        int lo = 0;
        for (i = 1; i <= n; i++)
            if (f[i] < f[lo])
                lo = i;
        eval_at(sex, g, s[lo]);
    }
}

/*
** The Korean population: the US mapping (the same model, the same spread and
** decline of every measure), with the body size of KNHANES 2008-11's adults
** >= 65 (Kim YP et al., BMC Geriatr 2014;14:144, Table 1: men 164.81 +/- 5.75
** cm and BMI 23.07 +/- 2.93 at a mean age of 71, women 150.47 +/- 5.76 cm and
** 24.07 +/- 3.40 at 72), a grip level (fitted to KNHANES 2015's decade means)
** and a muscle-mass level (fitted to AWGS 2019 at >= 60 in KNHANES 2022).
*/
static void korea_from_us(int sex)
{
    const double h[2] = {164.81, 150.47}, hsd[2] = {5.745, 5.764}, age[2] = {71, 72}, bmi[2] = {23.07, 24.07},
                 bsd[2] = {2.925, 3.398};
    sarx__sexmap *kr = &maps[KR].sex[sex], keep = *kr;
    double lsd = sqrt(log(1 + bsd[sex] * bsd[sex] / (bmi[sex] * bmi[sex]))), med = bmi[sex] * exp(-lsd * lsd / 2);
    int j;
    *kr = maps[US].sex[sex];
    kr->height25 = h[sex] + kr->shrink * (age[sex] - 50);
    kr->height_sd = hsd[sex];
    for (j = 0; j < 4; j++)
        kr->bmi_age[j] = med;
    kr->bmi_sd = lsd;
    kr->grip_peak = keep.grip_peak;
    kr->asmi_peak = keep.asmi_peak;
}

/* A cohort: the US mapping at its own levels. */
static void cohort_from_us(int sex, int ref)
{
    sarx__sexmap *c = &maps[ref].sex[sex];
    double g = c->grip_level, w = c->gait_level, sp = c->gait_spread, a = c->asmi_level, b = c->bmi_level;
    *c = maps[US].sex[sex];
    c->bmi_level = b;
    c->grip_level = g;
    c->gait_level = w;
    c->gait_spread = sp;
    c->asmi_level = a;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    long people = argc > 1 ? strtol(argv[1], &end, 10) : 20000;
    unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 7;
    sarx_scenario *sc = NULL;
    size_t k;
    int sex, j, ref;
    if ((end && *end) || people < 1000 || people > SARX_SIM_VALIDATE_MAX ||
        sarx_scenario_from_json("{}", 2, &sc, NULL) != SARX_OK || sarx_ctx_new(&ctx, NULL) != SARX_OK ||
        sarx__vpop_new(&pop, sc, seed, people, 2) != SARX_OK) {
        fprintf(stderr, "usage: sim_calibrate [PEOPLE 1000-%ld [SEED]]\n", SARX_SIM_VALIDATE_MAX);
        return 2;
    }
    for (ref = 0; ref < SARX__REF_COUNT; ref++)
        maps[ref] = *sarx__simmap_of(ref, &maps[ref]);
    for (sex = 0; sex < 2; sex++)
        for (k = 0; k < sizeof groups / sizeof groups[0]; k++) {
            const group *g = &groups[k];
            if (g->ref == KR && k > 0 && groups[k - 1].ref == US)
                korea_from_us(sex);
            if (g->ref > KR)
                cohort_from_us(sex, g->ref);
            fit(sex, g);
            if (g->ref == SARX__REF_MROS && sex == 0) { /* ALM's correlation with BMI: every population, both sexes */
                int r2;
                for (r2 = 0; r2 < SARX__REF_COUNT; r2++)
                    maps[r2].sex[0].asmi_bmi = maps[r2].sex[1].asmi_bmi = maps[SARX__REF_MROS].sex[0].asmi_bmi;
            }
            printf("%s, %s:", sex == 0 ? "men" : "women", g->name);
            for (j = 0; j < g->np; j++)
                printf(" %.4g", *param(sex, g, j));
            printf("\n");
            objective(sex, g, 1);
        }
    printf("\nsarx__simmap_default:\n");
    print_map("men", &maps[US].sex[0]);
    print_map("women", &maps[US].sex[1]);
    printf("\nkorea (height25, height_sd, bmi, bmi_sd, grip_peak, asmi_peak):\n");
    for (sex = 0; sex < 2; sex++) {
        const sarx__sexmap *m = &maps[KR].sex[sex];
        printf("    {%.4g, %.4g, %.4g, %.4g, %.4g, %.4g},\n", m->height25, m->height_sd, m->bmi_age[0], m->bmi_sd,
               m->grip_peak, m->asmi_peak);
    }
    printf("\nsarx__cohort_levels:\n");
    for (ref = KR + 1; ref < SARX__REF_COUNT; ref++)
        printf("    {{%.4g, %.4g, %.4g, %.4g, %.4g}, {%.4g, %.4g, %.4g, %.4g, %.4g}},\n", maps[ref].sex[0].grip_level,
               maps[ref].sex[0].gait_level, maps[ref].sex[0].gait_spread, maps[ref].sex[0].asmi_level,
               maps[ref].sex[0].bmi_level, maps[ref].sex[1].grip_level, maps[ref].sex[1].gait_level,
               maps[ref].sex[1].gait_spread, maps[ref].sex[1].asmi_level, maps[ref].sex[1].bmi_level);
    sarx__vpop_free(&pop);
    sarx_ctx_free(ctx);
    sarx_scenario_free(sc);
    return 0;
}
