/*
** fuzz_api.c — libFuzzer target: the /api/v1 routes (server/api.c) over a
** registry in a temporary file (on /dev/shm when there is one, where syncs
** cost nothing), removed at exit.  Input: first line "METHOD PATH", the
** rest the body.
** Every answer must be a status with a body (JSON for the API routes).
*/
#include "../server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char db_path[512];

static void remove_db(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[600];
    size_t i;
    for (i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
        unlink(p);
    }
}

static const char *no_query(void *ud, const char *key)
{
    (void)ud;
    return strcmp(key, "limit") == 0 ? "3" : NULL;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static sarx_ctx *ctx;
    static srv_registry *reg;
    char msg[256], method[16] = "", path[256] = "/api/v1/";
    const unsigned char *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : size, i, k;
    char *body;
    srv_request req;
    srv_response resp;
    srv_app app;
    if (!ctx && sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    if (!reg) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(db_path, sizeof db_path, "%s/sarx-fuzz-api-%ld.db", dir, (long)getpid());
        remove_db();
        atexit(remove_db);
        if (srv_registry_open(db_path, 1, SRV_OPEN_CREATE, ctx, &reg, msg, sizeof msg) != 0) {
            fprintf(stderr, "fuzz_api: %s\n", msg);
            abort();
        }
    }
    for (i = 0; i < head && i < sizeof method - 1 && data[i] != ' '; i++)
        method[i] = (char)data[i];
    method[i] = 0;
    for (k = strlen(path), i++; i < head && k < sizeof path - 1; i++)
        if (data[i])
            path[k++] = (char)data[i];
    path[k] = 0;
    body = malloc(size - head + 1);
    if (!body)
        return 0;
    memcpy(body, nl ? nl + 1 : data + size, nl ? size - head - 1 : 0);
    body[nl ? size - head - 1 : 0] = 0;
    memset(&req, 0, sizeof req);
    req.method = method;
    req.path = path;
    req.body = body;
    req.body_len = nl ? size - head - 1 : 0;
    req.content_type = "application/json";
    req.query = no_query;
    app.ctx = ctx;
    app.reg = reg;
    app.max_subjects = SRV_MAX_SUBJECTS;
    srv_api(&app, &req, &resp);
    if (resp.status < 200 || resp.status > 599 || (resp.status != 204 && !resp.body))
        abort();
    if (resp.body && resp.free_body)
        resp.free_body(resp.body);
    free(body);
    return 0;
}
