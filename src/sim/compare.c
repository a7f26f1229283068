/*
** compare.c — the seed's table: one virtual population's prevalence under
** every definition by age band and sex, beside each published figure.
**
** The review behind the seed finds sarcopenia's prevalence anywhere from 7
** to 70 % between studies, each using another definition.  Here every
** definition reads the same people (validate.c: the US population, every
** field the model makes measured), so the spread between the rows is the
** definitions' alone.  The published figures beside it are each simulated
** for that study's own sex, age range and measured fields (validate.c,
** prevalence_of), so they are not read off the table's cells.
**
** Text for a terminal (100 columns), JSON, and an SVG drawn like
** cohort_svg.c's (a 180 mm page in pt, Okabe-Ito colours, a shape a band).
*/
#include "sim.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bands: grid ages 60-67.5, 70-77.5 and 80-90. */
enum { NBANDS = 3 };
static const char *const band_name[NBANDS] = {"60-69", "70-79", "80-90"};
static const char *const sex_name[2] = {"men", "women"};

static int band_of(int k)
{
    double a = SARX__GRID_AGE(k);
    return a < 70 ? 0 : a < 80 ? 1 : 2;
}

/* Positive and decided rows of definition d, sex s (0 men, 1 women), band b. */
static void counts(const sarx_sim_validation *v, size_t d, int s, int b, long *pos, long *dec)
{
    size_t at = (d * 2 + (size_t)s) * SARX__GRID_AGES;
    int k;
    *pos = *dec = 0;
    for (k = 0; k < SARX__GRID_AGES; k++)
        if (band_of(k) == b) {
            *pos += v->pos[at + (size_t)k];
            *dec += v->dec[at + (size_t)k];
        }
}

/* The prevalence (0-1) of d, s, b; NaN with no decided row. */
static double prev(const sarx_sim_validation *v, size_t d, int s, int b)
{
    long x, n;
    counts(v, d, s, b, &x, &n);
    return n > 0 ? (double)x / (double)n : NAN;
}

/* Has definition d a decided row anywhere? */
static int computable(const sarx_sim_validation *v, size_t d)
{
    size_t i, at = d * 2 * SARX__GRID_AGES;
    for (i = 0; i < 2 * SARX__GRID_AGES; i++)
        if (v->dec[at + i] > 0)
            return 1;
    return 0;
}

static const char *def_id(const sarx_sim_validation *v, size_t d)
{
    return sarx_definition_id(sarx_definition_at(v->ctx, d));
}
static const char *def_title(const sarx_sim_validation *v, size_t d)
{
    return sarx_definition_title(sarx_definition_at(v->ctx, d));
}

static const char *def_kind(const sarx_sim_validation *v, size_t d)
{
    return sarx_definition_kind(sarx_definition_at(v->ctx, d));
}

/* The spread is sarcopenia's: among the definitions of that kind (not
** dynapenia, sarcopenic obesity or a screening tool, other conditions). */
static int in_spread(const sarx_sim_validation *v, size_t d) { return strcmp(def_kind(v, d), "sarcopenia") == 0; }

/* The lowest and highest prevalence of sex s, band b among the sarcopenia
** definitions (the first in registry order on a tie); 0 when none has a
** decided row. */
static int spread(const sarx_sim_validation *v, int s, int b, size_t *lo, size_t *hi)
{
    size_t d;
    int found = 0;
    for (d = 0; d < v->ndefs; d++) {
        double p = prev(v, d, s, b);
        if (isnan(p) || !in_spread(v, d))
            continue;
        if (!found || p < prev(v, *lo, s, b))
            *lo = d;
        if (!found || p > prev(v, *hi, s, b))
            *hi = d;
        found = 1;
    }
    return found;
}

static int is_prevalence(const sarx_sim_validation *v, size_t i)
{
    return v->checks[i].kind == SARX_SIM_TARGET_PREVALENCE && sarx__target_at(i) != NULL;
}

/* A percentage to one decimal, "--" for NaN. */
static void pct(char *t, size_t n, double fraction)
{
    if (isnan(fraction))
        snprintf(t, n, "--");
    else
        sarx__fmt(t, n, 'f', 1, 100 * fraction);
}

/* ---- text ------------------------------------------------------------------ */
#define WIDTH 100

/* Words appended at column *col, wrapped at WIDTH with an indent. */
static void wrap(sarx__buf *b, size_t *col, size_t indent, const char *s)
{
    while (*s) {
        size_t n = strcspn(s, " ");
        if (*col > indent && *col + 1 + n > WIDTH) {
            sarx__printf(b, "\n%*s", (int)indent, "");
            *col = indent;
        } else if (*col > indent) {
            sarx__puts(b, " ");
            (*col)++;
        }
        sarx__putn(b, s, n);
        *col += n;
        s += n;
        while (*s == ' ')
            s++;
    }
}

static void text_table(sarx__buf *b, const sarx_sim_validation *v)
{
    size_t d, idw = 10, used, col;
    int s, k, none = 1, others = 0;
    char t[32];
    for (d = 0; d < v->ndefs; d++)
        if (computable(v, d) && strlen(def_id(v, d)) > idw)
            idw = strlen(def_id(v, d));
    sarx__printf(b, "\nPrevalence under every definition, one virtual population of %ld people (seed %llu):\n"
                    "%% positive among the rows each definition decides, every row measured for every field\n"
                    "the model makes (the same people at each age; bands of grid ages 60-67.5, 70-77.5, 80-90).\n\n",
                 v->people, v->seed);
    sarx__printf(b, "  %-*s%13s%21s\n", (int)idw, "", "men", "women");
    sarx__printf(b, "  %-*s", (int)idw, "definition");
    for (s = 0; s < 2; s++) {
        sarx__puts(b, s ? "   " : "");
        for (k = 0; k < NBANDS; k++)
            sarx__printf(b, "%7s", band_name[k]);
    }
    sarx__puts(b, "   title\n");
    used = 2 + idw + 2 * 21 + 3 + 3;
    for (d = 0; d < v->ndefs; d++) {
        const char *title = def_title(v, d);
        const char *kind = in_spread(v, d) ? "" : " *"; /* another condition: out of the spread */
        size_t room;
        if (!computable(v, d))
            continue;
        others += !in_spread(v, d);
        room = used + strlen(kind) + 12 < WIDTH ? WIDTH - used - strlen(kind) : 12;
        sarx__printf(b, "  %-*s", (int)idw, def_id(v, d));
        for (s = 0; s < 2; s++) {
            sarx__puts(b, s ? "   " : "");
            for (k = 0; k < NBANDS; k++) {
                pct(t, sizeof t, prev(v, d, s, k));
                sarx__printf(b, "%7s", t);
            }
        }
        if (strlen(title) <= room)
            sarx__printf(b, "   %s%s\n", title, kind);
        else
            sarx__printf(b, "   %.*s...%s\n", (int)(room - 3), title, kind);
    }
    sarx__puts(b, "  --: no decided row in that band.");
    if (others)
        sarx__puts(b, "  *: not a sarcopenia definition (another condition).");
    sarx__puts(b, "\n");
    col = 0;
    for (d = 0; d < v->ndefs; d++)
        if (!computable(v, d)) {
            if (none) {
                sarx__puts(b, "\n");
                wrap(b, &col, 0, "Not computable from the model's measurements, needing inputs the model does not "
                                 "make (SARC-F answers, calf circumference, weight history, disease, labs):");
                none = 0;
            } else
                sarx__puts(b, ","), col++;
            wrap(b, &col, 0, def_id(v, d));
        }
    if (!none)
        sarx__puts(b, ".\n");
}

static void text_spread(sarx__buf *b, const sarx_sim_validation *v)
{
    int s, k;
    size_t d, col = 0, nout = 0, i = 0;
    for (d = 0; d < v->ndefs; d++)
        nout += computable(v, d) && !in_spread(v, d);
    sarx__puts(b, "\n");
    wrap(b, &col, 0, nout ? "The spread between the sarcopenia definitions, the same people"
                          : "The spread between the sarcopenia definitions, the same people:");
    for (d = 0; d < v->ndefs; d++)
        if (computable(v, d) && !in_spread(v, d)) {
            char w[128];
            snprintf(w, sizeof w, "%s%s%s", i ? "" : "(other conditions left out: ", def_id(v, d),
                     i + 1 == nout ? "):" : ",");
            i++;
            wrap(b, &col, 0, w);
        }
    sarx__puts(b, "\n");
    for (s = 0; s < 2; s++)
        for (k = 0; k < NBANDS; k++) {
            size_t lo = 0, hi = 0;
            char a[32], c[32], lab[16];
            snprintf(lab, sizeof lab, "%s %s:", sex_name[s], band_name[k]);
            if (!spread(v, s, k, &lo, &hi)) {
                sarx__printf(b, "  %-16s no definition decides a row\n", lab);
                continue;
            }
            pct(a, sizeof a, prev(v, lo, s, k));
            pct(c, sizeof c, prev(v, hi, s, k));
            sarx__printf(b, "  %-16s %5s %% (%s) to %5s %% (%s)\n", lab, a, def_id(v, lo), c, def_id(v, hi));
        }
}

/* Which population a published figure was simulated in. */
static const char *ref_note(int ref)
{
    switch (ref) {
    case SARX__REF_KOREA: return ", simulated in the Korean population (BIA mass)";
    case SARX__REF_MROS: return ", simulated at MrOS's own levels";
    case SARX__REF_NMEHS: return ", simulated at the NMEHS's own muscle-mass level";
    case SARX__REF_FNIH: return ", simulated at the FNIH pool's own grip level";
    default: return "";
    }
}

/* Published figures shown for context only (targets.c's references). */
static void text_references(sarx__buf *b)
{
    size_t i, col;
    sarx__puts(b, "\nPublished figures for context, not targets (their cohorts cannot be set up from what was "
                  "published):\n");
    for (i = 0; i < sarx__reference_count(); i++) {
        const sarx__reference *r = sarx__reference_at(i);
        char line[512];
        snprintf(line, sizeof line, "%s [%s]: %s; not a target: %s. %s", r->study,
                 r->definition ? r->definition : "no engine definition", r->published, r->why_not, r->source);
        sarx__puts(b, "  ");
        col = 2;
        wrap(b, &col, 4, line);
        sarx__puts(b, "\n");
    }
}

static void text_published(sarx__buf *b, const sarx_sim_validation *v)
{
    size_t i, col;
    int any = 0;
    for (i = 0; i < v->n; i++) {
        const sarx_sim_check *c = &v->checks[i];
        const sarx__target *t;
        char val[32], lo[32], hi[32], line[256];
        if (!is_prevalence(v, i))
            continue;
        t = sarx__target_at(i);
        if (!any) {
            sarx__puts(b, "\nPublished figures beside this population:\n");
            col = 0;
            wrap(b, &col, 0, "Each simulated figure is computed for that study's own sex, age range and measured "
                             "fields (a study counts what it could not decide as negative), not read off the table "
                             "above.");
            sarx__puts(b, "\n");
            any = 1;
        }
        pct(val, sizeof val, c->value / 100);
        pct(lo, sizeof lo, c->lo / 100);
        pct(hi, sizeof hi, c->hi / 100);
        if (t->categories) { /* a figure of some categories only (Janssen's high risk, EWGSOP2's probable) */
            snprintf(line, sizeof line, "%s [%s: %s]", c->what, t->definition ? t->definition : "--", t->categories);
            sarx__puts(b, "  ");
            col = 2;
            wrap(b, &col, 4, line);
            sarx__puts(b, "\n");
        } else
            sarx__printf(b, "  %s [%s]\n", c->what, t->definition ? t->definition : "--");
        snprintf(line, sizeof line, "published %s, simulated %s %% (passes %s-%s %%): %s, %s%s", c->published, val, lo,
                 hi, c->pass ? "pass" : "FAIL", c->held_out ? "held out" : "calibrated",
                 ref_note(t->ref));
        sarx__puts(b, "    ");
        col = 4;
        wrap(b, &col, 6, line);
        sarx__puts(b, "\n    ");
        col = 4;
        wrap(b, &col, 6, c->source);
        sarx__puts(b, "\n");
    }
}

char *sarx_sim_compare_text(const sarx_sim_validation *v)
{
    sarx__buf b = {0};
    size_t col = 0;
    if (!v)
        return NULL;
    text_table(&b, v);
    text_spread(&b, v);
    text_published(&b, v);
    text_references(&b);
    sarx__puts(&b, "\n");
    wrap(&b, &col, 0, "A model population for research and teaching, not data: docs/SIMULATOR.md sets out the model, "
                      "its sources and its limits.");
    sarx__puts(&b, "\n");
    return sarx__buf_take(&b);
}

/* ---- JSON ------------------------------------------------------------------ */
/* Set (object) or append (array) a new value, remembering a failure. */
static void jset(json_t *o, const char *key, json_t *x, int *bad)
{
    if (!x || json_object_set_new(o, key, x) != 0) /* jansson releases x when o is NULL */
        *bad = 1;
}
static void jadd(json_t *a, json_t *x, int *bad)
{
    if (!x || json_array_append_new(a, x) != 0) /* jansson releases x when a is NULL */
        *bad = 1;
}
#if JSON_INTEGER_IS_LONG_LONG
#define JINT_MAX LLONG_MAX
#else
#define JINT_MAX LONG_MAX
#endif
static json_t *jnum(double x) { return isnan(x) ? json_null() : json_real(x); }

/* A band's counts; NULL when out of memory. */
static json_t *json_band(const sarx_sim_validation *v, size_t d, int s, int k)
{
    long x, n;
    double lo, hi;
    counts(v, d, s, k, &x, &n);
    if (n > 0 && sarx_wilson(x, n, &lo, &hi) == SARX_OK)
        return json_pack("{s:s,s:I,s:I,s:f,s:[f,f]}", "band", band_name[k], "positive", (json_int_t)x, "decided",
                         (json_int_t)n, "prevalence", (double)x / (double)n, "ci95", lo, hi);
    return json_pack("{s:s,s:I,s:I,s:n,s:n}", "band", band_name[k], "positive", (json_int_t)x, "decided",
                     (json_int_t)n, "prevalence", "ci95");
}

char *sarx_sim_compare_json(const sarx_sim_validation *v)
{
    json_t *root, *defs, *nc, *sp, *pub, *a;
    size_t d, i;
    int s, k, bad = 0;
    char *out = NULL;
    if (!v)
        return NULL;
    root = json_object();
    jset(root, "people", json_integer((json_int_t)v->people), &bad);
    if (v->seed <= (unsigned long long)JINT_MAX)
        jset(root, "seed", json_integer((json_int_t)v->seed), &bad);
    else { /* beyond JSON's integers: its decimal digits */
        char t[32];
        snprintf(t, sizeof t, "%llu", v->seed);
        jset(root, "seed", json_string(t), &bad);
    }
    jset(root, "bands", json_pack("[s,s,s]", band_name[0], band_name[1], band_name[2]), &bad);
    jset(root, "note", json_string("prevalence: positive / decided rows, a fraction 0-1, 95 % Wilson ci95; the same "
                                   "people under every definition, every field the model makes measured"), &bad);
    defs = json_array();
    nc = json_array();
    for (d = 0; d < v->ndefs; d++) {
        json_t *o;
        if (!computable(v, d)) {
            jadd(nc, json_string(def_id(v, d)), &bad);
            continue;
        }
        o = json_object();
        jset(o, "id", json_string(def_id(v, d)), &bad);
        jset(o, "title", json_string(def_title(v, d)), &bad);
        jset(o, "kind", json_string(def_kind(v, d)), &bad);
        for (s = 0; s < 2; s++) {
            a = json_array();
            for (k = 0; k < NBANDS; k++)
                jadd(a, json_band(v, d, s, k), &bad);
            jset(o, sex_name[s], a, &bad);
        }
        jadd(defs, o, &bad);
    }
    jset(root, "definitions", defs, &bad);
    jset(root, "not_computable", nc, &bad);
    sp = json_object();
    for (s = 0; s < 2; s++) {
        a = json_array();
        for (k = 0; k < NBANDS; k++) {
            size_t lo = 0, hi = 0;
            if (spread(v, s, k, &lo, &hi))
                jadd(a, json_pack("{s:s,s:{s:s,s:f},s:{s:s,s:f}}", "band", band_name[k], "lowest", "id",
                                  def_id(v, lo), "prevalence", prev(v, lo, s, k), "highest", "id", def_id(v, hi),
                                  "prevalence", prev(v, hi, s, k)), &bad);
            else
                jadd(a, json_pack("{s:s,s:n,s:n}", "band", band_name[k], "lowest", "highest"), &bad);
        }
        jset(sp, sex_name[s], a, &bad);
    }
    jset(root, "spread", sp, &bad);
    jset(root, "spread_note", json_string("lowest and highest prevalence among the definitions of kind sarcopenia"),
         &bad);
    pub = json_array();
    for (i = 0; i < v->n; i++) {
        const sarx_sim_check *c = &v->checks[i];
        const sarx__target *t = sarx__target_at(i);
        if (!is_prevalence(v, i))
            continue;
        json_t *o = json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s,s:s}", "id", c->id, "what", c->what, "definition",
                              t->definition, "categories", t->categories,
                              "sex", t->sex == SARX__MALE ? "men" : t->sex == SARX__FEMALE ? "women" : NULL, "source",
                              c->source, "published", c->published);
        /* fractions, as the prevalences above (a check holds them in %) */
        jset(o, "target", jnum(c->target / 100), &bad);
        jset(o, "lo", jnum(c->lo / 100), &bad);
        jset(o, "hi", jnum(c->hi / 100), &bad);
        jset(o, "simulated", jnum(c->value / 100), &bad);
        jset(o, "pass", json_boolean(c->pass), &bad);
        jset(o, "held_out", json_boolean(c->held_out), &bad);
        jadd(pub, o, &bad);
    }
    jset(root, "published", pub, &bad);
    {
        json_t *refs = json_array();
        for (i = 0; i < sarx__reference_count(); i++) {
            const sarx__reference *r = sarx__reference_at(i);
            jadd(refs,
                 json_pack("{s:s,s:s?,s:s,s:s,s:s}", "study", r->study, "definition", r->definition, "published",
                           r->published, "source", r->source, "not_a_target_because", r->why_not),
                 &bad);
        }
        jset(root, "context", refs, &bad);
    }
    jset(root, "published_note", json_string("each simulated for that study's own sex, age range and measured "
                                              "fields; target, lo, hi and simulated as fractions 0-1"),
         &bad);
    jset(root, "disclaimer", json_string("A model population for research and teaching, not data (docs/SIMULATOR.md)."),
         &bad);
    if (!bad)
        out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(root);
    return out;
}

/* ---- SVG ------------------------------------------------------------------- */
#define PAGE_W 510.24 /* 180 mm in pt */
#define FONT "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
/* Okabe & Ito (2008): a colour and a shape a band, as cohort_svg.c's bands. */
static const char *const band_colour[NBANDS] = {"#E69F00", "#56B4E9", "#009E73"};
enum { SHAPE_CIRCLE, SHAPE_SQUARE, SHAPE_TRIANGLE, SHAPE_DIAMOND }; /* the bands', then the published */
_Static_assert((int)SHAPE_DIAMOND == (int)NBANDS, "a shape a band, then the published figures'");

static void num(char *t, size_t n, double x) { sarx__fmt(t, n, 'f', 2, x); }
static double text_w(const char *s, double size) { return 0.56 * size * (double)strlen(s); }

#define xml_put sarx__xml_put

/* An open <path> of a marker centred on (x, y), radius about 2.6 pt; the
** caller closes it ("/>" or "><title>..</title></path>"). */
static void marker(sarx__buf *b, const char *cls, int shape, double x, double y, const char *fill, const char *stroke)
{
    const double r = 2.6; /* the circle's path spells it */
    static const double sq[4][2] = {{-0.85, -0.85}, {0.85, -0.85}, {0.85, 0.85}, {-0.85, 0.85}},
                        tri[3][2] = {{0, -1.2}, {1.04, 0.6}, {-1.04, 0.6}},
                        dia[4][2] = {{0, -1.35}, {1.05, 0}, {0, 1.35}, {-1.05, 0}};
    const double(*p)[2] = shape == SHAPE_SQUARE ? sq : shape == SHAPE_TRIANGLE ? tri : dia;
    int i, n = shape == SHAPE_TRIANGLE ? 3 : 4;
    char a[32], c[32];
    if (shape == SHAPE_CIRCLE) {
        num(a, sizeof a, x - r);
        num(c, sizeof c, y);
        sarx__printf(b, "<path class=\"%s\" d=\"M%s %s a2.6 2.6 0 1 0 5.2 0 a2.6 2.6 0 1 0 -5.2 0z\"", cls, a, c);
    } else {
        num(a, sizeof a, x + r * p[0][0]);
        num(c, sizeof c, y + r * p[0][1]);
        sarx__printf(b, "<path class=\"%s\" d=\"M%s %s", cls, a, c);
        for (i = 1; i < n; i++) {
            num(a, sizeof a, r * (p[i][0] - p[i - 1][0]));
            num(c, sizeof c, r * (p[i][1] - p[i - 1][1]));
            sarx__printf(b, " l%s %s", a, c);
        }
        sarx__puts(b, "z\"");
    }
    sarx__printf(b, " fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"", fill, stroke,
                 strcmp(fill, "none") == 0 ? "1" : "0.4");
}

/* "<tag" and four numeric attributes (names space-separated), left open. */
static void elem4(sarx__buf *b, const char *tag, const char *names, double a, double c, double d, double e)
{
    const double x[4] = {a, c, d, e};
    char t[32];
    int i;
    sarx__printf(b, "<%s", tag);
    for (i = 0; i < 4; i++) {
        int n = (int)strcspn(names, " ");
        num(t, sizeof t, x[i]);
        sarx__printf(b, " %.*s=\"%s\"", n, names, t);
        names += n + (names[n] == ' ');
    }
}

static void line(sarx__buf *b, double x1, double y1, double x2, double y2, const char *colour, const char *w)
{
    elem4(b, "line", "x1 y1 x2 y2", x1, y1, x2, y2);
    sarx__printf(b, " stroke=\"%s\" stroke-width=\"%s\"/>\n", colour, w);
}

/* Rows in order of the prevalence at 80-90, men and women together, highest
** first (the registry's order on a tie, and for a row without one). */
typedef struct rowkey {
    size_t d;
    double key;
} rowkey;
static int by_key(const void *pa, const void *pb)
{
    const rowkey *a = pa, *b = pb;
    int na = isnan(a->key), nb = isnan(b->key);
    if (na != nb)
        return na - nb;
    if (!na && a->key != b->key)
        return a->key < b->key ? 1 : -1;
    return a->d < b->d ? -1 : a->d > b->d;
}

/* One panel (sex s) of nrow rows from y = top; its height. */
static double panel(sarx__buf *b, const sarx_sim_validation *v, int s, const rowkey *rows, size_t nrow, double top,
                    double left, double plotw)
{
    const double pitch = 5.6, gap = 6, rowh = pitch * (NBANDS + 1) + gap;
    double top0 = top, bottom = top + 14 + rowh * (double)nrow;
    char t1[32], t2[32], t3[32], lab[96];
    size_t r, i;
    int k;
    sarx__printf(b, "<g class=\"panel\" data-sex=\"%s\">\n", sex_name[s]);
    sarx__svg_text(b, left, top + 8, "start", 9, "bold", s ? "Women" : "Men");
    top += 14;
    for (r = 0; r < nrow; r += 2) {
        elem4(b, "rect", "x y width height", left, top + rowh * (double)r, plotw, rowh);
        sarx__puts(b, " fill=\"#f4f6f8\"/>\n");
    }
    for (k = 0; k <= 10; k++)
        line(b, left + plotw * k / 10, top, left + plotw * k / 10, bottom, k % 5 ? "#e4e4e4" : "#c8c8c8", "0.5");
    for (k = 0; k <= 5; k++) {
        snprintf(lab, sizeof lab, "%d%%", 20 * k);
        sarx__svg_text(b, left + plotw * k / 5, bottom + 9, "middle", 7, "normal", lab);
    }
    for (r = 0; r < nrow; r++) {
        size_t d = rows[r].d;
        double y0 = top + rowh * (double)r, lo3 = NAN, hi3 = NAN;
        sarx__printf(b, "<g class=\"definition\" data-definition=\"%s\">\n", def_id(v, d));
        sarx__svg_text(b, left - 6, y0 + rowh / 2 + 3, "end", 8, "normal", def_title(v, d));
        for (k = 0; k < NBANDS; k++) { /* the light bar from the lowest band to the highest */
            double p = prev(v, d, s, k);
            if (!isnan(p)) {
                lo3 = isnan(lo3) ? p : fmin(lo3, p);
                hi3 = isnan(hi3) ? p : fmax(hi3, p);
            }
        }
        if (isnan(lo3)) {
            sarx__puts(b, "<g fill=\"#666666\">");
            sarx__svg_text(b, left + 4, y0 + rowh / 2 + 3, "start", 7, "normal", "no decided row for this sex");
            sarx__puts(b, "</g>\n");
        } else {
            elem4(b, "rect", "x y width height", left + plotw * lo3, y0 + gap / 2 + 1, fmax(plotw * (hi3 - lo3), 0.5),
                  pitch * NBANDS - 2);
            sarx__puts(b, " class=\"range\" fill=\"#d9dde3\"/>\n");
        }
        for (k = 0; k < NBANDS; k++) {
            long x, n;
            double lo, hi, y = y0 + gap / 2 + pitch * (k + 0.5);
            counts(v, d, s, k, &x, &n);
            if (n <= 0 || sarx_wilson(x, n, &lo, &hi) != SARX_OK)
                continue;
            line(b, left + plotw * lo, y, left + plotw * hi, y, band_colour[k], "1");
            marker(b, "marker", k, left + plotw * (double)x / (double)n, y, band_colour[k], "#333333");
            sarx__puts(b, "><title>");
            xml_put(b, def_title(v, d));
            pct(t1, sizeof t1, (double)x / (double)n);
            pct(t2, sizeof t2, lo);
            pct(t3, sizeof t3, hi);
            sarx__printf(b, ", %s %s: %s %% (%ld/%ld; 95 %% CI %s-%s %%)</title></path>\n", sex_name[s], band_name[k],
                         t1, x, n, t2, t3);
        }
        for (i = 0; i < v->n; i++) { /* the published figures for this definition and sex */
            const sarx__target *t = sarx__target_at(i);
            const sarx_sim_check *c = &v->checks[i];
            if (!is_prevalence(v, i) || !t->definition || isnan(c->target) ||
                sarx_definition_find(v->ctx, t->definition) != sarx_definition_at(v->ctx, d) ||
                (t->sex != (s ? SARX__FEMALE : SARX__MALE) && t->sex != 0))
                continue;
            marker(b, "published", SHAPE_DIAMOND, left + plotw * fmin(fmax(c->target / 100, 0), 1),
                   y0 + gap / 2 + pitch * 3.5, "none", "#000000");
            sarx__puts(b, "><title>");
            xml_put(b, c->what);
            sarx__puts(b, ": published ");
            xml_put(b, c->published);
            sarx__puts(b, " (");
            xml_put(b, c->source);
            pct(t1, sizeof t1, c->value / 100);
            sarx__printf(b, ")%s; simulated for its own sex, ages and fields: %s %%</title></path>\n",
                         t->ref == SARX__REF_KOREA ? ", a Korean population" : "", t1);
        }
        sarx__puts(b, "</g>\n");
    }
    sarx__puts(b, "</g>\n");
    return bottom + 28 - top0;
}

char *sarx_sim_compare_svg(const sarx_sim_validation *v)
{
    sarx__buf b = {0};
    rowkey *rows;
    size_t d, nrow = 0;
    const double right = 14, pitch = 5.6, gap = 6, rowh = pitch * (NBANDS + 1) + gap;
    double left = 60, plotw, H, ph, y, lx;
    char t1[32], t2[32], t3[32], lab[160];
    int s, k;
    if (!v)
        return NULL;
    if (!(rows = malloc((v->ndefs ? v->ndefs : 1) * sizeof *rows)))
        return NULL;
    for (d = 0; d < v->ndefs; d++)
        if (computable(v, d)) {
            long x0, n0, x1, n1;
            counts(v, d, 0, 2, &x0, &n0);
            counts(v, d, 1, 2, &x1, &n1);
            rows[nrow].d = d;
            rows[nrow++].key = n0 + n1 > 0 ? (double)(x0 + x1) / (double)(n0 + n1) : NAN;
            left = fmax(left, text_w(def_title(v, d), 8) + 10);
        }
    qsort(rows, nrow, sizeof *rows, by_key);
    left = fmin(left, 190);
    plotw = PAGE_W - left - right;
    ph = 14 + rowh * (double)nrow + 28; /* a panel: its heading, rows and axis */
    H = 62 + 2 * ph + 30;
    num(t1, sizeof t1, PAGE_W);
    num(t2, sizeof t2, H);
    sarx__fmt(t3, sizeof t3, 'f', 1, H * 25.4 / 72.0);
    sarx__printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"180.0mm\" height=\"%smm\" "
                     "viewBox=\"0 0 %s %s\" font-family=\"%s\" role=\"img\" aria-label=\"Prevalence by definition, "
                     "age band and sex, one virtual population\">\n<rect width=\"100%%\" height=\"100%%\" "
                     "fill=\"white\"/>\n", t3, t1, t2, FONT);
    snprintf(lab, sizeof lab, "Prevalence by definition, age band and sex, with 95%% Wilson CI (%ld people)",
             v->people);
    sarx__svg_text(&b, PAGE_W / 2, 14, "middle", 9, "bold", lab);
    snprintf(lab, sizeof lab, "One virtual population, %ld people: the spread between rows is the definitions' alone.",
             v->people);
    sarx__svg_text(&b, PAGE_W / 2, 27, "middle", 8, "normal", lab);
    /* the legend: the bands, the range bar, the published figures */
    lx = left;
    y = 44;
    for (k = 0; k <= NBANDS; k++) { /* the bands, then the published figures */
        snprintf(lab, sizeof lab, "%s%s", k < NBANDS ? band_name[k] : "published figure", k < NBANDS ? " years" : "");
        sarx__printf(&b, "<g class=\"legend\" data-legend=\"%s\">", k < NBANDS ? band_name[k] : "published");
        marker(&b, k < NBANDS ? "marker" : "published", k, lx + 4, y - 3, k < NBANDS ? band_colour[k] : "none",
               k < NBANDS ? "#333333" : "#000000");
        sarx__puts(&b, "/>");
        sarx__svg_text(&b, lx + 10, y, "start", 8, "normal", lab);
        sarx__puts(&b, "</g>\n");
        lx += 22 + text_w(lab, 8);
    }
    sarx__puts(&b, "<g fill=\"#444444\">");
    sarx__svg_text(&b, left, y + 12, "start", 7, "normal",
                   "Grey bar: lowest to highest band. Published figures: each study's own ages and fields.");
    sarx__puts(&b, "</g>\n");
    y = 62;
    for (s = 0; s < 2; s++)
        y += panel(&b, v, s, rows, nrow, y, left, plotw);
    sarx__svg_text(&b, left + plotw / 2, y + 2, "middle", 8, "normal",
                   "Prevalence (%) of a positive reading, among rows where that reading is decided");
    sarx__puts(&b, "<g fill=\"#444444\">");
    sarx__svg_text(&b, left + plotw / 2, y + 14, "middle", 7, "normal",
                   "A model population for research and teaching, not data (docs/SIMULATOR.md).");
    sarx__puts(&b, "</g>\n</svg>\n");
    free(rows);
    return sarx__buf_take(&b);
}
