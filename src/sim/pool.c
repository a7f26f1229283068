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

#define W 8 /* units per vector: one AVX-512 register, two AVX2, four SSE2 */

/* The step's data interleaved by blocks of W units: field k of unit i is
** blk[(i / W) * B_FIELDS * W + k * W + i % W], so a step walks one stream
** of memory instead of eight (about 10 % faster at 1,000 units, whose
** data no longer fit in L1). */
enum {
    B_RTE, B_PFR, B_PHR, /* threshold, peak rate, phi x adaptation ratio */
    B_TA, B_TB,          /* contraction time / 1000 = ta - tb P */
    B_FDT,               /* fatigue rate x the last dt (0 without fatigue) */
    B_DEC, B_P,          /* state: exp(-recruited duration / tau), twitch capacity */
    B_FIELDS
};
#define BLK(m, k, i) ((m)->blk[((i) / W) * B_FIELDS * W + (size_t)(k) * W + (i) % W])

struct sarx_mu_pool {
    size_t n, nw;              /* units; n rounded up to W (padding units never fire) */
    int fatigue;
    double *fat;               /* fatigue rate per unit (x dt into B_FDT when dt changes) */
    double *rate, *force;      /* last step */
    double *blk;               /* the step's constants and state, W units at a time (BLK) */
    double max_excitation;
    double last_dt, decay_dt;  /* exp(-dt / tau) for the last dt */
};

void sarx_mu_pool_free(sarx_mu_pool *m)
{
    if (!m)
        return;
    free(m->fat);
    free(m->blk);
    free(m);
}

int sarx_mu_pool_new(size_t n, int fatigue, sarx_mu_pool **out)
{
    sarx_mu_pool *m;
    size_t i;
    if (!out)
        return SARX_EINVAL;
    *out = NULL;
    if (n < 2 || n > 10000000)
        return SARX_ERANGE;
    /* x = T r / 1000 is at most TL (1 + CT_SF) / 1000 x PFR1 (4.3), so the
    ** sigmoid's -2 x^3 stays far above exp_neg's lower limit of -708 */
    if (!(2.0 * pow(SARX__TL * (1.0 + CT_SF) / 1000.0 * SARX__PFR1, 3.0) < 700.0))
        return SARX_EINVAL;
    if (!(m = calloc(1, sizeof *m)))
        return SARX_ENOMEM;
    m->n = n;
    m->nw = (n + W - 1) / W * W;
    m->fatigue = fatigue != 0;
    m->fat = calloc(3 * m->nw, sizeof *m->fat);
    m->blk = calloc(m->nw * B_FIELDS, sizeof *m->blk);
    if (!m->fat || !m->blk) {
        sarx_mu_pool_free(m);
        return SARX_ENOMEM;
    }
    m->rate = m->fat + m->nw;
    m->force = m->fat + 2 * m->nw;
    for (i = 0; i < m->nw; i++) {
        double rte, pfr, p0, t0;
        if (i >= n) { /* padding: a threshold no excitation reaches, no twitch */
            BLK(m, B_RTE, i) = 1e300;
            BLK(m, B_DEC, i) = 1;
            continue; /* the rest stays 0 */
        }
        sarx__pool_unit(i, n, &rte, &pfr, &p0, &t0);
        BLK(m, B_RTE, i) = rte;
        BLK(m, B_PFR, i) = pfr;
        BLK(m, B_PHR, i) = ADAPT_PHI * ((rte - 1.0) / (RR - 1.0)); /* phi x adaptation ratio */
        /* T = T0 (1 + CT_SF (1 - P/P0)), in seconds: ta - tb P */
        BLK(m, B_TA, i) = t0 * (1.0 + CT_SF) * 0.001;
        BLK(m, B_TB, i) = t0 * CT_SF / p0 * 0.001;
        BLK(m, B_DEC, i) = 1; /* exp(-0 / tau): no time recruited yet */
        BLK(m, B_P, i) = p0;
        m->fat[i] = exp(log(FATIGUE_RANGE) / (double)(n - 1) * (double)i) * (MAX_FATIGUE / FATIGUE_RANGE) * p0;
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
** The step works on W = 8 units at a time with the compiler's generic
** vectors (GCC and clang): one AVX-512 register in the x86-64-v4 clone, two
** AVX2 registers in the x86-64-v3 clone, four SSE2 ones on a baseline
** x86-64.  Selections are bit masks, so every lane computes what the
** scalar formulas would.  The FMA clones contract a*b+c into one rounding
** (pool.o is built with -ffp-contract=fast), so their last bits can differ
** from the baseline's: the step is checked against pymuscle to 1e-9, and
** nothing else in sarx uses it.
*/
#if defined(__GNUC__)
/* the vector helpers below are static and inlined: no ABI is crossed */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
typedef double vd __attribute__((vector_size(8 * W)));
typedef long long vl __attribute__((vector_size(8 * W)));

static inline __attribute__((always_inline)) vd sel(vl mask, vd a, vd b) { return (vd)(((vl)a & mask) | ((vl)b & ~mask)); }
static inline __attribute__((always_inline)) vd load(const double *p)
{
    vd v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline __attribute__((always_inline)) void store(double *p, vd v) { memcpy(p, &v, sizeof v); }

/*
** exp(y) for -708 <= y <= 0 (the pool's y = -2 x^3 is above -170: x = T r /
** 1000 <= 0.124 s x 35 Hz; sarx_mu_pool_new checks): y = k ln2 + r with
** |r| <= ln2/2 (k by the 1.5 x 2^52 rounding trick), the degree-11 Taylor
** polynomial for exp(r) by Horner (truncation below 3e-14, far inside the
** 1e-9 agreement with pymuscle; Estrin's shallower scheme measured no
** faster, the step being bound by throughput), and 2^k put into the
** exponent bits.
*/
static inline __attribute__((always_inline)) vd exp_neg(vd y)
{
    const double magic = 6755399441055744.0; /* 1.5 x 2^52 */
    vd t, kd, r, q;
    vl bits;
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
    bits = (vl)t;
    bits = (bits - 0x4338000000000000LL + 1023) << 52; /* the integer k, biased */
    return q * (vd)bits;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__)
#define SARX__CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SARX__CLONES
#endif

/*
** One step over every unit, in pymuscle's order: the pool's rates with the
** adaptation of the durations so far, then the durations; the fibres' forces
** with their present capacity, then fatigue.  exp(-dur/tau) is carried as a
** product (exp(-(d + dt)/tau) = exp(-d/tau) exp(-dt/tau)), which differs from
** recomputing it by a few ulp after thousands of steps.  Constant factors
** are folded per unit when the pool is built (phi x ratio; the contraction
** time as ta - tb P) or when dt changes (fat x dt).  The sum is taken in W
** lanes.
*/
SARX__CLONES static double pool_kernel(sarx_mu_pool *m, double excitation, double kdt)
{
    const size_t nw = m->nw;
    const vl fat_on = (vl){0} - (m->fatigue ? 1 : 0); /* all ones with fatigue */
    const double lin = (1.0 - exp(-2.0 * pow(0.4, 3.0))) / 0.4;
    const double em = excitation + MFR;
    double *restrict rate = m->rate, *restrict force = m->force;
    double *restrict b = m->blk;
    vd acc = {0}, zero = {0};
    size_t i;
    for (i = 0; i < nw; i += W, b += B_FIELDS * W) {
        vd r = (em - load(b + B_RTE * W)) * GAIN, pfr = load(b + B_PFR * W), dec = load(b + B_DEC * W);
        vd p = load(b + B_P * W), adapt, x, pr, np, f;
        vl active, on;
        /* a unit below the minimum rate is silent (rate 0, no adaptation,
        ** its duration unchanged); for the others r >= MFR, so the
        ** adaptation, phi ratio (r - MFR + d)(1 - exp(-dur/tau)), is >= 0 */
        active = r >= MFR * GAIN;
        r = sel(r > pfr, pfr, r);
        adapt = load(b + B_PHR * W) * (r - MFR + DERECRUIT) * (1.0 - dec);
        /* the durations move only for active units: exp(-dur/tau) as a
        ** running product, 0 once below 1e-300 (pymuscle's exp(-dur/tau)
        ** underflows there too; its 20,000 s cap gives exp(-909) = 0) */
        on = active & fat_on;
        dec = sel(on, dec * kdt, dec);
        dec = sel(dec < 1e-300, zero, dec);
        store(b + B_DEC * W, dec);
        r = sel(active, r - adapt, zero);
        store(rate + i, r);
        /* the contraction time follows the twitch lost so far */
        x = (load(b + B_TA * W) - load(b + B_TB * W) * p) * r;
        pr = sel(x <= 0.4, x * lin, 1.0 - exp_neg(-2.0 * (x * x * x)));
        f = pr * p;
        store(force + i, f);
        acc += f;
        np = p - load(b + B_FDT * W) * pr; /* fat_dt is 0 without fatigue */
        np = sel(np < 0, zero, np);
        store(b + B_P * W, np);
    }
    {
        double sum = 0;
        for (i = 0; i < W; i++)
            sum += acc[i];
        return sum;
    }
}

double sarx_mu_pool_step(sarx_mu_pool *m, double excitation, double dt)
{
    if (!m || !(dt >= 0) || !(excitation == excitation))
        return NAN;
    if (dt != m->last_dt) {
        size_t i;
        m->last_dt = dt;
        m->decay_dt = exp(-(dt / ADAPT_TAU));
        for (i = 0; i < m->n; i++)
            BLK(m, B_FDT, i) = m->fatigue ? m->fat[i] * dt : 0.0;
    }
    return pool_kernel(m, excitation, m->decay_dt);
}
