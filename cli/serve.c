/*
** serve.c — `sarx serve`: the registry, the HTTP API and the web page;
** `sarx registry export`: the registry as CSV or JSON without a server;
** `sarx registry check`: is the registry whole (docs/REGISTRY.md).
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "opts.h"
#include "progress.h"
#include "../server/server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    SV_DB, SV_BIND, SV_PORT, SV_TOKEN_FILE, SV_THREADS, SV_MAX_BODY, SV_TIMEOUT, SV_ACCESS_LOG, SV_ALLOW_HOST,
    SV_MAX_CONNECTIONS, SV_PER_CLIENT, SV_ALLOW_SHARED_DB
};
static const cli_opt serve_opts[] = {
    {SV_DB, "db", 0, "PATH", 0, CLI_C_FILE, NULL, "the registry (default sarx-registry.db)"},
    {SV_BIND, "bind", 0, "ADDR", 0, CLI_C_NONE, NULL, "the address to listen on (default 127.0.0.1)"},
    {SV_PORT, "port", 0, "N", 0, CLI_C_NONE, NULL, "the port, 0-65535 (default 8080; 0: any free one)"},
    {SV_TOKEN_FILE, "token-file", 0, "PATH", 0, CLI_C_FILE, NULL, "the API token: the file's first line"},
    {SV_THREADS, "threads", 0, "N", 0, CLI_C_NONE, NULL, "HTTP threads, 1-256 (default: the processors, at least 2)"},
    {SV_MAX_BODY, "max-body", 0, "BYTES", 0, CLI_C_NONE, NULL, "the largest request body, 1024-1073741824 (default 1 MiB)"},
    {SV_TIMEOUT, "timeout", 0, "S", 0, CLI_C_NONE, NULL, "an idle connection's timeout in seconds, 1-3600 (default 10)"},
    {SV_ACCESS_LOG, "access-log", 0, "FILE|-|off", 0, CLI_C_FILE, NULL,
     "one line per request: appended to FILE, - the standard output,\noff none (default: the standard error)"},
    {SV_ALLOW_HOST, "allow-host", 0, "NAME", 0, CLI_C_NONE, NULL,
     "a Host header to accept besides the bound address (repeatable,\nup to 16)"},
    {SV_MAX_CONNECTIONS, "max-connections", 0, "N", 0, CLI_C_NONE, NULL, "connections at once, 16-100000"},
    {SV_PER_CLIENT, "per-client", 0, "N", 0, CLI_C_NONE, NULL, "connections at once from one address, 1-100000"},
    {SV_ALLOW_SHARED_DB, "allow-shared-db", 0, NULL, 0, CLI_C_NONE, NULL,
     "open a registry that group or others can read"},
    CLI_OPT_END};

const cli_command cli_cmd_serve = {
    "serve", "[options]", "the patient registry, the HTTP API and the web page",
    "The patient registry (SQLite, created owner-only on first start; an existing\n"
    "one that group or others can read is refused unless --allow-shared-db), the\n"
    "JSON API under /api/v1 and the web page at /.  Binds 127.0.0.1:8080 by\n"
    "default (docs/REGISTRY.md has what the registry guarantees).  Every API\n"
    "route but /api/v1/health needs \"Authorization: Bearer <token>\": the token is\n"
    "$SARX_TOKEN, else the first line of --token-file, else PATH.token beside the\n"
    "registry (generated on first start with mode 0600 and printed once).\n"
    "Decision support, not a diagnosis.  docs/API.md has every route.\n",
    serve_opts, NULL, CLI_C_NONE};

static int parse_num(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "sarx serve: %s \"%s\": expected an integer %ld-%ld\n", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* A usable token: 16-256 visible ASCII characters. */
static int token_ok(const char *t, const char *from)
{
    size_t n = strlen(t), i;
    for (i = 0; i < n; i++)
        if (t[i] <= ' ' || t[i] > '~')
            break;
    if (n < 16 || n > 256 || i < n) {
        fprintf(stderr, "sarx serve: the token from %s must be 16-256 visible ASCII characters\n", from);
        return 0;
    }
    return 1;
}

/* Read the first line of path into buf. */
static int read_token(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    struct stat sb;
    size_t len;
    if (!f) {
        fprintf(stderr, "sarx serve: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
        fprintf(stderr, "sarx serve: warning: %s is readable by others (chmod 600 it)\n", path);
    if (!fgets(buf, (int)n, f))
        buf[0] = 0;
    fclose(f);
    len = strcspn(buf, "\r\n");
    buf[len] = 0;
    return token_ok(buf, path) ? 0 : -1;
}

/* Generate a token into path (mode 0600, never overwriting). */
static int new_token(const char *path, char *buf, size_t n)
{
    unsigned char raw[32];
    FILE *r = fopen("/dev/urandom", "rb");
    size_t i;
    int fd;
    if (!r || fread(raw, 1, sizeof raw, r) != sizeof raw) {
        fprintf(stderr, "sarx serve: cannot read /dev/urandom\n");
        if (r)
            fclose(r);
        return -1;
    }
    fclose(r);
    for (i = 0; i < sizeof raw && 2 * i + 2 < n; i++)
        snprintf(buf + 2 * i, 3, "%02x", raw[i]);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 || write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf) || write(fd, "\n", 1) != 1 ||
        fsync(fd) != 0) {
        fprintf(stderr, "sarx serve: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    fprintf(stderr,
            "sarx: a new API token was generated and stored in %s (mode 0600).\n"
            "sarx: it is shown this once: %s\n",
            path, buf);
    return 0;
}

static int is_loopback(const char *a)
{
    return !strncmp(a, "127.", 4) || !strcmp(a, "::1");
}

int cmd_serve(int argc, char **argv)
{
    const char *db = "sarx-registry.db", *token_file = NULL, *log_path = NULL, *env;
    int token_existed = 0;
    const char *hosts[16];
    unsigned open_flags = SRV_OPEN_CREATE;
    srv_http_config cfg;
    srv_registry *reg = NULL;
    srv_http *http = NULL;
    sarx_ctx *ctx = NULL;
    sarx_error err;
    srv_app app;
    char msg[512], token[300], *tpath = NULL;
    unsigned port = 0;
    long v;
    int c, sig, rc = EXIT_USAGE;
    FILE *log = stderr;
    sigset_t set;
    const char *optv;
    cli_parse p;

    memset(&cfg, 0, sizeof cfg);
    cfg.bind = "127.0.0.1";
    cfg.port = 8080;
    cfg.max_body = 1u << 20;
    cfg.timeout_s = 10;
    v = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.threads = v > 2 ? (unsigned)v : 2;
    cfg.hosts = hosts;
    cli_parse_begin(&p, &cli_cmd_serve, argc, argv);
    while ((c = cli_parse_next(&p, &optv)) != CLI_END) {
        switch (c) {
        case CLI_HELP: return EXIT_OK;
        case CLI_BAD: return EXIT_USAGE;
        case CLI_OPERAND: return cli_usage_error(&cli_cmd_serve, "unexpected argument \"%s\"", optv);
        case SV_DB: db = optv; break;
        case SV_BIND: cfg.bind = optv; break;
        case SV_PORT:
            if (parse_num("--port", optv, 0, 65535, &v))
                return EXIT_USAGE;
            cfg.port = (unsigned)v;
            break;
        case SV_TOKEN_FILE: token_file = optv; break;
        case SV_THREADS:
            if (parse_num("--threads", optv, 1, 256, &v))
                return EXIT_USAGE;
            cfg.threads = (unsigned)v;
            break;
        case SV_MAX_BODY:
            if (parse_num("--max-body", optv, 1024, 1L << 30, &v))
                return EXIT_USAGE;
            cfg.max_body = (size_t)v;
            break;
        case SV_TIMEOUT:
            if (parse_num("--timeout", optv, 1, 3600, &v))
                return EXIT_USAGE;
            cfg.timeout_s = (unsigned)v;
            break;
        case SV_ACCESS_LOG: log_path = optv; break;
        case SV_ALLOW_HOST:
            if (cfg.n_hosts == sizeof hosts / sizeof hosts[0] || !*optv || strlen(optv) > 253) {
                fprintf(stderr, "sarx serve: --allow-host \"%s\": give 1-16 host names of 1-253 characters\n",
                        optv);
                return EXIT_USAGE;
            }
            hosts[cfg.n_hosts++] = optv;
            break;
        case SV_MAX_CONNECTIONS:
            if (parse_num("--max-connections", optv, 16, 100000, &v))
                return EXIT_USAGE;
            cfg.max_conn = (unsigned)v;
            break;
        case SV_PER_CLIENT:
            if (parse_num("--per-client", optv, 1, 100000, &v))
                return EXIT_USAGE;
            cfg.per_ip = (unsigned)v;
            break;
        case SV_ALLOW_SHARED_DB: open_flags |= SRV_OPEN_ALLOW_SHARED; break;
        }
    }

    /* the token */
    env = getenv("SARX_TOKEN");
    if (env && *env) {
        if (!token_ok(env, "SARX_TOKEN"))
            return EXIT_USAGE;
        snprintf(token, sizeof token, "%s", env);
    } else if (token_file) {
        if (read_token(token_file, token, sizeof token))
            return EXIT_USAGE;
    } else {
        size_t n = strlen(db) + 7;
        tpath = malloc(n);
        if (!tpath)
            return EXIT_INPUT;
        snprintf(tpath, n, "%s.token", db);
        token_existed = access(tpath, F_OK) == 0;
        if (token_existed ? read_token(tpath, token, sizeof token) : new_token(tpath, token, sizeof token)) {
            free(tpath);
            return EXIT_INPUT;
        }
    }
    cfg.token = token;

    if (log_path && !strcmp(log_path, "off"))
        log = NULL;
    else if (log_path && !strcmp(log_path, "-"))
        log = stdout;
    else if (log_path && !(log = fopen(log_path, "a"))) {
        fprintf(stderr, "sarx serve: %s: %s\n", log_path, strerror(errno));
        goto out;
    }
    if (log && log != stderr)
        setvbuf(log, NULL, _IOLBF, 0);
    cfg.log = log;

    rc = EXIT_INPUT;
    if (sarx_ctx_new(&ctx, &err)) {
        cli_error("serve", &err);
        goto out;
    }
    /* Block the stop signals in every thread, the registry's checkpoint
    ** thread included (a SIGTERM it took would kill the process without
    ** closing the registry); the main thread waits for them. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    /* a connection for each HTTP thread and each thread of long requests */
    if (srv_registry_open(db, (int)(cfg.threads + (cfg.export_threads ? cfg.export_threads : SRV_EXPORT_THREADS)),
                          open_flags, ctx, &reg, msg, sizeof msg)) {
        fprintf(stderr, "sarx serve: %s: %s\n", db, msg);
        goto out;
    }
    app.ctx = ctx;
    app.reg = reg;
    app.max_subjects = SRV_MAX_SUBJECTS;

    signal(SIGPIPE, SIG_IGN);
    if (srv_http_start(&app, &cfg, &http, &port, msg, sizeof msg)) {
        fprintf(stderr, "sarx serve: %s\n", msg);
        goto out;
    }
    if (!is_loopback(cfg.bind))
        fprintf(stderr, "sarx: warning: listening on %s, not loopback: patient data leaves this machine "
                        "unencrypted unless a TLS proxy is in front\n", cfg.bind);
    if (srv_registry_created(reg))
        fprintf(stderr,
                "sarx: WARNING: %s did not exist, so a NEW, EMPTY registry was created there (mode 0600).\n"
                "sarx: WARNING: if a registry was expected at this path, stop the server now and restore it%s.\n",
                db, token_existed ? " (its token file is older: the registry was moved or deleted)" : "");
    fprintf(stderr, "sarx: registry %s (schema %d), %u threads\n", db, SRV_SCHEMA_VERSION, cfg.threads);
    fprintf(stderr, strchr(cfg.bind, ':') ? "sarx: listening on http://[%s]:%u/\n" : "sarx: listening on http://%s:%u/\n",
            cfg.bind, port);
    fflush(stderr);
    sigwait(&set, &sig);
    fprintf(stderr, "sarx: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    rc = EXIT_OK;
out:
    srv_http_stop(http);
    srv_registry_close(reg);
    sarx_ctx_free(ctx);
    if (log && log != stderr && log != stdout)
        fclose(log);
    free(tpath);
    return rc;
}

enum { RG_DB, RG_PATIENT, RG_FORMAT, RG_OUTPUT, RG_PROGRESS, RG_QUIET };
static const cli_opt registry_export_opts[] = {
    {RG_DB, "db", 0, "PATH", 0, CLI_C_FILE, NULL, "the registry (required)"},
    {RG_PATIENT, "patient", 0, "ID", 0, CLI_C_NONE, NULL, "one patient's visits only (--format csv)"},
    {RG_FORMAT, "format", 0, "FORMAT", 0, CLI_C_WORDS, "csv json", "csv (the default) or json"},
    {RG_OUTPUT, "output", 'o', "FILE", 0, CLI_C_FILE, NULL,
     "write to FILE, created owner-only (0600); default: the standard output"},
    {RG_PROGRESS, "progress", 0, NULL, 0, CLI_C_NONE, NULL,
     "the time elapsed on stderr even when it is not a terminal, one\nline per update"},
    {RG_QUIET, "quiet", 0, NULL, 0, CLI_C_NONE, NULL, "no progress line, and the counts only when a visit is not ok"},
    CLI_OPT_END};
static const cli_opt registry_check_opts[] = {
    {RG_DB, "db", 0, "PATH", 0, CLI_C_FILE, NULL, "the registry (required)"},
    CLI_OPT_END};

const cli_command cli_cmd_registry_export = {
    "registry export", "--db PATH [options]", "the registry's visits as a CSV (sarx cohort) or JSON",
    "Every stored visit of the registry (or of one patient) as a CSV that\n"
    "`sarx cohort` reads, with the 6- and 12-month weight loss computed from the\n"
    "visits, or the whole registry as JSON.  Each visit has a record_status: ok,\n"
    "patient_changed (the patient record changed since its result was stored),\n"
    "unverified or damaged; the counts are printed on stderr.  While it works, the\n"
    "time elapsed shows on stderr when it is a terminal.  The registry is opened\n"
    "read-only (a read-only file or filesystem is fine), also while a server runs\n"
    "on the same file.\n",
    registry_export_opts, NULL, CLI_C_NONE};

const cli_command cli_cmd_registry_check = {
    "registry check", "--db PATH", "is the registry whole: one line per problem",
    "integrity_check, foreign_key_check, and every visit's stored inputs and\n"
    "result read, decoded and verified; one line per problem, exit status 1 if any.\n"
    "The registry is opened read-only, also while a server runs on the same file.\n",
    registry_check_opts, NULL, CLI_C_NONE};

/* `sarx registry` alone, or with --help: both subcommands. */
static void registry_help(FILE *f)
{
    cli_usage(&cli_cmd_registry_export, f);
    cli_usage(&cli_cmd_registry_check, f);
    fprintf(f, "\n  export  %s\n  check   %s\n\n(sarx registry export --help, sarx registry check --help for each)\n",
            cli_cmd_registry_export.summary, cli_cmd_registry_check.summary);
}

/* Open -o FILE for patient data: created owner-only; an existing file keeps
** its mode, with a warning when others may read it. */
static FILE *open_private(const char *path)
{
    struct stat sb;
    FILE *f;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &sb) == 0 && (sb.st_mode & 077))
        fprintf(stderr, "sarx registry: warning: %s already existed and others may read it (mode %04o): it now holds "
                        "patient data\n", path, (unsigned)(sb.st_mode & 07777));
    if (!(f = fdopen(fd, "w")))
        close(fd);
    return f;
}

static void print_problem(void *ud, const char *problem)
{
    fprintf((FILE *)ud, "%s\n", problem);
}

static int registry_check(srv_registry *reg, const char *db)
{
    srv_check_counts c;
    sarx_error err;
    memset(&err, 0, sizeof err);
    if (srv_registry_check(reg, print_problem, stdout, &c, &err)) {
        fprintf(stderr, "sarx registry: %s: %s\n", db, err.message);
        return EXIT_INPUT;
    }
    printf("%s: %lld patients, %lld visits, %lld stored results checked: ", db, c.patients, c.visits, c.results);
    if (c.problems)
        printf("%lld problem%s\n", c.problems, c.problems == 1 ? "" : "s");
    else
        printf("no problems\n");
    return c.problems ? EXIT_INPUT : EXIT_OK;
}

/* One more patient exported, of total (srv_export_tick; ud: the progress line or NULL). */
static void export_tick(void *ud, long long done, long long total)
{
    if (done == 1)
        cli_progress_total(ud, (unsigned long long)total);
    cli_progress_add(ud, 1);
}

int cmd_registry(int argc, char **argv)
{
    const char *db = NULL, *format = "csv", *outp = NULL, *sub;
    long pid = -1;
    srv_registry *reg = NULL;
    srv_export_counts counts;
    sarx_ctx *ctx = NULL;
    sarx_error err;
    char msg[1024], *text = NULL;
    size_t len = 0;
    json_t *doc = NULL;
    int c, rc, check, progress = CLI_PROGRESS_AUTO;
    FILE *out = stdout;
    cli_progress *pr = NULL;
    srv_export_tick tick;
    const cli_command *rcmd;
    const char *optv;
    cli_parse p;

    if (argc < 2 || (strcmp(argv[1], "export") != 0 && strcmp(argv[1], "check") != 0)) {
        static const char *const subs[] = {"export", "check"};
        int help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
        if (argc >= 2 && !help) {
            const char *best = cli_closest(argv[1], subs, 2);
            fprintf(stderr, "sarx registry: unknown subcommand \"%s\"%s%s%s (allowed: export, check)\n", argv[1],
                    best ? ": did you mean \"" : "", best ? best : "", best ? "\"?" : "");
        }
        registry_help(help ? stdout : stderr);
        return help ? EXIT_OK : EXIT_USAGE;
    }
    sub = argv[1];
    check = !strcmp(sub, "check");
    rcmd = check ? &cli_cmd_registry_check : &cli_cmd_registry_export;
    cli_parse_begin(&p, rcmd, argc - 1, argv + 1);
    while ((c = cli_parse_next(&p, &optv)) != CLI_END) {
        switch (c) {
        case CLI_HELP: return EXIT_OK;
        case CLI_BAD: return EXIT_USAGE;
        case CLI_OPERAND: return cli_usage_error(rcmd, "unexpected argument \"%s\"", optv);
        case RG_DB: db = optv; break;
        case RG_PATIENT: {
            long v;
            char *end;
            errno = 0;
            v = strtol(optv, &end, 10);
            if (!*optv || *end || errno || v < 1) {
                fprintf(stderr, "sarx registry: --patient \"%s\": expected a patient id (1 or more)\n", optv);
                return EXIT_USAGE;
            }
            pid = v;
            break;
        }
        case RG_FORMAT: format = optv; break;
        case RG_OUTPUT: outp = optv; break;
        case RG_PROGRESS:
        case RG_QUIET:
            if (cli_progress_choose("sarx registry", c == RG_PROGRESS ? CLI_PROGRESS_ON : CLI_PROGRESS_OFF, &progress) < 0)
                return EXIT_USAGE;
            break;
        }
    }
    if (!db)
        return cli_usage_error(rcmd, "--db PATH is required");
    if (strcmp(format, "csv") && strcmp(format, "json")) {
        fprintf(stderr, "sarx registry: --format \"%s\": allowed csv, json\n", format);
        return EXIT_USAGE;
    }
    if (pid > 0 && !strcmp(format, "json")) {
        fprintf(stderr, "sarx registry: --patient works with --format csv only\n");
        return EXIT_USAGE;
    }
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "sarx registry: %s: no such registry\n", db);
        return EXIT_INPUT;
    }
    rc = EXIT_INPUT;
    memset(&err, 0, sizeof err);
    memset(&counts, 0, sizeof counts);
    if (sarx_ctx_new(&ctx, &err)) {
        cli_error("registry", &err);
        goto done;
    }
    /* Read-only: nothing is migrated, created or written. */
    if (srv_registry_open(db, 1, SRV_OPEN_READONLY, ctx, &reg, msg, sizeof msg)) {
        fprintf(stderr, "sarx registry: %s: %s\n", db, msg);
        goto done;
    }
    if (check) {
        rc = registry_check(reg, db);
        goto done;
    }
    /* The export reads the registry patient by patient: the progress line
    ** counts them, of how many there are (export_tick). */
    pr = cli_progress_start("sarx registry export", "patients", 0, progress);
    tick.fn = export_tick;
    tick.ud = pr;
    if (!strcmp(format, "csv") ? srv_export_csv(reg, pid, &text, &len, &counts, &tick, &err)
                               : srv_export_json(reg, &doc, &tick, &err)) {
        cli_progress_end(pr, 0);
        pr = NULL;
        fprintf(stderr, "sarx registry: %s\n", err.message);
        goto done;
    }
    if (doc) {
        json_t *cj = json_object_get(doc, "counts");
        counts.patients = json_integer_value(json_object_get(cj, "patients"));
        counts.visits = json_integer_value(json_object_get(cj, "visits"));
        counts.mismatched = json_integer_value(json_object_get(cj, "mismatched"));
        counts.unverified = json_integer_value(json_object_get(cj, "unverified"));
        counts.damaged = json_integer_value(json_object_get(cj, "damaged"));
        text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        len = text ? strlen(text) : 0;
        if (!text) {
            fprintf(stderr, "sarx registry: out of memory\n");
            goto done;
        }
    }
    if (outp && !(out = open_private(outp))) {
        cli_progress_end(pr, 0);
        pr = NULL;
        fprintf(stderr, "sarx registry: %s: %s\n", outp, strerror(errno));
        goto done;
    }
    if (fwrite(text, 1, len, out) == len && (!doc || fputc('\n', out) != EOF) && fflush(out) == 0)
        rc = EXIT_OK;
    if (out != stdout && fclose(out) != 0)
        rc = EXIT_INPUT;
    cli_progress_end(pr, rc == EXIT_OK);
    pr = NULL;
    if (rc != EXIT_OK) {
        fprintf(stderr, "sarx registry: writing %s: %s\n", outp ? outp : "the standard output", strerror(errno));
        goto done;
    }
    /* --quiet: the counts are chatter when every visit is ok, a warning when not. */
    if (progress != CLI_PROGRESS_OFF || counts.mismatched || counts.unverified || counts.damaged)
        fprintf(stderr,
                "sarx registry: exported %lld visit%s of %lld patient%s: %lld ok, %lld patient_changed, %lld "
                "unverified, %lld damaged (record_status)\n",
                counts.visits, counts.visits == 1 ? "" : "s", counts.patients, counts.patients == 1 ? "" : "s",
                counts.visits - counts.mismatched - counts.unverified - counts.damaged, counts.mismatched,
                counts.unverified, counts.damaged);
done:
    free(text);
    json_decref(doc);
    srv_registry_close(reg);
    sarx_ctx_free(ctx);
    return rc;
}
