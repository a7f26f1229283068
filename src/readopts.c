/*
** readopts.c — how a table's cells are read (docs/FILES.md): the
** missing-value codes, which column feeds which field (renames), and each
** column's own spellings of its values (value maps), built by calls or
** from a map file (a CSV of column,field and column,from,to rows, or a
** JSON object).  sarx_cohort_new_ex copies the options
** (sarx__readopts_copy) and applies them to the header and the cells
** (cohort.c).
**
** Names and values are compared trimmed and without ASCII case, as the
** header's own names are: "SEX", " sex " and "Sex" are one column.
*/
#include "internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default missing-value codes: what R, Stata, SAS, pandas and SQL
** exports write for a missing cell (the empty cell is always missing). */
static const char *const default_na[] = {"na", "nan", ".", "null", "n/a"};

static void trim(const char **t, size_t *len)
{
    while (*len && sarx__space((unsigned char)**t))
        (*t)++, (*len)--;
    while (*len && sarx__space((unsigned char)(*t)[*len - 1]))
        (*len)--;
}

static int same_nocase(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i;
    if (alen != blen)
        return 0;
    for (i = 0; i < alen; i++)
        if (sarx__lower((unsigned char)a[i]) != sarx__lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* A copy of t (len bytes), NUL-terminated, in lower case when lower is set. */
static char *dup_text(const char *t, size_t len, int lower)
{
    char *p = malloc(len + 1);
    size_t i;
    if (!p)
        return NULL;
    for (i = 0; i < len; i++)
        p[i] = lower ? (char)sarx__lower((unsigned char)t[i]) : t[i];
    p[len] = '\0';
    return p;
}

/* A name or value in a message: quoted by the caller, control bytes escaped, cut. */
static const char *shown(char *buf, size_t n, const char *t, size_t len)
{
    sarx__show(buf, n, t, len);
    return buf;
}

static void free_na(sarx_readopts *o)
{
    size_t i;
    for (i = 0; i < o->nna; i++)
        free(o->na[i]);
    free(o->na);
    free(o->na_len);
    free(o->na_num);
    o->na = NULL;
    o->na_len = NULL;
    o->na_num = NULL;
    o->nna = o->nnum = 0;
}

void sarx_readopts_free(sarx_readopts *o)
{
    size_t i, k;
    if (!o)
        return;
    free_na(o);
    for (i = 0; i < o->ncol; i++) {
        for (k = 0; k < o->col[i].nval; k++) {
            free(o->col[i].val[k].from);
            free(o->col[i].val[k].to);
        }
        free(o->col[i].val);
        free(o->col[i].name);
    }
    free(o->col);
    free(o);
}

/* Add one code (trimmed, not empty): a number to na_num, text to na. */
static int add_code(sarx_readopts *o, const char *t, size_t len)
{
    double v;
    size_t i;
    if (sarx__parse_number(t, len, 0, &v) == SARX_OK) {
        double *p;
        for (i = 0; i < o->nnum; i++)
            if (o->na_num[i] == v)
                return SARX_OK;
        if (!(p = realloc(o->na_num, (o->nnum + 1) * sizeof *p)))
            return SARX_ENOMEM;
        o->na_num = p;
        p[o->nnum++] = v;
        return SARX_OK;
    }
    for (i = 0; i < o->nna; i++)
        if (same_nocase(o->na[i], o->na_len[i], t, len))
            return SARX_OK;
    {
        char **p = realloc(o->na, (o->nna + 1) * sizeof *p);
        size_t *l;
        if (!p)
            return SARX_ENOMEM;
        o->na = p;
        if (!(l = realloc(o->na_len, (o->nna + 1) * sizeof *l)))
            return SARX_ENOMEM;
        o->na_len = l;
        if (!(p[o->nna] = dup_text(t, len, 1)))
            return SARX_ENOMEM;
        l[o->nna++] = len;
    }
    return SARX_OK;
}

static int set_na(sarx_readopts *o, const char *list)
{
    const char *p = list;
    free_na(o);
    for (;;) {
        size_t len = strcspn(p, ",");
        const char *t = p;
        size_t tl = len;
        trim(&t, &tl);
        if (tl && add_code(o, t, tl) != SARX_OK)
            return SARX_ENOMEM;
        if (!p[len])
            break;
        p += len + 1;
    }
    return SARX_OK;
}

int sarx_readopts_new(sarx_readopts **out, sarx_error *err)
{
    sarx_readopts *o;
    size_t i;
    if (!out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    if (!(o = calloc(1, sizeof *o)))
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    for (i = 0; i < sizeof default_na / sizeof default_na[0]; i++)
        if (add_code(o, default_na[i], strlen(default_na[i])) != SARX_OK) {
            sarx_readopts_free(o);
            return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
        }
    *out = o;
    return SARX_OK;
}

int sarx_readopts_set_na(sarx_readopts *o, const char *list, sarx_error *err)
{
    if (!o || !list)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if (strchr(list, ';')) { /* "NA;-99" would be one code that no cell is: refused, not silently useless */
        char a[100], b[100];
        size_t i, n = strlen(list);
        shown(b, sizeof b, list, n);
        for (i = 0; b[i]; i++)
            if (b[i] == ';')
                b[i] = ',';
        return sarx__err(err, SARX_EINVAL, "", shown(a, 64, list, n), "a comma-separated list",
                         "\"%s\" holds ';': the codes are separated by ',' (\"%s\")", shown(a, sizeof a, list, n),
                         b);
    }
    if (set_na(o, list) != SARX_OK)
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    return SARX_OK;
}

/* ---- large maps ----------------------------------------------------------
** Each column's values are kept sorted by `from` (lower case, byte order,
** then length), so a cell is looked up by binary search
** (sarx__readopts_value_of) and one value map is added in O(log n) compares
** plus a move.  A map file (sarx_readopts_load) adds its rows through an
** index of its own (struct loader: hash tables of the columns and of the
** values it adds, which it appends and sorts at the end), so a map of 100,000
** values or 20,000 renames loads in O(n log n), not O(n^2) (9.3 s and
** 2.7 s before). */

/* A name's or value's hash, without ASCII case; seed: its column (values). */
static size_t hash_nocase(const char *t, size_t len, size_t seed)
{
    uint64_t h = 14695981039346656037ULL ^ (uint64_t)seed; /* FNV-1a */
    size_t i;
    for (i = 0; i < len; i++)
        h = (h ^ sarx__lower((unsigned char)t[i])) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* An open-addressing table of (a, b) pairs, found by a caller's compare. */
typedef struct slot {
    size_t a, b, h;
    int used;
} slot;
typedef struct table {
    slot *s;
    size_t cap, n; /* cap a power of two, or 0 */
} table;

static int table_add(table *t, size_t h, size_t a, size_t b)
{
    size_t i;
    if (2 * (t->n + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64, k;
        slot *ns = calloc(cap, sizeof *ns);
        if (!ns)
            return SARX_ENOMEM;
        for (k = 0; k < t->cap; k++)
            if (t->s[k].used) {
                for (i = t->s[k].h & (cap - 1); ns[i].used; i = (i + 1) & (cap - 1))
                    ;
                ns[i] = t->s[k];
            }
        free(t->s);
        t->s = ns;
        t->cap = cap;
    }
    for (i = h & (t->cap - 1); t->s[i].used; i = (i + 1) & (t->cap - 1))
        ;
    t->s[i].a = a;
    t->s[i].b = b;
    t->s[i].h = h;
    t->s[i].used = 1;
    t->n++;
    return SARX_OK;
}

/* A map file's index: the columns by name (a = the column), the values it
** added by column and `from` (a = the column, b = the value), and each
** column's values sorted before the load (sorted[col]; the rest appended). */
typedef struct loader {
    table cols, vals;
    size_t *sorted, nsorted;
} loader;

static void loader_free(loader *ld)
{
    free(ld->cols.s);
    free(ld->vals.s);
    free(ld->sorted);
}

/* Lower-case stored text a (alen) against text b in any case, as a sort. */
static int cmp_nocase(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i, n = alen < blen ? alen : blen;
    for (i = 0; i < n; i++) {
        int x = (unsigned char)a[i], y = sarx__lower((unsigned char)b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return alen < blen ? -1 : alen > blen;
}

/* The value of `from` among the first n of c's (sorted): 1 and *at its
** index, or 0 and *at where it would go. */
static int find_sorted(const sarx__rcol *c, size_t n, const char *from, size_t flen, size_t *at)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = cmp_nocase(c->val[mid].from, c->val[mid].from_len, from, flen);
        if (r == 0) {
            *at = mid;
            return 1;
        }
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return 0;
}

static int cmp_value(const void *x, const void *y)
{
    const sarx__rvalue *a = x, *b = y;
    size_t n = a->from_len < b->from_len ? a->from_len : b->from_len;
    int r = memcmp(a->from, b->from, n);
    return r ? r : (a->from_len > b->from_len) - (a->from_len < b->from_len);
}

/* The end of a load: each column's appended values sorted in. */
static void loader_sort(sarx_readopts *o, const loader *ld)
{
    size_t i;
    for (i = 0; i < o->ncol; i++)
        if (o->col[i].nval > (i < ld->nsorted ? ld->sorted[i] : 0))
            qsort(o->col[i].val, o->col[i].nval, sizeof *o->col[i].val, cmp_value);
}

static int loader_init(sarx_readopts *o, loader *ld)
{
    size_t i;
    memset(ld, 0, sizeof *ld);
    if (o->ncol && !(ld->sorted = malloc(o->ncol * sizeof *ld->sorted)))
        return SARX_ENOMEM;
    for (i = 0; i < o->ncol; i++) {
        ld->sorted[i] = o->col[i].nval;
        if (table_add(&ld->cols, hash_nocase(o->col[i].name, o->col[i].name_len, 0), i, 0) != SARX_OK)
            return SARX_ENOMEM;
    }
    ld->nsorted = o->ncol;
    return SARX_OK;
}

/* The column named name (trimmed), created when create is set: NULL when
** absent (or out of memory, *oom set).  ld: a load's index, or NULL. */
static sarx__rcol *column(sarx_readopts *o, const char *name, size_t len, int create, int *oom, loader *ld)
{
    size_t i, h = 0;
    sarx__rcol *c;
    if (ld) {
        h = hash_nocase(name, len, 0);
        for (i = h & (ld->cols.cap - 1); ld->cols.cap && ld->cols.s[i].used; i = (i + 1) & (ld->cols.cap - 1))
            if (ld->cols.s[i].h == h &&
                same_nocase(o->col[ld->cols.s[i].a].name, o->col[ld->cols.s[i].a].name_len, name, len))
                return &o->col[ld->cols.s[i].a];
    } else
        for (i = 0; i < o->ncol; i++)
            if (same_nocase(o->col[i].name, o->col[i].name_len, name, len))
                return &o->col[i];
    if (!create)
        return NULL;
    if (ld) { /* its index first, so that a failure leaves no column out of it */
        size_t *p = realloc(ld->sorted, (o->ncol + 1) * sizeof *p);
        if (!p || table_add(&ld->cols, h, o->ncol, 0) != SARX_OK) {
            if (p)
                ld->sorted = p;
            *oom = 1;
            return NULL;
        }
        ld->sorted = p;
        p[o->ncol] = 0;
        ld->nsorted = o->ncol + 1;
    }
    if (!(c = realloc(o->col, (o->ncol + 1) * sizeof *c))) {
        *oom = 1;
        return NULL;
    }
    o->col = c;
    c = &o->col[o->ncol];
    memset(c, 0, sizeof *c);
    c->field = c->alias = -1;
    if (!(c->name = dup_text(name, len, 0))) {
        *oom = 1;
        return NULL;
    }
    c->name_len = len;
    o->ncol++;
    return c;
}

const sarx__rcol *sarx__readopts_column(const sarx_readopts *o, const char *name, size_t len)
{
    int oom = 0;
    trim(&name, &len);
    return column((sarx_readopts *)o, name, len, 0, &oom, NULL); /* (create 0: nothing written) */
}

static int rename_n(sarx_readopts *o, const char *col, size_t clen, const char *field, size_t flen, loader *ld,
                    sarx_error *err)
{
    char low[64], a[160], b[160];
    size_t j;
    int f = -1, alias = -1, oom = 0;
    sarx__rcol *c;
    trim(&col, &clen);
    trim(&field, &flen);
    if (clen == 0)
        return sarx__err(err, SARX_EINVAL, "", "", "", "a rename needs a column name (column -> field)");
    if (flen == 0)
        return sarx__err(err, SARX_EFIELD, "", "", "", "column \"%s\": the field to rename it to is empty",
                         shown(a, sizeof a, col, clen));
    for (j = 0; j < flen && j < sizeof low - 1; j++)
        low[j] = (char)sarx__lower((unsigned char)field[j]);
    low[j] = '\0';
    if (flen < sizeof low && !memchr(low, '\0', flen))
        f = sarx__field_lookup(low, flen, &alias);
    if (f < 0) {
        const char *hint = flen < sizeof low && !memchr(low, '\0', flen) ? sarx__field_suggest(low) : NULL;
        return sarx__err(err, SARX_EFIELD, shown(b, 64, field, flen), "", "",
                         "column \"%s\" -> \"%s\": \"%s\" is not a field sarx knows%s%s%s (the names are those of "
                         "`sarx fields`)",
                         shown(a, sizeof a, col, clen), shown(b, sizeof b, field, flen), b,
                         hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
    }
    if (sarx__field_info[f].kind == SARX_KIND_HISTORY)
        return sarx__err(err, SARX_ETYPE, low, "", "weight_loss_pct_6m, weight_loss_pct_12m",
                         "column \"%s\" -> \"%s\": %s has no CSV form; give weight_loss_pct_6m and "
                         "weight_loss_pct_12m",
                         shown(a, sizeof a, col, clen), low, low);
    if (!(c = column(o, col, clen, 1, &oom, ld)))
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    if (c->field >= 0 && (c->field != f || c->alias != alias))
        return sarx__err(err, SARX_ECONFLICT, low, "", "",
                         "column \"%s\" is renamed twice: to %s and to %s", shown(a, sizeof a, col, clen),
                         c->alias >= 0 ? sarx__aliases[c->alias].name : sarx__field_info[c->field].name, low);
    c->field = f;
    c->alias = alias;
    return SARX_OK;
}

int sarx_readopts_rename(sarx_readopts *o, const char *column_name, const char *field, sarx_error *err)
{
    if (!o || !column_name || !field)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    return rename_n(o, column_name, strlen(column_name), field, strlen(field), NULL, err);
}

static int value_n(sarx_readopts *o, const char *col, size_t clen, const char *from, size_t flen, const char *to,
                   size_t tlen, loader *ld, sarx_error *err)
{
    char a[160], b[100], d[100], d2[100];
    sarx__rcol *c;
    sarx__rvalue *v, nv;
    size_t k, ci, h = 0;
    int oom = 0, found;
    trim(&col, &clen);
    trim(&from, &flen);
    trim(&to, &tlen);
    if (clen == 0)
        return sarx__err(err, SARX_EINVAL, "", "", "", "a value map needs a column name (column, from, to)");
    if (flen == 0)
        return sarx__err(err, SARX_EINVAL, "", "", "",
                         "column \"%s\": a value map from the empty cell (the empty cell is always missing)",
                         shown(a, sizeof a, col, clen));
    if (!(c = column(o, col, clen, 1, &oom, ld)))
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    ci = (size_t)(c - o->col);
    found = find_sorted(c, ld ? ld->sorted[ci] : c->nval, from, flen, &k);
    if (!found && ld) { /* among the values this load appended */
        size_t i;
        h = hash_nocase(from, flen, ci + 1);
        for (i = h & (ld->vals.cap - 1); ld->vals.cap && ld->vals.s[i].used && !found;
             i = (i + 1) & (ld->vals.cap - 1))
            if (ld->vals.s[i].h == h && ld->vals.s[i].a == ci &&
                same_nocase(c->val[ld->vals.s[i].b].from, c->val[ld->vals.s[i].b].from_len, from, flen)) {
                found = 1;
                k = ld->vals.s[i].b;
            }
    }
    if (found) {
        if (c->val[k].to_len == tlen && memcmp(c->val[k].to, to, tlen) == 0)
            return SARX_OK;
        return sarx__err(err, SARX_ECONFLICT, "", shown(b, 64, from, flen), "",
                         "column \"%s\": \"%s\" is mapped twice: to \"%s\" and to \"%s\"",
                         shown(a, sizeof a, col, clen), shown(b, sizeof b, from, flen),
                         shown(d, sizeof d, c->val[k].to, c->val[k].to_len), shown(d2, sizeof d2, to, tlen));
    }
    nv.from = dup_text(from, flen, 1);
    nv.to = dup_text(to, tlen, 0);
    nv.from_len = flen;
    nv.to_len = tlen;
    if (!nv.from || !nv.to || !(v = realloc(c->val, (c->nval + 1) * sizeof *v)) ||
        (ld && table_add(&ld->vals, h, ci, c->nval) != SARX_OK)) {
        free(nv.from);
        free(nv.to);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    c->val = v;
    if (ld) /* appended: sorted in at the end of the load */
        k = c->nval;
    else /* in its place */
        memmove(&v[k + 1], &v[k], (c->nval - k) * sizeof *v);
    v[k] = nv;
    c->nval++;
    return SARX_OK;
}

int sarx_readopts_value(sarx_readopts *o, const char *column_name, const char *from, const char *to, sarx_error *err)
{
    if (!o || !column_name || !from || !to)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    return value_n(o, column_name, strlen(column_name), from, strlen(from), to, strlen(to), NULL, err);
}

/* ---- map files ---------------------------------------------------------- */

/* Prefix err's message (an error of the map's entry `where`). */
static int at(sarx_error *err, int rc, const char *where)
{
    if (err && rc != SARX_OK && rc != SARX_ENOMEM) {
        sarx_error e = *err;
        sarx__err(err, rc, e.field, e.value, e.allowed, "%s: %s", where, e.message);
    }
    return rc;
}

/* A header line of the CSV form: column,field (n 2) or column,from,to (n 3). */
static int header_line(char **f, const size_t *l, size_t n)
{
    return n >= 2 && n <= 3 && same_nocase(f[0], l[0], "column", 6) &&
           (n == 2 ? same_nocase(f[1], l[1], "field", 5)
                   : same_nocase(f[1], l[1], "from", 4) && same_nocase(f[2], l[2], "to", 2));
}

/* The CSV form: column,field rows and column,from,to rows, blank lines
** skipped.  A header line (column,field or column,from,to) is optional,
** first, and again where the rows change form: the docs' two examples
** pasted one after the other are a map. */
static int load_csv(sarx_readopts *o, const char *text, size_t len, loader *ld, sarx_error *err)
{
    char *copy = malloc(len + 1), where[32];
    sarx_csv *csv = NULL;
    sarx_error ce;
    char **f;
    size_t *l, n, form = 0; /* the last row's fields (0: none yet) */
    int r, rc = SARX_OK;
    if (!copy)
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    memcpy(copy, text, len);
    if (sarx_csv_new_buffer(&csv, copy, len, ',', 0) != SARX_OK) {
        free(copy);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    while (rc == SARX_OK && (r = sarx_csv_next(csv, &f, &l, &n, &ce)) != 0) {
        long line = sarx_csv_line(csv);
        snprintf(where, sizeof where, "line %ld", line);
        if (r < 0) { /* the reader's refusal (an unclosed quote), after the line */
            rc = sarx__err(err, ce.code, ce.field, ce.value, ce.allowed, "%s: %s", where, ce.message);
            break;
        }
        if (n == 1 && l[0] == 0)
            continue;
        if (n != form && header_line(f, l, n)) {
            form = n;
            continue; /* a header line */
        }
        form = n;
        if (n == 1 && (memchr(f[0], ';', l[0]) || memchr(f[0], '\t', l[0])))
            rc = sarx__err(err, SARX_ESYNTAX, "", "", "column,field or column,from,to",
                           "%s: 1 field; a map file is comma-separated (column,field or column,from,to), and this "
                           "line is separated by '%s'",
                           where, memchr(f[0], ';', l[0]) ? ";" : "\\t");
        else if (n == 2)
            rc = at(err, rename_n(o, f[0], l[0], f[1], l[1], ld, err), where);
        else if (n == 3)
            rc = at(err, value_n(o, f[0], l[0], f[1], l[1], f[2], l[2], ld, err), where);
        else
            rc = sarx__err(err, SARX_ESYNTAX, "", "", "column,field or column,from,to",
                           "%s: %zu field%s; a map's rows are column,field (a rename) or column,from,to (a value "
                           "map)",
                           where, n, n == 1 ? "" : "s");
    }
    sarx_csv_free(csv);
    free(copy);
    return rc;
}

/* A JSON value of a value map as text: a string as it is, true/false, a
** number as written in a cell, null as missing (""). */
static int json_text(const json_t *v, char *buf, size_t n, const char **t, size_t *len)
{
    if (json_is_string(v)) {
        *t = json_string_value(v);
        *len = json_string_length(v);
    } else if (json_is_null(v)) {
        *t = "";
        *len = 0;
    } else if (json_is_boolean(v)) {
        *t = json_is_true(v) ? "true" : "false";
        *len = strlen(*t);
    } else if (json_is_integer(v)) {
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *t = buf;
        *len = strlen(buf);
    } else if (json_is_real(v)) {
        sarx__fmt(buf, n, 'g', 15, json_real_value(v));
        *t = buf;
        *len = strlen(buf);
    } else
        return 0;
    return 1;
}

static int load_json(sarx_readopts *o, const char *text, size_t len, loader *ld, sarx_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je), *v;
    const char *key;
    char where[160], name[120];
    int rc = SARX_OK;
    if (!root)
        return sarx__err(err, SARX_ESYNTAX, "", "", "", "not valid JSON: %s (line %d, column %d)", je.text, je.line,
                         je.column);
    if (!json_is_object(root)) {
        json_decref(root);
        return sarx__err(err, SARX_ESYNTAX, "", "", "",
                         "a JSON map is an object: {\"column\": \"field\", \"column\": {\"field\": \"field\", "
                         "\"values\": {\"from\": \"to\"}}}");
    }
    json_object_foreach(root, key, v) {
        size_t klen = strlen(key);
        snprintf(where, sizeof where, "key \"%s\"", shown(name, sizeof name, key, klen));
        if (json_is_string(v)) {
            rc = at(err, rename_n(o, key, klen, json_string_value(v), json_string_length(v), ld, err), where);
        } else if (json_is_object(v)) {
            const char *k2;
            json_t *v2;
            json_object_foreach(v, k2, v2) {
                if (strcmp(k2, "field") == 0) {
                    if (!json_is_string(v2))
                        rc = sarx__err(err, SARX_ETYPE, "", "", "", "%s: \"field\" is a field name (a string)", where);
                    else
                        rc = at(err, rename_n(o, key, klen, json_string_value(v2), json_string_length(v2), ld, err),
                                where);
                } else if (strcmp(k2, "values") == 0) {
                    const char *from;
                    json_t *to;
                    if (!json_is_object(v2))
                        rc = sarx__err(err, SARX_ETYPE, "", "", "",
                                       "%s: \"values\" is an object of value -> value ({\"1\": \"male\"})", where);
                    else
                        json_object_foreach(v2, from, to) {
                            char num[40];
                            const char *t;
                            size_t tl;
                            if (!json_text(to, num, sizeof num, &t, &tl))
                                rc = sarx__err(err, SARX_ETYPE, "", "", "",
                                               "%s: \"values\": \"%s\" maps to a string, a number, true, false or "
                                               "null (missing)",
                                               where, shown(name, sizeof name, from, strlen(from)));
                            else
                                rc = at(err, value_n(o, key, klen, from, strlen(from), t, tl, ld, err), where);
                            if (rc != SARX_OK)
                                break;
                        }
                } else
                    rc = sarx__err(err, SARX_ESYNTAX, "", "", "field, values",
                                   "%s: unknown key \"%s\" (allowed: \"field\", \"values\")", where,
                                   shown(name, sizeof name, k2, strlen(k2)));
                if (rc != SARX_OK)
                    break;
            }
        } else
            rc = sarx__err(err, SARX_ETYPE, "", "", "",
                           "%s: a column maps to a field name (\"weight_kg\") or an object "
                           "({\"field\": ..., \"values\": {...}})",
                           where);
        if (rc != SARX_OK)
            break;
    }
    json_decref(root);
    return rc;
}

static int load(sarx_readopts *o, const char *text, size_t len, loader *ld, sarx_error *err)
{
    size_t i, bom;
    bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (i = bom; i < len && sarx__space((unsigned char)text[i]); i++)
        ;
    if (i < len && text[i] == '{')
        return load_json(o, text + i, len - i, ld, err);
    if (i < len && text[i] == '[') { /* a JSON array is refused as one; other text from '[' is CSV ("[kg] weight") */
        json_t *root = json_loadb(text + i, len - i, 0, NULL);
        if (root) {
            json_decref(root);
            return load_json(o, text + i, len - i, ld, err);
        }
    }
    return load_csv(o, text + bom, len - bom, ld, err);
}

int sarx_readopts_load(sarx_readopts *o, const char *text, size_t len, sarx_error *err)
{
    loader ld;
    int rc;
    if (!o || (!text && len))
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if (loader_init(o, &ld) != SARX_OK)
        rc = sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    else
        rc = load(o, text, len, &ld, err);
    loader_sort(o, &ld); /* (also after an error: the rows before it are kept, as sorted) */
    loader_free(&ld);
    return rc;
}

/* ---- for the cohort ------------------------------------------------------ */

sarx_readopts *sarx__readopts_copy(const sarx_readopts *o)
{
    sarx_readopts *c;
    size_t i, k;
    sarx_error e;
    if (sarx_readopts_new(&c, &e) != SARX_OK)
        return NULL;
    if (!o)
        return c;
    free_na(c);
    for (i = 0; i < o->nna; i++)
        if (add_code(c, o->na[i], o->na_len[i]) != SARX_OK)
            goto oom;
    for (i = 0; i < o->nnum; i++) {
        double *p = realloc(c->na_num, (c->nnum + 1) * sizeof *p);
        if (!p)
            goto oom;
        c->na_num = p;
        p[c->nnum++] = o->na_num[i];
    }
    if (o->ncol && !(c->col = calloc(o->ncol, sizeof *c->col)))
        goto oom;
    for (i = 0; i < o->ncol; i++) { /* (in order, sorted as they are: no lookup) */
        const sarx__rcol *s = &o->col[i];
        sarx__rcol *d = &c->col[i];
        d->field = d->alias = -1;
        if (!(d->name = dup_text(s->name, s->name_len, 0)))
            goto oom;
        d->name_len = s->name_len;
        c->ncol = i + 1;
        d->field = s->field;
        d->alias = s->alias;
        if (s->nval && !(d->val = calloc(s->nval, sizeof *d->val)))
            goto oom;
        for (k = 0; k < s->nval; k++) {
            d->val[k].from = dup_text(s->val[k].from, s->val[k].from_len, 0);
            d->val[k].to = dup_text(s->val[k].to, s->val[k].to_len, 0);
            d->val[k].from_len = s->val[k].from_len;
            d->val[k].to_len = s->val[k].to_len;
            d->nval = k + 1;
            if (!d->val[k].from || !d->val[k].to)
                goto oom;
        }
    }
    return c;
oom:
    sarx_readopts_free(c);
    return NULL;
}

/* The options against the header, once it is mapped (sarx_cohort_new_ex). */
int sarx__readopts_check(const sarx_readopts *ro, const long *col_rc, const int *col_field, const int *col_alias,
                         size_t ncol, char *const *header, const size_t *lens, unsigned tflags, sarx_subject *s,
                         sarx_error *err)
{
    char a[160], b[100];
    size_t i, k;
    unsigned char *found = calloc(ro->ncol ? ro->ncol : 1, 1); /* (by column: a wide header, many renames) */
    if (!found)
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    for (i = 0; i < ncol; i++)
        if (col_rc[i] >= 0)
            found[col_rc[i]] = 1;
    for (k = 0; k < ro->ncol; k++) {
        const sarx__rcol *rc = &ro->col[k];
        if (!found[k]) {
            sarx__buf seen = {0};
            for (i = 0; i < ncol && i < 8; i++) {
                const char *h = header[i];
                size_t len = lens[i];
                while (len && sarx__space((unsigned char)*h))
                    h++, len--;
                while (len && sarx__space((unsigned char)h[len - 1]))
                    len--;
                sarx__printf(&seen, "%s\"%s\"", i ? ", " : "", shown(b, 40, h, len));
            }
            if (i < ncol)
                sarx__printf(&seen, " and %zu more", ncol - i);
            sarx__err(err, SARX_ENOTFOUND, shown(b, 64, rc->name, rc->name_len), "", "",
                      "column \"%s\" (%s) is not in the header; its %zu column%s: %s",
                      shown(a, sizeof a, rc->name, rc->name_len),
                      rc->field >= 0
                          ? (rc->alias >= 0 ? sarx__aliases[rc->alias].name : sarx__field_info[rc->field].name)
                          : "a value map",
                      ncol, ncol == 1 ? "" : "s", seen.oom || !seen.p ? "" : seen.p);
            free(seen.p);
            free(found);
            return SARX_ENOTFOUND;
        }
    }
    free(found);
    for (i = 0; i < ncol; i++) {
        const sarx__rcol *rc = col_rc[i] >= 0 ? &ro->col[col_rc[i]] : NULL;
        if (!rc || !rc->nval)
            continue;
        if (col_field[i] < 0)
            return sarx__err(err, SARX_EFIELD, shown(b, 64, rc->name, rc->name_len), "", "",
                             "column %zu (\"%s\") has a value map but feeds no field%s: rename it to one", i + 1,
                             shown(a, sizeof a, rc->name, rc->name_len),
                             col_field[i] == -2 ? " (it is the id)" : "");
        for (k = 0; k < rc->nval; k++) {
            const sarx__rvalue *m = &rc->val[k];
            int rc2;
            if (!m->to_len)
                continue; /* to missing */
            sarx_subject_clear(s);
            /* (with '.' for the decimal mark, as the rows read it: a map's
            ** numbers are the map file's, a JSON number's text is 150.5) */
            if ((rc2 = sarx__subject_set_text_at(s, col_field[i], col_alias[i], m->to, m->to_len,
                                                 tflags & ~(unsigned)SARX_TEXT_DECIMAL_COMMA, err)) != SARX_OK) {
                if (err) { /* the field's own message, after the column and the map */
                    sarx_error e = *err;
                    sarx__err(err, rc2, e.field, e.value, e.allowed, "column \"%s\": value map \"%s\" -> \"%s\": %s",
                              shown(a, sizeof a, rc->name, rc->name_len), shown(b, 50, m->from, m->from_len),
                              shown(b + 50, 50, m->to, m->to_len), e.message);
                }
                return rc2;
            }
        }
    }
    return SARX_OK;
}

/* What a cell says before its column reads it (docs/FILES.md): 0 when it is
** missing (the empty cell, a missing-value code, a value mapped to
** missing), else *t and *len the text to read: 2 and the value it is
** mapped to (which the caller reads as it is, with '.' for the decimal
** mark: never through the map or the codes again), or 1 and the cell.  In this order: the column's value map,
** the text codes, then the number codes, by value (72 and 72.0 alike): in
** a number column always, in a word column only when the cell is not one of
** the column's own values (a true/false column's "0" stays false), so a
** code never rejects a row.  The cell is compared trimmed, after the
** spreadsheet guard (sarx_csv_guarded), as the subject's parser takes it. */
int sarx__readopts_cell(const sarx_readopts *ro, const sarx__rcol *rc, const sarx_field_info *fi, int number,
                        const char **t, size_t *len, char sep)
{
    const char *s = *t;
    size_t n = *len;
    const sarx__rvalue *m;
    double v;
    while (n && sarx__space((unsigned char)*s))
        s++, n--;
    while (n && sarx__space((unsigned char)s[n - 1]))
        n--;
    if (n && *s == '\'' && sarx_csv_guarded(s, n)) {
        s++, n--;
        while (n && sarx__space((unsigned char)*s))
            s++, n--;
    }
    if (n == 0)
        return 0;
    if ((m = sarx__readopts_value_of(rc, s, n)) != NULL) {
        *t = m->to;
        *len = m->to_len;
        return m->to_len ? 2 : 0;
    }
    if (sarx__readopts_na_text(ro, s, n))
        return 0;
    if (ro->nnum &&
        (number || !sarx__text_code(fi, s, n, &v)) &&
        sarx__parse_number(s, n, sep == ',', &v) == SARX_OK && sarx__readopts_na_number(ro, v))
        return 0;
    return 1;
}

int sarx__readopts_na_text(const sarx_readopts *o, const char *t, size_t len)
{
    size_t i;
    for (i = 0; i < o->nna; i++)
        if (same_nocase(o->na[i], o->na_len[i], t, len))
            return 1;
    return 0;
}

int sarx__readopts_na_number(const sarx_readopts *o, double v)
{
    size_t i;
    for (i = 0; i < o->nnum; i++)
        if (o->na_num[i] == v)
            return 1;
    return 0;
}

const sarx__rvalue *sarx__readopts_value_of(const sarx__rcol *rc, const char *t, size_t len)
{
    size_t k;
    return rc && rc->nval && find_sorted(rc, rc->nval, t, len, &k) ? &rc->val[k] : NULL;
}
