/*
** guidance_plan.c — the plan of the guidance (docs/GUIDANCE.md, "The
** plan"): the weight the per-kg targets use, protein, energy, the training
** prescription and 1RM loads, creatine, and the cautions that change them
** (kidneys, obesity, pregnancy, refeeding risk and more than 5 days of
** little intake), and near the end of life (refractory cachexia, ECOG 3-4,
** a life expectancy under 3 months): gentle activity instead of loads.
**
** The numbers are computed once (sarx__g_plan) and exposed by name
** (sarx_assessment_plan); the messages print them.  A number the sources do
** not support for the person is not printed at all (NaN, null in JSON),
** and the message says why and who sets it: nothing is left for a clinician
** to copy that a source shows to be unsafe.
*/
#include "guidance.h"

#include <stdio.h>
#include <string.h>

const char *const sarx__plan_names[PL_COUNT] = {
    "protein_g_kg_low", "protein_g_kg_high", "protein_g_day_low", "protein_g_day_high",
    "energy_kcal_kg_low", "energy_kcal_kg_high", "energy_kcal_kg_guide", "energy_kcal_day_low",
    "energy_kcal_day_high", "energy_kcal_day_guide", "one_rm_epley_kg", "one_rm_brzycki_kg", "one_rm_kg",
    "load_start_low_kg", "load_start_high_kg", "load_mass_low_kg", "load_mass_high_kg",
    "training_sessions_week_low", "training_sessions_week_high", "training_sets_low", "training_sets_high",
    "training_reps_low", "training_reps_high", "intensity_start_low_pct", "intensity_start_high_pct",
    "intensity_mass_low_pct", "intensity_mass_high_pct",
};

#define OLDER_THAN 65.0 /* PROT-AGE: older people (> 65 years) */
/* KDOQI 2020 (Ikizler et al., Am J Kidney Dis 2020;76(3 Suppl 1):S1-S107):
** protein restriction under close supervision in metabolically stable CKD
** 3-5 not on dialysis, 1.0-1.2 g/kg/day on maintenance dialysis.  CKD
** stage 3 begins at eGFR < 60 mL/min/1.73 m2 (KDIGO). */
#define EGFR_CKD3 60.0
#define DIALYSIS_LOW 1.0
#define DIALYSIS_HIGH 1.2
/* Obesity: the per-kg targets use an adjusted body weight (ESPEN ICU
** guideline, Singer et al., Clin Nutr 2019;38:48-79, read as restated in
** Crit Care 2022, doi:10.1186/s13054-022-04148-0, Table 1): reference
** weight + 0.25 x (actual - reference).  The reference is the weight at
** BMI 25 for the person's height (a sarx decision, docs/DECISIONS.md). */
#define OBESITY_BMI 30.0    /* WHO 2000 */
#define REFERENCE_BMI 25.0
#define ADJUST_FRACTION 0.25
/* Refeeding risk (NICE CG32): start at no more than 10 kcal/kg/day, 5 in
** extreme cases, rising to full needs over 4-7 days.  Not at high risk but
** little or nothing eaten for more than 5 days: no more than 50 % of
** requirements for the first 2 days (NICE CG32), here half of the 30
** kcal/kg/day guide (a sarx decision, docs/DECISIONS.md). */
#define REFEED_START 10.0
#define REFEED_START_EXTREME 5.0
#define LOW_INTAKE_DAYS 5.0
#define HALF 0.5
/* ESPEN geriatrics (Volkert et al., Clin Nutr 2019;38:10-47): 30 kcal/kg
** as a guide; Kwan 2013 (J Aging Res 2013;2013:791679): 24-36 kcal/kg. */
#define ENERGY_LOW 24.0
#define ENERGY_HIGH 36.0
#define ENERGY_GUIDE 30.0

/* The training prescription: sessions a week (NSCA 2019: 2-3; Hurst 2022: 2),
** sets and repetitions per exercise (Hurst 2022: 1-3 sets of 6-12), and
** intensities as % of 1RM. */
#define SESSIONS_LOW 2
#define SESSIONS_HIGH 3
#define SETS_LOW 1
#define SETS_HIGH 3
#define REPS_LOW 6
#define REPS_HIGH 12
#define START_LOW 20.0  /* EuGMS 2022: start at 20-30 % */
#define START_HIGH 30.0
#define MASS_LOW 60.0   /* Kwan 2013: 60-85 % builds mass */
#define MASS_HIGH 85.0  /* above 85 % also rate of force development */
#define ONE_RM_RELIABLE_REPS 10 /* predictions from more reps are less accurate */

int sarx_one_rm(double load_kg, int reps, int formula, double *out)
{
    if (!out)
        return SARX_EINVAL;
    *out = NAN;
    if (!(load_kg > 0) || isinf(load_kg) || reps < 1)
        return SARX_ERANGE;
    if (reps == 1) { /* one repetition is the maximum itself */
        *out = load_kg;
        return SARX_OK;
    }
    switch (formula) {
    case SARX_1RM_EPLEY:
        *out = load_kg * (1.0 + reps / 30.0);
        return SARX_OK;
    case SARX_1RM_BRZYCKI:
        if (reps >= 37) /* the denominator reaches zero at 37 */
            return SARX_ERANGE;
        *out = load_kg * 36.0 / (37 - reps);
        return SARX_OK;
    default:
        return SARX_EINVAL;
    }
}

/* Acute or chronic illness, inflammation, cachexia or malnutrition (the
** causes, evaluated before the plan). */
static int illness(const gctx *g)
{
    return g->st[R_CHRONIC] == MET || g->st[R_CACHEXIA] == MET || g->st[R_INFLAMMATION] == MET ||
           g->st[R_MALNUTRITION] == MET;
}

/* On dialysis (true) comes first: eGFR means little then.  Otherwise eGFR
** decides; without it, chronic kidney disease among the conditions keeps
** the usual targets back until kidney function is known. */
static int kidney_state(const gctx *g)
{
    double e = g->s->v[SARX__F_EGFR];
    if (g->s->v[SARX__F_DIALYSIS] == 1)
        return SARX__K_DIALYSIS;
    if (!isnan(e))
        return sarx__cmp(e, EGFR_CKD3) < 0 ? SARX__K_LOW_EGFR : SARX__K_OK;
    return g->ckd ? SARX__K_CKD_NO_EGFR : SARX__K_OK;
}

/* The weight the per-kg targets use: actual weight, or at BMI >= 30 the
** adjusted body weight.  Not in pregnancy, where BMI-based adjustments do
** not apply (and the plan gives no target). */
static void weight_basis(gctx *g)
{
    const sarx__vals *v = g->v;
    double w = v->lo[SARX__F_WEIGHT], h = v->lo[SARX__F_HEIGHT] / 100.0, bmi = v->lo[SARX__M_BMI];
    double whole = v->lo[SARX__M_WEIGHT_EST];
    g->w = w;
    g->ibw = NAN;
    g->adjusted = 0;
    /* After an amputation BMI is of the whole-body weight and may be an
    ** interval: obese when even its lower end is >= 30, and the reference
    ** weight is scaled to the body that remains (w / whole-body weight,
    ** from the lower whole-body estimate, which gives the larger share). */
    if (isnan(w) || isnan(h) || isnan(bmi) || g->pregnant || sarx__cmp(bmi, OBESITY_BMI) < 0)
        return;
    g->ibw = REFERENCE_BMI * h * h * (whole > 0 && whole >= w ? w / whole : 1.0);
    g->w = g->ibw + ADJUST_FRACTION * (w - g->ibw);
    g->adjusted = 1;
}

void sarx__g_plan(gctx *g, double *p)
{
    double age = g->v->lo[SARX__F_AGE];
    double load = g->s->v[SARX__F_LIFT_LOAD], reps = g->s->v[SARX__F_LIFT_REPS];
    size_t i;
    for (i = 0; i < PL_COUNT; i++)
        p[i] = NAN;
    g->kidney = kidney_state(g);
    weight_basis(g);
    /* Protein, g/kg/day. */
    if (g->pregnant || g->kidney == SARX__K_LOW_EGFR || g->kidney == SARX__K_CKD_NO_EGFR) {
        /* no target: the obstetric or kidney team sets it */
    } else if (g->kidney == SARX__K_DIALYSIS) {
        p[PL_PROTEIN_KG_LOW] = DIALYSIS_LOW, p[PL_PROTEIN_KG_HIGH] = DIALYSIS_HIGH; /* KDOQI 2020 */
    } else if (illness(g)) {
        p[PL_PROTEIN_KG_LOW] = 1.2, p[PL_PROTEIN_KG_HIGH] = 1.5; /* PROT-AGE, ESPEN 2014 */
    } else if (!isnan(age)) {
        if (sarx__cmp(age, OLDER_THAN) > 0)
            p[PL_PROTEIN_KG_LOW] = 1.0, p[PL_PROTEIN_KG_HIGH] = 1.2; /* PROT-AGE healthy older */
        else
            p[PL_PROTEIN_KG_LOW] = 0.8, p[PL_PROTEIN_KG_HIGH] = 1.2; /* Kwan 2013 review */
    }
    /* Energy, kcal/kg/day: at high refeeding risk, or after more than 5 days
    ** of little or no intake, only the starting maximum. */
    g->half_start = !g->pregnant && g->st[F_REFEEDING] != MET &&
                    sarx__g_cmp_quiet(g, SARX__F_LOW_INTAKE_DAYS, SARX__GT, LOW_INTAKE_DAYS, NULL) == MET;
    if (g->pregnant) {
        /* no target */
    } else if (g->st[F_REFEEDING] == MET) {
        p[PL_ENERGY_KG_HIGH] = g->refeed_extreme == MET ? REFEED_START_EXTREME : REFEED_START;
    } else if (g->half_start) {
        p[PL_ENERGY_KG_HIGH] = ENERGY_GUIDE * HALF;
    } else {
        p[PL_ENERGY_KG_LOW] = ENERGY_LOW, p[PL_ENERGY_KG_HIGH] = ENERGY_HIGH, p[PL_ENERGY_KG_GUIDE] = ENERGY_GUIDE;
    }
    if (!isnan(g->w)) { /* NaN stays NaN */
        p[PL_PROTEIN_DAY_LOW] = p[PL_PROTEIN_KG_LOW] * g->w;
        p[PL_PROTEIN_DAY_HIGH] = p[PL_PROTEIN_KG_HIGH] * g->w;
        p[PL_ENERGY_DAY_LOW] = p[PL_ENERGY_KG_LOW] * g->w;
        p[PL_ENERGY_DAY_HIGH] = p[PL_ENERGY_KG_HIGH] * g->w;
        p[PL_ENERGY_DAY_GUIDE] = p[PL_ENERGY_KG_GUIDE] * g->w;
    }
    /* Training: none near the end of life (comfort and function first) or in
    ** pregnancy (the obstetric team agrees it). */
    if (g->end || g->pregnant)
        return;
    p[PL_SESSIONS_LOW] = SESSIONS_LOW, p[PL_SESSIONS_HIGH] = SESSIONS_HIGH;
    p[PL_SETS_LOW] = SETS_LOW, p[PL_SETS_HIGH] = SETS_HIGH;
    p[PL_REPS_LOW] = REPS_LOW, p[PL_REPS_HIGH] = REPS_HIGH;
    p[PL_PCT_START_LOW] = START_LOW, p[PL_PCT_START_HIGH] = START_HIGH;
    p[PL_PCT_MASS_LOW] = MASS_LOW, p[PL_PCT_MASS_HIGH] = MASS_HIGH;
    if (!isnan(load) && !isnan(reps)) {
        sarx_one_rm(load, (int)reps, SARX_1RM_EPLEY, &p[PL_ONE_RM_EPLEY]);
        sarx_one_rm(load, (int)reps, SARX_1RM_BRZYCKI, &p[PL_ONE_RM_BRZYCKI]);
        /* the lower estimate: loads are prescribed from it */
        p[PL_ONE_RM] = p[PL_ONE_RM_EPLEY] < p[PL_ONE_RM_BRZYCKI] ? p[PL_ONE_RM_EPLEY] : p[PL_ONE_RM_BRZYCKI];
        p[PL_LOAD_START_LOW] = p[PL_ONE_RM] * START_LOW / 100;
        p[PL_LOAD_START_HIGH] = p[PL_ONE_RM] * START_HIGH / 100;
        p[PL_LOAD_MASS_LOW] = p[PL_ONE_RM] * MASS_LOW / 100;
        p[PL_LOAD_MASS_HIGH] = p[PL_ONE_RM] * MASS_HIGH / 100;
    }
}

/* "70 kg", or "76.8 kg adjusted body weight (...)": which weight the
** per-day amounts use. */
static const char *weight_text(const gctx *g, char *out, size_t n)
{
    char a[48];
    if (g->adjusted)
        snprintf(out, n, "%s kg adjusted body weight (BMI >= 30: see the caution obesity_body_weight)",
                 sarx__g_num(a, sizeof a, g->w));
    else
        snprintf(out, n, "%s kg", sarx__g_num(a, sizeof a, g->w));
    return out;
}

/* With a weight but no BMI, the amounts use actual weight: say that
** obesity, where an adjusted weight would be used, could not be checked. */
static void bmi_unknown_note(gctx *g)
{
    const sarx__vals *v = g->v;
    if (isnan(g->w) || g->pregnant || !isnan(v->lo[SARX__M_BMI]))
        return;
    sarx__puts(&g->msg, " These use actual body weight: BMI is not known (");
    sarx__g_put_set(&g->msg, &v->need[SARX__M_BMI], ", ");
    sarx__puts(&g->msg, "), so obesity (BMI >= 30), where an adjusted weight is used, cannot be checked.");
}

static void pregnancy_evidence(gctx *g)
{
    if (g->s->v[SARX__F_PREGNANT] == 1)
        sarx__g_evidence(g, "%s: yes", sarx__field_info[SARX__F_PREGNANT].name);
    else
        sarx__g_conditions_evidence(g, SARX__CG_PREGNANCY, "pregnancy");
    if (g->pregnant_possible)
        sarx__g_evidence(g, "%s not given", sarx__field_info[SARX__F_PREGNANT].name);
}

/* " while pregnancy is possible" or " in pregnancy". */
static const char *pregnancy_words(const gctx *g)
{
    return g->pregnant_possible ? " while pregnancy is possible (uncertain or past among the conditions; record "
                                  "pregnant true or false to decide)"
                                : " in pregnancy";
}

static void kidney_evidence(gctx *g)
{
    char a[48];
    double dia = g->s->v[SARX__F_DIALYSIS];
    switch (g->kidney) {
    case SARX__K_DIALYSIS:
        sarx__g_evidence(g, "dialysis: yes");
        break;
    case SARX__K_LOW_EGFR:
        sarx__g_evidence(g, "egfr_ml_min_1_73m2 %s (< 60); %s", sarx__g_num(a, sizeof a, g->s->v[SARX__F_EGFR]),
                         isnan(dia) ? "dialysis not recorded" : "dialysis: no");
        break;
    case SARX__K_CKD_NO_EGFR:
        sarx__g_conditions_evidence(g, SARX__CG_CKD, "chronic kidney disease");
        sarx__g_evidence(g, "egfr_ml_min_1_73m2 not given");
        break;
    default:
        break;
    }
}

int sarx__g_protein(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], c[48], d[48], w[160];
    const char *basis;
    if (g->pregnant) {
        sarx__printf(&g->msg, "Protein: no target is given%s. Needs change with gestation and are set from the "
                              "pre-pregnancy weight by the obstetric team or a dietitian; the per-kg targets used "
                              "here are for adults who are not pregnant.",
                     pregnancy_words(g));
        pregnancy_evidence(g);
        return MET;
    }
    if (g->kidney == SARX__K_LOW_EGFR) {
        sarx__puts(&g->msg, "Protein: no target is set. With reduced kidney function (eGFR below 60, chronic kidney "
                            "disease stage 3-5) and not on dialysis, KDOQI 2020 restricts protein under close "
                            "clinical supervision in metabolically stable people, while illness and muscle loss "
                            "raise needs: the kidney team and a renal dietitian set the amount.");
        kidney_evidence(g);
        return MET;
    }
    if (g->kidney == SARX__K_CKD_NO_EGFR) {
        sarx__printf(&g->msg, "Protein: no target is set. Chronic kidney disease is %s but no eGFR: check kidney "
                              "function first; below 60 and not on dialysis the kidney team sets the amount "
                              "(KDOQI 2020).",
                     g->ckd_possible ? "possible (uncertain or past among the conditions)" : "recorded");
        kidney_evidence(g);
        return MET;
    }
    if (isnan(p[PL_PROTEIN_KG_LOW])) {
        sarx__g_need(g, SARX__F_AGE);
        sarx__puts(&g->msg, "Protein: the target depends on age (1.0-1.2 g/kg/day over 65 years, PROT-AGE) and "
                            "on illness (1.2-1.5 g/kg/day); age_years is not given.");
        return MET;
    }
    if (g->kidney == SARX__K_DIALYSIS)
        basis = "on maintenance dialysis: KDOQI 2020 gives 1.0-1.2 g/kg/day for metabolically stable adults on "
                "dialysis";
    else if (illness(g))
        basis = "acute or chronic illness, or malnutrition (PROT-AGE; ESPEN 2014; more in severe illness or injury)";
    else if (p[PL_PROTEIN_KG_LOW] == 1.0)
        basis = "over 65 years with no illness recorded (PROT-AGE, healthy older people; at least 1.2 for those "
                "who exercise)";
    else
        basis = "adult aged 65 or under without a recorded illness: 0.8-1.2 g/kg/day for the prevention of "
                "sarcopenia (Kwan, J Aging Res 2013;2013:791679)";
    if (isnan(p[PL_PROTEIN_DAY_LOW])) {
        sarx__g_need(g, SARX__F_WEIGHT);
        sarx__printf(&g->msg, "Protein %s-%s g per kg body weight per day (%s); weight_kg is needed for grams per "
                              "day.",
                     sarx__g_num(a, sizeof a, p[PL_PROTEIN_KG_LOW]), sarx__g_num(b, sizeof b, p[PL_PROTEIN_KG_HIGH]),
                     basis);
    } else {
        sarx__printf(&g->msg, "Protein %s-%s g/day (%s-%s g/kg/day for %s; %s).",
                     sarx__g_num(a, sizeof a, round(p[PL_PROTEIN_DAY_LOW])),
                     sarx__g_num(b, sizeof b, round(p[PL_PROTEIN_DAY_HIGH])),
                     sarx__g_num(c, sizeof c, p[PL_PROTEIN_KG_LOW]), sarx__g_num(d, sizeof d, p[PL_PROTEIN_KG_HIGH]),
                     weight_text(g, w, sizeof w), basis);
        bmi_unknown_note(g);
    }
    if (g->st[F_REFEEDING] == MET)
        sarx__puts(&g->msg, " At high refeeding risk this is the later target: feeding, protein included, starts "
                            "slowly (see energy).");
    else if (g->half_start)
        sarx__puts(&g->msg, " After more than 5 days of little or no intake this is the later target: nutrition "
                            "support, protein included, starts at no more than half of requirements for the first "
                            "2 days (see energy).");
    if (g->kidney == SARX__K_DIALYSIS)
        kidney_evidence(g);
    else if (illness(g))
        sarx__g_evidence(g, "illness, inflammation, cachexia or malnutrition (see causes)");
    else if (p[PL_PROTEIN_KG_LOW] == 1.0)
        sarx__g_evidence(g, "age over 65, no illness recorded");
    else
        sarx__g_evidence(g, "age 65 or under, no illness recorded");
    return MET;
}

/* The energy plan at high refeeding risk: only the starting maximum is a
** number; full needs are named as the later target, per kg. */
static void energy_refeeding(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], w[160];
    sarx__printf(&g->msg, "Energy: start at no more than %s kcal/kg/day", sarx__g_num(a, sizeof a, p[PL_ENERGY_KG_HIGH]));
    if (!isnan(p[PL_ENERGY_DAY_HIGH]))
        sarx__printf(&g->msg, " (at most %s kcal/day for %s)", sarx__g_num(a, sizeof a, round(p[PL_ENERGY_DAY_HIGH])),
                     weight_text(g, w, sizeof w));
    sarx__printf(&g->msg, ", not the usual amount: high risk of refeeding syndrome (see red flags)%s. Rise slowly to "
                          "full needs over 4-7 days, with electrolytes and thiamine managed by a clinician (NICE "
                          "CG32); full needs (usually 24-36 kcal/kg/day, ESPEN geriatrics) are the later target, "
                          "not the start.",
                 g->refeed_extreme == MET ? ", an extreme case (BMI below 14 or negligible intake for more than 15 "
                                            "days)"
                                          : "");
    if (g->refeed_extreme == UNK) {
        sarx__printf(&g->msg, " If BMI is below 14 or intake has been negligible for more than 15 days, start at no "
                              "more than %s kcal/kg/day instead (NICE CG32); ",
                     sarx__g_num(b, sizeof b, REFEED_START_EXTREME));
        sarx__g_put_set(&g->msg, &g->extreme_need, ", ");
        sarx__puts(&g->msg, " would decide.");
    }
    sarx__g_evidence(g, "refeeding risk high (see red flags)");
}

/* Refeeding risk possible: what a high risk would change, and what would
** decide it. */
static void refeeding_possible_note(gctx *g)
{
    char a[48];
    if (g->st[F_REFEEDING] != UNK || !g->part[F_REFEEDING])
        return;
    sarx__printf(&g->msg, " Refeeding risk is not excluded (see red flags): if it is high, feeding starts at no "
                          "more than %s kcal/kg/day instead (NICE CG32); ",
                 sarx__g_num(a, sizeof a, REFEED_START));
    sarx__g_put_set(&g->msg, &g->need_of[F_REFEEDING], ", ");
    sarx__puts(&g->msg, " would decide.");
    sarx__g_evidence(g, "refeeding risk possible (see red flags)");
}

/* Little or no intake for more than 5 days, risk not high (NICE CG32):
** the first 2 days at no more than half of requirements, as a number only
** the starting maximum; full needs are named per kg as the later target. */
static void energy_half(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], w[160];
    sarx__printf(&g->msg, "Energy: for the first 2 days start at no more than half of requirements: at most %s "
                          "kcal/kg/day",
                 sarx__g_num(a, sizeof a, p[PL_ENERGY_KG_HIGH]));
    if (!isnan(p[PL_ENERGY_DAY_HIGH]))
        sarx__printf(&g->msg, " (at most %s kcal/day for %s)", sarx__g_num(a, sizeof a, round(p[PL_ENERGY_DAY_HIGH])),
                     weight_text(g, w, sizeof w));
    sarx__printf(&g->msg, ", half the %s kcal/kg/day guide, and less if the person's own requirement is lower: "
                          "little or no intake for more than 5 days (NICE CG32). Then rise to full needs (usually "
                          "24-36 kcal/kg/day, ESPEN geriatrics) if clinical and biochemical monitoring shows no "
                          "refeeding problems.",
                 sarx__g_num(b, sizeof b, ENERGY_GUIDE));
    sarx__g_evidence(g, "%s %s days (> 5 days)", sarx__field_info[SARX__F_LOW_INTAKE_DAYS].name,
                     sarx__g_num(a, sizeof a, g->s->v[SARX__F_LOW_INTAKE_DAYS]));
    refeeding_possible_note(g);
}

int sarx__g_energy(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], c[48], w[160];
    if (g->pregnant) {
        sarx__printf(&g->msg, "Energy: no target is given%s. Needs change with gestation and are set by the "
                              "obstetric team or a dietitian; the per-kg targets used here are for adults who are "
                              "not pregnant.",
                     pregnancy_words(g));
        pregnancy_evidence(g);
        return MET;
    }
    if (g->st[F_REFEEDING] == MET) {
        energy_refeeding(g);
        return MET;
    }
    if (g->half_start) {
        energy_half(g);
        return MET;
    }
    if (isnan(p[PL_ENERGY_DAY_LOW])) {
        sarx__g_need(g, SARX__F_WEIGHT);
        sarx__puts(&g->msg, "Energy 24-36 kcal per kg body weight per day, 30 as a guide, adjusted to the person "
                            "(ESPEN geriatrics); weight_kg is needed for kcal per day.");
    } else {
        sarx__printf(&g->msg, "Energy about %s kcal/day (range %s-%s: 24-36 kcal/kg/day, 30 as a guide, for %s, "
                              "adjusted to the person's nutritional status, activity and illness).",
                     sarx__g_num(a, sizeof a, round(p[PL_ENERGY_DAY_GUIDE])),
                     sarx__g_num(b, sizeof b, round(p[PL_ENERGY_DAY_LOW])),
                     sarx__g_num(c, sizeof c, round(p[PL_ENERGY_DAY_HIGH])), weight_text(g, w, sizeof w));
        bmi_unknown_note(g);
    }
    /* Intake known to be poor, for how long not known: NICE's 5 days would
    ** halve the start. */
    if (isnan(g->s->v[SARX__F_LOW_INTAKE_DAYS]) &&
        (g->s->v[SARX__F_REDUCED_INTAKE] == 1 || g->s->v[SARX__F_ANOREXIA] == 1)) {
        sarx__printf(&g->msg, " Intake is reduced: if little or nothing has been eaten for more than 5 days, the "
                              "first 2 days start at no more than half of requirements (NICE CG32); %s would "
                              "decide.",
                     sarx__field_info[SARX__F_LOW_INTAKE_DAYS].name);
        sarx__g_evidence(g, "%s: yes; %s not given",
                         sarx__field_info[g->s->v[SARX__F_REDUCED_INTAKE] == 1 ? SARX__F_REDUCED_INTAKE
                                                                                : SARX__F_ANOREXIA].name,
                         sarx__field_info[SARX__F_LOW_INTAKE_DAYS].name);
    }
    refeeding_possible_note(g);
    return MET;
}

/* ---- near the end of life (docs/GUIDANCE.md, "Near the end of life") ----
** The plan gives no resistance training, loads or creatine, only gentle
** activity as tolerated, with Fearon 2011's refractory cachexia; with a
** performance status of ECOG 3-4 or a life expectancy under 3 months (the
** two criteria Fearon adds for refractory cachexia, read on their own,
** with or without cancer); and while refractory cachexia is still possible:
** Fearon's rule for it is undecided and one of its own criteria (cancer not
** responsive to treatment, ECOG 3-4, survival under 3 months) is met. */
#define ECOG_LOW 3.0       /* ECOG 3-4: Oken 1982; Fearon 2011 */
#define SURVIVAL_SHORT 3.0 /* months: Fearon 2011 */
#define FEARON "fearon2011"
#define REFRACTORY "refractory_cachexia"
static const char *const refractory_own[] = {"unresponsive", "low_performance_status", "short_survival"};

/* The index of a category of a definition, or d->ncat. */
static size_t category_index(const sarx__def *d, const char *cat)
{
    size_t k;
    for (k = 0; k < d->ncat && strcmp(d->cats[k].name, cat) != 0; k++)
        ;
    return k;
}

/* A criterion's status, and its text for the evidence. */
static int criterion_of(const sarx_result *r, const char *crit, const char **text)
{
    const sarx__def *d = sarx_result_definition(r)->d;
    size_t k;
    for (k = 0; k < d->ncrit; k++)
        if (strcmp(d->crits[k].id, crit) == 0) {
            *text = d->crits[k].text;
            return sarx_result_criterion_status(r, k);
        }
    *text = crit;
    return UNK;
}

/* Fearon's refractory_cachexia rule undecided (and evaluated: no category
** before it was chosen, which Fearon's order never allows) and one of its
** own criteria met. */
static int refractory_possible(const sarx_result *r)
{
    const sarx__def *d = sarx_result_definition(r)->d;
    const sarx__eval *e = sarx__result_eval(r);
    size_t k = category_index(d, REFRACTORY), i;
    const char *text;
    if (k == d->ncat || e->cat[k] != SARX_UNKNOWN || (e->category >= 0 && (size_t)e->category < k))
        return 0;
    for (i = 0; i < SARX__N(refractory_own); i++)
        if (criterion_of(r, refractory_own[i], &text) == MET)
            return 1;
    return 0;
}

unsigned sarx__g_end_of_life(const gctx *g)
{
    const sarx_result *r = sarx_assessment_find(g->a, FEARON);
    unsigned end = 0;
    if (r && strcmp(sarx_result_category(r), REFRACTORY) == 0)
        end |= SARX__END_REFRACTORY;
    else if (r && refractory_possible(r))
        end |= SARX__END_POSSIBLE;
    if (sarx__g_cmp_quiet(g, SARX__F_ECOG, SARX__GE, ECOG_LOW, NULL) == MET)
        end |= SARX__END_ECOG;
    if (sarx__g_cmp_quiet(g, SARX__F_LIFE_EXP, SARX__LT, SURVIVAL_SHORT, NULL) == MET)
        end |= SARX__END_SURVIVAL;
    return end;
}

/* The red flag: Fearon's refractory_cachexia (complete), or "possible"
** while its rule is undecided and one of its own criteria is met, naming
** the inputs of the criteria the rule still needs. */
int sarx__g_refractory(gctx *g)
{
    const sarx_result *r = sarx_assessment_find(g->a, FEARON);
    const struct sarx_definition *def;
    const sarx__def *d;
    const char *text;
    size_t k, i;
    uint32_t refs;
    if (!r)
        return UNK;
    def = sarx_result_definition(r);
    d = def->d;
    if (g->end & SARX__END_REFRACTORY) {
        g->partial = 1;
        sarx__g_evidence(g, "%s: %s", d->title, REFRACTORY);
        return MET;
    }
    if (!(g->end & SARX__END_POSSIBLE))
        return sarx_result_complete(r) ? NOT : UNK;
    g->partial = 1;
    for (i = 0; i < SARX__N(refractory_own); i++)
        if (criterion_of(r, refractory_own[i], &text) == MET)
            sarx__g_evidence(g, "%s: %s", d->title, text);
    refs = def->cat[category_index(d, REFRACTORY)].refs;
    for (k = 0; k < d->nrow; k++) {
        int c = def->row_crit[k], m = d->rows[k].measure;
        if (!((refs >> c) & 1u) || sarx_result_criterion_status(r, (size_t)c) != UNK)
            continue;
        if (!isnan(g->v->lo[m]) && g->v->lo[m] == g->v->hi[m])
            continue; /* known: another row of the criterion decides */
        if (m < SARX__F_COUNT)
            sarx__set_add(&g->need, m);
        else
            sarx__set_or(&g->need, &g->v->need[m]);
    }
    sarx__puts(&g->msg, "Refractory cachexia is possible (Fearon 2011): it is not excluded on the values given and "
                        "the inputs listed would decide it. Until then the plan gives no resistance-training loads; "
                        "discuss the aims of care with the treating team.");
    return UNK;
}

/* Resistance training: not near the end of life (gentle activity instead)
** nor in pregnancy (the caution pregnancy). */
int sarx__g_training(gctx *g) { return g->end || g->pregnant ? NOT : MET; }

/* Gentle activity instead of training near the end of life (guidance.c,
** end_of_life): the message names the reasons. */
int sarx__g_gentle(gctx *g)
{
    char a[48];
    int n = 0;
    if (!g->end)
        return NOT;
    if (g->end & SARX__END_REFRACTORY) {
        sarx__g_evidence(g, "Fearon cancer cachexia (2011): refractory_cachexia");
        return MET; /* the rule's message */
    }
    sarx__puts(&g->msg, "Gentle activity as tolerated (short walks, everyday tasks), for comfort and function; no "
                        "resistance-training prescription, no loads and no creatine here: ");
    if (g->end & SARX__END_ECOG) {
        sarx__printf(&g->msg, "performance status ECOG %s (3: limited self-care, in a bed or chair more than half of "
                              "waking hours; 4: completely disabled)",
                     sarx__g_num(a, sizeof a, g->s->v[SARX__F_ECOG]));
        sarx__g_evidence(g, "%s %s (>= 3)", sarx__field_info[SARX__F_ECOG].name, a);
        n++;
    }
    if (g->end & SARX__END_SURVIVAL) {
        sarx__printf(&g->msg, "%slife expectancy under 3 months", n ? "; " : "");
        sarx__g_evidence(g, "%s %s (< 3 months)", sarx__field_info[SARX__F_LIFE_EXP].name,
                         sarx__g_num(a, sizeof a, g->s->v[SARX__F_LIFE_EXP]));
        n++;
    }
    if (g->end & SARX__END_POSSIBLE) {
        sarx__printf(&g->msg, "%srefractory cachexia is possible (see red flags)", n ? "; " : "");
        sarx__g_evidence(g, "Fearon cancer cachexia (2011): refractory_cachexia possible (see red flags)");
    }
    sarx__puts(&g->msg, ". Whether and how to train is for the treating team and a physiotherapist.");
    return MET;
}

int sarx__g_one_rm(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], c[48], d[48], e[48], f[48], h[48];
    if (isnan(p[PL_ONE_RM]))
        return NOT;
    sarx__g_evidence(g, "lift_load_kg %s kg x lift_reps %s", sarx__g_num(a, sizeof a, g->s->v[SARX__F_LIFT_LOAD]),
                     sarx__g_num(b, sizeof b, g->s->v[SARX__F_LIFT_REPS]));
    sarx__printf(&g->msg, "Estimated 1RM %s kg (Epley %s kg, Brzycki %s kg; the lower is used). Loads: start at "
                          "%s-%s kg (20-30 %%), build muscle at %s-%s kg (60-85 %%); above %s kg (85 %%) also trains "
                          "rate of force development.",
                 sarx__g_num(a, sizeof a, p[PL_ONE_RM]), sarx__g_num(b, sizeof b, p[PL_ONE_RM_EPLEY]),
                 sarx__g_num(c, sizeof c, p[PL_ONE_RM_BRZYCKI]), sarx__g_num(d, sizeof d, p[PL_LOAD_START_LOW]),
                 sarx__g_num(e, sizeof e, p[PL_LOAD_START_HIGH]), sarx__g_num(f, sizeof f, p[PL_LOAD_MASS_LOW]),
                 sarx__g_num(h, sizeof h, p[PL_LOAD_MASS_HIGH]), h);
    return MET;
}

/* Creatine goes with resistance training: not without it (near the end of
** life, pregnancy), and not with kidney disease (the caution
** creatine_kidney says why). */
int sarx__g_creatine(gctx *g)
{
    return g->kidney != SARX__K_OK || g->end || g->pregnant ? NOT : MET;
}

int sarx__g_creatine_kidney(gctx *g)
{
    const char *why = g->kidney == SARX__K_DIALYSIS    ? "on dialysis"
                      : g->kidney == SARX__K_LOW_EGFR  ? "eGFR below 60"
                      : g->kidney == SARX__K_CKD_NO_EGFR
                          ? (g->ckd_possible ? "possible chronic kidney disease with no eGFR"
                                             : "chronic kidney disease with no eGFR")
                          : NULL;
    if (!why)
        return NOT;
    sarx__printf(&g->msg, "Creatine is not suggested (%s): it raises serum creatinine, so a creatinine-based eGFR "
                          "stops being a reliable guide to kidney function, which needs watching here.",
                 why);
    kidney_evidence(g);
    return MET;
}

/* eGFR < 60 (CKD stage 3-5) and not on dialysis (false or not recorded). */
int sarx__g_egfr(gctx *g)
{
    int low = sarx__g_cmp(g, SARX__F_EGFR, SARX__LT, EGFR_CKD3);
    double dia = g->s->v[SARX__F_DIALYSIS];
    if (low != MET)
        return low;
    if (dia == 1)
        return NOT;
    sarx__g_evidence(g, isnan(dia) ? "dialysis not recorded" : "dialysis: no");
    return MET;
}

int sarx__g_kidney_unknown(gctx *g)
{
    if (g->kidney != SARX__K_CKD_NO_EGFR)
        return NOT;
    if (g->ckd_possible)
        sarx__puts(&g->msg, "Kidney disease is possible (uncertain or past among the conditions) and no eGFR is "
                            "given: check kidney function before raising protein or taking creatine (with eGFR below "
                            "60 and no dialysis, protein may need to be limited).");
    kidney_evidence(g);
    return MET;
}

int sarx__g_obesity_weight(gctx *g)
{
    char a[48], b[48], c[48], d[48], e[48];
    const sarx__vals *v = g->v;
    int t;
    if (!g->adjusted || (isnan(g->plan[PL_PROTEIN_DAY_LOW]) && isnan(g->plan[PL_ENERGY_DAY_HIGH])))
        return NOT;
    t = sarx__g_cmp(g, SARX__M_BMI, SARX__GE, OBESITY_BMI);
    sarx__printf(&g->msg, "Obesity: energy and protein are computed on an adjusted body weight, %s kg = %s kg (the "
                          "weight at BMI 25 for %s cm) + 0.25 x (%s - %s) kg, not on the actual %s kg, which "
                          "overstates needs in obesity (ESPEN adjusted body weight). A dietitian adjusts the targets to "
                          "the person; measured energy expenditure (indirect calorimetry) is better where available.",
                 sarx__g_num(a, sizeof a, g->w), sarx__g_num(b, sizeof b, g->ibw),
                 sarx__g_num(c, sizeof c, v->lo[SARX__F_HEIGHT]), sarx__g_num(d, sizeof d, v->lo[SARX__F_WEIGHT]),
                 b, sarx__g_num(e, sizeof e, v->lo[SARX__F_WEIGHT]));
    return t;
}

/* Oedema or ascites: fluid adds weight, so amounts per kg of the weight
** given overstate needs. */
int sarx__g_fluid(gctx *g)
{
    if (isnan(g->plan[PL_PROTEIN_DAY_LOW]) && isnan(g->plan[PL_ENERGY_DAY_HIGH]))
        return NOT;
    return sarx__g_true(g, SARX__F_EDEMA) == MET ? MET : NOT;
}

int sarx__g_pregnancy(gctx *g)
{
    if (!g->pregnant)
        return NOT;
    if (g->pregnant_possible)
        sarx__puts(&g->msg, "Pregnancy is possible (uncertain or past among the conditions, and pregnant is not "
                            "recorded): until it is excluded this plan gives no energy or protein target, no training "
                            "prescription or loads and no creatine, as in pregnancy, where its per-kg targets, "
                            "BMI-based adjustments and % 1RM loads do not apply. Record pregnant (true or false) to "
                            "decide; in pregnancy the obstetric team agrees activity and, with a dietitian, energy "
                            "and protein.");
    pregnancy_evidence(g);
    return MET;
}

int sarx__g_one_rm_reps(gctx *g)
{
    double r = g->s->v[SARX__F_LIFT_REPS];
    if (isnan(g->plan[PL_ONE_RM]) || !(r > ONE_RM_RELIABLE_REPS))
        return NOT;
    sarx__g_evidence(g, "lift_reps %d (> %d)", (int)r, ONE_RM_RELIABLE_REPS);
    return MET;
}
