/*
** vectors_sqlite.c — the vectors through the SQLite extension (stub: to be
** written).
*/
#include "vectors.h"

void vec_run_sqlite(const char *ext, vcase *cases, int n)
{
    (void)ext;
    if (n)
        vec_fail(&cases[0], "%s", "the SQLite runner is not written yet");
}
