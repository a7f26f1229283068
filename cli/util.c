/*
** util.c — small helpers shared by the subcommands.
*/
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *cli_read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) {
        fprintf(stderr, "sarx: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        size_t got;
        if (cap - n < 4096) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, ncap + 1);
            if (!p) {
                fprintf(stderr, "sarx: %s: out of memory\n", path);
                free(buf);
                if (f != stdin)
                    fclose(f);
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "sarx: %s: read error\n", path);
        free(buf);
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    if (f != stdin)
        fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

void cli_error(const char *where, const sarx_error *err)
{
    fprintf(stderr, "sarx: %s", where);
    if (err->line)
        fprintf(stderr, ":%ld:%ld", err->line, err->column);
    fprintf(stderr, ": %s\n", err->message);
}
