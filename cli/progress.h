/*
** progress.h — the progress line of the sarx command's long jobs (simulate
** --population, synth, registry export, cohort).
**
** On stderr when it is a terminal: things done (of the total when known),
** rate, elapsed time and an estimate of what is left, redrawn in place at
** most four times a second, and a last line when done.  --progress shows it
** even when stderr is not a terminal, one line per update (for logs);
** --quiet, or stderr not a terminal, shows nothing.
**
** The work only adds to a counter (one relaxed atomic add, from any thread:
** call it per item or per block); a reporter thread reads the counter and
** the clock on its own schedule, so the work's loop reads no clock at all.
** Every function takes NULL (progress off) and then does nothing, so a
** command calls them unconditionally:
**
**     int mode = CLI_PROGRESS_AUTO;          (--progress / --quiet change it)
**     cli_progress *p = cli_progress_start("sarx cohort", "rows", 0, mode);
**     ... cli_progress_add(p, rows_in_block); ...
**     cli_progress_end(p, ok);               (before printing any result or error)
*/
#ifndef SARX_CLI_PROGRESS_H
#define SARX_CLI_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

enum {
    CLI_PROGRESS_AUTO, /* when stderr is a terminal (the default) */
    CLI_PROGRESS_ON,   /* --progress: also when it is not (one line per update) */
    CLI_PROGRESS_OFF   /* --quiet */
};

typedef struct cli_progress cli_progress;

/* --progress (want CLI_PROGRESS_ON) or --quiet (CLI_PROGRESS_OFF) as the
** option parser met it: 0 with *mode set, or -1 after a message when the
** other one was given before.  cmd is "sarx synth". */
int cli_progress_choose(const char *cmd, int want, int *mode);

/* The mode for a command that writes its data to stdout as it goes
** (writes_stdout): on a terminal the progress line would be drawn inside
** that data, so the default shows nothing there (--progress still does). */
int cli_progress_mode(int mode, int writes_stdout);

/* Start reporting, or NULL when mode (and stderr) say nothing is shown, or
** when out of memory (then the work runs silently).  cmd prefixes each line
** ("sarx synth"), unit names what is counted ("rows", "people"; plural),
** total is how many there will be, or 0 when not known.  Both strings must
** outlive the reporter. */
cli_progress *cli_progress_start(const char *cmd, const char *unit, unsigned long long total, int mode);

/* n more done; from any thread, at any rate (one atomic add). */
void cli_progress_add(cli_progress *p, unsigned long long n);

/* When what is counted has no total (rows of a file), the share of the
** work done that the estimate of what is left uses instead: done of total
** (bytes read of the file's size, say); a later call replaces it. */
void cli_progress_work(cli_progress *p, unsigned long long done, unsigned long long total);
/* n more of that work done; from any thread (one atomic add). */
void cli_progress_work_add(cli_progress *p, unsigned long long n);

/* fwrite(text, 1, n, f) for a message while progress may be shown: on a
** terminal the progress line is cleared first, so that the message stands
** on a line of its own (the next update draws the line again below it). */
size_t cli_progress_write(cli_progress *p, const void *text, size_t n, FILE *f);

/* The total, once it is known (0: unknown). */
void cli_progress_total(cli_progress *p, unsigned long long total);

/* Stop the reporter and free it.  ok: the last line says "done" (when
** anything was shown, or always with --progress); else the line is cleared
** (a terminal) or says "stopped", so that the error that follows stands
** alone. */
void cli_progress_end(cli_progress *p, int ok);

#endif
