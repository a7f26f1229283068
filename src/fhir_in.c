/*
** fhir_in.c — a FHIR R4 Bundle becomes a subject (docs/FHIR.md, "In").
**
** Two passes over Bundle.entry: the Patient first (to know whose record
** it is), then Observations and Conditions.  Observations are collected,
** then chosen: every body weight into the history, grip as the best hand
** of the latest session, the latest value of every other field.  Errors
** name the resource (type/id, or its entry), the JSON path, the value and
** what is allowed.  The info object (fhir_info.c) keeps what was read.
*/
#include "fhir_in.h"

#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UCUM "http://unitsofmeasure.org"

/* "Observation/w1", or "Observation at entry[3]" without an id. */
static void res_name(char *buf, size_t n, const char *type, const char *id, size_t entry)
{
    if (id && *id)
        snprintf(buf, n, "%s/%s", type, id);
    else
        snprintf(buf, n, "%s at entry[%zu]", type, entry);
}

/* A wrong type: "Observation/w1 (entry[2].resource.valueQuantity.value):
** expected a number, got text "72"". */
static int wrong_type(rd *r, const char *name, size_t entry, const char *path, const json_t *v, const char *want)
{
    char vb[64];
    sarx__json_value_text(v, vb, sizeof vb);
    return sarx__err(r->err, SARX_ETYPE, path, vb, want, "%s (entry[%zu].resource.%s): expected %s, got %s %s", name,
                     entry, path, want, sarx__json_type_name(v), vb);
}

/* An optional string member: NULL when absent, "" + error when not text. */
static int get_str(rd *r, json_t *o, const char *key, const char *name, size_t entry, const char *path,
                   const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return SARX_OK;
    if (!json_is_string(v))
        return wrong_type(r, name, entry, path, v, "text");
    *out = json_string_value(v);
    return SARX_OK;
}

/* The date part of a FHIR date or dateTime with a day; 0 when it has none
** ("2026", "2026-03"), -1 when it is not a date. */
int sarx_fhir__day_of(const char *t, int *day)
{
    size_t n = strlen(t), i;
    if (n < 10) { /* "YYYY" or "YYYY-MM" */
        if (n != 4 && n != 7)
            return -1;
        for (i = 0; i < n; i++)
            if (i == 4 ? t[i] != '-' : !(t[i] >= '0' && t[i] <= '9'))
                return -1;
        if (t[0] == '0' || (n == 7 && !((t[5] == '0' && t[6] >= '1') || (t[5] == '1' && t[6] <= '2'))))
            return -1;
        return 0;
    }
    if (n > 10 && t[10] != 'T')
        return -1;
    return sarx__parse_date(t, 10, day) == SARX_OK ? 1 : -1;
}

static int digits(const char *t, size_t n, int *v)
{
    size_t i;
    *v = 0;
    for (i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return 0;
        *v = *v * 10 + (t[i] - '0');
    }
    return 1;
}

int sarx_fhir__instant_of(const char *t, int day, long long *at)
{
    size_t n = strlen(t), i = 19;
    int h, m, sec = 0, zh = 0, zm = 0, sign = 1;
    /* YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm): FHIR's dateTime with a time */
    if (n < 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || !digits(t + 11, 2, &h) || !digits(t + 14, 2, &m) ||
        !digits(t + 17, 2, &sec) || h > 23 || m > 59 || sec > 60)
        return 0;
    if (t[i] == '.')
        for (i++; i < n && t[i] >= '0' && t[i] <= '9'; i++)
            ;
    if (i < n && t[i] == 'Z' && i + 1 == n)
        ;
    else if (i + 6 == n && (t[i] == '+' || t[i] == '-') && t[i + 3] == ':' && digits(t + i + 1, 2, &zh) &&
             digits(t + i + 4, 2, &zm) && zh <= 14 && zm <= 59)
        sign = t[i] == '-' ? -1 : 1;
    else
        return 0;
    *at = (long long)day * 86400 + h * 3600 + m * 60 + sec - sign * (zh * 3600 + zm * 60);
    return 1;
}

/* Does a subject reference name the Bundle's patient? */
static int is_patient_ref(rd *r, const char *ref)
{
    size_t n, k;
    const char *hist;
    char base[512];
    if (!r->have_patient) {
        if (!r->ref)
            r->ref = ref;
        return strcmp(r->ref, ref) == 0;
    }
    hist = strstr(ref, "/_history/");
    if (hist && (size_t)(hist - ref) < sizeof base) { /* a versioned reference names the same resource */
        memcpy(base, ref, (size_t)(hist - ref));
        base[hist - ref] = '\0';
        ref = base;
    }
    if (r->pfull && *r->pfull && strcmp(ref, r->pfull) == 0)
        return 1;
    if (!r->pid || !*r->pid)
        return 0;
    n = strlen(ref);
    k = strlen(r->pid);
    if (n < k + 8 || strcmp(ref + n - k, r->pid) != 0 || memcmp(ref + n - k - 8, "Patient/", 8) != 0)
        return 0;
    return n == k + 8 || ref[n - k - 9] == '/';
}

static int check_subject(rd *r, json_t *res, const char *name, size_t entry)
{
    json_t *sub = json_object_get(res, "subject");
    const char *ref;
    int rc;
    if (!sub)
        return SARX_OK;
    if (!json_is_object(sub))
        return wrong_type(r, name, entry, "subject", sub, "a Reference object");
    if ((rc = get_str(r, sub, "reference", name, entry, "subject.reference", &ref)) != SARX_OK)
        return rc;
    if (!ref)
        return SARX_OK;
    if (!is_patient_ref(r, ref)) {
        char want[96];
        snprintf(want, sizeof want, "Patient/%s", r->have_patient ? r->pid ? r->pid : "" : r->ref);
        return sarx__err(r->err, SARX_EVALUE, "subject.reference", ref, want,
                         "%s (entry[%zu].resource.subject.reference): \"%s\" is another patient; this Bundle's "
                         "patient is %s (one patient per Bundle)",
                         name, entry, ref, want);
    }
    return SARX_OK;
}

/* The first coding code of a CodeableConcept member ("" when none). */
static const char *concept_code(json_t *res, const char *key)
{
    json_t *cc = json_object_get(res, key), *cd;
    size_t i;
    json_array_foreach(json_object_get(cc, "coding"), i, cd) {
        json_t *c = json_object_get(cd, "code");
        if (json_is_string(c))
            return json_string_value(c);
    }
    return "";
}

static int add_obs(rd *r, const obs *o)
{
    if (r->no == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        obs *p = realloc(r->o, cap * sizeof *p);
        if (!p)
            return sarx__err(r->err, SARX_ENOMEM, "", "", "", "out of memory");
        r->o = p;
        r->cap = cap;
    }
    r->o[r->no++] = *o;
    return SARX_OK;
}

static int has_code(const char *system, const char *code)
{
    size_t i;
    for (i = 0; i < sarx__fhir_code_count; i++)
        if (strcmp(sarx__fhir_codes[i].system, system) == 0 && strcmp(sarx__fhir_codes[i].code, code) == 0)
            return 1;
    return 0;
}

static const sarx__fhir_code *find_row(const char *system, const char *code, const char *ucum)
{
    size_t i;
    for (i = 0; i < sarx__fhir_code_count; i++) {
        const sarx__fhir_code *c = &sarx__fhir_codes[i];
        if (strcmp(c->system, system) == 0 && strcmp(c->code, code) == 0 && strcmp(c->ucum, ucum) == 0)
            return c;
    }
    return NULL;
}

/* The units the table knows for a code, "kg, [lb_av]". */
static void units_of(const char *system, const char *code, char *buf, size_t n)
{
    size_t i, k = 0;
    buf[0] = '\0';
    for (i = 0; i < sarx__fhir_code_count && k < n; i++) {
        const sarx__fhir_code *c = &sarx__fhir_codes[i];
        if (strcmp(c->system, system) == 0 && strcmp(c->code, code) == 0)
            k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", *c->ucum ? c->ucum : "(no unit)");
    }
}

/* The mapped coding of Observation.code: *row_code set to the first coding
** the table has; an error when a coding has a mapped code under a system
** the table does not give it. */
static int mapped_coding(rd *r, json_t *res, const char *name, size_t entry, const char **system,
                         const char **code)
{
    json_t *codings = json_object_get(json_object_get(res, "code"), "coding"), *cd;
    size_t i;
    *system = *code = NULL;
    if (codings && !json_is_array(codings))
        return wrong_type(r, name, entry, "code.coding", codings, "a list of Coding");
    json_array_foreach(codings, i, cd) {
        json_t *sy = json_object_get(cd, "system"), *co = json_object_get(cd, "code");
        char path[48];
        if (!json_is_object(cd)) {
            snprintf(path, sizeof path, "code.coding[%zu]", i);
            return wrong_type(r, name, entry, path, cd, "a Coding object");
        }
        if (co && !json_is_string(co)) {
            snprintf(path, sizeof path, "code.coding[%zu].code", i);
            return wrong_type(r, name, entry, path, co, "text");
        }
        if (sy && !json_is_string(sy)) {
            snprintf(path, sizeof path, "code.coding[%zu].system", i);
            return wrong_type(r, name, entry, path, sy, "text");
        }
        if (co && sy && has_code(json_string_value(sy), json_string_value(co))) {
            *system = json_string_value(sy);
            *code = json_string_value(co);
            return SARX_OK;
        }
    }
    json_array_foreach(codings, i, cd) {
        const char *c = json_string_value(json_object_get(cd, "code"));
        const char *sy = json_string_value(json_object_get(cd, "system"));
        if (c && (has_code("http://loinc.org", c) || has_code(SARX__FHIR_CS, c))) {
            return sarx__err(r->err, SARX_EVALUE, "code.coding.system", sy ? sy : "", "http://loinc.org or " SARX__FHIR_CS,
                             "%s (entry[%zu].resource.code.coding[%zu].system): code %s is mapped, but not under the "
                             "system \"%s\" (known: http://loinc.org, " SARX__FHIR_CS ")",
                             name, entry, i, c, sy ? sy : "(none)");
        }
    }
    return SARX_OK;
}

/* Read an Observation's value through the table into o. 1 when read, 0
** when noted and ignored, or an error (negative of nothing: a status). */
static int read_value(rd *r, json_t *res, const char *name, size_t entry, const char *system, const char *code,
                      obs *o, int *got)
{
    json_t *q = json_object_get(res, "valueQuantity"), *v;
    const char *ucum = NULL;
    char units[160];
    *got = 0;
    units_of(system, code, units, sizeof units);
    if (q) {
        const char *us = NULL, *uu = NULL;
        int rc;
        if (!json_is_object(q))
            return wrong_type(r, name, entry, "valueQuantity", q, "a Quantity object");
        v = json_object_get(q, "value");
        if (!v)
            return sarx_fhir__note(r->info, "%s: valueQuantity has no value, ignored", name), SARX_OK;
        if (!json_is_number(v))
            return wrong_type(r, name, entry, "valueQuantity.value", v, "a number");
        if (json_object_get(q, "comparator"))
            /* "< 5 mg/L" is not 5: a censored value is no measurement of it */
            return sarx_fhir__note(r->info, "%s: valueQuantity has a comparator (a value known only as a bound), ignored",
                                   name),
                   SARX_OK;
        if ((rc = get_str(r, q, "system", name, entry, "valueQuantity.system", &us)) != SARX_OK ||
            (rc = get_str(r, q, "code", name, entry, "valueQuantity.code", &ucum)) != SARX_OK ||
            (rc = get_str(r, q, "unit", name, entry, "valueQuantity.unit", &uu)) != SARX_OK)
            return rc;
        if (us && strcmp(us, UCUM) != 0)
            return sarx__err(r->err, SARX_EVALUE, "valueQuantity.system", us, UCUM,
                             "%s (entry[%zu].resource.valueQuantity.system): unit system \"%s\" is not UCUM (" UCUM ")",
                             name, entry, us);
        if (!ucum)
            ucum = uu ? uu : "";
        o->row = find_row(system, code, ucum);
        if (!o->row && !*ucum)
            o->row = find_row(system, code, "{score}");
        if (!o->row)
            return sarx__err(r->err, SARX_EVALUE, "valueQuantity.code", ucum, units,
                             "%s (entry[%zu].resource.valueQuantity.code): unit \"%s\" is not known for code %s "
                             "(allowed %s); sarx never converts a unit it does not know",
                             name, entry, ucum, code, units);
        o->kind = 0;
        o->v = json_number_value(v);
        *got = 1;
        return SARX_OK;
    }
    if ((v = json_object_get(res, "valueInteger")) != NULL) {
        if (!json_is_integer(v))
            return wrong_type(r, name, entry, "valueInteger", v, "a whole number");
        o->row = find_row(system, code, "");
        if (!o->row)
            o->row = find_row(system, code, "{score}");
        o->kind = 0;
        o->v = (double)json_integer_value(v);
    } else if ((v = json_object_get(res, "valueBoolean")) != NULL) {
        if (!json_is_boolean(v))
            return wrong_type(r, name, entry, "valueBoolean", v, "true or false");
        o->row = find_row(system, code, "");
        o->kind = 1;
        o->v = json_is_true(v);
    } else if ((v = json_object_get(res, "valueString")) != NULL ||
               (v = json_object_get(res, "valueCodeableConcept")) != NULL) {
        int cc = json_object_get(res, "valueString") == NULL;
        if (!cc && !json_is_string(v))
            return wrong_type(r, name, entry, "valueString", v, "text");
        if (cc && !json_is_object(v))
            return wrong_type(r, name, entry, "valueCodeableConcept", v, "a CodeableConcept object");
        o->text = cc ? concept_code(res, "valueCodeableConcept") : json_string_value(v);
        if (cc && !*o->text && json_is_string(json_object_get(v, "text")))
            o->text = json_string_value(json_object_get(v, "text"));
        o->row = find_row(system, code, "");
        o->kind = 2;
    } else {
        sarx_fhir__note(r->info, "%s: no value, ignored", name);
        return SARX_OK;
    }
    if (!o->row) {
        char vb[64];
        sarx__json_value_text(v, vb, sizeof vb);
        return sarx__err(r->err, SARX_ETYPE, "value", vb, units,
                         "%s (entry[%zu].resource): code %s takes a valueQuantity in %s, not %s", name, entry, code,
                         units, vb);
    }
    *got = 1;
    return SARX_OK;
}

static int read_observation(rd *r, json_t *res, size_t entry, const char *id, const char *full)
{
    char name[96];
    const char *status, *system, *code, *eff = NULL;
    json_t *v;
    obs o;
    int rc, got, k, day = 0;
    res_name(name, sizeof name, "Observation", id, entry);
    if ((rc = get_str(r, res, "status", name, entry, "status", &status)) != SARX_OK)
        return rc;
    if (!status || (strcmp(status, "final") != 0 && strcmp(status, "amended") != 0 && strcmp(status, "corrected") != 0))
        return sarx_fhir__note(r->info, "%s: status %s, ignored", name, status ? status : "missing");
    if ((rc = check_subject(r, res, name, entry)) != SARX_OK || (rc = mapped_coding(r, res, name, entry, &system, &code)) != SARX_OK)
        return rc;
    if (!system) {
        const char *c = concept_code(res, "code");
        return sarx_fhir__note(r->info, "%s: code %s is not mapped, ignored", name, *c ? c : "(none)");
    }
    if ((v = json_object_get(res, "dataAbsentReason")) != NULL) {
        const char *why = concept_code(res, "dataAbsentReason");
        return sarx_fhir__note(r->info, "%s: code %s has dataAbsentReason %s: left missing", name, code, *why ? why : "(given)");
    }
    if ((rc = get_str(r, res, "effectiveDateTime", name, entry, "effectiveDateTime", &eff)) != SARX_OK)
        return rc;
    if (!eff && (v = json_object_get(res, "effectivePeriod")) != NULL) {
        if (!json_is_object(v))
            return wrong_type(r, name, entry, "effectivePeriod", v, "a Period object");
        if ((rc = get_str(r, v, "end", name, entry, "effectivePeriod.end", &eff)) != SARX_OK)
            return rc;
        if (!eff && (rc = get_str(r, v, "start", name, entry, "effectivePeriod.start", &eff)) != SARX_OK)
            return rc;
    }
    if (!eff && (rc = get_str(r, res, "effectiveInstant", name, entry, "effectiveInstant", &eff)) != SARX_OK)
        return rc;
    if (!eff)
        return sarx_fhir__note(r->info, "%s: no effective date, ignored", name);
    k = sarx_fhir__day_of(eff, &day);
    if (k < 0)
        return sarx__err(r->err, SARX_ESYNTAX, "effective", eff, "YYYY-MM-DD or a dateTime",
                         "%s (entry[%zu].resource.effective[x]): \"%s\" is not a FHIR date (allowed YYYY-MM-DD or a "
                         "dateTime, years 1900-2200)",
                         name, entry, eff);
    if (k == 0)
        return sarx_fhir__note(r->info, "%s: effective date %s has no day, ignored", name, eff);
    memset(&o, 0, sizeof o);
    if ((rc = read_value(r, res, name, entry, system, code, &o, &got)) != SARX_OK || !got)
        return rc;
    {
        int alias;
        o.canon = sarx__field_lookup(o.row->field, strlen(o.row->field), &alias);
    }
    o.type = "Observation";
    o.entry = entry;
    o.id = id ? id : "";
    o.full = full ? full : "";
    o.day = day;
    o.timed = sarx_fhir__instant_of(eff, day, &o.at);
    return add_obs(r, &o);
}

/* ---- SARC-F as a QuestionnaireResponse ---- */

typedef struct qr_ctx {
    rd *r;
    const char *name; /* "QuestionnaireResponse/q1" */
    size_t entry;
    obs o;            /* what every answer shares: the resource, its day */
} qr_ctx;

/* The answer of one item whose linkId is a SARC-F field: one answer, a
** whole number (valueInteger, a whole valueDecimal, or a valueCoding whose
** code is one); the range is the field's (checked as every value is). */
static int qr_answer(qr_ctx *q, json_t *item, const sarx__fhir_code *row, const char *path)
{
    json_t *ans = json_object_get(item, "answer"), *a0, *v;
    char p[192];
    obs o = q->o;
    if (!ans)
        return sarx_fhir__note(q->r->info, "%s: item %s has no answer, ignored", q->name, row->code);
    snprintf(p, sizeof p, "%.150s.answer", path);
    if (!json_is_array(ans))
        return wrong_type(q->r, q->name, q->entry, p, ans, "a list");
    if (json_array_size(ans) != 1) {
        char n[32];
        snprintf(n, sizeof n, "%zu answers", json_array_size(ans));
        return sarx__err(q->r->err, SARX_EVALUE, p, n, "one answer",
                         "%s (entry[%zu].resource.%s): item %s has %s (allowed one)", q->name, q->entry, p, row->code,
                         n);
    }
    a0 = json_array_get(ans, 0);
    snprintf(p, sizeof p, "%.150s.answer[0]", path);
    if (!json_is_object(a0))
        return wrong_type(q->r, q->name, q->entry, p, a0, "an object");
    if ((v = json_object_get(a0, "valueInteger")) != NULL) {
        snprintf(p, sizeof p, "%.150s.answer[0].valueInteger", path);
        if (!json_is_integer(v))
            return wrong_type(q->r, q->name, q->entry, p, v, "a whole number");
        o.v = (double)json_integer_value(v);
    } else if ((v = json_object_get(a0, "valueDecimal")) != NULL) {
        snprintf(p, sizeof p, "%.150s.answer[0].valueDecimal", path);
        if (!json_is_number(v) || json_number_value(v) != floor(json_number_value(v)))
            return wrong_type(q->r, q->name, q->entry, p, v, "a whole number");
        o.v = json_number_value(v);
    } else if ((v = json_object_get(a0, "valueCoding")) != NULL) {
        json_t *c = json_object_get(v, "code");
        const char *t = json_string_value(c);
        char *end = NULL;
        long n = t ? strtol(t, &end, 10) : 0;
        snprintf(p, sizeof p, "%.150s.answer[0].valueCoding.code", path);
        if (!json_is_object(v) || !t || !*t || *end || n < 0 || n > 100)
            return wrong_type(q->r, q->name, q->entry, p, c ? c : json_null(), "a score as text (\"0\", \"1\", ...)");
        o.v = (double)n;
    } else {
        const char *k;
        json_object_foreach(a0, k, v) if (strncmp(k, "value", 5) == 0) {
            snprintf(p, sizeof p, "%.150s.answer[0].%.20s", path, k);
            return wrong_type(q->r, q->name, q->entry, p, v, "a score (valueInteger, valueDecimal or valueCoding)");
        }
        return sarx_fhir__note(q->r->info, "%s: item %s has an answer with no value, ignored", q->name, row->code);
    }
    o.row = row;
    o.kind = 0;
    {
        int alias;
        o.canon = sarx__field_lookup(row->field, strlen(row->field), &alias);
    }
    return add_obs(q->r, &o);
}

/* Every item, nested groups too: the SARC-F fields by linkId. */
static int qr_items(qr_ctx *q, json_t *items, const char *path, int depth)
{
    json_t *item;
    size_t i;
    int rc;
    char p[192];
    if (!items)
        return SARX_OK;
    if (!json_is_array(items))
        return wrong_type(q->r, q->name, q->entry, path, items, "a list");
    if (depth > 8) /* SARC-F is flat; a deeper nesting is not its */
        return sarx_fhir__note(q->r->info, "%s: items nested deeper than 8, ignored", q->name);
    json_array_foreach(items, i, item) {
        const char *link;
        const sarx__fhir_code *row;
        snprintf(p, sizeof p, "%.150s[%zu]", path, i);
        if (!json_is_object(item))
            return wrong_type(q->r, q->name, q->entry, p, item, "an object");
        {
            char lp[192];
            snprintf(lp, sizeof lp, "%.150s.linkId", p);
            if ((rc = get_str(q->r, item, "linkId", q->name, q->entry, lp, &link)) != SARX_OK)
                return rc;
        }
        row = link && strncmp(link, "sarc_f", 6) == 0 ? find_row(SARX__FHIR_CS, link, "{score}") : NULL;
        if (row)
            rc = qr_answer(q, item, row, p);
        else if (json_object_get(item, "answer"))
            rc = sarx_fhir__note(q->r->info, "%s: item %s is not a SARC-F item, ignored", q->name,
                                 link ? link : "(no linkId)");
        else
            rc = SARX_OK;
        if (rc != SARX_OK)
            return rc;
        {
            char ip[192];
            snprintf(ip, sizeof ip, "%.150s.item", p);
            if ((rc = qr_items(q, json_object_get(item, "item"), ip, depth + 1)) != SARX_OK)
                return rc;
        }
    }
    return SARX_OK;
}

/* A QuestionnaireResponse to sarx's SARC-F Questionnaire, completed or
** amended, dated by `authored`: its answers as values of that date. */
static int read_questionnaire_response(rd *r, json_t *res, size_t entry, const char *id, const char *full)
{
    char name[96];
    const char *status, *qn, *authored;
    qr_ctx q;
    int rc, k, day = 0;
    size_t n;
    res_name(name, sizeof name, "QuestionnaireResponse", id, entry);
    if ((rc = get_str(r, res, "status", name, entry, "status", &status)) != SARX_OK)
        return rc;
    if (!status || (strcmp(status, "completed") != 0 && strcmp(status, "amended") != 0))
        return sarx_fhir__note(r->info, "%s: status %s, ignored", name, status ? status : "missing");
    if ((rc = get_str(r, res, "questionnaire", name, entry, "questionnaire", &qn)) != SARX_OK)
        return rc;
    n = strlen(SARX__FHIR_Q_SARCF);
    if (!qn || strncmp(qn, SARX__FHIR_Q_SARCF, n) != 0 || (qn[n] && qn[n] != '|'))
        return sarx_fhir__note(r->info, "%s: questionnaire %s is not read (sarx reads its SARC-F, " SARX__FHIR_Q_SARCF
                               "), ignored", name, qn ? qn : "missing");
    if ((rc = check_subject(r, res, name, entry)) != SARX_OK ||
        (rc = get_str(r, res, "authored", name, entry, "authored", &authored)) != SARX_OK)
        return rc;
    if (!authored)
        return sarx_fhir__note(r->info, "%s: no authored date, ignored", name);
    k = sarx_fhir__day_of(authored, &day);
    if (k < 0)
        return sarx__err(r->err, SARX_ESYNTAX, "authored", authored, "a dateTime",
                         "%s (entry[%zu].resource.authored): \"%s\" is not a FHIR dateTime (years 1900-2200)", name,
                         entry, authored);
    if (k == 0)
        return sarx_fhir__note(r->info, "%s: authored date %s has no day, ignored", name, authored);
    memset(&q, 0, sizeof q);
    q.r = r;
    q.name = name;
    q.entry = entry;
    q.o.type = "QuestionnaireResponse";
    q.o.entry = entry;
    q.o.id = id ? id : "";
    q.o.full = full ? full : "";
    q.o.day = day;
    q.o.timed = sarx_fhir__instant_of(authored, day, &q.o.at);
    return qr_items(&q, json_object_get(res, "item"), "item", 0);
}

/* The day of a Condition's dateTime member key (or of its Period member
** pkey's member pmember): *day, INT_MIN when absent or not a full date
** ("2026", "2026-03": it cannot be placed against a day). */
static int cond_day(rd *r, json_t *res, const char *key, const char *pkey, const char *pmember, const char *name,
                    size_t entry, int *day)
{
    json_t *v = json_object_get(res, key), *p = json_object_get(res, pkey);
    char path[48];
    const char *t;
    *day = INT_MIN;
    snprintf(path, sizeof path, "%s", key);
    if (!v && p) {
        if (!json_is_object(p))
            return wrong_type(r, name, entry, pkey, p, "a Period object");
        v = json_object_get(p, pmember);
        snprintf(path, sizeof path, "%s.%s", pkey, pmember);
    }
    if (!v)
        return SARX_OK;
    if (!json_is_string(v))
        return wrong_type(r, name, entry, path, v, "a dateTime");
    t = json_string_value(v);
    if (sarx_fhir__day_of(t, day) < 0) {
        char vb[64];
        sarx__show(vb, sizeof vb, t, strlen(t));
        return sarx__err(r->err, SARX_ESYNTAX, path, vb, "a FHIR dateTime",
                         "%s (entry[%zu].resource.%s): \"%s\" is not a FHIR dateTime", name, entry, path, vb);
    }
    if (*day == 0 && strlen(t) < 10)
        *day = INT_MIN;
    return SARX_OK;
}

/* A Condition: ICD-10-CM / ICD-10 codes as coded items, else SNOMED CT's
** display or the text, as words for the vocabulary of conditions; kept
** with its onset and abatement days until the assessment date is known. */
static int read_condition(rd *r, json_t *res, size_t entry, const char *id)
{
    char name[96], item[80];
    cond c;
    const char *cs = concept_code(res, "clinicalStatus"), *vs = concept_code(res, "verificationStatus");
    const char *text = NULL, *words = NULL;
    json_t *cc = json_object_get(res, "code"), *cd;
    size_t i;
    int rc;
    res_name(name, sizeof name, "Condition", id, entry);
    if ((rc = check_subject(r, res, name, entry)) != SARX_OK)
        return rc;
    if (*cs && strcmp(cs, "active") != 0 && strcmp(cs, "recurrence") != 0 && strcmp(cs, "relapse") != 0)
        return sarx_fhir__note(r->info, "%s: clinicalStatus %s, ignored", name, cs);
    /* a condition counts when it is confirmed (or its status is not given):
    ** a provisional, differential or unconfirmed one ("rule out lung
    ** cancer") would make definitions that need the disease apply */
    if (*vs && strcmp(vs, "confirmed") != 0)
        return sarx_fhir__note(r->info, "%s: verificationStatus %s, ignored", name, vs);
    if (cc && !json_is_object(cc))
        return wrong_type(r, name, entry, "code", cc, "a CodeableConcept object");
    item[0] = '\0';
    json_array_foreach(json_object_get(cc, "coding"), i, cd) {
        const char *sy = json_string_value(json_object_get(cd, "system"));
        const char *co = json_string_value(json_object_get(cd, "code"));
        const char *di = json_string_value(json_object_get(cd, "display"));
        if (!sy || !co)
            continue;
        if (!item[0] && (strcmp(sy, "http://hl7.org/fhir/sid/icd-10-cm") == 0 || strcmp(sy, "http://hl7.org/fhir/sid/icd-10") == 0))
            snprintf(item, sizeof item, "icd10:%s", co);
        else if (!words && di && strcmp(sy, "http://snomed.info/sct") == 0)
            words = di;
    }
    if (json_is_string(json_object_get(cc, "text")))
        text = json_string_value(json_object_get(cc, "text"));
    if (!item[0] && !words && !text)
        return sarx_fhir__note(r->info, "%s: no ICD-10 code, SNOMED CT display or text, ignored", name);
    memset(&c, 0, sizeof c);
    snprintf(c.item, sizeof c.item, "%s", item);
    c.words = words ? words : text;
    snprintf(c.name, sizeof c.name, "%s", name);
    c.entry = entry;
    c.onset_from = "onset";
    if ((rc = cond_day(r, res, "onsetDateTime", "onsetPeriod", "start", name, entry, &c.onset)) != SARX_OK ||
        (rc = cond_day(r, res, "abatementDateTime", "abatementPeriod", "end", name, entry, &c.abated)) != SARX_OK)
        return rc;
    if (c.onset == INT_MIN && !json_object_get(res, "onsetDateTime") && !json_object_get(res, "onsetPeriod")) {
        if ((rc = cond_day(r, res, "recordedDate", "", "", name, entry, &c.onset)) != SARX_OK)
            return rc;
        c.onset_from = "recorded";
    }
    if (r->nc == r->capc) {
        size_t cap = r->capc ? r->capc * 2 : 8;
        cond *p = realloc(r->c, cap * sizeof *p);
        if (!p)
            return sarx__err(r->err, SARX_ENOMEM, "", "", "", "out of memory");
        r->c = p;
        r->capc = cap;
    }
    r->c[r->nc++] = c;
    return SARX_OK;
}

static int read_patient(rd *r, json_t *res, size_t entry, const char *id, const char *full)
{
    char name[96];
    int rc;
    const char *g, *b;
    res_name(name, sizeof name, "Patient", id, entry);
    if (r->have_patient) {
        char first[96];
        res_name(first, sizeof first, "Patient", r->pid, r->pentry);
        return sarx__err(r->err, SARX_ECONFLICT, "Patient", id ? id : "", "one Patient per Bundle",
                         "%s (entry[%zu].resource): a second Patient (%s at entry[%zu]); a Bundle holds one patient",
                         name, entry, first, r->pentry);
    }
    if ((rc = get_str(r, res, "gender", name, entry, "gender", &g)) != SARX_OK ||
        (rc = get_str(r, res, "birthDate", name, entry, "birthDate", &b)) != SARX_OK)
        return rc;
    if (g && strcmp(g, "male") != 0 && strcmp(g, "female") != 0 && strcmp(g, "other") != 0 && strcmp(g, "unknown") != 0)
        return sarx__err(r->err, SARX_EVALUE, "gender", g, "male|female|other|unknown",
                         "%s (entry[%zu].resource.gender): \"%s\" is not allowed (allowed male|female|other|unknown)",
                         name, entry, g);
    if (b) {
        int d;
        if (sarx_fhir__day_of(b, &d) < 0 || strlen(b) > 10)
            return sarx__err(r->err, SARX_ESYNTAX, "birthDate", b, "YYYY, YYYY-MM or YYYY-MM-DD",
                             "%s (entry[%zu].resource.birthDate): \"%s\" is not a FHIR date (allowed YYYY, YYYY-MM or "
                             "YYYY-MM-DD)",
                             name, entry, b);
    }
    r->have_patient = 1;
    r->patient = res;
    r->pid = id ? id : "";
    r->pfull = full;
    r->pentry = entry;
    if (sarx_fhir__set_patient(r->info, r->pid) != SARX_OK)
        return sarx__err(r->err, SARX_ENOMEM, "", "", "", "out of memory");
    return SARX_OK;
}

static const char *const bundle_types[] = {"collection", "searchset", "batch", "transaction", "document", NULL};

static int read_bundle(rd *r, json_t *root)
{
    json_t *type, *entries, *e;
    const char *t;
    size_t i, k;
    int pass, rc;
    if (!json_is_object(root))
        return sarx__err(r->err, SARX_ETYPE, "resourceType", "", "a Bundle object",
                         "FHIR: expected a Bundle object, got %s", sarx__json_type_name(root));
    type = json_object_get(root, "resourceType");
    if (!json_is_string(type) || strcmp(json_string_value(type), "Bundle") != 0) {
        char vb[64];
        sarx__json_value_text(type ? type : json_null(), vb, sizeof vb);
        return sarx__err(r->err, SARX_EVALUE, "resourceType", vb, "Bundle",
                         "FHIR (resourceType): expected \"Bundle\", got %s", vb);
    }
    type = json_object_get(root, "type");
    t = json_string_value(type);
    for (k = 0; t && bundle_types[k] && strcmp(t, bundle_types[k]) != 0; k++)
        ;
    if (type && (!t || !bundle_types[k])) {
        char vb[64];
        sarx__json_value_text(type, vb, sizeof vb);
        return sarx__err(r->err, SARX_EVALUE, "type", vb, "collection|searchset|batch|transaction|document",
                         "Bundle (type): %s is not read (allowed collection, searchset, batch, transaction, document)", vb);
    }
    entries = json_object_get(root, "entry");
    if (entries && !json_is_array(entries)) {
        char vb[64];
        sarx__json_value_text(entries, vb, sizeof vb);
        return sarx__err(r->err, SARX_ETYPE, "entry", vb, "a list", "Bundle (entry): expected a list, got %s",
                         sarx__json_type_name(entries));
    }
    for (pass = 0; pass < 2; pass++) {
        json_array_foreach(entries, i, e) {
            json_t *res = json_object_get(e, "resource"), *rt, *idv;
            const char *id = NULL, *full = NULL, *rts;
            char name[96];
            if (!json_is_object(e) || !json_is_object(res)) {
                json_t *bad = json_is_object(e) ? res : e;
                char vb[64];
                sarx__json_value_text(bad ? bad : json_null(), vb, sizeof vb);
                return sarx__err(r->err, SARX_ETYPE, "entry", vb, "an object",
                                 "Bundle (entry[%zu]%s): expected an object, got %s", i,
                                 json_is_object(e) ? ".resource" : "", bad ? sarx__json_type_name(bad) : "nothing");
            }
            rt = json_object_get(res, "resourceType");
            if (!json_is_string(rt)) {
                char vb[64];
                sarx__json_value_text(rt ? rt : json_null(), vb, sizeof vb);
                return sarx__err(r->err, SARX_ETYPE, "resourceType", vb, "text",
                                 "Bundle (entry[%zu].resource.resourceType): expected text, got %s", i, vb);
            }
            rts = json_string_value(rt);
            idv = json_object_get(res, "id");
            snprintf(name, sizeof name, "%.40s at entry[%zu]", rts, i);
            if (idv && !json_is_string(idv))
                return wrong_type(r, name, i, "id", idv, "text");
            id = json_string_value(idv);
            if (json_is_string(json_object_get(e, "fullUrl")))
                full = json_string_value(json_object_get(e, "fullUrl"));
            if (pass == 0) {
                if (strcmp(rts, "Patient") == 0 && (rc = read_patient(r, res, i, id, full)) != SARX_OK)
                    return rc;
                continue;
            }
            if (strcmp(rts, "Observation") == 0)
                rc = read_observation(r, res, i, id, full);
            else if (strcmp(rts, "Condition") == 0)
                rc = read_condition(r, res, i, id);
            else if (strcmp(rts, "Patient") == 0)
                rc = SARX_OK;
            else if (strcmp(rts, "QuestionnaireResponse") == 0)
                rc = read_questionnaire_response(r, res, i, id, full);
            else {
                char nm[96];
                res_name(nm, sizeof nm, rts, id, i);
                rc = sarx_fhir__note(r->info, "%s: resource type not read, ignored", nm);
            }
            if (rc != SARX_OK)
                return rc;
        }
    }
    return SARX_OK;
}

int sarx_fhir_read(const char *json, size_t len, const char *as_of, sarx_subject *s, sarx_fhir_info **info,
                   sarx_error *err)
{
    rd r;
    json_t *root;
    json_error_t je;
    int rc;
    if (info)
        *info = NULL;
    if (!json || !s)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    sarx_subject_clear(s);
    memset(&r, 0, sizeof r);
    r.err = err;
    r.s = s;
    {
        size_t i = 0;
        while (i < len && sarx__space((unsigned char)json[i]))
            i++;
        if (i == len)
            return sarx__err(err, SARX_EEMPTY, "", "", "a FHIR Bundle", "FHIR: empty input");
    }
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        rc = sarx__err(err, SARX_ESYNTAX, "", "", "JSON", "FHIR: malformed JSON at line %d, column %d: %s", je.line,
                       je.column, je.text);
        if (err) {
            err->line = je.line;
            err->column = je.column;
        }
        return rc;
    }
    r.info = sarx_fhir__info_new();
    if (!r.info) {
        json_decref(root);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    rc = read_bundle(&r, root);
    if (rc == SARX_OK)
        rc = sarx_fhir__pick(&r, as_of);
    free(r.o);
    free(r.c);
    json_decref(root);
    if (rc != SARX_OK) {
        sarx_subject_clear(s);
        sarx_fhir_info_free(r.info);
        return rc;
    }
    if (info)
        *info = r.info;
    else
        sarx_fhir_info_free(r.info);
    return SARX_OK;
}
