/* scrm_service_add: validate a batch of tickets, then accumulate it.
 * Validation runs first over the whole batch so that a bad row leaves the
 * state untouched (compute, which starts from an empty state and discards it
 * on error, validates block by block instead: one read of the table). */
#include "kpi/service.h"

#include "core/civil.h"

#include <math.h>
#include <string.h>

static inline int dur_add(scrm__svc_dur *d, uint64_t v, const uint64_t *t, uint32_t nt)
{
    int st = scrm__loghist_add(&d->hist, v); /* first: the only step that can fail */
    if (st != SCRM_OK)
        return st;
    scrm__u128_add64(&d->sum, v);
    if (v < d->min)
        d->min = v;
    if (v > d->max)
        d->max = v;
    for (uint32_t k = 0; k < nt; k++)
        d->met[k] += v <= t[k];
    return SCRM_OK;
}

/* scrm__xsum_add for the bits of x >= 0 or -0 without a branch on the value
 * (a NaN handle time, 0 or 1 in ten in practice, arrives as +0 and adds
 * nothing; zeros and subnormals share the scale of the smallest normal). */
static inline void xsum_add_nonneg(scrm__xsum *s, uint64_t bits)
{
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
    unsigned ex = (unsigned)(bits >> 52) & 0x7FFu, normal = ex != 0;
    mant |= (uint64_t)normal << 52;
    unsigned pos = ex + !normal - 1u, i = pos >> 5, sh = pos & 31u;
    uint64_t lo = mant << sh, hi = (mant >> 1) >> (63u - sh);
    s->d[i] += (int64_t)(lo & 0xFFFFFFFFu);
    s->d[i + 1] += (int64_t)(lo >> 32);
    s->d[i + 2] += (int64_t)hi;
    if (++s->pending >= SCRM__XSUM_PENDING_MAX)
        scrm__xsum_normalize(s);
}

/* Group index of a key: the direct table inline, else scrm__svc_find. */
static inline int group_of(scrm_service *s, int64_t key, size_t *gi)
{
    if (s->direct && key >= 0 && key < SCRM__SVC_DIRECT && s->direct[key]) {
        *gi = s->direct[key] - 1u;
        return SCRM_OK;
    }
    return scrm__svc_find(s, key, 1, gi);
}

/* Accumulate validated rows [a, e). */
static int accumulate(scrm_service *s, size_t a, size_t e, const int64_t *created,
                      const int64_t *fr, const int64_t *res, const double *ht,
                      const uint32_t *keys)
{
    int32_t by = s->opts.group_by;
    const int64_t none = SCRM_TIME_NONE, now = s->opts.now;
    const int explicit_now = now != none;
    const uint32_t nresp = s->opts.n_response_targets, nres = s->opts.n_resolution_targets;
    int64_t tmax = s->tmax;
    size_t gi = 0;
    int st = SCRM_OK;
    if (by == SCRM_SERVICE_GROUP_NONE && (st = scrm__svc_find(s, 0, 1, &gi)) != SCRM_OK)
        return st;
    for (size_t i = a; i < e; i++) {
        int64_t c = created[i];
        int64_t f = fr ? fr[i] : none;
        int64_t r = res ? res[i] : none;
        if (by != SCRM_SERVICE_GROUP_NONE) {
            int64_t key;
            if (keys) {
                key = keys[i];
            } else if ((st = scrm__svc_period_key(s, c, &key)) != SCRM_OK) {
                return st; /* unreachable: times were range-checked */
            }
            if ((st = group_of(s, key, &gi)) != SCRM_OK)
                return st;
        }
        scrm__svc_group *g = &s->groups[gi];
        g->volume++;
        if (c > tmax)
            tmax = c;
        if (f != none) {
            if ((st = dur_add(&g->answer, (uint64_t)(f - c), s->resp_t, nresp)) != SCRM_OK)
                return st;
            if (f > tmax)
                tmax = f;
        }
        if (r != none) {
            if ((st = dur_add(&g->resolution, (uint64_t)(r - c), s->res_t, nres)) != SCRM_OK)
                return st;
            if (r > tmax)
                tmax = r;
        }
        if (explicit_now ? (c <= now && (r == none || r > now)) : r == none) {
            g->backlog++;
            scrm__u128_add64(&g->open_created, (uint64_t)(c - SCRM__TIME_MIN));
            if (c < g->open_min)
                g->open_min = c;
        }
        if (ht) {
            double x = ht[i];
            uint64_t bits, ok = x == x; /* not NaN */
            memcpy(&bits, &x, sizeof bits);
            g->handled += ok;
            xsum_add_nonneg(&g->handle, bits & (0 - ok));
        }
    }
    s->tmax = tmax;
    return SCRM_OK;
}

/* Rows validated then accumulated per block of this many when the caller
 * allows it (compute): the block is still in cache for the second loop, so
 * the table is read from memory once instead of twice. */
#define BLOCK 4096u

int scrm__svc_add(scrm_service *s, size_t n, const int64_t *created, const int64_t *fr,
                  const int64_t *res, const double *ht, const uint32_t *keys, int blockwise,
                  const char *what, const char *fn)
{
    if (s->failed)
        return scrm__error(SCRM_ESTATE, "%s: the accumulator failed after running out of memory; reset it",
                           fn);
    if (n == 0)
        return SCRM_OK;
    int32_t by = s->opts.group_by;
    int by_id = by == SCRM_SERVICE_GROUP_CHANNEL || by == SCRM_SERVICE_GROUP_AGENT ||
                by == SCRM_SERVICE_GROUP_TEAM;
    if (!created)
        return scrm__error(SCRM_EINVAL, "%s: 'created' is NULL", fn);
    if (by_id && !keys)
        return scrm__error(SCRM_EINVAL, "%s: 'keys' is NULL but the options group by a string column",
                           fn);
    if (!by_id)
        keys = NULL;
    int st;
    if (!blockwise && (st = scrm__svc_validate(0, n, created, fr, res, ht, what, fn)) != SCRM_OK)
        return st;
    s->exact_valid = 0;
    for (size_t a = 0; a < n; a += BLOCK) {
        size_t e = n - a < BLOCK ? n : a + BLOCK;
        if (blockwise && (st = scrm__svc_validate(a, e, created, fr, res, ht, what, fn)) != SCRM_OK)
            return st; /* the caller discards the partial state */
        if ((st = accumulate(s, a, e, created, fr, res, ht, keys)) != SCRM_OK) {
            s->failed = 1;
            return st;
        }
    }
    return SCRM_OK;
}

SCRM_API int scrm_service_add(scrm_service *s, size_t n, const int64_t *created,
                              const int64_t *first_response, const int64_t *resolved,
                              const double *handle_time, const uint32_t *keys)
{
    if (!s)
        return scrm__error(SCRM_EINVAL, "scrm_service_add: 's' is NULL");
    return scrm__svc_add(s, n, created, first_response, resolved, handle_time, keys, 0,
                         "tickets", "scrm_service_add");
}
