/*
** registry_review.c — every visit of a patient read again: its subject
** from the visit as stored, the patient record as it is now and the
** weights of the patient's visits as the history, re-assessed (timeline,
** CSV export); and, for the exports, whether the stored result still
** matches the record (srv__visit_view.status).
**
** A visit is always dated by its stored date, never by today: a visit
** sent without assessment_date was dated on the day it was entered.
*/
#include "registry_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The SI weight of a visit (its weight_kg measurement), or NULL. */
static const json_t *visit_weight(const json_t *v)
{
    const json_t *ms = json_object_get(v, "measurements"), *m;
    size_t i;
    json_array_foreach(ms, i, m) {
        const char *f = json_string_value(json_object_get(m, "field"));
        if (f && !strcmp(f, "weight_kg"))
            return json_object_get(m, "si_value");
    }
    return NULL;
}

/* A patient field's text for a note. */
static const char *shown(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "not recorded";
}

/* Note how the record now differs from the one the result was computed
** with; 1 if it does. */
static int basis_differs(const json_t *basis, const json_t *patient, FILE *note, int *first)
{
    static const char *const keys[] = {"sex", "birth_date", "population"};
    size_t i;
    int differs = 0;
    for (i = 0; i < 3; i++) {
        const json_t *was = json_object_get(basis, keys[i]), *now = json_object_get(patient, keys[i]);
        if (json_is_string(was) == json_is_string(now) &&
            (!json_is_string(was) || !strcmp(json_string_value(was), json_string_value(now))))
            continue;
        fprintf(note, "%s%s was %s when the result was stored, now %s", *first ? "" : "; ", keys[i], shown(was),
                shown(now));
        *first = 0;
        differs = 1;
    }
    return differs;
}

/* Did the subject fail on something the patient record gave it? */
static int about_patient(const sarx_error *e)
{
    return !strcmp(e->field, "sex") || !strcmp(e->field, "population") || !strcmp(e->field, "birth_date");
}

/* The stored result of visit vid checked (decoded; the basis compared with
** the record).  Sets *dam / *changed / *unverified, with notes. */
static int check_stored(srv_registry *r, sqlite3 *db, int slot, sqlite3_stmt *st, srv__dicts *dicts, long long vid,
                        const json_t *patient, FILE *note, int *first, int *dam, int *changed, int *unverified,
                        sarx_error *err)
{
    char why[200], doing[80];
    int rc;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, vid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        fprintf(note, "%sdamaged: no stored result", *first ? "" : "; ");
        *first = 0;
        *dam = 1;
        return SRV_OK;
    }
    if (rc != SQLITE_ROW) {
        snprintf(doing, sizeof doing, "reading the stored assessment of visit %lld", vid);
        return srv__fail(db, rc, doing, err);
    }
    if (srv__verify_result(db, r->zd[slot], dicts, (const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
                           (size_t)sqlite3_column_bytes(st, 1), sqlite3_column_int64(st, 2), NULL, 0, why,
                           sizeof why)) {
        fprintf(note, "%sdamaged: stored result: %s", *first ? "" : "; ", why);
        *first = 0;
        *dam = 1;
    }
    if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
        fprintf(note, "%sthe patient record was edited after this result was stored, and the sarx that stored it "
                      "did not record the sex, birth date and population it used",
                *first ? "" : "; ");
        *first = 0;
        *unverified = 1;
    } else {
        json_t *basis = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
        if (!json_is_object(basis)) {
            fprintf(note, "%sdamaged: the stored patient record is not a JSON object", *first ? "" : "; ");
            *first = 0;
            *dam = 1;
        } else if (basis_differs(basis, patient, note, first)) {
            *changed = 1;
        }
        json_decref(basis);
    }
    return SRV_OK;
}

int srv__review(srv_registry *r, sqlite3 *db, int slot, const json_t *patient, unsigned flags, unsigned assess_flags,
                srv__visit_fn fn, void *ud, sarx_error *err)
{
    long long pid = json_integer_value(json_object_get(patient, "id"));
    json_t *visits = NULL, *part = NULL; /* the record without what a visit contradicts */
    srv_weight *w = NULL;
    sarx_subject *s = NULL;
    sqlite3_stmt *st = NULL;
    srv__dicts dicts;
    size_t i, k, nw = 0, cap = 0;
    char sql[512];
    int rc = srv__visits_load(db, pid, &visits, err);
    memset(&dicts, 0, sizeof dicts);
    /* the history: the weights of the visits just loaded (oldest first) */
    for (i = 0; !rc && i < json_array_size(visits); i++) {
        const json_t *v = json_array_get(visits, i), *kg = visit_weight(v);
        const char *date = json_string_value(json_object_get(v, "date"));
        if (json_is_number(kg) && date && srv_date_days(date) != SRV_BAD_DATE &&
            !srv__weight_push(&w, &nw, &cap, date, json_number_value(kg)))
            rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    }
    if (!rc && (flags & SRV__REVIEW_STATUS)) {
        snprintf(sql, sizeof sql,
                 "SELECT a.format, a.result, a.dictionary_id, a.sarx_version, %s FROM assessments a"
                 " JOIN visits v ON v.id = a.visit_id JOIN patients p ON p.id = v.patient_id WHERE a.visit_id = ?",
                 srv__basis_sql(r));
        rc = srv__prepare(db, sql, &st, err);
    }
    if (!rc && sarx_subject_new(&s))
        rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    for (i = 0; !rc && i < json_array_size(visits); i++) {
        json_t *v = json_array_get(visits, i), *merged = NULL, *in = NULL;
        const json_t *inputs = json_object_get(v, "inputs"), *damage = json_object_get(v, "damage"), *dmg;
        const char *date = json_string_value(json_object_get(v, "date"));
        long long vid = json_integer_value(json_object_get(v, "id"));
        sarx_assessment *a = NULL;
        sarx_error verr;
        srv__visit_view view;
        const srv_weight *hist;
        char d[11], from[11], *note = NULL;
        size_t lo, notelen = 0, j;
        int first = 1, dam = 0, changed = 0, unverified = 0, have = 0;
        FILE *nf = open_memstream(&note, &notelen);
        if (!nf) {
            rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
            break;
        }
        memset(&verr, 0, sizeof verr);
        json_array_foreach(damage, j, dmg) {
            fprintf(nf, "%sdamaged: %s", first ? "" : "; ", json_string_value(dmg));
            first = 0;
            dam = 1;
        }
        if (flags & SRV__REVIEW_STATUS)
            rc = check_stored(r, db, slot, st, &dicts, vid, patient, nf, &first, &dam, &changed, &unverified, err);
        if (!rc && json_is_object(inputs) && date && srv_date_days(date) != SRV_BAD_DATE) {
            /* dated by the visit's stored date when the inputs do not say */
            in = json_object_get(inputs, "assessment_date") ? json_incref((json_t *)inputs) : json_copy((json_t *)inputs);
            if (!in || (!json_object_get(in, "assessment_date") &&
                        json_object_set_new(in, "assessment_date", json_string(date)))) {
                json_decref(in);
                fclose(nf);
                free(note);
                rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
                break;
            }
            json_decref(part);
            if (!(part = json_copy((json_t *)patient))) {
                json_decref(in);
                fclose(nf);
                free(note);
                rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
                break;
            }
            srv_date_minus_months(date, SRV_HISTORY_MONTHS, from);
            for (lo = 0; lo < nw && strcmp(w[lo].date, from) < 0; lo++)
                ;
            for (k = lo; k < nw && strcmp(w[k].date, date) < 0; k++)
                ;
            hist = w ? w + lo : NULL; /* no weights at all: w is NULL, and NULL + 0 is undefined */
            have = srv_visit_subject(patient, in, hist, k - lo, s, d, &merged, &verr) == 0;
            /* Each field of the record the visit contradicts is left out
            ** (the visit's own value stays), the others still apply. */
            for (j = 0; !have && (flags & SRV__REVIEW_FALLBACK) && about_patient(&verr) && j < 3; j++) {
                fprintf(nf, "%sthe patient record now contradicts this visit (%s)", first ? "" : "; ", verr.message);
                first = 0;
                changed = 1;
                if (!json_object_get(part, verr.field) || json_object_del(part, verr.field))
                    break;
                have = srv_visit_subject(part, in, hist, k - lo, s, d, &merged, &verr) == 0;
            }
            if (!have && (flags & SRV__REVIEW_FALLBACK) && verr.code != SARX_ENOMEM) {
                fprintf(nf, "%sdamaged: the stored inputs are refused by sarx %s (%s)", first ? "" : "; ",
                        sarx_version(), verr.message);
                first = 0;
                dam = 1;
            }
            if (verr.code == SARX_ENOMEM && !have)
                rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
            if (!rc && have && (flags & SRV__REVIEW_ASSESS) && sarx_assess_ex(r->ctx, s, assess_flags, &a, &verr))
                a = NULL;
            json_decref(in);
        } else if (!rc) {
            const char *first_damage = json_string_value(json_array_get(damage, 0));
            srv_error(&verr, SARX_EIO, "", "", "", "visit %lld is damaged: %.200s (sarx registry check lists all)", vid,
                      first_damage ? first_damage : "its inputs cannot be read");
        }
        if (fclose(nf) && !rc)
            rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        if (!rc) {
            view.patient = patient;
            view.visit = v;
            view.merged = have ? merged : NULL;
            view.s = have ? s : NULL;
            view.a = a;
            view.err = have && (a || !(flags & SRV__REVIEW_ASSESS)) ? NULL : &verr;
            view.status = dam ? "damaged" : changed ? "patient_changed" : unverified ? "unverified" : "ok";
            view.note = note ? note : "";
            rc = fn(ud, &view);
        }
        sarx_assessment_free(a);
        json_decref(merged);
        free(note);
    }
    sqlite3_finalize(st);
    srv__dicts_free(&dicts);
    sarx_subject_free(s);
    json_decref(part);
    json_decref(visits);
    free(w);
    return rc;
}

/* ---- the timeline ---- */

static json_t *number_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static int timeline_visit(void *ud, const srv__visit_view *x)
{
    json_t *list = ud, *e, *res;
    size_t i;
    const json_t *w = visit_weight(x->visit);
    e = json_pack("{s:O,s:O,s:O}", "visit_id", json_object_get(x->visit, "id"), "date",
                  json_object_get(x->visit, "date"), "weight_kg", w ? w : json_null());
    if (!e)
        return SRV_FAIL;
    if (!x->a) {
        json_t *ej = NULL;
        if (!x->merged && json_object_get(x->visit, "damage")) {
            ej = json_pack("{s:{s:s,s:s}}", "error", "code", "damaged", "message", x->err->message);
        } else {
            char *t = sarx_error_json(x->err);
            ej = t ? json_loads(t, 0, NULL) : NULL;
            sarx_free(t);
        }
        json_object_set(e, "error", ej ? json_object_get(ej, "error") : json_null());
        json_decref(ej);
        return json_array_append_new(list, e) ? SRV_FAIL : SRV_OK;
    }
    json_object_set_new(e, "weight_loss_pct_6m", number_or_null(sarx_assessment_derived(x->a, "weight_loss_pct_6m")));
    json_object_set_new(e, "weight_loss_pct_12m",
                        number_or_null(sarx_assessment_derived(x->a, "weight_loss_pct_12m")));
    res = json_object();
    for (i = 0; res && i < sarx_assessment_result_count(x->a); i++) {
        const sarx_result *y = sarx_assessment_result(x->a, i);
        const sarx_definition *d = sarx_result_definition(y);
        const char *cat = sarx_result_category(y);
        size_t c, pos = 0;
        for (c = 0; c < sarx_definition_category_count(d); c++)
            if (!strcmp(sarx_definition_category(d, c), cat))
                pos = (size_t)sarx_definition_category_positive(d, c);
        json_object_set_new(res, sarx_definition_id(d),
                            json_pack("{s:s,s:b,s:b}", "category", cat, "complete", sarx_result_complete(y),
                                      "positive", (int)pos));
    }
    if (!res || json_object_set_new(e, "results", res)) {
        json_decref(e);
        return SRV_FAIL;
    }
    return json_array_append_new(list, e) ? SRV_FAIL : SRV_OK;
}

int srv_timeline(srv_registry *r, long long pid, json_t **out, sarx_error *err)
{
    json_t *patient = NULL, *visits = json_array(), *defs = json_array();
    size_t i;
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    *out = NULL;
    rc = visits && defs ? srv__exec(db, "BEGIN", err) : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    if (!rc && !(rc = srv__patient_load(db, pid, &patient, err)))
        rc = srv__review(r, db, slot, patient, SRV__REVIEW_ASSESS, SARX_ASSESS_NO_GUIDANCE, timeline_visit, visits,
                         err);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    srv__release(r, slot);
    for (i = 0; !rc && i < sarx_definition_count(r->ctx); i++) {
        const sarx_definition *d = sarx_definition_at(r->ctx, i);
        if (json_array_append_new(defs, json_pack("{s:s,s:s,s:s}", "id", sarx_definition_id(d), "title",
                                                  sarx_definition_title(d), "kind", sarx_definition_kind(d))))
            rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    }
    if (!rc) {
        *out = json_pack("{s:O,s:s,s:O,s:O}", "patient", patient, "sarx_version", sarx_version(), "definitions",
                         defs, "visits", visits);
        rc = *out ? SRV_OK : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    }
    json_decref(patient);
    json_decref(visits);
    json_decref(defs);
    return rc;
}

/* ---- the weight plot ---- */

int srv_weight_svg(srv_registry *r, long long pid, char **out, sarx_error *err)
{
    json_t *patient = NULL;
    srv_weight *w = NULL;
    size_t nw = 0;
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    *out = NULL;
    rc = srv__exec(db, "BEGIN", err);
    if (!rc && !(rc = srv__patient_load(db, pid, &patient, err)))
        rc = srv__weights_between(db, pid, NULL, NULL, &w, &nw, err);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    srv__release(r, slot);
    if (!rc) {
        /* The whole label, however long (up to 200 characters). */
        const char *label = json_string_value(json_object_get(patient, "label"));
        size_t n = strlen(label ? label : "patient") + 16;
        char *title = malloc(n);
        if (title) {
            snprintf(title, n, "Weight, %s", label ? label : "patient");
            *out = srv_weight_plot(w, nw, title);
        }
        free(title);
        rc = *out ? SRV_OK : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    }
    json_decref(patient);
    free(w);
    return rc;
}
