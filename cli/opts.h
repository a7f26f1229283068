/*
** opts.h — the one option machinery of the sarx command.
**
** Each subcommand describes its options once, in a table (name, short
** letter, value name, help); from that table come the getopt_long array
** that parses them, the --help text, the manual page (sarx --man) and the
** bash completion (sarx --completion bash), so the four cannot drift.
**
** Parsing is getopt_long's, with these rules on top:
**   - --opt=value and --opt value both work; a value option given last
**     without a value is an error naming the option;
**   - operands may come before, between or after the options (in order,
**     whatever POSIXLY_CORRECT says); "--" ends the options;
**   - a long option must be spelled whole: an abbreviation that getopt_long
**     would take (--sum for --summary) is refused with "did you mean", so a
**     script keeps its meaning when an option is added later;
**   - an unknown option gets "did you mean" when a known one is close;
**   - -h/--help prints the command's help on stdout.
**
**     cli_parse p;
**     const char *v;
**     int k;
**     cli_parse_begin(&p, &cli_cmd_synth, argc, argv);
**     while ((k = cli_parse_next(&p, &v)) != CLI_END) {
**         if (k == CLI_HELP) return EXIT_OK;
**         if (k == CLI_BAD) return EXIT_USAGE;
**         if (k == CLI_OPERAND) ...v...;
**         else switch (k) { case SYNTH_SEED: ...v...; }
**     }
*/
#ifndef SARX_CLI_OPTS_H
#define SARX_CLI_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* What a value (or an operand) is, for the completion. */
enum {
    CLI_C_NONE,        /* anything: nothing is offered */
    CLI_C_FILE,        /* a file name */
    CLI_C_DIR,         /* a directory */
    CLI_C_WORDS,       /* one of cli_opt.words */
    CLI_C_DEFINITIONS, /* definition ids and kinds (a comma-separated list) */
    CLI_C_PRESETS      /* the simulator's presets */
};

/* Option flags. */
#define CLI_ONCE 1u /* given twice is an error (not the last one silently) */

typedef struct cli_opt {
    int id;            /* what cli_parse_next returns for it (>= 0) */
    const char *name;  /* the long name, without "--" */
    char letter;       /* the short form, or 0 */
    const char *arg;   /* the value's name in the help ("FILE"); NULL: a flag */
    unsigned flags;    /* CLI_ONCE */
    int complete;      /* CLI_C_* for the value */
    const char *words; /* CLI_C_WORDS: the values, space-separated */
    const char *help;  /* one or more lines ('\n' between) */
} cli_opt;

/* The end of a table of options. */
#define CLI_OPT_END {0, NULL, 0, NULL, 0, CLI_C_NONE, NULL, NULL}

typedef struct cli_command {
    const char *name;     /* "cohort", "registry export" */
    const char *synopsis; /* after "usage: sarx NAME "; several forms '\n'-separated */
    const char *summary;  /* one line, for `sarx --help` */
    const char *about;    /* the help's text before the options (may be NULL) */
    const cli_opt *opts;  /* ends with an entry whose name is NULL */
    const char *notes;    /* the help's text after the options (may be NULL) */
    int operands;         /* CLI_C_* for the operands */
} cli_command;

/* The subcommands (their tables live beside their code). */
extern const cli_command cli_cmd_assess, cli_cmd_definitions, cli_cmd_cohort, cli_cmd_synth, cli_cmd_fields,
    cli_cmd_simulate, cli_cmd_serve, cli_cmd_registry_export, cli_cmd_registry_check;
/* Every subcommand, in the order `sarx --help` and the manual list them;
** NULL-terminated. */
extern const cli_command *const cli_commands[];

/* At most this many options a command (help included). */
#define CLI_MAX_OPTS 40

/* cli_parse_next's answers besides an option's id. */
enum { CLI_END = -1, CLI_OPERAND = -2, CLI_HELP = -3, CLI_BAD = -4 };

typedef struct cli_parse {
    const cli_command *cmd;
    int argc;
    char **argv;
    int rest;   /* after "--" or getopt's end: the next operand's index */
    int done;
    int n;      /* options in the table */
    unsigned char seen[CLI_MAX_OPTS];
    char shortopts[4 + 3 * CLI_MAX_OPTS];
    struct option lo[CLI_MAX_OPTS + 2]; /* the getopt_long array */
} cli_parse;

/* Start parsing argv[1..argc) of cmd (argv[0] is the subcommand's name). */
void cli_parse_begin(cli_parse *p, const cli_command *cmd, int argc, char **argv);
/* The next option's id (*val: its value, or NULL for a flag); CLI_OPERAND
** (*val: the operand); CLI_END; CLI_HELP (the help printed on stdout: exit
** 0); CLI_BAD (the error said on stderr, with the usage: exit 2). */
int cli_parse_next(cli_parse *p, const char **val);

/* A usage error of cmd: "sarx NAME: MESSAGE", then the usage lines and a
** pointer to --help, on stderr.  Returns EXIT_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The help of cmd (on f). */
void cli_help(const cli_command *cmd, FILE *f);
/* The usage lines of cmd only. */
void cli_usage(const cli_command *cmd, FILE *f);

/* The name among names[0..n) closest to s (edit distance, or s a prefix
** of it), when close enough to be what was meant; else NULL. */
const char *cli_closest(const char *s, const char *const *names, size_t n);

/* ---- generated documents (opts_doc.c) ---- */
/* `sarx --help`: every command. */
void cli_main_help(FILE *f);
/* `sarx --version`: the library and each definition's version. */
int cli_version(FILE *f);
/* The manual page sarx(1), roff (man/sarx.1). */
int cli_man(FILE *f);
/* The bash completion (completion/sarx.bash). */
int cli_completion_bash(FILE *f);

#endif
