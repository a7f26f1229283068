/*
** numtext.h — whole numbers as text for rows.csv (cohort_run.c): put_count
** for any long, put_counter for row and line numbers.  Header-only so that
** tests/unit_batch.c checks them directly.
*/
#ifndef SARX_CLI_NUMTEXT_H
#define SARX_CLI_NUMTEXT_H

#include <stdint.h>
#include <string.h>

/* v in decimal at w (at most 20 bytes); returns the byte after it.
** Written in place, back to front, two digits at a time. */
static inline char *put_count(char *w, long v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v, t;
    int n = 1;
    char *e;
    if (v < 0)
        *w++ = '-';
    for (t = u; t >= 10; t /= 10)
        n++;
    e = w + n;
    for (; u >= 100; u /= 100) {
        e -= 2;
        memcpy(e, pairs + 2 * (u % 100), 2);
    }
    if (u >= 10)
        memcpy(e - 2, pairs + 2 * u, 2);
    else
        e[-1] = (char)('0' + u);
    return w + n;
}

/* A number written row after row, mostly one more than the last time (row
** and line numbers), up to 8 digits: kept as digits and counted up in a
** register.  Byte k of u is digit k (units first) + 0xF6, so that a 9 is
** 0xFF and + 1 carries into the next digit like a binary carry; the bytes
** the carry passed through (0xFF + 1 = 0) are set back to 0xF6 (a 0).
** Digit + 0xF6 - 0xC6 = the digit's ASCII code, no byte borrowing; a byte
** swap puts the highest digit first.  Elsewhere: put_count.  Either way
** at most 20 bytes are written at w, and the return is the byte after the
** number. */
typedef struct counter {
    long v;       /* the number in u, or -1 */
    uint64_t u;   /* its digits, as above; the unused high ones are 0 (0xF6) */
    unsigned nd;  /* how many digits it has */
} counter;

static inline char *put_counter(counter *c, char *w, long v)
{
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t zero = 0xF6F6F6F6F6F6F6F6u, ascii = 0xC6C6C6C6C6C6C6C6u;
    uint64_t a;
    if (c->v >= 0 && v == c->v + 1 && c->u != ~(uint64_t)0) { /* (all 8 digits 9: 10^8 takes 9) */
        unsigned j = (unsigned)__builtin_ctzll(~c->u) >> 3; /* the lowest digit that is not a 9 */
        c->u = (c->u + 1) | (zero & (((uint64_t)1 << (8 * j)) - 1)); /* j <= 7 */
        if (j + 1 > c->nd)
            c->nd = j + 1;
    } else if (v >= 0 && v < 100000000) {
        long t = v;
        c->u = zero;
        c->nd = 0;
        do {
            c->u += (uint64_t)(t % 10) << (8 * c->nd++);
            t /= 10;
        } while (t);
    } else {
        c->v = -1;
        return put_count(w, v);
    }
    c->v = v;
    a = __builtin_bswap64(c->u - ascii) >> (8 * (8 - c->nd));
    memcpy(w, &a, 8); /* the bytes past the number are written over next */
    return w + c->nd;
#else
    (void)c;
    return put_count(w, v);
#endif
}

#endif
