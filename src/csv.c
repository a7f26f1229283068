/*
** csv.c — a streaming RFC 4180 reader and a quoting helper.
**
** The reader keeps a buffer that holds at least one whole record.  It first
** finds where the record ends (tracking quotes), refilling and growing the
** buffer as needed, and only then splits it into fields, unescaping quoted
** fields in place ("" -> ").  Plain fields are not copied.  Text after a
** closing quote ("6"5) refuses the record (RFC 4180: a quoted field ends at
** its closing quote), and reading goes on with the next one; a quote inside
** a plain field is kept.  Memory is bounded by the largest record
** (SARX_CSV_MAX_RECORD bytes): a longer record, or a quote that never
** closes, is refused whole, never read in part, and ends the reading.
** A reader made with sarx_csv_new_buffer reads the caller's text in place
** instead: no buffer of its own, no copy.
*/
#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SARX_CSV_MAX_RECORD (64u << 20)

struct sarx_csv {
    sarx_read_fn read;
    void *ud;
    char delim;
    char *buf;
    size_t cap, len, pos; /* buffered bytes [pos, len) not yet consumed */
    int eof, bom_checked;
    int borrowed; /* buf is the caller's (sarx_csv_new_buffer) */
    long line, next_line, record;
    /* record_end() resumes here after a refill: offset from pos, state */
    size_t scan_off;
    int scan_quoted, scan_field_start;
    long scan_nl, scan_open_nl;
    char **field;
    size_t *flen;
    size_t nfield_cap;
    int (*plain)(sarx_csv *c, size_t *nfield); /* plain_record, for this processor */
};

static int plain_record(sarx_csv *c, size_t *nfield);
#if defined(SARX__X86_DISPATCH)
static int plain_record_wide(sarx_csv *c, size_t *nfield);
#endif

/* A reader over its own growing buffer (buf NULL) or over the caller's
** text, read in place (buf, len: all of the input, so at end of input from
** the start and read is never called). */
static int make(sarx_csv **out, sarx_read_fn read, void *ud, char *buf, size_t len, char delim, unsigned flags)
{
    sarx_csv *c;
    if (!out)
        return SARX_EINVAL;
    *out = NULL;
    if (delim == '"' || delim == '\r' || delim == '\n' || delim == '\0')
        return SARX_EINVAL;
    c = calloc(1, sizeof *c);
    if (!c)
        return SARX_ENOMEM;
    c->read = read;
    c->ud = ud;
    c->delim = delim;
    if (buf) {
        c->buf = buf;
        c->borrowed = 1;
        c->cap = c->len = len;
        c->eof = 1;
    } else {
        c->cap = 1u << 16;
        c->buf = malloc(c->cap + 1);
    }
    c->nfield_cap = 64;
    c->field = malloc(c->nfield_cap * sizeof *c->field);
    c->flen = malloc(c->nfield_cap * sizeof *c->flen);
    if (!c->buf || !c->field || !c->flen) {
        sarx_csv_free(c);
        return SARX_ENOMEM;
    }
    c->plain = plain_record;
#if defined(SARX__X86_DISPATCH)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vbmi2"))
        c->plain = plain_record_wide;
#endif
    c->next_line = 1;
    c->bom_checked = (flags & SARX_CSV_NO_BOM) != 0;
    c->scan_field_start = 1;
    *out = c;
    return SARX_OK;
}

int sarx_csv_new(sarx_csv **out, sarx_read_fn read, void *ud, char delim)
{
    return sarx_csv_new_ex(out, read, ud, delim, 0);
}

int sarx_csv_new_ex(sarx_csv **out, sarx_read_fn read, void *ud, char delim, unsigned flags)
{
    if (out)
        *out = NULL;
    return read ? make(out, read, ud, NULL, 0, delim, flags) : SARX_EINVAL;
}

int sarx_csv_new_buffer(sarx_csv **out, char *buf, size_t len, char delim, unsigned flags)
{
    if (out)
        *out = NULL;
    if (!buf || len >= (size_t)LONG_MAX) /* offsets are longs inside */
        return SARX_EINVAL;
    return make(out, NULL, NULL, buf, len, delim, flags);
}

void sarx_csv_free(sarx_csv *c)
{
    if (!c)
        return;
    if (!c->borrowed)
        free(c->buf);
    free(c->field);
    free(c->flen);
    free(c);
}

long sarx_csv_line(const sarx_csv *c) { return c ? c->line : 0; }
long sarx_csv_record(const sarx_csv *c) { return c ? c->record : 0; }

/* Move the unconsumed bytes to the front, grow if full, read more.
** Returns 1 if bytes were added, 0 at end of input, -1 on error, -2 when
** the record being read would pass SARX_CSV_MAX_RECORD (err not set: the
** caller words it). */
static int fill(sarx_csv *c, sarx_error *err)
{
    size_t got;
    if (c->eof)
        return 0;
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->len - c->pos);
        c->len -= c->pos;
        c->pos = 0;
    }
    if (c->len == c->cap) {
        size_t cap = c->cap * 2;
        char *p;
        if (cap > SARX_CSV_MAX_RECORD)
            return -2;
        p = realloc(c->buf, cap + 1);
        if (!p) {
            sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
            return -1;
        }
        c->buf = p;
        c->cap = cap;
    }
    got = c->read(c->ud, c->buf + c->len, c->cap - c->len);
    if (got == (size_t)-1) {
        sarx__err(err, SARX_EIO, "", "", "", "read error");
        return -1;
    }
    if (got == 0) {
        c->eof = 1;
        return 0;
    }
    c->len += got;
    return 1;
}

static int add_field(sarx_csv *c, size_t n, char *start, size_t len)
{
    if (n == c->nfield_cap) {
        size_t cap = c->nfield_cap * 2;
        char **f = realloc(c->field, cap * sizeof *f);
        size_t *l;
        if (!f)
            return 0;
        c->field = f;
        l = realloc(c->flen, cap * sizeof *l);
        if (!l)
            return 0;
        c->flen = l;
        c->nfield_cap = cap;
    }
    c->field[n] = start;
    c->flen[n] = len;
    return 1;
}

/* The quote rules, in one place: the state of a scan through a record. */
typedef struct scan {
    int quoted, field_start;
    long nl;      /* line ends inside quotes */
    long open_nl; /* nl when the last quoted field opened (for the unclosed-quote message) */
} scan;

/* Advance *ip through one record.  Returns 1 at its terminator (*ip at the
** terminator, *term its length), 0 when the data ends inside the record,
** -1 when the last byte cannot be judged yet (a quote or a CR at the end,
** and more data may come). */
static int scan_record(const char *b, size_t *ip, size_t n, int eof, char delim, scan *st, size_t *term)
{
    size_t i = *ip;
    int r = 0;
    while (i < n) {
        char ch = b[i];
        if (st->quoted) {
            if (ch == '"') {
                if (i + 1 >= n && !eof) {
                    r = -1; /* "" or a closing quote? */
                    break;
                }
                if (i + 1 < n && b[i + 1] == '"') {
                    i += 2;
                    continue;
                }
                st->quoted = 0;
            } else if (ch == '\n') {
                st->nl++;
            }
            i++;
            continue;
        }
        if (ch == '"' && st->field_start) {
            st->quoted = 1;
            st->field_start = 0;
            st->open_nl = st->nl;
            i++;
            continue;
        }
        if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && i + 1 >= n && !eof) {
                r = -1; /* is an LF next? */
                break;
            }
            *term = ch == '\r' && i + 1 < n && b[i + 1] == '\n' ? 2 : 1;
            r = 1;
            break;
        }
        st->field_start = ch == delim;
        i++;
    }
    *ip = i;
    return r;
}

/* Find the end of the record starting at pos.  Returns the offset of its
** terminator (LF, CR or end of data), with *term the terminator's length;
** -1 if the data ends inside the record and more may come; -3 if the input
** ends inside a quoted field. */
static long record_end(sarx_csv *c, size_t *term, long *newlines)
{
    const char *b = c->buf;
    size_t i = c->pos + c->scan_off, n = c->len;
    scan st;
    int r;
    st.quoted = c->scan_quoted;
    st.field_start = c->scan_field_start;
    st.nl = c->scan_nl;
    st.open_nl = c->scan_open_nl;
    r = scan_record(b, &i, n, c->eof, c->delim, &st, term);
    if (r == 1) {
        *newlines = st.nl;
        return (long)i;
    }
    /* remember how far we got: more data may come, or the caller words an
    ** error from the state */
    c->scan_off = i - c->pos;
    c->scan_quoted = st.quoted;
    c->scan_field_start = st.field_start;
    c->scan_nl = st.nl;
    c->scan_open_nl = st.open_nl;
    if (!c->eof)
        return -1;
    if (st.quoted)
        return -3; /* end of input inside quotes */
    *term = 0;
    *newlines = st.nl;
    return (long)n;
}

/* Split [start, end) into fields, unescaping quoted ones in place.
** Returns 1; 0 when out of memory; -1 when text follows a closing quote
** (RFC 4180: a quoted field ends there), with *bad the field, its text so
** far (unescaped) in [*open, *oend) and *close its closing quote. */
static int split(sarx_csv *c, char *start, char *end, size_t *nfield, size_t *bad, char **open, char **oend,
                 char **close)
{
    char *p = start;
    size_t n = 0;
    if (!memchr(start, '"', (size_t)(end - start))) { /* no quotes: fields end at delimiters */
        for (;;) {
            char *d = memchr(p, c->delim, (size_t)(end - p));
            char *e = d ? d : end;
            if (!add_field(c, n++, p, (size_t)(e - p)))
                return 0;
            if (!d)
                break;
            *d = '\0';
            p = d + 1;
        }
        *nfield = n;
        return 1;
    }
    for (;;) {
        char *f = p, *w = p;
        if (p < end && *p == '"') {
            p++;
            while (p < end) {
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    break;
                }
                *w++ = *p++;
            }
            /* p: the closing quote (the scan found every quote closed) */
            if (p < end && p + 1 < end && p[1] != c->delim) {
                *bad = n;
                *open = f;
                *oend = w;
                *close = p;
                *nfield = n;
                return -1;
            }
            if (p < end)
                p++;
        } else {
            while (p < end && *p != c->delim)
                p++;
            w = p;
        }
        if (!add_field(c, n++, f, (size_t)(w - f)))
            return 0;
        if (p >= end)
            break;
        *w = '\0'; /* safe: w <= p, and *p is the delimiter */
        p++;       /* skip the delimiter */
    }
    *nfield = n;
    return 1;
}

/* Bits of the 64 bytes at p: delimiters, LFs, and CRs or quotes. */
#if defined(__SSE2__)
#include <emmintrin.h>
static void classify64(const char *p, char delim, uint64_t *d, uint64_t *lf, uint64_t *other)
{
    const __m128i D = _mm_set1_epi8(delim), N = _mm_set1_epi8('\n'), Q = _mm_set1_epi8('"'),
                  R = _mm_set1_epi8('\r');
    uint64_t a = 0, b = 0, o = 0;
    int k;
    for (k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        a |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, D)) << (16 * k);
        b |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, N)) << (16 * k);
        o |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, Q), _mm_cmpeq_epi8(x, R)))
             << (16 * k);
    }
    *d = a;
    *lf = b;
    *other = o;
}
#else
static void classify64(const char *p, char delim, uint64_t *d, uint64_t *lf, uint64_t *other)
{
    uint64_t a = 0, b = 0, o = 0;
    int k;
    for (k = 0; k < 64; k++) {
        a |= (uint64_t)(p[k] == delim) << k;
        b |= (uint64_t)(p[k] == '\n') << k;
        o |= (uint64_t)(p[k] == '"' || p[k] == '\r') << k;
    }
    *d = a;
    *lf = b;
    *other = o;
}
#endif

/* Undo plain_record's split of fields 0 .. n-1: their ends were delimiters. */
static int unsplit(sarx_csv *c, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        c->field[i][c->flen[i]] = c->delim;
    return 0;
}

/* The record's last field, from f to its LF at p, and the record's end. */
static int end_record(sarx_csv *c, size_t n, char *f, char *p, size_t *nfield)
{
    if (n == c->nfield_cap && !add_field(c, n, f, 0))
        return unsplit(c, n);
    c->field[n] = f;
    c->flen[n++] = (size_t)(p - f);
    *p = '\0';
    *nfield = n;
    c->line = c->next_line++;
    c->record++;
    c->pos = (size_t)(p + 1 - c->buf);
    return 1;
}

/* The common record, in one pass: no quote and no CR before its LF, all
** in the buffer.  Splits it in place and returns 1; returns 0, having
** changed nothing, for anything else (the general path decides): a field
** is cut (its delimiter made a NUL) as it is found, and the cuts are undone
** if the record turns out not to be plain.  Reads 64 bytes at a time; the
** last bytes of the data from a zeroed copy. */
static int plain_record(sarx_csv *c, size_t *nfield)
{
    char *base = c->buf + c->pos, *f = base, *end = c->buf + c->len;
    size_t n = 0;
    for (;;) {
        uint64_t d, lf, other, valid, before;
        if (base >= end)
            return unsplit(c, n); /* the data ends first */
        if (end - base >= 64) {
            classify64(base, c->delim, &d, &lf, &other);
        } else {
            char tail[64] = {0};
            memcpy(tail, base, (size_t)(end - base));
            classify64(tail, c->delim, &d, &lf, &other);
        }
        valid = end - base >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << (end - base)) - 1;
        lf &= valid;
        before = lf ? (lf & (0 - lf)) - 1 : valid; /* the bytes before the first LF */
        if (other & before)
            return unsplit(c, n); /* a quote or a CR */
        d &= before;
        while (d) {
            char *q = base + __builtin_ctzll(d);
            if (n == c->nfield_cap && !add_field(c, n, f, 0))
                return unsplit(c, n);
            c->field[n] = f;
            c->flen[n++] = (size_t)(q - f);
            *q = '\0';
            f = q + 1;
            d &= d - 1;
        }
        if (lf)
            return end_record(c, n, f, base + __builtin_ctzll(lf), nfield);
        base += 64;
    }
}

void sarx__csv_use_baseline(sarx_csv *c)
{
    if (c)
        c->plain = plain_record;
}

#if defined(SARX__X86_DISPATCH)
#include <immintrin.h>
#define WIDE __attribute__((target("avx512f,avx512bw,avx512vbmi2")))

/* plain_record with AVX-512, the same records: each 64 bytes by one load
** (masked at the end of the data) and four byte compares; the delimiters'
** offsets by one compress of 0..63, then eight fields' starts and lengths
** computed and stored at once; every delimiter made a NUL by one masked
** store.  Chosen where the processor has AVX-512 F, BW and VBMI2; the
** tests read every case both ways (sarx__csv_use_baseline). */
WIDE static int plain_record_wide(sarx_csv *c, size_t *nfield)
{
    const __m512i delim = _mm512_set1_epi8(c->delim), one = _mm512_set1_epi64(1);
    const __m512i iota = _mm512_set_epi64(0x3F3E3D3C3B3A3938LL, 0x3736353433323130LL, 0x2F2E2D2C2B2A2928LL,
                                          0x2726252423222120LL, 0x1F1E1D1C1B1A1918LL, 0x1716151413121110LL,
                                          0x0F0E0D0C0B0A0908LL, 0x0706050403020100LL); /* byte i = i */
    char *base = c->buf + c->pos, *f = base, *end = c->buf + c->len;
    size_t n = 0;
    for (;;) {
        uint64_t d, lf, other, valid, before;
        size_t k, cnt;
        __m512i x;
        if (base >= end)
            return unsplit(c, n); /* the data ends first */
        valid = end - base >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << (end - base)) - 1;
        x = _mm512_maskz_loadu_epi8(_cvtu64_mask64(valid), base); /* bytes past the data are not read */
        d = _cvtmask64_u64(_mm512_cmpeq_epi8_mask(x, delim));
        lf = _cvtmask64_u64(_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'))) & valid;
        other = _cvtmask64_u64(_kor_mask64(_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"')),
                                           _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\r'))));
        before = lf ? (lf & (0 - lf)) - 1 : valid; /* the bytes before the first LF */
        if (other & before)
            return unsplit(c, n); /* a quote or a CR */
        d &= before;
        if (d) {
            /* pos: the delimiters' offsets in order, one a byte.  Field i
            ** of these starts after delimiter i - 1 (the first at f) and
            ** ends at delimiter i; eight at a time, each offset widened to
            ** its own 64-bit lane. */
            __m512i pos = _mm512_maskz_compress_epi8(_cvtu64_mask64(d), iota);
            __m512i prev = _mm512_set1_epi64((long long)(intptr_t)(f - 1)), b = _mm512_set1_epi64((long long)(intptr_t)base);
            char **fs;
            size_t *ls;
            cnt = (size_t)__builtin_popcountll(d);
            /* Whole stores of eight (masked ones stall the loads of the same
            ** entries that follow, sarx_cohort_add's): the arrays have room
            ** for the lanes past the last field, which later stores
            ** overwrite. */
            while (c->nfield_cap < n + cnt + 8)
                if (!add_field(c, c->nfield_cap, NULL, 0)) /* (grows the arrays) */
                    return unsplit(c, n);
            fs = c->field + n;
            ls = c->flen + n;
            for (k = 0; k < cnt; k += 8) {
                __m512i e = _mm512_add_epi64(b, _mm512_cvtepu8_epi64(_mm512_castsi512_si128(pos)));
                __m512i start = _mm512_add_epi64(_mm512_alignr_epi64(e, prev, 7), one);
                _mm512_storeu_si512((void *)(fs + k), start);
                _mm512_storeu_si512((void *)(ls + k), _mm512_sub_epi64(e, start));
                prev = e;
                pos = _mm512_alignr_epi64(_mm512_setzero_si512(), pos, 1); /* the next eight offsets */
            }
            _mm512_mask_storeu_epi8(base, _cvtu64_mask64(d), _mm512_setzero_si512());
            n += cnt;
            f = base + (63 - __builtin_clzll(d)) + 1;
        }
        if (lf)
            return end_record(c, n, f, base + __builtin_ctzll(lf), nfield);
        base += 64;
    }
}
#endif

/* One byte as it is shown in a message (sarx__show): e[], its length. */
static size_t show_byte(unsigned char ch, char *e)
{
    static const char hex[] = "0123456789abcdef";
    if (ch >= 0x20 && ch != 0x7F) {
        e[0] = (char)ch;
        return 1;
    }
    e[0] = '\\';
    e[1] = ch == 0 ? '0' : ch == '\t' ? 't' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : 'x';
    if (e[1] != 'x')
        return 2;
    e[2] = hex[ch >> 4];
    e[3] = hex[ch & 15];
    return 4;
}

size_t sarx__show(char *dst, size_t n, const char *s, size_t len)
{
    size_t i, o = 0, total = 0, keep;
    char e[4];
    if (n == 0)
        return 0;
    for (i = 0; i < len; i++)
        total += show_byte((unsigned char)s[i], e);
    keep = total < n ? n - 1 : n - 1 > 3 ? n - 4 : 0; /* all of it, or room for "..." */
    for (i = 0; i < len; i++) {
        size_t k = show_byte((unsigned char)s[i], e);
        if (o + k > keep)
            break;
        memcpy(dst + o, e, k);
        o += k;
    }
    while (i < len && o + 1 < n && o < keep + 3) /* cut: say so */
        dst[o++] = '.';
    dst[o] = '\0';
    return o;
}

/* The record refused for text after the closing quote of field `bad`: its
** text so far [text, text + tlen), its closing quote at close, the record
** ending at end.  The message shows the field as written, cut to fit. */
static void after_quote(const sarx_csv *c, size_t bad, const char *text, size_t tlen, const char *close,
                        const char *end, sarx_error *err)
{
    char raw[64], shown[64];
    const char *tail = close + 1, *stop = memchr(tail, c->delim, (size_t)(end - tail));
    size_t k = 0, j, taillen = (size_t)((stop ? stop : end) - tail);
    raw[k++] = '"';
    for (j = 0; j < tlen && j < 16; j++) { /* its quotes doubled again, as written */
        if (text[j] == '"')
            raw[k++] = '"';
        raw[k++] = text[j];
    }
    if (j < tlen) {
        memcpy(raw + k, "...", 3);
        k += 3;
    }
    raw[k++] = '"';
    for (j = 0; j < taillen && j < 16; j++)
        raw[k++] = tail[j];
    if (j < taillen) {
        memcpy(raw + k, "...", 3);
        k += 3;
    }
    sarx__show(shown, sizeof shown, raw, k); /* (k <= 56) */
    sarx__err(err, SARX_ESYNTAX, "", shown, "a quoted field ends at its closing quote",
              "column %zu: text after the closing quote in %s (RFC 4180: quote the whole field, doubling any quote "
              "inside it, or none of it)",
              bad + 1, shown);
    if (err)
        err->column = (long)bad + 1;
}

/* The reader at end of input after a record it refuses whole (a quote that
** never closes, a record over the limit): err gets its numbers. */
static int stop(sarx_csv *c, sarx_error *err)
{
    c->line = c->next_line;
    c->record++;
    if (err) {
        err->line = c->line;
        err->record = c->record;
    }
    c->pos = c->len;
    c->eof = 1;
    c->scan_off = 0;
    c->scan_quoted = 0;
    c->scan_field_start = 1;
    c->scan_nl = c->scan_open_nl = 0;
    return -1;
}

static long count_lf(const char *p, size_t n);

/* sarx_csv_next past its common record: the record's end found (refilling
** as needed), then split; kept apart so that the common record's call
** stays lean. */
static int next_general(sarx_csv *c, char ***fields, size_t **lens, size_t *nfield, sarx_error *err)
{
    size_t term = 0, i, bad = 0;
    long end, newlines = 0;
    int r;
    char *open = NULL, *oend = NULL, *close = NULL;
    for (;;) {
        end = c->pos < c->len || c->eof ? record_end(c, &term, &newlines) : -1;
        if (end >= 0)
            break;
        if (end == -3) {
            /* The rest of the input is inside the quote: refused whole,
            ** with what it holds, so that no row goes missing unsaid. */
            size_t bytes = c->len - c->pos;
            long lines = count_lf(c->buf + c->pos, bytes) + (c->buf[c->len - 1] != '\n');
            char where[64] = "";
            if (c->scan_open_nl > 0)
                snprintf(where, sizeof where, " (it opens on this row's line %ld)", c->scan_open_nl + 1);
            sarx__err(err, SARX_ESYNTAX, "", "", "a closing quote",
                      "a quoted field is not closed before the end of the file%s: from this row's first line to the "
                      "end, %ld line%s (%zu bytes) are inside it, none read as rows",
                      where, lines, lines == 1 ? "" : "s", bytes);
            return stop(c, err);
        }
        if ((r = fill(c, err)) == -2) {
            sarx__err(err, SARX_ERANGE, "", "", "at most 64 MiB per row",
                      "this row does not end within 64 MiB, the limit for one row%s: it and the rest of the "
                      "input are not read",
                      c->scan_quoted ? " (a quoted field in it is still open: an unclosed quote?)" : "");
            return stop(c, err);
        }
        if (r < 0)
            return stop(c, err);
        if (c->scan_off == 0 && c->pos < c->len && c->plain(c, nfield)) { /* the common record, now in */
            *fields = c->field;
            *lens = c->flen;
            return 1;
        }
    }
    c->scan_off = 0;
    c->scan_quoted = 0;
    c->scan_field_start = 1;
    c->scan_nl = 0;
    c->scan_open_nl = 0;
    if ((size_t)end == c->len && c->pos == c->len && c->eof)
        return 0; /* nothing left */
    c->line = c->next_line;
    c->record++;
    c->next_line += newlines + (term ? 1 : 0);
    {
        char *start = c->buf + c->pos, *stopp = c->buf + end;
        *stopp = '\0'; /* the terminator byte, or the spare byte past the data */
        c->pos = (size_t)end + term; /* the next record, whatever this one holds */
        r = split(c, start, stopp, nfield, &bad, &open, &oend, &close);
        if (r == 0) {
            sarx__err(err, SARX_ENOMEM, "", "", "", "out of memory");
            return -1;
        }
        if (r < 0) { /* refused; reading goes on after it */
            after_quote(c, bad, open, (size_t)(oend - open), close, stopp, err);
            if (err) {
                err->line = c->line;
                err->record = c->record;
            }
            return -1;
        }
        for (i = 0; i < *nfield; i++)
            c->field[i][c->flen[i]] = '\0';
    }
    *fields = c->field;
    *lens = c->flen;
    return 1;
}

int sarx_csv_next(sarx_csv *c, char ***fields, size_t **lens, size_t *nfield, sarx_error *err)
{
    if (!c || !fields || !lens || !nfield) {
        sarx__err(err, SARX_EINVAL, "", "", "", "invalid argument");
        return -1;
    }
    if (!c->bom_checked) { /* a UTF-8 byte-order mark before the first record */
        int r = 1;
        while (c->len - c->pos < 3 && (r = fill(c, err)) > 0)
            ;
        if (r == -1)
            return -1;
        c->bom_checked = 1;
        if (c->len - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0)
            c->pos += 3;
    }
    if (c->scan_off == 0 && c->pos < c->len && c->plain(c, nfield)) { /* the common record */
        *fields = c->field;
        *lens = c->flen;
        return 1;
    }
    return next_general(c, fields, lens, nfield, err);
}

/* The LF bytes in [p, p + n).  With SSE2, sixteen bytes at a time: each
** compare's 0 or -1 subtracted from byte counters, which are summed
** (psadbw) before any can reach 256.  Otherwise eight bytes at a time, each
** LF byte found exactly (no carry between bytes) and added up as bytes,
** summed (as 16-bit halves) the same way. */
static long count_lf(const char *p, size_t n)
{
    long total = 0;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (n - i >= 16) {
        __m128i acc = zero;
        size_t stop = i + 16 * 255 < n - 15 ? i + 16 * 255 : n - 15;
        for (; i < stop; i += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), lf));
        acc = _mm_sad_epu8(acc, zero); /* two sums, in the low 16 bits of each half */
        total += _mm_cvtsi128_si32(acc) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(acc, acc));
    }
#else
    const uint64_t ones = 0x0101010101010101u, low7 = ones * 0x7F;
    while (n - i >= 8) {
        uint64_t acc = 0;
        size_t stop = i + 8 * 255 < n - 7 ? i + 8 * 255 : n - 7;
        for (; i < stop; i += 8) {
            uint64_t w, y;
            memcpy(&w, p + i, 8);
            y = w ^ (ones * '\n');
            acc += (~(((y & low7) + low7) | y | low7) >> 7) & ones; /* 1 in each byte that was LF */
        }
        acc = (acc & 0x00FF00FF00FF00FFu) + ((acc >> 8) & 0x00FF00FF00FF00FFu); /* four sums below 2^16 */
        total += (long)((acc * 0x0001000100010001u) >> 48);
    }
#endif
    for (; i < n; i++)
        total += p[i] == '\n';
    return total;
}

size_t sarx_csv_complete(const char *buf, size_t len, char delim, int eof, long max_records, long *records,
                         long *lines)
{
    size_t i = 0, done = 0;
    int quoted = 0;
    long rec = 0, nl = 0, nl_done = 0;
    if (!memchr(buf, '"', len) && !memchr(buf, '\r', len)) {
        /* No quote and no CR: records end at each LF. */
        const char *p = buf, *end = buf + len, *lf;
        if (max_records <= 0) { /* up to the last LF, counting them */
            while (end > buf && end[-1] != '\n')
                end--;
            rec = count_lf(buf, (size_t)(end - buf));
            p = end;
            end = buf + len;
        }
        while (p < end && (max_records <= 0 || rec < max_records) && (lf = memchr(p, '\n', (size_t)(end - p)))) {
            rec++;
            p = lf + 1;
        }
        done = (size_t)(p - buf);
        if (eof && done < len && (max_records <= 0 || rec < max_records)) {
            rec++; /* the last record has no line end */
            done = len;
        }
        if (records)
            *records = rec;
        if (lines)
            *lines = rec - (eof && done == len && len > 0 && buf[len - 1] != '\n' ? 1 : 0);
        return done;
    }
    {
        scan st = {0, 1, 0, 0};
        size_t term = 0;
        while (i < len) {
            int r = scan_record(buf, &i, len, eof, delim, &st, &term);
            if (r != 1)
                break;
            i += term;
            nl = st.nl + 1; /* the quoted line ends so far, and this terminator */
            st.nl = nl;
            rec++;
            done = i;
            nl_done = nl;
            st.field_start = 1;
            if (max_records > 0 && rec == max_records)
                break;
        }
        quoted = st.quoted;
        nl = st.nl;
    }
    if (eof && i >= len && !quoted && done < len && (max_records <= 0 || rec < max_records)) {
        rec++; /* the last record has no line end */
        done = len;
        nl_done = nl;
    }
    if (records)
        *records = rec;
    if (lines)
        *lines = nl_done;
    return done;
}

/* ---- writing ---------------------------------------------------------- */

/* A byte that makes a spreadsheet read a cell as a formula when the cell
** starts with it (OWASP, "CSV injection"): = + - @, tab, CR. */
static int formula_start(char ch)
{
    return ch == '=' || ch == '+' || ch == '-' || ch == '@' || ch == '\t' || ch == '\r';
}

/* A whole decimal number ("-5", "+3.2", "-.5", "-1e-3", "-3,5"): such a
** cell is a value to a spreadsheet, not a formula, and is written as is. */
static int is_number(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (i < len && (s[i] == '.' || s[i] == ','))
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    if (digits && i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = 0;
        if (++i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            e++;
        if (!e)
            return 0;
    }
    return digits && i == len;
}

/* Whether a value is written with a single quote before it: it starts,
** after any single quotes of its own, with a formula byte, and is not a
** number.  (A value's own leading quotes count, so that the reader, which
** drops one quote before such a start, gives back "'=x" as it was.) */
static int needs_guard(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == '\'')
        i++;
    return i < len && formula_start(s[i]) && !is_number(s, len);
}

int sarx_csv_guarded(const char *s, size_t len)
{
    size_t i = 0;
    if (!s || len < 2 || s[0] != '\'')
        return 0;
    while (i < len && s[i] == '\'')
        i++;
    return i < len && formula_start(s[i]);
}

size_t sarx_csv_quote(char *dst, size_t n, const char *s, size_t len, char delim)
{
    size_t i, need = len, quotes = 0;
    int q = 0, guard = len > 0 && (formula_start(s[0]) || s[0] == '\'') && needs_guard(s, len);
    for (i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '"')
            quotes++;
        if (ch == '"' || ch == delim || ch == '\n' || ch == '\r')
            q = 1;
    }
    need += (size_t)guard;
    if (q)
        need += quotes + 2;
    if (need > n || !dst) /* too small, or only asked for the size */
        return need;
    if (!q && !guard) {
        memcpy(dst, s, len);
        return len;
    }
    if (q)
        *dst++ = '"';
    if (guard)
        *dst++ = '\'';
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            *dst++ = '"';
        *dst++ = s[i];
    }
    if (q)
        *dst = '"';
    return need;
}

size_t sarx_csv_list_append(char *dst, size_t n, const char *item, size_t len, int first)
{
    size_t i, need = len + (first ? 0 : 1);
    int bracket = first && len > 0 && item[0] == '['; /* a cell starting with [ would read as JSON */
    for (i = 0; i < len; i++)
        need += item[i] == ';' || item[i] == '\\';
    need += (size_t)bracket;
    if (need > n || !dst)
        return need;
    if (!first)
        *dst++ = ';';
    if (bracket)
        *dst++ = '\\';
    for (i = 0; i < len; i++) {
        if (item[i] == ';' || item[i] == '\\')
            *dst++ = '\\';
        *dst++ = item[i];
    }
    return need;
}
