/*
** awgs2025.c — AWGS 2025: Chen LK et al. A focus shift from sarcopenia to
** muscle health in the Asian Working Group for Sarcopenia 2025 Consensus
** Update.  Nat Aging 2025.  doi:10.1038/s43587-025-01004-y
**
** Sarcopenia = low muscle strength (grip) AND low muscle mass (ASM/height^2
** or ASM/BMI, by DXA or BIA); low grip alone is "possible sarcopenia";
** normal grip with a risk factor is "at risk".  Physical performance is an
** outcome, not a criterion, and there is no "severe" grade.  Cut-offs come in
** two age bands, 50-64 and >= 65 (Table 2); below 50 the definition does not
** apply.
**
** Age bands are criteria on age_years used in macros, because a row can be
** conditioned on no age band but 70.  Every category but not_applicable
** requires age >= 50, so with the age unknown the result is indeterminate
** (missing age_years), as for Janssen 2004 below 60.
**
** The numbers were read from an image of the paper's Table 2 and Figure 2
** reproduced in a public repository, not from the publisher's text, hence
** the "[not verified ...]" in every citation (docs/DECISIONS.md, AWGS 2025).
*/
#include "shared.h"

#define NAT "Chen et al., Nat Aging 2025 (AWGS 2025)"
#define UNV " [not verified in the publisher's text: read from a reproduced image]"
#define T2 NAT ", Table 2" UNV
#define F2 NAT ", Figure 2" UNV

static const sarx__crit crits[] = {
    {"age_under_50", "Age < 50 years: AWGS 2025 gives no cut-offs, the definition does not apply"},
    {"age_under_65", "Age < 65 years: the 50-64 cut-offs apply; otherwise those for >= 65"},
    {"low_grip_50_64", "Grip below the cut-off for ages 50-64: < 34 kg (men), < 20 kg (women)"},
    {"low_grip_65", "Grip below the cut-off for ages >= 65: < 28 kg (men), < 18 kg (women)"},
    {"low_mass_50_64", "ASM/height^2 or ASM/BMI below the cut-off for ages 50-64 (DXA or BIA)"},
    {"low_mass_65", "ASM/height^2 or ASM/BMI below the cut-off for ages >= 65 (DXA or BIA)"},
    {"low_bmi", "Risk factor: underweight, BMI < 20 kg/m2"},
    {"case_finding_calf", "Case finding: calf circumference (reported, not combined)"},
    {"case_finding_sarc_f", "Case finding: SARC-F >= 4 (reported, not combined)"},
    {"case_finding_sarc_calf", "Case finding: SARC-CalF >= 11 (reported, not combined)"},
};
static const sarx__macro macros[] = {
    {"applies", "!age_under_50"},
    {"low_strength", "age_under_65 & low_grip_50_64 | !age_under_65 & low_grip_65"},
    {"low_muscle_mass", "age_under_65 & low_mass_50_64 | !age_under_65 & low_mass_65"},
    /* Figure 2's risk factors that sarx can record: age >= 65 (1) and BMI < 20 (4). */
    {"risk_factor", "!age_under_65 | low_bmi"},
};
static const sarx__row rows[] = {
    {"AWGS2025-AGE-LT50", "age_under_50", SARX__F_AGE, ANY, LT, 50.0, "years", NONE,
     F2 " (middle-aged 50-64 and older >= 65 adults; no cut-offs below 50)"},
    {"AWGS2025-AGE-LT65", "age_under_65", SARX__F_AGE, ANY, LT, 65.0, "years", NONE, T2 " (age 50-64 vs >= 65)"},
    {"AWGS2025-GRIP-5064-M", "low_grip_50_64", SARX__F_GRIP, M, LT, 34.0, "kg", NONE, T2},
    {"AWGS2025-GRIP-5064-F", "low_grip_50_64", SARX__F_GRIP, F, LT, 20.0, "kg", NONE, T2},
    {"AWGS2025-GRIP-65-M", "low_grip_65", SARX__F_GRIP, M, LT, 28.0, "kg", NONE, T2},
    {"AWGS2025-GRIP-65-F", "low_grip_65", SARX__F_GRIP, F, LT, 18.0, "kg", NONE, T2},
    {"AWGS2025-MASS-5064-ASMI-DXA-M", "low_mass_50_64", SARX__M_ASMI, M, LT, 7.2, "kg/m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-5064-ASMI-DXA-F", "low_mass_50_64", SARX__M_ASMI, F, LT, 5.5, "kg/m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-5064-ASMI-BIA-M", "low_mass_50_64", SARX__M_ASMI, M, LT, 7.6, "kg/m2", SARX__W_BIA, T2},
    {"AWGS2025-MASS-5064-ASMI-BIA-F", "low_mass_50_64", SARX__M_ASMI, F, LT, 5.7, "kg/m2", SARX__W_BIA, T2},
    {"AWGS2025-MASS-5064-ASMBMI-DXA-M", "low_mass_50_64", SARX__M_ALM_BMI, M, LT, 0.80, "m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-5064-ASMBMI-DXA-F", "low_mass_50_64", SARX__M_ALM_BMI, F, LT, 0.55, "m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-5064-ASMBMI-BIA-M", "low_mass_50_64", SARX__M_ALM_BMI, M, LT, 0.90, "m2", SARX__W_BIA, T2},
    {"AWGS2025-MASS-5064-ASMBMI-BIA-F", "low_mass_50_64", SARX__M_ALM_BMI, F, LT, 0.63, "m2", SARX__W_BIA, T2},
    {"AWGS2025-MASS-65-ASMI-DXA-M", "low_mass_65", SARX__M_ASMI, M, LT, 7.0, "kg/m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-65-ASMI-DXA-F", "low_mass_65", SARX__M_ASMI, F, LT, 5.4, "kg/m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-65-ASMI-BIA-M", "low_mass_65", SARX__M_ASMI, M, LT, 7.0, "kg/m2", SARX__W_BIA, T2},
    {"AWGS2025-MASS-65-ASMI-BIA-F", "low_mass_65", SARX__M_ASMI, F, LT, 5.7, "kg/m2", SARX__W_BIA, T2},
    {"AWGS2025-MASS-65-ASMBMI-DXA-M", "low_mass_65", SARX__M_ALM_BMI, M, LT, 0.73, "m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-65-ASMBMI-DXA-F", "low_mass_65", SARX__M_ALM_BMI, F, LT, 0.52, "m2", SARX__W_DXA, T2},
    {"AWGS2025-MASS-65-ASMBMI-BIA-M", "low_mass_65", SARX__M_ALM_BMI, M, LT, 0.83, "m2", SARX__W_BIA, T2},
    {"AWGS2025-MASS-65-ASMBMI-BIA-F", "low_mass_65", SARX__M_ALM_BMI, F, LT, 0.57, "m2", SARX__W_BIA, T2},
    {"AWGS2025-RISK-BMI", "low_bmi", SARX__M_BMI, ANY, LT, 20.0, "kg/m2", NONE,
     F2 " (risk factor 4: underweight, BMI < 20)"},
    {"AWGS2025-CF-CALF-M", "case_finding_calf", SARX__F_CALF, M, LT, 34.0, "cm", NONE,
     F2 " (cut-offs applied only at age >= 65)"},
    {"AWGS2025-CF-CALF-F", "case_finding_calf", SARX__F_CALF, F, LT, 33.0, "cm", NONE,
     F2 " (cut-offs applied only at age >= 65)"},
    {"AWGS2025-CF-SARC-F", "case_finding_sarc_f", SARX__M_SF_TOTAL, ANY, GE, 4.0, "points", NONE,
     F2 " (cut-offs applied only at age >= 65)"},
    {"AWGS2025-CF-SARC-CALF", "case_finding_sarc_calf", SARX__M_CALF_TOTAL, ANY, GE, 11.0, "points", NONE,
     F2 " (cut-offs applied only at age >= 65)"},
};
#define NA "not applicable: AWGS 2025 gives cut-offs for adults aged 50-64 and 65 and over, not at this age"
/* Positive categories come first in every decision list (a positive result,
** even incomplete, stays positive: cohort.c relies on it); not_applicable is
** last, and every other category requires that the definition applies. */
static const sarx__cat cats[] = {
    {"sarcopenia", 1, "applies & low_strength & low_muscle_mass", NULL, NULL},
    {"possible_sarcopenia", 0, "applies & low_strength", NULL, NULL},
    {"at_risk", 0, "applies & !low_strength & risk_factor", NULL, NULL},
    {"no_sarcopenia", 0, "applies & !low_strength", NULL, NULL},
    {"not_applicable", 0, "age_under_50", NA, NA},
};
const sarx__def sarx__def_awgs2025 = {
    "awgs2025", "AWGS 2025", "1", "sarcopenia",
    "Chen LK, Hsiao FY, Akishita M, et al. A focus shift from sarcopenia to muscle health in the Asian "
    "Working Group for Sarcopenia 2025 Consensus Update. Nat Aging 2025. doi:10.1038/s43587-025-01004-y",
    "For adults aged 50 and over: below 50 the result is not_applicable, and with the age unknown it is "
    "indeterminate (missing age_years); cut-offs by age band, 50-64 and >= 65. "
    "possible_sarcopenia is low grip; it is incomplete when mass was not measured. at_risk is normal grip "
    "with a risk factor sarx can record (age >= 65, BMI < 20); the paper's other risk factors have no "
    "input, so at 50-64 no_sarcopenia means none of those recorded. Gait speed, chair stand and SPPB are "
    "outcomes in AWGS 2025 and never change the category; case finding is shown but not combined. The "
    "cut-offs were read from a reproduced image of Table 2, not from the publisher's text.",
    SARX__DEF_TABLES(crits, macros, rows, cats)};
