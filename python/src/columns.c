/*
** columns.c — the Python extension's reading of columns: each column's
** buffer taken by the buffer protocol (numbers read in place, any stride),
** and each text cell's object turned into the text of its cell.  Nothing
** here reads a value: the library does (sarx_cohort_columns).
*/
#include "columns.h"

#include <datetime.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static PyObject *na_objects; /* a tuple of the objects that are missing (pd.NA, pd.NaT) */

int sxpy_columns_init(void)
{
    PyDateTime_IMPORT; /* this file's own pointer to the datetime C API */
    return PyDateTimeAPI ? 0 : -1;
}

void sxpy_set_missing(PyObject *tuple)
{
    Py_INCREF(tuple);
    Py_XSETREF(na_objects, tuple);
}


static int is_missing_object(PyObject *o)
{
    Py_ssize_t i, n;
    if (o == Py_None)
        return 1;
    if (PyFloat_Check(o))
        return isnan(PyFloat_AS_DOUBLE(o));
    n = na_objects ? PyTuple_GET_SIZE(na_objects) : 0;
    for (i = 0; i < n; i++)
        if (PyTuple_GET_ITEM(na_objects, i) == o)
            return 1;
    return 0;
}

/* Keep o alive in temps (stealing it) and point at its UTF-8 bytes. */
static int keep_bytes(PyObject *temps, PyObject *b, const char **p, size_t *len)
{
    if (!b)
        return -1;
    if (PyList_Append(temps, b) < 0) {
        Py_DECREF(b);
        return -1;
    }
    Py_DECREF(b);
    *p = PyBytes_AS_STRING(b);
    *len = (size_t)PyBytes_GET_SIZE(b);
    return 0;
}

/* The text of str(o) as UTF-8 (lone surrogates replaced), kept in temps. */
static int str_text(PyObject *o, PyObject *temps, const char **p, size_t *len)
{
    PyObject *s = PyUnicode_Check(o) ? (Py_INCREF(o), o) : PyObject_Str(o), *b;
    if (!s)
        return -1;
    b = PyUnicode_AsEncodedString(s, "utf-8", "replace");
    Py_DECREF(s);
    return keep_bytes(temps, b, p, len);
}

/* A list cell from a list or tuple: each item's text appended with
** sarx_csv_list_append (the library's escaping), missing items skipped. */
static int list_text(PyObject *o, PyObject *temps, const char **p, size_t *len)
{
    PyObject *fast = PySequence_Fast(o, "a list"), *tmp = PyList_New(0), *b = NULL;
    Py_ssize_t i, n;
    size_t used = 0, cap = 64;
    char *buf = NULL;
    int first = 1, rc = -1;
    if (!fast || !tmp)
        goto done;
    buf = PyMem_Malloc(cap);
    if (!buf) {
        PyErr_NoMemory();
        goto done;
    }
    n = PySequence_Fast_GET_SIZE(fast);
    for (i = 0; i < n; i++) {
        PyObject *it = PySequence_Fast_GET_ITEM(fast, i);
        const char *s;
        size_t l, need;
        if (is_missing_object(it))
            continue;
        if (str_text(it, tmp, &s, &l) < 0)
            goto done;
        need = sarx_csv_list_append(NULL, 0, s, l, first);
        if (used + need + 1 > cap) {
            char *nb;
            while (used + need + 1 > cap)
                cap *= 2;
            nb = PyMem_Realloc(buf, cap);
            if (!nb) {
                PyErr_NoMemory();
                goto done;
            }
            buf = nb;
        }
        used += sarx_csv_list_append(buf + used, cap - used, s, l, first);
        first = 0;
    }
    if (first) { /* nothing in it: missing */
        *p = NULL;
        *len = 0;
        rc = 0;
        goto done;
    }
    b = PyBytes_FromStringAndSize(buf, (Py_ssize_t)used);
    rc = keep_bytes(temps, b, p, len);
done:
    PyMem_Free(buf);
    Py_XDECREF(tmp);
    Py_XDECREF(fast);
    return rc;
}

/* The text of one cell: *p NULL when missing (None, NaN, pd.NA, pd.NaT, an
** empty list).  str: its UTF-8 (no copy); bool: "true"/"false"; a date or
** datetime: YYYY-MM-DD; a list or tuple: a list cell; bytes: as they are;
** anything else (numbers): str(o), which for a float is the shortest text
** that reads back as the same double. */
static int cell_text(PyObject *o, PyObject *temps, const char **p, size_t *len)
{
    if (PyUnicode_CheckExact(o) && PyUnicode_IS_COMPACT_ASCII(o)) { /* the common cell: its bytes in place */
        *p = (const char *)PyUnicode_DATA(o);
        *len = (size_t)PyUnicode_GET_LENGTH(o);
        return 0;
    }
    if (is_missing_object(o)) {
        *p = NULL;
        *len = 0;
        return 0;
    }
    if (PyUnicode_Check(o)) {
        Py_ssize_t l;
        const char *s = PyUnicode_AsUTF8AndSize(o, &l);
        if (s) {
            *p = s;
            *len = (size_t)l;
            return 0;
        }
        PyErr_Clear(); /* lone surrogates: replaced */
        return str_text(o, temps, p, len);
    }
    if (PyBool_Check(o)) {
        *p = o == Py_True ? "true" : "false";
        *len = strlen(*p);
        return 0;
    }
    if (PyBytes_Check(o)) {
        *p = PyBytes_AS_STRING(o);
        *len = (size_t)PyBytes_GET_SIZE(o);
        return 0;
    }
    if (PyDate_Check(o)) {
        char d[32];
        int n = snprintf(d, sizeof d, "%04d-%02d-%02d", PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o),
                         PyDateTime_GET_DAY(o));
        return keep_bytes(temps, PyBytes_FromStringAndSize(d, n), p, len);
    }
    if (PyList_Check(o) || PyTuple_Check(o))
        return list_text(o, temps, p, len);
    return str_text(o, temps, p, len);
}

static void colsrc_release(colsrc *s)
{
    if (s->have_view)
        PyBuffer_Release(&s->view);
    s->have_view = 0;
    PyMem_Free(s->cat_text);
    PyMem_Free(s->cat_len);
    PyMem_Free(s->ptrs);
    PyMem_Free(s->lens);
    Py_XDECREF(s->catseq);
    memset(s, 0, sizeof *s);
}

static const char *kind_name(int kind)
{
    static const char *const n[] = {"none", "float64", "float32", "int32", "int64", "bool", "text", "categorical"};
    return kind >= 0 && kind <= 7 ? n[kind] : "?";
}

/* Take column j's description: kind, buffers, the item size checked.
** nrows: the rows every column must have.  block: rows per block (text
** pointer arrays).  keep keeps the categories' texts for the call. */
static int colsrc_take(colsrc *s, PyObject *desc, Py_ssize_t j, Py_ssize_t nrows, Py_ssize_t block,
                       PyObject *keep)
{
    static const Py_ssize_t size[] = {0, sizeof(double), sizeof(float), sizeof(int32_t), sizeof(int64_t), 1,
                                      sizeof(PyObject *), 0};
    PyObject *data, *na;
    int kind;
    unsigned flags;
    memset(s, 0, sizeof *s);
    if (!PyTuple_Check(desc) || PyTuple_GET_SIZE(desc) != 4) {
        PyErr_Format(PyExc_TypeError, "column %zd: expected (kind, data, flags, na)", j);
        return -1;
    }
    kind = (int)PyLong_AsLong(PyTuple_GET_ITEM(desc, 0));
    flags = (unsigned)PyLong_AsUnsignedLong(PyTuple_GET_ITEM(desc, 2));
    if (PyErr_Occurred())
        return -1;
    data = PyTuple_GET_ITEM(desc, 1);
    na = PyTuple_GET_ITEM(desc, 3);
    if (kind < 0 || kind > KIND_CAT) {
        PyErr_Format(PyExc_ValueError, "column %zd: unknown kind %d", j, kind);
        return -1;
    }
    s->kind = kind;
    s->flags = flags;
    if (na != Py_None) {
        s->has_na = 1;
        s->na = PyLong_AsLongLong(na);
        if (PyErr_Occurred())
            return -1;
    }
    if (kind == SARX_COLUMN_NONE)
        return 0;
    if (kind == KIND_CAT) {
        Py_ssize_t k;
        if (!PyTuple_Check(data) || PyTuple_GET_SIZE(data) != 2) {
            PyErr_Format(PyExc_TypeError, "column %zd: categorical data must be (codes, categories)", j);
            return -1;
        }
        s->catseq = PySequence_Fast(PyTuple_GET_ITEM(data, 1), "categories must be a sequence");
        if (!s->catseq)
            return -1;
        s->ncats = PySequence_Fast_GET_SIZE(s->catseq);
        s->cats = PySequence_Fast_ITEMS(s->catseq);
        s->cat_text = PyMem_Calloc((size_t)s->ncats + 1, sizeof *s->cat_text);
        s->cat_len = PyMem_Calloc((size_t)s->ncats + 1, sizeof *s->cat_len);
        if (!s->cat_text || !s->cat_len) {
            PyErr_NoMemory();
            return -1;
        }
        for (k = 0; k < s->ncats; k++)
            if (cell_text(s->cats[k], keep, &s->cat_text[k], &s->cat_len[k]) < 0)
                return -1;
        data = PyTuple_GET_ITEM(data, 0);
    }
    if (PyObject_GetBuffer(data, &s->view, PyBUF_STRIDES | PyBUF_FORMAT) < 0)
        return -1;
    s->have_view = 1;
    if (s->view.ndim != 1 || s->view.shape[0] != nrows) {
        PyErr_Format(PyExc_ValueError, "column %zd: expected a 1-d array of %zd rows", j, nrows);
        return -1;
    }
    if (kind == KIND_CAT) {
        if (s->view.itemsize != 1 && s->view.itemsize != 2 && s->view.itemsize != 4 && s->view.itemsize != 8) {
            PyErr_Format(PyExc_ValueError, "column %zd: categorical codes of %zd bytes", j, s->view.itemsize);
            return -1;
        }
    } else if (s->view.itemsize != size[kind] ||
               (kind == KIND_TEXT && (!s->view.format || strcmp(s->view.format, "O") != 0))) {
        PyErr_Format(PyExc_ValueError, "column %zd: %zd-byte items (format %s) for a %s column", j,
                     s->view.itemsize, s->view.format ? s->view.format : "?", kind_name(kind));
        return -1;
    }
    if (kind <= SARX_COLUMN_BOOL8 && s->view.strides[0] == 0 && nrows > 1) {
        /* the library reads a stride of 0 as the type's size */
        PyErr_Format(PyExc_ValueError, "column %zd: a stride of 0 (a broadcast array): make it contiguous", j);
        return -1;
    }
    if (kind == KIND_TEXT || kind == KIND_CAT) {
        s->ptrs = PyMem_Calloc((size_t)block + 1, sizeof *s->ptrs);
        s->lens = PyMem_Calloc((size_t)block + 1, sizeof *s->lens);
        if (!s->ptrs || !s->lens) {
            PyErr_NoMemory();
            return -1;
        }
    }
    return 0;
}

/* The descriptor of rows start .. start + m - 1 of s (text made now, with
** the GIL held). */
int sxpy_colsrc_block(colsrc *s, Py_ssize_t start, Py_ssize_t m, PyObject *temps, sarx_column *c)
{
    Py_ssize_t i, stride = s->have_view ? s->view.strides[0] : 0;
    const char *base = s->have_view ? (const char *)s->view.buf + start * stride : NULL;
    memset(c, 0, sizeof *c);
    c->flags = s->flags;
    c->has_na = s->has_na;
    c->na = s->na;
    if (s->kind == SARX_COLUMN_NONE) {
        c->type = SARX_COLUMN_NONE;
        return 0;
    }
    if (s->kind <= SARX_COLUMN_BOOL8) {
        c->type = s->kind;
        c->data = base;
        c->stride = stride;
        return 0;
    }
    c->type = SARX_COLUMN_TEXT;
    c->data = s->ptrs;
    c->stride = sizeof *s->ptrs;
    c->lens = s->lens;
    c->has_na = 0;
    if (s->kind == KIND_TEXT) {
        for (i = 0; i < m; i++)
            if (cell_text(*(PyObject *const *)(base + i * stride), temps, &s->ptrs[i], &s->lens[i]) < 0)
                return -1;
        return 0;
    }
    for (i = 0; i < m; i++) {
        const char *p = base + i * stride;
        long long code;
        switch (s->view.itemsize) {
        case 1: code = *(const int8_t *)p; break;
        case 2: code = *(const int16_t *)p; break;
        case 4: code = *(const int32_t *)p; break;
        default: code = *(const int64_t *)p; break;
        }
        if (code < 0 || code >= s->ncats) {
            s->ptrs[i] = NULL;
            s->lens[i] = 0;
        } else {
            s->ptrs[i] = s->cat_text[code];
            s->lens[i] = s->cat_len[code];
        }
    }
    return 0;
}


void sxpy_on_row_error(void *arg, size_t row, const sarx_error *err)
{
    errbuf *b = arg;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        struct rowerr *nv = realloc(b->v, cap * sizeof *nv);
        if (!nv) {
            b->oom = 1;
            return;
        }
        b->v = nv;
        b->cap = cap;
    }
    b->v[b->n].row = row;
    b->v[b->n].e = *err;
    b->n++;
}


void sxpy_colset_release(colset *cs)
{
    Py_ssize_t j;
    for (j = 0; cs->src && j < cs->n; j++)
        colsrc_release(&cs->src[j]);
    PyMem_Free(cs->src);
    PyMem_Free(cs->cols);
    memset(cs, 0, sizeof *cs);
}

int sxpy_colset_take(colset *cs, PyObject *descs, Py_ssize_t nrows, Py_ssize_t block, PyObject *keep)
{
    PyObject *fast = PySequence_Fast(descs, "columns must be a sequence");
    Py_ssize_t j;
    memset(cs, 0, sizeof *cs);
    if (!fast)
        return -1;
    cs->n = PySequence_Fast_GET_SIZE(fast);
    cs->src = PyMem_Calloc((size_t)cs->n + 1, sizeof *cs->src);
    cs->cols = PyMem_Calloc((size_t)cs->n + 1, sizeof *cs->cols);
    if (!cs->src || !cs->cols) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (j = 0; j < cs->n; j++)
        if (colsrc_take(&cs->src[j], PySequence_Fast_GET_ITEM(fast, j), j, nrows, block, keep) < 0) {
            Py_DECREF(fast);
            return -1;
        }
    Py_DECREF(fast);
    return 0;
}
