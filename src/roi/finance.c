/* NPV, payback, rate conversion and ROI (METRICS.md 6.1, 6.2, 6.4). IRR is in
 * irr.c. */
#include "roi/finance.h"

#include <math.h>

#include "num/sum.h"

void scrm__finance_discount_factors(double rate, size_t n, double *df)
{
    double v = 1.0 / (1.0 + rate), f = 1.0;
    for (size_t t = 0; t < n; t++) {
        df[t] = f;
        f *= v;
    }
}

double scrm__finance_pv(const double *flows, const double *df, size_t n)
{
    scrm__sum acc = SCRM__SUM_INIT;
    for (size_t t = 0; t < n; t++)
        scrm__sum_add(&acc, df ? flows[t] * df[t] : flows[t]);
    return scrm__sum_value(&acc);
}

/* First k with cum[k-1] < 0 <= cum[k] of the cumulative sums of f (period
 * order); n if none. *prev receives cum[k-1], *negative whether any cum < 0
 * came before. Branch-light: the hot loop of Monte Carlo paybacks. */
static size_t first_recovery(const double *f, size_t n, double *prev, int *negative)
{
    double cum = 0.0;
    size_t k = 0;
    /* Phase 1: until the cumulative flow first goes negative. */
    for (; k < n; k++) {
        cum += f[k];
        if (cum < 0.0)
            break;
    }
    if (k == n) {
        *negative = 0;
        return n;
    }
    *negative = 1;
    /* Phase 2: until it is back at or above zero. */
    double last = cum;
    for (k++; k < n; k++) {
        double c = last + f[k];
        if (c >= 0.0)
            break;
        last = c;
    }
    *prev = last;
    return k;
}

void scrm__finance_payback_ex(const double *f, size_t n, int stays, scrm_finance_payback_result *out)
{
    double prev = 0.0;
    int negative;
    size_t k = first_recovery(f, n, &prev, &negative);
    if (!negative) { /* never below zero: nothing to recover */
        out->reached = 1;
        out->stays = 1;
        out->whole_period = 0;
        out->period = 0.0;
    } else if (k == n) {
        out->reached = 0;
        out->stays = 0;
        out->whole_period = -1;
        out->period = (double)INFINITY;
    } else {
        /* prev < 0 <= prev + f[k], so f[k] > 0: recovered during period k. */
        double frac = -prev / f[k];
        out->reached = 1;
        out->whole_period = (int64_t)k;
        out->period = (double)k - 1.0 + (frac < 1.0 ? frac : 1.0);
        out->stays = 1;
        if (!stays) {
            out->stays = -1;
            return;
        }
        double cum = prev + f[k];
        for (size_t j = k + 1; j < n; j++) {
            cum += f[j];
            if (cum < 0.0) {
                out->stays = 0;
                break;
            }
        }
    }
}

void scrm__finance_payback(const double *f, size_t n, scrm_finance_payback_result *out)
{
    scrm__finance_payback_ex(f, n, 1, out);
}

int scrm__finance_check_flows(const double *flows, size_t n, const char *fn)
{
    for (size_t t = 0; t < n; t++)
        if (!isfinite(flows[t]))
            return scrm__fail(SCRM_EINVAL, fn, "flows[%zu]: %g is not finite", t, flows[t]);
    return SCRM_OK;
}

static int check_rate(double rate, const char *fn)
{
    if (isnan(rate))
        return scrm__fail(SCRM_EINVAL, fn, "rate: NaN");
    if (!(rate > -1.0) || isinf(rate))
        return scrm__fail(SCRM_EDOM, fn, "rate: %g is outside (-1, inf)", rate);
    return SCRM_OK;
}

SCRM_API int scrm_finance_npv(double rate, const double *flows, size_t n, double *out)
{
    if (!out)
        return SCRM__FAIL(SCRM_EINVAL, "out: NULL");
    if (!flows && n > 0)
        return SCRM__FAIL(SCRM_EINVAL, "flows: NULL with n = %zu", n);
    int rc = check_rate(rate, __func__);
    if (!rc)
        rc = scrm__finance_check_flows(flows, n, __func__);
    if (rc)
        return rc;
    double v = 1.0 / (1.0 + rate), f = 1.0;
    scrm__sum acc = SCRM__SUM_INIT;
    for (size_t t = 0; t < n; t++) {
        if (flows[t] != 0.0)
            scrm__sum_add(&acc, flows[t] * f);
        f *= v;
    }
    double npv = scrm__sum_value(&acc);
    if (!isfinite(npv))
        return SCRM__FAIL(SCRM_ERANGE, "NPV: overflows at rate %g over %zu periods", rate, n);
    *out = npv;
    return SCRM_OK;
}

static int check_payback_args(const double *flows, size_t n, const scrm_finance_payback_result *out,
                              const char *fn)
{
    if (!flows || !out)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !flows ? "flows" : "out");
    if (n == 0)
        return scrm__fail(SCRM_EINVAL, fn, "no flows (n = 0)");
    return scrm__finance_check_flows(flows, n, fn);
}

SCRM_API int scrm_finance_payback(const double *flows, size_t n, scrm_finance_payback_result *out)
{
    int rc = check_payback_args(flows, n, out, __func__);
    if (rc)
        return rc;
    scrm__finance_payback(flows, n, out);
    return SCRM_OK;
}

SCRM_API int scrm_finance_discounted_payback(const double *flows, size_t n, double rate,
                                     scrm_finance_payback_result *out)
{
    int rc = check_payback_args(flows, n, out, __func__);
    if (!rc)
        rc = check_rate(rate, __func__);
    if (rc)
        return rc;
    double *df = scrm__malloc(n * sizeof *df); /* n * 8 cannot overflow: flows exists */
    if (!df)
        return SCRM__FAIL(SCRM_ENOMEM, "out of memory");
    scrm__finance_discount_factors(rate, n, df);
    for (size_t t = 0; t < n; t++)
        df[t] *= flows[t]; /* the discounted flows */
    scrm__finance_payback(df, n, out);
    scrm__free(df);
    return SCRM_OK;
}

SCRM_API int scrm_finance_rate_per_period(double rate_per_year, double periods_per_year, double *out)
{
    if (!out)
        return SCRM__FAIL(SCRM_EINVAL, "out: NULL");
    if (isnan(periods_per_year) || !(periods_per_year > 0.0) || isinf(periods_per_year))
        return SCRM__FAIL(SCRM_EINVAL, "periods_per_year: %g is not finite and > 0",
                          periods_per_year);
    int rc = check_rate(rate_per_year, __func__);
    if (rc)
        return rc;
    *out = scrm__det_expm1(scrm__det_log1p(rate_per_year) / periods_per_year);
    return SCRM_OK;
}

SCRM_API int scrm_finance_periods_per_year(int32_t period, double *out)
{
    if (!out)
        return SCRM__FAIL(SCRM_EINVAL, "out: NULL");
    switch (period) {
    case SCRM_PERIOD_DAY: *out = 365.2425; return SCRM_OK;
    case SCRM_PERIOD_WEEK: *out = 365.2425 / 7.0; return SCRM_OK;
    case SCRM_PERIOD_MONTH: *out = 12.0; return SCRM_OK;
    case SCRM_PERIOD_QUARTER: *out = 4.0; return SCRM_OK;
    case SCRM_PERIOD_YEAR: *out = 1.0; return SCRM_OK;
    default:
        return SCRM__FAIL(SCRM_EINVAL, "unknown period %d",
                          (int)period);
    }
}

SCRM_API int scrm_finance_roi(double benefits, double costs, double *out)
{
    if (!out)
        return SCRM__FAIL(SCRM_EINVAL, "out: NULL");
    if (!isfinite(benefits) || !isfinite(costs))
        return SCRM__FAIL(SCRM_EINVAL, "benefits, costs: %g, %g must be finite", benefits,
                          costs);
    if (!(costs > 0.0))
        return SCRM__FAIL(SCRM_EDOM, "costs: %g, costs must be > 0 (ROI undefined)", costs);
    *out = (benefits - costs) / costs;
    return SCRM_OK;
}
