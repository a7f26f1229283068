/*
** cohort_run.h — the cohort pipeline of `sarx cohort` (cohort_run.c).
*/
#ifndef SARX_COHORT_RUN_H
#define SARX_COHORT_RUN_H

#include "sarx.h"

typedef struct cohort_opts {
    const char *path, *rows_path, *summary_path, *plot_dir, *errors_path;
    unsigned flags;
    int threads;
    char delim;
    /* results */
    sarx_ctx *ctx;
    sarx_cohort *cohort; /* merged counts */
} cohort_opts;

/* Read, classify and write rows.  Returns 0, 1 (some row rejected or a read
** error), or 2 (could not start: bad header, unreadable file). */
int cohort_run(cohort_opts *o);

#endif
