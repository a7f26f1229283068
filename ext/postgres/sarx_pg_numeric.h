/*
** sarx_pg_numeric.h — the stored layout of a numeric (read by
** sarx_pg_numeric.c, which says why and how it is checked), and the hot
** path of a jsonb number to a double, inline for the reading of a subject
** (sarx_pg.c).
*/
#ifndef SARX_PG_NUMERIC_H
#define SARX_PG_NUMERIC_H

#include "sarx_pg.h"

/* numeric.c's layout (PostgreSQL 9.1 and later): a varlena whose data
** starts with a 16-bit header word.  Its top two bits: 00 positive and 01
** negative (a long header: then the display scale in the low 14 bits and a
** 16-bit signed weight), 10 short (sign, display scale and weight in the
** word), 11 special (NaN, the infinities).  Digits are 16-bit, base 10,000,
** the first of weight w worth 10000^w. */
#define NUM_SIGN_MASK 0xC000
#define NUM_NEG 0x4000
#define NUM_SHORT 0x8000
#define NUM_SPECIAL 0xC000
#define NUM_DSCALE_MASK 0x3FFF
#define NUM_SHORT_SIGN_MASK 0x2000
#define NUM_SHORT_DSCALE_MASK 0x1F80
#define NUM_SHORT_DSCALE_SHIFT 7
#define NUM_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUM_SHORT_WEIGHT_MASK 0x003F

/* m x 10^e as the nearest double when one exact operation gives it (m at
** most 2^53, |e| at most 22: both exact doubles, one rounding): 1 and *out,
** else 0. */
static inline int sarx_pg__digits_double(uint64 m, long e, int neg, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double x;
    if (m > ((uint64)1 << 53) || e < -22 || e > 22)
        return 0;
    x = e < 0 ? (double)m / pow10[-e] : (double)m * pow10[e];
    *out = neg ? -x : x;
    return 1;
}

/* A numeric with the short header and at most four digits (16 decimal
** digits: every clinical value) as the nearest double: 1 and *out, else 0
** (then sarx_pg_number_double, or its text). */
static inline int sarx_pg__short_double(Numeric num, double *out)
{
    const unsigned char *data = (const unsigned char *)VARDATA_ANY(num);
    size_t size = VARSIZE_ANY_EXHDR(num), nd, k;
    uint16 h, dig;
    uint64 m = 0;
    int w;
    if (size < sizeof h)
        return 0;
    memcpy(&h, data, sizeof h);
    if ((h & NUM_SIGN_MASK) != NUM_SHORT)
        return 0;
    nd = (size - sizeof h) / sizeof dig;
    if (nd == 0) {
        *out = 0.0; /* numeric has no negative zero */
        return 1;
    }
    if (nd > 4)
        return 0;
    for (k = 0; k < nd; k++) {
        memcpy(&dig, data + sizeof h + k * sizeof dig, sizeof dig);
        m = m * 10000 + dig;
    }
    w = (h & NUM_SHORT_WEIGHT_SIGN_MASK) ? (int)(~NUM_SHORT_WEIGHT_MASK | (h & NUM_SHORT_WEIGHT_MASK))
                                         : (int)(h & NUM_SHORT_WEIGHT_MASK);
    return sarx_pg__digits_double(m, 4L * ((long)w - (long)nd + 1), (h & NUM_SHORT_SIGN_MASK) != 0, out);
}

#endif
