/*
** registry_visits.c — visits and their stored assessments.
**
** A visit is stored as sent (inputs), each measurement also in its SI unit,
** with the assessment it was answered with, compressed, stamped with the
** sarx version, every definition table's version and the patient record
** (sex, birth date, population) it was computed with.  A visit that cannot
** be read back whole is shown with what is damaged ("damage"), never with
** values made up in place of the lost ones.
*/
#include "registry_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the history ---- */

int srv__weight_push(srv_weight **w, size_t *n, size_t *cap, const char *date, double kg)
{
    if (*n && strcmp((*w)[*n - 1].date, date) == 0) {
        (*w)[*n - 1].kg = kg;
        return 1;
    }
    if (*n == *cap) {
        srv_weight *nw = realloc(*w, (*cap = *cap ? 2 * *cap : 8) * sizeof **w);
        if (!nw)
            return 0;
        *w = nw;
    }
    snprintf((*w)[*n].date, sizeof (*w)[*n].date, "%s", date);
    (*w)[(*n)++].kg = kg;
    return 1;
}

int srv__weights_between(sqlite3 *db, long long pid, const char *from, const char *before, srv_weight **out,
                         size_t *n, sarx_error *err)
{
    sqlite3_stmt *st;
    srv_weight *w = NULL;
    size_t cap = 0;
    char doing[64];
    int rc = srv__prepare(db,
                          "SELECT date, weight_kg FROM visits"
                          " WHERE patient_id = ?1 AND (?2 IS NULL OR date < ?2) AND (?3 IS NULL OR date >= ?3)"
                          " AND weight_kg IS NOT NULL"
                          " ORDER BY date, id",
                          &st, err);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, pid);
    if (before)
        sqlite3_bind_text(st, 2, before, -1, SQLITE_STATIC);
    if (from)
        sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 0);
        /* A date that is not one is damage: registry check names it; a
        ** weight is never placed at a made-up date. */
        if (!d || srv_date_days(d) == SRV_BAD_DATE)
            continue;
        if (!srv__weight_push(&w, n, &cap, d, sqlite3_column_double(st, 1))) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    snprintf(doing, sizeof doing, "reading the weights of patient %lld", pid);
    rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(rc == SQLITE_NOMEM ? NULL : db, rc, doing, err);
    sqlite3_finalize(st);
    if (rc) {
        free(w);
        *n = 0;
    } else {
        *out = w;
    }
    return rc;
}

/* ---- visits written ---- */

/* A measurement's value in SI: numbers, integers and booleans; NaN otherwise. */
static double si_value(const sarx_subject *s, const sarx_field_info *f)
{
    if (f->kind != SARX_KIND_NUMBER && f->kind != SARX_KIND_INTEGER && f->kind != SARX_KIND_BOOL)
        return NAN;
    return sarx_subject_get(s, f->canonical);
}

/* Insert the measurements of a visit and (when list is not NULL) append
** them to list as JSON. */
static int insert_measurements(sqlite3 *db, long long vid, const json_t *inputs, const sarx_subject *s,
                               json_t *list, sarx_error *err)
{
    sqlite3_stmt *st;
    const char *key;
    json_t *v;
    int rc = srv__prepare(db, "INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    json_object_foreach((json_t *)inputs, key, v) {
        const sarx_field_info *f = sarx_field_find(key);
        json_t *m;
        char *val;
        double si;
        if (!f || !strcmp(key, "assessment_date"))
            continue;
        val = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (!val) {
            rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
            break;
        }
        si = si_value(s, f);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_text(st, 2, f->canonical, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, val, -1, free);
        sqlite3_bind_text(st, 5, f->unit, -1, SQLITE_STATIC);
        if (isnan(si))
            sqlite3_bind_null(st, 6);
        else
            sqlite3_bind_double(st, 6, si);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) {
            rc = srv__fail(db, rc, NULL, err);
            break;
        }
        rc = SRV_OK;
        if (!list)
            continue;
        m = json_pack("{s:s,s:s,s:O,s:s,s:o}", "field", f->canonical, "entered_name", key, "entered_value", v,
                      "unit", f->unit, "si_value", isnan(si) ? json_null() : json_real(si));
        if (!m || json_array_append_new(list, m)) {
            rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* {"visit": V, "assessment": <raw result>, "stamp": S} as text. */
static char *visit_document(json_t *visit, const char *result, json_t *stamp)
{
    char *v = json_dumps(visit, JSON_COMPACT | JSON_REAL_PRECISION(17));
    char *s = json_dumps(stamp, JSON_COMPACT);
    char *out = NULL;
    if (v && s) {
        size_t n = strlen(v) + strlen(result) + strlen(s) + 48;
        out = malloc(n);
        if (out)
            snprintf(out, n, "{\"visit\":%s,\"assessment\":%s,\"stamp\":%s}", v, result, s);
    }
    free(v);
    free(s);
    return out;
}

json_t *srv__stamp_json(long long aid, const char *version, const char *created, const char *defs, json_t *basis)
{
    json_t *d = defs ? json_loads(defs, 0, NULL) : NULL;
    return json_pack("{s:I,s:s?,s:s?,s:o,s:o}", "assessment_id", (json_int_t)aid, "sarx_version", version,
                     "created_at", created, "definitions", d ? d : json_object(), "patient",
                     basis ? basis : json_null());
}

/* The patient and the 12 months of weights before the visit. */
static int visit_context(sqlite3 *db, long long pid, const char *date, json_t **patient, srv_weight **hist,
                         size_t *nhist, sarx_error *err)
{
    char from[11];
    int rc;
    srv_date_minus_months(date, SRV_HISTORY_MONTHS, from);
    rc = srv__patient_core(db, pid, patient, err);
    if (!rc)
        rc = srv__weights_between(db, pid, from, date, hist, nhist, err);
    return rc;
}

static int same_history(const srv_weight *a, size_t na, const srv_weight *b, size_t nb)
{
    size_t i;
    if (na != nb)
        return 0;
    for (i = 0; i < na; i++)
        if (strcmp(a[i].date, b[i].date) != 0 || a[i].kg != b[i].kg)
            return 0;
    return 1;
}

/* The subject and its assessment (result JSON) for a visit in its context. */
static int visit_assess(const srv_registry *r, const json_t *patient, const json_t *inputs, const srv_weight *hist,
                        size_t nhist, sarx_subject *s, char date[11], char **result, sarx_error *err)
{
    sarx_assessment *a = NULL;
    int rc = srv_visit_subject(patient, inputs, hist, nhist, s, date, NULL, err);
    *result = NULL;
    if (rc)
        return srv__invalid(rc);
    if (sarx_assess(r->ctx, s, &a, err) || !(*result = sarx_assessment_json(a, 0)))
        rc = SRV_FAIL;
    sarx_assessment_free(a);
    return rc;
}

/* The rows of a visit, inside the caller's write transaction: the visit,
** its measurements (appended to meas when not NULL) and its assessment
** (packed, with the patient record it used, basis). */
static int visit_store(const srv_registry *r, sqlite3 *db, long long pid, const char *date, const char *now,
                       const json_t *inputs, const sarx_subject *s, const void *packed, size_t npacked,
                       const char *basis, long long *vid, long long *aid, json_t *meas, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    char *text = json_dumps(inputs, JSON_COMPACT | JSON_REAL_PRECISION(17));
    double kg;
    int rc;
    *vid = *aid = 0;
    if (!text)
        return srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    if ((rc = srv__prepare(db,
                           "INSERT INTO visits(patient_id, date, created_at, inputs, weight_kg) VALUES (?, ?, ?, ?, ?)",
                           &st, err))) {
        free(text);
        return rc;
    }
    sqlite3_bind_int64(st, 1, pid);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    kg = sarx_subject_get(s, "weight_kg");
    if (!isnan(kg))
        sqlite3_bind_double(st, 5, kg);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(text);
    if (rc != SQLITE_DONE)
        return srv__fail(db, rc, NULL, err);
    *vid = sqlite3_last_insert_rowid(db);
    if ((rc = insert_measurements(db, *vid, inputs, s, meas, err)))
        return rc;
    if ((rc = srv__prepare(db,
                           "INSERT INTO assessments(visit_id, sarx_version, definitions, created_at, format,"
                           " dictionary_id, result, patient) VALUES (?, ?, ?, ?, 'json+zstd', ?, ?, ?)",
                           &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, *vid);
    sqlite3_bind_text(st, 2, sarx_version(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->defs_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, r->dict_id);
    sqlite3_bind_blob(st, 6, packed, (int)npacked, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, basis, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return srv__fail(db, rc, NULL, err);
    *aid = sqlite3_last_insert_rowid(db);
    return SRV_OK;
}

int srv__visit_insert(srv_registry *r, sqlite3 *db, int slot, long long pid, const json_t *inputs, long long *vid,
                      sarx_error *err)
{
    sarx_subject *s = NULL;
    srv_weight *hist = NULL;
    size_t nhist = 0, npacked = 0;
    json_t *patient = NULL;
    char date[11], now[21], *result = NULL, *basis = NULL;
    void *packed = NULL;
    long long aid;
    int rc;
    *vid = 0;
    if (sarx_subject_new(&s)) {
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return SRV_FAIL;
    }
    srv_now(now);
    srv_visit_date(inputs, date);
    rc = visit_context(db, pid, date, &patient, &hist, &nhist, err);
    if (!rc)
        rc = visit_assess(r, patient, inputs, hist, nhist, s, date, &result, err);
    if (!rc && (!(packed = srv__pack_result(r->zc[slot], result, &npacked)) || !(basis = srv__basis_text(patient))))
        rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    if (!rc)
        rc = visit_store(r, db, pid, date, now, inputs, s, packed, npacked, basis, vid, &aid, NULL, err);
    json_decref(patient);
    free(hist);
    free(basis);
    free(packed);
    sarx_free(result);
    sarx_subject_free(s);
    return rc;
}

int srv_visit_add(srv_registry *r, long long pid, const json_t *inputs, char **out, long long *vid_out,
                  sarx_error *err)
{
    sarx_subject *s = NULL;
    srv_weight *hist = NULL, *hist2 = NULL;
    size_t nhist = 0, nhist2 = 0;
    json_t *patient = NULL, *patient2 = NULL, *visit = NULL, *meas = NULL, *stamp = NULL;
    const json_t *used;
    sqlite3 *db;
    char date[11], now[21], what[64], *result = NULL, *basis = NULL;
    void *packed = NULL;
    size_t npacked = 0;
    long long vid = 0, aid = 0;
    sqlite3_int64 changes = 0;
    unsigned long long gen;
    int slot, rc, locked = 0;

    *out = NULL;
    if (sarx_subject_new(&s)) {
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return SRV_FAIL;
    }
    srv_now(now);
    srv_visit_date(inputs, date);
    db = srv__acquire(r, &slot);
    /* The assessment is computed outside the write lock, from a snapshot.
    ** Under the lock, if the patient's write counter moved (another write
    ** about this patient, or about one sharing its counter, or a write by
    ** another process), the context is read again and, if it changed, the
    ** assessment is redone.  The counter is read before the snapshot. */
    gen = srv__patient_gen(r, pid);
    rc = srv__exec(db, "BEGIN", err);
    if (!rc) {
        rc = visit_context(db, pid, date, &patient, &hist, &nhist, err);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    if (!rc)
        rc = visit_assess(r, patient, inputs, hist, nhist, s, date, &result, err);
    if (!rc && !(packed = srv__pack_result(r->zc[slot], result, &npacked)))
        rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    if (rc || (rc = srv__write_begin(r, &db, &changes, err)))
        goto out;
    locked = 1;
    used = patient;
    if (srv__patient_gen(r, pid) != gen) {
        if ((rc = visit_context(db, pid, date, &patient2, &hist2, &nhist2, err)))
            goto out;
        used = patient2;
        if (!json_equal(patient, patient2) || !same_history(hist, nhist, hist2, nhist2)) {
            sarx_free(result);
            free(packed);
            packed = NULL;
            if ((rc = visit_assess(r, patient2, inputs, hist2, nhist2, s, date, &result, err)))
                goto out;
            if (!(packed = srv__pack_result(r->zc[slot], result, &npacked))) {
                rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
                goto out;
            }
        }
    }
    if (!(basis = srv__basis_text(used)) || !(meas = json_array())) {
        rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        goto out;
    }
    rc = visit_store(r, db, pid, date, now, inputs, s, packed, npacked, basis, &vid, &aid, meas, err);
out:
    if (locked) {
        snprintf(what, sizeof what, vid ? "visit %lld of patient %lld" : "a visit of patient %lld", vid ? vid : pid,
                 pid);
        rc = srv__write_end(r, pid, changes, rc, what, err);
        if (vid && (rc == SRV_OK || rc == SRV_UNKNOWN))
            *vid_out = vid;
    }
    if (rc == SRV_OK) {
        /* The answer is made after the lock is released; a visit that is
        ** saved but cannot be answered (out of memory) says so, with its id. */
        visit = json_pack("{s:I,s:I,s:s,s:s,s:O,s:o}", "id", (json_int_t)vid, "patient_id", (json_int_t)pid, "date",
                          date, "created_at", now, "inputs", inputs, "measurements", meas);
        meas = NULL;
        stamp = srv__stamp_json(aid, sarx_version(), now, r->defs_json, json_loads(basis, 0, NULL));
        if (!visit || !stamp || !(*out = visit_document(visit, result, stamp))) {
            srv_error(err, SARX_ENOMEM, "", "", "",
                      "visit %lld of patient %lld was saved, but the answer could not be made (out of memory): "
                      "read it back before sending it again",
                      vid, pid);
            rc = SRV_UNKNOWN;
        }
    }
    srv__release(r, slot);
    json_decref(patient);
    json_decref(patient2);
    json_decref(visit);
    json_decref(meas);
    json_decref(stamp);
    free(hist);
    free(hist2);
    free(basis);
    free(packed);
    sarx_free(result);
    sarx_subject_free(s);
    return rc;
}

int srv__visit_remove(sqlite3 *db, long long pid, long long vid, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = srv__prepare(db, "DELETE FROM visits WHERE id = ? AND patient_id = ?", &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_int64(st, 2, pid);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(db, rc, NULL, err);
    }
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(db) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no visit %lld of patient %lld", vid, pid);
        rc = SRV_NOTFOUND;
    }
    return rc;
}

int srv_visit_delete(srv_registry *r, long long pid, long long vid, sarx_error *err)
{
    sqlite3_int64 changes;
    char what[64];
    sqlite3 *db;
    int rc;
    if ((rc = srv__write_begin(r, &db, &changes, err)))
        return rc;
    rc = srv__visit_remove(db, pid, vid, err);
    snprintf(what, sizeof what, "visit %lld of patient %lld", vid, pid);
    return srv__write_end(r, pid, changes, rc, what, err);
}

/* ---- visits read ---- */

/* Add "what: why" to a visit's damage list. */
static int damaged(json_t *damage, const char *what, const char *why)
{
    return json_array_append_new(damage, json_sprintf("%s: %s", what, why));
}

/* One visit row (id, date, created_at, inputs) with its measurements; a
** part that cannot be read is null and named in "damage". */
static json_t *visit_json(sqlite3 *db, sqlite3_stmt *vs, long long pid, sarx_error *err, int *rc)
{
    sqlite3_stmt *ms;
    long long vid = sqlite3_column_int64(vs, 0);
    const char *date = (const char *)sqlite3_column_text(vs, 1), *text = (const char *)sqlite3_column_text(vs, 3);
    json_t *inputs = NULL, *meas = json_array(), *damage = json_array(), *v = NULL;
    json_error_t je;
    char doing[80], why[200];
    int step, bad = 0;
    *rc = SRV_OK;
    if (!meas || !damage)
        goto nomem;
    if (!text)
        bad |= damaged(damage, "inputs", "missing");
    else if (!(inputs = json_loads(text, 0, &je))) {
        snprintf(why, sizeof why, "not valid JSON (at byte %d: %s)", je.position, je.text);
        bad |= damaged(damage, "inputs", why);
    } else if (!json_is_object(inputs)) {
        json_decref(inputs);
        inputs = NULL;
        bad |= damaged(damage, "inputs", "not a JSON object");
    }
    if (!date || srv_date_days(date) == SRV_BAD_DATE) {
        if (date)
            snprintf(why, sizeof why, "\"%.40s\" is not a date", date);
        bad |= damaged(damage, "date", date ? why : "missing");
    }
    if ((*rc = srv__prepare(db,
                            "SELECT field, entered_name, entered_value, unit, si_value FROM measurements"
                            " WHERE visit_id = ? ORDER BY rowid",
                            &ms, err)))
        goto fail;
    sqlite3_bind_int64(ms, 1, vid);
    while ((step = sqlite3_step(ms)) == SQLITE_ROW) {
        const char *field = (const char *)sqlite3_column_text(ms, 0);
        const char *ev_text = (const char *)sqlite3_column_text(ms, 2);
        json_t *ev = ev_text ? json_loads(ev_text, JSON_DECODE_ANY, NULL) : NULL, *m;
        if (!ev) {
            snprintf(why, sizeof why, "measurement %.60s", field ? field : "(no field)");
            bad |= damaged(damage, why, ev_text ? "the entered value is not valid JSON" : "no entered value");
        }
        m = json_pack("{s:o,s:o,s:o,s:o,s:o}", "field", srv__text_or_null(ms, 0), "entered_name",
                      srv__text_or_null(ms, 1), "entered_value", ev ? ev : json_null(), "unit",
                      srv__text_or_null(ms, 3), "si_value",
                      sqlite3_column_type(ms, 4) == SQLITE_NULL ? json_null()
                                                                : json_real(sqlite3_column_double(ms, 4)));
        if (!m || json_array_append_new(meas, m)) {
            step = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(ms);
    if (step != SQLITE_DONE) {
        snprintf(doing, sizeof doing, "reading the measurements of visit %lld", vid);
        *rc = srv__fail(step == SQLITE_NOMEM ? NULL : db, step, doing, err);
        goto fail;
    }
    if (bad)
        goto nomem;
    v = json_pack("{s:I,s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)vid, "patient_id", (json_int_t)pid, "date",
                  srv__text_or_null(vs, 1), "created_at", srv__text_or_null(vs, 2), "inputs",
                  inputs ? inputs : json_null(), "measurements", meas);
    inputs = meas = NULL;
    if (!v || (json_array_size(damage) && json_object_set(v, "damage", damage)))
        goto nomem;
    json_decref(damage);
    return v;
nomem:
    *rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
fail:
    json_decref(inputs);
    json_decref(meas);
    json_decref(damage);
    json_decref(v);
    return NULL;
}

int srv__visits_load(sqlite3 *db, long long pid, json_t **out, sarx_error *err)
{
    sqlite3_stmt *vs;
    json_t *list = json_array();
    char doing[64];
    int rc = srv__prepare(db, "SELECT id, date, created_at, inputs FROM visits WHERE patient_id = ? ORDER BY date, id",
                          &vs, err);
    *out = NULL;
    if (rc || !list) {
        json_decref(list);
        return rc ? rc : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    }
    sqlite3_bind_int64(vs, 1, pid);
    while ((rc = sqlite3_step(vs)) == SQLITE_ROW) {
        int vrc;
        json_t *v = visit_json(db, vs, pid, err, &vrc);
        if (!v) {
            sqlite3_finalize(vs);
            json_decref(list);
            return vrc;
        }
        if (json_array_append_new(list, v)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    snprintf(doing, sizeof doing, "reading the visits of patient %lld", pid);
    rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(rc == SQLITE_NOMEM ? NULL : db, rc, doing, err);
    sqlite3_finalize(vs);
    if (rc)
        json_decref(list);
    else
        *out = list;
    return rc;
}

int srv_visit_list(srv_registry *r, long long pid, json_t **out, sarx_error *err)
{
    json_t *p = NULL, *list = NULL;
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    *out = NULL;
    rc = srv__exec(db, "BEGIN", err);
    if (!rc && !(rc = srv__patient_load(db, pid, &p, err)) && !(rc = srv__visits_load(db, pid, &list, err)) &&
        !(*out = json_pack("{s:o}", "visits", list)))
        rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    srv__release(r, slot);
    json_decref(p);
    return rc;
}

int srv_visit_get(srv_registry *r, long long pid, long long vid, char **out, sarx_error *err)
{
    sqlite3_stmt *vs = NULL, *as = NULL;
    json_t *visit = NULL, *stamp = NULL;
    char sql[512], doing[64];
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    *out = NULL;
    snprintf(doing, sizeof doing, "reading visit %lld", vid);
    snprintf(sql, sizeof sql,
             "SELECT a.id, a.sarx_version, a.created_at, a.definitions, a.format, a.result, d.content, %s"
             " FROM assessments a LEFT JOIN dictionaries d ON d.id = a.dictionary_id"
             " JOIN visits v ON v.id = a.visit_id JOIN patients p ON p.id = v.patient_id WHERE a.visit_id = ?",
             srv__basis_sql(r));
    rc = srv__exec(db, "BEGIN", err);
    if (!rc)
        rc = srv__prepare(db, "SELECT id, date, created_at, inputs FROM visits WHERE id = ? AND patient_id = ?", &vs,
                          err);
    if (!rc)
        rc = srv__prepare(db, sql, &as, err);
    if (!rc) {
        sqlite3_bind_int64(vs, 1, vid);
        sqlite3_bind_int64(vs, 2, pid);
        rc = sqlite3_step(vs);
        if (rc == SQLITE_ROW) {
            visit = visit_json(db, vs, pid, err, &rc);
        } else if (rc == SQLITE_DONE) {
            srv_error(err, SARX_ENOTFOUND, "", "", "", "no visit %lld of patient %lld", vid, pid);
            rc = SRV_NOTFOUND;
        } else {
            rc = srv__fail(db, rc, doing, err);
        }
    }
    if (!rc) {
        sqlite3_bind_int64(as, 1, vid);
        rc = sqlite3_step(as);
        if (rc == SQLITE_ROW) {
            const char *basis = (const char *)sqlite3_column_text(as, 7);
            char why[160], *text;
            stamp = srv__stamp_json(sqlite3_column_int64(as, 0), (const char *)sqlite3_column_text(as, 1),
                                    (const char *)sqlite3_column_text(as, 2), (const char *)sqlite3_column_text(as, 3),
                                    basis ? json_loads(basis, 0, NULL) : NULL);
            text = srv__unpack_result(r->zd[slot], (const char *)sqlite3_column_text(as, 4),
                                      sqlite3_column_blob(as, 5), (size_t)sqlite3_column_bytes(as, 5),
                                      sqlite3_column_blob(as, 6), (size_t)sqlite3_column_bytes(as, 6), why, sizeof why);
            if (!text)
                srv_error(err, SARX_EIO, "", "", "",
                          "registry: the stored assessment of visit %lld cannot be read: %s (run sarx registry check)",
                          vid, why);
            else if (!stamp || !(*out = visit_document(visit, text, stamp)))
                srv__fail(NULL, SQLITE_NOMEM, NULL, err);
            rc = *out ? SRV_OK : SRV_FAIL;
            free(text);
        } else if (rc == SQLITE_DONE) {
            /* A visit with no stored assessment (damage: the two are written
            ** together) shows null, never a result made now. */
            stamp = json_null();
            *out = visit_document(visit, "null", stamp);
            rc = *out ? SRV_OK : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        } else {
            rc = srv__fail(db, rc, doing, err);
        }
    }
    sqlite3_finalize(vs);
    sqlite3_finalize(as);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    srv__release(r, slot);
    json_decref(visit);
    json_decref(stamp);
    return rc;
}
