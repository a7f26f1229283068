/*
** http.c — libmicrohttpd under the API: request bodies up to a limit,
** the bearer token, per-connection timeouts, security headers and an
** access log that never holds a body (so no patient value reaches it).
*/
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

struct srv_http {
    struct MHD_Daemon *d;
    const srv_app *app;
    srv_http_config cfg;
    char *auth;  /* "Bearer <token>" */
    size_t auth_len;
};

/* One request's state between the calls MHD makes for it. */
typedef struct req_state {
    char *buf;
    size_t len, cap;
    int too_large;
    struct timespec t0;
} req_state;

static int equal_ct(const char *a, size_t alen, const char *b, size_t blen)
{
    /* constant time in the length of b (the secret) */
    unsigned char diff = (unsigned char)(alen != blen);
    size_t i;
    for (i = 0; i < blen; i++)
        diff |= (unsigned char)((i < alen ? (unsigned char)a[i] : 0) ^ (unsigned char)b[i]);
    return diff == 0;
}

static void access_log(const srv_http *h, const char *method, const char *url, int status, size_t bytes,
                       const struct timespec *t0)
{
    struct timespec t1;
    char now[21];
    long us;
    if (!h->cfg.log)
        return;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    us = (long)((t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000);
    srv_now(now);
    /* one fprintf: FILE locking keeps lines whole across threads */
    fprintf((FILE *)h->cfg.log, "%s %s %s %d %zu %ldus\n", now, method, url, status, bytes, us);
}

static enum MHD_Result respond(struct MHD_Connection *c, const srv_http *h, const char *method, const char *url,
                            srv_response *r, const req_state *st, int is_asset)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    if (r->body) {
        if (r->free_body == free)
            resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
        else if (r->free_body)
            resp = MHD_create_response_from_buffer_with_free_callback(r->len, r->body, r->free_body);
        else
            resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) {
        if (r->body && r->free_body)
            r->free_body(r->body);
        return MHD_NO;
    }
    if (r->body || r->status != 204)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type ? r->content_type : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, is_asset ? "no-cache" : "no-store");
    if (is_asset)
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (r->location[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
    if (r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (r->status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"sarx\"");
    ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    access_log(h, method, url, r->status, r->len, &st->t0);
    return ret;
}

static const char *query_get(void *ud, const char *key)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)ud, MHD_GET_ARGUMENT_KIND, key);
}

static void health(srv_response *r)
{
    char *s = malloc(128);
    if (s)
        snprintf(s, 128, "{\"status\":\"ok\",\"sarx_version\":\"%s\",\"schema_version\":%d}", sarx_version(),
                 SRV_SCHEMA_VERSION);
    r->status = s ? 200 : 500;
    r->content_type = "application/json";
    r->body = s;
    r->len = s ? strlen(s) : 0;
    r->free_body = free;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    srv_http *h = cls;
    req_state *st = *con_cls;
    srv_response r;
    const srv_asset *asset;
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    (void)version;

    if (!st) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &st->t0);
        *con_cls = st;
        if (cl && strtoull(cl, NULL, 10) > h->cfg.max_body) {
            /* Refuse at once: the body is not read (MHD closes the connection). */
            memset(&r, 0, sizeof r);
            srv_api_error(&r, 413, "too_large", "the request body is larger than the server's limit");
            st->too_large = 2;
            return respond(c, h, method, url, &r, st, 0);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (st->too_large) {
            *upload_size = 0;
            return MHD_YES;
        }
        if (st->len + *upload_size > h->cfg.max_body) {
            st->too_large = 1;
            free(st->buf);
            st->buf = NULL;
            st->len = st->cap = 0;
        } else {
            if (st->len + *upload_size + 1 > st->cap) {
                size_t cap = st->cap ? st->cap : 4096;
                char *nb;
                while (cap < st->len + *upload_size + 1)
                    cap *= 2;
                if (!(nb = realloc(st->buf, cap)))
                    return MHD_NO;
                st->buf = nb;
                st->cap = cap;
            }
            memcpy(st->buf + st->len, upload_data, *upload_size);
            st->len += *upload_size;
            st->buf[st->len] = 0;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->too_large == 2)
        return MHD_YES; /* answered already */

    memset(&r, 0, sizeof r);
    if (st->too_large) {
        srv_api_error(&r, 413, "too_large", "the request body is larger than the server's limit");
        return respond(c, h, method, url, &r, st, 0);
    }
    if (strncmp(url, "/api/", 5) != 0) {
        asset = get ? srv_asset_find(url) : NULL;
        if (asset) {
            r.status = 200;
            r.content_type = asset->content_type;
            r.body = (char *)(uintptr_t)asset->data;
            r.len = asset->len;
            r.free_body = NULL;
            return respond(c, h, method, url, &r, st, 1);
        }
        srv_api_error(&r, 404, "not_found", "no such page");
        return respond(c, h, method, url, &r, st, 0);
    }
    if (!strcmp(url, "/api/v1/health")) {
        if (get)
            health(&r);
        else {
            srv_api_error(&r, 405, "method_not_allowed", "method not allowed here (allowed: GET)");
            r.allow = "GET";
        }
        return respond(c, h, method, url, &r, st, 0);
    }
    {
        const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
        if (!auth || !equal_ct(auth, strlen(auth), h->auth, h->auth_len)) {
            srv_api_error(&r, 401, "unauthorized",
                          auth ? "wrong token" : "this route needs an Authorization: Bearer <token> header");
            return respond(c, h, method, url, &r, st, 0);
        }
    }
    if (strncmp(url, "/api/v1/", 8) != 0) {
        srv_api_error(&r, 404, "not_found", "no such route (the API is under /api/v1)");
        return respond(c, h, method, url, &r, st, 0);
    }
    {
        srv_request req;
        req.method = !strcmp(method, "HEAD") ? "GET" : method;
        req.path = url;
        req.body = st->buf;
        req.body_len = st->len;
        req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        req.query = query_get;
        req.ud = c;
        srv_api(h->app, &req, &r);
        if (!r.status)
            srv_api_error(&r, 500, "internal", "no response");
    }
    return respond(c, h, method, url, &r, st, 0);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    req_state *st = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (st) {
        free(st->buf);
        free(st);
        *con_cls = NULL;
    }
}

int srv_http_start(const srv_app *app, const srv_http_config *cfg, srv_http **out, unsigned *port, char *msg,
                   size_t n)
{
    srv_http *h;
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    const union MHD_DaemonInfo *info;
    size_t tl = strlen(cfg->token);

    *out = NULL;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    if (inet_pton(AF_INET, cfg->bind, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)cfg->port);
        sa = (struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, cfg->bind, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)cfg->port);
        sa = (struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(msg, n, "--bind %s: not an IPv4 or IPv6 address", cfg->bind);
        return -1;
    }
    h = calloc(1, sizeof *h);
    if (!h || !(h->auth = malloc(tl + 8))) {
        free(h);
        snprintf(msg, n, "out of memory");
        return -1;
    }
    memcpy(h->auth, "Bearer ", 7);
    memcpy(h->auth + 7, cfg->token, tl + 1);
    h->auth_len = tl + 7;
    h->app = app;
    h->cfg = *cfg;
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, h, MHD_OPTION_SOCK_ADDR, sa,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 1),
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s, MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED, completed, (void *)NULL, MHD_OPTION_END);
    if (!h->d) {
        snprintf(msg, n, "cannot listen on %s port %u (in use, or not allowed)", cfg->bind, cfg->port);
        free(h->auth);
        free(h);
        return -1;
    }
    info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : cfg->port;
    *out = h;
    return 0;
}

void srv_http_stop(srv_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    if (h->cfg.log)
        fflush((FILE *)h->cfg.log);
    free(h->auth);
    free(h);
}
