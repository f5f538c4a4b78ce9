/* Exact sums of doubles ("superaccumulator"), so that merging the accumulators
 * of any split of the data gives bit-for-bit the same total as one pass.
 *
 * Every finite double is m * 2^(pos - 1074) with an integer m < 2^53 and
 * 0 <= pos <= 2045, so the exact sum is an integer multiple of 2^-1074. It is
 * kept as signed 32-bit "digits" in int64 slots (Kulisch's long accumulator,
 * with the lazy carry of Neal, "Fast exact summation using small and large
 * superaccumulators", arXiv:1505.05571): each addition touches three slots and
 * carries are propagated only every 2^30 additions. A normalized accumulator
 * (digits 0..XSUM_N-2 in [0, 2^32), the top one signed) is a canonical form of
 * the exact value; the double result is derived from it alone, with one
 * rounding.
 *
 * The one wire encoding (scrm__xsum_write / scrm__xsum_read) is that canonical
 * form trimmed to its nonzero digits:
 *   u8 lo | u8 count | count x u32 digits d[lo .. lo + count)
 * with count = 0 (and lo = 0) for an exact zero, d[lo] and d[lo + count - 1]
 * nonzero otherwise, and the top digit d[XSUM_N - 1] (present only for sums
 * of magnitude >= 2^1038, i.e. infinite as a double) as a two's-complement
 * int32. */
#ifndef SCRM_NUM_XSUM_H
#define SCRM_NUM_XSUM_H

#include "core/bytes.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SCRM__XSUM_N 67 /* 67 * 32 bits > 2098 bits of range + carry room */
#define SCRM__XSUM_PENDING_MAX (UINT32_C(1) << 30)

typedef struct scrm__xsum {
    int64_t d[SCRM__XSUM_N];
    uint32_t pending; /* additions since the last normalization */
} scrm__xsum;

void scrm__xsum_normalize(scrm__xsum *s);

/* Add a finite double (the caller has checked isfinite). */
static inline void scrm__xsum_add(scrm__xsum *s, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
    unsigned ex = (unsigned)(bits >> 52) & 0x7FFu;
    if (ex == 0) {
        if (mant == 0)
            return; /* +0 or -0 */
        ex = 1;     /* subnormal: same scale as the smallest normal */
    } else {
        mant |= UINT64_C(1) << 52;
    }
    unsigned pos = ex - 1, i = pos >> 5, sh = pos & 31;
    uint64_t lo = mant << sh;
    uint64_t hi = sh ? mant >> (64 - sh) : 0;
    int64_t d0 = (int64_t)(lo & 0xFFFFFFFFu), d1 = (int64_t)(lo >> 32), d2 = (int64_t)hi;
    if (bits >> 63) {
        s->d[i] -= d0;
        s->d[i + 1] -= d1;
        s->d[i + 2] -= d2;
    } else {
        s->d[i] += d0;
        s->d[i + 1] += d1;
        s->d[i + 2] += d2;
    }
    if (++s->pending >= SCRM__XSUM_PENDING_MAX)
        scrm__xsum_normalize(s);
}

/* s += other (exact). */
void scrm__xsum_merge(scrm__xsum *s, const scrm__xsum *other);

/* The exact sum rounded to the nearest double (+-inf beyond DBL_MAX). */
double scrm__xsum_value(const scrm__xsum *s);

/* 1 if the accumulator is normalized (canonical), else 0. */
int scrm__xsum_is_normalized(const scrm__xsum *s);

/* true if the exact sum is < 0. */
bool scrm__xsum_negative(const scrm__xsum *s);

/* Append the canonical encoding (see above). The top digit saturates at the
 * int32 range: that needs more than 2^45 additions of values near DBL_MAX,
 * and the value stays the same infinity. */
void scrm__xsum_write(scrm__writer *w, const scrm__xsum *s);
/* Read one encoded sum into *s (normalized). SCRM_ECORRUPT, with a message
 * "fn: exact sum: <what is wrong>", on truncated or non-canonical bytes. */
int scrm__xsum_read(scrm__reader *r, scrm__xsum *s, const char *fn);

#endif /* SCRM_NUM_XSUM_H */
