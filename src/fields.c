/*
** fields.c — the input fields: names, units, ranges, aliases.
*/
#include "internal.h"

#include <string.h>

#define NUMBER SARX_KIND_NUMBER
#define INTEGER SARX_KIND_INTEGER
#define BOOL SARX_KIND_BOOL
#define ENUM SARX_KIND_ENUM
#define STRING SARX_KIND_STRING
#define DATE SARX_KIND_DATE
#define LIST SARX_KIND_LIST
#define HISTORY SARX_KIND_HISTORY

/*
** Alternate units.  canonical = value * scale.
*/
const sarx__alias sarx__aliases[] = {
    {"height_m", SARX__F_HEIGHT, 100.0, "m", "1 m = 100 cm"},
    {"height_in", SARX__F_HEIGHT, 2.54, "in", "1 in = 2.54 cm exactly"},
    {"weight_lb", SARX__F_WEIGHT, 0.45359237, "lb", "1 lb = 0.45359237 kg exactly"},
    {"grip_lb", SARX__F_GRIP, 0.45359237, "lb", "1 lbf = 0.45359237 kgf exactly"},
    {"crp_mg_dl", SARX__F_CRP, 10.0, "mg/dL", "1 mg/dL = 10 mg/L"},
    {"hemoglobin_g_l", SARX__F_HB, 0.1, "g/L", "1 g/L = 0.1 g/dL"},
    {"albumin_g_l", SARX__F_ALBUMIN, 0.1, "g/L", "1 g/L = 0.1 g/dL"},
    /* Testosterone molar mass 288.42 g/mol: 1 nmol/L = 288.42 ng/L = 28.842 ng/dL. */
    {"testosterone_nmol_l", SARX__F_TESTOSTERONE, 28.842, "nmol/L", "molar mass 288.42 g/mol"},
    /* Phosphorus 30.973762 g/mol, magnesium 24.305 g/mol: 1 mg/dL = 10 mg/L
    ** over the molar mass; potassium is monovalent, so mEq/L = mmol/L. */
    {"phosphate_mg_dl", SARX__F_PHOSPHATE, 10.0 / 30.973762, "mg/dL", "as phosphorus, 30.973762 g/mol"},
    {"magnesium_mg_dl", SARX__F_MAGNESIUM, 10.0 / 24.305, "mg/dL", "24.305 g/mol"},
    {"potassium_meq_l", SARX__F_POTASSIUM, 1.0, "mEq/L", "1 mEq/L = 1 mmol/L (monovalent)"},
};
const size_t sarx__alias_count = SARX__N(sarx__aliases);
_Static_assert(SARX__N(sarx__aliases) < 127, "an alias index fits sarx_subject.via (signed char)");

const sarx_field_info sarx__field_info[] = {
#define SARX__F_INFO(N, name, kind, unit, lo, hi, vals, desc) {name, name, kind, unit, lo, hi, vals, desc},
    SARX__FIELDS(SARX__F_INFO)
#undef SARX__F_INFO
    /* Aliases: filled from sarx__aliases, ranges converted to their unit. */
    {"height_m", "height_cm", NUMBER, "m", 1.0, 2.3, NULL, "height in metres"},
    {"height_in", "height_cm", NUMBER, "in", 100 / 2.54, 230 / 2.54, NULL, "height in inches"},
    {"weight_lb", "weight_kg", NUMBER, "lb", 20 / 0.45359237, 350 / 0.45359237, NULL, "body weight in pounds"},
    {"grip_lb", "grip_kg", NUMBER, "lb", 0, 100 / 0.45359237, NULL, "grip strength in pounds"},
    {"crp_mg_dl", "crp_mg_l", NUMBER, "mg/dL", 0, 50, NULL, "C-reactive protein in mg/dL"},
    {"hemoglobin_g_l", "hemoglobin_g_dl", NUMBER, "g/L", 20, 250, NULL, "haemoglobin in g/L"},
    {"albumin_g_l", "albumin_g_dl", NUMBER, "g/L", 5, 70, NULL, "serum albumin in g/L"},
    {"testosterone_nmol_l", "testosterone_ng_dl", NUMBER, "nmol/L", 0, 2000 / 28.842, NULL, "total testosterone in nmol/L"},
    {"phosphate_mg_dl", "phosphate_mmol_l", NUMBER, "mg/dL", 0.1 * 3.0973762, 5 * 3.0973762, NULL,
     "serum phosphate (as phosphorus) in mg/dL"},
    {"magnesium_mg_dl", "magnesium_mmol_l", NUMBER, "mg/dL", 0.1 * 2.4305, 5 * 2.4305, NULL, "serum magnesium in mg/dL"},
    {"potassium_meq_l", "potassium_mmol_l", NUMBER, "mEq/L", 1, 10, NULL, "serum potassium in mEq/L"},
};

size_t sarx_field_count(void) { return SARX__N(sarx__field_info); }

const sarx_field_info *sarx_field_at(size_t i)
{
    return i < SARX__N(sarx__field_info) ? &sarx__field_info[i] : NULL;
}

/* Every JSON key and CSV header goes through here.  The canonical names
** are compared unrolled from the field table, each against its own length
** known at compile time, so that a comparison is a length check and a
** memcmp of constant size, which the compiler inlines (a strlen of every
** name per key was a third of the time of reading a subject from jsonb). */
int sarx__field_lookup(const char *name, size_t len, int *alias)
{
    size_t i;
#define SARX__F_MATCH(N, fname, kind, unit, lo, hi, vals, desc)                                                   \
    if (len == sizeof(fname) - 1 && memcmp(name, fname, sizeof(fname) - 1) == 0) {                               \
        *alias = -1;                                                                                             \
        return SARX__F_##N;                                                                                      \
    }
    SARX__FIELDS(SARX__F_MATCH)
#undef SARX__F_MATCH
    for (i = 0; i < sarx__alias_count; i++) {
        const char *f = sarx__aliases[i].name;
        if (f[0] == name[0] && strlen(f) == len && memcmp(f, name, len) == 0) {
            *alias = (int)i;
            return sarx__aliases[i].field;
        }
    }
    return -1;
}

const sarx_field_info *sarx_field_find(const char *name)
{
    int alias, f;
    if (!name)
        return NULL;
    f = sarx__field_lookup(name, strlen(name), &alias);
    if (f < 0)
        return NULL;
    return &sarx__field_info[alias < 0 ? (size_t)f : SARX__F_COUNT + (size_t)alias];
}

/* Levenshtein distance, capped to short names. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t row[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

const char *sarx__field_suggest(const char *name)
{
    const char *best = NULL;
    size_t bestd = 4, i; /* suggest only close names */
    for (i = 0; i < SARX__N(sarx__field_info); i++) {
        size_t d = distance(name, sarx__field_info[i].name);
        if (d < bestd) {
            bestd = d;
            best = sarx__field_info[i].name;
        }
    }
    return best;
}

static const struct {
    const char *name, *unit;
} derived[] = {
    {"bmi", "kg/m2"},
    {"asmi", "kg/m2"},
    {"alm_bmi", "m2"},
    {"smi", "kg/m2"},
    {"ffmi", "kg/m2"},
    {"weight_loss_pct_6m", "%"},
    {"weight_loss_pct_12m", "%"},
    {"sarc_f_total", "points"},
    {"sarc_calf_total", "points"},
    {"mamc_cm", "cm"},
    {"known_illness", ""},
    {"disease_inflammation", ""},
    {"cancer_known", ""},
    {"fat_pct", "%"},
    {"asm_weight_pct", "%"},
    {"smm_weight_pct", "%"},
    {"weight_whole_body_kg", "kg"},
};

_Static_assert(SARX__N(derived) == SARX__M_COUNT - SARX__DERIVED_FIRST, "one name per derived measure");

const char *sarx__measure_name(int m)
{
    if (m < SARX__F_COUNT)
        return sarx__field_info[m].name;
    return derived[m - SARX__DERIVED_FIRST].name;
}

const char *sarx__measure_unit(int m)
{
    if (m < SARX__F_COUNT)
        return sarx__field_info[m].unit;
    return derived[m - SARX__DERIVED_FIRST].unit;
}

size_t sarx_derived_count(void) { return SARX__N(derived); }

const char *sarx_derived_name(size_t i) { return i < SARX__N(derived) ? derived[i].name : NULL; }

const char *sarx_derived_unit(size_t i) { return i < SARX__N(derived) ? derived[i].unit : NULL; }

int sarx__derived_lookup(const char *name)
{
    int i;
    for (i = 0; i < SARX__M_COUNT - SARX__DERIVED_FIRST; i++)
        if (strcmp(derived[i].name, name) == 0)
            return SARX__DERIVED_FIRST + i;
    return -1;
}

int sarx__field_split(long i, int *f, int *alias)
{
    if (i < 0 || (size_t)i >= SARX__N(sarx__field_info))
        return 0;
    if (i < SARX__F_COUNT) {
        *f = (int)i;
        *alias = -1;
    } else {
        *alias = (int)(i - SARX__F_COUNT);
        *f = sarx__aliases[*alias].field;
    }
    return 1;
}
