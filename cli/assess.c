/*
** assess.c — `sarx assess`: one subject (a JSON object) to a report, or
** JSON Lines in to JSON Lines out.  A bad record is reported with its
** record and line number and skipped; the others are still assessed, and
** the exit status is 1.
**
** JSON Lines or one document is decided without trusting the first record
** alone: input whose first non-blank line is a whole JSON value, with more
** lines after it, is JSON Lines, read a line at a time (fit for pipes).
** Otherwise it is read whole: one document if it parses as one JSON value
** or has a single non-blank line; JSON Lines (the first record bad, and
** reported) if more than half of the non-blank lines after the first are
** whole JSON values each; else one malformed document, whose error names
** its own line.  The lines of a pretty-printed object are mostly not whole
** values ("sex": "male",) and those of JSON Lines are, so neither a bad
** first record nor an inner line that is whole ({"date": ...} in a
** history) decides it.
**
** --definitions LIST assesses only those definitions (sarx_ctx_select).
** The guidance is then left out: its rules read the results of
** definitions across the whole set (Fearon's refractory cachexia withholds
** training loads, GLIM and Evans name malnutrition and cachexia), and one
** left out would read as unknown, dropping an item rather than saying so.
**
** FHIR (docs/FHIR.md): --input fhir, or a document whose resourceType is
** "Bundle", is read whole with sarx_fhir_read (--as-of DATE sets the
** assessment date).  The date chosen and the notes are stated: as lines
** before a text report, on stderr beside JSON or FHIR output (the JSON of
** an assessment stays what sarx_assessment_json writes).  --format fhir
** writes the results as a FHIR Bundle (sarx_fhir_bundle).
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "opts.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

enum { FMT_AUTO, FMT_TEXT, FMT_JSON, FMT_FHIR, FMT_FHIR_INPUTS };
enum { IN_AUTO, IN_JSON, IN_FHIR };

typedef struct opts {
    int format;
    unsigned text_flags, json_flags;
    const char *path;
    const char *definitions; /* --definitions LIST, or NULL: all */
    int no_guide_note;       /* text: say why the guidance is left out */
    int input;               /* IN_AUTO, IN_JSON, IN_FHIR */
    const char *as_of;       /* --as-of DATE (FHIR input) */
    unsigned fhir_flags;     /* SARX_FHIR_SUGGEST_CONDITIONS */
    const sarx_fhir_info *info; /* the input was FHIR */
} opts;

enum { A_FORMAT, A_EXPLAIN, A_PRETTY, A_NO_GUIDANCE, A_DEFINITIONS, A_INPUT, A_AS_OF, A_SUGGEST };
static const cli_opt assess_opts[] = {
    {A_FORMAT, "format", 0, "FORMAT", 0, CLI_C_WORDS, "auto text json fhir fhir-inputs",
     "auto (the default: text for one subject, JSON Lines for many), text,\n"
     "json, fhir (a FHIR R4 Bundle of the results; docs/FHIR.md) or\n"
     "fhir-inputs (the subject itself as a FHIR R4 Bundle: its Patient,\n"
     "Observations and Conditions, as an EHR would send them)"},
    {A_INPUT, "input", 0, "FORMAT", 0, CLI_C_WORDS, "auto json fhir",
     "auto (the default: a FHIR Bundle when the document's resourceType is\n"
     "\"Bundle\", else sarx's JSON), json or fhir (a FHIR R4 Bundle)"},
    {A_AS_OF, "as-of", 0, "DATE", 0, CLI_C_NONE, NULL,
     "FHIR input: the assessment date, YYYY-MM-DD (default: the latest\n"
     "weight's date); later Observations are left out.  --format\n"
     "fhir-inputs: the date of a subject without an assessment_date"},
    {A_SUGGEST, "suggest-conditions", 0, NULL, 0, CLI_C_NONE, NULL,
     "--format fhir: add provisional Conditions (sarcopenia, cachexia,\n"
     "malnutrition) for a clinician to confirm or refute"},
    {A_EXPLAIN, "explain", 0, NULL, 0, CLI_C_NONE, NULL, "show every criterion row with its id, status and citation"},
    {A_PRETTY, "pretty", 0, NULL, 0, CLI_C_NONE, NULL, "indent JSON output"},
    {A_NO_GUIDANCE, "no-guidance", 0, NULL, 0, CLI_C_NONE, NULL,
     "leave out the guidance (causes, red flags, tests, plan)"},
    {A_DEFINITIONS, "definitions", 0, "LIST", 0, CLI_C_DEFINITIONS, NULL,
     "only these definitions: ids (ewgsop2) or kinds (sarcopenia,\n"
     "cachexia, ...; `sarx definitions` lists them), comma-separated;\n"
     "the guidance is left out unless LIST names them all"},
    CLI_OPT_END};

const cli_command cli_cmd_assess = {
    "assess", "[options] [FILE|-]", "one subject (a JSON object) or many (JSON Lines)",
    "FILE (default: the standard input) holds one subject as a JSON object, or many\n"
    "as JSON Lines (one object per line).  A bad record is reported with its record\n"
    "and line number and skipped; the others are still assessed.  A FHIR R4 Bundle\n"
    "(--input fhir, or any document whose resourceType is \"Bundle\") is one\n"
    "patient; the assessment date chosen and what was left out are stated.\n",
    assess_opts,
    "Exit status: 0, 1 if any record was bad or the file could not be read, 2\n"
    "usage error.\n",
    CLI_C_FILE};

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
    int as_json = o->format == FMT_JSON || o->format == FMT_FHIR || o->format == FMT_FHIR_INPUTS ||
                  (o->format == FMT_AUTO && jsonl);
    unsigned aflags = (o->json_flags & SARX_RENDER_NO_GUIDANCE) ? SARX_ASSESS_NO_GUIDANCE : 0;
    if (o->format == FMT_FHIR_INPUTS) { /* the subject as read (and checked), not assessed */
        /* --as-of dates a subject without an assessment_date: a FHIR reader
        ** leaves undated Observations out */
        if (isnan(sarx_subject_get(s, "assessment_date"))) {
            if (o->as_of && sarx_subject_set_text(s, "assessment_date", o->as_of, strlen(o->as_of), 0, &err) != SARX_OK) {
                cli_error(where, &err);
                return 1;
            }
            if (!o->as_of)
                fprintf(stderr, "sarx: %s: no assessment_date: the Observations carry no date, and a FHIR reader "
                                "leaves undated ones out (--as-of DATE dates them)\n", where);
        }
        out = sarx_fhir_subject_bundle(s, NULL, jsonl ? 0 : o->json_flags & SARX_RENDER_PRETTY);
    } else {
        if (sarx_assess_ex(ctx, s, aflags, &a, &err) != SARX_OK) {
            err.record = record;
            err.line = line;
            cli_error(where, &err);
            return 1;
        }
        if (o->format == FMT_FHIR)
            out = sarx_fhir_bundle(a, o->info, o->fhir_flags | (jsonl ? 0 : o->json_flags & SARX_RENDER_PRETTY));
        else
            out = as_json ? sarx_assessment_json(a, jsonl ? o->json_flags & ~SARX_RENDER_PRETTY : o->json_flags)
                          : sarx_assessment_text(a, o->text_flags);
        sarx_assessment_free(a);
    }
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
    else if (o->no_guide_note)
        fputs("\nGuidance: left out, because it reads the results of every definition and --definitions "
              "selected some (assess without --definitions for it).\n", stdout);
    sarx_free(out);
    return 0;
}

/* One JSON Lines record: assess it, or report why not.  Returns 1 if bad. */
static int do_line(const sarx_ctx *ctx, sarx_subject *s, const opts *o, const char *start, size_t n, long line,
                   long record, int *first)
{
    sarx_error err;
    if (sarx_subject_from_json(s, start, n, &err) != SARX_OK) {
        err.record = record;
        err.line = line; /* the line in the file; jansson's column stays */
        fprintf(stderr, "sarx: %s: record %ld (line %ld): %s\n", o->path, record, line, err.message);
        if (o->format != FMT_TEXT) {
            char *e = sarx_error_json(&err);
            if (e)
                puts(e);
            sarx_free(e);
        }
        return 1;
    }
    return emit(ctx, s, o, 1, record, line, o->path, first);
}

/* The next non-blank line (its number in *line); 0 at the end of input. */
static ssize_t next_line(FILE *f, char **buf, size_t *cap, long *line)
{
    ssize_t n;
    while ((n = getline(buf, cap, f)) >= 0) {
        (*line)++;
        if (!blank(*buf, (size_t)n))
            return n;
    }
    return 0;
}

/* Whether p[0 .. n) is one whole JSON value (blanks around it allowed). */
static int whole_value(const char *p, size_t n)
{
    json_error_t je;
    json_t *v;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte-order mark, as the decoder takes it */
        p += 3, n -= 3;
    v = json_loadb(p, n, JSON_DECODE_ANY, &je);
    json_decref(v);
    return v != NULL;
}

/* The next line of buf[*at .. len): its start and length (without the LF);
** 0 at the end. */
static int buf_line(const char *buf, size_t len, size_t *at, const char **p, size_t *n)
{
    const char *lf;
    if (*at >= len)
        return 0;
    *p = buf + *at;
    lf = memchr(*p, '\n', len - *at);
    *n = lf ? (size_t)(lf - *p) : len - *at;
    *at += *n + (lf != NULL);
    return 1;
}

/* Input read whole whose first non-blank line is not a whole JSON value:
** 1 when it is JSON Lines all the same (the module comment). */
static int lines_of_records(const char *buf, size_t len)
{
    size_t at = 0, n;
    const char *p;
    long lines = 0, whole = 0;
    int first = 1;
    if (whole_value(buf, len))
        return 0;
    while (buf_line(buf, len, &at, &p, &n)) {
        if (blank(p, n))
            continue;
        if (first) {
            first = 0;
            continue;
        }
        lines++;
        whole += whole_value(p, n);
    }
    return lines > 0 && 2 * whole > lines;
}

/* Read the rest of f after `head` (n bytes) into one buffer. */
static char *slurp_rest(FILE *f, const char *head, size_t n, size_t *len)
{
    size_t cap = n + 65536, got;
    char *b = malloc(cap + 1);
    if (!b)
        return NULL;
    memcpy(b, head, n);
    *len = n;
    while ((got = fread(b + *len, 1, cap - *len, f)) > 0) {
        *len += got;
        if (*len == cap) {
            char *p = realloc(b, cap * 2 + 1);
            if (!p) {
                free(b);
                return NULL;
            }
            b = p;
            cap *= 2;
        }
    }
    b[*len] = '\0';
    return b;
}

/* Is the document a JSON object whose resourceType is "Bundle"? */
static int is_bundle(const char *buf, size_t len)
{
    json_error_t je;
    json_t *v = json_loadb(buf, len, 0, &je);
    const char *t = json_string_value(json_object_get(v, "resourceType"));
    int yes = t && strcmp(t, "Bundle") == 0;
    json_decref(v);
    return yes;
}

/* FHIR input: read the Bundle, state the date chosen and the notes (lines
** before a text report; stderr beside JSON or FHIR), assess.  Returns 0 or
** 1 after reporting an error. */
static int assess_fhir(const sarx_ctx *ctx, sarx_subject *s, opts *o, const char *buf, size_t len, int *first)
{
    sarx_fhir_info *info = NULL;
    sarx_error err;
    size_t i;
    int rc, text = o->format == FMT_TEXT || o->format == FMT_AUTO;
    FILE *to = text ? stdout : stderr;
    const char *pre = text ? "" : "sarx: ";
    if (sarx_fhir_read(buf, len, o->as_of, s, &info, &err) != SARX_OK) {
        cli_error(o->path, &err);
        if (o->format == FMT_JSON) {
            char *e = sarx_error_json(&err);
            if (e)
                puts(e);
            sarx_free(e);
        }
        return 1;
    }
    if (*sarx_fhir_info_as_of(info))
        fprintf(to, "%sFHIR: Patient/%s, assessment date %s (%s), %zu resource%s used\n", pre,
                *sarx_fhir_info_patient(info) ? sarx_fhir_info_patient(info) : "(no id)", sarx_fhir_info_as_of(info),
                sarx_fhir_info_as_of_source(info), sarx_fhir_info_source_count(info),
                sarx_fhir_info_source_count(info) == 1 ? "" : "s");
    else
        fprintf(to, "%sFHIR: Patient/%s, no assessment date (no dated Observation; --as-of sets one)\n", pre,
                *sarx_fhir_info_patient(info) ? sarx_fhir_info_patient(info) : "(no id)");
    for (i = 0; i < sarx_fhir_info_note_count(info); i++)
        fprintf(to, "%sFHIR note: %s\n", pre, sarx_fhir_info_note(info, i));
    if (text)
        fputs("\n", stdout);
    o->info = info;
    rc = emit(ctx, s, o, 0, 0, 0, o->path, first);
    o->info = NULL;
    sarx_fhir_info_free(info);
    return rc;
}

int cmd_assess(int argc, char **argv)
{
    opts o = {FMT_AUTO, 0, 0, NULL, NULL, 0, IN_AUTO, NULL, 0, NULL};
    sarx_ctx *ctx = NULL;
    sarx_subject *s = NULL;
    sarx_error err;
    char *buf = NULL, *l1 = NULL, *l2 = NULL;
    size_t len = 0, c1 = 0, c2 = 0;
    int k, rc = 0, first = 1;
    long skipped = 0;
    FILE *in;
    const char *v;
    cli_parse cp;
    cli_parse_begin(&cp, &cli_cmd_assess, argc, argv);
    while ((k = cli_parse_next(&cp, &v)) != CLI_END) {
        switch (k) {
        case CLI_HELP: return EXIT_OK;
        case CLI_BAD: return EXIT_USAGE;
        case CLI_OPERAND:
            if (o.path)
                return cli_usage_error(&cli_cmd_assess, "one input file at a time (\"%s\", then \"%s\")", o.path, v);
            o.path = v;
            break;
        case A_FORMAT:
            if (strcmp(v, "auto") == 0)
                o.format = FMT_AUTO;
            else if (strcmp(v, "text") == 0)
                o.format = FMT_TEXT;
            else if (strcmp(v, "json") == 0)
                o.format = FMT_JSON;
            else if (strcmp(v, "fhir") == 0)
                o.format = FMT_FHIR;
            else if (strcmp(v, "fhir-inputs") == 0)
                o.format = FMT_FHIR_INPUTS;
            else
                return cli_usage_error(&cli_cmd_assess,
                                       "--format \"%s\": unknown format (allowed auto, text, json, fhir, fhir-inputs)", v);
            break;
        case A_INPUT:
            if (strcmp(v, "auto") == 0)
                o.input = IN_AUTO;
            else if (strcmp(v, "json") == 0)
                o.input = IN_JSON;
            else if (strcmp(v, "fhir") == 0)
                o.input = IN_FHIR;
            else
                return cli_usage_error(&cli_cmd_assess, "--input \"%s\": unknown input format (allowed auto, json, fhir)", v);
            break;
        case A_AS_OF:
            if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
                return cli_usage_error(&cli_cmd_assess, "--as-of \"%s\": not a date YYYY-MM-DD", v);
            o.as_of = v;
            break;
        case A_SUGGEST: o.fhir_flags |= SARX_FHIR_SUGGEST_CONDITIONS; break;
        case A_EXPLAIN: o.text_flags |= SARX_RENDER_EXPLAIN; break;
        case A_PRETTY: o.json_flags |= SARX_RENDER_PRETTY; break;
        case A_DEFINITIONS: o.definitions = v; break;
        case A_NO_GUIDANCE:
            o.json_flags |= SARX_RENDER_NO_GUIDANCE;
            o.text_flags |= SARX_RENDER_NO_GUIDANCE;
            break;
        }
    }
    if (!o.path)
        o.path = "-";
    in = strcmp(o.path, "-") == 0 ? stdin : fopen(o.path, "rb");
    if (!in) {
        fprintf(stderr, "sarx: %s: %s\n", o.path, strerror(errno));
        return EXIT_INPUT;
    }
    if (sarx_ctx_new(&ctx, &err) != SARX_OK || sarx_subject_new(&s) != SARX_OK) {
        fputs("sarx: cannot initialise the library (out of memory?)\n", stderr);
        sarx_ctx_free(ctx);
        if (in != stdin)
            fclose(in);
        return EXIT_INPUT;
    }
    if (o.definitions) {
        sarx_ctx *sel;
        if (sarx_ctx_select(ctx, o.definitions, &sel, &err) != SARX_OK) {
            fprintf(stderr, "sarx assess: %s\n", err.message);
            sarx_ctx_free(ctx);
            sarx_subject_free(s);
            if (in != stdin)
                fclose(in);
            return err.code == SARX_ENOMEM ? EXIT_INPUT : EXIT_USAGE;
        }
        if (sarx_definition_count(sel) < sarx_definition_count(ctx)) { /* the module comment */
            o.no_guide_note = !(o.text_flags & SARX_RENDER_NO_GUIDANCE);
            o.json_flags |= SARX_RENDER_NO_GUIDANCE;
            o.text_flags |= SARX_RENDER_NO_GUIDANCE;
        }
        sarx_ctx_free(ctx);
        ctx = sel;
    }
    /* JSON Lines or one document (the module comment); FHIR is one document. */
    if (o.input == IN_FHIR) {
        if (!(buf = slurp_rest(in, "", 0, &len))) {
            fprintf(stderr, "sarx: %s: out of memory\n", o.path);
            rc = 1;
            goto done;
        }
        if (ferror(in)) {
            fprintf(stderr, "sarx: %s: read error\n", o.path);
            rc = 1;
            goto done;
        }
    } else {
        long line = 0, line1, record = 0;
        ssize_t n1 = next_line(in, &l1, &c1, &line), n2;
        line1 = line;
        if (n1 > 0 && whole_value(l1, (size_t)n1) && (n2 = next_line(in, &l2, &c2, &line)) > 0) {
            long line2 = line;
            ssize_t n;
            rc = do_line(ctx, s, &o, l1, (size_t)n1, line1, ++record, &first);
            rc |= do_line(ctx, s, &o, l2, (size_t)n2, line2, ++record, &first);
            while ((n = next_line(in, &l2, &c2, &line)) > 0) {
                rc |= do_line(ctx, s, &o, l2, (size_t)n, line, ++record, &first);
                fflush(stdout); /* a record in, a result out: fit for pipes */
            }
            if (ferror(in)) {
                fprintf(stderr, "sarx: %s: read error\n", o.path);
                rc = 1;
            }
            goto done;
        }
        /* The first line, then the rest of the input, whole.  Only blank
        ** lines were skipped (before it, or after a whole first line at the
        ** end of input), so nothing else was lost. */
        if (!(buf = slurp_rest(in, n1 > 0 ? l1 : "", n1 > 0 ? (size_t)n1 : 0, &len))) {
            fprintf(stderr, "sarx: %s: out of memory\n", o.path);
            rc = 1;
            goto done;
        }
        skipped = n1 > 0 ? line1 - 1 : 0; /* blank lines before the document */
        if (ferror(in)) {
            fprintf(stderr, "sarx: %s: read error\n", o.path);
            rc = 1;
            goto done;
        }
        if (n1 > 0 && lines_of_records(buf, len)) { /* JSON Lines whose first record is bad */
            size_t at = 0, n;
            const char *p;
            line = skipped;
            while (buf_line(buf, len, &at, &p, &n)) {
                line++;
                if (!blank(p, n)) {
                    rc |= do_line(ctx, s, &o, p, n, line, ++record, &first);
                    fflush(stdout);
                }
            }
            goto done;
        }
    }
    if (o.input == IN_FHIR || (o.input == IN_AUTO && is_bundle(buf, len))) {
        rc = assess_fhir(ctx, s, &o, buf, len, &first);
        goto done;
    }
    if (o.as_of && o.format != FMT_FHIR_INPUTS) {
        fprintf(stderr, "sarx: %s: --as-of applies to FHIR input (a Bundle) and to --format fhir-inputs; sarx's "
                        "JSON gives assessment_date\n",
                o.path);
        rc = 2;
        goto done;
    }
    rc = sarx_subject_from_json(s, buf, len, &err);
    if (rc != SARX_OK) {
        if (err.line) /* count the blank lines skipped before the document */
            err.line += skipped;
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
    free(l1);
    free(l2);
    if (in != stdin)
        fclose(in);
    return rc == 2 ? EXIT_USAGE : rc ? EXIT_INPUT : EXIT_OK;
}
