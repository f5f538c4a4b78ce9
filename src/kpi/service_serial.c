/* scrm_service_serialize / _deserialize: the accumulator as a byte string in
 * the common envelope (kind SCRM__KIND_SERVICE). Groups are written in key
 * order and every part in canonical form, so equal states give equal bytes.
 *
 * Format 1 payload:
 *   options: u32 n_resp, 4 f64, u32 n_res, 4 f64, u32 group_by, u32 period, i64 now
 *   i64 tmax, varint n_groups, then per group (increasing key):
 *   i64 key, varint volume, backlog, handled, u64 open_created lo, hi, i64 open_min,
 *   answer, resolution: histogram, u64 sum lo, hi, varint min, max, n_targets x varint met
 *   exact handle-time sum. */
#include "kpi/service.h"

#include "core/civil.h"
#include "core/varint.h"

#include <math.h>
#include <string.h>

#define FORMAT 1
#define WHAT "scrm_service_deserialize"

static void write_dur(scrm__writer *w, const scrm__svc_dur *d, uint32_t nt)
{
    scrm__loghist_write(w, &d->hist);
    scrm__put_u64(w, d->sum.lo);
    scrm__put_u64(w, d->sum.hi);
    scrm__put_varint(w, d->hist.n ? d->min : 0);
    scrm__put_varint(w, d->hist.n ? d->max : 0);
    for (uint32_t k = 0; k < nt; k++)
        scrm__put_varint(w, d->met[k]);
}

SCRM_API int scrm_service_serialize(const scrm_service *s, uint8_t *buf, size_t cap,
                                    size_t *out_len)
{
    if (!s || !out_len)
        return scrm__error(SCRM_EINVAL, "scrm_service_serialize: '%s' is NULL",
                           s ? "out_len" : "s");
    if (s->failed)
        return scrm__error(SCRM_ESTATE,
                           "scrm_service_serialize: the accumulator failed after running out of memory; reset it");
    size_t *order;
    int st = scrm__svc_order(s, &order);
    if (st != SCRM_OK)
        return st;
    const scrm_service_options *o = &s->opts;
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_SERVICE, FORMAT);
    scrm__put_u32(&w, o->n_response_targets);
    for (int k = 0; k < SCRM__NT; k++)
        scrm__put_f64(&w, o->response_targets[k]);
    scrm__put_u32(&w, o->n_resolution_targets);
    for (int k = 0; k < SCRM__NT; k++)
        scrm__put_f64(&w, o->resolution_targets[k]);
    scrm__put_u32(&w, (uint32_t)o->group_by);
    scrm__put_u32(&w, (uint32_t)o->period);
    scrm__put_i64(&w, o->now);
    scrm__put_i64(&w, s->tmax);
    scrm__put_varint(&w, s->n_groups);
    for (size_t i = 0; i < s->n_groups; i++) {
        const scrm__svc_group *g = &s->groups[order[i]];
        scrm__put_i64(&w, g->key);
        scrm__put_varint(&w, g->volume);
        scrm__put_varint(&w, g->backlog);
        scrm__put_varint(&w, g->handled);
        scrm__put_u64(&w, g->open_created.lo);
        scrm__put_u64(&w, g->open_created.hi);
        scrm__put_i64(&w, g->backlog ? g->open_min : INT64_MAX);
        write_dur(&w, &g->answer, o->n_response_targets);
        write_dur(&w, &g->resolution, o->n_resolution_targets);
        scrm__svc_xsum_write(&w, &g->handle);
    }
    scrm__free(order);
    return scrm__envelope_end(&w, out_len, "scrm_service_serialize");
}

static int corrupt(size_t group, const char *why)
{
    return scrm__error(SCRM_ECORRUPT, WHAT ": group %zu: %s", group, why);
}

/* Durations are differences of times in years 0001..9999. */
#define MAX_DURATION ((uint64_t)(SCRM__TIME_MAX - SCRM__TIME_MIN))

static int read_dur(scrm__reader *r, scrm__svc_dur *d, uint32_t nt, uint64_t volume, size_t gi)
{
    int st = scrm__loghist_read(r, &d->hist, WHAT);
    if (st != SCRM_OK)
        return st;
    d->sum.lo = scrm__get_u64(r);
    d->sum.hi = scrm__get_u64(r);
    d->min = scrm__get_varint(r);
    d->max = scrm__get_varint(r);
    for (uint32_t k = 0; k < nt; k++)
        d->met[k] = scrm__get_varint(r);
    if (r->failed)
        return corrupt(gi, "truncated duration");
    uint64_t n = d->hist.n;
    if (n > volume)
        return corrupt(gi, "more durations than tickets");
    for (uint32_t k = 0; k < nt; k++)
        if (d->met[k] > n)
            return corrupt(gi, "more SLA hits than durations");
    if (n == 0) {
        if (d->sum.lo || d->sum.hi || d->min || d->max)
            return corrupt(gi, "sums of an empty duration");
        d->min = UINT64_MAX; /* the empty state's minimum */
        return SCRM_OK;
    }
    if (d->min > d->max || d->max > MAX_DURATION)
        return corrupt(gi, "duration range");
    /* min and max must lie in the histogram's first and last buckets. */
    uint32_t first = scrm__loghist_index(d->min), last = scrm__loghist_index(d->max);
    if (first < d->hist.lo || last >= d->hist.hi || d->hist.counts[first - d->hist.lo] == 0 ||
        d->hist.counts[last - d->hist.lo] == 0)
        return corrupt(gi, "duration range disagrees with the histogram");
    for (uint32_t i = d->hist.lo; i < first; i++)
        if (d->hist.counts[i - d->hist.lo])
            return corrupt(gi, "histogram below the minimum");
    for (uint32_t i = last + 1; i < d->hist.hi; i++)
        if (d->hist.counts[i - d->hist.lo])
            return corrupt(gi, "histogram above the maximum");
    /* n min <= sum <= n max */
    scrm__u128 lo = scrm__u128_mul64(n, d->min), hi = scrm__u128_mul64(n, d->max);
    if (d->sum.hi < lo.hi || (d->sum.hi == lo.hi && d->sum.lo < lo.lo) || d->sum.hi > hi.hi ||
        (d->sum.hi == hi.hi && d->sum.lo > hi.lo))
        return corrupt(gi, "duration sum outside n min .. n max");
    return SCRM_OK;
}

static int read_group(scrm__reader *r, scrm_service *s, size_t gi, int64_t prev_key)
{
    int64_t key = scrm__get_i64(r);
    uint64_t volume = scrm__get_varint(r), backlog = scrm__get_varint(r),
             handled = scrm__get_varint(r);
    scrm__u128 oc;
    oc.lo = scrm__get_u64(r);
    oc.hi = scrm__get_u64(r);
    int64_t open_min = scrm__get_i64(r);
    if (r->failed)
        return corrupt(gi, "truncated");
    if (gi > 0 && key <= prev_key)
        return corrupt(gi, "keys not strictly increasing");
    int32_t by = s->opts.group_by;
    if ((by == SCRM_SERVICE_GROUP_NONE && key != 0) ||
        (by != SCRM_SERVICE_GROUP_NONE && by != SCRM_SERVICE_GROUP_PERIOD &&
         (key < 0 || key > (int64_t)UINT32_MAX)) ||
        (by == SCRM_SERVICE_GROUP_PERIOD && (key < SCRM__TIME_MIN || key > SCRM__TIME_MAX)))
        return corrupt(gi, "key out of range for the grouping");
    if (volume == 0 || backlog > volume || handled > volume)
        return corrupt(gi, "inconsistent counts");
    if (backlog == 0 ? (oc.lo || oc.hi || open_min != INT64_MAX)
                     : (open_min < SCRM__TIME_MIN || open_min > SCRM__TIME_MAX))
        return corrupt(gi, "inconsistent backlog");
    size_t idx;
    int st = scrm__svc_find(s, key, 1, &idx);
    if (st != SCRM_OK)
        return st;
    scrm__svc_group *g = &s->groups[idx];
    g->volume = volume;
    g->backlog = backlog;
    g->handled = handled;
    g->open_created = oc;
    g->open_min = open_min;
    if (backlog) {
        scrm__u128 lo = scrm__u128_mul64(backlog, (uint64_t)(open_min - SCRM__TIME_MIN));
        scrm__u128 hi = scrm__u128_mul64(backlog, MAX_DURATION);
        if (oc.hi < lo.hi || (oc.hi == lo.hi && oc.lo < lo.lo) || oc.hi > hi.hi ||
            (oc.hi == hi.hi && oc.lo > hi.lo))
            return corrupt(gi, "backlog creation sum out of range");
        /* The latest time seen bounds every open ticket's creation. */
        if (s->tmax < open_min)
            return corrupt(gi, "backlog created after the latest time seen");
    }
    if ((st = read_dur(r, &g->answer, s->opts.n_response_targets, volume, gi)) != SCRM_OK ||
        (st = read_dur(r, &g->resolution, s->opts.n_resolution_targets, volume, gi)) != SCRM_OK)
        return st;
    if ((st = scrm__svc_xsum_read(r, &g->handle, WHAT)) != SCRM_OK)
        return st;
    if (handled == 0 && scrm__xsum_value(&g->handle) != 0.0)
        return corrupt(gi, "handle time without handled tickets");
    return SCRM_OK;
}

/* Smallest encoded group: key 8, 3 varints, 16 + 8, 2 x (2 + 16 + 2 + nt),
 * xsum 2. Used to reject absurd group counts before allocating. */
#define MIN_GROUP_BYTES 61u

SCRM_API int scrm_service_deserialize(scrm_service **out, const uint8_t *buf, size_t len)
{
    if (!out)
        return scrm__error(SCRM_EINVAL, WHAT ": 'out' is NULL");
    *out = NULL;
    if (!buf)
        return scrm__error(SCRM_EINVAL, WHAT ": 'buf' is NULL");
    scrm__reader r;
    uint16_t version;
    int st = scrm__envelope_open(&r, buf, len, SCRM__KIND_SERVICE, FORMAT, &version, WHAT);
    if (st != SCRM_OK)
        return st;
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.n_response_targets = scrm__get_u32(&r);
    for (int k = 0; k < SCRM__NT; k++)
        o.response_targets[k] = scrm__get_f64(&r);
    o.n_resolution_targets = scrm__get_u32(&r);
    for (int k = 0; k < SCRM__NT; k++)
        o.resolution_targets[k] = scrm__get_f64(&r);
    o.group_by = (int32_t)scrm__get_u32(&r);
    o.period = (int32_t)scrm__get_u32(&r);
    o.now = scrm__get_i64(&r);
    int64_t tmax = scrm__get_i64(&r);
    uint64_t n_groups = scrm__get_varint(&r);
    if (r.failed)
        return scrm__error(SCRM_ECORRUPT, WHAT ": truncated header");
    scrm_service_options canon;
    if (scrm__svc_options(&o, &canon, WHAT) != SCRM_OK || !scrm__svc_same_options(&o, &canon))
        return scrm__error(SCRM_ECORRUPT, WHAT ": stored options are invalid");
    if (n_groups > scrm__reader_left(&r) / MIN_GROUP_BYTES)
        return scrm__error(SCRM_ECORRUPT, WHAT ": %llu groups cannot fit in %zu bytes",
                           (unsigned long long)n_groups, scrm__reader_left(&r));
    if ((n_groups == 0) != (tmax == SCRM_TIME_NONE) ||
        (tmax != SCRM_TIME_NONE && (tmax < SCRM__TIME_MIN || tmax > SCRM__TIME_MAX)))
        return scrm__error(SCRM_ECORRUPT, WHAT ": latest time %lld inconsistent", (long long)tmax);
    scrm_service *s;
    if ((st = scrm_service_new(&s, &canon)) != SCRM_OK)
        return st;
    s->tmax = tmax;
    int64_t prev = 0;
    for (size_t i = 0; i < n_groups && st == SCRM_OK; i++) {
        st = read_group(&r, s, i, prev);
        if (st == SCRM_OK)
            prev = s->groups[s->n_groups - 1].key;
    }
    if (st == SCRM_OK)
        st = scrm__reader_close(&r, WHAT);
    if (st != SCRM_OK) {
        scrm_service_free(s);
        return st == SCRM_ENOMEM ? st : SCRM_ECORRUPT;
    }
    *out = s;
    return SCRM_OK;
}
