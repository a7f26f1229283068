/*
** main.c — the sarx command: dispatch to a subcommand.
*/
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: sarx <command> [options]\n"
    "\n"
    "Muscle-loss assessment: every published definition of sarcopenia, dynapenia,\n"
    "cachexia and malnutrition, side by side, with thresholds and citations.\n"
    "Decision support, not a diagnosis.\n"
    "\n"
    "commands:\n"
    "  assess [--format auto|text|json] [--explain] [--pretty] [FILE|-]\n"
    "                      assess one subject (a JSON object) or many (JSON Lines)\n"
    "  definitions [--format text|markdown|json]\n"
    "                      the definitions, their criteria, thresholds and citations\n"
    "  cohort FILE.csv [-o rows.csv] [--summary summary.json] [--plot DIR] [--threads N]\n"
    "                      every definition over every row; prevalence and agreement\n"
    "  synth N [--seed S] [--bad P] [-o FILE]\n"
    "                      a synthetic cohort CSV for tests and benchmarks\n"
    "  fields              the input fields with units and plausible ranges\n"
    "  simulate (--preset NAME | --scenario FILE.json) [--seed S] [--out FILE.csv] [--plot DIR]\n"
    "                      the motor-unit model over a lifespan or an intervention\n"
    "\n"
    "options:\n"
    "  -h, --help          this help (also: sarx <command> --help)\n"
    "  -V, --version       the version\n"
    "\n"
    "exit status: 0 success, 1 input errors, 2 usage error\n";

static int cmd_fields(int argc, char **argv)
{
    size_t i;
    static const char *const kind[] = {"number", "integer", "bool", "enum", "text", "date", "list", "history"};
    (void)argv;
    if (argc > 1) {
        fputs("usage: sarx fields\n", stderr);
        return EXIT_USAGE;
    }
    printf("%-28s %-8s %-14s %s\n", "field", "kind", "unit", "range / values — description");
    for (i = 0; i < sarx_field_count(); i++) {
        const sarx_field_info *f = sarx_field_at(i);
        printf("%-28s %-8s %-14s ", f->name, kind[f->kind], f->unit);
        if (f->kind == SARX_KIND_NUMBER || f->kind == SARX_KIND_INTEGER)
            printf("%.4g-%.4g", f->min, f->max);
        else if (f->values)
            printf("%s", f->values);
        if (strcmp(f->name, f->canonical) != 0)
            printf(" (alternate for %s)", f->canonical);
        printf(" — %s\n", f->description);
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("sarx %s\n", sarx_version());
        return EXIT_OK;
    }
    if (strcmp(argv[1], "assess") == 0)
        return cmd_assess(argc - 1, argv + 1);
    if (strcmp(argv[1], "definitions") == 0)
        return cmd_definitions(argc - 1, argv + 1);
    if (strcmp(argv[1], "cohort") == 0)
        return cmd_cohort(argc - 1, argv + 1);
    if (strcmp(argv[1], "synth") == 0)
        return cmd_synth(argc - 1, argv + 1);
    if (strcmp(argv[1], "fields") == 0)
        return cmd_fields(argc - 1, argv + 1);
    if (strcmp(argv[1], "simulate") == 0)
        return cmd_simulate(argc - 1, argv + 1);
    if (strcmp(argv[1], "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(argv[1], "registry") == 0)
        return cmd_registry(argc - 1, argv + 1);
    fprintf(stderr, "sarx: unknown command \"%s\"\n\n%s", argv[1], usage);
    return EXIT_USAGE;
}
