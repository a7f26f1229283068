/*
** plot.c — a simulated trajectory as SVG small multiples: muscle mass,
** strength, power, rate of force development, motor units and the type I
** fibre fraction against age (or days, for a short intervention), with the
** same person without the intervention as a dashed line.
*/
#include "sim.h"

#include <string.h>

static const struct panel {
    const char *column, *title;
    double lo, hi; /* fixed y range, or lo > hi for automatic */
} panels[] = {
    {"muscle_mass_rel", "Muscle mass (relative)", 1, 0},
    {"max_force_rel", "Maximal force (relative)", 1, 0},
    {"power_rel", "Peak power (relative)", 1, 0},
    {"rfd_rel", "Rate of force development (relative)", 1, 0},
    {"motor_units", "Motor units", 1, 0},
    {"type1_fiber_fraction", "Type I fibre fraction", 0, 1},
};

static size_t column(const char *name)
{
    size_t k;
    for (k = 0; k < sarx_sim_column_count(); k++)
        if (strcmp(sarx_sim_column_name(k), name) == 0)
            return k;
    return 0;
}

static void fmt(char *t, size_t n, double v) { sarx__fmt(t, n, 'f', 1, v); }

/* A "nice" tick step for a range. */
static double tick_step(double span)
{
    double raw = span / 4, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void line(sarx__buf *b, const sarx_sim_result *r, size_t cx, size_t cy, double x0, double xscale,
                 double px, double py, double pw, double ph, double xlo, double xhi, double ylo, double yhi,
                 const char *style)
{
    size_t i, n = sarx_sim_result_rows(r);
    int first = 1;
    sarx__printf(b, "<polyline fill=\"none\" %s points=\"", style);
    for (i = 0; i < n; i++) {
        double x = (sarx_sim_result_value(r, i, cx) - x0) * xscale, y = sarx_sim_result_value(r, i, cy);
        char xs[32], ys[32];
        if (!(y == y) || x < xlo - 1e-9 || x > xhi + 1e-9)
            continue;
        fmt(xs, sizeof xs, px + (x - xlo) / (xhi - xlo) * pw);
        fmt(ys, sizeof ys, py + ph - (y - ylo) / (yhi - ylo) * ph);
        sarx__printf(b, "%s%s,%s", first ? "" : " ", xs, ys);
        first = 0;
    }
    sarx__puts(b, "\"/>\n");
}

char *sarx_sim_svg(const sarx_sim_result *r, const sarx_sim_result *baseline, const char *title)
{
    sarx__buf b = {0};
    const double W = 960, cols = 3, pw = 250, ph = 190, left = 60, top = 70, gapx = 70, gapy = 80;
    size_t cx = column("age_years"), k, i, n;
    double xlo, xhi, x0 = 0, xscale = 1;
    int days;
    char t1[32], t2[32];
    if (!r || (n = sarx_sim_result_rows(r)) == 0)
        return NULL;
    xlo = sarx_sim_result_value(r, 0, cx);
    xhi = sarx_sim_result_value(r, n - 1, cx);
    days = xhi - xlo < 2;
    if (days) { /* a short intervention: days since its start */
        x0 = xlo;
        xscale = 365.25;
        xhi = (xhi - xlo) * xscale;
        xlo = 0;
    }
    if (!(xhi > xlo))
        xhi = xlo + 1;
    sarx__printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"640\" viewBox=\"0 0 960 640\" "
                     "font-family=\"sans-serif\">\n<rect width=\"960\" height=\"640\" fill=\"white\"/>\n");
    sarx__svg_text(&b, W / 2, 26, "middle", 16, "bold", title ? title : "Simulated trajectory");
    sarx__svg_text(&b, W / 2, 46, "middle", 11, "normal",
                   baseline ? "solid: with the intervention; dashed: the same person without it. A model, not a "
                              "prediction (docs/SIMULATOR.md)."
                            : "A model, not a prediction (docs/SIMULATOR.md).");
    for (k = 0; k < sizeof panels / sizeof panels[0]; k++) {
        const struct panel *pn = &panels[k];
        size_t cy = column(pn->column);
        double px = left + (double)(k % (size_t)cols) * (pw + gapx), py = top + (double)(k / (size_t)cols) * (ph + gapy);
        double ylo = pn->lo, yhi = pn->hi, step, v;
        const sarx_sim_result *both[2];
        int j;
        both[0] = r;
        both[1] = baseline;
        if (ylo > yhi) { /* automatic: from 0 (or a little below the data) to a little above */
            ylo = 1e300, yhi = -1e300;
            for (j = 0; j < 2; j++)
                for (i = 0; both[j] && i < sarx_sim_result_rows(both[j]); i++) {
                    double y = sarx_sim_result_value(both[j], i, cy);
                    if (y == y) {
                        ylo = y < ylo ? y : ylo;
                        yhi = y > yhi ? y : yhi;
                    }
                }
            if (!(yhi >= ylo))
                ylo = 0, yhi = 1;
            if (days) { /* short: zoom on the change */
                double pad = (yhi - ylo) * 0.15 + 1e-3;
                ylo -= pad;
                yhi += pad;
            } else {
                ylo = 0;
                yhi = yhi * 1.08 + 1e-9;
            }
        }
        sarx__svg_text(&b, px + pw / 2, py - 10, "middle", 12, "bold", pn->title);
        fmt(t1, sizeof t1, px);
        fmt(t2, sizeof t2, py);
        sarx__printf(&b, "<rect x=\"%s\" y=\"%s\" width=\"250\" height=\"190\" fill=\"none\" stroke=\"#999\"/>\n", t1,
                     t2);
        step = tick_step(yhi - ylo);
        for (v = ceil(ylo / step) * step; v <= yhi + 1e-12; v += step) {
            char lab[32], ys[32];
            double y = py + ph - (v - ylo) / (yhi - ylo) * ph;
            sarx__fmt(lab, sizeof lab, 'g', 3, fabs(v) < 1e-12 ? 0 : v);
            fmt(ys, sizeof ys, y);
            sarx__printf(&b, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#eee\"/>\n", t1,
                         (fmt(t2, sizeof t2, px + pw), t2), ys, ys);
            sarx__svg_text(&b, px - 6, y + 4, "end", 10, "normal", lab);
        }
        step = tick_step(xhi - xlo);
        for (v = ceil(xlo / step) * step; v <= xhi + 1e-9; v += step) {
            char lab[32];
            sarx__fmt(lab, sizeof lab, 'g', 4, v);
            sarx__svg_text(&b, px + (v - xlo) / (xhi - xlo) * pw, py + ph + 14, "middle", 10, "normal", lab);
        }
        sarx__svg_text(&b, px + pw / 2, py + ph + 30, "middle", 10, "normal", days ? "days" : "age (years)");
        if (baseline)
            line(&b, baseline, cx, cy, x0, xscale, px, py, pw, ph, xlo, xhi, ylo, yhi,
                 "stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"5,4\"");
        line(&b, r, cx, cy, x0, xscale, px, py, pw, ph, xlo, xhi, ylo, yhi, "stroke=\"#1f78b4\" stroke-width=\"2\"");
    }
    sarx__puts(&b, "</svg>\n");
    return sarx__buf_take(&b);
}
