/*
** plots.c — the figures as a reader of a paper sees them: the cohort's
** prevalence and agreement plots, the simulator's trajectories and the
** registry's weight plot, read back from their SVG (sizes, fonts, labels,
** ticks, marker shapes, label boxes), and the PNG the sarx command writes.
**
** usage: plots [DIR]   (DIR: also write every figure there, to look at)
*/
#include "../server/server.h" /* first: it sets _POSIX_C_SOURCE */

#include "../cli/png.h"
#include "harness.h"
#include "sarx.h"

#include <cairo.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *outdir;

/* Under SAN=1: fontconfig (through librsvg and Pango) keeps its font cache
** for the life of the process, by design; LeakSanitizer is told so here
** rather than in every environment that runs the test. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

static void keep(const char *name, const char *svg)
{
    char path[512];
    FILE *f;
    if (!outdir || !svg)
        return;
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    if ((f = fopen(path, "w")) != NULL) {
        fputs(svg, f);
        fclose(f);
    }
}

/* ---- reading the SVG back ---------------------------------------------- */

/* The value of attribute `name` in the tag starting at tag (up to its '>'). */
static int attr(const char *tag, const char *name, char *out, size_t n)
{
    const char *end = strchr(tag, '>'), *p = tag;
    size_t k = strlen(name);
    while ((p = strstr(p, name)) != NULL && p < end) {
        if (p[-1] == ' ' && p[k] == '=' && p[k + 1] == '"') {
            const char *v = p + k + 2, *q = strchr(v, '"');
            size_t len = (size_t)(q - v);
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return 1;
        }
        p += k;
    }
    return 0;
}

static double attr_num(const char *tag, const char *name, double dflt)
{
    char v[64];
    return attr(tag, name, v, sizeof v) ? strtod(v, NULL) : dflt;
}

/* The text of a <text> element (no markup inside in these plots). */
static void text_of(const char *tag, char *out, size_t n)
{
    const char *s = strchr(tag, '>') + 1, *e = strstr(s, "</text>");
    size_t len = (size_t)(e - s);
    if (len >= n)
        len = n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

/* 180 mm wide, and points per user unit from the width and the viewBox. */
static double pt_per_unit(const char *svg)
{
    char w[32], vb[64];
    double x, y, vw, vh;
    if (!attr(svg, "width", w, sizeof w) || !attr(svg, "viewBox", vb, sizeof vb) ||
        sscanf(vb, "%lf %lf %lf %lf", &x, &y, &vw, &vh) != 4 || strstr(w, "mm") == NULL)
        return 0;
    return strtod(w, NULL) / 25.4 * 72 / vw;
}

/* Every figure: 180 mm wide, one font family with fallbacks on the root
** only, no font under 7 pt at that size. */
static void check_page(const char *svg, const char *what)
{
    char w[32], fam[160];
    const char *p;
    double scale = pt_per_unit(svg), least = 1e9;
    int families = 0;
    CHECK(svg != NULL);
    if (!svg)
        return;
    CHECK(attr(svg, "width", w, sizeof w) && strcmp(w, "180.0mm") == 0);
    CHECK(scale > 0.99 && scale < 1.01);
    CHECK(attr(svg, "font-family", fam, sizeof fam) && strstr(fam, "DejaVu Sans") && strstr(fam, "sans-serif"));
    for (p = svg; (p = strstr(p, "font-family=")) != NULL; p++)
        families++;
    CHECK_INT(families, 1);
    for (p = svg; (p = strstr(p, "font-size=\"")) != NULL; p++)
        least = fmin(least, strtod(p + 11, NULL) * scale);
    /* (180 mm is 510.236 pt: a viewBox of 510.24 is 7 pt to 1e-5) */
    if (!(least >= 7 - 1e-3))
        fprintf(stderr, "%s: a font of %.2f pt\n", what, least);
    CHECK(least >= 7 - 1e-3);
}

/* The labels in a group <g class="cls"> from p: distinct numbers, each
** greater than the one before (a "%" allowed after them); their count. */
static int check_ticks(const char *p, const char *cls, const char *what)
{
    char open[64], lab[64];
    const char *end, *t;
    double prev = -1e300;
    int n = 0;
    snprintf(open, sizeof open, "<g class=\"%s\">", cls);
    if (!(p = strstr(p, open)) || !(end = strstr(p, "</g>"))) {
        CHECK(!"no tick group");
        return 0;
    }
    for (t = p; (t = strstr(t, "<text")) != NULL && t < end; t++) {
        char *e;
        double v;
        text_of(t, lab, sizeof lab);
        v = strtod(lab, &e);
        if (e == lab || (*e && strcmp(e, "%") != 0) || !(v > prev)) {
            fprintf(stderr, "%s: tick \"%s\" after %g\n", what, lab, prev);
            CHECK(!"ticks distinct and increasing");
            return n;
        }
        prev = v;
        n++;
    }
    CHECK(n >= 3);
    return n;
}

/* A marker's shape: its path after the first (absolute) point. */
static void shape_of(const char *path_tag, char *out, size_t n)
{
    char d[512];
    const char *s;
    out[0] = '\0';
    if (!attr(path_tag, "d", d, sizeof d))
        return;
    s = d + 1;
    s += strspn(s, "-0123456789. ");
    snprintf(out, n, "%s", s);
}

/* Well-formed XML, as far as these figures use it (elements, attributes,
** comments, the five entities and character references): every character
** one XML 1.0 allows, in UTF-8; every tag closed by its name; one root.
** (libxml2, under librsvg, refuses the whole file for one bad byte.) */
static int well_formed(const char *svg, const char *what)
{
    const unsigned char *p = (const unsigned char *)svg;
    char stack[32][32];
    int depth = 0, roots = 0;
#define BAD(why)                                                                           \
    do {                                                                                   \
        fprintf(stderr, "%s: not well-formed at byte %ld: %s\n", what, (long)((const char *)p - svg), why); \
        return 0;                                                                          \
    } while (0)
    if (!svg)
        return 0;
    while (*p) {
        if (*p == '<' && p[1] == '/') {
            size_t k = strcspn((const char *)p + 2, ">");
            if (depth == 0 || strlen(stack[depth - 1]) != k || strncmp(stack[depth - 1], (const char *)p + 2, k) != 0)
                BAD("a closing tag that closes nothing open");
            depth--;
            p += k + 3;
        } else if (*p == '<' && strncmp((const char *)p, "<!--", 4) == 0) {
            const char *e = strstr((const char *)p + 4, "-->");
            if (!e)
                BAD("an unclosed comment");
            p = (const unsigned char *)e + 3;
        } else if (*p == '<') {
            size_t k = strcspn((const char *)p + 1, " \t\n/>");
            const unsigned char *q = p + 1 + k;
            if (k == 0 || k >= sizeof stack[0] || depth >= 32)
                BAD("a tag without a name");
            for (;;) { /* attributes: name="value", the value without '<' */
                q += strspn((const char *)q, " \t\n");
                if (*q == '>' || (*q == '/' && q[1] == '>'))
                    break;
                q += strcspn((const char *)q, "=> \t\n");
                if (q[0] != '=' || (q[1] != '"' && q[1] != '\''))
                    BAD("an attribute without a quoted value");
                {
                    const unsigned char *e = (const unsigned char *)strchr((const char *)q + 2, q[1]);
                    if (!e || memchr(q + 2, '<', (size_t)(e - q - 2)))
                        BAD("an attribute's value");
                    q = e + 1;
                }
            }
            if (*q == '>') {
                memcpy(stack[depth], p + 1, k);
                stack[depth++][k] = '\0';
                roots += depth == 1;
                p = q + 1;
            } else {
                roots += depth == 0;
                p = q + 2;
            }
        } else if (*p == '&') {
            static const char *const ent[] = {"&lt;", "&gt;", "&amp;", "&quot;", "&apos;"};
            size_t e, k = 0;
            for (e = 0; e < 5 && !k; e++)
                if (strncmp((const char *)p, ent[e], strlen(ent[e])) == 0)
                    k = strlen(ent[e]);
            if (!k && p[1] == '#')
                k = strspn((const char *)p + 2, "x0123456789abcdefABCDEF") + 2, k = p[k] == ';' ? k + 1 : 0;
            if (!k)
                BAD("an '&' that starts no entity");
            p += k;
        } else if (*p < 0x80) {
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                BAD("a control character");
            p++;
        } else { /* a UTF-8 sequence, shortest form, a character XML allows */
            unsigned cp, len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0, i;
            if (len == 0 || *p > 0xF4)
                BAD("a byte that starts no UTF-8 character");
            cp = *p & (0x7Fu >> len);
            for (i = 1; i < len; i++) {
                if ((p[i] & 0xC0) != 0x80)
                    BAD("a UTF-8 character cut short");
                cp = cp << 6 | (p[i] & 0x3Fu);
            }
            if (cp < (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u) || (cp >= 0xD800 && cp <= 0xDFFF) ||
                cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF)
                BAD("a character XML does not allow");
            p += len;
        }
    }
    if (depth != 0 || roots != 1)
        BAD("not one root element, closed");
#undef BAD
    return 1;
}

/* ---- the cohort -------------------------------------------------------- */

static void test_cohort(void)
{
    static const char *const hdr[] = {"sex", "age_years", "grip_kg", "gait_speed_m_s", "height_cm", "weight_kg",
                                      "asm_kg"};
    size_t hl[7], lens[7], k, d;
    long i;
    sarx_ctx *ctx;
    sarx_cohort *c;
    sarx_error err;
    char *prev, *agr, cells[7][24], lab[128], shapes[8][256], fills[8][16];
    char *cp[7];
    int nleg = 0, a, b;
    const char *p;
    CHECK_INT(sarx_ctx_new(&ctx, &err), SARX_OK);
    for (k = 0; k < 7; k++)
        hl[k] = strlen(hdr[k]);
    CHECK_INT(sarx_cohort_new(ctx, (char *const *)hdr, hl, 7, 0, &c, &err), SARX_OK);
    for (i = 0; i < 2000; i++) { /* every age band, weaker with age */
        int age = 20 + (int)(i % 75);
        snprintf(cells[0], 24, "%s", i % 2 ? "male" : "female");
        snprintf(cells[1], 24, "%d", age);
        snprintf(cells[2], 24, "%.1f", (i % 2 ? 46.0 : 30.0) - 0.3 * (age - 20) + (double)(i % 7));
        snprintf(cells[3], 24, "%.2f", 1.4 - 0.008 * (age - 20) + 0.02 * (double)(i % 5));
        snprintf(cells[4], 24, "%d", i % 2 ? 176 : 163);
        snprintf(cells[5], 24, "%d", 60 + (int)(i % 30));
        snprintf(cells[6], 24, "%.1f", (i % 2 ? 24.0 : 17.0) - 0.05 * (age - 20) + 0.2 * (double)(i % 9));
        for (k = 0; k < 7; k++) {
            cp[k] = cells[k];
            lens[k] = strlen(cells[k]);
        }
        CHECK_INT(sarx_cohort_parse(c, cp, lens, 7, &err), SARX_OK);
        if (i % 64 == 63)
            sarx_cohort_classify(c, NULL, NULL, NULL);
    }
    sarx_cohort_classify(c, NULL, NULL, NULL);
    prev = sarx_cohort_svg_prevalence(c);
    agr = sarx_cohort_svg_agreement(c);
    keep("prevalence.svg", prev);
    keep("agreement.svg", agr);
    check_page(prev, "prevalence");
    check_page(agr, "agreement");
    CHECK(well_formed(prev, "prevalence"));
    CHECK(well_formed(agr, "agreement"));
    /* definitions by their titles, never their ids */
    for (d = 0; prev && agr && d < sarx_definition_count(ctx); d++) {
        const sarx_definition *def = sarx_definition_at(ctx, d);
        char q[200], esc[160], *o = esc;
        const char *s;
        for (s = sarx_definition_title(def); *s && o < esc + sizeof esc - 6; s++)
            o += *s == '&' ? sprintf(o, "&amp;") : sprintf(o, "%c", *s);
        *o = '\0';
        snprintf(q, sizeof q, ">%s<", sarx_definition_id(def));
        CHECK(strstr(prev, q) == NULL);
        CHECK(strstr(agr, q) == NULL);
        snprintf(q, sizeof q, ">%s<", esc);
        CHECK(strstr(prev, q) != NULL);
        CHECK(strstr(agr, q) != NULL);
    }
    /* the legend: every stratum in words, a shape and a colour of its own */
    for (p = prev; prev && (p = strstr(p, "<g class=\"legend\"")) != NULL && nleg < 8; p++) {
        const char *path = strstr(p, "<path"), *t = strstr(p, "<text");
        text_of(t, lab, sizeof lab);
        CHECK(strcmp(lab, "all ages") == 0 || (strstr(lab, " years") && strchr("0123456789", lab[0])));
        CHECK(strstr(lab, "_") == NULL);
        shape_of(path, shapes[nleg], sizeof shapes[nleg]);
        CHECK(attr(path, "fill", fills[nleg], sizeof fills[nleg]));
        nleg++;
    }
    CHECK_INT(nleg, 8); /* all ages and the seven bands */
    for (a = 0; a < nleg; a++)
        for (b = a + 1; b < nleg; b++) {
            CHECK(strcmp(shapes[a], shapes[b]) != 0);
            CHECK(strcmp(fills[a], fills[b]) != 0);
        }
    /* each marker in the plot has its stratum's shape, as in the legend */
    {
        int markers = 0, same = 0;
        for (p = prev ? strstr(prev, "</g>") : NULL; p && (p = strstr(p, "<path class=\"marker\"")) != NULL; p++) {
            char sh[256], fill[16];
            shape_of(p, sh, sizeof sh);
            attr(p, "fill", fill, sizeof fill);
            for (a = 0; a < nleg; a++)
                if (strcmp(fill, fills[a]) == 0) {
                    same += strcmp(sh, shapes[a]) == 0;
                    break;
                }
            markers++;
        }
        CHECK(markers > 8 * 10);
        CHECK_INT(same, markers);
    }
    if (prev)
        check_ticks(prev, "xticks", "prevalence axis");
    sarx_free(prev);
    sarx_free(agr);
    sarx_cohort_free(c);
    sarx_ctx_free(ctx);
}

/* The agreement plot's cell of definitions row and col: its text and fill. */
static int cell_of(const char *svg, const char *row, const char *col, char *text, size_t n, char *fill)
{
    char q[128];
    const char *p, *t;
    snprintf(q, sizeof q, "<rect class=\"cell\" data-row=\"%s\" data-column=\"%s\"", row, col);
    if (!svg || !(p = strstr(svg, q)) || !(t = strstr(p, "<text")))
        return 0;
    attr(p, "fill", fill, 16);
    text_of(t, text, n);
    return 1;
}

/* Two rows: kappa of a definition with itself is 1 only when both of its
** readings occur; grey "-" when it has no decided reading (GLIM, Fearon,
** Janssen here) or only one category (FNIH: both negative; AWGS 2025: one
** row decided).  It once showed 1.00 on every diagonal. */
static void test_agreement_undefined(void)
{
    static const char *const hdr[] = {"sex", "age_years", "grip_kg", "gait_speed_m_s", "height_cm", "weight_kg",
                                      "asm_kg"};
    static const char *const rows[2][7] = {{"female", "80", "12", "0.5", "160", "50", "11"},
                                           {"male", "30", "50", "1.4", "180", "80", "25"}};
    static const struct {
        const char *id, *text;
    } want[] = {{"ewgsop2", "1.00"}, {"ewgsop1", "1.00"},    {"awgs2025", "-"},   {"fnih2014", "-"},
                {"glim2019", "-"},   {"fearon2011", "-"},    {"janssen2004", "-"}, {"espen_easo2022", "-"}};
    size_t hl[7], lens[7], k;
    sarx_ctx *ctx;
    sarx_cohort *c;
    sarx_error err;
    char *cp[7], *agr, text[32], fill[16];
    int r;
    CHECK_INT(sarx_ctx_new(&ctx, &err), SARX_OK);
    for (k = 0; k < 7; k++)
        hl[k] = strlen(hdr[k]);
    CHECK_INT(sarx_cohort_new(ctx, (char *const *)hdr, hl, 7, 0, &c, &err), SARX_OK);
    for (r = 0; r < 2; r++) {
        for (k = 0; k < 7; k++) {
            cp[k] = (char *)rows[r][k];
            lens[k] = strlen(rows[r][k]);
        }
        CHECK_INT(sarx_cohort_parse(c, cp, lens, 7, &err), SARX_OK);
    }
    sarx_cohort_classify(c, NULL, NULL, NULL);
    agr = sarx_cohort_svg_agreement(c);
    keep("agreement_two_rows.svg", agr);
    CHECK(well_formed(agr, "agreement, two rows"));
    for (k = 0; k < sizeof want / sizeof want[0]; k++) {
        CHECK(cell_of(agr, want[k].id, want[k].id, text, sizeof text, fill));
        if (strcmp(text, want[k].text) != 0)
            fprintf(stderr, "agreement, two rows: %s with itself shows \"%s\"\n", want[k].id, text);
        CHECK_STR(text, want[k].text);
        CHECK(strcmp(fill, "#cccccc") == 0 || want[k].text[0] != '-');
    }
    sarx_free(agr);
    sarx_cohort_free(c);
    sarx_ctx_free(ctx);
}

/* ---- the simulator ----------------------------------------------------- */

/* Every panel: y ticks and x ticks distinct and increasing; interventions
** marked in each when the scenario has one. */
static void check_panels(const char *svg, int marked, const char *what)
{
    const char *p;
    int panels = 0;
    for (p = svg; p && (p = strstr(p, "<g class=\"panel\"")) != NULL; p++) {
        const char *next = strstr(p + 1, "<g class=\"panel\""), *iv = strstr(p, "class=\"intervention\"");
        char col[64], msg[128];
        attr(p, "data-column", col, sizeof col);
        snprintf(msg, sizeof msg, "%s, %s", what, col);
        check_ticks(p, "yticks", msg);
        check_ticks(p, "xticks", msg);
        CHECK((iv != NULL && (!next || iv < next)) == marked);
        panels++;
    }
    CHECK_INT(panels, 6);
}

/* The x of a tick label `v` in the first panel. */
static double tick_x(const char *svg, const char *v)
{
    const char *p = strstr(svg, "<g class=\"xticks\">"), *end = p ? strstr(p, "</g>") : NULL, *t;
    char lab[32];
    for (t = p; t && (t = strstr(t, "<text")) != NULL && t < end; t++) {
        text_of(t, lab, sizeof lab);
        if (strcmp(lab, v) == 0)
            return attr_num(t, "x", NAN);
    }
    return NAN;
}

static void test_sim(void)
{
    static const char *const presets[] = {"resistance_training_6mo", "bed_rest_10d", "microgravity_180d", "sedentary"};
    size_t k;
    sarx_error err;
    for (k = 0; k < sizeof presets / sizeof presets[0]; k++) {
        sarx_scenario *sc = NULL, *base = NULL;
        sarx_sim_result *r = NULL, *br = NULL;
        char *svg, *plain, name[96];
        int iv;
        CHECK_INT(sarx_scenario_preset(presets[k], &sc, &err), SARX_OK);
        iv = sarx_scenario_intervention_count(sc) > 0;
        CHECK_INT(sarx_simulate(sc, 1, &r, &err), SARX_OK);
        if (iv) {
            CHECK_INT(sarx_scenario_baseline(sc, &base), SARX_OK);
            CHECK_INT(sarx_simulate(base, 1, &br, &err), SARX_OK);
        }
        svg = sarx_sim_svg_scenario(r, br, sc, "A title");
        plain = sarx_sim_svg(r, br, "A title");
        snprintf(name, sizeof name, "sim_%s.svg", presets[k]);
        keep(name, svg);
        check_page(svg, presets[k]);
        CHECK(well_formed(svg, presets[k]));
        check_panels(svg, iv, presets[k]);
        check_panels(plain, 0, presets[k]); /* without the scenario: nothing to mark, the same axes */
        if (iv && svg) {
            CHECK(strstr(svg, "Days since the intervention started") != NULL);
            CHECK(strstr(svg, presets[k][0] == 'r' ? ">resistance training<" : presets[k][0] == 'b' ? ">bed rest<"
                                                                                                   : ">microgravity<"));
        }
        sarx_free(svg);
        sarx_free(plain);
        sarx_sim_result_free(r);
        sarx_sim_result_free(br);
        sarx_scenario_free(sc);
        sarx_scenario_free(base);
    }
    {   /* 14 days of bed rest at 30 in a lifespan from 20 to 40: a line at 30 */
        static const char js[] = "{\"name\": \"mine\", \"sex\": \"female\", \"start_age\": 20, \"end_age\": 40, "
                                 "\"report_every_years\": 1, \"interventions\": [{\"type\": \"bed_rest\", "
                                 "\"start_age\": 30, \"days\": 14}]}";
        sarx_scenario *sc = NULL, *base = NULL;
        sarx_sim_result *r = NULL, *br = NULL;
        char *svg;
        const char *p;
        CHECK_INT(sarx_scenario_from_json(js, sizeof js - 1, &sc, &err), SARX_OK);
        CHECK_INT(sarx_simulate(sc, 2, &r, &err), SARX_OK);
        CHECK_INT(sarx_scenario_baseline(sc, &base), SARX_OK);
        CHECK_INT(sarx_simulate(base, 2, &br, &err), SARX_OK);
        svg = sarx_sim_svg_scenario(r, br, sc, "Bed rest at 30");
        keep("sim_lifespan_bed_rest.svg", svg);
        check_page(svg, "lifespan");
        check_panels(svg, 1, "lifespan");
        p = svg ? strstr(svg, "class=\"intervention\"") : NULL;
        if (p) {
            double x = attr_num(p - 6, "x1", attr_num(p - 6, "x", NAN)), x25 = tick_x(svg, "25"),
                   x35 = tick_x(svg, "35");
            CHECK_NEAR(x, (x25 + x35) / 2, 0.2); /* age 30, half-way between the ticks at 25 and 35 */
            CHECK(strstr(svg, "Age (years)") != NULL);
        }
        CHECK(p != NULL);
        sarx_free(svg);
        sarx_sim_result_free(r);
        sarx_sim_result_free(br);
        sarx_scenario_free(sc);
        sarx_scenario_free(base);
    }
}

/* Text from the user in a figure: a scenario's name with a control
** character, or cut to its 63 bytes in the middle of a UTF-8 character,
** once made an SVG that librsvg refused (so no PNG either). */
static void test_text_safe(void)
{
    static const char *const js[] = {
        "{\"name\": \"bad\\u0001name\"}",
        "{\"name\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\u00e9\"}", /* 62 a + e-acute */
        "{\"name\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\u00e9\"}",  /* 61 a + e-acute */
        "{\"name\": \"tab\\there, line\\nthere, <&> \\\"q\\\" \\ufffe \\u0085end\"}",
    };
#define A10 "aaaaaaaaaa"
    /* the names kept: cut before the character that does not fit whole */
    static const char *const names[] = {"bad\001name", A10 A10 A10 A10 A10 A10 "aa", A10 A10 A10 A10 A10 A10 "a\xc3\xa9",
                                        NULL};
#undef A10
    char dir[] = "/tmp/sarx-text-XXXXXX", path[512], msg[512], title[160];
    size_t k;
    CHECK(mkdtemp(dir) != NULL);
    for (k = 0; k < sizeof js / sizeof js[0]; k++) {
        sarx_scenario *sc = NULL;
        sarx_sim_result *r = NULL;
        sarx_error err;
        char *svg;
        CHECK_INT(sarx_scenario_from_json(js[k], strlen(js[k]), &sc, &err), SARX_OK);
        CHECK_INT(sarx_simulate(sc, 1, &r, &err), SARX_OK);
        if (names[k])
            CHECK_STR(sarx_scenario_name(sc), names[k]);
        snprintf(title, sizeof title, "sarx simulate: %s (seed 1)", sarx_scenario_name(sc)); /* as the command does */
        svg = sarx_sim_svg_scenario(r, NULL, sc, title);
        CHECK(well_formed(svg, js[k]));
        snprintf(path, sizeof path, "%s/t.png", dir);
        CHECK_INT(png_from_svg(svg, svg ? strlen(svg) : 0, 180, 100, path, msg, sizeof msg), 0);
        unlink(path);
        if (k == 0)
            CHECK(svg && strstr(svg, ">sarx simulate: badname (seed 1)<"));
        if (k == 3)
            CHECK(svg && strstr(svg, ">sarx simulate: tab here, line there, &lt;&amp;&gt; \"q\" \xef\xbf\xbd end (seed 1)<"));
        sarx_free(svg);
        sarx_sim_result_free(r);
        sarx_scenario_free(sc);
    }
    {   /* any title: invalid UTF-8 a U+FFFD a byte, the characters XML refuses left out */
        sarx_scenario *sc = NULL;
        sarx_sim_result *r = NULL;
        sarx_error err;
        char *svg;
        CHECK_INT(sarx_scenario_preset("sedentary", &sc, &err), SARX_OK);
        CHECK_INT(sarx_simulate(sc, 1, &r, &err), SARX_OK);
        svg = sarx_sim_svg(r, NULL, "a\xff" "b\xc3" "c\x1b" "d\x7f" "e\xed\xa0\x80" "f\xef\xbf\xbf" "g\xf0\x9f\x92\xaa");
        CHECK(well_formed(svg, "bytes"));
        CHECK(svg && strstr(svg, ">a\xef\xbf\xbd" "b\xef\xbf\xbd" "cde\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                 "f\xef\xbf\xbd" "g\xf0\x9f\x92\xaa<"));
        sarx_free(svg);
        sarx_sim_result_free(r);
        sarx_scenario_free(sc);
    }
    rmdir(dir);
}

/* ---- the weight plot --------------------------------------------------- */

typedef struct box {
    double x0, y0, x1, y1;
    char text[96];
} box;

/* The box of every horizontal label in the weight plot (font 12 unless
** given, 0.62 em a character: DejaVu Sans' digits are 0.64 em, its other
** glyphs here narrower; from baseline - 0.8 em to + 0.25 em). */
static size_t label_boxes(const char *svg, box *out, size_t max)
{
    const char *t;
    size_t n = 0;
    for (t = svg; (t = strstr(t, "<text")) != NULL && n < max; t++) {
        char anchor[16] = "start", tr[8];
        double x = attr_num(t, "x", 0), y = attr_num(t, "y", 0), size = attr_num(t, "font-size", 12), w;
        box *b = &out[n];
        if (strncmp(t, "<text", 5) != 0)
            continue;
        if (attr(t, "transform", tr, sizeof tr)) /* the rotated axis title, alone on its side */
            continue;
        attr(t, "text-anchor", anchor, sizeof anchor);
        text_of(t, b->text, sizeof b->text);
        w = 0.62 * size * (double)strlen(b->text);
        b->x0 = anchor[0] == 'm' ? x - w / 2 : anchor[0] == 'e' ? x - w : x;
        b->x1 = b->x0 + w;
        b->y0 = y - 0.8 * size;
        b->y1 = y + 0.25 * size;
        n++;
    }
    /* and the dashed 5 % lines, 1.5 wide: no label on them either */
    for (t = svg; (t = strstr(t, "<line class=\"threshold\"")) != NULL && n < max; t++) {
        box *b = &out[n++];
        double y = attr_num(t, "y1", 0);
        b->x0 = attr_num(t, "x1", 0);
        b->x1 = attr_num(t, "x2", 0);
        b->y0 = y - 0.75;
        b->y1 = y + 0.75;
        snprintf(b->text, sizeof b->text, "(the dashed line at y %.1f)", y);
    }
    return n;
}

static int overlaps(const char *svg, const char *what)
{
    box b[256];
    size_t n = label_boxes(svg, b, 256), i, j;
    int bad = 0;
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (!(b[i].text[0] == '(' && b[j].text[0] == '(') && b[i].x0 < b[j].x1 && b[j].x0 < b[i].x1 && b[i].y0 < b[j].y1 && b[j].y0 < b[i].y1) {
                if (bad++ < 3)
                    fprintf(stderr, "%s: \"%s\" overlaps \"%s\"\n", what, b[i].text, b[j].text);
            }
    return bad;
}

static int shows(const char *svg, const char *text)
{
    char q[64];
    snprintf(q, sizeof q, ">%s</text>", text);
    return strstr(svg, q) != NULL;
}

/* The visit dates: a tick at each visit; every date, or the dates of
** visits 0, k, 2k, ... and the last with the axis title saying "dates
** every k visits"; none over another label; the first and last always. */
static void check_dates(const char *svg, const srv_weight *w, size_t n, const char *what)
{
    size_t i, every = 0, ticks = 0, shown = 0;
    char note[64];
    const char *p;
    CHECK(svg != NULL);
    if (!svg)
        return;
    for (p = svg; (p = strstr(p, "class=\"visit-tick\"")) != NULL; p++)
        ticks++;
    CHECK_INT(ticks, n);
    CHECK_INT(overlaps(svg, what), 0);
    CHECK(well_formed(svg, what));
    CHECK(shows(svg, w[0].date) && shows(svg, w[n - 1].date));
    for (i = 1; i < n; i++)
        if (shows(svg, w[i].date)) {
            shown++;
            if (!every)
                every = i;
        }
    if (shown == n - 1) {
        CHECK(strstr(svg, "dates every") == NULL);
        return;
    }
    CHECK(every >= 2);
    for (i = 0; i < n; i++)
        if (shows(svg, w[i].date) != (i % every == 0 || i == n - 1)) {
            fprintf(stderr, "%s: visit %zu's date %s, not every %zu\n", what, i, shows(svg, w[i].date) ? "shown" : "left out", every);
            CHECK(!"every k-th date");
            break;
        }
    snprintf(note, sizeof note, "dates every %zu visits", every);
    if (!strstr(svg, note))
        fprintf(stderr, "%s: no \"%s\"\n", what, note);
    CHECK(strstr(svg, note) != NULL);
}

static void test_weight(void)
{
    srv_weight w[200];
    char *svg, what[64];
    int k, bad = 0, hidden = 0;
    size_t i;
    /* two references a little apart: their -5 % lines a few pixels apart,
    ** the 6 months' above the 12 months' or below it (80 and 80.2 kg once
    ** put the 12 months' label on the 6 months' line) */
    for (k = -8; k <= 40; k++) {
        snprintf(w[0].date, sizeof w[0].date, "2024-05-01");
        w[0].kg = 80;
        snprintf(w[1].date, sizeof w[1].date, "2024-11-15");
        w[1].kg = 80 - 0.1 * k;
        snprintf(w[2].date, sizeof w[2].date, "2025-05-01");
        w[2].kg = 73;
        svg = srv_weight_plot(w, 3, "Weight, a patient");
        snprintf(what, sizeof what, "references 80 and %.1f kg", w[1].kg);
        CHECK(svg != NULL);
        if (svg) {
            bad += overlaps(svg, what) > 0;
            hidden += !(shows(svg, "2024-05-01") && shows(svg, "2024-11-15") && shows(svg, "2025-05-01"));
            hidden += strstr(svg, "-5 % (12 months)") == NULL || strstr(svg, "-5 % (6 months)") == NULL;
            if (k == 9)
                keep("weight_close_lines.svg", svg);
            if (k == -2)
                keep("weight_close_lines_above.svg", svg);
            CHECK(well_formed(svg, what));
        }
        free(svg);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(hidden, 0);
    /* five visits in a year: every date written */
    {
        static const char *const dates[] = {"2024-06-03", "2024-09-10", "2024-12-02", "2025-03-17", "2025-06-02"};
        for (i = 0; i < 5; i++) {
            snprintf(w[i].date, sizeof w[i].date, "%s", dates[i]);
            w[i].kg = 70 - 1.2 * (double)i;
        }
        svg = srv_weight_plot(w, 5, "Weight");
        keep("weight_five.svg", svg);
        CHECK(svg && overlaps(svg, "five visits") == 0);
        for (i = 0; svg && i < 5; i++)
            CHECK(shows(svg, dates[i]));
        check_dates(svg, w, 5, "five visits");
        free(svg);
    }
    /* two visits a day apart: both dates, on two rows */
    snprintf(w[0].date, sizeof w[0].date, "2025-01-01");
    w[0].kg = 60;
    snprintf(w[1].date, sizeof w[1].date, "2025-01-02");
    w[1].kg = 59.5;
    svg = srv_weight_plot(w, 2, "Weight");
    CHECK(svg && overlaps(svg, "a day apart") == 0 && shows(svg, "2025-01-01") && shows(svg, "2025-01-02"));
    free(svg);
    /* weekly for 40 weeks: the first and the last date, nothing overlapping,
    ** and a tick at every visit */
    for (i = 0; i < 40; i++) {
        time_t t = (time_t)(srv_date_days("2024-01-01") + 7 * (long)i) * 86400;
        struct tm tm;
        strftime(w[i].date, sizeof w[i].date, "%Y-%m-%d", gmtime_r(&t, &tm));
        w[i].kg = 80 - 0.2 * (double)i;
    }
    CHECK_STR(w[1].date, "2024-01-08");
    svg = srv_weight_plot(w, 40, "Weight");
    keep("weight_weekly.svg", svg);
    check_dates(svg, w, 40, "weekly");
    if (svg) {
        int ticks = 0;
        const char *p;
        for (p = svg; (p = strstr(p, "class=\"visit-tick\"")) != NULL; p++)
            ticks++;
        CHECK_INT(ticks, 40);
        CHECK_INT(overlaps(svg, "weekly"), 0);
        CHECK(shows(svg, w[0].date) && shows(svg, w[39].date));
    }
    CHECK(svg != NULL);
    free(svg);
    /* dense: 40 visits in 60 days, 3 and 12 on consecutive days, 25 in a
    ** month, three or eight close together then one far, 200 in 400 days
    ** (dates all different: a date is found by its text) */
    {
        static const struct {
            size_t n;
            int days, far;
        } dense[] = {{40, 60, 0}, {3, 3, 0}, {12, 12, 0}, {25, 30, 0}, {4, 4, 300}, {9, 9, 365}, {200, 400, 0}};
        size_t c;
        for (c = 0; c < sizeof dense / sizeof dense[0]; c++) {
            for (i = 0; i < dense[c].n; i++) {
                long day = srv_date_days("2024-03-01") + (long)i * dense[c].days / (long)dense[c].n +
                           (i == dense[c].n - 1 ? dense[c].far : 0);
                time_t t = (time_t)day * 86400;
                struct tm tm;
                strftime(w[i].date, sizeof w[i].date, "%Y-%m-%d", gmtime_r(&t, &tm));
                w[i].kg = 70 - 0.05 * (double)i;
            }
            snprintf(what, sizeof what, "%zu visits in %d days", dense[c].n, dense[c].days + dense[c].far);
            svg = srv_weight_plot(w, dense[c].n, "Weight");
            if (c == 0)
                keep("weight_dense.svg", svg);
            check_dates(svg, w, dense[c].n, what);
            free(svg);
        }
    }
}

/* ---- PNG --------------------------------------------------------------- */

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static void test_png(void)
{
    sarx_scenario *sc = NULL;
    sarx_sim_result *r = NULL;
    sarx_error err;
    char *svg, path[512], msg[256];
    unsigned char head[64];
    FILE *f;
    char dir[] = "/tmp/sarx-plots-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK_INT(sarx_scenario_preset("sedentary", &sc, &err), SARX_OK);
    CHECK_INT(sarx_simulate(sc, 1, &r, &err), SARX_OK);
    svg = sarx_sim_svg_scenario(r, NULL, sc, "Sedentary");
    snprintf(path, sizeof path, "%s/t.png", outdir ? outdir : dir);
    CHECK_INT(png_from_svg(svg, svg ? strlen(svg) : 0, 180, 300, path, msg, sizeof msg), 0);
    if ((f = fopen(path, "rb")) != NULL) {
        CHECK_INT(fread(head, 1, sizeof head, f), sizeof head);
        fclose(f);
        CHECK(memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0);
        CHECK(memcmp(head + 12, "IHDR", 4) == 0);
        CHECK_INT(be32(head + 16), 2126); /* 180 mm at 300 dpi */
        CHECK(memcmp(head + 37, "pHYs", 4) == 0);
        CHECK_INT(be32(head + 41), 11811); /* 300 dpi in pixels per metre */
        CHECK_INT(head[49], 1);
    } else
        CHECK(!"the PNG is written");
    {   /* cairo reads it back (the CRCs hold), and it is not blank */
        cairo_surface_t *s = cairo_image_surface_create_from_png(path);
        CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
            int wd = cairo_image_surface_get_width(s), ht = cairo_image_surface_get_height(s),
                st = cairo_image_surface_get_stride(s), x, y;
            long dark = 0;
            const unsigned char *px = cairo_image_surface_get_data(s);
            CHECK_INT(wd, 2126);
            CHECK(ht > 1000 && ht < 2126);
            for (y = 0; y < ht; y++)
                for (x = 0; x < wd; x++) {
                    const unsigned char *q = px + (size_t)y * (size_t)st + 4 * (size_t)x;
                    dark += q[0] < 128 && q[1] < 128 && q[2] < 128;
                }
            CHECK(dark > 2126L * 20); /* the text and the lines */
            CHECK(dark < (long)wd * ht / 4);
        }
        cairo_surface_destroy(s);
    }
    if (!outdir)
        unlink(path);
    /* errors name the file and the reason, and leave no file */
    snprintf(path, sizeof path, "%s/bad.png", dir);
    CHECK_INT(png_from_svg("<svg", 4, 180, 300, path, msg, sizeof msg), -1);
    CHECK(strstr(msg, path) != NULL);
    CHECK(strchr(msg, '\n') == NULL); /* libxml2's message, on the one line a command's error takes */
    CHECK_INT(png_from_svg("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n<text>a\001b</text>\n</svg>\n",
                           88, 180, 300, path, msg, sizeof msg), -1);
    CHECK(strstr(msg, "librsvg") != NULL && strchr(msg, '\n') == NULL && strchr(msg, '\r') == NULL);
    CHECK(msg[0] && msg[strlen(msg) - 1] != ' ');
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/no/such/dir/t.png", dir);
    CHECK_INT(png_from_svg(svg, svg ? strlen(svg) : 0, 180, 300, path, msg, sizeof msg), -1);
    CHECK(strstr(msg, "cannot write") != NULL);
    CHECK_INT(png_from_svg(svg, svg ? strlen(svg) : 0, 0, 300, path, msg, sizeof msg), -1);
    /* beside a figure's SVG: the same name, .png, 180 mm at 300 dpi */
    snprintf(path, sizeof path, "%s/fig.svg", dir);
    CHECK_INT(png_beside(path, svg ? svg : "", msg, sizeof msg), 0);
    snprintf(path, sizeof path, "%s/fig.png", dir);
    if ((f = fopen(path, "rb")) != NULL) {
        CHECK_INT(fread(head, 1, 24, f), 24);
        fclose(f);
        CHECK_INT(be32(head + 16), 2126);
    } else
        CHECK(!"fig.png is written");
    unlink(path);
    CHECK_INT(png_beside("fig.txt", svg ? svg : "", msg, sizeof msg), -1);
    rmdir(dir);
    sarx_free(svg);
    sarx_sim_result_free(r);
    sarx_scenario_free(sc);
}

int main(int argc, char **argv)
{
    outdir = argc > 1 ? argv[1] : NULL;
    if (outdir)
        mkdir(outdir, 0777);
    test_cohort();
    test_sim();
    test_text_safe();
    test_agreement_undefined();
    test_weight();
    test_png();
    return h_summary("plots");
}
