/*
** registry.c — the registry's guarantees against a real `sarx serve` on
** loopback (issue 25; docs/REGISTRY.md): owner-only files, a failed sync
** (failsync.so, beside this program, preloaded into the server) refusing
** later writes, COMMIT's own sync failing, a saved write whose answer
** cannot be made still answered as saved, a registry deleted, moved or
** replaced under the server (its log kept when it cannot be copied whole
** into the file), a path that cannot be checked for a moment, exports
** that keep every visit after a PATCH, damaged visits reported, never
** made up, list cells written whole, and schema 3 migrated to 4 (the
** FHIR sources of visits).
**
**   registry SARX     (SARX: the sarx binary to start)
*/
#define _POSIX_C_SOURCE 200809L
#include "apitest.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

static const char *sarx;
static char dir[] = "/tmp/sarx-registry-XXXXXX";
static char shim[PATH_MAX]; /* failsync.so, beside this program */

#define REFUSED 503 /* a write refused before anything was written */
#define UNKNOWN 500 /* a write that was written, but perhaps not durably */

static const char *err_message(json_t *j)
{
    const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    return m ? m : "";
}

static int mode_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

static int run_sql(const char *db, const char *sql)
{
    sqlite3 *sq = NULL;
    int rc = sqlite3_open_v2(db, &sq, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(sq, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(sq));
    sqlite3_close(sq);
    return rc;
}

static long long post_visit(hc_conn *c, long long pid, const char *body)
{
    char path[96];
    int st;
    json_t *j;
    long long vid;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(c, "POST", path, body, &st);
    vid = st == 201 ? json_integer_value(json_object_get(json_object_get(j, "visit"), "id")) : 0;
    json_decref(j);
    return vid;
}

/* The line of a CSV body that starts with prefix (a copy), or "". */
static void csv_line(const char *body, const char *prefix, char *out, size_t n)
{
    const char *p = body;
    size_t k = strlen(prefix);
    out[0] = '\0';
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len >= k && !strncmp(p, prefix, k)) {
            snprintf(out, n, "%.*s", (int)len, p);
            return;
        }
        p = e ? e + 1 : NULL;
    }
}

static int count_char(const char *s, char ch)
{
    int n = 0;
    for (; s && *s; s++)
        n += *s == ch;
    return n;
}

/* Item 1: owner-only files; a shared registry refused unless accepted. */
static void test_private_files(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    static const char *const shared[] = {"--access-log", "off", "--allow-shared-db", NULL};
    static const char *const sfx[] = {"", "-wal", "-shm"};
    char db[160], p[192];
    hc_server s;
    hc_conn c = {-1, 0};
    long long pid;
    int i;
    snprintf(db, sizeof db, "%s/private.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    CHECK(strstr(s.first, "NEW, EMPTY registry") != NULL); /* said loudly */
    c.port = s.port;
    pid = create_patient(&c, "{\"label\":\"private\"}");
    CHECK(post_visit(&c, pid, "{\"assessment_date\":\"2026-02-02\",\"weight_kg\":60}") > 0);
    /* the file, its log and its index: owner-only under umask 022 */
    for (i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        CHECK_INT(mode_of(p), 0600);
    }
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    if (hc_start(sarx, db, TOKEN, extra, &s) == 0) {
        CHECK(strstr(s.first, "NEW, EMPTY") == NULL); /* found, not created */
        CHECK_INT(hc_stop(&s, SIGTERM), 0);
    } else {
        h_fail++;
    }
    /* readable by the group: refused, with the reason and the way out */
    CHECK(chmod(db, 0640) == 0);
    CHECK(hc_start(sarx, db, TOKEN, extra, &s) != 0);
    CHECK(strstr(s.first, "mode 0640") && strstr(s.first, "--allow-shared-db"));
    CHECK_INT(hc_stop(&s, SIGTERM), 1);
    /* accepted when asked */
    if (hc_start(sarx, db, TOKEN, shared, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    snprintf(p, sizeof p, "/api/v1/patients/%lld", pid);
    CHECK_INT(status_of(&c, "GET", p, TOKEN, NULL), 200);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    /* reached through a symbolic link (SQLite keeps the log beside the
    ** file the link names): the same registry, its log watched */
    CHECK(chmod(db, 0600) == 0);
    {
        char link[160];
        snprintf(link, sizeof link, "%s/link.db", dir);
        CHECK(symlink(db, link) == 0);
        if (hc_start(sarx, link, TOKEN, extra, &s)) {
            h_fail++;
            return;
        }
        c.port = s.port;
        CHECK_INT(status_of(&c, "GET", p, TOKEN, NULL), 200);
        snprintf(p, sizeof p, "/api/v1/patients/%lld/visits", pid);
        CHECK_INT(status_of(&c, "POST", p, TOKEN, "{\"assessment_date\":\"2026-02-03\",\"weight_kg\":61}"), 201);
        hc_close(&c);
        CHECK_INT(hc_stop(&s, SIGTERM), 0);
    }
}

/* Item 2: after a failed sync of the log (tests/failsync.c preloaded), the
** write it covered is answered "unknown, check visit N", every later write
** is refused before it is written, reads go on; after a restart nothing
** refused is there. */
static void test_sync_failure(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[160], trigger[160], path[128], ppath[96], vpath[160], want[96];
    const char *const env[] = {"SARX_FAILSYNC", trigger, NULL};
    int st, fd, rc;
    hc_server s;
    hc_conn c = {-1, 0};
    long long pid, v1;
    json_t *j, *list;
    size_t i;
    snprintf(db, sizeof db, "%s/sync.db", dir);
    snprintf(trigger, sizeof trigger, "%s/failsync.on", dir);
    rc = hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, &s);
    if (rc) {
        h_fail++;
        return;
    }
    c.port = s.port;
    pid = create_patient(&c, "{\"label\":\"disk\"}");
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    snprintf(ppath, sizeof ppath, "/api/v1/patients/%lld", pid);
    v1 = post_visit(&c, pid, "{\"assessment_date\":\"2026-01-05\",\"weight_kg\":70}");
    CHECK(v1 > 0);
    j = req_json(&c, "GET", "/api/v1/health", NULL, &st);
    CHECK_INT(st, 200);
    CHECK_STR(json_string_value(json_object_get(j, "status")), "ok");
    CHECK(json_is_true(json_object_get(j, "writable")) && !json_object_get(j, "reason"));
    json_decref(j);
    /* the disk starts failing */
    fd = open(trigger, O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    j = req_json(&c, "POST", path, "{\"assessment_date\":\"2026-02-05\",\"weight_kg\":69}", &st);
    CHECK_INT(st, UNKNOWN);
    snprintf(want, sizeof want, "visit %lld of patient %lld", v1 + 1, pid);
    CHECK(strstr(err_message(j), want) && strstr(err_message(j), "may or may not survive"));
    json_decref(j);
    /* every later write: refused before anything is written, saying why */
    j = req_json(&c, "POST", path, "{\"assessment_date\":\"2026-03-05\",\"weight_kg\":68}", &st);
    CHECK_INT(st, REFUSED);
    CHECK(strstr(err_message(j), "nothing was written") && strstr(err_message(j), "syncing the write-ahead log"));
    json_decref(j);
    /* a sync that works again proves nothing: still refused */
    CHECK(unlink(trigger) == 0);
    CHECK_INT(status_of(&c, "POST", path, TOKEN, "{\"assessment_date\":\"2026-04-05\",\"weight_kg\":67}"), REFUSED);
    CHECK_INT(status_of(&c, "POST", "/api/v1/patients", TOKEN, "{\"label\":\"refused\"}"), REFUSED);
    CHECK_INT(status_of(&c, "PATCH", ppath, TOKEN, "{\"label\":\"refused\"}"), REFUSED);
    snprintf(vpath, sizeof vpath, "%s/%lld", path, v1);
    CHECK_INT(status_of(&c, "DELETE", vpath, TOKEN, NULL), REFUSED);
    /* /health says so, and why */
    j = req_json(&c, "GET", "/api/v1/health", NULL, &st);
    CHECK_INT(st, 200);
    CHECK_STR(json_string_value(json_object_get(j, "status")), "read_only");
    CHECK(json_is_false(json_object_get(j, "writable")));
    CHECK(json_string_value(json_object_get(j, "reason")) &&
          strstr(json_string_value(json_object_get(j, "reason")), "syncing the write-ahead log"));
    json_decref(j);
    /* reads go on */
    CHECK_INT(status_of(&c, "GET", ppath, TOKEN, NULL), 200);
    CHECK_INT(status_of(&c, "GET", vpath, TOKEN, NULL), 200);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    /* restarted, the disk sound: the acknowledged visit, perhaps the one
    ** whose sync failed, and nothing that was refused */
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    list = req_json(&c, "GET", path, NULL, &st);
    CHECK_INT(st, 200);
    CHECK(json_array_size(json_object_get(list, "visits")) == 1 || json_array_size(json_object_get(list, "visits")) == 2);
    for (i = 0; i < json_array_size(json_object_get(list, "visits")); i++) {
        json_int_t id = json_integer_value(json_object_get(json_array_get(json_object_get(list, "visits"), i), "id"));
        CHECK(id == v1 || id == v1 + 1);
    }
    json_decref(list);
    j = req_json(&c, "GET", ppath, NULL, &st);
    CHECK_STR(json_string_value(json_object_get(j, "label")), "disk");
    json_decref(j);
    j = req_json(&c, "GET", "/api/v1/patients", NULL, &st);
    CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
}

/* Stop with SIGTERM, collecting what the server says on stderr. */
static int stop_reading(hc_server *s, char *out, size_t n)
{
    char line[1024];
    size_t k = 0;
    out[0] = '\0';
    kill(s->pid, SIGTERM);
    while (s->err && fgets(line, sizeof line, s->err)) {
        size_t l = strlen(line);
        if (strstr(line, "Sanitizer") || strstr(line, "runtime error"))
            fputs(line, stderr);
        if (k + l < n) {
            memcpy(out + k, line, l + 1);
            k += l;
        }
    }
    return hc_stop(s, 0);
}

static int touch(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY, 0600);
    if (fd >= 0)
        close(fd);
    return fd >= 0 ? 0 : -1;
}

/* A write that was saved is never answered 5xx: when the answer cannot be
** made (json_dumps failing, as out of memory; failsync.so), a patient
** created is 201 with its Location and a body saying it was saved, a
** PATCH 200 the same. */
static void test_saved_answer(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[160], trigger[160], loc[128], ppath[96];
    const char *env[] = {"SARX_FAILDUMPS", trigger, NULL};
    hc_server s;
    hc_conn c = {-1, 0};
    hc_resp r;
    long long pid;
    json_t *j;
    int st;
    snprintf(db, sizeof db, "%s/saved.db", dir);
    snprintf(trigger, sizeof trigger, "%s/dumps.on", dir);
    if (hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    pid = create_patient(&c, "{\"label\":\"before\"}");
    CHECK(pid > 0);
    snprintf(ppath, sizeof ppath, "/api/v1/patients/%lld", pid);
    CHECK(touch(trigger) == 0);
    loc[0] = '\0';
    CHECK(hc_request(&c, "POST", "/api/v1/patients", TOKEN, "{\"label\":\"made\"}", 16, NULL, &r) == 0);
    CHECK_INT(r.status, 201);
    CHECK(hc_header(&r, "Location", loc, sizeof loc) != NULL);
    CHECK(r.body && strstr(r.body, "\"saved\":true") && strstr(r.body, "Location"));
    hc_free(&r);
    CHECK(hc_request(&c, "PATCH", ppath, TOKEN, "{\"label\":\"after\"}", 17, NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK(r.body && strstr(r.body, "\"saved\":true"));
    hc_free(&r);
    unlink(trigger);
    /* both saved */
    j = req_json(&c, "GET", loc, NULL, &st);
    CHECK_INT(st, 200);
    CHECK_STR(json_string_value(json_object_get(j, "label")), "made");
    json_decref(j);
    j = req_json(&c, "GET", ppath, NULL, &st);
    CHECK_STR(json_string_value(json_object_get(j, "label")), "after");
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
}

/* COMMIT syncs the log itself when it starts it again (here the first
** write into a new log): when that sync fails, the registry is treated as
** after any failed sync, and its log is left as it is on shutdown. */
static void test_commit_sync_failure(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[160], wal[176], trigger[160];
    const char *env[] = {"SARX_FAILSYNC", trigger, NULL};
    hc_server s;
    hc_conn c = {-1, 0};
    json_t *j;
    int st;
    snprintf(db, sizeof db, "%s/commit.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(trigger, sizeof trigger, "%s/commit.on", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    CHECK(create_patient(&c, "{\"label\":\"kept\"}") > 0);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    CHECK(access(wal, F_OK) != 0); /* closed cleanly: no log */
    CHECK(touch(trigger) == 0);
    if (hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    j = req_json(&c, "POST", "/api/v1/patients", "{\"label\":\"refused\"}", &st);
    CHECK_INT(st, 500);
    CHECK(strstr(err_message(j), "committing"));
    json_decref(j);
    CHECK_INT(status_of(&c, "POST", "/api/v1/patients", TOKEN, "{\"label\":\"later\"}"), REFUSED);
    unlink(trigger);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    /* not checkpointed, not deleted: the log on disk is what a restart reads */
    CHECK(access(wal, F_OK) == 0);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    j = req_json(&c, "GET", "/api/v1/patients", NULL, &st);
    CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
}

/* The registry file moved away while the server runs, and on shutdown the
** log cannot be copied into it (its sync fails): the log is kept, never
** removed with changes the file lacks; the file put back has them all.
** With another file put at the path, the log is set aside instead (never
** replayed into that file), and recovers the same. */
static void test_partial_checkpoint(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[160], moved[176], wal[176], kept[192], trigger[160], said[4096];
    const char *env[] = {"SARX_FAILSYNC", trigger, NULL};
    hc_server s;
    hc_conn c = {-1, 0};
    json_t *j;
    int st;
    snprintf(db, sizeof db, "%s/moved.db", dir);
    snprintf(moved, sizeof moved, "%s.elsewhere", db);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(trigger, sizeof trigger, "%s/moved.on", dir);
    if (hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    CHECK(create_patient(&c, "{\"label\":\"in the log\"}") > 0);
    hc_close(&c);
    CHECK(rename(db, moved) == 0);
    CHECK(touch(trigger) == 0);
    CHECK_INT(stop_reading(&s, said, sizeof said), 0);
    unlink(trigger);
    printf("partial checkpoint: %s", strstr(said, "sarx: WARNING") ? strstr(said, "sarx: WARNING") : "(nothing said)\n");
    CHECK(access(wal, F_OK) == 0);
    CHECK(strstr(said, "could not be copied into it whole") && strstr(said, "Put the registry file back"));
    /* put back, the registry has what was acknowledged */
    CHECK(rename(moved, db) == 0);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    j = req_json(&c, "GET", "/api/v1/patients", NULL, &st);
    CHECK_INT(st, 200);
    CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(j, "patients"), 0), "label")),
              "in the log");
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);

    /* replaced: set aside */
    if (hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    CHECK(create_patient(&c, "{\"label\":\"second\"}") > 0);
    hc_close(&c);
    CHECK(rename(db, moved) == 0 && touch(db) == 0);
    CHECK(touch(trigger) == 0);
    CHECK_INT(stop_reading(&s, said, sizeof said), 0);
    unlink(trigger);
    printf("partial checkpoint: %s", strstr(said, "sarx: WARNING") ? strstr(said, "sarx: WARNING") : "(nothing said)\n");
    snprintf(kept, sizeof kept, "%s.kept", wal);
    CHECK(access(wal, F_OK) != 0 && access(kept, F_OK) == 0);
    CHECK(strstr(said, "set aside as") != NULL);
    CHECK(rename(moved, db) == 0 && rename(kept, wal) == 0);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    j = req_json(&c, "GET", "/api/v1/patients", NULL, &st);
    CHECK_INT(json_integer_value(json_object_get(j, "total")), 2);
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
}

/* A path that cannot be checked for a moment (here a loop of symbolic
** links in its directory: ELOOP) refuses the writes of that moment (503,
** nothing written) and no later one. */
static void test_transient_check(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char sub[160], away[176], db[192];
    hc_server s;
    hc_conn c = {-1, 0};
    json_t *j;
    int st;
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(away, sizeof away, "%s/sub.away", dir);
    snprintf(db, sizeof db, "%s/reg.db", sub);
    CHECK(mkdir(sub, 0700) == 0);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    CHECK(create_patient(&c, "{\"label\":\"first\"}") > 0);
    CHECK(rename(sub, away) == 0 && symlink("sub", sub) == 0);
    j = req_json(&c, "POST", "/api/v1/patients", "{\"label\":\"refused\"}", &st);
    CHECK_INT(st, REFUSED);
    CHECK(strstr(err_message(j), "cannot be checked") && strstr(err_message(j), "nothing was written"));
    json_decref(j);
    j = req_json(&c, "GET", "/api/v1/health", NULL, &st);
    CHECK_STR(json_string_value(json_object_get(j, "status")), "read_only");
    json_decref(j);
    CHECK(unlink(sub) == 0 && rename(away, sub) == 0);
    /* the path checks again: writes go on */
    j = req_json(&c, "GET", "/api/v1/health", NULL, &st);
    CHECK_STR(json_string_value(json_object_get(j, "status")), "ok");
    json_decref(j);
    CHECK(create_patient(&c, "{\"label\":\"second\"}") > 0);
    j = req_json(&c, "GET", "/api/v1/patients", NULL, &st);
    CHECK_INT(json_integer_value(json_object_get(j, "total")), 2);
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
}

/* Item 3: the registry deleted or replaced under the server. */
static void test_vanished(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    static const char *const sfx[] = {"", "-wal", "-shm"};
    char db[160], other[160], p[192];
    hc_server s;
    hc_conn c = {-1, 0};
    long long pid;
    json_t *j;
    int st, i;
    sqlite3 *sq;

    /* deleted: writes refused (nothing written), reads of what is open go on */
    snprintf(db, sizeof db, "%s/gone.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    pid = create_patient(&c, "{\"label\":\"gone\"}");
    CHECK(post_visit(&c, pid, "{\"assessment_date\":\"2026-02-02\",\"weight_kg\":60}") > 0);
    for (i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        CHECK(unlink(p) == 0);
    }
    snprintf(p, sizeof p, "/api/v1/patients/%lld/visits", pid);
    j = req_json(&c, "POST", p, "{\"assessment_date\":\"2026-03-02\",\"weight_kg\":59}", &st);
    CHECK_INT(st, REFUSED);
    CHECK(strstr(err_message(j), "deleted") && strstr(err_message(j), "nothing was written"));
    json_decref(j);
    CHECK_INT(status_of(&c, "POST", "/api/v1/patients", TOKEN, "{\"label\":\"x\"}"), REFUSED);
    CHECK_INT(status_of(&c, "GET", p, TOKEN, NULL), 200);
    j = req_json(&c, "GET", "/api/v1/health", NULL, &st);
    CHECK_INT(st, 200);
    CHECK_STR(json_string_value(json_object_get(j, "status")), "read_only");
    CHECK(json_string_value(json_object_get(j, "reason")) &&
          strstr(json_string_value(json_object_get(j, "reason")), "deleted"));
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    /* started again there: a new, empty registry, said loudly */
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    CHECK(strstr(s.first, "NEW, EMPTY registry") != NULL);
    c.port = s.port;
    j = req_json(&c, "GET", "/api/v1/patients", NULL, &st);
    CHECK_INT(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);

    /* replaced by another registry: refused; the other one is left whole */
    snprintf(other, sizeof other, "%s/other.db", dir);
    if (hc_start(sarx, other, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    CHECK(create_patient(&c, "{\"label\":\"the other registry\"}") > 0);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    snprintf(db, sizeof db, "%s/replaced.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    pid = create_patient(&c, "{\"label\":\"replaced\"}");
    CHECK(post_visit(&c, pid, "{\"assessment_date\":\"2026-02-02\",\"weight_kg\":60}") > 0);
    CHECK(rename(other, db) == 0);
    snprintf(p, sizeof p, "/api/v1/patients/%lld/visits", pid);
    j = req_json(&c, "POST", p, "{\"assessment_date\":\"2026-03-02\",\"weight_kg\":59}", &st);
    CHECK_INT(st, REFUSED);
    CHECK(strstr(err_message(j), "replaced") && strstr(err_message(j), "nothing was written"));
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    j = req_json(&c, "GET", "/api/v1/patients", NULL, &st);
    CHECK_INT(json_integer_value(json_object_get(j, "total")), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(j, "patients"), 0), "label")),
              "the other registry");
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    CHECK(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    {
        sqlite3_stmt *q;
        CHECK(sqlite3_prepare_v2(sq, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK);
        CHECK(sqlite3_step(q) == SQLITE_ROW);
        CHECK_STR((const char *)sqlite3_column_text(q, 0), "ok");
        sqlite3_finalize(q);
    }
    sqlite3_close(sq);

    /* a log left without its registry: never a new, empty one in its place */
    snprintf(db, sizeof db, "%s/stale.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    CHECK(create_patient(&c, "{\"label\":\"stale\"}") > 0);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGKILL), -1);
    CHECK(unlink(db) == 0);
    CHECK(hc_start(sarx, db, TOKEN, extra, &s) != 0);
    CHECK(strstr(s.first, "write-ahead log does") && strstr(s.first, "Refusing to create"));
    CHECK_INT(hc_stop(&s, SIGTERM), 1);
    CHECK(access(db, F_OK) != 0);
}

/* Item 4 (and 17/18): a PATCH of sex or birth date keeps every visit in
** the exports, marked; list cells are whole and split back exactly. */
static void test_export_after_patch(hc_conn *c)
{
    char path[128], epath[128], line[4096], prefix[64], *longitem, *body, *cellv;
    long long pid = create_patient(c, "{\"label\":\"Patched\",\"sex\":\"female\",\"birth_date\":\"1950-01-15\"}");
    long long v1, v2, lid, lv;
    json_t *j, *p, *v;
    hc_resp r;
    size_t i, k;
    long long visits = 0, changed = 0;
    int st;
    snprintf(path, sizeof path, "/api/v1/patients/%lld", pid);
    snprintf(epath, sizeof epath, "/api/v1/patients/%lld/export.csv", pid);
    v1 = post_visit(c, pid, "{\"assessment_date\":\"2026-01-10\",\"weight_kg\":70,\"grip_kg\":15}");
    v2 = post_visit(c, pid, "{\"assessment_date\":\"2026-07-10\",\"weight_kg\":65,\"sex\":\"female\"}");
    CHECK(v1 > 0 && v2 > 0);
    CHECK(hc_request(c, "GET", epath, TOKEN, NULL, 0, NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(count_char(r.body, '\n'), 3);
    CHECK(r.body && strstr(r.body, ",record_status,record_note\n"));
    snprintf(prefix, sizeof prefix, "%lld-%lld,", pid, v2);
    csv_line(r.body, prefix, line, sizeof line);
    CHECK(strstr(line, ",ok,") != NULL);
    hc_free(&r);
    /* sex changed: both visits exported, marked; the second says female itself */
    j = req_json(c, "PATCH", path, "{\"sex\":\"male\"}", &st);
    CHECK_INT(st, 200);
    json_decref(j);
    CHECK(hc_request(c, "GET", epath, TOKEN, NULL, 0, NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(count_char(r.body, '\n'), 3);
    snprintf(prefix, sizeof prefix, "%lld-%lld,", pid, v1);
    csv_line(r.body, prefix, line, sizeof line);
    CHECK(strstr(line, ",male,") && strstr(line, ",patient_changed,") &&
          strstr(line, "sex was female when the result was stored, now male"));
    snprintf(prefix, sizeof prefix, "%lld-%lld,", pid, v2);
    csv_line(r.body, prefix, line, sizeof line);
    CHECK(strstr(line, ",female,") && strstr(line, ",patient_changed,") && strstr(line, "contradicts this visit"));
    hc_free(&r);
    /* a birth date that makes a child of the patient at these visits: still
    ** every visit, without an age */
    j = req_json(c, "PATCH", path, "{\"birth_date\":\"2015-01-01\"}", &st);
    CHECK_INT(st, 200);
    json_decref(j);
    CHECK(hc_request(c, "GET", epath, TOKEN, NULL, 0, NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(count_char(r.body, '\n'), 3);
    snprintf(prefix, sizeof prefix, "%lld-%lld,", pid, v1);
    csv_line(r.body, prefix, line, sizeof line);
    CHECK(strstr(line, ",patient_changed,") && strstr(line, "birth_date was 1950-01-15 when the result was stored, now "
                                                            "2015-01-01"));
    CHECK(strstr(line, ",male,general,2026-01-10,") != NULL);
    CHECK(!strstr(r.body, "age_years")); /* no age made up */
    hc_free(&r);
    /* the JSON export: the same, each visit marked, and the counts */
    j = req_json(c, "GET", "/api/v1/export.json", NULL, &st);
    CHECK_INT(st, 200);
    json_array_foreach(json_object_get(j, "patients"), i, p) {
        json_array_foreach(json_object_get(p, "visits"), k, v) {
            visits++;
            changed += json_string_value(json_object_get(v, "record_status")) &&
                       !strcmp(json_string_value(json_object_get(v, "record_status")), "patient_changed");
            if (json_integer_value(json_object_get(p, "id")) == pid)
                CHECK_STR(json_string_value(json_object_get(v, "record_status")), "patient_changed");
        }
    }
    CHECK(changed >= 2);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "counts"), "visits")), visits);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "counts"), "mismatched")), changed);
    json_decref(j);

    /* list cells: ';' and '\' escaped, nothing cut (an item of 1,500 bytes) */
    longitem = malloc(1501);
    body = malloc(2048);
    cellv = malloc(2048);
    if (!longitem || !body || !cellv) {
        h_fail++;
        free(longitem);
        free(body);
        free(cellv);
        return;
    }
    memset(longitem, 'x', 1500);
    longitem[1500] = '\0';
    lid = create_patient(c, "{\"label\":\"Lists\",\"sex\":\"female\"}");
    snprintf(body, 2048,
             "{\"assessment_date\":\"2026-03-03\",\"conditions\":[\"heart failure; NYHA II\",\"back\\\\slash\",\"%s\"],"
             "\"medications\":[\"a;b\"]}",
             longitem);
    lv = post_visit(c, lid, body);
    CHECK(lv > 0);
    snprintf(epath, sizeof epath, "/api/v1/patients/%lld/export.csv", lid);
    CHECK(hc_request(c, "GET", epath, TOKEN, NULL, 0, NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    snprintf(cellv, 2048, ",heart failure\\; NYHA II;back\\\\slash;%s,a\\;b,", longitem);
    CHECK(r.body && strstr(r.body, cellv));
    hc_free(&r);
    /* a first item that begins with '[' is escaped (a cell starting with '['
    ** is read as a JSON array), and a cell a spreadsheet would run as a
    ** formula gets a quote before it */
    CHECK(post_visit(c, lid, "{\"assessment_date\":\"2026-04-04\",\"conditions\":[\"[x] y\",\"z\"],"
                             "\"medications\":[\"=1+1\"]}") > 0);
    CHECK(hc_request(c, "GET", epath, TOKEN, NULL, 0, NULL, &r) == 0);
    CHECK(r.body && strstr(r.body, ",\\[x] y;z,'=1+1,"));
    hc_free(&r);
    /* a coded condition is exported as the text a cohort cell reads
    ** (issue 26), not dropped */
    CHECK(post_visit(c, lid, "{\"assessment_date\":\"2026-05-05\",\"conditions\":["
                             "{\"system\":\"icd10\",\"code\":\"n18.4\"},\"COPD\"]}") > 0);
    CHECK(hc_request(c, "GET", epath, TOKEN, NULL, 0, NULL, &r) == 0);
    CHECK(r.body && strstr(r.body, ",icd10:N18.4;COPD,"));
    hc_free(&r);
    free(longitem);
    free(body);
    free(cellv);
}

/* Item 10: a damaged visit is reported (which visit, what is damaged),
** never shown as {} nor exported as an empty visit dated today; a damaged
** page gives SQLite's reason and what was being read. */
static void test_damage(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[160], path[128], sql[512], prefix[64], line[4096], today[16], want[96];
    hc_server s;
    hc_conn c = {-1, 0};
    hc_resp r;
    long long pid, v1, v2, v3, v4;
    json_t *j, *v;
    int st;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    snprintf(db, sizeof db, "%s/damage.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    pid = create_patient(&c, "{\"label\":\"damage\",\"sex\":\"female\",\"birth_date\":\"1950-01-15\"}");
    v1 = post_visit(&c, pid, "{\"assessment_date\":\"2026-01-10\",\"weight_kg\":70}");
    v2 = post_visit(&c, pid, "{\"assessment_date\":\"2026-03-10\",\"weight_kg\":68}");
    v3 = post_visit(&c, pid, "{\"assessment_date\":\"2026-05-10\",\"weight_kg\":66}");
    /* sent without a date: dated the day it was entered (moved below to an
    ** earlier day, as if entered then) */
    v4 = post_visit(&c, pid, "{\"weight_kg\":65}");
    CHECK(v1 > 0 && v2 > 0 && v3 > 0 && v4 > 0);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    snprintf(sql, sizeof sql,
             "PRAGMA ignore_check_constraints=ON;"
             "UPDATE visits SET inputs = '{\"weight_kg\":' WHERE id = %lld;"
             "UPDATE assessments SET result = substr(result, 1, length(result) - 9) WHERE visit_id = %lld;"
             "UPDATE visits SET date = '2026-06-10' WHERE id = %lld;",
             v2, v3, v4);
    CHECK_INT(run_sql(db, sql), SQLITE_OK);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    /* the list shows the damage, never {} */
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(&c, "GET", path, NULL, &st);
    CHECK_INT(st, 200);
    v = json_array_get(json_object_get(j, "visits"), 1);
    CHECK_INT(json_integer_value(json_object_get(v, "id")), v2);
    CHECK(json_is_null(json_object_get(v, "inputs")));
    CHECK(json_string_value(json_array_get(json_object_get(v, "damage"), 0)) &&
          !strncmp(json_string_value(json_array_get(json_object_get(v, "damage"), 0)), "inputs: not valid JSON", 22));
    CHECK(json_object_get(json_array_get(json_object_get(j, "visits"), 0), "damage") == NULL);
    json_decref(j);
    /* the timeline: that visit is an error saying so */
    snprintf(path, sizeof path, "/api/v1/patients/%lld/timeline", pid);
    j = req_json(&c, "GET", path, NULL, &st);
    CHECK_INT(st, 200);
    v = json_array_get(json_object_get(j, "visits"), 1);
    CHECK_STR(json_string_value(json_object_get(json_object_get(v, "error"), "code")), "damaged");
    CHECK(json_object_get(json_array_get(json_object_get(j, "visits"), 2), "results") != NULL);
    json_decref(j);
    /* the export: every visit, dated by its stored date, marked */
    snprintf(path, sizeof path, "/api/v1/patients/%lld/export.csv", pid);
    CHECK(hc_request(&c, "GET", path, TOKEN, NULL, 0, NULL, &r) == 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(count_char(r.body, '\n'), 5);
    CHECK(r.body && !strstr(r.body, today));
    snprintf(prefix, sizeof prefix, "%lld-%lld,", pid, v4);
    csv_line(r.body, prefix, line, sizeof line);
    CHECK(strstr(line, ",2026-06-10,65,") != NULL); /* its stored date, not today's */
    snprintf(prefix, sizeof prefix, "%lld-%lld,", pid, v2);
    csv_line(r.body, prefix, line, sizeof line);
    CHECK(strstr(line, ",2026-03-10,") && strstr(line, ",damaged,") && strstr(line, "inputs: not valid JSON"));
    CHECK(!strstr(line, ",68,")); /* its weight was in the damaged inputs */
    snprintf(prefix, sizeof prefix, "%lld-%lld,", pid, v3);
    csv_line(r.body, prefix, line, sizeof line);
    CHECK(strstr(line, ",2026-05-10,66,") && strstr(line, ",damaged,") && strstr(line, "stored result: zstd"));
    hc_free(&r);
    /* the stored result itself: a 500 naming the visit and the reason */
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits/%lld", pid, v3);
    j = req_json(&c, "GET", path, NULL, &st);
    CHECK_INT(st, 500);
    snprintf(want, sizeof want, "stored assessment of visit %lld cannot be read: zstd", v3);
    CHECK(strstr(err_message(j), want) != NULL);
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    /* a damaged page of the visits table */
    {
        sqlite3 *sq = NULL;
        sqlite3_stmt *q;
        long root = 0, psize = 0;
        FILE *f;
        CHECK(sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
        if (sqlite3_prepare_v2(sq, "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_schema"
                                   " WHERE name = 'visits'", -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
            root = (long)sqlite3_column_int64(q, 0);
            psize = (long)sqlite3_column_int64(q, 1);
        }
        sqlite3_finalize(q);
        sqlite3_close(sq);
        CHECK(root > 1 && psize > 0);
        f = fopen(db, "r+b");
        CHECK(f != NULL);
        if (f) {
            static const unsigned char junk[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
            CHECK(fseek(f, (root - 1) * psize, SEEK_SET) == 0 && fwrite(junk, 1, sizeof junk, f) == sizeof junk);
            fclose(f);
        }
    }
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(&c, "GET", path, NULL, &st);
    CHECK_INT(st, 500);
    snprintf(want, sizeof want, "reading the visits of patient %lld", pid);
    CHECK(strstr(err_message(j), want) && strstr(err_message(j), "malformed"));
    json_decref(j);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
}

/* One value of a query on db (read-only), as text, into out. */
static void probe(const char *db, const char *sql, char *out, size_t n)
{
    sqlite3 *sq = NULL;
    sqlite3_stmt *q = NULL;
    out[0] = 0;
    if (sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(sq, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        snprintf(out, n, "%s", sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "NULL");
    else
        fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(sq));
    sqlite3_finalize(q);
    sqlite3_close(sq);
}

/* Schema 3 -> 4: a registry of schema 3 (this schema without
** visit_sources, as every registry of schema 3 is) is read as it is by
** `sarx registry check`, and migrated by the server: its visits are kept,
** and an import finds a visit stored before (it has no sources) by its
** date, then records where its values came from. */
static void test_migration_v4(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    static const char bundle[] =
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\","
        "\"id\":\"mig\",\"gender\":\"male\",\"birthDate\":\"1950-03-01\"}},"
        "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"w1\",\"status\":\"final\",\"code\":{\"coding\":"
        "[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\"}]},\"effectiveDateTime\":\"2026-01-10\","
        "\"valueQuantity\":{\"value\":70,\"unit\":\"kg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}},"
        "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"w2\",\"status\":\"final\",\"code\":{\"coding\":"
        "[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\"}]},\"effectiveDateTime\":\"2026-07-10\","
        "\"valueQuantity\":{\"value\":65.8,\"unit\":\"kg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}}"
        "]}";
    char db[160], cmd[512], got[256];
    hc_server s;
    hc_conn c = {-1, 0};
    long long pid, v1;
    json_t *j, *v;
    int st, k;
    snprintf(db, sizeof db, "%s/v3.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    pid = create_patient(&c, "{\"external_id\":\"mig\",\"sex\":\"male\",\"birth_date\":\"1950-03-01\"}");
    v1 = post_visit(&c, pid, "{\"assessment_date\":\"2026-01-10\",\"weight_kg\":70}");
    CHECK(pid > 0 && v1 > 0);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    CHECK_INT(run_sql(db, "DROP TABLE visit_sources; PRAGMA user_version=3;"), SQLITE_OK);
    probe(db, "PRAGMA user_version", got, sizeof got);
    CHECK_STR(got, "3");
    /* read-only: read as it is, not migrated */
    snprintf(cmd, sizeof cmd, "'%s' registry check --db '%s' >/dev/null 2>&1", sarx, db);
    CHECK_INT(system(cmd), 0);
    probe(db, "PRAGMA user_version", got, sizeof got);
    CHECK_STR(got, "3");
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    j = req_json(&c, "GET", "/api/v1/health", NULL, &st);
    CHECK_INT(json_integer_value(json_object_get(j, "schema_version")), 4);
    json_decref(j);
    for (k = 0; k < 2; k++) {
        hc_resp r;
        CHECK(hc_request(&c, "POST", "/api/v1/fhir/import", TOKEN, bundle, strlen(bundle),
                         "Content-Type: application/fhir+json\r\n", &r) == 0);
        CHECK_INT(r.status, 200);
        j = json_loads(r.body ? r.body : "", 0, NULL);
        hc_free(&r);
        CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "patient"), "id")), pid);
        CHECK_STR(json_string_value(json_object_get(json_object_get(j, "patient"), "action")), "unchanged");
        v = json_array_get(json_object_get(j, "visits"), 0);
        CHECK_STR(json_string_value(json_object_get(v, "action")), "unchanged"); /* by its date, the same inputs */
        CHECK_INT(json_integer_value(json_object_get(v, "visit_id")), v1);
        v = json_array_get(json_object_get(j, "visits"), 1);
        CHECK_STR(json_string_value(json_object_get(v, "action")), k ? "unchanged" : "created");
        json_decref(j);
    }
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    {
        static const char *const probes[][2] = {
            {"PRAGMA user_version", "4"},
            {"PRAGMA integrity_check", "ok"},
            {"SELECT count(*) FROM pragma_foreign_key_check", "0"},
            {"SELECT count(*) FROM visits", "2"},
            {"SELECT group_concat(resource, ',') FROM (SELECT resource FROM visit_sources s JOIN visits v"
             " ON v.id = s.visit_id ORDER BY v.date)",
             "Observation/w1,Observation/w2"},
        };
        size_t i;
        for (i = 0; i < sizeof probes / sizeof *probes; i++) {
            probe(db, probes[i][0], got, sizeof got);
            CHECK_STR(got, probes[i][1]);
        }
    }
    /* a visit deleted takes its sources with it */
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    snprintf(cmd, sizeof cmd, "/api/v1/patients/%lld/visits/%lld", pid, v1);
    CHECK_INT(status_of(&c, "DELETE", cmd, TOKEN, NULL), 204);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    probe(db, "SELECT count(*) || ':' || group_concat(resource) FROM visit_sources", got, sizeof got);
    CHECK_STR(got, "1:Observation/w2");
}

int main(int argc, char **argv)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[128];
    hc_server s;
    hc_conn c = {-1, 0};
    if (argc != 2) {
        fputs("usage: registry SARX\n", stderr);
        return 2;
    }
    sarx = argv[1];
    signal(SIGPIPE, SIG_IGN);
    /* the umask most systems give: files the server creates must not
    ** depend on it to be owner-only */
    umask(022);
    hc_shim_path(argv[0], shim, sizeof shim); /* the sync-failure shim */
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s/reg.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return h_summary("registry");
    }
    c.port = s.port;
    test_export_after_patch(&c);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    test_private_files();
    test_sync_failure();
    test_saved_answer();
    test_commit_sync_failure();
    test_partial_checkpoint();
    test_transient_check();
    test_vanished();
    test_damage();
    test_migration_v4();
    {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    return h_summary("registry");
}
