/*
** aggregate.c — prevalence and agreement from counts, as one line of JSON:
** the final step of the SQL aggregates (sarx_prevalence, sarx_kappa in the
** SQLite and PostgreSQL extensions), which keep only counts of readings
** (sarx_definition_reading) so that partial counts add up exactly across
** parallel workers and database nodes.  The numbers are sarx cohort's: the
** same denominators (rows whose reading is decided), the same Wilson
** interval and kappa (stats.c), printed with the summary's 6 significant
** digits.
*/
#include "internal.h"

#include <jansson.h>
#include <stdlib.h>

static char *dump(json_t *o, int bad)
{
    char *out = NULL;
    if (o && !bad)
        out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(o);
    return out;
}

static void set(json_t *o, const char *k, json_t *v, int *bad)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        *bad = 1;
}

static json_t *pair(double a, double b) { return json_pack("[f,f]", a, b); }

char *sarx_prevalence_json(long positive, long negative, long undecided, long not_applicable, long invalid)
{
    json_t *o;
    long decided;
    int bad = 0;
    if (positive < 0 || negative < 0 || undecided < 0 || not_applicable < 0 || invalid < 0)
        return NULL;
    decided = positive + negative;
    o = json_object();
    set(o, "n", json_integer(decided + undecided + not_applicable), &bad);
    set(o, "invalid", json_integer(invalid), &bad);
    set(o, "decided", json_integer(decided), &bad);
    set(o, "undecided", json_integer(undecided), &bad);
    set(o, "not_applicable", json_integer(not_applicable), &bad);
    set(o, "positive", json_integer(positive), &bad);
    if (decided > 0) {
        double p = (double)positive / (double)decided, lo, hi;
        sarx_wilson(positive, decided, &lo, &hi);
        set(o, "prevalence", json_real(p), &bad);
        set(o, "percent", json_real(100.0 * p), &bad);
        set(o, "ci95", pair(lo, hi), &bad);
        set(o, "ci95_percent", pair(100.0 * lo, 100.0 * hi), &bad);
    } else {
        set(o, "prevalence", json_null(), &bad);
        set(o, "percent", json_null(), &bad);
        set(o, "ci95", json_null(), &bad);
        set(o, "ci95_percent", json_null(), &bad);
    }
    return dump(o, bad);
}

char *sarx_agreement_json(long both, long only_a, long only_b, long neither, long other, long invalid)
{
    json_t *o;
    long pairs;
    double kap;
    int bad = 0;
    if (both < 0 || only_a < 0 || only_b < 0 || neither < 0 || other < 0 || invalid < 0)
        return NULL;
    pairs = both + only_a + only_b + neither;
    kap = sarx_kappa(both, only_a, only_b, neither);
    o = json_object();
    set(o, "n", json_integer(pairs + other), &bad);
    set(o, "invalid", json_integer(invalid), &bad);
    set(o, "pairs", json_integer(pairs), &bad);
    set(o, "table", json_pack("[[I,I],[I,I]]", (json_int_t)both, (json_int_t)only_a, (json_int_t)only_b,
                              (json_int_t)neither),
        &bad);
    set(o, "agreement", pairs ? json_real((double)(both + neither) / (double)pairs) : json_null(), &bad);
    set(o, "kappa", isnan(kap) ? json_null() : json_real(kap), &bad);
    return dump(o, bad);
}
