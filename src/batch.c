/*
** batch.c — classification of up to SARX__LANES subjects at once, bit-sliced.
**
** The same rules as assess.c, evaluated on masks: bit i of a mask is
** subject (lane) i.  Measures are laid out as columns; each criterion row
** yields its met / not met / unknown / missing lanes from environment masks
** (sex, age band, method, population, fallback conditions) and one
** comparison loop; criteria combine by bit operations; category rules run as
** Kleene logic on (true, false) mask pairs, with atleast(k: ...) counted in
** bit-sliced adders.  The rare lanes whose completeness depends on a
** provisional criterion (which needs the completion search) are re-run by
** the scalar evaluator, so results are identical to sarx_classify.
*/
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* A mask: lane i is bit i % 64 of word i / 64 (SARX__LWORDS words).  GCC's
** vector extension, which clang shares: &, |, ^ and ~ act on every word at
** once, in SIMD registers where the target has them, so one operation
** decides all the lanes.  Masks are passed by address between functions
** (a function compiled for AVX2 passes a wide vector by value otherwise
** than one compiled for the baseline), and aligned to their size whatever
** the target (the baseline would align a 32-byte vector to 16 only). */
typedef uint64_t mask __attribute__((vector_size(SARX__LANES / 8), aligned(SARX__LANES / 8)));

/* The rule combiner is compiled twice, for the baseline and for AVX2 (a
** 256-bit mask in one register), with its helpers inlined into each
** (SARX__ALWAYS_INLINE). */
#define LANE(m, i) ((unsigned)((m)[(i) >> 6] >> ((i) & 63)) & 1u)    /* lane i of mask m */
#define BYTE(m, i) ((unsigned)((m)[(i) >> 6] >> ((i) & 63)) & 0xFFu) /* lanes i .. i + 7, i a multiple of 8 */

/* No lane set. */
static SARX__ALWAYS_INLINE int none(const mask *m)
{
    uint64_t a = 0;
    int w;
    for (w = 0; w < SARX__LWORDS; w++)
        a |= (*m)[w];
    return a == 0;
}
static inline void set_lane(mask *m, int i) { (*m)[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline void clear_lane(mask *m, int i) { (*m)[i >> 6] &= ~((uint64_t)1 << (i & 63)); }

/* The lanes by the row conditions a criterion row can have (sex, method,
** population, age band): computed once per batch, from e.all. */
typedef struct env {
    mask all, male, female, sexunk, bia, asian, lt70, ge70, ageunk, noheight, nowl12;
} env;

_Static_assert(SARX__MAX_CATS <= 16, "category numbers are read off 4 bit planes");
_Static_assert(SARX_INDETERMINATE == 255, "indeterminate is all bits set");
_Static_assert(sizeof(sarx_class) == 2, "out[] is written as 16-bit (category, complete) pairs");

struct sarx__batch {
    /* Columns by measure: the input fields (filled by the caller, see
    ** sarx__batch_column), then the derived values (computed here). */
    double lo[SARX__M_COUNT][SARX__LANES], hi[SARX__M_COUNT][SARX__LANES];
    mask nan[SARX__M_COUNT];  /* value missing */
    mask span[SARX__M_COUNT]; /* an interval, not a single value */
    mask cmp_lo[SARX__MAX_CMP], cmp_hi[SARX__MAX_CMP]; /* each comparison on lo and hi, once per batch */
    unsigned char cs[SARX__LANES]; /* each lane's sarx__conditions_summary (SARX__CS_*; the caller's) */
    int nw; /* the words of lanes in use in this batch: (n + 63) / 64 */
    void (*holds)(int op, const double *x, double t, int nw, mask *out); /* holds_mask or a wider variant */
    void (*nans)(const double *x, int nw, mask *out);
    void (*lanes)(const sarx__batch *b, env *e); /* env_lanes or a wider variant */
    /* stage_bytes or a wider variant */
    void (*stage_def)(sarx__batch *b, size_t d, const mask *plane, const mask *indet, const mask *done, int n);
    void (*derive)(sarx__batch *b); /* derive or a wider variant */
    /* classify_base or a wider variant */
    void (*classify)(const sarx_ctx *ctx, sarx__batch *b, const mask *all, int n, sarx_class *out);
    sarx__vals v; /* one lane's scalar values, for the rare lanes the scalar evaluator decides */
    sarx__masks out[SARX__LWORDS]; /* the results as masks, a word at a time */
    uint64_t stage[SARX__LANES / 8][64][2]; /* out[] by definition: see sarx__class_transpose */
};

const sarx__masks *sarx__batch_masks(const sarx__batch *b) { return b->out; }

static void holds_mask(int op, const double *x, double t, int nw, mask *out);
static void nan_mask(const double *x, int nw, mask *out);
static void env_lanes(const sarx__batch *b, env *e);
static void stage_bytes(sarx__batch *b, size_t d, const mask *plane, const mask *indet, const mask *done, int n);
#if defined(SARX__X86_DISPATCH)
static void holds_mask_avx512(int op, const double *x, double t, int nw, mask *out);
static void nan_mask_avx512(const double *x, int nw, mask *out);
static void env_lanes_avx512(const sarx__batch *b, env *e);
static void stage_bytes_avx512(sarx__batch *b, size_t d, const mask *plane, const mask *indet, const mask *done,
                               int n);
static void derive_avx512(sarx__batch *b);
#endif
static void derive(sarx__batch *b);
static void classify_base(const sarx_ctx *ctx, sarx__batch *b, const mask *all, int n, sarx_class *out);
#if defined(SARX__X86_DISPATCH)
static void classify_avx2(const sarx_ctx *ctx, sarx__batch *b, const mask *all, int n, sarx_class *out);
#endif

/* The widest kernels and combiner the processor has (0), or the baseline
** (1: for the tests). */
void sarx__batch_use_baseline(sarx__batch *b, int baseline)
{
    b->holds = holds_mask;
    b->nans = nan_mask;
    b->lanes = env_lanes;
    b->stage_def = stage_bytes;
    b->derive = derive;
    b->classify = classify_base;
#if defined(SARX__X86_DISPATCH)
    __builtin_cpu_init();
    if (!baseline && __builtin_cpu_supports("avx2"))
        b->classify = classify_avx2;
    if (!baseline && __builtin_cpu_supports("avx512f")) {
        b->holds = holds_mask_avx512;
        b->nans = nan_mask_avx512;
        b->lanes = env_lanes_avx512;
        b->derive = derive_avx512;
    }
    if (!baseline && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
        b->stage_def = stage_bytes_avx512;
#else
    (void)baseline;
#endif
}

sarx__batch *sarx__batch_new(void)
{
    /* The masks' alignment (a multiple of it is the struct's size). */
    sarx__batch *b = aligned_alloc(_Alignof(sarx__batch), sizeof *b);
    int m, i;
    if (b) {
        /* Missing until a row says otherwise.  hi is read only for the
        ** measures that can be intervals (ctx->span); the others' rows are
        ** at most written (set aside), so they stay untouched: half the
        ** struct's pages are never faulted in, for a cohort made and freed
        ** per request or per header (the fuzz targets). */
        for (m = 0; m < SARX__M_COUNT; m++)
            for (i = 0; i < SARX__LANES; i++) {
                b->lo[m][i] = NAN;
                if (sarx__measure_interval(m))
                    b->hi[m][i] = NAN;
            }
        memset(b->cs, 0, sizeof b->cs);
        b->nw = SARX__LWORDS;
        memset(b->stage, 0, sizeof b->stage); /* the transpose reads whole blocks of eight definitions */
        sarx__batch_use_baseline(b, 0);
    }
    return b;
}
void sarx__batch_free(sarx__batch *b) { free(b); }
double *sarx__batch_column(sarx__batch *b, int field) { return b->lo[field]; }
unsigned char *sarx__batch_conditions(sarx__batch *b) { return b->cs; }
const double *sarx__batch_hi(const sarx__batch *b, int measure) { return b->hi[measure]; }
void sarx__batch_derive(sarx__batch *b) { b->derive(b); }
void sarx__batch_compare(sarx__batch *b, int op, const double *x, double t, int nw, uint64_t *out)
{
    mask m;
    b->holds(op, x, t, nw, &m);
    memcpy(out, &m, sizeof m);
}

/* Lanes where a comparison holds for each of the values in the first nw
** words (the others are left empty): exactly sarx__cmp's arithmetic, so
** that the batch and the scalar path agree on every double.  sarx__cmp
** takes d = x - t within tol of 0 as equal, else the sign of x - t; since
** d is 0 only when x == t and has the sign of x - t, and -tol is exact,
** that is: x < t when d < -tol, x <= t when d <= tol, x > t when d > tol,
** x >= t when d >= -tol (NaN: false, as in the other forms).  With SSE2
** (every x86-64) two lanes at a time, one lane at a time otherwise; tol is
** sarx__tolerance(t), sarx__cmp's. */

/* One word's 64 lanes at x (lo, hi) for the three mask kernels below. */
#if defined(__SSE2__)
#include <emmintrin.h>

static inline uint64_t holds_word(int op, const double *x, double t, double tol)
{
    const __m128d T = _mm_set1_pd(t), TOL = _mm_set1_pd(tol), NTOL = _mm_set1_pd(-tol);
    uint64_t m = 0;
    int i;
#define LANES2(expr)                                                                                                  \
    for (i = 0; i < 64; i += 2) {                                                                                     \
        __m128d v = _mm_loadu_pd(x + i), d = _mm_sub_pd(v, T);                                                       \
        (void)d;                                                                                                      \
        m |= (uint64_t)_mm_movemask_pd(expr) << i;                                                                    \
    }
    switch (op) {
    case SARX__LT: LANES2(_mm_cmplt_pd(d, NTOL)) break;
    case SARX__LE: LANES2(_mm_cmple_pd(d, TOL)) break;
    case SARX__GT: LANES2(_mm_cmpgt_pd(d, TOL)) break;
    case SARX__GE: LANES2(_mm_cmpge_pd(d, NTOL)) break;
    default: LANES2(_mm_cmpeq_pd(v, T)) break;
    }
#undef LANES2
    return m;
}

static inline uint64_t nan_word(const double *x)
{
    uint64_t a = 0;
    int i;
    for (i = 0; i < 64; i += 2) {
        __m128d l = _mm_loadu_pd(x + i);
        a |= (uint64_t)_mm_movemask_pd(_mm_cmpunord_pd(l, l)) << i;
    }
    return a;
}

/* Lanes where lo is a number other than hi. */
static inline uint64_t span_word(const double *lo, const double *hi)
{
    uint64_t b = 0;
    int i;
    for (i = 0; i < 64; i += 2) {
        __m128d l = _mm_loadu_pd(lo + i), h = _mm_loadu_pd(hi + i);
        b |= (uint64_t)_mm_movemask_pd(_mm_and_pd(_mm_cmpneq_pd(l, h), _mm_cmpord_pd(l, l))) << i;
    }
    return b;
}
#else
static inline uint64_t holds_word(int op, const double *x, double t, double tol)
{
    uint64_t m = 0;
    int i;
    switch (op) {
    case SARX__LT:
        for (i = 0; i < 64; i++)
            m |= (uint64_t)(x[i] - t < -tol) << i;
        break;
    case SARX__LE:
        for (i = 0; i < 64; i++)
            m |= (uint64_t)(x[i] - t <= tol) << i;
        break;
    case SARX__GT:
        for (i = 0; i < 64; i++)
            m |= (uint64_t)(x[i] - t > tol) << i;
        break;
    case SARX__GE:
        for (i = 0; i < 64; i++)
            m |= (uint64_t)(x[i] - t >= -tol) << i;
        break;
    default:
        for (i = 0; i < 64; i++)
            m |= (uint64_t)(x[i] == t) << i;
        break;
    }
    return m;
}

static inline uint64_t nan_word(const double *x)
{
    uint64_t a = 0;
    int i;
    for (i = 0; i < 64; i++)
        a |= (uint64_t)(x[i] != x[i]) << i;
    return a;
}

static inline uint64_t span_word(const double *lo, const double *hi)
{
    uint64_t b = 0;
    int i;
    for (i = 0; i < 64; i++)
        b |= (uint64_t)(lo[i] != hi[i] && lo[i] == lo[i]) << i;
    return b;
}
#endif

/* The words of lanes in use from their word kernel; the others empty. */
static void holds_mask(int op, const double *x, double t, int nw, mask *out)
{
    const double tol = sarx__tolerance(t);
    int w;
    for (w = 0; w < SARX__LWORDS; w++)
        (*out)[w] = w < nw ? holds_word(op, x + 64 * w, t, tol) : 0;
}

static void nan_mask(const double *x, int nw, mask *out)
{
    int w;
    for (w = 0; w < SARX__LWORDS; w++)
        (*out)[w] = w < nw ? nan_word(x + 64 * w) : 0;
}

static void span_mask(const double *lo, const double *hi, int nw, mask *out)
{
    int w;
    for (w = 0; w < SARX__LWORDS; w++)
        (*out)[w] = w < nw ? span_word(lo + 64 * w, hi + 64 * w) : 0;
}

/* The same with AVX-512 (8 lanes per instruction), where the processor
** has it: the same IEEE operations (ordered comparisons false for NaN), so
** every variant gives the same masks; a test holds the batch to
** sarx_classify with each. */
#if defined(SARX__X86_DISPATCH)
#include <immintrin.h>

#define AVX512F __attribute__((target("avx512f")))

AVX512F static inline uint64_t holds_word_avx512(int op, const double *x, double t, double tol)
{
    const __m512d T = _mm512_set1_pd(t), TOL = _mm512_set1_pd(tol), NTOL = _mm512_set1_pd(-tol);
    uint64_t m = 0;
    int i;
#define LANES8(expr)                                                                                                  \
    for (i = 0; i < 64; i += 8) {                                                                                     \
        __m512d v = _mm512_loadu_pd(x + i), d = _mm512_sub_pd(v, T);                                                 \
        (void)d;                                                                                                      \
        m |= (uint64_t)(expr) << i;                                                                                   \
    }
    switch (op) {
    case SARX__LT: LANES8(_mm512_cmp_pd_mask(d, NTOL, _CMP_LT_OQ)) break;
    case SARX__LE: LANES8(_mm512_cmp_pd_mask(d, TOL, _CMP_LE_OQ)) break;
    case SARX__GT: LANES8(_mm512_cmp_pd_mask(d, TOL, _CMP_GT_OQ)) break;
    case SARX__GE: LANES8(_mm512_cmp_pd_mask(d, NTOL, _CMP_GE_OQ)) break;
    default: LANES8(_mm512_cmp_pd_mask(v, T, _CMP_EQ_OQ)) break;
    }
#undef LANES8
    return m;
}

AVX512F static inline uint64_t nan_word_avx512(const double *x)
{
    uint64_t a = 0;
    int i;
    for (i = 0; i < 64; i += 8) {
        __m512d l = _mm512_loadu_pd(x + i);
        a |= (uint64_t)_mm512_cmp_pd_mask(l, l, _CMP_UNORD_Q) << i;
    }
    return a;
}

AVX512F static void holds_mask_avx512(int op, const double *x, double t, int nw, mask *out)
{
    const double tol = sarx__tolerance(t);
    int w;
    for (w = 0; w < SARX__LWORDS; w++)
        (*out)[w] = w < nw ? holds_word_avx512(op, x + 64 * w, t, tol) : 0;
}

AVX512F static void nan_mask_avx512(const double *x, int nw, mask *out)
{
    int w;
    for (w = 0; w < SARX__LWORDS; w++)
        (*out)[w] = w < nw ? nan_word_avx512(x + 64 * w) : 0;
}
#endif

/* Word w of the environment's lanes (env_lanes, env_lanes_avx512), each
** kept to the lanes of e->all. */
static inline void env_word(env *e, int w, uint64_t male, uint64_t female, uint64_t sexunk, uint64_t bia,
                            uint64_t asian, uint64_t lt70, uint64_t ge70, uint64_t ageunk)
{
    const uint64_t all = e->all[w];
    e->male[w] = male & all;
    e->female[w] = female & all;
    e->sexunk[w] = sexunk & all;
    e->bia[w] = bia & all;
    e->asian[w] = asian & all;
    e->lt70[w] = lt70 & all;
    e->ge70[w] = ge70 & all;
    e->ageunk[w] = ageunk & all;
}

/* The environment's lanes of e->all (set by the caller, the rest of e
** empty): sex, method, population and age band, by the comparisons
** assess.c makes (==, <, >=; NaN compares false, and is unknown). */
static void env_lanes(const sarx__batch *b, env *e)
{
    int w, j;
    for (w = 0; w < b->nw; w++) { /* (the words past them are left empty) */
        uint64_t male = 0, female = 0, sexunk = 0, bia = 0, asian = 0, lt70 = 0, ge70 = 0, ageunk = 0;
        for (j = 0; j < 64; j++) {
            int i = 64 * w + j;
            uint64_t bit = (uint64_t)1 << j;
            double sex = b->lo[SARX__F_SEX][i], age = b->lo[SARX__F_AGE][i];
            male |= sex == SARX__MALE ? bit : 0;
            female |= sex == SARX__FEMALE ? bit : 0;
            sexunk |= sex != sex ? bit : 0;
            bia |= b->lo[SARX__F_ASM_METHOD][i] == SARX__BIA ? bit : 0;
            asian |= b->lo[SARX__F_POPULATION][i] == SARX__ASIAN ? bit : 0;
            lt70 |= age < 70 ? bit : 0;
            ge70 |= age >= 70 ? bit : 0;
            ageunk |= age != age ? bit : 0;
        }
        env_word(e, w, male, female, sexunk, bia, asian, lt70, ge70, ageunk);
    }
}

#if defined(SARX__X86_DISPATCH)
/* The same eight lanes at a time, with the same IEEE comparisons. */
AVX512F static void env_lanes_avx512(const sarx__batch *b, env *e)
{
    int i, w;
    for (w = 0; w < b->nw; w++) {
        uint64_t male = 0, female = 0, sexunk = 0, bia = 0, asian = 0, lt70 = 0, ge70 = 0, ageunk = 0;
        for (i = 0; i < 64; i += 8) {
            const int at = 64 * w + i;
            __m512d sex = _mm512_loadu_pd(b->lo[SARX__F_SEX] + at), age = _mm512_loadu_pd(b->lo[SARX__F_AGE] + at);
            __m512d method = _mm512_loadu_pd(b->lo[SARX__F_ASM_METHOD] + at);
            __m512d pop = _mm512_loadu_pd(b->lo[SARX__F_POPULATION] + at), seventy = _mm512_set1_pd(70);
            male |= (uint64_t)_mm512_cmp_pd_mask(sex, _mm512_set1_pd(SARX__MALE), _CMP_EQ_OQ) << i;
            female |= (uint64_t)_mm512_cmp_pd_mask(sex, _mm512_set1_pd(SARX__FEMALE), _CMP_EQ_OQ) << i;
            sexunk |= (uint64_t)_mm512_cmp_pd_mask(sex, sex, _CMP_UNORD_Q) << i;
            bia |= (uint64_t)_mm512_cmp_pd_mask(method, _mm512_set1_pd(SARX__BIA), _CMP_EQ_OQ) << i;
            asian |= (uint64_t)_mm512_cmp_pd_mask(pop, _mm512_set1_pd(SARX__ASIAN), _CMP_EQ_OQ) << i;
            lt70 |= (uint64_t)_mm512_cmp_pd_mask(age, seventy, _CMP_LT_OQ) << i;
            ge70 |= (uint64_t)_mm512_cmp_pd_mask(age, seventy, _CMP_GE_OQ) << i;
            ageunk |= (uint64_t)_mm512_cmp_pd_mask(age, age, _CMP_UNORD_Q) << i;
        }
        env_word(e, w, male, female, sexunk, bia, asian, lt70, ge70, ageunk);
    }
}
#endif

/* Lanes whose counter (bit planes c[0..nb-1]) is >= k. */
static SARX__ALWAYS_INLINE void at_least(const mask *c, int nb, int k, mask *out)
{
    mask gt = {0}, eq = ~gt;
    int b;
    if (k >= (1 << nb)) {
        *out = gt;
        return;
    }
    for (b = nb - 1; b >= 0; b--) {
        if ((k >> b) & 1)
            eq &= c[b];
        else {
            gt |= eq & c[b];
            eq &= ~c[b];
        }
    }
    *out = gt | eq;
}

static SARX__ALWAYS_INLINE void add_bit(mask *c, int nb, const mask *in)
{
    mask x = *in;
    int b;
    for (b = 0; b < nb; b++) {
        mask carry = c[b] & x;
        c[b] ^= x;
        x = carry;
    }
}

/* The low 8 bits of x as 8 bytes of 0 or 1 (bit j in byte j): the byte
** copied into every byte, byte j keeping its bit j, which adding 0x7F
** carries into the byte's high bit (no byte overflows into the next). */
static inline uint64_t bytes8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t r = ((x & 0xFFu) * ones) & 0x8040201008040201u;
    return ((r + ones * 0x7F) >> 7) & ones;
}

/* Definition d's categories (bit planes, 255 where indeterminate) and
** completeness as bytes into stage (below), the first n lanes: without a
** branch per lane, eight lanes at a time with bytes8. */
static void stage_bytes(sarx__batch *b, size_t d, const mask *plane, const mask *indet, const mask *done, int n)
{
    int i;
    for (i = 0; i < n; i += 8) {
        b->stage[i / 8][d][0] = bytes8(BYTE(plane[0], i)) | bytes8(BYTE(plane[1], i)) << 1 |
                                bytes8(BYTE(plane[2], i)) << 2 | bytes8(BYTE(plane[3], i)) << 3 |
                                bytes8(BYTE(*indet, i)) * 0xFF;
        b->stage[i / 8][d][1] = bytes8(BYTE(*done, i));
    }
}

#if defined(SARX__X86_DISPATCH)
/* The same, a word of 64 lanes at once: a byte per lane from each mask
** (AVX-512 BW), each group of eight scattered to its stage[g][d].  The
** lanes past n in the last word are in no mask, so their bytes are 0,
** which the transpose never reads. */
__attribute__((target("avx512f,avx512bw"))) static void stage_bytes_avx512(sarx__batch *b, size_t d,
                                                                           const mask *plane, const mask *indet,
                                                                           const mask *done, int n)
{
    const __m512i group = _mm512_setr_epi64(0, 128, 256, 384, 512, 640, 768, 896); /* stage[g] in words */
    int bit, w;
    _Static_assert(sizeof b->stage[0] == 128 * sizeof(uint64_t), "stage[g] is 128 words");
    for (w = 0; 64 * w < n; w++) {
        __m512i cat = _mm512_maskz_mov_epi8(_cvtu64_mask64((*indet)[w]), _mm512_set1_epi8(-1));
        for (bit = 0; bit < 4; bit++)
            cat = _mm512_or_si512(
                cat, _mm512_maskz_mov_epi8(_cvtu64_mask64(plane[bit][w]), _mm512_set1_epi8((char)(1 << bit))));
        _mm512_i64scatter_epi64(&b->stage[8 * w][d][0], group, cat, 8);
        _mm512_i64scatter_epi64(&b->stage[8 * w][d][1], group,
                                _mm512_maskz_mov_epi8(_cvtu64_mask64((*done)[w]), _mm512_set1_epi8(1)), 8);
    }
}
#endif

/* stage[g][d] holds definition d's categories and completeness for lanes
** 8g .. 8g + 7, lane 8g + r in byte r of the first word and of the second;
** out[] wants them row by row: out[lane * ndefs + d].  wide: with SSE2
** (every x86-64), eight definitions at a time, each's bytes interleaved
** into (category, complete) pairs, an 8 x 8 transpose of those 16-bit
** pairs in registers, and a row's 16 bytes stored whole:
** past the row's end they fall on the next rows, stored after it, and
** only a store that would pass the end of out[] is cut to the row (stage
** is padded to 64 definitions: a block past ndefs reads stage, not beyond).
** Otherwise pair by pair.  Only the n rows of out[] are written. */
void sarx__class_transpose(const uint64_t (*stage)[64][2], size_t ndefs, int n, sarx_class *out, int wide)
{
    int g, r;
    size_t d;
#if defined(__SSE2__)
    if (wide) {
        size_t nb = (ndefs + 7) / 8, bk;
        for (g = 0; 8 * g < n; g++) {
            int nr = n - 8 * g < 8 ? n - 8 * g : 8;
            __m128i row[8][8]; /* [block][row] */
            for (bk = 0; bk < nb; bk++) {
                __m128i a[8], t[8], u[8];
                int k;
                for (k = 0; k < 8; k++) {
                    __m128i x = _mm_loadu_si128((const __m128i *)stage[g][8 * bk + (size_t)k]);
                    a[k] = _mm_unpacklo_epi8(x, _mm_srli_si128(x, 8)); /* (category, complete) by lane */
                }
                for (k = 0; k < 4; k++) { /* pairs of definitions, rows 0-3 then 4-7 */
                    t[2 * k] = _mm_unpacklo_epi16(a[2 * k], a[2 * k + 1]);
                    t[2 * k + 1] = _mm_unpackhi_epi16(a[2 * k], a[2 * k + 1]);
                }
                for (k = 0; k < 2; k++) { /* fours of definitions, rows by twos */
                    u[4 * k] = _mm_unpacklo_epi32(t[4 * k], t[4 * k + 2]);
                    u[4 * k + 1] = _mm_unpackhi_epi32(t[4 * k], t[4 * k + 2]);
                    u[4 * k + 2] = _mm_unpacklo_epi32(t[4 * k + 1], t[4 * k + 3]);
                    u[4 * k + 3] = _mm_unpackhi_epi32(t[4 * k + 1], t[4 * k + 3]);
                }
                for (k = 0; k < 4; k++) { /* all eight: one row each */
                    row[bk][2 * k] = _mm_unpacklo_epi64(u[k], u[4 + k]);
                    row[bk][2 * k + 1] = _mm_unpackhi_epi64(u[k], u[4 + k]);
                }
            }
            for (r = 0; r < nr; r++) {
                sarx_class *o = out + (size_t)(8 * g + r) * ndefs;
                for (bk = 0; bk + 1 < nb; bk++)
                    _mm_storeu_si128((__m128i *)(o + 8 * bk), row[bk][r]);
                if ((size_t)(out + (size_t)n * ndefs - (o + 8 * bk)) >= 8) {
                    _mm_storeu_si128((__m128i *)(o + 8 * bk), row[bk][r]);
                } else { /* near the end of out[]: only this row's pairs */
                    unsigned char last[16];
                    _mm_storeu_si128((__m128i *)last, row[bk][r]);
                    memcpy(o + 8 * bk, last, (ndefs - 8 * bk) * sizeof *o);
                }
            }
        }
        return;
    }
#else
    (void)wide;
#endif
    for (g = 0; 8 * g < n; g++)
        for (d = 0; d < ndefs; d++)
            for (r = 0; r < 8 && 8 * g + r < n; r++) {
                sarx_class *o = &out[(size_t)(8 * g + r) * ndefs + d];
                o->category = (unsigned char)(stage[g][d][0] >> (8 * r));
                o->complete = (unsigned char)(stage[g][d][1] >> (8 * r));
            }
}

/* Run a compiled rule on (true, false) mask pairs. */
static SARX__ALWAYS_INLINE void run_masks(const sarx__prog *p, const mask *ct, const mask *cf, mask *t_out, mask *f_out)
{
    mask st[64], sf[64];
    size_t i = 0, sp = 0;
    st[0] = sf[0] = (mask){0}; /* (a rule is never empty; -O3 cannot tell) */
    while (i < p->n) {
        switch (p->code[i]) {
        case SARX__OP_VAR:
            st[sp] = ct[p->code[i + 1]];
            sf[sp++] = cf[p->code[i + 1]];
            i += 2;
            break;
        case SARX__OP_NOT: {
            mask t = st[sp - 1];
            st[sp - 1] = sf[sp - 1];
            sf[sp - 1] = t;
            i++;
            break;
        }
        case SARX__OP_AND:
            sp--;
            st[sp - 1] &= st[sp];
            sf[sp - 1] |= sf[sp];
            i++;
            break;
        case SARX__OP_OR:
            sp--;
            st[sp - 1] |= st[sp];
            sf[sp - 1] &= sf[sp];
            i++;
            break;
        default: { /* atleast k of n: met when k are met; not met when fewer than k can be */
            int k = p->code[i + 1], n = p->code[i + 2], j;
            mask met[5], open[5], m;
            memset(met, 0, sizeof met);
            memset(open, 0, sizeof open);
            for (j = 0; j < n; j++) {
                sp--;
                m = ~sf[sp];
                add_bit(met, 5, &st[sp]);
                add_bit(open, 5, &m);
            }
            at_least(met, 5, k, &st[sp]);
            at_least(open, 5, k, &m);
            sf[sp++] = ~m;
            i += 3;
            break;
        }
        }
    }
    *t_out = st[0];
    *f_out = sf[0];
}

/* The derived measures, column by column: measure()'s arithmetic, the same
** IEEE operations in the same order, for inputs without a weight history
** (a missing input makes the value NaN, as there).  Lanes with a history
** are overwritten from measure() by sarx__classify_batch.  Only the words
** of lanes in use (b->nw). */
static void derive(sarx__batch *b)
{
    double (*x)[SARX__LANES] = b->lo, (*y)[SARX__LANES] = b->hi;
    mask calf_m, calf_f;
    int i, k;
    b->holds(SARX__LE, x[SARX__F_CALF], SARX__CALF_CUT_M, b->nw, &calf_m); /* sarx__cmp(c, cut) <= 0 */
    b->holds(SARX__LE, x[SARX__F_CALF], SARX__CALF_CUT_F, b->nw, &calf_f);
    for (i = 0; i < 64 * b->nw; i++) {
        double h = x[SARX__F_HEIGHT][i] / 100.0, h2 = h * h;
        double sex = x[SARX__F_SEX][i], smm = x[SARX__F_SMM][i], hcm = x[SARX__F_HEIGHT][i];
        x[SARX__M_BMI][i] = x[SARX__F_WEIGHT][i] / h2;
        x[SARX__M_ASMI][i] = x[SARX__F_ASM][i] / h2;
        x[SARX__M_FFMI][i] = x[SARX__F_FFM][i] / h2;
        x[SARX__M_ALM_BMI][i] = x[SARX__F_ASM][i] / x[SARX__M_BMI][i];
        /* SMI: measured muscle mass, else the Janssen 2000 equation (needs sex known). */
        if (smm == smm)
            x[SARX__M_SMI][i] = smm / h2;
        else if (sex == sex)
            x[SARX__M_SMI][i] = (0.401 * hcm * hcm / x[SARX__F_BIA_R][i] + 3.825 * (sex == SARX__MALE) -
                                 0.071 * x[SARX__F_AGE][i] + 5.102) / h2;
        else
            x[SARX__M_SMI][i] = NAN;
        x[SARX__M_WL6][i] = x[SARX__F_WL6][i];
        x[SARX__M_WL12][i] = x[SARX__F_WL12][i];
        x[SARX__M_MAMC][i] = x[SARX__F_MUAC][i] - 3.14159265358979323846 * x[SARX__F_TSF][i] / 10.0;
        x[SARX__M_FAT_PCT][i] = x[SARX__F_FAT_PCT][i] == x[SARX__F_FAT_PCT][i]
                                    ? x[SARX__F_FAT_PCT][i]
                                    : 100.0 * x[SARX__F_FAT_KG][i] / x[SARX__F_WEIGHT][i];
        x[SARX__M_ASM_WEIGHT][i] = 100.0 * x[SARX__F_ASM][i] / x[SARX__F_WEIGHT][i];
        x[SARX__M_SMM_WEIGHT][i] = 100.0 * x[SARX__F_SMM][i] / x[SARX__F_WEIGHT][i];
    }
    for (i = 0; i < 64 * b->nw; i++) {
        double t = x[SARX__F_SARC_F][i], calf = x[SARX__F_CALF][i], sex = x[SARX__F_SEX][i];
        double ch = x[SARX__F_CHRONIC][i], sum = 0, lo, hi;
        int n = 0;
        for (k = SARX__F_SF_STRENGTH; k < SARX__F_SF_STRENGTH + SARX__SF_ITEMS; k++) {
            double v = x[k][i];
            if (v == v) {
                sum += v;
                n++;
            }
        }
        if (t == t)
            lo = hi = t;
        else if (n == 0)
            lo = hi = NAN;
        else {
            lo = sum;
            hi = sum + 2.0 * (5 - n);
        }
        x[SARX__M_SF_TOTAL][i] = lo;
        y[SARX__M_SF_TOTAL][i] = hi;
        if (lo == lo && calf == calf) {
            if (sex == sex) {
                double pts = (sex == SARX__MALE ? LANE(calf_m, i) : LANE(calf_f, i)) ? 10.0 : 0.0;
                x[SARX__M_CALF_TOTAL][i] = lo + pts;
                y[SARX__M_CALF_TOTAL][i] = hi + pts;
            } else {
                x[SARX__M_CALF_TOTAL][i] = lo;
                y[SARX__M_CALF_TOTAL][i] = hi + 10.0;
            }
        } else {
            x[SARX__M_CALF_TOTAL][i] = y[SARX__M_CALF_TOTAL][i] = NAN;
        }
        /* measures.c's conditions(): the same tests on the summary byte */
        {
            double ca = x[SARX__F_CANCER][i];
            unsigned cs = b->cs[i];
            int read_all = !(cs & SARX__CS_UNKNOWN);
            x[SARX__M_ILLNESS][i] = ch == 1.0 || ca == 1.0 || (cs & SARX__CS_CHRONIC) ? 1.0
                                    : ch == 0.0 || ((cs & SARX__CS_ANY) && read_all && !(cs & SARX__CS_INFLAM))
                                        ? 0.0
                                        : NAN;
            x[SARX__M_INFLAM][i] = ca == 1.0 || (cs & SARX__CS_INFLAM)                 ? 1.0
                                   : ch != 1.0 && read_all && (cs & SARX__CS_ANY) ? 0.0
                                                                                   : NAN;
            x[SARX__M_CANCER][i] = ca == 1.0 || (cs & SARX__CS_CANCER) ? 1.0 : ca == 0.0 ? 0.0 : NAN;
        }
    }
    sarx__set_aside_columns(b->lo, b->hi, b->cs, 64 * b->nw);
}

#if defined(SARX__X86_DISPATCH)
/* derive() eight lanes at a time: the same IEEE operations in the same
** order (3.825 * (sex == male) is an added 3.825 or 0.0; 5 - n a count of
** missing items kept as a double), every branch computed and blended, so
** each value is bit-identical to derive()'s, NaN where it gives NaN (which
** NaN is the compiler's choice); test_batch_derive compares the two. */
AVX512F static void derive_avx512(sarx__batch *b)
{
    double (*x)[SARX__LANES] = b->lo, (*y)[SARX__LANES] = b->hi;
    mask calf_m, calf_f;
    const __m512d nan = _mm512_set1_pd(NAN), zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1.0),
                  ten = _mm512_set1_pd(10.0), male = _mm512_set1_pd(SARX__MALE);
    int i, k;
#define COL(f) _mm512_loadu_pd(x[f] + i)
#define ORD(v) _mm512_cmp_pd_mask(v, v, _CMP_ORD_Q)
    holds_mask_avx512(SARX__LE, x[SARX__F_CALF], SARX__CALF_CUT_M, b->nw, &calf_m);
    holds_mask_avx512(SARX__LE, x[SARX__F_CALF], SARX__CALF_CUT_F, b->nw, &calf_f);
    for (i = 0; i < 64 * b->nw; i += 8) {
        __m512d hcm = COL(SARX__F_HEIGHT), sex = COL(SARX__F_SEX), smm = COL(SARX__F_SMM), as = COL(SARX__F_ASM);
        __m512d h = _mm512_div_pd(hcm, _mm512_set1_pd(100.0)), h2 = _mm512_mul_pd(h, h);
        __m512d bmi = _mm512_div_pd(COL(SARX__F_WEIGHT), h2), janssen, smi;
        __mmask8 is_male = _mm512_cmp_pd_mask(sex, male, _CMP_EQ_OQ);
        _mm512_storeu_pd(x[SARX__M_BMI] + i, bmi);
        _mm512_storeu_pd(x[SARX__M_ASMI] + i, _mm512_div_pd(as, h2));
        _mm512_storeu_pd(x[SARX__M_FFMI] + i, _mm512_div_pd(COL(SARX__F_FFM), h2));
        _mm512_storeu_pd(x[SARX__M_ALM_BMI] + i, _mm512_div_pd(as, bmi));
        janssen = _mm512_div_pd(_mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(0.401), hcm), hcm), COL(SARX__F_BIA_R));
        janssen = _mm512_add_pd(janssen, _mm512_mask_blend_pd(is_male, zero, _mm512_set1_pd(3.825)));
        janssen = _mm512_sub_pd(janssen, _mm512_mul_pd(_mm512_set1_pd(0.071), COL(SARX__F_AGE)));
        janssen = _mm512_div_pd(_mm512_add_pd(janssen, _mm512_set1_pd(5.102)), h2);
        smi = _mm512_mask_blend_pd(ORD(sex), nan, janssen);
        smi = _mm512_mask_blend_pd(ORD(smm), smi, _mm512_div_pd(smm, h2));
        _mm512_storeu_pd(x[SARX__M_SMI] + i, smi);
        _mm512_storeu_pd(x[SARX__M_WL6] + i, COL(SARX__F_WL6));
        _mm512_storeu_pd(x[SARX__M_WL12] + i, COL(SARX__F_WL12));
        _mm512_storeu_pd(x[SARX__M_MAMC] + i,
                         _mm512_sub_pd(COL(SARX__F_MUAC), _mm512_div_pd(_mm512_mul_pd(_mm512_set1_pd(3.14159265358979323846),
                                                                                      COL(SARX__F_TSF)),
                                                                        ten)));
        {   /* fat %, ALM/W and SMM/W: 100 mass / weight */
            __m512d w = COL(SARX__F_WEIGHT), hundred = _mm512_set1_pd(100.0), fp = COL(SARX__F_FAT_PCT);
            __m512d fk = _mm512_div_pd(_mm512_mul_pd(hundred, COL(SARX__F_FAT_KG)), w);
            _mm512_storeu_pd(x[SARX__M_FAT_PCT] + i, _mm512_mask_blend_pd(ORD(fp), fk, fp));
            _mm512_storeu_pd(x[SARX__M_ASM_WEIGHT] + i, _mm512_div_pd(_mm512_mul_pd(hundred, as), w));
            _mm512_storeu_pd(x[SARX__M_SMM_WEIGHT] + i, _mm512_div_pd(_mm512_mul_pd(hundred, smm), w));
        }
    }
    for (i = 0; i < 64 * b->nw; i += 8) {
        __m512d t = COL(SARX__F_SARC_F), calf = COL(SARX__F_CALF), sex = COL(SARX__F_SEX), ch = COL(SARX__F_CHRONIC);
        __m512d sum = zero, missing = _mm512_set1_pd(5.0), lo, hi, pts;
        __mmask8 any = 0, known, sex_known = ORD(sex), is_male = _mm512_cmp_pd_mask(sex, male, _CMP_EQ_OQ), cut;
        for (k = SARX__F_SF_STRENGTH; k < SARX__F_SF_STRENGTH + SARX__SF_ITEMS; k++) {
            __m512d v = COL(k);
            __mmask8 ok = ORD(v);
            sum = _mm512_mask_add_pd(sum, ok, sum, v);
            missing = _mm512_mask_sub_pd(missing, ok, missing, one);
            any |= ok;
        }
        hi = _mm512_add_pd(sum, _mm512_mul_pd(_mm512_set1_pd(2.0), missing));
        lo = _mm512_mask_blend_pd(any, nan, sum);
        hi = _mm512_mask_blend_pd(any, nan, hi);
        lo = _mm512_mask_blend_pd(ORD(t), lo, t);
        hi = _mm512_mask_blend_pd(ORD(t), hi, t);
        _mm512_storeu_pd(x[SARX__M_SF_TOTAL] + i, lo);
        _mm512_storeu_pd(y[SARX__M_SF_TOTAL] + i, hi);
        known = ORD(lo) & ORD(calf);
        cut = (__mmask8)((BYTE(calf_m, i) & is_male) | (BYTE(calf_f, i) & ~is_male));
        pts = _mm512_mask_blend_pd(cut, zero, ten);
        _mm512_storeu_pd(x[SARX__M_CALF_TOTAL] + i,
                         _mm512_mask_blend_pd(known, nan, _mm512_mask_blend_pd(sex_known, lo, _mm512_add_pd(lo, pts))));
        _mm512_storeu_pd(y[SARX__M_CALF_TOTAL] + i,
                         _mm512_mask_blend_pd(known, nan,
                                              _mm512_add_pd(hi, _mm512_mask_blend_pd(sex_known, ten, pts))));
        {   /* measures.c's conditions() on masks: the summary bytes widened to
            ** one 64-bit lane each, a mask per SARX__CS_* bit */
            __m512i bits = _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(b->cs + i)));
#define CS(bit) _mm512_test_epi64_mask(bits, _mm512_set1_epi64(bit))
            __m512d ca = COL(SARX__F_CANCER);
            __mmask8 ch1 = _mm512_cmp_pd_mask(ch, one, _CMP_EQ_OQ), ch0 = _mm512_cmp_pd_mask(ch, zero, _CMP_EQ_OQ);
            __mmask8 ca1 = _mm512_cmp_pd_mask(ca, one, _CMP_EQ_OQ), ca0 = _mm512_cmp_pd_mask(ca, zero, _CMP_EQ_OQ);
            __mmask8 listed = CS(SARX__CS_ANY), read_all = (__mmask8)~CS(SARX__CS_UNKNOWN);
            __mmask8 ill1 = ch1 | ca1 | CS(SARX__CS_CHRONIC),
                     ill0 = (__mmask8)(ch0 | (listed & read_all & (__mmask8)~CS(SARX__CS_INFLAM)));
            __mmask8 inf1 = ca1 | CS(SARX__CS_INFLAM), inf0 = (__mmask8)(~ch1 & read_all & listed);
            __mmask8 can1 = ca1 | CS(SARX__CS_CANCER);
#undef CS
            _mm512_storeu_pd(x[SARX__M_ILLNESS] + i,
                             _mm512_mask_blend_pd(ill1, _mm512_mask_blend_pd(ill0, nan, zero), one));
            _mm512_storeu_pd(x[SARX__M_INFLAM] + i,
                             _mm512_mask_blend_pd(inf1, _mm512_mask_blend_pd(inf0, nan, zero), one));
            _mm512_storeu_pd(x[SARX__M_CANCER] + i,
                             _mm512_mask_blend_pd(can1, _mm512_mask_blend_pd(ca0, nan, zero), one));
        }
    }
#undef COL
#undef ORD
    sarx__set_aside_columns(b->lo, b->hi, b->cs, 64 * b->nw);
}
#endif

/* One lane's values from the columns, for the scalar evaluator (hi differs
** from lo only for the measures that can be intervals, ctx->span). */
static void lane_vals(const sarx_ctx *ctx, sarx__batch *b, int lane)
{
    int m, u;
    for (m = 0; m < SARX__M_COUNT; m++)
        b->v.lo[m] = b->v.hi[m] = b->lo[m][lane];
    for (u = 0; u < ctx->nspan; u++)
        b->v.hi[ctx->span[u]] = b->hi[ctx->span[u]][lane];
}


void sarx__classify_columns(const sarx_ctx *ctx, sarx__batch *b, const uint64_t *lanes, int n, sarx_class *out)
{
    mask all;
    memcpy(&all, lanes, sizeof all);
    b->nw = (n + 63) / 64;
    b->derive(b);
    b->classify(ctx, b, &all, n, out);
}

void sarx__classify_batch(const sarx_ctx *ctx, sarx__batch *b, sarx_subject *const *s, int n, sarx_class *out,
                          unsigned char *ok, sarx_error *errs)
{
    mask all = {0}, hist = {0};
    int i, f, m, u;
    memset(b->cs, 0, sizeof b->cs);
    b->nw = (n + 63) / 64;
    for (i = 0; i < n; i++)
        if ((ok[i] = sarx__subject_finish(s[i], errs ? &errs[i] : NULL) == SARX_OK)) {
            for (f = 0; f < SARX__F_COUNT; f++)
                b->lo[f][i] = s[i]->v[f];
            b->cs[i] = (unsigned char)sarx__conditions_summary(s[i]->conditions.item, s[i]->conditions.n);
            if (s[i]->nhist > 0)
                set_lane(&hist, i);
            set_lane(&all, i);
        }
    b->derive(b);
    for (i = 0; i < n; i++) { /* a weight history: measure() itself */
        if (!LANE(hist, i))
            continue;
        sarx__measure_values(s[i], &b->v);
        for (m = 0; m < SARX__M_COUNT; m++)
            b->lo[m][i] = b->v.lo[m];
        for (u = 0; u < ctx->nspan; u++)
            b->hi[ctx->span[u]][i] = b->v.hi[ctx->span[u]];
    }
    b->classify(ctx, b, &all, n, out);
}

/* The lanes of *fast whose first met rule is the same for every met / not
** met assignment of the criteria idx[0 .. p - 1] (p <= 2) there, the other
** criteria as they are (ct, cf are restored). */
static SARX__ALWAYS_INLINE void same_outcome(const struct sarx_definition *def, mask *ct, mask *cf, const int *idx,
                                             int p, const mask *fast, mask *same)
{
    mask ref[SARX__MAX_CATS + 1], diff = {0}, keep_t[2], keep_f[2];
    size_t c, ncat = def->d->ncat;
    unsigned a;
    int i;
    for (i = 0; i < p; i++) {
        keep_t[i] = ct[idx[i]];
        keep_f[i] = cf[idx[i]];
    }
    for (a = 0; a < 1u << p; a++) {
        mask rem = *fast;
        for (i = 0; i < p; i++) {
            int on = (a >> i) & 1u;
            ct[idx[i]] = on ? keep_t[i] | *fast : keep_t[i] & ~*fast;
            cf[idx[i]] = on ? keep_f[i] & ~*fast : keep_f[i] | *fast;
        }
        for (c = 0; c <= ncat; c++) {
            mask t = {0}, f, chosen;
            if (c < ncat)
                run_masks(&def->cat[c], ct, cf, &t, &f);
            chosen = c < ncat ? t & rem : rem; /* (ncat: no rule met) */
            rem &= ~t;
            if (a == 0)
                ref[c] = chosen;
            else
                diff |= chosen ^ ref[c];
        }
    }
    for (i = 0; i < p; i++) {
        ct[idx[i]] = keep_t[i];
        cf[idx[i]] = keep_f[i];
    }
    *same = *fast & ~diff;
}

static SARX__ALWAYS_INLINE void classify(const sarx_ctx *ctx, sarx__batch *b, const mask *all, int n, sarx_class *out)
{
    mask env_appl[SARX__MAX_ENV], env_unk[SARX__MAX_ENV], fluid;
    uint64_t cmp_seen[SARX__MAX_CMP / 64]; /* the comparisons made in this batch */
    env e;
    size_t d, ndefs = ctx->ndefs;
    int m, u, w;
    memset(&e, 0, sizeof e);
    memset(cmp_seen, 0, sizeof cmp_seen);
    e.all = *all;
    /* hi is read only where span is set: only the measures that can be
    ** intervals have a hi column. */
    for (u = 0; u < ctx->nused; u++) {
        m = ctx->used[u];
        b->nans(b->lo[m], b->nw, &b->nan[m]);
        b->span[m] = (mask){0};
    }
    for (u = 0; u < ctx->nspan; u++) {
        m = ctx->span[u];
        span_mask(b->lo[m], b->hi[m], b->nw, &b->span[m]);
    }
    b->lanes(b, &e);
    for (w = 0; w < SARX__LWORDS; w++)
        b->out[w].ok = e.all[w];
    e.noheight = b->nan[SARX__F_HEIGHT] & e.all;
    e.nowl12 = b->nan[SARX__M_WL12] & e.all;
    b->holds(SARX__IS, b->lo[SARX__F_EDEMA], 1.0, b->nw, &fluid); /* oedema or ascites (row_soft in assess.c) */
    fluid &= e.all;
    /* Each distinct row condition's lanes (appl), and those where its sex or
    ** age band is unknown (unk), once for every definition's rows. */
    for (u = 0; u < ctx->nenv; u++) {
        unsigned wh = ctx->env[u].when;
        int sex = ctx->env[u].sex;
        mask appl = e.all, unk = {0};
        if (sex == SARX__MALE)
            appl &= ~e.female;
        else if (sex == SARX__FEMALE)
            appl &= ~e.male;
        if (wh & SARX__W_DXA)
            appl &= ~e.bia;
        if (wh & SARX__W_BIA)
            appl &= e.bia;
        if (wh & SARX__W_GENERAL)
            appl &= ~e.asian;
        if (wh & SARX__W_ASIAN)
            appl &= e.asian;
        if (wh & SARX__W_AGE_LT70)
            appl &= ~e.ge70;
        if (wh & SARX__W_AGE_GE70)
            appl &= ~e.lt70;
        if (wh & SARX__W_NO_HEIGHT)
            appl &= e.noheight;
        if (wh & SARX__W_NO_WL12)
            appl &= e.nowl12;
        if (sex != SARX__ANY)
            unk |= e.sexunk;
        if (wh & (SARX__W_AGE_LT70 | SARX__W_AGE_GE70))
            unk |= e.ageunk;
        env_appl[u] = appl;
        env_unk[u] = unk;
    }

    for (d = 0; d < ndefs; d++) {
        const struct sarx_definition *def = &ctx->defs[d];
        const sarx__def *dd = def->d;
        mask any_met[32], any_not[32], any_unk[32], any_miss[32], firm_met[32], firm_not[32], needy[32];
        mask ct[32], cf[32], prov[32], wt[32], wf[32], remaining = e.all, incomplete = {0}, rescan = {0},
                                                    anyprov = {0}, catm[SARX__MAX_CATS + 1], cpl;
        size_t r, k, c;
        /* only the criteria in use (a memset of all 32 costs more than the rows) */
        for (k = 0; k < dd->ncrit; k++)
            any_met[k] = any_not[k] = any_unk[k] = any_miss[k] = firm_met[k] = firm_not[k] = needy[k] = (mask){0};
        for (r = 0; r < dd->nrow; r++) {
            const sarx__row *row = &dd->rows[r];
            unsigned wh = row->when;
            int km = row->measure, kc = def->row_crit[r];
            int kx = def->row_cmp[r], ke = def->row_env[r];
            mask appl = env_appl[ke], miss, unk, judged, hl, hh, met, notm, soft_met = {0}, soft_not = {0};
            unsigned fl = sarx__row_fluid(row);
            if (none(&appl))
                continue; /* it adds nothing: every mask below would be empty */
            miss = appl & b->nan[km];
            unk = appl & ~miss & env_unk[ke];
            judged = appl & ~miss & ~unk;
            if (!((cmp_seen[kx >> 6] >> (kx & 63)) & 1u)) { /* the first row with this comparison */
                b->holds(row->op, b->lo[km], row->threshold, b->nw, &b->cmp_lo[kx]);
                if (none(&b->span[km]))
                    b->cmp_hi[kx] = b->cmp_lo[kx];
                else
                    b->holds(row->op, b->hi[km], row->threshold, b->nw, &b->cmp_hi[kx]);
                cmp_seen[kx >> 6] |= (uint64_t)1 << (kx & 63);
            }
            hl = b->cmp_lo[kx];
            hh = b->cmp_hi[kx];
            met = judged & hl & hh;
            notm = judged & ~hl & ~hh;
            unk |= judged & (hl ^ hh);
            if (wh & SARX__W_ONLY_MET) { /* an "unable" flag informs only when met */
                any_met[kc] |= met;
                firm_met[kc] |= met;
                continue;
            }
            /* Provisional sides (assess.c's row_soft): like a fallback row's
            ** judgement, needy and not firm. */
            if (fl & SARX__SOFT_MET)
                soft_met = fluid;
            if (fl & SARX__SOFT_NOT)
                soft_not = fluid;
            if (sarx__row_dxa(dd, row)) {
                soft_met |= e.bia;
                soft_not |= e.bia;
            }
            soft_met &= met;
            soft_not &= notm;
            any_met[kc] |= met;
            any_not[kc] |= notm;
            any_unk[kc] |= unk;
            any_miss[kc] |= miss;
            needy[kc] |= miss | unk | soft_met | soft_not;
            if (!(wh & SARX__W_FALLBACK)) {
                firm_met[kc] |= met & ~soft_met;
                firm_not[kc] |= notm & ~soft_not;
            }
        }
        for (k = 0; k < dd->ncrit; k++) {
            mask t = any_met[k], unk = ~t & (any_unk[k] | (~any_not[k] & any_miss[k]));
            ct[k] = t;
            cf[k] = ~t & ~unk;
            prov[k] = ((t & ~firm_met[k]) | (cf[k] & any_not[k] & ~firm_not[k])) & needy[k];
            anyprov |= prov[k];
            /* The same with provisional criteria weakened to unknown. */
            wt[k] = ct[k] & ~prov[k];
            wf[k] = cf[k] & ~prov[k];
        }
        for (c = 0; c < dd->ncat; c++) {
            mask t, f, open = anyprov & remaining;
            run_masks(&def->cat[c], ct, cf, &t, &f);
            if (!none(&open)) {
                /* A lane whose rule changes when its provisional criteria
                ** become unknown is fragile: the exact search decides it.
                ** Kleene logic is sound, so every other lane is settled. */
                mask t2, f2;
                run_masks(&def->cat[c], wt, wf, &t2, &f2);
                rescan |= remaining & anyprov & ((t & ~t2) | (f & ~f2));
            }
            catm[c] = t & remaining;
            incomplete |= remaining & ~t & ~f; /* an undecided rule before the result */
            remaining &= ~t;
        }
        for (c = dd->ncat; c < SARX__MAX_CATS; c++)
            catm[c] = (mask){0};
        catm[SARX__MAX_CATS] = remaining;
        cpl = e.all & ~incomplete & ~remaining;
        /* Fragile lanes that are complete so far need the completion search:
        ** is the first met rule the same whatever the provisional criteria
        ** (a fallback row, oedema or a DXA cut-off on BIA mass decided them)?
        ** That is assess.c's search: a single flip changes the result
        ** somewhere exactly when the result is not the same for every
        ** assignment.  With one or two provisional criteria, 2 or 4 passes
        ** on masks answer it; lanes with more go to the scalar evaluator,
        ** lane by lane. */
        rescan &= cpl;
        if (!none(&rescan)) {
            mask one = {0}, two = {0}, three = {0};
            int used[32], nu = 0, i, j;
            for (k = 0; k < dd->ncrit; k++) {
                mask pk = prov[k] & rescan;
                three |= two & pk;
                two |= one & pk;
                one |= pk;
                if (!none(&pk))
                    used[nu++] = (int)k;
            }
            for (i = 0; i < nu; i++) {
                for (j = i; j < nu; j++) { /* j == i: the lanes where k alone is provisional */
                    int idx[2] = {used[i], used[j]};
                    mask fast = i == j ? rescan & prov[idx[0]] & ~two : rescan & prov[idx[0]] & prov[idx[1]] & ~three,
                         same;
                    if (none(&fast))
                        continue;
                    same_outcome(def, ct, cf, idx, i == j ? 1 : 2, &fast, &same);
                    cpl = (cpl & ~fast) | same;
                    rescan &= ~fast;
                }
            }
        }
        for (w = 0; w < SARX__LWORDS; w++) {
            uint64_t lanes;
            for (lanes = rescan[w]; lanes; lanes &= lanes - 1) {
                int lane = 64 * w + __builtin_ctzll(lanes);
                unsigned char rowst[SARX__MAX_ROWS], crit[32], cat[SARX__MAX_CATS];
                sarx__eval ev;
                ev.row = rowst;
                ev.crit = crit;
                ev.cat = cat;
                lane_vals(ctx, b, lane); /* a rare lane */
                sarx__evaluate(def, &b->v, &ev, 0);
                for (c = 0; c <= SARX__MAX_CATS; c++)
                    clear_lane(&catm[c], lane);
                set_lane(&catm[ev.category < 0 ? SARX__MAX_CATS : ev.category], lane);
                if (ev.complete)
                    set_lane(&cpl, lane);
                else
                    clear_lane(&cpl, lane);
            }
        }
        for (w = 0; w < SARX__LWORDS; w++) {
            for (c = 0; c <= SARX__MAX_CATS; c++)
                b->out[w].cat[d][c] = catm[c][w];
            b->out[w].complete[d] = cpl[w];
        }
        /* out[] from the masks: the category number is read off bit planes
        ** (plane k = the lanes whose category has bit k) as bytes, into
        ** stage; transposed into out[] once every definition is done. */
        if (out) {
            mask plane[4];
            int bit;
            memset(plane, 0, sizeof plane);
            for (c = 0; c < dd->ncat; c++)
                for (bit = 0; bit < 4; bit++)
                    if ((c >> bit) & 1u)
                        plane[bit] |= catm[c];
            b->stage_def(b, d, plane, &catm[SARX__MAX_CATS], &cpl, n);
        }
    }
    if (out)
        sarx__class_transpose(b->stage, ndefs, n, out, 1);
}

static void classify_base(const sarx_ctx *ctx, sarx__batch *b, const mask *all, int n, sarx_class *out)
{
    classify(ctx, b, all, n, out);
}

#if defined(SARX__X86_DISPATCH)
__attribute__((target("avx2"))) static void classify_avx2(const sarx_ctx *ctx, sarx__batch *b, const mask *all, int n,
                                                          sarx_class *out)
{
    classify(ctx, b, all, n, out);
}
#endif
