/*
** vectors.h — what the vector runners share (tests/vectors.c): a case as
** loaded from tests/vectors/NAME.txt and the checks, for the runners of
** the SQL front ends in their own files (vectors_sqlite.c, vectors_pg.c).
** The counters are vectors.c's: a runner reports through these functions.
*/
#ifndef SARX_VECTORS_H
#define SARX_VECTORS_H

#include <stddef.h>

#define MAXX 32

typedef struct expect {
    char def[64], cat[64];
    int complete; /* -1 = not checked */
    int check_missing;
    char missing[512];
} expect;

typedef struct vcase {
    char name[256], cite[512];
    char *in;
    expect x[MAXX];
    int nx;
    char dname[MAXX][64];
    double dval[MAXX], dhi[MAXX]; /* dhi: the interval's upper end (dval its lower), equal for one value */
    int nd;
    struct {
        char def[64], crit[64];
        int status;      /* a sarx_tri */
        int provisional; /* -1: not checked */
    } k[MAXX];
    int nk;
    struct {
        char def[64], row[64], text[200];
    } note[MAXX];
    int nnote;
    struct {
        char text[200];
        int neg;
    } w[MAXX];
    int nw;
    char err_kind[32], err_field[64];
    struct {
        char kind[16], id[64];
        int neg, possible;
    } g[MAXX];
    int ng;
    struct {
        char id[64], text[256];
    } m[MAXX];
    int nm;
    char pname[MAXX][64];
    double pval[MAXX];
    int np;
    const char *file;
    int line;
} vcase;

/* One failure of case c (printf-style), or one passed check. */
void vec_fail(const vcase *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vec_pass(void);
/* One definition's outcome against expectation x, however it was obtained
** (missing: the inputs that would decide it). */
void vec_check_result(const vcase *c, const expect *x, const char *cat, int complete, const char *const *missing,
                      size_t nmissing);
/* Every check of case c against one line of `sarx assess --format json`
** (the whole result, or {"error": {...}} for an input error). */
void vec_check_line(const vcase *c, const char *line);

/* The SQL front ends: every case through the extension at path ext (a
** SQLite loadable extension), or through the sarx extension of the
** PostgreSQL database conninfo names. */
void vec_run_sqlite(const char *ext, vcase *cases, int n);
void vec_run_pg(const char *conninfo, vcase *cases, int n);

#endif
