/*
** cli.h — the sarx command's subcommands.  Each is a thin client of libsarx.
*/
#ifndef SARX_CLI_H
#define SARX_CLI_H

#include <stdio.h>

#include "sarx.h"

/* Exit statuses (README.md). */
#define EXIT_OK 0
#define EXIT_INPUT 1
#define EXIT_USAGE 2

int cmd_assess(int argc, char **argv);
int cmd_definitions(int argc, char **argv);
int cmd_cohort(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
/* simulate_check.c: sarx simulate --validate and --compare */
int sim_validate_run(unsigned long long seed, long people, int threads, int compare, const char *svg, int progress);
int cmd_serve(int argc, char **argv);
int cmd_registry(int argc, char **argv);

/* Print "sarx: <where>: <message>" to stderr. */
void cli_error(const char *where, const sarx_error *err);

#endif
