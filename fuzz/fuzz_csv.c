/*
** fuzz_csv.c — libFuzzer target: the streaming CSV reader, read in chunks
** of a size chosen by the first byte (so every refill boundary is hit),
** then the cohort pipeline on what it yields (first record = header), and
** every cohort renderer.  Also checks that sarx_csv_complete never claims
** more than the reader consumes.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sarx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "../tests/memsrc.h"

static sarx_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    src s;
    sarx_csv *csv;
    sarx_cohort *coh = NULL;
    sarx_error err;
    sarx_class cls[64];
    char **f;
    size_t *l, n;
    char delim;
    long rec, lines;
    int r;
    if (size < 2)
        return 0;
    if (!ctx && sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    s.chunk = 1 + data[0] % 64;
    delim = (data[1] & 1) ? ';' : ',';
    s.p = (const char *)data + 2;
    s.len = size - 2;
    s.pos = 0;
    if (sarx_csv_complete(s.p, s.len, delim, 1, 0, &rec, &lines) > s.len)
        abort();
    {   /* The block splitter and the reader agree on the record count. */
        sarx_csv *c2;
        src s2 = s;
        long nrec = 0;
        if (sarx_csv_new(&c2, rd, &s2, delim) == SARX_OK) {
            while ((r = sarx_csv_next(c2, &f, &l, &n, &err)) == 1)
                nrec++;
            /* (a leading byte-order mark is the reader's business, not the splitter's) */
            if (r == 0 && nrec != rec && !(s.len >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0))
                abort();
            sarx_csv_free(c2);
        }
    }
    if (sarx_csv_new(&csv, rd, &s, delim) != SARX_OK)
        return 0;
    while ((r = sarx_csv_next(csv, &f, &l, &n, &err)) == 1) {
        if (!coh) {
            if (sarx_cohort_new(ctx, f, l, n, (data[1] & 2) ? SARX_COHORT_DECIMAL_COMMA : 0, &coh, &err) != SARX_OK)
                break;
            continue;
        }
        sarx_cohort_row(coh, f, l, n, cls, &err);
    }
    if (coh) {
        sarx_free(sarx_cohort_summary_json(coh));
        sarx_free(sarx_cohort_summary_text(coh));
        sarx_free(sarx_cohort_svg_prevalence(coh));
        sarx_free(sarx_cohort_svg_agreement(coh));
        sarx_cohort_free(coh);
    }
    sarx_csv_free(csv);
    return 0;
}
