/*
** assess.c — `sarx assess`: one subject (a JSON object) to a report, or
** JSON Lines in to JSON Lines out.  A bad record is reported with its
** record and line number and skipped; the others are still assessed, and
** the exit status is 1.
*/
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { FMT_AUTO, FMT_TEXT, FMT_JSON };

typedef struct opts {
    int format;
    unsigned text_flags, json_flags;
    const char *path;
} opts;

static const char assess_usage[] =
    "usage: sarx assess [--format auto|text|json] [--explain] [--pretty] [FILE|-]\n"
    "  FILE holds one subject as a JSON object, or many as JSON Lines (one object\n"
    "  per line).  Default format: text for one subject, JSON Lines for many.\n"
    "  --explain  show every criterion row with its id, status and citation\n"
    "  --pretty   indent JSON output\n";

static int blank(const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return 0;
    return 1;
}

/* Assess one subject and print it.  Returns 0, or 1 after reporting an error. */
static int emit(const sarx_ctx *ctx, sarx_subject *s, const opts *o, int jsonl, long record, long line,
                const char *where, int *first)
{
    sarx_assessment *a;
    sarx_error err;
    char *out;
    int as_json = o->format == FMT_JSON || (o->format == FMT_AUTO && jsonl);
    if (sarx_assess(ctx, s, &a, &err) != SARX_OK) {
        err.record = record;
        err.line = line;
        cli_error(where, &err);
        return 1;
    }
    out = as_json ? sarx_assessment_json(a, jsonl ? 0 : o->json_flags) : sarx_assessment_text(a, o->text_flags);
    sarx_assessment_free(a);
    if (!out) {
        fputs("sarx: out of memory\n", stderr);
        return 1;
    }
    if (!as_json && jsonl && !*first)
        fputs("\n----------------------------------------------------------------------\n\n", stdout);
    *first = 0;
    fputs(out, stdout);
    if (as_json)
        fputs("\n", stdout);
    sarx_free(out);
    return 0;
}

static int run_lines(const sarx_ctx *ctx, sarx_subject *s, const opts *o, const char *buf, size_t len)
{
    size_t pos = 0;
    long line = 0, record = 0;
    int bad = 0, first = 1;
    int as_json = o->format != FMT_TEXT;
    while (pos < len) {
        const char *start = buf + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        sarx_error err;
        pos += n + (nl != NULL);
        line++;
        if (blank(start, n))
            continue;
        record++;
        if (sarx_subject_from_json(s, start, n, &err) != SARX_OK) {
            char where[512];
            err.record = record;
            snprintf(where, sizeof where, "%s: record %ld (line %ld)", o->path, record, line);
            err.line = line; /* the line in the file; jansson's column stays */
            fprintf(stderr, "sarx: %s: %s\n", where, err.message);
            if (as_json) {
                char *e = sarx_error_json(&err);
                if (e)
                    puts(e);
                sarx_free(e);
            }
            bad = 1;
            continue;
        }
        bad |= emit(ctx, s, o, 1, record, line, o->path, &first);
    }
    return bad;
}

int cmd_assess(int argc, char **argv)
{
    opts o = {FMT_AUTO, 0, 0, NULL};
    sarx_ctx *ctx = NULL;
    sarx_subject *s = NULL;
    sarx_error err;
    char *buf;
    size_t len;
    int i, rc, first = 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "auto") == 0)
                o.format = FMT_AUTO;
            else if (strcmp(f, "text") == 0)
                o.format = FMT_TEXT;
            else if (strcmp(f, "json") == 0)
                o.format = FMT_JSON;
            else {
                fprintf(stderr, "sarx assess: unknown format \"%s\" (allowed auto, text, json)\n", f);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--explain") == 0) {
            o.text_flags |= SARX_RENDER_EXPLAIN;
        } else if (strcmp(a, "--pretty") == 0) {
            o.json_flags |= SARX_RENDER_PRETTY;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(assess_usage, stdout);
            return EXIT_OK;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sarx assess: unknown option \"%s\"\n%s", a, assess_usage);
            return EXIT_USAGE;
        } else if (o.path) {
            fprintf(stderr, "sarx assess: one input file at a time\n%s", assess_usage);
            return EXIT_USAGE;
        } else {
            o.path = a;
        }
    }
    if (!o.path)
        o.path = "-";
    if (!(buf = cli_read_all(o.path, &len)))
        return EXIT_INPUT;
    if (sarx_ctx_new(&ctx, &err) != SARX_OK || sarx_subject_new(&s) != SARX_OK) {
        fputs("sarx: cannot initialise the library (out of memory?)\n", stderr);
        free(buf);
        sarx_ctx_free(ctx);
        return EXIT_INPUT;
    }
    rc = sarx_subject_from_json(s, buf, len, &err);
    if (rc == SARX_ESYNTAX) {
        /* Not one JSON value.  JSON Lines when the first non-blank line is a
        ** whole value by itself and more follows; otherwise report the
        ** document's own error (a pretty-printed object with a typo). */
        size_t pos = 0, lines = 0;
        int first_whole = 0;
        sarx_error e2;
        while (pos < len && lines < 2) {
            const char *start = buf + pos;
            const char *nl = memchr(start, '\n', len - pos);
            size_t n = nl ? (size_t)(nl - start) : len - pos;
            pos += n + (nl != NULL);
            if (blank(start, n))
                continue;
            if (lines++ == 0)
                first_whole = sarx_subject_from_json(s, start, n, &e2) != SARX_ESYNTAX;
        }
        if (lines >= 2 && first_whole) {
            rc = run_lines(ctx, s, &o, buf, len);
            goto done;
        }
    }
    if (rc != SARX_OK) {
        cli_error(o.path, &err);
        if (o.format == FMT_JSON) {
            char *e = sarx_error_json(&err);
            if (e)
                puts(e);
            sarx_free(e);
        }
        rc = 1;
    } else {
        rc = emit(ctx, s, &o, 0, 0, 0, o.path, &first);
    }
done:
    sarx_subject_free(s);
    sarx_ctx_free(ctx);
    free(buf);
    return rc ? EXIT_INPUT : EXIT_OK;
}
