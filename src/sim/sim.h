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
/* A population person's trajectory: the person of stream `stream` (with
** between-person effects) at each age, rel[SARX__TRAJ k + j] for age k:
** j = 0 maximal force, 1 peak power, 2 muscle mass, each relative to the
** same person at 25 y. */
enum { SARX__REL_FORCE, SARX__REL_POWER, SARX__REL_MASS, SARX__TRAJ };
int sarx__sim_trajectory(const sarx_scenario *sc, uint64_t seed, uint64_t stream, int sex, const double *ages,
                         size_t nages, double *rel);

/* ---- population.c: what a population person measures ---- */
enum { /* the measures, in sarx_sim_measure_name's order */
    SARX__M_SEX, SARX__M_AGE, SARX__M_HEIGHT, SARX__M_WEIGHT, SARX__M_GRIP, SARX__M_GAIT, SARX__M_ASM,
    SARX__M_SMM, SARX__M_CHAIR, SARX__M_SPPB, SARX__NMEAS
};
/* The mapping from the model to measurements, one set a sex
** (docs/SIMULATOR.md, "Measurements"); the calibrated ones are marked
** [C] where the default values are. */
typedef struct sarx__sexmap {
    double height25, height_sd, shrink;     /* cm at 25 y, its SD, cm lost a year after 50 */
    double bmi_age[4], bmi_sd;              /* median BMI at 25, 65, 75 and 85 y (linear between), log SD */
    double grip_peak, grip_cv, grip_a;      /* kg at 25 y, its CV, exponent of force: grip ~ force^a */
    double gait_v, gait_cv, gait_b;         /* m/s at 25 y, between-person SD (of gait_v), exponent of power */
    double gait_cv_age;                     /* the SD x exp(gait_cv_age (age - 75) / 10) */
    double asmi_peak, asmi_sd, asmi_a, asmi_bmi; /* kg/m2 at 25 y, log SD, share of mass lost, r with BMI */
    double smi_k, smi_sd;                   /* SMM = smi_k x Kim 2002's SM from ALST + smi_sd z (kg) */
    double chair_t, chair_sd, chair_c;      /* s at 25 y, log SD, exponent (time x power^-c) */
    double bal_k, bal_top, bal_step;        /* balance: u = z + bal_k ln(power); score 4 when u > bal_top,
                                            ** each point less every bal_step below it */
    double grip_level, gait_level, gait_spread, asmi_level, bmi_level; /* a cohort's against the population's
                                                                       ** (1: none) */
} sarx__sexmap;
typedef struct sarx__simmap {
    sarx__sexmap sex[2];   /* [0] men, [1] women */
    double function_r;     /* correlation of gait, chair and balance through one function factor */
} sarx__simmap;
extern const sarx__simmap sarx__simmap_default; /* the US population (NHANES, Dodds 2014) */
/* A population person's draws: sex, and standard normal effects. */
typedef struct sarx__latent {
    int sex; /* SARX__MALE / SARX__FEMALE */
    double z_height, z_bmi, z_grip, z_asmi, z_smi, z_function, z_gait, z_chair, z_balance;
} sarx__latent;
void sarx__sim_latent(const sarx_scenario *sc, uint64_t seed, long person, sarx__latent *l);
/* A person's test errors at each age, SARX__NOISE standard normals an age. */
enum { SARX__NOISE = 4 };
void sarx__sim_noise(uint64_t seed, long person, const double *ages, size_t nages, double *z);
/* Measures (SARX__NMEAS) of a person at an age from the trajectory's rel
** (SARX__TRAJ values) and the age's noise (SARX__NOISE). */
/* SPPB scores (Guralnik 1994) of a 4-m walk's and five chair stands' seconds. */
int sarx__sppb_walk(double t);
int sarx__sppb_chair(double t);
void sarx__sim_map(const sarx__simmap *m, const sarx__latent *l, double age, const double *rel,
                   const double *noise, double *out);
/* ---- targets.c: the published figures the simulator is held to ---- */
enum { /* derived measures a target may read besides SARX__M_* */
    SARX__D_ASMI = SARX__NMEAS, /* asm / height^2 */
    SARX__D_BMI,                /* weight / height^2 */
    SARX__D_SMI,                /* smm / height^2 */
    SARX__D_BALANCE,            /* the SPPB balance score (sppb less its walk and chair scores) */
    SARX__D_ALMBMI,             /* asm / BMI (m2) */
    SARX__D_COUNT
};
enum { /* the fields a study measured (a prevalence target classifies only these) */
    SARX__FLD_GRIP = 1, SARX__FLD_GAIT = 2, SARX__FLD_ASM = 4, SARX__FLD_SMM = 8, SARX__FLD_CHAIR = 16, SARX__FLD_SPPB = 32,
    SARX__FLD_WEIGHT = 64, SARX__FLD_ALL = 127
};
typedef struct sarx__target {
    const char *id, *what, *source, *published, *tolerance;
    int kind;     /* SARX_SIM_TARGET_* */
    int held_out; /* 1: no parameter was fitted to it */
    double target, lo, hi;
    /* centile and norm: a measure (SARX__M_* or SARX__D_*) of one sex (0: both) at
    ** age_lo (age_hi the same) or over the ages [age_lo, age_hi] */
    int measure, sex;
    double age_lo, age_hi;
    double centile; /* a quantile (0-1), or SARX__STAT_* */
    double cut;     /* SARX__STAT_BELOW / _AT_OR_BELOW: the share of values below (or at or below) it */
    /* prevalence: a definition's positive reading among the rows of one sex in
    ** [age_lo, age_hi], weighted to mean_age (0: evenly), classified from the
    ** fields the study measured */
    const char *definition;
    const char *categories; /* NULL: the positive reading; else the categories counted ("a|b") */
    unsigned fields;
    double mean_age;
    int ref; /* the virtual population: SARX__REF_US or SARX__REF_KOREA */
} sarx__target;
#define SARX__STAT_MEAN (-1.0)
#define SARX__STAT_BELOW (-2.0)
#define SARX__STAT_AT_OR_BELOW (-3.0)
#define SARX__STAT_AT_OR_ABOVE (-4.0)
/* The reference populations: the US population of the norms; a Korean one
** (KNHANES); and three cohorts, the US population at their own levels of
** grip, gait speed and muscle mass (calibrated to their own published
** single criteria): MrOS men, the New Mexico Elder Health Survey and the
** FNIH pooled cohorts. */
enum { SARX__REF_US, SARX__REF_KOREA, SARX__REF_MROS, SARX__REF_NMEHS, SARX__REF_FNIH, SARX__REF_COUNT };
/* Published figures shown for context, not targets (sarx simulate --compare). */
typedef struct sarx__reference {
    const char *study, *definition, *published, *source, *why_not;
} sarx__reference;
size_t sarx__reference_count(void);
const sarx__reference *sarx__reference_at(size_t i);
/* Why a held-out target is known to fail (NULL: it passes). */
const char *sarx__target_known(const char *id);
size_t sarx__target_count(void);
const sarx__target *sarx__target_at(size_t i);

/* ---- validate.c: a validation population ---- */
/* The ages every validation person is measured at: 60 to 90 every 2.5 y. */
#define SARX__GRID_AGES 13
#define SARX__GRID_AGE(k) (60.0 + 2.5 * (double)(k))
typedef struct sarx__vpop {
    const sarx_scenario *sc;
    unsigned long long seed;
    long people;
    sarx__latent *latent;  /* people */
    double *rel;           /* people x ages x SARX__TRAJ */
    double *noise;         /* people x ages x SARX__NOISE */
    double *meas;          /* people x ages x SARX__NMEAS */
} sarx__vpop;
/* Allocate and simulate (threads >= 1) the people of a population; 0 or an error code. */
int sarx__vpop_new(sarx__vpop *v, const sarx_scenario *sc, unsigned long long seed, long people, int threads);
/* The same, calling progress(ud, 1) from the worker threads as each person is done (NULL: none). */
int sarx__vpop_new_ex(sarx__vpop *v, const sarx_scenario *sc, unsigned long long seed, long people, int threads,
                      void (*progress)(void *ud, long done), void *ud);
void sarx__vpop_free(sarx__vpop *v);
/* (Re)compute the measurements from the simulated state with mapping m. */
void sarx__vpop_map(sarx__vpop *v, const sarx__simmap *m);
/* A centile or norm target's simulated value into *out: SARX_OK, SARX_EINVAL
** (not such a target, or no grid age in its range) or SARX_ENOMEM. */
int sarx__vpop_stat(const sarx__vpop *v, const sarx__target *t, double *out);
/* A validation's results (validate.c) and what the comparison prints (compare.c). */
struct sarx_sim_validation {
    unsigned long long seed;
    long people;
    size_t n;               /* checks */
    sarx_sim_check *checks;
    sarx_ctx *ctx;          /* the definitions the comparison names */
    size_t ndefs;
    /* the US population fully measured: positive and decided (positive or negative) rows by
    ** definition, sex (0 men, 1 women) and grid age: [(d * 2 + sex) * SARX__GRID_AGES + k] */
    long *pos, *dec;
};
int sarx__lifespan_values(double *vals);

/* A prevalence target's simulated value (%): v's rows classified from the
** target's fields, asm_kg by its population's method; NaN on failure. */
double sarx__vpop_prevalence(const sarx__vpop *v, const sarx_ctx *ctx, const sarx__target *t);
/* A reference population's mapping: the US one, or it with the Korean
** body size and levels or a cohort's levels, built in *tmp. */
const sarx__simmap *sarx__simmap_of(int ref, sarx__simmap *tmp);
/* A cohort's levels: [ref][sex][0 grip, 1 gait speed, 2 its spread, 3 muscle mass, 4 BMI] [C]. */
extern const double sarx__cohort_levels[SARX__REF_COUNT][2][5];
/* The weight of each grid age for the ages [lo, hi] (60-90) as a
** continuum (the trapezoid rule: the end points half), times exp(k age)
** with k fitted to a mean age `mean` (0: none); w[SARX__GRID_AGES], summing
** to 1.  0 when no grid age is in range, or the mean is not inside it. */
int sarx__grid_weights(double lo, double hi, double mean, double *w);
#endif
