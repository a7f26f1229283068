/*
** statfile.h — Stata, SPSS and SAS files as CSV text for `sarx cohort`
** (statfile.c, through ReadStat).  libsarx never sees these formats: the
** command turns them into the CSV that `sarx cohort` reads, so that the same
** classification path and the same row accounting apply (row N of the file
** is row N of the CSV).  docs/FILES.md says what becomes of each kind of
** value (missing, labelled, dates, text that is not valid UTF-8).
*/
#ifndef SARX_CLI_STATFILE_H
#define SARX_CLI_STATFILE_H

#include <stddef.h>

enum {
    STATFILE_NONE = 0, /* read as CSV */
    STATFILE_EXCEL,    /* .xlsx .xls .xlsm .ods: not read (statfile_excel_message) */
    STATFILE_DTA,      /* Stata .dta */
    STATFILE_SAV,      /* SPSS .sav and .zsav */
    STATFILE_POR,      /* SPSS portable .por */
    STATFILE_SAS7BDAT, /* SAS .sas7bdat */
    STATFILE_XPORT     /* SAS transport .xpt */
};

/* The kind of file by its name (the extension, any case): STATFILE_NONE
** (read as CSV), STATFILE_EXCEL (not read), or one that ReadStat reads. */
int statfile_kind(const char *path);

/* The message for a file sarx does not read (Excel): what to do instead.
** A constant string, one sentence after "sarx: PATH: ". */
const char *statfile_excel_message(const char *path);

/* Start converting: returns 0 and *fd, the read end of a pipe that gives
** UTF-8 CSV (',' separated, RFC 4180 quoting, header = the variable names,
** '\n' line ends) while a thread parses the file; or non-zero with a message
** in msg (cannot open, not a valid file of that kind), and nothing to close.
** Only whole rows are ever written to the pipe. */
typedef struct statfile statfile;
int statfile_open(const char *path, statfile **out, int *fd, char *msg, size_t msgsize);

/* The number of rows the file says it has (its header), or -1 when it
** does not say (.xpt, .por, and a .sav written without it).  Set before
** statfile_open returns and never changed after: safe to call from the
** reader's thread while the conversion runs, until statfile_close.  It is
** the file's word, for a progress line: statfile_close reports a file
** whose rows are not that many. */
long statfile_rows_declared(const statfile *s);

/* After the reader saw end of file on fd (or gave up: close fd first, or
** this waits for a reader that never comes): join the thread and free s.
** Returns 0 (every row of the file was written, or the reader closed fd
** before the end), or non-zero with a message: a read error in the middle
** of the file, saying how many rows were read before it. */
int statfile_close(statfile *s, char *msg, size_t msgsize);

#endif
