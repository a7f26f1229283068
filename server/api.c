/*
** api.c — the /api/v1 routes (docs/API.md): a request in, a status and a
** JSON body out.  Which route a path is: routes.c; the checks made on a
** request's line and headers before its body is read: gate.c.  No
** sockets here (http.c), no SQL (registry*.c).
*/
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

void srv_set_body(srv_response *resp, int status, const char *type, char *body, void (*free_body)(void *))
{
    resp->status = status;
    resp->content_type = type;
    resp->body = body;
    resp->len = body ? strlen(body) : 0;
    resp->free_body = free_body;
}

void srv_api_error(srv_response *resp, int status, const char *code, const char *message)
{
    json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    srv_set_body(resp, status, "application/json", s, free);
}

/* The same with the value that was refused and what is allowed. */
static void api_error_value(srv_response *resp, int status, const char *code, const char *message,
                            const char *value, const char *allowed)
{
    json_t *o = json_pack("{s:{s:s,s:s,s:s,s:s}}", "error", "code", code, "message", message, "value", value,
                          "allowed", allowed);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    srv_set_body(resp, status, "application/json", s, free);
}

void srv_response_free(srv_response *resp)
{
    if (resp->body && resp->free_body)
        resp->free_body(resp->body);
    resp->body = NULL;
    if (resp->produce_state && resp->produce_free)
        resp->produce_free(resp->produce_state);
    resp->produce_state = NULL;
    resp->produce = NULL;
}

static void reply_json(srv_response *resp, int status, json_t *o)
{
    char *s;
    if (!o) {
        srv_api_error(resp, 500, "internal", "out of memory");
        return;
    }
    s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(o);
    if (!s)
        srv_api_error(resp, 500, "internal", "out of memory");
    else
        srv_set_body(resp, status, "application/json", s, free);
}

/* The answer to a write that was saved: o as JSON, or, when that cannot
** be made (out of memory), a fixed body saying it was saved (the write
** must not look failed, or a client would send it again). */
static void reply_saved(srv_response *resp, int status, json_t *o, const char *saved)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(o);
    if (s)
        srv_set_body(resp, status, "application/json", s, free);
    else
        srv_set_body(resp, status, "application/json", (char *)(uintptr_t)saved, NULL);
}

/* A sarx_error as a 400 (or what its code calls for). */
static void reply_error(srv_response *resp, int status, const sarx_error *err)
{
    char *s = sarx_error_json(err);
    if (!s)
        srv_api_error(resp, 500, "internal", "out of memory");
    else
        srv_set_body(resp, status, "application/json", s, sarx_free);
}

/* Map a registry outcome to the response. */
static void reply_status(srv_response *resp, int rc, const sarx_error *err)
{
    switch (rc) {
    case SRV_NOTFOUND: srv_api_error(resp, 404, "not_found", err->message); break;
    case SRV_INVALID: reply_error(resp, 400, err); break;
    case SRV_CONFLICT: reply_error(resp, 409, err); break;
    case SRV_BUSY: srv_api_error(resp, 503, "busy", err->message); break;
    case SRV_UNAVAILABLE: srv_api_error(resp, 503, "unavailable", err->message); break;
    case SRV_UNKNOWN: srv_api_error(resp, 500, "outcome_unknown", err->message); break;
    default: srv_api_error(resp, 500, "internal", err->message[0] ? err->message : "registry failure"); break;
    }
}

void srv_api_not_allowed(srv_response *resp, const char *allow)
{
    char msg[96];
    snprintf(msg, sizeof msg, "method not allowed here (allowed: %s)", allow);
    srv_api_error(resp, 405, "method_not_allowed", msg);
    resp->allow = allow;
}

/* 1 when the body is declared JSON (or not declared); else a 415 in resp. */
static int media_ok(const srv_request *req, srv_response *resp)
{
    if (!srv_media_json(req->content_type)) {
        srv_api_error(resp, 415, "unsupported_media_type",
                      "send the body as application/json (UTF-8; parameters such as charset=utf-8 are fine)");
        return 0;
    }
    return 1;
}

/* The body as a JSON value, or a 400/415 already in resp. */
static json_t *body_json(const srv_request *req, srv_response *resp)
{
    json_error_t je;
    json_t *v;
    if (!media_ok(req, resp))
        return NULL;
    if (!req->body || req->body_len == 0) {
        sarx_error e;
        srv_error(&e, SARX_EEMPTY, "", "", "", "the request has no body (a JSON object is expected)");
        reply_error(resp, 400, &e);
        return NULL;
    }
    v = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        sarx_error e;
        srv_error(&e, SARX_ESYNTAX, "", "", "", "malformed JSON at line %d, column %d: %s", je.line, je.column,
                  je.text);
        e.line = je.line;
        e.column = je.column;
        reply_error(resp, 400, &e);
    }
    return v;
}

static json_t *body_object(const srv_request *req, srv_response *resp)
{
    json_t *v = body_json(req, resp);
    if (v && !json_is_object(v)) {
        sarx_error e;
        json_decref(v);
        srv_error(&e, SARX_ETYPE, "", "", "a JSON object", "the body must be a JSON object");
        reply_error(resp, 400, &e);
        return NULL;
    }
    return v;
}

/* A query parameter as an integer in [lo, hi]; def when absent; -1 and a 400 when bad. */
static long query_long(const srv_request *req, const char *key, long def, long lo, long hi, srv_response *resp)
{
    const char *s = req->query ? req->query(req->ud, key) : NULL;
    char *end, allowed[48];
    long v;
    if (!s)
        return def;
    errno = 0;
    v = strtol(s, &end, 10);
    if (*s && !*end && !errno && v >= lo && v <= hi)
        return v;
    snprintf(allowed, sizeof allowed, "%ld-%ld", lo, hi);
    {
        sarx_error e;
        srv_error(&e, SARX_ERANGE, key, s, allowed, "query parameter \"%s\": \"%.40s\" (allowed: integer %s)", key,
                  s, allowed);
        reply_error(resp, 400, &e);
    }
    return -1;
}

/* ---- stateless assessment ---- */

static char *assess_one(const sarx_ctx *ctx, sarx_subject *s, unsigned flags, sarx_error *err)
{
    sarx_assessment *a = NULL;
    char *out = NULL;
    if (sarx_assess_ex(ctx, s, flags, &a, err) == 0)
        out = sarx_assessment_json(a, flags & SARX_ASSESS_NO_GUIDANCE ? SARX_RENDER_NO_GUIDANCE : 0);
    sarx_assessment_free(a);
    return out;
}

/*
** A batch is answered as it is assessed: {"results":[ then one entry per
** subject, then ]}.  With 1,000 subjects of about 35 KB each the whole
** answer would be 35 MB held at once; streamed, one entry is.
*/
typedef struct batch {
    const sarx_ctx *ctx;  /* the app's, or own */
    sarx_ctx *own;        /* a ?definitions= selection, freed with the batch */
    json_t *arr;
    size_t k, n;          /* next subject, subjects */
    unsigned flags;
    int stage;            /* 0 "{"results":[", 1 entries, 2 "]}", 3 done */
    int comma;            /* the "," before entry k was given */
    sarx_subject *s;
    const char *piece;    /* what is being copied out */
    size_t len, off;
    void (*piece_free)(void *);
    char *owned;          /* piece, when it is ours to free */
} batch;

static void batch_free(void *p)
{
    batch *b = p;
    if (!b)
        return;
    if (b->owned && b->piece_free)
        b->piece_free(b->owned);
    json_decref(b->arr);
    sarx_subject_free(b->s);
    sarx_ctx_free(b->own);
    free(b);
}

static void piece_static(batch *b, const char *text)
{
    b->piece = text;
    b->len = strlen(text);
    b->off = 0;
}

static void piece_owned(batch *b, char *text, void (*release)(void *))
{
    b->owned = text;
    b->piece_free = release;
    piece_static(b, text);
}

/* The next piece of the answer: 1, 0 at the end, -1 out of memory. */
static int batch_next(batch *b)
{
    sarx_error err;
    char *text, *out = NULL;
    if (b->owned)
        b->piece_free(b->owned);
    b->owned = NULL;
    switch (b->stage) {
    case 0:
        piece_static(b, "{\"results\":[");
        b->stage = 1;
        return 1;
    case 1:
        if (b->k == b->n) {
            piece_static(b, "]}");
            b->stage = 2;
            return 1;
        }
        if (b->k && !b->comma) {
            piece_static(b, ",");
            b->comma = 1;
            return 1;
        }
        b->comma = 0;
        text = json_dumps(json_array_get(b->arr, b->k), JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (text && sarx_subject_from_json(b->s, text, strlen(text), &err) == 0)
            out = assess_one(b->ctx, b->s, b->flags, &err);
        else if (!text)
            srv_error(&err, SARX_ENOMEM, "", "", "", "out of memory");
        free(text);
        if (out) {
            piece_owned(b, out, sarx_free);
        } else {
            char *e = sarx_error_json(&err), *entry;
            size_t n = (e ? strlen(e) : 0) + 48;
            if (!e || !(entry = malloc(n))) {
                sarx_free(e);
                return -1;
            }
            /* {"index": k, "error": {...}}: splice the index in front */
            snprintf(entry, n, "{\"index\":%zu,%s", b->k, e + 1);
            sarx_free(e);
            piece_owned(b, entry, free);
        }
        b->k++;
        return 1;
    case 2:
        b->stage = 3;
        return 0;
    default:
        return 0;
    }
}

static long batch_produce(void *p, char *buf, size_t max)
{
    batch *b = p;
    size_t got = 0;
    while (got < max) {
        size_t take;
        if (b->off == b->len) {
            int rc = b->stage == 3 ? 0 : batch_next(b);
            if (rc < 0)
                return -1;
            if (rc == 0)
                break;
            continue;
        }
        take = b->len - b->off < max - got ? b->len - b->off : max - got;
        memcpy(buf + got, b->piece + b->off, take);
        b->off += take;
        got += take;
    }
    return (long)got;
}

/* The elements of a JSON array, counted on the text without building it
** (80,000 small subjects in 1 MB make 30 MB of parsed values, only to be
** refused): 1 and *n when the text is one array with its brackets
** balanced, else 0 and the parser says what is wrong. */
static int count_elements(const char *s, size_t len, size_t *n)
{
    size_t i, depth = 0, commas = 0;
    int nonempty = 0;
    for (i = 1; i < len; i++) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            if (i >= len)
                return 0;
            nonempty = 1;
        } else if (c == '[' || c == '{') {
            depth++;
            nonempty = 1;
        } else if (c == ']' || c == '}') {
            if (depth-- == 0) {
                if (c != ']')
                    return 0;
                for (i++; i < len && strchr(" \t\r\n", s[i]); i++)
                    ;
                if (i < len)
                    return 0;
                *n = nonempty ? commas + 1 : 0;
                return 1;
            }
        } else if (c == ',' && depth == 0) {
            commas++;
        } else if (!strchr(" \t\r\n", c)) {
            nonempty = 1;
        }
    }
    return 0;
}

static void too_many(srv_response *resp, size_t n, unsigned max)
{
    char msg[160], value[24], allowed[40];
    snprintf(value, sizeof value, "%zu", n);
    snprintf(allowed, sizeof allowed, "at most %u subjects", max);
    snprintf(msg, sizeof msg, "the array has %zu subjects; at most %u are assessed per request (send the rest in "
             "further requests)", n, max);
    api_error_value(resp, 413, "too_many_subjects", msg, value, allowed);
}

/* ?definitions=LIST (sarx_ctx_select): only those definitions, in the
** registry's order.  The guidance is then left out, as by `sarx assess
** --definitions`: its rules read the results of the whole set.  *sel is
** NULL without the parameter; 0 and a 400 naming the list when it is bad. */
static int definitions_param(const srv_app *app, const srv_request *req, sarx_ctx **sel, unsigned *flags,
                             srv_response *resp)
{
    const char *list = req->query ? req->query(req->ud, "definitions") : NULL;
    sarx_error err;
    *sel = NULL;
    if (!list)
        return 1;
    if (sarx_ctx_select(app->ctx, list, sel, &err) != SARX_OK) {
        if (err.code == SARX_ENOMEM)
            srv_api_error(resp, 500, "internal", "out of memory");
        else
            reply_error(resp, 400, &err);
        return 0;
    }
    if (sarx_definition_count(*sel) < sarx_definition_count(app->ctx))
        *flags |= SARX_ASSESS_NO_GUIDANCE;
    return 1;
}

static void route_assess(const srv_app *app, const srv_request *req, srv_response *resp)
{
    const char *g = req->query ? req->query(req->ud, "guidance") : NULL;
    unsigned flags = g && !strcmp(g, "0") ? SARX_ASSESS_NO_GUIDANCE : 0;
    unsigned max = app->max_subjects ? app->max_subjects : SRV_MAX_SUBJECTS;
    sarx_subject *s = NULL;
    sarx_ctx *sel = NULL;
    const sarx_ctx *ctx;
    sarx_error err;
    size_t i = 0;
    json_t *arr;
    batch *b;
    if (!media_ok(req, resp) || !definitions_param(app, req, &sel, &flags, resp))
        return;
    ctx = sel ? sel : app->ctx;
    while (req->body && i < req->body_len && strchr(" \t\r\n", req->body[i]))
        i++;
    if (sarx_subject_new(&s)) {
        sarx_ctx_free(sel);
        srv_api_error(resp, 500, "internal", "out of memory");
        return;
    }
    if (!req->body || i == req->body_len || req->body[i] != '[') {
        /* One subject: the library parses it directly (the fast path). */
        char *out;
        if (sarx_subject_from_json(s, req->body ? req->body : "", req->body_len, &err)) {
            reply_error(resp, 400, &err);
        } else if (!(out = assess_one(ctx, s, flags, &err))) {
            srv_api_error(resp, 500, "internal", "assessment failed");
        } else {
            srv_set_body(resp, 200, "application/json", out, sarx_free);
        }
        sarx_subject_free(s);
        sarx_ctx_free(sel);
        return;
    }
    {
        size_t n;
        if (count_elements(req->body + i, req->body_len - i, &n) && n > max) {
            too_many(resp, n, max);
            sarx_subject_free(s);
            sarx_ctx_free(sel);
            return;
        }
    }
    if (!(arr = body_json(req, resp))) {
        sarx_subject_free(s);
        sarx_ctx_free(sel);
        return;
    }
    if (json_array_size(arr) > max) {
        too_many(resp, json_array_size(arr), max);
        json_decref(arr);
        sarx_subject_free(s);
        sarx_ctx_free(sel);
        return;
    }
    if (!(b = calloc(1, sizeof *b))) {
        json_decref(arr);
        sarx_subject_free(s);
        sarx_ctx_free(sel);
        srv_api_error(resp, 500, "internal", "out of memory");
        return;
    }
    b->ctx = ctx;
    b->own = sel; /* the batch may outlive this call (streamed): it frees the selection */
    b->arr = arr;
    b->n = json_array_size(arr);
    b->flags = flags;
    b->s = s;
    if (req->can_stream) {
        resp->status = 200;
        resp->content_type = "application/json";
        resp->produce = batch_produce;
        resp->produce_free = batch_free;
        resp->produce_state = b;
        return;
    }
    {
        /* A caller that cannot stream gets the whole answer at once. */
        char *all = NULL, *na;
        size_t len = 0, cap = 0;
        long got;
        do {
            if (cap - len < 65536) {
                cap = cap ? cap * 2 : 262144;
                if (!(na = realloc(all, cap + 1))) {
                    got = -1;
                    break;
                }
                all = na;
            }
            got = batch_produce(b, all + len, cap - len);
            if (got > 0)
                len += (size_t)got;
        } while (got > 0);
        batch_free(b);
        if (got < 0) {
            free(all);
            srv_api_error(resp, 500, "internal", "out of memory");
            return;
        }
        all[len] = 0;
        srv_set_body(resp, 200, "application/json", all, free);
        resp->len = len;
    }
}

/* ---- patients and visits ---- */

static void route_patients(const srv_app *app, const srv_request *req, srv_response *resp)
{
    sarx_error err;
    json_t *out = NULL, *body;
    int rc;
    memset(&err, 0, sizeof err);
    if (!strcmp(req->method, "GET")) {
        long limit = query_long(req, "limit", 50, 1, 1000, resp), offset;
        const char *q = req->query ? req->query(req->ud, "q") : NULL;
        if (limit < 0)
            return;
        if ((offset = query_long(req, "offset", 0, 0, 1000000000L, resp)) < 0)
            return;
        rc = srv_patient_list(app->reg, q, limit, offset, &out, &err);
        if (rc)
            reply_status(resp, rc, &err);
        else
            reply_json(resp, 200, out);
    } else if (!strcmp(req->method, "POST")) {
        if (!(body = body_object(req, resp)))
            return;
        rc = srv_patient_create(app->reg, body, &out, &err);
        json_decref(body);
        if (rc) {
            reply_status(resp, rc, &err);
            return;
        }
        snprintf(resp->location, sizeof resp->location, "/api/v1/patients/%lld",
                 (long long)json_integer_value(json_object_get(out, "id")));
        reply_saved(resp, 201, out,
                    "{\"saved\":true,\"message\":\"the patient was saved, but the answer could not be made (out of "
                    "memory): read it at the address in the Location header before sending it again\"}");
    }
}

static void route_patient(const srv_app *app, const srv_request *req, long long pid, srv_response *resp)
{
    sarx_error err;
    json_t *out = NULL, *body;
    int rc;
    memset(&err, 0, sizeof err);
    if (!strcmp(req->method, "GET")) {
        rc = srv_patient_get(app->reg, pid, &out, &err);
    } else if (!strcmp(req->method, "PATCH")) {
        if (!(body = body_object(req, resp)))
            return;
        rc = srv_patient_update(app->reg, pid, body, &out, &err);
        json_decref(body);
    } else { /* DELETE: srv_api let no other method through */
        rc = srv_patient_delete(app->reg, pid, &err);
        if (!rc)
            srv_set_body(resp, 204, "application/json", NULL, free);
    }
    if (rc)
        reply_status(resp, rc, &err);
    else if (!strcmp(req->method, "PATCH"))
        reply_saved(resp, 200, out,
                    "{\"saved\":true,\"message\":\"the change to the patient was saved, but the answer could not "
                    "be made (out of memory): read the patient back before sending it again\"}");
    else if (out)
        reply_json(resp, 200, out);
}

static void route_visits(const srv_app *app, const srv_request *req, long long pid, srv_response *resp)
{
    sarx_error err;
    json_t *out = NULL, *body;
    char *doc = NULL;
    long long vid = 0;
    int rc;
    memset(&err, 0, sizeof err);
    if (!strcmp(req->method, "GET")) {
        rc = srv_visit_list(app->reg, pid, &out, &err);
        if (rc)
            reply_status(resp, rc, &err);
        else
            reply_json(resp, 200, out);
    } else if (!strcmp(req->method, "POST")) {
        if (!(body = body_object(req, resp)))
            return;
        rc = srv_visit_add(app->reg, pid, body, &doc, &vid, &err);
        json_decref(body);
        if (rc) {
            reply_status(resp, rc, &err);
            return;
        }
        snprintf(resp->location, sizeof resp->location, "/api/v1/patients/%lld/visits/%lld", pid, vid);
        srv_set_body(resp, 201, "application/json", doc, free);
    }
}

static void route_visit(const srv_app *app, const srv_request *req, long long pid, long long vid,
                        srv_response *resp)
{
    sarx_error err;
    char *doc = NULL;
    int rc;
    memset(&err, 0, sizeof err);
    if (!strcmp(req->method, "GET")) {
        rc = srv_visit_get(app->reg, pid, vid, &doc, &err);
        if (!rc)
            srv_set_body(resp, 200, "application/json", doc, free);
    } else { /* DELETE */
        rc = srv_visit_delete(app->reg, pid, vid, &err);
        if (!rc)
            srv_set_body(resp, 204, "application/json", NULL, free);
    }
    if (rc)
        reply_status(resp, rc, &err);
}

/* The visits of one patient (pid) or all (pid < 0) as CSV. */
static void reply_csv(const srv_app *app, long long pid, srv_response *resp)
{
    sarx_error err;
    char *text = NULL;
    size_t len = 0;
    int rc;
    memset(&err, 0, sizeof err);
    if ((rc = srv_export_csv(app->reg, pid, &text, &len, &resp->counts, NULL, &err)) != 0) {
        reply_status(resp, rc, &err);
        return;
    }
    srv_set_body(resp, 200, "text/csv; charset=utf-8", text, free);
    resp->len = len;
    resp->has_counts = 1;
}

/* The GET-only views: a patient's timeline, weight plot and CSV; the
** whole registry as CSV or JSON. */
static void route_view(const srv_app *app, srv_route what, long long pid, srv_response *resp)
{
    sarx_error err;
    json_t *out = NULL;
    char *text = NULL;
    int rc = 0;
    memset(&err, 0, sizeof err);
    if (what == SRV_R_TIMELINE) {
        if ((rc = srv_timeline(app->reg, pid, &out, &err)) == 0)
            reply_json(resp, 200, out);
    } else if (what == SRV_R_SVG) {
        if ((rc = srv_weight_svg(app->reg, pid, &text, &err)) == 0)
            srv_set_body(resp, 200, "image/svg+xml", text, free);
    } else if (what == SRV_R_EXPORT_JSON) {
        if ((rc = srv_export_json(app->reg, &out, NULL, &err)) == 0)
            reply_json(resp, 200, out);
    } else {
        reply_csv(app, what == SRV_R_EXPORT_CSV ? -1 : pid, resp);
    }
    if (rc)
        reply_status(resp, rc, &err);
}

void srv_api(const srv_app *app, const srv_request *req, srv_response *resp)
{
    long long pid, vid;
    srv_route r = srv_route_match(req->path, &pid, &vid);
    srv_request get;
    memset(resp, 0, sizeof *resp);
    /* HEAD is answered as GET (the transport sends no body): the handlers
    ** test for GET, and a HEAD let through reached their last branch, which
    ** for a patient is DELETE (found by fuzz_api). */
    if (!strcmp(req->method, "HEAD")) {
        get = *req;
        get.method = "GET";
        req = &get;
    }
    if (r == SRV_R_NONE) {
        srv_api_error(resp, 404, "not_found", "no such route (see docs/API.md)");
        return;
    }
    if (!srv_method_in(srv_routes[r].allow, req->method)) {
        srv_api_not_allowed(resp, srv_routes[r].allow);
        return;
    }
    switch (r) {
    case SRV_R_DEFS:
        srv_set_body(resp, 200, "application/json", sarx_catalogue(app->ctx, SARX_CATALOGUE_JSON), sarx_free);
        if (!resp->body)
            srv_api_error(resp, 500, "internal", "out of memory");
        break;
    case SRV_R_ASSESS: route_assess(app, req, resp); break;
    case SRV_R_PATIENTS: route_patients(app, req, resp); break;
    case SRV_R_PATIENT: route_patient(app, req, pid, resp); break;
    case SRV_R_VISITS: route_visits(app, req, pid, resp); break;
    case SRV_R_VISIT: route_visit(app, req, pid, vid, resp); break;
    case SRV_R_FHIR_ASSESS: srv_fhir_assess(app, req, resp); break;
    case SRV_R_FHIR_IMPORT: srv_fhir_import(app, req, resp); break;
    case SRV_R_PATIENT_FHIR: srv_fhir_export(app, pid, resp); break;
    default: route_view(app, r, pid, resp); break;
    }
}
