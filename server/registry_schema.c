/*
** registry_schema.c — the registry's schema and its migrations, the
** compression dictionary, and stored results packed and unpacked.
**
** The schema version is PRAGMA user_version; a newer file is refused, an
** older one migrated one step at a time when the registry is opened for
** writing.  Opened read-only (export, check), nothing is migrated: schema 2
** is read as it is, and an older file is refused with the way to migrate.
*/
#include "registry_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APPLICATION_ID 0x53415258 /* "SARX" */
#define MAX_RESULT (64u << 20)    /* a stored result is about 35 KB; more is damage */

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

/* The patient record a stored result was computed with (its basis), for a
** result stored before schema 3: the record as it is now when it has not
** been edited since the result was stored (never edited, or last edited
** strictly before: the times are whole seconds, so an edit in the same
** second may have come after), else unknown. */
#define BASIS_DERIVED                                                                                     \
    "CASE WHEN p.updated_at = p.created_at OR p.updated_at < a.created_at"                                \
    " THEN json_object('sex', p.sex, 'birth_date', p.birth_date, 'population', p.population) END"

/* Version 3: each stored assessment keeps the patient record it was
** computed with (sex, birth date, population), so that an export can say
** which stored results the record no longer matches after a PATCH.  For
** the results already stored it is derived where it can be known
** (BASIS_DERIVED) and left NULL where it cannot. */
static const char migrate_v3[] =
    "ALTER TABLE assessments ADD COLUMN patient TEXT CHECK (patient IS NULL OR json_valid(patient));\n"
    "UPDATE assessments AS a SET patient = (SELECT " BASIS_DERIVED
    " FROM visits v JOIN patients p ON p.id = v.patient_id WHERE v.id = a.visit_id);\n"
    "PRAGMA user_version=3;\n";

/* Version 4: the FHIR resources each visit's inputs came from
** ("Observation/w1", or the fullUrl of a resource without an id), written
** by POST /api/v1/fhir/import, so that importing a Bundle again finds the
** visits its resources made even when a resource's date or value changed.
** Per patient: the rows are read through the visits of one patient, never
** by resource alone (two patients may have resources of the same id).
** Additive: the visits already stored have none. */
static const char migrate_v4[] =
    "CREATE TABLE visit_sources(\n"
    "  visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,\n"
    "  resource TEXT NOT NULL CHECK (length(resource) >= 1),\n"
    "  PRIMARY KEY (visit_id, resource)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "PRAGMA user_version=4;\n";

const char *srv__basis_sql(const srv_registry *r)
{
    return r->schema >= 3 ? "a.patient" : BASIS_DERIVED;
}

char *srv__basis_text(const json_t *patient)
{
    static const char *const keys[] = {"sex", "birth_date", "population"};
    json_t *o = json_object();
    char *s = NULL;
    size_t i;
    for (i = 0; o && i < 3; i++) {
        json_t *v = json_object_get(patient, keys[i]);
        if (json_object_set_new(o, keys[i], json_is_string(v) ? json_string(json_string_value(v)) : json_null())) {
            json_decref(o);
            return NULL;
        }
    }
    if (o)
        s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* The version, application id and table count of db (read transaction). */
static int identify(sqlite3 *db, long *ver, long *app, long *tables, char *msg, size_t n)
{
    *ver = srv__pragma_int(db, "PRAGMA user_version");
    *app = srv__pragma_int(db, "PRAGMA application_id");
    *tables = srv__pragma_int(db, "SELECT count(*) FROM sqlite_schema");
    if (*ver < 0 || *app < 0 || *tables < 0) {
        snprintf(msg, n, "not a SQLite database, or it cannot be read: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (*app != 0 && *app != APPLICATION_ID) {
        snprintf(msg, n, "not a sarx registry (application_id %ld)", *app);
        return -1;
    }
    if (*ver > SRV_SCHEMA_VERSION) {
        snprintf(msg, n, "the registry has schema version %ld; this sarx knows up to %d: upgrade sarx", *ver,
                 SRV_SCHEMA_VERSION);
        return -1;
    }
    if (*ver == 0 && *tables > 0) {
        snprintf(msg, n, "the file holds other tables: not a sarx registry");
        return -1;
    }
    return 0;
}

/* Read-only: the schema as it is (2 to 4), never migrated. */
static int schema_check(srv_registry *r, sqlite3 *db, char *msg, size_t n)
{
    long ver, app, tables;
    int rc;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(msg, n, "cannot read the registry: %s", sqlite3_errmsg(db));
        return -1;
    }
    rc = identify(db, &ver, &app, &tables, msg, n);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc)
        return -1;
    if (ver == 0) {
        snprintf(msg, n, "an empty file, not a sarx registry");
        return -1;
    }
    if (ver < 2) {
        snprintf(msg, n,
                 "the registry has schema version %ld, which is read only after migrating it: start `sarx serve` "
                 "on it once (export and check open it read-only and never migrate)",
                 ver);
        return -1;
    }
    r->schema = (int)ver;
    return 0;
}

/* Read-write: create the schema or migrate it, one step at a time. */
static int migrate(srv_registry *r, sqlite3 *db, char *msg, size_t n)
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
    if (identify(db, &ver, &app, &tables, msg, n))
        goto fail;
    if (ver == 0) {
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
        if (srv__pragma_int(db, "SELECT count(*) FROM pragma_foreign_key_check") != 0) {
            snprintf(msg, n, "migrating the registry to schema version 2: foreign_key_check failed");
            goto fail;
        }
    }
    if (ver == 2) {
        if (sqlite3_exec(db, migrate_v3, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(msg, n, "migrating the registry to schema version 3: %s", sqlite3_errmsg(db));
            goto fail;
        }
        ver = 3;
    }
    if (ver == 3) {
        if (sqlite3_exec(db, migrate_v4, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(msg, n, "migrating the registry to schema version 4: %s", sqlite3_errmsg(db));
            goto fail;
        }
        ver = 4;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(msg, n, "committing the schema: %s", sqlite3_errmsg(db));
        goto fail;
    }
    r->schema = (int)ver;
    return 0;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int srv__schema_open(srv_registry *r, sqlite3 *db, char *msg, size_t n)
{
    return r->readonly ? schema_check(r, db, msg, n) : migrate(r, db, msg, n);
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
** there yet (read-write), and prepare it for compression.  Read-only, a
** registry without it is fine: nothing is compressed. */
int srv__dictionary_open(srv_registry *r, char *msg, size_t n)
{
    sqlite3 *db = r->readonly ? r->conn[0] : r->writer;
    sqlite3_stmt *add = NULL, *find = NULL;
    size_t len = 0;
    char *text = dictionary_text(r->ctx, &len), now[21];
    int ok = 0, rc;
    if (!text) {
        snprintf(msg, n, "registry: the compression dictionary cannot be built (out of memory, or a built-in subject "
                         "is refused)");
        return -1;
    }
    srv_now(now);
    if ((r->readonly ||
         sqlite3_prepare_v2(db,
                            "INSERT INTO dictionaries(sarx_version, created_at, content) SELECT ?1, ?2, ?3"
                            " WHERE NOT EXISTS (SELECT 1 FROM dictionaries WHERE content = ?3)",
                            -1, &add, NULL) == SQLITE_OK) &&
        sqlite3_prepare_v2(db, "SELECT id FROM dictionaries WHERE content = ?", -1, &find, NULL) == SQLITE_OK) {
        if (add) {
            sqlite3_bind_text(add, 1, sarx_version(), -1, SQLITE_STATIC);
            sqlite3_bind_text(add, 2, now, -1, SQLITE_STATIC);
            sqlite3_bind_blob(add, 3, text, (int)len, SQLITE_STATIC);
        }
        sqlite3_bind_blob(find, 1, text, (int)len, SQLITE_STATIC);
        if (!add || sqlite3_step(add) == SQLITE_DONE) {
            rc = sqlite3_step(find);
            if (rc == SQLITE_ROW)
                r->dict_id = sqlite3_column_int64(find, 0);
            ok = rc == SQLITE_ROW || (r->readonly && rc == SQLITE_DONE);
        }
    }
    if (!ok)
        snprintf(msg, n, "registry: %s the compression dictionary: %s", r->readonly ? "reading" : "storing",
                 sqlite3_errmsg(db));
    sqlite3_finalize(add);
    sqlite3_finalize(find);
    if (ok && r->dict_id && !(r->cdict = ZSTD_createCDict(text, len, 1))) {
        snprintf(msg, n, "out of memory");
        ok = 0;
    }
    free(text);
    return ok ? 0 : -1;
}

/* ---- stored results ---- */

void *srv__pack_result(ZSTD_CCtx *zc, const char *result, size_t *n)
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

/* The decoded size of a zstd frame, or 0 with why. */
static size_t frame_size(const void *blob, size_t n, char *why, size_t nwhy)
{
    unsigned long long len = ZSTD_getFrameContentSize(blob, n);
    if (len == ZSTD_CONTENTSIZE_ERROR)
        snprintf(why, nwhy, "not a zstd frame");
    else if (len == ZSTD_CONTENTSIZE_UNKNOWN)
        snprintf(why, nwhy, "the zstd frame does not give its size");
    else if (len == 0 || len > MAX_RESULT)
        snprintf(why, nwhy, "the zstd frame gives an impossible size (%llu bytes)", len);
    else
        return (size_t)len;
    return 0;
}

char *srv__unpack_result(ZSTD_DCtx *zd, const char *format, const void *blob, size_t n, const void *dict,
                         size_t ndict, char *why, size_t nwhy)
{
    char scratch[8], *out;
    size_t len, got;
    if (!why) {
        why = scratch;
        nwhy = sizeof scratch;
    }
    if (!format || (strcmp(format, "json") != 0 && strcmp(format, "json+zstd") != 0)) {
        snprintf(why, nwhy, "unknown format \"%.40s\"", format ? format : "(none)");
        return NULL;
    }
    if (!blob || n == 0) {
        snprintf(why, nwhy, "it is empty");
        return NULL;
    }
    if (strcmp(format, "json") == 0) {
        if (!(out = malloc(n + 1))) {
            snprintf(why, nwhy, "out of memory");
            return NULL;
        }
        memcpy(out, blob, n);
        out[n] = '\0';
        return out;
    }
    if (!dict) {
        snprintf(why, nwhy, "its compression dictionary is missing");
        return NULL;
    }
    if (!(len = frame_size(blob, n, why, nwhy)))
        return NULL;
    if (!(out = malloc(len + 1))) {
        snprintf(why, nwhy, "out of memory");
        return NULL;
    }
    got = ZSTD_decompress_usingDict(zd, out, len, blob, n, dict, ndict);
    if (ZSTD_isError(got) || got != len) {
        snprintf(why, nwhy, "zstd: %s", ZSTD_isError(got) ? ZSTD_getErrorName(got) : "shorter than its frame says");
        free(out);
        return NULL;
    }
    out[len] = '\0';
    return out;
}

/* The decoded dictionary id, loading it on first use. */
static ZSTD_DDict *dict_get(sqlite3 *db, srv__dicts *d, long long id, char *why, size_t nwhy)
{
    sqlite3_stmt *st;
    ZSTD_DDict *dd = NULL;
    size_t i;
    int rc;
    for (i = 0; i < d->n; i++)
        if (d->id[i] == id)
            return d->dd[i];
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 4;
        long long *nid = realloc(d->id, cap * sizeof *nid);
        ZSTD_DDict **ndd = nid ? realloc(d->dd, cap * sizeof *ndd) : NULL;
        if (nid)
            d->id = nid;
        if (!ndd) {
            snprintf(why, nwhy, "out of memory");
            return NULL;
        }
        d->dd = ndd;
        d->cap = cap;
    }
    if (sqlite3_prepare_v2(db, "SELECT content FROM dictionaries WHERE id = ?", -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, nwhy, "reading its dictionary: %s", sqlite3_errmsg(db));
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 0)
        dd = ZSTD_createDDict(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    if (rc == SQLITE_ROW && !dd)
        snprintf(why, nwhy, "its dictionary %lld cannot be loaded", id);
    else if (rc == SQLITE_DONE)
        snprintf(why, nwhy, "its dictionary %lld is missing", id);
    else if (rc != SQLITE_ROW)
        snprintf(why, nwhy, "reading its dictionary %lld: %s", id, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (dd) {
        d->id[d->n] = id;
        d->dd[d->n++] = dd;
    }
    return dd;
}

/* A result document: an object with this sarx_version and a results array. */
static int document_ok(const char *text, size_t len, const char *version, char *why, size_t nwhy)
{
    json_error_t je;
    json_t *o = json_loadb(text, len, 0, &je);
    const char *v = json_string_value(json_object_get(o, "sarx_version"));
    int ok = 0;
    if (!o)
        snprintf(why, nwhy, "not valid JSON (at byte %d: %s)", je.position, je.text);
    else if (!json_is_object(o) || !json_is_array(json_object_get(o, "results")))
        snprintf(why, nwhy, "not a result document (no \"results\" list)");
    else if (version && (!v || strcmp(v, version) != 0))
        snprintf(why, nwhy, "its sarx_version \"%.20s\" differs from its stamp's \"%.20s\"", v ? v : "", version);
    else
        ok = 1;
    json_decref(o);
    return ok;
}

int srv__verify_result(sqlite3 *db, ZSTD_DCtx *zd, srv__dicts *d, const char *format, const void *blob, size_t n,
                       long long dict_id, const char *sarx_version, int full, char *why, size_t nwhy)
{
    ZSTD_DDict *dd;
    size_t len, got;
    if (!format || (strcmp(format, "json") != 0 && strcmp(format, "json+zstd") != 0)) {
        snprintf(why, nwhy, "unknown format \"%.40s\"", format ? format : "(none)");
        return -1;
    }
    if (!blob || n == 0) {
        snprintf(why, nwhy, "it is empty");
        return -1;
    }
    /* Results of schema 1 were stored as text, without a checksum: parsing
    ** is the only check there is. */
    if (strcmp(format, "json") == 0)
        return document_ok(blob, n, full ? sarx_version : NULL, why, nwhy) ? 0 : -1;
    if (!(dd = dict_get(db, d, dict_id, why, nwhy)) || !(len = frame_size(blob, n, why, nwhy)))
        return -1;
    if (len > d->bufcap) {
        char *nb = realloc(d->buf, len);
        if (!nb) {
            snprintf(why, nwhy, "out of memory");
            return -1;
        }
        d->buf = nb;
        d->bufcap = len;
    }
    /* The frame carries a checksum of the content, which decoding checks. */
    got = ZSTD_decompress_usingDDict(zd, d->buf, len, blob, n, dd);
    if (ZSTD_isError(got) || got != len) {
        snprintf(why, nwhy, "zstd: %s", ZSTD_isError(got) ? ZSTD_getErrorName(got) : "shorter than its frame says");
        return -1;
    }
    return !full || document_ok(d->buf, len, sarx_version, why, nwhy) ? 0 : -1;
}

void srv__dicts_free(srv__dicts *d)
{
    size_t i;
    for (i = 0; i < d->n; i++)
        ZSTD_freeDDict(d->dd[i]);
    free(d->id);
    free(d->dd);
    free(d->buf);
    memset(d, 0, sizeof *d);
}
