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

/* name into b as valid UTF-8: U+FFFD for each byte that is not part of a
** UTF-8 character (a Latin-1 header's "Gr\xF6\xDFe"); "" for NULL. */
static void utf8_shown(sarx__buf *b, const char *name)
{
    size_t i, n, l;
    sarx__puts(b, "");
    for (i = 0, n = name ? strlen(name) : 0; i < n; i += l)
        if ((l = sarx__utf8_len((const unsigned char *)name + i, n - i)) != 0)
            sarx__putn(b, name + i, l);
        else {
            sarx__puts(b, "\xEF\xBF\xBD");
            l = 1;
        }
}

char *sarx_cohort_summary_json(const sarx_cohort *c)
{
    const sarx_ctx *ctx;
    json_t *root, *defs, *agree, *ign, *strata, *kinds;
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
    kinds = json_object();
    json_object_set_new(root, "sarx_version", json_string(sarx_version()));
    json_object_set_new(root, "rows", json_integer(sarx_cohort_rows(c)));
    json_object_set_new(root, "rejected", json_integer(sarx_cohort_rejected(c)));
    for (k = 0; k < sarx_cohort_ignored_count(c); k++) { /* as the columns' names below: valid UTF-8 */
        sarx__buf shown = {0};
        utf8_shown(&shown, sarx_cohort_ignored(c, k));
        if (!shown.oom && shown.p)
            json_array_append_new(ign, json_string(shown.p));
        free(shown.p);
    }
    json_object_set_new(root, "ignored_columns", ign);
    { /* which column fed each field (docs/FILES.md); names are NULL in a clone.  A
      ** name that is not UTF-8 (a Latin-1 "Gr\xF6\xDFe") is shown with U+FFFD for
      ** each invalid byte, and a name shown like an earlier one gets its column
      ** number: every used column is in the object. */
        json_t *cols = json_object();
        for (k = 0; k < sarx__cohort_ncol(c); k++) {
            const char *name = sarx__cohort_column_name(c, k), *field = sarx_cohort_column_field(c, k);
            sarx__buf key = {0};
            if (!name || !field)
                continue;
            utf8_shown(&key, name);
            if (key.p && json_object_get(cols, key.p))
                sarx__printf(&key, " (column %zu)", k + 1);
            if (!key.oom && key.p)
                json_object_set_new(cols, key.p, json_string(field));
            free(key.p);
        }
        json_object_set_new(root, "columns", cols);
    }
    for (st = 0; st < sarx__cohort_nstrata(); st++)
        if (present(c, st)) {
            json_array_append_new(strata, json_string(sarx__cohort_stratum(st)));
            json_object_set_new(kinds, sarx__cohort_stratum(st), json_string(sarx__cohort_stratum_kind(st)));
        }
    json_object_set_new(root, "strata", strata);
    json_object_set_new(root, "stratum_kinds", kinds); /* so that a reader need not tell a sex from a band by name */
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

/* ---- the text table ---------------------------------------------------
**
** By default it fits a terminal of 100 columns, with every definition
** (tests/cli/cohort.sh checks each line): definitions are rows, by their
** ids; one block of counts and the prevalence over all rows, one by sex,
** one by age band (point estimates: their intervals are in the wide table
** and the JSON summary), the agreement as a lower triangle, and a key of
** what each definition counts as positive, in the report's words
** (sarx__category_words).  SARX_SUMMARY_WIDE: one row per definition with
** every stratum and its interval, and the whole agreement matrix. */
#define TEXT_WIDTH 100

/* The end of a line, without the padding of its last column. */
static void end_line(sarx__buf *b)
{
    while (b->n && b->p && b->p[b->n - 1] == ' ')
        b->n--;
    sarx__puts(b, "\n");
}

/* "23.4 (21.0-26.0)", or "-" without a denominator, in t[n]. */
static void pct_text(char *t, size_t n, long x, long of)
{
    char p[16], l[16], h[16];
    double lo, hi;
    if (of <= 0) {
        snprintf(t, n, "-");
        return;
    }
    sarx_wilson(x, of, &lo, &hi);
    sarx__fmt(p, sizeof p, 'f', 1, 100.0 * (double)x / (double)of);
    sarx__fmt(l, sizeof l, 'f', 1, 100.0 * lo);
    sarx__fmt(h, sizeof h, 'f', 1, 100.0 * hi);
    snprintf(t, n, "%s (%s-%s)", p, l, h);
}

static void pct(sarx__buf *b, long x, long n, int width)
{
    char t[64];
    pct_text(t, sizeof t, x, n);
    sarx__printf(b, "%-*s", width, t);
}

/* A kappa in four characters: two decimals without the leading zero, as
** for a correlation (".59", "-.28", "1.00"); -1 is "-1.0". */
static void kappa_short(char *t, size_t n, double k)
{
    char v[16];
    if (isnan(k)) {
        snprintf(t, n, "-");
        return;
    }
    if (k <= -0.995) {
        snprintf(t, n, "-1.0");
        return;
    }
    sarx__fmt(v, sizeof v, 'f', 2, k);
    if (v[0] == '0')
        snprintf(t, n, "%s", v + 1);
    else if (v[0] == '-' && v[1] == '0')
        snprintf(t, n, "-%s", v + 2);
    else
        snprintf(t, n, "%s", v);
}

static double kappa_of(const sarx_cohort *c, size_t d, size_t e)
{
    long t[4];
    sarx__cohort_agree(c, d < e ? d : e, d < e ? e : d, t);
    return sarx_kappa(t[0], t[1], t[2], t[3]);
}

static int id_width(const sarx_ctx *ctx)
{
    size_t d;
    int w = 10;
    for (d = 0; d < ctx->ndefs; d++)
        if ((int)strlen(ctx->defs[d].d->id) > w)
            w = (int)strlen(ctx->defs[d].d->id);
    return w;
}

/* The first columns of a definition's row: id, rows decided, undecided, n/a. */
static void counts(sarx__buf *b, const sarx_cohort *c, size_t d, int wid)
{
    long total = sarx__cohort_total(c, d, 0), rd = sarx__cohort_reading(c, d, 0), na = not_applicable(c, d, 0);
    char nas[24];
    if (has_not_applicable(sarx__cohort_ctx(c)->defs[d].d))
        snprintf(nas, sizeof nas, "%ld", na);
    else
        snprintf(nas, sizeof nas, "-");
    sarx__printf(b, "%-*s %8ld %9ld %7s", wid, sarx__cohort_ctx(c)->defs[d].d->id, rd, total - rd - na, nas);
}

static void preamble(sarx__buf *b, const sarx_cohort *c)
{
    sarx__printf(b, "sarx %s cohort: %ld rows classified, %ld rejected\n", sarx_version(), sarx_cohort_rows(c),
                 sarx_cohort_rejected(c));
    sarx__puts(b, "Prevalence of the positive reading, % (95% Wilson CI), among rows where that reading is decided\n"
                  "(a positive category, or a complete result); 'undecided' rows are left out of the denominator,\n"
                  "and so are 'n/a' rows, where the definition does not apply (Fearon without cancer, Janssen\n"
                  "below 60): they are neither positive nor negative.  The positive categories: the key below.\n\n");
}

/* What each definition counts as positive, in the report's words, wrapped
** to TEXT_WIDTH under its id. */
/* text word-wrapped to TEXT_WIDTH (the disclaimer is longer than a line). */
static void wrap(sarx__buf *b, const char *text)
{
    size_t col = 0;
    while (*text) {
        size_t n = strcspn(text, " ");
        if (col && col + 1 + n > TEXT_WIDTH) {
            sarx__puts(b, "\n");
            col = 0;
        } else if (col) {
            sarx__puts(b, " ");
            col++;
        }
        sarx__putn(b, text, n);
        col += n;
        text += n;
        text += strspn(text, " ");
    }
    sarx__puts(b, "\n");
}

static void key(sarx__buf *b, const sarx_ctx *ctx, int wid)
{
    size_t d, k;
    sarx__puts(b, "\nKey: each definition, and the categories its positive reading counts:\n");
    for (d = 0; d < ctx->ndefs; d++) {
        const sarx__def *def = ctx->defs[d].d;
        size_t col = (size_t)wid + 2 + strlen(def->title) + 1;
        int first = 1;
        sarx__printf(b, "%-*s  %s:", wid, def->id, def->title);
        for (k = 0; k < def->ncat; k++) {
            const char *w;
            if (!def->cats[k].positive)
                continue;
            w = sarx__category_words(def, (int)k);
            if (col + 2 + strlen(w) + 1 > TEXT_WIDTH) { /* (+1: the ';' that may follow) */
                sarx__printf(b, "%s\n%*s", first ? "" : ";", wid + 4, "");
                col = (size_t)wid + 4;
            } else if (!first) {
                sarx__puts(b, ";");
                col++;
            }
            sarx__printf(b, " %s", w);
            col += 1 + strlen(w);
            first = 0;
        }
        sarx__puts(b, "\n");
    }
}

static void table_wide(sarx__buf *b, const sarx_cohort *c, int wid)
{
    const sarx_ctx *ctx = sarx__cohort_ctx(c);
    size_t d, e;
    int st;
    sarx__printf(b, "%-*s %8s %9s %7s  %-20s", wid, "definition", "decided", "undecided", "n/a", "all");
    for (st = 1; st < sarx__cohort_nstrata(); st++)
        if (present(c, st))
            sarx__printf(b, "  %-20s", sarx__cohort_stratum(st));
    end_line(b);
    for (d = 0; d < ctx->ndefs; d++) {
        counts(b, c, d, wid);
        sarx__puts(b, "  ");
        pct(b, sarx__cohort_positive(c, d, 0), sarx__cohort_reading(c, d, 0), 20);
        for (st = 1; st < sarx__cohort_nstrata(); st++) {
            if (!present(c, st))
                continue;
            sarx__puts(b, "  ");
            pct(b, sarx__cohort_positive(c, d, st), sarx__cohort_reading(c, d, st), 20);
        }
        end_line(b);
    }
    sarx__puts(b, "\nAgreement (Cohen's kappa of the positive readings; rows where both readings are decided;\n"
                  "columns numbered as the rows):\n");
    sarx__printf(b, "%*s", wid + 3, "");
    for (e = 0; e < ctx->ndefs; e++)
        sarx__printf(b, " %6zu", e + 1);
    end_line(b);
    for (d = 0; d < ctx->ndefs; d++) {
        sarx__printf(b, "%2zu %-*s", d + 1, wid, ctx->defs[d].d->id);
        for (e = 0; e < ctx->ndefs; e++) {
            double k = d == e ? 1.0 : kappa_of(c, d, e);
            char v[16];
            if (d == e)
                snprintf(v, sizeof v, "1");
            else if (isnan(k))
                snprintf(v, sizeof v, "-");
            else
                sarx__fmt(v, sizeof v, 'f', 2, k);
            sarx__printf(b, " %6s", v);
        }
        end_line(b);
    }
}

static void table_narrow(sarx__buf *b, const sarx_cohort *c, int wid)
{
    const sarx_ctx *ctx = sarx__cohort_ctx(c);
    size_t d, e;
    int st, first = sarx__cohort_first_band();
    /* counts and all rows: 42 + 2 + 18 columns at most ("100.0 (99.8-100.0)") */
    sarx__printf(b, "%-*s %8s %9s %7s  %s\n", wid, "definition", "decided", "undecided", "n/a", "all");
    for (d = 0; d < ctx->ndefs; d++) {
        counts(b, c, d, wid);
        sarx__puts(b, "  ");
        pct(b, sarx__cohort_positive(c, d, 0), sarx__cohort_reading(c, d, 0), 0);
        end_line(b);
    }
    /* by sex: at most three strata of 18 */
    sarx__printf(b, "\nBy sex, %% (95%% Wilson CI)\n%-*s", wid, "definition");
    for (st = 1; st < first; st++)
        if (present(c, st))
            sarx__printf(b, "  %-18s", sarx__cohort_stratum(st));
    end_line(b);
    for (d = 0; d < ctx->ndefs; d++) {
        sarx__printf(b, "%-*s", wid, ctx->defs[d].d->id);
        for (st = 1; st < first; st++)
            if (present(c, st)) {
                sarx__puts(b, "  ");
                pct(b, sarx__cohort_positive(c, d, st), sarx__cohort_reading(c, d, st), 18);
            }
        end_line(b);
    }
    /* by age band: the estimates (7 characters each; "age unknown" 12) */
    sarx__printf(b, "\nBy age band, %% (the 95%% CIs: the wide table, or the JSON summary)\n%-*s", wid, "definition");
    for (st = first; st < sarx__cohort_nstrata(); st++)
        if (present(c, st))
            sarx__printf(b, " %*s", st == sarx__cohort_nstrata() - 1 ? 11 : 6, sarx__cohort_stratum(st));
    end_line(b);
    for (d = 0; d < ctx->ndefs; d++) {
        sarx__printf(b, "%-*s", wid, ctx->defs[d].d->id);
        for (st = first; st < sarx__cohort_nstrata(); st++) {
            long x = sarx__cohort_positive(c, d, st), n = sarx__cohort_reading(c, d, st);
            char v[16];
            if (!present(c, st))
                continue;
            if (n > 0)
                sarx__fmt(v, sizeof v, 'f', 1, 100.0 * (double)x / (double)n);
            else
                snprintf(v, sizeof v, "-");
            sarx__printf(b, " %*s", st == sarx__cohort_nstrata() - 1 ? 11 : 6, v);
        }
        end_line(b);
    }
    /* agreement: the lower triangle, 5 characters a column */
    sarx__puts(b, "\nAgreement (Cohen's kappa of the positive readings, on rows where both readings are decided;\n"
                  "columns numbered as the rows; the whole matrix with leading zeros: the wide table):\n");
    sarx__printf(b, "%*s", wid + 3, "");
    for (e = 0; e + 1 < ctx->ndefs; e++)
        sarx__printf(b, " %4zu", e + 1);
    end_line(b);
    for (d = 0; d < ctx->ndefs; d++) {
        sarx__printf(b, "%2zu %-*s", d + 1, wid, ctx->defs[d].d->id);
        for (e = 0; e < d; e++) {
            char v[16];
            kappa_short(v, sizeof v, kappa_of(c, d, e));
            sarx__printf(b, " %4s", v);
        }
        end_line(b);
    }
}

char *sarx_cohort_summary_text_ex(const sarx_cohort *c, unsigned flags)
{
    sarx__buf b = {0};
    int wid;
    if (!c)
        return NULL;
    wid = id_width(sarx__cohort_ctx(c));
    preamble(&b, c);
    if (flags & SARX_SUMMARY_WIDE)
        table_wide(&b, c, wid);
    else
        table_narrow(&b, c, wid);
    key(&b, sarx__cohort_ctx(c), wid);
    sarx__puts(&b, "\n");
    wrap(&b, SARX__DISCLAIMER);
    return sarx__buf_take(&b);
}

char *sarx_cohort_summary_text(const sarx_cohort *c) { return sarx_cohort_summary_text_ex(c, 0); }
