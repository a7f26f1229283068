/*
** dynapenia.c — the strength/mass phenotype after Clark BC & Manini TM,
** Sarcopenia != dynapenia, J Gerontol A 2008;63:829-834, using the EWGSOP2
** strength and quantity criteria (definitions.md).
*/
#include "shared.h"

static const sarx__crit crits[] = {
    {"low_strength", "Low muscle strength (EWGSOP2 criteria)"},
    {"low_muscle_quantity", "Low muscle quantity (EWGSOP2 criteria)"},
};
static const sarx__row rows[] = {
    SARX__EWGSOP2_STRENGTH_ROWS("DYNAPENIA"),
    SARX__EWGSOP2_QUANTITY_ROWS("DYNAPENIA"),
};
static const sarx__cat cats[] = {
    {"sarcopenia", 1, "low_strength & low_muscle_quantity", NULL, NULL},
    {"dynapenia", 0, "low_strength & !low_muscle_quantity", NULL, NULL},
    {"myopenia", 0, "!low_strength & low_muscle_quantity", NULL, NULL},
    {"normal", 0, "!low_strength & !low_muscle_quantity", NULL, NULL},
};
const sarx__def sarx__def_dynapenia = {
    "dynapenia", "Dynapenia (Clark & Manini 2008)", "1", "phenotype",
    "Clark BC, Manini TM. Sarcopenia =/= dynapenia. J Gerontol A Biol Sci Med Sci 2008;63(8):829-834. "
    "doi:10.1093/gerona/63.8.829; thresholds from EWGSOP2 (Cruz-Jentoft et al. 2019)",
    "Separates loss of strength (dynapenia) from loss of mass (myopenia); no numeric dynapenia cut-offs are "
    "published, so the EWGSOP2 ones are used.",
    SARX__DEF_TABLES_PLAIN(crits, rows, cats)};
