/*
** sarx_r.h — what the C files of the R package share.  The package is a
** thin client of libsarx: every rule, reading, band and statistic is the
** library's; this code only moves R vectors in and results out.
*/
#ifndef SARX_R_H
#define SARX_R_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <sarx.h>

/* A JSON text as R values (json.c): objects are named lists, arrays of
** scalars of one kind atomic vectors (null as NA), other arrays lists. */
SEXP sxr_json_to_r(const char *text, size_t len);
SEXP sxr_json_parse(SEXP text);

/* A context with the definitions list names (NULL or "": all of them);
** NULL with err set when the list names none. */
int sxr_ctx(SEXP definitions, sarx_ctx **out, sarx_error *err);
/* Reading options from classify()'s map and na arguments (see R/sarx.R):
** map_text a map file's text or NULL; renames c(column = field); values a
** list(column, from, to); na the missing-value codes or NULL. */
int sxr_readopts(SEXP map_text, SEXP renames, SEXP values, SEXP na, sarx_readopts **out, sarx_error *err);
/* Raise an R error of class sarx_error carrying err's fields. */
void sxr_stop(const char *what, const sarx_error *err) __attribute__((noreturn));

/* One cell of a list column as one list cell's text, or NULL (missing);
** R_alloc'd (meta.c). */
const char *sxr_list_text(SEXP cell);

SEXP sxr_version(void);
SEXP sxr_fields(void);
SEXP sxr_definitions(SEXP definitions);
/* data: the columns (a plain list), names their UTF-8 names, nrow the row
** count (the data frame's: R's, never a column's length). */
SEXP sxr_classify(SEXP data, SEXP names, SEXP nrow, SEXP definitions, SEXP map_text, SEXP renames, SEXP values,
                  SEXP na, SEXP want_rows, SEXP block);
SEXP sxr_assess(SEXP data, SEXP names, SEXP nrow, SEXP json, SEXP definitions, SEXP map_text, SEXP renames,
                SEXP values, SEXP na, SEXP guidance);

#endif
