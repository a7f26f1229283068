/*
** api_example.c — the README's library example as a program:
**   cc api_example.c $(pkg-config --cflags --libs sarx) -o api_example
**   ./api_example examples/frail_woman.json
*/
#include <stdio.h>
#include <stdlib.h>

#include <sarx.h>

int main(int argc, char **argv)
{
    sarx_ctx *ctx;
    sarx_subject *s;
    sarx_assessment *a;
    sarx_error err;
    char text[65536];
    size_t len;
    FILE *f;
    int rc = 1;

    if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: api_example subject.json\n");
        return 2;
    }
    len = fread(text, 1, sizeof text, f);
    fclose(f);
    if (sarx_ctx_new(&ctx, &err) != SARX_OK || sarx_subject_new(&s) != SARX_OK)
        return 1;
    if (sarx_subject_from_json(s, text, len, &err) != SARX_OK) {
        fprintf(stderr, "%s\n", err.message); /* names field, value, range */
    } else if (sarx_assess(ctx, s, &a, &err) == SARX_OK) {
        const sarx_result *r = sarx_assessment_find(a, "ewgsop2");
        char *report;
        printf("EWGSOP2: %s%s\n", sarx_result_category(r), sarx_result_complete(r) ? "" : " (incomplete)");
        report = sarx_assessment_text(a, 0); /* or sarx_assessment_json(a, 0) */
        if (report)
            fputs(report, stdout);
        sarx_free(report);
        sarx_assessment_free(a);
        rc = 0;
    }
    sarx_subject_free(s);
    sarx_ctx_free(ctx);
    return rc;
}
