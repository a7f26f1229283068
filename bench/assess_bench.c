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

#include "clock.h"

int main(int argc, char **argv)
{
    sarx_ctx *ctx;
    sarx_subject *s;
    long n = argc > 1 ? atol(argv[1]) : 10000, i;
    int k;
    if (sarx_ctx_new(&ctx, NULL) != SARX_OK || sarx_subject_new(&s) != SARX_OK)
        return 1;
    printf("%-30s %12s %14s %8s\n", "subject", "us (no guid.)", "us (guidance)", "ratio");
    for (k = 2; k <= argc; k++) {
        char buf[65536];
        const char *name = k < argc ? (strrchr(argv[k], '/') ? strrchr(argv[k], '/') + 1 : argv[k]) : "{} (nothing given)";
        size_t len = 2;
        double us[2];
        int g;
        if (k < argc) {
            FILE *f = fopen(argv[k], "rb");
            if (!f)
                return 1;
            len = fread(buf, 1, sizeof buf, f);
            fclose(f);
        } else {
            memcpy(buf, "{}", 2);
        }
        if (sarx_subject_from_json(s, buf, len, NULL) != SARX_OK)
            return 1;
        for (g = 0; g < 2; g++) {
            double t0 = now(), t1;
            for (i = 0; i < n; i++) {
                sarx_assessment *a;
                if (sarx_assess_ex(ctx, s, g ? 0 : SARX_ASSESS_NO_GUIDANCE, &a, NULL) != SARX_OK)
                    return 1;
                sarx_assessment_free(a);
            }
            t1 = now();
            us[g] = (t1 - t0) / (double)n * 1e6;
        }
        printf("%-30s %12.2f %14.2f %8.2f\n", name, us[0], us[1], us[1] / us[0]);
    }
    sarx_subject_free(s);
    sarx_ctx_free(ctx);
    return 0;
}
