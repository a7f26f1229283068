/*
** simulate.c — `sarx simulate`: its options and modes; one person through
** a scenario (CSV time series, SVG plots) and the bare motor-unit pool step
** (for the pymuscle comparison) here, a virtual population in
** simulate_pop.c, --validate and --compare in simulate_check.c.
*/
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "opts.h"
#include "png.h"
#include "progress.h"
#include "simulate.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

/*
** The limits of the options (docs/SIMULATOR.md, "Limits of the options").
** Counts are read as plain digits, so "-1" cannot wrap to a huge seed and
** "1e8" is not a count; numbers must be finite decimals in their range.
*/
#define MAX_SEED ULLONG_MAX
#define MAX_POPULATION 100000000ULL
#define MAX_THREADS 256ULL
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
    svg = sarx_sim_svg_scenario(res, bres, sc, title);
    snprintf(path, sizeof path, "%s/trajectories.svg", dir);
    if (!svg || !(f = fopen(path, "w"))) {
        fprintf(stderr, "sarx: %s: cannot write\n", path);
        rc = EXIT_INPUT;
    } else {
        char msg[512];
        fputs(svg, f);
        if (fclose(f) != 0)
            rc = EXIT_INPUT;
        else if (png_beside(path, svg, msg, sizeof msg) != 0) {
            fprintf(stderr, "sarx: %s\n", msg);
            rc = EXIT_INPUT;
        }
    }
    sarx_free(svg);
    sarx_sim_result_free(bres);
    sarx_scenario_free(base);
    return rc;
}

/* Pool steps between two additions to the progress counter. */
#define POOL_BLOCK 64

static int run_pool(unsigned long long n, unsigned long long steps, double e, double dt, int fatigue, int progress)
{
    sarx_mu_pool *p;
    unsigned long long i;
    cli_progress *pr;
    if (sarx_mu_pool_new((size_t)n, fatigue, &p) != SARX_OK) {
        fprintf(stderr, "sarx simulate: --pool %llu: could not allocate the pool (about %.0f MB)\n", n,
                (double)n * 72 / 1e6);
        return EXIT_INPUT;
    }
    pr = cli_progress_start("sarx simulate", "steps", steps, cli_progress_mode(progress, 1)); /* steps on stdout */
    for (i = 0; i < steps; i++) {
        printf("%.17g\n", sarx_mu_pool_step(p, e, dt));
        if ((i + 1) % POOL_BLOCK == 0)
            cli_progress_add(pr, POOL_BLOCK);
    }
    cli_progress_add(pr, steps % POOL_BLOCK);
    cli_progress_end(pr, 1);
    sarx_mu_pool_free(p);
    return EXIT_OK;
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

/* rc, or 1 when what went to stdout could not be written. */
static int stdout_checked(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sarx: writing the output failed\n");
        return EXIT_INPUT;
    }
    return rc;
}

/* The options, and the modes each applies to: one person (--preset or
** --scenario), a population, or the bare pool. */
enum { M_ONE = 1, M_POP = 2, M_POOL = 4, M_VAL = 8, M_CMP = 16 };
enum {
    O_PRESET, O_SCENARIO, O_OUT, O_PLOT, O_SEED, O_POPULATION, O_AGES, O_THREADS, O_ROWS, O_SUMMARY, O_POOL,
    O_STEPS, O_EXCITATION, O_DT, O_NO_FATIGUE, O_DETAIL, O_PROGRESS, O_QUIET, O_VALIDATE, O_COMPARE, O_SVG,
    O_COUNT, O_LIST = O_COUNT
};
/* A validation population's size when --population is not given. */
#define VALIDATE_PEOPLE 40000ULL
static const cli_opt sim_opts[] = {
    {O_PRESET, "preset", 0, "NAME", CLI_ONCE, CLI_C_PRESETS, NULL, "a named scenario (--list shows them)"},
    {O_SCENARIO, "scenario", 0, "FILE.json", CLI_ONCE, CLI_C_FILE, NULL, "a scenario of your own (docs/SIMULATOR.md)"},
    {O_SEED, "seed", 0, "S", CLI_ONCE, CLI_C_NONE, NULL, "the seed, 0-18446744073709551615 (default 1): the same seed\ngives the same numbers"},
    {O_OUT, "out", 'o', "FILE.csv", CLI_ONCE, CLI_C_FILE, NULL, "one person: the CSV time series (default: the standard output)"},
    {O_PLOT, "plot", 0, "DIR", CLI_ONCE, CLI_C_DIR, NULL, "one person: also write the trajectories as trajectories.svg and\n.png (180 mm, 300 dpi)"},
    {O_POPULATION, "population", 0, "N", CLI_ONCE, CLI_C_NONE, NULL,
     "N virtual people, 1-100000000 (between-person variation; sex drawn\n"
     "unless the scenario sets it), measured at each age (grip, ASM, gait\n"
     "speed, chair stands, SPPB, height, weight, muscle mass) and diagnosed\n"
     "by every definition: prevalence\n"
     "by age and sex, beside the published figures"},
    {O_AGES, "ages", 0, "LIST", CLI_ONCE, CLI_C_NONE, NULL, "--population: up to 32 increasing ages of 25-110 (default 65,75,85)"},
    {O_THREADS, "threads", 0, "T", CLI_ONCE, CLI_C_NONE, NULL, "--population: worker threads, 1-256 (default 1)"},
    {O_ROWS, "rows", 0, "FILE.csv", CLI_ONCE, CLI_C_FILE, NULL,
     "--population: the measurements as a CSV that `sarx cohort` reads\n"
     "(held in memory until the end: about 78 bytes a row, at most 1 GiB)"},
    {O_SUMMARY, "summary", 0, "FILE.json", CLI_ONCE, CLI_C_FILE, NULL, "--population: the prevalence as JSON"},
    {O_DETAIL, "detail", 0, "FILE.jsonl", CLI_ONCE, CLI_C_FILE, NULL,
     "--population: per person, one JSON line (JSON Lines): the\n"
     "measurements at every age and every definition's category at each\n"
     "(about 425 bytes plus 295 an age: 1.3 KB a person at three ages;\n"
     "held in memory like --rows, and within the same 1 GiB)"},
    {O_POOL, "pool", 0, "N", CLI_ONCE, CLI_C_NONE, NULL,
     "step the Potvin-Fuglevand pool of N units (2-10000000) K times and\n"
     "print the total force of each step"},
    {O_STEPS, "steps", 0, "K", CLI_ONCE, CLI_C_NONE, NULL, "--pool: steps, 1-10000000 (default 100); units x steps at most 10^10"},
    {O_EXCITATION, "excitation", 0, "E", CLI_ONCE, CLI_C_NONE, NULL, "--pool: the excitation, 0-67 (default 40)"},
    {O_DT, "dt", 0, "S", CLI_ONCE, CLI_C_NONE, NULL, "--pool: the step in seconds, 0-3600 (default 0.02)"},
    {O_NO_FATIGUE, "no-fatigue", 0, NULL, CLI_ONCE, CLI_C_NONE, NULL, "--pool: without fatigue"},
    {O_LIST, "list", 0, NULL, 0, CLI_C_NONE, NULL, "the presets, with what each one is"},
    {O_PROGRESS, "progress", 0, NULL, CLI_ONCE, CLI_C_NONE, NULL,
     "people (or pool steps) done, rate and time left on stderr even\n"
     "when it is not a terminal, one line per update"},
    {O_QUIET, "quiet", 0, NULL, CLI_ONCE, CLI_C_NONE, NULL, "no progress line"},
    {O_VALIDATE, "validate", 0, NULL, CLI_ONCE, CLI_C_NONE, NULL,
     "run every published target (docs/SIMULATOR.md): a table of target,\n"
     "source, published, simulated, tolerance, result, and whether it was\n"
     "calibrated or held out; exit 1 when one fails.  --population sets\n"
     "the validation population (1000-1000000, default 40000)"},
    {O_COMPARE, "compare", 0, NULL, CLI_ONCE, CLI_C_NONE, NULL,
     "the validation population's (--population, default 40000)\n"
     "prevalence under every definition by age band and sex, beside each\n"
     "published figure and its source"},
    {O_SVG, "svg", 0, "FILE.svg", CLI_ONCE, CLI_C_FILE, NULL, "--compare: also draw the spread as an SVG"},
    CLI_OPT_END};
/* The modes each option applies to, by id. */
static const unsigned sim_modes[O_COUNT] = {
    [O_PRESET] = M_ONE | M_POP, [O_SCENARIO] = M_ONE | M_POP, [O_OUT] = M_ONE,         [O_PLOT] = M_ONE,
    [O_SEED] = M_ONE | M_POP | M_VAL | M_CMP, [O_POPULATION] = M_POP | M_VAL | M_CMP, [O_AGES] = M_POP,
    [O_THREADS] = M_POP | M_VAL | M_CMP, [O_VALIDATE] = M_VAL, [O_COMPARE] = M_CMP, [O_SVG] = M_CMP,
    [O_ROWS] = M_POP,           [O_SUMMARY] = M_POP,          [O_POOL] = M_POOL,       [O_STEPS] = M_POOL,
    [O_EXCITATION] = M_POOL,    [O_DT] = M_POOL,              [O_NO_FATIGUE] = M_POOL, [O_DETAIL] = M_POP,
    [O_PROGRESS] = M_ONE | M_POP | M_POOL | M_VAL | M_CMP, [O_QUIET] = M_ONE | M_POP | M_POOL | M_VAL | M_CMP};

const cli_command cli_cmd_simulate = {
    "simulate",
    "(--preset NAME | --scenario FILE.json) [--seed S]\n"
    "    [--out FILE.csv] [--plot DIR]\n"
    "--population N [--ages LIST] [--seed S] [--threads T]\n"
    "    [--preset NAME | --scenario FILE.json] [--rows FILE.csv]\n"
    "    [--summary FILE.json] [--detail FILE.jsonl]\n"
    "--validate [--population N] [--seed S] [--threads T]\n"
    "--compare [--population N] [--svg FILE.svg] [--seed S] [--threads T]\n"
    "--list\n"
    "--pool N [--steps K] [--excitation E] [--dt S]\n"
    "    [--no-fatigue]",
    "the motor-unit model: one person, a population, a pool",
    "One person through a scenario: one CSV row per reported time point (stdout\n"
    "unless --out).  _rel columns are relative to age 25, or to the start of an\n"
    "intervention preset.  The same seed gives the same numbers.  --population\n"
    "runs many people (the calibrated population unless --preset or --scenario:\n"
    "docs/SIMULATOR.md); --pool steps\n"
    "the bare motor-unit pool (the pymuscle comparison).  --validate runs every\n"
    "published target the simulator is held to; --compare sets one population's\n"
    "prevalence under every definition beside the published figures.  Counts\n"
    "are in plain digits; an option given twice, or one the mode does not use,\n"
    "is an error.\n",
    sim_opts,
    "A model for research and teaching (docs/SIMULATOR.md), not a prediction\n"
    "for a patient.\n",
    CLI_C_NONE};

/* The option's name for a message, by id. */
static const char *sim_name(int id)
{
    size_t i;
    for (i = 0; sim_opts[i].name; i++)
        if (sim_opts[i].id == id)
            return sim_opts[i].name;
    return "?";
}

int cmd_simulate(int argc, char **argv)
{
    const char *val[O_COUNT] = {NULL}, *preset, *scenario, *out, *plot, *rows, *summary, *detail, *v;
    const char *mode_name;
    double ages[MAX_AGES];
    size_t nages = 0;
    unsigned long long seed = 1, population = 0, threads = 1, pool = 0, steps = 100;
    double exc = 40, dt = 0.02;
    int k, given[O_COUNT] = {0}, fatigue, progress, rc = EXIT_OK;
    unsigned mode;
    sarx_scenario *sc = NULL;
    sarx_sim_result *res = NULL;
    sarx_error err;
    cli_parse p;
    cli_parse_begin(&p, &cli_cmd_simulate, argc, argv);
    while ((k = cli_parse_next(&p, &v)) != CLI_END) {
        if (k == CLI_HELP)
            return EXIT_OK;
        if (k == CLI_BAD)
            return EXIT_USAGE;
        if (k == CLI_OPERAND)
            return cli_usage_error(&cli_cmd_simulate, "unexpected argument \"%s\"", v);
        if (k == O_LIST) {
            size_t j;
            for (j = 0; j < sarx_scenario_preset_count(); j++)
                printf("%-26s %s\n", sarx_scenario_preset_name(j), sarx_scenario_preset_description(j));
            return EXIT_OK;
        }
        given[k] = 1;
        val[k] = v;
    }
    /* Which mode, and no option that the mode would ignore. */
    if (given[O_POOL] && given[O_POPULATION]) {
        fprintf(stderr, "sarx simulate: give --pool or --population, not both\n");
        return EXIT_USAGE;
    }
    if (given[O_VALIDATE] && (given[O_COMPARE] || given[O_POOL])) {
        fprintf(stderr,
                "sarx simulate: give --validate alone (with --population, --seed, --threads, --progress or --quiet)\n");
        return EXIT_USAGE;
    }
    mode = given[O_VALIDATE] ? M_VAL
         : given[O_COMPARE]  ? M_CMP
         : given[O_POOL]     ? M_POOL
         : given[O_POPULATION] ? M_POP
                               : M_ONE;
    mode_name = mode == M_POOL ? "--pool"
              : mode == M_POP  ? "--population"
              : mode == M_VAL  ? "--validate"
              : mode == M_CMP  ? "--compare"
                               : "one person";
    for (k = 0; k < O_COUNT; k++)
        if (given[k] && !(sim_modes[k] & mode)) {
            unsigned m = sim_modes[k];
            fprintf(stderr, "sarx simulate: --%s applies to %s, not to %s (sarx simulate --help)\n", sim_name(k),
                    m == M_POOL  ? "--pool only"
                    : m == M_POP ? "--population only (without --compare)"
                    : m == M_CMP ? "--compare only"
                    : m == M_ONE ? "one person only (--preset or --scenario, without --population)"
                    : m == (M_ONE | M_POP) ? "a scenario (one person or --population)"
                    : m == (M_ONE | M_POP | M_POOL) ? "every mode but --validate and --compare"
                                 : "--validate, --compare or --population",
                    mode_name);
            return EXIT_USAGE;
        }
    preset = val[O_PRESET];
    scenario = val[O_SCENARIO];
    out = val[O_OUT];
    plot = val[O_PLOT];
    rows = val[O_ROWS];
    summary = val[O_SUMMARY];
    detail = val[O_DETAIL];
    progress = CLI_PROGRESS_AUTO;
    if ((given[O_PROGRESS] && cli_progress_choose("sarx simulate", CLI_PROGRESS_ON, &progress) < 0) ||
        (given[O_QUIET] && cli_progress_choose("sarx simulate", CLI_PROGRESS_OFF, &progress) < 0))
        return EXIT_USAGE;
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
    if (mode == M_POP && (rows || detail) &&
        rows_fit(population, nages, threads < population ? threads : population, rows != NULL, detail != NULL) != 0)
        return EXIT_USAGE;
    if (mode == M_POOL)
        return stdout_checked(run_pool(pool, steps, exc, dt, fatigue, progress));
    if (mode == M_VAL || mode == M_CMP) {
        if (!given[O_POPULATION])
            population = VALIDATE_PEOPLE;
        if (population < 1000 || population > (unsigned long long)SARX_SIM_VALIDATE_MAX) {
            fprintf(stderr,
                    "sarx simulate: --population \"%s\": with --%s, expected a whole number of people from 1000 to "
                    "%ld (a validation population: about 2.5 KB of memory a person)\n",
                    val[O_POPULATION], mode == M_VAL ? "validate" : "compare", SARX_SIM_VALIDATE_MAX);
            return EXIT_USAGE;
        }
        return stdout_checked(
            sim_validate_run(seed, (long)population, (int)threads, mode == M_CMP, val[O_SVG], progress));
    }
    if (mode != M_POP && !!preset == !!scenario)
        return cli_usage_error(&cli_cmd_simulate, "give --preset NAME or --scenario FILE.json (one of them)");
    if (preset && scenario)
        return cli_usage_error(&cli_cmd_simulate, "give --preset NAME or --scenario FILE.json, not both");
    if (!preset && !scenario) { /* a population of the default scenario: the one the measurements are calibrated on */
        static const char json[] = "{\"name\": \"population\"}";
        if (sarx_scenario_from_json(json, sizeof json - 1, &sc, &err) != SARX_OK) {
            cli_error("population", &err);
            return EXIT_INPUT;
        }
    } else if (preset) {
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
        rc = run_population(sc, (long)population, ages, nages, seed, (int)threads, rows, summary, detail, progress);
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
