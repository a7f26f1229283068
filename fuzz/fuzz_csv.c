/*
** fuzz_csv.c — libFuzzer target: the CSV reader alone (the cohort on what
** it reads is fuzz_cohort.c, which is much slower per input).
**
** Byte 0 sets the streaming reader's chunk (1-64 bytes, so that every
** refill boundary is hit), byte 1 the flags: ';' instead of ',' (bit 0), a
** leading byte-order mark read as data (SARX_CSV_NO_BOM, bit 1), which of
** the two readers scans plain records without AVX-512 (bit 2), a tab as the
** delimiter (bit 3).  The rest is the text.
**
** Checks, each an abort when it fails:
**   - the streaming reader and the reader in place (on a copy of exactly
**     len + 1 bytes, so that a byte read past it is an AddressSanitizer
**     report) read the same records, fields, lines and refusals, and go on
**     after a refused record the same way;
**   - every field is NUL-terminated at its length;
**   - sarx_csv_complete never claims more than the text, counts the
**     records the readers read, and stops after max_records of them;
**   - every record written back with sarx_csv_quote reads back as itself
**     (with the single quote that guards a formula before such a value).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h" /* sarx__csv_use_baseline */

#include "../tests/memsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write the record back with sarx_csv_quote and read it again. */
static void round_trip(char *const *f, const size_t *l, size_t n, char delim)
{
    size_t need = 1, k, at = 0, n2, *l2;
    char *line, **f2;
    sarx_csv *c;
    sarx_error err;
    for (k = 0; k < n; k++)
        need += sarx_csv_quote(NULL, 0, f[k], l[k], delim) + 1;
    if (!(line = malloc(need + 1)))
        abort();
    for (k = 0; k < n; k++) {
        if (k)
            line[at++] = delim;
        at += sarx_csv_quote(line + at, need - at, f[k], l[k], delim);
    }
    line[at++] = '\n';
    if (sarx_csv_new_buffer(&c, line, at, delim, SARX_CSV_NO_BOM) != SARX_OK)
        abort();
    if (sarx_csv_next(c, &f2, &l2, &n2, &err) != 1 || n2 != n)
        abort();
    for (k = 0; k < n; k++) {
        int same = l2[k] == l[k] && memcmp(f2[k], f[k], l[k]) == 0;
        int guarded = l2[k] == l[k] + 1 && f2[k][0] == '\'' && memcmp(f2[k] + 1, f[k], l[k]) == 0 &&
                      sarx_csv_guarded(f2[k], l2[k]);
        if (!same && !guarded)
            abort();
    }
    if (sarx_csv_next(c, &f2, &l2, &n2, &err) != 0) /* one record, nothing after it */
        abort();
    sarx_csv_free(c);
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    src s;
    sarx_csv *c1, *c2;
    char *copy, delim;
    unsigned flags;
    long rec, lines, nrec = 0, nref = 0;
    size_t whole;
    if (size < 2)
        return 0;
    s.chunk = 1 + data[0] % 64;
    delim = (data[1] & 8) ? '\t' : (data[1] & 1) ? ';' : ',';
    flags = (data[1] & 2) ? SARX_CSV_NO_BOM : 0;
    s.p = (const char *)data + 2;
    s.len = size - 2;
    s.pos = 0;
    if ((whole = sarx_csv_complete(s.p, s.len, delim, 1, 0, &rec, &lines)) > s.len)
        abort();
    if (rec > 1) { /* at most k records: exactly k, in a prefix of the whole */
        long k = 1 + (long)(data[0] >> 6) % (rec - 1), rk, lk;
        if (sarx_csv_complete(s.p, s.len, delim, 1, k, &rk, &lk) > whole || rk != k || lk > lines)
            abort();
    }
    if (!(copy = malloc(s.len + 1)))
        abort();
    memcpy(copy, s.p, s.len);
    if (sarx_csv_new_ex(&c1, rd, &s, delim, flags) != SARX_OK ||
        sarx_csv_new_buffer(&c2, copy, s.len, delim, flags) != SARX_OK)
        abort();
    sarx__csv_use_baseline((data[1] & 4) ? c1 : c2);
    for (;;) {
        char **f1, **f2;
        size_t *l1, *l2, n1, n2, k;
        sarx_error e1, e2;
        int r1 = sarx_csv_next(c1, &f1, &l1, &n1, &e1), r2 = sarx_csv_next(c2, &f2, &l2, &n2, &e2);
        if (r1 != r2 || sarx_csv_line(c1) != sarx_csv_line(c2) || sarx_csv_record(c1) != sarx_csv_record(c2))
            abort();
        if (r1 == 0)
            break;
        if (r1 < 0) { /* the same refusal; the readers go on or stop alike */
            if (e1.code != e2.code || e1.line != e2.line || e1.column != e2.column ||
                strcmp(e1.message, e2.message) != 0 || e1.message[0] == '\0')
                abort();
            nref++;
            continue;
        }
        if (n1 != n2 || n1 == 0)
            abort();
        for (k = 0; k < n1; k++)
            if (l1[k] != l2[k] || memcmp(f1[k], f2[k], l1[k]) != 0 || f1[k][l1[k]] != '\0' || f2[k][l2[k]] != '\0')
                abort();
        round_trip(f2, l2, n2, delim);
        nrec++;
    }
    /* (a leading byte-order mark is the reader's business, not the splitter's) */
    if (nref == 0 && nrec != rec && !(flags == 0 && s.len >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0))
        abort();
    sarx_csv_free(c1);
    sarx_csv_free(c2);
    free(copy);
    return 0;
}
