/*
** pool.c — the motor-unit pool of Fuglevand, Winter & Patla (J Neurophysiol
** 1993;70:2470) in the rate-coded, fatiguing form of Potvin & Fuglevand (PLoS
** Comput Biol 2017;13:e1005581), with the same parameters and step order as
** pymuscle's PotvinFuglevandMuscle, so the two can be compared number for
** number (bench/pymuscle_compare.py).
**
** Units i = 0..n-1 in recruitment order:
**   recruitment threshold  rte_i = exp(ln(RR) i / (n-1))                 RR = 50
**   peak rate              pfr_i = PFR1 - (PFR1-PFRL)(rte_i-1)/(RR-1)        35 -> 25 Hz
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

/* Potvin 2017 defaults (pymuscle's constructor defaults); the pool's shape
** is in sim.h. */
#define RR SARX__RR
#define MFR SARX__MFR
#define PFRL SARX__PFRL
#define GAIN 1.0
#define DERECRUIT 2.0
#define ADAPT_PHI 0.67
#define ADAPT_TAU 22.0
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
    size_t n, n4;                    /* units; n rounded up to 4 (padding units never fire) */
    int fatigue;
    double *rte, *pfr, *adapt_ratio; /* pool */
    double *decay;                   /* exp(-recruitment duration / tau) */
    double *p0, *p, *t0, *fat;       /* fibres */
    double *inv_p0;
    double *rate, *force;            /* last step */
    double max_excitation;
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
    if (!m)
        return SARX_ENOMEM;
    m->n4 = (n + 3) & ~(size_t)3;
    block = malloc(11 * m->n4 * sizeof *block);
    if (!m || !block) {
        free(m);
        free(block);
        return SARX_ENOMEM;
    }
    m->n = n;
    m->fatigue = fatigue != 0;
    {
        size_t k = m->n4;
        m->rte = block;
        m->pfr = block + k;
        m->adapt_ratio = block + 2 * k;
        m->decay = block + 3 * k;
        m->p0 = block + 4 * k;
        m->p = block + 5 * k;
        m->t0 = block + 6 * k;
        m->fat = block + 7 * k;
        m->rate = block + 8 * k;
        m->force = block + 9 * k;
        m->inv_p0 = block + 10 * k;
    }
    for (i = 0; i < n; i++) {
        sarx__pool_unit(i, n, &m->rte[i], &m->pfr[i], &m->p0[i], &m->t0[i]);
        m->adapt_ratio[i] = (m->rte[i] - 1.0) / (RR - 1.0);
        m->decay[i] = 1;
        m->p[i] = m->p0[i];
        m->inv_p0[i] = 1.0 / m->p0[i];
        m->fat[i] = exp(log(FATIGUE_RANGE) / (double)(n - 1) * (double)i) * (MAX_FATIGUE / FATIGUE_RANGE) *
                    m->p0[i];
        m->rate[i] = m->force[i] = 0;
    }
    for (; i < m->n4; i++) { /* padding: a threshold no excitation reaches, no twitch */
        m->rte[i] = 1e300;
        m->pfr[i] = m->adapt_ratio[i] = m->p[i] = m->fat[i] = m->rate[i] = m->force[i] = 0;
        m->decay[i] = m->p0[i] = m->inv_p0[i] = m->t0[i] = 1;
    }
    m->max_excitation = RR + (PFRL - MFR) / GAIN;
    m->last_dt = -1;
    *out = m;
    return SARX_OK;
}

double sarx_mu_pool_max_excitation(const sarx_mu_pool *m) { return m ? m->max_excitation : NAN; }
size_t sarx_mu_pool_size(const sarx_mu_pool *m) { return m ? m->n : 0; }
const double *sarx_mu_pool_rates(const sarx_mu_pool *m) { return m ? m->rate : NULL; }
const double *sarx_mu_pool_forces(const sarx_mu_pool *m) { return m ? m->force : NULL; }

/*
** The step works on 4 units at a time with the compiler's generic vectors
** (GCC and clang; 2 x SSE2 on a baseline x86-64, AVX2 and FMA in the
** x86-64-v3 clone).  Selections are bit masks, so every lane computes
** exactly what the scalar formulas would.
*/
#if defined(__GNUC__)
/* the 4-wide helpers below are static and inlined: no ABI is crossed */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));

static inline __attribute__((always_inline)) v4d sel(v4l mask, v4d a, v4d b) { return (v4d)(((v4l)a & mask) | ((v4l)b & ~mask)); }
static inline __attribute__((always_inline)) v4d load(const double *p)
{
    v4d v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline __attribute__((always_inline)) void store(double *p, v4d v) { memcpy(p, &v, sizeof v); }

/*
** exp(y) for y <= 0 (clamped at -708): y = k ln2 + r with |r| <= ln2/2 (k by
** the 1.5 x 2^52 rounding trick), a degree-11 Taylor polynomial for exp(r)
** (truncation below 3e-14, far inside the 1e-9 agreement with pymuscle), and
** 2^k put into the exponent bits.
*/
static inline __attribute__((always_inline)) void exp_neg(v4d *out, const v4d *in)
{
    v4d y = *in;
    const double magic = 6755399441055744.0; /* 1.5 x 2^52 */
    v4d t, kd, r, q;
    v4l bits;
    y = sel(y < -708.0, y * 0.0 - 708.0, y);
    t = y * 1.4426950408889634 + magic;
    kd = t - magic;
    r = y - kd * 6.93147180369123816490e-01 - kd * 1.90821492927058770002e-10;
    q = r * (1.0 / 39916800.0) + 1.0 / 3628800.0;
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
    bits = (v4l)t;
    bits = (bits - 0x4338000000000000LL + 1023) << 52; /* the integer k, biased */
    *out = q * (v4d)bits;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__)
#define SARX__CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define SARX__CLONES
#endif

/*
** One step over every unit, in pymuscle's order: the pool's rates with the
** adaptation of the durations so far, then the durations; the fibres' forces
** with their present capacity, then fatigue.  exp(-dur/tau) is carried as a
** product (exp(-(d + dt)/tau) = exp(-d/tau) exp(-dt/tau)), which differs from
** recomputing it by a few ulp after thousands of steps.  The sum is taken in
** four lanes.
*/
SARX__CLONES static double pool_kernel(sarx_mu_pool *m, double excitation, double dt, double kdt)
{
    const size_t n4 = m->n4;
    const double gate = m->fatigue ? 0.0 : HUGE_VAL, on_fatigue = m->fatigue ? 1.0 : 0.0;
    const double lin = (1.0 - exp(-2.0 * pow(0.4, 3.0))) / 0.4;
    const double *restrict rte = m->rte, *restrict pfrs = m->pfr, *restrict ratio = m->adapt_ratio;
    const double *restrict fat = m->fat, *restrict t0 = m->t0, *restrict inv_p0 = m->inv_p0;
    double *restrict decs = m->decay, *restrict ps = m->p;
    double *restrict rate = m->rate, *restrict force = m->force;
    v4d acc = {0, 0, 0, 0}, zero = {0, 0, 0, 0};
    size_t i;
    for (i = 0; i < n4; i += 4) {
        v4d r = excitation - load(rte + i) + MFR, pfr = load(pfrs + i), dec = load(decs + i);
        v4d p = load(ps + i), adapt, x, pr, np, sigm, t;
        v4l on;
        r = sel(r < MFR, zero, r);
        r = r * GAIN;
        r = sel(r > pfr, pfr, r);
        adapt = ADAPT_PHI * (r - MFR + DERECRUIT) * load(ratio + i) * (1.0 - dec);
        adapt = sel(adapt < 0, zero, adapt);
        /* the durations move only for active units: exp(-dur/tau) as a
        ** running product, 0 once below 1e-300 (pymuscle's exp(-dur/tau)
        ** underflows there too; its 20,000 s cap gives exp(-909) = 0) */
        on = r > gate;
        dec = sel(on, dec * kdt, dec);
        dec = sel(dec < 1e-300, zero, dec);
        store(decs + i, dec);
        r = r - adapt;
        store(rate + i, r);
        /* the contraction time follows the twitch lost so far */
        t = load(t0 + i) * (1.0 + CT_SF * (1.0 - p * load(inv_p0 + i)));
        x = t * (r * 0.001);
        sigm = -2.0 * (x * x * x);
        exp_neg(&sigm, &sigm);
        sigm = 1.0 - sigm;
        pr = sel(x <= 0.4, x * lin, sigm);
        store(force + i, pr * p);
        acc += pr * p;
        np = p - on_fatigue * (load(fat + i) * pr * dt);
        np = sel(np < 0, zero, np);
        store(ps + i, np);
    }
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
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
