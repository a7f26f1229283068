/*
** registry_patients.c — patients: created, read, changed, deleted, listed.
** Each write is one transaction that also reads back what it answers, so
** an error answer never goes with a change that was kept.
*/
#include "registry_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char patient_cols[] =
    "SELECT p.id, p.external_id, p.label, p.sex, p.birth_date, p.population, p.created_at, p.updated_at,"
    " (SELECT count(*) FROM visits v WHERE v.patient_id = p.id),"
    " (SELECT max(date) FROM visits v WHERE v.patient_id = p.id) FROM patients p ";

json_t *srv__text_or_null(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? json_string((const char *)t) : json_null();
}

static json_t *patient_row(sqlite3_stmt *st)
{
    static const char *const names[] = {"external_id", "label", "sex", "birth_date", "population",
                                        "created_at", "updated_at"};
    json_t *o = json_object();
    int c, bad = 0;
    if (!o)
        return NULL;
    bad |= json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
    for (c = 1; c <= 7; c++)
        bad |= json_object_set_new(o, names[c - 1], srv__text_or_null(st, c));
    bad |= json_object_set_new(o, "visit_count", json_integer(sqlite3_column_int64(st, 8)));
    bad |= json_object_set_new(o, "last_visit_date", srv__text_or_null(st, 9));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* One patient row by id through sql (one "?" for the id), built by row;
** SRV_NOTFOUND when there is none. */
static int patient_fetch(sqlite3 *db, const char *sql, long long id, json_t *(*row)(sqlite3_stmt *),
                         json_t **out, sarx_error *err)
{
    sqlite3_stmt *st;
    char doing[64];
    int rc;
    *out = NULL;
    if ((rc = srv__prepare(db, sql, &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = row(st);
        rc = *out ? SRV_OK : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    } else if (rc == SQLITE_DONE) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", id);
        rc = SRV_NOTFOUND;
    } else {
        snprintf(doing, sizeof doing, "reading patient %lld", id);
        rc = srv__fail(db, rc, doing, err);
    }
    sqlite3_finalize(st);
    return rc;
}

int srv__patient_load(sqlite3 *db, long long id, json_t **out, sarx_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "%sWHERE p.id = ?", patient_cols);
    return patient_fetch(db, sql, id, patient_row, out, err);
}

static json_t *core_row(sqlite3_stmt *st)
{
    return json_pack("{s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "external_id",
                     srv__text_or_null(st, 1), "sex", srv__text_or_null(st, 2), "birth_date",
                     srv__text_or_null(st, 3), "population", srv__text_or_null(st, 4));
}

int srv__patient_core(sqlite3 *db, long long id, json_t **out, sarx_error *err)
{
    return patient_fetch(db, "SELECT id, external_id, sex, birth_date, population FROM patients WHERE id = ?", id,
                         core_row, out, err);
}

int srv__patient_ids(sqlite3 *db, long long pid, json_t **out, sarx_error *err)
{
    sqlite3_stmt *st;
    json_t *ids = json_array();
    int rc = srv__prepare(db, "SELECT id FROM patients WHERE ?1 < 0 OR id = ?1 ORDER BY id", &st, err);
    *out = NULL;
    if (rc || !ids) {
        json_decref(ids);
        return rc ? rc : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    }
    sqlite3_bind_int64(st, 1, pid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)))) {
            rc = SQLITE_NOMEM;
            break;
        }
    rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(rc == SQLITE_NOMEM ? NULL : db, rc, "listing the patients", err);
    sqlite3_finalize(st);
    if (!rc && pid >= 0 && json_array_size(ids) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", pid);
        rc = SRV_NOTFOUND;
    }
    if (rc)
        json_decref(ids);
    else
        *out = ids;
    return rc;
}

/* Bind a patient field: the normalised text, NULL, or (population) the default. */
static void bind_field(sqlite3_stmt *st, int i, const char *key, const json_t *v)
{
    const char *s = json_string_value(v);
    if (!s) {
        if (!strcmp(key, "population"))
            sqlite3_bind_text(st, i, "general", -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, i);
        return;
    }
    if (!strcmp(key, "sex"))
        s = (s[0] == 'm' || s[0] == 'M') ? "male" : "female";
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* End a patient write whose answer is *out: dropped unless it was saved. */
static int patient_write_end(srv_registry *r, long long id, sqlite3_int64 changes, int rc, json_t **out,
                             sarx_error *err)
{
    char what[48];
    snprintf(what, sizeof what, "patient %lld", id);
    rc = srv__write_end(r, id, changes, rc, what, err);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int srv__patient_insert(sqlite3 *db, const json_t *body, const char *now, long long *id, sarx_error *err)
{
    static const char *const keys[] = {"external_id", "label", "sex", "birth_date", "population"};
    sqlite3_stmt *st = NULL;
    int rc, i;
    *id = 0;
    rc = srv__prepare(db,
                      "INSERT INTO patients(external_id, label, sex, birth_date, population, created_at, updated_at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?6)",
                      &st, err);
    if (!rc) {
        for (i = 0; i < 5; i++)
            bind_field(st, i + 1, keys[i], json_object_get(body, keys[i]));
        sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(db, rc, NULL, err);
    }
    sqlite3_finalize(st);
    if (!rc)
        *id = sqlite3_last_insert_rowid(db);
    return rc;
}

int srv_patient_create(srv_registry *r, const json_t *body, json_t **out, sarx_error *err)
{
    sqlite3 *db;
    char now[21];
    sqlite3_int64 changes;
    long long id = 0;
    int rc;
    *out = NULL;
    if ((rc = srv_patient_check(body, err)))
        return srv__invalid(rc);
    srv_now(now);
    if ((rc = srv__write_begin(r, &db, &changes, err)))
        return rc;
    if (!(rc = srv__patient_insert(db, body, now, &id, err)))
        rc = srv__patient_load(db, id, out, err);
    return patient_write_end(r, id, changes, rc, out, err);
}

int srv_patient_get(srv_registry *r, long long id, json_t **out, sarx_error *err)
{
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    rc = srv__patient_load(db, id, out, err);
    srv__release(r, slot);
    return rc;
}

int srv__patient_patch(sqlite3 *db, long long id, const json_t *body, const char *now, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    char sql[256];
    const char *key;
    json_t *v;
    int rc, i;
    /* The keys were checked (srv_patient_check) against a fixed list of
    ** five: safe to name in SQL, and they fit. */
    snprintf(sql, sizeof sql, "UPDATE patients SET updated_at = ?");
    json_object_foreach((json_t *)body, key, v) {
        size_t len = strlen(sql);
        snprintf(sql + len, sizeof sql - len, ", %s = ?", key);
    }
    snprintf(sql + strlen(sql), sizeof sql - strlen(sql), " WHERE id = ?");
    rc = srv__prepare(db, sql, &st, err);
    if (!rc) {
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        i = 2;
        json_object_foreach((json_t *)body, key, v)
            bind_field(st, i++, key, v);
        sqlite3_bind_int64(st, i, id);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(db, rc, NULL, err);
        if (!rc && sqlite3_changes(db) == 0) {
            srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", id);
            rc = SRV_NOTFOUND;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int srv_patient_update(srv_registry *r, long long id, const json_t *body, json_t **out, sarx_error *err)
{
    sqlite3 *db;
    char now[21];
    sqlite3_int64 changes;
    int rc;
    *out = NULL;
    if ((rc = srv_patient_check(body, err)))
        return srv__invalid(rc);
    srv_now(now);
    if ((rc = srv__write_begin(r, &db, &changes, err)))
        return rc;
    if (!(rc = srv__patient_patch(db, id, body, now, err)))
        rc = srv__patient_load(db, id, out, err);
    return patient_write_end(r, id, changes, rc, out, err);
}

int srv_patient_delete(srv_registry *r, long long id, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 changes;
    json_t *none = NULL;
    sqlite3 *db;
    int rc;
    if ((rc = srv__write_begin(r, &db, &changes, err)))
        return rc;
    rc = srv__prepare(db, "DELETE FROM patients WHERE id = ?", &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(db, rc, NULL, err);
    }
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(db) == 0) {
        srv_error(err, SARX_ENOTFOUND, "", "", "", "no patient %lld", id);
        rc = SRV_NOTFOUND;
    }
    return patient_write_end(r, id, changes, rc, &none, err);
}

int srv_patient_list(srv_registry *r, const char *q, long limit, long offset, json_t **out, sarx_error *err)
{
    sqlite3_stmt *st = NULL, *ct = NULL;
    sqlite3 *db;
    char sql[640], *pat = NULL;
    const char *where = q && *q ? "WHERE p.label LIKE ?1 ESCAPE '\\' OR p.external_id LIKE ?1 ESCAPE '\\' " : "";
    json_t *list = json_array();
    int slot, rc;
    *out = NULL;
    if (!list)
        return srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    if (q && *q) { /* %q% with LIKE's own characters escaped, all of q */
        size_t k = 0;
        if (!(pat = malloc(2 * strlen(q) + 3))) {
            json_decref(list);
            return srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        }
        pat[k++] = '%';
        for (; *q; q++) {
            if (*q == '%' || *q == '_' || *q == '\\')
                pat[k++] = '\\';
            pat[k++] = *q;
        }
        pat[k++] = '%';
        pat[k] = 0;
    }
    db = srv__acquire(r, &slot);
    snprintf(sql, sizeof sql, "%s%sORDER BY p.id DESC LIMIT ?2 OFFSET ?3", patient_cols, where);
    rc = srv__prepare(db, sql, &st, err);
    if (!rc) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM patients p %s", where);
        rc = srv__prepare(db, sql, &ct, err);
    }
    if (!rc) {
        if (pat) {
            sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
            sqlite3_bind_text(ct, 1, pat, -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(st, 2, limit);
        sqlite3_bind_int64(st, 3, offset);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *p = patient_row(st);
            if (!p || json_array_append_new(list, p)) {
                rc = SQLITE_NOMEM;
                break;
            }
        }
        rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(rc == SQLITE_NOMEM ? NULL : db, rc, "listing the patients", err);
    }
    if (!rc) {
        rc = sqlite3_step(ct);
        if (rc == SQLITE_ROW) {
            *out = json_pack("{s:o,s:I}", "patients", list, "total", (json_int_t)sqlite3_column_int64(ct, 0));
            list = NULL;
            rc = *out ? SRV_OK : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        } else {
            rc = srv__fail(db, rc, "counting the patients", err);
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ct);
    srv__release(r, slot);
    json_decref(list);
    free(pat);
    return rc;
}
