/*
** fhir.c — the FHIR routes (docs/API.md, "FHIR"): a Bundle assessed, a
** Bundle imported into the registry as a patient and its visits, and a
** patient exported as one Bundle.  Reading and writing FHIR is the
** library's (sarx_fhir_read, sarx_fhir_bundle, sarx_fhir_subject_bundle);
** this file groups, merges and stores.  Errors are OperationOutcomes
** (application/fhir+json) whose diagnostics is the library's message.
*/
#include "server.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FHIR_JSON "application/fhir+json"
#define ICD10 "http://hl7.org/fhir/sid/icd-10"

/* An OperationOutcome with one issue: severity error, the FHIR issue type
** (invalid, not-found, conflict, transient, exception, ...), diagnostics. */
static void outcome(srv_response *resp, int status, const char *type, const char *msg)
{
    json_t *o = json_pack("{s:s,s:[{s:s,s:s,s:s}]}", "resourceType", "OperationOutcome", "issue", "severity", "error",
                          "code", type, "diagnostics", msg);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!s)
        srv_api_error(resp, 500, "internal", "out of memory");
    else
        srv_set_body(resp, status, FHIR_JSON, s, free);
}

/* A library refusal (400) or out of memory (500). */
static void refused(srv_response *resp, const sarx_error *err)
{
    if (err->code == SARX_ENOMEM)
        outcome(resp, 500, "exception", "out of memory");
    else
        outcome(resp, 400, "invalid", err->message);
}

/* A registry outcome, as the other routes map it. */
static void failed(srv_response *resp, int rc, const sarx_error *err)
{
    switch (rc) {
    case SRV_NOTFOUND: outcome(resp, 404, "not-found", err->message); break;
    case SRV_INVALID: outcome(resp, 400, "invalid", err->message); break;
    case SRV_CONFLICT: outcome(resp, 409, "conflict", err->message); break;
    case SRV_BUSY:
    case SRV_UNAVAILABLE: outcome(resp, 503, "transient", err->message); break;
    default: outcome(resp, 500, "exception", err->message[0] ? err->message : "registry failure"); break;
    }
}

static const char *query(const srv_request *req, const char *key)
{
    return req->query ? req->query(req->ud, key) : NULL;
}

/* 1 when the body is there and declared JSON or FHIR JSON; else the answer. */
static int body_ok(const srv_request *req, srv_response *resp)
{
    if (!srv_media_json(req->content_type)) {
        outcome(resp, 415, "not-supported",
                "send the body as application/fhir+json or application/json (UTF-8)");
        return 0;
    }
    if (!req->body || req->body_len == 0) {
        outcome(resp, 400, "invalid", "the request has no body (a FHIR Bundle is expected)");
        return 0;
    }
    return 1;
}

/* ?as_of=YYYY-MM-DD (NULL when absent); 0 and a 400 when not a date. */
static int as_of_param(const srv_request *req, const char **as_of, srv_response *resp)
{
    char msg[128];
    *as_of = query(req, "as_of");
    if (!*as_of || srv_date_days(*as_of) != SRV_BAD_DATE)
        return 1;
    snprintf(msg, sizeof msg, "query parameter \"as_of\": \"%.40s\" is not a date (allowed: YYYY-MM-DD)", *as_of);
    outcome(resp, 400, "invalid", msg);
    return 0;
}

/* ?suggest_conditions=0|1; 0 and a 400 for anything else. */
static int suggest_param(const srv_request *req, int *on, srv_response *resp)
{
    const char *s = query(req, "suggest_conditions");
    char msg[128];
    *on = s && !strcmp(s, "1");
    if (!s || !strcmp(s, "0") || !strcmp(s, "1"))
        return 1;
    snprintf(msg, sizeof msg, "query parameter \"suggest_conditions\": \"%.40s\" (allowed: 0, 1)", s);
    outcome(resp, 400, "invalid", msg);
    return 0;
}

/* ?definitions=LIST, as POST /api/v1/assess takes it. */
static int definitions_param(const srv_app *app, const srv_request *req, sarx_ctx **sel, unsigned *flags,
                             srv_response *resp)
{
    const char *list = query(req, "definitions");
    sarx_error err;
    *sel = NULL;
    if (!list)
        return 1;
    if (sarx_ctx_select(app->ctx, list, sel, &err) != SARX_OK) {
        refused(resp, &err);
        return 0;
    }
    if (sarx_definition_count(*sel) < sarx_definition_count(app->ctx))
        *flags |= SARX_ASSESS_NO_GUIDANCE;
    return 1;
}

/* ---- POST /api/v1/fhir/assess ---- */

void srv_fhir_assess(const srv_app *app, const srv_request *req, srv_response *resp)
{
    const char *as_of;
    sarx_ctx *sel = NULL;
    sarx_subject *s = NULL;
    sarx_fhir_info *info = NULL;
    sarx_assessment *a = NULL;
    sarx_error err;
    unsigned flags = 0;
    int suggest;
    char *out;
    if (!body_ok(req, resp) || !as_of_param(req, &as_of, resp) || !suggest_param(req, &suggest, resp) ||
        !definitions_param(app, req, &sel, &flags, resp))
        return;
    memset(&err, 0, sizeof err);
    if (sarx_subject_new(&s))
        outcome(resp, 500, "exception", "out of memory");
    else if (sarx_fhir_read(req->body, req->body_len, as_of, s, &info, &err))
        refused(resp, &err);
    else if (sarx_assess_ex(sel ? sel : app->ctx, s, flags, &a, &err))
        refused(resp, &err);
    else if (!(out = sarx_fhir_bundle(a, info, suggest ? SARX_FHIR_SUGGEST_CONDITIONS : 0)))
        outcome(resp, 500, "exception", "out of memory");
    else
        srv_set_body(resp, 200, FHIR_JSON, out, sarx_free);
    sarx_assessment_free(a);
    sarx_fhir_info_free(info);
    sarx_subject_free(s);
    sarx_ctx_free(sel);
}

/* ---- ids ---- */

/* A urn:uuid from two strings (FNV-1a, 128 bits, written as a version 8
** UUID): the same patient and resource give the same fullUrl. */
static unsigned long long fnv(unsigned long long h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

static void uuid_for(char out[46], const char *a, const char *b)
{
    unsigned long long x = fnv(fnv(fnv(0xcbf29ce484222325ull, a), "|"), b);
    unsigned long long y = fnv(fnv(fnv(0x84222325cbf29ce4ull, b), "|"), a);
    snprintf(out, 46, "urn:uuid:%08llx-%04llx-8%03llx-%04llx-%012llx", x >> 32, (x >> 16) & 0xffff, x & 0xfff,
             0x8000 | ((y >> 48) & 0x3fff), y & 0xffffffffffffull);
}

/* A FHIR id of at most 64 characters from id: itself when short enough,
** else its first 55 characters, "-" and 8 hex digits of a hash of the
** whole, so that two long ids with the same beginning stay two ids. */
static void fit_id(char out[65], const char *id)
{
    size_t n = strlen(id);
    unsigned long long h;
    if (n <= 64) {
        memcpy(out, id, n + 1);
        return;
    }
    h = fnv(0xcbf29ce484222325ull, id);
    snprintf(out, 65, "%.55s-%08llx", id, (h ^ (h >> 32)) & 0xffffffffull);
}

/* Is s a FHIR id ([A-Za-z0-9.-]{1,64})? */
static int fhir_id(const char *s)
{
    size_t i;
    for (i = 0; s && s[i]; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '.' || s[i] == '-'))
            return 0;
    return s && i >= 1 && i <= 64;
}

/* ---- GET /api/v1/patients/{id}/fhir ---- */

/* The export is written as text, entry by entry: the library's result
** Bundles are spliced in as they come (their subject set to the Patient),
** not parsed back into a tree and written again.  That parse and the
** second writing were half of an export's time, and under the sanitizers
** of the fuzz target an export of two visits took 23 ms. */
typedef struct text_buf {
    char *p;
    size_t n, cap;
    int bad; /* out of memory */
} text_buf;

static void put(text_buf *b, const char *s, size_t n)
{
    if (b->bad)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *p;
        while (cap < b->n + n + 1)
            cap *= 2;
        if (!(p = realloc(b->p, cap))) {
            b->bad = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

typedef struct export_ctx {
    char pid[72], ref[80];
    json_t *patient; /* the Patient resource */
    text_buf entries; /* the entries after the Patient's, comma-separated */
    char last[11];    /* the date of the visit before */
    int nth;          /* visits on that date so far */
} export_ctx;

#define EXPORT_DUMP (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* One entry, {"fullUrl": url, "resource": res}, written after the others. */
static int add_entry(text_buf *b, const char *url, json_t *res)
{
    json_t *e = json_pack("{s:s,s:O}", "fullUrl", url, "resource", res);
    char *text = e ? json_dumps(e, EXPORT_DUMP) : NULL;
    json_decref(e);
    if (!text)
        return 1;
    if (b->n)
        put(b, ",", 1);
    put(b, text, strlen(text));
    free(text);
    return b->bad;
}

/* The visit's own inputs (no history: each weight is its own visit's) as
** the library writes a subject, each resource's id prefixed by the visit's
** date (and its place among the visits of that date, from the second on;
** longer than 64 characters, shortened by fit_id): the same in any
** registry the visits are imported into. */
static int export_inputs(export_ctx *x, const json_t *patient, const json_t *visit)
{
    const json_t *inputs = json_object_get(visit, "inputs");
    const char *date = json_string_value(json_object_get(visit, "date"));
    json_t *in, *b = NULL, *e;
    sarx_subject *s = NULL;
    sarx_error err;
    char d[11], *text = NULL;
    size_t i;
    int bad = 0;
    if (!json_is_object(inputs) || !date)
        return 0; /* damaged: its result is left out too (no assessment) */
    if (strcmp(x->last, date)) {
        snprintf(x->last, sizeof x->last, "%s", date);
        x->nth = 0;
    }
    x->nth++;
    if (!(in = json_copy((json_t *)inputs)) || sarx_subject_new(&s)) {
        json_decref(in);
        return 1;
    }
    if (!json_object_get(in, "assessment_date"))
        bad |= json_object_set_new(in, "assessment_date", json_string(date));
    if (!bad && srv_visit_subject(patient, in, NULL, 0, s, d, NULL, &err) != 0) {
        /* the record now contradicts the visit: the visit's own values */
        json_t *none = json_object();
        bad = !none || srv_visit_subject(none, in, NULL, 0, s, d, NULL, &err) != 0;
        json_decref(none);
        if (bad && err.code != SARX_ENOMEM)
            bad = -1;
    }
    if (!bad && (!(text = sarx_fhir_subject_bundle(s, x->pid, 0)) || !(b = json_loads(text, 0, NULL))))
        bad = 1;
    json_array_foreach(json_object_get(b, "entry"), i, e) {
        json_t *res = json_object_get(e, "resource");
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        const char *id = json_string_value(json_object_get(res, "id"));
        char full[160], nid[65], url[46];
        if (bad || !type || !id)
            continue;
        if (!strcmp(type, "Patient")) { /* what the record lacks, from the first visit that has it */
            const char *k[] = {"gender", "birthDate"};
            size_t j;
            for (j = 0; j < 2; j++)
                if (!json_object_get(x->patient, k[j]) && json_object_get(res, k[j]))
                    bad |= json_object_set(x->patient, k[j], json_object_get(res, k[j]));
            continue;
        }
        if (x->nth > 1)
            snprintf(full, sizeof full, "%s-%d-%s", date, x->nth, id);
        else
            snprintf(full, sizeof full, "%s-%s", date, id);
        fit_id(nid, full);
        uuid_for(url, x->pid, nid);
        bad |= json_object_set_new(res, "id", json_string(nid));
        bad |= json_object_set_new(res, "subject", json_pack("{s:s}", "reference", x->ref));
        if (!strcmp(type, "Condition")) /* import: a Condition counts from this date on */
            bad |= json_object_set_new(res, "recordedDate", json_string(date));
        bad |= add_entry(&x->entries, url, res);
    }
    json_decref(b);
    json_decref(in);
    sarx_free(text);
    sarx_subject_free(s);
    return bad > 0;
}

/* The visit's result as sarx_fhir_bundle writes it, about the Patient: the
** text of its entries, each "subject" reference (the library's, the same
** in every resource) replaced by the Patient's.  The library writes compact
** JSON, so a quote that is not escaped is JSON syntax, never inside a
** string: the "subject" pattern can only match the Bundle's own members;
** the library writes "urn:uuid:" only in fullUrls and references.
** From the second visit of a date on, each urn:uuid (a fullUrl, or a
** reference to one) is made anew from the date, the place and itself: two
** visits of one date with the same inputs have the same result, and the
** same fullUrls twice would make the Bundle invalid (bdl-7). */
static int export_result(export_ctx *x, const sarx_assessment *a)
{
    static const char ENTRY[] = ",\"entry\":[", SUBJECT[] = "\"subject\":{\"reference\":\"", UUID[] = "urn:uuid:";
    char *text = sarx_fhir_bundle(a, NULL, 0), old[160], *p, *end, *q, *u;
    size_t n, olen;
    if (!text)
        return 1;
    n = strlen(text);
    p = strstr(text, ENTRY);
    if (!p || n < 2 || strcmp(text + n - 2, "]}")) {
        sarx_free(text);
        return 1; /* not the Bundle sarx_fhir_bundle writes */
    }
    p += sizeof ENTRY - 1;
    end = text + n - 2;
    if (p == end) { /* no entries */
        sarx_free(text);
        return 0;
    }
    /* the library's reference: "subject":{"reference":"Patient/..."} */
    q = strstr(p, SUBJECT);
    old[0] = '\0';
    if (q) {
        const char *r = q + sizeof SUBJECT - 1, *close = strstr(r, "\"}");
        if (!close || (size_t)(close - q) + 2 >= sizeof old) {
            sarx_free(text);
            return 1;
        }
        memcpy(old, q, (size_t)(close - q) + 2);
        old[(close - q) + 2] = '\0';
    }
    olen = strlen(old);
    if (x->entries.n)
        put(&x->entries, ",", 1);
    for (;;) {
        q = olen ? strstr(p, old) : NULL;
        u = x->nth > 1 ? strstr(p, UUID) : NULL;
        if (q && q >= end)
            q = NULL;
        if (u && (u >= end || end - u < 45))
            u = NULL;
        if (!q && !u)
            break;
        if (q && (!u || q < u)) {
            put(&x->entries, p, (size_t)(q - p));
            put(&x->entries, SUBJECT, sizeof SUBJECT - 1);
            put(&x->entries, x->ref, strlen(x->ref));
            put(&x->entries, "\"}", 2);
            p = q + olen;
        } else {
            char key[96], url[46];
            snprintf(key, sizeof key, "%s-%d:%.36s", x->last, x->nth, u + 9);
            uuid_for(url, x->pid, key);
            put(&x->entries, p, (size_t)(u - p));
            put(&x->entries, url, 45);
            p = u + 45;
        }
    }
    put(&x->entries, p, (size_t)(end - p));
    sarx_free(text);
    return x->entries.bad;
}

static int export_visit(void *ud, const json_t *patient, const json_t *visit, const sarx_assessment *a,
                        const sarx_error *err)
{
    export_ctx *x = ud;
    (void)err; /* a visit that cannot be assessed has no result to export */
    if (export_inputs(x, patient, visit) || (a && export_result(x, a)))
        return SRV_FAIL;
    return SRV_OK;
}

void srv_fhir_export(const srv_app *app, long long pid, srv_response *resp)
{
    export_ctx x;
    json_t *rec = NULL, *first = NULL;
    text_buf out = {NULL, 0, 0, 0};
    sarx_error err;
    char url[46], *text = NULL;
    int rc, oom = 0;
    const char *ext, *v;
    memset(&x, 0, sizeof x);
    memset(&err, 0, sizeof err);
    if ((rc = srv_patient_get(app->reg, pid, &rec, &err)) != 0) {
        failed(resp, rc, &err);
        return;
    }
    ext = json_string_value(json_object_get(rec, "external_id"));
    if (fhir_id(ext))
        snprintf(x.pid, sizeof x.pid, "%s", ext);
    else
        snprintf(x.pid, sizeof x.pid, "%lld", pid);
    snprintf(x.ref, sizeof x.ref, "Patient/%s", x.pid);
    x.patient = json_pack("{s:s,s:s}", "resourceType", "Patient", "id", x.pid);
    if (x.patient && (v = json_string_value(json_object_get(rec, "sex"))) != NULL)
        json_object_set_new(x.patient, "gender", json_string(v));
    if (x.patient && (v = json_string_value(json_object_get(rec, "birth_date"))) != NULL)
        json_object_set_new(x.patient, "birthDate", json_string(v));
    json_decref(rec);
    rc = x.patient ? srv_fhir_patient_visits(app->reg, pid, export_visit, &x, &err) : SRV_FAIL;
    if (!rc) { /* the Patient first: what the visits filled in is known now */
        uuid_for(url, x.pid, "Patient");
        put(&out, "{\"resourceType\":\"Bundle\",\"id\":\"", 31);
        put(&out, url + 9, strlen(url + 9));
        put(&out, "\",\"type\":\"collection\",\"entry\":[", 31);
        first = json_pack("{s:s,s:O}", "fullUrl", url, "resource", x.patient);
        text = first ? json_dumps(first, EXPORT_DUMP) : NULL;
        put(&out, text ? text : "", text ? strlen(text) : 0);
        if (x.entries.n)
            put(&out, ",", 1);
        put(&out, x.entries.p ? x.entries.p : "", x.entries.n);
        put(&out, "]}", 2);
        oom = !text || out.bad || x.entries.bad;
    }
    if (rc)
        failed(resp, rc, &err);
    else if (oom)
        outcome(resp, 500, "exception", "out of memory");
    else
        srv_set_body(resp, 200, FHIR_JSON, out.p, free), out.p = NULL;
    free(out.p);
    free(text);
    free(x.entries.p);
    json_decref(first);
    json_decref(x.patient);
}

/* ---- POST /api/v1/fhir/import ---- */

/* The date part of a resource's effective time, or a QuestionnaireResponse's
** authored time ("" when none or no day). */
static void effective_date(const json_t *res, char out[11])
{
    const json_t *p = json_object_get(res, "effectivePeriod");
    const char *d = json_string_value(json_object_get(res, "effectiveDateTime"));
    if (!d)
        d = json_string_value(json_object_get(res, "authored"));
    if (!d)
        d = json_string_value(json_object_get(p, "end"));
    if (!d)
        d = json_string_value(json_object_get(p, "start"));
    if (!d)
        d = json_string_value(json_object_get(res, "effectiveInstant"));
    out[0] = 0;
    if (d && strlen(d) >= 10) {
        memcpy(out, d, 10);
        out[10] = 0;
        if (srv_date_days(out) == SRV_BAD_DATE)
            out[0] = 0;
    }
}

/* A dated resource the library may use: an Observation final, amended or
** corrected, a QuestionnaireResponse (SARC-F) completed or amended. */
static int counts(const json_t *res)
{
    const char *type = json_string_value(json_object_get(res, "resourceType"));
    const char *st = json_string_value(json_object_get(res, "status"));
    if (!type || !st)
        return 0;
    if (!strcmp(type, "QuestionnaireResponse"))
        return !strcmp(st, "completed") || !strcmp(st, "amended");
    return !strcmp(type, "Observation") &&
           (!strcmp(st, "final") || !strcmp(st, "amended") || !strcmp(st, "corrected"));
}

static int cmp_date(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* The Bundle of one date: the Patient, that date's Observations and
** QuestionnaireResponses, and the
** Conditions recorded on or before it (or with no recordedDate). */
static char *date_bundle(const json_t *root, const char *date)
{
    json_t *b = json_pack("{s:s,s:s,s:[]}", "resourceType", "Bundle", "type", "collection", "entry"), *e;
    json_t *entries = json_object_get(b, "entry");
    size_t i;
    char *text;
    int bad = !b;
    json_array_foreach(json_object_get(root, "entry"), i, e) {
        const json_t *res = json_object_get(e, "resource");
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        const char *rec = json_string_value(json_object_get(res, "recordedDate"));
        char d[11];
        if (!type || bad)
            continue;
        if (!strcmp(type, "Observation") || !strcmp(type, "QuestionnaireResponse")) {
            effective_date(res, d);
            if (strcmp(d, date))
                continue;
        } else if (strcmp(type, "Patient") && (strcmp(type, "Condition") || (rec && strncmp(rec, date, 10) > 0))) {
            continue;
        }
        bad |= json_array_append(entries, e);
    }
    text = bad ? NULL : json_dumps(b, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(b);
    return text;
}

/* A number as the registry stores what a person types: whole numbers as
** integers, others to the 15 significant digits FHIR output is written
** with (so that the registry's FHIR export reads back as the same inputs). */
static json_t *number(double v)
{
    char text[32];
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    snprintf(text, sizeof text, "%.15g", v);
    return json_real(strtod(text, NULL));
}

/* The visit inputs of a subject read from FHIR: every canonical field it
** has (canonical units), its conditions, the date; not the id, sex and
** population (the patient's), nor the age when the record has a birth date. */
static json_t *visit_inputs(const sarx_subject *s, const char *date, int skip_age)
{
    json_t *in = json_object(), *b = NULL, *conds = json_array(), *e;
    char *text;
    size_t i;
    int bad = !in || !conds;
    for (i = 0; !bad && i < sarx_field_count(); i++) {
        const sarx_field_info *f = sarx_field_at(i);
        double v;
        if (strcmp(f->name, f->canonical) || !strcmp(f->name, "sex") || !strcmp(f->name, "population") ||
            (skip_age && !strcmp(f->name, "age_years")))
            continue;
        if (f->kind != SARX_KIND_NUMBER && f->kind != SARX_KIND_INTEGER && f->kind != SARX_KIND_BOOL &&
            f->kind != SARX_KIND_ENUM)
            continue;
        if (isnan(v = sarx_subject_get(s, f->name)))
            continue;
        if (f->kind == SARX_KIND_BOOL) {
            bad |= json_object_set_new(in, f->name, json_boolean(v != 0));
        } else if (f->kind == SARX_KIND_ENUM) {
            const char *w = f->values, *bar;
            int k;
            for (k = 1; k < (int)v && (bar = strchr(w, '|')) != NULL; k++)
                w = bar + 1;
            bar = strchr(w, '|');
            bad |= json_object_set_new(in, f->name, json_stringn(w, bar ? (size_t)(bar - w) : strlen(w)));
        } else {
            bad |= json_object_set_new(in, f->name, number(v));
        }
    }
    /* the conditions, as the library writes them back: ICD-10 codes coded, others as text */
    text = bad ? NULL : sarx_fhir_subject_bundle(s, NULL, 0);
    b = text ? json_loads(text, 0, NULL) : NULL;
    bad |= !b;
    json_array_foreach(json_object_get(b, "entry"), i, e) {
        const json_t *res = json_object_get(e, "resource"), *code = json_object_get(res, "code");
        const json_t *c0 = json_array_get(json_object_get(code, "coding"), 0);
        const char *sys = json_string_value(json_object_get(c0, "system"));
        const char *t = json_string_value(json_object_get(res, "resourceType"));
        if (bad || !t || strcmp(t, "Condition"))
            continue;
        json_t *item = sys && !strcmp(sys, ICD10)
                           ? json_sprintf("icd10:%s", json_string_value(json_object_get(c0, "code")))
                           : json_incref(json_object_get(code, "text")), *have;
        size_t j;
        int dup = 0;
        json_array_foreach(conds, j, have) dup |= json_equal(have, item); /* once, however often recorded */
        if (item && !dup)
            bad |= json_array_append(conds, item);
        json_decref(item);
    }
    if (!bad && json_array_size(conds))
        bad |= json_object_set(in, "conditions", conds);
    bad |= json_object_set_new(in, "assessment_date", json_string(date));
    json_decref(conds);
    json_decref(b);
    sarx_free(text);
    if (bad) {
        json_decref(in);
        return NULL;
    }
    return in;
}

/* Does a CodeableConcept have a coding in system? */
static int has_system(const json_t *concept, const char *system)
{
    const json_t *c;
    size_t i;
    json_array_foreach(json_object_get(concept, "coding"), i, c) {
        const char *sys = json_string_value(json_object_get(c, "system"));
        if (sys && !strcmp(sys, system))
            return 1;
    }
    return 0;
}

/* sarx's own results (an Observation coded by a definition, or valued by a
** category, as GET /patients/{id}/fhir writes them) are not inputs: each is
** replaced by a Basic resource, which the reader notes and ignores, so that
** the entries keep their places for the messages.  How many. */
static size_t strip_results(json_t *root)
{
    json_t *e;
    size_t i, n = 0;
    json_array_foreach(json_object_get(root, "entry"), i, e) {
        const json_t *res = json_object_get(e, "resource");
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        if (!type || strcmp(type, "Observation") ||
            !(has_system(json_object_get(res, "code"), "urn:sarx:fhir:CodeSystem:definition") ||
              has_system(json_object_get(res, "valueCodeableConcept"), "urn:sarx:fhir:CodeSystem:category")))
            continue;
        if (!json_object_set_new(e, "resource", json_pack("{s:s}", "resourceType", "Basic")))
            n++;
    }
    return n;
}

/* What the Bundle says, grouped: the Patient's id, sex and birth date, and
** per date the visit's inputs.  0, or a status with the answer in resp. */
typedef struct import_plan {
    const char *ext;     /* the Patient's id: the external_id */
    const char *sex;     /* NULL when not given (or neither male nor female) */
    const char *birth;   /* NULL unless a full date */
    char population[16]; /* "" unless an Observation gives it */
    json_t *visits;      /* [{date, inputs}] oldest first */
    json_t *skipped;     /* dates with no Observation the library used */
    json_t *notes;       /* the library's notes on the whole Bundle */
} import_plan;

static int plan_import(const srv_app *app, const char *body, size_t len, json_t *root, import_plan *p,
                       srv_response *resp)
{
    json_t *dates = json_array(), *e, *patient = NULL;
    sarx_subject *s = NULL;
    sarx_fhir_info *info = NULL;
    sarx_error err;
    const char *latest = NULL;
    size_t i, n;
    char msg[320];
    json_t **sorted = NULL;
    int rc = 400;
    (void)app;
    memset(&err, 0, sizeof err);
    if (!dates || sarx_subject_new(&s)) {
        rc = 500;
        outcome(resp, 500, "exception", "out of memory");
        goto out;
    }
    json_array_foreach(json_object_get(root, "entry"), i, e) {
        const json_t *res = json_object_get(e, "resource");
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        char d[11];
        size_t k;
        int seen = 0;
        if (type && !strcmp(type, "Patient") && !patient)
            patient = (json_t *)res;
        if (!counts(res))
            continue;
        effective_date(res, d);
        if (!d[0])
            continue;
        for (k = 0; k < json_array_size(dates) && !seen; k++)
            seen = !strcmp(json_string_value(json_array_get(dates, k)), d);
        if (!seen && json_array_append_new(dates, json_string(d))) {
            rc = 500;
            outcome(resp, 500, "exception", "out of memory");
            goto out;
        }
    }
    /* the whole Bundle read once, up to its last date: its errors name the
    ** entries as sent */
    n = json_array_size(dates);
    if (n > (app->max_subjects ? app->max_subjects : SRV_MAX_SUBJECTS)) {
        snprintf(msg, sizeof msg, "the Bundle has Observations on %zu dates; at most %u visits are imported per request",
                 n, app->max_subjects ? app->max_subjects : SRV_MAX_SUBJECTS);
        rc = 413;
        outcome(resp, 413, "too-costly", msg);
        goto out;
    }
    if (n && !(sorted = malloc(n * sizeof *sorted))) {
        rc = 500;
        outcome(resp, 500, "exception", "out of memory");
        goto out;
    }
    for (i = 0; i < n; i++)
        sorted[i] = json_array_get(dates, i);
    if (n)
        qsort(sorted, n, sizeof *sorted, cmp_date);
    latest = n ? json_string_value(sorted[n - 1]) : NULL;
    if (sarx_fhir_read(body, len, latest, s, &info, &err)) {
        refused(resp, &err);
        rc = err.code == SARX_ENOMEM ? 500 : 400;
        goto out;
    }
    p->ext = json_string_value(json_object_get(patient, "id"));
    if (!fhir_id(p->ext)) {
        outcome(resp, 400, "required",
                "an import needs a Patient with an id (Patient.id, 1-64 of A-Z a-z 0-9 - .): it is the patient's "
                "external_id in the registry");
        goto out;
    }
    p->sex = json_string_value(json_object_get(patient, "gender"));
    if (p->sex && strcmp(p->sex, "male") && strcmp(p->sex, "female"))
        p->sex = NULL;
    p->birth = json_string_value(json_object_get(patient, "birthDate"));
    if (p->birth && srv_date_days(p->birth) == SRV_BAD_DATE)
        p->birth = NULL;
    {
        double pop = sarx_subject_get(s, "population");
        if (!isnan(pop))
            snprintf(p->population, sizeof p->population, "%s", pop == 2 ? "asian" : "general");
    }
    p->visits = json_array();
    p->skipped = json_array();
    p->notes = json_array();
    for (i = 0; p->notes && i < sarx_fhir_info_note_count(info); i++)
        if (strncmp(sarx_fhir_info_note(info, i), "Basic", 5)) /* sarx's results, stripped */
            json_array_append_new(p->notes, json_string(sarx_fhir_info_note(info, i)));
    for (i = 0; i < n; i++) {
        const char *d = json_string_value(sorted[i]);
        char *text = p->visits && p->skipped ? date_bundle(root, d) : NULL;
        sarx_fhir_info *di = NULL;
        json_t *in, *src;
        size_t k, nsrc;
        if (!text) {
            rc = 500;
            outcome(resp, 500, "exception", "out of memory");
            goto out;
        }
        if (sarx_fhir_read(text, strlen(text), d, s, &di, &err)) {
            free(text);
            snprintf(msg, sizeof msg, "the Observations of %.10s: %.280s", d, err.message);
            rc = err.code == SARX_ENOMEM ? 500 : 400;
            outcome(resp, rc, rc == 500 ? "exception" : "invalid", msg);
            goto out;
        }
        free(text);
        if (sarx_fhir_info_source_count(di) == 0) {
            sarx_fhir_info_free(di);
            json_array_append_new(p->skipped, json_string(d));
            continue;
        }
        in = visit_inputs(s, d, p->birth != NULL);
        /* the resources the visit's values come from: how a later import finds it */
        src = json_array();
        nsrc = sarx_fhir_info_source_count(di);
        for (k = 0; in && src && k < nsrc; k++)
            if (json_array_append_new(src, json_string(sarx_fhir_info_source(di, k))))
                break;
        sarx_fhir_info_free(di);
        if (!in || !src || json_array_size(src) != nsrc) {
            json_decref(in);
            json_decref(src);
            in = src = NULL;
        }
        /* "o" takes in and src, also when json_pack fails */
        if (!in ||
            json_array_append_new(p->visits, json_pack("{s:s,s:o,s:o}", "date", d, "inputs", in, "sources", src))) {
            rc = 500;
            outcome(resp, 500, "exception", "out of memory");
            goto out;
        }
    }
    rc = 0;
out:
    free(sorted);
    json_decref(dates);
    sarx_fhir_info_free(info);
    sarx_subject_free(s);
    return rc;
}

void srv_fhir_import(const srv_app *app, const srv_request *req, srv_response *resp)
{
    import_plan p;
    json_t *root, *patient = NULL, *done = NULL, *v;
    json_error_t je;
    sarx_error err;
    size_t i;
    char *text;
    int rc;
    if (!body_ok(req, resp))
        return;
    memset(&p, 0, sizeof p);
    memset(&err, 0, sizeof err);
    if (!(root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je))) {
        /* the library's message names what is wrong, as for POST /fhir/assess */
        sarx_subject *s = NULL;
        if (!sarx_subject_new(&s) && sarx_fhir_read(req->body, req->body_len, NULL, s, NULL, &err))
            refused(resp, &err);
        else
            outcome(resp, 400, "invalid", je.text);
        sarx_subject_free(s);
        return;
    }
    strip_results(root);
    if (!(text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17)))) {
        outcome(resp, 500, "exception", "out of memory");
        goto out;
    }
    rc = plan_import(app, text, strlen(text), root, &p, resp);
    free(text);
    if (rc)
        goto out;
    /* the patient as the Bundle gives it; all of it written, or nothing */
    patient = json_pack("{s:s}", "external_id", p.ext);
    if (patient && p.sex)
        json_object_set_new(patient, "sex", json_string(p.sex));
    if (patient && p.birth)
        json_object_set_new(patient, "birth_date", json_string(p.birth));
    if (patient && p.population[0])
        json_object_set_new(patient, "population", json_string(p.population));
    if (!patient || !p.visits || !p.skipped || !p.notes) {
        outcome(resp, 500, "exception", "out of memory");
        goto out;
    }
    if ((rc = srv_fhir_import_apply(app->reg, patient, p.visits, &done, &err))) {
        failed(resp, rc, &err);
        goto out;
    }
    /* the reader's notes first, then what the import says of stored visits */
    json_array_foreach(json_object_get(done, "notes"), i, v) json_array_append(p.notes, v);
    if (json_object_set(done, "notes", p.notes) || json_object_set(done, "skipped_dates", p.skipped) ||
        !(text = json_dumps(done, JSON_COMPACT)))
        outcome(resp, 500, "exception", "the import was saved, but the answer could not be made (out of memory)");
    else
        srv_set_body(resp, 200, "application/json", text, free);
out:
    json_decref(done);
    json_decref(patient);
    json_decref(p.visits);
    json_decref(p.skipped);
    json_decref(p.notes);
    json_decref(root);
}
