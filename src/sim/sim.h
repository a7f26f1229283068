/*
** sim.h — shared declarations of the simulator (src/sim/, not installed).
** docs/SIMULATOR.md gives every equation, parameter and source.
*/
#ifndef SARX_SIM_H
#define SARX_SIM_H

#include "../internal.h"

#include <stdint.h>

/* ---- rng.c: a small counter-seeded generator (splitmix64 seeding a
** xoshiro256** state), one stream per person, so that person i is the same
** whatever the number of threads. */
typedef struct sarx__rng {
    uint64_t s[4];
} sarx__rng;
void sarx__rng_seed(sarx__rng *r, uint64_t seed, uint64_t stream);
double sarx__rng_normal(sarx__rng *r); /* standard normal */
static inline uint64_t sarx__rng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline uint64_t sarx__rng_next(sarx__rng *r)
{
    uint64_t *s = r->s, res = sarx__rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sarx__rng_rotl(s[3], 45);
    return res;
}
/* [0, 1) */
static inline double sarx__rng_uniform(sarx__rng *r) { return (double)(sarx__rng_next(r) >> 11) * 0x1.0p-53; }

/* ---- pool.c: the Fuglevand (1993) / Potvin & Fuglevand (2017) pool ---- */
/* Its defaults (pymuscle's), shared by the pool and the lifespan model. */
#define SARX__RR 50.0   /* recruitment range */
#define SARX__MFR 8.0   /* minimum firing rate, Hz */
#define SARX__PFR1 35.0 /* peak rate of the first unit, Hz */
#define SARX__PFRL 25.0 /* peak rate of the last unit, Hz */
#define SARX__RP 100.0  /* twitch range */
#define SARX__TL 90.0   /* longest contraction time, ms */
#define SARX__RT 3.0    /* contraction time range */
/* Unit i of n (n >= 2): recruitment threshold, peak rate, twitch and
** contraction time, in pymuscle's order of operations. */
static inline void sarx__pool_unit(size_t i, size_t n, double *rte, double *pfr, double *twitch, double *ct)
{
    *rte = exp(log(SARX__RR) * (double)i / (double)(n - 1));
    *twitch = exp(log(SARX__RP) * (double)i / (double)(n - 1));
    /* the first unit's threshold is exp(0) = 1 exactly */
    *pfr = SARX__PFR1 - (SARX__PFR1 - SARX__PFRL) * ((*rte - 1.0) / (SARX__RR - 1.0));
    *ct = SARX__TL * pow(1.0 / *twitch, 1.0 / (log(SARX__RP) / log(SARX__RT)));
}
/* Force of a unit relative to its tetanic force at normalised rate
** x = contraction time (ms) * rate (Hz) / 1000 (Potvin 2017 steady state). */
double sarx__pr(double x);
/* Tests: step the pool with the kernel of vw doubles per vector (2, 4 or 8);
** 0 when this processor (or build) has no such kernel. */
int sarx__mu_pool_use_kernel(sarx_mu_pool *m, int vw);
/* Fuglevand 1993 Eq. 17 gain of one spike at normalised rate x = T / ISI. */
double sarx__spike_gain(double x);

/* ---- scenario.c ---- */
enum { /* intervention kinds */
    SARX__IV_TRAINING, SARX__IV_BED_REST, SARX__IV_IMMOBILIZATION, SARX__IV_MICROGRAVITY,
    SARX__IV_PROTEIN, SARX__IV_INFLAMMATION, SARX__IV_HORMONE, SARX__IV_ACTIVITY, SARX__IV_COUNT
};
enum { /* activity levels, as the activity field plus athlete */
    SARX__ACT_SEDENTARY, SARX__ACT_LOW, SARX__ACT_MODERATE, SARX__ACT_HIGH, SARX__ACT_ATHLETE, SARX__ACT_COUNT
};
typedef struct sarx__intervention {
    int kind;
    double start_age;     /* years */
    double days;          /* duration */
    double sessions_week; /* training */
    double sets, reps, intensity; /* intensity: % 1RM */
    double value;         /* protein g/kg/day, inflammation z, hormone factor, activity level */
} sarx__intervention;

#define SARX__MAX_INTERVENTIONS 32
struct sarx_scenario {
    char name[64];
    int sex;               /* SARX__MALE / SARX__FEMALE */
    double start_age, end_age;
    double report_every_days; /* spacing of reported points */
    double report_from_age;   /* first reported age (warm-up before it) */
    int relative_to_start;    /* _rel against the first reported point, else age 25 */
    int motor_units;          /* N0 */
    int activity;             /* habitual activity */
    double protein_g_kg, inflammation_z, hormone_factor;
    double hazard_factor;     /* lifelong multiplier of motor-neuron death (masters athletes) */
    int vary;                 /* between-person variability (populations) */
    sarx__intervention iv[SARX__MAX_INTERVENTIONS];
    int niv;
};

/* ---- model.c ---- */
typedef struct sarx__person sarx__person;
#endif
