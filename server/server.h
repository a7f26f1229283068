/*
** server.h — the patient registry (SQLite) and the HTTP API
** (libmicrohttpd) behind `sarx serve`.  Thin clients of libsarx: every
** validation, unit conversion and assessment is the library's.
**
** Layers, one file each:
**   visit.c      a subject from a patient, a visit and the earlier weights
**   registry*.c  the SQLite file: schema, migrations, patients, visits,
**                assessments, exports, check (registry_int.h lists them)
**   weightplot.c the weight trajectory as SVG with the windows marked
**   api.c        /api/v1 routes: request in, status + JSON out (no sockets)
**   http.c       libmicrohttpd: bodies, limits, auth, access log
**   assets.c     the web page (generated at build time from server/web/)
*/
#ifndef SARX_SERVER_H
#define SARX_SERVER_H

#define _POSIX_C_SOURCE 200809L

#include <stddef.h>

#include <jansson.h>

#include "sarx.h"

#define SRV_SCHEMA_VERSION 4

/* Outcomes of registry calls; msg holds a sentence. */
typedef enum srv_status {
    SRV_OK = 0,
    SRV_NOTFOUND,  /* no such patient / visit */
    SRV_INVALID,   /* the input was rejected: err says which field */
    SRV_CONFLICT,  /* a unique value already in use */
    SRV_BUSY,      /* the registry stayed locked */
    SRV_FAIL,      /* SQLite or memory failure: nothing was changed */
    SRV_UNAVAILABLE, /* writes are refused (read-only, a failed sync, the file deleted or
                     ** replaced): nothing was written; err says why.  503 */
    SRV_UNKNOWN    /* the change was written but syncing it failed: it may or may not
                   ** survive a restart; err names what to check.  Never retried blindly */
} srv_status;

/* ---- visit.c ---- */

/* "YYYY-MM-DD" -> days since 1970-01-01; SRV_BAD_DATE if not a real date. */
#define SRV_BAD_DATE (-2147483647L - 1)
long srv_date_days(const char *s);
/* date minus months, the day clamped to the month's end, as the engine
** computes its windows ("" if date is not a date). */
void srv_date_minus_months(const char *date, int months, char out[11]);
/* The history a visit needs: the engine's windows reach back 12 months. */
#define SRV_HISTORY_MONTHS 12
/* Today's date (UTC) as "YYYY-MM-DD", and now as "YYYY-MM-DDTHH:MM:SSZ". */
void srv_today(char out[11]);
void srv_now(char out[21]);
/* Whole years between two valid dates. */
int srv_age_years(const char *birth, const char *on);

/* One earlier weight of the patient. */
typedef struct srv_weight {
    char date[11];
    double kg;
} srv_weight;

/*
** Build the subject of a visit: the visit's own fields (inputs, a JSON
** object as sent), the patient's sex/population/birth_date where the visit
** lacks them, and the weights dated before the visit as weight_history.
** Rejects `id` and `weight_history` in the inputs and a visit that
** contradicts the patient.  date receives the visit date; merged (when not
** NULL) the object the subject was parsed from, to release with json_decref.
*/
int srv_visit_subject(const json_t *patient, const json_t *inputs, const srv_weight *hist, size_t nhist,
                      sarx_subject *s, char date[11], json_t **merged, sarx_error *err);
/* The visit date an inputs object asks for: its assessment_date when that is
** a valid date, else today. */
void srv_visit_date(const json_t *inputs, char date[11]);

/* Validate patient fields (POST: all optional; PATCH: null clears). */
int srv_patient_check(const json_t *body, sarx_error *err);

/* Fill err with one message. */
void srv_error(sarx_error *err, int code, const char *field, const char *value, const char *allowed,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ---- registry.c ---- */

typedef struct srv_registry srv_registry;

/* How srv_registry_open may open the file. */
#define SRV_OPEN_CREATE 1u       /* create it when the path does not exist (sarx serve) */
#define SRV_OPEN_READONLY 2u     /* never write: export and check (a read-only file or filesystem) */
#define SRV_OPEN_ALLOW_SHARED 4u /* accept a registry that group or others can read (--allow-shared-db) */

/* Open (creating and migrating, as flags allow) the registry with nconn
** connections.  A new registry is created owner-only (0600, and so are its
** -wal and -shm files); an existing one that group or others may read or
** write is refused unless SRV_OPEN_ALLOW_SHARED (read-only opens do not
** ask).  A -wal file with content but no registry is refused, never
** replaced by a new, empty registry.  msg receives the reason on failure. */
int srv_registry_open(const char *path, int nconn, unsigned flags, const sarx_ctx *ctx, srv_registry **out,
                      char *msg, size_t n);
void srv_registry_close(srv_registry *r);
/* 1 when this open created the registry (the caller says so loudly). */
int srv_registry_created(const srv_registry *r);
/* Whether writes are accepted: SRV_OK (reason ""), or SRV_UNAVAILABLE with
** the reason, a sentence: the registry was opened read-only, a sync of the
** write-ahead log failed, or the registry file or its log was deleted or
** replaced since it was opened (checked now: two stat calls).  Refusal is
** sticky until the registry is opened again; reads go on.  Safe from any
** thread, never waits for a writer. */
int srv_registry_health(srv_registry *r, char *reason, size_t n);

int srv_patient_create(srv_registry *r, const json_t *body, json_t **out, sarx_error *err);
int srv_patient_get(srv_registry *r, long long id, json_t **out, sarx_error *err);
int srv_patient_update(srv_registry *r, long long id, const json_t *body, json_t **out, sarx_error *err);
int srv_patient_delete(srv_registry *r, long long id, sarx_error *err);
int srv_patient_list(srv_registry *r, const char *q, long limit, long offset, json_t **out, sarx_error *err);

/* Add a visit and its assessment in one transaction.  out: the JSON text
** {"visit", "assessment", "stamp"} (malloc'd). */
int srv_visit_add(srv_registry *r, long long pid, const json_t *inputs, char **out, long long *vid,
                  sarx_error *err);
int srv_visit_list(srv_registry *r, long long pid, json_t **out, sarx_error *err);
int srv_visit_get(srv_registry *r, long long pid, long long vid, char **out, sarx_error *err);
int srv_visit_delete(srv_registry *r, long long pid, long long vid, sarx_error *err);

/* Every visit with every definition's category, recomputed now. */
int srv_timeline(srv_registry *r, long long pid, json_t **out, sarx_error *err);
/* The weight plot of a patient (malloc'd SVG). */
int srv_weight_svg(srv_registry *r, long long pid, char **out, sarx_error *err);
/* What an export holds, for the header or trailer the user sees. */
typedef struct srv_export_counts {
    long long patients;   /* patients exported */
    long long visits;     /* visits exported: every stored visit, always */
    long long mismatched; /* of which the stored result no longer matches the patient record */
    long long damaged;    /* of which stored inputs or result could not be read */
    long long unverified; /* of which stored by a sarx that did not record the patient record
                          ** it used, the record edited since: it may not match */
} srv_export_counts;

/* Exports: pid < 0 for every patient.  CSV text / JSON document (with
** "counts").  Every stored visit, each with its record_status: ok,
** patient_changed, unverified or damaged (docs/REGISTRY.md).  counts (when
** not NULL) receives what was exported.
** tick (when not NULL) is called after each patient is read: patients done
** of how many there are (for `sarx registry export`'s progress line). */
typedef struct srv_export_tick {
    void (*fn)(void *ud, long long done, long long total);
    void *ud;
} srv_export_tick;
int srv_export_csv(srv_registry *r, long long pid, char **out, size_t *len, srv_export_counts *counts,
                   const srv_export_tick *tick, sarx_error *err);
int srv_export_json(srv_registry *r, json_t **out, const srv_export_tick *tick, sarx_error *err);

/* `sarx registry check`: integrity_check, foreign_key_check, and every
** visit's stored inputs and result read, decoded and verified.  report is
** called once per problem (one line naming the visit and what is wrong).
** SRV_OK when the check ran, whatever it found (counts->problems). */
typedef struct srv_check_counts {
    long long patients, visits, results, problems;
} srv_check_counts;
typedef void (*srv_check_fn)(void *ud, const char *problem);
int srv_registry_check(srv_registry *r, srv_check_fn report, void *ud, srv_check_counts *counts, sarx_error *err);

/* ---- registry_fhir.c ---- */

/* Every visit of patient pid, oldest first: fn gets the patient record (as
** GET /patients/{id} shows it), the visit (as GET .../visits lists it) and
** its assessment recomputed from the stored inputs (NULL, with err saying
** why, when it cannot be).  A non-zero return from fn stops and is returned. */
typedef int (*srv_fhir_visit_fn)(void *ud, const json_t *patient, const json_t *visit, const sarx_assessment *a,
                                 const sarx_error *err);
int srv_fhir_patient_visits(srv_registry *r, long long pid, srv_fhir_visit_fn fn, void *ud, sarx_error *err);
/* POST /api/v1/fhir/import once its Bundle is read, in one write
** transaction: all of it is written, or nothing (err says why; a visit
** the library refuses names its date).
** patient: {"external_id", and "sex", "birth_date", "population" when the
** Bundle gives them}: found by external_id (those fields updated when they
** differ) or created.  visits: [{"date", "inputs", "sources": ["Observation/
** w1", ...]}], oldest first, each matched to a stored visit of the patient:
** the one sharing most of its sources (then the one of its date), else the
** last one of its date.  A match with the same inputs is kept
** ("unchanged"; its sources set to these), one with others replaced by a
** new visit ("updated"), no match gives a new visit ("created").  A stored
** visit all of whose sources are now other visits' is removed.
** out: {"patient": {"id", "external_id", "action"}, "visits": [{"date",
** "visit_id", "action", and for "updated" "replaced" (the old id) and
** "previous_date" when the date moved}], "removed": [{"visit_id",
** "date"}], "notes": [...]}. */
int srv_fhir_import_apply(srv_registry *r, const json_t *patient, const json_t *visits, json_t **out,
                          sarx_error *err);

/* ---- weightplot.c ---- */

/* SVG of the points (sorted by date); the last point's 6- and 12-month
** windows shaded with the 5 % line under each window's reference weight. */
char *srv_weight_plot(const srv_weight *p, size_t n, const char *title);

/* ---- api.c ---- */

/* Subjects one POST /api/v1/assess may carry (413 beyond). */
#define SRV_MAX_SUBJECTS 1000

typedef struct srv_app {
    const sarx_ctx *ctx;
    srv_registry *reg;
    unsigned max_subjects; /* 0: SRV_MAX_SUBJECTS */
} srv_app;

typedef struct srv_request {
    const char *method;  /* "GET", ... */
    const char *path;    /* without the query string */
    const char *body;    /* NUL-terminated; NULL when none */
    size_t body_len;
    const char *content_type; /* the request's Content-Type, NULL if none */
    /* Query parameter lookup (NULL when absent). */
    const char *(*query)(void *ud, const char *key);
    void *ud;
    int can_stream;      /* 1: the answer may come as a producer (srv_response.produce) */
} srv_request;

typedef struct srv_response {
    int status;
    const char *content_type; /* static string */
    char *body;               /* released with free_body */
    size_t len;
    void (*free_body)(void *);
    char location[96];        /* Location header, "" if none */
    const char *allow;        /* Allow header for 405, NULL if none */
    unsigned retry_after;     /* Retry-After seconds (503), 0 if none */
    /* Instead of body (only when the request can_stream): the body in
    ** pieces, as long as it takes.  produce writes up to max bytes into buf
    ** and returns how many; 0 at the end, -1 on failure (the connection is
    ** then cut, so the client sees an incomplete answer, never a short one
    ** that looks whole).  produce_free releases the state. */
    long (*produce)(void *state, char *buf, size_t max);
    void (*produce_free)(void *state);
    void *produce_state;
    /* What an export holds (X-Sarx-Exported-* headers), when has_counts. */
    int has_counts;
    srv_export_counts counts;
} srv_response;

/* Answer one authenticated API request (path under /api/v1). */
void srv_api(const srv_app *app, const srv_request *req, srv_response *resp);
/* Give resp a whole body: status, content type, body (NULL for none) and
** the function that frees it (api.c). */
void srv_set_body(srv_response *resp, int status, const char *type, char *body, void (*free_body)(void *));
/* An error response {"error": {"code", "message", ...}}. */
void srv_api_error(srv_response *resp, int status, const char *code, const char *message);
/* A 405 naming the methods allowed (and its Allow header). */
void srv_api_not_allowed(srv_response *resp, const char *allow);
/* Release what a response holds (body or producer). */
void srv_response_free(srv_response *resp);

/* ---- fhir.c: the FHIR routes (docs/API.md, "FHIR") ---- */

/* POST /api/v1/fhir/assess, POST /api/v1/fhir/import, GET
** /api/v1/patients/{pid}/fhir.  Errors are OperationOutcomes
** (application/fhir+json). */
void srv_fhir_assess(const srv_app *app, const srv_request *req, srv_response *resp);
void srv_fhir_import(const srv_app *app, const srv_request *req, srv_response *resp);
void srv_fhir_export(const srv_app *app, long long pid, srv_response *resp);

/* ---- routes.c ---- */

typedef enum srv_route {
    SRV_R_NONE, SRV_R_DEFS, SRV_R_ASSESS, SRV_R_EXPORT_CSV, SRV_R_EXPORT_JSON, SRV_R_PATIENTS, SRV_R_PATIENT,
    SRV_R_VISITS, SRV_R_VISIT, SRV_R_TIMELINE, SRV_R_SVG, SRV_R_PATIENT_CSV,
    SRV_R_FHIR_ASSESS, SRV_R_FHIR_IMPORT, SRV_R_PATIENT_FHIR
} srv_route;

/* Per route: the methods allowed, the one that sends a body, and the one
** whose work grows with the registry (it runs on the long-request pool). */
typedef struct srv_route_info {
    const char *allow, *body, *longm;
} srv_route_info;
extern const srv_route_info srv_routes[];

/* The route of a path under /api/v1 (SRV_R_NONE if none), with its ids. */
srv_route srv_route_match(const char *path, long long *pid, long long *vid);
/* Is method one of a list such as "GET, POST"?  HEAD is answered as GET. */
int srv_method_in(const char *list, const char *method);

/* ---- gate.c: the checks made on the request line and headers ---- */

/* A request as its headers describe it, before a byte of its body is read. */
typedef struct srv_head {
    const char *method;
    const char *path;        /* decoded, without the query string */
    int http11;              /* HTTP/1.1 or later: Host is required */
    size_t n;                /* headers as received, names in any case */
    const char *const *name;
    const char *const *value;
} srv_head;

/* What the server accepts. */
typedef struct srv_gate {
    const char *token;
    size_t token_len;
    const char *bind;        /* the bound address: its literal is a valid Host */
    const char *const *hosts; /* --allow-host names, n_hosts of them */
    size_t n_hosts;
    size_t max_body;
} srv_gate;

/* What the request is, once its headers passed. */
typedef enum srv_kind {
    SRV_KIND_PAGE,   /* a static file of the web page (or its 404) */
    SRV_KIND_HEALTH, /* GET /api/v1/health */
    SRV_KIND_API,    /* an authenticated API route, short work */
    SRV_KIND_LONG    /* an authenticated API route whose work grows with the registry */
} srv_kind;

typedef struct srv_verdict {
    srv_kind kind;
    int authorized; /* the right token came with it */
    int body;       /* the route reads a JSON body (POST/PATCH) */
} srv_verdict;

/*
** Decide from the request line and headers alone: framing (one
** Content-Length, not with Transfer-Encoding), Host, the token, route and
** method, Content-Type and the body limit.  0 and v filled: go on.  Else
** the error's status, its answer in resp; the body must then not be read.
** No I/O: fuzz/fuzz_http.c drives it.
*/
int srv_precheck(const srv_gate *g, const srv_head *h, srv_verdict *v, srv_response *resp);
/* Is a Content-Type JSON (application/json, any case, parameters allowed,
** charset UTF-8 if given)?  NULL (none sent) counts as JSON. */
int srv_media_json(const char *content_type);

/* ---- assets.c (generated) ---- */

typedef struct srv_asset {
    const char *path;         /* "/", "/app.js", ... */
    const char *content_type;
    const unsigned char *data;
    size_t len;
} srv_asset;
const srv_asset *srv_asset_find(const char *path);

/* ---- http.c ---- */

typedef struct srv_http srv_http;
typedef struct srv_http_config {
    const char *bind;      /* address */
    unsigned port;         /* 0 = any */
    unsigned threads;
    size_t max_body;
    unsigned timeout_s;    /* a request must arrive whole (headers and body) in this time */
    const char *token;
    void *log;             /* FILE * or NULL */
    /* Host header names accepted besides the bound address (and, on
    ** loopback, "localhost"): --allow-host, n_hosts of them. */
    const char *const *hosts;
    size_t n_hosts;
    unsigned max_conn;     /* connections in all (0: a default) */
    unsigned per_ip;       /* connections per client address (0: a default) */
    unsigned export_threads; /* long requests (exports, timelines) run here (0: a default) */
} srv_http_config;

/* Defaults of the limits above (docs/API.md, "Limits"). */
#define SRV_MAX_CONN 1024
#define SRV_PER_IP 32
#define SRV_EXPORT_THREADS 2
/* Long requests waiting for a thread of their own, per thread (503 beyond). */
#define SRV_LONG_QUEUE 4

int srv_http_start(const srv_app *app, const srv_http_config *cfg, srv_http **out, unsigned *port, char *msg,
                   size_t n);
void srv_http_stop(srv_http *h);

#endif
