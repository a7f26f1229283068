/*
** cohort_svg.c — the cohort's two SVG plots, written by hand (no plotting
** dependency): prevalence by definition and age band with 95 % Wilson
** intervals, and a heat map of Cohen's kappa between definitions.
**
** Both are drawn for a journal page: 180 mm wide (a two-column figure),
** user units of one point (viewBox 510.24 wide), so a font-size is its
** printed size in pt and none is under 7; text stays text; definitions
** are named by their titles and strata in words.  Age bands differ by
** marker shape as well as colour (the Okabe-Ito palette, safe for the
** common colour-vision deficiencies; a figure printed in grey still
** reads).
*/
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define PAGE_W 510.24 /* 180 mm in pt */
#define FONT "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

static int present(const sarx_cohort *c, int st) { return sarx__cohort_total(c, 0, st) > 0; }

/* Okabe & Ito (2008), in their order; black for all ages. */
static const char *const band_colour[] = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442",
                                          "#0072B2", "#D55E00", "#CC79A7"};
#define MAX_SHOWN ((int)(sizeof band_colour / sizeof band_colour[0]))

#define svg_text sarx__svg_text

static void num(char *t, size_t n, double v) { sarx__fmt(t, n, 'f', 1, v); }
static void num2(char *t, size_t n, double v) { sarx__fmt(t, n, 'f', 2, v); }

/* The width of a string in a sans-serif face, roughly (0.56 em a
** character): enough to leave room for labels, never to place them to
** the point. */
static double text_w(const char *s, double size) { return 0.56 * size * (double)strlen(s); }

#define xml_put sarx__xml_put

/* A stratum in words: "all ages", "women", "men", "70-79 years". */
static void stratum_label(int st, char *out, size_t n)
{
    const char *s = st == 0 ? "all ages" : sarx__cohort_stratum(st);
    if (strcmp(s, "male") == 0)
        s = "men";
    else if (strcmp(s, "female") == 0)
        s = "women";
    if (s[0] >= '0' && s[0] <= '9')
        snprintf(out, n, "%s years", s);
    else
        snprintf(out, n, "%s", s);
}

/* The svg element: 180 mm wide, the height to scale, in pt user units. */
static void svg_open(sarx__buf *b, double h, const char *label)
{
    char w[32], hs[32], wmm[32], hmm[32];
    num2(w, sizeof w, PAGE_W);
    num(hs, sizeof hs, h);
    num(wmm, sizeof wmm, 180.0);
    num(hmm, sizeof hmm, h * 25.4 / 72.0);
    sarx__printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%smm\" height=\"%smm\" viewBox=\"0 0 %s %s\" "
                    "font-family=\"%s\" role=\"img\" aria-label=\"%s\">\n<rect width=\"100%%\" height=\"100%%\" "
                    "fill=\"white\"/>\n", wmm, hmm, w, hs, FONT, label);
}

/* A marker centred on (x, y), radius about r: shape k of eight.  A
** polygon is written as one absolute move and relative lines, so the same
** shape has the same path after its first point wherever it is. */
static void marker(sarx__buf *b, int k, double x, double y, double r, const char *fill)
{
    static const struct {
        int n;
        double p[12][2]; /* vertices on a unit radius, y down */
    } shape[] = {
        {0, {{0, 0}}},                                                      /* circle */
        {4, {{-0.85, -0.85}, {0.85, -0.85}, {0.85, 0.85}, {-0.85, 0.85}}}, /* square */
        {3, {{0, -1.2}, {1.04, 0.6}, {-1.04, 0.6}}},                       /* triangle up */
        {4, {{0, -1.25}, {1.0, 0}, {0, 1.25}, {-1.0, 0}}},                 /* diamond */
        {3, {{0, 1.2}, {-1.04, -0.6}, {1.04, -0.6}}},                      /* triangle down */
        {12, {{-0.35, -1.05}, {0.35, -1.05}, {0.35, -0.35}, {1.05, -0.35}, {1.05, 0.35}, {0.35, 0.35},
              {0.35, 1.05}, {-0.35, 1.05}, {-0.35, 0.35}, {-1.05, 0.35}, {-1.05, -0.35}, {-0.35, -0.35}}}, /* plus */
        {5, {{0, -1.1}, {1.05, -0.34}, {0.65, 0.89}, {-0.65, 0.89}, {-1.05, -0.34}}}, /* pentagon */
        {6, {{0.5, -0.95}, {1.05, 0}, {0.5, 0.95}, {-0.5, 0.95}, {-1.05, 0}, {-0.5, -0.95}}}, /* hexagon */
    };
    char a[32], c[32], d[32];
    int i;
    k %= (int)(sizeof shape / sizeof shape[0]);
    if (shape[k].n == 0) {
        num2(a, sizeof a, x - r);
        num2(c, sizeof c, y);
        num2(d, sizeof d, r);
        sarx__printf(b, "<path class=\"marker\" d=\"M%s %s a%s %s 0 1 0 ", a, c, d, d);
        num2(a, sizeof a, 2 * r);
        sarx__printf(b, "%s 0 a%s %s 0 1 0 -%s 0z\"", a, d, d, a);
    } else {
        num2(a, sizeof a, x + r * shape[k].p[0][0]);
        num2(c, sizeof c, y + r * shape[k].p[0][1]);
        sarx__printf(b, "<path class=\"marker\" d=\"M%s %s", a, c);
        for (i = 1; i < shape[k].n; i++) {
            num2(a, sizeof a, r * (shape[k].p[i][0] - shape[k].p[i - 1][0]));
            num2(c, sizeof c, r * (shape[k].p[i][1] - shape[k].p[i - 1][1]));
            sarx__printf(b, " l%s %s", a, c);
        }
        sarx__puts(b, "z\"");
    }
    sarx__printf(b, " fill=\"%s\" stroke=\"#333333\" stroke-width=\"0.4\"", fill);
}

/* Axis ticks at 1-2-5 steps over [0, hi]: the step and the number of steps. */
static int nice_ticks(double hi, int target, double *step)
{
    double raw = hi / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
    *step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
    return (int)ceil(hi / *step - 1e-9);
}

/* Prevalence (marker) with its 95 % CI (whisker) per definition (rows) and
** stratum (all + age bands present: a colour and a shape each). */
char *sarx_cohort_svg_prevalence(const sarx_cohort *c)
{
    sarx__buf b = {0};
    const sarx_ctx *ctx;
    int st, shown[MAX_SHOWN], nshown = 0, i, nt, dec;
    size_t d;
    const double right = 14, pitch = 5.6, gap = 7, top_pad = 16;
    double left = 0, top, rowh, plotw, H, legend_y = 32, lx, xmax = 0, step;
    char t1[32], t2[32], t3[32], t4[32], lab[64];
    if (!c)
        return NULL;
    ctx = sarx__cohort_ctx(c);
    shown[nshown++] = 0;
    for (st = sarx__cohort_first_band(); st < sarx__cohort_nstrata() - 1 && nshown < MAX_SHOWN; st++)
        if (present(c, st))
            shown[nshown++] = st;
    /* the axis: to the highest upper limit, in nice steps of about a fifth */
    for (d = 0; d < ctx->ndefs; d++) {
        left = fmax(left, text_w(ctx->defs[d].d->title, 8) + 10);
        for (i = 0; i < nshown; i++) {
            long n = sarx__cohort_reading(c, d, shown[i]), x = sarx__cohort_positive(c, d, shown[i]);
            double lo, hi;
            if (n > 0) {
                sarx_wilson(x, n, &lo, &hi);
                xmax = fmax(xmax, hi);
            }
        }
    }
    left = fmin(left, 190);
    plotw = PAGE_W - left - right;
    nt = nice_ticks(fmax(xmax * 100, 1), 5, &step);
    dec = step < 1 ? (int)ceil(-log10(step) - 1e-9) : 0;
    /* the legend: wrapped to the page */
    lx = left;
    for (i = 0; i < nshown; i++) {
        stratum_label(shown[i], lab, sizeof lab);
        if (lx + 12 + text_w(lab, 8) > PAGE_W - right && lx > left) {
            lx = left;
            legend_y += 12;
        }
        lx += 12 + text_w(lab, 8) + 10;
    }
    top = legend_y + 12 + top_pad;
    rowh = pitch * nshown + gap;
    H = top + rowh * (double)ctx->ndefs + 40;
    svg_open(&b, H, "Prevalence by definition and age band");
    {
        char title[128];
        snprintf(title, sizeof title, "Prevalence by definition and age band, with 95%% Wilson CI (n = %ld)",
                 sarx_cohort_rows(c));
        svg_text(&b, PAGE_W / 2, 14, "middle", 9, "bold", title);
    }
    /* Legend: the shape and the colour of each stratum. */
    lx = left;
    legend_y = 32;
    for (i = 0; i < nshown; i++) {
        stratum_label(shown[i], lab, sizeof lab);
        if (lx + 12 + text_w(lab, 8) > PAGE_W - right && lx > left) {
            lx = left;
            legend_y += 12;
        }
        sarx__puts(&b, "<g class=\"legend\" data-stratum=\"");
        xml_put(&b, lab);
        sarx__puts(&b, "\">");
        marker(&b, i, lx + 4, legend_y - 3, 2.6, band_colour[i]);
        sarx__puts(&b, "/>");
        svg_text(&b, lx + 10, legend_y, "start", 8, "normal", lab);
        sarx__puts(&b, "</g>\n");
        lx += 12 + text_w(lab, 8) + 10;
    }
    /* Grid and axis, the same scale above and below a tall plot. */
    sarx__puts(&b, "<g class=\"xticks\">\n");
    for (i = 0; i <= nt; i++) {
        double v = step * i, x = left + plotw * v / (step * nt);
        sarx__fmt(lab, sizeof lab - 1, 'f', dec, v);
        strcat(lab, "%");
        num(t1, sizeof t1, x);
        num(t2, sizeof t2, top - 4);
        num(t3, sizeof t3, top + rowh * (double)ctx->ndefs);
        sarx__printf(&b, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#dddddd\" stroke-width=\"0.5\"/>\n",
                     t1, t2, t1, t3);
        svg_text(&b, x, top + rowh * (double)ctx->ndefs + 10, "middle", 7, "normal", lab);
    }
    sarx__puts(&b, "</g>\n");
    if (ctx->ndefs > 4) {
        sarx__puts(&b, "<g class=\"xticks-top\">\n");
        for (i = 0; i <= nt; i++) {
            sarx__fmt(lab, sizeof lab - 1, 'f', dec, step * i);
            strcat(lab, "%");
            svg_text(&b, left + plotw * i / nt, top - 7, "middle", 7, "normal", lab);
        }
        sarx__puts(&b, "</g>\n");
    }
    svg_text(&b, left + plotw / 2, top + rowh * (double)ctx->ndefs + 24, "middle", 8, "normal",
             "Prevalence (%) of a positive reading, among rows where that reading is decided");
    for (d = 0; d < ctx->ndefs; d++) {
        double y0 = top + rowh * (double)d;
        const char *title = ctx->defs[d].d->title;
        if (d % 2 == 0) {
            num(t1, sizeof t1, y0);
            num(t2, sizeof t2, rowh);
            num(t3, sizeof t3, plotw);
            num(t4, sizeof t4, left);
            sarx__printf(&b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"#f4f6f8\"/>\n", t4, t1, t3, t2);
        }
        /* the id only as data, for tools: the reader sees the title */
        sarx__printf(&b, "<g class=\"definition\" data-definition=\"%s\">\n", ctx->defs[d].d->id);
        svg_text(&b, left - 6, y0 + rowh / 2 + 3, "end", 8, "normal", title);
        if (sarx__cohort_reading(c, d, 0) <= 0) { /* say so, rather than leave the row blank */
            sarx__puts(&b, "<g fill=\"#666666\">");
            svg_text(&b, left + 4, y0 + rowh / 2 + 3, "start", 7, "normal", "no row with a decided reading");
            sarx__puts(&b, "</g>\n");
        }
        for (i = 0; i < nshown; i++) {
            long n = sarx__cohort_reading(c, d, shown[i]), x = sarx__cohort_positive(c, d, shown[i]);
            double lo, hi, y = y0 + gap / 2 + pitch * (i + 0.5), scale = plotw / (step * nt / 100);
            if (n <= 0)
                continue;
            sarx_wilson(x, n, &lo, &hi);
            num(t1, sizeof t1, left + scale * lo);
            num(t2, sizeof t2, left + scale * hi);
            num(t3, sizeof t3, y);
            sarx__printf(&b, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", t1,
                         t3, t2, t3, band_colour[i]);
            stratum_label(shown[i], lab, sizeof lab);
            marker(&b, i, left + scale * (double)x / (double)n, y, 2.6, band_colour[i]);
            sarx__puts(&b, "><title>");
            xml_put(&b, title);
            sarx__printf(&b, ", %s: %ld/%ld</title></path>\n", lab, x, n);
        }
        sarx__puts(&b, "</g>\n");
    }
    sarx__puts(&b, "</svg>\n");
    return sarx__buf_take(&b);
}

/* Kappa heat map: blue for agreement, red for disagreement beyond chance
** (a diverging scale that reads under the usual colour-vision
** deficiencies, and in grey by its lightness). */
char *sarx_cohort_svg_agreement(const sarx_cohort *c)
{
    sarx__buf b = {0};
    const sarx_ctx *ctx;
    size_t d, e, nd;
    double cell, left = 0, head = 0, top, H;
    int fs;
    char t1[32], t2[32], t3[32];
    if (!c)
        return NULL;
    ctx = sarx__cohort_ctx(c);
    nd = ctx->ndefs;
    for (d = 0; d < nd; d++)
        left = fmax(left, text_w(ctx->defs[d].d->title, 7) + 8);
    left = fmin(left, 200);
    cell = nd ? fmin(34, (PAGE_W - left - 24) / (double)nd) : 34;
    fs = cell >= 20 ? 8 : 7;
    /* column titles upright (rotated -90 degrees): as tall as the longest
    ** title is wide, and none runs past the page's edge */
    head = left + 4;
    top = 44 + head;
    H = top + cell * (double)nd + 16;
    svg_open(&b, H, "Agreement between definitions, Cohen's kappa");
    svg_text(&b, PAGE_W / 2, 14, "middle", 9, "bold", "Agreement between definitions (Cohen's kappa)");
    svg_text(&b, PAGE_W / 2, 27, "middle", 7, "normal",
             "positive readings, among rows where both readings are decided; grey: kappa undefined");
    for (d = 0; d < nd; d++) {
        char tr[96];
        double x = left + cell * (double)d + cell / 2 + 2.5;
        num(t1, sizeof t1, x);
        num(t2, sizeof t2, top - 5);
        snprintf(tr, sizeof tr, "rotate(-90 %s %s)", t1, t2);
        sarx__printf(&b, "<g transform=\"%s\">", tr);
        svg_text(&b, x, top - 5, "start", 7, "normal", ctx->defs[d].d->title);
        sarx__puts(&b, "</g>\n");
        svg_text(&b, left - 5, top + cell * (double)d + cell / 2 + 2.5, "end", 7, "normal", ctx->defs[d].d->title);
    }
    for (d = 0; d < nd; d++)
        for (e = 0; e < nd; e++) {
            double k, x = left + cell * (double)e, y = top + cell * (double)d;
            char fill[32], lab[16];
            if (d == e) {
                /* a definition against itself: 1 when both of its readings
                ** occur, undefined (grey) when none is decided or all
                ** agree; never a 1.00 made of nothing */
                long n = sarx__cohort_reading(c, d, 0), pos = sarx__cohort_positive(c, d, 0);
                k = sarx_kappa(pos, 0, 0, n - pos);
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
                if (cell < 24) { /* ".62", "-.05": a narrow cell keeps 2 decimals at 7 pt */
                    char *p = lab + (lab[0] == '-');
                    if (p[0] == '0')
                        memmove(p, p + 1, strlen(p));
                }
            }
            num(t1, sizeof t1, x);
            num(t2, sizeof t2, y);
            num(t3, sizeof t3, cell - 0.8);
            /* the pair as data, for tools: the reader sees the titles */
            sarx__printf(&b, "<rect class=\"cell\" data-row=\"%s\" data-column=\"%s\" x=\"%s\" y=\"%s\" width=\"%s\" "
                             "height=\"%s\" fill=\"%s\"/>\n", ctx->defs[d].d->id, ctx->defs[e].d->id, t1, t2, t3, t3, fill);
            if (!isnan(k) && (k > 0.6 || k < -0.6)) /* light text on dark cells */
                sarx__puts(&b, "<g fill=\"white\">");
            svg_text(&b, x + cell / 2, y + cell / 2 + fs * 0.35, "middle", fs, "normal", lab);
            if (!isnan(k) && (k > 0.6 || k < -0.6))
                sarx__puts(&b, "</g>\n");
        }
    sarx__puts(&b, "</svg>\n");
    return sarx__buf_take(&b);
}
