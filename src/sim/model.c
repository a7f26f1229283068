/*
** model.c — one person's muscle over a lifespan: motor-neuron death,
** reinnervation by surviving units with a sprouting cap and type conversion,
** atrophy and loss of denervated fibres, and fibre size pulled toward a
** set-point by use, load, training, protein, inflammation, hormones and age.
** docs/SIMULATOR.md gives every equation with its source; [A] marks an
** assumption of ours, [E] a published number.
**
** The modelled muscle is a pool of N0 motor units (150 by default, a
** tibialis-anterior-like MUNE) built as in pool.c (Potvin & Fuglevand 2017):
** unit i has recruitment threshold rte_i, peak rate pfr_i and contraction
** time T_i; its native fibre count n0_i is proportional to the twitch force
** P_i = RP^(i/(N-1)), so the 100-fold twitch range is carried by the
** innervation ratio [A].  The smallest units are slow (type I) until half of
** the fibres are slow [A].
**
** The slow clock steps a week, or a day while an intervention runs.
*/
#include "sim.h"

#include <stdlib.h>
#include <string.h>

#define DAYS_PER_YEAR 365.25
/* The slow clock: 4 weeks between interventions, a day during one.  Every
** relaxation and hazard uses its exact factor for the step, so the step
** sets resolution, not rates [A]. */
#define SLOW_STEP_DAYS 28.0
#define MODEL_START_AGE 20.0

/* ---- parameters ----------------------------------------------------- */
static const struct params {
    double fibres;           /* fibres at 20 y [A] */
    double type1_fraction;   /* of fibres at 20 y [A] */
    double area2;            /* type II fibre area relative to type I, young [A] */
    double h0, h_gamma, m_fast; /* motor-neuron death: h0 exp(gamma (age - 25)) per year [A form; fitted to
                                ** TA MUNE 150 -> 91 at 65 -> 59 at >= 80 y, McNeil 2005] */
    double reinnervation;    /* adoption rate per year at full spare capacity [A] */
    double cap;              /* sprouting cap n/n0 [E secondary: 5-8] */
    double w_slow;           /* adoption weight of slow units [A] */
    double reinn_decline;    /* per year after 60 [A] */
    double tau_den;          /* denervated fibre area decay, days [A] */
    double den_floor;        /* area fraction a denervated fibre keeps [A] */
    double loss_rate;        /* per year per stage: Erlang-4 loss, median 5 y [A] */
    double tau_loss, tau_gain; /* fibre area relaxation, days [A] */
    double tau_use;          /* use factor relaxation, days [A] */
    double unused_area;      /* set-point of a unit never used in daily life [A] */
    double daily_decline;    /* habitual peak drive lost per year after 30 [A] */
    double nu_decline;       /* firing-rate factor lost per year after 60 [A; Piasecki 2016 -8 % at 71] */
    double va_decline;       /* voluntary activation lost per year after 60 [A] */
    double ct_slowing;       /* contraction time gained per year after 50 [A; Castronovo 2019: 30-90 ms
                             ** young, 60-120 ms old] */
    double g_max;            /* training set-point gain [A; calibrated to Nilwik 2013] */
    double anabolic_resistance; /* gains x (1 - this) after 65 (Wall 2015: -16 %) */
    double disuse_load, micro_load1, micro_load2; /* unloading set-points [A] */
    double disuse_va;        /* voluntary activation during disuse [A] */
    double train_va;         /* voluntary activation gain with training [A] */
    double rfd_nu;           /* rate-coding gain with > 85 % 1RM training (docs/SIMULATOR.md) */
} P = {
    100000, 0.5, 1.2,
    0.0067, 0.025, 1.5,
    0.08, 5.0, 2.0, 0.005,
    60, 0.2, 0.734,
    30, 90, 365, 0.7, 0.012, 0.0073, 0.015, 0.012,
    0.5, 0.16,
    0.75, 0.75, 0.85,
    0.82, 0.10, 0.15,
};

/* Habitual daily peak drive, as a fraction of the maximal excitation [A]. */
static const double daily_drive[SARX__ACT_COUNT] = {0.55, 0.65, 0.75, 0.9, 1.0};
/* Lifelong motor-neuron hazard multiplier by activity [A; masters runners
** keep MUNE ~140 vs 91 at 65 y, Power et al. 2010]. */
static const double activity_hazard[SARX__ACT_COUNT] = {1.0, 1.0, 0.8, 0.6, 0.2};

enum { STAGES = 4 }; /* Erlang stages of a denervated fibre before it is lost */

struct sarx__person {
    int n;              /* units at 20 y */
    int sex;
    double e_max;       /* maximal excitation */
    /* per unit */
    unsigned char *alive, *type; /* type 0 = slow (I), 1 = fast (II) */
    double *rte, *pfr, *t, *n0, *nf, *asum, *ftrain, *fuse; /* asum: total area of the unit's fibres */
    double *capn0;      /* sprouting cap x n0 */
    double *clock;      /* each motor neuron's exponential death clock: it dies when the cumulative
                        ** hazard of its type reaches it, so deaths do not depend on the step size */
    double hcum[2];     /* cumulative hazard by type */
    int *live, na;      /* the surviving units, in no particular order */
    /* denervated fibres: count and total area per type and stage */
    double dcount[2][STAGES], darea[2][STAGES];
    double lost[2];     /* fibres lost to fat/fibrosis */
    double converted;   /* fibres that changed type on adoption */
    double nu_train, va_train;
    /* person traits */
    double hazard_z, reinn_z, resp, cap;
    sarx__rng rng;
};

static void sarx__person_free(sarx__person *p)
{
    if (!p)
        return;
    free(p->alive);
    free(p->rte);
    free(p->live);
    free(p);
}

/* A person at 20 y.  vary = 0: the typical person; 1: draw the between-person
** effects (docs/SIMULATOR.md, populations). */
static sarx__person *sarx__person_new(int n0, int sex, int activity, double hazard_factor, int vary, uint64_t seed,
                               uint64_t stream)
{
    sarx__person *p = calloc(1, sizeof *p);
    double *blk, sum = 0, fibres = P.fibres, cum;
    int i, n;
    if (!p)
        return NULL;
    sarx__rng_seed(&p->rng, seed, stream);
    n = n0;
    p->hazard_z = hazard_factor * activity_hazard[activity];
    p->reinn_z = 1;
    p->resp = 1;
    p->cap = P.cap;
    if (vary) {
        n = (int)lround(n0 * exp(0.27 * sarx__rng_normal(&p->rng) - 0.5 * 0.27 * 0.27)); /* CV 0.28 */
        if (n < 20)
            n = 20;
        fibres *= 1 + 0.12 * sarx__rng_normal(&p->rng);
        if (fibres < 0.5 * P.fibres)
            fibres = 0.5 * P.fibres;
        p->hazard_z *= exp(0.4 * sarx__rng_normal(&p->rng) - 0.08);
        p->reinn_z = exp(0.3 * sarx__rng_normal(&p->rng) - 0.045);
        p->cap = P.cap * exp(0.3 * sarx__rng_normal(&p->rng) - 0.045);
        p->resp = exp(0.5 * sarx__rng_normal(&p->rng) - 0.125);
    }
    p->n = n;
    p->sex = sex;
    p->alive = malloc((size_t)n * 2);
    blk = malloc((size_t)n * 10 * sizeof *blk);
    p->live = malloc((size_t)n * sizeof *p->live);
    if (!p->alive || !blk || !p->live) {
        free(p->alive);
        free(blk);
        free(p->live);
        free(p);
        return NULL;
    }
    p->type = p->alive + n;
    p->rte = blk;
    p->pfr = blk + n;
    p->t = blk + 2 * n;
    p->n0 = blk + 3 * n;
    p->nf = blk + 4 * n;
    p->asum = blk + 5 * n;
    p->ftrain = blk + 6 * n;
    p->fuse = blk + 7 * n;
    p->capn0 = blk + 8 * n;
    p->clock = blk + 9 * n;
    for (i = 0; i < n; i++) {
        sarx__pool_unit((size_t)i, (size_t)n, &p->rte[i], &p->pfr[i], &p->n0[i], &p->t[i]);
        sum += p->n0[i];
    }
    for (i = 0; i < n; i++)
        p->n0[i] *= fibres / sum;
    cum = 0;
    for (i = 0; i < n; i++) {
        p->type[i] = cum >= P.type1_fraction * fibres;
        cum += p->n0[i];
        p->alive[i] = 1;
        p->nf[i] = p->n0[i];
        p->asum[i] = p->nf[i] * (p->type[i] ? P.area2 : 1.0);
        p->ftrain[i] = 1;
        p->fuse[i] = 1;
        p->capn0[i] = p->cap * p->n0[i];
        p->clock[i] = -log(1.0 - sarx__rng_uniform(&p->rng)); /* Exp(1) */
        p->live[i] = i;
    }
    p->na = n;
    p->e_max = SARX__RR + (SARX__PFRL - SARX__MFR);
    p->nu_train = p->va_train = 1;
    return p;
}

/* ---- the state of one day or week ------------------------------------ */
typedef struct env {
    double dt_days;
    double age;
    int activity;
    double protein, inflam, hormone;
    int disuse, micro;      /* unloading */
    double train_e;         /* excitation reached by this period's training, 0 = none */
    double train_dose;      /* weekly stimulus, 0..1 */
    double train_rfd;       /* fraction of sessions above 85 % 1RM */
} env;

/* The part of the fibre-size set-point that protein, inflammation and
** hormones set, the same for every unit. */
static double base_setpoint(double protein, double inflam, double hormone)
{
    double prot = protein < 0.8 ? 1 - 0.05 * (0.8 - protein) / 0.8 : 1;
    return prot * (1 - 0.02 * inflam) * hormone;
}

/* The habitual daily peak drive (excitation) at an age. */
static double daily_peak(const sarx__person *p, int activity, double age)
{
    return daily_drive[activity] * (age > 30 ? fmax(0.5, 1 - P.daily_decline * (age - 30)) : 1) * p->e_max;
}

/* One step of the slow clock. */
static void step(sarx__person *p, const env *e)
{
    const double dt_y = e->dt_days / DAYS_PER_YEAR, a = e->age;
    double h = a >= 25 ? P.h0 * exp(P.h_gamma * (a - 25)) : P.h0;
    double spare = 0, n0sum = 0, wsum = 0, dtot = 0, kdecay, kstage, sp, adopted = 0, area_per = 0,
           share = 0, type1_share = 0, train_target;
    double daily = daily_peak(p, e->activity, a), base_target = base_setpoint(e->protein, e->inflam, e->hormone);
    double gain_scale = (a > 65 ? 1 - P.anabolic_resistance : 1) *
                        (1 + 0.27 * fmin(1, fmax(0, (e->protein - 0.8) / 0.82))) * p->resp;
    double kloss = 1 - exp(-e->dt_days / P.tau_loss), kgain = 1 - exp(-e->dt_days / P.tau_gain);
    double kuse = 1 - exp(-e->dt_days / P.tau_use);
    double knu = 1 - exp(-e->dt_days / 28.0);
    int i, j, t, s;
    train_target = 1 + P.g_max * e->train_dose * gain_scale;
    h *= p->hazard_z * (1 + 0.1 * e->inflam);
    p->hcum[0] += h * dt_y;
    p->hcum[1] += h * P.m_fast * dt_y;
    /* 1. motor-neuron death: the unit's fibres become denervated; the
    ** survivors' spare sprouting capacity is summed on the way */
    for (j = 0; j < p->na;) {
        i = p->live[j];
        if (p->hcum[p->type[i]] >= p->clock[i]) {
            p->alive[i] = 0;
            p->dcount[p->type[i]][0] += p->nf[i];
            p->darea[p->type[i]][0] += p->asum[i];
            p->nf[i] = 0;
            p->live[j] = p->live[--p->na];
            continue;
        }
        sp = p->capn0[i] - p->nf[i];
        n0sum += p->n0[i];
        if (sp > 0) {
            spare += sp;
            wsum += sp * (p->type[i] ? 1.0 : P.w_slow);
        }
        j++;
    }
    /* 2. denervated fibres: atrophy, progress toward loss */
    kdecay = exp(-e->dt_days / P.tau_den);
    kstage = 1 - exp(-P.loss_rate * dt_y);
    for (t = 0; t < 2; t++) {
        for (s = STAGES - 1; s >= 0; s--) {
            double c = p->dcount[t][s], ar = p->darea[t][s], mv, fl = c * P.den_floor * (t ? P.area2 : 1.0);
            ar = fl + (ar - fl) * kdecay;
            mv = c * kstage;
            p->dcount[t][s] = c - mv;
            p->darea[t][s] = c > 0 ? ar * (c - mv) / c : 0;
            if (s + 1 < STAGES) {
                p->dcount[t][s + 1] += mv;
                p->darea[t][s + 1] += c > 0 ? ar * mv / c : 0;
            } else {
                p->lost[t] += mv;
            }
        }
    }
    for (t = 0; t < 2; t++)
        for (s = 0; s < STAGES; s++)
            dtot += p->dcount[t][s];
    /* 3. reinnervation: surviving units adopt denervated fibres up to the
    ** cap, in proportion to their spare capacity (slow units twice as
    ** readily); adopted fibres bring their area and take the unit's type */
    if (dtot > 0 && wsum > 0 && n0sum > 0) {
        double rdecl = a > 60 ? fmax(0, 1 - P.reinn_decline * (a - 60)) : 1, area_in = 0, type1_in = 0;
        adopted = (1 - exp(-P.reinnervation * p->reinn_z * rdecl * (spare / n0sum) * dt_y)) * dtot;
        if (adopted > wsum / P.w_slow) /* no unit may be given more than its spare capacity */
            adopted = wsum / P.w_slow;
        for (t = 0; t < 2; t++)
            for (s = 0; s < STAGES; s++) {
                double f = adopted / dtot;
                area_in += p->darea[t][s] * f;
                if (t == 0)
                    type1_in += p->dcount[t][s] * f;
                p->dcount[t][s] *= 1 - f;
                p->darea[t][s] *= 1 - f;
            }
        area_per = area_in / adopted;
        share = adopted / wsum;
        type1_share = type1_in / adopted;
    }
    /* 4. fibre size toward the set-point (and the adoption of step 3) */
    for (j = 0; j < p->na; j++) {
        double target, load, use, tr;
        i = p->live[j];
        if (adopted > 0 && (sp = p->capn0[i] - p->nf[i]) > 0) {
            double k = sp * (p->type[i] ? 1.0 : P.w_slow) * share;
            if (k > sp)
                k = sp;
            p->asum[i] += k * area_per;
            p->converted += p->type[i] ? k * type1_share : k * (1 - type1_share);
            p->nf[i] += k;
        }
        /* use it or lose it: units above the habitual daily drive shrink [A] */
        use = p->rte[i] <= daily ? 1.0 : P.unused_area;
        p->fuse[i] += (use - p->fuse[i]) * kuse;
        /* training: units recruited by the sessions grow */
        tr = 1;
        if (e->train_e > 0 && p->rte[i] <= e->train_e)
            tr = train_target;
        p->ftrain[i] += (tr - p->ftrain[i]) * kgain; /* training gains build like fibre area */
        load = e->micro ? (p->type[i] ? P.micro_load2 : P.micro_load1) : e->disuse ? P.disuse_load : 1;
        target = (p->type[i] ? P.area2 : 1.0) * p->fuse[i] * p->ftrain[i] * base_target * load * p->nf[i];
        p->asum[i] += (target - p->asum[i]) * (target < p->asum[i] ? kloss : kgain);
    }
    /* 5. neural factors */
    {
        double nu_t = 1 + P.rfd_nu * e->train_rfd, va_t = 1;
        if (e->disuse || e->micro)
            va_t = P.disuse_va;
        else if (e->train_e > 0)
            va_t = 1 + P.train_va * e->train_dose;
        p->nu_train += (nu_t - p->nu_train) * knu;
        /* activation falls within days of unloading [A], recovers over weeks */
        p->va_train += (va_t - p->va_train) * (va_t < p->va_train ? 1 - exp(-e->dt_days / 7.0) : knu);
    }
}

/* ---- what a test would measure ------------------------------------------- */
typedef struct meas {
    double units, fibres, denervated, type1, mass, force, power, rfd, area1, area2, size, converted;
} meas;

static double nu_age(double a) { return a > 60 ? 1 - P.nu_decline * (a - 60) : 1; }
static double ct_age(double a) { return a > 50 ? 1 + P.ct_slowing * (a - 50) : 1; }
static double va_age(double a) { return a > 60 ? 1 - P.va_decline * (a - 60) : 1; }

/* Peak power of the two fibre-type groups with Hill force-velocity curves
** (k = 0.25, Vmax II / I = 3) [A], maximised on a grid. */
static double peak_power(double f1, double f2)
{
    double best = 0;
    int k;
    for (k = 1; k < 300; k++) {
        double v = 3.0 * k / 300.0, f = 0;
        if (v < 1)
            f += f1 * (1 - v) / (1 + v / 0.25);
        f += f2 * (1 - v / 3.0) / (1 + v / 0.75);
        if (f * v > best)
            best = f * v;
    }
    return best;
}

/* Rate of force development of a maximal explosive contraction: every unit
** fires from an onset of 0-10 ms at nu * min(1.5 pfr, 100 Hz), relaxing to
** pfr with tau 50 ms [A]; each spike adds a twitch f(t) = P (t/T) e^(1-t/T)
** (Fuglevand 1993) scaled by the Eq. 17 gain of its interval; 1-kHz samples
** (the twitch is the impulse response of y[k] = 2a y[k-1] - a^2 y[k-2] +
** a u[k-1], a = exp(-1 ms / T), exact at the samples); RFD = F(50 ms) /
** 50 ms. */
#define RFD_MS 50
static double rfd(const sarx__person *p, double nu, double va, double ct)
{
    double f[RFD_MS + 1], imp[RFD_MS + 1];
    int i, k;
    memset(f, 0, sizeof f);
    for (i = 0; i < p->n; i++) {
        double T, a, scale, y1 = 0, y2 = 0, ts, prev = -1, pf;
        if (!p->alive[i] || p->nf[i] <= 0)
            continue;
        T = p->t[i] * ct;
        a = exp(-1.0 / T);
        scale = p->asum[i] * exp(1.0) / T;
        pf = p->pfr[i] * nu;
        memset(imp, 0, sizeof imp);
        for (ts = (double)((i * 7919) % 11); ts < RFD_MS; prev = ts) {
            double r = pf + (fmin(1.5 * p->pfr[i], 100.0) * nu - pf) * exp(-ts / 50.0);
            imp[(int)lround(ts)] += prev < 0 ? 1.0 : sarx__spike_gain(T / (ts - prev));
            ts += 1000.0 / r;
        }
        for (k = 1; k <= RFD_MS; k++) {
            double y = 2 * a * y1 - a * a * y2 + a * imp[k - 1];
            y2 = y1;
            y1 = y;
            f[k] += scale * y;
        }
    }
    return va * f[RFD_MS] / (RFD_MS / 1000.0);
}

static void measure(const sarx__person *p, double age, int with_rfd, meas *m)
{
    double nu = nu_age(age) * p->nu_train, va = va_age(age) * p->va_train, f1 = 0, f2 = 0, a1 = 0, a2 = 0,
           c1 = 0, c2 = 0;
    int i, t, s;
    memset(m, 0, sizeof *m);
    for (i = 0; i < p->n; i++) {
        double fo;
        if (!p->alive[i])
            continue;
        m->units++;
        m->fibres += p->nf[i];
        m->mass += p->asum[i];
        fo = p->asum[i] * sarx__pr(p->t[i] * ct_age(age) * p->pfr[i] * nu / 1000.0);
        if (p->type[i]) {
            f2 += fo, a2 += p->asum[i], c2 += p->nf[i];
        } else {
            f1 += fo, a1 += p->asum[i], c1 += p->nf[i];
            m->type1 += p->nf[i];
        }
    }
    for (t = 0; t < 2; t++)
        for (s = 0; s < STAGES; s++) {
            m->denervated += p->dcount[t][s];
            m->mass += p->darea[t][s];
        }
    m->force = va * (f1 + f2);
    m->power = va * peak_power(f1, f2);
    m->type1 = m->fibres > 0 ? m->type1 / m->fibres : NAN;
    m->area1 = c1 > 0 ? a1 / c1 : NAN;
    m->area2 = c2 > 0 ? a2 / c2 / P.area2 : NAN;
    m->size = m->units > 0 ? m->fibres / m->units : NAN;
    m->converted = p->converted;
    m->rfd = with_rfd ? rfd(p, nu, va, ct_age(age)) : NAN;
}

/* ---- a scenario over time ---------------------------------------------- */
static const char *const columns[] = {
    "age_years",       "motor_units",   "motor_units_rel",      "muscle_mass_rel",
    "max_force_rel",   "power_rel",     "rfd_rel",              "type1_fiber_fraction",
    "fibers_rel",      "denervated_fraction", "unit_size_rel",  "type1_area_rel",
    "type2_area_rel",  "converted_fraction",
};
enum { NCOL = sizeof columns / sizeof columns[0] };

size_t sarx_sim_column_count(void) { return NCOL; }
const char *sarx_sim_column_name(size_t i) { return i < NCOL ? columns[i] : NULL; }

struct sarx_sim_result {
    size_t rows, cap;
    double *v; /* rows x NCOL */
};

void sarx_sim_result_free(sarx_sim_result *r)
{
    if (!r)
        return;
    free(r->v);
    free(r);
}
size_t sarx_sim_result_rows(const sarx_sim_result *r) { return r ? r->rows : 0; }
double sarx_sim_result_value(const sarx_sim_result *r, size_t row, size_t col)
{
    return r && row < r->rows && col < NCOL ? r->v[row * NCOL + col] : NAN;
}

/* Training weight by intensity (% 1RM): 0 below 40, rising to 1 at 60, 1 to
** 85, 0.8 above (docs/SIMULATOR.md, after the 60-85 % window of Kwan, J Aging Res 2013;2013:791679) [A]. */
static double train_weight(double pct)
{
    if (pct < 40)
        return 0;
    if (pct < 60)
        return (pct - 40) / 20;
    return pct <= 85 ? 1 : 0.8;
}

/* The excitation at which the young, fresh pool gives pct % of its maximal
** force: units at or below it are recruited by a set at that intensity. */
static double excitation_for(const sarx__person *p, double pct)
{
    double lo = 0, hi = p->e_max, fmax = 0;
    int i, it;
    for (i = 0; i < p->n; i++)
        fmax += p->n0[i] * sarx__pr(p->t[i] * p->pfr[i] / 1000.0);
    for (it = 0; it < 50; it++) {
        double mid = 0.5 * (lo + hi), f = 0;
        for (i = 0; i < p->n; i++) {
            double r;
            if (mid < p->rte[i])
                continue;
            r = fmin(p->pfr[i], mid - p->rte[i] + SARX__MFR);
            f += p->n0[i] * sarx__pr(p->t[i] * r / 1000.0);
        }
        if (f < pct / 100.0 * fmax)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

static int active(const sarx__intervention *iv, double age)
{
    return age >= iv->start_age - 1e-9 && age < iv->start_age + iv->days / DAYS_PER_YEAR - 1e-9;
}

static void make_env(const sarx_scenario *sc, const sarx__person *p, double age, env *e, double *train_e)
{
    int k;
    memset(e, 0, sizeof *e);
    e->age = age;
    e->activity = sc->activity;
    e->protein = sc->protein_g_kg;
    e->inflam = sc->inflammation_z;
    e->hormone = sc->hormone_factor;
    for (k = 0; k < sc->niv; k++) {
        const sarx__intervention *iv = &sc->iv[k];
        if (!active(iv, age))
            continue;
        switch (iv->kind) {
        case SARX__IV_TRAINING:
            if (train_e[k] < 0) /* once per intervention and run */
                train_e[k] = excitation_for(p, iv->intensity);
            e->train_e = train_e[k];
            e->train_dose = train_weight(iv->intensity) * fmin(1, iv->sessions_week / 3.0) *
                            fmin(1, iv->sets * iv->reps / 30.0);
            e->train_rfd = iv->intensity > 85 ? 1 : 0;
            break;
        case SARX__IV_BED_REST:
        case SARX__IV_IMMOBILIZATION:
            e->disuse = 1;
            break;
        case SARX__IV_MICROGRAVITY:
            e->micro = 1;
            break;
        case SARX__IV_PROTEIN:
            e->protein = iv->value;
            break;
        case SARX__IV_INFLAMMATION:
            e->inflam = iv->value;
            break;
        case SARX__IV_HORMONE:
            e->hormone = iv->value;
            break;
        case SARX__IV_ACTIVITY:
            e->activity = (int)iv->value;
            break;
        }
    }
}

static int any_active(const sarx_scenario *sc, double age)
{
    int k;
    for (k = 0; k < sc->niv; k++)
        if (active(&sc->iv[k], age) && sc->iv[k].kind != SARX__IV_ACTIVITY && sc->iv[k].kind != SARX__IV_PROTEIN &&
            sc->iv[k].kind != SARX__IV_INFLAMMATION && sc->iv[k].kind != SARX__IV_HORMONE)
            return 1;
    return 0;
}

/* The next age an intervention starts or ends after age (or end). */
static double next_edge(const sarx_scenario *sc, double age, double end)
{
    int k;
    for (k = 0; k < sc->niv; k++) {
        double s = sc->iv[k].start_age, f = s + sc->iv[k].days / DAYS_PER_YEAR;
        if (s > age + 1e-9 && s < end)
            end = s;
        if (f > age + 1e-9 && f < end)
            end = f;
    }
    return end;
}

static void row_from(const meas *m, const meas *ref, double age, double n_start, double fibres0, double *row)
{
    row[0] = age;
    row[1] = m->units;
    row[2] = m->units / n_start;
    row[3] = m->mass / ref->mass;
    row[4] = m->force / ref->force;
    row[5] = m->power / ref->power;
    row[6] = m->rfd / ref->rfd;
    row[7] = m->type1;
    row[8] = m->fibres / ref->fibres;
    row[9] = m->denervated / (m->fibres + m->denervated);
    row[10] = m->size / ref->size;
    row[11] = m->area1 / ref->area1;
    row[12] = m->area2 / ref->area2;
    row[13] = m->converted / fibres0;
}

/* Run sc for one person (its traits drawn from stream when sc->vary), calling
** report at each reported age.  with_rfd: compute the twitch-level RFD. */
typedef int (*report_fn)(void *ud, double age, const meas *m, const meas *ref);

/* Start at the steady state of the starting age and habitual activity: use
** factors and fibre areas at their set-points. */
static void equilibrate(sarx__person *p, const sarx_scenario *sc, double age)
{
    double daily = daily_peak(p, sc->activity, age),
           base = base_setpoint(sc->protein_g_kg, sc->inflammation_z, sc->hormone_factor);
    int i;
    for (i = 0; i < p->n; i++) {
        p->fuse[i] = p->rte[i] <= daily ? 1.0 : P.unused_area;
        p->asum[i] = p->nf[i] * (p->type[i] ? P.area2 : 1.0) * p->fuse[i] * base;
    }
}

static int run(const sarx_scenario *sc, uint64_t seed, uint64_t stream, int sex, int with_rfd, int vary,
               const double *ages, size_t nages, report_fn report, void *ud)
{
    sarx__person *p = sarx__person_new(sc->motor_units, sex, sc->activity, sc->hazard_factor, vary, seed, stream);
    /* every person starts as a 20-year-old; start_age is where reporting begins */
    double age = MODEL_START_AGE, next_report = ages ? ages[0] : sc->report_from_age, train_e[SARX__MAX_INTERVENTIONS];
    double end = ages ? ages[nages - 1] : sc->end_age, *early_age = NULL;
    /* relative to 25 y (always for a population): points reported before 25
    ** wait for the reference */
    int ref_at_25 = (ages || !sc->relative_to_start) && end >= 25, have_ref = 0, rc = SARX_OK;
    size_t iage = 0, nearly = 0, k;
    meas ref, m, *early = NULL;
    const double eps = 1e-9;
    if (!p)
        return SARX_ENOMEM;
    for (k = 0; k < SARX__MAX_INTERVENTIONS; k++)
        train_e[k] = -1;
    equilibrate(p, sc, age);
    for (;;) {
        env e;
        double dt, lim;
        if (ref_at_25 && !have_ref && age >= 25 - eps) {
            measure(p, 25, with_rfd, &ref);
            have_ref = 1;
            for (k = 0; k < nearly && rc == SARX_OK; k++)
                rc = report(ud, early_age[k], &early[k], &ref);
            if (rc != SARX_OK)
                break;
        }
        if (age >= next_report - eps) {
            measure(p, age, with_rfd, &m);
            if (!have_ref && !ref_at_25) {
                ref = m;
                have_ref = 1;
            }
            if (have_ref) {
                if ((rc = report(ud, age, &m, &ref)) != SARX_OK)
                    break;
            } else { /* before 25: keep it */
                meas *ne = realloc(early, (nearly + 1) * sizeof *ne);
                double *na = realloc(early_age, (nearly + 1) * sizeof *na);
                if (ne)
                    early = ne;
                if (na)
                    early_age = na;
                if (!ne || !na) {
                    rc = SARX_ENOMEM;
                    break;
                }
                early[nearly] = m;
                early_age[nearly++] = age;
            }
            if (ages)
                next_report = ++iage < nages ? ages[iage] : end + 1;
            else
                next_report += sc->report_every_days / DAYS_PER_YEAR;
        }
        if (age >= end - eps)
            break;
        dt = any_active(sc, age) ? 1.0 : SLOW_STEP_DAYS;
        lim = fmin(next_report, next_edge(sc, age, end));
        if (ref_at_25 && !have_ref)
            lim = fmin(lim, 25);
        if (lim > age + eps && (lim - age) * DAYS_PER_YEAR < dt)
            dt = (lim - age) * DAYS_PER_YEAR;
        make_env(sc, p, age, &e, train_e);
        e.dt_days = dt;
        step(p, &e);
        age += dt / DAYS_PER_YEAR;
    }
    free(early);
    free(early_age);
    sarx__person_free(p);
    return rc;
}

typedef struct collect {
    sarx_sim_result *r;
    double n_start, fibres0;
    int first;
} collect;

static int collect_row(void *ud, double age, const meas *m, const meas *ref)
{
    collect *c = ud;
    sarx_sim_result *r = c->r;
    if (r->rows == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 128;
        double *v = realloc(r->v, cap * NCOL * sizeof *v);
        if (!v)
            return SARX_ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    if (c->first) {
        c->n_start = ref->units;
        c->fibres0 = ref->fibres + ref->denervated;
        c->first = 0;
    }
    row_from(m, ref, age, c->n_start, c->fibres0, r->v + r->rows * NCOL);
    r->rows++;
    return SARX_OK;
}

int sarx_simulate(const sarx_scenario *sc, unsigned long long seed, sarx_sim_result **out, sarx_error *err)
{
    collect c;
    int rc;
    if (!sc || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    memset(&c, 0, sizeof c);
    c.first = 1;
    if (!(c.r = calloc(1, sizeof *c.r)))
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    rc = run(sc, seed, 0, sc->sex ? sc->sex : SARX__MALE, 1, sc->vary, NULL, 0, collect_row, &c);
    if (rc != SARX_OK) {
        sarx_sim_result_free(c.r);
        return sarx__err(err, rc, "", "", "", "%s", sarx_strerror(rc));
    }
    *out = c.r;
    return SARX_OK;
}

/* ---- a person of a virtual population ------------------------------------ */
typedef struct traj {
    double *rel;
} traj;

static int traj_row(void *ud, double age, const meas *m, const meas *ref)
{
    traj *t = ud;
    (void)age;
    t->rel[0] = m->force / ref->force;
    t->rel[1] = m->power / ref->power;
    t->rel[2] = m->mass / ref->mass;
    t->rel += SARX__TRAJ;
    return SARX_OK;
}

int sarx__sim_trajectory(const sarx_scenario *sc, uint64_t seed, uint64_t stream, int sex, const double *ages,
                         size_t nages, double *rel)
{
    traj t;
    t.rel = rel;
    return run(sc, seed, stream, sex, 0, 1, ages, nages, traj_row, &t);
}
