/*
** http.c — the HTTP layer of `sarx serve` under attack, against a real
** server on loopback (docs/API.md, "Limits"):
**   - refusals (token, route, method, media type, size) come from the
**     headers, before a byte of the body is sent, and unauthenticated
**     bodies cost the server no memory;
**   - a request trickled a line at a time is cut at --timeout in all, a
**     client address gets --per-client connections, and during a flood of
**     slow connections /health and an authenticated assess answer in 1 s;
**   - a request whose --timeout passed while the server's thread was busy
**     (a slow sync, tests/failsync.c) is answered 408 and never run, even
**     if it was whole by then;
**   - connections without the token never take the reserve, not even
**     while holding their answers back, and the connection cap leaves room
**     for the descriptors open at start;
**   - POST /assess takes at most 1,000 subjects, streams its answer and
**     gives its memory back;
**   - /health answers in 100 ms while two large exports run, and long
**     requests beyond the pool's queue get 503 with Retry-After;
**   - strictness: one Content-Length, Host required and checked, "bearer"
**     and media types in any case, and a log that cannot be forged.
** Floods come from 127.0.0.2 and up, the legitimate client from 127.0.0.1.
** Every wait is bounded, so the old server fails here instead of hanging.
**
**   http SARX [TEST...]   (SARX: the sarx binary to start; TEST: run only
**                         these, by name: deadline, flood...)
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "httpc.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#define TOKEN "0123456789abcdef0123456789abcdef"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* The memory checks hold for a server on glibc's allocator: a sanitizer's
** allocator keeps what it frees (malloc_trim does nothing there) and
** quarantines it.  The server shares this program's build under `make
** check`; CI also drives a ThreadSanitizer server with this program built
** plainly, and says so with SARX_SERVER_SANITIZED=1. */
static int memory_checks(void)
{
    const char *e = getenv("SARX_SERVER_SANITIZED");
    return !UNDER_ASAN && !(e && *e && strcmp(e, "0") != 0);
}

static const char *sarx;
static char dir[] = "/tmp/sarx-http-XXXXXX";
static char shim[PATH_MAX]; /* failsync.so, beside this program */

/* ---- small tools ---- */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

/* A kB figure of /proc/PID/status ("VmRSS", "VmHWM"); -1 if unreadable. */
static long proc_kb(pid_t pid, const char *key)
{
    char path[64], line[256];
    long v = -1;
    size_t k = strlen(key);
    FILE *f;
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, k) && line[k] == ':')
            v = atol(line + k + 1);
    fclose(f);
    return v;
}

/* A TCP connection to 127.0.0.1:port from 127.0.0.src (0: the default
** source); -1 on failure. */
static int tcp_from(int port, int src)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (src) {
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)src);
        if (bind(fd, (struct sockaddr *)&a, sizeof a)) {
            close(fd);
            return -1;
        }
    }
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

typedef struct answer {
    int status;        /* 0: none in time; -1: closed without one */
    char head[4096];   /* status line and headers */
    char *body;        /* de-chunked, NUL-terminated */
    size_t len;
    int closed;        /* the server closed the connection after it */
} answer;

static void answer_free(answer *a)
{
    free(a->body);
    a->body = NULL;
}

/* Wait up to ms for fd to be readable; 1 readable, 0 not. */
static int readable(int fd, double deadline)
{
    struct pollfd p = {fd, POLLIN, 0};
    double left = deadline - now_ms();
    if (left < 0)
        left = 0;
    return poll(&p, 1, (int)left) > 0;
}

/* The value of a header in a.head (name in any case), or NULL. */
static const char *header(const answer *a, const char *name, char *out, size_t n)
{
    hc_resp r;
    size_t k = strlen(a->head);
    if (k >= sizeof r.headers)
        k = sizeof r.headers - 1;
    memcpy(r.headers, a->head, k);
    r.headers[k] = 0;
    return hc_header(&r, name, out, n);
}

/* Decode a chunked body (in place unless dry); its length, or -1 if it is
** not whole yet. */
static long dechunk(char *p, size_t n, int dry)
{
    size_t in = 0, out = 0;
    for (;;) {
        size_t sz = 0, k = in;
        /* the size in hex, then CRLF (by hand: a sanitizer's strstr
        ** would measure the whole 37 MB on every chunk) */
        while (k < n && isxdigit((unsigned char)p[k])) {
            int c = p[k++];
            sz = sz * 16 + (size_t)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
        }
        if (k == in || k + 2 > n || p[k] != '\r' || p[k + 1] != '\n')
            return -1;
        in = k + 2;
        if (sz == 0)
            return (long)out;
        if (in + sz + 2 > n)
            return -1;
        if (!dry)
            memmove(p + out, p + in, sz);
        out += sz;
        in += sz + 2;
    }
}

/* Read one answer from fd within ms milliseconds. */
static void read_answer(int fd, int ms, const char *method, answer *a)
{
    double deadline = now_ms() + ms;
    size_t have = 0, cap = 65536, hl = 0;
    char *buf = malloc(cap + 1), *end;
    long want = -1; /* body bytes, -2 chunked, -3 to the close */
    memset(a, 0, sizeof *a);
    if (!buf)
        return;
    for (;;) {
        ssize_t got;
        if (hl && want >= 0 && have >= hl + (size_t)want)
            break;
        if (hl && want == -2) {
            buf[have] = 0;
            if (have >= hl + 5 && !memcmp(buf + have - 5, "0\r\n\r\n", 5) && dechunk(buf + hl, have - hl, 1) >= 0)
                break;
        }
        if (!readable(fd, deadline)) {
            if (!hl)
                a->status = 0;
            break;
        }
        if (have == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        got = recv(fd, buf + have, cap - have, 0);
        if (got <= 0) {
            a->closed = 1;
            if (!hl)
                a->status = -1;
            break;
        }
        have += (size_t)got;
        buf[have] = 0;
        if (!hl && (end = strstr(buf, "\r\n\r\n")) != NULL) {
            char v[64];
            hl = (size_t)(end - buf) + 4;
            snprintf(a->head, sizeof a->head, "%.*s", (int)hl, buf);
            a->status = atoi(buf + 9);
            if (!strcmp(method, "HEAD") || a->status == 204)
                want = 0;
            else if (header(a, "Content-Length", v, sizeof v))
                want = atol(v);
            else if (header(a, "Transfer-Encoding", v, sizeof v) && !strcasecmp(v, "chunked"))
                want = -2;
            else
                want = -3;
        }
    }
    if (hl && a->status > 0) {
        long n = (long)(have - hl);
        if (want == -2)
            n = dechunk(buf + hl, have - hl, 0);
        else if (want >= 0 && n > want)
            n = want;
        if (n < 0 || (want >= 0 && n < want)) {
            a->status = 0; /* not whole */
            n = 0;
        }
        a->body = malloc((size_t)n + 1);
        if (a->body) {
            memcpy(a->body, buf + hl, (size_t)n);
            a->body[n] = 0;
            a->len = (size_t)n;
        }
    }
    free(buf);
}

/* Send raw bytes on a new connection from 127.0.0.src and read the answer. */
static int exchange(int port, int src, const char *req, size_t len, int ms, answer *a)
{
    int fd = tcp_from(port, src);
    char method[16];
    memset(a, 0, sizeof *a);
    if (fd < 0)
        return -1;
    sscanf(req, "%15s", method);
    if (write_all(fd, req, len)) {
        close(fd);
        return -1;
    }
    read_answer(fd, ms, method, a);
    close(fd);
    return a->status;
}

/* The status of a request made of a request line, header lines and a body. */
static int status_raw(int port, const char *head, const char *body, int ms)
{
    char req[8192];
    answer a;
    int st;
    snprintf(req, sizeof req, "%s\r\n%s", head, body ? body : "");
    st = exchange(port, 0, req, strlen(req), ms, &a);
    answer_free(&a);
    return st;
}

static int start(const char *name, const char *const *extra, hc_server *s)
{
    char db[160];
    snprintf(db, sizeof db, "%s/%s.db", dir, name);
    return hc_start(sarx, db, TOKEN, extra, s);
}

/* The same with tests/failsync.c preloaded, each sync of the registry's
** log taking delay_ms while the file `while_` exists. */
static int start_slow_sync(const char *name, const char *const *extra, const char *delay_ms, const char *while_,
                           hc_server *s)
{
    const char *const env[] = {"SARX_SYNCDELAY_MS", delay_ms, "SARX_SYNCDELAY_WHILE", while_, NULL};
    char db[160];
    snprintf(db, sizeof db, "%s/%s.db", dir, name);
    return hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, s);
}

/* Stop a server; a killed one when the test failed (the old server may be
** deep in work it should never have taken on). */
static void stop(hc_server *s, int failed_before)
{
    if (h_fail > failed_before) {
        hc_stop(s, SIGKILL);
        return;
    }
    CHECK_INT(hc_stop(s, SIGTERM), 0);
}

/* ---- 5: the headers decide before the body is read ---- */

static void test_headers_first(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    static const struct {
        const char *line, *auth, *ctype;
        int status;
    } cases[] = {
        {"POST /api/v1/patients", NULL, "application/json", 401},
        {"POST /api/v1/patients", "Bearer wrong-token-0123456789", "application/json", 401},
        {"POST /api/v1/patients", "Basic " TOKEN, "application/json", 401},
        {"POST /api/v1/nothing", "Bearer " TOKEN, "application/json", 404},
        {"PUT /api/v1/patients", "Bearer " TOKEN, "application/json", 405},
        {"POST /api/v1/patients", "Bearer " TOKEN, "text/plain", 415},
        {"POST /api/v1/patients/1/visits", "Bearer " TOKEN, "application/xml", 415},
    };
    hc_server s;
    int f0 = h_fail;
    size_t i;
    if (start("first", extra, &s)) {
        h_fail++;
        return;
    }
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char req[1024], v[128];
        answer a;
        int fd = tcp_from(s.port, 0);
        double t0 = now_ms();
        snprintf(req, sizeof req, "%s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%sContent-Type: %s\r\nContent-Length: 900000\r\n\r\n",
                 cases[i].line, cases[i].auth ? "Authorization: " : "", cases[i].auth ? cases[i].auth : "",
                 cases[i].auth ? "\r\n" : "", cases[i].ctype);
        /* the headers only: the answer must come without the body */
        CHECK(fd >= 0 && write_all(fd, req, strlen(req)) == 0);
        read_answer(fd, 2000, "POST", &a);
        CHECK_INT(a.status, cases[i].status);
        CHECK(now_ms() - t0 < 1000);
        if (cases[i].status == 401)
            CHECK(header(&a, "WWW-Authenticate", v, sizeof v) && strstr(v, "Bearer"));
        CHECK(header(&a, "X-Content-Type-Options", v, sizeof v) && !strcmp(v, "nosniff"));
        /* and the connection is closed: the body is never read */
        if (!a.closed) {
            answer b;
            read_answer(fd, 2000, "POST", &b);
            CHECK(b.closed);
            answer_free(&b);
        }
        answer_free(&a);
        if (fd >= 0)
            close(fd);
    }
    stop(&s, f0);
}

/* Unauthenticated bodies cost no memory: N connections from 127.0.0.2-31
** each send a 1 MB body. */
static void test_body_flood(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    enum { N = 300, BODY = 1000000 };
    hc_server s;
    int fds[N], i, open_ = 0, f0 = h_fail;
    size_t sent[N];
    char *body = malloc(BODY), head[256];
    long hwm0, hwm1, rss1;
    double end;
    if (!body || start("bodyflood", extra, &s)) {
        free(body);
        h_fail++;
        return;
    }
    memset(body, ' ', BODY);
    body[0] = '{';
    body[BODY - 1] = '}';
    /* a request the server has answered before, so its pools exist */
    CHECK_INT(status_raw(s.port, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", NULL, 2000), 200);
    hwm0 = proc_kb(s.pid, "VmHWM");
    snprintf(head, sizeof head, "POST /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Content-Length: %d\r\n\r\n", BODY);
    for (i = 0; i < N; i++) {
        fds[i] = tcp_from(s.port, 2 + i % 30);
        sent[i] = 0;
        if (fds[i] >= 0) {
            fcntl(fds[i], F_SETFL, O_NONBLOCK);
            if (send(fds[i], head, strlen(head), MSG_NOSIGNAL) == (ssize_t)strlen(head))
                open_++;
            else {
                close(fds[i]);
                fds[i] = -1;
            }
        }
    }
    CHECK_INT(open_, N);
    /* push the bodies for at most 3 s, as far as the server takes them */
    end = now_ms() + 3000;
    while (open_ && now_ms() < end) {
        int progress = 0;
        for (i = 0; i < N; i++) {
            ssize_t w;
            if (fds[i] < 0)
                continue;
            w = send(fds[i], body + sent[i], BODY - sent[i], MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0) {
                sent[i] += (size_t)w;
                progress = 1;
            }
            if ((w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || sent[i] == BODY) {
                close(fds[i]);
                fds[i] = -1;
                open_--;
            }
        }
        if (!progress)
            sleep_ms(5);
    }
    for (i = 0; i < N; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    sleep_ms(200);
    hwm1 = proc_kb(s.pid, "VmHWM");
    rss1 = proc_kb(s.pid, "VmRSS");
    printf("body flood: %d unauthenticated 1 MB bodies: server peak %ld -> %ld kB, %ld kB after\n", N, hwm0, hwm1,
           rss1);
    CHECK(hwm0 > 0 && hwm1 > 0);
    if (memory_checks())
        CHECK(hwm1 - hwm0 < 48 * 1024); /* the old server buffered them: 300 MB */
    CHECK_INT(status_raw(s.port, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", NULL, 2000), 200);
    free(body);
    stop(&s, f0);
}

/* ---- 6: a deadline for the whole request, caps per client, a reserve ---- */

static void test_deadline(void)
{
    static const char *const extra[] = {"--timeout", "2", "--access-log", "off", NULL};
    hc_server s;
    int fd, f0 = h_fail;
    double t0, closed_at = -1;
    answer a;
    char req[512];
    if (start("deadline", extra, &s)) {
        h_fail++;
        return;
    }
    /* a header line every 300 ms: each line resets an idle timeout, the
    ** deadline is 2 s for the whole request */
    fd = tcp_from(s.port, 2);
    t0 = now_ms();
    {
        const char *line = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        CHECK(fd >= 0 && write_all(fd, line, strlen(line)) == 0);
    }
    while (fd >= 0 && now_ms() - t0 < 5000) {
        if (readable(fd, now_ms() + 300)) {
            read_answer(fd, 500, "GET", &a);
            closed_at = now_ms() - t0;
            CHECK_INT(a.status, 408);
            CHECK(a.body && strstr(a.body, "\"request_timeout\""));
            answer_free(&a);
            break;
        }
        if (send(fd, "X-Trickle: 1\r\n", 14, MSG_NOSIGNAL) != 14) {
            closed_at = now_ms() - t0;
            break;
        }
    }
    printf("deadline: a request trickled a line per 300 ms was cut after %.0f ms (--timeout 2)\n", closed_at);
    CHECK(closed_at >= 1800 && closed_at <= 3500);
    if (fd >= 0)
        close(fd);
    /* a body trickled a byte per 300 ms: the same */
    fd = tcp_from(s.port, 2);
    t0 = now_ms();
    snprintf(req, sizeof req, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                              "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{", TOKEN);
    CHECK(fd >= 0 && write_all(fd, req, strlen(req)) == 0);
    closed_at = -1;
    while (fd >= 0 && now_ms() - t0 < 5000) {
        if (readable(fd, now_ms() + 300)) {
            read_answer(fd, 500, "POST", &a);
            closed_at = now_ms() - t0;
            CHECK_INT(a.status, 408);
            answer_free(&a);
            break;
        }
        if (send(fd, " ", 1, MSG_NOSIGNAL) != 1) {
            closed_at = now_ms() - t0;
            break;
        }
    }
    CHECK(closed_at >= 1800 && closed_at <= 3500);
    if (fd >= 0)
        close(fd);
    /* a kept-alive connection gets the full time again for its next request */
    {
        hc_conn c = {-1, s.port};
        hc_resp r;
        CHECK(hc_request(&c, "GET", "/api/v1/health", NULL, NULL, 0, NULL, &r) == 0 && r.status == 200);
        hc_free(&r);
        sleep_ms(1200);
        CHECK(hc_request(&c, "GET", "/api/v1/health", NULL, NULL, 0, NULL, &r) == 0 && r.status == 200);
        hc_free(&r);
        sleep_ms(1200);
        CHECK(hc_request(&c, "GET", "/api/v1/health", NULL, NULL, 0, NULL, &r) == 0 && r.status == 200);
        hc_free(&r);
        hc_close(&c);
    }
    stop(&s, f0);
}

/* A request that never ends: a header line every 20 ms until answered,
** closed, or 8 s. */
typedef struct trickler {
    int fd;
    double t0;
    int status; /* the answer's, -1 closed without one, 0 none */
    double at;  /* when, in ms from t0 */
} trickler;

static void *trickle_one(void *arg)
{
    trickler *t = arg;
    while (now_ms() - t->t0 < 8000) {
        if (readable(t->fd, now_ms() + 20)) {
            answer a;
            read_answer(t->fd, 500, "GET", &a);
            t->status = a.status;
            t->at = now_ms() - t->t0;
            answer_free(&a);
            return NULL;
        }
        if (send(t->fd, "X-Trickle: 1\r\n", 14, MSG_NOSIGNAL) != 14) {
            t->status = -1;
            t->at = now_ms() - t->t0;
            return NULL;
        }
    }
    return NULL;
}

/*
** Requests whose deadline passed while the server's one thread was busy
** (writes whose sync of the log takes 1.8 s each): answered 408 and never
** run, though they were whole in the kernel before their deadline, so a
** retry cannot duplicate them; the log says 408.  C's write holds the
** thread while A's, B1's and B2's requests arrive; A's write holds it
** again while the deadline of B1 (its headers read before) and B2
** (nothing read before) passes; then their requests are read.  B3's
** headers are too large: libmicrohttpd answers it 431 itself, and nothing
** more is sent on it.  B4 sends a header line every 20 ms throughout: once
** the thread is free, it is cut with 408 all the same.
*/
static void test_busy_deadline(void)
{
    char logp[160], trigger[160], path[96], ra[1024], rb[1024], rc[1024], rd[1024], line[1024], pat[160];
    const char *extra[] = {"--threads", "1", "--timeout", "3", "--access-log", logp, NULL};
    static const char fmt[] = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                              "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s";
    static const char *const bodies[] = {"{\"assessment_date\":\"2026-01-01\",\"weight_kg\":70}",
                                         "{\"assessment_date\":\"2026-02-02\",\"weight_kg\":69}",
                                         "{\"assessment_date\":\"2026-03-03\",\"weight_kg\":68}",
                                         "{\"assessment_date\":\"2026-04-04\",\"weight_kg\":67}"};
    hc_server s;
    hc_conn c = {-1, 0};
    hc_resp r;
    answer ac, aa, ab1, ab2, ab3;
    trickler b4;
    pthread_t th;
    int have_th = 0;
    int f0 = h_fail, fa, fb1, fb2, fb3, fc, fd, la, lb, lc, ld, n201 = 0, n408 = 0, nother = 0;
    size_t lbig, more = 0;
    char *big = malloc(48 * 1024);
    long long pid = 0;
    double t0;
    json_t *j;
    FILE *f;
    snprintf(logp, sizeof logp, "%s/busy.log", dir);
    snprintf(trigger, sizeof trigger, "%s/slow.on", dir);
    if (!big || start_slow_sync("busy", extra, "1800", trigger, &s)) {
        free(big);
        h_fail++;
        return;
    }
    c.port = s.port;
    if (hc_request(&c, "POST", "/api/v1/patients", TOKEN, "{\"label\":\"busy\"}", 16, NULL, &r) == 0 &&
        r.status == 201) {
        j = json_loads(r.body, 0, NULL);
        pid = json_integer_value(json_object_get(j, "id"));
        json_decref(j);
    }
    hc_free(&r);
    hc_close(&c);
    CHECK(pid > 0);
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    lc = snprintf(rc, sizeof rc, fmt, path, TOKEN, strlen(bodies[0]), bodies[0]);
    la = snprintf(ra, sizeof ra, fmt, path, TOKEN, strlen(bodies[1]), bodies[1]);
    lb = snprintf(rb, sizeof rb, fmt, path, TOKEN, strlen(bodies[2]), bodies[2]);
    ld = snprintf(rd, sizeof rd, fmt, path, TOKEN, strlen(bodies[3]), bodies[3]);
    lbig = (size_t)snprintf(big, 256, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ", path);
    memset(big + lbig, 'x', 40 * 1024);
    lbig += 40 * 1024;
    memcpy(big + lbig, "\r\n\r\n", 4);
    lbig += 4;
    t0 = now_ms();
    fa = tcp_from(s.port, 0);
    fb1 = tcp_from(s.port, 0);
    fb2 = tcp_from(s.port, 0);
    fb3 = tcp_from(s.port, 0);
    CHECK(fa >= 0 && fb1 >= 0 && fb2 >= 0 && fb3 >= 0 && write_all(fb1, rb, (size_t)lb - 1) == 0 &&
          write_all(fb3, big, 100) == 0);
    memset(&b4, 0, sizeof b4);
    b4.t0 = t0;
    b4.fd = tcp_from(s.port, 0);
    if (b4.fd >= 0 && write_all(b4.fd, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", 46) == 0)
        have_th = pthread_create(&th, NULL, trickle_one, &b4) == 0;
    CHECK(have_th);
    sleep_ms(100);
    /* the disk turns slow: C's write holds the one thread 1.8 s */
    fd = open(trigger, O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    fc = tcp_from(s.port, 0);
    CHECK(fc >= 0 && write_all(fc, rc, (size_t)lc) == 0);
    sleep_ms(150);
    /* A, B1, B2 and B3 whole in the kernel, 0.25 s into their 3 s */
    CHECK(write_all(fa, ra, (size_t)la) == 0 && write_all(fb1, rb + lb - 1, 1) == 0 &&
          write_all(fb2, rd, (size_t)ld) == 0 && write_all(fb3, big + 100, lbig - 100) == 0);
    /* A's write (from 1.9 s to 3.7 s) is slow too; nothing later is */
    sleep_ms(2800 - (long)(now_ms() - t0));
    unlink(trigger);
    read_answer(fc, 6000, "POST", &ac);
    read_answer(fa, 6000, "POST", &aa);
    read_answer(fb1, 6000, "POST", &ab1);
    read_answer(fb2, 6000, "POST", &ab2);
    read_answer(fb3, 6000, "POST", &ab3);
    for (;;) {
        char b[512];
        ssize_t n;
        if (!readable(fb3, now_ms() + 1000) || (n = recv(fb3, b, sizeof b, 0)) <= 0)
            break;
        more += (size_t)n;
    }
    printf("busy: two visits whole in the kernel before their deadline, whose deadline passed while a slow "
           "sync held the one thread: %d and %d (%.0f ms); the slow writes %d and %d\n",
           ab1.status, ab2.status, now_ms() - t0, ac.status, aa.status);
    CHECK_INT(ac.status, 201);
    CHECK_INT(aa.status, 201);
    CHECK_INT(ab1.status, 408);
    CHECK_INT(ab2.status, 408);
    CHECK(ab1.body && strstr(ab1.body, "\"request_timeout\"") && ab2.body && strstr(ab2.body, "\"request_timeout\""));
    CHECK_INT(ab3.status, 431);
    CHECK_INT(more, 0);
    if (have_th)
        pthread_join(th, NULL);
    printf("busy: a request trickled a line per 20 ms, its deadline passed while the thread was busy (to 3.7 "
           "s): %d after %.0f ms\n", b4.status, b4.at);
    CHECK_INT(b4.status, 408);
    CHECK(b4.at < 4700);
    if (b4.fd >= 0)
        close(b4.fd);
    answer_free(&ab3);
    free(big);
    close(fb3);
    answer_free(&ac);
    answer_free(&aa);
    answer_free(&ab1);
    answer_free(&ab2);
    close(fa);
    close(fb1);
    close(fb2);
    close(fc);
    /* the visits answered 201 are in the registry, no other */
    if (hc_request(&c, "GET", path, TOKEN, NULL, 0, NULL, &r) == 0 && r.status == 200) {
        json_t *v;
        j = json_loads(r.body, 0, NULL);
        v = json_object_get(j, "visits");
        CHECK_INT(json_array_size(v), 2);
        CHECK_STR(json_string_value(json_object_get(json_array_get(v, 0), "date")), "2026-01-01");
        CHECK_STR(json_string_value(json_object_get(json_array_get(v, 1), "date")), "2026-02-02");
        json_decref(j);
    } else {
        h_fail++;
    }
    hc_free(&r);
    hc_close(&c);
    stop(&s, f0);
    snprintf(pat, sizeof pat, " POST %s ", path);
    f = fopen(logp, "r");
    CHECK(f != NULL);
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, pat);
        if (!p)
            continue;
        p += strlen(pat);
        n201 += !strncmp(p, "201 ", 4);
        n408 += !strncmp(p, "408 ", 4);
        nother += strncmp(p, "201 ", 4) && strncmp(p, "408 ", 4);
    }
    if (f)
        fclose(f);
    CHECK_INT(n201, 2);
    CHECK_INT(n408, 2);
    CHECK_INT(nother, 0);
}

typedef struct flood {
    int port;
    int n;
    int *fd;
    volatile int stop;
    int cut;    /* connections the server closed */
    int refused;
} flood;

/* Keep every flood connection sending one header line a second, never
** ending its request. */
static void *trickle(void *arg)
{
    flood *f = arg;
    while (!f->stop) {
        int i;
        for (i = 0; i < f->n; i++) {
            char buf[512];
            ssize_t r;
            if (f->fd[i] < 0)
                continue;
            /* anything from the server (its 503 or 408) or the end: cut */
            r = recv(f->fd[i], buf, sizeof buf, MSG_DONTWAIT);
            if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK) ||
                send(f->fd[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                close(f->fd[i]);
                f->fd[i] = -1;
                f->cut++;
            }
        }
        for (i = 0; i < 20 && !f->stop; i++)
            sleep_ms(50);
    }
    return NULL;
}

/* Does an authenticated assess answer 200 within 1 s on a new connection? */
static double timed(int port, const char *req, int *status)
{
    answer a;
    double t0 = now_ms();
    *status = exchange(port, 0, req, strlen(req), 1000, &a);
    answer_free(&a);
    return now_ms() - t0;
}

static void test_flood(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    enum { SLOW = 1100, PER = 22 };
    hc_server s;
    flood f;
    pthread_t th;
    char assess[512];
    const char *health = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    int i, k, closed = 0, ok_health = 0, ok_assess = 0, f0 = h_fail, pfd[40];
    double worst = 0;
    if (start("flood", extra, &s)) {
        h_fail++;
        return;
    }
    {
        const char *b = "{\"sex\":\"female\",\"grip_kg\":14}";
        snprintf(assess, sizeof assess,
                 "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", TOKEN, strlen(b), b);
    }
    /* one address: 32 connections (--per-client), the rest closed at once */
    for (i = 0; i < 40; i++) {
        pfd[i] = tcp_from(s.port, 2);
        if (pfd[i] >= 0)
            (void)!send(pfd[i], "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL);
    }
    sleep_ms(500);
    for (i = 0; i < 40; i++) {
        char b[16];
        if (pfd[i] < 0) {
            closed++;
            continue;
        }
        if (readable(pfd[i], now_ms()) && recv(pfd[i], b, sizeof b, MSG_DONTWAIT) <= 0)
            closed++;
        close(pfd[i]);
    }
    printf("per client: 40 connections from 127.0.0.2, %d closed at once (--per-client 32)\n", closed);
    CHECK_INT(closed, 8);
    sleep_ms(200);
    /* 1,100 slow connections from 50 addresses, 22 each: more than the
    ** server's 1,024 connections, none over its per-client cap */
    memset(&f, 0, sizeof f);
    f.port = s.port;
    f.n = SLOW;
    f.fd = malloc(sizeof *f.fd * SLOW);
    for (i = 0; f.fd && i < SLOW; i++) {
        const char *line = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        f.fd[i] = tcp_from(s.port, 10 + i / PER);
        if (f.fd[i] < 0 ||
            send(f.fd[i], line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)strlen(line)) {
            if (f.fd[i] >= 0)
                close(f.fd[i]);
            f.fd[i] = -1;
            f.refused++;
        }
    }
    if (!f.fd || pthread_create(&th, NULL, trickle, &f) != 0) {
        h_fail++;
        free(f.fd);
        stop(&s, -1);
        return;
    }
    sleep_ms(300);
    /* during the flood, from 127.0.0.1: health and an authenticated assess */
    for (k = 0; k < 3; k++) {
        int st;
        double t = timed(s.port, health, &st);
        ok_health += st == 200 && t < 1000;
        worst = t > worst ? t : worst;
        t = timed(s.port, assess, &st);
        ok_assess += st == 200 && t < 1000;
        worst = t > worst ? t : worst;
        sleep_ms(300);
    }
    f.stop = 1;
    pthread_join(th, NULL);
    printf("flood: %d slow connections (%d not connected, %d cut by the server); health %d/3 and assess %d/3 "
           "answered within 1 s (slowest %.0f ms)\n", SLOW, f.refused, f.cut, ok_health, ok_assess, worst);
    CHECK_INT(ok_health, 3);
    CHECK_INT(ok_assess, 3);
    CHECK(f.cut >= SLOW - (1024 - 1024 / 8)); /* the oldest slow ones made room: 7/8 is their share */
    for (i = 0; i < SLOW; i++)
        if (f.fd[i] >= 0)
            close(f.fd[i]);
    free(f.fd);
    sleep_ms(200);
    CHECK_INT(status_raw(s.port, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", NULL, 2000), 200);
    stop(&s, f0);
}

/* A connection from 127.0.0.src with a small receive buffer (a client
** that reads slowly, or not at all, holds the server's answer back at
** once); -1 on failure. */
static int tcp_small(int port, int src)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), rcv = 4096;
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)src);
    if (bind(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* n pipelined GET /app.js (22 KB each), in req. */
static size_t pipelined(char *req, size_t cap, int n)
{
    static const char one[] = "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    size_t len = 0;
    while (n-- > 0 && len + sizeof one < cap) {
        memcpy(req + len, one, sizeof one - 1);
        len += sizeof one - 1;
    }
    return len;
}

/* Connections that have not shown the token never take the reserve, not
** even while their answers are held back: with --max-connections 16 (14
** for them), 16 such connections each send 200 pipelined GET /app.js (4.4
** MB of answers, more than the kernel holds) and read nothing; a client
** with the token is then answered at once (the old server kept all 16,
** none of them "still sending its request", and stopped accepting). */
static void test_reserve(void)
{
    static const char *const extra[] = {"--threads", "1", "--max-connections", "16", "--timeout", "4",
                                        "--access-log", "off", NULL};
    enum { N = 16 };
    char req[16384], auth[256];
    hc_server s;
    int fds[N], i, st, f0 = h_fail, sent = 0;
    size_t len = pipelined(req, sizeof req, 200);
    double t;
    if (start("reserve", extra, &s)) {
        h_fail++;
        return;
    }
    for (i = 0; i < N; i++) {
        fds[i] = tcp_small(s.port, 2);
        sent += fds[i] >= 0 && send(fds[i], req, len, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)len;
        sleep_ms(20);
    }
    sleep_ms(300);
    snprintf(auth, sizeof auth, "GET /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
             TOKEN);
    t = timed(s.port, auth, &st);
    printf("reserve: %d connections without the token holding their answers back (--max-connections 16): a "
           "client with the token answered %d in %.0f ms\n", sent, st, t);
    CHECK_INT(sent, N);
    CHECK_INT(st, 200);
    CHECK(t < 1000);
    for (i = 0; i < N; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    stop(&s, f0);
}

/* The connection cap leaves room for the descriptors open at start: the
** server started with 100 descriptors already open (a service manager or
** a wrapper may pass some) under ulimit -n 256; 200 connections without
** the token, each a request line and no more, must not keep a client with
** the token out (the old cap, the limit minus 64, let them take every
** descriptor left, and the server stopped accepting). */
static void test_descriptors(void)
{
    static const char *const extra[] = {"--threads", "1", "--access-log", "off", NULL};
    enum { LEAK = 100, FLOOD = 200 };
    struct rlimit rl, low;
    hc_server s;
    char auth[256];
    int leak[LEAK], fds[FLOOD], i, st, rc, f0 = h_fail, opened = 0;
    double t;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        h_fail++;
        return;
    }
    low = rl;
    low.rlim_cur = 256;
    for (i = 0; i < LEAK; i++)
        leak[i] = open("/dev/null", O_RDONLY); /* inherited: no O_CLOEXEC */
    setrlimit(RLIMIT_NOFILE, &low);
    rc = start("descriptors", extra, &s);
    setrlimit(RLIMIT_NOFILE, &rl);
    for (i = 0; i < LEAK; i++)
        if (leak[i] >= 0)
            close(leak[i]);
    if (rc) {
        h_fail++;
        return;
    }
    for (i = 0; i < FLOOD; i++) {
        fds[i] = tcp_from(s.port, 2 + i / 30);
        if (fds[i] >= 0 && send(fds[i], "GET /api/v1/health HTTP/1.1\r\n", 30, MSG_NOSIGNAL) == 30)
            opened++;
    }
    sleep_ms(300);
    snprintf(auth, sizeof auth, "GET /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
             TOKEN);
    t = timed(s.port, auth, &st);
    printf("descriptors: 100 open at start, ulimit -n 256, %d connections without the token: a client with the "
           "token answered %d in %.0f ms\n", opened, st, t);
    CHECK_INT(opened, FLOOD);
    CHECK_INT(st, 200);
    CHECK(t < 1000);
    for (i = 0; i < FLOOD; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    stop(&s, f0);
}

/* ---- 7: subjects per request, a streamed answer, memory back ---- */

static char *subjects(int n, const char *one)
{
    size_t l = strlen(one), i;
    char *s = malloc((l + 1) * (size_t)n + 3), *p = s;
    if (!s)
        return NULL;
    *p++ = '[';
    for (i = 0; i < (size_t)n; i++) {
        if (i)
            *p++ = ',';
        memcpy(p, one, l);
        p += l;
    }
    *p++ = ']';
    *p = 0;
    return s;
}

static int post_assess(int port, const char *body, int ms, answer *a)
{
    size_t n = strlen(body);
    char *req = malloc(n + 512);
    int st;
    if (!req)
        return -1;
    snprintf(req, 512, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                       "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", TOKEN, n);
    memcpy(req + strlen(req), body, n + 1);
    st = exchange(port, 0, req, strlen(req), ms, a);
    free(req);
    return st;
}

static void test_subjects(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    hc_server s;
    answer a;
    char *body, v[32];
    json_t *j;
    long rss0, hwm0, hwm1, rss1;
    int f0 = h_fail;
    double t0, t1;
    if (start("subjects", extra, &s)) {
        h_fail++;
        return;
    }
    /* warm up: one batch, so the figures below are what a batch adds */
    body = subjects(10, "{\"sex\":\"female\",\"age_years\":80,\"grip_kg\":14,\"height_cm\":160,\"gait_speed_m_s\":0.6}");
    CHECK_INT(post_assess(s.port, body, 5000, &a), 200);
    CHECK(header(&a, "Content-Length", v, sizeof v) && atol(v) == (long)a.len); /* short: sent whole */
    answer_free(&a);
    free(body);
    rss0 = proc_kb(s.pid, "VmRSS");
    /* 1,000 full subjects (the most one request may carry): every result,
    ** streamed, so the 37 MB answer is never held whole */
    body = subjects(1000, "{\"sex\":\"female\",\"age_years\":80,\"grip_kg\":14,\"height_cm\":160,\"asm_kg\":12,"
                          "\"gait_speed_m_s\":0.6,\"weight_kg\":50,\"weight_history\":[{\"date\":\"2025-01-01\","
                          "\"weight_kg\":56}],\"assessment_date\":\"2025-07-01\"}");
    hwm0 = proc_kb(s.pid, "VmHWM");
    t0 = now_ms();
    CHECK_INT(post_assess(s.port, body, 60000, &a), 200);
    t1 = now_ms();
    hwm1 = proc_kb(s.pid, "VmHWM");
    CHECK(header(&a, "Transfer-Encoding", v, sizeof v) && !strcasecmp(v, "chunked"));
    j = a.body ? json_loads(a.body, 0, NULL) : NULL;
    CHECK_INT(json_array_size(json_object_get(j, "results")), 1000);
    CHECK(json_object_get(json_array_get(json_object_get(j, "results"), 999), "results") != NULL);
    json_decref(j);
    sleep_ms(100);
    rss1 = proc_kb(s.pid, "VmRSS");
    printf("subjects: 1,000 assessed and received in %.0f ms, %zu bytes of answer; server peak %ld -> %ld kB, "
           "resident %ld kB before, %ld kB after\n", t1 - t0, a.len, hwm0, hwm1, rss0, rss1);
    if (memory_checks()) {
        CHECK(hwm1 - hwm0 < 16 * 1024); /* held whole, the answer alone is 37 MB */
        CHECK(rss1 - rss0 < 8 * 1024);  /* and what was used went back */
    }
    answer_free(&a);
    free(body);
    /* 80,000 small subjects in 1 MB: refused at once, without parsing them
    ** (the old server took 25 s and 4.8 GB for 87,000) */
    body = subjects(80000, "{\"sex\":\"m\"}");
    hwm0 = proc_kb(s.pid, "VmHWM");
    t0 = now_ms();
    CHECK_INT(post_assess(s.port, body, 5000, &a), 413);
    t1 = now_ms();
    hwm1 = proc_kb(s.pid, "VmHWM");
    sleep_ms(100);
    rss1 = proc_kb(s.pid, "VmRSS");
    printf("subjects: 80,000 in one request: %d in %.0f ms; server peak %ld -> %ld kB, resident %ld kB after\n",
           a.status, t1 - t0, hwm0, hwm1, rss1);
    CHECK(t1 - t0 < 3000);
    if (memory_checks()) {
        CHECK(hwm1 - hwm0 < 8 * 1024); /* the 1 MB body, not 30 MB of parsed subjects */
        CHECK(rss1 - rss0 < 8 * 1024);
    }
    j = a.body ? json_loads(a.body, 0, NULL) : NULL;
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "too_many_subjects");
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "error"), "value")), "80000");
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "error"), "allowed")), "at most 1000 subjects");
    json_decref(j);
    answer_free(&a);
    free(body);
    /* one over the cap */
    body = subjects(1001, "{\"sex\":\"m\"}");
    CHECK_INT(post_assess(s.port, body, 5000, &a), 413);
    CHECK(a.body && strstr(a.body, "\"value\":\"1001\""));
    answer_free(&a);
    free(body);
    stop(&s, f0);
}

/* ---- 8: long requests on their own pool ---- */

typedef struct loader {
    int port;
    long long pid;
    int n, ok;
} loader;

static void *add_visits(void *arg)
{
    loader *l = arg;
    hc_conn c = {-1, l->port};
    char path[96], body[160];
    int i;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", l->pid);
    for (i = 0; i < l->n; i++) {
        hc_resp r;
        snprintf(body, sizeof body, "{\"assessment_date\":\"20%02d-%02d-%02d\",\"weight_kg\":%d,\"grip_kg\":20,"
                                    "\"height_cm\":160}", 10 + i / 336 % 15, 1 + i / 28 % 12, 1 + i % 28, 60 + i % 20);
        if (hc_request(&c, "POST", path, TOKEN, body, strlen(body), NULL, &r) != 0)
            break;
        l->ok += r.status == 201;
        hc_free(&r);
    }
    hc_close(&c);
    return NULL;
}

typedef struct getter {
    int port;
    const char *path;
    int status, retry_after;
    long long header_visits;
    size_t rows;
    double done_at;
} getter;

static void *get_long(void *arg)
{
    getter *g = arg;
    char req[512], v[32];
    answer a;
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n", g->path, TOKEN);
    g->status = exchange(g->port, 0, req, strlen(req), 60000, &a);
    g->done_at = now_ms();
    g->retry_after = header(&a, "Retry-After", v, sizeof v) ? atoi(v) : 0;
    g->header_visits = header(&a, "X-Sarx-Exported-Visits", v, sizeof v) ? atoll(v) : -1;
    if (a.body) {
        const char *p;
        for (p = a.body; (p = strchr(p, '\n')) != NULL; p++)
            g->rows++;
    }
    answer_free(&a);
    return NULL;
}

static void test_long(void)
{
    enum { PATIENTS = 4, VISITS = 300, WAVE = 14 };
    static const char *const extra[] = {"--threads", "2", "--access-log", "off", NULL};
    hc_server s;
    hc_conn c = {-1, 0};
    loader l[PATIENTS];
    getter g[WAVE];
    pthread_t th[WAVE];
    int i, added = 0, fast = 0, f0 = h_fail, n503 = 0, n200 = 0, retry = 0;
    double worst = 0, last_probe = 0, t0;
    if (start("long", extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    t0 = now_ms();
    for (i = 0; i < PATIENTS; i++) {
        hc_resp r;
        memset(&l[i], 0, sizeof l[i]);
        l[i].port = s.port;
        l[i].n = VISITS;
        if (hc_request(&c, "POST", "/api/v1/patients", TOKEN, "{\"sex\":\"female\",\"birth_date\":\"1940-01-01\"}",
                       42, NULL, &r) == 0 && r.status == 201) {
            json_t *j = json_loads(r.body, 0, NULL);
            l[i].pid = json_integer_value(json_object_get(j, "id"));
            json_decref(j);
        }
        hc_free(&r);
        pthread_create(&th[i], NULL, add_visits, &l[i]);
    }
    for (i = 0; i < PATIENTS; i++) {
        pthread_join(th[i], NULL);
        added += l[i].ok;
    }
    hc_close(&c);
    printf("long: %d visits added in %.0f ms\n", added, now_ms() - t0);
    CHECK_INT(added, PATIENTS * VISITS);
    /* two exports of every visit; /health meanwhile */
    for (i = 0; i < 2; i++) {
        memset(&g[i], 0, sizeof g[i]);
        g[i].port = s.port;
        g[i].path = "/api/v1/export.csv";
        pthread_create(&th[i], NULL, get_long, &g[i]);
    }
    sleep_ms(50);
    for (i = 0; i < 5; i++) {
        int st;
        double t = timed(s.port, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", &st);
        fast += st == 200 && t < 100;
        worst = t > worst ? t : worst;
        last_probe = now_ms();
        sleep_ms(20);
    }
    for (i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    printf("long: /health during two exports of %d visits: %d/5 within 100 ms (slowest %.1f ms); the exports "
           "ended %.0f ms after the last probe\n", added, fast, worst,
           (g[0].done_at < g[1].done_at ? g[0].done_at : g[1].done_at) - last_probe);
    CHECK_INT(fast, 5);
    for (i = 0; i < 2; i++) {
        CHECK_INT(g[i].status, 200);
        CHECK_INT(g[i].rows, added + 1); /* the header line and one row per visit */
        CHECK_INT(g[i].header_visits, added);
        CHECK(g[i].done_at > last_probe); /* the probes ran while they did */
    }
    /* a wave of long requests: 2 run, 8 wait, the rest get 503 */
    for (i = 0; i < WAVE; i++) {
        static char paths[WAVE][64];
        memset(&g[i], 0, sizeof g[i]);
        g[i].port = s.port;
        snprintf(paths[i], sizeof paths[i], "/api/v1/patients/%lld/export.csv", l[i % PATIENTS].pid);
        g[i].path = paths[i];
        pthread_create(&th[i], NULL, get_long, &g[i]);
    }
    for (i = 0; i < WAVE; i++) {
        pthread_join(th[i], NULL);
        n200 += g[i].status == 200;
        n503 += g[i].status == 503;
        retry += g[i].status == 503 && g[i].retry_after > 0;
    }
    printf("long: a wave of %d exports: %d answered, %d told to retry (503)\n", WAVE, n200, n503);
    CHECK_INT(n200 + n503, WAVE);
    CHECK(n503 >= 1 && n200 >= 2 * 4); /* at least the 8 that may wait */
    CHECK_INT(retry, n503);
    stop(&s, f0);
}

/* ---- 9: strictness ---- */

static void test_strict(void)
{
    char logp[160], port[16], line[1024], head[1024];
    const char *extra[] = {"--allow-host", "clinic.example", "--access-log", logp, NULL};
    hc_server s;
    FILE *f;
    int f0 = h_fail, forged = 0, escaped = 0, p;
    const char *auth = "Authorization: Bearer " TOKEN "\r\n";
    snprintf(logp, sizeof logp, "%s/strict.log", dir);
    if (start("strict", extra, &s)) {
        h_fail++;
        return;
    }
    p = s.port;
    snprintf(port, sizeof port, "%d", p);
    /* two different Content-Length headers: 400; the same one twice is one */
    snprintf(head, sizeof head, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                                "Content-Length: 11\r\nContent-Length: 12\r\n", auth);
    CHECK_INT(status_raw(p, head, "{\"sex\":\"m\"} ", 2000), 400);
    snprintf(head, sizeof head, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                                "Content-Length: 11\r\nContent-Length: 11\r\n", auth);
    CHECK_INT(status_raw(p, head, "{\"sex\":\"m\"}", 2000), 200);
    snprintf(head, sizeof head, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                                "Content-Length: 11\r\nTransfer-Encoding: chunked\r\n", auth);
    CHECK_INT(status_raw(p, head, "b\r\n{\"sex\":\"m\"}\r\n0\r\n\r\n", 2000), 400);
    snprintf(head, sizeof head, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
                                "Transfer-Encoding: gzip\r\n", auth);
    CHECK_INT(status_raw(p, head, "", 2000), 501);
    /* a chunked body is held to --max-body too */
    {
        size_t n = 1100000;
        char *req = malloc(n + 1024);
        answer a;
        int len;
        CHECK(req != NULL);
        if (req) {
            len = snprintf(req, 1024, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: "
                                      "application/json\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n", auth, n);
            memset(req + len, ' ', n);
            memcpy(req + len + n, "\r\n0\r\n\r\n", 7);
            CHECK_INT(exchange(p, 0, req, (size_t)len + n + 7, 5000, &a), 413);
            CHECK(a.body && strstr(a.body, "\"too_large\""));
            answer_free(&a);
            free(req);
        }
    }
    /* Host: required in HTTP/1.1, not in 1.0 */
    CHECK_INT(status_raw(p, "GET /api/v1/health HTTP/1.1\r\n", NULL, 2000), 400);
    CHECK_INT(status_raw(p, "GET /api/v1/health HTTP/1.0\r\n", NULL, 2000), 200);
    CHECK_INT(status_raw(p, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n", NULL, 2000), 400);
    /* Host: the bound address, localhost on loopback, --allow-host; the port is not compared */
    {
        /* port: 1 to append ":PORT" */
        static const struct {
            const char *host;
            int port, status;
        } hosts[] = {{"127.0.0.1", 0, 200},       {"127.0.0.1", 1, 200},       {"localhost", 1, 200},
                     {"LocalHost", 0, 200},       {"clinic.example", 0, 200},  {"Clinic.Example:8443", 0, 200},
                     {"evil.example", 0, 421},    {"evil.example", 1, 421},    {"127.0.0.2", 1, 421},
                     {"[::1]", 1, 421},           {"localhost.evil.example", 0, 421},
                     {"127.0.0.1:99999", 0, 400}, {"127.0.0.1:8x", 0, 400},    {"[::1", 0, 400}};
        size_t i;
        const char *paths[] = {"/", "/api/v1/health", "/api/v1/patients"};
        for (i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
            char h[128];
            size_t k;
            snprintf(h, sizeof h, "%s%s%s", hosts[i].host, hosts[i].port ? ":" : "", hosts[i].port ? port : "");
            for (k = 0; k < 3; k++) {
                int st;
                snprintf(head, sizeof head, "GET %s HTTP/1.1\r\nHost: %s\r\n%s", paths[k], h, k == 2 ? auth : "");
                st = status_raw(p, head, NULL, 2000);
                if (st != hosts[i].status)
                    fprintf(stderr, "FAIL Host \"%s\" %s: %d, expected %d\n", h, paths[k], st, hosts[i].status);
                CHECK_INT(st, hosts[i].status);
            }
        }
    }
    {
        answer a;
        char v[64];
        snprintf(head, sizeof head, "GET / HTTP/1.1\r\nHost: rebound.example:%s\r\n\r\n", port);
        CHECK_INT(exchange(p, 0, head, strlen(head), 2000, &a), 421);
        CHECK(a.body && strstr(a.body, "\"host_not_allowed\"") && strstr(a.body, "rebound.example"));
        CHECK(header(&a, "X-Content-Type-Options", v, sizeof v) && !strcmp(v, "nosniff"));
        CHECK(!strstr(a.body ? a.body : "", "<html"));
        answer_free(&a);
    }
    /* the scheme in any case; one or more spaces after it */
    CHECK_INT(status_raw(p, "GET /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nauthorization: bearer " TOKEN "\r\n",
                         NULL, 2000), 200);
    CHECK_INT(status_raw(p, "GET /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: BEARER  " TOKEN "\r\n",
                         NULL, 2000), 200);
    CHECK_INT(status_raw(p, "GET /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer" TOKEN "\r\n",
                         NULL, 2000), 401);
    CHECK_INT(status_raw(p, "GET /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " TOKEN "\r\n",
                         NULL, 2000), 401);
    CHECK_INT(status_raw(p, "GET /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " TOKEN "x\r\n",
                         NULL, 2000), 401);
    /* JSON in any case, with parameters; charset UTF-8 only */
    {
        static const struct {
            const char *type;
            int status;
        } types[] = {{"application/json", 200},
                     {"Application/JSON; charset=UTF-8", 200},
                     {"application/json;charset=\"utf-8\"", 200},
                     {"application/json ; foo=bar", 200},
                     {"application/json; charset=iso-8859-1", 415},
                     {"application/jsonp", 415},
                     {"application/json; charset", 415},
                     {"text/json", 415}};
        size_t i;
        for (i = 0; i < sizeof types / sizeof types[0]; i++) {
            int st;
            snprintf(head, sizeof head, "POST /api/v1/assess HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: %s\r\n"
                                        "Content-Length: 11\r\n", auth, types[i].type);
            st = status_raw(p, head, "{\"sex\":\"m\"}", 2000);
            if (st != types[i].status)
                fprintf(stderr, "FAIL Content-Type \"%s\": %d, expected %d\n", types[i].type, st, types[i].status);
            CHECK_INT(st, types[i].status);
        }
    }
    /* a %0a in the path cannot forge a log line */
    CHECK_INT(status_raw(p, "GET /api/v1/health%0a2026-01-01T00:00:00Z%20GET%20/forged%20200%200%201us HTTP/1.1\r\n"
                            "Host: 127.0.0.1\r\n", NULL, 2000), 401);
    CHECK_INT(status_raw(p, "GET /x%0d%0aforged\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n", NULL, 2000), 404);
    stop(&s, f0);
    f = fopen(logp, "r");
    CHECK(f != NULL);
    while (f && fgets(line, sizeof line, f)) {
        forged += !strncmp(line, "2026-01-01T00:00:00Z", 20) || !strncmp(line, "forged", 6) || strchr(line, '\r') ||
                  strchr(line, '\x01');
        escaped += strstr(line, " GET /api/v1/health%0a2026-01-01T00:00:00Z%20GET%20/forged%20200%200%201us 401 ") != NULL;
        escaped += strstr(line, " GET /x%0d%0aforged%01 404 ") != NULL;
    }
    if (f)
        fclose(f);
    CHECK_INT(forged, 0);
    CHECK_INT(escaped, 2);
}

int main(int argc, char **argv)
{
    struct rlimit rl;
    if (argc < 2) {
        fputs("usage: http SARX [TEST...]\n", stderr);
        return 2;
    }
    sarx = argv[1];
    signal(SIGPIPE, SIG_IGN);
    hc_shim_path(argv[0], shim, sizeof shim); /* the slow-sync shim */
    /* the floods need descriptors: ours, and the server's (it inherits them) */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096 && rl.rlim_max >= 4096) {
        rl.rlim_cur = 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    {
        static const struct {
            const char *name;
            void (*run)(void);
        } tests[] = {{"headers_first", test_headers_first}, {"body_flood", test_body_flood},
                     {"deadline", test_deadline},           {"busy_deadline", test_busy_deadline},
                     {"flood", test_flood},                 {"reserve", test_reserve},
                     {"descriptors", test_descriptors},     {"subjects", test_subjects},
                     {"long", test_long},                   {"strict", test_strict}};
        size_t i;
        int k;
        /* names after SARX: only those */
        for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
            int run = argc == 2;
            for (k = 2; k < argc; k++)
                run |= !strcmp(argv[k], tests[i].name);
            if (run)
                tests[i].run();
        }
    }
    {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    return h_summary("http");
}
