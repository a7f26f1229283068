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
#include "cohort_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *stratum_name(int st)
{
    static const char *const fixed[] = {"all", "male", "female", "sex unknown"};
    if (st < ST_AGE0)
        return fixed[st];
    if (st == ST_AGE_UNKNOWN)
        return "age unknown";
    return bands[st - ST_AGE0].name;
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

static sarx_cohort *alloc(const sarx_ctx *ctx, size_t ncol)
{
    sarx_cohort *c = calloc(1, sizeof *c);
    size_t nd = ctx->ndefs;
    if (!c)
        return NULL;
    c->ctx = ctx;
    c->ncol = ncol;
    sarx__cohort_choose_count(c, 0);
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
    sarx__cohort_choose_count(c, baseline);
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
                          sarx__cohort_show_name(a, sizeof a, c->colname[k], strlen(c->colname[k])), i + 1,
                          sarx__cohort_show_name(b, sizeof b, c->colname[i], strlen(c->colname[i])),
                          sarx__field_info[f].name);
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
const char *sarx__cohort_stratum_kind(int st) { return st == ST_ALL ? "all" : st < ST_AGE0 ? "sex" : "age_band"; }
int sarx__cohort_first_band(void) { return ST_AGE0; }
