/*
** csvfile.h — sarx.classify_csv (csvfile.c): a CSV file read and classified
** by the library.  Private to python/src.
*/
#ifndef SARX_PY_CSVFILE_H
#define SARX_PY_CSVFILE_H

#include "columns.h"

/* Once, when the module is made: 0, or -1 with an exception. */
int sxpy_csvfile_init(PyObject *module);
/* classify_csv(ctx, path, map=None, na=None, delimiter=0, decimal_comma=False)
** -> (rows, [(codes, complete) per definition], rejected rows, summary JSON):
** codes and complete are buffers of one byte per row (codes as
** Cohort.classify gives them); delimiter 0: found from the header. */
PyObject *sxpy_classify_csv(PyObject *mod, PyObject *args, PyObject *kw);

/* From _sarx.c: the exception for err (NULL returned), and the sarx_ctx of
** a Context (NULL with a TypeError when o is not one). */
PyObject *sxpy_raise(const sarx_error *err);
const sarx_ctx *sxpy_context(PyObject *o);

#endif
