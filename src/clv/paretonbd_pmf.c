/* Pareto/NBD P(X(t) = n) for a new customer, from the model's two cases
 * (Fader & Hardie, "Deriving an expression for P(X(t) = x) under the
 * Pareto/NBD model", brucehardie.com/notes/012, section 4): alive through t,
 * or died at tau in (0, t] after n purchases in (0, tau]:
 *   P = NB(n; t) (beta/(beta+t))^s + s beta^s int_0^t NB(n; tau) (beta+tau)^-(s+1) dtau,
 *   NB(n; tau) = G(r+n)/(G(r) n!) (alpha/(alpha+tau))^r (tau/(alpha+tau))^n.
 * The note writes the integral as a 2F1 minus a finite sum of 2F1 terms,
 * which cancels badly; here the integral is computed directly. With
 * v = log(1 + tau/alpha) it becomes
 *   alpha^(1-r) int_0^V (1-e^-v)^n e^-((r+s)v) (alpha(1-e^-v) + beta e^-v)^-(s+1) dv,
 * V = log(1 + t/alpha), a smooth integrand without endpoint singularities,
 * integrated by adaptive Gauss-Kronrod (7/15 points) to 1e-13 relative,
 * scaled by its largest value so that no term under- or overflows. */
#include "clv/paretonbd.h"
#include "num/sf.h"

#include <float.h>
#include <math.h>

#define MAX_INTERVALS 400
#define REL_TOL 1e-13

typedef struct integrand {
    double n, rs, s1, al, be, shift;
} integrand;

static double log_f(const integrand *f, double v)
{
    double em = exp(-v), om = -expm1(-v); /* e^-v, 1 - e^-v */
    double lo = f->n > 0 ? f->n * log(om) : 0.0;
    return lo - f->rs * v - f->s1 * log(f->al * om + f->be * em);
}

/* Gauss-Kronrod 7/15 nodes and weights on [-1, 1] (QUADPACK qk15). */
static const double xgk[8] = {0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                              0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                              0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                              0.207784955007898467600689403773245, 0.000000000000000000000000000000000};
static const double wgk[8] = {0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                              0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                              0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                              0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
static const double wg[4] = {0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                             0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

static double gk15(const integrand *f, double a, double b, double *err)
{
    double c = 0.5 * (a + b), h = 0.5 * (b - a);
    double fc = exp(log_f(f, c) - f->shift);
    double rk = fc * wgk[7], rg = fc * wg[3];
    for (int j = 0; j < 7; j++) {
        double d = h * xgk[j];
        double f1 = exp(log_f(f, c - d) - f->shift), f2 = exp(log_f(f, c + d) - f->shift);
        rk += wgk[j] * (f1 + f2);
        if (j % 2 == 1)
            rg += wg[j / 2] * (f1 + f2);
    }
    *err = fabs((rk - rg) * h);
    return rk * h;
}

/* log of int_0^V e^(log_f) dv. */
static int log_integral(integrand *f, double V, double *out)
{
    /* Scale by the largest value on a coarse grid (the integrand is smooth). */
    double m = -(double)INFINITY;
    for (int i = 1; i <= 64; i++)
        m = fmax(m, log_f(f, V * i / 64.0));
    if (!isfinite(m))
        return SCRM_EDOM;
    f->shift = m;
    double lo[MAX_INTERVALS], hi[MAX_INTERVALS], val[MAX_INTERVALS], er[MAX_INTERVALS];
    int k = 1;
    lo[0] = 0;
    hi[0] = V;
    val[0] = gk15(f, 0, V, &er[0]);
    for (;;) {
        double total = 0, etot = 0;
        int worst = 0;
        for (int i = 0; i < k; i++) {
            total += val[i];
            etot += er[i];
            if (er[i] > er[worst])
                worst = i;
        }
        if (etot <= REL_TOL * total || etot < 1e-300) {
            if (!(total > 0))
                return SCRM_EDOM;
            *out = m + log(total);
            return SCRM_OK;
        }
        if (k == MAX_INTERVALS)
            return SCRM_EMAXITER;
        double a = lo[worst], b = hi[worst], mid = 0.5 * (a + b);
        if (!(mid > a && mid < b))
            return SCRM_ELOSS;
        hi[worst] = mid;
        val[worst] = gk15(f, a, mid, &er[worst]);
        lo[k] = mid;
        hi[k] = b;
        val[k] = gk15(f, mid, b, &er[k]);
        k++;
    }
}

int scrm__clv_pnbd_pmf(const double *p, double t, double n, double *out)
{
    double r = p[0], al = p[1], s = p[2], be = p[3];
    if (t == 0) {
        *out = n == 0 ? 1.0 : 0.0;
        return SCRM_OK;
    }
    double lgr, lgrn, lfn, sg;
    if (scrm__lgamma_sgn(r, &lgr, &sg) || scrm__lgamma_sgn(r + n, &lgrn, &sg) ||
        scrm__lgamma_sgn(n + 1, &lfn, &sg))
        return SCRM_EDOM;
    double C = lgrn - lgr - lfn;
    /* Alive through t. */
    double alive = C - r * log1p(t / al) + (n > 0 ? n * -log1p(al / t) : 0.0) - s * log1p(t / be);
    /* Died in (0, t]. */
    integrand f = {n, r + s, s + 1.0, al, be, 0.0};
    double li;
    int st = log_integral(&f, log1p(t / al), &li);
    if (st)
        return st;
    double died = log(s) + s * log(be) + log(al) + C + li;
    *out = fmin(1.0, exp(alive) + exp(died));
    return SCRM_OK;
}
