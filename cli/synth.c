/*
** synth.c — `sarx synth N [--seed S] [--bad P] [-o FILE]`: a synthetic
** cohort CSV for tests and benchmarks.
**
** Distributions are rough, documented approximations chosen to exercise
** every definition, not a model of any real population:
**   age       60-95 for 85 % of rows (uniform), 18-59 for the rest
**   height    men N(175, 7) cm, women N(162, 6.5) cm, minus 0.1 cm/year after 50
**   BMI       N(26, 4.5), clamped to 14-48
**   grip      men N(47, 8), women N(28, 6) kg at 40, minus 0.35 (men) /
**             0.25 (women) kg per year after 40 (after Dodds et al., PLoS One
**             2014;9:e113637: peaks 51 / 31 kg around 30-40 y)
**   gait      N(1.25 - 0.012 (age - 60), 0.22) m/s after 60, N(1.3, 0.15) before
**   ASMI      men N(7.6, 0.9), women N(5.9, 0.8) kg/m2, lower by 0.015/year after 60
**   others    SPPB, chair stand, TUG, calf, SARC-F, labs, illness and
**             weight loss drawn loosely around clinical ranges
** Each measurement is missing with its own probability (5-60 %), and about
** 3 % of rows sit exactly on a cut-off (grip 27/16 kg, gait 0.8 m/s, ASMI
** 7.0/5.5 kg/m2, 6-month loss 5 %, calf 34/33 cm, SARC-F 4).
** --bad P replaces a fraction P of rows by invalid ones (out of range,
** unknown sex, wrong field count, unparseable number).
** Progress (rows written of N) goes to stderr when it is a terminal, or with
** --progress; --quiet silences it (progress.h).
*/
#include "cli.h"
#include "opts.h"
#include "progress.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng {
    uint64_t s;
} rng;

/* splitmix64 (Steele, Lea & Flood 2014): small, fast, and fine for test data. */
static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unif(rng *r) { return (double)(next(r) >> 11) * (1.0 / 9007199254740992.0); }

static double normal(rng *r, double mu, double sd)
{
    double u = unif(r), v = unif(r);
    if (u < 1e-300)
        u = 1e-300;
    return mu + sd * sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

static int miss(rng *r, double p) { return unif(r) < p; }

static void num(FILE *f, int missing, double v, int decimals)
{
    if (!missing)
        fprintf(f, "%.*f", decimals, v);
    fputc(',', f);
}

static const char header[] =
    "id,sex,age_years,population,height_cm,weight_kg,grip_kg,chair_stand_5x_s,gait_speed_m_s,sppb_score,tug_s,"
    "asm_kg,asm_method,smm_kg,ffm_kg,calf_circumference_cm,sarc_f,chronic_illness,cancer,fatigue,anorexia,"
    "crp_mg_l,hemoglobin_g_dl,albumin_g_dl,weight_loss_pct_6m,weight_loss_pct_12m,reduced_intake,inflammation,"
    "ecog,site\n";

static void row(FILE *f, rng *r, long i, double bad)
{
    int male = unif(r) < 0.45, old = unif(r) < 0.85, asian = unif(r) < 0.15, edge = unif(r) < 0.03;
    int which = (int)(unif(r) * 6);
    double age = old ? 60 + unif(r) * 35 : 18 + unif(r) * 42;
    double after50 = age > 50 ? age - 50 : 0, after40 = age > 40 ? age - 40 : 0, after60 = age > 60 ? age - 60 : 0;
    double h = clamp((male ? normal(r, 175, 7) : normal(r, 162, 6.5)) - 0.1 * after50, 135, 205);
    double hm = h / 100.0, bmi = clamp(normal(r, 26, 4.5), 14, 48), w = clamp(bmi * hm * hm, 30, 200);
    double grip = clamp(male ? normal(r, 47 - 0.35 * after40, 8) : normal(r, 28 - 0.25 * after40, 6), 2, 80);
    double gait = clamp(age >= 60 ? normal(r, 1.25 - 0.012 * after60, 0.22) : normal(r, 1.3, 0.15), 0.15, 2.2);
    double asmi = clamp(male ? normal(r, 7.6 - 0.015 * after60, 0.9) : normal(r, 5.9 - 0.015 * after60, 0.8), 3.5, 11);
    double asm_ = clamp(asmi * hm * hm, 6, 45), chair = clamp(normal(r, 10 + 0.15 * after60, 3), 4, 60);
    double calf = clamp(male ? normal(r, 36, 3) : normal(r, 34.5, 3), 22, 50), wl6 = clamp(normal(r, 1, 4), -10, 30);
    int ill = unif(r) < 0.35, cancer = ill && unif(r) < 0.3, sarcf = (int)clamp(normal(r, 2 + 0.08 * after60, 2.2), 0, 10);
    int sppb = (int)clamp(normal(r, 11 - 0.12 * after60, 2), 0, 12);
    if (edge) { /* exactly on a cut-off */
        switch (which) {
        case 0: grip = male ? 27 : 16; break;
        case 1: gait = 0.8; break;
        case 2: /* ASMI exactly 7.0 / 5.5: heights whose squares are exact decimals */
            h = male ? 170 : 160;
            hm = h / 100.0;
            asm_ = male ? 20.23 : 14.08; /* 7.0 x 1.7^2, 5.5 x 1.6^2 */
            break;
        case 3: wl6 = 5.0; break;
        case 4: calf = male ? 34 : 33; break;
        default: sarcf = 4; break;
        }
    }
    if (bad > 0 && unif(r) < bad) {
        switch ((int)(unif(r) * 4)) {
        case 0: fprintf(f, "s%ld,%s,%.0f,general,%.1f,%.1f,250\n", i, male ? "male" : "female", age, h, w); return;
        case 1: fprintf(f, "s%ld,unknown,%.0f,general,%.1f,%.1f,30,,,,,,,,,,,,,,,,,,,,,,,\n", i, age, h, w); return;
        case 2: fprintf(f, "s%ld,%s,%.0f,general,%.1f,%.1f,thirty,,,,,,,,,,,,,,,,,,,,,,,\n", i, male ? "m" : "f", age, h, w); return;
        default: fprintf(f, "s%ld,%s,17,general,%.1f,%.1f,30,,,,,,,,,,,,,,,,,,,,,,,\n", i, male ? "male" : "female", h, w); return;
        }
    }
    fprintf(f, "s%ld,", i);
    fputs(miss(r, 0.01) ? "," : male ? "male," : "female,", f);
    num(f, miss(r, 0.02), age, 0);
    fputs(asian ? "asian," : "general,", f);
    num(f, miss(r, 0.05), h, 1);
    num(f, miss(r, 0.05), w, 1);
    num(f, miss(r, 0.08), grip, 1);
    num(f, miss(r, 0.4), chair, 1);
    num(f, miss(r, 0.12), gait, 2);
    num(f, miss(r, 0.5), (double)sppb, 0);
    num(f, miss(r, 0.7), clamp(normal(r, 9 + 0.2 * after60, 3), 4, 60), 1);
    num(f, miss(r, 0.25), asm_, 2);
    fputs(unif(r) < 0.2 ? "bia," : "dxa,", f);
    num(f, miss(r, 0.7), clamp(asm_ * 1.3, 6, 70), 1);
    num(f, miss(r, 0.6), clamp(w * (male ? 0.75 : 0.65), 16, 120), 1);
    num(f, miss(r, 0.3), calf, 1);
    num(f, miss(r, 0.3), (double)sarcf, 0);
    fputs(miss(r, 0.2) ? "," : ill ? "true," : "false,", f);
    fputs(miss(r, 0.2) ? "," : cancer ? "true," : "false,", f);
    fputs(miss(r, 0.5) ? "," : unif(r) < 0.2 + 0.3 * ill ? "true," : "false,", f);
    fputs(miss(r, 0.5) ? "," : unif(r) < 0.1 + 0.2 * ill ? "true," : "false,", f);
    num(f, miss(r, 0.5), clamp(exp(normal(r, 1.0 + ill, 1.0)), 0.1, 300), 1);
    num(f, miss(r, 0.5), clamp(normal(r, male ? 14 : 13, 1.5), 6, 19), 1);
    num(f, miss(r, 0.55), clamp(normal(r, 4.0 - 0.4 * ill, 0.45), 1.5, 5.5), 1);
    num(f, miss(r, 0.4), wl6, 1);
    num(f, miss(r, 0.45), clamp(wl6 + normal(r, 1, 3), -15, 40), 1);
    fputs(miss(r, 0.5) ? "," : unif(r) < 0.15 + 0.2 * ill ? "true," : "false,", f);
    fputs(miss(r, 0.5) ? "," : unif(r) < 0.1 + 0.4 * ill ? "true," : "false,", f);
    num(f, !cancer || miss(r, 0.3), clamp(normal(r, 1.5, 1), 0, 4), 0);
    fprintf(f, "site%d\n", (int)(unif(r) * 5));
}

/* A count or seed: plain decimal digits (no sign, no exponent, no
** spaces), at most max.  strtoull alone takes "-1" and wraps it. */
static int whole(const char *opt, const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    size_t i;
    for (i = 0; s[i]; i++)
        if (s[i] < '0' || s[i] > '9')
            break;
    errno = 0;
    *out = i && !s[i] ? strtoull(s, &end, 10) : 0;
    if (!i || s[i] || errno || *out > max) {
        fprintf(stderr, "sarx synth: %s \"%s\": expected a whole number from 0 to %llu\n", opt, s, max);
        return -1;
    }
    return 0;
}

/* Rows one call may write: a file of about 110 GB, hours of work; past
** it a typo (an extra zero or two) is more likely than a wish. */
#define SYNTH_MAX_ROWS 1000000000ull

/* Rows between two additions to the progress counter: a row takes about a
** microsecond, so the counter moves every millisecond or so. */
#define SYNTH_BLOCK 1024

enum { S_SEED, S_BAD, S_OUTPUT, S_PROGRESS, S_QUIET };
static const cli_opt synth_opts[] = {
    {S_SEED, "seed", 0, "S", 0, CLI_C_NONE, NULL, "the generator's seed, 0 to 2^64-1 (default 1): the same seed\ngives the same file"},
    {S_BAD, "bad", 0, "FRACTION", 0, CLI_C_NONE, NULL,
     "replace that fraction (0 to 1) of the rows by invalid ones (out of\n"
     "range, unknown sex, wrong field count, unparseable number)"},
    {S_OUTPUT, "output", 'o', "FILE", 0, CLI_C_FILE, NULL, "write to FILE (default: the standard output)"},
    {S_PROGRESS, "progress", 0, NULL, 0, CLI_C_NONE, NULL,
     "rows written, rate and time left on stderr even when it is not a\nterminal (one line per update)"},
    {S_QUIET, "quiet", 0, NULL, 0, CLI_C_NONE, NULL, "no progress line"},
    CLI_OPT_END};

const cli_command cli_cmd_synth = {
    "synth", "N [options]", "a synthetic cohort CSV for tests and benchmarks",
    "A synthetic cohort CSV (the distributions are documented in cli/synth.c), in\n"
    "the columns `sarx cohort` reads; N is 0 to 1000000000, in plain digits.\n",
    synth_opts, NULL, CLI_C_NONE};

int cmd_synth(int argc, char **argv)
{
    long n = -1, i;
    uint64_t seed = 1;
    double bad = 0;
    const char *path = NULL, *val;
    FILE *f = stdout;
    rng r;
    int progress = CLI_PROGRESS_AUTO, k;
    cli_progress *pr;
    cli_parse p;
    cli_parse_begin(&p, &cli_cmd_synth, argc, argv);
    while ((k = cli_parse_next(&p, &val)) != CLI_END) {
        char *end;
        unsigned long long v;
        switch (k) {
        case CLI_HELP: return EXIT_OK;
        case CLI_BAD: return EXIT_USAGE;
        case CLI_OPERAND:
            if (n >= 0)
                return cli_usage_error(&cli_cmd_synth, "unexpected argument \"%s\" (N is %ld)", val, n);
            if (whole("N", val, SYNTH_MAX_ROWS, &v))
                return EXIT_USAGE;
            n = (long)v;
            break;
        case S_PROGRESS:
        case S_QUIET:
            if (cli_progress_choose("sarx synth", k == S_PROGRESS ? CLI_PROGRESS_ON : CLI_PROGRESS_OFF, &progress) < 0)
                return EXIT_USAGE;
            break;
        case S_SEED:
            if (whole("--seed", val, UINT64_MAX, &v))
                return EXIT_USAGE;
            seed = v;
            break;
        case S_BAD:
            bad = strtod(val, &end);
            if (end == val || *end || !(bad >= 0 && bad <= 1)) {
                fprintf(stderr, "sarx synth: --bad \"%s\": expected a fraction from 0 to 1\n", val);
                return EXIT_USAGE;
            }
            break;
        case S_OUTPUT: path = val; break;
        }
    }
    if (n < 0)
        return cli_usage_error(&cli_cmd_synth, "how many rows? (N)");
    if (path && !(f = fopen(path, "wb"))) {
        perror(path);
        return EXIT_INPUT;
    }
    r.s = seed;
    pr = cli_progress_start("sarx synth", "rows", (unsigned long long)n, cli_progress_mode(progress, f == stdout));
    fputs(header, f);
    for (i = 1; i <= n; i++) {
        row(f, &r, i, bad);
        if (i % SYNTH_BLOCK == 0)
            cli_progress_add(pr, SYNTH_BLOCK);
    }
    cli_progress_add(pr, (unsigned long long)(n % SYNTH_BLOCK));
    if (fflush(f) != 0 || ferror(f) || (f != stdout && fclose(f) != 0)) {
        cli_progress_end(pr, 0);
        perror(path ? path : "stdout");
        return EXIT_INPUT;
    }
    cli_progress_end(pr, 1);
    return EXIT_OK;
}
