/* Bit helpers and the one mixer (src/core/bits.h), checked against plain loops. */
#include <criterion/criterion.h>

#include "core/bits.h"

static uint64_t state = 0x243F6A8885A308D3ull;
static uint64_t next(void) /* xorshift64: independent of the code under test */
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static unsigned loop_clz(uint64_t x)
{
    unsigned n = 0;
    for (int b = 63; b >= 0 && !((x >> b) & 1); b--)
        n++;
    return n;
}

static unsigned loop_ctz(uint64_t x)
{
    unsigned n = 0;
    for (int b = 0; b < 64 && !((x >> b) & 1); b++)
        n++;
    return n;
}

static unsigned loop_popcount(uint64_t x)
{
    unsigned n = 0;
    for (int b = 0; b < 64; b++)
        n += (unsigned)((x >> b) & 1);
    return n;
}

Test(bits, counts_agree_with_loops)
{
    for (int i = 0; i < 20000; i++) {
        /* Sparse and dense words, every bit position at each end. */
        uint64_t x = next() >> (i % 64);
        if (i % 3 == 0)
            x = UINT64_C(1) << (i % 64);
        if (!x)
            continue;
        cr_assert_eq(scrm__clz64(x), loop_clz(x));
        cr_assert_eq(scrm__ctz64(x), loop_ctz(x));
        cr_assert_eq(scrm__popcount64(x), loop_popcount(x));
        cr_assert_eq(scrm__log2_u64(x), 63 - loop_clz(x));
        cr_assert_eq(scrm__ctz32((uint32_t)x | UINT32_C(0x80000000)),
                     loop_ctz((uint32_t)x | UINT32_C(0x80000000)));
    }
    cr_assert_eq(scrm__popcount64(0), 0);
    cr_assert_eq(scrm__popcount64(UINT64_MAX), 64);
}

Test(bits, pow2_ceil)
{
    cr_assert_eq(scrm__pow2_ceil(1), 1);
    cr_assert_eq(scrm__pow2_ceil(2), 2);
    cr_assert_eq(scrm__pow2_ceil(3), 4);
    cr_assert_eq(scrm__pow2_ceil(1000), 1024);
    cr_assert_eq(scrm__pow2_ceil(UINT64_C(1) << 63), UINT64_C(1) << 63);
    cr_assert_eq(scrm__pow2_ceil((UINT64_C(1) << 40) + 1), UINT64_C(1) << 41);
}

Test(bits, mixer_is_murmur3_fmix64)
{
    /* Reference values computed with MurmurHash3's fmix64 in Python:
     * k ^= k >> 33; k *= 0xff51afd7ed558ccd; k ^= k >> 33;
     * k *= 0xc4ceb9fe1a85ec53; k ^= k >> 33 (mod 2^64). */
    cr_assert_eq(scrm__mix64(0), 0);
    cr_assert_eq(scrm__mix64(1), UINT64_C(0xb456bcfc34c2cb2c));
    cr_assert_eq(scrm__mix64(UINT64_MAX), UINT64_C(0x64b5720b4b825f21));
}

Test(bits, mixer_spreads_sequential_keys_over_low_bits)
{
    /* 4096 consecutive ids into 8192 buckets by the low bits: close to the
     * balls-in-bins expectation of 8192 * (1 - e^-0.5) = 3223 occupied. */
    static unsigned char used[8192];
    unsigned occupied = 0;
    for (uint64_t k = 1000000; k < 1000000 + 4096; k++) {
        size_t b = (size_t)(scrm__mix64(k) & 8191);
        occupied += !used[b];
        used[b] = 1;
    }
    cr_assert(occupied > 3100 && occupied < 3350, "occupied %u", occupied);
}
