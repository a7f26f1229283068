/*
** statfile.c — Stata, SPSS and SAS files as CSV (cli/statfile.c): kinds,
** formats, dates, numbers, declared types, value labels, UTF-8, errors,
** damaged files, and a pandas-written .dta where python3 has pandas.
** `sarx cohort` on such files end to end is tests/statfile_sarx.c.
**
**   statfile                 the converter
**   statfile --bench N       convert N rows x 10 numbers of .dta, rows/s
**
** Every file is written here with ReadStat's writer (no binary fixtures).
** Each converted file is compared with its expected CSV byte for byte.
*/
#define _GNU_SOURCE
#include "statkit.h"

static void test_kind(void)
{
    CHECK_INT(statfile_kind("a.dta"), STATFILE_DTA);
    CHECK_INT(statfile_kind("dir/A.DTA"), STATFILE_DTA);
    CHECK_INT(statfile_kind("x.sav"), STATFILE_SAV);
    CHECK_INT(statfile_kind("x.ZSav"), STATFILE_SAV);
    CHECK_INT(statfile_kind("x.por"), STATFILE_POR);
    CHECK_INT(statfile_kind("x.sas7bdat"), STATFILE_SAS7BDAT);
    CHECK_INT(statfile_kind("x.XPT"), STATFILE_XPORT);
    CHECK_INT(statfile_kind("x.xlsx"), STATFILE_EXCEL);
    CHECK_INT(statfile_kind("x.XLS"), STATFILE_EXCEL);
    CHECK_INT(statfile_kind("x.xlsm"), STATFILE_EXCEL);
    CHECK_INT(statfile_kind("x.ods"), STATFILE_EXCEL);
    CHECK_INT(statfile_kind("x.csv"), STATFILE_NONE);
    CHECK_INT(statfile_kind("x.tsv"), STATFILE_NONE);
    CHECK_INT(statfile_kind("-"), STATFILE_NONE);
    CHECK_INT(statfile_kind("dta"), STATFILE_NONE);
    CHECK_INT(statfile_kind("a.dta/rows"), STATFILE_NONE);
    CHECK_INT(statfile_kind("x.dta.csv"), STATFILE_NONE);
    CHECK(strstr(statfile_excel_message("x.xlsx"), "does not read") != NULL);
    CHECK(strstr(statfile_excel_message("x.xlsx"), ".xlsx") != NULL);
    CHECK(strstr(statfile_excel_message("x.xlsx"), "CSV") != NULL);
}

static void test_formats(void)
{
    static const struct {
        int kind, zsav;
        const char *name;
    } f[] = {
        {STATFILE_DTA, 0, "c.dta"},      {STATFILE_SAV, 0, "c.sav"},  {STATFILE_SAV, 1, "c.zsav"},
        {STATFILE_POR, 0, "c.por"},      {STATFILE_SAS7BDAT, 0, "c.sas7bdat"}, {STATFILE_XPORT, 0, "c.xpt"},
    };
    size_t i;
    for (i = 0; i < sizeof f / sizeof f[0]; i++) {
        int ok = write_cohort(f[i].kind, tmp(f[i].name), f[i].zsav);
        CHECK(ok);
        if (ok && f[i].kind == STATFILE_POR) {
            char want[sizeof want_cohort + sizeof por_header];
            snprintf(want, sizeof want, "%s%s", por_header, strchr(want_cohort, '\n') + 1);
            strcpy(strstr(want, "p4,"), por_row4);
            expect_csv(f[i].name, tmp(f[i].name), want);
        } else if (ok)
            expect_csv(f[i].name, tmp(f[i].name), want_cohort);
    }
}

/* Dates: leap days, the edges of 0001-9999 (outside: the number), a
** date-time of Stata (%tc, milliseconds) and of SPSS and SAS (seconds),
** a fraction of a day. */
static void test_dates(void)
{
    wfile f;
    int i;
    static const double td[] = {14669, -94904, -94903, -715509, 2936549, 2936550, -715510, 21989.75, -0.5};
    static const char want_dta[] = "d,tc\n"
                                   "2000-02-29,2020-03-15\n"
                                   "1700-02-28,1959-12-31\n"
                                   "1700-03-01,1960-01-01\n"
                                   "0001-01-01,\n"
                                   "9999-12-31,\n"
                                   "2936550,\n"
                                   "-715510,\n"
                                   "2020-03-15,\n"
                                   "1959-12-31,\n";
    wbegin(&f, STATFILE_DTA);
    readstat_variable_set_format(readstat_add_variable(f.w, "d", READSTAT_TYPE_DOUBLE, 0), "%td");
    readstat_variable_set_format(readstat_add_variable(f.w, "tc", READSTAT_TYPE_DOUBLE, 0), "%tcCCYY-NN-DD_HH:MM:SS");
    CHECK(wstart(&f, tmp("d.dta"), 9));
    for (i = 0; i < 9; i++) {
        readstat_begin_row(f.w);
        readstat_insert_double_value(f.w, V(0), td[i]);
        if (i < 3)
            readstat_insert_double_value(f.w, V(1), (double[]){21989 * 86400000.0 + 86399999, -1, 0}[i]);
        else
            readstat_insert_missing_value(f.w, V(1));
        readstat_end_row(f.w);
    }
    CHECK(wend(&f));
    expect_csv("dates.dta", tmp("d.dta"), want_dta);

    /* SPSS DATETIME and ADATE; SAS DATETIME and YYMMDD10. */
    wbegin(&f, STATFILE_SAV);
    readstat_variable_set_format(readstat_add_variable(f.w, "dt", READSTAT_TYPE_DOUBLE, 0), "DATETIME20");
    readstat_variable_set_format(readstat_add_variable(f.w, "ad", READSTAT_TYPE_DOUBLE, 0), "ADATE10");
    readstat_variable_set_format(readstat_add_variable(f.w, "t", READSTAT_TYPE_DOUBLE, 0), "TIME8");
    CHECK(wstart(&f, tmp("d.sav"), 1));
    readstat_begin_row(f.w);
    readstat_insert_double_value(f.w, V(0), 13803609600.0 + 86399);
    readstat_insert_double_value(f.w, V(1), 13803609600.0);
    readstat_insert_double_value(f.w, V(2), 3600);
    readstat_end_row(f.w);
    CHECK(wend(&f));
    expect_csv("dates.sav", tmp("d.sav"), "dt,ad,t\n2020-03-15,2020-03-15,3600\n");

    wbegin(&f, STATFILE_SAS7BDAT);
    readstat_variable_set_format(readstat_add_variable(f.w, "dt", READSTAT_TYPE_DOUBLE, 0), "DATETIME20");
    readstat_variable_set_format(readstat_add_variable(f.w, "ymd", READSTAT_TYPE_DOUBLE, 0), "YYMMDD10");
    readstat_variable_set_format(readstat_add_variable(f.w, "yr", READSTAT_TYPE_DOUBLE, 0), "YEAR4");
    CHECK(wstart(&f, tmp("d.sas7bdat"), 1));
    readstat_begin_row(f.w);
    readstat_insert_double_value(f.w, V(0), 21989 * 86400.0 + 43200);
    readstat_insert_double_value(f.w, V(1), 21989);
    readstat_insert_double_value(f.w, V(2), 21989);
    readstat_end_row(f.w);
    CHECK(wend(&f));
    expect_csv("dates.sas7bdat", tmp("d.sas7bdat"), "dt,ymd,yr\n2020-03-15,2020-03-15,21989\n");
}

/* Numbers read back as the same value; floats as the float's shortest. */
static void test_numbers(void)
{
    static const double d[] = {72.5, 0.1, 1.0 / 3, -0.000123, 123456789.123, 9007199254740993.0, 1e-300,
                               -1.7976931348623157e308, 5e-324, 999999999.9999999, -0.0, 0.30000000000000004};
    static const float fl[] = {0.1f, 30.1f, 1.0f / 3, 16777217.0f, 1e-30f, 1.7e38f} /* Stata floats above 1.7e38 are missing codes */;
    enum { ND = sizeof d / sizeof d[0], NF = sizeof fl / sizeof fl[0] };
    wfile f;
    result r;
    int i;
    wbegin(&f, STATFILE_DTA);
    readstat_add_variable(f.w, "d", READSTAT_TYPE_DOUBLE, 0);
    readstat_add_variable(f.w, "f", READSTAT_TYPE_FLOAT, 0);
    CHECK(wstart(&f, tmp("n.dta"), ND));
    for (i = 0; i < ND; i++) {
        readstat_begin_row(f.w);
        readstat_insert_double_value(f.w, V(0), d[i]);
        readstat_insert_float_value(f.w, V(1), i < NF ? fl[i] : 0.5f);
        readstat_end_row(f.w);
    }
    CHECK(wend(&f));
    r = convert(tmp("n.dta"));
    CHECK_INT(r.open_rc, 0);
    CHECK_INT(r.close_rc, 0);
    {
        char *line = strchr(r.csv, '\n');
        for (i = 0; i < ND && line && line[1]; i++) {
            char *end;
            double x = strtod(line + 1, &end);
            float y = strtof(end + 1, NULL);
            CHECK(x == d[i] && *end == ',');
            CHECK(y == (i < NF ? fl[i] : 0.5f));
            line = strchr(line + 1, '\n');
        }
        CHECK_INT(i, ND);
    }
    /* Shortest: the decimals a person typed, not 17 digits. */
    {
        static const char head[] = "d,f\n72.5,0.1\n0.1,30.1\n0.3333333333333333,0.33333334\n-0.000123,16777216\n";
        CHECK(strncmp(r.csv, head, sizeof head - 1) == 0);
    }
    CHECK(strstr(r.csv, "\n123456789.123,") != NULL);
    CHECK(strstr(r.csv, "\n0,0.5\n") != NULL); /* -0 */
    CHECK(strstr(r.csv, "\n0.30000000000000004,0.5\n") != NULL);
    free(r.csv);

    /* The process's locale does not matter (a decimal comma locale). */
    if (setlocale(LC_ALL, "de_DE.UTF-8") || setlocale(LC_ALL, "de_DE.utf8")) {
        expect_csv("cohort under de_DE", tmp("c.dta"), want_cohort);
        setlocale(LC_ALL, "C");
    } else
        printf("statfile: no de_DE locale, the locale check skipped\n");
}

/* The rows a file says it has, known when statfile_open returns (-1 for
** the formats that do not say). */
static void test_declared(void)
{
    static const struct {
        const char *name;
        long rows;
    } f[] = {{"c.dta", 4}, {"c.sav", 4}, {"c.zsav", 4}, {"c.por", -1}, {"c.sas7bdat", 4}, {"c.xpt", -1}};
    size_t i;
    for (i = 0; i < sizeof f / sizeof f[0]; i++) {
        result r = convert(tmp(f[i].name));
        CHECK_INT(r.open_rc, 0);
        if (r.declared != f[i].rows)
            fprintf(stderr, "  %s: declares %ld rows\n", f[i].name, r.declared);
        CHECK_INT(r.declared, f[i].rows);
        free(r.csv);
    }
    CHECK_INT(statfile_rows_declared(NULL), -1);
}

/* A labelled variable named as a field that takes a number keeps its
** codes (ecog 0 "Fully active": 0, which sarx reads; "Fully active" it
** would reject); a true/false field keeps 0 and 1 and gives the label of
** other codes, unless its labels say the opposite of 0 and 1; words
** (sex) and other names give the label.  Names as sarx cohort compares
** them: any case. */
static void test_labels(void)
{
    wfile f;
    int i;
    readstat_label_set_t *ecog, *item, *yn, *ny, *rev, *sex;
    /* ecog, SARC_F_Strength, cancer (0 no 1 yes), dialysis (1 Yes 2 No),
    ** fatigue (0 "yes" 1 "no": reversed), sex, PS (not a field), grp
    ** (not a field: the same labels as ecog) */
    static const int codes[3][8] = {{0, 2, 1, 1, 0, 1, 0, 1}, {1, 0, 0, 2, 1, 2, 1, 3}, {3, 1, 0, 1, 1, 1, 4, 0}};
    wbegin(&f, STATFILE_DTA);
    ecog = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "ecoglab");
    readstat_label_int32_value(ecog, 0, "Fully active");
    readstat_label_int32_value(ecog, 1, "Restricted");
    readstat_label_int32_value(ecog, 2, "Ambulatory");
    item = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "itemlab");
    readstat_label_int32_value(item, 0, "None");
    readstat_label_int32_value(item, 1, "Some");
    readstat_label_int32_value(item, 2, "A lot");
    yn = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "yn");
    readstat_label_int32_value(yn, 0, "no");
    readstat_label_int32_value(yn, 1, "yes");
    ny = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "yes1no2");
    readstat_label_int32_value(ny, 1, "Yes");
    readstat_label_int32_value(ny, 2, "No");
    rev = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "rev");
    readstat_label_int32_value(rev, 0, " Yes");
    readstat_label_int32_value(rev, 1, "NO");
    sex = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "sexlab");
    readstat_label_int32_value(sex, 1, "Male");
    readstat_label_int32_value(sex, 2, "Female");
    readstat_add_variable(f.w, "id", READSTAT_TYPE_STRING, 8);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "ecog", READSTAT_TYPE_INT8, 0), ecog);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "SARC_F_Strength", READSTAT_TYPE_INT8, 0), item);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "cancer", READSTAT_TYPE_INT8, 0), yn);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "dialysis", READSTAT_TYPE_INT8, 0), ny);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "fatigue", READSTAT_TYPE_INT8, 0), rev);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "sex", READSTAT_TYPE_INT8, 0), sex);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "PS", READSTAT_TYPE_INT8, 0), ecog);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "sppb_score", READSTAT_TYPE_FLOAT, 0), item);
    CHECK(wstart(&f, tmp("lab.dta"), 3));
    for (i = 0; i < 3; i++) {
        int c;
        readstat_begin_row(f.w);
        readstat_insert_string_value(f.w, V(0), (const char *[]){"a1", "a2", "a3"}[i]);
        for (c = 0; c < 7; c++)
            readstat_insert_int8_value(f.w, V(c + 1), (int8_t)codes[i][c]);
        if (i == 2)
            readstat_insert_missing_value(f.w, V(8));
        else
            readstat_insert_float_value(f.w, V(8), (float)codes[i][7]);
        readstat_end_row(f.w);
    }
    CHECK(wend(&f));
    expect_csv("labels.dta", tmp("lab.dta"),
               "id,ecog,SARC_F_Strength,cancer,dialysis,fatigue,sex,PS,sppb_score\n"
               "a1,0,2,1,1, Yes,Male,Fully active,1\n"
               "a2,1,0,0,No,NO,Female,Restricted,3\n"
               "a3,3,1,0,1,NO,Male,4,\n");
}

/* Text that is not valid UTF-8 in a file that says it is (a Stata 14+
** .dta: ReadStat passes its bytes through): each bad byte becomes U+FFFD,
** in values, value labels and names alike; valid text stays as it is. */
static void test_utf8(void)
{
    wfile f;
    readstat_label_set_t *ls;
    int i;
    static const char *const txt[4] = {
        "caf\xe9",                 /* Latin-1 */
        "ok\xc3",                  /* a str# cut inside a character */
        "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", /* valid: e-acute, euro, an emoji */
        "\xed\xa0\x80,\xc0\xaf\xf4\x90\x80\x80", /* a surrogate, an overlong '/', above U+10FFFF */
    };
    wbegin(&f, STATFILE_DTA);
    readstat_writer_set_file_format_version(f.w, 118);
    ls = readstat_add_label_set(f.w, READSTAT_TYPE_INT32, "grplab");
    readstat_label_int32_value(ls, 1, "Gr\xfcn");
    readstat_label_int32_value(ls, 2, "gr\xc3\xbcn");
    readstat_add_variable(f.w, "note", READSTAT_TYPE_STRING, 16);
    readstat_variable_set_label_set(readstat_add_variable(f.w, "grp", READSTAT_TYPE_INT8, 0), ls);
    readstat_add_variable(f.w, "n\xe4me", READSTAT_TYPE_INT8, 0);
    CHECK(wstart(&f, tmp("bad-utf8.dta"), 4));
    for (i = 0; i < 4; i++) {
        readstat_begin_row(f.w);
        readstat_insert_string_value(f.w, V(0), txt[i]);
        readstat_insert_int8_value(f.w, V(1), (int8_t)(1 + i % 2));
        readstat_insert_int8_value(f.w, V(2), (int8_t)i);
        readstat_end_row(f.w);
    }
    CHECK(wend(&f));
    expect_csv("bad-utf8.dta", tmp("bad-utf8.dta"),
               "note,grp,n\xef\xbf\xbdme\n"
               "caf\xef\xbf\xbd,Gr\xef\xbf\xbdn,0\n"
               "ok\xef\xbf\xbd,gr\xc3\xbcn,1\n"
               "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80,Gr\xef\xbf\xbdn,2\n"
               "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd,\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",gr\xc3\xbcn,3\n");
}

/* Bad files: a clear message, never a crash, never part of a row. */
static void test_errors(void)
{
    static const char *const bigs[] = {"big.dta", "big.sav", "big.por", "big.sas7bdat", "big.xpt"};
    result r;
    size_t i;
    int fd, k, wrote;

    r = convert(tmp("absent.dta"));
    CHECK(r.open_rc != 0);
    CHECK(strstr(r.msg, "absent.dta: No such file or directory") != NULL);
    free(r.csv);
    mkdir(tmp("dir.sav"), 0755);
    r = convert(tmp("dir.sav"));
    CHECK(r.open_rc != 0);
    CHECK(strstr(r.msg, "dir.sav: Is a directory") != NULL);
    free(r.csv);
    r = convert(tmp("x.csv"));
    CHECK(r.open_rc != 0);
    free(r.csv);

    /* Not a file of its kind: text, empty, random bytes. */
    for (i = 0; i < 5; i++) {
        char name[32];
        const char *ext = strchr(bigs[i], '.');
        snprintf(name, sizeof name, "text%s", ext);
        fd = open(tmp(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        for (k = 0, wrote = 0; k < 300; k++) /* longer than any header */
            wrote += write(fd, "id,sex\n1,male\n", 14) == 14;
        CHECK_INT(wrote, 300);
        close(fd);
        r = convert(tmp(name));
        CHECK(r.open_rc != 0 || r.close_rc != 0);
        CHECK(r.open_rc == 0 || strstr(r.msg, "not a valid ") != NULL);
        CHECK(strchr(r.msg, '\n') == NULL); /* one line, whatever ReadStat quotes */
        if (r.open_rc == 0)
            fprintf(stderr, "note: %s opened: %s\n", name, r.msg);
        free(r.csv);
        snprintf(name, sizeof name, "empty%s", ext);
        close(open(tmp(name), O_WRONLY | O_CREAT | O_TRUNC, 0644));
        r = convert(tmp(name));
        CHECK(r.open_rc != 0);
        CHECK(strstr(r.msg, "not a ") != NULL);
        free(r.csv);
    }

    /* Truncated at several places: the rows before the cut, whole, and an
    ** error that says how many; or, cut in the header, not a valid file. */
    for (i = 0; i < sizeof bigs / sizeof bigs[0]; i++) {
        struct stat st;
        long cut;
        if (!write_rows(tmp(bigs[i]), 3000, 3)) {
            h_fail++;
            fprintf(stderr, "FAIL: cannot write %s\n", bigs[i]);
            continue;
        }
        r = convert(tmp(bigs[i]));
        CHECK_INT(r.close_rc, 0);
        CHECK_INT(count_lines(r.csv), 3001);
        CHECK(rows_ok(r.csv, 3000));
        free(r.csv);
        stat(tmp(bigs[i]), &st);
        for (k = 1; k <= 7; k++) {
            char name[48], *p;
            long nrows = -1;
            cut = (long)st.st_size * k / 8 + k; /* not on a row boundary */
            if (cut % 80 == 0) /* nor on an .xpt record's */
                cut++;
            snprintf(name, sizeof name, "cut%d-%s", k, bigs[i]);
            truncate_copy(tmp(bigs[i]), tmp(name), cut);
            r = convert(tmp(name));
            if (r.open_rc != 0) { /* (.dta 117+: ReadStat reads past the rows first) */
                CHECK(strstr(r.msg, "not a ") != NULL || strstr(r.msg, "a damaged or truncated ") != NULL);
            } else {
                CHECK(r.close_rc != 0);
                if (r.close_rc == 0)
                    fprintf(stderr, "  %s: no error, %d lines\n", name, count_lines(r.csv));
                p = strstr(r.msg, "read error ");
                CHECK(p != NULL);
                if (p && sscanf(p, "read error after row %ld", &nrows) != 1 && strstr(p, "no row was read"))
                    nrows = 0;
                CHECK_INT(count_lines(r.csv), nrows + 1);
                CHECK(nrows >= 0 && rows_ok(r.csv, nrows));
            }
            free(r.csv);
        }
    }

    /* A .dta file keeps its value labels at its end: cut short, its rows
    ** cannot be told with their labels, and none is given. */
    {
        struct stat st;
        stat(tmp("c.dta"), &st);
        truncate_copy(tmp("c.dta"), tmp("cut-labels.dta"), (long)st.st_size - 40);
        r = convert(tmp("cut-labels.dta"));
        CHECK(r.open_rc != 0);
        CHECK(strstr(r.msg, "cut-labels.dta: a damaged or truncated Stata (.dta) file") != NULL);
        CHECK_INT((long)r.len, 0);
        free(r.csv);
    }

    /* A reader that gives up: closes the pipe early, nothing hangs. */
    CHECK(write_rows(tmp("many.dta"), 200000, 3));
    r = convert_some(tmp("many.dta"), 1000);
    CHECK_INT(r.open_rc, 0);
    CHECK_INT(r.close_rc, 0);
    CHECK(r.len >= 1000 && r.len < 4 * 1024 * 1024);
    free(r.csv);

    /* No rows: the header alone. */
    {
        wfile f;
        wbegin(&f, STATFILE_SAV);
        readstat_add_variable(f.w, "sex", READSTAT_TYPE_DOUBLE, 0);
        readstat_add_variable(f.w, "age", READSTAT_TYPE_DOUBLE, 0);
        CHECK(wstart(&f, tmp("none.sav"), 0));
        CHECK(wend(&f));
        expect_csv("no rows", tmp("none.sav"), "sex,age\n");
    }
}

/* Damaged files (bytes overwritten at random, the same each run): a
** message or rows, never a crash, never part of a row. */
static void test_damage(void)
{
    static const char *const files[] = {"c.dta", "c.sav", "c.zsav", "c.por", "c.sas7bdat", "c.xpt"};
    unsigned long long rng = 27;
    size_t i;
    int k, j, bad = 0, said = 0, whole = 0;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *orig;
        long size;
        FILE *in = fopen(tmp(files[i]), "rb");
        if (!in)
            continue;
        fseek(in, 0, SEEK_END);
        size = ftell(in);
        fseek(in, 0, SEEK_SET);
        orig = malloc((size_t)size);
        if (fread(orig, 1, (size_t)size, in) != (size_t)size)
            size = 0;
        fclose(in);
        for (k = 0; k < 40 && size > 0; k++) {
            char name[32];
            FILE *out;
            result r;
            int nflip = 1 + k % 8;
            snprintf(name, sizeof name, "damaged%s", strchr(files[i], '.'));
            out = fopen(tmp(name), "wb");
            for (j = 0; j < nflip; j++) {
                rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
                orig[(rng >> 33) % (unsigned long long)size] ^= (char)(1 + (rng >> 20) % 255);
            }
            fwrite(orig, 1, (size_t)size, out);
            fclose(out);
            r = convert(tmp(name));
            if (r.open_rc != 0 || r.close_rc != 0)
                said += r.msg[0] != '\0';
            else
                whole++;
            if ((r.open_rc != 0 || r.close_rc != 0) && !r.msg[0])
                bad++;
            if (r.len > 0 && r.csv[r.len - 1] != '\n')
                bad++;
            free(r.csv);
            /* back to the original bytes for the next round */
            in = fopen(tmp(files[i]), "rb");
            if (fread(orig, 1, (size_t)size, in) != (size_t)size)
                bad++;
            fclose(in);
        }
        free(orig);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(said + whole, 240);
    printf("statfile: 240 damaged files: %d refused with a message, %d read whole\n", said, whole);
}

/* A .dta written by pandas (DataFrame.to_stata), where python3 has it. */
static void test_pandas(void)
{
    char cmd[2048];
    int rc;
    snprintf(cmd, sizeof cmd,
             /* Debian's python3 first: a python3 of its own (pyenv) on the
             ** PATH usually has no pandas */
             "for py in /usr/bin/python3 python3; do $py - '%s' 2>%s <<'EOF' && exit 0\n"
             "import sys\n"
             "import pandas as pd\n"
             "df = pd.DataFrame({\n"
             "    'id': ['a1', 'a2', 'a3'],\n"
             "    'sex': pd.Categorical(['Female', 'Male', None], categories=['Male', 'Female']),\n"
             "    'age_years': pd.Series([70, 81, 65], dtype='int16'),\n"
             "    'weight_kg': [72.5, float('nan'), 0.1],\n"
             "    'grip_kg': pd.Series([30.1, 28.5, float('nan')], dtype='float32'),\n"
             "    'assessment_date': pd.to_datetime(['2020-03-15', None, '1959-12-31']),\n"
             "})\n"
             "df.to_stata(sys.argv[1], write_index=False, convert_dates={'assessment_date': 'td'}, version=118)\n"
             "EOF\n"
             "done; exit 1",
             tmp("pandas.dta"), tmp("pandas.err"));
    rc = system(cmd);
    if (rc != 0) {
        printf("statfile: python3 with pandas not available, the pandas .dta check skipped\n");
        return;
    }
    expect_csv("pandas.dta", tmp("pandas.dta"),
               "id,sex,age_years,weight_kg,grip_kg,assessment_date\n"
               "a1,Female,70,72.5,30.1,2020-03-15\n"
               "a2,Male,81,,28.5,\n"
               "a3,,65,0.1,,1959-12-31\n");
}

/* ---- speed ---- */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int bench(long rows)
{
    wfile f;
    long r;
    int c;
    double t0, t1, t2;
    result res;
    char name[16];
    /* 10 columns: ages, weights, grips with one decimal, a few integers. */
    wbegin(&f, STATFILE_DTA);
    for (c = 0; c < 10; c++) {
        snprintf(name, sizeof name, "x%d", c);
        readstat_add_variable(f.w, name, READSTAT_TYPE_DOUBLE, 0);
    }
    t0 = now();
    if (!wstart(&f, tmp("bench.dta"), rows))
        return 1;
    for (r = 0; r < rows; r++) {
        readstat_begin_row(f.w);
        for (c = 0; c < 10; c++)
            readstat_insert_double_value(f.w, V(c), c < 3 ? (double)((r * 7 + c) % 90 + 18)
                                                          : (double)((r * 13 + c * 101) % 1500) / 10 + 20);
        readstat_end_row(f.w);
    }
    wend(&f);
    t1 = now();
    res = convert(tmp("bench.dta"));
    t2 = now();
    printf("wrote %ld rows x 10 in %.2f s; converted in %.2f s: %.0f rows/s, %.1f MB CSV (%d lines), rc %d/%d\n",
           rows, t1 - t0, t2 - t1, (double)rows / (t2 - t1), (double)res.len / 1e6, count_lines(res.csv),
           res.open_rc, res.close_rc);
    free(res.csv);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    if (argc == 3 && strcmp(argv[1], "--bench") == 0)
        rc = bench(atol(argv[2]));
    else {
        test_kind();
        test_formats();
        test_dates();
        test_numbers();
        test_declared();
        test_labels();
        test_utf8();
        test_errors();
        test_damage();
        test_pandas();
        rc = h_summary("statfile");
    }
    return statkit_done(rc);
}
