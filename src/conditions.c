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

/* Phrases read before the terms, whose span no term may reuse: "malignant
** hypertension" is not cancer, "heat stroke" not a stroke, "acute kidney
** injury" not chronic kidney disease, "lupus anticoagulant" not lupus. */
static const term exceptions[] = {
    {"acute kidney*", UN, 0, "acute kidney injury (inflammation not implied)", SARX_C},
    {"acute renal", UN, 0, "acute kidney injury (inflammation not implied)", SARX_C},
    {"AKI", UN, 0, "acute kidney injury (inflammation not implied)", SARX_C},
    {"heat stroke", UN, 0, "heat stroke", SARX_C},
    {"sunstroke", UN, 0, "heat stroke", SARX_C},
    {"optic neuropathy", UN, 0, "optic neuropathy", SARX_C},
    {"autonomic neuropathy", UN, 0, "autonomic neuropathy", SARX_C},
    {"malignant hypertension", NI, 0, "hypertension", SARX_C},
    {"malignant hyperthermia", UN, 0, "malignant hyperthermia (not cancer)", SARX_C},
    {"neuroleptic malignant", UN, 0, "neuroleptic malignant syndrome (not cancer)", SARX_C},
    {"portal hypertension", UN, 0, "portal hypertension", SARX_C},
    {"pulmonary hypertension", UN, 0, "pulmonary hypertension", SARX_C},
    {"lupus anticoagulant", UN, 0, "lupus anticoagulant (a laboratory finding)", SARX_C},
    {"latent tuberculosis", UN, 0, "latent tuberculosis", SARX_C},
    {"latent tb", UN, 0, "latent tuberculosis", SARX_C},
    {"surgical emphysema", UN, 0, "surgical emphysema (air under the skin)", SARX_C},
    {"subcutaneous emphysema", UN, 0, "surgical emphysema (air under the skin)", SARX_C},
    {"hiv status", UN, 0, "HIV status not stated", SARX_C},
    {"hiv test", UN, 0, "HIV status not stated", SARX_C},
    {"prep", UN, 0, "HIV prevention", SARX_C},
    {"tumour marker*", UN, 0, "tumour markers", SARX_C},
    {"tumor marker*", UN, 0, "tumour markers", SARX_C},
    {"minor burn*", UN, 0, "minor burns", SARX_C},
    {"first degree burn*", UN, 0, "minor burns", SARX_C},
    {"chronic inflammatory demyelinating*", CH, NE, "chronic inflammatory disease", GLIM},
    {"CIDP", CH, NE, "chronic inflammatory disease", GLIM},
    {"gestational hypertension", NI, PR, "pregnancy", SARX_C},
    {"pregnancy induced hypertension", NI, PR, "pregnancy", SARX_C},
};
/* Words that change what a neoplasm in their clause means. */
static const char *const benign_words[] = {"benign", NULL};
static const char *const in_situ_words[] = {"in situ", "insitu", NULL};

static const char TUMOUR[] = "a tumour (benign or malignant: sarx cannot tell)";

static const term terms[] = {
    /* malignant disease: chronic disease-related inflammation (GLIM) */
    {"cancer*", CH, CA, "cancer", GLIM},
    {"carcinoma*", CH, CA, "cancer", GLIM},
    {"adenocarcinoma*", CH, CA, "cancer", GLIM},
    {"malignan*", CH, CA, "cancer", GLIM},
    {"metasta*", CH, CA, "cancer", GLIM},
    {"lymphoma", CH, CA, "cancer", GLIM},
    {"leukaemia", CH, CA, "cancer", GLIM},
    {"leukemia", CH, CA, "cancer", GLIM},
    {"myeloma", CH, CA, "cancer", GLIM},
    {"sarcoma", CH, CA, "cancer", GLIM},
    {"osteosarcoma", CH, CA, "cancer", GLIM},
    {"melanoma", CH, CA, "cancer", GLIM},
    {"mesothelioma", CH, CA, "cancer", GLIM},
    {"glioblastoma", CH, CA, "cancer", GLIM},
    {"nsclc", CH, CA, "cancer", GLIM},
    {"sclc", CH, CA, "cancer", GLIM},
    /* a tumour may be benign: sarx cannot tell */
    {"tumour", UN, 0, TUMOUR, SARX_C},
    {"tumor", UN, 0, TUMOUR, SARX_C},
    {"neoplasm", UN, 0, TUMOUR, SARX_C},
    /* chronic organ disease (GLIM's examples) */
    {"copd", CH, LU, "chronic lung disease", GLIM},
    {"chronic obstructive*", CH, LU, "chronic lung disease", GLIM},
    {"emphysema", CH, LU, "chronic lung disease", GLIM},
    {"heart failure", CH, HF, "heart failure", GLIM},
    {"cardiac failure", CH, HF, "heart failure", GLIM},
    {"chf", CH, HF, "heart failure", GLIM},
    {"HF", CH, HF, "heart failure", GLIM},
    {"hfref", CH, HF, "heart failure", GLIM},
    {"hfpef", CH, HF, "heart failure", GLIM},
    {"hfmref", CH, HF, "heart failure", GLIM},
    {"ckd*", CH, KD, "chronic kidney disease", GLIM},
    {"chronic kidney*", CH, KD, "chronic kidney disease", GLIM},
    {"chronic renal*", CH, KD, "chronic kidney disease", GLIM},
    {"kidney failure", CH, KD, "chronic kidney disease", GLIM},
    {"renal failure", CH, KD, "chronic kidney disease", GLIM},
    {"esrd", CH, KD, "chronic kidney disease", GLIM},
    {"eskd", CH, KD, "chronic kidney disease", GLIM},
    {"end stage renal", CH, KD, "chronic kidney disease", GLIM},
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
    {"post polio", NI, NE, "nerve damage", SARX_C},
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
    /* limb loss, which a past tense does not undo */
    {"amputation", NI, AM, "limb loss", SARX_C},
    {"amputee", NI, AM, "limb loss", SARX_C},
    {"amputated", NI, AM, "limb loss", SARX_C},
    {"bka", NI, AM, "limb loss", SARX_C},
    {"aka", NI, AM, "limb loss", SARX_C},
    {"transtibial", NI, AM, "limb loss", SARX_C},
    {"transfemoral", NI, AM, "limb loss", SARX_C},
};

/* ICD-10 codes by inclusive ranges of a prefix (the three-character
** category, or a longer prefix such as "K86.0"): the longest matching
** prefix decides, and of two as long, the one listed first. */
typedef struct code {
    const char *lo, *hi; /* the same length */
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
    {"Z99.2", "Z99.2", CH, KD, "chronic kidney disease (dialysis)", GLIM " / " ICD " Z99.2"},
    {"K50", "K51", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " K50-K51"},
    {"M05", "M06", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " M05-M06"},
    {"M32", "M32", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " M32"},
    {"M45", "M45", CH, 0, "chronic inflammatory disease", GLIM " / " ICD " M45"},
    {"B20", "B24", CH, 0, "HIV", GLIM " / " ICD " B20-B24"},
    {"K70", "K74", CH, LV, "liver disease", GLIM " / " ICD " K70-K74"},
    {"K70.0", "K70.0", UN, 0, "alcoholic fatty liver (inflammation not implied)", SARX_C},
    {"K86.0", "K86.1", CH, 0, "chronic inflammatory disease", SARX_C " / " ICD " K86.0-K86.1"},
    {"A15", "A19", CH, 0, "chronic infection", GLIM " / " ICD " A15-A19"},
    {"A40", "A41", AC, 0, "sepsis", GLIM " / " ICD " A40-A41"},
    {"J12", "J18", AC, 0, "major infection", GLIM " / " ICD " J12-J18"},
    /* burns: only an extent of 20 % of the body or more is major (T31-T32, 4th character 2-9) */
    {"T20", "T30", UN, 0, "a burn of unstated extent", SARX_C},
    {"T31.2", "T31.9", AC, 0, "burns", GLIM " / " ICD " T31.2-T31.9"},
    {"T32.2", "T32.9", AC, 0, "burns", GLIM " / " ICD " T32.2-T32.9"},
    {"T31.0", "T31.1", UN, 0, "burns of less than 20 % of the body", SARX_C},
    {"T32.0", "T32.1", UN, 0, "burns of less than 20 % of the body", SARX_C},
    {"S06", "S06", AC, 0, "closed head injury", GLIM " / " ICD " S06"},
    {"S06.0", "S06.0", UN, 0, "concussion (mild, transient)", SARX_C},
    {"S72", "S72", AC, 0, "major trauma (hip fracture)", SARX_C " / " ICD " S72"},
    {"T07", "T07", AC, 0, "major trauma", GLIM " / " ICD " T07"},
    {"K85", "K85", AC, 0, "acute inflammatory illness", SARX_C " / " ICD " K85"},
    {"I10", "I10", NI, 0, "hypertension", SARX_C " / " ICD " I10"},
    {"I11", "I11", NI, 0, "hypertension", SARX_C " / " ICD " I11"},
    {"I11.0", "I11.0", CH, HF, "heart failure", GLIM " / " ICD " I11.0"},
    {"I12", "I12", CH, KD, "chronic kidney disease", GLIM " / " ICD " I12"},
    {"I13", "I13", CH, KD, "chronic kidney disease", GLIM " / " ICD " I13"},
    {"I13.0", "I13.0", CH, KD | HF, "heart failure", GLIM " / " ICD " I13.0"},
    {"I13.2", "I13.2", CH, KD | HF, "heart failure", GLIM " / " ICD " I13.2"},
    {"I15", "I15", NI, 0, "hypertension", SARX_C " / " ICD " I15"},
    /* pregnancy: O00-O84 pregnancy and childbirth (their complications may
    ** or may not be inflammatory: unknown); O85-O86 puerperal infection;
    ** O87-O92 the puerperium (not pregnant); O94-O99 may be either */
    {"O00", "O84", UN, PR, "pregnancy (with a complication sarx cannot class)", SARX_C " / " ICD " O00-O84"},
    {"O85", "O86", AC, 0, "puerperal infection", GLIM " / " ICD " O85-O86"},
    {"O87", "O92", UN, 0, "the puerperium", SARX_C " / " ICD " O87-O92"},
    {"O94", "O99", UN, PR, "pregnancy or the puerperium", SARX_C " / " ICD " O94-O99"},
    {"Z33", "Z34", NI, PR, "pregnancy", SARX_C " / " ICD " Z33-Z34"},
    {"Z89", "Z89", NI, AM, "limb loss", SARX_C " / " ICD " Z89"},
    {"E66", "E66", NI, 0, "obesity", SARX_C " / " ICD " E66"},
    {"E78", "E78", NI, 0, "raised blood lipids", SARX_C " / " ICD " E78"},
    {"M15", "M19", NI, 0, "osteoarthritis", SARX_C " / " ICD " M15-M19"},
    {"M80", "M81", NI, 0, "osteoporosis", SARX_C " / " ICD " M80-M81"},
    {"E03", "E03", NI, 0, "hypothyroidism", SARX_C " / " ICD " E03"},
    {"G12", "G12", NI, NE, "motor neuron disease", SARX_C " / " ICD " G12"},
    {"G14", "G14", NI, NE, "nerve damage", SARX_C " / " ICD " G14"},
    {"G61", "G61", UN, NE, "inflammatory polyneuropathy", SARX_C " / " ICD " G61"},
    {"G63", "G63", UN, NE, "polyneuropathy in another disease", SARX_C " / " ICD " G63"},
    {"G60", "G64", NI, NE, "nerve damage", SARX_C " / " ICD " G60-G64"},
    {"G35", "G35", UN, NE, "nerve damage", SARX_C " / " ICD " G35"},
    {"I60", "I64", UN, NE, "nerve damage", SARX_C " / " ICD " I60-I64"},
    {"E05", "E05", NI, HO, "thyroid excess", SARX_C " / " ICD " E05"},
    {"E24", "E24", NI, HO, "glucocorticoid excess", SARX_C " / " ICD " E24"},
    {"E29", "E29", NI, HO, "low sex hormones", SARX_C " / " ICD " E29"},
    {"E23", "E23", NI, HO, "low growth hormone", SARX_C " / " ICD " E23"},
    {"N95", "N95", NI, HO, "low oestrogen", SARX_C " / " ICD " N95"},
};

/* The cues of a clause.  Negation before a term ("no cancer") or after it
** ("pregnancy test negative") denies that term; uncertainty anywhere in the
** clause ("possible pregnancy", "rule out sepsis") or a past ("history of
** CKD") makes its terms possible, not present; a relative ("mother: breast
** cancer") makes them not the person's.  The double negatives ("not
** excluded") are uncertainty, read first. */
static const char *const uncertain_cues[] = {
    "not excluded", "not ruled out", "cannot be excluded", "cannot be ruled out", "can not be excluded",
    "suspected", "suspect", "suspicion", "suspicious", "possible", "possibly", "probable", "probably",
    "query", "likely", "unlikely", "?", "rule out", "r/o", "screening", "pending", "planned", "scheduled",
    "awaiting", "risk of", "at risk", "prevention", "versus", "vs", "unknown", "unclear", "test", NULL};
static const char *const past_cues[] = {"history of", "h/o", "hx", "resolved", "remission", "previous", "previously",
                                        "past", "former", "cured", "survivor", "disease free", "in the past", NULL};
static const char *const family_cues[] = {"family", "fh", "fhx", "mother", "father", "sister", "brother", "aunt",
                                          "uncle", "grandmother", "grandfather", "grandparent*", "cousin", "maternal", "paternal", "son", "daughter",
                                          "sibling*", "relative*", "parent*", NULL};
static const char *const pre_negations[] = {"no", "not", "denies", "denied", "without", "negative for",
                                            "free of", "no evidence of", "no sign of", "no signs of", NULL};
static const char *const post_negations[] = {"negative", "excluded", "ruled out", "absent", NULL};
/* Words that may stand beside a condition without changing what it is:
** stages, grades, sides, severities, ordinary small words.  Anything else
** left over in a clause makes an item that is otherwise "not
** inflammatory" unknown ("hypertension, endocarditis"). */
static const char *const filler[] = {
    "a", "an", "the", "of", "on", "in", "at", "since", "for", "to", "by", "from", "known", "diagnosed", "dx",
    "stage", "grade", "class", "level", "gold", "nyha", "type", "degree", "left", "right", "bilateral", "lower",
    "upper", "below", "above", "through", "knee", "elbow", "hip", "foot", "feet", "hand", "leg", "arm", "limb",
    "toe", "finger", "mild", "moderate", "severe", "stable", "controlled", "well", "chronic", "disease",
    "disorder", "syndrome", "condition", "status", "post", "s", "p", "week", "weeks", "wk", "wks",
    "gestation", "month", "months", "year", "years", "yr", "yrs", "y", "ef", "preserved", "reduced",
    "mildly", "ejection", "fraction", "i", "ii", "iii", "iv", "v", "primary", "essential", "treated",
    "healed", "old", "tbsa", "body", "surface", "area", "percent", "pct", "exacerbation", "exacerbations",
    NULL};

/* Where word occurs in t[from, n) as a whole word (sarx__has_word's rules),
** or n; *len receives the length matched. */
static size_t find_word(const char *t, size_t n, size_t from, const char *word, size_t *len)
{
    size_t wl = strlen(word), i, k;
    int prefix = wl > 0 && word[wl - 1] == '*', exact = 0;
    if (prefix)
        wl--;
    for (k = 0; k < wl; k++)
        exact |= word[k] >= 'A' && word[k] <= 'Z';
    for (i = from; wl && i + wl <= n; i++) {
        if (i > 0 && sarx__word_char((unsigned char)t[i - 1]) && sarx__word_char((unsigned char)word[0]))
            continue;
        for (k = 0; k < wl; k++) {
            int c = (unsigned char)t[i + k];
            if ((exact ? c : sarx__lower(c)) != word[k])
                break;
        }
        if (k < wl)
            continue;
        if (prefix) { /* the rest of the word */
            size_t e = i + wl;
            while (e < n && sarx__word_char((unsigned char)t[e]))
                e++;
            *len = e - i;
            return i;
        }
        if (i + wl == n || !sarx__word_char((unsigned char)t[i + wl]) || !sarx__word_char((unsigned char)word[wl - 1])) {
            *len = wl;
            return i;
        }
    }
    return n;
}

int sarx__has_word(const char *text, const char *word)
{
    size_t n = strlen(text), len;
    return find_word(text, n, 0, word, &len) < n;
}

int sarx__has_any(const char *text, const char *const *words)
{
    for (; words && *words; words++)
        if (sarx__has_word(text, *words))
            return 1;
    return 0;
}

/* An ICD-10 code: a letter, a digit, a digit or letter, then up to four
** letters or digits, after a dot or not ("N18.4", "N184"). */
int sarx__icd10_valid(const char *c, size_t len)
{
    size_t i, from = 3;
    if (len < 3 || len > 8 || !(c[0] >= 'A' && c[0] <= 'Z') || !(c[1] >= '0' && c[1] <= '9') ||
        !((c[2] >= '0' && c[2] <= '9') || (c[2] >= 'A' && c[2] <= 'Z')))
        return 0;
    if (len > 3 && c[3] == '.') {
        if (len == 4)
            return 0;
        from = 4;
    }
    if (len - from > 4)
        return 0;
    for (i = from; i < len; i++)
        if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')))
            return 0;
    return 1;
}

static void set(sarx__cond_info *o, int cls, unsigned groups, const char *meaning, const char *cite)
{
    o->cls = cls;
    o->groups = groups;
    o->possible = 0;
    o->meaning = meaning;
    o->cite = cite;
}

/* A coded entry: "icd10:" and the code, in any case, with or without its
** dot. */
static int classify_code(const char *item, sarx__cond_info *o)
{
    char up[12];
    size_t i, len, best = 0, k;
    const code *hit = NULL;
    static const char prefix[] = "icd10:";
    for (i = 0; i < sizeof prefix - 1; i++)
        if (sarx__lower((unsigned char)item[i]) != prefix[i])
            return 0;
    item += sizeof prefix - 1;
    while (*item == ' ')
        item++;
    len = strlen(item);
    for (i = 0, k = 0; i < len && k < sizeof up - 1; i++) {
        if (k == 3 && item[i] != '.') /* "N184" is "N18.4" */
            up[k++] = '.';
        if (k < sizeof up - 1)
            up[k++] = (char)(item[i] >= 'a' && item[i] <= 'z' ? item[i] - ('a' - 'A') : item[i]);
    }
    up[k] = '\0';
    if (len > 8 || !sarx__icd10_valid(up, k)) {
        set(o, SARX__CC_UNKNOWN, 0, "not an ICD-10 code sarx can read", SARX_C);
        return 1;
    }
    for (i = 0; i < SARX__N(codes); i++) {
        size_t l = strlen(codes[i].lo);
        if (l <= k && l > best && strncmp(up, codes[i].lo, l) >= 0 && strncmp(up, codes[i].hi, l) <= 0)
            hit = &codes[i], best = l;
    }
    if (hit)
        set(o, hit->cls, hit->groups, hit->meaning, hit->cite);
    else
        set(o, SARX__CC_UNKNOWN, 0, "an ICD-10 code not in sarx's vocabulary", SARX_C);
    return 1;
}

static int rank(int cls) { return cls == CH || cls == AC ? 3 : cls == UN ? 2 : 1; }

#define MAXTEXT 1024

/* Marks in a clause: the spans that cues, exceptions and terms account for. */
static void cover(unsigned char *m, size_t at, size_t len)
{
    memset(m + at, 1, len);
}

/* Every occurrence of the words of a list in t[a, b): covered; the first
** and last positions are returned (b and 0 when none). */
static int find_cues(const char *t, size_t a, size_t b, const char *const *words, unsigned char *m, size_t *first,
                     size_t *last)
{
    size_t len, at, i;
    int any = 0;
    *first = b;
    *last = 0;
    for (i = 0; words[i]; i++)
        for (at = a; (at = find_word(t, b, at, words[i], &len)) < b; at += len ? len : 1) {
            if (m[at]) /* inside a cue read before ("not excluded") */
                continue;
            cover(m, at, len);
            any = 1;
            if (at < *first)
                *first = at;
            if (at + len > *last)
                *last = at + len;
        }
    return any;
}

/* Whether a clause's words, apart from what is covered, are all filler or
** numbers. */
static int clause_covered(const char *t, size_t a, size_t b, const unsigned char *m)
{
    size_t i = a;
    while (i < b) {
        size_t e, k;
        char w[32];
        int known = 0;
        if (!sarx__word_char((unsigned char)t[i]) || m[i]) {
            i++;
            continue;
        }
        for (e = i; e < b && sarx__word_char((unsigned char)t[e]); e++)
            ;
        if (t[i] >= '0' && t[i] <= '9') { /* a number, a stage such as "3a", "20%" */
            i = e;
            continue;
        }
        for (k = 0; k < e - i && k < sizeof w - 1; k++)
            w[k] = (char)sarx__lower((unsigned char)t[i + k]);
        w[k] = '\0';
        for (k = 0; filler[k] && e - i < sizeof w; k++)
            known |= strcmp(w, filler[k]) == 0;
        if (!known) {
            /* a word partly covered (the end of "cancers") is part of a term */
            size_t j;
            for (j = i; j < e && !m[j]; j++)
                ;
            if (j == e)
                return 0;
        }
        i = e;
    }
    return 1;
}

static const char UNREAD[] = "words sarx cannot read beside a known condition";

typedef struct clause_out {
    int asserted_rank;     /* of the strongest asserted term (0: none) */
    const term *best;      /* that term */
    unsigned groups, possible;
    int unknown;           /* an uncertain, past or negated term, or words sarx cannot read */
    int family;            /* a relative's */
    const char *why;
} clause_out;

static void note_term(clause_out *c, const term *t)
{
    if (rank(t->cls) > c->asserted_rank) {
        c->asserted_rank = rank(t->cls);
        c->best = t;
    }
    c->groups |= t->groups;
}

/* Read one clause t[a, b). */
static void read_clause(const char *t, size_t a, size_t b, clause_out *c)
{
    unsigned char m[MAXTEXT];
    size_t f0, f1, pre_first, pre_last, post_first, post_last, at, len, k, e;
    int uncertain, past, family, benign, in_situ;
    struct {
        size_t at, len;
    } exc[16];
    size_t nexc = 0;
    memset(m + a, 0, b - a);
    uncertain = find_cues(t, a, b, uncertain_cues, m, &f0, &f1);
    past = find_cues(t, a, b, past_cues, m, &f0, &f1);
    family = find_cues(t, a, b, family_cues, m, &f0, &f1);
    find_cues(t, a, b, pre_negations, m, &pre_first, &pre_last);
    find_cues(t, a, b, post_negations, m, &post_first, &post_last);
    benign = find_cues(t, a, b, benign_words, m, &f0, &f1);
    in_situ = find_cues(t, a, b, in_situ_words, m, &f0, &f1);
    if (family) { /* a relative's: nothing about the person */
        c->family = 1;
        return;
    }
    for (k = 0; k < SARX__N(exceptions); k++)
        for (at = a; (at = find_word(t, b, at, exceptions[k].word, &len)) < b; at += len) {
            if (nexc < sizeof exc / sizeof exc[0])
                exc[nexc].at = at, exc[nexc++].len = len;
            cover(m, at, len);
            if ((pre_last > 0 && pre_first < at) || (post_last > 0 && post_first >= at + len) || uncertain || past) {
                c->possible |= exceptions[k].groups;
                c->unknown = 1;
                c->why = "negated, uncertain or past: sarx cannot count it";
            } else {
                note_term(c, &exceptions[k]);
                if (exceptions[k].cls == UN)
                    c->unknown = 1, c->why = exceptions[k].meaning;
            }
        }
    for (k = 0; k < SARX__N(terms); k++) {
        const term *tm = &terms[k];
        for (at = a; (at = find_word(t, b, at, tm->word, &len)) < b; at += len ? len : 1) {
            int negated, in_exception = 0, permanent = tm->groups & AM;
            for (e = 0; e < nexc; e++)
                in_exception |= at < exc[e].at + exc[e].len && exc[e].at < at + len;
            if (in_exception)
                continue;
            cover(m, at, len);
            negated = (pre_last > 0 && pre_first < at) || (post_last > 0 && post_first >= at + len);
            if (negated) {
                c->unknown = 1;
                c->why = "negated: sarx reads what is present, not what is denied";
                continue;
            }
            if ((tm->groups & CA || tm->meaning == TUMOUR) && (benign || in_situ)) { /* a benign or in-situ neoplasm */
                static const term ben = {"", NI, 0, "a benign neoplasm", SARX_C};
                static const term situ = {"", UN, 0, "a neoplasm in situ (sarx cannot tell)", SARX_C};
                note_term(c, benign ? &ben : &situ);
                if (!benign)
                    c->unknown = 1, c->why = situ.meaning;
                continue;
            }
            if (uncertain || (past && !permanent)) {
                c->possible |= tm->groups;
                c->unknown = 1;
                c->why = "uncertain or past: sarx cannot count it";
                continue;
            }
            note_term(c, tm);
            if (tm->cls == UN) {
                c->unknown = 1;
                c->why = tm->meaning;
            }
        }
    }
    if (!clause_covered(t, a, b, m)) {
        c->unknown = 1;
        if (!c->why)
            c->why = UNREAD;
    }
}

/* Is t[i, ...) a word that splits clauses ("and", "with", "but", "or",
** "plus")?  Its length, or 0. */
static size_t split_word(const char *t, size_t n, size_t i)
{
    static const char *const words[] = {"and", "with", "but", "or", "plus", "&"};
    size_t k, len;
    if (i > 0 && sarx__word_char((unsigned char)t[i - 1]))
        return 0;
    for (k = 0; k < SARX__N(words); k++)
        if (find_word(t, n, i, words[k], &len) == i)
            return len;
    return 0;
}

void sarx__condition_classify(const char *item, sarx__cond_info *o)
{
    char t[MAXTEXT];
    size_t n = 0, i, a;
    int truncated = 0, any_unknown = 0, any = 0, best_rank = 0, relatives = 0;
    const term *best = NULL;
    const char *why = NULL;
    unsigned groups = 0, possible = 0;
    set(o, SARX__CC_UNKNOWN, 0, "not in sarx's vocabulary", SARX_C);
    if (!item)
        return;
    if (classify_code(item, o))
        return;
    /* Hyphens and underscores as spaces, runs of blanks as one ("end-stage",
    ** "below-knee", "non-small"). */
    for (i = 0; item[i]; i++) {
        char ch = item[i] == '-' || item[i] == '_' || item[i] == '\t' || item[i] == '\n' || item[i] == '\r'
                      ? ' '
                      : item[i];
        if (n + 1 >= sizeof t) {
            truncated = 1;
            break;
        }
        if (ch == ' ' && (n == 0 || t[n - 1] == ' '))
            continue;
        t[n++] = ch;
    }
    t[n] = '\0';
    /* Clauses: between , ; : . ( ) [ ] and the words of split_word ("/"
    ** stays: "h/o", "s/p", "r/o"). */
    for (a = 0, i = 0; i <= n; i++) {
        size_t sw = i < n ? split_word(t, n, i) : 0;
        if (i == n || strchr(",;:.()[]", t[i]) || sw) {
            if (i > a && !relatives) {
                clause_out c = {0, NULL, 0, 0, 0, 0, NULL};
                read_clause(t, a, i, &c);
                /* "mother: breast cancer", "FH - COPD": what a relative's
                ** clause introduces is the relative's too */
                relatives = c.family && i < n && t[i] == ':';
                any = 1;
                if (c.asserted_rank > best_rank)
                    best_rank = c.asserted_rank, best = c.best;
                groups |= c.groups;
                possible |= c.possible;
                if (c.unknown) {
                    any_unknown = 1;
                    if (!why)
                        why = c.why;
                }
            }
            if (i < n && t[i] == ';') /* a new statement */
                relatives = 0;
            if (sw)
                i += sw - 1;
            a = i + 1;
        }
    }
    (void)any;
    if (!best && !groups && !possible && (!why || strcmp(why, UNREAD) == 0))
        why = "not in sarx's vocabulary"; /* no term at all */
    if (best_rank == 3)
        set(o, best->cls, groups, best->meaning, best->cite);
    else if (any_unknown || truncated || (best && best->cls == UN))
        set(o, SARX__CC_UNKNOWN, groups, why ? why : truncated ? "too long to read" : best->meaning, SARX_C);
    else if (best)
        set(o, best->cls, groups, best->meaning, best->cite);
    else /* nothing but a relative's condition */
        set(o, SARX__CC_NONE, 0, "a relative's condition", SARX_C);
    o->possible = possible;
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
