/* HyperLogLog sketch and the XXH64 hash behind it (src/num/hll.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num/hll.h"

static uint64_t h64(const char *s) { return scrm__hash64(s, strlen(s), 0); }

/* Published XXH64 values (seed 0): the xxHash test suite and bindings
 * (ClickHouse 00803_xxhash.sql, python-xxhash / nim-xxhash tests). */
Test(hll, xxh64_known_vectors)
{
    cr_assert_eq(h64(""), UINT64_C(0xEF46DB3751D8E999));
    cr_assert_eq(h64("a"), UINT64_C(15154266338359012955));
    cr_assert_eq(h64("ab"), UINT64_C(7347350983217793633));
    cr_assert_eq(h64("abc"), UINT64_C(0x44BC2CF5AD770999));
    cr_assert_eq(h64("ABC"), UINT64_C(0xE66AE7354FCFEE98));
    cr_assert_eq(h64("xxhash"), UINT64_C(0x32DD38952C4BC720));
    cr_assert_eq(h64("foo"), UINT64_C(3728699739546630719));
    /* 43 bytes: exercises the 32-byte stripe loop, the 8-byte and 1-byte tails. */
    cr_assert_eq(h64("The quick brown fox jumps over the lazy dog"),
                 UINT64_C(0x0B242D361FDA71BC));
    /* Single bytes (ClickHouse: xxHash64(toUInt8(0)), xxHash64('\x01')). */
    uint8_t b = 0;
    cr_assert_eq(scrm__hash64(&b, 1, 0), UINT64_C(16804241149081757544));
    b = 1;
    cr_assert_eq(scrm__hash64(&b, 1, 0), UINT64_C(9962287286179718960));
}

Test(hll, mix_is_a_bijection_on_samples)
{
    /* fmix64 is invertible; distinct inputs never collide. Spot-check a run. */
    uint64_t prev = scrm__mix64(0);
    cr_assert_eq(prev, 0); /* fmix64(0) == 0 */
    for (uint64_t i = 1; i < 1000; i++)
        cr_assert_neq(scrm__mix64(i), scrm__mix64(i - 1));
}

static uint8_t *sketch_of(int p, uint64_t from, uint64_t to)
{
    uint8_t *reg = calloc((size_t)1 << p, 1);
    char buf[32];
    for (uint64_t i = from; i < to; i++) {
        int n = snprintf(buf, sizeof buf, "user-%llu", (unsigned long long)i);
        scrm__hll_insert(reg, p, scrm__mix64(scrm__hash64(buf, (size_t)n, 0)));
    }
    return reg;
}

Test(hll, empty_sketch_estimates_zero)
{
    for (int p = SCRM__HLL_P_MIN; p <= SCRM__HLL_P_MAX; p++) {
        uint8_t *reg = calloc((size_t)1 << p, 1);
        cr_assert_eq(scrm__hll_estimate(reg, p), 0.0);
        free(reg);
    }
}

/* The documented bound: at most 2 % relative error at p = 14 (standard error
 * 1.04/128 = 0.81 %) for every checked cardinality, 1,000,000 included. */
Test(hll, relative_error_within_two_percent_at_p14)
{
    const uint64_t ns[] = {1, 2, 10, 100, 1000, 10000, 100000, 1000000};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        uint8_t *reg = sketch_of(14, 0, ns[k]);
        double est = scrm__hll_estimate(reg, 14);
        double rel = fabs(est - (double)ns[k]) / (double)ns[k];
        cr_assert(rel <= 0.02, "n=%llu: estimate %.3f, relative error %.4f",
                  (unsigned long long)ns[k], est, rel);
        free(reg);
    }
}

Test(hll, small_cardinalities_are_nearly_exact)
{
    /* In the linear-counting regime the estimate is within a fraction of one. */
    uint8_t *reg = sketch_of(14, 0, 1);
    cr_assert_float_eq(scrm__hll_estimate(reg, 14), 1.0, 1e-3);
    free(reg);
    reg = sketch_of(14, 0, 100);
    cr_assert_float_eq(scrm__hll_estimate(reg, 14), 100.0, 1.0);
    free(reg);
}

Test(hll, duplicates_do_not_change_the_sketch)
{
    uint8_t *a = sketch_of(12, 0, 5000);
    uint8_t *b = sketch_of(12, 0, 5000);
    uint8_t *c = sketch_of(12, 1000, 3000);
    scrm__hll_union(b, c, (size_t)1 << 12);
    cr_assert_eq(memcmp(a, b, (size_t)1 << 12), 0);
    free(a), free(b), free(c);
}

Test(hll, union_of_splits_equals_sketch_of_union_registerwise)
{
    const int p = 14;
    const size_t m = (size_t)1 << p;
    uint8_t *whole = sketch_of(p, 0, 1000000);
    /* Uneven, overlapping splits. */
    uint8_t *u = sketch_of(p, 0, 1);
    uint8_t *s1 = sketch_of(p, 1, 333333);
    uint8_t *s2 = sketch_of(p, 300000, 777777);
    uint8_t *s3 = sketch_of(p, 777777, 1000000);
    scrm__hll_union(u, s3, m);
    scrm__hll_union(u, s1, m);
    scrm__hll_union(u, s2, m);
    cr_assert_eq(memcmp(whole, u, m), 0);
    free(whole), free(u), free(s1), free(s2), free(s3);
}

Test(hll, error_spread_matches_theory)
{
    /* Root-mean-square relative error over independent seeds should be near
     * 1.04/sqrt(m) (3.25 % at p = 10); a broken estimator misses by far. */
    const int p = 10;
    const int runs = 40;
    const uint64_t n = 20000;
    double ss = 0;
    for (int r = 0; r < runs; r++) {
        uint8_t *reg = calloc((size_t)1 << p, 1);
        for (uint64_t i = 0; i < n; i++)
            scrm__hll_insert(reg, p, scrm__mix64(scrm__hash64(&i, sizeof i, (uint64_t)r + 1)));
        double rel = scrm__hll_estimate(reg, p) / (double)n - 1.0;
        ss += rel * rel;
        free(reg);
    }
    double rmse = sqrt(ss / runs);
    cr_assert(rmse > 0.015 && rmse < 0.055, "rmse %.4f vs theory %.4f", rmse, scrm__hll_rse(p));
}

Test(hll, register_validation)
{
    uint8_t reg[16] = {0};
    cr_assert(scrm__hll_registers_valid(reg, 4));
    reg[3] = 61; /* q + 1 for p = 4 */
    cr_assert(scrm__hll_registers_valid(reg, 4));
    reg[3] = 62;
    cr_assert_not(scrm__hll_registers_valid(reg, 4));
}

Test(hll, insert_rank_edges)
{
    uint8_t reg[16] = {0};
    /* Index = top 4 bits; rank = leading zeros of the rest + 1. */
    scrm__hll_insert(reg, 4, UINT64_C(0x3) << 60 | UINT64_C(1) << 59);
    cr_assert_eq(reg[3], 1);
    scrm__hll_insert(reg, 4, UINT64_C(0x5) << 60 | UINT64_C(1) << 50);
    cr_assert_eq(reg[5], 10);
    scrm__hll_insert(reg, 4, UINT64_C(0x7) << 60); /* all rank bits zero */
    cr_assert_eq(reg[7], 61);
    scrm__hll_insert(reg, 4, UINT64_C(0x5) << 60 | UINT64_C(1) << 58);
    cr_assert_eq(reg[5], 10); /* max is kept */
}
