/*
** unit.h — what the unit test programs share: a random subject and a random
** CSV cell (each field missing, on a definition's threshold, or drawn from
** its range), equality of two doubles as the batch sees it, and an
** assessment from a JSON subject.  Included by tests/unit.c,
** unit_batch.c, unit_cohort.c and unit_assess.c.
*/
#ifndef SARX_TEST_UNIT_H
#define SARX_TEST_UNIT_H

#include "harness.h"
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A random subject: each field missing or drawn from its range, often
** exactly on a threshold of some definition row (boundaries matter most). */
static uint64_t rng_state;
static inline uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static inline double unit01(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }

static inline void random_subject(const sarx_ctx *ctx, sarx_subject *s)
{
    size_t f;
    sarx_error err;
    sarx_subject_clear(s);
    for (f = 0; f < SARX__F_COUNT; f++) {
        const sarx_field_info *fi = sarx_field_at(f);
        double v;
        if (unit01() < 0.35)
            continue; /* missing */
        switch (fi->kind) {
        case SARX_KIND_NUMBER:
        case SARX_KIND_INTEGER:
            v = fi->min + unit01() * (fi->max - fi->min);
            if (unit01() < 0.5) { /* a threshold of a row on this field, maybe nudged */
                size_t d = rnd() % sarx_definition_count(ctx), r;
                const sarx_definition *def = sarx_definition_at(ctx, d);
                for (r = 0; r < sarx_definition_row_count(def); r++) {
                    sarx_row_info ri;
                    sarx_definition_row(def, r, &ri);
                    if (strcmp(ri.measure, fi->name) == 0 && strcmp(ri.op, "is") != 0) {
                        /* on it, inside or just outside the 1e-9 tolerance, a few
                        ** ulps either side of those edges, or a little away */
                        double t = ri.threshold, tol = 1e-9 * (fabs(t) > 1 ? fabs(t) : 1), u = unit01();
                        int k, steps = (int)(rnd() % 5);
                        v = u < 0.2 ? t : u < 0.4 ? t - tol : u < 0.6 ? t + tol : t + (unit01() - 0.5) * 0.2;
                        for (k = 0; k < steps; k++)
                            v = nextafter(v, (rnd() & 1) ? INFINITY : -INFINITY);
                        break;
                    }
                }
            }
            if (strcmp(fi->name, "age_years") == 0 && unit01() < 0.3) { /* the age bands' edge (GLIM) */
                int k, steps = (int)(rnd() % 3);
                v = 70;
                for (k = 0; k < steps; k++)
                    v = nextafter(v, (rnd() & 1) ? INFINITY : -INFINITY);
            }
            if (fi->kind == SARX_KIND_INTEGER)
                v = floor(v + 0.5);
            if (v < fi->min)
                v = fi->min;
            if (v > fi->max)
                v = fi->max;
            if (strcmp(fi->name, "sarc_f") == 0 && unit01() < 0.7)
                continue; /* leave room for the items (partial SARC-F ranges) */
            if (strcmp(fi->name, "fat_mass_kg") == 0 && unit01() < 0.7)
                continue; /* beside a fat % it mostly disagrees (a conflict) */
            if (strcmp(fi->name, "amputation_pct") == 0 && unit01() < 0.6)
                continue; /* it wins when given: the amputation levels need persons without it */
            sarx_subject_set_number(s, fi->name, v, &err);
            break;
        case SARX_KIND_BOOL:
            sarx_subject_set_bool(s, fi->name, (int)(rnd() & 1), &err);
            break;
        case SARX_KIND_ENUM: {
            const char *w = fi->values, *bar = strchr(w, '|');
            if (rnd() & 1)
                sarx_subject_set_text(s, fi->name, w, (size_t)(bar - w), 0, &err);
            else
                sarx_subject_set_text(s, fi->name, bar + 1, strcspn(bar + 1, "|"), 0, &err);
            break;
        }
        case SARX_KIND_LIST:
            if (f == SARX__F_CONDITIONS) { /* items of every class of the vocabulary, up to three */
                static const char *const pool[] = {"copd", "hypertension", "sepsis", "icd10:C34.1", "type 2 diabetes",
                                                   "no cancer", "family history of cancer", "icd10:D12.6",
                                                   "pregnancy", "history of breast cancer", "icd10:N18.4",
                                                   "below-knee amputation", "icd10:Z89.5"};
                int k, nk = unit01() < 0.5 ? 0 : 1 + (int)(rnd() % 3);
                for (k = 0; k < nk; k++)
                    sarx_subject_add_item(s, fi->name, pool[rnd() % (sizeof pool / sizeof pool[0])], &err);
            }
            break;
        default:
            break;
        }
    }
    if (unit01() < 0.2) { /* a weight history: the batch takes these lanes' values from measure() */
        static const char *const dates[] = {"2025-01-10", "2025-04-02", "2025-08-20", "2025-12-01", "2026-01-15"};
        int k, nh = 1 + (int)(rnd() % 4);
        if (unit01() < 0.8)
            sarx_subject_set_text(s, "assessment_date", "2026-01-15", 10, 0, &err);
        for (k = 0; k < nh; k++)
            sarx_subject_add_weight(s, dates[rnd() % 5], 50 + unit01() * 40, &err);
    }
}

/* The same double bit for bit, or both NaN (C leaves a NaN's sign and
** payload open: a compiler may swap the operands of a commutative
** operation, and of two NaNs the first is kept). */
static inline int same_double(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

/* One random CSV cell for a field: usual values in several spellings, and
** now and then blanks around it (read the slow way) or a value the field
** refuses.  plain: only the spellings the fast way reads (no sign, exponent,
** blank, list or unknown word), and values on, inside and one past the
** edges, so that a row is read by the fast way alone, or refused by it. */
static inline void random_cell(char *buf, size_t cap, const sarx_field_info *fi, int decimal_comma, int plain)
{
    double u = unit01();
    buf[0] = '\0';
    if (u < 0.25 && fi->kind != SARX_KIND_STRING)
        return; /* empty */
    switch (fi->kind) {
    case SARX_KIND_NUMBER:
    case SARX_KIND_INTEGER: {
        double v = fi->min + unit01() * (fi->max - fi->min), w = unit01();
        int prec = fi->kind == SARX_KIND_INTEGER ? 0 : (int)(rnd() % 4);
        char *comma;
        if (w < 0.001)
            v = fi->max + 1 + unit01() * 10; /* out of range */
        else if (w < 0.002)
            v = fi->min - 1 - unit01() * 10;
        else if (w < 0.004)
            v = unit01() < 0.5 ? fi->min - 1 : fi->max + 1; /* one past an edge */
        else if (w < 0.02)
            v = unit01() < 0.5 ? fi->min : fi->max; /* on the edges */
        if (plain && w >= 0.02 && w < 0.07)
            w = 0.07; /* the plain spelling */
        if (w >= 0.02 && w < 0.025 && fi->kind == SARX_KIND_INTEGER) {
            snprintf(buf, cap, "%.1f", floor(v) + 0.5); /* not whole */
        } else if (w >= 0.025 && w < 0.026) {
            snprintf(buf, cap, "x%.0f", v); /* not a number */
        } else if (w >= 0.026 && w < 0.029) {
            snprintf(buf, cap, " %.*f ", prec, v); /* blanks around: the slow way */
        } else if (w >= 0.03 && w < 0.05) {
            snprintf(buf, cap, "%.3e", fi->kind == SARX_KIND_INTEGER ? floor(v) : v); /* an exponent */
        } else {
            snprintf(buf, cap, "%s%.*f", !plain && w < 0.07 && v >= 0 ? "+" : "", prec, v);
        }
        if (decimal_comma && (comma = strchr(buf, '.')))
            *comma = ',';
        return;
    }
    case SARX_KIND_BOOL: {
        static const char *const words[] = {"true", "false", "yes", "no", "1", "0", "TRUE", "No", "YES", "False"};
        double w = unit01();
        snprintf(buf, cap, "%s", plain ? words[rnd() % 10] : w < 0.001 ? "maybe" : w < 0.003 ? " yes" : words[rnd() % 10]);
        return;
    }
    case SARX_KIND_ENUM: {
        const char *v = fi->values;
        size_t nw = 1, k, pick, i;
        for (k = 0; v[k]; k++)
            nw += v[k] == '|';
        pick = rnd() % nw;
        for (k = 0; k < pick; k++)
            v = strchr(v, '|') + 1;
        for (i = 0; v[i] && v[i] != '|' && i + 1 < cap; i++)
            buf[i] = (char)((rnd() & 3) == 0 && v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]);
        buf[i] = '\0';
        if (strcmp(fi->name, "sex") == 0 && unit01() < 0.2)
            snprintf(buf, cap, "%c", "mMfF"[rnd() % 4]);
        if (!plain && unit01() < 0.003)
            snprintf(buf, cap, "other");
        return;
    }
    case SARX_KIND_DATE:
        snprintf(buf, cap, plain || unit01() < 0.99 ? "2025-%02d-%02d" : "2025-%02d-%02dx", 1 + (int)(rnd() % 12),
                 1 + (int)(rnd() % 28));
        return;
    case SARX_KIND_LIST: {
        static const char *const lists[] = {"copd", "copd; heart failure", " ; ", "ckd;", "type 2 diabetes",
                                            "hypertension;icd10:c34.1", "ICD10: N18.4", "no cancer;sepsis",
                                            "icd10:XYZ", "[{\"system\":\"icd10\",\"code\":\"I50\"}]",
                                            "pregnancy;family history of cancer", "below-knee amputation",
                                            "icd10:O26.8;amputee"};
        if (plain || unit01() < 0.7)
            return; /* mostly empty: a list is read the slow way */
        snprintf(buf, cap, "%s", lists[rnd() % (sizeof lists / sizeof lists[0])]);
        return;
    }
    default:
        snprintf(buf, cap, "p%u", (unsigned)(rnd() % 100000));
        return;
    }
}

static inline sarx_assessment *assess(const sarx_ctx *ctx, const char *json)
{
    sarx_subject *s;
    sarx_assessment *a = NULL;
    sarx_error err;
    sarx_subject_new(&s);
    if (sarx_subject_from_json(s, json, strlen(json), &err) != SARX_OK)
        fprintf(stderr, "bad test input: %s\n", err.message);
    else
        sarx_assess(ctx, s, &a, &err);
    sarx_subject_free(s);
    return a;
}

/* The header of every canonical field a CSV column can give (not a
** history), in the fields' order: names, infos and name lengths, at most max
** of them; returns how many there are (more than max: some left out). */
static inline size_t csv_field_header(char **hdr, const sarx_field_info **info, size_t *hl, size_t max)
{
    size_t f, n = 0;
    for (f = 0; f < SARX__F_COUNT; f++) {
        const sarx_field_info *fi = sarx_field_at(f);
        if (fi->kind == SARX_KIND_HISTORY)
            continue;
        if (n < max) {
            hdr[n] = (char *)fi->name;
            info[n] = fi;
            hl[n] = strlen(fi->name);
        }
        n++;
    }
    return n;
}

#endif
