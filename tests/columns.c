/*
** columns.c — sarx_cohort_columns (a table given column by column) against
** the text rows of sarx cohort: the same classes, the same rejected rows
** with the same errors, the same summary byte for byte; every column type,
** strides, missing-value markers, value maps, day counts, block-wise calls
** and the counts JSON round trip (tests/counts.c: the counts' checks;
** tests/columns_vectors.c: every vector file's categories).
**
** usage: columns SARX_BINARY
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "sarx.h"

/* ---- a table of text cells ------------------------------------------- */

typedef struct table {
    size_t ncol, nrow;
    char **head;
    size_t *hlen;
    char ***cell; /* [row][col], NUL-terminated */
    size_t **len;
} table;

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        abort();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static void table_free(table *t)
{
    size_t r, j;
    for (j = 0; j < t->ncol; j++)
        free(t->head[j]);
    for (r = 0; r < t->nrow; r++) {
        for (j = 0; j < t->ncol; j++)
            free(t->cell[r][j]);
        free(t->cell[r]);
        free(t->len[r]);
    }
    free(t->head);
    free(t->hlen);
    free(t->cell);
    free(t->len);
    memset(t, 0, sizeof *t);
}

static void table_add(table *t, char *const *f, const size_t *l)
{
    size_t j;
    t->cell = realloc(t->cell, (t->nrow + 1) * sizeof *t->cell);
    t->len = realloc(t->len, (t->nrow + 1) * sizeof *t->len);
    if (!t->cell || !t->len)
        abort();
    t->cell[t->nrow] = malloc(t->ncol * sizeof **t->cell);
    t->len[t->nrow] = malloc(t->ncol * sizeof **t->len);
    for (j = 0; j < t->ncol; j++) {
        t->cell[t->nrow][j] = dup_n(f[j], l[j]);
        t->len[t->nrow][j] = l[j];
    }
    t->nrow++;
}

/* A CSV text as a table; records of another field count are left out. */
static int table_read(table *t, const char *text, size_t n)
{
    char *copy = dup_n(text, n), **f;
    size_t *l, nf, j;
    sarx_csv *csv;
    sarx_error e;
    int rc, first = 1;
    memset(t, 0, sizeof *t);
    if (sarx_csv_new_buffer(&csv, copy, n, ',', 0) != SARX_OK)
        return free(copy), -1;
    while ((rc = sarx_csv_next(csv, &f, &l, &nf, &e)) != 0) {
        if (rc < 0)
            continue;
        if (first) {
            t->ncol = nf;
            t->head = malloc(nf * sizeof *t->head);
            t->hlen = malloc(nf * sizeof *t->hlen);
            for (j = 0; j < nf; j++) {
                t->head[j] = dup_n(f[j], l[j]);
                t->hlen[j] = l[j];
            }
            first = 0;
        } else if (nf == t->ncol)
            table_add(t, f, l);
    }
    sarx_csv_free(csv);
    free(copy);
    return 0;
}

static char *run_out(const char *cmd, size_t *n)
{
    FILE *p = popen(cmd, "r");
    char *buf = NULL;
    size_t cap = 0, k;
    *n = 0;
    if (!p)
        return NULL;
    for (;;) {
        if (*n + 65536 > cap && !(buf = realloc(buf, cap = 2 * cap + 65536)))
            abort();
        if (!(k = fread(buf + *n, 1, cap - *n, p)))
            break;
        *n += k;
    }
    pclose(p);
    return buf;
}

/* ---- the two ways in --------------------------------------------------- */

typedef struct result {
    sarx_cohort *c;
    sarx_class *cls; /* [row * nd + d] */
    unsigned char *ok;
    char **msg; /* a rejected row's error: "code field value: message" */
    long rejected;
    size_t nrow;
} result;

static void result_free(result *r)
{
    size_t i;
    sarx_cohort_free(r->c);
    for (i = 0; r->msg && i < r->nrow; i++)
        free(r->msg[i]);
    free(r->msg);
    free(r->cls);
    free(r->ok);
    memset(r, 0, sizeof *r);
}

static char *err_text(const sarx_error *e)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%d %s %s [%s]: %s", e->code, e->field, e->value, e->allowed, e->message);
    return dup_n(buf, strlen(buf));
}

static void result_init(result *r, const sarx_ctx *ctx, size_t nrow)
{
    size_t nd = sarx_definition_count(ctx);
    memset(r, 0, sizeof *r);
    r->nrow = nrow;
    r->cls = calloc(nrow * nd + 1, sizeof *r->cls);
    r->ok = calloc(nrow + 1, 1);
    r->msg = calloc(nrow + 1, sizeof *r->msg);
}

static int make_cohort(const sarx_ctx *ctx, const table *t, unsigned flags, const sarx_readopts *o, sarx_cohort **c)
{
    sarx_error e;
    int rc = sarx_cohort_new_ex(ctx, t->head, t->hlen, t->ncol, flags, o, c, &e);
    if (rc != SARX_OK)
        fprintf(stderr, "cohort: %s\n", e.message);
    return rc;
}

/* The text rows: sarx_cohort_add and sarx_cohort_classify, SARX_COHORT_BATCH at a time. */
static void run_text(const sarx_ctx *ctx, const table *t, unsigned flags, const sarx_readopts *o, result *r)
{
    size_t nd = sarx_definition_count(ctx), row = 0, k;
    sarx_error errs[SARX_COHORT_BATCH];
    result_init(r, ctx, t->nrow);
    if (make_cohort(ctx, t, flags, o, &r->c) != SARX_OK)
        return;
    while (row < t->nrow) {
        size_t at = row, n;
        while (row < t->nrow && row - at < SARX_COHORT_BATCH) {
            sarx_error e;
            CHECK(sarx_cohort_add(r->c, t->cell[row], t->len[row], t->ncol, &e) == SARX_OK);
            row++;
        }
        n = sarx_cohort_classify(r->c, r->cls + at * nd, r->ok + at, errs);
        CHECK(n == row - at);
        for (k = 0; k < n; k++)
            if (!r->ok[at + k]) {
                r->msg[at + k] = err_text(&errs[k]);
                r->rejected++;
            }
    }
}

typedef struct errs_seen {
    result *r;
    size_t first; /* the row given for table row 0 */
    long calls;
} errs_seen;

static void on_err(void *arg, size_t row, const sarx_error *e)
{
    errs_seen *s = arg;
    s->calls++;
    if (row < s->first || row - s->first >= s->r->nrow) {
        h_fail++;
        fprintf(stderr, "FAIL: on_error for row %zu out of the call's rows\n", row);
        return;
    }
    free(s->r->msg[row - s->first]);
    s->r->msg[row - s->first] = err_text(e);
}

/* The columns, block rows a call; the rows numbered from first (the
** columns' data pointing first rows before the table's row 0). */
static void run_cols(const sarx_ctx *ctx, const table *t, const sarx_column *cols, size_t first, unsigned flags,
                     const sarx_readopts *o, size_t block, result *r)
{
    size_t nd = sarx_definition_count(ctx), at;
    errs_seen s;
    sarx_error e;
    result_init(r, ctx, t->nrow);
    if (make_cohort(ctx, t, flags, o, &r->c) != SARX_OK)
        return;
    s.r = r;
    s.first = first;
    s.calls = 0;
    for (at = 0; at < t->nrow; at += block) {
        size_t n = t->nrow - at < block ? t->nrow - at : block;
        long rej = sarx_cohort_columns(r->c, cols, t->ncol, first + at, n, r->cls + at * nd, r->ok + at, on_err, &s,
                                       &e);
        CHECK(rej >= 0);
        if (rej < 0) {
            fprintf(stderr, "columns: %s\n", e.message);
            return;
        }
        r->rejected += rej;
    }
    CHECK_INT(s.calls, r->rejected);
}

/* Two results the same: classes of the classified rows, which rows, their
** errors, the counts and the summary byte for byte. */
/* The table whose rows a failure of same() shows (NULL: none). */
static const table *shown_table;
static void same(const sarx_ctx *ctx, const result *a, const result *b, const char *what)
{
    size_t nd = sarx_definition_count(ctx), i, d, bad = 0;
    char *ja, *jb;
    CHECK(a->c && b->c);
    if (!a->c || !b->c)
        return;
    CHECK_INT(a->rejected, b->rejected);
    CHECK_INT(sarx_cohort_rows(a->c), sarx_cohort_rows(b->c));
    CHECK_INT(sarx_cohort_rejected(a->c), sarx_cohort_rejected(b->c));
    for (i = 0; i < a->nrow && bad < 5; i++) {
        if (a->ok[i] != b->ok[i]) {
            fprintf(stderr, "FAIL %s: row %zu ok %d vs %d (%s | %s)\n", what, i, a->ok[i], b->ok[i],
                    a->msg[i] ? a->msg[i] : "-", b->msg[i] ? b->msg[i] : "-");
            bad++;
            continue;
        }
        if (!a->ok[i]) {
            if (!a->msg[i] || !b->msg[i] || strcmp(a->msg[i], b->msg[i]) != 0) {
                fprintf(stderr, "FAIL %s: row %zu error\n  %s\n  %s\n", what, i, a->msg[i] ? a->msg[i] : "-",
                        b->msg[i] ? b->msg[i] : "-");
                bad++;
            }
            continue;
        }
        for (d = 0; d < nd; d++)
            if (a->cls[i * nd + d].category != b->cls[i * nd + d].category ||
                a->cls[i * nd + d].complete != b->cls[i * nd + d].complete) {
                fprintf(stderr, "FAIL %s: row %zu definition %s differs: %d/%d vs %d/%d\n", what, i,
                        sarx_definition_id(sarx_definition_at(ctx, d)), a->cls[i * nd + d].category,
                        a->cls[i * nd + d].complete, b->cls[i * nd + d].category, b->cls[i * nd + d].complete);
                if (shown_table) {
                    size_t j;
                    for (j = 0; j < shown_table->ncol; j++)
                        if (*shown_table->cell[i][j])
                            fprintf(stderr, " %s=%s", shown_table->head[j], shown_table->cell[i][j]);
                    fprintf(stderr, "\n");
                }
                bad++;
                break;
            }
    }
    if (bad)
        h_fail++;
    else
        h_pass++;
    ja = sarx_cohort_summary_json(a->c);
    jb = sarx_cohort_summary_json(b->c);
    CHECK(ja && jb && strcmp(ja, jb) == 0);
    if (ja && jb && strcmp(ja, jb) != 0)
        fprintf(stderr, "FAIL %s: summaries differ\n", what);
    sarx_free(ja);
    sarx_free(jb);
}

/* ---- typed columns from a table ---------------------------------------- */

/* A plain decimal number ("-12.5"), as the typed test data hold them. */
static int plain_number(const char *s)
{
    size_t k = 0, dig = 0;
    if (s[k] == '-')
        k++;
    while (s[k] >= '0' && s[k] <= '9')
        k++, dig++;
    if (s[k] == '.') {
        k++;
        if (!(s[k] >= '0' && s[k] <= '9'))
            return 0;
        while (s[k] >= '0' && s[k] <= '9')
            k++;
    }
    return dig && !s[k];
}

static int na_cell(const char *s)
{
    return !*s || strcmp(s, "NA") == 0;
}

static int field_kind(const char *name)
{
    const sarx_field_info *fi = sarx_field_find(name);
    return fi ? fi->kind : -1;
}

/* A row whose number and bool cells are all plain (or missing). */
static int typable_row(const table *t, size_t r)
{
    size_t j;
    for (j = 0; j < t->ncol; j++) {
        int k = field_kind(t->head[j]);
        const char *s = t->cell[r][j];
        if (na_cell(s))
            continue;
        if ((k == SARX_KIND_NUMBER || k == SARX_KIND_INTEGER) && !plain_number(s))
            return 0;
        if (k == SARX_KIND_BOOL && strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
            return 0;
    }
    return 1;
}

/* The number's text as the columns give it: the shortest that reads back. */
static void canonical(char **cell, size_t *len)
{
    double v = strtod(*cell, NULL);
    char b[64];
    int p;
    for (p = 15; p <= 17; p++) {
        if (v == (double)(long long)v && fabs(v) < 1e15)
            snprintf(b, sizeof b, "%lld", (long long)v);
        else
            snprintf(b, sizeof b, "%.*g", p, v);
        if (strtod(b, NULL) == v)
            break;
    }
    if (v == 0 && (*cell)[0] == '-')
        snprintf(b, sizeof b, "-0");
    free(*cell);
    *cell = dup_n(b, strlen(b));
    *len = strlen(b);
}

/* The rows of t that typed columns can hold, numbers in their canonical text. */
static void typable(const table *t, table *out)
{
    size_t r, j;
    memset(out, 0, sizeof *out);
    out->ncol = t->ncol;
    out->head = malloc(t->ncol * sizeof *out->head);
    out->hlen = malloc(t->ncol * sizeof *out->hlen);
    for (j = 0; j < t->ncol; j++) {
        out->head[j] = dup_n(t->head[j], t->hlen[j]);
        out->hlen[j] = t->hlen[j];
    }
    for (r = 0; r < t->nrow; r++)
        if (typable_row(t, r)) {
            table_add(out, t->cell[r], t->len[r]);
            for (j = 0; j < t->ncol; j++) {
                int k = field_kind(t->head[j]);
                if ((k == SARX_KIND_NUMBER || k == SARX_KIND_INTEGER) && !na_cell(t->cell[r][j]))
                    canonical(&out->cell[out->nrow - 1][j], &out->len[out->nrow - 1][j]);
            }
        }
}

/* How typed_columns stores numbers. */
enum { AS_DOUBLE, AS_FLOAT, AS_STRIDED, AS_INT64 };

typedef struct typed {
    sarx_column *cols;
    void **mem, **lmem;
    size_t ncol;
} typed;

static void typed_free(typed *ty)
{
    size_t j;
    for (j = 0; j < ty->ncol; j++) {
        free(ty->mem[j]);
        free(ty->lmem[j]);
    }
    free(ty->mem);
    free(ty->lmem);
    free(ty->cols);
}

/* Columns over t's rows as rows first .. first + nrow - 1 (rows before
** first hold values never read): numbers as `how`, integer fields as INT32
** (NA INT_MIN) or INT64 (NA -1), bools as BOOL8 (NA 2), the rest as text. */
static void typed_columns(const table *t, int how, size_t first, typed *ty)
{
    size_t j, r, n = first + t->nrow + 1;
    ty->ncol = t->ncol;
    ty->cols = calloc(t->ncol + 1, sizeof *ty->cols);
    ty->mem = calloc(t->ncol + 1, sizeof *ty->mem);
    ty->lmem = calloc(t->ncol + 1, sizeof *ty->lmem);
    for (j = 0; j < t->ncol; j++) {
        sarx_column *c = &ty->cols[j];
        int k = field_kind(t->head[j]);
        if (k == SARX_KIND_INTEGER && how != AS_INT64) {
            int32_t *v = calloc(n, sizeof *v);
            for (r = 0; r < t->nrow; r++)
                v[first + r] = na_cell(t->cell[r][j]) ? INT_MIN : (int32_t)strtol(t->cell[r][j], NULL, 10);
            c->type = SARX_COLUMN_INT32;
            c->has_na = 1;
            c->na = INT_MIN;
            ty->mem[j] = v;
        } else if (k == SARX_KIND_INTEGER) {
            int64_t *v = calloc(n, sizeof *v);
            for (r = 0; r < t->nrow; r++)
                v[first + r] = na_cell(t->cell[r][j]) ? -1 : (int64_t)strtoll(t->cell[r][j], NULL, 10);
            c->type = SARX_COLUMN_INT64;
            c->has_na = 1;
            c->na = -1;
            ty->mem[j] = v;
        } else if (k == SARX_KIND_NUMBER && how == AS_FLOAT) {
            float *v = calloc(n, sizeof *v);
            for (r = 0; r < t->nrow; r++)
                v[first + r] = na_cell(t->cell[r][j]) ? NAN : strtof(t->cell[r][j], NULL);
            c->type = SARX_COLUMN_FLOAT;
            ty->mem[j] = v;
        } else if (k == SARX_KIND_NUMBER && how == AS_STRIDED) { /* rows of {double, pad, pad} */
            double *v = calloc(3 * n, sizeof *v);
            for (r = 0; r < t->nrow; r++) {
                v[3 * (first + r)] = na_cell(t->cell[r][j]) ? NAN : strtod(t->cell[r][j], NULL);
                v[3 * (first + r) + 1] = v[3 * (first + r) + 2] = 12345; /* never read */
            }
            c->type = SARX_COLUMN_DOUBLE;
            c->stride = 3 * sizeof(double);
            ty->mem[j] = v;
        } else if (k == SARX_KIND_NUMBER) {
            double *v = calloc(n, sizeof *v);
            for (r = 0; r < t->nrow; r++)
                v[first + r] = na_cell(t->cell[r][j]) ? NAN : strtod(t->cell[r][j], NULL);
            c->type = SARX_COLUMN_DOUBLE;
            ty->mem[j] = v;
        } else if (k == SARX_KIND_BOOL) {
            uint8_t *v = calloc(n, 1);
            for (r = 0; r < t->nrow; r++)
                v[first + r] = na_cell(t->cell[r][j]) ? 2 : strcmp(t->cell[r][j], "true") == 0;
            c->type = SARX_COLUMN_BOOL8;
            c->has_na = 1;
            c->na = 2;
            ty->mem[j] = v;
        } else {
            const char **v = calloc(n, sizeof *v);
            size_t *l = calloc(n, sizeof *l);
            for (r = 0; r < t->nrow; r++) {
                v[first + r] = t->cell[r][j];
                l[first + r] = t->len[r][j];
            }
            c->type = SARX_COLUMN_TEXT;
            c->lens = j % 2 ? l : NULL; /* (NUL-terminated too: both forms) */
            ty->mem[j] = (void *)v;
            ty->lmem[j] = l;
        }
        c->data = ty->mem[j];
    }
}

/* ---- synth cohorts ----------------------------------------------------- */

static void test_synth(const sarx_ctx *ctx, const char *sarx)
{
    char cmd[1024], *csv;
    size_t n, first = 3;
    table all, ty;
    result a, b;
    typed cols;
    int how;
    snprintf(cmd, sizeof cmd, "'%s' synth 3000 --seed 7 --bad 0.05 --quiet", sarx);
    csv = run_out(cmd, &n);
    CHECK(csv && n > 1000);
    if (!csv || table_read(&all, csv, n) != 0)
        return;
    free(csv);
    CHECK(all.nrow > 2800);
    /* every column as text: the cells of the file, bad ones included */
    typed_columns(&all, -1, 0, &cols);
    {
        size_t j;
        for (j = 0; j < all.ncol; j++)
            if (cols.cols[j].type != SARX_COLUMN_TEXT) { /* text all through */
                size_t r;
                const char **v = calloc(all.nrow + 1, sizeof *v);
                for (r = 0; r < all.nrow; r++)
                    v[r] = all.cell[r][j];
                free(cols.mem[j]);
                cols.mem[j] = (void *)v;
                memset(&cols.cols[j], 0, sizeof cols.cols[j]);
                cols.cols[j].type = SARX_COLUMN_TEXT;
                cols.cols[j].data = v;
            }
    }
    run_text(ctx, &all, 0, NULL, &a);
    CHECK(a.rejected > 50);
    run_cols(ctx, &all, cols.cols, 0, 0, NULL, 1000, &b);
    same(ctx, &a, &b, "synth, text columns");
    result_free(&b);
    result_free(&a);
    typed_free(&cols);
    /* typed: the rows whose numbers and bools are plain */
    typable(&all, &ty);
    CHECK(ty.nrow > 2700);
    run_text(ctx, &ty, 0, NULL, &a);
    shown_table = &ty;
    CHECK(a.rejected > 20); /* out of range, unknown sex */
    for (how = AS_DOUBLE; how <= AS_INT64; how++) {
        static const char *const names[] = {"synth, double", "synth, float", "synth, strided", "synth, int64"};
        static const size_t blocks[] = {100000, 1, 256, 97};
        typed_columns(&ty, how, first, &cols);
        run_cols(ctx, &ty, cols.cols, first, 0, NULL, blocks[how], &b);
        same(ctx, &a, &b, names[how]);
        result_free(&b);
        typed_free(&cols);
    }
    result_free(&a);
    shown_table = NULL;
    table_free(&ty);
    table_free(&all);
}

/* ---- options: value maps, missing-value codes, day counts ------------ */

static void add_row(table *t, const char *const *v)
{
    char *f[16];
    size_t l[16], j;
    for (j = 0; j < t->ncol; j++) {
        f[j] = (char *)(uintptr_t)v[j];
        l[j] = strlen(v[j]);
    }
    table_add(t, f, l);
}

static void new_table(table *t, const char *const *head, size_t n)
{
    size_t j;
    memset(t, 0, sizeof *t);
    t->ncol = n;
    t->head = malloc(n * sizeof *t->head);
    t->hlen = malloc(n * sizeof *t->hlen);
    for (j = 0; j < n; j++) {
        t->head[j] = dup_n(head[j], strlen(head[j]));
        t->hlen[j] = strlen(head[j]);
    }
}

static void test_options(const sarx_ctx *ctx)
{
    static const char *const head[] = {"Geschlecht", "age_years", "weight_lb", "grip_kg", "assessment_date",
                                       "cancer", "conditions", "id", "note"};
    /* the cells of each row as a file has them, and the typed values */
    static const struct {
        const char *cell[9];
        int32_t sex;
        int64_t age;
        double weight, day;
        float grip;
        uint8_t cancer;
    } rows[] = {
        {{"1", "70", "150.5", "20.5", "2024-03-01", "1", "", "a", "x"}, 1, 70, 150.5, 19783, 20.5f, 1},
        {{"2", "81", "-99", "14.2", "2024-02-29", "0", "", "b", "y"}, 2, 81, -99, 19782, 14.2f, 0},
        {{"9", "70", "150", "30", "", "", "", "c", ""}, 9, 70, 150, NAN, 30, 2},        /* sex 9: refused */
        {{"", "", "", "", "", "", "", "", ""}, -1, -7, NAN, NAN, NAN, 2},               /* all missing */
        {{"1", "70", "1000", "30", "2024-03-01", "", "", "e", ""}, 1, 70, 1000, 19783, 30, 2}, /* out of range */
        {{"2", "70.5", "150", "30", "", "", "", "f", ""}, 2, -7, 150, NAN, 30, 2},      /* (age as text below) */
        {{"2", "75", "150", "30", "19783.5", "", "", "g", ""}, 2, 75, 150, 19783.5, 30, 2}, /* half a day */
        {{"1", "75", "150", "30", "1969-12-31", "1", "", "h", ""}, 1, 75, 150, -1, 30, 1},
        {{"1", "75", "150", "-0", "", "", "", "i", ""}, 1, 75, 150, NAN, -0.0f, 2},
        {{"2", "75", "150", "", "", "", "", "j", ""}, 2, 75, 150, NAN, NAN, 2},
    };
    size_t n = sizeof rows / sizeof rows[0], r;
    sarx_readopts *o;
    sarx_error e;
    table t;
    result a, b;
    int32_t sex[16];
    int64_t age[16];
    double weight[16], day[16];
    float grip[16];
    uint8_t cancer[16];
    const char *ages[16], *conds[16], *ids[16];
    sarx_column cols[9];
    CHECK(sarx_readopts_new(&o, &e) == SARX_OK);
    CHECK(sarx_readopts_set_na(o, "NA,-99", &e) == SARX_OK);
    CHECK(sarx_readopts_rename(o, "geschlecht", "sex", &e) == SARX_OK);
    CHECK(sarx_readopts_value(o, "Geschlecht", "1", "male", &e) == SARX_OK);
    CHECK(sarx_readopts_value(o, "Geschlecht", "2", "female", &e) == SARX_OK);
    new_table(&t, head, 9);
    for (r = 0; r < n; r++) {
        add_row(&t, rows[r].cell);
        sex[r] = rows[r].sex;
        age[r] = rows[r].age;
        weight[r] = rows[r].weight;
        day[r] = rows[r].day;
        grip[r] = rows[r].grip;
        cancer[r] = rows[r].cancer;
        ages[r] = rows[r].cell[1];
        conds[r] = r == 0 ? "cancer;copd" : NULL;
        ids[r] = rows[r].cell[7];
    }
    free(t.cell[0][6]);
    t.cell[0][6] = dup_n("cancer;copd", 11);
    t.len[0][6] = 11;
    memset(cols, 0, sizeof cols);
    cols[0] = (sarx_column){SARX_COLUMN_INT32, 0, sex, 0, 1, -1, NULL};
    cols[1] = (sarx_column){SARX_COLUMN_INT64, 0, age, 0, 1, -7, NULL};
    cols[2] = (sarx_column){SARX_COLUMN_DOUBLE, 0, weight, 0, 0, 0, NULL};
    cols[3] = (sarx_column){SARX_COLUMN_FLOAT, 0, grip, 0, 0, 0, NULL};
    cols[4] = (sarx_column){SARX_COLUMN_DOUBLE, SARX_COLUMN_DAYS, day, 0, 0, 0, NULL};
    cols[5] = (sarx_column){SARX_COLUMN_BOOL8, 0, cancer, 0, 1, 2, NULL};
    cols[6] = (sarx_column){SARX_COLUMN_TEXT, 0, conds, 0, 0, 0, NULL};
    cols[7] = (sarx_column){SARX_COLUMN_TEXT, 0, ids, 0, 0, 0, NULL};
    cols[8] = (sarx_column){SARX_COLUMN_NONE, 0, NULL, 0, 0, 0, NULL};
    run_text(ctx, &t, 0, o, &a);
    /* rows 5 (age "70.5" as INT64 -7: missing) differs on purpose: give it as text */
    cols[1].type = SARX_COLUMN_TEXT;
    cols[1].data = ages;
    cols[1].has_na = 0;
    run_cols(ctx, &t, cols, 0, 0, o, 4, &b);
    same(ctx, &a, &b, "options");
    CHECK_INT(a.rejected, 3); /* sex 9, weight 1000 lb, half a day (age 70.5 and grip -0 are fine) */
    CHECK(b.msg[2] && strstr(b.msg[2], "column \"geschlecht\" (sex): \"9\" is not allowed"));
    CHECK(b.msg[4] && strstr(b.msg[4], "value 1000 is out of range (allowed 44.09-771.6 lb)"));
    CHECK(b.msg[6] && strstr(b.msg[6], "\"19783.5\" is not a valid date"));
    CHECK(b.ok[3] == 1); /* all missing: classified, indeterminate */
    {
        size_t nd = sarx_definition_count(ctx), d, indet = 0;
        for (d = 0; d < nd; d++)
            indet += b.cls[3 * nd + d].category == SARX_INDETERMINATE;
        CHECK_INT(indet, nd);
    }
    /* the age as INT64 with its marker: the same as the text but for row 5 */
    result_free(&b);
    cols[1] = (sarx_column){SARX_COLUMN_INT64, 0, age, 0, 1, -7, NULL};
    run_cols(ctx, &t, cols, 0, 0, o, 100, &b);
    CHECK_INT(b.rejected, 3);
    CHECK(b.ok[5] == 1);
    /* one row as a subject, read as the columns read it */
    {
        sarx_subject *s;
        CHECK(sarx_subject_new(&s) == SARX_OK);
        CHECK(sarx_cohort_columns_subject(b.c, cols, 9, 0, s, &e) == SARX_OK);
        CHECK_NEAR(sarx_subject_get(s, "weight_kg"), 150.5 * 0.45359237, 1e-9);
        CHECK(sarx_subject_get(s, "grip_kg") == 20.5); /* the float's shortest decimal */
        CHECK(sarx_subject_get(s, "assessment_date") == 19783);
        CHECK(sarx_subject_get(s, "sex") == 1); /* male, by the value map */
        CHECK(sarx_cohort_columns_subject(b.c, cols, 9, 1, s, &e) == SARX_OK);
        CHECK(isnan(sarx_subject_get(s, "weight_kg"))); /* -99: missing */
        CHECK(sarx_cohort_columns_subject(b.c, cols, 9, 2, s, &e) != SARX_OK);
        CHECK(strstr(e.message, "9") != NULL && e.record == 3);
        CHECK_STR(e.field, "sex");
        sarx_subject_free(s);
    }
    result_free(&a);
    result_free(&b);
    table_free(&t);
    sarx_readopts_free(o);
}

/* ---- integer fields, and the errors' row numbers ------------------------ */

static void on_err_rows(void *arg, size_t row, const sarx_error *e)
{
    char *log = arg;
    size_t n = strlen(log);
    snprintf(log + n, 4096 - n, "%zu %s|", row, e->field);
}

static void test_integers(const sarx_ctx *ctx)
{
    static const char *const head[] = {"sex", "sarc_f", "sppb_score", "age_years"};
    double sf[6] = {7.5, 4, 5, NAN, -1, 3};
    int32_t sppb[6] = {12, 13, INT_MIN, 0, 5, -2147483647};
    int64_t age[6] = {70, 80, INT64_MAX, 90, 65, 70};
    const char *sx[6] = {"male", "F", "m", NULL, "female", "x"};
    sarx_column cols[4] = {{SARX_COLUMN_TEXT, 0, sx, 0, 0, 0, NULL},
                           {SARX_COLUMN_DOUBLE, 0, sf, 0, 0, 0, NULL},
                           {SARX_COLUMN_INT32, 0, sppb, 0, 1, INT_MIN, NULL},
                           {SARX_COLUMN_INT64, 0, age, 0, 0, 0, NULL}};
    char log[4096] = "";
    unsigned char ok[6];
    table t;
    sarx_cohort *c;
    sarx_error e;
    new_table(&t, head, 4);
    CHECK(make_cohort(ctx, &t, 0, NULL, &c) == SARX_OK);
    CHECK_INT(sarx_cohort_columns(c, cols, 4, 0, 6, NULL, ok, on_err_rows, log, &e), 5);
    CHECK_STR(log, "0 sarc_f|1 sppb_score|2 age_years|4 sarc_f|5 sex|");
    CHECK(ok[3] == 1 && ok[0] == 0);
    CHECK_INT(sarx_cohort_rejected(c), 5);
    CHECK_INT(sarx_cohort_rows(c), 1);
    sarx_cohort_free(c);
    table_free(&t);
}

/* ---- calls that cannot run -------------------------------------------- */

static void test_arguments(const sarx_ctx *ctx)
{
    static const char *const head[] = {"sex", "grip_kg"};
    table t;
    sarx_cohort *c;
    sarx_error e;
    double g[2] = {30, 20};
    const char *sx[2] = {"male", "female"};
    sarx_column cols[2] = {{SARX_COLUMN_TEXT, 0, sx, 0, 0, 0, NULL}, {SARX_COLUMN_DOUBLE, 0, g, 0, 0, 0, NULL}};
    char *f[2] = {"male", "30"};
    size_t l[2] = {4, 2};
    new_table(&t, head, 2);
    CHECK(make_cohort(ctx, &t, 0, NULL, &c) == SARX_OK);
    CHECK(sarx_cohort_columns(c, cols, 1, 0, 2, NULL, NULL, NULL, NULL, &e) == -1);
    CHECK(strstr(e.message, "header") != NULL);
    cols[1].type = 42;
    CHECK(sarx_cohort_columns(c, cols, 2, 0, 2, NULL, NULL, NULL, NULL, &e) == -1);
    CHECK(strstr(e.message, "column 2") != NULL);
    cols[1].type = SARX_COLUMN_DOUBLE;
    cols[1].data = NULL;
    CHECK(sarx_cohort_columns(c, cols, 2, 0, 2, NULL, NULL, NULL, NULL, &e) == -1);
    cols[1].data = g;
    CHECK(sarx_cohort_columns(c, cols, 2, SIZE_MAX, 2, NULL, NULL, NULL, NULL, &e) == -1);
    CHECK(sarx_cohort_add(c, f, l, 2, &e) == SARX_OK);
    CHECK(sarx_cohort_columns(c, cols, 2, 0, 2, NULL, NULL, NULL, NULL, &e) == -1);
    CHECK(strstr(e.message, "pending") != NULL);
    CHECK(sarx_cohort_classify(c, NULL, NULL, NULL) == 1);
    CHECK(sarx_cohort_columns(c, cols, 2, 0, 2, NULL, NULL, NULL, NULL, &e) == 0);
    CHECK(sarx_cohort_columns(c, cols, 2, 0, 0, NULL, NULL, NULL, NULL, &e) == 0);
    CHECK(sarx_cohort_columns(NULL, cols, 2, 0, 2, NULL, NULL, NULL, NULL, &e) == -1);
    CHECK_INT(sarx_cohort_rows(c), 3);
    {   /* the subject is cleared first, even when the call cannot run */
        sarx_subject *s;
        CHECK(sarx_subject_new(&s) == SARX_OK);
        CHECK(sarx_cohort_columns_subject(c, cols, 2, 1, s, &e) == SARX_OK);
        CHECK(sarx_subject_get(s, "grip_kg") == 20);
        CHECK(sarx_cohort_columns_subject(c, cols, 1, 0, s, &e) == SARX_EINVAL);
        CHECK(isnan(sarx_subject_get(s, "grip_kg")) && isnan(sarx_subject_get(s, "sex")));
        CHECK(sarx_cohort_columns_subject(c, cols, 2, 0, s, &e) == SARX_OK);
        cols[1].type = 42;
        CHECK(sarx_cohort_columns_subject(c, cols, 2, 0, s, &e) == SARX_EINVAL);
        CHECK(isnan(sarx_subject_get(s, "grip_kg")));
        cols[1].type = SARX_COLUMN_DOUBLE;
        CHECK(sarx_cohort_columns_subject(NULL, cols, 2, 0, s, &e) == SARX_EINVAL);
        sarx_subject_free(s);
    }
    sarx_cohort_free(c);
    table_free(&t);
}

/* ---- counts JSON --------------------------------------------------------- */

static void test_counts(const sarx_ctx *ctx, const char *sarx)
{
    char cmd[1024], *csv, *whole_json, *parts[3], *merged_json;
    size_t n, k;
    table all, ty;
    typed cols;
    sarx_cohort *whole, *part, *into, *other;
    sarx_error e;
    sarx_ctx *sub;
    snprintf(cmd, sizeof cmd, "'%s' synth 2000 --seed 11 --bad 0.03 --quiet", sarx);
    csv = run_out(cmd, &n);
    if (!csv || table_read(&all, csv, n) != 0) {
        h_fail++;
        free(csv);
        return;
    }
    free(csv);
    typable(&all, &ty);
    typed_columns(&ty, AS_DOUBLE, 0, &cols);
    CHECK(make_cohort(ctx, &ty, 0, NULL, &whole) == SARX_OK);
    CHECK(sarx_cohort_columns(whole, cols.cols, ty.ncol, 0, ty.nrow, NULL, NULL, NULL, NULL, &e) > 0);
    for (k = 0; k < 3; k++) {
        size_t lo = ty.nrow * k / 3, hi = ty.nrow * (k + 1) / 3;
        CHECK(sarx_cohort_clone(whole, &part) == SARX_OK);
        CHECK(sarx_cohort_columns(part, cols.cols, ty.ncol, lo, hi - lo, NULL, NULL, NULL, NULL, &e) >= 0);
        parts[k] = sarx_cohort_counts_json(part);
        CHECK(parts[k] != NULL);
        sarx_cohort_free(part);
    }
    CHECK(make_cohort(ctx, &ty, 0, NULL, &into) == SARX_OK);
    for (k = 0; k < 3; k++)
        CHECK(sarx_cohort_merge_counts(into, parts[k], strlen(parts[k]), &e) == SARX_OK);
    whole_json = sarx_cohort_summary_json(whole);
    merged_json = sarx_cohort_summary_json(into);
    CHECK(whole_json && merged_json && strcmp(whole_json, merged_json) == 0);
    sarx_free(merged_json);
    {   /* the counts of the merged cohort are the whole's */
        char *a = sarx_cohort_counts_json(whole), *b = sarx_cohort_counts_json(into);
        CHECK(a && b && strcmp(a, b) == 0);
        sarx_free(a);
        sarx_free(b);
    }
    /* refused: another context, another mapping, other flags, malformed */
    CHECK(sarx_ctx_select(ctx, "ewgsop2,awgs2019", &sub, &e) == SARX_OK);
    CHECK(make_cohort(sub, &ty, 0, NULL, &other) == SARX_OK);
    CHECK(sarx_cohort_merge_counts(other, parts[0], strlen(parts[0]), &e) == SARX_EINVAL);
    CHECK(strstr(e.message, "another context") != NULL);
    sarx_cohort_free(other);
    {
        table t2;
        static const char *const h2[] = {"sex", "age_years"};
        new_table(&t2, h2, 2);
        CHECK(make_cohort(ctx, &t2, 0, NULL, &other) == SARX_OK);
        CHECK(sarx_cohort_merge_counts(other, parts[0], strlen(parts[0]), &e) == SARX_EINVAL);
        CHECK(strstr(e.message, "another header") != NULL);
        sarx_cohort_free(other);
        CHECK(make_cohort(ctx, &ty, SARX_COHORT_DECIMAL_COMMA, NULL, &other) == SARX_OK);
        CHECK(sarx_cohort_merge_counts(other, parts[0], strlen(parts[0]), &e) == SARX_EINVAL);
        CHECK(strstr(e.message, "flags") != NULL);
        sarx_cohort_free(other);
        table_free(&t2);
    }
    {
        static const char *const broken[] = {"", "{", "[]", "{\"sarx_counts\":2}", "{\"sarx_counts\":1,\"x\":1}",
                                             "null", "{\"sarx_counts\":1}"};
        char *mut;
        long before = sarx_cohort_rows(into);
        for (k = 0; k < sizeof broken / sizeof broken[0]; k++) {
            CHECK(sarx_cohort_merge_counts(into, broken[k], strlen(broken[k]), &e) == SARX_EINVAL);
            CHECK(strncmp(e.message, "counts: ", 8) == 0);
        }
        /* a count changed: the rows no longer add up; negative; not whole */
        mut = dup_n(parts[1], strlen(parts[1]));
        {
            char *p = strstr(mut, "\"tally\":[[[0,");
            CHECK(p != NULL);
            if (p) {
                p += strlen("\"tally\":[[[0,");
                *p = *p == '9' ? '8' : (char)(*p + 1);
                CHECK(sarx_cohort_merge_counts(into, mut, strlen(mut), &e) == SARX_EINVAL);
                CHECK(strstr(e.message, "add up") != NULL);
            }
        }
        free(mut);
        mut = dup_n(parts[1], strlen(parts[1]));
        {
            char *p = strstr(mut, "\"rejected\":");
            if (p) {
                p[strlen("\"rejected\":")] = '-';
                CHECK(sarx_cohort_merge_counts(into, mut, strlen(mut), &e) == SARX_EINVAL);
            }
        }
        free(mut);
        CHECK_INT(sarx_cohort_rows(into), before); /* nothing added by a refused text */
    }
    for (k = 0; k < 3; k++)
        sarx_free(parts[k]);
    sarx_free(whole_json);
    sarx_cohort_free(whole);
    sarx_cohort_free(into);
    sarx_ctx_free(sub);
    typed_free(&cols);
    table_free(&ty);
    table_free(&all);
}

/* ---- the example of docs/COLUMNS.md ------------------------------------ */

static long example_errors;
static char example_msg[400];

static void example_on_error(void *arg, size_t row, const sarx_error *err)
{
    (void)arg;
    example_errors++;
    snprintf(example_msg, sizeof example_msg, "row %zu: %s", row + 1, err->message);
}

static void test_example(void)
{
    char *names[] = {"sex", "age_years", "grip_kg", "weight_lb"};
    size_t lens[] = {3, 9, 7, 9};
    const char *sex[] = {"male", "female", NULL};
    int32_t age[] = {81, 77, INT_MIN};      /* INT_MIN: R's NA */
    double grip[] = {22.5, NAN, 30.0};      /* NaN: missing */
    double weight[] = {150.5, 132.0, 1000}; /* pounds; 1000 is out of range */
    sarx_column cols[4] = {
        {SARX_COLUMN_TEXT, 0, sex, 0, 0, 0, NULL},
        {SARX_COLUMN_INT32, 0, age, 0, 1, INT_MIN, NULL},
        {SARX_COLUMN_DOUBLE, 0, grip, 0, 0, 0, NULL},
        {SARX_COLUMN_DOUBLE, 0, weight, 0, 0, 0, NULL},
    };
    sarx_ctx *ctx;
    sarx_cohort *cohort;
    sarx_error err;
    sarx_class out[3 * 64];
    unsigned char ok[3];
    char *summary;
    long rejected;
    CHECK(sarx_ctx_new(&ctx, &err) == SARX_OK && sarx_definition_count(ctx) <= 64);
    CHECK(sarx_cohort_new_ex(ctx, names, lens, 4, 0, NULL, &cohort, &err) == SARX_OK);
    rejected = sarx_cohort_columns(cohort, cols, 4, 0, 3, out, ok, example_on_error, NULL, &err);
    CHECK_INT(rejected, 1);
    CHECK_INT(example_errors, 1);
    CHECK(strncmp(example_msg, "row 3: ", 7) == 0 && strstr(example_msg, "weight_lb") != NULL);
    CHECK(ok[0] == 1 && ok[1] == 1 && ok[2] == 0);
    summary = sarx_cohort_summary_json(cohort);
    CHECK(summary && strstr(summary, "\"rows\": 2,") != NULL && strstr(summary, "\"rejected\": 1,") != NULL);
    sarx_free(summary);
    sarx_cohort_free(cohort);
    sarx_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx;
    sarx_error e;
    if (argc < 2) {
        fprintf(stderr, "usage: columns SARX_BINARY\n");
        return 2;
    }
    if (sarx_ctx_new(&ctx, &e) != SARX_OK) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    test_synth(ctx, argv[1]);
    test_options(ctx);
    test_arguments(ctx);
    test_integers(ctx);
    test_example();
    test_counts(ctx, argv[1]);
    sarx_ctx_free(ctx);
    return h_summary("columns");
}
