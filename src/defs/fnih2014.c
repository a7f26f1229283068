/*
** fnih2014.c — FNIH Sarcopenia Project: Studenski SA et al.  J Gerontol A
** Biol Sci Med Sci 2014;69:547-558.
*/
#include "shared.h"

#define T "Studenski et al., J Gerontol A 2014;69:547-558, abstract"
static const sarx__crit crits[] = {
    {"weakness", "Weakness: grip"},
    {"low_lean_mass", "Low lean mass: ALM/BMI"},
    {"slowness", "Slowness: gait speed"},
};
static const sarx__row rows[] = {
    {"FNIH-WEAK-GRIP-M", "weakness", SARX__F_GRIP, M, LT, 26.0, "kg", NONE, T},
    {"FNIH-WEAK-GRIP-F", "weakness", SARX__F_GRIP, F, LT, 16.0, "kg", NONE, T},
    {"FNIH-LEAN-ALMBMI-M", "low_lean_mass", SARX__M_ALM_BMI, M, LT, 0.789, "m2", NONE, T},
    {"FNIH-LEAN-ALMBMI-F", "low_lean_mass", SARX__M_ALM_BMI, F, LT, 0.512, "m2", NONE, T},
    {"FNIH-SLOW-GAIT", "slowness", SARX__F_GAIT, ANY, LT, 0.8, "m/s", NONE, T " (less than 0.8 m/s)"},
};
static const sarx__cat cats[] = {
    {"weakness_slowness_low_lean_mass", 1, "weakness & low_lean_mass & slowness", NULL, NULL},
    {"weakness_low_lean_mass", 1, "weakness & low_lean_mass", NULL, NULL},
    {"no_sarcopenia", 0, "!weakness | !low_lean_mass", NULL, NULL},
};
const sarx__def sarx__def_fnih2014 = {
    "fnih2014", "FNIH (2014)", "1", "sarcopenia",
    "Studenski SA, Peters KW, Alley DE, et al. The FNIH Sarcopenia Project: rationale, study description, "
    "conference recommendations, and final estimates. J Gerontol A Biol Sci Med Sci 2014;69(5):547-558. "
    "doi:10.1093/gerona/glu010",
    "The ALM/BMI cut-offs come from DXA lean mass: with asm_method bia the low_lean_mass criterion is provisional (docs/DECISIONS.md, DXA cut-offs on BIA mass).",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
