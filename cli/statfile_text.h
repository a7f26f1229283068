/*
** statfile_text.h — the text a Stata, SPSS or SAS value becomes
** (statfile_text.c), for the converter (statfile.c).
*/
#ifndef SARX_CLI_STATFILE_TEXT_H
#define SARX_CLI_STATFILE_TEXT_H

#include <stddef.h>

/* How a numeric variable's display format says its values are dates. */
enum { D_NONE, D_DAYS_1960, D_MS_1960, D_SEC_1960, D_SEC_1582 };

/* The date kind (D_*) of a Stata, SPSS or SAS display format. */
int statfile_stata_date(const char *format);
int statfile_spss_date(const char *format);
int statfile_sas_date(const char *format);
/* YYYY-MM-DD of a day counted from 1970-01-01 at w (10 bytes); 0 when it
** falls outside 0001-9999 (the value then stays a number). */
int statfile_put_date(char *w, double days1970);
/* The shortest decimal that reads back as v (of the float f) at w (32
** bytes, in the "C" locale); returns its length. */
size_t statfile_put_double(char *w, double v);
size_t statfile_put_float(char *w, float f);

#endif
