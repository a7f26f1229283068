/*
** opts.c — parsing a subcommand's options from its table (opts.h), its
** help, and "did you mean".
**
** getopt_long runs in RETURN_IN_ORDER mode ("-" leading the short options):
** operands come back in place, one at a time, so a file named before the
** options works (`sarx cohort data.csv -o rows.csv`) without getopt
** permuting argv, and the same under POSIXLY_CORRECT.  ':' next makes a
** missing value its own answer, and opterr = 0 leaves every message to us:
** getopt's own would not name the command or offer the close spellings.
** optind = 0 makes glibc start afresh for each parse (a command may parse
** twice: `sarx registry`, then its subcommand).
*/
#include "opts.h"
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The getopt_long answer for option i of the table: past any char. */
#define LONG_VAL(i) (256 + (i))

void cli_parse_begin(cli_parse *p, const cli_command *cmd, int argc, char **argv)
{
    int i;
    char *s;
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    s = p->shortopts;
    *s++ = '-';
    *s++ = ':';
    *s++ = 'h';
    for (i = 0; cmd->opts[i].name && i < CLI_MAX_OPTS; i++) {
        const cli_opt *o = &cmd->opts[i];
        p->lo[i].name = o->name;
        p->lo[i].has_arg = o->arg ? required_argument : no_argument;
        p->lo[i].flag = NULL;
        p->lo[i].val = LONG_VAL(i);
        if (o->letter) {
            *s++ = o->letter;
            if (o->arg)
                *s++ = ':';
        }
    }
    *s = '\0';
    p->n = i;
    p->lo[i].name = "help";
    p->lo[i].has_arg = no_argument;
    p->lo[i].val = 'h';
    memset(&p->lo[i + 1], 0, sizeof p->lo[i + 1]);
}

/* The table's index of getopt_long's answer c (a short letter or a long
** option's value), or -1. */
static int index_of(const cli_parse *p, int c)
{
    int i;
    if (c >= LONG_VAL(0) && c < LONG_VAL(p->n))
        return c - LONG_VAL(0);
    for (i = 0; i < p->n; i++)
        if (p->cmd->opts[i].letter && p->cmd->opts[i].letter == c)
            return i;
    return -1;
}

/* The optimal string alignment distance: insertions, deletions,
** substitutions and swaps of two neighbours ("--prot" is one from
** "--port"), each one edit. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, d[64][64];
    if (la >= 63 || lb >= 63)
        return (size_t)-1;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++)
        for (j = 1; j <= lb; j++) {
            size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* Close enough: a prefix (an abbreviation, or a name cut short), or at
** most one edit in a short name and two in a longer one (a typo, not a
** different word: "--plot" is not offered for "--port"... unless one
** letter apart). */
const char *cli_closest(const char *s, const char *const *names, size_t n)
{
    size_t i, best = (size_t)-1, len = strlen(s), limit = len <= 4 ? 1 : 2;
    const char *pick = NULL;
    int prefixes = 0;
    if (!len)
        return NULL;
    for (i = 0; i < n; i++)
        if (strncmp(names[i], s, len) == 0 && len >= 2) {
            prefixes++;
            pick = names[i];
        }
    if (prefixes == 1)
        return pick;
    pick = NULL;
    for (i = 0; i < n; i++) {
        size_t d = edit_distance(s, names[i]);
        if (d < best) {
            best = d;
            pick = names[i];
        }
    }
    return best <= limit ? pick : NULL;
}

/* The synopsis, one form a line; a line that starts with spaces goes on
** with the form before it. */
void cli_usage(const cli_command *cmd, FILE *f)
{
    const char *s = cmd->synopsis;
    int first = 1, indent = (int)strlen(cmd->name) + 15;
    do {
        const char *nl = strchr(s, '\n');
        int n = nl ? (int)(nl - s) : (int)strlen(s);
        if (s[0] == ' ') {
            int sp = (int)strspn(s, " ");
            fprintf(f, "%*s%.*s\n", indent, "", n - sp, s + sp);
        } else
            fprintf(f, "%s sarx %s%s%.*s\n", first ? "usage:" : "      ", cmd->name, n ? " " : "", n, s);
        first = 0;
        s = nl ? nl + 1 : NULL;
    } while (s);
}

/* "-o, --output FILE" (or "    --summary FILE") for the options column. */
static int opt_label(const cli_opt *o, char *buf, size_t n)
{
    int w;
    if (o->letter)
        w = snprintf(buf, n, "-%c, --%s%s%s", o->letter, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    else
        w = snprintf(buf, n, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    return w;
}

/* The help width: a terminal's 80 columns. */
#define HELP_WIDTH 80

/* An option's help from column col to HELP_WIDTH, the words of its lines
** filled again (the table's line breaks are the manual's too, and there
** roff fills them). */
static void wrap(FILE *f, const char *h, int col)
{
    int avail = HELP_WIDTH - col, used = 0;
    fputs("  ", f);
    while (*h) {
        size_t n;
        h += strspn(h, " \n");
        n = strcspn(h, " \n");
        if (!n)
            break;
        if (used && used + 1 + (int)n > avail) {
            fprintf(f, "\n%*s", col, "");
            used = 0;
        } else if (used) {
            fputc(' ', f);
            used++;
        }
        fprintf(f, "%.*s", (int)n, h);
        used += (int)n;
        h += n;
    }
    fputc('\n', f);
}

void cli_help(const cli_command *cmd, FILE *f)
{
    char label[128];
    int i, col = 0;
    /* the help column: past the longest label, within reason */
    for (i = 0; cmd->opts[i].name; i++) {
        int w = opt_label(&cmd->opts[i], label, sizeof label);
        if (w > col && w <= 24)
            col = w;
    }
    if (col < 10)
        col = 10;
    cli_usage(cmd, f);
    if (cmd->about)
        fprintf(f, "\n%s", cmd->about);
    fputs("\noptions:\n", f);
    for (i = 0;; i++) {
        const cli_opt *o = &cmd->opts[i];
        const cli_opt help = {0, "help", 'h', NULL, 0, CLI_C_NONE, NULL, "this help"};
        int w;
        if (!o->name)
            o = &help;
        w = opt_label(o, label, sizeof label);
        fprintf(f, "  %s", label);
        if (w > col)
            fprintf(f, "\n  %*s", col, "");
        else
            fprintf(f, "%*s", col - w, "");
        wrap(f, o->help, col + 4);
        if (o == &help)
            break;
    }
    if (cmd->notes)
        fprintf(f, "\n%s", cmd->notes);
}

/* "sarx NAME: MESSAGE", the usage lines and a pointer to --help. */
static void say(const cli_command *cmd, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
static void say(const cli_command *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "sarx %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    cli_usage(cmd, stderr);
    fprintf(stderr, "(sarx %s --help for the options)\n", cmd->name);
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

/* The same, for cli_parse_next: CLI_BAD. */
static int bad(const cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int bad(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    return CLI_BAD;
}

/* An option the table does not have, as written (text, up to its '=' if
** any): the message, with the close names when there are. */
static int unknown(const cli_parse *p, const char *text)
{
    const char *names[CLI_MAX_OPTS + 1];
    const char *eq = strchr(text, '='), *best;
    char name[128];
    int i, dashes = text[1] == '-' ? 2 : 1;
    size_t n = eq ? (size_t)(eq - text) : strlen(text);
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, text, n);
    name[n] = '\0';
    for (i = 0; i < p->n; i++)
        names[i] = p->cmd->opts[i].name;
    names[i] = "help";
    if (strlen(name) > (size_t)dashes) {
        /* an abbreviation of several: name them */
        const char *pre[4];
        int np = 0;
        size_t len = strlen(name + dashes);
        for (i = 0; i <= p->n; i++)
            if (strncmp(names[i], name + dashes, len) == 0 && np < 4)
                pre[np++] = names[i];
        if (np >= 2) {
            char list[256] = "";
            for (i = 0; i < np; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s--%s", i == 0 ? "" : i == np - 1 ? " or " : ", ",
                         pre[i]);
            return bad(p->cmd, "unknown option \"%s\": did you mean %s?", name, list);
        }
    }
    best = strlen(name) > (size_t)dashes ? cli_closest(name + dashes, names, (size_t)p->n + 1) : NULL;
    if (best)
        return bad(p->cmd, "unknown option \"%s\": did you mean --%s?", name, best);
    return bad(p->cmd, "unknown option \"%s\"", name);
}

/* Whether word ("--name" or "--name=value") spells option i whole; if
** not, the error is said (getopt_long took an abbreviation). */
static int whole_word(const cli_parse *p, int i, const char *word)
{
    char name[128];
    size_t n = strcspn(word + 2, "="), k;
    if (strncmp(word, "--", 2) == 0 && n == strlen(p->cmd->opts[i].name) &&
        strncmp(word + 2, p->cmd->opts[i].name, n) == 0)
        return 1;
    k = n + 2 < sizeof name ? n + 2 : sizeof name - 1;
    memcpy(name, word, k);
    name[k] = '\0';
    bad(p->cmd, "unknown option \"%s\": did you mean --%s? (options are spelled whole)", name, p->cmd->opts[i].name);
    return 0;
}

int cli_parse_next(cli_parse *p, const char **val)
{
    int c, i, li = -1;
    char name[128];
    *val = NULL;
    if (p->done) {
        if (p->rest < p->argc) {
            *val = p->argv[p->rest++];
            return CLI_OPERAND;
        }
        return CLI_END;
    }
    if (p->rest == 0) { /* the first call */
        optind = 0;
        p->rest = 1;
    }
    opterr = 0;
    c = getopt_long(p->argc, p->argv, p->shortopts, p->lo, &li);
    if (c == -1) { /* the end, or "--": what is left are operands */
        p->done = 1;
        p->rest = optind;
        return cli_parse_next(p, val);
    }
    if (c == 1) {
        *val = optarg;
        return CLI_OPERAND;
    }
    if (c == 'h') {
        cli_help(p->cmd, stdout);
        return CLI_HELP;
    }
    if (c == ':') { /* a value option without its value */
        const char *word = optind >= 1 && optind <= p->argc ? p->argv[optind - 1] : "";
        i = index_of(p, optopt);
        if (i < 0)
            return bad(p->cmd, "an option needs a value");
        if (word[0] == '-' && word[1] != '-')
            return bad(p->cmd, "-%c needs a value (%s)", p->cmd->opts[i].letter, p->cmd->opts[i].arg);
        if (!whole_word(p, i, word))
            return CLI_BAD;
        return bad(p->cmd, "--%s needs a value (%s)", p->cmd->opts[i].name, p->cmd->opts[i].arg);
    }
    if (c == '?') {
        if (optopt == 0) /* an unknown long option, or one that abbreviates several */
            return unknown(p, p->argv[optind - 1]);
        i = index_of(p, optopt);
        if (optopt >= LONG_VAL(0) && i >= 0) { /* --flag=value */
            if (!whole_word(p, i, p->argv[optind - 1]))
                return CLI_BAD;
            return bad(p->cmd, "--%s takes no value", p->cmd->opts[i].name);
        }
        if (optopt == 'h') /* --help=x */
            return bad(p->cmd, "--help takes no value");
        snprintf(name, sizeof name, "-%c", optopt);
        return unknown(p, name);
    }
    i = index_of(p, c);
    if (i < 0)
        return bad(p->cmd, "internal error: option %d", c);
    /* A long option takes its whole word, its value the next one when not
    ** after '='. */
    if (c >= LONG_VAL(0) && !whole_word(p, i, optarg && optind >= 2 && optarg == p->argv[optind - 1]
                                                    ? p->argv[optind - 2]
                                                    : p->argv[optind - 1]))
        return CLI_BAD;
    if ((p->cmd->opts[i].flags & CLI_ONCE) && p->seen[i]) {
        fprintf(stderr, "sarx %s: --%s given twice\n", p->cmd->name, p->cmd->opts[i].name);
        return CLI_BAD;
    }
    p->seen[i] = 1;
    *val = p->cmd->opts[i].arg ? optarg : NULL;
    return p->cmd->opts[i].id;
}
