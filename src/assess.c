/*
** assess.c — evaluate definitions for one subject.
**
** Rows -> criteria: a row compares one measure with its threshold and is
** met / not met / unknown (value given but not judgeable, e.g. sex unknown)
** / missing / not applicable.  A criterion combines its rows by the
** alternative-tests rule of definitions.md §1: met if any row is met; else
** unknown if a given value cannot be judged; else not met if any row was
** judged; else unknown (nothing given).  A criterion with no applicable row
** for this person (e.g. a threshold published only for one population) is
** not met.  A row marked "decides only when met" (an "unable to finish"
** flag) informs the criterion only when it is met: that a test was finished
** says nothing about its time.
**
** Criteria -> category: the categories form a decision list.  The category
** is the first whose rule is met; it is complete when every category before
** it is not met, i.e. no missing input could change it.  When no rule is
** met the result is "indeterminate".
**
** Missing inputs are those of the unknown criteria that can still change the
** category: every met/not-met completion of the unknown criteria of the
** undecided rules is tried, and a criterion is kept when flipping it alone
** changes the outcome of some completion (exact for up to 10 such criteria;
** beyond that all of them are listed).
**
** A criterion decided only by a fallback row (absolute ASM because height is
** missing; BMI because the 12-month loss is unknown) keeps its value for the
** category, but it is "provisional": when the preferred input could flip it
** and so change the category, the result is incomplete and that input is
** listed as missing.
*/
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *const sarx__tri_name[3] = {"not_met", "met", "unknown"};
const char *const sarx__row_status_name[5] = {"not_met", "met", "unknown", "missing", "not_applicable"};
const char *const sarx__op_name[5] = {"<", "<=", ">", ">=", "is"};

int sarx__cat_not_applicable(const sarx__cat *c) { return strcmp(c->name, "not_applicable") == 0; }

/* Equal within 1e-9 * max(1, |t|) (definitions.md §1, boundaries). */
int sarx__cmp(double v, double t)
{
    double tol = sarx__tolerance(t);
    if (fabs(v - t) <= tol)
        return 0;
    return v < t ? -1 : 1;
}

static int holds(int op, double v, double t)
{
    int c = sarx__cmp(v, t);
    switch (op) {
    case SARX__LT: return c < 0;
    case SARX__LE: return c <= 0;
    case SARX__GT: return c > 0;
    case SARX__GE: return c >= 0;
    default: return v == t;
    }
}

double sarx__row_value(const sarx__row *r, const sarx__vals *v)
{
    return v->lo[r->measure] == v->hi[r->measure] ? v->lo[r->measure] : NAN;
}

static int applicable(const sarx__row *r, const sarx__vals *v)
{
    double sex = v->lo[SARX__F_SEX], age = v->lo[SARX__F_AGE];
    int bia = v->lo[SARX__F_ASM_METHOD] == SARX__BIA;
    int asian = v->lo[SARX__F_POPULATION] == SARX__ASIAN;
    unsigned w = r->when;
    if (r->sex != SARX__ANY && !isnan(sex) && (int)sex != r->sex)
        return 0;
    if (((w & SARX__W_DXA) && bia) || ((w & SARX__W_BIA) && !bia))
        return 0;
    if (((w & SARX__W_GENERAL) && asian) || ((w & SARX__W_ASIAN) && !asian))
        return 0;
    if (!isnan(age) && (((w & SARX__W_AGE_LT70) && age >= 70) || ((w & SARX__W_AGE_GE70) && age < 70)))
        return 0;
    if ((w & SARX__W_NO_HEIGHT) && !isnan(v->lo[SARX__F_HEIGHT]))
        return 0;
    if ((w & SARX__W_NO_WL12) && !isnan(v->lo[SARX__M_WL12]))
        return 0;
    return 1;
}

/* need (may be NULL) receives the inputs that would decide an unknown row. */
static int row_status(const sarx__row *r, const sarx__vals *v, sarx__set *need)
{
    double lo = v->lo[r->measure], hi = v->hi[r->measure];
    int st = -1;
    if (!applicable(r, v))
        return SARX_ROW_NOT_APPLICABLE;
    if (isnan(lo)) {
        if (need)
            sarx__set_or(need, &v->need[r->measure]);
        st = SARX_ROW_MISSING;
    }
    if (r->sex != SARX__ANY && isnan(v->lo[SARX__F_SEX])) {
        if (need)
            sarx__set_add(need, SARX__F_SEX);
        if (st < 0)
            st = SARX_ROW_UNKNOWN;
    }
    if ((r->when & (SARX__W_AGE_LT70 | SARX__W_AGE_GE70)) && isnan(v->lo[SARX__F_AGE])) {
        if (need)
            sarx__set_add(need, SARX__F_AGE);
        if (st < 0)
            st = SARX_ROW_UNKNOWN;
    }
    if (st >= 0)
        return st;
    if (lo == hi) /* a known value */
        return holds(r->op, lo, r->threshold) ? SARX_ROW_MET : SARX_ROW_NOT_MET;
    /* An interval is met when all of it holds, not met when none of it does. */
    if (holds(r->op, lo, r->threshold) && holds(r->op, hi, r->threshold))
        return SARX_ROW_MET;
    if (!holds(r->op, lo, r->threshold) && !holds(r->op, hi, r->threshold))
        return SARX_ROW_NOT_MET;
    if (need)
        sarx__set_or(need, &v->need[r->measure]);
    return SARX_ROW_UNKNOWN;
}

unsigned sarx__row_fluid(const sarx__row *r)
{
    int f = sarx__measure_fluid(r->measure), below = r->op == SARX__LT || r->op == SARX__LE;
    if (!f || r->op == SARX__IS)
        return 0;
    if (f == SARX__FLUID_BOTH) /* a change over time: fluid gained or lost in the window */
        return SARX__SOFT_MET | SARX__SOFT_NOT;
    /* Fluid adds to weight, BMI, waist or calf, so the dry value is lower: a
    ** value already below a cut-off stays below.  It lowers a mass per
    ** weight or a fat %, so one already above stays above. */
    if (f == SARX__FLUID_UP)
        return below ? SARX__SOFT_NOT : SARX__SOFT_MET;
    return below ? SARX__SOFT_MET : SARX__SOFT_NOT;
}

/* The definitions whose muscle-mass cut-offs were derived from DXA and are
** published for DXA only (issue 26, docs/DECISIONS.md): FNIH 2014 (ALM/BMI
** from DXA lean mass), IWGS 2011, Baumgartner 1998, EWGSOP1 (Baumgartner's
** DXA cut-offs), Evans 2008 (ASMI by DXA) and Fearon 2011.  EWGSOP2 gives
** one set for DXA and BIA, and AWGS 2019 and 2025 BIA's own. */
extern const sarx__def sarx__def_fnih2014, sarx__def_iwgs2011, sarx__def_baumgartner1998, sarx__def_ewgsop1,
    sarx__def_evans2008, sarx__def_evans2008_7, sarx__def_fearon2011;

int sarx__row_dxa(const sarx__def *d, const sarx__row *r)
{
    static const sarx__def *const dxa[] = {&sarx__def_fnih2014, &sarx__def_iwgs2011,  &sarx__def_baumgartner1998,
                                           &sarx__def_ewgsop1,  &sarx__def_evans2008, &sarx__def_evans2008_7,
                                           &sarx__def_fearon2011};
    size_t i;
    if (r->measure != SARX__F_ASM && r->measure != SARX__M_ASMI && r->measure != SARX__M_ALM_BMI &&
        r->measure != SARX__M_ASM_WEIGHT)
        return 0;
    for (i = 0; i < SARX__N(dxa); i++)
        if (d == dxa[i])
            return 1;
    return 0;
}

/* The provisional sides of a row for this person (SARX__SOFT_*). */
static unsigned row_soft(const sarx__def *d, const sarx__row *r, const sarx__vals *v)
{
    unsigned soft = v->lo[SARX__F_EDEMA] == 1.0 ? sarx__row_fluid(r) : 0;
    if (v->lo[SARX__F_ASM_METHOD] == SARX__BIA && sarx__row_dxa(d, r))
        soft |= SARX__SOFT_MET | SARX__SOFT_NOT;
    return soft;
}

static int asm_based(int m)
{
    return m == SARX__F_ASM || m == SARX__M_ASMI || m == SARX__M_ALM_BMI || m == SARX__M_ASM_WEIGHT;
}

const char *sarx__row_note(const sarx__def *d, const sarx__row *r, const sarx__vals *v, int st)
{
    const char *why = sarx__measure_void(v, r->measure);
    unsigned soft = row_soft(d, r, v);
    if (why)
        return why;
    if (st == SARX_ROW_MET || st == SARX_ROW_NOT_MET) {
        unsigned side = st == SARX_ROW_MET ? SARX__SOFT_MET : SARX__SOFT_NOT;
        if ((soft & side) && v->lo[SARX__F_ASM_METHOD] == SARX__BIA && sarx__row_dxa(d, r))
            return "provisional: a cut-off derived from DXA, applied to a mass measured by BIA";
        if (soft & side)
            return "provisional: oedema or ascites adds fluid to this value";
    }
    if (asm_based(r->measure) && !isnan(v->lo[SARX__F_ASM]) && isnan(v->lo[SARX__F_ASM_METHOD]))
        return "asm_method not given: read as DXA";
    if ((r->measure == SARX__M_BMI || r->measure == SARX__M_ALM_BMI || r->measure == SARX__M_ASM_WEIGHT ||
         r->measure == SARX__M_SMM_WEIGHT) &&
        (v->warn & SARX__W_AMPUTATION))
        return "from the whole-body weight estimated for the amputation: weight_whole_body_kg";
    return NULL;
}

/* The index of the first category rule that is met, or ncat. */
static size_t outcome(const struct sarx_definition *def, const unsigned char *crit)
{
    size_t j;
    for (j = 0; j < def->d->ncat; j++)
        if (sarx__run(&def->cat[j], crit) == SARX_MET)
            return j;
    return def->d->ncat;
}

/* Of the criteria in `flex` (unknown, or decided only by a fallback row),
** those whose value alone can change the category in some completion of
** the others.  The outcome of every completion is tabulated once (2^n rule
** evaluations); a criterion is relevant when two completions that differ
** only in it differ. */
#define RELEVANCE_MAX 10
static uint32_t relevant_criteria(const struct sarx_definition *def, const unsigned char *status,
                                  uint32_t flex)
{
    int idx[32], n = 0, i;
    unsigned char crit[32], out[1u << RELEVANCE_MAX];
    uint32_t relevant = 0, mask, nmask;
    size_t k;
    for (k = 0; k < def->d->ncrit; k++)
        if ((flex >> k) & 1u)
            idx[n++] = (int)k;
    if (n > RELEVANCE_MAX)
        return flex;
    memcpy(crit, status, def->d->ncrit);
    nmask = (uint32_t)1 << n;
    for (mask = 0; mask < nmask; mask++) {
        for (i = 0; i < n; i++)
            crit[idx[i]] = (unsigned char)((mask >> i) & 1u ? SARX_MET : SARX_NOT_MET);
        out[mask] = (unsigned char)outcome(def, crit);
    }
    for (i = 0; i < n; i++) {
        uint32_t bit = (uint32_t)1 << i;
        for (mask = 0; mask < nmask; mask++)
            if (!(mask & bit) && out[mask] != out[mask | bit]) {
                relevant |= (uint32_t)1 << idx[i];
                break;
            }
    }
    return relevant;
}

/* Per-criterion flags gathered from its rows. */
#define ANY(st) (1u << (st))   /* some row had this sarx_row_status */
#define FIRM(st) (32u << (st)) /* ... and it was not a fallback row (met / not met) */
#define NEEDY 128u             /* some row lacked an input (it would decide it) */

void sarx__evaluate(const struct sarx_definition *def, const sarx__vals *v, sarx__eval *out, int want_missing)
{
    const sarx__def *d = def->d;
    sarx__set need[32];
    unsigned char flag[32];
    size_t i, c, ncrit = d->ncrit;
    int chosen = -1;
    uint32_t open = 0, flex = 0, relevant;
    memset(flag, 0, ncrit);
    if (want_missing)
        memset(need, 0, ncrit * sizeof need[0]);
    for (i = 0; i < d->nrow; i++) {
        int k = def->row_crit[i];
        unsigned w = d->rows[i].when;
        int st = row_status(&d->rows[i], v, want_missing && !(w & SARX__W_ONLY_MET) ? &need[k] : NULL);
        out->row[i] = (unsigned char)st;
        if (w & SARX__W_ONLY_MET) {
            if (st == SARX_ROW_MET) /* an "unable" flag: only failure informs; a missing flag never decides */
                flag[k] |= (unsigned char)(ANY(st) | FIRM(st));
            continue;
        }
        flag[k] |= (unsigned char)ANY(st);
        if (st == SARX_ROW_MISSING || st == SARX_ROW_UNKNOWN)
            flag[k] |= NEEDY;
        else if (st <= SARX_ROW_MET && (row_soft(d, &d->rows[i], v) & (st == SARX_ROW_MET ? SARX__SOFT_MET
                                                                                            : SARX__SOFT_NOT)))
            flag[k] |= NEEDY; /* provisional (oedema, a DXA cut-off on BIA mass): like a fallback, and no
                              ** input of sarx's would make it firm */
        else if (st <= SARX_ROW_MET && !(w & SARX__W_FALLBACK))
            flag[k] |= (unsigned char)FIRM(st); /* judged by a row that is not a fallback */
    }
    out->provisional = 0;
    for (c = 0; c < ncrit; c++) {
        unsigned f = flag[c];
        int st;
        if (f & ANY(SARX_ROW_MET))
            st = SARX_MET;
        else if (f & ANY(SARX_ROW_UNKNOWN))
            st = SARX_UNKNOWN;
        else if (f & ANY(SARX_ROW_NOT_MET))
            st = SARX_NOT_MET;
        else if (f & ANY(SARX_ROW_MISSING))
            st = SARX_UNKNOWN;
        else
            st = SARX_NOT_MET; /* no row applies to this person */
        out->crit[c] = (unsigned char)st;
        /* Decided only by a fallback (absolute ASM without height, BMI without
        ** a documented loss): the preferred input could still change it. */
        if (st != SARX_UNKNOWN && (f & ANY(st)) && !(f & FIRM(st)) && (f & NEEDY))
            out->provisional |= (uint32_t)1 << c;
    }
    out->complete = 1;
    out->missing.w[0] = out->missing.w[1] = 0;
    /* The decision list: rules after the first met one are not evaluated
    ** (their cat[] entries are left unknown). */
    for (c = 0; c < d->ncat; c++) {
        if (chosen >= 0) {
            out->cat[c] = SARX_UNKNOWN;
            continue;
        }
        out->cat[c] = (unsigned char)sarx__run(&def->cat[c], out->crit);
        if (out->cat[c] == SARX_MET)
            chosen = (int)c;
        else if (out->cat[c] == SARX_UNKNOWN)
            open |= def->cat[c].refs;
    }
    out->category = chosen;
    /* The open unknown criteria, but for those no input could decide (every
    ** row on a value set aside, as in pregnancy: need is empty): they stay
    ** unknown in every completion, so that only inputs that can change the
    ** result are listed.  (Only the missing list depends on it: a result
    ** with an open rule is incomplete either way.) */
    for (c = 0; c < ncrit; c++)
        if (((open >> c) & 1u) && out->crit[c] == SARX_UNKNOWN && (!want_missing || !sarx__set_empty(&need[c])))
            flex |= (uint32_t)1 << c;
    for (c = 0; c < (chosen < 0 ? d->ncat : (size_t)chosen + 1); c++)
        flex |= def->cat[c].refs & out->provisional;
    if (chosen < 0 || open)
        out->complete = 0;
    if (!flex || (!want_missing && !out->complete))
        return; /* nothing open, or incomplete already and no list wanted */
    relevant = relevant_criteria(def, out->crit, flex);
    if (relevant & out->provisional)
        out->complete = 0;
    if (out->complete || !want_missing)
        return;
    for (c = 0; c < ncrit; c++)
        if ((relevant >> c) & 1u)
            sarx__set_or(&out->missing, &need[c]);
}

/* ------------------------------------------------------------------ */

struct sarx_result {
    const sarx_definition *def;
    sarx__eval e;
    double *value;         /* per row: the value compared */
    const char **missing;  /* field names */
    size_t nmissing;
    const char *note;
};

struct sarx_assessment {
    const sarx_ctx *ctx;
    char *id;
    unsigned char *bytes; /* the blocks every result points into */
    double *values;
    const char **names;
    sarx__vals vals;
    size_t nres;
    struct sarx_result *res;
    const char *warning[20];
    size_t nwarn;
    char *cond_warning; /* the conditions sarx cannot read, when there are some */
    char *amp_warning;  /* the weight correction for an amputation, when there is one */
    int sex;
    sarx__guide *guide;
};

static const struct warn_text {
    unsigned bit;
    const char *text;
} warn_text[] = {
    {SARX__W_HISTORY_OVERRIDE, "weight_loss_pct_6m / weight_loss_pct_12m were given and override the weight history"},
    {SARX__W_HISTORY_FUTURE, "weight_history has weights dated after assessment_date; they are ignored"},
    {SARX__W_SMI_EQUATION, "SMI estimated from BIA resistance with the Janssen 2000 equation (smm_kg not given)"},
    {SARX__W_WEIGHT_FROM_HISTORY, "weight_kg taken from the weight_history entry dated on assessment_date"},
    {SARX__W_SARC_F_PARTIAL, "SARC-F items are incomplete; the total is reported as a range"},
    {SARX__W_PREGNANT, "pregnancy: weight, BMI, weight loss, the values computed from weight (ALM/BMI, mass per "
                       "weight, fat %) and the waist do not apply; the criteria on them are unknown (not applicable "
                       "in pregnancy), and no input would decide them"},
    {SARX__W_PREGNANT_LISTED, "pregnant is false, but the conditions list a pregnancy: the pregnancy rule is applied "
                              "(a listed pregnancy code also covers the puerperium); remove the condition once it no "
                              "longer applies"},
    {SARX__W_AMPUTATION_LEVEL, "an amputation is listed among the conditions without its level: the whole-body "
                               "weight and BMI are unknown (give amputation, the level, or amputation_pct)"},
    {SARX__W_AMPUTATION_NONE, "amputation is none, but the conditions list an amputation: read as none (no loss at "
                              "a listed level, e.g. a toe); give amputation or amputation_pct if a limb was lost"},
    {SARX__W_AMPUTATION_MASS, "limb amputation: muscle mass (asm_kg, smm_kg, ffm_kg, BIA resistance) and calf "
                              "circumference are not used unless adjusted for the limb lost (amputation_adjusted: "
                              "true); the criteria on them are unknown"},
    {SARX__W_FLUID, "oedema or ascites: fluid adds weight, so a judgement on weight, BMI, weight loss, a mass per "
                    "weight, fat %, waist or calf that the fluid could have decided is provisional (a dry weight "
                    "would decide it)"},
    {SARX__W_ASM_METHOD_ASSUMED, "asm_method not given: asm_kg was read as measured by DXA (give asm_method: bia "
                                 "for a BIA measurement)"},
    {SARX__W_ASM_BIA, "asm_kg measured by BIA: the muscle-mass cut-offs of FNIH 2014, IWGS 2011, Baumgartner 1998, "
                      "EWGSOP1, Evans 2008 and Fearon 2011 were derived from DXA, so their mass criteria are "
                      "provisional"},
};

/* The weight correction for an amputation, with its numbers: the
** percentage missing, how it was found, the estimated whole-body weight. */
static char *amputation_warning(const sarx_subject *s, const sarx__vals *v, int *oom)
{
    static const char *const level[] = {"", "none", "hand", "below the elbow", "above the elbow", "foot",
                                        "below the knee", "above the knee", "at the hip"};
    sarx__buf b = {0};
    char *t;
    double plo, phi, pct = s->v[SARX__F_AMPUTATION_PCT], lv = s->v[SARX__F_AMPUTATION];
    char x[32], y[32];
    sarx__amputation_range(pct, lv, s->v[SARX__F_AMPUTATION_BILATERAL],
                           sarx__conditions_summary(s->conditions.item, s->conditions.n), &plo, &phi);
    sarx__fmt_short(x, sizeof x, plo);
    sarx__fmt_short(y, sizeof y, phi);
    sarx__printf(&b, "limb amputation: %s%s%s %% of body weight missing (", x, phi > plo ? "-" : "", phi > plo ? y : "");
    if (!isnan(pct))
        sarx__puts(&b, "amputation_pct");
    else
        sarx__printf(&b, "%s%s, Osterkamp 1995 segments%s", s->v[SARX__F_AMPUTATION_BILATERAL] == 1.0 ? "both sides, " : "",
                     lv >= 1 && lv <= 8 ? level[(int)lv] : "?",
                     phi > plo ? "; the residual limb decides where in that range: amputation_pct gives one number" : "");
    sarx__puts(&b, "); BMI and the values per weight use the whole-body weight = weight_kg / (1 - p / 100)");
    if (!isnan(v->lo[SARX__M_WEIGHT_EST])) {
        sarx__fmt(x, sizeof x, 'f', 1, v->lo[SARX__M_WEIGHT_EST]);
        sarx__fmt(y, sizeof y, 'f', 1, v->hi[SARX__M_WEIGHT_EST]);
        sarx__printf(&b, " = %s%s%s kg", x, strcmp(x, y) ? "-" : "", strcmp(x, y) ? y : "");
    }
    sarx__puts(&b, "; weight-loss percentages take both weights as measured (both after the amputation)");
    if (!(t = sarx__buf_take(&b)))
        *oom = 1;
    return t;
}

_Static_assert(sizeof warn_text / sizeof warn_text[0] + 2 <= sizeof ((struct sarx_assessment *)0)->warning /
                                                              sizeof(const char *),
               "every warning, and the conditions' and the amputation's, fits in sarx_assessment.warning");

/* The listed conditions that the vocabulary cannot read (conditions.c: not
** in it, negated, uncertain or past), each with the reason, as one warning:
** they count neither for nor against illness, inflammation or cancer, so
** the results that need them say which input would decide.  NULL when every
** item was read (or there is none); *oom set when memory ran out. */
static char *conditions_warning(const sarx_subject *s, int *oom)
{
    sarx__buf b = {0};
    char *t;
    size_t i;
    int n = 0;
    for (i = 0; i < s->conditions.n; i++) {
        sarx__cond_info ci;
        const char *p;
        sarx__condition_classify(s->conditions.item[i], &ci);
        if (ci.cls != SARX__CC_UNKNOWN)
            continue;
        sarx__puts(&b, n++ ? "; \"" : "conditions sarx cannot read (they count neither as illness, inflammation "
                                       "nor cancer; chronic_illness, inflammation and cancer decide): \"");
        for (p = s->conditions.item[i]; *p; p++) /* the user's text: no control characters */
            sarx__putn(&b, (unsigned char)*p < 0x20 || *p == 0x7f ? "?" : p, 1);
        sarx__printf(&b, "\" (%s)", ci.meaning);
    }
    if (!n)
        return NULL;
    if (!(t = sarx__buf_take(&b)))
        *oom = 1;
    return t;
}

int sarx_assess(const sarx_ctx *ctx, const sarx_subject *s, sarx_assessment **out, sarx_error *err)
{
    return sarx_assess_ex(ctx, s, 0, out, err);
}

int sarx_assess_ex(const sarx_ctx *ctx, const sarx_subject *s, unsigned flags, sarx_assessment **out,
                   sarx_error *err)
{
    sarx_assessment *a;
    size_t i, nrow = 0, ncrit = 0, ncat = 0, nmiss = 0;
    int rc;
    unsigned char *bytes;
    double *vals;
    const char **names;
    if (!ctx || !s || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    if ((rc = sarx__subject_finish(s, err)) != SARX_OK) /* the same checks as the JSON decoder */
        return rc;
    for (i = 0; i < ctx->ndefs; i++) {
        nrow += ctx->defs[i].d->nrow;
        ncrit += ctx->defs[i].d->ncrit;
        ncat += ctx->defs[i].d->ncat;
    }
    a = calloc(1, sizeof *a);
    if (!a)
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    a->res = calloc(ctx->ndefs, sizeof *a->res);
    bytes = malloc(nrow + ncrit + ncat + 1);
    vals = malloc((nrow + 1) * sizeof *vals);
    names = malloc((ctx->ndefs * SARX__F_COUNT + 1) * sizeof *names);
    if (s->id)
        a->id = malloc(strlen(s->id) + 1);
    if (!a->res || !bytes || !vals || !names || (s->id && !a->id)) {
        free(bytes);
        free(vals);
        free(names);
        free(a->res);
        free(a->id);
        free(a);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    if (s->id)
        strcpy(a->id, s->id);
    a->bytes = bytes;
    a->values = vals;
    a->names = names;
    a->ctx = ctx;
    a->nres = ctx->ndefs;
    sarx__measure(s, &a->vals);
    a->sex = isnan(s->v[SARX__F_SEX]) ? 0 : (int)s->v[SARX__F_SEX];
    for (i = 0; i < sizeof warn_text / sizeof warn_text[0]; i++)
        if (a->vals.warn & warn_text[i].bit)
            a->warning[a->nwarn++] = warn_text[i].text;
    {
        int oom = 0;
        if ((a->cond_warning = conditions_warning(s, &oom)) != NULL)
            a->warning[a->nwarn++] = a->cond_warning;
        if ((a->vals.warn & SARX__W_AMPUTATION) && (a->amp_warning = amputation_warning(s, &a->vals, &oom)) != NULL)
            a->warning[a->nwarn++] = a->amp_warning;
        if (oom) {
            sarx_assessment_free(a);
            return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
        }
    }
    for (i = 0; i < ctx->ndefs; i++) {
        struct sarx_result *r = &a->res[i];
        const sarx__def *d = ctx->defs[i].d;
        size_t k;
        r->def = &ctx->defs[i];
        r->e.row = bytes;
        bytes += d->nrow;
        r->e.crit = bytes;
        bytes += d->ncrit;
        r->e.cat = bytes;
        bytes += d->ncat;
        r->value = vals;
        vals += d->nrow;
        sarx__evaluate(r->def, &a->vals, &r->e, 1);
        for (k = 0; k < d->nrow; k++)
            r->value[k] = sarx__row_value(&d->rows[k], &a->vals);
        r->missing = names + nmiss;
        for (k = 0; k < SARX__F_COUNT; k++)
            if (sarx__set_has(&r->e.missing, (int)k))
                names[nmiss + r->nmissing++] = sarx__field_info[k].name;
        nmiss += r->nmissing;
        r->note = "";
        if (r->e.category >= 0) { /* the note for the person's sex; one for both sexes also when sex is unknown */
            const sarx__cat *c = &d->cats[r->e.category];
            const char *n = a->sex == SARX__FEMALE ? c->note_f : c->note_m;
            if (n && (a->sex || (c->note_f && strcmp(c->note_m, c->note_f) == 0)))
                r->note = n;
        }
    }
    if (ctx->ndefs < sarx__ndefs) /* a selection: the guidance reads every definition (docs/DECISIONS.md) */
        flags |= SARX_ASSESS_NO_GUIDANCE;
    if (!(flags & SARX_ASSESS_NO_GUIDANCE) && sarx__guide_build(a, s, &a->guide) != SARX_OK) {
        sarx_assessment_free(a);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    *out = a;
    return SARX_OK;
}

size_t sarx_assessment_guide_count(const sarx_assessment *a) { return a ? sarx__guide_count(a->guide) : 0; }
int sarx__assessment_has_guide(const sarx_assessment *a) { return a && a->guide; }

int sarx_assessment_guide(const sarx_assessment *a, size_t i, sarx_guide_item *out)
{
    const sarx_guide_item *it = a ? sarx__guide_item(a->guide, i) : NULL;
    if (!it || !out)
        return SARX_EINVAL;
    *out = *it;
    return SARX_OK;
}

double sarx_assessment_plan(const sarx_assessment *a, const char *name)
{
    return a ? sarx__guide_plan(a->guide, name) : NAN;
}

void sarx_assessment_free(sarx_assessment *a)
{
    if (!a)
        return;
    sarx__guide_free(a->guide);
    free(a->cond_warning);
    free(a->amp_warning);
    free(a->bytes);
    free(a->values);
    free(a->names);
    free(a->res);
    free(a->id);
    free(a);
}

const char *sarx_assessment_id(const sarx_assessment *a) { return a && a->id ? a->id : ""; }
size_t sarx_assessment_result_count(const sarx_assessment *a) { return a ? a->nres : 0; }

const sarx_result *sarx_assessment_result(const sarx_assessment *a, size_t i)
{
    return a && i < a->nres ? &a->res[i] : NULL;
}

const sarx_result *sarx_assessment_find(const sarx_assessment *a, const char *id)
{
    size_t i;
    if (!a || !id)
        return NULL;
    for (i = 0; i < a->nres; i++)
        if (strcmp(a->res[i].def->d->id, id) == 0)
            return &a->res[i];
    return NULL;
}

size_t sarx_assessment_warning_count(const sarx_assessment *a) { return a ? a->nwarn : 0; }
const char *sarx_assessment_warning(const sarx_assessment *a, size_t i)
{
    return a && i < a->nwarn ? a->warning[i] : NULL;
}

double sarx_assessment_derived(const sarx_assessment *a, const char *name)
{
    int m;
    if (!a || !name || (m = sarx__derived_lookup(name)) < 0)
        return NAN;
    return a->vals.lo[m] == a->vals.hi[m] ? a->vals.lo[m] : NAN;
}

int sarx_assessment_derived_range(const sarx_assessment *a, const char *name, double *lo, double *hi)
{
    int m;
    if (!a || !name || !lo || !hi)
        return SARX_EINVAL;
    if ((m = sarx__derived_lookup(name)) < 0)
        return SARX_ENOTFOUND;
    *lo = a->vals.lo[m];
    *hi = a->vals.hi[m];
    return SARX_OK;
}

int sarx_classify(const sarx_ctx *ctx, const sarx_subject *s, sarx_class *out, sarx_error *err)
{
    sarx__vals vals;
    unsigned char row[SARX__MAX_ROWS], crit[32], cat[SARX__MAX_CATS];
    sarx__eval e;
    size_t i;
    int rc;
    if (!ctx || !s || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((rc = sarx__subject_finish(s, err)) != SARX_OK)
        return rc;
    sarx__measure_some(s, &vals, ctx->measure_skip); /* only what the context's rows read */
    e.row = row;
    e.crit = crit;
    e.cat = cat;
    for (i = 0; i < ctx->ndefs; i++) {
        sarx__evaluate(&ctx->defs[i], &vals, &e, 0);
        out[i].category = (unsigned char)(e.category < 0 ? SARX_INDETERMINATE : e.category);
        out[i].complete = (unsigned char)e.complete;
    }
    return SARX_OK;
}

/* Internal accessors for the renderers. */
const sarx__eval *sarx__result_eval(const sarx_result *r) { return &r->e; }
const sarx__vals *sarx__assessment_vals(const sarx_assessment *a) { return &a->vals; }

const sarx_definition *sarx_result_definition(const sarx_result *r) { return r ? r->def : NULL; }

const char *sarx_result_category(const sarx_result *r)
{
    if (!r)
        return NULL;
    return r->e.category < 0 ? "indeterminate" : r->def->d->cats[r->e.category].name;
}

int sarx_result_complete(const sarx_result *r) { return r ? r->e.complete : 0; }
size_t sarx_result_missing_count(const sarx_result *r) { return r ? r->nmissing : 0; }
const char *sarx_result_missing(const sarx_result *r, size_t i)
{
    return r && i < r->nmissing ? r->missing[i] : NULL;
}
size_t sarx_result_criterion_count(const sarx_result *r) { return r ? r->def->d->ncrit : 0; }
int sarx_result_criterion_status(const sarx_result *r, size_t i)
{
    return r && i < r->def->d->ncrit ? r->e.crit[i] : SARX_UNKNOWN;
}
int sarx_result_row_status(const sarx_result *r, size_t i, double *value)
{
    if (!r || i >= r->def->d->nrow)
        return SARX_ROW_NOT_APPLICABLE;
    if (value)
        *value = r->value[i];
    return r->e.row[i];
}
const char *sarx_result_note(const sarx_result *r) { return r ? r->note : ""; }
