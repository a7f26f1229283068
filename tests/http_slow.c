/*
** http_slow.c — `sarx serve` against slow clients and floods, on loopback
** (docs/API.md, "Limits"):
**   - a request trickled a line at a time is cut at --timeout in all, a
**     client address gets --per-client connections, and during a flood of
**     slow connections /health and an authenticated assess answer in 1 s;
**   - a request whose --timeout passed while the server's thread was busy
**     (a slow sync, tests/failsync.c) is answered 408 and never run, even
**     if it was whole by then;
**   - connections without the token never take the reserve, not even
**     while holding their answers back, and the connection cap leaves room
**     for the descriptors open at start.
** Floods come from 127.0.0.2 and up, the legitimate client from 127.0.0.1.
** Every wait is bounded, so the old server fails here instead of hanging.
**
**   http_slow SARX [TEST...]   (SARX: the sarx binary to start; TEST: run
**                              only these, by name: deadline, flood...)
*/
#define _POSIX_C_SOURCE 200809L
#include "httpraw.h"

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
    int fd = socket(AF_INET, SOCK_STREAM, 0), rcv = 4096;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    return tcp_connect(fd, port, src);
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

int main(int argc, char **argv)
{
    static const http_test tests[] = {
        {"deadline", test_deadline},
        {"busy_deadline", test_busy_deadline},
        {"flood", test_flood},
        {"reserve", test_reserve},
        {"descriptors", test_descriptors},
    };
    return http_main(argc, argv, "http_slow", tests, sizeof tests / sizeof tests[0]);
}
