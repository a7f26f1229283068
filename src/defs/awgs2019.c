/*
** awgs2019.c — AWGS 2019: Chen LK et al. Asian Working Group for
** Sarcopenia: 2019 consensus update.  JAMDA 2020;21:300-307.
** possible = low strength or low performance; sarcopenia = low mass + either;
** severe = all three.  Case-finding results are reported, not combined.
*/
#include "shared.h"

static const sarx__crit crits[] = {
    {"low_strength", "Low muscle strength: grip"},
    {"low_performance", "Low physical performance: 6 m gait, 5x chair stand or SPPB"},
    {"low_muscle_mass", "Low muscle mass: ASM/height^2 by DXA or BIA"},
    {"case_finding_calf", "Case finding: calf circumference (reported, not combined)"},
    {"case_finding_sarc_f", "Case finding: SARC-F >= 4 (reported, not combined)"},
    {"case_finding_sarc_calf", "Case finding: SARC-CalF >= 11 (reported, not combined)"},
};
static const sarx__row rows[] = {
    {"AWGS2019-STR-GRIP-M", "low_strength", SARX__F_GRIP, M, LT, 28.0, "kg", NONE, AWGS2019_ABS},
    {"AWGS2019-STR-GRIP-F", "low_strength", SARX__F_GRIP, F, LT, 18.0, "kg", NONE, AWGS2019_ABS},
    {"AWGS2019-PERF-GAIT", "low_performance", SARX__F_GAIT, ANY, LT, 1.0, "m/s", NONE, AWGS2019_ABS},
    {"AWGS2019-PERF-CHAIR", "low_performance", SARX__F_CHAIR, ANY, GE, 12.0, "s", NONE, AWGS2019_ABS},
    {"AWGS2019-PERF-CHAIR-UNABLE", "low_performance", SARX__F_CHAIR_UNABLE, ANY, IS, TRUE_, "", SARX__W_ONLY_MET,
     "sarx: not completing 5 rises implies >= 12 s (AWGS 2019)"},
    {"AWGS2019-PERF-SPPB", "low_performance", SARX__F_SPPB, ANY, LE, 9.0, "points", NONE, AWGS2019_ABS},
    SARX__AWGS2019_ASMI_ROWS("AWGS2019-MASS", "low_muscle_mass", NONE),
    {"AWGS2019-CF-CALF-M", "case_finding_calf", SARX__F_CALF, M, LT, SARX__CALF_CUT_M, "cm", NONE, AWGS2019_ABS},
    {"AWGS2019-CF-CALF-F", "case_finding_calf", SARX__F_CALF, F, LT, SARX__CALF_CUT_F, "cm", NONE, AWGS2019_ABS},
    {"AWGS2019-CF-SARC-F", "case_finding_sarc_f", SARX__M_SF_TOTAL, ANY, GE, 4.0, "points", NONE, AWGS2019_ABS},
    {"AWGS2019-CF-SARC-CALF", "case_finding_sarc_calf", SARX__M_CALF_TOTAL, ANY, GE, 11.0, "points", NONE,
     AWGS2019_ABS},
};
static const sarx__cat cats[] = {
    {"severe_sarcopenia", 1, "low_muscle_mass & low_strength & low_performance", NULL, NULL},
    {"sarcopenia", 1, "low_muscle_mass & (low_strength | low_performance)", NULL, NULL},
    {"possible_sarcopenia", 0, "low_strength | low_performance", NULL, NULL},
    {"no_sarcopenia", 0, "!low_strength & !low_performance", NULL, NULL},
};
const sarx__def sarx__def_awgs2019 = {
    "awgs2019", "AWGS 2019", "1", "sarcopenia",
    "Chen LK, Woo J, Assantachai P, et al. Asian Working Group for Sarcopenia: 2019 Consensus Update on "
    "Sarcopenia Diagnosis and Treatment. J Am Med Dir Assoc 2020;21(3):300-307.e2. "
    "doi:10.1016/j.jamda.2019.12.012",
    "possible_sarcopenia is AWGS's strength/performance-only label; it is incomplete when mass was not "
    "measured. Case-finding criteria are shown but do not change the category.",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
