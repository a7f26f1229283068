/*
** server.h — the patient registry (SQLite) and the HTTP API
** (libmicrohttpd) behind `sarx serve`.  Thin clients of libsarx: every
** validation, unit conversion and assessment is the library's.
**
** Layers, one file each:
**   visit.c      a subject from a patient, a visit and the earlier weights
**   registry.c   the SQLite file: schema, migrations, patients, visits,
**                assessments, exports
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

#define SRV_SCHEMA_VERSION 2

/* Outcomes of registry calls; msg holds a sentence. */
typedef enum srv_status {
    SRV_OK = 0,
    SRV_NOTFOUND,  /* no such patient / visit */
    SRV_INVALID,   /* the input was rejected: err says which field */
    SRV_CONFLICT,  /* a unique value already in use */
    SRV_BUSY,      /* the registry stayed locked */
    SRV_FAIL       /* SQLite or memory failure */
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
** connections. */
int srv_registry_open(const char *path, int nconn, unsigned flags, const sarx_ctx *ctx, srv_registry **out,
                      char *msg, size_t n);
void srv_registry_close(srv_registry *r);

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
} srv_export_counts;

/* Exports: pid < 0 for every patient.  CSV text / JSON document.  counts
** (when not NULL) receives what was exported. */
int srv_export_csv(srv_registry *r, long long pid, char **out, size_t *len, srv_export_counts *counts,
                   sarx_error *err);
int srv_export_json(srv_registry *r, json_t **out, sarx_error *err);

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
} srv_request;

typedef struct srv_response {
    int status;
    const char *content_type; /* static string */
    char *body;               /* released with free_body */
    size_t len;
    void (*free_body)(void *);
    char location[96];        /* Location header, "" if none */
    const char *allow;        /* Allow header for 405, NULL if none */
} srv_response;

/* Answer one authenticated API request (path under /api/v1). */
void srv_api(const srv_app *app, const srv_request *req, srv_response *resp);
/* An error response {"error": {"code", "message", ...}}. */
void srv_api_error(srv_response *resp, int status, const char *code, const char *message);

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
    unsigned timeout_s;
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

int srv_http_start(const srv_app *app, const srv_http_config *cfg, srv_http **out, unsigned *port, char *msg,
                   size_t n);
void srv_http_stop(srv_http *h);

#endif
