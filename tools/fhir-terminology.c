/*
** fhir-terminology — write sarx's FHIR CodeSystems and ValueSets
** (sarx_fhir_terminology) as one JSON file per resource, named
** <resourceType>-<id>.json, into a directory (docs/fhir/, `make fhir-docs`).
**
**   fhir-terminology DIR           write the files
**   fhir-terminology --check DIR   compare; "fhir-docs: N passed, N failed",
**                                  exit 1 when a file is stale, missing or extra
*/
#define _POSIX_C_SOURCE 200809L
#include "sarx.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        !(buf = malloc((size_t)n + 1))) {
        fclose(f);
        return NULL;
    }
    buf[fread(buf, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    int check = argc == 3 && strcmp(argv[1], "--check") == 0;
    const char *dir = argv[check ? 2 : 1];
    sarx_ctx *ctx = NULL;
    sarx_error err;
    char *text, path[4096];
    json_t *b, *e;
    json_error_t je;
    size_t i, n;
    int pass = 0, fail = 0;
    DIR *d;
    struct dirent *de;

    if (argc != (check ? 3 : 2)) {
        fprintf(stderr, "usage: fhir-terminology [--check] DIR\n");
        return 2;
    }
    if (sarx_ctx_new(&ctx, &err) != SARX_OK || !(text = sarx_fhir_terminology(ctx, 0)) ||
        !(b = json_loads(text, 0, &je))) {
        fprintf(stderr, "fhir-terminology: cannot build the terminology\n");
        return 2;
    }
    sarx_free(text);
    n = json_array_size(json_object_get(b, "entry"));
    json_array_foreach(json_object_get(b, "entry"), i, e)
    {
        json_t *res = json_object_get(e, "resource");
        char *out = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        snprintf(path, sizeof path, "%s/%s-%s.json", dir, json_string_value(json_object_get(res, "resourceType")),
                 json_string_value(json_object_get(res, "id")));
        if (!out)
            return 2;
        if (check) {
            char *have = slurp(path);
            size_t len = strlen(out);
            if (have && strncmp(have, out, len) == 0 && strcmp(have + len, "\n") == 0)
                pass++;
            else {
                fail++;
                fprintf(stderr, "FAIL %s is %s: run 'make fhir-docs'\n", path, have ? "stale" : "missing");
            }
            free(have);
        } else {
            FILE *f = fopen(path, "w");
            if (!f || fprintf(f, "%s\n", out) < 0 || fclose(f) != 0) {
                fprintf(stderr, "fhir-terminology: cannot write %s\n", path);
                return 2;
            }
        }
        free(out);
    }
    if (check && (d = opendir(dir)) != NULL) { /* a file the terminology no longer has */
        size_t files = 0;
        while ((de = readdir(d)) != NULL)
            if (strlen(de->d_name) > 5 && strcmp(de->d_name + strlen(de->d_name) - 5, ".json") == 0)
                files++;
        closedir(d);
        if (files == n)
            pass++;
        else {
            fail++;
            fprintf(stderr, "FAIL %s has %zu JSON files, the terminology %zu resources: run 'make fhir-docs'\n", dir,
                    files, n);
        }
    }
    json_decref(b);
    sarx_ctx_free(ctx);
    if (check)
        printf("fhir-docs: %d passed, %d failed\n", pass, fail);
    return fail ? 1 : 0;
}
