/* Gauss hypergeometric function 2F1(a, b; c; z) for real arguments, computed
 * in log space so that values beyond DBL_MAX (large parameters, as in the
 * BG/NBD model with thousands of purchases) stay usable.
 *
 * Methods (Abramowitz & Stegun 15.3; DLMF 15.8):
 *  - the Gauss series, rescaled as it grows, for 0 <= z <= 0.9; of the series
 *    and Euler's transform (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) the one whose
 *    terms do not change sign (else the smaller) is used;
 *  - Pfaff's transform to z/(z-1) for z < 0;
 *  - the 1 - z connection formula (DLMF 15.8.4) for z > 0.9; when c - a - b
 *    is within 1e-5 of an integer (where its two terms have cancelling
 *    poles), Richardson extrapolation of it in b from b +- 1e-4, b +- 2e-4;
 *  - Gauss's sum at z = 1 when c - a - b > 0; finite sums for polynomials. */
#include "num/sf.h"

#include <float.h>
#include <math.h>

#define Z_SERIES_MAX 0.9
#define SERIES_MAX_TERMS 4000000L
#define RESCALE 1e250
#define LOG_RESCALE 575.64627324851142 /* 250 ln 10 */

static int is_nonpos_int(double x)
{
    return x <= 0 && x == floor(x);
}

typedef struct lval {
    double ln;  /* log|v| */
    double sgn; /* -1, 0, +1 */
    double rel; /* relative error estimate */
} lval;

/* Plain Gauss series with rescaling. */
static int series(double a, double b, double c, double z, long max_terms, lval *out)
{
    double sum = 1.0, term = 1.0, abs_sum = 1.0, lscale = 0.0;
    double kmin = fmax(0.0, fmax(-a, fmax(-b, -c))) + 1.0;
    long k;
    int converged = 0;
    for (k = 0; k < max_terms; k++) {
        double dk = (double)k;
        double ratio = (a + dk) * (b + dk) / ((c + dk) * (dk + 1.0)) * z;
        term *= ratio;
        if (term == 0.0) { /* polynomial ended (or underflow) */
            converged = 1;
            break;
        }
        sum += term;
        abs_sum += fabs(term);
        if (abs_sum > RESCALE) {
            sum /= RESCALE;
            term /= RESCALE;
            abs_sum /= RESCALE;
            lscale += LOG_RESCALE;
        }
        if (dk + 1.0 > kmin) {
            double next = (a + dk + 1.0) * (b + dk + 1.0) / ((c + dk + 1.0) * (dk + 2.0)) * z;
            double rho = fmax(fabs(next), fabs(z));
            if (rho < 1.0 && fabs(term) * rho <= 0.5 * DBL_EPSILON * (1.0 - rho) * fabs(sum)) {
                converged = 1;
                break;
            }
        }
    }
    if (sum == 0.0) {
        out->ln = -(double)INFINITY;
        out->sgn = 0.0;
        out->rel = (double)INFINITY;
    } else {
        out->ln = log(fabs(sum)) + lscale;
        out->sgn = sum < 0 ? -1.0 : 1.0;
        out->rel = DBL_EPSILON * (2.0 + sqrt((double)k + 1.0)) * abs_sum / fabs(sum);
    }
    return converged ? SCRM_OK : SCRM_EMAXITER;
}

/* Terms all of one sign? (c > 0 and a, b >= 0 with z >= 0) */
static int positive_terms(double a, double b, double c)
{
    return c > 0 && a >= 0 && b >= 0;
}

/* 0 <= z < 1: Gauss series or Euler's transform, whichever behaves. */
static int series_best(double a, double b, double c, double z, long max_terms, lval *out)
{
    double ea = c - a, eb = c - b;
    int use_euler;
    if (positive_terms(a, b, c) != positive_terms(ea, eb, c))
        use_euler = positive_terms(ea, eb, c);
    else
        use_euler = fabs(ea * eb) < fabs(a * b);
    if (!use_euler)
        return series(a, b, c, z, max_terms, out);
    int st = series(ea, eb, c, z, max_terms, out);
    out->ln += (c - a - b) * log1p(-z);
    out->rel += DBL_EPSILON * fabs((c - a - b) * log1p(-z));
    return st;
}

/* sign(x) * exp(lx) + sign(y) * exp(ly) in log space. */
static lval lsum(lval x, lval y)
{
    if (x.sgn == 0)
        return y;
    if (y.sgn == 0)
        return x;
    double m = fmax(x.ln, y.ln);
    double u = x.sgn * exp(x.ln - m), v = y.sgn * exp(y.ln - m);
    double s = u + v;
    lval r;
    if (s == 0.0) {
        r.ln = -(double)INFINITY;
        r.sgn = 0;
        r.rel = (double)INFINITY;
        return r;
    }
    r.ln = m + log(fabs(s));
    r.sgn = s < 0 ? -1.0 : 1.0;
    r.rel = (fabs(u) * (x.rel + DBL_EPSILON) + fabs(v) * (y.rel + DBL_EPSILON)) / fabs(s);
    return r;
}

/* log|Gamma| with sign, accumulated; returns 0 when a 1/Gamma(pole) makes the
 * coefficient vanish. */
static int lgam_acc(double x, double power, double *ln, double *sgn, double *mag)
{
    double v, s;
    if (is_nonpos_int(x)) {
        if (power < 0) { /* 1/Gamma(pole) = 0 */
            *sgn = 0.0;
            return SCRM_OK;
        }
        return SCRM_EDOM;
    }
    int st = scrm__lgamma_sgn(x, &v, &s);
    if (st != SCRM_OK)
        return st;
    *ln += power * v;
    if (s < 0)
        *sgn = -*sgn;
    *mag += fabs(v);
    return SCRM_OK;
}

/* z > 0.9 with c - a - b not an integer: DLMF 15.8.4. */
static int one_minus_z(double a, double b, double c, double z, lval *out)
{
    double w = 1.0 - z, m = c - a - b;
    lval t1 = {0, 1, 0}, t2 = {0, 1, 0};
    double mag1 = 0, mag2 = 0;
    int st;
    /* t1 = Gamma(c) Gamma(m) / (Gamma(c-a) Gamma(c-b)) F(a, b; 1 - m; w) */
    if ((st = lgam_acc(c, 1, &t1.ln, &t1.sgn, &mag1)) || (st = lgam_acc(m, 1, &t1.ln, &t1.sgn, &mag1)))
        return st;
    if ((st = lgam_acc(c - a, -1, &t1.ln, &t1.sgn, &mag1)) ||
        (t1.sgn != 0 && (st = lgam_acc(c - b, -1, &t1.ln, &t1.sgn, &mag1))))
        return st;
    if (t1.sgn != 0) {
        lval f;
        if ((st = series_best(a, b, 1.0 - m, w, SERIES_MAX_TERMS, &f)))
            return st;
        t1.ln += f.ln;
        t1.sgn *= f.sgn;
        t1.rel = f.rel + 4 * DBL_EPSILON * (mag1 + 1);
    }
    /* t2 = w^m Gamma(c) Gamma(-m) / (Gamma(a) Gamma(b)) F(c-a, c-b; 1 + m; w) */
    if ((st = lgam_acc(c, 1, &t2.ln, &t2.sgn, &mag2)) || (st = lgam_acc(-m, 1, &t2.ln, &t2.sgn, &mag2)))
        return st;
    if ((st = lgam_acc(a, -1, &t2.ln, &t2.sgn, &mag2)) ||
        (t2.sgn != 0 && (st = lgam_acc(b, -1, &t2.ln, &t2.sgn, &mag2))))
        return st;
    if (t2.sgn != 0) {
        lval f;
        if ((st = series_best(c - a, c - b, 1.0 + m, w, SERIES_MAX_TERMS, &f)))
            return st;
        t2.ln += f.ln + m * log(w);
        t2.sgn *= f.sgn;
        t2.rel = f.rel + 4 * DBL_EPSILON * (mag2 + fabs(m * log(w)) + 1);
    }
    *out = lsum(t1, t2);
    return SCRM_OK;
}

/* z > 0.9 and c - a - b within 1e-5 of an integer, where the connection
 * formula has poles that cancel: F is smooth in b, so evaluate it at
 * b +- d and b +- 2d (d = 1e-4, away from the poles) and extrapolate
 * (Richardson, error O(d^4)); the cancellation left costs about 1e-11. */
static int near_integer(double a, double b, double c, double z, lval *out)
{
    const double d = 1e-4;
    const double shifts[4] = {d, -d, 2 * d, -2 * d};
    lval v[4];
    for (int i = 0; i < 4; i++) {
        int st = one_minus_z(a, b + shifts[i], c, z, &v[i]);
        if (st)
            return series_best(a, b, c, z, SERIES_MAX_TERMS, out);
    }
    double ref = v[0].ln, f[4], rel = 0;
    for (int i = 0; i < 4; i++) {
        f[i] = v[i].sgn * exp(v[i].ln - ref);
        rel = fmax(rel, v[i].rel);
    }
    double val = (4.0 * (f[0] + f[1]) - (f[2] + f[3])) / 6.0;
    double mag = (4.0 * (fabs(f[0]) + fabs(f[1])) + fabs(f[2]) + fabs(f[3])) / 6.0;
    if (val == 0.0) {
        out->ln = -(double)INFINITY;
        out->sgn = 0;
        out->rel = (double)INFINITY;
        return SCRM_OK;
    }
    out->ln = ref + log(fabs(val));
    out->sgn = val < 0 ? -1.0 : 1.0;
    out->rel = (rel + 1e-11) * mag / fabs(val) + 1e-11;
    return SCRM_OK;
}

int scrm__hyperg_2F1_log(double a, double b, double c, double z, double *lnabs, double *sgn,
                         double *relerr)
{
    lval r = {0.0, 1.0, 0.0};
    int st = SCRM_OK;
    if (!isfinite(a) || !isfinite(b) || !isfinite(c) || !isfinite(z))
        return SCRM_EDOM;
    int poly = (is_nonpos_int(a) && a > -1e7) || (is_nonpos_int(b) && b > -1e7);
    if (is_nonpos_int(c)) {
        /* Only a polynomial that ends before the pole is defined. */
        double na = is_nonpos_int(a) ? a : -(double)INFINITY, nb = is_nonpos_int(b) ? b : -(double)INFINITY;
        if (!(fmax(na, nb) > c))
            return SCRM_EDOM;
    }
    if (a == 0.0 || b == 0.0 || z == 0.0) {
        /* F = 1 */
    } else if (poly) {
        st = series(a, b, c, z, 20000000L, &r);
    } else if (z > 1.0) {
        return SCRM_EDOM;
    } else if (z == 1.0) {
        double m = c - a - b;
        if (!(m > 0))
            return SCRM_EDOM;
        double mag = 0;
        if ((st = lgam_acc(c, 1, &r.ln, &r.sgn, &mag)) || (st = lgam_acc(m, 1, &r.ln, &r.sgn, &mag)) ||
            (st = lgam_acc(c - a, -1, &r.ln, &r.sgn, &mag)) ||
            (r.sgn != 0 && (st = lgam_acc(c - b, -1, &r.ln, &r.sgn, &mag))))
            return st;
        if (r.sgn == 0)
            r.ln = -(double)INFINITY;
        r.rel = 4 * DBL_EPSILON * (mag + 1);
    } else if (z < 0.0) {
        /* Pfaff: F = (1-z)^(-a) F(a, c-b; c; z/(z-1)), or the same with a, b swapped. */
        double w = z / (z - 1.0);
        double pa = a, pb = c - b;
        if (fabs(b * (c - a)) < fabs(a * (c - b))) {
            pa = b;
            pb = c - a;
        }
        double ln, s, rel;
        st = scrm__hyperg_2F1_log(pa, pb, c, w, &ln, &s, &rel);
        if (st != SCRM_OK && st != SCRM_ELOSS)
            return st;
        r.ln = ln - pa * log1p(-z);
        r.sgn = s;
        r.rel = rel + DBL_EPSILON * fabs(pa * log1p(-z));
    } else if (z <= Z_SERIES_MAX) {
        st = series_best(a, b, c, z, SERIES_MAX_TERMS, &r);
    } else {
        double m = c - a - b;
        if (fabs(m - nearbyint(m)) > 1e-5)
            st = one_minus_z(a, b, c, z, &r);
        else
            st = near_integer(a, b, c, z, &r);
    }
    *lnabs = r.ln;
    *sgn = r.sgn;
    *relerr = r.rel;
    if (st == SCRM_OK && r.rel > 1e-6)
        st = SCRM_ELOSS;
    return st;
}

/* ---- public wrappers ---- */

static int report(int st, const char *fn, double a, double b, double c, double x)
{
    switch (st) {
    case SCRM_EDOM:
        return scrm__fail(st, fn,
                          "(a, b, c, x) = (%g, %g, %g, %g) outside the domain (x < 1, or x = 1 "
                          "with c - a - b > 0; c not 0, -1, -2, ...)",
                          a, b, c, x);
    case SCRM_EMAXITER:
        return scrm__fail(st, fn, "series for (%g, %g, %g, %g) did not converge", a, b, c, x);
    case SCRM_ELOSS:
        return scrm__fail(st, fn, "(%g, %g, %g, %g): cancellation, result unreliable", a, b, c, x);
    default:
        return scrm__fail(st, fn, "(%g, %g, %g, %g) failed", a, b, c, x);
    }
}

SCRM_API int scrm_sf_hyperg_2F1_log_e(double a, double b, double c, double x,
                                      scrm_sf_result *lnabs, double *sgn)
{
    if (!lnabs || !sgn)
        return SCRM__FAIL(SCRM_EINVAL, "result: NULL");
    double ln = (double)NAN, s = 0, rel = (double)NAN;
    int st = scrm__hyperg_2F1_log(a, b, c, x, &ln, &s, &rel);
    if (st != SCRM_OK && st != SCRM_ELOSS && st != SCRM_EMAXITER) {
        lnabs->val = (double)NAN;
        lnabs->err = (double)NAN;
        *sgn = 0;
        return report(st, __func__, a, b, c, x);
    }
    lnabs->val = ln;
    lnabs->err = rel + 2 * DBL_EPSILON * fabs(ln);
    *sgn = s;
    return st == SCRM_OK ? SCRM_OK : report(st, __func__, a, b, c, x);
}

SCRM_API int scrm_sf_hyperg_2F1_e(double a, double b, double c, double x, scrm_sf_result *result)
{
    SCRM__CHECK_NULL(result);
    double ln = (double)NAN, s = 0, rel = (double)NAN;
    int st = scrm__hyperg_2F1_log(a, b, c, x, &ln, &s, &rel);
    if (st != SCRM_OK && st != SCRM_ELOSS && st != SCRM_EMAXITER) {
        result->val = (double)NAN;
        result->err = (double)NAN;
        return report(st, __func__, a, b, c, x);
    }
    if (ln > log(DBL_MAX)) {
        result->val = s * (double)INFINITY;
        result->err = (double)INFINITY;
        return SCRM__FAIL(SCRM_ERANGE, "2F1(%g, %g; %g; %g) overflows (log|F| = %g)", a, b, c, x,
                          ln);
    }
    double v = s * exp(ln);
    result->val = v;
    result->err = fabs(v) * (rel + 2 * DBL_EPSILON * (1 + fabs(ln))) + DBL_MIN;
    return st == SCRM_OK ? SCRM_OK : report(st, __func__, a, b, c, x);
}

SCRM_API double scrm_sf_hyperg_2F1(double a, double b, double c, double x)
{
    scrm_sf_result r;
    int st = scrm_sf_hyperg_2F1_e(a, b, c, x, &r);
    return (st == SCRM_OK || st == SCRM_ELOSS) ? r.val : (double)NAN;
}
