/*
** sx.h — what the files of the SQLite extension share (ext/sqlite/).
**
** The extension is a thin client of libsarx (docs/SQL.md): every rule,
** category, reading and statistic is the library's.  State is per
** connection (sx_conn, the user data of every function and of the
** sarx_results module), made when the extension is loaded into the
** connection and freed when the last function or module holding it is
** dropped (the connection closes, or the extension is loaded again).
*/
#ifndef SARX_SQLITE_SX_H
#define SARX_SQLITE_SX_H

#include <sqlite3ext.h>
#include <stddef.h>

#include "sarx.h"

/* The routines SQLite hands a loadable extension (sqlite3ext.h); defined
** by SQLITE_EXTENSION_INIT1 in sarx_sqlite.c. */
SQLITE_EXTENSION_INIT3

/* One definition: its index in the connection's full context and a
** context holding only it (for sarx_classify and sarx_missing), made the
** first time a query names it. */
typedef struct sx_def {
    size_t index;
    sarx_ctx *one;
    const sarx_definition *d; /* the definition in `one` */
} sx_def;

typedef struct sx_conn {
    int refs;          /* functions and modules holding it, plus the loader while it registers */
    sarx_ctx *ctx;     /* every definition, in the library's order */
    size_t ndefs;
    sx_def *defs;      /* ndefs entries; .one is NULL until first used */
    sarx_subject *s;   /* scratch: SQLite runs one function call of a connection at a time, and
                       ** every call reads its subject into it and is done with it before it returns */
} sx_conn;

/* Take and drop a reference (the last drop frees everything). */
void sx_conn_ref(sx_conn *c);
void sx_conn_unref(void *c);

/* The definition a query names (its id, any case, surrounding spaces
** ignored).  NULL when unknown, with *msg (sqlite3_malloc'ed, for
** sqlite3_result_error) naming it and listing the ids; NULL with *msg
** NULL when out of memory. */
const sx_def *sx_def_find(sx_conn *c, const char *fn, const unsigned char *text, char **msg);
/* Definition i of the connection's context, the same way. */
const sx_def *sx_def_get(sx_conn *c, const char *fn, size_t i, char **msg);

/* Read a subject argument into c->s.  Returns 1 when read, 0 for an SQL
** NULL, or -1 when it is not a subject: not TEXT (*msg says what was given
** and what is expected; sqlite3_malloc'ed), or refused by the library
** (*msg NULL; err holds the library's message).  -2: out of memory. */
int sx_subject(sx_conn *c, const char *fn, sqlite3_value *v, char **msg, sarx_error *err);

/* A definition's category as `sarx assess` names it. */
const char *sx_category_name(const sarx_definition *d, sarx_class cls);

/* A result's missing inputs as a JSON array of strings ('[]' when none),
** sqlite3_malloc'ed; NULL when out of memory. */
char *sx_missing_json(const sarx_result *r);

/* Set a result to JSON text (SQLite's JSON subtype, so that the json_*
** functions take it as JSON, not as a string); frees text with free_fn. */
void sx_result_json(sqlite3_context *cx, char *text, void (*free_fn)(void *));
/* Fail the call with msg (sqlite3_malloc'd; freed here), or as out of
** memory when msg is NULL (making the message failed). */
void sx_result_msg(sqlite3_context *cx, char *msg);

/* The parts registered by sarx_sqlite.c's entry point. */
int sx_register_scalars(sqlite3 *db, sx_conn *c);
int sx_register_aggregates(sqlite3 *db, sx_conn *c);
int sx_register_results(sqlite3 *db, sx_conn *c);

/* Flags of every function: each gives the same answer for the same
** arguments (under one library version: docs/SQL.md, on indexes) and has
** no side effect. */
#define SX_FUNC_FLAGS (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)
/* ... and of those returning JSON text with its subtype (SQLite 3.45 and
** later ask for the flag). */
#ifdef SQLITE_RESULT_SUBTYPE
#define SX_JSON_FLAGS SQLITE_RESULT_SUBTYPE
#else
#define SX_JSON_FLAGS 0
#endif

#endif
