/* scrm_service: options, lifecycle, group table and merge. */
#include "kpi/service.h"

#include "core/civil.h"

#include <math.h>
#include <string.h>

SCRM_API int scrm_service_options_init(scrm_service_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "scrm_service_options_init: 'opts' is NULL");
    int st = scrm__check_version(version, SCRM_SERVICE_OPTIONS_VERSION, "scrm_service_options");
    if (st != SCRM_OK)
        return st;
    scrm_service_options d = SCRM_SERVICE_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

static int check_targets(uint32_t n, const double *t, const char *name, const char *fn)
{
    if (n > SCRM__NT)
        return scrm__error(SCRM_EINVAL, "%s: n_%s = %u exceeds %d", fn, name, (unsigned)n,
                           SCRM__NT);
    for (uint32_t k = 0; k < n; k++)
        if (!isfinite(t[k]) || t[k] < 0)
            return scrm__error(SCRM_EINVAL, "%s: %s[%u] = %g must be finite and >= 0 seconds",
                               fn, name, (unsigned)k, t[k]);
    return SCRM_OK;
}

int scrm__svc_options(const scrm_service_options *in, scrm_service_options *out, const char *fn)
{
    scrm_service_options d = SCRM_SERVICE_OPTIONS_INIT;
    if (in) {
        int st = scrm__check_version(in->version, SCRM_SERVICE_OPTIONS_VERSION,
                                     "scrm_service_options");
        if (st != SCRM_OK)
            return st;
        d = *in;
    }
    int st = check_targets(d.n_response_targets, d.response_targets, "response_targets", fn);
    if (st == SCRM_OK)
        st = check_targets(d.n_resolution_targets, d.resolution_targets, "resolution_targets", fn);
    if (st != SCRM_OK)
        return st;
    if (d.group_by < SCRM_SERVICE_GROUP_NONE || d.group_by > SCRM_SERVICE_GROUP_PERIOD)
        return scrm__error(SCRM_EINVAL, "%s: unknown group_by %d", fn, (int)d.group_by);
    if (d.group_by == SCRM_SERVICE_GROUP_PERIOD &&
        (d.period < SCRM_PERIOD_DAY || d.period > SCRM_PERIOD_YEAR))
        return scrm__error(SCRM_EINVAL, "%s: unknown period %d", fn, (int)d.period);
    if (d.now != SCRM_TIME_NONE && (d.now < SCRM__TIME_MIN || d.now > SCRM__TIME_MAX))
        return scrm__error(SCRM_EINVAL, "%s: now = %lld outside years 0001..9999", fn,
                           (long long)d.now);
    /* Canonical form, so that equal configurations compare (and merge) equal. */
    for (uint32_t k = d.n_response_targets; k < SCRM__NT; k++)
        d.response_targets[k] = 0.0;
    for (uint32_t k = d.n_resolution_targets; k < SCRM__NT; k++)
        d.resolution_targets[k] = 0.0;
    for (uint32_t k = 0; k < SCRM__NT; k++) { /* -0.0 == 0.0, but not bitwise */
        d.response_targets[k] += 0.0;
        d.resolution_targets[k] += 0.0;
    }
    if (d.group_by != SCRM_SERVICE_GROUP_PERIOD)
        d.period = 0;
    d.version = SCRM_SERVICE_OPTIONS_VERSION;
    *out = d;
    return SCRM_OK;
}

static uint64_t whole_seconds(double t)
{
    /* Durations are below 2^39 s; anything above 2^62 meets every target. */
    return t >= 4611686018427387904.0 ? UINT64_C(1) << 62 : (uint64_t)floor(t);
}

void scrm__svc_targets(scrm_service *s)
{
    for (int k = 0; k < SCRM__NT; k++) {
        s->resp_t[k] = whole_seconds(s->opts.response_targets[k]);
        s->res_t[k] = whole_seconds(s->opts.resolution_targets[k]);
    }
}

void scrm__svc_group_init(scrm__svc_group *g, int64_t key)
{
    memset(g, 0, sizeof *g);
    g->key = key;
    g->open_min = INT64_MAX;
    g->answer.min = g->resolution.min = UINT64_MAX;
    scrm__loghist_init(&g->answer.hist);
    scrm__loghist_init(&g->resolution.hist);
}

void scrm__svc_group_free(scrm__svc_group *g)
{
    scrm__loghist_free(&g->answer.hist);
    scrm__loghist_free(&g->resolution.hist);
}

static int dur_merge(scrm__svc_dur *d, const scrm__svc_dur *o)
{
    if (o->hist.n == 0)
        return SCRM_OK;
    int st = scrm__loghist_merge(&d->hist, &o->hist); /* first: it may fail */
    if (st != SCRM_OK)
        return st;
    scrm__u128_add(&d->sum, o->sum);
    d->min = o->min < d->min ? o->min : d->min; /* an empty d holds UINT64_MAX, 0 */
    d->max = o->max > d->max ? o->max : d->max;
    for (int k = 0; k < SCRM__NT; k++)
        d->met[k] += o->met[k];
    return SCRM_OK;
}

int scrm__svc_group_merge(scrm__svc_group *g, const scrm__svc_group *o)
{
    int st = dur_merge(&g->answer, &o->answer);
    if (st == SCRM_OK)
        st = dur_merge(&g->resolution, &o->resolution);
    if (st != SCRM_OK)
        return st;
    g->volume += o->volume;
    g->backlog += o->backlog;
    g->handled += o->handled;
    scrm__u128_add(&g->open_created, o->open_created);
    if (o->open_min < g->open_min)
        g->open_min = o->open_min;
    scrm__xsum_merge(&g->handle, &o->handle);
    return SCRM_OK;
}

static size_t slot_of(int64_t key, size_t n_slots)
{
    /* Fibonacci hashing: keys (ids, period starts) are far from random. */
    uint64_t h = (uint64_t)key * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & (n_slots - 1);
}

static int rehash(scrm_service *s, size_t n_slots)
{
    uint32_t *slots = scrm__calloc(n_slots, sizeof *slots);
    if (!slots)
        return scrm__error(SCRM_ENOMEM, "scrm_service: out of memory for %zu group slots",
                           n_slots);
    for (size_t i = 0; i < s->n_groups; i++) {
        size_t j = slot_of(s->groups[i].key, n_slots);
        while (slots[j])
            j = (j + 1) & (n_slots - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    scrm__free(s->slots);
    s->slots = slots;
    s->n_slots = n_slots;
    return SCRM_OK;
}

int scrm__svc_find(scrm_service *s, int64_t key, int create, size_t *idx)
{
    int direct = s->direct && key >= 0 && key < SCRM__SVC_DIRECT;
    if (direct && s->direct[key]) {
        *idx = s->direct[key] - 1u;
        return SCRM_OK;
    }
    if (s->last < s->n_groups && s->groups[s->last].key == key) {
        *idx = s->last;
        return SCRM_OK;
    }
    if (s->n_slots) {
        for (size_t j = slot_of(key, s->n_slots); s->slots[j]; j = (j + 1) & (s->n_slots - 1)) {
            size_t i = s->slots[j] - 1u;
            if (s->groups[i].key == key) {
                *idx = s->last = i;
                return SCRM_OK;
            }
        }
    }
    if (!create)
        return SCRM_ENOTFOUND;
    if (s->n_groups >= UINT32_MAX - 1)
        return scrm__error(SCRM_ELIMIT, "scrm_service: more than %u groups", UINT32_MAX - 1);
    if (s->n_groups == s->cap_groups) {
        size_t cap = s->cap_groups ? 2 * s->cap_groups : 8, bytes;
        if (scrm__mul_size(cap, sizeof *s->groups, &bytes) != SCRM_OK)
            return SCRM_ENOMEM;
        scrm__svc_group *g = scrm__realloc(s->groups, bytes);
        if (!g)
            return scrm__error(SCRM_ENOMEM, "scrm_service: out of memory for %zu groups", cap);
        s->groups = g;
        s->cap_groups = cap;
    }
    /* Keep the table at most half full. */
    if (2 * (s->n_groups + 1) > s->n_slots) {
        int st = rehash(s, s->n_slots ? 2 * s->n_slots : 16);
        if (st != SCRM_OK)
            return st;
    }
    size_t i = s->n_groups++;
    scrm__svc_group_init(&s->groups[i], key);
    size_t j = slot_of(key, s->n_slots);
    while (s->slots[j])
        j = (j + 1) & (s->n_slots - 1);
    s->slots[j] = (uint32_t)(i + 1);
    if (direct)
        s->direct[key] = (uint32_t)(i + 1);
    *idx = s->last = i;
    return SCRM_OK;
}

int scrm__svc_period_key(scrm_service *s, int64_t created, int64_t *key)
{
    if (created >= s->period_lo && created < s->period_hi) {
        *key = s->period_lo;
        return SCRM_OK;
    }
    int64_t lo, hi;
    int st = scrm_period_start(created, s->opts.period, &lo);
    if (st != SCRM_OK)
        return st;
    if (scrm_period_add(lo, s->opts.period, 1, &hi) != SCRM_OK)
        hi = SCRM__TIME_MAX + 1; /* the last period of year 9999 */
    s->period_lo = lo;
    s->period_hi = hi;
    *key = lo;
    return SCRM_OK;
}

void scrm__svc_clear(scrm_service *s)
{
    for (size_t i = 0; i < s->n_groups; i++)
        scrm__svc_group_free(&s->groups[i]);
    s->n_groups = 0;
    if (s->slots)
        memset(s->slots, 0, s->n_slots * sizeof *s->slots);
    if (s->direct)
        memset(s->direct, 0, SCRM__SVC_DIRECT * sizeof *s->direct);
    s->last = SIZE_MAX;
    s->period_lo = 1;
    s->period_hi = 0; /* empty cache */
    s->tmax = SCRM_TIME_NONE;
    s->failed = 0;
    scrm__free(s->exact);
    s->exact = NULL;
    s->exact_valid = 0;
}

SCRM_API int scrm_service_new(scrm_service **out, const scrm_service_options *opts)
{
    if (!out)
        return scrm__error(SCRM_EINVAL, "scrm_service_new: 'out' is NULL");
    *out = NULL;
    scrm_service_options o;
    int st = scrm__svc_options(opts, &o, "scrm_service_new");
    if (st != SCRM_OK)
        return st;
    scrm_service *s = scrm__calloc(1, sizeof *s);
    if (!s)
        return scrm__error(SCRM_ENOMEM, "scrm_service_new: out of memory");
    s->opts = o;
    if (o.group_by != SCRM_SERVICE_GROUP_NONE && o.group_by != SCRM_SERVICE_GROUP_PERIOD &&
        !(s->direct = scrm__calloc(SCRM__SVC_DIRECT, sizeof *s->direct))) {
        scrm__free(s);
        return scrm__error(SCRM_ENOMEM, "scrm_service_new: out of memory");
    }
    scrm__svc_targets(s);
    scrm__svc_clear(s);
    *out = s;
    return SCRM_OK;
}

SCRM_API void scrm_service_free(scrm_service *s)
{
    if (!s)
        return;
    scrm__svc_clear(s);
    scrm__free(s->groups);
    scrm__free(s->slots);
    scrm__free(s->direct);
    scrm__free(s);
}

SCRM_API int scrm_service_reset(scrm_service *s)
{
    if (!s)
        return scrm__error(SCRM_EINVAL, "scrm_service_reset: 's' is NULL");
    scrm__svc_clear(s);
    return SCRM_OK;
}

int scrm__svc_same_options(const scrm_service_options *a, const scrm_service_options *b)
{
    /* Field by field: padding bytes are not part of the value. Canonical
     * options hold +0.0 in unused slots, so == on the targets is exact. */
    if (a->n_response_targets != b->n_response_targets ||
        a->n_resolution_targets != b->n_resolution_targets || a->group_by != b->group_by ||
        a->period != b->period || a->now != b->now)
        return 0;
    for (int k = 0; k < SCRM__NT; k++)
        if (a->response_targets[k] != b->response_targets[k] ||
            a->resolution_targets[k] != b->resolution_targets[k])
            return 0;
    return 1;
}

SCRM_API int scrm_service_merge(scrm_service *s, const scrm_service *other)
{
    if (!s || !other)
        return scrm__error(SCRM_EINVAL, "scrm_service_merge: '%s' is NULL", s ? "other" : "s");
    if (s == other)
        return scrm__error(SCRM_EINVAL, "scrm_service_merge: cannot merge an accumulator into itself");
    if (s->failed || other->failed)
        return scrm__error(SCRM_ESTATE,
                           "scrm_service_merge: %s failed after running out of memory; reset it",
                           s->failed ? "'s'" : "'other'");
    if (!scrm__svc_same_options(&s->opts, &other->opts))
        return scrm__error(SCRM_EINVAL, "scrm_service_merge: the two accumulators have different options");
    s->exact_valid = 0;
    for (size_t i = 0; i < other->n_groups; i++) {
        size_t j;
        int st = scrm__svc_find(s, other->groups[i].key, 1, &j);
        if (st == SCRM_OK)
            st = scrm__svc_group_merge(&s->groups[j], &other->groups[i]);
        if (st != SCRM_OK) {
            s->failed = 1;
            return st;
        }
    }
    if (other->tmax > s->tmax)
        s->tmax = other->tmax;
    return SCRM_OK;
}
