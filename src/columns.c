/*
** columns.c — a table already in memory, given column by column (an R or
** pandas data frame), classified and counted as `sarx cohort` counts the
** same rows as text (docs/COLUMNS.md).
**
** One reading: the common typed values go straight into the batch's
** columns (a number in range in a number column: what the cell reader
** would store); every other value becomes the text of its file cell (a
** number in its shortest form that reads back as the same double, an
** integer in digits, a day count as YYYY-MM-DD) and goes through the cell
** path of text rows (sarx__cohort_parse_cell, and sarx__cohort_parse_slow
** for the row when a cell is not a common one), which also words the
** errors.  Then the cross-field checks, the batch classifier and the
** counting of text rows (cohort_read.c, cohort_count.c).
*/
#include "cohort_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL 48 /* a number's text: "%.17g" and a sign fit */
#define MEMO 16 /* word columns: the small whole numbers remembered */

enum { V_MISSING, V_NUMBER, V_INT, V_TEXT };

static size_t type_size(int type)
{
    switch (type) {
    case SARX_COLUMN_DOUBLE: return sizeof(double);
    case SARX_COLUMN_FLOAT: return sizeof(float);
    case SARX_COLUMN_INT32: return sizeof(int32_t);
    case SARX_COLUMN_INT64: return sizeof(int64_t);
    case SARX_COLUMN_BOOL8: return sizeof(uint8_t);
    case SARX_COLUMN_TEXT: return sizeof(const char *);
    default: return 0;
    }
}

/* A float as the double its shortest decimal form reads as (70.1f is
** 70.1, not 70.09999847...): what a float column written to a file and read
** back gives.  Fewest decimals first (the nearest with k decimals, r / 10^k
** rounded once: what strtod gives for that text); beyond 1e7 or below 1e-4
** the shortest "%.*g" that reads back as f. */
static double float_value(float f)
{
    double d = f, p = 1, a = fabs(d);
    char b[CELL];
    int k;
    if (!isfinite(d) || d == 0)
        return d;
    if (a < 1e7 && a >= 1e-4)
        for (k = 0; k <= 12; k++, p *= 10) {
            double q = nearbyint(d * p) / p;
            if ((float)q == f)
                return q;
        }
    for (k = 1; k <= 9; k++) {
        double q;
        snprintf(b, sizeof b, "%.*g", k, d);
        q = strtod(b, NULL);
        if ((float)q == f)
            return q;
    }
    return d;
}

/* Row r's value of a column: V_MISSING, V_NUMBER (*v), V_INT (*iv) or
** V_TEXT (*t, *len). */
static int value_of(const sarx_column *col, size_t r, double *v, long long *iv, const char **t, size_t *len)
{
    ptrdiff_t stride = col->stride ? col->stride : (ptrdiff_t)type_size(col->type);
    const char *at;
    if (col->type == SARX_COLUMN_NONE)
        return V_MISSING;
    at = (const char *)col->data + (ptrdiff_t)r * stride;
    switch (col->type) {
    case SARX_COLUMN_DOUBLE: memcpy(v, at, sizeof *v); return isnan(*v) ? V_MISSING : V_NUMBER;
    case SARX_COLUMN_FLOAT: {
        float f;
        memcpy(&f, at, sizeof f);
        if (isnan(f))
            return V_MISSING;
        *v = float_value(f);
        return V_NUMBER;
    }
    case SARX_COLUMN_INT32: {
        int32_t x;
        memcpy(&x, at, sizeof x);
        *iv = x;
        break;
    }
    case SARX_COLUMN_INT64: {
        int64_t x;
        memcpy(&x, at, sizeof x);
        *iv = x;
        break;
    }
    case SARX_COLUMN_BOOL8: {
        uint8_t x;
        memcpy(&x, at, sizeof x);
        *iv = x;
        break;
    }
    case SARX_COLUMN_TEXT:
        memcpy(t, at, sizeof *t);
        if (!*t)
            return V_MISSING;
        *len = col->lens ? col->lens[r] : strlen(*t);
        return V_TEXT;
    default: return V_MISSING;
    }
    if (col->has_na && *iv == col->na)
        return V_MISSING;
    *v = (double)*iv;
    return V_INT;
}

/* An integer in digits; its length. */
static size_t fmt_int(char *b, long long x)
{
    char tmp[24];
    size_t n = 0, k = 0;
    unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
    do
        tmp[n++] = (char)('0' + u % 10);
    while (u /= 10);
    if (x < 0)
        b[k++] = '-';
    while (n)
        b[k++] = tmp[--n];
    b[k] = '\0';
    return k;
}

/* A double in its shortest form that reads back as the same double ("70.5",
** "-0", "1e+300", "inf"), sep its decimal mark; its length. */
static size_t fmt_double(char *b, double v, char sep)
{
    size_t n, k;
    int p;
    if (v == trunc(v) && fabs(v) < 1e15 && !(v == 0 && signbit(v)))
        return fmt_int(b, (long long)v);
    for (p = 15; p <= 17; p++) {
        snprintf(b, CELL, "%.*g", p, v);
        if (strtod(b, NULL) == v || !isfinite(v))
            break;
    }
    n = strlen(b);
    for (k = 0; k < n; k++) /* the decimal mark, whatever the locale made it */
        if (!((b[k] >= '0' && b[k] <= '9') || b[k] == '-' || b[k] == '+' || b[k] == 'e' || b[k] == 'E' ||
              (b[k] >= 'a' && b[k] <= 'z')))
            b[k] = sep;
    return n;
}

/* Days since 1970-01-01 as YYYY-MM-DD (years 1-9999): 1, or 0 when out of
** that range.  The civil calendar by eras of 400 years (146,097 days). */
static int fmt_day(char *b, double days)
{
    long long z, era, doe, yoe, y, doy, mp, d, m;
    if (!(days >= -719162 && days <= 2932896) || days != trunc(days))
        return 0; /* 0001-01-01 .. 9999-12-31 */
    z = (long long)days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    b[0] = (char)('0' + y / 1000);
    b[1] = (char)('0' + y / 100 % 10);
    b[2] = (char)('0' + y / 10 % 10);
    b[3] = (char)('0' + y % 10);
    b[4] = b[7] = '-';
    b[5] = (char)('0' + m / 10);
    b[6] = (char)('0' + m % 10);
    b[8] = (char)('0' + d / 10);
    b[9] = (char)('0' + d % 10);
    b[10] = '\0';
    return 1;
}

/* A value (value_of's kind, v, iv, *t, *len) as the text of its file cell:
** *t, *len (len 0 when missing; buf, CELL bytes, holds a number's text). */
static void text_of(const sarx_cohort *c, const sarx_column *col, size_t i, int kind, double v, long long iv,
                    char *buf, const char **t, size_t *len)
{
    if (kind == V_MISSING) {
        *t = "";
        *len = 0;
        return;
    }
    if (kind == V_TEXT)
        return;
    *t = buf;
    if ((col->flags & SARX_COLUMN_DAYS) && c->plan[i].how == HOW_DATE && fmt_day(buf, v))
        *len = strlen(buf);
    else if (kind == V_INT)
        *len = fmt_int(buf, iv);
    else
        *len = fmt_double(buf, v, sarx__cohort_sep(c));
}

/* Row r's cell of column i as the text of its file cell. */
static void cell_of(const sarx_cohort *c, const sarx_column *col, size_t i, size_t r, char *buf, const char **t,
                    size_t *len)
{
    double v = 0;
    long long iv = 0;
    int kind = value_of(col, r, &v, &iv, t, len);
    text_of(c, col, i, kind, v, iv, buf, t, len);
}

/* 1 when a number column reads typed numbers straight (no value map; the
** number codes are compared by value). */
static int straight(const colplan *p)
{
    return (p->how == HOW_NUMBER || p->how == HOW_INTEGER) && !(p->rc && p->rc->nval);
}

#define SLOW(lane) (slow[(lane) / 64] |= (uint64_t)1 << ((lane) % 64))

/* A typed number of a straight column into lane `lane` as the cell reader
** would store its text: missing (NaN, a number code), in range in the
** column's unit (whole for an integer field) times the unit's scale, or
** left to the cell path (out of range, not whole, -0: it words the error). */
static SARX__ALWAYS_INLINE void number_in(const colplan *p, double v, int lane, uint64_t *slow)
{
    if (isnan(v) || (p->ro->nnum && sarx__readopts_na_number(p->ro, v)))
        p->col[lane] = NAN;
    else if (v >= p->g.lo && v <= p->g.hi && !(v == 0 && signbit(v)) && (!p->g.integer || v == (double)(int64_t)v))
        p->col[lane] = v * p->g.scale;
    else
        SLOW(lane);
}

/* number_in without branches on the value (missing values come at random),
** for a column without number codes: lo, hi, scale, integer are its plan's
** (g), held in registers, dst its batch column. */
static SARX__ALWAYS_INLINE uint64_t number_fast(double v, double lo, double hi, double scale, int integer,
                                                double *dst)
{
    uint64_t bits, keep, out;
    double in, r = v * scale;
    int inr;
    memcpy(&bits, &v, sizeof bits);
    inr = (v >= lo) & (v <= hi) & (bits != (uint64_t)1 << 63);
    if (integer) {
        keep = 0 - (uint64_t)inr;
        bits &= keep;
        memcpy(&in, &bits, sizeof in); /* v in range, else 0: the conversion is defined */
        inr &= in == (double)(int64_t)in;
    }
    keep = 0 - (uint64_t)inr; /* select by masks: gcc branches on `inr ? r : NAN` */
    memcpy(&out, &r, sizeof out);
    out = (out & keep) | (UINT64_C(0x7FF8000000000000) & ~keep); /* (NaN) */
    memcpy(dst, &out, sizeof out);
    return (uint64_t)((v == v) & !inr); /* 1: the cell path words it */
}

#define NUMBERS(T, VALUE)                                                                                            \
    do {                                                                                                             \
        if (p->ro->nnum)                                                                                             \
            for (lane = 0; lane < nb; lane++, at += stride) {                                                        \
                T x;                                                                                                 \
                memcpy(&x, at, sizeof x);                                                                            \
                number_in(p, VALUE, lane, slow);                                                                     \
            }                                                                                                        \
        else                                                                                                         \
            for (lane = 0; lane < nb; lane++, at += stride) {                                                        \
                T x;                                                                                                 \
                memcpy(&x, at, sizeof x);                                                                            \
                slow[lane / 64] |= number_fast(VALUE, lo, hi, scale, integer, dst + lane) << (lane % 64);           \
            }                                                                                                        \
    } while (0)

/* A straight column's typed numbers, a loop per type. */
static void read_numbers(const colplan *p, const sarx_column *col, const char *at, ptrdiff_t stride, int nb,
                         uint64_t *slow)
{
    double lo = p->g.lo, hi = p->g.hi, scale = p->g.scale, *dst = p->col;
    int lane, integer = p->g.integer;
    switch (col->type) {
    case SARX_COLUMN_DOUBLE: NUMBERS(double, x); break;
    case SARX_COLUMN_FLOAT: NUMBERS(float, float_value(x)); break;
    case SARX_COLUMN_INT32: NUMBERS(int32_t, col->has_na && x == col->na ? NAN : (double)x); break;
    case SARX_COLUMN_INT64: NUMBERS(int64_t, col->has_na && x == col->na ? NAN : (double)x); break;
    default: NUMBERS(uint8_t, col->has_na && x == col->na ? NAN : (double)x); break; /* BOOL8 */
    }
}

/* The texts of a word column read last (still valid in the call): a cell
** with the same bytes reads the same.  (R's strings are shared, and
** pandas' categories: the same pointer, often.) */
typedef struct seen_text {
    const char *t;
    size_t len;
    int ok;
    double v;
} seen_text;

/* Row first + lane of column i into lane `lane` by the cell path (see
** read_column). */
static void read_cell(sarx_cohort *c, const sarx_column *col, size_t i, size_t row, int lane, uint64_t *slow,
                      unsigned char *memo, double *memo_v, seen_text *seen)
{
    const colplan *p = &c->plan[i];
    char sep = sarx__cohort_sep(c), buf[CELL];
    double v = 0;
    long long iv = 0;
    const char *t = NULL;
    size_t len = 0;
    int kind = value_of(col, row, &v, &iv, &t, &len), m = -1, ok;
    if (kind == V_MISSING) {
        p->col[lane] = NAN;
        return;
    }
    if (kind == V_INT && p->how == HOW_CODE && iv >= 0 && iv < MEMO) {
        m = (int)iv;
        if (memo[m]) {
            if (memo[m] == 1)
                p->col[lane] = memo_v[m];
            else
                SLOW(lane);
            return;
        }
    }
    if (kind == V_TEXT && p->how == HOW_CODE) {
        int k;
        for (k = 0; k < 2 && !(seen[k].t && seen[k].len == len && (seen[k].t == t || !memcmp(seen[k].t, t, len)));
             k++)
            ;
        if (k < 2 && seen[k].t) {
            if (seen[k].ok)
                p->col[lane] = seen[k].v;
            else
                SLOW(lane);
            return;
        }
    }
    text_of(c, col, i, kind, v, iv, buf, &t, &len);
    ok = sarx__cohort_parse_cell(p, t, len, sep, lane);
    if (!ok)
        SLOW(lane);
    if (m >= 0) {
        memo[m] = ok ? 1 : 2;
        memo_v[m] = ok ? p->col[lane] : 0;
    } else if (kind == V_TEXT && p->how == HOW_CODE) {
        seen[1] = seen[0];
        seen[0].t = t;
        seen[0].len = len;
        seen[0].ok = ok;
        seen[0].v = ok ? p->col[lane] : 0;
    }
}

/* A whole number of an INT32, INT64 or BOOL8 column. */
static SARX__ALWAYS_INLINE long long int_at(int type, const char *at)
{
    if (type == SARX_COLUMN_INT32) {
        int32_t x;
        memcpy(&x, at, sizeof x);
        return x;
    }
    if (type == SARX_COLUMN_INT64) {
        int64_t x;
        memcpy(&x, at, sizeof x);
        return x;
    }
    return *(const uint8_t *)at;
}

/* One column's cells of rows first .. first + nb - 1 into lanes 0 .. nb - 1;
** the lanes whose cell is not a common one get their bit in slow.  Typed
** numbers of a straight column are read by read_numbers; small whole
** numbers of a word column (bools, codes 1/2) by what the cell path made of
** the same number before in the call (memo: 0 not yet, 1 a value, 2 not a
** common cell), and its texts by what it made of the same text just
** before; the rest by the cell path (read_cell). */
static void read_column(sarx_cohort *c, const sarx_column *col, size_t i, size_t first, int nb, uint64_t *slow,
                        unsigned char *memo, double *memo_v)
{
    const colplan *p = &c->plan[i];
    ptrdiff_t stride = col->stride ? col->stride : (ptrdiff_t)type_size(col->type);
    const char *at;
    seen_text seen[2] = {{NULL, 0, 0, 0}, {NULL, 0, 0, 0}};
    int lane, type = col->type;
    if (type == SARX_COLUMN_NONE) {
        for (lane = 0; lane < nb; lane++)
            p->col[lane] = NAN;
        return;
    }
    at = (const char *)col->data + (ptrdiff_t)first * stride;
    if (straight(p) && type != SARX_COLUMN_TEXT) {
        read_numbers(p, col, at, stride, nb, slow);
        return;
    }
    if (p->how == HOW_CODE && (type == SARX_COLUMN_INT32 || type == SARX_COLUMN_INT64 || type == SARX_COLUMN_BOOL8)) {
        for (lane = 0; lane < nb; lane++, at += stride) {
            long long x = int_at(type, at);
            if (col->has_na && x == col->na)
                p->col[lane] = NAN;
            else if (x >= 0 && x < MEMO && memo[x] == 1)
                p->col[lane] = memo_v[x];
            else
                read_cell(c, col, i, first + (size_t)lane, lane, slow, memo, memo_v, seen);
        }
        return;
    }
    if (p->how == HOW_CODE && type == SARX_COLUMN_TEXT) {
        for (lane = 0; lane < nb; lane++, at += stride) {
            const char *t;
            size_t len;
            int k;
            memcpy(&t, at, sizeof t);
            if (!t) {
                p->col[lane] = NAN;
                continue;
            }
            len = col->lens ? col->lens[first + (size_t)lane] : strlen(t);
            for (k = 0; k < 2 && !(seen[k].t && seen[k].len == len && (seen[k].t == t || !memcmp(seen[k].t, t, len)));
                 k++)
                ;
            if (k < 2 && seen[k].ok)
                p->col[lane] = seen[k].v;
            else if (k < 2)
                SLOW(lane);
            else
                read_cell(c, col, i, first + (size_t)lane, lane, slow, memo, memo_v, seen);
        }
        return;
    }
    for (lane = 0; lane < nb; lane++)
        read_cell(c, col, i, first + (size_t)lane, lane, slow, memo, memo_v, seen);
}

/* The arguments: SARX_OK, or the error saying what is wrong. */
static int check_columns(const sarx_cohort *c, const sarx_column *cols, size_t ncols, size_t first, size_t n,
                         sarx_error *err)
{
    size_t i;
    if (ncols != c->ncol)
        return sarx__err(err, SARX_EINVAL, "", "", "", "%zu columns given, the header has %zu", ncols, c->ncol);
    if (ncols && !cols)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument: no columns");
    if (first + n < first)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument: rows %zu + %zu overflow", first, n);
    for (i = 0; i < ncols; i++) {
        const sarx_column *col = &cols[i];
        if (col->type < SARX_COLUMN_NONE || col->type > SARX_COLUMN_TEXT)
            return sarx__err(err, SARX_EINVAL, "", "", "0-6 (SARX_COLUMN_*)", "column %zu: unknown column type %d",
                             i + 1, col->type);
        if (col->flags & ~(unsigned)SARX_COLUMN_DAYS)
            return sarx__err(err, SARX_EINVAL, "", "", "SARX_COLUMN_DAYS", "column %zu: unknown flags 0x%x", i + 1,
                             col->flags);
        if (c->plan[i].how != HOW_SKIP && col->type != SARX_COLUMN_NONE && !col->data && n)
            return sarx__err(err, SARX_EINVAL, "", "", "", "column %zu: no data", i + 1);
    }
    return SARX_OK;
}

/* A row the slow way: every used cell as text (cells: CELL bytes a column). */
static int row_slow(sarx_cohort *c, const sarx_column *cols, size_t r, int lane, char *cells, char **f, size_t *l,
                    sarx_error *err)
{
    size_t i;
    for (i = 0; i < c->ncol; i++) {
        const char *t = "";
        l[i] = 0;
        if (c->plan[i].how != HOW_SKIP)
            cell_of(c, &cols[i], i, r, cells + i * CELL, &t, &l[i]);
        f[i] = (char *)(uintptr_t)t; /* (read only) */
    }
    return sarx__cohort_parse_slow(c, f, l, lane, err);
}

long sarx_cohort_columns(sarx_cohort *c, const sarx_column *cols, size_t ncols, size_t first, size_t n,
                         sarx_class *out, unsigned char *ok, sarx_row_error on_error, void *arg, sarx_error *err)
{
    size_t done, i, nd;
    long rejected = 0;
    unsigned char *memo;
    double *memo_v;
    char *cells;
    char **f;
    size_t *l;
    int rc;
    if (!c)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument: no cohort"), -1;
    if (c->npend)
        return sarx__err(err, SARX_EINVAL, "", "", "",
                         "%d text rows are pending: call sarx_cohort_classify first", c->npend),
               -1;
    if ((rc = check_columns(c, cols, ncols, first, n, err)) != SARX_OK)
        return -1;
    nd = c->ctx->ndefs;
    cells = malloc(c->ncol ? c->ncol * CELL : 1);
    f = calloc(c->ncol ? c->ncol : 1, sizeof *f);
    l = calloc(c->ncol ? c->ncol : 1, sizeof *l);
    memo = calloc(c->ncol ? c->ncol * MEMO : 1, 1);
    memo_v = calloc(c->ncol ? c->ncol * MEMO : 1, sizeof *memo_v);
    if (!cells || !f || !l || !memo || !memo_v) {
        free(cells);
        free(f);
        free(l);
        free(memo);
        free(memo_v);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory"), -1;
    }
    for (done = 0; done < n; done += SARX__LANES) {
        int nb = n - done < SARX__LANES ? (int)(n - done) : SARX__LANES, lane, w;
        uint64_t slow[SARX__LWORDS] = {0}, lanes[SARX__LWORDS] = {0};
        size_t at = first + done;
        memset(sarx__batch_conditions(c->scratch), 0, (size_t)nb);
        for (i = 0; i < c->ncol; i++)
            if (c->plan[i].how != HOW_SKIP)
                read_column(c, &cols[i], i, at, nb, slow, memo + i * MEMO, memo_v + i * MEMO);
        for (lane = 0; lane < nb; lane++) {
            sarx_error e; /* (written when the row is refused) */
            int bad;
            if ((slow[lane / 64] >> (lane % 64)) & 1u) {
                bad = row_slow(c, cols, at + (size_t)lane, lane, cells, f, l, &e) != SARX_OK;
                if (bad)
                    c->rejected++;
                else
                    bad = sarx__cohort_finish_row(c, lane, 1, &e) != SARX_OK;
            } else
                bad = sarx__cohort_finish_row(c, lane, 1, &e) != SARX_OK;
            if (!bad) {
                lanes[lane / 64] |= (uint64_t)1 << (lane % 64);
                continue;
            }
            rejected++;
            e.record = (long)(at + (size_t)lane + 1);
            if (on_error)
                on_error(arg, at + (size_t)lane, &e);
        }
        sarx__classify_columns(c->ctx, c->scratch, lanes, nb, out ? out + done * nd : NULL);
        sarx__cohort_count_batch(c, (size_t)nb);
        for (w = 0; ok && w < nb; w++)
            ok[done + (size_t)w] = (unsigned char)((lanes[w / 64] >> (w % 64)) & 1u);
    }
    free(cells);
    free(f);
    free(l);
    free(memo);
    free(memo_v);
    return rejected;
}

int sarx_cohort_columns_subject(const sarx_cohort *c, const sarx_column *cols, size_t ncols, size_t row,
                                sarx_subject *s, sarx_error *err)
{
    char *cells, **f;
    size_t *l, i;
    int rc;
    if (s) /* cleared first, whatever follows: a refused call leaves no earlier row in it */
        sarx_subject_clear(s);
    if (!c || !s)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if ((rc = check_columns(c, cols, ncols, row, 1, err)) != SARX_OK)
        return rc;
    cells = malloc(c->ncol ? c->ncol * CELL : 1);
    f = calloc(c->ncol ? c->ncol : 1, sizeof *f);
    l = calloc(c->ncol ? c->ncol : 1, sizeof *l);
    if (!cells || !f || !l) {
        free(cells);
        free(f);
        free(l);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    for (i = 0; i < c->ncol; i++) {
        const char *t = "";
        l[i] = 0;
        if (c->plan[i].how != HOW_SKIP)
            cell_of(c, &cols[i], i, row, cells + i * CELL, &t, &l[i]);
        f[i] = (char *)(uintptr_t)t;
    }
    if ((rc = sarx__cohort_cells_subject(c, f, l, s, err)) == SARX_OK)
        rc = sarx__subject_finish(s, err);
    if (rc != SARX_OK && err)
        err->record = (long)(row + 1);
    free(cells);
    free(f);
    free(l);
    return rc;
}
