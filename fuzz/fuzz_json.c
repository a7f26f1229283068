/*
** fuzz_json.c — libFuzzer target: the JSON subject decoder, then the whole
** assessment and both renderers on whatever it accepts.  A refusal must
** carry a message.  Seeds: fuzz/seeds-json/ and examples/; dictionary:
** fuzz/json.dict (every field name).
*/
#include <stdint.h>
#include <stdlib.h>

#include "sarx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sarx_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sarx_subject *s; /* one, cleared for each input */
    sarx_error err;
    if (!ctx && sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    if (!s && sarx_subject_new(&s) != SARX_OK)
        abort();
    sarx_subject_clear(s);
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
