/*
** cohort.c — every definition over the rows of a table: header mapping,
** classification, counts by stratum (all, sex, age band) and the 2x2
** tables behind pairwise agreement.
**
** Category counts are among the rows where the definition is decided
** (indeterminate rows are reported separately, never as "no").  Prevalence
** and agreement use each definition's positive reading (sarx_definition_
** category_positive) on the rows where that reading is decided: a positive
** category, or a complete result (reading_decided below).  A row whose
** category says the definition does not apply (not_applicable: Fearon
** without cancer, Janssen below 60) has no reading: it is neither a
** positive nor a negative, and stays out of prevalence and agreement.
*/
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* count_batch has variants for processors with POPCNT and with AVX-512's
** VPOPCNTQ, chosen at run time (their helpers SARX__ALWAYS_INLINE). */
#if defined(SARX__X86_DISPATCH)
#include <immintrin.h>
#endif

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

/* The counts: tallies by definition and kind, a stratum's count in slot st
** of SLOTS: TALLY(c, d, k)[st], kind k a category, K_INDET (indeterminate),
** K_INCOMPLETE or K_READING (rows whose positive reading is decided, see
** below); so one kind's strata are two vectors of eight, which
** count_vpopcnt adds to at once.  Counted for every stratum but ST_ALL, the
** sum of the three sex strata; and the positive rows are those of the
** positive categories: both are added up when the summary asks (tally,
** sarx__cohort_positive), not row by row. */
enum { K_INDET = SARX__MAX_CATS, K_INCOMPLETE, K_READING, KINDS };
#define SLOTS 16
_Static_assert(NSTRATA <= SLOTS, "the strata fit the slots");

/* The positive reading of a row is decided when its category is positive
** (in every table positive categories come first in the decision list, so a
** positive result stays positive whatever is missing), or when the result
** is complete.  An incomplete negative result (EWGSOP2 probable sarcopenia
** without a mass measurement) could still become positive: it is undecided.
** A not_applicable category (sarx__cat_not_applicable) is no reading at
** all.  count_batch computes this reading as masks. */

/* How a column's cells are read: straight into the batch's column for the
** common cells, by the subject's own parser (sarx_subject_set_text) for the
** rest, which also words the errors. */
enum { HOW_SKIP, HOW_NUMBER, HOW_INTEGER, HOW_CODE, HOW_DATE, HOW_LIST };

#define MAX_WORDS SARX__WORDS
typedef struct colplan {
    unsigned char how;
    const sarx_field_info *fi;
    double *col; /* the batch column (lane-indexed) */
    /* The column as both readers take it: its range in the column's unit
    ** (g.lo, g.hi; canonical = value x g.scale), and for HOW_CODE its usual
    ** words (g.word: up to 8 bytes, little-endian in a uint64) and their
    ** values (g.wcode, from sarx__text_code).  A cell matches a word when
    ** its bytes OR wcase equal it, wcase having 0x20 at the word's letters. */
    sarx__cells8 g;
    uint64_t wcase[MAX_WORDS];
    unsigned char wlen[MAX_WORDS];
    /* The options (the cohort's copy): the missing-value codes, and the
    ** column's value map (rc, or NULL).  mapped: a cell is looked up in
    ** them before the column reads it (cell_text), since a code or a map
    ** could say otherwise than the column's own reading: the column has a
    ** value map, a number code lies in its range, or a text code is one of
    ** its words.  Otherwise only a cell the column cannot read is. */
    const sarx_readopts *ro;
    const sarx__rcol *rc;
    unsigned char mapped;
} colplan;

/* Up to 8 bytes of text, little-endian in one integer (the word tables' form). */
static uint64_t pack8(const char *t, size_t len)
{
    uint64_t x = 0;
    size_t k;
    for (k = 0; k < len; k++)
        x |= (uint64_t)(unsigned char)t[k] << (8 * k);
    return x;
}

/* The value of a cell that is one of the column's words, in any case: 1 and
** *v set, or 0.  Every word is compared, without an early exit, so there is
** no branch on which word the cell holds. */
static int match_word(const colplan *p, const char *t, size_t len, double *v)
{
    uint64_t x;
    double val = 0;
    size_t k;
    int hit = 0;
    if (len > 8)
        return 0;
    x = pack8(t, len);
    for (k = 0; k < (size_t)p->g.nwords; k++) {
        int h = p->wlen[k] == len && (x | p->wcase[k]) == p->g.word[k];
        val = h ? p->g.wcode[k] : val;
        hit |= h;
    }
    if (hit)
        *v = val;
    return hit;
}

/* A word for the table: 1 and its packed form, case bits and length when
** it fits (up to 8 bytes, lower case, no NUL) and is not there yet. */
static int word_fits(const colplan *p, const char *t, size_t len)
{
    size_t k;
    if (len == 0 || len > 8 || memchr(t, '\0', len))
        return 0;
    for (k = 0; k < (size_t)p->g.nwords; k++)
        if (p->wlen[k] == len && p->g.word[k] == pack8(t, len))
            return 0;
    return 1;
}

static void add_word(colplan *p, const char *t, size_t len, double v)
{
    uint64_t cs = 0;
    size_t k;
    for (k = 0; k < len; k++)
        if (t[k] >= 'a' && t[k] <= 'z')
            cs |= (uint64_t)0x20 << (8 * k);
    p->g.word[p->g.nwords] = pack8(t, len);
    p->wcase[p->g.nwords] = cs;
    p->wlen[p->g.nwords] = (unsigned char)len;
    p->g.wcode[p->g.nwords++] = v;
}

/* The word table of a true/false or enumerated column.  The candidates need
** not be complete (any other cell goes to sarx__text_code); each one's value
** is what sarx__text_code says.  With the options: the column's value map
** first (its spellings, at the value they map to, NaN for missing), then
** the usual words that no map or missing-value code takes, then the text
** codes themselves as NaN while there is room: the order in which
** cell_text and the column read a cell, so a table hit is what they would
** say.  The words left out are read by parse_cell (mapped columns, and
** cells the table does not hold) or the slow path. */
static void plan_words(colplan *p)
{
    static const char *const bools[] = {"true", "false", "yes", "no", "1", "0"};
    char cand[2 * MAX_WORDS][9];
    size_t nc = 0, k, w;
    p->g.nwords = 0;
    for (k = 0; p->rc && k < p->rc->nval && p->g.nwords < MAX_WORDS; k++) {
        const sarx__rvalue *m = &p->rc->val[k];
        double v = NAN;
        if (!word_fits(p, m->from, m->from_len) || (m->to_len && !sarx__text_code(p->fi, m->to, m->to_len, &v)))
            continue;
        add_word(p, m->from, m->from_len, v);
    }
    if (p->fi->kind == SARX_KIND_BOOL) {
        for (k = 0; k < sizeof bools / sizeof bools[0]; k++)
            snprintf(cand[nc++], sizeof cand[0], "%s", bools[k]);
    } else if (p->fi->values) { /* the allowed words, then m and f (sex takes them) */
        const char *v = p->fi->values;
        while (*v && nc < MAX_WORDS) {
            size_t len = strcspn(v, "|");
            if (len <= 8)
                snprintf(cand[nc++], sizeof cand[0], "%.*s", (int)len, v);
            v += len + (v[len] == '|');
        }
        snprintf(cand[nc++], sizeof cand[0], "m");
        snprintf(cand[nc++], sizeof cand[0], "f");
    }
    for (w = 0; w < nc && p->g.nwords < MAX_WORDS; w++) {
        size_t len = strlen(cand[w]);
        double v;
        if (!sarx__text_code(p->fi, cand[w], len, &v) || !word_fits(p, cand[w], len) ||
            sarx__readopts_value_of(p->rc, cand[w], len) || sarx__readopts_na_text(p->ro, cand[w], len))
            continue;
        add_word(p, cand[w], len, v);
    }
    for (k = 0; k < p->ro->nna && p->g.nwords < MAX_WORDS; k++)
        if (word_fits(p, p->ro->na[k], p->ro->na_len[k]) &&
            !sarx__readopts_value_of(p->rc, p->ro->na[k], p->ro->na_len[k]))
            add_word(p, p->ro->na[k], p->ro->na_len[k], NAN);
}

struct sarx_cohort {
    const sarx_ctx *ctx;
    unsigned flags;
    size_t ncol;
    int *col_field; /* canonical field, -1 ignored, -2 id */
    int *col_alias;
    const sarx_field_info **col_info; /* the named field's info (its unit, range, kind) */
    colplan *plan;
    /* The used columns, in slots: slot s is column vcol[s], and
    ** vf[s * 8 + lane % 8], vl[...] hold its cells in the rows of the
    ** current block of eight lanes (column-major, as cells8.c takes them;
    ** 8 x 16 bytes a slot, so a block stays in the L1 cache between the
    ** rows coming in and their reading).  Where the processor has it,
    ** the number and word columns come first, slots 0 .. nvec - 1, read a
    ** column at a time, eight rows at once, by their plans' g; the other
    ** slots (dates, lists, or every column without it) go to parse_cell. */
    size_t *vcol, nvec, nused;
    char **vf;
    size_t *vl;
    unsigned char *rest; /* per vector slot, the lanes of a block left to parse_cell */
    char **rowf;         /* one row's fields from the slots, for parse_slow */
    size_t *rowl;
    uint64_t unread[SARX__LWORDS]; /* the lanes added (sarx_cohort_add) and not yet read */
    const char *text_end; /* their text may be read up to here (sarx_cohort_readable), or NULL */
    uint64_t refused[SARX__LWORDS]; /* the lanes added that their reading refused, */
    sarx_error *lerr; /* with their errors (written only then) */
    int baseline; /* the scalar path only (sarx__cohort_use_baseline) */
    long id_col;
    char **ignored;
    size_t nignored;
    sarx_readopts *ro; /* the options, copied (sarx_cohort_new_ex) */
    long *col_rc;      /* per column: its entry in ro->col, or -1 */
    char **colname;    /* per used column: its header text, trimmed (the summary's "columns"); NULL in a clone */
    sarx_subject *s; /* a row the slow way, and error messages */
    int npend;       /* rows parsed into the batch's lanes, not yet classified */
    sarx__batch *scratch;
    const double *sarc_f; /* its SARC-F total column */
    long rows, rejected;
    long *tally; /* [def][kind][slot]: TALLY */
    long *agree; /* [a][4][b]: both, only a, only b, neither (AGREE) */
    unsigned *na_cats; /* [def]: bit k when category k is not_applicable (no reading) */
    long cond_col;     /* the conditions column, or -1 */
    /* What recent conditions cells mean (sarx__conditions_summary of their
    ** items), by the cell's bytes: a cohort repeats a few lists many times,
    ** and reading one through the vocabulary costs more than the rest of
    ** its row (200,000 rows of ten lists: 0.41 s without, 0.11 s with).
    ** Two slots per hash; cells longer than COND_TEXT are read each time. */
#define COND_SLOTS 256
#define COND_TEXT 61
    struct cond_slot {
        unsigned char len; /* 0: empty */
        unsigned char cs;
        unsigned char age; /* of a pair of slots: 1 for the one used less recently */
        char text[COND_TEXT];
    } *cond_cache;
    unsigned char band_of_year[MAX_YEAR + 1]; /* the bands table by whole year (its bounds are whole years) */
    /* choose_count: the widest the CPU has */
    void (*count)(struct sarx_cohort *c, const sarx__masks *m, size_t at, size_t n);
};

#define TALLY(c, d, k) (&(c)->tally[((size_t)(d) * KINDS + (size_t)(k)) * SLOTS])
#define AGREE(c, a, q) (&(c)->agree[((size_t)(a) * 4 + (size_t)(q)) * (c)->ctx->ndefs]) /* [b] */

void sarx_cohort_free(sarx_cohort *c)
{
    size_t i;
    if (!c)
        return;
    for (i = 0; i < c->nignored; i++)
        free(c->ignored[i]);
    free(c->ignored);
    for (i = 0; c->colname && i < c->ncol; i++)
        free(c->colname[i]);
    free(c->colname);
    free(c->col_rc);
    sarx_readopts_free(c->ro);
    free(c->col_field);
    free(c->col_alias);
    free(c->col_info);
    free(c->plan);
    free(c->vcol);
    free(c->vf);
    free(c->vl);
    free(c->rest);
    free(c->rowf);
    free(c->rowl);
    free(c->lerr);
    sarx_subject_free(c->s);
    sarx__batch_free(c->scratch);
    free(c->tally);
    free(c->agree);
    free(c->na_cats);
    free(c->cond_cache);
    free(c);
}

static void count_swar(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n);
#if defined(SARX__X86_DISPATCH)
static void count_popcnt(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n);
static void count_vpopcnt(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n);
#endif

/* The widest counting the processor has, or the SWAR one (baseline). */
static void choose_count(sarx_cohort *c, int baseline)
{
    c->count = count_swar;
#if defined(SARX__X86_DISPATCH)
    __builtin_cpu_init();
    if (!baseline && __builtin_cpu_supports("popcnt"))
        c->count = count_popcnt;
    if (!baseline && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq"))
        c->count = count_vpopcnt;
#else
    (void)baseline;
#endif
}

static sarx_cohort *alloc(const sarx_ctx *ctx, size_t ncol)
{
    sarx_cohort *c = calloc(1, sizeof *c);
    size_t nd = ctx->ndefs;
    if (!c)
        return NULL;
    c->ctx = ctx;
    c->ncol = ncol;
    choose_count(c, 0);
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
    c->plan = calloc(ncol ? ncol : 1, sizeof *c->plan);
    c->vcol = calloc(ncol ? ncol : 1, sizeof *c->vcol);
    c->vf = calloc((ncol ? ncol : 1) * 8, sizeof *c->vf);
    c->vl = calloc((ncol ? ncol : 1) * 8, sizeof *c->vl);
    c->lerr = calloc(SARX__LANES, sizeof *c->lerr);
    c->rest = calloc(ncol ? ncol : 1, sizeof *c->rest);
    c->rowf = calloc(ncol ? ncol : 1, sizeof *c->rowf);
    c->rowl = calloc(ncol ? ncol : 1, sizeof *c->rowl); /* (an unused column's cell is never read) */
    c->tally = calloc(nd * KINDS * SLOTS, sizeof *c->tally);
    c->agree = calloc(nd * 4 * nd, sizeof *c->agree);
    c->na_cats = calloc(nd ? nd : 1, sizeof *c->na_cats);
    c->cond_cache = calloc(COND_SLOTS, sizeof *c->cond_cache);
    c->col_rc = calloc(ncol ? ncol : 1, sizeof *c->col_rc);
    if (!c->col_rc || !c->col_field || !c->col_alias || !c->col_info || !c->plan || !c->vcol || !c->vf || !c->vl ||
        !c->rest || !c->rowf || !c->rowl || !c->lerr || !c->ignored || !c->tally || !c->agree || !c->na_cats ||
        !c->cond_cache ||
        !(c->scratch = sarx__batch_new()) || sarx_subject_new(&c->s) != SARX_OK) {
        sarx_cohort_free(c);
        return NULL;
    }
    c->sarc_f = sarx__batch_column(c->scratch, SARX__F_SARC_F);
    {
        size_t d, k;
        for (d = 0; d < nd; d++)
            for (k = 0; k < ctx->defs[d].d->ncat; k++)
                if (sarx__cat_not_applicable(&ctx->defs[d].d->cats[k]))
                    c->na_cats[d] |= 1u << k;
    }
    return c;
}

/* The slots of the used columns: first those read eight rows at a time
** (cells8.c), the number and word columns where the processor can, then
** the others. */
static void plan_columns(sarx_cohort *c)
{
    size_t i;
    int simd = !c->baseline && sarx__cells8_available(), pass;
    c->nvec = c->nused = 0;
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < c->ncol; i++) {
            const colplan *p = &c->plan[i];
            /* (a mapped number column is read by parse_cell, which looks
            ** the cell up first; a word column's table already holds its map) */
            int vec = simd && (((p->how == HOW_NUMBER || p->how == HOW_INTEGER) && !p->mapped) || p->how == HOW_CODE);
            if (p->how != HOW_SKIP && vec == !pass)
                c->vcol[c->nused++] = i;
            if (pass == 0 && vec)
                c->nvec++;
        }
}

/* The scalar path only (1), or the widest the processor has (0): for the
** tests, which hold the two to the same results. */
void sarx__cohort_use_baseline(sarx_cohort *c, int baseline)
{
    c->baseline = baseline;
    plan_columns(c);
    choose_count(c, baseline);
}

/* Each column's reading plan, from its field (after the header is mapped). */
static void make_plan(sarx_cohort *c)
{
    size_t i;
    c->cond_col = -1;
    for (i = 0; i < c->ncol; i++)
        if (c->col_field[i] == SARX__F_CONDITIONS)
            c->cond_col = (long)i;
    for (i = 0; i < c->ncol; i++) {
        colplan *p = &c->plan[i];
        const sarx_field_info *fi = c->col_info[i];
        int f = c->col_field[i], a = c->col_alias[i];
        p->how = HOW_SKIP;
        if (f < 0)
            continue;
        p->fi = fi;
        p->ro = c->ro;
        p->rc = c->col_rc[i] >= 0 ? &c->ro->col[c->col_rc[i]] : NULL;
        p->mapped = p->rc && p->rc->nval;
        memset(&p->g, 0, sizeof p->g);
        p->g.lo = fi->min;
        p->g.hi = fi->max;
        p->g.scale = a < 0 ? 1.0 : sarx__aliases[a].scale; /* x 1.0 is exact: the canonical value as typed */
        p->g.sign = fi->min < 0; /* (elsewhere a minus sign is out of range, or "-0": parse_cell's) */
        p->col = sarx__batch_column(c->scratch, f);
        switch (fi->kind) {
        case SARX_KIND_NUMBER: p->how = HOW_NUMBER; break;
        case SARX_KIND_INTEGER:
            p->how = HOW_INTEGER;
            p->g.integer = 1;
            break;
        case SARX_KIND_BOOL:
        case SARX_KIND_ENUM: {
            size_t k;
            double v;
            p->how = HOW_CODE;
            p->g.code = 1;
            for (k = 0; k < c->ro->nna; k++)
                p->mapped |= sarx__text_code(fi, c->ro->na[k], c->ro->na_len[k], &v);
            plan_words(p);
            break;
        }
        case SARX_KIND_DATE: p->how = HOW_DATE; break;
        default: p->how = HOW_LIST; break; /* conditions, medications: the subject's parser */
        }
        if (p->how == HOW_NUMBER || p->how == HOW_INTEGER) {
            size_t k;
            for (k = 0; k < c->ro->nnum; k++) /* a code the column could read as a value */
                p->mapped |= c->ro->na_num[k] >= p->g.lo && c->ro->na_num[k] <= p->g.hi;
        }
    }
    plan_columns(c);
}

/* A header name in a message: control bytes escaped, cut to fit. */
static const char *show_name(char *buf, size_t n, const char *t, size_t len)
{
    sarx__show(buf, n, t, len);
    return buf;
}

int sarx_cohort_new(const sarx_ctx *ctx, char *const *header, const size_t *lens, size_t n, unsigned flags,
                    sarx_cohort **out, sarx_error *err)
{
    return sarx_cohort_new_ex(ctx, header, lens, n, flags, NULL, out, err);
}

int sarx_cohort_new_ex(const sarx_ctx *ctx, char *const *header, const size_t *lens, size_t n, unsigned flags,
                       const sarx_readopts *opts, sarx_cohort **out, sarx_error *err)
{
    sarx_cohort *c;
    size_t i, k;
    int rc;
    if (!ctx || !header || !lens || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    if (!(c = alloc(ctx, n)) || !(c->ro = sarx__readopts_copy(opts)) ||
        !(c->colname = calloc(n ? n : 1, sizeof *c->colname))) {
        sarx_cohort_free(c);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    c->flags = flags;
    for (i = 0; i < n; i++) {
        char name[64];
        const char *h = header[i];
        size_t len = lens[i], j;
        int alias = -1, f = -1;
        const sarx__rcol *rcol;
        while (len && sarx__space((unsigned char)*h))
            h++, len--;
        while (len && sarx__space((unsigned char)h[len - 1]))
            len--;
        rcol = sarx__readopts_column(c->ro, h, len);
        c->col_rc[i] = rcol ? (long)(rcol - c->ro->col) : -1;
        if (rcol && rcol->field >= 0) { /* renamed: the name is the field's */
            const char *fn = rcol->alias >= 0 ? sarx__aliases[rcol->alias].name : sarx__field_info[rcol->field].name;
            snprintf(name, sizeof name, "%s", fn);
            f = rcol->field;
            alias = rcol->alias;
        } else {
            for (j = 0; j < len && j < sizeof name - 1; j++)
                name[j] = (char)sarx__lower((unsigned char)h[j]);
            name[j] = '\0';
            if (len < sizeof name) /* (no field has a longer name) */
                f = sarx__field_lookup(name, len, &alias);
        }
        c->col_field[i] = f;
        c->col_alias[i] = alias;
        if (f >= 0)
            c->col_info[i] = &sarx__field_info[alias < 0 ? (size_t)f : SARX__F_COUNT + (size_t)alias];
        if (f < 0) {
            /* The name as it is shown: in lower case, whole, a NUL or
            ** another control byte escaped (sarx__show). */
            char *low = malloc(len + 1), *shown = malloc(4 * len + 1);
            if (!low || !shown) {
                free(low);
                free(shown);
                sarx_cohort_free(c);
                return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
            }
            for (j = 0; j < len; j++)
                low[j] = (char)sarx__lower((unsigned char)h[j]);
            sarx__show(shown, 4 * len + 1, low, len);
            if (flags & SARX_COHORT_STRICT) {
                const char *hint = len < sizeof name && !memchr(name, '\0', len) ? sarx__field_suggest(name) : NULL;
                char field[64];
                sarx__show(field, sizeof field, low, len);
                sarx__err(err, SARX_EFIELD, field, "", "", "column %zu: unknown field \"%s\"%s%s%s", i + 1, shown,
                          hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
                free(low);
                free(shown);
                sarx_cohort_free(c);
                return SARX_EFIELD;
            }
            free(low);
            c->ignored[c->nignored++] = shown;
            continue;
        }
        if (!(c->colname[i] = malloc(len + 1))) {
            sarx_cohort_free(c);
            return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
        }
        memcpy(c->colname[i], h, len);
        c->colname[i][len] = '\0';
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
                char a[100], b[100];
                sarx__err(err, SARX_ECONFLICT, name, "", "",
                          "columns %zu (\"%s\") and %zu (\"%s\") both give %s: keep one (in one unit)", k + 1,
                          show_name(a, sizeof a, c->colname[k], strlen(c->colname[k])), i + 1,
                          show_name(b, sizeof b, c->colname[i], strlen(c->colname[i])), sarx__field_info[f].name);
                sarx_cohort_free(c);
                return SARX_ECONFLICT;
            }
    }
    if ((rc = sarx__readopts_check(c->ro, c->col_rc, c->col_field, c->col_alias, n, header, lens,
                                   (flags & SARX_COHORT_DECIMAL_COMMA) ? SARX_TEXT_DECIMAL_COMMA : 0, c->s, err)) !=
        SARX_OK) {
        sarx_cohort_free(c);
        return rc;
    }
    make_plan(c);
    *out = c;
    return SARX_OK;
}

int sarx_cohort_clone(const sarx_cohort *src, sarx_cohort **out)
{
    sarx_cohort *c;
    if (!src || !out)
        return SARX_EINVAL;
    *out = NULL;
    if (!(c = alloc(src->ctx, src->ncol)) || !(c->ro = sarx__readopts_copy(src->ro))) {
        sarx_cohort_free(c);
        return SARX_ENOMEM;
    }
    memcpy(c->col_field, src->col_field, src->ncol * sizeof *c->col_field);
    memcpy(c->col_alias, src->col_alias, src->ncol * sizeof *c->col_alias);
    memcpy(c->col_info, src->col_info, src->ncol * sizeof *c->col_info);
    memcpy(c->col_rc, src->col_rc, src->ncol * sizeof *c->col_rc); /* (the copy keeps the columns' order) */
    c->id_col = src->id_col;
    c->flags = src->flags;
    c->baseline = src->baseline;
    make_plan(c);
    *out = c;
    return SARX_OK;
}

const char *sarx_cohort_column_field(const sarx_cohort *c, size_t i)
{
    if (!c || i >= c->ncol || c->col_field[i] == -1)
        return NULL;
    if (c->col_field[i] == -2)
        return sarx__field_info[SARX__F_ID].name;
    return c->col_alias[i] >= 0 ? sarx__aliases[c->col_alias[i]].name : sarx__field_info[c->col_field[i]].name;
}

size_t sarx__cohort_ncol(const sarx_cohort *c) { return c ? c->ncol : 0; }
const char *sarx__cohort_column_name(const sarx_cohort *c, size_t i)
{
    return c && c->colname && i < c->ncol ? c->colname[i] : NULL;
}
size_t sarx_cohort_column_values(const sarx_cohort *c, size_t i)
{
    return c && i < c->ncol && c->col_rc[i] >= 0 ? c->ro->col[c->col_rc[i]].nval : 0;
}

size_t sarx_cohort_ignored_count(const sarx_cohort *c) { return c ? c->nignored : 0; }
const char *sarx_cohort_ignored(const sarx_cohort *c, size_t i) { return c && i < c->nignored ? c->ignored[i] : NULL; }
long sarx_cohort_id_column(const sarx_cohort *c) { return c ? c->id_col : -1; }
long sarx_cohort_rows(const sarx_cohort *c) { return c ? c->rows : 0; }
long sarx_cohort_rejected(const sarx_cohort *c) { return c ? c->rejected : 0; }

/* The summary of the row's conditions (parsed into s from its cell), from
** the cache when the same cell was read before: two slots per hash, the
** older replaced. */
static unsigned char conditions_summary(sarx_cohort *c, const sarx_subject *s, char *const *fields,
                                        const size_t *lens)
{
    const char *t;
    size_t len, k;
    uint32_t h = 2166136261u; /* FNV-1a */
    struct cond_slot *pair, *slot;
    if (!s->conditions.n)
        return 0;
    t = fields[c->cond_col];
    len = lens[c->cond_col];
    if (len > COND_TEXT)
        return (unsigned char)sarx__conditions_summary(s->conditions.item, s->conditions.n);
    for (k = 0; k < len; k++)
        h = (h ^ (unsigned char)t[k]) * 16777619u;
    pair = &c->cond_cache[2 * ((h ^ h >> 16) % (COND_SLOTS / 2))];
    for (k = 0; k < 2; k++)
        if (pair[k].len == len && memcmp(pair[k].text, t, len) == 0) {
            pair[k].age = 0;
            pair[1 - k].age = 1;
            return pair[k].cs;
        }
    slot = pair[0].age >= pair[1].age ? &pair[0] : &pair[1];
    slot->cs = (unsigned char)sarx__conditions_summary(s->conditions.item, s->conditions.n);
    memcpy(slot->text, t, len);
    slot->len = (unsigned char)len;
    slot->age = 0;
    (slot == pair ? &pair[1] : pair)->age = 1;
    return slot->cs;
}

/* What a cell says before its column reads it, through the options
** (sarx__readopts_cell): 0 missing, 1 and the cell to read, or 2 and the
** value a map gave it, which is read once, by the field's own reading, with
** '.' for the decimal mark (docs/FILES.md): not looked up again. */
static int cell_text(const colplan *p, const char **t, size_t *len, char sep)
{
    return sarx__readopts_cell(p->ro, p->rc, p->fi, p->how == HOW_NUMBER || p->how == HOW_INTEGER, t, len, sep);
}

/* A refused cell of a renamed column: the file's column named with its
** field ("column \"gewicht\" (weight_kg): ..." for the field's
** "field \"weight_kg\": ..."), since the file has no column of the field's
** name.  The error path only; the name is the options' (a clone has it). */
static int renamed_error(const sarx_cohort *c, size_t i, int rc, sarx_error *err)
{
    const sarx__rcol *rcol = c->col_rc[i] >= 0 ? &c->ro->col[c->col_rc[i]] : NULL;
    const char *fn;
    char name[100], pre[96];
    size_t pl;
    sarx_error e;
    if (!err || !rcol || rcol->field < 0)
        return rc;
    e = *err;
    fn = rcol->alias >= 0 ? sarx__aliases[rcol->alias].name : sarx__field_info[rcol->field].name;
    pl = (size_t)snprintf(pre, sizeof pre, "field \"%s\": ", fn);
    show_name(name, sizeof name, rcol->name, rcol->name_len);
    sarx__err(err, rc, e.field, e.value, e.allowed, "column \"%s\" (%s): %s", name, fn,
              strncmp(e.message, pre, pl) == 0 ? e.message + pl : e.message);
    return rc;
}

/* A row the subject's way (sarx_subject_set_text per cell), when a cell is
** not a plain one: blanks around it, a list, a bad or out-of-range value.
** Its values then go to the lane's columns. */
static int parse_slow(sarx_cohort *c, char *const *fields, const size_t *lens, int lane, sarx_error *err)
{
    sarx_subject *s = c->s;
    unsigned tflags = (c->flags & SARX_COHORT_DECIMAL_COMMA) ? SARX_TEXT_DECIMAL_COMMA : 0;
    char sep = (c->flags & SARX_COHORT_DECIMAL_COMMA) ? ',' : '.';
    size_t i;
    int rc;
    sarx_subject_clear(s);
    for (i = 0; i < c->ncol; i++) {
        const char *t = fields[i];
        size_t len = lens[i];
        int r;
        if (c->plan[i].how == HOW_SKIP || !len || !(r = cell_text(&c->plan[i], &t, &len, sep)))
            continue; /* not read, or missing */
        if ((rc = sarx__subject_set_text_at(s, c->col_field[i], c->col_alias[i], t, len,
                                            r == 2 ? tflags & ~(unsigned)SARX_TEXT_DECIMAL_COMMA : tflags, err)) !=
            SARX_OK)
            return renamed_error(c, i, rc, err);
    }
    for (i = 0; i < c->ncol; i++)
        if (c->plan[i].how != HOW_SKIP)
            c->plan[i].col[lane] = s->v[c->col_field[i]];
    /* what the conditions mean for the rules (the vocabulary), as the
    ** subject's measures read it: the same cell, the same meaning */
    sarx__batch_conditions(c->scratch)[lane] = conditions_summary(c, s, fields, lens);
    return SARX_OK;
}

/* One cell straight into its column, the common cells: 1, or 0 when the
** cell is not one of them. */
static int parse_value(const colplan *p, const char *t, size_t len, char sep, int lane)
{
    double v;
    int day;
    if (len == 0) {
        p->col[lane] = NAN;
        return 1;
    }
    switch (p->how) {
    case HOW_NUMBER:
        if (sarx__parse_plain(t, len, sep, &v) && v >= p->g.lo && v <= p->g.hi) {
            p->col[lane] = v * p->g.scale;
            return 1;
        }
        return 0;
    case HOW_INTEGER: /* in range first: the conversion is then defined (fields stay below 1e5) */
        if (sarx__parse_plain(t, len, sep, &v) && v >= p->g.lo && v <= p->g.hi && v == (double)(int64_t)v) {
            p->col[lane] = v * p->g.scale;
            return 1;
        }
        return 0;
    case HOW_CODE:
        if (match_word(p, t, len, &v) || sarx__text_code(p->fi, t, len, &v)) {
            p->col[lane] = v;
            return 1;
        }
        return 0;
    case HOW_DATE:
        if (sarx__parse_date(t, len, &day) == SARX_OK) {
            p->col[lane] = (double)day;
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

/* One cell through the options, then straight into its column: 1, or 0
** when it is not a common cell (then the row goes to parse_slow).  An
** unmapped column reads the cell first, and looks it up only when it
** cannot read it: a clean cell costs what it did. */
static int parse_cell(const colplan *p, const char *t, size_t len, char sep, int lane)
{
    double v;
    int r;
    if (!p->mapped && parse_value(p, t, len, sep, lane))
        return 1;
    if (!(r = cell_text(p, &t, &len, sep))) {
        p->col[lane] = NAN;
        return 1;
    }
    if (r == 2) { /* a map's value: not through the word table, which holds the map's own spellings and the codes */
        if (p->how != HOW_CODE)
            return parse_value(p, t, len, '.', lane);
        if (!sarx__text_code(p->fi, t, len, &v))
            return 0;
        p->col[lane] = v;
        return 1;
    }
    return p->mapped && parse_value(p, t, len, sep, lane);
}

/* Each cell straight into its column: the header already resolved the
** field and guarantees it appears once, so every used column is written
** (NaN when the cell is empty) and no lane keeps an earlier row's value.
**
** take_row puts a row's cells in the slots (vf, vl).  read_block reads the
** vector slots of the lanes in `lanes` (bits 0-7 of block b, lanes
** 8b .. 8b + 7), eight rows of a column at once, and returns the lanes it
** left something to (rest[s]: the lanes of slot s).  read_rest reads one
** row's leftovers and other slots with parse_cell: 0 when a cell is not a
** common one, and finish_row then reads the row the slow way, and checks
** it.  sarx_cohort_parse does all of it for its row at once;
** sarx_cohort_add leaves it to read_unread, when its block of eight is
** whole or at sarx_cohort_classify. */
static unsigned read_block(sarx_cohort *c, int b, unsigned lanes, char sep)
{
    unsigned left = 0;
    size_t s, at = (size_t)b * 8;
    for (s = 0; s < c->nvec; s++) {
        const colplan *p = &c->plan[c->vcol[s]];
        unsigned r = sarx__cells8_read(&p->g, c->vf + s * 8, c->vl + s * 8, lanes, sep, c->text_end, p->col + at);
        c->rest[s] = (unsigned char)r;
        left |= r;
    }
    return left;
}

static int read_slot(sarx_cohort *c, size_t s, char sep, int lane)
{
    size_t at = s * 8 + (size_t)(lane & 7);
    return parse_cell(&c->plan[c->vcol[s]], c->vf[at], c->vl[at], sep, lane);
}

static int read_rest(sarx_cohort *c, char sep, int lane, int left)
{
    size_t s;
    for (s = 0; left && s < c->nvec; s++)
        if (((c->rest[s] >> (lane & 7)) & 1u) && !read_slot(c, s, sep, lane))
            return 0;
    for (s = c->nvec; s < c->nused; s++)
        if (!read_slot(c, s, sep, lane))
            return 0;
    return 1;
}

/* A read row's last steps: the slow path when read_rest gave up (fast is 0),
** then the cross-field checks of sarx__subject_finish (SARC-F total and
** items, fat mass as % and kg), in its order.  A refused row is counted as rejected. */
static int finish_row(sarx_cohort *c, int lane, int fast, sarx_error *err)
{
    int rc;
    if (!fast) {
        size_t s;
        for (s = 0; s < c->nused; s++) { /* the row's fields again, from its slots */
            c->rowf[c->vcol[s]] = c->vf[s * 8 + (size_t)(lane & 7)];
            c->rowl[c->vcol[s]] = c->vl[s * 8 + (size_t)(lane & 7)];
        }
        if ((rc = parse_slow(c, c->rowf, c->rowl, lane, err)) != SARX_OK) {
            c->rejected++;
            return rc;
        }
    }
    if (!isnan(c->sarc_f[lane])) {
        double item[SARX__SF_ITEMS];
        int k;
        for (k = 0; k < SARX__SF_ITEMS; k++)
            item[k] = sarx__batch_column(c->scratch, SARX__F_SF_STRENGTH + k)[lane];
        if ((rc = sarx__sarc_f_check(c->sarc_f[lane], item, err)) != SARX_OK) {
            c->rejected++;
            return rc;
        }
    }
    {   /* then fat mass given both ways (sarx__subject_finish's check) */
        sarx__batch *b = c->scratch;
        if ((rc = sarx__fat_check(sarx__batch_column(b, SARX__F_FAT_PCT)[lane],
                                  sarx__batch_column(b, SARX__F_FAT_KG)[lane],
                                  sarx__batch_column(b, SARX__F_WEIGHT)[lane], err)) != SARX_OK) {
            c->rejected++;
            return rc;
        }
    }
    return SARX_OK;
}

/* A row into the next lane (*lane): the checks of both ways in, and its
** cells into the slots. */
static int take_row(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_error *err, int *lane)
{
    size_t s;
    if (!c || !fields || !lens)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    if (c->npend == SARX__LANES)
        return sarx__err(err, SARX_ERANGE, "", "", "", "the batch is full: classify it first");
    if (n != c->ncol) {
        c->rejected++;
        return sarx__err(err, SARX_ESYNTAX, "", "", "", "the row has %zu field%s, the header %zu", n,
                         n == 1 ? "" : "s", c->ncol);
    }
    *lane = c->npend;
    sarx__batch_conditions(c->scratch)[*lane] = 0; /* no conditions, unless parse_slow reads some */
    for (s = 0; s < c->nused; s++) {
        c->vf[s * 8 + (size_t)(*lane & 7)] = fields[c->vcol[s]];
        c->vl[s * 8 + (size_t)(*lane & 7)] = lens[c->vcol[s]];
    }
    return SARX_OK;
}

static char decimal_sep(const sarx_cohort *c) { return (c->flags & SARX_COHORT_DECIMAL_COMMA) ? ',' : '.'; }

int sarx_cohort_parse(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_error *err)
{
    int rc, lane = 0; /* (set by take_row; -O3 cannot tell) */
    char sep;
    unsigned left = 0;
    if ((rc = take_row(c, fields, lens, n, err, &lane)) != SARX_OK)
        return rc;
    sep = decimal_sep(c);
    if (c->nvec)
        left = read_block(c, lane / 8, 1u << (lane % 8), sep);
    if ((rc = finish_row(c, lane, read_rest(c, sep, lane, left != 0), err)) != SARX_OK)
        return rc;
    c->npend++;
    return SARX_OK;
}

/* The lanes added and not yet read (all in the current block), eight rows
** at a time; a refused one goes to `refused` with its error in lerr. */
static void read_unread(sarx_cohort *c)
{
    char sep = decimal_sep(c);
    int w, b;
    for (w = 0; w < SARX__LWORDS; w++)
        for (b = 8 * w; c->unread[w] && b < 8 * w + 8; b++) {
            unsigned m = (unsigned)(c->unread[w] >> (8 * (b % 8))) & 0xFFu, left = 0;
            if (!m)
                continue;
            if (c->nvec)
                left = read_block(c, b, m, sep);
            for (; m; m &= m - 1) {
                int lane = 8 * b + __builtin_ctz(m);
                if (finish_row(c, lane, read_rest(c, sep, lane, (int)((left >> (lane & 7)) & 1u)),
                               &c->lerr[lane]) != SARX_OK)
                    c->refused[w] |= (uint64_t)1 << (lane % 64);
            }
            c->unread[w] &= ~((uint64_t)0xFF << (8 * (b % 8)));
        }
}

void sarx_cohort_readable(sarx_cohort *c, const char *end)
{
    if (!c || end == c->text_end)
        return;
    read_unread(c); /* the rows added under the last promise */
    c->text_end = end;
}

int sarx_cohort_add(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_error *err)
{
    int rc, lane = 0; /* (likewise) */
    if ((rc = take_row(c, fields, lens, n, err, &lane)) != SARX_OK)
        return rc;
    c->unread[lane / 64] |= (uint64_t)1 << (lane % 64);
    c->npend++;
    if ((lane & 7) == 7)
        read_unread(c); /* the block is whole */
    return SARX_OK;
}

/* Bits set in x.  hw: the POPCNT instruction (count_popcnt is compiled
** for it); otherwise the classic SWAR count, since without
** -mpopcnt __builtin_popcountll is a libgcc call. */
static SARX__ALWAYS_INLINE long pc(uint64_t x, int hw)
{
    if (hw)
        return (long)__builtin_popcountll(x);
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (long)((x * 0x0101010101010101ULL) >> 56);
}

/* The rows in `all` by stratum (bit i = pending row at + i, of n from at):
** by sex and by age band, ST_ALL left empty. */
static SARX__ALWAYS_INLINE void strata_of(const sarx_cohort *c, uint64_t all, size_t at, size_t n, uint64_t *strata)
{
    const double *sexc = sarx__batch_column(c->scratch, SARX__F_SEX) + at;
    const double *agec = sarx__batch_column(c->scratch, SARX__F_AGE) + at;
    size_t i;
    memset(strata, 0, NSTRATA * sizeof *strata);
    for (i = 0; i < n; i++) {
        uint64_t bit = (uint64_t)1 << i;
        double sex = sexc[i], age = agec[i];
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
}

/* A definition's positive rows (pos) and those whose reading is decided
** (dec): positive, or complete and not indeterminate, and not a category
** that says the definition does not apply (na: c->na_cats[d]). */
static SARX__ALWAYS_INLINE void readings(const sarx__def *def, const sarx__masks *m, size_t d, unsigned na,
                                         uint64_t *pos, uint64_t *dec)
{
    uint64_t p = 0, none = 0;
    size_t k;
    for (k = 0; k < def->ncat; k++) {
        if (def->cats[k].positive)
            p |= m->cat[d][k];
        if ((na >> k) & 1u)
            none |= m->cat[d][k];
    }
    *pos = p;
    *dec = (p | (m->complete[d] & ~m->cat[d][SARX__MAX_CATS])) & ~none;
}

/* Count a word of a classified batch from its masks (bit i = pending row
** at + i, of n from at). */
static SARX__ALWAYS_INLINE void count_masks(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n, int hw)
{
    uint64_t strata[NSTRATA], pos[64], dec[64], all = m->ok;
    int live[NSTRATA], nlive = 0, st;
    size_t d, e, nd = c->ctx->ndefs;
    strata_of(c, all, at, n, strata);
    for (st = ST_ALL + 1; st < NSTRATA; st++)
        if (strata[st])
            live[nlive++] = st;
    for (d = 0; d < nd; d++) {
        const sarx__def *def = c->ctx->defs[d].d;
        const uint64_t *cat = m->cat[d];
        uint64_t inc = all & ~m->complete[d];
        size_t k;
        int l;
        readings(def, m, d, c->na_cats[d], &pos[d], &dec[d]);
        for (l = 0; l < nlive; l++) {
            int sl = live[l];
            uint64_t sm = strata[sl];
            for (k = 0; k < def->ncat; k++)
                TALLY(c, d, k)[sl] += pc(cat[k] & sm, hw);
            TALLY(c, d, K_INDET)[sl] += pc(cat[SARX__MAX_CATS] & sm, hw);
            TALLY(c, d, K_INCOMPLETE)[sl] += pc(inc & sm, hw);
            TALLY(c, d, K_READING)[sl] += pc(dec[d] & sm, hw);
        }
    }
    for (d = 0; d < nd; d++)
        for (e = d + 1; e < nd; e++) {
            uint64_t both = dec[d] & dec[e];
            AGREE(c, d, 0)[e] += pc(both & pos[d] & pos[e], hw);
            AGREE(c, d, 1)[e] += pc(both & pos[d] & ~pos[e], hw);
            AGREE(c, d, 2)[e] += pc(both & ~pos[d] & pos[e], hw);
            AGREE(c, d, 3)[e] += pc(both & ~pos[d] & ~pos[e], hw);
        }
    c->rows += pc(all, hw);
}

#if defined(SARX__X86_DISPATCH)
__attribute__((target("popcnt"))) static void count_popcnt(sarx_cohort *c, const sarx__masks *m, size_t at,
                                                           size_t n)
{
    count_masks(c, m, at, n, 1);
}

#define VPOPCNT __attribute__((target("avx512f,avx512vpopcntdq")))

/* The rows of x in each stratum added to a kind's tallies t[0 .. 15]. */
VPOPCNT static SARX__ALWAYS_INLINE void add_kind(long *t, uint64_t x, __m512i s0, __m512i s1)
{
    __m512i b = _mm512_set1_epi64((long long)x);
    _mm512_storeu_si512(t, _mm512_add_epi64(_mm512_loadu_si512(t), _mm512_popcnt_epi64(_mm512_and_si512(b, s0))));
    _mm512_storeu_si512(t + 8,
                        _mm512_add_epi64(_mm512_loadu_si512(t + 8), _mm512_popcnt_epi64(_mm512_and_si512(b, s1))));
}

/* The same counts with AVX-512's popcount of eight words at once: a
** kind's sixteen strata slots in two instructions, and a definition's
** agreement with eight others in four. */
VPOPCNT static void count_vpopcnt(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n)
{
    uint64_t strata[SLOTS], pos[64], dec[64], all = m->ok;
    const double *sexc = sarx__batch_column(c->scratch, SARX__F_SEX) + at;
    const double *agec = sarx__batch_column(c->scratch, SARX__F_AGE) + at;
    size_t d, e, nd = c->ctx->ndefs, i;
    __m512i s0, s1;
    memset(strata, 0, sizeof strata);
    /* strata_of's strata, eight rows at a time: the sex by its code (any
    ** other number is female), the band by the whole years, which for ages
    ** >= 0 (the field's range) is by the age itself against the bands'
    ** whole-year bounds, in order and contiguous (a test holds the two
    ** countings to the same summary). */
    for (i = 0; i < n; i += 8) {
        __m512d sex = _mm512_loadu_pd(sexc + i), age = _mm512_loadu_pd(agec + i);
        __mmask8 in = (__mmask8)(all >> i), male = _mm512_cmp_pd_mask(sex, _mm512_set1_pd(SARX__MALE), _CMP_EQ_OQ);
        __mmask8 sexunk = _mm512_cmp_pd_mask(sex, sex, _CMP_UNORD_Q);
        __mmask8 ageunk = _mm512_cmp_pd_mask(age, age, _CMP_UNORD_Q);
        __mmask8 above = 0;
        size_t b;
        strata[ST_MALE] |= (uint64_t)(male & in) << i;
        strata[ST_FEMALE] |= (uint64_t)(in & ~male & ~sexunk) << i;
        strata[ST_SEX_UNKNOWN] |= (uint64_t)(sexunk & in) << i;
        strata[ST_AGE_UNKNOWN] |= (uint64_t)(ageunk & in) << i;
        for (b = NBANDS; b-- > 0;) { /* from the last band down: its own = at or above its floor, not above the next */
            __mmask8 ge = _mm512_cmp_pd_mask(age, _mm512_set1_pd((double)bands[b].lo), _CMP_GE_OQ);
            strata[ST_AGE0 + (int)b] |= (uint64_t)(ge & ~above & in) << i;
            above |= ge;
        }
    }
    s0 = _mm512_loadu_si512(strata);
    s1 = _mm512_loadu_si512(strata + 8);
    for (d = 0; d < nd; d++) {
        const sarx__def *def = c->ctx->defs[d].d;
        const uint64_t *cat = m->cat[d];
        size_t k;
        readings(def, m, d, c->na_cats[d], &pos[d], &dec[d]);
        for (k = 0; k < def->ncat; k++)
            add_kind(TALLY(c, d, k), cat[k], s0, s1);
        add_kind(TALLY(c, d, K_INDET), cat[SARX__MAX_CATS], s0, s1);
        add_kind(TALLY(c, d, K_INCOMPLETE), all & ~m->complete[d], s0, s1);
        add_kind(TALLY(c, d, K_READING), dec[d], s0, s1);
    }
    for (d = 0; d < nd; d++) {
        __m512i p = _mm512_set1_epi64((long long)pos[d]), dd = _mm512_set1_epi64((long long)dec[d]);
        for (e = d + 1; e < nd; e += 8) {
            __mmask8 k = (__mmask8)(nd - e >= 8 ? 0xFF : (1u << (nd - e)) - 1);
            __m512i pe = _mm512_maskz_loadu_epi64(k, pos + e);
            __m512i both = _mm512_and_si512(dd, _mm512_maskz_loadu_epi64(k, dec + e));
            __m512i a[4];
            int q;
            a[0] = _mm512_and_si512(both, _mm512_and_si512(p, pe));
            a[1] = _mm512_and_si512(both, _mm512_andnot_si512(pe, p));
            a[2] = _mm512_and_si512(both, _mm512_andnot_si512(p, pe));
            a[3] = _mm512_andnot_si512(_mm512_or_si512(p, pe), both);
            for (q = 0; q < 4; q++) {
                long *t = AGREE(c, d, q) + e;
                __m512i sum = _mm512_add_epi64(_mm512_maskz_loadu_epi64(k, t), _mm512_popcnt_epi64(a[q]));
                _mm512_mask_storeu_epi64(t, k, sum);
            }
        }
    }
    c->rows += (long)__builtin_popcountll(all);
}
#endif
static void count_swar(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n) { count_masks(c, m, at, n, 0); }

/* Count the n rows of a classified batch, a word of 64 at a time. */
static void count_batch(sarx_cohort *c, size_t n)
{
    const sarx__masks *m = sarx__batch_masks(c->scratch);
    size_t w;
    for (w = 0; 64 * w < n; w++)
        c->count(c, &m[w], 64 * w, n - 64 * w < 64 ? n - 64 * w : 64);
}

size_t sarx_cohort_classify(sarx_cohort *c, sarx_class *out, unsigned char *ok, sarx_error *errs)
{
    size_t n, i, w;
    uint64_t lanes[SARX__LWORDS];
    if (!c)
        return 0;
    n = (size_t)c->npend;
    if (n == 0)
        return 0;
    read_unread(c);
    for (w = 0; w < SARX__LWORDS; w++) {
        size_t k = n <= 64 * w ? 0 : n - 64 * w; /* the pending rows from this word on */
        lanes[w] = (k >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << k) - 1) & ~c->refused[w];
    }
    for (i = 0; errs && i < n; i++)
        if ((c->refused[i / 64] >> (i % 64)) & 1u)
            errs[i] = c->lerr[i];
    memset(c->refused, 0, sizeof c->refused);
    sarx__classify_columns(c->ctx, c->scratch, lanes, (int)n, out);
    count_batch(c, n);
    for (i = 0; ok && i < n; i++)
        ok[i] = (unsigned char)((lanes[i / 64] >> (i % 64)) & 1u);
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
    {
        uint64_t lane0[SARX__LWORDS] = {1};
        sarx__classify_columns(c->ctx, c->scratch, lane0, 1, out);
    }
    count_batch(c, 1);
    c->npend = 0;
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
    for (i = 0; i < nd * KINDS * SLOTS; i++)
        into->tally[i] += from->tally[i];
    for (i = 0; i < nd * 4 * nd; i++)
        into->agree[i] += from->agree[i];
    into->rows += from->rows;
    into->rejected += from->rejected;
    return SARX_OK;
}

/* ---- the summary ---------------------------------------------------- */

/* A stratum's count of kind k; "all" added up from the sex strata. */
static long tally(const sarx_cohort *c, size_t d, int k, int st)
{
    const long *t = TALLY(c, d, k);
    return st == ST_ALL ? t[ST_MALE] + t[ST_FEMALE] + t[ST_SEX_UNKNOWN] : t[st];
}
/* Shared with the renderers in cohort_report.c. */
long sarx__cohort_total(const sarx_cohort *c, size_t d, int st)
{
    long t = 0;
    int k;
    for (k = 0; k <= K_INDET; k++)
        t += tally(c, d, k, st);
    return t;
}
long sarx__cohort_count(const sarx_cohort *c, size_t d, int st, int cat)
{
    return tally(c, d, cat < 0 ? K_INDET : cat, st);
}
long sarx__cohort_positive(const sarx_cohort *c, size_t d, int st)
{
    const sarx__def *def = c->ctx->defs[d].d;
    long t = 0;
    size_t k;
    for (k = 0; k < def->ncat; k++)
        if (def->cats[k].positive)
            t += tally(c, d, (int)k, st);
    return t;
}
long sarx__cohort_incomplete(const sarx_cohort *c, size_t d, int st) { return tally(c, d, K_INCOMPLETE, st); }
long sarx__cohort_reading(const sarx_cohort *c, size_t d, int st) { return tally(c, d, K_READING, st); }
void sarx__cohort_agree(const sarx_cohort *c, size_t a, size_t b, long t[4])
{
    int q;
    for (q = 0; q < 4; q++)
        t[q] = AGREE(c, a, q)[b];
}
const sarx_ctx *sarx__cohort_ctx(const sarx_cohort *c) { return c->ctx; }
int sarx__cohort_nstrata(void) { return NSTRATA; }
const char *sarx__cohort_stratum(int st) { return stratum_name(st); }
int sarx__cohort_first_band(void) { return ST_AGE0; }
