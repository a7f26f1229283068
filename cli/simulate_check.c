/*
** simulate_check.c — `sarx simulate --validate`: every published target the
** simulator is held to, as a table, and a non-zero exit when one fails; and
** `sarx simulate --population N --compare`: the seed's table, prevalence
** under every definition beside the published figures, with an SVG.
*/
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(int kind)
{
    switch (kind) {
    case SARX_SIM_TARGET_LIFESPAN: return "Lifespan, disuse and training (means of 100 people; presets)";
    case SARX_SIM_TARGET_CENTILE: return "Centiles of the virtual population";
    case SARX_SIM_TARGET_NORM: return "Norms and single criteria";
    default: return "Prevalence under each study's own definition";
    }
}

/* A number as the table prints it: 3 significant digits, as %.3g would,
** but never in exponent form for the table's magnitudes. */
static void num(char *buf, size_t size, double v)
{
    if (v != v)
        snprintf(buf, size, "--");
    else if (v != 0 && fabs(v) < 0.01)
        snprintf(buf, size, "%.2g", v);
    else
        snprintf(buf, size, "%.3g", v);
}

static void print_table(const sarx_sim_validation *v)
{
    size_t i, n = sarx_sim_validation_count(v), fails = 0, held = 0, held_fail = 0, known = 0;
    int kind = -1;
    for (i = 0; i < n; i++) {
        const sarx_sim_check *c = sarx_sim_validation_check(v, i);
        char val[32], lo[32], hi[32], tol[72];
        if (c->kind != kind) {
            kind = c->kind;
            printf("\n%s\n  %-52s %-22s %-10s %-17s %-6s %s\n", kind_name(kind), "target", "published", "simulated",
                   "tolerance", "result", "fitted");
        }
        num(val, sizeof val, c->value);
        num(lo, sizeof lo, c->lo);
        num(hi, sizeof hi, c->hi);
        snprintf(tol, sizeof tol, "%s to %s", lo, hi);
        printf("  %-52s %-22s %-10s %-17s %-6s %s\n", c->what, c->published, val, tol, c->pass ? "pass" : "FAIL",
               c->held_out ? "held out" : "calibrated");
        printf("  %-52s source: %s\n", "", c->source);
        if (!c->pass && c->known)
            printf("  %-52s known to fail: %s\n", "", c->known);
        fails += !c->pass;
        held += c->held_out;
        held_fail += c->held_out && !c->pass;
        known += !c->pass && c->known;
    }
    printf("\n%zu targets: %zu pass, %zu fail (%zu of them known failures that docs/SIMULATOR.md explains).\n"
           "Held out of every calibration step: %zu, of which %zu fail.\n",
           n, n - fails, fails, known, held, held_fail);
}

static void people_done(void *ud, long n) { cli_progress_add(ud, (unsigned long long)n); }

int sim_validate_run(unsigned long long seed, long people, int threads, int compare, const char *svg, int progress)
{
    sarx_sim_validation *v = NULL;
    sarx_error err;
    FILE *f = NULL;
    cli_progress *pr;
    int rc = EXIT_OK, ok;
    /* the SVG's file first, so that a path that cannot be written fails before the work */
    if (svg && !(f = fopen(svg, "w"))) {
        fprintf(stderr, "sarx: %s: %s\n", svg, strerror(errno));
        return EXIT_INPUT;
    }
    pr = cli_progress_start("sarx simulate", "people", (unsigned long long)people, progress);
    ok = sarx_sim_validate_ex(seed, people, threads, pr ? people_done : NULL, pr, &v, &err) == SARX_OK;
    cli_progress_end(pr, ok); /* before any message */
    if (!ok) {
        cli_error("validate", &err);
        if (f) {
            fclose(f);
            remove(svg);
        }
        return EXIT_INPUT;
    }
    printf("Simulator validation: a virtual population of %ld people (seed %llu), measured every 2.5 years\n"
           "from 60 to 90 and diagnosed by the engine, against published figures (docs/SIMULATOR.md).\n"
           "A model population for research and teaching, not data.\n",
           people, seed);
    if (compare) {
        char *text = sarx_sim_compare_text(v);
        if (!text) {
            fprintf(stderr, "sarx simulate: out of memory\n");
            rc = EXIT_INPUT;
        } else
            fputs(text, stdout);
        sarx_free(text);
        if (f && rc == EXIT_OK) {
            char *img = sarx_sim_compare_svg(v);
            if (!img) {
                fprintf(stderr, "sarx simulate: out of memory\n");
                rc = EXIT_INPUT;
            } else
                fputs(img, f);
            sarx_free(img);
        }
    } else {
        print_table(v);
        if (sarx_sim_validation_failed(v))
            rc = EXIT_INPUT;
    }
    if (f) {
        int bad = ferror(f) != 0;
        if (fclose(f) != 0 || bad) {
            fprintf(stderr, "sarx: %s: write failed\n", svg);
            rc = EXIT_INPUT;
        }
        if (rc != EXIT_OK)
            remove(svg); /* no partial figure */
    }
    sarx_sim_validation_free(v);
    return rc;
}
