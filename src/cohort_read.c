/*
** cohort_read.c — a cohort's text rows: each cell straight into its batch
** column when it is a common one (eight rows of a column at once where the
** processor can, cells8.c), the subject's own parser for the rest, which
** also words the errors; then classified and counted (cohort_count.c).
*/
#include "cohort_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    sarx__cohort_show_name(name, sizeof name, rcol->name, rcol->name_len);
    sarx__err(err, rc, e.field, e.value, e.allowed, "column \"%s\" (%s): %s", name, fn,
              strncmp(e.message, pre, pl) == 0 ? e.message + pl : e.message);
    return rc;
}

/* A row's cells the subject's way (sarx_subject_set_text per cell) into s,
** cleared first: the reading of parse_slow, and of sarx_cohort_columns_subject. */
int sarx__cohort_cells_subject(const sarx_cohort *c, char *const *fields, const size_t *lens, sarx_subject *s,
                               sarx_error *err)
{
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
    return SARX_OK;
}

/* A row the subject's way, when a cell is not a plain one: blanks around
** it, a list, a bad or out-of-range value.  Its values then go to the
** lane's columns. */
int sarx__cohort_parse_slow(sarx_cohort *c, char *const *fields, const size_t *lens, int lane, sarx_error *err)
{
    sarx_subject *s = c->s;
    size_t i;
    int rc;
    if ((rc = sarx__cohort_cells_subject(c, fields, lens, s, err)) != SARX_OK)
        return rc;
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
int sarx__cohort_parse_cell(const colplan *p, const char *t, size_t len, char sep, int lane)
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
    return sarx__cohort_parse_cell(&c->plan[c->vcol[s]], c->vf[at], c->vl[at], sep, lane);
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
int sarx__cohort_finish_row(sarx_cohort *c, int lane, int fast, sarx_error *err)
{
    int rc;
    if (!fast) {
        size_t s;
        for (s = 0; s < c->nused; s++) { /* the row's fields again, from its slots */
            c->rowf[c->vcol[s]] = c->vf[s * 8 + (size_t)(lane & 7)];
            c->rowl[c->vcol[s]] = c->vl[s * 8 + (size_t)(lane & 7)];
        }
        if ((rc = sarx__cohort_parse_slow(c, c->rowf, c->rowl, lane, err)) != SARX_OK) {
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


int sarx_cohort_parse(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_error *err)
{
    int rc, lane = 0; /* (set by take_row; -O3 cannot tell) */
    char sep;
    unsigned left = 0;
    if ((rc = take_row(c, fields, lens, n, err, &lane)) != SARX_OK)
        return rc;
    sep = sarx__cohort_sep(c);
    if (c->nvec)
        left = read_block(c, lane / 8, 1u << (lane % 8), sep);
    if ((rc = sarx__cohort_finish_row(c, lane, read_rest(c, sep, lane, left != 0), err)) != SARX_OK)
        return rc;
    c->npend++;
    return SARX_OK;
}

/* The lanes added and not yet read (all in the current block), eight rows
** at a time; a refused one goes to `refused` with its error in lerr. */
static void read_unread(sarx_cohort *c)
{
    char sep = sarx__cohort_sep(c);
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
                if (sarx__cohort_finish_row(c, lane, read_rest(c, sep, lane, (int)((left >> (lane & 7)) & 1u)),
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
    sarx__cohort_count_batch(c, n);
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
    sarx__cohort_count_batch(c, 1);
    c->npend = 0;
    return SARX_OK;
}
