/*
** harness.h — the whole test harness: counters, checks, a summary line.
** Each test program ends with "<name>: N passed, N failed" and exits 1 on
** any failure; tests/run.sh adds them up.
*/
#ifndef SARX_HARNESS_H
#define SARX_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int h_pass, h_fail;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (cond)                                                             \
            h_pass++;                                                         \
        else {                                                                \
            h_fail++;                                                         \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                     \
    } while (0)

#define CHECK_INT(a, b)                                                                               \
    do {                                                                                              \
        long h_a = (long)(a), h_b = (long)(b);                                                        \
        if (h_a == h_b)                                                                               \
            h_pass++;                                                                                 \
        else {                                                                                        \
            h_fail++;                                                                                 \
            fprintf(stderr, "FAIL %s:%d: %s == %ld, expected %ld\n", __FILE__, __LINE__, #a, h_a, h_b); \
        }                                                                                             \
    } while (0)

#define CHECK_STR(a, b)                                                                                   \
    do {                                                                                                  \
        const char *h_a = (a), *h_b = (b);                                                                \
        if (h_a && h_b && strcmp(h_a, h_b) == 0)                                                          \
            h_pass++;                                                                                     \
        else {                                                                                            \
            h_fail++;                                                                                     \
            fprintf(stderr, "FAIL %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,        \
                    h_a ? h_a : "(null)", h_b ? h_b : "(null)");                                          \
        }                                                                                                 \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                        \
    do {                                                                                             \
        double h_a = (a), h_b = (b);                                                                 \
        if (fabs(h_a - h_b) <= (tol))                                                                \
            h_pass++;                                                                                \
        else {                                                                                       \
            h_fail++;                                                                                \
            fprintf(stderr, "FAIL %s:%d: %s == %.17g, expected %.17g\n", __FILE__, __LINE__, #a, h_a, h_b); \
        }                                                                                            \
    } while (0)

static int h_summary(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, h_pass, h_fail);
    return h_fail ? 1 : 0;
}

#endif
