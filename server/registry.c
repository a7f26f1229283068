/*
** registry.c — the patient registry: one SQLite file.
**
** Patients, their visits (the fields as entered, each measurement also in
** its canonical SI unit) and the assessment of each visit, stamped with the
** sarx version and every definition table's version.  The schema version is
** PRAGMA user_version; a newer file is refused, an older one migrated.
**
** Durability: WAL with synchronous=FULL, so a visit acknowledged to a client
** has reached the disk.  Writers are serialised in the process (one mutex),
** so they never wait in SQLite's busy handler; readers run beside them on
** their own connections (WAL snapshots).
*/
#include "server.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#define APPLICATION_ID 0x53415258 /* "SARX" */

static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;\n"
    "CREATE TABLE patients(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  external_id TEXT UNIQUE CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 64),\n"
    "  label TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 200),\n"
    "  sex TEXT CHECK (sex IN ('male', 'female')),\n"
    "  birth_date TEXT CHECK (birth_date IS NULL OR birth_date GLOB "
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),\n"
    "  population TEXT NOT NULL DEFAULT 'general' CHECK (population IN ('general', 'asian')),\n"
    "  created_at TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE visits(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,\n"
    "  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),\n"
    "  created_at TEXT NOT NULL,\n"
    "  inputs TEXT NOT NULL CHECK (json_valid(inputs))\n"
    ") STRICT;\n"
    "CREATE INDEX visits_by_patient ON visits(patient_id, date, id);\n"
    "CREATE TABLE measurements(\n"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,\n"
    "  field TEXT NOT NULL,\n"
    "  entered_name TEXT NOT NULL,\n"
    "  entered_value TEXT NOT NULL,\n"
    "  unit TEXT NOT NULL,\n"
    "  si_value REAL,\n"
    "  PRIMARY KEY (visit_id, field)\n"
    ") STRICT;\n"
    "CREATE TABLE assessments(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  visit_id INTEGER NOT NULL UNIQUE REFERENCES visits(id) ON DELETE CASCADE,\n"
    "  sarx_version TEXT NOT NULL,\n"
    "  definitions TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL,\n"
    "  result TEXT NOT NULL\n"
    ") STRICT;\n";

struct srv_registry {
    const sarx_ctx *ctx;
    sqlite3 **conn;
    int nconn, nfree;
    int *free_;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_mutex_t wlock; /* one writer at a time */
    char *defs_json;       /* {"ewgsop2": "1", ...} */
};

/* ---- connections ---- */

static sqlite3 *acquire(srv_registry *r, int *slot)
{
    pthread_mutex_lock(&r->mu);
    while (r->nfree == 0)
        pthread_cond_wait(&r->cv, &r->mu);
    *slot = r->free_[--r->nfree];
    pthread_mutex_unlock(&r->mu);
    return r->conn[*slot];
}

static void release(srv_registry *r, int slot)
{
    pthread_mutex_lock(&r->mu);
    r->free_[r->nfree++] = slot;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* Map a SQLite failure to a status with a message. */
static int fail(sqlite3 *db, int rc, sarx_error *err)
{
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        srv_error(err, SARX_EIO, "", "", "", "the registry is busy (locked for more than 5 s)");
        return SRV_BUSY;
    }
    if (ext == SQLITE_CONSTRAINT_UNIQUE) {
        srv_error(err, SARX_ECONFLICT, "external_id", "", "", "field \"external_id\": already used by another patient");
        return SRV_CONFLICT;
    }
    if (rc == SQLITE_NOMEM) {
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return SRV_FAIL;
    }
    srv_error(err, SARX_EIO, "", "", "", "registry: %s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    return SRV_FAIL;
}

static int exec(sqlite3 *db, const char *sql, sarx_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SRV_OK : fail(db, rc, err);
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, sarx_error *err)
{
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? SRV_OK : fail(db, rc, err);
}

static int setup(sqlite3 *db, char *msg, size_t n)
{
    static const char *const pragmas[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                                          "PRAGMA foreign_keys=ON"};
    size_t i;
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    for (i = 0; i < sizeof pragmas / sizeof *pragmas; i++)
        if (sqlite3_exec(db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(msg, n, "%s: %s", pragmas[i], sqlite3_errmsg(db));
            return -1;
        }
    return 0;
}

static long pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Create the schema or check the version (migrations go here, one step each). */
static int migrate(sqlite3 *db, char *msg, size_t n)
{
    long ver, app, tables;
    char sql[512], now[21];
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(msg, n, "cannot lock the registry: %s", sqlite3_errmsg(db));
        return -1;
    }
    ver = pragma_int(db, "PRAGMA user_version");
    app = pragma_int(db, "PRAGMA application_id");
    tables = pragma_int(db, "SELECT count(*) FROM sqlite_schema");
    if (ver < 0 || app < 0 || tables < 0) {
        snprintf(msg, n, "not a SQLite database: %s", sqlite3_errmsg(db));
        goto fail;
    }
    if (app != 0 && app != APPLICATION_ID) {
        snprintf(msg, n, "not a sarx registry (application_id %ld)", app);
        goto fail;
    }
    if (ver > SRV_SCHEMA_VERSION) {
        snprintf(msg, n, "the registry has schema version %ld; this sarx knows up to %d: upgrade sarx", ver,
                 SRV_SCHEMA_VERSION);
        goto fail;
    }
    if (ver == 0) {
        if (tables > 0) {
            snprintf(msg, n, "the file holds other tables: not a sarx registry");
            goto fail;
        }
        srv_now(now);
        snprintf(sql, sizeof sql,
                 "INSERT INTO meta VALUES ('created_by', 'sarx %s'), ('created_at', '%s');"
                 "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                 sarx_version(), now, APPLICATION_ID, SRV_SCHEMA_VERSION);
        if (sqlite3_exec(db, schema_v1, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(msg, n, "creating the schema: %s", sqlite3_errmsg(db));
            goto fail;
        }
    }
    /* Future: if (ver == 1) { ...ALTER...; PRAGMA user_version=2; } */
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(msg, n, "committing the schema: %s", sqlite3_errmsg(db));
        goto fail;
    }
    return 0;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static char *definitions_json(const sarx_ctx *ctx)
{
    json_t *o = json_object();
    size_t i;
    char *s;
    for (i = 0; o && i < sarx_definition_count(ctx); i++) {
        const sarx_definition *d = sarx_definition_at(ctx, i);
        json_object_set_new(o, sarx_definition_id(d), json_string(sarx_definition_version(d)));
    }
    s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

int srv_registry_open(const char *path, int nconn, const sarx_ctx *ctx, srv_registry **out, char *msg, size_t n)
{
    srv_registry *r;
    int i;
    *out = NULL;
    if (nconn < 1)
        nconn = 1;
    r = calloc(1, sizeof *r);
    if (!r || !(r->conn = calloc((size_t)nconn, sizeof *r->conn)) ||
        !(r->free_ = calloc((size_t)nconn, sizeof *r->free_)) || !(r->defs_json = definitions_json(ctx))) {
        snprintf(msg, n, "out of memory");
        goto fail;
    }
    r->ctx = ctx;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    pthread_mutex_init(&r->wlock, NULL);
    for (i = 0; i < nconn; i++) {
        int rc = sqlite3_open_v2(path, &r->conn[i], SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 NULL);
        r->nconn = i + 1;
        if (rc != SQLITE_OK) {
            snprintf(msg, n, "%s: %s", path, r->conn[i] ? sqlite3_errmsg(r->conn[i]) : sqlite3_errstr(rc));
            goto fail;
        }
        if (i == 0 && migrate(r->conn[0], msg, n))
            goto fail;
        if (setup(r->conn[i], msg, n))
            goto fail;
        r->free_[r->nfree++] = i;
    }
    *out = r;
    return 0;
fail:
    srv_registry_close(r);
    return -1;
}

void srv_registry_close(srv_registry *r)
{
    int i;
    if (!r)
        return;
    for (i = 0; i < r->nconn; i++)
        sqlite3_close_v2(r->conn[i]);
    if (r->conn) {
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->wlock);
    }
    free(r->conn);
    free(r->free_);
    free(r->defs_json);
    free(r);
}

/* ---- patients ---- */

static const char patient_cols[] =
    "SELECT p.id, p.external_id, p.label, p.sex, p.birth_date, p.population, p.created_at, p.updated_at,"
    " (SELECT count(*) FROM visits v WHERE v.patient_id = p.id),"
    " (SELECT max(date) FROM visits v WHERE v.patient_id = p.id) FROM patients p ";

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? json_string((const char *)t) : json_null();
}

static json_t *patient_row(sqlite3_stmt *st)
{
    static const char *const names[] = {"external_id", "label", "sex", "birth_date", "population",
                                        "created_at", "updated_at"};
    json_t *o = json_object();
    int c;
    if (!o)
        return NULL;
    json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
    for (c = 1; c <= 7; c++)
        json_object_set_new(o, names[c - 1], text_or_null(st, c));
    json_object_set_new(o, "visit_count", json_integer(sqlite3_column_int64(st, 8)));
    json_object_set_new(o, "last_visit_date", text_or_null(st, 9));
    return o;
}

/* One patient row by id through sql (one "?" for the id), built by row;
** SRV_NOTFOUND when there is none. */
static int patient_fetch(sqlite3 *db, const char *sql, long long id, json_t *(*row)(sqlite3_stmt *),
                         json_t **out, sarx_error *err)
{
    sqlite3_stmt *st;
    int rc;
    *out = NULL;
    if ((rc = prepare(db, sql, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = row(st);
        rc = *out ? SRV_OK : SRV_FAIL;
    } else if (rc == SQLITE_DONE) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", id);
        rc = SRV_NOTFOUND;
    } else {
        rc = fail(db, rc, err);
    }
    sqlite3_finalize(st);
    return rc;
}

static int patient_load(sqlite3 *db, long long id, json_t **out, sarx_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "%sWHERE p.id = ?", patient_cols);
    return patient_fetch(db, sql, id, patient_row, out, err);
}

/* Bind a patient field: the normalised text, NULL, or (population) the default. */
static void bind_field(sqlite3_stmt *st, int i, const char *key, const json_t *v)
{
    const char *s = json_string_value(v);
    if (!s) {
        if (!strcmp(key, "population"))
            sqlite3_bind_text(st, i, "general", -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, i);
        return;
    }
    if (!strcmp(key, "sex"))
        s = (s[0] == 'm' || s[0] == 'M') ? "male" : "female";
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int invalid(int code)
{
    return code == SARX_ENOMEM ? SRV_FAIL : SRV_INVALID;
}

int srv_patient_create(srv_registry *r, const json_t *body, json_t **out, sarx_error *err)
{
    static const char *const keys[] = {"external_id", "label", "sex", "birth_date", "population"};
    sqlite3_stmt *st = NULL;
    sqlite3 *db;
    char now[21];
    int slot, rc, i;
    *out = NULL;
    if ((rc = srv_patient_check(body, err)))
        return invalid(rc);
    srv_now(now);
    pthread_mutex_lock(&r->wlock);
    db = acquire(r, &slot);
    rc = prepare(db,
                 "INSERT INTO patients(external_id, label, sex, birth_date, population, created_at, updated_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?6)",
                 &st, err);
    if (!rc) {
        for (i = 0; i < 5; i++)
            bind_field(st, i + 1, keys[i], json_object_get(body, keys[i]));
        sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SRV_OK : fail(db, rc, err);
    }
    sqlite3_finalize(st);
    if (!rc)
        rc = patient_load(db, sqlite3_last_insert_rowid(db), out, err);
    release(r, slot);
    pthread_mutex_unlock(&r->wlock);
    return rc;
}

int srv_patient_get(srv_registry *r, long long id, json_t **out, sarx_error *err)
{
    int slot, rc;
    sqlite3 *db = acquire(r, &slot);
    rc = patient_load(db, id, out, err);
    release(r, slot);
    return rc;
}

int srv_patient_update(srv_registry *r, long long id, const json_t *body, json_t **out, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *db;
    char sql[256], now[21];
    const char *key;
    json_t *v;
    int slot, rc, i;
    *out = NULL;
    if ((rc = srv_patient_check(body, err)))
        return invalid(rc);
    /* The keys are checked against a fixed list above: safe to name in SQL. */
    snprintf(sql, sizeof sql, "UPDATE patients SET updated_at = ?");
    json_object_foreach((json_t *)body, key, v) {
        size_t len = strlen(sql);
        snprintf(sql + len, sizeof sql - len, ", %s = ?", key);
    }
    snprintf(sql + strlen(sql), sizeof sql - strlen(sql), " WHERE id = ?");
    srv_now(now);
    pthread_mutex_lock(&r->wlock);
    db = acquire(r, &slot);
    rc = prepare(db, sql, &st, err);
    if (!rc) {
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        i = 2;
        json_object_foreach((json_t *)body, key, v)
            bind_field(st, i++, key, v);
        sqlite3_bind_int64(st, i, id);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SRV_OK : fail(db, rc, err);
        if (!rc && sqlite3_changes(db) == 0) {
            srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", id);
            rc = SRV_NOTFOUND;
        }
    }
    sqlite3_finalize(st);
    if (!rc)
        rc = patient_load(db, id, out, err);
    release(r, slot);
    pthread_mutex_unlock(&r->wlock);
    return rc;
}

/* Run one statement binding (a, b) as int64 (b only if the SQL has two). */
static int run2(sqlite3 *db, const char *sql, long long a, long long b, sarx_error *err)
{
    sqlite3_stmt *st;
    int rc = prepare(db, sql, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) > 1)
        sqlite3_bind_int64(st, 2, b);
    rc = sqlite3_step(st);
    rc = rc == SQLITE_DONE ? SRV_OK : fail(db, rc, err);
    sqlite3_finalize(st);
    return rc;
}

int srv_patient_delete(srv_registry *r, long long id, sarx_error *err)
{
    int slot, rc;
    sqlite3 *db;
    pthread_mutex_lock(&r->wlock);
    db = acquire(r, &slot);
    rc = run2(db, "DELETE FROM patients WHERE id = ?", id, 0, err);
    if (!rc && sqlite3_changes(db) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", id);
        rc = SRV_NOTFOUND;
    }
    release(r, slot);
    pthread_mutex_unlock(&r->wlock);
    return rc;
}

int srv_patient_list(srv_registry *r, const char *q, long limit, long offset, json_t **out, sarx_error *err)
{
    sqlite3_stmt *st = NULL, *ct = NULL;
    sqlite3 *db;
    char sql[640], pat[160];
    const char *where = q && *q ? "WHERE p.label LIKE ?1 ESCAPE '\\' OR p.external_id LIKE ?1 ESCAPE '\\' " : "";
    json_t *list = json_array();
    int slot, rc;
    size_t k = 0;
    *out = NULL;
    if (!list)
        return SRV_FAIL;
    if (q && *q) { /* %q% with LIKE's own characters escaped */
        pat[k++] = '%';
        for (; *q && k < sizeof pat - 4; q++) {
            if (*q == '%' || *q == '_' || *q == '\\')
                pat[k++] = '\\';
            pat[k++] = *q;
        }
        pat[k++] = '%';
        pat[k] = 0;
    }
    db = acquire(r, &slot);
    snprintf(sql, sizeof sql, "%s%sORDER BY p.id DESC LIMIT ?2 OFFSET ?3", patient_cols, where);
    rc = prepare(db, sql, &st, err);
    if (!rc) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM patients p %s", where);
        rc = prepare(db, sql, &ct, err);
    }
    if (!rc) {
        if (k) {
            sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
            sqlite3_bind_text(ct, 1, pat, -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(st, 2, limit);
        sqlite3_bind_int64(st, 3, offset);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            json_array_append_new(list, patient_row(st));
        rc = rc == SQLITE_DONE ? SRV_OK : fail(db, rc, err);
    }
    if (!rc) {
        rc = sqlite3_step(ct);
        if (rc == SQLITE_ROW) {
            *out = json_pack("{s:o,s:I}", "patients", list, "total", (json_int_t)sqlite3_column_int64(ct, 0));
            list = NULL;
            rc = *out ? SRV_OK : SRV_FAIL;
        } else {
            rc = fail(db, rc, err);
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ct);
    release(r, slot);
    json_decref(list);
    return rc;
}

/* ---- visits ---- */

/* The patient's weights dated in [from, before) (NULL: no bound), oldest
** first, one per date (the last visit entered on a date); *n receives the
** count. */
/* Append a weight to a history sorted by date, visits of one date in the
** order entered: several visits on one date, the last one counts.  0 when
** out of memory. */
static int weight_push(srv_weight **w, size_t *n, size_t *cap, const char *date, double kg)
{
    if (*n && strcmp((*w)[*n - 1].date, date) == 0) {
        (*w)[*n - 1].kg = kg;
        return 1;
    }
    if (*n == *cap) {
        srv_weight *nw = realloc(*w, (*cap = *cap ? 2 * *cap : 8) * sizeof **w);
        if (!nw)
            return 0;
        *w = nw;
    }
    snprintf((*w)[*n].date, sizeof (*w)[*n].date, "%s", date);
    (*w)[(*n)++].kg = kg;
    return 1;
}

static int weights_between(sqlite3 *db, long long pid, const char *from, const char *before, srv_weight **out,
                           size_t *n, sarx_error *err)
{
    sqlite3_stmt *st;
    srv_weight *w = NULL;
    size_t cap = 0;
    int rc = prepare(db,
                     "SELECT v.date, m.si_value FROM visits v JOIN measurements m"
                     " ON m.visit_id = v.id AND m.field = 'weight_kg'"
                     " WHERE v.patient_id = ?1 AND (?2 IS NULL OR v.date < ?2) AND (?3 IS NULL OR v.date >= ?3)"
                     " AND m.si_value IS NOT NULL"
                     " ORDER BY v.date, v.id",
                     &st, err);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, pid);
    if (before)
        sqlite3_bind_text(st, 2, before, -1, SQLITE_STATIC);
    if (from)
        sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *d = sqlite3_column_text(st, 0);
        if (!weight_push(&w, n, &cap, d ? (const char *)d : "", sqlite3_column_double(st, 1))) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    rc = rc == SQLITE_DONE ? SRV_OK : fail(db, rc, err);
    sqlite3_finalize(st);
    if (rc) {
        free(w);
        *n = 0;
    } else {
        *out = w;
    }
    return rc;
}

/* A measurement's value in SI: numbers, integers and booleans; NaN otherwise. */
static double si_value(const sarx_subject *s, const sarx_field_info *f)
{
    if (f->kind != SARX_KIND_NUMBER && f->kind != SARX_KIND_INTEGER && f->kind != SARX_KIND_BOOL)
        return NAN;
    return sarx_subject_get(s, f->canonical);
}

/* Insert the measurements of a visit and return them as JSON. */
static int insert_measurements(sqlite3 *db, long long vid, const json_t *inputs, const sarx_subject *s,
                               json_t *list, sarx_error *err)
{
    sqlite3_stmt *st;
    const char *key;
    json_t *v;
    int rc = prepare(db, "INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    json_object_foreach((json_t *)inputs, key, v) {
        const sarx_field_info *f = sarx_field_find(key);
        char *val;
        double si;
        if (!f || !strcmp(key, "assessment_date"))
            continue;
        val = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (!val) {
            rc = fail(db, SQLITE_NOMEM, err);
            break;
        }
        si = si_value(s, f);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_text(st, 2, f->canonical, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, val, -1, free);
        sqlite3_bind_text(st, 5, f->unit, -1, SQLITE_STATIC);
        if (isnan(si))
            sqlite3_bind_null(st, 6);
        else
            sqlite3_bind_double(st, 6, si);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) {
            rc = fail(db, rc, err);
            break;
        }
        rc = SRV_OK;
        json_array_append_new(list, json_pack("{s:s,s:s,s:O,s:s,s:o}", "field", f->canonical, "entered_name", key,
                                              "entered_value", v, "unit", f->unit, "si_value",
                                              isnan(si) ? json_null() : json_real(si)));
    }
    sqlite3_finalize(st);
    return rc;
}

/* {"visit": V, "assessment": <raw result>, "stamp": S} as text. */
static char *visit_document(json_t *visit, const char *result, json_t *stamp)
{
    char *v = json_dumps(visit, JSON_COMPACT | JSON_REAL_PRECISION(17));
    char *s = json_dumps(stamp, JSON_COMPACT);
    char *out = NULL;
    if (v && s) {
        size_t n = strlen(v) + strlen(result) + strlen(s) + 48;
        out = malloc(n);
        if (out)
            snprintf(out, n, "{\"visit\":%s,\"assessment\":%s,\"stamp\":%s}", v, result, s);
    }
    free(v);
    free(s);
    return out;
}

static json_t *stamp_json(long long aid, const char *version, const char *created, const char *defs)
{
    json_t *d = json_loads(defs, 0, NULL);
    return json_pack("{s:I,s:s,s:s,s:o}", "assessment_id", (json_int_t)aid, "sarx_version", version, "created_at",
                     created, "definitions", d ? d : json_object());
}

/* What a visit's subject needs of the patient: id, external_id, sex,
** birth_date, population (cheaper than patient_load: no visit counts). */
static json_t *core_row(sqlite3_stmt *st)
{
    return json_pack("{s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "external_id",
                     text_or_null(st, 1), "sex", text_or_null(st, 2), "birth_date", text_or_null(st, 3),
                     "population", text_or_null(st, 4));
}

static int patient_core(sqlite3 *db, long long id, json_t **out, sarx_error *err)
{
    return patient_fetch(db, "SELECT id, external_id, sex, birth_date, population FROM patients WHERE id = ?", id,
                         core_row, out, err);
}

/* The patient and the 12 months of weights before the visit. */
static int visit_context(sqlite3 *db, long long pid, const char *date, json_t **patient, srv_weight **hist,
                         size_t *nhist, sarx_error *err)
{
    char from[11];
    int rc;
    srv_date_minus_months(date, SRV_HISTORY_MONTHS, from);
    rc = patient_core(db, pid, patient, err);
    if (!rc)
        rc = weights_between(db, pid, from, date, hist, nhist, err);
    return rc;
}

static int same_history(const srv_weight *a, size_t na, const srv_weight *b, size_t nb)
{
    size_t i;
    if (na != nb)
        return 0;
    for (i = 0; i < na; i++)
        if (strcmp(a[i].date, b[i].date) != 0 || a[i].kg != b[i].kg)
            return 0;
    return 1;
}

/* The subject and its assessment (result JSON) for a visit in its context. */
static int visit_assess(const srv_registry *r, const json_t *patient, const json_t *inputs, const srv_weight *hist,
                        size_t nhist, sarx_subject *s, char date[11], char **result, sarx_error *err)
{
    sarx_assessment *a = NULL;
    int rc = srv_visit_subject(patient, inputs, hist, nhist, s, date, NULL, err);
    *result = NULL;
    if (rc)
        return invalid(rc);
    if (sarx_assess(r->ctx, s, &a, err) || !(*result = sarx_assessment_json(a, 0)))
        rc = SRV_FAIL;
    sarx_assessment_free(a);
    return rc;
}

int srv_visit_add(srv_registry *r, long long pid, const json_t *inputs, char **out, long long *vid_out,
                  sarx_error *err)
{
    sarx_subject *s = NULL;
    srv_weight *hist = NULL, *hist2 = NULL;
    size_t nhist = 0, nhist2 = 0;
    json_t *patient = NULL, *patient2 = NULL, *visit = NULL, *meas = NULL, *stamp = NULL;
    sqlite3_stmt *st = NULL;
    sqlite3 *db;
    char date[11], now[21], *result = NULL, *text = NULL;
    long long vid = 0, aid = 0;
    int slot, rc, locked = 0;

    *out = NULL;
    if (sarx_subject_new(&s)) {
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return SRV_FAIL;
    }
    srv_now(now);
    srv_visit_date(inputs, date);
    db = acquire(r, &slot);
    /* The assessment is computed outside the write lock, from a snapshot;
    ** under the lock the snapshot is checked and, if another write changed
    ** the patient or the history meanwhile, the assessment is redone. */
    rc = exec(db, "BEGIN", err);
    if (!rc) {
        rc = visit_context(db, pid, date, &patient, &hist, &nhist, err);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    if (!rc)
        rc = visit_assess(r, patient, inputs, hist, nhist, s, date, &result, err);
    if (rc)
        goto out;
    pthread_mutex_lock(&r->wlock);
    locked = 1;
    if ((rc = exec(db, "BEGIN IMMEDIATE", err)))
        goto out;
    if ((rc = visit_context(db, pid, date, &patient2, &hist2, &nhist2, err)))
        goto rollback;
    if (!json_equal(patient, patient2) || !same_history(hist, nhist, hist2, nhist2)) {
        sarx_free(result);
        if ((rc = visit_assess(r, patient2, inputs, hist2, nhist2, s, date, &result, err)))
            goto rollback;
    }
    text = json_dumps(inputs, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (!text || (rc = prepare(db, "INSERT INTO visits(patient_id, date, created_at, inputs) VALUES (?, ?, ?, ?)",
                               &st, err))) {
        rc = text ? rc : fail(db, SQLITE_NOMEM, err);
        goto rollback;
    }
    sqlite3_bind_int64(st, 1, pid);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) {
        rc = fail(db, rc, err);
        goto rollback;
    }
    vid = sqlite3_last_insert_rowid(db);
    meas = json_array();
    if ((rc = insert_measurements(db, vid, inputs, s, meas, err)))
        goto rollback;
    if ((rc = prepare(db,
                      "INSERT INTO assessments(visit_id, sarx_version, definitions, created_at, result)"
                      " VALUES (?, ?, ?, ?, ?)",
                      &st, err)))
        goto rollback;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, sarx_version(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->defs_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, result, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = fail(db, rc, err);
        goto rollback;
    }
    aid = sqlite3_last_insert_rowid(db);
    if ((rc = exec(db, "COMMIT", err)))
        goto rollback;
    visit = json_pack("{s:I,s:I,s:s,s:s,s:O,s:o}", "id", (json_int_t)vid, "patient_id", (json_int_t)pid, "date",
                      date, "created_at", now, "inputs", inputs, "measurements", meas);
    meas = NULL;
    stamp = stamp_json(aid, sarx_version(), now, r->defs_json);
    *out = visit && stamp ? visit_document(visit, result, stamp) : NULL;
    *vid_out = vid;
    rc = *out ? SRV_OK : fail(NULL, SQLITE_NOMEM, err);
    goto out;
rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
    if (locked)
        pthread_mutex_unlock(&r->wlock);
    release(r, slot);
    json_decref(patient);
    json_decref(patient2);
    json_decref(visit);
    json_decref(meas);
    json_decref(stamp);
    free(hist);
    free(hist2);
    free(text);
    sarx_free(result);
    sarx_subject_free(s);
    return rc;
}

/* One visit row (id, date, created_at, inputs) with its measurements. */
static json_t *visit_json(sqlite3 *db, sqlite3_stmt *vs, long long pid, sarx_error *err, int *rc)
{
    sqlite3_stmt *ms;
    long long vid = sqlite3_column_int64(vs, 0);
    json_t *inputs = json_loads((const char *)sqlite3_column_text(vs, 3), 0, NULL);
    json_t *meas = json_array();
    json_t *v;
    if ((*rc = prepare(db,
                       "SELECT field, entered_name, entered_value, unit, si_value FROM measurements"
                       " WHERE visit_id = ? ORDER BY rowid",
                       &ms, err))) {
        json_decref(inputs);
        json_decref(meas);
        return NULL;
    }
    sqlite3_bind_int64(ms, 1, vid);
    while (sqlite3_step(ms) == SQLITE_ROW) {
        json_t *ev = json_loads((const char *)sqlite3_column_text(ms, 2), JSON_DECODE_ANY, NULL);
        json_array_append_new(
            meas, json_pack("{s:s,s:s,s:o,s:s,s:o}", "field", sqlite3_column_text(ms, 0), "entered_name",
                            sqlite3_column_text(ms, 1), "entered_value", ev ? ev : json_null(), "unit",
                            sqlite3_column_text(ms, 3),
                            "si_value",
                            sqlite3_column_type(ms, 4) == SQLITE_NULL ? json_null()
                                                                      : json_real(sqlite3_column_double(ms, 4))));
    }
    sqlite3_finalize(ms);
    v = json_pack("{s:I,s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)vid, "patient_id", (json_int_t)pid, "date",
                  sqlite3_column_text(vs, 1), "created_at", sqlite3_column_text(vs, 2), "inputs",
                  inputs ? inputs : json_object(), "measurements", meas);
    *rc = v ? SRV_OK : SRV_FAIL;
    return v;
}

/* Every visit of a patient, oldest first: a read transaction on db. */
static int visits_load(sqlite3 *db, long long pid, json_t **out, sarx_error *err)
{
    sqlite3_stmt *vs;
    json_t *list = json_array();
    int rc = prepare(db, "SELECT id, date, created_at, inputs FROM visits WHERE patient_id = ? ORDER BY date, id",
                     &vs, err);
    *out = NULL;
    if (rc) {
        json_decref(list);
        return rc;
    }
    sqlite3_bind_int64(vs, 1, pid);
    while ((rc = sqlite3_step(vs)) == SQLITE_ROW) {
        int vrc;
        json_t *v = visit_json(db, vs, pid, err, &vrc);
        if (!v) {
            rc = vrc ? vrc : SRV_FAIL;
            break;
        }
        json_array_append_new(list, v);
    }
    rc = rc == SQLITE_DONE ? SRV_OK : rc >= 100 ? fail(db, rc, err) : rc;
    sqlite3_finalize(vs);
    if (rc)
        json_decref(list);
    else
        *out = list;
    return rc;
}

int srv_visit_list(srv_registry *r, long long pid, json_t **out, sarx_error *err)
{
    json_t *p = NULL, *list = NULL;
    int slot, rc;
    sqlite3 *db = acquire(r, &slot);
    *out = NULL;
    rc = exec(db, "BEGIN", err);
    if (!rc && !(rc = patient_load(db, pid, &p, err)) && !(rc = visits_load(db, pid, &list, err)))
        *out = json_pack("{s:o}", "visits", list);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    release(r, slot);
    json_decref(p);
    return rc;
}

int srv_visit_get(srv_registry *r, long long pid, long long vid, char **out, sarx_error *err)
{
    sqlite3_stmt *vs = NULL, *as = NULL;
    json_t *visit = NULL, *stamp = NULL;
    int slot, rc;
    sqlite3 *db = acquire(r, &slot);
    *out = NULL;
    rc = exec(db, "BEGIN", err);
    if (!rc)
        rc = prepare(db, "SELECT id, date, created_at, inputs FROM visits WHERE id = ? AND patient_id = ?", &vs, err);
    if (!rc)
        rc = prepare(db,
                     "SELECT id, sarx_version, created_at, definitions, result FROM assessments WHERE visit_id = ?",
                     &as, err);
    if (!rc) {
        sqlite3_bind_int64(vs, 1, vid);
        sqlite3_bind_int64(vs, 2, pid);
        rc = sqlite3_step(vs);
        if (rc == SQLITE_ROW) {
            visit = visit_json(db, vs, pid, err, &rc);
        } else if (rc == SQLITE_DONE) {
            srv_error(err, SARX_ENOTFOUND, "", "", "", "no visit %lld of patient %lld", vid, pid);
            rc = SRV_NOTFOUND;
        } else {
            rc = fail(db, rc, err);
        }
    }
    if (!rc) {
        sqlite3_bind_int64(as, 1, vid);
        if (sqlite3_step(as) == SQLITE_ROW) {
            stamp = stamp_json(sqlite3_column_int64(as, 0), (const char *)sqlite3_column_text(as, 1),
                               (const char *)sqlite3_column_text(as, 2), (const char *)sqlite3_column_text(as, 3));
            *out = visit_document(visit, (const char *)sqlite3_column_text(as, 4), stamp);
        } else {
            stamp = json_null();
            *out = visit_document(visit, "null", stamp);
        }
        rc = *out ? SRV_OK : SRV_FAIL;
    }
    sqlite3_finalize(vs);
    sqlite3_finalize(as);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    release(r, slot);
    json_decref(visit);
    json_decref(stamp);
    return rc;
}

int srv_visit_delete(srv_registry *r, long long pid, long long vid, sarx_error *err)
{
    int slot, rc;
    sqlite3 *db;
    pthread_mutex_lock(&r->wlock);
    db = acquire(r, &slot);
    rc = run2(db, "DELETE FROM visits WHERE id = ? AND patient_id = ?", vid, pid, err);
    if (!rc && sqlite3_changes(db) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no visit %lld of patient %lld", vid, pid);
        rc = SRV_NOTFOUND;
    }
    release(r, slot);
    pthread_mutex_unlock(&r->wlock);
    return rc;
}

/* ---- timeline, plot, exports: every visit re-assessed from the history ---- */

/* The SI weight of a visit (its weight_kg measurement), or NULL. */
static const json_t *visit_weight(const json_t *v)
{
    const json_t *ms = json_object_get(v, "measurements"), *m;
    size_t i;
    json_array_foreach(ms, i, m) {
        if (!strcmp(json_string_value(json_object_get(m, "field")), "weight_kg"))
            return json_object_get(m, "si_value");
    }
    return NULL;
}

/* Called for each visit of a patient with its subject and assessment. */
typedef int (*visit_fn)(void *ud, const json_t *patient, const json_t *visit, const json_t *merged,
                        const sarx_subject *s, const sarx_assessment *a, const sarx_error *err);

/* Re-assess every visit of a patient (read transaction on db). */
static int each_visit(const srv_registry *r, sqlite3 *db, const json_t *patient, unsigned flags, visit_fn fn,
                      void *ud, sarx_error *err)
{
    long long pid = json_integer_value(json_object_get(patient, "id"));
    json_t *visits = NULL;
    srv_weight *w = NULL;
    sarx_subject *s = NULL;
    size_t i, k, nw = 0, cap = 0;
    int rc = visits_load(db, pid, &visits, err);
    /* the history: the weights of the visits just loaded (oldest first) */
    for (i = 0; !rc && i < json_array_size(visits); i++) {
        const json_t *v = json_array_get(visits, i), *kg = visit_weight(v);
        if (json_is_number(kg) &&
            !weight_push(&w, &nw, &cap, json_string_value(json_object_get(v, "date")), json_number_value(kg)))
            rc = fail(NULL, SQLITE_NOMEM, err);
    }
    if (!rc && sarx_subject_new(&s))
        rc = SRV_FAIL;
    for (i = 0; !rc && i < json_array_size(visits); i++) {
        json_t *v = json_array_get(visits, i), *merged = NULL;
        const char *date = json_string_value(json_object_get(v, "date"));
        sarx_assessment *a = NULL;
        sarx_error verr;
        char d[11], from[11];
        size_t lo;
        srv_date_minus_months(date, SRV_HISTORY_MONTHS, from);
        for (lo = 0; lo < nw && strcmp(w[lo].date, from) < 0; lo++)
            ;
        for (k = lo; k < nw && strcmp(w[k].date, date) < 0; k++)
            ;
        if (srv_visit_subject(patient, json_object_get(v, "inputs"), w + lo, k - lo, s, d, &merged, &verr) == 0 &&
            sarx_assess_ex(r->ctx, s, flags, &a, &verr) == 0)
            rc = fn(ud, patient, v, merged, s, a, NULL);
        else
            rc = fn(ud, patient, v, merged, s, NULL, &verr);
        sarx_assessment_free(a);
        json_decref(merged);
    }
    sarx_subject_free(s);
    json_decref(visits);
    free(w);
    return rc;
}

static json_t *number_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static int timeline_visit(void *ud, const json_t *patient, const json_t *v, const json_t *merged,
                          const sarx_subject *s, const sarx_assessment *a, const sarx_error *verr)
{
    json_t *list = ud, *e, *res;
    size_t i;
    const json_t *w = visit_weight(v);
    (void)patient;
    (void)merged;
    (void)s;
    e = json_pack("{s:O,s:O,s:O}", "visit_id", json_object_get(v, "id"), "date", json_object_get(v, "date"),
                  "weight_kg", w ? w : json_null());
    if (!e)
        return SRV_FAIL;
    if (!a) {
        char *t = sarx_error_json(verr);
        json_t *ej = t ? json_loads(t, 0, NULL) : NULL;
        sarx_free(t);
        json_object_set(e, "error", ej ? json_object_get(ej, "error") : json_null());
        json_decref(ej);
        return json_array_append_new(list, e) ? SRV_FAIL : SRV_OK;
    }
    json_object_set_new(e, "weight_loss_pct_6m", number_or_null(sarx_assessment_derived(a, "weight_loss_pct_6m")));
    json_object_set_new(e, "weight_loss_pct_12m",
                        number_or_null(sarx_assessment_derived(a, "weight_loss_pct_12m")));
    res = json_object();
    for (i = 0; res && i < sarx_assessment_result_count(a); i++) {
        const sarx_result *x = sarx_assessment_result(a, i);
        const sarx_definition *d = sarx_result_definition(x);
        const char *cat = sarx_result_category(x);
        size_t c, pos = 0;
        for (c = 0; c < sarx_definition_category_count(d); c++)
            if (!strcmp(sarx_definition_category(d, c), cat))
                pos = (size_t)sarx_definition_category_positive(d, c);
        json_object_set_new(res, sarx_definition_id(d),
                            json_pack("{s:s,s:b,s:b}", "category", cat, "complete", sarx_result_complete(x),
                                      "positive", (int)pos));
    }
    json_object_set_new(e, "results", res);
    return json_array_append_new(list, e) ? SRV_FAIL : SRV_OK;
}

int srv_timeline(srv_registry *r, long long pid, json_t **out, sarx_error *err)
{
    json_t *patient = NULL, *visits = json_array(), *defs = json_array();
    size_t i;
    int slot, rc;
    sqlite3 *db = acquire(r, &slot);
    *out = NULL;
    rc = exec(db, "BEGIN", err);
    if (!rc && !(rc = patient_load(db, pid, &patient, err)))
        rc = each_visit(r, db, patient, SARX_ASSESS_NO_GUIDANCE, timeline_visit, visits, err);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    release(r, slot);
    for (i = 0; !rc && defs && i < sarx_definition_count(r->ctx); i++) {
        const sarx_definition *d = sarx_definition_at(r->ctx, i);
        json_array_append_new(defs, json_pack("{s:s,s:s,s:s}", "id", sarx_definition_id(d), "title",
                                              sarx_definition_title(d), "kind", sarx_definition_kind(d)));
    }
    if (!rc) {
        *out = json_pack("{s:O,s:s,s:O,s:O}", "patient", patient, "sarx_version", sarx_version(), "definitions",
                         defs, "visits", visits);
        rc = *out ? SRV_OK : SRV_FAIL;
    }
    json_decref(patient);
    json_decref(visits);
    json_decref(defs);
    return rc;
}

int srv_weight_svg(srv_registry *r, long long pid, char **out, sarx_error *err)
{
    json_t *patient = NULL;
    srv_weight *w = NULL;
    size_t nw = 0;
    int slot, rc;
    sqlite3 *db = acquire(r, &slot);
    *out = NULL;
    rc = exec(db, "BEGIN", err);
    if (!rc && !(rc = patient_load(db, pid, &patient, err)))
        rc = weights_between(db, pid, NULL, NULL, &w, &nw, err);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    release(r, slot);
    if (!rc) {
        const char *label = json_string_value(json_object_get(patient, "label"));
        char title[256];
        snprintf(title, sizeof title, "Weight, %s", label ? label : "patient");
        *out = srv_weight_plot(w, nw, title);
        rc = *out ? SRV_OK : SRV_FAIL;
    }
    json_decref(patient);
    free(w);
    return rc;
}

/* ---- exports ---- */

typedef struct export_rows {
    json_t *rows;    /* [{"id", "patient_id", "visit_id", "cells": {field: text}}] */
    json_t *columns; /* field -> true, for the fields any row has */
} export_rows;

/* The text form of one value for a CSV cell, as the cohort reader takes it. */
static json_t *cell(const sarx_field_info *f, const json_t *v, double si)
{
    char buf[64];
    if (f->kind == SARX_KIND_NUMBER || f->kind == SARX_KIND_INTEGER) {
        if (isnan(si))
            return NULL;
        snprintf(buf, sizeof buf, "%.10g", si);
        return json_string(buf);
    }
    if (json_is_boolean(v))
        return json_string(json_is_true(v) ? "true" : "false");
    if (json_is_string(v))
        return json_string(json_string_value(v));
    if (json_is_array(v)) {
        size_t i, n = 0;
        char out[1024] = "";
        for (i = 0; i < json_array_size(v); i++) {
            const char *item = json_string_value(json_array_get(v, i));
            if (item)
                n += (size_t)snprintf(out + (n < sizeof out ? n : sizeof out - 1),
                                      n < sizeof out ? sizeof out - n : 1, "%s%s", i ? ";" : "", item);
        }
        return json_string(out);
    }
    return NULL;
}

static int export_visit(void *ud, const json_t *patient, const json_t *v, const json_t *merged,
                        const sarx_subject *s, const sarx_assessment *a, const sarx_error *verr)
{
    export_rows *x = ud;
    json_t *cells = json_object(), *row;
    const char *key;
    json_t *val;
    char id[64];
    static const char *const windows[] = {"weight_loss_pct_6m", "weight_loss_pct_12m"};
    size_t i;
    (void)verr;
    if (!a || !merged) { /* a visit the current patient record contradicts: left out */
        json_decref(cells);
        return SRV_OK;
    }
    json_object_foreach((json_t *)merged, key, val) {
        const sarx_field_info *f = sarx_field_find(key);
        json_t *c;
        if (!f || !strcmp(key, "id") || !strcmp(key, "weight_history") || !strncmp(key, "weight_loss_pct", 15))
            continue;
        /* numbers in the canonical unit, converted by the library */
        c = cell(f, val, sarx_subject_get(s, f->canonical));
        if (c) {
            json_object_set_new(cells, f->canonical, c);
            json_object_set_new(x->columns, f->canonical, json_true());
        }
    }
    for (i = 0; i < 2; i++) {
        double w = sarx_assessment_derived(a, windows[i]);
        char buf[32];
        if (!isnan(w)) {
            snprintf(buf, sizeof buf, "%.10g", w);
            json_object_set_new(cells, windows[i], json_string(buf));
        }
    }
    snprintf(id, sizeof id, "%lld-%lld", (long long)json_integer_value(json_object_get(patient, "id")),
             (long long)json_integer_value(json_object_get(v, "id")));
    row = json_pack("{s:s,s:O,s:O,s:o}", "id", id, "patient_id", json_object_get(patient, "id"), "visit_id",
                    json_object_get(v, "id"), "cells", cells);
    return row && !json_array_append_new(x->rows, row) ? SRV_OK : SRV_FAIL;
}

/* Every patient id (pid < 0) or just pid. */
static int patient_ids(sqlite3 *db, long long pid, json_t **out, sarx_error *err)
{
    sqlite3_stmt *st;
    json_t *ids = json_array();
    int rc = prepare(db, "SELECT id FROM patients WHERE ?1 < 0 OR id = ?1 ORDER BY id", &st, err);
    *out = NULL;
    if (rc) {
        json_decref(ids);
        return rc;
    }
    sqlite3_bind_int64(st, 1, pid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
    rc = rc == SQLITE_DONE ? SRV_OK : fail(db, rc, err);
    sqlite3_finalize(st);
    if (!rc && pid >= 0 && json_array_size(ids) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", pid);
        rc = SRV_NOTFOUND;
    }
    if (rc)
        json_decref(ids);
    else
        *out = ids;
    return rc;
}

static void put_cell(FILE *f, const char *s, int first)
{
    size_t need = sarx_csv_quote(NULL, 0, s, strlen(s), ',');
    char small[256], *buf = need < sizeof small ? small : malloc(need + 1);
    if (!first)
        fputc(',', f);
    if (buf) {
        size_t n = sarx_csv_quote(buf, need + 1, s, strlen(s), ',');
        fwrite(buf, 1, n, f);
    }
    if (buf != small)
        free(buf);
}

int srv_export_csv(srv_registry *r, long long pid, char **out, size_t *len, sarx_error *err)
{
    export_rows x;
    json_t *ids = NULL;
    FILE *f;
    size_t i, k;
    int slot, rc;
    sqlite3 *db = acquire(r, &slot);
    *out = NULL;
    *len = 0;
    x.rows = json_array();
    x.columns = json_object();
    rc = exec(db, "BEGIN", err);
    if (!rc)
        rc = patient_ids(db, pid, &ids, err);
    for (i = 0; !rc && i < json_array_size(ids); i++) {
        json_t *p = NULL;
        rc = patient_load(db, json_integer_value(json_array_get(ids, i)), &p, err);
        if (!rc)
            rc = each_visit(r, db, p, SARX_ASSESS_NO_GUIDANCE, export_visit, &x, err);
        json_decref(p);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    release(r, slot);
    if (!rc && !(f = open_memstream(out, len)))
        rc = SRV_FAIL;
    if (!rc) {
        /* Columns in the order of spec/io.md's field table. */
        static const char *const tail[] = {"weight_loss_pct_6m", "weight_loss_pct_12m"};
        const char *cols[128];
        size_t nc = 0;
        for (k = 0; k < sarx_field_count() && nc < 126; k++) {
            const sarx_field_info *fi = sarx_field_at(k);
            if (!strcmp(fi->name, fi->canonical) && json_object_get(x.columns, fi->name))
                cols[nc++] = fi->name;
        }
        cols[nc++] = tail[0];
        cols[nc++] = tail[1];
        fputs("id,patient_id,visit_id", f);
        for (k = 0; k < nc; k++)
            put_cell(f, cols[k], 0);
        fputc('\n', f);
        for (i = 0; i < json_array_size(x.rows); i++) {
            json_t *row = json_array_get(x.rows, i), *cells = json_object_get(row, "cells");
            fprintf(f, "%s,%lld,%lld", json_string_value(json_object_get(row, "id")),
                    (long long)json_integer_value(json_object_get(row, "patient_id")),
                    (long long)json_integer_value(json_object_get(row, "visit_id")));
            for (k = 0; k < nc; k++) {
                const char *s = json_string_value(json_object_get(cells, cols[k]));
                put_cell(f, s ? s : "", 0);
            }
            fputc('\n', f);
        }
        if (fclose(f)) {
            free(*out);
            *out = NULL;
            rc = SRV_FAIL;
        }
    }
    if (rc == SRV_FAIL && !err->message[0])
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
    json_decref(ids);
    json_decref(x.rows);
    json_decref(x.columns);
    return rc;
}

int srv_export_json(srv_registry *r, json_t **out, sarx_error *err)
{
    json_t *ids = NULL, *patients = json_array();
    char now[21];
    size_t i;
    int slot, rc;
    sqlite3 *db = acquire(r, &slot);
    *out = NULL;
    rc = exec(db, "BEGIN", err);
    if (!rc)
        rc = patient_ids(db, -1, &ids, err);
    for (i = 0; !rc && i < json_array_size(ids); i++) {
        long long id = json_integer_value(json_array_get(ids, i));
        json_t *p = NULL, *v = NULL;
        if (!(rc = patient_load(db, id, &p, err)) && !(rc = visits_load(db, id, &v, err))) {
            json_object_set_new(p, "visits", v);
            json_array_append_new(patients, p);
            p = NULL;
        }
        json_decref(p);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    release(r, slot);
    srv_now(now);
    if (!rc) {
        *out = json_pack("{s:s,s:i,s:s,s:O}", "sarx_version", sarx_version(), "schema_version", SRV_SCHEMA_VERSION,
                         "exported_at", now, "patients", patients);
        rc = *out ? SRV_OK : SRV_FAIL;
    }
    json_decref(ids);
    json_decref(patients);
    return rc;
}
