/*
** fuzz_http.c — libFuzzer target: the checks made on a request's line and
** headers before its body is read (srv_precheck, server/api.c), with the
** Host, Content-Length, Transfer-Encoding, Authorization and Content-Type
** parsing under them.  Input: the first byte picks the bound address,
** then "METHOD PATH VERSION" and one "Name: value" per line, as a client
** would send them (\r optional).
** A request that passes is a route of known kind; one that does not has
** exactly one of the documented statuses and a JSON error body.
*/
#include "../server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "0123456789abcdef0123456789abcdef"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *const binds[] = {"127.0.0.1", "::1", "0.0.0.0", "::", "192.168.1.20", "fe80::1"};
    static const char *const hosts[] = {"clinic.example", "[fe80::2]"};
    enum { MAXH = 64 };
    const char *name[MAXH], *value[MAXH];
    char *text, *line, *next, method[32] = "", path[512] = "", version[32] = "";
    srv_gate g;
    srv_head h;
    srv_verdict v;
    srv_response r;
    json_t *body;
    size_t n = 0;
    int rc, first = 1;
    if (size < 1)
        return 0;
    if (!(text = malloc(size)))
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    for (line = text; line; line = next) {
        char *colon;
        if ((next = strchr(line, '\n')) != NULL)
            *next++ = 0;
        line[strcspn(line, "\r")] = 0;
        if (first) {
            first = 0;
            if (sscanf(line, "%31s %511s %31s", method, path, version) < 2) {
                free(text);
                return 0;
            }
            continue;
        }
        if (!*line || n == MAXH)
            break;
        if (!(colon = strchr(line, ':')))
            continue;
        *colon++ = 0;
        while (*colon == ' ' || *colon == '\t')
            colon++;
        name[n] = line;
        value[n++] = colon;
    }
    memset(&g, 0, sizeof g);
    g.token = TOKEN;
    g.token_len = strlen(TOKEN);
    g.bind = binds[data[0] % (sizeof binds / sizeof *binds)];
    g.hosts = hosts;
    g.n_hosts = data[0] & 0x80 ? 2 : 0;
    g.max_body = 1u << 20;
    h.method = method;
    h.path = path;
    h.http11 = strcmp(version, "HTTP/1.0") != 0;
    h.n = n;
    h.name = name;
    h.value = value;
    rc = srv_precheck(&g, &h, &v, &r);
    if (rc == 0) {
        /* passed: nothing to answer yet, and API routes only with the token */
        if (r.status || r.body || v.kind < SRV_KIND_PAGE || v.kind > SRV_KIND_LONG)
            abort();
        if ((v.kind == SRV_KIND_API || v.kind == SRV_KIND_LONG) && !v.authorized)
            abort();
        if (v.body && strcmp(method, "POST") && strcmp(method, "PATCH"))
            abort();
        if (strncmp(path, "/api/", 5) == 0 && strcmp(path, "/api/v1/health") != 0 && !v.authorized)
            abort();
    } else {
        if (rc != r.status || !r.body || (rc != 400 && rc != 401 && rc != 404 && rc != 405 && rc != 413 &&
                                         rc != 415 && rc != 421 && rc != 501))
            abort();
        if ((rc == 405) != (r.allow != NULL))
            abort();
        body = json_loads(r.body, 0, NULL);
        if (!json_is_string(json_object_get(json_object_get(body, "error"), "code")) ||
            !json_is_string(json_object_get(json_object_get(body, "error"), "message")))
            abort();
        json_decref(body);
    }
    srv_response_free(&r);
    free(text);
    return 0;
}
