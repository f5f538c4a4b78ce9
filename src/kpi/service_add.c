/* scrm_service_add: validate a batch of tickets, then accumulate it.
 * Validation runs first over the whole batch so that a bad row leaves the
 * state untouched (compute, which starts from an empty state and discards it
 * on error, validates block by block instead: one read of the table). */
#include "service.h"

#include "civil.h"

#include <math.h>

#define TIME_OK(t) ((t) >= SCRM__TIME_MIN && (t) <= SCRM__TIME_MAX)

static int bad_time(const char *fn, const char *what, size_t row, const char *col, int64_t t)
{
    if (t == SCRM_TIME_NONE)
        return scrm__error(SCRM_EINVAL, "%s: %s row %zu: '%s' is missing", fn, what, row, col);
    return scrm__error(SCRM_EINVAL, "%s: %s row %zu: '%s' = %lld is outside years 0001..9999",
                       fn, what, row, col, (long long)t);
}

/* Find and report the first bad row (the slow path of validate()). */
static int report(size_t a, size_t n, const int64_t *created, const int64_t *fr,
                  const int64_t *res, const double *ht, const char *what, const char *fn)
{
    for (size_t i = a; i < n; i++) {
        int64_t c = created[i];
        if (!TIME_OK(c))
            return bad_time(fn, what, i, "created", c);
        if (fr && fr[i] != SCRM_TIME_NONE) {
            if (!TIME_OK(fr[i]))
                return bad_time(fn, what, i, "first_response", fr[i]);
            if (fr[i] < c)
                return scrm__error(SCRM_EINVAL,
                                   "%s: %s row %zu: first_response %lld is before created %lld "
                                   "(negative time to answer)",
                                   fn, what, i, (long long)fr[i], (long long)c);
        }
        if (res && res[i] != SCRM_TIME_NONE) {
            if (!TIME_OK(res[i]))
                return bad_time(fn, what, i, "resolved", res[i]);
            if (res[i] < c)
                return scrm__error(SCRM_EINVAL,
                                   "%s: %s row %zu: resolved %lld is before created %lld "
                                   "(negative time to resolution)",
                                   fn, what, i, (long long)res[i], (long long)c);
        }
        if (ht && !isnan(ht[i]) && !(ht[i] >= 0 && ht[i] <= 1e300))
            return scrm__error(SCRM_EINVAL,
                               "%s: %s row %zu: handle_time %g must be finite and >= 0 seconds",
                               fn, what, i, ht[i]);
    }
    return SCRM_OK;
}

/* Check of rows [a, n) without branches per row (the common case is a clean
 * batch); only a batch with a bad row pays for finding it. Missing times
 * (SCRM_TIME_NONE) are fine except in `created`; NaN handle times are fine
 * (every comparison with NaN is false). */
static int validate(size_t a, size_t n, const int64_t *created, const int64_t *fr,
                    const int64_t *res, const double *ht, const char *what, const char *fn)
{
    const int64_t lo = SCRM__TIME_MIN, hi = SCRM__TIME_MAX, none = SCRM_TIME_NONE;
    int bad = 0;
    for (size_t i = a; i < n; i++) {
        int64_t c = created[i];
        bad |= (c < lo) | (c > hi);
        if (fr) {
            int64_t f = fr[i];
            bad |= (f != none) & ((f < c) | (f > hi));
        }
        if (res) {
            int64_t r = res[i];
            bad |= (r != none) & ((r < c) | (r > hi));
        }
        if (ht)
            bad |= (ht[i] < 0.0) | (ht[i] > 1e300);
    }
    return bad ? report(a, n, created, fr, res, ht, what, fn) : SCRM_OK;
}

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
        if (ht && ht[i] == ht[i]) { /* not NaN */
            g->handled++;
            scrm__xsum_add(&g->handle, ht[i]);
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
    if (!blockwise && (st = validate(0, n, created, fr, res, ht, what, fn)) != SCRM_OK)
        return st;
    s->exact_valid = 0;
    for (size_t a = 0; a < n; a += BLOCK) {
        size_t e = n - a < BLOCK ? n : a + BLOCK;
        if (blockwise && (st = validate(a, e, created, fr, res, ht, what, fn)) != SCRM_OK)
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
