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
static void conditions(const sarx_subject *s, sarx__vals *o)
{
    double ch = s->v[SARX__F_CHRONIC], ca = s->v[SARX__F_CANCER];
    unsigned cs = sarx__conditions_summary(s->conditions.item, s->conditions.n);
    int read_all = !(cs & SARX__CS_UNKNOWN);
    if (ch == 1.0 || ca == 1.0 || (cs & SARX__CS_CHRONIC))
        known(o, SARX__M_ILLNESS, 1.0);
    else if (ch == 0.0 || ((cs & SARX__CS_ANY) && read_all))
        known(o, SARX__M_ILLNESS, 0.0);
    else {
        o->lo[SARX__M_ILLNESS] = o->hi[SARX__M_ILLNESS] = NAN;
        need_add(o, SARX__M_ILLNESS, SARX__F_CHRONIC);
    }
    if (ca == 1.0 || (cs & SARX__CS_INFLAM))
        known(o, SARX__M_INFLAM, 1.0);
    else if (ch != 1.0 && read_all && (ch == 0.0 || (cs & SARX__CS_ANY)))
        known(o, SARX__M_INFLAM, 0.0);
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

static void measure(const sarx_subject *s, sarx__vals *o);

/* The measures measure() may leave as an interval (lo < hi): SARC-F and
** SARC-CalF with items missing.  Every other one is one value or NaN (the
** batch classifier keeps a hi column only for these; a unit test checks). */
int sarx__measure_interval(int m) { return m == SARX__M_SF_TOTAL || m == SARX__M_CALF_TOTAL; }

void sarx__measure(const sarx_subject *s, sarx__vals *o)
{
    o->want_need = 1;
    measure(s, o);
}

void sarx__measure_values(const sarx_subject *s, sarx__vals *o)
{
    o->want_need = 0;
    measure(s, o);
}

static void measure(const sarx_subject *s, sarx__vals *o)
{
    int i;
    o->warn = 0;
    memcpy(o->lo, s->v, sizeof s->v);
    memcpy(o->hi, s->v, sizeof s->v);
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

    per_height2(o, SARX__M_BMI, SARX__F_WEIGHT);
    per_height2(o, SARX__M_ASMI, SARX__F_ASM);
    per_height2(o, SARX__M_FFMI, SARX__F_FFM);

    /* ALM/BMI (FNIH), in m^2. */
    if (has(o, SARX__F_ASM) && has(o, SARX__M_BMI))
        known(o, SARX__M_ALM_BMI, o->lo[SARX__F_ASM] / o->lo[SARX__M_BMI]);
    else
        unknown2(o, SARX__M_ALM_BMI, SARX__F_ASM, SARX__M_BMI);

    /* SMI (Janssen 2004): measured skeletal muscle mass, else the Janssen
    ** 2000 BIA equation (J Appl Physiol 89:465): SM = 0.401 Ht^2/R +
    ** 3.825 male - 0.071 age + 5.102, Ht in cm, R in ohm, male = 1. */
    if (has(o, SARX__F_SMM)) {
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

    window(s, o, SARX__M_WL6, 6, SARX__F_WL6);
    window(s, o, SARX__M_WL12, 12, SARX__F_WL12);

    /* SARC-F: the total, or the items as an interval (each missing item 0-2). */
    if (has(o, SARX__F_SARC_F)) {
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
    if (has(o, SARX__M_SF_TOTAL) && has(o, SARX__F_CALF)) {
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
    if (has(o, SARX__F_MUAC) && has(o, SARX__F_TSF))
        known(o, SARX__M_MAMC, o->lo[SARX__F_MUAC] - 3.14159265358979323846 * o->lo[SARX__F_TSF] / 10.0);
    else
        unknown2(o, SARX__M_MAMC, SARX__F_MUAC, SARX__F_TSF);

    conditions(s, o);
}
