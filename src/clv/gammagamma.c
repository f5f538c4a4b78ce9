/* Gamma-Gamma model of spend per transaction: Fader, Hardie & Lee (2005),
 * "RFM and CLV: using iso-value curves for customer base analysis", JMR 42(4),
 * 415-430; Fader & Hardie (2013), "The Gamma-Gamma model of monetary value".
 * Transaction values ~ Gamma(p, nu), nu ~ Gamma(q, v). For a customer with
 * x transactions of mean mbar (note eq. 1a):
 *   ll = ln G(px+q) - ln G(px) - ln G(q) + q ln v + (px-1) ln mbar + px ln x
 *        - (px+q) ln(x mbar + v)
 * and E[M | x, mbar] = (1-w) v p/(q-1) + w mbar, w = px/(px+q-1) (eq. 5).
 * Fitted on customers with x >= 1; v is fitted with money rescaled to a mean
 * of 1 for conditioning. */
#include "clv/kinds.h"
#include "num/sf.h"
#include "num/sum.h"

#include <math.h>

static int check_row(double x, double tx, double T, double m, int fitting, const char **why)
{
    (void)tx, (void)T;
    if (fitting) {
        if (!(x > 0))
            *why = "Gamma-Gamma is fitted on customers with frequency > 0";
        else if (!(m > 0))
            *why = "monetary must be > 0";
        else
            return SCRM_OK;
        return SCRM_EINVAL;
    }
    if (!(x >= 0))
        *why = "frequency must be >= 0";
    else if (x > 0 && !(m >= 0))
        *why = "monetary must be >= 0";
    else
        return SCRM_OK;
    return SCRM_EINVAL;
}

static void start(const scrm__clv_rows *rows, double *p)
{
    (void)rows;
    p[0] = 1.0;
    p[1] = 2.0;
    p[2] = 1.0;
}

static int loglik(const double *par, const scrm__clv_rows *rows, double *ll, double *grad)
{
    double p = par[0], q = par[1], v = par[2], lgq, psiq, sg;
    if (scrm__lgamma_sgn(q, &lgq, &sg) || scrm__digamma(q, &psiq))
        return SCRM_EDOM;
    for (size_t j = 0; j < rows->nx; j++) {
        double x = rows->xs[j], *s = rows->scratch + j * SCRM__CLV_SCRATCH, a, b;
        if (scrm__lgamma_sgn(p * x + q, &a, &sg) || scrm__lgamma_sgn(p * x, &b, &sg))
            return SCRM_EDOM;
        s[0] = a - b - lgq;
        if (scrm__digamma(p * x + q, &a) || scrm__digamma(p * x, &b))
            return SCRM_EDOM;
        s[1] = a;
        s[2] = b;
        s[3] = log(x);
    }
    double lv = log(v);
    scrm__sum acc = SCRM__SUM_INIT;
    double gp = 0, gq = 0, gv = 0;
    for (size_t i = 0; i < rows->n; i++) {
        const double *s = rows->scratch + (size_t)rows->xi[i] * SCRM__CLV_SCRATCH;
        double x = rows->x[i], m = rows->m[i], w = rows->w[i], px = p * x;
        double lm = log(m), lxm = log(x * m + v);
        scrm__sum_add(&acc, w * (s[0] + q * lv + (px - 1) * lm + px * s[3] - (px + q) * lxm));
        if (grad) {
            gp += w * x * (s[1] - s[2] + lm + s[3] - lxm);
            gq += w * (s[1] - psiq + lv - lxm);
            gv += w * (q / v - (px + q) / (x * m + v));
        }
    }
    *ll = scrm__sum_value(&acc);
    if (grad) {
        grad[0] = p * gp;
        grad[1] = q * gq;
        grad[2] = v * gv;
    }
    return isfinite(*ll) ? SCRM_OK : SCRM_EDOM;
}

static int spend(const double *par, double x, double m, double *out)
{
    double p = par[0], q = par[1], v = par[2];
    double pop = v * p / (q - 1);
    if (x == 0) {
        *out = pop;
        return SCRM_OK;
    }
    double w = p * x / (p * x + q - 1);
    *out = (1 - w) * pop + w * m;
    return SCRM_OK;
}

const scrm__clv_kind scrm__clv_gamma_gamma = {
    .kind = SCRM_CLV_GAMMA_GAMMA,
    .name = "Gamma-Gamma",
    .n_params = 3,
    .param_names = {"p", "q", "v"},
    .inputs = SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_MONETARY,
    .time_params = 0,
    .money_params = 1u << 2,
    .check_row = check_row,
    .start = start,
    .loglik = loglik,
    .expected = NULL,
    .cond_expected = NULL,
    .p_alive = NULL,
    .pmf = NULL,
    .spend = spend,
};
