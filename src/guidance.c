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
** Conditions are read only through the library's one vocabulary of
** conditions (conditions.c); the medicines' keyword lists are here.
**
** This file holds the causes, red flags and tests, the table and the
** build; the free-text lists are guidance_lists.c, the plan
** guidance_plan.c, the refeeding risk guidance_refeeding.c (guidance.h).
*/
#include "guidance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sources (docs/GUIDANCE.md gives each in full) ---------------------- */
/* Patient information pages, cited as what they are where they are the
** source (items they name, tests they list); a clinical statement cites a
** publication. */
#define C_PIL_CKM "patient information page on muscle loss (Conservative Kidney Management; My Health Alberta)"
#define C_PIL_LIVER "patient information page on muscle loss in liver disease"
#define C_PIL_SYMPTOM "symptom reference page on decreased muscle mass"
#define C_PIL_UNEXPLAINED "patient information page on unexplained loss of muscle mass"
#define C_KWAN "Kwan P. Sarcopenia, a neurogenic syndrome? J Aging Res 2013;2013:791679 (doi:10.1155/2013/791679)"
#define C_MITCHELL "Mitchell et al., Front Physiol 2012;3:260 (doi:10.3389/fphys.2012.00260; muscle mass and strength lost with age, faster in old age)"
#define C_ESCORIAL "Brooks et al. (El Escorial revisited), Amyotroph Lateral Scler Other Motor Neuron Disord 2000;1:293-299 (fasciculations with wasting as lower motor neuron signs)"
#define C_EASL "EASL clinical practice guidelines on nutrition in chronic liver disease, J Hepatol 2019;70:172-193 (sarcopenia in cirrhosis)"
#define C_EWGSOP2 "Cruz-Jentoft et al., Age Ageing 2019;48:16-31"
#define C_AWGS "Chen et al. (AWGS 2019), JAMDA 2020;21:300-307; AWGS 2025, Nat Aging 2025"
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
#define C_NICE32 "NICE clinical guideline CG32 (2006), Nutrition support for adults: criteria for people at high risk of refeeding problems (as restated in Intern Emerg Med 2021;16:49-60, Table 2)"
#define C_NICE32_HALF "NICE clinical guideline CG32 (2006): people who have eaten little or nothing for more than 5 days have nutrition support at no more than 50 % of requirements for the first 2 days, then rising if monitoring shows no refeeding problems [not verified in the guideline's own text: read in secondary restatements]"
#define C_ASPEN_RF "da Silva et al. (ASPEN consensus recommendations for refeeding syndrome), Nutr Clin Pract 2020;35:178-195 [not verified in the full text: read in the same restatement]"
#define C_KDOQI "Ikizler et al. (KDOQI clinical practice guideline for nutrition in CKD: 2020 update), Am J Kidney Dis 2020;76(3 Suppl 1):S1-S107"
#define C_KDIGO "KDIGO 2024 CKD guideline, Kidney Int 2024;105(4S):S117-S314 (creatine supplements raise serum creatinine without a change in GFR) [not verified in the full text]"
#define C_ABW "Singer et al. (ESPEN ICU guideline), Clin Nutr 2019;38:48-79, adjusted body weight in obesity, as restated in Crit Care 2022 (doi:10.1186/s13054-022-04148-0), Table 1: reference + 0.25 x (actual - reference) [ESPEN full text not verified]; reference weight at BMI 25: docs/DECISIONS.md"
#define C_WHOPA "Bull et al. (WHO 2020 guidelines on physical activity and sedentary behaviour), Br J Sports Med 2020;54:1451-1462 (pregnant women: aerobic and muscle-strengthening activity)"
#define C_ACOG "ACOG Committee Opinion No. 804, Obstet Gynecol 2020;135:e178-e188 (exercise in pregnancy) [not verified in the full text]"
#define C_PH27 "NICE public health guideline PH27 (2010), Weight management before, during and after pregnancy (no dieting in pregnancy) [not verified in the full text]"
#define C_LIVER "Plauth et al. (ESPEN guideline on clinical nutrition in liver disease), Clin Nutr 2019;38:485-521 (body weight corrected for ascites and oedema) [not verified in the full text]"
#define C_OKEN "Oken et al., Am J Clin Oncol 1982;5:649-655 (ECOG performance status: 3, capable of only limited self-care, confined to bed or chair more than 50 % of waking hours; 4, completely disabled) [not verified in the full text]"
#define C_SARX "sarx decision (docs/DECISIONS.md)"

/* Numbers with their sources (docs/GUIDANCE.md). */
#define AGE_RELATED_FROM 60.0  /* Mitchell 2012; the symptom page: loss accelerates after about 60 */
#define IMMOBILIZED_FROM 5.0   /* Wall 2014: loss measurable after 5 days */
#define CRP_HIGH 5.0           /* Evans 2008: CRP > 5.0 mg/L */
#define IL6_HIGH 4.0           /* Evans 2008: IL-6 > 4.0 pg/mL */
#define TESTOSTERONE_LOW 300.0 /* AUA 2018: total testosterone < 300 ng/dL */
#define OBESITY_BMI 30.0       /* WHO 2000 */
#define YOUNG_BELOW 40.0       /* sarx convention: a young adult is 18-39 */
#define RAPID_1M 5.0           /* Blackburn 1977: > 5 % in 1 month is severe */
#define RAPID_6M 10.0          /* GLIM 2019 severe: > 10 % within 6 months */

/* Later rules read earlier ones' results. */
_Static_assert(R_DISUSE < F_YOUNG && F_YOUNG < T_NEUROMUSCULAR && R_HORMONAL < P_HORMONE_CARE &&
                   F_REFEEDING < T_REFEEDING && T_REFEEDING < P_PROTEIN && F_REFRACTORY < P_PROTEIN,
               "the rules are evaluated in table order");

void sarx__g_evidence(gctx *g, const char *fmt, ...)
{
    va_list ap;
    if (g->ev.n)
        sarx__puts(&g->ev, "; ");
    va_start(ap, fmt);
    sarx__vprintf(&g->ev, fmt, ap);
    va_end(ap);
}

const char *sarx__g_num(char *t, size_t n, double v)
{
    sarx__fmt_short(t, n, v);
    return t;
}

void sarx__g_need(gctx *g, int f)
{
    if (f < SARX__F_COUNT)
        sarx__set_add(&g->need, f);
}

void sarx__g_put_set(sarx__buf *b, const sarx__set *need, const char *sep)
{
    int f, first = 1;
    for (f = 0; f < SARX__F_COUNT; f++)
        if (sarx__set_has(need, f)) {
            sarx__printf(b, "%s%s", first ? "" : sep, sarx__field_info[f].name);
            first = 0;
        }
}

int sarx__g_cmp_quiet(const gctx *g, int m, int op, double t, sarx__set *need)
{
    const sarx__vals *v = g->v;
    int c;
    if (isnan(v->lo[m]) || v->lo[m] != v->hi[m]) {
        if (need && m < SARX__F_COUNT)
            sarx__set_add(need, m);
        else if (need)
            sarx__set_or(need, &v->need[m]);
        return UNK;
    }
    c = sarx__cmp(v->lo[m], t);
    return (op == SARX__LT ? c < 0 : op == SARX__LE ? c <= 0 : op == SARX__GT ? c > 0 : c >= 0) ? MET : NOT;
}

int sarx__g_cmp(gctx *g, int m, int op, double t)
{
    char a[48], b[48];
    int r = sarx__g_cmp_quiet(g, m, op, t, &g->need);
    if (r == MET) {
        const char *unit = sarx__measure_unit(m);
        g->partial = 1;
        sarx__g_evidence(g, "%s %s %s (%s %s%s%s)", sarx__measure_name(m), sarx__g_num(a, sizeof a, g->v->lo[m]),
                         unit, sarx__op_name[op], sarx__g_num(b, sizeof b, t), unit[0] ? " " : "", unit);
    }
    return r;
}

int sarx__g_true(gctx *g, int f)
{
    double x = g->s->v[f];
    if (isnan(x)) {
        sarx__g_need(g, f);
        return UNK;
    }
    if (x == 1) {
        g->partial = 1;
        sarx__g_evidence(g, "%s: yes", sarx__field_info[f].name);
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
        sarx__g_evidence(g, "%s: %s%s", d->title, d->cats[e->category].name, e->complete ? "" : " (incomplete)");
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
                sarx__g_evidence(g, "%s: %s", d->title, d->crits[k].text);
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
        sarx__g_evidence(g, "%s: %s", sarx_result_definition(r)->d->title, cat);
        return MET;
    }
    return sarx_result_complete(r) ? NOT : UNK;
}

/* ---- what the causes look for in the free-text lists (guidance_lists.c) - */
/* The groups' meanings as the vocabulary words them, to quote an item's
** meaning only when it is that of the group (an item can match several
** terms: "COPD and neuropathy" means "chronic lung disease" first). */
static const char *const neuro_meanings[] = {"motor neuron disease", "spinal muscular atrophy", "nerve damage", NULL};
static const char *const hormone_meanings[] = {"low sex hormones", "low oestrogen", "low testosterone",
                                               "thyroid excess", "glucocorticoid excess", "low growth hormone", NULL};

static const sarx__kw hormone_drug_kw[] = {
    {"leuprolide", "androgen deprivation"}, {"leuprorelin", "androgen deprivation"},
    {"goserelin", "androgen deprivation"}, {"triptorelin", "androgen deprivation"},
    {"degarelix", "androgen deprivation"}, {"bicalutamide", "androgen deprivation"},
    {"enzalutamide", "androgen deprivation"}, {"apalutamide", "androgen deprivation"},
    {"abiraterone", "androgen deprivation"},
};
static const sarx__kw drug_kw[] = {
    {"prednisone", "glucocorticoid"}, {"prednisolone", "glucocorticoid"},
    {"methylprednisolone", "glucocorticoid"}, {"dexamethasone", "glucocorticoid"},
    {"hydrocortisone", "glucocorticoid"}, {"cortisone", "glucocorticoid"}, {"betamethasone", "glucocorticoid"},
    {"triamcinolone", "glucocorticoid"}, {"deflazacort", "glucocorticoid"},
    {"glucocorticoid*", "glucocorticoid"}, {"corticosteroid*", "glucocorticoid"},
    {"chemotherapy", "cancer treatment (named by a patient information page)"}, {"chemo", "cancer treatment (named by a patient information page)"},
};
static const sarx__medlist hormone_drugs = {hormone_drug_kw, SARX__N(hormone_drug_kw), NULL, 0, NULL, NULL};
static const sarx__medlist cause_drugs = {drug_kw, SARX__N(drug_kw), NULL, 0, sarx__g_topical, NULL};

/* ---- triggers ------------------------------------------------------------ */
static int t_age(gctx *g) { return sarx__g_cmp(g, SARX__F_AGE, SARX__GE, AGE_RELATED_FROM); }

static int t_disuse(gctx *g)
{
    int t = sarx__g_cmp(g, SARX__F_IMMOBILIZED, SARX__GE, IMMOBILIZED_FROM);
    double act = g->s->v[SARX__F_ACTIVITY];
    if (isnan(act)) {
        sarx__g_need(g, SARX__F_ACTIVITY);
        return or3(t, UNK);
    }
    if (act <= 2) { /* sedentary, low */
        g->partial = 1;
        sarx__g_evidence(g, "activity_level: %s", activity_word[(int)act]);
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

/* Chronic disease: the flags, or a condition the vocabulary classes as
** chronic disease-related inflammation (cancer, COPD, heart failure, CKD,
** liver disease, HIV, ...). */
static int t_chronic(gctx *g)
{
    int t = sarx__g_true(g, SARX__F_CHRONIC);
    t = or3(t, sarx__g_true(g, SARX__F_CANCER));
    return or3(t, sarx__g_conditions_are(g, SARX__CC_CHRONIC, 0, NULL, NULL));
}

/* Inflammation: markers, the flag, or an acute inflammatory illness or
** injury among the conditions (sepsis, burns, major trauma). */
static int t_inflammation(gctx *g)
{
    int t = sarx__g_cmp(g, SARX__F_CRP, SARX__GT, CRP_HIGH);
    t = or3(t, sarx__g_cmp(g, SARX__F_IL6, SARX__GT, IL6_HIGH));
    t = or3(t, sarx__g_true(g, SARX__F_INFLAMMATION));
    return or3(t, sarx__g_conditions_are(g, SARX__CC_ACUTE, 0, NULL, NULL));
}

static int t_hormonal(gctx *g)
{
    int t = sarx__g_conditions_are(g, -1, SARX__CG_HORMONE, hormone_meanings, "an endocrine cause");
    double sex = g->s->v[SARX__F_SEX];
    t = or3(t, sarx__g_medications(g, &hormone_drugs, NULL));
    if (sex == SARX__MALE) {
        t = or3(t, sarx__g_cmp(g, SARX__F_TESTOSTERONE, SARX__LT, TESTOSTERONE_LOW));
    } else if (isnan(sex) && !isnan(g->s->v[SARX__F_TESTOSTERONE])) {
        sarx__g_need(g, SARX__F_SEX); /* the cut-off is for men */
        t = or3(t, UNK);
    }
    return t;
}

static int t_medication(gctx *g)
{
    return sarx__g_medications(g, &cause_drugs, NULL);
}

static int t_neurogenic(gctx *g)
{
    int t = sarx__g_true(g, SARX__F_FASCICULATIONS);
    return or3(t, sarx__g_conditions_are(g, -1, SARX__CG_NEURO, neuro_meanings, "nerve or motor-neuron disease"));
}

/* BMI does not say obesity in pregnancy. */
static int t_obesity(gctx *g) { return g->pregnant ? UNK : sarx__g_cmp(g, SARX__M_BMI, SARX__GE, OBESITY_BMI); }

static int t_asymmetric(gctx *g) { return sarx__g_true(g, SARX__F_ASYMMETRIC); }
static int t_fasciculations(gctx *g) { return sarx__g_true(g, SARX__F_FASCICULATIONS); }
static int t_dyspnea(gctx *g) { return sarx__g_true(g, SARX__F_DYSPNEA); }

static int t_rapid_loss(gctx *g)
{
    int t;
    char a[48];
    if (isnan(g->wl1)) {
        t = UNK;
    } else if (sarx__cmp(g->wl1, RAPID_1M) > 0) {
        g->partial = 1;
        sarx__g_evidence(g, "weight lost over 1 month (history) %s %% (> 5 %%)", sarx__g_num(a, sizeof a, g->wl1));
        t = MET;
    } else {
        t = NOT;
    }
    return or3(t, sarx__g_cmp(g, SARX__M_WL6, SARX__GT, RAPID_6M));
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
    young = sarx__g_cmp(g, SARX__F_AGE, SARX__LT, YOUNG_BELOW);
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
        sarx__g_evidence(g, "no recent immobilisation or inactivity recorded");
    /* partly met only when both age and wasting are */
    g->partial = young == MET && w == MET;
    return and3(and3(young, w), not3(disuse));
}

static int t_refractory_training(gctx *g) { return category_is(g, "fearon2011", "refractory_cachexia"); }

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
    sarx__g_evidence(g, "%s (see causes)", g->st[R_MALNUTRITION] == MET ? "poor nutrition" : "cachexia");
    return MET;
}

static int t_test_inflammation(gctx *g)
{
    int reason = g->st[R_CHRONIC] == MET || g->st[R_CACHEXIA] == MET || g->st[R_MALNUTRITION] == MET;
    if (!isnan(g->s->v[SARX__F_CRP]) || !isnan(g->s->v[SARX__F_IL6]))
        return NOT;
    if (!reason && any_loss(g) != MET)
        return NOT;
    sarx__g_evidence(g, "crp_mg_l and il6_pg_ml not given");
    return MET;
}

static int t_test_neuromuscular(gctx *g)
{
    if (g->st[R_NEUROGENIC] == MET) {
        sarx__g_evidence(g, "signs or a diagnosis of nerve disease (see causes)");
        return MET;
    }
    if (g->st[F_ASYMMETRIC] == MET) {
        sarx__g_evidence(g, "one limb smaller than the other (see red flags)");
        return MET;
    }
    if (g->st[F_YOUNG] == MET || (g->st[F_YOUNG] == UNK && g->part[F_YOUNG])) {
        sarx__g_evidence(g, "wasting in a young adult (see red flags)");
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
** muscle quantity.  Mass is suggested after a finding, and only when it
** would decide a strength-led definition (EWGSOP2, AWGS 2019 or 2025),
** which the message names; a mass-only definition missing its own input
** (Janssen's whole-body muscle) has its measure_<field> item instead. */
static int t_test_body_composition(gctx *g)
{
    static const int mass[] = {SARX__F_ASM, SARX__F_SMM, SARX__F_FFM, SARX__F_BIA_R, SARX__F_CT_L3};
    static const char *const strength_led[] = {"ewgsop2", "awgs2019", "awgs2025"};
    size_t i, m;
    int finding = criterion(g, "ewgsop2", "low_strength"), n = 0;
    finding = or3(finding, category_is(g, "awgs2019", "possible_sarcopenia"));
    finding = or3(finding, category_is(g, "awgs2025", "possible_sarcopenia"));
    finding = or3(finding, positive(g, "sarc_f"));
    finding = or3(finding, positive(g, "sarc_calf"));
    if (finding != MET)
        return NOT;
    for (i = 0; i < SARX__N(strength_led); i++) {
        const sarx_result *r = result(g, strength_led[i]);
        if (!r || sarx_result_complete(r))
            continue;
        for (m = 0; m < SARX__N(mass); m++)
            if (sarx__set_has(&sarx__result_eval(r)->missing, mass[m]))
                break;
        if (m == SARX__N(mass))
            continue;
        sarx__g_evidence(g, "%s would decide %s (%s so far)", sarx__field_info[mass[m]].name,
                         sarx_result_definition(r)->d->title, sarx_result_category(r));
        sarx__printf(&g->msg, "%s%s (%s so far)",
                     n ? ", " : "Measure muscle mass (DXA or BIA; CT or MRI where available) to confirm or exclude "
                                "sarcopenia by ",
                     sarx_result_definition(r)->d->title, sarx_result_category(r));
        n++;
    }
    if (!n)
        return NOT;
    sarx__puts(&g->msg, ".");
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
               "sarcopenia).", NULL, C_MITCHELL "; " C_EWGSOP2 " (primary sarcopenia); " C_KWAN "; " C_PIL_SYMPTOM},
    [R_DISUSE] = {CAUSE, "disuse", t_disuse,
                  "Disuse: bed rest, a cast or immobilisation, or an inactive life; muscle is lost within days.",
                  NULL, C_WALL "; " C_KORTEBEIN "; " C_PIL_SYMPTOM "; " C_KWAN " (4.7 disuse atrophy)"},
    [R_MALNUTRITION] = {CAUSE, "malnutrition", t_malnutrition,
                        "Poor nutrition: low intake, weight loss or low BMI; too little energy and protein for "
                        "muscle.", NULL, C_GLIM "; " C_EVANS "; " C_PIL_CKM "; " C_PIL_UNEXPLAINED},
    [R_CACHEXIA] = {CAUSE, "cachexia", t_cachexia,
                    "Cachexia: disease-driven loss of weight and muscle that more food alone does not reverse.",
                    NULL, C_EVANS "; " C_FEARON "; " C_PIL_LIVER},
    [R_CHRONIC] = {CAUSE, "chronic_disease", t_chronic,
                   "Chronic disease (e.g. cancer, cirrhosis, heart failure, COPD, kidney disease, HIV) drives "
                   "muscle loss through appetite, inactivity, inflammation and metabolism.",
                   NULL, C_EASL "; " C_PIL_LIVER "; " C_PIL_SYMPTOM "; conditions: " C_GLIM " (chronic disease-related inflammation, the "
                   "vocabulary of conditions)"},
    [R_INFLAMMATION] = {CAUSE, "inflammation", t_inflammation,
                        "Inflammation: raised inflammatory markers or an inflammatory illness disturb the normal "
                        "breakdown and rebuilding of muscle.", NULL, C_EVANS " (CRP > 5 mg/L, IL-6 > 4 pg/mL); "
                        C_GLIM " (acute disease or injury: sepsis, burns, major trauma); " C_PIL_LIVER},
    [R_HORMONAL] = {CAUSE, "hormonal", t_hormonal,
                    "Hormones: low testosterone or oestrogen, or another hormonal disorder, can contribute.", NULL,
                    C_PIL_SYMPTOM "; " C_AUA},
    [R_MEDICATION] = {CAUSE, "medication", t_medication,
                      "Medicines: glucocorticoids cause muscle atrophy (steroid myopathy); some cancer treatments "
                      "are named as contributors too.",
                      "glucocorticoids: established; chemotherapy: named by a patient page, weak evidence",
                      C_GC "; " C_PIL_UNEXPLAINED},
    [R_NEUROGENIC] = {CAUSE, "neurogenic", t_neurogenic,
                      "Nerve damage: when motor nerves are lost (e.g. ALS, spinal muscular atrophy, neuropathy) "
                      "their muscle fibres waste.", NULL, C_PIL_UNEXPLAINED "; " C_KWAN},
    [R_OBESITY] = {CAUSE, "obesity", t_obesity,
                   "Obesity: loss of muscle mass and function is common with obesity and excess fat can hide it (sarcopenic "
                   "obesity).",
                   NULL, C_WHO "; " C_SO "; " C_PIL_CKM},
    [F_ASYMMETRIC] = {FLAG, "asymmetric_wasting", t_asymmetric,
                      "One arm or leg is noticeably smaller than the other: focal wasting needs prompt clinical "
                      "review (nerve or muscle disease).", NULL, C_PIL_CKM},
    [F_FASCICULATIONS] = {FLAG, "fasciculations", t_fasciculations,
                          "Muscle twitching (fasciculations) with wasting can be a sign of motor nerve disease: "
                          "see a clinician promptly.", NULL, C_ESCORIAL "; " C_KWAN "; " C_PIL_UNEXPLAINED},
    [F_DYSPNEA] = {FLAG, "dyspnea", t_dyspnea,
                   "Difficulty breathing with muscle loss needs prompt clinical review.", NULL, C_PIL_CKM},
    [F_RAPID_LOSS] = {FLAG, "rapid_weight_loss", t_rapid_loss,
                      "Rapid weight loss (more than 5 % in a month or 10 % in 6 months), if not intended: see a "
                      "clinician promptly.", NULL, C_WL1M "; " C_GLIM " (severe: > 10 % "
                      "within 6 months)"},
    [F_REFEEDING] = {FLAG, "refeeding_risk", sarx__g_refeeding,
                     "High risk of refeeding syndrome (NICE CG32): feeding must start slowly, at no more than 10 "
                     "kcal/kg/day (5 in extreme cases), rising to full needs over 4-7 days, with electrolytes and "
                     "thiamine managed by a clinician.",
                     "NICE CG32 criteria (one of BMI < 16, loss > 15 % in 3-6 months, little or no intake > 10 days, "
                     "low potassium, phosphate or magnesium; or two of BMI < 18.5, loss > 10 %, little or no intake "
                     "> 5 days, alcohol misuse or insulin, chemotherapy, antacids or diuretics); the electrolyte "
                     "limits (K < 3.5, phosphate < 0.8, Mg < 0.7 mmol/L) are a sarx decision",
                     C_NICE32 "; " C_ASPEN_RF "; " C_SARX " (electrolyte limits; the medicines read as NICE's "
                     "drug classes)"},
    [F_YOUNG] = {FLAG, "young_wasting", t_young,
                 "Muscle wasting in a young adult without disuse is not explained by age: it needs clinical "
                 "review.", "young adult = under 40 years, a sarx convention", C_EWGSOP2 " (secondary "
                 "sarcopenia); " C_PIL_UNEXPLAINED},
    [F_REFRACTORY] = {FLAG, "refractory_cachexia", sarx__g_refractory,
                      "Refractory cachexia: care should focus on symptoms and quality of life; discuss with the "
                      "treating team.", NULL, C_FEARON "; " C_SARX " (possible refractory cachexia)"},
    [T_NUTRITION] = {TEST, "nutrition_bloods", t_test_nutrition,
                     "Blood tests for nutritional deficits.", NULL, C_PIL_UNEXPLAINED},
    [T_REFEEDING] = {TEST, "refeeding_bloods", sarx__g_test_refeeding,
                     "Potassium, phosphate and magnesium before feeding starts (refeeding risk).", NULL,
                     C_NICE32},
    [T_INFLAMMATION] = {TEST, "inflammation_bloods", t_test_inflammation,
                        "CRP (or IL-6) for inflammation or infection.", NULL, C_PIL_UNEXPLAINED "; " C_EVANS},
    [T_NEUROMUSCULAR] = {TEST, "neuromuscular", t_test_neuromuscular,
                         "Tests for nerve and muscle disorders: creatine kinase (CK), a neurological examination, "
                         "and nerve conduction studies or EMG if indicated.", NULL, C_PIL_UNEXPLAINED},
    [T_HORMONES] = {TEST, "hormones", t_test_hormones,
                    "Hormone tests where indicated, e.g. morning testosterone in men.", NULL,
                    C_PIL_UNEXPLAINED "; " C_AUA},
    [T_BODY_COMPOSITION] = {TEST, "body_composition", t_test_body_composition,
                            "Measure muscle mass (DXA or BIA; CT or MRI where available) to confirm or exclude "
                            "sarcopenia by a strength-led definition.", NULL, C_EWGSOP2 "; " C_AWGS},
    [P_PROTEIN] = {ADVICE, "protein", sarx__g_protein, "", NULL,
                   C_PROTAGE "; " C_ESPEN14 "; " C_KWAN " (0.8-1.2 g/kg); " C_PIL_UNEXPLAINED " (1-1.5 g/kg); " C_KDOQI
                   " (dialysis: 1.0-1.2 g/kg; CKD 3-5: restriction under supervision); " C_NICE32_HALF "; " C_ABW},
    [P_ENERGY] = {ADVICE, "energy", sarx__g_energy, "", NULL,
                  C_ESPENGER "; " C_KWAN " (24-36 kcal/kg); " C_NICE32 " (refeeding: start at <= 10, or 5, "
                  "kcal/kg/day); " C_NICE32_HALF "; " C_SARX " (half of the 30 kcal/kg/day guide); " C_ABW},
    [P_TRAINING] = {ADVICE, "resistance_training", sarx__g_training,
                    "Resistance training is the primary treatment: 2-3 sessions a week; 1-3 sets of 6-12 "
                    "repetitions of exercises for the main muscle groups of legs and arms; loads of 60-85 % of the "
                    "one-repetition maximum (1RM) build muscle, above 85 % also builds the rate of force "
                    "development; beginners start at 20-30 % and progress. Add balance (sensorimotor) training.",
                    "strong for resistance training (ICFSR 2018); the > 85 % for rate of force development rests on "
                    "one review (Kwan 2013), while fast-velocity (power) training is the better-studied route to "
                    "explosive force (Orssatto et al., Strength Cond J 2019;41:105)", C_NSCA "; " C_HURST "; " C_EUGMS "; " C_KWAN " (60-85 % / > 85 %); " C_PIL_LIVER},
    [P_GENTLE] = {ADVICE, "gentle_activity", sarx__g_gentle,
                  "Refractory cachexia: gentle activity as tolerated (short walks, everyday tasks), for comfort and "
                  "function; no resistance-training prescription and no loads.",
                  "Fearon 2011 puts symptom relief and quality of life first in refractory cachexia; withholding "
                  "loads also at ECOG 3-4, with a life expectancy under 3 months or while refractory cachexia is "
                  "possible, and the activity advice, are sarx decisions",
                  C_FEARON "; " C_OKEN "; " C_SARX},
    [P_ONE_RM] = {ADVICE, "one_rm", sarx__g_one_rm, "", NULL, C_EPLEY},
    [P_VITAMIN_D] = {ADVICE, "vitamin_d", t_always,
                     "Vitamin D: check and correct a deficiency; supplements are not shown to treat sarcopenia.",
                     "insufficient evidence: no recommendation for sarcopenia (ICFSR 2018)", C_ICFSR "; " C_PIL_LIVER},
    [P_OMEGA3] = {ADVICE, "omega_3", t_always, "Omega-3 fatty acids are named by patient pages.",
                  "weak and inconsistent: one meta-analysis found +0.33 kg muscle mass (Huang, Nutrients 2020;12:3739), a "
                  "later one no effect on lean mass (Nutrients 2022;14:2221); no guideline recommends them",
                  C_PIL_LIVER "; " C_ICFSR},
    [P_CREATINE] = {ADVICE, "creatine", sarx__g_creatine,
                    "Creatine, only together with resistance training, is named by patient pages; not with reduced "
                    "kidney function (eGFR below 60, or dialysis): check kidney function first.",
                    "moderate, with training only: +1.37 kg lean mass and more strength during resistance training in older "
                    "adults (Chilibeck, Open Access J Sports Med 2017;8:213); no sarcopenia guideline recommends it",
                    C_PIL_LIVER "; " C_ICFSR "; " C_KDIGO},
    [P_LEUCINE] = {ADVICE, "leucine", t_always,
                   "Leucine (a branched-chain amino acid) is a strong signal for muscle protein synthesis; enough "
                   "high-quality protein at each meal supplies it.",
                   "weak and conflicting for supplements: +0.99 kg lean mass (Komar, J Nutr Health Aging 2015;19:437) but no "
                   "effect of leucine alone in a later meta-analysis (Front Nutr 2022;9:929891)",
                   C_KWAN "; " C_ICFSR},
    [P_CACHEXIA_CARE] = {ADVICE, "cachexia_treatment", t_cachexia_care,
                         "Cachexia: no treatment is known to reverse it, and more calories alone are not enough. "
                         "Options a clinician may consider: medicines to improve appetite, nausea or mood, or to "
                         "reduce inflammation; diet changes and nutritional supplements; exercise. The aim is "
                         "symptoms and quality of life. Information, not a prescription.",
                         NULL, C_PIL_LIVER "; " C_FEARON},
    [P_HORMONE_CARE] = {ADVICE, "hormone_treatment", t_hormone_care,
                        "A hormonal contributor is a specialist question. Hormone treatments (testosterone, "
                        "oestrogen, growth hormone) have not proved effective for sarcopenia and have side effects.",
                        "no recommendation for anabolic hormones (ICFSR 2018)", C_ICFSR "; " C_KWAN},
    [A_RED_FLAGS] = {CAUTION, "red_flags_first", t_red_flags,
                     "Red flags are present: have them reviewed by a clinician before starting or increasing "
                     "training.", NULL, C_PIL_UNEXPLAINED},
    [A_EGFR] = {CAUTION, "egfr_protein", sarx__g_egfr,
                "Reduced kidney function (eGFR below 60, chronic kidney disease stage 3-5) and not on dialysis: "
                "protein may need to be limited rather than raised, so no target is set; agree it with the kidney "
                "team and a renal dietitian.", NULL,
                C_KDOQI " (CKD 3-5 not on dialysis: protein restriction under close supervision); " C_PROTAGE
                " (eGFR < 30 not on dialysis: may need to limit protein)"},
    [A_KIDNEY_UNKNOWN] = {CAUTION, "egfr_unknown", sarx__g_kidney_unknown,
                          "Kidney disease is recorded but no eGFR: check kidney function before raising protein or "
                          "taking creatine (with eGFR below 60 and no dialysis, protein may need to be limited).",
                          NULL, C_KDOQI "; " C_PROTAGE},
    [A_CREATINE_KIDNEY] = {CAUTION, "creatine_kidney", sarx__g_creatine_kidney,
                           "Creatine is not suggested with reduced kidney function: it raises serum creatinine, so "
                           "a creatinine-based eGFR stops being a reliable guide to kidney function.", NULL,
                           C_KDIGO "; " C_KDOQI},
    [A_OBESITY_WEIGHT] = {CAUTION, "obesity_body_weight", sarx__g_obesity_weight,
                          "Obesity: energy and protein are computed on an adjusted body weight, not on actual "
                          "weight, which overstates needs in obesity; a dietitian adjusts them to the person.",
                          "ESPEN's ICU guideline is the ESPEN source with an adjusted-weight rule; its use outside "
                          "intensive care, and the reference weight at BMI 25, are sarx decisions",
                          C_ABW "; " C_ESPENGER " (targets individually adjusted)"},
    [A_FLUID] = {CAUTION, "fluid_weight", sarx__g_fluid,
                 "Oedema or ascites adds fluid to body weight: the amounts per day use the weight given, which "
                 "overstates needs; a clinician or dietitian estimates a dry weight instead.", NULL, C_LIVER},
    [A_PREGNANCY] = {CAUTION, "pregnancy", sarx__g_pregnancy,
                     "Pregnancy: this plan is not for pregnancy. It gives no energy or protein target, no training "
                     "prescription or loads and no creatine: its per-kg targets, BMI-based adjustments and % 1RM "
                     "loads do not apply. Regular moderate-intensity aerobic and muscle-strengthening activity is "
                     "recommended in pregnancy without complications (WHO 2020); the obstetric team agrees the type "
                     "and intensity and, with a dietitian, energy and protein. Weight-reducing diets are not advised "
                     "in pregnancy.",
                     NULL, C_WHOPA "; " C_ACOG "; " C_PH27 "; " C_SARX},
    [A_SUPERVISION] = {CAUTION, "exercise_supervision", t_always,
                       "Talk to a healthcare provider before starting a new exercise plan, and work with a physical "
                       "therapist on the number, intensity and frequency of exercises.", NULL, C_PIL_LIVER},
    [A_ONE_RM_REPS] = {CAUTION, "one_rm_reps", sarx__g_one_rm_reps,
                       "The 1RM estimate comes from more than 10 repetitions; such predictions are less accurate. "
                       "Re-test with a heavier load lifted fewer times.",
                       "no more than 10 repetitions should be used in these linear equations (Reynolds 2006)", C_REYNOLDS},
    [A_REFRACTORY] = {CAUTION, "refractory_training", t_refractory_training,
                      "Refractory cachexia: comfort comes first. The plan gives no resistance-training "
                      "prescription or loads, and nutrition targets serve comfort, not weight gain.", NULL,
                      C_FEARON},
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
    if (s->conditions.n && !(g.cond = calloc(s->conditions.n, sizeof *g.cond))) {
        free(G->item);
        free(G);
        return SARX_ENOMEM;
    }
    for (i = 0; i < s->conditions.n; i++)
        sarx__condition_classify(s->conditions.item[i], &g.cond[i]);
    /* The safety rules read a condition asserted or possible ("history of
    ** CKD", "? pregnant"); pregnant false settles a pregnancy mentioned only
    ** as uncertain or past, not one asserted. */
    g.ckd = sarx__g_conditions_have(&g, SARX__CG_CKD);
    g.ckd_possible = !g.ckd && sarx__g_conditions_possible(&g, SARX__CG_CKD);
    g.ckd |= g.ckd_possible;
    g.pregnant = s->v[SARX__F_PREGNANT] == 1 || sarx__g_conditions_have(&g, SARX__CG_PREGNANCY);
    g.pregnant_possible =
        !g.pregnant && s->v[SARX__F_PREGNANT] != 0 && sarx__g_conditions_possible(&g, SARX__CG_PREGNANCY);
    g.pregnant |= g.pregnant_possible;
    g.end = sarx__g_end_of_life(&g);
    sarx__putn(&text, "", 0); /* offset 0 is "" */
    for (i = 0; i < R_COUNT; i++) {
        const rule *r = &rules[i];
        int t, listed;
        if (i == P_PROTEIN) { /* the tests end; the plan reads the causes */
            measure_tests(a, G, &text);
            sarx__g_plan(&g, G->plan);
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
                sarx__g_put_set(&text, &g.need, ",");
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
    free(g.cond);
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
        if (strcmp(sarx__plan_names[i], name) == 0)
            return G->plan[i];
    return NAN;
}

size_t sarx_plan_name_count(void) { return PL_COUNT; }
const char *sarx_plan_name(size_t i) { return i < PL_COUNT ? sarx__plan_names[i] : NULL; }
