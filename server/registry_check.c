/*
** registry_check.c — `sarx registry check`: is the registry whole?
**
** SQLite's own checks (integrity_check: every page and index;
** foreign_key_check: no visit without its patient, no result without its
** visit or dictionary), then every visit read as the server reads it: a
** real date, inputs that are a JSON object, entered values that are JSON,
** and a stored result that decodes (the zstd frame's checksum), parses as
** a result document of the sarx version it is stamped with, and is stored
** with a readable definitions stamp and patient record.  Each problem is
** one line naming the visit and what is wrong; none is repaired.
*/
#include "registry_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct check_run {
    srv_check_fn report;
    void *ud;
    srv_check_counts *counts;
    int oom;
} check_run;

static void problem(check_run *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report one problem, whole (however long). */
static void problem(check_run *c, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    c->counts->problems++;
    if (n < 0 || !(s = malloc((size_t)n + 1))) {
        c->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    c->report(c->ud, s);
    free(s);
}

/* Rows of a PRAGMA that are problems (integrity_check: all but "ok"). */
static void sqlite_checks(check_run *c, sqlite3 *db)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        problem(c, "integrity_check cannot run: %s", sqlite3_errmsg(db));
    } else {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(st, 0);
            if (!m || strcmp(m, "ok") != 0)
                problem(c, "integrity_check: %s", m ? m : "(no message)");
        }
        if (rc != SQLITE_DONE)
            problem(c, "integrity_check stopped: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(db, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check", -1, &st, NULL) !=
        SQLITE_OK) {
        problem(c, "foreign_key_check cannot run: %s", sqlite3_errmsg(db));
        return;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        problem(c, "foreign_key_check: %s row %lld refers to a %s row that does not exist",
                (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                (const char *)sqlite3_column_text(st, 2));
    if (rc != SQLITE_DONE)
        problem(c, "foreign_key_check stopped: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

/* Is text a JSON value (of any kind, or an object when object is set)? */
static int json_text_ok(const char *text, int object, char *why, size_t n)
{
    json_error_t je;
    json_t *v;
    if (!text) {
        snprintf(why, n, "missing");
        return 0;
    }
    v = json_loads(text, JSON_DECODE_ANY, &je);
    if (!v) {
        snprintf(why, n, "not valid JSON (at byte %d: %s)", je.position, je.text);
        return 0;
    }
    if (object && !json_is_object(v)) {
        snprintf(why, n, "not a JSON object");
        json_decref(v);
        return 0;
    }
    json_decref(v);
    return 1;
}

static void check_visits(check_run *c, srv_registry *r, sqlite3 *db, int slot, srv__dicts *dicts)
{
    sqlite3_stmt *st;
    char sql[768], why[240];
    int rc;
    snprintf(sql, sizeof sql,
             "SELECT v.id, v.patient_id, v.date, v.inputs, a.id, a.format, a.result, a.dictionary_id, a.sarx_version,"
             " a.definitions, %s FROM visits v LEFT JOIN assessments a ON a.visit_id = v.id"
             " LEFT JOIN patients p ON p.id = v.patient_id ORDER BY v.id",
             r->schema >= 3 ? "a.patient" : "NULL");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        problem(c, "the visits cannot be read: %s", sqlite3_errmsg(db));
        return;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long vid = sqlite3_column_int64(st, 0), pid = sqlite3_column_int64(st, 1);
        const char *date = (const char *)sqlite3_column_text(st, 2);
        c->counts->visits++;
        if (!date || srv_date_days(date) == SRV_BAD_DATE)
            problem(c, "visit %lld (patient %lld): date \"%s\" is not a date", vid, pid, date ? date : "");
        if (!json_text_ok((const char *)sqlite3_column_text(st, 3), 1, why, sizeof why))
            problem(c, "visit %lld (patient %lld): inputs: %s", vid, pid, why);
        if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
            problem(c, "visit %lld (patient %lld): no stored result", vid, pid);
            continue;
        }
        c->counts->results++;
        if (srv__verify_result(db, r->zd[slot], dicts, (const char *)sqlite3_column_text(st, 5),
                               sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6),
                               sqlite3_column_int64(st, 7), (const char *)sqlite3_column_text(st, 8), 1, why,
                               sizeof why))
            problem(c, "visit %lld (patient %lld): stored result: %s", vid, pid, why);
        if (!json_text_ok((const char *)sqlite3_column_text(st, 9), 1, why, sizeof why))
            problem(c, "visit %lld (patient %lld): stored definitions stamp: %s", vid, pid, why);
        if (sqlite3_column_type(st, 10) != SQLITE_NULL &&
            !json_text_ok((const char *)sqlite3_column_text(st, 10), 1, why, sizeof why))
            problem(c, "visit %lld (patient %lld): stored patient record: %s", vid, pid, why);
    }
    if (rc != SQLITE_DONE)
        problem(c, "reading the visits stopped after %lld: %s", c->counts->visits, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT visit_id, field, entered_value FROM measurements ORDER BY visit_id, rowid", -1,
                           &st, NULL) != SQLITE_OK) {
        problem(c, "the measurements cannot be read: %s", sqlite3_errmsg(db));
        return;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!json_text_ok((const char *)sqlite3_column_text(st, 2), 0, why, sizeof why))
            problem(c, "visit %lld: measurement %s: entered value: %s", (long long)sqlite3_column_int64(st, 0),
                    sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "(no field)", why);
    if (rc != SQLITE_DONE)
        problem(c, "reading the measurements stopped: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

int srv_registry_check(srv_registry *r, srv_check_fn report, void *ud, srv_check_counts *counts, sarx_error *err)
{
    check_run c;
    srv__dicts dicts;
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    memset(counts, 0, sizeof *counts);
    memset(&dicts, 0, sizeof dicts);
    c.report = report;
    c.ud = ud;
    c.counts = counts;
    c.oom = 0;
    rc = srv__exec(db, "BEGIN", err);
    if (!rc) {
        counts->patients = srv__pragma_int(db, "SELECT count(*) FROM patients");
        if (counts->patients < 0) {
            problem(&c, "the patients cannot be read: %s", sqlite3_errmsg(db));
            counts->patients = 0;
        }
        sqlite_checks(&c, db);
        check_visits(&c, r, db, slot, &dicts);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    srv__dicts_free(&dicts);
    srv__release(r, slot);
    if (!rc && c.oom) {
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        rc = SRV_FAIL;
    }
    return rc;
}
