/*
** ewgsop2.c — EWGSOP2: Cruz-Jentoft AJ et al. Sarcopenia: revised European
** consensus on definition and diagnosis.  Age Ageing 2019;48:16-31.
** Strength-led: probable = low strength; confirmed = + low quantity;
** severe = + low physical performance.
*/
#include "shared.h"

static const sarx__crit crits[] = {
    {"low_strength", "Low muscle strength: grip, or 5x chair stand"},
    {"low_muscle_quantity", "Low muscle quantity: ASM/height^2, or ASM when height is unknown"},
    {"low_performance", "Low physical performance: gait speed, SPPB, TUG or 400 m walk"},
};
static const sarx__row rows[] = {
    SARX__EWGSOP2_STRENGTH_ROWS("EWGSOP2"),
    SARX__EWGSOP2_QUANTITY_ROWS("EWGSOP2"),
    {"EWGSOP2-PERF-GAIT", "low_performance", SARX__F_GAIT, ANY, LE, 0.8, "m/s", NONE, EWGSOP2_T3},
    {"EWGSOP2-PERF-SPPB", "low_performance", SARX__F_SPPB, ANY, LE, 8.0, "points", NONE, EWGSOP2_T3},
    {"EWGSOP2-PERF-TUG", "low_performance", SARX__F_TUG, ANY, GE, 20.0, "s", NONE, EWGSOP2_T3},
    {"EWGSOP2-PERF-400M", "low_performance", SARX__F_WALK400, ANY, GE, 360.0, "s", NONE,
     EWGSOP2_T3 " (>= 6 min)"},
    {"EWGSOP2-PERF-400M-NOT-DONE", "low_performance", SARX__F_WALK400_DONE, ANY, IS, FALSE_, "", SARX__W_ONLY_MET,
     EWGSOP2_T3 " (non-completion)"},
};
static const sarx__cat cats[] = {
    {"severe_sarcopenia", 1, "low_strength & low_muscle_quantity & low_performance", NULL, NULL},
    {"sarcopenia", 1, "low_strength & low_muscle_quantity", NULL, NULL},
    {"probable_sarcopenia", 0, "low_strength", NULL, NULL},
    {"no_sarcopenia", 0, "!low_strength", NULL, NULL},
};
const sarx__def sarx__def_ewgsop2 = {
    "ewgsop2", "EWGSOP2 (2019)", "1", "sarcopenia",
    "Cruz-Jentoft AJ, Bahat G, Bauer J, et al. Sarcopenia: revised European consensus on definition and "
    "diagnosis. Age Ageing 2019;48(1):16-31. doi:10.1093/ageing/afy169",
    "The same cut-offs are applied to ASM measured by DXA or BIA: EWGSOP2 gives one set for both (BIA "
    "calibrated against DXA, e.g. Sergi's equation), so BIA mass is not provisional here (docs/DECISIONS.md, "
    "DXA cut-offs on BIA mass). Gait <= 0.8 m/s "
    "and ASMI < 7.0/5.5 follow most copies of Table 3 (one copy prints < 0.8 and <= 7.0/5.5).",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
