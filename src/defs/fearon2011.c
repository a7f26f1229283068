/*
** fearon2011.c — Fearon K et al.  Definition and classification of cancer
** cachexia: an international consensus.  Lancet Oncol 2011;12:489-495.
** It defines cancer cachexia, so it applies only with cancer known (cancer
** true, or a malignant neoplasm among the conditions: measures.c,
** cancer_known); a person known not to have cancer is not_applicable (not
** "no cachexia": the framework says nothing about them), and unknown cancer
** status leaves the result indeterminate (missing cancer).
*/
#include "shared.h"

#define T "Fearon et al., Lancet Oncol 2011;12:489-495"
#define TU T " [sarcopenia cut-off not verified in the primary text]"
static const sarx__crit crits[] = {
    {"cancer_known", "Cancer (the population Fearon 2011 defines cachexia for)"},
    {"loss_over_5", "Weight loss > 5 % over 6 months"},
    {"low_bmi", "BMI < 20"},
    {"sarcopenia", "Sarcopenia: ASMI or CT L3 muscle index"},
    {"loss_over_2", "Weight loss > 2 % over 6 months"},
    {"unresponsive", "Cancer not responsive to anticancer treatment"},
    {"low_performance_status", "ECOG / WHO performance status 3 or 4"},
    {"short_survival", "Expected survival < 3 months"},
    {"loss_at_most_5", "Weight loss <= 5 % over 6 months"},
    {"anorexia", "Anorexia"},
    {"metabolic_change", "Metabolic change (stated, or CRP > 5 mg/L)"},
};
static const sarx__macro macros[] = {
    {"cachexia_criteria", "cancer_known & (loss_over_5 | low_bmi & loss_over_2 | sarcopenia & loss_over_2)"},
    {"precachexia_criteria", "cancer_known & loss_at_most_5 & anorexia & metabolic_change"},
};
static const sarx__row rows[] = {
    {"FEARON-CANCER", "cancer_known", SARX__M_CANCER, ANY, IS, TRUE_, "", NONE,
     T " (title and abstract: cancer cachexia); cancer true, or a malignant neoplasm among the conditions"},
    {"FEARON-WL6-5", "loss_over_5", SARX__M_WL6, ANY, GT, 5.0, "%", NONE, T " (abstract)"},
    {"FEARON-BMI", "low_bmi", SARX__M_BMI, ANY, LT, 20.0, "kg/m2", NONE, T " (abstract)"},
    {"FEARON-SARC-ASMI-M", "sarcopenia", SARX__M_ASMI, M, LT, 7.26, "kg/m2", NONE, TU},
    {"FEARON-SARC-ASMI-F", "sarcopenia", SARX__M_ASMI, F, LT, 5.45, "kg/m2", NONE, TU},
    {"FEARON-SARC-CT-M", "sarcopenia", SARX__F_CT_L3, M, LT, 55.0, "cm2/m2", NONE, TU},
    {"FEARON-SARC-CT-F", "sarcopenia", SARX__F_CT_L3, F, LT, 39.0, "cm2/m2", NONE, TU},
    {"FEARON-WL6-2", "loss_over_2", SARX__M_WL6, ANY, GT, 2.0, "%", NONE, T " (abstract)"},
    {"FEARON-UNRESPONSIVE", "unresponsive", SARX__F_CANCER_UNRESP, ANY, IS, TRUE_, "", NONE, T},
    {"FEARON-ECOG", "low_performance_status", SARX__F_ECOG, ANY, GE, 3.0, "", NONE, T},
    {"FEARON-SURVIVAL", "short_survival", SARX__F_LIFE_EXP, ANY, LT, 3.0, "months", NONE, T},
    {"FEARON-WL6-LE5", "loss_at_most_5", SARX__M_WL6, ANY, LE, 5.0, "%", NONE, T " (pre-cachexia)"},
    {"FEARON-ANOREXIA", "anorexia", SARX__F_ANOREXIA, ANY, IS, TRUE_, "", NONE, T},
    {"FEARON-METABOLIC", "metabolic_change", SARX__F_METABOLIC, ANY, IS, TRUE_, "", NONE, T},
    {"FEARON-METABOLIC-CRP", "metabolic_change", SARX__F_CRP, ANY, GT, 5.0, "mg/L", NONE,
     "sarx: CRP > 5 mg/L as evidence of metabolic change (docs/DECISIONS.md)"},
};
#define NA "not applicable: Fearon 2011 is defined for cancer (cancer cachexia), and cancer is known to be absent"
static const sarx__cat cats[] = {
    {"refractory_cachexia", 1, "cachexia_criteria & unresponsive & low_performance_status & short_survival", NULL,
     NULL},
    {"cachexia", 1, "cachexia_criteria", NULL, NULL},
    {"precachexia", 0, "precachexia_criteria", NULL, NULL},
    {"no_cachexia", 0, "cancer_known & !cachexia_criteria & !precachexia_criteria", NULL, NULL},
    {NOT_APPLICABLE, 0, "!cancer_known", NA, NA},
};
const sarx__def sarx__def_fearon2011 = {
    "fearon2011", "Fearon cancer cachexia (2011)", "2", "cachexia",
    "Fearon K, Strasser F, Anker SD, et al. Definition and classification of cancer cachexia: an "
    "international consensus. Lancet Oncol 2011;12(5):489-495. doi:10.1016/S1470-2045(10)70218-7",
    "Cancer cachexia: with cancer known to be absent the result is not_applicable (the framework does not "
    "apply), with cancer status unknown it is indeterminate (missing cancer); a chronic illness without cancer "
    "is not enough. The "
    "sarcopenia cut-offs (ASMI 7.26/5.45, CT L3 55/39) are those of the spec and not yet verified against "
    "the paper's full text. The ASMI cut-offs come from DXA: with asm_method bia the sarcopenia criterion is provisional (docs/DECISIONS.md, DXA cut-offs on BIA mass).",
    SARX__DEF_TABLES(crits, macros, rows, cats)};
