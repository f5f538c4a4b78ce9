/* The CLV model handle: fitting (maximum likelihood through src/num/optim),
 * construction from parameters, information, and save/restore through the
 * shared byte envelope. */
#include "clv/model.h"

#include "core/bytes.h"
#include "num/optim.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define FORMAT_VERSION 1

static int unavailable(const char *fn, int32_t kind)
{
    return scrm__error(SCRM_EINVAL, "%s: model kind %d not available", fn, (int)kind);
}

const scrm__clv_kind *scrm__clv_model_kind(const scrm_clv_model *m)
{
    return m->k;
}

static int check_params(const scrm__clv_kind *k, const double *p, size_t n, const char *fn)
{
    if (n != k->n_params)
        return scrm__error(SCRM_EINVAL, "%s: %s has %u parameters, %zu given", fn, k->name,
                           k->n_params, n);
    for (size_t i = 0; i < n; i++)
        if (!(p[i] > 0) || !isfinite(p[i]))
            return scrm__error(SCRM_EINVAL, "%s: %s parameter %s = %g must be finite and > 0", fn,
                               k->name, k->param_names[i], p[i]);
    return SCRM_OK;
}

static scrm_clv_model *alloc_model(const scrm__clv_kind *k)
{
    scrm_clv_model *m = scrm__calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->k = k;
    m->info.kind = k->kind;
    m->info.n_params = k->n_params;
    return m;
}

SCRM_API int scrm_clv_model_new(scrm_clv_model **out, int32_t kind, const double *params,
                                size_t n_params)
{
    if (out)
        *out = NULL;
    if (!out || !params)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", __func__, out ? "params" : "out");
    const scrm__clv_kind *k = scrm__clv_kind_find(kind);
    if (!k)
        return unavailable(__func__, kind);
    int st = check_params(k, params, n_params, __func__);
    if (st)
        return st;
    scrm_clv_model *m = alloc_model(k);
    if (!m)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", __func__);
    memcpy(m->info.params, params, n_params * sizeof(double));
    *out = m;
    return SCRM_OK;
}

SCRM_API void scrm_clv_model_free(scrm_clv_model *model)
{
    scrm__free(model);
}

SCRM_API int scrm_clv_model_info(const scrm_clv_model *model, scrm_clv_fit_result *out)
{
    if (!model || !out)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", __func__, model ? "out" : "model");
    *out = model->info;
    return SCRM_OK;
}

SCRM_API int scrm_clv_fit_options_init(scrm_clv_fit_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "%s: NULL opts", __func__);
    int st = scrm__check_version(version, SCRM_CLV_FIT_OPTIONS_VERSION, "scrm_clv_fit_options");
    if (st)
        return st;
    scrm_clv_fit_options d = SCRM_CLV_FIT_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

/* ---- fitting ---- */

typedef struct fit_ctx {
    const scrm__clv_kind *k;
    const scrm__clv_rows *rows;
    double penalizer;
    double pen_scale[SCRM_CLV_MAX_PARAMS]; /* fitted-units -> penalised units */
    const scrm_clv_fit_options *opts;
    double last_f;
} fit_ctx;

/* Mean negative log-likelihood per unit weight plus the penalty, in log-parameters. */
static int objective(void *vctx, const double *lp, double *f, double *g)
{
    fit_ctx *c = vctx;
    double p[SCRM_CLV_MAX_PARAMS], grad[SCRM_CLV_MAX_PARAMS], ll;
    uint32_t n = c->k->n_params;
    for (uint32_t i = 0; i < n; i++) {
        p[i] = exp(lp[i]);
        if (!(p[i] > 0) || !isfinite(p[i]))
            return SCRM_EDOM;
    }
    int st = c->k->loglik(p, c->rows, &ll, g ? grad : NULL);
    if (st)
        return st;
    double pen = 0;
    for (uint32_t i = 0; i < n; i++) {
        double q = p[i] * c->pen_scale[i];
        pen += q * q;
    }
    *f = -ll / c->rows->wsum + c->penalizer * pen;
    if (g)
        for (uint32_t i = 0; i < n; i++) {
            double q = p[i] * c->pen_scale[i];
            g[i] = -grad[i] / c->rows->wsum + 2.0 * c->penalizer * q * q;
        }
    return isfinite(*f) ? SCRM_OK : SCRM_EDOM;
}

/* Scaled (fitted) units <-> original units for parameter i. */
static double unit_factor(const scrm__clv_kind *k, const scrm__clv_rows *rows, uint32_t i)
{
    double f = 1.0;
    if (k->time_params & (1u << i))
        f *= rows->time_scale; /* alpha_scaled = alpha * s */
    if (k->money_params & (1u << i))
        f *= rows->money_scale;
    return f;
}

typedef struct progress_ctx {
    fit_ctx *fc;
} progress_ctx;

static int progress_thunk(void *user, int it, double f, double gnorm, const double *lp)
{
    fit_ctx *c = user;
    double p[SCRM_CLV_MAX_PARAMS];
    for (uint32_t i = 0; i < c->k->n_params; i++)
        p[i] = exp(lp[i]) / unit_factor(c->k, c->rows, i);
    return c->opts->progress(c->opts->progress_user_data, (uint32_t)it, -f, gnorm, p,
                             c->k->n_params);
}

/* Large fits start from the optimum of an evenly spaced subsample and the
 * optimizer's curvature there: the full data then needs a few iterations
 * instead of tens (the objective is a mean per customer, so its Hessian
 * hardly changes between the two). On any failure the plain start is kept.
 * Hbuf receives the inverse Hessian (n * n) that oo then points to. */
#define WARM_MIN_ROWS 200000
#define WARM_ROWS 50000

static void warm_start(fit_ctx *fc, double *lp, scrm__optim_options *oo, double *Hbuf)
{
    scrm__clv_rows sub;
    scrm__optim_result sr;
    if (scrm__clv_rows_subsample(fc->rows, WARM_ROWS, &sub) != SCRM_OK)
        return;
    fit_ctx sc = *fc;
    sc.rows = &sub;
    double x[SCRM_CLV_MAX_PARAMS];
    memcpy(x, lp, sizeof(double) * (size_t)oo->n);
    scrm__optim_options so = {oo->n, oo->max_iter, fmax(oo->gtol, 1e-6), NULL, NULL, &sc};
    int st = scrm__bfgs(objective, &sc, x, &so, &sr);
    scrm__clv_rows_free(&sub);
    if (st != SCRM_OK && st != SCRM_ELOSS && st != SCRM_EMAXITER)
        return;
    for (int i = 0; i < oo->n; i++)
        if (!isfinite(x[i]))
            return;
    memcpy(lp, x, sizeof(double) * (size_t)oo->n);
    memcpy(Hbuf, sr.inv_hessian, sizeof(double) * (size_t)(oo->n * oo->n));
    oo->inv_hessian = Hbuf;
}

static int check_fit_options(const scrm_clv_fit_options *o, const scrm__clv_kind *k, const char *fn)
{
    int st = scrm__check_version(o->version, SCRM_CLV_FIT_OPTIONS_VERSION, "scrm_clv_fit_options");
    if (st)
        return st;
    if (o->max_iterations < 1 || o->max_iterations > 1000000)
        return scrm__error(SCRM_EINVAL, "%s: max_iterations = %u must be in 1..1000000", fn,
                           o->max_iterations);
    if (!(o->tolerance > 0) || !isfinite(o->tolerance))
        return scrm__error(SCRM_EINVAL, "%s: tolerance = %g must be finite and > 0", fn,
                           o->tolerance);
    if (!(o->penalizer >= 0) || !isfinite(o->penalizer))
        return scrm__error(SCRM_EINVAL, "%s: penalizer = %g must be finite and >= 0", fn,
                           o->penalizer);
    if (o->initial_params)
        return check_params(k, o->initial_params, o->n_initial_params, fn);
    return SCRM_OK;
}

SCRM_API int scrm_clv_model_fit(scrm_clv_model **out, int32_t kind, const scrm_clv_data *data,
                                const scrm_clv_fit_options *opts, scrm_clv_fit_result *result)
{
    static const scrm_clv_fit_options defaults = SCRM_CLV_FIT_OPTIONS_INIT;
    if (out)
        *out = NULL;
    if (result) {
        memset(result, 0, sizeof *result);
        result->kind = kind;
    }
    if (!out || !data)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", __func__, out ? "data" : "out");
    const scrm__clv_kind *k = scrm__clv_kind_find(kind);
    if (!k || !k->loglik)
        return unavailable(__func__, kind);
    const scrm_clv_fit_options *o = opts ? opts : &defaults;
    int st = check_fit_options(o, k, __func__);
    if (st)
        return st;
    scrm__clv_rows rows;
    if ((st = scrm__clv_rows_build(k, data, __func__, &rows)))
        return st;

    uint32_t n = k->n_params;
    fit_ctx fc = {k, &rows, o->penalizer, {0}, o, 0};
    double lp[SCRM_CLV_MAX_PARAMS], p0[SCRM_CLV_MAX_PARAMS];
    for (uint32_t i = 0; i < n; i++) {
        /* Penalty on lifetimes' scale: time params on its axis where the
         * largest age is 1 (ours is SCRM__CLV_TIME_AXIS), money params in
         * original units, the rest as they are. */
        fc.pen_scale[i] = 1.0;
        if ((k->time_params & (1u << i)) && rows.time_scale != 1.0)
            fc.pen_scale[i] = 1.0 / SCRM__CLV_TIME_AXIS;
        if (k->money_params & (1u << i))
            fc.pen_scale[i] /= rows.money_scale;
    }
    if (o->initial_params) {
        for (uint32_t i = 0; i < n; i++)
            p0[i] = o->initial_params[i] * unit_factor(k, &rows, i);
    } else {
        k->start(&rows, p0);
    }
    for (uint32_t i = 0; i < n; i++)
        lp[i] = log(p0[i]);

    scrm__optim_options oo = {(int)n, (int)o->max_iterations, o->tolerance, NULL,
                              o->progress ? progress_thunk : NULL, &fc};
    scrm__optim_result orr;
    double H0[SCRM_CLV_MAX_PARAMS * SCRM_CLV_MAX_PARAMS];
    if (rows.n >= WARM_MIN_ROWS)
        warm_start(&fc, lp, &oo, H0);
    int ost = scrm__bfgs(objective, &fc, lp, &oo, &orr);
    if (ost != SCRM_OK && ost != SCRM_EMAXITER && ost != SCRM_ELOSS) {
        scrm__clv_rows_free(&rows);
        return scrm__error(SCRM_EDOM,
                           "%s: %s log-likelihood cannot be evaluated at the starting point",
                           __func__, k->name);
    }

    scrm_clv_fit_result res;
    memset(&res, 0, sizeof res);
    res.kind = kind;
    res.status = ost;
    res.converged = orr.converged;
    res.fitted = 1;
    res.n_params = n;
    res.iterations = (uint32_t)orr.iterations;
    res.evaluations = (uint32_t)orr.evaluations;
    res.gradient_norm = orr.gnorm;
    res.n_customers = rows.wsum;
    res.n_rows = rows.n;
    double pfit[SCRM_CLV_MAX_PARAMS];
    for (uint32_t i = 0; i < n; i++) {
        pfit[i] = exp(lp[i]);
        res.params[i] = pfit[i] / unit_factor(k, &rows, i);
    }
    /* Log-likelihood on the data as given: undo the Jacobian of the rescaling
     * (densities in t_x scale as 1/s per repeat purchase, in mbar as 1/c). */
    double ll;
    if (k->loglik(pfit, &rows, &ll, NULL) == SCRM_OK) {
        if (k->time_params)
            ll += rows.wxsum * log(rows.time_scale);
        if (k->money_params)
            ll += rows.wsum * log(rows.money_scale);
        res.log_likelihood = ll;
    } else {
        res.log_likelihood = -(double)INFINITY;
    }
    /* Standard errors: Hessian of the total objective in log space, inverted,
     * then the delta method (exact at a stationary point). Forward differences
     * of the analytic gradient from the optimum (n evaluations, not 2n): with
     * a step of 1e-6 they agree with central differences to about 1e-5
     * relative on CDNOW. */
    double H[SCRM_CLV_MAX_PARAMS * SCRM_CLV_MAX_PARAMS];
    int hst = scrm__hessian_fd_forward(objective, &fc, (int)n, lp, orr.g, 1e-6, H);
    if (hst == SCRM_OK) {
        for (uint32_t i = 0; i < n * n; i++)
            H[i] *= rows.wsum;
        hst = scrm__spd_inverse((int)n, H);
    }
    for (uint32_t i = 0; i < n; i++)
        res.std_errors[i] = hst == SCRM_OK ? res.params[i] * sqrt(H[i * n + i]) : (double)INFINITY;
    scrm__clv_rows_free(&rows);

    if (result)
        *result = res;
    if (ost == SCRM_EMAXITER)
        return scrm__error(ost,
                           "%s: %s did not converge in %u iterations%s (gradient norm %.3g > "
                           "tolerance %.3g); best point returned",
                           __func__, k->name, res.iterations,
                           orr.stopped ? " (stopped by the progress callback)" : "",
                           res.gradient_norm, o->tolerance);
    if (ost == SCRM_ELOSS)
        return scrm__error(ost,
                           "%s: %s: no further decrease possible at gradient norm %.3g (tolerance "
                           "%.3g); best point returned",
                           __func__, k->name, res.gradient_norm, o->tolerance);
    scrm_clv_model *m = alloc_model(k);
    if (!m)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", __func__);
    m->info = res;
    if (hst == SCRM_OK) {
        memcpy(m->cov_log, H, sizeof(double) * (size_t)(n * n));
        m->has_cov = 1;
    }
    *out = m;
    return SCRM_OK;
}

SCRM_API int scrm_clv_model_covariance(const scrm_clv_model *model, double *out, size_t cap,
                                       size_t *out_len)
{
    if (!model || !out_len)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", __func__, model ? "out_len" : "model");
    size_t n = model->info.n_params, need = n * n;
    *out_len = need;
    if (!model->has_cov)
        return scrm__error(SCRM_ENODATA,
                           "%s: %s model has no covariance (not fitted in this process, or the "
                           "Hessian at the optimum is not positive definite)",
                           __func__, model->k->name);
    if (cap < need || !out)
        return scrm__error(SCRM_EBUFS, "%s: %zu entries needed, %zu given", __func__, need, cap);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            out[i * n + j] = model->info.params[i] * model->info.params[j] * model->cov_log[i * n + j];
    return SCRM_OK;
}

/* ---- save / restore ---- */

SCRM_API int scrm_clv_model_serialize(const scrm_clv_model *model, uint8_t *buf, size_t cap,
                                      size_t *out_len)
{
    if (!model || !out_len)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", __func__, model ? "out_len" : "model");
    const scrm_clv_fit_result *r = &model->info;
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_CLV_MODEL, FORMAT_VERSION);
    scrm__put_u32(&w, (uint32_t)r->kind);
    scrm__put_u32(&w, r->n_params);
    scrm__put_u32(&w, (uint32_t)r->status);
    scrm__put_u8(&w, (uint8_t)r->converged);
    scrm__put_u8(&w, (uint8_t)r->fitted);
    scrm__put_u32(&w, r->iterations);
    scrm__put_u32(&w, r->evaluations);
    for (uint32_t i = 0; i < r->n_params; i++) {
        scrm__put_f64(&w, r->params[i]);
        scrm__put_f64(&w, r->std_errors[i]);
    }
    scrm__put_f64(&w, r->log_likelihood);
    scrm__put_f64(&w, r->gradient_norm);
    scrm__put_f64(&w, r->n_customers);
    scrm__put_u64(&w, r->n_rows);
    return scrm__envelope_end(&w, out_len, "scrm_clv_model");
}

SCRM_API int scrm_clv_model_deserialize(scrm_clv_model **out, const uint8_t *buf, size_t len)
{
    if (out)
        *out = NULL;
    if (!out || !buf)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", __func__, out ? "buf" : "out");
    scrm__reader rd;
    uint16_t version;
    int st = scrm__envelope_open(&rd, buf, len, SCRM__KIND_CLV_MODEL, FORMAT_VERSION, &version,
                                 "scrm_clv_model");
    if (st)
        return st;
    scrm_clv_fit_result r;
    memset(&r, 0, sizeof r);
    r.kind = (int32_t)scrm__get_u32(&rd);
    r.n_params = scrm__get_u32(&rd);
    r.status = (int32_t)scrm__get_u32(&rd);
    r.converged = scrm__get_u8(&rd);
    r.fitted = scrm__get_u8(&rd);
    r.iterations = scrm__get_u32(&rd);
    r.evaluations = scrm__get_u32(&rd);
    if (r.n_params > SCRM_CLV_MAX_PARAMS || rd.failed)
        return scrm__error(SCRM_ECORRUPT, "%s: bad parameter count %u", __func__, r.n_params);
    for (uint32_t i = 0; i < r.n_params; i++) {
        r.params[i] = scrm__get_f64(&rd);
        r.std_errors[i] = scrm__get_f64(&rd);
    }
    r.log_likelihood = scrm__get_f64(&rd);
    r.gradient_norm = scrm__get_f64(&rd);
    r.n_customers = scrm__get_f64(&rd);
    r.n_rows = scrm__get_u64(&rd);
    if ((st = scrm__reader_close(&rd, "scrm_clv_model")))
        return st;
    const scrm__clv_kind *k = scrm__clv_kind_find(r.kind);
    if (!k)
        return unavailable(__func__, r.kind);
    if (r.n_params != k->n_params || r.converged > 1 || r.fitted > 1)
        return scrm__error(SCRM_ECORRUPT, "%s: inconsistent %s model", __func__, k->name);
    for (uint32_t i = 0; i < r.n_params; i++)
        if (!(r.params[i] > 0) || !isfinite(r.params[i]) || !(r.std_errors[i] >= 0))
            return scrm__error(SCRM_ECORRUPT, "%s: bad value for parameter %s", __func__,
                               k->param_names[i]);
    scrm_clv_model *m = alloc_model(k);
    if (!m)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", __func__);
    m->info = r;
    *out = m;
    return SCRM_OK;
}
