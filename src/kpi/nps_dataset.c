/* NPS over a dataset's survey table: overall, by customer segment, by period. */
#include "core/map.h"
#include "kpi/nps_internal.h"

#include <stdlib.h>
#include <string.h>

#define NO_GROUP UINT32_MAX
/* 9999-12-31T23:59:59Z, the last time scrm_period_start() accepts. */
#define LAST_SECOND INT64_C(253402300799)

/* The survey's score column, or SCRM_ENODATA when the table is empty. */
static int survey_scores(const scrm_dataset *ds, const double **scores, size_t *n,
                         const char *fn)
{
    const void *v = NULL;
    int rc = scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_SCORE, &v, n);
    if (rc != SCRM_OK)
        return rc;
    if (*n == 0)
        return scrm__fail(SCRM_ENODATA, fn, "survey table: empty");
    *scores = v;
    return SCRM_OK;
}

static int bad_score(const char *fn, size_t row, double x)
{
    return scrm__fail(SCRM_EINVAL, fn, "survey row %zu: score %.17g is not an integer 0..10",
                      row, x);
}

SCRM_API int scrm_nps_compute(scrm_nps *nps, const scrm_dataset *ds, scrm_nps_result *out)
{
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_NULL(ds);
    SCRM__CHECK_NULL(out);
    const double *scores = NULL;
    size_t n;
    int rc = survey_scores(ds, &scores, &n, __func__);
    if (rc != SCRM_OK)
        return rc;
    uint64_t counts[SCRM_NPS_SCORES] = { 0 };
    size_t bad = scrm__nps_histogram(scores, n, counts);
    if (bad < n)
        return bad_score(__func__, bad, scores[bad]);
    memcpy(nps->counts, counts, sizeof counts);
    scrm__nps_result(&nps->opts, nps->counts, out);
    return SCRM_OK;
}

/* Groups under construction: key and histogram per group, in first-seen order. */
typedef struct groups {
    size_t len, cap;
    uint32_t *segment;
    int64_t *period;
    uint64_t *counts; /* len * SCRM_NPS_SCORES */
} groups;

static void groups_free(groups *g)
{
    scrm__free(g->segment);
    scrm__free(g->period);
    scrm__free(g->counts);
}

/* Append a group as *k; SCRM_ELIMIT or SCRM_ENOMEM naming fn. */
static int groups_add(groups *g, uint32_t segment, int64_t period, uint32_t *k, const char *fn)
{
    if (g->len == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16, bytes;
        if (cap >= NO_GROUP)
            return scrm__fail(SCRM_ELIMIT, fn, "groups: more than %u", (unsigned)NO_GROUP);
        int rc = scrm__mul_size(cap, SCRM_NPS_SCORES * sizeof(uint64_t), &bytes);
        if (rc != SCRM_OK)
            return rc;
        uint32_t *s = scrm__realloc(g->segment, cap * sizeof *s);
        if (s)
            g->segment = s;
        int64_t *p = scrm__realloc(g->period, cap * sizeof *p);
        if (p)
            g->period = p;
        uint64_t *c = scrm__realloc(g->counts, bytes);
        if (c)
            g->counts = c;
        if (!s || !p || !c)
            return scrm__fail(SCRM_ENOMEM, fn, "groups: out of memory");
        g->cap = cap;
    }
    g->segment[g->len] = segment;
    g->period[g->len] = period;
    memset(g->counts + g->len * SCRM_NPS_SCORES, 0, SCRM_NPS_SCORES * sizeof(uint64_t));
    *k = (uint32_t)g->len++;
    return SCRM_OK;
}

/* Sorting groups: by segment name, or by period start. */
typedef struct order {
    const char *name;
    size_t name_len;
    int64_t key;
    uint32_t group;
} order;

static int by_name(const void *pa, const void *pb)
{
    const order *a = pa, *b = pb;
    size_t m = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, m);
    if (c != 0)
        return c;
    return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static int by_key(const void *pa, const void *pb)
{
    const order *a = pa, *b = pb;
    return (a->key > b->key) - (a->key < b->key);
}

/* Sort the groups, then write them to out (or report SCRM_EBUFS). */
static int emit(const scrm_nps *nps, const scrm_dataset *ds, const groups *g, int by_segment,
                scrm_nps_group *out, size_t cap, size_t *out_len, const char *fn)
{
    *out_len = g->len;
    if (cap < g->len)
        return scrm__fail(SCRM_EBUFS, fn, "cap: %zu groups, %zu needed", cap, g->len);
    if (!out)
        return scrm__fail(SCRM_EINVAL, fn, "out: NULL");
    order *ord = scrm__calloc(g->len, sizeof *ord);
    if (!ord)
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    for (size_t i = 0; i < g->len; i++) {
        ord[i].group = (uint32_t)i;
        ord[i].key = g->period[i];
        if (by_segment) {
            int rc = scrm_dataset_string(ds, g->segment[i], &ord[i].name, &ord[i].name_len);
            if (rc != SCRM_OK) {
                scrm__free(ord);
                return rc;
            }
        }
    }
    qsort(ord, g->len, sizeof *ord, by_segment ? by_name : by_key);
    for (size_t i = 0; i < g->len; i++) {
        uint32_t k = ord[i].group;
        out[i].segment = g->segment[k];
        out[i].period_start = g->period[k];
        scrm__nps_result(&nps->opts, g->counts + (size_t)k * SCRM_NPS_SCORES, &out[i].result);
    }
    scrm__free(ord);
    return SCRM_OK;
}

/* customer string id -> segment string id (0 = unknown), first customers row wins. */
static int segment_map(const scrm_dataset *ds, size_t n_strings, uint32_t **out, const char *fn)
{
    const void *ids_v = NULL, *segs_v = NULL;
    size_t n_customers = 0;
    int rc = scrm_dataset_column(ds, SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ID, &ids_v,
                                 &n_customers);
    if (rc == SCRM_OK)
        rc = scrm_dataset_column(ds, SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_SEGMENT, &segs_v, NULL);
    if (rc != SCRM_OK)
        return rc;
    const uint32_t *ids = ids_v, *segs = segs_v;
    /* Store segment + 1 so that 0 means "not seen yet" (first row wins). */
    uint32_t *map = scrm__calloc(n_strings, sizeof *map);
    if (!map)
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    for (size_t i = 0; i < n_customers; i++) {
        if (ids[i] < n_strings && segs[i] < n_strings && map[ids[i]] == 0)
            map[ids[i]] = segs[i] + 1;
    }
    for (size_t i = 0; i < n_strings; i++)
        map[i] = map[i] ? map[i] - 1 : 0;
    *out = map;
    return SCRM_OK;
}

SCRM_API int scrm_nps_compute_by_segment(const scrm_nps *nps, const scrm_dataset *ds,
                                         scrm_nps_group *out, size_t cap, size_t *out_len)
{
    const char *fn = __func__;
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_NULL(ds);
    SCRM__CHECK_NULL(out_len);
    *out_len = 0;
    const double *scores = NULL;
    const void *cust_v = NULL;
    size_t n, n_strings;
    int rc = survey_scores(ds, &scores, &n, fn);
    if (rc == SCRM_OK)
        rc = scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_CUSTOMER, &cust_v, NULL);
    if (rc == SCRM_OK)
        rc = scrm_dataset_string_count(ds, &n_strings);
    if (rc != SCRM_OK)
        return rc;
    if (n_strings >= NO_GROUP)
        return scrm__fail(SCRM_ELIMIT, fn, "dataset: %zu distinct strings, more than %u", n_strings,
                          (unsigned)NO_GROUP - 1);
    const uint32_t *cust = cust_v;
    uint32_t *seg_of = NULL, *group_of = NULL;
    groups g = { 0 };
    if ((rc = segment_map(ds, n_strings, &seg_of, fn)) != SCRM_OK)
        return rc;
    group_of = scrm__malloc(n_strings * sizeof *group_of);
    if (!group_of) {
        rc = scrm__fail(SCRM_ENOMEM, fn, "out of memory");
        goto done;
    }
    memset(group_of, 0xff, n_strings * sizeof *group_of); /* NO_GROUP */
    for (size_t i = 0; i < n; i++) {
        int s = scrm__nps_score(scores[i]);
        if (s < 0) {
            rc = bad_score(fn, i, scores[i]);
            goto done;
        }
        uint32_t seg = cust[i] < n_strings ? seg_of[cust[i]] : 0;
        uint32_t k = group_of[seg];
        if (k == NO_GROUP) {
            if ((rc = groups_add(&g, seg, SCRM_TIME_NONE, &k, fn)) != SCRM_OK)
                goto done;
            group_of[seg] = k;
        }
        g.counts[(size_t)k * SCRM_NPS_SCORES + (size_t)s]++;
    }
    rc = emit(nps, ds, &g, 1, out, cap, out_len, fn);
done:
    scrm__free(seg_of);
    scrm__free(group_of);
    groups_free(&g);
    return rc;
}

/* Group index of period start `key` (the map: period start -> group index),
 * adding a group if new. */
static int period_group(scrm__map *m, groups *g, int64_t key, uint32_t *out, const char *fn)
{
    uint64_t k = g->len; /* the index a new group gets */
    int rc = scrm__map_put(m, (uint64_t)key, &k);
    if (rc < 0)
        return scrm__fail(rc, fn, "period groups: out of memory");
    if (rc == 0) {
        *out = (uint32_t)k;
        return SCRM_OK;
    }
    return groups_add(g, 0, key, out, fn);
}

SCRM_API int scrm_nps_compute_by_period(const scrm_nps *nps, const scrm_dataset *ds,
                                        int32_t period, scrm_nps_group *out, size_t cap,
                                        size_t *out_len)
{
    const char *fn = __func__;
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_NULL(ds);
    SCRM__CHECK_NULL(out_len);
    *out_len = 0;
    int64_t probe;
    if (period < SCRM_PERIOD_DAY || period > SCRM_PERIOD_YEAR ||
        scrm_period_start(0, period, &probe) != SCRM_OK)
        return scrm__fail(SCRM_EINVAL, fn, "period: %d is unknown", (int)period);
    const double *scores = NULL;
    const void *time_v = NULL;
    size_t n;
    int rc = survey_scores(ds, &scores, &n, fn);
    if (rc == SCRM_OK)
        rc = scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_TIME, &time_v, NULL);
    if (rc != SCRM_OK)
        return rc;
    const int64_t *times = time_v;
    groups g = { 0 };
    scrm__map m = SCRM__MAP_INIT;
    /* Responses usually arrive in time order: remember the current period
     * [lo, hi) and its group to skip the calendar arithmetic and the lookup. */
    int64_t lo = 0, hi = 0;
    uint32_t k = NO_GROUP;
    for (size_t i = 0; i < n; i++) {
        int s = scrm__nps_score(scores[i]);
        if (s < 0) {
            rc = bad_score(fn, i, scores[i]);
            goto done;
        }
        int64_t t = times[i];
        if (k == NO_GROUP || t < lo || t >= hi) {
            if (scrm_period_start(t, period, &lo) != SCRM_OK) {
                rc = scrm__fail(SCRM_ERANGE, fn,
                                "survey row %zu: time %lld is outside years 0001..9999", i,
                                (long long)t);
                goto done;
            }
            if (scrm_period_add(lo, period, 1, &hi) != SCRM_OK)
                hi = LAST_SECOND + 1; /* the last period of year 9999 */
            if ((rc = period_group(&m, &g, lo, &k, fn)) != SCRM_OK)
                goto done;
        }
        g.counts[(size_t)k * SCRM_NPS_SCORES + (size_t)s]++;
    }
    rc = emit(nps, ds, &g, 0, out, cap, out_len, fn);
done:
    groups_free(&g);
    scrm__map_free(&m);
    return rc;
}
