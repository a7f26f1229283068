/*
** hostset.h — one value of a jansson object given to sarx_subject_set_json
** as a host with JSON of its own gives it: strings unescaped, numbers as
** JSON writes them, lists and objects as JSON text.  Shared by
** tests/hostjson.c and fuzz/fuzz_hostjson.c.
*/
#ifndef SARX_HOSTSET_H
#define SARX_HOSTSET_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sarx.h"

static int host_set(sarx_subject *s, const char *key, json_t *v, sarx_error *e)
{
    char b[64];
    char *dumped;
    int rc;
    switch (json_typeof(v)) {
    case JSON_NULL: return sarx_subject_set_json(s, key, strlen(key), SARX_JSON_NULL, NULL, 0, e);
    case JSON_TRUE: return sarx_subject_set_json(s, key, strlen(key), SARX_JSON_TRUE, NULL, 0, e);
    case JSON_FALSE: return sarx_subject_set_json(s, key, strlen(key), SARX_JSON_FALSE, NULL, 0, e);
    case JSON_STRING:
        return sarx_subject_set_json(s, key, strlen(key), SARX_JSON_STRING, json_string_value(v),
                                     json_string_length(v), e);
    case JSON_INTEGER:
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
        return sarx_subject_set_json(s, key, strlen(key), SARX_JSON_NUMBER, b, strlen(b), e);
    case JSON_REAL:
        snprintf(b, sizeof b, "%.17g", json_real_value(v));
        if (!strpbrk(b, ".eE"))
            strcat(b, ".0");
        return sarx_subject_set_json(s, key, strlen(key), SARX_JSON_NUMBER, b, strlen(b), e);
    default:
        dumped = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
        if (!dumped)
            abort();
        rc = sarx_subject_set_json(s, key, strlen(key), SARX_JSON_VALUE, dumped, strlen(dumped), e);
        free(dumped);
        return rc;
    }
}

#endif
