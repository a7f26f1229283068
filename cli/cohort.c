/*
** cohort.c — `sarx cohort`: every definition on every row of a CSV file.
**
**   sarx cohort FILE.csv [-o rows.csv] [--summary summary.json] [--plot DIR]
**               [--errors errors.csv] [--threads N] [--strict]
**               [--delimiter ','|';'|tab] [--decimal-comma]
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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cohort_run.h"

static const char cohort_usage[] =
    "usage: sarx cohort FILE.csv [-o rows.csv] [--summary summary.json] [--plot DIR]\n"
    "                   [--errors errors.csv] [--threads N] [--strict] [--delimiter C] [--decimal-comma]\n"
    "  Classifies every row under every definition.  The header uses the field names\n"
    "  of `sarx fields` (any case); other columns are ignored and named once.\n"
    "  -o FILE          per-row categories: row, line, id, then <definition> and\n"
    "                   <definition>_complete for each definition\n"
    "  --summary FILE   counts and prevalence with 95% Wilson CI by sex and age band,\n"
    "                   and pairwise Cohen's kappa, as JSON\n"
    "  --plot DIR       prevalence.svg and agreement.svg\n"
    "  --errors FILE    rejected rows as CSV (row, line, field, value, message);\n"
    "                   default: one line each on stderr\n"
    "  --threads N      worker threads (default 1)\n"
    "  --strict         unknown columns are an error\n"
    "  --delimiter C    ',', ';' or tab (\"tab\"); default: found from the header\n"
    "  --decimal-comma  numbers use a decimal comma (\"72,5\"); needs ';' or tab columns\n"
    "A summary table is printed on stdout.  Exit status: 0, 1 if any row was\n"
    "rejected or the file could not be read, 2 usage error or a header in which\n"
    "no column is a field sarx knows.\n";

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

int cmd_cohort(int argc, char **argv)
{
    cohort_opts o;
    int i, rc;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    o.delim = 0; /* found from the header */
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "-o") == 0 && more)
            o.rows_path = argv[++i];
        else if (strcmp(a, "--summary") == 0 && more)
            o.summary_path = argv[++i];
        else if (strcmp(a, "--plot") == 0 && more)
            o.plot_dir = argv[++i];
        else if (strcmp(a, "--errors") == 0 && more)
            o.errors_path = argv[++i];
        else if (strcmp(a, "--threads") == 0 && more) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 64) {
                fprintf(stderr, "sarx cohort: --threads takes 1 to 64\n");
                return EXIT_USAGE;
            }
            o.threads = (int)n;
        } else if (strcmp(a, "--strict") == 0)
            o.flags |= SARX_COHORT_STRICT;
        else if (strcmp(a, "--decimal-comma") == 0)
            o.flags |= SARX_COHORT_DECIMAL_COMMA;
        else if (strcmp(a, "--delimiter") == 0 && more) {
            const char *d = argv[++i];
            if (strcmp(d, ",") == 0 || strcmp(d, ";") == 0 || strcmp(d, "\t") == 0)
                o.delim = d[0];
            else if (strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0)
                o.delim = '\t';
            else {
                fprintf(stderr, "sarx cohort: --delimiter \"%s\": allowed ',', ';' or tab (\"tab\")\n", d);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(cohort_usage, stdout);
            return EXIT_OK;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sarx cohort: unknown option \"%s\"\n%s", a, cohort_usage);
            return EXIT_USAGE;
        } else if (o.path) {
            fprintf(stderr, "sarx cohort: one input file at a time\n%s", cohort_usage);
            return EXIT_USAGE;
        } else
            o.path = a;
    }
    if (!o.path) {
        fputs(cohort_usage, stderr);
        return EXIT_USAGE;
    }
    if ((o.flags & SARX_COHORT_DECIMAL_COMMA) && o.delim == ',') {
        fprintf(stderr, "sarx cohort: --decimal-comma needs ';' or tab between the columns (--delimiter ';')\n");
        return EXIT_USAGE;
    }
    rc = cohort_run(&o);
    if (rc == 0 || rc == 1) {
        char *text = o.cohort ? sarx_cohort_summary_text(o.cohort) : NULL;
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
                snprintf(path, sizeof path, "%s/prevalence.svg", o.plot_dir);
                svg = sarx_cohort_svg_prevalence(o.cohort);
                if (!svg || write_file(path, svg))
                    rc = 1;
                sarx_free(svg);
                snprintf(path, sizeof path, "%s/agreement.svg", o.plot_dir);
                svg = sarx_cohort_svg_agreement(o.cohort);
                if (!svg || write_file(path, svg))
                    rc = 1;
                sarx_free(svg);
            }
        }
    }
    cohort_done(&o);
    return rc;
}
