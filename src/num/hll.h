/* HyperLogLog sketch with dense 8-bit registers and Ertl's corrected raw
 * estimator, plus the 64-bit string hash (XXH64) that feeds it.
 *
 * Register layout follows Ertl (2017), Algorithm 1: of the 64-bit (mixed) key
 * the top p bits select the register, and the position of the first 1-bit in
 * the following q = 64 - p bits (q + 1 if they are all zero) is the update
 * value, so registers hold 0..q+1. Union = register-wise maximum. */
#ifndef SCRM_KPI_HLL_H
#define SCRM_KPI_HLL_H

#include "core/bits.h"

#include <stddef.h>
#include <stdint.h>

#define SCRM__HLL_P_MIN 4
#define SCRM__HLL_P_MAX 18

/* XXH64 of data[0..len) with the given seed (Collet's xxHash specification,
 * https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md). Stable across
 * platforms, so sketches built on different machines merge. */
uint64_t scrm__hash64(const void *data, size_t len, uint64_t seed);

/* Insert a mixed key (scrm__mix64 of a caller key, or a string hash) into
 * registers reg[0 .. 2^p). */
static inline void scrm__hll_insert(uint8_t *reg, int p, uint64_t h)
{
    size_t idx = (size_t)(h >> (64 - p));
    uint64_t w = h << p; /* the q rank bits, left-aligned; low p bits are 0 */
    uint8_t k = (uint8_t)(w ? scrm__clz64(w) + 1 : (unsigned)(64 - p) + 1);
    uint8_t old = reg[idx];
    reg[idx] = k > old ? k : old; /* unconditional store: no mispredicted branch */
}

/* dst[i] = max(dst[i], src[i]) for i < m. */
void scrm__hll_union(uint8_t *dst, const uint8_t *src, size_t m);

/* Cardinality estimate of registers reg[0 .. 2^p): Ertl's corrected raw
 * estimator (unbiased over the whole range, no empirical tables). */
double scrm__hll_estimate(const uint8_t *reg, int p);

/* 1 if every register is within 0..q+1 (a valid sketch), else 0. */
int scrm__hll_registers_valid(const uint8_t *reg, int p);

/* Relative standard error of the estimate, 1.04 / sqrt(2^p) (Flajolet et al. 2007). */
double scrm__hll_rse(int p);

#endif /* SCRM_KPI_HLL_H */
