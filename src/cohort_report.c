/*
** cohort_report.c — the cohort summary as JSON and as a text table (the
** plots: cohort_svg.c).
*/
#include "internal.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int present(const sarx_cohort *c, int st) { return sarx__cohort_total(c, 0, st) > 0; }

/* Whether definition d has a category that says it does not apply
** (not_applicable), and its rows in stratum st: they have no positive
** reading, so they are counted apart (sarx__cat_not_applicable). */
static int has_not_applicable(const sarx__def *def)
{
    size_t k;
    for (k = 0; k < def->ncat; k++)
        if (sarx__cat_not_applicable(&def->cats[k]))
            return 1;
    return 0;
}

static long not_applicable(const sarx_cohort *c, size_t d, int st)
{
    const sarx__def *def = sarx__cohort_ctx(c)->defs[d].d;
    long n = 0;
    size_t k;
    for (k = 0; k < def->ncat; k++)
        if (sarx__cat_not_applicable(&def->cats[k]))
            n += sarx__cohort_count(c, d, st, (int)k);
    return n;
}

/* A proportion with its interval: {"count", "of", "prevalence", "ci95"}. */
static json_t *prop(long x, long n)
{
    double lo, hi;
    if (n <= 0)
        return json_pack("{s:I,s:I,s:n,s:n}", "count", (json_int_t)x, "of", (json_int_t)n, "prevalence", "ci95");
    sarx_wilson(x, n, &lo, &hi);
    return json_pack("{s:I,s:I,s:f,s:[f,f]}", "count", (json_int_t)x, "of", (json_int_t)n, "prevalence",
                     (double)x / (double)n, "ci95", lo, hi);
}

char *sarx_cohort_summary_json(const sarx_cohort *c)
{
    const sarx_ctx *ctx;
    json_t *root, *defs, *agree, *ign, *strata;
    size_t d, e, k;
    int st;
    char *out;
    if (!c)
        return NULL;
    ctx = sarx__cohort_ctx(c);
    root = json_object();
    defs = json_array();
    agree = json_array();
    ign = json_array();
    strata = json_array();
    json_object_set_new(root, "sarx_version", json_string(sarx_version()));
    json_object_set_new(root, "rows", json_integer(sarx_cohort_rows(c)));
    json_object_set_new(root, "rejected", json_integer(sarx_cohort_rejected(c)));
    for (k = 0; k < sarx_cohort_ignored_count(c); k++)
        json_array_append_new(ign, json_string(sarx_cohort_ignored(c, k)));
    json_object_set_new(root, "ignored_columns", ign);
    for (st = 0; st < sarx__cohort_nstrata(); st++)
        if (present(c, st))
            json_array_append_new(strata, json_string(sarx__cohort_stratum(st)));
    json_object_set_new(root, "strata", strata);
    json_object_set_new(root, "prevalence_denominator",
                        json_string("categories: rows where the definition is decided (indeterminate rows are counted "
                                    "apart); positive: rows where the positive reading is decided (a positive "
                                    "category, or a complete result), leaving out the rows where the definition "
                                    "does not apply (not_applicable: counted apart, neither positive nor negative)"));
    for (d = 0; d < ctx->ndefs; d++) {
        const sarx__def *def = ctx->defs[d].d;
        json_t *o = json_object(), *by = json_object(), *posc = json_array();
        for (k = 0; k < def->ncat; k++)
            if (def->cats[k].positive)
                json_array_append_new(posc, json_string(def->cats[k].name));
        json_object_set_new(o, "definition", json_string(def->id));
        json_object_set_new(o, "version", json_string(def->version));
        json_object_set_new(o, "positive_categories", posc);
        for (st = 0; st < sarx__cohort_nstrata(); st++) {
            long total = sarx__cohort_total(c, d, st), ind = sarx__cohort_count(c, d, st, -1);
            long decided = total - ind;
            json_t *s, *cats;
            if (!present(c, st))
                continue;
            s = json_object();
            cats = json_object();
            json_object_set_new(s, "n", json_integer(total));
            json_object_set_new(s, "indeterminate", json_integer(ind));
            json_object_set_new(s, "decided", json_integer(decided));
            json_object_set_new(s, "incomplete", json_integer(sarx__cohort_incomplete(c, d, st)));
            if (has_not_applicable(def))
                json_object_set_new(s, "not_applicable", json_integer(not_applicable(c, d, st)));
            for (k = 0; k < def->ncat; k++)
                json_object_set_new(cats, def->cats[k].name, prop(sarx__cohort_count(c, d, st, (int)k), decided));
            json_object_set_new(s, "categories", cats);
            json_object_set_new(s, "reading_decided", json_integer(sarx__cohort_reading(c, d, st)));
            json_object_set_new(s, "positive", prop(sarx__cohort_positive(c, d, st), sarx__cohort_reading(c, d, st)));
            json_object_set_new(by, sarx__cohort_stratum(st), s);
        }
        json_object_set_new(o, "by", by);
        json_array_append_new(defs, o);
    }
    json_object_set_new(root, "definitions", defs);
    for (d = 0; d < ctx->ndefs; d++)
        for (e = d + 1; e < ctx->ndefs; e++) {
            long t[4], n;
            sarx__cohort_agree(c, d, e, t);
            n = t[0] + t[1] + t[2] + t[3];
            double kap = sarx_kappa(t[0], t[1], t[2], t[3]);
            json_t *o = json_pack("{s:s,s:s,s:I,s:[[I,I],[I,I]]}", "a", ctx->defs[d].d->id, "b",
                                  ctx->defs[e].d->id, "n", (json_int_t)n, "table", (json_int_t)t[0],
                                  (json_int_t)t[1], (json_int_t)t[2], (json_int_t)t[3]);
            json_object_set_new(o, "agreement", n ? json_real((double)(t[0] + t[3]) / (double)n) : json_null());
            json_object_set_new(o, "kappa", isnan(kap) ? json_null() : json_real(kap));
            json_array_append_new(agree, o);
        }
    json_object_set_new(root, "agreement", agree);
    json_object_set_new(root, "agreement_note",
                        json_string("Cohen's kappa of the positive readings, on rows where both readings are "
                                    "decided; table = [[both, a only], [b only, neither]]"));
    json_object_set_new(root, "disclaimer", json_string(SARX__DISCLAIMER));
    out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(root);
    return out;
}

/* "23.4% (21.0-26.0)" or "-" */
static void pct(sarx__buf *b, long x, long n, int width)
{
    char t[64];
    double lo, hi;
    if (n <= 0) {
        sarx__printf(b, "%-*s", width, "-");
        return;
    }
    sarx_wilson(x, n, &lo, &hi);
    {
        char p[16], l[16], h[16];
        sarx__fmt(p, sizeof p, 'f', 1, 100.0 * (double)x / (double)n);
        sarx__fmt(l, sizeof l, 'f', 1, 100.0 * lo);
        sarx__fmt(h, sizeof h, 'f', 1, 100.0 * hi);
        snprintf(t, sizeof t, "%s (%s-%s)", p, l, h);
    }
    sarx__printf(b, "%-*s", width, t);
}

char *sarx_cohort_summary_text(const sarx_cohort *c)
{
    sarx__buf b = {0};
    const sarx_ctx *ctx;
    size_t d, e;
    int st, first = sarx__cohort_first_band();
    if (!c)
        return NULL;
    ctx = sarx__cohort_ctx(c);
    sarx__printf(&b, "sarx %s cohort: %ld rows classified, %ld rejected\n", sarx_version(), sarx_cohort_rows(c),
                 sarx_cohort_rejected(c));
    sarx__puts(&b, "Prevalence of the positive reading, % (95% Wilson CI), among rows where that reading is decided\n"
                   "(a positive category, or a complete result); 'undecided' rows are left out of the denominator,\n"
                   "and so are 'n/a' rows, where the definition does not apply (Fearon without cancer, Janssen\n"
                   "below 60): they are neither positive nor negative.\n\n");
    sarx__printf(&b, "%-16s %9s %9s %7s  %-20s", "definition", "decided", "undecided", "n/a", "all");
    for (st = first; st < sarx__cohort_nstrata() - 1; st++)
        if (present(c, st))
            sarx__printf(&b, "  %-20s", sarx__cohort_stratum(st));
    sarx__puts(&b, "\n");
    for (d = 0; d < ctx->ndefs; d++) {
        long total = sarx__cohort_total(c, d, 0), rd = sarx__cohort_reading(c, d, 0), na = not_applicable(c, d, 0);
        char nas[24];
        if (has_not_applicable(ctx->defs[d].d))
            snprintf(nas, sizeof nas, "%ld", na);
        else
            snprintf(nas, sizeof nas, "-");
        sarx__printf(&b, "%-16s %9ld %9ld %7s  ", ctx->defs[d].d->id, rd, total - rd - na, nas);
        pct(&b, sarx__cohort_positive(c, d, 0), rd, 20);
        for (st = first; st < sarx__cohort_nstrata() - 1; st++) {
            if (!present(c, st))
                continue;
            sarx__puts(&b, "  ");
            pct(&b, sarx__cohort_positive(c, d, st), sarx__cohort_reading(c, d, st), 20);
        }
        sarx__puts(&b, "\n");
    }
    sarx__puts(&b, "\nAgreement (Cohen's kappa of the positive readings; rows where both readings are decided;\n"
                   "columns numbered as the rows):\n");
    sarx__printf(&b, "%-20s", "");
    for (e = 0; e < ctx->ndefs; e++)
        sarx__printf(&b, " %6zu", e + 1);
    sarx__puts(&b, "\n");
    for (d = 0; d < ctx->ndefs; d++) {
        sarx__printf(&b, "%2zu %-17s", d + 1, ctx->defs[d].d->id);
        for (e = 0; e < ctx->ndefs; e++) {
            long t[4];
            double k;
            char v[16];
            if (d == e) {
                sarx__printf(&b, " %6s", "1");
                continue;
            }
            sarx__cohort_agree(c, d < e ? d : e, d < e ? e : d, t);
            k = sarx_kappa(t[0], t[1], t[2], t[3]);
            if (isnan(k))
                snprintf(v, sizeof v, "-");
            else
                sarx__fmt(v, sizeof v, 'f', 2, k);
            sarx__printf(&b, " %6s", v);
        }
        sarx__puts(&b, "\n");
    }
    sarx__printf(&b, "\n%s\n", SARX__DISCLAIMER);
    return sarx__buf_take(&b);
}
