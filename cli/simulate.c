/*
** simulate.c — `sarx simulate`: one person through a scenario (CSV time
** series, SVG plots), a virtual population diagnosed by the engine, or the
** bare motor-unit pool step (for the pymuscle comparison).
*/
#define _POSIX_C_SOURCE 200809L /* sysconf */

#include "cli.h"
#include "opts.h"
#include "png.h"
#include "progress.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <sys/stat.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
/* A row's bytes besides "p" and the id's digits: sex, age, eight measures
** to 6 significant digits, "dxa", commas and the line end.  Measured 71.4
** on average at 65,75,85 (20,000 people) and 71.5 at 25,40.5,65,80,90,
** 99.75,110. */
#define ROW_BYTES 72.0
/* A --detail line's bytes besides the id's digits: the keys, sex and
** brackets, then an age's measurements and one category name for each of
** the 17 definitions.  Measured 719 at one age, 1,304 at 65,75,85 (20,000
** people) and 2,482 at 25,40.5,65,80,90,99.75,110 (1,000 people); more
** definitions make it grow. */
#define DETAIL_BYTES 425.0
#define DETAIL_AGE_BYTES 295.0
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

/* ---- populations ------------------------------------------------------ */
/* id, the library's measures (sarx_sim_measure_name, checked at the start
** of a run), and the DXA method of asm_kg */
static const char *const pop_header[] = {"id", "sex", "age_years", "height_cm", "weight_kg", "grip_kg",
                                         "gait_speed_m_s", "asm_kg", "smm_kg", "chair_stand_5x_s",
                                         "sppb_score", "asm_method"};
enum { POP_COLS = sizeof pop_header / sizeof pop_header[0] };

typedef struct worker {
    pthread_t th;
    const sarx_scenario *sc;
    const sarx_ctx *ctx;
    unsigned long long seed;
    long first, count;
    const double *ages;
    size_t nages;
    sarx_cohort *all, *old; /* every row; rows aged 80 or more */
    char *rows;             /* CSV rows when asked for */
    size_t nrows, caprows;
    char *detail; /* --detail's JSON lines when asked for */
    size_t ndetail, capdetail;
    int want_rows, want_detail, rc;
    cli_progress *progress; /* people done */
    sarx_error err;
} worker;

/* Room for need more bytes (and a NUL) in a growing buffer; 0 or -1. */
static int reserve(char **buf, size_t *cap, size_t used, size_t need)
{
    size_t c = *cap ? *cap : 1 << 16;
    char *nb;
    if (used + need + 1 <= *cap)
        return 0;
    while (c < used + need + 1)
        c *= 2;
    if (!(nb = realloc(*buf, c)))
        return -1;
    *buf = nb;
    *cap = c;
    return 0;
}

static int add_row(worker *w, char *const *cells, const size_t *lens)
{
    size_t k, need = 0;
    for (k = 0; k < POP_COLS; k++)
        need += lens[k] + 1;
    if (reserve(&w->rows, &w->caprows, w->nrows, need) != 0)
        return -1;
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

/* 1 when the row went into the batch (0: the cohort rejected and counted it). */
static int feed(sarx_cohort *c, char *const *cells, const size_t *lens)
{
    int rc = sarx_cohort_parse(c, cells, lens, POP_COLS, NULL);
    if (rc == SARX_ERANGE) { /* batch full */
        flush(c);
        rc = sarx_cohort_parse(c, cells, lens, POP_COLS, NULL);
    }
    return rc == SARX_OK;
}

/* A worker out of memory, with the message cli_error prints. */
static void no_memory(worker *w)
{
    w->rc = SARX_ENOMEM;
    snprintf(w->err.message, sizeof w->err.message,
             "out of memory (%zu bytes of --rows and %zu of --detail held by this thread)", w->nrows, w->ndetail);
}

/* Append printf text to the worker's --detail buffer; 0 or -1. */
static int detail_add(worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int detail_add(worker *w, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (reserve(&w->detail, &w->capdetail, w->ndetail, 256) != 0)
        return -1;
    va_start(ap, fmt);
    n = vsnprintf(w->detail + w->ndetail, w->capdetail - w->ndetail, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= w->capdetail - w->ndetail) { /* longer than 256: room for it, then again */
        if (n < 0 || reserve(&w->detail, &w->capdetail, w->ndetail, (size_t)n) != 0)
            return -1;
        va_start(ap, fmt);
        vsnprintf(w->detail + w->ndetail, w->capdetail - w->ndetail, fmt, ap);
        va_end(ap);
    }
    w->ndetail += (size_t)n;
    return 0;
}

/* Person i's --detail line: each measurement as an array over the ages,
** then each definition's category at each age (null when indeterminate or
** when the row was not read).  v holds the measurements (nages x nm), cls
** the classes of the rows that were read (used[k] says which), in order. */
static int detail_person(worker *w, long i, const double *v, size_t nm, const sarx_class *cls,
                         const unsigned char *used, const unsigned char *ok)
{
    size_t j, k, d, nd = sarx_definition_count(w->ctx);
    int bad = detail_add(w, "{\"id\":\"p%ld\",\"sex\":\"%s\"", i + 1, v[0] == 1 ? "male" : "female");
    for (j = 1; j < nm && !bad; j++) {
        bad |= detail_add(w, ",\"%s\":[", sarx_sim_measure_name(j));
        for (k = 0; k < w->nages && !bad; k++)
            bad |= detail_add(w, "%s%.6g", k ? "," : "", v[k * nm + j]);
        bad |= detail_add(w, "]");
    }
    bad |= detail_add(w, ",\"asm_method\":\"dxa\",\"categories\":{");
    for (d = 0; d < nd && !bad; d++) {
        const sarx_definition *def = sarx_definition_at(w->ctx, d);
        size_t r = 0; /* the row of the batch that holds age k */
        bad |= detail_add(w, "%s\"%s\":[", d ? "," : "", sarx_definition_id(def));
        for (k = 0; k < w->nages && !bad; k++) {
            const char *cat = NULL;
            if (used[k]) {
                if (ok[r] && cls[r * nd + d].category != SARX_INDETERMINATE)
                    cat = sarx_definition_category(def, cls[r * nd + d].category);
                r++;
            }
            bad |= cat ? detail_add(w, "%s\"%s\"", k ? "," : "", cat) : detail_add(w, "%snull", k ? "," : "");
        }
        bad |= detail_add(w, "]");
    }
    bad |= detail_add(w, "}}\n");
    return bad ? -1 : 0;
}

static void *pop_work(void *arg)
{
    worker *w = arg;
    size_t nm = sarx_sim_measure_count(), k, nd = sarx_definition_count(w->ctx);
    double *v = malloc(w->nages * nm * sizeof *v);
    sarx_class *cls = w->want_detail ? malloc(w->nages * nd * sizeof *cls) : NULL;
    unsigned char used[MAX_AGES], ok[MAX_AGES];
    long i;
    if (!v || (w->want_detail && !cls)) {
        free(v);
        free(cls);
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
            used[k] = (unsigned char)feed(w->all, cells, lens);
            if (m[1] >= 80)
                feed(w->old, cells, lens);
            if (w->want_rows && add_row(w, cells, lens) != 0) {
                no_memory(w);
                break;
            }
        }
        /* --detail classifies each person's rows on their own (at most
        ** MAX_AGES, a batch never fills): slower than whole batches, and only
        ** when asked for. */
        if (w->rc == SARX_OK && w->want_detail) {
            sarx_cohort_classify(w->all, cls, ok, NULL);
            if (detail_person(w, i, v, nm, cls, used, ok) != 0)
                no_memory(w);
        }
        cli_progress_add(w->progress, 1);
    }
    flush(w->all);
    flush(w->old);
    free(v);
    free(cls);
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

/* The prevalence over 80 years that Kwan's review quotes (Kwan P.
** Sarcopenia, a neurogenic syndrome? J Aging Res 2013;2013:791679, from
** its reference 3), beside the simulated population's under the
** definition each study used.  The studies: Baumgartner RN et al., Am J
** Epidemiol 1998;147:755-63 (New Mexico Elder Health Survey); Janssen I,
** Heymsfield SB, Ross R, J Am Geriatr Soc 2002;50:889-96 (NHANES III);
** Lauretani F et al., J Appl Physiol 2003;95:1851-60 (InCHIANTI, at 85 y).
** The figures are the review's, rounded as it gives them. */
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
    printf("\nOver 80 years: the published prevalence quoted by Kwan (Sarcopenia, a neurogenic syndrome?\n"
           "J Aging Res 2013;2013:791679) from the New Mexico Elder Health Survey (Baumgartner 1998),\n"
           "NHANES III (Janssen 2002) and InCHIANTI (Lauretani 2003), beside this population.\n"
           "The studies' measurement methods and samples differ from the model's. NMEHS used Baumgartner's\n"
           "definition and NHANES III Janssen's; InCHIANTI's figure (Lauretani 2003) is calf muscle area by\n"
           "pQCT more than 2 SD below the mean, which no engine definition reads.  These rows are the ages\n"
           "of this run; sarx simulate --population N --compare sets each study's own definition, age range,\n"
           "sex and measurements beside its published figure (docs/SIMULATOR.md).\n\n");
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
                          unsigned long long seed, int threads, const char *rows_path, const char *summary_path,
                          const char *detail_path, int progress)
{
    size_t i;
    size_t hl[POP_COLS];
    sarx_ctx *ctx = NULL;
    sarx_cohort *all = NULL, *old = NULL;
    worker *w;
    sarx_error err;
    int t, rc = EXIT_OK;
    char *text;
    FILE *frows = NULL, *fsum = NULL, *fdet = NULL;
    cli_progress *pr;
    for (i = 1; i + 1 < POP_COLS; i++)
        if (sarx_sim_measure_count() != POP_COLS - 2 || strcmp(sarx_sim_measure_name(i - 1), pop_header[i]) != 0) {
            fprintf(stderr, "sarx simulate: this program and the library disagree on the measurements\n");
            return EXIT_INPUT;
        }
    if (people < (long)threads)
        threads = (int)(people > 0 ? people : 1);
    /* The output files are opened before the work, which may take hours, so
    ** that a path that cannot be written is refused at once. */
    if ((rows_path && !(frows = open_out(rows_path))) || (summary_path && !(fsum = open_out(summary_path))) ||
        (detail_path && !(fdet = open_out(detail_path)))) {
        close_out(frows, rows_path, 0);
        close_out(fsum, summary_path, 0);
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
        close_out(fdet, detail_path, 0);
        return EXIT_INPUT;
    }
    pr = cli_progress_start("sarx simulate", "people", (unsigned long long)people, progress);
    w = calloc((size_t)threads, sizeof *w);
    if (!w)
        fprintf(stderr, "sarx simulate: out of memory\n");
    for (t = 0; w && t < threads; t++) {
        long per = people / threads, extra = people % threads;
        w[t].sc = sc;
        w[t].ctx = ctx;
        w[t].progress = pr;
        w[t].seed = seed;
        w[t].first = t * per + (t < extra ? t : extra);
        w[t].count = per + (t < extra);
        w[t].ages = ages;
        w[t].nages = nages;
        w[t].want_rows = rows_path != NULL;
        w[t].want_detail = detail_path != NULL;
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
    for (t = 0; w && t < threads; t++)
        if (w[t].rc != SARX_OK)
            rc = EXIT_INPUT;
    /* Before any message: the last progress line, or none on a failure. */
    cli_progress_end(pr, w && rc == EXIT_OK);
    rc = EXIT_OK;
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
    for (t = 0; rc == EXIT_OK && fdet && t < threads; t++)
        fwrite(w[t].detail, 1, w[t].ndetail, fdet);
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
    if (close_out(fdet, detail_path, rc == EXIT_OK) != 0)
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
        free(w[t].detail);
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

/* The digits of the ids 1 to people. */
static double id_digits(unsigned long long people)
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
    return digits;
}

/* The text --rows would hold for people at nages ages: per row "p", the
** id's digits and ROW_BYTES. */
static double rows_bytes(unsigned long long people, size_t nages)
{
    return ((double)people * (1 + ROW_BYTES) + id_digits(people)) * (double)nages;
}

/* The text --detail would hold: per person the id's digits, DETAIL_BYTES
** and DETAIL_AGE_BYTES an age. */
static double detail_bytes(unsigned long long people, size_t nages)
{
    return (double)people * (DETAIL_BYTES + DETAIL_AGE_BYTES * (double)nages) + id_digits(people);
}

/* Refuse a --rows or --detail that would hold more than they may: 0, or -1
** after a message with the estimate. */
static int rows_fit(unsigned long long people, size_t nages, unsigned long long threads, int rows, int detail)
{
    double need = (rows ? rows_bytes(people, nages) : 0) + (detail ? detail_bytes(people, nages) : 0);
    double limit = (double)MAX_ROWS_BYTES;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    const char *why = "";
    char b1[32], b2[32], b3[32];
    if (pages > 0 && page > 0 && (double)pages * (double)page / 2 < limit) {
        limit = (double)pages * (double)page / 2;
        why = ", half of this machine's memory";
    }
    if (need <= limit)
        return 0;
    if (detail) {
        fprintf(stderr,
                "sarx simulate: --detail%s: %llu people x %zu age%s, about %s held in memory until the end (and as "
                "much on disk), and roughly %s of work with %llu thread%s; --rows and --detail may hold at most "
                "%s%s together (about %.0f people): ask for fewer people or ages, or leave out --detail\n",
                rows ? " and --rows" : "", people, nages, nages == 1 ? "" : "s", human_bytes(need, b1, sizeof b1),
                human_time((double)people * PERSON_MS(nages) / 1000 / (double)threads, b2, sizeof b2), threads,
                threads == 1 ? "" : "s", human_bytes(limit, b3, sizeof b3), why,
                floor(limit / (need / (double)people)));
        return -1;
    }
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
enum { M_ONE = 1, M_POP = 2, M_POOL = 4, M_VAL = 8, M_CMP = 16 };
enum {
    O_PRESET, O_SCENARIO, O_OUT, O_PLOT, O_SEED, O_POPULATION, O_AGES, O_THREADS, O_ROWS, O_SUMMARY, O_POOL,
    O_STEPS, O_EXCITATION, O_DT, O_NO_FATIGUE, O_DETAIL, O_PROGRESS, O_QUIET, O_VALIDATE, O_COMPARE, O_SVG,
    O_COUNT, O_LIST = O_COUNT
};
/* A validation population's size when --population is not given. */
#define VALIDATE_PEOPLE 10000ULL
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
     "the validation population (default 10000, at least 1000)"},
    {O_COMPARE, "compare", 0, NULL, CLI_ONCE, CLI_C_NONE, NULL,
     "with --population N (at least 1000): the validation population's\n"
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
    [O_PROGRESS] = M_ONE | M_POP | M_POOL, [O_QUIET] = M_ONE | M_POP | M_POOL};

const cli_command cli_cmd_simulate = {
    "simulate",
    "(--preset NAME | --scenario FILE.json) [--seed S]\n"
    "    [--out FILE.csv] [--plot DIR]\n"
    "--population N [--ages LIST] [--seed S] [--threads T]\n"
    "    [--preset NAME | --scenario FILE.json] [--rows FILE.csv]\n"
    "    [--summary FILE.json] [--detail FILE.jsonl]\n"
    "--validate [--population N] [--seed S] [--threads T]\n"
    "--population N --compare [--svg FILE.svg] [--seed S] [--threads T]\n"
    "--list\n"
    "--pool N [--steps K] [--excitation E] [--dt S]\n"
    "    [--no-fatigue]",
    "the motor-unit model: one person, a population, a pool",
    "One person through a scenario: one CSV row per reported time point (stdout\n"
    "unless --out).  _rel columns are relative to age 25, or to the start of an\n"
    "intervention preset.  The same seed gives the same numbers.  --population\n"
    "runs many people (sedentary unless --preset or --scenario); --pool steps\n"
    "the bare motor-unit pool (the pymuscle comparison).  Counts are in plain\n"
    "digits; an option given twice, or one the mode does not use, is an error.\n",
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
        fprintf(stderr, "sarx simulate: give --validate alone (with --population, --seed, --threads)\n");
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
        if (population < 1000) {
            fprintf(stderr, "sarx simulate: --population %llu: a validation population has at least 1000 people\n",
                    population);
            return EXIT_USAGE;
        }
        return stdout_checked(
            sim_validate_run(seed, (long)population, (int)threads, mode == M_CMP, val[O_SVG]));
    }
    if (mode == M_POP && !preset && !scenario)
        preset = "sedentary";
    if (!!preset == !!scenario) {
        return cli_usage_error(&cli_cmd_simulate, "give --preset NAME or --scenario FILE.json (one of them)");
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
