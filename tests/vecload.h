/*
** vecload.h — the vector files (tests/vectors/NAME.txt, their format in
** tests/vectors.c) read into cases, for every program that runs them:
** vectors.c (the C API, the CLI, cohort, HTTP and the SQL front ends),
** columns_vectors.c, classify.c and hostjson.c.
*/
#ifndef SARX_VECLOAD_H
#define SARX_VECLOAD_H

#include "sarx.h"
#include "vectors.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int vec_guide_kind(const char *k)
{
    static const char *const guide_kinds[] = {"cause", "red_flag", "test", "advice", "caution"};
    int i;
    for (i = 0; i < 5; i++)
        if (strcmp(guide_kinds[i], k) == 0)
            return i;
    return -1;
}

static inline int vec_kind_code(const char *k)
{
    static const char *const kinds[] = {"ok",    "nomem", "invalid",  "syntax", "field", "type",
                                        "range", "conflict", "empty", "value",  "notfound", "io"};
    size_t i;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i], k) == 0)
            return (int)i;
    return -1;
}

static inline char *vec_trimmed(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

static inline int vec_parse_expect(vcase *c, char *v)
{
    expect *x;
    char *tok, *save = NULL;
    if (c->nx == MAXX)
        return 0;
    x = &c->x[c->nx++];
    memset(x, 0, sizeof *x);
    x->complete = -1;
    tok = strtok_r(v, " ", &save);
    if (!tok)
        return 0;
    snprintf(x->def, sizeof x->def, "%s", tok);
    tok = strtok_r(NULL, " ", &save);
    if (!tok)
        return 0;
    snprintf(x->cat, sizeof x->cat, "%s", tok);
    while ((tok = strtok_r(NULL, " ", &save))) {
        if (strcmp(tok, "complete") == 0)
            x->complete = 1;
        else if (strcmp(tok, "incomplete") == 0)
            x->complete = 0;
        else if (strncmp(tok, "missing=", 8) == 0) {
            x->check_missing = 1;
            snprintf(x->missing, sizeof x->missing, "%s", tok + 8);
        } else
            return 0;
    }
    return 1;
}

/* Read all cases of a file.  Returns the count, or -1 on a format error. */
static inline int vec_load(const char *path, vcase **out)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int n = 0, ln = 0, bad = 0, alloc = 0;
    vcase *cases = NULL, *c = NULL;
    if (!f) {
        perror(path);
        return -1;
    }
    while (getline(&line, &cap, f) > 0) {
        char *s = vec_trimmed(line), *v;
        ln++;
        if (*s == '#')
            continue;
        if (*s == '\0') {
            c = NULL;
            continue;
        }
        v = strchr(s, ':');
        if (!v) {
            fprintf(stderr, "%s:%d: expected 'key: value'\n", path, ln);
            bad = 1;
            continue;
        }
        *v++ = '\0';
        v = vec_trimmed(v);
        if (strcmp(s, "case") == 0 || !c) {
            if (strcmp(s, "case") != 0) {
                fprintf(stderr, "%s:%d: a case starts with 'case:'\n", path, ln);
                bad = 1;
                continue;
            }
            if (n == alloc) {
                alloc = alloc ? alloc * 2 : 64;
                cases = realloc(cases, (size_t)alloc * sizeof *cases);
            }
            c = &cases[n++];
            memset(c, 0, sizeof *c);
            c->file = path;
            c->line = ln;
            snprintf(c->name, sizeof c->name, "%s", v);
        } else if (strcmp(s, "cite") == 0) {
            snprintf(c->cite, sizeof c->cite, "%s", v);
        } else if (strcmp(s, "in") == 0) {
            free(c->in);
            c->in = malloc(strlen(v) + 1);
            strcpy(c->in, v);
        } else if (strcmp(s, "expect") == 0) {
            if (!vec_parse_expect(c, v)) {
                fprintf(stderr, "%s:%d: bad expect line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "derived") == 0) {
            char name[64];
            char val[64];
            if (c->nd < MAXX && sscanf(v, "%63s %63s", name, val) == 2) {
                char *dots = strstr(val, "..");
                snprintf(c->dname[c->nd], sizeof c->dname[0], "%s", name);
                c->dval[c->nd] = strcmp(val, "null") == 0 ? NAN : strtod(val, NULL);
                c->dhi[c->nd] = dots ? strtod(dots + 2, NULL) : c->dval[c->nd];
                c->nd++;
            } else {
                fprintf(stderr, "%s:%d: bad derived line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "criterion") == 0) {
            char def[64], crit[64], st[16], mod[16] = "";
            int k = sscanf(v, "%63s %63s %15s %15s", def, crit, st, mod);
            int tri = strcmp(st, "not_met") == 0 ? SARX_NOT_MET : strcmp(st, "met") == 0 ? SARX_MET
                      : strcmp(st, "unknown") == 0 ? SARX_UNKNOWN : -1;
            if (c->nk < MAXX && k >= 3 && tri >= 0 &&
                (k == 3 || strcmp(mod, "provisional") == 0 || strcmp(mod, "firm") == 0)) {
                snprintf(c->k[c->nk].def, sizeof c->k[0].def, "%s", def);
                snprintf(c->k[c->nk].crit, sizeof c->k[0].crit, "%s", crit);
                c->k[c->nk].status = tri;
                c->k[c->nk++].provisional = k == 3 ? -1 : strcmp(mod, "provisional") == 0;
            } else {
                fprintf(stderr, "%s:%d: bad criterion line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "note") == 0) {
            char def[64], row[64];
            int used = 0;
            if (c->nnote < MAXX && sscanf(v, "%63s %63s %n", def, row, &used) == 2 && used > 0 && v[used]) {
                snprintf(c->note[c->nnote].def, sizeof c->note[0].def, "%s", def);
                snprintf(c->note[c->nnote].row, sizeof c->note[0].row, "%s", row);
                snprintf(c->note[c->nnote++].text, sizeof c->note[0].text, "%s", v + used);
            } else {
                fprintf(stderr, "%s:%d: bad note line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "warning") == 0) {
            if (c->nw < MAXX && v[0] && v[v[0] == '!']) {
                c->w[c->nw].neg = v[0] == '!';
                snprintf(c->w[c->nw].text, sizeof c->w[0].text, "%s", v + c->w[c->nw].neg);
                c->nw++;
            } else {
                fprintf(stderr, "%s:%d: bad warning line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "guide") == 0) {
            char kind[20], id[64], mod[20] = "";
            int k = sscanf(v, "%19s %63s %19s", kind, id, mod);
            int neg = kind[0] == '!';
            if (c->ng < MAXX && k >= 2 && vec_guide_kind(kind + neg) >= 0 && (k == 2 || strcmp(mod, "possible") == 0)) {
                snprintf(c->g[c->ng].kind, sizeof c->g[0].kind, "%s", kind + neg);
                snprintf(c->g[c->ng].id, sizeof c->g[0].id, "%s", id);
                c->g[c->ng].neg = neg;
                c->g[c->ng++].possible = k == 3;
            } else {
                fprintf(stderr, "%s:%d: bad guide line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "guide_msg") == 0) {
            char *sp = strchr(v, ' ');
            if (c->nm < MAXX && sp && sp[1]) {
                *sp = '\0';
                snprintf(c->m[c->nm].id, sizeof c->m[0].id, "%s", v);
                snprintf(c->m[c->nm++].text, sizeof c->m[0].text, "%s", sp + 1);
            } else {
                fprintf(stderr, "%s:%d: bad guide_msg line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "plan") == 0) {
            char name[64], val[64];
            if (c->np < MAXX && sscanf(v, "%63s %63s", name, val) == 2) {
                snprintf(c->pname[c->np], sizeof c->pname[0], "%s", name);
                c->pval[c->np++] = strcmp(val, "null") == 0 ? NAN : strtod(val, NULL);
            } else {
                fprintf(stderr, "%s:%d: bad plan line\n", path, ln);
                bad = 1;
            }
        } else if (strcmp(s, "error") == 0) {
            if (sscanf(v, "%31s %63s", c->err_kind, c->err_field) != 2 || vec_kind_code(c->err_kind) < 0) {
                fprintf(stderr, "%s:%d: bad error line\n", path, ln);
                bad = 1;
            }
        } else {
            fprintf(stderr, "%s:%d: unknown key '%s'\n", path, ln, s);
            bad = 1;
        }
    }
    free(line);
    fclose(f);
    for (ln = 0; ln < n; ln++) {
        c = &cases[ln];
        if (!c->in || !c->cite[0] ||
            (!c->nx && !c->nd && !c->err_kind[0] && !c->ng && !c->np && !c->nm && !c->nk && !c->nnote && !c->nw)) {
            fprintf(stderr, "%s:%d: case '%s' needs cite, in and a check\n", path, c->line, c->name);
            bad = 1;
        }
    }
    *out = cases;
    return bad ? -1 : n;
}

/* Free what vec_load gave. */
static inline void vec_free(vcase *cases, int n)
{
    int k;
    for (k = 0; k < n; k++)
        free(cases[k].in);
    free(cases);
}

#endif
