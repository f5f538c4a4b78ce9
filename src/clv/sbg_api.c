/* Public sBG functions: fitting from a survivor curve and the projections of
 * Fader & Hardie (2007, 2010): survival, retention, discounted expected
 * residual lifetime. */
#include "clv/model.h"
#include "clv/sbg.h"

#include <math.h>

SCRM_API int scrm_clv_sbg_fit_survivors(scrm_clv_model **out, const double *survivors, size_t n,
                                        const scrm_clv_fit_options *opts,
                                        scrm_clv_fit_result *result)
{
    static const char fn[] = "scrm_clv_sbg_fit_survivors";
    if (out)
        *out = NULL;
    if (!out || !survivors)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", fn, out ? "survivors" : "out");
    if (n < 2)
        return scrm__error(SCRM_ENODATA, "%s: need survivors at the start and after at least "
                           "one period (n = %zu)", fn, n);
    if (n > 100000000)
        return scrm__error(SCRM_ELIMIT, "%s: %zu periods exceed the limit", fn, n);
    for (size_t t = 0; t < n; t++) {
        double s = survivors[t];
        if (!isfinite(s) || s < 0)
            return scrm__error(SCRM_EINVAL, "%s: survivors[%zu] = %g must be finite and >= 0", fn,
                               t, s);
        if (t > 0 && s > survivors[t - 1])
            return scrm__error(SCRM_EINVAL,
                               "%s: survivors[%zu] = %g exceeds survivors[%zu] = %g (a cohort "
                               "only shrinks)", fn, t, s, t - 1, survivors[t - 1]);
    }
    if (!(survivors[0] > 0))
        return scrm__error(SCRM_ENODATA, "%s: survivors[0] is 0: an empty cohort", fn);
    /* Row t-1: churned at renewal t (t - 1 renewals made); row n-1: still active. */
    double *col = scrm__malloc(3 * n * sizeof *col);
    if (!col)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
    double *x = col, *T = col + n, *w = col + 2 * n;
    for (size_t t = 1; t <= n; t++) {
        x[t - 1] = (double)(t - 1);
        T[t - 1] = (double)(n - 1);
        w[t - 1] = t < n ? survivors[t - 1] - survivors[t] : survivors[n - 1];
    }
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = n;
    d.frequency = x;
    d.age = T;
    d.weights = w;
    int st = scrm_clv_model_fit(out, SCRM_CLV_SBG, &d, opts, result);
    scrm__free(col);
    return st;
}

/* Model of kind sBG and a caller buffer of n values. */
static int prologue(const scrm_clv_model *model, size_t n, double *out, size_t cap,
                    size_t *out_len, const char *fn)
{
    if (!model || !out_len)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", fn, model ? "out_len" : "model");
    if (model->k->kind != SCRM_CLV_SBG)
        return scrm__error(SCRM_EINVAL, "%s: model kind %s is not sBG", fn, model->k->name);
    *out_len = n;
    if (cap < n || (n && !out))
        return scrm__error(SCRM_EBUFS, "%s: buffer holds %zu values, %zu needed", fn, cap, n);
    return SCRM_OK;
}

static int check_period(const double *t, size_t i, double min, const char *fn, const char *what)
{
    if (!isfinite(t[i]) || t[i] < min || t[i] > 1e15)
        return scrm__error(SCRM_EINVAL, "%s: %s[%zu] = %g must be finite and >= %g", fn, what, i,
                           t[i], min);
    return SCRM_OK;
}

SCRM_API int scrm_clv_sbg_survival(const scrm_clv_model *model, const double *t, size_t n,
                                   double *out, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_clv_sbg_survival";
    int st = prologue(model, n, out, cap, out_len, fn);
    if (st)
        return st;
    if (n && !t)
        return scrm__error(SCRM_EINVAL, "%s: NULL t", fn);
    const double *p = model->info.params;
    for (size_t i = 0; i < n; i++) {
        double ls;
        if ((st = check_period(t, i, 0.0, fn, "t")))
            return st;
        if ((st = scrm__sbg_log_survival(p[0], p[1], t[i], &ls)))
            return scrm__error(st, "%s: cannot evaluate S(%g)", fn, t[i]);
        out[i] = exp(ls);
    }
    return SCRM_OK;
}

SCRM_API int scrm_clv_sbg_retention(const scrm_clv_model *model, const double *t, size_t n,
                                    double *out, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_clv_sbg_retention";
    int st = prologue(model, n, out, cap, out_len, fn);
    if (st)
        return st;
    if (n && !t)
        return scrm__error(SCRM_EINVAL, "%s: NULL t", fn);
    const double a = model->info.params[0], b = model->info.params[1];
    for (size_t i = 0; i < n; i++) {
        if ((st = check_period(t, i, 1.0, fn, "t")))
            return st;
        out[i] = (b + t[i] - 1.0) / (a + b + t[i] - 1.0);
    }
    return SCRM_OK;
}

SCRM_API int scrm_clv_sbg_derl(const scrm_clv_model *model, double discount,
                               const double *renewals, size_t n, double *out, size_t cap,
                               size_t *out_len)
{
    static const char fn[] = "scrm_clv_sbg_derl";
    int st = prologue(model, n, out, cap, out_len, fn);
    if (st)
        return st;
    if (n && !renewals)
        return scrm__error(SCRM_EINVAL, "%s: NULL renewals", fn);
    if (isnan(discount) || isinf(discount))
        return scrm__error(SCRM_EINVAL, "%s: discount is %g", fn, discount);
    const double a = model->info.params[0], b = model->info.params[1];
    if (discount < 0 || (discount == 0 && !(a > 1)))
        return scrm__error(SCRM_EDOM,
                           "%s: discount %g: the expected lifetime diverges (needs discount > 0, "
                           "or discount = 0 with alpha = %g > 1)", fn, discount, a);
    for (size_t i = 0; i < n; i++) {
        if ((st = check_period(renewals, i, 0.0, fn, "renewals")))
            return st;
        if (renewals[i] != floor(renewals[i]))
            return scrm__error(SCRM_EINVAL, "%s: renewals[%zu] = %g is not an integer", fn, i,
                               renewals[i]);
        if ((st = scrm__sbg_derl(a, b, renewals[i], discount, &out[i])))
            return scrm__error(st, "%s: cannot evaluate DERL at renewals[%zu] = %g (%s)", fn, i,
                               renewals[i], scrm_strerror(st));
    }
    return SCRM_OK;
}
