/*
** fuzz_csv.c — libFuzzer target: the streaming CSV reader, read in chunks
** of a size chosen by the first byte (so every refill boundary is hit),
** then the cohort pipeline on what it yields (first record = header), and
** every cohort renderer.  Also checks that sarx_csv_complete never claims
** more than the reader consumes, that the reader in place reads what the
** streaming one reads, and that every row the cohort reads (its
** cells parsed straight into columns) gets what the subject API gives for
** the same text: refused with the same message, or the same categories,
** and the same with the scalar cell path alone as with eight rows at once
** (cells8.c, where the processor has it), row by row and added then read
** at classification (sarx_cohort_add), and the command line's way (the
** reader in place, the text readable to its end: sarx_cohort_readable).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h" /* sarx__space, sarx__lower: the cohort's own character classes */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "../tests/memsrc.h"

static sarx_ctx *ctx;

/* The rows added to the deferred cohort and not yet classified: their cells
** (kept until then, as sarx_cohort_add asks) and what sarx_cohort_row gave. */
#define MAXC 128
static struct {
    char *cell[SARX_COHORT_BATCH][MAXC];
    size_t len[SARX_COHORT_BATCH][MAXC], ncell[SARX_COHORT_BATCH];
    int rc[SARX_COHORT_BATCH];
    char msg[SARX_COHORT_BATCH][320];
    sarx_class cls[SARX_COHORT_BATCH][64];
    int n;
} added;

/* Classify the deferred cohort's rows: each as sarx_cohort_row had it. */
static void check_added(sarx_cohort *dfr)
{
    static sarx_class out[SARX_COHORT_BATCH * 64];
    static sarx_error errs[SARX_COHORT_BATCH];
    unsigned char ok[SARX_COHORT_BATCH];
    size_t nd = sarx_definition_count(ctx), k;
    int i;
    if (sarx_cohort_classify(dfr, out, ok, errs) != (size_t)added.n)
        abort();
    for (i = 0; i < added.n; i++) {
        if (ok[i] != (added.rc[i] == SARX_OK) ||
            (ok[i] ? memcmp(out + (size_t)i * nd, added.cls[i], nd * sizeof out[0]) != 0
                   : strcmp(errs[i].message, added.msg[i]) != 0))
            abort();
        for (k = 0; k < added.ncell[i]; k++)
            free(added.cell[i][k]);
    }
    added.n = 0;
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
static void same_as_subject(int rc1, const sarx_error *e1, const sarx_class *cls, char *const *f, const size_t *l,
                            size_t n, unsigned flags)
{
    static sarx_subject *s;
    sarx_class ref[64];
    sarx_error e2;
    size_t k, nd = sarx_definition_count(ctx);
    int rc2 = SARX_OK;
    if (!s && sarx_subject_new(&s) != SARX_OK)
        abort();
    sarx_subject_clear(s);
    for (k = 0; k < n && rc2 == SARX_OK; k++)
        if (use[k])
            rc2 = sarx_subject_set_text(s, name[k], f[k], l[k], flags, &e2);
    if (rc2 == SARX_OK)
        rc2 = sarx_classify(ctx, s, ref, &e2);
    if ((rc1 == SARX_OK) != (rc2 == SARX_OK) || (rc1 != SARX_OK && strcmp(e1->message, e2.message) != 0))
        abort();
    for (k = 0; rc1 == SARX_OK && k < nd; k++)
        if (cls[k].category != ref[k].category || cls[k].complete != ref[k].complete)
            abort();
}

/* The command line's way: the reader in place over a copy of the input,
** each row added with the copy readable up to its end (sarx_cohort_readable:
** a cell's eight bytes loaded at once), a batch classified when full.  Its
** summary, or NULL when the header is refused. */
static char *in_place_summary(const char *p, size_t len, char delim, unsigned flags)
{
    char *copy = malloc(len + 1), *j = NULL, **f;
    sarx_csv *c;
    sarx_cohort *coh = NULL;
    sarx_error err;
    size_t *l, n;
    if (!copy)
        abort();
    memcpy(copy, p, len);
    if (sarx_csv_new_buffer(&c, copy, len, delim, 0) != SARX_OK)
        abort();
    while (sarx_csv_next(c, &f, &l, &n, &err) == 1) {
        if (!coh) {
            if (sarx_cohort_new(ctx, f, l, n, flags, &coh, &err) != SARX_OK)
                break;
            sarx_cohort_readable(coh, copy + len);
            continue;
        }
        if (sarx_cohort_add(coh, f, l, n, &err) == SARX_ERANGE) { /* the batch is full */
            sarx_cohort_classify(coh, NULL, NULL, NULL);
            if (sarx_cohort_add(coh, f, l, n, &err) == SARX_ERANGE)
                abort();
        }
    }
    if (coh) {
        sarx_cohort_classify(coh, NULL, NULL, NULL);
        j = sarx_cohort_summary_json(coh);
        sarx_cohort_free(coh);
    }
    sarx_csv_free(c);
    free(copy);
    return j;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    src s;
    sarx_csv *csv;
    sarx_cohort *coh = NULL, *base = NULL, *dfr = NULL;
    int wide = 0;
    sarx_error err, e2;
    sarx_class cls[64], cls2[64];
    char **f;
    size_t *l, n;
    char delim;
    long rec, lines;
    int r;
    size_t ncol = 0;
    unsigned flags;
    if (size < 2)
        return 0;
    flags = (data[1] & 2) ? SARX_COHORT_DECIMAL_COMMA : 0;
    if (!ctx && sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    s.chunk = 1 + data[0] % 64;
    delim = (data[1] & 1) ? ';' : ',';
    s.p = (const char *)data + 2;
    s.len = size - 2;
    s.pos = 0;
    if (sarx_csv_complete(s.p, s.len, delim, 1, 0, &rec, &lines) > s.len)
        abort();
    {   /* The block splitter and the reader agree on the record count; the
        ** reader in place (sarx_csv_new_buffer, on a copy of exactly len + 1
        ** bytes) reads the same records and errors as the streaming one.  One
        ** of the two scans plain records without AVX-512 (which one, by a bit
        ** of the input), so the two scans are compared too. */
        sarx_csv *c2, *c3;
        src s2 = s;
        long nrec = 0;
        char *copy = malloc(s.len + 1);
        if (!copy)
            abort();
        memcpy(copy, s.p, s.len);
        if (sarx_csv_new(&c2, rd, &s2, delim) == SARX_OK) {
            if (sarx_csv_new_buffer(&c3, copy, s.len, delim, 0) != SARX_OK)
                abort();
            sarx__csv_use_baseline((data[1] & 4) ? c2 : c3);
            for (;;) {
                char **f3;
                size_t *l3, n3, k;
                sarx_error e3;
                int r3;
                r = sarx_csv_next(c2, &f, &l, &n, &err);
                r3 = sarx_csv_next(c3, &f3, &l3, &n3, &e3);
                if (r != r3 || (r < 0 && (err.line != e3.line || strcmp(err.message, e3.message) != 0)))
                    abort();
                if (r != 1)
                    break;
                if (n != n3 || sarx_csv_line(c2) != sarx_csv_line(c3))
                    abort();
                for (k = 0; k < n; k++)
                    if (l[k] != l3[k] || memcmp(f[k], f3[k], l[k]) != 0 || f[k][l[k]] != '\0' || f3[k][l3[k]] != '\0')
                        abort();
                nrec++;
            }
            /* (a leading byte-order mark is the reader's business, not the splitter's) */
            if (r == 0 && nrec != rec && !(s.len >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0))
                abort();
            sarx_csv_free(c2);
            sarx_csv_free(c3);
        }
        free(copy);
    }
    if (sarx_csv_new(&csv, rd, &s, delim) != SARX_OK)
        return 0;
    while ((r = sarx_csv_next(csv, &f, &l, &n, &err)) == 1) {
        if (!coh) {
            if (sarx_cohort_new(ctx, f, l, n, flags, &coh, &err) != SARX_OK)
                break;
            if (sarx_cohort_new(ctx, f, l, n, flags, &base, &err) != SARX_OK ||
                sarx_cohort_new(ctx, f, l, n, flags, &dfr, &err) != SARX_OK)
                abort();
            sarx__cohort_use_baseline(base, 1);
            header_names(f, l, n);
            ncol = n;
            continue;
        }
        if (n <= MAXC) { /* each cell in a block of its own exact size, so that a byte read
                         ** past a cell is an AddressSanitizer report */
            char *own[MAXC];
            size_t k;
            for (k = 0; k < n; k++)
                if (!(own[k] = malloc(l[k] ? l[k] : 1)) || !memcpy(own[k], f[k], l[k]))
                    abort();
            r = sarx_cohort_row(coh, own, l, n, cls, &err);
            if (n != ncol) { /* refused at once: the rows before it first */
                check_added(dfr);
                if (sarx_cohort_add(dfr, own, l, n, &e2) != r || strcmp(err.message, e2.message) != 0)
                    abort();
                for (k = 0; k < n; k++)
                    free(own[k]);
            } else { /* the same cells to the deferred cohort, kept until it classifies */
                int i = added.n++;
                if (sarx_cohort_add(dfr, own, l, n, &e2) != SARX_OK)
                    abort();
                memcpy(added.cell[i], own, n * sizeof own[0]);
                memcpy(added.len[i], l, n * sizeof l[0]);
                added.ncell[i] = n;
                added.rc[i] = r;
                memcpy(added.msg[i], err.message, sizeof added.msg[i]);
                memcpy(added.cls[i], cls, sarx_definition_count(ctx) * sizeof cls[0]);
                if (added.n == SARX_COHORT_BATCH)
                    check_added(dfr);
            }
        } else {
            r = sarx_cohort_row(coh, f, l, n, cls, &err);
            wide = 1;
        }
        if (sarx_cohort_row(base, f, l, n, cls2, &e2) != r ||
            (r != SARX_OK ? strcmp(err.message, e2.message) != 0
                          : memcmp(cls, cls2, sarx_definition_count(ctx) * sizeof cls[0]) != 0))
            abort();
        if (n == ncol && n <= MAXC)
            same_as_subject(r, &err, cls, f, l, n, flags ? SARX_TEXT_DECIMAL_COMMA : 0);
    }
    if (coh) {
        char *j1 = sarx_cohort_summary_json(coh), *j2 = sarx_cohort_summary_json(base), *j3, *j4;
        check_added(dfr);
        j3 = sarx_cohort_summary_json(dfr);
        j4 = in_place_summary((const char *)data + 2, size - 2, delim, flags);
        if (!j1 || !j2 || !j3 || !j4 || strcmp(j1, j2) != 0 || strcmp(j1, j4) != 0)
            abort();
        sarx_free(j4);
        if (!wide && strcmp(j1, j3) != 0) /* (a row too wide for the copies is not added) */
            abort();
        sarx_free(j1);
        sarx_free(j2);
        sarx_free(j3);
        sarx_free(sarx_cohort_summary_text(coh));
        sarx_free(sarx_cohort_svg_prevalence(coh));
        sarx_free(sarx_cohort_svg_agreement(coh));
        sarx_cohort_free(coh);
        sarx_cohort_free(base);
        sarx_cohort_free(dfr);
    }
    sarx_csv_free(csv);
    return 0;
}
