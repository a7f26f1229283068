/*
** cohort_run.c — the pipeline behind `sarx cohort`.
**
** The main thread reads the file a block of about BLOCK bytes at a time,
** cuts it at the last record boundary (sarx_csv_complete follows the
** reader's quote rules) and hands it, in the buffer it was read into, to
** one of a ring of 2N jobs.  N worker threads parse, classify and format
** blocks into their jobs' buffers and their own counts; whichever worker
** finds the next job in input order made and nobody writing writes it (and
** the made jobs after it), so output stays in input order, is never written
** by two threads at once, and no thread waits to write.  With N = 1
** everything runs on the main thread, the block is read in place in the
** input buffer, and rows.csv is written as the rows are made, CHUNK bytes
** at a time.  Memory is bounded by 2N blocks and their outputs, whatever
** the file size (a record that never ends is cut off at 64 MiB).
*/
#define _POSIX_C_SOURCE 200809L
#include "cohort_run.h"
#include "numtext.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)1 << 20)

/* Output is handed to the kernel in pieces of at most CHUNK bytes, and with
** one thread as soon as a job has made that much (see run_job): copied
** into the page cache while it is still in this core's cache.  One write
** of a whole job's 2.7 MB was measured at 2 to 4 times the system time. */
#define CHUNK ((size_t)128 << 10)

/* An output file.  After its first failed write it takes nothing more, so
** a full disk is reported once. */
typedef struct sink {
    FILE *f;
    const char *path;
    int failed;
} sink;

static void sink_write(sink *s, const char *p, size_t n)
{
    while (s->f && !s->failed && n > 0) {
        size_t k = n < CHUNK ? n : CHUNK;
        if (fwrite(p, 1, k, s->f) != k) {
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

typedef struct job {
    const cohort_opts *o;
    const labels *lab;
    char *text;       /* its block: in data, or with one thread in the input buffer */
    char *data;       /* the buffer its block was read into, cap bytes (the reader writes text[len]) */
    size_t len, cap;
    long rec0, line0; /* global record and line of the block's first byte */
    sarx_cohort *coh;
    obuf out, err;
    int read_error;
    sink *rows; /* with one thread, rows.csv, written as the job goes */
    counter rowc, linec;
    long seq;      /* the job's place in the input */
    int formatted; /* its rows are made; guarded by the pool's mutex */
    int done;      /* and written: the slot is free; guarded by the pool's mutex */
} job;

static void report(job *j, long row, long line, const sarx_error *e)
{
    if (j->o->errors_path) { /* row,line,field,value,message */
        ob_long(&j->err, row);
        ob_put(&j->err, ",", 1);
        ob_long(&j->err, line);
        ob_put(&j->err, ",", 1);
        ob_field(&j->err, e->field, strlen(e->field), ',');
        ob_put(&j->err, ",", 1);
        ob_field(&j->err, e->value, strlen(e->value), ',');
        ob_put(&j->err, ",", 1);
        ob_field(&j->err, e->message, strlen(e->message), ',');
        ob_put(&j->err, "\n", 1);
    } else {
        char msg[512];
        int n = snprintf(msg, sizeof msg, "sarx: %s: row %ld (line %ld): %s\n", j->o->path, row, line, e->message);
        ob_put(&j->err, msg, n > 0 && (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
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
        size_t idlen = p->id_len[i];
        if (!p->ok[i]) {
            report(j, p->row[i], p->line[i], &p->err[i]);
            continue;
        }
        if (!j->o->rows_path)
            continue;
        /* Room for the whole row at once: two numbers of at most 20
        ** digits and their commas, the id quoted (every byte doubled at
        ** worst, two quotes and a comma), the labels, the last one's
        ** COPY bytes, and the line end. */
        if (ob_reserve(&j->out, 2 * 21 + 2 * idlen + 3 + lab->maxrow + COPY + 1)) {
            char *w = j->out.p + j->out.n;
            w = put_counter(&j->rowc, w, p->row[i]);
            *w++ = ',';
            w = put_counter(&j->linec, w, p->line[i]);
            *w++ = ',';
            w += sarx_csv_quote(w, 2 * idlen + 2, p->id[i], idlen, ',');
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

static void *run_job(void *arg)
{
    job *j = arg;
    sarx_csv *csv;
    sarx_error e;
    pending *p = calloc(1, sizeof *p);
    char **f;
    size_t *l, n;
    int r;
    long idcol = sarx_cohort_id_column(j->coh);
    j->rowc.v = j->linec.v = -1;
    if (!p || sarx_csv_new_buffer(&csv, j->text, j->len, j->o->delim, SARX_CSV_NO_BOM) != SARX_OK) {
        free(p);
        j->out.oom = 1;
        return NULL;
    }
    sarx_cohort_readable(j->coh, j->text + j->len); /* the job's text is its own */
    while ((r = sarx_csv_next(csv, &f, &l, &n, &e)) == 1) {
        long rec = j->rec0 + sarx_csv_record(csv) - 1, line = j->line0 + sarx_csv_line(csv) - 1;
        long row = rec - 1; /* data rows are numbered from 1, after the header */
        if (n == 1 && l[0] == 0)
            continue; /* a blank line */
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
            if (j->rows && j->out.n >= CHUNK) {
                sink_write(j->rows, j->out.p, j->out.n);
                j->out.n = 0;
            }
        }
    }
    flush_batch(j, p);
    sarx_cohort_readable(j->coh, NULL); /* the next job's text is another */
    if (r < 0) {
        report(j, j->rec0 + sarx_csv_record(csv) - 2, j->line0 + sarx_csv_line(csv) - 1, &e);
        j->read_error = 1;
    }
    sarx_csv_free(csv);
    free(p);
    return NULL;
}

/* ---- a small worker pool ----------------------------------------------- */

typedef struct pool pool;
typedef struct worker_arg {
    pool *p;
    int index;
} worker_arg;

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    job *jobs;
    int nslot, nthread, stop;
    int queue[128], qhead, qtail; /* slots waiting for a worker */
    pthread_t tid[64];
    sarx_cohort **coh; /* one per worker thread */
    worker_arg arg[64];
    int started;
    /* The outputs are written in input order by whichever worker finds
    ** the next job to write made and no other worker writing: it writes
    ** that job and every later one already made, while the others go on
    ** making rows.  No thread waits to write, writes never run two at a
    ** time (the kernel takes the file's lock for each, and a second writer
    ** spins on it), and the main thread is left to read. */
    sink *rows, *errs;
    long next_write; /* the seq of the next job to write */
    int writing;     /* a worker is writing */
};

/* Job j's rows are made: write it, and the jobs after it, unless another
** worker is writing (it will write them) or an earlier job is not made. */
static void finish(pool *p, job *j)
{
    pthread_mutex_lock(&p->mu);
    j->formatted = 1;
    if (p->writing) {
        pthread_mutex_unlock(&p->mu);
        return;
    }
    p->writing = 1;
    for (;;) {
        job *w = &p->jobs[p->next_write % p->nslot];
        if (w->done || !w->formatted || w->seq != p->next_write)
            break;
        pthread_mutex_unlock(&p->mu);
        sink_write(p->rows, w->out.p, w->out.n); /* a failure is reported once, and ends in rc = 1 */
        sink_write(p->errs, w->err.p, w->err.n);
        pthread_mutex_lock(&p->mu);
        w->done = 1;
        p->next_write++;
        pthread_cond_broadcast(&p->done);
    }
    p->writing = 0;
    pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
    worker_arg *w = arg;
    pool *p = w->p;
    for (;;) {
        int slot;
        job *j;
        pthread_mutex_lock(&p->mu);
        while (p->qhead == p->qtail && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->qhead == p->qtail) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        slot = p->queue[p->qhead++ % 128];
        pthread_mutex_unlock(&p->mu);
        j = &p->jobs[slot];
        j->coh = p->coh[w->index]; /* each thread counts into its own cohort */
        run_job(j);
        finish(p, j);
    }
}

static void pool_init(pool *p, job *jobs, int nslot, sarx_cohort **coh, int nthread, sink *rows, sink *errs)
{
    int t;
    memset(p, 0, sizeof *p);
    p->jobs = jobs;
    p->nslot = nslot;
    p->coh = coh;
    p->rows = rows;
    p->errs = errs;
    p->nthread = nthread > 1 ? nthread : 0;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (t = 0; t < p->nthread; t++) {
        p->arg[t].p = p;
        p->arg[t].index = t;
        if (pthread_create(&p->tid[t], NULL, worker, &p->arg[t]) != 0)
            break;
    }
    p->started = t;
}

static void pool_submit(pool *p, int slot, long seq)
{
    pthread_mutex_lock(&p->mu);
    p->jobs[slot].done = p->jobs[slot].formatted = 0;
    p->jobs[slot].seq = seq;
    if (p->started > 0) {
        p->queue[p->qtail++ % 128] = slot;
        pthread_cond_signal(&p->work);
    }
    pthread_mutex_unlock(&p->mu);
    if (p->started == 0) { /* no thread could start: do it here */
        p->jobs[slot].coh = p->coh[0];
        run_job(&p->jobs[slot]);
        finish(p, &p->jobs[slot]);
    }
}

static void pool_wait(pool *p, int slot)
{
    pthread_mutex_lock(&p->mu);
    while (!p->jobs[slot].done)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

static void pool_stop(pool *p)
{
    int t;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (t = 0; t < p->started; t++)
        pthread_join(p->tid[t], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
}

/* ---- the main loop ---------------------------------------------------- */

typedef struct input {
    FILE *f;
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
** more may follow, 1 at the end of the input, -1 when reading must stop
** after this block (a record that never ends: an unclosed quote or over
** 64 MiB; its reader reports it), -2 when memory ran out. */
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
        if (in->eof || avail >= MAX_RECORD) { /* it never ends: its reader will say why */
            *records = 1;
            *lines = 0;
            *st = in->eof ? 1 : -1;
            return avail;
        }
        if (!more(in, avail + BLOCK)) {
            *st = -2;
            return 0;
        }
        avail = in->len - in->off;
    }
}

int cohort_run(cohort_opts *o)
{
    input in;
    labels *lab = NULL;
    sink rows = {NULL, NULL, 0}, errs = {stderr, "stderr", 0};
    sarx_error e;
    job *jobs = NULL;
    sarx_cohort **workers = NULL;
    long rec = 1, line = 1;
    int rc = 0, t, nt = o->threads;
    size_t i;

    memset(&in, 0, sizeof in);
    in.f = strcmp(o->path, "-") == 0 ? stdin : fopen(o->path, "rb");
    if (!in.f) {
        fprintf(stderr, "sarx: %s: %s\n", o->path, strerror(errno));
        return 1;
    }
    in.cap = nt > 1 ? BLOCK : 2 * BLOCK; /* with workers, each block read goes to a job whole (below) */
    in.buf = malloc(in.cap + 1);
    lab = calloc(1, sizeof *lab);
    jobs = calloc((size_t)(nt > 1 ? 2 * nt : 1), sizeof *jobs);
    workers = calloc((size_t)nt, sizeof *workers);
    if (!in.buf || !lab || !jobs || !workers || sarx_ctx_new(&o->ctx, &e) != SARX_OK) {
        fprintf(stderr, "sarx: out of memory\n");
        rc = 1;
        goto done;
    }

    /* The header: the first record (after a byte-order mark). */
    {
        long hr, hl;
        size_t hn;
        sarx_csv *csv;
        char **f;
        size_t *l, n;
        if (!more(&in, 3)) {
            fprintf(stderr, "sarx: %s: out of memory\n", o->path);
            rc = 1;
            goto done;
        }
        if (in.len >= 3 && memcmp(in.buf, "\xEF\xBB\xBF", 3) == 0)
            in.off = 3;
        for (;;) {
            hn = sarx_csv_complete(in.buf + in.off, in.len - in.off, o->delim, in.eof, 1, &hr, &hl);
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
        memset(&e, 0, sizeof e);
        snprintf(e.message, sizeof e.message, "out of memory");
        csv = NULL; /* read in place: its bytes are not read again, and in.buf has a spare byte */
        if (sarx_csv_new_buffer(&csv, in.buf + in.off, hn, o->delim, 0) != SARX_OK ||
            sarx_csv_next(csv, &f, &l, &n, &e) != 1 ||
            sarx_cohort_new(o->ctx, f, l, n, o->flags, &o->cohort, &e) != SARX_OK) {
            fprintf(stderr, "sarx: %s: header: %s\n", o->path, e.message);
            sarx_csv_free(csv);
            rc = 1;
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
    if (!labels_init(lab, o->ctx)) {
        fprintf(stderr, "sarx: out of memory\n");
        rc = 1;
        goto done;
    }
    for (t = 0; t < nt; t++)
        if (sarx_cohort_clone(o->cohort, &workers[t]) != SARX_OK) {
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

    /* A ring of 2 x nt jobs: the main thread reads and cuts blocks into free
    ** jobs and waits for the oldest to be written; the workers parse,
    ** classify, format and write (finish).  With one thread it all runs
    ** inline. */
    {
        int nslot = nt > 1 ? 2 * nt : 1;
        long next_submit = 0, next_write = 0;
        int eof_blocks = 0;
        pool P;
        pool_init(&P, jobs, nslot, workers, nt, &rows, &errs);
        for (;;) {
            /* Fill every free slot. */
            while (!eof_blocks && next_submit - next_write < nslot) {
                job *j = &jobs[next_submit % nslot];
                long r = 0, l = 0;
                int st;
                size_t n = cut(&in, o->delim, &r, &l, &st);
                if (st == -2) {
                    fprintf(stderr, "sarx: %s: out of memory at line %ld; the rest of the file was not read\n",
                            o->path, line);
                    rc = 1;
                } else if (st == -1) {
                    fprintf(stderr, "sarx: %s: a record from line %ld does not end within 64 MiB (an unclosed "
                                    "quote?); the rest of the file was not read\n", o->path, line);
                    rc = 1;
                }
                if (st != 0)
                    eof_blocks = 1; /* this block, if any, is the last */
                if (n == 0)
                    break;
                if (nt == 1) {
                    j->text = in.buf + in.off; /* read in place: in.buf has a spare byte past its data */
                    in.off += n;
                } else {
                    /* The job takes the input buffer, its block in place,
                    ** and the input goes on in the job's last buffer with
                    ** the bytes past the block (most often part of a
                    ** record): a block is not copied. */
                    size_t tail = in.len - in.off - n, cap;
                    char *b;
                    if (j->cap < in.cap + 1) {
                        char *p = realloc(j->data, in.cap + 1);
                        if (!p) {
                            fprintf(stderr, "sarx: out of memory\n");
                            rc = 1;
                            eof_blocks = 1;
                            break;
                        }
                        j->data = p;
                        j->cap = in.cap + 1;
                    }
                    memcpy(j->data, in.buf + in.off + n, tail);
                    b = in.buf;
                    cap = in.cap;
                    in.buf = j->data;
                    in.cap = j->cap - 1; /* the spare byte */
                    in.len = tail;
                    j->data = b;
                    j->cap = cap + 1;
                    j->text = b + in.off;
                    in.off = 0;
                }
                j->o = o;
                j->lab = lab;
                j->len = n;
                j->rec0 = rec;
                j->line0 = line;
                j->out.n = j->err.n = 0;
                j->read_error = 0;
                rec += r;
                line += l;
                if (nt == 1) {
                    j->rows = &rows;
                    j->coh = workers[0];
                    run_job(j);
                    j->done = 1;
                } else {
                    pool_submit(&P, next_submit % nslot, next_submit);
                }
                next_submit++;
            }
            if (next_write == next_submit)
                break; /* everything read and written */
            {   /* The oldest job: with workers, wait until it is written. */
                job *j = &jobs[next_write % nslot];
                if (nt > 1) {
                    pool_wait(&P, next_write % nslot);
                } else {
                    sink_write(&rows, j->out.p, j->out.n); /* a failure is reported once, and ends in rc = 1 */
                    sink_write(&errs, j->err.p, j->err.n);
                }
                if (j->out.oom || j->err.oom) {
                    fprintf(stderr, "sarx: out of memory\n");
                    rc = 1;
                }
                if (j->read_error)
                    rc = 1;
                next_write++;
            }
        }
        pool_stop(&P);
    }
    if (in.error) {
        fprintf(stderr, "sarx: %s: read error\n", o->path);
        rc = 1;
    }
    for (t = 0; t < nt; t++)
        sarx_cohort_merge(o->cohort, workers[t]);
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
    for (t = 0; t < (nt > 1 ? 2 * nt : 1) && jobs; t++) {
        free(jobs[t].out.p);
        free(jobs[t].err.p);
        free(jobs[t].data);
    }
    for (t = 0; t < nt && workers; t++)
        sarx_cohort_free(workers[t]);
    free(workers);
    free(jobs);
    if (lab)
        free(lab->tab);
    free(lab);
    free(in.buf);
    if (in.f && in.f != stdin)
        fclose(in.f);
    return rc;
}
