/*
** registry_export.c — the registry as CSV (one row per visit, the form
** `sarx cohort` reads) and as JSON (every patient with every visit).
**
** An export holds every stored visit, always.  A visit whose stored result
** no longer matches the patient record (its sex, birth date or population
** was changed since), or that cannot be read whole, is exported with what
** can be read and marked: record_status is ok, patient_changed,
** unverified (stored by a sarx that did not record the record it used, and
** the record was edited since) or damaged, and record_note says what.  The
** counts go to the caller (srv_export_counts) and into the JSON document.
** Nothing is cut: every cell is written whole, through sarx_csv_quote.
*/
#include "registry_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct export_rows {
    json_t *rows;    /* [{"id", "patient_id", "visit_id", "cells": {field: text}}] */
    json_t *columns; /* field -> true, for the fields any row has */
    srv_export_counts counts;
} export_rows;

static void count(srv_export_counts *c, const char *status)
{
    c->visits++;
    if (!strcmp(status, "damaged"))
        c->damaged++;
    else if (!strcmp(status, "patient_changed"))
        c->mismatched++;
    else if (!strcmp(status, "unverified"))
        c->unverified++;
}

/* A list (conditions, medications) as one cell that sarx's readers give
** back item for item: the library's list-cell writer escapes ';', '\\'
** and a leading '[' (docs/COHORT.md), with no length limit. */
/* One list item as a CSV cell writes it: the text, or a coded entry
** ({"system": "icd10", "code": "N18.4"}, which the library accepted when
** the visit was saved) as "icd10:N18.4", the form the cohort reader takes;
** NULL for anything else. */
static const char *item_text(const json_t *it, char *buf, size_t n)
{
    const char *code = json_string_value(json_object_get(it, "code"));
    size_t i;
    if (json_is_string(it))
        return json_string_value(it);
    if (!code || strlen(code) + 7 > n)
        return NULL;
    snprintf(buf, n, "icd10:%s", code);
    for (i = 6; buf[i]; i++)
        if (buf[i] >= 'a' && buf[i] <= 'z')
            buf[i] = (char)(buf[i] - 'a' + 'A');
    return buf;
}

static json_t *list_cell(const json_t *arr)
{
    size_t i, n = 0, k;
    char *out, buf[64];
    json_t *cell;
    int first = 1;
    for (i = 0; i < json_array_size(arr); i++) {
        const char *item = item_text(json_array_get(arr, i), buf, sizeof buf);
        if (item) {
            n += sarx_csv_list_append(NULL, 0, item, strlen(item), first);
            first = 0;
        }
    }
    if (!(out = malloc(n + 1)))
        return NULL;
    for (i = 0, k = 0, first = 1; i < json_array_size(arr); i++) {
        const char *item = item_text(json_array_get(arr, i), buf, sizeof buf);
        if (item) {
            k += sarx_csv_list_append(out + k, n + 1 - k, item, strlen(item), first);
            first = 0;
        }
    }
    out[k] = '\0';
    cell = json_string(out);
    free(out);
    return cell;
}

/* The text form of one value for a CSV cell, as the cohort reader takes
** it; NULL when the field has none.  *oom is set when memory ran out. */
static json_t *cell(const sarx_field_info *f, const json_t *v, double si, int *oom)
{
    char buf[64];
    json_t *c = NULL;
    if (f->kind == SARX_KIND_NUMBER || f->kind == SARX_KIND_INTEGER) {
        if (isnan(si))
            return NULL;
        snprintf(buf, sizeof buf, "%.10g", si);
        c = json_string(buf);
    } else if (json_is_boolean(v)) {
        c = json_string(json_is_true(v) ? "true" : "false");
    } else if (json_is_string(v)) {
        c = json_string(json_string_value(v));
    } else if (json_is_array(v)) {
        c = list_cell(v);
    } else {
        return NULL;
    }
    *oom |= c == NULL;
    return c;
}

static int set_cell(export_rows *x, json_t *cells, const char *col, json_t *c)
{
    return json_object_set_new(cells, col, c) || json_object_set_new(x->columns, col, json_true());
}

static int export_visit(void *ud, const srv__visit_view *v)
{
    static const char *const windows[] = {"weight_loss_pct_6m", "weight_loss_pct_12m"};
    export_rows *x = ud;
    json_t *cells = json_object(), *row, *val;
    const char *key, *date = json_string_value(json_object_get(v->visit, "date"));
    char id[64];
    size_t i;
    int oom = !cells;
    json_object_foreach((json_t *)v->merged, key, val) {
        const sarx_field_info *f = sarx_field_find(key);
        json_t *c;
        if (!f || !strcmp(key, "id") || !strcmp(key, "weight_history") || !strncmp(key, "weight_loss_pct", 15))
            continue;
        /* numbers in the canonical unit, converted by the library */
        c = cell(f, val, sarx_subject_get(v->s, f->canonical), &oom);
        if (c && set_cell(x, cells, f->canonical, c))
            oom = 1;
    }
    for (i = 0; v->a && i < 2; i++) {
        double w = sarx_assessment_derived(v->a, windows[i]);
        char buf[32];
        if (!isnan(w)) {
            snprintf(buf, sizeof buf, "%.10g", w);
            oom |= json_object_set_new(cells, windows[i], json_string(buf));
        }
    }
    /* a visit without a subject still has its stored date, when that is one */
    if (!oom && !json_object_get(cells, "assessment_date") && date && srv_date_days(date) != SRV_BAD_DATE)
        oom |= set_cell(x, cells, "assessment_date", json_string(date));
    oom |= json_object_set_new(cells, "record_status", json_string(v->status)) ||
           json_object_set_new(cells, "record_note", json_string(v->note));
    count(&x->counts, v->status);
    snprintf(id, sizeof id, "%lld-%lld", (long long)json_integer_value(json_object_get(v->patient, "id")),
             (long long)json_integer_value(json_object_get(v->visit, "id")));
    row = oom ? NULL
              : json_pack("{s:s,s:O,s:O,s:O}", "id", id, "patient_id", json_object_get(v->patient, "id"), "visit_id",
                          json_object_get(v->visit, "id"), "cells", cells);
    json_decref(cells);
    return row && !json_array_append_new(x->rows, row) ? SRV_OK : SRV_FAIL;
}

/* Write one cell (with a ',' before it unless first), quoted and
** neutralised by the library; -1 when out of memory. */
static int put_cell(FILE *f, const char *s, int first)
{
    size_t len = strlen(s), need = sarx_csv_quote(NULL, 0, s, len, ',');
    char small[256], *buf = need < sizeof small ? small : malloc(need + 1);
    size_t n;
    if (!buf)
        return -1;
    if (!first)
        fputc(',', f);
    n = sarx_csv_quote(buf, need + 1, s, len, ',');
    fwrite(buf, 1, n, f);
    if (buf != small)
        free(buf);
    return n <= need ? 0 : -1;
}

/* Every patient (pid < 0) or one, each visit through fn (a read
** transaction on one pool connection). */
static int each_patient(srv_registry *r, long long pid, unsigned flags, srv__visit_fn fn, void *ud,
                        json_t *patients, srv_export_counts *counts, const srv_export_tick *tick, sarx_error *err)
{
    json_t *ids = NULL;
    size_t i;
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    rc = srv__exec(db, "BEGIN", err);
    if (!rc)
        rc = srv__patient_ids(db, pid, &ids, err);
    for (i = 0; !rc && i < json_array_size(ids); i++) {
        json_t *p = NULL;
        rc = srv__patient_load(db, json_integer_value(json_array_get(ids, i)), &p, err);
        if (!rc && patients) {
            json_t *visits = json_array();
            if (!visits || json_object_set_new(p, "visits", visits) || json_array_append(patients, p))
                rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        }
        if (!rc)
            rc = srv__review(r, db, slot, p, flags, SARX_ASSESS_NO_GUIDANCE, fn, patients ? (void *)p : ud, err);
        if (!rc)
            counts->patients++;
        if (!rc && tick && tick->fn)
            tick->fn(tick->ud, (long long)i + 1, (long long)json_array_size(ids));
        json_decref(p);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    srv__release(r, slot);
    json_decref(ids);
    return rc;
}

int srv_export_csv(srv_registry *r, long long pid, char **out, size_t *len, srv_export_counts *counts,
                   const srv_export_tick *tick, sarx_error *err)
{
    static const char *const tail[] = {"weight_loss_pct_6m", "weight_loss_pct_12m", "record_status", "record_note"};
    export_rows x;
    FILE *f = NULL;
    const char **cols = NULL;
    size_t i, k, nc = 0;
    int rc, bad = 0;
    *out = NULL;
    *len = 0;
    memset(&x, 0, sizeof x);
    x.rows = json_array();
    x.columns = json_object();
    rc = x.rows && x.columns ? each_patient(r, pid, SRV__REVIEW_ASSESS | SRV__REVIEW_STATUS | SRV__REVIEW_FALLBACK,
                                            export_visit, &x, NULL, &x.counts, tick, err)
                             : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    if (!rc && (!(cols = malloc((sarx_field_count() + 4) * sizeof *cols)) || !(f = open_memstream(out, len))))
        rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    if (!rc) {
        /* Columns in the order of the field table (src/fields.c), then the
        ** windows and the record's status. */
        for (k = 0; k < sarx_field_count(); k++) {
            const sarx_field_info *fi = sarx_field_at(k);
            if (!strcmp(fi->name, fi->canonical) && json_object_get(x.columns, fi->name))
                cols[nc++] = fi->name;
        }
        for (k = 0; k < 4; k++)
            cols[nc++] = tail[k];
        bad |= put_cell(f, "id", 1);
        bad |= put_cell(f, "patient_id", 0);
        bad |= put_cell(f, "visit_id", 0);
        for (k = 0; k < nc; k++)
            bad |= put_cell(f, cols[k], 0);
        fputc('\n', f);
        for (i = 0; i < json_array_size(x.rows); i++) {
            json_t *row = json_array_get(x.rows, i), *cells = json_object_get(row, "cells");
            char pids[24], vids[24];
            snprintf(pids, sizeof pids, "%lld", (long long)json_integer_value(json_object_get(row, "patient_id")));
            snprintf(vids, sizeof vids, "%lld", (long long)json_integer_value(json_object_get(row, "visit_id")));
            bad |= put_cell(f, json_string_value(json_object_get(row, "id")), 1);
            bad |= put_cell(f, pids, 0);
            bad |= put_cell(f, vids, 0);
            for (k = 0; k < nc; k++) {
                const char *s = json_string_value(json_object_get(cells, cols[k]));
                bad |= put_cell(f, s ? s : "", 0);
            }
            fputc('\n', f);
        }
        if (fclose(f) || bad) {
            free(*out);
            *out = NULL;
            *len = 0;
            rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        }
    }
    if (counts)
        *counts = x.counts;
    free(cols);
    json_decref(x.rows);
    json_decref(x.columns);
    return rc;
}

/* JSON export: the visit with its record status, into the patient's list. */
static int json_visit(void *ud, const srv__visit_view *v)
{
    json_t *patient = ud, *copy = json_copy((json_t *)v->visit);
    int bad = !copy || json_object_set_new(copy, "record_status", json_string(v->status)) ||
              (v->note[0] && json_object_set_new(copy, "record_note", json_string(v->note)));
    if (bad || json_array_append_new(json_object_get(patient, "visits"), copy)) {
        if (bad)
            json_decref(copy);
        return SRV_FAIL;
    }
    return SRV_OK;
}

int srv_export_json(srv_registry *r, json_t **out, const srv_export_tick *tick, sarx_error *err)
{
    json_t *patients = json_array(), *visits;
    srv_export_counts c;
    char now[21];
    size_t i, k;
    int rc;
    *out = NULL;
    memset(&c, 0, sizeof c);
    rc = patients ? each_patient(r, -1, SRV__REVIEW_STATUS | SRV__REVIEW_FALLBACK, json_visit, NULL, patients, &c, tick, err)
                  : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    /* the counts, from what was put in the document */
    for (i = 0; !rc && i < json_array_size(patients); i++) {
        visits = json_object_get(json_array_get(patients, i), "visits");
        for (k = 0; k < json_array_size(visits); k++)
            count(&c, json_string_value(json_object_get(json_array_get(visits, k), "record_status")));
    }
    srv_now(now);
    if (!rc) {
        *out = json_pack("{s:s,s:i,s:s,s:{s:I,s:I,s:I,s:I,s:I},s:O}", "sarx_version", sarx_version(),
                         "schema_version", r->schema, "exported_at", now, "counts", "patients",
                         (json_int_t)c.patients, "visits", (json_int_t)c.visits, "mismatched",
                         (json_int_t)c.mismatched, "unverified", (json_int_t)c.unverified, "damaged",
                         (json_int_t)c.damaged, "patients", patients);
        rc = *out ? SRV_OK : srv__fail(NULL, SQLITE_NOMEM, NULL, err);
    }
    json_decref(patients);
    return rc;
}
