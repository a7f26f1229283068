/*
** http.c — libmicrohttpd under the API.  What a request may cost before it
** has shown the token is bounded:
**   - its headers are judged (srv_precheck, api.c) before a byte of its body
**     is read; a refusal is answered at once and the connection closed;
**   - a watchdog gives every request --timeout seconds to arrive whole,
**     headers and body together (libmicrohttpd's own timeout is reset by
**     every byte, so a client trickling a line every few seconds would
**     hold its connection for ever), and, before the token, to be
**     answered too; a request not read by then (its thread busy) is
**     answered 408 and never run, even if it has arrived whole;
**   - connections are capped in all (within the open-file limit, less the
**     descriptors open already) and per client address, and a reserve of
**     them is kept for clients that showed the token: when the others fill
**     their share, the oldest of them goes;
**   - requests whose work grows with the registry (exports, timelines, the
**     visit list, the weight plot) run on a small pool of their own, their
**     connection suspended meanwhile, so short requests never wait behind
**     them; a bounded number may wait (503 and Retry-After beyond).
** Security headers on every answer, and an access log that never holds a
** body or a query string (so no patient value reaches it) and logs the
** path as received, escaped, so it cannot forge a line.
*/
#include "server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <microhttpd.h>

/* Answers this large give their memory back to the system afterwards; a
** produced body longer than this is sent as it is made (chunked). */
#define BIG_ANSWER (1u << 20)

/* One connection, as the watchdog sees it (its socket context).  Only
** libmicrohttpd's thread of the connection ever writes to it: the watchdog
** and a connection making room shut a connection down, and what its client
** is owed (408, 503) is answered from that thread (completed), unless
** libmicrohttpd or the handler has answered already. */
typedef struct conn_slot {
    struct conn_slot *prev, *next; /* in the order the connections came */
    int fd;
    struct timespec deadline; /* for the request being received (and, untrusted, answered) */
    int armed;     /* the deadline holds */
    int answering; /* the handler has answered the request (it is being sent) */
    int counted;   /* counted in srv_http.untrusted: it has not shown the token */
    int shut;      /* shut down (deadline, or room made): nothing more of it is run */
    int half;      /* only its read side: libmicrohttpd is still to see the end */
    int owed;      /* the status its client is owed for that, 0 if none */
    int sent;      /* the status sent for it from outside the handler, for the log */
} conn_slot;

/* One request's state between the calls libmicrohttpd makes for it. */
typedef struct req_state {
    struct req_state *next; /* in the queue of long requests */
    struct MHD_Connection *c;
    conn_slot *slot;
    struct timespec t0;
    char raw[256];    /* the path as received, escaped, for the log */
    char method[24];  /* escaped too */
    int phase;        /* 0 nothing seen, 1 headers judged, 2 whole (answered or running) */
    srv_verdict v;
    char *buf;        /* the body, when the route reads one */
    size_t len, cap;
    int too_large;
    char *path;       /* a long request's path, for the pool */
    int job;          /* 0 none, 1 queued or running, 2 done (resp holds the answer), 3 answered */
    srv_response resp;
    int status;       /* what was answered, for the log (0: nothing) */
    size_t bytes;
    size_t body_seen;
    int gave_up;      /* not run: its connection had been shut (its client is owed 408 or 503) */
} req_state;

struct srv_http {
    struct MHD_Daemon *d;
    const srv_app *app;
    srv_http_config cfg;
    srv_gate gate;
    char *token;
    const char **hosts;
    /* the watchdog and the connections */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t watchdog;
    int have_watchdog, stop;
    conn_slot *head, *tail;
    unsigned untrusted, max_untrusted;
    /* the pool of long requests */
    pthread_mutex_t pmu;
    pthread_cond_t pcv;
    pthread_t *workers;
    unsigned nworkers, queued, max_queued;
    int pstop;
    req_state *qhead, *qtail;
};

/* ---- time ---- */

static void now_mono(struct timespec *t)
{
    clock_gettime(CLOCK_MONOTONIC, t);
}

static int before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static long elapsed_us(const struct timespec *t0)
{
    struct timespec t1;
    now_mono(&t1);
    return (long)((t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000);
}

/* ---- the access log ---- */

/* Copy s (up to stop, if given) with every byte that is not visible ASCII,
** and '"' and '\', as %XX: a "%0a" sent in a path stays those three
** characters, and no raw control byte reaches the log. */
static void escape(const char *s, int stop, char *out, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (; *s && *s != stop; s++) {
        unsigned char c = (unsigned char)*s;
        if (o + 3 > n - 4) { /* room for this byte, "..." and the NUL no more */
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = 0;
}

static void access_log(const srv_http *h, const req_state *st, int status)
{
    char now[21], code[8];
    if (!h->cfg.log)
        return;
    srv_now(now);
    if (status)
        snprintf(code, sizeof code, "%d", status);
    else
        strcpy(code, "-");
    /* one fprintf: FILE locking keeps lines whole across threads */
    fprintf((FILE *)h->cfg.log, "%s %s %s %s %zu %ldus\n", now, st->method[0] ? st->method : "-", st->raw, code,
            st->bytes, elapsed_us(&st->t0));
}

/* ---- the connections: deadlines, trust and the reserve ---- */

static conn_slot *slot_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? (conn_slot *)ci->socket_context : NULL;
}

/* Send the answer a connection is owed (408, 503): from its own thread of
** libmicrohttpd only, when nothing else has answered its request. */
static void send_owed(int fd, int status)
{
    char msg[600], body[256];
    const char *text = status == 408 ? "the request did not arrive whole in time (--timeout)"
                                     : "the server is at its limit of connections from clients that have not shown "
                                       "the token, and this one was closed to keep room for those that have";
    const char *code = status == 408 ? "request_timeout" : "too_many_connections";
    int bl = snprintf(body, sizeof body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, text);
    int ml = snprintf(msg, sizeof msg,
                      "HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Type: application/json\r\n"
                      "Content-Length: %d\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
                      "X-Frame-Options: DENY\r\nCache-Control: no-store\r\n%s\r\n",
                      status, status == 408 ? "Request Timeout" : "Service Unavailable", bl,
                      status == 503 ? "Retry-After: 1\r\n" : "");
    if (bl > 0 && (size_t)bl < sizeof body && ml > 0 && (size_t)ml + (size_t)bl < sizeof msg) {
        memcpy(msg + ml, body, (size_t)bl);
        (void)!send(fd, msg, (size_t)ml + (size_t)bl, MSG_DONTWAIT | MSG_NOSIGNAL);
    }
}

static void uncount(srv_http *h, conn_slot *s)
{
    if (s->counted) {
        s->counted = 0;
        h->untrusted--;
    }
}

/* Shut a connection down from outside its thread (the watchdog, or another
** connection making room), under h->mu.  Nothing is written here: a
** request still coming in has its read side shut, so libmicrohttpd reads
** its end (after what the kernel holds already, which is then read but
** not run; the watchdog wakes it again until it has), and its client is
** answered `status` from the connection's own thread (completed).  An
** answer being sent is cut. */
static void slot_shut(srv_http *h, conn_slot *s, int status)
{
    if (s->answering) {
        shutdown(s->fd, SHUT_RDWR);
    } else {
        shutdown(s->fd, SHUT_RD);
        s->half = 1;
        s->owed = status;
        pthread_cond_signal(&h->cv); /* (the watchdog's next pass wakes it again) */
    }
    s->shut = 1;
    s->armed = 0;
    uncount(h, s);
}

/* A new connection when there is no room for it and none to make: refused
** at once (503), from its own thread, before anything is read from it.
** Under h->mu. */
static void slot_refuse(srv_http *h, conn_slot *s)
{
    send_owed(s->fd, 503);
    shutdown(s->fd, SHUT_RDWR);
    s->sent = 503;
    s->shut = 1;
    s->armed = 0;
    uncount(h, s);
}

static void arm(const srv_http *h, conn_slot *s)
{
    now_mono(&s->deadline);
    s->deadline.tv_sec += (time_t)h->cfg.timeout_s;
    s->armed = 1;
    s->answering = 0;
}

static void notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    srv_http *h = cls;
    conn_slot *s = *socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!ci)
            return;
        if (!(s = calloc(1, sizeof *s))) {
            shutdown(ci->connect_fd, SHUT_RDWR); /* unwatched, it would have no deadline */
            return;
        }
        s->fd = ci->connect_fd;
        arm(h, s);
        pthread_mutex_lock(&h->mu);
        s->prev = h->tail;
        if (h->tail)
            h->tail->next = s;
        else
            h->head = s;
        h->tail = s;
        s->counted = 1;
        h->untrusted++;
        /* Past the share of connections that have not shown the token, the
        ** oldest of the others makes room (every one of them has a
        ** deadline, answer included); with none to make room, this one
        ** is refused: the reserve is never eaten. */
        while (h->untrusted > h->max_untrusted) {
            conn_slot *o;
            for (o = h->head; o; o = o->next)
                if (o != s && o->counted && o->armed && !o->shut)
                    break;
            if (!o) {
                slot_refuse(h, s);
                break;
            }
            slot_shut(h, o, 503);
        }
        pthread_mutex_unlock(&h->mu);
        *socket_context = s;
    } else if (s) {
        /* libmicrohttpd closes the socket after this returns: once the slot
        ** is out of the list the watchdog can no longer reach its fd. */
        pthread_mutex_lock(&h->mu);
        if (s->prev)
            s->prev->next = s->next;
        else
            h->head = s->next;
        if (s->next)
            s->next->prev = s->prev;
        else
            h->tail = s->prev;
        uncount(h, s);
        pthread_mutex_unlock(&h->mu);
        free(s);
        *socket_context = NULL;
    }
}

static void *watchdog(void *arg)
{
    srv_http *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->stop) {
        struct timespec now, wake;
        conn_slot *s;
        int poke = 0;
        now_mono(&now);
        wake = now;
        wake.tv_sec += 1;
        for (s = h->head; s; s = s->next) {
            if (s->half) {
                /* Bytes the client sent after the shut are still read (the
                ** kernel keeps taking them), and libmicrohttpd reads the end
                ** only from an empty queue: wake it again until it does. */
                shutdown(s->fd, SHUT_RD);
                poke = 1;
                continue;
            }
            if (!s->armed || s->shut)
                continue;
            if (!before(&now, &s->deadline)) {
                slot_shut(h, s, 408);
                poke = 1;
            } else if (before(&s->deadline, &wake))
                wake = s->deadline;
        }
        if (poke) { /* again in 100 ms */
            struct timespec soon = now;
            soon.tv_nsec += 100000000L;
            if (soon.tv_nsec >= 1000000000L) {
                soon.tv_sec++;
                soon.tv_nsec -= 1000000000L;
            }
            if (before(&soon, &wake))
                wake = soon;
        }
        /* a 50 ms grain: deadlines are seconds */
        wake.tv_nsec += 50000000L;
        if (wake.tv_nsec >= 1000000000L) {
            wake.tv_sec++;
            wake.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->cv, &h->mu, &wake);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

/* The connection showed the token: it leaves the share of the others and
** is never made room from. */
static void slot_trust(srv_http *h, conn_slot *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&h->mu);
    uncount(h, s);
    pthread_mutex_unlock(&h->mu);
}

/* Has the connection been shut (deadline, or room made)?  Then its request
** is not run, even when it has arrived whole: its client is owed 408 or
** 503, and a retry must not find it done. */
static int slot_gone(srv_http *h, conn_slot *s)
{
    int gone;
    if (!s)
        return 0;
    pthread_mutex_lock(&h->mu);
    gone = s->shut;
    pthread_mutex_unlock(&h->mu);
    return gone;
}

/* The request has arrived whole, or is refused from its headers, and is
** about to be answered.  1 when its connection was shut before (then it is
** not answered, nor run: slot_gone).  Otherwise, from here on the watchdog
** only cuts: a connection that showed the token has no deadline until its
** next request; one that has not keeps its deadline while the answer is
** sent, so a client reading slowly holds nothing for longer. */
static int slot_answer(srv_http *h, conn_slot *s)
{
    int gone;
    if (!s)
        return 0;
    pthread_mutex_lock(&h->mu);
    gone = s->shut;
    if (!gone) {
        s->answering = 1;
        if (!s->counted)
            s->armed = 0;
    }
    pthread_mutex_unlock(&h->mu);
    return gone;
}

/* ---- answers ---- */

typedef struct held {
    void *body;
    void (*free_body)(void *);
} held;

/* A large body goes, and its pages with it (glibc keeps freed memory of
** its arenas otherwise: 3.7 GB stayed after one large answer). */
static void free_big(void *p)
{
    held *b = p;
    if (b->free_body)
        b->free_body(b->body);
    free(b);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/*
** A produced body: up to BIG_ANSWER bytes are made first.  When that is the
** whole of it, it goes out as one buffer with a Content-Length (a batch of
** a few subjects); a longer one goes out chunked, that first part and then
** the rest as it is made, so no more than one part is ever held.
*/
typedef struct stream {
    srv_response r;
    size_t *bytes; /* the request's count, for the log */
    size_t have, off;
    int done;
    char head[]; /* the first part */
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    long n;
    (void)pos;
    if (s->off < s->have) {
        n = (long)(s->have - s->off < max ? s->have - s->off : max);
        memcpy(buf, s->head + s->off, (size_t)n);
        s->off += (size_t)n;
    } else if ((n = s->r.produce(s->r.produce_state, buf, max)) < 0) {
        return MHD_CONTENT_READER_END_WITH_ERROR;
    } else if (n == 0) {
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    *s->bytes += (size_t)n;
    return (ssize_t)n;
}

/* After a large answer or body, hand the freed memory back to the system
** (glibc keeps it in the heap otherwise: docs/API.md, Limits). */
static void give_back(int big)
{
#ifdef __GLIBC__
    if (big)
        malloc_trim(0);
#else
    (void)big;
#endif
}

static void stream_free(void *cls)
{
    stream *s = cls;
    int big = !s->done;
    srv_response_free(&s->r);
    free(s);
    give_back(big);
}

/* The response for r; NULL out of memory, or with *failed set when the
** producer failed before anything was sent (then r is freed). */
static struct MHD_Response *make_response(srv_response *r, req_state *st, int *failed)
{
    struct MHD_Response *resp = NULL;
    *failed = 0;
    if (r->produce) {
        stream *s = calloc(1, sizeof *s + BIG_ANSWER);
        if (!s)
            return NULL;
        s->r = *r;
        s->bytes = &st->bytes;
        r->produce = NULL;
        r->produce_state = NULL;
        while (s->have < BIG_ANSWER) {
            long n = s->r.produce(s->r.produce_state, s->head + s->have, BIG_ANSWER - s->have);
            if (n < 0) {
                stream_free(s);
                *failed = 1;
                return NULL;
            }
            if (n == 0) {
                s->done = 1;
                break;
            }
            s->have += (size_t)n;
        }
        if (s->done) {
            st->bytes = s->have;
            resp = MHD_create_response_from_buffer_with_free_callback_cls(s->have, s->head, stream_free, s);
        } else {
            resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s, stream_free);
        }
        if (!resp)
            stream_free(s);
        return resp;
    }
    st->bytes = r->len;
    if (!r->body)
        return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r->free_body)
        return MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_PERSISTENT);
    if (r->len >= BIG_ANSWER) {
        held *b = malloc(sizeof *b);
        if (!b)
            return NULL;
        b->body = r->body;
        b->free_body = r->free_body;
        resp = MHD_create_response_from_buffer_with_free_callback_cls(r->len, r->body, free_big, b);
        if (!resp)
            free(b);
    } else if (r->free_body == free) {
        resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    } else {
        resp = MHD_create_response_from_buffer_with_free_callback(r->len, r->body, r->free_body);
    }
    if (resp)
        r->body = NULL; /* the response owns it now */
    return resp;
}

static enum MHD_Result respond(struct MHD_Connection *c, req_state *st, srv_response *r, int is_asset)
{
    int failed;
    struct MHD_Response *resp = make_response(r, st, &failed);
    enum MHD_Result ret;
    char v[32];
    if (failed) {
        srv_api_error(r, 500, "internal", "out of memory");
        resp = make_response(r, st, &failed);
    }
    if (!resp) {
        srv_response_free(r);
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
    if (r->retry_after) {
        snprintf(v, sizeof v, "%u", r->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
    if (r->has_counts) {
        snprintf(v, sizeof v, "%lld", r->counts.patients);
        MHD_add_response_header(resp, "X-Sarx-Exported-Patients", v);
        snprintf(v, sizeof v, "%lld", r->counts.visits);
        MHD_add_response_header(resp, "X-Sarx-Exported-Visits", v);
        snprintf(v, sizeof v, "%lld", r->counts.mismatched);
        MHD_add_response_header(resp, "X-Sarx-Exported-Mismatched", v);
        snprintf(v, sizeof v, "%lld", r->counts.damaged);
        MHD_add_response_header(resp, "X-Sarx-Exported-Damaged", v);
        snprintf(v, sizeof v, "%lld", r->counts.unverified);
        MHD_add_response_header(resp, "X-Sarx-Exported-Unverified", v);
    }
    ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    st->status = r->status;
    srv_response_free(r);
    return ret;
}

static const char *query_get(void *ud, const char *key)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)ud, MHD_GET_ARGUMENT_KIND, key);
}

/* GET /api/v1/health: up, and whether the registry accepts writes.  After
** a failed sync, or with the registry file deleted or replaced under the
** server, reads go on but writes are refused: "status" says "read_only"
** and "reason" why (still 200: the server answers, and reads work). */
static void health(const srv_http *h, srv_response *r)
{
    char reason[256] = "";
    int writable = !h->app->reg || srv_registry_health(h->app->reg, reason, sizeof reason) == SRV_OK;
    json_t *o = json_pack("{s:s,s:b,s:s,s:i}", "status", writable ? "ok" : "read_only", "writable", writable,
                          "sarx_version", sarx_version(), "schema_version", SRV_SCHEMA_VERSION);
    char *s = NULL;
    if (o && !writable)
        json_object_set_new(o, "reason", json_string(reason));
    s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    r->status = s ? 200 : 500;
    r->content_type = "application/json";
    r->body = s;
    r->len = s ? strlen(s) : 0;
    r->free_body = free;
}

/* ---- the pool of long requests ---- */

static void *pool_main(void *arg)
{
    srv_http *h = arg;
    pthread_mutex_lock(&h->pmu);
    for (;;) {
        req_state *st;
        while (!h->qhead && !h->pstop)
            pthread_cond_wait(&h->pcv, &h->pmu);
        if (!(st = h->qhead))
            break;
        if (!(h->qhead = st->next))
            h->qtail = NULL;
        h->queued--;
        if (h->pstop) {
            memset(&st->resp, 0, sizeof st->resp);
            srv_api_error(&st->resp, 503, "busy", "the server is stopping");
        } else {
            srv_request req;
            pthread_mutex_unlock(&h->pmu);
            memset(&req, 0, sizeof req);
            req.method = "GET"; /* long routes are GET (HEAD answered as GET) */
            req.path = st->path;
            srv_api(h->app, &req, &st->resp);
            if (!st->resp.status)
                srv_api_error(&st->resp, 500, "internal", "no response");
            pthread_mutex_lock(&h->pmu);
        }
        st->job = 2;
        /* st belongs to its connection again from here */
        pthread_mutex_unlock(&h->pmu);
        MHD_resume_connection(st->c);
        pthread_mutex_lock(&h->pmu);
    }
    pthread_mutex_unlock(&h->pmu);
    return NULL;
}

/* Hand a long request to the pool (its connection waits, suspended), or
** answer 503 when too many wait already. */
static enum MHD_Result run_long(srv_http *h, struct MHD_Connection *c, req_state *st, const char *url)
{
    srv_response r;
    memset(&r, 0, sizeof r);
    if (!(st->path = strdup(url))) {
        srv_api_error(&r, 500, "internal", "out of memory");
        return respond(c, st, &r, 0);
    }
    pthread_mutex_lock(&h->pmu);
    if (h->pstop || h->queued >= h->max_queued) {
        int stopping = h->pstop;
        pthread_mutex_unlock(&h->pmu);
        srv_api_error(&r, 503, "busy",
                      stopping ? "the server is stopping"
                               : "too many exports, timelines and visit lists are waiting; try again shortly");
        r.retry_after = 2;
        return respond(c, st, &r, 0);
    }
    /* suspended before it is queued, so the pool's resume always finds it suspended */
    MHD_suspend_connection(c);
    st->job = 1;
    st->next = NULL;
    if (h->qtail)
        h->qtail->next = st;
    else
        h->qhead = st;
    h->qtail = st;
    h->queued++;
    pthread_cond_signal(&h->pcv);
    pthread_mutex_unlock(&h->pmu);
    return MHD_YES;
}

/* ---- requests ---- */

/* Called with the request line, before its headers: the request's state
** starts here, so the raw path is at hand for the log. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
    req_state *st = calloc(1, sizeof *st);
    (void)cls;
    if (!st)
        return NULL;
    st->c = c;
    now_mono(&st->t0);
    escape(uri, '?', st->raw, sizeof st->raw);
    st->slot = slot_of(c);
    return st;
}

typedef struct headers {
    const char **name, **value;
    size_t n, cap;
    int failed;
} headers;

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    headers *hs = cls;
    (void)kind;
    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? hs->cap * 2 : 32;
        const char **nn = realloc(hs->name, cap * sizeof *nn), **nv;
        if (!nn) {
            hs->failed = 1;
            return MHD_NO;
        }
        hs->name = nn;
        if (!(nv = realloc(hs->value, cap * sizeof *nv))) {
            hs->failed = 1;
            return MHD_NO;
        }
        hs->value = nv;
        hs->cap = cap;
    }
    hs->name[hs->n] = key;
    hs->value[hs->n++] = value;
    return MHD_YES;
}

/* The first call: judge the headers before the body is read. */
static enum MHD_Result first_call(srv_http *h, struct MHD_Connection *c, req_state *st, const char *url,
                                  const char *method, const char *version)
{
    headers hs;
    srv_head head;
    srv_response r;
    int rc;
    memset(&hs, 0, sizeof hs);
    escape(method, 0, st->method, sizeof st->method);
    if (slot_gone(h, st->slot)) {
        /* shut before libmicrohttpd's thread came to it (it was busy) */
        st->gave_up = 1;
        return MHD_NO;
    }
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, &hs);
    if (hs.failed) {
        free(hs.name);
        free(hs.value);
        return MHD_NO;
    }
    head.method = method;
    head.path = url;
    head.http11 = version && strcmp(version, MHD_HTTP_VERSION_1_0) != 0 && strcmp(version, "") != 0;
    head.n = hs.n;
    head.name = hs.name;
    head.value = hs.value;
    rc = srv_precheck(&h->gate, &head, &st->v, &r);
    free(hs.name);
    free(hs.value);
    st->phase = 1;
    if (rc) {
        /* answered now: libmicrohttpd then closes without reading the body */
        st->phase = 2;
        if (slot_answer(h, st->slot)) {
            srv_response_free(&r);
            st->gave_up = 1;
            return MHD_NO;
        }
        return respond(c, st, &r, 0);
    }
    if (st->v.authorized)
        slot_trust(h, st->slot); /* the deadline still holds until the body is in */
    return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    srv_http *h = cls;
    req_state *st = *con_cls;
    srv_response r;

    if (!st)
        return MHD_NO; /* out of memory when the request line came */
    if (st->phase == 0)
        return first_call(h, c, st, url, method, version);
    if (*upload_size) {
        /* Only a route that reads a body keeps it (its client showed the
        ** token); any other body is read past, bounded by the deadline. */
        st->body_seen += *upload_size;
        if (st->body_seen > h->cfg.max_body) {
            /* a chunked body crossing the limit: 413 once it has ended */
            st->too_large = 1;
            free(st->buf);
            st->buf = NULL;
            st->len = st->cap = 0;
        } else if (st->v.body) {
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
    if (st->phase == 2) {
        /* back from the pool */
        if (st->job == 2) {
            st->job = 3;
            return respond(c, st, &st->resp, 0);
        }
        return MHD_YES;
    }
    /* the request is whole: run it, unless its client was told 408 or 503
    ** meanwhile (the watchdog, while this thread was busy elsewhere) */
    st->phase = 2;
    if (slot_answer(h, st->slot)) {
        st->gave_up = 1;
        return MHD_NO;
    }
    memset(&r, 0, sizeof r);
    if (st->too_large) {
        char msg[128];
        snprintf(msg, sizeof msg, "the request body is larger than the server's limit of %zu bytes (--max-body)",
                 h->cfg.max_body);
        srv_api_error(&r, 413, "too_large", msg);
        return respond(c, st, &r, 0);
    }
    switch (st->v.kind) {
    case SRV_KIND_PAGE: {
        const srv_asset *asset = (!strcmp(method, "GET") || !strcmp(method, "HEAD")) ? srv_asset_find(url) : NULL;
        if (asset) {
            r.status = 200;
            r.content_type = asset->content_type;
            r.body = (char *)(uintptr_t)asset->data;
            r.len = asset->len;
            r.free_body = NULL;
            return respond(c, st, &r, 1);
        }
        srv_api_error(&r, 404, "not_found", "no such page");
        return respond(c, st, &r, 0);
    }
    case SRV_KIND_HEALTH:
        health(h, &r);
        return respond(c, st, &r, 0);
    case SRV_KIND_LONG:
        return run_long(h, c, st, url);
    default: {
        srv_request req;
        memset(&req, 0, sizeof req);
        req.method = !strcmp(method, "HEAD") ? "GET" : method;
        req.path = url;
        req.body = st->buf;
        req.body_len = st->len;
        req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        req.query = query_get;
        req.ud = c;
        req.can_stream = 1;
        srv_api(h->app, &req, &r);
        if (!r.status)
            srv_api_error(&r, 500, "internal", "no response");
        /* the body is not needed once answered */
        free(st->buf);
        st->buf = NULL;
        return respond(c, st, &r, 0);
    }
    }
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    srv_http *h = cls;
    req_state *st = *con_cls;
    conn_slot *s = slot_of(c);
    int status = 0, big;
    if (!st)
        return;
    if (s) {
        pthread_mutex_lock(&h->mu);
        /* A connection shut while its request came in: its client is told
        ** why, here, from this thread, unless libmicrohttpd answered it
        ** itself (400, 413, 431: it ends those requests "with error"
        ** without the handler, which did not give up on them). */
        if (s->owed && !st->status && (toe != MHD_REQUEST_TERMINATED_WITH_ERROR || st->gave_up)) {
            send_owed(s->fd, s->owed);
            s->sent = s->owed;
        }
        s->owed = 0;
        status = s->sent;
        /* the next request on this connection gets its own --timeout */
        if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK && !s->shut)
            arm(h, s);
        pthread_mutex_unlock(&h->mu);
    }
    access_log(h, st, st->status ? st->status : status);
    big = st->cap >= BIG_ANSWER;
    free(st->buf);
    free(st->path);
    srv_response_free(&st->resp);
    free(st);
    *con_cls = NULL;
    give_back(big);
}

/* ---- start and stop ---- */

/* How many descriptors the process has open: counted in /proc/self/fd,
** else estimated high from what the registry opens per connection (its
** file, log and index, for the --threads, the long requests' threads and
** 3 more) and 16 besides. */
static unsigned open_descriptors(const srv_http_config *cfg)
{
    DIR *d = opendir("/proc/self/fd");
    unsigned count = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] != '.')
                count++;
        closedir(d);
        return count ? count - 1 : 0; /* not the directory's own */
    }
    return 3 * ((cfg->threads ? cfg->threads : 1) + (cfg->export_threads ? cfg->export_threads : SRV_EXPORT_THREADS) +
                3) + 16;
}

int srv_http_start(const srv_app *app, const srv_http_config *cfg, srv_http **out, unsigned *port, char *msg,
                   size_t n)
{
    srv_http *h;
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
    const union MHD_DaemonInfo *info;
    pthread_condattr_t ca;
    struct rlimit rl;
    unsigned i, max_conn, per_ip;
    size_t k;

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
    max_conn = cfg->max_conn ? cfg->max_conn : SRV_MAX_CONN;
    /* A connection is a descriptor.  Kept aside: those open now (the
    ** registry's connections, the log), libmicrohttpd's (a listening
    ** socket, and per thread an epoll and a wake-up descriptor, counted
    ** as 3), and 64 more (SQLite's temporary files, the registry's checks). */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        unsigned threads = cfg->threads ? cfg->threads : 1;
        rlim_t aside = (rlim_t)open_descriptors(cfg) + 1 + 3 * (rlim_t)threads + 64;
        if (rl.rlim_cur < aside + 16) {
            snprintf(msg, n,
                     "too few file descriptors (ulimit -n %llu; %llu are open or kept aside, and 16 connections "
                     "need %llu in all)",
                     (unsigned long long)rl.rlim_cur, (unsigned long long)aside, (unsigned long long)(aside + 16));
            return -1;
        }
        if (rl.rlim_cur - aside < (rlim_t)max_conn)
            max_conn = (unsigned)(rl.rlim_cur - aside);
    }
    per_ip = cfg->per_ip ? cfg->per_ip : SRV_PER_IP;
    h = calloc(1, sizeof *h);
    if (!h || !(h->token = strdup(cfg->token)) ||
        !(h->hosts = calloc(cfg->n_hosts ? cfg->n_hosts : 1, sizeof *h->hosts))) {
        if (h)
            free(h->token);
        free(h);
        snprintf(msg, n, "out of memory");
        return -1;
    }
    for (k = 0; k < cfg->n_hosts; k++)
        h->hosts[k] = cfg->hosts[k];
    h->app = app;
    h->cfg = *cfg;
    h->cfg.max_conn = max_conn;
    h->cfg.per_ip = per_ip;
    h->cfg.export_threads = cfg->export_threads ? cfg->export_threads : SRV_EXPORT_THREADS;
    h->cfg.hosts = h->hosts;
    h->gate.token = h->token;
    h->gate.token_len = strlen(h->token);
    h->gate.bind = cfg->bind;
    h->gate.hosts = h->hosts;
    h->gate.n_hosts = cfg->n_hosts;
    h->gate.max_body = cfg->max_body;
    /* an eighth of the connections is kept for clients that showed the token */
    h->max_untrusted = max_conn - (max_conn / 8 > 2 ? max_conn / 8 : 2);
    h->max_queued = SRV_LONG_QUEUE * h->cfg.export_threads;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->pmu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&h->pcv, NULL);
    if (!(h->workers = calloc(h->cfg.export_threads, sizeof *h->workers))) {
        snprintf(msg, n, "out of memory");
        srv_http_stop(h);
        return -1;
    }
    for (i = 0; i < h->cfg.export_threads; i++) {
        if (pthread_create(&h->workers[i], NULL, pool_main, h) != 0) {
            snprintf(msg, n, "cannot start the threads of long requests");
            srv_http_stop(h);
            return -1;
        }
        h->nworkers++;
    }
    if (pthread_create(&h->watchdog, NULL, watchdog, h) != 0) {
        snprintf(msg, n, "cannot start the connection watchdog");
        srv_http_stop(h);
        return -1;
    }
    h->have_watchdog = 1;
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, h, MHD_OPTION_SOCK_ADDR, sa,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 1),
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s, MHD_OPTION_CONNECTION_LIMIT,
                            max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, MHD_OPTION_NOTIFY_COMPLETED,
                            completed, (void *)h, MHD_OPTION_NOTIFY_CONNECTION, notify_connection, (void *)h,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_seen, (void *)h, MHD_OPTION_END);
    if (!h->d) {
        snprintf(msg, n, "cannot listen on %s port %u (in use, or not allowed)", cfg->bind, cfg->port);
        srv_http_stop(h);
        return -1;
    }
    info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : cfg->port;
    *out = h;
    return 0;
}

void srv_http_stop(srv_http *h)
{
    unsigned i;
    if (!h)
        return;
    /* The pool first: running requests finish, waiting ones get 503, and
    ** every suspended connection is resumed (libmicrohttpd refuses to stop
    ** with one suspended). */
    pthread_mutex_lock(&h->pmu);
    h->pstop = 1;
    pthread_cond_broadcast(&h->pcv);
    pthread_mutex_unlock(&h->pmu);
    for (i = 0; i < h->nworkers; i++)
        pthread_join(h->workers[i], NULL);
    if (h->d)
        MHD_stop_daemon(h->d);
    if (h->have_watchdog) {
        pthread_mutex_lock(&h->mu);
        h->stop = 1;
        pthread_cond_signal(&h->cv);
        pthread_mutex_unlock(&h->mu);
        pthread_join(h->watchdog, NULL);
    }
    if (h->cfg.log)
        fflush((FILE *)h->cfg.log);
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->pmu);
    pthread_cond_destroy(&h->cv);
    pthread_cond_destroy(&h->pcv);
    free(h->workers);
    free(h->hosts);
    free(h->token);
    free(h);
}
