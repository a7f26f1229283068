/*
** json_fast.c — a subject from a clean, flat JSON object without building a
** tree.
**
** Most subjects are one object of numbers, words and booleans: {"sex":
** "male", "age_years": 79, "grip_kg": 20}.  Parsing one through jansson
** costs about 2 us (a hash table, a value per key), which is most of the
** time of sarx_category() in SQL.  This reader walks the text once and
** hands each key and value to sarx_subject_set_json, which makes the same
** checks as the jansson reading (json.c).  It takes only what it can read
** exactly as jansson does:
**   - keys and strings of printable ASCII without escapes (anything else,
**     UTF-8 included, is left to jansson, which validates and unescapes);
**   - numbers in JSON's grammar, checked by sarx__json_number_kind;
**   - true, false, null;
**   - a list or an object as a value (conditions, medications,
**     weight_history): its extent is found here (brackets outside
**     strings), and the value itself is parsed by jansson;
**   - each key once (jansson rejects a duplicate key): a key is a field's
**     name or alternate name (an unknown key is an error, left to
**     jansson), so a bit per name tells a key seen before;
**   - nothing after the object but blanks.
** Anything else, and every error a value or the checks across fields
** raise, returns SARX_EINVAL: the caller then reads the text through
** jansson, which reaches the same result or words the error.  So this file
** decides nothing, and fuzz/fuzz_json.c checks that both readings agree.
*/
#include "internal.h"

#include <string.h>

/* One bit per field name and alternate name: the keys seen. */
#define NAMES (SARX__F_COUNT + 64)
_Static_assert(SARX__F_COUNT + 16 < NAMES, "the alternate names fit the bits");

static size_t blanks(const char *t, size_t i, size_t n)
{
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* A string starting after its opening quote at i: the index of the
** closing quote, or n when it holds anything but printable ASCII without
** escapes. */
static size_t plain_string(const char *t, size_t i, size_t n)
{
    for (; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '"')
            return i;
        if (c < 0x20 || c >= 0x7F || c == '\\')
            return n;
    }
    return n;
}

/* The end of a list or object starting at i ('[' or '{'): the index after
** its closing bracket, or 0 when it does not close.  Strings inside may
** hold anything (jansson reads them). */
static size_t container_end(const char *t, size_t i, size_t n)
{
    size_t depth = 0;
    for (; i < n; i++) {
        char c = t[i];
        if (c == '"') {
            for (i++; i < n && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
            if (i >= n)
                return 0;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return 0;
}

int sarx__subject_from_json_fast(sarx_subject *s, const char *t, size_t n)
{
    uint64_t seen[(NAMES + 63) / 64] = {0};
    size_t i = 0;
    sarx_subject_clear(s);
    if (sarx__alias_count + SARX__F_COUNT > NAMES)
        return SARX_EINVAL;
    if (n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a UTF-8 byte-order mark */
    i = blanks(t, i, n);
    if (i == n || t[i] != '{')
        return SARX_EINVAL;
    i = blanks(t, i + 1, n);
    if (i < n && t[i] == '}')
        i++;
    else
        for (;;) {
            size_t key, keylen, v, vend, slot;
            int type, f, alias = -1;
            if (i == n || t[i] != '"')
                goto slow;
            key = i + 1;
            if ((i = plain_string(t, key, n)) == n)
                goto slow;
            keylen = i - key;
            if ((f = sarx__field_lookup(t + key, keylen, &alias)) < 0)
                goto slow; /* an unknown field: jansson words the error */
            slot = alias < 0 ? (size_t)f : SARX__F_COUNT + (size_t)alias;
            if (seen[slot / 64] >> (slot % 64) & 1u)
                goto slow; /* a duplicate key */
            seen[slot / 64] |= (uint64_t)1 << (slot % 64);
            i = blanks(t, i + 1, n);
            if (i == n || t[i] != ':')
                goto slow;
            v = i = blanks(t, i + 1, n);
            if (i == n)
                goto slow;
            switch (t[i]) {
            case '"':
                if ((vend = plain_string(t, i + 1, n)) == n)
                    goto slow;
                type = SARX_JSON_STRING;
                v = i + 1;
                i = vend + 1;
                break;
            case '[':
            case '{':
                if ((i = container_end(t, i, n)) == 0)
                    goto slow;
                type = SARX_JSON_VALUE;
                vend = i;
                break;
            case 't':
            case 'f':
            case 'n': {
                static const char *const words[] = {"true", "false", "null"};
                static const int types[] = {SARX_JSON_TRUE, SARX_JSON_FALSE, SARX_JSON_NULL};
                int w = t[i] == 't' ? 0 : t[i] == 'f' ? 1 : 2;
                size_t wl = strlen(words[w]);
                if (n - i < wl || memcmp(t + i, words[w], wl) != 0)
                    goto slow;
                type = types[w];
                i += wl;
                vend = i;
                break;
            }
            default:
                while (i < n && ((t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '+' || t[i] == '.' ||
                                 t[i] == 'e' || t[i] == 'E'))
                    i++;
                if (!sarx__json_number_kind(t + v, i - v))
                    goto slow;
                type = SARX_JSON_NUMBER;
                vend = i;
                break;
            }
            /* after the value: a comma or the end of the object, checked
            ** before the value is taken, so a malformed text sets nothing */
            i = blanks(t, i, n);
            if (i == n || (t[i] != ',' && t[i] != '}'))
                goto slow;
            if (sarx__subject_set_json_at(s, f, alias, t + key, keylen, type, t + v, vend - v, NULL) != SARX_OK)
                goto slow;
            if (t[i++] == '}')
                break;
            i = blanks(t, i, n);
        }
    if (blanks(t, i, n) != n || sarx_subject_finish(s, NULL) != SARX_OK)
        goto slow;
    return SARX_OK;
slow:
    sarx_subject_clear(s);
    return SARX_EINVAL;
}
