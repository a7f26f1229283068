/*
** fuzz_readopts.c — libFuzzer target: the reading options of `sarx cohort`
** (docs/FILES.md): a --map file (CSV or JSON), a --na list, and a table read
** through them.  The input is the map's text, a NUL, the --na list (used
** when byte 0 asks), a NUL, and a CSV table (header, rows).
**
** Checks: a refused map, list or header says why (a message); every row
** read with sarx_cohort_row gets the same result (error and categories)
** from a clone fed the same rows in a batch (sarx_cohort_parse, then
** sarx_cohort_classify), so the slow and the batch readers agree under
** any map; column_field names a field sarx knows or nothing.
** Seeds: fuzz/seeds-readopts/; dictionary: fuzz/readopts.dict.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sarx_ctx *ctx;
static size_t ndefs;

#define MAXROWS 64

/* The next part of the input, up to a NUL (or the end). */
static const char *part(const char **p, const char *end, size_t *len)
{
    const char *s = *p, *z = memchr(s, '\0', (size_t)(end - s));
    *len = (size_t)((z ? z : end) - s);
    *p = z ? z + 1 : end;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sarx_readopts *ro = NULL;
    sarx_cohort *c = NULL, *b = NULL;
    sarx_csv *csv = NULL;
    sarx_error err;
    const char *p, *end, *map, *na, *tab;
    size_t lmap, lna, ltab, n, k;
    char *copy = NULL, *nacopy = NULL, **f;
    size_t *l;
    unsigned flags;
    int r, nrow = 0, rcs[MAXROWS];
    static sarx_class one[MAXROWS][64], batch[MAXROWS * 64];
    unsigned char ok[MAXROWS];
    sarx_error errs[MAXROWS];
    if (size < 1)
        return 0;
    if (!ctx) {
        if (sarx_ctx_new(&ctx, NULL) != SARX_OK)
            abort();
        ndefs = sarx_definition_count(ctx);
        if (ndefs > 64)
            abort();
    }
    flags = (data[0] & 1) ? SARX_COHORT_DECIMAL_COMMA : 0;
    p = (const char *)data + 1;
    end = (const char *)data + size;
    map = part(&p, end, &lmap);
    na = part(&p, end, &lna);
    tab = part(&p, end, &ltab);
    if (sarx_readopts_new(&ro, &err) != SARX_OK)
        abort();
    if (lmap && sarx_readopts_load(ro, map, lmap, &err) != SARX_OK && err.message[0] == '\0')
        abort();
    if (data[0] & 2) {
        if (!(nacopy = malloc(lna + 1)))
            abort();
        memcpy(nacopy, na, lna);
        nacopy[lna] = '\0';
        if (sarx_readopts_set_na(ro, nacopy, &err) != SARX_OK && err.message[0] == '\0')
            abort();
    }
    if (!(copy = malloc(ltab + 1)))
        abort();
    memcpy(copy, tab, ltab);
    if (sarx_csv_new_buffer(&csv, copy, ltab, flags ? ';' : ',', 0) != SARX_OK)
        abort();
    if (sarx_csv_next(csv, &f, &l, &n, &err) != 1)
        goto out;
    if (sarx_cohort_new_ex(ctx, f, l, n, flags, ro, &c, &err) != SARX_OK) {
        if (err.message[0] == '\0')
            abort();
        goto out;
    }
    for (k = 0; k < n + 2; k++) { /* past the end too: NULL */
        const char *fld = sarx_cohort_column_field(c, k);
        if (k >= n && fld)
            abort();
        if (fld && !sarx_field_find(fld))
            abort();
    }
    if (sarx_cohort_clone(c, &b) != SARX_OK)
        abort();
    while (nrow < MAXROWS && (r = sarx_csv_next(csv, &f, &l, &n, &err)) != 0) {
        sarx_error e1, e2;
        int rb;
        if (r < 0)
            continue;
        rcs[nrow] = sarx_cohort_row(c, f, l, n, one[nrow], &e1);
        if (rcs[nrow] != SARX_OK && e1.message[0] == '\0')
            abort();
        rb = sarx_cohort_parse(b, f, l, n, &e2);
        if (rb != SARX_OK) { /* refused at once: the row path must have refused it the same way */
            if (rcs[nrow] == SARX_OK || strcmp(e1.message, e2.message) != 0)
                abort();
            rcs[nrow] = -1000; /* not pending in b */
        }
        nrow++;
    }
    {
        size_t got = sarx_cohort_classify(b, batch, ok, errs), i = 0;
        int row;
        for (row = 0; row < nrow; row++) {
            if (rcs[row] == -1000)
                continue;
            if (i >= got)
                abort();
            if ((rcs[row] == SARX_OK) != (ok[i] != 0))
                abort();
            if (rcs[row] == SARX_OK) {
                for (k = 0; k < ndefs; k++)
                    if (one[row][k].category != batch[i * ndefs + k].category ||
                        one[row][k].complete != batch[i * ndefs + k].complete)
                        abort();
            }
            i++;
        }
        if (i != got)
            abort();
    }
    if (sarx_cohort_rows(c) != sarx_cohort_rows(b) || sarx_cohort_rejected(c) != sarx_cohort_rejected(b))
        abort();
out:
    sarx_cohort_free(b);
    sarx_cohort_free(c);
    sarx_csv_free(csv);
    sarx_readopts_free(ro);
    free(copy);
    free(nacopy);
    return 0;
}
