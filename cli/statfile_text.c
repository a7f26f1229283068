/*
** statfile_text.c — the text a Stata, SPSS or SAS value becomes: dates by
** their display format, numbers as the shortest decimal that reads back
** as the same value (statfile.c writes them into its CSV).
*/
#include "statfile_text.h"
#include "numtext.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Stata: %td and the old %d are days since 1960-01-01; %tc and %tC
** milliseconds since then (%tC counts leap seconds, which are not taken
** off: a %tC value within 27 s of midnight may fall on the next day).
** %tw %tm %tq %th %ty %tb count weeks, months, ... or business days: they
** are no calendar date and stay numbers. */
int statfile_stata_date(const char *f)
{
    if (*f++ != '%')
        return D_NONE;
    if (*f == '-')
        f++;
    if (f[0] == 'd')
        return D_DAYS_1960;
    if (f[0] == 't' && f[1] == 'd')
        return D_DAYS_1960;
    if (f[0] == 't' && (f[1] == 'c' || f[1] == 'C'))
        return D_MS_1960;
    return D_NONE;
}

/* The format's name without its width and decimals, upper case: "DATE11"
** -> "DATE", "yymmdd10." -> "YYMMDD", "E8601DA10." -> "E8601DA". */
static void format_name(const char *f, char *out, size_t size)
{
    size_t n = 0;
    while (f[n] && n + 1 < size) {
        char c = f[n];
        out[n++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    out[n] = '\0';
    while (n > 0 && ((out[n - 1] >= '0' && out[n - 1] <= '9') || out[n - 1] == '.'))
        out[--n] = '\0';
}

static int in_list(const char *name, const char *const *list, int prefix)
{
    for (; *list; list++)
        if (prefix ? strncmp(name, *list, strlen(*list)) == 0 : strcmp(name, *list) == 0)
            return 1;
    return 0;
}

/* SPSS: dates and date-times are seconds since 1582-10-14; TIME, DTIME,
** MTIME, WKDAY and MONTH are durations or parts, and stay numbers. */
int statfile_spss_date(const char *f)
{
    static const char *const dates[] = {"DATE", "ADATE", "EDATE", "SDATE", "JDATE", "MOYR",
                                        "QYR",  "WKYR",  "DATETIME", "YMDHMS", NULL};
    char n[64];
    format_name(f, n, sizeof n);
    return in_list(n, dates, 0) ? D_SEC_1582 : D_NONE;
}

/* SAS: date formats show days since 1960-01-01, date-time formats seconds
** since then.  Formats that show a part of a date (YEAR., MONTH., DAY.,
** WEEKDAY., QTR.) stay numbers: no format says which day they are. */
int statfile_sas_date(const char *f)
{
    static const char *const datetimes[] = {"DATETIME", "DATEAMPM", "E8601DT", "B8601DT", "E8601DZ", "B8601DZ",
                                            "E8601DN", "B8601DN", "DTDATE", "DTMONYY", "DTWKDATX", "DTYYQC",
                                            "MDYAMPM", "NLDATM", NULL};
    static const char *const dates[] = {"DDMMYY", "MMDDYY", "YYMMDD", "YYMON", "YYMM", "YYQ", "MONYY",
                                        "E8601DA", "B8601DA", "WEEKDAT", "WORDDAT", "JULIAN", "MINGUO",
                                        "NENGO", "NLDATE", "EURDF", NULL};
    char n[64];
    format_name(f, n, sizeof n);
    if (in_list(n, datetimes, 1))
        return D_SEC_1960;
    if (strcmp(n, "DATE") == 0 || in_list(n, dates, 1))
        return D_DAYS_1960;
    return D_NONE;
}

/* Days since 1970-01-01 as YYYY-MM-DD (proleptic Gregorian) at w; 0 when
** the day is outside 0001-01-01 .. 9999-12-31. */
int statfile_put_date(char *w, double days1970)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t n, q400, q100, q4, q1;
    int y, m = 0, leap;
    /* 719162: days from 0001-01-01 to 1970-01-01; 3652059: to 10000-01-01. */
    if (!(days1970 >= -719162.0 && days1970 < 3652059.0 - 719162.0))
        return 0;
    n = (int64_t)days1970 + 719162;
    q400 = n / 146097;
    n %= 146097;
    q100 = n / 36524;
    if (q100 == 4) /* the last day of a 400-year cycle */
        q100 = 3;
    n -= q100 * 36524;
    q4 = n / 1461;
    n %= 1461;
    q1 = n / 365;
    if (q1 == 4) /* the last day of a leap year */
        q1 = 3;
    n -= q1 * 365;
    y = (int)(1 + 400 * q400 + 100 * q100 + 4 * q4 + q1);
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    while (n >= mdays[m] + (m == 1 && leap)) {
        n -= mdays[m] + (m == 1 && leap);
        m++;
    }
    m++;
    w[0] = (char)('0' + y / 1000);
    w[1] = (char)('0' + y / 100 % 10);
    w[2] = (char)('0' + y / 10 % 10);
    w[3] = (char)('0' + y % 10);
    w[4] = '-';
    w[5] = (char)('0' + m / 10);
    w[6] = (char)('0' + m % 10);
    w[7] = '-';
    w[8] = (char)('0' + (n + 1) / 10);
    w[9] = (char)('0' + (n + 1) % 10);
    return 10;
}

/* ---- numbers ---- */

static const double p10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};

/* m / 10^d as decimal text at w (|m| < 2^53); returns its length. */
static size_t put_fixed(char *w, long long m, int d)
{
    char digits[24];
    unsigned long long u = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
    size_t nd = (size_t)(put_count(digits, (long)u) - digits), k = 0;
    if (m < 0)
        w[k++] = '-';
    if (d == 0) {
        memcpy(w + k, digits, nd);
        return k + nd;
    }
    if (nd <= (size_t)d) { /* 0.0ddd */
        w[k++] = '0';
        w[k++] = '.';
        memset(w + k, '0', (size_t)d - nd);
        k += (size_t)d - nd;
        memcpy(w + k, digits, nd);
        return k + nd;
    }
    memcpy(w + k, digits, nd - (size_t)d);
    k += nd - (size_t)d;
    w[k++] = '.';
    memcpy(w + k, digits + nd - d, (size_t)d);
    return k + (size_t)d;
}

/* The shortest decimal that reads back as v (finite), at w (32 bytes).
** Most measurements have a few decimals: m / 10^d for the smallest d <= 6
** that gives v back (both exact, so the division is the correctly rounded
** value of the decimal, which is what a reader gets); the rest through
** %.15g .. %.17g, in the "C" locale (the thread's, statfile_thread). */
size_t statfile_put_double(char *w, double v)
{
    int d, p;
    if (fabs(v) < 1e9) {
        for (d = 0; d <= 6; d++) {
            double m = nearbyint(v * p10[d]);
            if (m / p10[d] == v)
                return put_fixed(w, (long long)m, d);
        }
    }
    for (p = 15;; p++) {
        int n = snprintf(w, 32, "%.*g", p, v);
        if (p == 17 || strtod(w, NULL) == v)
            return (size_t)n;
    }
}

/* The same for a 4-byte float: the shortest decimal that reads back as the
** same float (what Stata and SPSS show), checked with strtof, since m / 10^d
** rounded twice (to double, then to float) can miss by one in rare cases. */
size_t statfile_put_float(char *w, float f)
{
    double v = f;
    int d, p;
    if (fabs(v) < 1e9) {
        for (d = 0; d <= 6; d++) {
            double m = nearbyint(v * p10[d]);
            if ((float)(m / p10[d]) == f) {
                size_t n = put_fixed(w, (long long)m, d);
                w[n] = '\0';
                if (strtof(w, NULL) == f)
                    return n;
            }
        }
    }
    for (p = 6;; p++) {
        int n = snprintf(w, 32, "%.*g", p, v);
        if (p == 9 || strtof(w, NULL) == f)
            return (size_t)n;
    }
}

