/*
** population.c — what a person of a virtual population measures: height,
** weight, grip strength, usual gait speed, DXA appendicular lean mass,
** whole-body skeletal muscle mass (as NHANES III's BIA read it), the
** five-times chair stand and the SPPB, at each requested age.
**
** The model (model.c) gives each person's maximal force, peak power and
** muscle mass relative to the same person at 25 y; the neurogenic decline
** there is what ages every measurement here.  This file maps that state to
** the tests a study would run, with a person's own level (drawn once) and
** a test error (drawn at each age).  docs/SIMULATOR.md, "Measurements",
** gives every equation, each parameter's source, and which parameters were
** calibrated [C] to which targets (validate.c holds the targets; the
** calibration is bench/sim_calibrate.c).
*/
#include "sim.h"

#include <stdlib.h>
#include <string.h>

static const char *const measure_names[SARX__NMEAS] = {
    "sex", "age_years", "height_cm", "weight_kg", "grip_kg", "gait_speed_m_s", "asm_kg",
    "smm_kg", "chair_stand_5x_s", "sppb_score"};
size_t sarx_sim_measure_count(void) { return SARX__NMEAS; }
const char *sarx_sim_measure_name(size_t i) { return i < SARX__NMEAS ? measure_names[i] : NULL; }

/*
** The mapping's values.  [E] a published figure; [C] calibrated by
** bench/sim_calibrate.c to the centile and norm targets of validate.c
** (and, for the Korean and NMEHS muscle levels, to one calibrated
** prevalence each; never to a held-out target); [A] an assumption.
*/
const sarx__simmap sarx__simmap_default = {
    {
        /* men */
        {
            179.1, 7.4, 0.2556,
            {28.3, 28.3, 28.8, 27.2}, 0.1781,
            51, 0.1929, 0.688,
            1.762, 0.06205, 0.6208, 0.7253,
            10.06, 0.1087, 0.5859, 0.5894,
            0.9953, 1.58,
            6.142, 0.3416, 0.6007,
            1.698, -2.275, 0.4332,
            1, 1, 1, 1, 1,
        },
        /* women */
        {
            162.8, 6.8, 0.1744,
            {28.8, 28.8, 28, 26.9}, 0.2323,
            31, 0.2394, 0.7256,
            1.634, 0.06568, 0.7218, 0.7328,
            7.542, 0.1516, 0.4273, 0.5894,
            0.9352, 1.58,
            7.469, 0.2784, 0.5652,
            2.125, -2.318, 0.728,
            1, 1, 1, 1, 1,
        },
    },
    0.5,
};

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* A person's draws come from their own stream (3 person + 1), so person i
** is the same whatever the population's size or threads. */
void sarx__sim_latent(const sarx_scenario *sc, uint64_t seed, long person, sarx__latent *l)
{
    sarx__rng r;
    int male;
    sarx__rng_seed(&r, seed, 3 * (uint64_t)person + 1);
    male = sc->sex ? sc->sex == SARX__MALE : sarx__rng_uniform(&r) < 0.5;
    l->sex = male ? SARX__MALE : SARX__FEMALE;
    l->z_height = sarx__rng_normal(&r);
    l->z_bmi = sarx__rng_normal(&r);
    l->z_grip = sarx__rng_normal(&r);
    l->z_asmi = sarx__rng_normal(&r);
    l->z_smi = sarx__rng_normal(&r);
    l->z_function = sarx__rng_normal(&r);
    l->z_gait = sarx__rng_normal(&r);
    l->z_chair = sarx__rng_normal(&r);
    l->z_balance = sarx__rng_normal(&r);
}

/* A person's test errors at an age come from a stream of their own and
** that age, so what is measured at 75 does not depend on the other ages
** asked for. */
void sarx__sim_noise(uint64_t seed, long person, const double *ages, size_t nages, double *z)
{
    size_t i, j;
    for (i = 0; i < nages; i++) {
        sarx__rng r;
        uint64_t at = (uint64_t)llround(ages[i] * 1024.0); /* 25-110 y: below 2^17 */
        sarx__rng_seed(&r, seed, (3 * (uint64_t)person + 2) ^ (at << 40));
        for (j = 0; j < SARX__NOISE; j++)
            z[i * SARX__NOISE + j] = sarx__rng_normal(&r);
    }
}

/* Linear interpolation of the mean BMI between 25, 65, 75 and 85 y (flat
** outside). */
static double bmi_at(const sarx__sexmap *s, double age)
{
    static const double at[4] = {25, 65, 75, 85};
    int k;
    if (age <= at[0])
        return s->bmi_age[0];
    for (k = 1; k < 4; k++)
        if (age <= at[k])
            return s->bmi_age[k - 1] + (s->bmi_age[k] - s->bmi_age[k - 1]) * (age - at[k - 1]) / (at[k] - at[k - 1]);
    return s->bmi_age[3];
}

/* SPPB component scores (Guralnik JM et al., J Gerontol 1994;49:M85-94):
** 4-m usual walk time and five chair stands timed, in seconds. */
int sarx__sppb_walk(double t) { return t < 4.82 ? 4 : t <= 6.20 ? 3 : t <= 8.70 ? 2 : 1; }
int sarx__sppb_chair(double t) { return t <= 11.19 ? 4 : t <= 13.69 ? 3 : t <= 16.69 ? 2 : t <= 60 ? 1 : 0; }

void sarx__sim_map(const sarx__simmap *m, const sarx__latent *l, double age, const double *rel,
                   const double *noise, double *out)
{
    const sarx__sexmap *s = &m->sex[l->sex == SARX__MALE ? 0 : 1];
    double force = rel[SARX__REL_FORCE], power = rel[SARX__REL_POWER], mass = rel[SARX__REL_MASS];
    double h25 = s->height25 + s->height_sd * l->z_height, h, hm2, bmi, asmi, fr = sqrt(m->function_r),
           fe = sqrt(1 - m->function_r), zg = fr * l->z_function + fe * l->z_gait,
           zc = fr * l->z_function + fe * l->z_chair, zb = fr * l->z_function + fe * l->z_balance, gait, chair, u;
    int bal, k;
    h = clampd(h25 - (age > 50 ? s->shrink * (age - 50) : 0), 120, 220);
    hm2 = h * h / 10000.0;
    bmi = clampd(s->bmi_level * bmi_at(s, age) * exp(s->bmi_sd * l->z_bmi), 14, 60);
    out[SARX__M_SEX] = l->sex;
    out[SARX__M_AGE] = age;
    out[SARX__M_HEIGHT] = h;
    out[SARX__M_WEIGHT] = clampd(bmi * hm2, 25, 300);
    /* grip: the person's level (normal), the force the model leaves to the power grip_a, 5 % test error */
    out[SARX__M_GRIP] = clampd(s->grip_level * s->grip_peak * (1 + s->grip_cv * l->z_grip) * pow(force, s->grip_a) *
                                   (1 + 0.05 * noise[0]),
                               1, 100);
    /* appendicular lean mass: correlated with BMI, 2 % DXA error */
    asmi = s->asmi_level * s->asmi_peak *
           exp(s->asmi_sd * (s->asmi_bmi * l->z_bmi + sqrt(1 - s->asmi_bmi * s->asmi_bmi) * l->z_asmi)) *
           (1 - s->asmi_a * (1 - mass));
    out[SARX__M_ASM] = clampd(asmi * hm2 * (1 + 0.02 * noise[1]), 5, 60);
    /* whole-body skeletal muscle: Kim 2002's DXA equation (SM = 1.13 ALST - 0.02 age
    ** + 0.61 male + 0.97, SEE 1.58 kg, against MRI), times smi_k, BIA's reading of it
    ** in the cohorts Janssen's cut-points are applied to [C] */
    out[SARX__M_SMM] = clampd(s->smi_k * (1.13 * asmi * hm2 - 0.02 * age + (l->sex == SARX__MALE ? 0.61 : 0) + 0.97) +
                                  s->smi_sd * l->z_smi,
                              5, 80);
    gait = s->gait_level * s->gait_v *
           (pow(power, s->gait_b) + s->gait_spread * s->gait_cv * exp(s->gait_cv_age * (age - 75) / 10) * zg) *
           (1 + 0.05 * noise[2]);
    out[SARX__M_GAIT] = gait = clampd(gait, 0.1, 3.0);
    /* the function factor is an ability: more of it, a faster walk, a better balance and a
    ** shorter time to rise five times (hence exp(-sd zc)) */
    chair = s->chair_t * exp(-s->chair_sd * zc) * pow(power, -s->chair_c) * (1 + 0.05 * noise[3]);
    out[SARX__M_CHAIR] = chair = clampd(chair, 3, 60);
    /* SPPB: balance from the function factor and power, gait and chair scored as Guralnik 1994 */
    u = zb + s->bal_k * log(power);
    for (bal = 0, k = 0; k < 4; k++)
        if (u > s->bal_top - s->bal_step * (3 - k))
            bal = k + 1;
    out[SARX__M_SPPB] = bal + sarx__sppb_walk(4.0 / gait) + sarx__sppb_chair(chair);
}

int sarx_sim_person_measures(const sarx_scenario *sc, unsigned long long seed, long person, const double *ages,
                             size_t nages, double *out, sarx_error *err)
{
    sarx__latent l;
    double *rel, *noise;
    size_t i;
    int rc;
    if (!sc || !ages || !nages || !out || person < 0)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((unsigned long)person > (1UL << 38)) /* each person's random streams stay apart below this */
        return sarx__err(err, SARX_ERANGE, "person", "", "0-274877906944", "a person's number is at most 2^38");
    for (i = 0; i < nages; i++)
        if (!(ages[i] >= 25 && ages[i] <= 110) || (i && ages[i] <= ages[i - 1]))
            return sarx__err(err, SARX_ERANGE, "ages", "", "increasing, 25-110",
                             "ages must increase and lie between 25 and 110");
    if (!(rel = malloc(nages * (SARX__TRAJ + SARX__NOISE) * sizeof *rel)))
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    noise = rel + nages * SARX__TRAJ;
    sarx__sim_latent(sc, seed, person, &l);
    sarx__sim_noise(seed, person, ages, nages, noise);
    rc = sarx__sim_trajectory(sc, seed, 3 * (uint64_t)person, l.sex, ages, nages, rel);
    for (i = 0; rc == SARX_OK && i < nages; i++)
        sarx__sim_map(&sarx__simmap_default, &l, ages[i], rel + i * SARX__TRAJ, noise + i * SARX__NOISE,
                      out + i * SARX__NMEAS);
    free(rel);
    return rc == SARX_OK ? SARX_OK : sarx__err(err, rc, "", "", "", "%s", sarx_strerror(rc));
}

/* A Korean population (KNHANES): the US mapping (the same model, spread and
** decline) with Korean body size, grip and BIA muscle levels, men then women
** (docs/SIMULATOR.md, "Reference populations"; bench/sim_calibrate.c computes
** them: height at 25 y and BMI from KNHANES 2008-11's adults >= 65 [E], the
** grip and muscle levels [C]). */
static const struct {
    double height25, height_sd, bmi, bmi_sd, grip_peak, asmi_peak;
} korea[2] = {
    {170.2, 5.745, 22.89, 0.1263, 46.22, 9.763},
    {154.3, 5.764, 23.83, 0.1405, 29.52, 7.428},
};

/* The cohorts' levels of grip, gait speed and muscle mass against the US
** population's, men then women [C]: bench/sim_calibrate.c fits them to each
** cohort's own published single criteria (docs/SIMULATOR.md). */
const double sarx__cohort_levels[SARX__REF_COUNT][2][5] = {
    [SARX__REF_US] = {{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}},
    [SARX__REF_KOREA] = {{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}},
    [SARX__REF_MROS] = {{1.279, 1.038, 0.4272, 0.9759, 0.9022}, {1, 1, 1, 1, 1}},
    [SARX__REF_NMEHS] = {{1, 1, 1, 0.9709, 1}, {1, 1, 1, 0.9148, 1}},
    [SARX__REF_FNIH] = {{1.247, 1, 1, 1, 1}, {1.133, 1, 1, 1, 1}},
};

const sarx__simmap *sarx__simmap_of(int ref, sarx__simmap *tmp)
{
    int sex;
    if (ref == SARX__REF_US)
        return &sarx__simmap_default;
    *tmp = sarx__simmap_default;
    if (ref == SARX__REF_KOREA) {
        for (sex = 0; sex < 2; sex++) {
            sarx__sexmap *m = &tmp->sex[sex];
            int j;
            m->height25 = korea[sex].height25;
            m->height_sd = korea[sex].height_sd;
            for (j = 0; j < 4; j++)
                m->bmi_age[j] = korea[sex].bmi;
            m->bmi_sd = korea[sex].bmi_sd;
            m->grip_peak = korea[sex].grip_peak;
            m->asmi_peak = korea[sex].asmi_peak;
        }
        return tmp;
    }
    for (sex = 0; sex < 2; sex++) {
        tmp->sex[sex].grip_level = sarx__cohort_levels[ref][sex][0];
        tmp->sex[sex].gait_level = sarx__cohort_levels[ref][sex][1];
        tmp->sex[sex].gait_spread = sarx__cohort_levels[ref][sex][2];
        tmp->sex[sex].asmi_level = sarx__cohort_levels[ref][sex][3];
        tmp->sex[sex].bmi_level = sarx__cohort_levels[ref][sex][4];
    }
    return tmp;
}
