/*
** progress.c — the progress line of long jobs (progress.h).
**
** The reporter is a thread of its own that sleeps between updates: the
** work pays one relaxed atomic add per call of cli_progress_add and never
** reads a clock, however many threads do it.  Updates come every 250 ms on
** a terminal (redrawn in place: \r, the line, clear to its end).  In a log
** (--progress, stderr not a terminal) each update is a line of its own, so
** they come every second at first and then less often, a twentieth of the
** time elapsed up to a minute: a 17-hour run writes about a thousand lines,
** not 60,000.  SARX_PROGRESS_MS (10 to 3600000) sets a fixed interval, for
** tests and for logs that want another pace.
*/
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct cli_progress {
    atomic_ullong done, total;
    atomic_ullong work, work_total; /* cli_progress_work: the share done, when done has no total */
    const char *cmd, *unit;
    int tty;            /* redraw in place; else one line per update */
    int shown;          /* a line was written */
    int log;            /* --progress: the last line is always written */
    double fixed;       /* SARX_PROGRESS_MS in seconds, or 0 */
    struct timespec t0; /* CLOCK_MONOTONIC at the start */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* on CLOCK_MONOTONIC */
    int stop;
};

int cli_progress_choose(const char *cmd, int want, int *mode)
{
    if (*mode != CLI_PROGRESS_AUTO && *mode != want) {
        fprintf(stderr, "%s: --progress and --quiet: give one of them\n", cmd);
        return -1;
    }
    *mode = want;
    return 0;
}

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Seconds as "12.3 s" under a minute, then "4:05" or "3:02:07". */
static const char *clock_text(double s, char *buf, size_t size)
{
    unsigned long long t;
    if (!(s >= 0))
        s = 0;
    if (s < 60) {
        snprintf(buf, size, "%.1f s", s);
        return buf;
    }
    t = (unsigned long long)(s + 0.5);
    if (t < 3600)
        snprintf(buf, size, "%llu:%02llu", t / 60, t % 60);
    else
        snprintf(buf, size, "%llu:%02llu:%02llu", t / 3600, t / 60 % 60, t % 60);
    return buf;
}

/* A rate as "1234", or "5.6" below ten. */
static const char *rate_text(double r, char *buf, size_t size)
{
    snprintf(buf, size, r < 10 ? "%.1f" : "%.0f", r);
    return buf;
}

/* Write one line: on a terminal from its start and cut to its width (a
** line that wrapped could not be redrawn in place), cleared to its end. */
static void emit(cli_progress *p, const char *line, int last)
{
    char buf[512];
    int n;
    if (p->tty) {
        struct winsize ws;
        int width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1 : 79;
        n = snprintf(buf, sizeof buf, "\r%.*s\033[K%s", width, line, last ? "\n" : "");
    } else {
        n = snprintf(buf, sizeof buf, "%s\n", line);
    }
    /* One write: a line is never interleaved with another thread's. */
    if (n > 0)
        fwrite(buf, 1, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, stderr);
    fflush(stderr);
    p->shown = 1;
}

static void update(cli_progress *p)
{
    unsigned long long done = atomic_load_explicit(&p->done, memory_order_relaxed);
    unsigned long long total = atomic_load_explicit(&p->total, memory_order_relaxed);
    double el = since(&p->t0), rate = el > 0 ? (double)done / el : 0;
    char line[320], e[32], l[32], r[32];
    clock_text(el, e, sizeof e);
    rate_text(rate, r, sizeof r);
    unsigned long long work = atomic_load_explicit(&p->work, memory_order_relaxed);
    unsigned long long work_total = atomic_load_explicit(&p->work_total, memory_order_relaxed);
    if (!total && work_total && work > 0 && work <= work_total && done > 0) {
        double f = (double)work / (double)work_total;
        snprintf(line, sizeof line, "%s: %llu %s (%.1f %%), %s/s, elapsed %s, left about %s", p->cmd, done, p->unit,
                 100.0 * f, r, e, clock_text(el * (1 - f) / f, l, sizeof l));
    } else if (total && done <= total && done > 0)
        snprintf(line, sizeof line, "%s: %llu of %llu %s (%.1f %%), %s/s, elapsed %s, left about %s", p->cmd, done,
                 total, p->unit, 100.0 * (double)done / (double)total, r, e,
                 clock_text((double)(total - done) / rate, l, sizeof l));
    else if (total && done == 0)
        snprintf(line, sizeof line, "%s: 0 of %llu %s, elapsed %s", p->cmd, total, p->unit, e);
    else if (done)
        snprintf(line, sizeof line, "%s: %llu %s, %s/s, elapsed %s", p->cmd, done, p->unit, r, e);
    else
        snprintf(line, sizeof line, "%s: working, elapsed %s", p->cmd, e);
    emit(p, line, 0);
}

/* How long to wait before the next update, in seconds. */
static double interval(const cli_progress *p)
{
    double el;
    if (p->fixed > 0)
        return p->fixed;
    if (p->tty)
        return 0.25;
    el = since(&p->t0) / 20;
    return el < 1 ? 1 : el > 60 ? 60 : el;
}

static void *reporter(void *arg)
{
    cli_progress *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        struct timespec at;
        double wait = interval(p);
        int rc = 0;
        clock_gettime(CLOCK_MONOTONIC, &at);
        at.tv_sec += (time_t)wait;
        at.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
        if (at.tv_nsec >= 1000000000L) {
            at.tv_sec++;
            at.tv_nsec -= 1000000000L;
        }
        while (!p->stop && rc == 0)
            rc = pthread_cond_timedwait(&p->cv, &p->mu, &at); /* spurious wake-ups wait again */
        if (!p->stop)
            update(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int cli_progress_mode(int mode, int writes_stdout)
{
    return mode == CLI_PROGRESS_AUTO && writes_stdout && isatty(STDOUT_FILENO) ? CLI_PROGRESS_OFF : mode;
}

cli_progress *cli_progress_start(const char *cmd, const char *unit, unsigned long long total, int mode)
{
    cli_progress *p;
    pthread_condattr_t ca;
    const char *env = getenv("SARX_PROGRESS_MS");
    int tty = isatty(STDERR_FILENO);
    if (mode == CLI_PROGRESS_OFF || (mode == CLI_PROGRESS_AUTO && !tty))
        return NULL;
    if (!(p = calloc(1, sizeof *p)))
        return NULL;
    atomic_init(&p->done, 0);
    atomic_init(&p->total, total);
    atomic_init(&p->work, 0);
    atomic_init(&p->work_total, 0);
    p->cmd = cmd;
    p->unit = unit;
    p->tty = tty;
    p->log = mode == CLI_PROGRESS_ON;
    if (env && *env) {
        char *end;
        double ms = strtod(env, &end);
        if (!*end && ms >= 10 && ms <= 3600000) /* else ignored: progress is never a reason to fail */
            p->fixed = ms / 1000;
    }
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    if (pthread_condattr_init(&ca) != 0) {
        free(p);
        return NULL;
    }
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        pthread_condattr_destroy(&ca);
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    pthread_condattr_destroy(&ca);
    if (pthread_create(&p->th, NULL, reporter, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    return p;
}

void cli_progress_add(cli_progress *p, unsigned long long n)
{
    if (p)
        atomic_fetch_add_explicit(&p->done, n, memory_order_relaxed);
}

void cli_progress_work(cli_progress *p, unsigned long long done, unsigned long long total)
{
    if (p) {
        atomic_store_explicit(&p->work_total, total, memory_order_relaxed);
        atomic_store_explicit(&p->work, done, memory_order_relaxed);
    }
}

void cli_progress_work_add(cli_progress *p, unsigned long long n)
{
    if (p)
        atomic_fetch_add_explicit(&p->work, n, memory_order_relaxed);
}

size_t cli_progress_write(cli_progress *p, const void *text, size_t n, FILE *f)
{
    size_t w;
    if (!p)
        return fwrite(text, 1, n, f);
    pthread_mutex_lock(&p->mu);
    if (p->tty && p->shown && f == stderr)
        fputs("\r\033[K", stderr); /* the progress line goes; the next update draws it under the text */
    w = fwrite(text, 1, n, f);
    pthread_mutex_unlock(&p->mu);
    return w;
}

void cli_progress_total(cli_progress *p, unsigned long long total)
{
    if (p)
        atomic_store_explicit(&p->total, total, memory_order_relaxed);
}

void cli_progress_end(cli_progress *p, int ok)
{
    unsigned long long done;
    double el;
    char line[320], e[32], r[32];
    int saved = errno; /* for the caller's message about what failed */
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    done = atomic_load_explicit(&p->done, memory_order_relaxed);
    el = since(&p->t0);
    clock_text(el, e, sizeof e);
    if (ok && (p->shown || p->log)) {
        if (done)
            snprintf(line, sizeof line, "%s: done, %llu %s in %s (%s/s)", p->cmd, done, p->unit, e,
                     rate_text(el > 0 ? (double)done / el : 0, r, sizeof r));
        else
            snprintf(line, sizeof line, "%s: done in %s", p->cmd, e);
        emit(p, line, 1);
    } else if (!ok && p->tty && p->shown) {
        fputs("\r\033[K", stderr); /* the error that follows starts a clean line */
    } else if (!ok && !p->tty) {
        snprintf(line, sizeof line, "%s: stopped after %llu %s, elapsed %s", p->cmd, done, p->unit, e);
        emit(p, line, 1);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    errno = saved;
}
