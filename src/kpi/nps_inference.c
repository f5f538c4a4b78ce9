/* NPS inference: estimate, trinomial standard error, intervals and the
 * two-sample test (Rocks 2016; MeasuringU). */
#include "kpi/nps_internal.h"
#include "num/normal.h"

#include <math.h>
#include <string.h>

/* Variance of p - d for trinomial proportions, written as a sum of
 * non-negative terms so rounding can never make it negative:
 * p(1-p) + d(1-d) + 2pd = (p + d) - (p - d)^2. */
static double trinomial_var(double p, double d)
{
    return p * (1.0 - p) + d * (1.0 - d) + 2.0 * p * d;
}

void scrm__nps_estimate(double promoters, double detractors, double n, int32_t method,
                        double *center, double *se)
{
    if (method == SCRM_NPS_CI_ADJUSTED_WALD) {
        /* MeasuringU's adjusted Wald: 3/4 of a pseudo-response each to
         * promoters and detractors, 3 in total (Rocks 2016). */
        promoters += 0.75;
        detractors += 0.75;
        n += 3.0;
    }
    double p = promoters / n, d = detractors / n;
    *center = 100.0 * (promoters - detractors) / n;
    *se = 100.0 * sqrt(trinomial_var(p, d) / n);
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* z_{(1+level)/2}; level is in (0, 1), so the argument is in (0.5, 1). */
static double two_sided_z(double level)
{
    return scrm__normal_quantile(0.5 + 0.5 * level);
}

void scrm__nps_result(const scrm_nps_options *o, const uint64_t *counts, scrm_nps_result *out)
{
    memset(out, 0, sizeof *out);
    for (int s = 0; s < SCRM_NPS_SCORES; s++) {
        out->score_counts[s] = counts[s];
        out->n += counts[s];
        if (s <= o->detractor_max)
            out->detractors += counts[s];
        else if (s >= o->promoter_min)
            out->promoters += counts[s];
        else
            out->passives += counts[s];
    }
    double n = (double)out->n, P = (double)out->promoters, D = (double)out->detractors;
    out->detractor_share = D / n;
    out->passive_share = (double)out->passives / n;
    out->promoter_share = P / n;
    scrm__nps_estimate(P, D, n, SCRM_NPS_CI_WALD, &out->nps, &out->se);
    out->level = o->level;
    out->method = o->ci_method;
    scrm__nps_estimate(P, D, n, o->ci_method, &out->ci_center, &out->ci_se);
    double z = two_sided_z(o->level);
    out->ci_low = clamp(out->ci_center - z * out->ci_se, -100.0, 100.0);
    out->ci_high = clamp(out->ci_center + z * out->ci_se, -100.0, 100.0);
}

/* Check that a caller-supplied result is usable by the comparison. */
static int check_result(const scrm_nps_result *r, const char *name, const char *fn)
{
    if (!r)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", name);
    if (r->n == 0)
        return scrm__fail(SCRM_EINVAL, fn, "%s.n: 0", name);
    uint64_t bands = r->detractors;
    if (r->passives > UINT64_MAX - bands || r->promoters > UINT64_MAX - bands - r->passives ||
        bands + r->passives + r->promoters != r->n)
        return scrm__fail(SCRM_EINVAL, fn,
                          "%s: detractors %llu + passives %llu + promoters %llu != n %llu", name,
                          (unsigned long long)r->detractors, (unsigned long long)r->passives,
                          (unsigned long long)r->promoters, (unsigned long long)r->n);
    if (r->method != SCRM_NPS_CI_WALD && r->method != SCRM_NPS_CI_ADJUSTED_WALD)
        return scrm__fail(SCRM_EINVAL, fn, "%s.method: %d is unknown", name, (int)r->method);
    return SCRM_OK;
}

SCRM_API int scrm_nps_compare(const scrm_nps_result *a, const scrm_nps_result *b,
                              double level, scrm_nps_comparison *out)
{
    int rc;
    if ((rc = check_result(a, "a", __func__)) != SCRM_OK ||
        (rc = check_result(b, "b", __func__)) != SCRM_OK)
        return rc;
    SCRM__CHECK_NULL(out);
    if (a->method != b->method)
        return SCRM__FAIL(SCRM_EINVAL, "b.method: %d, a.method %d: methods differ",
                          (int)b->method, (int)a->method);
    if (!(level > 0.0 && level < 1.0))
        return SCRM__FAIL(SCRM_EINVAL, "level: %g is not in (0, 1)", level);

    double nps_a, se_a, nps_b, se_b, ca, sa, cb, sb;
    scrm__nps_estimate((double)a->promoters, (double)a->detractors, (double)a->n,
                       SCRM_NPS_CI_WALD, &nps_a, &se_a);
    scrm__nps_estimate((double)b->promoters, (double)b->detractors, (double)b->n,
                       SCRM_NPS_CI_WALD, &nps_b, &se_b);
    scrm__nps_estimate((double)a->promoters, (double)a->detractors, (double)a->n, a->method,
                       &ca, &sa);
    scrm__nps_estimate((double)b->promoters, (double)b->detractors, (double)b->n, b->method,
                       &cb, &sb);
    double se = hypot(sa, sb);
    if (!(se > 0.0))
        return SCRM__FAIL(SCRM_EDOM,
                          "standard error of the difference: 0 (Wald, each sample entirely in "
                          "one band): z is undefined; use the adjusted Wald");
    memset(out, 0, sizeof *out);
    out->difference = nps_b - nps_a;
    out->center = cb - ca;
    out->se = se;
    out->z = out->center / se;
    out->p_value = clamp(2.0 * scrm__normal_sf(fabs(out->z)), 0.0, 1.0);
    out->level = level;
    double z = two_sided_z(level);
    out->ci_low = clamp(out->center - z * se, -200.0, 200.0);
    out->ci_high = clamp(out->center + z * se, -200.0, 200.0);
    out->method = a->method;
    return SCRM_OK;
}
