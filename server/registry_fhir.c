/*
** registry_fhir.c — what the FHIR routes read and write of the registry.
** GET /api/v1/patients/{id}/fhir: the patient record and every visit, each
** with its result re-assessed from the stored inputs, the record and the
** weights of the patient's visits (as the timeline and the exports read
** them).  POST /api/v1/fhir/import: the patient and the visits of a
** Bundle, matched to the stored ones by the FHIR resources each visit's
** inputs came from (table visit_sources), in one write transaction.
*/
#include "registry_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct each_ctx {
    srv_fhir_visit_fn fn;
    void *ud;
} each_ctx;

static int each_visit(void *ud, const srv__visit_view *v)
{
    each_ctx *x = ud;
    return x->fn(x->ud, v->patient, v->visit, v->a, v->err);
}

int srv_fhir_patient_visits(srv_registry *r, long long pid, srv_fhir_visit_fn fn, void *ud, sarx_error *err)
{
    json_t *patient = NULL;
    each_ctx x;
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    x.fn = fn;
    x.ud = ud;
    rc = srv__exec(db, "BEGIN", err);
    if (!rc && !(rc = srv__patient_load(db, pid, &patient, err)))
        rc = srv__review(r, db, slot, patient, SRV__REVIEW_ASSESS | SRV__REVIEW_FALLBACK, SARX_ASSESS_NO_GUIDANCE,
                         each_visit, &x, err);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    srv__release(r, slot);
    json_decref(patient);
    return rc;
}

/* ---- POST /api/v1/fhir/import, applied ---- */

/* A visit of the patient as stored: its inputs, and the resources they came
** from (an object: resource -> true; empty for a visit not imported, or
** imported before schema 4). */
typedef struct stored_visit {
    long long id;
    char date[11];
    json_t *inputs; /* NULL when it cannot be read: never equal to an import's */
    json_t *src;
    int plan;       /* the planned visit it is matched to, -1 */
    int removed;    /* every one of its resources is now another visit's */
    int partial;    /* some of them are: those leave its sources */
} stored_visit;

/* A visit of the Bundle. */
typedef struct planned_visit {
    const char *date;
    const json_t *inputs, *sources;
    int stored;     /* the stored visit it is matched to, -1 */
    long long vid;  /* the visit it is now */
    const char *action;
} planned_visit;

typedef struct import_state {
    stored_visit *sv;
    size_t nsv;
    planned_visit *pv;
    size_t npv;
} import_state;

static void state_free(import_state *x)
{
    size_t i;
    for (i = 0; i < x->nsv; i++) {
        json_decref(x->sv[i].inputs);
        json_decref(x->sv[i].src);
    }
    free(x->sv);
    free(x->pv);
}

/* Every visit of pid, oldest first, with its sources. */
static int load_stored(sqlite3 *db, long long pid, import_state *x, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0, k = 0;
    int rc = srv__prepare(db, "SELECT id, date, inputs FROM visits WHERE patient_id = ? ORDER BY date, id", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, pid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        stored_visit *v;
        const char *d = (const char *)sqlite3_column_text(st, 1), *in = (const char *)sqlite3_column_text(st, 2);
        if (x->nsv == cap) {
            stored_visit *n = realloc(x->sv, (cap = cap ? 2 * cap : 16) * sizeof *n);
            if (!n) {
                rc = SQLITE_NOMEM;
                break;
            }
            x->sv = n;
        }
        v = &x->sv[x->nsv];
        memset(v, 0, sizeof *v);
        v->id = sqlite3_column_int64(st, 0);
        snprintf(v->date, sizeof v->date, "%s", d ? d : "");
        v->inputs = in ? json_loads(in, 0, NULL) : NULL;
        v->src = json_object();
        v->plan = -1;
        x->nsv++;
        if (!v->src) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(rc == SQLITE_NOMEM ? NULL : db, rc, "reading the visits", err);
    sqlite3_finalize(st);
    if (rc || (rc = srv__prepare(db,
                                 "SELECT s.visit_id, s.resource FROM visit_sources s JOIN visits v ON v.id = s.visit_id"
                                 " WHERE v.patient_id = ? ORDER BY v.date, v.id",
                                 &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, pid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long vid = sqlite3_column_int64(st, 0);
        const char *res = (const char *)sqlite3_column_text(st, 1);
        size_t i = k;
        /* the same order as the visits: found from where the last one was */
        while (i < x->nsv && x->sv[i].id != vid)
            i++;
        for (i = i < x->nsv ? i : 0; i < x->nsv && x->sv[i].id != vid; i++)
            ;
        if (i == x->nsv) /* a visit of another patient: never, in one transaction */
            continue;
        k = i;
        if (!res)
            continue;
        if (json_object_set_new(x->sv[k].src, res, json_true())) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    rc = rc == SQLITE_DONE ? SRV_OK : srv__fail(rc == SQLITE_NOMEM ? NULL : db, rc, "reading the visits' sources", err);
    sqlite3_finalize(st);
    return rc;
}

/* A planned visit matched to a stored one by the resources they share. */
typedef struct pair {
    int p, s;   /* planned, stored */
    size_t n;   /* resources shared */
    int same;   /* the same date */
    long long id;
} pair;

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    if (x->same != y->same)
        return y->same - x->same;
    if (x->p != y->p)
        return x->p - y->p;
    return x->id > y->id ? -1 : x->id < y->id; /* the later visit first */
}

/* Match the Bundle's visits to the stored ones: first by the resources
** they share (most shared first, then the same date), then, for a planned
** visit that shares none, the last unmatched visit of its date.  A stored
** visit left unmatched whose every resource is now another visit's is
** removed; one with only some of them stays, and a note says so. */
static int match(import_state *x, json_t *claimed, json_t *notes)
{
    pair *pairs = NULL;
    size_t np = 0, cap = 0, i, j;
    json_t *owner = json_object(); /* resource -> [stored visit index, ...] */
    int bad = !owner;
    for (i = 0; !bad && i < x->nsv; i++) {
        const char *res;
        json_t *v;
        json_object_foreach(x->sv[i].src, res, v) {
            json_t *list = json_object_get(owner, res);
            if (!list && (!(list = json_array()) || json_object_set_new(owner, res, list)))
                bad = 1;
            else
                bad |= json_array_append_new(list, json_integer((json_int_t)i));
        }
    }
    for (i = 0; !bad && i < x->npv; i++) {
        const json_t *r;
        size_t first = np;
        json_array_foreach(x->pv[i].sources, j, r) {
            const json_t *list = json_object_get(owner, json_string_value(r)), *e;
            size_t k, q;
            bad |= json_object_set_new(claimed, json_string_value(r), json_integer((json_int_t)i));
            json_array_foreach(list, k, e) {
                int s = (int)json_integer_value(e);
                for (q = first; q < np && pairs[q].s != s; q++)
                    ;
                if (q < np) {
                    pairs[q].n++;
                    continue;
                }
                if (np == cap) {
                    pair *n = realloc(pairs, (cap = cap ? 2 * cap : 16) * sizeof *n);
                    if (!n) {
                        bad = 1;
                        break;
                    }
                    pairs = n;
                }
                pairs[np].p = (int)i;
                pairs[np].s = s;
                pairs[np].n = 1;
                pairs[np].same = !strcmp(x->sv[s].date, x->pv[i].date);
                pairs[np].id = x->sv[s].id;
                np++;
            }
        }
    }
    if (np)
        qsort(pairs, np, sizeof *pairs, pair_cmp);
    for (i = 0; !bad && i < np; i++)
        if (x->pv[pairs[i].p].stored < 0 && x->sv[pairs[i].s].plan < 0) {
            x->pv[pairs[i].p].stored = pairs[i].s;
            x->sv[pairs[i].s].plan = pairs[i].p;
        }
    for (i = 0; !bad && i < x->npv; i++) {
        size_t k = x->nsv;
        if (x->pv[i].stored >= 0)
            continue;
        while (k-- > 0)
            if (x->sv[k].plan < 0 && !strcmp(x->sv[k].date, x->pv[i].date)) {
                x->pv[i].stored = (int)k;
                x->sv[k].plan = (int)i;
                break;
            }
    }
    for (i = 0; !bad && i < x->nsv; i++) {
        stored_visit *v = &x->sv[i];
        const char *res;
        json_t *t;
        size_t n = 0;
        if (v->plan >= 0 || !json_object_size(v->src))
            continue;
        json_object_foreach(v->src, res, t) n += json_object_get(claimed, res) != NULL;
        if (n == json_object_size(v->src))
            v->removed = 1;
        else if (n && (v->partial = 1))
            bad |= json_array_append_new(notes, json_sprintf("visit %lld (%s) is kept as it is: %zu of its %zu "
                                                             "resources are now other visits', the others are not "
                                                             "used by this Bundle",
                                                             v->id, v->date, n, json_object_size(v->src)));
    }
    free(pairs);
    json_decref(owner);
    return bad;
}

/* Does a stored visit have exactly these sources? */
static int same_sources(const json_t *src, const json_t *sources)
{
    const json_t *r;
    size_t i, n = 0;
    json_array_foreach(sources, i, r) {
        if (!json_object_get(src, json_string_value(r)))
            return 0;
        n++;
    }
    return n == json_object_size(src);
}

/* Visit vid's sources: these, and no others. */
static int set_sources(sqlite3 *db, long long vid, const json_t *sources, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    const json_t *r;
    size_t i;
    int rc = srv__prepare(db, "DELETE FROM visit_sources WHERE visit_id = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return srv__fail(db, rc, "writing a visit's sources", err);
    if ((rc = srv__prepare(db, "INSERT OR IGNORE INTO visit_sources(visit_id, resource) VALUES (?, ?)", &st, err)))
        return rc;
    json_array_foreach(sources, i, r) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_text(st, 2, json_string_value(r), -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
            rc = srv__fail(db, rc, "writing a visit's sources", err);
            break;
        }
        rc = SRV_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The resources of visit vid that are now other visits' leave its sources. */
static int drop_claimed(sqlite3 *db, const stored_visit *v, const json_t *claimed, sarx_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *res;
    json_t *t;
    int rc = srv__prepare(db, "DELETE FROM visit_sources WHERE visit_id = ? AND resource = ?", &st, err);
    if (rc)
        return rc;
    json_object_foreach(v->src, res, t) {
        if (!json_object_get(claimed, res))
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, v->id);
        sqlite3_bind_text(st, 2, res, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
            rc = srv__fail(db, rc, "writing a visit's sources", err);
            break;
        }
        rc = SRV_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The patient of external_id (created, or its fields updated when body
** gives others); *action says which. */
static int import_patient(sqlite3 *db, const json_t *body, const char *now, long long *pid, const char **action,
                          sarx_error *err)
{
    static const char *const keys[] = {"sex", "birth_date", "population"};
    const char *ext = json_string_value(json_object_get(body, "external_id"));
    sqlite3_stmt *st = NULL;
    json_t *change = NULL;
    size_t i;
    int rc = srv__prepare(db, "SELECT id, sex, birth_date, population FROM patients WHERE external_id = ?", &st, err);
    *pid = 0;
    *action = "unchanged";
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, ext ? ext : "", -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *pid = sqlite3_column_int64(st, 0);
        for (i = 0; i < 3; i++) {
            const char *want = json_string_value(json_object_get(body, keys[i]));
            const char *have = (const char *)sqlite3_column_text(st, (int)i + 1);
            if (!want || (have && !strcmp(have, want)))
                continue;
            if ((!change && !(change = json_object())) || json_object_set_new(change, keys[i], json_string(want))) {
                rc = SQLITE_NOMEM;
                break;
            }
        }
    }
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        rc = SRV_OK;
    else
        rc = srv__fail(rc == SQLITE_NOMEM ? NULL : db, rc, "finding the patient", err);
    sqlite3_finalize(st);
    if (!rc && !*pid) {
        if (!(rc = srv__patient_insert(db, body, now, pid, err)))
            *action = "created";
    } else if (!rc && change) {
        if (!(rc = srv__patient_patch(db, *pid, change, now, err)))
            *action = "updated";
    }
    json_decref(change);
    return rc;
}

/* err's message, said of the visit of date, and that nothing was kept. */
static void of_visit(sarx_error *err, const char *date)
{
    char m[sizeof err->message];
    snprintf(m, sizeof m, "%s", err->message);
    snprintf(err->message, sizeof err->message, "the visit of %.10s: %.*s (nothing was imported)", date,
             (int)sizeof err->message - 64, m);
}

/* Write what was matched: the visits whose inputs are the same are kept
** (their sources brought up to date), the others and the removed ones
** deleted, then the new ones added oldest first (each one's history is
** the visits before it, as they are now). */
static int import_write(srv_registry *r, sqlite3 *db, int slot, long long pid, import_state *x, const json_t *claimed,
                        sarx_error *err)
{
    size_t i;
    int rc = SRV_OK;
    for (i = 0; !rc && i < x->npv; i++) {
        planned_visit *p = &x->pv[i];
        stored_visit *s = p->stored >= 0 ? &x->sv[p->stored] : NULL;
        if (s && s->inputs && json_equal((json_t *)p->inputs, s->inputs)) {
            p->action = "unchanged";
            p->vid = s->id;
            if (!same_sources(s->src, p->sources))
                rc = set_sources(db, s->id, p->sources, err);
        } else if (s) {
            p->action = "updated";
            rc = srv__visit_remove(db, pid, s->id, err);
        } else {
            p->action = "created";
        }
    }
    for (i = 0; !rc && i < x->nsv; i++)
        if (x->sv[i].removed)
            rc = srv__visit_remove(db, pid, x->sv[i].id, err);
        else if (x->sv[i].partial)
            rc = drop_claimed(db, &x->sv[i], claimed, err);
    for (i = 0; !rc && i < x->npv; i++) {
        planned_visit *p = &x->pv[i];
        if (!strcmp(p->action, "unchanged"))
            continue;
        if ((rc = srv__visit_insert(r, db, slot, pid, p->inputs, &p->vid, err)) ||
            (rc = set_sources(db, p->vid, p->sources, err)))
            of_visit(err, p->date);
    }
    return rc;
}

/* The answer: the patient, each visit of the Bundle, the visits removed. */
static json_t *import_answer(long long pid, const char *ext, const char *action, const import_state *x, json_t *notes)
{
    json_t *visits = json_array(), *removed = json_array();
    size_t i;
    int bad = !visits || !removed;
    for (i = 0; !bad && i < x->npv; i++) {
        const planned_visit *p = &x->pv[i];
        const stored_visit *s = p->stored >= 0 ? &x->sv[p->stored] : NULL;
        json_t *v = json_pack("{s:s,s:I,s:s}", "date", p->date, "visit_id", (json_int_t)p->vid, "action", p->action);
        if (v && s && strcmp(p->action, "unchanged")) {
            bad |= json_object_set_new(v, "replaced", json_integer((json_int_t)s->id));
            if (strcmp(s->date, p->date))
                bad |= json_object_set_new(v, "previous_date", json_string(s->date));
        }
        bad |= !v || json_array_append_new(visits, v);
    }
    for (i = 0; !bad && i < x->nsv; i++)
        if (x->sv[i].removed)
            bad |= json_array_append_new(removed, json_pack("{s:I,s:s}", "visit_id", (json_int_t)x->sv[i].id, "date",
                                                            x->sv[i].date));
    if (bad) {
        json_decref(visits);
        json_decref(removed);
        return NULL;
    }
    return json_pack("{s:{s:I,s:s,s:s},s:o,s:o,s:O}", "patient", "id", (json_int_t)pid, "external_id", ext, "action",
                     action, "visits", visits, "removed", removed, "notes", notes);
}

int srv_fhir_import_apply(srv_registry *r, const json_t *patient, const json_t *visits, json_t **out,
                          sarx_error *err)
{
    import_state x;
    json_t *claimed = json_object(), *notes = json_array(), *answer = NULL, *v;
    const char *ext = json_string_value(json_object_get(patient, "external_id")), *action = "unchanged";
    sqlite3 *db;
    sqlite3_int64 changes = 0;
    long long pid = 0;
    char now[21], what[120];
    size_t i;
    int slot, rc;
    *out = NULL;
    memset(&x, 0, sizeof x);
    if (!ext) {
        srv_error(err, SARX_EFIELD, "external_id", "", "1-64 characters", "an import needs the patient's external_id");
        rc = SRV_INVALID;
        goto done;
    }
    if ((rc = srv_patient_check(patient, err))) {
        rc = srv__invalid(rc);
        goto done;
    }
    if (!claimed || !notes || (json_array_size(visits) && !(x.pv = calloc(json_array_size(visits), sizeof *x.pv)))) {
        rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        goto done;
    }
    json_array_foreach(visits, i, v) {
        planned_visit *p = &x.pv[x.npv++];
        p->date = json_string_value(json_object_get(v, "date"));
        p->inputs = json_object_get(v, "inputs");
        p->sources = json_object_get(v, "sources");
        p->stored = -1;
        if (!p->date || !json_is_object(p->inputs)) {
            srv_error(err, SARX_ETYPE, "visits", "", "{date, inputs, sources}",
                      "a planned visit without date or inputs");
            rc = SRV_INVALID;
            goto done;
        }
    }
    srv_now(now);
    srv__acquire(r, &slot); /* its compression context */
    if (!(rc = srv__write_begin(r, &db, &changes, err))) {
        if (!(rc = import_patient(db, patient, now, &pid, &action, err)) && !(rc = load_stored(db, pid, &x, err))) {
            if (match(&x, claimed, notes))
                rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
            else if (!(rc = import_write(r, db, slot, pid, &x, claimed, err)) &&
                     !(answer = import_answer(pid, ext, action, &x, notes)))
                rc = srv__fail(NULL, SQLITE_NOMEM, NULL, err);
        }
        snprintf(what, sizeof what, "patient %lld (external_id %.64s) and its visits", pid, ext);
        rc = srv__write_end(r, pid, changes, rc, what, err);
    }
    srv__release(r, slot);
    if (!rc) {
        *out = answer;
        answer = NULL;
    }
done:
    json_decref(answer);
    json_decref(claimed);
    json_decref(notes);
    state_free(&x);
    return rc;
}
