/*
** error.c — status messages and the detailed error record.
*/
#include "internal.h"

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

static void copy(char *dst, size_t n, const char *src)
{
    size_t l = src ? strlen(src) : 0;
    if (l >= n)
        l = n - 1;
    if (l)
        memcpy(dst, src, l);
    dst[l] = '\0';
}

int sarx__err(sarx_error *e, int code, const char *field, const char *value,
              const char *allowed, const char *fmt, ...)
{
    va_list ap;
    if (!e)
        return code;
    memset(e, 0, sizeof *e);
    e->code = code;
    copy(e->field, sizeof e->field, field);
    copy(e->value, sizeof e->value, value);
    copy(e->allowed, sizeof e->allowed, allowed);
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}

void sarx__fmt_num(char *buf, size_t n, double v)
{
    if (isnan(v))
        snprintf(buf, n, "null");
    else
        snprintf(buf, n, "%.15g", v);
}

void sarx_free(void *p) { free(p); }
