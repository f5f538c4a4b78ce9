/* Engagement accumulator: options, lifecycle, the per-day state and merge. */
#include "kpi/engagement_state.h"
#include "num/hll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ALL_KINDS ((1u << SCRM__ENG_K) - 1u)

SCRM_API int scrm_engagement_options_init(scrm_engagement_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_options_init: 'opts' is NULL");
    int rc = scrm__check_version(version, SCRM_ENGAGEMENT_OPTIONS_VERSION,
                                 "scrm_engagement_options_init");
    if (rc)
        return rc;
    scrm_engagement_options d = SCRM_ENGAGEMENT_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

int scrm__eng_check_options(const scrm_engagement_options *o, const char *fn)
{
    int rc = scrm__check_version(o->version, SCRM_ENGAGEMENT_OPTIONS_VERSION, fn);
    if (rc)
        return rc;
    if (o->period < SCRM_PERIOD_DAY || o->period > SCRM_PERIOD_YEAR)
        return scrm__error(SCRM_EINVAL, "%s: unknown period %d", fn, (int)o->period);
    if (o->engagement_kinds & ~ALL_KINDS)
        return scrm__error(SCRM_EINVAL, "%s: engagement_kinds 0x%x has unknown kind bits", fn,
                           (unsigned)o->engagement_kinds);
    if (o->talking_kinds == 0 || (o->talking_kinds & ~ALL_KINDS))
        return scrm__error(SCRM_EINVAL, "%s: talking_kinds 0x%x must be a non-empty kind mask",
                           fn, (unsigned)o->talking_kinds);
    if (o->sov_kinds == 0 || (o->sov_kinds & ~ALL_KINDS))
        return scrm__error(SCRM_EINVAL, "%s: sov_kinds 0x%x must be a non-empty kind mask", fn,
                           (unsigned)o->sov_kinds);
    if (o->competitors != SCRM_ENGAGEMENT_COMPETITORS_SOV_ONLY &&
        o->competitors != SCRM_ENGAGEMENT_COMPETITORS_POOLED)
        return scrm__error(SCRM_EINVAL, "%s: unknown competitors mode %d", fn,
                           (int)o->competitors);
    if (o->hll_precision < SCRM__HLL_P_MIN || o->hll_precision > SCRM__HLL_P_MAX)
        return scrm__error(SCRM_EINVAL, "%s: hll_precision %d outside %d..%d", fn,
                           (int)o->hll_precision, SCRM__HLL_P_MIN, SCRM__HLL_P_MAX);
    if (o->window_days < 1 || o->window_days > 366)
        return scrm__error(SCRM_EINVAL, "%s: window_days %d outside 1..366", fn,
                           (int)o->window_days);
    if (!(o->neutral_band >= 0.0 && o->neutral_band <= 1.0))
        return scrm__error(SCRM_EINVAL, "%s: neutral_band %g outside 0..1", fn, o->neutral_band);
    for (int k = 0; k < SCRM__ENG_K; k++)
        if (!isfinite(o->value[k]))
            return scrm__error(SCRM_EINVAL, "%s: value[%d] is not finite", fn, k);
    return SCRM_OK;
}

bool scrm__eng_same_options(const scrm_engagement_options *a, const scrm_engagement_options *b)
{
    if (a->period != b->period || a->engagement_kinds != b->engagement_kinds ||
        a->talking_kinds != b->talking_kinds || a->sov_kinds != b->sov_kinds ||
        a->competitors != b->competitors || a->hll_precision != b->hll_precision ||
        a->window_days != b->window_days || a->neutral_band != b->neutral_band)
        return false;
    for (int k = 0; k < SCRM__ENG_K; k++)
        if (a->value[k] != b->value[k])
            return false;
    if (!a->own_brand || !b->own_brand)
        return a->own_brand == b->own_brand;
    return strcmp(a->own_brand, b->own_brand) == 0;
}

int scrm__eng_create(scrm_engagement **out, const scrm_engagement_options *o)
{
    scrm_engagement *e = scrm__calloc(1, sizeof *e);
    if (!e)
        return scrm__error(SCRM_ENOMEM, "scrm_engagement_new: out of memory");
    e->opts = *o;
    e->opts.version = SCRM_ENGAGEMENT_OPTIONS_VERSION;
    if (o->own_brand) {
        size_t len = strlen(o->own_brand);
        e->own_brand = scrm__malloc(len + 1);
        if (!e->own_brand) {
            scrm__free(e);
            return scrm__error(SCRM_ENOMEM, "scrm_engagement_new: out of memory");
        }
        memcpy(e->own_brand, o->own_brand, len + 1);
    }
    e->opts.own_brand = e->own_brand;
    e->p = (int)o->hll_precision;
    e->m = (size_t)1 << e->p;
    *out = e;
    return SCRM_OK;
}

SCRM_API int scrm_engagement_new(scrm_engagement **out, const scrm_engagement_options *opts)
{
    if (!out)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_new: 'out' is NULL");
    *out = NULL;
    scrm_engagement_options d = SCRM_ENGAGEMENT_OPTIONS_INIT;
    if (!opts)
        opts = &d;
    int rc = scrm__eng_check_options(opts, "scrm_engagement_new");
    if (rc)
        return rc;
    return scrm__eng_create(out, opts);
}

void scrm__eng_exact_clear(scrm__eng_exact *x)
{
    scrm__free(x->day_users);
    scrm__free(x->day_window);
    scrm__free(x->period_users);
    scrm__free(x->period_window);
    memset(x, 0, sizeof *x);
}

void scrm__eng_touched(scrm_engagement *e)
{
    if (e->exact.valid)
        scrm__eng_exact_clear(&e->exact);
}

static void free_days(scrm_engagement *e)
{
    for (size_t i = 0; i < e->n_days; i++)
        scrm__free(e->days[i].hll);
    scrm__free(e->days);
    scrm__free(e->map);
    e->days = NULL;
    e->map = NULL;
    e->n_days = e->cap_days = e->map_cap = 0;
    e->last = 0;
}

SCRM_API void scrm_engagement_free(scrm_engagement *e)
{
    if (!e)
        return;
    free_days(e);
    scrm__free(e->snaps);
    scrm__eng_exact_clear(&e->exact);
    scrm__free(e->own_brand);
    scrm__free(e);
}

SCRM_API int scrm_engagement_get_options(const scrm_engagement *e, scrm_engagement_options *opts)
{
    if (!e || !opts)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_get_options: NULL argument");
    *opts = e->opts;
    return SCRM_OK;
}

SCRM_API int scrm_engagement_reset(scrm_engagement *e)
{
    if (!e)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_reset: 'e' is NULL");
    free_days(e);
    scrm__free(e->snaps);
    e->snaps = NULL;
    e->n_snaps = 0;
    scrm__eng_exact_clear(&e->exact);
    return SCRM_OK;
}

SCRM_API uint64_t scrm_engagement_hash(const char *str, size_t len)
{
    if (!str)
        len = 0;
    return scrm__hash64(str ? str : "", len, 0);
}

/* ---- days ---- */

static size_t slot_of(int64_t day, size_t cap)
{
    return (size_t)(scrm__mix64((uint64_t)day) & (cap - 1));
}

static int map_grow(scrm_engagement *e)
{
    size_t cap = e->map_cap ? e->map_cap * 2 : 64;
    size_t bytes;
    if (scrm__mul_size(cap, sizeof(uint32_t), &bytes))
        return SCRM_ENOMEM;
    uint32_t *map = scrm__calloc(cap, sizeof *map);
    if (!map)
        return scrm__error(SCRM_ENOMEM, "engagement: out of memory for the day index");
    for (size_t i = 0; i < e->n_days; i++) {
        size_t s = slot_of(e->days[i].day, cap);
        while (map[s])
            s = (s + 1) & (cap - 1);
        map[s] = (uint32_t)(i + 1);
    }
    scrm__free(e->map);
    e->map = map;
    e->map_cap = cap;
    return SCRM_OK;
}

int scrm__eng_day_get(scrm_engagement *e, int64_t day, size_t *index)
{
    if (e->last < e->n_days && e->days[e->last].day == day) {
        *index = e->last;
        return SCRM_OK;
    }
    if (e->map_cap) {
        size_t s = slot_of(day, e->map_cap);
        while (e->map[s]) {
            size_t i = e->map[s] - 1;
            if (e->days[i].day == day) {
                *index = e->last = i;
                return SCRM_OK;
            }
            s = (s + 1) & (e->map_cap - 1);
        }
    }
    if (e->n_days >= UINT32_MAX - 1)
        return scrm__error(SCRM_ELIMIT, "engagement: too many distinct days");
    if (e->n_days == e->cap_days) {
        size_t cap = e->cap_days ? e->cap_days * 2 : 16, bytes;
        if (scrm__mul_size(cap, sizeof *e->days, &bytes))
            return SCRM_ENOMEM;
        scrm__eng_day *d = scrm__realloc(e->days, bytes);
        if (!d)
            return scrm__error(SCRM_ENOMEM, "engagement: out of memory for days");
        e->days = d;
        e->cap_days = cap;
    }
    if ((e->n_days + 1) * 2 > e->map_cap) {
        int rc = map_grow(e);
        if (rc)
            return rc;
    }
    size_t i = e->n_days++;
    memset(&e->days[i], 0, sizeof e->days[i]);
    e->days[i].day = day;
    size_t s = slot_of(day, e->map_cap);
    while (e->map[s])
        s = (s + 1) & (e->map_cap - 1);
    e->map[s] = (uint32_t)(i + 1);
    *index = e->last = i;
    return SCRM_OK;
}

int scrm__eng_day_sketch(scrm_engagement *e, scrm__eng_day *d)
{
    if (d->hll)
        return SCRM_OK;
    d->hll = scrm__calloc(e->m, 1);
    if (!d->hll)
        return scrm__error(SCRM_ENOMEM, "engagement: out of memory for a %zu-register sketch",
                           e->m);
    return SCRM_OK;
}

bool scrm__eng_day_empty(const scrm__eng_day *d)
{
    for (int k = 0; k < SCRM__ENG_K; k++)
        if (d->own[k] || d->comp[k])
            return false;
    return true;
}

void scrm__eng_day_counted(const scrm_engagement *e, const scrm__eng_day *d,
                           uint64_t counted[SCRM__ENG_K])
{
    bool pooled = e->opts.competitors == SCRM_ENGAGEMENT_COMPETITORS_POOLED;
    for (int k = 0; k < SCRM__ENG_K; k++)
        counted[k] = d->own[k] + (pooled ? d->comp[k] : 0);
}

static int cmp_size(const void *a, const void *b, const scrm__eng_day *days)
{
    int64_t x = days[*(const size_t *)a].day, y = days[*(const size_t *)b].day;
    return (x > y) - (x < y);
}

/* qsort has no context argument in C11: a small insertion-merge sort instead. */
static void sort_indices(size_t *v, size_t n, const scrm__eng_day *days, size_t *tmp)
{
    if (n < 2)
        return;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            size_t x = v[i], j = i;
            while (j > 0 && cmp_size(&v[j - 1], &x, days) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    sort_indices(v, h, days, tmp);
    sort_indices(v + h, n - h, days, tmp);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_size(&v[j], &v[i], days) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

int scrm__eng_sorted_days(const scrm_engagement *e, size_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cnt = 0;
    for (size_t i = 0; i < e->n_days; i++)
        cnt += !scrm__eng_day_empty(&e->days[i]);
    if (!cnt)
        return SCRM_OK;
    size_t *v = scrm__calloc(cnt, sizeof *v), *tmp = scrm__calloc(cnt, sizeof *tmp);
    if (!v || !tmp) {
        scrm__free(v);
        scrm__free(tmp);
        return scrm__error(SCRM_ENOMEM, "engagement: out of memory sorting %zu days", cnt);
    }
    size_t k = 0;
    for (size_t i = 0; i < e->n_days; i++)
        if (!scrm__eng_day_empty(&e->days[i]))
            v[k++] = i;
    sort_indices(v, cnt, e->days, tmp);
    scrm__free(tmp);
    *out = v;
    *n = cnt;
    return SCRM_OK;
}

/* ---- follower snapshots ---- */

static int cmp_snap(const void *a, const void *b)
{
    const scrm__eng_snap *x = a, *y = b;
    if (x->channel != y->channel)
        return x->channel < y->channel ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return (x->followers > y->followers) - (x->followers < y->followers);
}

void scrm__eng_snaps_install(scrm_engagement *e, scrm__eng_snap *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_snap);
    /* Keep the last entry of each (channel, day): the latest time, and among
     * equal times the largest count (the sort puts it last). */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && v[k - 1].channel == v[i].channel && v[k - 1].day == v[i].day)
            v[k - 1] = v[i];
        else
            v[k++] = v[i];
    }
    scrm__free(e->snaps);
    e->snaps = v;
    e->n_snaps = k;
}

/* ---- merge ---- */

SCRM_API int scrm_engagement_merge(scrm_engagement *e, const scrm_engagement *other)
{
    if (!e || !other)
        return scrm__error(SCRM_EINVAL, "scrm_engagement_merge: NULL argument");
    if (!scrm__eng_same_options(&e->opts, &other->opts))
        return scrm__error(SCRM_EINVAL,
                           "scrm_engagement_merge: the accumulators have different options");
    /* Reserve every day and sketch first, so a failure changes no figure
     * (reserved days stay empty and are ignored). */
    size_t n_other = other->n_days;
    for (size_t j = 0; j < n_other; j++) {
        const scrm__eng_day *o = &other->days[j];
        if (scrm__eng_day_empty(o))
            continue;
        size_t i;
        int rc = scrm__eng_day_get(e, o->day, &i);
        if (!rc && o->hll)
            rc = scrm__eng_day_sketch(e, &e->days[i]);
        if (rc)
            return rc;
    }
    scrm__eng_snap *snaps = NULL;
    size_t n_snaps = e->n_snaps + other->n_snaps;
    if (other->n_snaps) {
        size_t bytes;
        if (scrm__mul_size(n_snaps, sizeof *snaps, &bytes))
            return SCRM_ENOMEM;
        snaps = scrm__malloc(bytes);
        if (!snaps)
            return scrm__error(SCRM_ENOMEM, "scrm_engagement_merge: out of memory");
        if (e->n_snaps)
            memcpy(snaps, e->snaps, e->n_snaps * sizeof *snaps);
        memcpy(snaps + e->n_snaps, other->snaps, other->n_snaps * sizeof *snaps);
    }
    for (size_t j = 0; j < n_other; j++) {
        const scrm__eng_day *o = &other->days[j];
        if (scrm__eng_day_empty(o))
            continue;
        size_t i;
        (void)scrm__eng_day_get(e, o->day, &i); /* reserved above: cannot fail */
        scrm__eng_day *d = &e->days[i];
        for (int k = 0; k < SCRM__ENG_K; k++) {
            d->own[k] += o->own[k];
            d->comp[k] += o->comp[k];
        }
        d->pos += o->pos;
        d->neu += o->neu;
        d->neg += o->neg;
        scrm__xsum_merge(&d->reach, &o->reach);
        scrm__xsum_merge(&d->impressions, &o->impressions);
        scrm__xsum_merge(&d->sentiment, &o->sentiment);
        if (o->hll)
            scrm__hll_union(d->hll, o->hll, e->m);
    }
    if (snaps)
        scrm__eng_snaps_install(e, snaps, n_snaps);
    scrm__eng_touched(e);
    return SCRM_OK;
}
