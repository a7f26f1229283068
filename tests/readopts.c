/*
** readopts.c — the reading options of a table (sarx_readopts, docs/FILES.md):
** the API's errors, map files in both forms, and the cohort's reading of
** missing-value codes and value maps, which must give, row for row, the
** categories of the same table written with empty cells and sarx's own
** names and values, whichever way the rows go in (sarx_cohort_parse,
** sarx_cohort_add with and without sarx_cohort_readable, sarx_cohort_row,
** a clone) and whichever reader the processor has (eight cells at once, or
** the scalar one).
*/
#include "harness.h"
#include "internal.h"
#include "sarx.h"

#include <stdlib.h>
#include <string.h>

static int has(const sarx_error *e, const char *text) { return strstr(e->message, text) != NULL; }

static void api(void)
{
    sarx_readopts *o = NULL;
    sarx_error e;
    CHECK(sarx_readopts_new(&o, &e) == SARX_OK && o);
    if (!o)
        return;
    /* the defaults */
    CHECK(sarx__readopts_na_text(o, "na", 2) && sarx__readopts_na_text(o, "NaN", 3) &&
          sarx__readopts_na_text(o, ".", 1) && sarx__readopts_na_text(o, "NULL", 4) &&
          sarx__readopts_na_text(o, "N/A", 3));
    CHECK(!sarx__readopts_na_text(o, "none", 4) && !sarx__readopts_na_number(o, -99));
    /* --na replaces them; numbers by value */
    CHECK(sarx_readopts_set_na(o, " -99 , 999.0,N.A.,, ", &e) == SARX_OK);
    CHECK(sarx__readopts_na_number(o, -99) && sarx__readopts_na_number(o, 999) && !sarx__readopts_na_number(o, 99));
    CHECK(sarx__readopts_na_text(o, "n.a.", 4) && !sarx__readopts_na_text(o, "NA", 2));
    CHECK(sarx_readopts_set_na(o, "", &e) == SARX_OK && o->nna == 0 && o->nnum == 0);
    /* renames */
    CHECK(sarx_readopts_rename(o, " Weight (kg) ", "WEIGHT_KG", &e) == SARX_OK);
    CHECK(sarx_readopts_rename(o, "weight (KG)", "weight_kg", &e) == SARX_OK); /* the same, again */
    CHECK(sarx_readopts_rename(o, "Weight (kg)", "height_cm", &e) == SARX_ECONFLICT && has(&e, "renamed twice"));
    CHECK(sarx_readopts_rename(o, "Grip", "grip_kgg", &e) == SARX_EFIELD && has(&e, "\"grip_kgg\" is not a field") &&
          has(&e, "did you mean \"grip_kg\""));
    CHECK(sarx_readopts_rename(o, "W", "weight_history", &e) == SARX_ETYPE && has(&e, "no CSV form"));
    CHECK(sarx_readopts_rename(o, "", "sex", &e) == SARX_EINVAL);
    CHECK(sarx_readopts_rename(o, "Lb", "weight_lb", &e) == SARX_OK);
    /* value maps */
    CHECK(sarx_readopts_value(o, "SEX", "1", "male", &e) == SARX_OK);
    CHECK(sarx_readopts_value(o, "sex", " 1 ", "male", &e) == SARX_OK);
    CHECK(sarx_readopts_value(o, "SEX", "1", "female", &e) == SARX_ECONFLICT && has(&e, "mapped twice") &&
          has(&e, "column \"SEX\": \"1\" is mapped twice: to \"male\" and to \"female\""));
    { /* both values whole in the message, however long the first (they once shared a buffer) */
        char a60[61], want[120];
        memset(a60, 'a', 60);
        a60[60] = '\0';
        snprintf(want, sizeof want, "to \"%s\" and to \"b\"", a60);
        CHECK(sarx_readopts_value(o, "SEX", "long", a60, &e) == SARX_OK);
        CHECK(sarx_readopts_value(o, "SEX", "LONG", "b", &e) == SARX_ECONFLICT && has(&e, want));
    }
    CHECK(sarx_readopts_value(o, "SEX", "", "female", &e) == SARX_EINVAL);
    CHECK(sarx_readopts_value(o, "SEX", "F", "female", &e) == SARX_OK);
    {
        const sarx__rcol *c = sarx__readopts_column(o, "Sex", 3);
        CHECK(c && c->nval == 3 && c->field == -1);
        CHECK(c && sarx__readopts_value_of(c, "f", 1) && !strcmp(sarx__readopts_value_of(c, "f", 1)->to, "female"));
    }
    /* a code holding ';' (--na 'NA;-99') is refused, ',' suggested; the codes stay as they were */
    CHECK(sarx_readopts_set_na(o, "x", &e) == SARX_OK);
    CHECK(sarx_readopts_set_na(o, "NA;-99", &e) == SARX_EINVAL &&
          has(&e, "\"NA;-99\" holds ';': the codes are separated by ',' (\"NA,-99\")"));
    CHECK(sarx__readopts_na_text(o, "x", 1) && o->nna == 1 && o->nnum == 0);
    sarx_readopts_free(o);
    sarx_readopts_free(NULL);
}

static int load(const char *text, sarx_error *e, sarx_readopts **out)
{
    sarx_readopts *o;
    int rc;
    *out = NULL;
    if (sarx_readopts_new(&o, e) != SARX_OK)
        return -1;
    rc = sarx_readopts_load(o, text, strlen(text), e);
    *out = o;
    return rc;
}

static void maps(void)
{
    sarx_readopts *o;
    sarx_error e;
    const sarx__rcol *c;
    /* CSV: a header line, renames, value maps, blank lines, a BOM, CRLF */
    CHECK(load("\xEF\xBB\xBF" "column,field\r\nSEX,sex\r\n\r\n\"Weight, kg\",weight_kg\r\nSEX,1,male\r\nSEX,9,\r\n", &e,
               &o) == SARX_OK);
    c = o ? sarx__readopts_column(o, "sex", 3) : NULL;
    CHECK(c && c->field >= 0 && c->nval == 2 && sarx__readopts_value_of(c, "9", 1) &&
          sarx__readopts_value_of(c, "9", 1)->to_len == 0);
    CHECK(o && sarx__readopts_column(o, "weight, kg", 10) != NULL);
    sarx_readopts_free(o);
    CHECK(load("column,from,to\nSEX,1,male\n", &e, &o) == SARX_OK && o && o->ncol == 1);
    sarx_readopts_free(o);
    CHECK(load("SEX,sex\nA,b,c,d\n", &e, &o) == SARX_ESYNTAX && has(&e, "line 2: 4 fields"));
    sarx_readopts_free(o);
    CHECK(load("SEX,sex\nAge,agee\n", &e, &o) == SARX_EFIELD && has(&e, "line 2: column \"Age\" -> \"agee\""));
    sarx_readopts_free(o);
    CHECK(load("SEX,\"sex\n", &e, &o) == SARX_ESYNTAX && has(&e, "line 1"));
    CHECK(o && sarx_readopts_load(o, "SEX,\"sex\n", 9, NULL) == SARX_ESYNTAX); /* err may be NULL */
    CHECK(o && sarx_readopts_load(o, "{\"A\": 1}", 8, NULL) == SARX_ETYPE);
    sarx_readopts_free(o);
    /* JSON */
    CHECK(load(" {\"SEX\": {\"field\": \"sex\", \"values\": {\"1\": \"male\", \"2\": \"female\", \"9\": null}},"
               " \"Smoker\": {\"values\": {\"ja\": true, \"nein\": false, \"0\": 0}}, \"W\": \"weight_kg\"}",
               &e, &o) == SARX_OK);
    c = o ? sarx__readopts_column(o, "Smoker", 6) : NULL;
    CHECK(c && c->field == -1 && c->nval == 3 && !strcmp(sarx__readopts_value_of(c, "JA", 2)->to, "true") &&
          !strcmp(sarx__readopts_value_of(c, "0", 1)->to, "0"));
    sarx_readopts_free(o);
    CHECK(load("{\"SEX\": 1}", &e, &o) == SARX_ETYPE && has(&e, "key \"SEX\""));
    sarx_readopts_free(o);
    CHECK(load("{\"SEX\": {\"field\": \"sex\", \"vals\": {}}}", &e, &o) == SARX_ESYNTAX &&
          has(&e, "unknown key \"vals\""));
    sarx_readopts_free(o);
    CHECK(load("{\"SEX\": {\"values\": {\"1\": [1]}}}", &e, &o) == SARX_ETYPE && has(&e, "\"1\" maps to"));
    sarx_readopts_free(o);
    CHECK(load("{\"SEX\": \"sex\"", &e, &o) == SARX_ESYNTAX && has(&e, "not valid JSON"));
    sarx_readopts_free(o);
    CHECK(load("{\"SEX\": \"sexx\"}", &e, &o) == SARX_EFIELD && has(&e, "key \"SEX\": column \"SEX\" -> \"sexx\""));
    sarx_readopts_free(o);
    /* a JSON array is refused as a JSON map, not read as CSV ("column \"[1\""); a CSV line from '[' is CSV */
    CHECK(load(" [1, 2]", &e, &o) == SARX_ESYNTAX && has(&e, "a JSON map is an object") && !has(&e, "[1"));
    sarx_readopts_free(o);
    CHECK(load("[kg] weight,weight_kg\n", &e, &o) == SARX_OK && o && sarx__readopts_column(o, "[kg] weight", 11));
    sarx_readopts_free(o);
    /* blank lines before the header; a header again where the rows change form (the docs' two blocks) */
    CHECK(load("\n\r\ncolumn,field\nSEX,sex\n\ncolumn,from,to\nSEX,1,male\ncolumn,field\nAge,age_years\n", &e, &o) ==
          SARX_OK);
    c = o ? sarx__readopts_column(o, "sex", 3) : NULL;
    CHECK(c && c->field >= 0 && c->nval == 1 && o->ncol == 2);
    sarx_readopts_free(o);
    /* ... but not the same header twice in a row, nor a header inside a block */
    CHECK(load("column,field\ncolumn,field\n", &e, &o) == SARX_EFIELD && has(&e, "line 2"));
    sarx_readopts_free(o);
    /* a ';'-separated map: said */
    CHECK(load("SEX;sex\n", &e, &o) == SARX_ESYNTAX && has(&e, "line 1: 1 field; a map file is comma-separated") &&
          has(&e, "separated by ';'"));
    sarx_readopts_free(o);
    CHECK(load("SEX,sex\nAge\n", &e, &o) == SARX_ESYNTAX && has(&e, "line 2: 1 field; a map's rows"));
    sarx_readopts_free(o);
}

/* Large maps: lookups by binary search, and the duplicates of a load found
** by its index; the same answers as one at a time, in any order. */
static void large(void)
{
    sarx_readopts *o = NULL, *q = NULL;
    sarx_error e;
    sarx__buf b = {0};
    const sarx__rcol *c;
    int i, bad = 0;
    for (i = 0; i < 20000; i++)
        sarx__printf(&b, "Col%d,%d%s,v%d\n", i % 3, (i * 7919) % 20000, i % 2 ? "X" : "", i);
    for (i = 0; i < 3000; i++)
        sarx__printf(&b, "R%d,weight_kg\n", (i * 17) % 3000);
    CHECK(!b.oom && b.p && load(b.p, &e, &o) == SARX_OK);
    CHECK(sarx_readopts_new(&q, &e) == SARX_OK); /* one at a time, in another order */
    for (i = 19999; q && i >= 0; i--) {
        char col[16], from[16], to[16];
        snprintf(col, sizeof col, "COL%d", i % 3);
        snprintf(from, sizeof from, "%d%s", (i * 7919) % 20000, i % 2 ? "x" : "");
        snprintf(to, sizeof to, "v%d", i);
        bad += sarx_readopts_value(q, col, from, to, &e) != SARX_OK;
    }
    CHECK_INT(bad, 0);
    for (i = 0; o && q && i < 20000; i++) {
        char col[16], from[16], to[16];
        const sarx__rcol *cq;
        const sarx__rvalue *m, *mq;
        snprintf(col, sizeof col, "col%d", i % 3);
        snprintf(from, sizeof from, "%d%s", (i * 7919) % 20000, i % 2 ? "x" : "");
        snprintf(to, sizeof to, "v%d", i);
        c = sarx__readopts_column(o, col, strlen(col));
        cq = sarx__readopts_column(q, col, strlen(col));
        m = sarx__readopts_value_of(c, from, strlen(from));
        mq = sarx__readopts_value_of(cq, from, strlen(from));
        bad += !m || !mq || strcmp(m->to, to) || strcmp(mq->to, to);
        bad += sarx__readopts_value_of(c, "v", 1) != NULL;
    }
    CHECK_INT(bad, 0);
    CHECK(o && o->ncol == 3 + 3000 && sarx__readopts_column(o, "r2999", 5) && !sarx__readopts_column(o, "r3000", 5));
    /* a duplicate in the same load, and against an earlier load, both said */
    CHECK(o && sarx_readopts_load(o, "col1,zz77,a\ncol1,zz77,b\n", 24, &e) == SARX_ECONFLICT &&
          has(&e, "line 2: column \"col1\": \"zz77\" is mapped twice: to \"a\" and to \"b\""));
    CHECK(o && sarx_readopts_load(o, "col0,0,v1\n", 10, &e) == SARX_ECONFLICT &&
          has(&e, "\"0\" is mapped twice: to \"v0\" and to \"v1\""));
    CHECK(o && sarx_readopts_load(o, "col0,0,v0\nR5,weight_kg\nR5,height_cm\n", 36, &e) == SARX_ECONFLICT &&
          has(&e, "line 3: column \"R5\" is renamed twice"));
    CHECK(o && (c = sarx__readopts_column(o, "col1", 4)) && sarx__readopts_value_of(c, "ZZ77", 4) &&
          !strcmp(sarx__readopts_value_of(c, "ZZ77", 4)->to, "a")); /* (the rows before an error stay) */
    free(b.p);
    sarx_readopts_free(o);
    sarx_readopts_free(q);
}

/* ---- the cohort ---------------------------------------------------------- */

#define NC 13
static const char *const coded_head[NC] = {"ID",     "SEX",       "Age",        "weight_kg",     "grip_kg",
                                           "gait_speed_m_s", "Cancer", "asm_method", "conditions", "assessment_date",
                                           "asm_kg", "height_cm", "sarc_f"};
static const char *const plain_head[NC] = {"id",     "sex",       "age_years",  "weight_kg",     "grip_kg",
                                           "gait_speed_m_s", "cancer", "asm_method", "conditions", "assessment_date",
                                           "asm_kg", "height_cm", "sarc_f"};

/* Row r's cells, coded (codes and the study's values) and plain (empty
** cells and sarx's values), from a small generator. */
static unsigned next(unsigned *s) { return *s = *s * 1103515245u + 12345u, (*s >> 16) & 0x7FFF; }

static void make_row(unsigned *s, int r, char coded[NC][24], char plain[NC][24])
{
    static const char *const miss[] = {"NA", "na", ".", "NULL", "N/A", " NaN ", "", "-99", "-99.0"};
    int k;
    for (k = 0; k < NC; k++) {
        unsigned u = next(s);
        int gone = u % 4 == 0; /* a quarter of the cells missing */
        const char *m = miss[next(s) % (sizeof miss / sizeof miss[0])];
        switch (k) {
        case 0: snprintf(plain[k], 24, "r%d", r); break;
        case 1: snprintf(plain[k], 24, "%s", u % 2 ? "male" : "female"); break;
        case 2: snprintf(plain[k], 24, "%u", 50 + u % 45); break;
        case 3: snprintf(plain[k], 24, "%u.%u", 45 + u % 60, u % 10); break;
        case 4: snprintf(plain[k], 24, "%u.%u", 8 + u % 40, u % 10); break;
        case 5: snprintf(plain[k], 24, "0.%u", 30 + u % 70); break;
        case 6: snprintf(plain[k], 24, "%s", u % 3 ? "false" : "true"); break;
        case 7: snprintf(plain[k], 24, "%s", u % 2 ? "dxa" : "bia"); break;
        case 8: snprintf(plain[k], 24, "%s", u % 2 ? "copd" : "cancer;heart failure"); break;
        case 9: snprintf(plain[k], 24, "2024-0%u-1%u", 1 + u % 9, u % 10); break;
        case 10: snprintf(plain[k], 24, "%u.%u", 12 + u % 15, u % 10); break;
        case 11: snprintf(plain[k], 24, "%u", 150 + u % 40); break;
        default: snprintf(plain[k], 24, "%u", u % 11); break;
        }
        snprintf(coded[k], 24, "%s", plain[k]);
        if (k == 1) /* 1/2, or M/F as sarx reads them, or 9 = unknown (mapped to missing) */
            snprintf(coded[k], 24, "%s", u % 5 == 0 ? (u % 2 ? "M" : "f") : u % 2 ? "1" : "2");
        if (k == 6)
            snprintf(coded[k], 24, "%s", u % 3 ? (u % 2 ? "nein" : "NEIN") : "Ja");
        if (k == 2 && u % 7 == 0) { /* a code inside the range: missing */
            snprintf(coded[k], 24, "99.25");
            plain[k][0] = '\0';
        }
        if (k == 1 && u % 11 == 0) {
            snprintf(coded[k], 24, "9");
            plain[k][0] = '\0';
        }
        if (gone && k != 0) {
            snprintf(coded[k], 24, "%s", m);
            plain[k][0] = '\0';
        }
    }
}

#define ROWS 600
typedef struct table {
    char cell[ROWS][NC][24];
} table;

/* The classes of every row of t through one way in: 0 sarx_cohort_parse,
** 1 sarx_cohort_add, 2 sarx_cohort_add with the text readable, 3
** sarx_cohort_row, 4 a clone's sarx_cohort_add. */
static int classify(sarx_cohort *c0, table *t, int way, sarx_class *out, unsigned char *ok)
{
    size_t nd = sarx_definition_count(sarx__cohort_ctx(c0)), k;
    sarx_cohort *c = c0;
    char *f[NC];
    size_t l[NC];
    int r, at = 0;
    if (way == 4 && sarx_cohort_clone(c0, &c) != SARX_OK)
        return 0;
    if (way == 2)
        sarx_cohort_readable(c, (const char *)t + sizeof *t); /* the cells lie in t, 24 bytes each */
    for (r = 0; r < ROWS; r++) {
        sarx_error e;
        for (k = 0; k < NC; k++) {
            f[k] = t->cell[r][k];
            l[k] = strlen(f[k]);
        }
        if (way == 3) {
            ok[r] = sarx_cohort_row(c, f, l, NC, out + (size_t)r * nd, &e) == SARX_OK;
            continue;
        }
        if ((way == 0 ? sarx_cohort_parse(c, f, l, NC, &e) : sarx_cohort_add(c, f, l, NC, &e)) != SARX_OK) {
            ok[r] = 0;
            if (r + 1 - at == SARX_COHORT_BATCH || r == ROWS - 1) {
                sarx_cohort_classify(c, out + (size_t)at * nd, ok + at, NULL);
                at = r + 1;
            }
            continue;
        }
        if (r + 1 - at == SARX_COHORT_BATCH || r == ROWS - 1) {
            sarx_cohort_classify(c, out + (size_t)at * nd, ok + at, NULL);
            at = r + 1;
        }
    }
    if (way == 2)
        sarx_cohort_readable(c, NULL);
    if (c != c0)
        sarx_cohort_free(c);
    return 1;
}

static void cohort(void)
{
    sarx_ctx *ctx = NULL;
    sarx_readopts *o = NULL;
    sarx_cohort *cc = NULL, *cp = NULL;
    sarx_error e;
    table *coded = calloc(1, sizeof *coded), *plain = calloc(1, sizeof *plain);
    char *h[NC];
    size_t hl[NC], k, nd;
    unsigned seed = 27;
    int r, way, base;
    if (!coded || !plain || sarx_ctx_new(&ctx, &e) != SARX_OK || sarx_readopts_new(&o, &e) != SARX_OK) {
        CHECK(0);
        goto out;
    }
    for (r = 0; r < ROWS; r++)
        make_row(&seed, r, coded->cell[r], plain->cell[r]);
    CHECK(sarx_readopts_set_na(o, "NA,.,null,n/a,nan,-99,99.25", &e) == SARX_OK);
    CHECK(sarx_readopts_load(o,
                             "ID,id\nSEX,sex\nAge,age_years\nCancer,cancer\nSEX,1,male\nSEX,2,female\nSEX,9,\n"
                             "Cancer,ja,true\nCancer,nein,false\n",
                             strlen("ID,id\nSEX,sex\nAge,age_years\nCancer,cancer\nSEX,1,male\nSEX,2,female\nSEX,9,\n"
                                    "Cancer,ja,true\nCancer,nein,false\n"),
                             &e) == SARX_OK);
    for (k = 0; k < NC; k++) {
        h[k] = (char *)coded_head[k];
        hl[k] = strlen(h[k]);
    }
    CHECK(sarx_cohort_new_ex(ctx, h, hl, NC, 0, o, &cc, &e) == SARX_OK);
    sarx_readopts_free(o); /* copied: the cohort does not need it */
    o = NULL;
    for (k = 0; k < NC; k++) {
        h[k] = (char *)plain_head[k];
        hl[k] = strlen(h[k]);
    }
    CHECK(sarx_cohort_new(ctx, h, hl, NC, 0, &cp, &e) == SARX_OK);
    if (!cc || !cp)
        goto out;
    /* what each column feeds */
    CHECK_STR(sarx_cohort_column_field(cc, 0), "id");
    CHECK_STR(sarx_cohort_column_field(cc, 1), "sex");
    CHECK_STR(sarx_cohort_column_field(cc, 2), "age_years");
    CHECK_STR(sarx_cohort_column_field(cc, 6), "cancer");
    CHECK(sarx_cohort_column_field(cc, NC) == NULL);
    CHECK_INT(sarx_cohort_column_values(cc, 1), 3);
    CHECK_INT(sarx_cohort_column_values(cc, 2), 0);
    CHECK_STR(sarx__cohort_column_name(cc, 2), "Age");
    nd = sarx_definition_count(ctx);
    {
        sarx_class *want = calloc((size_t)ROWS * nd, sizeof *want), *got = calloc((size_t)ROWS * nd, sizeof *got);
        unsigned char wok[ROWS], gok[ROWS];
        if (!want || !got) {
            CHECK(0);
        } else {
            classify(cp, plain, 0, want, wok);
            for (r = 0, k = 0; r < ROWS; r++)
                k += wok[r];
            CHECK_INT(k, ROWS); /* every plain row reads */
            for (base = 0; base < 2; base++) {
                sarx__cohort_use_baseline(cc, base);
                for (way = 0; way < 5; way++) {
                    int bad = 0;
                    memset(got, 0xAB, (size_t)ROWS * nd * sizeof *got);
                    CHECK(classify(cc, coded, way, got, gok));
                    for (r = 0; r < ROWS; r++)
                        if (!gok[r] || memcmp(got + (size_t)r * nd, want + (size_t)r * nd, nd * sizeof *got) != 0) {
                            if (bad++ < 3)
                                fprintf(stderr, "way %d baseline %d: row %d (ok %d) differs from its plain form\n",
                                        way, base, r, gok[r]);
                        }
                    CHECK_INT(bad, 0);
                }
            }
            CHECK_INT(sarx_cohort_rejected(cc), 0);
            CHECK_INT(sarx_cohort_rows(cc), 2L * 4 * ROWS); /* (the clone's rows are its own) */
        }
        free(want);
        free(got);
    }
    /* the header's errors */
    {
        sarx_cohort *c = NULL;
        for (k = 0; k < NC; k++) {
            h[k] = (char *)coded_head[k];
            hl[k] = strlen(h[k]);
        }
        CHECK(sarx_readopts_new(&o, &e) == SARX_OK);
        CHECK(sarx_readopts_rename(o, "Grip (kg)", "grip_kg", &e) == SARX_OK);
        CHECK(sarx_cohort_new_ex(ctx, h, hl, NC, 0, o, &c, &e) == SARX_ENOTFOUND && !c &&
              has(&e, "column \"Grip (kg)\" (grip_kg) is not in the header; its 13 columns: \"ID\", \"SEX\""));
        sarx_readopts_free(o);
        CHECK(sarx_readopts_new(&o, &e) == SARX_OK);
        CHECK(sarx_readopts_rename(o, "Age", "grip_kg", &e) == SARX_OK);
        CHECK(sarx_cohort_new_ex(ctx, h, hl, NC, 0, o, &c, &e) == SARX_ECONFLICT &&
              has(&e, "columns 3 (\"Age\") and 5 (\"grip_kg\") both give grip_kg"));
        sarx_readopts_free(o);
        CHECK(sarx_readopts_new(&o, &e) == SARX_OK);
        CHECK(sarx_readopts_value(o, "ID", "x", "y", &e) == SARX_OK);
        CHECK(sarx_cohort_new_ex(ctx, h, hl, NC, 0, o, &c, &e) == SARX_EFIELD &&
              has(&e, "column 1 (\"ID\") has a value map but feeds no field (it is the id)"));
        sarx_readopts_free(o);
        CHECK(sarx_readopts_new(&o, &e) == SARX_OK);
        CHECK(sarx_readopts_value(o, "Cancer", "nein", "nope", &e) == SARX_OK); /* (Cancer is cancer, any case) */
        CHECK(sarx_cohort_new_ex(ctx, h, hl, NC, 0, o, &c, &e) != SARX_OK &&
              has(&e, "column \"Cancer\": value map \"nein\" -> \"nope\""));
        sarx_readopts_free(o);
        o = NULL;
    }
    /* the defaults without options: NA is missing, -99 is not */
    {
        sarx_cohort *c = NULL;
        char *f[3] = {"id", "weight_kg", "sex"}, *v[3] = {"a", "NA", "."}, *w[3] = {"b", "-99", "male"};
        size_t fl[3] = {2, 9, 3}, vl[3] = {1, 2, 1}, wl[3] = {1, 3, 4};
        sarx_class out[64];
        CHECK(sarx_cohort_new(ctx, f, fl, 3, 0, &c, &e) == SARX_OK);
        if (c) {
            CHECK(sarx_cohort_row(c, v, vl, 3, out, &e) == SARX_OK);
            CHECK(sarx_cohort_row(c, w, wl, 3, out, &e) == SARX_ERANGE && has(&e, "weight_kg"));
            CHECK_INT(sarx_cohort_rows(c), 1);
            CHECK_INT(sarx_cohort_rejected(c), 1);
        }
        sarx_cohort_free(c);
    }
out:
    sarx_readopts_free(o);
    sarx_cohort_free(cc);
    sarx_cohort_free(cp);
    sarx_ctx_free(ctx);
    free(coded);
    free(plain);
}

/* Rows of `ncol` cells through cohort c, every way in (as classify) and
** both readers, against the classes of the same rows in `plain` through
** cohort p: 1 when all agree.  The cells lie in one buffer (cells[r][k],
** 16 bytes each), which sarx_cohort_readable may read to its end. */
#define MR 24
#define MC 6
static int same_rows(const sarx_ctx *ctx, sarx_cohort *c, sarx_cohort *p, char cells[MR][MC][16],
                     char plain[MR][MC][16], int nrow, int ncol, const char *what)
{
    size_t nd = sarx_definition_count(ctx);
    sarx_class *want = calloc(MR * nd, sizeof *want), *got = calloc(MR * nd, sizeof *got);
    unsigned char ok[MR];
    char *f[MC];
    size_t l[MC];
    int r, k, way, base, bad = 0;
    sarx_error e;
    for (r = 0; want && r < nrow; r++) {
        for (k = 0; k < ncol; k++)
            f[k] = plain[r][k], l[k] = strlen(plain[r][k]);
        bad += sarx_cohort_row(p, f, l, (size_t)ncol, want + (size_t)r * nd, &e) != SARX_OK;
    }
    for (base = 0; want && got && base < 2; base++) {
        sarx__cohort_use_baseline(c, base);
        for (way = 0; way < 5; way++) {
            sarx_cohort *w = c;
            if (way == 4 && sarx_cohort_clone(c, &w) != SARX_OK)
                return 0;
            if (way == 2)
                sarx_cohort_readable(w, (const char *)cells + sizeof(char[MR][MC][16]));
            memset(got, 0xAB, MR * nd * sizeof *got);
            for (r = 0; r < nrow; r++) {
                for (k = 0; k < ncol; k++)
                    f[k] = cells[r][k], l[k] = strlen(cells[r][k]);
                ok[r] = (way == 3 ? sarx_cohort_row(w, f, l, (size_t)ncol, got + (size_t)r * nd, &e)
                         : way == 0 ? sarx_cohort_parse(w, f, l, (size_t)ncol, &e)
                                    : sarx_cohort_add(w, f, l, (size_t)ncol, &e)) == SARX_OK;
            }
            if (way != 3) {
                unsigned char ok2[MR];
                sarx_cohort_classify(w, got, ok2, NULL);
            }
            if (way == 2)
                sarx_cohort_readable(w, NULL);
            for (r = 0; r < nrow; r++)
                if (!ok[r] || memcmp(got + (size_t)r * nd, want + (size_t)r * nd, nd * sizeof *got) != 0) {
                    if (bad++ < 3)
                        fprintf(stderr, "%s: way %d baseline %d: row %d (\"%s\", \"%s\") differs from \"%s\", \"%s\"\n",
                                what, way, base, r, cells[r][1], cells[r][4], plain[r][1], plain[r][4]);
                }
            if (w != c)
                sarx_cohort_free(w);
        }
    }
    free(want);
    free(got);
    return bad == 0;
}

static sarx_cohort *cohort_of(const sarx_ctx *ctx, const char *const *head, int n, unsigned flags,
                              const char *map, sarx_error *e)
{
    sarx_readopts *o = NULL;
    sarx_cohort *c = NULL;
    char *h[MC];
    size_t hl[MC];
    int k;
    for (k = 0; k < n; k++)
        h[k] = (char *)head[k], hl[k] = strlen(head[k]);
    if (sarx_readopts_new(&o, e) == SARX_OK && (!map || sarx_readopts_load(o, map, strlen(map), e) == SARX_OK))
        sarx_cohort_new_ex(ctx, h, hl, (size_t)n, flags, o, &c, e);
    sarx_readopts_free(o);
    return c;
}

/* A map's `to` is read once, by the field's own reading, whatever the
** reader: a `to` that is another `from` of the same column (H -> M, M -> F:
** an H is male), or a reverse-coded true/false column (0 -> 1, 1 -> 0), is
** not mapped again, for a bare cell (eight at once) and a padded one. */
static void chained(void)
{
    static const char *const head[MC] = {"id", "Sexo", "age_years", "grip_kg", "tumour", "weight_kg"};
    static const char *const phead[MC] = {"id", "sex", "age_years", "grip_kg", "cancer", "weight_kg"};
    static const char *const sexo[] = {"H", " H", "H ", "h", "M", " m", "M  ", "F", "\tH"};
    static const char *const tum[] = {"0", "0 ", " 0", "1", "1 ", "NA", "na ", ""};
    static char cells[MR][MC][16], plain[MR][MC][16];
    sarx_ctx *ctx = NULL;
    sarx_cohort *c, *p;
    sarx_error e;
    int r;
    if (sarx_ctx_new(&ctx, &e) != SARX_OK) {
        CHECK(0);
        return;
    }
    c = cohort_of(ctx, head, MC, 0,
                  "Sexo,sex\nSexo,M,F\nSexo,H,M\ntumour,cancer\ntumour,0,1\ntumour,1,0\n", &e);
    p = cohort_of(ctx, phead, MC, 0, NULL, &e);
    CHECK(c && p);
    for (r = 0; r < MR; r++) {
        const char *sx = sexo[r % 9], *tu = tum[(r / 3) % 8];
        char t = sx[strspn(sx, " \t")];
        snprintf(cells[r][0], 16, "r%d", r);
        snprintf(cells[r][1], 16, "%s", sx);
        snprintf(cells[r][2], 16, "%d", 70 + r);
        snprintf(cells[r][3], 16, "%d", 18 + r % 4);
        snprintf(cells[r][4], 16, "%s", tu);
        snprintf(cells[r][5], 16, "%d", 50 + r);
        memcpy(plain[r], cells[r], sizeof plain[r]);
        snprintf(plain[r][1], 16, "%s", t == 'H' || t == 'h' ? "male" : "female");
        snprintf(plain[r][4], 16, "%s", tu[strspn(tu, " ")] == '0' ? "true" : tu[strspn(tu, " ")] == '1' ? "false" : "");
    }
    if (c && p)
        CHECK(same_rows(ctx, c, p, cells, plain, MR, MC, "chained maps"));
    sarx_cohort_free(c);
    sarx_cohort_free(p);
    sarx_ctx_free(ctx);
}

/* A map's numbers are written with '.' (JSON's 150.5), whatever the file's
** decimal mark: with SARX_COHORT_DECIMAL_COMMA the header takes them and the
** rows read them as 150.5; the cells themselves keep the file's mark. */
static void decimal(void)
{
    static const char *const head[MC] = {"id", "sex", "age_years", "W", "height_cm", "grip_kg"};
    static const char *const phead[MC] = {"id", "sex", "age_years", "weight_kg", "height_cm", "grip_kg"};
    static char cells[MR][MC][16], plain[MR][MC][16];
    sarx_ctx *ctx = NULL;
    sarx_cohort *c, *p;
    sarx_error e;
    int r;
    if (sarx_ctx_new(&ctx, &e) != SARX_OK) {
        CHECK(0);
        return;
    }
    c = cohort_of(ctx, head, MC, SARX_COHORT_DECIMAL_COMMA,
                  "{\"W\": {\"field\": \"weight_kg\", \"values\": {\"heavy\": 150.5, \"light\": \"41.25\"}}}", &e);
    CHECK(c != NULL);
    p = cohort_of(ctx, phead, MC, SARX_COHORT_DECIMAL_COMMA, NULL, &e);
    for (r = 0; r < MR; r++) {
        static const char *const w[] = {"heavy", " heavy", "light", "LIGHT ", "72,5", " 72,5"};
        snprintf(cells[r][0], 16, "r%d", r);
        snprintf(cells[r][1], 16, "%s", r % 2 ? "male" : "female");
        snprintf(cells[r][2], 16, "%d", 60 + r);
        snprintf(cells[r][3], 16, "%s", w[r % 6]);
        snprintf(cells[r][4], 16, "%s", "150,5");
        snprintf(cells[r][5], 16, "%d,5", 15 + r % 12);
        memcpy(plain[r], cells[r], sizeof plain[r]);
        snprintf(plain[r][3], 16, "%s", r % 6 < 2 ? "150,5" : r % 6 < 4 ? "41,25" : "72,5");
    }
    if (c && p)
        CHECK(same_rows(ctx, c, p, cells, plain, MR, MC, "decimal comma"));
    sarx_cohort_free(c);
    sarx_cohort_free(p);
    /* a map's "150,5" is not a number with the file's comma: said at the header */
    c = cohort_of(ctx, head, MC, SARX_COHORT_DECIMAL_COMMA, "W,weight_kg\nW,heavy,\"150,5\"\n", &e);
    CHECK(!c && has(&e, "value map \"heavy\" -> \"150,5\""));
    sarx_cohort_free(c);
    sarx_ctx_free(ctx);
}

/* The summary's "columns": a header name that is not UTF-8 is there, its
** invalid bytes as U+FFFD; a rejected cell of a renamed column names the
** file's column. */
static void names(void)
{
    static const char *const head[3] = {"id", "Gr\xF6\xDF\x65", "gewicht"};
    sarx_ctx *ctx = NULL;
    sarx_cohort *c, *k = NULL;
    sarx_error e;
    char *js;
    char *f[3] = {"a", "170", "abc"};
    size_t fl[3] = {1, 3, 3};
    sarx_class out[64];
    if (sarx_ctx_new(&ctx, &e) != SARX_OK) {
        CHECK(0);
        return;
    }
    c = cohort_of(ctx, head, 3, 0, "Gr\xF6\xDF" "e,height_cm\nGEWICHT,weight_kg\n", &e);
    CHECK(c != NULL);
    if (c) {
        js = sarx_cohort_summary_json(c);
        CHECK(js && strstr(js, "\"Gr\xEF\xBF\xBD\xEF\xBF\xBD" "e\": \"height_cm\"") &&
              strstr(js, "\"gewicht\": \"weight_kg\""));
        free(js);
        CHECK(sarx_cohort_row(c, f, fl, 3, out, &e) != SARX_OK &&
              has(&e, "column \"GEWICHT\" (weight_kg): \"abc\" is not a number") && !has(&e, "field \""));
        CHECK(sarx_cohort_clone(c, &k) == SARX_OK && k);
        if (k) { /* a clone's errors too */
            unsigned char ok[4];
            sarx_error errs[4];
            CHECK(sarx_cohort_add(k, f, fl, 3, &e) == SARX_OK);
            CHECK(sarx_cohort_classify(k, out, ok, errs) == 1 && !ok[0] &&
                  strstr(errs[0].message, "column \"GEWICHT\" (weight_kg): \"abc\""));
        }
    }
    sarx_cohort_free(k);
    sarx_cohort_free(c);
    sarx_ctx_free(ctx);
}

int main(void)
{
    api();
    maps();
    large();
    chained();
    decimal();
    names();
    cohort();
    return h_summary("readopts");
}
