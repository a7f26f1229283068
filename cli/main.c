/*
** main.c — the sarx command: dispatch to a subcommand.
*/
#include "cli.h"
#include "opts.h"

#include <stdlib.h>
#include <string.h>

/* JSON string body: the descriptions are ours, but escape them properly so
** any future text (quotes, control bytes) still gives valid JSON. */
static void put_json_string_n(const char *s, size_t n)
{
    putchar('"');
    for (; n > 0 && *s; s++, n--) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void put_json_string(const char *s)
{
    put_json_string_n(s, strlen(s));
}

/* Markdown table cell: a '|' (in "male|female") would end the cell. */
static void put_md_cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
}

static void put_md_number(double v)
{
    if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
        printf("%lld", (long long)v);
    else
        printf("%.4g", v);
}

enum { FIELDS_TEXT, FIELDS_MARKDOWN, FIELDS_JSON };

static const char *const field_kind[] = {"number", "integer", "bool", "enum", "text", "date", "list", "history"};

static int field_has_range(const sarx_field_info *f)
{
    return f->kind == SARX_KIND_NUMBER || f->kind == SARX_KIND_INTEGER;
}

static void fields_text(void)
{
    size_t i;
    printf("%-28s %-8s %-14s %s\n", "field", "kind", "unit", "range / values — description");
    for (i = 0; i < sarx_field_count(); i++) {
        const sarx_field_info *f = sarx_field_at(i);
        printf("%-28s %-8s %-14s ", f->name, field_kind[f->kind], f->unit);
        if (field_has_range(f))
            printf("%.4g-%.4g", f->min, f->max);
        else if (f->values)
            printf("%s", f->values);
        if (strcmp(f->name, f->canonical) != 0)
            printf(" (alternate for %s)", f->canonical);
        printf(" — %s\n", f->description);
    }
}

/* The table docs/INPUT.md holds (tools/docs-fields.sh; tests/docs.sh
** checks the two agree). */
static void fields_markdown(void)
{
    size_t i;
    puts("| field | kind | unit | range or values | description |");
    puts("|---|---|---|---|---|");
    for (i = 0; i < sarx_field_count(); i++) {
        const sarx_field_info *f = sarx_field_at(i);
        printf("| `%s` | %s | ", f->name, field_kind[f->kind]);
        put_md_cell(f->unit);
        fputs(" | ", stdout);
        if (field_has_range(f)) {
            /* "-50 to 80", "0 to 10000": a hyphen would read as a minus,
            ** and %g would write 1e+04. */
            put_md_number(f->min);
            fputs(" to ", stdout);
            put_md_number(f->max);
        } else if (f->values)
            put_md_cell(f->values);
        fputs(" | ", stdout);
        if (strcmp(f->name, f->canonical) != 0)
            printf("alternate for `%s`: ", f->canonical);
        put_md_cell(f->description);
        puts(" |");
    }
}

static void fields_json(void)
{
    size_t i;
    puts("[");
    for (i = 0; i < sarx_field_count(); i++) {
        const sarx_field_info *f = sarx_field_at(i);
        fputs("  {\"name\": ", stdout);
        put_json_string(f->name);
        fputs(", \"canonical\": ", stdout);
        put_json_string(f->canonical);
        printf(", \"kind\": \"%s\", \"unit\": ", field_kind[f->kind]);
        put_json_string(f->unit);
        if (field_has_range(f))
            printf(", \"min\": %.17g, \"max\": %.17g", f->min, f->max);
        if (f->values) {
            const char *v = f->values;
            fputs(", \"values\": [", stdout);
            while (*v) {
                const char *bar = strchr(v, '|');
                size_t n = bar ? (size_t)(bar - v) : strlen(v);
                put_json_string_n(v, n);
                v += n;
                if (*v == '|') {
                    fputs(", ", stdout);
                    v++;
                }
            }
            fputs("]", stdout);
        }
        fputs(", \"description\": ", stdout);
        put_json_string(f->description);
        printf("}%s\n", i + 1 < sarx_field_count() ? "," : "");
    }
    puts("]");
}

enum { FIELDS_OPT_FORMAT };
static const cli_opt fields_opts[] = {
    {FIELDS_OPT_FORMAT, "format", 0, "FORMAT", 0, CLI_C_WORDS, "text markdown json",
     "text (the default), markdown (the table of docs/INPUT.md) or json"},
    CLI_OPT_END};

const cli_command cli_cmd_fields = {
    "fields", "[--format text|markdown|json]", "the input fields with units and plausible ranges",
    "The fields an input (JSON) or a cohort file's header may name, with their kind,\n"
    "unit, plausible range or values, and what each is.\n",
    fields_opts, NULL, CLI_C_NONE};

static int cmd_fields(int argc, char **argv)
{
    int k, format = FIELDS_TEXT;
    const char *v;
    cli_parse p;
    cli_parse_begin(&p, &cli_cmd_fields, argc, argv);
    while ((k = cli_parse_next(&p, &v)) != CLI_END) {
        if (k == CLI_HELP)
            return EXIT_OK;
        if (k == CLI_BAD)
            return EXIT_USAGE;
        if (k == CLI_OPERAND)
            return cli_usage_error(&cli_cmd_fields, "unexpected argument \"%s\"", v);
        if (strcmp(v, "text") == 0)
            format = FIELDS_TEXT;
        else if (strcmp(v, "markdown") == 0)
            format = FIELDS_MARKDOWN;
        else if (strcmp(v, "json") == 0)
            format = FIELDS_JSON;
        else
            return cli_usage_error(&cli_cmd_fields, "--format \"%s\": allowed text, markdown, json", v);
    }
    if (format == FIELDS_MARKDOWN)
        fields_markdown();
    else if (format == FIELDS_JSON)
        fields_json();
    else
        fields_text();
    return EXIT_OK;
}

/* Every subcommand, in the order of `sarx --help` and the manual. */
const cli_command *const cli_commands[] = {
    &cli_cmd_assess, &cli_cmd_definitions, &cli_cmd_cohort,          &cli_cmd_synth,          &cli_cmd_fields,
    &cli_cmd_simulate, &cli_cmd_serve,     &cli_cmd_registry_export, &cli_cmd_registry_check, NULL};

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} runs[] = {{"assess", cmd_assess},     {"definitions", cmd_definitions}, {"cohort", cmd_cohort},
            {"synth", cmd_synth},       {"fields", cmd_fields},           {"simulate", cmd_simulate},
            {"serve", cmd_serve},       {"registry", cmd_registry}};

#define NRUNS (sizeof runs / sizeof runs[0])

/* `sarx help [COMMAND [SUBCOMMAND]]`. */
static int help(int argc, char **argv)
{
    char name[64];
    size_t i;
    if (argc < 3) {
        cli_main_help(stdout);
        return EXIT_OK;
    }
    snprintf(name, sizeof name, "%s%s%s", argv[2], argc > 3 ? " " : "", argc > 3 ? argv[3] : "");
    for (i = 0; cli_commands[i]; i++)
        if (strcmp(cli_commands[i]->name, name) == 0) {
            cli_help(cli_commands[i], stdout);
            return EXIT_OK;
        }
    if (strcmp(name, "registry") == 0) {
        char *args[] = {argv[2], (char *)"--help", NULL};
        return cmd_registry(2, args);
    }
    fprintf(stderr, "sarx help: no command \"%s\" (sarx --help lists them)\n", name);
    return EXIT_USAGE;
}

/* The top-level option arg (-V, --man, ...) takes nothing after it. */
static int alone(int argc, char **argv, int take)
{
    if (argc > 2 + take) {
        fprintf(stderr, "sarx: %s: unexpected argument \"%s\"\n", argv[1], argv[2 + take]);
        return 0;
    }
    return 1;
}

static int unknown_command(const char *c)
{
    static const char *const opts[] = {"help", "version", "man", "completion"};
    const char *names[NRUNS + 1], *best;
    size_t i;
    if (c[0] == '-') {
        best = cli_closest(c + (c[1] == '-' ? 2 : 1), opts, sizeof opts / sizeof opts[0]);
        if (best)
            fprintf(stderr, "sarx: unknown option \"%s\": did you mean --%s?\n", c, best);
        else
            fprintf(stderr, "sarx: unknown option \"%s\"\n", c);
    } else {
        for (i = 0; i < NRUNS; i++)
            names[i] = runs[i].name;
        names[i] = "help";
        best = cli_closest(c, names, NRUNS + 1);
        if (best)
            fprintf(stderr, "sarx: unknown command \"%s\": did you mean \"%s\"?\n", c, best);
        else
            fprintf(stderr, "sarx: unknown command \"%s\"\n", c);
    }
    fputs("(sarx --help lists the commands and options)\n", stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    const char *c;
    size_t i;
    if (argc < 2) {
        cli_main_help(stderr);
        return EXIT_USAGE;
    }
    c = argv[1];
    if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0)
        return alone(argc, argv, 0) ? (cli_main_help(stdout), EXIT_OK) : EXIT_USAGE;
    if (strcmp(c, "help") == 0)
        return help(argc, argv);
    if (strcmp(c, "-V") == 0 || strcmp(c, "--version") == 0)
        return alone(argc, argv, 0) ? cli_version(stdout) : EXIT_USAGE;
    if (strcmp(c, "--man") == 0)
        return alone(argc, argv, 0) ? cli_man(stdout) : EXIT_USAGE;
    if (strcmp(c, "--completion") == 0 || strncmp(c, "--completion=", 13) == 0) {
        const char *shell = c[12] == '=' ? c + 13 : argc > 2 ? argv[2] : NULL;
        if (!alone(argc, argv, c[12] == '=' ? 0 : 1))
            return EXIT_USAGE;
        if (!shell) {
            fputs("sarx: --completion needs a value (bash)\n", stderr);
            return EXIT_USAGE;
        }
        if (strcmp(shell, "bash") != 0) {
            fprintf(stderr, "sarx: --completion \"%s\": allowed bash\n", shell);
            return EXIT_USAGE;
        }
        return cli_completion_bash(stdout);
    }
    for (i = 0; i < NRUNS; i++)
        if (strcmp(c, runs[i].name) == 0)
            return runs[i].run(argc - 1, argv + 1);
    return unknown_command(c);
}
