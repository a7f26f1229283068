/*
** fhir_api.c — the FHIR routes of `sarx serve` (docs/API.md, "FHIR")
** against a real server on loopback: POST /api/v1/fhir/assess (a Bundle
** in, a Bundle out, errors as OperationOutcomes naming the resource and
** path), POST /api/v1/fhir/import (a patient and one visit per date,
** idempotent on resource ids: a changed Observation updates its visit, a
** moved one moves it, never a duplicate; all of a Bundle or nothing, also
** when its sync fails), GET
** /api/v1/patients/{id}/fhir, and the round trip: the export imported
** into a fresh registry gives the same visits, results and export.
**
**   fhir_api SARX     (SARX: the sarx binary to start)
*/
#define _POSIX_C_SOURCE 200809L
#include "apitest.h"

#include <fcntl.h>
#include <limits.h>

#include <jansson.h>

static const char *sarx;
static char dir[] = "/tmp/sarx-fhir-api-XXXXXX";
static char shim[PATH_MAX]; /* failsync.so, beside this program */

#define OBS(id, loinc, date, value, unit)                                                                         \
    "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"" id "\",\"status\":\"final\",\"code\":{\"coding\":"  \
    "[{\"system\":\"http://loinc.org\",\"code\":\"" loinc "\"}]},\"subject\":{\"reference\":\"Patient/p1\"},"     \
    "\"effectiveDateTime\":\"" date "\",\"valueQuantity\":{\"value\":" value ",\"unit\":\"" unit "\",\"system\":" \
    "\"http://unitsofmeasure.org\",\"code\":\"" unit "\"}}}"

/* A patient with three dated sets of measurements and a condition. */
static const char bundle[] =
    "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
    "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\",\"birthDate\":\"1948-05-02\"}},"
    OBS("w1", "29463-7", "2025-09-10", "140", "[lb_av]") ","
    OBS("w2", "29463-7", "2026-01-10", "61", "kg") ","
    OBS("h2", "8302-2", "2026-01-10", "160", "cm") ","
    OBS("w3", "29463-7", "2026-06-10", "56.5", "kg") ","
    OBS("h3", "8302-2", "2026-06-10", "160", "cm") ","
    "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"c1\",\"code\":{\"coding\":[{\"system\":"
    "\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"C34.90\"}]},\"subject\":{\"reference\":\"Patient/p1\"}}}"
    "]}";

/* FHIR's media type, as an EHR sends a Bundle. */
#define FHIR_CT "Content-Type: application/fhir+json\r\n"

/* status, body (malloc'd) and Content-Type of a request whose body (if
** any) is sent with the header lines extra (NULL: application/json). */
static char *ask_as(hc_conn *c, const char *method, const char *path, const char *body, const char *extra,
                    int *status, char ctype[96])
{
    hc_resp r;
    char *out = NULL;
    *status = 0;
    ctype[0] = 0;
    if (hc_request(c, method, path, TOKEN, body, body ? strlen(body) : 0, extra, &r) == 0) {
        *status = r.status;
        hc_header(&r, "Content-Type", ctype, 96);
        out = r.body;
        r.body = NULL;
    }
    hc_free(&r);
    return out;
}

/* The same, a body sent as application/fhir+json. */
static char *ask(hc_conn *c, const char *method, const char *path, const char *body, int *status, char ctype[96])
{
    return ask_as(c, method, path, body, body ? FHIR_CT : NULL, status, ctype);
}

/* An OperationOutcome whose diagnostics contains every one of the words. */
static int is_outcome(const char *body, const char *a, const char *b)
{
    json_t *j = json_loads(body ? body : "", 0, NULL);
    const char *t = json_string_value(json_object_get(j, "resourceType"));
    const char *d = json_string_value(json_object_get(json_array_get(json_object_get(j, "issue"), 0), "diagnostics"));
    int ok = t && !strcmp(t, "OperationOutcome") && d && (!a || strstr(d, a)) && (!b || strstr(d, b));
    if (!ok)
        fprintf(stderr, "  not the OperationOutcome expected: %.300s\n", body ? body : "(none)");
    json_decref(j);
    return ok;
}

/* How many entries of a Bundle are of type (and, when code_system is
** given, coded in it). */
static size_t count_type(const json_t *b, const char *type, const char *code_system)
{
    const json_t *e;
    size_t i, n = 0;
    json_array_foreach(json_object_get(b, "entry"), i, e) {
        const json_t *res = json_object_get(e, "resource");
        const char *t = json_string_value(json_object_get(res, "resourceType"));
        const char *s = json_string_value(
            json_object_get(json_array_get(json_object_get(json_object_get(res, "code"), "coding"), 0), "system"));
        if (t && !strcmp(t, type) && (!code_system || (s && !strcmp(s, code_system))))
            n++;
    }
    return n;
}

static void test_assess(hc_conn *c)
{
    char ct[96], *body;
    json_t *j;
    int st;
    body = ask(c, "POST", "/api/v1/fhir/assess", bundle, &st, ct);
    CHECK_INT(st, 200);
    CHECK_STR(ct, "application/fhir+json");
    j = json_loads(body ? body : "", 0, NULL);
    CHECK_STR(json_string_value(json_object_get(j, "resourceType")), "Bundle");
    CHECK(count_type(j, "Observation", "urn:sarx:fhir:CodeSystem:definition") > 5);
    CHECK(count_type(j, "Condition", NULL) == 0);
    json_decref(j);
    free(body);

    /* the query of POST /assess: definitions, as_of; suggest_conditions */
    body = ask(c, "POST", "/api/v1/fhir/assess?definitions=ewgsop2,glim2019&as_of=2026-06-30&suggest_conditions=1",
                bundle, &st, ct);
    CHECK_INT(st, 200);
    j = json_loads(body ? body : "", 0, NULL);
    CHECK_INT((int)count_type(j, "Observation", "urn:sarx:fhir:CodeSystem:definition"), 2);
    CHECK(strstr(body ? body : "", "\"effectiveDateTime\":\"2026-06-30\"") != NULL);
    json_decref(j);
    free(body);

    /* errors: OperationOutcomes naming resource, id and path */
    {
        char bad[sizeof bundle + 16], *p;
        snprintf(bad, sizeof bad, "%s", bundle);
        p = strstr(bad, "\"code\":\"kg\"");
        memcpy(p, "\"code\":\"g\" ", 11);
        body = ask(c, "POST", "/api/v1/fhir/assess", bad, &st, ct);
        CHECK_INT(st, 400);
        CHECK_STR(ct, "application/fhir+json");
        CHECK(is_outcome(body, "Observation/w2", "valueQuantity.code"));
        free(body);
        body = ask(c, "POST", "/api/v1/fhir/import", bad, &st, ct);
        CHECK_INT(st, 400);
        CHECK(is_outcome(body, "Observation/w2", "entry[2]"));
        free(body);
    }
    body = ask(c, "POST", "/api/v1/fhir/assess", "{\"resourceType\":\"Bundle\",", &st, ct);
    CHECK_INT(st, 400);
    CHECK(is_outcome(body, "malformed JSON", NULL));
    free(body);
    body = ask(c, "POST", "/api/v1/fhir/assess?as_of=2026-02-30", bundle, &st, ct);
    CHECK_INT(st, 400);
    CHECK(is_outcome(body, "as_of", NULL));
    free(body);
    body = ask(c, "POST", "/api/v1/fhir/assess?suggest_conditions=yes", bundle, &st, ct);
    CHECK_INT(st, 400);
    CHECK(is_outcome(body, "suggest_conditions", NULL));
    free(body);
    body = ask(c, "POST", "/api/v1/fhir/assess?definitions=nosuch", bundle, &st, ct);
    CHECK_INT(st, 400);
    free(body);
    body = ask(c, "POST", "/api/v1/fhir/assess", "", &st, ct);
    CHECK_INT(st, 400);
    free(body);
    /* a Bundle with nothing usable: indeterminate, not an error */
    body = ask(c, "POST", "/api/v1/fhir/assess", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}",
                &st, ct);
    CHECK_INT(st, 200);
    free(body);
    /* as every route: the token, the methods */
    CHECK_INT(status_of(c, "POST", "/api/v1/fhir/assess", NULL, bundle), 401);
    CHECK_INT(status_of(c, "POST", "/api/v1/fhir/import", "wrong", bundle), 401);
    CHECK_INT(status_of(c, "GET", "/api/v1/patients/1/fhir", NULL, NULL), 401);
    CHECK_INT(status_of(c, "GET", "/api/v1/fhir/assess", TOKEN, NULL), 405);
    CHECK_INT(status_of(c, "DELETE", "/api/v1/fhir/import", TOKEN, NULL), 405);
    CHECK_INT(status_of(c, "POST", "/api/v1/patients/1/fhir", TOKEN, "{}"), 405);
    CHECK_INT(status_of(c, "GET", "/api/v1/fhir/other", TOKEN, NULL), 404);
    /* the media types: FHIR's (above), with a charset, or plain JSON; any
    ** other is refused before the body is read, as on every route */
    body = ask_as(c, "POST", "/api/v1/fhir/assess", bundle, "Content-Type: application/fhir+json; charset=utf-8\r\n",
                  &st, ct);
    CHECK_INT(st, 200);
    CHECK_STR(ct, "application/fhir+json");
    free(body);
    body = ask_as(c, "POST", "/api/v1/fhir/assess", bundle, NULL, &st, ct); /* application/json */
    CHECK_INT(st, 200);
    CHECK_STR(ct, "application/fhir+json");
    free(body);
    {
        static const char *const wrong[] = {"Content-Type: text/plain\r\n", "Content-Type: application/xml\r\n",
                                            "Content-Type: application/fhir+xml\r\n"};
        size_t k;
        for (k = 0; k < sizeof wrong / sizeof *wrong; k++) {
            json_t *e;
            body = ask_as(c, "POST", k % 2 ? "/api/v1/fhir/import" : "/api/v1/fhir/assess", bundle, wrong[k], &st, ct);
            CHECK_INT(st, 415);
            e = json_loads(body ? body : "", 0, NULL);
            CHECK_STR(json_string_value(json_object_get(json_object_get(e, "error"), "code")), "unsupported_media_type");
            json_decref(e);
            free(body);
        }
    }
}

/* The "action" of visit k of an import's answer. */
static const char *visit_action(const json_t *j, size_t k)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(j, "visits"), k), "action"));
}

static long long test_import(hc_conn *c)
{
    char ct[96], *body, changed[sizeof bundle];
    json_t *j;
    long long pid;
    int st;
    body = ask(c, "POST", "/api/v1/fhir/import", bundle, &st, ct);
    CHECK_INT(st, 200);
    j = json_loads(body ? body : "", 0, NULL);
    pid = json_integer_value(json_object_get(json_object_get(j, "patient"), "id"));
    CHECK(pid > 0);
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "patient"), "action")), "created");
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "patient"), "external_id")), "p1");
    CHECK_INT((int)json_array_size(json_object_get(j, "visits")), 3);
    CHECK_STR(visit_action(j, 0), "created");
    CHECK_STR(visit_action(j, 2), "created");
    json_decref(j);
    free(body);
    {
        /* the patient record and the visits, one per date, with the inputs read */
        char path[96];
        json_t *v, *in;
        snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
        j = req_json(c, "GET", path, NULL, &st);
        v = json_object_get(j, "visits");
        CHECK_INT((int)json_array_size(v), 3);
        in = json_object_get(json_array_get(v, 1), "inputs");
        CHECK_STR(json_string_value(json_object_get(json_array_get(v, 1), "date")), "2026-01-10");
        CHECK_NEAR(json_number_value(json_object_get(in, "weight_kg")), 61, 1e-9);
        CHECK_NEAR(json_number_value(json_object_get(in, "height_cm")), 160, 1e-9);
        CHECK_STR(json_string_value(json_array_get(json_object_get(in, "conditions"), 0)), "icd10:C34.90");
        CHECK(json_object_get(in, "sex") == NULL && json_object_get(in, "age_years") == NULL);
        CHECK_NEAR(json_number_value(json_object_get(json_object_get(json_array_get(v, 0), "inputs"), "weight_kg")),
                   63.5029318, 1e-9);
        json_decref(j);
        snprintf(path, sizeof path, "/api/v1/patients/%lld", pid);
        j = req_json(c, "GET", path, NULL, &st);
        CHECK_STR(json_string_value(json_object_get(j, "sex")), "female");
        CHECK_STR(json_string_value(json_object_get(j, "birth_date")), "1948-05-02");
        json_decref(j);
    }
    /* the same Bundle again changes nothing */
    body = ask(c, "POST", "/api/v1/fhir/import", bundle, &st, ct);
    CHECK_INT(st, 200);
    j = json_loads(body ? body : "", 0, NULL);
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "patient"), "action")), "unchanged");
    CHECK_STR(visit_action(j, 0), "unchanged");
    CHECK_STR(visit_action(j, 1), "unchanged");
    CHECK_STR(visit_action(j, 2), "unchanged");
    json_decref(j);
    free(body);
    /* a changed Observation (same id) updates its date's visit only */
    {
        char *p;
        snprintf(changed, sizeof changed, "%s", bundle);
        p = strstr(changed, "\"value\":56.5");
        memcpy(p, "\"value\":55.5", 12);
    }
    {
        char path[96];
        json_t *before, *v;
        long long old;
        snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
        before = req_json(c, "GET", path, NULL, &st);
        old = json_integer_value(json_object_get(json_array_get(json_object_get(before, "visits"), 2), "id"));
        body = ask(c, "POST", "/api/v1/fhir/import", changed, &st, ct);
        CHECK_INT(st, 200);
        j = json_loads(body ? body : "", 0, NULL);
        CHECK_STR(visit_action(j, 0), "unchanged");
        CHECK_STR(visit_action(j, 1), "unchanged");
        CHECK_STR(visit_action(j, 2), "updated");
        v = json_array_get(json_object_get(j, "visits"), 2);
        CHECK_INT(json_integer_value(json_object_get(v, "replaced")), old);
        CHECK(json_object_get(v, "previous_date") == NULL);
        CHECK_INT((int)json_array_size(json_object_get(j, "removed")), 0);
        json_decref(j);
        free(body);
        /* the same visits but the third, which holds the new value */
        j = req_json(c, "GET", path, NULL, &st);
        CHECK_INT((int)json_array_size(json_object_get(j, "visits")), 3);
        CHECK(json_equal(json_array_get(json_object_get(j, "visits"), 0),
                         json_array_get(json_object_get(before, "visits"), 0)));
        v = json_array_get(json_object_get(j, "visits"), 2);
        CHECK_STR(json_string_value(json_object_get(v, "date")), "2026-06-10");
        CHECK_NEAR(json_number_value(json_object_get(json_object_get(v, "inputs"), "weight_kg")), 55.5, 1e-9);
        json_decref(j);
        json_decref(before);
    }
    /* no Patient id: nothing to match the patient by */
    body = ask(c, "POST", "/api/v1/fhir/import",
                "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":"
                "\"Patient\",\"gender\":\"male\"}}]}",
                &st, ct);
    CHECK_INT(st, 400);
    CHECK(is_outcome(body, "Patient", "id"));
    free(body);
    return pid;
}

/* A Bundle of patient pid (extra: more of the Patient, such as
** ",\"gender\":\"female\"") and the Observations of spec, "ID LOINC DATE
** VALUE UNIT" separated by "|".  malloc'd. */
static char *bundle_of(const char *pid, const char *extra, const char *spec)
{
    size_t cap = 512 + strlen(spec) * 16, n;
    char *b = malloc(cap), *one = strdup(spec), *tok, *save = NULL;
    if (!b || !one) {
        free(b);
        free(one);
        return NULL;
    }
    n = (size_t)snprintf(b, cap,
                         "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{"
                         "\"resourceType\":\"Patient\",\"id\":\"%s\"%s}}",
                         pid, extra);
    for (tok = strtok_r(one, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        char id[32], loinc[16], date[16], value[16], unit[16];
        if (sscanf(tok, "%31s %15s %15s %15s %15s", id, loinc, date, value, unit) != 5)
            continue;
        n += (size_t)snprintf(b + n, cap - n,
                              ",{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"%s\",\"status\":\"final\","
                              "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"%s\"}]},"
                              "\"subject\":{\"reference\":\"Patient/%s\"},\"effectiveDateTime\":\"%s\","
                              "\"valueQuantity\":{\"value\":%s,\"unit\":\"%s\",\"system\":"
                              "\"http://unitsofmeasure.org\",\"code\":\"%s\"}}}",
                              id, loinc, pid, date, value, unit, unit);
    }
    snprintf(b + n, cap - n, "]}");
    free(one);
    return b;
}

/* Import a Bundle: the answer (200 expected), or NULL. */
static json_t *import(hc_conn *c, const char *b)
{
    char ct[96], *body;
    json_t *j;
    int st;
    body = ask(c, "POST", "/api/v1/fhir/import", b, &st, ct);
    j = json_loads(body ? body : "", 0, NULL);
    CHECK_INT(st, 200);
    if (!j || !json_object_get(j, "visits"))
        fprintf(stderr, "  import: %.300s\n", body ? body : "(no answer)");
    free(body);
    return j;
}

/* The dates of a patient's visits, "d1,d2,...". */
static void visit_dates(hc_conn *c, long long pid, char *out, size_t n)
{
    char path[96];
    json_t *j, *v;
    size_t i, k = 0;
    int st;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(c, "GET", path, NULL, &st);
    out[0] = 0;
    json_array_foreach(json_object_get(j, "visits"), i, v)
        k += (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%s", i ? "," : "",
                              json_string_value(json_object_get(v, "date")));
    json_decref(j);
}

#define W1 "w1 29463-7 2025-09-10 70 kg|"
#define V2 "w2 29463-7 2026-01-10 68 kg|h2 8302-2 2026-01-10 165 cm|"

/* Idempotent on resource ids: an Observation moved to another date moves
** its visit; a visit whose every Observation moved into another is
** removed; one with only some of them moved is kept, and said so. */
static void test_import_moves(hc_conn *c)
{
    static const char *const specs[] = {
        /* 0: four dates, one of them a height alone */
        W1 V2 "h4 8302-2 2026-03-01 165 cm|w3 29463-7 2026-06-10 66 kg|h3 8302-2 2026-06-10 165 cm",
        /* 1: w3 and h3 moved to 2026-06-20 */
        W1 V2 "h4 8302-2 2026-03-01 165 cm|w3 29463-7 2026-06-20 66 kg|h3 8302-2 2026-06-20 165 cm",
        /* 2: and h4 moved into 2026-01-10 */
        W1 V2 "h4 8302-2 2026-01-10 165 cm|w3 29463-7 2026-06-20 66 kg|h3 8302-2 2026-06-20 165 cm",
        /* 3: w3 gone, h3 moved into 2026-01-10 */
        W1 V2 "h4 8302-2 2026-01-10 165 cm|h3 8302-2 2026-01-10 165 cm",
    };
    const char *extra = ",\"gender\":\"male\",\"birthDate\":\"1944-02-01\"";
    char *b, dates[160], path[96];
    json_t *j, *v, *w;
    long long pid, v3;
    size_t i;
    int k, st;
    b = bundle_of("m1", extra, specs[0]);
    j = import(c, b);
    free(b);
    pid = json_integer_value(json_object_get(json_object_get(j, "patient"), "id"));
    CHECK(pid > 0);
    CHECK_INT((int)json_array_size(json_object_get(j, "visits")), 4);
    v3 = json_integer_value(json_object_get(json_array_get(json_object_get(j, "visits"), 3), "visit_id"));
    json_decref(j);
    /* twice: nothing changes */
    b = bundle_of("m1", extra, specs[0]);
    j = import(c, b);
    free(b);
    for (k = 0; k < 4; k++)
        CHECK_STR(visit_action(j, (size_t)k), "unchanged");
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "patient"), "action")), "unchanged");
    json_decref(j);
    /* moved: the visit follows its Observations, no duplicate */
    b = bundle_of("m1", extra, specs[1]);
    j = import(c, b);
    free(b);
    CHECK_STR(visit_action(j, 2), "unchanged");
    CHECK_STR(visit_action(j, 3), "updated");
    v = json_array_get(json_object_get(j, "visits"), 3);
    CHECK_STR(json_string_value(json_object_get(v, "date")), "2026-06-20");
    CHECK_STR(json_string_value(json_object_get(v, "previous_date")), "2026-06-10");
    CHECK_INT(json_integer_value(json_object_get(v, "replaced")), v3);
    CHECK_INT((int)json_array_size(json_object_get(j, "removed")), 0);
    json_decref(j);
    visit_dates(c, pid, dates, sizeof dates);
    CHECK_STR(dates, "2025-09-10,2026-01-10,2026-03-01,2026-06-20");
    b = bundle_of("m1", extra, specs[1]);
    j = import(c, b);
    free(b);
    for (k = 0; k < 4; k++)
        CHECK_STR(visit_action(j, (size_t)k), "unchanged");
    json_decref(j);
    /* the height alone moved into another date: its visit is removed */
    b = bundle_of("m1", extra, specs[2]);
    j = import(c, b);
    free(b);
    CHECK_INT((int)json_array_size(json_object_get(j, "visits")), 3);
    for (k = 0; k < 3; k++)
        CHECK_STR(visit_action(j, (size_t)k), "unchanged"); /* 2026-01-10's height was 165 already */
    w = json_array_get(json_object_get(j, "removed"), 0);
    CHECK_INT((int)json_array_size(json_object_get(j, "removed")), 1);
    CHECK_STR(json_string_value(json_object_get(w, "date")), "2026-03-01");
    json_decref(j);
    visit_dates(c, pid, dates, sizeof dates);
    CHECK_STR(dates, "2025-09-10,2026-01-10,2026-06-20");
    /* some of a visit's Observations moved, the others not in the Bundle:
    ** kept as it is, and the answer says so, once */
    for (k = 0; k < 2; k++) {
        int noted = 0;
        b = bundle_of("m1", extra, specs[3]);
        j = import(c, b);
        free(b);
        CHECK_INT((int)json_array_size(json_object_get(j, "visits")), 2);
        CHECK_INT((int)json_array_size(json_object_get(j, "removed")), 0);
        json_array_foreach(json_object_get(j, "notes"), i, v) noted |= strstr(json_string_value(v), "is kept") != NULL;
        CHECK_INT(noted, k == 0);
        json_decref(j);
    }
    visit_dates(c, pid, dates, sizeof dates);
    CHECK_STR(dates, "2025-09-10,2026-01-10,2026-06-20");
    snprintf(path, sizeof path, "/api/v1/patients/%lld", pid);
    CHECK_INT(status_of(c, "DELETE", path, TOKEN, NULL), 204);
    (void)st;
}

/* All of a Bundle or nothing: a visit refused at its date (the record's
** birth date gives 121 years there) leaves the registry as it was: the
** patient's other visits, its record, no new visit. */
static void test_import_atomic(hc_conn *c)
{
    char *b, path[96], ct[96], *body, before[160], after[160];
    json_t *j, *rec;
    long long pid;
    int st;
    pid = create_patient(c, "{\"external_id\":\"a1\",\"sex\":\"female\",\"birth_date\":\"1905-03-01\"}");
    CHECK(pid > 0);
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    CHECK_INT(status_of(c, "POST", path, TOKEN, "{\"assessment_date\":\"2025-01-10\",\"weight_kg\":52}"), 201);
    visit_dates(c, pid, before, sizeof before);
    /* the Bundle would also change the record's sex and population */
    b = bundle_of("a1", ",\"gender\":\"male\"",
                  "x1 29463-7 2025-09-10 50 kg|x2 29463-7 2026-06-10 49 kg|x3 29463-7 2025-01-10 51 kg");
    body = ask(c, "POST", "/api/v1/fhir/import", b, &st, ct);
    CHECK_INT(st, 400);
    CHECK_STR(ct, "application/fhir+json");
    CHECK(is_outcome(body, "the visit of 2026-06-10", "121"));
    CHECK(is_outcome(body, "nothing was imported", NULL));
    free(body);
    free(b);
    visit_dates(c, pid, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_STR(after, "2025-01-10");
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(c, "GET", path, NULL, &st);
    CHECK_NEAR(json_number_value(json_object_get(
                   json_object_get(json_array_get(json_object_get(j, "visits"), 0), "inputs"), "weight_kg")),
               52, 1e-9);
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/patients/%lld", pid);
    rec = req_json(c, "GET", path, NULL, &st);
    CHECK_STR(json_string_value(json_object_get(rec, "sex")), "female");
    json_decref(rec);
    /* nor a new patient: the one of a Bundle refused is not created */
    b = bundle_of("a2", ",\"gender\":\"male\",\"birthDate\":\"1944-01-01\"",
                  "y1 29463-7 2025-09-10 50 kg|y2 29463-7 2025-10-10 500000 kg");
    body = ask(c, "POST", "/api/v1/fhir/import", b, &st, ct);
    CHECK_INT(st, 400);
    free(body);
    free(b);
    j = req_json(c, "GET", "/api/v1/patients?q=a2", NULL, &st);
    CHECK_INT((int)json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    /* the Bundle without the refused date goes in whole */
    b = bundle_of("a1", ",\"gender\":\"male\"", "x1 29463-7 2025-09-10 50 kg|x3 29463-7 2025-01-10 51 kg");
    j = import(c, b);
    free(b);
    CHECK_STR(json_string_value(json_object_get(json_object_get(j, "patient"), "action")), "updated");
    CHECK_STR(visit_action(j, 0), "updated"); /* 2025-01-10, by its date: 51 kg now */
    CHECK_STR(visit_action(j, 1), "created");
    json_decref(j);
    visit_dates(c, pid, after, sizeof after);
    CHECK_STR(after, "2025-01-10,2025-09-10");
    CHECK_INT(status_of(c, "DELETE", path, TOKEN, NULL), 204);
}

/* The export: one Patient, each visit's inputs and results. */
static char *test_export(hc_conn *c, long long pid)
{
    char ct[96], path[96], *body;
    json_t *j, *first;
    int st;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/fhir", pid);
    body = ask(c, "GET", path, NULL, &st, ct);
    CHECK_INT(st, 200);
    CHECK_STR(ct, "application/fhir+json");
    j = json_loads(body ? body : "", 0, NULL);
    first = json_object_get(json_array_get(json_object_get(j, "entry"), 0), "resource");
    CHECK_STR(json_string_value(json_object_get(first, "resourceType")), "Patient");
    CHECK_STR(json_string_value(json_object_get(first, "id")), "p1");
    CHECK_STR(json_string_value(json_object_get(first, "birthDate")), "1948-05-02");
    CHECK_INT((int)count_type(j, "Patient", NULL), 1);
    CHECK_INT((int)count_type(j, "Observation", "http://loinc.org") >= 5, 1);
    CHECK((int)count_type(j, "Observation", "urn:sarx:fhir:CodeSystem:definition") > 3 * 5);
    CHECK(strstr(body, "\"reference\":\"Patient/p1\"") != NULL);
    json_decref(j);
    CHECK_INT(status_of(c, "GET", "/api/v1/patients/999/fhir", TOKEN, NULL), 404);
    return body;
}

/* An export whose ids are at their longest: a 64-character external id,
** two visits on one date with the same inputs, fields whose names share a
** long beginning (weight_loss_pct_6m and _12m).  Every id is a FHIR id
** (at most 64 characters), no two resources of a type share one, and no
** two entries a fullUrl. */
static void test_long_ids(hc_conn *c)
{
    static const char visit[] =
        "{\"assessment_date\":\"2025-09-01\",\"weight_kg\":74,\"height_cm\":168,\"grip_kg\":21,"
        "\"chair_stand_5x_s\":17,\"weight_loss_pct_6m\":6,\"weight_loss_pct_12m\":8,\"sarc_f_strength\":1,"
        "\"sarc_f_assistance\":1,\"conditions\":[\"icd10:C34.90\"]}";
    char ext[65], body[160], path[96], ct[96], *text;
    json_t *j, *e, *seen;
    long long pid;
    size_t i;
    int st, k;
    memset(ext, 'L', 63);
    ext[63] = '1';
    ext[64] = 0;
    snprintf(body, sizeof body, "{\"external_id\":\"%s\",\"sex\":\"female\",\"birth_date\":\"1944-03-01\"}", ext);
    pid = create_patient(c, body);
    CHECK(pid > 0);
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    for (k = 0; k < 2; k++)
        CHECK_INT(status_of(c, "POST", path, TOKEN, visit), 201);
    snprintf(path, sizeof path, "/api/v1/patients/%lld/fhir", pid);
    text = ask(c, "GET", path, NULL, &st, ct);
    CHECK_INT(st, 200);
    j = json_loads(text ? text : "", 0, NULL);
    seen = json_object();
    CHECK(json_array_size(json_object_get(j, "entry")) > 40);
    json_array_foreach(json_object_get(j, "entry"), i, e) {
        const json_t *res = json_object_get(e, "resource");
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        const char *id = json_string_value(json_object_get(res, "id"));
        const char *url = json_string_value(json_object_get(e, "fullUrl"));
        char key[160];
        CHECK(url && !json_object_get(seen, url));
        if (url)
            json_object_set_new(seen, url, json_true());
        if (!id)
            continue;
        CHECK(strlen(id) >= 1 && strlen(id) <= 64 && strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                                  "0123456789-.") == strlen(id));
        snprintf(key, sizeof key, "%s/%s", type ? type : "?", id);
        if (json_object_get(seen, key))
            fprintf(stderr, "  two resources %s\n", key);
        CHECK(!json_object_get(seen, key));
        json_object_set_new(seen, key, json_true());
    }
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(json_array_get(json_object_get(j, "entry"), 0), "resource"), "id")),
              ext);
    json_decref(seen);
    json_decref(j);
    free(text);
    snprintf(path, sizeof path, "/api/v1/patients/%lld", pid);
    CHECK_INT(status_of(c, "DELETE", path, TOKEN, NULL), 204);
}

/* SARC-F as a QuestionnaireResponse: its authored date is a visit's date,
** its answers that visit's items. */
static void test_import_questionnaire(hc_conn *c)
{
    static const char qb[] =
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
        "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"q-p\",\"gender\":\"male\",\"birthDate\":\"1940-01-01\"}},"
        "{\"resource\":{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"q1\",\"status\":\"completed\","
        "\"questionnaire\":\"urn:sarx:fhir:Questionnaire:sarc-f\",\"subject\":{\"reference\":\"Patient/q-p\"},"
        "\"authored\":\"2026-02-01T09:30:00Z\",\"item\":[{\"linkId\":\"sarc_f_strength\",\"answer\":[{\"valueInteger\":2}]},"
        "{\"linkId\":\"sarc_f_falls\",\"answer\":[{\"valueInteger\":1}]}]}}]}";
    char ct[96], path[96], *body;
    json_t *j, *in;
    long long pid;
    int st;
    body = ask(c, "POST", "/api/v1/fhir/import", qb, &st, ct);
    CHECK_INT(st, 200);
    j = json_loads(body ? body : "", 0, NULL);
    pid = json_integer_value(json_object_get(json_object_get(j, "patient"), "id"));
    CHECK_INT((int)json_array_size(json_object_get(j, "visits")), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(j, "visits"), 0), "date")), "2026-02-01");
    json_decref(j);
    free(body);
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(c, "GET", path, NULL, &st);
    in = json_object_get(json_array_get(json_object_get(j, "visits"), 0), "inputs");
    CHECK_INT((int)json_integer_value(json_object_get(in, "sarc_f_strength")), 2);
    CHECK_INT((int)json_integer_value(json_object_get(in, "sarc_f_falls")), 1);
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/patients/%lld", pid);
    CHECK_INT(status_of(c, "DELETE", path, TOKEN, NULL), 204);
}

/* A Bundle of patient "sx" with a weight on each of the dates (up to 4). */
static void weights_bundle(char *out, size_t n, const char *const *dates, size_t nd)
{
    size_t i, k = (size_t)snprintf(out, n,
                                   "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{"
                                   "\"resourceType\":\"Patient\",\"id\":\"sx\",\"gender\":\"female\","
                                   "\"birthDate\":\"1950-01-01\"}}");
    for (i = 0; i < nd && k < n; i++)
        k += (size_t)snprintf(out + k, n - k,
                              ",{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"w%zu\",\"status\":\"final\","
                              "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\"}]},"
                              "\"effectiveDateTime\":\"%s\",\"valueQuantity\":{\"value\":%zu,\"unit\":\"kg\","
                              "\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}}",
                              i, dates[i], 70 - i);
    if (k < n)
        snprintf(out + k, n - k, "]}");
}

/* An import whose sync fails is "may or may not survive", naming the
** patient; the next one is refused, nothing written; after a restart the
** patient's visits are those of one import or of the other, whole.  The
** server runs with failsync.so (beside this program) preloaded. */
static void test_import_sync_failure(void)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    static const char *const first[] = {"2026-01-05", "2026-02-05"};
    static const char *const moved[] = {"2026-01-05", "2026-03-05", "2026-04-05"};
    char db[160], trigger[160], b1[2048], b2[2048], path[96], ct[96], *body;
    const char *const env[] = {"SARX_FAILSYNC", trigger, NULL};
    hc_server s;
    hc_conn c = {-1, 0};
    json_t *j, *v;
    long long pid;
    size_t i;
    int st, fd;
    char dates[128];
    snprintf(db, sizeof db, "%s/importsync.db", dir);
    snprintf(trigger, sizeof trigger, "%s/failsync.on", dir);
    weights_bundle(b1, sizeof b1, first, 2);
    weights_bundle(b2, sizeof b2, moved, 3); /* w1 moves to 2026-03-05, w2 is new */
    if (hc_start_shimmed(sarx, db, TOKEN, shim, extra, env, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    body = ask(&c, "POST", "/api/v1/fhir/import", b1, &st, ct);
    CHECK_INT(st, 200);
    j = json_loads(body ? body : "", 0, NULL);
    pid = json_integer_value(json_object_get(json_object_get(j, "patient"), "id"));
    json_decref(j);
    free(body);
    fd = open(trigger, O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    body = ask(&c, "POST", "/api/v1/fhir/import", b2, &st, ct);
    CHECK_INT(st, 500);
    snprintf(path, sizeof path, "patient %lld (external_id sx) and its visits", pid);
    CHECK(body && strstr(body, "OperationOutcome") && strstr(body, path) && strstr(body, "may or may not survive"));
    free(body);
    body = ask(&c, "POST", "/api/v1/fhir/import", b1, &st, ct);
    CHECK_INT(st, 503); /* refused: nothing written */
    CHECK(body && strstr(body, "OperationOutcome") && strstr(body, "transient") && strstr(body, "nothing was written"));
    free(body);
    CHECK(unlink(trigger) == 0);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return;
    }
    c.port = s.port;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(&c, "GET", path, NULL, &st);
    dates[0] = 0;
    json_array_foreach(json_object_get(j, "visits"), i, v) {
        size_t k = strlen(dates);
        snprintf(dates + k, sizeof dates - k, "%s%s", i ? "," : "", json_string_value(json_object_get(v, "date")));
    }
    json_decref(j);
    if (strcmp(dates, "2026-01-05,2026-02-05") && strcmp(dates, "2026-01-05,2026-03-05,2026-04-05"))
        fprintf(stderr, "  the visits after the restart: %s\n", dates);
    CHECK(!strcmp(dates, "2026-01-05,2026-02-05") || !strcmp(dates, "2026-01-05,2026-03-05,2026-04-05"));
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
}

/* The categories of every visit of a patient (the timeline), as text. */
static char *categories(hc_conn *c, long long pid)
{
    char path[96];
    json_t *j, *v, *out = json_array();
    size_t i;
    int st;
    char *s;
    snprintf(path, sizeof path, "/api/v1/patients/%lld/timeline", pid);
    j = req_json(c, "GET", path, NULL, &st);
    json_array_foreach(json_object_get(j, "visits"), i, v)
        json_array_append_new(out, json_pack("{s:O,s:O}", "date", json_object_get(v, "date"), "results",
                                             json_object_get(v, "results")));
    s = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(out);
    json_decref(j);
    return s;
}

/* The export into a fresh registry: the same visits, results and export. */
static void test_round_trip(hc_conn *c, long long pid, const char *exported)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[160], ct[96], path[96], *body, *before, *after, *again;
    json_t *j, *va, *vb;
    hc_server s2;
    hc_conn c2 = {-1, 0};
    long long pid2;
    size_t i;
    int st;
    snprintf(db, sizeof db, "%s/fresh.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s2)) {
        h_fail++;
        return;
    }
    c2.port = s2.port;
    body = ask(&c2, "POST", "/api/v1/fhir/import", exported, &st, ct);
    CHECK_INT(st, 200);
    j = json_loads(body ? body : "", 0, NULL);
    pid2 = json_integer_value(json_object_get(json_object_get(j, "patient"), "id"));
    CHECK_INT((int)json_array_size(json_object_get(j, "skipped_dates")), 0);
    json_decref(j);
    free(body);
    /* the same visits (dates and inputs) */
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid);
    j = req_json(c, "GET", path, NULL, &st);
    va = json_incref(json_object_get(j, "visits"));
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/patients/%lld/visits", pid2);
    j = req_json(&c2, "GET", path, NULL, &st);
    vb = json_incref(json_object_get(j, "visits"));
    json_decref(j);
    CHECK_INT((int)json_array_size(va), (int)json_array_size(vb));
    for (i = 0; i < json_array_size(va) && i < json_array_size(vb); i++) {
        CHECK(json_equal(json_object_get(json_array_get(va, i), "date"), json_object_get(json_array_get(vb, i), "date")));
        CHECK(json_equal(json_object_get(json_array_get(va, i), "inputs"),
                         json_object_get(json_array_get(vb, i), "inputs")));
    }
    json_decref(va);
    json_decref(vb);
    /* the same results */
    before = categories(c, pid);
    after = categories(&c2, pid2);
    CHECK(before && after && !strcmp(before, after));
    free(before);
    free(after);
    /* and the same export, byte for byte */
    snprintf(path, sizeof path, "/api/v1/patients/%lld/fhir", pid2);
    again = ask(&c2, "GET", path, NULL, &st, ct);
    CHECK(again && !strcmp(again, exported));
    free(again);
    /* importing the export again changes nothing */
    body = ask(&c2, "POST", "/api/v1/fhir/import", exported, &st, ct);
    j = json_loads(body ? body : "", 0, NULL);
    CHECK_STR(visit_action(j, 0), "unchanged");
    CHECK_STR(visit_action(j, 2), "unchanged");
    json_decref(j);
    free(body);
    hc_close(&c2);
    CHECK_INT(hc_stop(&s2, SIGTERM), 0);
}

int main(int argc, char **argv)
{
    static const char *const extra[] = {"--access-log", "off", NULL};
    char db[128], *exported;
    hc_server s;
    hc_conn c = {-1, 0};
    long long pid;
    if (argc != 2) {
        fputs("usage: fhir_api SARX\n", stderr);
        return 2;
    }
    sarx = argv[1];
    signal(SIGPIPE, SIG_IGN);
    hc_shim_path(argv[0], shim, sizeof shim); /* the sync-failure shim */
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s/reg.db", dir);
    if (hc_start(sarx, db, TOKEN, extra, &s)) {
        h_fail++;
        return h_summary("fhir_api");
    }
    c.port = s.port;
    test_assess(&c);
    pid = test_import(&c);
    exported = test_export(&c, pid);
    test_long_ids(&c);
    test_import_questionnaire(&c);
    test_import_moves(&c);
    test_import_atomic(&c);
    if (exported)
        test_round_trip(&c, pid, exported);
    free(exported);
    hc_close(&c);
    CHECK_INT(hc_stop(&s, SIGTERM), 0);
    test_import_sync_failure();
    {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    return h_summary("fhir_api");
}
