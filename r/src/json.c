/*
** json.c — the library's JSON answers (an assessment, a cohort summary) as
** R values, through jansson (which libsarx links already): no R package
** is needed for it, and numbers arrive as the doubles the text spells.
**   object -> named list
**   array of numbers (and nulls) -> integer vector when every number is
**     an integer that fits, else double; nulls are NA
**   array of strings / booleans (and nulls) -> character / logical
**   empty array -> character(0); any other array -> list
**   null -> NA; true/false -> TRUE/FALSE
*/
#include "sarx_r.h"
#include <jansson.h>
#include <limits.h>
#include <string.h>

enum { A_NONE, A_INT, A_REAL, A_STR, A_BOOL, A_LIST };

static int kind_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        return i > INT_MIN && i <= INT_MAX ? A_INT : A_REAL;
    }
    case JSON_REAL: return A_REAL;
    case JSON_STRING: return A_STR;
    case JSON_TRUE: case JSON_FALSE: return A_BOOL;
    case JSON_NULL: return A_NONE;
    default: return A_LIST;
    }
}

/* The atomic kind an array can be, or A_LIST. */
static int array_kind(const json_t *a)
{
    size_t i;
    int k = A_NONE;
    for (i = 0; i < json_array_size(a); i++) {
        int e = kind_of(json_array_get(a, i));
        if (e == A_NONE || e == k)
            continue;
        if (k == A_NONE)
            k = e;
        else if ((k == A_INT && e == A_REAL) || (k == A_REAL && e == A_INT))
            k = A_REAL;
        else
            return A_LIST;
    }
    return k == A_NONE ? (json_array_size(a) ? A_BOOL : A_STR) : k; /* all nulls: logical NA */
}

static SEXP mkutf8(const char *s, size_t n) { return Rf_mkCharLenCE(s, (int)n, CE_UTF8); }

static SEXP to_r(const json_t *v)
{
    SEXP out;
    size_t i, n;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *m;
        SEXP names;
        n = json_object_size(v);
        out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)n));
        names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
        i = 0;
        json_object_foreach((json_t *)v, key, m) {
            SET_VECTOR_ELT(out, (R_xlen_t)i, to_r(m));
            SET_STRING_ELT(names, (R_xlen_t)i, mkutf8(key, strlen(key)));
            i++;
        }
        Rf_setAttrib(out, R_NamesSymbol, names);
        UNPROTECT(2);
        return out;
    }
    case JSON_ARRAY: {
        int k = array_kind(v);
        n = json_array_size(v);
        switch (k) {
        case A_INT: out = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)n)); break;
        case A_REAL: out = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n)); break;
        case A_STR: out = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n)); break;
        case A_BOOL: out = PROTECT(Rf_allocVector(LGLSXP, (R_xlen_t)n)); break;
        default: out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)n)); break;
        }
        for (i = 0; i < n; i++) {
            const json_t *e = json_array_get(v, i);
            R_xlen_t j = (R_xlen_t)i;
            switch (k) {
            case A_INT: INTEGER(out)[j] = json_is_null(e) ? NA_INTEGER : (int)json_integer_value(e); break;
            case A_REAL: REAL(out)[j] = json_is_null(e) ? NA_REAL : json_number_value(e); break;
            case A_STR:
                SET_STRING_ELT(out, j, json_is_null(e) ? NA_STRING
                                                       : mkutf8(json_string_value(e), json_string_length(e)));
                break;
            case A_BOOL: LOGICAL(out)[j] = json_is_null(e) ? NA_LOGICAL : json_is_true(e); break;
            default: SET_VECTOR_ELT(out, j, to_r(e)); break;
            }
        }
        UNPROTECT(1);
        return out;
    }
    case JSON_STRING:
        return Rf_ScalarString(mkutf8(json_string_value(v), json_string_length(v)));
    case JSON_INTEGER:
        return kind_of(v) == A_INT ? Rf_ScalarInteger((int)json_integer_value(v))
                                   : Rf_ScalarReal((double)json_integer_value(v));
    case JSON_REAL: return Rf_ScalarReal(json_real_value(v));
    case JSON_TRUE: return Rf_ScalarLogical(1);
    case JSON_FALSE: return Rf_ScalarLogical(0);
    default: return Rf_ScalarLogical(NA_LOGICAL);
    }
}

/* Parse with jansson, convert, free the tree: the tree is freed before an
** R allocation can fail only if conversion does not longjmp, so the tree
** is held by an external pointer whose finalizer frees it. */
static void tree_free(SEXP p)
{
    json_t *j = R_ExternalPtrAddr(p);
    if (j) {
        json_decref(j);
        R_ClearExternalPtr(p);
    }
}

SEXP sxr_json_to_r(const char *text, size_t len)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    SEXP holder, out;
    if (!j)
        Rf_error("sarx: JSON text not readable: %s (line %d, column %d)", je.text, je.line, je.column);
    holder = PROTECT(R_MakeExternalPtr(j, R_NilValue, R_NilValue));
    R_RegisterCFinalizerEx(holder, tree_free, TRUE);
    out = PROTECT(to_r(j));
    tree_free(holder);
    UNPROTECT(2);
    return out;
}

SEXP sxr_json_parse(SEXP text)
{
    const char *s;
    if (!Rf_isString(text) || XLENGTH(text) != 1 || STRING_ELT(text, 0) == NA_STRING)
        Rf_error("sarx: a JSON text must be one string");
    s = Rf_translateCharUTF8(STRING_ELT(text, 0));
    return sxr_json_to_r(s, strlen(s));
}
