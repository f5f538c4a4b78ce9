/* Exact double summation; see engagement_xsum.h. */
#include "kpi/engagement_xsum.h"

#include "num/hll.h" /* scrm__clz64 */

#include <math.h>

#define DIGIT INT64_C(4294967296) /* 2^32 */

void scrm__xsum_normalize(scrm__xsum *s)
{
    int64_t carry = 0;
    for (int i = 0; i < SCRM__XSUM_N - 1; i++) {
        int64_t v = s->d[i] + carry;
        int64_t low = (int64_t)((uint64_t)v & 0xFFFFFFFFu);
        carry = (v - low) / DIGIT; /* exact: floor division by 2^32 */
        s->d[i] = low;
    }
    s->d[SCRM__XSUM_N - 1] += carry;
    s->pending = 0;
}

int scrm__xsum_is_normalized(const scrm__xsum *s)
{
    for (int i = 0; i < SCRM__XSUM_N - 1; i++)
        if (s->d[i] < 0 || s->d[i] >= DIGIT)
            return 0;
    return 1;
}

void scrm__xsum_merge(scrm__xsum *s, const scrm__xsum *other)
{
    /* Normalized digits are below 2^32, so their sum cannot overflow and
     * counts as two pending additions. */
    scrm__xsum t = *other;
    scrm__xsum_normalize(&t);
    scrm__xsum_normalize(s);
    for (int i = 0; i < SCRM__XSUM_N; i++)
        s->d[i] += t.d[i];
    s->pending = 2;
}

double scrm__xsum_value(const scrm__xsum *in)
{
    scrm__xsum s = *in;
    scrm__xsum_normalize(&s);
    int neg = s.d[SCRM__XSUM_N - 1] < 0;
    if (neg) {
        for (int i = 0; i < SCRM__XSUM_N; i++)
            s.d[i] = -s.d[i];
        scrm__xsum_normalize(&s);
    }
    /* The top digit weighs 2^(32*66 - 1074) = 2^1038: beyond any double. */
    if (s.d[SCRM__XSUM_N - 1] != 0)
        return neg ? -(double)INFINITY : (double)INFINITY;
    int t = SCRM__XSUM_N - 2;
    while (t >= 0 && s.d[t] == 0)
        t--;
    if (t < 0)
        return 0.0;
    /* Take the top 63 bits of digits t, t-1, t-2 plus a sticky bit for
     * everything below, so the one conversion to double rounds correctly. */
    uint64_t a = (uint64_t)s.d[t];
    uint64_t b = t >= 1 ? (uint64_t)s.d[t - 1] : 0;
    uint64_t c = t >= 2 ? (uint64_t)s.d[t - 2] : 0;
    unsigned bl = 64 - scrm__clz64(a); /* 1..32 significant bits in a */
    uint64_t top = (a << 32) | b; /* 32 + bl bits; with c below: X = top * 2^32 + c */
    unsigned shift = bl + 1;      /* r = X >> shift has exactly 63 bits */
    uint64_t r;
    int sticky;
    if (shift <= 32) {
        r = (top << (32 - shift)) | (c >> shift);
        sticky = (c & ((UINT64_C(1) << shift) - 1)) != 0;
    } else {
        r = top >> 1;
        sticky = (top & 1) || c;
    }
    for (int i = t - 3; i >= 0 && !sticky; i--)
        sticky = s.d[i] != 0;
    r |= (uint64_t)sticky;
    double v = ldexp((double)r, 32 * (t - 2) + (int)bl + 1 - 1074);
    return neg ? -v : v;
}
