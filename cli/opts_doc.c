/*
** opts_doc.c — what is written from the option tables (opts.h): `sarx
** --help`, `sarx --version`, the manual page sarx(1) (`sarx --man`, kept as
** man/sarx.1) and the bash completion (`sarx --completion bash`, kept as
** completion/sarx.bash).  tests/cli/options.sh checks that the kept files
** are what this writes, so a changed option shows up in both or the test
** fails.
*/
#include "opts.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char about[] =
    "Muscle-loss assessment: every published definition of sarcopenia, dynapenia,\n"
    "cachexia and malnutrition, side by side, with thresholds and citations.\n"
    "Decision support, not a diagnosis.\n";

/* The options of sarx itself (before any command). */
static const cli_opt top_opts[] = {
    {0, "version", 'V', NULL, 0, CLI_C_NONE, NULL, "the version of sarx and of each definition's table"},
    {0, "man", 0, NULL, 0, CLI_C_NONE, NULL, "the manual page sarx(1), roff (sarx --man | man -l -)"},
    {0, "completion", 0, "bash", 0, CLI_C_WORDS, "bash", "the bash completion script (completion/sarx.bash)"},
    {0, NULL, 0, NULL, 0, 0, NULL, NULL}};

static const char exit_status[] = "0 success, 1 input errors, 2 usage error";

void cli_main_help(FILE *f)
{
    size_t i, w = 0;
    fputs("usage: sarx <command> [options]\n"
          "       sarx help [<command>]\n\n",
          f);
    fputs(about, f);
    fputs("\ncommands:\n", f);
    for (i = 0; cli_commands[i]; i++)
        if (strlen(cli_commands[i]->name) > w)
            w = strlen(cli_commands[i]->name);
    if (w < strlen("    --completion bash"))
        w = strlen("    --completion bash");
    for (i = 0; cli_commands[i]; i++)
        fprintf(f, "  %-*s  %s\n", (int)w, cli_commands[i]->name, cli_commands[i]->summary);
    fputs("\noptions:\n", f);
    fprintf(f, "  %-*s  %s\n", (int)w, "-h, --help", "this help (also: sarx <command> --help)");
    for (i = 0; top_opts[i].name; i++) {
        char label[64];
        if (top_opts[i].letter)
            snprintf(label, sizeof label, "-%c, --%s", top_opts[i].letter, top_opts[i].name);
        else
            snprintf(label, sizeof label, "    --%s%s%s", top_opts[i].name, top_opts[i].arg ? " " : "",
                     top_opts[i].arg ? top_opts[i].arg : "");
        fprintf(f, "  %-*s  %s\n", (int)w, label, top_opts[i].help);
    }
    fprintf(f, "\nexit status: %s\n", exit_status);
}

int cli_version(FILE *f)
{
    sarx_ctx *ctx;
    sarx_error err;
    size_t i;
    fprintf(f, "sarx %s\n", sarx_version());
    if (sarx_ctx_new(&ctx, &err) != SARX_OK) {
        cli_error("--version", &err);
        return EXIT_INPUT;
    }
    fputs("definitions:", f);
    for (i = 0; i < sarx_definition_count(ctx); i++) {
        const sarx_definition *d = sarx_definition_at(ctx, i);
        fprintf(f, "%s %s %s", i ? "," : "", sarx_definition_id(d), sarx_definition_version(d));
    }
    fputs("\n", f);
    sarx_ctx_free(ctx);
    return EXIT_OK;
}

/* ---- the manual page -------------------------------------------------- */

/* Text in roff: a backslash is \e, a line must not start with '.' or '\'',
** and the dashes of an option's name (a word that starts with one: -o,
** --no-guidance) are \-, so that they stay ASCII hyphen-minus to copy;
** other hyphens are left alone. */
static void roff_text(FILE *f, const char *s, size_t n)
{
    size_t i;
    int bol = 1, option = 0;
    for (i = 0; i < n; i++) {
        char c = s[i], prev = i ? s[i - 1] : ' ';
        if (bol && (c == '.' || c == '\''))
            fputs("\\&", f);
        bol = 0;
        if (c == '-' && (option || prev == ' ' || prev == '(' || prev == '[' || prev == '|' || prev == '"' ||
                         prev == '\n' || i == 0))
            option = 1; /* in an option's name, every dash */
        else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-')
            option = 0;
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-' && option)
            fputs("\\-", f);
        else
            fputc(c, f);
        if (c == '\n')
            bol = 1;
    }
}

static void roff_str(FILE *f, const char *s)
{
    roff_text(f, s, strlen(s));
}

/* Paragraphs: a blank line starts a new one (.PP); a line that starts
** with spaces is kept as it is (an aligned list), the others are filled. */
static void roff_paragraphs(FILE *f, const char *s)
{
    int literal = 0;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        int indented = s[0] == ' ';
        if (n == 0) {
            if (literal)
                fputs(".fi\n", f);
            literal = 0;
            fputs(".PP\n", f);
        } else {
            if (indented && !literal)
                fputs(".nf\n", f);
            else if (!indented && literal)
                fputs(".fi\n", f);
            literal = indented;
            roff_text(f, s, n);
            fputc('\n', f);
        }
        s += n + (nl != NULL);
    }
    if (literal)
        fputs(".fi\n", f);
}

static void roff_option(FILE *f, const cli_opt *o)
{
    const char *c;
    fputs(".TP\n", f);
    if (o->letter)
        fprintf(f, "\\fB\\-%c\\fR, ", o->letter);
    fputs("\\fB\\-\\-", f);
    for (c = o->name; *c; c++) /* every dash of the name: roff_text's comment */
        if (*c == '-')
            fputs("\\-", f);
        else
            fputc(*c, f);
    fputs("\\fR", f);
    if (o->arg) {
        fputs(" \\fI", f);
        roff_str(f, o->arg);
        fputs("\\fR", f);
    }
    fputc('\n', f);
    roff_paragraphs(f, o->help);
}

static void roff_command(FILE *f, const cli_command *c)
{
    const char *s = c->synopsis;
    const cli_opt help = {0, "help", 'h', NULL, 0, CLI_C_NONE, NULL, "this help, on the standard output"};
    size_t i;
    fprintf(f, ".SS \"sarx %s\"\n", c->name);
    roff_paragraphs(f, c->summary);
    fputs(".PP\n.nf\n", f);
    do {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (s[0] == ' ') /* goes on with the form before */
            fprintf(f, "%*s", (int)strlen(c->name) + 1, "");
        else
            fprintf(f, "\\fBsarx %s\\fR ", c->name);
        roff_text(f, s, n);
        fputc('\n', f);
        s = nl ? nl + 1 : NULL;
    } while (s);
    fputs(".fi\n", f);
    if (c->about) {
        fputs(".PP\n", f);
        roff_paragraphs(f, c->about);
    }
    for (i = 0; c->opts[i].name; i++)
        roff_option(f, &c->opts[i]);
    roff_option(f, &help);
    if (c->notes) {
        fputs(".PP\n", f);
        roff_paragraphs(f, c->notes);
    }
}

int cli_man(FILE *f)
{
    sarx_ctx *ctx;
    sarx_error err;
    size_t i;
    if (sarx_ctx_new(&ctx, &err) != SARX_OK) {
        cli_error("--man", &err);
        return EXIT_INPUT;
    }
    fprintf(f,
            ".\\\" sarx(1), written by `sarx --man` from the option tables (cli/opts_doc.c); do not edit.\n"
            ".TH SARX 1 \"\" \"sarx %s\" \"User Commands\"\n"
            ".nh\n"
            ".ad l\n"
            ".SH NAME\n"
            "sarx \\- muscle-loss assessment: sarcopenia, cachexia, malnutrition\n"
            ".SH SYNOPSIS\n"
            ".nf\n"
            "\\fBsarx\\fR \\fIcommand\\fR [\\fIoptions\\fR]\n"
            "\\fBsarx help\\fR [\\fIcommand\\fR]\n"
            "\\fBsarx\\fR \\-\\-help | \\-\\-version | \\-\\-man | \\-\\-completion bash\n"
            ".fi\n"
            ".SH DESCRIPTION\n",
            sarx_version());
    roff_paragraphs(f, about);
    fputs(".PP\n"
          "Each command takes its options in either form, \\fB\\-\\-opt value\\fR or \\fB\\-\\-opt=value\\fR,\n"
          "before or after its operands; long options are spelled whole; \\fB\\-\\-\\fR ends the options.\n"
          "\\fBsarx\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR prints the command's part of this page.\n"
          ".SH COMMANDS\n",
          f);
    for (i = 0; cli_commands[i]; i++)
        roff_command(f, cli_commands[i]);
    fputs(".SH OPTIONS\n"
          "Before any command:\n"
          ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nthe commands and these options\n",
          f);
    for (i = 0; top_opts[i].name; i++)
        roff_option(f, &top_opts[i]);
    fputs(".SH DEFINITIONS\n"
          "The definitions a \\fB\\-\\-definitions\\fR list may name, by id or by kind, with the version of\n"
          "each one's table (\\fBsarx definitions\\fR has their criteria, thresholds and citations):\n",
          f);
    for (i = 0; i < sarx_definition_count(ctx); i++) {
        const sarx_definition *d = sarx_definition_at(ctx, i);
        fputs(".TP\n\\fB", f);
        roff_str(f, sarx_definition_id(d));
        fputs("\\fR\n", f);
        roff_str(f, sarx_definition_title(d));
        fputs(" (", f);
        roff_str(f, sarx_definition_kind(d));
        fprintf(f, ", table version %s)\n", sarx_definition_version(d));
    }
    sarx_ctx_free(ctx);
    fputs(".SH PRESETS\n"
          "The scenarios \\fBsarx simulate \\-\\-preset\\fR runs:\n",
          f);
    for (i = 0; i < sarx_scenario_preset_count(); i++) {
        fputs(".TP\n\\fB", f);
        roff_str(f, sarx_scenario_preset_name(i));
        fputs("\\fR\n", f);
        roff_str(f, sarx_scenario_preset_description(i));
        fputc('\n', f);
    }
    fputs(".SH EXIT STATUS\n", f);
    fprintf(f, "%s.\n", exit_status);
    fputs(".SH ENVIRONMENT\n"
          ".TP\n\\fBSARX_TOKEN\\fR\n"
          "the API token of \\fBsarx serve\\fR (else \\fB\\-\\-token\\-file\\fR, else \\fIPATH\\fR.token beside the registry)\n"
          ".SH NOTES\n"
          "The manual in full is the docs/ directory of the source: docs/COHORT.md (cohort files),\n"
          "docs/FILES.md (research files), docs/INPUT.md (the input fields), docs/API.md and\n"
          "docs/REGISTRY.md (the server), docs/SIMULATOR.md (the simulator).\n",
          f);
    return EXIT_OK;
}

/* ---- the bash completion ---------------------------------------------- */

/* The words of an option's value, for `compgen -W`; "" when files or
** nothing. */
static void bash_value(FILE *f, const cli_opt *o)
{
    switch (o->complete) {
    case CLI_C_FILE: fputs("_sarx_files", f); break;
    case CLI_C_DIR: fputs("_sarx_dirs", f); break;
    case CLI_C_WORDS: fprintf(f, "_sarx_words '%s'", o->words); break;
    case CLI_C_DEFINITIONS: fputs("_sarx_list \"$_sarx_definitions\"", f); break;
    case CLI_C_PRESETS: fputs("_sarx_words \"$_sarx_presets\"", f); break;
    default: fputs("COMPREPLY=()", f); break;
    }
}

static void bash_operand(FILE *f, int kind)
{
    switch (kind) {
    case CLI_C_FILE: fputs("_sarx_files", f); break;
    case CLI_C_DIR: fputs("_sarx_dirs", f); break;
    default: fputs("COMPREPLY=()", f); break;
    }
}

int cli_completion_bash(FILE *f)
{
    sarx_ctx *ctx;
    sarx_error err;
    size_t i, j;
    if (sarx_ctx_new(&ctx, &err) != SARX_OK) {
        cli_error("--completion", &err);
        return EXIT_INPUT;
    }
    fputs("# bash completion for sarx, written by `sarx --completion bash` from the\n"
          "# option tables (cli/opts_doc.c); do not edit.  Source it, or install it as\n"
          "# /usr/share/bash-completion/completions/sarx.\n\n",
          f);
    fputs("_sarx_definitions='", f);
    for (i = 0; i < sarx_definition_count(ctx); i++)
        fprintf(f, "%s%s", i ? " " : "", sarx_definition_id(sarx_definition_at(ctx, i)));
    for (i = 0; i < sarx_definition_count(ctx); i++) { /* the kinds, each once */
        const char *k = sarx_definition_kind(sarx_definition_at(ctx, i));
        for (j = 0; j < i; j++)
            if (strcmp(k, sarx_definition_kind(sarx_definition_at(ctx, j))) == 0)
                break;
        if (j == i)
            fprintf(f, " %s", k);
    }
    fputs("'\n_sarx_presets='", f);
    for (i = 0; i < sarx_scenario_preset_count(); i++)
        fprintf(f, "%s%s", i ? " " : "", sarx_scenario_preset_name(i));
    fputs("'\n\n", f);
    sarx_ctx_free(ctx);
    fputs("_sarx_words() { COMPREPLY=($(compgen -W \"$1\" -- \"$cur\")); }\n"
          "_sarx_files() { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); }\n"
          "_sarx_dirs() { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")); }\n"
          "# a comma-separated list: complete its last name\n"
          "_sarx_list() {\n"
          "    local head=\n"
          "    case $cur in *,*) head=${cur%,*},; esac\n"
          "    COMPREPLY=($(compgen -P \"$head\" -W \"$1\" -- \"${cur##*,}\"))\n"
          "}\n\n"
          "_sarx() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=\n"
          "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    # --opt=value: bash splits the word at '=' (COMP_WORDBREAKS)\n"
          "    if [[ $cur == = ]]; then\n"
          "        cur=\n"
          "    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
          "        prev=${COMP_WORDS[COMP_CWORD-2]}\n"
          "    fi\n"
          "    if (( COMP_CWORD == 1 )); then\n"
          "        _sarx_words '",
          f);
    for (i = 0; cli_commands[i]; i++)
        if (!strchr(cli_commands[i]->name, ' '))
            fprintf(f, "%s ", cli_commands[i]->name);
    fputs("registry help --help --version --man --completion'\n"
          "        return\n"
          "    fi\n"
          "    cmd=${COMP_WORDS[1]}\n"
          "    case $cmd in\n"
          "    help)\n"
          "        (( COMP_CWORD == 2 )) && _sarx_words '",
          f);
    for (i = 0; cli_commands[i]; i++)
        if (!strchr(cli_commands[i]->name, ' '))
            fprintf(f, "%s ", cli_commands[i]->name);
    fputs("registry'\n"
          "        return ;;\n"
          "    --completion)\n"
          "        _sarx_words bash\n"
          "        return ;;\n"
          "    registry)\n"
          "        if (( COMP_CWORD == 2 )); then\n"
          "            _sarx_words 'export check --help'\n"
          "            return\n"
          "        fi\n"
          "        cmd=\"registry ${COMP_WORDS[2]}\" ;;\n"
          "    esac\n"
          "    # the value of the option before\n"
          "    case \"$cmd/$prev\" in\n",
          f);
    for (i = 0; cli_commands[i]; i++) {
        const cli_command *c = cli_commands[i];
        for (j = 0; c->opts[j].name; j++) {
            const cli_opt *o = &c->opts[j];
            if (!o->arg)
                continue;
            fprintf(f, "    \"%s/--%s\"", c->name, o->name);
            if (o->letter)
                fprintf(f, " | \"%s/-%c\"", c->name, o->letter);
            fputs(")\n        ", f);
            bash_value(f, o);
            fputs("\n        return ;;\n", f);
        }
    }
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        case $cmd in\n",
          f);
    for (i = 0; cli_commands[i]; i++) {
        const cli_command *c = cli_commands[i];
        fprintf(f, "        \"%s\") _sarx_words '", c->name);
        for (j = 0; c->opts[j].name; j++)
            fprintf(f, "--%s ", c->opts[j].name);
        fputs("--help' ;;\n", f);
    }
    fputs("        esac\n"
          "        return\n"
          "    fi\n"
          "    case $cmd in\n",
          f);
    for (i = 0; cli_commands[i]; i++) {
        fprintf(f, "    \"%s\") ", cli_commands[i]->name);
        bash_operand(f, cli_commands[i]->operands);
        fputs(" ;;\n", f);
    }
    fputs("    esac\n"
          "}\n"
          "complete -F _sarx sarx\n",
          f);
    return EXIT_OK;
}
