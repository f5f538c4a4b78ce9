/* Monte Carlo, the read side: summaries, percentiles and samples of a
 * finished run. */
#include "roi/mc_internal.h"

#include <math.h>
#include <string.h>

#include "num/sum.h"

/* Non-NaN values of metric into scratch; returns their count. */
static size_t defined(const scrm_roi_mc *mc, int32_t metric, double *scratch)
{
    const double *x = mc->v + (size_t)(metric - 1) * mc->n;
    size_t k = 0;
    for (uint64_t i = 0; i < mc->n; i++)
        if (!isnan(x[i]))
            scratch[k++] = x[i];
    return k;
}

static void stats(double *a, size_t n, scrm_roi_stats *s)
{
    s->n = n;
    if (n == 0) {
        s->mean = s->sd = s->min = s->p5 = s->p50 = s->p95 = s->max = (double)NAN;
        return;
    }
    scrm__sum acc = SCRM__SUM_INIT;
    size_t pos_inf = 0, neg_inf = 0;
    double lo = a[0], hi = a[0];
    for (size_t i = 0; i < n; i++) {
        if (a[i] == (double)INFINITY)
            pos_inf++;
        else if (a[i] == -(double)INFINITY)
            neg_inf++;
        else
            scrm__sum_add(&acc, a[i]);
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
    }
    s->min = lo;
    s->max = hi;
    if (pos_inf || neg_inf) {
        s->mean = pos_inf && neg_inf ? (double)NAN : pos_inf ? (double)INFINITY
                                                             : -(double)INFINITY;
        s->sd = (double)NAN;
    } else {
        double mean = scrm__sum_value(&acc) / (double)n;
        scrm__sum ss = SCRM__SUM_INIT;
        for (size_t i = 0; i < n; i++)
            scrm__sum_add(&ss, (a[i] - mean) * (a[i] - mean));
        s->mean = mean;
        s->sd = n > 1 ? sqrt(scrm__sum_value(&ss) / (double)(n - 1)) : 0.0;
    }
    static const double probs[3] = {0.05, 0.50, 0.95};
    double q[3];
    int64_t idx[6];
    scrm__mc_percentiles(a, n, probs, 3, q, idx);
    s->p5 = q[0];
    s->p50 = q[1];
    s->p95 = q[2];
}

SCRM_API int scrm_roi_mc_summarize(const scrm_roi_mc *mc, scrm_roi_mc_summary *out)
{
    const char *fn = __func__;
    if (!mc || !out)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !mc ? "mc" : "out");
    double *scratch = scrm__malloc((size_t)mc->n * sizeof *scratch);
    if (!scratch)
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    memset(out, 0, sizeof *out);
    out->iterations = mc->n;
    out->seed = mc->seed;
    out->clamped = mc->clamped;
    scrm_roi_stats *dst[4] = {&out->npv, &out->roi, &out->benefits_pv, &out->costs_pv};
    for (int32_t k = 0; k < 4; k++)
        stats(scratch, defined(mc, k + 1, scratch), dst[k]);
    const double *npv = mc->v, *pb = mc->v + 4 * mc->n, *dpb = mc->v + 5 * mc->n;
    uint64_t pos = 0, reached = 0, dreached = 0;
    for (uint64_t i = 0; i < mc->n; i++) {
        pos += npv[i] > 0.0;
        reached += isfinite(pb[i]) != 0;
        dreached += isfinite(dpb[i]) != 0;
    }
    out->p_roi_positive = (double)pos / (double)mc->n;
    out->p_payback = (double)reached / (double)mc->n;
    out->p_discounted_payback = (double)dreached / (double)mc->n;
    scrm__free(scratch);
    return SCRM_OK;
}

static int check_metric(int32_t metric, const char *fn)
{
    if (metric < SCRM_ROI_METRIC_NPV || metric > SCRM_ROI_METRIC_DISCOUNTED_PAYBACK)
        return scrm__fail(SCRM_EINVAL, fn, "unknown metric %d", (int)metric);
    return SCRM_OK;
}

SCRM_API int scrm_roi_mc_percentiles(const scrm_roi_mc *mc, int32_t metric, const double *probs,
                                     size_t n, double *out)
{
    const char *fn = __func__;
    if (!mc || ((!probs || !out) && n > 0))
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !mc ? "mc" : !probs ? "probs" : "out");
    int rc = check_metric(metric, fn);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (!(probs[i] >= 0.0 && probs[i] <= 1.0))
            return scrm__fail(SCRM_EINVAL, fn, "probs[%zu] = %g outside [0, 1]", i, probs[i]);
    size_t ibytes;
    if ((rc = scrm__mul_size(n ? n : 1, 2 * sizeof(int64_t), &ibytes)))
        return rc;
    double *scratch = scrm__malloc((size_t)mc->n * sizeof *scratch);
    int64_t *idx = scrm__malloc(ibytes);
    if (!scratch || !idx) {
        scrm__free(scratch);
        scrm__free(idx);
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    size_t k = defined(mc, metric, scratch);
    if (k)
        scrm__mc_percentiles(scratch, k, probs, n, out, idx);
    else
        for (size_t i = 0; i < n; i++)
            out[i] = (double)NAN;
    scrm__free(scratch);
    scrm__free(idx);
    return SCRM_OK;
}

SCRM_API int scrm_roi_mc_samples(const scrm_roi_mc *mc, int32_t metric, double *out, size_t cap,
                                 size_t *out_len)
{
    const char *fn = __func__;
    if (!mc || !out_len || (!out && cap > 0))
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !mc ? "mc" : !out_len ? "out_len" : "out");
    int rc = check_metric(metric, fn);
    if (rc)
        return rc;
    *out_len = (size_t)mc->n;
    if (cap < mc->n)
        return scrm__fail(SCRM_EBUFS, fn, "%llu draws, room for %zu", (unsigned long long)mc->n,
                          cap);
    memcpy(out, mc->v + (size_t)(metric - 1) * mc->n, (size_t)mc->n * sizeof *out);
    return SCRM_OK;
}
