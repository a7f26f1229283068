/*
** cohort_count.c — a classified batch counted into the cohort's tallies
** (by definition, kind and stratum) and agreement tables, a word of 64
** rows at a time from the batch's masks: SWAR, POPCNT or AVX-512 VPOPCNTQ.
*/
#include "cohort_int.h"

#include <string.h>


/* count_batch has variants for processors with POPCNT and with AVX-512's
** VPOPCNTQ, chosen at run time (their helpers SARX__ALWAYS_INLINE). */
#if defined(SARX__X86_DISPATCH)
#include <immintrin.h>
#endif

static void count_swar(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n);
#if defined(SARX__X86_DISPATCH)
static void count_popcnt(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n);
static void count_vpopcnt(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n);
#endif

/* The widest counting the processor has, or the SWAR one (baseline). */
void sarx__cohort_choose_count(sarx_cohort *c, int baseline)
{
    c->count = count_swar;
#if defined(SARX__X86_DISPATCH)
    __builtin_cpu_init();
    if (!baseline && __builtin_cpu_supports("popcnt"))
        c->count = count_popcnt;
    if (!baseline && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq"))
        c->count = count_vpopcnt;
#else
    (void)baseline;
#endif
}
static SARX__ALWAYS_INLINE long pc(uint64_t x, int hw)
{
    if (hw)
        return (long)__builtin_popcountll(x);
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (long)((x * 0x0101010101010101ULL) >> 56);
}

/* The rows in `all` by stratum (bit i = pending row at + i, of n from at):
** by sex and by age band, ST_ALL left empty. */
static SARX__ALWAYS_INLINE void strata_of(const sarx_cohort *c, uint64_t all, size_t at, size_t n, uint64_t *strata)
{
    const double *sexc = sarx__batch_column(c->scratch, SARX__F_SEX) + at;
    const double *agec = sarx__batch_column(c->scratch, SARX__F_AGE) + at;
    size_t i;
    memset(strata, 0, NSTRATA * sizeof *strata);
    for (i = 0; i < n; i++) {
        uint64_t bit = (uint64_t)1 << i;
        double sex = sexc[i], age = agec[i];
        int band = ST_AGE_UNKNOWN;
        if (!(all & bit))
            continue;
        strata[isnan(sex) ? ST_SEX_UNKNOWN : sex == SARX__MALE ? ST_MALE : ST_FEMALE] |= bit;
        if (!isnan(age)) { /* ages are >= 0: the whole years decide */
            int y = age < MAX_YEAR ? (int)age : MAX_YEAR;
            band = ST_AGE0 + c->band_of_year[y];
        }
        strata[band] |= bit;
    }
}

/* A definition's positive rows (pos) and those whose reading is decided
** (dec): positive, or complete and not indeterminate, and not a category
** that says the definition does not apply (na: c->na_cats[d]). */
static SARX__ALWAYS_INLINE void readings(const sarx__def *def, const sarx__masks *m, size_t d, unsigned na,
                                         uint64_t *pos, uint64_t *dec)
{
    uint64_t p = 0, none = 0;
    size_t k;
    for (k = 0; k < def->ncat; k++) {
        if (def->cats[k].positive)
            p |= m->cat[d][k];
        if ((na >> k) & 1u)
            none |= m->cat[d][k];
    }
    *pos = p;
    *dec = (p | (m->complete[d] & ~m->cat[d][SARX__MAX_CATS])) & ~none;
}

/* Count a word of a classified batch from its masks (bit i = pending row
** at + i, of n from at). */
static SARX__ALWAYS_INLINE void count_masks(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n, int hw)
{
    uint64_t strata[NSTRATA], pos[64], dec[64], all = m->ok;
    int live[NSTRATA], nlive = 0, st;
    size_t d, e, nd = c->ctx->ndefs;
    strata_of(c, all, at, n, strata);
    for (st = ST_ALL + 1; st < NSTRATA; st++)
        if (strata[st])
            live[nlive++] = st;
    for (d = 0; d < nd; d++) {
        const sarx__def *def = c->ctx->defs[d].d;
        const uint64_t *cat = m->cat[d];
        uint64_t inc = all & ~m->complete[d];
        size_t k;
        int l;
        readings(def, m, d, c->na_cats[d], &pos[d], &dec[d]);
        for (l = 0; l < nlive; l++) {
            int sl = live[l];
            uint64_t sm = strata[sl];
            for (k = 0; k < def->ncat; k++)
                TALLY(c, d, k)[sl] += pc(cat[k] & sm, hw);
            TALLY(c, d, K_INDET)[sl] += pc(cat[SARX__MAX_CATS] & sm, hw);
            TALLY(c, d, K_INCOMPLETE)[sl] += pc(inc & sm, hw);
            TALLY(c, d, K_READING)[sl] += pc(dec[d] & sm, hw);
        }
    }
    for (d = 0; d < nd; d++)
        for (e = d + 1; e < nd; e++) {
            uint64_t both = dec[d] & dec[e];
            AGREE(c, d, 0)[e] += pc(both & pos[d] & pos[e], hw);
            AGREE(c, d, 1)[e] += pc(both & pos[d] & ~pos[e], hw);
            AGREE(c, d, 2)[e] += pc(both & ~pos[d] & pos[e], hw);
            AGREE(c, d, 3)[e] += pc(both & ~pos[d] & ~pos[e], hw);
        }
    c->rows += pc(all, hw);
}

#if defined(SARX__X86_DISPATCH)
__attribute__((target("popcnt"))) static void count_popcnt(sarx_cohort *c, const sarx__masks *m, size_t at,
                                                           size_t n)
{
    count_masks(c, m, at, n, 1);
}

#define VPOPCNT __attribute__((target("avx512f,avx512vpopcntdq")))

/* The rows of x in each stratum added to a kind's tallies t[0 .. 15]. */
VPOPCNT static SARX__ALWAYS_INLINE void add_kind(long *t, uint64_t x, __m512i s0, __m512i s1)
{
    __m512i b = _mm512_set1_epi64((long long)x);
    _mm512_storeu_si512(t, _mm512_add_epi64(_mm512_loadu_si512(t), _mm512_popcnt_epi64(_mm512_and_si512(b, s0))));
    _mm512_storeu_si512(t + 8,
                        _mm512_add_epi64(_mm512_loadu_si512(t + 8), _mm512_popcnt_epi64(_mm512_and_si512(b, s1))));
}

/* The same counts with AVX-512's popcount of eight words at once: a
** kind's sixteen strata slots in two instructions, and a definition's
** agreement with eight others in four. */
VPOPCNT static void count_vpopcnt(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n)
{
    uint64_t strata[SLOTS], pos[64], dec[64], all = m->ok;
    const double *sexc = sarx__batch_column(c->scratch, SARX__F_SEX) + at;
    const double *agec = sarx__batch_column(c->scratch, SARX__F_AGE) + at;
    size_t d, e, nd = c->ctx->ndefs, i;
    __m512i s0, s1;
    memset(strata, 0, sizeof strata);
    /* strata_of's strata, eight rows at a time: the sex by its code (any
    ** other number is female), the band by the whole years, which for ages
    ** >= 0 (the field's range) is by the age itself against the bands'
    ** whole-year bounds, in order and contiguous (a test holds the two
    ** countings to the same summary). */
    for (i = 0; i < n; i += 8) {
        __m512d sex = _mm512_loadu_pd(sexc + i), age = _mm512_loadu_pd(agec + i);
        __mmask8 in = (__mmask8)(all >> i), male = _mm512_cmp_pd_mask(sex, _mm512_set1_pd(SARX__MALE), _CMP_EQ_OQ);
        __mmask8 sexunk = _mm512_cmp_pd_mask(sex, sex, _CMP_UNORD_Q);
        __mmask8 ageunk = _mm512_cmp_pd_mask(age, age, _CMP_UNORD_Q);
        __mmask8 above = 0;
        size_t b;
        strata[ST_MALE] |= (uint64_t)(male & in) << i;
        strata[ST_FEMALE] |= (uint64_t)(in & ~male & ~sexunk) << i;
        strata[ST_SEX_UNKNOWN] |= (uint64_t)(sexunk & in) << i;
        strata[ST_AGE_UNKNOWN] |= (uint64_t)(ageunk & in) << i;
        for (b = NBANDS; b-- > 0;) { /* from the last band down: its own = at or above its floor, not above the next */
            __mmask8 ge = _mm512_cmp_pd_mask(age, _mm512_set1_pd((double)bands[b].lo), _CMP_GE_OQ);
            strata[ST_AGE0 + (int)b] |= (uint64_t)(ge & ~above & in) << i;
            above |= ge;
        }
    }
    s0 = _mm512_loadu_si512(strata);
    s1 = _mm512_loadu_si512(strata + 8);
    for (d = 0; d < nd; d++) {
        const sarx__def *def = c->ctx->defs[d].d;
        const uint64_t *cat = m->cat[d];
        size_t k;
        readings(def, m, d, c->na_cats[d], &pos[d], &dec[d]);
        for (k = 0; k < def->ncat; k++)
            add_kind(TALLY(c, d, k), cat[k], s0, s1);
        add_kind(TALLY(c, d, K_INDET), cat[SARX__MAX_CATS], s0, s1);
        add_kind(TALLY(c, d, K_INCOMPLETE), all & ~m->complete[d], s0, s1);
        add_kind(TALLY(c, d, K_READING), dec[d], s0, s1);
    }
    for (d = 0; d < nd; d++) {
        __m512i p = _mm512_set1_epi64((long long)pos[d]), dd = _mm512_set1_epi64((long long)dec[d]);
        for (e = d + 1; e < nd; e += 8) {
            __mmask8 k = (__mmask8)(nd - e >= 8 ? 0xFF : (1u << (nd - e)) - 1);
            __m512i pe = _mm512_maskz_loadu_epi64(k, pos + e);
            __m512i both = _mm512_and_si512(dd, _mm512_maskz_loadu_epi64(k, dec + e));
            __m512i a[4];
            int q;
            a[0] = _mm512_and_si512(both, _mm512_and_si512(p, pe));
            a[1] = _mm512_and_si512(both, _mm512_andnot_si512(pe, p));
            a[2] = _mm512_and_si512(both, _mm512_andnot_si512(p, pe));
            a[3] = _mm512_andnot_si512(_mm512_or_si512(p, pe), both);
            for (q = 0; q < 4; q++) {
                long *t = AGREE(c, d, q) + e;
                __m512i sum = _mm512_add_epi64(_mm512_maskz_loadu_epi64(k, t), _mm512_popcnt_epi64(a[q]));
                _mm512_mask_storeu_epi64(t, k, sum);
            }
        }
    }
    c->rows += (long)__builtin_popcountll(all);
}
#endif
static void count_swar(sarx_cohort *c, const sarx__masks *m, size_t at, size_t n) { count_masks(c, m, at, n, 0); }

/* Count the n rows of a classified batch, a word of 64 at a time. */
void sarx__cohort_count_batch(sarx_cohort *c, size_t n)
{
    const sarx__masks *m = sarx__batch_masks(c->scratch);
    size_t w;
    for (w = 0; 64 * w < n; w++)
        c->count(c, &m[w], 64 * w, n - 64 * w < 64 ? n - 64 * w : 64);
}