/*
** sarx_pg_agg.c — the aggregates sarx_prevalence and sarx_kappa (and their
** _state / _merge forms).  The state is a bigint[] of counts, not
** internal, so that Citus could run them on its workers and postgres_fdw
** nodes can return it; inside an aggregate it is updated in place (no
** allocation per row).  A subject that is not valid is counted as invalid,
** never an error.  The readings and the final JSON are the library's
** (sarx_definition_reading, sarx_prevalence_json, sarx_agreement_json).
**
**   prevalence state: {positive, negative, undecided, not_applicable, invalid}
**   kappa state:      {both, only_a, only_b, neither, other, invalid}
*/
#include "sarx_pg.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"

#define PREV_N 5
#define KAPPA_N 6

/* The counts of a bigint[] state after checking its shape. */
static int64 *counts(ArrayType *a, int n, const char *what)
{
    if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != n || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != INT8OID)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: expected a state of %d bigint counts without NULLs", what, n)));
    return (int64 *)ARR_DATA_PTR(a);
}

/* Argument argno, a state: the aggregate's own (modified in place), or a copy. */
static ArrayType *state_arg(FunctionCallInfo fcinfo, int argno)
{
    if (AggCheckCallContext(fcinfo, NULL))
        return PG_GETARG_ARRAYTYPE_P(argno);
    return PG_GETARG_ARRAYTYPE_P_COPY(argno);
}

/* Read subject argument 1 into c->s; 0 when it is not valid (counted as
** invalid); out of memory is an error. */
static int read_row(FunctionCallInfo fcinfo, sarx_pg_cache *c, const sarx_ctx *ctx, sarx_class *out)
{
    sarx_error err;
    int rc = sarx_pg_read_jsonb(c, PG_GETARG_JSONB_P(1), &err);
    if (rc == SARX_OK)
        rc = sarx_classify(ctx, c->s, out, &err);
    if (rc == SARX_ENOMEM)
        sarx_pg_oom();
    return rc == SARX_OK;
}

/* The reading of d, or an error (a library that cannot read its own class). */
static int reading(const sarx_definition *d, sarx_class k)
{
    int r = sarx_definition_reading(d, k);
    if (r < 0)
        elog(ERROR, "sarx: no reading for category %d of %s", (int)k.category, sarx_definition_id(d));
    return r;
}

PG_FUNCTION_INFO_V1(sarx_pg_prevalence_sfunc);
Datum sarx_pg_prevalence_sfunc(PG_FUNCTION_ARGS)
{
    ArrayType *st = state_arg(fcinfo, 0);
    int64 *n = counts(st, PREV_N, "sarx_prevalence");
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    const sarx_ctx *one = sarx_pg_one(c, PG_GETARG_OID(2));
    sarx_class out[1];
    if (!read_row(fcinfo, c, one, out))
        n[4]++;
    else
        switch (reading(sarx_definition_at(one, 0), out[0])) {
        case SARX_READING_POSITIVE: n[0]++; break;
        case SARX_READING_NEGATIVE: n[1]++; break;
        case SARX_READING_UNDECIDED: n[2]++; break;
        default: n[3]++; break; /* SARX_READING_NOT_APPLICABLE */
        }
    PG_RETURN_ARRAYTYPE_P(st);
}

PG_FUNCTION_INFO_V1(sarx_pg_kappa_sfunc);
Datum sarx_pg_kappa_sfunc(PG_FUNCTION_ARGS)
{
    ArrayType *st = state_arg(fcinfo, 0);
    int64 *n = counts(st, KAPPA_N, "sarx_kappa");
    sarx_pg_cache *c = sarx_pg_cache_get(fcinfo);
    size_t ia, ib;
    const sarx_ctx *pair = sarx_pg_pair(c, PG_GETARG_OID(2), PG_GETARG_OID(3), &ia, &ib);
    sarx_class out[2];
    if (!read_row(fcinfo, c, pair, out))
        n[5]++;
    else {
        int ra = reading(sarx_definition_at(pair, ia), out[ia]);
        int rb = reading(sarx_definition_at(pair, ib), out[ib]);
        int da = ra == SARX_READING_POSITIVE || ra == SARX_READING_NEGATIVE;
        int db = rb == SARX_READING_POSITIVE || rb == SARX_READING_NEGATIVE;
        if (!da || !db)
            n[4]++; /* other: either reading undecided or not applicable */
        else if (ra == SARX_READING_POSITIVE)
            n[rb == SARX_READING_POSITIVE ? 0 : 1]++;
        else
            n[rb == SARX_READING_POSITIVE ? 2 : 3]++;
    }
    PG_RETURN_ARRAYTYPE_P(st);
}

/* a + b element by element: the combine function, and the transition of
** the _merge aggregates. */
PG_FUNCTION_INFO_V1(sarx_pg_counts_add);
Datum sarx_pg_counts_add(PG_FUNCTION_ARGS)
{
    ArrayType *a = state_arg(fcinfo, 0);
    ArrayType *b = PG_GETARG_ARRAYTYPE_P(1);
    int na = ARR_NDIM(a) == 1 ? ARR_DIMS(a)[0] : 0, nb = ARR_NDIM(b) == 1 ? ARR_DIMS(b)[0] : 0, i;
    int64 *x, *y;
    if (na != nb || (na != PREV_N && na != KAPPA_N))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("sarx_counts_add: states of %d and %d counts (sarx_prevalence's have %d, "
                               "sarx_kappa's %d)", na, nb, PREV_N, KAPPA_N)));
    x = counts(a, na, "sarx_counts_add");
    y = counts(b, na, "sarx_counts_add");
    for (i = 0; i < na; i++)
        if (pg_add_s64_overflow(x[i], y[i], &x[i]))
            ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("sarx: count out of range")));
    PG_RETURN_ARRAYTYPE_P(a);
}

/* A library JSON (NULL: a negative count, or out of memory) as jsonb. */
static Datum final_json(char *json, const int64 *n, int k)
{
    int i;
    if (!json) {
        for (i = 0; i < k; i++)
            if (n[i] < 0)
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("sarx: a state with a negative count")));
        sarx_pg_oom();
    }
    return sarx_pg_jsonb_from_library(json);
}

PG_FUNCTION_INFO_V1(sarx_pg_prevalence_final);
Datum sarx_pg_prevalence_final(PG_FUNCTION_ARGS)
{
    const int64 *n = counts(PG_GETARG_ARRAYTYPE_P(0), PREV_N, "sarx_prevalence");
    return final_json(sarx_prevalence_json((long)n[0], (long)n[1], (long)n[2], (long)n[3], (long)n[4]), n, PREV_N);
}

PG_FUNCTION_INFO_V1(sarx_pg_kappa_final);
Datum sarx_pg_kappa_final(PG_FUNCTION_ARGS)
{
    const int64 *n = counts(PG_GETARG_ARRAYTYPE_P(0), KAPPA_N, "sarx_kappa");
    return final_json(sarx_agreement_json((long)n[0], (long)n[1], (long)n[2], (long)n[3], (long)n[4], (long)n[5]),
                      n, KAPPA_N);
}
