/*
** simulate.h — what cli/simulate.c (the options) and cli/simulate_pop.c (a
** population's run) share.
*/
#ifndef SARX_CLI_SIMULATE_H
#define SARX_CLI_SIMULATE_H

#define MAX_AGES 32 /* --ages: at most this many */

/* A population through the engine (cli/simulate_pop.c): the summary on
** stdout, and the files asked for (NULL: not written); an EXIT_ code. */
int run_population(const sarx_scenario *sc, long people, const double *ages, size_t nages, unsigned long long seed,
                   int threads, const char *rows_path, const char *summary_path, const char *detail_path, int progress);
/* 0 when --rows and --detail of people x nages fit in memory; else -1
** after a message with the estimate. */
int rows_fit(unsigned long long people, size_t nages, unsigned long long threads, int rows, int detail);

#endif
