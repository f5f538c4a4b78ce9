/* scrm_service_compute: one pass over the tickets table through the
 * accumulator, then exact quantiles.
 *
 * Exact quantiles without sorting every duration: the accumulator's
 * histogram tells, for each wanted order statistic, which bucket holds it and
 * how many values lie below that bucket. Buckets under 128 s hold a single
 * value, so those order statistics are already exact. For the others a second
 * pass collects only the durations falling in those buckets, and a selection
 * finds the wanted rank among them. Memory is the size of those buckets
 * (at most about 3 % of the value range each), not of the table. */
#include "kpi/service.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct target {
    uint64_t vlo, vhi; /* the bucket's value range */
    uint32_t bucket;
    uint64_t before; /* values in lower buckets */
    uint64_t count;  /* values in this bucket */
    size_t off, fill;
} target;

/* Targets of one (slot, duration): at most 6 order statistics, so 6 buckets. */
typedef struct want {
    uint32_t first, n;
} want;

#define MAX_T 6

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* k-th smallest (0-based) of a[0..n): quickselect with three-way partitions
 * (durations repeat a lot), falling back to a sort if the pivots are poor. */
static uint64_t select_k(uint64_t *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    int budget = 64;
    while (hi - lo > 16) {
        if (budget-- == 0) {
            qsort(a + lo, hi - lo, sizeof *a, cmp_u64);
            return a[k];
        }
        uint64_t x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
        uint64_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            uint64_t v = a[i];
            if (v < p) {
                a[i++] = a[lt];
                a[lt++] = v;
            } else if (v > p) {
                a[i] = a[--gt];
                a[gt] = v;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return p;
    }
    qsort(a + lo, hi - lo, sizeof *a, cmp_u64);
    return a[k];
}

typedef struct plan {
    target t[MAX_T * 2];
    want w[2];
} plan;

static void plan_dur(const scrm__svc_dur *d, target *t, want *w, uint32_t first)
{
    w->first = first;
    w->n = 0;
    if (d->hist.n == 0)
        return;
    for (int k = 0; k < 3; k++) {
        uint64_t r[2];
        double frac;
        scrm__svc_quantile_ranks(d->hist.n, scrm__svc_qnum[k], scrm__svc_qden[k], &r[0], &r[1],
                                 &frac);
        for (int j = 0; j < 2; j++) {
            uint64_t before;
            uint32_t b = scrm__loghist_rank_bucket(&d->hist, r[j], &before);
            if (b < SCRM__LOGHIST_EXACT)
                continue; /* one value per bucket: already exact */
            uint32_t m = 0;
            while (m < w->n && t[m].bucket != b)
                m++;
            if (m < w->n)
                continue;
            t[w->n].bucket = b;
            t[w->n].before = before;
            t[w->n].count = d->hist.counts[b - d->hist.lo];
            t[w->n].fill = 0;
            scrm__loghist_bounds(b, &t[w->n].vlo, &t[w->n].vhi);
            w->n++;
        }
    }
}

static double order_stat(const scrm__svc_dur *d, const plan *p, int m, uint64_t *pool,
                         uint64_t rank)
{
    uint64_t before;
    uint32_t b = scrm__loghist_rank_bucket(&d->hist, rank, &before);
    if (b < SCRM__LOGHIST_EXACT)
        return (double)b;
    const want *w = &p->w[m];
    for (uint32_t j = 0; j < w->n; j++) {
        const target *t = &p->t[w->first + j];
        if (t->bucket == b)
            return (double)select_k(pool + t->off, t->count, rank - t->before);
    }
    return (double)NAN; /* unreachable: every such bucket was planned */
}

/* Keep v if it falls in one of the planned buckets. Each bucket is tested
 * with one unsigned compare, v - lo <= hi - lo, which is false for all but a
 * few percent of the values and so almost always predicted right (a range
 * test spanning the buckets is true for half the values, unpredictably). */
static inline void collect(plan *p, int m, uint64_t v, uint64_t *pool)
{
    const want *w = &p->w[m];
    for (uint32_t j = 0; j < w->n; j++) {
        target *t = &p->t[w->first + j];
        if (v - t->vlo <= t->vhi - t->vlo) {
            if (t->fill < t->count) /* always, for the table the histogram came from */
                pool[t->off + t->fill++] = v;
            return;
        }
    }
}

typedef struct columns {
    size_t n;
    const int64_t *created, *fr, *res;
    const double *ht;
    const uint32_t *keys;
} columns;

/* The collection pass reads only created, first_response and resolved and
 * first tests each duration against a few value ranges covering every
 * planned bucket (the planned buckets themselves without grouping; with
 * grouping, those of every group and of the overall result, merged). Only the
 * rare rows with a duration in a range (a few percent) take the exact path
 * (group lookup, bucket tests). The test is branch-free over four rows at a
 * time with AVX2 when the CPU has it, else over one row.
 *
 * A missing end (SCRM_TIME_NONE = INT64_MIN) gives a difference of at least
 * 2^63 - 2^38 (negative as int64 when created < 0), never within a range of
 * real durations (below 2^39): no test on it. */
#define MAX_F 6 /* ranges per duration kind */

typedef struct ranges {
    uint32_t n;
    int64_t lo[MAX_F], hi[MAX_F];
} ranges;

typedef struct span {
    uint64_t lo, hi;
} span;

static int by_lo(const void *a, const void *b)
{
    uint64_t x = ((const span *)a)->lo, y = ((const span *)b)->lo;
    return (x > y) - (x < y);
}

/* Ranges of kind m covering the planned buckets of plans[0..S): sorted,
 * overlaps joined, then the closest neighbours joined until MAX_F remain
 * (a wider range only sends more rows to the exact path). */
static int build_ranges(const plan *plans, size_t S, int m, ranges *r)
{
    size_t n = 0, bytes;
    for (size_t g = 0; g < S; g++)
        n += plans[g].w[m].n;
    r->n = 0;
    if (n == 0)
        return SCRM_OK;
    span *sp;
    if (scrm__mul_size(n, sizeof *sp, &bytes) != SCRM_OK || !(sp = scrm__malloc(bytes)))
        return scrm__error(SCRM_ENOMEM, "scrm_service_compute: out of memory for %zu ranges", n);
    n = 0;
    for (size_t g = 0; g < S; g++)
        for (uint32_t j = 0; j < plans[g].w[m].n; j++) {
            const target *t = &plans[g].t[plans[g].w[m].first + j];
            sp[n].lo = t->vlo;
            sp[n++].hi = t->vhi;
        }
    qsort(sp, n, sizeof *sp, by_lo);
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (sp[i].lo <= sp[k].hi + 1) {
            if (sp[i].hi > sp[k].hi)
                sp[k].hi = sp[i].hi;
        } else {
            sp[++k] = sp[i];
        }
    }
    n = k + 1;
    while (n > MAX_F) {
        size_t best = 0;
        for (size_t i = 1; i + 1 < n; i++)
            if (sp[i + 1].lo - sp[i].hi < sp[best + 1].lo - sp[best].hi)
                best = i;
        sp[best].hi = sp[best + 1].hi;
        memmove(sp + best + 1, sp + best + 2, (n - best - 2) * sizeof *sp);
        n--;
    }
    for (size_t i = 0; i < n; i++) { /* bucket bounds are below 2^64 / 2: exact as int64 */
        r->lo[i] = (int64_t)sp[i].lo;
        r->hi[i] = (int64_t)sp[i].hi;
    }
    r->n = (uint32_t)n;
    scrm__free(sp);
    return SCRM_OK;
}

static inline int in_ranges(const ranges *r, uint64_t v)
{
    int in = 0;
    for (uint32_t j = 0; j < r->n; j++)
        in |= v - (uint64_t)r->lo[j] <= (uint64_t)(r->hi[j] - r->lo[j]);
    return in;
}

typedef struct pass {
    scrm_service *s;
    const columns *c;
    plan *plans;
    size_t G;
    int grouped;
    uint64_t *pool;
    ranges r[2];
} pass;

/* The exact path for row i. */
static int visit(pass *p, size_t i)
{
    const columns *c = p->c;
    size_t g = 0;
    if (p->grouped) {
        scrm_service *s = p->s;
        int64_t key = c->keys ? (int64_t)c->keys[i] : 0;
        if (s->opts.group_by == SCRM_SERVICE_GROUP_PERIOD) {
            int st = scrm__svc_period_key(s, c->created[i], &key);
            if (st != SCRM_OK)
                return st;
        }
        if (s->direct && key >= 0 && key < SCRM__SVC_DIRECT && s->direct[key])
            g = s->direct[key] - 1u;
        else if (scrm__svc_find(s, key, 0, &g) != SCRM_OK)
            return scrm__error(SCRM_ESTATE, "scrm_service_compute: group of row %zu vanished", i);
    }
    uint64_t cr = (uint64_t)c->created[i];
    for (int m = 0; m < 2; m++) {
        const int64_t *end = m ? c->res : c->fr;
        if (!end)
            continue;
        uint64_t v = (uint64_t)end[i] - cr;
        collect(&p->plans[g], m, v, p->pool);
        if (p->grouped)
            collect(&p->plans[p->G], m, v, p->pool);
    }
    return SCRM_OK;
}

static int scan_portable(pass *p, size_t a, size_t e)
{
    const int64_t *cr = p->c->created, *fr = p->c->fr, *rs = p->c->res;
    for (size_t i = a; i < e; i++) {
        int in = 0;
        if (fr)
            in |= in_ranges(&p->r[0], (uint64_t)fr[i] - (uint64_t)cr[i]);
        if (rs)
            in |= in_ranges(&p->r[1], (uint64_t)rs[i] - (uint64_t)cr[i]);
        if (in) {
            int st = visit(p, i);
            if (st != SCRM_OK)
                return st;
        }
    }
    return SCRM_OK;
}

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#  define SCRM__SVC_AVX2 1
#  include <immintrin.h>

__attribute__((target("avx2"))) static inline __m256i in_ranges4(const ranges *r, __m256i v)
{
    __m256i in = _mm256_setzero_si256();
    for (uint32_t j = 0; j < r->n; j++) {
        __m256i out = _mm256_or_si256(_mm256_cmpgt_epi64(_mm256_set1_epi64x(r->lo[j]), v),
                                      _mm256_cmpgt_epi64(v, _mm256_set1_epi64x(r->hi[j])));
        in = _mm256_or_si256(in, _mm256_andnot_si256(out, _mm256_set1_epi64x(-1)));
    }
    return in;
}

__attribute__((target("avx2"))) static int scan_avx2(pass *p, size_t *done)
{
    const int64_t *cr = p->c->created, *fr = p->c->fr, *rs = p->c->res;
    size_t n = p->c->n, i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(cr + i));
        __m256i in = _mm256_setzero_si256();
        if (fr) {
            __m256i f = _mm256_loadu_si256((const __m256i *)(const void *)(fr + i));
            in = _mm256_or_si256(in, in_ranges4(&p->r[0], _mm256_sub_epi64(f, c)));
        }
        if (rs) {
            __m256i r = _mm256_loadu_si256((const __m256i *)(const void *)(rs + i));
            in = _mm256_or_si256(in, in_ranges4(&p->r[1], _mm256_sub_epi64(r, c)));
        }
        unsigned mask = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(in));
        for (; mask; mask &= mask - 1) {
            int st = visit(p, i + (size_t)__builtin_ctz(mask));
            if (st != SCRM_OK)
                return st;
        }
    }
    *done = i;
    return SCRM_OK;
}
#endif

/* Set by tests to cover the portable scan on AVX2 machines too. */
static int force_portable;

void scrm__svc_compute_portable(int on)
{
    force_portable = on;
}

static int collect_pass(scrm_service *s, const columns *c, plan *plans, size_t G, int grouped,
                        uint64_t *pool)
{
    pass p = {s, c, plans, G, grouped, pool, {{0}, {0}}};
    size_t S = G + (grouped ? 1 : 0), done = 0;
    int st;
    for (int m = 0; m < 2; m++)
        if ((st = build_ranges(plans, S, m, &p.r[m])) != SCRM_OK)
            return st;
#ifdef SCRM__SVC_AVX2
    if (!force_portable && __builtin_cpu_supports("avx2") &&
        (st = scan_avx2(&p, &done)) != SCRM_OK)
        return st;
#endif
    return scan_portable(&p, done, c->n);
}

static int exact_quantiles(scrm_service *s, const columns *c)
{
    int grouped = s->opts.group_by != SCRM_SERVICE_GROUP_NONE;
    size_t G = s->n_groups, S = G + (grouped ? 1 : 0), bytes;
    scrm__svc_group all;
    plan *plans = NULL;
    uint64_t *pool = NULL;
    double *exact = NULL;
    int st = SCRM_OK;
    if (grouped && (st = scrm__svc_overall(s, &all)) != SCRM_OK)
        return st;
    if (scrm__mul_size(S, sizeof *plans, &bytes) != SCRM_OK ||
        !(plans = scrm__malloc(bytes)) ||
        scrm__mul_size(G + 1, SCRM__SVC_NQ * sizeof(double), &bytes) != SCRM_OK ||
        !(exact = scrm__malloc(bytes))) {
        st = scrm__error(SCRM_ENOMEM, "scrm_service_compute: out of memory for %zu groups", G);
        goto done;
    }
    /* Plan: buckets to collect, and their slices of the pool. */
    size_t total = 0;
    for (size_t g = 0; g < S; g++) {
        const scrm__svc_group *grp = g < G ? &s->groups[g] : &all;
        plan_dur(&grp->answer, plans[g].t, &plans[g].w[0], 0);
        plan_dur(&grp->resolution, plans[g].t + MAX_T, &plans[g].w[1], MAX_T);
        for (int m = 0; m < 2; m++)
            for (uint32_t j = 0; j < plans[g].w[m].n; j++) {
                target *t = &plans[g].t[plans[g].w[m].first + j];
                t->off = total;
                total += t->count;
            }
    }
    if (total) {
        if (scrm__mul_size(total, sizeof *pool, &bytes) != SCRM_OK ||
            !(pool = scrm__malloc(bytes))) {
            st = scrm__error(SCRM_ENOMEM,
                             "scrm_service_compute: out of memory for %zu durations (exact quantiles)",
                             total);
            goto done;
        }
        /* Second pass: collect the durations in the planned buckets. */
        if ((st = collect_pass(s, c, plans, G, grouped, pool)) != SCRM_OK)
            goto done;
    }
    /* Select. */
    for (size_t g = 0; g < S; g++) {
        const scrm__svc_group *grp = g < G ? &s->groups[g] : &all;
        double *q = exact + SCRM__SVC_NQ * g;
        for (int m = 0; m < 2; m++) {
            const scrm__svc_dur *d = m ? &grp->resolution : &grp->answer;
            for (int k = 0; k < 3; k++) {
                if (d->hist.n == 0) {
                    q[3 * m + k] = (double)NAN;
                    continue;
                }
                uint64_t a, b;
                double frac;
                scrm__svc_quantile_ranks(d->hist.n, scrm__svc_qnum[k], scrm__svc_qden[k], &a,
                                         &b, &frac);
                double xa = order_stat(d, &plans[g], m, pool, a);
                double xb = b == a ? xa : order_stat(d, &plans[g], m, pool, b);
                q[3 * m + k] = xa + frac * (xb - xa);
            }
        }
    }
    if (!grouped) /* the overall result is group 0 */
        memcpy(exact + SCRM__SVC_NQ, exact, SCRM__SVC_NQ * sizeof *exact);
    scrm__free(s->exact);
    s->exact = exact;
    exact = NULL;
    s->exact_valid = 1;
done:
    if (grouped)
        scrm__svc_group_free(&all);
    scrm__free(plans);
    scrm__free(pool);
    scrm__free(exact);
    return st;
}

static int get_column(const scrm_dataset *ds, int32_t col, const void **v)
{
    size_t n;
    return scrm_dataset_column(ds, SCRM_TABLE_TICKETS, col, v, &n);
}

SCRM_API int scrm_service_compute(scrm_service *s, const scrm_dataset *ds,
                                  scrm_service_result *out)
{
    if (!s || !ds || !out)
        return scrm__error(SCRM_EINVAL, "scrm_service_compute: '%s' is NULL",
                           !s ? "s" : !ds ? "ds" : "out");
    scrm__svc_clear(s);
    columns c = {0, NULL, NULL, NULL, NULL, NULL};
    int st = scrm_dataset_rows(ds, SCRM_TABLE_TICKETS, &c.n);
    if (st != SCRM_OK)
        return st;
    if (c.n == 0) {
        scrm_service_finalize(s, out); /* fills the header */
        return scrm__error(SCRM_ENODATA, "scrm_service_compute: the tickets table is empty");
    }
    const void *v;
    if ((st = get_column(ds, SCRM_TICKETS_CREATED, &v)) != SCRM_OK)
        return st;
    c.created = v;
    if ((st = get_column(ds, SCRM_TICKETS_FIRST_RESPONSE, &v)) != SCRM_OK)
        return st;
    c.fr = v;
    if ((st = get_column(ds, SCRM_TICKETS_RESOLVED, &v)) != SCRM_OK)
        return st;
    c.res = v;
    if ((st = get_column(ds, SCRM_TICKETS_HANDLE_TIME, &v)) != SCRM_OK)
        return st;
    c.ht = v;
    int32_t by = s->opts.group_by, col = by == SCRM_SERVICE_GROUP_CHANNEL ? SCRM_TICKETS_CHANNEL
                                        : by == SCRM_SERVICE_GROUP_AGENT ? SCRM_TICKETS_AGENT
                                        : by == SCRM_SERVICE_GROUP_TEAM  ? SCRM_TICKETS_TEAM
                                                                         : -1;
    if (col >= 0) {
        if ((st = get_column(ds, col, &v)) != SCRM_OK)
            return st;
        c.keys = v;
    }
    st = scrm__svc_add(s, c.n, c.created, c.fr, c.res, c.ht, c.keys, 1, "tickets",
                       "scrm_service_compute");
    if (st != SCRM_OK) {
        if (!s->failed) /* a bad row: drop the blocks added before it (empty, as before) */
            scrm__svc_clear(s);
        return st;
    }
    st = exact_quantiles(s, &c); /* on failure the accumulator stays valid (histogram quantiles) */
    if (st != SCRM_OK)
        return st;
    return scrm_service_finalize(s, out);
}
