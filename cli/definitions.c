/*
** definitions.c — `sarx definitions`: the catalogue, generated from the tables.
*/
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_definitions(int argc, char **argv)
{
    int i, format = SARX_CATALOGUE_TEXT;
    sarx_ctx *ctx;
    sarx_error err;
    char *out;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "text") == 0)
                format = SARX_CATALOGUE_TEXT;
            else if (strcmp(f, "markdown") == 0)
                format = SARX_CATALOGUE_MARKDOWN;
            else if (strcmp(f, "json") == 0)
                format = SARX_CATALOGUE_JSON;
            else {
                fprintf(stderr, "sarx definitions: unknown format \"%s\" (allowed text, markdown, json)\n", f);
                return EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            puts("usage: sarx definitions [--format text|markdown|json]");
            return EXIT_OK;
        } else {
            fprintf(stderr, "sarx definitions: unexpected argument \"%s\"\n"
                            "usage: sarx definitions [--format text|markdown|json]\n", argv[i]);
            return EXIT_USAGE;
        }
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
