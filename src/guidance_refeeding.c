/*
** guidance_refeeding.c — the risk of refeeding syndrome (docs/GUIDANCE.md,
** "Refeeding syndrome").
**
** NICE clinical guideline CG32 (2006), "Nutrition support for adults",
** criteria for people at high risk of developing refeeding problems: one of
** BMI < 16 kg/m2; unintentional weight loss > 15 % within the last 3-6
** months; little or no nutritional intake for > 10 days; low levels of
** potassium, phosphate or magnesium before feeding; or two of BMI < 18.5;
** loss > 10 % within 3-6 months; little or no intake for > 5 days; a
** history of alcohol abuse or drugs including insulin, chemotherapy,
** antacids or diuretics.  In extreme cases (BMI < 14, or negligible intake
** for > 15 days) NICE starts feeding at no more than 5 kcal/kg/day instead
** of 10.  The ASPEN consensus (da Silva et al., Nutr Clin Pract
** 2020;35:178-195) grades risk with broader criteria; sarx applies NICE's
** and cites ASPEN beside it.
**
** Weight loss is the 6-month loss (weight_loss_pct_6m, or the history's
** 6-month window): a loss "within the last 3-6 months" is within it.  NICE
** gives no numbers for "low" electrolytes: sarx takes the usual lower
** reference limits (a sarx decision, docs/DECISIONS.md).  Nothing is
** imputed: the risk is high when NICE's criteria are met, not high only
** when every criterion that could make it high is known to be absent, and
** unknown otherwise; the red flag is listed as "possible" when part of it
** is met, naming the inputs that would decide it.
*/
#include "guidance.h"

#include <string.h>

#define BMI_HIGH 16.0   /* NICE CG32: BMI < 16 */
#define BMI_SOME 18.5   /* NICE CG32: BMI < 18.5 */
#define BMI_EXTREME 14.0 /* NICE CG32: BMI < 14, start at 5 kcal/kg/day */
#define LOSS_HIGH 15.0  /* NICE CG32: > 15 % within 3-6 months */
#define LOSS_SOME 10.0  /* NICE CG32: > 10 % within 3-6 months */
#define DAYS_HIGH 10.0  /* NICE CG32: little or no intake > 10 days */
#define DAYS_SOME 5.0   /* NICE CG32: little or no intake > 5 days */
#define DAYS_EXTREME 15.0 /* NICE CG32: negligible intake > 15 days */
/* sarx: NICE says "low" without numbers; these are the usual lower
** reference limits of adult serum (docs/DECISIONS.md). */
#define K_LOW 3.5       /* potassium, mmol/L */
#define PO4_LOW 0.8     /* phosphate, mmol/L */
#define MG_LOW 0.7      /* magnesium, mmol/L */

/* NICE CG32's drugs: insulin, chemotherapy, antacids, diuretics.  Insulins
** by their generic names; antacids that contain aluminium or magnesium
** (calcium carbonate is left out: it is as often a calcium supplement);
** loop, thiazide, thiazide-like and potassium-sparing diuretics, since NICE
** names diuretics without a class. */
static const sarx__kw drugs[] = {
    {"insulin", "insulin"}, {"glargine", "insulin"}, {"detemir", "insulin"}, {"degludec", "insulin"},
    {"lispro", "insulin"}, {"aspart", "insulin"}, {"glulisine", "insulin"}, {"isophane", "insulin"},
    {"chemotherapy", "chemotherapy"}, {"chemo", "chemotherapy"}, {"cytotoxic*", "chemotherapy"},
    {"antacid*", "antacid"}, {"aluminium hydroxide", "antacid"}, {"aluminum hydroxide", "antacid"},
    {"magnesium hydroxide", "antacid"}, {"magnesium trisilicate", "antacid"},
    {"diuretic*", "diuretic"}, {"furosemide", "diuretic"}, {"frusemide", "diuretic"}, {"bumetanide", "diuretic"},
    {"torasemide", "diuretic"}, {"torsemide", "diuretic"}, {"hydrochlorothiazide", "diuretic"},
    {"bendroflumethiazide", "diuretic"}, {"chlortalidone", "diuretic"}, {"chlorthalidone", "diuretic"},
    {"indapamide", "diuretic"}, {"metolazone", "diuretic"}, {"spironolactone", "diuretic"},
    {"eplerenone", "diuretic"}, {"amiloride", "diuretic"}, {"triamterene", "diuretic"},
};

int sarx__g_refeeding(gctx *g)
{
    int high, some[4], met = 0, unk = 0, two, t, k;
    char a[48];
    /* One of these is high risk.  A criterion met in the first list is not
    ** counted again in the second (BMI 15 is not also "BMI < 18.5"). */
    int bmi = sarx__g_cmp(g, SARX__M_BMI, SARX__LT, BMI_HIGH);
    int loss = sarx__g_cmp(g, SARX__M_WL6, SARX__GT, LOSS_HIGH);
    int days = sarx__g_cmp(g, SARX__F_LOW_INTAKE_DAYS, SARX__GT, DAYS_HIGH);
    high = or3(or3(bmi, loss), days);
    high = or3(high, sarx__g_cmp(g, SARX__F_POTASSIUM, SARX__LT, K_LOW));
    high = or3(high, sarx__g_cmp(g, SARX__F_PHOSPHATE, SARX__LT, PO4_LOW));
    high = or3(high, sarx__g_cmp(g, SARX__F_MAGNESIUM, SARX__LT, MG_LOW));
    /* Two of these. */
    some[0] = bmi == MET ? MET : sarx__g_cmp(g, SARX__M_BMI, SARX__LT, BMI_SOME);
    some[1] = loss == MET ? MET : sarx__g_cmp(g, SARX__M_WL6, SARX__GT, LOSS_SOME);
    some[2] = days == MET ? MET : sarx__g_cmp(g, SARX__F_LOW_INTAKE_DAYS, SARX__GT, DAYS_SOME);
    some[3] = or3(sarx__g_true(g, SARX__F_ALCOHOL_MISUSE),
                  sarx__g_medications(g, drugs, SARX__N(drugs), sarx__g_topical));
    for (k = 0; k < 4; k++) {
        met += some[k] == MET;
        unk += some[k] == UNK;
    }
    two = met >= 2 ? MET : met + unk < 2 ? NOT : UNK;
    t = or3(high, two);
    if (high == MET)
        sarx__g_evidence(g, "one criterion of NICE's first list is enough");
    else if (two == MET)
        sarx__g_evidence(g, "two criteria of NICE's second list");
    /* The extreme cases, for the starting amount (guidance_plan.c). */
    memset(&g->extreme_need, 0, sizeof g->extreme_need);
    g->refeed_extreme = or3(sarx__g_cmp_quiet(g, SARX__M_BMI, SARX__LT, BMI_EXTREME, &g->extreme_need),
                            sarx__g_cmp_quiet(g, SARX__F_LOW_INTAKE_DAYS, SARX__GT, DAYS_EXTREME,
                                              &g->extreme_need));
    if (t == MET) {
        int five = g->refeed_extreme == MET;
        sarx__printf(&g->msg,
                     "High risk of refeeding syndrome (NICE CG32): feeding must start slowly, at no more than %s "
                     "kcal/kg/day%s, and rise to full needs over 4-7 days, with potassium, phosphate and magnesium "
                     "checked and corrected and thiamine and other B vitamins given before and during the first "
                     "days of feeding, all prescribed and monitored by a clinician.",
                     sarx__g_num(a, sizeof a, five ? 5.0 : 10.0),
                     five ? " (an extreme case: BMI below 14 or negligible intake for more than 15 days), with the "
                            "heart rhythm monitored"
                          : "");
    } else if (t == UNK) {
        sarx__puts(&g->msg, "Refeeding syndrome: high risk (NICE CG32) is not excluded on the values given; the "
                            "inputs listed would decide it. Until then a clinician decides how fast feeding "
                            "starts.");
    }
    return t;
}

/* Electrolytes before feeding, when the risk is high or possible and one
** of them is not known. */
int sarx__g_test_refeeding(gctx *g)
{
    static const int labs[] = {SARX__F_POTASSIUM, SARX__F_PHOSPHATE, SARX__F_MAGNESIUM};
    size_t i;
    int missing = 0;
    if (g->st[F_REFEEDING] == NOT || (g->st[F_REFEEDING] == UNK && !g->part[F_REFEEDING]))
        return NOT;
    for (i = 0; i < SARX__N(labs); i++)
        if (isnan(g->s->v[labs[i]])) {
            sarx__g_evidence(g, "%s not given", sarx__field_info[labs[i]].name);
            missing = 1;
        }
    if (!missing)
        return NOT;
    sarx__g_evidence(g, "refeeding risk %s (see red flags)", g->st[F_REFEEDING] == MET ? "high" : "possible");
    return MET;
}
