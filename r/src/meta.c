/*
** meta.c — what the library knows, as R columns: fields(), definitions(),
** the version; and the routine registration (.Call only, no symbol
** search).
*/
#include "sarx_r.h"
#include <R_ext/Rdynload.h>
#include <R_ext/Visibility.h>
#include <string.h>

static void ctx_finalize(SEXP p)
{
    sarx_ctx_free(R_ExternalPtrAddr(p));
    R_ClearExternalPtr(p);
}

static SEXP mkstr(const char *s) { return Rf_mkCharCE(s ? s : "", CE_UTF8); }

/* A list of ncol columns with these names. */
static SEXP table(int ncol, const char *const *names, const SEXPTYPE *types, R_xlen_t n)
{
    SEXP out = PROTECT(Rf_allocVector(VECSXP, ncol)), nm = PROTECT(Rf_allocVector(STRSXP, ncol));
    int k;
    for (k = 0; k < ncol; k++) {
        SET_VECTOR_ELT(out, k, Rf_allocVector(types[k], n));
        SET_STRING_ELT(nm, k, Rf_mkChar(names[k]));
    }
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

SEXP sxr_version(void) { return Rf_mkString(sarx_version()); }

SEXP sxr_fields(void)
{
    static const char *const kinds[] = {"number", "integer", "bool", "enum", "string", "date", "list", "history"};
    static const char *const names[] = {"name", "canonical", "kind", "unit", "min", "max", "values", "description"};
    static const SEXPTYPE types[] = {STRSXP, STRSXP, STRSXP, STRSXP, REALSXP, REALSXP, STRSXP, STRSXP};
    size_t n = sarx_field_count(), i;
    SEXP out = PROTECT(table(8, names, types, (R_xlen_t)n));
    for (i = 0; i < n; i++) {
        const sarx_field_info *f = sarx_field_at(i);
        R_xlen_t r = (R_xlen_t)i;
        int num = f->kind == SARX_KIND_NUMBER || f->kind == SARX_KIND_INTEGER;
        SET_STRING_ELT(VECTOR_ELT(out, 0), r, mkstr(f->name));
        SET_STRING_ELT(VECTOR_ELT(out, 1), r, mkstr(f->canonical));
        SET_STRING_ELT(VECTOR_ELT(out, 2), r,
                       f->kind >= 0 && f->kind < 8 ? Rf_mkChar(kinds[f->kind]) : NA_STRING);
        SET_STRING_ELT(VECTOR_ELT(out, 3), r, f->unit && f->unit[0] ? mkstr(f->unit) : NA_STRING);
        REAL(VECTOR_ELT(out, 4))[r] = num ? f->min : NA_REAL;
        REAL(VECTOR_ELT(out, 5))[r] = num ? f->max : NA_REAL;
        SET_STRING_ELT(VECTOR_ELT(out, 6), r, f->values && f->values[0] ? mkstr(f->values) : NA_STRING);
        SET_STRING_ELT(VECTOR_ELT(out, 7), r, mkstr(f->description));
    }
    UNPROTECT(1);
    return out;
}

/* One row per definition; categories and positive categories as "a|b|c",
** in the definition's order. */
SEXP sxr_definitions(SEXP definitions)
{
    static const char *const names[] = {"id", "title", "kind", "version", "categories", "positive", "citation",
                                        "notes"};
    static const SEXPTYPE types[] = {STRSXP, STRSXP, STRSXP, STRSXP, STRSXP, STRSXP, STRSXP, STRSXP};
    sarx_ctx *ctx = NULL;
    sarx_error err;
    size_t n, i, k;
    SEXP out, holder;
    memset(&err, 0, sizeof err);
    if (sxr_ctx(definitions, &ctx, &err) != SARX_OK)
        sxr_stop("definitions", &err);
    holder = PROTECT(R_MakeExternalPtr(ctx, R_NilValue, R_NilValue)); /* freed below, or by the GC after an R error */
    R_RegisterCFinalizerEx(holder, ctx_finalize, TRUE);
    n = sarx_definition_count(ctx);
    out = PROTECT(table(8, names, types, (R_xlen_t)n));
    for (i = 0; i < n; i++) {
        const sarx_definition *d = sarx_definition_at(ctx, i);
        R_xlen_t r = (R_xlen_t)i;
        size_t len = 1, nc = sarx_definition_category_count(d);
        char *cats, *pos;
        for (k = 0; k < nc; k++)
            len += strlen(sarx_definition_category(d, k)) + 1;
        cats = R_alloc(len, 1);
        pos = R_alloc(len, 1);
        cats[0] = pos[0] = '\0';
        for (k = 0; k < nc; k++) {
            const char *c = sarx_definition_category(d, k);
            if (k)
                strcat(cats, "|");
            strcat(cats, c);
            if (sarx_definition_category_positive(d, k)) {
                if (pos[0])
                    strcat(pos, "|");
                strcat(pos, c);
            }
        }
        SET_STRING_ELT(VECTOR_ELT(out, 0), r, mkstr(sarx_definition_id(d)));
        SET_STRING_ELT(VECTOR_ELT(out, 1), r, mkstr(sarx_definition_title(d)));
        SET_STRING_ELT(VECTOR_ELT(out, 2), r, mkstr(sarx_definition_kind(d)));
        SET_STRING_ELT(VECTOR_ELT(out, 3), r, mkstr(sarx_definition_version(d)));
        SET_STRING_ELT(VECTOR_ELT(out, 4), r, mkstr(cats));
        SET_STRING_ELT(VECTOR_ELT(out, 5), r, pos[0] ? mkstr(pos) : NA_STRING);
        SET_STRING_ELT(VECTOR_ELT(out, 6), r, mkstr(sarx_definition_citation(d)));
        SET_STRING_ELT(VECTOR_ELT(out, 7), r, mkstr(sarx_definition_notes(d)));
    }
    ctx_finalize(holder);
    UNPROTECT(2);
    return out;
}

/* One cell of a list column (conditions, medications): its items (a
** character vector, or any vector as.character() makes one of; NA items
** left out) as one list cell's text, written by the library as its
** readers take it back; NULL (missing) when no item is left.  The text
** is R_alloc'd: it lives until the caller's vmaxset. */
const char *sxr_list_text(SEXP cell)
{
    SEXP items;
    R_xlen_t i, n;
    size_t len = 0, cap = 1;
    char *buf;
    if (Rf_isNull(cell) || !XLENGTH(cell))
        return NULL;
    if (TYPEOF(cell) == STRSXP)
        items = PROTECT(cell);
    else if (Rf_isFactor(cell))
        items = PROTECT(Rf_asCharacterFactor(cell));
    else
        items = PROTECT(Rf_coerceVector(cell, STRSXP));
    n = XLENGTH(items);
    for (i = 0; i < n; i++)
        if (STRING_ELT(items, i) != NA_STRING) {
            const char *s = Rf_translateCharUTF8(STRING_ELT(items, i));
            cap += sarx_csv_list_append(NULL, 0, s, strlen(s), len == 0 && cap == 1) + 1;
        }
    buf = R_alloc(cap, 1);
    buf[0] = '\0';
    for (i = 0; i < n; i++)
        if (STRING_ELT(items, i) != NA_STRING) {
            const char *s = Rf_translateCharUTF8(STRING_ELT(items, i));
            len += sarx_csv_list_append(buf + len, cap - len, s, strlen(s), len == 0);
        }
    buf[len] = '\0';
    UNPROTECT(1);
    return len ? buf : NULL;
}

/* Through void (*)(void), the one function pointer type a cast may pass
** through without -Wcast-function-type's warning. */
#define CALLDEF(f) (DL_FUNC)(void (*)(void))&f

static const R_CallMethodDef calls[] = {
    {"sxr_version", CALLDEF(sxr_version), 0},
    {"sxr_fields", CALLDEF(sxr_fields), 0},
    {"sxr_definitions", CALLDEF(sxr_definitions), 1},
    {"sxr_classify", CALLDEF(sxr_classify), 10},
    {"sxr_assess", CALLDEF(sxr_assess), 10},
    {"sxr_json_parse", CALLDEF(sxr_json_parse), 1},
    {NULL, NULL, 0},
};

void attribute_visible R_init_sarx(DllInfo *dll);
void attribute_visible R_init_sarx(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, calls, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
