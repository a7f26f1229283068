/*
** guidance.c — what to do with a result (docs/GUIDANCE.md): the likely
** contributors to muscle loss, red flags that call for prompt clinical
** review, tests to consider, and a nutrition and exercise plan.
**
** Every rule is a row of one table: kind, id, trigger, message, evidence
** level, citation.  A trigger reads the subject's inputs and the
** definitions' results with the engine's three-valued logic (met, not met,
** unknown) and records what made it fire, with the values.  A rule is
** listed when its trigger is met; a red flag is also listed as "possible"
** when part of it is met and the rest is unknown, naming the inputs that
** would decide it.  No rule re-implements a definition: malnutrition,
** cachexia and wasting are read from the definitions' own results.
**
** The plan's numbers (protein, energy, 1RM and training loads) are computed
** once and exposed by name (sarx_assessment_plan).
*/
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sources (docs/GUIDANCE.md gives each in full) ---------------------- */
#define C_SEED000 "Muscle loss: patient page adapted from Conservative Kidney Management and My Health Alberta (seed 000)"
#define C_SEED001 "Muscle loss in liver disease: patient page (seed 001)"
#define C_SEED002 "Decreased muscle mass: symptom database page (seed 002)"
#define C_SEED003 "Unexplained loss of muscle mass: patient page (seed 003)"
#define C_SEED004 "Sarcopenia: a neurogenic syndrome? Review (seed 004)"
#define C_EWGSOP2 "Cruz-Jentoft et al., Age Ageing 2019;48:16-31"
#define C_EVANS "Evans et al., Clin Nutr 2008;27:793-799"
#define C_FEARON "Fearon et al., Lancet Oncol 2011;12:489-495"
#define C_GLIM "Cederholm et al., J Cachexia Sarcopenia Muscle 2019;10:207-217"
#define C_WALL "Wall et al., Acta Physiol 2014;210:600-611 (5 days of immobilisation)"
#define C_KORTEBEIN "Kortebein et al., JAMA 2007;297:1772-1774 (10 days of bed rest in older adults)"
#define C_WL1M "Blackburn et al., JPEN 1977;1:11-22, weight-loss criteria (> 5 % in 1 month: severe), as restated in nutrition-risk tables"
#define C_AUA "Mulhall et al. (AUA guideline), J Urol 2018;200:423-432 (total testosterone < 300 ng/dL)"
#define C_WHO "WHO Technical Report Series 894, 2000 (BMI >= 30 kg/m2)"
#define C_SO "Donini et al. (ESPEN/EASO sarcopenic obesity), Clin Nutr 2022;41:990-1000"
#define C_GC "Pereira & Freire de Carvalho, Joint Bone Spine 2011;78:41-44 (glucocorticoid-induced myopathy)"
#define C_PROTAGE "Bauer et al. (PROT-AGE), JAMDA 2013;14:542-559"
#define C_ESPEN14 "Deutz et al. (ESPEN expert group), Clin Nutr 2014;33:929-936"
#define C_ESPENGER "Volkert et al. (ESPEN geriatrics guideline), Clin Nutr 2019;38:10-47"
#define C_ICFSR "Dent et al. (ICFSR guidelines), J Nutr Health Aging 2018;22:1148-1161"
#define C_NSCA "Fragala et al. (NSCA position statement), J Strength Cond Res 2019;33:2019-2052"
#define C_HURST "Hurst et al., Age Ageing 2022;51:afac003"
#define C_EUGMS "Izquierdo et al. (EuGMS SIG), Eur Geriatr Med 2022 (PMC9722805), Table 5"
#define C_EPLEY "Epley 1985; Brzycki, JOPERD 1993;64:88-90"
#define C_REYNOLDS "Reynolds et al., J Strength Cond Res 2006;20:584-592 (no more than 10 repetitions)"

/* Numbers with their sources (docs/GUIDANCE.md). */
#define AGE_RELATED_FROM 60.0  /* seed 002: muscle loss accelerates after 60 */
#define IMMOBILIZED_FROM 5.0   /* Wall 2014: loss measurable after 5 days */
#define CRP_HIGH 5.0           /* Evans 2008: CRP > 5.0 mg/L */
#define IL6_HIGH 4.0           /* Evans 2008: IL-6 > 4.0 pg/mL */
#define TESTOSTERONE_LOW 300.0 /* AUA 2018: total testosterone < 300 ng/dL */
#define OBESITY_BMI 30.0       /* WHO 2000 */
#define YOUNG_BELOW 40.0       /* sarx convention: a young adult is 18-39 */
#define RAPID_1M 5.0           /* Blackburn 1977: > 5 % in 1 month is severe */
#define RAPID_6M 10.0          /* GLIM 2019 severe: > 10 % within 6 months */
#define EGFR_LOW 30.0          /* PROT-AGE: eGFR < 30 not on dialysis */
#define OLDER_THAN 65.0        /* PROT-AGE: older people (> 65 years) */
#define ONE_RM_RELIABLE_REPS 10 /* predictions from more reps are less accurate */

enum { MET = SARX_MET, NOT = SARX_NOT_MET, UNK = SARX_UNKNOWN };

static int or3(int a, int b) { return a == MET || b == MET ? MET : a == NOT && b == NOT ? NOT : UNK; }
static int and3(int a, int b) { return a == NOT || b == NOT ? NOT : a == MET && b == MET ? MET : UNK; }
static int not3(int a) { return a == MET ? NOT : a == NOT ? MET : UNK; }

/* ---- evaluation context ------------------------------------------------ */
enum { /* the rules, in table order */
    R_AGE, R_DISUSE, R_MALNUTRITION, R_CACHEXIA, R_CHRONIC, R_INFLAMMATION, R_HORMONAL, R_MEDICATION,
    R_NEUROGENIC, R_OBESITY,
    F_ASYMMETRIC, F_FASCICULATIONS, F_DYSPNEA, F_RAPID_LOSS, F_YOUNG, F_REFRACTORY,
    T_NUTRITION, T_INFLAMMATION, T_NEUROMUSCULAR, T_HORMONES, T_BODY_COMPOSITION,
    P_PROTEIN, P_ENERGY, P_TRAINING, P_ONE_RM, P_VITAMIN_D, P_OMEGA3, P_CREATINE, P_LEUCINE, P_CACHEXIA_CARE,
    P_HORMONE_CARE,
    A_RED_FLAGS, A_EGFR, A_KIDNEY_UNKNOWN, A_OBESITY_WEIGHT, A_SUPERVISION, A_ONE_RM_REPS, A_REFRACTORY,
    R_COUNT
};

/* Later rules read earlier ones' results. */
_Static_assert(R_DISUSE < F_YOUNG && F_YOUNG < T_NEUROMUSCULAR && R_HORMONAL < P_HORMONE_CARE,
               "the rules are evaluated in table order");

typedef struct gctx {
    const sarx_assessment *a;
    const sarx_subject *s;
    const sarx__vals *v;
    const double *plan;
    sarx__buf ev;       /* evidence of the rule being evaluated */
    sarx__buf msg;      /* a message with numbers, replacing the rule's */
    sarx__set need;     /* inputs that would decide it */
    int partial;        /* some part of it is met */
    int st[R_COUNT];    /* status of each rule evaluated so far */
    int part[R_COUNT];  /* ... partly met */
    sarx__set need_of[R_COUNT]; /* ... the inputs that would decide it */
    double wl1;         /* weight lost over 1 month (history), NaN */
    int ckd;            /* chronic kidney disease among the conditions */
} gctx;

static void evidence(gctx *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void evidence(gctx *g, const char *fmt, ...)
{
    va_list ap;
    if (g->ev.n)
        sarx__puts(&g->ev, "; ");
    va_start(ap, fmt);
    sarx__vprintf(&g->ev, fmt, ap);
    va_end(ap);
}

/* At most n bytes of free text, cut at a character boundary, with "..." when
** cut: evidence quotes what the user wrote without letting it run on. */
static const char *clip(char *out, size_t n, const char *s)
{
    size_t len = strlen(s), i = 0;
    if (len < n) {
        memcpy(out, s, len + 1);
        return out;
    }
    while (i < len) {
        size_t l = sarx__utf8_len((const unsigned char *)s + i, len - i);
        if (l == 0 || i + l + 4 > n)
            break;
        i += l;
    }
    memcpy(out, s, i);
    memcpy(out + i, "...", 4);
    return out;
}

/* A number as text: at most 3 decimals, no trailing zeros (the reports' form). */
static const char *num(char *t, size_t n, double v)
{
    sarx__fmt_short(t, n, v);
    return t;
}

static void need_field(gctx *g, int f)
{
    if (f < SARX__F_COUNT)
        sarx__set_add(&g->need, f);
}

/* value(m) op t, for an input field or a derived value. */
static int cmp_num(gctx *g, int m, int op, double t)
{
    const sarx__vals *v = g->v;
    char a[48], b[48];
    int c, met;
    if (isnan(v->lo[m]) || v->lo[m] != v->hi[m]) {
        if (m < SARX__F_COUNT)
            need_field(g, m);
        else
            sarx__set_or(&g->need, &v->need[m]);
        return UNK;
    }
    c = sarx__cmp(v->lo[m], t);
    met = op == SARX__LT ? c < 0 : op == SARX__LE ? c <= 0 : op == SARX__GT ? c > 0 : c >= 0;
    if (met) {
        g->partial = 1;
        evidence(g, "%s %s %s (%s %s%s%s)", sarx__measure_name(m), num(a, sizeof a, v->lo[m]), sarx__measure_unit(m),
                 sarx__op_name[op], num(b, sizeof b, t), sarx__measure_unit(m)[0] ? " " : "", sarx__measure_unit(m));
    }
    return met ? MET : NOT;
}

static int is_true(gctx *g, int f)
{
    double x = g->s->v[f];
    if (isnan(x)) {
        need_field(g, f);
        return UNK;
    }
    if (x == 1) {
        g->partial = 1;
        evidence(g, "%s: yes", sarx__field_info[f].name);
        return MET;
    }
    return NOT;
}

static const char *const activity_word[] = {"", "sedentary", "low", "moderate", "high"};

/* ---- definitions' results --------------------------------------------- */
static const sarx_result *result(const gctx *g, const char *def) { return sarx_assessment_find(g->a, def); }

/* The definition's category counts as having the condition. */
static int positive(gctx *g, const char *def)
{
    const sarx_result *r = result(g, def);
    const sarx__eval *e;
    const sarx__def *d;
    if (!r)
        return UNK;
    e = sarx__result_eval(r);
    d = sarx_result_definition(r)->d;
    if (e->category >= 0 && d->cats[e->category].positive) {
        g->partial = 1;
        evidence(g, "%s: %s%s", d->title, d->cats[e->category].name, e->complete ? "" : " (incomplete)");
        return MET;
    }
    if (e->category >= 0 && e->complete)
        return NOT;
    sarx__set_or(&g->need, &e->missing);
    return UNK;
}

/* Some definition of this kind counts the subject as having the condition. */
static int kind_positive(gctx *g, const char *kind)
{
    size_t i;
    int t = NOT;
    for (i = 0; i < sarx_assessment_result_count(g->a); i++) {
        const sarx__def *d = sarx_result_definition(sarx_assessment_result(g->a, i))->d;
        if (strcmp(d->kind, kind) == 0)
            t = or3(t, positive(g, d->id));
    }
    return t;
}

/* One criterion of a definition. */
static int criterion(gctx *g, const char *def, const char *crit)
{
    const sarx_result *r = result(g, def);
    const sarx__def *d;
    size_t k;
    if (!r)
        return UNK;
    d = sarx_result_definition(r)->d;
    for (k = 0; k < d->ncrit; k++)
        if (strcmp(d->crits[k].id, crit) == 0) {
            int t = sarx_result_criterion_status(r, k);
            if (t == MET) {
                g->partial = 1;
                evidence(g, "%s: %s", d->title, d->crits[k].text);
            }
            return t;
        }
    return UNK;
}

static int category_is(gctx *g, const char *def, const char *cat)
{
    const sarx_result *r = result(g, def);
    if (!r)
        return UNK;
    if (strcmp(sarx_result_category(r), cat) == 0) {
        g->partial = 1;
        evidence(g, "%s: %s", sarx_result_definition(r)->d->title, cat);
        return MET;
    }
    return sarx_result_complete(r) ? NOT : UNK;
}

/* ---- free-text lists (conditions, medications) ------------------------- */
/*
** Keywords match whole words.  A keyword in lower case matches any case; one
** with a capital letter is an acronym that must match exactly ("AIDS", not
** "hearing aids"; "ALS", not "als").  A trailing '*' matches any ending.
** An item that also contains a negation ("no", "not", "negative", "ruled
** out", "history of", "family history", ...) or an excluding phrase of the
** table ("heat stroke", "benign", a topical form of a medicine) is skipped:
** sarx cannot tell what it means, and nothing fires on a guess.
*/
typedef struct kw {
    const char *word;
    const char *meaning;
} kw;

static int word_char(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

static int has_word(const char *text, const char *word)
{
    size_t wl = strlen(word), tl = strlen(text), i, k;
    int prefix = wl > 0 && word[wl - 1] == '*', exact = 0;
    if (prefix)
        wl--;
    for (k = 0; k < wl; k++)
        exact |= word[k] >= 'A' && word[k] <= 'Z';
    for (i = 0; i + wl <= tl; i++) {
        if (i > 0 && word_char((unsigned char)text[i - 1]))
            continue;
        for (k = 0; k < wl; k++) {
            int c = (unsigned char)text[i + k];
            if ((exact ? c : sarx__lower(c)) != word[k])
                break;
        }
        if (k == wl && (prefix || i + wl == tl || !word_char((unsigned char)text[i + wl])))
            return 1;
    }
    return 0;
}

static int has_any(const char *text, const char *const *words)
{
    for (; words && *words; words++)
        if (has_word(text, *words))
            return 1;
    return 0;
}

static const char *const negations[] = {"no", "not", "non", "negative", "neg", "denies", "denied", "without",
                                        "ruled out", "excluded", "history of", "family history", "fh",
                                        "suspected", "possible", "query", "resolved", "remission", NULL};
static const char *const topical[] = {"cream", "ointment", "gel", "lotion", "topical", "eye", "drops", "ear",
                                      "nasal", "spray", "inhaler", "inhaled", "inhalation", "intra-articular",
                                      "injection into", NULL};

#define MAX_EVIDENCE_ITEMS 5

/* Which items of a free-text list match the table; the meaning of the first
** match of each item goes into the evidence.  *hit receives the matched
** meaning of the first match (or NULL). */
static int list_match(gctx *g, int field, const kw *kws, size_t nk, const char *const *exclude,
                      const char **hit)
{
    const sarx__list *l = field == SARX__F_CONDITIONS ? &g->s->conditions : &g->s->medications;
    size_t i, k, shown = 0, more = 0;
    int met = 0;
    if (hit)
        *hit = NULL;
    if (l->n == 0) {
        need_field(g, field);
        return UNK;
    }
    for (i = 0; i < l->n; i++) {
        if ((field == SARX__F_CONDITIONS && has_any(l->item[i], negations)) || has_any(l->item[i], exclude))
            continue;
        for (k = 0; k < nk; k++)
            if (has_word(l->item[i], kws[k].word)) {
                char t[100];
                if (shown < MAX_EVIDENCE_ITEMS) {
                    evidence(g, "%s: %s (%s)", sarx__field_info[field].name, clip(t, sizeof t, l->item[i]),
                             kws[k].meaning);
                    shown++;
                } else {
                    more++;
                }
                if (hit && !*hit)
                    *hit = kws[k].meaning;
                met = 1;
                break;
            }
    }
    if (more)
        evidence(g, "and %lu more in %s", (unsigned long)more, sarx__field_info[field].name);
    if (met)
        g->partial = 1;
    return met ? MET : NOT;
}

#define CKD_MEANING "chronic kidney disease"
static int list_has_meaning(const gctx *g, const char *meaning);
static const kw chronic_kw[] = {
    {"cancer*", "cancer"}, {"carcinoma", "cancer"}, {"adenocarcinoma", "cancer"}, {"tumour", "cancer"},
    {"tumor", "cancer"}, {"malignan*", "cancer"}, {"metasta*", "cancer"}, {"lymphoma", "cancer"},
    {"leukaemia", "cancer"}, {"leukemia", "cancer"}, {"myeloma", "cancer"}, {"sarcoma", "cancer"},
    {"melanoma", "cancer"},
    {"cirrhosis", "liver disease"}, {"liver disease", "liver disease"}, {"liver failure", "liver disease"},
    {"heart failure", "heart failure"}, {"cardiac failure", "heart failure"}, {"chf", "heart failure"},
    {"HF", "heart failure"}, {"HFrEF", "heart failure"}, {"HFpEF", "heart failure"}, {"HFmrEF", "heart failure"},
    {"copd", "chronic lung disease"}, {"chronic obstructive*", "chronic lung disease"},
    {"emphysema", "chronic lung disease"}, {"CKD*", CKD_MEANING}, {"chronic kidney*", CKD_MEANING},
    {"kidney failure", CKD_MEANING}, {"renal failure", CKD_MEANING}, {"esrd", CKD_MEANING},
    {"end-stage renal", CKD_MEANING}, {"end stage renal", CKD_MEANING},
    {"hiv", "HIV"}, {"AIDS", "HIV"}, {"rheumatoid arthritis", "chronic inflammatory disease"},
    {"crohn*", "chronic inflammatory disease"}, {"ulcerative colitis", "chronic inflammatory disease"},
    {"tuberculosis", "chronic infection"},
};
static const char *const chronic_excl[] = {"benign", "acute kidney", NULL};

/* Does a condition match a keyword of chronic_kw with this meaning? */
static int list_has_meaning(const gctx *g, const char *meaning)
{
    size_t i, k;
    for (i = 0; i < g->s->conditions.n; i++) {
        const char *it = g->s->conditions.item[i];
        if (has_any(it, negations) || has_any(it, chronic_excl))
            continue;
        for (k = 0; k < SARX__N(chronic_kw); k++)
            if (strcmp(chronic_kw[k].meaning, meaning) == 0 && has_word(it, chronic_kw[k].word))
                return 1;
    }
    return 0;
}
static const kw neuro_kw[] = {
    {"ALS", "motor neuron disease"}, {"amyotrophic*", "motor neuron disease"},
    {"motor neuron*", "motor neuron disease"}, {"motor neurone*", "motor neuron disease"},
    {"MND", "motor neuron disease"}, {"spinal muscular atrophy", "spinal muscular atrophy"},
    {"neuropathy", "nerve damage"}, {"polyneuropathy", "nerve damage"}, {"radiculopathy", "nerve damage"},
    {"nerve injury", "nerve damage"}, {"nerve damage", "nerve damage"}, {"polio*", "nerve damage"},
    {"post-polio", "nerve damage"}, {"spinal cord injury", "nerve damage"}, {"stroke", "nerve damage"},
    {"multiple sclerosis", "nerve damage"}, {"guillain*", "nerve damage"},
};
static const char *const neuro_excl[] = {"heat stroke", "sunstroke", "optic neuropathy", "autonomic neuropathy",
                                         NULL};
static const kw hormone_kw[] = {
    {"hypogonadism", "low sex hormones"}, {"menopaus*", "low oestrogen"}, {"postmenopaus*", "low oestrogen"},
    {"androgen deprivation*", "low testosterone"}, {"hyperthyroid*", "thyroid excess"},
    {"cushing*", "glucocorticoid excess"}, {"growth hormone deficiency", "low growth hormone"},
};
static const kw hormone_drug_kw[] = {
    {"leuprolide", "androgen deprivation"}, {"leuprorelin", "androgen deprivation"},
    {"goserelin", "androgen deprivation"}, {"triptorelin", "androgen deprivation"},
    {"degarelix", "androgen deprivation"}, {"bicalutamide", "androgen deprivation"},
    {"enzalutamide", "androgen deprivation"}, {"apalutamide", "androgen deprivation"},
    {"abiraterone", "androgen deprivation"},
};
static const kw drug_kw[] = {
    {"prednisone", "glucocorticoid"}, {"prednisolone", "glucocorticoid"},
    {"methylprednisolone", "glucocorticoid"}, {"dexamethasone", "glucocorticoid"},
    {"hydrocortisone", "glucocorticoid"}, {"cortisone", "glucocorticoid"}, {"betamethasone", "glucocorticoid"},
    {"triamcinolone", "glucocorticoid"}, {"deflazacort", "glucocorticoid"},
    {"glucocorticoid*", "glucocorticoid"}, {"corticosteroid*", "glucocorticoid"},
    {"chemotherapy", "cancer treatment (seed 003)"}, {"chemo", "cancer treatment (seed 003)"},
};

/* ---- triggers ------------------------------------------------------------ */
static int t_age(gctx *g) { return cmp_num(g, SARX__F_AGE, SARX__GE, AGE_RELATED_FROM); }

static int t_disuse(gctx *g)
{
    int t = cmp_num(g, SARX__F_IMMOBILIZED, SARX__GE, IMMOBILIZED_FROM);
    double act = g->s->v[SARX__F_ACTIVITY];
    if (isnan(act)) {
        need_field(g, SARX__F_ACTIVITY);
        return or3(t, UNK);
    }
    if (act <= 2) { /* sedentary, low */
        g->partial = 1;
        evidence(g, "activity_level: %s", activity_word[(int)act]);
        return MET;
    }
    return or3(t, NOT);
}

static int t_malnutrition(gctx *g)
{
    int t = positive(g, "glim2019");
    t = or3(t, criterion(g, "glim2019", "weight_loss_6m"));
    t = or3(t, criterion(g, "glim2019", "weight_loss_12m"));
    t = or3(t, criterion(g, "glim2019", "low_bmi"));
    t = or3(t, criterion(g, "glim2019", "reduced_intake"));
    return or3(t, criterion(g, "evans2008", "anorexia"));
}

static int t_cachexia(gctx *g)
{
    int t = positive(g, "evans2008");
    t = or3(t, positive(g, "evans2008_7"));
    return or3(t, positive(g, "fearon2011")); /* pre-cachexia is not cachexia */
}

static int t_chronic(gctx *g)
{
    int t = is_true(g, SARX__F_CHRONIC);
    t = or3(t, is_true(g, SARX__F_CANCER));
    int c = list_match(g, SARX__F_CONDITIONS, chronic_kw, SARX__N(chronic_kw), chronic_excl, NULL);
    g->ckd = c == MET && list_has_meaning(g, CKD_MEANING);
    return or3(t, c);
}

static int t_inflammation(gctx *g)
{
    int t = cmp_num(g, SARX__F_CRP, SARX__GT, CRP_HIGH);
    t = or3(t, cmp_num(g, SARX__F_IL6, SARX__GT, IL6_HIGH));
    return or3(t, is_true(g, SARX__F_INFLAMMATION));
}

static int t_hormonal(gctx *g)
{
    int t = list_match(g, SARX__F_CONDITIONS, hormone_kw, SARX__N(hormone_kw), NULL, NULL);
    double sex = g->s->v[SARX__F_SEX];
    t = or3(t, list_match(g, SARX__F_MEDICATIONS, hormone_drug_kw, SARX__N(hormone_drug_kw), NULL, NULL));
    if (sex == SARX__MALE) {
        t = or3(t, cmp_num(g, SARX__F_TESTOSTERONE, SARX__LT, TESTOSTERONE_LOW));
    } else if (isnan(sex) && !isnan(g->s->v[SARX__F_TESTOSTERONE])) {
        need_field(g, SARX__F_SEX); /* the cut-off is for men */
        t = or3(t, UNK);
    }
    return t;
}

static int t_medication(gctx *g)
{
    return list_match(g, SARX__F_MEDICATIONS, drug_kw, SARX__N(drug_kw), topical, NULL);
}

static int t_neurogenic(gctx *g)
{
    int t = is_true(g, SARX__F_FASCICULATIONS);
    return or3(t, list_match(g, SARX__F_CONDITIONS, neuro_kw, SARX__N(neuro_kw), neuro_excl, NULL));
}

static int t_obesity(gctx *g) { return cmp_num(g, SARX__M_BMI, SARX__GE, OBESITY_BMI); }

static int t_asymmetric(gctx *g) { return is_true(g, SARX__F_ASYMMETRIC); }
static int t_fasciculations(gctx *g) { return is_true(g, SARX__F_FASCICULATIONS); }
static int t_dyspnea(gctx *g) { return is_true(g, SARX__F_DYSPNEA); }

static int t_rapid_loss(gctx *g)
{
    int t;
    char a[48];
    if (isnan(g->wl1)) {
        t = UNK;
    } else if (sarx__cmp(g->wl1, RAPID_1M) > 0) {
        g->partial = 1;
        evidence(g, "weight lost over 1 month (history) %s %% (> 5 %%)", num(a, sizeof a, g->wl1));
        t = MET;
    } else {
        t = NOT;
    }
    return or3(t, cmp_num(g, SARX__M_WL6, SARX__GT, RAPID_6M));
}

/* Wasting: loss of muscle or weight, not weakness alone: EWGSOP2 low muscle
** quantity, GLIM reduced muscle mass or weight loss, or a cachexia
** definition.  Janssen's moderate band and strength-only definitions (SDOC)
** are left out: they were set in older adults and are not wasting. */
static int wasting(gctx *g)
{
    int t = criterion(g, "ewgsop2", "low_muscle_quantity");
    t = or3(t, criterion(g, "glim2019", "reduced_muscle_mass"));
    t = or3(t, criterion(g, "glim2019", "weight_loss_6m"));
    t = or3(t, criterion(g, "glim2019", "weight_loss_12m"));
    return or3(t, kind_positive(g, "cachexia"));
}

static int t_young(gctx *g)
{
    int young, w, disuse = g->st[R_DISUSE]; /* evaluated before, as a cause */
    young = cmp_num(g, SARX__F_AGE, SARX__LT, YOUNG_BELOW);
    if (young == NOT)
        return NOT;
    w = wasting(g);
    if (w == NOT)
        return NOT;
    /* when age and wasting are met, only the inputs of disuse can decide
    ** the flag */
    if (young == MET && w == MET)
        memset(&g->need, 0, sizeof g->need);
    sarx__set_or(&g->need, &g->need_of[R_DISUSE]);
    if (disuse == NOT)
        evidence(g, "no recent immobilisation or inactivity recorded");
    /* partly met only when both age and wasting are */
    g->partial = young == MET && w == MET;
    return and3(and3(young, w), not3(disuse));
}

static int t_refractory(gctx *g) { return category_is(g, "fearon2011", "refractory_cachexia"); }

/* Tests to consider. */
/* Muscle loss or weakness: a positive sarcopenia, cachexia or malnutrition
** result, dynapenia, or low strength (EWGSOP2). */
static int any_loss(gctx *g)
{
    int t = kind_positive(g, "sarcopenia");
    t = or3(t, criterion(g, "ewgsop2", "low_strength"));
    t = or3(t, positive(g, "dynapenia"));
    t = or3(t, kind_positive(g, "cachexia"));
    return or3(t, kind_positive(g, "malnutrition"));
}

static int t_test_nutrition(gctx *g)
{
    if (g->st[R_MALNUTRITION] != MET && g->st[R_CACHEXIA] != MET)
        return NOT;
    evidence(g, "%s (see causes)", g->st[R_MALNUTRITION] == MET ? "poor nutrition" : "cachexia");
    return MET;
}

static int t_test_inflammation(gctx *g)
{
    int reason = g->st[R_CHRONIC] == MET || g->st[R_CACHEXIA] == MET || g->st[R_MALNUTRITION] == MET;
    if (!isnan(g->s->v[SARX__F_CRP]) || !isnan(g->s->v[SARX__F_IL6]))
        return NOT;
    if (!reason && any_loss(g) != MET)
        return NOT;
    evidence(g, "crp_mg_l and il6_pg_ml not given");
    return MET;
}

static int t_test_neuromuscular(gctx *g)
{
    if (g->st[R_NEUROGENIC] == MET) {
        evidence(g, "signs or a diagnosis of nerve disease (see causes)");
        return MET;
    }
    if (g->st[F_ASYMMETRIC] == MET) {
        evidence(g, "one limb smaller than the other (see red flags)");
        return MET;
    }
    if (g->st[F_YOUNG] == MET || (g->st[F_YOUNG] == UNK && g->part[F_YOUNG])) {
        evidence(g, "wasting in a young adult (see red flags)");
        return MET;
    }
    return NOT;
}

static int t_test_hormones(gctx *g)
{
    if (!isnan(g->s->v[SARX__F_TESTOSTERONE]) || any_loss(g) != MET)
        return NOT;
    return MET;
}

/* EWGSOP2's pathway: find (SARC-F), assess strength, then confirm with
** muscle quantity.  Mass is suggested only after a finding. */
static int t_test_body_composition(gctx *g)
{
    static const int mass[] = {SARX__F_ASM, SARX__F_SMM, SARX__F_FFM, SARX__F_BIA_R, SARX__F_CT_L3};
    size_t i, m;
    int finding = criterion(g, "ewgsop2", "low_strength");
    finding = or3(finding, category_is(g, "awgs2019", "possible_sarcopenia"));
    finding = or3(finding, positive(g, "sarc_f"));
    finding = or3(finding, positive(g, "sarc_calf"));
    if (finding != MET)
        return NOT;
    for (i = 0; i < sarx_assessment_result_count(g->a); i++) {
        const sarx_result *r = sarx_assessment_result(g->a, i);
        if (strcmp(sarx_result_definition(r)->d->kind, "sarcopenia") != 0 || sarx_result_complete(r))
            continue;
        for (m = 0; m < SARX__N(mass); m++)
            if (sarx__set_has(&sarx__result_eval(r)->missing, mass[m])) {
                evidence(g, "%s would decide %s (%s so far)", sarx__field_info[mass[m]].name,
                         sarx_result_definition(r)->d->title, sarx_result_category(r));
                return MET;
            }
    }
    return NOT;
}

/* ---- the plan ------------------------------------------------------------ */
enum {
    PL_PROTEIN_KG_LOW, PL_PROTEIN_KG_HIGH, PL_PROTEIN_DAY_LOW, PL_PROTEIN_DAY_HIGH,
    PL_ENERGY_KG_LOW, PL_ENERGY_KG_HIGH, PL_ENERGY_KG_GUIDE, PL_ENERGY_DAY_LOW, PL_ENERGY_DAY_HIGH,
    PL_ENERGY_DAY_GUIDE, PL_ONE_RM_EPLEY, PL_ONE_RM_BRZYCKI, PL_ONE_RM, PL_LOAD_START_LOW, PL_LOAD_START_HIGH,
    PL_LOAD_MASS_LOW, PL_LOAD_MASS_HIGH, PL_SESSIONS_LOW, PL_SESSIONS_HIGH, PL_SETS_LOW, PL_SETS_HIGH,
    PL_REPS_LOW, PL_REPS_HIGH, PL_PCT_START_LOW, PL_PCT_START_HIGH, PL_PCT_MASS_LOW, PL_PCT_MASS_HIGH, PL_COUNT
};
static const char *const plan_name[PL_COUNT] = {
    "protein_g_kg_low", "protein_g_kg_high", "protein_g_day_low", "protein_g_day_high",
    "energy_kcal_kg_low", "energy_kcal_kg_high", "energy_kcal_kg_guide", "energy_kcal_day_low",
    "energy_kcal_day_high", "energy_kcal_day_guide", "one_rm_epley_kg", "one_rm_brzycki_kg", "one_rm_kg",
    "load_start_low_kg", "load_start_high_kg", "load_mass_low_kg", "load_mass_high_kg",
    "training_sessions_week_low", "training_sessions_week_high", "training_sets_low", "training_sets_high",
    "training_reps_low", "training_reps_high", "intensity_start_low_pct", "intensity_start_high_pct",
    "intensity_mass_low_pct", "intensity_mass_high_pct",
};

/* The training prescription: sessions a week (NSCA 2019: 2-3; Hurst 2022: 2),
** sets and repetitions per exercise (Hurst 2022: 1-3 sets of 6-12), and
** intensities as % of 1RM. */
#define SESSIONS_LOW 2
#define SESSIONS_HIGH 3
#define SETS_LOW 1
#define SETS_HIGH 3
#define REPS_LOW 6
#define REPS_HIGH 12
#define START_LOW 20.0  /* EuGMS 2022: start at 20-30 % */
#define START_HIGH 30.0
#define MASS_LOW 60.0   /* seed 004: 60-85 % builds mass */
#define MASS_HIGH 85.0  /* above 85 % also rate of force development */

int sarx_one_rm(double load_kg, int reps, int formula, double *out)
{
    if (!out)
        return SARX_EINVAL;
    *out = NAN;
    if (!(load_kg > 0) || isinf(load_kg) || reps < 1)
        return SARX_ERANGE;
    if (reps == 1) { /* one repetition is the maximum itself */
        *out = load_kg;
        return SARX_OK;
    }
    switch (formula) {
    case SARX_1RM_EPLEY:
        *out = load_kg * (1.0 + reps / 30.0);
        return SARX_OK;
    case SARX_1RM_BRZYCKI:
        if (reps >= 37) /* the denominator reaches zero at 37 */
            return SARX_ERANGE;
        *out = load_kg * 36.0 / (37 - reps);
        return SARX_OK;
    default:
        return SARX_EINVAL;
    }
}

/* eGFR < 30 and not on dialysis (false or not recorded). */
static int kidney_caution(const gctx *g)
{
    double e = g->s->v[SARX__F_EGFR];
    return !isnan(e) && sarx__cmp(e, EGFR_LOW) < 0 && g->s->v[SARX__F_DIALYSIS] != 1;
}

static void compute_plan(gctx *g, double *p)
{
    const sarx__vals *v = g->v;
    double w = v->lo[SARX__F_WEIGHT], age = v->lo[SARX__F_AGE];
    double load = g->s->v[SARX__F_LIFT_LOAD], reps = g->s->v[SARX__F_LIFT_REPS];
    int illness = g->st[R_CHRONIC] == MET || g->st[R_CACHEXIA] == MET || g->st[R_INFLAMMATION] == MET ||
                  g->st[R_MALNUTRITION] == MET;
    size_t i;
    for (i = 0; i < PL_COUNT; i++)
        p[i] = NAN;
    if (kidney_caution(g)) {
        /* PROT-AGE: may need to limit protein; no number is given */
    } else if (illness) {
        p[PL_PROTEIN_KG_LOW] = 1.2, p[PL_PROTEIN_KG_HIGH] = 1.5; /* PROT-AGE, ESPEN 2014 */
    } else if (!isnan(age)) {
        if (sarx__cmp(age, OLDER_THAN) > 0)
            p[PL_PROTEIN_KG_LOW] = 1.0, p[PL_PROTEIN_KG_HIGH] = 1.2; /* PROT-AGE healthy older */
        else
            p[PL_PROTEIN_KG_LOW] = 0.8, p[PL_PROTEIN_KG_HIGH] = 1.2; /* seed 004 review */
    }
    p[PL_ENERGY_KG_LOW] = 24, p[PL_ENERGY_KG_HIGH] = 36, p[PL_ENERGY_KG_GUIDE] = 30; /* ESPEN geriatrics */
    p[PL_SESSIONS_LOW] = SESSIONS_LOW, p[PL_SESSIONS_HIGH] = SESSIONS_HIGH;
    p[PL_SETS_LOW] = SETS_LOW, p[PL_SETS_HIGH] = SETS_HIGH;
    p[PL_REPS_LOW] = REPS_LOW, p[PL_REPS_HIGH] = REPS_HIGH;
    p[PL_PCT_START_LOW] = START_LOW, p[PL_PCT_START_HIGH] = START_HIGH;
    p[PL_PCT_MASS_LOW] = MASS_LOW, p[PL_PCT_MASS_HIGH] = MASS_HIGH;
    if (!isnan(w)) {
        p[PL_PROTEIN_DAY_LOW] = p[PL_PROTEIN_KG_LOW] * w;
        p[PL_PROTEIN_DAY_HIGH] = p[PL_PROTEIN_KG_HIGH] * w;
        p[PL_ENERGY_DAY_LOW] = 24 * w;
        p[PL_ENERGY_DAY_HIGH] = 36 * w;
        p[PL_ENERGY_DAY_GUIDE] = 30 * w;
    }
    if (!isnan(load) && !isnan(reps)) {
        sarx_one_rm(load, (int)reps, SARX_1RM_EPLEY, &p[PL_ONE_RM_EPLEY]);
        sarx_one_rm(load, (int)reps, SARX_1RM_BRZYCKI, &p[PL_ONE_RM_BRZYCKI]);
        /* the lower estimate: loads are prescribed from it */
        p[PL_ONE_RM] = p[PL_ONE_RM_EPLEY] < p[PL_ONE_RM_BRZYCKI] ? p[PL_ONE_RM_EPLEY] : p[PL_ONE_RM_BRZYCKI];
        p[PL_LOAD_START_LOW] = p[PL_ONE_RM] * START_LOW / 100;
        p[PL_LOAD_START_HIGH] = p[PL_ONE_RM] * START_HIGH / 100;
        p[PL_LOAD_MASS_LOW] = p[PL_ONE_RM] * MASS_LOW / 100;
        p[PL_LOAD_MASS_HIGH] = p[PL_ONE_RM] * MASS_HIGH / 100;
    }
}

static int t_protein(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], c[48], d[48], w[48];
    const char *basis;
    if (kidney_caution(g)) {
        sarx__puts(&g->msg, "Protein: no target is set. With severe kidney disease (eGFR below 30) and not on "
                            "dialysis, protein may need to be limited (PROT-AGE); agree the amount with the kidney "
                            "team.");
        evidence(g, "egfr_ml_min_1_73m2 %s (< 30)", num(a, sizeof a, g->s->v[SARX__F_EGFR]));
        return MET;
    }
    if (isnan(p[PL_PROTEIN_KG_LOW])) {
        need_field(g, SARX__F_AGE);
        sarx__puts(&g->msg, "Protein: the target depends on age (1.0-1.2 g/kg/day over 65 years, PROT-AGE) and "
                            "on illness (1.2-1.5 g/kg/day); age_years is not given.");
        return MET;
    }
    basis = p[PL_PROTEIN_KG_LOW] == 1.2   ? "acute or chronic illness, or malnutrition (PROT-AGE; ESPEN 2014; more in severe "
                                            "illness or injury)"
            : p[PL_PROTEIN_KG_LOW] == 1.0 ? "over 65 years with no illness recorded (PROT-AGE, healthy older "
                                            "people; at least 1.2 for those who exercise)"
                                          : "adult aged 65 or under without a recorded illness: 0.8-1.2 g/kg/day "
                                            "for the prevention of sarcopenia (seed 004)";
    if (isnan(p[PL_PROTEIN_DAY_LOW])) {
        need_field(g, SARX__F_WEIGHT);
        sarx__printf(&g->msg, "Protein %s-%s g per kg body weight per day (%s); weight_kg is needed for grams per "
                              "day.",
                     num(a, sizeof a, p[PL_PROTEIN_KG_LOW]), num(b, sizeof b, p[PL_PROTEIN_KG_HIGH]), basis);
    } else {
        sarx__printf(&g->msg, "Protein %s-%s g/day (%s-%s g/kg/day for %s kg; %s).",
                     num(a, sizeof a, round(p[PL_PROTEIN_DAY_LOW])), num(b, sizeof b, round(p[PL_PROTEIN_DAY_HIGH])),
                     num(c, sizeof c, p[PL_PROTEIN_KG_LOW]), num(d, sizeof d, p[PL_PROTEIN_KG_HIGH]),
                     num(w, sizeof w, g->v->lo[SARX__F_WEIGHT]), basis);
    }
    if (g->st[R_CHRONIC] == MET || g->st[R_CACHEXIA] == MET || g->st[R_INFLAMMATION] == MET ||
        g->st[R_MALNUTRITION] == MET)
        evidence(g, "illness, inflammation, cachexia or malnutrition (see causes)");
    else if (p[PL_PROTEIN_KG_LOW] == 1.0)
        evidence(g, "age over 65, no illness recorded");
    else
        evidence(g, "age 65 or under, no illness recorded");
    return MET;
}

static int t_energy(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], c[48];
    if (isnan(p[PL_ENERGY_DAY_LOW])) {
        need_field(g, SARX__F_WEIGHT);
        sarx__puts(&g->msg, "Energy 24-36 kcal per kg body weight per day, 30 as a guide, adjusted to the person "
                            "(ESPEN geriatrics); weight_kg is needed for kcal per day.");
    } else {
        sarx__printf(&g->msg, "Energy about %s kcal/day (range %s-%s: 24-36 kcal/kg/day, 30 as a guide, adjusted "
                              "to the person's nutritional status, activity and illness).",
                     num(a, sizeof a, round(p[PL_ENERGY_DAY_GUIDE])), num(b, sizeof b, round(p[PL_ENERGY_DAY_LOW])),
                     num(c, sizeof c, round(p[PL_ENERGY_DAY_HIGH])));
    }
    return MET;
}

static int t_one_rm(gctx *g)
{
    const double *p = g->plan;
    char a[48], b[48], c[48], d[48], e[48], f[48], h[48];
    if (isnan(p[PL_ONE_RM]))
        return NOT;
    evidence(g, "lift_load_kg %s kg x lift_reps %s", num(a, sizeof a, g->s->v[SARX__F_LIFT_LOAD]),
             num(b, sizeof b, g->s->v[SARX__F_LIFT_REPS]));
    sarx__printf(&g->msg, "Estimated 1RM %s kg (Epley %s kg, Brzycki %s kg; the lower is used). Loads: start at "
                          "%s-%s kg (20-30 %%), build muscle at %s-%s kg (60-85 %%); above %s kg (85 %%) also trains "
                          "rate of force development.",
                 num(a, sizeof a, p[PL_ONE_RM]), num(b, sizeof b, p[PL_ONE_RM_EPLEY]),
                 num(c, sizeof c, p[PL_ONE_RM_BRZYCKI]), num(d, sizeof d, p[PL_LOAD_START_LOW]),
                 num(e, sizeof e, p[PL_LOAD_START_HIGH]), num(f, sizeof f, p[PL_LOAD_MASS_LOW]),
                 num(h, sizeof h, p[PL_LOAD_MASS_HIGH]), h);
    return MET;
}

static int t_always(gctx *g)
{
    (void)g;
    return MET;
}

static int t_hormone_care(gctx *g) { return g->st[R_HORMONAL] == MET ? MET : NOT; }
static int t_cachexia_care(gctx *g) { return g->st[R_CACHEXIA] == MET ? MET : NOT; }

static int t_red_flags(gctx *g)
{
    int k, any = 0;
    for (k = F_ASYMMETRIC; k <= F_REFRACTORY; k++)
        any |= g->st[k] == MET;
    return any ? MET : NOT;
}

static int t_kidney_unknown(gctx *g)
{
    if (!g->ckd || !isnan(g->s->v[SARX__F_EGFR]) || g->s->v[SARX__F_DIALYSIS] == 1)
        return NOT;
    evidence(g, "chronic kidney disease among the conditions; egfr_ml_min_1_73m2 not given");
    return MET;
}

static int t_obesity_weight(gctx *g)
{
    if (g->st[R_OBESITY] != MET || isnan(g->plan[PL_ENERGY_DAY_LOW]))
        return NOT;
    return cmp_num(g, SARX__M_BMI, SARX__GE, OBESITY_BMI);
}

static int t_egfr(gctx *g)
{
    int low = cmp_num(g, SARX__F_EGFR, SARX__LT, EGFR_LOW);
    double dia = g->s->v[SARX__F_DIALYSIS];
    if (low != MET)
        return low;
    if (dia == 1)
        return NOT;
    evidence(g, isnan(dia) ? "dialysis not recorded" : "dialysis: no");
    return MET;
}

static int t_one_rm_reps(gctx *g)
{
    double r = g->s->v[SARX__F_LIFT_REPS];
    if (isnan(g->plan[PL_ONE_RM]) || !(r > ONE_RM_RELIABLE_REPS))
        return NOT;
    evidence(g, "lift_reps %d (> %d)", (int)r, ONE_RM_RELIABLE_REPS);
    return MET;
}

/* ---- the table ------------------------------------------------------------ */
typedef struct rule {
    int kind;
    const char *id;
    int (*fn)(gctx *);
    const char *message;
    const char *level; /* the strength of the evidence, where it needs saying */
    const char *cite;
} rule;

#define CAUSE SARX_GUIDE_CAUSE
#define FLAG SARX_GUIDE_RED_FLAG
#define TEST SARX_GUIDE_TEST
#define ADVICE SARX_GUIDE_ADVICE
#define CAUTION SARX_GUIDE_CAUTION

static const rule rules[R_COUNT] = {
    [R_AGE] = {CAUSE, "age_related", t_age,
               "Age: muscle mass and strength decline with age, faster after about 60 (primary, age-related "
               "sarcopenia).", NULL, C_SEED002 "; " C_EWGSOP2 " (primary sarcopenia); " C_SEED004},
    [R_DISUSE] = {CAUSE, "disuse", t_disuse,
                  "Disuse: bed rest, a cast or immobilisation, or an inactive life; muscle is lost within days.",
                  NULL, C_WALL "; " C_KORTEBEIN "; " C_SEED002 "; " C_SEED004 " (4.7 disuse atrophy)"},
    [R_MALNUTRITION] = {CAUSE, "malnutrition", t_malnutrition,
                        "Poor nutrition: low intake, weight loss or low BMI; too little energy and protein for "
                        "muscle.", NULL, C_GLIM "; " C_EVANS "; " C_SEED000 "; " C_SEED003},
    [R_CACHEXIA] = {CAUSE, "cachexia", t_cachexia,
                    "Cachexia: disease-driven loss of weight and muscle that more food alone does not reverse.",
                    NULL, C_EVANS "; " C_FEARON "; " C_SEED001},
    [R_CHRONIC] = {CAUSE, "chronic_disease", t_chronic,
                   "Chronic disease (e.g. cancer, cirrhosis, heart failure, COPD, kidney disease, HIV) drives "
                   "muscle loss through appetite, inactivity, inflammation and metabolism.",
                   NULL, C_SEED001 "; " C_SEED002},
    [R_INFLAMMATION] = {CAUSE, "inflammation", t_inflammation,
                        "Inflammation: raised inflammatory markers or an inflammatory illness disturb the normal "
                        "breakdown and rebuilding of muscle.", NULL, C_EVANS " (CRP > 5 mg/L, IL-6 > 4 pg/mL); "
                        C_SEED001},
    [R_HORMONAL] = {CAUSE, "hormonal", t_hormonal,
                    "Hormones: low testosterone or oestrogen, or another hormonal disorder, can contribute.", NULL,
                    C_SEED002 "; " C_AUA},
    [R_MEDICATION] = {CAUSE, "medication", t_medication,
                      "Medicines: glucocorticoids cause muscle atrophy (steroid myopathy); some cancer treatments "
                      "are named as contributors too.",
                      "glucocorticoids: established; chemotherapy: named by a patient page, weak evidence",
                      C_GC "; " C_SEED003},
    [R_NEUROGENIC] = {CAUSE, "neurogenic", t_neurogenic,
                      "Nerve damage: when motor nerves are lost (e.g. ALS, spinal muscular atrophy, neuropathy) "
                      "their muscle fibres waste.", NULL, C_SEED003 "; " C_SEED004},
    [R_OBESITY] = {CAUSE, "obesity", t_obesity,
                   "Obesity: loss of muscle mass and function is common with obesity and excess fat can hide it (sarcopenic "
                   "obesity).",
                   NULL, C_WHO "; " C_SO "; " C_SEED000},
    [F_ASYMMETRIC] = {FLAG, "asymmetric_wasting", t_asymmetric,
                      "One arm or leg is noticeably smaller than the other: focal wasting needs prompt clinical "
                      "review (nerve or muscle disease).", NULL, C_SEED000},
    [F_FASCICULATIONS] = {FLAG, "fasciculations", t_fasciculations,
                          "Muscle twitching (fasciculations) with wasting can be a sign of motor nerve disease: "
                          "see a clinician promptly.", NULL, C_SEED003 "; " C_SEED004},
    [F_DYSPNEA] = {FLAG, "dyspnea", t_dyspnea,
                   "Difficulty breathing with muscle loss needs prompt clinical review.", NULL, C_SEED000},
    [F_RAPID_LOSS] = {FLAG, "rapid_weight_loss", t_rapid_loss,
                      "Rapid weight loss (more than 5 % in a month or 10 % in 6 months), if not intended: see a "
                      "clinician promptly.", NULL, C_WL1M "; " C_GLIM " (severe: > 10 % "
                      "within 6 months)"},
    [F_YOUNG] = {FLAG, "young_wasting", t_young,
                 "Muscle wasting in a young adult without disuse is not explained by age: it needs clinical "
                 "review.", "young adult = under 40 years, a sarx convention", C_EWGSOP2 " (secondary "
                 "sarcopenia); " C_SEED003},
    [F_REFRACTORY] = {FLAG, "refractory_cachexia", t_refractory,
                      "Refractory cachexia: care should focus on symptoms and quality of life; discuss with the "
                      "treating team.", NULL, C_FEARON},
    [T_NUTRITION] = {TEST, "nutrition_bloods", t_test_nutrition,
                     "Blood tests for nutritional deficits.", NULL, C_SEED003},
    [T_INFLAMMATION] = {TEST, "inflammation_bloods", t_test_inflammation,
                        "CRP (or IL-6) for inflammation or infection.", NULL, C_SEED003 "; " C_EVANS},
    [T_NEUROMUSCULAR] = {TEST, "neuromuscular", t_test_neuromuscular,
                         "Tests for nerve and muscle disorders: creatine kinase (CK), a neurological examination, "
                         "and nerve conduction studies or EMG if indicated.", NULL, C_SEED003},
    [T_HORMONES] = {TEST, "hormones", t_test_hormones,
                    "Hormone tests where indicated, e.g. morning testosterone in men.", NULL,
                    C_SEED003 "; " C_AUA},
    [T_BODY_COMPOSITION] = {TEST, "body_composition", t_test_body_composition,
                            "Measure muscle mass (DXA or BIA; CT or MRI where available) to confirm or exclude "
                            "sarcopenia.", NULL, C_EWGSOP2},
    [P_PROTEIN] = {ADVICE, "protein", t_protein, "", NULL,
                   C_PROTAGE "; " C_ESPEN14 "; " C_SEED004 " (0.8-1.2 g/kg); " C_SEED003 " (1-1.5 g/kg)"},
    [P_ENERGY] = {ADVICE, "energy", t_energy, "", NULL, C_ESPENGER "; " C_SEED004 " (24-36 kcal/kg)"},
    [P_TRAINING] = {ADVICE, "resistance_training", t_always,
                    "Resistance training is the primary treatment: 2-3 sessions a week; 1-3 sets of 6-12 "
                    "repetitions of exercises for the main muscle groups of legs and arms; loads of 60-85 % of the "
                    "one-repetition maximum (1RM) build muscle, above 85 % also builds the rate of force "
                    "development; beginners start at 20-30 % and progress. Add balance (sensorimotor) training.",
                    "strong for resistance training (ICFSR 2018); the > 85 % for rate of force development rests on "
                    "one review (seed 004), while fast-velocity (power) training is the better-studied route to "
                    "explosive force (Orssatto et al., Strength Cond J 2019;41:105)", C_NSCA "; " C_HURST "; " C_EUGMS "; " C_SEED004 " (60-85 % / > 85 %); " C_SEED001},
    [P_ONE_RM] = {ADVICE, "one_rm", t_one_rm, "", NULL, C_EPLEY},
    [P_VITAMIN_D] = {ADVICE, "vitamin_d", t_always,
                     "Vitamin D: check and correct a deficiency; supplements are not shown to treat sarcopenia.",
                     "insufficient evidence: no recommendation for sarcopenia (ICFSR 2018)", C_ICFSR "; " C_SEED001},
    [P_OMEGA3] = {ADVICE, "omega_3", t_always, "Omega-3 fatty acids are named by patient pages.",
                  "weak and inconsistent: one meta-analysis found +0.33 kg muscle mass (Huang, Nutrients 2020;12:3739), a "
                  "later one no effect on lean mass (Nutrients 2022;14:2221); no guideline recommends them",
                  C_SEED001 "; " C_ICFSR},
    [P_CREATINE] = {ADVICE, "creatine", t_always,
                    "Creatine, only together with resistance training, is named by patient pages.",
                    "moderate, with training only: +1.37 kg lean mass and more strength during resistance training in older "
                    "adults (Chilibeck, Open Access J Sports Med 2017;8:213); no sarcopenia guideline recommends it",
                    C_SEED001 "; " C_ICFSR},
    [P_LEUCINE] = {ADVICE, "leucine", t_always,
                   "Leucine (a branched-chain amino acid) is a strong signal for muscle protein synthesis; enough "
                   "high-quality protein at each meal supplies it.",
                   "weak and conflicting for supplements: +0.99 kg lean mass (Komar, J Nutr Health Aging 2015;19:437) but no "
                   "effect of leucine alone in a later meta-analysis (Front Nutr 2022;9:929891)",
                   C_SEED004 "; " C_ICFSR},
    [P_CACHEXIA_CARE] = {ADVICE, "cachexia_treatment", t_cachexia_care,
                         "Cachexia: no treatment is known to reverse it, and more calories alone are not enough. "
                         "Options a clinician may consider: medicines to improve appetite, nausea or mood, or to "
                         "reduce inflammation; diet changes and nutritional supplements; exercise. The aim is "
                         "symptoms and quality of life. Information, not a prescription.",
                         NULL, C_SEED001 "; " C_FEARON},
    [P_HORMONE_CARE] = {ADVICE, "hormone_treatment", t_hormone_care,
                        "A hormonal contributor is a specialist question. Hormone treatments (testosterone, "
                        "oestrogen, growth hormone) have not proved effective for sarcopenia and have side effects.",
                        "no recommendation for anabolic hormones (ICFSR 2018)", C_ICFSR "; " C_SEED004},
    [A_RED_FLAGS] = {CAUTION, "red_flags_first", t_red_flags,
                     "Red flags are present: have them reviewed by a clinician before starting or increasing "
                     "training.", NULL, C_SEED003},
    [A_EGFR] = {CAUTION, "egfr_protein", t_egfr,
                "Severe kidney disease (eGFR below 30) and not on dialysis: protein may need to be limited rather "
                "than raised; agree the target with the kidney team.", NULL, C_PROTAGE},
    [A_KIDNEY_UNKNOWN] = {CAUTION, "egfr_unknown", t_kidney_unknown,
                          "Kidney disease is recorded but no eGFR: check kidney function before raising protein "
                          "(with eGFR below 30 and no dialysis it may need to be limited).", NULL, C_PROTAGE},
    [A_OBESITY_WEIGHT] = {CAUTION, "obesity_body_weight", t_obesity_weight,
                          "The per-kg targets use actual body weight, which overstates needs in obesity; a "
                          "dietitian adjusts them to the person.",
                          "the sources read give the per-kg values without an adjusted-weight rule",
                          C_ESPENGER " (targets individually adjusted)"},
    [A_SUPERVISION] = {CAUTION, "exercise_supervision", t_always,
                       "Talk to a healthcare provider before starting a new exercise plan, and work with a physical "
                       "therapist on the number, intensity and frequency of exercises.", NULL, C_SEED001},
    [A_ONE_RM_REPS] = {CAUTION, "one_rm_reps", t_one_rm_reps,
                       "The 1RM estimate comes from more than 10 repetitions; such predictions are less accurate. "
                       "Re-test with a heavier load lifted fewer times.",
                       "no more than 10 repetitions should be used in these linear equations (Reynolds 2006)", C_REYNOLDS},
    [A_REFRACTORY] = {CAUTION, "refractory_training", t_refractory,
                      "Refractory cachexia: intensive training and nutrition targets may not be appropriate; "
                      "comfort comes first.", NULL, C_FEARON},
};

/* ---- the guidance of one assessment --------------------------------------- */
typedef struct gitem {
    int kind, possible;
    const rule *r;
    size_t evidence, missing, message; /* offsets into text; message (size_t)-1 = the rule's */
    char fid[48];                      /* id of a measurement test ("measure_<field>") */
} gitem;

struct sarx__guide {
    gitem *item;
    size_t n;
    char *text;
    double plan[PL_COUNT];
    sarx_guide_item *pub; /* resolved views */
};

/* Weight lost over the month before the assessment, by the windows' rule. */
static double weight_loss_1m(const sarx_subject *s, const sarx__vals *v)
{
    double ref = sarx__history_reference(s, 1), cur = v->lo[SARX__F_WEIGHT];
    return isnan(ref) || isnan(cur) ? NAN : (ref - cur) * 100.0 / ref;
}

static void put_set(sarx__buf *b, const sarx__set *need)
{
    int f, first = 1;
    for (f = 0; f < SARX__F_COUNT; f++)
        if (sarx__set_has(need, f)) {
            sarx__printf(b, "%s%s", first ? "" : ",", sarx__field_info[f].name);
            first = 0;
        }
}

void sarx__guide_free(sarx__guide *G)
{
    if (!G)
        return;
    free(G->item);
    free(G->text);
    free(G->pub);
    free(G);
}

/* The measurements that would decide an incomplete definition: one test
** item per input field, naming the definitions it would decide. */
static void measure_tests(const sarx_assessment *a, sarx__guide *G, sarx__buf *text)
{
    size_t i;
    int f;
    sarx__set any = {{0, 0}};
    for (i = 0; i < sarx_assessment_result_count(a); i++)
        sarx__set_or(&any, &sarx__result_eval(sarx_assessment_result(a, i))->missing);
    for (f = 0; f < SARX__F_COUNT; f++) {
        const char *name = sarx__field_info[f].name;
        int first = 1;
        gitem *it = &G->item[G->n];
        if (!sarx__set_has(&any, f))
            continue;
        for (i = 0; i < sarx_assessment_result_count(a); i++) {
            const sarx_result *r = sarx_assessment_result(a, i);
            if (sarx__set_has(&sarx__result_eval(r)->missing, f)) {
                if (first) {
                    memset(it, 0, sizeof *it);
                    it->kind = SARX_GUIDE_TEST;
                    snprintf(it->fid, sizeof it->fid, "measure_%s", name);
                    it->evidence = text->n + 1;
                    sarx__putn(text, "", 1);
                    sarx__puts(text, "would decide ");
                    it->message = (size_t)-1;
                    it->missing = 0;
                    first = 0;
                } else {
                    sarx__puts(text, ", ");
                }
                sarx__puts(text, sarx_result_definition(r)->d->id);
            }
        }
        if (!first) {
            it->message = text->n + 1;
            sarx__putn(text, "", 1);
            sarx__printf(text, "Measure or record %s (%s).", name, sarx__field_info[f].description);
            G->n++;
        }
    }
}

int sarx__guide_build(const sarx_assessment *a, const sarx_subject *s, sarx__guide **out)
{
    sarx__guide *G = calloc(1, sizeof *G);
    sarx__buf text = {0};
    gctx g;
    size_t i, cap = R_COUNT + SARX__F_COUNT;
    *out = NULL;
    if (!G || !(G->item = calloc(cap, sizeof *G->item))) {
        free(G);
        return SARX_ENOMEM;
    }
    memset(&g, 0, sizeof g);
    g.a = a;
    g.s = s;
    g.v = sarx__assessment_vals(a);
    g.plan = G->plan;
    g.wl1 = weight_loss_1m(s, g.v);
    sarx__putn(&text, "", 0); /* offset 0 is "" */
    for (i = 0; i < R_COUNT; i++) {
        const rule *r = &rules[i];
        int t, listed;
        if (i == P_PROTEIN) { /* the tests end; the plan reads the causes */
            measure_tests(a, G, &text);
            compute_plan(&g, G->plan);
        }
        g.ev.n = g.msg.n = 0;
        if (g.ev.p)
            g.ev.p[0] = '\0';
        if (g.msg.p)
            g.msg.p[0] = '\0';
        memset(&g.need, 0, sizeof g.need);
        g.partial = 0;
        t = r->fn(&g);
        g.st[i] = t;
        g.part[i] = g.partial;
        g.need_of[i] = g.need;
        listed = t == MET || (t == UNK && r->kind == SARX_GUIDE_RED_FLAG && g.partial);
        if (!listed)
            continue;
        {
            gitem *it = &G->item[G->n++];
            it->kind = r->kind;
            it->possible = t != MET;
            it->r = r;
            it->evidence = text.n + 1;
            sarx__putn(&text, "", 1);
            sarx__puts(&text, g.ev.p ? g.ev.p : "");
            it->missing = text.n + 1;
            sarx__putn(&text, "", 1);
            if (it->possible)
                put_set(&text, &g.need);
            it->message = (size_t)-1;
            if (g.msg.n) {
                it->message = text.n + 1;
                sarx__putn(&text, "", 1);
                sarx__puts(&text, g.msg.p);
            }
        }
    }
    free(g.ev.p);
    free(g.msg.p);
    if (g.ev.oom || g.msg.oom || !(G->text = sarx__buf_take(&text)) ||
        !(G->pub = calloc(G->n ? G->n : 1, sizeof *G->pub))) {
        free(text.p); /* NULL after a successful take */
        sarx__guide_free(G);
        return SARX_ENOMEM;
    }
    for (i = 0; i < G->n; i++) {
        const gitem *it = &G->item[i];
        sarx_guide_item *p = &G->pub[i];
        p->kind = it->kind;
        p->possible = it->possible;
        p->id = it->r ? it->r->id : it->fid;
        p->message = it->message != (size_t)-1 ? G->text + it->message : it->r->message;
        p->evidence = G->text + it->evidence;
        p->missing = G->text + it->missing;
        p->evidence_level = it->r && it->r->level ? it->r->level : "";
        p->citation = it->r ? it->r->cite : "";
    }
    *out = G;
    return SARX_OK;
}

size_t sarx__guide_count(const sarx__guide *G) { return G ? G->n : 0; }

const sarx_guide_item *sarx__guide_item(const sarx__guide *G, size_t i)
{
    return G && i < G->n ? &G->pub[i] : NULL;
}

double sarx__guide_plan(const sarx__guide *G, const char *name)
{
    size_t i;
    if (!G || !name)
        return NAN;
    for (i = 0; i < PL_COUNT; i++)
        if (strcmp(plan_name[i], name) == 0)
            return G->plan[i];
    return NAN;
}

size_t sarx_plan_name_count(void) { return PL_COUNT; }
const char *sarx_plan_name(size_t i) { return i < PL_COUNT ? plan_name[i] : NULL; }
