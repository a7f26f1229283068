/*
** glim2019.c — GLIM: Cederholm T et al.  GLIM criteria for the diagnosis of
** malnutrition.  Clin Nutr 2019;38:1-9 / J Cachexia Sarcopenia Muscle
** 2019;10:207-217.  >= 1 phenotypic AND >= 1 etiologic criterion.  The
** 6- and 12-month weight-loss windows are distinct criteria (Kleene OR):
** knowing one window says nothing about the other.
** Age exactly 70 belongs to the older group (the table prints "> 70").
** The etiologic inflammation criterion reads the `inflammation` flag or the
** person's illnesses through the vocabulary of conditions (conditions.c,
** measures.c: disease_inflammation); a condition sarx cannot read leaves it
** unknown, never met.  GLIM grades severity by BMI only for its general
** cut-offs: for population asian a low BMI that weight loss does not make
** severe is reported as malnutrition whose severity is not graded.
*/
#include "shared.h"

#define T3 "Cederholm et al., JCSM 2019;10:207-217, Table 3"
#define SEV "Cederholm et al. 2019, severity grading (Table 4)"
#define ESPEN "Cederholm et al., Clin Nutr 2015;34:335-340 (ESPEN FFMI cut-offs)"
static const sarx__crit crits[] = {
    {"weight_loss_6m", "Weight loss > 5 % within 6 months"},
    {"weight_loss_12m", "Weight loss > 10 % beyond 6 months (12-month window)"},
    {"low_bmi", "Low BMI for age (and population)"},
    {"reduced_muscle_mass", "Reduced muscle mass: FFMI, or ASMI below EWGSOP2 (AWGS for Asian)"},
    {"reduced_intake", "Reduced food intake or assimilation"},
    {"inflammation", "Inflammation: acute disease or injury, or chronic disease-related inflammation"},
    {"severe_weight_loss_6m", "Severe: > 10 % within 6 months"},
    {"severe_weight_loss_12m", "Severe: > 20 % beyond 6 months (12-month window)"},
    {"severe_low_bmi", "Severe: BMI < 18.5 (< 70 y) / < 20 (>= 70 y); general population only"},
    {"low_bmi_severity_not_graded",
     "Population asian with BMI below the Asian cut-off: GLIM publishes no severity BMI for it"},
};
static const sarx__macro macros[] = {
    {"phenotypic", "weight_loss_6m | weight_loss_12m | low_bmi | reduced_muscle_mass"},
    {"severe", "severe_weight_loss_6m | severe_weight_loss_12m | severe_low_bmi"},
    {"etiologic", "reduced_intake | inflammation"},
};
#define G SARX__W_GENERAL
#define A SARX__W_ASIAN
#define Y SARX__W_AGE_LT70
#define O SARX__W_AGE_GE70
static const sarx__row rows[] = {
    {"GLIM-WL6", "weight_loss_6m", SARX__M_WL6, ANY, GT, 5.0, "%", NONE, T3},
    {"GLIM-WL12", "weight_loss_12m", SARX__M_WL12, ANY, GT, 10.0, "%", NONE, T3 " (beyond 6 months: 12-month window)"},
    {"GLIM-BMI-Y", "low_bmi", SARX__M_BMI, ANY, LT, 20.0, "kg/m2", G | Y, T3},
    {"GLIM-BMI-O", "low_bmi", SARX__M_BMI, ANY, LT, 22.0, "kg/m2", G | O, T3},
    {"GLIM-BMI-ASIA-Y", "low_bmi", SARX__M_BMI, ANY, LT, 18.5, "kg/m2", A | Y, T3},
    {"GLIM-BMI-ASIA-O", "low_bmi", SARX__M_BMI, ANY, LT, 20.0, "kg/m2", A | O, T3},
    {"GLIM-FFMI-M", "reduced_muscle_mass", SARX__M_FFMI, M, LT, 17.0, "kg/m2", NONE, ESPEN},
    {"GLIM-FFMI-F", "reduced_muscle_mass", SARX__M_FFMI, F, LT, 15.0, "kg/m2", NONE, ESPEN},
    SARX__EWGSOP2_ASMI_ROWS("GLIM-MM", "reduced_muscle_mass", G),
    SARX__AWGS2019_ASMI_ROWS("GLIM-MM-ASIA", "reduced_muscle_mass", A),
    {"GLIM-INTAKE", "reduced_intake", SARX__F_REDUCED_INTAKE, ANY, IS, TRUE_, "", NONE, T3},
    {"GLIM-INFLAMMATION", "inflammation", SARX__F_INFLAMMATION, ANY, IS, TRUE_, "", NONE, T3},
    {"GLIM-ILLNESS", "inflammation", SARX__M_INFLAM, ANY, IS, TRUE_, "", NONE,
     "Cederholm et al., JCSM 2019;10:207-217, Table 3 notes (acute disease/injury or chronic disease-related "
     "inflammation: malignant disease, COPD, congestive heart failure, chronic renal disease, chronic or recurrent "
     "inflammation); conditions read by sarx's vocabulary (docs/DECISIONS.md)"},
    {"GLIM-SEV-WL6", "severe_weight_loss_6m", SARX__M_WL6, ANY, GT, 10.0, "%", NONE, SEV},
    {"GLIM-SEV-WL12", "severe_weight_loss_12m", SARX__M_WL12, ANY, GT, 20.0, "%", NONE, SEV},
    {"GLIM-SEV-BMI-Y", "severe_low_bmi", SARX__M_BMI, ANY, LT, 18.5, "kg/m2", G | Y, SEV},
    {"GLIM-SEV-BMI-O", "severe_low_bmi", SARX__M_BMI, ANY, LT, 20.0, "kg/m2", G | O, SEV},
    {"GLIM-SEV-BMI-ASIA-Y", "low_bmi_severity_not_graded", SARX__M_BMI, ANY, LT, 18.5, "kg/m2", A | Y,
     SEV " gives no Asian severity BMI; sarx: below the Asian cut-off (" T3 ") severity is not graded "
     "(docs/DECISIONS.md)"},
    {"GLIM-SEV-BMI-ASIA-O", "low_bmi_severity_not_graded", SARX__M_BMI, ANY, LT, 20.0, "kg/m2", A | O,
     SEV " gives no Asian severity BMI; sarx: below the Asian cut-off (" T3 ") severity is not graded "
     "(docs/DECISIONS.md)"},
};
#define NOT_GRADED                                                                                      \
    "Severity not graded: GLIM publishes no severity BMI for Asian populations, and weight loss does not " \
    "reach the severe grade; the BMI is below the Asian cut-off, so the stage may be moderate or severe"
static const sarx__cat cats[] = {
    {"malnutrition_severe", 1, "phenotypic & etiologic & severe", NULL, NULL},
    {"malnutrition_severity_not_graded", 1, "phenotypic & etiologic & low_bmi_severity_not_graded", NOT_GRADED,
     NOT_GRADED},
    {"malnutrition_moderate", 1, "phenotypic & etiologic", NULL, NULL},
    {"no_malnutrition", 0, "!phenotypic | !etiologic", NULL, NULL},
};
const sarx__def sarx__def_glim2019 = {
    "glim2019", "GLIM malnutrition (2019)", "2", "malnutrition",
    "Cederholm T, Jensen GL, Correia MITD, et al. GLIM criteria for the diagnosis of malnutrition - A "
    "consensus report from the global clinical nutrition community. J Cachexia Sarcopenia Muscle "
    "2019;10(1):207-217 / Clin Nutr 2019;38(1):1-9. doi:10.1002/jcsm.12383",
    "Age exactly 70 uses the >= 70 thresholds. Severity by muscle deficit is not graded (GLIM gives no "
    "numbers). Asian severity BMI thresholds are not published: for population=asian with a BMI below the "
    "Asian cut-off, severity comes from weight loss when it is severe, and is otherwise reported as not graded "
    "(malnutrition_severity_not_graded), never as moderate; at or above the cut-off BMI cannot make it severe. "
    "Inflammation: the inflammation flag, cancer, or a listed condition the vocabulary reads as acute or "
    "chronic disease-related inflammation; an unread condition leaves it unknown. A positive screen (GLIM "
    "step 1) is assumed.",
    SARX__DEF_TABLES(crits, macros, rows, cats)};
