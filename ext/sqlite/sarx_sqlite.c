/*
** sarx_sqlite.c — the SQLite loadable extension of sarx: its entry point,
** the per-connection state and the helpers the functions share.
**
**   .load build/sarx_sqlite                  (Debian's sqlite3 shell)
**   sqlite3_load_extension(db, "build/sarx_sqlite.so", NULL, &msg)
**
** SQLite derives the entry point's name from the file name (sarx_sqlite.so
** -> sqlite3_sarxsqlite_init) after trying sqlite3_extension_init; both are
** exported (ext/sqlite/sarx_sqlite.map), nothing else is.  The functions
** are in scalar.c, aggregate.c and results.c; docs/SQL.md documents them.
*/
#include "sx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* SQLite's routine table, set by the entry point: the way every loadable
** extension reaches the SQLite that loaded it (the same table for every
** connection of a process), not state of ours. */
SQLITE_EXTENSION_INIT1

/* The subtype SQLite's JSON functions give JSON text ('J'). */
#define SX_JSON_SUBTYPE 74

void sx_conn_ref(sx_conn *c) { c->refs++; }

void sx_conn_unref(void *p)
{
    sx_conn *c = p;
    size_t i;
    if (!c || --c->refs > 0)
        return;
    for (i = 0; c->defs && i < c->ndefs; i++)
        sarx_ctx_free(c->defs[i].one);
    sqlite3_free(c->defs);
    sarx_subject_free(c->s);
    sarx_ctx_free(c->ctx);
    sqlite3_free(c);
}

static sx_conn *conn_new(char **msg)
{
    sx_conn *c = sqlite3_malloc(sizeof *c);
    sarx_error err;
    size_t i;
    if (!c)
        return NULL;
    memset(c, 0, sizeof *c);
    c->refs = 1;
    if (sarx_ctx_new(&c->ctx, &err) != SARX_OK) {
        *msg = sqlite3_mprintf("sarx: %s", err.message);
        sx_conn_unref(c);
        return NULL;
    }
    c->ndefs = sarx_definition_count(c->ctx);
    c->defs = sqlite3_malloc64(c->ndefs * sizeof *c->defs + 1);
    if (!c->defs || sarx_subject_new(&c->s) != SARX_OK) {
        sx_conn_unref(c);
        return NULL;
    }
    for (i = 0; i < c->ndefs; i++) {
        c->defs[i].index = i;
        c->defs[i].one = NULL;
        c->defs[i].d = NULL;
    }
    return c;
}

/* The ids of every definition, comma-separated (sqlite3_malloc'ed). */
static char *id_list(const sx_conn *c)
{
    sqlite3_str *s = sqlite3_str_new(NULL);
    size_t i;
    for (i = 0; i < c->ndefs; i++)
        sqlite3_str_appendf(s, "%s%s", i ? ", " : "", sarx_definition_id(sarx_definition_at(c->ctx, i)));
    return sqlite3_str_finish(s);
}

/* text without its surrounding spaces equals id, any case */
static int same_id(const char *text, const char *id)
{
    size_t n, k = strlen(id);
    while (*text == ' ' || *text == '\t')
        text++;
    n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    return n == k && strncasecmp(text, id, k) == 0;
}

const sx_def *sx_def_find(sx_conn *c, const char *fn, const unsigned char *text, char **msg)
{
    const char *t = (const char *)text;
    sx_def *x = NULL;
    size_t i;
    *msg = NULL;
    for (i = 0; i < c->ndefs && !x; i++)
        if (strcmp(t, sarx_definition_id(sarx_definition_at(c->ctx, i))) == 0)
            x = &c->defs[i];
    for (i = 0; i < c->ndefs && !x; i++)
        if (same_id(t, sarx_definition_id(sarx_definition_at(c->ctx, i))))
            x = &c->defs[i];
    if (!x) {
        char *ids = id_list(c);
        if (ids)
            *msg = sqlite3_mprintf("%s: unknown definition \"%s\" (ids: %s)", fn, t, ids);
        sqlite3_free(ids);
        return NULL;
    }
    return sx_def_get(c, fn, x->index, msg);
}

const sx_def *sx_def_get(sx_conn *c, const char *fn, size_t i, char **msg)
{
    sx_def *x = &c->defs[i];
    *msg = NULL;
    if (!x->one) {
        sarx_error err;
        const char *id = sarx_definition_id(sarx_definition_at(c->ctx, i));
        if (sarx_ctx_select(c->ctx, id, &x->one, &err) != SARX_OK) {
            x->one = NULL;
            if (err.code != SARX_ENOMEM)
                *msg = sqlite3_mprintf("%s: %s", fn, err.message);
            return NULL;
        }
        x->d = sarx_definition_at(x->one, 0);
    }
    return x;
}

int sx_subject(sx_conn *c, const char *fn, sqlite3_value *v, char **msg, sarx_error *err)
{
    static const char *const types[] = {"", "an INTEGER", "a REAL", "TEXT", "a BLOB", "NULL"};
    int type = sqlite3_value_type(v);
    const unsigned char *text;
    *msg = NULL;
    if (type == SQLITE_NULL)
        return 0;
    if (type != SQLITE_TEXT) {
        *msg = sqlite3_mprintf("%s: the subject is %s; a subject is TEXT holding a JSON object of the fields "
                               "`sarx fields` lists (e.g. json_object('sex', 'female', 'grip_kg', 15))",
                               fn, types[type]);
        return *msg ? -1 : -2;
    }
    text = sqlite3_value_text(v);
    if (!text)
        return -2;
    if (sarx_subject_from_json(c->s, (const char *)text, (size_t)sqlite3_value_bytes(v), err) != SARX_OK)
        return err->code == SARX_ENOMEM ? -2 : -1;
    return 1;
}

const char *sx_category_name(const sarx_definition *d, sarx_class cls)
{
    return cls.category == SARX_INDETERMINATE ? "indeterminate" : sarx_definition_category(d, cls.category);
}

char *sx_missing_json(const sarx_result *r)
{
    sqlite3_str *s = sqlite3_str_new(NULL);
    size_t i, n = sarx_result_missing_count(r);
    sqlite3_str_appendchar(s, 1, '[');
    for (i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)sarx_result_missing(r, i);
        sqlite3_str_appendall(s, i ? ",\"" : "\"");
        for (; *p; p++) {
            if (*p == '"' || *p == '\\')
                sqlite3_str_appendf(s, "\\%c", *p);
            else if (*p < 0x20)
                sqlite3_str_appendf(s, "\\u%04x", *p);
            else
                sqlite3_str_appendchar(s, 1, (char)*p);
        }
        sqlite3_str_appendchar(s, 1, '"');
    }
    sqlite3_str_appendchar(s, 1, ']');
    return sqlite3_str_finish(s);
}

void sx_result_msg(sqlite3_context *cx, char *msg)
{
    if (msg)
        sqlite3_result_error(cx, msg, -1);
    else
        sqlite3_result_error_nomem(cx);
    sqlite3_free(msg);
}

void sx_result_json(sqlite3_context *cx, char *text, void (*free_fn)(void *))
{
    if (!text) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    sqlite3_result_text(cx, text, -1, free_fn);
    sqlite3_result_subtype(cx, SX_JSON_SUBTYPE);
}

/* The entry points: the only exported symbols (compiled with
** -fvisibility=hidden; ext/sqlite/sarx_sqlite.map). */
#define SX_EXPORT __attribute__((visibility("default")))
SX_EXPORT int sqlite3_sarxsqlite_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);
SX_EXPORT int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

int sqlite3_sarxsqlite_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi)
{
    sx_conn *c;
    char *msg = NULL;
    int rc;
    SQLITE_EXTENSION_INIT2(pApi);
    c = conn_new(&msg);
    if (!c) {
        if (pzErrMsg)
            *pzErrMsg = msg ? msg : sqlite3_mprintf("sarx: out of memory");
        else
            sqlite3_free(msg);
        return msg ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    rc = sx_register_scalars(db, c);
    if (rc == SQLITE_OK)
        rc = sx_register_aggregates(db, c);
    if (rc == SQLITE_OK)
        rc = sx_register_results(db, c);
    if (rc != SQLITE_OK && pzErrMsg)
        *pzErrMsg = sqlite3_mprintf("sarx: cannot register the functions: %s", sqlite3_errmsg(db));
    sx_conn_unref(c); /* the functions and the module hold it now */
    return rc;
}

/* The name SQLite tries first when no entry point is given: the extension
** loads under any file name. */
int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi)
{
    return sqlite3_sarxsqlite_init(db, pzErrMsg, pApi);
}
