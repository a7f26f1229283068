/*
** registry.c — the patient registry: one SQLite file.
**
** Patients, their visits (the fields as entered, each measurement also in
** its canonical SI unit) and the assessment of each visit, stamped with the
** sarx version and every definition table's version.  The schema version is
** PRAGMA user_version; a newer file is refused, an older one migrated.
**
** Durability: a write is answered only once the write-ahead log holding it
** has been synced to disk, so an acknowledged visit survives a crash or a
** power cut.  Writers are serialised in the process (one mutex), so they
** never wait in SQLite's busy handler; readers run beside them on their own
** connections (WAL snapshots).
**
** Group commit: the connections run with synchronous=NORMAL, so COMMIT
** writes the log without syncing it, and the sync is done here, after the
** writer lock is released (write_unlock).  One fdatasync of the log makes
** every transaction committed before it durable, so writers that commit
** while a sync is running share the next one instead of each paying for its
** own under the lock.  A failed sync is sticky: no later write is
** acknowledged (after an fsync error the kernel may have dropped the pages).
**
** Checkpoints (copying the log back into the database file) are not run by
** the writer as it commits: a thread of their own does them when the log
** passes CHECKPOINT_FRAMES pages, first without the writer lock, then, for
** the few pages written meanwhile, under it, so that the log is whole
** copied and the next write starts it again from the beginning.
*/
#include "server.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <zstd.h>

#define APPLICATION_ID 0x53415258 /* "SARX" */
#define CHECKPOINT_FRAMES 1000      /* SQLite's own default */
#define GEN_SLOTS 1024              /* write counters, by patient id modulo */

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

/* Version 2:
** - ids are never reused (AUTOINCREMENT): in version 1, deleting the
**   newest patient or visit gave its id to the next one, so a client
**   holding the old id would have reached another patient;
** - each visit carries its weight in kg (the history is read from the
**   index alone, without a join);
** - a stored assessment may be compressed (format 'json+zstd'; the rows of
**   version 1 stay 'json') with a dictionary kept in the registry (see
**   dictionary_text).
** Tables are rebuilt the way the SQLite manual says (foreign keys off:
** create, copy, drop, rename), then checked with foreign_key_check. */
static const char migrate_v2[] =
    "CREATE TABLE patients_v2(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  external_id TEXT UNIQUE CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 64),\n"
    "  label TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 200),\n"
    "  sex TEXT CHECK (sex IN ('male', 'female')),\n"
    "  birth_date TEXT CHECK (birth_date IS NULL OR birth_date GLOB "
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),\n"
    "  population TEXT NOT NULL DEFAULT 'general' CHECK (population IN ('general', 'asian')),\n"
    "  created_at TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL\n"
    ") STRICT;\n"
    "INSERT INTO patients_v2 SELECT id, external_id, label, sex, birth_date, population, created_at, updated_at"
    " FROM patients;\n"
    "DROP TABLE patients;\n"
    "ALTER TABLE patients_v2 RENAME TO patients;\n"
    "CREATE TABLE visits_v2(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,\n"
    "  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),\n"
    "  created_at TEXT NOT NULL,\n"
    "  inputs TEXT NOT NULL CHECK (json_valid(inputs)),\n"
    "  weight_kg REAL\n"
    ") STRICT;\n"
    "INSERT INTO visits_v2 SELECT v.id, v.patient_id, v.date, v.created_at, v.inputs,"
    " (SELECT m.si_value FROM measurements m WHERE m.visit_id = v.id AND m.field = 'weight_kg') FROM visits v;\n"
    "DROP TABLE visits;\n"
    "ALTER TABLE visits_v2 RENAME TO visits;\n"
    "CREATE INDEX visits_by_patient ON visits(patient_id, date, id, weight_kg);\n"
    "CREATE TABLE dictionaries(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sarx_version TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL,\n"
    "  content BLOB NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE assessments_v2(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  visit_id INTEGER NOT NULL UNIQUE REFERENCES visits(id) ON DELETE CASCADE,\n"
    "  sarx_version TEXT NOT NULL,\n"
    "  definitions TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL,\n"
    "  format TEXT NOT NULL CHECK (format IN ('json', 'json+zstd')),\n"
    "  dictionary_id INTEGER REFERENCES dictionaries(id),\n"
    "  result BLOB NOT NULL\n"
    ") STRICT;\n"
    "INSERT INTO assessments_v2 SELECT id, visit_id, sarx_version, definitions, created_at, 'json', NULL,"
    " CAST(result AS BLOB) FROM assessments;\n"
    "DROP TABLE assessments;\n"
    "ALTER TABLE assessments_v2 RENAME TO assessments;\n"
    "PRAGMA user_version=2;\n";

struct srv_registry {
    const sarx_ctx *ctx;
    sqlite3 *writer;       /* every write, under wlock */
    sqlite3 *syncer;       /* its handle on the log is what sync_log syncs */
    sqlite3 **conn;        /* the pool: reads */
    ZSTD_CCtx **zc;        /* per pool slot: stored results in and out */
    ZSTD_DCtx **zd;
    ZSTD_CDict *cdict;     /* this version's dictionary (shared, read-only) */
    long long dict_id;     /* its row in the dictionaries table */
    int nconn, nfree;
    int *free_;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_mutex_t wlock; /* one writer at a time */
    char *defs_json;       /* {"ewgsop2": "1", ...} */
    /* group commit (under smu): writes committed and synced, in order */
    pthread_mutex_t smu;
    pthread_cond_t scv;
    unsigned long long committed, synced;
    int syncing, sync_failed;
    /* Writes per patient (by id modulo GEN_SLOTS) plus writes by other
    ** processes (epoch), under smu: a visit's snapshot is still current if
    ** the sum has not moved. */
    unsigned long long gen[GEN_SLOTS], epoch;
    sqlite3_int64 data_version; /* the writer's PRAGMA data_version, under wlock */
    /* the checkpoint thread (under cmu) */
    sqlite3 *checkpointer;
    pthread_t cthread;
    pthread_mutex_t cmu;
    pthread_cond_t ccv;
    int cwanted, cstop, cstarted;
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

/* ---- writes: one at a time, acknowledged once on disk ---- */

/* Take the writer lock and the writer's connection.  Only that connection
** writes, so its page cache stays valid from one write to the next. */
static sqlite3 *write_lock(srv_registry *r, sqlite3_int64 *changes)
{
    pthread_mutex_lock(&r->wlock);
    *changes = sqlite3_total_changes64(r->writer);
    return r->writer;
}

/* db's open handle on the write-ahead log, or NULL. */
static sqlite3_file *log_file(sqlite3 *db)
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || !f || !f->pMethods)
        return NULL;
    return f;
}

/* Sync the write-ahead log through the syncer connection's handle on it
** (one thread at a time: the one that set r->syncing). */
static int sync_log(srv_registry *r)
{
    sqlite3_file *f = log_file(r->syncer);
    return f ? f->pMethods->xSync(f, SQLITE_SYNC_NORMAL) : SQLITE_IOERR_FSYNC;
}

/* Wait until write number `ticket` is on disk, running the sync if no
** other thread is: one sync covers every write committed before it. */
static int sync_to(srv_registry *r, unsigned long long ticket)
{
    int ok;
    pthread_mutex_lock(&r->smu);
    while (r->synced < ticket && !r->sync_failed) {
        if (r->syncing) {
            pthread_cond_wait(&r->scv, &r->smu);
        } else {
            unsigned long long upto = r->committed;
            int rc;
            r->syncing = 1;
            pthread_mutex_unlock(&r->smu);
            rc = sync_log(r);
            pthread_mutex_lock(&r->smu);
            r->syncing = 0;
            if (rc == SQLITE_OK)
                r->synced = upto;
            else
                r->sync_failed = 1;
            pthread_cond_broadcast(&r->scv);
        }
    }
    ok = r->synced >= ticket;
    pthread_mutex_unlock(&r->smu);
    return ok ? SRV_OK : SRV_FAIL;
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

/* The write counter of patient pid (see gen in srv_registry). */
static unsigned long long patient_gen(srv_registry *r, long long pid)
{
    unsigned long long g;
    pthread_mutex_lock(&r->smu);
    g = r->gen[(unsigned long long)pid % GEN_SLOTS] + r->epoch;
    pthread_mutex_unlock(&r->smu);
    return g;
}

/* Under the writer lock, inside a write transaction: if another process
** has written since the last look, count it against every patient. */
static void note_other_writers(srv_registry *r)
{
    sqlite3_int64 dv = pragma_int(r->writer, "PRAGMA data_version");
    if (dv != r->data_version) {
        r->data_version = dv;
        pthread_mutex_lock(&r->smu);
        r->epoch++;
        pthread_mutex_unlock(&r->smu);
    }
}

/* Release the writer lock and, if the write (about patient pid) changed
** anything, return only once it is on disk.  rc is the write's status; a
** failed sync turns success into SRV_FAIL. */
static int write_unlock(srv_registry *r, long long pid, sqlite3_int64 changes, int rc, sarx_error *err)
{
    unsigned long long ticket = 0;
    if (sqlite3_total_changes64(r->writer) != changes) {
        pthread_mutex_lock(&r->smu);
        ticket = ++r->committed;
        r->gen[(unsigned long long)pid % GEN_SLOTS]++;
        pthread_mutex_unlock(&r->smu);
    }
    pthread_mutex_unlock(&r->wlock);
    if (ticket && sync_to(r, ticket) && !rc) {
        srv_error(err, SARX_EIO, "", "", "",
                  "registry: syncing the write-ahead log to disk failed, so the change may be lost: restart the "
                  "server and check the disk");
        rc = SRV_FAIL;
    }
    return rc;
}

/* The writer's log hook, after each commit (under wlock): past
** CHECKPOINT_FRAMES pages, wake the checkpoint thread. */
static int log_hook(void *ud, sqlite3 *db, const char *schema, int frames)
{
    srv_registry *r = ud;
    (void)db;
    (void)schema;
    if (frames >= CHECKPOINT_FRAMES) {
        pthread_mutex_lock(&r->cmu);
        if (!r->cwanted) {
            r->cwanted = 1;
            pthread_cond_signal(&r->ccv);
        }
        pthread_mutex_unlock(&r->cmu);
    }
    return SQLITE_OK;
}

static void *checkpoint_thread(void *ud)
{
    srv_registry *r = ud;
    pthread_mutex_lock(&r->cmu);
    for (;;) {
        while (!r->cwanted && !r->cstop)
            pthread_cond_wait(&r->ccv, &r->cmu);
        if (r->cstop)
            break;
        pthread_mutex_unlock(&r->cmu);
        /* Failures are not fatal: the log grows and the next round retries. */
        sqlite3_wal_checkpoint_v2(r->checkpointer, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&r->wlock);
        sqlite3_wal_checkpoint_v2(r->checkpointer, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_unlock(&r->wlock);
        pthread_mutex_lock(&r->cmu);
        r->cwanted = 0;
    }
    pthread_mutex_unlock(&r->cmu);
    return NULL;
}

/* write_unlock for a write that answers with *out: dropped on failure. */
static int write_unlock_json(srv_registry *r, long long pid, sqlite3_int64 changes, int rc, json_t **out,
                             sarx_error *err)
{
    rc = write_unlock(r, pid, changes, rc, err);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
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
    static const char *const pragmas[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
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

/* Create the schema or check the version (migrations go here, one step each). */
static int migrate(sqlite3 *db, char *msg, size_t n)
{
    long ver, app, tables;
    char sql[512], now[21];
    /* Off while tables are rebuilt (it cannot change inside a transaction);
    ** setup turns it on afterwards. */
    sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
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
                 "PRAGMA application_id=%d; PRAGMA user_version=1;",
                 sarx_version(), now, APPLICATION_ID);
        if (sqlite3_exec(db, schema_v1, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(msg, n, "creating the schema: %s", sqlite3_errmsg(db));
            goto fail;
        }
        ver = 1;
    }
    /* A new registry is created at version 1 and goes through every step,
    ** so it ends exactly like a migrated one. */
    if (ver == 1) {
        if (sqlite3_exec(db, migrate_v2, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(msg, n, "migrating the registry to schema version 2: %s", sqlite3_errmsg(db));
            goto fail;
        }
        ver = 2;
        if (pragma_int(db, "SELECT count(*) FROM pragma_foreign_key_check") != 0) {
            snprintf(msg, n, "migrating the registry to schema version 2: foreign_key_check failed");
            goto fail;
        }
    }
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

/* The compression dictionary: the results of three subjects (complete;
** with cachexia and a weight history; with most inputs missing), so that
** the criteria, guidance and missing-input texts of this version occur in
** it.  A stored result is mostly those texts, so it shrinks about 12-fold
** instead of 4-fold.  Deterministic for a given sarx version. */
static const char *const dictionary_subjects[] = {
    "{\"sex\":\"female\",\"age_years\":84,\"assessment_date\":\"2026-01-01\",\"height_cm\":156,"
    "\"weight_kg\":46.8,\"grip_kg\":11.5,\"gait_speed_m_s\":0.48,\"sppb_score\":4,\"asm_kg\":11.9,"
    "\"asm_method\":\"dxa\",\"calf_circumference_cm\":28.5,\"sarc_f\":8,\"reduced_intake\":true}",
    "{\"sex\":\"male\",\"age_years\":66,\"assessment_date\":\"2026-07-01\",\"height_cm\":176,"
    "\"weight_kg\":74.5,\"weight_history\":[{\"date\":\"2026-01-10\",\"weight_kg\":84.0}],"
    "\"grip_kg\":29.5,\"gait_speed_m_s\":1.0,\"asm_kg\":19.5,\"cancer\":true,\"fatigue\":true,"
    "\"anorexia\":true,\"crp_mg_l\":18,\"hemoglobin_g_dl\":11.2,\"albumin_g_dl\":3.0,\"sarc_f\":3}",
    "{\"sex\":\"female\",\"age_years\":77,\"grip_kg\":14}",
};

static char *dictionary_text(const sarx_ctx *ctx, size_t *n)
{
    char *out = NULL;
    size_t i, k, len = 0;
    for (i = 0; i < sizeof dictionary_subjects / sizeof *dictionary_subjects; i++) {
        sarx_subject *s = NULL;
        sarx_assessment *a = NULL;
        sarx_error err;
        char *one = NULL, *grown;
        if (sarx_subject_new(&s) == 0 &&
            sarx_subject_from_json(s, dictionary_subjects[i], strlen(dictionary_subjects[i]), &err) == 0 &&
            sarx_assess(ctx, s, &a, &err) == 0)
            one = sarx_assessment_json(a, 0);
        sarx_assessment_free(a);
        sarx_subject_free(s);
        k = one ? strlen(one) : 0;
        if (!one || !(grown = realloc(out, len + k + 1))) {
            sarx_free(one);
            free(out);
            return NULL;
        }
        out = grown;
        memcpy(out + len, one, k + 1);
        len += k;
        sarx_free(one);
    }
    *n = len;
    return out;
}

/* Find this version's dictionary in the registry, adding it if it is not
** there yet, and prepare it for compression. */
static int dictionary_open(srv_registry *r, char *msg, size_t n)
{
    sqlite3_stmt *add = NULL, *find = NULL;
    size_t len = 0;
    char *text = dictionary_text(r->ctx, &len), now[21];
    int ok = 0;
    if (!text) {
        snprintf(msg, n, "registry: the compression dictionary cannot be built (out of memory, or a built-in subject "
                         "is refused)");
        return -1;
    }
    srv_now(now);
    if (sqlite3_prepare_v2(r->writer,
                           "INSERT INTO dictionaries(sarx_version, created_at, content) SELECT ?1, ?2, ?3"
                           " WHERE NOT EXISTS (SELECT 1 FROM dictionaries WHERE content = ?3)",
                           -1, &add, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(r->writer, "SELECT id FROM dictionaries WHERE content = ?", -1, &find, NULL) == SQLITE_OK) {
        sqlite3_bind_text(add, 1, sarx_version(), -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_blob(add, 3, text, (int)len, SQLITE_STATIC);
        sqlite3_bind_blob(find, 1, text, (int)len, SQLITE_STATIC);
        if (sqlite3_step(add) == SQLITE_DONE && sqlite3_step(find) == SQLITE_ROW) {
            r->dict_id = sqlite3_column_int64(find, 0);
            ok = 1;
        }
    }
    if (!ok)
        snprintf(msg, n, "registry: storing the compression dictionary: %s", sqlite3_errmsg(r->writer));
    sqlite3_finalize(add);
    sqlite3_finalize(find);
    if (ok && !(r->cdict = ZSTD_createCDict(text, len, 1))) {
        snprintf(msg, n, "out of memory");
        ok = 0;
    }
    free(text);
    return ok ? 0 : -1;
}

static int open_conn(const char *path, sqlite3 **db, char *msg, size_t n)
{
    int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(msg, n, "%s: %s", path, *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
        return -1;
    }
    return 0;
}

int srv_registry_open(const char *path, int nconn, unsigned flags, const sarx_ctx *ctx, srv_registry **out,
                      char *msg, size_t n)
{
    srv_registry *r;
    int i;
    (void)flags;
    *out = NULL;
    if (nconn < 1)
        nconn = 1;
    r = calloc(1, sizeof *r);
    if (!r || !(r->conn = calloc((size_t)nconn, sizeof *r->conn)) ||
        !(r->free_ = calloc((size_t)nconn, sizeof *r->free_)) || !(r->zc = calloc((size_t)nconn, sizeof *r->zc)) ||
        !(r->zd = calloc((size_t)nconn, sizeof *r->zd)) || !(r->defs_json = definitions_json(ctx))) {
        snprintf(msg, n, "out of memory");
        goto fail;
    }
    r->ctx = ctx;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    pthread_mutex_init(&r->wlock, NULL);
    pthread_mutex_init(&r->smu, NULL);
    pthread_cond_init(&r->scv, NULL);
    pthread_mutex_init(&r->cmu, NULL);
    pthread_cond_init(&r->ccv, NULL);
    if (open_conn(path, &r->writer, msg, n) || migrate(r->writer, msg, n) || setup(r->writer, msg, n) ||
        sqlite3_exec(r->writer, "PRAGMA cache_size=-16384", NULL, NULL, NULL) != SQLITE_OK ||
        open_conn(path, &r->syncer, msg, n) || setup(r->syncer, msg, n) ||
        open_conn(path, &r->checkpointer, msg, n) || setup(r->checkpointer, msg, n) || dictionary_open(r, msg, n))
        goto fail;
    sqlite3_wal_hook(r->writer, log_hook, r);
    /* A read opens the syncer's handle on the log. */
    if (sqlite3_exec(r->syncer, "SELECT count(*) FROM meta", NULL, NULL, NULL) != SQLITE_OK || !log_file(r->syncer)) {
        snprintf(msg, n, "%s: cannot open the write-ahead log", path);
        goto fail;
    }
    for (i = 0; i < nconn; i++) {
        r->nconn = i + 1;
        if (open_conn(path, &r->conn[i], msg, n) || setup(r->conn[i], msg, n))
            goto fail;
        if (!(r->zc[i] = ZSTD_createCCtx()) || !(r->zd[i] = ZSTD_createDCtx()) ||
            ZSTD_isError(ZSTD_CCtx_refCDict(r->zc[i], r->cdict)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(r->zc[i], ZSTD_c_checksumFlag, 1))) {
            snprintf(msg, n, "out of memory");
            goto fail;
        }
        r->free_[r->nfree++] = i;
    }
    if (pthread_create(&r->cthread, NULL, checkpoint_thread, r) != 0) {
        snprintf(msg, n, "cannot start the checkpoint thread");
        goto fail;
    }
    r->cstarted = 1;
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
    if (r->cstarted) {
        pthread_mutex_lock(&r->cmu);
        r->cstop = 1;
        pthread_cond_signal(&r->ccv);
        pthread_mutex_unlock(&r->cmu);
        pthread_join(r->cthread, NULL);
    }
    for (i = 0; i < r->nconn; i++) {
        sqlite3_close_v2(r->conn[i]);
        ZSTD_freeCCtx(r->zc[i]);
        ZSTD_freeDCtx(r->zd[i]);
    }
    sqlite3_close_v2(r->checkpointer);
    sqlite3_close_v2(r->syncer);
    sqlite3_close_v2(r->writer);
    if (r->conn) {
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->wlock);
        pthread_mutex_destroy(&r->smu);
        pthread_cond_destroy(&r->scv);
        pthread_mutex_destroy(&r->cmu);
        pthread_cond_destroy(&r->ccv);
    }
    free(r->conn);
    free(r->free_);
    free(r->zc);
    free(r->zd);
    ZSTD_freeCDict(r->cdict);
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
    sqlite3_int64 changes;
    int rc, i;
    *out = NULL;
    if ((rc = srv_patient_check(body, err)))
        return invalid(rc);
    srv_now(now);
    db = write_lock(r, &changes);
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
    return write_unlock_json(r, sqlite3_last_insert_rowid(db), changes, rc, out, err);
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
    sqlite3_int64 changes;
    int rc, i;
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
    db = write_lock(r, &changes);
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
    return write_unlock_json(r, id, changes, rc, out, err);
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
    sqlite3_int64 changes;
    int rc;
    sqlite3 *db;
    db = write_lock(r, &changes);
    rc = run2(db, "DELETE FROM patients WHERE id = ?", id, 0, err);
    if (!rc && sqlite3_changes(db) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", id);
        rc = SRV_NOTFOUND;
    }
    return write_unlock(r, id, changes, rc, err);
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

/* The patient's weights dated in [from, before) (NULL: no bound), oldest
** first, one per date (the last visit entered on a date); *n receives the
** count.  Read from the visits_by_patient index alone. */
static int weights_between(sqlite3 *db, long long pid, const char *from, const char *before, srv_weight **out,
                           size_t *n, sarx_error *err)
{
    sqlite3_stmt *st;
    srv_weight *w = NULL;
    size_t cap = 0;
    int rc = prepare(db,
                     "SELECT date, weight_kg FROM visits"
                     " WHERE patient_id = ?1 AND (?2 IS NULL OR date < ?2) AND (?3 IS NULL OR date >= ?3)"
                     " AND weight_kg IS NOT NULL"
                     " ORDER BY date, id",
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

/* A result as stored: zstd with the dictionary (level 1, with a checksum);
** NULL when out of memory.  *n receives the size. */
static void *pack_result(ZSTD_CCtx *zc, const char *result, size_t *n)
{
    size_t len = strlen(result), cap = ZSTD_compressBound(len);
    void *out = malloc(cap);
    if (out) {
        *n = ZSTD_compress2(zc, out, cap, result, len);
        if (ZSTD_isError(*n)) {
            free(out);
            out = NULL;
        }
    }
    return out;
}

/* A stored result back as text (NUL-terminated); NULL if it is damaged or
** memory is short. */
static char *unpack_result(ZSTD_DCtx *zd, const char *format, const void *blob, size_t n, const void *dict,
                           size_t ndict)
{
    unsigned long long len;
    char *out;
    if (!format || !blob)
        return NULL;
    if (strcmp(format, "json") == 0) {
        if ((out = malloc(n + 1))) {
            memcpy(out, blob, n);
            out[n] = '\0';
        }
        return out;
    }
    len = ZSTD_getFrameContentSize(blob, n);
    if (strcmp(format, "json+zstd") != 0 || len == ZSTD_CONTENTSIZE_UNKNOWN || len == ZSTD_CONTENTSIZE_ERROR ||
        len > (64u << 20) || !(out = malloc((size_t)len + 1)))
        return NULL;
    if (ZSTD_decompress_usingDict(zd, out, (size_t)len, blob, n, dict, ndict) != len) {
        free(out);
        return NULL;
    }
    out[len] = '\0';
    return out;
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
    void *packed = NULL;
    size_t npacked = 0;
    double kg;
    long long vid = 0, aid = 0;
    sqlite3_int64 changes = 0;
    unsigned long long gen;
    int slot, rc, locked = 0;

    *out = NULL;
    if (sarx_subject_new(&s)) {
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return SRV_FAIL;
    }
    srv_now(now);
    srv_visit_date(inputs, date);
    db = acquire(r, &slot);
    /* The assessment is computed outside the write lock, from a snapshot.
    ** Under the lock, if the patient's write counter moved (another write
    ** about this patient, or about one sharing its counter, or a write by
    ** another process), the context is read again and, if it changed, the
    ** assessment is redone.  The counter is read before the snapshot. */
    gen = patient_gen(r, pid);
    rc = exec(db, "BEGIN", err);
    if (!rc) {
        rc = visit_context(db, pid, date, &patient, &hist, &nhist, err);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    if (!rc)
        rc = visit_assess(r, patient, inputs, hist, nhist, s, date, &result, err);
    if (!rc && !(packed = pack_result(r->zc[slot], result, &npacked)))
        rc = fail(NULL, SQLITE_NOMEM, err);
    if (rc)
        goto out;
    db = write_lock(r, &changes);
    locked = 1;
    if ((rc = exec(db, "BEGIN IMMEDIATE", err)))
        goto out;
    note_other_writers(r);
    if (patient_gen(r, pid) != gen) {
        if ((rc = visit_context(db, pid, date, &patient2, &hist2, &nhist2, err)))
            goto rollback;
        if (!json_equal(patient, patient2) || !same_history(hist, nhist, hist2, nhist2)) {
            sarx_free(result);
            free(packed);
            packed = NULL;
            if ((rc = visit_assess(r, patient2, inputs, hist2, nhist2, s, date, &result, err)))
                goto rollback;
            if (!(packed = pack_result(r->zc[slot], result, &npacked))) {
                rc = fail(NULL, SQLITE_NOMEM, err);
                goto rollback;
            }
        }
    }
    text = json_dumps(inputs, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (!text || (rc = prepare(db, "INSERT INTO visits(patient_id, date, created_at, inputs, weight_kg) VALUES (?, ?, ?, ?, ?)",
                               &st, err))) {
        rc = text ? rc : fail(db, SQLITE_NOMEM, err);
        goto rollback;
    }
    sqlite3_bind_int64(st, 1, pid);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    kg = sarx_subject_get(s, "weight_kg");
    if (!isnan(kg))
        sqlite3_bind_double(st, 5, kg);
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
                      "INSERT INTO assessments(visit_id, sarx_version, definitions, created_at, format, dictionary_id,"
                      " result) VALUES (?, ?, ?, ?, 'json+zstd', ?, ?)",
                      &st, err)))
        goto rollback;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, sarx_version(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->defs_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, r->dict_id);
    sqlite3_bind_blob(st, 6, packed, (int)npacked, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = fail(db, rc, err);
        goto rollback;
    }
    aid = sqlite3_last_insert_rowid(db);
    if ((rc = exec(db, "COMMIT", err)))
        goto rollback;
    locked = 0;
    if ((rc = write_unlock(r, pid, changes, SRV_OK, err)))
        goto out;
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
        rc = write_unlock(r, pid, changes, rc, err);
    release(r, slot);
    json_decref(patient);
    json_decref(patient2);
    json_decref(visit);
    json_decref(meas);
    json_decref(stamp);
    free(hist);
    free(hist2);
    free(text);
    free(packed);
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
                     "SELECT a.id, a.sarx_version, a.created_at, a.definitions, a.format, a.result, d.content"
                     " FROM assessments a LEFT JOIN dictionaries d ON d.id = a.dictionary_id WHERE a.visit_id = ?",
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
            char *text;
            stamp = stamp_json(sqlite3_column_int64(as, 0), (const char *)sqlite3_column_text(as, 1),
                               (const char *)sqlite3_column_text(as, 2), (const char *)sqlite3_column_text(as, 3));
            text = unpack_result(r->zd[slot], (const char *)sqlite3_column_text(as, 4),
                                 sqlite3_column_blob(as, 5), (size_t)sqlite3_column_bytes(as, 5),
                                 sqlite3_column_blob(as, 6), (size_t)sqlite3_column_bytes(as, 6));
            if (text)
                *out = visit_document(visit, text, stamp);
            else
                srv_error(err, SARX_EIO, "", "", "", "registry: the stored assessment of visit %lld cannot be read",
                          vid);
            free(text);
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
    sqlite3_int64 changes;
    int rc;
    sqlite3 *db;
    db = write_lock(r, &changes);
    rc = run2(db, "DELETE FROM visits WHERE id = ? AND patient_id = ?", vid, pid, err);
    if (!rc && sqlite3_changes(db) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no visit %lld of patient %lld", vid, pid);
        rc = SRV_NOTFOUND;
    }
    return write_unlock(r, pid, changes, rc, err);
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

int srv_export_csv(srv_registry *r, long long pid, char **out, size_t *len, srv_export_counts *counts,
                   sarx_error *err)
{
    export_rows x;
    json_t *ids = NULL;
    FILE *f;
    if (counts)
        memset(counts, 0, sizeof *counts);
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
