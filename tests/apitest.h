/*
** apitest.h — what the API tests (api.c, registry.c) share: the token the
** test servers run with and small requests that return the status and the
** JSON body.  Static inline, so a test program that does not use one of
** them does not warn.
*/
#ifndef SARX_TEST_APITEST_H
#define SARX_TEST_APITEST_H

#include "harness.h"
#include "httpc.h"

#include <jansson.h>

#define TOKEN "0123456789abcdef0123456789abcdef"

static inline json_t *req_json(hc_conn *c, const char *method, const char *path, const char *body, int *status)
{
    hc_resp r;
    json_t *j = NULL;
    *status = 0;
    if (hc_request(c, method, path, TOKEN, body, body ? strlen(body) : 0, NULL, &r) == 0) {
        *status = r.status;
        j = json_loads(r.body, 0, NULL);
    }
    hc_free(&r);
    return j;
}

static inline int status_of(hc_conn *c, const char *method, const char *path, const char *token, const char *body)
{
    hc_resp r;
    int st = -1;
    if (hc_request(c, method, path, token, body, body ? strlen(body) : 0, NULL, &r) == 0)
        st = r.status;
    hc_free(&r);
    return st;
}

static inline long long create_patient(hc_conn *c, const char *body)
{
    int st;
    json_t *j = req_json(c, "POST", "/api/v1/patients", body, &st);
    long long id = st == 201 ? json_integer_value(json_object_get(j, "id")) : 0;
    json_decref(j);
    return id;
}

#endif
