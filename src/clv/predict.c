/* Public predictions of a CLV model, vectorised over customers or horizons
 * into caller buffers, and the discounted customer value. */
#include "clv/model.h"

#include <math.h>

static int no_prediction(const char *fn, const scrm__clv_kind *k, const char *what)
{
    return scrm__error(SCRM_EINVAL, "%s: %s not available for model kind %s", fn, what, k->name);
}

static int buffer(size_t need, double *out, size_t cap, size_t *out_len, const char *fn)
{
    if (!out_len)
        return scrm__error(SCRM_EINVAL, "%s: NULL out_len", fn);
    *out_len = need;
    if (cap < need || (need > 0 && !out))
        return scrm__error(SCRM_EBUFS, "%s: buffer holds %zu values, %zu needed", fn, cap, need);
    return SCRM_OK;
}

static int failed(const char *fn, const scrm__clv_kind *k, int st, size_t i)
{
    return scrm__error(st == SCRM_OK ? SCRM_EDOM : st, "%s: %s: cannot evaluate at row %zu (%s)",
                       fn, k->name, i, scrm_strerror(st));
}

/* Customers given for prediction: version, needed columns, then row checks. */
static int check_customers(const scrm__clv_kind *k, const scrm_clv_data *d, uint32_t needs,
                           const char *fn)
{
    if (!d)
        return scrm__error(SCRM_EINVAL, "%s: NULL customers", fn);
    int st = scrm__check_version(d->version, SCRM_CLV_DATA_VERSION, "scrm_clv_data");
    if (st)
        return st;
    if (((needs & SCRM__CLV_IN_FREQUENCY) && !d->frequency) ||
        ((needs & SCRM__CLV_IN_RECENCY) && !d->recency) ||
        ((needs & SCRM__CLV_IN_AGE) && !d->age) ||
        ((needs & SCRM__CLV_IN_MONETARY) && !d->monetary))
        return scrm__error(SCRM_EINVAL, "%s: customers lack a column %s needs", fn, k->name);
    for (size_t i = 0; i < d->n; i++)
        if ((st = scrm__clv_check_customer(k, d, i, fn)))
            return st;
    return SCRM_OK;
}

#define RFM (SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_RECENCY | SCRM__CLV_IN_AGE)

SCRM_API int scrm_clv_expected_purchases(const scrm_clv_model *model, const double *t, size_t n,
                                         double *out, size_t cap, size_t *out_len)
{
    if (!model || (!t && n > 0))
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", __func__, model ? "t" : "model");
    const scrm__clv_kind *k = model->k;
    if (!k->expected)
        return no_prediction(__func__, k, "expected purchases");
    int st = buffer(n, out, cap, out_len, __func__);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++) {
        if (!(t[i] >= 0) || !isfinite(t[i]))
            return scrm__error(SCRM_EINVAL, "%s: t[%zu] = %g must be finite and >= 0", __func__, i,
                               t[i]);
        if ((st = k->expected(model->info.params, t[i], &out[i])) || !isfinite(out[i]))
            return failed(__func__, k, st, i);
    }
    return SCRM_OK;
}

SCRM_API int scrm_clv_conditional_expected_purchases(const scrm_clv_model *model, double t,
                                                     const scrm_clv_data *customers, double *out,
                                                     size_t cap, size_t *out_len)
{
    if (!model)
        return scrm__error(SCRM_EINVAL, "%s: NULL model", __func__);
    const scrm__clv_kind *k = model->k;
    if (!k->cond_expected)
        return no_prediction(__func__, k, "conditional expected purchases");
    if (!(t >= 0) || !isfinite(t))
        return scrm__error(SCRM_EINVAL, "%s: t = %g must be finite and >= 0", __func__, t);
    int st = check_customers(k, customers, RFM, __func__);
    if (st || (st = buffer(customers->n, out, cap, out_len, __func__)))
        return st;
    const scrm_clv_data *d = customers;
    for (size_t i = 0; i < d->n; i++)
        if ((st = k->cond_expected(model->info.params, t, d->frequency[i], d->recency[i],
                                   d->age[i], &out[i])) ||
            !isfinite(out[i]))
            return failed(__func__, k, st, i);
    return SCRM_OK;
}

SCRM_API int scrm_clv_probability_alive(const scrm_clv_model *model,
                                        const scrm_clv_data *customers, double *out, size_t cap,
                                        size_t *out_len)
{
    if (!model)
        return scrm__error(SCRM_EINVAL, "%s: NULL model", __func__);
    const scrm__clv_kind *k = model->k;
    if (!k->p_alive)
        return no_prediction(__func__, k, "probability alive");
    int st = check_customers(k, customers, RFM, __func__);
    if (st || (st = buffer(customers->n, out, cap, out_len, __func__)))
        return st;
    const scrm_clv_data *d = customers;
    for (size_t i = 0; i < d->n; i++)
        if ((st = k->p_alive(model->info.params, d->frequency[i], d->recency[i], d->age[i],
                             &out[i])) ||
            !isfinite(out[i]))
            return failed(__func__, k, st, i);
    return SCRM_OK;
}

SCRM_API int scrm_clv_probability_purchases(const scrm_clv_model *model, const double *t,
                                            const double *purchases, size_t len, double *out,
                                            size_t cap, size_t *out_len)
{
    if (!model || ((!t || !purchases) && len > 0))
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", __func__);
    const scrm__clv_kind *k = model->k;
    if (!k->pmf)
        return no_prediction(__func__, k, "P(X(t) = n)");
    int st = buffer(len, out, cap, out_len, __func__);
    if (st)
        return st;
    for (size_t i = 0; i < len; i++) {
        double n = purchases[i];
        if (!(t[i] >= 0) || !isfinite(t[i]) || !(n >= 0) || n != floor(n) || n > 1e9)
            return scrm__error(SCRM_EINVAL,
                               "%s: pair %zu: t = %g must be >= 0 and n = %g a non-negative "
                               "integer",
                               __func__, i, t[i], n);
        if ((st = k->pmf(model->info.params, t[i], n, &out[i])) || !isfinite(out[i]))
            return failed(__func__, k, st, i);
    }
    return SCRM_OK;
}

static int spend_mean_exists(const scrm_clv_model *m, const char *fn)
{
    /* Gamma-Gamma: population mean v p / (q - 1) needs q > 1. */
    if (m->k->kind == SCRM_CLV_GAMMA_GAMMA && !(m->info.params[1] > 1))
        return scrm__error(SCRM_EDOM, "%s: Gamma-Gamma q = %g <= 1: the mean spend is infinite",
                           fn, m->info.params[1]);
    return SCRM_OK;
}

SCRM_API int scrm_clv_expected_spend(const scrm_clv_model *model, const scrm_clv_data *customers,
                                     double *out, size_t cap, size_t *out_len)
{
    if (!model)
        return scrm__error(SCRM_EINVAL, "%s: NULL model", __func__);
    const scrm__clv_kind *k = model->k;
    if (!k->spend)
        return no_prediction(__func__, k, "expected spend");
    int st = check_customers(k, customers, SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_MONETARY,
                             __func__);
    if (st || (st = buffer(customers->n, out, cap, out_len, __func__)) ||
        (st = spend_mean_exists(model, __func__)))
        return st;
    const scrm_clv_data *d = customers;
    for (size_t i = 0; i < d->n; i++)
        if ((st = k->spend(model->info.params, d->frequency[i], d->monetary[i], &out[i])) ||
            !isfinite(out[i]))
            return failed(__func__, k, st, i);
    return SCRM_OK;
}

SCRM_API int scrm_clv_value_options_init(scrm_clv_value_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "%s: NULL opts", __func__);
    int st = scrm__check_version(version, SCRM_CLV_VALUE_OPTIONS_VERSION, "scrm_clv_value_options");
    if (st)
        return st;
    scrm_clv_value_options d = SCRM_CLV_VALUE_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

SCRM_API int scrm_clv_customer_value(const scrm_clv_model *transactions,
                                     const scrm_clv_model *spend, const scrm_clv_data *customers,
                                     const scrm_clv_value_options *opts, double *out, size_t cap,
                                     size_t *out_len)
{
    static const scrm_clv_value_options defaults = SCRM_CLV_VALUE_OPTIONS_INIT;
    if (!transactions)
        return scrm__error(SCRM_EINVAL, "%s: NULL transactions model", __func__);
    const scrm__clv_kind *k = transactions->k;
    if (!k->cond_expected)
        return no_prediction(__func__, k, "customer value (as transaction model)");
    if (spend && !spend->k->spend)
        return no_prediction(__func__, spend->k, "customer value (as spend model)");
    const scrm_clv_value_options *o = opts ? opts : &defaults;
    int st = scrm__check_version(o->version, SCRM_CLV_VALUE_OPTIONS_VERSION,
                                 "scrm_clv_value_options");
    if (st)
        return st;
    if (o->months < 1 || o->months > 100000 || !(o->discount_rate > -1) ||
        !isfinite(o->discount_rate) || !(o->units_per_month > 0) ||
        !isfinite(o->units_per_month) || !isfinite(o->margin))
        return scrm__error(SCRM_EINVAL,
                           "%s: bad options: months %u (1..100000), discount_rate %g (> -1), "
                           "units_per_month %g (> 0), margin %g (finite)",
                           __func__, o->months, o->discount_rate, o->units_per_month, o->margin);
    if ((st = check_customers(k, customers, RFM | SCRM__CLV_IN_MONETARY, __func__)))
        return st;
    if (spend && (st = check_customers(spend->k, customers, SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_MONETARY, __func__)))
        return st;
    if ((st = buffer(customers->n, out, cap, out_len, __func__)))
        return st;
    if (spend && (st = spend_mean_exists(spend, __func__)))
        return st;
    return scrm__clv_value(transactions, spend, customers, o, out);
}
