/*
** sarc_calf.c — SARC-CalF: Barbosa-Silva TG et al.  Enhancing SARC-F:
** improving sarcopenia screening in the clinical practice.  JAMDA
** 2016;17:1136-1141.  SARC-F + 10 points when calf circumference is at or
** below 34 cm (men) / 33 cm (women); >= 11 is positive.
*/
#include "shared.h"

#define T "Barbosa-Silva et al., JAMDA 2016;17:1136-1141"
#define CC                                                                                                  \
    "Barbosa-Silva et al., J Cachexia Sarcopenia Muscle 2016;7:136-143, doi:10.1002/jcsm.12049 (COMO VAI?, " \
    "PMC4864188): CC <= 34 cm (men), <= 33 cm (women)"
static const sarx__crit crits[] = {
    {"high_score", "SARC-CalF total of 11 or more"},
    {"calf_points", "Calf circumference scores 10 points (shown, counted in the total)"},
};
static const sarx__row rows[] = {
    {"SARC-CALF-TOTAL", "high_score", SARX__M_CALF_TOTAL, ANY, GE, 11.0, "points", NONE,
     T "; positive >= 11 per AWGS 2019"},
    {"SARC-CALF-CC-M", "calf_points", SARX__F_CALF, M, LE, SARX__CALF_CUT_M, "cm", NONE, CC},
    {"SARC-CALF-CC-F", "calf_points", SARX__F_CALF, F, LE, SARX__CALF_CUT_F, "cm", NONE, CC},
};
static const sarx__cat cats[] = {
    {"positive", 1, "high_score", NULL, NULL},
    {"negative", 0, "!high_score", NULL, NULL},
};
const sarx__def sarx__def_sarc_calf = {
    "sarc_calf", "SARC-CalF (2016)", "1", "screening",
    "Barbosa-Silva TG, Menezes AMB, Bielemann RM, Malmstrom TK, Gonzalez MC. Enhancing SARC-F: improving "
    "sarcopenia screening in the clinical practice. J Am Med Dir Assoc 2016;17(12):1136-1141. "
    "doi:10.1016/j.jamda.2016.08.004",
    "Calf points use <= (the primary COMO VAI? cut-offs by the same authors); the sarx spec said <. AWGS 2019 "
    "case finding keeps < 34/33 cm.",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
