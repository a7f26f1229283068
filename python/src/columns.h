/*
** columns.h — the Python extension's reading of columns (columns.c):
** numpy arrays and Python objects as sarx_column descriptors, block by
** block.  Private to python/src.
*/
#ifndef SARX_PY_COLUMNS_H
#define SARX_PY_COLUMNS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "sarx.h"

#define KIND_TEXT 6
#define KIND_CAT 7

/* One column as given, with its buffers. */
typedef struct {
    int kind;
    unsigned flags;
    int has_na;
    long long na;
    Py_buffer view;       /* numbers; text (objects); categorical codes */
    int have_view;
    PyObject **cats;      /* categorical: the categories (borrowed from catseq) */
    Py_ssize_t ncats;
    PyObject *catseq;
    const char **cat_text; /* categorical: each category's text (NULL: missing) */
    size_t *cat_len;
    const char **ptrs;     /* text, categorical: this block's cells */
    size_t *lens;
} colsrc;

/* The columns of a call, taken from a sequence of descriptors. */
typedef struct {
    colsrc *src;
    sarx_column *cols;
    Py_ssize_t n;
} colset;

/* The rejected rows of a block, gathered while the GIL is released. */
typedef struct {
    size_t n, cap;
    int oom;
    struct rowerr {
        size_t row;
        sarx_error e;
    } *v;
} errbuf;

/* Once, when the module is made: 0, or -1 with an exception. */
int sxpy_columns_init(void);
/* The objects that are missing in an object column besides None and NaN
** (pd.NA, pd.NaT): a tuple, set once when the package is imported. */
void sxpy_set_missing(PyObject *tuple);
/* Take the descriptors (kind, data, flags, na) of a call's columns: nrows
** rows each; block: rows per block; keep holds texts made for the call. */
int sxpy_colset_take(colset *cs, PyObject *descs, Py_ssize_t nrows, Py_ssize_t block, PyObject *keep);
void sxpy_colset_release(colset *cs);
/* The sarx_column of rows start .. start + m - 1 of s; the texts made for
** it live in temps until the block is done.  With the GIL held. */
int sxpy_colsrc_block(colsrc *s, Py_ssize_t start, Py_ssize_t m, PyObject *temps, sarx_column *c);
/* sarx_row_error for an errbuf (arg), called without the GIL. */
void sxpy_on_row_error(void *arg, size_t row, const sarx_error *err);

#endif
