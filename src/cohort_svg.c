/*
** cohort_svg.c — the cohort's two SVG plots, written by hand (no plotting
** dependency): prevalence by definition and age band with 95 % Wilson
** intervals, and a heat map of Cohen's kappa between definitions.
*/
#include "internal.h"

#include <stdio.h>
#include <string.h>

static int present(const sarx_cohort *c, int st) { return sarx__cohort_total(c, 0, st) > 0; }

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
