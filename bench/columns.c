/*
** columns.c — sarx_cohort_columns (typed columns in memory, as the R and
** Python packages give a data frame) against the text path of sarx cohort
** (sarx_cohort_add + sarx_cohort_classify over the same rows' cells in
** memory), every definition, one core.  The rows come from `sarx synth N
** --seed 42`, parsed outside the timing; the two are timed in turns
** (text, columns, text, ...) and the best round of each is reported, with
** rows/s and the ratio columns / text.  Both must give the same summary.
**   build/bench/columns SARX_BINARY [N] [ROUNDS]
*/
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sarx.h"

#include "clock.h"

/* This thread's processor time: on a machine shared with other work, the
** fairer measure of what each path costs (wall time is printed too). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct data {
    char *buf, *end;
    size_t ncol, nrow;
    char **head;
    size_t *hlen;
    char **cell; /* [row * ncol + col], in buf */
    size_t *len;
    sarx_column *cols;
    void **mem;
} data;

static char *run_out(const char *cmd, size_t *n)
{
    FILE *p = popen(cmd, "r");
    char *buf = NULL;
    size_t cap = 0, k;
    *n = 0;
    if (!p)
        return NULL;
    for (;;) {
        if (*n + (1u << 20) + 1 > cap && !(buf = realloc(buf, cap = 2 * cap + (1u << 20) + 1)))
            exit(1);
        if (!(k = fread(buf + *n, 1, cap - *n - 1, p)))
            break;
        *n += k;
    }
    pclose(p);
    return buf;
}

static int missing(const char *s) { return !*s || strcmp(s, "NA") == 0; }

/* The cells, and the typed columns a data frame would hold: numbers as
** double, integer fields as int32 (NA INT_MIN), bools as bytes (NA 2), the
** rest as text. */
static int load(data *d, const char *sarx, long n)
{
    char cmd[1024], **f;
    size_t len, *l, nf, j, r, cap = 0;
    sarx_csv *csv;
    sarx_error e;
    int rc;
    snprintf(cmd, sizeof cmd, "'%s' synth %ld --seed 42 --quiet", sarx, n);
    if (!(d->buf = run_out(cmd, &len)) || sarx_csv_new_buffer(&csv, d->buf, len, ',', 0) != SARX_OK)
        return -1;
    d->end = d->buf + len;
    if (sarx_csv_next(csv, &f, &l, &nf, &e) != 1)
        return -1;
    d->ncol = nf;
    d->head = malloc(nf * sizeof *d->head);
    d->hlen = malloc(nf * sizeof *d->hlen);
    for (j = 0; j < nf; j++) {
        d->head[j] = f[j];
        d->hlen[j] = l[j];
    }
    while ((rc = sarx_csv_next(csv, &f, &l, &nf, &e)) != 0) {
        if (rc < 0 || nf != d->ncol)
            continue;
        if (d->nrow == cap) {
            cap = cap ? 2 * cap : 4096;
            d->cell = realloc(d->cell, cap * d->ncol * sizeof *d->cell);
            d->len = realloc(d->len, cap * d->ncol * sizeof *d->len);
            if (!d->cell || !d->len)
                return -1;
        }
        memcpy(d->cell + d->nrow * d->ncol, f, d->ncol * sizeof *f);
        memcpy(d->len + d->nrow * d->ncol, l, d->ncol * sizeof *l);
        d->nrow++;
    }
    sarx_csv_free(csv);
    d->cols = calloc(d->ncol, sizeof *d->cols);
    d->mem = calloc(d->ncol, sizeof *d->mem);
    for (j = 0; j < d->ncol; j++) {
        const sarx_field_info *fi = sarx_field_find(d->head[j]);
        int kind = fi ? fi->kind : -1;
        sarx_column *c = &d->cols[j];
        if (kind == SARX_KIND_NUMBER) {
            double *v = malloc(d->nrow * sizeof *v);
            for (r = 0; r < d->nrow; r++) {
                const char *s = d->cell[r * d->ncol + j];
                v[r] = missing(s) ? NAN : strtod(s, NULL);
            }
            c->type = SARX_COLUMN_DOUBLE;
            d->mem[j] = v;
        } else if (kind == SARX_KIND_INTEGER) {
            int32_t *v = malloc(d->nrow * sizeof *v);
            for (r = 0; r < d->nrow; r++) {
                const char *s = d->cell[r * d->ncol + j];
                v[r] = missing(s) ? INT_MIN : (int32_t)strtol(s, NULL, 10);
            }
            c->type = SARX_COLUMN_INT32;
            c->has_na = 1;
            c->na = INT_MIN;
            d->mem[j] = v;
        } else if (kind == SARX_KIND_BOOL) {
            uint8_t *v = malloc(d->nrow);
            for (r = 0; r < d->nrow; r++) {
                const char *s = d->cell[r * d->ncol + j];
                v[r] = missing(s) ? 2 : strcmp(s, "true") == 0;
            }
            c->type = SARX_COLUMN_BOOL8;
            c->has_na = 1;
            c->na = 2;
            d->mem[j] = v;
        } else {
            const char **v = malloc(d->nrow * sizeof *v);
            for (r = 0; r < d->nrow; r++)
                v[r] = missing(d->cell[r * d->ncol + j]) ? NULL : d->cell[r * d->ncol + j];
            c->type = SARX_COLUMN_TEXT;
            d->mem[j] = (void *)v;
        }
        c->data = d->mem[j];
    }
    return 0;
}

static double run_text(const sarx_ctx *ctx, const data *d, sarx_class *out, char **summary, double *wall)
{
    sarx_cohort *c;
    double t0 = cpu_now(), w0 = now();
    size_t r, nd = sarx_definition_count(ctx), at = 0;
    if (sarx_cohort_new(ctx, d->head, d->hlen, d->ncol, 0, &c, NULL) != SARX_OK)
        exit(1);
    sarx_cohort_readable(c, d->end);
    for (r = 0; r < d->nrow; r++) {
        sarx_cohort_add(c, d->cell + r * d->ncol, d->len + r * d->ncol, d->ncol, NULL);
        if (r + 1 - at == SARX_COHORT_BATCH || r + 1 == d->nrow) {
            sarx_cohort_classify(c, out + at * nd, NULL, NULL);
            at = r + 1;
        }
    }
    t0 = cpu_now() - t0;
    *wall = now() - w0;
    *summary = sarx_cohort_summary_json(c);
    sarx_cohort_free(c);
    return t0;
}

static double run_cols(const sarx_ctx *ctx, const data *d, sarx_class *out, char **summary, double *wall)
{
    sarx_cohort *c;
    double t0 = cpu_now(), w0 = now();
    if (sarx_cohort_new(ctx, d->head, d->hlen, d->ncol, 0, &c, NULL) != SARX_OK ||
        sarx_cohort_columns(c, d->cols, d->ncol, 0, d->nrow, out, NULL, NULL, NULL, NULL) < 0)
        exit(1);
    t0 = cpu_now() - t0;
    *wall = now() - w0;
    *summary = sarx_cohort_summary_json(c);
    sarx_cohort_free(c);
    return t0;
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx;
    data d;
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    int rounds = argc > 3 ? atoi(argv[3]) : 5, k;
    double best_t = 1e30, best_c = 1e30, wbest_t = 1e30, wbest_c = 1e30;
    sarx_class *out;
    size_t nd;
    if (argc < 2) {
        fprintf(stderr, "usage: columns SARX_BINARY [N] [ROUNDS]\n");
        return 2;
    }
    memset(&d, 0, sizeof d);
    if (sarx_ctx_new(&ctx, NULL) != SARX_OK || load(&d, argv[1], n) != 0) {
        fprintf(stderr, "columns: cannot make the rows\n");
        return 1;
    }
    nd = sarx_definition_count(ctx);
    if (!(out = malloc(d.nrow * nd * sizeof *out)))
        return 1;
    for (k = 0; k < rounds; k++) {
        char *st, *sc;
        double wt, wc, t = run_text(ctx, &d, out, &st, &wt), c = run_cols(ctx, &d, out, &sc, &wc);
        if (!st || !sc || strcmp(st, sc) != 0) {
            fprintf(stderr, "columns: the two summaries differ\n");
            return 1;
        }
        sarx_free(st);
        sarx_free(sc);
        best_t = t < best_t ? t : best_t;
        best_c = c < best_c ? c : best_c;
        wbest_t = wt < wbest_t ? wt : wbest_t;
        wbest_c = wc < wbest_c ? wc : wbest_c;
        printf("round %d: text %.3f s, columns %.3f s (processor time; wall %.3f s, %.3f s)\n", k + 1, t, c, wt, wc);
    }
    printf("%zu rows x %zu definitions, best of %d rounds (alternated), one thread\n", d.nrow, nd, rounds);
    printf("text rows (sarx_cohort_add):         %.3f s %10.0f rows/s (wall %.3f s)\n", best_t,
           (double)d.nrow / best_t, wbest_t);
    printf("typed columns (sarx_cohort_columns): %.3f s %10.0f rows/s (wall %.3f s)\n", best_c,
           (double)d.nrow / best_c, wbest_c);
    printf("speed ratio columns / text:          %.2fx (wall %.2fx)\n", best_t / best_c, wbest_t / wbest_c);
    return 0;
}
