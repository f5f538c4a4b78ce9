/* Bit helpers shared by every layer: leading/trailing zero counts, population
 * count, and the one 64-bit mixer (core/map.h hashes with it, the HyperLogLog
 * spreads its keys with it). Header only; every function is a single
 * instruction on GCC/Clang and a portable loop elsewhere. */
#ifndef SCRM_CORE_BITS_H
#define SCRM_CORE_BITS_H

#include <stdint.h>

/* Leading zero bits of x; x != 0. */
static inline unsigned scrm__clz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_clzll(x);
#else
    unsigned n = 0;
    for (; !(x & (UINT64_C(1) << 63)); x <<= 1)
        n++;
    return n;
#endif
}

/* Trailing zero bits of x; x != 0. */
static inline unsigned scrm__ctz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned n = 0;
    for (; !(x & 1); x >>= 1)
        n++;
    return n;
#endif
}

/* Trailing zero bits of x; x != 0. */
static inline unsigned scrm__ctz32(uint32_t x)
{
    return scrm__ctz64(x);
}

/* Set bits of x. */
static inline unsigned scrm__popcount64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_popcountll(x);
#else
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
#endif
}

/* Index of the highest set bit (floor(log2 x)); x != 0. */
static inline unsigned scrm__log2_u64(uint64_t x)
{
    return 63u - scrm__clz64(x);
}

/* Smallest power of two >= x, for 1 <= x <= 2^63. */
static inline uint64_t scrm__pow2_ceil(uint64_t x)
{
    return x <= 1 ? 1 : UINT64_C(1) << (64 - scrm__clz64(x - 1));
}

/* The one 64-bit mixer: MurmurHash3's fmix64 finalizer (Appleby). Bijective,
 * so distinct keys stay distinct, and every input bit reaches every output
 * bit, so sequential ids, day numbers or bit patterns of doubles spread over
 * the low bits a power-of-two table indexes with. */
static inline uint64_t scrm__mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= UINT64_C(0xff51afd7ed558ccd);
    k ^= k >> 33;
    k *= UINT64_C(0xc4ceb9fe1a85ec53);
    k ^= k >> 33;
    return k;
}

#endif /* SCRM_CORE_BITS_H */
