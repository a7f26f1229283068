/*
** stats.c — proportions with Wilson score intervals and Cohen's kappa.
**
** Wilson EB (1927), J Am Stat Assoc 22:209-212: for x of n at z = 1.96,
**   centre = (p + z^2/2n) / (1 + z^2/n),
**   half   = z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
** Unlike the Wald interval it stays inside [0, 1] and is sensible at 0 and n.
** Cohen J (1960), Educ Psychol Meas 20:37-46: kappa = (po - pe) / (1 - pe).
*/
#include "internal.h"

#define Z95 1.959963984540054 /* the 0.975 quantile of the standard normal */

int sarx_wilson(long x, long n, double *lo, double *hi)
{
    double p, z2, den, centre, half;
    if (!lo || !hi || n <= 0 || x < 0 || x > n) {
        if (lo)
            *lo = NAN;
        if (hi)
            *hi = NAN;
        return SARX_EINVAL;
    }
    p = (double)x / (double)n;
    z2 = Z95 * Z95;
    den = 1.0 + z2 / (double)n;
    centre = (p + z2 / (2.0 * (double)n)) / den;
    half = Z95 * sqrt(p * (1.0 - p) / (double)n + z2 / (4.0 * (double)n * (double)n)) / den;
    *lo = x == 0 || centre - half < 0 ? 0 : centre - half; /* exact ends, no rounding dust */
    *hi = x == n || centre + half > 1 ? 1 : centre + half;
    return SARX_OK;
}

double sarx_kappa(long both, long only_a, long only_b, long neither)
{
    double n = (double)both + (double)only_a + (double)only_b + (double)neither;
    double po, pa, pb, pe;
    if (n <= 0 || both < 0 || only_a < 0 || only_b < 0 || neither < 0)
        return NAN;
    po = ((double)both + (double)neither) / n;
    pa = ((double)both + (double)only_a) / n;
    pb = ((double)both + (double)only_b) / n;
    pe = pa * pb + (1.0 - pa) * (1.0 - pb);
    if (pe >= 1.0)
        return NAN; /* both raters constant: kappa is undefined */
    return (po - pe) / (1.0 - pe);
}
