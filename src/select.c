/*
** select.c — a context of some of the definitions (`--definitions LIST`).
**
** A selection is compiled afresh from the chosen tables (sarx__ctx_build),
** not carved out of the parent: its shared comparisons, row conditions and
** measures are those of the chosen definitions only, so the batch path does
** no work for a definition left out, and the result owns nothing of the
** parent.  Names are matched as they are given, never guessed: a name that
** is neither an id nor a kind is an error that lists both.
*/
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether s[0 .. n) equals word, without ASCII case. */
static int same_name(const char *s, size_t n, const char *word)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!word[i] || sarx__lower((unsigned char)s[i]) != sarx__lower((unsigned char)word[i]))
            return 0;
    return word[n] == '\0';
}

/* "ids: a,b,...; kinds: x,y,..." of ctx, each kind once, into dst[n]
** (without spaces: with every id and kind it fits the 320 bytes of a
** message). */
static void names_of(const sarx_ctx *ctx, char *dst, size_t n)
{
    size_t i, j, at = 0;
    int w;
    dst[0] = '\0';
    w = snprintf(dst, n, "ids:");
    at = w > 0 && (size_t)w < n ? (size_t)w : n - 1;
    for (i = 0; i < ctx->ndefs; i++) {
        w = snprintf(dst + at, n - at, "%s%s", i ? "," : " ", ctx->defs[i].d->id);
        at = w > 0 && (size_t)w < n - at ? at + (size_t)w : n - 1;
    }
    w = snprintf(dst + at, n - at, "; kinds:");
    at = w > 0 && (size_t)w < n - at ? at + (size_t)w : n - 1;
    for (i = 0; i < ctx->ndefs; i++) {
        const char *k = ctx->defs[i].d->kind;
        for (j = 0; j < i && strcmp(ctx->defs[j].d->kind, k) != 0; j++)
            ;
        if (j < i)
            continue; /* named already */
        w = snprintf(dst + at, n - at, "%s%s", at > 0 && dst[at - 1] == ':' ? " " : ",", k);
        at = w > 0 && (size_t)w < n - at ? at + (size_t)w : n - 1;
    }
}

int sarx_ctx_select(const sarx_ctx *ctx, const char *list, sarx_ctx **out, sarx_error *err)
{
    const sarx__def *chosen[64];
    unsigned char take[64];
    char names[400], shown[64], name[24];
    const char *p;
    size_t i, n = 0, item = 0;
    if (!out)
        return sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
    *out = NULL;
    if (!ctx || !list)
        return sarx__err(err, SARX_EINVAL, "definitions", "", "", "invalid argument");
    if (ctx->ndefs > SARX__N(take)) /* the registry holds at most 64 (defs.c) */
        return sarx__err(err, SARX_EINVAL, "definitions", "", "", "more than 64 definitions");
    memset(take, 0, sizeof take);
    for (p = list; *p && sarx__space((unsigned char)*p); p++)
        ;
    if (!*p) {
        names_of(ctx, names, sizeof names);
        return sarx__err(err, SARX_EINVAL, "definitions", "", "a definition id or kind",
                         "definitions: empty list (%s)", names);
    }
    for (p = list;; p++) {
        const char *start = p, *end;
        size_t len, hits = 0;
        while (*p && *p != ',')
            p++;
        end = p;
        item++;
        while (start < end && sarx__space((unsigned char)*start))
            start++;
        while (end > start && sarx__space((unsigned char)end[-1]))
            end--;
        len = (size_t)(end - start);
        if (len == 0) {
            sarx__show(shown, sizeof shown, list, strlen(list));
            return sarx__err(err, SARX_EINVAL, "definitions", shown, "a definition id or kind",
                             "definitions: name %zu of \"%s\" is empty (give ids or kinds, comma-separated)", item,
                             shown);
        }
        for (i = 0; i < ctx->ndefs; i++) /* an id, else every definition of a kind */
            if (same_name(start, len, ctx->defs[i].d->id)) {
                take[i] = 1;
                hits = 1;
                break;
            }
        if (!hits)
            for (i = 0; i < ctx->ndefs; i++)
                if (same_name(start, len, ctx->defs[i].d->kind)) {
                    take[i] = 1;
                    hits++;
                }
        if (!hits) {
            sarx__show(shown, sizeof shown, start, len);
            sarx__show(name, sizeof name, start, len); /* shorter: the message lists every name */
            names_of(ctx, names, sizeof names);
            return sarx__err(err, SARX_EINVAL, "definitions", shown, "a definition id or kind",
                             "definitions: unknown name \"%s\" (%s)", name, names);
        }
        if (!*p)
            break;
    }
    for (i = 0; i < ctx->ndefs; i++) /* ctx's order, each once */
        if (take[i])
            chosen[n++] = ctx->defs[i].d;
    return sarx__ctx_build(chosen, n, out, err);
}
