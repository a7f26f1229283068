/*
** csvfile.c — sarx.classify_csv: a CSV file read and classified by the
** library itself, the path `sarx cohort` takes (sarx_csv, sarx_cohort_new_ex,
** sarx_cohort_add, sarx_cohort_classify), on one thread, with the GIL
** released while a block of the file is read and classified.
**
** The file is read in blocks of about BLOCK bytes cut at a record boundary
** (sarx_csv_complete follows the reader's quote rules) and parsed in place
** (sarx_csv_new_buffer); every row's results go into output columns (one
** byte per row and definition for the category code, one for completeness)
** that grow as rows come, so memory is the output columns, one block and
** the rejected rows' messages, whatever the file's size.  Nothing here reads
** a value: the library does.
**
** Every record read is a row: classified, or rejected with the library's
** error (a wrong number of fields, a bad value, a record the reader
** refuses); rows in = rows classified + rows rejected.  A blank line is not
** a row (as `sarx cohort` and pandas skip it).
*/
#include "csvfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)1 << 20)
#define MAX_RECORD ((size_t)64 << 20) /* the reader's own limit for one record */

/* ---- OutBuf: a malloc'd output column, exported by the buffer protocol -- */

typedef struct {
    PyObject_HEAD
    char *p;
    Py_ssize_t n;
} OutBuf;

static void OutBuf_dealloc(OutBuf *self)
{
    free(self->p);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int OutBuf_getbuffer(OutBuf *self, Py_buffer *view, int flags)
{
    return PyBuffer_FillInfo(view, (PyObject *)self, self->p, self->n, 0, flags);
}

static PyBufferProcs OutBuf_as_buffer = {(getbufferproc)OutBuf_getbuffer, NULL};

static PyTypeObject OutBufType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "sarx._sarx.OutBuf",
    .tp_basicsize = sizeof(OutBuf),
    .tp_dealloc = (destructor)OutBuf_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An output column of classify_csv (bytes, by the buffer protocol).",
    .tp_as_buffer = &OutBuf_as_buffer,
};

int sxpy_csvfile_init(PyObject *module)
{
    (void)module;
    return PyType_Ready(&OutBufType);
}

/* ---- the input -------------------------------------------------------- */

typedef struct input {
    FILE *f;
    char *buf;            /* cap + 1 bytes: the reader in place writes buf[off + n] */
    size_t cap, len, off; /* bytes [off, len) are not yet read as rows */
    int eof, error;
} input;

/* Read until at least want bytes from off are buffered (or end of file);
** 0 when out of memory. */
static int more(input *in, size_t want)
{
    if (in->off > 0 && in->len - in->off < want) {
        memmove(in->buf, in->buf + in->off, in->len - in->off);
        in->len -= in->off;
        in->off = 0;
    }
    while (!in->eof && in->len - in->off < want) {
        size_t got;
        if (in->len == in->cap) {
            size_t cap = in->cap * 2;
            char *p = realloc(in->buf, cap + 1);
            if (!p)
                return 0;
            in->buf = p;
            in->cap = cap;
        }
        got = fread(in->buf + in->len, 1, in->cap - in->len, in->f);
        in->len += got;
        if (got == 0) {
            if (ferror(in->f))
                in->error = 1;
            in->eof = 1;
        }
    }
    return 1;
}

/* ---- the run ---------------------------------------------------------- */

typedef struct run {
    sarx_cohort *coh;
    size_t ndefs;
    size_t *ncat;       /* each definition's category count */
    char **codes, **comp; /* ndefs output columns each */
    size_t rows, cap;     /* rows so far (blank lines not counted); the columns' room */
    /* the batch added and not yet classified: each row's position */
    size_t pos[SARX_COHORT_BATCH];
    int npend;
    sarx_class *cls;
    unsigned char ok[SARX_COHORT_BATCH];
    sarx_error errs[SARX_COHORT_BATCH];
    errbuf eb;   /* the rejected rows not yet handed to Python */
    char **colname; /* the header's cells, for the reader's errors (which name a column by number) */
    size_t ncol;
    int oom;
} run;

/* Room for one more row in the output columns. */
static int room(run *r)
{
    size_t d, cap;
    if (r->rows < r->cap)
        return 1;
    cap = r->cap < ((size_t)1 << 16) ? (size_t)1 << 16 : r->cap * 2; /* realloc of large blocks: remapped, not copied */
    for (d = 0; d < r->ndefs; d++) {
        char *a = realloc(r->codes[d], cap), *b;
        if (!a)
            return 0;
        r->codes[d] = a;
        if (!(b = realloc(r->comp[d], cap)))
            return 0;
        r->comp[d] = b;
    }
    r->cap = cap;
    return 1;
}

/* A rejected row: -1 and not complete in every column, its error kept. */
static void reject(run *r, size_t row, const sarx_error *e)
{
    size_t d;
    sarx_error copy = *e;
    if (!copy.field[0] && copy.column > 0 && (size_t)copy.column <= r->ncol) { /* the reader's: its column's name */
        snprintf(copy.field, sizeof copy.field, "%s", r->colname[copy.column - 1]);
    }
    for (d = 0; d < r->ndefs; d++) {
        r->codes[d][row] = -1;
        r->comp[d][row] = 0;
    }
    sxpy_on_row_error(&r->eb, row, &copy);
}

/* Classify the pending rows into the output columns. */
static void flush(run *r)
{
    size_t n = sarx_cohort_classify(r->coh, r->cls, r->ok, r->errs), i, d;
    for (i = 0; i < n; i++) {
        const sarx_class *c = r->cls + i * r->ndefs;
        size_t row = r->pos[i];
        if (!r->ok[i]) {
            reject(r, row, &r->errs[i]);
            continue;
        }
        for (d = 0; d < r->ndefs; d++) {
            r->codes[d][row] = c[d].category == SARX_INDETERMINATE ? (char)r->ncat[d] : (char)c[d].category;
            r->comp[d][row] = (char)(c[d].complete != 0);
        }
    }
    r->npend = 0;
}

/* A record the reader refused, as a rejected row counted by the cohort
** (sarx_cohort_add rejects and counts a row of the wrong number of fields;
** the batch was flushed first, so it has room). */
static void refused(run *r, const sarx_error *e)
{
    char *none = NULL;
    size_t zero = 0;
    sarx_error ignored;
    flush(r);
    sarx_cohort_add(r->coh, &none, &zero, 0, &ignored);
    reject(r, r->rows, e);
    r->rows++;
}

/* Read the rows of text[0 .. n) (whole records; text[n] may be written and
** is restored by the caller). */
static void block_rows(run *r, char *text, size_t n, char delim)
{
    sarx_csv *csv;
    sarx_error e;
    char **f;
    size_t *l, nf;
    int rc;
    if (sarx_csv_new_buffer(&csv, text, n, delim, SARX_CSV_NO_BOM) != SARX_OK) {
        r->oom = 1;
        return;
    }
    sarx_cohort_readable(r->coh, text + n);
    for (;;) {
        while ((rc = sarx_csv_next(csv, &f, &l, &nf, &e)) == 1) {
            if (nf == 1 && l[0] == 0)
                continue; /* a blank line */
            if (!room(r)) {
                r->oom = 1;
                goto done;
            }
            if (sarx_cohort_add(r->coh, f, l, nf, &e) != SARX_OK) {
                flush(r); /* the rows before it first */
                reject(r, r->rows++, &e);
                continue;
            }
            r->pos[r->npend] = r->rows++;
            if (++r->npend == SARX_COHORT_BATCH)
                flush(r);
        }
        if (rc == 0)
            break;
        if (!room(r)) {
            r->oom = 1;
            goto done;
        }
        refused(r, &e);
        if (e.code == SARX_ENOMEM) {
            r->oom = 1;
            break;
        }
    }
done:
    flush(r);
    sarx_cohort_readable(r->coh, NULL);
    sarx_csv_free(csv);
}

/* A record that does not end within MAX_RECORD: one rejected row, and the
** rest of the file, which cannot be split into rows after it, not read
** (measured and said). */
static void overlong(run *r, input *in)
{
    sarx_error e;
    unsigned long long bytes = 0;
    long lines = 0;
    int last = '\n';
    size_t got = in->len - in->off;
    const char *p = in->buf + in->off;
    for (;;) {
        const char *q;
        for (q = p; (q = memchr(q, '\n', got - (size_t)(q - p))) != NULL; q++)
            lines++;
        bytes += got;
        if (got)
            last = p[got - 1];
        if (in->eof)
            break;
        got = fread(in->buf, 1, in->cap, in->f);
        p = in->buf;
        if (got == 0) {
            in->error = ferror(in->f) != 0;
            in->eof = 1;
        }
    }
    lines += last != '\n';
    in->off = in->len = 0;
    memset(&e, 0, sizeof e);
    e.code = SARX_ERANGE;
    snprintf(e.allowed, sizeof e.allowed, "at most 64 MiB per row");
    snprintf(e.message, sizeof e.message,
             "this row does not end within 64 MiB, the limit for one row (an unclosed quote?): from its first line "
             "to the end of the file, %ld line%s (%llu bytes) are not read",
             lines, lines == 1 ? "" : "s", bytes);
    if (!room(r)) {
        r->oom = 1;
        return;
    }
    refused(r, &e);
}

/* The next block of whole records at in->buf + in->off: its length, 0 at
** the end.  *st: 0, or -1 out of memory, -2 a record over MAX_RECORD. */
static size_t cut(input *in, char delim, int *st)
{
    size_t n, avail;
    long recs, lines;
    *st = 0;
    if (!more(in, BLOCK)) {
        *st = -1;
        return 0;
    }
    avail = in->len - in->off;
    if (avail == 0)
        return 0;
    n = sarx_csv_complete(in->buf + in->off, avail < BLOCK ? avail : BLOCK, delim, in->eof && avail <= BLOCK, 0,
                          &recs, &lines);
    while (n == 0) { /* one record longer than a block: read on until it ends */
        n = sarx_csv_complete(in->buf + in->off, avail, delim, in->eof, 0, &recs, &lines);
        if (n > 0)
            break;
        if (in->eof) /* inside a quote that never closes: the reader says so */
            return avail;
        if (avail >= MAX_RECORD) {
            *st = -2;
            return 0;
        }
        if (!more(in, avail + BLOCK)) {
            *st = -1;
            return 0;
        }
        avail = in->len - in->off;
    }
    return n;
}

/* ---- the header ------------------------------------------------------- */

/* The header's cells under delimiter d, read from a copy of text[0 .. len)
** (whole: the header is its first record); *csv holds them.  1 read, 0 not
** one whole record, -1 out of memory. */
static int header_cells(const char *text, size_t len, int eof, char d, char **copy, sarx_csv **csv, char ***f,
                        size_t **l, size_t *n, sarx_error *e)
{
    long hr, hl;
    size_t hn = sarx_csv_complete(text, len, d, eof, 1, &hr, &hl);
    *copy = NULL;
    *csv = NULL;
    if (hr != 1)
        return 0;
    if (!(*copy = malloc(hn + 1)))
        return -1;
    memcpy(*copy, text, hn);
    if (sarx_csv_new_buffer(csv, *copy, hn, d, SARX_CSV_NO_BOM) != SARX_OK)
        return -1;
    if (sarx_csv_next(*csv, f, l, n, e) != 1)
        return 0;
    return 1;
}

/* The delimiter `sarx cohort` finds when none is given: of ',', ';' and tab,
** the one whose split of the header has the most columns that feed a field
** (with the options: a renamed column is known), the first on a tie; when a
** column the options name is in none, the split with the most columns. */
static char find_delimiter(const sarx_ctx *ctx, const sarx_readopts *o, const char *text, size_t len, int eof,
                           int *oom)
{
    static const char delims[] = {',', ';', '\t'};
    long best = -1, most = -1;
    char pick = ',';
    size_t k;
    for (k = 0; k < sizeof delims; k++) {
        char *copy, **f;
        size_t *l, n;
        sarx_csv *csv;
        sarx_error e;
        long known = -1, cols = 0;
        int rc = header_cells(text, len, eof, delims[k], &copy, &csv, &f, &l, &n, &e);
        if (rc < 0)
            *oom = 1;
        if (rc == 1) {
            sarx_cohort *c;
            if (sarx_cohort_new_ex(ctx, f, l, n, 0, o, &c, &e) == SARX_OK) {
                known = (long)(n - sarx_cohort_ignored_count(c));
                sarx_cohort_free(c);
            } else if (e.code == SARX_ENOMEM) {
                *oom = 1;
            } else if (e.code == SARX_ENOTFOUND) {
                known = 0;
                cols = (long)n;
            } else {
                known = 1;
            }
        }
        sarx_csv_free(csv);
        free(copy);
        if (known > best || (known == best && cols > most)) {
            best = known;
            most = cols;
            pick = delims[k];
        }
    }
    return pick;
}

/* ---- classify_csv ------------------------------------------------------ */

static PyObject *utf8(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* Hand the rejected rows gathered so far to list (with the GIL). */
static int take_errors(run *r, PyObject *list)
{
    size_t i;
    for (i = 0; i < r->eb.n; i++) {
        const sarx_error *e = &r->eb.v[i].e;
        PyObject *t = Py_BuildValue("(nsNNNN)", (Py_ssize_t)r->eb.v[i].row, sarx_error_name(e->code), utf8(e->field),
                                    utf8(e->value), utf8(e->allowed), utf8(e->message));
        if (!t || PyList_Append(list, t) < 0) {
            Py_XDECREF(t);
            return -1;
        }
        Py_DECREF(t);
    }
    r->eb.n = 0;
    if (r->eb.oom) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static PyObject *outbuf(char **p, size_t n)
{
    OutBuf *b = PyObject_New(OutBuf, &OutBufType);
    char *q;
    if (!b)
        return NULL;
    q = realloc(*p, n ? n : 1); /* the room not used given back */
    if (q)
        *p = q;
    b->p = *p;
    b->n = (Py_ssize_t)n;
    *p = NULL;
    return (PyObject *)b;
}

static PyObject *csv_error(PyObject *path, const char *what, int code)
{
    sarx_error e;
    memset(&e, 0, sizeof e);
    e.code = code;
    snprintf(e.message, sizeof e.message, "%s", what);
    (void)path;
    return sxpy_raise(&e);
}

PyObject *sxpy_classify_csv(PyObject *mod, PyObject *args, PyObject *kw)
{
    static char *names[] = {"ctx", "path", "map", "na", "delimiter", "decimal_comma", NULL};
    PyObject *ctxobj, *path = NULL, *list = NULL, *outs = NULL, *result = NULL;
    const char *map = NULL, *na = NULL;
    Py_ssize_t maplen = 0;
    int delim = 0, comma = 0, rc, oom = 0, st = 0;
    long hr, hl;
    const sarx_ctx *ctx;
    sarx_readopts *o = NULL;
    sarx_error e;
    input in;
    run r;
    size_t d, i;
    char *hcopy = NULL, **f;
    size_t *l, n;
    sarx_csv *hcsv = NULL;
    (void)mod;
    memset(&in, 0, sizeof in);
    memset(&r, 0, sizeof r);
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OO&|z#zip", names, &ctxobj, PyUnicode_FSConverter, &path, &map,
                                     &maplen, &na, &delim, &comma))
        return NULL;
    ctx = sxpy_context(ctxobj);
    if (!ctx)
        goto done;
    if (delim < 0 || delim > 255 || delim == '"' || delim == '\r' || delim == '\n') {
        PyErr_SetString(PyExc_ValueError, "delimiter: one byte, not a quote, CR or LF");
        goto done;
    }
    if (sarx_readopts_new(&o, &e) != SARX_OK || (na && sarx_readopts_set_na(o, na, &e) != SARX_OK) ||
        (map && sarx_readopts_load(o, map, (size_t)maplen, &e) != SARX_OK)) {
        sxpy_raise(&e);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    in.f = fopen(PyBytes_AS_STRING(path), "rb");
    Py_END_ALLOW_THREADS
    if (!in.f) {
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path);
        goto done;
    }
    in.cap = BLOCK;
    if (!(in.buf = malloc(in.cap + 1)) || !(list = PyList_New(0))) {
        PyErr_NoMemory();
        goto done;
    }

    /* The header: the first record after a byte-order mark, whole in the
    ** buffer (under ',' while the delimiter is still to be found). */
    Py_BEGIN_ALLOW_THREADS
    rc = 0;
    hr = 0;
    if (!more(&in, 3))
        rc = -1;
    else {
        if (in.len >= 3 && memcmp(in.buf, "\xEF\xBB\xBF", 3) == 0)
            in.off = 3;
        for (;;) {
            sarx_csv_complete(in.buf + in.off, in.len - in.off, delim ? (char)delim : ',', in.eof, 1, &hr, &hl);
            if (hr == 1 || in.eof)
                break;
            if (in.len - in.off >= MAX_RECORD) {
                rc = -2;
                break;
            }
            if (!more(&in, in.len - in.off + BLOCK)) {
                rc = -1;
                break;
            }
        }
        if (rc == 0 && hr != 1)
            rc = in.len - in.off ? -3 : -4;
        if (rc == 0 && !delim)
            delim = find_delimiter(ctx, o, in.buf + in.off, in.len - in.off, in.eof, &oom);
    }
    Py_END_ALLOW_THREADS
    if (rc == -1 || oom) {
        PyErr_NoMemory();
        goto done;
    }
    if (in.error) {
        PyErr_Format(PyExc_OSError, "%s: read error", PyBytes_AS_STRING(path));
        goto done;
    }
    if (rc < 0) {
        csv_error(path,
                  rc == -2   ? "header: the header row does not end within 64 MiB (an unclosed quote?)"
                  : rc == -3 ? "header: the header row is not closed"
                             : "empty file: expected a header row",
                  SARX_ESYNTAX);
        goto done;
    }
    if (comma && delim == ',') {
        PyErr_SetString(PyExc_ValueError, "decimal_comma needs ';' or tab between the columns, and the header is "
                                          "','-separated (delimiter= sets it)");
        goto done;
    }
    memset(&e, 0, sizeof e);
    rc = header_cells(in.buf + in.off, in.len - in.off, in.eof, (char)delim, &hcopy, &hcsv, &f, &l, &n, &e);
    if (rc < 0) {
        PyErr_NoMemory();
        goto done;
    }
    if (rc == 0) {
        if (!e.message[0])
            csv_error(path, "header: the header row is not closed", SARX_ESYNTAX);
        else
            sxpy_raise(&e);
        goto done;
    }
    if (sarx_cohort_new_ex(ctx, f, l, n, comma ? SARX_COHORT_DECIMAL_COMMA : 0u, o, &r.coh, &e) != SARX_OK) {
        sxpy_raise(&e);
        goto done;
    }
    {
        in.off += sarx_csv_complete(in.buf + in.off, in.len - in.off, (char)delim, in.eof, 1, &hr, &hl);
    }
    r.ncol = n;
    r.ndefs = sarx_definition_count(ctx);
    r.colname = calloc(n + 1, sizeof *r.colname);
    r.ncat = calloc(r.ndefs + 1, sizeof *r.ncat);
    r.codes = calloc(r.ndefs + 1, sizeof *r.codes);
    r.comp = calloc(r.ndefs + 1, sizeof *r.comp);
    r.cls = malloc((SARX_COHORT_BATCH * r.ndefs + 1) * sizeof *r.cls);
    if (!r.colname || !r.ncat || !r.codes || !r.comp || !r.cls) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (!(r.colname[i] = malloc(l[i] + 1))) {
            PyErr_NoMemory();
            goto done;
        }
        memcpy(r.colname[i], f[i], l[i] + 1);
    }
    for (d = 0; d < r.ndefs; d++)
        r.ncat[d] = sarx_definition_category_count(sarx_definition_at(ctx, d));

    /* The rows, a block at a time; the rejected ones handed to Python after each. */
    for (;;) {
        size_t len;
        char saved;
        Py_BEGIN_ALLOW_THREADS
        len = cut(&in, (char)delim, &st);
        if (len > 0) {
            saved = in.buf[in.off + len]; /* the reader in place writes text[len]: the next record's first byte */
            block_rows(&r, in.buf + in.off, len, (char)delim);
            in.buf[in.off + len] = saved;
            in.off += len;
        } else if (st == -2)
            overlong(&r, &in);
        Py_END_ALLOW_THREADS
        if (take_errors(&r, list) < 0 || PyErr_CheckSignals() < 0) /* Ctrl-C between blocks */
            goto done;
        if (r.oom || st == -1) {
            PyErr_NoMemory();
            goto done;
        }
        if (len == 0)
            break;
    }
    if (in.error) {
        PyErr_Format(PyExc_OSError, "%s: read error", PyBytes_AS_STRING(path));
        goto done;
    }
    if (!(outs = PyList_New((Py_ssize_t)r.ndefs)))
        goto done;
    for (d = 0; d < r.ndefs; d++) {
        PyObject *a = outbuf(&r.codes[d], r.rows), *b = a ? outbuf(&r.comp[d], r.rows) : NULL;
        if (!a || !b) {
            Py_XDECREF(a);
            goto done;
        }
        PyList_SET_ITEM(outs, (Py_ssize_t)d, Py_BuildValue("(NN)", a, b));
        if (!PyList_GET_ITEM(outs, (Py_ssize_t)d))
            goto done;
    }
    {
        char *s = sarx_cohort_summary_json(r.coh);
        if (!s) {
            PyErr_NoMemory();
            goto done;
        }
        result = Py_BuildValue("(nOOs)", (Py_ssize_t)r.rows, outs, list, s);
        sarx_free(s);
    }
done:
    sarx_csv_free(hcsv);
    free(hcopy);
    for (i = 0; r.colname && i < r.ncol; i++)
        free(r.colname[i]);
    free(r.colname);
    for (d = 0; d < r.ndefs; d++) {
        if (r.codes)
            free(r.codes[d]);
        if (r.comp)
            free(r.comp[d]);
    }
    free(r.codes);
    free(r.comp);
    free(r.ncat);
    free(r.cls);
    free(r.eb.v);
    sarx_cohort_free(r.coh);
    sarx_readopts_free(o);
    free(in.buf);
    if (in.f)
        fclose(in.f);
    Py_XDECREF(path);
    Py_XDECREF(outs);
    Py_XDECREF(list);
    return result;
}
