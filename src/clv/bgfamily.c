/* BG/NBD and MBG/NBD: log-likelihood with gradient, P(alive), P(X(t) = n). */
#include "clv/bgfamily.h"
#include "num/sf.h"
#include "num/sum.h"

#include <float.h>
#include <math.h>

int scrm__clv_check_rfm(double x, double tx, double T, double m, int fitting, const char **why)
{
    (void)m, (void)fitting;
    if (x < 0 || x != floor(x) || x > 1e9)
        *why = "frequency must be a non-negative integer";
    else if (tx < 0)
        *why = "recency must be >= 0";
    else if (T < 0)
        *why = "age must be >= 0";
    else if (tx > T)
        *why = "recency exceeds age";
    else if (x == 0 && tx != 0)
        *why = "recency must be 0 when frequency is 0";
    else
        return SCRM_OK;
    return SCRM_EINVAL;
}

/* Per distinct x: [0] ln G(r+x) - ln G(r), [1] psi(r+x) - psi(r), [2] ln B(a, b+x+mod) -
 * ln B(a, b), [3] d[2]/da, [4] d[2]/db, [5] ln a - ln(b+x-1+mod), [6] 1/(b+x-1+mod). */
static int per_x(const double *p, const scrm__clv_rows *rows, int mod)
{
    double r = p[0], a = p[2], b = p[3];
    double lgr, sg, psir, psib, psiab, lbab;
    if (scrm__lgamma_sgn(r, &lgr, &sg) || scrm__digamma(r, &psir) || scrm__digamma(b, &psib) ||
        scrm__digamma(a + b, &psiab) || scrm__lbeta(a, b, &lbab))
        return SCRM_EDOM;
    for (size_t j = 0; j < rows->nx; j++) {
        double x = rows->xs[j], *s = rows->scratch + j * SCRM__CLV_SCRATCH;
        double bx = b + x + mod, lg, ps1, ps2, ps3, lb;
        if (scrm__lgamma_sgn(r + x, &lg, &sg) || scrm__digamma(r + x, &ps1) ||
            scrm__digamma(bx, &ps2) || scrm__digamma(a + bx, &ps3) || scrm__lbeta(a, bx, &lb))
            return SCRM_EDOM;
        s[0] = lg - lgr;
        s[1] = ps1 - psir;
        s[2] = lb - lbab;
        s[3] = psiab - ps3;
        s[4] = ps2 - psib + s[3];
        double d = b + x - 1 + mod; /* > 0 whenever the second term exists */
        s[5] = d > 0 ? log(a) - log(d) : 0.0;
        s[6] = d > 0 ? 1.0 / d : 0.0;
    }
    return SCRM_OK;
}

int scrm__clv_bg_loglik(const double *p, const scrm__clv_rows *rows, int mod, double *ll,
                        double *grad)
{
    double r = p[0], alpha = p[1], a = p[2], b = p[3];
    int st = per_x(p, rows, mod);
    if (st)
        return st;
    double lalpha = log(alpha);
    /* log(alpha + t) once per distinct time when times repeat. */
    double *lt = rows->tv ? rows->tv_scratch : NULL;
    if (lt)
        for (size_t j = 0; j < rows->ntv; j++)
            lt[j] = log(alpha + rows->tv[j]);
    scrm__sum acc = SCRM__SUM_INIT;
    double gr = 0, ga = 0, gA = 0, gB = 0;
    for (size_t i = 0; i < rows->n; i++) {
        const double *s = rows->scratch + (size_t)rows->xi[i] * SCRM__CLV_SCRATCH;
        double x = rows->x[i], T = rows->T[i], tx = rows->tx[i], w = rows->w[i];
        double aT = alpha + T, rx = r + x;
        double lT = lt ? lt[rows->iT[i]] : log(aT);
        double v = s[0] + r * lalpha + s[2] - rx * lT;
        double P = 0, d = 0, atx = 0;
        if (x > 0 || mod) {
            /* log and exp only: glibc's log1p costs several logs. */
            atx = alpha + tx;
            d = lT - (lt ? lt[rows->itx[i]] : log(atx)); /* ln((alpha+T)/(alpha+t_x)) */
            double delta = s[5] + rx * d;
            double e = exp(-fabs(delta)); /* log(1 + e^delta) without overflow */
            v += fmax(delta, 0.0) + log(1.0 + e);
            P = delta > 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        }
        scrm__sum_add(&acc, w * v);
        if (grad) {
            gr += w * (s[1] + lalpha - lT + P * d);
            double dal = r / alpha - rx / aT;
            if (P > 0)
                dal -= P * rx * (T - tx) / (aT * atx);
            ga += w * dal;
            gA += w * (s[3] + P / a);
            gB += w * (s[4] - P * s[6]);
        }
    }
    *ll = scrm__sum_value(&acc);
    if (grad) {
        grad[0] = r * gr;
        grad[1] = alpha * ga;
        grad[2] = a * gA;
        grad[3] = b * gB;
    }
    return isfinite(*ll) ? SCRM_OK : SCRM_EDOM;
}

double scrm__clv_bg_palive(const double *p, double x, double tx, double T, int mod)
{
    double r = p[0], alpha = p[1], a = p[2], b = p[3];
    if (x == 0 && !mod)
        return 1.0;
    /* 1 / (1 + e^delta); log of the ratio rather than log1p: only the
     * absolute error of delta matters here. */
    double delta = log(a / (b + x - 1 + mod)) + (r + x) * log((alpha + T) / (alpha + tx));
    if (delta > 0) {
        double e = exp(-delta);
        return e / (1.0 + e);
    }
    return 1.0 / (1.0 + exp(delta));
}

int scrm__clv_nb_tail(double r, double q, double n, double *out)
{
    if (n <= 0) {
        *out = 1.0;
        return SCRM_OK;
    }
    if (q <= 0) {
        *out = 0.0;
        return SCRM_OK;
    }
    double lq0 = log1p(-q), lq = log(q), lgr, sg;
    if (scrm__lgamma_sgn(r, &lgr, &sg))
        return SCRM_EDOM;
    double mode = r > 1 ? (r - 1) * q / (1 - q) : 0.0;
    if (n <= mode + 1) {
        /* Head sum is at most about one half: 1 - head loses nothing. */
        double pmf = exp(r * lq0), head = 0;
        for (double j = 0; j < n; j++) {
            head += pmf;
            pmf *= (r + j) / (j + 1) * q;
        }
        *out = fmax(0.0, 1.0 - head);
        return SCRM_OK;
    }
    /* Beyond the mode the terms decrease: sum the tail directly. */
    double lg, lf;
    if (scrm__lgamma_sgn(r + n, &lg, &sg) || scrm__lgamma_sgn(n + 1, &lf, &sg))
        return SCRM_EDOM;
    double pmf = exp(lg - lgr - lf + r * lq0 + n * lq), sum = 0;
    for (long k = 0; k < 100000000L; k++) {
        sum += pmf;
        double j = n + (double)k;
        double ratio = (r + j) / (j + 1) * q;
        pmf *= ratio;
        if (pmf <= 0.25 * DBL_EPSILON * (1 - ratio) * sum || pmf == 0) {
            *out = fmin(1.0, sum);
            return SCRM_OK;
        }
    }
    return SCRM_EMAXITER;
}

int scrm__clv_bg_pmf(const double *p, double t, double n, int mod, double *out)
{
    double r = p[0], alpha = p[1], a = p[2], b = p[3];
    if (t == 0) {
        *out = n == 0 ? 1.0 : 0.0;
        return SCRM_OK;
    }
    double lbab, lb1, lb2 = 0, lgr, lgrn, lfn, sg;
    if (scrm__lbeta(a, b, &lbab) || scrm__lbeta(a, b + n + mod, &lb1) ||
        scrm__lgamma_sgn(r, &lgr, &sg) || scrm__lgamma_sgn(r + n, &lgrn, &sg) ||
        scrm__lgamma_sgn(n + 1, &lfn, &sg))
        return SCRM_EDOM;
    double lq0 = -log1p(t / alpha), lq1 = -log1p(alpha / t);
    double first = exp(lb1 - lbab + lgrn - lgr - lfn + r * lq0 + n * lq1);
    double second = 0;
    if (n > 0 || mod) {
        double tail;
        int st = scrm__clv_nb_tail(r, t / (alpha + t), n, &tail);
        if (st)
            return st;
        if (scrm__lbeta(a + 1, b + n - 1 + mod, &lb2))
            return SCRM_EDOM;
        second = exp(lb2 - lbab) * tail;
    }
    *out = first + second;
    return SCRM_OK;
}
