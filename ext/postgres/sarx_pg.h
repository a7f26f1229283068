/*
** sarx_pg.h — what the files of the PostgreSQL extension share: the cache
** of a call site (fn_extra), reading a subject from jsonb or text, errors.
**
** A thin client of libsarx: every rule, category, reading and statistic is
** the library's.  No static mutable state: each call site (an FmgrInfo)
** keeps its contexts and its reusable subject in fn_extra, allocated in
** fn_mcxt and released by a callback when that context goes.
*/
#ifndef SARX_PG_H
#define SARX_PG_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "sarx.h"

typedef struct sarx_pg_cache {
    sarx_ctx *full;         /* every definition (lazily) */
    sarx_ctx *one;          /* one definition: the enum value one_key */
    Oid one_key;
    text *cat[17];          /* its categories as text, made once (sarx_category); [16] indeterminate */
    sarx_ctx *pair;         /* two definitions, for sarx_kappa: pair_a, pair_b */
    Oid pair_a, pair_b;
    size_t pair_ia, pair_ib; /* their indices in pair */
    sarx_subject *s;        /* reused for every row */
    int numbers;            /* sarx_pg_numeric.c's reading: 0 not yet checked, 1 agrees, -1 not used */
    MemoryContextCallback cb;
} sarx_pg_cache;

/* The cache of this call site, made on first use. */
sarx_pg_cache *sarx_pg_cache_get(FunctionCallInfo fcinfo);
/* The context of every definition. */
const sarx_ctx *sarx_pg_full(sarx_pg_cache *c);
/* The one-definition context for an enum value of sarx_definition
** (InvalidOid: the first definition, for what needs any one). */
const sarx_ctx *sarx_pg_one(sarx_pg_cache *c, Oid def);
/* Category k (SARX_INDETERMINATE: "indeterminate") of the one-definition
** context as text, made once per call site and definition (in fn_mcxt: it
** outlives the calls that return it). */
text *sarx_pg_cat_text(FunctionCallInfo fcinfo, sarx_pg_cache *c, unsigned k);
/* The two-definition context for sarx_kappa; *ia, *ib: a's and b's index in it. */
const sarx_ctx *sarx_pg_pair(sarx_pg_cache *c, Oid a, Oid b, size_t *ia, size_t *ib);

/* Read a subject from jsonb (directly, key by key) or from JSON text (json,
** text).  Returns a sarx_status with err filled, as sarx_subject_from_json. */
int sarx_pg_read_jsonb(sarx_pg_cache *c, Jsonb *jb, sarx_error *err);
int sarx_pg_read_text(sarx_subject *s, text *t, sarx_error *err);
/* Read argument argno (jsonb when is_jsonb, else json or text) into c->s,
** raising the error when the subject is invalid. */
void sarx_pg_load(FunctionCallInfo fcinfo, int argno, int is_jsonb, sarx_pg_cache *c);

/* The text of a jsonb number, exactly as numeric_out writes it, in buf (n
** bytes, SARX_PG_NUMBER_BUF are enough for clinical values) or, when it
** does not fit, palloc'd (the result is then not buf); *len its length.
** (sarx_pg_numeric.c: written from the stored digits once checked.) */
#define SARX_PG_NUMBER_BUF 128
const char *sarx_pg_number_text(sarx_pg_cache *c, Numeric num, char *buf, size_t n, size_t *len);
/* A jsonb number as the nearest double, when its digits give it exactly in
** one operation (every clinical value): 1 and *out, else 0 (then give its
** text). */
int sarx_pg_number_double(sarx_pg_cache *c, Numeric num, double *out);
/* (sarx_pg_numeric.h: its hot path inline, once c->numbers is 1.) */

/* ereport(ERROR) with the library's message: SQLSTATE 22023
** (invalid_parameter_value), or 53200 (out of memory) for SARX_ENOMEM. */
pg_attribute_noreturn() void sarx_pg_raise(const sarx_error *err);
pg_attribute_noreturn() void sarx_pg_oom(void);

/* A JSON text made by the library as jsonb; frees it (sarx_free) either way. */
Datum sarx_pg_jsonb_from_library(char *json);

#endif
