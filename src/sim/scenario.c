/*
** scenario.c — what to simulate: a person's traits, the interventions and
** their schedule, and what to report; from JSON or a named preset.  Every
** key is checked: an unknown key, a wrong type or a value out of range is an
** error naming the key and what is allowed.
*/
#include "sim.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAYS_PER_YEAR 365.25

static const char *const activity_names[SARX__ACT_COUNT] = {"sedentary", "low", "moderate", "high", "athlete"};
static const char *const iv_names[SARX__IV_COUNT] = {"resistance_training", "bed_rest", "immobilization",
                                                     "microgravity", "protein", "inflammation", "hormone",
                                                     "activity"};

static void defaults(sarx_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "custom");
    sc->sex = 0; /* any: drawn in a population, male for one person */
    sc->start_age = 20;
    sc->end_age = 90;
    sc->report_every_days = DAYS_PER_YEAR;
    sc->report_from_age = 20;
    sc->motor_units = 150;
    sc->activity = SARX__ACT_MODERATE;
    sc->protein_g_kg = 1.0;
    sc->hormone_factor = 1.0;
    sc->hazard_factor = 1.0;
}

void sarx_scenario_free(sarx_scenario *sc) { free(sc); }
const char *sarx_scenario_name(const sarx_scenario *sc) { return sc ? sc->name : ""; }
size_t sarx_scenario_intervention_count(const sarx_scenario *sc) { return sc ? (size_t)sc->niv : 0; }

int sarx_scenario_baseline(const sarx_scenario *sc, sarx_scenario **out)
{
    sarx_scenario *b;
    if (!sc || !out)
        return SARX_EINVAL;
    if (!(b = malloc(sizeof *b)))
        return SARX_ENOMEM;
    *b = *sc;
    b->niv = 0;
    *out = b;
    return SARX_OK;
}

/* ---- presets -------------------------------------------------------------- */
/* A lifespan (no intervention: days 0), or one intervention reported from
** its start, relative to it, every report_days. */
typedef struct preset {
    const char *name, *description;
    int activity;
    sarx__intervention iv; /* kind, start_age, days, sessions/week, sets, reps, % 1RM, value */
    double report_days;
} preset;

static const preset presets[] = {
    {"sedentary", "20 to 90 years, sedentary", SARX__ACT_SEDENTARY, {0, 0, 0, 0, 0, 0, 0, 0}, 0},
    {"active", "20 to 90 years, highly active", SARX__ACT_HIGH, {0, 0, 0, 0, 0, 0, 0, 0}, 0},
    {"masters_athlete", "20 to 90 years, lifelong high-intensity training", SARX__ACT_ATHLETE,
     {0, 0, 0, 0, 0, 0, 0, 0}, 0},
    /* Kortebein et al., JAMA 2007: 10 days of bed rest at 67 +/- 5 y */
    {"bed_rest_10d", "10 days of bed rest at 67 years (Kortebein 2007), daily", SARX__ACT_MODERATE,
     {SARX__IV_BED_REST, 67, 10, 0, 0, 0, 0, 0}, 1},
    /* Nilwik et al. 2013: 6 months of training at 71 y */
    {"resistance_training_6mo",
     "6 months of training at 71 years, 3 x 10 at 75 % 1RM 3 times a week (Nilwik 2013), weekly", SARX__ACT_LOW,
     {SARX__IV_TRAINING, 71, 182, 3, 3, 10, 75, 0}, 7},
    /* Fitts et al. 2010: 180 days on the International Space Station */
    {"microgravity_180d", "180 days of spaceflight at 45 years (Fitts 2010), weekly", SARX__ACT_HIGH,
     {SARX__IV_MICROGRAVITY, 45, 180, 0, 0, 0, 0, 0}, 7},
    /* Wall et al. 2014: 14 days of knee immobilisation at 24 y */
    {"immobilization_14d", "14 days of leg immobilisation at 24 years (Wall 2014), daily", SARX__ACT_MODERATE,
     {SARX__IV_IMMOBILIZATION, 24, 14, 0, 0, 0, 0, 0}, 1},
};

static void make_preset(const preset *pr, sarx_scenario *sc)
{
    sc->activity = pr->activity;
    if (pr->iv.days > 0) {
        sc->iv[0] = pr->iv;
        sc->niv = 1;
        sc->report_from_age = pr->iv.start_age;
        sc->end_age = pr->iv.start_age + pr->iv.days / DAYS_PER_YEAR;
        sc->report_every_days = pr->report_days;
        sc->relative_to_start = 1;
    }
}

size_t sarx_scenario_preset_count(void) { return sizeof presets / sizeof presets[0]; }
const char *sarx_scenario_preset_name(size_t i) { return i < sarx_scenario_preset_count() ? presets[i].name : NULL; }
const char *sarx_scenario_preset_description(size_t i)
{
    return i < sarx_scenario_preset_count() ? presets[i].description : NULL;
}

static void preset_list(char *buf, size_t n)
{
    size_t i, used = 0;
    buf[0] = '\0';
    for (i = 0; i < sarx_scenario_preset_count() && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "|" : "", presets[i].name);
}

int sarx_scenario_preset(const char *name, sarx_scenario **out, sarx_error *err)
{
    size_t i;
    char allowed[256];
    if (!name || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    for (i = 0; i < sarx_scenario_preset_count(); i++)
        if (strcmp(presets[i].name, name) == 0) {
            sarx_scenario *sc = malloc(sizeof *sc);
            if (!sc)
                return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
            defaults(sc);
            snprintf(sc->name, sizeof sc->name, "%s", name);
            make_preset(&presets[i], sc);
            *out = sc;
            return SARX_OK;
        }
    preset_list(allowed, sizeof allowed);
    return sarx__err(err, SARX_ENOTFOUND, "preset", name, allowed, "unknown preset \"%s\" (allowed: %s)", name,
                     allowed);
}

/* ---- JSON ------------------------------------------------------------------ */
static int bad_key(sarx_error *err, const char *where, const char *key, const char *allowed)
{
    return sarx__err(err, SARX_EFIELD, key, "", allowed, "%s: unknown key \"%s\" (allowed: %s)", where, key,
                     allowed);
}

static int number(sarx_error *err, const char *key, json_t *v, double lo, double hi, const char *unit,
                  double *out)
{
    char val[64], allowed[96];
    snprintf(allowed, sizeof allowed, "%g-%g%s%s", lo, hi, unit[0] ? " " : "", unit);
    if (!json_is_number(v))
        return sarx__err(err, SARX_ETYPE, key, "", allowed, "key \"%s\": expected a number (allowed %s)", key,
                         allowed);
    *out = json_number_value(v);
    if (!(*out >= lo && *out <= hi)) {
        snprintf(val, sizeof val, "%g", *out);
        return sarx__err(err, SARX_ERANGE, key, val, allowed, "key \"%s\": value %s is out of range (allowed %s)",
                         key, val, allowed);
    }
    return SARX_OK;
}

static int word(sarx_error *err, const char *key, json_t *v, const char *const *words, int n, int *out)
{
    char allowed[160];
    size_t used = 0;
    int i;
    allowed[0] = '\0';
    for (i = 0; i < n && used < sizeof allowed; i++)
        used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s%s", i ? "|" : "", words[i]);
    if (json_is_string(v))
        for (i = 0; i < n; i++)
            if (strcmp(json_string_value(v), words[i]) == 0) {
                *out = i;
                return SARX_OK;
            }
    return sarx__err(err, json_is_string(v) ? SARX_EVALUE : SARX_ETYPE, key,
                     json_is_string(v) ? json_string_value(v) : "", allowed,
                     "key \"%s\": value %s%s%s is not allowed (allowed: %s)", key, json_is_string(v) ? "\"" : "",
                     json_is_string(v) ? json_string_value(v) : "(not a string)", json_is_string(v) ? "\"" : "",
                     allowed);
}

static int intervention(json_t *o, size_t idx, sarx__intervention *iv, sarx_error *err)
{
    static const char *const own_keys[SARX__IV_COUNT] = {
        "sessions_per_week, sets, reps, intensity_pct_1rm", "", "", "", "g_kg", "z", "factor", "level"};
    char allowed_keys[160];
    const char *key;
    json_t *v, *t = json_object_get(o, "type");
    char where[48];
    int rc, kind = 0, have_days = 0, lvl = 0; /* (set by word(); -O3 cannot tell) */
    snprintf(where, sizeof where, "interventions[%lu]", (unsigned long)idx);
    if (!json_is_object(o))
        return sarx__err(err, SARX_ETYPE, where, "", "an object", "%s: expected an object", where);
    if (!t)
        return sarx__err(err, SARX_EFIELD, "type", "", "", "%s: \"type\" is required (allowed: resistance_training|"
                         "bed_rest|immobilization|microgravity|protein|inflammation|hormone|activity)", where);
    if ((rc = word(err, "type", t, iv_names, SARX__IV_COUNT, &kind)) != SARX_OK)
        return rc;
    snprintf(allowed_keys, sizeof allowed_keys, "type, start_age, days or weeks%s%s", own_keys[kind][0] ? ", " : "",
             own_keys[kind]);
    memset(iv, 0, sizeof *iv);
    iv->kind = kind;
    iv->sessions_week = 3;
    iv->sets = 3;
    iv->reps = 10;
    iv->intensity = 75;
    iv->value = kind == SARX__IV_PROTEIN ? 1.0 : kind == SARX__IV_HORMONE ? 1.0 : 0;
    if (!json_object_get(o, "start_age"))
        return sarx__err(err, SARX_EFIELD, "start_age", "", "18-110 years", "%s: \"start_age\" is required",
                         where);
    json_object_foreach(o, key, v) {
        double d;
        if (strcmp(key, "type") == 0)
            continue;
        else if (strcmp(key, "start_age") == 0)
            rc = number(err, key, v, 20, 110, "years", &iv->start_age);
        else if (strcmp(key, "days") == 0)
            rc = number(err, key, v, 1, 36525, "days", &iv->days), have_days++;
        else if (strcmp(key, "weeks") == 0) {
            rc = number(err, key, v, 1, 5218, "weeks", &d), have_days++;
            iv->days = d * 7;
        } else if (strcmp(key, "sessions_per_week") == 0 && kind == SARX__IV_TRAINING)
            rc = number(err, key, v, 1, 7, "", &iv->sessions_week);
        else if (strcmp(key, "sets") == 0 && kind == SARX__IV_TRAINING)
            rc = number(err, key, v, 1, 10, "", &iv->sets);
        else if (strcmp(key, "reps") == 0 && kind == SARX__IV_TRAINING)
            rc = number(err, key, v, 1, 50, "", &iv->reps);
        else if (strcmp(key, "intensity_pct_1rm") == 0 && kind == SARX__IV_TRAINING)
            rc = number(err, key, v, 0, 100, "%", &iv->intensity);
        else if (strcmp(key, "g_kg") == 0 && kind == SARX__IV_PROTEIN)
            rc = number(err, key, v, 0.3, 3, "g/kg/day", &iv->value);
        else if (strcmp(key, "z") == 0 && kind == SARX__IV_INFLAMMATION)
            rc = number(err, key, v, -3, 5, "SD", &iv->value);
        else if (strcmp(key, "factor") == 0 && kind == SARX__IV_HORMONE)
            rc = number(err, key, v, 0.5, 1.5, "", &iv->value);
        else if (strcmp(key, "level") == 0 && kind == SARX__IV_ACTIVITY) {
            if ((rc = word(err, key, v, activity_names, SARX__ACT_COUNT, &lvl)) == SARX_OK)
                iv->value = lvl;
        } else
            return bad_key(err, where, key, allowed_keys);
        if (rc != SARX_OK)
            return rc;
    }
    if (have_days != 1)
        return sarx__err(err, SARX_EFIELD, "days", "", "days or weeks", "%s: give the duration as \"days\" or "
                         "\"weeks\" (one of them)", where);
    return SARX_OK;
}

/* Interventions must start within the scenario, and two of one kind may not
** overlap (which one would apply is not defined). */
static int check_interventions(const sarx_scenario *sc, sarx_error *err)
{
    int i, j;
    for (i = 0; i < sc->niv; i++) {
        const sarx__intervention *a = &sc->iv[i];
        char key[48];
        snprintf(key, sizeof key, "interventions[%d].start_age", i);
        if (a->start_age >= sc->end_age)
            return sarx__err(err, SARX_ERANGE, key, "", "before end_age",
                             "%s: the intervention starts at or after end_age", key);
        for (j = 0; j < i; j++) {
            const sarx__intervention *b = &sc->iv[j];
            if (a->kind == b->kind && a->start_age < b->start_age + b->days / DAYS_PER_YEAR &&
                b->start_age < a->start_age + a->days / DAYS_PER_YEAR)
                return sarx__err(err, SARX_ECONFLICT, key, "", "interventions of one type that do not overlap",
                                 "%s: overlaps interventions[%d] of the same type (%s)", key, j, iv_names[a->kind]);
        }
    }
    return SARX_OK;
}

int sarx_scenario_from_json(const char *text, size_t len, sarx_scenario **out, sarx_error *err)
{
    static const char allowed_keys[] =
        "name, sex, start_age, end_age, report_every_years, report_every_days, report_from_age, relative_to, "
        "motor_units, activity_level, protein_g_kg, inflammation_z, hormone_factor, hazard_factor, "
        "between_person_variation, interventions";
    static const char *const sexes[] = {"male", "female", "any"};
    static const char *const rel[] = {"age25", "start"};
    json_error_t je;
    json_t *root, *v;
    const char *key;
    sarx_scenario *sc;
    int rc = SARX_OK, have_from = 0, have_every = 0, w = 0; /* (likewise) */
    double d;
    if (!text || !out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        rc = sarx__err(err, SARX_ESYNTAX, "", "", "", "scenario: %s (line %d, column %d)", je.text, je.line,
                       je.column);
        if (err) {
            err->line = je.line;
            err->column = je.column;
        }
        return rc;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return sarx__err(err, SARX_ETYPE, "", "", "an object", "scenario: expected a JSON object");
    }
    if (!(sc = malloc(sizeof *sc))) {
        json_decref(root);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    defaults(sc);
    json_object_foreach(root, key, v) {
        if (strcmp(key, "name") == 0) {
            if (!json_is_string(v))
                rc = sarx__err(err, SARX_ETYPE, key, "", "a string", "key \"name\": expected a string");
            else {
                /* cut to fit on a character's boundary (the text is UTF-8,
                ** jansson's strings being so): half a character once made
                ** the figure's SVG unreadable */
                const char *name = json_string_value(v);
                size_t cut = strlen(name);
                if (cut >= sizeof sc->name) /* back from the cut past continuation bytes */
                    for (cut = sizeof sc->name - 1; cut > 0 && ((unsigned char)name[cut] & 0xC0u) == 0x80u;)
                        cut--;
                memcpy(sc->name, name, cut);
                sc->name[cut] = '\0';
            }
        } else if (strcmp(key, "sex") == 0) {
            if ((rc = word(err, key, v, sexes, 3, &w)) == SARX_OK)
                sc->sex = w == 0 ? SARX__MALE : w == 1 ? SARX__FEMALE : 0;
        } else if (strcmp(key, "start_age") == 0)
            rc = number(err, key, v, 20, 100, "years", &sc->start_age);
        else if (strcmp(key, "end_age") == 0)
            rc = number(err, key, v, 20, 110, "years", &sc->end_age);
        else if (strcmp(key, "report_every_years") == 0 || strcmp(key, "report_every_days") == 0) {
            int years = strcmp(key, "report_every_years") == 0;
            if (have_every++)
                rc = sarx__err(err, SARX_ECONFLICT, key, "", "one of report_every_years, report_every_days",
                               "key \"%s\": give report_every_years or report_every_days, not both", key);
            else if (years && (rc = number(err, key, v, 0.01, 50, "years", &d)) == SARX_OK)
                sc->report_every_days = d * DAYS_PER_YEAR;
            else if (!years)
                rc = number(err, key, v, 1, 18262, "days", &sc->report_every_days);
        } else if (strcmp(key, "report_from_age") == 0)
            rc = number(err, key, v, 20, 110, "years", &sc->report_from_age), have_from = 1;
        else if (strcmp(key, "relative_to") == 0) {
            if ((rc = word(err, key, v, rel, 2, &w)) == SARX_OK)
                sc->relative_to_start = w;
        } else if (strcmp(key, "motor_units") == 0) {
            if ((rc = number(err, key, v, 20, 5000, "", &d)) == SARX_OK && d != floor(d))
                rc = sarx__err(err, SARX_ETYPE, key, "", "a whole number 20-5000",
                               "key \"motor_units\": expected a whole number (allowed 20-5000)");
            if (rc == SARX_OK) /* only a value in range converts to int */
                sc->motor_units = (int)d;
        } else if (strcmp(key, "activity_level") == 0)
            rc = word(err, key, v, activity_names, SARX__ACT_COUNT, &sc->activity);
        else if (strcmp(key, "protein_g_kg") == 0)
            rc = number(err, key, v, 0.3, 3, "g/kg/day", &sc->protein_g_kg);
        else if (strcmp(key, "inflammation_z") == 0)
            rc = number(err, key, v, -3, 5, "SD", &sc->inflammation_z);
        else if (strcmp(key, "hormone_factor") == 0)
            rc = number(err, key, v, 0.5, 1.5, "", &sc->hormone_factor);
        else if (strcmp(key, "hazard_factor") == 0)
            rc = number(err, key, v, 0.1, 5, "", &sc->hazard_factor);
        else if (strcmp(key, "between_person_variation") == 0) {
            if (!json_is_boolean(v))
                rc = sarx__err(err, SARX_ETYPE, key, "", "true|false", "key \"%s\": expected true or false", key);
            sc->vary = json_is_true(v);
        } else if (strcmp(key, "interventions") == 0) {
            size_t i;
            json_t *it;
            if (!json_is_array(v) || json_array_size(v) > SARX__MAX_INTERVENTIONS)
                rc = sarx__err(err, SARX_ETYPE, key, "", "a list of up to " SARX__STR(SARX__MAX_INTERVENTIONS)
                               " objects", "key \"interventions\": expected a list of up to %d objects",
                               SARX__MAX_INTERVENTIONS);
            else
                json_array_foreach(v, i, it) {
                    if ((rc = intervention(it, i, &sc->iv[i], err)) != SARX_OK)
                        break;
                    sc->niv++;
                }
        } else
            rc = bad_key(err, "scenario", key, allowed_keys);
        if (rc != SARX_OK)
            break;
    }
    json_decref(root);
    if (rc == SARX_OK && !(sc->end_age > sc->start_age))
        rc = sarx__err(err, SARX_ERANGE, "end_age", "", "greater than start_age",
                       "key \"end_age\" must be greater than start_age");
    if (rc == SARX_OK && !have_from)
        sc->report_from_age = sc->start_age;
    if (rc == SARX_OK && (sc->report_from_age < sc->start_age || sc->report_from_age > sc->end_age))
        rc = sarx__err(err, SARX_ERANGE, "report_from_age", "", "start_age-end_age",
                       "key \"report_from_age\" must lie between start_age and end_age");
    if (rc == SARX_OK)
        rc = check_interventions(sc, err);
    if (rc == SARX_OK) { /* a bound on the work one simulation may take */
        double steps = (sc->end_age - 20) * DAYS_PER_YEAR / 28, points, work;
        int k;
        for (k = 0; k < sc->niv; k++)
            steps += sc->iv[k].days;
        points = (sc->end_age - sc->report_from_age) * DAYS_PER_YEAR / sc->report_every_days + 1;
        work = sc->motor_units * (steps + 60 * points);
        if (work > 1e9)
            rc = sarx__err(err, SARX_ERANGE, "scenario", "", "at most 1e9 unit-steps",
                           "scenario too large: %.3g unit-steps (motor_units x (steps + 60 x reported points)); "
                           "allowed at most 1e9: fewer units, points or intervention days",
                           work);
    }
    if (rc != SARX_OK) {
        free(sc);
        return rc;
    }
    *out = sc;
    return SARX_OK;
}
