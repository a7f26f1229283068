/*
** expr.c — category rules: tiny Kleene-logic expressions over a
** definition's criteria, compiled once per context.
**
**   rule    := or
**   or      := and ('|' and)*
**   and     := unary ('&' unary)*
**   unary   := '!' unary | '(' or ')' | 'atleast(' N ':' or (',' or)* ')' | name
**   name    := a criterion id or a macro name of the definition
**
** Kleene logic: AND is not_met if any operand is not_met, OR is met if any
** operand is met, otherwise unknown wins; atleast(k: ...) is met when k
** operands are met, not_met when fewer than k could still be.
*/
#include "internal.h"

#include <stdlib.h>
#include <string.h>


typedef struct parser {
    const sarx__def *d;
    const char *p;
    int *code;
    size_t n, cap;
    uint32_t refs;
    int depth;
    int rc;
    sarx_error *err;
    const char *rule;
} parser;

static void emit(parser *ps, int v)
{
    if (ps->rc)
        return;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 16;
        int *c = realloc(ps->code, cap * sizeof *c);
        if (!c) {
            ps->rc = sarx__err(ps->err, SARX_ENOMEM, "", "", "", "out of memory");
            return;
        }
        ps->code = c;
        ps->cap = cap;
    }
    ps->code[ps->n++] = v;
}

static void fail(parser *ps, const char *why)
{
    if (!ps->rc)
        ps->rc = sarx__err(ps->err, SARX_ESYNTAX, ps->d->id, ps->rule, "",
                           "definition %s: rule \"%s\": %s at \"%s\"", ps->d->id, ps->rule, why, ps->p);
}

static void skip(parser *ps)
{
    while (*ps->p == ' ')
        ps->p++;
}

static int is_name(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

static void parse_or(parser *ps);

static void parse_name(parser *ps, const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < ps->d->ncrit; i++)
        if (strlen(ps->d->crits[i].id) == len && memcmp(ps->d->crits[i].id, name, len) == 0) {
            emit(ps, SARX__OP_VAR);
            emit(ps, (int)i);
            ps->refs |= (uint32_t)1 << i;
            return;
        }
    for (i = 0; i < ps->d->nmacro; i++)
        if (strlen(ps->d->macros[i].name) == len && memcmp(ps->d->macros[i].name, name, len) == 0) {
            const char *save = ps->p;
            if (++ps->depth > 8) {
                fail(ps, "macros nest too deep");
                return;
            }
            ps->p = ps->d->macros[i].rule;
            parse_or(ps);
            skip(ps);
            if (*ps->p)
                fail(ps, "junk after macro");
            ps->p = save;
            ps->depth--;
            return;
        }
    fail(ps, "unknown name");
}

static void parse_unary(parser *ps)
{
    skip(ps);
    if (*ps->p == '!') {
        ps->p++;
        parse_unary(ps);
        emit(ps, SARX__OP_NOT);
    } else if (*ps->p == '(') {
        ps->p++;
        parse_or(ps);
        skip(ps);
        if (*ps->p != ')')
            fail(ps, "expected ')'");
        else
            ps->p++;
    } else if (strncmp(ps->p, "atleast(", 8) == 0) {
        int k = 0, n = 0;
        ps->p += 8;
        while (*ps->p >= '0' && *ps->p <= '9')
            k = k * 10 + (*ps->p++ - '0');
        if (*ps->p != ':') {
            fail(ps, "expected 'atleast(N: ...)'");
            return;
        }
        ps->p++;
        for (;;) {
            parse_or(ps);
            n++;
            skip(ps);
            if (*ps->p == ',') {
                ps->p++;
                continue;
            }
            if (*ps->p == ')') {
                ps->p++;
                break;
            }
            fail(ps, "expected ',' or ')'");
            return;
        }
        if (n > 31 || k > n) { /* the batch counts operands in 5-bit adders */
            fail(ps, "atleast takes at most 31 operands and k <= n");
            return;
        }
        emit(ps, SARX__OP_ATLEAST);
        emit(ps, k);
        emit(ps, n);
    } else if (is_name(*ps->p)) {
        const char *start = ps->p;
        while (is_name(*ps->p))
            ps->p++;
        parse_name(ps, start, (size_t)(ps->p - start));
    } else {
        fail(ps, "expected a name");
    }
}

static void parse_and(parser *ps)
{
    parse_unary(ps);
    for (;;) {
        skip(ps);
        if (*ps->p != '&' || ps->rc)
            return;
        ps->p++;
        parse_unary(ps);
        emit(ps, SARX__OP_AND);
    }
}

static void parse_or(parser *ps)
{
    parse_and(ps);
    for (;;) {
        skip(ps);
        if (*ps->p != '|' || ps->rc)
            return;
        ps->p++;
        parse_and(ps);
        emit(ps, SARX__OP_OR);
    }
}

int sarx__compile(const sarx__def *d, const char *rule, sarx__prog *out, sarx_error *err)
{
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.d = d;
    ps.p = ps.rule = rule;
    ps.err = err;
    parse_or(&ps);
    skip(&ps);
    if (!ps.rc && *ps.p)
        fail(&ps, "unexpected text");
    if (!ps.rc) { /* the evaluator's stack holds 64 values */
        size_t i = 0;
        int sp = 0, max = 0;
        while (i < ps.n) {
            int op = ps.code[i];
            sp += op == SARX__OP_VAR ? 1 : op == SARX__OP_NOT ? 0 : op == SARX__OP_ATLEAST ? 1 - ps.code[i + 2] : -1;
            if (sp > max)
                max = sp;
            i += op == SARX__OP_VAR ? 2 : op == SARX__OP_ATLEAST ? 3 : 1;
        }
        if (max > 64 || sp != 1)
            fail(&ps, "rule too deep");
    }
    if (ps.rc) {
        free(ps.code);
        return ps.rc;
    }
    out->code = ps.code;
    out->n = ps.n;
    out->refs = ps.refs;
    return SARX_OK;
}

static int k_and(int a, int b)
{
    if (a == SARX_NOT_MET || b == SARX_NOT_MET)
        return SARX_NOT_MET;
    if (a == SARX_UNKNOWN || b == SARX_UNKNOWN)
        return SARX_UNKNOWN;
    return SARX_MET;
}

static int k_or(int a, int b)
{
    if (a == SARX_MET || b == SARX_MET)
        return SARX_MET;
    if (a == SARX_UNKNOWN || b == SARX_UNKNOWN)
        return SARX_UNKNOWN;
    return SARX_NOT_MET;
}

int sarx__run(const sarx__prog *p, const unsigned char *crit)
{
    unsigned char st[64];
    size_t i = 0, sp = 0;
    while (i < p->n) {
        switch (p->code[i]) {
        case SARX__OP_VAR:
            st[sp++] = crit[p->code[i + 1]];
            i += 2;
            break;
        case SARX__OP_NOT:
            if (st[sp - 1] != SARX_UNKNOWN)
                st[sp - 1] = (unsigned char)(st[sp - 1] == SARX_MET ? SARX_NOT_MET : SARX_MET);
            i++;
            break;
        case SARX__OP_AND:
            sp--;
            st[sp - 1] = (unsigned char)k_and(st[sp - 1], st[sp]);
            i++;
            break;
        case SARX__OP_OR:
            sp--;
            st[sp - 1] = (unsigned char)k_or(st[sp - 1], st[sp]);
            i++;
            break;
        default: { /* SARX__OP_ATLEAST k n */
            int k = p->code[i + 1], n = p->code[i + 2], met = 0, unk = 0, j;
            for (j = 0; j < n; j++) {
                int v = st[--sp];
                met += v == SARX_MET;
                unk += v == SARX_UNKNOWN;
            }
            st[sp++] = (unsigned char)(met >= k ? SARX_MET : met + unk < k ? SARX_NOT_MET : SARX_UNKNOWN);
            i += 3;
            break;
        }
        }
    }
    return sp == 1 ? st[0] : SARX_UNKNOWN;
}
