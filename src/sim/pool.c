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

#define W 8 /* units per block: one AVX-512 vector, two AVX2, four SSE2 */

/* The step's data interleaved by blocks of W units: field k of unit i is
** blk[(i / W) * B_FIELDS * W + k * W + i % W], so a step walks one stream
** of memory instead of eight (about 10 % faster at 1,000 units, whose
** data no longer fit in L1). */
enum {
    B_RTM1,              /* threshold - 1, exactly (the peak rate and adaptation ratio are linear in it) */
    B_TA, B_TB,          /* contraction time / 1000 = ta - tb P */
    B_FDT,               /* fatigue rate x the last dt (0 without fatigue) */
    B_DEC, B_P,          /* state: exp(-recruited duration / tau), twitch capacity */
    B_FIELDS
};
#define BLK(m, k, i) ((m)->blk[((i) / W) * B_FIELDS * W + (size_t)(k) * W + (i) % W])

/* One step over the first na units; em1 = excitation + MFR - 1 (see below). */
typedef double pool_kernel_fn(double *restrict blk, double *restrict rate, double *restrict force, size_t na,
                              double em1, double kdt);

struct sarx_mu_pool {
    size_t n, nw;              /* units; n rounded up to W (padding units never fire) */
    int fatigue;
    int sorted;                /* thresholds non-decreasing (the step then skips silent blocks) */
    double *fat;               /* fatigue rate per unit (x dt into B_FDT when dt changes) */
    double *rate, *force;      /* last step */
    double *blk;               /* the step's constants and state, W units at a time (BLK) */
    double max_excitation;
    double last_dt, decay_dt;  /* exp(-dt / tau) for the last dt */
    pool_kernel_fn *kernel;    /* the step for this processor's vectors */
};

static pool_kernel_fn *kernel_for(int vw);

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
    /* W doubles are one 64-byte line: aligned, no vector load straddles two */
    m->fat = aligned_alloc(64, 3 * m->nw * sizeof *m->fat);
    m->blk = aligned_alloc(64, m->nw * B_FIELDS * sizeof *m->blk);
    if (!m->fat || !m->blk) {
        sarx_mu_pool_free(m);
        return SARX_ENOMEM;
    }
    memset(m->fat, 0, 3 * m->nw * sizeof *m->fat);
    memset(m->blk, 0, m->nw * B_FIELDS * sizeof *m->blk);
    m->rate = m->fat + m->nw;
    m->force = m->fat + 2 * m->nw;
    for (i = 0; i < m->nw; i++) {
        double rte, pfr, p0, t0;
        if (i >= n) { /* padding: a threshold no excitation reaches, no twitch */
            BLK(m, B_RTM1, i) = INFINITY; /* silent at any excitation, even an infinite one (inf - inf is NaN) */
            BLK(m, B_DEC, i) = 1;
            continue; /* the rest stays 0 */
        }
        sarx__pool_unit(i, n, &rte, &pfr, &p0, &t0);
        BLK(m, B_RTM1, i) = rte - 1.0; /* exact: rte >= 1 */
        /* T = T0 (1 + CT_SF (1 - P/P0)), in seconds: ta - tb P */
        BLK(m, B_TA, i) = t0 * (1.0 + CT_SF) * 0.001;
        BLK(m, B_TB, i) = t0 * CT_SF / p0 * 0.001;
        BLK(m, B_DEC, i) = 1; /* exp(-0 / tau): no time recruited yet */
        BLK(m, B_P, i) = p0;
        m->fat[i] = exp(log(FATIGUE_RANGE) / (double)(n - 1) * (double)i) * (MAX_FATIGUE / FATIGUE_RANGE) * p0;
    }
    m->max_excitation = RR + (PFRL - MFR) / GAIN;
    m->last_dt = -1;
    m->kernel = kernel_for(0);
    m->sorted = 1; /* exp is monotonic in practice; checked, not assumed */
    for (i = 1; i < m->nw; i++)
        if (!(BLK(m, B_RTM1, i) >= BLK(m, B_RTM1, i - 1)))
            m->sorted = 0;
    *out = m;
    return SARX_OK;
}

double sarx_mu_pool_max_excitation(const sarx_mu_pool *m) { return m ? m->max_excitation : NAN; }
size_t sarx_mu_pool_size(const sarx_mu_pool *m) { return m ? m->n : 0; }
const double *sarx_mu_pool_rates(const sarx_mu_pool *m) { return m ? m->rate : NULL; }
const double *sarx_mu_pool_forces(const sarx_mu_pool *m) { return m ? m->force : NULL; }

/*
** The step works on vectors of 8, 4 or 2 units: AVX-512, AVX2 with FMA, or
** the SSE2 of every x86-64 (the same code on other machines), chosen when
** the pool is built from what the processor has.  Selections are masks,
** so every lane computes what the scalar formulas would.  The active units
** are a prefix (sarx_mu_pool_step): the kernel runs over those blocks only.
** The FMA kernels contract a*b+c into one rounding (pool.o is built with
** -ffp-contract=fast), so their last bits can differ from the baseline's:
** the step is checked against pymuscle to 1e-9, and nothing else in sarx
** uses it.
**
** Constant factors are folded per unit when the pool is built (the
** contraction time as ta - tb P) or when dt changes (fat x dt).  The peak
** rate and phi x the adaptation ratio, PFR1 - (PFR1 - PFRL)(rte - 1)/(RR - 1)
** and phi (rte - 1)/(RR - 1), are computed in the step rather than loaded
** (two fewer streams of memory), from rte - 1, which the block holds instead
** of rte: exact for rte >= 1, so r = (E + MFR - 1) - (rte - 1) is the same one
** rounding as E + MFR - rte, and no a rte + b cancels near rte = 1.  They
** differ from the constructor's formula in the last bits only.
** exp(-dur/tau) is carried as a product (exp(-(d + dt)/tau) =
** exp(-d/tau) exp(-dt/tau)), which differs from recomputing it by a few ulp
** after thousands of steps.
*/
#if defined(__GNUC__)
/* the vector helpers are static and inlined: no ABI is crossed */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
#define PFR_1 (-(SARX__PFR1 - PFRL) / (RR - 1.0))
#define PHR_1 (ADAPT_PHI / (RR - 1.0))

#define PK_VW 2
#define PK_NAME kernel_sse2
#define PK_TARGET
#include "pool_kernel.h"

#if defined(SARX__X86_DISPATCH)
#define SARX__X86_KERNELS 1
#include <immintrin.h>
#define PK_VW 4
#define PK_NAME kernel_avx2
#define PK_TARGET __attribute__((target("avx2,fma")))
#include "pool_kernel.h"

#define PK_VW 8
#define PK_NAME kernel_avx512
#define PK_TARGET __attribute__((target("avx512f,fma")))
#include "pool_kernel.h"
#endif

/* With vw = 0 the widest kernel this processor runs; otherwise the kernel
** of vw doubles per vector if it runs here, else NULL. */
static pool_kernel_fn *kernel_for(int vw)
{
#if defined(SARX__X86_KERNELS)
    __builtin_cpu_init();
    if ((vw == 0 || vw == 8) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
        return kernel_avx512;
    if ((vw == 0 || vw == 4) && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return kernel_avx2;
#endif
    return vw == 0 || vw == 2 ? kernel_sse2 : NULL;
}

int sarx__mu_pool_use_kernel(sarx_mu_pool *m, int vw)
{
    pool_kernel_fn *k = vw > 0 ? kernel_for(vw) : NULL;
    if (!m || !k)
        return 0;
    m->kernel = k;
    return 1;
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
    {
        const size_t nw = m->nw;
        const double em1 = excitation + MFR - 1.0; /* r = em1 - (rte - 1), as the kernels compute it */
        size_t na = nw, i;
        /* With the thresholds in order, the active units are a prefix: a
        ** block whose first unit is silent (the kernels' test) is silent
        ** throughout (rate and force 0, state unchanged) and needs no work. */
        while (m->sorted && na > 0 && !((em1 - BLK(m, B_RTM1, na - W)) * GAIN >= MFR * GAIN))
            na -= W;
        for (i = na; i < nw; i++)
            m->rate[i] = m->force[i] = 0;
        return m->kernel(m->blk, m->rate, m->force, na, em1, m->fatigue ? m->decay_dt : 1.0);
    }
}
