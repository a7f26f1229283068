/*
** sdoc2020.c — Sarcopenia Definitions and Outcomes Consortium: Bhasin S et
** al.  J Am Geriatr Soc 2020;68:1410-1418.  Lean mass is deliberately not
** part of SDOC.
*/
#include "shared.h"

#define T "Bhasin et al., J Am Geriatr Soc 2020;68:1410-1418; Cawthon et al. 2020"
static const sarx__crit crits[] = {
    {"weakness", "Weakness: grip"},
    {"slowness", "Slowness: usual gait speed"},
};
static const sarx__row rows[] = {
    {"SDOC-WEAK-GRIP-M", "weakness", SARX__F_GRIP, M, LT, 35.5, "kg", NONE, T},
    {"SDOC-WEAK-GRIP-F", "weakness", SARX__F_GRIP, F, LT, 20.0, "kg", NONE, T},
    {"SDOC-SLOW-GAIT", "slowness", SARX__F_GAIT, ANY, LT, 0.8, "m/s", NONE, T},
};
static const sarx__cat cats[] = {
    {"sarcopenia", 1, "weakness & slowness", NULL, NULL},
    {"no_sarcopenia", 0, "!weakness | !slowness", NULL, NULL},
};
const sarx__def sarx__def_sdoc2020 = {
    "sdoc2020", "SDOC (2020)", "1", "sarcopenia",
    "Bhasin S, Travison TG, Manini TM, et al. Sarcopenia Definition: The Position Statements of the "
    "Sarcopenia Definition and Outcomes Consortium. J Am Geriatr Soc 2020;68(7):1410-1418. doi:10.1111/jgs.16372",
    "Lean mass by DXA is not part of the SDOC definition.",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
