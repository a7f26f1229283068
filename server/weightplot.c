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
#define BOTTOM 56.0
#define FONT 12.0
/* Rows of the visit dates under the axis, and the axis title below them. */
#define DATE_ROW0 (H - BOTTOM + 19)
#define DATE_ROW1 (H - BOTTOM + 33)

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

/* Labels are placed so that none overlaps another: each label's box (its
** width estimated at 0.62 em a character, DejaVu Sans' digits being
** 0.64 em and most letters narrower) is checked against those placed
** before it, and moved to the next free place or left out (a visit date,
** whose tick and tooltip remain). */
typedef struct box {
    double x0, y0, x1, y1;
} box;

static box text_box(double x, double y, const char *anchor, const char *s)
{
    double w = 0.62 * FONT * (double)strlen(s);
    box b;
    b.x0 = anchor[0] == 's' ? x : anchor[0] == 'e' ? x - w : x - w / 2;
    b.x1 = b.x0 + w;
    b.y0 = y - 0.8 * FONT;
    b.y1 = y + 0.25 * FONT;
    return b;
}

/* A free place: no overlap with any placed box, 2 px apart. */
static int is_free(const box *placed, size_t n, box b)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (b.x0 < placed[i].x1 + 2 && placed[i].x0 < b.x1 + 2 && b.y0 < placed[i].y1 + 1 && placed[i].y0 < b.y1 + 1)
            return 0;
    return 1;
}

/* The dates of visits 0, every, 2 * every, ... and the last (every 1:
** all), each centred under its tick (kept inside the picture) on the
** first of two rows where it is free, the first and the last visit's
** before the others (they always fit: two rows hold two labels at any
** distance).  Each date's place in lx[] and ly[] (ly 0: none); the
** number that did not fit.  The boxes placed before (nb of cap) stay. */
static size_t place_dates(const srv_weight *p, size_t n, const double *xs, size_t every, box *boxes, size_t nb,
                          size_t cap, double *lx, double *ly)
{
    size_t k, dropped = 0;
    for (k = 0; k < n; k++)
        ly[k] = 0;
    for (k = 0; k < n; k++) {
        size_t v = k == 0 ? 0 : k == 1 ? n - 1 : k - 1; /* first, last, then the others in order */
        double x = xs[v], w = 0.62 * FONT * (double)strlen(p[v].date);
        int row;
        if (v % every != 0 && v != n - 1)
            continue;
        x = fmax(x, 2 + w / 2);
        x = fmin(x, W - 2 - w / 2);
        for (row = 0; row < 2 && ly[v] == 0; row++) {
            double y = row ? DATE_ROW1 : DATE_ROW0;
            box bx = text_box(x, y, "middle", p[v].date);
            if (is_free(boxes, nb, bx) && nb < cap) {
                boxes[nb++] = bx;
                lx[v] = x;
                ly[v] = y;
            }
        }
        dropped += ly[v] == 0;
    }
    return dropped;
}

char *srv_weight_plot(const srv_weight *p, size_t n, const char *title)
{
    char *out = NULL, s6[11] = "", s12[11] = "";
    size_t len = 0, i, k, nb = 0, every = 1;
    FILE *f = open_memstream(&out, &len);
    box *boxes = NULL;
    double *xs; /* each visit's tick, its date's x and y (0: none) */
    int ndec;
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

    if (!(boxes = malloc((n + 32) * sizeof *boxes))) {
        fclose(f);
        free(out);
        return NULL;
    }
    /* the windows, 12 months under 6, then their lines above both */
    for (i = 0; i < 2; i++) {
        long start = i == 0 ? w12 : w6;
        double y = TOP - 6 - 14.0 * (double)(1 - i); /* a row each: never over the other */
        fprintf(f,
                "<rect class=\"window\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                "<title>%s before the last visit (from %s)</title></rect>\n",
                X(start), TOP, X(last) - X(start), H - TOP - BOTTOM, win[i].fill, win[i].name, i == 0 ? s12 : s6);
        fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>\n", X(start) + 4, y,
                win[i].stroke, win[i].name);
        boxes[nb++] = text_box(X(start) + 4, y, "start", win[i].name); /* (room for n + 32) */
    }
    /* axes and grid: ticks at the step, labelled with the decimals it needs */
    ndec = step < 1 ? (int)ceil(-log10(step) - 1e-9) : 0;
    for (k = 0; lo + step * k <= hi + step / 2; k++) {
        char lab[32];
        t = lo + step * k;
        snprintf(lab, sizeof lab, "%.*f", ndec, t);
        fprintf(f,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#333\">%s</text>\n",
                LEFT, W - RIGHT, Y(t), Y(t), LEFT - 6, Y(t) + 4, lab);
        if (nb < n + 32)
            boxes[nb++] = text_box(LEFT - 6, Y(t) + 4, "end", lab);
    }
    /* the 5 % lines, as thin boxes first: a label is placed off both of
    ** them (with references 80 and 80.2 kg, the 12 months' label once sat
    ** on the 6 months' line) */
    for (i = 0; i < 2; i++) {
        double ref = i == 0 ? ref12 : ref6;
        if (!isnan(ref) && nb < n + 32) {
            box line;
            line.x0 = X(i == 0 ? w12 : w6);
            line.x1 = X(last);
            line.y0 = Y(ref * 0.95) - 0.75;
            line.y1 = Y(ref * 0.95) + 0.75;
            boxes[nb++] = line;
        }
    }
    /* each label above its line, else below it, else the nearest free
    ** place up or down (two lines a few tenths of a kg apart once drew
    ** their labels over each other) */
    for (i = 0; i < 2; i++) {
        long start = i == 0 ? w12 : w6;
        double ref = i == 0 ? ref12 : ref6, yl, y = 0;
        char lab[64];
        int placed = 0, tries;
        if (isnan(ref))
            continue;
        yl = Y(ref * 0.95);
        snprintf(lab, sizeof lab, "-5 %% (%s): %.1f kg", win[i].name, ref * 0.95);
        for (tries = 0; tries < 80 && !placed; tries++) {
            /* above, below, then 2 px further away each time, alternately */
            double off = tries < 2 ? 0 : 2.0 * (double)(tries / 2);
            y = tries % 2 == 0 ? yl - 5 - off : yl + FONT + 2 + off;
            placed = y - 0.8 * FONT >= TOP && y + 0.25 * FONT <= H - BOTTOM &&
                     is_free(boxes, nb, text_box(X(last) - 4, y, "end", lab));
        }
        fprintf(f,
                "<line class=\"threshold\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>5 %% below the %s reference "
                "(%.1f kg): %.1f kg</title></line>\n",
                X(start), X(last), yl, yl, win[i].stroke, win[i].name, ref, ref * 0.95);
        if (placed) {
            /* a white halo: the label stays legible where the weight line crosses it */
            fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\" text-anchor=\"end\" stroke=\"white\" "
                       "stroke-width=\"3\" paint-order=\"stroke\">%s</text>\n",
                    X(last) - 4, y, win[i].stroke, lab);
            if (nb < n + 32)
                boxes[nb++] = text_box(X(last) - 4, y, "end", lab);
        }
    }
    fprintf(f, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\" fill=\"#333\">"
               "weight (kg)</text>\n", (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2);
    fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", LEFT, W - RIGHT,
            H - BOTTOM, H - BOTTOM);
    /* Visit dates: a tick at every visit, and every date under its tick
    ** if all fit; if not, every k-th visit's date and the last's, k the
    ** least for which all of those fit, and the axis title says so (a
    ** date left out here or there, by where it fell, read as a missing
    ** visit). */
    if (!(xs = malloc(3 * n * sizeof *xs))) {
        free(boxes);
        fclose(f);
        free(out);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        xs[i] = X(srv_date_days(p[i].date));
        fprintf(f, "<line class=\"visit-tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
                xs[i], xs[i], H - BOTTOM, H - BOTTOM + 4);
    }
    /* (two rows of the plot's width hold 16 dates at most: a k that
    ** leaves more is not tried; k = n - 1, the first and the last, fits) */
    if (place_dates(p, n, xs, 1, boxes, nb, n + 32, xs + n, xs + 2 * n) > 0)
        for (every = n / 17 > 2 ? n / 17 : 2; every <= n - 1; every++)
            if (place_dates(p, n, xs, every, boxes, nb, n + 32, xs + n, xs + 2 * n) == 0)
                break;
    for (i = 0; i < n; i++)
        if (xs[2 * n + i] > 0)
            fprintf(f, "<text class=\"label date\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n",
                    xs[n + i], xs[2 * n + i], p[i].date);
    free(xs);
    if (every > 1)
        fprintf(f, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#333\">visit date "
                   "(dates every %zu visits and the last; a tick at each visit)</text>\n",
                (LEFT + W - RIGHT) / 2, H - 6, every);
    else
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#333\">visit date</text>\n",
                (LEFT + W - RIGHT) / 2, H - 6);
    free(boxes);
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
