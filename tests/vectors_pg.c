/*
** vectors_pg.c — the vectors through the PostgreSQL extension, over libpq
** (tests/vectors --postgres CONNINFO FILE...; tests/pg/run.sh makes the
** database).  Per case, the subject is a query parameter:
**   - a case with "error:": sarx_check on the text and on the jsonb (when
**     PostgreSQL can parse the JSON at all) names the field, and
**     sarx_assess raises SQLSTATE 22023 with a message naming it;
**   - otherwise every check of the case on sarx_assess(subject::jsonb),
**     which is the JSON of `sarx assess --format json` (vec_check_line);
**   - every "expect:" through sarx_category / sarx_complete / sarx_missing
**     on the jsonb and on the text, and through sarx_results.
*/
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"

/* Run sql with the case's subject as $1 (and def as $2 when not NULL). */
static PGresult *run(PGconn *db, const char *sql, const vcase *c, const char *def)
{
    const char *params[2] = {c->in, def};
    return PQexecParams(db, sql, def ? 2 : 1, NULL, params, NULL, NULL, 0);
}

/* The message of a failed query, without its trailing newline. */
static const char *errtext(PGresult *r)
{
    static char buf[512];
    size_t n;
    snprintf(buf, sizeof buf, "%s", PQresultErrorMessage(r));
    n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return buf;
}

/* sarx_check(subject::TYPE) names the case's field. */
static void check_error_check(PGconn *db, const vcase *c, const char *type, int may_not_parse)
{
    char sql[128];
    PGresult *r;
    snprintf(sql, sizeof sql, "SELECT sarx_check($1::%s)", type);
    r = run(db, sql, c, NULL);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        /* PostgreSQL's own JSON parser refused the text before sarx saw it */
        if (!may_not_parse)
            vec_fail(c, "postgres: sarx_check(%s) failed: %s", type, errtext(r));
        PQclear(r);
        return;
    }
    if (PQgetisnull(r, 0, 0) || !strstr(PQgetvalue(r, 0, 0), c->err_field))
        vec_fail(c, "postgres: sarx_check(%s) should name %s, got %s", type, c->err_field,
                 PQgetisnull(r, 0, 0) ? "NULL" : PQgetvalue(r, 0, 0));
    else
        vec_pass();
    PQclear(r);
}

static void run_error_case(PGconn *db, const vcase *c)
{
    PGresult *r;
    check_error_check(db, c, "text", 0);
    check_error_check(db, c, "jsonb", strcmp(c->err_kind, "syntax") == 0);
    /* the scalar functions raise it: 22023, the message naming the field */
    r = run(db, "SELECT sarx_assess($1::text)", c, NULL);
    if (PQresultStatus(r) != PGRES_FATAL_ERROR)
        vec_fail(c, "postgres: sarx_assess should fail naming %s", c->err_field);
    else if (strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE), "22023") != 0 ||
             !strstr(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY), c->err_field))
        vec_fail(c, "postgres: expected 22023 naming %s, got %s %s", c->err_field,
                 PQresultErrorField(r, PG_DIAG_SQLSTATE), errtext(r));
    else
        vec_pass();
    PQclear(r);
}

/* One expectation through the scalar functions on subject::type. */
static void run_expect(PGconn *db, const vcase *c, const expect *x, const char *type)
{
    char sql[400];
    PGresult *r;
    snprintf(sql, sizeof sql,
             "SELECT sarx_category($1::%s, $2::sarx_definition), sarx_complete($1::%s, $2::sarx_definition), "
             "array_to_string(sarx_missing($1::%s, $2::sarx_definition), ',')",
             type, type, type);
    r = run(db, sql, c, x->def);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        vec_fail(c, "postgres: %s on %s failed: %s", x->def, type, errtext(r));
    } else {
        char buf[512];
        const char *miss[64];
        size_t n = 0;
        char *tok, *save = NULL;
        snprintf(buf, sizeof buf, "%s", PQgetvalue(r, 0, 2));
        for (tok = strtok_r(buf, ",", &save); tok && n < 64; tok = strtok_r(NULL, ",", &save))
            miss[n++] = tok;
        vec_check_result(c, x, PQgetvalue(r, 0, 0), strcmp(PQgetvalue(r, 0, 1), "t") == 0, miss, n);
    }
    PQclear(r);
}

/* The expectations through sarx_results (one query for the case). */
static void run_results(PGconn *db, const vcase *c)
{
    PGresult *r = run(db,
                      "SELECT definition::text, category, complete, array_to_string(missing, ',') "
                      "FROM sarx_results($1::jsonb)",
                      c, NULL);
    int i, row;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        vec_fail(c, "postgres: sarx_results failed: %s", errtext(r));
        PQclear(r);
        return;
    }
    for (i = 0; i < c->nx; i++) {
        for (row = 0; row < PQntuples(r) && strcmp(PQgetvalue(r, row, 0), c->x[i].def) != 0; row++)
            ;
        if (row == PQntuples(r)) {
            vec_check_result(c, &c->x[i], NULL, 0, NULL, 0);
        } else {
            char buf[512];
            const char *miss[64];
            size_t n = 0;
            char *tok, *save = NULL;
            snprintf(buf, sizeof buf, "%s", PQgetvalue(r, row, 3));
            for (tok = strtok_r(buf, ",", &save); tok && n < 64; tok = strtok_r(NULL, ",", &save))
                miss[n++] = tok;
            vec_check_result(c, &c->x[i], PQgetvalue(r, row, 1), strcmp(PQgetvalue(r, row, 2), "t") == 0, miss, n);
        }
    }
    PQclear(r);
}

void vec_run_pg(const char *conninfo, vcase *cases, int n)
{
    PGconn *db = PQconnectdb(conninfo);
    int i, k;
    if (PQstatus(db) != CONNECTION_OK) {
        if (n)
            vec_fail(&cases[0], "postgres: cannot connect (%s): %s", conninfo, PQerrorMessage(db));
        PQfinish(db);
        return;
    }
    for (i = 0; i < n; i++) {
        const vcase *c = &cases[i];
        PGresult *r;
        if (c->err_kind[0]) {
            run_error_case(db, c);
            continue;
        }
        r = run(db, "SELECT sarx_assess($1::jsonb)::text", c, NULL);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            vec_fail(c, "postgres: sarx_assess failed: %s", errtext(r));
        else
            vec_check_line(c, PQgetvalue(r, 0, 0));
        PQclear(r);
        for (k = 0; k < c->nx; k++) {
            run_expect(db, c, &c->x[k], "jsonb");
            run_expect(db, c, &c->x[k], "text");
        }
        if (c->nx)
            run_results(db, c);
    }
    PQfinish(db);
}
