/*
** png.h — an SVG drawn to a PNG file for the sarx command (librsvg and
** cairo); libsarx itself never links them.
*/
#ifndef SARX_CLI_PNG_H
#define SARX_CLI_PNG_H

#include <stddef.h>

/* Render svg (len bytes) width_mm wide at dpi dots per inch (180 mm at
** 300 dpi: 2126 pixels), the height to the SVG's aspect, on white, into
** path, with the resolution recorded in the file (pHYs).  0 on success;
** else -1 and msg says why (path, and librsvg's or cairo's reason). */
int png_from_svg(const char *svg, size_t len, double width_mm, int dpi, const char *path, char *msg,
                 size_t msgsize);

/* The PNG of a figure just written as svg_path ("DIR/name.svg"): the same
** path ending .png, 180 mm wide (a journal's two-column width) at 300 dpi.
** 0, or -1 with msg. */
#define PNG_FIGURE_MM 180.0
#define PNG_FIGURE_DPI 300
int png_beside(const char *svg_path, const char *svg, char *msg, size_t msgsize);

#endif
