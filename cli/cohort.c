/*
** cohort.c — `sarx cohort`: every definition on every row of a CSV file.
**
**   sarx cohort FILE [options]   (the options: cli_cmd_cohort below)
**
** Rows are read with the streaming reader (memory does not grow with the
** file).  A bad row is reported with its row and line number and skipped;
** every good row is classified; the exit status is 1 when any row was
** rejected.  Without --delimiter the header decides between ',', ';' and
** tab.  With --threads N > 1 the file is cut at record boundaries into
** blocks that N workers classify; output keeps the input order.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "opts.h"
#include "png.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cohort_run.h"
#include "progress.h"
#include "statfile.h"

enum {
    C_OUTPUT, C_SUMMARY, C_PLOT, C_ERRORS, C_THREADS, C_STRICT, C_DELIMITER, C_DECIMAL_COMMA, C_NA, C_MAP, C_RENAME,
    C_DEFINITIONS, C_WIDE, C_PROGRESS, C_QUIET
};
static const cli_opt cohort_opts_table[] = {
    {C_OUTPUT, "output", 'o', "FILE", 0, CLI_C_FILE, NULL,
     "per-row categories: row, line, id, then <definition> and\n<definition>_complete for each definition"},
    {C_SUMMARY, "summary", 0, "FILE", 0, CLI_C_FILE, NULL,
     "counts and prevalence with 95% Wilson CI by sex and age band,\nand pairwise Cohen's kappa, as JSON"},
    {C_PLOT, "plot", 0, "DIR", 0, CLI_C_DIR, NULL, "prevalence and agreement plots, .svg and .png (180 mm, 300 dpi)"},
    {C_ERRORS, "errors", 0, "FILE", 0, CLI_C_FILE, NULL,
     "rejected rows as CSV (row, line, field, value, message);\ndefault: one line each on stderr"},
    {C_THREADS, "threads", 0, "N", 0, CLI_C_NONE, NULL, "worker threads, 1 to 64 (default 1)"},
    {C_STRICT, "strict", 0, NULL, 0, CLI_C_NONE, NULL, "unknown columns are an error"},
    {C_DELIMITER, "delimiter", 0, "C", 0, CLI_C_WORDS, ", ; tab",
     "',', ';' or tab (\"tab\", \"\\t\"); default: found from the header"},
    {C_DECIMAL_COMMA, "decimal-comma", 0, NULL, 0, CLI_C_NONE, NULL,
     "numbers use a decimal comma (\"72,5\"); needs ';' or tab columns"},
    {C_NA, "na", 0, "LIST", 0, CLI_C_NONE, NULL,
     "missing-value codes, comma-separated, any case (default:\n"
     "NA,NaN,.,NULL,N/A; the empty cell always); a number (-99)\n"
     "only when named; --na '' = only empty cells"},
    {C_MAP, "map", 0, "FILE", 0, CLI_C_FILE, NULL,
     "column -> field and value maps: CSV rows column,field and\ncolumn,from,to, or a JSON object (docs/FILES.md)"},
    {C_RENAME, "rename", 0, "OLD=NEW", 0, CLI_C_NONE, NULL, "column OLD feeds field NEW (repeatable)"},
    {C_DEFINITIONS, "definitions", 0, "LIST", 0, CLI_C_DEFINITIONS, NULL,
     "only these definitions: ids or kinds (sarcopenia, cachexia, ...)"},
    {C_WIDE, "wide", 0, NULL, 0, CLI_C_NONE, NULL, "the summary table with every column in full"},
    {C_PROGRESS, "progress", 0, NULL, 0, CLI_C_NONE, NULL,
     "rows done, rate and time left on stderr even when it is not\na terminal (shown on a terminal by default)"},
    {C_QUIET, "quiet", 0, NULL, 0, CLI_C_NONE, NULL, "no progress line"},
    CLI_OPT_END};

const cli_command cli_cmd_cohort = {
    "cohort", "FILE [options]", "every definition over every row; prevalence, agreement",
    "Classifies every row under every definition.  FILE is a CSV or TSV file (- for\n"
    "stdin), or a Stata (.dta), SPSS (.sav, .zsav, .por) or SAS (.sas7bdat, .xpt)\n"
    "file.  The header uses the field names of `sarx fields` (any case); other\n"
    "columns are ignored and named once.  Research files: docs/FILES.md.\n",
    cohort_opts_table,
    "A summary table is printed on stdout.  Exit status: 0, 1 if any row was\n"
    "rejected or the file could not be read, 2 usage error, a header in which\n"
    "no column is a field sarx knows, or one that --map/--rename do not fit.\n",
    CLI_C_FILE};

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    int bad;
    if (!f) {
        fprintf(stderr, "sarx: %s: %s\n", path, strerror(errno));
        return 1;
    }
    bad = fputs(text, f) == EOF;
    bad |= fclose(f) != 0; /* once, whatever happened */
    if (bad)
        fprintf(stderr, "sarx: %s: %s\n", path, strerror(errno));
    return bad;
}

/* A map file's text, whole (a map is small): NULL when it cannot be read (said). */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL, *q;
    size_t cap = 0, n = 0;
    if (!f) {
        fprintf(stderr, "sarx cohort: --map %s: %s\n", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            if (cap >= ((size_t)64 << 20) || !(q = realloc(p, cap ? 2 * cap : 4096))) {
                fprintf(stderr, "sarx cohort: --map %s: %s\n", path,
                        cap >= ((size_t)64 << 20) ? "larger than 64 MiB: not a map" : "out of memory");
                free(p);
                fclose(f);
                return NULL;
            }
            p = q;
            cap = cap ? 2 * cap : 4096;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "sarx cohort: --map %s: read error\n", path);
        free(p);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return p;
}

/* The reading options (--na, --map, --rename), in the order given: 0, or
** 2 with the error said (the option, the value, the library's message). */
static int reading_option(sarx_readopts **ro, const char *opt, const char *val)
{
    sarx_error e;
    int rc = SARX_OK;
    if (!*ro && sarx_readopts_new(ro, &e) != SARX_OK) {
        fprintf(stderr, "sarx: out of memory\n");
        return 1;
    }
    if (strcmp(opt, "--na") == 0)
        rc = sarx_readopts_set_na(*ro, val, &e);
    else if (strcmp(opt, "--map") == 0) {
        size_t len = 0;
        char *text = read_all(val, &len);
        if (!text)
            return 2;
        rc = sarx_readopts_load(*ro, text, len, &e);
        free(text);
    } else { /* --rename OLD=NEW: at the last '=' (a field name has none) */
        const char *eq = strrchr(val, '=');
        char *old;
        if (!eq || eq == val || !eq[1]) {
            fprintf(stderr, "sarx cohort: --rename \"%s\": expected OLD=NEW, a column of the header and a field of "
                            "`sarx fields` (--rename \"Weight (kg)=weight_kg\")\n", val);
            return 2;
        }
        if (!(old = malloc((size_t)(eq - val) + 1))) {
            fprintf(stderr, "sarx: out of memory\n");
            return 1;
        }
        memcpy(old, val, (size_t)(eq - val));
        old[eq - val] = '\0';
        rc = sarx_readopts_rename(*ro, old, eq + 1, &e);
        free(old);
    }
    if (rc == SARX_OK)
        return 0;
    if (rc == SARX_ENOMEM) {
        fprintf(stderr, "sarx: out of memory\n");
        return 1;
    }
    fprintf(stderr, "sarx cohort: %s %s: %s\n", opt, val, e.message);
    return 2;
}

int cmd_cohort(int argc, char **argv)
{
    cohort_opts o;
    sarx_readopts *ro = NULL;
    int k, rc, wide = 0, delim_given = 0;
    const char *v;
    cli_parse p;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    o.delim = 0; /* found from the header */
    cli_parse_begin(&p, &cli_cmd_cohort, argc, argv);
    while ((k = cli_parse_next(&p, &v)) != CLI_END) {
        switch (k) {
        case CLI_HELP: rc = EXIT_OK; goto out;
        case CLI_BAD: rc = EXIT_USAGE; goto out;
        case CLI_OPERAND:
            if (o.path) {
                rc = cli_usage_error(&cli_cmd_cohort, "one input file at a time (\"%s\", then \"%s\")", o.path, v);
                goto out;
            }
            o.path = v;
            break;
        case C_OUTPUT: o.rows_path = v; break;
        case C_SUMMARY: o.summary_path = v; break;
        case C_PLOT: o.plot_dir = v; break;
        case C_ERRORS: o.errors_path = v; break;
        case C_THREADS: {
            char *end;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 64) {
                fprintf(stderr, "sarx cohort: --threads \"%s\": takes 1 to 64\n", v);
                rc = EXIT_USAGE;
                goto out;
            }
            o.threads = (int)n;
            break;
        }
        case C_STRICT: o.flags |= SARX_COHORT_STRICT; break;
        case C_DECIMAL_COMMA: o.flags |= SARX_COHORT_DECIMAL_COMMA; break;
        case C_DELIMITER:
            delim_given = 1;
            if (strcmp(v, ",") == 0 || strcmp(v, ";") == 0 || strcmp(v, "\t") == 0)
                o.delim = v[0];
            else if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0)
                o.delim = '\t';
            else {
                fprintf(stderr, "sarx cohort: --delimiter \"%s\": allowed ',', ';' or tab (\"tab\", \"\\t\")\n", v);
                rc = EXIT_USAGE;
                goto out;
            }
            break;
        case C_NA:
        case C_MAP:
        case C_RENAME:
            if ((rc = reading_option(&ro, k == C_NA ? "--na" : k == C_MAP ? "--map" : "--rename", v)) != 0)
                goto out;
            break;
        case C_DEFINITIONS: o.definitions = v; break;
        case C_WIDE: wide = 1; break;
        case C_PROGRESS:
        case C_QUIET:
            if (cli_progress_choose("sarx cohort", k == C_PROGRESS ? CLI_PROGRESS_ON : CLI_PROGRESS_OFF, &o.progress) < 0) {
                rc = EXIT_USAGE;
                goto out;
            }
            break;
        }
    }
    if (!o.path) {
        rc = cli_usage_error(&cli_cmd_cohort, "no input file (FILE, or - for the standard input)");
        goto out;
    }
    if (strcmp(o.path, "-") != 0 && statfile_kind(o.path) != STATFILE_NONE &&
        statfile_kind(o.path) != STATFILE_EXCEL && ((o.flags & SARX_COHORT_DECIMAL_COMMA) || delim_given)) {
        /* its rows come as ','-separated text with '.' decimals, whatever the file's locale */
        fprintf(stderr, "sarx cohort: %s: --delimiter and --decimal-comma apply to CSV and TSV files only\n", o.path);
        rc = EXIT_USAGE;
        goto out;
    }
    if ((o.flags & SARX_COHORT_DECIMAL_COMMA) && o.delim == ',') {
        fprintf(stderr, "sarx cohort: --decimal-comma needs ';' or tab between the columns (--delimiter ';')\n");
        rc = EXIT_USAGE;
        goto out;
    }
    o.ropts = ro;
    rc = cohort_run(&o);
    if (rc == 0 || rc == 1) {
        char *text = o.cohort ? sarx_cohort_summary_text_ex(o.cohort, wide ? SARX_SUMMARY_WIDE : 0) : NULL;
        if (text)
            fputs(text, stdout);
        sarx_free(text);
        /* Every row read is classified or rejected: when some were
        ** rejected, the three numbers (on clean input the summary's first
        ** line says it all, and stays as it was). */
        if (o.cohort && sarx_cohort_rejected(o.cohort) > 0)
            printf("%ld rows read: %ld classified, %ld rejected\n",
                   sarx_cohort_rows(o.cohort) + sarx_cohort_rejected(o.cohort), sarx_cohort_rows(o.cohort),
                   sarx_cohort_rejected(o.cohort));
        if (o.cohort && o.summary_path) {
            char *js = sarx_cohort_summary_json(o.cohort);
            if (!js || write_file(o.summary_path, js))
                rc = 1;
            sarx_free(js);
        }
        if (o.cohort && o.plot_dir) {
            char path[4096];
            char *svg;
            if (mkdir(o.plot_dir, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "sarx: %s: %s\n", o.plot_dir, strerror(errno));
                rc = 1;
            } else {
                char msg[512];
                snprintf(path, sizeof path, "%s/prevalence.svg", o.plot_dir);
                svg = sarx_cohort_svg_prevalence(o.cohort);
                if (!svg || write_file(path, svg))
                    rc = 1;
                else if (png_beside(path, svg, msg, sizeof msg) != 0) {
                    fprintf(stderr, "sarx: %s\n", msg);
                    rc = 1;
                }
                sarx_free(svg);
                snprintf(path, sizeof path, "%s/agreement.svg", o.plot_dir);
                svg = sarx_cohort_svg_agreement(o.cohort);
                if (!svg || write_file(path, svg))
                    rc = 1;
                else if (png_beside(path, svg, msg, sizeof msg) != 0) {
                    fprintf(stderr, "sarx: %s\n", msg);
                    rc = 1;
                }
                sarx_free(svg);
            }
        }
    }
    cohort_done(&o);
out:
    sarx_readopts_free(ro);
    return rc;
}
