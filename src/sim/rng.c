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

double sarx__rng_normal(sarx__rng *r)
{
    /* Box-Muller; one of the pair is dropped to keep the stream stateless */
    double u = sarx__rng_uniform(r), v = sarx__rng_uniform(r);
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}
