/*
** fuzz_text.c — libFuzzer target: text values as found in CSV cells.
** Byte 0 picks the field, byte 1 the flags; the rest is the value.  Every
** number the locale-free parser accepts must equal strtod's (C locale)
** result bit for bit; a refused value must name its field and say why.
** Seeds: fuzz/seeds-text/ (every field, in range, at its limits, out of
** range); dictionary: fuzz/text.dict.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sarx_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sarx_subject *s;
    sarx_error err;
    const sarx_field_info *fi;
    const char *text;
    size_t len;
    double v;
    unsigned flags;
    if (size < 2)
        return 0;
    if (!ctx && sarx_ctx_new(&ctx, NULL) != SARX_OK)
        abort();
    fi = sarx_field_at(data[0] % sarx_field_count());
    flags = data[1] & 1u;
    text = (const char *)data + 2;
    len = size - 2;

    if (!flags && len < 100 && sarx__parse_number(text, len, 0, &v) == SARX_OK) {
        char buf[128], *end;
        double w;
        memcpy(buf, text, len);
        buf[len] = '\0';
        w = strtod(buf, &end);
        if (*end != '\0' || memcmp(&v, &w, sizeof v) != 0) {
            fprintf(stderr, "number \"%s\": sarx %.17g, strtod %.17g\n", buf, v, w);
            abort();
        }
    }
    if (!s && sarx_subject_new(&s) != SARX_OK)
        abort();
    sarx_subject_clear(s); /* one subject, cleared for each input */
    if (sarx_subject_set_text(s, fi->name, text, len, flags, &err) != SARX_OK) {
        if (err.message[0] == '\0' || err.field[0] == '\0') /* a refusal names the field and says why */
            abort();
    } else if (sarx_subject_add_weight(s, "2026-01-01", 80, &err) == SARX_OK) {
        sarx_assessment *a;
        if (sarx_assess(ctx, s, &a, &err) == SARX_OK) {
            sarx_free(sarx_assessment_json(a, 0));
            sarx_free(sarx_assessment_text(a, 0));
            sarx_assessment_free(a);
        }
    }
    return 0;
}
