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
    *out = m;
    return SARX_OK;
}

double sarx_mu_pool_max_excitation(const sarx_mu_pool *m) { return m ? m->max_excitation : NAN; }
size_t sarx_mu_pool_size(const sarx_mu_pool *m) { return m ? m->n : 0; }
const double *sarx_mu_pool_rates(const sarx_mu_pool *m) { return m ? m->rate : NULL; }
const double *sarx_mu_pool_forces(const sarx_mu_pool *m) { return m ? m->force : NULL; }

double sarx_mu_pool_step(sarx_mu_pool *m, double excitation, double dt)
{
    size_t i, n;
    double total = 0;
    if (!m || !(dt >= 0))
        return NAN;
    n = m->n;
    for (i = 0; i < n; i++) {
        /* the pool: rate, adaptation with the durations so far, then the durations */
        double r = excitation - m->rte[i] + MFR, adapt, x, pr, d;
        if (r < MFR)
            r = 0;
        r *= GAIN;
        if (r > m->pfr[i])
            r = m->pfr[i];
        adapt = ADAPT_PHI * (r - MFR + DERECRUIT) * m->adapt_ratio[i] * (1.0 - exp(-(m->dur[i] / ADAPT_TAU)));
        if (adapt < 0)
            adapt = 0;
        if (m->fatigue && r > 0) {
            d = m->dur[i] + dt;
            m->dur[i] = d > MAX_DURATION ? MAX_DURATION : d;
        }
        r -= adapt;
        m->rate[i] = r;
        /* the fibres: force with the current capacity, then fatigue */
        x = m->t[i] * (r / 1000.0);
        pr = sarx__pr(x);
        m->force[i] = pr * m->p[i];
        total += m->force[i];
        if (m->fatigue) {
            double p = m->p[i] - m->fat[i] * pr * dt;
            m->p[i] = p < 0 ? 0 : p;
            m->t[i] = m->t0[i] * (1.0 + CT_SF * (1.0 - m->p[i] / m->p0[i]));
        }
    }
    return total;
}
