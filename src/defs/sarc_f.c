/*
** sarc_f.c — SARC-F: Malmstrom TK & Morley JE.  SARC-F: a simple
** questionnaire to rapidly diagnose sarcopenia.  JAMDA 2013;14:531-532.
** Five items scored 0-2; total >= 4 is positive.  With items missing the
** total is a range, and the result is decided when the whole range agrees.
*/
#include "shared.h"

static const sarx__crit crits[] = {
    {"high_score", "SARC-F total of 4 or more"},
};
static const sarx__row rows[] = {
    {"SARC-F-TOTAL", "high_score", SARX__M_SF_TOTAL, ANY, GE, 4.0, "points", NONE,
     "Malmstrom & Morley, JAMDA 2013;14:531-532"},
};
static const sarx__cat cats[] = {
    {"positive", 1, "high_score", NULL, NULL},
    {"negative", 0, "!high_score", NULL, NULL},
};
const sarx__def sarx__def_sarc_f = {
    "sarc_f", "SARC-F (2013)", "1", "screening",
    "Malmstrom TK, Morley JE. SARC-F: a simple questionnaire to rapidly diagnose sarcopenia. J Am Med Dir "
    "Assoc 2013;14(8):531-532. doi:10.1016/j.jamda.2013.05.018",
    "A screening instrument: positive means 'assess further', not sarcopenia.",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
