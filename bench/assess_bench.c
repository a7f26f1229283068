/*
** assess_bench.c — time sarx_assess on each example (N iterations) to watch
** the per-subject cost of evaluation, including the missing-input search.
**   build/bench/assess_bench [N] FILE.json...
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sarx.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx;
    sarx_subject *s;
    long n = argc > 1 ? atol(argv[1]) : 10000, i;
    int k;
    if (sarx_ctx_new(&ctx, NULL) != SARX_OK || sarx_subject_new(&s) != SARX_OK)
        return 1;
    for (k = 2; k < argc; k++) {
        char buf[65536];
        FILE *f = fopen(argv[k], "rb");
        size_t len;
        double t0, t1;
        if (!f)
            return 1;
        len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        if (sarx_subject_from_json(s, buf, len, NULL) != SARX_OK)
            return 1;
        t0 = now();
        for (i = 0; i < n; i++) {
            sarx_assessment *a;
            if (sarx_assess(ctx, s, &a, NULL) != SARX_OK)
                return 1;
            sarx_assessment_free(a);
        }
        t1 = now();
        printf("%-28s %8.2f us/assessment (all 15 definitions)\n", strrchr(argv[k], '/') ? strrchr(argv[k], '/') + 1 : argv[k],
               (t1 - t0) / (double)n * 1e6);
    }
    printf("{}: ");
    sarx_subject_from_json(s, "{}", 2, NULL);
    {
        double t0 = now(), t1;
        for (i = 0; i < n; i++) {
            sarx_assessment *a;
            sarx_assess(ctx, s, &a, NULL);
            sarx_assessment_free(a);
        }
        t1 = now();
        printf("%8.2f us/assessment (nothing given: worst case for the missing-input search)\n",
               (t1 - t0) / (double)n * 1e6);
    }
    sarx_subject_free(s);
    sarx_ctx_free(ctx);
    return 0;
}
