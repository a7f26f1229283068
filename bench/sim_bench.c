/*
** sim_bench.c — the simulator's speed (docs/PERFORMANCE.md): the pool step
** in MU-steps per second at N = 120, 1,000 and 10,000 (the pymuscle
** comparison's baseline is measured by bench/pymuscle_compare.py in the same
** run), one 20-to-90-year lifespan, and people per second of a population.
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
    static const long sizes[] = {120, 1000, 10000};
    size_t k;
    double t0, t1, sink = 0;
    const char *what = argc > 1 ? argv[1] : "all";
    if (strcmp(what, "all") == 0 || strcmp(what, "pool") == 0) {
        printf("pool step (fatigue on, excitation 40, dt 0.02 s; fastest of 3 runs):\n");
        for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            long steps = 20000000 / sizes[k], i;
            double best = 1e300;
            int rep;
            for (rep = 0; rep < 3; rep++) { /* each run from a new pool: the same work */
                sarx_mu_pool *p;
                if (sarx_mu_pool_new((size_t)sizes[k], 1, &p) != SARX_OK)
                    return 1;
                t0 = now();
                for (i = 0; i < steps; i++)
                    sink += sarx_mu_pool_step(p, 40.0, 0.02);
                t1 = now();
                if (t1 - t0 < best)
                    best = t1 - t0;
                sarx_mu_pool_free(p);
            }
            printf("  N = %5ld: %8.3f us/step, %7.1f M MU-steps/s\n", sizes[k], best / steps * 1e6,
                   steps * (double)sizes[k] / best / 1e6);
        }
    }
    if (strcmp(what, "all") == 0 || strcmp(what, "lifespan") == 0) {
        sarx_scenario *sc;
        sarx_sim_result *r;
        int i, n = 200;
        if (sarx_scenario_preset("sedentary", &sc, NULL) != SARX_OK)
            return 1;
        t0 = now();
        for (i = 0; i < n; i++) {
            if (sarx_simulate(sc, (unsigned long long)i, &r, NULL) != SARX_OK)
                return 1;
            sink += sarx_sim_result_value(r, 0, 0);
            sarx_sim_result_free(r);
        }
        t1 = now();
        printf("lifespan 20-90 y (sedentary preset, 150 units, yearly reports with RFD): %.2f ms\n",
               (t1 - t0) / n * 1e3);
        sarx_scenario_free(sc);
    }
    if (strcmp(what, "all") == 0 || strcmp(what, "population") == 0) {
        sarx_scenario *sc;
        double ages[3] = {65, 75, 85}, out[3 * 16];
        long i, n = 2000;
        if (sarx_scenario_preset("sedentary", &sc, NULL) != SARX_OK)
            return 1;
        t0 = now();
        for (i = 0; i < n; i++) {
            if (sarx_sim_person_measures(sc, 1, i, ages, 3, out, NULL) != SARX_OK)
                return 1;
            sink += out[4];
        }
        t1 = now();
        printf("population person (measured at 65, 75, 85 y, one thread): %.3f ms\n", (t1 - t0) / n * 1e3);
        sarx_scenario_free(sc);
    }
    return sink == 12345.6789; /* keep the work */
}
