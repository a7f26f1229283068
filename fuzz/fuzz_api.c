/*
** fuzz_api.c — libFuzzer target: the /api/v1 routes (server/api.c) and the
** registry behind them, a sequence of requests per input.
**
** Input: up to 4 requests separated by a line "---".  Each is a request
** line "METHOD PATH" (PATH under /api/v1/ unless it starts with '/', with
** an optional ?query of key=value pairs), optional header lines of which
** "Content-Type: ..." is used, a blank line, then the body.  In PATH, $P
** is the patient the sequence created last (else the one made at start)
** and $V its last visit, so that a sequence can create a patient, add
** visits and read them back whatever ids the registry hands out:
**
**     POST patients
**
**     {"sex": "female", "birth_date": "1944-03-01"}
**     ---
**     POST patients/$P/visits
**
**     {"assessment_date": "2026-01-10", "weight_kg": 70, "grip_kg": 18}
**     ---
**     GET patients/$P/timeline
**
** FUZZ_API_TRACE=1 in the environment prints each request and its status.
**
** Checks on every answer, each an abort when it fails: a status of
** 200-599; a body (or a producer, drained to its end without failing)
** unless 204; a JSON body that is valid JSON (json_valid, a strict
** one-pass check), and for an error an "error" object with a code and a
** message; an application/fhir+json body (the FHIR routes) valid JSON
** with a resourceType, and for an error an OperationOutcome whose first
** issue has diagnostics.
**
** Speed and repeatability: the registry is opened once (on /dev/shm when
** there is one, where a sync costs nothing; removed at exit), with one
** patient and two visits made at start.  After each input, what it
** created is deleted again, a base visit it deleted is added again, and
** the base patient is made anew if the input changed it, so that every
** input starts from the same records and the registry does not grow
** through a run (it did: the old target slowed as lists and exports
** grew; a patient POST /fhir/import created is deleted too).  One POST
** /assess takes at most 50 subjects here (1,000 in sarx serve), so that
** its 413 is in reach.
*/
#include "../server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MAXREQ 4
#define MAXQ 8

static char db_path[512];
static sarx_ctx *ctx;
static srv_registry *reg;
/* The patient a POST /fhir/import answered (0 when none) and whether it
** created it: the answer has no Location, so answer() reads them from it. */
static long long imported_pid;
static int imported_new;

/* The records every input starts from: a patient and two visits. */
static const char *const base_visit[2] = {
    "{\"assessment_date\":\"2025-09-01\",\"weight_kg\":74,\"height_cm\":168,\"grip_kg\":21,\"asm_kg\":14.5}",
    "{\"assessment_date\":\"2026-03-01\",\"weight_kg\":66,\"grip_kg\":15,\"gait_speed_m_s\":0.7,\"crp_mg_l\":12}",
};
static long long base_pid, base_vid[2];

static void remove_db(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[600];
    size_t i;
    if (reg)
        srv_registry_close(reg);
    reg = NULL;
    for (i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
        unlink(p);
    }
}

/* A request's query parameters, looked up by key. */
typedef struct query {
    int n;
    char *key[MAXQ], *val[MAXQ];
} query;

static const char *query_get(void *ud, const char *key)
{
    query *q = ud;
    int i;
    for (i = 0; i < q->n; i++)
        if (strcmp(q->key[i], key) == 0)
            return q->val[i];
    return NULL;
}

/* The ids in a Location such as /api/v1/patients/12/visits/34. */
static void location_ids(const char *loc, long long *pid, long long *vid)
{
    long long p = 0, v = 0;
    if (sscanf(loc, "/api/v1/patients/%lld/visits/%lld", &p, &v) == 2)
        *pid = p, *vid = v;
    else if (sscanf(loc, "/api/v1/patients/%lld", &p) == 1)
        *pid = p, *vid = 0;
}

/* Whether s[0..n) is one JSON text (RFC 8259): values, strings with valid
** escapes and UTF-8 (no surrogates, no overlong forms), numbers by the
** grammar, nothing after the value but white space.  One pass and no
** allocation: parsing every answer into a tree with jansson took 43% of
** this target's time, most of it in the allocator; an error's body,
** whose code and message are looked at, is still parsed with jansson. */
typedef struct jv {
    const unsigned char *p, *e;
    int depth;
} jv;

static void jv_ws(jv *v)
{
    while (v->p < v->e && (*v->p == ' ' || *v->p == '\t' || *v->p == '\n' || *v->p == '\r'))
        v->p++;
}

static int jv_lit(jv *v, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(v->e - v->p) < n || memcmp(v->p, w, n) != 0)
        return 0;
    v->p += n;
    return 1;
}

static int jv_hex4(jv *v, unsigned *u)
{
    int i;
    *u = 0;
    if (v->e - v->p < 4)
        return 0;
    for (i = 0; i < 4; i++) {
        unsigned c = *v->p++, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 32) >= 'a' && (c | 32) <= 'f')
            d = (c | 32) - 'a' + 10;
        else
            return 0;
        *u = *u << 4 | d;
    }
    return 1;
}

static int jv_string(jv *v)
{
    v->p++; /* the opening quote */
    while (v->p < v->e) {
        unsigned c = *v->p++;
        if (c == '"')
            return 1;
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            unsigned u, lo;
            if (v->p == v->e)
                return 0;
            c = *v->p++;
            if (c == 'u') {
                if (!jv_hex4(v, &u))
                    return 0;
                if (u >= 0xDC00 && u <= 0xDFFF) /* a low surrogate alone */
                    return 0;
                if (u >= 0xD800 && u <= 0xDBFF &&
                    (!jv_lit(v, "\\u") || !jv_hex4(v, &lo) || lo < 0xDC00 || lo > 0xDFFF))
                    return 0;
            } else if (!strchr("\"\\/bfnrt", (int)c) || c == 0) {
                return 0;
            }
        } else if (c >= 0x80) { /* UTF-8: the sequence's length, its first continuation's range */
            unsigned need, lo = 0x80, hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF)
                need = 1;
            else if (c >= 0xE0 && c <= 0xEF)
                need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
            else if (c >= 0xF0 && c <= 0xF4)
                need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
            else
                return 0;
            if ((size_t)(v->e - v->p) < need || v->p[0] < lo || v->p[0] > hi)
                return 0;
            for (; need; need--, v->p++)
                if ((*v->p & 0xC0) != 0x80)
                    return 0;
        }
    }
    return 0;
}

static int jv_digits(jv *v)
{
    const unsigned char *s = v->p;
    while (v->p < v->e && *v->p >= '0' && *v->p <= '9')
        v->p++;
    return v->p > s;
}

static int jv_number(jv *v)
{
    if (*v->p == '-')
        v->p++;
    if (v->p < v->e && *v->p == '0')
        v->p++;
    else if (!jv_digits(v))
        return 0;
    if (v->p < v->e && *v->p == '.' && (v->p++, !jv_digits(v)))
        return 0;
    if (v->p < v->e && (*v->p == 'e' || *v->p == 'E')) {
        v->p++;
        if (v->p < v->e && (*v->p == '+' || *v->p == '-'))
            v->p++;
        if (!jv_digits(v))
            return 0;
    }
    return 1;
}

static int jv_value(jv *v)
{
    jv_ws(v);
    if (v->p == v->e)
        return 0;
    switch (*v->p) {
    case '"': return jv_string(v);
    case 't': return jv_lit(v, "true");
    case 'f': return jv_lit(v, "false");
    case 'n': return jv_lit(v, "null");
    case '[':
    case '{': {
        int obj = *v->p++ == '{', first = 1;
        if (++v->depth > 512)
            return 0;
        for (;;) {
            jv_ws(v);
            if (v->p < v->e && *v->p == (obj ? '}' : ']') && first) {
                v->p++;
                break;
            }
            if (obj) {
                if (v->p == v->e || *v->p != '"' || !jv_string(v))
                    return 0;
                jv_ws(v);
                if (v->p == v->e || *v->p++ != ':')
                    return 0;
            }
            if (!jv_value(v))
                return 0;
            jv_ws(v);
            if (v->p == v->e)
                return 0;
            if (*v->p == ',') {
                v->p++;
                first = 0;
                continue;
            }
            if (*v->p++ != (obj ? '}' : ']'))
                return 0;
            break;
        }
        v->depth--;
        return 1;
    }
    default: return (*v->p == '-' || (*v->p >= '0' && *v->p <= '9')) && jv_number(v);
    }
}

static int json_valid(const char *s, size_t n)
{
    jv v;
    v.p = (const unsigned char *)s;
    v.e = v.p + n;
    v.depth = 0;
    if (!jv_value(&v))
        return 0;
    jv_ws(&v);
    return v.p == v.e;
}

/* Answer one request and check the answer; the status.  The requests that
** restore the base (check 0) are not the input's: their answers, large
** visit documents, are not parsed again (that was a sixth of the time). */
static int answer(const char *method, const char *path, const char *ctype, const char *body, size_t blen,
                  query *q, int stream, char *location, size_t nloc, int check)
{
    static const srv_app *app;
    static srv_app a;
    srv_request req;
    srv_response resp;
    int status;
    if (!app) {
        a.ctx = ctx;
        a.reg = reg;
        a.max_subjects = 50;
        app = &a;
    }
    a.reg = reg;
    memset(&req, 0, sizeof req);
    /* HEAD goes to srv_api as it is: srv_api once let it through to
    ** handlers that test for GET only, and HEAD /patients/ID deleted the
    ** patient (found by this target).  A HEAD must never change anything:
    ** checked below. */
    req.method = method;
    req.path = path;
    req.body = blen ? body : NULL;
    req.body_len = blen;
    req.content_type = ctype;
    req.query = query_get;
    req.ud = q;
    req.can_stream = stream;
    srv_api(&a, &req, &resp);
    status = resp.status;
    if (getenv("FUZZ_API_TRACE"))
        fprintf(stderr, "%s %s -> %d\n", method, path, status);
    if (status < 200 || status > 599)
        abort();
    if (resp.produce) { /* drained to its end, as the HTTP layer would */
        static char buf[1 << 16];
        long got;
        size_t total = 0;
        while ((got = resp.produce(resp.produce_state, buf, sizeof buf)) > 0)
            if ((total += (size_t)got) > ((size_t)1 << 30))
                abort();
        if (got < 0)
            abort();
    } else if (status != 204 && !resp.body) {
        abort();
    } else if (check && resp.body && resp.content_type && strncmp(resp.content_type, "application/json", 16) == 0) {
        if (!json_valid(resp.body, resp.len))
            abort();
        if (status >= 400) {
            json_error_t je;
            json_t *j = json_loadb(resp.body, resp.len, 0, &je), *e = json_object_get(j, "error");
            if (!j || !json_is_string(json_object_get(e, "code")) || !json_is_string(json_object_get(e, "message")))
                abort();
            json_decref(j);
        }
    } else if (check && resp.body && resp.content_type &&
               strncmp(resp.content_type, "application/fhir+json", 21) == 0) {
        /* the FHIR routes: JSON, and an error is an OperationOutcome whose
        ** issue says what went wrong.  A Bundle (an export is 50 KB a
        ** visit) is not parsed into a tree: that was a fifth of an
        ** export's time here; the routes write resourceType first. */
        static const char rt_first[] = "{\"resourceType\":\"";
        if (!json_valid(resp.body, resp.len))
            abort();
        if (status >= 400) {
            json_t *j = json_loadb(resp.body, resp.len, 0, NULL);
            json_t *issue = json_array_get(json_object_get(j, "issue"), 0);
            const char *rt = json_string_value(json_object_get(j, "resourceType"));
            if (!rt || strcmp(rt, "OperationOutcome") != 0 || !json_is_string(json_object_get(issue, "diagnostics")))
                abort();
            json_decref(j);
        } else if (resp.len <= sizeof rt_first || memcmp(resp.body, rt_first, sizeof rt_first - 1) != 0) {
            abort();
        }
    }
    imported_pid = 0;
    if (status == 200 && resp.body && !strcmp(path, "/api/v1/fhir/import")) {
        json_t *j = json_loadb(resp.body, resp.len, 0, NULL), *pt = json_object_get(j, "patient");
        const char *act = json_string_value(json_object_get(pt, "action"));
        imported_pid = json_integer_value(json_object_get(pt, "id"));
        imported_new = act && !strcmp(act, "created");
        if (!imported_pid || !act)
            abort(); /* the answer names the patient and what was done */
        json_decref(j);
    }
    if (location)
        snprintf(location, nloc, "%s", resp.location);
    srv_response_free(&resp);
    return status;
}

/* Add base visit k to the base patient. */
static void add_base_visit(int k)
{
    char loc[96], path[128];
    query q = {0};
    long long pid = 0;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", base_pid);
    if (answer("POST", path, NULL, base_visit[k], strlen(base_visit[k]), &q, 0, loc, sizeof loc, 0) != 201)
        abort();
    location_ids(loc, &pid, &base_vid[k]);
}

/* The patient and visits every input starts from. */
static void make_base(void)
{
    const char *p = "{\"label\":\"base\",\"sex\":\"female\",\"birth_date\":\"1944-03-01\"}";
    char loc[96];
    query q = {0};
    long long vid = 0;
    if (answer("POST", "/api/v1/patients", NULL, p, strlen(p), &q, 0, loc, sizeof loc, 0) != 201)
        abort();
    location_ids(loc, &base_pid, &vid);
    add_base_visit(0);
    add_base_visit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char msg[256];
    (void)argc;
    (void)argv;
    { /* json_valid against texts whose answer is known */
        static const char *const good[] = {"{}", " [1, -0.5e+3, true, null, \"a\\u00e9\\ud83d\\ude00\"] ",
                                           "{\"k\":{\"x\":[]},\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}", "0"};
        static const char *const bad[] = {"",        "{",          "[1,]",       "{\"a\" 1}", "01",
                                          "1.",      "\"\x01\"",    "\"\\x\"",      "\"\\ud800\"", "\"\xc0\xaf\"",
                                          "\"\xed\xa0\x80\"", "[] []", "tru", "{\"a\":1,}", "\"abc"};
        size_t i;
        for (i = 0; i < sizeof good / sizeof *good; i++)
            if (!json_valid(good[i], strlen(good[i])))
                abort();
        for (i = 0; i < sizeof bad / sizeof *bad; i++)
            if (json_valid(bad[i], strlen(bad[i])))
                abort();
    }
    if (sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    snprintf(db_path, sizeof db_path, "%s/sarx-fuzz-api-%ld.db", dir, (long)getpid());
    remove_db();
    atexit(remove_db);
    if (srv_registry_open(db_path, 1, SRV_OPEN_CREATE, ctx, &reg, msg, sizeof msg) != 0) {
        fprintf(stderr, "fuzz_api: %s\n", msg);
        abort();
    }
    make_base();
    return 0;
}

/* PATH with $P and $V replaced, under /api/v1/ unless it starts with '/'. */
static void expand(const char *src, size_t n, long long pid, long long vid, char *out, size_t size)
{
    size_t k = 0, i;
    if (n == 0 || src[0] != '/')
        k = (size_t)snprintf(out, size, "/api/v1/");
    for (i = 0; i < n && k + 24 < size; i++) {
        if (src[i] == '$' && i + 1 < n && (src[i + 1] == 'P' || src[i + 1] == 'V')) {
            k += (size_t)snprintf(out + k, size - k, "%lld", src[i + 1] == 'P' ? pid : vid);
            i++;
        } else if (src[i]) {
            out[k++] = src[i];
        }
    }
    out[k] = '\0';
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *text = malloc(size + 1), *p, *end;
    long long pid = base_pid, vid = base_vid[1], made[MAXREQ], made_visit[MAXREQ][2];
    int nmade = 0, nvisit = 0, touched = 0, gone[2] = {0, 0}, nreq, i;
    query q0 = {0};
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    for (p = text, end = text + size, nreq = 0; p < end && nreq < MAXREQ; nreq++) {
        char *next = strstr(p, "\n---\n"), *line_end, *sp, *body, *ctype = NULL, method[16], path[320], loc[96];
        char *qs;
        size_t blen;
        query q = {0};
        int status;
        if (!next || next > end)
            next = end;
        *next = '\0'; /* (the request ends here; bodies are NUL-terminated) */
        line_end = strchr(p, '\n');
        if (!line_end)
            line_end = next;
        *line_end = '\0';
        if (line_end > p && line_end[-1] == '\r')
            line_end[-1] = '\0';
        sp = strchr(p, ' ');
        snprintf(method, sizeof method, "%.*s", sp ? (int)(sp - p) : (int)strlen(p), p);
        sp = sp ? sp + 1 : p + strlen(p);
        if ((qs = strchr(sp, '?')) != NULL) { /* key=value&key=value */
            char *kv = qs + 1, *amp;
            *qs = '\0';
            for (; kv && *kv && q.n < MAXQ; kv = amp) {
                char *eq;
                if ((amp = strchr(kv, '&')) != NULL)
                    *amp++ = '\0';
                if ((eq = strchr(kv, '=')) != NULL)
                    *eq++ = '\0';
                q.key[q.n] = kv;
                q.val[q.n++] = eq ? eq : kv + strlen(kv);
            }
        }
        expand(sp, strlen(sp), pid, vid, path, sizeof path);
        /* header lines up to a blank line; then the body */
        body = line_end < next ? line_end + 1 : next;
        while (body < next && *body != '\n') {
            char *nl = strchr(body, '\n');
            if (!nl)
                nl = next;
            *nl = '\0';
            if (strncmp(body, "Content-Type:", 13) == 0)
                for (ctype = body + 13; *ctype == ' ';)
                    ctype++;
            body = nl < next ? nl + 1 : next;
        }
        if (body < next)
            body++; /* the blank line */
        blen = (size_t)(next - body);
        status = answer(method, path, ctype, body, blen, q.n ? &q : &q0, nreq % 2, loc, sizeof loc, 1);
        /* a patient an import created is deleted after the input, as one
        ** POST /patients made (left, they grew the registry through a run,
        ** and every list and export of it with them) */
        if (imported_pid && imported_new && nmade < MAXREQ)
            made[nmade++] = imported_pid;
        if (imported_pid) /* $P: the patient imported */
            pid = imported_pid;
        /* HEAD is a read: it never creates, changes or deletes */
        if (!strcmp(method, "HEAD") && (status == 201 || status == 204))
            abort();
        if (status == 201 && loc[0]) {
            long long np = 0, nv = 0;
            location_ids(loc, &np, &nv);
            if (nv && np == base_pid && nvisit < MAXREQ)
                made_visit[nvisit][0] = np, made_visit[nvisit++][1] = nv;
            else if (!nv && np && nmade < MAXREQ)
                made[nmade++] = np;
            if (np)
                pid = np;
            vid = nv ? nv : vid;
        }
        /* a change to the records made at start: a base visit deleted is
        ** added again, the patient changed is made anew */
        if (status < 300 && status != 201 && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
            char mine[64];
            size_t n = (size_t)snprintf(mine, sizeof mine, "/api/v1/patients/%lld", base_pid);
            long long v = 0;
            if (strncmp(path, mine, n) == 0 && path[n] == '\0')
                touched = 1;
            else if (strncmp(path, mine, n) == 0 && sscanf(path + n, "/visits/%lld", &v) == 1)
                gone[0] |= v == base_vid[0], gone[1] |= v == base_vid[1];
        }
        p = next + (next < end ? 5 : 0);
    }
    /* undo: what the input made, then the base where it changed */
    for (i = 0; i < nmade; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/patients/%lld", made[i]);
        answer("DELETE", path, NULL, NULL, 0, &q0, 0, NULL, 0, 0);
    }
    if (touched) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/patients/%lld", base_pid);
        answer("DELETE", path, NULL, NULL, 0, &q0, 0, NULL, 0, 0);
        make_base();
    } else {
        for (i = 0; i < nvisit; i++) {
            char path[96];
            snprintf(path, sizeof path, "/api/v1/patients/%lld/visits/%lld", made_visit[i][0], made_visit[i][1]);
            answer("DELETE", path, NULL, NULL, 0, &q0, 0, NULL, 0, 0);
        }
        for (i = 0; i < 2; i++)
            if (gone[i])
                add_base_visit(i);
    }
    free(text);
    return 0;
}
