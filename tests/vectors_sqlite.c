/*
** vectors_sqlite.c — the vectors through the SQLite extension (vectors
** --sqlite EXT FILE...).  Each case's subject goes, as TEXT, through:
**   - sarx_assess: its JSON is checked like `sarx assess --format json`'s
**     (vec_check_line: categories, derived values, criteria, warnings,
**     guidance, plan);
**   - every `expect:` line through sarx_category, sarx_complete and
**     sarx_missing, and again through the definition's row of sarx_results;
**   - every `derived:` line through sarx_measure (NULL when not computable
**     or only known as a range);
**   - an `error:` case: sarx_category, sarx_assess and sarx_results must
**     raise an error whose message names the field, and sarx_check return
**     that same message.
*/
#define _POSIX_C_SOURCE 200809L
#include "vectors.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NMISS 64

typedef struct sql_out {
    int ok;          /* 1: a row, 0: no row, -1: an error (msg) */
    char cat[64];
    int complete;
    char miss[NMISS][64];
    size_t nmiss;
    char msg[512];
} sql_out;

/* Run sql (parameters ?1 = subject, ?2 = definition) and read the first
** row's first column as text into out->cat. */
static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, const char *in, const char *def, sql_out *out)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        out->ok = -1;
        snprintf(out->msg, sizeof out->msg, "%s", sqlite3_errmsg(db));
        return NULL;
    }
    sqlite3_bind_text(st, 1, in, -1, SQLITE_STATIC);
    if (def && sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_text(st, 2, def, -1, SQLITE_STATIC);
    return st;
}

/* One step: 1 row, 0 done, -1 error (in out->msg). */
static int step(sqlite3 *db, sqlite3_stmt *st, sql_out *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    out->ok = -1;
    snprintf(out->msg, sizeof out->msg, "%s", sqlite3_errmsg(db));
    return -1;
}

/* The category, completeness and missing inputs of def for subject in,
** through the scalar functions (results = 0) or sarx_results (1). */
static void sql_result(sqlite3 *db, const char *in, const char *def, int results, sql_out *out)
{
    static const char *const q[2] = {
        "SELECT sarx_category(?1, ?2), sarx_complete(?1, ?2), value "
        "FROM (SELECT 1) LEFT JOIN json_each(sarx_missing(?1, ?2))",
        "SELECT r.category, r.complete, m.value FROM sarx_results(?1) r LEFT JOIN json_each(r.missing) m "
        "WHERE r.definition = ?2"};
    sqlite3_stmt *st = prepare(db, q[results], in, def, out);
    int rc;
    if (!st)
        return;
    while ((rc = step(db, st, out)) == 1) {
        const unsigned char *cat = sqlite3_column_text(st, 0), *m = sqlite3_column_text(st, 2);
        if (!out->ok) {
            out->ok = 1;
            snprintf(out->cat, sizeof out->cat, "%s", cat ? (const char *)cat : "(null)");
            out->complete = sqlite3_column_int(st, 1);
        }
        if (m && out->nmiss < NMISS)
            snprintf(out->miss[out->nmiss++], sizeof out->miss[0], "%s", (const char *)m);
    }
    sqlite3_finalize(st);
}

/* The error of sql for subject in (with definition def), or "" when none. */
static void sql_error(sqlite3 *db, const char *sql, const char *in, const char *def, sql_out *out)
{
    sqlite3_stmt *st = prepare(db, sql, in, def, out);
    if (!st)
        return;
    while (step(db, st, out) == 1)
        ;
    sqlite3_finalize(st);
}

static void run_case(sqlite3 *db, const vcase *c)
{
    const char *def0 = c->nx ? c->x[0].def : "ewgsop2";
    sql_out o;
    int i;
    if (c->err_kind[0]) {
        static const char *const qs[] = {"SELECT sarx_category(?1, ?2)", "SELECT sarx_assess(?1)",
                                         "SELECT count(*) FROM sarx_results(?1)"};
        char check[512] = "";
        sqlite3_stmt *st = prepare(db, "SELECT sarx_check(?1)", c->in, NULL, &o);
        if (st && step(db, st, &o) == 1 && sqlite3_column_text(st, 0))
            snprintf(check, sizeof check, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        if (!check[0] || !strstr(check, c->err_field))
            vec_fail(c, "SQLite: sarx_check gives \"%s\", expected a message naming %s", check, c->err_field);
        else
            vec_pass();
        for (i = 0; i < 3; i++) {
            sql_error(db, qs[i], c->in, def0, &o);
            if (o.ok != -1)
                vec_fail(c, "SQLite: %s raises no error, expected one naming %s", qs[i], c->err_field);
            else if (!strstr(o.msg, c->err_field) || strcmp(o.msg, check) != 0)
                vec_fail(c, "SQLite: %s: error \"%s\", expected sarx_check's message naming %s", qs[i], o.msg,
                         c->err_field);
            else
                vec_pass();
        }
        return;
    }
    {   /* the whole assessment, as `sarx assess` prints it */
        sqlite3_stmt *st = prepare(db, "SELECT sarx_assess(?1)", c->in, NULL, &o);
        int rc = st ? step(db, st, &o) : -1;
        if (rc == 1 && sqlite3_column_text(st, 0))
            vec_check_line(c, (const char *)sqlite3_column_text(st, 0));
        else
            vec_fail(c, "SQLite: sarx_assess fails: %s", o.msg);
        sqlite3_finalize(st);
    }
    for (i = 0; i < c->nx; i++) {
        int results;
        for (results = 0; results < 2; results++) {
            const char *miss[NMISS];
            size_t k;
            sql_result(db, c->in, c->x[i].def, results, &o);
            if (o.ok != 1) {
                vec_fail(c, "SQLite %s: %s: %s", results ? "sarx_results" : "scalars", c->x[i].def,
                         o.ok ? o.msg : "no row");
                continue;
            }
            for (k = 0; k < o.nmiss; k++)
                miss[k] = o.miss[k];
            vec_check_result(c, &c->x[i], o.cat, o.complete, miss, o.nmiss);
        }
    }
    for (i = 0; i < c->nd; i++) {
        sqlite3_stmt *st = prepare(db, "SELECT sarx_measure(?1, ?2)", c->in, c->dname[i], &o);
        int rc = st ? step(db, st, &o) : -1;
        int null = rc == 1 && sqlite3_column_type(st, 0) == SQLITE_NULL;
        double v = rc == 1 ? sqlite3_column_double(st, 0) : NAN;
        /* a value known only as a range is NULL here */
        int want_null = isnan(c->dval[i]) || c->dhi[i] != c->dval[i];
        if (rc != 1)
            vec_fail(c, "SQLite: sarx_measure(%s) fails: %s", c->dname[i], o.msg);
        else if (want_null ? !null : null || !(fabs(v - c->dval[i]) <= 1e-4))
            vec_fail(c, "SQLite: sarx_measure(%s) = %s%.10g, expected %.10g", c->dname[i], null ? "NULL " : "",
                     null ? 0.0 : v, c->dval[i]);
        else
            vec_pass();
        sqlite3_finalize(st);
    }
}

void vec_run_sqlite(const char *ext, vcase *cases, int n)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    int i;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        vec_fail(&cases[0], "SQLite: cannot open a database: %s", db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, NULL);
    if (sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK) {
        vec_fail(&cases[0], "SQLite: cannot load %s: %s", ext, err ? err : "?");
        sqlite3_free(err);
        sqlite3_close(db);
        return;
    }
    for (i = 0; i < n; i++)
        run_case(db, &cases[i]);
    if (sqlite3_close(db) != SQLITE_OK)
        vec_fail(&cases[0], "SQLite: the connection does not close: %s", sqlite3_errmsg(db));
}
