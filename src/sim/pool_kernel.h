/*
** pool_kernel.h — the pool step for one vector width, included by pool.c
** once per width.  Before including, define
**   PK_VW      doubles per vector (2: SSE2, 4: AVX2, 8: AVX-512); W = 8 is a
**              multiple of it, and a block of W units is W / PK_VW vectors
**   PK_NAME    the function's name
**   PK_TARGET  its target attribute (empty for the baseline)
** (all three are undefined again at the end).
** The lanes of a block are summed in W accumulators whatever the width, so
** every width adds the same numbers in the same order.  (GCC lowers a
** comparison of vectors wider than the machine's element by element, which
** is why each width has its own code rather than one W-wide kernel.)
*/
#define PK_CAT2(a, b) a##b
#define PK_CAT(a, b) PK_CAT2(a, b)
#define PK(x) PK_CAT(x, PK_VW)
#define PK_N (W / PK_VW)

typedef double PK(pk_vd_) __attribute__((vector_size(8 * PK_VW)));
typedef long long PK(pk_vl_) __attribute__((vector_size(8 * PK_VW)));
#define vd PK(pk_vd_)
#define vl PK(pk_vl_)

/* Comparisons give a mask (pk_mask) and sel(m, a, b) takes a where m holds,
** else b.  AVX-512 has mask registers and a one-instruction blend; AVX2 a
** blend by the vector mask; SSE2 only bit operations.  (From the generic
** a & m | b & ~m, GCC makes two or three bit operations on every width.)
** Comparisons are ordered and quiet, as C's. */
#if PK_VW == 8
typedef __mmask8 PK(pk_mask_);
#define PK_CMP(name, pred)                                                                                            \
    static inline __attribute__((always_inline)) PK_TARGET PK(pk_mask_) PK_CAT(name, PK_VW)(vd a, vd b)              \
    {                                                                                                                 \
        return _mm512_cmp_pd_mask((__m512d)a, (__m512d)b, pred);                                                      \
    }
PK_CMP(pk_lt_, _CMP_LT_OQ)
PK_CMP(pk_le_, _CMP_LE_OQ)
PK_CMP(pk_gt_, _CMP_GT_OQ)
PK_CMP(pk_ge_, _CMP_GE_OQ)
static inline __attribute__((always_inline)) PK_TARGET vd PK(pk_sel_)(PK(pk_mask_) m, vd a, vd b)
{
    return (vd)_mm512_mask_blend_pd(m, (__m512d)b, (__m512d)a);
}
#else
typedef vl PK(pk_mask_);
#define PK_CMP(name, op)                                                                                              \
    static inline __attribute__((always_inline)) PK_TARGET PK(pk_mask_) PK_CAT(name, PK_VW)(vd a, vd b)              \
    {                                                                                                                 \
        return a op b;                                                                                                \
    }
PK_CMP(pk_lt_, <)
PK_CMP(pk_le_, <=)
PK_CMP(pk_gt_, >)
PK_CMP(pk_ge_, >=)
static inline __attribute__((always_inline)) PK_TARGET vd PK(pk_sel_)(PK(pk_mask_) m, vd a, vd b)
{
#if PK_VW == 4
    return (vd)_mm256_blendv_pd((__m256d)b, (__m256d)a, (__m256d)m);
#else
    return (vd)(((vl)a & m) | ((vl)b & ~m));
#endif
}
#endif
#undef PK_CMP
#define pk_mask PK(pk_mask_)
#define lt PK(pk_lt_)
#define le PK(pk_le_)
#define gt PK(pk_gt_)
#define ge PK(pk_ge_)
static inline __attribute__((always_inline)) PK_TARGET vd PK(pk_load_)(const double *p)
{
    vd v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline __attribute__((always_inline)) PK_TARGET void PK(pk_store_)(double *p, vd v) { memcpy(p, &v, sizeof v); }
#define sel PK(pk_sel_)
#define load PK(pk_load_)
#define store PK(pk_store_)

/*
** exp(y) for -708 <= y <= 0 (the pool's y = -2 x^3 is above -170: x = T r /
** 1000 <= 0.124 s x 35 Hz; sarx_mu_pool_new checks): y = k ln2 + r with
** |r| <= ln2/2 (k by the 1.5 x 2^52 rounding trick), the degree-9 Taylor
** polynomial for exp(r) by Horner, and 2^k put into the exponent bits.
** The truncation, |r|^10 / 10! <= 7e-12 relative, and the one-constant ln 2
** (k <= 245 times its 2e-17 error) stay far inside the 1e-9 agreement with
** pymuscle (measured: 3e-15, docs/SIMULATOR.md).  Estrin's shallower scheme
** measured no faster.
*/
static inline __attribute__((always_inline)) PK_TARGET vd PK(pk_exp_neg_)(vd y)
{
    const double magic = 6755399441055744.0; /* 1.5 x 2^52 */
    vd t, kd, r, q;
    vl bits;
    t = y * 1.4426950408889634 + magic;
    kd = t - magic;
    r = y - kd * 0.69314718055994530942;
    q = r * (1.0 / 362880.0) + 1.0 / 40320.0;
    q = q * r + 1.0 / 5040.0;
    q = q * r + 1.0 / 720.0;
    q = q * r + 1.0 / 120.0;
    q = q * r + 1.0 / 24.0;
    q = q * r + 1.0 / 6.0;
    q = q * r + 0.5;
    q = q * r + 1.0;
    q = q * r + 1.0;
    bits = (vl)t;
    bits = (bits - 0x4338000000000000LL + 1023) << 52; /* the integer k, biased */
    return q * (vd)bits;
}

/*
** One step over the first na units (the active blocks; the caller zeroes
** the rest), in pymuscle's order: the pool's rates with the adaptation of
** the durations so far, then the durations; the fibres' forces with their
** present capacity, then fatigue.  Returns the total force.
*/
static PK_TARGET double PK_NAME(double *restrict b, double *restrict rate, double *restrict force, size_t na,
                                double em1, double kdt)
{
    const double lin = (1.0 - exp(-2.0 * pow(0.4, 3.0))) / 0.4;
    vd acc[PK_N], zero = {0};
    size_t i, h;
    double sum = 0;
    for (h = 0; h < PK_N; h++)
        acc[h] = zero;
    for (i = 0; i < na; i += W, b += B_FIELDS * W)
        for (h = 0; h < PK_N; h++) {
            const size_t o = h * PK_VW;
            vd rtm1 = load(b + B_RTM1 * W + o), r = (em1 - rtm1) * GAIN, dec = load(b + B_DEC * W + o);
            vd pfr = rtm1 * PFR_1 + SARX__PFR1;
            vd p = load(b + B_P * W + o), adapt, x, pr, np, f;
            pk_mask active;
            /* a unit below the minimum rate is silent (rate 0, no adaptation,
            ** its duration unchanged); for the others r >= MFR, so the
            ** adaptation, phi ratio (r - MFR + d)(1 - exp(-dur/tau)), is >= 0 */
            active = ge(r, zero + MFR * GAIN);
            r = sel(gt(r, pfr), pfr, r);
            adapt = rtm1 * PHR_1 * (r - MFR + DERECRUIT) * (1.0 - dec);
            /* the durations move only for active units, and only with fatigue
            ** (kdt is 1 without): exp(-dur/tau) as a running product, 0 once
            ** below 1e-300 (pymuscle's exp(-dur/tau) underflows there too; its
            ** 20,000 s cap gives exp(-909) = 0) */
            dec = sel(active, dec * kdt, dec);
            dec = sel(lt(dec, zero + 1e-300), zero, dec);
            store(b + B_DEC * W + o, dec);
            r = sel(active, r - adapt, zero);
            store(rate + i + o, r);
            /* the contraction time follows the twitch lost so far */
            x = (load(b + B_TA * W + o) - load(b + B_TB * W + o) * p) * r;
            pr = sel(le(x, zero + 0.4), x * lin, 1.0 - PK(pk_exp_neg_)(-2.0 * (x * x * x)));
            f = pr * p;
            store(force + i + o, f);
            acc[h] += f;
            np = p - load(b + B_FDT * W + o) * pr; /* fat_dt is 0 without fatigue */
            np = sel(lt(np, zero), zero, np);
            store(b + B_P * W + o, np);
        }
    for (h = 0; h < PK_N; h++) /* lane by lane, 0 to W - 1, at every width */
        for (i = 0; i < PK_VW; i++)
            sum += acc[h][i];
    return sum;
}

#undef vd
#undef vl
#undef pk_mask
#undef lt
#undef le
#undef gt
#undef ge
#undef sel
#undef load
#undef store
#undef PK_N
#undef PK
#undef PK_CAT
#undef PK_CAT2
#undef PK_VW
#undef PK_NAME
#undef PK_TARGET
