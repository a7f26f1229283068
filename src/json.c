/*
** json.c — the JSON subject decoder and the JSON result encoder (jansson).
*/
#include "internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON value's kind in words, for messages ("a number", "text", ...). */
const char *sarx__json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "text";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true/false";
    default: return "null";
    }
}

static const char *expected(const sarx_field_info *fi)
{
    switch (fi->kind) {
    case SARX_KIND_NUMBER: return "a number";
    case SARX_KIND_INTEGER: return "a whole number";
    case SARX_KIND_BOOL: return "true or false";
    case SARX_KIND_ENUM: return fi->values;
    case SARX_KIND_STRING: return "text";
    case SARX_KIND_DATE: return "a date \"YYYY-MM-DD\"";
    case SARX_KIND_LIST:
        return strcmp(fi->name, "conditions") == 0 ? "a list of text or {\"system\": \"icd10\", \"code\": \"N18.4\"}"
                                                   : "a list of text";
    default: return "a list of {\"date\", \"weight_kg\"}";
    }
}

/* A short text form of a JSON value for messages. */
void sarx__json_value_text(const json_t *v, char *buf, size_t n)
{
    char *s;
    if (json_is_string(v)) {
        snprintf(buf, n, "\"%s\"", json_string_value(v));
        return;
    }
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    snprintf(buf, n, "%s", s ? s : "?");
    free(s);
}

static int type_error(sarx_error *err, const sarx_field_info *fi, const json_t *v)
{
    char vb[64];
    sarx__json_value_text(v, vb, sizeof vb);
    return sarx__err(err, SARX_ETYPE, fi->name, vb, expected(fi), "field \"%s\": expected %s, got %s %s",
                     fi->name, expected(fi), sarx__json_type_name(v), vb);
}

static int decode_history(sarx_subject *s, const json_t *arr, sarx_error *err)
{
    size_t i;
    int rc;
    const json_t *item;
    if (!json_is_array(arr))
        return type_error(err, &sarx__field_info[SARX__F_HISTORY], arr);
    json_array_foreach(arr, i, item) {
        const char *key;
        const json_t *val, *date = NULL, *kg = NULL;
        char where[48];
        snprintf(where, sizeof where, "weight_history[%zu]", i);
        if (!json_is_object(item))
            return sarx__err(err, SARX_ETYPE, where, "", "{\"date\": \"YYYY-MM-DD\", \"weight_kg\": n}",
                             "field \"%s\": expected {\"date\": \"YYYY-MM-DD\", \"weight_kg\": n}, got %s", where,
                             sarx__json_type_name(item));
        json_object_foreach((json_t *)item, key, val) {
            if (strcmp(key, "date") == 0)
                date = val;
            else if (strcmp(key, "weight_kg") == 0)
                kg = val;
            else
                return sarx__err(err, SARX_EFIELD, where, key, "date, weight_kg",
                                 "field \"%s\": unknown key \"%s\" (allowed date, weight_kg)", where, key);
        }
        if (!date || !json_is_string(date) || !kg || !json_is_number(kg))
            return sarx__err(err, SARX_ETYPE, where, "", "{\"date\": \"YYYY-MM-DD\", \"weight_kg\": n}",
                             "field \"%s\": needs \"date\" as text and \"weight_kg\" as a number", where);
        if ((rc = sarx_subject_add_weight(s, json_string_value(date), json_number_value(kg), err)) != SARX_OK) {
            if (err) { /* name the entry: weight_history[i] */
                char msg[sizeof err->message + 64];
                snprintf(msg, sizeof msg, "%s (%s)", err->message, where);
                memcpy(err->message, msg, sizeof err->message - 1);
                err->message[sizeof err->message - 1] = '\0';
            }
            return rc;
        }
    }
    return SARX_OK;
}

/* The code systems a coded condition may name: ICD-10 (WHO) and its
** FHIR identifiers, ICD-10-CM's included (its codes share ICD-10's
** categories, which is all the vocabulary reads). */
static const char *const icd10_systems[] = {"icd10", "ICD-10", "http://hl7.org/fhir/sid/icd-10",
                                            "http://hl7.org/fhir/sid/icd-10-cm"};
#define ICD10_SYSTEMS "icd10, ICD-10, http://hl7.org/fhir/sid/icd-10, http://hl7.org/fhir/sid/icd-10-cm"

static int same_word(const char *a, const char *b)
{
    for (; *a && sarx__lower((unsigned char)*a) == sarx__lower((unsigned char)*b); a++, b++)
        ;
    return *a == '\0' && *b == '\0';
}

/* Item i of a conditions list given as a coded entry, {"system": S,
** "code": C}: stored as the text item "icd10:C" (sarx_subject_add_item
** upper-cases and checks the code).  Any other key, a system that is not
** ICD-10 or a code that is not one is an input error. */
static int coded_item(sarx_subject *s, const sarx_field_info *fi, size_t i, const json_t *o, sarx_error *err)
{
    const char *key, *sys = NULL, *code = NULL;
    const json_t *val;
    char text[32];
    size_t k;
    if (strcmp(fi->name, "conditions") != 0)
        return type_error(err, fi, o);
    json_object_foreach((json_t *)o, key, val) {
        if (strcmp(key, "system") != 0 && strcmp(key, "code") != 0)
            return sarx__err(err, SARX_EFIELD, fi->name, key, "system, code",
                             "field \"%s\": item %zu has the unknown key \"%s\" (a coded entry is {\"system\": "
                             "\"icd10\", \"code\": \"N18.4\"})",
                             fi->name, i + 1, key);
        if (!json_is_string(val)) {
            char vb[64];
            sarx__json_value_text(val, vb, sizeof vb);
            return sarx__err(err, SARX_ETYPE, fi->name, vb, "text",
                             "field \"%s\": item %zu: \"%s\" is %s %s, not text", fi->name, i + 1, key,
                             sarx__json_type_name(val), vb);
        }
        if (strcmp(key, "system") == 0)
            sys = json_string_value(val);
        else
            code = json_string_value(val);
    }
    if (!sys || !code)
        return sarx__err(err, SARX_EVALUE, fi->name, "", "{\"system\": \"icd10\", \"code\": \"N18.4\"}",
                         "field \"%s\": item %zu needs both \"system\" and \"code\" (e.g. {\"system\": "
                         "\"icd10\", \"code\": \"N18.4\"})",
                         fi->name, i + 1);
    for (k = 0; k < SARX__N(icd10_systems) && !same_word(icd10_systems[k], sys); k++)
        ;
    if (k == SARX__N(icd10_systems)) {
        char vb[64];
        sarx__show(vb, sizeof vb, sys, strlen(sys));
        return sarx__err(err, SARX_EVALUE, fi->name, vb, ICD10_SYSTEMS,
                         "field \"%s\": item %zu: system \"%s\" is not allowed (allowed " ICD10_SYSTEMS ")",
                         fi->name, i + 1, vb);
    }
    if (strlen(code) > 16 || !code[0]) { /* (an ICD-10 code has at most 8 characters) */
        char vb[64];
        sarx__show(vb, sizeof vb, code, strlen(code));
        return sarx__err(err, SARX_EVALUE, fi->name, vb, "an ICD-10 code, e.g. N18.4",
                         "field \"%s\": item %zu: code \"%s\" is not an ICD-10 code (a letter, two digits or a "
                         "digit and a letter, then optionally a dot and 1-4 letters or digits, e.g. N18.4)",
                         fi->name, i + 1, vb);
    }
    snprintf(text, sizeof text, "icd10:%s", code);
    return sarx_subject_add_item(s, fi->name, text, err);
}

/* A list's items: text, or for conditions also coded entries. */
static int list_item(sarx_subject *s, const sarx_field_info *fi, size_t i, const json_t *it, sarx_error *err)
{
    if (json_is_object(it))
        return coded_item(s, fi, i, it, err);
    if (!json_is_string(it))
        return type_error(err, fi, it);
    return sarx_subject_add_item(s, fi->name, json_string_value(it), err);
}

static int decode_field(sarx_subject *s, const char *key, const json_t *v, sarx_error *err)
{
    int alias, f = sarx__field_lookup(key, strlen(key), &alias);
    const sarx_field_info *fi;
    if (f < 0) {
        const char *hint = sarx__field_suggest(key);
        if (hint)
            return sarx__err(err, SARX_EFIELD, key, "", "", "unknown field \"%s\" (did you mean \"%s\"?)", key,
                             hint);
        return sarx__err(err, SARX_EFIELD, key, "", "", "unknown field \"%s\"", key);
    }
    fi = &sarx__field_info[alias < 0 ? (size_t)f : SARX__F_COUNT + (size_t)alias];
    if (json_is_null(v))
        return SARX_OK; /* explicitly not measured */
    switch (fi->kind) {
    case SARX_KIND_NUMBER:
    case SARX_KIND_INTEGER:
        if (!json_is_number(v))
            return type_error(err, fi, v);
        return sarx__subject_set_field(s, f, alias, json_number_value(v), err);
    case SARX_KIND_BOOL:
        if (!json_is_boolean(v))
            return type_error(err, fi, v);
        return sarx__subject_set_field(s, f, alias, json_is_true(v) ? 1.0 : 0.0, err);
    case SARX_KIND_STRING:
        if (json_is_integer(v)) {
            char b[32];
            snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
            return sarx__subject_set_string(s, f, alias, b, strlen(b), err);
        }
        /* fall through */
    case SARX_KIND_ENUM:
    case SARX_KIND_DATE:
        if (!json_is_string(v))
            return type_error(err, fi, v);
        return sarx__subject_set_string(s, f, alias, json_string_value(v), json_string_length(v), err);
    case SARX_KIND_LIST: {
        size_t i;
        const json_t *it;
        if (!json_is_array(v))
            return type_error(err, fi, v);
        json_array_foreach(v, i, it) {
            int rc;
            if ((rc = list_item(s, fi, i, it, err)) != SARX_OK)
                return rc;
        }
        return SARX_OK;
    }
    default:
        return decode_history(s, v, err);
    }
}

/* The subject from JSON text through jansson: the reference reading, and
** the one that words every error (sarx__subject_from_json_fast defers to
** it for anything but a clean object). */
int sarx__subject_from_json_slow(sarx_subject *s, const char *text, size_t len, sarx_error *err)
{
    json_error_t je;
    json_t *root;
    const char *key;
    json_t *v;
    size_t i;
    int rc = SARX_OK;
    sarx_subject_clear(s);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte-order mark */
        text += 3;
        len -= 3;
    }
    for (i = 0; i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'); i++)
        ;
    if (i == len)
        return sarx__err(err, SARX_EEMPTY, "", "", "a JSON object", "empty input: expected a JSON object");
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        rc = sarx__err(err, SARX_ESYNTAX, "", "", "a JSON object", "malformed JSON: %s", je.text);
        if (err) {
            err->line = je.line;
            err->column = je.column;
        }
        return rc;
    }
    if (!json_is_object(root)) {
        rc = sarx__err(err, SARX_ETYPE, "", sarx__json_type_name(root), "a JSON object",
                       "expected a JSON object (one subject), got %s", sarx__json_type_name(root));
        json_decref(root);
        return rc;
    }
    json_object_foreach(root, key, v) {
        if ((rc = decode_field(s, key, v, err)) != SARX_OK)
            break;
    }
    json_decref(root);
    if (rc == SARX_OK)
        rc = sarx__subject_finish(s, err);
    if (rc != SARX_OK)
        sarx_subject_clear(s);
    return rc;
}

int sarx_subject_from_json(sarx_subject *s, const char *text, size_t len, sarx_error *err)
{
    if (!s || (!text && len))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    /* A clean flat object is read without building a tree (json_fast.c);
    ** anything else, and every error, goes through jansson, which words it. */
    if (sarx__subject_from_json_fast(s, text, len) == SARX_OK)
        return SARX_OK;
    return sarx__subject_from_json_slow(s, text, len, err);
}

/* The value a host gave (sarx_subject_set_json) as a jansson value, for
** the reading that words the errors; NULL when out of memory or not valid. */
static json_t *host_value(int type, const char *text, size_t len)
{
    switch (type) {
    case SARX_JSON_NULL: return json_null();
    case SARX_JSON_FALSE: return json_false();
    case SARX_JSON_TRUE: return json_true();
    case SARX_JSON_STRING: return json_stringn(text, len);
    default: return json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    }
}

/* Whether t is a number as JSON writes it (-?(0|[1-9][0-9]*)(.[0-9]+)?
** ([eE][+-]?[0-9]+)?): 2 for an integer (no fraction or exponent), 1 for
** another number, 0 for none. */
int sarx__json_number_kind(const char *t, size_t n)
{
    size_t i = 0, d;
    int integer = 1;
    if (i < n && t[i] == '-')
        i++;
    if (i < n && t[i] == '0')
        i++;
    else {
        for (d = i; i < n && t[i] >= '0' && t[i] <= '9'; i++)
            ;
        if (i == d)
            return 0;
    }
    if (i < n && t[i] == '.') {
        integer = 0;
        for (d = ++i; i < n && t[i] >= '0' && t[i] <= '9'; i++)
            ;
        if (i == d)
            return 0;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        integer = 0;
        if (++i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        for (d = i; i < n && t[i] >= '0' && t[i] <= '9'; i++)
            ;
        if (i == d)
            return 0;
    }
    return i == n ? 1 + integer : 0;
}

int sarx_subject_set_json(sarx_subject *s, const char *key, size_t keylen, int type, const char *text, size_t len,
                          sarx_error *err)
{
    int alias = -1, f;
    if (!s || (!key && keylen) || type < SARX_JSON_NULL || type > SARX_JSON_VALUE ||
        (type >= SARX_JSON_NUMBER && !text && len))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    f = sarx__field_lookup(key, keylen, &alias);
    return sarx__subject_set_json_at(s, f, alias, key, keylen, type, text ? text : "", len, err);
}

long sarx_field_index(const char *key, size_t keylen)
{
    int alias, f;
    if (!key && keylen)
        return -1;
    f = sarx__field_lookup(key ? key : "", keylen, &alias);
    return f < 0 ? -1 : alias < 0 ? (long)f : (long)SARX__F_COUNT + alias;
}


int sarx_subject_set_json_field(sarx_subject *s, long i, const char *key, size_t keylen, int type, const char *text,
                                size_t len, sarx_error *err)
{
    int alias = -1, f = -1;
    if (!s || (!key && keylen) || type < SARX_JSON_NULL || type > SARX_JSON_VALUE ||
        (type >= SARX_JSON_NUMBER && !text && len) || (i != -1 && !sarx__field_split(i, &f, &alias)))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    return sarx__subject_set_json_at(s, f, alias, key ? key : "", keylen, type, text ? text : "", len, err);
}


int sarx__subject_set_json_at(sarx_subject *s, int f, int alias, const char *key, size_t keylen, int type,
                              const char *text, size_t len, sarx_error *err)
{
    int rc;
    const sarx_field_info *fi;
    json_t *v;
    char kb[256], *kz;
    /* The usual values, without a jansson value.  (A key that names a field
    ** matched its name byte for byte over keylen, so it holds no NUL.) */
    if (f >= 0) {
        fi = &sarx__field_info[alias < 0 ? (size_t)f : SARX__F_COUNT + (size_t)alias];
        if (type == SARX_JSON_NULL)
            return SARX_OK; /* explicitly not measured */
        switch (fi->kind) {
        case SARX_KIND_NUMBER:
        case SARX_KIND_INTEGER:
            if (type == SARX_JSON_NUMBER && len <= 18) {
                /* jansson: an integer as a long long made a double, other
                ** numbers by strtod; both are the correctly rounded value
                ** (up to 18 digits), as sarx__parse_number's, but for -0 */
                int nk = sarx__json_number_kind(text, len);
                double d;
                if (nk && sarx__parse_number(text, len, 0, &d) == SARX_OK && isfinite(d))
                    return sarx__subject_set_field(s, f, alias, nk == 2 && d == 0 ? 0.0 : d, err);
            }
            break;
        case SARX_KIND_BOOL:
            if (type == SARX_JSON_TRUE || type == SARX_JSON_FALSE)
                return sarx__subject_set_field(s, f, alias, type == SARX_JSON_TRUE ? 1.0 : 0.0, err);
            break;
        case SARX_KIND_STRING:
            if (type == SARX_JSON_NUMBER && len <= 18 && sarx__json_number_kind(text, len) == 2 &&
                !(len == 2 && text[0] == '-' && text[1] == '0'))
                return sarx__subject_set_string(s, f, alias, text, len, err);
            /* fall through */
        case SARX_KIND_ENUM:
        case SARX_KIND_DATE:
            if (type == SARX_JSON_STRING && !memchr(text, '\0', len))
                return sarx__subject_set_string(s, f, alias, text, len, err);
            break;
        default:
            break;
        }
    }
    /* Everything else as jansson reads it, with its messages. */
    if (memchr(key, '\0', keylen))
        return sarx__err(err, SARX_EFIELD, "", "", "", "unknown field (a name with a NUL byte)");
    kz = keylen < sizeof kb ? kb : malloc(keylen + 1);
    if (!kz)
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    memcpy(kz, key, keylen);
    kz[keylen] = '\0';
    if (!(v = host_value(type, text, len))) {
        char vb[64];
        sarx__show(vb, sizeof vb, text, len);
        rc = sarx__err(err, SARX_ESYNTAX, kz, vb, "a JSON value", "field \"%s\": \"%s\" is not %s", kz, vb,
                       type == SARX_JSON_STRING ? "UTF-8 text" : "a JSON value");
    } else {
        rc = decode_field(s, kz, v, err);
        json_decref(v);
    }
    if (kz != kb)
        free(kz);
    return rc;
}

int sarx_subject_finish(sarx_subject *s, sarx_error *err)
{
    int rc;
    if (!s)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((rc = sarx__subject_finish(s, err)) != SARX_OK)
        sarx_subject_clear(s);
    return rc;
}

/* A list cell in its JSON form, '["a", "b;c"]': the cell of
** sarx_subject_set_text.  Each item as sarx_subject_add_item takes it. */
int sarx__list_from_json(sarx_subject *s, int field, const char *text, size_t len, sarx_error *err)
{
    const sarx_field_info *fi = &sarx__field_info[field];
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je), *it;
    size_t i;
    int rc = SARX_OK;
    if (!root || !json_is_array(root)) {
        char vb[64];
        sarx__show(vb, sizeof vb, text, len);
        rc = sarx__err(err, SARX_ESYNTAX, fi->name, vb, "[\"text\", ...] or items separated by ';'",
                       "field \"%s\": \"%s\" starts with '[' but is not a JSON array of text%s%s (write [\"a\", \"b\"], "
                       "or a;b with \\[ for a first '[')",
                       fi->name, vb, root ? "" : ": ", root ? "" : je.text);
        json_decref(root);
        return rc;
    }
    json_array_foreach(root, i, it) {
        if (json_is_object(it) && field == SARX__F_CONDITIONS) {
            if ((rc = coded_item(s, fi, i, it, err)) != SARX_OK)
                break;
            continue;
        }
        if (!json_is_string(it)) {
            char vb[64];
            sarx__json_value_text(it, vb, sizeof vb);
            rc = sarx__err(err, SARX_ETYPE, fi->name, vb, "text",
                           "field \"%s\": item %zu of the JSON list is %s %s, not text", fi->name, i + 1,
                           sarx__json_type_name(it), vb);
            break;
        }
        if ((rc = sarx_subject_add_item(s, fi->name, json_string_value(it), err)) != SARX_OK)
            break;
    }
    json_decref(root);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Encoding                                                           */

/* Every encoder builds through these: any failed allocation sets *bad and
** the renderer returns NULL rather than JSON with keys missing. */
static void put(json_t *o, const char *k, json_t *v, int *bad)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        *bad = 1;
}

static void add(json_t *a, json_t *v, int *bad)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        *bad = 1;
}

/* Dump root (consumed) unless something failed. */
static char *finish(json_t *root, size_t flags, int bad)
{
    char *out = bad || !root ? NULL : json_dumps(root, flags);
    json_decref(root);
    return out;
}

/*
** The result is written straight into a buffer: building a jansson tree of
** a thousand nodes and dumping it cost twenty times the assessment itself
** (docs/PERFORMANCE.md).  The text is what jansson printed before: compact
** separators, reals as "%.15g" with ".0" added to integers and exponents
** without '+' or leading zeros, the same escapes, and with PRETTY the same
** two-space layout.
*/
typedef struct jw {
    sarx__buf b;
    int first;  /* no comma before the next member */
    int pretty; /* jansson's JSON_INDENT(2) layout */
    int depth;
} jw;

static void j_put(jw *w, const char *s, size_t n);
static void j_raw(jw *w, const char *s) { j_put(w, s, strlen(s)); }


/* Append with the capacity check inline (the renderers' hot path). */
static void j_put(jw *w, const char *s, size_t n)
{
    if (w->b.n + n + 1 <= w->b.cap) {
        memcpy(w->b.p + w->b.n, s, n);
        w->b.n += n;
        w->b.p[w->b.n] = '\0';
    } else {
        sarx__putn(&w->b, s, n);
    }
}

/* A string with jansson's escapes; bytes that are not UTF-8 become U+FFFD. */
static void j_str(jw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    j_put(w, "\"", 1);
    for (;;) {
        unsigned c;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        c = *p;
        if (!c)
            break;
        if (c >= 0x80) { /* validate one UTF-8 sequence */
            size_t need = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0, k;
            unsigned cp = need == 4 ? c & 7u : need == 3 ? c & 15u : c & 31u;
            for (k = 1; need && k < need; k++) {
                if ((p[k] & 0xC0) != 0x80) {
                    need = 0;
                    break;
                }
                cp = cp << 6 | (p[k] & 0x3Fu);
            }
            if (need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
                need = 0;
            if (need == 4 && (cp < 0x10000 || cp > 0x10FFFF))
                need = 0;
            if (need) {
                p += need;
                continue;
            }
            j_put(w, (const char *)run, (size_t)(p - run));
            j_put(w, "\xEF\xBF\xBD", 3);
            run = ++p;
            continue;
        }
        j_put(w, (const char *)run, (size_t)(p - run));
        switch (c) {
        case '"': j_put(w, "\\\"", 2); break;
        case '\\': j_put(w, "\\\\", 2); break;
        case '\b': j_put(w, "\\b", 2); break;
        case '\f': j_put(w, "\\f", 2); break;
        case '\n': j_put(w, "\\n", 2); break;
        case '\r': j_put(w, "\\r", 2); break;
        case '\t': j_put(w, "\\t", 2); break;
        default: sarx__printf(&w->b, "\\u%04X", c); break;
        }
        run = ++p;
    }
    j_put(w, (const char *)run, (size_t)(p - run));
    j_put(w, "\"", 1);
}

/* %.15g without printf when v is a decimal of at most 15 digits with up to
** 6 after the point (most thresholds and measurements); 0 if not. */
static int short_decimal(double v, char *buf)
{
    static const double pow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    double a = fabs(v);
    int k;
    if (!(a >= 1e-4 && a < 1e9))
        return 0;
    for (k = 0; k <= 6; k++) {
        double scaled = a * pow10[k];
        long long m;
        char digits[24];
        int nd = 0, intd, i, o = 0;
        if (scaled >= 1e15)
            return 0;
        m = llround(scaled);
        if ((double)m / pow10[k] != a)
            continue;
        do { /* the digits of m, most significant first */
            digits[nd++] = (char)('0' + m % 10);
            m /= 10;
        } while (m);
        while (nd <= k) /* leading zeros for 0.xxx */
            digits[nd++] = '0';
        if (v < 0)
            buf[o++] = '-';
        intd = nd - k;
        for (i = nd - 1; i >= nd - intd; i--)
            buf[o++] = digits[i];
        buf[o++] = '.';
        if (k == 0)
            buf[o++] = '0';
        for (; i >= 0; i--)
            buf[o++] = digits[i];
        while (k > 0 && buf[o - 1] == '0' && buf[o - 2] != '.')
            o--;
        buf[o] = '\0';
        return 1;
    }
    return 0;
}

/* A real as jansson prints it with JSON_REAL_PRECISION(15); NaN is null. */
static void j_num(jw *w, double v)
{
    char buf[64], *e;
    if (isnan(v) || isinf(v)) {
        j_put(w, "null", 4);
        return;
    }
    if (v != 0 && short_decimal(v, buf)) {
        j_put(w, buf, strlen(buf));
        return;
    }
    sarx__fmt(buf, sizeof buf - 2, 'g', 15, v);
    e = strchr(buf, 'e');
    if (!e && !strchr(buf, '.'))
        strcat(buf, ".0");
    if (e) { /* "1e+20" -> "1e20", "1e-05" -> "1e-5" */
        char *start = e + 1, *end;
        if (*start == '+')
            memmove(start, start + 1, strlen(start));
        if (*start == '-')
            start++;
        for (end = start; *end == '0' && end[1]; end++)
            ;
        memmove(start, end, strlen(end) + 1);
    }
    j_put(w, buf, strlen(buf));
}

static void j_newline(jw *w, int depth)
{
    static const char spaces[] = "                                ";
    j_put(w, "\n", 1);
    for (depth *= 2; depth > 0; depth -= 32)
        j_put(w, spaces, depth < 32 ? (size_t)depth : 32);
}

/* An array element's separator. */
static void j_item(jw *w)
{
    if (!w->first)
        j_put(w, ",", 1);
    if (w->pretty)
        j_newline(w, w->depth);
    w->first = 0;
}

/* The key of the next member ("," first unless it is the first). */
static void j_key(jw *w, const char *k)
{
    j_item(w);
    j_str(w, k);
    if (w->pretty)
        j_put(w, ": ", 2);
    else
        j_put(w, ":", 1);
}

static void j_open(jw *w, const char *brace)
{
    j_raw(w, brace);
    w->first = 1;
    w->depth++;
}

static void j_close(jw *w, const char *brace)
{
    w->depth--;
    if (w->pretty && !w->first)
        j_newline(w, w->depth);
    j_raw(w, brace);
    w->first = 0;
}

static void j_kstr(jw *w, const char *k, const char *v)
{
    j_key(w, k);
    j_str(w, v);
}

static void j_knum(jw *w, const char *k, double v)
{
    j_key(w, k);
    j_num(w, v);
}

static void j_kbool(jw *w, const char *k, int v)
{
    j_key(w, k);
    j_raw(w, v ? "true" : "false");
}

/* A measure: a number, null, or {"min": lo, "max": hi} for an interval. */
static void measure_out(jw *w, const sarx__vals *v, int m)
{
    if (isnan(v->lo[m]) || v->lo[m] == v->hi[m]) {
        j_num(w, v->lo[m]);
        return;
    }
    j_open(w, "{");
    j_knum(w, "min", v->lo[m]);
    j_knum(w, "max", v->hi[m]);
    j_close(w, "}");
}

static const int derived_out[] = {SARX__M_BMI,        SARX__M_ASMI,   SARX__M_ALM_BMI,    SARX__M_SMI,
                                  SARX__M_FFMI,       SARX__M_WL6,    SARX__M_WL12,       SARX__M_SF_TOTAL,
                                  SARX__M_CALF_TOTAL, SARX__M_MAMC,   SARX__M_FAT_PCT,    SARX__M_ASM_WEIGHT,
                                  SARX__M_SMM_WEIGHT, SARX__M_WEIGHT_EST};

static void result_out(jw *w, const sarx_result *r, const sarx__vals *vals)
{
    const sarx_definition *def = sarx_result_definition(r);
    const sarx__def *d = def->d;
    size_t i, k;
    j_open(w, "{");
    j_kstr(w, "definition", d->id);
    j_kstr(w, "version", d->version);
    j_kstr(w, "category", sarx_result_category(r));
    j_kbool(w, "complete", sarx_result_complete(r));
    j_key(w, "missing");
    j_open(w, "[");
    for (i = 0; i < sarx_result_missing_count(r); i++) {
        j_item(w);
        j_str(w, sarx_result_missing(r, i));
    }
    j_close(w, "]");
    if (sarx_result_note(r)[0])
        j_kstr(w, "note", sarx_result_note(r));
    j_key(w, "criteria");
    j_open(w, "[");
    for (k = 0; k < d->ncrit; k++) {
        j_item(w);
        j_open(w, "{");
        j_kstr(w, "id", d->crits[k].id);
        j_kstr(w, "status", sarx__tri_name[sarx_result_criterion_status(r, k)]);
        if ((sarx__result_eval(r)->provisional >> k) & 1u)
            j_kbool(w, "provisional", 1);
        j_key(w, "evidence");
        j_open(w, "[");
        for (i = 0; i < d->nrow; i++) {
            const sarx__row *row = &d->rows[i];
            double val;
            int st = sarx_result_row_status(r, i, &val);
            if (def->row_crit[i] != (int)k || st == SARX_ROW_NOT_APPLICABLE)
                continue;
            j_item(w);
            j_open(w, "{");
            j_kstr(w, "row", row->id);
            j_kstr(w, "input", sarx__measure_name(row->measure));
            j_key(w, "value");
            if (row->op == SARX__IS && !isnan(val))
                j_raw(w, val != 0 ? "true" : "false");
            else
                measure_out(w, vals, row->measure);
            j_kstr(w, "op", sarx__op_name[row->op]);
            if (row->op == SARX__IS)
                j_kbool(w, "threshold", row->threshold != 0);
            else
                j_knum(w, "threshold", row->threshold);
            if (row->unit[0])
                j_kstr(w, "unit", row->unit);
            if (row->sex != SARX__ANY)
                j_kstr(w, "sex", row->sex == SARX__MALE ? "male" : "female");
            j_kstr(w, "status", sarx__row_status_name[st]);
            {   /* why the value is not taken at face value: pregnancy, an amputation, fluid, DXA on BIA */
                const char *note = sarx__row_note(d, row, vals, st);
                if (note)
                    j_kstr(w, "note", note);
            }
            j_kstr(w, "citation", row->cite);
            j_close(w, "}");
        }
        j_close(w, "]");
        j_close(w, "}");
    }
    j_close(w, "]");
    j_kstr(w, "citation", d->citation);
    j_close(w, "}");
}

/* A plan number (or null), and a [low, high] pair of them. */
static void plan_num(jw *w, const sarx_assessment *a, const char *key, const char *name)
{
    j_knum(w, key, sarx_assessment_plan(a, name));
}

static void plan_pair(jw *w, const sarx_assessment *a, const char *key, const char *lo, const char *hi)
{
    j_key(w, key);
    j_open(w, "[");
    j_item(w);
    j_num(w, sarx_assessment_plan(a, lo));
    j_item(w);
    j_num(w, sarx_assessment_plan(a, hi));
    j_close(w, "]");
}

/* One kind of guide item as a JSON array. */
static void guide_list(jw *w, const sarx_assessment *a, const char *key, int kind)
{
    size_t i;
    j_key(w, key);
    j_open(w, "[");
    for (i = 0; i < sarx_assessment_guide_count(a); i++) {
        sarx_guide_item it;
        sarx_assessment_guide(a, i, &it);
        if (it.kind != kind)
            continue;
        j_item(w);
        j_open(w, "{");
        j_kstr(w, "id", it.id);
        if (it.kind == SARX_GUIDE_RED_FLAG)
            j_kstr(w, "status", it.possible ? "possible" : "met");
        j_kstr(w, it.kind == SARX_GUIDE_TEST ? "test" : "message", it.message);
        j_kstr(w, it.kind == SARX_GUIDE_TEST ? "why" : "evidence", it.evidence);
        if (it.possible) {
            const char *p = it.missing, *q;
            j_key(w, "missing");
            j_open(w, "[");
            while (*p) {
                char item[128];
                q = strchr(p, ',');
                if (!q)
                    q = p + strlen(p);
                snprintf(item, sizeof item, "%.*s", (int)(q - p), p);
                j_item(w);
                j_str(w, item);
                p = *q ? q + 1 : q;
            }
            j_close(w, "]");
        }
        if (it.evidence_level[0])
            j_kstr(w, "evidence_level", it.evidence_level);
        if (it.citation[0])
            j_kstr(w, "citation", it.citation);
        j_close(w, "}");
    }
    j_close(w, "]");
}

/* The guidance section: causes, red flags, tests, plan. */
static void guidance_out(jw *w, const sarx_assessment *a)
{
    j_open(w, "{");
    guide_list(w, a, "causes", SARX_GUIDE_CAUSE);
    guide_list(w, a, "red_flags", SARX_GUIDE_RED_FLAG);
    guide_list(w, a, "tests", SARX_GUIDE_TEST);
    j_key(w, "plan");
    j_open(w, "{");
    j_key(w, "protein_g_day");
    j_open(w, "{");
    plan_num(w, a, "low", "protein_g_day_low");
    plan_num(w, a, "high", "protein_g_day_high");
    plan_pair(w, a, "basis_g_kg", "protein_g_kg_low", "protein_g_kg_high");
    j_close(w, "}");
    j_key(w, "energy_kcal_day");
    j_open(w, "{");
    plan_num(w, a, "low", "energy_kcal_day_low");
    plan_num(w, a, "high", "energy_kcal_day_high");
    plan_num(w, a, "guide", "energy_kcal_day_guide");
    plan_pair(w, a, "basis_kcal_kg", "energy_kcal_kg_low", "energy_kcal_kg_high");
    plan_num(w, a, "guide_kcal_kg", "energy_kcal_kg_guide");
    j_close(w, "}");
    j_key(w, "exercise");
    j_open(w, "{");
    plan_pair(w, a, "sessions_per_week", "training_sessions_week_low", "training_sessions_week_high");
    plan_pair(w, a, "sets", "training_sets_low", "training_sets_high");
    plan_pair(w, a, "repetitions", "training_reps_low", "training_reps_high");
    plan_pair(w, a, "intensity_pct_1rm_start", "intensity_start_low_pct", "intensity_start_high_pct");
    plan_pair(w, a, "intensity_pct_1rm_mass", "intensity_mass_low_pct", "intensity_mass_high_pct");
    plan_num(w, a, "one_rm_kg", "one_rm_kg");
    plan_num(w, a, "one_rm_epley_kg", "one_rm_epley_kg");
    plan_num(w, a, "one_rm_brzycki_kg", "one_rm_brzycki_kg");
    plan_pair(w, a, "load_kg_start", "load_start_low_kg", "load_start_high_kg");
    plan_pair(w, a, "load_kg_mass", "load_mass_low_kg", "load_mass_high_kg");
    j_close(w, "}");
    guide_list(w, a, "advice", SARX_GUIDE_ADVICE);
    guide_list(w, a, "cautions", SARX_GUIDE_CAUTION);
    j_close(w, "}");
    j_kstr(w, "disclaimer", SARX__GUIDE_DISCLAIMER);
    j_close(w, "}");
}

char *sarx_assessment_json(const sarx_assessment *a, unsigned flags)
{
    const sarx__vals *vals;
    jw w;
    size_t i;
    char *out;
    if (!a)
        return NULL;
    memset(&w, 0, sizeof w);
    w.pretty = (flags & SARX_RENDER_PRETTY) != 0;
    sarx__putn(&w.b, "", 0); /* one allocation up front, grown by doubling */
    vals = sarx__assessment_vals(a);
    j_open(&w, "{");
    j_kstr(&w, "sarx_version", sarx_version());
    j_key(&w, "subject");
    j_open(&w, "{");
    j_kstr(&w, "id", sarx_assessment_id(a));
    j_key(&w, "derived");
    j_open(&w, "{");
    for (i = 0; i < SARX__N(derived_out); i++) {
        j_key(&w, sarx__measure_name(derived_out[i]));
        measure_out(&w, vals, derived_out[i]);
    }
    j_close(&w, "}");
    j_close(&w, "}");
    j_key(&w, "results");
    j_open(&w, "[");
    for (i = 0; i < sarx_assessment_result_count(a); i++) {
        j_item(&w);
        result_out(&w, sarx_assessment_result(a, i), vals);
    }
    j_close(&w, "]");
    j_key(&w, "warnings");
    j_open(&w, "[");
    for (i = 0; i < sarx_assessment_warning_count(a); i++) {
        j_item(&w);
        j_str(&w, sarx_assessment_warning(a, i));
    }
    j_close(&w, "]");
    if (!(flags & SARX_RENDER_NO_GUIDANCE) && sarx__assessment_has_guide(a)) {
        j_key(&w, "guidance");
        guidance_out(&w, a);
    }
    j_kstr(&w, "disclaimer", SARX__DISCLAIMER);
    j_close(&w, "}");
    out = sarx__buf_take(&w.b);
    return out;
}

char *sarx_error_json(const sarx_error *e)
{
    json_t *o, *in;
    int bad_ = 0, *bad = &bad_;
    if (!e)
        return NULL;
    o = json_object();
    in = json_object();
    put(in, "code", json_string(sarx_error_name(e->code)), bad);
    put(in, "message", json_string(e->message), bad);
    if (e->field[0])
        put(in, "field", json_string(e->field), bad);
    if (e->value[0])
        put(in, "value", json_string(e->value), bad);
    if (e->allowed[0])
        put(in, "allowed", json_string(e->allowed), bad);
    if (e->record)
        put(in, "record", json_integer(e->record), bad);
    if (e->line)
        put(in, "line", json_integer(e->line), bad);
    if (e->column)
        put(in, "column", json_integer(e->column), bad);
    put(o, "error", in, bad);
    return finish(o, JSON_COMPACT | JSON_PRESERVE_ORDER, bad_);
}

/* The catalogue as JSON. */
char *sarx__catalogue_json(const sarx_ctx *ctx)
{
    json_t *root = json_object(), *defs = json_array();
    size_t i, k;
    int bad_ = 0, *bad = &bad_;
    put(root, "sarx_version", json_string(sarx_version()), bad);
    for (i = 0; i < ctx->ndefs; i++) {
        const sarx__def *d = ctx->defs[i].d;
        json_t *o = json_object(), *cats = json_array(), *rows = json_array(), *crits = json_array(),
               *macros = json_array();
        put(o, "id", json_string(d->id), bad);
        put(o, "title", json_string(d->title), bad);
        put(o, "version", json_string(d->version), bad);
        put(o, "kind", json_string(d->kind), bad);
        put(o, "citation", json_string(d->citation), bad);
        put(o, "notes", json_string(d->notes ? d->notes : ""), bad);
        for (k = 0; k < d->ncat; k++)
            add(cats, json_pack("{s:s,s:s}", "category", d->cats[k].name, "rule", d->cats[k].rule), bad);
        for (k = 0; k < d->nmacro; k++)
            add(macros, json_pack("{s:s,s:s}", "name", d->macros[k].name, "rule", d->macros[k].rule), bad);
        for (k = 0; k < d->ncrit; k++)
            add(crits, json_pack("{s:s,s:s}", "id", d->crits[k].id, "text", d->crits[k].text), bad);
        for (k = 0; k < d->nrow; k++) {
            sarx_row_info ri;
            sarx_definition_row(&ctx->defs[i], k, &ri);
            add(rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:s}", "id", ri.id, "criterion",
                                                  ri.criterion, "measure", ri.measure, "sex", ri.sex, "op", ri.op,
                                                  "threshold", ri.threshold, "unit", ri.unit, "when", ri.when,
                                                  "citation", ri.citation), bad);
        }
        put(o, "categories", cats, bad);
        put(o, "macros", macros, bad);
        put(o, "criteria", crits, bad);
        put(o, "rows", rows, bad);
        add(defs, o, bad);
    }
    put(root, "definitions", defs, bad);
    return finish(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15), bad_);
}
