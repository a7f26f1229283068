/*
** definitions.c — `sarx definitions`: the catalogue, generated from the tables.
*/
#include "cli.h"
#include "opts.h"

#include <stdlib.h>
#include <string.h>

enum { DEF_OPT_FORMAT };
static const cli_opt definitions_opts[] = {
    {DEF_OPT_FORMAT, "format", 0, "FORMAT", 0, CLI_C_WORDS, "text markdown json",
     "text (the default), markdown (docs/DEFINITIONS.md) or json"},
    CLI_OPT_END};

const cli_command cli_cmd_definitions = {
    "definitions", "[--format text|markdown|json]", "the definitions, their criteria, thresholds, citations",
    "Every definition sarx applies: its categories and their rules, each criterion\n"
    "with its thresholds, and the publication it comes from.\n",
    definitions_opts, NULL, CLI_C_NONE};

int cmd_definitions(int argc, char **argv)
{
    int k, format = SARX_CATALOGUE_TEXT;
    sarx_ctx *ctx;
    sarx_error err;
    char *out;
    const char *v;
    cli_parse p;
    cli_parse_begin(&p, &cli_cmd_definitions, argc, argv);
    while ((k = cli_parse_next(&p, &v)) != CLI_END) {
        if (k == CLI_HELP)
            return EXIT_OK;
        if (k == CLI_BAD)
            return EXIT_USAGE;
        if (k == CLI_OPERAND)
            return cli_usage_error(&cli_cmd_definitions, "unexpected argument \"%s\"", v);
        if (strcmp(v, "text") == 0)
            format = SARX_CATALOGUE_TEXT;
        else if (strcmp(v, "markdown") == 0)
            format = SARX_CATALOGUE_MARKDOWN;
        else if (strcmp(v, "json") == 0)
            format = SARX_CATALOGUE_JSON;
        else
            return cli_usage_error(&cli_cmd_definitions, "--format \"%s\": allowed text, markdown, json", v);
    }
    if (sarx_ctx_new(&ctx, &err) != SARX_OK) {
        cli_error("definitions", &err);
        return EXIT_INPUT;
    }
    out = sarx_catalogue(ctx, format);
    sarx_ctx_free(ctx);
    if (!out) {
        fputs("sarx: out of memory\n", stderr);
        return EXIT_INPUT;
    }
    fputs(out, stdout);
    if (format == SARX_CATALOGUE_JSON)
        fputs("\n", stdout);
    sarx_free(out);
    return EXIT_OK;
}
