/* Seeded pseudo-random numbers: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled
 * linear pseudorandom number generators", ACM TOMS 47(4), 2021; reference code
 * https://prng.di.unimi.it/xoshiro256starstar.c) seeded through splitmix64
 * (Steele, Lea & Flood, OOPSLA 2014; https://prng.di.unimi.it/splitmix64.c).
 *
 * Integer arithmetic only, so the same seed gives the same 64-bit outputs and the
 * same uniform doubles on every platform. Samplers for distributions live in
 * dists.h. A generator is a plain value: copy it to fork, no allocation, no
 * global state; each thread uses its own. */
#ifndef SCRM_NUM_RNG_H
#define SCRM_NUM_RNG_H

#include <stdint.h>

typedef struct scrm__rng {
    uint64_t s[4]; /* never all zero */
} scrm__rng;

/* One splitmix64 step: advances *state and returns the next output. Also a good
 * 64-bit mixer for deriving seeds. */
uint64_t scrm__splitmix64(uint64_t *state);

/* Seed from one 64-bit value: s[0..3] = the first four splitmix64 outputs from
 * state `seed` (the seeding recommended by the xoshiro authors). Any seed,
 * including 0, gives a valid state. */
void scrm__rng_seed(scrm__rng *rng, uint64_t seed);

/* Seed an independent stream `stream` of `seed`: like scrm__rng_seed from
 * splitmix64 state seed ^ mix(stream), where mix is one splitmix64 output of
 * state `stream`. Stream 0 is NOT the same as scrm__rng_seed(seed). Used to give
 * each (block of iterations, input) its own generator, so results do not depend
 * on thread count or on the order inputs are drawn in. */
void scrm__rng_seed_stream(scrm__rng *rng, uint64_t seed, uint64_t stream);

/* Set the state directly (tests against the reference vectors). An all-zero
 * state is replaced by scrm__rng_seed(0)'s. */
void scrm__rng_set_state(scrm__rng *rng, const uint64_t s[4]);

/* Next 64 random bits (xoshiro256**). */
static inline uint64_t scrm__rng_next(scrm__rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t x = s[1] * 5;
    uint64_t result = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform double in [0, 1): the top 53 bits times 2^-53 (exact). */
static inline double scrm__rng_uniform(scrm__rng *rng)
{
    return (double)(scrm__rng_next(rng) >> 11) * 0x1.0p-53;
}

/* Uniform double in the open interval (0, 1): (top 52 bits + 0.5) * 2^-52, in
 * [2^-53, 1 - 2^-53], so log(u) and quantile(u) are always finite. Exact (52 bits
 * plus the half fit a double's 53-bit significand). */
static inline double scrm__rng_uniform_open(scrm__rng *rng)
{
    return ((double)(scrm__rng_next(rng) >> 12) + 0.5) * 0x1.0p-52;
}

/* Uniform integer in [0, n) without modulo bias (Lemire, "Fast random integer
 * generation in an interval", ACM TOMACS 29(1), 2019). n = 0 returns 0. */
uint64_t scrm__rng_below(scrm__rng *rng, uint64_t n);

#endif /* SCRM_NUM_RNG_H */
