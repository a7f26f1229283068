/*
** defs.c — the registry of definitions and the compiled context.
*/
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const sarx__def sarx__def_ewgsop2, sarx__def_ewgsop1, sarx__def_awgs2019, sarx__def_awgs2025,
    sarx__def_fnih2014, sarx__def_iwgs2011, sarx__def_sdoc2020, sarx__def_baumgartner1998, sarx__def_janssen2004,
    sarx__def_dynapenia, sarx__def_sarc_f, sarx__def_sarc_calf, sarx__def_evans2008, sarx__def_evans2008_7,
    sarx__def_fearon2011, sarx__def_glim2019, sarx__def_espen_easo2022;

const sarx__def *const sarx__defs[] = {
    &sarx__def_ewgsop2,     &sarx__def_ewgsop1,    &sarx__def_awgs2019,        &sarx__def_awgs2025,
    &sarx__def_fnih2014,    &sarx__def_iwgs2011,   &sarx__def_sdoc2020,        &sarx__def_baumgartner1998,
    &sarx__def_janssen2004, &sarx__def_dynapenia,  &sarx__def_sarc_f,          &sarx__def_sarc_calf,
    &sarx__def_evans2008,   &sarx__def_evans2008_7, &sarx__def_fearon2011,     &sarx__def_glim2019,
    &sarx__def_espen_easo2022,
};
const size_t sarx__ndefs = SARX__N(sarx__defs);
/* Front ends size per-row arrays for up to 64 definitions (sarx_class[64]). */
_Static_assert(SARX__N(sarx__defs) <= 64, "at most 64 definitions");

static void def_free(struct sarx_definition *d)
{
    size_t i;
    if (d->cat)
        for (i = 0; i < d->d->ncat; i++)
            free(d->cat[i].code);
    free(d->cat);
    free(d->row_crit);
    free(d->row_cmp);
    free(d->row_env);
}

void sarx_ctx_free(sarx_ctx *ctx)
{
    size_t i;
    if (!ctx)
        return;
    for (i = 0; i < ctx->ndefs; i++)
        def_free(&ctx->defs[i]);
    free(ctx->defs);
    free(ctx);
}

/* Compile one table: resolve each row's criterion, compile each rule, and
** check the table's invariants so that a bad table fails loudly at start. */
static int compile(struct sarx_definition *out, const sarx__def *d, sarx_error *err)
{
    size_t i, k;
    out->d = d;
    if (d->ncrit > 32 || d->ncat == 0 || d->ncat > SARX__MAX_CATS || d->nrow > SARX__MAX_ROWS)
        return sarx__err(err, SARX_EINVAL, d->id, "", "",
                         "definition %s: needs 1-16 categories, <= 32 criteria and <= 128 rows", d->id);
    out->row_crit = calloc(d->nrow ? d->nrow : 1, sizeof *out->row_crit);
    out->row_cmp = calloc(d->nrow ? d->nrow : 1, sizeof *out->row_cmp);
    out->row_env = calloc(d->nrow ? d->nrow : 1, sizeof *out->row_env);
    out->cat = calloc(d->ncat, sizeof *out->cat);
    if (!out->row_crit || !out->row_cmp || !out->row_env || !out->cat)
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    for (i = 0; i < d->nrow; i++) {
        const sarx__row *r = &d->rows[i];
        for (k = 0; k < d->ncrit && strcmp(d->crits[k].id, r->crit) != 0; k++)
            ;
        if (k == d->ncrit || r->measure < 0 || r->measure >= SARX__M_COUNT || !r->cite || !r->cite[0])
            return sarx__err(err, SARX_EINVAL, r->id, "", "",
                             "definition %s: row %s has an unknown criterion or measure, or no citation", d->id,
                             r->id);
        out->row_crit[i] = (int)k;
    }
    for (i = 0; i < d->ncat; i++) {
        int rc = sarx__compile(d, d->cats[i].rule, &out->cat[i], err);
        if (rc != SARX_OK)
            return rc;
    }
    out->fallback_crit = -1; /* the batch decides provisional completeness itself when there is one */
    for (i = 0; i < d->nrow; i++)
        if (d->rows[i].when & SARX__W_FALLBACK) {
            if (out->fallback_crit == -1)
                out->fallback_crit = out->row_crit[i];
            else if (out->fallback_crit != out->row_crit[i])
                out->fallback_crit = -2; /* several */
        }
    if (out->fallback_crit < -1)
        out->fallback_crit = -1;
    return SARX_OK;
}

int sarx_ctx_new(sarx_ctx **out, sarx_error *err)
{
    if (!out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    return sarx__ctx_build(sarx__defs, sarx__ndefs, out, err);
}

/* Everything a context holds is built from its own tables: the shared
** comparisons, row conditions and the measures read are those of these
** definitions only, so a selection (select.c) evaluates no row, measure or
** condition of a definition it left out. */
int sarx__ctx_build(const sarx__def *const *defs, size_t n, sarx_ctx **out, sarx_error *err)
{
    sarx_ctx *ctx;
    size_t i;
    *out = NULL;
    ctx = calloc(1, sizeof *ctx);
    if (!ctx || !(ctx->defs = calloc(n ? n : 1, sizeof *ctx->defs))) {
        free(ctx);
        return sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
    }
    for (i = 0; i < n; i++) {
        int rc = compile(&ctx->defs[i], defs[i], err);
        ctx->ndefs = i + 1;
        if (rc != SARX_OK) {
            sarx_ctx_free(ctx);
            return rc;
        }
    }
    for (i = 0; i < ctx->ndefs; i++) { /* each row's comparison, shared by equal ones */
        struct sarx_definition *def = &ctx->defs[i];
        size_t r;
        for (r = 0; r < def->d->nrow; r++) {
            const sarx__row *row = &def->d->rows[r];
            int k;
            for (k = 0; k < ctx->ncmp; k++)
                if (ctx->cmp[k].measure == row->measure && ctx->cmp[k].op == row->op &&
                    ctx->cmp[k].threshold == row->threshold)
                    break;
            if (k == ctx->ncmp) {
                if (k == SARX__MAX_CMP) {
                    sarx_ctx_free(ctx);
                    return sarx__err(err, SARX_EINVAL, "", "", "", "more than %d distinct comparisons",
                                     SARX__MAX_CMP);
                }
                ctx->cmp[k].measure = row->measure;
                ctx->cmp[k].op = row->op;
                ctx->cmp[k].threshold = row->threshold;
                ctx->ncmp++;
            }
            def->row_cmp[r] = k;
            for (k = 0; k < ctx->nenv; k++)
                if (ctx->env[k].sex == row->sex && ctx->env[k].when == (row->when & SARX__W_ENV))
                    break;
            if (k == ctx->nenv) {
                if (k == SARX__MAX_ENV) {
                    sarx_ctx_free(ctx);
                    return sarx__err(err, SARX_EINVAL, "", "", "", "more than %d distinct row conditions",
                                     SARX__MAX_ENV);
                }
                ctx->env[k].sex = row->sex;
                ctx->env[k].when = row->when & SARX__W_ENV;
                ctx->nenv++;
            }
            def->row_env[r] = k;
        }
    }
    {   /* The measures the rows read, and those their conditions need. */
        static const int cond[] = {SARX__F_SEX,        SARX__F_AGE,    SARX__F_ASM_METHOD,
                                   SARX__F_POPULATION, SARX__F_HEIGHT, SARX__M_WL12};
        unsigned char seen[SARX__M_COUNT];
        size_t k;
        memset(seen, 0, sizeof seen);
        for (k = 0; k < sizeof cond / sizeof cond[0]; k++)
            seen[cond[k]] = 1;
        for (i = 0; i < ctx->ndefs; i++)
            for (k = 0; k < ctx->defs[i].d->nrow; k++)
                seen[ctx->defs[i].d->rows[k].measure] = 1;
        for (k = 0; k < SARX__M_COUNT; k++)
            if (seen[k]) {
                ctx->used[ctx->nused++] = (int)k;
                if (sarx__measure_interval((int)k))
                    ctx->span[ctx->nspan++] = (int)k;
            }
        ctx->measure_skip = sarx__measure_skip(ctx->used, ctx->nused);
    }
    *out = ctx;
    return SARX_OK;
}

size_t sarx_definition_count(const sarx_ctx *ctx) { return ctx ? ctx->ndefs : 0; }

const sarx_definition *sarx_definition_at(const sarx_ctx *ctx, size_t i)
{
    return ctx && i < ctx->ndefs ? &ctx->defs[i] : NULL;
}

const sarx_definition *sarx_definition_find(const sarx_ctx *ctx, const char *id)
{
    size_t i;
    if (!ctx || !id)
        return NULL;
    for (i = 0; i < ctx->ndefs; i++)
        if (strcmp(ctx->defs[i].d->id, id) == 0)
            return &ctx->defs[i];
    return NULL;
}

const char *sarx_definition_id(const sarx_definition *d) { return d ? d->d->id : NULL; }
const char *sarx_definition_title(const sarx_definition *d) { return d ? d->d->title : NULL; }
const char *sarx_definition_version(const sarx_definition *d) { return d ? d->d->version : NULL; }
const char *sarx_definition_citation(const sarx_definition *d) { return d ? d->d->citation : NULL; }
const char *sarx_definition_kind(const sarx_definition *d) { return d ? d->d->kind : NULL; }
const char *sarx_definition_notes(const sarx_definition *d) { return d ? (d->d->notes ? d->d->notes : "") : NULL; }
size_t sarx_definition_category_count(const sarx_definition *d) { return d ? d->d->ncat : 0; }
const char *sarx_definition_category(const sarx_definition *d, size_t i)
{
    return d && i < d->d->ncat ? d->d->cats[i].name : NULL;
}
const char *sarx_definition_category_rule(const sarx_definition *d, size_t i)
{
    return d && i < d->d->ncat ? d->d->cats[i].rule : NULL;
}
size_t sarx_definition_criterion_count(const sarx_definition *d) { return d ? d->d->ncrit : 0; }
const char *sarx_definition_criterion(const sarx_definition *d, size_t i)
{
    return d && i < d->d->ncrit ? d->d->crits[i].id : NULL;
}
const char *sarx_definition_criterion_text(const sarx_definition *d, size_t i)
{
    return d && i < d->d->ncrit ? d->d->crits[i].text : NULL;
}
size_t sarx_definition_row_count(const sarx_definition *d) { return d ? d->d->nrow : 0; }
int sarx_definition_category_positive(const sarx_definition *d, size_t i)
{
    return d && i < d->d->ncat ? d->d->cats[i].positive : 0;
}

/* The reading sarx cohort counts (cohort.c, readings(): the same rule as
** masks): a positive category; else nothing when the category says the
** definition does not apply; else negative when the result is complete
** and decided; else undecided. */
int sarx_definition_reading(const sarx_definition *d, sarx_class c)
{
    if (!d)
        return -SARX_EINVAL;
    if (c.category != SARX_INDETERMINATE && c.category < d->d->ncat) {
        const sarx__cat *cat = &d->d->cats[c.category];
        if (cat->positive)
            return SARX_READING_POSITIVE;
        if (sarx__cat_not_applicable(cat))
            return SARX_READING_NOT_APPLICABLE;
        if (c.complete)
            return SARX_READING_NEGATIVE;
    }
    return SARX_READING_UNDECIDED;
}

const char *sarx__when_text(unsigned w)
{
    /* Rows use one condition or one age band plus one population. */
    static const struct {
        unsigned w;
        const char *t;
    } tab[] = {
        {SARX__W_DXA, "asm_method=dxa"},
        {SARX__W_BIA, "asm_method=bia"},
        {SARX__W_GENERAL, "population=general"},
        {SARX__W_ASIAN, "population=asian"},
        {SARX__W_GENERAL | SARX__W_AGE_LT70, "population=general, age<70"},
        {SARX__W_GENERAL | SARX__W_AGE_GE70, "population=general, age>=70"},
        {SARX__W_ASIAN | SARX__W_AGE_LT70, "population=asian, age<70"},
        {SARX__W_ASIAN | SARX__W_AGE_GE70, "population=asian, age>=70"},
        {SARX__W_ASIAN | SARX__W_DXA, "population=asian, asm_method=dxa"},
        {SARX__W_ASIAN | SARX__W_BIA, "population=asian, asm_method=bia"},
        {SARX__W_AGE_LT70, "age<70"},
        {SARX__W_AGE_GE70, "age>=70"},
        {SARX__W_NO_HEIGHT, "height_cm missing"},
        {SARX__W_NO_WL12, "12-month weight loss unknown"},
        {SARX__W_ONLY_MET, "decides only when met"},
    };
    size_t i;
    if (!w)
        return "";
    for (i = 0; i < SARX__N(tab); i++)
        if (tab[i].w == w)
            return tab[i].t;
    return "(combined condition)";
}

int sarx_definition_row(const sarx_definition *d, size_t i, sarx_row_info *o)
{
    static const char *const sex[] = {"any", "male", "female"};
    const sarx__row *r;
    if (!d || !o || i >= d->d->nrow)
        return SARX_EINVAL;
    r = &d->d->rows[i];
    o->id = r->id;
    o->criterion = r->crit;
    o->measure = sarx__measure_name(r->measure);
    o->sex = sex[r->sex];
    o->op = sarx__op_name[r->op];
    o->threshold = r->threshold;
    o->unit = r->unit;
    o->when = sarx__when_text(r->when);
    o->citation = r->cite;
    return SARX_OK;
}
