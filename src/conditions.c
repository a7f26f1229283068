/*
** conditions.c — the one vocabulary of conditions: what an item of a
** person's `conditions` list means for the rules and the guidance.
**
** Each item is classified as chronic disease-related inflammation, acute
** disease or injury with inflammation, known and not inflammatory, not the
** person's (negated, family history) or unknown.  GLIM's etiologic
** criterion (Cederholm et al., JCSM 2019;10:207-217, Table 3 and its notes)
** is "acute disease/injury or chronic disease-related inflammation": severe
** acute inflammation with major infection, burns, trauma or closed head
** injury; chronic with malignant disease, COPD, congestive heart failure,
** chronic renal disease or any disease with chronic or recurrent
** inflammation; mild transient inflammation does not count.  What is not
** listed here stays unknown: a rule never counts a condition it cannot
** read as inflammation.  Free text is matched by whole words; coded entries
** ("icd10:N18.4") by the ICD-10 category (WHO ICD-10, 2019 edition).  Each
** choice beyond GLIM's own examples is marked "sarx" and recorded in
** docs/DECISIONS.md, "The vocabulary of conditions".
*/
#include "internal.h"

#include <string.h>

#define GLIM "Cederholm et al., JCSM 2019;10:207-217, Table 3 (etiologic criteria and notes)"
#define SARX_C "sarx (docs/DECISIONS.md, the vocabulary of conditions)"
#define ICD "WHO ICD-10 (2019)"

#define CH SARX__CC_CHRONIC
#define AC SARX__CC_ACUTE
#define NI SARX__CC_NOT_INFLAMMATORY
#define UN SARX__CC_UNKNOWN
#define CA SARX__CG_CANCER
#define KD SARX__CG_CKD
#define NE SARX__CG_NEURO
#define HO SARX__CG_HORMONE
#define PR SARX__CG_PREGNANCY
#define AM SARX__CG_AMPUTATION
#define LV SARX__CG_LIVER
#define HF SARX__CG_HEART_FAILURE
#define LU SARX__CG_LUNG

typedef struct term {
    const char *word; /* sarx__has_word's rules */
    int cls;
    unsigned groups;
    const char *meaning;
    const char *cite;
} term;

/* Phrases that decide an item alone, before the terms below: "benign
** tumour" is not cancer, "heat stroke" not a stroke, "acute kidney injury"
** not chronic kidney disease. */
static const term overriding[] = {
    {"benign", NI, 0, "a benign condition", SARX_C},
    {"acute kidney*", UN, 0, "acute kidney injury (inflammation not implied)", SARX_C},
    {"acute renal", UN, 0, "acute kidney injury (inflammation not implied)", SARX_C},
    {"heat stroke", UN, 0, "heat stroke", SARX_C},
    {"sunstroke", UN, 0, "heat stroke", SARX_C},
    {"optic neuropathy", UN, 0, "optic neuropathy", SARX_C},
    {"autonomic neuropathy", UN, 0, "autonomic neuropathy", SARX_C},
    {"in situ", UN, 0, "a neoplasm in situ (sarx cannot tell)", SARX_C},
};

/* A limb lost stays lost: "history of amputation" is limb loss today. */
static const term permanent[] = {
    {"amputation", NI, AM, "limb loss", SARX_C},
    {"amputee", NI, AM, "limb loss", SARX_C},
    {"amputated", NI, AM, "limb loss", SARX_C},
};

static const term terms[] = {
    /* malignant disease: chronic disease-related inflammation (GLIM) */
    {"cancer*", CH, CA, "cancer", GLIM},
    {"carcinoma*", CH, CA, "cancer", GLIM},
    {"adenocarcinoma*", CH, CA, "cancer", GLIM},
    {"tumour", CH, CA, "cancer", GLIM},
    {"tumor", CH, CA, "cancer", GLIM},
    {"malignan*", CH, CA, "cancer", GLIM},
    {"metasta*", CH, CA, "cancer", GLIM},
    {"lymphoma", CH, CA, "cancer", GLIM},
    {"leukaemia", CH, CA, "cancer", GLIM},
    {"leukemia", CH, CA, "cancer", GLIM},
    {"myeloma", CH, CA, "cancer", GLIM},
    {"sarcoma", CH, CA, "cancer", GLIM},
    {"melanoma", CH, CA, "cancer", GLIM},
    {"mesothelioma", CH, CA, "cancer", GLIM},
    {"glioblastoma", CH, CA, "cancer", GLIM},
    {"NSCLC", CH, CA, "cancer", GLIM},
    {"SCLC", CH, CA, "cancer", GLIM},
    /* chronic organ disease (GLIM's examples) */
    {"copd", CH, LU, "chronic lung disease", GLIM},
    {"chronic obstructive*", CH, LU, "chronic lung disease", GLIM},
    {"emphysema", CH, LU, "chronic lung disease", GLIM},
    {"heart failure", CH, HF, "heart failure", GLIM},
    {"cardiac failure", CH, HF, "heart failure", GLIM},
    {"chf", CH, HF, "heart failure", GLIM},
    {"HF", CH, HF, "heart failure", GLIM},
    {"HFrEF", CH, HF, "heart failure", GLIM},
    {"HFpEF", CH, HF, "heart failure", GLIM},
    {"HFmrEF", CH, HF, "heart failure", GLIM},
    {"CKD*", CH, KD, "chronic kidney disease", GLIM},
    {"chronic kidney*", CH, KD, "chronic kidney disease", GLIM},
    {"chronic renal*", CH, KD, "chronic kidney disease", GLIM},
    {"kidney failure", CH, KD, "chronic kidney disease", GLIM},
    {"renal failure", CH, KD, "chronic kidney disease", GLIM},
    {"esrd", CH, KD, "chronic kidney disease", GLIM},
    {"end-stage renal", CH, KD, "chronic kidney disease", GLIM},
    {"end stage renal", CH, KD, "chronic kidney disease", GLIM},
    {"end-stage kidney", CH, KD, "chronic kidney disease", GLIM},
    {"end stage kidney", CH, KD, "chronic kidney disease", GLIM},
    {"dialysis", CH, KD, "chronic kidney disease (dialysis)", GLIM},
    {"haemodialysis", CH, KD, "chronic kidney disease (dialysis)", GLIM},
    {"hemodialysis", CH, KD, "chronic kidney disease (dialysis)", GLIM},
    /* any disease with chronic or recurrent inflammation (GLIM) */
    {"cirrhosis", CH, LV, "liver disease", GLIM},
    {"chronic liver*", CH, LV, "liver disease", GLIM},
    {"liver failure", CH, LV, "liver disease", GLIM},
    {"chronic hepatitis", CH, LV, "liver disease", GLIM},
    {"hiv", CH, 0, "HIV", GLIM},
    {"AIDS", CH, 0, "HIV", GLIM},
    {"rheumatoid arthritis", CH, 0, "chronic inflammatory disease", GLIM},
    {"crohn*", CH, 0, "chronic inflammatory disease", GLIM},
    {"ulcerative colitis", CH, 0, "chronic inflammatory disease", GLIM},
    {"inflammatory bowel*", CH, 0, "chronic inflammatory disease", GLIM},
    {"IBD", CH, 0, "chronic inflammatory disease", GLIM},
    {"lupus", CH, 0, "chronic inflammatory disease", GLIM},
    {"SLE", CH, 0, "chronic inflammatory disease", GLIM},
    {"ankylosing spondylitis", CH, 0, "chronic inflammatory disease", GLIM},
    {"psoriatic arthritis", CH, 0, "chronic inflammatory disease", GLIM},
    {"vasculitis", CH, 0, "chronic inflammatory disease", GLIM},
    {"bronchiectasis", CH, LU, "chronic lung disease", GLIM},
    {"cystic fibrosis", CH, LU, "chronic lung disease", GLIM},
    {"pulmonary fibrosis", CH, LU, "chronic lung disease", GLIM},
    {"interstitial lung*", CH, LU, "chronic lung disease", GLIM},
    {"chronic pancreatitis", CH, 0, "chronic inflammatory disease", GLIM},
    {"tuberculosis", CH, 0, "chronic infection", GLIM},
    /* acute disease or injury (GLIM: major infection, burns, trauma, closed head injury) */
    {"sepsis", AC, 0, "sepsis", GLIM},
    {"septic*", AC, 0, "sepsis", GLIM},
    {"septicaemia", AC, 0, "sepsis", GLIM},
    {"septicemia", AC, 0, "sepsis", GLIM},
    {"pneumonia", AC, 0, "major infection", GLIM},
    {"burn", AC, 0, "burns", GLIM},
    {"burns", AC, 0, "burns", GLIM},
    {"major trauma", AC, 0, "major trauma", GLIM},
    {"polytrauma", AC, 0, "major trauma", GLIM},
    {"multiple trauma", AC, 0, "major trauma", GLIM},
    {"head injury", AC, 0, "closed head injury", GLIM},
    {"traumatic brain injury", AC, 0, "closed head injury", GLIM},
    {"TBI", AC, 0, "closed head injury", GLIM},
    {"hip fracture", AC, 0, "major trauma (hip fracture)", SARX_C},
    {"femoral neck fracture", AC, 0, "major trauma (hip fracture)", SARX_C},
    {"acute pancreatitis", AC, 0, "acute inflammatory illness", SARX_C},
    /* known, not disease-related inflammation */
    {"hypertension", NI, 0, "hypertension", SARX_C},
    {"high blood pressure", NI, 0, "hypertension", SARX_C},
    {"pregnan*", NI, PR, "pregnancy", SARX_C},
    {"obesity", NI, 0, "obesity", SARX_C},
    {"hyperlipid*", NI, 0, "raised blood lipids", SARX_C},
    {"hypercholesterol*", NI, 0, "raised blood lipids", SARX_C},
    {"dyslipid*", NI, 0, "raised blood lipids", SARX_C},
    {"osteoarthritis", NI, 0, "osteoarthritis", SARX_C},
    {"osteoporosis", NI, 0, "osteoporosis", SARX_C},
    {"hypothyroid*", NI, 0, "hypothyroidism", SARX_C},
    {"cataract*", NI, 0, "cataract", SARX_C},
    {"glaucoma", NI, 0, "glaucoma", SARX_C},
    /* nerve and motor-neuron disease: neurogenic causes (guidance) */
    {"ALS", NI, NE, "motor neuron disease", SARX_C},
    {"amyotrophic*", NI, NE, "motor neuron disease", SARX_C},
    {"motor neuron*", NI, NE, "motor neuron disease", SARX_C},
    {"motor neurone*", NI, NE, "motor neuron disease", SARX_C},
    {"MND", NI, NE, "motor neuron disease", SARX_C},
    {"spinal muscular atrophy", NI, NE, "spinal muscular atrophy", SARX_C},
    {"neuropathy", NI, NE, "nerve damage", SARX_C},
    {"polyneuropathy", NI, NE, "nerve damage", SARX_C},
    {"radiculopathy", NI, NE, "nerve damage", SARX_C},
    {"nerve injury", NI, NE, "nerve damage", SARX_C},
    {"nerve damage", NI, NE, "nerve damage", SARX_C},
    {"polio*", NI, NE, "nerve damage", SARX_C},
    {"post-polio", NI, NE, "nerve damage", SARX_C},
    {"spinal cord injury", UN, NE, "nerve damage", SARX_C},
    {"stroke", UN, NE, "nerve damage", SARX_C},
    {"multiple sclerosis", UN, NE, "nerve damage", SARX_C},
    {"guillain*", UN, NE, "nerve damage", SARX_C},
    /* endocrine causes (guidance) */
    {"hypogonadism", NI, HO, "low sex hormones", SARX_C},
    {"menopaus*", NI, HO, "low oestrogen", SARX_C},
    {"postmenopaus*", NI, HO, "low oestrogen", SARX_C},
    {"androgen deprivation*", NI, HO, "low testosterone", SARX_C},
    {"hyperthyroid*", NI, HO, "thyroid excess", SARX_C},
    {"cushing*", NI, HO, "glucocorticoid excess", SARX_C},
    {"growth hormone deficiency", NI, HO, "low growth hormone", SARX_C},
};

/* ICD-10 categories, "A00" to "Z99", by inclusive ranges of the first
** three characters. */
typedef struct code {
    const char *lo, *hi;
    int cls;
    unsigned groups;
    const char *meaning;
    const char *cite;
} code;
static const code codes[] = {
    {"C00", "C97", CH, CA, "cancer", GLIM " / " ICD " C00-C97 (malignant neoplasms)"},
    {"D00", "D09", UN, 0, "a neoplasm in situ (sarx cannot tell)", SARX_C},
    {"D10", "D36", NI, 0, "a benign neoplasm", ICD " D10-D36"},
    {"D37", "D49", UN, 0, "a neoplasm of uncertain behaviour", SARX_C},
    {"J43", "J44", CH, LU, "chronic lung disease", GLIM " / " ICD " J43-J44"},
    {"J47", "J47", CH, LU, "chronic lung disease", GLIM " / " ICD " J47"},
    {"E84", "E84", CH, LU, "chronic lung disease", GLIM " / " ICD " E84"},
    {"J84", "J84", CH, LU, "chronic lung disease", GLIM " / " ICD " J84"},
    {"I50", "I50", CH, HF, "heart failure", GLIM " / " ICD " I50"},
    {"N18", "N18", CH, KD, "chronic kidney disease", GLIM " / " ICD " N18"},
    {"N17", "N17", UN, 0, "acute kidney injury (inflammation not implied)", SARX_C},
    {"Z49", "Z49", CH, KD, "chronic kidney disease (dialysis)", GLIM " / " ICD " Z49"},
    {"K50", "K51", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " K50-K51"},
    {"M05", "M06", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " M05-M06"},
    {"M32", "M32", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " M32"},
    {"M45", "M45", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " M45"},
    {"B20", "B24", CH, 0, "HIV", GLIM " / " ICD " B20-B24"},
    {"K70", "K74", CH, LV, "liver disease", GLIM " / " ICD " K70-K74"},
    {"K86", "K86", CH, 0, "chronic inflammatory disease", SARX_C " / " ICD " K86"},
    {"A15", "A19", CH, 0, "chronic infection", GLIM " / " ICD " A15-A19"},
    {"A40", "A41", AC, 0, "sepsis", GLIM " / " ICD " A40-A41"},
    {"J12", "J18", AC, 0, "major infection", GLIM " / " ICD " J12-J18"},
    {"T20", "T32", AC, 0, "burns", GLIM " / " ICD " T20-T32"},
    {"S06", "S06", AC, 0, "closed head injury", GLIM " / " ICD " S06"},
    {"S72", "S72", AC, 0, "major trauma (hip fracture)", SARX_C " / " ICD " S72"},
    {"T07", "T07", AC, 0, "major trauma", GLIM " / " ICD " T07"},
    {"K85", "K85", AC, 0, "acute inflammatory illness", SARX_C " / " ICD " K85"},
    {"I10", "I15", NI, 0, "hypertension", SARX_C " / " ICD " I10-I15"},
    {"O00", "O99", NI, PR, "pregnancy", SARX_C " / " ICD " O00-O99"},
    {"Z33", "Z34", NI, PR, "pregnancy", SARX_C " / " ICD " Z33-Z34"},
    {"Z89", "Z89", NI, AM, "limb loss", SARX_C " / " ICD " Z89"},
    {"E66", "E66", NI, 0, "obesity", SARX_C " / " ICD " E66"},
    {"E78", "E78", NI, 0, "raised blood lipids", SARX_C " / " ICD " E78"},
    {"M15", "M19", NI, 0, "osteoarthritis", SARX_C " / " ICD " M15-M19"},
    {"M80", "M81", NI, 0, "osteoporosis", SARX_C " / " ICD " M80-M81"},
    {"E03", "E03", NI, 0, "hypothyroidism", SARX_C " / " ICD " E03"},
    {"G12", "G12", NI, NE, "motor neuron disease", SARX_C " / " ICD " G12"},
    {"G14", "G14", NI, NE, "nerve damage", SARX_C " / " ICD " G14"},
    {"G60", "G64", NI, NE, "nerve damage", SARX_C " / " ICD " G60-G64"},
    {"G35", "G35", UN, NE, "nerve damage", SARX_C " / " ICD " G35"},
    {"I60", "I64", UN, NE, "nerve damage", SARX_C " / " ICD " I60-I64"},
    {"E05", "E05", NI, HO, "thyroid excess", SARX_C " / " ICD " E05"},
    {"E24", "E24", NI, HO, "glucocorticoid excess", SARX_C " / " ICD " E24"},
    {"E29", "E29", NI, HO, "low sex hormones", SARX_C " / " ICD " E29"},
    {"E23", "E23", NI, HO, "low growth hormone", SARX_C " / " ICD " E23"},
    {"N95", "N95", NI, HO, "low oestrogen", SARX_C " / " ICD " N95"},
};

/* A relative's condition, not the person's. */
static const char *const family[] = {"family history", "fh", "mother", "father", "sister", "brother", NULL};
/* Negated or ruled out. */
static const char *const negations[] = {"no",       "not",      "negative", "neg",     "denies",
                                        "denied",   "without",  "ruled out", "excluded", "free of",
                                        NULL};
/* Uncertain or past: the rules cannot count it, and cannot rule it out. */
static const char *const uncertain[] = {"suspected", "possible", "probable", "query", "likely",   "history of",
                                        "h/o",       "hx",       "resolved", "remission", "previous", "past",
                                        "former",    "cured",    "?",        NULL};

static int word_char(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

int sarx__has_word(const char *text, const char *word)
{
    size_t wl = strlen(word), tl = strlen(text), i, k;
    int prefix = wl > 0 && word[wl - 1] == '*', exact = 0;
    if (prefix)
        wl--;
    for (k = 0; k < wl; k++)
        exact |= word[k] >= 'A' && word[k] <= 'Z';
    for (i = 0; i + wl <= tl; i++) {
        if (i > 0 && word_char((unsigned char)text[i - 1]) && word_char((unsigned char)word[0]))
            continue;
        for (k = 0; k < wl; k++) {
            int c = (unsigned char)text[i + k];
            if ((exact ? c : sarx__lower(c)) != word[k])
                break;
        }
        if (k == wl && (prefix || i + wl == tl || !word_char((unsigned char)text[i + wl]) ||
                        !word_char((unsigned char)word[wl - 1])))
            return 1;
    }
    return 0;
}

int sarx__has_any(const char *text, const char *const *words)
{
    for (; words && *words; words++)
        if (sarx__has_word(text, *words))
            return 1;
    return 0;
}

int sarx__icd10_valid(const char *c, size_t len)
{
    size_t i;
    if (len < 3 || len > 8 || !(c[0] >= 'A' && c[0] <= 'Z') || !(c[1] >= '0' && c[1] <= '9') ||
        !((c[2] >= '0' && c[2] <= '9') || (c[2] >= 'A' && c[2] <= 'Z')))
        return 0;
    if (len == 3)
        return 1;
    if (c[3] != '.' || len == 4)
        return 0;
    for (i = 4; i < len; i++)
        if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')))
            return 0;
    return 1;
}

static void set(sarx__cond_info *o, int cls, unsigned groups, const char *meaning, const char *cite)
{
    o->cls = cls;
    o->groups = groups;
    o->meaning = meaning;
    o->cite = cite;
}

/* A coded entry: "icd10:" and the code, in any case. */
static int classify_code(const char *item, sarx__cond_info *o)
{
    char cat[4], up[12];
    size_t i, len;
    static const char prefix[] = "icd10:";
    for (i = 0; i < sizeof prefix - 1; i++)
        if (sarx__lower((unsigned char)item[i]) != prefix[i])
            return 0;
    item += sizeof prefix - 1;
    len = strlen(item);
    for (i = 0; i < len && i < sizeof up - 1; i++)
        up[i] = (char)(item[i] >= 'a' && item[i] <= 'z' ? item[i] - ('a' - 'A') : item[i]);
    up[i] = '\0';
    if (len >= sizeof up || !sarx__icd10_valid(up, len)) {
        set(o, SARX__CC_UNKNOWN, 0, "not an ICD-10 code sarx can read", SARX_C);
        return 1;
    }
    if (strncmp(up, "Z99.2", 5) == 0) { /* dependence on renal dialysis: the one subcategory read */
        set(o, SARX__CC_CHRONIC, SARX__CG_CKD, "chronic kidney disease (dialysis)", GLIM " / " ICD " Z99.2");
        return 1;
    }
    memcpy(cat, up, 3);
    cat[3] = '\0';
    for (i = 0; i < SARX__N(codes); i++)
        if (strcmp(cat, codes[i].lo) >= 0 && strcmp(cat, codes[i].hi) <= 0) {
            set(o, codes[i].cls, codes[i].groups, codes[i].meaning, codes[i].cite);
            return 1;
        }
    set(o, SARX__CC_UNKNOWN, 0, "an ICD-10 code not in sarx's vocabulary", SARX_C);
    return 1;
}

static int rank(int cls) { return cls == CH || cls == AC ? 3 : cls == UN ? 2 : 1; }

void sarx__condition_classify(const char *item, sarx__cond_info *o)
{
    size_t k;
    int first = 1;
    set(o, SARX__CC_UNKNOWN, 0, "not in sarx's vocabulary", SARX_C);
    if (!item)
        return;
    if (classify_code(item, o))
        return;
    if (sarx__has_any(item, family)) {
        set(o, SARX__CC_NONE, 0, "a relative's condition", SARX_C);
        return;
    }
    /* A negation anywhere in the item ("no cancer", but also "COPD, no
    ** exacerbations"): sarx cannot tell what is denied, so the item is
    ** unknown, neither counted nor taken as absent. */
    if (sarx__has_any(item, negations)) {
        set(o, SARX__CC_UNKNOWN, 0, "negated: sarx cannot tell what is denied", SARX_C);
        return;
    }
    for (k = 0; k < SARX__N(permanent); k++)
        if (sarx__has_word(item, permanent[k].word)) {
            set(o, permanent[k].cls, permanent[k].groups, permanent[k].meaning, permanent[k].cite);
            return;
        }
    if (sarx__has_any(item, uncertain)) {
        set(o, SARX__CC_UNKNOWN, 0, "uncertain or past: sarx cannot count it", SARX_C);
        return;
    }
    for (k = 0; k < SARX__N(overriding); k++)
        if (sarx__has_word(item, overriding[k].word)) {
            set(o, overriding[k].cls, overriding[k].groups, overriding[k].meaning, overriding[k].cite);
            return;
        }
    /* Every term the item holds: the groups add up; the class is the
    ** strongest (inflammation, then unknown, then not inflammatory: "stroke
    ** in pregnancy" stays unknown); the meaning and source are those of
    ** the first term of that class. */
    for (k = 0; k < SARX__N(terms); k++) {
        const term *t = &terms[k];
        if (!sarx__has_word(item, t->word))
            continue;
        if (first || rank(t->cls) > rank(o->cls)) {
            unsigned g = first ? 0 : o->groups;
            set(o, t->cls, g, t->meaning, t->cite);
        }
        o->groups |= t->groups;
        first = 0;
    }
}

unsigned sarx__conditions_summary(char *const *items, size_t n)
{
    unsigned s = n ? SARX__CS_ANY : 0;
    size_t i;
    for (i = 0; i < n; i++) {
        sarx__cond_info c;
        sarx__condition_classify(items[i], &c);
        if (c.cls == SARX__CC_CHRONIC || c.cls == SARX__CC_ACUTE)
            s |= SARX__CS_INFLAM;
        if (c.cls == SARX__CC_CHRONIC)
            s |= SARX__CS_CHRONIC;
        if (c.cls == SARX__CC_UNKNOWN)
            s |= SARX__CS_UNKNOWN;
        if (c.groups & SARX__CG_CANCER && c.cls == SARX__CC_CHRONIC)
            s |= SARX__CS_CANCER;
        if (c.groups & SARX__CG_PREGNANCY)
            s |= SARX__CS_PREGNANCY;
        if (c.groups & SARX__CG_AMPUTATION)
            s |= SARX__CS_AMPUTATION;
    }
    return s;
}
