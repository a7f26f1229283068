/*
** csv.c — the CSV reader: csv-spectrum (Debian node-csv-spectrum) and edge
** cases, each read with several buffer chunk sizes (1 byte upwards) so every
** refill boundary is crossed.
**   csv [SPECTRUM_DIR]
*/
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "internal.h" /* sarx__csv_use_baseline */
#include "sarx.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>

#include "memsrc.h"

/* Parse text into a JSON array of arrays of strings (or {"error": line}),
** streamed in chunks of the given size, or with chunk 0 read in place from
** a copy (sarx_csv_new_buffer) of exactly the len + 1 bytes that reader may
** write, so ASan catches any byte more.  baseline: the reader's scan without
** AVX-512 (the same as the default where the processor has none). */
static json_t *parse_with(const char *text, size_t len, size_t chunk, char delim, int baseline)
{
    src s = {text, len, 0, chunk};
    char *copy = NULL;
    sarx_csv *c;
    json_t *out = json_array();
    char **f;
    size_t *l, n, i, k;
    int r;
    sarx_error err;
    if (chunk == 0) {
        copy = malloc(len + 1);
        memcpy(copy, text, len);
        copy[len] = 'X'; /* never read as data */
    }
    if ((chunk ? sarx_csv_new(&c, rd, &s, delim) : sarx_csv_new_buffer(&c, copy, len, delim, 0)) != SARX_OK) {
        free(copy);
        return out;
    }
    if (baseline)
        sarx__csv_use_baseline(c);
    /* Every record, and every refusal as {"error": its line} (with
    ** "column" when the reader names one): the reader goes on after a
    ** refused record, or stays at the end (0 next).  (A bound, so that a
    ** reader that never ends fails the test instead of hanging it.) */
    for (k = 0; k < 100000 && (r = sarx_csv_next(c, &f, &l, &n, &err)) != 0; k++) {
        json_t *rec = json_array();
        if (r < 0) {
            json_decref(rec);
            json_array_append_new(out, err.column ? json_pack("{s:i,s:i}", "error", (int)err.line, "column",
                                                              (int)err.column)
                                                  : json_pack("{s:i}", "error", (int)err.line));
            continue;
        }
        for (i = 0; i < n; i++)
            json_array_append_new(rec, json_stringn(f[i], l[i]));
        json_array_append_new(out, rec);
    }
    sarx_csv_free(c);
    free(copy);
    return out;
}

/* Both scans: their records when they agree, else a marker that matches
** no expectation. */
static json_t *parse(const char *text, size_t len, size_t chunk, char delim)
{
    json_t *a = parse_with(text, len, chunk, delim, 0), *b = parse_with(text, len, chunk, delim, 1);
    if (!json_equal(a, b)) {
        fprintf(stderr, "csv: the two scans differ (chunk %zu)\n", chunk);
        json_decref(a);
        a = json_string("the two scans differ");
    }
    json_decref(b);
    return a;
}

static void expect(const char *name, const char *text, const char *want_json, char delim)
{
    static const size_t chunks[] = {1, 2, 3, 5, 7, 64, 1u << 20, 0}; /* 0: in place */
    json_error_t je;
    json_t *want = json_loads(want_json, 0, &je);
    size_t k;
    if (!want) {
        fprintf(stderr, "bad expectation for %s: %s\n", name, je.text);
        h_fail++;
        return;
    }
    for (k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        json_t *got = parse(text, strlen(text), chunks[k], delim);
        if (json_equal(got, want))
            h_pass++;
        else {
            char *g = json_dumps(got, JSON_COMPACT);
            h_fail++;
            fprintf(stderr, "FAIL csv %s (chunk %zu): got %s, want %s\n", name, chunks[k], g, want_json);
            free(g);
        }
        json_decref(got);
    }
    json_decref(want);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

/* csv-spectrum: csvs/NAME.csv against json/NAME.json (objects by header). */
static void spectrum(const char *dir)
{
    char path[1024];
    DIR *d;
    struct dirent *e;
    int files = 0;
    snprintf(path, sizeof path, "%s/csvs", dir);
    if (!(d = opendir(path))) {
        printf("SKIP csv-spectrum: %s not found (apt-get install node-csv-spectrum)\n", path);
        return;
    }
    while ((e = readdir(d))) {
        static const size_t chunks[] = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 0}; /* 0: in place */
        size_t len, jl, c;
        char *text, *js, name[256];
        json_t *want;
        json_error_t je;
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".csv") != 0)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(nl - 4), e->d_name);
        snprintf(path, sizeof path, "%s/csvs/%s", dir, e->d_name);
        text = slurp(path, &len);
        snprintf(path, sizeof path, "%s/json/%s.json", dir, name);
        js = slurp(path, &jl);
        want = js ? json_loads(js, 0, &je) : NULL;
        for (c = 0; text && want && c < sizeof chunks / sizeof chunks[0]; c++) {
            json_t *rows = parse(text, len, chunks[c], ','), *hdr = json_array_get(rows, 0), *got = json_array();
            size_t i, k;
            for (i = 1; i < json_array_size(rows); i++) {
                json_t *rec = json_array_get(rows, i), *o = json_object();
                for (k = 0; k < json_array_size(hdr); k++)
                    json_object_set(o, json_string_value(json_array_get(hdr, k)), json_array_get(rec, k));
                json_array_append_new(got, o);
            }
            if (json_equal(got, want))
                h_pass++;
            else {
                char *g = json_dumps(got, JSON_COMPACT);
                h_fail++;
                fprintf(stderr, "FAIL csv-spectrum %s (chunk %zu): %s\n", name, chunks[c], g);
                free(g);
            }
            json_decref(got);
            json_decref(rows);
        }
        json_decref(want);
        free(text);
        free(js);
        files++;
    }
    closedir(d);
    printf("csv-spectrum: %d files\n", files);
    CHECK(files >= 11); /* node-csv-spectrum 1.0.0 ships 11 */
}

/* The one refusal of text, read in place: its error. */
static int first_error(const char *text, size_t len, sarx_error *err)
{
    char *copy = malloc(len + 1);
    sarx_csv *c;
    char **f;
    size_t *l, n;
    int r = 0;
    memcpy(copy, text, len);
    if (sarx_csv_new_buffer(&c, copy, len, ',', 0) == SARX_OK) {
        while ((r = sarx_csv_next(c, &f, &l, &n, err)) == 1)
            ;
        sarx_csv_free(c);
    }
    free(copy);
    return r;
}

/* What a refusal says: the field as written, a NUL in it escaped rather
** than ending the message, and for a quote that never closes how much of
** the input it holds. */
static void test_messages(void)
{
    sarx_error e;
    static const char nul[] = "id,g\n1,\"6\"\0005\n";
    CHECK_INT(first_error("id,g\n1,\"6\"5\n", 12, &e), -1);
    CHECK_INT(e.code, SARX_ESYNTAX);
    CHECK_INT(e.line, 2);
    CHECK_INT(e.record, 2);
    CHECK_INT(e.column, 2);
    CHECK_STR(e.value, "\"6\"5");
    CHECK(strstr(e.message, "column 2: text after the closing quote in \"6\"5") != NULL);
    CHECK_INT(first_error(nul, sizeof nul - 1, &e), -1);
    CHECK_STR(e.value, "\"6\"\\05");
    CHECK(strstr(e.message, "\"6\"\\05 (RFC 4180") != NULL);
    /* a long field: cut, and said to be */
    CHECK_INT(first_error("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n", 77, &e), -1);
    CHECK_STR(e.value, "\"aaaaaaaaaaaaaaaa...\"bbbbbbbbbbbbbbbb...");
    /* never closed: from the row to the end, lines and bytes */
    CHECK_INT(first_error("a\n\"b\nc\nd", 8, &e), -1);
    CHECK_INT(e.line, 2);
    CHECK(strstr(e.message, "not closed before the end of the file: from this row's first line to the end, 3 lines "
                            "(6 bytes) are inside it") != NULL);
    CHECK_INT(first_error("x,\"ok\nstill\",\"open\nz\n", 21, &e), -1);
    CHECK_INT(e.line, 1);
    CHECK(strstr(e.message, "(it opens on this row's line 2)") != NULL);
    CHECK(strstr(e.message, "3 lines (21 bytes)") != NULL);
    {   /* the text shown in messages */
        char b[16];
        CHECK_INT(sarx__show(b, sizeof b, "a\0b\tc\x01", 6), 11);
        CHECK_STR(b, "a\\0b\\tc\\x01");
        CHECK_INT(sarx__show(b, sizeof b, "0123456789abcdef", 16), 15);
        CHECK_STR(b, "0123456789ab...");
        CHECK_INT(sarx__show(b, sizeof b, "0123456789abcde", 15), 15); /* fits exactly: not cut */
        CHECK_STR(b, "0123456789abcde");
    }
}

static size_t quoted(char *buf, size_t n, const char *s, char delim)
{
    size_t k = sarx_csv_quote(buf, n - 1, s, strlen(s), delim);
    buf[k < n ? k : 0] = '\0';
    return k;
}

/* Formula injection (OWASP): a cell that starts with = + - @ tab or CR gets
** a single quote before it, unless it is a number; sarx_csv_guarded tells
** the reader to drop it again. */
static void test_guard(void)
{
    char b[128];
    CHECK_INT(quoted(b, sizeof b, "=1+1", ','), 5);
    CHECK_STR(b, "'=1+1");
    CHECK_INT(sarx_csv_quote(NULL, 0, "=1+1", 4, ','), 5); /* the size query counts the quote */
    quoted(b, sizeof b, "=HYPERLINK(\"http://x\",\"y\")", ',');
    CHECK_STR(b, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    quoted(b, sizeof b, "@SUM(A1)", ',');
    CHECK_STR(b, "'@SUM(A1)");
    quoted(b, sizeof b, "+x", ',');
    CHECK_STR(b, "'+x");
    quoted(b, sizeof b, "-", ',');
    CHECK_STR(b, "'-");
    quoted(b, sizeof b, "\tx", ',');
    CHECK_STR(b, "'\tx");
    quoted(b, sizeof b, "\rx", ',');
    CHECK_STR(b, "\"'\rx\"");
    quoted(b, sizeof b, "'=x", ','); /* its own quote: one more, so the reader gives it back */
    CHECK_STR(b, "''=x");
    /* numbers, and cells that start otherwise, as they are */
    static const char *const same[] = {"-5", "+3.2", "-.5", "-1e-3", "+7E+2", "-0", "5-1", "'abc", "'", "a=b", "",
                                       "x'=y"};
    size_t i;
    for (i = 0; i < sizeof same / sizeof same[0]; i++) {
        CHECK_INT(quoted(b, sizeof b, same[i], ','), strlen(same[i]));
        CHECK_STR(b, same[i]);
    }
    quoted(b, sizeof b, "-3,5", ';'); /* a decimal comma */
    CHECK_STR(b, "-3,5");
    quoted(b, sizeof b, "-1e", ',');
    CHECK_STR(b, "'-1e");
    quoted(b, sizeof b, "-inf", ',');
    CHECK_STR(b, "'-inf");
    CHECK(sarx_csv_guarded("'=x", 3));
    CHECK(sarx_csv_guarded("''=x", 4));
    CHECK(sarx_csv_guarded("'-5", 3));
    CHECK(!sarx_csv_guarded("'abc", 4));
    CHECK(!sarx_csv_guarded("'", 1));
    CHECK(!sarx_csv_guarded("''", 2));
    CHECK(!sarx_csv_guarded("=x", 2));
    CHECK(!sarx_csv_guarded(NULL, 0));
    {   /* Any value, written and read back by the reader, is itself once
        ** sarx_csv_guarded's quote is dropped: over random values of the
        ** bytes that matter. */
        static const char alpha[] = "'=+-@\t\r\n\",;a1.eE[\\ ";
        unsigned seed = 12345;
        int k, bad = 0;
        for (k = 0; k < 20000; k++) {
            char v[12], out[64], *copy;
            size_t len = (size_t)(k % 11), j, w;
            sarx_csv *c;
            char **f;
            size_t *l, n;
            for (j = 0; j < len; j++) {
                seed = seed * 1103515245u + 12345u;
                v[j] = alpha[(seed >> 16) % (sizeof alpha - 1)];
            }
            w = sarx_csv_quote(out, sizeof out - 1, v, len, ',');
            out[w++] = '\n';
            copy = malloc(w + 1);
            memcpy(copy, out, w);
            if (sarx_csv_new_buffer(&c, copy, w, ',', SARX_CSV_NO_BOM) != SARX_OK ||
                sarx_csv_next(c, &f, &l, &n, NULL) != 1 || n != 1) {
                bad++;
            } else {
                const char *p = f[0];
                size_t pl = l[0];
                if (sarx_csv_guarded(p, pl))
                    p++, pl--;
                bad += pl != len || memcmp(p, v, len) != 0;
            }
            sarx_csv_free(c);
            free(copy);
        }
        CHECK_INT(bad, 0);
    }
}

/* List cells: ';' between items, "\;" "\\" and a first "\[" escaped. */
static void test_list_cell(void)
{
    char b[64];
    size_t n = 0;
    n += sarx_csv_list_append(b + n, sizeof b - n, "[draft] x;y", 11, 1);
    n += sarx_csv_list_append(b + n, sizeof b - n, "a\\b", 3, 0);
    n += sarx_csv_list_append(b + n, sizeof b - n, "[c]", 3, 0);
    b[n] = '\0';
    CHECK_STR(b, "\\[draft] x\\;y;a\\\\b;[c]");
    CHECK_INT(sarx_csv_list_append(NULL, 0, "x;y", 3, 0), 5);
    CHECK_INT(sarx_csv_list_append(b, 2, "x;y", 3, 0), 5); /* too small: the size, nothing written */
}

int main(int argc, char **argv)
{
    char buf[64];
    expect("simple", "a,b\n1,2\n", "[[\"a\",\"b\"],[\"1\",\"2\"]]", ',');
    expect("no final newline", "a,b\n1,2", "[[\"a\",\"b\"],[\"1\",\"2\"]]", ',');
    expect("crlf", "a,b\r\n1,2\r\n", "[[\"a\",\"b\"],[\"1\",\"2\"]]", ',');
    expect("bare cr", "a\r1\r", "[[\"a\"],[\"1\"]]", ',');
    expect("bom", "\xEF\xBB\xBFid,x\n1,2\n", "[[\"id\",\"x\"],[\"1\",\"2\"]]", ',');
    expect("bom only", "\xEF\xBB\xBF", "[]", ',');
    expect("empty input", "", "[]", ',');
    expect("blank line", "a\n\nb\n", "[[\"a\"],[\"\"],[\"b\"]]", ',');
    expect("empty fields", ",,\n", "[[\"\",\"\",\"\"]]", ',');
    expect("quoted", "\"a,b\",\"c\"\"d\"\n", "[[\"a,b\",\"c\\\"d\"]]", ',');
    expect("quoted newline crlf", "\"x\r\ny\",z\r\n", "[[\"x\\r\\ny\",\"z\"]]", ',');
    expect("quote last byte", "a,\"b\"", "[[\"a\",\"b\"]]", ',');
    expect("empty quoted last", "a,\"\"", "[[\"a\",\"\"]]", ',');
    /* Text after a closing quote refuses the record (RFC 4180), which ends
    ** where the quote rules say; the next record is read. */
    expect("text after closing quote", "\"ab\"c,d\n1,2\n", "[{\"error\":1,\"column\":1},[\"1\",\"2\"]]", ',');
    expect("quoted digits then digits", "id,g\n1,\"6\"5\n2,\"4\"00\n3,\"7\"\n",
           "[[\"id\",\"g\"],{\"error\":2,\"column\":2},{\"error\":3,\"column\":2},[\"3\",\"7\"]]", ',');
    expect("text after closing quote, last byte", "a,\"b\"c", "[{\"error\":1,\"column\":2}]", ',');
    expect("text after a quoted line break", "\"x\ny\"z,1\n2,3\n", "[{\"error\":1,\"column\":1},[\"2\",\"3\"]]", ',');
    expect("text after closing quote, then a quote", "\"a\"b\"c,d\ne\n", "[{\"error\":1,\"column\":1},[\"e\"]]", ',');
    expect("closing quote then delimiter", "\"a\"\"b\",\"\",c\n", "[[\"a\\\"b\",\"\",\"c\"]]", ',');
    expect("quote inside plain field", "a\"b,c\n", "[[\"a\\\"b\",\"c\"]]", ',');
    expect("semicolon", "a;b\n1,5;2\n", "[[\"a\",\"b\"],[\"1,5\",\"2\"]]", ';');
    expect("unclosed quote", "a\n\"b\nc\n", "[[\"a\"],{\"error\":2}]", ',');
    /* A quote or a CR found only after the first 64 bytes of a record,
    ** past fields already cut: the fast path must hand the record back
    ** as it was (its delimiters intact) to the general one. */
    expect("quote after 64 bytes",
           "aaaaaaaaaa,bbbbbbbbbb,cccccccccc,dddddddddd,eeeeeeeeee,ffffffffff,gg,\"h,h\"\n1,2\n",
           "[[\"aaaaaaaaaa\",\"bbbbbbbbbb\",\"cccccccccc\",\"dddddddddd\",\"eeeeeeeeee\",\"ffffffffff\",\"gg\","
           "\"h,h\"],[\"1\",\"2\"]]",
           ',');
    expect("cr after 64 bytes", "aaaaaaaaaa,bbbbbbbbbb,cccccccccc,dddddddddd,eeeeeeeeee,ffffffffff,gg,h\r\n1,2\r\n",
           "[[\"aaaaaaaaaa\",\"bbbbbbbbbb\",\"cccccccccc\",\"dddddddddd\",\"eeeeeeeeee\",\"ffffffffff\",\"gg\","
           "\"h\"],[\"1\",\"2\"]]",
           ',');
    /* Quoting for the writer. */
    CHECK_INT(sarx_csv_quote(buf, sizeof buf, "plain", 5, ','), 5);
    CHECK_INT(sarx_csv_quote(buf, sizeof buf, "a,b", 3, ','), 5);
    CHECK(memcmp(buf, "\"a,b\"", 5) == 0);
    CHECK_INT(sarx_csv_quote(buf, sizeof buf, "say \"hi\"", 8, ','), 12);
    CHECK(memcmp(buf, "\"say \"\"hi\"\"\"", 12) == 0);
    CHECK_INT(sarx_csv_quote(buf, 2, "a,b", 3, ','), 5); /* too small: the size needed */
    CHECK_INT(sarx_csv_quote(NULL, 0, "", 0, ','), 0);    /* size query of an empty field */
    CHECK_INT(sarx_csv_quote(NULL, 0, "a\"", 2, ','), 5);
    {   /* A record longer than the initial buffer, read one byte at a time. */
        size_t n = 200000, i;
        char *big = malloc(n + 8);
        json_t *got;
        for (i = 0; i < n; i++)
            big[i] = (char)('a' + i % 26);
        memcpy(big + n, ",end\n", 6);
        got = parse(big, n + 5, 1, ',');
        CHECK(json_array_size(got) == 1 && json_array_size(json_array_get(got, 0)) == 2 &&
              strlen(json_string_value(json_array_get(json_array_get(got, 0), 0))) == n);
        json_decref(got);
        free(big);
    }
    {   /* Block splitting follows the reader's quote rules. */
        long r, l;
        const char *t = "a,\"x\ny\"\nb\"c,d\ne,f";
        CHECK_INT(sarx_csv_complete(t, strlen(t), ',', 0, 0, &r, &l), 14); /* up to "b"c,d\n" */
        CHECK_INT(r, 2);
        CHECK_INT(l, 3);
        CHECK_INT(sarx_csv_complete(t, strlen(t), ',', 1, 0, &r, &l), strlen(t));
        CHECK_INT(r, 3);
        CHECK_INT(sarx_csv_complete(t, strlen(t), ',', 0, 1, &r, &l), 8);
        CHECK_INT(r, 1);
        CHECK_INT(sarx_csv_complete("a\r", 2, ',', 0, 0, &r, &l), 0); /* CR LF may be split */
        CHECK_INT(sarx_csv_complete("a\r\nb", 5, ',', 0, 0, &r, &l), 3);
        CHECK_INT(sarx_csv_complete("\"open\nx", 7, ',', 1, 0, &r, &l), 0); /* unclosed at end */
    }
    {   /* Without quotes, records are counted many bytes at a time, in byte
        ** counters summed every 255 rounds: texts dense with line ends, up to
        ** every byte (past 4096 bytes, so a counter allowed 256 rounds
        ** overflows), give what a byte-by-byte count gives. */
        static char t[6000];
        unsigned seed = 7;
        int k, bad = 0;
        for (k = 0; k < 300; k++) {
            size_t len = (size_t)(k * 19) % sizeof t, i, last = 0, done;
            long r = -1, l = -1, want = 0;
            static const unsigned lf_in_60[4] = {1, 30, 40, 60}; /* sparse, half, two thirds, all */
            for (i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                t[i] = (seed >> 16) % 60u < lf_in_60[k % 4] ? '\n' : 'a';
                if (t[i] == '\n')
                    want++, last = i + 1;
            }
            done = sarx_csv_complete(t, len, ',', 0, 0, &r, &l);
            bad += done != last || r != want || l != want;
        }
        CHECK_INT(bad, 0);
    }
    test_messages();
    test_guard();
    test_list_cell();
    spectrum(argc > 1 ? argv[1] : "/usr/share/nodejs/csv-spectrum");
    return h_summary("csv");
}
