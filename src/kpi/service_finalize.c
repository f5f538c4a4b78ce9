/* Reading results: per-group statistics, the overall merge, finalize and groups. */
#include "kpi/service.h"

#include "core/civil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Quantiles reported: median, p90, p95 as exact fractions. */
const uint32_t scrm__svc_qnum[3] = {1, 9, 19};
const uint32_t scrm__svc_qden[3] = {2, 10, 20};

void scrm__svc_quantile_ranks(uint64_t n, uint32_t num, uint32_t den, uint64_t *lo,
                              uint64_t *hi, double *frac)
{
    /* h = (n - 1) num / den in exact integer arithmetic (no overflow: the
     * quotient is split), so floor(h) is never off by one. */
    uint64_t m = n - 1, q = m / den, r = m % den;
    uint64_t whole = q * num + (r * num) / den, rem = (r * num) % den;
    *lo = whole;
    *hi = rem ? whole + 1 : whole;
    *frac = (double)rem / (double)den;
}

int64_t scrm__svc_now(const scrm_service *s)
{
    return s->opts.now != SCRM_TIME_NONE ? s->opts.now : s->tmax;
}

static void dur_stats(const scrm__svc_dur *d, const double *q, scrm_service_durations *out)
{
    out->n = d->hist.n;
    if (d->hist.n == 0) {
        out->mean = out->min = out->median = out->p90 = out->p95 = out->max = (double)NAN;
        return;
    }
    double lo = (double)d->min, hi = (double)d->max;
    out->mean = scrm__u128_to_double(d->sum) / (double)d->hist.n;
    out->min = lo;
    out->max = hi;
    double v[3];
    for (int k = 0; k < 3; k++) {
        if (q) {
            v[k] = q[k];
            continue;
        }
        uint64_t a, b;
        double frac;
        scrm__svc_quantile_ranks(d->hist.n, scrm__svc_qnum[k], scrm__svc_qden[k], &a, &b, &frac);
        double xa = scrm__loghist_order_stat(&d->hist, a, lo, hi);
        double xb = b == a ? xa : scrm__loghist_order_stat(&d->hist, b, lo, hi);
        v[k] = xa + frac * (xb - xa);
    }
    out->median = v[0];
    out->p90 = v[1];
    out->p95 = v[2];
}

void scrm__svc_stats(const scrm_service *s, const scrm__svc_group *g, const double *q,
                     scrm_service_stats *out)
{
    memset(out, 0, sizeof *out);
    out->key = g->key;
    out->volume = g->volume;
    out->responded = g->answer.hist.n;
    out->unanswered = g->volume - g->answer.hist.n;
    out->resolved = g->resolution.hist.n;
    out->unresolved = g->volume - g->resolution.hist.n;
    double vol = (double)g->volume;
    out->response_rate = g->volume ? (double)out->responded / vol : 0.0;
    out->resolution_rate = g->volume ? (double)out->resolved / vol : 0.0;
    out->backlog = g->backlog;
    if (g->backlog) {
        /* sum of ages = backlog (now - TIME_MIN) - sum (created - TIME_MIN), exact. */
        int64_t now = scrm__svc_now(s);
        scrm__u128 total = scrm__u128_mul64(g->backlog, (uint64_t)(now - SCRM__TIME_MIN));
        scrm__u128 ages = scrm__u128_sub(total, g->open_created);
        out->backlog_mean_age = scrm__u128_to_double(ages) / (double)g->backlog;
        out->backlog_max_age = (double)(now - g->open_min);
    } else {
        out->backlog_mean_age = out->backlog_max_age = (double)NAN;
    }
    dur_stats(&g->answer, q, &out->answer);
    dur_stats(&g->resolution, q ? q + 3 : NULL, &out->resolution);
    for (uint32_t k = 0; k < s->opts.n_response_targets; k++) {
        out->response_sla_met[k] = g->answer.met[k];
        out->response_sla[k] = g->volume ? (double)g->answer.met[k] / vol : 0.0;
    }
    for (uint32_t k = 0; k < s->opts.n_resolution_targets; k++) {
        out->resolution_sla_met[k] = g->resolution.met[k];
        out->resolution_sla[k] = g->volume ? (double)g->resolution.met[k] / vol : 0.0;
    }
    out->handled = g->handled;
    out->handle_time_total = scrm__xsum_value(&g->handle);
    out->handle_time_mean = g->handled ? out->handle_time_total / (double)g->handled : (double)NAN;
}

int scrm__svc_overall(const scrm_service *s, scrm__svc_group *all)
{
    scrm__svc_group_init(all, 0);
    for (size_t i = 0; i < s->n_groups; i++) {
        int st = scrm__svc_group_merge(all, &s->groups[i]);
        if (st != SCRM_OK) {
            scrm__svc_group_free(all);
            return st;
        }
    }
    all->key = 0;
    return SCRM_OK;
}

typedef struct keyed {
    int64_t key;
    size_t idx;
} keyed;

static int by_key(const void *a, const void *b)
{
    int64_t x = ((const keyed *)a)->key, y = ((const keyed *)b)->key;
    return (x > y) - (x < y);
}

int scrm__svc_order(const scrm_service *s, size_t **order)
{
    *order = NULL;
    size_t n = s->n_groups, bytes;
    if (n == 0)
        return SCRM_OK;
    if (scrm__mul_size(n, sizeof(keyed), &bytes) != SCRM_OK)
        return SCRM_ENOMEM;
    keyed *k = scrm__malloc(bytes);
    size_t *o = scrm__malloc(n * sizeof *o);
    if (!k || !o) {
        scrm__free(k);
        scrm__free(o);
        return scrm__error(SCRM_ENOMEM, "scrm_service: out of memory ordering %zu groups", n);
    }
    for (size_t i = 0; i < n; i++) {
        k[i].key = s->groups[i].key;
        k[i].idx = i;
    }
    qsort(k, n, sizeof *k, by_key); /* keys are unique: the order is total */
    for (size_t i = 0; i < n; i++)
        o[i] = k[i].idx;
    scrm__free(k);
    *order = o;
    return SCRM_OK;
}

static void fill_header(const scrm_service *s, scrm_service_result *out)
{
    memset(out, 0, sizeof *out);
    out->now = scrm__svc_now(s);
    out->n_groups = s->n_groups;
    out->group_by = s->opts.group_by;
    out->period = s->opts.period;
    out->quantiles_exact = s->exact_valid;
    out->n_response_targets = s->opts.n_response_targets;
    out->n_resolution_targets = s->opts.n_resolution_targets;
    for (int k = 0; k < SCRM__NT; k++) {
        out->response_targets[k] = s->opts.response_targets[k];
        out->resolution_targets[k] = s->opts.resolution_targets[k];
    }
}

SCRM_API int scrm_service_finalize(const scrm_service *s, scrm_service_result *out)
{
    if (!s || !out)
        return scrm__error(SCRM_EINVAL, "scrm_service_finalize: '%s' is NULL", s ? "out" : "s");
    if (s->failed)
        return scrm__error(SCRM_ESTATE,
                           "scrm_service_finalize: the accumulator failed after running out of memory; reset it");
    fill_header(s, out);
    if (s->n_groups == 0)
        return scrm__error(SCRM_ENODATA, "scrm_service_finalize: no tickets were added");
    const double *q = s->exact_valid ? s->exact + SCRM__SVC_NQ * s->n_groups : NULL;
    if (s->opts.group_by == SCRM_SERVICE_GROUP_NONE) {
        scrm__svc_stats(s, &s->groups[0], q, &out->overall);
        return SCRM_OK;
    }
    scrm__svc_group all;
    int st = scrm__svc_overall(s, &all);
    if (st != SCRM_OK)
        return st;
    scrm__svc_stats(s, &all, q, &out->overall);
    scrm__svc_group_free(&all);
    return SCRM_OK;
}

SCRM_API int scrm_service_groups(const scrm_service *s, scrm_service_stats *out, size_t cap,
                                 size_t *out_len)
{
    if (!s || !out_len)
        return scrm__error(SCRM_EINVAL, "scrm_service_groups: '%s' is NULL", s ? "out_len" : "s");
    if (!out && cap > 0)
        return scrm__error(SCRM_EINVAL, "scrm_service_groups: 'out' is NULL with cap %zu", cap);
    if (s->failed)
        return scrm__error(SCRM_ESTATE,
                           "scrm_service_groups: the accumulator failed after running out of memory; reset it");
    *out_len = s->n_groups;
    if (cap < s->n_groups)
        return scrm__error(SCRM_EBUFS, "scrm_service_groups: room for %zu groups, %zu needed", cap,
                           s->n_groups);
    size_t *order;
    int st = scrm__svc_order(s, &order);
    if (st != SCRM_OK)
        return st;
    for (size_t i = 0; i < s->n_groups; i++) {
        size_t g = order[i];
        scrm__svc_stats(s, &s->groups[g], s->exact_valid ? s->exact + SCRM__SVC_NQ * g : NULL,
                        &out[i]);
    }
    scrm__free(order);
    return SCRM_OK;
}
