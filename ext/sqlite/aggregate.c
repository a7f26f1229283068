/*
** aggregate.c — the aggregates of the SQLite extension:
**
**   sarx_prevalence(subject, definition)       JSON text
**   sarx_kappa(subject, definition_a, definition_b)  JSON text
**
** Each row is classified under the definition alone (sarx_classify) and
** read as sarx cohort reads it (sarx_definition_reading); the aggregate
** keeps only the counts, and its final JSON is the library's
** (sarx_prevalence_json, sarx_agreement_json), so the numbers are those of
** `sarx cohort` over the same rows.  A row whose subject or definition is
** NULL is skipped (as count(x) skips NULLs); a subject the library refuses
** (or one that is not TEXT) is counted as invalid, never an error.  An
** unknown definition is an error.  Over no rows the counts are all zero.
*/
#include "sx.h"

#include <string.h>

typedef struct def_cache {
    const sx_def *x;
    char text[64]; /* the argument that named x (when shorter than this) */
} def_cache;

typedef struct agg {
    long reading[4]; /* prevalence: by SARX_READING_* */
    long table[4];   /* kappa: both, only_a, only_b, neither */
    long other, invalid;
    def_cache a, b;
} agg;

/* The definition argument v names, through the cache: NULL after setting
** the error, or with *null set for an SQL NULL. */
static const sx_def *def_arg(sqlite3_context *cx, def_cache *k, const char *fn, sqlite3_value *v, int *null)
{
    sx_conn *c = sqlite3_user_data(cx);
    const sx_def *x;
    const char *text;
    char *msg;
    int n;
    *null = sqlite3_value_type(v) == SQLITE_NULL;
    if (*null)
        return NULL;
    if (!(text = (const char *)sqlite3_value_text(v))) {
        sqlite3_result_error_nomem(cx);
        return NULL;
    }
    n = sqlite3_value_bytes(v);
    if (k->x && strcmp(k->text, text) == 0)
        return k->x;
    if (!(x = sx_def_find(c, fn, (const unsigned char *)text, &msg))) {
        sx_result_msg(cx, msg);
        return NULL;
    }
    k->x = NULL; /* a text too long to keep is looked up on every row */
    if (n < (int)sizeof k->text) {
        memcpy(k->text, text, (size_t)n + 1);
        k->x = x;
    }
    return x;
}

/* Read the subject: 1 when read, 0 when NULL (skip the row), -1 when
** invalid (counted), -2 after setting an error. */
static int subject(sqlite3_context *cx, sqlite3_value *v, const char *fn)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_error err;
    char *msg;
    int rc = sx_subject(c, fn, v, &msg, &err);
    sqlite3_free(msg);
    if (rc == -2)
        sqlite3_result_error_nomem(cx);
    return rc;
}

/* The reading of the subject in c->s under x, or -1 when it is refused. */
static int reading(sqlite3_context *cx, const sx_def *x)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_class cls;
    if (sarx_classify(x->one, c->s, &cls, NULL) != SARX_OK)
        return -1;
    return sarx_definition_reading(x->d, cls);
}

static void prevalence_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    agg *g = sqlite3_aggregate_context(cx, sizeof *g);
    const sx_def *x;
    int null, rc, r;
    (void)argc;
    if (!g) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (!(x = def_arg(cx, &g->a, "sarx_prevalence", argv[1], &null)))
        return;
    if ((rc = subject(cx, argv[0], "sarx_prevalence")) == 0 || rc == -2)
        return;
    if (rc < 0 || (r = reading(cx, x)) < 0 || r > 3)
        g->invalid++;
    else
        g->reading[r]++;
}

static void prevalence_final(sqlite3_context *cx)
{
    agg zero, *g = sqlite3_aggregate_context(cx, 0);
    if (!g) {
        memset(&zero, 0, sizeof zero);
        g = &zero;
    }
    sx_result_json(cx,
                   sarx_prevalence_json(g->reading[SARX_READING_POSITIVE], g->reading[SARX_READING_NEGATIVE],
                                        g->reading[SARX_READING_UNDECIDED], g->reading[SARX_READING_NOT_APPLICABLE],
                                        g->invalid),
                   sarx_free);
}

static void kappa_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    agg *g = sqlite3_aggregate_context(cx, sizeof *g);
    const sx_def *xa, *xb;
    int null, rc, ra, rb;
    (void)argc;
    if (!g) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (!(xa = def_arg(cx, &g->a, "sarx_kappa", argv[1], &null)) ||
        !(xb = def_arg(cx, &g->b, "sarx_kappa", argv[2], &null)))
        return;
    if ((rc = subject(cx, argv[0], "sarx_kappa")) == 0 || rc == -2)
        return;
    if (rc < 0 || (ra = reading(cx, xa)) < 0 || (rb = reading(cx, xb)) < 0) {
        g->invalid++;
        return;
    }
    if ((ra == SARX_READING_POSITIVE || ra == SARX_READING_NEGATIVE) &&
        (rb == SARX_READING_POSITIVE || rb == SARX_READING_NEGATIVE))
        g->table[(ra == SARX_READING_NEGATIVE) * 2 + (rb == SARX_READING_NEGATIVE)]++;
    else
        g->other++;
}

static void kappa_final(sqlite3_context *cx)
{
    agg zero, *g = sqlite3_aggregate_context(cx, 0);
    if (!g) {
        memset(&zero, 0, sizeof zero);
        g = &zero;
    }
    /* table: [0] both positive, [1] only a, [2] only b, [3] neither */
    sx_result_json(cx, sarx_agreement_json(g->table[0], g->table[1], g->table[2], g->table[3], g->other, g->invalid),
                   sarx_free);
}

int sx_register_aggregates(sqlite3 *db, sx_conn *c)
{
    int rc;
    sx_conn_ref(c);
    rc = sqlite3_create_function_v2(db, "sarx_prevalence", 2, SX_FUNC_FLAGS | SX_JSON_FLAGS, c, NULL,
                                    prevalence_step, prevalence_final, sx_conn_unref);
    if (rc != SQLITE_OK)
        return rc;
    sx_conn_ref(c);
    return sqlite3_create_function_v2(db, "sarx_kappa", 3, SX_FUNC_FLAGS | SX_JSON_FLAGS, c, NULL, kappa_step,
                                      kappa_final, sx_conn_unref);
}
