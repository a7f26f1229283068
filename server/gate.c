/*
** gate.c — the checks made on a request's line and headers before a byte
** of its body is read (srv_precheck): framing, Host (against DNS
** rebinding), the token in constant time, route and method, Content-Type
** and the body limit.  No I/O: http.c calls it, fuzz/fuzz_http.c drives it.
*/
#include "server.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* Optional whitespace (RFC 9110 OWS). */
static const char *ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* An RFC 9110 token character. */
static int tchar(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Media types are case-insensitive and may carry parameters (RFC 9110
** 8.3.1): "Application/JSON; charset=utf-8" is JSON.  A charset other than
** UTF-8 is not: the body would be read as UTF-8 regardless (RFC 8259). */
int srv_media_json(const char *ct)
{
    const char *p;
    if (!ct)
        return 1;
    p = ows(ct);
    if (strncasecmp(p, "application/json", 16) == 0)
        p = ows(p + 16);
    else if (strncasecmp(p, "application/fhir+json", 21) == 0) /* FHIR's JSON (the /fhir routes) */
        p = ows(p + 21);
    else
        return 0;
    while (*p == ';') {
        const char *name = p = ows(p + 1), *val;
        size_t nlen, vlen;
        int quoted = 0;
        if (!*p || *p == ';')
            continue; /* an empty parameter */
        while (tchar((unsigned char)*p))
            p++;
        if ((nlen = (size_t)(p - name)) == 0 || *p != '=')
            return 0;
        val = ++p;
        if (*p == '"') {
            quoted = 1;
            val = ++p;
            while (*p && *p != '"')
                p += p[0] == '\\' && p[1] ? 2 : 1;
            if (*p != '"')
                return 0;
            vlen = (size_t)(p++ - val);
        } else {
            while (tchar((unsigned char)*p))
                p++;
            vlen = (size_t)(p - val);
            if (vlen == 0)
                return 0;
        }
        if (nlen == 7 && strncasecmp(name, "charset", 7) == 0 &&
            !(vlen == 5 && strncasecmp(val, "utf-8", 5) == 0 && (!quoted || memchr(val, '\\', vlen) == NULL)))
            return 0;
        p = ows(p);
    }
    return *p == 0;
}

/* Compare in constant time in the length of the secret b. */
static int equal_ct(const char *a, size_t alen, const char *b, size_t blen)
{
    unsigned char diff = (unsigned char)(alen != blen);
    size_t i;
    for (i = 0; i < blen; i++)
        diff |= (unsigned char)((i < alen ? (unsigned char)a[i] : 0) ^ (unsigned char)b[i]);
    return diff == 0;
}

/* A header value for a message: printable ASCII as is, other bytes as
** \xNN, at most 64 characters and "..." when there was more. */
static const char *quote(const char *v, char out[300])
{
    size_t i, o = 0;
    for (i = 0; v[i] && o < 64 * 4; i++) {
        unsigned char c = (unsigned char)v[i];
        if (i == 64) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
    }
    out[o] = 0;
    return out;
}

/* A refusal: resp gets the error, the status is returned. */
static int refuse(srv_response *resp, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse(srv_response *resp, int status, const char *code, const char *fmt, ...)
{
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    srv_api_error(resp, status, code, msg);
    return status;
}

/* Is s a bare IPv4 or bracket-less IPv6 literal of the family?  out: its bytes. */
static int ip_literal(const char *s, size_t n, int family, unsigned char out[16])
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = 0;
    return inet_pton(family, buf, out) == 1;
}

/*
** Does a Host header name this server?  host[:port], or [v6]:port.  The
** names accepted: the bound address's literal (any address literal when
** bound to 0.0.0.0 or ::, which listen on every address), "localhost" when
** the bound address is loopback or a wildcard, and the --allow-host names.
** A DNS-rebinding page reaches the server under its own name, never one of
** these, so its requests are refused before anything is served.  The port
** is not compared: a proxy may forward from another one.
** 1 yes, 0 no, -1 not a host[:port] at all.
*/
static int host_ok(const srv_gate *g, const char *host)
{
    const char *end, *port;
    size_t n, i;
    int v6 = 0, family, lit;
    unsigned char want[16], got[16];
    if (host[0] == '[') {
        if (!(end = strchr(host, ']')))
            return -1;
        end++;
        v6 = 1;
    } else {
        end = host + strcspn(host, ":");
    }
    n = (size_t)(end - host);
    port = end;
    if (*port == ':') {
        for (i = 1; port[i]; i++)
            if (port[i] < '0' || port[i] > '9' || i > 5)
                return -1;
        if (i > 1 && atol(port + 1) > 65535)
            return -1;
    } else if (*port) {
        return -1;
    }
    if (n == 0)
        return -1;
    for (i = 0; i < n; i++)
        if (!(tchar((unsigned char)host[i]) || strchr("[]:", host[i])))
            return -1;
    for (i = 0; i < g->n_hosts; i++)
        if (strlen(g->hosts[i]) == n && strncasecmp(g->hosts[i], host, n) == 0)
            return 1;
    family = strchr(g->bind, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(family, g->bind, want) != 1)
        return 0;
    {
        static const unsigned char any[16], lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        size_t w = family == AF_INET6 ? 16 : 4;
        int wildcard = memcmp(want, any, w) == 0;
        int loopback = family == AF_INET6 ? memcmp(want, lo6, 16) == 0 : want[0] == 127;
        lit = v6 ? ip_literal(host + 1, n - 2, AF_INET6, got) : ip_literal(host, n, AF_INET, got);
        if (lit)
            return wildcard ? (family == AF_INET6 || !v6) : (v6 == (family == AF_INET6) && memcmp(got, want, w) == 0);
        if (v6)
            return -1; /* brackets around something that is no address */
        return (wildcard || loopback) && n == 9 && strncasecmp(host, "localhost", 9) == 0;
    }
}

int srv_precheck(const srv_gate *g, const srv_head *h, srv_verdict *v, srv_response *resp)
{
    const char *cl = NULL, *te = NULL, *host = NULL, *auth = NULL, *ct = NULL;
    size_t i, n_te = 0, n_host = 0, n_auth = 0, n_ct = 0;
    unsigned long long body = 0;
    char q1[300], q2[300];
    long long pid, vid;
    srv_route r;
    memset(resp, 0, sizeof *resp);
    memset(v, 0, sizeof *v);
    v->kind = SRV_KIND_PAGE;
    for (i = 0; i < h->n; i++) {
        const char *name = h->name[i], *val = h->value[i] ? h->value[i] : "";
        if (!name)
            continue;
        if (!strcasecmp(name, "Content-Length")) {
            /* Two lengths: which one the sender meant is a guess, and a
            ** proxy may have guessed the other (request smuggling). */
            if (cl && strcmp(cl, val) != 0)
                return refuse(resp, 400, "bad_request", "two different Content-Length headers (\"%s\" and \"%s\")",
                              quote(cl, q1), quote(val, q2));
            cl = val;
        } else if (!strcasecmp(name, "Transfer-Encoding")) {
            te = val;
            n_te++;
        } else if (!strcasecmp(name, "Host")) {
            host = val;
            n_host++;
        } else if (!strcasecmp(name, "Authorization")) {
            auth = val;
            n_auth++;
        } else if (!strcasecmp(name, "Content-Type")) {
            ct = val;
            n_ct++;
        }
    }
    /* framing */
    if (cl && te)
        return refuse(resp, 400, "bad_request", "Content-Length and Transfer-Encoding together (send one of them)");
    if (te && (n_te > 1 || strcasecmp(te, "chunked") != 0))
        return refuse(resp, 501, "not_implemented", "Transfer-Encoding \"%s\" is not supported (allowed: chunked)",
                      quote(te, q1));
    if (cl) {
        const char *p = cl;
        if (!*p)
            return refuse(resp, 400, "bad_request", "Content-Length is empty (allowed: a number of bytes)");
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || body > (~0ULL - 9) / 10)
                return refuse(resp, 400, "bad_request", "Content-Length \"%s\" is not a number of bytes", quote(cl, q1));
            body = body * 10 + (unsigned long long)(*p - '0');
        }
    }
    /* Host */
    if (n_host > 1)
        return refuse(resp, 400, "bad_request", "more than one Host header");
    if (!host && h->http11)
        return refuse(resp, 400, "bad_request", "an HTTP/1.1 request needs a Host header");
    if (host) {
        int ok = host_ok(g, host);
        if (ok < 0)
            return refuse(resp, 400, "bad_request", "Host \"%s\" is not a host[:port]", quote(host, q1));
        if (!ok)
            return refuse(resp, 421, "host_not_allowed",
                          "Host \"%s\" is not a name of this server (allowed: the address it listens on, localhost "
                          "on loopback, and the names given with --allow-host)", quote(host, q1));
    }
    if (strncmp(h->path, "/api/", 5) != 0)
        goto sized; /* the page: GET and HEAD find a file, the rest 404 */
    if (!strcmp(h->path, "/api/v1/health")) {
        v->kind = SRV_KIND_HEALTH;
        if (!srv_method_in("GET", h->method)) {
            srv_api_not_allowed(resp, "GET");
            return 405;
        }
        goto sized;
    }
    /* the token: "Bearer" in any case (RFC 9110 11.1), one or more spaces */
    if (n_auth == 0)
        return refuse(resp, 401, "unauthorized", "this route needs an Authorization: Bearer <token> header");
    if (n_auth > 1)
        return refuse(resp, 401, "unauthorized", "more than one Authorization header");
    {
        size_t s = strcspn(auth, " ");
        const char *cred = auth + s;
        if (s != 6 || strncasecmp(auth, "Bearer", 6) != 0 || *cred != ' ') {
            /* a short word is a scheme and is named; a long one may be a
            ** token sent without one, and is not echoed */
            if (s == 0 || s > 16 || *cred != ' ')
                return refuse(resp, 401, "unauthorized", "the Authorization header must be \"Bearer <token>\"");
            snprintf(q2, sizeof q2, "%.*s", (int)s, auth);
            return refuse(resp, 401, "unauthorized", "the Authorization scheme must be Bearer (sent: \"%s\")",
                          quote(q2, q1));
        }
        while (*cred == ' ')
            cred++;
        if (!equal_ct(cred, strlen(cred), g->token, g->token_len))
            return refuse(resp, 401, "unauthorized", "wrong token");
    }
    v->authorized = 1;
    if (strncmp(h->path, "/api/v1/", 8) != 0)
        return refuse(resp, 404, "not_found", "no such route (the API is under /api/v1)");
    if ((r = srv_route_match(h->path, &pid, &vid)) == SRV_R_NONE)
        return refuse(resp, 404, "not_found", "no such route (see docs/API.md)");
    if (!srv_method_in(srv_routes[r].allow, h->method)) {
        srv_api_not_allowed(resp, srv_routes[r].allow);
        return 405;
    }
    v->kind = srv_routes[r].longm && srv_method_in(srv_routes[r].longm, h->method) ? SRV_KIND_LONG : SRV_KIND_API;
    v->body = srv_routes[r].body && !strcmp(srv_routes[r].body, h->method);
    if (v->body && n_ct > 1)
        return refuse(resp, 415, "unsupported_media_type", "more than one Content-Type header");
    if (v->body && !srv_media_json(ct))
        return refuse(resp, 415, "unsupported_media_type",
                      "Content-Type \"%s\": send the body as application/json (UTF-8; parameters such as "
                      "charset=utf-8 are fine)", quote(ct, q1));
sized:
    if (body > g->max_body)
        return refuse(resp, 413, "too_large",
                      "Content-Length %llu is over the server's limit of %zu bytes (--max-body)", body, g->max_body);
    return 0;
}
