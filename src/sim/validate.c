/*
** validate.c — the simulator held to its published targets (targets.c):
** a virtual population measured every 2.5 years from 60 to 90 and
** diagnosed by the engine, for the centile, norm and prevalence targets,
** and the lifespan cohorts of sarx_simulate for the trajectory targets.
** docs/SIMULATOR.md, "Validation", sets out the method and the results.
*/
#include "sim.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- the validation population ------------------------------------------ */
typedef struct vwork {
    pthread_t th;
    sarx__vpop *v;
    long first, count;
    void (*progress)(void *ud, long done);
    void *ud;
    int rc;
} vwork;

static void *vpop_work(void *arg)
{
    vwork *w = arg;
    sarx__vpop *v = w->v;
    double ages[SARX__GRID_AGES];
    long i;
    int k;
    for (k = 0; k < SARX__GRID_AGES; k++)
        ages[k] = SARX__GRID_AGE(k);
    for (i = w->first; i < w->first + w->count && w->rc == SARX_OK; i++) {
        sarx__sim_latent(v->sc, v->seed, i, &v->latent[i]);
        sarx__sim_noise(v->seed, i, ages, SARX__GRID_AGES, v->noise + (size_t)i * SARX__GRID_AGES * SARX__NOISE);
        w->rc = sarx__sim_trajectory(v->sc, v->seed, 3 * (uint64_t)i, v->latent[i].sex, ages, SARX__GRID_AGES,
                                     v->rel + (size_t)i * SARX__GRID_AGES * SARX__TRAJ);
        if (w->progress)
            w->progress(w->ud, 1);
    }
    return NULL;
}

int sarx__vpop_new(sarx__vpop *v, const sarx_scenario *sc, unsigned long long seed, long people, int threads)
{
    return sarx__vpop_new_ex(v, sc, seed, people, threads, NULL, NULL);
}

int sarx__vpop_new_ex(sarx__vpop *v, const sarx_scenario *sc, unsigned long long seed, long people, int threads,
                      void (*progress)(void *ud, long done), void *ud)
{
    vwork *w;
    int t, rc = SARX_OK;
    size_t rows = (size_t)people * SARX__GRID_AGES;
    memset(v, 0, sizeof *v);
    if (people < 1 || threads < 1)
        return SARX_EINVAL;
    v->sc = sc;
    v->seed = seed;
    v->people = people;
    v->latent = malloc((size_t)people * sizeof *v->latent);
    v->rel = malloc(rows * SARX__TRAJ * sizeof *v->rel);
    v->noise = malloc(rows * SARX__NOISE * sizeof *v->noise);
    v->meas = malloc(rows * SARX__NMEAS * sizeof *v->meas);
    if (threads > people)
        threads = (int)people;
    w = calloc((size_t)threads, sizeof *w);
    if (!v->latent || !v->rel || !v->noise || !v->meas || !w) {
        free(w);
        sarx__vpop_free(v);
        return SARX_ENOMEM;
    }
    for (t = 0; t < threads; t++) {
        long per = people / threads, extra = people % threads;
        w[t].v = v;
        w[t].progress = progress;
        w[t].ud = ud;
        w[t].first = t * per + (t < extra ? t : extra);
        w[t].count = per + (t < extra);
    }
    for (t = 1; t < threads; t++)
        if (pthread_create(&w[t].th, NULL, vpop_work, &w[t]) != 0)
            vpop_work(&w[t]), w[t].th = 0;
    vpop_work(&w[0]);
    for (t = 0; t < threads; t++) {
        if (t > 0 && w[t].th)
            pthread_join(w[t].th, NULL);
        if (w[t].rc != SARX_OK)
            rc = w[t].rc;
    }
    free(w);
    if (rc != SARX_OK)
        sarx__vpop_free(v);
    return rc;
}

void sarx__vpop_free(sarx__vpop *v)
{
    free(v->latent);
    free(v->rel);
    free(v->noise);
    free(v->meas);
    memset(v, 0, sizeof *v);
}

void sarx__vpop_map(sarx__vpop *v, const sarx__simmap *m)
{
    long i;
    int k;
    for (i = 0; i < v->people; i++)
        for (k = 0; k < SARX__GRID_AGES; k++) {
            size_t r = (size_t)i * SARX__GRID_AGES + (size_t)k;
            sarx__sim_map(m, &v->latent[i], SARX__GRID_AGE(k), v->rel + r * SARX__TRAJ, v->noise + r * SARX__NOISE,
                          v->meas + r * SARX__NMEAS);
        }
}

int sarx__grid_weights(double lo, double hi, double mean, double *w)
{
    double base[SARX__GRID_AGES], klo = -3, khi = 3, k = 0, sum, m;
    int j, n = 0, it;
    /* the ages of [lo, hi] as a continuum: the trapezoid rule over the grid,
    ** its end points half (one age: all of it) */
    for (j = 0; j < SARX__GRID_AGES; j++) {
        double a = SARX__GRID_AGE(j);
        int in = a >= lo - 1e-9 && a <= hi + 1e-9;
        base[j] = !in ? 0 : hi - lo < 1e-9 ? 1 : (fabs(a - lo) < 1e-9 || fabs(a - hi) < 1e-9) ? 0.5 : 1;
        n += in;
    }
    if (!n)
        return 0;
    /* weighted to a mean age: exp(k age) times the above, k by bisection (the
    ** mean rises with k); a mean outside the range cannot be reached */
    if (mean > 0) {
        if (!(mean > lo && mean < hi))
            return 0;
        for (it = 0; it < 100; it++) {
            k = (klo + khi) / 2;
            for (sum = 0, m = 0, j = 0; j < SARX__GRID_AGES; j++) {
                double x = base[j] * exp(k * (SARX__GRID_AGE(j) - 75));
                sum += x;
                m += x * SARX__GRID_AGE(j);
            }
            if (m / sum < mean)
                klo = k;
            else
                khi = k;
        }
    }
    for (sum = 0, j = 0; j < SARX__GRID_AGES; j++) {
        w[j] = base[j] * exp(k * (SARX__GRID_AGE(j) - 75));
        sum += w[j];
    }
    for (j = 0; j < SARX__GRID_AGES; j++)
        w[j] /= sum;
    return n;
}

/* A row's value of measure m (SARX__M_* or SARX__D_*). */
static double value_of(const double *row, int m)
{
    double h2 = row[SARX__M_HEIGHT] * row[SARX__M_HEIGHT] / 10000.0;
    switch (m) {
    case SARX__D_ASMI: return row[SARX__M_ASM] / h2;
    case SARX__D_BMI: return row[SARX__M_WEIGHT] / h2;
    case SARX__D_SMI: return row[SARX__M_SMM] / h2;
    case SARX__D_ALMBMI: return row[SARX__M_ASM] / (row[SARX__M_WEIGHT] / h2);
    case SARX__D_BALANCE: {
        return row[SARX__M_SPPB] - sarx__sppb_walk(4.0 / row[SARX__M_GAIT]) - sarx__sppb_chair(row[SARX__M_CHAIR]);
    }
    default: return row[m];
    }
}

typedef struct wv {
    double v, w;
} wv;
static int wv_cmp(const void *a, const void *b)
{
    double x = ((const wv *)a)->v, y = ((const wv *)b)->v;
    return x < y ? -1 : x > y;
}

static int sex_matches(int want, const sarx__latent *l) { return !want || want == l->sex; }

int sarx__vpop_stat(const sarx__vpop *v, const sarx__target *t, double *out)
{
    double w[SARX__GRID_AGES], sw = 0, acc = 0, res = NAN;
    wv *vals;
    size_t n = 0;
    long i;
    int k;
    *out = NAN;
    if ((t->kind != SARX_SIM_TARGET_CENTILE && t->kind != SARX_SIM_TARGET_NORM) ||
        !sarx__grid_weights(t->age_lo, t->age_hi, t->mean_age, w))
        return SARX_EINVAL; /* not a statistic, or a range without a grid age */
    if (!(vals = malloc((size_t)v->people * SARX__GRID_AGES * sizeof *vals)))
        return SARX_ENOMEM;
    for (i = 0; i < v->people; i++) {
        if (!sex_matches(t->sex, &v->latent[i]))
            continue;
        for (k = 0; k < SARX__GRID_AGES; k++)
            if (w[k] > 0) {
                const double *row = v->meas + ((size_t)i * SARX__GRID_AGES + (size_t)k) * SARX__NMEAS;
                vals[n].v = value_of(row, t->measure);
                vals[n++].w = w[k];
            }
    }
    /* every person is measured at every age, so each age has as many rows:
    ** its weight w[k] on each row is its share, and sw below normalises */
    if (t->centile > 0) {
        size_t j;
        qsort(vals, n, sizeof *vals, wv_cmp);
        for (j = 0; j < n; j++)
            sw += vals[j].w;
        for (j = 0; j < n; j++) {
            acc += vals[j].w;
            if (acc >= t->centile * sw) {
                res = vals[j].v;
                break;
            }
        }
    } else {
        size_t j;
        for (j = 0; j < n; j++) {
            double x = vals[j].v;
            sw += vals[j].w;
            if (t->centile == SARX__STAT_MEAN)
                acc += vals[j].w * x;
            else if (t->centile == SARX__STAT_BELOW)
                acc += vals[j].w * (x < t->cut);
            else if (t->centile == SARX__STAT_AT_OR_ABOVE)
                acc += vals[j].w * (x >= t->cut);
            else
                acc += vals[j].w * (x <= t->cut);
        }
        res = sw > 0 ? acc / sw : NAN;
        if (t->centile != SARX__STAT_MEAN)
            res *= 100;
    }
    free(vals);
    *out = res;
    return SARX_OK;
}

/* ---- prevalence: the rows diagnosed by the engine -------------------------- */
/* The cohort's header: the measures, and the mass method. */
static const char *const vheader[] = {"sex", "age_years", "height_cm", "weight_kg", "grip_kg", "gait_speed_m_s",
                                      "asm_kg", "smm_kg", "chair_stand_5x_s", "sppb_score", "asm_method"};
enum { VCOLS = sizeof vheader / sizeof vheader[0] };

/* The field bit of each measure column (0: always given). */
static unsigned field_of(int m)
{
    switch (m) {
    case SARX__M_GRIP: return SARX__FLD_GRIP;
    case SARX__M_GAIT: return SARX__FLD_GAIT;
    case SARX__M_ASM: return SARX__FLD_ASM;
    case SARX__M_SMM: return SARX__FLD_SMM;
    case SARX__M_CHAIR: return SARX__FLD_CHAIR;
    case SARX__M_SPPB: return SARX__FLD_SPPB;
    case SARX__M_WEIGHT: return SARX__FLD_WEIGHT;
    default: return 0;
    }
}

/* Classify every row of v from the fields in mask, asm_kg measured by
** method ("dxa" or "bia"); cls: rows x ndefs. */
static int classify_rows(const sarx__vpop *v, const sarx_ctx *ctx, unsigned mask, const char *method,
                         sarx_class *cls)
{
    size_t hl[VCOLS], rows = (size_t)v->people * SARX__GRID_AGES, r, nd = sarx_definition_count(ctx);
    const size_t step = 65536;
    sarx_column cols[VCOLS];
    const char **text = malloc(2 * rows * sizeof *text), **sex = text, **meth = text + rows;
    sarx_cohort *c = NULL;
    int k, rc = SARX_OK;
    for (k = 0; k < VCOLS; k++)
        hl[k] = strlen(vheader[k]);
    if (!text)
        return SARX_ENOMEM;
    if ((rc = sarx_cohort_new(ctx, (char *const *)vheader, hl, VCOLS, 0, &c, NULL)) != SARX_OK) {
        free(text);
        return rc;
    }
    for (r = 0; r < rows; r++) {
        sex[r] = v->meas[r * SARX__NMEAS + SARX__M_SEX] == SARX__MALE ? "male" : "female";
        meth[r] = method;
    }
    memset(cols, 0, sizeof cols);
    cols[0].type = SARX_COLUMN_TEXT;
    cols[0].data = sex;
    for (k = 1; k < SARX__NMEAS; k++) {
        unsigned f = field_of(k);
        cols[k].type = !f || (mask & f) ? SARX_COLUMN_DOUBLE : SARX_COLUMN_NONE;
        cols[k].data = v->meas + k;
        cols[k].stride = (ptrdiff_t)(SARX__NMEAS * sizeof(double));
    }
    cols[VCOLS - 1].type = SARX_COLUMN_TEXT;
    cols[VCOLS - 1].data = meth;
    for (r = 0; rc == SARX_OK && r < rows; r += step) {
        size_t n = rows - r < step ? rows - r : step;
        sarx_error e;
        long rej = sarx_cohort_columns(c, cols, VCOLS, r, n, cls + r * nd, NULL, NULL, NULL, &e);
        if (rej < 0)
            rc = e.code; /* out of memory */
        else if (rej > 0)
            rc = SARX_EINVAL; /* the model's values are all in their fields' ranges: a rejected row is a bug */
    }
    sarx_cohort_free(c);
    free(text);
    return rc;
}

/* Does a classified row count for target t? 1 counted positive, 0 counted
** negative, -1 not counted (the definition does not apply). */
static int row_reading(const sarx__target *t, const sarx_definition *def, sarx_class c)
{
    int reading = sarx_definition_reading(def, c);
    if (reading == SARX_READING_NOT_APPLICABLE)
        return -1;
    if (!t->categories) /* a study counts what it could not decide as not sarcopenic */
        return reading == SARX_READING_POSITIVE;
    if (c.category == SARX_INDETERMINATE)
        return 0;
    {
        const char *name = sarx_definition_category(def, c.category), *p = t->categories;
        size_t len = strlen(name);
        while (*p) {
            size_t n = strcspn(p, "|");
            if (n == len && strncmp(p, name, n) == 0)
                return 1;
            p += n + (p[n] == '|');
        }
    }
    return 0;
}

static double prevalence_of(const sarx__vpop *v, const sarx_ctx *ctx, const sarx__target *t, const sarx_class *cls)
{
    const sarx_definition *def = sarx_definition_find(ctx, t->definition);
    size_t nd = sarx_definition_count(ctx), d;
    double w[SARX__GRID_AGES], res = 0;
    long pos[SARX__GRID_AGES] = {0}, all[SARX__GRID_AGES] = {0}, i;
    int k;
    if (!def || !sarx__grid_weights(t->age_lo, t->age_hi, t->mean_age, w))
        return NAN;
    for (d = 0; d < nd && sarx_definition_at(ctx, d) != def; d++)
        ;
    for (i = 0; i < v->people; i++) {
        if (!sex_matches(t->sex, &v->latent[i]))
            continue;
        for (k = 0; k < SARX__GRID_AGES; k++)
            if (w[k] > 0) {
                int x = row_reading(t, def, cls[((size_t)i * SARX__GRID_AGES + (size_t)k) * nd + d]);
                if (x >= 0) {
                    all[k]++;
                    pos[k] += x;
                }
            }
    }
    for (k = 0; k < SARX__GRID_AGES; k++)
        if (w[k] > 0) {
            if (!all[k])
                return NAN;
            res += w[k] * (double)pos[k] / (double)all[k];
        }
    return 100 * res;
}

/* The comparison's counts: every definition, the US population fully measured. */
static void count_compare(sarx_sim_validation *val, const sarx__vpop *v, const sarx_class *cls)
{
    size_t d, nd = val->ndefs;
    long i;
    int k;
    for (i = 0; i < v->people; i++) {
        int s = v->latent[i].sex == SARX__MALE ? 0 : 1;
        for (k = 0; k < SARX__GRID_AGES; k++)
            for (d = 0; d < nd; d++) {
                int reading = sarx_definition_reading(sarx_definition_at(val->ctx, d),
                                                      cls[((size_t)i * SARX__GRID_AGES + (size_t)k) * nd + d]);
                size_t at = (d * 2 + (size_t)s) * SARX__GRID_AGES + (size_t)k;
                if (reading == SARX_READING_POSITIVE || reading == SARX_READING_NEGATIVE) {
                    val->dec[at]++;
                    val->pos[at] += reading == SARX_READING_POSITIVE;
                }
            }
    }
}

/* How asm_kg was measured: DXA in the US population (NHANES), BIA in the
** Korean one (KNHANES 2022), whose AWGS cut-offs differ (docs/SIMULATOR.md). */
static const char *method_of(int ref) { return ref == SARX__REF_KOREA ? "bia" : "dxa"; }

double sarx__vpop_prevalence(const sarx__vpop *v, const sarx_ctx *ctx, const sarx__target *t)
{
    size_t rows = (size_t)v->people * SARX__GRID_AGES;
    sarx_class *cls = malloc(rows * sarx_definition_count(ctx) * sizeof *cls);
    double r = NAN;
    if (cls && classify_rows(v, ctx, t->fields, method_of(t->ref), cls) == SARX_OK)
        r = prevalence_of(v, ctx, t, cls);
    free(cls);
    return r;
}

/* Every target's value: the population's (per reference population: the same
** people, measured with that population's mapping), then the lifespan ones. */
static int evaluate(sarx_sim_validation *val, sarx__vpop *v, double *vals)
{
    size_t nt = sarx__target_count(), nd = val->ndefs, i, rows = (size_t)v->people * SARX__GRID_AGES;
    sarx_class *cls = malloc(rows * nd * sizeof *cls);
    int ref, rc = SARX_OK;
    if (!cls)
        return SARX_ENOMEM;
    for (ref = 0; ref < SARX__REF_COUNT && rc == SARX_OK; ref++) {
        unsigned done = 0; /* the mask cls holds, + 1 (0: none) */
        int used = ref == SARX__REF_US;
        for (i = 0; i < nt; i++)
            used |= sarx__target_at(i)->ref == ref;
        if (!used)
            continue;
        sarx__simmap tmp;
        sarx__vpop_map(v, sarx__simmap_of(ref, &tmp));
        for (i = 0; i < nt && rc == SARX_OK; i++) {
            const sarx__target *t = sarx__target_at(i);
            if (t->ref != ref)
                continue;
            if (t->kind == SARX_SIM_TARGET_CENTILE || t->kind == SARX_SIM_TARGET_NORM) {
                if ((rc = sarx__vpop_stat(v, t, &vals[i])) != SARX_OK)
                    break;
            }
            else if (t->kind == SARX_SIM_TARGET_PREVALENCE) {
                if (done != t->fields + 1u) {
                    if ((rc = classify_rows(v, val->ctx, t->fields, method_of(ref), cls)) != SARX_OK)
                        break;
                    done = t->fields + 1u;
                }
                vals[i] = prevalence_of(v, val->ctx, t, cls);
            }
        }
        if (rc == SARX_OK && ref == SARX__REF_US && (rc = classify_rows(v, val->ctx, SARX__FLD_ALL, "dxa", cls)) == SARX_OK)
            count_compare(val, v, cls);
    }
    free(cls);
    return rc;
}

int sarx_sim_validate(unsigned long long seed, long people, int threads, sarx_sim_validation **out, sarx_error *err)
{
    return sarx_sim_validate_ex(seed, people, threads, NULL, NULL, out, err);
}

int sarx_sim_validate_ex(unsigned long long seed, long people, int threads, void (*progress)(void *ud, long done),
                         void *ud, sarx_sim_validation **out, sarx_error *err)
{
    sarx_sim_validation *val;
    sarx_scenario *sc = NULL;
    sarx__vpop v;
    double *vals, *life;
    size_t nt = sarx__target_count(), i;
    int rc;
    if (!out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    if (people < 1000 || people > SARX_SIM_VALIDATE_MAX)
        return sarx__err(err, SARX_ERANGE, "people", "", "1000-1000000",
                         "a validation population has 1,000 to 1,000,000 people (about 2.5 KB of memory each)");
    if (threads < 1 || threads > 256)
        return sarx__err(err, SARX_ERANGE, "threads", "", "1-256", "threads must be 1 to 256");
    val = calloc(1, sizeof *val);
    vals = malloc(2 * nt * sizeof *vals);
    if (!val || !vals) {
        free(val);
        free(vals);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    life = vals + nt;
    val->seed = seed;
    val->people = people;
    val->n = nt;
    rc = sarx_ctx_new(&val->ctx, NULL);
    if (rc == SARX_OK) {
        val->ndefs = sarx_definition_count(val->ctx);
        val->pos = calloc(2 * val->ndefs * 2 * SARX__GRID_AGES, sizeof *val->pos);
        val->checks = calloc(nt, sizeof *val->checks);
        if (!val->pos || !val->checks)
            rc = SARX_ENOMEM;
        else
            val->dec = val->pos + val->ndefs * 2 * SARX__GRID_AGES;
    }
    /* the population: the default scenario (moderate habitual activity; sex drawn), between-person variation on */
    if (rc == SARX_OK)
        rc = sarx_scenario_from_json("{}", 2, &sc, NULL);
    for (i = 0; i < nt; i++)
        vals[i] = NAN;
    if (rc == SARX_OK && (rc = sarx__vpop_new_ex(&v, sc, seed, people, threads, progress, ud)) == SARX_OK) {
        rc = evaluate(val, &v, vals);
        sarx__vpop_free(&v);
    }
    if (rc == SARX_OK)
        rc = sarx__lifespan_values(life);
    sarx_scenario_free(sc);
    if (rc != SARX_OK) {
        free(vals);
        sarx_sim_validation_free(val);
        return sarx__err(err, rc, "", "", "", "%s", sarx_strerror(rc));
    }
    for (i = 0; i < nt; i++) {
        const sarx__target *t = sarx__target_at(i);
        sarx_sim_check *c = &val->checks[i];
        c->id = t->id;
        c->kind = t->kind;
        c->what = t->what;
        c->source = t->source;
        c->published = t->published;
        c->target = t->target;
        c->lo = t->lo;
        c->hi = t->hi;
        c->tolerance = t->tolerance;
        c->held_out = t->held_out;
        c->value = t->kind == SARX_SIM_TARGET_LIFESPAN ? life[i] : vals[i];
        c->pass = c->value >= c->lo && c->value <= c->hi;
        c->known = sarx__target_known(t->id);
    }
    free(vals);
    *out = val;
    return SARX_OK;
}

size_t sarx_sim_validation_count(const sarx_sim_validation *v) { return v ? v->n : 0; }
const sarx_sim_check *sarx_sim_validation_check(const sarx_sim_validation *v, size_t i)
{
    return v && i < v->n ? &v->checks[i] : NULL;
}
size_t sarx_sim_validation_failed(const sarx_sim_validation *v)
{
    size_t i, n = 0;
    for (i = 0; v && i < v->n; i++)
        n += !v->checks[i].pass;
    return n;
}
void sarx_sim_validation_free(sarx_sim_validation *v)
{
    if (!v)
        return;
    free(v->checks);
    free(v->pos);
    sarx_ctx_free(v->ctx);
    free(v);
}
