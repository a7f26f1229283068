/*
** guidance_lists.c — the guidance's free-text lists: a person's conditions,
** read only through the library's vocabulary of conditions (conditions.c),
** and medications, read clause by clause against the guidance's keyword
** lists (docs/GUIDANCE.md, "How rules fire").
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
** Medicines are guidance's own lists, read clause by clause with negation
** (below).
*/
#define MAX_EVIDENCE_ITEMS 5

/* At most n bytes of free text, cut at a character boundary, with "..." when
** cut: evidence quotes what the user wrote without letting it run on. */
const char *sarx__g_clip(char *out, size_t n, const char *s)
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
        sarx__g_evidence(g, "%s: %s (%s)", sarx__field_info[SARX__F_CONDITIONS].name, sarx__g_clip(t, sizeof t, l->item[i]),
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


/* Whether a condition belongs to one of the groups only as a possibility
** (uncertain or past: "possible pregnancy", "history of CKD") and no item
** asserts it. */
int sarx__g_conditions_possible(const gctx *g, unsigned groups)
{
    size_t i;
    int possible = 0;
    for (i = 0; i < g->s->conditions.n; i++) {
        if (g->cond[i].groups & groups)
            return 0;
        possible |= (g->cond[i].possible & groups) != 0;
    }
    return possible;
}

/* The evidence for a group the safety rules read: the first item that
** asserts it, else the first that names it as possible. */
void sarx__g_conditions_evidence(gctx *g, unsigned groups, const char *label)
{
    size_t i;
    int pass;
    char t[100];
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < g->s->conditions.n; i++)
            if ((pass ? g->cond[i].possible : g->cond[i].groups) & groups) {
                sarx__g_evidence(g, "%s: %s (%s%s)", sarx__field_info[SARX__F_CONDITIONS].name,
                                 sarx__g_clip(t, sizeof t, g->s->conditions.item[i]), pass ? "possible " : "",
                                 label);
                return;
            }
}

/* ---- medications ------------------------------------------------------
**
** An item is read clause by clause.  Clauses end at , ; : ( ) [ ] { } / +
** & | and a full stop, and before the words of med_split ("and", "with",
** "started", "switched", ...): "stopped furosemide, started bumetanide" is
** two clauses.  A negation ("no", "not", "stopped", "discontinued",
** "off", ...) reads within its clause only, so "no diuretics" and
** "stopped furosemide" are not current medicines, while in "not on insulin
** and furosemide" furosemide is; a clause made only of a negation and
** ordinary words ("furosemide, stopped") negates the clause before it.  A
** condition ("if", "unless", "when", "until") or "no change" cancels the
** negation: the medicine stays on the list.  A past ("previous", "history
** of") leaves a medicine unread: sarx cannot tell that it is current.  A
** clause in a topical form (the list's own) is not the medicine.  Every
** misreading of these rules keeps a medicine on the list rather than
** dropping it.
**
** With a list of known medicines (the refeeding rule), a clause that names
** no keyword must be made of words sarx can read (known medicines, doses,
** forms, times, negations); otherwise the item is unread and the question
** stays unknown.  Without one (the causes), such a clause counts as not
** the medicine.
*/
#define MED_TEXT 512 /* the part of an item read; a longer item is unread, never cut silently */

static const char *const med_split[] = {"and", "with", "but", "or", "plus", "then", "now", "also", "instead",
                                        "started", "restarted", "switched", "changed", "replaced", NULL};
static const char *const med_negations[] = {"no", "not", "none", "nil", "stopped", "discontinued", "ceased",
                                            "withdrawn", "off", "never", "without", "declined", "nor",
                                            "neither", NULL};
static const char *const med_cancel[] = {"if", "unless", "when", "until", "no change", "unchanged", NULL};
static const char *const med_past[] = {"previous", "previously", "past", "former", "formerly", "history of",
                                       "hx", "prior", "last", "completed", "finished", NULL};
/* Ordinary words of a medication list: doses, units, forms, routes, times,
** and the cues above. */
static const char *const med_filler[] = {
    "mg", "mcg", "ug", "g", "gram", "grams", "milligram", "milligrams", "microgram", "micrograms", "ml", "l",
    "unit", "units", "u", "iu", "mmol", "tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps",
    "sachet", "sachets", "dose", "doses", "puff", "puffs", "liquid", "solution", "suspension", "syrup",
    "injection", "injections", "infusion", "pen", "pens", "vial", "oral", "orally", "po", "by", "mouth", "sc",
    "subcut", "subcutaneous", "iv", "intravenous", "im", "intramuscular", "sl", "sublingual", "daily", "once",
    "twice", "three", "four", "times", "time", "a", "an", "the", "per", "day", "days", "week", "weeks", "weekly",
    "month", "months", "monthly", "year", "years", "morning", "mane", "evening", "night", "nightly", "nocte",
    "bedtime", "at", "in", "on", "of", "for", "to", "from", "since", "meals", "meal", "food", "before", "after",
    "breakfast", "lunch", "dinner", "supper", "od", "om", "bd", "bid", "tds", "tid", "qds", "qid", "qd", "qhs",
    "hs", "prn", "as", "needed", "required", "modified", "release", "mr", "sr", "xl", "er", "xr", "cr", "la",
    "slow", "extended", "prolonged", "immediate", "regular", "regularly", "usual", "long", "term", "short",
    "current", "currently", "take", "takes", "taking", "taken", "dispersible", "soluble", "chewable",
    "effervescent", "every", "other", "alternate", "hour", "hours", "hourly", "h", "hr", "hrs", "x", "max",
    "maximum", "total", "medication", "medications", "medicine", "medicines", "meds", "drug", "drugs", "known",
    "any", "ago", "longer", "change", "unchanged", "if", "unless", "when", "until", "o", "history", "is", "are",
    "was", "were", "has", "had", "been", "reduced", "increased", "low", "high", "inhaler", "inhaled",
    "inhalation", "spray", "drops", "gel", "patch", "patches", NULL};

static int word_in(const char *w, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

/* The keyword or stem of m that clause c names, or NULL. */
static const sarx__kw *med_match(const char *c, const sarx__medlist *m)
{
    size_t k, i = 0, n = strlen(c);
    for (k = 0; k < m->nk; k++)
        if (sarx__has_word(c, m->kws[k].word))
            return &m->kws[k];
    while (i < n) { /* stems: the end of a word ("carboplatin") */
        size_t e = i;
        if (!sarx__word_char((unsigned char)c[i])) {
            i++;
            continue;
        }
        while (e < n && sarx__word_char((unsigned char)c[e]))
            e++;
        for (k = 0; k < m->ns; k++) {
            size_t sl = strlen(m->stems[k].word), j;
            if (e - i <= sl)
                continue;
            for (j = 0; j < sl && sarx__lower((unsigned char)c[e - sl + j]) == m->stems[k].word[j]; j++)
                ;
            if (j == sl)
                return &m->stems[k];
        }
        i = e;
    }
    return NULL;
}

/* Whether every word of clause c is one sarx reads: a number ("40",
** "40mg", "5-FU"'s "5"), an ordinary word, a cue or a known medicine. */
static int med_readable(const char *c, const char *const *known)
{
    size_t i = 0, n = strlen(c);
    while (i < n) {
        size_t e = i, k;
        char w[32];
        if (!sarx__word_char((unsigned char)c[i])) {
            i++;
            continue;
        }
        while (e < n && sarx__word_char((unsigned char)c[e]))
            e++;
        if (!(c[i] >= '0' && c[i] <= '9')) {
            if (e - i >= sizeof w)
                return 0;
            for (k = 0; k < e - i; k++)
                w[k] = (char)sarx__lower((unsigned char)c[i + k]);
            w[k] = '\0';
            if (!word_in(w, med_filler) && !word_in(w, med_negations) && !word_in(w, med_past) &&
                !word_in(w, known))
                return 0;
        }
        i = e;
    }
    return 1;
}

enum { CL_EMPTY, CL_MATCH, CL_NOT, CL_NEGATION, CL_UNREAD };

/* One clause: CL_MATCH (names a medicine of m, current), CL_NOT (read: no
** such medicine, or negated, or topical), CL_NEGATION (read, only a
** negation: it negates the clause before), CL_UNREAD, CL_EMPTY. */
static int med_clause(const char *c, const sarx__medlist *m, const sarx__kw **kw)
{
    int neg = sarx__has_any(c, med_negations) && !sarx__has_any(c, med_cancel);
    size_t i;
    for (i = 0; c[i] && !sarx__word_char((unsigned char)c[i]); i++)
        ;
    if (!c[i])
        return CL_EMPTY;
    *kw = med_match(c, m);
    if (*kw) {
        if (sarx__has_any(c, m->topical) || neg)
            return CL_NOT;
        return sarx__has_any(c, med_past) ? CL_UNREAD : CL_MATCH;
    }
    if (m->topical && sarx__has_any(c, m->topical))
        return CL_NOT;
    if (!med_readable(c, m->known))
        return m->known ? CL_UNREAD : CL_NOT;
    return neg ? CL_NEGATION : CL_NOT;
}

/* One item: CL_MATCH with *kw, CL_NOT or CL_UNREAD. */
static int med_item(const char *item, const sarx__medlist *m, const sarx__kw **kw)
{
    char c[MED_TEXT];
    size_t n = strlen(item), a = 0, i;
    const sarx__kw *pending = NULL, *k = NULL;
    int unread = 0, any = 0;
    *kw = NULL;
    if (n >= MED_TEXT) { /* only the part read can match; the rest is unread */
        n = MED_TEXT - 1;
        unread = 1;
    }
    for (i = 0; i <= n; i++) {
        size_t sw = 0, l;
        int st;
        if (i < n && (i == 0 || !sarx__word_char((unsigned char)item[i - 1])))
            for (l = 0; med_split[l] && !sw; l++) {
                size_t wl = strlen(med_split[l]), j;
                for (j = 0; j < wl && i + j < n && sarx__lower((unsigned char)item[i + j]) == med_split[l][j]; j++)
                    ;
                if (j == wl && (i + wl == n || !sarx__word_char((unsigned char)item[i + wl])))
                    sw = wl;
            }
        if (i < n && !sw && !strchr(",;:()[]{}/+&|", item[i]) &&
            !(item[i] == '.' && (i + 1 == n || item[i + 1] == ' ')))
            continue;
        memcpy(c, item + a, i - a);
        c[i - a] = '\0';
        st = med_clause(c, m, &k);
        if (st != CL_EMPTY) {
            any = 1;
            if (pending && st != CL_NEGATION && !*kw)
                *kw = pending;
            pending = st == CL_MATCH ? k : NULL;
            unread |= st == CL_UNREAD;
        }
        a = i + (sw ? sw : 1);
        if (sw)
            i += sw - 1;
    }
    if (pending && !*kw)
        *kw = pending;
    /* an item without a word ("(", "and") says nothing sarx can read */
    return *kw ? CL_MATCH : unread || !any ? CL_UNREAD : CL_NOT;
}

int sarx__g_medications(gctx *g, const sarx__medlist *m, size_t *unread)
{
    const sarx__list *l = &g->s->medications;
    size_t i, shown = 0, more = 0;
    int met = 0, unknown = 0;
    if (unread)
        *unread = 0;
    if (l->n == 0) {
        sarx__g_need(g, SARX__F_MEDICATIONS);
        return UNK;
    }
    for (i = 0; i < l->n; i++) {
        const sarx__kw *kw;
        int st = med_item(l->item[i], m, &kw);
        if (st == CL_UNREAD && m->known) {
            if (!unknown && unread)
                *unread = i + 1;
            unknown = 1;
        }
        if (st != CL_MATCH)
            continue;
        met = 1;
        if (shown < MAX_EVIDENCE_ITEMS) {
            char t[100];
            sarx__g_evidence(g, "%s: %s (%s)", sarx__field_info[SARX__F_MEDICATIONS].name,
                             sarx__g_clip(t, sizeof t, l->item[i]), kw->meaning);
            shown++;
        } else {
            more++;
        }
    }
    if (more)
        sarx__g_evidence(g, "and %lu more in %s", (unsigned long)more, sarx__field_info[SARX__F_MEDICATIONS].name);
    if (met) {
        g->partial = 1;
        return MET;
    }
    if (unknown) {
        sarx__g_need(g, SARX__F_MEDICATIONS);
        return UNK;
    }
    return NOT;
}

const char *const sarx__g_topical[] = {"cream", "ointment", "gel", "lotion", "topical", "eye", "drops", "ear",
                                       "nasal", "spray", "inhaler", "inhaled", "inhalation", "intra-articular",
                                       "injection into", NULL};
