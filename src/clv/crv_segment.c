/* Kumar, Petersen & Leone's (2007) CLV x CRV segments: champions (both high),
 * affluents (high CLV only), advocates (high CRV only), misers (neither).
 * "High" is strictly above a threshold: the median by default. */
#include "core/internal.h"
#include "num/sum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

SCRM_API int scrm_crv_segment_options_init(scrm_crv_segment_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "scrm_crv_segment_options_init: 'opts' is NULL");
    int st = scrm__check_version(version, SCRM_CRV_SEGMENT_OPTIONS_VERSION,
                                 "scrm_crv_segment_options");
    if (st)
        return st;
    scrm_crv_segment_options d = SCRM_CRV_SEGMENT_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Threshold of one axis. `tmp` has room for n values. */
static int threshold(const double *v, size_t n, int32_t split, double given, double *tmp,
                     double *out, const char *fn, const char *axis)
{
    switch (split) {
    case SCRM_CRV_SPLIT_MEDIAN:
        memcpy(tmp, v, n * sizeof *tmp);
        qsort(tmp, n, sizeof *tmp, cmp_double);
        *out = n % 2 ? tmp[n / 2] : 0.5 * (tmp[n / 2 - 1] + tmp[n / 2]);
        return SCRM_OK;
    case SCRM_CRV_SPLIT_MEAN: {
        *out = scrm__sum_array(v, n) / (double)n;
        return SCRM_OK;
    }
    case SCRM_CRV_SPLIT_VALUE:
        if (!isfinite(given))
            return scrm__error(SCRM_EINVAL, "%s: options.%s_threshold %g is not finite", fn, axis,
                               given);
        *out = given;
        return SCRM_OK;
    default:
        return scrm__error(SCRM_EINVAL, "%s: options.%s_split: unknown split %d", fn, axis,
                           (int)split);
    }
}

SCRM_API int scrm_crv_segments(const double *clv, const double *crv, size_t n,
                               const scrm_crv_segment_options *opts, int32_t *segment,
                               size_t cap, size_t *out_len, scrm_crv_segment_summary *summary)
{
    static const char fn[] = "scrm_crv_segments";
    static const scrm_crv_segment_options defaults = SCRM_CRV_SEGMENT_OPTIONS_INIT;
    if (!out_len || (n && (!clv || !crv)))
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", fn);
    const scrm_crv_segment_options *o = opts ? opts : &defaults;
    int st = scrm__check_version(o->version, SCRM_CRV_SEGMENT_OPTIONS_VERSION,
                                 "scrm_crv_segment_options");
    if (st)
        return st;
    *out_len = n;
    if (n == 0)
        return scrm__error(SCRM_ENODATA, "%s: no customers", fn);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(clv[i]) || !isfinite(crv[i]))
            return scrm__error(SCRM_EINVAL, "%s: customer %zu: CLV %g, CRV %g must be finite", fn,
                               i, clv[i], crv[i]);
    if (segment && cap < n)
        return scrm__error(SCRM_EBUFS, "%s: buffer holds %zu values, %zu needed", fn, cap, n);
    double *tmp = scrm__malloc(n * sizeof *tmp), tclv, tcrv;
    if (!tmp)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu customers)", fn, n);
    if ((st = threshold(clv, n, o->clv_split, o->clv_threshold, tmp, &tclv, fn, "clv")) ||
        (st = threshold(crv, n, o->crv_split, o->crv_threshold, tmp, &tcrv, fn, "crv"))) {
        scrm__free(tmp);
        return st;
    }
    scrm__free(tmp);
    uint64_t count[4] = {0};
    scrm__sum sclv[4], scrv[4];
    for (int k = 0; k < 4; k++)
        sclv[k] = scrv[k] = (scrm__sum)SCRM__SUM_INIT;
    for (size_t i = 0; i < n; i++) {
        int hi_clv = clv[i] > tclv, hi_crv = crv[i] > tcrv;
        int32_t s = hi_clv ? (hi_crv ? SCRM_CRV_CHAMPION : SCRM_CRV_AFFLUENT)
                           : (hi_crv ? SCRM_CRV_ADVOCATE : SCRM_CRV_MISER);
        if (segment)
            segment[i] = s;
        count[s - 1]++;
        scrm__sum_add(&sclv[s - 1], clv[i]);
        scrm__sum_add(&scrv[s - 1], crv[i]);
    }
    if (summary) {
        memset(summary, 0, sizeof *summary);
        summary->clv_threshold = tclv;
        summary->crv_threshold = tcrv;
        for (int k = 0; k < 4; k++) {
            summary->count[k] = count[k];
            summary->clv_mean[k] = count[k] ? scrm__sum_value(&sclv[k]) / (double)count[k] : 0.0;
            summary->crv_mean[k] = count[k] ? scrm__sum_value(&scrv[k]) / (double)count[k] : 0.0;
        }
    }
    return SCRM_OK;
}
