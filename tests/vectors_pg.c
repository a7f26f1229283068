/*
** vectors_pg.c — the vectors through the PostgreSQL extension (stub: to be
** written).
*/
#include "vectors.h"

void vec_run_pg(const char *conninfo, vcase *cases, int n)
{
    (void)conninfo;
    if (n)
        vec_fail(&cases[0], "%s", "the PostgreSQL runner is not written yet");
}
