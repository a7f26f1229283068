/*
** fuzz_columns.c — libFuzzer target: sarx_cohort_columns (typed columns)
** held to the subject path, to itself called a row at a time, and the
** counts JSON (sarx_cohort_counts_json, sarx_cohort_merge_counts).
**
** Byte 0: bits 0-1 the header (three fixed ones below, the second with
** renames, a value map and number codes; the third with decimal commas),
** bit 7 set: a counts text for sarx_cohort_merge_counts, the rest as it is
** (bit 6 set) or as edits of a real one (each 3 bytes: a position in two,
** the byte put there): any text must be refused with a message, adding
** nothing, or merged (twice: the sums of accepted counts must be accepted
** too), the summaries of the result made (UBSan: no sum overflows), and
** merged counts must write back as counts that merge again to the same.
** Otherwise the rest is the
** columns: per column a type byte (SARX_COLUMN_*, and bit 3 for
** SARX_COLUMN_DAYS), then per row its value: a double (a small number from
** one byte, or its eight bytes), a float, an int32, an int64, a byte, or a
** text (a length byte and its bytes, in a block of exactly its size when
** the lengths are given, so that a byte read past it is an
** AddressSanitizer report; length 255: NULL).  Up to 64 rows, numbered
** from 0, 3, 6 or 9 (byte 0, bits 2-3).  Checks:
**   - one call over all rows == a call per row (classes, ok, errors);
**   - each row as sarx_cohort_columns_subject reads it: refused with the
**     same message, or sarx_classify gives the same classes;
**   - rows = classified + rejected, in the counts;
**   - in one input in about 16: the two cohorts' summaries are the same,
**     and the counts JSON of one merged into a fresh cohort writes back
**     the same, with the same summary.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sarx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXROWS 64
#define MAXCOLS 16

static sarx_ctx *ctx;
static size_t ndefs;

static const char *const headers[3][MAXCOLS] = {
    {"sex", "age_years", "weight_kg", "grip_kg", "gait_speed_m_s", "asm_kg", "height_cm", "sppb_score", "sarc_f",
     "fat_mass_pct", "fat_mass_kg", NULL},
    {"Geschlecht", "age_years", "weight_lb", "grip_lb", "assessment_date", "cancer", "conditions", "id", "note",
     "sarc_f_strength", "sarc_f_assistance", "sarc_f_rise", "sarc_f_climb", "sarc_f_falls", "sarc_f", NULL},
    {"sex", "age_years", "population", "asm_method", "chair_stand_unable", "medications", "ecog", "height_m",
     "amputation", "albumin_g_l", NULL},
};
static sarx_cohort *whole[3], *single[3]; /* one call per input; a call per row */

static void die(const char *what)
{
    fprintf(stderr, "fuzz_columns: %s\n", what);
    abort();
}

static sarx_cohort *make(int h)
{
    char *head[MAXCOLS];
    size_t lens[MAXCOLS], n;
    sarx_readopts *o = NULL;
    sarx_cohort *c;
    sarx_error e;
    for (n = 0; headers[h][n]; n++) {
        head[n] = (char *)(uintptr_t)headers[h][n];
        lens[n] = strlen(headers[h][n]);
    }
    if (h == 1) {
        if (sarx_readopts_new(&o, &e) != SARX_OK || sarx_readopts_set_na(o, "NA,-99,.", &e) != SARX_OK ||
            sarx_readopts_rename(o, "Geschlecht", "sex", &e) != SARX_OK ||
            sarx_readopts_value(o, "Geschlecht", "1", "male", &e) != SARX_OK ||
            sarx_readopts_value(o, "Geschlecht", "2", "female", &e) != SARX_OK ||
            sarx_readopts_value(o, "cancer", "ja", "true", &e) != SARX_OK)
            die(e.message);
    }
    if (sarx_cohort_new_ex(ctx, head, lens, n, h == 2 ? SARX_COHORT_DECIMAL_COMMA : 0, o, &c, &e) != SARX_OK)
        die(e.message);
    sarx_readopts_free(o);
    return c;
}

static size_t ncols(int h)
{
    size_t n = 0;
    while (headers[h][n])
        n++;
    return n;
}

/* The input's bytes, consumed. */
typedef struct in {
    const uint8_t *p;
    size_t n;
} in;

static int take(in *s, void *dst, size_t k)
{
    if (s->n < k)
        return 0;
    memcpy(dst, s->p, k);
    s->p += k;
    s->n -= k;
    return 1;
}

static const double small[] = {0, 1, 2, 0.5, -1, 7.5, 10, 12, 18, 20, 27, 30, 45.5, 60, 70, 80, 0.8, 1.1,
                               100, 150.5, 170, 350, 1e300, -0.0, 19783, 19783.5, 2.5, 3, 16, 5.5, 7, 99};

/* The columns of the input (memory in blocks, freed by the caller). */
typedef struct frame {
    sarx_column col[MAXCOLS];
    void *mem[MAXCOLS];
    size_t *lens[MAXCOLS];
    char *text[MAXCOLS][MAXROWS];
    size_t nrow;
} frame;

static void frame_free(frame *f, size_t nc)
{
    size_t j, r;
    for (j = 0; j < nc; j++) {
        free(f->mem[j]);
        free(f->lens[j]);
        for (r = 0; r < f->nrow; r++)
            free(f->text[j][r]);
    }
}

/* The columns of the input, rows first .. first + nrow - 1 (the values
** before first are zero, never read). */
static void read_frame(in *s, frame *f, size_t nc, size_t first)
{
    size_t j, r, n;
    uint8_t b;
    memset(f, 0, sizeof *f);
    f->nrow = s->n ? 1 + s->p[0] % MAXROWS : 0;
    if (s->n) {
        s->p++;
        s->n--;
    }
    n = first + f->nrow;
    for (j = 0; j < nc; j++) {
        sarx_column *c = &f->col[j];
        uint8_t t = 0;
        take(s, &t, 1);
        c->type = (t & 7) == 7 ? SARX_COLUMN_TEXT : t & 7;
        c->flags = (t & 8) ? SARX_COLUMN_DAYS : 0;
        c->has_na = (t & 16) != 0;
        c->na = (t & 32) ? -99 : 2;
        f->mem[j] = calloc(n ? n : 1, 8);
        c->data = c->type == SARX_COLUMN_NONE ? NULL : f->mem[j];
        if (c->type == SARX_COLUMN_TEXT && (t & 64)) {
            f->lens[j] = calloc(n ? n : 1, sizeof *f->lens[j]);
            c->lens = f->lens[j];
        }
        if (t & 128) /* the stride given, not 0 */
            c->stride = c->type == SARX_COLUMN_FLOAT || c->type == SARX_COLUMN_INT32 ? 4
                        : c->type == SARX_COLUMN_BOOL8                              ? 1
                                                                                    : 8;
        for (r = first; r < n; r++) {
            switch (c->type) {
            case SARX_COLUMN_DOUBLE: {
                double v = NAN;
                if (take(s, &b, 1))
                    v = b < 224 ? (b < 32 ? small[b] : b < 64 ? (double)(b - 32) / 4 : b < 96 ? NAN : b - 96.0)
                                : (take(s, &v, sizeof v), v);
                ((double *)f->mem[j])[r] = v;
                break;
            }
            case SARX_COLUMN_FLOAT: {
                float v = NAN;
                if (take(s, &b, 1))
                    v = b < 224 ? (b < 32 ? (float)small[b] : (float)(b - 32) / 10) : (take(s, &v, sizeof v), v);
                ((float *)f->mem[j])[r] = v;
                break;
            }
            case SARX_COLUMN_INT32: {
                int32_t v = 0;
                if (take(s, &b, 1))
                    v = b < 224 ? (int32_t)b - 99 : (take(s, &v, sizeof v), v);
                ((int32_t *)f->mem[j])[r] = v;
                break;
            }
            case SARX_COLUMN_INT64: {
                int64_t v = 0;
                if (take(s, &b, 1))
                    v = b < 224 ? (int64_t)b - 99 : (take(s, &v, sizeof v), v);
                ((int64_t *)f->mem[j])[r] = v;
                break;
            }
            case SARX_COLUMN_BOOL8: {
                uint8_t v = 0;
                take(s, &v, 1);
                ((uint8_t *)f->mem[j])[r] = v % 4;
                break;
            }
            case SARX_COLUMN_TEXT: {
                uint8_t len = 0;
                char *cell = NULL;
                take(s, &len, 1);
                if (len != 255) {
                    len = (uint8_t)(len % 24);
                    if (len > s->n)
                        len = (uint8_t)s->n;
                    /* exactly len bytes when the lengths are given (1 for none: malloc(0) may be NULL,
                    ** which is missing), else len and a NUL */
                    if (!(cell = malloc(c->lens ? (len ? len : 1) : (size_t)len + 1)))
                        die("out of memory");
                    take(s, cell, len);
                    if (c->lens)
                        f->lens[j][r] = len;
                    else
                        cell[len] = '\0';
                }
                f->text[j][r - first] = cell;
                ((const char **)f->mem[j])[r] = cell;
                break;
            }
            default: break;
            }
        }
    }
}

typedef struct errs {
    char msg[MAXROWS][400];
    int seen[MAXROWS];
    size_t first;
} errs;

static void on_err(void *arg, size_t row, const sarx_error *e)
{
    errs *x = arg;
    if (row < x->first || row - x->first >= MAXROWS || x->seen[row - x->first])
        die("on_error: a row out of the call, or twice");
    x->seen[row - x->first] = 1;
    snprintf(x->msg[row - x->first], sizeof x->msg[0], "%s|%s|%s", e->field, e->value, e->message);
}

static void counts_roundtrip(sarx_cohort *c, int h)
{
    char *a = sarx_cohort_counts_json(c), *b, *sa, *sb;
    sarx_cohort *fresh = make(h);
    sarx_error e;
    if (!a)
        die("counts_json: NULL");
    if (sarx_cohort_merge_counts(fresh, a, strlen(a), &e) != SARX_OK)
        die(e.message);
    b = sarx_cohort_counts_json(fresh);
    sa = sarx_cohort_summary_json(c);
    sb = sarx_cohort_summary_json(fresh);
    if (!b || strcmp(a, b) != 0 || !sa || !sb || strcmp(sa, sb) != 0)
        die("counts: the round trip differs");
    sarx_free(a);
    sarx_free(b);
    sarx_free(sa);
    sarx_free(sb);
    sarx_cohort_free(fresh);
}

/* A counts text to edit: a cohort of header 0 given a few rows. */
static char *base_counts(void)
{
    static char *text;
    if (!text) {
        static const double grip[4] = {20, 35, NAN, 14}, age[4] = {80, 70, 65, 90};
        static const char *const sex[4] = {"male", "female", NULL, "female"};
        sarx_column col[11];
        sarx_cohort *c = make(0);
        sarx_error e;
        memset(col, 0, sizeof col);
        col[0] = (sarx_column){SARX_COLUMN_TEXT, 0, sex, 0, 0, 0, NULL};
        col[1] = (sarx_column){SARX_COLUMN_DOUBLE, 0, age, 0, 0, 0, NULL};
        col[3] = (sarx_column){SARX_COLUMN_DOUBLE, 0, grip, 0, 0, 0, NULL};
        if (sarx_cohort_columns(c, col, ncols(0), 0, 4, NULL, NULL, NULL, NULL, &e) < 0 ||
            !(text = sarx_cohort_counts_json(c)))
            die("base counts");
        sarx_cohort_free(c);
    }
    return text;
}

/* Every summary of c, its figures too: under UBSan, any sum of accepted
** counts that overflows is a finding. */
static void summaries(const sarx_cohort *c)
{
    char *s[5];
    int i;
    s[0] = sarx_cohort_summary_json(c);
    s[1] = sarx_cohort_summary_text(c);
    s[2] = sarx_cohort_summary_text_ex(c, SARX_SUMMARY_WIDE);
    s[3] = sarx_cohort_svg_prevalence(c);
    s[4] = sarx_cohort_svg_agreement(c);
    for (i = 0; i < 5; i++) {
        if (!s[i])
            die("a summary of accepted counts: NULL");
        sarx_free(s[i]);
    }
}

static void merge_text(const uint8_t *p, size_t n)
{
    sarx_cohort *c = make(0), *d;
    sarx_error e;
    char *a, *b = NULL;
    if (sarx_cohort_merge_counts(c, (const char *)p, n, &e) != SARX_OK) {
        if (!e.message[0] || e.code == SARX_OK)
            die("merge_counts refused without a message");
        if (sarx_cohort_rows(c) || sarx_cohort_rejected(c))
            die("a refused counts text added rows");
        summaries(c);
        sarx_cohort_free(c);
        return;
    }
    summaries(c);
    if (sarx_cohort_merge_counts(c, (const char *)p, n, &e) == SARX_OK) /* twice: the sums too */
        summaries(c);
    else if (e.code != SARX_ERANGE)
        die("counts merged once are refused the second time");
    a = sarx_cohort_counts_json(c);
    d = make(0);
    if (!a || sarx_cohort_merge_counts(d, a, strlen(a), &e) != SARX_OK || !(b = sarx_cohort_counts_json(d)) ||
        strcmp(a, b) != 0)
        die("merged counts do not write back");
    sarx_free(a);
    sarx_free(b);
    sarx_cohort_free(c);
    sarx_cohort_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sarx_class out1[MAXROWS * 64], out2[MAXROWS * 64], cls[64];
    static errs e1, e2;
    unsigned char ok1[MAXROWS], ok2[MAXROWS];
    sarx_subject *s;
    sarx_error err;
    frame f;
    in st;
    int h;
    size_t nc, r, d, first;
    long rej, rej2 = 0, rows0, rej0;
    if (!ctx) {
        if (sarx_ctx_new(&ctx, NULL) != SARX_OK)
            die("context");
        ndefs = sarx_definition_count(ctx);
        if (ndefs > 64)
            die("more than 64 definitions");
    }
    if (size < 1)
        return 0;
    if (data[0] & 0x80) {
        if (data[0] & 0x40) /* the bytes as they are */
            merge_text(data + 1, size - 1);
        else { /* edits of a real counts text: each 3 bytes (position, position, byte) replace one */
            const char *b = base_counts();
            size_t len = strlen(b), k;
            char *t = malloc(len);
            if (!t)
                die("out of memory");
            memcpy(t, b, len);
            for (k = 1; k + 3 <= size; k += 3)
                t[((size_t)data[k] << 8 | data[k + 1]) % len] = (char)data[k + 2];
            merge_text((const uint8_t *)t, len);
            free(t);
        }
        return 0;
    }
    h = data[0] % 3;
    if (!whole[h]) {
        whole[h] = make(h);
        single[h] = make(h);
    }
    nc = ncols(h);
    st.p = data + 1;
    st.n = size - 1;
    first = (size_t)(data[0] >> 2 & 3) * 3;
    read_frame(&st, &f, nc, first);
    memset(&e1, 0, sizeof e1);
    memset(&e2, 0, sizeof e2);
    e1.first = e2.first = first;
    rows0 = sarx_cohort_rows(whole[h]);
    rej0 = sarx_cohort_rejected(whole[h]);
    rej = sarx_cohort_columns(whole[h], f.col, nc, first, f.nrow, out1, ok1, on_err, &e1, &err);
    if (rej < 0)
        die(err.message);
    if (sarx_cohort_rows(whole[h]) - rows0 + sarx_cohort_rejected(whole[h]) - rej0 != (long)f.nrow ||
        sarx_cohort_rejected(whole[h]) - rej0 != rej)
        die("rows in != rows classified + rejected");
    for (r = 0; r < f.nrow; r++) {
        long k = sarx_cohort_columns(single[h], f.col, nc, first + r, 1, out2 + r * ndefs, ok2 + r, on_err, &e2,
                                     &err);
        if (k < 0)
            die(err.message);
        rej2 += k;
    }
    if (rej2 != rej)
        die("a call per row rejects other rows");
    if (sarx_subject_new(&s) != SARX_OK)
        die("subject");
    for (r = 0; r < f.nrow; r++) {
        int rc = sarx_cohort_columns_subject(whole[h], f.col, nc, first + r, s, &err);
        if (ok1[r] != ok2[r] || ok1[r] != (rc == SARX_OK) || e1.seen[r] != !ok1[r])
            die("rows differ: ok");
        if (!ok1[r]) {
            char m[400];
            snprintf(m, sizeof m, "%s|%s|%s", err.field, err.value, err.message);
            if (strcmp(e1.msg[r], e2.msg[r]) != 0 || strcmp(e1.msg[r], m) != 0) {
                fprintf(stderr, "%s\n%s\n%s\n", e1.msg[r], e2.msg[r], m);
                die("rows differ: error");
            }
            continue;
        }
        if (sarx_classify(ctx, s, cls, &err) != SARX_OK)
            die(err.message);
        for (d = 0; d < ndefs; d++)
            if (out1[r * ndefs + d].category != out2[r * ndefs + d].category ||
                out1[r * ndefs + d].complete != out2[r * ndefs + d].complete ||
                out1[r * ndefs + d].category != cls[d].category || out1[r * ndefs + d].complete != cls[d].complete) {
                fprintf(stderr, "row %zu definition %s: %d/%d, %d/%d, subject %d/%d\n", r,
                        sarx_definition_id(sarx_definition_at(ctx, d)), out1[r * ndefs + d].category,
                        out1[r * ndefs + d].complete, out2[r * ndefs + d].category, out2[r * ndefs + d].complete,
                        cls[d].category, cls[d].complete);
                die("rows differ: classes");
            }
    }
    sarx_subject_free(s);
    if ((data[0] & 0x60) == 0x60 && size % 4 == 0) { /* one input in about 16: the counts, the summaries */
        char *a = sarx_cohort_summary_json(whole[h]), *b = sarx_cohort_summary_json(single[h]);
        if (!a || !b || strcmp(a, b) != 0)
            die("a call per row counts otherwise");
        sarx_free(a);
        sarx_free(b);
        counts_roundtrip(whole[h], h);
    }
    frame_free(&f, nc);
    return 0;
}
