/* Exact double summation and its wire encoding; see xsum.h. */
#include "num/xsum.h"

#include "core/bits.h"

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

bool scrm__xsum_negative(const scrm__xsum *in)
{
    scrm__xsum s = *in;
    scrm__xsum_normalize(&s);
    return s.d[SCRM__XSUM_N - 1] < 0;
}

void scrm__xsum_write(scrm__writer *w, const scrm__xsum *in)
{
    scrm__xsum t = *in;
    scrm__xsum_normalize(&t);
    int64_t *top = &t.d[SCRM__XSUM_N - 1];
    *top = *top > INT32_MAX ? INT32_MAX : *top < INT32_MIN ? INT32_MIN : *top;
    int lo = 0, hi = SCRM__XSUM_N;
    while (lo < hi && t.d[lo] == 0)
        lo++;
    while (hi > lo && t.d[hi - 1] == 0)
        hi--;
    scrm__put_u8(w, (uint8_t)(lo == hi ? 0 : lo));
    scrm__put_u8(w, (uint8_t)(hi - lo));
    for (int i = lo; i < hi; i++)
        scrm__put_u32(w, (uint32_t)t.d[i]);
}

int scrm__xsum_read(scrm__reader *r, scrm__xsum *s, const char *fn)
{
    memset(s, 0, sizeof *s);
    unsigned lo = scrm__get_u8(r), n = scrm__get_u8(r);
    if (r->failed)
        return scrm__fail(SCRM_ECORRUPT, fn, "exact sum: truncated");
    if (lo + n > SCRM__XSUM_N || (n == 0 && lo != 0))
        return scrm__fail(SCRM_ECORRUPT, fn, "exact sum: digit range %u+%u out of 0..%d",
                           lo, n, SCRM__XSUM_N);
    for (unsigned i = lo; i < lo + n; i++) {
        uint32_t d = scrm__get_u32(r);
        /* The top digit is a two's-complement int32. */
        s->d[i] = (int64_t)d - (i == SCRM__XSUM_N - 1 && d >> 31 ? INT64_C(1) << 32 : 0);
    }
    if (r->failed)
        return scrm__fail(SCRM_ECORRUPT, fn, "exact sum: truncated");
    if (n > 0 && (s->d[lo] == 0 || s->d[lo + n - 1] == 0))
        return scrm__fail(SCRM_ECORRUPT, fn, "exact sum: digits %u+%u not trimmed", lo, n);
    return SCRM_OK;
}
