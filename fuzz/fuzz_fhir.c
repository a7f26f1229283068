/*
** fuzz_fhir.c — libFuzzer target: the FHIR reader (sarx_fhir_read), then
** the assessment and the JSON renderer on whatever it accepts.  A refusal
** must carry a message and leave no info; an acceptance an assessment
** date that is empty or a date.  Seeds: fuzz/seeds-fhir/; dictionary:
** fuzz/fhir.dict (FHIR keys, the mapped codes and units).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sarx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sarx_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sarx_subject *s;
    sarx_fhir_info *info = NULL;
    sarx_error err;
    size_t i;
    if (!ctx && sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    if (!s && sarx_subject_new(&s) != SARX_OK)
        abort();
    if (sarx_fhir_read((const char *)data, size, NULL, s, &info, &err) == SARX_OK) {
        sarx_assessment *a;
        const char *d = sarx_fhir_info_as_of(info);
        if (!info || (*d && strlen(d) != 10))
            abort();
        for (i = 0; i < sarx_fhir_info_note_count(info); i++)
            if (!sarx_fhir_info_note(info, i))
                abort();
        for (i = 0; i < sarx_fhir_info_source_count(info); i++)
            if (!sarx_fhir_info_source(info, i))
                abort();
        if (sarx_assess(ctx, s, &a, &err) == SARX_OK) {
            sarx_free(sarx_assessment_json(a, 0));
            sarx_assessment_free(a);
        }
        sarx_fhir_info_free(info);
    } else if (info || !err.message[0])
        abort();
    return 0;
}
