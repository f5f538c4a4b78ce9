/* Exact accumulators for the service metrics, so that merging the state of any
 * split of the tickets gives the one-pass result bit for bit:
 * - scrm__u128: unsigned 128-bit integer sums (durations and times are whole
 *   seconds below 2^39, so 2^64 of them fit);
 * - scrm__xsum (num/xsum.h): exact sum of doubles (handle times). */
#ifndef SCRM_KPI_SERVICE_NUM_H
#define SCRM_KPI_SERVICE_NUM_H

#include "core/bytes.h"
#include "num/xsum.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct scrm__u128 {
    uint64_t lo;
    uint64_t hi;
} scrm__u128;

static inline void scrm__u128_add64(scrm__u128 *a, uint64_t v)
{
    a->lo += v;
    a->hi += a->lo < v;
}

static inline void scrm__u128_add(scrm__u128 *a, scrm__u128 b)
{
    a->lo += b.lo;
    a->hi += b.hi + (a->lo < b.lo);
}

/* a - b; requires a >= b. */
static inline scrm__u128 scrm__u128_sub(scrm__u128 a, scrm__u128 b)
{
    scrm__u128 r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo);
    return r;
}

/* Full 64 x 64 -> 128-bit product, portable (32-bit halves). */
static inline scrm__u128 scrm__u128_mul64(uint64_t a, uint64_t b)
{
    uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    scrm__u128 r;
    r.lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

/* Nearest-ish double (two roundings; a deterministic function of the value). */
static inline double scrm__u128_to_double(scrm__u128 a)
{
    return ldexp((double)a.hi, 64) + (double)a.lo;
}

/* Handle times are summed exactly with the engagement module's
 * superaccumulator (num/xsum.h); the service state serializes it in
 * canonical form: u8 first digit, u8 count, count x u32 digits (the sum of
 * nonnegative values has a zero top digit). */
void scrm__svc_xsum_write(scrm__writer *w, const scrm__xsum *s);
/* SCRM_OK or SCRM_ECORRUPT (message names `what`). */
int scrm__svc_xsum_read(scrm__reader *r, scrm__xsum *s, const char *what);

#endif /* SCRM_KPI_SERVICE_NUM_H */
