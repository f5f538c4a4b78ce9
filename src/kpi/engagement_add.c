/* Engagement accumulator: the add paths (interactions and follower counts). */
#include "core/civil.h"
#include "kpi/engagement_state.h"
#include "num/hll.h"

#include <float.h>
#include <math.h>
#include <string.h>

static int check_rows(const scrm__eng_rows *r, size_t n, const char *fn)
{
    if (n == 0)
        return SCRM_OK;
    if (!r->times || !r->kinds || (!r->keys && !r->users))
        return scrm__error(SCRM_EINVAL, "%s: times, users and kinds must not be NULL", fn);
    for (size_t i = 0; i < n; i++) {
        int64_t t = r->times[i];
        if (t < SCRM__TIME_MIN || t > SCRM__TIME_MAX)
            return scrm__error(SCRM_ERANGE, "%s: row %zu: time %lld outside years 0001..9999",
                               fn, i, (long long)t);
        if (r->users && !r->users[i])
            return scrm__error(SCRM_EINVAL, "%s: row %zu: user is NULL", fn, i);
        if (r->kinds[i] < 0 || r->kinds[i] >= SCRM__ENG_K)
            return scrm__error(SCRM_EINVAL, "%s: row %zu: unknown kind %d", fn, i,
                               (int)r->kinds[i]);
        if (r->reach && !(r->reach[i] >= 0.0 && r->reach[i] <= DBL_MAX))
            return scrm__error(SCRM_EINVAL, "%s: row %zu: reach %g is not a finite number >= 0",
                               fn, i, r->reach[i]);
        if (r->impressions && !(r->impressions[i] >= 0.0 && r->impressions[i] <= DBL_MAX))
            return scrm__error(SCRM_EINVAL,
                               "%s: row %zu: impressions %g is not a finite number >= 0", fn, i,
                               r->impressions[i]);
        if (r->sentiment && !isnan(r->sentiment[i]) &&
            !(r->sentiment[i] >= -1.0 && r->sentiment[i] <= 1.0))
            return scrm__error(SCRM_EINVAL, "%s: row %zu: sentiment %g outside -1..1", fn, i,
                               r->sentiment[i]);
        if (r->competitor && r->competitor[i] != 0 && r->competitor[i] != 1)
            return scrm__error(SCRM_EINVAL, "%s: row %zu: competitor flag %d is not 0 or 1", fn,
                               i, (int)r->competitor[i]);
    }
    return SCRM_OK;
}

int scrm__eng_add_rows(scrm_engagement *e, const scrm__eng_rows *r, size_t n, const char *fn)
{
    int rc = check_rows(r, n, fn);
    if (rc)
        return rc;
    if (n == 0)
        return SCRM_OK;
    const bool pooled = e->opts.competitors == SCRM_ENGAGEMENT_COMPETITORS_POOLED;
    const uint32_t talking = e->opts.talking_kinds;
    /* Pass 1: create every day and sketch the rows need, so that running out
     * of memory adds nothing (reserved days stay empty and are ignored). */
    /* Rows usually come in time order: remember the current day's time span so
     * most rows skip the 64-bit division and the day lookup. */
    int64_t lo = 1, hi = 0; /* empty span */
    size_t di = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t t = r->times[i];
        if (t < lo || t >= hi) {
            int64_t day = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
            rc = scrm__eng_day_get(e, day, &di);
            if (rc)
                return rc;
            lo = day * SCRM_SECONDS_PER_DAY;
            hi = lo + SCRM_SECONDS_PER_DAY;
        }
        bool counted = !(r->competitor && r->competitor[i]) || pooled;
        if (counted && (talking >> r->kinds[i] & 1u) && !e->days[di].hll) {
            rc = scrm__eng_day_sketch(e, &e->days[di]);
            if (rc)
                return rc;
        }
    }
    /* Pass 2: accumulate; nothing can fail. */
    const double band = e->opts.neutral_band;
    const int p = e->p;
    lo = 1;
    hi = 0;
    scrm__eng_day *d = NULL;
    for (size_t i = 0; i < n; i++) {
        int64_t t = r->times[i];
        if (t < lo || t >= hi) {
            int64_t day = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
            (void)scrm__eng_day_get(e, day, &di); /* created in pass 1 */
            d = &e->days[di];
            lo = day * SCRM_SECONDS_PER_DAY;
            hi = lo + SCRM_SECONDS_PER_DAY;
        }
        int k = r->kinds[i];
        bool comp = r->competitor && r->competitor[i];
        if (comp)
            d->comp[k]++;
        else
            d->own[k]++;
        if (comp && !pooled)
            continue;
        if (r->reach)
            scrm__xsum_add(&d->reach, r->reach[i]);
        if (r->impressions)
            scrm__xsum_add(&d->impressions, r->impressions[i]);
        if (r->sentiment && !isnan(r->sentiment[i])) {
            double s = r->sentiment[i];
            scrm__xsum_add(&d->sentiment, s);
            if (s > band)
                d->pos++;
            else if (s < -band)
                d->neg++;
            else
                d->neu++;
        }
        if (talking >> k & 1u) {
            uint64_t key = r->keys ? r->keys[i]
                                   : scrm__hash64(r->users[i], strlen(r->users[i]), 0);
            scrm__hll_insert(d->hll, p, scrm__mix64(key));
        }
    }
    scrm__eng_touched(e);
    return SCRM_OK;
}

SCRM_API int scrm_engagement_add(scrm_engagement *e, const int64_t *times,
                                 const char *const *users, const int32_t *kinds,
                                 const double *reach, const double *impressions,
                                 const double *sentiment, const int8_t *competitor, size_t n)
{
    if (!e)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_add: 'e' is NULL");
    if (n && !users)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_add: 'users' is NULL");
    scrm__eng_rows r = {times, NULL, users, kinds, reach, impressions, sentiment, competitor};
    return scrm__eng_add_rows(e, &r, n, "scrm_engagement_add");
}

SCRM_API int scrm_engagement_add_keys(scrm_engagement *e, const int64_t *times,
                                      const uint64_t *user_keys, const int32_t *kinds,
                                      const double *reach, const double *impressions,
                                      const double *sentiment, const int8_t *competitor,
                                      size_t n)
{
    if (!e)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_add_keys: 'e' is NULL");
    if (n && !user_keys)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_add_keys: 'user_keys' is NULL");
    scrm__eng_rows r = {times, user_keys, NULL, kinds, reach, impressions, sentiment, competitor};
    return scrm__eng_add_rows(e, &r, n, "scrm_engagement_add_keys");
}

int scrm__eng_add_snaps(scrm_engagement *e, const int64_t *times, const uint64_t *channels,
                        const double *followers, size_t n, const char *fn)
{
    if (n == 0)
        return SCRM_OK;
    if (!times || !followers)
        return scrm__error(SCRM_EINVAL, "%s: times and followers must not be NULL", fn);
    for (size_t i = 0; i < n; i++) {
        if (times[i] < SCRM__TIME_MIN || times[i] > SCRM__TIME_MAX)
            return scrm__error(SCRM_ERANGE, "%s: row %zu: time %lld outside years 0001..9999",
                               fn, i, (long long)times[i]);
        if (!(followers[i] >= 0.0 && followers[i] <= DBL_MAX))
            return scrm__error(SCRM_EINVAL, "%s: row %zu: followers %g is not a finite number >= 0",
                               fn, i, followers[i]);
    }
    size_t total = e->n_snaps + n, bytes;
    if (total < n || scrm__mul_size(total, sizeof(scrm__eng_snap), &bytes))
        return SCRM_ENOMEM;
    scrm__eng_snap *v = scrm__malloc(bytes);
    if (!v)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory for %zu follower counts", fn, total);
    if (e->n_snaps)
        memcpy(v, e->snaps, e->n_snaps * sizeof *v);
    uint64_t unnamed = scrm__hash64("", 0, 0);
    for (size_t i = 0; i < n; i++) {
        scrm__eng_snap *s = &v[e->n_snaps + i];
        s->channel = channels ? channels[i] : unnamed;
        s->time = times[i];
        s->day = scrm__floor_div(times[i], SCRM_SECONDS_PER_DAY);
        s->followers = followers[i];
    }
    scrm__eng_snaps_install(e, v, total);
    return SCRM_OK;
}

SCRM_API int scrm_engagement_add_followers(scrm_engagement *e, const int64_t *times,
                                           const char *const *channels,
                                           const double *followers, size_t n)
{
    static const char fn[] = "scrm_engagement_add_followers";
    if (!e)
        return scrm__error(SCRM_EINVAL, "%s: 'e' is NULL", fn);
    if (n == 0)
        return SCRM_OK;
    uint64_t *keys = NULL;
    if (channels) {
        size_t bytes;
        if (scrm__mul_size(n, sizeof *keys, &bytes))
            return SCRM_ENOMEM;
        keys = scrm__malloc(bytes);
        if (!keys)
            return scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
        for (size_t i = 0; i < n; i++) {
            const char *c = channels[i] ? channels[i] : "";
            keys[i] = scrm__hash64(c, strlen(c), 0);
        }
    }
    int rc = scrm__eng_add_snaps(e, times, keys, followers, n, fn);
    scrm__free(keys);
    return rc;
}
