/*
** cohort_header.c — the header of `sarx cohort` (cohort_run.c reads it): the
** delimiter found from it when none is given, a header in which no column
** is a field sarx knows refused with the columns seen and the delimiter
** that would give known ones, and its cells kept for errors.csv.
*/
#include "cohort_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The header read under one delimiter, from a copy of its text (the reader
** writes into the text it reads in place). */
typedef struct header {
    char *copy;
    sarx_csv *csv;
    char **f;
    size_t *l, n;
    long known; /* columns that name a field sarx knows; -1: not one whole record under this delimiter */
    int missing; /* a column that the options (--map, --rename) name is not in it (known is then 0) */
} header;

static void header_free(header *h)
{
    sarx_csv_free(h->csv);
    free(h->copy);
    h->csv = NULL;
    h->copy = NULL;
}

/* Read the header, at the start of text (len bytes, eof when that is all
** there is), under delimiter d.  Returns 0 (h->known -1 when the header is
** not one whole record there under d), or 1 when out of memory (said). */
static int header_read(header *h, const cohort_opts *o, const char *text, size_t len, int eof, char d)
{
    long hr, hl;
    size_t hn = sarx_csv_complete(text, len, d, eof, 1, &hr, &hl);
    sarx_cohort *c;
    sarx_error e;
    memset(h, 0, sizeof *h);
    h->known = -1;
    if (hr != 1)
        return 0;
    if (!(h->copy = malloc(hn + 1))) {
        fprintf(stderr, "sarx: out of memory\n");
        return 1;
    }
    memcpy(h->copy, text, hn);
    if (sarx_csv_new_buffer(&h->csv, h->copy, hn, d, SARX_CSV_NO_BOM) != SARX_OK) {
        fprintf(stderr, "sarx: out of memory\n");
        return 1;
    }
    if (sarx_csv_next(h->csv, &h->f, &h->l, &h->n, &e) != 1)
        return 0; /* (the header's own error is said when it is read for the cohort) */
    /* The columns as the options map them: a renamed "Weight (kg)" is known. */
    if (sarx_cohort_new_ex(o->ctx, h->f, h->l, h->n, o->flags & ~SARX_COHORT_STRICT, o->ropts, &c, &e) == SARX_OK) {
        h->known = (long)(h->n - sarx_cohort_ignored_count(c));
        sarx_cohort_free(c);
    } else if (e.code == SARX_ENOMEM) {
        fprintf(stderr, "sarx: out of memory\n");
        return 1;
    } else if (e.code == SARX_ENOTFOUND) {
        h->known = 0; /* not this delimiter, or a map that does not fit: said when it is read */
        h->missing = 1;
    } else {
        h->known = 1; /* refused for a known column (given twice, weight_history): said when it is read */
    }
    return 0;
}

static const char delims[] = {',', ';', '\t'};

static const char *delim_name(char d) { return d == '\t' ? "tab" : d == ';' ? "';'" : "','"; }

int cohort_find_delimiter(cohort_opts *o, const char *text, size_t len, int eof)
{
    long best = -1, most = -1;
    size_t k;
    o->delim = ',';
    for (k = 0; k < sizeof delims; k++) {
        header h;
        long cols;
        if (header_read(&h, o, text, len, eof, delims[k]) != 0) {
            header_free(&h);
            return 1;
        }
        /* Then, with a column of the options missing from every split, the
        ** most columns: its error then lists the header's columns split
        ** where they most likely are. */
        cols = h.missing ? (long)h.n : 0;
        if (h.known > best || (h.known == best && cols > most)) {
            best = h.known;
            most = cols;
            o->delim = delims[k];
        }
        header_free(&h);
    }
    if (o->delim != ',')
        fprintf(stderr, "sarx: %s: the columns are separated by %s (found from the header; --delimiter sets it)\n",
                o->path, delim_name(o->delim));
    return 0;
}

/* A header cell in a message: quoted, control bytes escaped, cut at 32 bytes. */
static void put_name(FILE *f, const char *s, size_t len)
{
    size_t i;
    fputc('"', f);
    for (i = 0; i < len && i < 32; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == 0)
            fputs("\\0", f);
        else if (ch < 0x20 || ch == 0x7F)
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
    fputs(i < len ? "...\"" : "\"", f);
}

/* A header in which no column is a field sarx knows is refused (2): the
** rows would all be indeterminate.  The columns seen are named, and the
** delimiter suggested that would give known ones, if any does. */
static int no_known_column(const cohort_opts *o, const char *text, size_t len, int eof, const header *h)
{
    size_t i, k;
    long best = 0;
    char other = 0;
    if (h->known != 0)
        return 0;
    for (k = 0; k < sizeof delims; k++) {
        header g;
        if (delims[k] == o->delim)
            continue;
        if (header_read(&g, o, text, len, eof, delims[k]) != 0) {
            header_free(&g);
            return 1;
        }
        if (g.known > best) {
            best = g.known;
            other = delims[k];
        }
        header_free(&g);
    }
    fprintf(stderr, "sarx: %s: header: no column is a field sarx knows; the %zu column%s seen, split at %s: ", o->path,
            h->n, h->n == 1 ? "" : "s", delim_name(o->delim));
    for (i = 0; i < h->n && i < 8; i++) {
        fputs(i ? ", " : "", stderr);
        put_name(stderr, h->f[i], h->l[i]);
    }
    if (i < h->n)
        fprintf(stderr, " and %zu more", h->n - i);
    if (other)
        fprintf(stderr, ". Split at %s, %ld %s: is the file %s-separated? (--delimiter %s)\n", delim_name(other),
                best, best == 1 ? "is" : "are", delim_name(other), delim_name(other));
    else
        fprintf(stderr, ". No delimiter (',', ';', tab) gives one: see `sarx fields` for the names\n");
    return 2;
}

/* The header's cells as written, for errors.csv's field column (the reader's
** refusals name a column by number).  Returns 0, or 1 when out of memory. */
static int keep_names(cohort_opts *o, const header *h)
{
    size_t i;
    if (!(o->colname = calloc(h->n ? h->n : 1, sizeof *o->colname)))
        goto oom;
    o->ncol = h->n;
    for (i = 0; i < h->n; i++) {
        if (!(o->colname[i] = malloc(h->l[i] + 1)))
            goto oom;
        memcpy(o->colname[i], h->f[i], h->l[i] + 1);
    }
    return 0;
oom:
    fprintf(stderr, "sarx: out of memory\n");
    return 1;
}

int cohort_check_header(cohort_opts *o, const char *text, size_t len, int eof)
{
    header h;
    int rc = header_read(&h, o, text, len, eof, o->delim);
    if (rc == 0 && !h.missing) /* (a column of the options not there: the cohort's error says which) */
        rc = no_known_column(o, text, len, eof, &h);
    if (rc == 0 && h.known >= 0)
        rc = keep_names(o, &h);
    header_free(&h);
    return rc;
}

void cohort_done(cohort_opts *o)
{
    size_t i;
    for (i = 0; o->colname && i < o->ncol; i++)
        free(o->colname[i]);
    free(o->colname);
    o->colname = NULL;
    o->ncol = 0;
    sarx_cohort_free(o->cohort);
    sarx_ctx_free(o->ctx);
    o->cohort = NULL;
    o->ctx = NULL;
}
