/*
** sqlite.c — the SQLite extension through the C API: loaded with
** sqlite3_load_extension, every function checked against libsarx (linked
** in here directly) on the same subjects, every error path, NULLs, the
** table-valued function in joins, the aggregates against the library's
** counts, loading twice and closing (leaks are LeakSanitizer's under
** SAN=1).  The comparisons with the sarx command (`sarx assess`, `sarx
** cohort`) are tests/cli/sqlite.sh's.
**
**   tests/sqlite path/to/sarx_sqlite.so     (from the top of the repository)
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "sarx.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char *ext;
static sarx_ctx *ctx;

/* One value of a query: its type, text (malloc'ed; NULL for SQL NULL) and
** the error message, if the statement failed (malloc'ed). */
typedef struct val {
    int type;
    char *text;
    char *err;
} val;

static void val_free(val *v)
{
    free(v->text);
    free(v->err);
    v->text = v->err = NULL;
}

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

/* The first column of the first row of sql, with up to three text
** parameters (NULL binds SQL NULL). */
static val q3(sqlite3 *db, const char *sql, const char *p1, const char *p2, const char *p3)
{
    const char *p[3] = {p1, p2, p3};
    sqlite3_stmt *st = NULL;
    val v = {SQLITE_NULL, NULL, NULL};
    int i, rc;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        v.err = dup(sqlite3_errmsg(db));
        return v;
    }
    for (i = 0; i < 3 && i < sqlite3_bind_parameter_count(st); i++)
        if (p[i])
            sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        v.type = sqlite3_column_type(st, 0);
        v.text = dup((const char *)sqlite3_column_text(st, 0));
    } else if (rc != SQLITE_DONE) {
        v.err = dup(sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return v;
}

static val q(sqlite3 *db, const char *sql) { return q3(db, sql, NULL, NULL, NULL); }

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        h_fail++;
        fprintf(stderr, "FAIL: %s: %s\n", sql, err ? err : "?");
    } else {
        h_pass++;
    }
    sqlite3_free(err);
}

static sqlite3 *open_loaded(const char *entry)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return NULL;
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, NULL);
    if (sqlite3_load_extension(db, ext, entry, &err) != SQLITE_OK) {
        fprintf(stderr, "cannot load %s: %s\n", ext, err ? err : "?");
        sqlite3_free(err);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* Check that v is the text want. */
#define CHECK_VAL(v, want)                                                                                  \
    do {                                                                                                    \
        val cv_ = (v);                                                                                      \
        const char *w_ = (want);                                                                            \
        if (!cv_.err && cv_.text && w_ && strcmp(cv_.text, w_) == 0)                                        \
            h_pass++;                                                                                       \
        else {                                                                                              \
            h_fail++;                                                                                       \
            fprintf(stderr, "FAIL %s:%d: got %s%s, expected %s\n", __FILE__, __LINE__,                     \
                    cv_.err ? "error " : "", cv_.err ? cv_.err : cv_.text ? cv_.text : "NULL", w_ ? w_ : "NULL"); \
        }                                                                                                   \
        val_free(&cv_);                                                                                     \
    } while (0)

/* Check that v is SQL NULL without an error. */
#define CHECK_NULL(v)                                                                                     \
    do {                                                                                                  \
        val cv_ = (v);                                                                                    \
        if (!cv_.err && cv_.type == SQLITE_NULL)                                                          \
            h_pass++;                                                                                     \
        else {                                                                                            \
            h_fail++;                                                                                     \
            fprintf(stderr, "FAIL %s:%d: got %s, expected NULL\n", __FILE__, __LINE__,                   \
                    cv_.err ? cv_.err : cv_.text ? cv_.text : "?");                                       \
        }                                                                                                 \
        val_free(&cv_);                                                                                   \
    } while (0)

/* Check that v failed with an error containing want (exactly want when exact). */
#define CHECK_ERR(v, want, exact)                                                                           \
    do {                                                                                                    \
        val cv_ = (v);                                                                                      \
        const char *w_ = (want);                                                                            \
        if (cv_.err && (exact ? strcmp(cv_.err, w_) == 0 : strstr(cv_.err, w_) != NULL))                    \
            h_pass++;                                                                                       \
        else {                                                                                              \
            h_fail++;                                                                                       \
            fprintf(stderr, "FAIL %s:%d: got %s %s, expected an error with \"%s\"\n", __FILE__, __LINE__,  \
                    cv_.err ? "error" : "value", cv_.err ? cv_.err : cv_.text ? cv_.text : "NULL", w_);     \
        }                                                                                                   \
        val_free(&cv_);                                                                                     \
    } while (0)

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Valid subjects: the examples and some made here (a weight history,
** conditions, nothing at all, a NULL value, units given another way). */
static const char *const inline_subjects[] = {
    "{}",
    "{\"sex\": \"female\", \"grip_kg\": 15, \"age_years\": 70}",
    ("{\"sex\": \"male\", \"age_years\": 80, \"height_cm\": 170, \"weight_kg\": 60, \"grip_kg\": 25, \"asm_kg\": 18,"
     " \"gait_speed_m_s\": 0.7}"),
    "{\"sex\": \"female\", \"age_years\": 75, \"height_cm\": null, \"grip_kg\": 12, \"asm_kg\": 13,"
    " \"sarc_f\": 6, \"calf_circumference_cm\": 30}",
    "{\"sex\": \"male\", \"age_years\": 68, \"height_in\": 69, \"weight_lb\": 150, \"assessment_date\": \"2026-06-01\","
    " \"weight_history\": [{\"date\": \"2025-12-01\", \"weight_kg\": 76}], \"conditions\": [\"COPD\"],"
    " \"cancer\": false, \"fatigue\": true, \"anorexia\": true, \"crp_mg_l\": 12}",
    "{\"id\": \"x-1\", \"sex\": \"female\", \"age_years\": 30, \"grip_kg\": 35, \"gait_speed_m_s\": 1.3}",
};
static const char *const examples[] = {"examples/cachexia_man.json", "examples/frail_woman.json",
                                       "examples/healthy_adult.json", "examples/missing_data.json"};

/* Invalid subjects: each is refused by the library with a message. */
static const char *const bad_subjects[] = {
    "{\"grip_kg\": 150}",
    "{\"sex\": \"x\"}",
    "{\"grip_strength\": 20}",
    "{\"grip_kg\": ",
    "[1, 2]",
    "\"female\"",
    "",
    "{\"grip_kg\": \"20\"}",
    "{\"weight_kg\": 70, \"weight_lb\": 150}",
    ("{\"sarc_f\": 9, \"sarc_f_strength\": 0, \"sarc_f_assistance\": 0, \"sarc_f_rise\": 0, \"sarc_f_climb\": 0,"
     " \"sarc_f_falls\": 0}"),
};

/* The library's own answer for a subject: its full assessment (NULL and
** the message in err when it is refused). */
static sarx_assessment *lib_assess(const char *json, unsigned flags, sarx_error *err)
{
    sarx_subject *s;
    sarx_assessment *a = NULL;
    sarx_subject_new(&s);
    if (sarx_subject_from_json(s, json, strlen(json), err) == SARX_OK)
        sarx_assess_ex(ctx, s, flags, &a, err);
    sarx_subject_free(s);
    return a;
}

/* The missing inputs of r, comma-separated. */
static void missing_list(const sarx_result *r, char *out, size_t n)
{
    size_t i, used = 0;
    out[0] = '\0';
    for (i = 0; i < sarx_result_missing_count(r) && used < n; i++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "", sarx_result_missing(r, i));
}

static const char *const measures[] = {"bmi",          "asmi",           "alm_bmi",        "smi",
                                       "ffmi",         "weight_loss_pct_6m", "weight_loss_pct_12m", "sarc_f_total",
                                       "sarc_calf_total", "mamc_cm",     "fat_pct",        "asm_weight_pct",
                                       "smm_weight_pct", "weight_whole_body_kg"};

/* Every scalar function and sarx_results against the library, for one valid subject. */
static void check_subject(sqlite3 *db, const char *json)
{
    sarx_error err;
    sarx_assessment *a = lib_assess(json, 0, &err), *ng = lib_assess(json, SARX_ASSESS_NO_GUIDANCE, &err);
    size_t i, n = sarx_definition_count(ctx);
    char *want;
    if (!a || !ng) {
        h_fail++;
        fprintf(stderr, "FAIL: the library refuses %s: %s\n", json, err.message);
        sarx_assessment_free(a);
        sarx_assessment_free(ng);
        return;
    }
    for (i = 0; i < n; i++) {
        const sarx_result *r = sarx_assessment_result(ng, i);
        const char *id = sarx_definition_id(sarx_result_definition(r));
        char miss[1024];
        CHECK_VAL(q3(db, "SELECT sarx_category(?1, ?2)", json, id, NULL), sarx_result_category(r));
        CHECK_VAL(q3(db, "SELECT sarx_complete(?1, ?2)", json, id, NULL), sarx_result_complete(r) ? "1" : "0");
        missing_list(r, miss, sizeof miss);
        {   /* valid JSON: an array of the names, in the library's order */
            char wmiss[1100];
            snprintf(wmiss, sizeof wmiss, "array:%s", miss);
            CHECK_VAL(q3(db,
                         "SELECT json_type(sarx_missing(?1, ?2)) || ':' || "
                         "(SELECT ifnull(group_concat(value, ','), '') FROM json_each(sarx_missing(?1, ?2)))",
                         json, id, NULL),
                      wmiss);
        }
        /* the same row of sarx_results */
        {
            char buf[1200];
            snprintf(buf, sizeof buf, "%s|%s|%d|%s", id, sarx_result_category(r), sarx_result_complete(r), miss);
            CHECK_VAL(q3(db,
                         "SELECT definition || '|' || category || '|' || complete || '|' || "
                         "(SELECT ifnull(group_concat(value, ','), '') FROM json_each(missing)) "
                         "FROM sarx_results(?1) WHERE definition = ?2",
                         json, id, NULL),
                      buf);
        }
    }
    {   /* every definition, in the library's order */
        char ids[1024];
        size_t used = 0;
        for (i = 0; i < n; i++)
            used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%s", i ? "," : "",
                                     sarx_definition_id(sarx_definition_at(ctx, i)));
        CHECK_VAL(q3(db, "SELECT group_concat(definition, ',') FROM sarx_results(?1)", json, NULL, NULL), ids);
    }
    want = sarx_assessment_json(a, 0);
    CHECK_VAL(q3(db, "SELECT sarx_assess(?1)", json, NULL, NULL), want);
    sarx_free(want);
    CHECK_VAL(q3(db, "SELECT json_valid(sarx_assess(?1))", json, NULL, NULL), "1");
    for (i = 0; i < sizeof measures / sizeof measures[0]; i++) {
        double v = sarx_assessment_derived(a, measures[i]);
        if (isnan(v)) {
            CHECK_NULL(q3(db, "SELECT sarx_measure(?1, ?2)", json, measures[i], NULL));
        } else {
            /* the same double, bit for bit */
            sqlite3_stmt *st;
            double got = NAN;
            sqlite3_prepare_v2(db, "SELECT sarx_measure(?1, ?2)", -1, &st, NULL);
            sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, measures[i], -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                got = sqlite3_column_double(st, 0);
            sqlite3_finalize(st);
            CHECK(got == v);
            CHECK_VAL(q3(db, "SELECT typeof(sarx_measure(?1, ?2))", json, measures[i], NULL), "real");
        }
    }
    CHECK_NULL(q3(db, "SELECT sarx_check(?1)", json, NULL, NULL));
    sarx_assessment_free(a);
    sarx_assessment_free(ng);
}

/* Refused subjects: the library's message, from every function. */
static void check_bad_subject(sqlite3 *db, const char *json)
{
    sarx_error err;
    sarx_subject *s;
    int rc;
    sarx_subject_new(&s);
    rc = sarx_subject_from_json(s, json, strlen(json), &err);
    sarx_subject_free(s);
    if (rc == SARX_OK) {
        h_fail++;
        fprintf(stderr, "FAIL: the library takes %s\n", json);
        return;
    }
    CHECK_VAL(q3(db, "SELECT sarx_check(?1)", json, NULL, NULL), err.message);
    CHECK_ERR(q3(db, "SELECT sarx_category(?1, 'ewgsop2')", json, NULL, NULL), err.message, 1);
    CHECK_ERR(q3(db, "SELECT sarx_complete(?1, 'glim2019')", json, NULL, NULL), err.message, 1);
    CHECK_ERR(q3(db, "SELECT sarx_missing(?1, 'ewgsop1')", json, NULL, NULL), err.message, 1);
    CHECK_ERR(q3(db, "SELECT sarx_assess(?1)", json, NULL, NULL), err.message, 1);
    CHECK_ERR(q3(db, "SELECT sarx_measure(?1, 'bmi')", json, NULL, NULL), err.message, 1);
    CHECK_ERR(q3(db, "SELECT count(*) FROM sarx_results(?1)", json, NULL, NULL), err.message, 1);
}

static void check_errors_and_nulls(sqlite3 *db)
{
    static const char *const fns2[] = {"sarx_category", "sarx_complete", "sarx_missing"};
    const char *good = "{\"sex\": \"female\", \"grip_kg\": 15}";
    char sql[256], ids[1024];
    size_t i, used = 0;
    for (i = 0; i < sarx_definition_count(ctx); i++)
        used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%s", i ? ", " : "",
                                 sarx_definition_id(sarx_definition_at(ctx, i)));
    for (i = 0; i < 3; i++) {
        char want[1200];
        /* NULL subject, NULL definition */
        snprintf(sql, sizeof sql, "SELECT %s(NULL, 'ewgsop2')", fns2[i]);
        CHECK_NULL(q(db, sql));
        snprintf(sql, sizeof sql, "SELECT %s(?1, NULL)", fns2[i]);
        CHECK_NULL(q3(db, sql, good, NULL, NULL));
        /* an unknown definition names itself and lists the ids */
        snprintf(sql, sizeof sql, "SELECT %s(?1, 'ewgsop3')", fns2[i]);
        snprintf(want, sizeof want, "%s: unknown definition \"ewgsop3\" (ids: %s)", fns2[i], ids);
        CHECK_ERR(q3(db, sql, good, NULL, NULL), want, 1);
        /* ... also with a NULL subject? No: NULL first (a NULL is never an error) */
        /* a kind is not a definition */
        snprintf(sql, sizeof sql, "SELECT %s(?1, 'sarcopenia')", fns2[i]);
        CHECK_ERR(q3(db, sql, good, NULL, NULL), "unknown definition \"sarcopenia\"", 0);
        /* subjects that are not TEXT */
        snprintf(sql, sizeof sql, "SELECT %s(42, 'ewgsop2')", fns2[i]);
        snprintf(want, sizeof want, "%s: the subject is an INTEGER; a subject is TEXT holding a JSON object", fns2[i]);
        CHECK_ERR(q(db, sql), want, 0);
        snprintf(sql, sizeof sql, "SELECT %s(4.5, 'ewgsop2')", fns2[i]);
        CHECK_ERR(q(db, sql), "the subject is a REAL; a subject is TEXT", 0);
        snprintf(sql, sizeof sql, "SELECT %s(CAST(?1 AS BLOB), 'ewgsop2')", fns2[i]);
        CHECK_ERR(q3(db, sql, good, NULL, NULL), "the subject is a BLOB; a subject is TEXT", 0);
    }
    /* a definition is named in any case, with spaces around */
    CHECK_VAL(q3(db, "SELECT sarx_category(?1, ' EWGSOP2 ')", good, NULL, NULL), "probable_sarcopenia");
    CHECK_VAL(q3(db, "SELECT sarx_category(?1, 'ewgsop2')", good, NULL, NULL), "probable_sarcopenia");
    CHECK_ERR(q3(db, "SELECT sarx_category(?1, '')", good, NULL, NULL), "unknown definition \"\"", 0);
    /* the one-argument functions */
    CHECK_NULL(q(db, "SELECT sarx_assess(NULL)"));
    CHECK_NULL(q(db, "SELECT sarx_check(NULL)"));
    CHECK_NULL(q(db, "SELECT sarx_measure(NULL, 'bmi')"));
    CHECK_NULL(q3(db, "SELECT sarx_measure(?1, NULL)", good, NULL, NULL));
    CHECK_ERR(q(db, "SELECT sarx_assess(7)"), "sarx_assess: the subject is an INTEGER", 0);
    CHECK_ERR(q(db, "SELECT sarx_measure(x'7b7d', 'bmi')"), "sarx_measure: the subject is a BLOB", 0);
    /* sarx_check never raises: it says what is wrong */
    CHECK_VAL(q(db, "SELECT sarx_check(7)"),
              "sarx_check: the subject is an INTEGER; a subject is TEXT holding a JSON object of the fields "
              "`sarx fields` lists (e.g. json_object('sex', 'female', 'grip_kg', 15))");
    /* an unknown measure lists the names */
    CHECK_ERR(q3(db, "SELECT sarx_measure(?1, 'bmj')", good, NULL, NULL),
              "sarx_measure: unknown measure \"bmj\" (names: bmi, asmi, alm_bmi, smi, ffmi,", 0);
    CHECK_ERR(q3(db, "SELECT sarx_measure(?1, 'BMI')", good, NULL, NULL), "unknown measure \"BMI\"", 0);
    /* a value that is only known as a range is NULL (SARC-F items partly given) */
    CHECK_NULL(q(db, "SELECT sarx_measure('{\"sarc_f_strength\": 1}', 'sarc_f_total')"));
    CHECK_VAL(q(db, "SELECT sarx_measure('{\"height_cm\": 200, \"weight_kg\": 100}', 'bmi')"), "25.0");
    CHECK_NULL(q(db, "SELECT sarx_measure('{\"height_cm\": 200}', 'bmi')"));
    /* a JSON null is missing, never zero */
    CHECK_VAL(q(db, "SELECT sarx_category(json_object('sex', 'male', 'grip_kg', NULL), 'ewgsop2')"),
              "indeterminate");
    CHECK_VAL(q(db, "SELECT sarx_complete(json_object('sex', 'male', 'grip_kg', NULL), 'ewgsop2')"), "0");
    /* the version */
    CHECK_VAL(q(db, "SELECT sarx_version()"), sarx_version());
    /* wrong argument counts are SQLite's errors */
    CHECK_ERR(q(db, "SELECT sarx_category('{}')"), "wrong number of arguments", 0);
    CHECK_ERR(q(db, "SELECT sarx_kappa('{}', 'ewgsop2')"), "wrong number of arguments", 0);
}

static void check_results_table(sqlite3 *db)
{
    char want[64], ndefs[16];
    size_t n = sarx_definition_count(ctx);
    snprintf(ndefs, sizeof ndefs, "%zu", n);
    exec(db, "CREATE TABLE visits(id INTEGER PRIMARY KEY, subject TEXT);"
             "INSERT INTO visits(subject) VALUES ('{\"sex\": \"female\", \"grip_kg\": 15}'),"
             " ('{\"sex\": \"male\", \"grip_kg\": 40, \"age_years\": 70}'), (NULL),"
             " (json_object('sex', 'male', 'age_years', 81, 'height_cm', 170, 'weight_kg', 60, 'grip_kg', 22,"
             " 'asm_kg', 17, 'gait_speed_m_s', 0.6));");
    /* a join, both ways round, and a LEFT JOIN (a NULL subject has no rows) */
    snprintf(want, sizeof want, "%zu", 3 * n);
    CHECK_VAL(q(db, "SELECT count(*) FROM visits v, sarx_results(v.subject) r"), want);
    CHECK_VAL(q(db, "SELECT count(*) FROM sarx_results(v.subject) r, visits v"), want);
    CHECK_VAL(q(db, "SELECT count(*) FROM visits v JOIN sarx_results r ON r.subject = v.subject"), want);
    snprintf(want, sizeof want, "%zu", 3 * n + 1);
    CHECK_VAL(q(db, "SELECT count(*) FROM visits v LEFT JOIN sarx_results(v.subject) r"), want);
    CHECK_VAL(q(db, "SELECT group_concat(v.id || ':' || r.category, ' ') FROM visits v, sarx_results(v.subject) r "
                    "WHERE r.definition = 'ewgsop2' ORDER BY v.id"),
              "1:probable_sarcopenia 2:no_sarcopenia 4:severe_sarcopenia");
    /* the same as the scalar function, row by row */
    CHECK_VAL(q(db, "SELECT count(*) FROM visits v, sarx_results(v.subject) r "
                    "WHERE r.category IS NOT sarx_category(v.subject, r.definition) "
                    "OR r.complete IS NOT sarx_complete(v.subject, r.definition) "
                    "OR r.missing IS NOT sarx_missing(v.subject, r.definition)"),
              "0");
    /* the hidden column gives the subject back; complete is an integer, missing JSON */
    CHECK_VAL(q(db, "SELECT DISTINCT subject FROM sarx_results('{\"sex\": \"male\"}')"), "{\"sex\": \"male\"}");
    CHECK_VAL(q(db, "SELECT DISTINCT typeof(complete) || typeof(missing) FROM sarx_results('{}')"), "integertext");
    CHECK_VAL(q(db, "SELECT count(*) FROM sarx_results(NULL)"), "0");
    /* without the subject: no plan */
    CHECK_ERR(q(db, "SELECT * FROM sarx_results"), "no query solution", 0);
    CHECK_ERR(q(db, "SELECT * FROM sarx_results r WHERE r.definition = 'ewgsop2'"), "no query solution", 0);
    /* the branches of an OR are planned without the subject */
    CHECK_VAL(q(db, "SELECT count(*) FROM sarx_results('{}') WHERE definition LIKE 'ewgsop%' OR definition = "
                    "'glim2019'"),
              "3");
    CHECK_VAL(q(db, "SELECT count(*) = (SELECT sum(r.definition = 'ewgsop1' OR r.category = 'no_sarcopenia') "
                    "FROM visits v, sarx_results(v.subject) r) FROM visits v, sarx_results(v.subject) r "
                    "WHERE r.definition = 'ewgsop1' OR r.category = 'no_sarcopenia'"),
              "1");
    CHECK_VAL(q(db, "SELECT count(*) FROM sarx_results((SELECT subject FROM visits WHERE id = 2))"), ndefs);
    /* eponymous-only: it cannot be created as a table */
    CHECK_ERR(q(db, "CREATE VIRTUAL TABLE rr USING sarx_results"), "sarx_results", 0);
    /* an invalid subject in a join is an error with its message */
    exec(db, "INSERT INTO visits(subject) VALUES ('{\"grip_kg\": 101}')");
    CHECK_ERR(q(db, "SELECT count(*) FROM visits v, sarx_results(v.subject) r"),
              "field \"grip_kg\": value 101 is out of range (allowed 0-100 kg)", 1);
    CHECK_ERR(q(db, "SELECT count(*) FROM sarx_results(3)"), "sarx_results: the subject is an INTEGER", 0);
    exec(db, "DROP TABLE visits");
}

/* Does the plan of sql use the index named? */
static int plan_uses(sqlite3 *db, const char *sql, const char *index)
{
    char buf[512];
    sqlite3_stmt *st;
    int ok = 0;
    snprintf(buf, sizeof buf, "EXPLAIN QUERY PLAN %s", sql);
    if (sqlite3_prepare_v2(db, buf, -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        ok |= strstr((const char *)sqlite3_column_text(st, 3), index) != NULL;
    sqlite3_finalize(st);
    return ok;
}

/* A deterministic cohort of JSON subjects, some incomplete, some refused. */
static char *make_subject(unsigned long *seed, int i)
{
    char buf[600];
    size_t n = 0;
    double r[10];
    int k;
    for (k = 0; k < 10; k++) {
        *seed = *seed * 6364136223846793005ul + 1442695040888963407ul;
        r[k] = (double)(*seed >> 11) / 9007199254740992.0;
    }
    if (i % 97 == 13)
        return strdup("{\"grip_kg\": 250}");
    if (i % 89 == 7)
        return strdup("{\"sex\": \"unknown\"}");
    n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"sex\": \"%s\", \"age_years\": %d", r[0] < 0.5 ? "male" : "female",
                          60 + (int)(r[1] * 35));
    if (r[2] < 0.9)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ", \"grip_kg\": %.1f", 8 + r[3] * 40);
    if (r[4] < 0.8)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ", \"height_cm\": %.1f, \"asm_kg\": %.2f", 150 + r[5] * 40,
                              11 + r[6] * 16);
    if (r[7] < 0.7)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ", \"gait_speed_m_s\": %.2f", 0.3 + r[8] * 1.2);
    if (r[9] < 0.6)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ", \"weight_kg\": %.1f, \"sarc_f\": %d", 45 + r[5] * 50,
                              (int)(r[9] * 10 / 0.6));
    if (r[9] > 0.85)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ", \"cancer\": %s, \"crp_mg_l\": %.1f",
                              r[1] < 0.5 ? "true" : "false", r[2] * 30);
    snprintf(buf + n, sizeof buf - n, "}");
    return strdup(buf);
}

#define NROWS 1500

static void check_aggregates(sqlite3 *db)
{
    size_t nd = sarx_definition_count(ctx), d, e;
    long (*reading)[4] = calloc(nd, sizeof *reading);
    long invalid = 0, skipped = 0;
    char num[32];
    int (*rows)[64] = calloc(NROWS, sizeof *rows);
    unsigned long seed = 42;
    sqlite3_stmt *ins;
    sarx_subject *s;
    int i;
    sarx_subject_new(&s);
    exec(db, "CREATE TABLE cohort(id INTEGER PRIMARY KEY, sex TEXT, subject)");
    sqlite3_prepare_v2(db, "INSERT INTO cohort(sex, subject) VALUES (json_extract(?1, '$.sex'), ?1)", -1, &ins, NULL);
    for (i = 0; i < NROWS; i++) {
        char *json = make_subject(&seed, i);
        sarx_class cls[64];
        sarx_error err;
        if (i % 50 == 3) { /* a NULL subject: skipped, not counted */
            sqlite3_bind_null(ins, 1);
            skipped++;
        } else {
            sqlite3_bind_text(ins, 1, json, -1, SQLITE_TRANSIENT);
        }
        sqlite3_step(ins);
        sqlite3_reset(ins);
        if (i % 50 != 3) {
            if (sarx_subject_from_json(s, json, strlen(json), &err) != SARX_OK ||
                sarx_classify(ctx, s, cls, &err) != SARX_OK) {
                invalid++;
                rows[i][0] = -1;
            } else {
                for (d = 0; d < nd; d++) {
                    int rd = sarx_definition_reading(sarx_definition_at(ctx, d), cls[d]);
                    reading[d][rd]++;
                    rows[i][d] = rd;
                }
            }
        } else {
            rows[i][0] = -2;
        }
        free(json);
    }
    sqlite3_finalize(ins);
    /* a subject that is not TEXT is counted as invalid, not an error */
    exec(db, "INSERT INTO cohort(subject) VALUES (17)");
    invalid++;
    CHECK(invalid > 10 && skipped > 10);
    for (d = 0; d < nd; d++) {
        const char *id = sarx_definition_id(sarx_definition_at(ctx, d));
        char *want = sarx_prevalence_json(reading[d][SARX_READING_POSITIVE], reading[d][SARX_READING_NEGATIVE],
                                          reading[d][SARX_READING_UNDECIDED],
                                          reading[d][SARX_READING_NOT_APPLICABLE], invalid);
        CHECK_VAL(q3(db, "SELECT sarx_prevalence(subject, ?1) FROM cohort", id, NULL, NULL), want);
        sarx_free(want);
    }
    /* every pair of a few definitions */
    for (d = 0; d < nd; d += 3)
        for (e = 0; e < nd; e += 4) {
            long t[4] = {0, 0, 0, 0}, other = 0;
            char *want;
            for (i = 0; i < NROWS; i++) {
                int ra = rows[i][d], rb = rows[i][e];
                if (rows[i][0] < 0)
                    continue;
                if ((ra == SARX_READING_POSITIVE || ra == SARX_READING_NEGATIVE) &&
                    (rb == SARX_READING_POSITIVE || rb == SARX_READING_NEGATIVE))
                    t[(ra == SARX_READING_NEGATIVE) * 2 + (rb == SARX_READING_NEGATIVE)]++;
                else
                    other++;
            }
            want = sarx_agreement_json(t[0], t[1], t[2], t[3], other, invalid);
            CHECK_VAL(q3(db, "SELECT sarx_kappa(subject, ?1, ?2) FROM cohort",
                         sarx_definition_id(sarx_definition_at(ctx, d)), sarx_definition_id(sarx_definition_at(ctx, e)),
                         NULL),
                      want);
            sarx_free(want);
        }
    /* the numbers are JSON; kappa of a definition with itself is 1 when defined */
    CHECK_VAL(q(db, "SELECT json_extract(sarx_kappa(subject, 'ewgsop2', 'ewgsop2'), '$.kappa') FROM cohort"), "1.0");
    snprintf(num, sizeof num, "%ld", invalid);
    CHECK_VAL(q(db, "SELECT json_extract(sarx_prevalence(subject, 'ewgsop2'), '$.invalid') FROM cohort"), num);
    /* a definition that changes from row to row (a GROUP BY over a join) */
    CHECK_VAL(q(db, "SELECT count(*) FROM (SELECT d, sarx_prevalence(c.subject, d) p FROM cohort c, "
                    "(SELECT 'ewgsop2' d UNION ALL SELECT 'AWGS2019' UNION ALL SELECT 'glim2019') GROUP BY d) x "
                    "WHERE p = (SELECT sarx_prevalence(subject, x.d) FROM cohort)"),
              "3");
    /* by group: the groups add up to the whole */
    CHECK_VAL(q(db, "SELECT sum(json_extract(p, '$.positive')) = json_extract((SELECT sarx_prevalence(subject, "
                    "'ewgsop2') FROM cohort), '$.positive') FROM (SELECT sarx_prevalence(subject, 'ewgsop2') p "
                    "FROM cohort GROUP BY sex)"),
              "1");
    /* NULL definitions skip the row; over no rows the counts are zero */
    CHECK_VAL(q(db, "SELECT json_extract(sarx_prevalence(subject, NULL), '$.n') FROM cohort"), "0");
    CHECK_VAL(q(db, "SELECT sarx_prevalence(subject, 'ewgsop2') FROM cohort WHERE 0"),
              "{\"n\":0,\"invalid\":0,\"decided\":0,\"undecided\":0,\"not_applicable\":0,\"positive\":0,"
              "\"prevalence\":null,\"percent\":null,\"ci95\":null,\"ci95_percent\":null}");
    CHECK_VAL(q(db, "SELECT json_extract(sarx_kappa(subject, 'ewgsop2', 'glim2019'), '$.pairs') FROM cohort WHERE 0"),
              "0");
    /* an unknown definition is an error, even after valid rows */
    CHECK_ERR(q(db, "SELECT sarx_prevalence(subject, 'nope') FROM cohort"),
              "sarx_prevalence: unknown definition \"nope\" (ids: ewgsop2,", 0);
    CHECK_ERR(q(db, "SELECT sarx_kappa(subject, 'ewgsop2', 'nope') FROM cohort"),
              "sarx_kappa: unknown definition \"nope\"", 0);
    CHECK_ERR(q(db, "SELECT sarx_prevalence(subject, CASE WHEN id < 100 THEN 'ewgsop2' ELSE 'x' END) FROM cohort"),
              "unknown definition \"x\"", 0);
    /* an expression index on a category (deterministic), used by a query */
    exec(db, "CREATE INDEX cohort_ewgsop2 ON cohort(sarx_category(subject, 'ewgsop2')) WHERE typeof(subject) = 'text'"
             " AND sarx_check(subject) IS NULL");
    exec(db, "DROP INDEX cohort_ewgsop2; DELETE FROM cohort WHERE sarx_check(subject) IS NOT NULL");
    exec(db, "CREATE INDEX cohort_ewgsop2 ON cohort(sarx_category(subject, 'ewgsop2'))");
    CHECK(plan_uses(db, "SELECT count(*) FROM cohort WHERE sarx_category(subject, 'ewgsop2') = 'sarcopenia'",
                    "cohort_ewgsop2"));
    CHECK_VAL(q(db, "SELECT count(*) = (SELECT count(*) FROM cohort NOT INDEXED WHERE sarx_category(subject, "
                    "'ewgsop2') = 'sarcopenia') FROM cohort WHERE sarx_category(subject, 'ewgsop2') = 'sarcopenia'"),
              "1");
    exec(db, "REINDEX cohort_ewgsop2");
    exec(db, "DROP TABLE cohort");
    sarx_subject_free(s);
    free(reading);
    free(rows);
}

/* Loading: both entry points, twice into one connection, into several
** connections, inside a schema that does not trust its functions (they are
** innocuous), and closing everything (LeakSanitizer checks that nothing is
** left under SAN=1). */
static void check_loading(void)
{
    sqlite3 *a = open_loaded("sqlite3_sarxsqlite_init"), *b = open_loaded(NULL), *c;
    char *err = NULL, ndefs[16], want[64];
    snprintf(ndefs, sizeof ndefs, "%zu", sarx_definition_count(ctx));
    snprintf(want, sizeof want, "%zuprobable_sarcopenia", sarx_definition_count(ctx));
    CHECK(a != NULL && b != NULL);
    if (!a || !b)
        return;
    CHECK_VAL(q(a, "SELECT sarx_category('{\"sex\": \"male\", \"grip_kg\": 20}', 'ewgsop2')"), "probable_sarcopenia");
    CHECK_VAL(q(b, "SELECT count(*) FROM sarx_results('{}')"),
              ndefs);
    /* again into the same connection: the new functions replace the old */
    CHECK_INT(sqlite3_load_extension(a, ext, NULL, &err), SQLITE_OK);
    sqlite3_free(err);
    err = NULL;
    CHECK_VAL(q(a, "SELECT sarx_category('{\"sex\": \"male\", \"grip_kg\": 20}', 'ewgsop2')"), "probable_sarcopenia");
    CHECK_VAL(q(a, "SELECT count(*) FROM sarx_results('{}') WHERE category = 'indeterminate'"),
              ndefs);
    /* a wrong entry point is refused */
    CHECK(sqlite3_load_extension(a, ext, "no_such_init", &err) != SQLITE_OK);
    sqlite3_free(err);
    err = NULL;
    /* a statement still open when the connection closes (close_v2: the
    ** functions go when it is finalized) */
    {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(b, "SELECT sarx_category(value, 'ewgsop2') FROM json_each('[\"{}\", \"{}\"]')", -1, &st,
                           NULL);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_INT(sqlite3_close_v2(b), SQLITE_OK);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_STR((const char *)sqlite3_column_text(st, 0), "indeterminate");
        sqlite3_finalize(st);
    }
    CHECK_INT(sqlite3_close(a), SQLITE_OK);
    /* a view and a trigger in an untrusted schema may use the functions */
    c = open_loaded(NULL);
    if (c) {
        exec(c, "PRAGMA trusted_schema = OFF;"
                "CREATE TABLE t(subject TEXT, cat TEXT);"
                "CREATE VIEW vw AS SELECT sarx_category(t.subject, 'ewgsop2') AS cat, r.definition "
                "FROM t, sarx_results(t.subject) r;"
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN "
                "UPDATE t SET cat = sarx_category(new.subject, 'ewgsop2') WHERE rowid = new.rowid; END;"
                "INSERT INTO t(subject) VALUES ('{\"sex\": \"female\", \"grip_kg\": 10}');");
        CHECK_VAL(q(c, "SELECT cat FROM t"), "probable_sarcopenia");
        CHECK_VAL(q(c, "SELECT count(DISTINCT definition) || cat FROM vw"),
                  want);
        CHECK_INT(sqlite3_close(c), SQLITE_OK);
    }
    /* many connections, opened and closed */
    {
        int i;
        for (i = 0; i < 20; i++) {
            sqlite3 *d = open_loaded(NULL);
            CHECK(d != NULL);
            if (d) {
                CHECK_VAL(q(d, "SELECT sarx_complete('{}', 'sarc_f')"), "0");
                sqlite3_close(d);
            }
        }
    }
}

int main(int argc, char **argv)
{
    sarx_error err;
    sqlite3 *db;
    size_t i;
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/sarx_sqlite.so\n", argv[0]);
        return 2;
    }
    ext = argv[1];
    if (sarx_ctx_new(&ctx, &err) != SARX_OK) {
        fprintf(stderr, "sarx_ctx_new: %s\n", err.message);
        return 1;
    }
    db = open_loaded(NULL);
    CHECK(db != NULL);
    if (db) {
        for (i = 0; i < sizeof inline_subjects / sizeof inline_subjects[0]; i++)
            check_subject(db, inline_subjects[i]);
        for (i = 0; i < sizeof examples / sizeof examples[0]; i++) {
            char *json = read_file(examples[i]);
            CHECK(json != NULL);
            if (json)
                check_subject(db, json);
            free(json);
        }
        for (i = 0; i < sizeof bad_subjects / sizeof bad_subjects[0]; i++)
            check_bad_subject(db, bad_subjects[i]);
        check_errors_and_nulls(db);
        check_results_table(db);
        check_aggregates(db);
        CHECK_INT(sqlite3_close(db), SQLITE_OK);
    }
    check_loading();
    sarx_ctx_free(ctx);
    return h_summary("sqlite");
}
