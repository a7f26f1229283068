/*
** report.c — the text report a clinician reads in ten seconds, and the
** definitions catalogue (text and Markdown; JSON is in json.c).
**
** Numbers are printed with at most 3 decimals, trailing zeros removed;
** comparisons were made on the unrounded values.
*/
#include "internal.h"

#include <stdio.h>
#include <string.h>


/* ---- category words (issue 27): the text report and the cohort table ---- */

/* A category as a clinician says it.  The ids are the same across
** definitions (severe_sarcopenia means the same in EWGSOP2 and AWGS 2019),
** so one table serves all; only the screening instruments' "positive" and
** "negative" need their kind to read right.  The ids stay in JSON and CSV,
** where programs read them. */
static const struct {
    const char *id, *words;
} category_words[] = {
    {"severe_sarcopenia", "severe sarcopenia"},
    {"moderate_sarcopenia", "moderate sarcopenia"},
    {"sarcopenia", "sarcopenia"},
    {"probable_sarcopenia", "probable sarcopenia"},
    {"possible_sarcopenia", "possible sarcopenia"},
    {"presarcopenia", "presarcopenia"},
    {"at_risk", "at risk of sarcopenia"},
    {"no_sarcopenia", "no sarcopenia"},
    {"weakness_slowness_low_lean_mass", "weakness, slowness, low lean mass"},
    {"weakness_low_lean_mass", "weakness and low lean mass"},
    {"dynapenia", "dynapenia"},
    {"myopenia", "myopenia"},
    {"normal", "normal strength and mass"},
    {"refractory_cachexia", "refractory cachexia"},
    {"cachexia", "cachexia"},
    {"precachexia", "pre-cachexia"},
    {"no_cachexia", "no cachexia"},
    {"malnutrition_severe", "malnutrition, severe"},
    {"malnutrition_severity_not_graded", "malnutrition, severity not graded"},
    {"malnutrition_moderate", "malnutrition, moderate"},
    {"no_malnutrition", "no malnutrition"},
    {"sarcopenic_obesity_stage_2", "sarcopenic obesity, stage II"},
    {"sarcopenic_obesity_stage_1", "sarcopenic obesity, stage I"},
    {"sarcopenic_obesity", "sarcopenic obesity, stage not known"},
    {"no_sarcopenic_obesity", "no sarcopenic obesity"},
    {"screen_positive", "screen positive, not diagnosed"},
    {"screen_negative", "screen negative, not assessed"},
    {"not_applicable", "not applicable"},
};

const char *sarx__category_words(const sarx__def *d, int cat)
{
    const char *id;
    size_t i;
    if (cat < 0 || (size_t)cat >= d->ncat)
        return "indeterminate";
    id = d->cats[cat].name;
    if (strcmp(d->kind, "screening") == 0 && (strcmp(id, "positive") == 0 || strcmp(id, "negative") == 0))
        return id[0] == 'p' ? "positive screen" : "negative screen";
    for (i = 0; i < SARX__N(category_words); i++)
        if (strcmp(category_words[i].id, id) == 0)
            return category_words[i].words;
    return id; /* a new category without words yet: its id (tests/cli/cli.sh checks there is none) */
}

static const char *result_words(const sarx_result *r)
{
    return sarx__category_words(sarx_result_definition(r)->d, sarx__result_eval(r)->category);
}

/* Red flags come first, right under the summary. */
static void red_flags(sarx__buf *b, const sarx_assessment *a)
{
    size_t i;
    int first = 1;
    for (i = 0; i < sarx_assessment_guide_count(a); i++) {
        sarx_guide_item it;
        sarx_assessment_guide(a, i, &it);
        if (it.kind != SARX_GUIDE_RED_FLAG)
            continue;
        if (first)
            sarx__puts(b, "\nRED FLAGS: prompt clinical review\n");
        first = 0;
        sarx__printf(b, "  ! %s%s\n", it.possible ? "possible: " : "", it.message);
        if (it.evidence[0])
            sarx__printf(b, "      because: %s\n", it.evidence);
        if (it.possible && it.missing[0])
            sarx__printf(b, "      to decide: %s\n", it.missing);
        sarx__printf(b, "      source: %s\n", it.citation);
    }
}

static void guide_items(sarx__buf *b, const sarx_assessment *a, int kind, const char *title, unsigned flags)
{
    size_t i;
    int first = 1, measures = 0;
    for (i = 0; i < sarx_assessment_guide_count(a); i++) {
        sarx_guide_item it;
        sarx_assessment_guide(a, i, &it);
        if (it.kind != kind)
            continue;
        if (strncmp(it.id, "measure_", 8) == 0) {
            measures = 1;
            continue;
        }
        if (first)
            sarx__printf(b, "\n%s\n", title);
        first = 0;
        sarx__printf(b, "  - %s\n", it.message);
        if (it.evidence[0])
            sarx__printf(b, "      because: %s\n", it.evidence);
        if (it.evidence_level[0])
            sarx__printf(b, "      evidence: %s\n", it.evidence_level);
        if (it.citation[0] && (flags & SARX_RENDER_EXPLAIN))
            sarx__printf(b, "      source: %s\n", it.citation);
    }
    if (!measures)
        return;
    if (first)
        sarx__printf(b, "\n%s\n", title);
    sarx__puts(b, "  - Measurements that would decide an open result:\n");
    for (i = 0; i < sarx_assessment_guide_count(a); i++) {
        sarx_guide_item it;
        sarx_assessment_guide(a, i, &it);
        if (it.kind == kind && strncmp(it.id, "measure_", 8) == 0)
            sarx__printf(b, "      %s: %s\n", it.id + 8, it.evidence);
    }
}

static void guidance(sarx__buf *b, const sarx_assessment *a, unsigned flags)
{
    sarx__puts(b, "\nGUIDANCE (" SARX__GUIDE_DISCLAIMER ")\n");
    guide_items(b, a, SARX_GUIDE_CAUSE, "Likely contributors:", flags);
    guide_items(b, a, SARX_GUIDE_TEST, "Tests to consider:", flags);
    guide_items(b, a, SARX_GUIDE_ADVICE, "Plan:", flags);
    guide_items(b, a, SARX_GUIDE_CAUTION, "Cautions:", flags);
    if (!(flags & SARX_RENDER_EXPLAIN))
        sarx__puts(b, "\n  (sources of each item: --explain)\n");
}

/* Whether the result says the definition does not apply (not_applicable). */
static int not_applicable(const sarx_result *r)
{
    const sarx__eval *e = sarx__result_eval(r);
    return e->category >= 0 && sarx__cat_not_applicable(&sarx_result_definition(r)->d->cats[e->category]);
}

/* The summary's "to decide": the input fields any one of which could
** change the result (sarx_result_missing; sex when a sex-specific cut-off
** is what is open), never criterion ids: a user can measure or ask for a
** field, not for a criterion.  Cut to about TO_DECIDE_WIDTH characters,
** the rest counted: the detail below lists them all. */
#define TO_DECIDE_WIDTH 60
static void to_decide(sarx__buf *b, const sarx_result *r)
{
    size_t i, n = sarx_result_missing_count(r), used = 0;
    if (sarx_result_complete(r)) {
        sarx__puts(b, not_applicable(r) ? "does not apply to this person (see its note)" : "complete");
        return;
    }
    if (n == 0) { /* open, but no input would decide it: values set aside (pregnancy), or provisional (fluid) */
        sarx__puts(b, sarx__result_eval(r)->provisional ? "provisional (see below)"
                                                         : "no input can decide it (see below)");
        return;
    }
    for (i = 0; i < n; i++) {
        const char *f = sarx_result_missing(r, i);
        if (i && i + 1 < n && used + strlen(f) + 2 > TO_DECIDE_WIDTH) { /* (one more is shown, not counted) */
            sarx__printf(b, ", and %zu more (below)", n - i);
            return;
        }
        sarx__printf(b, "%s%s", i ? ", " : "", f);
        used += strlen(f) + (i ? 2 : 0);
    }
}

static void num(sarx__buf *b, double v)
{
    char t[48];
    sarx__fmt_short(t, sizeof t, v);
    sarx__puts(b, t);
}

static void measure(sarx__buf *b, const sarx__vals *v, int m)
{
    if (isnan(v->lo[m])) {
        sarx__puts(b, "missing");
    } else if (v->lo[m] != v->hi[m]) {
        num(b, v->lo[m]);
        sarx__puts(b, "-");
        num(b, v->hi[m]);
    } else {
        num(b, v->lo[m]);
    }
}

static const char *mark(int tri) { return tri == SARX_MET ? "[x]" : tri == SARX_NOT_MET ? "[ ]" : "[?]"; }

/* "grip_kg 12 < 16 kg", "bmi 24.1, not < 20 kg/m2", "fatigue yes",
** "crp_mg_l not given (> 5 mg/L)" */
static void evidence(sarx__buf *b, const sarx__row *r, const sarx__vals *v, int status)
{
    int given = !isnan(v->lo[r->measure]);
    sarx__printf(b, "%s ", sarx__measure_name(r->measure));
    if (r->op == SARX__IS) {
        if (!given) /* a derived flag (an illness read from the conditions) is unknown, not "not given" */
            sarx__puts(b, r->measure >= SARX__DERIVED_FIRST ? "unknown" : "not given");
        else
            sarx__puts(b, v->lo[r->measure] != 0 ? "yes" : "no");
        return;
    }
    if (given) {
        measure(b, v, r->measure);
        sarx__puts(b, status == SARX_ROW_NOT_MET ? ", not " : " ");
    } else {
        sarx__puts(b, sarx__measure_void(v, r->measure) ? "not used (" : "not given (");
    }
    sarx__printf(b, "%s ", sarx__op_name[r->op]);
    num(b, r->threshold);
    if (r->unit[0])
        sarx__printf(b, " %s", r->unit);
    if (!given)
        sarx__putn(b, ")", 1);
}

static void missing_list(sarx__buf *b, const sarx_result *r)
{
    size_t i, n = sarx_result_missing_count(r);
    for (i = 0; i < n; i++)
        sarx__printf(b, "%s%s", i ? ", " : "", sarx_result_missing(r, i));
}

static void criterion_line(sarx__buf *b, const sarx_result *r, size_t k, const sarx__vals *v, unsigned flags)
{
    const sarx_definition *def = sarx_result_definition(r);
    const sarx__def *d = def->d;
    int st = sarx_result_criterion_status(r, k);
    size_t i, shown = 0;
    sarx__printf(b, "    %s %-24s ", mark(st), d->crits[k].id);
    for (i = 0; i < d->nrow; i++) {
        int rs = sarx_result_row_status(r, i, NULL);
        if (def->row_crit[i] != (int)k || rs == SARX_ROW_NOT_APPLICABLE)
            continue;
        /* Show what decided the criterion: met rows when met; judged rows when not met. */
        if (!(flags & SARX_RENDER_EXPLAIN)) {
            if (st == SARX_MET && rs != SARX_ROW_MET)
                continue;
            if (st == SARX_NOT_MET && rs != SARX_ROW_NOT_MET)
                continue;
            if (st == SARX_UNKNOWN && rs == SARX_ROW_NOT_MET)
                continue;
        }
        sarx__puts(b, shown++ ? "; " : "");
        evidence(b, &d->rows[i], v, rs);
        if (d->rows[i].sex != SARX__ANY && (flags & SARX_RENDER_EXPLAIN))
            sarx__puts(b, d->rows[i].sex == SARX__MALE ? " (men)" : " (women)");
        if (rs == SARX_ROW_UNKNOWN)
            sarx__puts(b, isnan(v->lo[SARX__F_SEX]) && d->rows[i].sex != SARX__ANY ? " (sex unknown)"
                                                                                  : " (cannot judge yet)");
        {   /* pregnancy, an amputation, fluid, DXA cut-offs on BIA mass, an assumed method */
            const char *note = sarx__row_note(d, &d->rows[i], v, rs);
            if (note)
                sarx__printf(b, " (%s)", note);
        }
    }
    if (!shown)
        sarx__puts(b, st == SARX_NOT_MET ? "(no threshold applies)" : "(nothing given)");
    if ((sarx__result_eval(r)->provisional >> k) & 1u)
        sarx__puts(b, " [provisional: decided by a fallback, or by a value noted as provisional]");
    sarx__puts(b, "\n");
    if (flags & SARX_RENDER_EXPLAIN) {
        for (i = 0; i < d->nrow; i++) {
            const sarx__row *row = &d->rows[i];
            double val;
            int rs = sarx_result_row_status(r, i, &val);
            if (def->row_crit[i] != (int)k)
                continue;
            sarx__printf(b, "          %-30s %-14s ", row->id, sarx__row_status_name[rs]);
            sarx__printf(b, "%s %s ", sarx__measure_name(row->measure), sarx__op_name[row->op]);
            if (row->op == SARX__IS)
                sarx__puts(b, row->threshold != 0 ? "true" : "false");
            else
                num(b, row->threshold);
            sarx__printf(b, "%s%s", row->unit[0] ? " " : "", row->unit);
            if (row->sex != SARX__ANY)
                sarx__printf(b, ", %s", row->sex == SARX__MALE ? "men" : "women");
            if (row->when)
                sarx__printf(b, ", when %s", sarx__when_text(row->when));
            sarx__printf(b, "  [%s]\n", row->cite);
        }
    }
}

char *sarx_assessment_text(const sarx_assessment *a, unsigned flags)
{
    static const struct {
        int m;
        const char *label;
    } shown[] = {
        {SARX__M_BMI, "BMI"},   {SARX__M_ASMI, "ASMI"},    {SARX__M_ALM_BMI, "ALM/BMI"},
        {SARX__M_SMI, "SMI"},   {SARX__M_FFMI, "FFMI"},    {SARX__M_WL6, "weight loss 6 mo"},
        {SARX__M_WL12, "weight loss 12 mo"}, {SARX__M_SF_TOTAL, "SARC-F"}, {SARX__M_CALF_TOTAL, "SARC-CalF"},
        {SARX__M_MAMC, "MAMC"}, {SARX__M_FAT_PCT, "fat"}, {SARX__M_WEIGHT_EST, "whole-body weight"},
    };
    sarx__buf b = {0};
    const sarx__vals *v;
    size_t i, k, n;
    if (!a)
        return NULL;
    v = sarx__assessment_vals(a);
    sarx__printf(&b, "sarx %s assessment%s", sarx_version(), sarx_assessment_id(a)[0] ? ": " : "");
    {   /* the id is the user's text: no control characters into the report */
        const char *p;
        for (p = sarx_assessment_id(a); *p; p++)
            sarx__putn(&b, (unsigned char)*p < 0x20 || *p == 0x7f ? "?" : p, 1);
        sarx__puts(&b, "\n");
    }
    sarx__puts(&b, "Subject: ");
    sarx__puts(&b, isnan(v->lo[SARX__F_SEX]) ? "sex unknown"
                   : v->lo[SARX__F_SEX] == SARX__MALE ? "male" : "female");
    if (!isnan(v->lo[SARX__F_AGE])) {
        sarx__puts(&b, ", ");
        num(&b, v->lo[SARX__F_AGE]);
        sarx__puts(&b, " y");
    }
    for (i = 0; i < SARX__N(shown); i++) {
        if (isnan(v->lo[shown[i].m]) || (shown[i].m == SARX__M_WEIGHT_EST && !(v->warn & SARX__W_AMPUTATION)))
            continue; /* (the whole-body weight is the weight, except after an amputation) */
        sarx__printf(&b, ", %s ", shown[i].label);
        measure(&b, v, shown[i].m);
        if (sarx__measure_unit(shown[i].m)[0])
            sarx__printf(&b, " %s", sarx__measure_unit(shown[i].m));
    }
    sarx__printf(&b, "\n%s\n\n", SARX__DISCLAIMER);

    /* The summary: one line per definition. */
    n = sarx_assessment_result_count(a);
    {   /* the columns as wide as their longest entry */
        int wt = 10, wr = 6;
        for (i = 0; i < n; i++) {
            const sarx_result *r = sarx_assessment_result(a, i);
            int lt = (int)strlen(sarx_result_definition(r)->d->title), lr = (int)strlen(result_words(r));
            wt = lt > wt ? lt : wt;
            wr = lr > wr ? lr : wr;
        }
        sarx__printf(&b, "  %-*s  %-*s  %s\n", wt, "definition", wr, "result", "to decide (any one may do)");
        for (i = 0; i < n; i++) {
            const sarx_result *r = sarx_assessment_result(a, i);
            sarx__printf(&b, "  %-*s  %-*s  ", wt, sarx_result_definition(r)->d->title, wr, result_words(r));
            to_decide(&b, r);
            sarx__puts(&b, "\n");
        }
    }

    if (!sarx__assessment_has_guide(a))
        flags |= SARX_RENDER_NO_GUIDANCE;
    if (!(flags & SARX_RENDER_NO_GUIDANCE))
        red_flags(&b, a);

    /* The detail: each criterion with the values that decided it. */
    for (i = 0; i < n; i++) {
        const sarx_result *r = sarx_assessment_result(a, i);
        const sarx__def *d = sarx_result_definition(r)->d;
        sarx__printf(&b, "\n%s: %s%s\n", d->title, result_words(r),
                     sarx_result_complete(r) ? "" : " (incomplete)");
        if (not_applicable(r) && sarx_result_note(r)[0]) /* first: the criteria below do not count */
            sarx__printf(&b, "    note: %s\n", sarx_result_note(r));
        for (k = 0; k < d->ncrit; k++)
            criterion_line(&b, r, k, v, flags);
        if (sarx_result_missing_count(r)) {
            sarx__puts(&b, "    missing to decide (any one may do): ");
            missing_list(&b, r);
            sarx__puts(&b, "\n");
        }
        if (sarx_result_note(r)[0] && !not_applicable(r))
            sarx__printf(&b, "    note: %s\n", sarx_result_note(r));
        if (flags & SARX_RENDER_EXPLAIN) {
            for (k = 0; k < d->ncat; k++)
                sarx__printf(&b, "    rule %-32s %s\n", d->cats[k].name, d->cats[k].rule);
            for (k = 0; k < d->nmacro; k++)
                sarx__printf(&b, "    where %-31s %s\n", d->macros[k].name, d->macros[k].rule);
        }
        sarx__printf(&b, "    source: %s\n", d->citation);
    }
    if (!(flags & SARX_RENDER_NO_GUIDANCE))
        guidance(&b, a, flags);
    if (sarx_assessment_warning_count(a)) {
        sarx__puts(&b, "\nWarnings:\n");
        for (i = 0; i < sarx_assessment_warning_count(a); i++)
            sarx__printf(&b, "  - %s\n", sarx_assessment_warning(a, i));
    }
    return sarx__buf_take(&b);
}

/* ------------------------------------------------------------------ */

static void md_escape(sarx__buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '*' || *s == '_' || *s == '<' || *s == '>')
            sarx__putn(b, "\\", 1);
        sarx__putn(b, s, 1);
    }
}

static void catalogue_def(sarx__buf *b, const struct sarx_definition *def, int md)
{
    const sarx__def *d = def->d;
    size_t k;
    if (md) {
        sarx__printf(b, "\n## `%s` — %s\n\n", d->id, d->title);
        sarx__printf(b, "- kind: %s; table version %s\n- source: %s\n", d->kind, d->version, d->citation);
        if (d->notes && d->notes[0]) {
            sarx__puts(b, "- notes: ");
            md_escape(b, d->notes);
            sarx__puts(b, "\n");
        }
        sarx__puts(b, "\nCategories, first match wins:\n\n| category | rule |\n|---|---|\n");
        for (k = 0; k < d->ncat; k++) {
            sarx__printf(b, "| `%s` | `", d->cats[k].name);
            sarx__puts(b, d->cats[k].rule);
            sarx__puts(b, "` |\n");
        }
        for (k = 0; k < d->nmacro; k++)
            sarx__printf(b, "\nwhere `%s` = `%s`\n", d->macros[k].name, d->macros[k].rule);
        sarx__puts(b, "\n| criterion | meaning |\n|---|---|\n");
        for (k = 0; k < d->ncrit; k++) {
            sarx__printf(b, "| `%s` | ", d->crits[k].id);
            md_escape(b, d->crits[k].text);
            sarx__puts(b, " |\n");
        }
        sarx__puts(b, "\n| row | criterion | measure | sex | op | threshold | unit | when | source |\n"
                      "|---|---|---|---|---|---|---|---|---|\n");
    } else {
        sarx__printf(b, "\n%s — %s (table %s, %s)\n  %s\n", d->id, d->title, d->version, d->kind, d->citation);
        if (d->notes && d->notes[0])
            sarx__printf(b, "  notes: %s\n", d->notes);
        for (k = 0; k < d->ncat; k++)
            sarx__printf(b, "  %-32s if %s\n", d->cats[k].name, d->cats[k].rule);
        for (k = 0; k < d->nmacro; k++)
            sarx__printf(b, "  %-32s =  %s\n", d->macros[k].name, d->macros[k].rule);
    }
    for (k = 0; k < d->nrow; k++) {
        sarx_row_info ri;
        sarx_definition_row(def, k, &ri);
        if (md) {
            sarx__printf(b, "| %s | `%s` | `%s` | %s | %s | ", ri.id, ri.criterion, ri.measure, ri.sex,
                         ri.op[0] == '<' ? (ri.op[1] ? "&le;" : "&lt;")
                         : ri.op[0] == '>' ? (ri.op[1] ? "&ge;" : "&gt;")
                                           : "is");
            if (strcmp(ri.op, "is") == 0)
                sarx__puts(b, ri.threshold != 0 ? "true" : "false");
            else
                num(b, ri.threshold);
            sarx__printf(b, " | %s | %s | ", ri.unit, ri.when);
            md_escape(b, ri.citation);
            sarx__puts(b, " |\n");
        } else {
            sarx__printf(b, "    %-28s %-26s %s %s ", ri.id, ri.criterion, ri.measure, ri.op);
            if (strcmp(ri.op, "is") == 0)
                sarx__puts(b, ri.threshold != 0 ? "true" : "false");
            else
                num(b, ri.threshold);
            sarx__printf(b, "%s%s%s%s%s%s\n", ri.unit[0] ? " " : "", ri.unit,
                         strcmp(ri.sex, "any") ? (strcmp(ri.sex, "male") ? ", women" : ", men") : "",
                         ri.when[0] ? ", when " : "", ri.when, "");
        }
    }
}

/* The measures sarx__measure_void sets aside for these values, as a
** comma-separated list of names. */
static void void_list(sarx__buf *b, const sarx__vals *v)
{
    int m, first = 1;
    for (m = 0; m < SARX__M_COUNT; m++)
        if (sarx__measure_void(v, m)) {
            sarx__printf(b, "%s`%s`", first ? "" : ", ", sarx__measure_name(m));
            first = 0;
        }
}

/* The values the rules do not take at face value (issue 26), from the
** code that decides them (measures.c, assess.c), for the Markdown
** catalogue. */
static void caveats_md(sarx__buf *b, const sarx_ctx *ctx)
{
    static const char *const level[] = {"", "none", "hand", "below_elbow", "above_elbow", "foot", "below_knee",
                                        "above_knee", "hip"};
    static sarx__vals v;
    size_t i, k;
    int m, first;
    sarx__puts(b, "\n## Values not taken at face value\n\n"
                  "Generated from `src/measures.c` and `src/assess.c`; the decisions and sources are in "
                  "docs/DECISIONS.md (pregnancy, limb amputation, oedema and ascites, DXA cut-offs on BIA mass).\n\n"
                  "- **Pregnancy** (`pregnant: true`, or a pregnancy among the `conditions`): these values are not "
                  "applicable, so the criteria on them are unknown and no input is named to collect: ");
    memset(&v, 0, sizeof v);
    v.warn = SARX__W_PREGNANT;
    void_list(b, &v);
    sarx__puts(b, ".\n- **Limb amputation**: BMI and the values per weight use the whole-body weight "
                  "(`weight_whole_body_kg`) = `weight_kg` / (1 - p / 100), p the percentage of body weight lost: "
                  "`amputation_pct` when given, else by `amputation` level (Osterkamp, J Am Diet Assoc "
                  "1995;95:215-218, segments as restated by dietetic references [not verified in the full text]; "
                  "a range, since the residual limb is not known; doubled with `amputation_bilateral`):\n\n"
                  "| amputation | % of body weight lost |\n|---|---|\n");
    for (k = 2; k <= 8; k++) {
        double lo, hi;
        char a[16], c[16];
        sarx__amputation_range(NAN, (double)k, NAN, 0, &lo, &hi);
        sarx__fmt_short(a, sizeof a, lo);
        sarx__fmt_short(c, sizeof c, hi);
        sarx__printf(b, "| `%s` | %s%s%s |\n", level[k], lo == hi ? "" : a, lo == hi ? "" : "-", c);
    }
    sarx__puts(b, "\n  Unless `amputation_adjusted` is true these are unknown (amputation_adjusted named as missing): ");
    memset(&v, 0, sizeof v);
    v.warn = SARX__W_AMPUTATION;
    v.lo[SARX__F_AMPUTATION_ADJUSTED] = NAN;
    void_list(b, &v);
    sarx__puts(b, ". Weight-loss percentages are not corrected (both weights after the amputation).\n"
                  "- **Oedema or ascites** (`edema_or_ascites: true`): a judgement the fluid could have decided is "
                  "provisional (the criterion is marked so; the result is incomplete when it could change it). "
                  "Fluid raises ");
    for (i = 0; i < 3; i++) {
        static const int dir[3] = {SARX__FLUID_UP, SARX__FLUID_DOWN, SARX__FLUID_BOTH};
        static const char *const say[3] = {" (a value below a cut-off stays below)", "; it lowers ",
                                           " (a value above a cut-off stays above); it moves either way "};
        if (i)
            sarx__puts(b, say[i]);
        for (m = 0, first = 1; m < SARX__M_COUNT; m++) {
            if (m == SARX__F_WL6 || m == SARX__F_WL12 || sarx__measure_fluid(m) != dir[i])
                continue; /* (the losses as given: the effective ones, of the same names, follow) */
            sarx__printf(b, "%s`%s`", first ? "" : ", ", sarx__measure_name(m));
            first = 0;
        }
        if (!i)
            sarx__puts(b, say[0]);
    }
    sarx__puts(b, ".\n- **Muscle mass by BIA** (`asm_method: bia`) against cut-offs derived from DXA: the mass "
                  "criteria of ");
    for (i = 0, first = 1; i < ctx->ndefs; i++) {
        const sarx__def *d = ctx->defs[i].d;
        for (k = 0; k < d->nrow && !sarx__row_dxa(d, &d->rows[k]); k++)
            ;
        if (k < d->nrow) {
            sarx__printf(b, "%s`%s`", first ? "" : ", ", d->id);
            first = 0;
        }
    }
    sarx__puts(b, " are provisional. EWGSOP2 gives one set for DXA and BIA; AWGS 2019 and 2025 have BIA rows.\n"
                  "- **`asm_method` not given**: `asm_kg` is read as measured by DXA, and a warning and a note on "
                  "each row reading it say so.\n");
}

char *sarx_catalogue(const sarx_ctx *ctx, int format)
{
    sarx__buf b = {0};
    size_t i;
    if (!ctx)
        return NULL;
    if (format == SARX_CATALOGUE_JSON)
        return sarx__catalogue_json(ctx);
    if (format == SARX_CATALOGUE_MARKDOWN) {
        sarx__printf(&b, "# Definitions implemented by sarx %s\n\n", sarx_version());
        sarx__puts(&b, "Generated by `sarx definitions --format markdown` from the tables in `src/defs/`; "
                       "do not edit by hand. Decisions and verification notes: docs/DECISIONS.md.\n\n"
                       "Rules use Kleene logic over criteria (met / not met / unknown). A criterion is met "
                       "when any of its rows is met (alternative tests). Categories are tried in order; the "
                       "first whose rule is met is the result, and it is complete when every rule before it "
                       "is not met.\n");
    } else {
        sarx__printf(&b, "sarx %s definitions (category rules in order; criterion rows below each)\n",
                     sarx_version());
    }
    if (format == SARX_CATALOGUE_MARKDOWN)
        caveats_md(&b, ctx);
    for (i = 0; i < ctx->ndefs; i++)
        catalogue_def(&b, &ctx->defs[i], format == SARX_CATALOGUE_MARKDOWN);
    return sarx__buf_take(&b);
}
