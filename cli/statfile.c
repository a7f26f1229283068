/*
** statfile.c — Stata (.dta), SPSS (.sav, .zsav, .por) and SAS (.sas7bdat,
** .xpt) files as CSV text, through ReadStat, for `sarx cohort`.
**
** A thread parses the file and writes CSV into a pipe that the cohort
** reader reads like any CSV file: the same classification path, the same
** row accounting (row N of the file is row N of the CSV, whatever it
** holds).  Memory stays at one buffer of rows whatever the file size.
**
** What a cell becomes (docs/FILES.md, "Stata, SPSS and SAS files"):
**   - any missing value (Stata . and .a-.z, SPSS system and user-defined
**     missing, SAS . and .A-.Z, an empty string): an empty cell, never a
**     number and never the label a missing code may carry;
**   - a value with a value label: the label's text (sex 1 "Male" -> Male),
**     unless the variable's name is a sarx field that takes a number (ecog
**     0 "Fully active" -> 0) or true/false (a code 0 or 1 stays: label_rule);
**   - a number whose display format is a date or a date-time: YYYY-MM-DD;
**   - any other number: the shortest decimal that reads back as the same
**     value (of the float for a 4-byte float variable: 0.1, as Stata shows
**     it, not 0.100000001490116);
**   - text: as it is, in UTF-8 (ReadStat converts; Stata files before
**     version 14 are read as Windows-1252, ReadStat's default); a byte
**     that is not part of a valid UTF-8 sequence (a Stata 14+ str# cut in
**     the middle of a character, bytes of another encoding) becomes U+FFFD.
** Only whole rows are written: a file that ends in the middle of a row, or
** that ReadStat stops reading, gives the rows before it and an error from
** statfile_close that says how many.
*/
#define _GNU_SOURCE /* pipe2, F_SETPIPE_SZ, uselocale */
#include "statfile.h"
#include "statfile_text.h"
#include "numtext.h"

#include <sarx.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <readstat.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rows are handed to the pipe FLUSH bytes or more at a time. */
#define FLUSH ((size_t)64 << 10)

/* ---- the kind of file ---- */

int statfile_kind(const char *path)
{
    static const struct {
        const char *ext;
        int kind;
    } exts[] = {
        {".dta", STATFILE_DTA},       {".sav", STATFILE_SAV},     {".zsav", STATFILE_SAV},
        {".por", STATFILE_POR},       {".sas7bdat", STATFILE_SAS7BDAT}, {".xpt", STATFILE_XPORT},
        {".xlsx", STATFILE_EXCEL},    {".xls", STATFILE_EXCEL},   {".xlsm", STATFILE_EXCEL},
        {".ods", STATFILE_EXCEL},
    };
    const char *dot = path ? strrchr(path, '.') : NULL;
    size_t i;
    if (!dot || strchr(dot, '/'))
        return STATFILE_NONE;
    for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i].ext) == 0)
            return exts[i].kind;
    return STATFILE_NONE;
}

const char *statfile_excel_message(const char *path)
{
    (void)path;
    return "sarx does not read spreadsheet workbooks (.xlsx, .xls, .xlsm, .ods): save the sheet as CSV "
           "(Excel: File > Save As > \"CSV UTF-8\"; LibreOffice: File > Save As > \"Text CSV\", or "
           "soffice --headless --convert-to csv FILE.xlsx) and give sarx the .csv file";
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case STATFILE_DTA: return "Stata (.dta)";
    case STATFILE_SAV: return "SPSS (.sav/.zsav)";
    case STATFILE_POR: return "SPSS portable (.por)";
    case STATFILE_SAS7BDAT: return "SAS (.sas7bdat)";
    default: return "SAS transport (.xpt)";
    }
}

/* ---- value labels ---- */

typedef struct label {
    double key;
    char *skey; /* a string variable's value; NULL for numbers */
    char *text;
} label;

typedef struct labelset {
    char *name;
    label *v;
    size_t n, cap;
    int sorted;
} labelset;

static int cmp_label(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->skey || y->skey) /* strings after numbers, in byte order */
        return !x->skey ? -1 : !y->skey ? 1 : strcmp(x->skey, y->skey);
    return x->key < y->key ? -1 : x->key > y->key;
}

static const char *lookup(labelset *ls, double key, const char *skey)
{
    label k;
    size_t lo = 0, hi;
    k.key = key;
    k.skey = (char *)skey;
    k.text = NULL;
    hi = ls->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_label(&ls->v[mid], &k);
        if (c == 0)
            return ls->v[mid].text;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* What a labelled variable's values become, by the field its name is
** (the name compared as `sarx cohort` compares a header: without the
** blanks around it, in any case).  A field that takes a number reads the
** codes (ecog 0 "Fully active": 0, not a label sarx would reject); a
** true/false field reads 0 and 1 itself, so those codes stay and other
** codes give their label (1 "yes", 2 "no": 1, no; but labels that say
** the opposite of 0 and 1 win: bool_codes_agree); any other field (sex,
** population: words) and any other name get the label.  A name that only
** --rename makes a field is not known here: its labels come out, for a
** value map (docs/FILES.md). */
enum { L_LABEL, L_CODE, L_BOOL };

static int label_rule(const char *name)
{
    char low[64];
    size_t len = strlen(name), i;
    const sarx_field_info *fi;
    while (len && strchr(" \t\n\r\f\v", *name))
        name++, len--;
    while (len && strchr(" \t\n\r\f\v", name[len - 1]))
        len--;
    if (len == 0 || len >= sizeof low) /* (no field has a longer name) */
        return L_LABEL;
    for (i = 0; i < len; i++)
        low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
    low[len] = '\0';
    if (!(fi = sarx_field_find(low)))
        return L_LABEL;
    switch (fi->kind) {
    case SARX_KIND_NUMBER:
    case SARX_KIND_INTEGER: return L_CODE;
    case SARX_KIND_BOOL: return L_BOOL;
    default: return L_LABEL;
    }
}

/* A label's true/false reading as sarx reads one (yes/true 1, no/false 0,
** any case, without blanks around it), or -1. */
static int bool_word(const char *t)
{
    static const char *const w[4] = {"no", "false", "yes", "true"};
    size_t len = strlen(t), i;
    while (len && strchr(" \t", *t))
        t++, len--;
    while (len && strchr(" \t", t[len - 1]))
        len--;
    for (i = 0; i < 4; i++)
        if (strlen(w[i]) == len && strncasecmp(t, w[i], len) == 0)
            return i >= 2;
    return -1;
}

/* A true/false variable keeps its codes 0 and 1 unless its labels say the
** opposite of them (0 "yes", 1 "no"): then every code gives its label,
** which sarx reads the right way round. */
static int bool_codes_agree(const labelset *ls)
{
    size_t k;
    for (k = 0; k < ls->n; k++) {
        int w;
        if (ls->v[k].skey ? (strcmp(ls->v[k].skey, "0") != 0 && strcmp(ls->v[k].skey, "1") != 0)
                          : (ls->v[k].key != 0 && ls->v[k].key != 1))
            continue;
        w = bool_word(ls->v[k].text);
        if (w >= 0 && w != (ls->v[k].skey ? ls->v[k].skey[0] == '1' : ls->v[k].key == 1))
            return 0;
    }
    return 1;
}

/* ---- the converter ---- */

typedef struct var {
    char *name;
    char *setname; /* its value labels' name, or NULL */
    labelset *set; /* NULL when it has none, or its codes stay (L_CODE) */
    int rule;      /* L_*: what its labelled values become */
    int string;    /* a text variable */
    int date;      /* D_*: how its numbers are dates */
    int ranges;    /* it has user-defined missing values (SPSS) */
} var;

enum { S_STARTING, S_STREAMING, S_DONE };

struct statfile {
    int kind;
    char *path;
    int wfd;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state; /* S_*, under mu */

    /* the thread's own from here on (read by the others after S_DONE or
    ** the join) */
    var *vars;
    int nvar, varcap;
    labelset *sets;
    size_t nsets, setcap;
    int frozen;      /* the header is written; no more variables */
    int had_header;  /* a .dta file's first pass read its variables */
    int next;        /* the variable expected next in this row */
    long rows;       /* whole rows in the buffer or written */
    long declared;   /* rows the file says it has, or -1 */
    long declared_open; /* the same, as statfile_open returned (freeze) */
    long long size;  /* the file's size in bytes, when opened */
    char *buf;       /* rows not yet written to the pipe */
    size_t n, cap, row_start;
    int reader_gone; /* the pipe's reader closed it */
    int oom;
    readstat_error_t err;
    char why[256];   /* what went wrong, when it was not ReadStat's parser */
    char rsmsg[256]; /* ReadStat's first message */
};

static int reserve(statfile *s, size_t more)
{
    if (s->n + more <= s->cap)
        return 1;
    if (!s->oom) {
        size_t cap = s->cap ? s->cap : FLUSH * 2;
        char *p;
        while (cap < s->n + more)
            cap *= 2;
        if ((p = realloc(s->buf, cap))) {
            s->buf = p;
            s->cap = cap;
            return 1;
        }
        s->oom = 1;
        snprintf(s->why, sizeof s->why, "out of memory");
    }
    return 0;
}

/* The length of the valid UTF-8 sequence at t (n > 0 bytes left), or 0:
** no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *t, size_t n)
{
    unsigned c = t[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (t[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (t[1] & 0xC0) != 0x80 || (t[2] & 0xC0) != 0x80 || (c == 0xE0 && t[1] < 0xA0) ||
            (c == 0xED && t[1] >= 0xA0))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (t[1] & 0xC0) != 0x80 || (t[2] & 0xC0) != 0x80 || (t[3] & 0xC0) != 0x80 ||
            (c == 0xF0 && t[1] < 0x90) || (c == 0xF4 && t[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* Text as one CSV cell: quoted when it holds a quote, a line end or any
** of the separators sarx cohort may take (',' ';' tab), so that the
** header's columns are the same whichever it finds.  The pipe promises
** UTF-8, and ReadStat passes a Stata 14+ file's bytes through unchecked
** (they are declared UTF-8): each byte that does not begin a valid
** sequence becomes U+FFFD, so the text is still read, and never as a
** guess of another encoding.  ASCII text (most cells) is not checked. */
static int put_text(statfile *s, const char *t)
{
    size_t len = strlen(t), i, q = 0, bad = 0;
    int quote = 0, high = 0;
    for (i = 0; i < len; i++) {
        char c = t[i];
        if (c == '"')
            q++;
        if (c == '"' || c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r')
            quote = 1;
        high |= (unsigned char)c >= 0x80;
    }
    if (high)
        for (i = 0; i < len;) {
            size_t k = utf8_len((const unsigned char *)t + i, len - i);
            i += k ? k : 1;
            bad += k == 0;
        }
    if (!reserve(s, len + q + 2 + 2 * bad))
        return 0;
    if (!quote && !bad) {
        memcpy(s->buf + s->n, t, len);
        s->n += len;
        return 1;
    }
    if (quote)
        s->buf[s->n++] = '"';
    for (i = 0; i < len;) {
        size_t k = bad ? utf8_len((const unsigned char *)t + i, len - i) : 1;
        if (k == 0) {
            memcpy(s->buf + s->n, "\xEF\xBF\xBD", 3);
            s->n += 3;
            i++;
            continue;
        }
        for (; k > 0; k--, i++) {
            if (t[i] == '"')
                s->buf[s->n++] = '"';
            s->buf[s->n++] = t[i];
        }
    }
    if (quote)
        s->buf[s->n++] = '"';
    return 1;
}

/* Write the whole rows in the buffer to the pipe. */
static int flush(statfile *s)
{
    size_t off = 0, len = s->row_start;
    while (off < len) {
        ssize_t k = write(s->wfd, s->buf + off, len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (errno == EPIPE)
                s->reader_gone = 1;
            else
                snprintf(s->why, sizeof s->why, "writing to the pipe: %s", strerror(errno));
            return 0;
        }
        off += (size_t)k;
    }
    memmove(s->buf, s->buf + len, s->n - len);
    s->n -= len;
    s->row_start = 0;
    return 1;
}

static int on_metadata(readstat_metadata_t *md, void *ctx)
{
    statfile *s = ctx;
    s->declared = readstat_get_row_count(md);
    return READSTAT_HANDLER_OK;
}

static int on_variable(int index, readstat_variable_t *v, const char *val_labels, void *ctx)
{
    statfile *s = ctx;
    var *x;
    const char *fmt = readstat_variable_get_format(v);
    if (s->frozen || index != s->nvar) {
        snprintf(s->why, sizeof s->why, "variable %d (%s) out of order", index + 1, readstat_variable_get_name(v));
        return READSTAT_HANDLER_ABORT;
    }
    if (s->nvar == s->varcap) {
        int cap = s->varcap ? 2 * s->varcap : 64;
        var *p = realloc(s->vars, (size_t)cap * sizeof *p);
        if (!p) {
            snprintf(s->why, sizeof s->why, "out of memory");
            return READSTAT_HANDLER_ABORT;
        }
        s->vars = p;
        s->varcap = cap;
    }
    x = &s->vars[s->nvar++];
    memset(x, 0, sizeof *x);
    x->name = strdup(readstat_variable_get_name(v) ? readstat_variable_get_name(v) : "");
    x->setname = val_labels && *val_labels ? strdup(val_labels) : NULL;
    if (!x->name || (val_labels && *val_labels && !x->setname)) {
        snprintf(s->why, sizeof s->why, "out of memory");
        return READSTAT_HANDLER_ABORT;
    }
    x->string = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_STRING;
    x->rule = x->setname ? label_rule(x->name) : L_LABEL;
    x->ranges = readstat_variable_get_missing_ranges_count(v) > 0;
    if (!x->string && fmt)
        x->date = s->kind == STATFILE_DTA                                    ? statfile_stata_date(fmt)
                  : s->kind == STATFILE_SAV || s->kind == STATFILE_POR ? statfile_spss_date(fmt)
                                                                         : statfile_sas_date(fmt);
    return READSTAT_HANDLER_OK;
}

static int on_value_label(const char *set, readstat_value_t value, const char *text, void *ctx)
{
    statfile *s = ctx;
    labelset *ls = NULL;
    label *l;
    size_t i;
    /* The variables point into s->sets once the header is written
    ** (freeze): a label after it would move them (realloc) under them, and
    ** could not apply to the rows already written anyway.  No reader of
    ** ReadStat gives one (labels precede the rows in .sav and .por; the
    ** .dta pass that reads rows has no label handler): a file that makes
    ** it do so is damaged, and stops here with the rows before. */
    if (s->frozen) {
        snprintf(s->why, sizeof s->why, "a value label (set %.40s) after the first row: the file is damaged", set ? set : "");
        return READSTAT_HANDLER_ABORT;
    }
    /* A label on a missing code (Stata .a "refused") is never shown: the
    ** cell is missing. */
    if (!set || !text || readstat_value_is_system_missing(value) || readstat_value_is_tagged_missing(value))
        return READSTAT_HANDLER_OK;
    for (i = s->nsets; i-- > 0;)
        if (strcmp(s->sets[i].name, set) == 0) {
            ls = &s->sets[i];
            break;
        }
    if (!ls) {
        if (s->nsets == s->setcap) {
            size_t cap = s->setcap ? 2 * s->setcap : 16;
            labelset *p = realloc(s->sets, cap * sizeof *p);
            if (!p)
                goto oom;
            s->sets = p;
            s->setcap = cap;
        }
        ls = &s->sets[s->nsets];
        memset(ls, 0, sizeof *ls);
        if (!(ls->name = strdup(set)))
            goto oom;
        s->nsets++;
    }
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? 2 * ls->cap : 8;
        label *p = realloc(ls->v, cap * sizeof *p);
        if (!p)
            goto oom;
        ls->v = p;
        ls->cap = cap;
    }
    l = &ls->v[ls->n];
    memset(l, 0, sizeof *l);
    if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
        const char *k = readstat_string_value(value);
        if (!(l->skey = strdup(k ? k : "")))
            goto oom;
    } else
        l->key = readstat_double_value(value);
    if (!(l->text = strdup(text))) {
        free(l->skey);
        goto oom;
    }
    ls->n++;
    ls->sorted = 0;
    return READSTAT_HANDLER_OK;
oom:
    snprintf(s->why, sizeof s->why, "out of memory");
    return READSTAT_HANDLER_ABORT;
}

static void on_error(const char *msg, void *ctx)
{
    statfile *s = ctx;
    if (!s->rsmsg[0] && msg) {
        size_t n;
        char *c;
        snprintf(s->rsmsg, sizeof s->rsmsg, "%s", msg);
        /* (it may quote the file's bytes: one line, no control bytes) */
        for (c = s->rsmsg; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = ' ';
        n = strlen(s->rsmsg);
        while (n > 0 && (s->rsmsg[n - 1] == '\n' || s->rsmsg[n - 1] == ' ' || s->rsmsg[n - 1] == '.'))
            s->rsmsg[--n] = '\0';
    }
}

/* The variables are all known: link them to their labels, write the
** header, and let statfile_open return. */
static int freeze(statfile *s)
{
    int i;
    size_t j;
    for (j = 0; j < s->nsets; j++)
        if (!s->sets[j].sorted) {
            qsort(s->sets[j].v, s->sets[j].n, sizeof(label), cmp_label);
            s->sets[j].sorted = 1;
        }
    for (i = 0; i < s->nvar; i++) {
        s->vars[i].set = NULL;
        if (s->vars[i].setname && s->vars[i].rule != L_CODE)
            for (j = 0; j < s->nsets; j++)
                if (strcmp(s->sets[j].name, s->vars[i].setname) == 0 && s->sets[j].n > 0)
                    s->vars[i].set = &s->sets[j];
        if (s->vars[i].set && s->vars[i].rule == L_BOOL && !bool_codes_agree(s->vars[i].set))
            s->vars[i].rule = L_LABEL;
    }
    for (i = 0; i < s->nvar; i++) {
        if (i > 0) {
            if (!reserve(s, 1))
                return 0;
            s->buf[s->n++] = ',';
        }
        if (!put_text(s, s->vars[i].name))
            return 0;
    }
    if (!reserve(s, 1))
        return 0;
    s->buf[s->n++] = '\n';
    s->row_start = s->n;
    s->frozen = 1;
    s->declared_open = s->declared;
    pthread_mutex_lock(&s->mu);
    s->state = S_STREAMING;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 1;
}

/* A number of any numeric type as a double (readstat_double_value without
** the call: this is the inner loop, a call per cell). */
static double num(readstat_value_t value)
{
    switch (value.type) {
    case READSTAT_TYPE_DOUBLE: return value.v.double_value;
    case READSTAT_TYPE_FLOAT: return value.v.float_value;
    case READSTAT_TYPE_INT32: return value.v.i32_value;
    case READSTAT_TYPE_INT16: return value.v.i16_value;
    case READSTAT_TYPE_INT8: return value.v.i8_value;
    default: return NAN;
    }
}

/* One cell (the separator is written by the caller).  Missing: ReadStat's
** two flags, and the variable's user-defined missing values when it has
** any (readstat_value_is_missing, asked only then: it was a tenth of the
** time). */
static int put_cell(statfile *s, const var *x, readstat_variable_t *v, readstat_value_t value)
{
    char tmp[40];
    size_t n;
    if (value.is_system_missing || value.is_tagged_missing || (x->ranges && readstat_value_is_defined_missing(value, v)))
        return 1;
    if (x->string) {
        const char *t = value.type == READSTAT_TYPE_STRING || value.type == READSTAT_TYPE_STRING_REF
                            ? value.v.string_value
                            : NULL,
                   *l;
        if (!t || !*t)
            return 1;
        l = x->set && !(x->rule == L_BOOL && (strcmp(t, "0") == 0 || strcmp(t, "1") == 0)) ? lookup(x->set, 0, t)
                                                                                           : NULL;
        return put_text(s, l ? l : t);
    }
    if (value.type == READSTAT_TYPE_FLOAT && !x->set && !x->date) {
        float f = value.v.float_value;
        if (isnan(f))
            return 1;
        n = isinf(f) ? (size_t)snprintf(tmp, sizeof tmp, "%s", f < 0 ? "-inf" : "inf") : statfile_put_float(tmp, f);
    } else {
        double d = num(value);
        const char *l;
        if (isnan(d))
            return 1;
        if (x->set && !(x->rule == L_BOOL && (d == 0 || d == 1)) && (l = lookup(x->set, d, NULL)))
            return put_text(s, l);
        if (isinf(d)) {
            n = (size_t)snprintf(tmp, sizeof tmp, "%s", d < 0 ? "-inf" : "inf");
            goto out;
        }
        if (x->date) {
            double days = x->date == D_DAYS_1960  ? floor(d) - 3653
                          : x->date == D_MS_1960  ? floor(d / 86400000.0) - 3653
                          : x->date == D_SEC_1960 ? floor(d / 86400.0) - 3653
                                                  : floor(d / 86400.0) - 141428;
            if ((n = (size_t)statfile_put_date(tmp, days)) > 0)
                goto out;
        }
        /* Unlabelled, or a date outside 0001-9999: the number. */
        n = value.type == READSTAT_TYPE_FLOAT ? statfile_put_float(tmp, (float)d) : statfile_put_double(tmp, d);
    }
out:
    if (!reserve(s, n))
        return 0;
    memcpy(s->buf + s->n, tmp, n);
    s->n += n;
    return 1;
}

static int on_value(int obs, readstat_variable_t *v, readstat_value_t value, void *ctx)
{
    statfile *s = ctx;
    int i = readstat_variable_get_index(v);
    if (!s->frozen && !freeze(s))
        return READSTAT_HANDLER_ABORT;
    if (i != s->next || obs != s->rows) {
        snprintf(s->why, sizeof s->why, "row %d, variable %d out of order", obs + 1, i + 1);
        return READSTAT_HANDLER_ABORT;
    }
    if (i > 0) {
        if (!reserve(s, 1))
            return READSTAT_HANDLER_ABORT;
        s->buf[s->n++] = ',';
    }
    if (!put_cell(s, &s->vars[i], v, value))
        return READSTAT_HANDLER_ABORT;
    if (++s->next == s->nvar) {
        if (!reserve(s, 1))
            return READSTAT_HANDLER_ABORT;
        s->buf[s->n++] = '\n';
        s->next = 0;
        s->rows++;
        s->row_start = s->n;
        if (s->n >= FLUSH && !flush(s))
            return READSTAT_HANDLER_ABORT;
    }
    return READSTAT_HANDLER_OK;
}

/* ---- reading the file ----
** ReadStat's own I/O reads a .dta file one row per read(2): a million
** system calls for a million rows, most of the time spent converting.
** These handlers give it the file from a buffer of IOBUF bytes instead
** (pread, so that a seek within the buffer costs nothing). */

#define IOBUF ((size_t)1 << 20)

typedef struct bufio {
    int fd;
    char *buf;
    size_t len, pos;  /* bytes in buf; the next one to give */
    readstat_off_t base; /* the file offset of buf[0] */
} bufio;

static int io_open(const char *path, void *ctx)
{
    bufio *b = ctx;
    b->fd = open(path, O_RDONLY | O_CLOEXEC);
    b->len = b->pos = 0;
    b->base = 0;
    return b->fd;
}

static int io_close(void *ctx)
{
    bufio *b = ctx;
    int rc = b->fd >= 0 ? close(b->fd) : 0;
    b->fd = -1;
    return rc;
}

static readstat_off_t io_seek(readstat_off_t off, readstat_io_flags_t whence, void *ctx)
{
    bufio *b = ctx;
    readstat_off_t to;
    struct stat st;
    switch (whence) {
    case READSTAT_SEEK_SET: to = off; break;
    case READSTAT_SEEK_CUR: to = b->base + (readstat_off_t)b->pos + off; break;
    case READSTAT_SEEK_END:
        if (fstat(b->fd, &st) != 0)
            return -1;
        to = (readstat_off_t)st.st_size + off;
        break;
    default: return -1;
    }
    if (to < 0)
        return -1;
    if (to >= b->base && to <= b->base + (readstat_off_t)b->len)
        b->pos = (size_t)(to - b->base);
    else {
        b->base = to;
        b->len = b->pos = 0;
    }
    return to;
}

static ssize_t io_read(void *dst, size_t n, void *ctx)
{
    bufio *b = ctx;
    size_t got = 0;
    while (got < n) {
        ssize_t k;
        if (b->pos < b->len) {
            size_t m = b->len - b->pos < n - got ? b->len - b->pos : n - got;
            memcpy((char *)dst + got, b->buf + b->pos, m);
            b->pos += m;
            got += m;
            continue;
        }
        b->base += (readstat_off_t)b->len;
        b->len = b->pos = 0;
        if (n - got >= IOBUF) { /* a large read goes straight to its place */
            k = pread(b->fd, (char *)dst + got, n - got, b->base);
            if (k > 0)
                b->base += k, got += (size_t)k;
        } else {
            k = pread(b->fd, b->buf, IOBUF, b->base);
            if (k > 0)
                b->len = (size_t)k;
        }
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return got ? (ssize_t)got : -1;
        if (k == 0)
            break;
    }
    return (ssize_t)got;
}

static readstat_error_t io_update(long size, readstat_progress_handler progress, void *user, void *ctx)
{
    bufio *b = ctx;
    if (!progress || size <= 0)
        return READSTAT_OK;
    return progress((double)(b->base + (readstat_off_t)b->pos) / (double)size, user) ? READSTAT_ERROR_USER_ABORT
                                                                                        : READSTAT_OK;
}

static readstat_error_t parse(statfile *s, readstat_parser_t *p)
{
    switch (s->kind) {
    case STATFILE_DTA: return readstat_parse_dta(p, s->path, s);
    case STATFILE_SAV: return readstat_parse_sav(p, s->path, s);
    case STATFILE_POR: return readstat_parse_por(p, s->path, s);
    case STATFILE_SAS7BDAT: return readstat_parse_sas7bdat(p, s->path, s);
    default: return readstat_parse_xport(p, s->path, s);
    }
}

static void forget_vars(statfile *s)
{
    int i;
    for (i = 0; i < s->nvar; i++) {
        free(s->vars[i].name);
        free(s->vars[i].setname);
    }
    s->nvar = 0;
}

static void *statfile_thread(void *arg)
{
    statfile *s = arg;
    readstat_parser_t *p = readstat_parser_init();
    bufio io = {-1, malloc(IOBUF), 0, 0, 0};
    /* Numbers in the "C" locale whatever the process's: this thread only. */
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c ? uselocale(c) : (locale_t)0;
    if (!p || !io.buf) {
        s->err = READSTAT_ERROR_MALLOC;
        goto done;
    }
    readstat_set_open_handler(p, io_open);
    readstat_set_close_handler(p, io_close);
    readstat_set_seek_handler(p, io_seek);
    readstat_set_read_handler(p, io_read);
    readstat_set_update_handler(p, io_update);
    readstat_set_io_ctx(p, &io);
    readstat_set_error_handler(p, on_error);
    readstat_set_handler_character_encoding(p, "UTF-8");
    readstat_set_variable_handler(p, on_variable);
    readstat_set_value_label_handler(p, on_value_label);
    if (s->kind == STATFILE_DTA) {
        /* A .dta file keeps its value labels after the data: a first pass
        ** without a value handler reads the labels and skips the rows. */
        int i, labelled = 0;
        s->err = parse(s, p);
        for (i = 0; i < s->nvar; i++)
            labelled |= s->vars[i].setname != NULL;
        s->had_header = s->nvar > 0;
        forget_vars(s);
        /* A file cut short fails here, at its labels: with none to read,
        ** its rows up to the cut are read (and the cut reported); with
        ** some, those rows would be codes instead of labels: nothing. */
        if (s->err != READSTAT_OK && (!s->had_header || labelled)) {
            if (labelled)
                snprintf(s->why, sizeof s->why,
                         "its value labels, kept at the end of a .dta file, cannot be read (%s): the file is cut "
                         "short or damaged",
                         readstat_error_message(s->err));
            goto done;
        }
        s->err = READSTAT_OK;
        s->rsmsg[0] = '\0';
        readstat_set_value_label_handler(p, NULL);
    }
    readstat_set_metadata_handler(p, on_metadata);
    readstat_set_value_handler(p, on_value);
    s->err = parse(s, p);
    if (s->err == READSTAT_OK && !s->frozen && !freeze(s))
        s->err = READSTAT_ERROR_USER_ABORT;
    if (s->err == READSTAT_OK && s->next != 0) {
        s->err = READSTAT_ERROR_USER_ABORT;
        snprintf(s->why, sizeof s->why, "the last row ends after variable %d of %d", s->next, s->nvar);
    }
    /* A transport file is 80-byte records and says nothing of its rows:
    ** cut at a record boundary it cannot be told from a whole one, cut
    ** anywhere else it can. */
    if (s->err == READSTAT_OK && s->kind == STATFILE_XPORT && s->size % 80 != 0) {
        s->err = READSTAT_ERROR_READ;
        snprintf(s->why, sizeof s->why, "the file ends inside an 80-byte record (%lld bytes): it was cut short",
                 s->size);
    }
    if (s->err == READSTAT_OK && s->declared >= 0 && s->rows != s->declared) {
        s->err = READSTAT_ERROR_ROW_COUNT_MISMATCH;
        snprintf(s->why, sizeof s->why, "the file says it has %ld rows", s->declared);
    }
done:
    /* The whole rows read, even after an error; never part of one. */
    if (!s->reader_gone && s->frozen) {
        s->n = s->row_start;
        if (!flush(s) && !s->reader_gone && s->err == READSTAT_OK)
            s->err = READSTAT_ERROR_WRITE;
    }
    close(s->wfd);
    s->wfd = -1;
    if (p)
        readstat_parser_free(p);
    if (io.fd >= 0)
        close(io.fd);
    free(io.buf);
    if (c) {
        uselocale(old);
        freelocale(c);
    }
    pthread_mutex_lock(&s->mu);
    s->state = S_DONE;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void statfile_free(statfile *s)
{
    size_t j, k;
    forget_vars(s);
    free(s->vars);
    for (j = 0; j < s->nsets; j++) {
        for (k = 0; k < s->sets[j].n; k++) {
            free(s->sets[j].v[k].skey);
            free(s->sets[j].v[k].text);
        }
        free(s->sets[j].v);
        free(s->sets[j].name);
    }
    free(s->sets);
    free(s->buf);
    free(s->path);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}

/* What went wrong, after the thread ended. */
static void say_error(const statfile *s, int at_open, char *msg, size_t msgsize)
{
    const char *what = s->why[0] ? s->why : readstat_error_message(s->err);
    char rs[300] = "";
    if (s->rsmsg[0] && !strstr(s->rsmsg, what))
        snprintf(rs, sizeof rs, " (%s)", s->rsmsg);
    if (at_open && (s->had_header || s->nvar > 0))
        snprintf(msg, msgsize, "%s: a damaged or truncated %s file: %s%s", s->path, kind_name(s->kind), what, rs);
    else if (at_open)
        snprintf(msg, msgsize, "%s: not a valid %s file: %s%s", s->path, kind_name(s->kind), what, rs);
    else if (s->rows == 0)
        snprintf(msg, msgsize, "%s: read error before the first row (no row was read): %s%s", s->path, what, rs);
    else
        snprintf(msg, msgsize, "%s: read error after row %ld (rows 1 to %ld were read, the rest of the file was not): %s%s",
                 s->path, s->rows, s->rows, what, rs);
}

int statfile_open(const char *path, statfile **out, int *fd, char *msg, size_t msgsize)
{
    statfile *s;
    int p[2], f, state;
    struct stat st;
    sigset_t pipe_only, old;
    *out = NULL;
    *fd = -1;
    if (statfile_kind(path) < STATFILE_DTA) {
        snprintf(msg, msgsize, "%s: not a Stata, SPSS or SAS file name (.dta .sav .zsav .por .sas7bdat .xpt)", path);
        return 1;
    }
    /* The system's words for a file that is not there or not readable. */
    if ((f = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        snprintf(msg, msgsize, "%s: %s", path, strerror(errno));
        return 1;
    }
    if (fstat(f, &st) != 0 || S_ISDIR(st.st_mode)) {
        snprintf(msg, msgsize, "%s: %s", path, S_ISDIR(st.st_mode) ? strerror(EISDIR) : strerror(errno));
        close(f);
        return 1;
    }
    /* A .dta file of Stata 13 and later is tagged, <stata_dta> to
    ** </stata_dta>.  Cut short, ReadStat reads what value labels are left
    ** and no error: the labelled codes would come out as numbers. */
    if (statfile_kind(path) == STATFILE_DTA) {
        char head[11], tail[12];
        if (pread(f, head, sizeof head, 0) == (ssize_t)sizeof head && memcmp(head, "<stata_dta>", 11) == 0 &&
            (st.st_size < 23 || pread(f, tail, sizeof tail, st.st_size - 12) != (ssize_t)sizeof tail ||
             memcmp(tail, "</stata_dta>", 12) != 0)) {
            snprintf(msg, msgsize, "%s: a damaged or truncated Stata (.dta) file: it does not end with </stata_dta>",
                     path);
            close(f);
            return 1;
        }
    }
    close(f);
    if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(path))) {
        free(s);
        snprintf(msg, msgsize, "%s: out of memory", path);
        return 1;
    }
    s->kind = statfile_kind(path);
    s->declared = s->declared_open = -1;
    s->size = (long long)st.st_size;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pipe2(p, O_CLOEXEC) != 0) {
        snprintf(msg, msgsize, "%s: %s", path, strerror(errno));
        statfile_free(s);
        return 1;
    }
    /* A larger pipe (1 MiB, where the system allows it; 64 KiB works
    ** too): fewer switches between the converter and the reader. */
    (void)fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
    s->wfd = p[1];
    /* The thread writes with SIGPIPE blocked: a reader that gives up
    ** (closes fd) ends the conversion with EPIPE, not the process. */
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    f = pthread_create(&s->thread, NULL, statfile_thread, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (f != 0) {
        snprintf(msg, msgsize, "%s: cannot start a thread: %s", path, strerror(f));
        close(p[0]);
        close(p[1]);
        statfile_free(s);
        return 1;
    }
    pthread_mutex_lock(&s->mu);
    while (s->state == S_STARTING)
        pthread_cond_wait(&s->cv, &s->mu);
    state = s->state;
    pthread_mutex_unlock(&s->mu);
    /* Done before a header: not a file of its kind (or one that could not
    ** be read at all). */
    if (state == S_DONE && !s->frozen) {
        pthread_join(s->thread, NULL);
        close(p[0]);
        say_error(s, 1, msg, msgsize);
        statfile_free(s);
        return 1;
    }
    *out = s;
    *fd = p[0];
    return 0;
}

long statfile_rows_declared(const statfile *s)
{
    return s ? s->declared_open : -1;
}

int statfile_close(statfile *s, char *msg, size_t msgsize)
{
    int rc = 0;
    if (!s)
        return 0;
    pthread_join(s->thread, NULL);
    if (s->err != READSTAT_OK && !s->reader_gone) {
        say_error(s, 0, msg, msgsize);
        rc = 1;
    }
    statfile_free(s);
    return rc;
}
