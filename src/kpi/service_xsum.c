/* Serialized form of the exact handle-time sum: the one encoding of num/xsum.h
 * (the same bytes service states have always had, since a sum of nonnegative
 * handle times has a zero top digit). */
#include "kpi/service_num.h"

void scrm__svc_xsum_write(scrm__writer *w, const scrm__xsum *s)
{
    scrm__xsum_write(w, s);
}

int scrm__svc_xsum_read(scrm__reader *r, scrm__xsum *s, const char *what)
{
    int st = scrm__xsum_read(r, s, what);
    if (st == SCRM_OK && s->d[SCRM__XSUM_N - 1] != 0)
        return scrm__fail(SCRM_ECORRUPT, what, "exact sum: top digit %lld of a sum of handle times",
                          (long long)s->d[SCRM__XSUM_N - 1]);
    return st;
}
