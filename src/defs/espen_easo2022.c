/*
** espen_easo2022.c — sarcopenic obesity: Donini LM et al.  Definition and
** diagnostic criteria for sarcopenic obesity: ESPEN and EASO consensus
** statement.  Clin Nutr 2022;41:990-1000 / Obes Facts 2022;15:321-335.
**
** Three steps.  Screening: high BMI or waist circumference (ethnic
** cut-offs) AND a clinical suspicion (symptoms, risk factors of the paper's
** Table 1, or a positive SARC-F).  Diagnosis: altered muscle function (grip
** or chair stand) AND altered body composition (high fat % AND low ALM/W by
** DXA or low SMM/W by BIA).  Staging: stage II with at least one complication
** attributable to sarcopenic obesity, stage I without.
**
** The consensus names no single cut-off: its tables list published ones by
** population and ask for those closest to the person.  The ones chosen here,
** and why, are in docs/DECISIONS.md (ESPEN/EASO 2022); in short: WHO BMI and
** Lean/NIH waist (general), WHO 2004 BMI and Misra 2006 waist (asian); grip
** as EWGSOP2 (general) or AWGS 2019 (asian); chair stand >= 17 s; fat % >
** 27 / > 38 (Baumgartner); ALM/W < 25.7 / < 19.4 % (NHANES DXA) and SMM/W <
** 31.5 / < 22.1 % (Janssen 2002, BIA), both 2 SD below young adults.  The
** body-composition cut-offs come from US cohorts and are applied whatever the
** population.  Only Table 1 (suspicion factors) was read in the paper's own
** text; the cut-off tables were read in a secondary reproduction, hence
** "[not verified in the full text]" on those rows.
**
** The diagnosis stands on its measurements: the screen decides whom the
** consensus would test, and is reported (screen_positive / screen_negative)
** only while function or body composition leave the diagnosis open.  A
** measured diagnosis is never overruled by a screen, since the consensus
** defines the condition by body composition and function.
*/
#include "shared.h"

#define DON "Donini et al., Clin Nutr 2022;41:990-1000 / Obes Facts 2022;15:321-335"
#define UNV " [not verified in the full text: the cut-off table was read in a secondary reproduction]"
#define SCR DON ", screening cut-offs for BMI and waist circumference"
#define FUN DON ", cut-offs for skeletal muscle function"
#define BOD DON ", cut-offs for body composition"

static const sarx__crit crits[] = {
    {"high_bmi", "Screening: high BMI, >= 30 kg/m2 (asian >= 27.5)"},
    {"high_waist", "Screening: high waist circumference, >= 102 / >= 88 cm (asian >= 90 / >= 80 cm)"},
    {"suspicion", "Screening: clinical suspicion (stated), SARC-F >= 4, or age > 70"},
    {"altered_function",
     "Altered muscle function: grip < 27 / < 16 kg (asian < 28 / < 18), or 5 chair rises >= 17 s or not completed"},
    {"high_fat", "High fat mass: > 27 % (men) / > 38 % (women) of body weight"},
    {"low_muscle_mass", "Low muscle mass: ALM/weight by DXA < 25.7 % / < 19.4 %, or SMM/weight < 31.5 % / < 22.1 %"},
    {"complications",
     "Stage II: a complication attributable to sarcopenic obesity (metabolic, functional disability, cardiovascular "
     "or respiratory)"},
};
static const sarx__macro macros[] = {
    {"screen", "(high_bmi | high_waist) & suspicion"},
    {"diagnosis", "altered_function & high_fat & low_muscle_mass"},
};
#define G SARX__W_GENERAL
#define A SARX__W_ASIAN
static const sarx__row rows[] = {
    {"SO-BMI", "high_bmi", SARX__M_BMI, ANY, GE, 30.0, "kg/m2", G, SCR " (WHO obesity, BMI >= 30)" UNV},
    {"SO-BMI-ASIA", "high_bmi", SARX__M_BMI, ANY, GE, 27.5, "kg/m2", A,
     SCR " (WHO expert consultation, Lancet 2004;363:157-163: Asian populations)" UNV},
    {"SO-WAIST-M", "high_waist", SARX__F_WAIST, M, GE, 102.0, "cm", G,
     SCR " (Lean et al., BMJ 1995;311:158-161; NIH 1998)" UNV},
    {"SO-WAIST-F", "high_waist", SARX__F_WAIST, F, GE, 88.0, "cm", G,
     SCR " (Lean et al., BMJ 1995;311:158-161; NIH 1998)" UNV},
    {"SO-WAIST-ASIA-M", "high_waist", SARX__F_WAIST, M, GE, 90.0, "cm", A,
     SCR " (Misra et al., Int J Obes 2006;30:106-111, Asian Indians, action level 2)" UNV},
    {"SO-WAIST-ASIA-F", "high_waist", SARX__F_WAIST, F, GE, 80.0, "cm", A,
     SCR " (Misra et al., Int J Obes 2006;30:106-111, Asian Indians, action level 2)" UNV},
    {"SO-SUSPECTED", "suspicion", SARX__F_SARCOPENIA_SUSPECTED, ANY, IS, TRUE_, "", NONE,
     DON ", screening: clinical symptoms or suspicion (Table 1 of Obes Facts 2022, PMC9210010)"},
    {"SO-SARC-F", "suspicion", SARX__M_SF_TOTAL, ANY, GE, 4.0, "points", NONE,
     DON ", screening: validated questionnaires, e.g. SARC-F (Malmstrom & Morley, JAMDA 2013;14:531-532: "
     "positive >= 4)"},
    {"SO-AGE", "suspicion", SARX__F_AGE, ANY, GT, 70.0, "years", SARX__W_ONLY_MET,
     DON ", Table 1 of Obes Facts 2022 (PMC9210010): 'Age >70 years' is a suspicion factor; a younger age "
     "rules nothing out"},
    {"SO-GRIP-M", "altered_function", SARX__F_GRIP, M, LT, 27.0, "kg", G,
     FUN " (Dodds et al., PLoS One 2014;9:e113637; as EWGSOP2)" UNV},
    {"SO-GRIP-F", "altered_function", SARX__F_GRIP, F, LT, 16.0, "kg", G,
     FUN " (Dodds et al., PLoS One 2014;9:e113637; as EWGSOP2)" UNV},
    {"SO-GRIP-ASIA-M", "altered_function", SARX__F_GRIP, M, LT, 28.0, "kg", A,
     FUN " (AWGS 2019: Chen et al., JAMDA 2020;21:300-307)" UNV},
    {"SO-GRIP-ASIA-F", "altered_function", SARX__F_GRIP, F, LT, 18.0, "kg", A,
     FUN " (AWGS 2019: Chen et al., JAMDA 2020;21:300-307)" UNV},
    {"SO-CHAIR", "altered_function", SARX__F_CHAIR, ANY, GE, 17.0, "s", NONE,
     FUN " (Cesari et al., J Am Geriatr Soc 2009;57:251-259, Health ABC, ages 70-79)" UNV},
    {"SO-CHAIR-UNABLE", "altered_function", SARX__F_CHAIR_UNABLE, ANY, IS, TRUE_, "", SARX__W_ONLY_MET,
     FUN "; sarx: unable to complete five rises counts as altered (docs/DECISIONS.md)"},
    {"SO-FAT-M", "high_fat", SARX__M_FAT_PCT, M, GT, 27.0, "%", NONE,
     BOD " (Baumgartner et al., Am J Epidemiol 1998;147:755-763: sex-specific median, New Mexico older adults)" UNV},
    {"SO-FAT-F", "high_fat", SARX__M_FAT_PCT, F, GT, 38.0, "%", NONE,
     BOD " (Baumgartner et al., Am J Epidemiol 1998;147:755-763: sex-specific median, New Mexico older adults)" UNV},
    {"SO-ALMW-DXA-M", "low_muscle_mass", SARX__M_ASM_WEIGHT, M, LT, 25.7, "%", SARX__W_DXA,
     BOD " (ALM/W by DXA, 2 SD below young adults, NHANES adults >= 60; 25.72 % in Levine & Crimmins, Obesity "
     "2012)" UNV},
    {"SO-ALMW-DXA-F", "low_muscle_mass", SARX__M_ASM_WEIGHT, F, LT, 19.4, "%", SARX__W_DXA,
     BOD " (ALM/W by DXA, 2 SD below young adults, NHANES adults >= 60; 19.43 % in Levine & Crimmins, Obesity "
     "2012)" UNV},
    {"SO-SMMW-M", "low_muscle_mass", SARX__M_SMM_WEIGHT, M, LT, 31.5, "%", NONE,
     BOD " (SMM/W by BIA: Janssen et al., J Am Geriatr Soc 2002;50:889-896, class II, 2 SD below adults 18-39)" UNV},
    {"SO-SMMW-F", "low_muscle_mass", SARX__M_SMM_WEIGHT, F, LT, 22.1, "%", NONE,
     BOD " (SMM/W by BIA: Janssen et al., J Am Geriatr Soc 2002;50:889-896, class II, 2 SD below adults 18-39)" UNV},
    {"SO-COMPLICATIONS", "complications", SARX__F_OBESITY_COMPLICATIONS, ANY, IS, TRUE_, "", NONE,
     DON ", staging: stage II with at least one complication attributable to sarcopenic obesity (ESPEN fact "
     "sheet: metabolic diseases, functional disabilities, cardiovascular and respiratory diseases)"},
};
#define STAGE2                                                                                                   \
    "Stage II: sarcopenic obesity with at least one complication attributable to altered body composition and " \
    "muscle function"
#define STAGE1 "Stage I: sarcopenic obesity without a complication attributable to it"
#define UNSTAGED "Sarcopenic obesity; stage I or II not known: obesity_complications decides"
#define SCREEN_POS                                                                                                \
    "Screen positive (high BMI or waist with a clinical suspicion): ESPEN/EASO proceeds to the diagnosis, grip " \
    "or chair stand, then fat % with ALM/W (DXA) or SMM/W (BIA); not a diagnosis"
#define SCREEN_NEG                                                                                                 \
    "Screen negative: ESPEN/EASO does not proceed to the diagnosis, so sarcopenic obesity was not assessed; this " \
    "does not show it is absent, and measured function and body composition would decide"
/* Positive categories first (cohort.c relies on it).  The screen categories
** come last: they are the result only while the diagnosis is open. */
static const sarx__cat cats[] = {
    {"sarcopenic_obesity_stage_2", 1, "diagnosis & complications", STAGE2, STAGE2},
    {"sarcopenic_obesity_stage_1", 1, "diagnosis & !complications", STAGE1, STAGE1},
    {"sarcopenic_obesity", 1, "diagnosis", UNSTAGED, UNSTAGED},
    {"no_sarcopenic_obesity", 0, "!diagnosis", NULL, NULL},
    {"screen_positive", 0, "screen", SCREEN_POS, SCREEN_POS},
    {"screen_negative", 0, "!screen", SCREEN_NEG, SCREEN_NEG},
};
const sarx__def sarx__def_espen_easo2022 = {
    "espen_easo2022", "ESPEN/EASO sarcopenic obesity (2022)", "1", "sarcopenic_obesity",
    "Donini LM, Busetto L, Bischoff SC, et al. Definition and diagnostic criteria for sarcopenic obesity: ESPEN "
    "and EASO consensus statement. Clin Nutr 2022;41(4):990-1000. doi:10.1016/j.clnu.2021.11.014 / Obes Facts "
    "2022;15(3):321-335. doi:10.1159/000521241",
    "The consensus lists published cut-offs by population without choosing one; sarx's choice is in "
    "docs/DECISIONS.md and was read in a secondary reproduction of the paper's tables. The diagnosis (altered "
    "grip or chair stand, high fat %, low ALM/W by DXA or SMM/W) decides whatever the screen; the screen is the "
    "result only while the diagnosis is open: screen_negative means not assessed, not absent. The body-"
    "composition cut-offs come from US cohorts and are applied to every population. Stage II needs "
    "obesity_complications; unknown, the result is sarcopenic_obesity (incomplete).",
    SARX__DEF_TABLES(crits, macros, rows, cats)};
