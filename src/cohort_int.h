/*
** cohort_int.h — what the cohort's files share (cohort.c: creation, header
** mapping, clone, merge; cohort_read.c: text rows; cohort_count.c: the
** counting kernels; columns.c: typed columns; cohort_counts.c: counts as
** JSON): the strata, the tallies' layout, the columns' reading plans and
** struct sarx_cohort.  Private to src/.
*/
#ifndef SARX_COHORT_INT_H
#define SARX_COHORT_INT_H

#include "internal.h"

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
static inline uint64_t pack8(const char *t, size_t len)
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
static inline int match_word(const colplan *p, const char *t, size_t len, double *v)
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

/* A header name in a message: control bytes escaped, cut to fit. */
static inline const char *sarx__cohort_show_name(char *buf, size_t n, const char *t, size_t len)
{
    sarx__show(buf, n, t, len);
    return buf;
}
static inline char sarx__cohort_sep(const sarx_cohort *c)
{
    return (c->flags & SARX_COHORT_DECIMAL_COMMA) ? ',' : '.';
}

/* cohort_count.c: the widest counting the processor has, or the SWAR one
** (baseline); count the n rows of a classified batch. */
void sarx__cohort_choose_count(sarx_cohort *c, int baseline);
void sarx__cohort_count_batch(sarx_cohort *c, size_t n);
/* cohort_read.c: a row's cells the subject's way into lane `lane`
** (fields, lens: every column's cell); one cell straight into its column
** (1) or not a common cell (0); a read row's cross-field checks (and the
** slow path first when fast is 0), a refused row counted as rejected. */
int sarx__cohort_cells_subject(const sarx_cohort *c, char *const *fields, const size_t *lens, sarx_subject *s,
                               sarx_error *err);
int sarx__cohort_parse_slow(sarx_cohort *c, char *const *fields, const size_t *lens, int lane, sarx_error *err);
int sarx__cohort_parse_cell(const colplan *p, const char *t, size_t len, char sep, int lane);
int sarx__cohort_finish_row(sarx_cohort *c, int lane, int fast, sarx_error *err);

#endif
