/*
** vectors.c — run the plain-text test vectors (tests/vectors/NAME.txt).
**
**   vectors FILE...              through the C API
**   vectors --cli SARX FILE...   through `SARX assess --format json` (one
**                                JSON Lines batch per file)
**   vectors --cohort SARX FILE...  written as CSV and run through `SARX
**                                cohort` (cases with a weight history, or
**                                whose error is JSON-only, are skipped: CSV
**                                has no form for them)
**   vectors --http SARX FILE...  each case through POST /api/v1/assess of
**                                `SARX serve` started on loopback
**   vectors --sqlite EXT FILE...   each case through the SQL functions of
**                                the SQLite extension EXT (vectors_sqlite.c)
**   vectors --postgres CONNINFO FILE...  each case through the SQL
**                                functions of the PostgreSQL extension, in
**                                the database CONNINFO names (vectors_pg.c)
**
** A file is a list of cases separated by blank lines:
**
**   case: EWGSOP2 woman, grip exactly 16 kg is not low
**   cite: Cruz-Jentoft 2019 Table 3: grip < 16 kg (women)
**   in: {"sex": "female", "grip_kg": 16}
**   expect: ewgsop2 no_sarcopenia complete
**   expect: ewgsop2 probable_sarcopenia incomplete missing=asm_kg,height_cm
**   derived: bmi 24.2215
**   derived: bmi 20.2..21.5
**   criterion: glim2019 low_bmi unknown
**   criterion: glim2019 low_bmi not_met provisional
**   note: glim2019 GLIM-BMI-Y not applicable in pregnancy
**   warning: oedema or ascites
**   warning: !asm_method not given
**   error: range grip_kg
**   guide: cause disuse
**   guide: red_flag young_wasting possible
**   guide: !red_flag dyspnea
**   plan: protein_g_day_low 84
**   guide_msg: one_rm build muscle at 67.5-95.625 kg
**
** "expect" checks one definition's category, and optionally completeness and
** the exact set of missing inputs.  "derived" checks a derived value (within
** 1e-4), or with LO..HI an interval (an amputation of uncertain extent).
** "criterion" checks a criterion's status (met, not_met, unknown) and, with
** "provisional" or "firm", its provisional flag.  "note" says the note on
** that row of the evidence contains the text ("-": it has none).
** "warning" says a warning contains the text (with "!": none does).  These
** three are checked through the C API, `sarx assess` and HTTP (a cohort's
** CSV has none of them).  "error" says the input must be rejected with that error kind
** (syntax, field, type, range, conflict, empty, value) naming that field.
** "guide" says a guidance item of that kind (cause, red_flag, test, advice,
** caution) and id is listed (met; or "possible"), or with "!" that it is
** not.  "guide_msg" says the message of the item with that id contains the
** rest of the line.  "plan" checks a plan number (within 1e-4; "null" = not computable).
** Guidance exists in the API and `sarx assess`, not in `sarx cohort`.
** Every case needs "case", "cite" and "in", and at least one check.
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "httpc.h"
#include "internal.h" /* a criterion's provisional flag and a row's note, as the renderers read them */
#include "sarx.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "vecload.h"
#include "vectors.h"

void vec_pass(void) { h_pass++; }

void vec_fail(const vcase *c, const char *fmt, ...)
{
    va_list ap;
    h_fail++;
    fprintf(stderr, "FAIL %s:%d [%s]: ", c->file, c->line, c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Same set of comma-separated names, any order. */
static int same_set(const char *want, const char *const *got, size_t n)
{
    char buf[512];
    size_t count = 0, i;
    char *tok, *save = NULL;
    snprintf(buf, sizeof buf, "%s", want);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int found = 0;
        for (i = 0; i < n; i++)
            if (strcmp(got[i], tok) == 0)
                found = 1;
        if (!found)
            return 0;
        count++;
    }
    return count == n;
}

static void join(char *out, size_t n, const char *const *items, size_t k)
{
    size_t i, used = 0;
    out[0] = '\0';
    for (i = 0; i < k && used < n; i++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "", items[i]);
}

/* Check one definition's outcome, however it was obtained. */
void vec_check_result(const vcase *c, const expect *x, const char *cat, int complete, const char *const *missing,
                      size_t nmissing)
{
    char got[512];
    if (!cat) {
        vec_fail(c, "no result for definition %s%s", x->def, "");
        return;
    }
    if (strcmp(cat, x->cat) != 0) {
        char what[160];
        snprintf(what, sizeof what, "%s: category %s", x->def, cat);
        vec_fail(c, "%s, expected %s", what, x->cat);
    } else {
        h_pass++;
    }
    if (x->complete >= 0) {
        if (complete != x->complete)
            vec_fail(c, "%s: complete is %s", x->def, complete ? "true" : "false");
        else
            h_pass++;
    }
    if (x->check_missing) {
        join(got, sizeof got, missing, nmissing);
        if (!same_set(x->missing, missing, nmissing)) {
            char what[600];
            snprintf(what, sizeof what, "%s: missing [%s]", x->def, got);
            vec_fail(c, "%s, expected [%s]", what, x->missing);
        } else {
            h_pass++;
        }
    }
}

static void run_api(const sarx_ctx *ctx, const vcase *c)
{
    sarx_subject *s;
    sarx_assessment *a = NULL;
    sarx_error err;
    int rc, i;
    sarx_subject_new(&s);
    rc = sarx_subject_from_json(s, c->in, strlen(c->in), &err);
    if (c->err_kind[0]) {
        if (rc != vec_kind_code(c->err_kind))
            vec_fail(c, "expected a %s error, got: %s", c->err_kind, rc ? err.message : "no error");
        else if (strncmp(err.field, c->err_field, strlen(c->err_field)) != 0 || !strstr(err.message, c->err_field))
            vec_fail(c, "error does not name field %s: %s", c->err_field, err.message);
        else
            h_pass++;
        sarx_subject_free(s);
        return;
    }
    if (rc != SARX_OK) {
        vec_fail(c, "input rejected: %s%s", err.message, "");
        sarx_subject_free(s);
        return;
    }
    if (sarx_assess(ctx, s, &a, &err) != SARX_OK) {
        vec_fail(c, "assess failed: %s%s", err.message, "");
        sarx_subject_free(s);
        return;
    }
    {   /* The fast path agrees with the full assessment on every definition. */
        sarx_class cls[64];
        size_t k, n = sarx_definition_count(ctx);
        int same = sarx_classify(ctx, s, cls, &err) == SARX_OK;
        for (k = 0; same && k < n; k++) {
            const sarx_result *r = sarx_assessment_result(a, k);
            const char *cat = cls[k].category == SARX_INDETERMINATE
                                  ? "indeterminate"
                                  : sarx_definition_category(sarx_definition_at(ctx, k), cls[k].category);
            if (strcmp(cat, sarx_result_category(r)) != 0 || cls[k].complete != sarx_result_complete(r)) {
                vec_fail(c, "sarx_classify disagrees with sarx_assess on %s", sarx_definition_id(sarx_definition_at(ctx, k)));
                same = -1;
            }
        }
        if (same == 1)
            h_pass++;
    }
    for (i = 0; i < c->nx; i++) {
        const sarx_result *r = sarx_assessment_find(a, c->x[i].def);
        const char *miss[64];
        size_t k, n = r ? sarx_result_missing_count(r) : 0;
        for (k = 0; k < n && k < 64; k++)
            miss[k] = sarx_result_missing(r, k);
        vec_check_result(c, &c->x[i], r ? sarx_result_category(r) : NULL, r ? sarx_result_complete(r) : 0, miss,
                     n);
    }
    for (i = 0; i < c->nd; i++) {
        double lo = NAN, hi = NAN;
        sarx_assessment_derived_range(a, c->dname[i], &lo, &hi);
        if (isnan(c->dval[i]) ? !isnan(lo) : !(fabs(lo - c->dval[i]) <= 1e-4 && fabs(hi - c->dhi[i]) <= 1e-4)) {
            char what[160], want[80];
            snprintf(what, sizeof what, "derived %s = %.10g..%.10g", c->dname[i], lo, hi);
            snprintf(want, sizeof want, "%.10g..%.10g", c->dval[i], c->dhi[i]);
            vec_fail(c, "%s, expected %s", what, want);
        } else {
            h_pass++;
        }
    }
    for (i = 0; i < c->nk; i++) {
        const sarx_result *r = sarx_assessment_find(a, c->k[i].def);
        const sarx_definition *d = sarx_result_definition(r);
        size_t k, n = sarx_result_criterion_count(r);
        for (k = 0; k < n && strcmp(sarx_definition_criterion(d, k), c->k[i].crit) != 0; k++)
            ;
        if (k == n)
            vec_fail(c, "no criterion %s in %s", c->k[i].crit, c->k[i].def);
        else if (sarx_result_criterion_status(r, k) != c->k[i].status)
            vec_fail(c, "%s %s: status %d, expected %d", c->k[i].def, c->k[i].crit, sarx_result_criterion_status(r, k),
                 c->k[i].status);
        else if (c->k[i].provisional >= 0 &&
                 (int)((sarx__result_eval(r)->provisional >> k) & 1u) != c->k[i].provisional)
            vec_fail(c, "%s %s: provisional is %s", c->k[i].def, c->k[i].crit, c->k[i].provisional ? "no" : "yes");
        else
            h_pass++;
    }
    for (i = 0; i < c->nnote; i++) {
        const sarx_result *r = sarx_assessment_find(a, c->note[i].def);
        const sarx_definition *d = sarx_result_definition(r);
        size_t k, n = sarx_definition_row_count(d);
        const char *note = NULL;
        for (k = 0; k < n && strcmp(d->d->rows[k].id, c->note[i].row) != 0; k++)
            ;
        if (k < n)
            note = sarx__row_note(d->d, &d->d->rows[k], sarx__assessment_vals(a), sarx_result_row_status(r, k, NULL));
        if (k == n)
            vec_fail(c, "no row %s in %s", c->note[i].row, c->note[i].def);
        else if (strcmp(c->note[i].text, "-") == 0 ? note != NULL : !note || !strstr(note, c->note[i].text))
            vec_fail(c, "row %s: note \"%s\"", c->note[i].row, note ? note : "(none)");
        else
            h_pass++;
    }
    for (i = 0; i < c->nw; i++) {
        size_t k;
        int found = 0;
        for (k = 0; k < sarx_assessment_warning_count(a); k++)
            found |= strstr(sarx_assessment_warning(a, k), c->w[i].text) != NULL;
        if (found == c->w[i].neg)
            vec_fail(c, "a warning with \"%s\" is %s", c->w[i].text, found ? "given" : "not given");
        else
            h_pass++;
    }
    for (i = 0; i < c->ng; i++) {
        size_t k;
        int found = 0, possible = 0;
        for (k = 0; k < sarx_assessment_guide_count(a); k++) {
            sarx_guide_item it;
            sarx_assessment_guide(a, k, &it);
            if (it.kind == vec_guide_kind(c->g[i].kind) && strcmp(it.id, c->g[i].id) == 0)
                found = 1, possible = it.possible;
        }
        if (c->g[i].neg ? found : !found || possible != c->g[i].possible)
            vec_fail(c, "guidance %s %s: %s", c->g[i].kind, c->g[i].id,
                 !found ? "not listed" : possible ? "listed as possible" : "listed");
        else
            h_pass++;
    }
    for (i = 0; i < c->nm; i++) {
        size_t k;
        const char *msg = NULL;
        for (k = 0; k < sarx_assessment_guide_count(a); k++) {
            sarx_guide_item it;
            sarx_assessment_guide(a, k, &it);
            if (strcmp(it.id, c->m[i].id) == 0)
                msg = it.message;
        }
        if (!msg || !strstr(msg, c->m[i].text))
            vec_fail(c, "guidance %s message: %s", c->m[i].id, msg ? msg : "(not listed)");
        else
            h_pass++;
    }
    for (i = 0; i < c->np; i++) {
        double v = sarx_assessment_plan(a, c->pname[i]);
        if (isnan(c->pval[i]) ? !isnan(v) : !(fabs(v - c->pval[i]) <= 1e-4))
            vec_fail(c, "plan %s = %.10g, expected %.10g", c->pname[i], v, c->pval[i]);
        else
            h_pass++;
    }
    sarx_assessment_free(a);
    sarx_subject_free(s);
}

/* Where `sarx assess --format json` puts each plan number: guidance.plan.OBJ.KEY[INDEX]. */
static const struct plan_path {
    const char *name, *obj, *key;
    int index; /* -1: a number, else an element of a pair */
} plan_paths[] = {
    {"protein_g_kg_low", "protein_g_day", "basis_g_kg", 0},
    {"protein_g_kg_high", "protein_g_day", "basis_g_kg", 1},
    {"protein_g_day_low", "protein_g_day", "low", -1},
    {"protein_g_day_high", "protein_g_day", "high", -1},
    {"energy_kcal_kg_low", "energy_kcal_day", "basis_kcal_kg", 0},
    {"energy_kcal_kg_high", "energy_kcal_day", "basis_kcal_kg", 1},
    {"energy_kcal_kg_guide", "energy_kcal_day", "guide_kcal_kg", -1},
    {"energy_kcal_day_low", "energy_kcal_day", "low", -1},
    {"energy_kcal_day_high", "energy_kcal_day", "high", -1},
    {"energy_kcal_day_guide", "energy_kcal_day", "guide", -1},
    {"one_rm_epley_kg", "exercise", "one_rm_epley_kg", -1},
    {"one_rm_brzycki_kg", "exercise", "one_rm_brzycki_kg", -1},
    {"one_rm_kg", "exercise", "one_rm_kg", -1},
    {"load_start_low_kg", "exercise", "load_kg_start", 0},
    {"load_start_high_kg", "exercise", "load_kg_start", 1},
    {"load_mass_low_kg", "exercise", "load_kg_mass", 0},
    {"load_mass_high_kg", "exercise", "load_kg_mass", 1},
    {"training_sessions_week_low", "exercise", "sessions_per_week", 0},
    {"training_sessions_week_high", "exercise", "sessions_per_week", 1},
    {"training_sets_low", "exercise", "sets", 0},
    {"training_sets_high", "exercise", "sets", 1},
    {"training_reps_low", "exercise", "repetitions", 0},
    {"training_reps_high", "exercise", "repetitions", 1},
    {"intensity_start_low_pct", "exercise", "intensity_pct_1rm_start", 0},
    {"intensity_start_high_pct", "exercise", "intensity_pct_1rm_start", 1},
    {"intensity_mass_low_pct", "exercise", "intensity_pct_1rm_mass", 0},
    {"intensity_mass_high_pct", "exercise", "intensity_pct_1rm_mass", 1},
};

/* The guidance checks of a case against the JSON of `sarx assess`. */
static void check_cli_guidance(const vcase *c, json_t *root)
{
    json_t *g = json_object_get(root, "guidance"), *plan = json_object_get(g, "plan");
    int i;
    for (i = 0; i < c->ng; i++) {
        static const char *const arr[] = {"causes", "red_flags", "tests", "advice", "cautions"};
        int kd = vec_guide_kind(c->g[i].kind), found = 0, possible = 0;
        json_t *list = json_object_get(kd >= 3 ? plan : g, arr[kd]), *it;
        size_t k;
        json_array_foreach(list, k, it) {
            const char *id = json_string_value(json_object_get(it, "id"));
            const char *st = json_string_value(json_object_get(it, "status"));
            if (id && strcmp(id, c->g[i].id) == 0)
                found = 1, possible = st && strcmp(st, "possible") == 0;
        }
        if (c->g[i].neg ? found : !found || possible != c->g[i].possible)
            vec_fail(c, "CLI: guidance %s %s: %s", c->g[i].kind, c->g[i].id, found ? "listed" : "not listed");
        else
            h_pass++;
    }
    for (i = 0; i < c->nm; i++) {
        static const char *const arr[] = {"causes", "red_flags", "tests"};
        const char *msg = NULL;
        json_t *it;
        size_t k, a;
        for (a = 0; a < 5; a++) {
            json_t *list = a < 3 ? json_object_get(g, arr[a])
                                 : json_object_get(plan, a == 3 ? "advice" : "cautions");
            json_array_foreach(list, k, it) {
                const char *id = json_string_value(json_object_get(it, "id"));
                if (id && strcmp(id, c->m[i].id) == 0)
                    msg = json_string_value(json_object_get(it, a == 2 ? "test" : "message"));
            }
        }
        if (!msg || !strstr(msg, c->m[i].text))
            vec_fail(c, "CLI: guidance %s message: %s", c->m[i].id, msg ? msg : "(not listed)");
        else
            h_pass++;
    }
    for (i = 0; i < c->np; i++) {
        size_t k;
        json_t *v = NULL;
        for (k = 0; k < sizeof plan_paths / sizeof plan_paths[0]; k++)
            if (strcmp(plan_paths[k].name, c->pname[i]) == 0) {
                v = json_object_get(json_object_get(plan, plan_paths[k].obj), plan_paths[k].key);
                if (plan_paths[k].index >= 0)
                    v = json_array_get(v, (size_t)plan_paths[k].index);
                break;
            }
        if (k == sizeof plan_paths / sizeof plan_paths[0])
            vec_fail(c, "CLI: plan %s has no place in the JSON%s", c->pname[i], "");
        else if (isnan(c->pval[i]) ? !json_is_null(v)
                                   : !(json_is_number(v) && fabs(json_number_value(v) - c->pval[i]) <= 1e-4))
            vec_fail(c, "CLI: plan %s differs%s", c->pname[i], "");
        else
            h_pass++;
    }
}

/* Check one output line of `sarx assess --format json` against its case. */
void vec_check_line(const vcase *c, const char *line)
{
    json_error_t je;
    json_t *root = json_loads(line, 0, &je);
    int i;
    if (!root) {
        vec_fail(c, "CLI printed invalid JSON: %s%s", je.text, "");
        return;
    }
    if (c->err_kind[0]) {
        json_t *e = json_object_get(root, "error");
        const char *field = json_string_value(json_object_get(e, "field"));
        if (!e || !field || strncmp(field, c->err_field, strlen(c->err_field)) != 0)
            vec_fail(c, "CLI: expected an error naming %s, got %s", c->err_field, line);
        else
            h_pass++;
        json_decref(root);
        return;
    }
    for (i = 0; i < c->nx; i++) {
        json_t *res = json_object_get(root, "results"), *r = NULL, *it;
        size_t k;
        const char *miss[64];
        size_t n = 0;
        json_array_foreach(res, k, it) {
            if (strcmp(json_string_value(json_object_get(it, "definition")), c->x[i].def) == 0)
                r = it;
        }
        if (r) {
            json_array_foreach(json_object_get(r, "missing"), k, it) {
                if (n < 64)
                    miss[n++] = json_string_value(it);
            }
        }
        vec_check_result(c, &c->x[i], r ? json_string_value(json_object_get(r, "category")) : NULL,
                     r ? json_is_true(json_object_get(r, "complete")) : 0, miss, n);
    }
    for (i = 0; i < c->nd; i++) {
        json_t *v = json_object_get(json_object_get(json_object_get(root, "subject"), "derived"), c->dname[i]);
        int ok;
        if (isnan(c->dval[i]))
            ok = v == NULL || json_is_null(v);
        else if (c->dhi[i] != c->dval[i]) /* an interval: {"min": lo, "max": hi} */
            ok = json_is_number(json_object_get(v, "min")) && json_is_number(json_object_get(v, "max")) &&
                 fabs(json_number_value(json_object_get(v, "min")) - c->dval[i]) <= 1e-4 &&
                 fabs(json_number_value(json_object_get(v, "max")) - c->dhi[i]) <= 1e-4;
        else
            ok = json_is_number(v) && fabs(json_number_value(v) - c->dval[i]) <= 1e-4;
        if (!ok)
            vec_fail(c, "CLI: derived %s differs%s", c->dname[i], "");
        else
            h_pass++;
    }
    for (i = 0; i < c->nk + c->nnote; i++) { /* criteria[].status, provisional; evidence[].note */
        static const char *const tri[3] = {"not_met", "met", "unknown"};
        const char *def = i < c->nk ? c->k[i].def : c->note[i - c->nk].def;
        json_t *r = NULL, *it, *crit = NULL, *row = NULL;
        size_t k, j;
        json_array_foreach(json_object_get(root, "results"), k, it) {
            if (strcmp(json_string_value(json_object_get(it, "definition")), def) == 0)
                r = it;
        }
        json_array_foreach(json_object_get(r, "criteria"), k, it) {
            json_t *ev;
            if (i < c->nk && strcmp(json_string_value(json_object_get(it, "id")), c->k[i].crit) == 0)
                crit = it;
            json_array_foreach(json_object_get(it, "evidence"), j, ev) {
                if (i >= c->nk && strcmp(json_string_value(json_object_get(ev, "row")), c->note[i - c->nk].row) == 0)
                    row = ev;
            }
        }
        if (i < c->nk) {
            const char *st = json_string_value(json_object_get(crit, "status"));
            int prov = json_is_true(json_object_get(crit, "provisional"));
            if (!st || strcmp(st, tri[c->k[i].status]) != 0 || (c->k[i].provisional >= 0 && prov != c->k[i].provisional))
                vec_fail(c, "CLI: criterion %s %s is %s%s", def, c->k[i].crit, st ? st : "(absent)", prov ? ", provisional" : "");
            else
                h_pass++;
        } else {
            const char *want = c->note[i - c->nk].text, *note = json_string_value(json_object_get(row, "note"));
            if (!row || (strcmp(want, "-") == 0 ? note != NULL : !note || !strstr(note, want)))
                vec_fail(c, "CLI: row %s: note %s", c->note[i - c->nk].row, note ? note : "(none)");
            else
                h_pass++;
        }
    }
    for (i = 0; i < c->nw; i++) {
        json_t *it;
        size_t k;
        int found = 0;
        json_array_foreach(json_object_get(root, "warnings"), k, it) {
            found |= strstr(json_string_value(it), c->w[i].text) != NULL;
        }
        if (found == c->w[i].neg)
            vec_fail(c, "CLI: a warning with \"%s\" is %s", c->w[i].text, found ? "given" : "not given");
        else
            h_pass++;
    }
    check_cli_guidance(c, root);
    json_decref(root);
}

static void run_cli(const char *sarx, vcase *cases, int n)
{
    char in[] = "/tmp/sarx-vectors-XXXXXX";
    char cmd[1024], *line = NULL;
    size_t cap = 0;
    int fd = mkstemp(in), i = 0;
    FILE *f, *p;
    if (fd < 0) {
        h_fail++;
        perror("mkstemp");
        return;
    }
    f = fdopen(fd, "w");
    for (i = 0; i < n; i++)
        fprintf(f, "%s\n", cases[i].in);
    /* A batch of one line would be read as a single object: pad to two. */
    if (n == 1)
        fputs("\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' assess --format json '%s' 2>/dev/null", sarx, in);
    p = popen(cmd, "r");
    i = 0;
    while (p && getline(&line, &cap, p) > 0 && i < n)
        vec_check_line(&cases[i++], line);
    if (i != n) {
        h_fail++;
        fprintf(stderr, "FAIL %s: CLI printed %d lines for %d cases\n", cases[0].file, i, n);
    }
    free(line);
    if (p)
        pclose(p);
    unlink(in);
}

/* ---- through `sarx cohort` ------------------------------------------- */

static int skipped;

/* The ICD-10 code of a coded condition {"system": S, "code": C} that the
** text form "icd10:C" gives back (S one of the ICD-10 systems, no other
** key), or NULL when the entry has no text form (its error is JSON's). */
static const char *coded_text(json_t *it)
{
    static const char *const systems[] = {"icd10", "icd-10", "http://hl7.org/fhir/sid/icd-10",
                                          "http://hl7.org/fhir/sid/icd-10-cm"};
    const char *sys = json_string_value(json_object_get(it, "system"));
    const char *code = json_string_value(json_object_get(it, "code"));
    size_t k;
    if (!json_is_object(it) || json_object_size(it) != 2 || !sys || !code)
        return NULL;
    for (k = 0; k < sizeof systems / sizeof systems[0]; k++)
        if (strcasecmp(systems[k], sys) == 0)
            return code;
    return NULL;
}

/* The CSV text of a JSON value: numbers with 17 digits (exact round trip),
** booleans true/false, lists as list cells (sarx_csv_list_append: ';'
** between items, escaped; a coded condition as its text form
** "icd10:CODE"), null empty; quoted and guarded by sarx_csv_quote.  Nothing
** is cut: a value too long for the buffers is a failure. */
static void csv_value(FILE *f, json_t *v)
{
    char buf[4096], q[8200];
    size_t n = 0;
    if (!v || json_is_null(v))
        return;
    if (json_is_string(v))
        n = (size_t)snprintf(buf, sizeof buf, "%s", json_string_value(v));
    else if (json_is_array(v)) {
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it) {
            char coded[80];
            const char *s = json_string_value(it);
            if (!s) { /* a coded entry (csv_able let only those with a text form through) */
                snprintf(coded, sizeof coded, "icd10:%s", coded_text(it));
                s = coded;
            }
            n += sarx_csv_list_append(n < sizeof buf ? buf + n : NULL, n < sizeof buf ? sizeof buf - n : 0, s,
                                      strlen(s), i == 0);
        }
    } else {
        char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
        n = (size_t)snprintf(buf, sizeof buf, "%s", d ? d : "");
        free(d);
    }
    if (n >= sizeof buf || sarx_csv_quote(NULL, 0, buf, n, ',') > sizeof q) {
        fprintf(stderr, "vectors: a value too long for a CSV cell here (%zu bytes)\n", n);
        h_fail++;
        return;
    }
    fwrite(q, 1, sarx_csv_quote(q, sizeof q, buf, n, ','), f);
}

/* Can the case run as a CSV row?  Not with a weight history, nor with a
** list item that has no text form (a coded entry that is not ICD-10's, an
** item of another type), nor when its expected error only exists in JSON
** (types, unknown or duplicate names). */
static int csv_able(const vcase *c, json_t *in)
{
    static const char *const lists[] = {"conditions", "medications"};
    size_t k, i;
    json_t *it;
    if (!in || json_object_get(in, "weight_history"))
        return 0;
    for (k = 0; k < 2; k++)
        json_array_foreach(json_object_get(in, lists[k]), i, it) {
            if (!json_is_string(it) && (k == 1 || !coded_text(it)))
                return 0;
        }
    if (!c->nx && !c->nd && !c->err_kind[0]) /* guidance only: cohorts have none */
        return 0;
    if (c->err_kind[0] && strcmp(c->err_kind, "range") != 0 && strcmp(c->err_kind, "value") != 0 &&
        strcmp(c->err_kind, "syntax") != 0 &&
        !(strcmp(c->err_kind, "conflict") == 0 &&
          (strcmp(c->err_field, "sarc_f") == 0 || strcmp(c->err_field, "fat_mass_pct") == 0)))
        return 0;
    if (c->err_kind[0] && strcmp(c->err_kind, "syntax") == 0 && strstr(c->err_field, "weight_history"))
        return 0;
    return 1;
}

/* One CSV for a group of cases whose column names never give one field twice. */
static void run_cohort_group(const char *sarx, vcase **cases, json_t **ins, int n)
{
    char dir[] = "/tmp/sarx-cohort-XXXXXX", path[256], outp[256], errp[256], cmd[1200], *line = NULL;
    const char *cols[256];
    int ncol = 0, i, k;
    size_t cap = 0;
    FILE *f;
    if (!mkdtemp(dir)) {
        h_fail++;
        return;
    }
    for (i = 0; i < n; i++) {
        const char *key;
        json_t *v;
        json_object_foreach(ins[i], key, v) {
            for (k = 0; k < ncol && strcmp(cols[k], key) != 0; k++)
                ;
            if (k == ncol && ncol < 256)
                cols[ncol++] = key;
        }
    }
    snprintf(path, sizeof path, "%s/in.csv", dir);
    snprintf(outp, sizeof outp, "%s/out.csv", dir);
    snprintf(errp, sizeof errp, "%s/err.csv", dir);
    f = fopen(path, "w");
    fputs("vector_case", f); /* an unknown column: ignored, and it keeps a row with no field non-blank */
    for (k = 0; k < ncol; k++)
        fprintf(f, ",%s", cols[k]);
    fputc('\n', f);
    for (i = 0; i < n; i++) {
        fprintf(f, "%d", i);
        for (k = 0; k < ncol; k++) {
            fputc(',', f);
            csv_value(f, json_object_get(ins[i], cols[k]));
        }
        fputc('\n', f);
    }
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' -o '%s' --errors '%s' >/dev/null 2>&1", sarx, path, outp, errp);
    if (system(cmd) == -1) {
        h_fail++;
        return;
    }
    {   /* rows: row,line,id,<def>,<def>_complete... ; errors: row,line,field,value,message */
        char *hdr[64];
        int nh = 0, row;
        char *got_cat[64][64];
        int got_complete[64][64], have[64];
        char *got_err[64];
        memset(have, 0, sizeof have);
        memset(got_err, 0, sizeof got_err);
        f = fopen(outp, "r");
        if (f && getline(&line, &cap, f) > 0) {
            char *tok, *save = NULL;
            line[strcspn(line, "\n")] = '\0';
            for (tok = strtok_r(line, ",", &save); tok && nh < 64; tok = strtok_r(NULL, ",", &save))
                hdr[nh++] = strdup(tok);
        }
        while (f && getline(&line, &cap, f) > 0) {
            char *tok, *save = NULL;
            int col = 0;
            line[strcspn(line, "\n")] = '\0';
            row = atoi(line) - 1;
            if (row < 0 || row >= n || row >= 64)
                continue;
            have[row] = 1;
            (void)save;
            for (tok = line; tok; col++) { /* row,line,id then <def>,<def>_complete; fields may be empty */
                char *comma = strchr(tok, ',');
                int d = (col - 3) / 2;
                if (comma)
                    *comma = '\0';
                if (col >= 3 && d < 64) {
                    if ((col - 3) % 2 == 0)
                        got_cat[row][d] = strdup(tok);
                    else
                        got_complete[row][d] = strcmp(tok, "true") == 0;
                }
                tok = comma ? comma + 1 : NULL;
            }
        }
        if (f)
            fclose(f);
        f = fopen(errp, "r");
        while (f && getline(&line, &cap, f) > 0) {
            row = atoi(line) - 1;
            if (row >= 0 && row < n && row < 64)
                got_err[row] = strdup(line);
        }
        if (f)
            fclose(f);
        for (i = 0; i < n && i < 64; i++) {
            vcase *c = cases[i];
            if (c->err_kind[0]) {
                if (!got_err[i] || !strstr(got_err[i], c->err_field))
                    vec_fail(c, "cohort: expected row %d rejected naming %s, got %s", i + 1, c->err_field,
                         got_err[i] ? got_err[i] : "no error");
                else
                    h_pass++;
                continue;
            }
            if (!have[i]) {
                vec_fail(c, "cohort: row %d not classified%s", i + 1, got_err[i] ? got_err[i] : "");
                continue;
            }
            for (k = 0; k < c->nx; k++) {
                int d;
                const expect *x = &c->x[k];
                for (d = 0; d < 64 && 3 + 2 * d < nh && strcmp(hdr[3 + 2 * d], x->def) != 0; d++)
                    ;
                if (3 + 2 * d >= nh) {
                    vec_fail(c, "cohort: no column %s", x->def);
                    continue;
                }
                if (strcmp(got_cat[i][d], x->cat) != 0)
                    vec_fail(c, "cohort: %s is %s, expected %s", x->def, got_cat[i][d], x->cat);
                else if (x->complete >= 0 && got_complete[i][d] != x->complete)
                    vec_fail(c, "cohort: %s complete is %d", x->def, got_complete[i][d]);
                else
                    h_pass++;
            }
        }
        for (i = 0; i < n && i < 64; i++) {
            free(got_err[i]);
            if (have[i])
                for (k = 0; 3 + 2 * k < nh; k++)
                    free(got_cat[i][k]);
        }
        for (k = 0; k < nh; k++)
            free(hdr[k]);
    }
    free(line);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) == -1)
        h_fail++;
}

static void run_cohort(const char *sarx, vcase *cases, int n)
{
    vcase *group[64];
    json_t *gin[64];
    int ng = 0, i;
    for (i = 0; i <= n; i++) {
        json_t *in = NULL;
        json_error_t je;
        int clash = 0;
        if (i < n) {
            in = json_loads(cases[i].in, 0, &je);
            if (!csv_able(&cases[i], in)) {
                skipped++;
                json_decref(in);
                continue;
            }
            {   /* two names of one field (weight_kg, weight_lb) cannot share a file */
                const char *key;
                json_t *v;
                int g;
                json_object_foreach(in, key, v) {
                    const sarx_field_info *fi = sarx_field_find(key);
                    for (g = 0; g < ng && fi; g++) {
                        const char *k2;
                        json_t *v2;
                        json_object_foreach(gin[g], k2, v2) {
                            const sarx_field_info *f2 = sarx_field_find(k2);
                            if (f2 && strcmp(f2->canonical, fi->canonical) == 0 && strcmp(k2, key) != 0)
                                clash = 1;
                        }
                    }
                }
            }
        }
        if (i == n || clash || ng == 64) {
            if (ng)
                run_cohort_group(sarx, group, gin, ng);
            for (ng--; ng >= 0; ng--)
                json_decref(gin[ng]);
            ng = 0;
        }
        if (i < n) {
            group[ng] = &cases[i];
            gin[ng++] = in;
        }
    }
}

/* Every case through POST /api/v1/assess of a `sarx serve` started here. */
static void run_http(const hc_server *srv, vcase *cases, int n)
{
    hc_conn c = {-1, srv->port};
    int i;
    for (i = 0; i < n; i++) {
        hc_resp r;
        if (hc_request(&c, "POST", "/api/v1/assess", "vectors-token-0123456789", cases[i].in, strlen(cases[i].in), NULL,
                       &r) != 0) {
            vec_fail(&cases[i], "HTTP: no answer%s", "");
            continue;
        }
        if (r.status != (cases[i].err_kind[0] ? 400 : 200))
            vec_fail(&cases[i], "HTTP: status %d", r.status);
        vec_check_line(&cases[i], r.body);
        hc_free(&r);
    }
    hc_close(&c);
}

int main(int argc, char **argv)
{
    const char *sarx = NULL, *cohort = NULL, *http = NULL, *sqlite = NULL, *pg = NULL;
    hc_server srv;
    char db[64] = "";
    sarx_ctx *ctx = NULL;
    int i, total = 0;
    if (argc > 2 && strcmp(argv[1], "--cli") == 0) {
        sarx = argv[2];
        argv += 2;
        argc -= 2;
    } else if (argc > 2 && strcmp(argv[1], "--cohort") == 0) {
        cohort = argv[2];
        argv += 2;
        argc -= 2;
    } else if (argc > 2 && strcmp(argv[1], "--sqlite") == 0) {
        sqlite = argv[2];
        argv += 2;
        argc -= 2;
    } else if (argc > 2 && strcmp(argv[1], "--postgres") == 0) {
        pg = argv[2];
        argv += 2;
        argc -= 2;
    } else if (argc > 2 && strcmp(argv[1], "--http") == 0) {
        static const char *const extra[] = {"--access-log", "off", NULL};
        int fd;
        http = argv[2];
        argv += 2;
        argc -= 2;
        snprintf(db, sizeof db, "/tmp/sarx-vectors-http-XXXXXX");
        fd = mkstemp(db);
        if (fd >= 0)
            close(fd);
        unlink(db); /* a fresh registry in that name */
        signal(SIGPIPE, SIG_IGN);
        if (hc_start(http, db, "vectors-token-0123456789", extra, &srv)) {
            h_fail++;
            return h_summary("vectors via HTTP");
        }
    } else if (sarx_ctx_new(&ctx, NULL) != SARX_OK) {
        fputs("cannot create context\n", stderr);
        return 1;
    }
    if (sarx) { /* every plan number has a place in the JSON the CLI checks */
        size_t k, j;
        for (k = 0; k < sarx_plan_name_count(); k++) {
            for (j = 0; j < sizeof plan_paths / sizeof plan_paths[0]; j++)
                if (strcmp(plan_paths[j].name, sarx_plan_name(k)) == 0)
                    break;
            if (j == sizeof plan_paths / sizeof plan_paths[0]) {
                fprintf(stderr, "FAIL: plan number %s has no JSON path in vectors.c\n", sarx_plan_name(k));
                h_fail++;
            } else {
                h_pass++;
            }
        }
    }
    for (i = 1; i < argc; i++) {
        vcase *cases = NULL;
        int n = vec_load(argv[i], &cases), k;
        if (n < 0) {
            h_fail++;
            n = 0;
        }
        if (sarx && n)
            run_cli(sarx, cases, n);
        if (cohort && n)
            run_cohort(cohort, cases, n);
        if (http && n)
            run_http(&srv, cases, n);
        if (sqlite && n)
            vec_run_sqlite(sqlite, cases, n);
        if (pg && n)
            vec_run_pg(pg, cases, n);
        for (k = 0; k < n; k++) {
            if (!sarx && !cohort && !http && !sqlite && !pg)
                run_api(ctx, &cases[k]);
            free(cases[k].in);
        }
        total += n;
        free(cases);
    }
    sarx_ctx_free(ctx);
    if (http) {
        char path[96];
        if (hc_stop(&srv, SIGTERM) != 0) {
            fputs("FAIL: the server did not stop cleanly\n", stderr);
            h_fail++;
        }
        unlink(db);
        snprintf(path, sizeof path, "%s-wal", db);
        unlink(path);
        snprintf(path, sizeof path, "%s-shm", db);
        unlink(path);
        snprintf(path, sizeof path, "%s.token", db);
        unlink(path);
        printf("(%d cases)\n", total);
        return h_summary("vectors via HTTP");
    }
    if (cohort)
        printf("(%d cases, %d skipped: no CSV form or guidance only)\n", total, skipped);
    else
        printf("(%d cases)\n", total);
    return h_summary(sarx     ? "vectors via sarx assess"
                     : cohort ? "vectors via sarx cohort"
                     : sqlite ? "vectors via SQLite"
                     : pg     ? "vectors via PostgreSQL"
                              : "vectors via C API");
}
