/*
** simulate_pop.c — `sarx simulate --population`: virtual people, measured
** at each age by the library (sarx_sim_person_measures) and diagnosed by
** the engine (sarx_cohort) in worker threads; the summary, the --rows CSV
** and the --detail JSON lines, each estimated before the work.
*/
#define _POSIX_C_SOURCE 200809L /* sysconf */

#include "cli.h"
#include "progress.h"
#include "simulate.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int run_population(const sarx_scenario *sc, long people, const double *ages, size_t nages,
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
int rows_fit(unsigned long long people, size_t nages, unsigned long long threads, int rows, int detail)
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

