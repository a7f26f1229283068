/*
** fuzz_hostjson.c — libFuzzer target: a subject given key by key, as a
** host with JSON of its own gives it (sarx_subject_set_json +
** sarx_subject_finish), and by field index with numbers as doubles
** (sarx_field_index, sarx_subject_set_json_field, _double: PostgreSQL's
** jsonb), each held to the reference reading
** of the same object's text through jansson (sarx__subject_from_json_slow):
** the same subject bit for bit, or both refusing with the same message.
** The input is JSON text; an object's values are passed as a host would
** pass them (strings unescaped, whatever bytes they hold; numbers as JSON
** writes them; lists and objects as JSON text).  Seeds: fuzz/seeds-json/;
** dictionary: fuzz/json.dict.
*/
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h" /* the reference reading, and comparing subjects */
#include "sarx.h"
#include "../tests/hostset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sarx_subject *s, *ref;
    json_t *root, *v;
    const char *key;
    sarx_error e, re;
    int rc, want, by_index;
    if ((!s && sarx_subject_new(&s) != SARX_OK) || (!ref && sarx_subject_new(&ref) != SARX_OK))
        abort();
    root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return 0;
    }
    want = sarx__subject_from_json_slow(ref, (const char *)data, size, &re);
    for (by_index = 0; by_index < 2; by_index++) {
        rc = SARX_OK;
        sarx_subject_clear(s);
        json_object_foreach(root, key, v) {
            if ((rc = host_set_ex(s, key, v, &e, by_index)) != SARX_OK)
                break;
        }
        if (rc == SARX_OK)
            rc = sarx_subject_finish(s, &e);
        if (rc != want || (rc == SARX_OK && !sarx__subject_same(s, ref)) ||
            (rc != SARX_OK && strcmp(e.message, re.message) != 0))
            abort(); /* key by key read it otherwise than the text */
    }
    json_decref(root);
    return 0;
}
