/*
** columns_vectors.c — every vector file's cases (the .txt files of
** tests/vectors)
** through sarx_cohort_columns: each case's JSON input as typed columns of
** one row, its categories (and completeness) as the file expects, or its
** error naming the field.  Cases only JSON can give (weight histories,
** coded list entries, two names of one field) are left to the other
** runners.
**
** usage: columns_vectors VECTOR_FILE...
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "sarx.h"

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        abort();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* ---- the vector files ------------------------------------------------------ */

static int vec_run, vec_skipped;

static void keep_err(void *arg, size_t row, const sarx_error *e)
{
    (void)row;
    *(sarx_error *)arg = *e;
}

typedef struct vexp {
    char def[64], cat[64];
    int complete;
} vexp;

/* One case (one row) through the columns: its JSON input as typed columns. */
static void vector_case(const sarx_ctx *ctx, const char *file, int line, const char *in, const vexp *x, int nx,
                        int want_err, const char *err_field)
{
    json_error_t je;
    json_t *root = json_loads(in, 0, &je), *v;
    const char *key;
    char *head[64], text[64][1024];
    size_t hlen[64], ncol = 0, nd = sarx_definition_count(ctx);
    sarx_column cols[64];
    const char *tp[64];
    double dv[64];
    int64_t iv[64];
    uint8_t bv[64];
    sarx_cohort *c;
    sarx_class out[64];
    unsigned char ok = 0;
    sarx_error e, re;
    long rej;
    int i;
    if (!json_is_object(root) || json_object_get(root, "weight_history")) {
        json_decref(root);
        vec_skipped++;
        return;
    }
    memset(cols, 0, sizeof cols);
    json_object_foreach(root, key, v) {
        sarx_column *col = &cols[ncol];
        if (ncol == 64)
            break;
        head[ncol] = (char *)(uintptr_t)key;
        hlen[ncol] = strlen(key);
        if (json_is_integer(v)) {
            iv[ncol] = (int64_t)json_integer_value(v);
            *col = (sarx_column){SARX_COLUMN_INT64, 0, &iv[ncol], 0, 0, 0, NULL};
        } else if (json_is_real(v)) {
            dv[ncol] = json_real_value(v);
            *col = (sarx_column){SARX_COLUMN_DOUBLE, 0, &dv[ncol], 0, 0, 0, NULL};
        } else if (json_is_boolean(v)) {
            bv[ncol] = json_is_true(v);
            *col = (sarx_column){SARX_COLUMN_BOOL8, 0, &bv[ncol], 0, 0, 0, NULL};
        } else if (json_is_string(v)) {
            tp[ncol] = json_string_value(v);
            *col = (sarx_column){SARX_COLUMN_TEXT, 0, &tp[ncol], 0, 0, 0, NULL};
        } else if (json_is_array(v)) { /* a list cell */
            size_t n = 0, j;
            json_t *it;
            json_array_foreach(v, j, it) {
                const char *s = json_string_value(it);
                if (!s) { /* coded entries: vectors.c covers them through the CLI */
                    json_decref(root);
                    vec_skipped++;
                    return;
                }
                n += sarx_csv_list_append(n < 1024 ? text[ncol] + n : NULL, n < 1024 ? 1024 - n : 0, s, strlen(s),
                                          j == 0);
            }
            if (n >= 1024) {
                json_decref(root);
                vec_skipped++;
                return;
            }
            text[ncol][n] = '\0';
            tp[ncol] = text[ncol];
            *col = (sarx_column){SARX_COLUMN_TEXT, 0, &tp[ncol], 0, 0, 0, NULL};
        } else
            col->type = SARX_COLUMN_NONE;
        ncol++;
    }
    if (sarx_cohort_new_ex(ctx, head, hlen, ncol, 0, NULL, &c, &e) != SARX_OK) {
        /* two names of one field: JSON's error, not a table's */
        json_decref(root);
        vec_skipped++;
        return;
    }
    vec_run++;
    memset(&re, 0, sizeof re);
    rej = sarx_cohort_columns(c, cols, ncol, 0, 1, out, &ok, keep_err, &re, &e);
    if (want_err) {
        if (rej == 1 && !ok && strncmp(re.field, err_field, strlen(err_field)) == 0 && strstr(re.message, err_field))
            h_pass++;
        else {
            h_fail++;
            fprintf(stderr, "FAIL %s:%d: expected an error naming %s, got %s\n", file, line, err_field,
                    rej == 1 ? re.message : "none");
        }
    } else if (rej != 0 || !ok) {
        h_fail++;
        fprintf(stderr, "FAIL %s:%d: row rejected\n", file, line);
    } else
        for (i = 0; i < nx; i++) {
            const sarx_definition *d = sarx_definition_find(ctx, x[i].def);
            size_t di;
            const char *cat;
            for (di = 0; di < nd && sarx_definition_at(ctx, di) != d; di++)
                ;
            if (!d || di == nd) {
                h_fail++;
                fprintf(stderr, "FAIL %s:%d: no definition %s\n", file, line, x[i].def);
                continue;
            }
            cat = out[di].category == SARX_INDETERMINATE ? "indeterminate"
                                                         : sarx_definition_category(d, out[di].category);
            if (!cat || strcmp(cat, x[i].cat) != 0 || (x[i].complete >= 0 && out[di].complete != x[i].complete)) {
                h_fail++;
                fprintf(stderr, "FAIL %s:%d: %s is %s/%d, expected %s/%d\n", file, line, x[i].def,
                        cat ? cat : "?", out[di].complete, x[i].cat, x[i].complete);
            } else
                h_pass++;
        }
    sarx_cohort_free(c);
    json_decref(root);
}

static void test_vectors(const sarx_ctx *ctx, char **files, int nfiles)
{
    int fi;
    for (fi = 0; fi < nfiles; fi++) {
        FILE *f = fopen(files[fi], "r");
        char *line = NULL, *in = NULL, err_field[64] = "";
        size_t cap = 0;
        vexp x[64];
        int nx = 0, ln = 0, at = 0, want_err = 0;
        if (!f) {
            h_fail++;
            continue;
        }
        for (;;) {
            ssize_t got = getline(&line, &cap, f);
            ln++;
            if (got < 0 || strncmp(line, "case:", 5) == 0) {
                if (in && (nx || want_err))
                    vector_case(ctx, files[fi], at, in, x, nx, want_err, err_field);
                free(in);
                in = NULL;
                nx = 0;
                want_err = 0;
                at = ln;
                if (got < 0)
                    break;
                continue;
            }
            line[strcspn(line, "\r\n")] = '\0';
            if (strncmp(line, "in:", 3) == 0)
                in = dup_n(line + 3, strlen(line + 3));
            else if (strncmp(line, "expect:", 7) == 0 && nx < 64) {
                char comp[64] = "";
                vexp *v = &x[nx];
                v->complete = -1;
                if (sscanf(line + 7, "%63s %63s %63s", v->def, v->cat, comp) >= 2) {
                    if (strcmp(comp, "complete") == 0)
                        v->complete = 1;
                    else if (strcmp(comp, "incomplete") == 0)
                        v->complete = 0;
                    nx++;
                }
            } else if (strncmp(line, "error:", 6) == 0) {
                char kind[32];
                if (sscanf(line + 6, "%31s %63s", kind, err_field) == 2)
                    want_err = strcmp(kind, "range") == 0 || strcmp(kind, "value") == 0 ||
                               strcmp(kind, "syntax") == 0 ||
                               (strcmp(kind, "conflict") == 0 &&
                                (strcmp(err_field, "sarc_f") == 0 || strcmp(err_field, "fat_mass_pct") == 0));
                if (!want_err) { /* an error only JSON has: not a table's */
                    free(in);
                    in = NULL;
                }
            }
        }
        free(line);
        free(in);
        fclose(f);
    }
    printf("vectors: %d cases through the columns, %d left to the other runners\n", vec_run, vec_skipped);
    CHECK(nfiles == 0 || vec_run > 500);
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx;
    sarx_error e;
    if (argc < 2) {
        fprintf(stderr, "usage: columns_vectors tests/vectors/*.txt\n");
        return 2;
    }
    if (sarx_ctx_new(&ctx, &e) != SARX_OK) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    test_vectors(ctx, argv + 1, argc - 1);
    sarx_ctx_free(ctx);
    return h_summary("columns-vectors");
}
