/*
** sim_joint.c — why a definition that combines two criteria comes out as it
** does in the virtual population: each criterion's share, how often the two
** meet against chance, and how much of that comes from age (both criteria
** gathering in the oldest) and how much from within an age (one person's
** neuromuscular state driving both).  Also the within-age correlations of
** the measurements at 75 y.  docs/SIMULATOR.md, "What the held-out targets
** showed", quotes its output.
**
**   build/bench/sim_joint [PEOPLE [SEED]]     (default 40000 people, seed 1: the validation's)
**
** The population, its ages and each study's age weights are the
** validation's (src/sim/validate.c); only the two criteria are read here,
** not the engine's definitions, so a share here is a criterion's own.
*/
#include "sim/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*criterion)(const double *m, int male);

static double index_of(const double *m, double mass)
{
    double h = m[SARX__M_HEIGHT] / 100;
    return mass / (h * h);
}
static int slow(const double *m, int male)
{
    (void)male;
    return m[SARX__M_GAIT] < 1.0;
}
static int weak(const double *m, int male) { return m[SARX__M_GRIP] < (male ? 26 : 16); }
static int low_almi(const double *m, int male) { return index_of(m, m[SARX__M_ASM]) <= (male ? 7.23 : 5.67); }
static int low_almbmi(const double *m, int male)
{
    return m[SARX__M_ASM] / index_of(m, m[SARX__M_WEIGHT]) < (male ? 0.789 : 0.512);
}

/* A held-out target that combines two criteria: its id gives the sex, the
** ages, the mean age and the population. */
static const struct pair {
    const char *target, *a_name, *b_name;
    criterion a, b;
} pairs[] = {
    {"mros-iwgs", "gait < 1.0 m/s", "ALM/ht2 <= 7.23", slow, low_almi},
    {"mros-fnih", "grip < 26 kg", "ALM/BMI < 0.789", weak, low_almbmi},
    {"dam-fnih-men", "grip < 26 kg", "ALM/BMI < 0.789", weak, low_almbmi},
    {"dam-fnih-women", "grip < 16 kg", "ALM/BMI < 0.512", weak, low_almbmi},
};

static const sarx__target *target(const char *id)
{
    size_t i;
    for (i = 0; i < sarx__target_count(); i++)
        if (strcmp(sarx__target_at(i)->id, id) == 0)
            return sarx__target_at(i);
    return NULL;
}

static void decompose(sarx__vpop *v, const struct pair *p)
{
    const sarx__target *t = target(p->target);
    double w[SARX__GRID_AGES], n[SARX__GRID_AGES] = {0}, na[SARX__GRID_AGES] = {0}, nb[SARX__GRID_AGES] = {0},
                                 nab[SARX__GRID_AGES] = {0}, A = 0, B = 0, AB = 0, within = 0;
    sarx__simmap tmp;
    long i;
    int k;
    if (!t || !sarx__grid_weights(t->age_lo, t->age_hi, t->mean_age, w)) {
        printf("%s: no such target, or no age in range\n", p->target);
        return;
    }
    sarx__vpop_map(v, sarx__simmap_of(t->ref, &tmp));
    for (i = 0; i < v->people; i++) {
        if (v->latent[i].sex != t->sex)
            continue;
        for (k = 0; k < SARX__GRID_AGES; k++) {
            const double *m = v->meas + ((size_t)i * SARX__GRID_AGES + (size_t)k) * SARX__NMEAS;
            int male = t->sex == SARX__MALE, a = p->a(m, male), b = p->b(m, male);
            n[k]++, na[k] += a, nb[k] += b, nab[k] += a && b;
        }
    }
    for (k = 0; k < SARX__GRID_AGES; k++)
        if (w[k] > 0 && n[k] > 0) {
            A += w[k] * na[k] / n[k];
            B += w[k] * nb[k] / n[k];
            AB += w[k] * nab[k] / n[k];
            within += w[k] * (na[k] / n[k]) * (nb[k] / n[k]);
        }
    if (!(A > 0 && B > 0 && within > 0)) {
        printf("%-16s %-15s %5.1f %%  %-15s %5.1f %%: a criterion no one meets\n", p->target, p->a_name, 100 * A,
               p->b_name, 100 * B);
        return;
    }
    printf("%-16s %-15s %5.1f %%  %-15s %5.1f %%  both %5.2f %%  chance %5.2f %%  x%.2f = age x%.2f, within an age "
           "x%.2f\n",
           p->target, p->a_name, 100 * A, p->b_name, 100 * B, 100 * AB, 100 * A * B, AB / (A * B), within / (A * B),
           AB / within);
}

static double correlation(const sarx__vpop *v, int sex, int k, int x, int y)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
    long i;
    for (i = 0; i < v->people; i++) {
        const double *m = v->meas + ((size_t)i * SARX__GRID_AGES + (size_t)k) * SARX__NMEAS;
        double a, b;
        if (v->latent[i].sex != sex)
            continue;
        a = x == SARX__D_ASMI ? index_of(m, m[SARX__M_ASM]) : m[x];
        b = y == SARX__D_ASMI ? index_of(m, m[SARX__M_ASM]) : m[y];
        n++, sx += a, sy += b, sxx += a * a, syy += b * b, sxy += a * b;
    }
    return (sxy - sx * sy / n) / sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
}

/* The share (%) with a 4-m walk of 4.82 s or more over the ages [lo, hi],
** evenly: the statistic a share target reads. */
static double slow_share(const sarx__vpop *v, int sex, double lo, double hi)
{
    sarx__target t = {0};
    double share = NAN;
    t.kind = SARX_SIM_TARGET_NORM;
    t.measure = SARX__M_GAIT;
    t.sex = sex;
    t.age_lo = lo;
    t.age_hi = hi;
    t.centile = SARX__STAT_AT_OR_BELOW;
    t.cut = 4 / 4.82;
    return sarx__vpop_stat(v, &t, &share) == SARX_OK ? share : NAN;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        double lo, hi;
    } bands[] = {{"60-69", 60, 70}, {"70-74", 70, 75}, {"75-79", 75, 80}, {"80+", 80, 90}};
    static const struct {
        const char *name;
        int x, y;
    } pairs_r[] = {
        {"grip - ALM", SARX__M_GRIP, SARX__M_ASM},      {"grip - ALM/ht2", SARX__M_GRIP, SARX__D_ASMI},
        {"grip - height", SARX__M_GRIP, SARX__M_HEIGHT}, {"grip - gait speed", SARX__M_GRIP, SARX__M_GAIT},
        {"gait - ALM/ht2", SARX__M_GAIT, SARX__D_ASMI},  {"gait - chair stands", SARX__M_GAIT, SARX__M_CHAIR},
    };
    char *end = NULL;
    long people = argc > 1 ? strtol(argv[1], &end, 10) : 40000;
    unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    sarx_scenario *sc = NULL;
    sarx__vpop v;
    sarx__simmap tmp;
    size_t j;
    int k75 = 6; /* SARX__GRID_AGE(6) = 75 */
    if ((end && *end) || people < 1000 || people > SARX_SIM_VALIDATE_MAX ||
        sarx_scenario_from_json("{}", 2, &sc, NULL) != SARX_OK ||
        sarx__vpop_new(&v, sc, seed, people, 2) != SARX_OK) {
        fprintf(stderr, "usage: sim_joint [PEOPLE 1000-%ld [SEED]]\n", SARX_SIM_VALIDATE_MAX);
        sarx_scenario_free(sc);
        return 2;
    }
    printf("Two criteria of a held-out definition, in that study's population, sex and ages (%ld people, seed "
           "%llu):\neach alone, both, chance (the product), and both against chance = from age x within an age\n",
           people, seed);
    for (j = 0; j < sizeof pairs / sizeof pairs[0]; j++)
        decompose(&v, &pairs[j]);
    sarx__vpop_map(&v, sarx__simmap_of(SARX__REF_US, &tmp));
    printf("\nThe US population walking 4 m in 4.82 s or more (gait <= 0.83 m/s, an SPPB walk score below 4) by "
           "Tromso 7's age groups (%%, men / women):\n");
    for (j = 0; j < sizeof bands / sizeof bands[0]; j++)
        printf("  %-6s %5.1f / %5.1f\n", bands[j].name, slow_share(&v, SARX__MALE, bands[j].lo, bands[j].hi),
               slow_share(&v, SARX__FEMALE, bands[j].lo, bands[j].hi));
    printf("\nWithin-age correlations at %.0f y, the US population (Pearson r, men / women):\n",
           SARX__GRID_AGE(k75));
    for (j = 0; j < sizeof pairs_r / sizeof pairs_r[0]; j++)
        printf("  %-20s %5.2f / %5.2f\n", pairs_r[j].name,
               correlation(&v, SARX__MALE, k75, pairs_r[j].x, pairs_r[j].y),
               correlation(&v, SARX__FEMALE, k75, pairs_r[j].x, pairs_r[j].y));
    sarx__vpop_free(&v);
    sarx_scenario_free(sc);
    return 0;
}
