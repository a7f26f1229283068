/*
** baumgartner1998.c — New Mexico Elder Health Survey: Baumgartner RN et al.
** Am J Epidemiol 1998;147:755-763.  ASM/height^2 more than 2 SD below the
** young-adult reference mean (DXA).
*/
#include "shared.h"

#define T "Baumgartner et al., Am J Epidemiol 1998;147:755-763 (as restated in later reviews)"
static const sarx__crit crits[] = {
    {"low_muscle_mass", "ASM/height^2 more than 2 SD below the young reference mean"},
};
static const sarx__row rows[] = {
    {"BAUMGARTNER-ASMI-M", "low_muscle_mass", SARX__M_ASMI, M, LT, 7.26, "kg/m2", NONE, T},
    {"BAUMGARTNER-ASMI-F", "low_muscle_mass", SARX__M_ASMI, F, LT, 5.45, "kg/m2", NONE, T},
};
static const sarx__cat cats[] = {
    {"sarcopenia", 1, "low_muscle_mass", NULL, NULL},
    {"no_sarcopenia", 0, "!low_muscle_mass", NULL, NULL},
};
const sarx__def sarx__def_baumgartner1998 = {
    "baumgartner1998", "Baumgartner (1998)", "1", "sarcopenia",
    "Baumgartner RN, Koehler KM, Gallagher D, et al. Epidemiology of sarcopenia among the elderly in New "
    "Mexico. Am J Epidemiol 1998;147(8):755-763. doi:10.1093/oxfordjournals.aje.a009520",
    "Cut-offs 7.26/5.45 kg/m2 from secondary restatements; the paper itself was not read. They come from DXA:"
    " with asm_method bia the low_muscle_mass criterion is provisional (docs/DECISIONS.md, DXA cut-offs on BIA mass).",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
