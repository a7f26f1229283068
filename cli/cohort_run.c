/*
** cohort_run.c — the pipeline behind `sarx cohort`.
**
** N threads, the main one among them, each take the next block of about
** BLOCK bytes of the file, cut at the last record boundary
** (sarx_csv_complete follows the reader's quote rules), in the buffer it
** was read into; parse, classify and format it into its job's buffers and
** their own counts; and see it written, in input order, by one thread at a
** time (the workers, below).  The job next to write is written as it is
** made, CHUNK bytes at a time: with one thread, every job.  Memory is
** bounded by 2N blocks and their outputs, whatever the file size.
**
** Every row read is classified or rejected, and every rejected one is
** reported: a row the reader refuses (text after a closing quote, a quote
** that never closes) is counted with the rejected ones, and a row that
** does not end within 64 MiB is refused whole, never classified from its
** first 64 MiB, and the rest of the file, which cannot be split into rows
** after it, is measured and reported as not read.
*/
#define _POSIX_C_SOURCE 200809L
#include "cohort_run.h"
#include "numtext.h"
#include "progress.h"
#include "statfile.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK ((size_t)1 << 20)

/* Output is handed to the kernel in pieces of at most CHUNK bytes, and by
** the job next to write as soon as it has made that much (run_job,
** stream): copied into the page cache while it is still in this core's
** cache.  One write of a whole job's 2.7 MB was measured at 2 to 4 times
** the system time. */
#define CHUNK ((size_t)128 << 10)

/* An output file.  After its first failed write it takes nothing more, so
** a full disk is reported once. */
typedef struct sink {
    FILE *f;
    const char *path;
    int failed;
    cli_progress *pr; /* the progress line, cleared before a message on stderr */
} sink;

static void sink_write(sink *s, const char *p, size_t n)
{
    while (s->f && !s->failed && n > 0) {
        /* Messages on stderr beside the progress line go whole (s->pr), so
        ** that the line is never drawn inside one of them. */
        size_t k = n < CHUNK || s->pr ? n : CHUNK;
        if (cli_progress_write(s->pr, p, k, s->f) != k) {
            fprintf(stderr, "sarx: %s: %s\n", s->path, strerror(errno));
            s->failed = 1;
        }
        p += k;
        n -= k;
    }
}

/* A growable output buffer. */
typedef struct obuf {
    char *p;
    size_t n, cap;
    int oom;
} obuf;

static int ob_reserve(obuf *b, size_t more)
{
    if (b->n + more <= b->cap)
        return 1;
    if (!b->oom) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        char *p;
        while (cap < b->n + more)
            cap *= 2;
        if ((p = realloc(b->p, cap))) {
            b->p = p;
            b->cap = cap;
            return 1;
        }
    }
    b->oom = 1;
    return 0;
}

static void ob_put(obuf *b, const char *s, size_t n)
{
    if (ob_reserve(b, n)) {
        memcpy(b->p + b->n, s, n);
        b->n += n;
    }
}

static void ob_long(obuf *b, long v)
{
    if (ob_reserve(b, 20))
        b->n = (size_t)(put_count(b->p + b->n, v) - b->p);
}

static void ob_field(obuf *b, const char *s, size_t n, char delim)
{
    size_t need = sarx_csv_quote(NULL, 0, s, n, delim);
    if (ob_reserve(b, need))
        b->n += sarx_csv_quote(b->p + b->n, need, s, n, delim);
}

/* ",category,true" / ",category,false" for each definition, category and
** completeness, formatted once; maxrow bounds one output row's labels.
** A class's two bytes, read as one number (category + 256 x complete),
** index the table: the label for definition d is the SLOT-byte slot at
** tab + key * stride + d * SLOT, its length in the slot's last byte.  A row
** copies whole slots, found by arithmetic (no address to load first), and
** moves on by their lengths. */
#define SLOT 64
#define COPY 48 /* the bytes copied from a slot: every label is shorter */
typedef struct labels {
    size_t ndefs, maxrow, stride;
    char *tab; /* 512 keys x ndefs slots, calloc'd: every byte copied is set */
} labels;

static uint16_t class_key(const sarx_class *c)
{
    return (uint16_t)(c->category | c->complete << 8);
}

static int labels_init(labels *lab, const sarx_ctx *ctx)
{
    size_t d, k;
    unsigned c;
    lab->ndefs = sarx_definition_count(ctx);
    lab->maxrow = 0;
    lab->stride = lab->ndefs * SLOT;
    if (!(lab->tab = calloc(512, lab->stride ? lab->stride : 1)))
        return 0;
    for (d = 0; d < lab->ndefs; d++) {
        const sarx_definition *def = sarx_definition_at(ctx, d);
        size_t nc = sarx_definition_category_count(def), widest = 0;
        for (k = 0; k <= nc; k++) {
            const char *name = k < nc ? sarx_definition_category(def, k) : "indeterminate";
            for (c = 0; c < 2; c++) {
                sarx_class cl;
                char *s;
                int w;
                cl.category = (unsigned char)(k < nc ? k : SARX_INDETERMINATE);
                cl.complete = (unsigned char)c;
                s = lab->tab + class_key(&cl) * lab->stride + d * SLOT;
                w = snprintf(s, SLOT, ",%s,%s", name, c ? "true" : "false");
                if (w < 0 || w >= COPY)
                    abort(); /* a category name too long for a slot */
                s[SLOT - 1] = (char)w;
                if ((size_t)w > widest)
                    widest = (size_t)w;
            }
        }
        lab->maxrow += widest;
    }
    return 1;
}

typedef struct pool pool;

typedef struct job {
    pool *pool;
    const cohort_opts *o;
    const labels *lab;
    sink *rows;       /* rows.csv, for stream */
    char *text;       /* its block, in data */
    char *data;       /* the buffer its block was read into, cap bytes (the reader writes text[len]) */
    size_t len, cap;
    long rec0, line0; /* global record and line of the block's first byte */
    sarx_cohort *coh; /* the counts of the worker making it */
    cli_progress *pr; /* rows done, for the progress line */
    obuf out, err;
    int read_error;
    /* A row over MAX_RECORD, refused whole: the job is only its report, with
    ** what was not read from it on (the rest of the input). */
    int overlong;
    long lost_lines;
    unsigned long long lost_bytes;
    counter rowc, linec;
    long seq;      /* its place in the input; guarded by the pool's mutex */
    int formatted; /* its rows are made; guarded by the pool's mutex */
    int streaming; /* it holds the writer, and writes its rows as it makes them (stream) */
} job;

/* Count a row the reader refused (it has no fields) with the rejected ones
** of the job's cohort, so that rows read = classified + rejected: through
** sarx_cohort_add's own check, which rejects and counts a row whose number
** of fields is not the header's (the pending rows were flushed first, so
** the batch has room). */
static void count_refused(job *j)
{
    char *none = NULL;
    size_t zero = 0;
    sarx_error ignored;
    sarx_cohort_add(j->coh, &none, &zero, 0, &ignored);
}

static void report(job *j, long row, long line, const sarx_error *e)
{
    if (j->o->errors_path) { /* row,line,field,value,message */
        const char *field = e->field;
        if (!field[0] && e->column > 0 && (size_t)e->column <= j->o->ncol) /* the reader's: its column's name */
            field = j->o->colname[e->column - 1];
        ob_long(&j->err, row);
        ob_put(&j->err, ",", 1);
        ob_long(&j->err, line);
        ob_put(&j->err, ",", 1);
        ob_field(&j->err, field, strlen(field), ',');
        ob_put(&j->err, ",", 1);
        ob_field(&j->err, e->value, strlen(e->value), ',');
        ob_put(&j->err, ",", 1);
        ob_field(&j->err, e->message, strlen(e->message), ',');
        ob_put(&j->err, "\n", 1);
    } else {
        char msg[512], *m = msg;
        int n = snprintf(msg, sizeof msg, "sarx: %s: row %ld (line %ld): %s\n", j->o->path, row, line, e->message);
        if (n > 0 && (size_t)n >= sizeof msg && (m = malloc((size_t)n + 1)) != NULL) /* a long path: whole */
            snprintf(m, (size_t)n + 1, "sarx: %s: row %ld (line %ld): %s\n", j->o->path, row, line, e->message);
        if (n > 0 && m)
            ob_put(&j->err, m, (size_t)n);
        else
            j->err.oom = 1;
        if (m != msg)
            free(m);
    }
}

/* Rows added (sarx_cohort_add) but not yet classified: their numbers and
** ids.  The cells, the id among them, are the reader's fields themselves: a
** reader over a buffer keeps its fields valid as long as the buffer (the
** job's block), so they are not copied. */
typedef struct pending {
    long row[SARX_COHORT_BATCH], line[SARX_COHORT_BATCH];
    const char *id[SARX_COHORT_BATCH];
    size_t id_len[SARX_COHORT_BATCH];
    unsigned char ok[SARX_COHORT_BATCH];
    sarx_error err[SARX_COHORT_BATCH];
    int n;
} pending;

/* Classify the pending rows: the refused ones reported, the others written. */
static void flush_batch(job *j, pending *p)
{
    sarx_class cls[SARX_COHORT_BATCH * 64];
    const labels *lab = j->lab; /* in locals: the row's stores through char * could alias them */
    size_t nd = lab->ndefs, stride = lab->stride, d, i;
    const char *tab = lab->tab;
    size_t n = sarx_cohort_classify(j->coh, j->o->rows_path ? cls : NULL, p->ok, p->err); /* NULL: counts only */
    for (i = 0; i < n; i++) {
        const sarx_class *c = cls + i * nd;
        const char *id;
        size_t idlen;
        if (!p->ok[i]) {
            report(j, p->row[i], p->line[i], &p->err[i]);
            continue;
        }
        if (!j->o->rows_path)
            continue;
        id = p->id[i];
        idlen = p->id_len[i];
        /* An id guarded against spreadsheet formulas ("'=1+1") is the
        ** value after the quote, which sarx_csv_quote guards again: the
        ** same bytes out, never a second quote. */
        if (idlen && id[0] == '\'' && sarx_csv_guarded(id, idlen)) {
            id++;
            idlen--;
        }
        /* Room for the whole row at once: two numbers of at most 20
        ** digits and their commas, the id quoted (two quotes, a guard
        ** and its bytes, every quote doubled: at most 2 x idlen + 2), a
        ** comma, the labels, the last one's COPY bytes, and the line end. */
        if (ob_reserve(&j->out, 2 * 21 + 2 * idlen + 3 + lab->maxrow + COPY + 1)) {
            char *w = j->out.p + j->out.n;
            w = put_counter(&j->rowc, w, p->row[i]);
            *w++ = ',';
            w = put_counter(&j->linec, w, p->line[i]);
            *w++ = ',';
            w += sarx_csv_quote(w, 2 * idlen + 2, id, idlen, ',');
            for (d = 0; d < nd; d++) { /* whole-slot copies, cut to length */
                const char *s = tab + class_key(&c[d]) * stride + d * SLOT;
                memcpy(w, s, COPY);
                w += (unsigned char)s[SLOT - 1];
            }
            *w++ = '\n';
            j->out.n = (size_t)(w - j->out.p);
        }
    }
    p->n = 0;
}

static int stream(job *j);

/* The report of a row over MAX_RECORD (take): rejected, and the rest of the
** input not read, measured. */
static void overlong_report(job *j)
{
    sarx_error e;
    memset(&e, 0, sizeof e);
    e.code = SARX_ERANGE;
    snprintf(e.allowed, sizeof e.allowed, "at most 64 MiB per row");
    snprintf(e.message, sizeof e.message,
             "this row does not end within 64 MiB, the limit for one row (an unclosed quote?): from its first line "
             "to the end of the file, %ld line%s (%llu bytes) are not read",
             j->lost_lines, j->lost_lines == 1 ? "" : "s", j->lost_bytes);
    report(j, j->rec0 - 1, j->line0, &e);
    count_refused(j);
}

/* A row the reader refused (row, line): after the rows before it, reported
** and counted.  Not inlined, so that run_job's loop over the common rows
** stays the code it was (within 1 % in the benchmark, as measured). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void refused(job *j, pending *p, long row, long line, const sarx_error *e)
{
    flush_batch(j, p);
    report(j, row, line, e);
    count_refused(j);
    if (e->code == SARX_ENOMEM || e->code == SARX_EIO)
        j->read_error = 1;
}

/* Parse, classify and format job j's block; p is the worker's. */
static void run_job(job *j, pending *p)
{
    sarx_csv *csv;
    sarx_error e;
    char **f;
    size_t *l, n;
    int r;
    long idcol = sarx_cohort_id_column(j->coh);
    unsigned long long nrows = 0; /* read in this block, for the progress line */
    j->rowc.v = j->linec.v = -1;
    p->n = 0;
    if (j->overlong) {
        overlong_report(j);
        return;
    }
    if (sarx_csv_new_buffer(&csv, j->text, j->len, j->o->delim, SARX_CSV_NO_BOM) != SARX_OK) {
        j->out.oom = 1;
        return;
    }
    sarx_cohort_readable(j->coh, j->text + j->len); /* the job's text is its own */
    /* The common rows in the inner loop, which stays as lean as it was; a
    ** row the reader refuses in the outer one (after some refusals the
    ** reader reads no more, and returns 0 next). */
    for (;;) {
        while ((r = sarx_csv_next(csv, &f, &l, &n, &e)) == 1) {
            long rec = j->rec0 + sarx_csv_record(csv) - 1, line = j->line0 + sarx_csv_line(csv) - 1;
            long row = rec - 1; /* data rows are numbered from 1, after the header */
            if (n == 1 && l[0] == 0)
                continue; /* a blank line */
            nrows++;
            if (sarx_cohort_add(j->coh, f, l, n, &e) != SARX_OK) {
                flush_batch(j, p); /* the rows before it first, whose reading may refuse some */
                report(j, row, line, &e);
                continue;
            }
            p->row[p->n] = row;
            p->line[p->n] = line;
            p->id[p->n] = idcol >= 0 ? f[idcol] : "";
            p->id_len[p->n] = idcol >= 0 ? l[idcol] : 0;
            if (++p->n == SARX_COHORT_BATCH) {
                flush_batch(j, p);
                if (j->out.n >= CHUNK && stream(j)) {
                    sink_write(j->rows, j->out.p, j->out.n);
                    j->out.n = 0;
                }
            }
        }
        if (r == 0)
            break;
        refused(j, p, j->rec0 + sarx_csv_record(csv) - 2, j->line0 + sarx_csv_line(csv) - 1, &e);
        nrows++;
    }
    flush_batch(j, p);
    cli_progress_add(j->pr, nrows);
    cli_progress_work_add(j->pr, j->len); /* the share of the file done: its finished blocks */
    sarx_cohort_readable(j->coh, NULL); /* the next job's text is another */
    sarx_csv_free(csv);
}

/* ---- the input ------------------------------------------------------- */

typedef struct input {
    FILE *f;
    unsigned long long size; /* the file's, for the progress line's estimate; 0: not known (a pipe, a converted file) */
    char *buf;            /* cap + 1 bytes: the reader in place may write buf[len] */
    size_t cap, len, off; /* bytes [off, len) are not yet handed out */
    int eof, error;
} input;

/* Read until at least want unconsumed bytes are buffered (or end of file). */
static int more(input *in, size_t want)
{
    if (in->off > 0 && in->len - in->off < want) {
        memmove(in->buf, in->buf + in->off, in->len - in->off);
        in->len -= in->off;
        in->off = 0;
    }
    while (!in->eof && in->len - in->off < want) {
        size_t got;
        if (in->len == in->cap) {
            size_t cap = in->cap * 2;
            char *p;
            if (cap > ((size_t)1 << 31) || !(p = realloc(in->buf, cap + 1)))
                return 0;
            in->buf = p;
            in->cap = cap;
        }
        got = fread(in->buf + in->len, 1, in->cap - in->len, in->f);
        in->len += got;
        if (got == 0) {
            if (ferror(in->f))
                in->error = 1;
            in->eof = 1;
        }
    }
    return 1;
}

/* The longest record the reader accepts (its own limit). */
#define MAX_RECORD ((size_t)64 << 20)

/* Cut the next block: whole records, about BLOCK bytes (more if one record
** is longer).  Returns its length, 0 when nothing is left.  *st is 0 when
** more may follow, 1 at the end of the input (the last block may end in a
** quote that never closes: its reader reports it), -2 when memory ran out,
** -3 when the next record does not end within MAX_RECORD bytes (nothing is
** cut: the caller refuses it). */
static size_t cut(input *in, char delim, long *records, long *lines, int *st)
{
    size_t n, avail;
    *st = 0;
    if (!more(in, BLOCK)) {
        *st = -2;
        return 0;
    }
    avail = in->len - in->off;
    if (avail == 0) {
        *st = 1;
        return 0;
    }
    n = sarx_csv_complete(in->buf + in->off, avail < BLOCK ? avail : BLOCK, delim, in->eof && avail <= BLOCK, 0,
                          records, lines);
    if (n > 0)
        return n;
    /* One record is longer than a block: read on until it ends. */
    for (;;) {
        n = sarx_csv_complete(in->buf + in->off, avail, delim, in->eof, 0, records, lines);
        if (n > 0)
            return n;
        if (in->eof) { /* inside a quote that never closes: its reader says so */
            *records = 1;
            *lines = 0;
            *st = 1;
            return avail;
        }
        if (avail >= MAX_RECORD) { /* never handed to a reader, which would take the 64 MiB for the row */
            *st = -3;
            return 0;
        }
        if (!more(in, avail + BLOCK)) {
            *st = -2;
            return 0;
        }
        avail = in->len - in->off;
    }
}

/* What is left of the input, read to its end and dropped: its lines (line
** ends, and a last line without one) and bytes. */
static void drain(input *in, long *lines, unsigned long long *bytes)
{
    size_t got = in->len - in->off;
    int last = got ? in->buf[in->len - 1] : '\n';
    const char *p = in->buf + in->off, *q;
    *lines = 0;
    *bytes = 0;
    for (;;) {
        for (q = p; (q = memchr(q, '\n', got - (size_t)(q - p))) != NULL; q++)
            ++*lines;
        *bytes += got;
        if (got)
            last = p[got - 1];
        if (in->eof)
            break;
        got = fread(in->buf, 1, in->cap, in->f);
        p = in->buf;
        if (got == 0) {
            if (ferror(in->f))
                in->error = 1;
            in->eof = 1;
        }
    }
    *lines += last != '\n';
    in->off = in->len = 0;
}

/* ---- the workers ------------------------------------------------------ */

/* N threads, the main one among them, each take the next block of the
** input into a job (take), make its rows (run_job), and see them written
** (finish).  The jobs are a ring of 2N slots; a job's slot is free once it
** is written.  The output is written in input order by one worker at a
** time: whichever finds the next job to write made and nobody writing
** writes it and the made jobs after it, while the others go on making
** rows, so no thread waits to write and no two write at once (the kernel
** takes the file's lock for each write, and a second writer spins on it).
** The job next to write, once nobody is writing, is written as it is made,
** CHUNK bytes at a time, while its rows are still in the core's cache
** (stream): with one thread, every job. */
struct pool {
    pthread_mutex_t rmu; /* the input: in, rec, line, next_seq, eof */
    input *in;
    const cohort_opts *o;
    long rec, line, next_seq;
    int eof;
    pthread_mutex_t mu; /* the jobs' seq and formatted, the writer, failed */
    pthread_cond_t written;
    job *jobs;
    int nslot;
    sink *rows, *errs;
    long next_write; /* the seq of the next job to write */
    int writing;     /* a worker is writing, or streaming its job */
    int failed;      /* exit status 1: out of memory, a read error, a record cut off */
};

static void fail(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->failed = 1;
    pthread_mutex_unlock(&p->mu);
}

/* The next block, in a free job: returns it, or NULL when nothing is left. */
static job *take(pool *p)
{
    input *in = p->in;
    job *j = NULL;
    long r = 0, l = 0;
    int st;
    size_t n, tail, cap;
    char *b;
    pthread_mutex_lock(&p->rmu);
    if (p->eof)
        goto out;
    j = &p->jobs[p->next_seq % p->nslot];
    pthread_mutex_lock(&p->mu);
    while (p->next_write <= p->next_seq - p->nslot) /* the slot's last job is not written yet */
        pthread_cond_wait(&p->written, &p->mu);
    pthread_mutex_unlock(&p->mu);
    n = cut(in, p->o->delim, &r, &l, &st);
    if (st == -2) {
        fprintf(stderr, "sarx: %s: out of memory at line %ld; the rest of the file was not read\n", p->o->path,
                p->line);
        fail(p);
    }
    if (st != 0)
        p->eof = 1; /* this block, if any, is the last */
    if (st == -3) { /* a job of its own reports the row, and what was not read */
        drain(in, &j->lost_lines, &j->lost_bytes);
        j->overlong = 1;
        j->len = 0;
        j->rec0 = p->rec;
        j->line0 = p->line;
        j->out.n = j->err.n = 0;
        j->read_error = 0;
        pthread_mutex_lock(&p->mu);
        j->seq = p->next_seq++;
        j->formatted = j->streaming = 0;
        pthread_mutex_unlock(&p->mu);
        goto out;
    }
    if (n == 0) {
        j = NULL;
        goto out;
    }
    /* The job takes the input buffer, its block in place, and the input
    ** goes on in the job's last buffer with the bytes past the block (most
    ** often part of a record): a block is not copied. */
    tail = in->len - in->off - n;
    if (j->cap < in->cap + 1) {
        char *q = realloc(j->data, in->cap + 1);
        if (!q) {
            fprintf(stderr, "sarx: out of memory\n");
            fail(p);
            p->eof = 1;
            j = NULL;
            goto out;
        }
        j->data = q;
        j->cap = in->cap + 1;
    }
    memcpy(j->data, in->buf + in->off + n, tail);
    b = in->buf;
    cap = in->cap;
    in->buf = j->data;
    in->cap = j->cap - 1; /* the spare byte */
    in->len = tail;
    j->data = b;
    j->cap = cap + 1;
    j->text = b + in->off;
    in->off = 0;
    j->len = n;
    j->overlong = 0;
    j->rec0 = p->rec;
    j->line0 = p->line;
    j->out.n = j->err.n = 0;
    j->read_error = 0;
    p->rec += r;
    p->line += l;
    pthread_mutex_lock(&p->mu);
    j->seq = p->next_seq++;
    j->formatted = j->streaming = 0;
    pthread_mutex_unlock(&p->mu);
out:
    pthread_mutex_unlock(&p->rmu);
    return j;
}

/* Whether job j writes its rows as it makes them: once it is the next to
** write and nobody is writing, it takes the writer until finish. */
static int stream(job *j)
{
    pool *p = j->pool;
    if (!j->streaming) {
        pthread_mutex_lock(&p->mu);
        if (!p->writing && p->next_write == j->seq)
            j->streaming = p->writing = 1;
        pthread_mutex_unlock(&p->mu);
    }
    return j->streaming;
}

/* Job j's rows are made: write it and the made jobs after it, unless
** another worker is writing (it will write them) or an earlier job is not
** made yet (its worker will). */
static void finish(pool *p, job *j)
{
    pthread_mutex_lock(&p->mu);
    j->formatted = 1;
    if (p->writing && !j->streaming) {
        pthread_mutex_unlock(&p->mu);
        return;
    }
    p->writing = 1;
    for (;;) {
        job *w = &p->jobs[p->next_write % p->nslot];
        int oom;
        if (w->seq != p->next_write || !w->formatted)
            break;
        pthread_mutex_unlock(&p->mu);
        sink_write(p->rows, w->out.p, w->out.n); /* a failure is reported once, and ends in rc = 1 */
        sink_write(p->errs, w->err.p, w->err.n);
        if ((oom = w->out.oom || w->err.oom))
            fprintf(stderr, "sarx: out of memory\n");
        pthread_mutex_lock(&p->mu);
        if (oom || w->read_error)
            p->failed = 1;
        w->streaming = 0;
        p->next_write++;
        pthread_cond_broadcast(&p->written);
    }
    p->writing = 0;
    pthread_mutex_unlock(&p->mu);
}

typedef struct worker {
    pool *p;
    sarx_cohort *coh; /* its own counts */
    pending *pend;
    pthread_t tid;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    job *j;
    while ((j = take(w->p)) != NULL) {
        j->coh = w->coh;
        run_job(j, w->pend);
        finish(w->p, j);
    }
    return NULL;
}

int cohort_run(cohort_opts *o)
{
    input in;
    labels *lab = NULL;
    sink rows = {NULL, NULL, 0, NULL}, errs = {stderr, "stderr", 0, NULL};
    sarx_error e;
    job *jobs = NULL;
    worker *workers = NULL;
    long rec = 1, line = 1;
    int rc = 0, t, nt = o->threads, nslot = nt > 1 ? 2 * nt : 1, kind;
    size_t i;
    statfile *sf = NULL;
    cli_progress *pr = NULL;

    memset(&in, 0, sizeof in);
    kind = strcmp(o->path, "-") == 0 ? STATFILE_NONE : statfile_kind(o->path);
    if (kind == STATFILE_EXCEL) {
        fprintf(stderr, "sarx: %s: %s\n", o->path, statfile_excel_message(o->path));
        return 1;
    }
    if (kind != STATFILE_NONE) { /* Stata, SPSS, SAS: ReadStat's rows as CSV through a pipe (statfile.c) */
        char msg[1024];
        int fd;
        if (statfile_open(o->path, &sf, &fd, msg, sizeof msg) != 0) {
            fprintf(stderr, "sarx: %s\n", msg);
            return 1;
        }
        if (!(in.f = fdopen(fd, "rb"))) {
            fprintf(stderr, "sarx: %s: %s\n", o->path, strerror(errno));
            close(fd);
            statfile_close(sf, msg, sizeof msg);
            return 1;
        }
        o->delim = ',';
    } else
        in.f = strcmp(o->path, "-") == 0 ? stdin : fopen(o->path, "rb");
    if (!in.f) {
        fprintf(stderr, "sarx: %s: %s\n", o->path, strerror(errno));
        return 1;
    }
    if (!sf) {
        struct stat st;
        if (fstat(fileno(in.f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
            in.size = (unsigned long long)st.st_size;
    }
    in.cap = BLOCK; /* a block read goes to a job whole (take) */
    in.buf = malloc(in.cap + 1);
    lab = calloc(1, sizeof *lab);
    jobs = calloc((size_t)nslot, sizeof *jobs);
    workers = calloc((size_t)nt, sizeof *workers);
    if (!in.buf || !lab || !jobs || !workers || sarx_ctx_new(&o->ctx, &e) != SARX_OK) {
        fprintf(stderr, "sarx: out of memory\n");
        rc = 1;
        goto done;
    }
    if (o->definitions) { /* only these definitions, before the header (whose columns do not depend on them) */
        sarx_ctx *sel;
        if (sarx_ctx_select(o->ctx, o->definitions, &sel, &e) != SARX_OK) {
            fprintf(stderr, e.code == SARX_ENOMEM ? "sarx: out of memory\n" : "sarx cohort: --definitions: %s\n",
                    e.message);
            rc = e.code == SARX_ENOMEM ? 1 : 2;
            goto done;
        }
        sarx_ctx_free(o->ctx);
        o->ctx = sel;
    }

    /* The header: the first record (after a byte-order mark), whole in the
    ** buffer (under ',' when the delimiter is still to be found), its
    ** delimiter, and a column that sarx knows. */
    {
        long hr, hl;
        size_t hn;
        char **f;
        size_t *l, n;
        sarx_csv *csv;
        if (!more(&in, 3)) {
            fprintf(stderr, "sarx: %s: out of memory\n", o->path);
            rc = 1;
            goto done;
        }
        if (in.len >= 3 && memcmp(in.buf, "\xEF\xBB\xBF", 3) == 0)
            in.off = 3;
        for (;;) {
            hn = sarx_csv_complete(in.buf + in.off, in.len - in.off, o->delim ? o->delim : ',', in.eof, 1, &hr, &hl);
            if (hr == 1 || in.eof)
                break;
            if (in.len - in.off >= MAX_RECORD || !more(&in, in.len - in.off + BLOCK)) {
                fprintf(stderr, "sarx: %s: the header row does not end within 64 MiB (an unclosed quote?)\n",
                        o->path);
                rc = 1;
                goto done;
            }
        }
        if (hr != 1) {
            fprintf(stderr, "sarx: %s: %s\n", o->path, in.len - in.off ? "the header row is not closed" : "empty file: expected a header row");
            rc = 1;
            goto done;
        }
        if (!o->delim && (rc = cohort_find_delimiter(o, in.buf + in.off, in.len - in.off, in.eof)) != 0)
            goto done;
        if ((o->flags & SARX_COHORT_DECIMAL_COMMA) && o->delim == ',') {
            fprintf(stderr, "sarx: %s: --decimal-comma needs ';' or tab between the columns, and the header is "
                            "','-separated (--delimiter sets it)\n", o->path);
            rc = 2;
            goto done;
        }
        if ((rc = cohort_check_header(o, in.buf + in.off, in.len - in.off, in.eof)) != 0)
            goto done;
        hn = sarx_csv_complete(in.buf + in.off, in.len - in.off, o->delim, in.eof, 1, &hr, &hl);
        memset(&e, 0, sizeof e);
        snprintf(e.message, sizeof e.message, "out of memory");
        csv = NULL; /* read in place: its bytes are not read again, and in.buf has a spare byte */
        if (hr != 1 || sarx_csv_new_buffer(&csv, in.buf + in.off, hn, o->delim, 0) != SARX_OK ||
            sarx_csv_next(csv, &f, &l, &n, &e) != 1 ||
            sarx_cohort_new_ex(o->ctx, f, l, n, o->flags, o->ropts, &o->cohort, &e) != SARX_OK) {
            fprintf(stderr, "sarx: %s: header: %s\n", o->path,
                    hr != 1 ? "the header row is not closed" : e.message);
            rc = 1;
            /* A header that reads without the options (--map, --rename),
            ** or fails otherwise, was refused for them: a usage error. */
            if (hr == 1 && o->ropts && e.code != SARX_ENOMEM && !o->cohort) {
                sarx_cohort *plain = NULL;
                sarx_error pe;
                if (sarx_cohort_new(o->ctx, f, l, n, o->flags, &plain, &pe) == SARX_OK || pe.code != e.code)
                    rc = 2;
                sarx_cohort_free(plain);
            }
            sarx_csv_free(csv);
            goto done;
        }
        sarx_csv_free(csv);
        in.off += hn;
        rec += 1;
        line += hl;
    }
    if (sarx_cohort_ignored_count(o->cohort) > 0) {
        fprintf(stderr, "sarx: %s: ignoring %zu column%s that sarx does not use:", o->path,
                sarx_cohort_ignored_count(o->cohort), sarx_cohort_ignored_count(o->cohort) == 1 ? "" : "s");
        for (i = 0; i < sarx_cohort_ignored_count(o->cohort); i++)
            fprintf(stderr, "%s %s", i ? "," : "", sarx_cohort_ignored(o->cohort, i));
        fputs(" (--strict makes this an error)\n", stderr);
    }
    /* The columns read under another name than their own (--map, --rename)
    ** or with a value map, once: which column fed each field. */
    {
        int first = 1;
        for (i = 0; i < o->ncol; i++) {
            const char *field = sarx_cohort_column_field(o->cohort, i), *name = o->colname[i];
            size_t nv = sarx_cohort_column_values(o->cohort, i), a = 0, b;
            if (!field)
                continue;
            b = strlen(name); /* the header's text, trimmed, against the field's name */
            while (a < b && (name[a] == ' ' || name[a] == '\t'))
                a++;
            while (b > a && (name[b - 1] == ' ' || name[b - 1] == '\t' || name[b - 1] == '\r'))
                b--;
            if (nv == 0 && b - a == strlen(field) && strncasecmp(name + a, field, b - a) == 0)
                continue;
            if (first)
                fprintf(stderr, "sarx: %s: columns: ", o->path);
            fputs(first ? "" : ", ", stderr);
            for (; a < b; a++) /* the file's bytes, control characters shown, never sent to the terminal */
                if ((unsigned char)name[a] < 0x20 || name[a] == 0x7f)
                    fprintf(stderr, "\\x%02x", (unsigned char)name[a]);
                else
                    fputc(name[a], stderr);
            fprintf(stderr, " -> %s", field);
            if (nv)
                fprintf(stderr, " (%zu value%s mapped)", nv, nv == 1 ? "" : "s");
            first = 0;
        }
        if (!first)
            fputc('\n', stderr);
    }
    if (!labels_init(lab, o->ctx)) {
        fprintf(stderr, "sarx: out of memory\n");
        rc = 1;
        goto done;
    }
    for (t = 0; t < nt; t++)
        if (sarx_cohort_clone(o->cohort, &workers[t].coh) != SARX_OK ||
            !(workers[t].pend = calloc(1, sizeof *workers[t].pend))) {
            fprintf(stderr, "sarx: out of memory\n");
            rc = 1;
            goto done;
        }
    if (o->rows_path) {
        rows.path = o->rows_path;
        if (!(rows.f = fopen(o->rows_path, "wb"))) {
            fprintf(stderr, "sarx: %s: %s\n", o->rows_path, strerror(errno));
            rc = 1;
            goto done;
        }
        fputs("row,line,id", rows.f);
        for (i = 0; i < lab->ndefs; i++) {
            const char *id = sarx_definition_id(sarx_definition_at(o->ctx, i));
            fprintf(rows.f, ",%s,%s_complete", id, id);
        }
        fputc('\n', rows.f);
    }
    if (o->errors_path) {
        errs.path = o->errors_path;
        if (!(errs.f = fopen(o->errors_path, "wb"))) {
            fprintf(stderr, "sarx: %s: %s\n", o->errors_path, strerror(errno));
            rc = 1;
            goto done;
        }
        fputs("row,line,field,value,message\n", errs.f);
    }

    /* The workers: this thread and nt - 1 more (fewer if some cannot
    ** start: the others do their share). */
    {
        pool P;
        int started = 0;
        memset(&P, 0, sizeof P);
        pthread_mutex_init(&P.rmu, NULL);
        pthread_mutex_init(&P.mu, NULL);
        pthread_cond_init(&P.written, NULL);
        P.in = &in;
        P.o = o;
        P.rec = rec;
        P.line = line;
        P.jobs = jobs;
        P.nslot = nslot;
        P.rows = &rows;
        P.errs = &errs;
        long declared = sf ? statfile_rows_declared(sf) : -1; /* a Stata, SPSS or SAS file's own count */
        pr = cli_progress_start("sarx cohort", "rows", declared > 0 ? (unsigned long long)declared : 0, o->progress);
        cli_progress_work(pr, in.off, in.size); /* the header's bytes */
        errs.pr = pr;
        for (t = 0; t < nslot; t++) {
            jobs[t].pr = pr;
            jobs[t].pool = &P;
            jobs[t].o = o;
            jobs[t].lab = lab;
            jobs[t].rows = &rows;
        }
        for (t = 0; t < nt; t++)
            workers[t].p = &P;
        for (t = 1; t < nt && pthread_create(&workers[t].tid, NULL, work, &workers[t]) == 0; t++)
            started++;
        work(&workers[0]);
        for (t = 1; t <= started; t++)
            pthread_join(workers[t].tid, NULL);
        if (sf && in.eof) { /* the converter's verdict first: "done" only for a whole file */
            char msg[1024];
            fclose(in.f);
            in.f = NULL;
            if (statfile_close(sf, msg, sizeof msg) != 0) { /* damaged: the rows before it were read */
                cli_progress_end(pr, 0);
                pr = NULL;
                fprintf(stderr, "sarx: %s\n", msg);
                rc = 1;
            }
            sf = NULL;
        }
        cli_progress_end(pr, !P.failed && !in.error);
        errs.pr = pr = NULL;
        pthread_cond_destroy(&P.written);
        pthread_mutex_destroy(&P.mu);
        pthread_mutex_destroy(&P.rmu);
        if (P.failed)
            rc = 1;
    }
    if (in.error) {
        fprintf(stderr, "sarx: %s: read error\n", o->path);
        rc = 1;
    }
    for (t = 0; t < nt; t++)
        sarx_cohort_merge(o->cohort, workers[t].coh);
    if (sarx_cohort_rejected(o->cohort) > 0)
        rc = 1;
done:
    if (rows.f && fclose(rows.f) != 0 && !rows.failed) {
        fprintf(stderr, "sarx: %s: %s\n", o->rows_path, strerror(errno));
        rows.failed = 1;
    }
    if (errs.f && errs.f != stderr && fclose(errs.f) != 0 && !errs.failed) {
        fprintf(stderr, "sarx: %s: %s\n", o->errors_path, strerror(errno));
        errs.failed = 1;
    }
    if (rows.failed || errs.failed)
        rc = 1;
    for (t = 0; t < nslot && jobs; t++) {
        free(jobs[t].out.p);
        free(jobs[t].err.p);
        free(jobs[t].data);
    }
    for (t = 0; t < nt && workers; t++) {
        sarx_cohort_free(workers[t].coh);
        free(workers[t].pend);
    }
    free(workers);
    free(jobs);
    if (lab)
        free(lab->tab);
    free(lab);
    free(in.buf);
    if (in.f && in.f != stdin)
        fclose(in.f);
    if (sf) {
        char msg[1024];
        if (statfile_close(sf, msg, sizeof msg) != 0 && rc != 2) { /* a damaged file: the rows before it were read */
            fprintf(stderr, "sarx: %s\n", msg);
            rc = 1;
        }
    }
    return rc;
}
