/*
** unit_cohort.c — unit tests of the cohort reader and its counts: the
** cohort API, the eight-cells-at-once reader (cells8.c) against the scalar
** one, random columns and counts, definitions that do not apply, and the
** statistics (intervals, kappa).
*/
#define _POSIX_C_SOURCE 200809L /* mmap, mprotect, sysconf */
#include "unit.h"

#include <jansson.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Cells parsed straight into the batch's columns (sarx_cohort_parse) give
** what the subject API gives for the same text (sarx_subject_set_text per
** cell, then sarx_classify): the same rows refused with the same message,
** the same category and completeness for the others.  Random rows over
** every field that has a CSV form, with canonical names, with units
** converted (aliases), and with a decimal comma; each read eight rows at a
** time (cells8.c, where the processor can) and by the scalar path alone,
** row by row (sarx_cohort_parse), and added then read at classification
** (sarx_cohort_add), whose refusals come back in ok[] and errs[], the
** last also with the text around the cells readable (sarx_cohort_readable:
** eight bytes of a cell at once). */
static void test_cohort_columns(const sarx_ctx *ctx)
{
    enum { ROWS = 6000, MAXCOL = 80 };
    static const char *const alias_names[] = {"height_in", "weight_lb", "grip_lb", "crp_mg_dl", "hemoglobin_g_l",
                                              "albumin_g_l", "testosterone_nmol_l"};
    static char store[SARX_COHORT_BATCH][MAXCOL][48];
    static sarx_class out[SARX_COHORT_BATCH * 64], ref[SARX_COHORT_BATCH][64];
    static sarx_error errs[SARX_COHORT_BATCH], refe[SARX_COHORT_BATCH];
    char *hdr[MAXCOL], *cells[SARX_COHORT_BATCH][MAXCOL];
    size_t hl[MAXCOL], lens[SARX_COHORT_BATCH][MAXCOL], nd = sarx_definition_count(ctx), ncol = 0, f, k;
    const sarx_field_info *info[MAXCOL];
    int refok[SARX_COHORT_BATCH], variant, bad = 0;
    long compared = 0, refused = 0, slow = 0, accepted = 0;
    unsigned char ok[SARX_COHORT_BATCH];
    sarx_subject *s;
    rng_state = 777;
    sarx_subject_new(&s);
    for (variant = 0; variant < 12; variant++) { /* canonical names, aliases, decimal comma; each four ways */
        sarx_cohort *c;
        sarx_error err;
        int dc = variant % 3 == 2, row = 0, add = variant >= 6;
        ncol = 0;
        for (f = 0; f < SARX__F_COUNT; f++) { /* the canonical fields (aliases follow them) */
            const sarx_field_info *fi = sarx_field_at(f);
            if (fi->kind == SARX_KIND_HISTORY)
                continue;
            hdr[ncol] = (char *)fi->name;
            for (k = 0; variant % 3 == 1 && k < sizeof alias_names / sizeof alias_names[0]; k++)
                if (strcmp(sarx_field_find(alias_names[k])->canonical, fi->name) == 0)
                    hdr[ncol] = (char *)alias_names[k];
            info[ncol] = sarx_field_find(hdr[ncol]);
            hl[ncol] = strlen(hdr[ncol]);
            ncol++;
        }
        CHECK(ncol <= MAXCOL);
        CHECK_INT(sarx_cohort_new(ctx, hdr, hl, ncol, dc ? SARX_COHORT_DECIMAL_COMMA : 0, &c, &err), SARX_OK);
        sarx__cohort_use_baseline(c, variant >= 3 && variant < 6); /* eight rows at once where the processor can, or the scalar path */
        if (variant >= 9) /* added, their text (and the bytes left past each cell) readable to the end of store */
            sarx_cohort_readable(c, (const char *)store + sizeof store);
        while (row < ROWS && bad < 5) {
            int n = 0, i;
            /* Up to a batch of rows that parse; refused ones are compared on the way. */
            while (n < SARX_COHORT_BATCH && row < ROWS && bad < 5) {
                sarx_error e1, e2;
                int rc1, rc2 = SARX_OK, blanks = 0, plain = unit01() < 0.5;
                row++;
                for (k = 0; k < ncol; k++) {
                    random_cell(store[n][k], sizeof store[n][k], info[k], dc, plain);
                    if (strcmp(info[k]->name, "sarc_f") == 0 && unit01() < 0.9)
                        store[n][k][0] = '\0'; /* a total beside items mostly disagrees */
                    if (strcmp(info[k]->name, "fat_mass_kg") == 0 && unit01() < 0.9)
                        store[n][k][0] = '\0'; /* likewise fat mass in kg beside a fat % */
                    cells[n][k] = store[n][k];
                    lens[n][k] = strlen(store[n][k]);
                    blanks |= lens[n][k] && (store[n][k][0] == ' ' || store[n][k][lens[n][k] - 1] == ' ');
                }
                slow += blanks;
                rc1 = add ? sarx_cohort_add(c, cells[n], lens[n], ncol, &e1) : sarx_cohort_parse(c, cells[n], lens[n], ncol, &e1);
                sarx_subject_clear(s);
                for (k = 0; k < ncol && rc2 == SARX_OK; k++)
                    if (strcmp(hdr[k], "id") != 0)
                        rc2 = sarx_subject_set_text(s, hdr[k], cells[n][k], lens[n][k],
                                                    dc ? SARX_TEXT_DECIMAL_COMMA : 0, &e2);
                if (rc2 == SARX_OK)
                    rc2 = sarx_classify(ctx, s, ref[n], &e2);
                refe[n] = e2;
                if (add ? rc1 != SARX_OK
                        : (rc1 == SARX_OK) != (rc2 == SARX_OK) ||
                              (rc1 != SARX_OK && strcmp(e1.message, e2.message) != 0)) {
                    fprintf(stderr, "cohort columns: variant %d row %d: parse %d \"%s\", subject %d \"%s\"\n",
                            variant, row, rc1, rc1 ? e1.message : "", rc2, rc2 ? e2.message : "");
                    bad++;
                }
                refok[n] = rc2 == SARX_OK;
                refused += add ? rc2 != SARX_OK : rc1 != SARX_OK;
                if (rc1 == SARX_OK)
                    n++;
            }
            CHECK_INT(sarx_cohort_classify(c, out, ok, errs), n);
            for (i = 0; i < n; i++) {
                size_t d;
                if (ok[i] != refok[i] || (!ok[i] && strcmp(errs[i].message, refe[i].message) != 0)) {
                    fprintf(stderr, "cohort columns: variant %d lane %d: ok %d \"%s\", subject %d \"%s\"\n", variant,
                            i, ok[i], ok[i] ? "" : errs[i].message, refok[i], refok[i] ? "" : refe[i].message);
                    bad++;
                }
                if (!refok[i] || !ok[i])
                    continue;
                accepted++;
                for (d = 0; d < nd; d++, compared++)
                    if (out[(size_t)i * nd + d].category != ref[i][d].category ||
                        out[(size_t)i * nd + d].complete != ref[i][d].complete) {
                        fprintf(stderr, "cohort columns: variant %d lane %d %s: %d/%d, subject %d/%d\n", variant,
                                i, sarx_definition_id(sarx_definition_at(ctx, d)), out[(size_t)i * nd + d].category,
                                out[(size_t)i * nd + d].complete, ref[i][d].category, ref[i][d].complete);
                        bad++;
                        break;
                    }
            }
        }
        CHECK_INT(sarx_cohort_rejected(c), refused);
        refused = 0;
        sarx_cohort_free(c);
    }
    printf("cohort columns: %ld rows accepted (%ld of all rows with blanks around a cell), %ld row-definitions "
           "compared\n", accepted, slow, compared);
    CHECK_INT(bad, 0);
    CHECK(accepted > 12 * ROWS / 4); /* most rows are read the fast way whole */
    CHECK(compared > 200000);
    sarx_subject_free(s);
}

/* The counts (strata, categories, agreement) of the widest counting the
** processor has and of the SWAR one, on the same random rows: the same
** summary.  Ages sit on and around the bands' edges, sexes include the
** unknown, some rows are refused. */
static void test_cohort_counts(const sarx_ctx *ctx)
{
    enum { ROWS = 5000, MAXCOL = 80 };
    static const char *const ages[] = {"18", "29", "29.999", "30", "30.001", "39.99", "40", "49.5", "50", "59.999",
                                       "60", "69", "69.9999", "70", "79.99", "80", "80.5", "99", "120", ""};
    static char store[MAXCOL][48];
    char *hdr[MAXCOL], *cells[MAXCOL], *j1, *j2;
    size_t hl[MAXCOL], lens[MAXCOL], ncol = 0, k;
    const sarx_field_info *info[MAXCOL];
    sarx_cohort *c[2];
    sarx_error err;
    int row, w;
    rng_state = 4242;
    ncol = csv_field_header(hdr, info, hl, MAXCOL);
    CHECK(ncol <= MAXCOL);
    for (w = 0; w < 2; w++) {
        CHECK_INT(sarx_cohort_new(ctx, hdr, hl, ncol, 0, &c[w], &err), SARX_OK);
        sarx__cohort_use_baseline(c[w], w);
    }
    for (row = 0; row < ROWS; row++) {
        for (k = 0; k < ncol; k++) {
            random_cell(store[k], sizeof store[k], info[k], 0, unit01() < 0.7);
            if (strcmp(info[k]->name, "age_years") == 0 && unit01() < 0.7)
                snprintf(store[k], sizeof store[k], "%s", ages[rnd() % (sizeof ages / sizeof ages[0])]);
            if (strcmp(info[k]->name, "sarc_f") == 0 && unit01() < 0.9)
                store[k][0] = '\0';
            if (strcmp(info[k]->name, "fat_mass_kg") == 0 && unit01() < 0.9)
                store[k][0] = '\0'; /* fat mass in kg beside a fat % mostly disagrees */
            cells[k] = store[k];
            lens[k] = strlen(store[k]);
        }
        for (w = 0; w < 2; w++)
            if (sarx_cohort_parse(c[w], cells, lens, ncol, &err) == SARX_ERANGE) { /* a full batch */
                sarx_cohort_classify(c[w], NULL, NULL, NULL);
                sarx_cohort_parse(c[w], cells, lens, ncol, &err);
            }
    }
    for (w = 0; w < 2; w++)
        sarx_cohort_classify(c[w], NULL, NULL, NULL);
    j1 = sarx_cohort_summary_json(c[0]);
    j2 = sarx_cohort_summary_json(c[1]);
    CHECK(j1 && j2 && strcmp(j1, j2) == 0);
    CHECK_INT(sarx_cohort_rows(c[0]), sarx_cohort_rows(c[1]));
    CHECK(sarx_cohort_rows(c[0]) > ROWS / 2 && sarx_cohort_rejected(c[0]) > 0);
    CHECK(j1 && strstr(j1, "\"70-79\"") && strstr(j1, "\"age unknown\"") && strstr(j1, "\"sex unknown\""));
    sarx_free(j1);
    sarx_free(j2);
    sarx_cohort_free(c[0]);
    sarx_cohort_free(c[1]);
}

/* Rows where a definition does not apply (not_applicable: Fearon without
** cancer, Janssen below 60) are counted apart: not in the positive
** reading's denominator nor in agreement, and shown as "n/a" in the text. */
static void test_cohort_not_applicable(const sarx_ctx *ctx)
{
    static const char *const rows[][7] = {
        /* sex, age, cancer, 6-month loss, anorexia, ct_l3, smm_kg (height 170 cm, 72.25 kg) */
        {"male", "70", "false", "10", "false", "60", "22"},  /* Fearon n/a; Janssen severe */
        {"male", "30", "false", "10", "false", "60", "22"},  /* both n/a */
        {"male", "45", "false", "1", "false", "60", "35"},   /* both n/a */
        {"male", "70", "true", "8", "false", "60", "35"},    /* Fearon cachexia (incomplete: refractory open) */
        {"male", "70", "true", "1", "false", "60", "35"},    /* Fearon no_cachexia (complete); Janssen none */
        {"male", "70", "", "1", "false", "60", "35"},        /* Fearon indeterminate (cancer unknown) */
    };
    static const char *const hdr[] = {"sex", "age_years", "cancer", "weight_loss_pct_6m", "anorexia",
                                      "ct_l3_smi_cm2_m2", "smm_kg", "height_cm", "weight_kg", "cancer_unresponsive"};
    size_t hl[10], lens[10], i, k;
    char *cells[10];
    sarx_cohort *c;
    sarx_error err;
    char *js, *text;
    json_t *root, *defs, *it;
    for (k = 0; k < 10; k++)
        hl[k] = strlen(hdr[k]);
    CHECK_INT(sarx_cohort_new(ctx, (char *const *)hdr, hl, 10, 0, &c, &err), SARX_OK);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (k = 0; k < 7; k++)
            cells[k] = (char *)rows[i][k];
        cells[7] = "170";
        cells[8] = "72.25";
        cells[9] = "false";
        for (k = 0; k < 10; k++)
            lens[k] = strlen(cells[k]);
        CHECK_INT(sarx_cohort_parse(c, cells, lens, 10, &err), SARX_OK);
    }
    CHECK_INT(sarx_cohort_classify(c, NULL, NULL, NULL), 6);
    js = sarx_cohort_summary_json(c);
    root = js ? json_loads(js, 0, NULL) : NULL;
    defs = json_object_get(root, "definitions");
    json_array_foreach(defs, i, it) {
        const char *id = json_string_value(json_object_get(it, "definition"));
        json_t *all = json_object_get(json_object_get(it, "by"), "all");
        if (strcmp(id, "fearon2011") == 0) {
            CHECK_INT(json_integer_value(json_object_get(all, "not_applicable")), 3);
            CHECK_INT(json_integer_value(json_object_get(all, "indeterminate")), 1);
            CHECK_INT(json_integer_value(json_object_get(all, "reading_decided")), 2); /* cachexia, no_cachexia */
            CHECK_INT(json_integer_value(json_object_get(json_object_get(all, "positive"), "count")), 1);
            CHECK_INT(json_integer_value(json_object_get(json_object_get(all, "positive"), "of")), 2);
        } else if (strcmp(id, "janssen2004") == 0) {
            CHECK_INT(json_integer_value(json_object_get(all, "not_applicable")), 2);
            CHECK_INT(json_integer_value(json_object_get(all, "reading_decided")), 4);
            CHECK_INT(json_integer_value(json_object_get(json_object_get(all, "positive"), "count")), 1);
        } else if (strcmp(id, "ewgsop2") == 0) {
            CHECK(json_object_get(all, "not_applicable") == NULL); /* only where a definition has the category */
        }
    }
    json_array_foreach(json_object_get(root, "agreement"), i, it) { /* rows decided by both: n/a rows left out */
        if (strcmp(json_string_value(json_object_get(it, "a")), "janssen2004") == 0 &&
            strcmp(json_string_value(json_object_get(it, "b")), "fearon2011") == 0)
            CHECK_INT(json_integer_value(json_object_get(it, "n")), 2);
    }
    json_decref(root);
    sarx_free(js);
    text = sarx_cohort_summary_text(c);
    CHECK(text && strstr(text, "n/a") && strstr(text, "does not apply"));
    {   /* the Fearon line: 2 decided, 1 undecided, 3 n/a */
        const char *f = text ? strstr(text, "\nfearon2011 ") : NULL;
        long d1 = -1, d2 = -1, d3 = -1;
        CHECK(f && sscanf(f, " fearon2011 %ld %ld %ld", &d1, &d2, &d3) == 3 && d1 == 2 && d2 == 1 && d3 == 3);
    }
    sarx_free(text);
    sarx_cohort_free(c);
}

/* Wilson intervals and kappa against worked values. */
static void test_stats(void)
{
    double lo, hi;
    /* x = 5 of 10: p = 0.5, z = 1.96 -> 0.2366 .. 0.7634 (Newcombe 1998, method 3). */
    CHECK_INT(sarx_wilson(5, 10, &lo, &hi), SARX_OK);
    CHECK_NEAR(lo, 0.236593, 1e-6);
    CHECK_NEAR(hi, 0.763407, 1e-6);
    /* x = 0 of 10: exactly 0 .. 0.2775. */
    sarx_wilson(0, 10, &lo, &hi);
    CHECK(lo == 0.0);
    CHECK_NEAR(hi, 0.277533, 1e-6);
    /* x = n: the upper end is exactly 1. */
    sarx_wilson(10, 10, &lo, &hi);
    CHECK(hi == 1.0);
    CHECK_NEAR(lo, 0.722467, 1e-6);
    /* 81 of 263 (Newcombe 1998 example: 0.2553 .. 0.3662). */
    sarx_wilson(81, 263, &lo, &hi);
    CHECK_NEAR(lo, 0.2553, 1e-4);
    CHECK_NEAR(hi, 0.3662, 1e-4);
    CHECK_INT(sarx_wilson(1, 0, &lo, &hi), SARX_EINVAL);
    CHECK(isnan(lo) && isnan(hi));
    CHECK_INT(sarx_wilson(11, 10, &lo, &hi), SARX_EINVAL);
    /* kappa: both 20, a only 5, b only 10, neither 15 -> po 0.7, pe 0.5, kappa 0.4. */
    CHECK_NEAR(sarx_kappa(20, 5, 10, 15), 0.4, 1e-12);
    CHECK_NEAR(sarx_kappa(10, 0, 0, 10), 1.0, 1e-12);  /* perfect agreement */
    CHECK_NEAR(sarx_kappa(0, 10, 10, 0), -1.0, 1e-12); /* perfect disagreement */
    CHECK(isnan(sarx_kappa(0, 0, 0, 0)));              /* no pairs */
    CHECK(isnan(sarx_kappa(7, 0, 0, 0)));              /* both constant */
    CHECK(isnan(sarx_kappa(-1, 5, 5, 5)));             /* nonsense counts */
}

/* The eight-rows-at-once column reader (cells8.c) against the scalar cell
** path: a lane it reads holds exactly what sarx__parse_plain (numbers: in
** range, whole for an integer column, times the scale) or the word table
** gives, and it reads exactly the cells it is meant to (empty; 1-8 bytes of
** digits with at most one separator, and a minus sign first where the
** column allows one; a word of the column), leaving the rest (other signs,
** longer cells, blanks, other bytes) to the scalar path.  Every text of up
** to 5 bytes over the bytes that matter, through every kind of column, then
** random longer ones. */
static int c8_expect(const sarx__cells8 *g, const char *t, size_t len, char sep, double *want)
{
    size_t k, seps = 0, digits = 0, s0;
    double v;
    if (len == 0) {
        *want = NAN;
        return 1;
    }
    if (len > 8)
        return 0;
    if (g->code) {
        uint64_t x = 0;
        int hit = 0;
        for (k = 0; k < len; k++)
            x |= (uint64_t)(unsigned char)t[k] << (8 * k);
        for (k = 0; k < (size_t)g->nwords; k++) { /* the scalar rule (match_word): letters in either case */
            uint64_t w = g->word[k], cs = 0;
            size_t wl = 0, b;
            while (wl < 8 && (w >> (8 * wl)) & 0xFF)
                wl++;
            for (b = 0; b < wl; b++)
                if (((w >> (8 * b)) & 0xFF) >= 'a' && ((w >> (8 * b)) & 0xFF) <= 'z')
                    cs |= (uint64_t)0x20 << (8 * b);
            if (wl == len && (x | cs) == w)
                *want = g->wcode[k], hit = 1;
        }
        return hit;
    }
    s0 = g->sign && t[0] == '-'; /* a minus sign, where the column takes one */
    for (k = s0; k < len; k++) {
        seps += t[k] == sep;
        digits += t[k] >= '0' && t[k] <= '9';
    }
    if (seps > 1 || digits == 0 || s0 + seps + digits != len)
        return 0; /* not the kind of cell it reads */
    if (!sarx__parse_plain(t, len, sep, &v) || !(v >= g->lo && v <= g->hi) || (g->integer && v != floor(v)))
        return 0; /* refused, out of range, or not whole: the scalar path's to decide */
    *want = v * g->scale;
    return 1;
}

static void test_cells8(void)
{
    enum { NPLAN = 5 };
    static const char alphabet[] = "0159.,-+ a/:\xb9\x00";
    static double col[NPLAN][8], col2[NPLAN][8];
    const size_t na = sizeof alphabet - 1; /* the terminating NUL stays out; the one before it is a cell byte */
    long pagesz = sysconf(_SC_PAGESIZE), gathered = 0;
    char *pages, *guard, *packed[8];
    sarx__cells8 g[NPLAN];
    char text[8][16], *fields[8];
    size_t lens[8], len, idx, total = 1, k;
    long read = 0, left = 0, bad = 0, calls = 0, negs = 0;
    int j, round, q;
    if (!sarx__cells8_available()) {
        printf("cells8: this processor has no AVX-512; the scalar path is the only one (tested throughout)\n");
        CHECK(1);
        return;
    }
    /* The same cells packed end to end before a page that cannot be read,
    ** read with that page as the end of the readable text: a byte read past
    ** it is a crash, and the results must be those of the cells in blocks. */
    {
        int fd = open("/dev/zero", O_RDWR);
        pages = fd < 0 ? MAP_FAILED : mmap(NULL, 2 * (size_t)pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (fd >= 0)
            close(fd);
    }
    guard = pages + pagesz;
    if (pages == MAP_FAILED || mprotect(guard, (size_t)pagesz, PROT_NONE) != 0) {
        CHECK(!"two pages mapped, the second unreadable");
        return;
    }
    memset(g, 0, sizeof g);
    for (q = 0; q < NPLAN; q++) {
        g[q].scale = 1.0;
        g[q].lo = -INFINITY;
        g[q].hi = INFINITY;
    }
    g[1].scale = 2.54;               /* a unit converted */
    g[2].lo = 0.5, g[2].hi = 99.0;   /* a range, */
    g[2].integer = 1;                /* whole numbers */
    g[3].lo = -50.0, g[3].hi = 80.0; /* a signed range (weight loss) */
    g[3].sign = 1;
    g[4].code = 1; /* true/false/yes/no */
    {
        static const char *const words[] = {"true", "false", "yes", "no", "1", "0"};
        for (k = 0; k < 6; k++) {
            size_t n = strlen(words[k]), b;
            for (b = 0; b < n; b++)
                g[4].word[k] |= (uint64_t)(unsigned char)words[k][b] << (8 * b);
            g[4].wcode[k] = k == 0 || k == 2 || k == 4;
        }
        g[4].nwords = 6;
    }
    for (k = 0; k < 5; k++)
        total = total * na + 1; /* texts of 0..5 bytes, counted as numbers in base na with a length */
    rng_state = 88;
    for (round = 0; round < 2; round++) {
        char sep = round ? ',' : '.';
        for (idx = 0; idx < total + 400000; idx += 8) {
            unsigned lanes = 0xFF, rest[NPLAN];
            for (j = 0; j < 8; j++) {
                size_t x = idx + (size_t)j;
                if (x < total) { /* the x-th text of up to 5 bytes */
                    len = 0;
                    while (x > 0) {
                        x--;
                        text[j][len++] = alphabet[x % na];
                        x /= na;
                    }
                } else if (rnd() % 3 == 0) { /* a word, in some case */
                    static const char *const cand[] = {"true", "TRUE", "False", "yEs", "no", "NO ", "1", "0", "truex",
                                                       "tru", "fals", "yes1", "nO"};
                    const char *w = cand[rnd() % (sizeof cand / sizeof cand[0])];
                    len = strlen(w);
                    memcpy(text[j], w, len);
                } else { /* random digits with a separator or a sign, up to 12 bytes */
                    len = (size_t)(rnd() % 13);
                    for (k = 0; k < len; k++) {
                        uint64_t r2 = rnd() % 24;
                        text[j][k] = r2 < 20 ? (char)('0' + r2 % 10) : r2 < 22 ? sep : r2 == 22 ? '-' : 'x';
                    }
                    if (len && rnd() % 4 == 0)
                        text[j][0] = '-';
                }
                lens[j] = len;
            }
            if (rnd() % 8 == 0) /* some lanes not asked for */
                lanes = (unsigned)(rnd() & 0xFF);
            for (j = 0; j < 8; j++) /* each cell in a block of its size: a byte read past it is an ASan report */
                if (!(fields[j] = malloc(lens[j] ? lens[j] : 1)) || !memcpy(fields[j], text[j], lens[j]))
                    abort();
            for (q = 0; q < NPLAN; q++) {
                for (j = 0; j < 8; j++)
                    col[q][j] = 12345.0;
                rest[q] = sarx__cells8_read(&g[q], fields, lens, lanes, sep, NULL, col[q]);
            }
            for (j = 0; j < 8; j++)
                free(fields[j]);
            {
                char *at = guard;
                int first = (int)(rnd() % 8); /* the lane whose cell ends at the guard page */
                for (k = 0; k < 8; k++) {
                    j = (first + 8 - (int)k) % 8;
                    at -= lens[j];
                    memcpy(at, text[j], lens[j]);
                    packed[j] = at;
                    gathered += (lanes >> j & 1u) && guard - at >= 8;
                }
                for (q = 0; q < NPLAN; q++) {
                    unsigned r2;
                    for (j = 0; j < 8; j++)
                        col2[q][j] = 12345.0;
                    r2 = sarx__cells8_read(&g[q], packed, lens, lanes, sep, guard, col2[q]);
                    for (j = 0; j < 8; j++)
                        if (((r2 ^ rest[q]) >> j & 1u) || !same_double(col[q][j], col2[q][j]))
                            if (bad++ < 5)
                                fprintf(stderr, "cells8: column %d \"%.*s\" read %g (%u) packed, %g (%u) alone\n", q,
                                        (int)lens[j], text[j], col2[q][j], r2 >> j & 1u, col[q][j], rest[q] >> j & 1u);
                }
            }
            calls++;
            for (q = 0; q < NPLAN; q++)
                for (j = 0; j < 8; j++) {
                    double want = 0;
                    int e = c8_expect(&g[q], text[j], lens[j], sep, &want), got = !(rest[q] & (1u << j));
                    if (!(lanes & (1u << j))) {
                        if (!got || col[q][j] != 12345.0)
                            bad++; /* a lane not asked for is neither read nor written */
                        continue;
                    }
                    if (got != e || (got ? !same_double(want, col[q][j]) : col[q][j] != 12345.0)) {
                        if (bad++ < 5)
                            fprintf(stderr,
                                    "cells8: sep '%c' column %d \"%.*s\": read %d, expected %d, value %.17g, want %.17g\n",
                                    sep, q, (int)lens[j], text[j], got, e, col[q][j], want);
                    }
                    read += got;
                    left += !got;
                    negs += got && lens[j] > 1 && text[j][0] == '-';
                }
        }
    }
    printf("cells8: %ld calls, %ld cells read (%ld negative), %ld left to the scalar path\n", calls, read, negs, left);
    CHECK_INT(bad, 0);
    CHECK(read > 800000 && left > 3000000 && negs > 10000);
    CHECK(gathered > 1000000); /* most packed cells had eight readable bytes */
    munmap(pages, 2 * (size_t)pagesz);
    /* Its quotients without a division, over their whole domain: every
    ** number of up to eight digits with the separator anywhere. */
    CHECK_INT(sarx__cells8_quotients(), 0);
}

/* The cohort API: header mapping, rows one by one and in batches, merge. */
static void test_cohort_api(const sarx_ctx *ctx)
{
    static char *hdr[] = {"ID", "sex", " grip_kg ", "height_cm", "asm_kg", "site"};
    static const size_t hl[] = {2, 3, 9, 9, 6, 4};
    static char *rows[][6] = {{"a", "female", "12", "158", "12", "x"},
                              {"b", "male", "40", "175", "24", "x"},
                              {"c", "female", "150", "160", "14", "x"},
                              {"d", "", "20", "170", "20", "x"}};
    sarx_cohort *c1, *c2;
    sarx_class out[64 * 64], one[64];
    unsigned char ok[64];
    sarx_error err;
    size_t lens[6], i, k, nd = sarx_definition_count(ctx);
    char *js;
    CHECK_INT(sarx_cohort_new(ctx, hdr, hl, 6, 0, &c1, &err), SARX_OK);
    CHECK_INT(sarx_cohort_ignored_count(c1), 1);
    CHECK_STR(sarx_cohort_ignored(c1, 0), "site");
    CHECK_INT(sarx_cohort_id_column(c1), 0);
    CHECK_INT(sarx_cohort_new(ctx, hdr, hl, 6, SARX_COHORT_STRICT, &c2, &err), SARX_EFIELD);
    CHECK_INT(sarx_cohort_clone(c1, &c2), SARX_OK);
    for (i = 0; i < 4; i++) {
        for (k = 0; k < 6; k++)
            lens[k] = strlen(rows[i][k]);
        if (i == 2)
            CHECK_INT(sarx_cohort_parse(c2, rows[i], lens, 6, &err), SARX_ERANGE); /* grip 150 */
        else
            CHECK_INT(sarx_cohort_parse(c2, rows[i], lens, 6, &err), SARX_OK);
        if (i != 2) {
            CHECK_INT(sarx_cohort_row(c1, rows[i], lens, 6, one, &err), SARX_OK);
        }
    }
    CHECK_INT(sarx_cohort_classify(c2, out, ok, NULL), 3);
    CHECK(ok[0] && ok[1] && ok[2]);
    {   /* counts only: out and ok may be NULL, and the counts are the same */
        sarx_cohort *c3;
        char *j2, *j3;
        CHECK_INT(sarx_cohort_clone(c1, &c3), SARX_OK);
        for (i = 0; i < 4; i++) {
            for (k = 0; k < 6; k++)
                lens[k] = strlen(rows[i][k]);
            sarx_cohort_parse(c3, rows[i], lens, 6, &err);
        }
        CHECK_INT(sarx_cohort_classify(c3, NULL, NULL, NULL), 3);
        CHECK_INT(sarx_cohort_classify(c3, NULL, NULL, NULL), 0); /* nothing pending */
        j2 = sarx_cohort_summary_json(c2);
        j3 = sarx_cohort_summary_json(c3);
        CHECK(j2 && j3 && strcmp(j2, j3) == 0);
        sarx_free(j2);
        sarx_free(j3);
        sarx_cohort_free(c3);
    }
    /* Row "a" (woman, grip 12, ASMI 4.8): EWGSOP2 sarcopenia, incomplete (performance unknown). */
    CHECK_STR(sarx_definition_category(sarx_definition_at(ctx, 0), out[0].category), "sarcopenia");
    CHECK_INT(out[0].complete, 0);
    CHECK_INT(out[2 * nd + 0].category, SARX_INDETERMINATE); /* "d": sex unknown, grip 20 */
    CHECK_INT(sarx_cohort_rows(c1), 3);
    CHECK_INT(sarx_cohort_rows(c2), 3);
    CHECK_INT(sarx_cohort_rejected(c2), 1);
    CHECK_INT(sarx_cohort_merge(c1, c1), SARX_EINVAL); /* twice the same counts */
    CHECK_INT(sarx_cohort_merge(c1, c2), SARX_OK);
    CHECK_INT(sarx_cohort_rows(c1), 6);
    js = sarx_cohort_summary_json(c1);
    CHECK(js && strstr(js, "\"rows\": 6") && strstr(js, "\"rejected\": 1"));
    sarx_free(js);
    {   /* A short row, and a parse into a full batch. */
        size_t two[2] = {1, 1};
        CHECK_INT(sarx_cohort_row(c1, rows[0], two, 2, one, &err), SARX_ESYNTAX);
        CHECK(strstr(err.message, "the row has 2 fields, the header 6") != NULL);
    }
    sarx_cohort_free(c1);
    sarx_cohort_free(c2);
    sarx_cohort_free(NULL);
}

int main(void)
{
    sarx_ctx *ctx;
    sarx_error err;
    CHECK_INT(sarx_ctx_new(&ctx, &err), SARX_OK);
    test_stats();
    test_cohort_api(ctx);
    test_cells8();
    test_cohort_columns(ctx);
    test_cohort_counts(ctx);
    test_cohort_not_applicable(ctx);
    sarx_ctx_free(ctx);
    return h_summary("unit_cohort");
}
