/*
** registry_int.h — what the registry's files share; not for api.c or
** http.c, which see only server.h.
**
**   registry.c           open and close, the file's permissions and
**                        identity, connections, the write path (group
**                        commit, refusal), checkpoints, health
**   registry_schema.c    the schema, its migrations, the compression
**                        dictionary, stored results packed and unpacked
**   registry_patients.c  patients
**   registry_visits.c    visits and their stored assessments
**   registry_review.c    every visit of a patient re-assessed from the
**                        history: timeline, weight plot, record status
**   registry_export.c    the CSV and JSON exports
**   registry_check.c     `sarx registry check`
**   registry_fhir.c      what the FHIR routes read and write: a patient's
**                        visits for the export, an import applied
*/
#ifndef SARX_REGISTRY_INT_H
#define SARX_REGISTRY_INT_H

#include "server.h"

#include <pthread.h>
#include <sys/types.h>

#include <sqlite3.h>
#include <zstd.h>

#define SRV__GEN_SLOTS 1024 /* write counters, by patient id modulo */

struct srv_registry {
    const sarx_ctx *ctx;
    char *path, *wal_path; /* the file and its write-ahead log */
    int readonly;          /* SRV_OPEN_READONLY: no writer, no syncer, no checkpoints */
    int schema;            /* PRAGMA user_version as opened (2 and 3 only when read-only) */
    int created;           /* this open created the file */
    sqlite3 *writer;       /* every write, under wlock */
    sqlite3 *syncer;       /* its handle on the log is what sync_log syncs */
    sqlite3 **conn;        /* the pool: reads */
    ZSTD_CCtx **zc;        /* per pool slot: stored results in and out */
    ZSTD_DCtx **zd;
    ZSTD_CDict *cdict;     /* this version's dictionary (shared, read-only) */
    long long dict_id;     /* its row in the dictionaries table, 0 when read-only and absent */
    int nconn, nfree;
    int *free_;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_mutex_t wlock; /* one writer at a time */
    char *defs_json;       /* {"ewgsop2": "1", ...} */
    /* The file and its log as opened: a handle on each, kept open until
    ** every connection is closed (closing any descriptor of the file would
    ** drop SQLite's POSIX locks on it), and their device and inode, which
    ** the path must still name before each write. */
    int db_fd, wal_fd;
    dev_t db_dev, wal_dev;
    ino_t db_ino, wal_ino;
    /* group commit (under smu): writes committed and synced, in order */
    pthread_mutex_t smu;
    pthread_cond_t scv;
    unsigned long long committed, synced;
    int syncing, sync_failed;
    /* Writes refused from now on (under smu), and why: a sync failed, or the
    ** file or its log was deleted or replaced.  Sticky. */
    int refused;
    char refused_why[240];
    /* Writes per patient (by id modulo SRV__GEN_SLOTS) plus writes by other
    ** processes (epoch), under smu: a visit's snapshot is still current if
    ** the sum has not moved. */
    unsigned long long gen[SRV__GEN_SLOTS], epoch;
    sqlite3_int64 data_version; /* the writer's PRAGMA data_version, under wlock */
    /* the checkpoint thread (under cmu) */
    sqlite3 *checkpointer;
    pthread_t cthread;
    pthread_mutex_t cmu;
    pthread_cond_t ccv;
    int cwanted, cstop, cstarted;
};

/* ---- registry.c ---- */

/* A read connection of the pool (and its slot, for the zstd contexts). */
sqlite3 *srv__acquire(srv_registry *r, int *slot);
void srv__release(srv_registry *r, int slot);

/* Begin a write: the writer lock and the writer's connection, inside
** BEGIN IMMEDIATE.  When writes are refused (read-only, a failed sync, the
** file deleted or replaced) returns SRV_UNAVAILABLE with err saying why,
** and nothing is locked or written. */
int srv__write_begin(srv_registry *r, sqlite3 **db, sqlite3_int64 *changes, sarx_error *err);
/* End it: COMMIT when rc is SRV_OK, else ROLLBACK; release the lock and,
** if anything was committed, return only once the log holding it is on
** disk.  what names the change for the message when that sync fails
** ("visit 7 of patient 3"): SRV_UNKNOWN then, the change written but
** perhaps not durable.  pid: the patient the write is about. */
int srv__write_end(srv_registry *r, long long pid, sqlite3_int64 changes, int rc, const char *what,
                   sarx_error *err);
/* Under the writer lock, inside a write transaction: count writes by other
** processes against every patient's counter. */
void srv__note_other_writers(srv_registry *r);
/* The write counter of patient pid. */
unsigned long long srv__patient_gen(srv_registry *r, long long pid);

/* A SQLite failure as a status with a message; doing (may be NULL) says
** what was being done ("reading visit 7"). */
int srv__fail(sqlite3 *db, int rc, const char *doing, sarx_error *err);
int srv__exec(sqlite3 *db, const char *sql, sarx_error *err);
int srv__prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, sarx_error *err);
long srv__pragma_int(sqlite3 *db, const char *sql);
/* The library's input refusals are SRV_INVALID, memory SRV_FAIL. */
int srv__invalid(int code);

/* ---- registry_schema.c ---- */

/* Create or migrate (read-write), or check (read-only) the schema; sets
** r->schema.  msg receives the reason on failure. */
int srv__schema_open(srv_registry *r, sqlite3 *db, char *msg, size_t n);
/* This version's compression dictionary: found, or added (read-write). */
int srv__dictionary_open(srv_registry *r, char *msg, size_t n);
/* The SQL expression (over assessments a, patients p) giving the patient
** record a stored result was computed with, as JSON text, or NULL when not
** known: the column of schema 3, derived for a schema 2 file. */
const char *srv__basis_sql(const srv_registry *r);
/* {"sex", "birth_date", "population"} of a patient record as JSON text
** (malloc'd), the form the basis is stored in. */
char *srv__basis_text(const json_t *patient);

/* A result as stored: zstd with the dictionary (level 1, with a checksum);
** NULL when out of memory.  *n receives the size. */
void *srv__pack_result(ZSTD_CCtx *zc, const char *result, size_t *n);
/* A stored result back as text (NUL-terminated, malloc'd).  NULL when it
** cannot be read: why (when not NULL) receives the reason. */
char *srv__unpack_result(ZSTD_DCtx *zd, const char *format, const void *blob, size_t n, const void *dict,
                         size_t ndict, char *why, size_t nwhy);

/* Decoded dictionaries by id, for reading many stored results. */
typedef struct srv__dicts {
    long long *id;
    ZSTD_DDict **dd;
    size_t n, cap;
    char *buf; /* a decoding buffer, grown as needed */
    size_t bufcap;
} srv__dicts;
/* Check one stored result: decoded (with its checksum) and, when full,
** parsed as a result document of sarx_version.  0 when sound, else -1 and
** why.  SQLite failures reading a dictionary are reported the same way. */
int srv__verify_result(sqlite3 *db, ZSTD_DCtx *zd, srv__dicts *d, const char *format, const void *blob, size_t n,
                       long long dict_id, const char *sarx_version, int full, char *why, size_t nwhy);
void srv__dicts_free(srv__dicts *d);

/* ---- registry_patients.c ---- */

json_t *srv__text_or_null(sqlite3_stmt *st, int col);
/* The patient as the API shows it; SRV_NOTFOUND when there is none. */
int srv__patient_load(sqlite3 *db, long long id, json_t **out, sarx_error *err);
/* What a visit needs of the patient: id, external_id, sex, birth_date,
** population. */
int srv__patient_core(sqlite3 *db, long long id, json_t **out, sarx_error *err);
/* Every patient id (pid < 0) or just pid (SRV_NOTFOUND when absent). */
int srv__patient_ids(sqlite3 *db, long long pid, json_t **out, sarx_error *err);
/* Inside the caller's write transaction, fields checked by
** srv_patient_check: a new patient (*id), or patient id's fields changed
** (SRV_NOTFOUND when there is none).  now: created_at / updated_at. */
int srv__patient_insert(sqlite3 *db, const json_t *body, const char *now, long long *id, sarx_error *err);
int srv__patient_patch(sqlite3 *db, long long id, const json_t *body, const char *now, sarx_error *err);

/* ---- registry_visits.c ---- */

/* Append a weight to a history sorted by date (several visits on one
** date: the last one counts).  0 when out of memory. */
int srv__weight_push(srv_weight **w, size_t *n, size_t *cap, const char *date, double kg);
/* The patient's weights dated in [from, before) (NULL: no bound), oldest
** first, one per date. */
int srv__weights_between(sqlite3 *db, long long pid, const char *from, const char *before, srv_weight **out,
                         size_t *n, sarx_error *err);
/* Every visit of a patient, oldest first (inside a read transaction):
** VISIT objects as the API shows them, with "damage" (a list of what could
** not be read) on a damaged one. */
int srv__visits_load(sqlite3 *db, long long pid, json_t **out, sarx_error *err);
/* Inside the caller's write transaction (db the writer, slot a pool slot
** the caller holds, for its compression context): a visit of patient pid
** and its assessment, with the patient record and history as db reads them
** now.  *vid: the new visit.  A visit the library refuses is SRV_INVALID. */
int srv__visit_insert(srv_registry *r, sqlite3 *db, int slot, long long pid, const json_t *inputs, long long *vid,
                      sarx_error *err);
/* Inside the caller's write transaction: visit vid of patient pid deleted,
** with its measurements, assessment and sources (SRV_NOTFOUND when none). */
int srv__visit_remove(sqlite3 *db, long long pid, long long vid, sarx_error *err);
/* The stamp of a stored assessment. */
json_t *srv__stamp_json(long long aid, const char *version, const char *created, const char *defs, json_t *basis);

/* ---- registry_review.c ---- */

/* One visit as re-read for a timeline or an export. */
typedef struct srv__visit_view {
    const json_t *patient;   /* the patient record now (srv__patient_load) */
    const json_t *visit;     /* the VISIT object (srv__visits_load) */
    const json_t *merged;    /* the subject's object, or NULL */
    const sarx_subject *s;   /* the subject, when merged is not NULL */
    const sarx_assessment *a; /* its assessment (when asked for), or NULL */
    const sarx_error *err;   /* why there is no subject or assessment */
    const char *status;      /* "ok", "patient_changed", "unverified" or "damaged" */
    const char *note;        /* "" for ok, else what changed or is damaged */
} srv__visit_view;
typedef int (*srv__visit_fn)(void *ud, const srv__visit_view *v);

#define SRV__REVIEW_ASSESS 1u /* assess each visit (else the subject only) */
#define SRV__REVIEW_STATUS 2u /* compare each stored result with the record (status, note) */
/* When the record contradicts the visit, the subject from the visit alone
** (exports: the visit is still exported, marked); else no subject. */
#define SRV__REVIEW_FALLBACK 4u

/* Every visit of a patient (inside a read transaction on db, with pool
** slot `slot`), with the subject the registry's history and the current
** record give it; flags as above, assess_flags for sarx_assess_ex. */
int srv__review(srv_registry *r, sqlite3 *db, int slot, const json_t *patient, unsigned flags, unsigned assess_flags,
                srv__visit_fn fn, void *ud, sarx_error *err);

#endif
