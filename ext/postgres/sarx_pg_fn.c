/*
** sarx_pg_fn.c — the scalar and set-returning SQL functions of the
** PostgreSQL extension.  Each takes its subject as jsonb (the _jsonb C
** function, reading it directly) or as json or text (the _text one).
*/
#include "sarx_pg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

/* Two SQL-callable entry points for one body: subject as jsonb, or as JSON text. */
#define SUBJECT_FN(name)                                                                                        \
    PG_FUNCTION_INFO_V1(name##_jsonb);                                                                          \
    PG_FUNCTION_INFO_V1(name##_text);                                                                           \
    Datum name##_jsonb(PG_FUNCTION_ARGS) { return name(fcinfo, 1); }                                            \
    Datum name##_text(PG_FUNCTION_ARGS) { return name(fcinfo, 0); }

PG_FUNCTION_INFO_V1(sarx_pg_version);
Datum sarx_pg_version(PG_FUNCTION_ARGS)
{
    (void)fcinfo;
    PG_RETURN_TEXT_P(cstring_to_text(sarx_version()));
}

/* Classify the subject (argument 0) under the definition of argument 1. */
static sarx_class classify_one(FunctionCallInfo fcinfo, int is_jsonb, const sarx_definition **d)
{
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    const sarx_ctx *one = sarx_pg_one(c, PG_GETARG_OID(1));
    sarx_class out[1];
    sarx_error err;
    sarx_pg_load(fcinfo, 0, is_jsonb, c);
    if (sarx_classify(one, c->s, out, &err) != SARX_OK)
        sarx_pg_raise(&err);
    *d = sarx_definition_at(one, 0);
    return out[0];
}

static Datum sarx_pg_category(FunctionCallInfo fcinfo, int is_jsonb)
{
    const sarx_definition *d;
    sarx_class k = classify_one(fcinfo, is_jsonb, &d);
    /* the category's text, made once: the same every row that has it */
    PG_RETURN_TEXT_P(sarx_pg_cat_text(fcinfo, sarx_pg_cache_get(fcinfo), k.category));
}
SUBJECT_FN(sarx_pg_category)

static Datum sarx_pg_complete(FunctionCallInfo fcinfo, int is_jsonb)
{
    const sarx_definition *d;
    sarx_class k = classify_one(fcinfo, is_jsonb, &d);
    PG_RETURN_BOOL(k.complete != 0);
}
SUBJECT_FN(sarx_pg_complete)

/* The missing inputs of result r as text[] (empty when complete). */
static ArrayType *missing_array(const sarx_result *r)
{
    size_t i, n = sarx_result_missing_count(r);
    Datum *items = n ? palloc(n * sizeof(Datum)) : NULL;
    for (i = 0; i < n; i++)
        items[i] = PointerGetDatum(cstring_to_text(sarx_result_missing(r, i)));
    return construct_array(items, (int)n, TEXTOID, -1, false, TYPALIGN_INT);
}

static Datum sarx_pg_missing(FunctionCallInfo fcinfo, int is_jsonb)
{
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    const sarx_ctx *one = sarx_pg_one(c, PG_GETARG_OID(1));
    sarx_assessment *a = NULL;
    sarx_error err;
    ArrayType *volatile out = NULL;
    sarx_pg_load(fcinfo, 0, is_jsonb, c);
    if (sarx_assess_ex(one, c->s, SARX_ASSESS_NO_GUIDANCE, &a, &err) != SARX_OK)
        sarx_pg_raise(&err);
    PG_TRY();
    {
        out = missing_array(sarx_assessment_result(a, 0));
    }
    PG_FINALLY();
    {
        sarx_assessment_free(a);
    }
    PG_END_TRY();
    PG_RETURN_ARRAYTYPE_P(out);
}
SUBJECT_FN(sarx_pg_missing)

static Datum sarx_pg_check(FunctionCallInfo fcinfo, int is_jsonb)
{
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    sarx_error err;
    int rc = is_jsonb ? sarx_pg_read_jsonb(c, PG_GETARG_JSONB_P(0), &err)
                      : sarx_pg_read_text(c->s, PG_GETARG_TEXT_PP(0), &err);
    if (rc == SARX_OK)
        PG_RETURN_NULL();
    if (rc == SARX_ENOMEM)
        sarx_pg_oom();
    PG_RETURN_TEXT_P(cstring_to_text(err.message));
}
SUBJECT_FN(sarx_pg_check)

static Datum sarx_pg_assess(FunctionCallInfo fcinfo, int is_jsonb)
{
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    const sarx_ctx *full = sarx_pg_full(c);
    sarx_assessment *a;
    sarx_error err;
    char *json;
    sarx_pg_load(fcinfo, 0, is_jsonb, c);
    /* as `sarx assess --format json` for one subject: with guidance, one line */
    if (sarx_assess_ex(full, c->s, 0, &a, &err) != SARX_OK)
        sarx_pg_raise(&err);
    json = sarx_assessment_json(a, 0);
    sarx_assessment_free(a);
    return sarx_pg_jsonb_from_library(json);
}
SUBJECT_FN(sarx_pg_assess)

/* The names sarx_measure knows: the library's list (sarx_derived_name),
** which is what it accepts. */
static char *measure_names(void)
{
    StringInfoData names;
    size_t k;
    initStringInfo(&names);
    for (k = 0; k < sarx_derived_count(); k++)
        appendStringInfo(&names, "%s%s", k ? ", " : "", sarx_derived_name(k));
    return names.data;
}

static Datum sarx_pg_measure(FunctionCallInfo fcinfo, int is_jsonb)
{
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    char *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
    const sarx_ctx *ctx;
    sarx_assessment *a;
    sarx_error err;
    double lo, hi, v;
    int rc;
    sarx_pg_load(fcinfo, 0, is_jsonb, c);
    /* Derived values are the subject's, whatever the definitions: the
    ** smallest context (one definition) computes them all. */
    ctx = sarx_pg_one(c, InvalidOid);
    if (sarx_assess_ex(ctx, c->s, SARX_ASSESS_NO_GUIDANCE, &a, &err) != SARX_OK)
        sarx_pg_raise(&err);
    rc = sarx_assessment_derived_range(a, name, &lo, &hi);
    v = sarx_assessment_derived(a, name);
    sarx_assessment_free(a);
    if (rc == SARX_ENOTFOUND)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown measure \"%s\" (allowed %s)", name, measure_names())));
    if (isnan(v))
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(v);
}
SUBJECT_FN(sarx_pg_measure)

/* One row per definition: definition, category, complete, missing. */
static Datum sarx_pg_results(FunctionCallInfo fcinfo, int is_jsonb)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    const sarx_ctx *full = sarx_pg_full(c);
    sarx_assessment *a;
    sarx_error err;
    Oid enumtype;
    InitMaterializedSRF(fcinfo, 0);
    enumtype = TupleDescAttr(rsinfo->setDesc, 0)->atttypid;
    sarx_pg_load(fcinfo, 0, is_jsonb, c);
    if (sarx_assess_ex(full, c->s, SARX_ASSESS_NO_GUIDANCE, &a, &err) != SARX_OK)
        sarx_pg_raise(&err);
    PG_TRY();
    {
        size_t i, n = sarx_assessment_result_count(a);
        for (i = 0; i < n; i++) {
            const sarx_result *r = sarx_assessment_result(a, i);
            const char *id = sarx_definition_id(sarx_result_definition(r));
            Datum values[4];
            bool nulls[4] = {false, false, false, false};
            values[0] = DirectFunctionCall2(enum_in, CStringGetDatum(id), ObjectIdGetDatum(enumtype));
            values[1] = PointerGetDatum(cstring_to_text(sarx_result_category(r)));
            values[2] = BoolGetDatum(sarx_result_complete(r) != 0);
            values[3] = PointerGetDatum(missing_array(r));
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    }
    PG_FINALLY();
    {
        sarx_assessment_free(a);
    }
    PG_END_TRY();
    return (Datum)0;
}
SUBJECT_FN(sarx_pg_results)
