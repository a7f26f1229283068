/*
** util.c — small helpers shared by the subcommands.
*/
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_error(const char *where, const sarx_error *err)
{
    fprintf(stderr, "sarx: %s", where);
    if (err->line)
        fprintf(stderr, ":%ld:%ld", err->line, err->column);
    fprintf(stderr, ": %s\n", err->message);
}
