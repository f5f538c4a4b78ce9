/* Evaluating a business case: per-period flows of every line, present values,
 * NPV, ROI, IRR and paybacks (METRICS.md section 6). */
#include "roi/model.h"

#include <math.h>
#include <string.h>

#include "num/sum.h"

int scrm__roi_work_init(scrm__roi_work *w, const scrm_roi_model *m, const char *scenario,
                        const char *fn)
{
    memset(w, 0, sizeof *w);
    const scrm__roi_scenario *sc;
    int rc = scrm__roi_find_scenario(m, scenario, &sc, fn);
    if (rc)
        return rc;
    size_t n = (size_t)m->opts.horizon + 1;
    double *p = scrm__malloc(5 * n * sizeof *p); /* n <= 100,001: no overflow */
    double *vals = scrm__roi_values(m, sc);
    if (!p || !vals) {
        scrm__free(p);
        scrm__free(vals);
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    w->vals = vals;
    w->ben = p;
    w->cost = p + n;
    w->net = p + 2 * n;
    w->df = p + 3 * n;
    w->tmp = p + 4 * n;
    return SCRM_OK;
}

void scrm__roi_work_free(scrm__roi_work *w)
{
    scrm__free(w->vals);
    scrm__free(w->ben);
    memset(w, 0, sizeof *w);
}

static double rate_per_period(const scrm_roi_model *m, double annual)
{
    if (m->ppy == 1.0)
        return annual;
    return scrm__det_expm1(scrm__det_log1p(annual) / m->ppy);
}

void scrm__roi_discounts(const scrm_roi_model *m, const double *vals, double *df)
{
    double r = rate_per_period(m, vals[SCRM_ROI_INPUT_DISCOUNT_RATE]);
    scrm__finance_discount_factors(r, (size_t)m->opts.horizon + 1, df);
}

int scrm__roi_line_base(const scrm_roi_model *m, int32_t l, const double *row, double *base,
                        double *growth, const char *fn)
{
    const scrm__roi_line *L = &m->lines[l];
    *growth = 0.0;
    switch (L->kind) {
    case SCRM_ROI_LINE_TABLE:
        *base = row[SCRM_ROI_INPUT_SCALE];
        break;
    case SCRM_ROI_LINE_AMOUNT:
        *base = row[SCRM_ROI_INPUT_AMOUNT];
        *growth = row[SCRM_ROI_INPUT_GROWTH];
        break;
    case SCRM_ROI_LINE_RETENTION: {
        double d = row[SCRM_ROI_INPUT_CLV_DISCOUNT], r0 = row[SCRM_ROI_INPUT_R0],
               r1 = row[SCRM_ROI_INPUT_R1], mg = row[SCRM_ROI_INPUT_UNIT_VALUE];
        if (!(1.0 + d - r0 > 0.0) || !(1.0 + d - r1 > 0.0))
            return scrm__fail(SCRM_EDOM, fn,
                              "line '%s': CLV undefined with clv_discount %g and retention %g "
                              "(1 + discount - r must be > 0)", L->name, d,
                              !(1.0 + d - r0 > 0.0) ? r0 : r1);
        *base = row[SCRM_ROI_INPUT_VOLUME] * (scrm__roi_clv(mg, r1, d) - scrm__roi_clv(mg, r0, d));
        break;
    }
    default:
        *base = row[SCRM_ROI_INPUT_VOLUME] * row[SCRM_ROI_INPUT_UNIT_VALUE];
        *growth = row[SCRM_ROI_INPUT_GROWTH];
        break;
    }
    return SCRM_OK;
}

int scrm__roi_line_add(const scrm_roi_model *m, int32_t l, const double *row, double *acc,
                       const char *fn)
{
    const scrm__roi_line *L = &m->lines[l];
    double base, growth;
    int rc = scrm__roi_line_base(m, l, row, &base, &growth, fn);
    if (rc)
        return rc;
    if (L->kind == SCRM_ROI_LINE_TABLE) {
        for (int32_t t = 0; t <= m->opts.horizon; t++)
            acc[t] += base * L->table[t];
        return SCRM_OK;
    }
    double pw[64];
    double f0 = 1.0, f1 = 1.0 + growth, m2 = (1.0 + growth) * (1.0 + growth);
    for (int32_t p0 = L->first; p0 <= L->last; p0 += 64) {
        int32_t len = L->last - p0 + 1 < 64 ? L->last - p0 + 1 : 64;
        scrm__roi_growth_powers(&f0, &f1, m2, len, pw);
        for (int32_t k = 0; k < len; k++)
            acc[p0 + k] += base * pw[k];
    }
    return SCRM_OK;
}

void scrm__roi_growth_powers(double *f0, double *f1, double m2, int32_t len, double *pw)
{
    /* Even and odd powers by two interleaved products: half the multiply
     * latency chain of one product, and the same bits for every caller. */
    for (int32_t k = 0; k < len; k += 2) {
        pw[k] = *f0;
        if (k + 1 < len)
            pw[k + 1] = *f1;
        *f0 *= m2;
        *f1 *= m2;
    }
}

int scrm__roi_all_flows(const scrm_roi_model *m, const double *vals, double *ben, double *cost,
                        const char *fn)
{
    size_t n = (size_t)m->opts.horizon + 1;
    memset(ben, 0, n * sizeof *ben);
    memset(cost, 0, n * sizeof *cost);
    for (size_t l = 0; l < m->n_lines; l++) {
        int rc = scrm__roi_line_add(m, (int32_t)l, vals + scrm__roi_slot((int32_t)l, 0),
                                    m->lines[l].is_cost ? cost : ben, fn);
        if (rc)
            return rc;
    }
    return SCRM_OK;
}

int scrm__roi_outputs(const double *ben, const double *cost, const double *df, double *net,
                      size_t n, int totals, scrm__roi_out *out, const char *fn)
{
    /* Present values (compensated), net flows, then both paybacks on the net
     * flows (cumulative sums in period order, as scrm_finance_payback()). */
    scrm__acc2 bpv = {0, 0}, cpv = {0, 0};
    for (size_t t = 0; t < n; t++) {
        scrm__acc2_add(&bpv, ben[t] * df[t]);
        scrm__acc2_add(&cpv, cost[t] * df[t]);
        net[t] = (ben[t] - cost[t]) * df[t];
    }
    scrm__finance_payback(net, n, &out->discounted_payback);
    for (size_t t = 0; t < n; t++)
        net[t] = ben[t] - cost[t];
    scrm__finance_payback(net, n, &out->payback);
    out->benefits_pv = bpv.s + bpv.c;
    out->costs_pv = cpv.s + cpv.c;
    out->benefits = out->costs = out->roi_undiscounted = (double)NAN;
    if (totals) {
        scrm__acc2 b = {0, 0}, c = {0, 0};
        for (size_t t = 0; t < n; t++) {
            scrm__acc2_add(&b, ben[t]);
            scrm__acc2_add(&c, cost[t]);
        }
        out->benefits = b.s + b.c;
        out->costs = c.s + c.c;
        if (!isfinite(out->benefits) || !isfinite(out->costs))
            return scrm__fail(SCRM_ERANGE, fn, "the flows overflow (benefits %g, costs %g)",
                              out->benefits, out->costs);
        out->roi_undiscounted =
            out->costs > 0.0 ? (out->benefits - out->costs) / out->costs : (double)NAN;
    }
    if (!isfinite(out->benefits_pv) || !isfinite(out->costs_pv))
        return scrm__fail(SCRM_ERANGE, fn, "the flows overflow (present values %g and %g)",
                          out->benefits_pv, out->costs_pv);
    out->npv = out->benefits_pv - out->costs_pv;
    out->roi = out->costs_pv > 0.0 ? out->npv / out->costs_pv : (double)NAN;
    return SCRM_OK;
}

int scrm__roi_eval(const scrm_roi_model *m, const double *vals, scrm__roi_work *w,
                   scrm__roi_out *out, const char *fn)
{
    scrm__roi_discounts(m, vals, w->df);
    int rc = scrm__roi_all_flows(m, vals, w->ben, w->cost, fn);
    if (rc)
        return rc;
    return scrm__roi_outputs(w->ben, w->cost, w->df, w->net, (size_t)m->opts.horizon + 1, 1,
                             out, fn);
}

SCRM_API int scrm_roi_model_evaluate(const scrm_roi_model *model, const char *scenario,
                                     scrm_roi_result *out)
{
    const char *fn = __func__;
    if (!model || !out)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !model ? "model" : "out");
    size_t n = (size_t)model->opts.horizon + 1;
    scrm__roi_work w;
    int rc = scrm__roi_work_init(&w, model, scenario, fn);
    if (rc)
        return rc;
    const double *vals = w.vals;
    scrm__roi_out o;
    rc = scrm__roi_eval(model, vals, &w, &o, fn);
    if (!rc) {
        double root = (double)NAN;
        size_t count = 0;
        /* No message: EDOM (all zero) and EBUFS (several roots) are answers here. */
        int irc = scrm__finance_irr(w.net, n, &root, 1, &count, NULL);
        if (irc == SCRM_ENOMEM)
            rc = scrm__fail(SCRM_ENOMEM, fn, "out of memory");
        out->benefits = o.benefits;
        out->costs = o.costs;
        out->benefits_pv = o.benefits_pv;
        out->costs_pv = o.costs_pv;
        out->npv = o.npv;
        out->roi = o.roi;
        out->roi_undiscounted = o.roi_undiscounted;
        out->irr_count = (int32_t)(irc == SCRM_EDOM ? 0 : count);
        out->irr = irc == SCRM_OK && count == 1 ? root : (double)NAN;
        out->irr_annual = isnan(out->irr)
                              ? (double)NAN
                              : scrm__det_expm1(model->ppy * scrm__det_log1p(out->irr));
        out->horizon = model->opts.horizon;
        out->rate_per_period = rate_per_period(model, vals[SCRM_ROI_INPUT_DISCOUNT_RATE]);
        out->payback = o.payback;
        out->discounted_payback = o.discounted_payback;
    }
    scrm__roi_work_free(&w);
    return rc;
}

SCRM_API int scrm_roi_model_flows(const scrm_roi_model *model, const char *scenario,
                                  int32_t which, double *out, size_t cap, size_t *out_len)
{
    const char *fn = __func__;
    if (!model || !out_len || (!out && cap > 0))
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL",
                          !model ? "model" : !out_len ? "out_len" : "out");
    if (which < SCRM_ROI_FLOWS_DISCOUNTED_NET || (which >= 0 && (size_t)which >= model->n_lines))
        return scrm__fail(SCRM_EINVAL, fn,
                          "unknown flows %d (a line index 0..%zu or SCRM_ROI_FLOWS_*)",
                          (int)which, model->n_lines ? model->n_lines - 1 : 0);
    size_t n = (size_t)model->opts.horizon + 1;
    scrm__roi_work w;
    int rc = scrm__roi_work_init(&w, model, scenario, fn);
    if (rc)
        return rc;
    *out_len = n;
    const double *vals = w.vals;
    const double *src = w.tmp;
    if (which >= 0) {
        memset(w.tmp, 0, n * sizeof *w.tmp);
        rc = scrm__roi_line_add(model, which, vals + scrm__roi_slot(which, 0), w.tmp, fn);
    } else {
        scrm__roi_out o;
        rc = scrm__roi_eval(model, vals, &w, &o, fn);
        if (which == SCRM_ROI_FLOWS_BENEFITS)
            src = w.ben;
        else if (which == SCRM_ROI_FLOWS_COSTS)
            src = w.cost;
        else if (which == SCRM_ROI_FLOWS_NET)
            src = w.net;
        else
            for (size_t t = 0; t < n; t++)
                w.tmp[t] = w.net[t] * w.df[t];
    }
    if (!rc) {
        for (size_t t = 0; t < n && !rc; t++)
            if (!isfinite(src[t]))
                rc = scrm__fail(SCRM_ERANGE, fn, "flow %zu overflows", t);
    }
    if (!rc) {
        if (cap < n)
            rc = scrm__fail(SCRM_EBUFS, fn, "%zu flows, room for %zu", n, cap);
        else
            memcpy(out, src, n * sizeof *out);
    }
    scrm__roi_work_free(&w);
    return rc;
}
