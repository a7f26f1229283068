/*
** hostset.h — one value of a jansson object given to sarx_subject_set_json
** as a host with JSON of its own gives it: strings unescaped, numbers as
** JSON writes them, lists and objects as JSON text.  Shared by
** tests/hostjson.c and fuzz/fuzz_hostjson.c; host_set_ex also by field
** index, as the PostgreSQL extension gives a subject.
*/
#ifndef SARX_HOSTSET_H
#define SARX_HOSTSET_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sarx.h"

/* by_index: look the key up once (sarx_field_index) and set it by index
** (sarx_subject_set_json_field), a number of a number field converted by
** the host (strtod, the nearest double) and given as a double
** (sarx_subject_set_json_double), as the PostgreSQL extension does. */
static int host_set_ex(sarx_subject *s, const char *key, json_t *v, sarx_error *e, int by_index)
{
    char b[64];
    char *dumped;
    size_t kl = strlen(key);
    long f = sarx_field_index(key, kl);
    int rc, type;
    const char *text = NULL;
    size_t len = 0;
    switch (json_typeof(v)) {
    case JSON_NULL: type = SARX_JSON_NULL; break;
    case JSON_TRUE: type = SARX_JSON_TRUE; break;
    case JSON_FALSE: type = SARX_JSON_FALSE; break;
    case JSON_STRING:
        type = SARX_JSON_STRING;
        text = json_string_value(v);
        len = json_string_length(v);
        break;
    case JSON_INTEGER:
    case JSON_REAL:
        if (json_is_integer(v)) {
            snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
        } else {
            snprintf(b, sizeof b, "%.17g", json_real_value(v));
            if (!strpbrk(b, ".eE"))
                strcat(b, ".0");
        }
        if (by_index && f >= 0 &&
            (sarx_field_at((size_t)f)->kind == SARX_KIND_NUMBER || sarx_field_at((size_t)f)->kind == SARX_KIND_INTEGER))
            return sarx_subject_set_json_double(s, f, strtod(b, NULL), e);
        type = SARX_JSON_NUMBER;
        text = b;
        len = strlen(b);
        break;
    default:
        dumped = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
        if (!dumped)
            abort();
        rc = by_index ? sarx_subject_set_json_field(s, f, key, kl, SARX_JSON_VALUE, dumped, strlen(dumped), e)
                      : sarx_subject_set_json(s, key, kl, SARX_JSON_VALUE, dumped, strlen(dumped), e);
        free(dumped);
        return rc;
    }
    return by_index ? sarx_subject_set_json_field(s, f, key, kl, type, text, len, e)
                    : sarx_subject_set_json(s, key, kl, type, text, len, e);
}

#endif
