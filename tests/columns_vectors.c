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
#include "vecload.h"

/* ---- the vector files ------------------------------------------------------ */

static int vec_run, vec_skipped;

static void keep_err(void *arg, size_t row, const sarx_error *e)
{
    (void)row;
    *(sarx_error *)arg = *e;
}

/* One case (one row) through the columns: its JSON input as typed columns. */
static void vector_case(const sarx_ctx *ctx, const char *file, int line, const char *in, const expect *x, int nx,
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
        vcase *cases = NULL;
        int n = vec_load(files[fi], &cases), k;
        if (n < 0) {
            h_fail++;
            n = 0;
        }
        for (k = 0; k < n; k++) {
            const vcase *c = &cases[k];
            const char *kind = c->err_kind, *field = c->err_field;
            /* an error a table can give (an error only JSON has is not a table's) */
            int want_err = strcmp(kind, "range") == 0 || strcmp(kind, "value") == 0 || strcmp(kind, "syntax") == 0 ||
                           (strcmp(kind, "conflict") == 0 &&
                            (strcmp(field, "sarc_f") == 0 || strcmp(field, "fat_mass_pct") == 0));
            if (kind[0] && !want_err)
                continue;
            if (c->nx || want_err)
                vector_case(ctx, c->file, c->line, c->in, c->x, c->nx, want_err, field);
        }
        vec_free(cases, n);
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
