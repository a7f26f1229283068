/*
** results.c — sarx_results(subject), an eponymous-only table-valued
** function: one row per definition, in the library's order, with the
** columns definition, category, complete (0/1) and missing (a JSON array),
** from one assessment without guidance (sarx_assess_ex).
**
**   SELECT * FROM sarx_results('{"sex": "female", "grip_kg": 15}');
**   SELECT v.id, r.definition, r.category FROM visits v, sarx_results(v.subject) r;
**
** The subject is a hidden column that must be constrained (the argument):
** a plan without it is refused.  An SQL NULL subject gives no rows; a
** subject the library refuses is an error carrying its message.
*/
#include "sx.h"

#include <string.h>

enum { COL_DEFINITION, COL_CATEGORY, COL_COMPLETE, COL_MISSING, COL_SUBJECT };

typedef struct rs_vtab {
    sqlite3_vtab base;
    sx_conn *c;
} rs_vtab;

typedef struct rs_cursor {
    sqlite3_vtab_cursor base;
    sarx_assessment *a; /* NULL: no rows */
    size_t row;
    sqlite3_value *subject; /* the argument, for the hidden column */
} rs_cursor;

static int rs_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err)
{
    rs_vtab *t;
    int rc;
    (void)argc;
    (void)argv;
    (void)err;
    rc = sqlite3_declare_vtab(db, "CREATE TABLE x(definition TEXT, category TEXT, complete INTEGER, missing TEXT, "
                                  "subject HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
#ifdef SQLITE_VTAB_INNOCUOUS
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
#endif
    if (!(t = sqlite3_malloc(sizeof *t)))
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->c = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int rs_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

/* The plan must hand the subject to xFilter: an equality constraint on
** the hidden column that this plan can use.  Any other plan is refused with
** SQLITE_CONSTRAINT, so that SQLite picks another (a join order that reads
** the subject first; the branches of an OR are planned without it).  A
** query that never gives the subject has no plan left: SQLite says "no
** query solution". */
static int rs_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
    int i;
    (void)t;
    for (i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *k = &info->aConstraint[i];
        if (k->iColumn == COL_SUBJECT && k->usable && k->op == SQLITE_INDEX_CONSTRAINT_EQ) {
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->idxNum = 1;
            info->estimatedCost = 20.0;
            info->estimatedRows = 20;
            return SQLITE_OK;
        }
    }
    return SQLITE_CONSTRAINT;
}

static int rs_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    rs_cursor *k = sqlite3_malloc(sizeof *k);
    (void)t;
    if (!k)
        return SQLITE_NOMEM;
    memset(k, 0, sizeof *k);
    *out = &k->base;
    return SQLITE_OK;
}

static void rs_reset(rs_cursor *k)
{
    sarx_assessment_free(k->a);
    k->a = NULL;
    sqlite3_value_free(k->subject);
    k->subject = NULL;
    k->row = 0;
}

static int rs_close(sqlite3_vtab_cursor *cur)
{
    rs_reset((rs_cursor *)cur);
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int rs_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv)
{
    rs_cursor *k = (rs_cursor *)cur;
    rs_vtab *t = (rs_vtab *)cur->pVtab;
    sarx_error err;
    char *msg;
    int rc;
    (void)idx;
    (void)idxs;
    rs_reset(k);
    if (argc < 1)
        return SQLITE_ERROR; /* rs_best_index never plans this */
    if (!(k->subject = sqlite3_value_dup(argv[0])))
        return SQLITE_NOMEM;
    rc = sx_subject(t->c, "sarx_results", argv[0], &msg, &err);
    if (rc == 0)
        return SQLITE_OK;
    if (rc == -1) {
        sqlite3_free(t->base.zErrMsg);
        t->base.zErrMsg = msg ? msg : sqlite3_mprintf("%s", err.message);
        return SQLITE_ERROR;
    }
    if (rc == -2)
        return SQLITE_NOMEM;
    if (sarx_assess_ex(t->c->ctx, t->c->s, SARX_ASSESS_NO_GUIDANCE, &k->a, &err) != SARX_OK) {
        k->a = NULL;
        if (err.code == SARX_ENOMEM)
            return SQLITE_NOMEM;
        sqlite3_free(t->base.zErrMsg);
        t->base.zErrMsg = sqlite3_mprintf("%s", err.message);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

static int rs_next(sqlite3_vtab_cursor *cur)
{
    ((rs_cursor *)cur)->row++;
    return SQLITE_OK;
}

static int rs_eof(sqlite3_vtab_cursor *cur)
{
    rs_cursor *k = (rs_cursor *)cur;
    return !k->a || k->row >= sarx_assessment_result_count(k->a);
}

static int rs_column(sqlite3_vtab_cursor *cur, sqlite3_context *cx, int col)
{
    rs_cursor *k = (rs_cursor *)cur;
    const sarx_result *r = sarx_assessment_result(k->a, k->row);
    switch (col) {
    case COL_DEFINITION:
        sqlite3_result_text(cx, sarx_definition_id(sarx_result_definition(r)), -1, SQLITE_STATIC);
        break;
    case COL_CATEGORY:
        sqlite3_result_text(cx, sarx_result_category(r), -1, SQLITE_STATIC);
        break;
    case COL_COMPLETE:
        sqlite3_result_int(cx, sarx_result_complete(r) ? 1 : 0);
        break;
    case COL_MISSING:
        sx_result_json(cx, sx_missing_json(r), sqlite3_free);
        break;
    default:
        sqlite3_result_value(cx, k->subject);
        break;
    }
    return SQLITE_OK;
}

static int rs_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid)
{
    *rowid = (sqlite_int64)((rs_cursor *)cur)->row + 1;
    return SQLITE_OK;
}

/* iVersion 0; no xCreate: eponymous-only (it cannot be CREATE VIRTUAL TABLE'd). */
static const sqlite3_module rs_module = {
    .iVersion = 0,
    .xConnect = rs_connect,
    .xBestIndex = rs_best_index,
    .xDisconnect = rs_disconnect,
    .xOpen = rs_open,
    .xClose = rs_close,
    .xFilter = rs_filter,
    .xNext = rs_next,
    .xEof = rs_eof,
    .xColumn = rs_column,
    .xRowid = rs_rowid,
};

int sx_register_results(sqlite3 *db, sx_conn *c)
{
    sx_conn_ref(c); /* dropped through sx_conn_unref when the module goes, or when registering fails */
    return sqlite3_create_module_v2(db, "sarx_results", &rs_module, c, sx_conn_unref);
}
