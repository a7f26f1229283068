/*
** _sarx.c — the Python package's C extension: a thin client of libsarx
** (include/sarx.h) through CPython's C API.  It reads columns (numpy
** arrays, by the buffer protocol, without copying) into sarx_column
** descriptors, block by block, and lets the library classify and count
** them (sarx_cohort_columns) with the GIL released.  Every rule, reading,
** band and statistic is the library's: nothing here interprets a value
** beyond turning a Python object into the text of its cell.
**
** Types:
**   Context(definitions=None)   a sarx_ctx (sarx_ctx_select when given)
**   Cohort(ctx, names, map=None, na=None, decimal_comma=False)
**                               a sarx_cohort made from the column names
** Functions: fields(), version(), classify_csv() (csvfile.c: a CSV file
** read and classified by the library).
** A column is given to Cohort.classify as a tuple (kind, data, flags, na):
**   kind 0: no values (data None)
**   kind 1-5: SARX_COLUMN_DOUBLE/FLOAT/INT32/INT64/BOOL8; data a 1-d
**     buffer of that item size (any stride); na None or the missing marker
**   kind 6: text; data a 1-d numpy object array (buffer format "O"); each
**     cell an object turned into its cell's text (columns.c)
**   kind 7: categorical; data (codes, categories): codes a 1-d buffer of
**     signed integers (-1 missing), categories a sequence of objects
**   flags: SARX_COLUMN_DAYS or 0.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "csvfile.h"

static PyObject *SarxError;   /* sarx.SarxError, set by the package (configure) */

/* ---- errors ------------------------------------------------------------ */

/* An exception object for err: SarxError(message) with attributes code
** (sarx_error_name), field, value, allowed, message. */
static PyObject *error_object(const sarx_error *err)
{
    PyObject *cls = SarxError ? SarxError : PyExc_ValueError;
    PyObject *e = PyObject_CallFunction(cls, "s", err->message[0] ? err->message : sarx_strerror(err->code));
    if (!e)
        return NULL;
    if (PyObject_SetAttrString(e, "code", PyUnicode_FromString(sarx_error_name(err->code))) < 0 ||
        PyObject_SetAttrString(e, "field", PyUnicode_FromString(err->field)) < 0 ||
        PyObject_SetAttrString(e, "value", PyUnicode_FromString(err->value)) < 0 ||
        PyObject_SetAttrString(e, "allowed", PyUnicode_FromString(err->allowed)) < 0 ||
        PyObject_SetAttrString(e, "message", PyUnicode_FromString(err->message)) < 0) {
        Py_DECREF(e);
        return NULL;
    }
    return e;
}

static PyObject *raise_sarx(const sarx_error *err)
{
    PyObject *e;
    if (err->code == SARX_ENOMEM)
        return PyErr_NoMemory();
    e = error_object(err);
    if (e) {
        PyErr_SetObject((PyObject *)Py_TYPE(e), e);
        Py_DECREF(e);
    }
    return NULL;
}

/* A str from library text that may be NULL. */
static PyObject *str_or_none(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_FromString(s);
}

/* Steal v into d[key]; -1 (v released) on failure. */
static int put(PyObject *d, const char *key, PyObject *v)
{
    int rc;
    if (!v)
        return -1;
    rc = PyDict_SetItemString(d, key, v);
    Py_DECREF(v);
    return rc;
}

/* ---- Context ------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    sarx_ctx *ctx;
} Context;

static void Context_dealloc(Context *self)
{
    sarx_ctx_free(self->ctx);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Context_init(Context *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"definitions", NULL};
    const char *list = NULL;
    sarx_ctx *all = NULL, *sel = NULL;
    sarx_error err;
    int rc;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|z", names, &list))
        return -1;
    if (self->ctx)
        return 0; /* already made */
    Py_BEGIN_ALLOW_THREADS
    rc = sarx_ctx_new(&all, &err);
    if (rc == SARX_OK && list) {
        rc = sarx_ctx_select(all, list, &sel, &err);
        sarx_ctx_free(all);
        all = sel;
    }
    Py_END_ALLOW_THREADS
    if (rc != SARX_OK) {
        sarx_ctx_free(all);
        raise_sarx(&err);
        return -1;
    }
    self->ctx = all;
    return 0;
}

/* [{"id", "title", "version", "kind", "citation", "notes", "categories",
**   "positive", "rules", "criteria"}, ...] in the context's order. */
static PyObject *Context_definitions(Context *self, PyObject *unused)
{
    size_t i, k, n = sarx_definition_count(self->ctx);
    PyObject *out = PyList_New((Py_ssize_t)n);
    (void)unused;
    if (!out)
        return NULL;
    for (i = 0; i < n; i++) {
        const sarx_definition *d = sarx_definition_at(self->ctx, i);
        size_t nc = sarx_definition_category_count(d), ncr = sarx_definition_criterion_count(d);
        PyObject *o = PyDict_New(), *cats = PyList_New((Py_ssize_t)nc), *pos = PyList_New((Py_ssize_t)nc);
        PyObject *rules = PyList_New((Py_ssize_t)nc), *crit = PyList_New((Py_ssize_t)ncr);
        if (!o || !cats || !pos || !rules || !crit)
            goto fail;
        PyList_SET_ITEM(out, (Py_ssize_t)i, o);
        for (k = 0; k < nc; k++) {
            PyObject *c = PyUnicode_FromString(sarx_definition_category(d, k));
            PyObject *r = PyUnicode_FromString(sarx_definition_category_rule(d, k));
            if (!c || !r) {
                Py_XDECREF(c);
                Py_XDECREF(r);
                goto fail;
            }
            PyList_SET_ITEM(cats, (Py_ssize_t)k, c);
            PyList_SET_ITEM(rules, (Py_ssize_t)k, r);
            PyList_SET_ITEM(pos, (Py_ssize_t)k, PyBool_FromLong(sarx_definition_category_positive(d, k)));
        }
        for (k = 0; k < ncr; k++) {
            PyObject *c = Py_BuildValue("(ss)", sarx_definition_criterion(d, k), sarx_definition_criterion_text(d, k));
            if (!c)
                goto fail;
            PyList_SET_ITEM(crit, (Py_ssize_t)k, c);
        }
        if (put(o, "id", PyUnicode_FromString(sarx_definition_id(d))) < 0 ||
            put(o, "title", PyUnicode_FromString(sarx_definition_title(d))) < 0 ||
            put(o, "version", PyUnicode_FromString(sarx_definition_version(d))) < 0 ||
            put(o, "kind", PyUnicode_FromString(sarx_definition_kind(d))) < 0 ||
            put(o, "citation", PyUnicode_FromString(sarx_definition_citation(d))) < 0 ||
            put(o, "notes", PyUnicode_FromString(sarx_definition_notes(d))) < 0)
            goto fail;
        if (put(o, "categories", cats) < 0) {
            cats = NULL;
            goto fail;
        }
        cats = NULL;
        if (put(o, "positive", pos) < 0) {
            pos = NULL;
            goto fail;
        }
        pos = NULL;
        if (put(o, "rules", rules) < 0) {
            rules = NULL;
            goto fail;
        }
        rules = NULL;
        if (put(o, "criteria", crit) < 0) {
            crit = NULL;
            goto fail;
        }
        continue;
    fail:
        Py_XDECREF(cats);
        Py_XDECREF(pos);
        Py_XDECREF(rules);
        Py_XDECREF(crit);
        if (!PyList_GET_ITEM(out, (Py_ssize_t)i))
            Py_XDECREF(o);
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* The catalogue as JSON text (sarx definitions --format json). */
static PyObject *Context_catalogue(Context *self, PyObject *unused)
{
    char *t = sarx_catalogue(self->ctx, SARX_CATALOGUE_JSON);
    PyObject *s;
    (void)unused;
    if (!t)
        return PyErr_NoMemory();
    s = PyUnicode_FromString(t);
    sarx_free(t);
    return s;
}

/* assess_json(text, guidance=True): a subject from JSON text (as `sarx
** assess` reads it) assessed; the assessment as JSON text. */
static PyObject *assess_subject(Context *self, sarx_subject *s, int guidance)
{
    sarx_assessment *a = NULL;
    sarx_error err;
    char *t = NULL;
    PyObject *r;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = sarx_assess_ex(self->ctx, s, guidance ? 0u : SARX_ASSESS_NO_GUIDANCE, &a, &err);
    if (rc == SARX_OK)
        t = sarx_assessment_json(a, 0);
    sarx_assessment_free(a);
    Py_END_ALLOW_THREADS
    if (rc != SARX_OK)
        return raise_sarx(&err);
    if (!t)
        return PyErr_NoMemory();
    r = PyUnicode_FromString(t);
    sarx_free(t);
    return r;
}

static PyObject *Context_assess_json(Context *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"text", "guidance", NULL};
    const char *text;
    Py_ssize_t len;
    int guidance = 1, rc;
    sarx_subject *s = NULL;
    sarx_error err;
    PyObject *r;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|p", names, &text, &len, &guidance))
        return NULL;
    if (sarx_subject_new(&s) != SARX_OK)
        return PyErr_NoMemory();
    rc = sarx_subject_from_json(s, text, (size_t)len, &err);
    r = rc == SARX_OK ? assess_subject(self, s, guidance) : raise_sarx(&err);
    sarx_subject_free(s);
    return r;
}

static PyMethodDef Context_methods[] = {
    {"definitions", (PyCFunction)Context_definitions, METH_NOARGS, "The definitions, in order, as dicts."},
    {"catalogue", (PyCFunction)Context_catalogue, METH_NOARGS, "The catalogue as JSON text."},
    {"assess_json", (PyCFunction)(void (*)(void))Context_assess_json, METH_VARARGS | METH_KEYWORDS,
     "assess_json(text, guidance=True): the assessment of a JSON subject, as JSON text."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ContextType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "sarx._sarx.Context",
    .tp_basicsize = sizeof(Context),
    .tp_dealloc = (destructor)Context_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Context(definitions=None): the compiled definitions (a selection when given).",
    .tp_methods = Context_methods,
    .tp_init = (initproc)Context_init,
    .tp_new = PyType_GenericNew,
};

/* ---- Cohort ------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    Context *ctx;
    sarx_cohort *c;
    int busy; /* a call is using c with the GIL released: one at a time */
} Cohort;

/* Take the cohort for a call that releases the GIL; 0, or -1 with an error. */
static int cohort_take(Cohort *self)
{
    if (!self->c) {
        PyErr_SetString(PyExc_RuntimeError, "the Cohort was not made");
        return -1;
    }
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the Cohort is in use by another thread: use one Cohort per thread");
        return -1;
    }
    self->busy = 1;
    return 0;
}

static void Cohort_dealloc(Cohort *self)
{
    sarx_cohort_free(self->c);
    Py_XDECREF(self->ctx);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Cohort_init(Cohort *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"ctx", "names", "map", "na", "decimal_comma", NULL};
    PyObject *ctx, *seq, *fast = NULL;
    const char *map = NULL, *na = NULL;
    Py_ssize_t maplen = 0, i, n;
    int comma = 0, rc = SARX_OK;
    char **hdr = NULL;
    size_t *lens = NULL;
    sarx_readopts *o = NULL;
    sarx_error err;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O!O|z#zp", names, &ContextType, &ctx, &seq, &map, &maplen, &na,
                                     &comma))
        return -1;
    if (self->c) {
        PyErr_SetString(PyExc_RuntimeError, "Cohort already made");
        return -1;
    }
    fast = PySequence_Fast(seq, "names must be a sequence of str");
    if (!fast)
        return -1;
    n = PySequence_Fast_GET_SIZE(fast);
    hdr = PyMem_Calloc((size_t)n + 1, sizeof *hdr);
    lens = PyMem_Calloc((size_t)n + 1, sizeof *lens);
    if (!hdr || !lens) {
        PyErr_NoMemory();
        goto fail;
    }
    for (i = 0; i < n; i++) {
        Py_ssize_t l;
        const char *s;
        PyObject *it = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(it)) {
            PyErr_Format(PyExc_TypeError, "column name %zd is not a str", i);
            goto fail;
        }
        s = PyUnicode_AsUTF8AndSize(it, &l);
        if (!s)
            goto fail;
        hdr[i] = (char *)s; /* the library only reads the header */
        lens[i] = (size_t)l;
    }
    rc = sarx_readopts_new(&o, &err);
    if (rc == SARX_OK && na)
        rc = sarx_readopts_set_na(o, na, &err);
    if (rc == SARX_OK && map)
        rc = sarx_readopts_load(o, map, (size_t)maplen, &err);
    if (rc == SARX_OK)
        rc = sarx_cohort_new_ex(((Context *)ctx)->ctx, hdr, lens, (size_t)n, comma ? SARX_COHORT_DECIMAL_COMMA : 0u,
                                o, &self->c, &err);
    sarx_readopts_free(o);
    if (rc != SARX_OK) {
        raise_sarx(&err);
        goto fail;
    }
    Py_INCREF(ctx);
    self->ctx = (Context *)ctx;
    PyMem_Free(hdr);
    PyMem_Free(lens);
    Py_DECREF(fast);
    return 0;
fail:
    PyMem_Free(hdr);
    PyMem_Free(lens);
    Py_XDECREF(fast);
    return -1;
}

/* One output: int8 codes and bool completeness of a definition, n rows each. */
typedef struct {
    Py_buffer codes, complete;
    int have_codes, have_complete;
} outcol;

/* classify(columns, nrows, outputs, block=16384): classify and count every
** row; outputs: one (codes, complete) pair of writable 1-d, 1-byte
** contiguous arrays of nrows per definition, or None to count only.  codes[r] is the category's
** index, the category count for indeterminate, -1 for a rejected row;
** complete[r] 1 or 0 (0 for a rejected row).  Returns the rejected rows as
** a list of (row, code, field, value, allowed, message). */
static PyObject *Cohort_classify(Cohort *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"columns", "nrows", "outputs", "block", NULL};
    PyObject *descs, *outs, *ofast = NULL, *temps = NULL, *keep = NULL, *result = NULL, *list = NULL;
    Py_ssize_t nrows, block = 16384, start, d, ndefs = (Py_ssize_t)sarx_definition_count(self->ctx->ctx);
    Py_ssize_t ndefs_out = ndefs;
    colset cs = {0};
    outcol *oc = NULL;
    sarx_class *out = NULL;
    unsigned char *ok = NULL;
    errbuf eb = {0};
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OnO|n", names, &descs, &nrows, &outs, &block))
        return NULL;
    if (nrows < 0 || block < 1) {
        PyErr_SetString(PyExc_ValueError, "nrows must be >= 0 and block >= 1");
        return NULL;
    }
    if (block > nrows)
        block = nrows > 0 ? nrows : 1;
    if (cohort_take(self) < 0)
        return NULL;
    temps = PyList_New(0); /* texts of this block's cells */
    keep = PyList_New(0);  /* texts of the call's categories */
    list = PyList_New(0);
    if (!temps || !keep || !list || sxpy_colset_take(&cs, descs, nrows, block, keep) < 0)
        goto done;
    if (outs == Py_None)
        ndefs_out = 0; /* counting only */
    else if (!(ofast = PySequence_Fast(outs, "outputs must be a sequence or None")))
        goto done;
    else if (PySequence_Fast_GET_SIZE(ofast) != ndefs) {
        PyErr_Format(PyExc_ValueError, "%zd outputs for %zd definitions", PySequence_Fast_GET_SIZE(ofast), ndefs);
        goto done;
    }
    oc = PyMem_Calloc((size_t)ndefs + 1, sizeof *oc);
    out = PyMem_Malloc(((size_t)block * (size_t)ndefs + 1) * sizeof *out);
    ok = PyMem_Malloc((size_t)block + 1);
    if (!oc || !out || !ok) {
        PyErr_NoMemory();
        goto done;
    }
    for (d = 0; d < ndefs_out; d++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(ofast, d);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "each output must be a (codes, complete) tuple");
            goto done;
        }
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 0), &oc[d].codes, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
            goto done;
        oc[d].have_codes = 1;
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 1), &oc[d].complete, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
            goto done;
        oc[d].have_complete = 1;
        if (oc[d].codes.len != nrows || oc[d].complete.len != nrows || oc[d].codes.itemsize != 1 ||
            oc[d].complete.itemsize != 1) {
            PyErr_Format(PyExc_ValueError, "output %zd: expected two 1-byte arrays of %zd rows", d, nrows);
            goto done;
        }
    }
    for (start = 0; start < nrows; start += block) {
        Py_ssize_t m = nrows - start < block ? nrows - start : block, j, i;
        long rej;
        sarx_error err;
        for (j = 0; j < cs.n; j++)
            if (sxpy_colsrc_block(&cs.src[j], start, m, temps, &cs.cols[j]) < 0)
                goto done;
        eb.n = 0;
        eb.oom = 0;
        Py_BEGIN_ALLOW_THREADS
        rej = sarx_cohort_columns(self->c, cs.cols, (size_t)cs.n, 0, (size_t)m, out, ok, sxpy_on_row_error, &eb, &err);
        if (rej >= 0)
            for (d = 0; d < ndefs_out; d++) {
                const size_t ncat = sarx_definition_category_count(sarx_definition_at(self->ctx->ctx, (size_t)d));
                signed char *codes = (signed char *)oc[d].codes.buf + start;
                unsigned char *comp = (unsigned char *)oc[d].complete.buf + start;
                const sarx_class *o = out + d;
                for (i = 0; i < m; i++, o += ndefs) {
                    codes[i] = !ok[i] ? -1 : o->category == SARX_INDETERMINATE ? (signed char)ncat
                                                                                 : (signed char)o->category;
                    comp[i] = ok[i] && o->complete;
                }
            }
        Py_END_ALLOW_THREADS
        if (rej < 0) {
            raise_sarx(&err);
            goto done;
        }
        if (eb.oom) {
            PyErr_NoMemory();
            goto done;
        }
        for (i = 0; i < (Py_ssize_t)eb.n; i++) {
            const sarx_error *e = &eb.v[i].e;
            PyObject *t = Py_BuildValue("(nsssss)", start + (Py_ssize_t)eb.v[i].row, sarx_error_name(e->code),
                                        e->field, e->value, e->allowed, e->message);
            if (!t || PyList_Append(list, t) < 0) {
                Py_XDECREF(t);
                goto done;
            }
            Py_DECREF(t);
        }
        if (PyList_SetSlice(temps, 0, PyList_GET_SIZE(temps), NULL) < 0)
            goto done;
    }
    result = list;
    list = NULL;
done:
    for (d = 0; oc && d < ndefs; d++) {
        if (oc[d].have_codes)
            PyBuffer_Release(&oc[d].codes);
        if (oc[d].have_complete)
            PyBuffer_Release(&oc[d].complete);
    }
    PyMem_Free(oc);
    PyMem_Free(out);
    PyMem_Free(ok);
    free(eb.v);
    sxpy_colset_release(&cs);
    Py_XDECREF(ofast);
    Py_XDECREF(temps);
    Py_XDECREF(keep);
    self->busy = 0;
    Py_XDECREF(list);
    return result;
}

/* assess(columns, row=0, guidance=True): row `row` of the columns read as
** classify reads it (sarx_cohort_columns_subject), assessed; the
** assessment as JSON text.  The cohort's counts do not change. */
static PyObject *Cohort_assess(Cohort *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"columns", "nrows", "row", "guidance", NULL};
    PyObject *descs, *temps = PyList_New(0), *r = NULL;
    Py_ssize_t nrows, row = 0, j;
    int guidance = 1, rc;
    colset cs = {0};
    sarx_subject *s = NULL;
    sarx_error err;
    if (!temps)
        return NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "On|np", names, &descs, &nrows, &row, &guidance))
        goto done;
    if (row < 0 || row >= nrows) {
        PyErr_Format(PyExc_IndexError, "row %zd of %zd", row, nrows);
        goto done;
    }
    if (sxpy_colset_take(&cs, descs, nrows, 1, temps) < 0)
        goto done;
    for (j = 0; j < cs.n; j++)
        if (sxpy_colsrc_block(&cs.src[j], row, 1, temps, &cs.cols[j]) < 0)
            goto done;
    if (sarx_subject_new(&s) != SARX_OK) {
        PyErr_NoMemory();
        goto done;
    }
    rc = sarx_cohort_columns_subject(self->c, cs.cols, (size_t)cs.n, 0, s, &err);
    r = rc == SARX_OK ? assess_subject(self->ctx, s, guidance) : raise_sarx(&err);
done:
    sarx_subject_free(s);
    sxpy_colset_release(&cs);
    Py_DECREF(temps);
    return r;
}

static PyObject *text_result(char *t)
{
    PyObject *s;
    if (!t)
        return PyErr_NoMemory();
    s = PyUnicode_FromString(t);
    sarx_free(t);
    return s;
}

static PyObject *Cohort_summary(Cohort *self, PyObject *unused)
{
    (void)unused;
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the Cohort is in use by another thread");
        return NULL;
    }
    return text_result(sarx_cohort_summary_json(self->c));
}

static PyObject *Cohort_summary_text(Cohort *self, PyObject *args)
{
    int wide = 0;
    if (!PyArg_ParseTuple(args, "|p", &wide))
        return NULL;
    return text_result(sarx_cohort_summary_text_ex(self->c, wide ? SARX_SUMMARY_WIDE : 0u));
}

static PyObject *Cohort_counts(Cohort *self, PyObject *unused)
{
    (void)unused;
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the Cohort is in use by another thread");
        return NULL;
    }
    return text_result(sarx_cohort_counts_json(self->c));
}

static PyObject *Cohort_merge_counts(Cohort *self, PyObject *arg)
{
    Py_ssize_t len;
    const char *t;
    sarx_error err;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "counts must be a str");
        return NULL;
    }
    t = PyUnicode_AsUTF8AndSize(arg, &len);
    if (!t || cohort_take(self) < 0)
        return NULL;
    self->busy = 0; /* the GIL is held from here on */
    if (sarx_cohort_merge_counts(self->c, t, (size_t)len, &err) != SARX_OK)
        return raise_sarx(&err);
    Py_RETURN_NONE;
}

static PyObject *Cohort_rows(Cohort *self, PyObject *unused)
{
    (void)unused;
    return Py_BuildValue("(ll)", sarx_cohort_rows(self->c), sarx_cohort_rejected(self->c));
}

/* The field each column feeds (None: ignored). */
static PyObject *Cohort_fields(Cohort *self, PyObject *args)
{
    Py_ssize_t n, i;
    PyObject *out;
    if (!PyArg_ParseTuple(args, "n", &n))
        return NULL;
    out = PyList_New(n);
    for (i = 0; out && i < n; i++) {
        PyObject *f = str_or_none(sarx_cohort_column_field(self->c, (size_t)i));
        if (!f) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, f);
    }
    return out;
}

static PyMethodDef Cohort_methods[] = {
    {"classify", (PyCFunction)(void (*)(void))Cohort_classify, METH_VARARGS | METH_KEYWORDS,
     "classify(columns, nrows, outputs, block=16384) -> rejected rows"},
    {"assess", (PyCFunction)(void (*)(void))Cohort_assess, METH_VARARGS | METH_KEYWORDS,
     "assess(columns, nrows, row=0, guidance=True) -> assessment JSON text"},
    {"summary", (PyCFunction)Cohort_summary, METH_NOARGS, "The summary JSON text (sarx cohort --summary)."},
    {"summary_text", (PyCFunction)Cohort_summary_text, METH_VARARGS, "summary_text(wide=False): the table."},
    {"counts", (PyCFunction)Cohort_counts, METH_NOARGS, "The counts as JSON text (sarx_cohort_counts_json)."},
    {"merge_counts", (PyCFunction)Cohort_merge_counts, METH_O, "Add counts JSON text into this cohort."},
    {"rows", (PyCFunction)Cohort_rows, METH_NOARGS, "(rows classified, rows rejected)"},
    {"fields", (PyCFunction)Cohort_fields, METH_VARARGS, "fields(ncolumns): the field each column feeds"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CohortType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "sarx._sarx.Cohort",
    .tp_basicsize = sizeof(Cohort),
    .tp_dealloc = (destructor)Cohort_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Cohort(ctx, names, map=None, na=None, decimal_comma=False): a cohort over columns of these names.",
    .tp_methods = Cohort_methods,
    .tp_init = (initproc)Cohort_init,
    .tp_new = PyType_GenericNew,
};

/* For csvfile.c. */
PyObject *sxpy_raise(const sarx_error *err)
{
    return raise_sarx(err);
}

const sarx_ctx *sxpy_context(PyObject *o)
{
    if (!PyObject_TypeCheck(o, &ContextType) || !((Context *)o)->ctx) {
        PyErr_SetString(PyExc_TypeError, "expected a made sarx._sarx.Context");
        return NULL;
    }
    return ((Context *)o)->ctx;
}

/* ---- module ------------------------------------------------------------- */

static const char *const kind_names[] = {"number", "integer", "bool", "enum", "string", "date", "list", "history"};

/* Every field and alternate name, as dicts. */
static PyObject *m_fields(PyObject *mod, PyObject *unused)
{
    size_t i, n = sarx_field_count();
    PyObject *out = PyList_New((Py_ssize_t)n);
    (void)mod;
    (void)unused;
    for (i = 0; out && i < n; i++) {
        const sarx_field_info *f = sarx_field_at(i);
        int num = f->kind == SARX_KIND_NUMBER || f->kind == SARX_KIND_INTEGER;
        PyObject *o = Py_BuildValue("{s:s,s:s,s:s,s:s,s:d,s:d,s:s,s:s}", "name", f->name, "canonical", f->canonical,
                                    "kind", f->kind >= 0 && f->kind <= 7 ? kind_names[f->kind] : "?", "unit",
                                    f->unit ? f->unit : "", "min", num ? f->min : NAN, "max", num ? f->max : NAN,
                                    "values", f->values ? f->values : "", "description",
                                    f->description ? f->description : "");
        if (!o) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, (Py_ssize_t)i, o);
    }
    return out;
}

static PyObject *m_version(PyObject *mod, PyObject *unused)
{
    (void)mod;
    (void)unused;
    return PyUnicode_FromString(sarx_version());
}

/* configure(error_class, missing_objects): the package's SarxError and the
** objects that are missing in an object column (pd.NA, pd.NaT). */
static PyObject *m_configure(PyObject *mod, PyObject *args)
{
    PyObject *cls, *na;
    (void)mod;
    if (!PyArg_ParseTuple(args, "OO!", &cls, &PyTuple_Type, &na))
        return NULL;
    Py_INCREF(cls);
    Py_XSETREF(SarxError, cls);
    sxpy_set_missing(na);
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"fields", m_fields, METH_NOARGS, "Every field and alternate name (sarx fields)."},
    {"version", m_version, METH_NOARGS, "The library's version."},
    {"classify_csv", (PyCFunction)(void (*)(void))sxpy_classify_csv, METH_VARARGS | METH_KEYWORDS,
     "classify_csv(ctx, path, map=None, na=None, delimiter=0, decimal_comma=False) -> (rows, outputs, rejected, "
     "summary)"},
    {"configure", m_configure, METH_VARARGS, "configure(error_class, missing_objects)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "sarx._sarx", "libsarx for Python: see the package sarx.", -1, module_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__sarx(void);
PyMODINIT_FUNC PyInit__sarx(void)
{
    PyObject *m;
    if (sxpy_columns_init() < 0 || sxpy_csvfile_init(NULL) < 0)
        return NULL;
    if (PyType_Ready(&ContextType) < 0 || PyType_Ready(&CohortType) < 0)
        return NULL;
    m = PyModule_Create(&module);
    if (!m)
        return NULL;
    Py_INCREF(&ContextType);
    Py_INCREF(&CohortType);
    if (PyModule_AddObject(m, "Context", (PyObject *)&ContextType) < 0 ||
        PyModule_AddObject(m, "Cohort", (PyObject *)&CohortType) < 0 ||
        PyModule_AddIntConstant(m, "COLUMN_DAYS", SARX_COLUMN_DAYS) < 0 ||
        PyModule_AddIntConstant(m, "INDETERMINATE", SARX_INDETERMINATE) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
