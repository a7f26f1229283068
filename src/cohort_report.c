/*
** cohort_report.c — the cohort summary as JSON and as a text table, and two
** SVG plots written by hand (no plotting dependency): prevalence by
** definition and age band with 95 % Wilson intervals, and a heat map of
** Cohen's kappa between definitions.
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

/* ---- SVG ------------------------------------------------------------- */

static const char *const band_colour[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                                          "#a6761d", "#666666", "#1f78b4"};

#define svg_text sarx__svg_text

static void num(char *t, size_t n, double v) { sarx__fmt(t, n, 'f', 1, v); }

/* Prevalence (dot) with its 95 % CI (whisker) per definition (rows) and
** stratum (all + age bands present, as colours). */
char *sarx_cohort_svg_prevalence(const sarx_cohort *c)
{
    sarx__buf b = {0};
    const sarx_ctx *ctx;
    int st, shown[16], nshown = 0, i;
    size_t d;
    double left = 190, right = 40, top = 82, rowh, plotw = 620, W, H;
    char t1[32], t2[32], t3[32], t4[32];
    if (!c)
        return NULL;
    ctx = sarx__cohort_ctx(c);
    shown[nshown++] = 0;
    for (st = sarx__cohort_first_band(); st < sarx__cohort_nstrata() - 1 && nshown < 9; st++)
        if (present(c, st))
            shown[nshown++] = st;
    rowh = 12.0 * nshown + 10;
    W = left + plotw + right;
    H = top + rowh * (double)ctx->ndefs + 60;
    num(t1, sizeof t1, W);
    num(t2, sizeof t2, H);
    sarx__printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" "
                     "font-family=\"DejaVu Sans, Arial, sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" "
                     "fill=\"white\"/>\n", t1, t2, t1, t2);
    {
        char title[128];
        snprintf(title, sizeof title, "Prevalence by definition and age band, with 95%% Wilson CI (n = %ld)",
                 sarx_cohort_rows(c));
        svg_text(&b, W / 2, 24, "middle", 15, "bold", title);
    }
    /* Legend. */
    for (i = 0; i < nshown; i++) {
        double x = left + 90.0 * i;
        num(t1, sizeof t1, x);
        sarx__printf(&b, "<circle cx=\"%s\" cy=\"44\" r=\"4\" fill=\"%s\"/>\n", t1, band_colour[i]);
        svg_text(&b, x + 8, 48, "start", 11, "normal", shown[i] == 0 ? "all ages" : sarx__cohort_stratum(shown[i]));
    }
    /* Grid and axis. */
    for (i = 0; i <= 10; i++) {
        double x = left + plotw * i / 10.0;
        char lab[8];
        num(t1, sizeof t1, x);
        num(t2, sizeof t2, top - 4);
        num(t3, sizeof t3, top + rowh * (double)ctx->ndefs);
        sarx__printf(&b, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#dddddd\"/>\n", t1, t2, t1, t3);
        snprintf(lab, sizeof lab, "%d%%", i * 10);
        svg_text(&b, x, top + rowh * (double)ctx->ndefs + 16, "middle", 11, "normal", lab);
        svg_text(&b, x, top - 8, "middle", 11, "normal", lab); /* the same scale on top of a tall plot */
    }
    svg_text(&b, left + plotw / 2, H - 14, "middle", 12, "normal",
             "prevalence of the positive reading among rows where that reading is decided");
    for (d = 0; d < ctx->ndefs; d++) {
        double y0 = top + rowh * (double)d;
        if (d % 2 == 0) {
            num(t1, sizeof t1, y0);
            num(t2, sizeof t2, rowh);
            num(t3, sizeof t3, plotw);
            num(t4, sizeof t4, left);
            sarx__printf(&b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"#f4f6f8\"/>\n", t4, t1, t3, t2);
        }
        svg_text(&b, left - 8, y0 + rowh / 2 + 4, "end", 12, "normal", ctx->defs[d].d->id);
        for (i = 0; i < nshown; i++) {
            long n = sarx__cohort_reading(c, d, shown[i]), x = sarx__cohort_positive(c, d, shown[i]);
            double lo, hi, y = y0 + 8 + 12.0 * i;
            if (n <= 0)
                continue;
            sarx_wilson(x, n, &lo, &hi);
            num(t1, sizeof t1, left + plotw * lo);
            num(t2, sizeof t2, left + plotw * hi);
            num(t3, sizeof t3, y);
            sarx__printf(&b, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
                         t1, t3, t2, t3, band_colour[i]);
            num(t1, sizeof t1, left + plotw * (double)x / (double)n);
            sarx__printf(&b, "<circle cx=\"%s\" cy=\"%s\" r=\"3.5\" fill=\"%s\"><title>%s, %s: %ld/%ld</title>"
                             "</circle>\n",
                         t1, t3, band_colour[i], ctx->defs[d].d->id,
                         shown[i] == 0 ? "all ages" : sarx__cohort_stratum(shown[i]), x, n);
        }
    }
    sarx__puts(&b, "</svg>\n");
    return sarx__buf_take(&b);
}

/* Kappa heat map: blue for agreement, red for disagreement beyond chance. */
char *sarx_cohort_svg_agreement(const sarx_cohort *c)
{
    sarx__buf b = {0};
    const sarx_ctx *ctx;
    size_t d, e, nd;
    double cell = 38, left = 130, top = 150, W, H;
    char t1[32], t2[32], t3[32];
    if (!c)
        return NULL;
    ctx = sarx__cohort_ctx(c);
    nd = ctx->ndefs;
    W = left + cell * (double)nd + 30;
    H = top + cell * (double)nd + 50;
    num(t1, sizeof t1, W);
    num(t2, sizeof t2, H);
    sarx__printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" "
                     "font-family=\"DejaVu Sans, Arial, sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" "
                     "fill=\"white\"/>\n", t1, t2, t1, t2);
    svg_text(&b, W / 2, 24, "middle", 15, "bold", "Agreement between definitions (Cohen's kappa)");
    svg_text(&b, W / 2, 42, "middle", 11, "normal",
             "positive readings, rows where both readings are decided; grey = undefined");
    for (d = 0; d < nd; d++) {
        char tr[96];
        double x = left + cell * (double)d + cell / 2;
        num(t1, sizeof t1, x);
        num(t2, sizeof t2, top - 6);
        snprintf(tr, sizeof tr, "rotate(-55 %s %s)", t1, t2);
        sarx__printf(&b, "<g transform=\"%s\">", tr);
        svg_text(&b, x, top - 6, "start", 11, "normal", ctx->defs[d].d->id);
        sarx__puts(&b, "</g>\n");
        svg_text(&b, left - 6, top + cell * (double)d + cell / 2 + 4, "end", 11, "normal", ctx->defs[d].d->id);
    }
    for (d = 0; d < nd; d++)
        for (e = 0; e < nd; e++) {
            double k, x = left + cell * (double)e, y = top + cell * (double)d;
            char fill[32], lab[16];
            if (d == e) {
                k = 1.0;
            } else {
                long t[4];
                sarx__cohort_agree(c, d < e ? d : e, d < e ? e : d, t);
                k = sarx_kappa(t[0], t[1], t[2], t[3]);
            }
            if (isnan(k)) {
                snprintf(fill, sizeof fill, "#cccccc");
                snprintf(lab, sizeof lab, "-");
            } else {
                double a = k < 0 ? -k : k;
                int r = k < 0 ? 255 : (int)(255 - 222 * a), g = (int)(255 - (k < 0 ? 190 : 153) * a),
                    bl = k < 0 ? (int)(255 - 190 * a) : (int)(255 - 75 * a);
                snprintf(fill, sizeof fill, "#%02x%02x%02x", (unsigned)(r < 0 ? 0 : r) & 0xffu,
                         (unsigned)(g < 0 ? 0 : g) & 0xffu, (unsigned)(bl < 0 ? 0 : bl) & 0xffu);
                sarx__fmt(lab, sizeof lab, 'f', 2, k);
            }
            num(t1, sizeof t1, x);
            num(t2, sizeof t2, y);
            num(t3, sizeof t3, cell - 1);
            sarx__printf(&b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n", t1, t2, t3, t3,
                         fill);
            if (!isnan(k) && (k > 0.6 || k < -0.6)) /* light text on dark cells */
                sarx__puts(&b, "<g fill=\"white\">");
            svg_text(&b, x + cell / 2, y + cell / 2 + 4, "middle", 10, "normal", lab);
            if (!isnan(k) && (k > 0.6 || k < -0.6))
                sarx__puts(&b, "</g>\n");
        }
    sarx__puts(&b, "</svg>\n");
    return sarx__buf_take(&b);
}
