/*
** evans2008.c — Evans WJ et al.  Cachexia: a new definition.  Clin Nutr
** 2008;27:793-799.  Known illness + weight loss >= 5 % in 12 months (or BMI
** < 20 when the loss cannot be documented) + at least 3 of 5 criteria.
** Two readings: evans2008 counts abnormal biochemistry once (the paper's
** list of five); evans2008_7 counts inflammation, anaemia and low albumin
** separately, 3 of 7, as patient-facing restatements do.  In both, the three
** laboratory findings are distinct criteria combined with Kleene OR: a normal
** CRP says nothing about an unmeasured haemoglobin.  Only CRP and IL-6 are
** alternative markers of one finding (inflammation).
*/
#include "shared.h"

#define T "Evans et al., Clin Nutr 2008;27:793-799, definition box"

#define EVANS_COMMON_ROWS(P)                                                                        \
    {P "-ILLNESS", "known_illness", SARX__M_ILLNESS, ANY, IS, TRUE_, "", NONE,                      \
     T " (underlying illness); conditions read by sarx's vocabulary (docs/DECISIONS.md)"},          \
    {P "-WL12", "weight_loss", SARX__M_WL12, ANY, GE, 5.0, "%", NONE, T " (at least 5 % in 12 months)"}, \
    {P "-BMI", "weight_loss", SARX__M_BMI, ANY, LT, 20.0, "kg/m2", SARX__W_NO_WL12,                 \
     T " (BMI < 20 when weight loss cannot be documented)"},                                        \
    {P "-STR-FLAG", "decreased_strength", SARX__F_REDUCED_STRENGTH, ANY, IS, TRUE_, "", NONE, T},   \
    SARX__EWGSOP2_GRIP_ROWS(P "-STR", "decreased_strength"),                                        \
    {P "-FATIGUE", "fatigue", SARX__F_FATIGUE, ANY, IS, TRUE_, "", NONE, T},                        \
    {P "-ANOREXIA", "anorexia", SARX__F_ANOREXIA, ANY, IS, TRUE_, "", NONE, T},                     \
    {P "-ANOREXIA-KCAL", "anorexia", SARX__F_ENERGY, ANY, LT, 20.0, "kcal/kg/day", NONE, T},        \
    {P "-ANOREXIA-PCT", "anorexia", SARX__F_INTAKE_PCT, ANY, LT, 70.0, "%", NONE, T},               \
    {P "-FFMI-ASMI-M", "low_ffmi", SARX__M_ASMI, M, LT, 7.25, "kg/m2", NONE, T " (as printed: 7.25)"}, \
    {P "-FFMI-ASMI-F", "low_ffmi", SARX__M_ASMI, F, LT, 5.45, "kg/m2", NONE, T},                    \
    {P "-FFMI-MAMC", "low_ffmi", SARX__F_LOW_MAMC, ANY, IS, TRUE_, "", NONE, T " (MAMC < 10th percentile)"}

#define EVANS_COMMON_CRITS                                                                            \
    {"known_illness", "A known underlying illness: chronic_illness, cancer or a chronic inflammatory condition"}, \
    {"weight_loss", "Weight loss >= 5 % in 12 months, or BMI < 20 when loss is not documented"},         \
    {"decreased_strength", "Decreased muscle strength (grip below the EWGSOP2 cut-off as proxy)"},       \
    {"fatigue", "Fatigue"},                                                                             \
    {"anorexia", "Anorexia: poor appetite, intake < 20 kcal/kg/day or < 70 % of usual"},                \
    {"low_ffmi", "Low fat-free mass index: ASMI or low MAMC"}

static const sarx__crit crits5[] = {
    EVANS_COMMON_CRITS,
    {"inflammation", "Inflammation: CRP or IL-6 (part of abnormal biochemistry)"},
    {"anaemia", "Anaemia: haemoglobin < 12 g/dL (part of abnormal biochemistry)"},
    {"low_albumin", "Low serum albumin < 3.2 g/dL (part of abnormal biochemistry)"},
};
static const sarx__macro macros5[] = {
    {"abnormal_biochemistry", "inflammation | anaemia | low_albumin"},
    {"three_of_five", "atleast(3: decreased_strength, fatigue, anorexia, low_ffmi, abnormal_biochemistry)"},
};
static const sarx__row rows5[] = {
    EVANS_COMMON_ROWS("EVANS"),
    {"EVANS-BIO-CRP", "inflammation", SARX__F_CRP, ANY, GT, 5.0, "mg/L", NONE, T},
    {"EVANS-BIO-IL6", "inflammation", SARX__F_IL6, ANY, GT, 4.0, "pg/mL", NONE, T},
    {"EVANS-BIO-HB", "anaemia", SARX__F_HB, ANY, LT, 12.0, "g/dL", NONE, T},
    {"EVANS-BIO-ALB", "low_albumin", SARX__F_ALBUMIN, ANY, LT, 3.2, "g/dL", NONE, T},
};
static const sarx__cat cats5[] = {
    {"cachexia", 1, "known_illness & weight_loss & three_of_five", NULL, NULL},
    {"no_cachexia", 0, "!known_illness | !weight_loss | !three_of_five", NULL, NULL},
};
#define CITE                                                                                                 \
    "Evans WJ, Morley JE, Argiles J, et al. Cachexia: a new definition. Clin Nutr 2008;27(6):793-799. " \
    "doi:10.1016/j.clnu.2008.06.013"
const sarx__def sarx__def_evans2008 = {
    "evans2008", "Evans cachexia (2008)", "2", "cachexia", CITE,
    "Abnormal biochemistry counts once (the paper's list of five). Decreased strength ('lowest tertile') uses "
    "the EWGSOP2 grip cut-off as a documented proxy. The underlying illness: chronic_illness or cancer true, or "
    "a condition the vocabulary reads as chronic disease-related inflammation; it is absent when "
    "chronic_illness is false or every listed condition is read and none is one (an acute illness alone, "
    "such as sepsis, is not an underlying chronic illness); an unread condition decides nothing. The ASMI "
    "cut-offs are for DXA (the definition box): with asm_method bia the low_ffmi criterion is provisional (docs/DECISIONS.md, DXA cut-offs on BIA mass).",
    SARX__DEF_TABLES(crits5, macros5, rows5, cats5)};

static const sarx__crit crits7[] = {
    EVANS_COMMON_CRITS,
    {"inflammation", "Inflammation: CRP or IL-6"},
    {"anaemia", "Anaemia: haemoglobin < 12 g/dL"},
    {"low_albumin", "Low serum albumin < 3.2 g/dL"},
};
static const sarx__macro macros7[] = {
    {"three_of_seven",
     "atleast(3: decreased_strength, fatigue, anorexia, low_ffmi, inflammation, anaemia, low_albumin)"},
};
static const sarx__row rows7[] = {
    EVANS_COMMON_ROWS("EVANS7"),
    {"EVANS7-INFL-CRP", "inflammation", SARX__F_CRP, ANY, GT, 5.0, "mg/L", NONE, T},
    {"EVANS7-INFL-IL6", "inflammation", SARX__F_IL6, ANY, GT, 4.0, "pg/mL", NONE, T},
    {"EVANS7-HB", "anaemia", SARX__F_HB, ANY, LT, 12.0, "g/dL", NONE, T},
    {"EVANS7-ALB", "low_albumin", SARX__F_ALBUMIN, ANY, LT, 3.2, "g/dL", NONE, T},
};
static const sarx__cat cats7[] = {
    {"cachexia", 1, "known_illness & weight_loss & three_of_seven", NULL, NULL},
    {"no_cachexia", 0, "!known_illness | !weight_loss | !three_of_seven", NULL, NULL},
};
const sarx__def sarx__def_evans2008_7 = {
    "evans2008_7", "Evans cachexia, labs counted separately", "2", "cachexia", CITE,
    "The seed text's reading: inflammation, anaemia and low albumin each count, at least 3 of 7. Kept beside "
    "evans2008 so the two readings can be compared. The ASMI cut-offs are for DXA: with asm_method bia the low_ffmi criterion is provisional (docs/DECISIONS.md, DXA cut-offs on BIA mass).",
    SARX__DEF_TABLES(crits7, macros7, rows7, cats7)};
