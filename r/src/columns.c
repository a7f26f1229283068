/*
** columns.c — an R data frame handed to libsarx column by column
** (sarx_cohort_columns), in blocks of rows: classify() and prevalence().
**
** Numbers, integers, logicals, Dates and integer64 are read in place (a
** pointer into the R vector, no copy); character columns, factors and
** list columns need a block of cell pointers each.  The per-block buffers
** are the only memory besides the output columns, so memory does not grow
** with the rows.  Everything the C side holds lives in one `job`, owned by
** an external pointer with a finalizer: an R error or an interrupt (a
** longjmp) leaks nothing.
**
** Only the columns that feed a field are looked at, and each must hold
** one value per row (the row count is the data frame's, from R): not a
** matrix of several columns, not a data frame.  A classed number is read
** only when its storage is its value (see plain_number); the id column is
** never read (the library does not read it).
*/
#include "sarx_r.h"
#include <R_ext/Utils.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_NONE, K_REAL, K_DAYS, K_INT, K_LGL, K_STR, K_FACTOR, K_INT64, K_LIST };

typedef struct rej { /* one rejected row */
    size_t row;      /* 0-based */
    int code;
    char *text;      /* field \0 value \0 allowed \0 message \0 */
} rej;

typedef struct job {
    sarx_ctx *all, *ctx;
    sarx_readopts *opts;
    sarx_cohort *cohort;
    sarx_subject *subject;
    size_t ncol, block;
    int *kind;
    SEXP *vec;                 /* the columns (kept alive by the data frame) */
    const char ***levels;      /* K_FACTOR: level texts */
    int *nlevels;
    const char **cells;        /* K_STR / K_FACTOR: ncol x block cell pointers */
    sarx_column *cols;
    sarx_class *out;
    unsigned char *ok;
    rej *rejs;
    size_t nrej, caprej;
    size_t base;               /* the first row of the block being classified */
    int oom;
} job;

static void job_free(job *j)
{
    size_t i;
    if (!j)
        return;
    sarx_cohort_free(j->cohort);
    sarx_subject_free(j->subject);
    sarx_readopts_free(j->opts);
    if (j->ctx != j->all)
        sarx_ctx_free(j->ctx);
    sarx_ctx_free(j->all);
    for (i = 0; i < j->nrej; i++)
        free(j->rejs[i].text);
    free(j->rejs);
    if (j->levels)
        for (i = 0; i < j->ncol; i++)
            free(j->levels[i]);
    free(j->levels);
    free(j->nlevels);
    free(j->kind);
    free(j->vec);
    free(j->cells);
    free(j->cols);
    free(j->out);
    free(j->ok);
    free(j);
}

static void job_finalize(SEXP p)
{
    job_free(R_ExternalPtrAddr(p));
    R_ClearExternalPtr(p);
}

/* Free the job now (before raising an error or returning). */
static void job_done(SEXP holder)
{
    job_finalize(holder);
}

static void nomem(SEXP holder)
{
    job_done(holder);
    Rf_error("sarx: out of memory");
}

void sxr_stop(const char *what, const sarx_error *err)
{
    SEXP ns, fn, call, a[5];
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s%s", what ? what : "", what ? ": " : "",
             err->message[0] ? err->message : sarx_strerror(err->code));
    ns = PROTECT(R_FindNamespace(PROTECT(Rf_mkString("sarx"))));
    fn = PROTECT(Rf_findVarInFrame(ns, Rf_install("sarx_stop")));
    a[0] = PROTECT(Rf_ScalarString(Rf_mkCharCE(msg, CE_UTF8)));
    a[1] = PROTECT(Rf_mkString(sarx_error_name(err->code)));
    a[2] = PROTECT(Rf_ScalarString(Rf_mkCharCE(err->field, CE_UTF8)));
    a[3] = PROTECT(Rf_ScalarString(Rf_mkCharCE(err->value, CE_UTF8)));
    a[4] = PROTECT(Rf_ScalarString(Rf_mkCharCE(err->allowed, CE_UTF8)));
    call = PROTECT(Rf_lang6(fn, a[0], a[1], a[2], a[3], a[4]));
    Rf_eval(call, ns); /* raises the condition */
    UNPROTECT(9);
    Rf_error("%s", msg); /* not reached */
}

int sxr_ctx(SEXP definitions, sarx_ctx **out, sarx_error *err)
{
    sarx_ctx *all = NULL;
    int rc = sarx_ctx_new(&all, err);
    *out = NULL;
    if (rc != SARX_OK)
        return rc;
    if (Rf_isNull(definitions)) {
        *out = all;
        return SARX_OK;
    }
    rc = sarx_ctx_select(all, Rf_translateCharUTF8(STRING_ELT(definitions, 0)), out, err);
    sarx_ctx_free(all);
    return rc;
}

static const char *str1(SEXP x, R_xlen_t i) { return Rf_translateCharUTF8(STRING_ELT(x, i)); }

int sxr_readopts(SEXP map_text, SEXP renames, SEXP values, SEXP na, sarx_readopts **out, sarx_error *err)
{
    sarx_readopts *o = NULL;
    int rc = sarx_readopts_new(&o, err);
    R_xlen_t i;
    *out = NULL;
    if (rc != SARX_OK)
        return rc;
    if (!Rf_isNull(na) && (rc = sarx_readopts_set_na(o, str1(na, 0), err)) != SARX_OK)
        goto fail;
    if (!Rf_isNull(map_text)) {
        const char *t = str1(map_text, 0);
        if ((rc = sarx_readopts_load(o, t, strlen(t), err)) != SARX_OK)
            goto fail;
    }
    if (!Rf_isNull(renames)) {
        SEXP names = Rf_getAttrib(renames, R_NamesSymbol);
        for (i = 0; i < XLENGTH(renames); i++)
            if ((rc = sarx_readopts_rename(o, str1(names, i), str1(renames, i), err)) != SARX_OK)
                goto fail;
    }
    if (!Rf_isNull(values)) {
        SEXP col = VECTOR_ELT(values, 0), from = VECTOR_ELT(values, 1), to = VECTOR_ELT(values, 2);
        for (i = 0; i < XLENGTH(col); i++)
            if ((rc = sarx_readopts_value(o, str1(col, i), str1(from, i), str1(to, i), err)) != SARX_OK)
                goto fail;
    }
    *out = o;
    return SARX_OK;
fail:
    sarx_readopts_free(o);
    return rc;
}

static void on_error(void *arg, size_t row, const sarx_error *err)
{
    job *j = arg;
    size_t lf, lv, la, lm;
    rej *r;
    if (j->oom)
        return;
    if (j->nrej == j->caprej) {
        size_t cap = j->caprej ? 2 * j->caprej : 64;
        rej *p = realloc(j->rejs, cap * sizeof *p);
        if (!p) {
            j->oom = 1;
            return;
        }
        j->rejs = p;
        j->caprej = cap;
    }
    r = &j->rejs[j->nrej];
    lf = strlen(err->field) + 1;
    lv = strlen(err->value) + 1;
    la = strlen(err->allowed) + 1;
    lm = strlen(err->message) + 1;
    if (!(r->text = malloc(lf + lv + la + lm))) {
        j->oom = 1;
        return;
    }
    memcpy(r->text, err->field, lf);
    memcpy(r->text + lf, err->value, lv);
    memcpy(r->text + lf + lv, err->allowed, la);
    memcpy(r->text + lf + lv + la, err->message, lm);
    r->row = j->base + row;
    r->code = err->code;
    j->nrej++;
}

static int is_factor(SEXP x) { return TYPEOF(x) == INTSXP && Rf_inherits(x, "factor"); }

/* The first class of x that is not one of ok[], or NULL when there is none
** (an unclassed vector too). */
static const char *other_class(SEXP x, const char *const *ok)
{
    SEXP cl = Rf_getAttrib(x, R_ClassSymbol);
    R_xlen_t k;
    size_t m;
    if (TYPEOF(cl) != STRSXP)
        return NULL;
    for (k = 0; k < XLENGTH(cl); k++) {
        const char *c = CHAR(STRING_ELT(cl, k));
        for (m = 0; ok[m] && strcmp(c, ok[m]); m++)
            ;
        if (!ok[m])
            return c;
    }
    return NULL;
}

/* The classes whose numbers are read as they are stored: a Date (days), a
** factor (codes, read as their levels), AsIs (I(x): plain numbers), and
** labelled codes (haven, Hmisc: the numbers are the values, the labels
** only name them; a value map reads the codes).  Any other class (difftime
** in minutes, units, integer64 handled apart, POSIXct: R gives its days)
** would be read as raw numbers in a unit the field does not have. */
static const char *const plain_number[] = {"Date", "factor", "ordered", "AsIs", "haven_labelled",
                                           "haven_labelled_spss", "labelled", "vctrs_vctr", "numeric",
                                           "double", "integer", NULL};
/* A list column of a list field: a plain list, I(list), a vctrs list_of. */
static const char *const plain_list[] = {"AsIs", "list", "vctrs_list_of", "vctrs_vctr", NULL};

/* Refuse a column that feeds `field`: the job freed, an R error of class
** sarx_error (code SARX_ETYPE) with the field, the offending value (a
** class, a shape) and what is allowed; fmt words the message, naming the
** column. */
static void column_stop(SEXP holder, const char *field, const char *value, const char *allowed, const char *fmt,
                        ...) __attribute__((noreturn, format(printf, 5, 6)));
static void column_stop(SEXP holder, const char *field, const char *value, const char *allowed, const char *fmt,
                        ...)
{
    sarx_error err;
    va_list ap;
    memset(&err, 0, sizeof err);
    err.code = SARX_ETYPE;
    snprintf(err.field, sizeof err.field, "%s", field);
    snprintf(err.value, sizeof err.value, "%s", value);
    snprintf(err.allowed, sizeof err.allowed, "%s", allowed);
    va_start(ap, fmt);
    vsnprintf(err.message, sizeof err.message, fmt, ap);
    va_end(ap);
    job_done(holder);
    sxr_stop(NULL, &err);
}

/* Column x (named nm) feeds `field`: it holds one value per row, nrows. */
static void check_shape(SEXP holder, SEXP x, const char *nm, const char *field, size_t nrows)
{
    SEXP dim = Rf_getAttrib(x, R_DimSymbol);
    char v[32];
    if (Rf_inherits(x, "data.frame")) {
        snprintf(v, sizeof v, "%lld columns", (long long)XLENGTH(x));
        column_stop(holder, field, v, "one value per row",
                    "column \"%s\" is a data frame (%lld columns): a field's column holds one value per row; "
                    "give its columns as columns of the data",
                    nm, (long long)XLENGTH(x));
    }
    if (TYPEOF(dim) == INTSXP && XLENGTH(dim) >= 2) {
        long long cols = 1;
        R_xlen_t k;
        for (k = 1; k < XLENGTH(dim); k++)
            cols *= INTEGER(dim)[k];
        if (cols != 1) {
            snprintf(v, sizeof v, "%lld columns", cols);
            column_stop(holder, field, v, "one value per row",
                        "column \"%s\" is a matrix of %lld columns: a field's column holds one value per row", nm,
                        cols);
        }
    }
    if ((size_t)XLENGTH(x) != nrows) {
        snprintf(v, sizeof v, "%lld values", (long long)XLENGTH(x));
        column_stop(holder, field, v, "one value per row", "column \"%s\" has %lld values for %lld rows", nm,
                    (long long)XLENGTH(x), (long long)nrows);
    }
}

/* The kind of column x, which feeds `field`. */
static int column_kind(SEXP holder, SEXP x, const char *nm, const char *field)
{
    const sarx_field_info *fi = sarx_field_find(field);
    const char *odd;
    if (fi && fi->kind == SARX_KIND_LIST && TYPEOF(x) == VECSXP && !other_class(x, plain_list))
        return K_LIST;
    if (is_factor(x))
        return K_FACTOR;
    if (TYPEOF(x) == REALSXP && Rf_inherits(x, "integer64")) /* bit64: 64-bit integers in a double's bits */
        return K_INT64;
    if ((TYPEOF(x) == REALSXP || TYPEOF(x) == INTSXP) && (odd = other_class(x, plain_number))) {
        const char *unit = fi && fi->unit && fi->unit[0] ? fi->unit : NULL;
        char allowed[96];
        snprintf(allowed, sizeof allowed, "plain numbers%s%s", unit ? " in " : "", unit ? unit : "");
        column_stop(holder, field, odd, allowed,
                    "column \"%s\" is of class %s, whose numbers are not read as they are: give %s (as.numeric()%s)",
                    nm, odd, allowed, unit ? ", converted to that unit" : "");
    }
    switch (TYPEOF(x)) {
    case REALSXP: return Rf_inherits(x, "Date") ? K_DAYS : K_REAL;
    case INTSXP: return K_INT; /* an integer Date: days, as a double one */
    case LGLSXP: return K_LGL;
    case STRSXP: return K_STR;
    default:
        column_stop(holder, field, Rf_type2char(TYPEOF(x)),
                    fi && fi->kind == SARX_KIND_LIST ? "numeric, integer, logical, character, factor, Date or list"
                                                    : "numeric, integer, logical, character, factor or Date",
                    "column \"%s\" is of type %s: a field's column must be numeric, integer, logical, character, "
                    "factor or Date%s",
                    nm, Rf_type2char(TYPEOF(x)),
                    fi && fi->kind == SARX_KIND_LIST ? " (or a list of character vectors)" : "");
    }
}

/* The cohort for the data's column names, and each column's kind: a column
** that feeds no field (or the id column) is not read at all. */
static void setup(SEXP holder, job *j, SEXP data, SEXP names, size_t nrows, SEXP definitions, SEXP map_text,
                  SEXP renames, SEXP values, SEXP na, size_t block)
{
    sarx_error err;
    size_t i, n = (size_t)XLENGTH(data);
    char **hdr;
    size_t *lens;
    long idcol;
    int rc;
    memset(&err, 0, sizeof err);
    if ((rc = sxr_ctx(definitions, &j->ctx, &err)) != SARX_OK) {
        job_done(holder);
        sxr_stop("definitions", &err);
    }
    if ((rc = sxr_readopts(map_text, renames, values, na, &j->opts, &err)) != SARX_OK) {
        job_done(holder);
        sxr_stop("map", &err);
    }
    j->ncol = n;
    j->block = block;
    hdr = (char **)R_alloc(n ? n : 1, sizeof *hdr);
    lens = (size_t *)R_alloc(n ? n : 1, sizeof *lens);
    for (i = 0; i < n; i++) {
        hdr[i] = (char *)str1(names, (R_xlen_t)i);
        lens[i] = strlen(hdr[i]);
    }
    rc = sarx_cohort_new_ex(j->ctx, hdr, lens, n, 0, j->opts, &j->cohort, &err);
    if (rc != SARX_OK) {
        job_done(holder);
        sxr_stop("columns", &err);
    }
    j->kind = calloc(n ? n : 1, sizeof *j->kind);
    j->vec = calloc(n ? n : 1, sizeof *j->vec);
    j->levels = calloc(n ? n : 1, sizeof *j->levels);
    j->nlevels = calloc(n ? n : 1, sizeof *j->nlevels);
    j->cols = calloc(n ? n : 1, sizeof *j->cols);
    if (!j->kind || !j->vec || !j->levels || !j->nlevels || !j->cols)
        nomem(holder);
    idcol = sarx_cohort_id_column(j->cohort);
    for (i = 0; i < n; i++) {
        SEXP x = VECTOR_ELT(data, (R_xlen_t)i);
        const char *field = sarx_cohort_column_field(j->cohort, i);
        j->vec[i] = x;
        if (!field || (long)i == idcol) {
            j->kind[i] = K_NONE;
            continue;
        }
        check_shape(holder, x, hdr[i], field, nrows);
        j->kind[i] = column_kind(holder, x, hdr[i], field);
        if (j->kind[i] == K_FACTOR) {
            SEXP lv = Rf_getAttrib(x, R_LevelsSymbol);
            R_xlen_t k, nl = Rf_isString(lv) ? XLENGTH(lv) : 0;
            if (!(j->levels[i] = malloc((size_t)(nl ? nl : 1) * sizeof **j->levels)))
                nomem(holder);
            for (k = 0; k < nl; k++) /* translated once; R_alloc keeps them until the call returns */
                j->levels[i][k] = STRING_ELT(lv, k) == NA_STRING ? NULL : str1(lv, k);
            j->nlevels[i] = (int)nl;
        }
        if (j->kind[i] == K_INT && Rf_inherits(x, "Date"))
            j->cols[i].flags = SARX_COLUMN_DAYS;
    }
    if (!(j->cells = malloc(n * block * sizeof *j->cells + 1)))
        nomem(holder);
}

/* Point the columns at rows base .. base + len - 1. */
static void point(job *j, size_t base, size_t len)
{
    size_t i, r;
    for (i = 0; i < j->ncol; i++) {
        sarx_column *c = &j->cols[i];
        SEXP x = j->vec[i];
        const char **cells = j->cells + i * j->block;
        unsigned flags = c->flags;
        memset(c, 0, sizeof *c);
        c->flags = flags;
        switch (j->kind[i]) {
        case K_NONE: c->type = SARX_COLUMN_NONE; break;
        case K_DAYS: c->flags = SARX_COLUMN_DAYS; /* fall through */
        case K_REAL: c->type = SARX_COLUMN_DOUBLE; c->data = REAL(x) + base; break;
        case K_INT:
        case K_LGL:
            c->type = SARX_COLUMN_INT32;
            c->data = (j->kind[i] == K_INT ? INTEGER(x) : LOGICAL(x)) + base;
            c->has_na = 1;
            c->na = NA_INTEGER;
            break;
        case K_STR:
            for (r = 0; r < len; r++) {
                SEXP s = STRING_ELT(x, (R_xlen_t)(base + r));
                cells[r] = s == NA_STRING ? NULL : Rf_translateCharUTF8(s);
            }
            c->type = SARX_COLUMN_TEXT;
            c->data = cells;
            break;
        case K_FACTOR: {
            const int *code = INTEGER(x) + base;
            for (r = 0; r < len; r++)
                cells[r] = code[r] >= 1 && code[r] <= j->nlevels[i] ? j->levels[i][code[r] - 1] : NULL;
            c->type = SARX_COLUMN_TEXT;
            c->data = cells;
            break;
        }
        case K_INT64: /* bit64 keeps an int64_t in each double's 8 bytes; its NA is INT64_MIN */
            c->type = SARX_COLUMN_INT64;
            c->data = REAL(x) + base;
            c->has_na = 1;
            c->na = INT64_MIN;
            break;
        case K_LIST: /* each cell a vector of items, as one list cell's text */
            for (r = 0; r < len; r++)
                cells[r] = sxr_list_text(VECTOR_ELT(x, (R_xlen_t)(base + r)));
            c->type = SARX_COLUMN_TEXT;
            c->data = cells;
            break;
        }
    }
}

static SEXP check_interrupt(void *unused)
{
    (void)unused;
    R_CheckUserInterrupt();
    return R_NilValue;
}

static void free_on_jump(void *holder, Rboolean jump)
{
    if (jump)
        job_done((SEXP)holder);
}

/* Between blocks: an interrupt (or a time limit, or an error of an
** interrupt handler) frees the job first, then takes its course: R goes
** on unwinding (R_UnwindProtect calls R_ContinueUnwind after the cleanup),
** so Ctrl-C stays an interrupt.  cont: R_MakeUnwindCont(), protected. */
static void interrupt_point(SEXP holder, SEXP cont)
{
    R_UnwindProtect(check_interrupt, NULL, free_on_jump, (void *)holder, cont);
}

static SEXP mkfactor(R_xlen_t n, const sarx_definition *d)
{
    size_t k, nc = sarx_definition_category_count(d);
    SEXP f = PROTECT(Rf_allocVector(INTSXP, n)), lv = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)nc + 1));
    for (k = 0; k < nc; k++)
        SET_STRING_ELT(lv, (R_xlen_t)k, Rf_mkCharCE(sarx_definition_category(d, k), CE_UTF8));
    SET_STRING_ELT(lv, (R_xlen_t)nc, Rf_mkChar("indeterminate"));
    Rf_setAttrib(f, R_LevelsSymbol, lv);
    Rf_setAttrib(f, R_ClassSymbol, Rf_mkString("factor"));
    UNPROTECT(2);
    return f;
}

static SEXP errors_list(job *j)
{
    const char *nm[] = {"row", "code", "field", "value", "allowed", "message"};
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 6)), names = PROTECT(Rf_allocVector(STRSXP, 6));
    R_xlen_t n = (R_xlen_t)j->nrej, i;
    int k;
    SET_VECTOR_ELT(out, 0, Rf_allocVector(REALSXP, n));
    for (k = 1; k < 6; k++)
        SET_VECTOR_ELT(out, k, Rf_allocVector(STRSXP, n));
    for (k = 0; k < 6; k++)
        SET_STRING_ELT(names, k, Rf_mkChar(nm[k]));
    for (i = 0; i < n; i++) {
        const rej *r = &j->rejs[i];
        const char *t = r->text;
        REAL(VECTOR_ELT(out, 0))[i] = (double)r->row + 1;
        SET_STRING_ELT(VECTOR_ELT(out, 1), i, Rf_mkChar(sarx_error_name(r->code)));
        for (k = 2; k < 6; k++) {
            SET_STRING_ELT(VECTOR_ELT(out, k), i, Rf_mkCharCE(t, CE_UTF8));
            t += strlen(t) + 1;
        }
    }
    Rf_setAttrib(out, R_NamesSymbol, names);
    UNPROTECT(2);
    return out;
}

static SEXP new_holder(job **jp)
{
    job *j = calloc(1, sizeof *j);
    SEXP holder;
    if (!j)
        Rf_error("sarx: out of memory");
    holder = PROTECT(R_MakeExternalPtr(j, R_NilValue, R_NilValue));
    R_RegisterCFinalizerEx(holder, job_finalize, TRUE);
    UNPROTECT(1);
    *jp = j;
    return holder;
}

/* The row count R gives (the data frame's rows; a list's common length). */
static size_t nrows_of(SEXP nrow)
{
    double n = Rf_asReal(nrow);
    if (!(n >= 0 && n <= (double)R_XLEN_T_MAX))
        Rf_error("sarx: the row count is not a count");
    return (size_t)n;
}

/* classify() and prevalence(): list(categories, complete, errors, summary,
** ignored).  categories and complete hold one vector per definition (NULL
** when want_rows is FALSE); summary is the cohort's summary JSON text. */
SEXP sxr_classify(SEXP data, SEXP names, SEXP nrow, SEXP definitions, SEXP map_text, SEXP renames, SEXP values,
                  SEXP na, SEXP want_rows, SEXP block_size)
{
    job *j;
    size_t n = nrows_of(nrow);
    SEXP holder = PROTECT(new_holder(&j)), cont = PROTECT(R_MakeUnwindCont()), cats = R_NilValue,
         comp = R_NilValue, res, rnames;
    int want = Rf_asInteger(block_size); /* options(sarx.block): 1 to 2^20 rows, else the default */
    size_t nd, d, base, i, block = want >= 1 && want <= 1 << 20 ? (size_t)want : 4096;
    int rows = Rf_asLogical(want_rows) == 1;
    int **catp = NULL, **compp = NULL, *ncat = NULL;
    char *sum;
    sarx_error err;
    memset(&err, 0, sizeof err);
    setup(holder, j, data, names, n, definitions, map_text, renames, values, na, block);
    nd = sarx_definition_count(j->ctx);
    if (!(j->out = malloc(block * (nd ? nd : 1) * sizeof *j->out)) || !(j->ok = malloc(block)))
        nomem(holder);
    if (rows) {
        cats = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)nd));
        comp = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)nd));
        catp = (int **)R_alloc(nd + 1, sizeof *catp);
        compp = (int **)R_alloc(nd + 1, sizeof *compp);
        ncat = (int *)R_alloc(nd + 1, sizeof *ncat);
        for (d = 0; d < nd; d++) {
            const sarx_definition *def = sarx_definition_at(j->ctx, d);
            SET_VECTOR_ELT(cats, (R_xlen_t)d, mkfactor((R_xlen_t)n, def));
            SET_VECTOR_ELT(comp, (R_xlen_t)d, Rf_allocVector(LGLSXP, (R_xlen_t)n));
            catp[d] = INTEGER(VECTOR_ELT(cats, (R_xlen_t)d));
            compp[d] = LOGICAL(VECTOR_ELT(comp, (R_xlen_t)d));
            ncat[d] = (int)sarx_definition_category_count(def);
        }
    }
    for (base = 0; base < n; base += block) {
        size_t len = n - base < block ? n - base : block;
        const void *vmax = vmaxget();
        long got;
        point(j, base, len);
        j->base = base;
        got = sarx_cohort_columns(j->cohort, j->cols, j->ncol, 0, len, rows ? j->out : NULL, rows ? j->ok : NULL,
                                  on_error, j, &err);
        vmaxset(vmax);
        if (got < 0) {
            job_done(holder);
            sxr_stop("classify", &err);
        }
        if (j->oom)
            nomem(holder);
        if (rows) /* definition by definition: each output column is written in order */
            for (d = 0; d < nd; d++) {
                const sarx_class *o = j->out + d;
                int *cat = catp[d] + base, *cmp = compp[d] + base, indet = ncat[d] + 1;
                for (i = 0; i < len; i++, o += nd) {
                    if (!j->ok[i]) {
                        cat[i] = NA_INTEGER;
                        cmp[i] = NA_LOGICAL;
                    } else {
                        cat[i] = o->category == SARX_INDETERMINATE ? indet : o->category + 1;
                        cmp[i] = o->complete;
                    }
                }
            }
        interrupt_point(holder, cont);
    }
    res = PROTECT(Rf_allocVector(VECSXP, 6));
    SET_VECTOR_ELT(res, 0, cats);
    SET_VECTOR_ELT(res, 1, comp);
    SET_VECTOR_ELT(res, 2, errors_list(j));
    if (!(sum = sarx_cohort_summary_json(j->cohort)))
        nomem(holder);
    SET_VECTOR_ELT(res, 3, Rf_ScalarString(Rf_mkCharCE(sum, CE_UTF8)));
    sarx_free(sum);
    {
        size_t ni = sarx_cohort_ignored_count(j->cohort);
        SEXP ig = Rf_allocVector(STRSXP, (R_xlen_t)ni);
        SET_VECTOR_ELT(res, 4, ig);
        for (i = 0; i < ni; i++)
            SET_STRING_ELT(ig, (R_xlen_t)i, Rf_mkCharCE(sarx_cohort_ignored(j->cohort, i), CE_UTF8));
    }
    {
        SEXP ids = Rf_allocVector(STRSXP, (R_xlen_t)nd);
        SET_VECTOR_ELT(res, 5, ids);
        for (d = 0; d < nd; d++)
            SET_STRING_ELT(ids, (R_xlen_t)d, Rf_mkCharCE(sarx_definition_id(sarx_definition_at(j->ctx, d)), CE_UTF8));
    }
    rnames = PROTECT(Rf_allocVector(STRSXP, 6));
    SET_STRING_ELT(rnames, 0, Rf_mkChar("categories"));
    SET_STRING_ELT(rnames, 1, Rf_mkChar("complete"));
    SET_STRING_ELT(rnames, 2, Rf_mkChar("errors"));
    SET_STRING_ELT(rnames, 3, Rf_mkChar("summary"));
    SET_STRING_ELT(rnames, 4, Rf_mkChar("ignored"));
    SET_STRING_ELT(rnames, 5, Rf_mkChar("definitions"));
    Rf_setAttrib(res, R_NamesSymbol, rnames);
    job_done(holder);
    UNPROTECT(rows ? 6 : 4);
    return res;
}

/* assess(): each row of the data (or the JSON text) as a subject, assessed
** in full; a list with, per row, the assessment's JSON text or the error
** (list(code, field, value, allowed, message)). */
SEXP sxr_assess(SEXP data, SEXP names, SEXP nrow, SEXP json, SEXP definitions, SEXP map_text, SEXP renames,
                SEXP values, SEXP na, SEXP guidance)
{
    job *j;
    SEXP holder = PROTECT(new_holder(&j)), cont = PROTECT(R_MakeUnwindCont()), res;
    size_t n, r;
    unsigned flags = Rf_asLogical(guidance) == 1 ? 0 : SARX_ASSESS_NO_GUIDANCE;
    sarx_error err;
    memset(&err, 0, sizeof err);
    if (sarx_subject_new(&j->subject) != SARX_OK)
        nomem(holder);
    if (!Rf_isNull(json)) {
        const char *t = str1(json, 0);
        sarx_assessment *a = NULL;
        char *out;
        if (sxr_ctx(definitions, &j->ctx, &err) != SARX_OK) {
            job_done(holder);
            sxr_stop("definitions", &err);
        }
        if (sarx_subject_from_json(j->subject, t, strlen(t), &err) != SARX_OK ||
            sarx_assess_ex(j->ctx, j->subject, flags, &a, &err) != SARX_OK) {
            job_done(holder);
            sxr_stop("subject", &err);
        }
        out = sarx_assessment_json(a, flags ? SARX_RENDER_NO_GUIDANCE : 0);
        sarx_assessment_free(a);
        if (!out)
            nomem(holder);
        res = PROTECT(Rf_allocVector(VECSXP, 1));
        SET_VECTOR_ELT(res, 0, Rf_ScalarString(Rf_mkCharCE(out, CE_UTF8)));
        sarx_free(out);
        job_done(holder);
        UNPROTECT(3);
        return res;
    }
    n = nrows_of(nrow);
    setup(holder, j, data, names, n, definitions, map_text, renames, values, na, 1);
    res = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)n));
    for (r = 0; r < n; r++) {
        const void *vmax = vmaxget();
        sarx_assessment *a = NULL;
        int rc;
        if (r && r % 256 == 0)
            interrupt_point(holder, cont);
        point(j, r, 1);
        rc = sarx_cohort_columns_subject(j->cohort, j->cols, j->ncol, 0, j->subject, &err);
        vmaxset(vmax);
        if (rc == SARX_OK)
            rc = sarx_assess_ex(j->ctx, j->subject, flags, &a, &err);
        if (rc == SARX_OK) {
            char *out = sarx_assessment_json(a, flags ? SARX_RENDER_NO_GUIDANCE : 0);
            sarx_assessment_free(a);
            if (!out)
                nomem(holder);
            SET_VECTOR_ELT(res, (R_xlen_t)r, Rf_ScalarString(Rf_mkCharCE(out, CE_UTF8)));
            sarx_free(out);
        } else {
            SEXP e = PROTECT(Rf_allocVector(STRSXP, 5));
            SET_STRING_ELT(e, 0, Rf_mkChar(sarx_error_name(err.code)));
            SET_STRING_ELT(e, 1, Rf_mkCharCE(err.field, CE_UTF8));
            SET_STRING_ELT(e, 2, Rf_mkCharCE(err.value, CE_UTF8));
            SET_STRING_ELT(e, 3, Rf_mkCharCE(err.allowed, CE_UTF8));
            SET_STRING_ELT(e, 4, Rf_mkCharCE(err.message, CE_UTF8));
            SET_VECTOR_ELT(res, (R_xlen_t)r, e);
            UNPROTECT(1);
        }
    }
    job_done(holder);
    UNPROTECT(3);
    return res;
}
