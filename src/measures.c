/*
** measures.c — derived values (docs/DEFINITIONS.md) and weight-loss
** windows from the weight history.  Each value is an interval [lo, hi]
** (equal when known, NaN when missing) with the inputs that would fix it.
*/
#include "internal.h"

#include <string.h>

/* The inputs that would fix an unknown value: kept only when asked for. */
static void need_add(sarx__vals *o, int m, int f)
{
    if (o->want_need)
        sarx__set_add(&o->need[m], f);
}

static void need_or(sarx__vals *o, int m, int from)
{
    if (o->want_need)
        sarx__set_or(&o->need[m], &o->need[from]);
}

static void known(sarx__vals *o, int m, double v)
{
    o->lo[m] = o->hi[m] = v;
}

/* Mark m missing because of the missing inputs of measures a and b (-1 = none). */
static void unknown2(sarx__vals *o, int m, int a, int b)
{
    o->lo[m] = o->hi[m] = NAN;
    if (a >= 0 && isnan(o->lo[a]))
        need_or(o, m, a);
    if (b >= 0 && isnan(o->lo[b]))
        need_or(o, m, b);
}

static int has(const sarx__vals *o, int m) { return !isnan(o->lo[m]); }

double sarx__history_reference(const sarx_subject *s, int months)
{
    double ref = NAN;
    int date, start, best = 0;
    size_t i;
    if (!s->nhist || isnan(s->v[SARX__F_DATE]))
        return NAN;
    date = (int)s->v[SARX__F_DATE];
    start = sarx__date_minus_months(date, months);
    for (i = 0; i < s->nhist; i++) {
        int d = s->hist[i].day;
        if (d >= start && d < date && (isnan(ref) || d < best)) {
            ref = s->hist[i].kg;
            best = d;
        }
    }
    return ref;
}

/*
** Percent weight lost over the `months` before the assessment date:
** reference = the earliest weight dated in [date - months, date);
** loss = (reference - current) * 100 / reference (exact at 80 -> 76 kg = 5 %).
*/
static void window(const sarx_subject *s, sarx__vals *o, int m, int months, int explicit_field)
{
    double ref, cur = o->lo[SARX__F_WEIGHT];
    if (!isnan(s->v[explicit_field])) {
        known(o, m, s->v[explicit_field]);
        if (s->nhist)
            o->warn |= SARX__W_HISTORY_OVERRIDE;
        return;
    }
    o->lo[m] = o->hi[m] = NAN;
    if (!s->nhist) {
        need_add(o, m, SARX__F_HISTORY);
        return;
    }
    if (isnan(s->v[SARX__F_DATE])) {
        need_add(o, m, SARX__F_DATE);
        return;
    }
    ref = sarx__history_reference(s, months);
    if (isnan(ref))
        need_add(o, m, SARX__F_HISTORY);
    if (isnan(cur))
        need_add(o, m, SARX__F_WEIGHT);
    if (!isnan(ref) && !isnan(cur))
        known(o, m, (ref - cur) * 100.0 / ref);
}

/* Height-normalised mass: kg / m^2. */
static void per_height2(sarx__vals *o, int m, int mass)
{
    if (has(o, mass) && has(o, SARX__F_HEIGHT)) {
        double h = o->lo[SARX__F_HEIGHT] / 100.0;
        known(o, m, o->lo[mass] / (h * h));
    } else {
        unknown2(o, m, mass, SARX__F_HEIGHT);
    }
}

/* Mass as a percentage of the whole-body weight: 100 mass / weight (an
** interval when the weight is one: an amputation of uncertain extent). */
static void per_weight(sarx__vals *o, int m, int mass)
{
    if (has(o, mass) && has(o, SARX__M_WEIGHT_EST)) {
        o->lo[m] = 100.0 * o->lo[mass] / o->hi[SARX__M_WEIGHT_EST];
        o->hi[m] = 100.0 * o->lo[mass] / o->lo[SARX__M_WEIGHT_EST];
        need_or(o, m, SARX__M_WEIGHT_EST);
    } else {
        unknown2(o, m, mass, SARX__M_WEIGHT_EST);
    }
}

/*
** The percentage of body weight a limb amputation removes, by level
** (Osterkamp LK, J Am Diet Assoc 1995;95:215-218: hand 0.7 %, forearm with
** hand 2.3 %, entire arm 5.0 %, foot 1.5 %, lower leg with foot 5.9 %,
** entire leg 16.0 % [as restated by dietetic references; not verified in
** the full text]).  A level says where the limb was cut, not how long the
** residual limb is, so the loss lies between the segments wholly below the
** level and those including it: below the knee, more than the foot (1.5)
** and at most the lower leg with the foot (5.9).  Hand and foot: up to the
** published segment; a hip disarticulation is the entire leg.  Nothing in
** between is guessed: the value is an interval, and amputation_pct makes it
** one number.  Indexed by the enum's code (none = 1 .. hip = 8).
*/
static const double amputation_lost[9][2] = {
    {0, 0},     /* (not a code) */
    {0, 0},     /* none */
    {0, 0.7},   /* hand */
    {0.7, 2.3}, /* below_elbow: more than the hand, at most the forearm with the hand */
    {2.3, 5.0}, /* above_elbow: more than the forearm with the hand, at most the entire arm */
    {0, 1.5},   /* foot */
    {1.5, 5.9}, /* below_knee: more than the foot, at most the lower leg with the foot */
    {5.9, 16.0},  /* above_knee: more than the lower leg with the foot, at most the entire leg */
    {16.0, 16.0}, /* hip: the entire leg (a hemipelvectomy takes more: give amputation_pct) */
};

void sarx__amputation_range(double pct, double level, double bilateral, unsigned cs, double *lo, double *hi)
{
    if (!isnan(pct)) { /* given: it wins */
        *lo = *hi = pct;
    } else if (level >= 1 && level <= 8) {
        int k = (int)level;
        double n = bilateral == 1.0 ? 2.0 : 1.0;
        *lo = n * amputation_lost[k][0];
        *hi = n * amputation_lost[k][1];
    } else if (cs & SARX__CS_AMPUTATION) { /* listed, without its level */
        *lo = *hi = NAN;
    } else {
        *lo = *hi = 0;
    }
}

/*
** The whole-body weight and BMI.  After an amputation the scale weighs what
** is left: the whole-body weight is estimated as weight / (1 - p / 100),
** p the percentage lost (Osterkamp 1995), and BMI is computed from it, so
** that BMI cut-offs published for whole bodies apply.  p is an interval
** when only the level is known (amputation_pct decides it).  Weight-loss
** percentages keep the weights as measured: both are of the same body,
** after the amputation (the warning says so).
*/
static void whole_body(const sarx_subject *s, sarx__vals *o, unsigned cs)
{
    const int m = SARX__M_WEIGHT_EST;
    double plo, phi;
    sarx__amputation_range(s->v[SARX__F_AMPUTATION_PCT], s->v[SARX__F_AMPUTATION], s->v[SARX__F_AMPUTATION_BILATERAL],
                           cs, &plo, &phi);
    if (isnan(plo) || !has(o, SARX__F_WEIGHT)) {
        unknown2(o, m, SARX__F_WEIGHT, -1);
        if (isnan(plo)) {
            need_add(o, m, SARX__F_AMPUTATION);
            need_add(o, m, SARX__F_AMPUTATION_PCT);
        }
    } else {
        o->lo[m] = o->lo[SARX__F_WEIGHT] / (1.0 - plo / 100.0);
        o->hi[m] = o->lo[SARX__F_WEIGHT] / (1.0 - phi / 100.0);
        if (phi > plo)
            need_add(o, m, SARX__F_AMPUTATION_PCT);
    }
    if (has(o, m) && has(o, SARX__F_HEIGHT)) {
        double h = o->lo[SARX__F_HEIGHT] / 100.0;
        o->lo[SARX__M_BMI] = o->lo[m] / (h * h);
        o->hi[SARX__M_BMI] = o->hi[m] / (h * h);
        need_or(o, SARX__M_BMI, m);
    } else {
        unknown2(o, SARX__M_BMI, m, SARX__F_HEIGHT);
    }
}

/* The values that pregnancy makes inapplicable: weight, BMI and what is
** computed from them, and the waist. */
static const int pregnancy_void[] = {SARX__M_WEIGHT_EST, SARX__M_BMI,        SARX__M_WL6,        SARX__M_WL12,
                                     SARX__M_ALM_BMI,    SARX__M_ASM_WEIGHT, SARX__M_SMM_WEIGHT, SARX__M_FAT_PCT,
                                     SARX__F_WAIST};
/* The values an amputation takes away unless adjusted for it: muscle mass
** (which the limb carried), whole-body BIA, and the calf. */
static const int limb_void[] = {SARX__F_ASM,     SARX__F_SMM,     SARX__F_FFM,        SARX__F_CALF,
                                SARX__M_ASMI,    SARX__M_ALM_BMI, SARX__M_SMI,        SARX__M_FFMI,
                                SARX__M_CALF_TOTAL, SARX__M_ASM_WEIGHT, SARX__M_SMM_WEIGHT};

static int in_list(const int *list, size_t n, int m)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (list[i] == m)
            return 1;
    return 0;
}

/* An amputation of any extent (p > 0, or listed without its level) whose
** mass and calf values are not adjusted. */
static int limb_unadjusted(const sarx__vals *o, unsigned cs)
{
    double plo, phi;
    sarx__amputation_range(o->lo[SARX__F_AMPUTATION_PCT], o->lo[SARX__F_AMPUTATION], o->lo[SARX__F_AMPUTATION_BILATERAL],
                           cs, &plo, &phi);
    return (isnan(plo) || phi > 0) && o->lo[SARX__F_AMPUTATION_ADJUSTED] != 1.0;
}

/*
** Values the rules must not take at face value (issue 26; the batch's
** sarx__set_aside_columns does the same on columns):
**   pregnancy: weight, BMI, weight loss and the values computed from
**     weight, and the waist, do not apply (not applicable, with nothing to
**     collect: need is emptied);
**   an amputation not adjusted for: muscle mass, calf and what is computed
**     from them are unknown, amputation_adjusted the input that would give
**     them back;
** and the warnings for those, oedema or ascites, and asm_method.
*/
static void set_aside(const sarx_subject *s, sarx__vals *o, unsigned cs)
{
    size_t i;
    int preg = sarx__pregnant(s->v[SARX__F_PREGNANT], cs), asm_given = has(o, SARX__F_ASM);
    double plo, phi;
    sarx__amputation_range(s->v[SARX__F_AMPUTATION_PCT], s->v[SARX__F_AMPUTATION], s->v[SARX__F_AMPUTATION_BILATERAL],
                           cs, &plo, &phi);
    if (limb_unadjusted(o, cs)) {
        for (i = 0; i < SARX__N(limb_void); i++) {
            int m = limb_void[i];
            if (m < SARX__F_COUNT && has(o, m))
                o->warn |= SARX__W_AMPUTATION_MASS; /* a value given and not used */
            o->lo[m] = o->hi[m] = NAN;
            need_add(o, m, SARX__F_AMPUTATION_ADJUSTED);
        }
        if (has(o, SARX__F_BIA_R))
            o->warn |= SARX__W_AMPUTATION_MASS;
    }
    if (preg) {
        o->warn |= SARX__W_PREGNANT;
        if (s->v[SARX__F_PREGNANT] == 0.0)
            o->warn |= SARX__W_PREGNANT_LISTED;
        for (i = 0; i < SARX__N(pregnancy_void); i++) {
            int m = pregnancy_void[i];
            o->lo[m] = o->hi[m] = NAN;
            if (o->want_need)
                o->need[m].w[0] = o->need[m].w[1] = 0;
        }
    }
    if (isnan(plo))
        o->warn |= SARX__W_AMPUTATION_LEVEL;
    else if (phi > 0)
        o->warn |= SARX__W_AMPUTATION;
    if (s->v[SARX__F_AMPUTATION] == 1.0 && isnan(s->v[SARX__F_AMPUTATION_PCT]) && (cs & SARX__CS_AMPUTATION))
        o->warn |= SARX__W_AMPUTATION_NONE;
    if (s->v[SARX__F_EDEMA] == 1.0)
        o->warn |= SARX__W_FLUID;
    if (asm_given && has(o, SARX__F_ASM)) { /* given and used */
        if (isnan(s->v[SARX__F_ASM_METHOD]))
            o->warn |= SARX__W_ASM_METHOD_ASSUMED;
        else if (s->v[SARX__F_ASM_METHOD] == SARX__BIA)
            o->warn |= SARX__W_ASM_BIA;
    }
}

void sarx__set_aside_columns(double (*x)[SARX__LANES], double (*y)[SARX__LANES], const unsigned char *cs, int n)
{
    int i;
    size_t k;
    for (i = 0; i < n; i++) {
        double plo, phi, w = x[SARX__F_WEIGHT][i];
        sarx__amputation_range(x[SARX__F_AMPUTATION_PCT][i], x[SARX__F_AMPUTATION][i],
                               x[SARX__F_AMPUTATION_BILATERAL][i], cs[i], &plo, &phi);
        if (plo == 0 && phi == 0) { /* no amputation: the kernels' values, each one number */
            x[SARX__M_WEIGHT_EST][i] = y[SARX__M_WEIGHT_EST][i] = w;
            y[SARX__M_BMI][i] = x[SARX__M_BMI][i];
            y[SARX__M_ALM_BMI][i] = x[SARX__M_ALM_BMI][i];
            y[SARX__M_ASM_WEIGHT][i] = x[SARX__M_ASM_WEIGHT][i];
            y[SARX__M_SMM_WEIGHT][i] = x[SARX__M_SMM_WEIGHT][i];
        } else { /* whole_body(), ALM/BMI and per_weight(): the same operations */
            double h = x[SARX__F_HEIGHT][i] / 100.0, h2 = h * h, as = x[SARX__F_ASM][i], sm = x[SARX__F_SMM][i];
            double wlo = w / (1.0 - plo / 100.0), whi = w / (1.0 - phi / 100.0);
            x[SARX__M_WEIGHT_EST][i] = wlo;
            y[SARX__M_WEIGHT_EST][i] = whi;
            x[SARX__M_BMI][i] = wlo / h2;
            y[SARX__M_BMI][i] = whi / h2;
            x[SARX__M_ALM_BMI][i] = as / y[SARX__M_BMI][i];
            y[SARX__M_ALM_BMI][i] = as / x[SARX__M_BMI][i];
            x[SARX__M_ASM_WEIGHT][i] = 100.0 * as / whi;
            y[SARX__M_ASM_WEIGHT][i] = 100.0 * as / wlo;
            x[SARX__M_SMM_WEIGHT][i] = 100.0 * sm / whi;
            y[SARX__M_SMM_WEIGHT][i] = 100.0 * sm / wlo;
            if (x[SARX__F_AMPUTATION_ADJUSTED][i] != 1.0)
                for (k = 0; k < SARX__N(limb_void); k++)
                    x[limb_void[k]][i] = y[limb_void[k]][i] = NAN;
        }
        if (sarx__pregnant(x[SARX__F_PREGNANT][i], cs[i]))
            for (k = 0; k < SARX__N(pregnancy_void); k++)
                x[pregnancy_void[k]][i] = y[pregnancy_void[k]][i] = NAN;
    }
}

const char *sarx__measure_void(const sarx__vals *v, int m)
{
    if ((v->warn & SARX__W_PREGNANT) && in_list(pregnancy_void, SARX__N(pregnancy_void), m))
        return "not applicable in pregnancy: weight, BMI and waist include the pregnancy";
    if ((v->warn & (SARX__W_AMPUTATION | SARX__W_AMPUTATION_LEVEL)) && v->lo[SARX__F_AMPUTATION_ADJUSTED] != 1.0 &&
        in_list(limb_void, SARX__N(limb_void), m))
        return "after a limb amputation only a value adjusted for it counts: amputation_adjusted";
    return NULL;
}

int sarx__measure_fluid(int m)
{
    switch (m) {
    case SARX__F_WEIGHT:
    case SARX__M_WEIGHT_EST:
    case SARX__M_BMI:
    case SARX__F_WAIST:
    case SARX__F_CALF:
        return SARX__FLUID_UP;
    case SARX__M_ALM_BMI:
    case SARX__M_ASM_WEIGHT:
    case SARX__M_SMM_WEIGHT:
    case SARX__M_FAT_PCT:
    case SARX__M_CALF_TOTAL:
        return SARX__FLUID_DOWN;
    case SARX__F_WL6:
    case SARX__F_WL12:
    case SARX__M_WL6:
    case SARX__M_WL12:
        return SARX__FLUID_BOTH;
    default:
        return 0;
    }
}

/*
** What the person's illnesses mean for the rules, from chronic_illness,
** cancer and the conditions list read by the one vocabulary (conditions.c,
** SARX__CS_* bits).  Nothing is guessed: a condition sarx cannot read
** (not in the vocabulary, negated, uncertain or past) decides nothing, and
** a value stays unknown while such an item could decide it.
**   known_illness (Evans' underlying illness): met by chronic_illness,
**     cancer or a chronic inflammatory condition; not met when
**     chronic_illness is false, or when every listed condition is read and
**     none is one; else unknown (missing chronic_illness).
**   disease_inflammation (GLIM's "acute disease/injury or chronic
**     disease-related inflammation"): met by cancer or an inflammatory
**     condition, chronic or acute; not met when no illness of unread kind
**     remains (chronic_illness not true, every condition read) and something
**     was said (chronic_illness false, or conditions listed); else unknown
**     (missing inflammation: a chronic illness of unstated kind may or may
**     not be inflammatory).
**   cancer_known (Fearon's population): met by cancer or a malignant
**     neoplasm in the list; not met when cancer is false; else unknown
**     (missing cancer).
** batch.c's derive() computes the same from the summary byte per lane.
*/
static void conditions(const sarx_subject *s, sarx__vals *o, unsigned cs)
{
    double ch = s->v[SARX__F_CHRONIC], ca = s->v[SARX__F_CANCER];
    int read_all = !(cs & SARX__CS_UNKNOWN);
    if (ch == 1.0 || ca == 1.0 || (cs & SARX__CS_CHRONIC))
        known(o, SARX__M_ILLNESS, 1.0);
    else if (ch == 0.0 || ((cs & SARX__CS_ANY) && read_all && !(cs & SARX__CS_INFLAM)))
        known(o, SARX__M_ILLNESS, 0.0); /* (an acute illness alone leaves it open: it may stand on a chronic one) */
    else {
        o->lo[SARX__M_ILLNESS] = o->hi[SARX__M_ILLNESS] = NAN;
        need_add(o, SARX__M_ILLNESS, SARX__F_CHRONIC);
    }
    if (ca == 1.0 || (cs & SARX__CS_INFLAM))
        known(o, SARX__M_INFLAM, 1.0);
    else if (ch != 1.0 && read_all && (cs & SARX__CS_ANY))
        known(o, SARX__M_INFLAM, 0.0); /* (chronic_illness false says nothing of an acute illness) */
    else {
        o->lo[SARX__M_INFLAM] = o->hi[SARX__M_INFLAM] = NAN;
        need_add(o, SARX__M_INFLAM, SARX__F_INFLAMMATION);
    }
    if (ca == 1.0 || (cs & SARX__CS_CANCER))
        known(o, SARX__M_CANCER, 1.0);
    else if (ca == 0.0)
        known(o, SARX__M_CANCER, 0.0);
    else {
        o->lo[SARX__M_CANCER] = o->hi[SARX__M_CANCER] = NAN;
        need_add(o, SARX__M_CANCER, SARX__F_CANCER);
    }
}

static void measure(const sarx_subject *s, sarx__vals *o, unsigned skip);

/* The measures measure() may leave as an interval (lo < hi): SARC-F and
** SARC-CalF with items missing, the whole-body weight and what uses it.
** Every other one is one value or NaN (the batch classifier keeps a hi
** column only for these; a unit test checks). */
int sarx__measure_interval(int m)
{
    switch (m) {
    case SARX__M_SF_TOTAL:
    case SARX__M_CALF_TOTAL:
    case SARX__M_WEIGHT_EST: /* and the values computed from it: an amputation of uncertain extent */
    case SARX__M_BMI:
    case SARX__M_ALM_BMI:
    case SARX__M_ASM_WEIGHT:
    case SARX__M_SMM_WEIGHT:
        return 1;
    default:
        return 0;
    }
}

void sarx__measure(const sarx_subject *s, sarx__vals *o)
{
    o->want_need = 1;
    measure(s, o, 0);
}

void sarx__measure_values(const sarx_subject *s, sarx__vals *o)
{
    o->want_need = 0;
    measure(s, o, 0);
}

void sarx__measure_some(const sarx_subject *s, sarx__vals *o, unsigned skip)
{
    o->want_need = 0;
    measure(s, o, skip);
}

/* The derived values each part of measure() computes (its outputs), by
** SARX__MS_* bit; a part is skipped when no used measure is among them.
** The whole-body weight and BMI feed ALM/BMI and the values per weight;
** the SARC-F total feeds SARC-CalF's. */
static const struct {
    unsigned bit;
    int out[5];
} parts[] = {
    {SARX__MS_WHOLE, {SARX__M_WEIGHT_EST, SARX__M_BMI, SARX__M_ALM_BMI, SARX__M_ASM_WEIGHT, SARX__M_SMM_WEIGHT}},
    {SARX__MS_ASMI, {SARX__M_ASMI, -1, -1, -1, -1}},
    {SARX__MS_FFMI, {SARX__M_FFMI, -1, -1, -1, -1}},
    {SARX__MS_ALM_BMI, {SARX__M_ALM_BMI, -1, -1, -1, -1}},
    {SARX__MS_SMI, {SARX__M_SMI, -1, -1, -1, -1}},
    {SARX__MS_WL6, {SARX__M_WL6, -1, -1, -1, -1}},
    {SARX__MS_WL12, {SARX__M_WL12, -1, -1, -1, -1}},
    {SARX__MS_SARC_F, {SARX__M_SF_TOTAL, SARX__M_CALF_TOTAL, -1, -1, -1}},
    {SARX__MS_CALF, {SARX__M_CALF_TOTAL, -1, -1, -1, -1}},
    {SARX__MS_MAMC, {SARX__M_MAMC, -1, -1, -1, -1}},
    {SARX__MS_FAT, {SARX__M_FAT_PCT, -1, -1, -1, -1}},
    {SARX__MS_PER_WEIGHT, {SARX__M_ASM_WEIGHT, SARX__M_SMM_WEIGHT, -1, -1, -1}},
};

unsigned sarx__measure_skip(const int *used, int nused)
{
    unsigned skip = 0;
    size_t p;
    int i, k;
    for (p = 0; p < SARX__N(parts); p++) {
        int needed = 0;
        for (k = 0; k < 5 && parts[p].out[k] >= 0; k++)
            for (i = 0; i < nused; i++)
                needed |= used[i] == parts[p].out[k];
        if (!needed)
            skip |= parts[p].bit;
    }
    return skip;
}

/* A skipped part's values: NaN, as unknown (never read: no row reads them). */
static void skipped(sarx__vals *o, int m)
{
    o->lo[m] = o->hi[m] = NAN;
}

static void measure(const sarx_subject *s, sarx__vals *o, unsigned skip)
{
    int i;
    unsigned cs = sarx__conditions_summary(s->conditions.item, s->conditions.n);
    o->warn = 0;
    /* (a loop, not two memcpy calls: the compiler made those "rep movsq",
    ** whose start-up was a third of this function for one subject) */
    for (i = 0; i < SARX__F_COUNT; i++)
        o->lo[i] = o->hi[i] = s->v[i];
    if (o->want_need)
        for (i = 0; i < SARX__M_COUNT; i++) {
            o->need[i].w[0] = o->need[i].w[1] = 0;
            if (i < SARX__F_COUNT && isnan(s->v[i]))
                need_add(o, i, i);
        }

    /* Current weight: the measured weight, else the history entry dated on
    ** the assessment date (the same measurement, not an imputation). */
    if (!has(o, SARX__F_WEIGHT) && !isnan(s->v[SARX__F_DATE])) {
        size_t k;
        for (k = 0; k < s->nhist; k++)
            if (s->hist[k].day == (int)s->v[SARX__F_DATE]) {
                known(o, SARX__F_WEIGHT, s->hist[k].kg);
                if (o->want_need)
                    o->need[SARX__F_WEIGHT].w[0] = o->need[SARX__F_WEIGHT].w[1] = 0;
                o->warn |= SARX__W_WEIGHT_FROM_HISTORY;
            }
    }
    if (!isnan(s->v[SARX__F_DATE])) {
        size_t k;
        for (k = 0; k < s->nhist; k++)
            if (s->hist[k].day > (int)s->v[SARX__F_DATE])
                o->warn |= SARX__W_HISTORY_FUTURE;
    }

    if (skip & SARX__MS_WHOLE) {
        skipped(o, SARX__M_WEIGHT_EST);
        skipped(o, SARX__M_BMI);
    } else {
        whole_body(s, o, cs);
    }
    if (skip & SARX__MS_ASMI)
        skipped(o, SARX__M_ASMI);
    else
        per_height2(o, SARX__M_ASMI, SARX__F_ASM);
    if (skip & SARX__MS_FFMI)
        skipped(o, SARX__M_FFMI);
    else
        per_height2(o, SARX__M_FFMI, SARX__F_FFM);

    /* ALM/BMI (FNIH), in m^2: against the whole-body BMI (an interval when it is one). */
    if (skip & SARX__MS_ALM_BMI) {
        skipped(o, SARX__M_ALM_BMI);
    } else if (has(o, SARX__F_ASM) && has(o, SARX__M_BMI)) {
        o->lo[SARX__M_ALM_BMI] = o->lo[SARX__F_ASM] / o->hi[SARX__M_BMI];
        o->hi[SARX__M_ALM_BMI] = o->lo[SARX__F_ASM] / o->lo[SARX__M_BMI];
        need_or(o, SARX__M_ALM_BMI, SARX__M_BMI);
    } else {
        unknown2(o, SARX__M_ALM_BMI, SARX__F_ASM, SARX__M_BMI);
    }

    /* SMI (Janssen 2004): measured skeletal muscle mass, else the Janssen
    ** 2000 BIA equation (J Appl Physiol 89:465): SM = 0.401 Ht^2/R +
    ** 3.825 male - 0.071 age + 5.102, Ht in cm, R in ohm, male = 1. */
    if (skip & SARX__MS_SMI) {
        skipped(o, SARX__M_SMI);
    } else if (has(o, SARX__F_SMM)) {
        per_height2(o, SARX__M_SMI, SARX__F_SMM);
    } else if (has(o, SARX__F_BIA_R) && has(o, SARX__F_HEIGHT) && has(o, SARX__F_AGE) && has(o, SARX__F_SEX)) {
        double hcm = o->lo[SARX__F_HEIGHT], h = hcm / 100.0;
        double sm = 0.401 * hcm * hcm / o->lo[SARX__F_BIA_R] + 3.825 * (o->lo[SARX__F_SEX] == SARX__MALE) -
                    0.071 * o->lo[SARX__F_AGE] + 5.102;
        known(o, SARX__M_SMI, sm / (h * h));
        o->warn |= SARX__W_SMI_EQUATION;
    } else {
        o->lo[SARX__M_SMI] = o->hi[SARX__M_SMI] = NAN;
        if (!has(o, SARX__F_BIA_R)) {
            need_add(o, SARX__M_SMI, SARX__F_SMM);
            need_add(o, SARX__M_SMI, SARX__F_BIA_R);
        } else {
            static const int eq[3] = {SARX__F_HEIGHT, SARX__F_AGE, SARX__F_SEX};
            for (i = 0; i < 3; i++)
                if (!has(o, eq[i]))
                    need_add(o, SARX__M_SMI, eq[i]);
        }
    }

    if (skip & SARX__MS_WL6)
        skipped(o, SARX__M_WL6);
    else
        window(s, o, SARX__M_WL6, 6, SARX__F_WL6);
    if (skip & SARX__MS_WL12)
        skipped(o, SARX__M_WL12);
    else
        window(s, o, SARX__M_WL12, 12, SARX__F_WL12);

    /* SARC-F: the total, or the items as an interval (each missing item 0-2). */
    if (skip & SARX__MS_SARC_F) {
        skipped(o, SARX__M_SF_TOTAL);
    } else if (has(o, SARX__F_SARC_F)) {
        known(o, SARX__M_SF_TOTAL, o->lo[SARX__F_SARC_F]);
    } else {
        double sum = 0;
        int n = 0;
        for (i = SARX__F_SF_STRENGTH; i < SARX__F_SF_STRENGTH + SARX__SF_ITEMS; i++)
            if (has(o, i)) {
                sum += o->lo[i];
                n++;
            } else {
                need_add(o, SARX__M_SF_TOTAL, i);
            }
        if (n == 0) {
            o->lo[SARX__M_SF_TOTAL] = o->hi[SARX__M_SF_TOTAL] = NAN;
            if (o->want_need)
                o->need[SARX__M_SF_TOTAL].w[0] = o->need[SARX__M_SF_TOTAL].w[1] = 0;
            need_add(o, SARX__M_SF_TOTAL, SARX__F_SARC_F);
        } else {
            o->lo[SARX__M_SF_TOTAL] = sum;
            o->hi[SARX__M_SF_TOTAL] = sum + 2.0 * (5 - n);
            if (n < 5)
                o->warn |= SARX__W_SARC_F_PARTIAL;
        }
    }

    /* SARC-CalF = SARC-F + 10 when calf <= 34 cm (men) / <= 33 cm (women).
    ** Both parts must have been measured (at least one SARC-F item); with sex
    ** unknown the 10 points are unknown (definitions.md §1), even when the
    ** calf is below or above both cut-offs. */
    if (skip & SARX__MS_CALF) {
        skipped(o, SARX__M_CALF_TOTAL);
    } else if (has(o, SARX__M_SF_TOTAL) && has(o, SARX__F_CALF)) {
        double c = o->lo[SARX__F_CALF];
        need_or(o, SARX__M_CALF_TOTAL, SARX__M_SF_TOTAL);
        if (has(o, SARX__F_SEX)) {
            double cut = o->lo[SARX__F_SEX] == SARX__MALE ? SARX__CALF_CUT_M : SARX__CALF_CUT_F;
            double pts = sarx__cmp(c, cut) <= 0 ? 10.0 : 0.0; /* same boundary rule as rows */
            o->lo[SARX__M_CALF_TOTAL] = o->lo[SARX__M_SF_TOTAL] + pts;
            o->hi[SARX__M_CALF_TOTAL] = o->hi[SARX__M_SF_TOTAL] + pts;
        } else { /* a sex-specific cut-off with sex unknown: the points are unknown */
            o->lo[SARX__M_CALF_TOTAL] = o->lo[SARX__M_SF_TOTAL];
            o->hi[SARX__M_CALF_TOTAL] = o->hi[SARX__M_SF_TOTAL] + 10.0;
            need_add(o, SARX__M_CALF_TOTAL, SARX__F_SEX);
        }
    } else {
        unknown2(o, SARX__M_CALF_TOTAL, SARX__M_SF_TOTAL, SARX__F_CALF);
    }

    /* Mid-arm muscle circumference (cm) = MUAC - pi * TSF (mm -> cm). */
    if (skip & SARX__MS_MAMC)
        skipped(o, SARX__M_MAMC);
    else if (has(o, SARX__F_MUAC) && has(o, SARX__F_TSF))
        known(o, SARX__M_MAMC, o->lo[SARX__F_MUAC] - 3.14159265358979323846 * o->lo[SARX__F_TSF] / 10.0);
    else
        unknown2(o, SARX__M_MAMC, SARX__F_MUAC, SARX__F_TSF);

    /* Body composition relative to weight (ESPEN/EASO 2022 sarcopenic
    ** obesity): fat %, ALM/W and SMM/W, each as a percentage of weight.  A
    ** fat mass in kg is read against the same weight (the subject's checks
    ** reject a fat % and kg that disagree). */
    if (skip & SARX__MS_FAT)
        skipped(o, SARX__M_FAT_PCT);
    else if (has(o, SARX__F_FAT_PCT))
        known(o, SARX__M_FAT_PCT, o->lo[SARX__F_FAT_PCT]);
    else if (has(o, SARX__F_FAT_KG) && has(o, SARX__F_WEIGHT))
        known(o, SARX__M_FAT_PCT, 100.0 * o->lo[SARX__F_FAT_KG] / o->lo[SARX__F_WEIGHT]);
    else {
        o->lo[SARX__M_FAT_PCT] = o->hi[SARX__M_FAT_PCT] = NAN;
        need_add(o, SARX__M_FAT_PCT, SARX__F_FAT_PCT);
    }
    if (skip & SARX__MS_PER_WEIGHT) {
        skipped(o, SARX__M_ASM_WEIGHT);
        skipped(o, SARX__M_SMM_WEIGHT);
    } else {
        per_weight(o, SARX__M_ASM_WEIGHT, SARX__F_ASM);
        per_weight(o, SARX__M_SMM_WEIGHT, SARX__F_SMM);
    }

    conditions(s, o, cs);
    set_aside(s, o, cs);
}
