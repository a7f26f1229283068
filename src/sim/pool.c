/*
** pool.c — the motor-unit pool of Fuglevand, Winter & Patla (J Neurophysiol
** 1993;70:2470) in the rate-coded, fatiguing form of Potvin & Fuglevand (PLoS
** Comput Biol 2017;13:e1005581), with the same parameters and step order as
** pymuscle's PotvinFuglevandMuscle, so the two can be compared number for
** number (bench/pymuscle_compare.py).
**
** Units i = 0..n-1 in recruitment order:
**   recruitment threshold  rte_i = exp(ln(RR) i / (n-1))                 RR = 50
**   peak rate              pfr_i = PFR1 - (PFR1-PFRL)(rte_i-rte_0)/(RR-rte_0)  35 -> 25 Hz
**   rate at excitation E   r_i = g (E - rte_i + MFR), 0 when below MFR, at most pfr_i
**   adaptation             r_i - phi (r_i - MFR + d) (rte_i-1)/(RR-1) (1 - exp(-dur_i / tau))
**   twitch                 P_i = exp(ln(RP) i / (n-1))                   RP = 100
**   contraction time       T_i = TL (1/P_i)^(ln RT / ln RP)              TL = 90 ms, RT = 3
**   force                  Pr(T_i r_i / 1000) P_i  (linear to 0.4, then 1 - exp(-2x^3))
**   fatigue                P_i -= fat_i Pr dt; T_i = T0_i (1 + ctSF (1 - P_i/P0_i))
*/
#include "sim.h"

#include <stdlib.h>
#include <string.h>

/* Potvin 2017 defaults (pymuscle's constructor defaults). */
#define RR 50.0
#define GAIN 1.0
#define MFR 8.0
#define PFR1 35.0
#define PFRL 25.0
#define DERECRUIT 2.0
#define ADAPT_PHI 0.67
#define ADAPT_TAU 22.0
#define MAX_DURATION 20000.0
#define RP 100.0
#define TL 90.0
#define RT 3.0
#define MAX_FATIGUE 0.0225
#define FATIGUE_RANGE 180.0
#define CT_SF 0.379

/* S(x) = 1 - exp(-2 x^3), the sigmoid of Fuglevand 1993 Eq. 17. */
static double sig(double x) { return 1.0 - exp(-2.0 * pow(x, 3.0)); }

double sarx__pr(double x)
{
    if (x <= 0.4)
        return x / 0.4 * sig(0.4);
    return sig(x);
}

double sarx__spike_gain(double x)
{
    if (x <= 0.4)
        return 1.0;
    return (sig(x) / x) / (sig(0.4) / 0.4);
}

struct sarx_mu_pool {
    size_t n;
    int fatigue;
    double *rte, *pfr, *adapt_ratio; /* pool */
    double *dur, *decay;             /* recruitment durations, exp(-dur/tau) */
    double *p0, *p, *t0, *t, *fat;   /* fibres */
    double *rate, *force;            /* last step */
    double max_excitation;
    double decay_cap;                /* exp(-MAX_DURATION / tau) */
    double last_dt, decay_dt;        /* exp(-dt / tau) for the last dt */
};

void sarx_mu_pool_free(sarx_mu_pool *m)
{
    if (!m)
        return;
    free(m->rte);
    free(m);
}

int sarx_mu_pool_new(size_t n, int fatigue, sarx_mu_pool **out)
{
    sarx_mu_pool *m;
    size_t i;
    double *block;
    if (!out)
        return SARX_EINVAL;
    *out = NULL;
    if (n < 2 || n > 10000000)
        return SARX_ERANGE;
    m = calloc(1, sizeof *m);
    block = malloc(12 * n * sizeof *block);
    if (!m || !block) {
        free(m);
        free(block);
        return SARX_ENOMEM;
    }
    m->n = n;
    m->fatigue = fatigue != 0;
    m->rte = block;
    m->pfr = block + n;
    m->adapt_ratio = block + 2 * n;
    m->dur = block + 3 * n;
    m->decay = block + 4 * n;
    m->p0 = block + 5 * n;
    m->p = block + 6 * n;
    m->t0 = block + 7 * n;
    m->t = block + 8 * n;
    m->fat = block + 9 * n;
    m->rate = block + 10 * n;
    m->force = block + 11 * n;
    for (i = 0; i < n; i++) {
        m->rte[i] = exp(log(RR) * (double)i / (double)(n - 1));
        m->p0[i] = exp(log(RP) * (double)i / (double)(n - 1));
    }
    for (i = 0; i < n; i++) {
        m->pfr[i] = PFR1 - (PFR1 - PFRL) * ((m->rte[i] - m->rte[0]) / (RR - m->rte[0]));
        m->adapt_ratio[i] = (m->rte[i] - 1.0) / (RR - 1.0);
        m->dur[i] = 0;
        m->decay[i] = 1;
        m->p[i] = m->p0[i];
        m->t0[i] = TL * pow(1.0 / m->p0[i], 1.0 / (log(RP) / log(RT)));
        m->t[i] = m->t0[i];
        m->fat[i] = exp(log(FATIGUE_RANGE) / (double)(n - 1) * (double)i) * (MAX_FATIGUE / FATIGUE_RANGE) *
                    m->p0[i];
        m->rate[i] = m->force[i] = 0;
    }
    m->max_excitation = RR + (PFRL - MFR) / GAIN;
    m->decay_cap = exp(-(MAX_DURATION / ADAPT_TAU));
    m->last_dt = -1;
    *out = m;
    return SARX_OK;
}

double sarx_mu_pool_max_excitation(const sarx_mu_pool *m) { return m ? m->max_excitation : NAN; }
size_t sarx_mu_pool_size(const sarx_mu_pool *m) { return m ? m->n : 0; }
const double *sarx_mu_pool_rates(const sarx_mu_pool *m) { return m ? m->rate : NULL; }
const double *sarx_mu_pool_forces(const sarx_mu_pool *m) { return m ? m->force : NULL; }

/*
** exp(y) for y in [-708, 0], branch-free so that the loop below vectorises:
** y = k ln2 + r with |r| <= ln2/2 (k by the 1.5 x 2^52 rounding trick), a
** degree-13 Taylor polynomial for exp(r) (truncation below 2e-16), and 2^k
** put into the exponent bits.  Relative error a few units in the last place.
*/
static inline double exp_neg(double y)
{
    const double magic = 6755399441055744.0; /* 1.5 x 2^52 */
    double t, kd, r, q;
    uint64_t bits;
    y = y < -708.0 ? -708.0 : y;
    t = y * 1.4426950408889634 + magic;
    kd = t - magic;
    r = y - kd * 6.93147180369123816490e-01 - kd * 1.90821492927058770002e-10;
    q = 1.0 / 6227020800.0;
    q = q * r + 1.0 / 479001600.0;
    q = q * r + 1.0 / 39916800.0;
    q = q * r + 1.0 / 3628800.0;
    q = q * r + 1.0 / 362880.0;
    q = q * r + 1.0 / 40320.0;
    q = q * r + 1.0 / 5040.0;
    q = q * r + 1.0 / 720.0;
    q = q * r + 1.0 / 120.0;
    q = q * r + 1.0 / 24.0;
    q = q * r + 1.0 / 6.0;
    q = q * r + 0.5;
    q = q * r + 1.0;
    q = q * r + 1.0;
    memcpy(&bits, &t, sizeof bits);
    bits = (bits - 0x4338000000000000ull + 1023u) << 52; /* the integer k, biased */
    memcpy(&t, &bits, sizeof t);
    return q * t;
}

/*
** One step over every unit, in pymuscle's order: the pool's rates with the
** adaptation of the durations so far, then the durations; the fibres' forces
** with their present capacity, then fatigue.  exp(-dur/tau) is carried as a
** product (exp(-(d + dt)/tau) = exp(-d/tau) exp(-dt/tau)), which differs from
** recomputing it by a few ulp after thousands of steps.  Written without
** branches so that the compiler vectorises it; the sum is taken in 8
** independent lanes.
*/
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__)
#define SARX__CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define SARX__CLONES
#endif

SARX__CLONES static double pool_kernel(sarx_mu_pool *m, double excitation, double dt, double kdt)
{
    const size_t n = m->n;
    const double *restrict rte = m->rte, *restrict pfr = m->pfr, *restrict ratio = m->adapt_ratio;
    const double *restrict t0 = m->t0, *restrict fat = m->fat, *restrict p0 = m->p0;
    double *restrict dur = m->dur, *restrict dec = m->decay, *restrict p = m->p, *restrict t = m->t;
    double *restrict rate = m->rate, *restrict force = m->force;
    const double on_fatigue = m->fatigue ? 1.0 : 0.0, cap = m->decay_cap;
    const double gate = m->fatigue ? 0.0 : HUGE_VAL; /* a unit's duration moves when its rate > gate */
    const double lin = (1.0 - exp(-2.0 * pow(0.4, 3.0))) / 0.4;
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, total;
    size_t i, j;
    for (i = 0; i < n; i++) {
        double r = excitation - rte[i] + MFR, adapt, x, pr, d, np, sigm, dec_old, dec_new, dur_old, dur_new;
        double capped, on;
        r = r < MFR ? 0.0 : r;
        r *= GAIN;
        r = r > pfr[i] ? pfr[i] : r;
        adapt = ADAPT_PHI * (r - MFR + DERECRUIT) * ratio[i] * (1.0 - dec[i]);
        adapt = adapt < 0 ? 0.0 : adapt;
        /* the durations move only for active units.  Blends a*f + b*(1-f)
        ** with f exactly 0 or 1 are exact for finite values and, unlike a
        ** conditional store, vectorise. */
        d = dur[i] + dt;
        capped = (double)(d > MAX_DURATION);
        on = (double)(r > gate);
        dec_old = dec[i];
        dec_new = cap * capped + dec_old * kdt * (1.0 - capped);
        dur_old = dur[i];
        dur_new = d < MAX_DURATION ? d : MAX_DURATION;
        dec[i] = dec_new * on + dec_old * (1.0 - on);
        dur[i] = dur_new * on + dur_old * (1.0 - on);
        r -= adapt;
        rate[i] = r;
        x = t[i] * (r / 1000.0);
        sigm = 1.0 - exp_neg(-2.0 * (x * x * x));
        pr = x <= 0.4 ? x * lin : sigm;
        force[i] = pr * p[i];
        np = p[i] - on_fatigue * (fat[i] * pr * dt);
        np = np < 0 ? 0.0 : np;
        p[i] = np;
        t[i] = t0[i] * (1.0 + CT_SF * (1.0 - np / p0[i])); /* without fatigue np == p0: t0 */
    }
    for (i = 0; i + 8 <= n; i += 8)
        for (j = 0; j < 8; j++)
            acc[j] += force[i + j];
    total = 0;
    for (; i < n; i++)
        total += force[i];
    for (j = 0; j < 8; j++)
        total += acc[j];
    return total;
}

double sarx_mu_pool_step(sarx_mu_pool *m, double excitation, double dt)
{
    if (!m || !(dt >= 0) || !(excitation == excitation))
        return NAN;
    if (dt != m->last_dt) {
        m->last_dt = dt;
        m->decay_dt = exp(-(dt / ADAPT_TAU));
    }
    return pool_kernel(m, excitation, dt, m->decay_dt);
}
