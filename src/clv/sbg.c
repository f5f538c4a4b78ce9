/* Shifted-beta-geometric (sBG) model of contractual retention: Fader & Hardie
 * (2007), "How to project customer retention", Journal of Interactive
 * Marketing 21(1), 76-90. A customer's churn probability per period is
 * theta ~ Beta(alpha, beta), constant over time; across customers
 *   P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)
 *   S(t)     = B(alpha, beta + t) / B(alpha, beta)
 *   r(t)     = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1).
 *
 * Rows: frequency x = renewals made, age T = renewal opportunities observed.
 * x < T: the customer churned at renewal x + 1 (P(T = x + 1)); x = T: still
 * active (right-censored, S(T)). Recency and monetary value are not used. */
#include "clv/sbg.h"

#include "num/sf.h"
#include "num/sum.h"

#include <math.h>

static int check_row(double x, double tx, double T, double m, int fitting, const char **why)
{
    (void)tx, (void)m, (void)fitting;
    if (!(x >= 0) || x != floor(x) || x > 1e9)
        *why = "renewals (frequency) must be a non-negative integer";
    else if (!(T >= 0) || T != floor(T) || T > 1e9)
        *why = "renewal opportunities (age) must be a non-negative integer";
    else if (x > T)
        *why = "renewals exceed renewal opportunities";
    else
        return SCRM_OK;
    return SCRM_EINVAL;
}

static void start(const scrm__clv_rows *rows, double *p)
{
    (void)rows;
    p[0] = p[1] = 1.0;
}

/* Weighted log-likelihood; gradient with respect to (log alpha, log beta). */
static int loglik(const double *p, const scrm__clv_rows *rows, double *ll, double *grad)
{
    double a = p[0], b = p[1], lb0, psiab, psib;
    if (scrm__lbeta(a, b, &lb0) || scrm__digamma(a + b, &psiab) || scrm__digamma(b, &psib))
        return SCRM_EDOM;
    scrm__sum acc = SCRM__SUM_INIT, ga = SCRM__SUM_INIT, gb = SCRM__SUM_INIT;
    for (size_t i = 0; i < rows->n; i++) {
        double x = rows->x[i], w = rows->w[i], lb, psibx, psiabx;
        int churned = x < rows->T[i];
        /* churned: B(a + 1, b + x); active: B(a, b + x). */
        if (scrm__lbeta(a + churned, b + x, &lb) || scrm__digamma(b + x, &psibx) ||
            scrm__digamma(a + b + x + churned, &psiabx))
            return SCRM_EDOM;
        scrm__sum_add(&acc, w * (lb - lb0));
        if (grad) {
            /* d/da: psi(a + c) - psi(a) - psi(a+b+x+c) + psi(a+b), psi(a+1) - psi(a) = 1/a. */
            double da = (churned ? 1.0 / a : 0.0) - psiabx + psiab;
            double db = psibx - psiabx - psib + psiab;
            scrm__sum_add(&ga, w * a * da);
            scrm__sum_add(&gb, w * b * db);
        }
    }
    *ll = scrm__sum_value(&acc);
    if (grad) {
        grad[0] = scrm__sum_value(&ga);
        grad[1] = scrm__sum_value(&gb);
    }
    return isfinite(*ll) ? SCRM_OK : SCRM_EDOM;
}

int scrm__sbg_log_survival(double a, double b, double t, double *out)
{
    double l1, l0;
    if (t == 0) {
        *out = 0.0;
        return SCRM_OK;
    }
    if (scrm__lbeta(a, b + t, &l1) || scrm__lbeta(a, b, &l0))
        return SCRM_EDOM;
    *out = l1 - l0;
    return SCRM_OK;
}

/* Terms the direct series may take before the connection formula is used. */
#define DERL_MAX_TERMS 200000

int scrm__sbg_derl(double a, double b, double renewals, double discount, double *out)
{
    /* Fader & Hardie (2010), eq. 6, for a customer who has made n - 1 = renewals
     * renewals: B(a, b+n)/B(a, b+n-1) 2F1(1, b+n; a+b+n; 1/(1+d)). */
    double n = renewals + 1.0, z = 1.0 / (1.0 + discount);
    double lead = (b + n - 1.0) / (a + b + n - 1.0);
    if (discount == 0.0) {
        if (!(a > 1.0))
            return SCRM_EDOM; /* expected lifetime is infinite for alpha <= 1 */
        *out = (b + n - 1.0) / (a - 1.0); /* Gauss's sum at z = 1 */
        return SCRM_OK;
    }
    if (!(discount > 0.0))
        return SCRM_EDOM;
    /* The terms of 2F1(1, b'; c'; z) are positive and shrink by at most z per
     * step, so the plain series is accurate to a few ulp; it is used when it
     * needs few enough terms (z not too close to 1). */
    double need = 40.0 / -log(z);
    if (need < DERL_MAX_TERMS) {
        double bb = b + n, cc = a + b + n, term = 1.0;
        scrm__sum acc = SCRM__SUM_INIT;
        scrm__sum_add(&acc, 1.0);
        for (long k = 0; k < 2L * DERL_MAX_TERMS; k++) {
            term *= (bb + (double)k) / (cc + (double)k) * z;
            scrm__sum_add(&acc, term);
            /* Tail after this term < term * z / (1 - z). */
            if (term * z < 1e-17 * (1.0 - z) * scrm__sum_value(&acc))
                break;
        }
        *out = lead * scrm__sum_value(&acc);
        return isfinite(*out) ? SCRM_OK : SCRM_ERANGE;
    }
    double lnf, sgn, relerr;
    int st = scrm__hyperg_2F1_log(1.0, b + n, a + b + n, z, &lnf, &sgn, &relerr);
    if (st)
        return st;
    if (!(sgn > 0))
        return SCRM_ELOSS;
    *out = lead * exp(lnf);
    return isfinite(*out) ? SCRM_OK : SCRM_ERANGE;
}

const scrm__clv_kind scrm__clv_sbg = {
    .kind = SCRM_CLV_SBG,
    .name = "sBG",
    .n_params = 2,
    .param_names = {"alpha", "beta"},
    .inputs = SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_AGE,
    .time_params = 0,
    .money_params = 0,
    .check_row = check_row,
    .start = start,
    .loglik = loglik,
    .expected = NULL,
    .cond_expected = NULL,
    .p_alive = NULL,
    .pmf = NULL,
    .spend = NULL,
};
