/*
** httpraw.h — what the HTTP hardening tests share (tests/http.c and
** tests/http_slow.c): a raw client on loopback (a connection from a chosen
** 127.0.0.x, an answer read with a deadline, chunked bodies undone), the
** server started and stopped (with the slow-sync shim, tests/failsync.c),
** and the test runner with its selection by name.
*/
#ifndef SARX_TEST_HTTPRAW_H
#define SARX_TEST_HTTPRAW_H

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
static inline int memory_checks(void)
{
    const char *e = getenv("SARX_SERVER_SANITIZED");
    return !UNDER_ASAN && !(e && *e && strcmp(e, "0") != 0);
}

static const char *sarx;
static char dir[] = "/tmp/sarx-http-XXXXXX";
static char shim[PATH_MAX]; /* failsync.so, beside this program */

/* ---- small tools ---- */

static inline double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static inline void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

/* A kB figure of /proc/PID/status ("VmRSS", "VmHWM"); -1 if unreadable. */
static inline long proc_kb(pid_t pid, const char *key)
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

/* Socket fd bound to 127.0.0.src (0: the default source) and connected to
** 127.0.0.1:port: fd, or -1 (fd closed) on failure. */
static inline int tcp_connect(int fd, int port, int src)
{
    struct sockaddr_in a;
    if (fd < 0)
        return -1;
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

/* A TCP connection to 127.0.0.1:port from 127.0.0.src (0: the default
** source); -1 on failure. */
static inline int tcp_from(int port, int src)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return tcp_connect(fd, port, src);
}

typedef struct answer {
    int status;        /* 0: none in time; -1: closed without one */
    char head[4096];   /* status line and headers */
    char *body;        /* de-chunked, NUL-terminated */
    size_t len;
    int closed;        /* the server closed the connection after it */
} answer;

static inline void answer_free(answer *a)
{
    free(a->body);
    a->body = NULL;
}

/* Wait up to ms for fd to be readable; 1 readable, 0 not. */
static inline int readable(int fd, double deadline)
{
    struct pollfd p = {fd, POLLIN, 0};
    double left = deadline - now_ms();
    if (left < 0)
        left = 0;
    return poll(&p, 1, (int)left) > 0;
}

/* The value of a header in a.head (name in any case), or NULL. */
static inline const char *header(const answer *a, const char *name, char *out, size_t n)
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
static inline long dechunk(char *p, size_t n, int dry)
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
static inline void read_answer(int fd, int ms, const char *method, answer *a)
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
static inline int exchange(int port, int src, const char *req, size_t len, int ms, answer *a)
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
static inline int status_raw(int port, const char *head, const char *body, int ms)
{
    char req[8192];
    answer a;
    int st;
    snprintf(req, sizeof req, "%s\r\n%s", head, body ? body : "");
    st = exchange(port, 0, req, strlen(req), ms, &a);
    answer_free(&a);
    return st;
}

static inline int start(const char *name, const char *const *extra, hc_server *s)
{
    char db[160];
    snprintf(db, sizeof db, "%s/%s.db", dir, name);
    return hc_start(sarx, db, TOKEN, extra, s);
}

/* The same with tests/failsync.c preloaded, each sync of the registry's
** log taking delay_ms while the file `while_` exists. */
static inline int start_slow_sync(const char *name, const char *const *extra, const char *delay_ms, const char *while_,
                           hc_server *s)
{
    const char *const env[] = {"SARX_SYNCDELAY_MS", delay_ms, "SARX_SYNCDELAY_WHILE", while_, NULL};
    char db[160];
    snprintf(db, sizeof db, "%s/%s.db", dir, name);
    return hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, s);
}

/* Stop a server; a killed one when the test failed (the old server may be
** deep in work it should never have taken on). */
static inline void stop(hc_server *s, int failed_before)
{
    if (h_fail > failed_before) {
        hc_stop(s, SIGKILL);
        return;
    }
    CHECK_INT(hc_stop(s, SIGTERM), 0);
}


/* One request on a new connection from 127.0.0.1: its milliseconds, its status in *status (none after 1 s). */
static inline double timed(int port, const char *req, int *status)
{
    answer a;
    double t0 = now_ms();
    *status = exchange(port, 0, req, strlen(req), 1000, &a);
    answer_free(&a);
    return now_ms() - t0;
}


/* The tests as a program: "PROG SARX [TEST...]" runs every test, or those
** named after SARX. */
typedef struct http_test {
    const char *name;
    void (*run)(void);
} http_test;

static inline int http_main(int argc, char **argv, const char *prog, const http_test *tests, size_t ntests)
{
    struct rlimit rl;
    size_t i;
    int k;
    if (argc < 2) {
        fprintf(stderr, "usage: %s SARX [TEST...]\n", prog);
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
    for (i = 0; i < ntests; i++) { /* names after SARX: only those */
        int run = argc == 2;
        for (k = 2; k < argc; k++)
            run |= !strcmp(argv[k], tests[i].name);
        if (run)
            tests[i].run();
    }
    {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    return h_summary(prog);
}

#endif
