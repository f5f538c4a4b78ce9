/* Serialized form of the exact handle-time sum; see service_num.h. */
#include "kpi/service_num.h"

void scrm__svc_xsum_write(scrm__writer *w, const scrm__xsum *s)
{
    scrm__xsum t = *s;
    scrm__xsum_normalize(&t); /* canonical: digits in [0, 2^32), top signed */
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

int scrm__svc_xsum_read(scrm__reader *r, scrm__xsum *s, const char *what)
{
    memset(s, 0, sizeof *s);
    unsigned lo = scrm__get_u8(r), n = scrm__get_u8(r);
    /* Handle times are >= 0, so the signed top digit is 0. */
    if (r->failed || lo + n > SCRM__XSUM_N - 1)
        return scrm__error(SCRM_ECORRUPT, "%s: bad exact-sum digit range %u+%u", what, lo, n);
    for (unsigned i = 0; i < n; i++)
        s->d[lo + i] = (int64_t)scrm__get_u32(r);
    if (r->failed)
        return scrm__error(SCRM_ECORRUPT, "%s: truncated exact sum", what);
    if (n > 0 && (s->d[lo] == 0 || s->d[lo + n - 1] == 0))
        return scrm__error(SCRM_ECORRUPT, "%s: exact sum not in canonical form", what);
    return SCRM_OK;
}
