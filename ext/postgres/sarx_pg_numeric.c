/*
** sarx_pg_numeric.c — a jsonb number as the text numeric_out gives, written
** into the caller's buffer.
**
** sarx reads a number from its decimal text (the library's parser, as for
** every front end).  numeric_out makes that text with a palloc, a
** conversion into a working variable and a second pass, and the caller
** then needs its strlen: for the ~12 numbers of a subject that was a
** tenth of sarx_category's time.  The digits are written here straight from
** the stored value instead.
**
** The stored layout of a numeric (base-10000 digits after a header of sign,
** display scale and weight) is declared in numeric.c, not in a header.  It
** is an on-disk format (pg_upgrade keeps tables as they are, so a release
** cannot change it without a new type), but a format the server does not
** promise to extensions: so it is read only after a check.  The first use
** at a call site compares this writer with numeric_out on numbers that
** exercise every part of the format (signs, weights on both sides of the
** point, display scales that cut or pad a digit group, the long header);
** on any difference, or a number in a form not handled here (NaN, the
** infinities, a text longer than the buffer), numeric_out is used.  Either
** way the library receives exactly numeric_out's text.
*/
#include "sarx_pg_numeric.h"

#include <math.h>
#include <stdlib.h>

#include "utils/builtins.h"
#include "utils/numeric.h"

/* A numeric's stored parts. */
typedef struct num_parts {
    int neg, dscale, weight;
    size_t nd;                 /* digits */
    const unsigned char *data; /* nd 16-bit digits, most significant first */
} num_parts;

static unsigned digit_at(const num_parts *p, long d)
{
    uint16 dig = 0;
    if (d >= 0 && (size_t)d < p->nd)
        memcpy(&dig, p->data + (size_t)d * sizeof dig, sizeof dig);
    return dig;
}

/* num's parts; 0 when it is special (NaN, the infinities) or malformed. */
static int decode(Numeric num, num_parts *p)
{
    const unsigned char *data = (const unsigned char *)VARDATA_ANY(num);
    size_t size = VARSIZE_ANY_EXHDR(num), hdr;
    uint16 h;
    if (size < sizeof(uint16))
        return 0;
    memcpy(&h, data, sizeof h);
    if ((h & NUM_SIGN_MASK) == NUM_SPECIAL)
        return 0;
    if ((h & NUM_SIGN_MASK) == NUM_SHORT) {
        hdr = sizeof(uint16);
        p->neg = (h & NUM_SHORT_SIGN_MASK) != 0;
        p->dscale = (h & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT;
        p->weight = (h & NUM_SHORT_WEIGHT_SIGN_MASK) ? (int)(~NUM_SHORT_WEIGHT_MASK | (h & NUM_SHORT_WEIGHT_MASK))
                                                      : (int)(h & NUM_SHORT_WEIGHT_MASK);
    } else {
        int16 w;
        hdr = 2 * sizeof(uint16);
        if (size < hdr)
            return 0;
        p->neg = (h & NUM_SIGN_MASK) == NUM_NEG;
        p->dscale = h & NUM_DSCALE_MASK;
        memcpy(&w, data + sizeof h, sizeof w);
        p->weight = w;
    }
    p->nd = (size - hdr) / sizeof(uint16);
    p->data = data + hdr;
    return 1;
}

/* Four decimal digits of one base-10000 digit; lead: leave out its leading
** zeros (the first digit group of the integer part). */
static char *put_group(char *p, unsigned dig, int lead)
{
    unsigned d1 = dig / 1000, d2 = dig / 100 % 10, d3 = dig / 10 % 10, d4 = dig % 10;
    if (!lead || d1)
        *p++ = (char)('0' + d1);
    if (!lead || d1 || d2)
        *p++ = (char)('0' + d2);
    if (!lead || d1 || d2 || d3)
        *p++ = (char)('0' + d3);
    *p++ = (char)('0' + d4);
    return p;
}

/* num's text into buf (n bytes) as numeric_out writes it; its length, or 0
** when num is special or its text would not fit. */
static size_t write_numeric(Numeric num, char *buf, size_t n)
{
    num_parts np;
    char *p = buf, *end;
    long d;
    int i;
    if (!decode(num, &np))
        return 0;
    /* sign, integer digits (at least "0"), point, dscale digits and a group's overshoot, NUL */
    if ((size_t)1 + (np.weight >= 0 ? 4 * ((size_t)np.weight + 1) : 1) + 1 + (size_t)np.dscale + 4 + 1 > n)
        return 0;
    if (np.neg)
        *p++ = '-';
    if (np.weight < 0) {
        *p++ = '0';
        d = np.weight + 1;
    } else {
        for (d = 0; d <= np.weight; d++)
            p = put_group(p, digit_at(&np, d), d == 0);
    }
    if (np.dscale > 0) {
        *p++ = '.';
        end = p + np.dscale;
        for (i = 0; i < np.dscale; d++, i += 4)
            p = put_group(p, digit_at(&np, d), 0);
        p = end; /* the last group's digits past the scale are dropped */
    }
    *p = '\0';
    return (size_t)(p - buf);
}

/* num as the nearest double, when one exact operation gives it: 1 and *out,
** else 0.  (The short header with few digits: sarx_pg__short_double; this
** reads any.) */
static int numeric_double(Numeric num, double *out)
{
    num_parts np;
    uint64 m = 0;
    size_t k, nd;
    long e;
    if (sarx_pg__short_double(num, out))
        return 1;
    if (!decode(num, &np))
        return 0;
    nd = np.nd;
    while (nd > 0 && digit_at(&np, (long)nd - 1) == 0) /* trailing zero digits (not stored, but allowed) */
        nd--;
    if (nd == 0) {
        *out = 0.0; /* numeric has no negative zero */
        return 1;
    }
    if (nd > 4) /* at most 16 decimal digits so far; checked exactly below */
        return 0;
    for (k = 0; k < nd; k++)
        m = m * 10000 + digit_at(&np, (long)k);
    e = 4 * ((long)np.weight - (long)nd + 1); /* value = m x 10^e */
    while (e < -22 && m % 10 == 0) { /* (only where it matters: a division is one step either way) */
        m /= 10;
        e++;
    }
    return sarx_pg__digits_double(m, e, np.neg, out);
}

/* numeric_out's text of d (palloc'd). */
static char *out_of(Datum d)
{
    return DatumGetCString(DirectFunctionCall1(numeric_out, d));
}

/* Do write_numeric and numeric_double agree with numeric_out (and strtod
** of its text) on every part of the format? */
static int reader_agrees(void)
{
    static const char *const probe[] = {
        "0", "-0", "1", "-1", "7", "72.5", "-72.5", "0.5", "-0.05", "1000", "1e3", "10000", "99999999",
        "123456789.123456789", "0.0001", "0.00001", "1.5e-9", "-12.30", "7.0", "161.50", "4.70", "0.1", "0.3",
        "9007199254740993", "123456789012.3456", "1e22", "1e23", "3e-22", "1e130", "-1.25e-130", "5e-20",
        "0.000000000000000000001",
        /* beyond the short header's weight or display scale: the long header */
        "1e300", "1.000000000000000000000000000000000000000000000000000000000000000001",
    };
    char buf[SARX_PG_NUMBER_BUF];
    size_t i;
    for (i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        Datum d = DirectFunctionCall3(numeric_in, CStringGetDatum(probe[i]), ObjectIdGetDatum(InvalidOid),
                                      Int32GetDatum(-1));
        char *want = out_of(d);
        size_t len = write_numeric(DatumGetNumeric(d), buf, sizeof buf);
        int same = len ? strcmp(want, buf) == 0 : strlen(want) + 1 > sizeof buf;
        double x;
        if (same && numeric_double(DatumGetNumeric(d), &x))
            same = x == strtod(want, NULL) && !signbit(x) == !signbit(strtod(want, NULL));
        pfree(want);
        if (!same)
            return 0;
    }
    return 1;
}

static int checked(sarx_pg_cache *c)
{
    if (c->numbers == 0)
        c->numbers = reader_agrees() ? 1 : -1;
    return c->numbers > 0;
}

const char *sarx_pg_number_text(sarx_pg_cache *c, Numeric num, char *buf, size_t n, size_t *len)
{
    char *txt;
    if (checked(c) && (*len = write_numeric(num, buf, n)) > 0)
        return buf;
    txt = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
    *len = strlen(txt);
    return txt;
}

int sarx_pg_number_double(sarx_pg_cache *c, Numeric num, double *out)
{
    return checked(c) && numeric_double(num, out);
}
