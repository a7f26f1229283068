/*
** guidance.h — what the guidance's files share (not installed):
**   guidance.c            the rules' table, the causes, red flags and tests,
**                         and the build of an assessment's guidance;
**   guidance_lists.c      conditions (through the vocabulary of conditions)
**                         and medications (clause by clause, with negation);
**   guidance_plan.c       the plan: the weight it is computed on, protein,
**                         energy, training, 1RM, supplements and their
**                         cautions (kidneys, obesity, pregnancy), and what
**                         changes near the end of life;
**   guidance_refeeding.c  the risk of refeeding syndrome (NICE CG32) and
**                         the medicines of its drug criterion.
** docs/GUIDANCE.md describes every rule and its source.
*/
#ifndef SARX_GUIDANCE_H
#define SARX_GUIDANCE_H

#include "internal.h"

#include <stddef.h>

enum { MET = SARX_MET, NOT = SARX_NOT_MET, UNK = SARX_UNKNOWN };

static inline int or3(int a, int b) { return a == MET || b == MET ? MET : a == NOT && b == NOT ? NOT : UNK; }
static inline int and3(int a, int b) { return a == NOT || b == NOT ? NOT : a == MET && b == MET ? MET : UNK; }
static inline int not3(int a) { return a == MET ? NOT : a == NOT ? MET : UNK; }

/* The rules, in table order (guidance.c): later rules read earlier ones'
** results, and the plan is computed just before P_PROTEIN. */
enum {
    R_AGE, R_DISUSE, R_MALNUTRITION, R_CACHEXIA, R_CHRONIC, R_INFLAMMATION, R_HORMONAL, R_MEDICATION,
    R_NEUROGENIC, R_OBESITY,
    F_ASYMMETRIC, F_FASCICULATIONS, F_DYSPNEA, F_RAPID_LOSS, F_REFEEDING, F_YOUNG, F_REFRACTORY,
    T_NUTRITION, T_REFEEDING, T_INFLAMMATION, T_NEUROMUSCULAR, T_HORMONES, T_BODY_COMPOSITION,
    P_PROTEIN, P_ENERGY, P_TRAINING, P_GENTLE, P_ONE_RM, P_VITAMIN_D, P_OMEGA3, P_CREATINE, P_LEUCINE,
    P_CACHEXIA_CARE, P_HORMONE_CARE,
    A_RED_FLAGS, A_EGFR, A_KIDNEY_UNKNOWN, A_CREATINE_KIDNEY, A_OBESITY_WEIGHT, A_FLUID, A_PREGNANCY,
    A_SUPERVISION,
    A_ONE_RM_REPS, A_REFRACTORY,
    R_COUNT
};

/* The plan's numbers, by name (sarx_assessment_plan). */
enum {
    PL_PROTEIN_KG_LOW, PL_PROTEIN_KG_HIGH, PL_PROTEIN_DAY_LOW, PL_PROTEIN_DAY_HIGH,
    PL_ENERGY_KG_LOW, PL_ENERGY_KG_HIGH, PL_ENERGY_KG_GUIDE, PL_ENERGY_DAY_LOW, PL_ENERGY_DAY_HIGH,
    PL_ENERGY_DAY_GUIDE, PL_ONE_RM_EPLEY, PL_ONE_RM_BRZYCKI, PL_ONE_RM, PL_LOAD_START_LOW, PL_LOAD_START_HIGH,
    PL_LOAD_MASS_LOW, PL_LOAD_MASS_HIGH, PL_SESSIONS_LOW, PL_SESSIONS_HIGH, PL_SETS_LOW, PL_SETS_HIGH,
    PL_REPS_LOW, PL_REPS_HIGH, PL_PCT_START_LOW, PL_PCT_START_HIGH, PL_PCT_MASS_LOW, PL_PCT_MASS_HIGH, PL_COUNT
};
extern const char *const sarx__plan_names[PL_COUNT];

/* What the kidneys allow (guidance_plan.c). */
enum {
    SARX__K_OK,        /* nothing known against the usual targets */
    SARX__K_DIALYSIS,  /* on dialysis */
    SARX__K_LOW_EGFR,  /* eGFR < 60 and not on dialysis (false or not recorded) */
    SARX__K_CKD_NO_EGFR /* chronic kidney disease recorded, no eGFR, not on dialysis */
};

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
    /* Each item of the conditions list as the vocabulary reads it, once. */
    sarx__cond_info *cond;
    /* Known before the rules run (guidance.c).  The safety rules also read
    ** a condition the vocabulary finds only as possible (uncertain or
    ** past: "history of CKD", "? pregnant"): they must not assume absence. */
    int ckd;            /* chronic kidney disease among the conditions, asserted or possible */
    int ckd_possible;   /* ... only possible */
    int pregnant;       /* pregnant true, or a pregnancy among the conditions (asserted, or possible
                        ** unless pregnant is false) */
    int pregnant_possible; /* ... only possible */
    unsigned end;       /* SARX__END_*: why the plan gives no loads (near the end of life) */
    /* The refeeding risk's extreme cases (guidance_refeeding.c): BMI < 14
    ** or no intake for > 15 days, three-valued, and what would decide. */
    int refeed_extreme;
    sarx__set extreme_need;
    /* The plan's basis (guidance_plan.c). */
    int kidney;         /* SARX__K_* */
    double w;           /* the weight the per-kg targets use, NaN */
    double ibw;         /* the reference weight at BMI 25, when w is adjusted */
    int adjusted;       /* w is the adjusted body weight (BMI >= 30) */
    int half_start;     /* little or no intake for > 5 days, risk not high: the first 2 days at <= 50 % (NICE CG32) */
} gctx;

/* Near the end of life the plan gives no resistance training, loads or
** creatine, only gentle activity (guidance.c, docs/GUIDANCE.md). */
#define SARX__END_REFRACTORY 1u /* Fearon 2011 refractory_cachexia */
#define SARX__END_ECOG 2u       /* ECOG performance status 3 or 4 */
#define SARX__END_SURVIVAL 4u   /* life expectancy under 3 months */
#define SARX__END_POSSIBLE 8u   /* Fearon's refractory cachexia not excluded, one of its own criteria met */

/* A keyword of a free-text medication list and what it means. */
typedef struct sarx__kw {
    const char *word; /* sarx__has_word's rules; for a stem, the end of a word in lower case */
    const char *meaning;
} sarx__kw;

/* A class of medicines as guidance reads a medication list
** (guidance_lists.c). */
typedef struct sarx__medlist {
    const sarx__kw *kws;         /* names and phrases */
    size_t nk;
    const sarx__kw *stems;       /* word endings ("platin": cisplatin, carboplatin) */
    size_t ns;
    const char *const *topical;  /* forms that act locally: a clause in one is not the medicine */
    const char *const *known;    /* other medicines sarx reads; NULL: an unread clause is not the medicine */
} sarx__medlist;

/* ---- guidance.c: the triggers' helpers ---- */
void sarx__g_evidence(gctx *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A number as text: at most 3 decimals, no trailing zeros (the reports' form). */
const char *sarx__g_num(char *t, size_t n, double v);
void sarx__g_need(gctx *g, int field);
/* value(m) op t for an input field or a derived value; the evidence names
** the value when met; unknown adds what would decide it to g->need. */
int sarx__g_cmp(gctx *g, int m, int op, double t);
/* The same with no evidence and no partial mark: what would decide it goes
** to *need (may be NULL). */
int sarx__g_cmp_quiet(const gctx *g, int m, int op, double t, sarx__set *need);
int sarx__g_true(gctx *g, int field);
/* The names of a set of inputs, separated by sep. */
void sarx__g_put_set(sarx__buf *b, const sarx__set *need, const char *sep);

/* ---- guidance_lists.c ---- */
/* Conditions the vocabulary classes as cls (cls >= 0), or that belong to
** one of the groups (cls < 0): met when an item does (the evidence quotes
** it with its meaning, or with label when its meaning is not one of
** meanings); unknown when the list is empty or holds an item the
** vocabulary cannot read; not met otherwise. */
int sarx__g_conditions_are(gctx *g, int cls, unsigned groups, const char *const *meanings, const char *label);
/* Whether a condition belongs to one of the groups (asserted; no evidence). */
int sarx__g_conditions_have(const gctx *g, unsigned groups);
/* ... only as possible (uncertain or past), no item asserting it. */
int sarx__g_conditions_possible(const gctx *g, unsigned groups);
/* Evidence quoting the first item that asserts the group, else the first
** naming it as possible ("possible " label). */
void sarx__g_conditions_evidence(gctx *g, unsigned groups, const char *label);
/* Whether the medication list names a current medicine of m, clause by
** clause with negation: met (the evidence quotes it); unknown when the list
** is empty, or when m->known is given and an item holds words sarx cannot
** read (*unread, may be NULL: index + 1 of the first such item, else 0);
** not met otherwise. */
int sarx__g_medications(gctx *g, const sarx__medlist *m, size_t *unread);
extern const char *const sarx__g_topical[]; /* forms of a medicine that act locally */
/* At most n bytes of free text, cut at a character boundary, "..." when cut. */
const char *sarx__g_clip(char *out, size_t n, const char *s);

/* ---- guidance_refeeding.c ---- */
int sarx__g_refeeding(gctx *g);       /* the red flag refeeding_risk */
int sarx__g_test_refeeding(gctx *g);  /* the test refeeding_bloods */

/* ---- guidance_plan.c ---- */
void sarx__g_plan(gctx *g, double *plan); /* the numbers, once, before P_PROTEIN */
int sarx__g_protein(gctx *g);
int sarx__g_energy(gctx *g);
/* Near the end of life (SARX__END_*), before the rules run; the red flag
** refractory_cachexia, met or possible. */
unsigned sarx__g_end_of_life(const gctx *g);
int sarx__g_refractory(gctx *g);
int sarx__g_training(gctx *g);
int sarx__g_gentle(gctx *g);
int sarx__g_one_rm(gctx *g);
int sarx__g_creatine(gctx *g);
int sarx__g_egfr(gctx *g);
int sarx__g_kidney_unknown(gctx *g);
int sarx__g_creatine_kidney(gctx *g);
int sarx__g_obesity_weight(gctx *g);
int sarx__g_fluid(gctx *g);
int sarx__g_pregnancy(gctx *g);
int sarx__g_one_rm_reps(gctx *g);

#endif
