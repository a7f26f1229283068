/*
** cells8.c — one column's cells of eight rows read at once (AVX-512), for
** the cohort's rows (sarx_cohort_add, sarx_cohort_parse).
**
** The cells of one column in eight rows are loaded into eight 64-bit lanes,
** one cell's first bytes per lane: eight bytes at once (one gather) where
** the caller says they can be read (end: sarx_cohort_readable), otherwise
** by masked loads that touch no byte outside a cell (the caller's fields
** need no padding).  A column is read
** one way, its own, without a branch on a cell's contents:
**
**   - a number column as the usual number cell: 1 to 8 bytes of digits with
**     at most one separator, and a minus sign first where the column can be
**     negative (the scalar sarx__parse_plain's [-]digits[sep digits], less
**     the plus sign and the longer cells), its value the digits as an
**     integer divided by 10^(digits after the separator), rounded once, and
**     negated: the double of sarx__parse_plain's conversion and division;
**   - a word column as one of its usual words (match_word in cohort.c).
**
** A lane is "read" when the reading succeeds (a number within the column's
** range, and whole for an integer column; a word), or when its cell is
** empty (NaN); its value times the column's scale is stored to the
** column's batch slot.  Every other lane is left to the scalar path, which
** reads it as before (a sign elsewhere, a longer cell, another spelling,
** an error), so the values are the scalar path's whatever the processor.  A
** test compares the two on every text of up to five bytes over the
** characters that matter.
**
** The number steps are the classic SWAR ones, on eight lanes:
**   0. a minus sign dropped (the bytes move down one), where allowed;
**   1. the separator's byte (at most one) by a zero-byte test of x ^ sep;
**   2. the digits check: no byte below '0' or above '9' once the separator
**      and the bytes past the cell are replaced by '0' (the lowest bad byte
**      always sets its high bit in t - '0' or t + 0x46);
**   3. the separator squeezed out (the bytes above it move down one), the
**      digits moved to the top of the lane, then pairs, fours and eights
**      combined by multiply-adds (10 and 1, 100 and 1, 10^4 and 1);
**   4. the integer (below 10^8) to double by the 2^52 trick, and its
**      quotient by 10^frac, correctly rounded without a division
**      (quotient, below).
*/
#include "internal.h"

#if defined(SARX__X86_DISPATCH)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512cd")))

int sarx__cells8_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512cd");
}

/* w / 10^f in each lane, correctly rounded (the IEEE division's double),
** for the cells' w and f: w < 10^8 with f = 0, w < 10^7 with f = 1 .. 7
** (a separator leaves at most seven digits).  Not by the division, whose
** 16-cycle throughput was a fifth of the reader's time, but by the
** reciprocal and one correction (Markstein): q = w * RN(10^-f) is within
** an ulp of w / 10^f, its remainder r = w - q * 10^f is exact in one fused
** multiply-add, and q + r * RN(10^-f), rounded once, is the quotient
** rounded to nearest.  sarx__cells8_quotients checks every w and f of the
** domain against the division (a test). */
AVX512 static inline __attribute__((always_inline)) __m512d quotient(__m512d w, __m512i f)
{
    const __m512d inv = _mm512_setr_pd(1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7); /* RN(10^-f) */
    __m512d d = _mm512_permutexvar_pd(f, _mm512_loadu_pd(sarx__pow10)), y = _mm512_permutexvar_pd(f, inv);
    __m512d q = _mm512_mul_pd(w, y);
    return _mm512_fmadd_pd(_mm512_fnmadd_pd(q, d, w), y, q);
}

AVX512 long sarx__cells8_quotients(void)
{
    const __m512i eight = _mm512_set1_epi64(8);
    long bad = 0;
    int f;
    for (f = 0; f < 8; f++) {
        const __m512i fv = _mm512_set1_epi64(f);
        const __m512d d = _mm512_set1_pd(sarx__pow10[f]);
        __m512i wi = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
        long w, end = f == 0 ? 100000000 : 10000000;
        for (w = 0; w < end; w += 8, wi = _mm512_add_epi64(wi, eight)) {
            __m512d x = _mm512_cvtepi64_pd(wi);
            bad += __builtin_popcount(_mm512_cmpneq_pd_mask(quotient(x, fv), _mm512_div_pd(x, d)));
        }
    }
    return bad;
}

/* One column's cells of eight rows: lanes of `lanes` read, the others in
** the returned mask. */
AVX512 unsigned sarx__cells8_read(const sarx__cells8 *g, char *const *fields, const size_t *lens, unsigned lanes,
                                  char sep, const char *end, double *dst)
{
    const __m512i zero = _mm512_setzero_si512();
    __mmask8 k = (__mmask8)lanes, empty, got;
    __m512i len = _mm512_maskz_loadu_epi64(k, lens);
    __m512i ptr = _mm512_maskz_loadu_epi64(k, fields); /* (a lane outside k is neither gathered nor loaded) */
    __m512i x, y;
    __m512d v;
    __mmask64 kbytes;
    uint64_t bytes, at[8];
    int j;

    /* The cells' bytes: lane j from its cell's first min(len, 8) bytes.
    ** The byte mask of every lane at once (kbytes).  A lane whose cell's
    ** eight bytes from its start all lie before end is loaded whole, with
    ** the others such, in one gather; each other lane by a masked load from
    ** 8j bytes before its cell, so its bytes land in lane j (masked bytes
    ** are not read, and cannot fault); then the bytes past each cell are
    ** cleared. */
    {
        __m512i n8 = _mm512_min_epu64(len, _mm512_set1_epi64(8)); /* in each lane's byte 0, copied to its 8 bytes */
        __m512i each = _mm512_shuffle_epi8(n8, _mm512_set_epi64(0x0808080808080808LL, 0, 0x0808080808080808LL, 0,
                                                                0x0808080808080808LL, 0, 0x0808080808080808LL, 0));
        uintptr_t last = (uintptr_t)end >= 8 ? (uintptr_t)end - 8 : 0; /* the last start of eight readable bytes */
        __mmask8 whole = end ? _mm512_mask_cmple_epu64_mask(k, ptr, _mm512_set1_epi64((long long)last)) : 0;
        unsigned part = k & ~whole;
        kbytes = _mm512_cmplt_epu8_mask(_mm512_set1_epi64(0x0706050403020100LL), each);
        bytes = _cvtmask64_u64(kbytes);
        x = _mm512_mask_i64gather_epi64(zero, whole, ptr, (const void *)0, 1);
        if (part) {
            _mm512_storeu_si512(at, ptr);
            for (; part; part &= part - 1) {
                j = __builtin_ctz(part);
                x = _mm512_mask_loadu_epi8(x, _cvtu64_mask64(bytes & (0xFFULL << 8 * j)),
                                           (const void *)(at[j] - 8 * (uint64_t)j));
            }
        }
        x = _mm512_maskz_mov_epi8(kbytes, x);
    }
    empty = _mm512_mask_cmpeq_epi64_mask(k, len, zero);

    if (!g->code) {
        const __m512i one = _mm512_set1_epi64(1);
        const __m512i low7 = _mm512_set1_epi64(0x7F7F7F7F7F7F7F7FLL), zeros = _mm512_set1_epi64(0x3030303030303030LL);
        const __m512i high = _mm512_set1_epi64((long long)0x8080808080808080ULL);
        const __m512i sepv = _mm512_set1_epi64((long long)(0x0101010101010101ULL * (unsigned char)sep));
        __m512i text = _mm512_movm_epi8(kbytes); /* 0xFF at the cell's bytes */
        __m512i n = len, seps, sepb, below, t, d, nd, w, frac;
        __mmask8 has, neg = 0;

        /* 0. A minus sign, where the column can be negative: dropped (the
        ** bytes move down one), and the value negated at the end. */
        if (g->sign) {
            neg = _mm512_mask_cmpeq_epi64_mask(k, _mm512_and_si512(x, _mm512_set1_epi64(0xFF)), _mm512_set1_epi64('-'));
            x = _mm512_mask_srli_epi64(x, neg, x, 8);
            text = _mm512_mask_srli_epi64(text, neg, text, 8);
            n = _mm512_mask_sub_epi64(len, neg, len, one);
        }

        /* 1. The separator. */
        y = _mm512_xor_si512(x, sepv);
        seps = _mm512_andnot_si512(
            _mm512_or_si512(_mm512_or_si512(_mm512_add_epi64(_mm512_and_si512(y, low7), low7), y), low7),
            text);                                                      /* 0x80 at separators */
        below = _mm512_srli_epi64(seps, 7);                             /* 1 at separators */
        sepb = _mm512_sub_epi64(_mm512_slli_epi64(below, 8), below);    /* 0xFF there */
        below = _mm512_sub_epi64(below, one); /* the bytes before it (all if none; one separator at most is checked) */
        has = _mm512_test_epi64_mask(seps, seps);

        /* 2. The digits. */
        t = _mm512_or_si512(_mm512_and_si512(_mm512_andnot_si512(sepb, x), text),
                            _mm512_and_si512(zeros, _mm512_or_si512(sepb, _mm512_andnot_si512(text, _mm512_set1_epi64(-1)))));
        d = _mm512_sub_epi64(t, zeros);
        nd = _mm512_mask_sub_epi64(n, has, n, one); /* digits */
        got = _mm512_testn_epi64_mask(_mm512_or_si512(_mm512_add_epi64(t, _mm512_set1_epi64(0x4646464646464646LL)), d),
                                      high) &
              _mm512_testn_epi64_mask(seps, _mm512_sub_epi64(seps, one)) & /* one separator at most */
              _mm512_cmpgt_epi64_mask(nd, zero) & _mm512_cmple_epu64_mask(len, _mm512_set1_epi64(8));

        /* 3. The integer of the digits, and the digits after the separator. */
        /* (separator at byte p: 0x80 there, 56 - 8p leading zeros, len - 1 - p digits after it) */
        frac = _mm512_maskz_sub_epi64(has, _mm512_add_epi64(n, _mm512_srli_epi64(_mm512_lzcnt_epi64(seps), 3)),
                                      _mm512_set1_epi64(8));
        w = _mm512_or_si512(_mm512_and_si512(d, below), _mm512_andnot_si512(below, _mm512_srli_epi64(d, 8)));
        w = _mm512_sllv_epi64(w, _mm512_slli_epi64(_mm512_and_si512(_mm512_sub_epi64(_mm512_set1_epi64(8), nd),
                                                                    _mm512_set1_epi64(7)),
                                                   3));
        w = _mm512_maddubs_epi16(w, _mm512_set1_epi16(0x010A));  /* pairs: 10 a + b */
        w = _mm512_madd_epi16(w, _mm512_set1_epi32(0x00010064)); /* fours: 100 ab + cd */
        w = _mm512_add_epi64(_mm512_mul_epu32(w, _mm512_set1_epi64(10000)), _mm512_srli_epi64(w, 32)); /* eight */

        /* 4. The value, its range, and whether it is whole. */
        v = _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(w, _mm512_set1_epi64(0x4330000000000000LL))),
                          _mm512_set1_pd(4503599627370496.0));
        v = quotient(v, frac);
        v = _mm512_castsi512_pd(_mm512_mask_xor_epi64(_mm512_castpd_si512(v), neg, _mm512_castpd_si512(v),
                                                      _mm512_set1_epi64((long long)0x8000000000000000ULL)));
        got &= _mm512_cmp_pd_mask(v, _mm512_set1_pd(g->lo), _CMP_GE_OQ) &
               _mm512_cmp_pd_mask(v, _mm512_set1_pd(g->hi), _CMP_LE_OQ);
        if (g->integer)
            got &= _mm512_cmp_pd_mask(_mm512_roundscale_pd(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC), v, _CMP_EQ_OQ);
        v = _mm512_mul_pd(v, _mm512_set1_pd(g->scale));
    } else {
        /* The words: the cell in lower case (A-Z only) equal to a word of the
        ** column, which is the same as matching its letters in either case
        ** and its other bytes exactly (the words are lower case).  Equal
        ** 8-byte lanes mean equal lengths unless the cell is longer than 8
        ** bytes or holds a NUL among its first bytes: those are left to the
        ** scalar path.  Every word is compared (no early exit); wv starts as
        ** all ones, a NaN that no word's value is, so the lanes that matched
        ** are those where it changed. */
        __m512i xl = _mm512_mask_add_epi8(
            x, _mm512_cmplt_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('A')), _mm512_set1_epi8(26)), x,
            _mm512_set1_epi8(0x20));
        __m512i none = _mm512_set1_epi64(-1), wv = none;
        __mmask8 nul = _mm512_test_epi64_mask(
            _mm512_movm_epi8(_kxor_mask64(_mm512_test_epi8_mask(x, x), _cvtu64_mask64(bytes))), _mm512_set1_epi64(-1));
        for (j = 0; j < g->nwords; j++)
            wv = _mm512_mask_mov_epi64(wv, _mm512_cmpeq_epi64_mask(xl, _mm512_set1_epi64((long long)g->word[j])),
                                       _mm512_castpd_si512(_mm512_set1_pd(g->wcode[j])));
        got = _mm512_cmpneq_epi64_mask(wv, none) & ~nul & _mm512_cmple_epu64_mask(len, _mm512_set1_epi64(8));
        v = _mm512_castsi512_pd(wv);
    }

    v = _mm512_mask_blend_pd(empty, v, _mm512_set1_pd(NAN));
    got = (got | empty) & k;
    _mm512_mask_storeu_pd(dst, got, v);
    return k & ~got;
}

#else
int sarx__cells8_available(void) { return 0; }
long sarx__cells8_quotients(void) { return 0; }
unsigned sarx__cells8_read(const sarx__cells8 *g, char *const *fields, const size_t *lens, unsigned lanes, char sep,
                           const char *end, double *dst)
{
    (void)g, (void)fields, (void)lens, (void)sep, (void)end, (void)dst;
    return lanes;
}
#endif
