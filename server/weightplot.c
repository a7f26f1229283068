/*
** weightplot.c — a patient's weight over time as SVG, with the windows the
** cachexia and malnutrition definitions read marked: the 6 and 12 months
** before the last visit shaded, and under each window's reference weight
** (the earliest weight inside it, as the engine takes it) a dashed line at
** 5 % below it.  A last point under a line means more than 5 % lost.
*/
#include "server.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 640.0
#define H 300.0
#define LEFT 56.0
#define RIGHT 16.0
#define TOP 40.0
#define BOTTOM 44.0

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                fputc(*s, f);
        }
    }
}

/* date minus months as days (the start of a window). */
static long minus_months(const char *date, int months, char out[11])
{
    srv_date_minus_months(date, months, out);
    return srv_date_days(out);
}

/* The earliest weight dated in [start, end): the window's reference. */
static double reference(const srv_weight *p, size_t n, long start, long end)
{
    size_t i;
    for (i = 0; i < n; i++) {
        long d = srv_date_days(p[i].date);
        if (d >= start && d < end)
            return p[i].kg;
    }
    return NAN;
}

static double nice_step(double range)
{
    double raw = range / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

char *srv_weight_plot(const srv_weight *p, size_t n, const char *title)
{
    char *out = NULL, s6[11] = "", s12[11] = "";
    size_t len = 0, i;
    FILE *f = open_memstream(&out, &len);
    long d0, d1, last = 0, w6 = 0, w12 = 0;
    double lo = INFINITY, hi = -INFINITY, ref6 = NAN, ref12 = NAN, step, t;
    static const struct {
        const char *name, *fill, *stroke;
    } win[2] = {{"12 months", "#eef3fb", "#5b7db8"}, {"6 months", "#dbe6f6", "#1f4e99"}};
    if (!f)
        return NULL;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
               "role=\"img\" aria-labelledby=\"wt-title wt-desc\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fputs("<title id=\"wt-title\">", f);
    xml_text(f, title);
    fputs("</title>\n<desc id=\"wt-desc\">", f);
    if (n == 0) {
        fputs("No weight recorded yet.</desc>\n", f);
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"#444\">No weight recorded yet</text>\n",
                W / 2, H / 2);
        fputs("</svg>\n", f);
        return fclose(f) ? (free(out), NULL) : out;
    }
    last = srv_date_days(p[n - 1].date);
    w6 = minus_months(p[n - 1].date, 6, s6);
    w12 = minus_months(p[n - 1].date, 12, s12);
    ref6 = reference(p, n, w6, last);
    ref12 = reference(p, n, w12, last);
    fprintf(f, "%zu weights from %s to %s; last %.1f kg.", n, p[0].date, p[n - 1].date, p[n - 1].kg);
    if (!isnan(ref6))
        fprintf(f, " 6-month window from %s: reference %.1f kg, loss %.1f %%.", s6, ref6,
                (ref6 - p[n - 1].kg) * 100 / ref6);
    if (!isnan(ref12))
        fprintf(f, " 12-month window from %s: reference %.1f kg, loss %.1f %%.", s12, ref12,
                (ref12 - p[n - 1].kg) * 100 / ref12);
    fputs(" Dashed lines: 5 % below each window's reference weight.</desc>\n", f);

    for (i = 0; i < n; i++) {
        lo = fmin(lo, p[i].kg);
        hi = fmax(hi, p[i].kg);
    }
    if (!isnan(ref12))
        lo = fmin(lo, ref12 * 0.95);
    if (!isnan(ref6))
        lo = fmin(lo, ref6 * 0.95);
    if (hi - lo < 4) {
        double mid = (hi + lo) / 2;
        lo = mid - 2;
        hi = mid + 2;
    }
    step = nice_step(hi - lo);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    d0 = srv_date_days(p[0].date);
    if (w12 != SRV_BAD_DATE && w12 < d0)
        d0 = w12;
    d1 = last;
    if (d1 - d0 < 30)
        d0 = d1 - 30;
    d1 += (d1 - d0) / 20 + 1;
#define X(d) (LEFT + ((double)(d) - (double)d0) * (W - LEFT - RIGHT) / (double)(d1 - d0))
#define Y(kg) (TOP + (hi - (kg)) * (H - TOP - BOTTOM) / (hi - lo))

    /* the windows, 12 months under 6, then their lines above both */
    for (i = 0; i < 2; i++) {
        long start = i == 0 ? w12 : w6;
        fprintf(f,
                "<rect class=\"window\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                "<title>%s before the last visit (from %s)</title></rect>\n",
                X(start), TOP, X(last) - X(start), H - TOP - BOTTOM, win[i].fill, win[i].name, i == 0 ? s12 : s6);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>\n", X(start) + 4, TOP - 6 - 14.0 * (double)(1 - i),
                win[i].stroke, win[i].name);
    }
    for (i = 0; i < 2; i++) {
        long start = i == 0 ? w12 : w6;
        double ref = i == 0 ? ref12 : ref6;
        if (!isnan(ref))
            fprintf(f,
                    "<line class=\"threshold\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>5 %% below the %s reference "
                    "(%.1f kg): %.1f kg</title></line>\n"
                    "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" text-anchor=\"end\">-5 %% (%s): %.1f kg</text>\n",
                    X(start), X(last), Y(ref * 0.95), Y(ref * 0.95), win[i].stroke, win[i].name, ref, ref * 0.95,
                    X(last) - 4, Y(ref * 0.95) + (i == 0 ? 14.0 : -5.0), win[i].stroke, win[i].name, ref * 0.95);
    }
    /* axes and grid */
    for (t = lo; t <= hi + step / 2; t += step)
        fprintf(f,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#333\">%g</text>\n",
                LEFT, W - RIGHT, Y(t), Y(t), LEFT - 6, Y(t) + 4, t);
    fprintf(f, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\" fill=\"#333\">"
               "weight (kg)</text>\n", (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2);
    fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", LEFT, W - RIGHT,
            H - BOTTOM, H - BOTTOM);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\" fill=\"#333\">%s</text>\n", X(srv_date_days(p[0].date)),
            H - BOTTOM + 16, p[0].date);
    if (n > 1)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#333\">%s</text>\n", X(last), H - BOTTOM + 16,
                p[n - 1].date);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#333\">visit date</text>\n",
            (LEFT + W - RIGHT) / 2, H - 8);
    /* the trajectory */
    fputs("<polyline fill=\"none\" stroke=\"#222\" stroke-width=\"2\" points=\"", f);
    for (i = 0; i < n; i++)
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", X(srv_date_days(p[i].date)), Y(p[i].kg));
    fputs("\"/>\n", f);
    for (i = 0; i < n; i++)
        fprintf(f,
                "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#222\" data-date=\"%s\" "
                "data-kg=\"%.2f\"><title>%s: %.1f kg</title></circle>\n",
                X(srv_date_days(p[i].date)), Y(p[i].kg), p[i].date, p[i].kg, p[i].date, p[i].kg);
#undef X
#undef Y
    fputs("</svg>\n", f);
    if (fclose(f)) {
        free(out);
        return NULL;
    }
    return out;
}
