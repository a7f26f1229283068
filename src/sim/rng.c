/*
** rng.c — xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64
** from (seed, stream): each simulated person has its own stream, so a
** population is the same whatever the number of threads.
*/
#include "sim.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void sarx__rng_seed(sarx__rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sarx__rng_next(sarx__rng *r)
{
    uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

double sarx__rng_uniform(sarx__rng *r) { return (double)(sarx__rng_next(r) >> 11) * 0x1.0p-53; }

double sarx__rng_normal(sarx__rng *r)
{
    /* Box-Muller; one of the pair is dropped to keep the stream stateless */
    double u = sarx__rng_uniform(r), v = sarx__rng_uniform(r);
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}
