/*
** scalar.c — the scalar SQL functions of the SQLite extension:
**
**   sarx_category(subject, definition)  text
**   sarx_complete(subject, definition)  0 or 1
**   sarx_missing(subject, definition)   JSON array text
**   sarx_assess(subject)                JSON text, as `sarx assess --format json`
**   sarx_measure(subject, name)         REAL or NULL
**   sarx_check(subject)                 NULL, or the message
**   sarx_version()                      text
**
** An SQL NULL argument gives NULL.  A subject the library refuses is an
** error carrying the library's message (sarx_check returns it instead).
** The definition argument is looked up once per call site (SQLite keeps
** it as auxiliary data while the argument stays the same), and the
** category is sarx_classify's on a context holding only that definition.
*/
#include "sx.h"

#include <math.h>

/* Report a subject that sx_subject refused. */
static void subject_error(sqlite3_context *cx, int rc, char *msg, const sarx_error *err)
{
    if (rc == -2)
        sqlite3_result_error_nomem(cx);
    else if (msg)
        sqlite3_result_error(cx, msg, -1);
    else
        sqlite3_result_error(cx, err->message, -1);
    sqlite3_free(msg);
}

/* The definition named by argument 1, cached for the call site.  NULL when
** the argument is NULL (*null set) or after an error was set. */
static const sx_def *def_arg(sqlite3_context *cx, sx_conn *c, const char *fn, sqlite3_value *v, int *null)
{
    const sx_def *x = sqlite3_get_auxdata(cx, 1);
    const unsigned char *text;
    char *msg;
    *null = 0;
    if (x)
        return x;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        *null = 1;
        return NULL;
    }
    if (!(text = sqlite3_value_text(v))) {
        sqlite3_result_error_nomem(cx);
        return NULL;
    }
    if (!(x = sx_def_find(c, fn, text, &msg))) {
        sx_result_msg(cx, msg);
        return NULL;
    }
    sqlite3_set_auxdata(cx, 1, (void *)x, NULL);
    return x;
}

/* What the (subject, definition) functions share: 1 when the subject is in
** c->s and *x is the definition; 0 when the result is set (NULL or an
** error). */
static int subject_def(sqlite3_context *cx, sqlite3_value **argv, const char *fn, const sx_def **x)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_error err;
    char *msg;
    int rc, null;
    if (!(*x = def_arg(cx, c, fn, argv[1], &null))) {
        if (null)
            sqlite3_result_null(cx);
        return 0;
    }
    rc = sx_subject(c, fn, argv[0], &msg, &err);
    if (rc == 0)
        sqlite3_result_null(cx);
    else if (rc < 0)
        subject_error(cx, rc, msg, &err);
    return rc > 0;
}

static int classify(sqlite3_context *cx, const sx_def *x, sarx_class *cls)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_error err;
    if (sarx_classify(x->one, c->s, cls, &err) != SARX_OK) {
        if (err.code == SARX_ENOMEM)
            sqlite3_result_error_nomem(cx);
        else
            sqlite3_result_error(cx, err.message, -1);
        return 0;
    }
    return 1;
}

static void fn_category(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const sx_def *x;
    sarx_class cls;
    (void)argc;
    if (subject_def(cx, argv, "sarx_category", &x) && classify(cx, x, &cls))
        sqlite3_result_text(cx, sx_category_name(x->d, cls), -1, SQLITE_STATIC);
}

static void fn_complete(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const sx_def *x;
    sarx_class cls;
    (void)argc;
    if (subject_def(cx, argv, "sarx_complete", &x) && classify(cx, x, &cls))
        sqlite3_result_int(cx, cls.complete ? 1 : 0);
}

/* An assessment without guidance, or NULL after setting the error. */
static sarx_assessment *assess(sqlite3_context *cx, const sarx_ctx *ctx, unsigned flags)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_assessment *a = NULL;
    sarx_error err;
    if (sarx_assess_ex(ctx, c->s, flags, &a, &err) != SARX_OK) {
        if (err.code == SARX_ENOMEM)
            sqlite3_result_error_nomem(cx);
        else
            sqlite3_result_error(cx, err.message, -1);
        return NULL;
    }
    return a;
}

static void fn_missing(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const sx_def *x;
    sarx_assessment *a;
    (void)argc;
    if (!subject_def(cx, argv, "sarx_missing", &x) || !(a = assess(cx, x->one, SARX_ASSESS_NO_GUIDANCE)))
        return;
    sx_result_json(cx, sx_missing_json(sarx_assessment_result(a, 0)), sqlite3_free);
    sarx_assessment_free(a);
}

/* Read the only argument, a subject, into c->s: 1, or 0 with the result set. */
static int subject_only(sqlite3_context *cx, sqlite3_value *v, const char *fn)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_error err;
    char *msg;
    int rc = sx_subject(c, fn, v, &msg, &err);
    if (rc == 0)
        sqlite3_result_null(cx);
    else if (rc < 0)
        subject_error(cx, rc, msg, &err);
    return rc > 0;
}

static void fn_assess(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_assessment *a;
    (void)argc;
    /* `sarx assess --format json` of one object: every definition, with the
    ** guidance, on one line (cli/assess.c). */
    if (!subject_only(cx, argv[0], "sarx_assess") || !(a = assess(cx, c->ctx, 0)))
        return;
    sx_result_json(cx, sarx_assessment_json(a, 0), sarx_free);
    sarx_assessment_free(a);
}

/* "sarx_measure: unknown measure "x" (names: bmi, asmi, ...)": the names
** the library lists (sarx_derived_name), which are the ones it accepts. */
static char *unknown_measure(const char *name)
{
    sqlite3_str *m = sqlite3_str_new(NULL);
    size_t k;
    sqlite3_str_appendf(m, "sarx_measure: unknown measure \"%s\" (names: ", name);
    for (k = 0; k < sarx_derived_count(); k++)
        sqlite3_str_appendf(m, "%s%s", k ? ", " : "", sarx_derived_name(k));
    sqlite3_str_appendall(m, ")");
    return sqlite3_str_finish(m);
}

static void fn_measure(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    sx_conn *c = sqlite3_user_data(cx);
    const sx_def *x;
    sarx_assessment *a;
    const char *name;
    char *msg;
    double lo, hi;
    (void)argc;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    if (!(name = (const char *)sqlite3_value_text(argv[1]))) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (!subject_only(cx, argv[0], "sarx_measure"))
        return;
    /* The derived values do not depend on the definitions: an assessment
    ** under the first one alone is enough. */
    if (!(x = sx_def_get(c, "sarx_measure", 0, &msg))) {
        sx_result_msg(cx, msg);
        return;
    }
    if (!(a = assess(cx, x->one, SARX_ASSESS_NO_GUIDANCE)))
        return;
    if (sarx_assessment_derived_range(a, name, &lo, &hi) == SARX_ENOTFOUND) {
        sx_result_msg(cx, unknown_measure(name));
    } else {
        double v = sarx_assessment_derived(a, name);
        if (isnan(v))
            sqlite3_result_null(cx);
        else
            sqlite3_result_double(cx, v);
    }
    sarx_assessment_free(a);
}

static void fn_check(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    sx_conn *c = sqlite3_user_data(cx);
    sarx_error err;
    char *msg;
    int rc = sx_subject(c, "sarx_check", argv[0], &msg, &err);
    (void)argc;
    if (rc == -2)
        sqlite3_result_error_nomem(cx);
    else if (rc == -1 && msg)
        sqlite3_result_text(cx, msg, -1, sqlite3_free);
    else if (rc == -1)
        sqlite3_result_text(cx, err.message, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(cx);
}

static void fn_version(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_text(cx, sarx_version(), -1, SQLITE_STATIC);
}

int sx_register_scalars(sqlite3 *db, sx_conn *c)
{
    static const struct {
        const char *name;
        int nargs, json;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        {"sarx_category", 2, 0, fn_category}, {"sarx_complete", 2, 0, fn_complete},
        {"sarx_missing", 2, 1, fn_missing},   {"sarx_assess", 1, 1, fn_assess},
        {"sarx_measure", 2, 0, fn_measure},   {"sarx_check", 1, 0, fn_check},
        {"sarx_version", 0, 0, fn_version},
    };
    size_t i;
    for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        int rc;
        sx_conn_ref(c); /* dropped by SQLite through sx_conn_unref, also when the call fails */
        rc = sqlite3_create_function_v2(db, fns[i].name, fns[i].nargs, SX_FUNC_FLAGS | (fns[i].json ? SX_JSON_FLAGS : 0),
                                        c, fns[i].fn, NULL, NULL, sx_conn_unref);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}
