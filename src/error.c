/*
** error.c — status messages and the detailed error record.
*/
#include "internal.h"

#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sarx_version(void) { return SARX_VERSION; }

const char *sarx_strerror(int code)
{
    static const char *const msg[] = {
        "success",
        "out of memory",
        "invalid argument",
        "malformed input",
        "unknown field",
        "wrong type",
        "value out of range",
        "conflicting values",
        "empty input",
        "value not allowed",
        "not found",
        "input/output error",
    };
    if (code < 0 || (size_t)code >= sizeof msg / sizeof msg[0])
        return "unknown error";
    return msg[code];
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
size_t sarx__utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len, i;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07u;
    else
        return 0;
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0; /* overlong, surrogate or beyond Unicode */
    return len;
}

int sarx__utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t l = sarx__utf8_len((const unsigned char *)s + i, n - i);
        if (!l)
            return 0;
        i += l;
    }
    return 1;
}

/* Copy src into dst[n] as valid UTF-8: invalid bytes become '?', and a
** character never is cut in half by the truncation. */
static void copy_utf8(char *dst, size_t n, const char *src, size_t len)
{
    size_t i = 0, o = 0;
    while (i < len) {
        size_t l = sarx__utf8_len((const unsigned char *)src + i, len - i);
        if (l == 0) {
            if (o + 1 >= n)
                break;
            dst[o++] = '?';
            i++;
            continue;
        }
        if (o + l >= n)
            break;
        memcpy(dst + o, src + i, l);
        o += l;
        i += l;
    }
    dst[o] = '\0';
}

static void copy(char *dst, size_t n, const char *src)
{
    copy_utf8(dst, n, src ? src : "", src ? strlen(src) : 0);
}

int sarx__err(sarx_error *e, int code, const char *field, const char *value,
              const char *allowed, const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof e->message + 64];
    if (!e)
        return code;
    memset(e, 0, sizeof *e);
    e->code = code;
    copy(e->field, sizeof e->field, field);
    copy(e->value, sizeof e->value, value);
    copy(e->allowed, sizeof e->allowed, allowed);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    copy(e->message, sizeof e->message, msg);
    return code;
}

/* Numbers in messages and reports never depend on LC_NUMERIC: whatever the
** locale printed as its radix becomes '.'. */
void sarx__fmt(char *buf, size_t n, char conv, int prec, double v)
{
    char tmp[64], *o = buf;
    const char *p;
    int radix = 0;
    if (conv == 'f')
        snprintf(tmp, sizeof tmp, "%.*f", prec, v);
    else
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
    for (p = tmp; *p && (size_t)(o - buf) + 1 < n; p++) {
        if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == 'e' || *p == 'E' || *p == 'i' ||
            *p == 'n' || *p == 'f' || *p == 'a') {
            *o++ = *p;
            radix = 0;
        } else if (!radix) { /* '.', ',' or a multi-byte radix: one '.' */
            *o++ = '.';
            radix = 1;
        }
    }
    *o = '\0';
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf)); /* "-0.00" is "0.00" */
}

void sarx__fmt_num(char *buf, size_t n, double v)
{
    if (isnan(v))
        snprintf(buf, n, "null");
    else
        sarx__fmt(buf, n, 'g', 15, v);
}

const char *sarx_error_name(int code)
{
    static const char *const name[] = {"ok",    "nomem",    "invalid", "syntax", "field",    "type",
                                       "range", "conflict", "empty",   "value",  "notfound", "io"};
    if (code < 0 || (size_t)code >= sizeof name / sizeof name[0])
        return "unknown";
    return name[code];
}

void sarx_free(void *p) { free(p); }

void sarx__fmt_short(char *buf, size_t n, double v)
{
    size_t k;
    sarx__fmt(buf, n, 'f', 3, v);
    k = strlen(buf);
    while (k > 0 && buf[k - 1] == '0')
        buf[--k] = '\0';
    if (k > 0 && buf[k - 1] == '.')
        buf[--k] = '\0';
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
}
