/*
** api.c — the /api/v1 routes (docs/API.md): a request in, a status and a
** JSON body out.  No sockets here (http.c), no SQL (registry.c).
*/
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_body(srv_response *resp, int status, const char *type, char *body, void (*free_body)(void *))
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
    set_body(resp, status, "application/json", s, free);
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
        set_body(resp, status, "application/json", s, free);
}

/* A sarx_error as a 400 (or what its code calls for). */
static void reply_error(srv_response *resp, int status, const sarx_error *err)
{
    char *s = sarx_error_json(err);
    if (!s)
        srv_api_error(resp, 500, "internal", "out of memory");
    else
        set_body(resp, status, "application/json", s, sarx_free);
}

/* Map a registry outcome to the response. */
static void reply_status(srv_response *resp, int rc, const sarx_error *err)
{
    switch (rc) {
    case SRV_NOTFOUND: srv_api_error(resp, 404, "not_found", err->message); break;
    case SRV_INVALID: reply_error(resp, 400, err); break;
    case SRV_CONFLICT: reply_error(resp, 409, err); break;
    case SRV_BUSY: srv_api_error(resp, 503, "busy", err->message); break;
    default: srv_api_error(resp, 500, "internal", err->message[0] ? err->message : "registry failure"); break;
    }
}

static void not_allowed(srv_response *resp, const char *allow)
{
    char msg[96];
    snprintf(msg, sizeof msg, "method not allowed here (allowed: %s)", allow);
    srv_api_error(resp, 405, "method_not_allowed", msg);
    resp->allow = allow;
}

/* 1 when the body is declared JSON (or not declared); else a 415 in resp. */
static int media_ok(const srv_request *req, srv_response *resp)
{
    if (req->content_type && strncmp(req->content_type, "application/json", 16) != 0) {
        srv_api_error(resp, 415, "unsupported_media_type", "send the body as application/json");
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

/* A positive id from a path segment; 0 if not one. */
static long long parse_id(const char *s, size_t n)
{
    long long v = 0;
    size_t i;
    if (n == 0 || n > 15)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
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

static char *assess_one(const srv_app *app, sarx_subject *s, unsigned flags, sarx_error *err)
{
    sarx_assessment *a = NULL;
    char *out = NULL;
    if (sarx_assess_ex(app->ctx, s, flags, &a, err) == 0)
        out = sarx_assessment_json(a, flags & SARX_ASSESS_NO_GUIDANCE ? SARX_RENDER_NO_GUIDANCE : 0);
    sarx_assessment_free(a);
    return out;
}

static void route_assess(const srv_app *app, const srv_request *req, srv_response *resp)
{
    const char *g = req->query ? req->query(req->ud, "guidance") : NULL;
    unsigned flags = g && !strcmp(g, "0") ? SARX_ASSESS_NO_GUIDANCE : 0;
    sarx_subject *s = NULL;
    sarx_error err;
    size_t i = 0;
    if (!media_ok(req, resp))
        return;
    while (req->body && i < req->body_len && strchr(" \t\r\n", req->body[i]))
        i++;
    if (sarx_subject_new(&s)) {
        srv_api_error(resp, 500, "internal", "out of memory");
        return;
    }
    if (!req->body || i == req->body_len || req->body[i] != '[') {
        /* One subject: the library parses it directly (the fast path). */
        char *out;
        if (sarx_subject_from_json(s, req->body ? req->body : "", req->body_len, &err)) {
            reply_error(resp, 400, &err);
        } else if (!(out = assess_one(app, s, flags, &err))) {
            srv_api_error(resp, 500, "internal", "assessment failed");
        } else {
            set_body(resp, 200, "application/json", out, sarx_free);
        }
    } else {
        json_t *arr = body_json(req, resp);
        FILE *f;
        char *buf = NULL;
        size_t len = 0, k;
        if (arr && (f = open_memstream(&buf, &len))) {
            fputs("{\"results\":[", f);
            for (k = 0; k < json_array_size(arr); k++) {
                char *text = json_dumps(json_array_get(arr, k), JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17));
                char *out = NULL;
                if (k)
                    fputc(',', f);
                if (text && sarx_subject_from_json(s, text, strlen(text), &err) == 0)
                    out = assess_one(app, s, flags, &err);
                else if (!text)
                    srv_error(&err, SARX_ENOMEM, "", "", "", "out of memory");
                if (out) {
                    fputs(out, f);
                } else {
                    char *e = sarx_error_json(&err);
                    /* {"index": k, "error": {...}}: splice the index in front */
                    fprintf(f, "{\"index\":%zu,%s", k, e ? e + 1 : "\"error\":{\"code\":\"nomem\"}}");
                    sarx_free(e);
                }
                sarx_free(out);
                free(text);
            }
            fputs("]}", f);
            if (fclose(f) == 0)
                set_body(resp, 200, "application/json", buf, free);
            else {
                free(buf);
                srv_api_error(resp, 500, "internal", "out of memory");
            }
        } else if (arr) {
            srv_api_error(resp, 500, "internal", "out of memory");
        }
        json_decref(arr);
    }
    sarx_subject_free(s);
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
        reply_json(resp, 201, out);
    } else {
        not_allowed(resp, "GET, POST");
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
    } else if (!strcmp(req->method, "DELETE")) {
        rc = srv_patient_delete(app->reg, pid, &err);
        if (!rc)
            set_body(resp, 204, "application/json", NULL, free);
    } else {
        not_allowed(resp, "GET, PATCH, DELETE");
        return;
    }
    if (rc)
        reply_status(resp, rc, &err);
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
        set_body(resp, 201, "application/json", doc, free);
    } else {
        not_allowed(resp, "GET, POST");
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
            set_body(resp, 200, "application/json", doc, free);
    } else if (!strcmp(req->method, "DELETE")) {
        rc = srv_visit_delete(app->reg, pid, vid, &err);
        if (!rc)
            set_body(resp, 204, "application/json", NULL, free);
    } else {
        not_allowed(resp, "GET, DELETE");
        return;
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
    if ((rc = srv_export_csv(app->reg, pid, &text, &len, NULL, &err)) != 0) {
        reply_status(resp, rc, &err);
        return;
    }
    set_body(resp, 200, "text/csv; charset=utf-8", text, free);
    resp->len = len;
}

/* GET-only routes of one patient: timeline, weight.svg, export.csv. */
static void route_patient_view(const srv_app *app, const srv_request *req, long long pid, const char *what,
                               srv_response *resp)
{
    sarx_error err;
    json_t *out = NULL;
    char *text = NULL;
    int rc = 0;
    memset(&err, 0, sizeof err);
    if (strcmp(req->method, "GET") != 0) {
        not_allowed(resp, "GET");
        return;
    }
    if (!strcmp(what, "timeline")) {
        if ((rc = srv_timeline(app->reg, pid, &out, &err)) == 0)
            reply_json(resp, 200, out);
    } else if (!strcmp(what, "weight.svg")) {
        if ((rc = srv_weight_svg(app->reg, pid, &text, &err)) == 0)
            set_body(resp, 200, "image/svg+xml", text, free);
    } else {
        reply_csv(app, pid, resp);
    }
    if (rc)
        reply_status(resp, rc, &err);
}

static void route_export(const srv_app *app, const srv_request *req, int csv, srv_response *resp)
{
    sarx_error err;
    json_t *out = NULL;
    int rc;
    memset(&err, 0, sizeof err);
    if (strcmp(req->method, "GET") != 0) {
        not_allowed(resp, "GET");
        return;
    }
    if (csv) {
        reply_csv(app, -1, resp);
        return;
    }
    if ((rc = srv_export_json(app->reg, &out, &err)) != 0)
        reply_status(resp, rc, &err);
    else
        reply_json(resp, 200, out);
}

/* Does the segment [s, s+n) equal word? */
static int seg_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

void srv_api(const srv_app *app, const srv_request *req, srv_response *resp)
{
    const char *seg[5];
    size_t len[5], nseg = 0;
    const char *p = req->path + strlen("/api/v1");
    long long pid = 0, vid = 0;
    memset(resp, 0, sizeof *resp);
    /* split the rest of the path on '/' */
    while (*p == '/' && nseg < 5) {
        const char *q = ++p;
        while (*p && *p != '/')
            p++;
        seg[nseg] = q;
        len[nseg++] = (size_t)(p - q);
    }
    if (*p || nseg == 0)
        goto not_found;
    if (nseg == 1 && seg_is(seg[0], len[0], "definitions")) {
        if (strcmp(req->method, "GET") != 0) {
            not_allowed(resp, "GET");
            return;
        }
        set_body(resp, 200, "application/json", sarx_catalogue(app->ctx, SARX_CATALOGUE_JSON), sarx_free);
        if (!resp->body)
            srv_api_error(resp, 500, "internal", "out of memory");
        return;
    }
    if (nseg == 1 && seg_is(seg[0], len[0], "assess")) {
        if (strcmp(req->method, "POST") != 0)
            not_allowed(resp, "POST");
        else
            route_assess(app, req, resp);
        return;
    }
    if (nseg == 1 && (seg_is(seg[0], len[0], "export.csv") || seg_is(seg[0], len[0], "export.json"))) {
        route_export(app, req, seg[0][7] == 'c', resp);
        return;
    }
    if (!seg_is(seg[0], len[0], "patients"))
        goto not_found;
    if (nseg == 1) {
        route_patients(app, req, resp);
        return;
    }
    if (!(pid = parse_id(seg[1], len[1])))
        goto not_found;
    if (nseg == 2) {
        route_patient(app, req, pid, resp);
        return;
    }
    if (seg_is(seg[2], len[2], "visits")) {
        if (nseg == 3) {
            route_visits(app, req, pid, resp);
            return;
        }
        if (nseg == 4 && (vid = parse_id(seg[3], len[3]))) {
            route_visit(app, req, pid, vid, resp);
            return;
        }
        goto not_found;
    }
    if (nseg == 3 && (seg_is(seg[2], len[2], "timeline") || seg_is(seg[2], len[2], "weight.svg") ||
                      seg_is(seg[2], len[2], "export.csv"))) {
        char what[16];
        memcpy(what, seg[2], len[2]);
        what[len[2]] = 0;
        route_patient_view(app, req, pid, what, resp);
        return;
    }
not_found:
    srv_api_error(resp, 404, "not_found", "no such route (see docs/API.md)");
}
