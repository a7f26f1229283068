/*
** buf.c — a growable string for the renderers.  On allocation failure the
** buffer remembers it and sarx__buf_take() returns NULL.
*/
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(sarx__buf *b, size_t need)
{
    size_t cap;
    char *p;
    if (b->oom)
        return 0;
    if (b->n + need + 1 <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 256;
    while (cap < b->n + need + 1)
        cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void sarx__putn(sarx__buf *b, const char *s, size_t n)
{
    if (!grow(b, n))
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void sarx__puts(sarx__buf *b, const char *s) { sarx__putn(b, s, strlen(s)); }

void sarx__vprintf(sarx__buf *b, const char *fmt, va_list ap)
{
    va_list aq;
    int len;
    va_copy(aq, ap);
    len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (len < 0 || !grow(b, (size_t)len))
        return;
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    b->n += (size_t)len;
}

void sarx__printf(sarx__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sarx__vprintf(b, fmt, ap);
    va_end(ap);
}

char *sarx__buf_take(sarx__buf *b)
{
    char *p;
    if (b->oom || !grow(b, 0)) {
        free(b->p);
        b->p = NULL;
        return NULL;
    }
    p = b->p;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

/* Text as XML 1.0 takes it in an element's content: the markup characters
** escaped; tab, newline and carriage return as the space SVG shows them
** as; the other control characters (C0, DEL, C1) left out, XML forbidding
** most and a renderer showing none; invalid UTF-8 (a byte at a time) and
** the non-characters U+FFFE and U+FFFF as U+FFFD.  (A scenario's name with
** a control character in it once made the whole figure unreadable.)  In
** content '"' stays as it is; quote escapes it for an attribute. */
static void xml_escape(sarx__buf *b, const char *text, int quote)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    const unsigned char *p = (const unsigned char *)text;
    size_t n = strlen(text), i, l;
    for (i = 0; i < n; i += l) {
        unsigned c = p[i];
        l = c < 0x80 ? 1 : sarx__utf8_len(p + i, n - i);
        if (c == '<')
            sarx__puts(b, "&lt;");
        else if (c == '>')
            sarx__puts(b, "&gt;");
        else if (c == '&')
            sarx__puts(b, "&amp;");
        else if (c == '"' && quote)
            sarx__puts(b, "&quot;");
        else if (c == '\t' || c == '\n' || c == '\r')
            sarx__puts(b, " ");
        else if (c < 0x20 || c == 0x7F || (c == 0xC2 && l == 2 && p[i + 1] < 0xA0))
            ; /* a control character: left out */
        else if (l == 0) {
            sarx__puts(b, replacement);
            l = 1;
        } else if (c == 0xEF && l == 3 && p[i + 1] == 0xBF && p[i + 2] >= 0xBE)
            sarx__puts(b, replacement);
        else
            sarx__putn(b, text + i, l);
    }
}

void sarx__xml_put(sarx__buf *b, const char *text) { xml_escape(b, text, 1); }

void sarx__svg_text(sarx__buf *b, double x, double y, const char *anchor, int size, const char *weight,
                    const char *text)
{
    char xs[32], ys[32];
    sarx__fmt(xs, sizeof xs, 'f', 1, x);
    sarx__fmt(ys, sizeof ys, 'f', 1, y);
    sarx__printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">", xs, ys,
                 anchor, size, weight);
    xml_escape(b, text, 0);
    sarx__puts(b, "</text>\n");
}
