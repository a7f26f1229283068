/*
** iwgs2011.c — International Working Group on Sarcopenia: Fielding RA et
** al.  JAMDA 2011;12:249-256.
*/
#include "shared.h"

#define T "Fielding et al., JAMDA 2011;12:249-256, abstract"
static const sarx__crit crits[] = {
    {"low_gait_speed", "Gait speed below 1 m/s"},
    {"low_muscle_mass", "Low ALM/height^2"},
};
static const sarx__row rows[] = {
    {"IWGS-GAIT", "low_gait_speed", SARX__F_GAIT, ANY, LT, 1.0, "m/s", NONE, T},
    {"IWGS-ASMI-M", "low_muscle_mass", SARX__M_ASMI, M, LE, 7.23, "kg/m2", NONE, T},
    {"IWGS-ASMI-F", "low_muscle_mass", SARX__M_ASMI, F, LE, 5.67, "kg/m2", NONE, T},
};
static const sarx__cat cats[] = {
    {"sarcopenia", 1, "low_gait_speed & low_muscle_mass", NULL, NULL},
    {"no_sarcopenia", 0, "!low_gait_speed | !low_muscle_mass", NULL, NULL},
};
const sarx__def sarx__def_iwgs2011 = {
    "iwgs2011", "IWGS (2011)", "1", "sarcopenia",
    "Fielding RA, Vellas B, Evans WJ, et al. Sarcopenia: an undiagnosed condition in older adults. Current "
    "consensus definition: prevalence, etiology, and consequences. International Working Group on Sarcopenia. "
    "J Am Med Dir Assoc 2011;12(4):249-256. doi:10.1016/j.jamda.2011.01.003",
    "The ASMI cut-offs come from DXA: with asm_method bia the low_muscle_mass criterion is provisional (docs/DECISIONS.md, DXA cut-offs on BIA mass).",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
