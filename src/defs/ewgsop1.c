/*
** ewgsop1.c — EWGSOP1: Cruz-Jentoft AJ et al. Sarcopenia: European consensus
** on definition and diagnosis.  Age Ageing 2010;39:412-423.
** Mass-led: presarcopenia = low mass; sarcopenia = + low strength or low
** performance; severe = all three.
*/
#include "shared.h"

#define T "Cruz-Jentoft et al., Age Ageing 2010;39:412-423, cut-off table (as restated in later reviews)"
static const sarx__crit crits[] = {
    {"low_muscle_mass", "Low muscle mass: ASM/height^2 (Baumgartner cut-offs)"},
    {"low_strength", "Low muscle strength: grip"},
    {"low_performance", "Low physical performance: gait speed"},
};
static const sarx__row rows[] = {
    {"EWGSOP1-MASS-ASMI-M", "low_muscle_mass", SARX__M_ASMI, M, LT, 7.26, "kg/m2", NONE, T},
    {"EWGSOP1-MASS-ASMI-F", "low_muscle_mass", SARX__M_ASMI, F, LT, 5.5, "kg/m2", NONE, T},
    {"EWGSOP1-STR-GRIP-M", "low_strength", SARX__F_GRIP, M, LT, 30.0, "kg", NONE, T " (Lauretani 2003)"},
    {"EWGSOP1-STR-GRIP-F", "low_strength", SARX__F_GRIP, F, LT, 20.0, "kg", NONE, T " (Lauretani 2003)"},
    {"EWGSOP1-PERF-GAIT", "low_performance", SARX__F_GAIT, ANY, LE, 0.8, "m/s", NONE,
     "Cruz-Jentoft et al. 2010, case-finding algorithm (gait <= 0.8 m/s)"},
};
static const sarx__cat cats[] = {
    {"severe_sarcopenia", 1, "low_muscle_mass & low_strength & low_performance", NULL, NULL},
    {"sarcopenia", 1, "low_muscle_mass & (low_strength | low_performance)", NULL, NULL},
    {"presarcopenia", 0, "low_muscle_mass", NULL, NULL},
    {"no_sarcopenia", 0, "!low_muscle_mass", NULL, NULL},
};
const sarx__def sarx__def_ewgsop1 = {
    "ewgsop1", "EWGSOP1 (2010)", "1", "sarcopenia",
    "Cruz-Jentoft AJ, Baeyens JP, Bauer JM, et al. Sarcopenia: European consensus on definition and "
    "diagnosis. Age Ageing 2010;39(4):412-423. doi:10.1093/ageing/afq034",
    "Mass cut-offs 7.26/5.5 kg/m2 as restated by secondary sources (the women's Baumgartner value is 5.45). "
    "Gait <= 0.8 m/s follows the EWGSOP1 algorithm; some tables print < 0.8. The mass cut-offs come from DXA:"
    " with asm_method bia the low_muscle_mass criterion is provisional (docs/DECISIONS.md, DXA cut-offs on BIA mass).",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
