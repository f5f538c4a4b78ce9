/* MBG/NBD: Batislam, Denizel & Filiztekin (2007), "Empirical validation and
 * comparison of models for customer base analysis", IJRM 24(3), 201-209;
 * conditional expectation corrected by Wagner & Hoppe (2008), IJRM 25(3),
 * 225-226. As BG/NBD, but a customer may also drop out right after the first
 * purchase (so x = 0 customers are not certainly alive):
 *   ll = ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x+1) - ln B(a, b)
 *        - (r+x) ln(alpha+T) + ln(1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)). */
#include "clv/bgfamily.h"

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
    return scrm__clv_bg_loglik(p, rows, 1, ll, grad);
}

static int expected(const double *p, double t, double *out)
{
    double r = p[0], alpha = p[1], a = p[2], b = p[3], q;
    int st = scrm__clv_bg_q(a + b - r, a - 1, a + b, t / alpha, &q);
    if (!st)
        *out = b / (a + b) * q;
    return st;
}

static int p_alive(const double *p, double x, double tx, double T, double *out)
{
    *out = scrm__clv_bg_palive(p, x, tx, T, 1);
    return SCRM_OK;
}

static int cond_alive(const double *p, double t, double x, double T, double *out)
{
    double r = p[0], alpha = p[1], a = p[2], b = p[3];
    return scrm__clv_bg_q(a + b - r, a - 1, a + b + x, t / (alpha + T), out);
}

static int cond_expected(const double *p, double t, double x, double tx, double T, double *out)
{
    double q;
    int st = cond_alive(p, t, x, T, &q);
    if (st)
        return st;
    *out = q * scrm__clv_bg_palive(p, x, tx, T, 1);
    return SCRM_OK;
}

static int pmf(const double *p, double t, double n, double *out)
{
    return scrm__clv_bg_pmf(p, t, n, 1, out);
}

const scrm__clv_kind scrm__clv_mbgnbd = {
    .kind = SCRM_CLV_MBGNBD,
    .name = "MBG/NBD",
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
