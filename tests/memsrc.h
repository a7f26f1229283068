/*
** memsrc.h — a sarx_read_fn over a buffer in memory that hands out at most
** `chunk` bytes per call, so readers see every refill boundary.  Shared by
** tests/csv.c and fuzz/fuzz_csv.c.
*/
#ifndef SARX_TEST_MEMSRC_H
#define SARX_TEST_MEMSRC_H

#include <stddef.h>
#include <string.h>

typedef struct src {
    const char *p;
    size_t len, pos, chunk;
} src;

static size_t rd(void *ud, char *buf, size_t n)
{
    src *s = ud;
    size_t k = s->len - s->pos;
    if (k > n)
        k = n;
    if (k > s->chunk)
        k = s->chunk;
    memcpy(buf, s->p + s->pos, k);
    s->pos += k;
    return k;
}

#endif
