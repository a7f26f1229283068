/*
** fuzz_cohort.c — libFuzzer target: the cohort pipeline on CSV text, every
** way a row can go in, held to one another and to the subject API.
**
** Byte 0: bits 0-2 the header (0: the text's first record; 1-7: one of the
** fixed headers below, the text then all data rows), bit 3 the parse path
** (sarx_cohort_parse) instead of sarx_cohort_add for the fourth cohort,
** bits 4-7 all set: a summary check, in one such input in 8 (below).
** Byte 1: ';' instead of ',' (bit 0), decimal commas (bit 1), a tab as the
** delimiter (bit 3), as in fuzz_csv.c.  The rest is the text, read by the
** reader in place (fuzz_csv.c fuzzes the reader itself).
** Each data row goes to four cohorts of the same header:
**   coh   sarx_cohort_row, each cell in a block of its own exact size (a
**         byte read past a cell is an AddressSanitizer report), for the
**         rows checked in full (full_check: the first 8 and every 4th);
**   base  sarx_cohort_add with those exact-size cells and the scalar code
**         only (no AVX2/AVX-512), classified like dfr (a row at a time it
**         cost a fifth of the time; a row too wide for the copies goes to
**         sarx_cohort_row, after what is pending);
**   dfr   sarx_cohort_add with those exact-size cells, classified when the
**         batch is full or the text ends (sarx_cohort_classify);
**   ip    sarx_cohort_add (or sarx_cohort_parse) on the reader's cells in
**         place, the text readable to its end (sarx_cohort_readable: eight
**         bytes of a cell loaded at once), as `sarx cohort` does;
** and, when it is checked in full and has the header's width, through the
** subject API (sarx_subject_set_text, sarx_classify).  Every row must get the same
** answer everywhere: refused with the same message, or the same category
** and completeness under every definition; and the cohorts must count the
** same rows and rejections.
**
** Speed: a cohort costs about 0.6 MB to create (its batch) and 0.5 ms
** under AddressSanitizer, and a summary about 5 ms (a 65 KB JSON document),
** so the old target, with four cohorts and four summaries per input, ran
** 35-50 inputs a second.  The cohorts of a header are therefore made once
** and kept: for the fixed headers always, for the text's own headers the 128
** used last.  A row's answer does not depend on the rows before it; only
** the counts grow.  The summaries, which depend on every row counted so
** far, are compared on fresh cohorts, in about one input in 128
** (summary_wanted): the JSON of all four, then the text and both SVG
** plots.  Such an input reproduces alone.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>

#include "internal.h" /* sarx__space, sarx__lower, sarx__cohort_use_baseline */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXC 128     /* wider rows go to coh and base only */
#define MAXROWS 8192 /* more rows than an input of 8 KB can hold */
#define NCACHE 128
#define NFIXED 8 /* header 0 is the text's own */

static sarx_ctx *ctx;
static size_t ndefs;

/* A header's four cohorts. */
typedef struct set {
    char *key; /* flags, then each name's length and bytes */
    size_t keylen;
    unsigned long used; /* for choosing which to drop */
    int wide;           /* a row too wide for dfr and ip was counted */
    int partial;        /* coh was not given every row (full_check) */
    sarx_cohort *coh, *base, *dfr, *ip;
} set;
static set cache[NCACHE];
static unsigned long clock_;

/* The fixed headers, by byte 0: what `sarx synth` writes, every field by
** its name, every field by an alternate name where it has one, a clinic's
** usual columns, SARC-F, cachexia and malnutrition, and names in other
** cases with spaces around them, units by alternate names and columns that
** are not fields (ignored).  2 and 3 are made from the field table. */
static const char *const fixed_text[NFIXED] = {
    NULL,
    "id,sex,age_years,population,height_cm,weight_kg,grip_kg,chair_stand_5x_s,gait_speed_m_s,sppb_score,tug_s,"
    "asm_kg,asm_method,smm_kg,ffm_kg,calf_circumference_cm,sarc_f,chronic_illness,cancer,fatigue,anorexia,crp_mg_l,"
    "hemoglobin_g_dl,albumin_g_dl,weight_loss_pct_6m,weight_loss_pct_12m,reduced_intake,inflammation,ecog,site",
    NULL,
    NULL,
    "id,sex,age_years,height_cm,weight_kg,grip_kg,gait_speed_m_s,asm_kg,asm_method",
    "id,sex,age_years,sarc_f_strength,sarc_f_assistance,sarc_f_rise,sarc_f_climb,sarc_f_falls,sarc_f,"
    "calf_circumference_cm,grip_kg",
    "id,sex,age_years,population,weight_kg,height_cm,weight_loss_pct_6m,weight_loss_pct_12m,cancer,"
    "cancer_unresponsive,ecog,life_expectancy_months,crp_mg_l,albumin_g_dl,hemoglobin_g_dl,fatigue,anorexia,"
    "reduced_strength,low_mamc,reduced_intake,inflammation,energy_intake_kcal_kg_day,intake_pct_usual,conditions,"
    "medications,chronic_illness,calf_circumference_cm",
    " ID , SEX,Age_Years ,GRIP_LB,Height_M,weight_lb,notes,ASM_KG,asm_method,,Site name,crp_mg_dl",
};
static struct fixed {
    char *text;
    char *f[MAXC];
    size_t l[MAXC], n;
    set s[2]; /* without and with decimal commas */
} fixed[NFIXED];

/* Split the fixed headers into names (kept for the life of the process). */
static void fixed_init(void)
{
    size_t h, i;
    for (h = 1; h < NFIXED; h++) {
        char *t, *p;
        if (fixed_text[h]) {
            size_t len = strlen(fixed_text[h]) + 1;
            if ((t = malloc(len)))
                memcpy(t, fixed_text[h], len);
        } else { /* every field with a CSV form, by its name or an alternate */
            size_t len = 1;
            for (i = 0; i < sarx_field_count(); i++)
                len += strlen(sarx_field_at(i)->name) + 1;
            if (!(t = malloc(len)))
                abort();
            t[0] = '\0';
            for (i = 0; i < sarx_field_count(); i++) {
                const sarx_field_info *fi = sarx_field_at(i), *alt = NULL;
                size_t j;
                if (fi->kind == SARX_KIND_HISTORY || strcmp(fi->name, fi->canonical) != 0)
                    continue;
                for (j = 0; h == 3 && j < sarx_field_count(); j++)
                    if (!alt && strcmp(sarx_field_at(j)->canonical, fi->name) == 0 &&
                        strcmp(sarx_field_at(j)->name, fi->name) != 0)
                        alt = sarx_field_at(j);
                if (t[0])
                    strcat(t, ",");
                strcat(t, alt ? alt->name : fi->name);
            }
        }
        if (!t)
            abort();
        fixed[h].text = t;
        for (p = t; fixed[h].n < MAXC; p++) {
            char *e = strchr(p, ',');
            fixed[h].f[fixed[h].n] = p;
            fixed[h].l[fixed[h].n++] = e ? (size_t)(e - p) : strlen(p);
            if (!e)
                break;
            *e = '\0';
            p = e;
        }
    }
}

/* What each row of this input got: from sarx_cohort_row for the rows
** checked in full (full_check), else from the first deferred cohort to
** answer (dfr), to which the others are held. */
#define UNCHECKED (-1000)
static struct row {
    int rc;
    char msg[320];
    sarx_class cls[64];
} rows[MAXROWS];

/* Rows pending in a deferred cohort: their numbers. */
typedef struct pending {
    int n, row[SARX_COHORT_BATCH];
} pending;
static pending pdfr, pip, pbase;

/* The cells copied to exact size, for this input: each at an 8-byte
** boundary in one arena, the bytes after it poisoned, so that a byte read
** past a cell is an AddressSanitizer report, as with a block of its own,
** without a malloc per cell (which cost a fifth of the time).  An empty
** cell keeps one byte, as malloc(1) did.  The rows of an 8 KB input need
** at most 8 KB + 16 bytes a cell. */
#define ARENA (1u << 20)
static char *arena;
static size_t arena_used;

static char *cell_copy(const char *p, size_t len)
{
    size_t need = len ? len : 1;
    char *c = arena + arena_used;
    if (arena_used + need + 16 > ARENA)
        abort();
    ASAN_UNPOISON_MEMORY_REGION(c, need);
    memcpy(c, p, len);
    arena_used += (need + 7) / 8 * 8 + 8; /* a poisoned granule after it, at least */
    return c;
}

static void arena_reset(void)
{
    ASAN_POISON_MEMORY_REGION(arena, arena_used);
    arena_used = 0;
}

static char name[MAXC][64]; /* the header's names as the cohort reads them (trimmed, lower case) */
static int use[MAXC];      /* a field other than id */

static void header_names(char *const *f, const size_t *l, size_t n)
{
    size_t i, j;
    for (i = 0; i < n && i < MAXC; i++) {
        const char *h = f[i];
        size_t len = l[i];
        while (len && sarx__space((unsigned char)*h))
            h++, len--;
        while (len && sarx__space((unsigned char)h[len - 1]))
            len--;
        if (len > 63)
            len = 63;
        for (j = 0; j < len; j++)
            name[i][j] = (char)sarx__lower((unsigned char)h[j]);
        name[i][len] = '\0';
        use[i] = strlen(name[i]) == len && sarx_field_find(name[i]) && strcmp(name[i], "id") != 0;
    }
}

/* The row through the subject API; abort when it disagrees with the cohort. */
/* Whether a cell is one of the default missing-value codes (NA, NaN, ".",
** NULL, N/A, any case, trimmed, after a spreadsheet guard: docs/FILES.md),
** written here apart from the library's reader: a cohort reads such a cell
** as missing, so the subject, whose parser knows no codes, is not given it. */
static int default_code(const char *t, size_t n)
{
    static const char *const codes[] = {"na", "nan", ".", "null", "n/a"};
    size_t i, k;
    while (n && sarx__space((unsigned char)*t))
        t++, n--;
    while (n && sarx__space((unsigned char)t[n - 1]))
        n--;
    if (n && *t == '\'' && sarx_csv_guarded(t, n)) {
        t++, n--;
        while (n && sarx__space((unsigned char)*t))
            t++, n--;
    }
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (strlen(codes[i]) != n)
            continue;
        for (k = 0; k < n && sarx__lower((unsigned char)t[k]) == codes[i][k]; k++)
            ;
        if (k == n)
            return 1;
    }
    return 0;
}

static void same_as_subject(const struct row *x, char *const *f, const size_t *l, size_t n, unsigned flags)
{
    static sarx_subject *s;
    sarx_class ref[64];
    sarx_error e2;
    size_t k;
    int rc2 = SARX_OK;
    if (!s && sarx_subject_new(&s) != SARX_OK)
        abort();
    sarx_subject_clear(s);
    for (k = 0; k < n && rc2 == SARX_OK; k++)
        if (use[k] && !default_code(f[k], l[k]))
            rc2 = sarx_subject_set_text(s, name[k], f[k], l[k], flags, &e2);
    if (rc2 == SARX_OK)
        rc2 = sarx_classify(ctx, s, ref, &e2);
    if ((x->rc == SARX_OK) != (rc2 == SARX_OK) || (x->rc != SARX_OK && strcmp(x->msg, e2.message) != 0))
        abort();
    for (k = 0; x->rc == SARX_OK && k < ndefs; k++)
        if (x->cls[k].category != ref[k].category || x->cls[k].complete != ref[k].complete)
            abort();
}

/* Classify a deferred cohort's pending rows: each as sarx_cohort_row had it. */
static void flush(sarx_cohort *c, pending *p)
{
    static sarx_class out[SARX_COHORT_BATCH * 64];
    static sarx_error errs[SARX_COHORT_BATCH];
    unsigned char ok[SARX_COHORT_BATCH];
    int i;
    if (sarx_cohort_classify(c, out, ok, errs) != (size_t)p->n)
        abort();
    for (i = 0; i < p->n; i++) {
        struct row *x = &rows[p->row[i]];
        if (x->rc == UNCHECKED) { /* the first deferred cohort to answer sets the reference */
            x->rc = ok[i] ? SARX_OK : errs[i].code ? errs[i].code : SARX_EINVAL;
            if (ok[i])
                memcpy(x->cls, out + (size_t)i * ndefs, ndefs * sizeof out[0]);
            else
                snprintf(x->msg, sizeof x->msg, "%s", errs[i].message);
            continue;
        }
        if (ok[i] != (x->rc == SARX_OK) ||
            (ok[i] ? memcmp(out + (size_t)i * ndefs, x->cls, ndefs * sizeof out[0]) != 0
                   : strcmp(errs[i].message, x->msg) != 0))
            abort();
    }
    p->n = 0;
}

/* Give a row to a deferred cohort: refused at once with sarx_cohort_row's
** message, or pending (its cells stay until the input ends). */
static void defer(sarx_cohort *c, pending *p, int parse, int i, char **f, const size_t *l, size_t n)
{
    sarx_error e;
    int rc = parse ? sarx_cohort_parse(c, f, l, n, &e) : sarx_cohort_add(c, f, l, n, &e);
    if (rc == SARX_ERANGE && p->n == SARX_COHORT_BATCH) { /* the batch is full */
        flush(c, p);
        rc = parse ? sarx_cohort_parse(c, f, l, n, &e) : sarx_cohort_add(c, f, l, n, &e);
    }
    if (rc != SARX_OK) { /* refused now: as sarx_cohort_row refused it */
        if (rows[i].rc == UNCHECKED) { /* (or the first deferred cohort: the reference) */
            rows[i].rc = rc;
            snprintf(rows[i].msg, sizeof rows[i].msg, "%s", e.message);
        } else if (rc != rows[i].rc || strcmp(e.message, rows[i].msg) != 0) {
            abort();
        }
        return;
    }
    p->row[p->n++] = i;
}

static void set_free(set *s)
{
    sarx_cohort_free(s->coh);
    sarx_cohort_free(s->base);
    sarx_cohort_free(s->dfr);
    sarx_cohort_free(s->ip);
    free(s->key);
    memset(s, 0, sizeof *s);
}

/* A header's cohort coh, or -1 when the header is refused; the others
** now when all is set (an input that compares summaries), else with the
** first data row (set_rest). */
static int set_new(set *s, char **f, const size_t *l, size_t n, unsigned flags, int all)
{
    sarx_error err;
    memset(s, 0, sizeof *s);
    if (sarx_cohort_new(ctx, f, l, n, flags, &s->coh, &err) != SARX_OK) {
        if (err.message[0] == '\0')
            abort();
        return -1;
    }
    if (all) { /* all four by sarx_cohort_new: their summaries are compared (a clone has no ignored columns) */
        if (sarx_cohort_new(ctx, f, l, n, flags, &s->base, &err) != SARX_OK ||
            sarx_cohort_new(ctx, f, l, n, flags, &s->dfr, &err) != SARX_OK ||
            sarx_cohort_new(ctx, f, l, n, flags, &s->ip, &err) != SARX_OK)
            abort();
        sarx__cohort_use_baseline(s->base, 1);
    }
    return 0;
}

/* The other three cohorts of a set, at its first data row (a quarter of
** the headers an input brings have none: their cohorts, 0.6 MB each, were
** a tenth of the time), as clones of coh: sarx_cohort_clone is what `sarx
** cohort` gives each worker thread, so its mapping is held to
** sarx_cohort_new's by every row. */
static void set_rest(set *s)
{
    if (s->base)
        return;
    if (sarx_cohort_clone(s->coh, &s->base) != SARX_OK || sarx_cohort_clone(s->coh, &s->dfr) != SARX_OK ||
        sarx_cohort_clone(s->coh, &s->ip) != SARX_OK)
        abort();
    sarx__cohort_use_baseline(s->base, 1);
}

/* The cached set of a header (made when new), or NULL when it is refused. */
static set *set_get(char **f, const size_t *l, size_t n, unsigned flags)
{
    size_t k, len = sizeof flags, at;
    char *key;
    set *s = NULL;
    int i;
    for (k = 0; k < n; k++)
        len += sizeof l[k] + l[k];
    if (!(key = malloc(len)))
        abort();
    memcpy(key, &flags, sizeof flags);
    for (k = 0, at = sizeof flags; k < n; k++) {
        memcpy(key + at, &l[k], sizeof l[k]);
        memcpy(key + at + sizeof l[k], f[k], l[k]);
        at += sizeof l[k] + l[k];
    }
    for (i = 0; i < NCACHE; i++)
        if (cache[i].key && cache[i].keylen == len && memcmp(cache[i].key, key, len) == 0) {
            free(key);
            cache[i].used = ++clock_;
            return &cache[i];
        }
    for (i = 0; i < NCACHE; i++) /* an empty slot, else the one used longest ago */
        if (!s || !cache[i].key || (s->key && cache[i].used < s->used))
            s = &cache[i];
    if (s->key)
        set_free(s);
    if (set_new(s, f, l, n, flags, 0) != 0) {
        free(key);
        return NULL;
    }
    s->key = key;
    s->keylen = len;
    s->used = ++clock_;
    return s;
}

/* Whether row i of an input is checked in full: through sarx_cohort_row
** and the subject API besides the three deferred cohorts.  Each of those
** two classifies a row alone (a whole batch pass, or the scalar evaluator
** over every definition), together half of this target's time on a grown
** corpus of 20-60-row inputs; the first 8 rows and every 4th after them
** keep both checks, the other rows are held to one another through dfr,
** base and ip (every row of a summary input is checked in full). */
static int full_check(int i) { return i < 4 || (i & 7) == 0; }

/* Whether this input compares the summaries: when byte 0 asks (its top
** four bits set) and a hash of the whole input falls in one of 8 buckets,
** so that about one input in 128, whichever the corpus favours, pays the
** 20 ms of four summaries and the renderers (a mutated input hashes anew). */
static int summary_wanted(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t i;
    if ((data[0] & 0xF0) != 0xF0)
        return 0;
    for (i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return (h & 7) == 0;
}

/* Whether b's summary is a's: every count it is made of (the summary JSON
** and text are functions of these, the ignored columns and the row
** counts), compared without writing b's JSON, which is a few thousand
** small objects and was most of what a summary input cost; a's JSON, text
** and plots are still written, once. */
static void same_counts(const sarx_cohort *a, const sarx_cohort *b)
{
    size_t d, e, k, nk;
    int st;
    if (sarx_cohort_rows(a) != sarx_cohort_rows(b) || sarx_cohort_rejected(a) != sarx_cohort_rejected(b) ||
        sarx_cohort_ignored_count(a) != sarx_cohort_ignored_count(b))
        abort();
    for (k = 0; k < sarx_cohort_ignored_count(a); k++)
        if (strcmp(sarx_cohort_ignored(a, k), sarx_cohort_ignored(b, k)) != 0)
            abort();
    for (d = 0; d < ndefs; d++) {
        nk = sarx_definition_category_count(sarx_definition_at(ctx, d));
        for (st = 0; st < sarx__cohort_nstrata(); st++) {
            if (sarx__cohort_total(a, d, st) != sarx__cohort_total(b, d, st) ||
                sarx__cohort_positive(a, d, st) != sarx__cohort_positive(b, d, st) ||
                sarx__cohort_incomplete(a, d, st) != sarx__cohort_incomplete(b, d, st) ||
                sarx__cohort_reading(a, d, st) != sarx__cohort_reading(b, d, st))
                abort();
            for (k = 0; k <= nk; k++)
                if (sarx__cohort_count(a, d, st, (int)k - 1) != sarx__cohort_count(b, d, st, (int)k - 1))
                    abort();
        }
        for (e = d + 1; e < ndefs; e++) {
            long ta[4], tb[4];
            sarx__cohort_agree(a, d, e, ta);
            sarx__cohort_agree(b, d, e, tb);
            if (memcmp(ta, tb, sizeof ta) != 0)
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sarx_csv *csv;
    set fresh, *s = NULL;
    char *copy, **f, delim;
    size_t *l, n, ncol = 0, len;
    unsigned flags, tflags;
    int parse, summary, hdr, r, nrow = 0;
    sarx_error err;
    if (size < 2)
        return 0;
    if (!ctx) {
        if (sarx_ctx_new(&ctx, NULL) != SARX_OK)
            abort();
        ndefs = sarx_definition_count(ctx);
        if (ndefs > 64)
            abort();
        fixed_init();
        if (!(arena = malloc(ARENA)))
            abort();
        ASAN_POISON_MEMORY_REGION(arena, ARENA);
    }
    delim = (data[1] & 8) ? '\t' : (data[1] & 1) ? ';' : ',';
    flags = (data[1] & 2) ? SARX_COHORT_DECIMAL_COMMA : 0;
    tflags = flags ? SARX_TEXT_DECIMAL_COMMA : 0;
    hdr = data[0] & 7;
    parse = (data[0] & 8) != 0;
    summary = summary_wanted(data, size);
    len = size - 2;
    if (!(copy = malloc(len + 1)))
        abort();
    memcpy(copy, data + 2, len);
    if (sarx_csv_new_buffer(&csv, copy, len, delim, 0) != SARX_OK)
        abort();
    if (hdr) { /* a fixed header: made once (and never refused) */
        struct fixed *fx = &fixed[hdr];
        if (summary) {
            if (set_new(&fresh, fx->f, fx->l, fx->n, flags, 1) != 0)
                abort();
            s = &fresh;
        } else {
            s = &fx->s[flags != 0];
            if (!s->coh && set_new(s, fx->f, fx->l, fx->n, flags, 0) != 0)
                abort();
        }
        header_names(fx->f, fx->l, fx->n);
        ncol = fx->n;
    }
    while ((r = sarx_csv_next(csv, &f, &l, &n, &err)) != 0) {
        char *own[MAXC];
        size_t k;
        if (r < 0) /* a refused record: the reader's business (fuzz_csv) */
            continue;
        if (!s) { /* the text's own header */
            if (summary)
                s = set_new(&fresh, f, l, n, flags, 1) == 0 ? &fresh : NULL;
            else
                s = set_get(f, l, n, flags);
            if (!s)
                break;
            (void)sarx_cohort_id_column(s->coh);
            for (k = 0; k < sarx_cohort_ignored_count(s->coh); k++)
                if (!sarx_cohort_ignored(s->coh, k))
                    abort();
            header_names(f, l, n);
            ncol = n;
            continue;
        }
        if (nrow == MAXROWS)
            abort();
        if (nrow == 0) {
            set_rest(s);
            sarx_cohort_readable(s->ip, copy + len);
        }
        if (n > MAXC) { /* too wide for the copies: coh and base only */
            sarx_class cls2[64];
            sarx_error e2;
            struct row *x = &rows[nrow++];
            x->rc = sarx_cohort_row(s->coh, f, l, n, x->cls, &err);
            memcpy(x->msg, err.message, sizeof x->msg);
            flush(s->base, &pbase);
            if (sarx_cohort_row(s->base, f, l, n, cls2, &e2) != x->rc ||
                (x->rc != SARX_OK ? strcmp(x->msg, e2.message) != 0
                                  : memcmp(x->cls, cls2, ndefs * sizeof cls2[0]) != 0))
                abort();
            s->wide = 1;
            continue;
        }
        /* each cell copied to its exact size */
        for (k = 0; k < n; k++)
            own[k] = cell_copy(f[k], l[k]);
        {
            struct row *x = &rows[nrow];
            if (s == &fresh || full_check(nrow)) {
                x->rc = sarx_cohort_row(s->coh, own, l, n, x->cls, &err);
                memcpy(x->msg, err.message, sizeof x->msg);
                if (n == ncol)
                    same_as_subject(x, f, l, n, tflags);
            } else {
                x->rc = UNCHECKED;
                s->partial = 1;
            }
            defer(s->dfr, &pdfr, 0, nrow, own, l, n);
            defer(s->base, &pbase, 0, nrow, own, l, n);
            defer(s->ip, &pip, parse, nrow, f, l, n);
            nrow++;
        }
    }
    if (s && nrow > 0) {
        flush(s->dfr, &pdfr); /* first: the reference of the rows not checked in full */
        flush(s->base, &pbase);
        flush(s->ip, &pip);
        sarx_cohort_readable(s->ip, NULL); /* the text goes now */
        if (!s->partial && (sarx_cohort_rows(s->coh) != sarx_cohort_rows(s->base) ||
                            sarx_cohort_rejected(s->coh) != sarx_cohort_rejected(s->base)))
            abort();
        if (!s->wide && (sarx_cohort_rows(s->base) != sarx_cohort_rows(s->dfr) ||
                         sarx_cohort_rejected(s->base) != sarx_cohort_rejected(s->dfr) ||
                         sarx_cohort_rows(s->base) != sarx_cohort_rows(s->ip) ||
                         sarx_cohort_rejected(s->base) != sarx_cohort_rejected(s->ip)))
            abort();
    }
    if (s == &fresh) {
        if (s->base) {
            same_counts(s->coh, s->base);
            if (!s->wide) {
                same_counts(s->coh, s->dfr);
                same_counts(s->coh, s->ip);
            }
        }
        sarx_free(sarx_cohort_summary_json(s->coh));
        sarx_free(sarx_cohort_summary_text(s->coh));
        sarx_free(sarx_cohort_svg_prevalence(s->coh));
        sarx_free(sarx_cohort_svg_agreement(s->coh));
        set_free(s);
    }
    arena_reset();
    sarx_csv_free(csv);
    free(copy);
    return 0;
}
