/* BG/BB: Fader, Hardie & Shang (2010), "Customer-base analysis in a
 * discrete-time noncontractual setting", Marketing Science 29(6), 1086-1108.
 * At each of n transaction opportunities a customer who is alive transacts
 * with probability p and, before each opportunity, dies with probability
 * theta; p ~ Beta(alpha, beta), theta ~ Beta(gamma, delta) across customers.
 * Rows: frequency x = opportunities with a transaction, recency t_x = the
 * last of them (0 if none), age n = opportunities observed; integers with
 * 0 <= x <= t_x <= n. Likelihood:
 *   L = B(a+x, b+n-x)/B(a,b) B(g, d+n)/B(g,d)
 *     + sum_{i=0}^{n-t_x-1} B(a+x, b+t_x-x+i)/B(a,b) B(g+1, d+t_x+i)/B(g,d),
 * evaluated as a log-sum-exp whose terms (and their derivatives) follow from
 * one another by B(u, v+1)/B(u, v) = v/(u+v) and psi(z+1) = psi(z) + 1/z. */
#include "clv/kinds.h"

#include "num/sf.h"
#include "num/sum.h"

#include <math.h>

/* Sums longer than this use log-gamma differences instead of products. */
#define BGBB_PRODUCT_MAX 100000.0

static int is_count(double v)
{
    return v >= 0 && v == floor(v) && v <= 1e9;
}

/* log B(u + ku, v + kv) - log B(u, v) for integer shifts ku, kv >= 0: a product
 * of ratios (u+j)/(u+v+j) and (v+j)/(u+ku+v+j) for short shifts (the common
 * case, and far cheaper than log-gamma), log-beta differences otherwise. */
static int lbr(double u, double v, double ku, double kv, double *out)
{
    if (ku + kv <= 64) {
        double prod = 1.0, acc = 0.0;
        for (double j = 0; j < ku; j++) {
            prod *= (u + j) / (u + v + j);
            if (prod < 1e-250) {
                acc += log(prod);
                prod = 1.0;
            }
        }
        for (double j = 0; j < kv; j++) {
            prod *= (v + j) / (u + ku + v + j);
            if (prod < 1e-250) {
                acc += log(prod);
                prod = 1.0;
            }
        }
        *out = acc + log(prod);
        return SCRM_OK;
    }
    double l1, l0;
    if (scrm__lbeta(u + ku, v + kv, &l1) || scrm__lbeta(u, v, &l0))
        return SCRM_EDOM;
    *out = l1 - l0;
    return SCRM_OK;
}

static int check_row(double x, double tx, double n, double m, int fitting, const char **why)
{
    (void)m, (void)fitting;
    if (!is_count(x))
        *why = "frequency must be a non-negative integer";
    else if (!is_count(tx))
        *why = "recency must be a non-negative integer (an opportunity index)";
    else if (!is_count(n))
        *why = "age (opportunities) must be a non-negative integer";
    else if (tx > n)
        *why = "recency exceeds age";
    else if (x > tx)
        *why = "frequency exceeds recency";
    else if (x == 0 && tx != 0)
        *why = "recency must be 0 when frequency is 0";
    else if (x > 0 && tx == 0)
        *why = "recency must be >= 1 when frequency is > 0";
    else
        return SCRM_OK;
    return SCRM_EINVAL;
}

static void start(const scrm__clv_rows *rows, double *p)
{
    (void)rows;
    p[0] = p[1] = p[2] = p[3] = 1.0;
}

/* Running log-sum-exp with the weighted mean of each term's gradient. */
typedef struct lse {
    double m, s, d[4];
} lse;

static void lse_add(lse *e, double t, const double *dt)
{
    if (t > e->m) {
        double f = exp(e->m - t);
        e->s = e->s * f + 1.0;
        for (int k = 0; k < 4; k++)
            e->d[k] = e->d[k] * f + (dt ? dt[k] : 0);
        e->m = t;
    } else {
        double f = exp(t - e->m);
        e->s += f;
        if (dt)
            for (int k = 0; k < 4; k++)
                e->d[k] += f * dt[k];
    }
}

typedef struct consts {
    double a, b, g, d;
    double lb_ab, lb_gd;           /* log B(a,b), log B(g,d) */
    double psi_a, psi_b, psi_ab;   /* psi(a), psi(b), psi(a+b) */
    double psi_d, psi_gd;          /* psi(d), psi(g+d) */
} consts;

/* grad: digammas for the gradient; betas: log B(a,b), log B(g,d) (pmf only). */
static int setup(const double *p, int grad, int betas, consts *c)
{
    c->a = p[0], c->b = p[1], c->g = p[2], c->d = p[3];
    c->lb_ab = c->lb_gd = 0.0;
    if (betas && (scrm__lbeta(c->a, c->b, &c->lb_ab) || scrm__lbeta(c->g, c->d, &c->lb_gd)))
        return SCRM_EDOM;
    if (grad && (scrm__digamma(c->a, &c->psi_a) || scrm__digamma(c->b, &c->psi_b) ||
                 scrm__digamma(c->a + c->b, &c->psi_ab) || scrm__digamma(c->d, &c->psi_d) ||
                 scrm__digamma(c->g + c->d, &c->psi_gd)))
        return SCRM_EDOM;
    return SCRM_OK;
}

/* log L of one row, and d log L / d(a, b, g, d) when grad != NULL. */
static int row_loglik(const consts *c, double x, double tx, double n, double *ll, double *grad)
{
    double a = c->a, b = c->b, g = c->g, d = c->d, l1, l2;
    lse e = {-(double)INFINITY, 0, {0, 0, 0, 0}};
    /* Alive through n: B(a+x, b+n-x)/B(a,b) B(g, d+n)/B(g,d). */
    if (lbr(a, b, x, n - x, &l1) || lbr(g, d, 0, n, &l2))
        return SCRM_EDOM;
    double t = l1 + l2, dt[4];
    double psi_ax = 0, p1, p2, p3;
    if (grad) {
        if (scrm__digamma(a + x, &psi_ax) || scrm__digamma(a + b + n, &p1) ||
            scrm__digamma(b + n - x, &p2) || scrm__digamma(d + n, &p3))
            return SCRM_EDOM;
        double psi_gdn;
        if (scrm__digamma(g + d + n, &psi_gdn))
            return SCRM_EDOM;
        dt[0] = psi_ax - p1 - c->psi_a + c->psi_ab;
        dt[1] = p2 - p1 - c->psi_b + c->psi_ab;
        dt[2] = c->psi_gd - psi_gdn;
        dt[3] = p3 - psi_gdn - c->psi_d + c->psi_gd;
    }
    lse_add(&e, t, grad ? dt : NULL);
    /* Died after opportunity t_x + i, i = 0 .. n - t_x - 1:
     * B(a+x, b+t_x-x+i) B(g+1, d+t_x+i). */
    double m = n - tx;
    if (m > 0) {
        /* B(a+x, b+t_x-x)/B(a,b) and B(g+1, d+t_x)/B(g,d) = g/(g+d) B(g+1, d+t_x)/B(g+1, d). */
        if (lbr(a, b, x, tx - x, &l1) || lbr(g + 1, d, 0, tx, &l2))
            return SCRM_EDOM;
        t = l1 + l2 + log(g / (g + d));
        /* psi arguments that move with i: u1 = b+t_x-x+i, u2 = a+b+t_x+i,
         * u3 = d+t_x+i, u4 = g+d+t_x+i+1. */
        double u1 = b + tx - x, u2 = a + b + tx, u3 = d + tx, u4 = g + d + tx + 1;
        double q1 = 0, q2 = 0, q3 = 0, q4 = 0;
        if (grad && (scrm__digamma(u1, &q1) || scrm__digamma(u2, &q2) ||
                     scrm__digamma(u3, &q3) || scrm__digamma(u4, &q4)))
            return SCRM_EDOM;
        for (double i = 0; i < m; i++) {
            if (grad) {
                dt[0] = psi_ax - q2 - c->psi_a + c->psi_ab;
                dt[1] = q1 - q2 - c->psi_b + c->psi_ab;
                dt[2] = 1.0 / g - q4 + c->psi_gd;
                dt[3] = q3 - q4 - c->psi_d + c->psi_gd;
            }
            lse_add(&e, t, grad ? dt : NULL);
            /* Next term: B(u, v+1)/B(u, v) = v/(u+v) for both betas. */
            t += log(u1 / u2) + log(u3 / u4);
            if (grad) {
                q1 += 1.0 / u1;
                q2 += 1.0 / u2;
                q3 += 1.0 / u3;
                q4 += 1.0 / u4;
            }
            u1 += 1, u2 += 1, u3 += 1, u4 += 1;
        }
    }
    *ll = e.m + log(e.s);
    if (grad)
        for (int k = 0; k < 4; k++)
            grad[k] = e.d[k] / e.s;
    return isfinite(*ll) ? SCRM_OK : SCRM_EDOM;
}

static int loglik(const double *p, const scrm__clv_rows *rows, double *ll, double *grad)
{
    consts c;
    if (setup(p, grad != NULL, 0, &c))
        return SCRM_EDOM;
    scrm__sum acc = SCRM__SUM_INIT, gs[4] = {SCRM__SUM_INIT, SCRM__SUM_INIT, SCRM__SUM_INIT,
                                             SCRM__SUM_INIT};
    for (size_t i = 0; i < rows->n; i++) {
        double l, g[4];
        int st = row_loglik(&c, rows->x[i], rows->tx[i], rows->T[i], &l, grad ? g : NULL);
        if (st)
            return st;
        scrm__sum_add(&acc, rows->w[i] * l);
        if (grad)
            for (int k = 0; k < 4; k++)
                scrm__sum_add(&gs[k], rows->w[i] * p[k] * g[k]);
    }
    *ll = scrm__sum_value(&acc);
    if (grad)
        for (int k = 0; k < 4; k++)
            grad[k] = scrm__sum_value(&gs[k]);
    return isfinite(*ll) ? SCRM_OK : SCRM_EDOM;
}

/* log R(g, d, t) = ln G(g+d) - ln G(g+d+t) + ln G(1+d+t) - ln G(1+d) and
 * f = (1 - R) / (g - 1) (its limit sum_j 1/(1+d+j) at g = 1), for an integer
 * t >= 0. Products of (1+d+j)/(g+d+j) keep both exact as g -> 1. */
static int ratio(double g, double d, double t, double *logr, double *f)
{
    double e = g - 1.0;
    if (t <= BGBB_PRODUCT_MAX) {
        scrm__sum u = SCRM__SUM_INIT, h = SCRM__SUM_INIT;
        for (double j = 0; j < t; j++) {
            scrm__sum_add(&u, -log1p(e / (1.0 + d + j)));
            scrm__sum_add(&h, 1.0 / (1.0 + d + j));
        }
        *logr = scrm__sum_value(&u);
        *f = e == 0.0 ? scrm__sum_value(&h) : -expm1(*logr) / e;
        return SCRM_OK;
    }
    double l1, l2, l3, l4, sg;
    if (scrm__lgamma_sgn(g + d, &l1, &sg) || scrm__lgamma_sgn(g + d + t, &l2, &sg) ||
        scrm__lgamma_sgn(1 + d + t, &l3, &sg) || scrm__lgamma_sgn(1 + d, &l4, &sg))
        return SCRM_EDOM;
    *logr = (l1 - l4) + (l3 - l2);
    if (fabs(e) >= 1e-6) {
        *f = -expm1(*logr) / e;
    } else {
        /* Near g = 1 the difference of log-gammas cancels: first order in e. */
        double p1, p2;
        if (scrm__digamma(1 + d + t, &p1) || scrm__digamma(1 + d, &p2))
            return SCRM_EDOM;
        double h = p1 - p2;
        *f = h * (1.0 - 0.5 * e * h);
    }
    return SCRM_OK;
}

static int expected(const double *p, double t, double *out)
{
    double lr, f;
    if (!is_count(t))
        return SCRM_EINVAL; /* opportunities are whole */
    if (ratio(p[2], p[3], t, &lr, &f))
        return SCRM_EDOM;
    /* E[X(n)] = a/(a+b) d/(g-1) [1 - R]. */
    *out = p[0] / (p[0] + p[1]) * p[3] * f;
    return SCRM_OK;
}

static int p_alive(const double *p, double x, double tx, double n, double *out)
{
    consts c;
    double ll, l1, l2;
    if (setup(p, 0, 0, &c) || row_loglik(&c, x, tx, n, &ll, NULL) ||
        lbr(c.a, c.b, x, n - x, &l1) || lbr(c.g, c.d, 0, n + 1, &l2))
        return SCRM_EDOM;
    /* P(alive at opportunity n + 1 | x, t_x, n). */
    *out = exp(l1 + l2 - ll);
    if (*out > 1.0)
        *out = 1.0;
    return SCRM_OK;
}

static int cond_expected(const double *p, double t, double x, double tx, double n, double *out)
{
    consts c;
    double ll, l1, lr, f, lr2, f2;
    if (!is_count(t))
        return SCRM_EINVAL;
    if (setup(p, 0, 0, &c) || row_loglik(&c, x, tx, n, &ll, NULL) ||
        lbr(c.a, c.b, x + 1, n - x, &l1) || ratio(c.g, c.d, n, &lr, &f) ||
        ratio(c.g, c.d + n, t, &lr2, &f2))
        return SCRM_EDOM;
    /* E[X(n, n+n*) | x, t_x, n]: the bracket
     * R(n) - R(n+n*) over (g - 1) is R(n) f(g, d+n, n*). */
    *out = exp(l1 - ll + lr) * c.d * f2;
    return isfinite(*out) ? SCRM_OK : SCRM_ERANGE;
}

static int pmf(const double *p, double t, double k, double *out)
{
    consts c;
    if (!is_count(t) || !(k >= 0) || k != floor(k))
        return SCRM_EINVAL;
    if (k > t) {
        *out = 0.0;
        return SCRM_OK;
    }
    if (setup(p, 0, 1, &c))
        return SCRM_EDOM;
    double a = c.a, b = c.b, g = c.g, d = c.d, l1, l2, lc, lg1, lg2, lg3, sg;
    /* P(X(n) = x): alive through n, or died after
     * opportunity i = x .. n-1, with C(n, x) resp. C(i, x) ways to place x. */
    lse e = {-(double)INFINITY, 0, {0, 0, 0, 0}};
    if (scrm__lbeta(a + k, b + t - k, &l1) || scrm__lbeta(g, d + t, &l2) ||
        scrm__lgamma_sgn(t + 1, &lg1, &sg) || scrm__lgamma_sgn(k + 1, &lg2, &sg) ||
        scrm__lgamma_sgn(t - k + 1, &lg3, &sg))
        return SCRM_EDOM;
    lc = lg1 - lg2 - lg3;
    lse_add(&e, lc + l1 - c.lb_ab + l2 - c.lb_gd, NULL);
    if (k < t) {
        double lbi, lgi, lci;
        if (scrm__lbeta(a + k, b, &lbi) || scrm__lbeta(g + 1, d + k, &lgi))
            return SCRM_EDOM;
        lci = 0.0; /* log C(k, k) */
        for (double i = k; i < t; i++) {
            lse_add(&e, lci + lbi - c.lb_ab + lgi - c.lb_gd, NULL);
            /* i -> i+1: C(i+1, k) = C(i, k) (i+1)/(i+1-k); the betas step by v/(u+v). */
            lci += log((i + 1) / (i + 1 - k));
            lbi += log((b + i - k) / (a + b + i));
            lgi += log((d + i) / (g + 1 + d + i));
        }
    }
    *out = exp(e.m + log(e.s));
    if (*out > 1.0)
        *out = 1.0;
    return SCRM_OK;
}

const scrm__clv_kind scrm__clv_bgbb = {
    .kind = SCRM_CLV_BGBB,
    .name = "BG/BB",
    .n_params = 4,
    .param_names = {"alpha", "beta", "gamma", "delta"},
    .inputs = SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_RECENCY | SCRM__CLV_IN_AGE,
    .time_params = 0,
    .money_params = 0,
    .check_row = check_row,
    .start = start,
    .loglik = loglik,
    .expected = expected,
    .cond_expected = cond_expected,
    .p_alive = p_alive,
    .pmf = pmf,
    .spend = NULL,
};
