/*
** simulate.c — `sarx simulate`: one person through a scenario (CSV time
** series, SVG plots), a virtual population diagnosed by the engine, or the
** bare motor-unit pool step (for the pymuscle comparison).
*/
#define _POSIX_C_SOURCE 200809L /* sysconf */

#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <sys/stat.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    "               until the end: about 60 bytes a row, at most 1 GiB)\n"
    "  --pool N     step the Potvin-Fuglevand pool of N units K times and print\n"
    "               the total force of each step (default K 100, E 40, dt 0.02 s)\n"
    "  Limits: --seed 0-18446744073709551615, --population 1-100000000,\n"
    "  --threads 1-256, --ages up to 32 increasing ages of 25-110, --pool 2-10000000,\n"
    "  --steps 1-10000000 and units x steps at most 10^10, --excitation 0-67,\n"
    "  --dt 0-3600 s; counts in plain digits.\n"
    "  A model for research and teaching (docs/SIMULATOR.md), not a prediction\n"
    "  for a patient.\n";

/*
** The limits of the options (docs/SIMULATOR.md, "Limits of the options").
** Counts are read as plain digits, so "-1" cannot wrap to a huge seed and
** "1e8" is not a count; numbers must be finite decimals in their range.
*/
#define MAX_SEED ULLONG_MAX
#define MAX_POPULATION 100000000ULL
#define MAX_THREADS 256ULL
#define MAX_AGES 32
#define MIN_POOL 2ULL /* sarx_mu_pool_new's range */
#define MAX_POOL 10000000ULL
/* One line of output a step (at most 24 bytes: 240 MB), and the pool's
** work bounded: 10^10 unit-steps is about 15 s at 1,000 units and 100 s at
** 10^7 (docs/SIMULATOR.md). */
#define MAX_STEPS 10000000ULL
#define MAX_UNIT_STEPS 1e10
/* Any finite step is computed correctly (fatigue stops at no force); an
** hour a step is well past any use (pymuscle's comparison uses 1 s). */
#define MAX_DT 3600.0
/* The --rows text is held in memory until every thread is done (rows are
** written in order): at most this much, or half the machine's memory. */
#define MAX_ROWS_BYTES (1ULL << 30)
/* A row's bytes besides "p" and the id's digits: sex, age, five measures
** to 6 significant digits, "dxa", commas and the line end.  Measured 52.8
** on average at 65,75,85 and 54.1 at 25,40.5,65,99.75,110; at most 58. */
#define ROW_BYTES 54.0
/* A person's cost on one thread, for the estimate: about 0.45 ms plus 0.05
** ms an age (measured 0.52 ms at one age, 0.69 at three, 0.81 at seven). */
#define PERSON_MS(nages) (0.45 + 0.05 * (double)(nages))

/* The length of the decimal number at p: an optional sign, digits with at
** most one point, an optional exponent; 0 when there is none.  strtod alone
** also takes leading spaces, "inf", "nan" and hexadecimal. */
static size_t decimal_len(const char *p)
{
    const char *s = p;
    size_t digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        const char *e = s + 1;
        if (*e == '+' || *e == '-')
            e++;
        if (!(*e >= '0' && *e <= '9'))
            return 0;
        while (*e >= '0' && *e <= '9')
            e++;
        s = e;
    }
    return (size_t)(s - p);
}

/* A whole number of what (plural noun, or "") in lo-hi, in plain digits;
** 0, or -1 after the message. */
static int opt_whole(const char *opt, const char *v, unsigned long long lo, unsigned long long hi, const char *what,
                     unsigned long long *out)
{
    unsigned long long x = 0;
    const char *p = v;
    int over = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (x > (ULLONG_MAX - d) / 10)
            over = 1;
        else
            x = x * 10 + d;
    }
    if (p == v || *p || over || x < lo || x > hi) {
        fprintf(stderr, "sarx simulate: %s \"%s\": expected a whole number%s%s from %llu to %llu, in plain digits\n",
                opt, v, *what ? " of " : "", what, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

/* A finite decimal number in lo-hi (unit: " of seconds" or ""); 0, or -1
** after the message. */
static int opt_real(const char *opt, const char *v, double lo, double hi, const char *unit, double *out)
{
    size_t n = decimal_len(v);
    double x = n && !v[n] ? strtod(v, NULL) : NAN;
    if (!(x >= lo && x <= hi)) { /* also NaN, and inf from an exponent too large */
        fprintf(stderr, "sarx simulate: %s \"%s\": expected a finite number%s from %g to %g\n", opt, v, unit, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

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

static int run_pool(unsigned long long n, unsigned long long steps, double e, double dt, int fatigue)
{
    sarx_mu_pool *p;
    unsigned long long i;
    if (sarx_mu_pool_new((size_t)n, fatigue, &p) != SARX_OK) {
        fprintf(stderr, "sarx simulate: --pool %llu: could not allocate the pool (about %.0f MB)\n", n,
                (double)n * 72 / 1e6);
        return EXIT_INPUT;
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

/* A worker out of memory, with the message cli_error prints. */
static void no_memory(worker *w)
{
    w->rc = SARX_ENOMEM;
    snprintf(w->err.message, sizeof w->err.message, "out of memory (%zu bytes of --rows held by this thread)",
             w->nrows);
}

static void *pop_work(void *arg)
{
    worker *w = arg;
    size_t nm = sarx_sim_measure_count(), k;
    double *v = malloc(w->nages * nm * sizeof *v);
    long i;
    if (!v) {
        no_memory(w);
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
                no_memory(w);
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

/* --ages: up to MAX_AGES increasing decimal ages of 25-110, comma-separated;
** 0, or -1 after a message naming the age at fault. */
static int parse_ages(const char *text, double *ages, size_t *n)
{
    const char *p = text;
    *n = 0;
    for (;;) {
        size_t len = decimal_len(p);
        double a = len && (p[len] == ',' || !p[len]) ? strtod(p, NULL) : NAN;
        const char *why = NULL;
        if (*n == MAX_AGES)
            why = "past the 32 allowed";
        else if (!(a >= 25 && a <= 110))
            why = "not a number from 25 to 110";
        else if (*n > 0 && a <= ages[*n - 1])
            why = "not above the age before it";
        if (why) {
            int k = (int)strcspn(p, ",");
            fprintf(stderr, "sarx simulate: --ages \"%s\": age %zu \"%.*s\" is %s (expected up to 32 increasing ages "
                            "of 25-110 such as 65,75,85)\n", text, *n + 1, k, p, why);
            return -1;
        }
        ages[(*n)++] = a;
        p += len;
        if (!*p)
            return 0;
        p++; /* the comma */
    }
}

/* An output file of the population, opened before the work; NULL after a
** message. */
static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "sarx: %s: %s\n", path, strerror(errno));
    return f;
}

/* Close an output file (f may be NULL): written when keep, else removed, so
** that a failed run leaves no partial file (a regular file only: never a
** device or a pipe, such as /dev/full).  0, or -1 after a message. */
static int close_out(FILE *f, const char *path, int keep)
{
    struct stat st;
    int bad, regular;
    if (!f)
        return 0;
    regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    errno = 0;
    bad = ferror(f) != 0;
    if (fclose(f) != 0)
        bad = 1;
    if (bad && keep)
        fprintf(stderr, "sarx: %s: write failed%s%s\n", path, errno ? ": " : "", errno ? strerror(errno) : "");
    if ((bad || !keep) && regular)
        remove(path);
    return bad && keep ? -1 : 0;
}

static int run_population(const sarx_scenario *sc, long people, const double *ages, size_t nages,
                          unsigned long long seed, int threads, const char *rows_path, const char *summary_path)
{
    size_t i;
    size_t hl[POP_COLS];
    sarx_ctx *ctx = NULL;
    sarx_cohort *all = NULL, *old = NULL;
    worker *w;
    sarx_error err;
    int t, rc = EXIT_OK;
    char *text;
    FILE *frows = NULL, *fsum = NULL;
    if (people < (long)threads)
        threads = (int)(people > 0 ? people : 1);
    /* The output files are opened before the work, which may take hours, so
    ** that a path that cannot be written is refused at once. */
    if ((rows_path && !(frows = open_out(rows_path))) || (summary_path && !(fsum = open_out(summary_path)))) {
        close_out(frows, rows_path, 0);
        return EXIT_INPUT;
    }
    for (i = 0; i < POP_COLS; i++)
        hl[i] = strlen(pop_header[i]);
    if (sarx_ctx_new(&ctx, &err) != SARX_OK ||
        sarx_cohort_new(ctx, (char *const *)pop_header, hl, POP_COLS, 0, &all, &err) != SARX_OK ||
        sarx_cohort_clone(all, &old) != SARX_OK) {
        cli_error("population", &err);
        sarx_cohort_free(all);
        sarx_ctx_free(ctx);
        close_out(frows, rows_path, 0);
        close_out(fsum, summary_path, 0);
        return EXIT_INPUT;
    }
    w = calloc((size_t)threads, sizeof *w);
    if (!w)
        fprintf(stderr, "sarx simulate: out of memory\n");
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
            no_memory(&w[t]);
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
    if (rc == EXIT_OK && frows) {
        for (i = 0; i < POP_COLS; i++)
            fprintf(frows, "%s%s", pop_header[i], i + 1 < POP_COLS ? "," : "\n");
        for (t = 0; t < threads; t++)
            fwrite(w[t].rows, 1, w[t].nrows, frows);
    }
    if (rc == EXIT_OK && fsum) {
        char *js = sarx_cohort_summary_json(all);
        if (!js) {
            fprintf(stderr, "sarx simulate: out of memory\n");
            rc = EXIT_INPUT;
        } else {
            fputs(js, fsum);
            fputc('\n', fsum);
        }
        sarx_free(js);
    }
    if (close_out(frows, rows_path, rc == EXIT_OK) != 0)
        rc = EXIT_INPUT;
    if (close_out(fsum, summary_path, rc == EXIT_OK) != 0)
        rc = EXIT_INPUT;
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

/* Bytes as "17.5 GiB", "950 MiB", "12 KiB" or "800 bytes". */
static const char *human_bytes(double n, char *buf, size_t size)
{
    if (n >= 1024.0 * 1024 * 1024)
        snprintf(buf, size, "%.1f GiB", n / (1024.0 * 1024 * 1024));
    else if (n >= 1024.0 * 1024)
        snprintf(buf, size, "%.0f MiB", n / (1024.0 * 1024));
    else if (n >= 1024.0)
        snprintf(buf, size, "%.0f KiB", n / 1024.0);
    else
        snprintf(buf, size, "%.0f bytes", n);
    return buf;
}

/* Seconds as "19 h", "35 min" or "40 s". */
static const char *human_time(double sec, char *buf, size_t size)
{
    if (sec >= 2 * 3600.0)
        snprintf(buf, size, "%.0f h", sec / 3600);
    else if (sec >= 120)
        snprintf(buf, size, "%.0f min", sec / 60);
    else
        snprintf(buf, size, "%.0f s", sec);
    return buf;
}

/* The text --rows would hold for people at nages ages: per row "p", the
** id's digits and ROW_BYTES. */
static double rows_bytes(unsigned long long people, size_t nages)
{
    double digits = 0;
    unsigned long long lo = 1;
    int d;
    for (d = 1; lo <= people; d++, lo *= 10) { /* the ids of d digits: lo to 10 lo - 1 */
        unsigned long long hi = lo * 10 - 1 < people ? lo * 10 - 1 : people;
        digits += (double)(hi - lo + 1) * d;
        if (lo > ULLONG_MAX / 10)
            break;
    }
    return ((double)people * (1 + ROW_BYTES) + digits) * (double)nages;
}

/* Refuse a --rows that would hold more than it may: 0, or -1 after a
** message with the estimate. */
static int rows_fit(unsigned long long people, size_t nages, unsigned long long threads)
{
    double need = rows_bytes(people, nages), limit = (double)MAX_ROWS_BYTES;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    const char *why = "";
    char b1[32], b2[32], b3[32];
    if (pages > 0 && page > 0 && (double)pages * (double)page / 2 < limit) {
        limit = (double)pages * (double)page / 2;
        why = ", half of this machine's memory";
    }
    if (need <= limit)
        return 0;
    fprintf(stderr,
            "sarx simulate: --rows: %llu people x %zu age%s = %llu rows, about %s held in memory until the end "
            "(and as much on disk), and roughly %s of work with %llu thread%s; --rows may hold at most %s%s "
            "(about %.0f such rows): ask for fewer people or ages, or leave out --rows (the summary needs no rows)\n",
            people, nages, nages == 1 ? "" : "s", people * (unsigned long long)nages, human_bytes(need, b1, sizeof b1),
            human_time((double)people * PERSON_MS(nages) / 1000 / (double)threads, b2, sizeof b2), threads,
            threads == 1 ? "" : "s", human_bytes(limit, b3, sizeof b3), why,
            floor(limit / (need / (double)(people * nages))));
    return -1;
}

/* The options, and the modes each applies to: one person (--preset or
** --scenario), a population, or the bare pool. */
enum { M_ONE = 1, M_POP = 2, M_POOL = 4 };
enum {
    O_PRESET, O_SCENARIO, O_OUT, O_PLOT, O_SEED, O_POPULATION, O_AGES, O_THREADS, O_ROWS, O_SUMMARY, O_POOL,
    O_STEPS, O_EXCITATION, O_DT, O_NO_FATIGUE, O_COUNT
};
static const struct {
    const char *name, *alias;
    unsigned modes;
    int flag; /* takes no value */
} sim_opts[O_COUNT] = {
    {"--preset", NULL, M_ONE | M_POP, 0},  {"--scenario", NULL, M_ONE | M_POP, 0}, {"--out", "-o", M_ONE, 0},
    {"--plot", NULL, M_ONE, 0},            {"--seed", NULL, M_ONE | M_POP, 0},     {"--population", NULL, M_POP, 0},
    {"--ages", NULL, M_POP, 0},            {"--threads", NULL, M_POP, 0},          {"--rows", NULL, M_POP, 0},
    {"--summary", NULL, M_POP, 0},         {"--pool", NULL, M_POOL, 0},            {"--steps", NULL, M_POOL, 0},
    {"--excitation", NULL, M_POOL, 0},     {"--dt", NULL, M_POOL, 0},              {"--no-fatigue", NULL, M_POOL, 1},
};

int cmd_simulate(int argc, char **argv)
{
    const char *val[O_COUNT] = {NULL}, *preset, *scenario, *out, *plot, *rows, *summary;
    const char *mode_name;
    double ages[MAX_AGES];
    size_t nages = 0;
    unsigned long long seed = 1, population = 0, threads = 1, pool = 0, steps = 100;
    double exc = 40, dt = 0.02;
    int i, k, given[O_COUNT] = {0}, fatigue, rc = EXIT_OK;
    unsigned mode;
    sarx_scenario *sc = NULL;
    sarx_sim_result *res = NULL;
    sarx_error err;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(sim_usage, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--list") == 0) {
            size_t j;
            for (j = 0; j < sarx_scenario_preset_count(); j++)
                printf("%-26s %s\n", sarx_scenario_preset_name(j), sarx_scenario_preset_description(j));
            return EXIT_OK;
        }
        for (k = 0; k < O_COUNT; k++)
            if (strcmp(a, sim_opts[k].name) == 0 || (sim_opts[k].alias && strcmp(a, sim_opts[k].alias) == 0))
                break;
        if (k == O_COUNT) {
            fprintf(stderr, "sarx simulate: unknown option \"%s\"\n%s", a, sim_usage);
            return EXIT_USAGE;
        }
        if (given[k]) { /* (not the last one silently) */
            fprintf(stderr, "sarx simulate: %s given twice\n", sim_opts[k].name);
            return EXIT_USAGE;
        }
        given[k] = 1;
        if (sim_opts[k].flag)
            continue;
        if (i + 1 >= argc) {
            fprintf(stderr, "sarx simulate: %s needs a value\n%s", a, sim_usage);
            return EXIT_USAGE;
        }
        val[k] = argv[++i];
    }
    /* Which mode, and no option that the mode would ignore. */
    if (given[O_POOL] && given[O_POPULATION]) {
        fprintf(stderr, "sarx simulate: give --pool or --population, not both\n");
        return EXIT_USAGE;
    }
    mode = given[O_POOL] ? M_POOL : given[O_POPULATION] ? M_POP : M_ONE;
    mode_name = mode == M_POOL ? "--pool" : mode == M_POP ? "--population" : "one person";
    for (k = 0; k < O_COUNT; k++)
        if (given[k] && !(sim_opts[k].modes & mode)) {
            unsigned m = sim_opts[k].modes;
            fprintf(stderr, "sarx simulate: %s applies to %s, not to %s (sarx simulate --help)\n", sim_opts[k].name,
                    m == M_POOL  ? "--pool only"
                    : m == M_POP ? "--population only"
                    : m == M_ONE ? "one person only (--preset or --scenario, without --population)"
                                 : "a scenario (one person or --population)",
                    mode_name);
            return EXIT_USAGE;
        }
    preset = val[O_PRESET];
    scenario = val[O_SCENARIO];
    out = val[O_OUT];
    plot = val[O_PLOT];
    rows = val[O_ROWS];
    summary = val[O_SUMMARY];
    fatigue = !given[O_NO_FATIGUE];
    /* Every number: its syntax, finite, in its documented range. */
    if ((val[O_SEED] && opt_whole("--seed", val[O_SEED], 0, MAX_SEED, "", &seed) != 0) ||
        (val[O_POPULATION] &&
         opt_whole("--population", val[O_POPULATION], 1, MAX_POPULATION, "people", &population) != 0) ||
        (val[O_THREADS] && opt_whole("--threads", val[O_THREADS], 1, MAX_THREADS, "threads", &threads) != 0) ||
        (val[O_POOL] && opt_whole("--pool", val[O_POOL], MIN_POOL, MAX_POOL, "units", &pool) != 0) ||
        (val[O_STEPS] && opt_whole("--steps", val[O_STEPS], 1, MAX_STEPS, "steps", &steps) != 0) ||
        (val[O_DT] && opt_real("--dt", val[O_DT], 0, MAX_DT, " of seconds", &dt) != 0) ||
        (mode == M_POP && parse_ages(val[O_AGES] ? val[O_AGES] : "65,75,85", ages, &nages) != 0))
        return EXIT_USAGE;
    if (val[O_EXCITATION]) { /* up to the pool's own bound, where every unit fires at its peak rate */
        sarx_mu_pool *probe = NULL;
        double emax = sarx_mu_pool_new(2, 0, &probe) == SARX_OK ? sarx_mu_pool_max_excitation(probe) : 0;
        sarx_mu_pool_free(probe);
        if (opt_real("--excitation", val[O_EXCITATION], 0, emax, "", &exc) != 0)
            return EXIT_USAGE;
    }
    if (mode == M_POOL && (double)pool * (double)steps > MAX_UNIT_STEPS) {
        fprintf(stderr, "sarx simulate: --pool %llu --steps %llu: %.3g unit-steps (units x steps); at most 1e+10\n",
                pool, steps, (double)pool * (double)steps);
        return EXIT_USAGE;
    }
    if (mode == M_POP && rows && rows_fit(population, nages, threads < population ? threads : population) != 0)
        return EXIT_USAGE;
    if (mode == M_POOL)
        return stdout_checked(run_pool(pool, steps, exc, dt, fatigue));
    if (mode == M_POP && !preset && !scenario)
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
    if (mode == M_POP) {
        rc = run_population(sc, (long)population, ages, nages, seed, (int)threads, rows, summary);
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
            int bad;
            write_csv(f, res);
            bad = ferror(f) != 0; /* a failed write, then the close */
            if (fclose(f) != 0 || bad) {
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
