/*
** fhir_out.c — an assessment, and a subject, as FHIR R4 Bundles
** (docs/FHIR.md, "Out").
**
** sarx_fhir_bundle: one Observation per definition (code and category from
** sarx's CodeSystems, fhir_terminology.c), RiskAssessments for the SARC-F
** and SARC-CalF screens, a LOINC 75305-3 "Nutrition status" Observation for
** GLIM, and with SARX_FHIR_SUGGEST_CONDITIONS provisional Conditions.
** sarx_fhir_subject_bundle: a Patient and one Observation per field the
** mapping table (fhir_map.c) has a code for, read back by sarx_fhir_read.
**
** Output is reproducible: every fullUrl is a urn:uuid derived from the
** content (a 128-bit FNV-1a hash, written as an RFC 9562 version 8 UUID),
** there is no timestamp, and numbers are written with 15 significant digits.
*/
#include "fhir_cs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAR_SYSTEM "http://terminology.hl7.org/CodeSystem/data-absent-reason"
#define RISK_SYSTEM "http://terminology.hl7.org/CodeSystem/risk-probability"
#define VER_SYSTEM "http://terminology.hl7.org/CodeSystem/condition-ver-status"
#define ICD10CM "http://hl7.org/fhir/sid/icd-10-cm"
#define ICD10 "http://hl7.org/fhir/sid/icd-10"

/* ---- reproducible ids ---- */

static unsigned long long fnv(unsigned long long h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* "urn:uuid:..." from seed and key: the same content gives the same id. */
static void uuid_of(char out[46], const char *seed, const char *key)
{
    unsigned long long a = fnv(fnv(0xcbf29ce484222325ull, seed), key);
    unsigned long long b = fnv(fnv(0x84222325cbf29ce4ull, key), seed);
    a = (a & ~0xf000ull) | 0x8000ull;                     /* version 8 (custom) */
    b = (b & 0x3fffffffffffffffull) | 0x8000000000000000ull; /* variant 10 */
    snprintf(out, 46, "urn:uuid:%08llx-%04llx-%04llx-%04llx-%012llx", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
             b >> 48, b & 0xffffffffffffull);
}

static json_t *ref(const char *reference)
{
    json_t *r = json_object();
    json_object_set_new(r, "reference", json_string(reference));
    return r;
}

static void add_entry(json_t *entries, const char *full_url, json_t *res)
{
    json_t *e = json_object();
    json_object_set_new(e, "fullUrl", json_string(full_url));
    json_object_set_new(e, "resource", res);
    json_array_append_new(entries, e);
}

static void add_note(json_t *res, const char *text)
{
    json_t *notes = json_object_get(res, "note"), *n;
    if (!text || !*text)
        return;
    if (!notes) {
        notes = json_array();
        json_object_set_new(res, "note", notes);
    }
    n = json_object();
    json_object_set_new(n, "text", json_string(text));
    json_array_append_new(notes, n);
}

static json_t *quantity(double v, const char *ucum)
{
    json_t *q = json_object();
    json_object_set_new(q, "value", json_real(v));
    if (ucum && *ucum) {
        json_object_set_new(q, "unit", json_string(ucum));
        json_object_set_new(q, "system", json_string(SARX__FHIR_UCUM));
        json_object_set_new(q, "code", json_string(ucum));
    }
    return q;
}

/* ---- an assessment ---- */

typedef struct out_ctx {
    const sarx_assessment *a;
    const sarx_fhir_info *info;
    char seed[64];     /* the content hash every id derives from */
    char subject[256]; /* "Patient/..." */
    char date[11];     /* "" when unknown */
    json_t *entries;
} out_ctx;

static void set_common(out_ctx *o, json_t *res, int with_sources, const char *field)
{
    size_t i, n = o->info ? sarx_fhir_info_source_count(o->info) : 0;
    json_object_set_new(res, "subject", ref(o->subject));
    if (*o->date)
        json_object_set_new(res, field, json_string(o->date));
    if (with_sources && n) {
        json_t *df = json_array();
        for (i = 0; i < n; i++)
            json_array_append_new(df, ref(sarx_fhir_info_source(o->info, i)));
        json_object_set_new(res, "derivedFrom", df);
    }
}

static json_t *method_text(const sarx_definition *d)
{
    char text[256];
    json_t *m = json_object();
    snprintf(text, sizeof text, "sarx %s; %s, definition table version %s", sarx_version(), sarx_definition_title(d),
             sarx_definition_version(d));
    json_object_set_new(m, "text", json_string(text));
    return m;
}

/* The category of a result as a CodeableConcept of the category CodeSystem. */
static json_t *category_concept(const sarx_definition *d, const char *cat)
{
    char code[160], disp[256];
    int idx = -1;
    size_t j;
    for (j = 0; j < sarx_definition_category_count(d); j++)
        if (strcmp(sarx_definition_category(d, j), cat) == 0)
            idx = (int)j;
    sarx__fhir_qualified(code, sizeof code, sarx_definition_id(d), idx < 0 ? "indeterminate" : cat);
    snprintf(disp, sizeof disp, "%s: %s", sarx_definition_title(d), sarx__category_words(d->d, idx));
    return sarx__fhir_concept(SARX__FHIR_CS_CAT, code, disp);
}

static json_t *component(const char *system, const char *code, const char *display)
{
    json_t *c = json_object();
    json_object_set_new(c, "code", sarx__fhir_concept(system, code, display));
    return c;
}

/* The derived values a definition's rows read, as components. */
static void derived_components(const sarx_assessment *a, const sarx_definition *d, json_t *comps)
{
    size_t i, j, n = sarx_definition_row_count(d);
    const char *seen[64];
    size_t nseen = 0;
    for (i = 0; i < n; i++) {
        sarx_row_info row;
        double lo, hi;
        json_t *c;
        const char *ucum;
        int dup = 0;
        if (sarx_definition_row(d, i, &row) != SARX_OK || sarx__derived_lookup(row.measure) < 0)
            continue;
        for (j = 0; j < nseen; j++)
            dup |= strcmp(seen[j], row.measure) == 0;
        if (dup || nseen == 64 || sarx_assessment_derived_range(a, row.measure, &lo, &hi) != SARX_OK || isnan(lo) ||
            isnan(hi))
            continue;
        seen[nseen++] = row.measure;
        ucum = sarx__fhir_ucum_of(sarx__measure_unit(sarx__derived_lookup(row.measure)));
        c = component(SARX__FHIR_CS, row.measure, row.measure);
        if (lo == hi)
            json_object_set_new(c, "valueQuantity", quantity(lo, ucum));
        else {
            json_t *r = json_object();
            json_object_set_new(r, "low", quantity(lo, ucum));
            json_object_set_new(r, "high", quantity(hi, ucum));
            json_object_set_new(c, "valueRange", r);
        }
        json_array_append_new(comps, c);
    }
}

static json_t *result_observation(out_ctx *o, const sarx_result *r)
{
    const sarx_definition *d = sarx_result_definition(r);
    const char *id = sarx_definition_id(d);
    json_t *obs = json_object(), *comps = json_array(), *c;
    char code[160], text[1024];
    size_t i, n;

    json_object_set_new(obs, "resourceType", json_string("Observation"));
    json_object_set_new(obs, "status", json_string("final"));
    json_object_set_new(obs, "code", sarx__fhir_concept(SARX__FHIR_CS_DEF, id, sarx_definition_title(d)));
    set_common(o, obs, 1, "effectiveDateTime");
    json_object_set_new(obs, "valueCodeableConcept", category_concept(d, sarx_result_category(r)));
    add_note(obs, SARX__DISCLAIMER);
    add_note(obs, sarx_definition_citation(d));
    add_note(obs, sarx_result_note(r));
    json_object_set_new(obs, "method", method_text(d));
    n = sarx_result_criterion_count(r);
    for (i = 0; i < n; i++) {
        int st = sarx_result_criterion_status(r, i);
        sarx__fhir_qualified(code, sizeof code, id, sarx_definition_criterion(d, i));
        c = component(SARX__FHIR_CS_CRIT, code, sarx_definition_criterion(d, i));
        if (st == SARX_MET || st == SARX_NOT_MET)
            json_object_set_new(c, "valueBoolean", json_boolean(st == SARX_MET));
        else
            json_object_set_new(c, "dataAbsentReason", sarx__fhir_concept(DAR_SYSTEM, "unknown", "Unknown"));
        json_array_append_new(comps, c);
    }
    derived_components(o->a, d, comps);
    c = component(SARX__FHIR_CS_RESULT, "complete", "result complete");
    json_object_set_new(c, "valueBoolean", json_boolean(sarx_result_complete(r)));
    json_array_append_new(comps, c);
    n = sarx_result_missing_count(r);
    if (n) {
        size_t len = 0;
        text[0] = '\0';
        for (i = 0; i < n && len + 2 < sizeof text; i++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i ? ", " : "", sarx_result_missing(r, i));
        c = component(SARX__FHIR_CS_RESULT, "missing", "missing inputs");
        json_object_set_new(c, "valueString", json_string(text));
        json_array_append_new(comps, c);
    }
    json_object_set_new(obs, "component", comps);
    return obs;
}

static void risk_assessment(out_ctx *o, const sarx_result *r, const char *obs_url)
{
    const sarx_definition *d = sarx_result_definition(r);
    const char *cat = sarx_result_category(r);
    json_t *ra = json_object(), *basis = json_array(), *pred = json_array(), *p = json_object(), *outcome;
    char url[46], text[256];
    size_t i;

    json_object_set_new(ra, "resourceType", json_string("RiskAssessment"));
    json_object_set_new(ra, "status", json_string("final"));
    json_object_set_new(ra, "method", method_text(d));
    json_object_set_new(ra, "code", sarx__fhir_concept(SARX__FHIR_CS_DEF, sarx_definition_id(d),
                                                       sarx_definition_title(d)));
    set_common(o, ra, 0, "occurrenceDateTime");
    json_array_append_new(basis, ref(obs_url));
    for (i = 0; o->info && i < sarx_fhir_info_source_count(o->info); i++)
        json_array_append_new(basis, ref(sarx_fhir_info_source(o->info, i)));
    json_object_set_new(ra, "basis", basis);
    outcome = json_object();
    json_object_set_new(outcome, "text", json_string("sarcopenia (a positive screen calls for assessment)"));
    json_object_set_new(p, "outcome", outcome);
    if (strcmp(cat, "positive") == 0 || strcmp(cat, "negative") == 0) {
        int pos = cat[0] == 'p';
        json_object_set_new(p, "qualitativeRisk", sarx__fhir_concept(RISK_SYSTEM, pos ? "high" : "low",
                                                                     pos ? "High likelihood" : "Low likelihood"));
    }
    snprintf(text, sizeof text, "%s: %s%s", sarx_definition_title(d), cat,
             sarx_result_complete(r) ? "" : " (incomplete)");
    json_object_set_new(p, "rationale", json_string(text));
    json_array_append_new(pred, p);
    json_object_set_new(ra, "prediction", pred);
    add_note(ra, SARX__DISCLAIMER);
    add_note(ra, sarx_definition_citation(d));
    {
        char key[128];
        snprintf(key, sizeof key, "risk:%s", sarx_definition_id(d));
        uuid_of(url, o->seed, key);
    }
    add_entry(o->entries, url, ra);
}

static void nutrition_status(out_ctx *o, const sarx_result *r, const char *obs_url)
{
    const sarx_definition *d = sarx_result_definition(r);
    json_t *obs = json_object(), *df = json_array();
    char url[46];
    json_object_set_new(obs, "resourceType", json_string("Observation"));
    json_object_set_new(obs, "status", json_string("final"));
    /* US Core's category for it (US Core 10.0.0-ballot's example
    ** simple-observation-nutrition-status: us-core-category
    ** nutrition-assessment, "Nutrition Assessment") */
    {
        json_t *cats = json_array(), *cc = json_object(), *codings = json_array(), *cd = json_object();
        json_object_set_new(cd, "system", json_string("http://hl7.org/fhir/us/core/CodeSystem/us-core-category"));
        json_object_set_new(cd, "code", json_string("nutrition-assessment"));
        json_object_set_new(cd, "display", json_string("Nutrition Assessment"));
        json_array_append_new(codings, cd);
        json_object_set_new(cc, "coding", codings);
        json_array_append_new(cats, cc);
        json_object_set_new(obs, "category", cats);
    }
    json_object_set_new(obs, "code", sarx__fhir_concept(SARX__FHIR_LOINC, "75305-3", "Nutrition status"));
    set_common(o, obs, 0, "effectiveDateTime");
    json_object_set_new(obs, "valueCodeableConcept", category_concept(d, sarx_result_category(r)));
    add_note(obs, SARX__DISCLAIMER);
    json_object_set_new(obs, "method", method_text(d));
    json_array_append_new(df, ref(obs_url));
    json_object_set_new(obs, "derivedFrom", df);
    uuid_of(url, o->seed, "nutrition-status");
    add_entry(o->entries, url, obs);
}

/* Definitions whose positive categories rest on muscle mass alone
** (Baumgartner 1998: ASMI below the young reference; Janssen 2004: classes
** of the skeletal muscle index): low mass is not a diagnosis of sarcopenia
** under current consensus (EWGSOP2, AWGS 2019), so they suggest no
** Condition. */
static int mass_only(const char *def)
{
    return strcmp(def, "baumgartner1998") == 0 || strcmp(def, "janssen2004") == 0;
}

/* The ICD-10-CM code a result suggests, or NULL. */
static const char *suggested(const sarx_result *r, const char **display)
{
    const sarx_definition *d = sarx_result_definition(r);
    const char *kind = sarx_definition_kind(d), *cat = sarx_result_category(r);
    if (strcmp(kind, "sarcopenia") == 0 && !mass_only(sarx_definition_id(d)) &&
        (strcmp(cat, "sarcopenia") == 0 || strcmp(cat, "severe_sarcopenia") == 0 ||
         strcmp(cat, "moderate_sarcopenia") == 0 || strcmp(cat, "weakness_low_lean_mass") == 0 ||
         strcmp(cat, "weakness_slowness_low_lean_mass") == 0))
        return *display = "Sarcopenia", "M62.84";
    if (strcmp(kind, "cachexia") == 0 && (strcmp(cat, "cachexia") == 0 || strcmp(cat, "refractory_cachexia") == 0))
        return *display = "Cachexia", "R64";
    if (strcmp(sarx_definition_id(d), "glim2019") == 0) {
        if (strcmp(cat, "malnutrition_severe") == 0)
            return *display = "Unspecified severe protein-calorie malnutrition", "E43";
        if (strcmp(cat, "malnutrition_moderate") == 0)
            return *display = "Moderate protein-calorie malnutrition", "E44.0";
    }
    return NULL;
}

static void conditions(out_ctx *o, const char *const *obs_url)
{
    static const char *const codes[] = {"M62.84", "R64", "E43", "E44.0"};
    size_t k, i, n = sarx_assessment_result_count(o->a);
    for (k = 0; k < sizeof codes / sizeof codes[0]; k++) {
        json_t *cond = NULL, *detail = NULL;
        const char *display = NULL;
        for (i = 0; i < n; i++) {
            const char *disp, *code = suggested(sarx_assessment_result(o->a, i), &disp);
            if (!code || strcmp(code, codes[k]) != 0)
                continue;
            if (!cond) {
                cond = json_object();
                detail = json_array();
                display = disp;
            }
            json_array_append_new(detail, ref(obs_url[i]));
        }
        if (cond) {
            json_t *ev = json_array(), *e = json_object();
            char url[46], key[32];
            json_object_set_new(cond, "resourceType", json_string("Condition"));
            json_object_set_new(cond, "verificationStatus",
                                sarx__fhir_concept(VER_SYSTEM, "provisional", "Provisional"));
            json_object_set_new(cond, "code", sarx__fhir_concept(ICD10CM, codes[k], display));
            json_object_set_new(cond, "subject", ref(o->subject));
            if (*o->date)
                json_object_set_new(cond, "recordedDate", json_string(o->date));
            json_object_set_new(e, "detail", detail);
            json_array_append_new(ev, e);
            json_object_set_new(cond, "evidence", ev);
            add_note(cond, "Suggested by sarx from the results it references: provisional until a clinician "
                           "confirms or refutes it.");
            add_note(cond, SARX__DISCLAIMER);
            snprintf(key, sizeof key, "condition:%s", codes[k]);
            uuid_of(url, o->seed, key);
            add_entry(o->entries, url, cond);
        }
    }
}

/* A Patient id at most this long leaves room for "-" and the longest field
** name (25) within FHIR's 64 characters of an Observation id. */
#define PID_MAX 38

/* A FHIR id from text: [A-Za-z0-9.-], at most max characters. */
static void safe_id(char *out, size_t max, const char *text)
{
    size_t i;
    for (i = 0; text[i] && i < max; i++) {
        char ch = text[i];
        out[i] = ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.')
                     ? ch
                     : '-';
    }
    out[i] = '\0';
    if (!i)
        snprintf(out, max + 1, "subject");
}

char *sarx_fhir_bundle(const sarx_assessment *a, const sarx_fhir_info *info, unsigned flags)
{
    out_ctx o;
    json_t *root;
    char *content, **urls, bundle_id[46];
    size_t i, n;
    const sarx__vals *v;
    if (!a)
        return NULL;
    memset(&o, 0, sizeof o);
    o.a = a;
    o.info = info;
    n = sarx_assessment_result_count(a);
    v = sarx__assessment_vals(a);
    if (!isnan(v->lo[SARX__F_DATE]))
        sarx__date_format((int)v->lo[SARX__F_DATE], o.date);
    if (info && *sarx_fhir_info_patient(info))
        snprintf(o.subject, sizeof o.subject, "Patient/%s", sarx_fhir_info_patient(info));
    else { /* the subject's id, as sarx_fhir_subject_bundle writes its Patient */
        char pid[48];
        safe_id(pid, PID_MAX, *sarx_assessment_id(a) ? sarx_assessment_id(a) : "subject");
        snprintf(o.subject, sizeof o.subject, "Patient/%s", pid);
    }
    content = sarx_assessment_json(a, 0);
    if (!content)
        return NULL;
    uuid_of(bundle_id, content, o.subject);
    snprintf(o.seed, sizeof o.seed, "%s", bundle_id + 9);
    sarx_free(content);
    urls = calloc(n ? n : 1, sizeof *urls);
    root = json_object();
    o.entries = json_array();
    if (!urls || !root || !o.entries) {
        free(urls);
        json_decref(root);
        json_decref(o.entries);
        return NULL;
    }
    json_object_set_new(root, "resourceType", json_string("Bundle"));
    json_object_set_new(root, "id", json_string(o.seed));
    json_object_set_new(root, "type", json_string("collection"));
    for (i = 0; i < n; i++) {
        const sarx_result *r = sarx_assessment_result(a, i);
        const char *id = sarx_definition_id(sarx_result_definition(r));
        char key[128];
        urls[i] = malloc(46);
        if (!urls[i])
            break;
        snprintf(key, sizeof key, "result:%s", id);
        uuid_of(urls[i], o.seed, key);
        add_entry(o.entries, urls[i], result_observation(&o, r));
        if (strcmp(id, "sarc_f") == 0 || strcmp(id, "sarc_calf") == 0)
            risk_assessment(&o, r, urls[i]);
        if (strcmp(id, "glim2019") == 0)
            nutrition_status(&o, r, urls[i]);
    }
    if (i == n && (flags & SARX_FHIR_SUGGEST_CONDITIONS))
        conditions(&o, (const char *const *)urls);
    json_object_set_new(root, "entry", o.entries);
    {
        size_t done = i;
        for (i = 0; i < done; i++)
            free(urls[i]);
        free(urls);
        if (done < n) {
            json_decref(root);
            return NULL;
        }
    }
    return sarx__fhir_dump(root, flags);
}

/* ---- a subject ---- */

/* The table's row for field name: the first (fhir_map.c lists a field's
** preferred row first), or NULL. */
static const sarx__fhir_code *row_for(const char *name)
{
    size_t i;
    for (i = 0; i < sarx__fhir_code_count; i++)
        if (strcmp(sarx__fhir_codes[i].field, name) == 0)
            return &sarx__fhir_codes[i];
    return NULL;
}

/* The row for canonical field f and the factor its value is divided by:
** the canonical name's row, else an alternate unit's (value / scale). */
static const sarx__fhir_code *field_row(int f, double *scale)
{
    const sarx__fhir_code *c = row_for(sarx__field_info[f].name);
    size_t i;
    *scale = 1;
    for (i = 0; !c && i < sarx__alias_count; i++)
        if (sarx__aliases[i].field == f && (c = row_for(sarx__aliases[i].name)) != NULL)
            *scale = sarx__aliases[i].scale;
    return c;
}

typedef struct subj_ctx {
    char pid[48], subject[64];
    json_t *entries;
} subj_ctx;

static json_t *new_observation(subj_ctx *o, const char *suffix, const sarx__fhir_code *c, const char *date)
{
    json_t *obs = json_object();
    char id[128], url[46];
    size_t i;
    snprintf(id, sizeof id, "%s-%s", o->pid, suffix);
    for (i = 0; id[i]; i++)
        if (id[i] == '_')
            id[i] = '-';
    json_object_set_new(obs, "resourceType", json_string("Observation"));
    json_object_set_new(obs, "id", json_string(id));
    json_object_set_new(obs, "status", json_string("final"));
    json_object_set_new(obs, "code", sarx__fhir_concept(c->system, c->code, c->display));
    json_object_set_new(obs, "subject", ref(o->subject));
    if (date && *date)
        json_object_set_new(obs, "effectiveDateTime", json_string(date));
    uuid_of(url, o->pid, id);
    add_entry(o->entries, url, obs);
    return obs;
}

/* Patient.birthDate from an integer age at a known date: the latest birth
** date with that age in completed years (the birthday on that date;
** 29 February becomes 28 February). */
static void birth_date(char out[11], const char *date, double age)
{
    int y, m, d;
    out[0] = '\0';
    if (!*date || age != floor(age) || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return;
    y -= (int)age;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        d = 28;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

char *sarx_fhir_subject_bundle(const sarx_subject *s, const char *patient_id, unsigned flags)
{
    subj_ctx o;
    json_t *root, *pat;
    char date[11] = "", url[46];
    size_t i;
    int f;
    if (!s)
        return NULL;
    safe_id(o.pid, PID_MAX, patient_id ? patient_id : "subject");
    snprintf(o.subject, sizeof o.subject, "Patient/%s", o.pid);
    if (!isnan(s->v[SARX__F_DATE]))
        sarx__date_format((int)s->v[SARX__F_DATE], date);
    root = json_object();
    pat = json_object();
    o.entries = json_array();
    if (!root || !pat || !o.entries) {
        json_decref(root);
        json_decref(pat);
        json_decref(o.entries);
        return NULL;
    }
    json_object_set_new(root, "resourceType", json_string("Bundle"));
    uuid_of(url, o.pid, "bundle");
    json_object_set_new(root, "id", json_string(url + 9));
    json_object_set_new(root, "type", json_string("collection"));
    json_object_set_new(pat, "resourceType", json_string("Patient"));
    json_object_set_new(pat, "id", json_string(o.pid));
    if (!isnan(s->v[SARX__F_SEX]))
        json_object_set_new(pat, "gender", json_string(s->v[SARX__F_SEX] == SARX__MALE ? "male" : "female"));
    if (!isnan(s->v[SARX__F_AGE]) && !row_for("age_years")) {
        char bd[11];
        birth_date(bd, date, s->v[SARX__F_AGE]);
        if (*bd)
            json_object_set_new(pat, "birthDate", json_string(bd));
    }
    uuid_of(url, o.pid, "patient");
    add_entry(o.entries, url, pat);

    for (f = 0; f < SARX__F_COUNT; f++) {
        const sarx_field_info *fi = &sarx__field_info[f];
        const sarx__fhir_code *c;
        double v = s->v[f], scale;
        json_t *obs;
        if (isnan(v) || f == SARX__F_SEX || f == SARX__F_DATE || (f == SARX__F_AGE && !row_for("age_years")))
            continue;
        if (f == SARX__F_WEIGHT) { /* the history's entry on the assessment date says it already */
            size_t k;
            int dup = 0;
            for (k = 0; k < s->nhist; k++)
                dup |= !isnan(s->v[SARX__F_DATE]) && s->hist[k].day == (int)s->v[SARX__F_DATE] && s->hist[k].kg == v;
            if (dup)
                continue;
        }
        if (!(c = field_row(f, &scale)))
            continue;
        obs = new_observation(&o, fi->name, c, date);
        if (fi->kind == SARX_KIND_BOOL)
            json_object_set_new(obs, "valueBoolean", json_boolean(v != 0));
        else if (fi->kind == SARX_KIND_ENUM) {
            const char *w = fi->values, *bar;
            int k;
            for (k = 1; k < (int)v && (bar = strchr(w, '|')) != NULL; k++)
                w = bar + 1;
            bar = strchr(w, '|');
            json_object_set_new(obs, "valueString", json_stringn(w, bar ? (size_t)(bar - w) : strlen(w)));
        } else if (!*c->ucum && v == floor(v) && fabs(v) < 1e15)
            json_object_set_new(obs, "valueInteger", json_integer((json_int_t)v)); /* a score (ECOG) */
        else
            json_object_set_new(obs, "valueQuantity", quantity(v / scale, c->ucum));
    }
    if (s->nhist) {
        double scale;
        const sarx__fhir_code *c = field_row(SARX__F_WEIGHT, &scale);
        for (i = 0; c && i < s->nhist; i++) {
            char d[11], suffix[32];
            json_t *obs;
            sarx__date_format(s->hist[i].day, d);
            snprintf(suffix, sizeof suffix, "weight-%zu", i + 1);
            obs = new_observation(&o, suffix, c, d);
            json_object_set_new(obs, "valueQuantity", quantity(s->hist[i].kg / scale, c->ucum));
        }
    }
    for (i = 0; i < s->conditions.n; i++) {
        const char *item = s->conditions.item[i];
        json_t *cond = json_object(), *code;
        char id[96];
        snprintf(id, sizeof id, "%s-condition-%zu", o.pid, i + 1);
        json_object_set_new(cond, "resourceType", json_string("Condition"));
        json_object_set_new(cond, "id", json_string(id));
        if (strncmp(item, "icd10:", 6) == 0)
            code = sarx__fhir_concept(ICD10, item + 6, NULL);
        else {
            code = json_object();
            json_object_set_new(code, "text", json_string(item));
        }
        json_object_set_new(cond, "code", code);
        json_object_set_new(cond, "subject", ref(o.subject));
        uuid_of(url, o.pid, id);
        add_entry(o.entries, url, cond);
    }
    json_object_set_new(root, "entry", o.entries);
    return sarx__fhir_dump(root, flags);
}
