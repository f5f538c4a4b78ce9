/* Customer lifetime value per customer, lifetimes' definition
 * (lifetimes/utils.py `_customer_lifetime_value`):
 *   CLV_i = sum_{k=1..K} margin * M_i * (E_i(k f) - E_i((k-1) f)) / (1 + d)^k. */
#include "clv/model.h"

#include <math.h>

int scrm__clv_value(const scrm_clv_model *tm, const scrm_clv_model *sm,
                    const scrm_clv_data *c, const scrm_clv_value_options *o, double *out)
{
    const scrm__clv_kind *k = tm->k;
    const double *p = tm->info.params;
    double f = o->units_per_month, disc = 1.0 / (1.0 + o->discount_rate);
    for (size_t i = 0; i < c->n; i++) {
        double x = c->frequency[i], tx = c->recency[i], T = c->age[i], m = c->monetary[i];
        double M = m;
        int st;
        if (sm && (st = sm->k->spend(sm->info.params, x, m, &M)))
            return scrm__error(st, "scrm_clv_customer_value: spend model fails at row %zu", i);
        double prev = 0, value = 0, dk = 1;
        for (uint32_t step = 1; step <= o->months; step++) {
            double e;
            if ((st = k->cond_expected(p, f * step, x, tx, T, &e)))
                return scrm__error(st, "scrm_clv_customer_value: %s fails at row %zu", k->name, i);
            dk *= disc;
            value += (e - prev) * dk;
            prev = e;
        }
        out[i] = o->margin * M * value;
        if (!isfinite(out[i]))
            return scrm__error(SCRM_ERANGE, "scrm_clv_customer_value: row %zu: value overflows", i);
    }
    return SCRM_OK;
}
