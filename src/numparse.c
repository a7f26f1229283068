/*
** numparse.c — locale-independent numbers and calendar dates.
**
** Numbers: [+-] then digits[.[digits]] or .digits, then [(e|E)[+-]digits];
** nothing before or after (surrounding blanks are trimmed by the caller).
** "72.5", ".5", "5." and "+5" are numbers; "1,5" only with a decimal comma.
** A text of 128 or more characters with more than 15 significant digits is
** rejected.  No inf, nan, hex or
** thousands separators.  A decimal comma only when asked for.  Values with at
** most 15 significant digits and a small exponent are converted exactly by
** one IEEE multiplication or division (Clinger's fast path); the rest go
** through strtod_l() in the "C" locale, so the process locale never matters.
*/
#define _GNU_SOURCE
#include "internal.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

const double sarx__pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int sarx__parse_number(const char *s, size_t len, int decimal_comma, double *out)
{
    size_t i = 0, ndig = 0, sig = 0;
    uint64_t mant = 0;
    int neg = 0, exp10 = 0, eneg = 0, e = 0, edig = 0, point = 0;
    char sep = decimal_comma ? ',' : '.';

    if (sarx__parse_plain(s, len, sep, out))
        return SARX_OK; /* the usual cell */
    if (len == 0)
        return SARX_ESYNTAX;
    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            ndig++;
            if (mant == 0 && c == '0') {
                if (point)
                    exp10--;
                continue;
            }
            if (sig < 19) {
                mant = mant * 10 + (uint64_t)(c - '0');
                sig++;
                if (point)
                    exp10--;
            } else {
                sig++;
                if (!point)
                    exp10++;
            }
        } else if (c == sep && !point) {
            point = 1;
        } else {
            break;
        }
    }
    if (ndig == 0)
        return SARX_ESYNTAX;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (e < 10000)
                e = e * 10 + (s[i] - '0');
            edig++;
        }
        if (!edig)
            return SARX_ESYNTAX;
        exp10 += eneg ? -e : e;
    }
    if (i != len)
        return SARX_ESYNTAX;
    if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
        double v = (double)mant;
        v = exp10 < 0 ? v / sarx__pow10[-exp10] : v * sarx__pow10[exp10];
        *out = neg ? -v : v;
    } else {
        char tmp[128];
        char *end;
        locale_t c;
        double v;
        if (len >= sizeof tmp)
            return SARX_ESYNTAX;
        memcpy(tmp, s, len);
        tmp[len] = '\0';
        if (decimal_comma) {
            char *p = strchr(tmp, ',');
            if (p)
                *p = '.';
        }
        c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
        if (!c)
            return SARX_ENOMEM;
        v = strtod_l(tmp, &end, c);
        freelocale(c);
        if (*end != '\0')
            return SARX_ESYNTAX;
        *out = v;
    }
    if (!isfinite(*out))
        return SARX_ERANGE;
    return SARX_OK;
}

/* Days from 1970-01-01 of a proleptic Gregorian date (era-based algorithm). */
static int days_from_civil(int y, int m, int d)
{
    int era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
    int era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y += *m <= 2;
}

static int month_days(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : md[m - 1];
}

int sarx__parse_date(const char *s, size_t len, int *days)
{
    int y, m, d, i;
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return SARX_ESYNTAX;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return SARX_ESYNTAX;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return SARX_ERANGE;
    *days = days_from_civil(y, m, d);
    return SARX_OK;
}

void sarx__date_format(int days, char out[11])
{
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* The same day-of-month k calendar months earlier, clamped to the month's
** last day (2026-08-31 minus 6 months = 2026-02-28). */
int sarx__date_minus_months(int days, int months)
{
    int y, m, d, md;
    civil_from_days(days, &y, &m, &d);
    m -= months;
    while (m < 1) {
        m += 12;
        y--;
    }
    md = month_days(y, m);
    if (d > md)
        d = md;
    return days_from_civil(y, m, d);
}
