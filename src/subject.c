/*
** subject.c — one person at one assessment: typed values, units, ranges.
*/
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void list_free(sarx__list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        free(l->item[i]);
    free(l->item);
    memset(l, 0, sizeof *l);
}

void sarx_subject_clear(sarx_subject *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < SARX__F_COUNT; i++) {
        s->v[i] = NAN;
        s->via[i] = -2;
    }
    s->id = NULL; /* its buffer is kept for the next subject */
    list_free(&s->conditions);
    list_free(&s->medications);
    s->nhist = 0;
}

int sarx_subject_new(sarx_subject **out)
{
    sarx_subject *s;
    if (!out)
        return SARX_EINVAL;
    *out = NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return SARX_ENOMEM;
    sarx_subject_clear(s);
    *out = s;
    return SARX_OK;
}

void sarx_subject_free(sarx_subject *s)
{
    if (!s)
        return;
    sarx_subject_clear(s);
    free(s->idbuf);
    free(s->hist);
    free(s);
}

const char *sarx_subject_id(const sarx_subject *s) { return s && s->id ? s->id : ""; }

static const char *given_name(int field, int alias)
{
    return alias < 0 ? sarx__field_info[field].name : sarx__aliases[alias].name;
}

static const sarx_field_info *given_info(int field, int alias)
{
    return &sarx__field_info[alias < 0 ? (size_t)field : SARX__F_COUNT + (size_t)alias];
}

static void range_text(char *buf, size_t n, const sarx_field_info *fi)
{
    char lo[32], hi[32];
    sarx__fmt(lo, sizeof lo, 'g', 4, fi->min);
    sarx__fmt(hi, sizeof hi, 'g', 4, fi->max);
    snprintf(buf, n, "%s-%s%s%s", lo, hi, fi->unit[0] ? " " : "", fi->unit);
}

/* Claim a canonical slot for a name; two names for one measurement conflict. */
static int claim(sarx_subject *s, int field, int alias, sarx_error *err)
{
    if (s->via[field] != -2) {
        const char *prev = given_name(field, s->via[field]);
        const char *now = given_name(field, alias);
        if (strcmp(prev, now) == 0)
            return sarx__err(err, SARX_ECONFLICT, now, "", "", "field \"%s\" is given twice", now);
        return sarx__err(err, SARX_ECONFLICT, now, "", prev,
                         "field \"%s\" conflicts with \"%s\": give the measurement once, in one unit",
                         now, prev);
    }
    s->via[field] = (signed char)alias;
    return SARX_OK;
}

/* The error for a value that failed a check: formatted only then. */
static int value_error(sarx_error *err, int code, const sarx_field_info *fi, double value, const char *why)
{
    char vbuf[40], rbuf[96];
    sarx__fmt_num(vbuf, sizeof vbuf, value);
    range_text(rbuf, sizeof rbuf, fi);
    return sarx__err(err, code, fi->name, vbuf, rbuf, "field \"%s\": value %s %s (allowed %s)", fi->name, vbuf, why,
                     rbuf);
}

int sarx__subject_set_field(sarx_subject *s, int field, int alias, double value, sarx_error *err)
{
    const sarx_field_info *fi = given_info(field, alias);
    int rc;
    if (fi->kind == SARX_KIND_NUMBER || fi->kind == SARX_KIND_INTEGER) {
        if (!isfinite(value))
            return value_error(err, SARX_ERANGE, fi, value, "is not a finite number");
        if (fi->kind == SARX_KIND_INTEGER && value != floor(value))
            return value_error(err, SARX_ETYPE, fi, value, "is not a whole number");
        /* Range checked in the given unit, so the message matches what was typed. */
        if (value < fi->min || value > fi->max)
            return value_error(err, SARX_ERANGE, fi, value, "is out of range");
        if ((rc = claim(s, field, alias, err)) != SARX_OK)
            return rc;
        s->v[field] = alias < 0 ? value : value * sarx__aliases[alias].scale;
        return SARX_OK;
    }
    if (fi->kind == SARX_KIND_BOOL || fi->kind == SARX_KIND_ENUM || fi->kind == SARX_KIND_DATE) {
        if ((rc = claim(s, field, alias, err)) != SARX_OK)
            return rc;
        s->v[field] = value;
        return SARX_OK;
    }
    return value_error(err, SARX_ETYPE, fi, value, "is a number, but the field does not take one");
}

/* (Here, not in json.c with the other host setters: beside
** sarx__subject_set_field, which the compiler then inlines into it.) */
int sarx_subject_set_json_double(sarx_subject *s, long i, double value, sarx_error *err)
{
    int alias, f, kind;
    if (!s || !sarx__field_split(i, &f, &alias))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    kind = sarx__field_info[i].kind;
    if (kind != SARX_KIND_NUMBER && kind != SARX_KIND_INTEGER)
        return sarx__err(err, SARX_EINVAL, sarx__field_info[i].name, "", "",
                         "invalid argument: field \"%s\" does not take a number", sarx__field_info[i].name);
    return sarx__subject_set_field(s, f, alias, value, err);
}

static int find_field(const char *name, int *alias, sarx_error *err)
{
    int f = sarx__field_lookup(name, strlen(name), alias);
    if (f < 0) {
        const char *hint = sarx__field_suggest(name);
        if (hint)
            return -1 - sarx__err(err, SARX_EFIELD, name, "", "", "unknown field \"%s\" (did you mean \"%s\"?)",
                                  name, hint);
        return -1 - sarx__err(err, SARX_EFIELD, name, "", "", "unknown field \"%s\"", name);
    }
    return f;
}

int sarx_subject_set_number(sarx_subject *s, const char *field, double value, sarx_error *err)
{
    int alias, f, k;
    if (!s || !field)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((f = find_field(field, &alias, err)) < 0)
        return -1 - f;
    k = given_info(f, alias)->kind;
    if (k != SARX_KIND_NUMBER && k != SARX_KIND_INTEGER) {
        char vbuf[40];
        sarx__fmt_num(vbuf, sizeof vbuf, value);
        return sarx__err(err, SARX_ETYPE, field, vbuf, "", "field \"%s\": expected %s, got a number", field,
                         k == SARX_KIND_BOOL ? "true or false" : "text");
    }
    return sarx__subject_set_field(s, f, alias, value, err);
}

int sarx_subject_set_bool(sarx_subject *s, const char *field, int value, sarx_error *err)
{
    int alias, f;
    if (!s || !field)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((f = find_field(field, &alias, err)) < 0)
        return -1 - f;
    if (sarx__field_info[f].kind != SARX_KIND_BOOL)
        return sarx__err(err, SARX_ETYPE, field, value ? "true" : "false", "",
                         "field \"%s\": expected %s, got true/false", field,
                         sarx__field_info[f].kind == SARX_KIND_NUMBER ? "a number" : "another type");
    return sarx__subject_set_field(s, f, alias, value ? 1.0 : 0.0, err);
}

static int list_add(sarx__list *l, const char *item, size_t len)
{
    char *copy;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        char **p = realloc(l->item, cap * sizeof *p);
        if (!p)
            return SARX_ENOMEM;
        l->item = p;
        l->cap = cap;
    }
    copy = malloc(len + 1);
    if (!copy)
        return SARX_ENOMEM;
    memcpy(copy, item, len);
    copy[len] = '\0';
    l->item[l->n++] = copy;
    return SARX_OK;
}

static void trim(const char **p, size_t *len)
{
    while (*len && sarx__space((unsigned char)**p)) {
        (*p)++;
        (*len)--;
    }
    while (*len && sarx__space((unsigned char)(*p)[*len - 1]))
        (*len)--;
}

/* How a coded condition is written, for messages (ALLOWED fits sarx_error.allowed). */
#define CODED_ALLOWED "icd10:<ICD-10 code>, e.g. icd10:N18.4"
#define CODED_FORM                                                                                        \
    "icd10:<ICD-10 code>, e.g. icd10:N18.4 (a letter, two digits or a digit and a letter, then optionally " \
    "a dot and 1-4 letters or digits)"

/* One item into a list.  A condition written "icd10:<code>" (the prefix in
** any case, blanks after the colon allowed) is a coded entry: the code must
** be an ICD-10 code (sarx__icd10_valid) and is stored upper-cased, as
** "icd10:N18.4", the form the vocabulary reads (conditions.c).  Anything
** else is free text, kept as given. */
static int add_list_item(sarx_subject *s, int f, const char *item, size_t len, sarx_error *err)
{
    static const char prefix[] = "icd10:";
    const size_t np = sizeof prefix - 1;
    sarx__list *l = f == SARX__F_CONDITIONS ? &s->conditions : &s->medications;
    char coded[6 + 8 + 1]; /* "icd10:" and a code of up to 8 characters */
    size_t k;
    if (f == SARX__F_CONDITIONS && len >= np) {
        for (k = 0; k < np && sarx__lower((unsigned char)item[k]) == prefix[k]; k++)
            ;
        if (k == np) {
            char shown[96];
            const char *code = item + np;
            size_t cl = len - np;
            trim(&code, &cl);
            if (cl >= 3 && cl <= 8) {
                memcpy(coded, prefix, np);
                for (k = 0; k < cl; k++)
                    coded[np + k] = (char)(code[k] >= 'a' && code[k] <= 'z' ? code[k] - ('a' - 'A') : code[k]);
                coded[np + cl] = '\0';
            }
            if (cl < 3 || cl > 8 || !sarx__icd10_valid(coded + np, cl)) {
                sarx__show(shown, sizeof shown, item, len);
                return sarx__err(err, SARX_EVALUE, "conditions", shown, CODED_ALLOWED,
                                 "field \"conditions\": \"%s\" is not an ICD-10 code (allowed " CODED_FORM ")",
                                 shown);
            }
            item = coded;
            len = np + cl;
        }
    }
    if (list_add(l, item, len) != SARX_OK)
        return sarx__err(err, SARX_ENOMEM, sarx__field_info[f].name, "", "", "out of memory");
    return SARX_OK;
}

int sarx_subject_add_item(sarx_subject *s, const char *field, const char *item, sarx_error *err)
{
    int alias, f;
    size_t len;
    if (!s || !field || !item)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((f = find_field(field, &alias, err)) < 0)
        return -1 - f;
    if (sarx__field_info[f].kind != SARX_KIND_LIST)
        return sarx__err(err, SARX_ETYPE, field, item, "", "field \"%s\" is not a list", field);
    len = strlen(item);
    trim(&item, &len);
    if (len == 0)
        return sarx__err(err, SARX_EVALUE, field, "", "non-empty text", "field \"%s\": empty list item", field);
    return add_list_item(s, f, item, len, err);
}

int sarx_subject_add_weight(sarx_subject *s, const char *date, double kg, sarx_error *err)
{
    int day, rc;
    size_t i;
    char vbuf[40];
    if (!s || !date)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    rc = sarx__parse_date(date, strlen(date), &day);
    if (rc != SARX_OK)
        return sarx__err(err, rc, "weight_history.date", date, "YYYY-MM-DD, years 1900-2200",
                         "field \"weight_history\": date \"%s\" is not a valid YYYY-MM-DD date", date);
    sarx__fmt_num(vbuf, sizeof vbuf, kg);
    if (!(kg >= 20 && kg <= 350))
        return sarx__err(err, SARX_ERANGE, "weight_history.weight_kg", vbuf, "20-350 kg",
                         "field \"weight_history\": weight %s on %s is out of range (allowed 20-350 kg)", vbuf,
                         date);
    for (i = 0; i < s->nhist; i++)
        if (s->hist[i].day == day)
            return sarx__err(err, SARX_ECONFLICT, "weight_history.date", date, "one weight per date",
                             "field \"weight_history\": two weights on %s", date);
    if (s->nhist >= SARX__MAX_HISTORY)
        return sarx__err(err, SARX_ERANGE, "weight_history", date, "at most " SARX__STR(SARX__MAX_HISTORY) " entries",
                         "field \"weight_history\": more than " SARX__STR(SARX__MAX_HISTORY) " entries");
    if (s->nhist == s->caphist) {
        size_t cap = s->caphist ? s->caphist * 2 : 8;
        sarx__weight *p = realloc(s->hist, cap * sizeof *p);
        if (!p)
            return sarx__err(err, SARX_ENOMEM, "weight_history", "", "", "out of memory");
        s->hist = p;
        s->caphist = cap;
    }
    s->hist[s->nhist].day = day;
    s->hist[s->nhist].kg = kg;
    s->nhist++;
    return SARX_OK;
}

/* Match an enum word, case-insensitive; sex also takes m / f. */
/* Does t (any case) spell w (lower case, length len)? */
static int spells(const char *t, const char *w, size_t len)
{
    size_t k;
    for (k = 0; k < len && sarx__lower((unsigned char)t[k]) == w[k]; k++)
        ;
    return k == len;
}

static int enum_code(const sarx_field_info *fi, const char *t, size_t len)
{
    const char *v = fi->values;
    int code = 1;
    if (len == 1 && strcmp(fi->name, "sex") == 0) {
        if (t[0] == 'm' || t[0] == 'M')
            return SARX__MALE;
        if (t[0] == 'f' || t[0] == 'F')
            return SARX__FEMALE;
    }
    while (*v) {
        size_t wl = 0;
        while (v[wl] && v[wl] != '|') /* the word's length (no strcspn call: cells are short) */
            wl++;
        if (wl == len && spells(t, v, len))
            return code;
        v += wl;
        if (*v == '|')
            v++;
        code++;
    }
    return 0;
}

/* true/yes/1 -> 1, false/no/0 -> 0, in any case; -1 otherwise. */
static int bool_word(const char *t, size_t len)
{
    switch (len) {
    case 1: return t[0] == '1' ? 1 : t[0] == '0' ? 0 : -1;
    case 2: return spells(t, "no", 2) ? 0 : -1;
    case 3: return spells(t, "yes", 3) ? 1 : -1;
    case 4: return spells(t, "true", 4) ? 1 : -1;
    case 5: return spells(t, "false", 5) ? 0 : -1;
    default: return -1;
    }
}

int sarx__text_code(const sarx_field_info *fi, const char *t, size_t len, double *v)
{
    int code;
    if (fi->kind == SARX_KIND_BOOL)
        code = bool_word(t, len);
    else if (fi->kind == SARX_KIND_ENUM)
        code = enum_code(fi, t, len); /* 1, 2, ... (0 = not allowed) */
    else
        return 0;
    if (code < 0 || (fi->kind == SARX_KIND_ENUM && code == 0))
        return 0;
    *v = (double)code;
    return 1;
}

/* The cell's text for an error message, made only when there is an error:
** a NUL or another control byte escaped (it would end or split the
** message), "..." at the end when cut (sarx__show). */
static const char *cell_text(char *buf, size_t n, const char *text, size_t len)
{
    sarx__show(buf, n, text, len);
    return buf;
}
#define CELL (cell_text(vbuf, sizeof vbuf, text, len))

/* A list cell's items, ';'-separated: "\;" is a ';' in an item, "\\" a
** backslash and "\[" a '[' (a cell that starts with '[' is the JSON form);
** a backslash before anything else is itself.  Items are trimmed and empty
** ones skipped.  (sarx_csv_list_append writes this form.) */
static int list_from_text(sarx_subject *s, int f, const char *name, const char *text, size_t len,
                          sarx_error *err)
{
    char small[256], *item = len < sizeof small ? small : malloc(len + 1);
    size_t i = 0;
    int rc = SARX_OK;
    if (!item)
        return sarx__err(err, SARX_ENOMEM, name, "", "", "out of memory");
    while (i <= len && rc == SARX_OK) {
        size_t k = 0;
        const char *p = item;
        for (; i < len && text[i] != ';'; i++) {
            if (text[i] == '\\' && i + 1 < len && (text[i + 1] == ';' || text[i + 1] == '\\' || text[i + 1] == '['))
                i++;
            item[k++] = text[i];
        }
        i++; /* past the ';' (or the end) */
        trim(&p, &k);
        if (k)
            rc = add_list_item(s, f, p, k, err);
    }
    if (item != small)
        free(item);
    return rc;
}

static int set_text_value(sarx_subject *s, int f, int alias, const char *text, size_t len, unsigned flags,
                          sarx_error *err)
{
    const sarx_field_info *fi = given_info(f, alias);
    char vbuf[64];
    double v;
    int rc, day;

    trim(&text, &len);
    if ((fi->kind == SARX_KIND_STRING || fi->kind == SARX_KIND_LIST) && !sarx__utf8_valid(text, len))
        return sarx__err(err, SARX_ESYNTAX, fi->name, "", "UTF-8 text",
                         "field \"%s\": the text is not valid UTF-8 (convert the file to UTF-8)", fi->name);
    switch (fi->kind) {
    case SARX_KIND_NUMBER:
    case SARX_KIND_INTEGER: {
        char rbuf[96];
        rc = sarx__parse_number(text, len, (flags & SARX_TEXT_DECIMAL_COMMA) != 0, &v);
        if (rc != SARX_OK) {
            range_text(rbuf, sizeof rbuf, fi);
            return sarx__err(err, SARX_ESYNTAX, fi->name, CELL, rbuf,
                             "field \"%s\": \"%s\" is not a number (allowed %s)", fi->name, CELL, rbuf);
        }
        return sarx__subject_set_field(s, f, alias, v, err);
    }
    case SARX_KIND_BOOL:
        if (!sarx__text_code(fi, text, len, &v))
            return sarx__err(err, SARX_EVALUE, fi->name, CELL, "true|false|yes|no|1|0",
                             "field \"%s\": \"%s\" is not a boolean (allowed true, false, yes, no, 1, 0)",
                             fi->name, CELL);
        return sarx__subject_set_field(s, f, alias, v, err);
    case SARX_KIND_ENUM:
        if (!sarx__text_code(fi, text, len, &v))
            return sarx__err(err, SARX_EVALUE, fi->name, CELL, fi->values,
                             "field \"%s\": \"%s\" is not allowed (allowed %s)", fi->name, CELL, fi->values);
        return sarx__subject_set_field(s, f, alias, v, err);
    case SARX_KIND_DATE:
        rc = sarx__parse_date(text, len, &day);
        if (rc != SARX_OK)
            return sarx__err(err, rc, fi->name, CELL, "YYYY-MM-DD, years 1900-2200",
                             "field \"%s\": \"%s\" is not a valid date (allowed YYYY-MM-DD, years 1900-2200)",
                             fi->name, CELL);
        return sarx__subject_set_field(s, f, alias, (double)day, err);
    case SARX_KIND_STRING:
        if (s->id)
            return sarx__err(err, SARX_ECONFLICT, fi->name, CELL, "", "field \"%s\" is given twice", fi->name);
        if (len + 1 > s->idcap) {
            size_t cap = len + 1 < 64 ? 64 : len + 1;
            char *b = malloc(cap);
            if (!b)
                return sarx__err(err, SARX_ENOMEM, fi->name, "", "", "out of memory");
            free(s->idbuf);
            s->idbuf = b;
            s->idcap = cap;
        }
        memcpy(s->idbuf, text, len);
        s->idbuf[len] = '\0';
        s->id = s->idbuf;
        return SARX_OK;
    case SARX_KIND_LIST:
        if (text[0] == '[')
            return sarx__list_from_json(s, f, text, len, err);
        return list_from_text(s, f, fi->name, text, len, err);
    default:
        return sarx__err(err, SARX_ETYPE, fi->name, CELL, "",
                         "field \"%s\" cannot be given as text (use JSON)", fi->name);
    }
}
#undef CELL

/* A CSV cell's value: blanks around it dropped, and the single quote that
** sarx_csv_quote puts before a value a spreadsheet would run as a formula
** ("'=x" is "=x"; sarx_csv_guarded).  Then empty when missing. */
static void cell_value(const char **text, size_t *len)
{
    trim(text, len);
    if (*len && **text == '\'' && sarx_csv_guarded(*text, *len)) {
        (*text)++;
        (*len)--;
        trim(text, len);
    }
}

int sarx__subject_set_text_at(sarx_subject *s, int field, int alias, const char *text, size_t len, unsigned flags,
                              sarx_error *err)
{
    cell_value(&text, &len);
    if (len == 0)
        return SARX_OK;
    return set_text_value(s, field, alias, text, len, flags, err);
}

int sarx_subject_set_text(sarx_subject *s, const char *field, const char *text, size_t len, unsigned flags,
                          sarx_error *err)
{
    int alias, f;
    if (!s || !field || (!text && len))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((f = find_field(field, &alias, err)) < 0)
        return -1 - f;
    cell_value(&text, &len);
    if (len == 0)
        return SARX_OK; /* an empty cell is missing */
    return set_text_value(s, f, alias, text, len, flags, err);
}

int sarx__subject_set_string(sarx_subject *s, int field, int alias, const char *text, size_t len,
                             sarx_error *err)
{
    return set_text_value(s, field, alias, text, len, 0, err);
}

double sarx_subject_get(const sarx_subject *s, const char *field)
{
    int alias, f;
    if (!s || !field)
        return NAN;
    f = sarx__field_lookup(field, strlen(field), &alias);
    if (f < 0)
        return NAN;
    if (alias >= 0)
        return s->v[f] / sarx__aliases[alias].scale;
    return s->v[f];
}

/* SARC-F: a total given beside some items must be reachable from them:
** sum(items given) <= total <= sum + 2 x (items missing).  item[] holds the
** five items in field order (SARX__SF_ITEMS), NaN when missing. */
int sarx__sarc_f_check(double total, const double *item, sarx_error *err)
{
    double sum = 0;
    int i, n = 0;
    for (i = 0; i < SARX__SF_ITEMS; i++)
        if (!isnan(item[i])) {
            sum += item[i];
            n++;
        }
    if (n > 0 && !isnan(total) && (sum > total || sum + 2.0 * (SARX__SF_ITEMS - n) < total)) {
        char a[16], b[48], lo[16], hi[16];
        sarx__fmt(a, sizeof a, 'g', 6, total);
        sarx__fmt(lo, sizeof lo, 'g', 6, sum);
        sarx__fmt(hi, sizeof hi, 'g', 6, sum + 2.0 * (SARX__SF_ITEMS - n));
        if (n == SARX__SF_ITEMS)
            snprintf(b, sizeof b, "%s", lo);
        else
            snprintf(b, sizeof b, "%s-%s", lo, hi);
        return sarx__err(err, SARX_ECONFLICT, "sarc_f", a, b,
                         "field \"sarc_f\": total %s cannot come from the %d item%s given (possible totals %s)", a,
                         n, n == 1 ? "" : "s", b);
    }
    return SARX_OK;
}

/* Body fat given as a percentage and in kg must describe one body: the two
** may differ by rounding (1 percentage point), not by more, since the
** sarcopenic-obesity rule would otherwise read whichever sarx prefers. */
int sarx__fat_check(double pct, double kg, double weight, sarx_error *err)
{
    double from_kg;
    if (isnan(pct) || isnan(kg) || isnan(weight))
        return SARX_OK;
    from_kg = 100.0 * kg / weight;
    if (sarx__cmp(fabs(pct - from_kg), 1.0) > 0) {
        char a[32], b[32], w[32], c[32];
        sarx__fmt_short(a, sizeof a, pct);
        sarx__fmt_short(b, sizeof b, kg);
        sarx__fmt_short(w, sizeof w, weight);
        sarx__fmt(c, sizeof c, 'f', 1, from_kg);
        return sarx__err(err, SARX_ECONFLICT, "fat_mass_pct", a, "within 1 percentage point of 100 fat_mass_kg / weight_kg",
                         "field \"fat_mass_pct\": %s %% disagrees with \"fat_mass_kg\" %s kg of weight_kg %s kg (%s %%): "
                         "give one of them, or values within 1 percentage point",
                         a, b, w, c);
    }
    return SARX_OK;
}

int sarx__subject_finish(const sarx_subject *s, sarx_error *err)
{
    int rc;
    double weight = s->v[SARX__F_WEIGHT];
    size_t k;
    if ((rc = sarx__sarc_f_check(s->v[SARX__F_SARC_F], &s->v[SARX__F_SF_STRENGTH], err)) != SARX_OK)
        return rc;
    /* the weight measure() reads: weight_kg, else the history's entry dated on the assessment date */
    if (isnan(weight) && !isnan(s->v[SARX__F_DATE]))
        for (k = 0; k < s->nhist; k++)
            if (s->hist[k].day == (int)s->v[SARX__F_DATE])
                weight = s->hist[k].kg;
    if ((rc = sarx__fat_check(s->v[SARX__F_FAT_PCT], s->v[SARX__F_FAT_KG], weight, err)) != SARX_OK)
        return rc;
    if (s->nhist > SARX__MAX_HISTORY)
        return sarx__err(err, SARX_ERANGE, "weight_history", "", "at most " SARX__STR(SARX__MAX_HISTORY) " entries",
                         "field \"weight_history\": more than " SARX__STR(SARX__MAX_HISTORY) " entries");
    return SARX_OK;
}

static int same_list(const sarx__list *a, const sarx__list *b)
{
    size_t i;
    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++)
        if (strcmp(a->item[i], b->item[i]) != 0)
            return 0;
    return 1;
}

/* Whether two subjects hold the same values, bit for bit (for the fuzz
** target that holds the fast JSON reading to jansson's). */
int sarx__subject_same(const sarx_subject *a, const sarx_subject *b)
{
    size_t k;
    if (memcmp(a->v, b->v, sizeof a->v) != 0 || memcmp(a->via, b->via, sizeof a->via) != 0)
        return 0;
    if ((a->id == NULL) != (b->id == NULL) || (a->id && strcmp(a->id, b->id) != 0))
        return 0;
    if (!same_list(&a->conditions, &b->conditions) || !same_list(&a->medications, &b->medications) ||
        a->nhist != b->nhist)
        return 0;
    for (k = 0; k < a->nhist; k++)
        if (a->hist[k].day != b->hist[k].day || memcmp(&a->hist[k].kg, &b->hist[k].kg, sizeof(double)) != 0)
            return 0;
    return 1;
}
