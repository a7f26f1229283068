/*
** httpc.h — for tests: start `sarx serve` on loopback and talk HTTP/1.1 to
** it over a plain socket (keep-alive, Content-Length bodies).  Small on
** purpose: the server is what is under test.
*/
#ifndef SARX_HTTPC_H
#define SARX_HTTPC_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct hc_server {
    pid_t pid;
    int port;
    FILE *err;        /* the server's stderr, read up to "listening on" */
    char first[4096]; /* what it printed before that */
} hc_server;

/* Start SARX serve --db DB --port 0 [extra...] with SARX_TOKEN=token (unset
** when token is NULL).  Returns 0 when it listens. */
static int hc_start(const char *sarx, const char *db, const char *token, const char *const *extra, hc_server *s)
{
    int fds[2];
    char line[512];
    const char *argv[32];
    int n = 0;
    memset(s, 0, sizeof *s);
    if (pipe(fds))
        return -1;
    argv[n++] = sarx;
    argv[n++] = "serve";
    argv[n++] = "--db";
    argv[n++] = db;
    argv[n++] = "--port";
    argv[n++] = "0";
    while (extra && *extra && n < 30)
        argv[n++] = *extra++;
    argv[n] = NULL;
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        if (token)
            setenv("SARX_TOKEN", token, 1);
        else
            unsetenv("SARX_TOKEN");
        execv(sarx, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    s->err = fdopen(fds[0], "r");
    while (s->err && fgets(line, sizeof line, s->err)) {
        const char *p = strstr(line, "listening on http://127.0.0.1:");
        if (strlen(s->first) + strlen(line) < sizeof s->first)
            strcat(s->first, line);
        if (p) {
            s->port = atoi(p + strlen("listening on http://127.0.0.1:"));
            return s->port > 0 ? 0 : -1;
        }
    }
    fprintf(stderr, "server did not start:\n%s", s->first);
    return -1;
}

/* Stop with SIGTERM (or sig) and return the exit status (-1 if killed by a signal). */
static int hc_stop(hc_server *s, int sig)
{
    int st = 0;
    char line[512];
    if (s->pid <= 0)
        return -1;
    kill(s->pid, sig);
    /* drain stderr so the server never blocks on a full pipe; show sanitizer reports */
    while (s->err && fgets(line, sizeof line, s->err))
        if (strstr(line, "Sanitizer") || strstr(line, "ERROR") || strstr(line, "runtime error"))
            fputs(line, stderr);
    if (s->err)
        fclose(s->err);
    s->err = NULL;
    waitpid(s->pid, &st, 0);
    s->pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

typedef struct hc_conn {
    int fd;
    int port;
} hc_conn;

typedef struct hc_resp {
    int status;
    char headers[2048];
    char *body; /* NUL-terminated, malloc'd */
    size_t len;
} hc_resp;

static int hc_connect(hc_conn *c, int port)
{
    struct sockaddr_in a;
    int one = 1;
    c->port = port;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a)) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

static void hc_close(hc_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static void hc_free(hc_resp *r)
{
    free(r->body);
    r->body = NULL;
}

/* The value of a response header (case-insensitive name), copied into out. */
static const char *hc_header(const hc_resp *r, const char *name, char *out, size_t n)
{
    const char *p = r->headers;
    size_t k = strlen(name);
    while ((p = strchr(p, '\n')) != NULL) {
        p++;
        if (strncasecmp(p, name, k) == 0 && p[k] == ':') {
            size_t i = 0;
            p += k + 1;
            while (*p == ' ')
                p++;
            while (*p && *p != '\r' && *p != '\n' && i + 1 < n)
                out[i++] = *p++;
            out[i] = 0;
            return out;
        }
    }
    return NULL;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Does one of the header lines in extra (NULL: none) have this name? */
static int hc_has_header(const char *extra, const char *name)
{
    size_t n = strlen(name);
    const char *line = extra;
    while (line && *line) {
        if (strncasecmp(line, name, n) == 0 && line[n] == ':')
            return 1;
        line = strstr(line, "\r\n");
        line = line ? line + 2 : NULL;
    }
    return 0;
}

/* One request on c (reconnecting once if the server closed it).  extra:
** more header lines, each ending in \r\n, or NULL.  A body is sent as
** application/json unless extra has a Content-Type of its own. */
static int hc_request(hc_conn *c, const char *method, const char *path, const char *token, const char *body,
                      size_t len, const char *extra, hc_resp *r)
{
    char head[1024], buf[8192];
    size_t have = 0, cap = sizeof buf, hl, want;
    char *all = NULL, *end;
    int attempt;
    memset(r, 0, sizeof *r);
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s%s%sContent-Length: %zu\r\n\r\n", method, path,
             token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "",
             body && !hc_has_header(extra, "Content-Type") ? "Content-Type: application/json\r\n" : "",
             extra ? extra : "", body ? len : (size_t)0);
    for (attempt = 0; attempt < 2; attempt++) {
        if (c->fd < 0 && hc_connect(c, c->port))
            return -1;
        if (write_all(c->fd, head, strlen(head)) == 0 && (!body || write_all(c->fd, body, len) == 0))
            break;
        hc_close(c);
    }
    all = malloc(cap);
    if (!all)
        return -1;
    for (;;) { /* headers */
        ssize_t got = recv(c->fd, all + have, cap - have - 1, 0);
        if (got <= 0) {
            free(all);
            hc_close(c);
            return -1;
        }
        have += (size_t)got;
        all[have] = 0;
        if ((end = strstr(all, "\r\n\r\n")) != NULL)
            break;
        if (have + 1 >= cap) {
            char *na = realloc(all, cap *= 2);
            if (!na) {
                free(all);
                return -1;
            }
            all = na;
        }
    }
    hl = (size_t)(end - all) + 4;
    snprintf(r->headers, sizeof r->headers, "%.*s", (int)hl, all);
    r->status = atoi(all + 9);
    {
        char v[32];
        want = hc_header(r, "Content-Length", v, sizeof v) ? (size_t)strtoull(v, NULL, 10) : 0;
    }
    if (!strcmp(method, "HEAD"))
        want = 0;
    while (have < hl + want) {
        ssize_t got;
        if (have + 1 >= cap || hl + want + 1 > cap) {
            size_t nc = hl + want + 1 > cap * 2 ? hl + want + 1 : cap * 2;
            char *na = realloc(all, nc);
            if (!na) {
                free(all);
                return -1;
            }
            all = na;
            cap = nc;
        }
        got = recv(c->fd, all + have, cap - have - 1, 0);
        if (got <= 0) {
            free(all);
            hc_close(c);
            return -1;
        }
        have += (size_t)got;
    }
    r->len = want;
    r->body = malloc(want + 1);
    if (r->body) {
        memcpy(r->body, all + hl, want);
        r->body[want] = 0;
    }
    free(all);
    {
        char v[32];
        if (hc_header(r, "Connection", v, sizeof v) && !strcasecmp(v, "close"))
            hc_close(c);
    }
    (void)buf;
    return r->body ? 0 : -1;
}

/* The shim tests/failsync.c, built beside the test program argv0: its
** absolute path into out ("" when it does not fit), so that the server
** finds it from any directory. */
static inline void hc_shim_path(const char *argv0, char *out, size_t n)
{
    char cwd[2048] = "";
    const char *slash = strrchr(argv0, '/');
    int dirlen = slash ? (int)(slash - argv0) : 0;
    size_t need;
    if (argv0[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    need = strlen(cwd) + 1 + (size_t)dirlen + sizeof "/failsync.so";
    if (need > n) {
        out[0] = '\0';
        return;
    }
    snprintf(out, n, "%s%s%.*s%sfailsync.so", cwd, cwd[0] && dirlen ? "/" : "", dirlen, argv0,
             dirlen || cwd[0] ? "/" : "");
}

/* hc_start with the shim preloaded into the server and the variables
** name=value of env (NULL-terminated pairs) set for it alone.  An
** unsanitized shim loaded first in a sanitized server needs
** verify_asan_link_order=0.  -1 when the shim is not there. */
static inline int hc_start_shimmed(const char *sarx, const char *db, const char *token, const char *shim,
                                   const char *const *extra, const char *const *env, hc_server *s)
{
    char asan[512], old_asan[448] = "";
    const char *prev = getenv("ASAN_OPTIONS");
    const char *const *e;
    int had_asan = prev != NULL, rc;
    if (access(shim, R_OK) != 0) {
        fprintf(stderr, "FAIL: %s not found (make check builds it beside this program)\n", shim);
        return -1;
    }
    snprintf(old_asan, sizeof old_asan, "%s", prev ? prev : "");
    snprintf(asan, sizeof asan, "%s%sverify_asan_link_order=0", old_asan, old_asan[0] ? ":" : "");
    setenv("LD_PRELOAD", shim, 1);
    setenv("ASAN_OPTIONS", asan, 1);
    for (e = env; e[0]; e += 2)
        setenv(e[0], e[1], 1);
    rc = hc_start(sarx, db, token, extra, s);
    unsetenv("LD_PRELOAD");
    for (e = env; e[0]; e += 2)
        unsetenv(e[0]);
    if (had_asan)
        setenv("ASAN_OPTIONS", old_asan, 1);
    else
        unsetenv("ASAN_OPTIONS");
    return rc;
}

#endif
