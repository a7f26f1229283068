/*
** png.c — SVG to PNG for the figures of `sarx cohort --plot` and `sarx
** simulate --plot`: librsvg lays the SVG out (text through Pango and
** fontconfig, so the fonts the SVG names are the system's), cairo paints it
** on an image surface and encodes the PNG.  The PNG is written with a pHYs
** chunk, so that a journal's checks and a word processor read it at the
** resolution asked for (cairo writes none).
*/
#include "png.h"

#include <stdio.h>
#include <string.h>

/* The Makefile compiles this file with librsvg's flags and
** -DSARX_HAVE_RSVG (pkg-config librsvg-2.0); without them the command
** still builds, and asking for a PNG says why there is none. */
#if defined(SARX_HAVE_RSVG)
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <stdlib.h>

/* cairo's PNG, collected in memory before it is written out. */
typedef struct mem {
    unsigned char *p;
    size_t n, cap;
    int oom;
} mem;

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
    mem *m = closure;
    if (m->n + len > m->cap) {
        size_t cap = (m->cap ? m->cap * 2 : 65536) + len;
        unsigned char *p = realloc(m->p, cap);
        if (!p) {
            m->oom = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        m->p = p;
        m->cap = cap;
    }
    memcpy(m->p + m->n, data, len);
    m->n += len;
    return CAIRO_STATUS_SUCCESS;
}

/* The CRC of a PNG chunk (ISO 3309, as the PNG specification gives it),
** bit by bit: one chunk of 13 bytes, no table needed. */
static unsigned long crc32_png(const unsigned char *p, size_t n)
{
    unsigned long c = 0xffffffffUL;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        c ^= p[i];
        for (k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffUL;
}

static void be32(unsigned char *o, unsigned long v)
{
    o[0] = (unsigned char)(v >> 24);
    o[1] = (unsigned char)(v >> 16);
    o[2] = (unsigned char)(v >> 8);
    o[3] = (unsigned char)v;
}

/* The PNG with pHYs (pixels per metre) after IHDR: signature (8) and
** IHDR (4 + 4 + 13 + 4) are the first 33 bytes of every PNG. */
static int write_png(const mem *m, int dpi, const char *path, char *msg, size_t msgsize)
{
    unsigned char phys[21];
    unsigned long ppm = (unsigned long)lround(dpi / 0.0254);
    FILE *f;
    int bad;
    if (m->n < 33 || memcmp(m->p + 12, "IHDR", 4) != 0) {
        snprintf(msg, msgsize, "%s: cairo wrote no PNG", path);
        return -1;
    }
    be32(phys, 9);
    memcpy(phys + 4, "pHYs", 4);
    be32(phys + 8, ppm);
    be32(phys + 12, ppm);
    phys[16] = 1; /* the unit is the metre */
    be32(phys + 17, crc32_png(phys + 4, 13));
    if (!(f = fopen(path, "wb"))) {
        snprintf(msg, msgsize, "%s: cannot write", path);
        return -1;
    }
    bad = fwrite(m->p, 1, 33, f) != 33 || fwrite(phys, 1, sizeof phys, f) != sizeof phys ||
          fwrite(m->p + 33, 1, m->n - 33, f) != m->n - 33;
    if (fclose(f) != 0 || bad) {
        remove(path);
        snprintf(msg, msgsize, "%s: cannot write", path);
        return -1;
    }
    return 0;
}

/* librsvg's messages (libxml2's, for a bad SVG) run over several lines,
** the offending line of the SVG and a caret under it: the message on one
** line, each run of white space a single space, none at the end. */
static void one_line(char *msg)
{
    char *o = msg, *p;
    for (p = msg; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
            if (o > msg && o[-1] != ' ')
                *o++ = ' ';
        } else
            *o++ = *p;
    }
    while (o > msg && o[-1] == ' ')
        o--;
    *o = '\0';
}

int png_from_svg(const char *svg, size_t len, double width_mm, int dpi, const char *path, char *msg,
                 size_t msgsize)
{
    GError *gerr = NULL;
    RsvgHandle *h;
    RsvgRectangle viewport = {0, 0, 0, 0}, vb;
    RsvgLength lw, lh;
    gboolean has_w, has_h, has_vb;
    double w, hh, aspect = 0;
    cairo_surface_t *s;
    cairo_t *cr;
    mem m = {NULL, 0, 0, 0};
    int rc = -1, ok;
    if (!svg || !path || !(width_mm > 0) || width_mm > 2000 || dpi < 10 || dpi > 2400) {
        snprintf(msg, msgsize, "%s: a PNG needs a width of 0-2000 mm and 10-2400 dpi", path ? path : "(no path)");
        return -1;
    }
    if (!(h = rsvg_handle_new_from_data((const guint8 *)svg, len, &gerr))) {
        snprintf(msg, msgsize, "%s: librsvg cannot read the SVG: %s", path, gerr ? gerr->message : "unknown error");
        one_line(msg);
        g_clear_error(&gerr);
        return -1;
    }
    /* the aspect: from the SVG's width and height, else its viewBox */
    rsvg_handle_set_dpi(h, dpi);
    if (rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) && w > 0 && hh > 0)
        aspect = hh / w;
    else {
        rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
        if (has_vb && vb.width > 0 && vb.height > 0)
            aspect = vb.height / vb.width;
    }
    viewport.width = ceil(width_mm / 25.4 * dpi - 1e-6); /* 180 mm at 300 dpi: 2125.98 -> 2126 */
    viewport.height = ceil(viewport.width * aspect - 1e-6);
    if (!(aspect > 0) || viewport.height < 1 || viewport.height > 32767) {
        snprintf(msg, msgsize, "%s: the SVG has no size or aspect that a PNG can take", path);
        g_object_unref(h);
        return -1;
    }
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)viewport.width, (int)viewport.height);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1); /* journals want no transparency */
    cairo_paint(cr);
    ok = rsvg_handle_render_document(h, cr, &viewport, &gerr);
    cairo_surface_flush(s);
    if (!ok) {
        snprintf(msg, msgsize, "%s: librsvg cannot draw the SVG: %s", path, gerr ? gerr->message : "unknown error");
        one_line(msg);
    } else if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        snprintf(msg, msgsize, "%s: cairo: %s", path, cairo_status_to_string(cairo_status(cr)));
    else if (cairo_surface_write_to_png_stream(s, collect, &m) != CAIRO_STATUS_SUCCESS)
        snprintf(msg, msgsize, "%s: %s", path, m.oom ? "out of memory" : "cairo cannot encode the PNG");
    else
        rc = write_png(&m, dpi, path, msg, msgsize);
    g_clear_error(&gerr);
    free(m.p);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    g_object_unref(h);
    return rc;
}

#else
int png_from_svg(const char *svg, size_t len, double width_mm, int dpi, const char *path, char *msg,
                 size_t msgsize)
{
    (void)svg, (void)len, (void)width_mm, (void)dpi;
    snprintf(msg, msgsize, "%s: this sarx was built without librsvg, so it writes no PNG (the SVG is written)",
             path ? path : "(no path)");
    return -1;
}
#endif

int png_beside(const char *svg_path, const char *svg, char *msg, size_t msgsize)
{
    char path[4096];
    size_t n = strlen(svg_path);
    if (n < 4 || strcmp(svg_path + n - 4, ".svg") != 0 || n >= sizeof path) {
        snprintf(msg, msgsize, "%s: not a .svg path", svg_path);
        return -1;
    }
    memcpy(path, svg_path, n - 4);
    memcpy(path + n - 4, ".png", 5);
    return png_from_svg(svg, strlen(svg), PNG_FIGURE_MM, PNG_FIGURE_DPI, path, msg, msgsize);
}
