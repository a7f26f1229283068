/*
** sarx.h — the one public header of libsarx.
**
** libsarx evaluates one person (a "subject") under every published definition
** of sarcopenia, dynapenia, cachexia and malnutrition that sarx knows, and
** explains each result criterion by criterion with thresholds and citations.
** Outputs are decision support with cited rules, never a diagnosis.
**
** Conventions, stated once:
**   - Every name is prefixed sarx_ / SARX_.  Handles are opaque.
**   - Functions returning int return a sarx_status: SARX_OK (0) or an error.
**     When a sarx_error* is passed (it may be NULL) it receives the detail.
**   - Every object created by sarx_X_new() or returned through an out
**     parameter is released with the matching sarx_X_free(); every char*
**     returned by a renderer is released with sarx_free().  Passing NULL to
**     any *_free function is a harmless no-op.
**   - Pointers returned by accessors (const char*, const sarx_definition*)
**     belong to the object they came from and live as long as it does.
**   - The library keeps no global mutable state, never prints and never
**     exits.  A sarx_ctx is immutable after creation and may be shared by
**     threads; a subject or assessment must not be used by two threads at once.
**   - An assessment refers to the definitions of the context it was made
**     with: free every assessment before its sarx_ctx.
**   - Text output (reports, messages, JSON) is UTF-8 and never depends on
**     the process locale; text input must be UTF-8.
**   - ABI: the layouts of the public structs (sarx_error, sarx_field_info,
**     sarx_row_info, sarx_guide_item) and SARX_COHORT_BATCH (callers size
**     arrays by it) are part of the ABI; changing one bumps the soname
**     (libsarx.so.N).  Status codes are never renumbered.
**   - Units inside the engine are SI-like: kg, cm, m/s, s, kg/m^2, mg/L,
**     pg/mL, g/dL.  Alternate units are converted where values enter.
**   - A missing value is never imputed: it stays missing, and results that
**     depend on it are "unknown" / "indeterminate" / incomplete.
*/
#ifndef SARX_H
#define SARX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Public functions are exported from the shared library; everything else
** in it is hidden. */
#if defined(__GNUC__) && !defined(SARX_NO_VISIBILITY)
#define SARX_API __attribute__((visibility("default")))
#else
#define SARX_API
#endif

#define SARX_VERSION "0.1.0"
#define SARX_VERSION_MAJOR 0
#define SARX_VERSION_MINOR 1
#define SARX_VERSION_PATCH 0

/* The library's version string, e.g. "0.1.0" (may differ from SARX_VERSION
** when a program runs against a newer shared library). */
SARX_API const char *sarx_version(void);

/* ---------------------------------------------------------------------
** Errors.  The numbers are stable: new codes are appended, none is ever
** renumbered or reused.
*/
typedef enum sarx_status {
    SARX_OK = 0,
    SARX_ENOMEM = 1,     /* out of memory */
    SARX_EINVAL = 2,     /* invalid argument to an API call */
    SARX_ESYNTAX = 3,    /* malformed input text (JSON, CSV, number, date) */
    SARX_EFIELD = 4,     /* unknown field name */
    SARX_ETYPE = 5,      /* value of the wrong type for its field */
    SARX_ERANGE = 6,     /* value outside the field's plausible range */
    SARX_ECONFLICT = 7,  /* one measurement given twice (e.g. kg and lb) */
    SARX_EEMPTY = 8,     /* empty input */
    SARX_EVALUE = 9,     /* value not among the allowed values */
    SARX_ENOTFOUND = 10, /* no such definition / field */
    SARX_EIO = 11        /* a read or write failed */
} sarx_status;

/* A short English description of a status code ("unknown field", ...). */
SARX_API const char *sarx_strerror(int code);
/* A stable one-word token for a status code, for machines: "ok", "nomem",
** "invalid", "syntax", "field", "type", "range", "conflict", "empty",
** "value", "notfound", "io" ("unknown" otherwise).  JSON errors carry it. */
SARX_API const char *sarx_error_name(int code);

/* The detail of the last error of a call.  Strings are always
** NUL-terminated (truncated if needed); numbers are 0 when not applicable. */
typedef struct sarx_error {
    int code;           /* a sarx_status */
    long record;        /* 1-based record (JSON Lines line, CSV row), or 0 */
    long line;          /* 1-based line in the text, or 0 */
    long column;        /* 1-based column in the line, or 0 */
    char field[64];     /* the field concerned, e.g. "grip_kg" */
    char value[64];     /* the offending value as given */
    char allowed[96];   /* allowed range or values, e.g. "0-100 kg" */
    char message[320];  /* one-line message naming all of the above */
} sarx_error;

/* Release memory returned by a sarx renderer. */
SARX_API void sarx_free(void *p);

/* ---------------------------------------------------------------------
** Fields: the names `sarx fields` lists, with units and plausible ranges.
*/
typedef enum sarx_field_kind {
    SARX_KIND_NUMBER = 0,
    SARX_KIND_INTEGER = 1,
    SARX_KIND_BOOL = 2,
    SARX_KIND_ENUM = 3,    /* one of a fixed set of words */
    SARX_KIND_STRING = 4,
    SARX_KIND_DATE = 5,    /* YYYY-MM-DD */
    SARX_KIND_LIST = 6,    /* list of strings */
    SARX_KIND_HISTORY = 7  /* list of {date, weight_kg} */
} sarx_field_kind;

typedef struct sarx_field_info {
    const char *name;      /* e.g. "height_in" */
    const char *canonical; /* the field it sets, e.g. "height_cm" (itself if canonical) */
    int kind;              /* a sarx_field_kind */
    const char *unit;      /* unit of this name, "" if none */
    double min, max;       /* plausible range in this name's unit (NUMBER/INTEGER) */
    const char *values;    /* allowed words for ENUM, e.g. "male|female" */
    const char *description;
} sarx_field_info;

SARX_API size_t sarx_field_count(void);
SARX_API const sarx_field_info *sarx_field_at(size_t i);              /* NULL if out of range */
SARX_API const sarx_field_info *sarx_field_find(const char *name);    /* NULL if unknown */

/* ---------------------------------------------------------------------
** Subjects: one person at one assessment.
*/
typedef struct sarx_subject sarx_subject;

SARX_API int  sarx_subject_new(sarx_subject **out);
SARX_API void sarx_subject_free(sarx_subject *s);
/* Forget every value (keeps the allocation, for batches). */
SARX_API void sarx_subject_clear(sarx_subject *s);

/* Set a field from its text form, as found in a CSV cell: numbers in the C
** locale ("72.5"; decimal comma only with SARX_TEXT_DECIMAL_COMMA), booleans
** true/false/yes/no/1/0, enums as their words, dates YYYY-MM-DD, lists as
** list cells (items separated by ';', with \; \\ \[ escaped, or a JSON
** array ["a", "b"]; docs/COHORT.md); a cell's leading single quote before
** = + - @ tab CR (sarx_csv_guarded) is dropped.  An empty text leaves the
** field missing.  Alternate-unit
** fields are converted; giving a measurement twice is SARX_ECONFLICT. */
#define SARX_TEXT_DECIMAL_COMMA 1u
SARX_API int sarx_subject_set_text(sarx_subject *s, const char *field, const char *text,
                          size_t len, unsigned flags, sarx_error *err);
/* Set a NUMBER or INTEGER field (in that field's own unit). */
SARX_API int sarx_subject_set_number(sarx_subject *s, const char *field, double value,
                            sarx_error *err);
/* Set a BOOL field (value 0 or 1). */
SARX_API int sarx_subject_set_bool(sarx_subject *s, const char *field, int value,
                          sarx_error *err);
/* Append one string to a LIST field ("conditions", "medications"). */
SARX_API int sarx_subject_add_item(sarx_subject *s, const char *field, const char *item,
                          sarx_error *err);
/* Append one weight to the history: date "YYYY-MM-DD", weight in kg. */
SARX_API int sarx_subject_add_weight(sarx_subject *s, const char *date, double weight_kg,
                            sarx_error *err);

/* Replace the subject's contents with one JSON object (the fields `sarx fields` lists).  Unknown
** names, wrong types, out-of-range values and unit conflicts are errors that
** name the field, the value and the allowed range; syntax errors carry the
** line and column. */
SARX_API int sarx_subject_from_json(sarx_subject *s, const char *text, size_t len,
                           sarx_error *err);

/* A subject from a JSON object that a host has already parsed (PostgreSQL's
** jsonb, another JSON library): call sarx_subject_clear, then
** sarx_subject_set_json once per key (key: keylen bytes, not necessarily
** NUL-terminated) with the value's type and text, then sarx_subject_finish.
** Each call checks what sarx_subject_from_json checks for that key, with
** the same messages; sarx_subject_finish makes the checks across fields
** (SARC-F items against their total, fat mass against weight, ...) and
** clears the subject when one fails.  The text is:
**   SARX_JSON_NULL, _FALSE, _TRUE: unused (NULL, 0);
**   SARX_JSON_NUMBER: the number as JSON spells it ("72.5", "-1e3"): an
**     integer is one without '.', 'e' or 'E';
**   SARX_JSON_STRING: the string's characters, unescaped, UTF-8;
**   SARX_JSON_VALUE: any JSON value as JSON text (a list, an object: the
**     conditions, medications and weight_history fields).
** The host is responsible for its object having each key once. */
#define SARX_JSON_NULL 0
#define SARX_JSON_FALSE 1
#define SARX_JSON_TRUE 2
#define SARX_JSON_NUMBER 3
#define SARX_JSON_STRING 4
#define SARX_JSON_VALUE 5
SARX_API int sarx_subject_set_json(sarx_subject *s, const char *key, size_t keylen, int type, const char *text,
                                   size_t len, sarx_error *err);
SARX_API int sarx_subject_finish(sarx_subject *s, sarx_error *err);
/* For hosts that read many subjects with the same keys: the lookup of a
** key apart from setting it.  sarx_field_index gives the index (for
** sarx_field_at) of the field or alternate name a key spells (keylen
** bytes), or -1 when no field has that name.  sarx_subject_set_json_field
** is sarx_subject_set_json for a key whose index i the host has looked up
** (i must be sarx_field_index(key, keylen)).  sarx_subject_set_json_double
** sets a JSON number of a NUMBER or INTEGER field i (sarx_field_at(i)->kind)
** that the host has already converted to the nearest double (as strtod
** rounds the number's text): the same checks and messages as giving its
** text; SARX_EINVAL for a field of another kind (a number is read as text
** there: the id takes its digits). */
SARX_API long sarx_field_index(const char *key, size_t keylen);
SARX_API int sarx_subject_set_json_field(sarx_subject *s, long i, const char *key, size_t keylen, int type,
                                         const char *text, size_t len, sarx_error *err);
SARX_API int sarx_subject_set_json_double(sarx_subject *s, long i, double value, sarx_error *err);

/* The value of a numeric, integer, bool or date field in canonical units
** (bools 0/1, dates as days since 1970-01-01, enums as their 1-based index),
** or NaN when missing or not scalar. */
SARX_API double sarx_subject_get(const sarx_subject *s, const char *field);
SARX_API const char *sarx_subject_id(const sarx_subject *s); /* "" when none */

/* ---------------------------------------------------------------------
** Context: the compiled definitions.  Create once, share freely.
*/
typedef struct sarx_ctx sarx_ctx;
typedef struct sarx_definition sarx_definition;

SARX_API int  sarx_ctx_new(sarx_ctx **out, sarx_error *err);
SARX_API void sarx_ctx_free(sarx_ctx *ctx);

/* A context with only some of ctx's definitions (`--definitions`):
** list is comma-separated definition ids ("ewgsop2") and kinds
** ("sarcopenia", "cachexia", ...: every definition of that kind, as
** sarx_definition_kind names it), any case, spaces around names ignored;
** the result keeps ctx's order and holds each definition once.  An empty
** list or a name that is neither is SARX_EINVAL, with a message that names
** it and lists the ids and kinds there are.  Independent of ctx once made
** (free each with sarx_ctx_free).  An assessment made with a selection that
** leaves any definition out has no guidance (as SARX_ASSESS_NO_GUIDANCE):
** the guidance reads every definition's result. */
SARX_API int sarx_ctx_select(const sarx_ctx *ctx, const char *list, sarx_ctx **out, sarx_error *err);

SARX_API size_t sarx_definition_count(const sarx_ctx *ctx);
SARX_API const sarx_definition *sarx_definition_at(const sarx_ctx *ctx, size_t i);
SARX_API const sarx_definition *sarx_definition_find(const sarx_ctx *ctx, const char *id);

SARX_API const char *sarx_definition_id(const sarx_definition *d);       /* "ewgsop2" */
SARX_API const char *sarx_definition_title(const sarx_definition *d);    /* "EWGSOP2 (2019)" */
SARX_API const char *sarx_definition_version(const sarx_definition *d);  /* table version */
SARX_API const char *sarx_definition_citation(const sarx_definition *d);
SARX_API const char *sarx_definition_kind(const sarx_definition *d);     /* "sarcopenia", "screening", ... */
SARX_API const char *sarx_definition_notes(const sarx_definition *d);    /* decisions; may be "" */
SARX_API size_t sarx_definition_category_count(const sarx_definition *d);
SARX_API const char *sarx_definition_category(const sarx_definition *d, size_t i);
/* The rule of category i in words, e.g. "low_strength AND low_muscle_quantity". */
SARX_API const char *sarx_definition_category_rule(const sarx_definition *d, size_t i);
SARX_API size_t sarx_definition_criterion_count(const sarx_definition *d);
SARX_API const char *sarx_definition_criterion(const sarx_definition *d, size_t i);
SARX_API const char *sarx_definition_criterion_text(const sarx_definition *d, size_t i);

/* One row of a definition's criteria table. */
typedef struct sarx_row_info {
    const char *id;         /* e.g. "EWGSOP2-STR-GRIP-F" */
    const char *criterion;  /* the criterion it tests, e.g. "low_strength" */
    const char *measure;    /* an input field or derived value, e.g. "grip_kg", "asmi" */
    const char *sex;        /* "any", "male", "female" */
    const char *op;         /* "<", "<=", ">", ">=", "is" */
    double threshold;       /* for "is": 1 = true, 0 = false */
    const char *unit;
    const char *when;       /* applicability, e.g. "asm_method=bia", "" if always */
    const char *citation;
} sarx_row_info;

SARX_API size_t sarx_definition_row_count(const sarx_definition *d);
SARX_API int sarx_definition_row(const sarx_definition *d, size_t i, sarx_row_info *out);

/* ---------------------------------------------------------------------
** Assessment: every definition evaluated for one subject.
*/
typedef enum sarx_tri {
    SARX_NOT_MET = 0,
    SARX_MET = 1,
    SARX_UNKNOWN = 2
} sarx_tri;

/* Status of one evidence row. */
typedef enum sarx_row_status {
    SARX_ROW_NOT_MET = 0,
    SARX_ROW_MET = 1,
    SARX_ROW_UNKNOWN = 2,    /* value given but cannot be judged (e.g. sex unknown) */
    SARX_ROW_MISSING = 3,    /* the value it needs is missing */
    SARX_ROW_NOT_APPLICABLE = 4
} sarx_row_status;

typedef struct sarx_assessment sarx_assessment;
typedef struct sarx_result sarx_result;

/* Evaluate every definition.  The assessment copies what it needs: the
** subject may be freed or reused afterwards. */
SARX_API int  sarx_assess(const sarx_ctx *ctx, const sarx_subject *s,
                 sarx_assessment **out, sarx_error *err);
/* The same with flags: SARX_ASSESS_NO_GUIDANCE skips the guidance (about
** three quarters of the time of a complete assessment; docs/PERFORMANCE.md):
** the assessment then has no guide items, its plan numbers are NaN and the
** renderers leave the section out. */
#define SARX_ASSESS_NO_GUIDANCE 1u
SARX_API int  sarx_assess_ex(const sarx_ctx *ctx, const sarx_subject *s, unsigned flags,
                    sarx_assessment **out, sarx_error *err);
SARX_API void sarx_assessment_free(sarx_assessment *a);

SARX_API const char *sarx_assessment_id(const sarx_assessment *a);
SARX_API size_t sarx_assessment_result_count(const sarx_assessment *a);
SARX_API const sarx_result *sarx_assessment_result(const sarx_assessment *a, size_t i);
SARX_API const sarx_result *sarx_assessment_find(const sarx_assessment *a, const char *def_id);
SARX_API size_t sarx_assessment_warning_count(const sarx_assessment *a);
SARX_API const char *sarx_assessment_warning(const sarx_assessment *a, size_t i);

/* Derived values of spec §6 by name ("bmi", "asmi", "alm_bmi", "smi", "ffmi",
** "weight_loss_pct_6m", "weight_loss_pct_12m", "sarc_f_total",
** "sarc_calf_total", "mamc_cm"); NaN when it cannot be computed or is only
** known as a range (see sarx_assessment_derived_range). */
SARX_API double sarx_assessment_derived(const sarx_assessment *a, const char *name);
/* The names sarx_assessment_derived knows, in a fixed order, with their
** units ("kg/m2", "%", "points", "" for a 0/1 flag such as cancer_known);
** NULL when i is out of range.  New names are appended. */
SARX_API size_t sarx_derived_count(void);
SARX_API const char *sarx_derived_name(size_t i);
SARX_API const char *sarx_derived_unit(size_t i);
/* The same as a range [*lo, *hi]: equal when known; a true range when, e.g.,
** some SARC-F items are missing; NaN when unknown.  Returns SARX_ENOTFOUND
** for an unknown name. */
SARX_API int sarx_assessment_derived_range(const sarx_assessment *a, const char *name, double *lo, double *hi);

SARX_API const sarx_definition *sarx_result_definition(const sarx_result *r);
SARX_API const char *sarx_result_category(const sarx_result *r);  /* "indeterminate" when undecided */
SARX_API int sarx_result_complete(const sarx_result *r);          /* 1 or 0 */
/* Inputs that would decide an incomplete result (any one of alternatives). */
SARX_API size_t sarx_result_missing_count(const sarx_result *r);
SARX_API const char *sarx_result_missing(const sarx_result *r, size_t i);
/* Per-criterion status, in the definition's criterion order. */
SARX_API size_t sarx_result_criterion_count(const sarx_result *r);
SARX_API int sarx_result_criterion_status(const sarx_result *r, size_t i); /* a sarx_tri */
/* Status of row i of the definition's table (a sarx_row_status) and the
** value it compared (NaN when missing). */
SARX_API int sarx_result_row_status(const sarx_result *r, size_t i, double *value);
/* A note published with the category (e.g. Janssen 2004 odds ratios), or "". */
SARX_API const char *sarx_result_note(const sarx_result *r);

/* ---------------------------------------------------------------------
** Guidance (docs/GUIDANCE.md): likely contributors to muscle loss, red flags
** that call for prompt clinical review, tests to consider, and a nutrition
** and exercise plan, computed by sarx_assess from the subject and the
** results.  Every item names what triggered it and its source.  Decision
** support, not a prescription.
*/
typedef enum sarx_guide_kind {
    SARX_GUIDE_CAUSE = 0,    /* a likely contributor */
    SARX_GUIDE_RED_FLAG = 1, /* calls for prompt clinical review */
    SARX_GUIDE_TEST = 2,     /* a test or measurement to consider */
    SARX_GUIDE_ADVICE = 3,   /* nutrition, exercise, supplement or treatment information */
    SARX_GUIDE_CAUTION = 4   /* a caution that goes with the plan */
} sarx_guide_kind;

typedef struct sarx_guide_item {
    int kind;                   /* a sarx_guide_kind */
    int possible;               /* 1: partly met, the rest unknown (red flags only) */
    const char *id;             /* stable, e.g. "disuse", "measure_grip_kg" */
    const char *message;        /* plain words */
    const char *evidence;       /* what triggered it, with the values; may be "" */
    const char *missing;        /* for a possible item: inputs that would decide it, comma-separated */
    const char *evidence_level; /* how strong the evidence is, where that needs saying; may be "" */
    const char *citation;
} sarx_guide_item;

SARX_API size_t sarx_assessment_guide_count(const sarx_assessment *a);
/* Item i, in the order causes, red flags, tests, then the plan's advice and
** cautions.  SARX_EINVAL when i is out of range.  The strings belong to a. */
SARX_API int sarx_assessment_guide(const sarx_assessment *a, size_t i, sarx_guide_item *out);
/* A number of the plan by name (sarx_plan_name): "protein_g_kg_low",
** "protein_g_day_high", "energy_kcal_day_guide", "one_rm_kg", ...; NaN when
** it cannot be computed (e.g. grams per day without weight_kg) or the name
** is unknown. */
SARX_API double sarx_assessment_plan(const sarx_assessment *a, const char *name);
SARX_API size_t sarx_plan_name_count(void);
SARX_API const char *sarx_plan_name(size_t i); /* NULL if out of range */

/* One-repetition maximum estimated from a submaximal lift of load_kg done
** reps times.  Epley: load * (1 + reps / 30); Brzycki: load * 36 / (37 -
** reps).  One repetition returns the load itself under both (it is the
** maximum).  SARX_ERANGE for load <= 0, reps < 1, or Brzycki at reps >= 37
** (its denominator reaches zero); *out is NaN then. */
#define SARX_1RM_EPLEY 0
#define SARX_1RM_BRZYCKI 1
SARX_API int sarx_one_rm(double load_kg, int reps, int formula, double *out);

/* ---------------------------------------------------------------------
** Classification only: every definition's category and completeness, with
** no allocation and no evidence (for cohorts).  out has
** sarx_definition_count(ctx) entries, in registry order; category is the
** index into sarx_definition_category(), or SARX_INDETERMINATE; complete is
** 1 or 0, as sarx_result_complete().
*/
#define SARX_INDETERMINATE 255
typedef struct sarx_class {
    unsigned char category;
    unsigned char complete;
} sarx_class;
SARX_API int sarx_classify(const sarx_ctx *ctx, const sarx_subject *s, sarx_class *out, sarx_error *err);
/* 1 when category i counts as having the condition (the "sarcopenia or not"
** reading used for prevalence and agreement), else 0. */
SARX_API int sarx_definition_category_positive(const sarx_definition *d, size_t i);

/* The positive reading of one classified result, as sarx cohort counts it
** for prevalence and agreement: SARX_READING_POSITIVE (a positive
** category), SARX_READING_NEGATIVE (a complete result in a category that is
** not positive), SARX_READING_UNDECIDED (indeterminate, or an incomplete
** negative that more inputs could still make positive) or
** SARX_READING_NOT_APPLICABLE (a category saying the definition does not
** apply, e.g. Fearon without cancer: neither positive nor negative).
** SARX_EINVAL (as a negative number) for a NULL d. */
#define SARX_READING_NEGATIVE 0
#define SARX_READING_POSITIVE 1
#define SARX_READING_UNDECIDED 2
#define SARX_READING_NOT_APPLICABLE 3
SARX_API int sarx_definition_reading(const sarx_definition *d, sarx_class c);

/* Prevalence from counts of readings (what an SQL aggregate keeps), as one
** line of JSON: {"n": valid rows (positive + negative + undecided +
** not_applicable), "invalid", "decided" (positive + negative), "undecided",
** "not_applicable", "positive", "prevalence" (positive / decided, as sarx
** cohort's "positive" gives it), "percent" (100 x prevalence), "ci95":
** [lo, hi] (the 95 % Wilson interval of prevalence, as sarx cohort gives
** it), "ci95_percent": [lo, hi]}; prevalence, percent and the intervals are
** null when nothing is decided.  NULL when out of memory or a count is
** negative.  Free with sarx_free. */
SARX_API char *sarx_prevalence_json(long positive, long negative, long undecided, long not_applicable,
                                    long invalid);
/* Agreement of two definitions' readings from their 2x2 table over the rows
** where both are decided, as one line of JSON: {"n": rows counted
** (pairs + the rest), "invalid", "pairs": both + only_a + only_b + neither,
** "table": [[both, only_a], [only_b, neither]], "agreement" (observed),
** "kappa" (sarx_kappa; null when undefined)}.  other: valid rows where
** either reading is undecided or not applicable.  NULL when out of memory
** or a count is negative.  Free with sarx_free. */
SARX_API char *sarx_agreement_json(long both, long only_a, long only_b, long neither, long other, long invalid);

/* ---------------------------------------------------------------------
** Rendering.  Each returns a NUL-terminated string to release with
** sarx_free(), or NULL when out of memory.
*/
#define SARX_RENDER_PRETTY  1u  /* JSON: indented (default: one line) */
#define SARX_RENDER_EXPLAIN 2u  /* text: every criterion row, with ids and citations */
#define SARX_RENDER_NO_GUIDANCE 4u /* leave out the guidance section */

SARX_API char *sarx_assessment_json(const sarx_assessment *a, unsigned flags);
SARX_API char *sarx_assessment_text(const sarx_assessment *a, unsigned flags);
/* The definitions catalogue as text, Markdown (docs/DEFINITIONS.md) or JSON. */
#define SARX_CATALOGUE_TEXT 0
#define SARX_CATALOGUE_MARKDOWN 1
#define SARX_CATALOGUE_JSON 2
SARX_API char *sarx_catalogue(const sarx_ctx *ctx, int format);
/* A JSON object {"error": {...}} describing err, one line. */
SARX_API char *sarx_error_json(const sarx_error *err);

/* ---------------------------------------------------------------------
** Cohorts: every definition over the rows of a table, with prevalence by
** sex and age band and agreement between definitions.  One sarx_cohort per
** thread; merge them at the end.
*/
typedef struct sarx_cohort sarx_cohort;
#define SARX_COHORT_STRICT 1u        /* unknown columns are an error */
#define SARX_COHORT_DECIMAL_COMMA 2u /* numbers use a decimal comma */

/* Map a header row to fields (the field names and their alternates, any
** case).  Unknown columns are ignored and listed (an error with
** SARX_COHORT_STRICT); a column named twice, two units of one measurement,
** or a field that has no CSV form (weight_history) is an error.  Cells are
** read with the default missing-value codes (sarx_readopts_set_na): the
** empty cell, NA, NaN, ".", NULL and N/A. */
SARX_API int sarx_cohort_new(const sarx_ctx *ctx, char *const *header, const size_t *lens, size_t n,
                             unsigned flags, sarx_cohort **out, sarx_error *err);

/* How a table's cells are read (docs/FILES.md): the missing-value codes,
** which column feeds which field, and each column's own spellings of its
** values.  Build one, then give it to sarx_cohort_new_ex, which copies
** what it needs (the options may be freed or changed after). */
typedef struct sarx_readopts sarx_readopts;
SARX_API int sarx_readopts_new(sarx_readopts **out, sarx_error *err);
SARX_API void sarx_readopts_free(sarx_readopts *o);
/* The missing-value codes, a comma-separated list that replaces the
** default: the empty cell, NA, NaN, ".", NULL and N/A, compared without
** case (the empty cell is always missing).  A code that is a number
** ("-99", "999") matches only when named here, by value ("-99.0" too): in
** number columns always, in other columns a cell that is not one of the
** column's values.  A cell that is a code is missing, never a rejected row.
** A list containing ';' is refused (SARX_EINVAL): codes are separated by ','. */
SARX_API int sarx_readopts_set_na(sarx_readopts *o, const char *list, sarx_error *err);
/* Column `column` (its header text, compared without case and surrounding
** spaces) feeds `field` (a name `sarx fields` lists): `--rename OLD=NEW`. */
SARX_API int sarx_readopts_rename(sarx_readopts *o, const char *column, const char *field, sarx_error *err);
/* In column `column` (as above), a cell whose text is `from` (without case
** and surrounding spaces) is read as `to` ("1" -> "male", "F" -> "female",
** "yes" -> "true"). */
SARX_API int sarx_readopts_value(sarx_readopts *o, const char *column, const char *from, const char *to,
                                 sarx_error *err);
/* A map file's text (`--map FILE`): a CSV of column,field rows (renames)
** and column,from,to rows (value maps), with optional header lines, or a
** JSON object (docs/FILES.md); errors name the line or the key.  A map's
** `to` is read once, as written, with '.' for decimals. */
SARX_API int sarx_readopts_load(sarx_readopts *o, const char *text, size_t len, sarx_error *err);
/* sarx_cohort_new reading cells as opts says (NULL: the defaults).  A
** rename or value map whose column is not in the header is an error that
** names it. */
SARX_API int sarx_cohort_new_ex(const sarx_ctx *ctx, char *const *header, const size_t *lens, size_t n,
                                unsigned flags, const sarx_readopts *opts, sarx_cohort **out, sarx_error *err);
/* The field that column i of the header feeds ("weight_kg"), or NULL when
** the column is ignored or i is out of range. */
SARX_API const char *sarx_cohort_column_field(const sarx_cohort *c, size_t i);
/* How many spellings column i's value map has, 0 when none or i is out of
** range. */
SARX_API size_t sarx_cohort_column_values(const sarx_cohort *c, size_t i);
SARX_API void sarx_cohort_free(sarx_cohort *c);
/* A fresh cohort with the same context, column mapping and flags, and no
** counts (for a worker thread; the ignored-column names are not copied). */
SARX_API int sarx_cohort_clone(const sarx_cohort *c, sarx_cohort **out);
SARX_API size_t sarx_cohort_ignored_count(const sarx_cohort *c);
SARX_API const char *sarx_cohort_ignored(const sarx_cohort *c, size_t i);
/* The column holding "id", or -1. */
SARX_API long sarx_cohort_id_column(const sarx_cohort *c);
/* Classify one data row into out[] (sarx_definition_count entries) and count
** it.  A bad row (wrong number of fields, a value that does not parse or is
** out of range) returns the error and is counted as rejected. */
SARX_API int sarx_cohort_row(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_class *out,
                             sarx_error *err);
/* The same in batches, for speed: up to SARX_COHORT_BATCH pending rows,
** classified together.  Two ways in:
**   - sarx_cohort_parse reads the row now and returns SARX_OK when it was
**     added to the batch, or the error that rejected it;
**   - sarx_cohort_add, faster, only checks the number of fields (and
**     rejects the row with that error) and keeps the cell pointers: the
**     cells' text must stay unchanged until sarx_cohort_classify, which
**     reads the added rows eight at a time (fields and lens themselves may
**     be reused at once).
** Both fail with SARX_ERANGE when the batch is full.  sarx_cohort_classify
** classifies and counts the pending rows in order, out[i * ndefs + d].
** ok[i] is 1, or 0 for an added row that its reading rejected (a bad or
** out-of-range value, the SARC-F cross-field check), with the error in
** errs[i] when errs is not NULL; such a row is counted as rejected and its
** out[] entries mean nothing.  out, ok and errs may be NULL.  It returns how
** many rows were pending, rejected ones included.  A batch is 256 rows (it
** was 64 before any release: classifying 256 at once costs less per row). */
#define SARX_COHORT_BATCH 256
SARX_API int sarx_cohort_parse(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_error *err);
SARX_API int sarx_cohort_add(sarx_cohort *c, char *const *fields, const size_t *lens, size_t n, sarx_error *err);
SARX_API size_t sarx_cohort_classify(sarx_cohort *c, sarx_class *out, unsigned char *ok, sarx_error *errs);
/* Optional, for speed: the cells of the rows added from now on (until the
** next call) lie in text of which every byte before end may be read while
** they are pending; NULL, the default, promises nothing.  Eight bytes of a
** cell are then loaded at once where they all lie before end (otherwise
** only the cell's bytes are read); the results are the same either way. */
SARX_API void sarx_cohort_readable(sarx_cohort *c, const char *end);
/* Add the counts of from into into (same context and header). */
SARX_API int sarx_cohort_merge(sarx_cohort *into, const sarx_cohort *from);
SARX_API long sarx_cohort_rows(const sarx_cohort *c);     /* rows classified */
SARX_API long sarx_cohort_rejected(const sarx_cohort *c); /* rows rejected */
/* The summary: JSON, a text table, and two SVG plots (prevalence by
** definition and age band with 95 % CI; kappa heat map).  Free with sarx_free. */
SARX_API char *sarx_cohort_summary_json(const sarx_cohort *c);
SARX_API char *sarx_cohort_summary_text(const sarx_cohort *c);
/* The text table with flags: by default it fits 100 columns (definitions
** by their short names, a key below); SARX_SUMMARY_WIDE: every column in
** full, however wide. */
#define SARX_SUMMARY_WIDE 1u
SARX_API char *sarx_cohort_summary_text_ex(const sarx_cohort *c, unsigned flags);
SARX_API char *sarx_cohort_svg_prevalence(const sarx_cohort *c);
SARX_API char *sarx_cohort_svg_agreement(const sarx_cohort *c);

/* ---------------------------------------------------------------------
** Columns: a table already in memory (an R or pandas data frame), given
** column by column instead of as text cells, classified by the batch
** classifier of sarx_cohort_classify and counted into the cohort as
** `sarx cohort` counts a file.  Make the cohort with sarx_cohort_new_ex
** from the column names as the header: the same name matching, alternate
** units (weight_lb, ...), renames, value maps and missing-value codes.
** One implementation serves `sarx cohort` and the R and Python packages
** (docs/COLUMNS.md).
**
** A column's values are read by type:
**   SARX_COLUMN_DOUBLE  double; NaN (R's NA too) is missing
**   SARX_COLUMN_FLOAT   float; NaN is missing
**   SARX_COLUMN_INT32   int32_t; the value na is missing when has_na (R's
**                       integer and logical: NA is INT_MIN)
**   SARX_COLUMN_INT64   int64_t; na as for INT32
**   SARX_COLUMN_BOOL8   uint8_t 0 or 1 (numpy's bool); na as for INT32
**   SARX_COLUMN_TEXT    const char *: NULL is missing; each cell is read as
**                       the same cell of a file would be (codes, value
**                       maps, decimal comma with SARX_COHORT_DECIMAL_COMMA)
**   SARX_COLUMN_NONE    no values: every cell missing (an ignored column)
** A number fed to a number field is checked and converted as its cell
** would be (range in the column's unit, whole numbers for integer fields);
** a missing-value code that is a number ("-99") is missing by value.  A
** number or boolean fed to a field of another kind (sex coded 1/2, a
** 0/1 yes/no) is read as the text of its file cell, through the column's
** value map: integers and booleans as their digits ("1", "0"), other
** numbers in the shortest form that reads back as the same double.  A
** float is read as the double of its shortest decimal form (0.8f as 0.8).
** With flags SARX_COLUMN_DAYS, a number fed to a date field is a day count
** since 1970-01-01 (R's Date).
*/
#define SARX_COLUMN_NONE 0
#define SARX_COLUMN_DOUBLE 1
#define SARX_COLUMN_FLOAT 2
#define SARX_COLUMN_INT32 3
#define SARX_COLUMN_INT64 4
#define SARX_COLUMN_BOOL8 5
#define SARX_COLUMN_TEXT 6
#define SARX_COLUMN_DAYS 1u /* flags: numbers in a date field are days since 1970-01-01 */
typedef struct sarx_column {
    int type;           /* SARX_COLUMN_* */
    unsigned flags;     /* SARX_COLUMN_DAYS or 0 */
    const void *data;   /* row 0's value; row r's is at (const char *)data + r * stride */
    ptrdiff_t stride;   /* bytes from a row's value to the next row's; 0: the type's size (no broadcast) */
    int has_na;         /* INT32, INT64, BOOL8: na means missing */
    long long na;
    const size_t *lens; /* TEXT: row r's length is lens[r] (a plain array, not strided), or NULL: NUL-terminated */
} sarx_column;

/* Called for each row the reading rejects, with its row number (as given:
** first + i) and the error naming the field, value and allowed range
** (err->record is row + 1). */
typedef void (*sarx_row_error)(void *arg, size_t row, const sarx_error *err);

/* Classify rows first .. first + n - 1 of cols[0 .. ncols) (ncols the
** number of header names the cohort was made with, in their order) and
** count them in the cohort, as sarx_cohort_classify counts text rows.
** out (or NULL): n x sarx_definition_count(ctx) results, out[i * ndefs + d]
** for row first + i; ok (or NULL): n bytes, 1 classified, 0 rejected (its
** out[] entries mean nothing); on_error (or NULL) is called for each
** rejected row.  A rejected row never stops the call: rows in = rows
** classified + rows rejected.  Returns the number of rows rejected, or -1
** with err set when the call cannot run (an invalid argument or column
** type, ncols not the header's count, text rows still pending from
** sarx_cohort_add or sarx_cohort_parse, out of memory).  Call it again
** with the next first for the next block: a binding bounds its memory by
** the block size. */
SARX_API long sarx_cohort_columns(sarx_cohort *c, const sarx_column *cols, size_t ncols, size_t first, size_t n,
                                  sarx_class *out, unsigned char *ok, sarx_row_error on_error, void *arg,
                                  sarx_error *err);
/* Row `row` of the columns as a subject (cleared first, also when the call
** fails), read exactly as
** sarx_cohort_columns reads it, with its error when the reading rejects
** it: for the full result of one row (sarx_assess_ex: criteria, evidence,
** the missing inputs).  The cohort's counts are not changed. */
SARX_API int sarx_cohort_columns_subject(const sarx_cohort *c, const sarx_column *cols, size_t ncols, size_t row,
                                         sarx_subject *s, sarx_error *err);

/* The cohort's counts (every tally of the summary: rows, rejected, by
** definition, reading and stratum, and the agreement tables) as one line of
** JSON, for moving them between processes (Dask workers, nodes); free with
** sarx_free, NULL when out of memory.  sarx_cohort_merge_counts adds such
** a text into a cohort made with the same context and the same header
** mapping, exactly as sarx_cohort_merge does; SARX_EINVAL (with a message
** naming what does not fit) when the text is not counts of this context
** and mapping, not well-formed counts, or counts that counting cannot give
** (a tally above its stratum, readings or agreement tables that do not fit
** the categories; docs/COLUMNS.md lists the checks); SARX_ERANGE when a
** sum, or rows + rejected, would overflow.  A refused
** text adds nothing (docs/COLUMNS.md gives the format). */
SARX_API char *sarx_cohort_counts_json(const sarx_cohort *c);
SARX_API int sarx_cohort_merge_counts(sarx_cohort *into, const char *json, size_t len, sarx_error *err);

/* ---------------------------------------------------------------------
** Statistics.
*/
/* 95 % Wilson score interval for x of n.  SARX_EINVAL (and NaN) if n <= 0
** or x is not in [0, n]. */
SARX_API int sarx_wilson(long x, long n, double *lo, double *hi);
/* Cohen's kappa of two binary ratings from their 2x2 table; NaN when
** undefined (no pairs, or both ratings constant). */
SARX_API double sarx_kappa(long both, long only_a, long only_b, long neither);

/* ---------------------------------------------------------------------
** CSV: a streaming RFC 4180 reader (quoted fields, doubled quotes, embedded
** newlines, CRLF or LF, a leading UTF-8 BOM).  Memory is bounded by the
** largest record, not the file.
*/
typedef struct sarx_csv sarx_csv;

/* Fill buf with up to n bytes; return the count, 0 at end of input, or
** (size_t)-1 on a read error. */
typedef size_t (*sarx_read_fn)(void *ud, char *buf, size_t n);

/* delim is ',' or ';' (any byte but '"', CR or LF). */
SARX_API int sarx_csv_new(sarx_csv **out, sarx_read_fn read, void *ud, char delim);
/* The same with flags: SARX_CSV_NO_BOM reads a leading EF BB BF as data
** (for a block cut from the middle of a file). */
#define SARX_CSV_NO_BOM 1u
SARX_API int sarx_csv_new_ex(sarx_csv **out, sarx_read_fn read, void *ud, char delim, unsigned flags);
/* A reader over text held whole in memory, read in place (no copy): it
** writes into buf (NUL terminators, unescaped quotes), up to and including
** buf[len], so buf must have len + 1 bytes.  Fields stay valid as long as
** buf does, not only until the next call.  flags as for sarx_csv_new_ex. */
SARX_API int sarx_csv_new_buffer(sarx_csv **out, char *buf, size_t len, char delim, unsigned flags);
SARX_API void sarx_csv_free(sarx_csv *c);
/* Read the next record.  Returns 1 with *nfield fields (field i is
** fields[i], lens[i] bytes, NUL-terminated, valid until the next call),
** 0 at end of input, or -1 when a record is refused or reading failed (err
** says which; err->line and err->record, and sarx_csv_line/sarx_csv_record,
** give the record).  A record is never returned in part.  Refused records:
**   - text after a closing quote ("6"5): SARX_ESYNTAX, err->column its
**     field (1-based); the next call reads the record after it;
**   - a quote that never closes: SARX_ESYNTAX, the message saying how many
**     lines and bytes, to the end of the input, it holds;
**   - a record over 64 MiB (readers of sarx_csv_new only): SARX_ERANGE.
** After these two, as after a read error or no memory, the reader stays at
** end of input (the next call returns 0).  A blank line is a record of one
** empty field. */
SARX_API int sarx_csv_next(sarx_csv *c, char ***fields, size_t **lens, size_t *nfield, sarx_error *err);
/* 1-based line where the last record began, and its 1-based number. */
SARX_API long sarx_csv_line(const sarx_csv *c);
SARX_API long sarx_csv_record(const sarx_csv *c);
/* For splitting a file into blocks that separate readers can parse: the
** length of the longest prefix of buf (which starts at a record) made of
** whole records, at most max_records of them (0 = any number), following the
** reader's own quote rules.  With eof set, a last record without a line end
** counts as whole.  *records and *lines receive what the prefix holds. */
SARX_API size_t sarx_csv_complete(const char *buf, size_t len, char delim, int eof, long max_records,
                                  long *records, long *lines);
/* Append one field to a buffer the caller owns, quoted when needed
** (RFC 4180).  A value that a spreadsheet would run as a formula (one that
** starts with =, +, -, @, a tab or a CR, after any single quotes of its
** own) gets a single quote before it, unless it is a number ("-5",
** "+3.2"): OWASP's rule against CSV injection.  Returns the bytes written,
** or the size needed when it does not fit in n or dst is NULL (nothing is
** written then). */
SARX_API size_t sarx_csv_quote(char *dst, size_t n, const char *s, size_t len, char delim);
/* 1 when a cell read from CSV starts with the single quote sarx_csv_quote
** puts before such a value (a quote, then after any more quotes one of
** = + - @ tab CR): the value is the cell without its first byte.  sarx's
** readers drop it (docs/COHORT.md). */
SARX_API int sarx_csv_guarded(const char *s, size_t len);
/* Append one item of a list cell (conditions, medications) to a buffer the
** caller owns, as sarx's readers take it back: a ';' before every item but
** the first (first = 1 for the first), "\;" for a ';' in the item, "\\"
** for a backslash, and "\[" for a '[' that starts the cell (a cell that
** starts with '[' is read as a JSON array).  Items are read back trimmed,
** and an empty one is skipped.  The cell is then written with
** sarx_csv_quote.  Returns the bytes written, or the size needed when it
** does not fit in n or dst is NULL (nothing is written then). */
SARX_API size_t sarx_csv_list_append(char *dst, size_t n, const char *item, size_t len, int first);

/* ---------------------------------------------------------------------
** FHIR R4 (docs/FHIR.md): a patient's record from an EHR in, every result
** back out.  One mapping table (LOINC or sarx's own CodeSystem for a
** measure without a verified LOINC code, UCUM units) serves both ways.
*/
typedef struct sarx_fhir_info sarx_fhir_info;
/* Read a FHIR R4 Bundle (type collection, searchset, batch or transaction,
** or a document) holding one Patient and its Observations, Conditions and
** QuestionnaireResponses into s: Patient.gender -> sex; birthDate -> age in
** completed years at the assessment date; Observations by code and unit
** through the mapping table (only final, amended and corrected ones; the
** others are ignored and noted); every body weight into the weight
** history; grip as the best hand of the latest session; the latest value
** of other fields; Conditions through the vocabulary of conditions.
** as_of "YYYY-MM-DD" sets the assessment date; NULL: the latest weight's
** date (or the latest Observation's, when there is no weight), stated in
** *info.  Errors name the resource type, its id and the JSON path (a
** unit the table does not know for a code, a resource of another patient,
** a Patient given twice, a wrong type).  *info (may be NULL) receives what
** was read: free it with sarx_fhir_info_free. */
SARX_API int sarx_fhir_read(const char *json, size_t len, const char *as_of, sarx_subject *s,
                            sarx_fhir_info **info, sarx_error *err);
SARX_API void sarx_fhir_info_free(sarx_fhir_info *info);
/* The assessment date used ("YYYY-MM-DD"), and how it was chosen
** ("as_of", "latest weight", "latest observation", "" when none). */
SARX_API const char *sarx_fhir_info_as_of(const sarx_fhir_info *info);
SARX_API const char *sarx_fhir_info_as_of_source(const sarx_fhir_info *info);
/* The Patient's id ("" when it has none). */
SARX_API const char *sarx_fhir_info_patient(const sarx_fhir_info *info);
/* The resources whose values were used, as "Observation/ID" references
** (an Observation's derivedFrom for the results), in the Bundle's order. */
SARX_API size_t sarx_fhir_info_source_count(const sarx_fhir_info *info);
SARX_API const char *sarx_fhir_info_source(const sarx_fhir_info *info, size_t i);
/* What was left out, one line each ("Observation/w3: status preliminary,
** ignored"; "Observation/x: code 1234-5 is not mapped, ignored"). */
SARX_API size_t sarx_fhir_info_note_count(const sarx_fhir_info *info);
SARX_API const char *sarx_fhir_info_note(const sarx_fhir_info *info, size_t i);

/* An assessment as a FHIR R4 Bundle (type collection): one Observation per
** definition (code and category from sarx's CodeSystems, components for
** the criteria and derived values, a note that it is decision support),
** RiskAssessments for the SARC-F and SARC-CalF screens, and for GLIM a
** LOINC 75305-3 "Nutrition status" Observation.  info (may be NULL): the
** input was FHIR; its Patient and sources are referenced.  With
** SARX_FHIR_SUGGEST_CONDITIONS, provisional Conditions (M62.84 sarcopenia,
** not from definitions on muscle mass alone; R64 cachexia; E43/E44.0
** malnutrition by GLIM severity, which has no mild grade) with the
** Observation as evidence.  SARX_RENDER_PRETTY indents.  NULL when out of
** memory.  Free with sarx_free. */
#define SARX_FHIR_SUGGEST_CONDITIONS 0x100u
SARX_API char *sarx_fhir_bundle(const sarx_assessment *a, const sarx_fhir_info *info, unsigned flags);
/* A subject as a FHIR R4 Bundle (type collection) of a Patient and the
** Observations (and Conditions) the mapping table gives its fields: what
** sarx_fhir_read reads back as the same subject, when the subject has an
** assessment_date (the Observations' date: without it they carry none,
** and sarx_fhir_read ignores undated Observations) and a whole age (it
** travels as Patient.birthDate).  patient_id may be NULL ("subject"). */
SARX_API char *sarx_fhir_subject_bundle(const sarx_subject *s, const char *patient_id, unsigned flags);
/* sarx's CodeSystems (definitions, categories, local measures) and their
** ValueSets, generated from the tables, as a Bundle (type collection). */
SARX_API char *sarx_fhir_terminology(const sarx_ctx *ctx, unsigned flags);

/* ---------------------------------------------------------------------
** Simulator (docs/SIMULATOR.md): motor-unit loss and remodelling over a
** lifespan, with exercise, disuse, nutrition, inflammation and hormones.
** A model for research and teaching, with every assumption marked in the
** docs; not a prediction for a patient.
*/

/* The motor-unit pool of Fuglevand et al. (1993) in the rate-coded, fatiguing
** form of Potvin & Fuglevand (2017), with pymuscle's defaults (n units,
** RR 50, 8-35/25 Hz, RP 100, TL 90 ms, RT 3; fatigue 0 turns off both
** central and peripheral fatigue). */
typedef struct sarx_mu_pool sarx_mu_pool;
SARX_API int sarx_mu_pool_new(size_t n, int fatigue, sarx_mu_pool **out);
SARX_API void sarx_mu_pool_free(sarx_mu_pool *p);
/* Advance dt seconds at excitation e (0 to sarx_mu_pool_max_excitation);
** returns the total force (arbitrary units), NaN for a bad argument. */
SARX_API double sarx_mu_pool_step(sarx_mu_pool *p, double excitation, double dt);
SARX_API double sarx_mu_pool_max_excitation(const sarx_mu_pool *p);
SARX_API size_t sarx_mu_pool_size(const sarx_mu_pool *p);
/* Per-unit firing rates (Hz, after adaptation) and forces of the last step;
** sarx_mu_pool_size() entries, owned by the pool. */
SARX_API const double *sarx_mu_pool_rates(const sarx_mu_pool *p);
SARX_API const double *sarx_mu_pool_forces(const sarx_mu_pool *p);

/* A scenario: a person's traits, interventions and what to report. */
typedef struct sarx_scenario sarx_scenario;
/* From JSON (docs/SIMULATOR.md); an unknown key, a wrong type or a value out
** of range is an error naming the key and what is allowed. */
SARX_API int sarx_scenario_from_json(const char *text, size_t len, sarx_scenario **out, sarx_error *err);
/* A named preset: sedentary, active, masters_athlete, bed_rest_10d,
** resistance_training_6mo, microgravity_180d, immobilization_14d. */
SARX_API int sarx_scenario_preset(const char *name, sarx_scenario **out, sarx_error *err);
SARX_API size_t sarx_scenario_preset_count(void);
SARX_API const char *sarx_scenario_preset_name(size_t i);
SARX_API const char *sarx_scenario_preset_description(size_t i);
SARX_API const char *sarx_scenario_name(const sarx_scenario *sc);
SARX_API size_t sarx_scenario_intervention_count(const sarx_scenario *sc);
/* A copy of sc without its interventions: the same person left alone. */
SARX_API int sarx_scenario_baseline(const sarx_scenario *sc, sarx_scenario **out);
SARX_API void sarx_scenario_free(sarx_scenario *sc);

/* One person through the scenario: a table with one row per reported time
** point and the columns of sarx_sim_column_name (age_years, motor_units,
** muscle_mass_rel, max_force_rel, power_rel, rfd_rel, type1_fiber_fraction,
** ...; _rel = relative to age 25, or to the first reported point).  The
** same seed gives the same numbers. */
typedef struct sarx_sim_result sarx_sim_result;
SARX_API int sarx_simulate(const sarx_scenario *sc, unsigned long long seed, sarx_sim_result **out,
                           sarx_error *err);
SARX_API size_t sarx_sim_column_count(void);
SARX_API const char *sarx_sim_column_name(size_t i);
SARX_API size_t sarx_sim_result_rows(const sarx_sim_result *r);
SARX_API double sarx_sim_result_value(const sarx_sim_result *r, size_t row, size_t col);
SARX_API void sarx_sim_result_free(sarx_sim_result *r);
/* SVG small multiples of a result (mass, force, power, RFD, motor units,
** type I fraction against age, or days for a short intervention), with an
** optional baseline (e.g. the same seed under sarx_scenario_baseline) as
** dashed lines.  Free with sarx_free; NULL when out of memory. */
SARX_API char *sarx_sim_svg(const sarx_sim_result *r, const sarx_sim_result *baseline, const char *title);
/* sarx_sim_svg with the scenario's interventions shaded (a line when
** shorter than the plot resolves) and labelled, and the _rel axes named
** (relative to age 25, or to the start).  sc may be NULL. */
SARX_API char *sarx_sim_svg_scenario(const sarx_sim_result *r, const sarx_sim_result *baseline,
                                     const sarx_scenario *sc, const char *title);

/* A virtual population: person `person` (0, 1, ...) of scenario sc, with
** between-person variation and a sex drawn when the scenario says "any",
** measured at each of nages increasing ages (25-110): out[k *
** sarx_sim_measure_count() + j] is measure j (sarx_sim_measure_name: sex as
** 1 male / 2 female, age_years, height_cm, weight_kg, grip_kg,
** gait_speed_m_s, asm_kg, smm_kg, chair_stand_5x_s, sppb_score) at ages[k].  Person i depends only on seed and i,
** so a population is the same however it is split between threads.  The
** mappings from the model to these measurements are in docs/SIMULATOR.md. */
SARX_API size_t sarx_sim_measure_count(void);
SARX_API const char *sarx_sim_measure_name(size_t i);
SARX_API int sarx_sim_person_measures(const sarx_scenario *sc, unsigned long long seed, long person,
                                      const double *ages, size_t nages, double *out, sarx_error *err);

/* The simulator's validation (docs/SIMULATOR.md, "Validation"): every
** published target it is held to, against one virtual population (the
** default scenario, `people` people measured every 2.5 years from 60 to 90
** and diagnosed by the engine) and the lifespan cohorts.  The kinds:
** lifespan (trajectories and interventions), centile (grip, gait speed and
** ASMI at 65, 75 and 85 y), norm (a published mean) and prevalence (a
** study's own definition, sex and age range). */
#define SARX_SIM_TARGET_LIFESPAN 0
#define SARX_SIM_TARGET_CENTILE 1
#define SARX_SIM_TARGET_NORM 2
#define SARX_SIM_TARGET_PREVALENCE 3
typedef struct sarx_sim_check {
    const char *id;        /* stable, e.g. "grip-men-75-p50" */
    int kind;              /* SARX_SIM_TARGET_* */
    const char *what;      /* the quantity, in words */
    const char *source;    /* the publication and where in it */
    const char *published; /* the figure as published */
    double target;         /* the published value, in value's unit */
    double lo, hi;         /* value in [lo, hi] passes */
    const char *tolerance; /* how lo-hi was set */
    int held_out;          /* 1: no parameter was fitted to this target */
    double value;          /* the simulated value */
    int pass;              /* lo <= value <= hi */
    const char *known;     /* a target this version is known to fail: why (docs/SIMULATOR.md); else NULL */
} sarx_sim_check;
typedef struct sarx_sim_validation sarx_sim_validation;
/* Run every target: people 1,000-1,000,000 (about 2.5 KB of memory a
** person), threads 1-256 (the result does not depend on threads).
** SARX_ERANGE naming the argument, or SARX_ENOMEM. */
#define SARX_SIM_VALIDATE_MAX 1000000L
SARX_API int sarx_sim_validate(unsigned long long seed, long people, int threads, sarx_sim_validation **out,
                               sarx_error *err);
/* The same, calling progress(ud, 1) as each person of the population is
** simulated (the bulk of the work), from the worker threads: progress must
** be safe to call from several threads at once.  NULL: no calls. */
SARX_API int sarx_sim_validate_ex(unsigned long long seed, long people, int threads,
                                  void (*progress)(void *ud, long done), void *ud, sarx_sim_validation **out,
                                  sarx_error *err);
SARX_API size_t sarx_sim_validation_count(const sarx_sim_validation *v);
SARX_API const sarx_sim_check *sarx_sim_validation_check(const sarx_sim_validation *v, size_t i);
/* The targets that fail (known failures included). */
SARX_API size_t sarx_sim_validation_failed(const sarx_sim_validation *v);
/* The seed's table: the population's prevalence under every definition by
** age band (60-69, 70-79, 80-90) and sex, with 95 % Wilson intervals,
** beside each published prevalence with its source; as text, JSON and an
** SVG of the spread.  Free with sarx_free; NULL when out of memory. */
SARX_API char *sarx_sim_compare_text(const sarx_sim_validation *v);
SARX_API char *sarx_sim_compare_json(const sarx_sim_validation *v);
SARX_API char *sarx_sim_compare_svg(const sarx_sim_validation *v);
SARX_API void sarx_sim_validation_free(sarx_sim_validation *v);

#ifdef __cplusplus
}
#endif
#endif /* SARX_H */
