/*
** registry_fhir.c — what GET /api/v1/patients/{id}/fhir reads of the
** registry: the patient record and every visit, each with its result
** re-assessed from the stored inputs, the record and the weights of the
** patient's visits (as the timeline and the exports read them).
*/
#include "registry_int.h"

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

int srv_fhir_patient_find(srv_registry *r, const char *external_id, long long *pid, sarx_error *err)
{
    sqlite3_stmt *st;
    int slot, rc;
    sqlite3 *db = srv__acquire(r, &slot);
    *pid = 0;
    rc = srv__prepare(db, "SELECT id FROM patients WHERE external_id = ?", &st, err);
    if (!rc) {
        sqlite3_bind_text(st, 1, external_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *pid = sqlite3_column_int64(st, 0);
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SRV_OK : srv__fail(db, rc, "finding a patient by external_id", err);
        sqlite3_finalize(st);
    }
    srv__release(r, slot);
    return rc;
}
