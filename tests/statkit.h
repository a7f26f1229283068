/*
** statkit.h — what the Stata, SPSS and SAS tests share (tests/statfile.c,
** tests/statfile_sarx.c): files written with ReadStat's writer (no binary
** fixtures), the converter run on them, and small tools to compare what
** comes out.
*/
#ifndef SARX_TEST_STATKIT_H
#define SARX_TEST_STATKIT_H

#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <readstat.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../cli/statfile.h"


static char dir[] = "/tmp/sarx-statfile-XXXXXX";

static const char *tmp(const char *name)
{
    static char path[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

/* ---- converting ---- */

typedef struct result {
    int open_rc, close_rc;
    char *csv; /* what came out of the pipe */
    size_t len;
    long declared; /* statfile_rows_declared, as open returned */
    char msg[1024];
} result;

/* Convert path; keep at most `keep` bytes then close the pipe (a reader
** that gives up), or all of it with keep = 0. */
static inline result convert_some(const char *path, size_t keep)
{
    result r;
    statfile *s;
    int fd;
    size_t cap = 1 << 16;
    memset(&r, 0, sizeof r);
    r.csv = malloc(cap);
    r.csv[0] = '\0';
    r.open_rc = statfile_open(path, &s, &fd, r.msg, sizeof r.msg);
    if (r.open_rc != 0) {
        r.close_rc = -1;
        return r;
    }
    r.declared = statfile_rows_declared(s);
    for (;;) {
        ssize_t k;
        if (r.len + 4096 + 1 > cap)
            r.csv = realloc(r.csv, cap *= 2);
        k = read(fd, r.csv + r.len, 4096);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        r.len += (size_t)k;
        if (keep && r.len >= keep)
            break;
    }
    r.csv[r.len] = '\0';
    close(fd);
    r.close_rc = statfile_close(s, r.msg, sizeof r.msg);
    return r;
}

static inline result convert(const char *path)
{
    return convert_some(path, 0);
}

/* Byte for byte, and the difference said when there is one. */
static inline void expect_csv(const char *what, const char *path, const char *want)
{
    result r = convert(path);
    CHECK_INT(r.open_rc, 0);
    CHECK_INT(r.close_rc, 0);
    if (r.open_rc || r.close_rc)
        fprintf(stderr, "  %s: %s\n", what, r.msg);
    if (strcmp(r.csv, want) != 0) {
        h_fail++;
        fprintf(stderr, "FAIL %s: got\n%s---- expected\n%s----\n", what, r.csv, want);
    } else
        h_pass++;
    free(r.csv);
}

/* ---- writing files with ReadStat ---- */

static inline ssize_t to_fd(const void *data, size_t len, void *ctx)
{
    return write(*(int *)ctx, data, len);
}

typedef struct wfile {
    readstat_writer_t *w;
    int fd, kind;
} wfile;

static inline void writer_error(const char *msg, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "ReadStat writer: %s\n", msg);
}

static inline void wbegin(wfile *f, int kind)
{
    f->w = readstat_writer_init();
    f->kind = kind;
    f->fd = -1;
    readstat_set_data_writer(f->w, to_fd);
    readstat_writer_set_error_handler(f->w, writer_error);
}

static inline int wstart(wfile *f, const char *path, long rows)
{
    readstat_error_t e;
    f->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    switch (f->kind) {
    case STATFILE_DTA: e = readstat_begin_writing_dta(f->w, &f->fd, rows); break;
    case STATFILE_SAV: e = readstat_begin_writing_sav(f->w, &f->fd, rows); break;
    case STATFILE_POR: e = readstat_begin_writing_por(f->w, &f->fd, rows); break;
    case STATFILE_SAS7BDAT: e = readstat_begin_writing_sas7bdat(f->w, &f->fd, rows); break;
    default: e = readstat_begin_writing_xport(f->w, &f->fd, rows); break;
    }
    if (e != READSTAT_OK)
        fprintf(stderr, "writing %s: %s\n", path, readstat_error_message(e));
    return e == READSTAT_OK;
}

static inline int wend(wfile *f)
{
    readstat_error_t e = readstat_end_writing(f->w);
    if (e != READSTAT_OK)
        fprintf(stderr, "writing: %s\n", readstat_error_message(e));
    readstat_writer_free(f->w);
    close(f->fd);
    return e == READSTAT_OK;
}

#define V(i) readstat_get_variable(f.w, (i))

/* The same small cohort in each format: an id, sex with value labels (text
** in SAS files, which keep labels in a separate catalog), age, weight,
** grip, a date, a note.  Row 2 has missing values of each kind the format
** has; row 3 a sex code with no label and a date before 1960. */
static const char want_cohort[] = "id,sex,age_years,weight_kg,grip_kg,assessment_date,note\n"
                                  "p1,Male,70,72.5,30.1,2020-03-15,ok\n"
                                  "p2,Female,81,,,,\"says \"\"hi\"\", twice\"\n"
                                  "p3,3,65,0.1,28.5,1959-12-31,\n"
                                  "p4,,59,1e+20,0.333,2020-03-15,caf\xc3\xa9\n";
/* .por keeps numbers as base-30 text of limited precision (ReadStat's
** writer: 1e20 becomes 9.2e18): its row 4 has numbers it holds exactly. */
static const char por_row4[] = "p4,,59,150.25,0.5,2020-03-15,cafe\n";

/* SPSS portable files hold upper-case names of at most 8 characters. */
static const char *const names[7] = {"id", "sex", "age_years", "weight_kg", "grip_kg", "assessment_date", "note"};
static const char *const por_names[7] = {"ID", "SEX", "AGE", "WEIGHT", "GRIP", "ADATE", "NOTE"};
static const char por_header[] = "ID,SEX,AGE,WEIGHT,GRIP,ADATE,NOTE\n";

static inline int write_cohort(int kind, const char *path, int zsav)
{
    const char *const *nm = kind == STATFILE_POR ? por_names : names;
    wfile f;
    int sas = kind == STATFILE_SAS7BDAT || kind == STATFILE_XPORT;
    int spss = kind == STATFILE_SAV || kind == STATFILE_POR;
    const char *datefmt = kind == STATFILE_DTA ? "%td" : spss ? "DATE11" : "DATE9";
    double day[4] = {21989, 0, -1, 21989};
    const char *sexs[4] = {"Male", "Female", "3", ""};
    /* (the portable format's character set has no e-acute) */
    const char *notes[4] = {"ok", "says \"hi\", twice", "", kind == STATFILE_POR ? "cafe" : "caf\xc3\xa9"};
    readstat_variable_t *v;
    int i;
    wbegin(&f, kind);
    if (zsav)
        readstat_writer_set_compression(f.w, READSTAT_COMPRESS_BINARY);
    readstat_add_variable(f.w, nm[0], READSTAT_TYPE_STRING, 8);
    if (sas)
        readstat_add_variable(f.w, nm[1], READSTAT_TYPE_STRING, 8);
    else {
        readstat_label_set_t *ls = readstat_add_label_set(f.w, kind == STATFILE_DTA ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, "sexlab");
        if (kind == STATFILE_DTA) {
            readstat_label_int32_value(ls, 1, "Male");
            readstat_label_int32_value(ls, 2, "Female");
            readstat_label_tagged_value(ls, 'a', "refused");
        } else {
            readstat_label_double_value(ls, 1, "Male");
            readstat_label_double_value(ls, 2, "Female");
            readstat_label_double_value(ls, 9, "refused");
        }
        v = readstat_add_variable(f.w, nm[1], kind == STATFILE_DTA ? READSTAT_TYPE_INT8 : READSTAT_TYPE_DOUBLE, 0);
        readstat_variable_set_label_set(v, ls);
        if (spss)
            readstat_variable_add_missing_double_value(v, 9);
    }
    readstat_add_variable(f.w, nm[2], kind == STATFILE_DTA ? READSTAT_TYPE_INT16 : READSTAT_TYPE_DOUBLE, 0);
    readstat_add_variable(f.w, nm[3], READSTAT_TYPE_DOUBLE, 0);
    v = readstat_add_variable(f.w, nm[4], kind == STATFILE_DTA ? READSTAT_TYPE_FLOAT : READSTAT_TYPE_DOUBLE, 0);
    if (spss)
        readstat_variable_add_missing_double_value(v, -99);
    v = readstat_add_variable(f.w, nm[5], READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_set_format(v, datefmt);
    readstat_add_variable(f.w, nm[6], READSTAT_TYPE_STRING, 24);
    if (!wstart(&f, path, 4))
        return 0;
    for (i = 0; i < 4; i++) {
        double d = spss ? (day[i] + 141428 - 3653) * 86400 : day[i];
        readstat_begin_row(f.w);
        readstat_insert_string_value(f.w, V(0), (const char *[]){"p1", "p2", "p3", "p4"}[i]);
        if (sas)
            readstat_insert_string_value(f.w, V(1), sexs[i]);
        else if (kind == STATFILE_DTA) {
            if (i == 3)
                readstat_insert_tagged_missing_value(f.w, V(1), 'a'); /* .a "refused": missing */
            else
                readstat_insert_int8_value(f.w, V(1), (int8_t)(i + 1));
        } else
            readstat_insert_double_value(f.w, V(1), i == 3 ? 9 : i + 1); /* 9: user-missing */
        if (kind == STATFILE_DTA)
            readstat_insert_int16_value(f.w, V(2), (int16_t)(int[]){70, 81, 65, 59}[i]);
        else
            readstat_insert_double_value(f.w, V(2), (double[]){70, 81, 65, 59}[i]);
        if (i == 1)
            readstat_insert_missing_value(f.w, V(3));
        else
            readstat_insert_double_value(f.w, V(3), (double[]){72.5, 0, 0.1, kind == STATFILE_POR ? 150.25 : 1e20}[i]);
        if (i == 1) {
            if (spss)
                readstat_insert_double_value(f.w, V(4), -99); /* user-missing */
            else
                readstat_insert_tagged_missing_value(f.w, V(4), kind == STATFILE_DTA ? 'b' : 'B');
        } else if (kind == STATFILE_DTA)
            readstat_insert_float_value(f.w, V(4), (float[]){30.1f, 0, 28.5f, 0.333f}[i]);
        else
            readstat_insert_double_value(f.w, V(4), (double[]){30.1, 0, 28.5, kind == STATFILE_POR ? 0.5 : 0.333}[i]);
        if (i == 1)
            readstat_insert_missing_value(f.w, V(5));
        else
            readstat_insert_double_value(f.w, V(5), d);
        readstat_insert_string_value(f.w, V(6), notes[i]);
        readstat_end_row(f.w);
    }
    return wend(&f);
}

/* A file with many rows (the pipe fills up more than once). */
static inline int write_rows_named(const char *path, long rows, int ncol, const char *const *names);

static inline int write_rows(const char *path, long rows, int ncol)
{
    return write_rows_named(path, rows, ncol, NULL);
}

static inline int write_rows_named(const char *path, long rows, int ncol, const char *const *colnames)
{
    wfile f;
    long r;
    int c;
    char name[16];
    wbegin(&f, statfile_kind(path));
    for (c = 0; c < ncol; c++) {
        snprintf(name, sizeof name, "X%d", c); /* a name .por takes */
        readstat_add_variable(f.w, colnames ? colnames[c] : name, READSTAT_TYPE_DOUBLE, 0);
    }
    if (!wstart(&f, path, rows))
        return 0;
    for (r = 0; r < rows; r++) {
        readstat_begin_row(f.w);
        for (c = 0; c < ncol; c++)
            readstat_insert_double_value(f.w, V(c), (double)(r % 1000) / 10 + c);
        readstat_end_row(f.w);
    }
    return wend(&f);
}

static inline int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Rows r..: "x0,x1,x2" as write_rows made them. */
static inline int rows_ok(const char *csv, long nrows)
{
    const char *p = strchr(csv, '\n');
    long r;
    for (r = 0; r < nrows; r++) {
        char want[96];
        int n = snprintf(want, sizeof want, "%g,%g,%g\n", (double)(r % 1000) / 10, (double)(r % 1000) / 10 + 1,
                         (double)(r % 1000) / 10 + 2);
        if (!p || strncmp(p + 1, want, (size_t)n) != 0)
            return 0;
        p = strchr(p + 1, '\n');
    }
    return p && p[1] == '\0';
}

static inline void truncate_copy(const char *from, const char *to, long size)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char buf[65536];
    long left = size;
    while (left > 0) {
        ssize_t k = read(in, buf, left < (long)sizeof buf ? (size_t)left : sizeof buf);
        if (k <= 0)
            break;
        if (write(out, buf, (size_t)k) != k)
            break;
        left -= k;
    }
    close(in);
    close(out);
}

static inline int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    p[fread(p, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return p;
}

static inline int same_text(const char *a, const char *b)
{
    char *x = slurp(a), *y = slurp(b);
    int same = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

static inline int same_files(const char *a, const char *b)
{
    int same = same_text(a, b);
    if (!same)
        fprintf(stderr, "  %s and %s differ\n", a, b);
    return same;
}

/* The end of a program: its files removed (kept with STATFILE_KEEP, for
** debugging); returns rc. */
static inline int statkit_done(int rc)
{
    char cmd[600];
    if (getenv("STATFILE_KEEP"))
        return rc;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return rc;
}

#endif
