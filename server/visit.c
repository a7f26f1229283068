/*
** visit.c — the subject of one visit: the visit's fields as entered, what
** the registry knows of the patient (sex, population, age from the birth
** date) and the patient's earlier weights as the weight history, so that
** the 6- and 12-month windows of Evans, Fearon and GLIM come from real
** visits.  Validation is the library's: the subject is parsed with
** sarx_subject_from_json, exactly as `sarx assess` parses it.
*/
#include "server.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void srv_error(sarx_error *err, int code, const char *field, const char *value, const char *allowed,
               const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    snprintf(err->value, sizeof err->value, "%s", value ? value : "");
    snprintf(err->allowed, sizeof err->allowed, "%s", allowed ? allowed : "");
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* Days from civil date (proleptic Gregorian), H. Hinnant's algorithm. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    long era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int i, leap, dim;
    for (i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    if (s[10])
        return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    if (*y < 1800 || *m < 1 || *m > 12 || *d < 1)
        return 0;
    leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    dim = mdays[*m - 1] + (*m == 2 && leap);
    return *d <= dim;
}

long srv_date_days(const char *s)
{
    int y, m, d;
    if (!s || !parse_date(s, &y, &m, &d))
        return SRV_BAD_DATE;
    return days_from_civil(y, (unsigned)m, (unsigned)d);
}

void srv_date_minus_months(const char *date, int months, char out[11])
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, md;
    if (!parse_date(date, &y, &m, &d)) {
        out[0] = 0;
        return;
    }
    m -= months;
    while (m < 1) {
        m += 12;
        y--;
    }
    md = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > md)
        d = md;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

void srv_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void srv_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int srv_age_years(const char *birth, const char *on)
{
    int by, bm, bd, y, m, d, age;
    if (!parse_date(birth, &by, &bm, &bd) || !parse_date(on, &y, &m, &d))
        return -1;
    age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

/* "male" / "female" for any accepted spelling, NULL otherwise. */
static const char *sex_word(const char *s)
{
    if (!strcasecmp(s, "male") || !strcasecmp(s, "m"))
        return "male";
    if (!strcasecmp(s, "female") || !strcasecmp(s, "f"))
        return "female";
    return NULL;
}

static int bad_type(sarx_error *err, const char *key, const char *want)
{
    srv_error(err, SARX_ETYPE, key, "", want, "field \"%s\": expected %s", key, want);
    return SARX_ETYPE;
}

int srv_patient_check(const json_t *body, sarx_error *err)
{
    const char *key;
    json_t *v;
    char today[11];
    if (!json_is_object(body)) {
        srv_error(err, SARX_ETYPE, "", "", "a JSON object", "a patient is a JSON object");
        return SARX_ETYPE;
    }
    srv_today(today);
    json_object_foreach((json_t *)body, key, v) {
        const char *s = json_string_value(v);
        if (strcmp(key, "external_id") && strcmp(key, "label") && strcmp(key, "sex") &&
            strcmp(key, "birth_date") && strcmp(key, "population")) {
            srv_error(err, SARX_EFIELD, key, "", "external_id, label, sex, birth_date, population",
                      "unknown patient field \"%s\" (allowed: external_id, label, sex, birth_date, population)",
                      key);
            return SARX_EFIELD;
        }
        if (json_is_null(v))
            continue;
        if (!s)
            return bad_type(err, key, "a string or null");
        if (!strcmp(key, "external_id") || !strcmp(key, "label")) {
            size_t n = json_string_length(v), max = key[0] == 'e' ? 64 : 200;
            if (n == 0 || n > max) {
                char allowed[32];
                snprintf(allowed, sizeof allowed, "1-%zu characters", max);
                srv_error(err, SARX_ERANGE, key, "", allowed, "field \"%s\": length %zu (allowed %s)", key, n,
                          allowed);
                return SARX_ERANGE;
            }
        } else if (!strcmp(key, "sex") && !sex_word(s)) {
            srv_error(err, SARX_EVALUE, key, s, "male|female|m|f",
                      "field \"sex\": \"%.40s\" is not allowed (allowed: male, female, m, f)", s);
            return SARX_EVALUE;
        } else if (!strcmp(key, "population") && strcmp(s, "general") && strcmp(s, "asian")) {
            srv_error(err, SARX_EVALUE, key, s, "general|asian",
                      "field \"population\": \"%.40s\" is not allowed (allowed: general, asian)", s);
            return SARX_EVALUE;
        } else if (!strcmp(key, "birth_date")) {
            if (srv_date_days(s) == SRV_BAD_DATE) {
                srv_error(err, SARX_ESYNTAX, key, s, "YYYY-MM-DD",
                          "field \"birth_date\": \"%.40s\" is not a date (YYYY-MM-DD)", s);
                return SARX_ESYNTAX;
            }
            if (strcmp(s, today) > 0) {
                srv_error(err, SARX_ERANGE, key, s, "not after today",
                          "field \"birth_date\": %s is in the future", s);
                return SARX_ERANGE;
            }
        }
    }
    return SARX_OK;
}

/* Merge the patient's value of key into the visit (o), or reject a contradiction. */
static int merge(json_t *o, const json_t *patient, const char *key, sarx_error *err)
{
    const char *pv = json_string_value(json_object_get(patient, key));
    json_t *vv = json_object_get(o, key);
    if (!pv)
        return SARX_OK;
    if (!vv)
        return json_object_set_new(o, key, json_string(pv)) ? SARX_ENOMEM : SARX_OK;
    if (json_is_string(vv)) {
        const char *v = json_string_value(vv);
        const char *w = strcmp(key, "sex") == 0 ? sex_word(v) : v;
        if (w && strcmp(w, pv) != 0) {
            srv_error(err, SARX_ECONFLICT, key, v, pv,
                      "field \"%s\": the visit says \"%.40s\" but the patient is recorded as \"%s\"", key, v, pv);
            return SARX_ECONFLICT;
        }
    }
    return SARX_OK; /* anything else: the library names the problem */
}

void srv_visit_date(const json_t *inputs, char date[11])
{
    const char *d = json_string_value(json_object_get(inputs, "assessment_date"));
    if (d && srv_date_days(d) != SRV_BAD_DATE)
        memcpy(date, d, 11);
    else
        srv_today(date);
}

int srv_visit_subject(const json_t *patient, const json_t *inputs, const srv_weight *hist, size_t nhist,
                      sarx_subject *s, char date[11], json_t **merged, sarx_error *err)
{
    json_t *o, *h, *dv;
    const char *birth;
    char *text;
    size_t i;
    int rc;
    if (merged)
        *merged = NULL;
    if (!json_is_object(inputs)) {
        srv_error(err, SARX_ETYPE, "", "", "a JSON object", "a visit is a JSON object of the fields of `sarx fields`");
        return SARX_ETYPE;
    }
    if (json_object_get(inputs, "id")) {
        srv_error(err, SARX_EFIELD, "id", "", "", "field \"id\": a visit takes its id from the registry");
        return SARX_EFIELD;
    }
    if (json_object_get(inputs, "weight_history")) {
        srv_error(err, SARX_EFIELD, "weight_history", "", "",
                  "field \"weight_history\": the history is the patient's earlier visits; add each "
                  "weight as a visit");
        return SARX_EFIELD;
    }
    dv = json_object_get(inputs, "assessment_date");
    if (dv) {
        if (!json_is_string(dv) || srv_date_days(json_string_value(dv)) == SRV_BAD_DATE) {
            srv_error(err, json_is_string(dv) ? SARX_ESYNTAX : SARX_ETYPE, "assessment_date",
                      json_is_string(dv) ? json_string_value(dv) : "", "YYYY-MM-DD",
                      "field \"assessment_date\": not a date (YYYY-MM-DD)");
            return err->code;
        }
        memcpy(date, json_string_value(dv), 11);
    } else {
        srv_today(date);
    }
    o = json_copy((json_t *)inputs);
    if (!o)
        return SARX_ENOMEM;
    rc = SARX_OK;
    if (!dv && json_object_set_new(o, "assessment_date", json_string(date)))
        rc = SARX_ENOMEM;
    if (!rc)
        rc = merge(o, patient, "sex", err);
    if (!rc)
        rc = merge(o, patient, "population", err);
    birth = json_string_value(json_object_get(patient, "birth_date"));
    if (!rc && birth && !json_object_get(o, "age_years")) {
        int age = srv_age_years(birth, date);
        if (age < 18 || age > 120) {
            srv_error(err, SARX_ERANGE, "birth_date", birth, "age 18-120 years at the visit",
                      "field \"birth_date\": %s gives age %d on %s (allowed: 18-120 years)", birth, age, date);
            rc = SARX_ERANGE;
        } else if (json_object_set_new(o, "age_years", json_integer(age))) {
            rc = SARX_ENOMEM;
        }
    }
    if (!rc) {
        json_t *ext = json_object_get(patient, "external_id"), *pid = json_object_get(patient, "id");
        char idbuf[32];
        if (json_is_string(ext))
            rc = json_object_set(o, "id", ext) ? SARX_ENOMEM : SARX_OK;
        else {
            snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(pid));
            rc = json_object_set_new(o, "id", json_string(idbuf)) ? SARX_ENOMEM : SARX_OK;
        }
    }
    if (!rc && nhist) {
        h = json_array();
        for (i = 0; h && i < nhist; i++)
            if (json_array_append_new(h, json_pack("{s:s,s:f}", "date", hist[i].date, "weight_kg", hist[i].kg)))
                rc = SARX_ENOMEM;
        if (!h || json_object_set_new(o, "weight_history", h))
            rc = SARX_ENOMEM;
    }
    if (merged)
        *merged = NULL;
    if (rc) {
        json_decref(o);
        if (rc == SARX_ENOMEM)
            srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return rc;
    }
    text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (merged)
        *merged = o;
    else
        json_decref(o);
    if (!text) {
        if (merged) {
            json_decref(*merged);
            *merged = NULL;
        }
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return SARX_ENOMEM;
    }
    rc = sarx_subject_from_json(s, text, strlen(text), err);
    free(text);
    if (rc && merged) {
        json_decref(*merged);
        *merged = NULL;
    }
    return rc;
}
