/*
** cohort.c — every definition over the rows of a table: header mapping,
** classification, counts by stratum (all, sex, age band) and the 2x2
** tables behind pairwise agreement.
**
** Category counts are among the rows where the definition is decided
** (indeterminate rows are reported separately, never as "no").  Prevalence
** and agreement use each definition's positive reading (sarx_definition_
** category_positive) on the rows where that reading is decided: a positive
** category, or a complete result (reading_decided below).
*/
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Strata: all, by sex, by age band. */
enum { ST_ALL, ST_MALE, ST_FEMALE, ST_SEX_UNKNOWN, ST_AGE0 };
static const struct {
    int lo, hi; /* [lo, hi) years */
    const char *name;
} bands[] = {
    {0, 30, "18-29"}, {30, 40, "30-39"}, {40, 50, "40-49"}, {50, 60, "50-59"},
    {60, 70, "60-69"}, {70, 80, "70-79"}, {80, 1000, "80+"},
};
#define NBANDS (sizeof bands / sizeof bands[0])
#define MAX_YEAR 127 /* ages above share the last band (the field allows up to 120) */
#define ST_AGE_UNKNOWN (ST_AGE0 + (int)NBANDS)
#define NSTRATA (ST_AGE_UNKNOWN + 1)

static const char *stratum_name(int st)
{
    static const char *const fixed[] = {"all", "male", "female", "sex unknown"};
    if (st < ST_AGE0)
        return fixed[st];
    if (st == ST_AGE_UNKNOWN)
        return "age unknown";
    return bands[st - ST_AGE0].name;
}

typedef struct counts {
    long cat[SARX__MAX_CATS + 1]; /* per category; [SARX__MAX_CATS] = indeterminate */
    long incomplete;
    long positive;
    long reading; /* rows whose positive reading is decided (see below) */
} counts;

/* The positive reading of a row is decided when its category is positive
** (in every table positive categories come first in the decision list, so a
** positive result stays positive whatever is missing), or when the result
** is complete.  An incomplete negative result (EWGSOP2 probable sarcopenia
** without a mass measurement) could still become positive: it is undecided.
** count_batch computes this reading as masks. */

struct sarx_cohort {
    const sarx_ctx *ctx;
    unsigned flags;
    size_t ncol;
    int *col_field; /* canonical field, -1 ignored, -2 id */
    int *col_alias;
    const sarx_field_info **col_info; /* the named field's info (its unit, range, kind) */
    long id_col;
    char **ignored;
    size_t nignored;
    sarx_subject *s; /* = pend[0] */
    sarx_subject *pend[SARX__LANES];
    int npend;
    sarx__batch *scratch;
    long rows, rejected;
    counts *n;   /* [def][stratum] */
    long *agree; /* [a][b][4]: both, only a, only b, neither */
    sarx__masks row_masks; /* sarx_cohort_row's one row */
    unsigned char band_of_year[MAX_YEAR + 1]; /* the bands table by whole year (its bounds are whole years) */
};

#define N(c, d, st) (&(c)->n[(size_t)(d) * NSTRATA + (size_t)(st)])
#define AGREE(c, a, b) (&(c)->agree[((size_t)(a) * (c)->ctx->ndefs + (size_t)(b)) * 4])

void sarx_cohort_free(sarx_cohort *c)
{
    size_t i;
    if (!c)
        return;
    for (i = 0; i < c->nignored; i++)
        free(c->ignored[i]);
    free(c->ignored);
    free(c->col_field);
    free(c->col_alias);
    free(c->col_info);
    for (i = 0; i < SARX__LANES; i++)
        sarx_subject_free(c->pend[i]);
    sarx__batch_free(c->scratch);
    free(c->n);
    free(c->agree);
    free(c);
}

static sarx_cohort *alloc(const sarx_ctx *ctx, size_t ncol)
{
    sarx_cohort *c = calloc(1, sizeof *c);
    size_t nd = ctx->ndefs;
    if (!c)
        return NULL;
    c->ctx = ctx;
    c->ncol = ncol;
    c->id_col = -1;
    {
        int y;
        size_t b;
        for (y = 0; y <= MAX_YEAR; y++)
            for (b = 0; b < NBANDS; b++)
                if (y >= bands[b].lo && y < bands[b].hi)
                    c->band_of_year[y] = (unsigned char)b;
    }
    c->col_field = calloc(ncol ? ncol : 1, sizeof *c->col_field);
    c->col_alias = calloc(ncol ? ncol : 1, sizeof *c->col_alias);
    c->col_info = calloc(ncol ? ncol : 1, sizeof *c->col_info);
    c->ignored = calloc(ncol ? ncol : 1, sizeof *c->ignored);
    c->n = calloc(nd * NSTRATA, sizeof *c->n);
    c->agree = calloc(nd * nd * 4, sizeof *c->agree);
    if (!c->col_field || !c->col_alias || !c->col_info || !c->ignored || !c->n || !c->agree || !(c->scratch = sarx__batch_new())) {
        sarx_cohort_free(c);
        return NULL;
    }
    {
        int i;
        for (i = 0; i < SARX__LANES; i++)
            if (sarx_subject_new(&c->pend[i]) != SARX_OK) {
                sarx_cohort_free(c);
                return NULL;
            }
    }
    c->s = c->pend[0];
    return c;
}

int sarx_cohort_new(const sarx_ctx *ctx, char *const *header, const size_t *lens, size_t n, unsigned flags,
                    sarx_cohort **out, sarx_error *err)
{
    sarx_cohort *c;
    size_t i, k;
    if (!ctx || !header || !lens || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    if (!(c = alloc(ctx, n)))
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    c->flags = flags;
    for (i = 0; i < n; i++) {
        char name[64];
        const char *h = header[i];
        size_t len = lens[i], j;
        int alias, f;
        while (len && sarx__space((unsigned char)*h))
            h++, len--;
        while (len && sarx__space((unsigned char)h[len - 1]))
            len--;
        if (len >= sizeof name)
            len = sizeof name - 1;
        for (j = 0; j < len; j++)
            name[j] = (char)sarx__lower((unsigned char)h[j]);
        name[len] = '\0';
        f = sarx__field_lookup(name, len, &alias);
        c->col_field[i] = f;
        c->col_alias[i] = alias;
        if (f >= 0)
            c->col_info[i] = &sarx__field_info[alias < 0 ? (size_t)f : SARX__F_COUNT + (size_t)alias];
        if (f < 0) {
            if (flags & SARX_COHORT_STRICT) {
                const char *hint = sarx__field_suggest(name);
                sarx__err(err, SARX_EFIELD, name, "", "", "column %zu: unknown field \"%s\"%s%s%s", i + 1, name,
                          hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
                sarx_cohort_free(c);
                return SARX_EFIELD;
            }
            if (!(c->ignored[c->nignored] = malloc(len + 1))) {
                sarx_cohort_free(c);
                return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
            }
            memcpy(c->ignored[c->nignored++], name, len + 1);
            continue;
        }
        if (sarx__field_info[f].kind == SARX_KIND_HISTORY) {
            sarx__err(err, SARX_ETYPE, name, "", "weight_loss_pct_6m, weight_loss_pct_12m",
                      "column %zu: \"%s\" has no CSV form; give weight_loss_pct_6m and weight_loss_pct_12m", i + 1,
                      name);
            sarx_cohort_free(c);
            return SARX_ETYPE;
        }
        if (f == SARX__F_ID) {
            c->col_field[i] = -2;
            c->id_col = (long)i;
        }
        for (k = 0; k < i; k++)
            if ((c->col_field[k] == f || (f == SARX__F_ID && c->col_field[k] == -2)) && k != i) {
                sarx__err(err, SARX_ECONFLICT, name, "", "",
                          "columns %zu and %zu both give %s: keep one (in one unit)", k + 1, i + 1,
                          sarx__field_info[f].name);
                sarx_cohort_free(c);
                return SARX_ECONFLICT;
            }
    }
    *out = c;
    return SARX_OK;
}

int sarx_cohort_clone(const sarx_cohort *src, sarx_cohort **out)
{
    sarx_cohort *c;
    if (!src || !out)
        return SARX_EINVAL;
    *out = NULL;
    if (!(c = alloc(src->ctx, src->ncol)))
        return SARX_ENOMEM;
    memcpy(c->col_field, src->col_field, src->ncol * sizeof *c->col_field);
    memcpy(c->col_alias, src->col_alias, src->ncol * sizeof *c->col_alias);
    memcpy(c->col_info, src->col_info, src->ncol * sizeof *c->col_info);
    c->id_col = src->id_col;
    c->flags = src->flags;
    *out = c;
    return SARX_OK;
}

size_t sarx_cohort_ignored_count(const sarx_cohort *c) { return c ? c->nignored : 0; }
const char *sarx_cohort_ignored(const sarx_cohort *c, size_t i) { return c && i < c->nignored ? c->ignored[i] : NULL; }
long sarx_cohort_id_column(const sarx_cohort *c) { return c ? c->id_col : -1; }
long sarx_cohort_rows(const sarx_cohort *c) { return c ? c->rows : 0; }
long sarx_cohort_rejected(const sarx_cohort *c) { return c ? c->rejected : 0; }

int sarx_cohort_parse(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_error *err)
{
    sarx_subject *s;
    size_t i;
    int rc;
    unsigned tflags;
    if (!c || !fields || !lens)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if (c->npend == SARX__LANES)
        return sarx__err(err, SARX_ERANGE, "", "", "", "the batch is full: classify it first");
    if (n != c->ncol) {
        c->rejected++;
        return sarx__err(err, SARX_ESYNTAX, "", "", "", "the row has %zu field%s, the header %zu", n,
                         n == 1 ? "" : "s", c->ncol);
    }
    s = c->pend[c->npend];
    sarx_subject_clear(s);
    tflags = (c->flags & SARX_COHORT_DECIMAL_COMMA) ? SARX_TEXT_DECIMAL_COMMA : 0;
    for (i = 0; i < n; i++) {
        int f = c->col_field[i];
        const sarx_field_info *fi = c->col_info[i];
        if (f < 0 || lens[i] == 0)
            continue;
        if (fi->kind == SARX_KIND_NUMBER || fi->kind == SARX_KIND_INTEGER) {
            /* The common case, directly: the header already resolved the
            ** field and guarantees it appears once.  Anything else (blanks,
            ** a bad or out-of-range value) takes the full path below, which
            ** also words the error. */
            double v;
            if (sarx__parse_number(fields[i], lens[i], (tflags & SARX_TEXT_DECIMAL_COMMA) != 0, &v) == SARX_OK &&
                (fi->kind == SARX_KIND_NUMBER || v == floor(v)) && v >= fi->min && v <= fi->max) {
                int a = c->col_alias[i];
                s->v[f] = a < 0 ? v : v * sarx__aliases[a].scale;
                s->via[f] = (signed char)a;
                continue;
            }
        } else if (fi->kind == SARX_KIND_BOOL || fi->kind == SARX_KIND_ENUM) {
            double v; /* the same fast path for true/false and enumerations */
            if (sarx__text_code(fi, fields[i], lens[i], &v)) {
                s->v[f] = v;
                s->via[f] = (signed char)c->col_alias[i];
                continue;
            }
        }
        if ((rc = sarx__subject_set_text_at(s, f, c->col_alias[i], fields[i], lens[i], tflags, err)) != SARX_OK) {
            c->rejected++;
            return rc;
        }
    }
    if ((rc = sarx__subject_finish(s, err)) != SARX_OK) { /* cross-field checks now, in row order */
        c->rejected++;
        return rc;
    }
    c->npend++;
    return SARX_OK;
}

/* Bits set in x, inline (without -mpopcnt, __builtin_popcountll is a libgcc
** call; this is the classic SWAR count). */
static inline long pc(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (long)((x * 0x0101010101010101ULL) >> 56);
}

/* The masks of one row classified by sarx_classify (sarx_cohort_row). */
static void masks_of_row(const sarx_ctx *ctx, const sarx_class *out, sarx__masks *m)
{
    size_t d;
    memset(m->cat, 0, ctx->ndefs * sizeof m->cat[0]); /* count_batch reads only these */
    m->ok = 1;
    for (d = 0; d < ctx->ndefs; d++) {
        m->cat[d][out[d].category == SARX_INDETERMINATE ? SARX__MAX_CATS : out[d].category] = 1;
        m->complete[d] = out[d].complete != 0;
    }
}

/* Count a classified batch from its masks (bit i = pending row i). */
static void count_batch(sarx_cohort *c, const sarx__masks *m, size_t n)
{
    uint64_t strata[NSTRATA], pos[64], dec[64], all = m->ok;
    int live[NSTRATA], nlive = 0, st;
    size_t i, d, e, nd = c->ctx->ndefs;
    memset(strata, 0, sizeof strata);
    for (i = 0; i < n; i++) {
        const sarx_subject *s = c->pend[i];
        uint64_t bit = (uint64_t)1 << i;
        double sex = s->v[SARX__F_SEX], age = s->v[SARX__F_AGE];
        int band = ST_AGE_UNKNOWN;
        if (!(all & bit))
            continue;
        strata[isnan(sex) ? ST_SEX_UNKNOWN : sex == SARX__MALE ? ST_MALE : ST_FEMALE] |= bit;
        if (!isnan(age)) { /* ages are >= 0: the whole years decide */
            int y = age < MAX_YEAR ? (int)age : MAX_YEAR;
            band = ST_AGE0 + c->band_of_year[y];
        }
        strata[band] |= bit;
    }
    strata[ST_ALL] = all;
    for (st = 0; st < NSTRATA; st++)
        if (strata[st])
            live[nlive++] = st;
    for (d = 0; d < nd; d++) {
        const sarx__def *def = c->ctx->defs[d].d;
        const uint64_t *cat = m->cat[d];
        uint64_t p = 0, inc = all & ~m->complete[d];
        size_t k;
        int l;
        for (k = 0; k < def->ncat; k++)
            if (def->cats[k].positive)
                p |= cat[k];
        pos[d] = p;
        dec[d] = p | (m->complete[d] & ~cat[SARX__MAX_CATS]); /* the reading is decided */
        for (l = 0; l < nlive; l++) {
            counts *ct = N(c, d, live[l]);
            uint64_t sm = strata[live[l]];
            for (k = 0; k < def->ncat; k++)
                ct->cat[k] += pc(cat[k] & sm);
            ct->cat[SARX__MAX_CATS] += pc(cat[SARX__MAX_CATS] & sm);
            ct->incomplete += pc(inc & sm);
            ct->positive += pc(p & sm);
            ct->reading += pc(dec[d] & sm);
        }
    }
    for (d = 0; d < nd; d++)
        for (e = d + 1; e < nd; e++) {
            uint64_t both = dec[d] & dec[e];
            long *a = AGREE(c, d, e);
            a[0] += pc(both & pos[d] & pos[e]);
            a[1] += pc(both & pos[d] & ~pos[e]);
            a[2] += pc(both & ~pos[d] & pos[e]);
            a[3] += pc(both & ~pos[d] & ~pos[e]);
        }
    c->rows += pc(all);
}

size_t sarx_cohort_classify(sarx_cohort *c, sarx_class *out, unsigned char *ok, sarx_error *errs)
{
    size_t n, i;
    if (!c || !out || !ok)
        return 0;
    n = (size_t)c->npend;
    if (n == 0)
        return 0;
    sarx__classify_batch(c->ctx, c->scratch, c->pend, (int)n, out, ok, errs);
    count_batch(c, sarx__batch_masks(c->scratch), n);
    for (i = 0; i < n; i++)
        c->rejected += !ok[i];
    c->npend = 0;
    return n;
}

int sarx_cohort_row(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_class *out,
                    sarx_error *err)
{
    int rc;
    if (!c || !fields || !lens || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if (c->npend != 0)
        return sarx__err(err, SARX_EINVAL, "", "", "", "rows are pending: call sarx_cohort_classify first");
    if ((rc = sarx_cohort_parse(c, fields, lens, n, err)) != SARX_OK)
        return rc;
    c->npend = 0;
    if ((rc = sarx_classify(c->ctx, c->s, out, err)) != SARX_OK) {
        c->rejected++;
        return rc;
    }
    masks_of_row(c->ctx, out, &c->row_masks);
    count_batch(c, &c->row_masks, 1); /* c->s is pend[0] */
    return SARX_OK;
}

int sarx_cohort_merge(sarx_cohort *into, const sarx_cohort *from)
{
    size_t i, nd;
    if (!into || !from || into == from || into->ctx != from->ctx || into->ncol != from->ncol ||
        into->flags != from->flags ||
        memcmp(into->col_field, from->col_field, into->ncol * sizeof *into->col_field) != 0 ||
        memcmp(into->col_alias, from->col_alias, into->ncol * sizeof *into->col_alias) != 0)
        return SARX_EINVAL; /* counts from another header, or twice the same */
    nd = into->ctx->ndefs;
    for (i = 0; i < nd * NSTRATA; i++) {
        size_t k;
        for (k = 0; k <= SARX__MAX_CATS; k++)
            into->n[i].cat[k] += from->n[i].cat[k];
        into->n[i].incomplete += from->n[i].incomplete;
        into->n[i].positive += from->n[i].positive;
        into->n[i].reading += from->n[i].reading;
    }
    for (i = 0; i < nd * nd * 4; i++)
        into->agree[i] += from->agree[i];
    into->rows += from->rows;
    into->rejected += from->rejected;
    return SARX_OK;
}

/* ---- the summary ---------------------------------------------------- */

/* Shared with the renderers in cohort_report.c. */
long sarx__cohort_total(const sarx_cohort *c, size_t d, int st)
{
    const counts *k = N(c, d, st);
    long t = 0;
    size_t i;
    for (i = 0; i <= SARX__MAX_CATS; i++)
        t += k->cat[i];
    return t;
}
long sarx__cohort_count(const sarx_cohort *c, size_t d, int st, int cat)
{
    return N(c, d, st)->cat[cat < 0 ? SARX__MAX_CATS : cat];
}
long sarx__cohort_positive(const sarx_cohort *c, size_t d, int st) { return N(c, d, st)->positive; }
long sarx__cohort_incomplete(const sarx_cohort *c, size_t d, int st) { return N(c, d, st)->incomplete; }
long sarx__cohort_reading(const sarx_cohort *c, size_t d, int st) { return N(c, d, st)->reading; }
const long *sarx__cohort_agree(const sarx_cohort *c, size_t a, size_t b) { return AGREE(c, a, b); }
const sarx_ctx *sarx__cohort_ctx(const sarx_cohort *c) { return c->ctx; }
int sarx__cohort_nstrata(void) { return NSTRATA; }
const char *sarx__cohort_stratum(int st) { return stratum_name(st); }
int sarx__cohort_first_band(void) { return ST_AGE0; }
