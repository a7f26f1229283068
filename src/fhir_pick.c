/*
** fhir_pick.c — from the Observations that count to one subject: the
** assessment date, every body weight into the history (one a day), grip
** as the best hand of the latest session, the latest value of every other
** field, then the Patient's sex and age at the assessment date.
*/
#include "fhir_in.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* canonical = value * scale: the library's own alias scale. */
static double scale_of(const char *field)
{
    int alias;
    (void)sarx__field_lookup(field, strlen(field), &alias);
    return alias >= 0 ? sarx__aliases[alias].scale : 1.0;
}

static void oname(const obs *o, char *buf, size_t n)
{
    if (*o->id)
        snprintf(buf, n, "%s/%s", o->type, o->id);
    else
        snprintf(buf, n, "%s at entry[%zu]", o->type, o->entry);
}

/* Is ref among the sources already? */
static int listed(const sarx_fhir_info *info, const char *ref)
{
    size_t i;
    for (i = 0; i < sarx_fhir_info_source_count(info); i++)
        if (strcmp(sarx_fhir_info_source(info, i), ref) == 0)
            return 1;
    return 0;
}

static int wrap(rd *r, const obs *o, const sarx_error *e)
{
    char name[96];
    oname(o, name, sizeof name);
    if (strcmp(o->type, "Observation") != 0) /* a QuestionnaireResponse's answer */
        return sarx__err(r->err, e->code, e->field, e->value, e->allowed,
                         "%s (entry[%zu].resource.item, linkId %s): %s", name, o->entry, o->row->code, e->message);
    return sarx__err(r->err, e->code, e->field, e->value, e->allowed, "%s (entry[%zu].resource.value[x], code %s): %s",
                     name, o->entry, o->row->code, e->message);
}

static int set_obs(rd *r, obs *o)
{
    sarx_error e;
    int rc;
    const sarx_field_info *fi = sarx_field_find(o->row->field);
    memset(&e, 0, sizeof e);
    if (o->kind == 1) {
        if (!fi || fi->kind != SARX_KIND_BOOL)
            rc = sarx__err(&e, SARX_ETYPE, o->row->field, o->v ? "true" : "false", "a number",
                           "field \"%s\": expected a number, got true/false", o->row->field);
        else
            rc = sarx_subject_set_bool(r->s, o->row->field, o->v != 0, &e);
    } else if (o->kind == 2)
        rc = sarx_subject_set_text(r->s, o->row->field, o->text, strlen(o->text), 0, &e);
    else
        rc = sarx_subject_set_number(r->s, o->row->field, o->v, &e);
    if (rc != SARX_OK)
        return wrap(r, o, &e);
    o->used = 1;
    return SARX_OK;
}

/* Whether Observation a (of index ia) was made after b (of index ib): a
** later day; on the same day, a later instant when both have a time and a
** zone; else the later in the Bundle (a search sorted newest first lists
** the later measurement first: its time decides, where it is given). */
static int after(const obs *a, size_t ia, const obs *b, size_t ib)
{
    if (a->day != b->day)
        return a->day > b->day;
    if (a->timed && b->timed && a->at != b->at)
        return a->at > b->at;
    return ia > ib;
}

/* Every body weight up to the assessment date into the history, one a
** day (the latest of the day, by after()); the latest is the current weight. */
static int weights(rd *r)
{
    size_t i, j;
    obs *last = NULL;
    char date[11], a[96], b[96];
    sarx_error e;
    for (i = 0; i < r->no; i++) {
        obs *o = &r->o[i];
        if (o->canon != SARX__F_WEIGHT || o->used < 0)
            continue;
        for (j = 0; j < r->no; j++)
            if (j != i && r->o[j].canon == SARX__F_WEIGHT && r->o[j].used >= 0 && r->o[j].day == o->day &&
                after(&r->o[j], j, o, i))
                break;
        sarx__date_format(o->day, date);
        if (j < r->no) {
            oname(o, a, sizeof a);
            oname(&r->o[j], b, sizeof b);
            sarx_fhir__note(r->info, "%s: a second body weight on %s (%s is later), ignored", a, date, b);
            o->used = -1;
            continue;
        }
        if (sarx_subject_add_weight(r->s, date, o->v * scale_of(o->row->field), &e) != SARX_OK)
            return wrap(r, o, &e);
        o->used = 1;
        if (!last || o->day > last->day)
            last = o;
    }
    return last ? set_obs(r, last) : SARX_OK;
}

/* Grip: the best hand (in kg) of the latest session; both hands of that
** session are sources. */
static int grip(rd *r)
{
    size_t i;
    int day = INT_MIN;
    obs *best = NULL;
    for (i = 0; i < r->no; i++)
        if (r->o[i].canon == SARX__F_GRIP && r->o[i].used >= 0 && r->o[i].day > day)
            day = r->o[i].day;
    for (i = 0; i < r->no; i++) {
        obs *o = &r->o[i];
        if (o->canon != SARX__F_GRIP || o->used < 0 || o->day != day)
            continue;
        o->used = 1;
        if (!best || o->v * scale_of(o->row->field) > best->v * scale_of(best->row->field))
            best = o;
    }
    return best ? set_obs(r, best) : SARX_OK;
}

/* Completed years from a birth date (possibly only a year or year-month)
** at day; -1 when the partial date leaves it undetermined. */
static int age_at(const char *birth, int day)
{
    char t[11];
    int y, m, d, by, bm = 0, bd = 0, lo, hi, mlo, mhi, dlo, dhi;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    sarx__date_format(day, t);
    if (sscanf(t, "%4d-%2d-%2d", &y, &m, &d) != 3 || sscanf(birth, "%4d-%2d-%2d", &by, &bm, &bd) < 1)
        return -1;
    if (bm < 0 || bm > 12)
        return -1;
    mlo = bm ? bm : 1;
    mhi = bm ? bm : 12;
    dlo = bd ? bd : 1;
    dhi = bd ? bd : mdays[mhi - 1];
    /* the earliest possible birthday gives the highest age */
    hi = y - by - (m < mlo || (m == mlo && d < dlo));
    lo = y - by - (m < mhi || (m == mhi && d < dhi));
    return lo == hi ? lo : -1;
}

static int patient(rd *r, int day)
{
    const char *g = json_string_value(json_object_get(r->patient, "gender"));
    const char *b = json_string_value(json_object_get(r->patient, "birthDate"));
    char name[96];
    sarx_error e;
    if (*r->pid)
        snprintf(name, sizeof name, "Patient/%s", r->pid);
    else
        snprintf(name, sizeof name, "Patient at entry[%zu]", r->pentry);
    if (g && (strcmp(g, "male") == 0 || strcmp(g, "female") == 0)) {
        if (sarx_subject_set_text(r->s, "sex", g, strlen(g), 0, &e) != SARX_OK)
            return sarx__err(r->err, e.code, e.field, e.value, e.allowed, "%s (gender): %s", name, e.message);
    } else
        sarx_fhir__note(r->info, "%s: gender %s: sex left missing", name, g ? g : "not given");
    if (!b)
        sarx_fhir__note(r->info, "%s: no birthDate: age left missing", name);
    else if (day == INT_MIN)
        sarx_fhir__note(r->info, "%s: no assessment date: age left missing", name);
    else {
        int age = age_at(b, day);
        if (age < 0)
            sarx_fhir__note(r->info, "%s: birthDate %s does not determine the age in completed years at %s: age left "
                            "missing", name, b, r->info->as_of);
        else if (sarx_subject_set_number(r->s, "age_years", age, &e) != SARX_OK)
            return sarx__err(r->err, e.code, e.field, e.value, e.allowed, "%s (birthDate %s, age at %s): %s", name, b,
                             r->info->as_of, e.message);
    }
    if (*r->pid && sarx_subject_set_text(r->s, "id", r->pid, strlen(r->pid), 0, &e) != SARX_OK)
        return sarx__err(r->err, e.code, e.field, e.value, e.allowed, "%s (id): %s", name, e.message);
    return SARX_OK;
}

/* The Conditions present on the assessment day (INT_MIN: no date, then
** every one): not one whose onset (or, without an onset, recordedDate) is
** after it, nor one that abated on or before it. */
static int conditions(rd *r, int day)
{
    size_t i;
    char d1[11], d2[11];
    sarx_error e;
    for (i = 0; i < r->nc; i++) {
        const cond *c = &r->c[i];
        if (day != INT_MIN && c->onset != INT_MIN && c->onset > day) {
            sarx__date_format(c->onset, d1);
            sarx__date_format(day, d2);
            sarx_fhir__note(r->info, "%s: %s %s, after the assessment date %s, ignored", c->name,
                            strcmp(c->onset_from, "onset") == 0 ? "onset" : "recorded", d1, d2);
            continue;
        }
        if (day != INT_MIN && c->abated != INT_MIN && c->abated <= day) {
            sarx__date_format(c->abated, d1);
            sarx__date_format(day, d2);
            sarx_fhir__note(r->info, "%s: abated %s, by the assessment date %s, ignored", c->name, d1, d2);
            continue;
        }
        if (sarx_subject_add_item(r->s, "conditions", c->item[0] ? c->item : c->words, &e) != SARX_OK)
            return sarx__err(r->err, e.code, e.field, e.value, e.allowed, "%s (entry[%zu].resource.code): %s", c->name,
                             c->entry, e.message);
    }
    return SARX_OK;
}

int sarx_fhir__pick(rd *r, const char *as_of)
{
    int day = INT_MIN, rc;
    int best[SARX__F_COUNT];
    size_t i;
    char name[96], date[11];
    sarx_error e;
    if (as_of) {
        if (sarx__parse_date(as_of, strlen(as_of), &day) != SARX_OK)
            return sarx__err(r->err, SARX_ESYNTAX, "as_of", as_of, "YYYY-MM-DD, years 1900-2200",
                             "as_of: \"%s\" is not a date (allowed YYYY-MM-DD, years 1900-2200)", as_of);
        r->info->as_of_source = "as_of";
    } else {
        for (i = 0; i < r->no; i++)
            if (r->o[i].canon == SARX__F_WEIGHT && r->o[i].day > day)
                day = r->o[i].day;
        r->info->as_of_source = "latest weight";
        if (day == INT_MIN) {
            for (i = 0; i < r->no; i++)
                if (r->o[i].day > day)
                    day = r->o[i].day;
            r->info->as_of_source = day == INT_MIN ? "" : "latest observation";
        }
    }
    if (day != INT_MIN)
        sarx__date_format(day, r->info->as_of);
    for (i = 0; i < r->no; i++)
        if (day != INT_MIN && r->o[i].day > day) {
            oname(&r->o[i], name, sizeof name);
            sarx__date_format(r->o[i].day, date);
            sarx_fhir__note(r->info, "%s: dated %s, after the assessment date %s, ignored", name, date, r->info->as_of);
            r->o[i].used = -1;
        }
    if ((rc = weights(r)) != SARX_OK || (rc = grip(r)) != SARX_OK)
        return rc;
    for (i = 0; i < SARX__F_COUNT; i++)
        best[i] = -1;
    for (i = 0; i < r->no; i++) {
        const obs *o = &r->o[i];
        if (o->used < 0 || o->canon < 0 || o->canon == SARX__F_WEIGHT || o->canon == SARX__F_GRIP)
            continue;
        if (best[o->canon] < 0 || after(o, i, &r->o[best[o->canon]], (size_t)best[o->canon]))
            best[o->canon] = (int)i;
    }
    for (i = 0; i < SARX__F_COUNT; i++)
        if (best[i] >= 0 && (rc = set_obs(r, &r->o[best[i]])) != SARX_OK)
            return rc;
    if ((rc = conditions(r, day)) != SARX_OK)
        return rc;
    if (r->have_patient && (rc = patient(r, day)) != SARX_OK)
        return rc;
    if (!r->have_patient)
        sarx_fhir__note(r->info, "Bundle: no Patient: sex and age left missing");
    if (day != INT_MIN &&
        sarx_subject_set_text(r->s, "assessment_date", r->info->as_of, 10, 0, &e) != SARX_OK)
        return sarx__err(r->err, e.code, e.field, e.value, e.allowed, "assessment date: %s", e.message);
    for (i = 0; i < r->no; i++) {
        const obs *o = &r->o[i];
        if (o->used != 1 || (!*o->id && !*o->full))
            continue;
        if (*o->id)
            snprintf(name, sizeof name, "%s/%s", o->type, o->id);
        if (listed(r->info, *o->id ? name : o->full))
            continue; /* a QuestionnaireResponse gives several fields: one source */
        if ((rc = sarx_fhir__add_source(r->info, *o->id ? name : o->full)) != SARX_OK)
            return sarx__err(r->err, rc, "", "", "", "out of memory");
    }
    if (sarx_subject_finish(r->s, &e) != SARX_OK)
        return sarx__err(r->err, e.code, e.field, e.value, e.allowed, "FHIR Bundle: %s", e.message);
    return SARX_OK;
}
