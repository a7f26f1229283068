/*
** http.c — the HTTP layer of `sarx serve` under attack, against a real
** server on loopback (docs/API.md, "Limits"); slow clients, floods and
** deadlines are tests/http_slow.c:
**   - refusals (token, route, method, media type, size) come from the
**     headers, before a byte of the body is sent, and unauthenticated
**     bodies cost the server no memory;
**   - POST /assess takes at most 1,000 subjects, streams its answer and
**     gives its memory back;
**   - /health answers in 100 ms while two large exports run, and long
**     requests beyond the pool's queue get 503 with Retry-After;
**   - strictness: one Content-Length, Host required and checked, "bearer"
**     and media types in any case, and a log that cannot be forged.
** Every wait is bounded, so the old server fails here instead of hanging.
**
**   http SARX [TEST...]   (SARX: the sarx binary to start; TEST: run only
**                         these, by name: headers_first, subjects...)
*/
#define _POSIX_C_SOURCE 200809L
#include "httpraw.h"

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
    static const http_test tests[] = {
        {"headers_first", test_headers_first},
        {"body_flood", test_body_flood},
        {"subjects", test_subjects},
        {"long", test_long},
        {"strict", test_strict},
    };
    return http_main(argc, argv, "http", tests, sizeof tests / sizeof tests[0]);
}
