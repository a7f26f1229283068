/*
** janssen2004.c — NHANES III: Janssen I et al. Skeletal muscle cutpoints
** associated with elevated physical disability risk in older men and women.
** Am J Epidemiol 2004;159:413-421.  SMI = skeletal muscle mass / height^2.
** Bands are half-open so every value falls in one: high risk <= 5.75 / 8.50,
** moderate (5.75, 6.75] / (8.50, 10.75], low above.  The bands and their
** odds ratios come from 4,449 NHANES III participants aged 60 and over:
** below 60 they were not derived, and the result is not_applicable; with the
** age unknown it is indeterminate (missing age_years).
*/
#include "shared.h"

#define T "Janssen et al., Am J Epidemiol 2004;159:413-421, abstract"
#define AGE T " (4,449 NHANES III participants aged >= 60 years: the cut-points were derived at 60 and over)"
static const sarx__crit crits[] = {
    {"under_60", "Younger than 60: the cut-points were derived in adults aged 60 and over"},
    {"high_risk_smi", "SMI in the high disability-risk band"},
    {"moderate_or_high_risk_smi", "SMI in the moderate or high disability-risk band"},
};
static const sarx__row rows[] = {
    {"JANSSEN-AGE", "under_60", SARX__F_AGE, ANY, LT, 60.0, "years", NONE, AGE},
    {"JANSSEN-HIGH-M", "high_risk_smi", SARX__M_SMI, M, LE, 8.50, "kg/m2", NONE, T},
    {"JANSSEN-HIGH-F", "high_risk_smi", SARX__M_SMI, F, LE, 5.75, "kg/m2", NONE, T},
    {"JANSSEN-MOD-M", "moderate_or_high_risk_smi", SARX__M_SMI, M, LE, 10.75, "kg/m2", NONE, T},
    {"JANSSEN-MOD-F", "moderate_or_high_risk_smi", SARX__M_SMI, F, LE, 6.75, "kg/m2", NONE, T},
};
static const sarx__cat cats[] = {
    {"severe_sarcopenia", 1, "!under_60 & high_risk_smi",
     "Published odds ratio of physical disability vs low risk: men 4.71 (95% CI 2.28-9.74) (Janssen 2004)",
     "Published odds ratio of physical disability vs low risk: women 3.31 (95% CI 1.91-5.73) (Janssen 2004)"},
    {"moderate_sarcopenia", 1, "!under_60 & moderate_or_high_risk_smi",
     "Published odds ratio of physical disability vs low risk: men 3.65 (95% CI 1.92-6.94) (Janssen 2004)",
     "Published odds ratio of physical disability vs low risk: women 1.41 (95% CI 0.97-2.04) (Janssen 2004)"},
    {"no_sarcopenia", 0, "!under_60 & !moderate_or_high_risk_smi", NULL, NULL},
    {NOT_APPLICABLE, 0, "under_60",
     "not applicable: Janssen 2004's cut-points were derived in adults aged 60 and over (NHANES III), not at "
     "this age",
     "not applicable: Janssen 2004's cut-points were derived in adults aged 60 and over (NHANES III), not at "
     "this age"},
};
const sarx__def sarx__def_janssen2004 = {
    "janssen2004", "Janssen (2004)", "2", "sarcopenia",
    "Janssen I, Baumgartner RN, Ross R, Rosenberg IH, Roubenoff R. Skeletal muscle cutpoints associated with "
    "elevated physical disability risk in older men and women. Am J Epidemiol 2004;159(4):413-421. "
    "doi:10.1093/aje/kwh058",
    "SMI from smm_kg, or from BIA resistance with the Janssen 2000 equation (J Appl Physiol 2000;89:465-471) "
    "as in the original study. The cut-points come from adults aged 60 and over: below 60 the result is "
    "not_applicable, and with the age unknown it is indeterminate (missing age_years).",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
