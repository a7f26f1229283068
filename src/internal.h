/*
** internal.h — shared declarations of libsarx's modules (not installed).
** Internal names use the prefix sarx__ (two underscores).
*/
#ifndef SARX_INTERNAL_H
#define SARX_INTERNAL_H

#include "sarx.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>

/*
** The canonical input fields, one line each:
**   X(NAME, "name", KIND, "unit", min, max, "allowed words", "description")
** This list is the single source of the field enum, the field table, the
** JSON/CSV decoders' range checks and the generated docs.
*/
#define SARX__FIELDS(X)                                                                              \
    X(ID, "id", STRING, "", 0, 0, NULL, "identifier of the person or visit")                         \
    X(SEX, "sex", ENUM, "", 0, 0, "male|female", "sex (m/f accepted, any case)")                     \
    X(AGE, "age_years", NUMBER, "years", 18, 120, NULL, "age")                                       \
    X(POPULATION, "population", ENUM, "", 0, 0, "general|asian", "reference population")             \
    X(DATE, "assessment_date", DATE, "", 0, 0, NULL, "date of the assessment")                       \
    X(HEIGHT, "height_cm", NUMBER, "cm", 100, 230, NULL, "height")                                   \
    X(WEIGHT, "weight_kg", NUMBER, "kg", 20, 350, NULL, "body weight")                               \
    X(GRIP, "grip_kg", NUMBER, "kg", 0, 100, NULL, "best hand-grip strength")                        \
    X(CHAIR, "chair_stand_5x_s", NUMBER, "s", 2, 120, NULL, "five chair rises")                      \
    X(CHAIR_UNABLE, "chair_stand_unable", BOOL, "", 0, 0, NULL, "unable to complete 5 chair rises")  \
    X(GAIT, "gait_speed_m_s", NUMBER, "m/s", 0.05, 3.0, NULL, "usual gait speed")                    \
    X(SPPB, "sppb_score", INTEGER, "points", 0, 12, NULL, "Short Physical Performance Battery")      \
    X(TUG, "tug_s", NUMBER, "s", 3, 300, NULL, "Timed Up and Go")                                    \
    X(WALK400, "walk_400m_s", NUMBER, "s", 120, 1800, NULL, "400 m walk time")                       \
    X(WALK400_DONE, "walk_400m_completed", BOOL, "", 0, 0, NULL, "completed the 400 m walk")         \
    X(ASM, "asm_kg", NUMBER, "kg", 5, 60, NULL, "appendicular skeletal (lean) mass")                 \
    X(ASM_METHOD, "asm_method", ENUM, "", 0, 0, "dxa|bia",                                           \
      "how asm_kg was measured (read as dxa when not given, with a warning)")                       \
    X(SMM, "smm_kg", NUMBER, "kg", 5, 80, NULL, "whole-body skeletal muscle mass")                   \
    X(FFM, "ffm_kg", NUMBER, "kg", 15, 150, NULL, "fat-free mass")                                   \
    X(BIA_R, "bia_resistance_ohm", NUMBER, "ohm", 100, 1500, NULL, "BIA resistance at 50 kHz")       \
    X(BIA_XC, "bia_reactance_ohm", NUMBER, "ohm", 5, 150, NULL, "BIA reactance at 50 kHz")           \
    X(CALF, "calf_circumference_cm", NUMBER, "cm", 15, 70, NULL, "calf circumference")               \
    X(MUAC, "mid_arm_circumference_cm", NUMBER, "cm", 10, 60, NULL, "mid-upper-arm circumference")   \
    X(TSF, "triceps_skinfold_mm", NUMBER, "mm", 1, 80, NULL, "triceps skinfold")                     \
    X(CT_L3, "ct_l3_smi_cm2_m2", NUMBER, "cm2/m2", 10, 120, NULL, "CT L3 skeletal muscle index")     \
    X(SARC_F, "sarc_f", INTEGER, "points", 0, 10, NULL, "SARC-F total")                              \
    X(SF_STRENGTH, "sarc_f_strength", INTEGER, "points", 0, 2, NULL, "SARC-F: lifting 10 lb")        \
    X(SF_ASSIST, "sarc_f_assistance", INTEGER, "points", 0, 2, NULL, "SARC-F: walking across a room") \
    X(SF_RISE, "sarc_f_rise", INTEGER, "points", 0, 2, NULL, "SARC-F: rising from a chair")          \
    X(SF_CLIMB, "sarc_f_climb", INTEGER, "points", 0, 2, NULL, "SARC-F: climbing 10 stairs")         \
    X(SF_FALLS, "sarc_f_falls", INTEGER, "points", 0, 2, NULL, "SARC-F: falls (1 = 1-3, 2 = 4+)")    \
    X(CHRONIC, "chronic_illness", BOOL, "", 0, 0, NULL, "has a chronic illness")                     \
    X(CANCER, "cancer", BOOL, "", 0, 0, NULL, "has cancer")                                          \
    X(CONDITIONS, "conditions", LIST, "", 0, 0, NULL, "diagnosed conditions")                        \
    X(CANCER_UNRESP, "cancer_unresponsive", BOOL, "", 0, 0, NULL, "cancer not responsive to treatment") \
    X(ECOG, "ecog", INTEGER, "", 0, 4, NULL, "ECOG / WHO performance status")                        \
    X(LIFE_EXP, "life_expectancy_months", NUMBER, "months", 0, 600, NULL, "expected survival")       \
    X(FATIGUE, "fatigue", BOOL, "", 0, 0, NULL, "fatigue")                                           \
    X(ANOREXIA, "anorexia", BOOL, "", 0, 0, NULL, "anorexia (poor appetite)")                        \
    X(REDUCED_STRENGTH, "reduced_strength", BOOL, "", 0, 0, NULL, "decreased muscle strength")       \
    X(LOW_MAMC, "low_mamc", BOOL, "", 0, 0, NULL, "mid-arm muscle circumference < 10th percentile")  \
    X(METABOLIC, "metabolic_change", BOOL, "", 0, 0, NULL, "metabolic change (e.g. insulin resistance)") \
    X(REDUCED_INTAKE, "reduced_intake", BOOL, "", 0, 0, NULL, "reduced food intake or assimilation") \
    X(INFLAMMATION, "inflammation", BOOL, "", 0, 0, NULL, "inflammation (acute or chronic disease)") \
    X(ENERGY, "energy_intake_kcal_kg_day", NUMBER, "kcal/kg/day", 0, 100, NULL, "energy intake")     \
    X(INTAKE_PCT, "intake_pct_usual", NUMBER, "%", 0, 200, NULL, "intake as % of usual")             \
    X(CRP, "crp_mg_l", NUMBER, "mg/L", 0, 500, NULL, "C-reactive protein")                           \
    X(IL6, "il6_pg_ml", NUMBER, "pg/mL", 0, 10000, NULL, "interleukin-6")                            \
    X(HB, "hemoglobin_g_dl", NUMBER, "g/dL", 2, 25, NULL, "haemoglobin")                             \
    X(ALBUMIN, "albumin_g_dl", NUMBER, "g/dL", 0.5, 7, NULL, "serum albumin")                        \
    X(HISTORY, "weight_history", HISTORY, "", 0, 0, NULL, "dated weights [{date, weight_kg}]")       \
    X(WL6, "weight_loss_pct_6m", NUMBER, "%", -50, 80, NULL, "weight lost in 6 months (loss > 0)")   \
    X(WL12, "weight_loss_pct_12m", NUMBER, "%", -50, 80, NULL, "weight lost in 12 months (loss > 0)") \
    X(EGFR, "egfr_ml_min_1_73m2", NUMBER, "mL/min/1.73m2", 1, 200, NULL, "eGFR")                     \
    X(DIALYSIS, "dialysis", BOOL, "", 0, 0, NULL, "on dialysis")                                     \
    X(ACTIVITY, "activity_level", ENUM, "", 0, 0, "sedentary|low|moderate|high", "physical activity") \
    X(IMMOBILIZED, "immobilized_days", NUMBER, "days", 0, 90, NULL, "bed rest / cast, last 3 months") \
    X(ASYMMETRIC, "asymmetric_wasting", BOOL, "", 0, 0, NULL, "one limb noticeably smaller")         \
    X(FASCICULATIONS, "fasciculations", BOOL, "", 0, 0, NULL, "muscle twitching")                    \
    X(DYSPNEA, "dyspnea", BOOL, "", 0, 0, NULL, "difficulty breathing")                              \
    X(MEDICATIONS, "medications", LIST, "", 0, 0, NULL, "medications (free-text names)")             \
    X(TESTOSTERONE, "testosterone_ng_dl", NUMBER, "ng/dL", 0, 2000, NULL, "total testosterone")      \
    X(LIFT_LOAD, "lift_load_kg", NUMBER, "kg", 1, 500, NULL, "submaximal lift load (for 1RM)")       \
    X(LIFT_REPS, "lift_reps", INTEGER, "", 1, 30, NULL, "repetitions of that lift")                \
    X(LOW_INTAKE_DAYS, "low_intake_days", NUMBER, "days", 0, 365, NULL,                              \
      "days of little or no food intake, up to today")                                              \
    X(POTASSIUM, "potassium_mmol_l", NUMBER, "mmol/L", 1, 10, NULL, "serum potassium")              \
    X(PHOSPHATE, "phosphate_mmol_l", NUMBER, "mmol/L", 0.1, 5, NULL, "serum phosphate")             \
    X(MAGNESIUM, "magnesium_mmol_l", NUMBER, "mmol/L", 0.1, 5, NULL, "serum magnesium")             \
    X(ALCOHOL_MISUSE, "alcohol_misuse", BOOL, "", 0, 0, NULL, "alcohol misuse (history or current)") \
    X(PREGNANT, "pregnant", BOOL, "", 0, 0, NULL, "currently pregnant")                             \
    X(AMPUTATION, "amputation", ENUM, "", 0, 0,                                                      \
      "none|hand|below_elbow|above_elbow|foot|below_knee|above_knee|hip",                           \
      "highest level of a limb amputation (one limb)")                                               \
    X(AMPUTATION_BILATERAL, "amputation_bilateral", BOOL, "", 0, 0, NULL,                           \
      "the same amputation on both sides")                                                           \
    X(AMPUTATION_PCT, "amputation_pct", NUMBER, "%", 0, 60, NULL,                                   \
      "percentage of body weight missing through amputation")                                        \
    X(EDEMA, "edema_or_ascites", BOOL, "", 0, 0, NULL, "oedema or ascites (fluid adds weight)")     \
    X(FAT_PCT, "fat_mass_pct", NUMBER, "%", 3, 75, NULL, "body fat as % of weight")                  \
    X(FAT_KG, "fat_mass_kg", NUMBER, "kg", 1, 250, NULL, "fat mass")                                \
    X(WAIST, "waist_cm", NUMBER, "cm", 40, 250, NULL, "waist circumference")                        \
    X(AMPUTATION_ADJUSTED, "amputation_adjusted", BOOL, "", 0, 0, NULL,                             \
      "muscle masses (asm_kg, smm_kg, ffm_kg) and calf are adjusted for the amputation (whole body)") \
    X(SARCOPENIA_SUSPECTED, "sarcopenia_suspected", BOOL, "", 0, 0, NULL,                           \
      "clinical suspicion of low muscle mass or function (symptoms, risk factors)")                 \
    X(OBESITY_COMPLICATIONS, "obesity_complications", BOOL, "", 0, 0, NULL,                         \
      "a complication of altered body composition: metabolic, cardiovascular, respiratory or disabling")

enum {
#define SARX__F_ENUM(N, name, kind, unit, lo, hi, vals, desc) SARX__F_##N,
    SARX__FIELDS(SARX__F_ENUM)
#undef SARX__F_ENUM
    SARX__F_COUNT
};

/* Measures = the canonical scalar fields (same numbers) + derived values. */
enum {
    SARX__M_BMI = SARX__F_COUNT,
    SARX__M_ASMI,
    SARX__M_ALM_BMI,
    SARX__M_SMI,
    SARX__M_FFMI,
    SARX__M_WL6,        /* effective 6-month loss: explicit input, else history */
    SARX__M_WL12,
    SARX__M_SF_TOTAL,   /* SARC-F total, an interval when items are missing */
    SARX__M_CALF_TOTAL, /* SARC-CalF total */
    SARX__M_MAMC,
    SARX__M_ILLNESS,    /* Evans' underlying illness, 0/1 (measures.c, from the vocabulary of conditions) */
    SARX__M_INFLAM,     /* GLIM's disease-related inflammation, 0/1 (likewise) */
    SARX__M_CANCER,     /* cancer known, 0/1 (likewise) */
    SARX__M_FAT_PCT,    /* body fat, % of weight: fat_mass_pct, else 100 fat_mass_kg / weight_kg */
    SARX__M_ASM_WEIGHT, /* ALM/W: 100 asm_kg / weight_kg */
    SARX__M_SMM_WEIGHT, /* 100 smm_kg / weight_kg */
    SARX__M_WEIGHT_EST, /* whole-body weight: weight_kg, or corrected for an amputation (an interval) */
    SARX__M_COUNT
};
#define SARX__DERIVED_FIRST SARX__M_BMI

/* Enum codes as stored in the subject (NaN = missing). */
#define SARX__MALE 1
#define SARX__FEMALE 2
#define SARX__DXA 1
#define SARX__BIA 2
#define SARX__GENERAL 1
#define SARX__ASIAN 2

_Static_assert(SARX__F_COUNT <= 128, "sarx__set holds 128 fields");
/* The SARC-F items: SARX__SF_ITEMS consecutive fields from SARX__F_SF_STRENGTH. */
#define SARX__SF_ITEMS 5
_Static_assert(SARX__F_SF_FALLS == SARX__F_SF_STRENGTH + SARX__SF_ITEMS - 1, "the SARC-F items are consecutive fields");
_Static_assert(SARX__M_COUNT < 32768, "measures fit the row table");

/* A set of canonical fields (missing inputs). */
typedef struct sarx__set {
    uint64_t w[2];
} sarx__set;
static inline void sarx__set_add(sarx__set *s, int f) { s->w[f >> 6] |= (uint64_t)1 << (f & 63); }
static inline int sarx__set_has(const sarx__set *s, int f) { return (int)((s->w[f >> 6] >> (f & 63)) & 1u); }
static inline void sarx__set_or(sarx__set *d, const sarx__set *s) { d->w[0] |= s->w[0]; d->w[1] |= s->w[1]; }
static inline int sarx__set_empty(const sarx__set *s) { return !(s->w[0] | s->w[1]); }

/* ---- fields.c ---- */
typedef struct sarx__alias {
    const char *name;
    int field;      /* canonical field */
    double scale;   /* canonical = value * scale */
    const char *unit;
    const char *cite;
} sarx__alias;
extern const sarx_field_info sarx__field_info[];  /* canonical then aliases */
extern const sarx__alias sarx__aliases[];
extern const size_t sarx__alias_count;
/* Find a field by name: returns the canonical field and sets *alias to the
** alias index (or -1 for the canonical name).  -1 when unknown. */
int sarx__field_lookup(const char *name, size_t len, int *alias);
/* The closest known field name to a misspelt one, or NULL. */
const char *sarx__field_suggest(const char *name);
const char *sarx__measure_name(int m);
const char *sarx__measure_unit(int m);
int sarx__derived_lookup(const char *name);

/* ---- error.c ---- */
int sarx__err(sarx_error *e, int code, const char *field, const char *value,
              const char *allowed, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
void sarx__fmt_num(char *buf, size_t n, double v); /* %.15g, "null" for NaN */
/* "%.<prec>f" or "%.<prec>g" of one double, locale-independent (the radix
** is always '.'); conv is 'f' or 'g'. */
void sarx__fmt(char *buf, size_t n, char conv, int prec, double v);
/* For people: at most 3 decimals, trailing zeros removed, never "-0". */
void sarx__fmt_short(char *buf, size_t n, double v);
size_t sarx__utf8_len(const unsigned char *p, size_t n); /* 0 if invalid */
int sarx__utf8_valid(const char *s, size_t n);
/* ASCII-only character classes: never the process locale's. */
static inline int sarx__space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static inline int sarx__lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
/* A letter or digit in the ASCII sense: what a whole word is made of (conditions.c, guidance_lists.c). */
static inline int sarx__word_char(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* Kernels chosen at run time by processor feature (__builtin_cpu_supports,
** target attributes): GCC or clang on x86-64.  Every such choice (batch.c,
** cells8.c, cohort.c, csv.c, sim/pool.c) uses this one condition. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define SARX__X86_DISPATCH 1
#endif
/* A helper inlined into each of its callers, whatever their target, so
** that a baseline helper compiles into the wider variants too. */
#if defined(SARX__X86_DISPATCH)
#define SARX__ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define SARX__ALWAYS_INLINE inline
#endif

/* ---- numparse.c ---- */
/* Parse a whole number text in the C locale; no leading/trailing junk. */
int sarx__parse_number(const char *s, size_t len, int decimal_comma, double *out);
extern const double sarx__pow10[23]; /* 1e0 .. 1e22, each exact */
/* The usual number cell, inline: [+-]digits[sep digits], 1-15 digits in all,
** no exponent ("72.5", "-3", "5."): every digit into one integer, divided by
** 10^(digits after the separator), a single IEEE operation and so correctly
** rounded.  1 and *out set when the text has that form; 0 otherwise, for
** sarx__parse_number to decide (it takes this path first itself). */
static inline int sarx__parse_plain(const char *s, size_t len, char sep, double *out)
{
    size_t i = 0, j, nd, frac = 0;
    uint64_t m = 0;
    int neg = 0;
    double v;
    if (len && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    for (j = i; j < len && (unsigned)(s[j] - '0') < 10u; j++)
        m = m * 10 + (uint64_t)(s[j] - '0');
    nd = j - i;
    if (j < len && s[j] == sep) {
        size_t k = ++j;
        for (; j < len && (unsigned)(s[j] - '0') < 10u; j++)
            m = m * 10 + (uint64_t)(s[j] - '0');
        frac = j - k;
        nd += frac;
    }
    if (j != len || nd == 0 || nd > 15)
        return 0;
    v = frac ? (double)m / sarx__pow10[frac] : (double)m;
    *out = neg ? -v : v;
    return 1;
}
/* Parse YYYY-MM-DD to days since 1970-01-01. */
int sarx__parse_date(const char *s, size_t len, int *days);
void sarx__date_format(int days, char out[11]);
int sarx__date_minus_months(int days, int months);

/* ---- conditions.c: the one vocabulary of conditions ----
** What a `conditions` item means for the rules: GLIM's inflammation
** criterion, Evans' underlying illness, Fearon's cancer, and the guidance's
** causes (docs/DECISIONS.md, "The vocabulary of conditions").  An item is a
** free-text phrase ("COPD GOLD 3", "no cancer") or a coded entry
** "icd10:N18.4" (JSON {"system": "icd10", "code": "N18.4"}). */
enum {
    SARX__CC_UNKNOWN = 0,      /* not in the vocabulary, or uncertain ("suspected"), or past ("history of") */
    SARX__CC_NONE,             /* not the person's: a relative's (family history) */
    SARX__CC_NOT_INFLAMMATORY, /* known, and not disease-related inflammation (hypertension, pregnancy) */
    SARX__CC_CHRONIC,          /* chronic disease-related inflammation (cancer, COPD, heart failure, CKD) */
    SARX__CC_ACUTE             /* acute disease or injury with inflammation (sepsis, burns, major trauma) */
};
/* Groups, for the rules and the guidance's causes. */
#define SARX__CG_CANCER 0x001u        /* a malignant neoplasm */
#define SARX__CG_CKD 0x002u           /* chronic kidney disease */
#define SARX__CG_NEURO 0x004u         /* nerve or motor-neuron disease (neurogenic muscle loss) */
#define SARX__CG_HORMONE 0x008u       /* an endocrine cause of muscle loss */
#define SARX__CG_PREGNANCY 0x010u
#define SARX__CG_AMPUTATION 0x020u
#define SARX__CG_LIVER 0x040u
#define SARX__CG_HEART_FAILURE 0x080u
#define SARX__CG_LUNG 0x100u
typedef struct sarx__cond_info {
    int cls;             /* SARX__CC_* */
    unsigned groups;     /* SARX__CG_* of every term the item asserts */
    unsigned possible;   /* SARX__CG_* of terms mentioned as uncertain or past, not negated ("possible
                         ** pregnancy", "history of CKD"): for safety rules that must not assume absence */
    const char *meaning; /* of the first term matched ("chronic kidney disease"), else why it is unknown */
    const char *cite;    /* where the class comes from */
} sarx__cond_info;
void sarx__condition_classify(const char *item, sarx__cond_info *out);
/* Whether text holds word as a whole word (a keyword in lower case matches
** any case; one with a capital is an acronym matched exactly; a trailing '*'
** matches any ending); has_any: one of a NULL-terminated list. */
int sarx__has_word(const char *text, const char *word);
int sarx__has_any(const char *text, const char *const *words);
/* A list's conditions at a glance, for the derived measures. */
#define SARX__CS_ANY 1u      /* the list is not empty */
#define SARX__CS_INFLAM 2u   /* an item is chronic or acute inflammatory */
#define SARX__CS_CHRONIC 4u  /* an item is chronic inflammatory (a cachexia-associated illness) */
#define SARX__CS_CANCER 8u   /* an item is a malignant neoplasm */
#define SARX__CS_UNKNOWN 16u /* an item sarx cannot classify */
#define SARX__CS_PREGNANCY 32u
#define SARX__CS_AMPUTATION 64u
unsigned sarx__conditions_summary(char *const *items, size_t n);
/* Whether a coded entry's text ("N18.4") is an ICD-10 code as sarx reads
** it: a letter, two digits (or a digit and a letter), then optionally a dot
** and one to four letters or digits. */
int sarx__icd10_valid(const char *code, size_t len);

/* ---- subject.c ---- */
typedef struct sarx__weight {
    int day;
    double kg;
} sarx__weight;
typedef struct sarx__list {
    char **item;
    size_t n, cap;
} sarx__list;
struct sarx_subject {
    double v[SARX__F_COUNT];         /* scalar canonical values; NaN = missing */
    signed char via[SARX__F_COUNT];  /* -2 unset, -1 canonical name, >= 0 alias index */
    char *id;        /* NULL, or idbuf when the id is given */
    char *idbuf;     /* kept across sarx_subject_clear (a subject reused row after row) */
    size_t idcap;
    sarx__list conditions, medications;
    sarx__weight *hist;
    size_t nhist, caphist;
};
int sarx__subject_set_field(sarx_subject *s, int field, int alias, double value, sarx_error *err);
/* The subject from JSON text (json.c): through jansson, the reference that
** words every error; and the fast reading of a clean flat object
** (json_fast.c), which returns SARX_OK or, for anything it does not read
** itself or any error, SARX_EINVAL with nothing reported (the caller then
** reads the text the slow way). */
int sarx__subject_from_json_slow(sarx_subject *s, const char *text, size_t len, sarx_error *err);
int sarx__subject_from_json_fast(sarx_subject *s, const char *text, size_t len);
/* Field index i (sarx_field_index, sarx_field_at) as the field it sets and
** the alternate name it was given by (-1: the canonical one); 0 when i is
** out of range (fields.c). */
int sarx__field_split(long i, int *f, int *alias);
/* sarx_subject_set_json for a key already looked up (sarx__field_lookup:
** field f, -1 when unknown, and alias); text not NULL. */
int sarx__subject_set_json_at(sarx_subject *s, int f, int alias, const char *key, size_t keylen, int type,
                              const char *text, size_t len, sarx_error *err);
/* json.c: a JSON value's kind in words ("a number", "text", "a list", ...)
** and a short text form of it (a string quoted), for messages. */
struct json_t;
const char *sarx__json_type_name(const struct json_t *v);
void sarx__json_value_text(const struct json_t *v, char *buf, size_t n);
/* Whether two subjects hold the same values, bit for bit (subject.c). */
int sarx__subject_same(const sarx_subject *a, const sarx_subject *b);
/* 2 when t is a JSON integer, 1 another JSON number, 0 not a JSON number. */
int sarx__json_number_kind(const char *t, size_t n);
/* Checks across fields once a record is complete (e.g. SARC-F total vs items). */
int sarx__subject_finish(const sarx_subject *s, sarx_error *err);
/* The SARC-F part of it: total against the five items (field order, NaN = missing). */
int sarx__sarc_f_check(double total, const double *item, sarx_error *err);
/* Fat mass given both ways: fat_mass_pct against 100 fat_mass_kg / weight_kg
** (NaN = missing; no check unless all three are known); more than 1
** percentage point apart is a conflict. */
int sarx__fat_check(double pct, double kg, double weight, sarx_error *err);
/* A weight history longer than this is an input error (bounds the work an
** HTTP request can cause; ten years of weekly weights fit easily). */
#define SARX__MAX_HISTORY 1000
#define SARX__STR_(x) #x
#define SARX__STR(x) SARX__STR_(x)
/* Compare v with threshold t: 0 when within sarx__tolerance(t) (equal). */
int sarx__cmp(double v, double t);
/* How near threshold t a value counts as equal to it: 1e-9 * max(1, |t|)
** (definitions.md §1, boundaries); sarx__cmp's and the batch's. */
static inline double sarx__tolerance(double t) { return 1e-9 * (fabs(t) > 1.0 ? fabs(t) : 1.0); }
/* sarx_subject_set_text by field index (alias -1 = canonical name). */
int sarx__subject_set_text_at(sarx_subject *s, int field, int alias, const char *text, size_t len, unsigned flags,
                              sarx_error *err);
/* The value of a BOOL (1/0) or ENUM (its code) cell, already trimmed:
** 1 and *v set when the text is allowed, 0 otherwise (and for other kinds). */
int sarx__text_code(const sarx_field_info *fi, const char *text, size_t len, double *v);
/* Set an ENUM, DATE or STRING field from text (the JSON decoder's strings). */
int sarx__subject_set_string(sarx_subject *s, int field, int alias, const char *text, size_t len,
                             sarx_error *err);

/* ---- batch.c: SARX__LANES subjects at once ---- */
/* A batch's lanes: whole 64-bit words of them (SARX__LWORDS), as many as
** SARX_COHORT_BATCH.  Lane i is bit i % 64 of word i / 64 in every mask. */
#define SARX__LANES SARX_COHORT_BATCH
#define SARX__LWORDS (SARX__LANES / 64)
_Static_assert(SARX__LANES % 64 == 0 && SARX__LANES >= 64 && SARX__LANES <= 512, "a batch is 1 to 8 words of lanes");
#define SARX__MAX_CATS 16 /* categories per definition; checked when the context is built */
typedef struct sarx__batch sarx__batch; /* scratch for one thread */
sarx__batch *sarx__batch_new(void);
void sarx__batch_free(sarx__batch *b);
/* 1: the baseline (SSE2) kernels and combiner; 0: the widest the processor has. */
void sarx__batch_use_baseline(sarx__batch *b, int baseline);
/* Classify n <= SARX__LANES subjects: out[i * ndefs + d].  ok[i] is 0 (and errs[i]
** set) for a subject that fails the cross-field checks.  The results equal
** sarx_classify's for each subject.  No library code calls it since the
** cohort reads its cells straight into the columns: it is the tests' way
** to hold the column classifier to sarx_classify, weight histories
** included. */
void sarx__classify_batch(const sarx_ctx *ctx, sarx__batch *b, sarx_subject *const *s, int n, sarx_class *out,
                          unsigned char *ok, sarx_error *errs);
/* The columnar form, for callers that parse straight into the batch: lane i
** of column f (sarx__batch_column, SARX__LANES doubles) holds input field f
** of row i, NaN when missing; sarx__batch_conditions (SARX__LANES bytes)
** holds in byte i row i's sarx__conditions_summary (SARX__CS_* bits; 0 for
** no list), which the caller writes for every lane.  A new batch holds NaN everywhere,
** and only the caller writes input columns.  Rows must pass the cross-field
** checks (sarx__subject_finish) and have no weight history.  Classifies the
** lanes in `lanes` (SARX__LWORDS words; lanes below n) into
** out[i * ndefs + d] for i < n. */
double *sarx__batch_column(sarx__batch *b, int field);
unsigned char *sarx__batch_conditions(sarx__batch *b);
void sarx__classify_columns(const sarx_ctx *ctx, sarx__batch *b, const uint64_t *lanes, int n, sarx_class *out);
/* out[] (n rows of ndefs) from the batch's per-definition pairs (batch.c);
** wide 0: the portable path, for the tests. */
void sarx__class_transpose(const uint64_t (*stage)[64][2], size_t ndefs, int n, sarx_class *out, int wide);
/* For the tests: the derived measures' columns from the input columns (lo
** from sarx__batch_column, hi here), with the kernels sarx__batch_use_baseline
** chose.  hi holds values only for the measures that can be intervals
** (sarx__measure_interval); the others' are never read. */
void sarx__batch_derive(sarx__batch *b);
const double *sarx__batch_hi(const sarx__batch *b, int measure);
/* For the tests: the lanes where x[i] op t holds (SARX__LT .. SARX__IS), by
** the kernel sarx__batch_use_baseline chose, for the first nw words of
** lanes, into out[0 .. SARX__LWORDS - 1] (the words past nw empty). */
void sarx__batch_compare(sarx__batch *b, int op, const double *x, double t, int nw, uint64_t *out);
/* The last batch's results as masks, a word of 64 lanes at a time, for
** counting without a pass over lanes: masks[w] has bit j for lane
** 64 w + j; per definition, the lanes of each category (slot
** SARX__MAX_CATS = indeterminate) and the complete lanes; ok = the lanes
** classified.  Equal to out[] and ok[] of that call.  The pointer is to
** SARX__LWORDS of them. */
typedef struct sarx__masks {
    uint64_t ok;
    uint64_t cat[64][SARX__MAX_CATS + 1];
    uint64_t complete[64];
} sarx__masks;
const sarx__masks *sarx__batch_masks(const sarx__batch *b);

/* ---- measures.c ---- */
#define SARX__W_HISTORY_OVERRIDE 1u
#define SARX__W_HISTORY_FUTURE 2u
#define SARX__W_SMI_EQUATION 4u
#define SARX__W_WEIGHT_FROM_HISTORY 8u
#define SARX__W_SARC_F_PARTIAL 16u
/* Measured values the rules do not take at face value (issue 26: measures.c
** decides, assess.c words the warnings, docs/DECISIONS.md). */
#define SARX__W_PREGNANT 32u            /* weight- and BMI-based values do not apply */
#define SARX__W_PREGNANT_LISTED 64u     /* pregnant false, but a pregnancy among the conditions */
#define SARX__W_AMPUTATION 128u         /* weight corrected for the limb lost (Osterkamp 1995) */
#define SARX__W_AMPUTATION_MASS 256u    /* muscle mass and calf not adjusted: not used */
#define SARX__W_AMPUTATION_LEVEL 512u   /* an amputation listed without its level */
#define SARX__W_AMPUTATION_NONE 1024u   /* amputation none, but one among the conditions */
#define SARX__W_FLUID 2048u             /* oedema or ascites: weight-based judgements provisional */
#define SARX__W_ASM_METHOD_ASSUMED 4096u /* asm_kg without asm_method: read as DXA */
#define SARX__W_ASM_BIA 8192u           /* asm_kg by BIA: DXA-derived cut-offs provisional */
typedef struct sarx__vals {
    double lo[SARX__M_COUNT], hi[SARX__M_COUNT]; /* lo == hi when known; NaN when missing */
    sarx__set need[SARX__M_COUNT];                /* inputs that would fix an unknown value */
    unsigned warn;
    int want_need; /* 0: need[] is not maintained (classification only) */
} sarx__vals;
void sarx__measure(const sarx_subject *s, sarx__vals *out);
/* The reference weight of a weight-loss window: the earliest weight of the
** history dated in [assessment_date - months, assessment_date); NaN when
** there is none or no date. */
double sarx__history_reference(const sarx_subject *s, int months);
/* The same without need[] (faster; for classification, which never reads it). */
void sarx__measure_values(const sarx_subject *s, sarx__vals *out);
/* The same leaving out the parts of measure() whose values no row of a
** context reads (their values NaN): skip from sarx__measure_skip(ctx->used,
** ctx->nused), kept in the context (sarx_classify). */
#define SARX__MS_WHOLE 0x001u      /* whole-body weight and BMI */
#define SARX__MS_ASMI 0x002u
#define SARX__MS_FFMI 0x004u
#define SARX__MS_ALM_BMI 0x008u
#define SARX__MS_SMI 0x010u
#define SARX__MS_WL6 0x020u
#define SARX__MS_WL12 0x040u
#define SARX__MS_SARC_F 0x080u     /* SARC-F total */
#define SARX__MS_CALF 0x100u       /* SARC-CalF total */
#define SARX__MS_MAMC 0x200u
#define SARX__MS_FAT 0x400u
#define SARX__MS_PER_WEIGHT 0x800u /* ASM and SMM as % of weight */
void sarx__measure_some(const sarx_subject *s, sarx__vals *out, unsigned skip);
unsigned sarx__measure_skip(const int *used, int nused);
/* Whether measure m can be an interval (lo < hi); otherwise lo == hi or NaN. */
int sarx__measure_interval(int m);
/* The percentage of body weight lost through amputation, as [lo, hi]
** (measures.c, Osterkamp 1995): amputation_pct when given, else the
** level's published segments (doubled when bilateral), 0 without an
** amputation, NaN when a listed amputation (SARX__CS_AMPUTATION in cs) has
** no level.  Inputs as stored (NaN = missing). */
void sarx__amputation_range(double pct, double level, double bilateral, unsigned cs, double *lo, double *hi);
/* measure()'s whole-body weight and set-aside values on a batch's columns
** (batch.c, after either derive kernel), lanes 0 .. n - 1: x the lo
** columns (inputs, then the kernels' derived values), y the hi ones, cs
** each lane's conditions summary.  Lanes without an amputation keep the
** kernels' values (weight / (1 - 0 / 100) is the weight); an input column
** set aside (asm_kg after an amputation) is overwritten with NaN: the
** caller writes every input column again for its next rows. */
void sarx__set_aside_columns(double (*x)[SARX__LANES], double (*y)[SARX__LANES], const unsigned char *cs, int n);
/* Pregnant: pregnant true, or a pregnancy among the conditions. */
static inline int sarx__pregnant(double pregnant, unsigned cs)
{
    return pregnant == 1.0 || (cs & SARX__CS_PREGNANCY);
}
/* Why measure m is not used for this person (pregnancy, an unadjusted
** amputation), for the renderers; NULL when it is. */
const char *sarx__measure_void(const sarx__vals *v, int m);
/* How fluid (oedema, ascites) moves a measure: SARX__FLUID_UP (it adds to
** it: weight, BMI, waist, calf), SARX__FLUID_DOWN (a mass per weight, fat
** %), SARX__FLUID_BOTH (a change of weight over time), or 0. */
enum { SARX__FLUID_UP = 1, SARX__FLUID_DOWN = 2, SARX__FLUID_BOTH = 3 };
int sarx__measure_fluid(int m);

/* SARC-CalF calf points: +10 below these (cm).  AWGS 2019 (Chen et al.,
** JAMDA 2020;21:300) case-finding cut-offs, as used for SARC-CalF
** (Barbosa-Silva et al., JAMDA 2016;17:1136). */
#define SARX__CALF_CUT_M 34.0
#define SARX__CALF_CUT_F 33.0

/* ---- definition tables (defs/<id>.c) ---- */
enum { SARX__ANY = 0 }; /* sex of a row: SARX__ANY, SARX__MALE, SARX__FEMALE */
enum { SARX__LT, SARX__LE, SARX__GT, SARX__GE, SARX__IS };
/* When a row applies. */
#define SARX__W_DXA 1u        /* asm_method is dxa (the default) */
#define SARX__W_BIA 2u        /* asm_method is bia */
#define SARX__W_GENERAL 4u    /* population general (the default) */
#define SARX__W_ASIAN 8u      /* population asian */
#define SARX__W_AGE_LT70 16u  /* age < 70 years */
#define SARX__W_AGE_GE70 32u  /* age >= 70 years */
#define SARX__W_NO_HEIGHT 64u /* only when height is not known */
#define SARX__W_NO_WL12 128u  /* only when the 12-month loss is not known */
#define SARX__W_FALLBACK (SARX__W_NO_HEIGHT | SARX__W_NO_WL12)
#define SARX__W_ONLY_MET 256u /* decides only when met: "unable" flags whose "no"
                              ** says the test was finished, not that it was normal */

typedef struct sarx__row {
    const char *id;
    const char *crit;
    int measure;
    int sex;
    int op;
    double threshold;
    const char *unit;
    unsigned when;
    const char *cite;
} sarx__row;
typedef struct sarx__crit {
    const char *id;
    const char *text;
} sarx__crit;
typedef struct sarx__macro {
    const char *name;
    const char *rule;
} sarx__macro;
typedef struct sarx__cat {
    const char *name;
    int positive;       /* 1 when the category counts as "has the condition"
                        ** (the sarcopenia-or-not reading used for agreement) */
    const char *rule;   /* Kleene expression over criteria and macros */
    const char *note_m; /* published note shown with the category, per sex */
    const char *note_f;
} sarx__cat;
typedef struct sarx__def {
    const char *id, *title, *version, *kind, *citation, *notes;
    const sarx__crit *crits;
    size_t ncrit;
    const sarx__macro *macros;
    size_t nmacro;
    const sarx__row *rows;
    size_t nrow;
    const sarx__cat *cats;
    size_t ncat;
} sarx__def;
#define SARX__N(a) (sizeof(a) / sizeof((a)[0]))
#define SARX__DEF_TABLES(crits, macros, rows, cats) \
    crits, SARX__N(crits), macros, SARX__N(macros), rows, SARX__N(rows), cats, SARX__N(cats)
#define SARX__DEF_TABLES_PLAIN(crits, rows, cats) \
    crits, SARX__N(crits), NULL, 0, rows, SARX__N(rows), cats, SARX__N(cats)

/* The registry, in display order (defs.c). */
extern const sarx__def *const sarx__defs[];
extern const size_t sarx__ndefs;

/* ---- expr.c: tri-state rules ---- */
enum { SARX__OP_VAR, SARX__OP_NOT, SARX__OP_AND, SARX__OP_OR, SARX__OP_ATLEAST };
typedef struct sarx__prog {
    int *code;
    size_t n;
    uint32_t refs; /* criteria referenced */
} sarx__prog;
int sarx__compile(const sarx__def *d, const char *rule, sarx__prog *out, sarx_error *err);
int sarx__run(const sarx__prog *p, const unsigned char *crit_status);

/* ---- defs.c: compiled definitions ---- */
#define SARX__MAX_ROWS 128 /* per definition; checked when the context is built */
#define SARX__MAX_CMP 512  /* distinct comparisons over all definitions; checked likewise */
#define SARX__MAX_ENV 64   /* distinct row conditions over all definitions; checked likewise */
/* The when bits that say which lanes a row applies to (batch.c). */
#define SARX__W_ENV                                                                                                   \
    (SARX__W_DXA | SARX__W_BIA | SARX__W_GENERAL | SARX__W_ASIAN | SARX__W_AGE_LT70 | SARX__W_AGE_GE70 |           \
     SARX__W_NO_HEIGHT | SARX__W_NO_WL12)
struct sarx_definition {
    const sarx__def *d;
    int *row_crit;     /* criterion index of each row */
    int *row_cmp;      /* comparison index of each row (sarx_ctx.cmp) */
    int *row_env;      /* condition index of each row (sarx_ctx.env) */
    sarx__prog *cat;   /* compiled category rules */
    int fallback_crit; /* the one criterion with fallback rows, -1 if none or several */
};
struct sarx_ctx {
    struct sarx_definition *defs;
    size_t ndefs;
    size_t max_rows, max_crits, max_cats;
    int used[SARX__M_COUNT]; /* the measures some row or condition reads (batch.c) */
    int nused;
    unsigned measure_skip;   /* the parts of measure() none of them needs (sarx__measure_skip) */
    int span[SARX__M_COUNT]; /* those of them that can be intervals (sarx__measure_interval) */
    int nspan;
    /* The distinct comparisons (measure, operator, threshold) of all rows:
    ** the batch evaluates each once per batch, whichever rows share it. */
    struct sarx__cmp_row {
        int measure, op;
        double threshold;
    } cmp[SARX__MAX_CMP];
    int ncmp;
    /* The distinct conditions (sex, and the when bits of SARX__W_ENV) of
    ** all rows: the batch works out each one's lanes once per batch. */
    struct sarx__env_row {
        int sex;
        unsigned when;
    } env[SARX__MAX_ENV];
    int nenv;
};
/* -- sarx_ctx_select (item 17 of issue 27) -- */
/* A context of the definitions defs[0 .. n) in that order, compiled as
** sarx_ctx_new compiles the registry (defs.c); select.c builds a selection
** with it. */
int sarx__ctx_build(const sarx__def *const *defs, size_t n, sarx_ctx **out, sarx_error *err);
/* -- end sarx_ctx_select -- */

/* ---- assess.c ---- */
typedef struct sarx__eval {
    int category;        /* index, or -1 = indeterminate */
    int complete;
    sarx__set missing;
    unsigned char *crit; /* sarx_tri per criterion */
    unsigned char *row;  /* sarx_row_status per row */
    unsigned char *cat;  /* sarx_tri per category rule */
    uint32_t provisional; /* criteria decided only by a fallback row */
} sarx__eval;
/* Evaluate one definition; scratch arrays are supplied by the caller. */
/* want_missing = 0 skips the missing-input search when completeness is
** already known (sarx_classify). */
void sarx__evaluate(const struct sarx_definition *def, const sarx__vals *v, sarx__eval *out, int want_missing);
double sarx__row_value(const sarx__row *r, const sarx__vals *v);
/* A row's judgements that are provisional for some persons, like a
** fallback row's (assess.c; the batch applies the same): met (SOFT_MET) or
** not met (SOFT_NOT) decided only by such rows makes the criterion
** provisional, and the result incomplete when that criterion could change
** it.  sarx__row_fluid: with oedema or ascites, a row on a value fluid
** moves (sarx__measure_fluid), on the side fluid could have moved across
** the cut-off.  sarx__row_dxa: a cut-off derived from DXA on a muscle mass
** (asm_kg and the indexes from it), both sides when the mass is by BIA. */
#define SARX__SOFT_MET 1u
#define SARX__SOFT_NOT 2u
unsigned sarx__row_fluid(const sarx__row *r);
int sarx__row_dxa(const sarx__def *d, const sarx__row *r);
/* Why a row's value is not taken at face value for this person (not used,
** provisional, or read with an assumption), for the renderers; NULL when
** nothing is to be said.  st: the row's sarx_row_status. */
const char *sarx__row_note(const sarx__def *d, const sarx__row *r, const sarx__vals *v, int st);
/* Whether a category says the definition does not apply to the person (its
** name is "not_applicable", e.g. Fearon 2011 without cancer): the cohort
** counts such rows apart, outside the positive reading's denominator. */
int sarx__cat_not_applicable(const sarx__cat *c);

/* ---- guidance.c ---- */
typedef struct sarx__guide sarx__guide;
int sarx__guide_build(const sarx_assessment *a, const sarx_subject *s, sarx__guide **out);
void sarx__guide_free(sarx__guide *g);
size_t sarx__guide_count(const sarx__guide *g);
const sarx_guide_item *sarx__guide_item(const sarx__guide *g, size_t i);
double sarx__guide_plan(const sarx__guide *g, const char *name);
int sarx__assessment_has_guide(const sarx_assessment *a); /* assess.c */

/* Internal views of an assessment for the renderers (assess.c). */
const sarx__vals *sarx__assessment_vals(const sarx_assessment *a);
const sarx__eval *sarx__result_eval(const sarx_result *r);
/* The catalogue as JSON (json.c). */
char *sarx__catalogue_json(const sarx_ctx *ctx);

extern const char *const sarx__tri_name[3];
extern const char *const sarx__row_status_name[5];
extern const char *const sarx__op_name[5];
const char *sarx__when_text(unsigned when);

/* ---- cells8.c: one column's cells of eight rows at once (sarx_cohort_classify) ---- */
#define SARX__WORDS 8 /* usual words per true/false or enumerated column */
/* How a number or word column is read.  A number column (code 0) is read
** as numbers in [lo, hi] (whole ones when integer is set), with a leading
** minus sign when sign is set, stored times scale; a word column (code 1)
** as one of its words, stored as wcode[k]: word[k] holds it in lower case,
** 8 bytes little-endian, zero-padded (a word that is not lower case never
** matches); a cell of up to 8 bytes matches in any case. */
typedef struct sarx__cells8 {
    double lo, hi, scale;
    uint64_t word[SARX__WORDS];
    double wcode[SARX__WORDS];
    int code, integer, sign, nwords;
} sarx__cells8;
/* 1 when the processor has what sarx__cells8_read needs (AVX-512 F, DQ, BW, CD). */
int sarx__cells8_available(void);
/* The reader's quotients w / 10^f against the IEEE division, over its whole
** domain (w < 10^8 with f = 0, w < 10^7 with f = 1 .. 7): the number that
** differ, 0 when right (a test; 0 without AVX-512). */
long sarx__cells8_quotients(void);
/* Read the cells fields[j] (lens[j] bytes) of the lanes j in `lanes` (bits
** 0-7) into dst[j]; returns the lanes not read (an empty cell is read, as
** NaN), left to the scalar path.  Reads no byte outside a cell but those
** before end (NULL: none), and no fields[j] or lens[j] of a lane not asked
** for. */
unsigned sarx__cells8_read(const sarx__cells8 *g, char *const *fields, const size_t *lens, unsigned lanes, char sep,
                           const char *end, double *dst);

/* ---- csv.c ---- */
/* The reader's plain-record scan without AVX-512, whatever the processor:
** for the tests, which hold the two to the same records. */
void sarx__csv_use_baseline(sarx_csv *c);
/* Text as a message shows it, in dst[n]: control bytes escaped (\0, \t,
** \n, \r, \xNN), so a NUL does not end it; "..." at the end when cut to
** fit.  Returns its length. */
size_t sarx__show(char *dst, size_t n, const char *s, size_t len);

/* ---- json.c ---- */
/* A list cell in its JSON form (text starts with '['): each string of the
** array added to list field `field` (canonical index) as
** sarx_subject_add_item adds it. */
int sarx__list_from_json(sarx_subject *s, int field, const char *text, size_t len, sarx_error *err);

/* ---- cohort.c ---- */
/* The scalar cell path and the SWAR counting only (1), or the widest the
** processor has (0, the default: a column of eight rows at once, POPCNT or
** VPOPCNTQ): for the tests. */
void sarx__cohort_use_baseline(sarx_cohort *c, int baseline);
/* Views for the cohort renderers (cohort_report.c). */
long sarx__cohort_total(const sarx_cohort *c, size_t d, int st);
long sarx__cohort_count(const sarx_cohort *c, size_t d, int st, int cat); /* cat -1: indeterminate */
long sarx__cohort_positive(const sarx_cohort *c, size_t d, int st);
long sarx__cohort_incomplete(const sarx_cohort *c, size_t d, int st);
long sarx__cohort_reading(const sarx_cohort *c, size_t d, int st); /* rows whose positive reading is decided */
void sarx__cohort_agree(const sarx_cohort *c, size_t a, size_t b, long t[4]); /* a < b: both, a only, b only, neither */
const sarx_ctx *sarx__cohort_ctx(const sarx_cohort *c);
int sarx__cohort_nstrata(void);
const char *sarx__cohort_stratum(int st);
/* "all", "sex" (male, female, sex unknown) or "age_band" (the bands, age unknown) */
const char *sarx__cohort_stratum_kind(int st);
int sarx__cohort_first_band(void);

/* ---- readopts.c + cohort.c: how a table's cells are read (issue 27, items 1-3) ---- */
/* A column of the options: what it feeds (field -1: its own name decides)
** and its own spellings of values (from, in lower case, -> to, as given;
** to "" is missing).  Names are kept trimmed; they compare without case. */
typedef struct sarx__rvalue {
    char *from, *to;
    size_t from_len, to_len;
} sarx__rvalue;
typedef struct sarx__rcol {
    char *name;
    size_t name_len;
    int field, alias; /* the rename's target (sarx__field_lookup), field -1 when none */
    sarx__rvalue *val;
    size_t nval;
} sarx__rcol;
struct sarx_readopts {
    char **na; /* the text codes, in lower case (the empty cell is always missing) */
    size_t *na_len, nna;
    double *na_num; /* the numeric codes, by value */
    size_t nnum;
    sarx__rcol *col;
    size_t ncol;
};
/* A deep copy of o, or of the defaults when o is NULL; NULL when out of memory. */
sarx_readopts *sarx__readopts_copy(const sarx_readopts *o);
/* The column named `name` (len bytes, trimmed), or NULL. */
const sarx__rcol *sarx__readopts_column(const sarx_readopts *o, const char *name, size_t len);
/* 1 when the cell (trimmed) is a text code. */
int sarx__readopts_na_text(const sarx_readopts *o, const char *t, size_t len);
/* 1 when v is a numeric code. */
int sarx__readopts_na_number(const sarx_readopts *o, double v);
/* The options against a header that sarx_cohort_new_ex mapped (col_rc:
** each column's entry in ro->col or -1; col_field, col_alias as the cohort
** has them): every column they name is in it, a column with a value map
** feeds a field, and each value it maps to is one that field takes (read
** into s, the message naming the column and the map).  SARX_ENOTFOUND,
** SARX_EFIELD or the field's error; SARX_OK. */
int sarx__readopts_check(const sarx_readopts *ro, const long *col_rc, const int *col_field, const int *col_alias,
                         size_t ncol, char *const *header, const size_t *lens, unsigned tflags, sarx_subject *s,
                         sarx_error *err);
/* What a cell of a column says before the column reads it: 0 when it is
** missing (a code, a value mapped to missing, blank), else 1 with *t, *len
** the text to read (the mapped value, or the cell as it is).  rc: the
** column's entry (or NULL); fi its field; number: a number column (the
** number codes always apply there); sep the decimal mark. */
int sarx__readopts_cell(const sarx_readopts *ro, const sarx__rcol *rc, const sarx_field_info *fi, int number,
                        const char **t, size_t *len, char sep);
/* The value map of column rc for the cell (trimmed): its `to`, or NULL. */
const sarx__rvalue *sarx__readopts_value_of(const sarx__rcol *rc, const char *t, size_t len);
/* For the summary (cohort_report.c): the header's columns, and each used
** one as written (trimmed; NULL when ignored, and in a clone). */
size_t sarx__cohort_ncol(const sarx_cohort *c);
const char *sarx__cohort_column_name(const sarx_cohort *c, size_t i);
/* ---- end of readopts ---- */

/* ---- buf.c: growable string for renderers ---- */
typedef struct sarx__buf {
    char *p;
    size_t n, cap;
    int oom;
} sarx__buf;
void sarx__puts(sarx__buf *b, const char *s);
void sarx__putn(sarx__buf *b, const char *s, size_t n);
void sarx__printf(sarx__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sarx__vprintf(sarx__buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
char *sarx__buf_take(sarx__buf *b);
/* An SVG <text> element, the text escaped. */
/* Text for XML content or an attribute: markup and '"' escaped, control
** characters left out, invalid UTF-8 as U+FFFD (buf.c). */
void sarx__xml_put(sarx__buf *b, const char *text);
void sarx__svg_text(sarx__buf *b, double x, double y, const char *anchor, int size, const char *weight,
                    const char *text);

/* ---- report.c: category words (issue 27, items 11-12) ---- */
/* Category cat of definition d (an index into d->cats; -1 = indeterminate)
** in the words a person reads ("severe sarcopenia", "malnutrition,
** severe"), for the text report and the cohort table; the ids stay in
** JSON and CSV. */
const char *sarx__category_words(const sarx__def *d, int cat);
/* ---- end of category words ---- */

#define SARX__GUIDE_DISCLAIMER \
    "Guidance is decision support drawn from the cited sources, not a prescription: a clinician decides what applies."
#define SARX__DISCLAIMER \
    "Decision support, not a diagnosis: each result applies a published rule to the values given; a clinician interprets it."


/* ---- fhir_map.c: the one FHIR mapping table (docs/FHIR.md) ---- */
/* One row: a code of a code system, in one UCUM unit, is a sarx field
** (canonical or alternate name: the unit's own field, so the subject
** converts it).  ucum "" for a value without a unit (a score, a boolean).
** verified: 1 when the code was checked against a primary source
** (source says which), 0 for sarx's own CodeSystem (SARX__FHIR_CS). */
#define SARX__FHIR_CS "urn:sarx:fhir:CodeSystem:measure" /* sarx's own measures (docs/FHIR.md) */
typedef struct sarx__fhir_code {
    const char *system; /* "http://loinc.org" or SARX__FHIR_CS */
    const char *code;
    const char *display;
    const char *ucum;
    const char *field; /* the sarx field name this code and unit set */
    int verified;
    const char *source; /* where the code was verified */
} sarx__fhir_code;
extern const sarx__fhir_code sarx__fhir_codes[];
extern const size_t sarx__fhir_code_count;

#endif
