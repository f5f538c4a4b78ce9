/* NPS calculator handle: options, accumulation, merge, finalize. */
#include "kpi/nps_internal.h"

#include <string.h>

SCRM_API int scrm_nps_options_init(scrm_nps_options *opts, unsigned int version)
{
    SCRM__CHECK_NULL(opts);
    int rc = scrm__check_version(version, SCRM_NPS_OPTIONS_VERSION, __func__);
    if (rc != SCRM_OK)
        return rc;
    const scrm_nps_options defaults = SCRM_NPS_OPTIONS_INIT;
    *opts = defaults;
    opts->version = version;
    return SCRM_OK;
}

int scrm__nps_check_options(const scrm_nps_options *o, const char *fn)
{
    int rc = scrm__check_version(o->version, SCRM_NPS_OPTIONS_VERSION, fn);
    if (rc != SCRM_OK)
        return rc;
    if (o->detractor_max < 0 || o->detractor_max > 9)
        return scrm__fail(SCRM_EINVAL, fn, "detractor_max: %d is not in 0..9",
                          (int)o->detractor_max);
    if (o->promoter_min <= o->detractor_max || o->promoter_min > 10)
        return scrm__fail(SCRM_EINVAL, fn,
                          "promoter_min: %d is not in detractor_max+1..10 = %d..10",
                          (int)o->promoter_min, (int)o->detractor_max + 1);
    if (!(o->level > 0.0 && o->level < 1.0))
        return scrm__fail(SCRM_EINVAL, fn, "level: %g is not in (0, 1)", o->level);
    if (o->ci_method != SCRM_NPS_CI_WALD && o->ci_method != SCRM_NPS_CI_ADJUSTED_WALD)
        return scrm__fail(SCRM_EINVAL, fn, "ci_method: %d is unknown", (int)o->ci_method);
    return SCRM_OK;
}

/* Whether two option sets give the same results (merge compatibility). */
static int same_options(const scrm_nps_options *a, const scrm_nps_options *b)
{
    return a->detractor_max == b->detractor_max && a->promoter_min == b->promoter_min &&
           a->level == b->level && a->ci_method == b->ci_method;
}

SCRM_API int scrm_nps_new(scrm_nps **out, const scrm_nps_options *opts)
{
    SCRM__CHECK_NULL(out);
    *out = NULL;
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    if (opts) {
        int rc = scrm__nps_check_options(opts, __func__);
        if (rc != SCRM_OK)
            return rc;
        /* Copy field by field: a caller's struct of an older version may be
         * shorter than ours (only version 1 exists so far). */
        o.detractor_max = opts->detractor_max;
        o.promoter_min = opts->promoter_min;
        o.level = opts->level;
        o.ci_method = opts->ci_method;
    }
    scrm_nps *nps = scrm__calloc(1, sizeof *nps);
    if (!nps)
        return SCRM__FAIL(SCRM_ENOMEM, "out of memory");
    nps->opts = o;
    *out = nps;
    return SCRM_OK;
}

SCRM_API void scrm_nps_free(scrm_nps *nps)
{
    scrm__free(nps);
}

SCRM_API int scrm_nps_get_options(const scrm_nps *nps, scrm_nps_options *opts)
{
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_NULL(opts);
    *opts = nps->opts;
    return SCRM_OK;
}

SCRM_API int scrm_nps_reset(scrm_nps *nps)
{
    SCRM__CHECK_NULL(nps);
    memset(nps->counts, 0, sizeof nps->counts);
    return SCRM_OK;
}

int scrm__nps_counts_add(uint64_t *dst, const uint64_t *src, const char *fn)
{
    uint64_t total = 0;
    for (int s = 0; s < SCRM_NPS_SCORES; s++) {
        if (src[s] > UINT64_MAX - dst[s])
            return scrm__fail(SCRM_ERANGE, fn, "count of score %d: would exceed 2^64-1", s);
        uint64_t sum = dst[s] + src[s];
        if (sum > UINT64_MAX - total)
            return scrm__fail(SCRM_ERANGE, fn, "number of responses: would exceed 2^64-1");
        total += sum;
    }
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        dst[s] += src[s];
    return SCRM_OK;
}

SCRM_API int scrm_nps_add_scores(scrm_nps *nps, const double *scores, size_t n)
{
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_ARG(scores || n == 0, "scores");
    uint64_t local[SCRM_NPS_SCORES] = { 0 };
    size_t bad = scrm__nps_histogram(scores, n, local);
    if (bad < n)
        return SCRM__FAIL(SCRM_EINVAL, "scores[%zu]: %.17g is not an integer 0..10", bad,
                          scores[bad]);
    return scrm__nps_counts_add(nps->counts, local, __func__);
}

SCRM_API int scrm_nps_add_counts(scrm_nps *nps, const uint64_t *counts, size_t n)
{
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_NULL(counts);
    if (n != SCRM_NPS_SCORES)
        return SCRM__FAIL(SCRM_EINVAL, "n: %zu, expected %d", n, SCRM_NPS_SCORES);
    return scrm__nps_counts_add(nps->counts, counts, __func__);
}

SCRM_API int scrm_nps_merge(scrm_nps *nps, const scrm_nps *other)
{
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_NULL(other);
    if (!same_options(&nps->opts, &other->opts))
        return SCRM__FAIL(SCRM_EINVAL,
                          "other: options differ (bands %d/%d vs %d/%d, level %g vs %g, method "
                          "%d vs %d)",
                          (int)nps->opts.detractor_max, (int)nps->opts.promoter_min,
                          (int)other->opts.detractor_max, (int)other->opts.promoter_min,
                          nps->opts.level, other->opts.level, (int)nps->opts.ci_method,
                          (int)other->opts.ci_method);
    uint64_t copy[SCRM_NPS_SCORES]; /* other may alias nps */
    memcpy(copy, other->counts, sizeof copy);
    return scrm__nps_counts_add(nps->counts, copy, __func__);
}

SCRM_API int scrm_nps_finalize(const scrm_nps *nps, scrm_nps_result *out)
{
    SCRM__CHECK_NULL(nps);
    SCRM__CHECK_NULL(out);
    uint64_t n = 0;
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        n += nps->counts[s]; /* cannot overflow: every add checks the total */
    if (n == 0)
        return SCRM__FAIL(SCRM_ENODATA, "nps: no responses");
    scrm__nps_result(&nps->opts, nps->counts, out);
    return SCRM_OK;
}
