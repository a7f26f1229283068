/*
** simulate.c — `sarx simulate`: one person through a scenario (CSV time
** series, SVG plots), a virtual population diagnosed by the engine, or the
** bare motor-unit pool step (for the pymuscle comparison).
*/
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <sys/stat.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char sim_usage[] =
    "usage: sarx simulate (--preset NAME | --scenario FILE.json) [--seed S] [--out FILE.csv] [--plot DIR]\n"
    "       sarx simulate --population N [--ages 65,75,85] [--preset NAME | --scenario FILE.json]\n"
    "                     [--seed S] [--threads T] [--rows FILE.csv] [--summary FILE.json]\n"
    "       sarx simulate --list\n"
    "       sarx simulate --pool N [--steps K] [--excitation E] [--dt S] [--no-fatigue]\n"
    "  One person through a scenario: one CSV row per reported time point (stdout\n"
    "  unless --out).  _rel columns are relative to age 25, or to the start of an\n"
    "  intervention preset.  The same seed gives the same numbers.\n"
    "  --plot DIR   also write SVG plots of the trajectories\n"
    "  --population N  N virtual people (between-person variation; sex drawn unless\n"
    "               the scenario sets it), measured at each age (grip, ASM, gait speed,\n"
    "               height, weight) and diagnosed by every definition: prevalence by\n"
    "               age and sex, beside the published figures; --rows writes the\n"
    "               measurements as a CSV that `sarx cohort` reads (held in memory\n"
    "               until the end: about 150 bytes a row)\n"
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

/* DIR/trajectories.svg, with the same seed left alone as a baseline when
** the scenario has interventions. */
static int write_plot(const char *dir, const sarx_scenario *sc, unsigned long long seed, const sarx_sim_result *res)
{
    sarx_scenario *base = NULL;
    sarx_sim_result *bres = NULL;
    char path[4096], title[160], *svg;
    FILE *f;
    int rc = EXIT_OK;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "sarx: %s: %s\n", dir, strerror(errno));
        return EXIT_INPUT;
    }
    if (sarx_scenario_intervention_count(sc) > 0 && sarx_scenario_baseline(sc, &base) == SARX_OK)
        sarx_simulate(base, seed, &bres, NULL);
    snprintf(title, sizeof title, "sarx simulate: %s (seed %llu)", sarx_scenario_name(sc), seed);
    svg = sarx_sim_svg(res, bres, title);
    snprintf(path, sizeof path, "%s/trajectories.svg", dir);
    if (!svg || !(f = fopen(path, "w"))) {
        fprintf(stderr, "sarx: %s: cannot write\n", path);
        rc = EXIT_INPUT;
    } else {
        fputs(svg, f);
        if (fclose(f) != 0)
            rc = EXIT_INPUT;
    }
    sarx_free(svg);
    sarx_sim_result_free(bres);
    sarx_scenario_free(base);
    return rc;
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

/* ---- populations ------------------------------------------------------ */
static const char *const pop_header[] = {"id", "sex", "age_years", "height_cm", "weight_kg",
                                         "grip_kg", "gait_speed_m_s", "asm_kg", "asm_method"};
enum { POP_COLS = sizeof pop_header / sizeof pop_header[0] };

typedef struct worker {
    pthread_t th;
    const sarx_scenario *sc;
    unsigned long long seed;
    long first, count;
    const double *ages;
    size_t nages;
    sarx_cohort *all, *old; /* every row; rows aged 80 or more */
    char *rows;             /* CSV rows when asked for */
    size_t nrows, caprows;
    int want_rows, rc;
    sarx_error err;
} worker;

static int add_row(worker *w, char *const *cells, const size_t *lens)
{
    size_t k, need = 0;
    for (k = 0; k < POP_COLS; k++)
        need += lens[k] + 1;
    if (w->nrows + need + 1 > w->caprows) {
        size_t cap = w->caprows ? w->caprows * 2 : 1 << 16;
        char *nb;
        while (cap < w->nrows + need + 1)
            cap *= 2;
        if (!(nb = realloc(w->rows, cap)))
            return -1;
        w->rows = nb;
        w->caprows = cap;
    }
    for (k = 0; k < POP_COLS; k++) {
        memcpy(w->rows + w->nrows, cells[k], lens[k]);
        w->nrows += lens[k];
        w->rows[w->nrows++] = k + 1 < POP_COLS ? ',' : '\n';
    }
    return 0;
}

/* Classify the pending rows of a cohort (the outputs are not needed: the
** cohort counts them). */
static void flush(sarx_cohort *c) { sarx_cohort_classify(c, NULL, NULL, NULL); }

static void feed(sarx_cohort *c, char *const *cells, const size_t *lens)
{
    if (sarx_cohort_parse(c, cells, lens, POP_COLS, NULL) == SARX_ERANGE) { /* batch full */
        flush(c);
        sarx_cohort_parse(c, cells, lens, POP_COLS, NULL);
    }
}

static void *pop_work(void *arg)
{
    worker *w = arg;
    size_t nm = sarx_sim_measure_count(), k;
    double *v = malloc(w->nages * nm * sizeof *v);
    long i;
    if (!v) {
        w->rc = SARX_ENOMEM;
        return NULL;
    }
    for (i = w->first; i < w->first + w->count && w->rc == SARX_OK; i++) {
        if ((w->rc = sarx_sim_person_measures(w->sc, w->seed, i, w->ages, w->nages, v, &w->err)) != SARX_OK)
            break;
        for (k = 0; k < w->nages; k++) {
            const double *m = v + k * nm;
            char buf[POP_COLS][40], *cells[POP_COLS];
            size_t lens[POP_COLS], j;
            snprintf(buf[0], sizeof buf[0], "p%ld", i + 1);
            snprintf(buf[1], sizeof buf[1], "%s", m[0] == 1 ? "male" : "female");
            for (j = 1; j < nm; j++)
                snprintf(buf[j + 1], sizeof buf[0], "%.6g", m[j]);
            snprintf(buf[POP_COLS - 1], sizeof buf[0], "dxa");
            for (j = 0; j < POP_COLS; j++) {
                cells[j] = buf[j];
                lens[j] = strlen(buf[j]);
            }
            feed(w->all, cells, lens);
            if (m[1] >= 80)
                feed(w->old, cells, lens);
            if (w->want_rows && add_row(w, cells, lens) != 0) {
                w->rc = SARX_ENOMEM;
                break;
            }
        }
    }
    flush(w->all);
    flush(w->old);
    free(v);
    return NULL;
}

/* Prevalence of a definition's positive reading in a stratum of a summary. */
static double prevalence(json_t *summary, const char *def, const char *stratum, long *n)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(summary, "definitions"), i, d) {
        if (strcmp(json_string_value(json_object_get(d, "definition")), def) == 0) {
            json_t *pos = json_object_get(json_object_get(json_object_get(d, "by"), stratum), "positive");
            *n = (long)json_integer_value(json_object_get(pos, "of"));
            return json_number_value(json_object_get(pos, "prevalence"));
        }
    }
    *n = 0;
    return 0;
}

/* The figures for people over 80 that seed 004 quotes, beside the
** simulated population's under the definition each study used. */
static void published(const sarx_cohort *old)
{
    static const struct {
        const char *study, *def, *women, *men;
    } pub[] = {
        {"New Mexico Elder Health Survey", "baumgartner1998", "> 40 %", "50 %"},
        {"NHANES III", "janssen2004", "11 %", "7 %"},
        {"InCHIANTI (Lauretani 2003), at 85 y", NULL, "15 %", "70 %"},
    };
    char *js = sarx_cohort_summary_json(old);
    json_t *root = js ? json_loads(js, 0, NULL) : NULL;
    size_t i;
    sarx_free(js);
    if (!root)
        return;
    printf("\nOver 80 years: the published prevalence that seed 004 quotes, beside this population.\n"
           "The studies' measurement methods and samples differ from the model's. NMEHS used Baumgartner's\n"
           "definition and NHANES III Janssen's; InCHIANTI's figure (Lauretani 2003) is calf muscle area by\n"
           "pQCT more than 2 SD below the mean, which no engine definition reads.  Janssen 2004 needs\n"
           "whole-body muscle mass (smm_kg), which the model does not map.\n\n");
    printf("  %-36s %-16s %-22s %s\n", "study", "definition", "published women / men", "simulated women / men");
    for (i = 0; i < sizeof pub / sizeof pub[0]; i++) {
        long nw = 0, nm = 0;
        double pw = 0, pm = 0;
        if (pub[i].def) {
            pw = prevalence(root, pub[i].def, "female", &nw);
            pm = prevalence(root, pub[i].def, "male", &nm);
        }
        printf("  %-36s %-16s %-9s / %-10s ", pub[i].study, pub[i].def ? pub[i].def : "(calf CSA, pQCT)",
               pub[i].women, pub[i].men);
        if (nw)
            printf("%5.1f %%", 100 * pw);
        else
            printf("   --  ");
        if (nm)
            printf(" / %5.1f %%\n", 100 * pm);
        else
            printf(" /   --\n");
    }
    json_decref(root);
}

static int parse_ages(const char *text, double *ages, size_t *n)
{
    char *end;
    const char *p = text;
    *n = 0;
    while (*p) {
        double a = strtod(p, &end);
        if (end == p || *n == 32 || (*n > 0 && a <= ages[*n - 1]) || !(a >= 25 && a <= 110))
            return -1;
        ages[(*n)++] = a;
        p = end;
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return *n ? 0 : -1;
}

static int run_population(const sarx_scenario *sc, long people, const char *ages_text, unsigned long long seed,
                          int threads, const char *rows_path, const char *summary_path)
{
    double ages[32];
    size_t nages, i;
    size_t hl[POP_COLS];
    sarx_ctx *ctx = NULL;
    sarx_cohort *all = NULL, *old = NULL;
    worker *w;
    sarx_error err;
    int t, rc = EXIT_OK;
    char *text;
    if (parse_ages(ages_text, ages, &nages) != 0) {
        fprintf(stderr, "sarx simulate: --ages \"%s\": expected increasing ages of 25-110 such as 65,75,85\n",
                ages_text);
        return EXIT_USAGE;
    }
    if (threads < 1 || threads > 256)
        threads = 1;
    if (people < (long)threads)
        threads = (int)(people > 0 ? people : 1);
    for (i = 0; i < POP_COLS; i++)
        hl[i] = strlen(pop_header[i]);
    if (sarx_ctx_new(&ctx, &err) != SARX_OK ||
        sarx_cohort_new(ctx, (char *const *)pop_header, hl, POP_COLS, 0, &all, &err) != SARX_OK ||
        sarx_cohort_clone(all, &old) != SARX_OK) {
        cli_error("population", &err);
        sarx_cohort_free(all);
        sarx_ctx_free(ctx);
        return EXIT_INPUT;
    }
    w = calloc((size_t)threads, sizeof *w);
    for (t = 0; w && t < threads; t++) {
        long per = people / threads, extra = people % threads;
        w[t].sc = sc;
        w[t].seed = seed;
        w[t].first = t * per + (t < extra ? t : extra);
        w[t].count = per + (t < extra);
        w[t].ages = ages;
        w[t].nages = nages;
        w[t].want_rows = rows_path != NULL;
        if (sarx_cohort_clone(all, &w[t].all) != SARX_OK || sarx_cohort_clone(all, &w[t].old) != SARX_OK)
            w[t].rc = SARX_ENOMEM;
    }
    for (t = 0; w && t < threads; t++)
        if (w[t].rc == SARX_OK && pthread_create(&w[t].th, NULL, pop_work, &w[t]) != 0)
            pop_work(&w[t]);
        else if (w[t].rc == SARX_OK)
            continue;
    for (t = 0; w && t < threads; t++) {
        if (w[t].th)
            pthread_join(w[t].th, NULL);
    }
    for (t = 0; w && t < threads; t++) {
        if (w[t].rc != SARX_OK && rc == EXIT_OK) {
            cli_error("population", &w[t].err);
            rc = EXIT_INPUT;
        }
        sarx_cohort_merge(all, w[t].all);
        sarx_cohort_merge(old, w[t].old);
    }
    if (!w)
        rc = EXIT_INPUT;
    if (rc == EXIT_OK && rows_path) {
        FILE *f = fopen(rows_path, "w");
        if (!f) {
            fprintf(stderr, "sarx: %s: %s\n", rows_path, strerror(errno));
            rc = EXIT_INPUT;
        } else {
            for (i = 0; i < POP_COLS; i++)
                fprintf(f, "%s%s", pop_header[i], i + 1 < POP_COLS ? "," : "\n");
            for (t = 0; t < threads; t++)
                fwrite(w[t].rows, 1, w[t].nrows, f);
            if (fclose(f) != 0)
                rc = EXIT_INPUT;
        }
    }
    if (rc == EXIT_OK && summary_path) {
        FILE *f = fopen(summary_path, "w");
        char *js = sarx_cohort_summary_json(all);
        if (!f || !js) {
            fprintf(stderr, "sarx: %s: cannot write\n", summary_path);
            rc = EXIT_INPUT;
        } else {
            fputs(js, f);
            fputc('\n', f);
        }
        if (f && fclose(f) != 0)
            rc = EXIT_INPUT;
        sarx_free(js);
    }
    if (rc == EXIT_OK) {
        printf("Virtual population: %ld people (scenario %s, seed %llu), measured at", people, sarx_scenario_name(sc),
               seed);
        for (i = 0; i < nages; i++)
            printf("%s %g", i ? "," : "", ages[i]);
        printf(" years.\nA model population for research and teaching, not data (docs/SIMULATOR.md).\n\n");
        text = sarx_cohort_summary_text(all);
        if (text)
            fputs(text, stdout);
        sarx_free(text);
        if (sarx_cohort_rows(old) > 0)
            published(old);
    }
    for (t = 0; w && t < threads; t++) {
        sarx_cohort_free(w[t].all);
        sarx_cohort_free(w[t].old);
        free(w[t].rows);
    }
    free(w);
    sarx_cohort_free(all);
    sarx_cohort_free(old);
    sarx_ctx_free(ctx);
    return rc;
}

/* rc, or 1 when what went to stdout could not be written. */
static int stdout_checked(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sarx: writing the output failed\n");
        return EXIT_INPUT;
    }
    return rc;
}

int cmd_simulate(int argc, char **argv)
{
    const char *preset = NULL, *scenario = NULL, *out = NULL, *plot = NULL, *ages = "65,75,85", *rows = NULL,
               *summary = NULL;
    long population = 0, threads = 1;
    int population_given = 0;
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
        else if (strcmp(a, "--population") == 0)
            population = strtol(v, &end, 10), population_given = 1;
        else if (strcmp(a, "--threads") == 0)
            threads = strtol(v, &end, 10);
        else if (strcmp(a, "--ages") == 0)
            ages = v;
        else if (strcmp(a, "--rows") == 0)
            rows = v;
        else if (strcmp(a, "--summary") == 0)
            summary = v;
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
    if ((population_given && population < 1) || threads < 1 || threads > 256 || steps < 1 || !(dt >= 0) ||
        !(exc >= 0)) {
        fprintf(stderr, "sarx simulate: allowed: --population 1-100000000, --threads 1-256, --steps 1 or more, "
                        "--dt and --excitation 0 or more\n");
        return EXIT_USAGE;
    }
    if (pool)
        return run_pool(pool, steps, exc, dt, fatigue);
    if (population && !preset && !scenario)
        preset = "sedentary";
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
    if (population > 0) {
        if (population > 100000000L) {
            fprintf(stderr, "sarx simulate: --population: at most 100000000 people\n");
            sarx_scenario_free(sc);
            return EXIT_USAGE;
        }
        rc = run_population(sc, population, ages, seed, (int)threads, rows, summary);
        sarx_scenario_free(sc);
        return stdout_checked(rc);
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
    if (plot && rc == EXIT_OK)
        rc = write_plot(plot, sc, seed, res);
    sarx_sim_result_free(res);
    sarx_scenario_free(sc);
    return stdout_checked(rc);
}
