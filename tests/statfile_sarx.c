/*
** statfile_sarx.c — `sarx cohort` on Stata, SPSS and SAS files end to end:
** the same rows as CSV give the same output, value labels become the
** fields' words (or codes through --map), and a damaged file is refused
** with its position.
**
**   statfile_sarx SARX       (SARX: the sarx command)
*/
#define _GNU_SOURCE
#include "statkit.h"

/* ---- end to end: sarx cohort FILE.dta gives what the same rows as CSV
** give, once sarx cohort reads .dta ---- */

/* A labelled ecog (0 "Fully active", 1 "Restricted", ...): sarx cohort
** classifies the rows as it does the same rows with the codes in a CSV
** file; under another name (PS), its labels come out, and a value map
** takes them back to the codes (docs/FILES.md). */
static void test_sarx_labels(const char *sarx)
{
    wfile f;
    readstat_label_set_t *ls;
    char cmd[4096];
    int i, k;
    FILE *out;
    static const char *const lab[5] = {"Fully active", "Restricted", "Ambulatory", "Limited self-care", "Disabled"};
    static const double rows[5][8] = {
        /* sex, age, height, weight, grip, gait, ecog, weight loss 6 months */
        {1, 70, 175, 72.5, 24, 0.7, 0, 2}, {2, 81, 160, 51, 14, 0.6, 1, 8}, {1, 65, 180, 90, 40, 1.2, 2, 12},
        {2, 77, 158, 55, 15, 0.7, 3, 6},   {1, 68, 170, 60, 30, 1.0, 4, 0},
    };
    static const char *const cols[8] = {"sex", "age_years", "height_cm", "weight_kg", "grip_kg",
                                        "gait_speed_m_s", "ecog", "weight_loss_pct_6m"};
    for (k = 0; k < 2; k++) {
        wbegin(&f, STATFILE_DTA);
        ls = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "ecoglab");
        for (i = 0; i < 5; i++)
            readstat_label_int32_value(ls, i, lab[i]);
        readstat_add_variable(f.w, "id", READSTAT_TYPE_STRING, 8);
        for (i = 0; i < 8; i++) {
            readstat_variable_t *v = readstat_add_variable(f.w, i == 6 && k ? "PS" : cols[i],
                                                           i == 0 || i == 6 ? READSTAT_TYPE_INT8 : READSTAT_TYPE_DOUBLE, 0);
            if (i == 6)
                readstat_variable_set_label_set(v, ls);
        }
        CHECK(wstart(&f, tmp(k ? "ps.dta" : "ecog.dta"), 5));
        for (i = 0; i < 5; i++) {
            int c;
            char id[16];
            snprintf(id, sizeof id, "g%d", i + 1);
            readstat_begin_row(f.w);
            readstat_insert_string_value(f.w, V(0), id);
            for (c = 0; c < 8; c++)
                if (c == 0 || c == 6)
                    readstat_insert_int8_value(f.w, V(c + 1), (int8_t)rows[i][c]);
                else
                    readstat_insert_double_value(f.w, V(c + 1), rows[i][c]);
            readstat_end_row(f.w);
        }
        CHECK(wend(&f));
    }
    /* The same rows as CSV, with the codes (sex as sarx's words). */
    out = fopen(tmp("ecog.csv"), "wb");
    fputs("id,sex,age_years,height_cm,weight_kg,grip_kg,gait_speed_m_s,ecog,weight_loss_pct_6m\n", out);
    for (i = 0; i < 5; i++)
        fprintf(out, "g%d,%s,%g,%g,%g,%g,%g,%g,%g\n", i + 1, rows[i][0] == 1 ? "male" : "female", rows[i][1],
                rows[i][2], rows[i][3], rows[i][4], rows[i][5], rows[i][6], rows[i][7]);
    fclose(out);
    /* (sex: 1 and 2 are not sarx's words; a value map says them, the same
    ** for the three runs) */
    out = fopen(tmp("ps-map.csv"), "wb");
    fputs("column,from,to\nsex,1,male\nsex,2,female\n", out);
    fclose(out);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' --map '%s' -o '%s' --errors '%s' >'%s' 2>'%s'", sarx, tmp("ecog.csv"),
             tmp("ps-map.csv"), tmp("ecog-csv-rows.csv"), tmp("ecog-csv-errors.csv"), tmp("ecog-csv-out.txt"),
             tmp("ecog-csv-err.txt"));
    CHECK_INT(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' --map '%s' -o '%s' --errors '%s' >'%s' 2>'%s'", sarx, tmp("ecog.dta"),
             tmp("ps-map.csv"), tmp("ecog-dta-rows.csv"), tmp("ecog-dta-errors.csv"), tmp("ecog-dta-out.txt"),
             tmp("ecog-dta-err.txt"));
    CHECK_INT(run(cmd), 0); /* (was 1: 'field "ecog": "Fully active" is not a number', 0 classified) */
    CHECK(same_files(tmp("ecog-csv-out.txt"), tmp("ecog-dta-out.txt")));
    CHECK(same_files(tmp("ecog-csv-rows.csv"), tmp("ecog-dta-rows.csv")));
    CHECK(same_files(tmp("ecog-csv-errors.csv"), tmp("ecog-dta-errors.csv")));
    {
        char *o = slurp(tmp("ecog-dta-out.txt"));
        CHECK(o && strstr(o, "cohort: 5 rows classified, 0 rejected\n") != NULL);
        free(o);
    }
    /* PS: its labels, and the map of docs/FILES.md takes them back. */
    out = fopen(tmp("ps-map.csv"), "ab");
    fputs("PS,ecog\nPS,Fully active,0\nPS,Restricted,1\nPS,Ambulatory,2\nPS,Limited self-care,3\nPS,Disabled,4\n",
          out);
    fclose(out);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' --map '%s' -o '%s' --errors '%s' >'%s' 2>'%s'", sarx, tmp("ps.dta"),
             tmp("ps-map.csv"), tmp("ps-rows.csv"), tmp("ps-errors.csv"), tmp("ps-out.txt"), tmp("ps-err.txt"));
    CHECK_INT(run(cmd), 0);
    CHECK(same_files(tmp("ecog-csv-out.txt"), tmp("ps-out.txt")));
    CHECK(same_files(tmp("ecog-csv-rows.csv"), tmp("ps-rows.csv")));
}

static void test_sarx(const char *sarx)
{
    wfile f;
    result r;
    char cmd[4096];
    int i, rc_csv, rc_dta;
    FILE *out;
    static const double rows[6][6] = {
        /* sex, age, height, weight, grip, gait */
        {1, 70, 175, 72.5, 24, 0.7}, {2, 81, 160, 51, 14, 0.6}, {1, 65, 180, 90, 40, 1.2},
        {2, 500, 160, 60, 20, 1.0}, /* age out of range: rejected, row 4 */
        {3, 72, 170, 70, 30, 1.0},  /* sex 3, no label: rejected, row 5 */
        {2, 77, 158, 55, 15, 0.7},
    };
    wbegin(&f, STATFILE_DTA);
    {
        readstat_label_set_t *ls = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "sexlab");
        readstat_label_int32_value(ls, 1, "male");
        readstat_label_int32_value(ls, 2, "Female");
        readstat_add_variable(f.w, "id", READSTAT_TYPE_STRING, 8);
        readstat_variable_set_label_set(readstat_add_variable(f.w, "sex", READSTAT_TYPE_INT8, 0), ls);
    }
    readstat_add_variable(f.w, "age_years", READSTAT_TYPE_INT16, 0);
    readstat_add_variable(f.w, "height_cm", READSTAT_TYPE_FLOAT, 0);
    readstat_add_variable(f.w, "weight_kg", READSTAT_TYPE_DOUBLE, 0);
    readstat_add_variable(f.w, "grip_kg", READSTAT_TYPE_FLOAT, 0);
    readstat_add_variable(f.w, "gait_speed_m_s", READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_set_format(readstat_add_variable(f.w, "assessment_date", READSTAT_TYPE_DOUBLE, 0), "%td");
    CHECK(wstart(&f, tmp("e2e.dta"), 6));
    for (i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "e%d", i + 1);
        readstat_begin_row(f.w);
        readstat_insert_string_value(f.w, V(0), id);
        readstat_insert_int8_value(f.w, V(1), (int8_t)rows[i][0]);
        readstat_insert_int16_value(f.w, V(2), (int16_t)rows[i][1]);
        readstat_insert_float_value(f.w, V(3), (float)rows[i][2]);
        if (i == 2)
            readstat_insert_missing_value(f.w, V(4)); /* missing: unknown, not rejected */
        else
            readstat_insert_double_value(f.w, V(4), rows[i][3]);
        readstat_insert_float_value(f.w, V(5), (float)rows[i][4]);
        readstat_insert_double_value(f.w, V(6), rows[i][5]);
        readstat_insert_double_value(f.w, V(7), 21989 + i);
        readstat_end_row(f.w);
    }
    CHECK(wend(&f));
    r = convert(tmp("e2e.dta"));
    out = fopen(tmp("e2e.csv"), "wb");
    fputs(r.csv, out);
    fclose(out);
    free(r.csv);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' -o '%s' --errors '%s' >'%s' 2>'%s'", sarx, tmp("e2e.csv"),
             tmp("csv-rows.csv"), tmp("csv-errors.csv"), tmp("csv-out.txt"), tmp("csv-err.txt"));
    rc_csv = run(cmd);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' -o '%s' --errors '%s' >'%s' 2>'%s'", sarx, tmp("e2e.dta"),
             tmp("dta-rows.csv"), tmp("dta-errors.csv"), tmp("dta-out.txt"), tmp("dta-err.txt"));
    rc_dta = run(cmd);
    CHECK_INT(rc_csv, 1); /* two rows rejected */
    {
        char *e = slurp(tmp("csv-errors.csv"));
        CHECK(e && strstr(e, "\n4,5,") && strstr(e, "\n5,6,")); /* rows 4 and 5 (lines 5 and 6) */
        free(e);
    }
    if (rc_dta == 2 && !same_text(tmp("csv-out.txt"), tmp("dta-out.txt"))) {
        printf("statfile: sarx cohort does not read .dta yet (exit 2), the end-to-end checks skipped\n");
        return;
    }
    CHECK_INT(rc_dta, rc_csv);
    CHECK(same_files(tmp("csv-out.txt"), tmp("dta-out.txt")));
    CHECK(same_files(tmp("csv-rows.csv"), tmp("dta-rows.csv")));
    CHECK(same_files(tmp("csv-errors.csv"), tmp("dta-errors.csv")));

    /* A truncated file: the rows before the cut classified, an error. */
    CHECK(write_rows_named(tmp("e2e-big.sav"), 3000, 3, (const char *const[]){"age_years", "height_cm", "weight_kg"}));
    truncate_copy(tmp("e2e-big.sav"), tmp("e2e-cut.sav"), 40001);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' >'%s' 2>'%s'", sarx, tmp("e2e-cut.sav"), tmp("cut-out.txt"),
             tmp("cut-err.txt"));
    CHECK_INT(run(cmd), 1);
    {
        char *e = slurp(tmp("cut-err.txt")), *o = slurp(tmp("cut-out.txt"));
        long n = -1, m = -2;
        char *p = e ? strstr(e, "e2e-cut.sav: read error after row ") : NULL;
        CHECK(p && sscanf(p, "e2e-cut.sav: read error after row %ld", &n) == 1);
        /* the rows before the cut, all counted: classified or rejected
        ** (ages under 18) */
        p = o ? strstr(o, " rows read: ") : NULL;
        while (p && p > o && p[-1] >= '0' && p[-1] <= '9')
            p--;
        CHECK(p && sscanf(p, "%ld rows read", &m) == 1 && m == n);
        free(e);
        free(o);
    }
    test_sarx_labels(sarx);

    /* Excel: said clearly. */
    out = fopen(tmp("book.xlsx"), "wb");
    fputs("PK\003\004", out);
    fclose(out);
    snprintf(cmd, sizeof cmd, "'%s' cohort '%s' >'%s' 2>'%s'", sarx, tmp("book.xlsx"), tmp("x-out.txt"),
             tmp("x-err.txt"));
    CHECK(run(cmd) != 0);
    {
        char *e = slurp(tmp("x-err.txt"));
        CHECK(e && strstr(e, "does not read spreadsheet") && strstr(e, "CSV"));
        free(e);
    }
}

int main(int argc, char **argv)
{
    int rc;
    if (argc != 2) {
        fprintf(stderr, "usage: statfile_sarx SARX\n");
        return 2;
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_sarx(argv[1]);
    rc = h_summary("statfile_sarx");
    return statkit_done(rc);
}
