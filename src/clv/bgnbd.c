/* BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy way:
 * an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.
 * Parameters r, alpha (purchase rate ~ Gamma(r, alpha)), a, b (drop-out
 * probability after each repeat purchase ~ Beta(a, b)).
 *
 * Log-likelihood (FHL 2005 eq. 6, in the log-space form of Fader & Hardie's
 * note "Overcoming the BG/NBD model's #NUM! error problem"):
 *   ll = ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x) - ln B(a, b)
 *        - (r+x) ln(alpha+T) + ln(1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
 * with its analytic gradient. Terms that depend on x only are computed once
 * per distinct x. */
#include "clv/bgfamily.h"
#include "num/sf.h"
#include "num/sum.h"

#include <math.h>

static int check_row(double x, double tx, double T, double m, int fitting, const char **why)
{
    return scrm__clv_check_rfm(x, tx, T, m, fitting, why);
}

static void start(const scrm__clv_rows *rows, double *p)
{
    (void)rows;
    p[0] = p[1] = p[2] = p[3] = 1.0;
}

static int loglik(const double *p, const scrm__clv_rows *rows, double *ll, double *grad)
{
    return scrm__clv_bg_loglik(p, rows, 0, ll, grad);
}

static int expected(const double *p, double t, double *out)
{
    double r = p[0], alpha = p[1], a = p[2], b = p[3];
    return scrm__clv_bg_q(a + b - 1 - r, a - 1, a + b - 1, t / alpha, out);
}

static int p_alive(const double *p, double x, double tx, double T, double *out)
{
    *out = scrm__clv_bg_palive(p, x, tx, T, 0);
    return SCRM_OK;
}

static int cond_alive(const double *p, double t, double x, double T, double *out)
{
    double r = p[0], alpha = p[1], a = p[2], b = p[3];
    return scrm__clv_bg_q(a + b - 1 - r, a - 1, a + b + x - 1, t / (alpha + T), out);
}

static int cond_expected(const double *p, double t, double x, double tx, double T, double *out)
{
    double q;
    int st = cond_alive(p, t, x, T, &q);
    if (st)
        return st;
    *out = q * scrm__clv_bg_palive(p, x, tx, T, 0);
    return SCRM_OK;
}

static int pmf(const double *p, double t, double n, double *out)
{
    return scrm__clv_bg_pmf(p, t, n, 0, out);
}

const scrm__clv_kind scrm__clv_bgnbd = {
    .kind = SCRM_CLV_BGNBD,
    .name = "BG/NBD",
    .n_params = 4,
    .param_names = {"r", "alpha", "a", "b"},
    .inputs = SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_RECENCY | SCRM__CLV_IN_AGE,
    .time_params = 1u << 1,
    .money_params = 0,
    .check_row = check_row,
    .start = start,
    .loglik = loglik,
    .expected = expected,
    .cond_expected = cond_expected,
    .p_alive = p_alive,
    .pmf = pmf,
    .spend = NULL,
    .cond_alive = cond_alive,
};
