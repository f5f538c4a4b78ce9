/* Closed-form CLV and cohort projection (Gupta & Lehmann 2003): geometric
 * sums of retained, grown and discounted margins. */
#include "core/internal.h"

#include <math.h>

SCRM_API int scrm_clv_terms_init(scrm_clv_terms *terms, unsigned int version)
{
    if (!terms)
        return scrm__error(SCRM_EINVAL, "scrm_clv_terms_init: 'terms' is NULL");
    int rc = scrm__check_version(version, SCRM_CLV_TERMS_VERSION, "scrm_clv_terms");
    if (rc)
        return rc;
    scrm_clv_terms d = SCRM_CLV_TERMS_INIT;
    *terms = d;
    return SCRM_OK;
}

static int check_terms(const scrm_clv_terms *t, const char *fn)
{
    int rc = scrm__check_version(t->version, SCRM_CLV_TERMS_VERSION, "scrm_clv_terms");
    if (rc)
        return rc;
    const double v[4] = {t->margin, t->retention, t->discount, t->growth};
    static const char *const names[4] = {"margin", "retention", "discount", "growth"};
    for (int i = 0; i < 4; i++)
        if (!isfinite(v[i]))
            return scrm__error(SCRM_EINVAL, "%s: terms.%s is %g", fn, names[i], v[i]);
    if (t->timing != SCRM_CLV_TIMING_END && t->timing != SCRM_CLV_TIMING_BEGIN)
        return scrm__error(SCRM_EINVAL, "%s: terms.timing: unknown timing %d", fn,
                           (int)t->timing);
    if (t->retention < 0.0 || t->retention > 1.0)
        return scrm__error(SCRM_EDOM, "%s: terms.retention %g outside [0, 1]", fn, t->retention);
    if (t->discount <= -1.0)
        return scrm__error(SCRM_EDOM, "%s: terms.discount %g must be > -1", fn, t->discount);
    if (t->growth <= -1.0)
        return scrm__error(SCRM_EDOM, "%s: terms.growth %g must be > -1", fn, t->growth);
    return SCRM_OK;
}

/* sum_{k=0}^{N-1} q^k with q = r (1 + g) / (1 + d); N = 0 means infinite. */
static int geometric(const scrm_clv_terms *t, double *out, const char *fn)
{
    double r = t->retention, g = t->growth, d = t->discount;
    /* 1 + d - r (1 + g), arranged so that it is exact when r is close to 1. */
    double den = (1.0 - r) + (d - r * g);
    if (t->horizon == 0) {
        if (!(den > 0.0))
            return scrm__error(SCRM_EDOM,
                               "%s: r (1 + g) = %g >= 1 + d = %g: the infinite sum diverges", fn,
                               r * (1.0 + g), 1.0 + d);
        *out = (1.0 + d) / den;
        return SCRM_OK;
    }
    double n = (double)t->horizon;
    if (r == 0.0) {
        *out = 1.0;
    } else if (den == 0.0) {
        *out = n;
    } else {
        double lq = log(r) + log1p(g) - log1p(d);
        /* (1 - q^N) / (1 - q) with 1 - q = den / (1 + d). */
        *out = -expm1(n * lq) * (1.0 + d) / den;
    }
    if (!isfinite(*out))
        return scrm__error(SCRM_ERANGE, "%s: the sum over %u periods overflows", fn,
                           (unsigned)t->horizon);
    return SCRM_OK;
}

SCRM_API int scrm_clv_closed_form(const scrm_clv_terms *terms, double *out)
{
    static const char fn[] = "scrm_clv_closed_form";
    if (!terms || !out)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, terms ? "out" : "terms");
    int rc = check_terms(terms, fn);
    if (rc)
        return rc;
    double s = 0.0;
    if ((rc = geometric(terms, &s, fn)))
        return rc;
    double v = terms->margin * s;
    if (terms->timing == SCRM_CLV_TIMING_END)
        v *= terms->retention / (1.0 + terms->discount);
    if (!isfinite(v))
        return scrm__error(SCRM_ERANGE, "%s: the value overflows", fn);
    *out = v;
    return SCRM_OK;
}

SCRM_API int scrm_clv_cohort(const scrm_clv_terms *terms, double customers,
                             const double *retention, double *survivors, double *margin,
                             double *discounted, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_clv_cohort";
    if (!terms || !out_len)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, terms ? "out_len" : "terms");
    int rc = check_terms(terms, fn);
    if (rc)
        return rc;
    if (terms->horizon == 0)
        return scrm__error(SCRM_EINVAL, "%s: terms.horizon must be finite (> 0)", fn);
    if (!isfinite(customers))
        return scrm__error(SCRM_EINVAL, "%s: customers is %g", fn, customers);
    if (customers < 0.0)
        return scrm__error(SCRM_EDOM, "%s: customers %g is negative", fn, customers);
    size_t n = terms->horizon;
    if (retention) {
        for (size_t k = 0; k < n; k++) {
            if (isnan(retention[k]))
                return scrm__error(SCRM_EINVAL, "%s: retention[%zu] is NaN", fn, k);
            if (retention[k] < 0.0 || retention[k] > 1.0)
                return scrm__error(SCRM_EDOM, "%s: retention[%zu] = %g outside [0, 1]", fn, k,
                                   retention[k]);
        }
    }
    *out_len = n;
    if (cap < n && (survivors || margin || discounted))
        return scrm__error(SCRM_EBUFS, "%s: buffers hold %zu periods, %zu needed", fn, cap, n);
    int end = terms->timing == SCRM_CLV_TIMING_END;
    double ld = log1p(terms->discount), lg = log1p(terms->growth);
    double share = 1.0; /* share active at payment k */
    for (size_t k = 1; k <= n; k++) {
        /* End of period: payment k needs k retentions; start: k - 1. */
        if (end || k > 1)
            share *= retention ? retention[end ? k - 1 : k - 2] : terms->retention;
        double s = customers * share;
        double m = s * terms->margin * exp((double)(k - 1) * lg);
        double pv = m * exp(-(double)(end ? k : k - 1) * ld);
        if (!isfinite(m) || !isfinite(pv))
            return scrm__error(SCRM_ERANGE, "%s: period %zu overflows", fn, k);
        if (survivors)
            survivors[k - 1] = s;
        if (margin)
            margin[k - 1] = m;
        if (discounted)
            discounted[k - 1] = pv;
    }
    return SCRM_OK;
}
