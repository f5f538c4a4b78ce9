/* xoshiro256** seeded by splitmix64; see rng.h for sources. */
#include "num/rng.h"

uint64_t scrm__splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void scrm__rng_seed(scrm__rng *rng, uint64_t seed)
{
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = scrm__splitmix64(&sm);
    /* splitmix64 is a bijection of its counter, so four consecutive outputs are
     * never all zero; no check needed. */
}

void scrm__rng_seed_stream(scrm__rng *rng, uint64_t seed, uint64_t stream)
{
    uint64_t st = stream;
    scrm__rng_seed(rng, seed ^ scrm__splitmix64(&st));
}

void scrm__rng_set_state(scrm__rng *rng, const uint64_t s[4])
{
    if ((s[0] | s[1] | s[2] | s[3]) == 0) {
        scrm__rng_seed(rng, 0);
        return;
    }
    for (int i = 0; i < 4; i++)
        rng->s[i] = s[i];
}

/* High and low halves of the 128-bit product a*b, portable C. */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32;
    uint64_t b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    *lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
}

uint64_t scrm__rng_below(scrm__rng *rng, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t hi, lo;
    mul64(scrm__rng_next(rng), n, &hi, &lo);
    if (lo < n) {
        uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
        while (lo < threshold)
            mul64(scrm__rng_next(rng), n, &hi, &lo);
    }
    return hi;
}
