/*
** guidance_lists.c — the guidance's free-text lists: a person's conditions,
** read only through the library's vocabulary of conditions (conditions.c),
** and medications, matched against the guidance's keyword lists
** (docs/GUIDANCE.md, "How rules fire").
*/
#include "guidance.h"

#include <string.h>

/*
** Both lists are matched by whole words (sarx__has_word): a keyword in
** lower case matches any case; one with a capital letter is an acronym
** that must match exactly; a trailing '*' matches any ending.
**
** Conditions are read only through the vocabulary of conditions
** (conditions.c), which handles negation ("no cancer"), uncertainty
** ("suspected"), family history, excluding phrases ("heat stroke", "benign
** tumour") and ICD-10 codes.  An item it cannot read could be anything, so
** a question it might answer stays unknown, never met on a guess.
**
** Medicines are guidance's own lists; an item in a topical form of the
** medicine is skipped.
*/
#define MAX_EVIDENCE_ITEMS 5

/* At most n bytes of free text, cut at a character boundary, with "..." when
** cut: evidence quotes what the user wrote without letting it run on. */
static const char *clip(char *out, size_t n, const char *s)
{
    size_t len = strlen(s), i = 0;
    if (len < n) {
        memcpy(out, s, len + 1);
        return out;
    }
    while (i < len) {
        size_t l = sarx__utf8_len((const unsigned char *)s + i, len - i);
        if (l == 0 || i + l + 4 > n)
            break;
        i += l;
    }
    memcpy(out, s, i);
    memcpy(out + i, "...", 4);
    return out;
}

static int listed(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

/* Conditions of the vocabulary's class cls (cls >= 0), or of one of the
** groups (cls < 0; their meanings, and label otherwise).  Met when an item
** is; unknown when the list is empty or an item is not one the vocabulary
** can read; not met otherwise. */
int sarx__g_conditions_are(gctx *g, int cls, unsigned groups, const char *const *meanings, const char *label)
{
    const sarx__list *l = &g->s->conditions;
    size_t i, shown = 0, more = 0;
    int met = 0, unknown = 0;
    if (l->n == 0) {
        sarx__g_need(g, SARX__F_CONDITIONS);
        return UNK;
    }
    for (i = 0; i < l->n; i++) {
        const sarx__cond_info *c = &g->cond[i];
        char t[100];
        if (cls >= 0 ? c->cls != cls : !(c->groups & groups)) {
            unknown |= c->cls == SARX__CC_UNKNOWN;
            continue;
        }
        met = 1;
        if (shown == MAX_EVIDENCE_ITEMS) {
            more++;
            continue;
        }
        sarx__g_evidence(g, "%s: %s (%s)", sarx__field_info[SARX__F_CONDITIONS].name, clip(t, sizeof t, l->item[i]),
                         cls >= 0 || !meanings || listed(meanings, c->meaning) ? c->meaning : label);
        shown++;
    }
    if (more)
        sarx__g_evidence(g, "and %lu more in %s", (unsigned long)more, sarx__field_info[SARX__F_CONDITIONS].name);
    if (met) {
        g->partial = 1;
        return MET;
    }
    if (unknown) {
        sarx__g_need(g, SARX__F_CONDITIONS);
        return UNK;
    }
    return NOT;
}

/* Whether a condition belongs to one of the groups (no evidence). */
int sarx__g_conditions_have(const gctx *g, unsigned groups)
{
    size_t i;
    for (i = 0; i < g->s->conditions.n; i++)
        if (g->cond[i].groups & groups)
            return 1;
    return 0;
}

const char *const sarx__g_topical[] = {"cream", "ointment", "gel", "lotion", "topical", "eye", "drops", "ear",
                                       "nasal", "spray", "inhaler", "inhaled", "inhalation", "intra-articular",
                                       "injection into", NULL};

int sarx__g_medications(gctx *g, const sarx__kw *kws, size_t nk, const char *const *exclude)
{
    const sarx__list *l = &g->s->medications;
    size_t i, k, shown = 0, more = 0;
    int met = 0;
    if (l->n == 0) {
        sarx__g_need(g, SARX__F_MEDICATIONS);
        return UNK;
    }
    for (i = 0; i < l->n; i++) {
        if (sarx__has_any(l->item[i], exclude))
            continue;
        for (k = 0; k < nk; k++)
            if (sarx__has_word(l->item[i], kws[k].word)) {
                char t[100];
                if (shown < MAX_EVIDENCE_ITEMS) {
                    sarx__g_evidence(g, "%s: %s (%s)", sarx__field_info[SARX__F_MEDICATIONS].name,
                                     clip(t, sizeof t, l->item[i]), kws[k].meaning);
                    shown++;
                } else {
                    more++;
                }
                met = 1;
                break;
            }
    }
    if (more)
        sarx__g_evidence(g, "and %lu more in %s", (unsigned long)more, sarx__field_info[SARX__F_MEDICATIONS].name);
    if (met)
        g->partial = 1;
    return met ? MET : NOT;
}
