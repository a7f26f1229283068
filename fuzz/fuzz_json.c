/*
** fuzz_json.c — libFuzzer target: the JSON subject decoder, then the whole
** assessment and both renderers on whatever it accepts.  A refusal must
** carry a message.  The fast reading of a flat object (src/json_fast.c)
** must agree with jansson's: the same subject, bit for bit, or both
** refusing.  Seeds: fuzz/seeds-json/ and examples/; dictionary:
** fuzz/json.dict (every field name).
*/
#include <stdint.h>
#include <stdlib.h>

#include "internal.h" /* the two readings, and comparing subjects */
#include "sarx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sarx_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sarx_subject *s, *ref; /* cleared for each input */
    sarx_error err;
    int fast, slow;
    if (!ctx && sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    if ((!s && sarx_subject_new(&s) != SARX_OK) || (!ref && sarx_subject_new(&ref) != SARX_OK))
        abort();
    sarx_subject_clear(s);
    fast = sarx__subject_from_json_fast(s, (const char *)data, size);
    slow = sarx__subject_from_json_slow(ref, (const char *)data, size, &err);
    if (fast == SARX_OK && (slow != SARX_OK || !sarx__subject_same(s, ref)))
        abort(); /* the fast reading took what jansson refuses, or read it otherwise */
    if (sarx_subject_from_json(s, (const char *)data, size, &err) == SARX_OK) {
        sarx_assessment *a;
        if (sarx_assess(ctx, s, &a, &err) == SARX_OK) {
            sarx_free(sarx_assessment_json(a, 0));
            sarx_free(sarx_assessment_text(a, SARX_RENDER_EXPLAIN));
            sarx_assessment_free(a);
        }
    } else {
        if (err.message[0] == '\0') /* a refusal says why */
            abort();
        sarx_free(sarx_error_json(&err));
    }
    return 0;
}
