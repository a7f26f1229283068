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
    char delim; /* ',', ';' or '\t'; 0: found from the header (cohort_run) */
    /* How the cells are read (--na, --map, --rename; NULL: the defaults),
    ** owned by the caller; the header and the delimiter's detection both
    ** use it. */
    const sarx_readopts *ropts;
    const char *definitions; /* --definitions LIST, or NULL: all */
    int progress;            /* CLI_PROGRESS_AUTO, _ON (--progress) or _OFF (--quiet): progress.h */
    /* results */
    sarx_ctx *ctx;
    sarx_cohort *cohort; /* merged counts */
    char **colname;      /* the header's columns, as written (for errors.csv) */
    size_t ncol;
} cohort_opts;

/* Read, classify and write rows.  Returns 0; 1 (some row rejected, a read
** error, a header that names a field twice, a file that cannot be read); or
** 2, nothing read: a header in which no column is a field sarx knows (the
** columns seen and the delimiter that would give known ones are said),
** --decimal-comma with ','-separated columns, --definitions that names no
** definition, or a header that the options (--map, --rename) do not fit: a
** column they name that is not there, two columns into one field, a value
** map on a column that feeds none. */
int cohort_run(cohort_opts *o);
/* Release what cohort_run left in o (the context, the cohort, the names). */
void cohort_done(cohort_opts *o);

/* ---- cohort_header.c: the header, at the start of text (len bytes, eof
** when that is all there is; whole there under ',' or o->delim) ---- */
/* For a file given without --delimiter: o->delim, whichever of ',', ';'
** and tab splits the header into the most columns that sarx knows, as
** o->ropts maps them (in that order when they tie, so ',' when none does;
** when a column the options name is in no split, the one with the most
** columns), said on stderr unless it is ','.  Returns 0, or 1 when out of
** memory (said). */
int cohort_find_delimiter(cohort_opts *o, const char *text, size_t len, int eof);
/* The header under o->delim: 0, its cells kept in o->colname; 2 when no
** column is a field sarx knows (said: the columns seen, and the delimiter
** that would give known ones); 1 when out of memory (said). */
int cohort_check_header(cohort_opts *o, const char *text, size_t len, int eof);

#endif
