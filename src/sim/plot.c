/*
** plot.c — a simulated trajectory as SVG small multiples: muscle mass,
** strength, power, rate of force development, motor units and the type I
** fibre fraction against age (or days, for a short intervention), with the
** same person without the intervention as a dashed line and the
** scenario's interventions shaded.
**
** Drawn for a journal page, like the cohort's plots: 180 mm wide, user
** units of one point, no font under 7 pt, text as text.  Axis ticks are
** 1-2-5 steps over the data's range, labelled with as many decimals as the
** step needs, so that no two ticks read the same (a flat motor-unit count
** once read "83" on every tick).
*/
#include "sim.h"

#include <stdio.h>
#include <string.h>

#define PAGE_W 510.24 /* 180 mm in pt */
#define FONT "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
#define DAYS_PER_YEAR 365.25

static const struct panel {
    const char *column, *title, *unit; /* unit NULL: relative (to age 25, or to the start) */
    int count;                          /* whole numbers: no tick step under 1 */
    double lo, hi;                      /* fixed y range, or lo > hi for automatic */
} panels[] = {
    {"muscle_mass_rel", "Muscle mass", NULL, 0, 1, 0},
    {"max_force_rel", "Maximal force", NULL, 0, 1, 0},
    {"power_rel", "Peak power", NULL, 0, 1, 0},
    {"rfd_rel", "Rate of force development", NULL, 0, 1, 0},
    {"motor_units", "Motor units", "count", 1, 1, 0},
    {"type1_fiber_fraction", "Type I fibres", "fraction of all fibres", 0, 0, 1},
};

static const char *const iv_words[SARX__IV_COUNT] = {"resistance training", "bed rest", "immobilisation",
                                                     "microgravity", "protein intake", "inflammation",
                                                     "hormone change", "activity change"};

static size_t column(const char *name)
{
    size_t k;
    for (k = 0; k < sarx_sim_column_count(); k++)
        if (strcmp(sarx_sim_column_name(k), name) == 0)
            return k;
    return 0;
}

static void fmt(char *t, size_t n, double v) { sarx__fmt(t, n, 'f', 1, v); }

/* Ticks at a 1-2-5 step: about `target` intervals over [lo, hi], the
** first at or below lo when `extend` (the axis then runs from tick to
** tick), else the ticks inside [lo, hi]; labelled with the decimals the
** step needs. */
typedef struct ticks {
    double step, first;
    int n, dec; /* n + 1 ticks */
} ticks;

static ticks nice_ticks(double lo, double hi, int target, int count, int extend)
{
    ticks t;
    double raw = (hi - lo) / target, mag, f;
    if (!(raw > 0))
        raw = 1e-9;
    mag = pow(10, floor(log10(raw)));
    f = raw / mag;
    t.step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
    if (count && t.step < 1)
        t.step = 1;
    if (extend) {
        t.first = floor(lo / t.step + 1e-9) * t.step;
        t.n = (int)ceil((hi - t.first) / t.step - 1e-9);
    } else {
        t.first = ceil(lo / t.step - 1e-9) * t.step;
        t.n = (int)floor((hi - t.first) / t.step + 1e-9);
    }
    if (t.n < 1)
        t.n = 1;
    t.dec = t.step < 1 ? (int)ceil(-log10(t.step) - 1e-9) : 0;
    return t;
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
        sarx__fmt(xs, sizeof xs, 'f', 2, px + (x - xlo) / (xhi - xlo) * pw);
        sarx__fmt(ys, sizeof ys, 'f', 2, py + ph - (y - ylo) / (yhi - ylo) * ph);
        sarx__printf(b, "%s%s,%s", first ? "" : " ", xs, ys);
        first = 0;
    }
    sarx__puts(b, "\"/>\n");
}

/* An intervention in words: "bed rest, 14 days from 30 years". */
static void iv_label(const sarx__intervention *iv, char *out, size_t n)
{
    char d[32], a[32];
    sarx__fmt(d, sizeof d, 'g', 4, iv->days);
    sarx__fmt(a, sizeof a, 'g', 4, iv->start_age);
    snprintf(out, n, "%s, %s days from %s years", iv->kind >= 0 && iv->kind < SARX__IV_COUNT ? iv_words[iv->kind]
                                                                                             : "intervention",
             d, a);
}

/* The scenario's interventions over one panel: a shaded span, or a line
** when the span is narrower than a point; labelled in the first panel. */
static void interventions(sarx__buf *b, const sarx_scenario *sc, int days, double x0, double px, double py,
                          double pw, double ph, double xlo, double xhi, int label)
{
    int i;
    double last_label_end = -1e300;
    for (i = 0; sc && i < sc->niv; i++) {
        const sarx__intervention *iv = &sc->iv[i];
        double a0 = iv->start_age, a1 = iv->start_age + iv->days / DAYS_PER_YEAR, s0, s1;
        char t1[32], t2[32], t3[32], t4[32], what[128];
        if (days) {
            a0 = (a0 - x0) * DAYS_PER_YEAR;
            a1 = (a1 - x0) * DAYS_PER_YEAR;
        }
        if (a1 < xlo || a0 > xhi)
            continue;
        s0 = px + (fmax(a0, xlo) - xlo) / (xhi - xlo) * pw;
        s1 = px + (fmin(a1, xhi) - xlo) / (xhi - xlo) * pw;
        iv_label(iv, what, sizeof what);
        fmt(t1, sizeof t1, s0);
        fmt(t2, sizeof t2, py);
        fmt(t4, sizeof t4, ph);
        if (s1 - s0 < 1.2) {
            fmt(t3, sizeof t3, py + ph);
            sarx__printf(b, "<line class=\"intervention\" x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#E69F00\" "
                            "stroke-width=\"1.2\"><title>%s</title></line>\n", t1, t1, t2, t3, what);
        } else {
            fmt(t3, sizeof t3, s1 - s0);
            sarx__printf(b, "<rect class=\"intervention\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
                            "fill=\"#E69F00\" fill-opacity=\"0.2\"><title>%s</title></rect>\n", t1, t2, t3, t4, what);
        }
        if (label && s0 > last_label_end) { /* the next label only where this one ends */
            const char *w = iv->kind >= 0 && iv->kind < SARX__IV_COUNT ? iv_words[iv->kind] : "intervention";
            sarx__puts(b, "<g class=\"intervention-label\" fill=\"#7a4f00\" stroke=\"white\" stroke-width=\"2\" "
                          "paint-order=\"stroke\">");
            sarx__svg_text(b, s0 + 2, py + 9, "start", 7, "normal", w);
            sarx__puts(b, "</g>\n");
            last_label_end = s0 + 4 + 0.56 * 7 * (double)strlen(w);
        }
    }
}

char *sarx_sim_svg_scenario(const sarx_sim_result *r, const sarx_sim_result *baseline, const sarx_scenario *sc,
                            const char *title)
{
    sarx__buf b = {0};
    const double cols = 3, left = 36, gapx = 30, pw = (PAGE_W - left - 2 * gapx - 8) / cols, ph = 108,
                 top = 74, gapy = 70, H = top + 2 * ph + gapy + 34;
    size_t cx = column("age_years"), k, i, n;
    double xlo, xhi, x0 = 0, xscale = 1, lx;
    int days, from_iv = 0, j;
    char t1[32], t2[32], t3[32], rel[48];
    ticks xt;
    if (!r || (n = sarx_sim_result_rows(r)) == 0)
        return NULL;
    xlo = sarx_sim_result_value(r, 0, cx);
    xhi = sarx_sim_result_value(r, n - 1, cx);
    days = xhi - xlo < 2;
    if (days) { /* a short intervention: days since its start */
        x0 = xlo;
        xscale = DAYS_PER_YEAR;
        xhi = (xhi - xlo) * xscale;
        xlo = 0;
        for (j = 0; sc && j < sc->niv; j++)
            from_iv |= fabs(sc->iv[j].start_age - x0) * DAYS_PER_YEAR < 0.5;
    }
    if (!(xhi > xlo))
        xhi = xlo + 1;
    snprintf(rel, sizeof rel, "%s", !sc ? "relative" : sc->relative_to_start ? "relative to the start"
                                                                               : "relative to age 25");
    fmt(t1, sizeof t1, H);
    fmt(t2, sizeof t2, H * 25.4 / 72);
    sarx__printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"180.0mm\" height=\"%smm\" "
                     "viewBox=\"0 0 510.24 %s\" font-family=\"%s\" role=\"img\" aria-label=\"Simulated "
                     "trajectory\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", t2, t1, FONT);
    sarx__svg_text(&b, PAGE_W / 2, 14, "middle", 9, "bold", title ? title : "Simulated trajectory");
    /* The legend: what each line and the shading are. */
    lx = left;
    fmt(t1, sizeof t1, lx);
    fmt(t2, sizeof t2, lx + 16);
    sarx__printf(&b, "<g class=\"legend\">\n<line x1=\"%s\" x2=\"%s\" y1=\"30\" y2=\"30\" stroke=\"#0072B2\" "
                     "stroke-width=\"1.5\"/>\n", t1, t2);
    sarx__svg_text(&b, lx + 20, 32.5, "start", 7, "normal", baseline ? "with the intervention" : "simulated");
    lx += 20 + 0.56 * 7 * 22 + 10;
    if (baseline) {
        fmt(t1, sizeof t1, lx);
        fmt(t2, sizeof t2, lx + 16);
        sarx__printf(&b, "<line x1=\"%s\" x2=\"%s\" y1=\"30\" y2=\"30\" stroke=\"#666666\" stroke-width=\"1.2\" "
                         "stroke-dasharray=\"4,3\"/>\n", t1, t2);
        sarx__svg_text(&b, lx + 20, 32.5, "start", 7, "normal", "the same person without it");
        lx += 20 + 0.56 * 7 * 27 + 10;
    }
    if (sc && sc->niv > 0) {
        char what[160];
        fmt(t1, sizeof t1, lx);
        sarx__printf(&b, "<rect x=\"%s\" y=\"26\" width=\"10\" height=\"8\" fill=\"#E69F00\" fill-opacity=\"0.2\" "
                         "stroke=\"#E69F00\" stroke-width=\"0.5\"/>\n", t1);
        if (sc->niv == 1)
            iv_label(&sc->iv[0], what, sizeof what);
        else
            snprintf(what, sizeof what, "%d interventions", sc->niv);
        sarx__svg_text(&b, lx + 14, 32.5, "start", 7, "normal", what);
    }
    sarx__puts(&b, "</g>\n");
    sarx__svg_text(&b, PAGE_W / 2, 44, "middle", 7, "normal", "Simulated with sarx: a model, not a prediction.");
    xt = nice_ticks(xlo, xhi, 4, 0, 0);
    for (k = 0; k < sizeof panels / sizeof panels[0]; k++) {
        const struct panel *pn = &panels[k];
        size_t cy = column(pn->column);
        double px = left + (double)(k % (size_t)cols) * (pw + gapx), py = top + (double)(k / (size_t)cols) * (ph + gapy);
        double ylo = pn->lo, yhi = pn->hi;
        const sarx_sim_result *both[2];
        ticks yt;
        int q;
        both[0] = r;
        both[1] = baseline;
        if (ylo > yhi) { /* automatic: from 0, or around the data for a short span */
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
            if (days) { /* short: zoom on the change, but never on less than 5 % of the value (or 4 units) */
                double span = yhi - ylo, least = pn->count ? 4 : 0.05 * fmax(fabs(ylo), fabs(yhi)), mid;
                if (least < 1e-6)
                    least = 1e-6;
                if (span < least) {
                    mid = (ylo + yhi) / 2;
                    ylo = mid - least / 2;
                    yhi = mid + least / 2;
                }
                span = yhi - ylo;
                ylo -= span * 0.1;
                yhi += span * 0.1;
            } else {
                ylo = 0;
                yhi = yhi * 1.05 + 1e-9;
            }
            yt = nice_ticks(ylo, yhi, 4, pn->count, 1);
            ylo = yt.first;
            yhi = yt.first + yt.step * yt.n;
        } else {
            yt = nice_ticks(ylo, yhi, 5, pn->count, 1);
        }
        sarx__printf(&b, "<g class=\"panel\" data-column=\"%s\">\n", pn->column);
        sarx__svg_text(&b, px + pw / 2, py - 15, "middle", 8, "bold", pn->title);
        sarx__svg_text(&b, px + pw / 2, py - 5, "middle", 7, "normal", pn->unit ? pn->unit : rel);
        interventions(&b, sc, days, x0, px, py, pw, ph, xlo, xhi, k == 0);
        fmt(t1, sizeof t1, px);
        fmt(t2, sizeof t2, py);
        sarx__puts(&b, "<g class=\"yticks\">\n");
        for (q = 0; q <= yt.n; q++) {
            double v = yt.first + yt.step * q, y = py + ph - (v - ylo) / (yhi - ylo) * ph;
            char lab[32], ys[32];
            sarx__fmt(lab, sizeof lab, 'f', yt.dec, fabs(v) < yt.step * 1e-6 ? 0 : v);
            fmt(ys, sizeof ys, y);
            fmt(t3, sizeof t3, px + pw);
            sarx__printf(&b, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#e4e4e4\" stroke-width=\"0.5\"/>\n",
                         t1, t3, ys, ys);
            sarx__svg_text(&b, px - 4, y + 2.5, "end", 7, "normal", lab);
        }
        sarx__puts(&b, "</g>\n<g class=\"xticks\">\n");
        for (q = 0; q <= xt.n; q++) {
            double v = xt.first + xt.step * q;
            char lab[32];
            sarx__fmt(lab, sizeof lab, 'f', xt.dec, v);
            sarx__svg_text(&b, px + (v - xlo) / (xhi - xlo) * pw, py + ph + 10, "middle", 7, "normal", lab);
        }
        sarx__puts(&b, "</g>\n");
        sarx__svg_text(&b, px + pw / 2, py + ph + 21, "middle", 7, "normal",
                       !days ? "Age (years)" : from_iv ? "Days since the intervention started"
                                                       : "Days since the first reported age");
        {
            char ws[32], hs[32];
            sarx__fmt(ws, sizeof ws, 'f', 2, pw);
            sarx__fmt(hs, sizeof hs, 'f', 2, ph);
            sarx__printf(&b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"none\" "
                             "stroke=\"#999999\" stroke-width=\"0.6\"/>\n", t1, t2, ws, hs);
        }
        if (baseline)
            line(&b, baseline, cx, cy, x0, xscale, px, py, pw, ph, xlo, xhi, ylo, yhi,
                 "stroke=\"#666666\" stroke-width=\"1.2\" stroke-dasharray=\"4,3\"");
        line(&b, r, cx, cy, x0, xscale, px, py, pw, ph, xlo, xhi, ylo, yhi, "stroke=\"#0072B2\" stroke-width=\"1.5\"");
        sarx__puts(&b, "</g>\n");
    }
    sarx__puts(&b, "</svg>\n");
    return sarx__buf_take(&b);
}

char *sarx_sim_svg(const sarx_sim_result *r, const sarx_sim_result *baseline, const char *title)
{
    return sarx_sim_svg_scenario(r, baseline, NULL, title);
}
