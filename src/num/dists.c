/* Deterministic elementary functions, samplers and the parametric distributions
 * of uncertain inputs. See dists.h for the platform-independence contract. */
#include "num/dists.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/internal.h"
#include "num/normal.h"

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^21 (fdlibm's split). */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00
#define SQRT_HALF 0.70710678118654752440
#define HALF_LOG_2PI 0.91893853320467274178
/* NAN and INFINITY are float constants; spell the double conversion out. */
#define D_NAN ((double)NAN)
#define D_INF ((double)INFINITY)

/* log(1 + f) for |f| <= 0.4143 (1 + f in [sqrt(1/2), sqrt(2))), f exact.
 * With s = f/(2+f): log(1+f) = 2 atanh(s) = f - s (f - R),
 * R = 2 (s^2/3 + s^4/5 + ...); s^2 <= 0.0295, so nine terms reach 2^-55. */
static double log1p_core(double f)
{
    double s = f / (2.0 + f);
    double z = s * s;
    double r = 2.0 / 19.0;
    r = r * z + 2.0 / 17.0;
    r = r * z + 2.0 / 15.0;
    r = r * z + 2.0 / 13.0;
    r = r * z + 2.0 / 11.0;
    r = r * z + 2.0 / 9.0;
    r = r * z + 2.0 / 7.0;
    r = r * z + 2.0 / 5.0;
    r = r * z + 2.0 / 3.0;
    r *= z;
    return f - s * (f - r);
}

double scrm__det_log(double x)
{
    if (isnan(x) || x < 0.0)
        return D_NAN;
    if (x == 0.0)
        return -D_INF;
    if (isinf(x))
        return x;
    int e;
    double m = frexp(x, &e); /* x = m 2^e, m in [0.5, 1) */
    if (m < SQRT_HALF) {
        m *= 2.0;
        e -= 1;
    }
    double core = log1p_core(m - 1.0); /* m - 1 is exact (Sterbenz) */
    if (e == 0)
        return core;
    return (double)e * LN2_HI + ((double)e * LN2_LO + core);
}

double scrm__det_log1p(double x)
{
    if (isnan(x) || x < -1.0)
        return D_NAN;
    if (x == -1.0)
        return -D_INF;
    if (isinf(x))
        return x;
    if (x >= SQRT_HALF - 1.0 && x < 0.41421356237309504880)
        return log1p_core(x);
    double u = 1.0 + x;
    /* u - 1 is exact; c is the rounding error of 1 + x. */
    double c = x - (u - 1.0);
    return scrm__det_log(u) + c / u;
}

/* e^r - 1 for |r| <= 0.35: Taylor series to r^14 (remainder < 2^-60). */
static double expm1_core(double r)
{
    double p = 1.0 / 87178291200.0; /* 1/14! */
    p = p * r + 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    return r + r * r * p;
}

double scrm__det_exp(double x)
{
    if (isnan(x))
        return x;
    if (x > 709.782712893383973096)
        return D_INF;
    if (x < -745.13321910194122)
        return 0.0;
    double kd = floor(x * INV_LN2 + 0.5);
    /* kd * LN2_HI is exact and x - kd * LN2_HI too (Sterbenz), |r| <= 0.35. */
    double r = (x - kd * LN2_HI) - kd * LN2_LO;
    double y = 1.0 + expm1_core(r); /* in [0.70, 1.42] */
    int k = (int)kd;
    if (k < -1021 || k > 1023)
        return ldexp(y, k); /* subnormal or overflowing results */
    /* y 2^k is exact for normal results: build 2^k from its bits. */
    uint64_t bits = (uint64_t)(k + 1023) << 52;
    double p2;
    memcpy(&p2, &bits, sizeof p2);
    return y * p2;
}

double scrm__det_expm1(double x)
{
    if (isnan(x))
        return x;
    if (fabs(x) <= 0.34657359027997264)
        return expm1_core(x);
    if (x < -40.0)
        return -1.0;
    return scrm__det_exp(x) - 1.0;
}

double scrm__det_lgamma(double x)
{
    if (!(x > 0.0))
        return D_NAN;
    if (isinf(x))
        return x;
    /* Shift to x >= 15 with lgamma(x) = lgamma(x + n) - log(x (x+1) ... ). */
    double prod = 1.0;
    while (x < 15.0) {
        prod *= x;
        x += 1.0;
    }
    /* Stirling series with Bernoulli terms to B14 (error < 1e-19 at x = 15). */
    double z = 1.0 / x, z2 = z * z;
    double series =
        z * (1.0 / 12.0 -
             z2 * (1.0 / 360.0 -
                   z2 * (1.0 / 1260.0 -
                         z2 * (1.0 / 1680.0 -
                               z2 * (1.0 / 1188.0 -
                                     z2 * (691.0 / 360360.0 - z2 * (1.0 / 156.0)))))));
    return (x - 0.5) * scrm__det_log(x) - x + HALF_LOG_2PI + series - scrm__det_log(prod);
}

double scrm__det_normal_quantile(double p)
{
    return scrm__normal_quantile_as241(p, scrm__det_log);
}

/* ---- Samplers ---- */

double scrm__rand_normal(scrm__rng *rng)
{
    return scrm__det_normal_quantile(scrm__rng_uniform_open(rng));
}

double scrm__rand_exponential(scrm__rng *rng)
{
    return -scrm__det_log(scrm__rng_uniform_open(rng));
}

/* Marsaglia-Tsang for shape >= 1. */
static double gamma_ge1(scrm__rng *rng, double a)
{
    double d = a - 1.0 / 3.0;
    double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = scrm__rand_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = scrm__rng_uniform_open(rng);
        double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2)
            return d * v;
        if (scrm__det_log(u) < 0.5 * x2 + d * (1.0 - v + scrm__det_log(v)))
            return d * v;
    }
}

double scrm__rand_gamma(scrm__rng *rng, double shape)
{
    if (shape >= 1.0)
        return gamma_ge1(rng, shape);
    double g = gamma_ge1(rng, shape + 1.0);
    double u = scrm__rng_uniform_open(rng);
    return g * scrm__det_exp(scrm__det_log(u) / shape);
}

/* log of a Gamma(shape) variate without underflow for small shapes. */
static double log_gamma_variate(scrm__rng *rng, double shape)
{
    if (shape >= 1.0)
        return scrm__det_log(gamma_ge1(rng, shape));
    double g = gamma_ge1(rng, shape + 1.0);
    return scrm__det_log(g) + scrm__det_log(scrm__rng_uniform_open(rng)) / shape;
}

double scrm__rand_beta(scrm__rng *rng, double a, double b)
{
    if (a >= 1.0 && b >= 1.0) {
        double x = gamma_ge1(rng, a);
        double y = gamma_ge1(rng, b);
        return x / (x + y);
    }
    double lx = log_gamma_variate(rng, a);
    double ly = log_gamma_variate(rng, b);
    double t = ly - lx; /* beta = 1 / (1 + e^t) */
    if (t > 0.0) {
        double e = scrm__det_exp(-t);
        return e / (1.0 + e);
    }
    return 1.0 / (1.0 + scrm__det_exp(t));
}

uint64_t scrm__rand_poisson(scrm__rng *rng, double lambda)
{
    if (!(lambda > 0.0))
        return 0;
    if (lambda < 10.0) {
        double u = scrm__rng_uniform(rng);
        double p = scrm__det_exp(-lambda), cdf = p;
        uint64_t k = 0;
        /* The CDF may round to just below 1: stop once the terms vanish. */
        while (u > cdf && p > 0.0) {
            k++;
            p *= lambda / (double)k;
            cdf += p;
        }
        return k;
    }
    double slam = sqrt(lambda);
    double loglam = scrm__det_log(lambda);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double log_invalpha = scrm__det_log(1.1239 + 1.1328 / (b - 3.4));
    double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = scrm__rng_uniform_open(rng) - 0.5; /* |u| < 0.5 */
        double v = scrm__rng_uniform_open(rng);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= vr)
            return (uint64_t)k;
        if (k < 0.0 || (us < 0.013 && v > us))
            continue;
        if (scrm__det_log(v) + log_invalpha - scrm__det_log(a / (us * us) + b) <=
            -lambda + k * loglam - scrm__det_lgamma(k + 1.0))
            return (uint64_t)k;
    }
}

uint64_t scrm__rand_geometric(scrm__rng *rng, double p)
{
    if (p >= 1.0)
        return 1;
    double g = floor(scrm__det_log(scrm__rng_uniform_open(rng)) / scrm__det_log1p(-p));
    if (!(g < 18446744073709551615.0))
        return UINT64_MAX;
    return 1 + (uint64_t)g;
}

/* ---- Incomplete beta ---- */

#define LENTZ_TINY 1e-300

/* One step of the modified Lentz method with partial numerator aa: updates
 * c and d and returns the factor d c of the next convergent. */
static inline double lentz_step(double aa, double *c, double *d)
{
    *d = 1.0 + aa * *d;
    if (fabs(*d) < LENTZ_TINY)
        *d = LENTZ_TINY;
    *c = 1.0 + aa / *c;
    if (fabs(*c) < LENTZ_TINY)
        *c = LENTZ_TINY;
    *d = 1.0 / *d;
    return *d * *c;
}

/* Continued fraction of I_x(a,b) (DLMF 8.17.22) by the modified Lentz method. */
static double beta_cf(double x, double a, double b)
{
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < LENTZ_TINY)
        d = LENTZ_TINY;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        /* even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
        h *= lentz_step(m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)), &c, &d);
        /* odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
        double del = lentz_step(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)), &c, &d);
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return h;
}

static double log_beta_fn(double a, double b)
{
    return scrm__det_lgamma(a) + scrm__det_lgamma(b) - scrm__det_lgamma(a + b);
}

double scrm__beta_cdf(double x, double a, double b)
{
    if (isnan(x) || !(a > 0.0) || !(b > 0.0))
        return D_NAN;
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double lfront = a * scrm__det_log(x) + b * scrm__det_log1p(-x) - log_beta_fn(a, b);
    /* The fraction converges fast for x < (a+1)/(a+b+2); use symmetry above. */
    if (x < (a + 1.0) / (a + b + 2.0))
        return scrm__det_exp(lfront) * beta_cf(x, a, b) / a;
    return 1.0 - scrm__det_exp(lfront) * beta_cf(1.0 - x, b, a) / b;
}

double scrm__beta_quantile(double p, double a, double b)
{
    if (isnan(p) || p < 0.0 || p > 1.0 || !(a > 0.0) || !(b > 0.0))
        return D_NAN;
    if (p == 0.0)
        return 0.0;
    if (p == 1.0)
        return 1.0;
    double lb = log_beta_fn(a, b);
    double lo = 0.0, hi = 1.0, x = a / (a + b);
    /* Newton on I_x - p, kept inside the bracket; bisection when it leaves. */
    for (int i = 0; i < 200; i++) {
        double f = scrm__beta_cdf(x, a, b) - p;
        if (f == 0.0)
            return x;
        if (f < 0.0)
            lo = x;
        else
            hi = x;
        double lpdf = (a - 1.0) * scrm__det_log(x) + (b - 1.0) * scrm__det_log1p(-x) - lb;
        double next = x - f / scrm__det_exp(lpdf);
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        if (fabs(next - x) <= 2.0 * DBL_EPSILON * x || hi - lo <= 2.0 * DBL_EPSILON * hi)
            return next;
        x = next;
    }
    return x;
}

/* ---- Parametric distributions ---- */

static int bad(const char *what, const char *msg, double v)
{
    return scrm__fail(SCRM_EINVAL, what, "%s (got %.17g)", msg, v);
}

/* Uniform, triangular and PERT: a finite range [lo, hi] (and a mode). */
static int init_range(scrm__dist *d, const char *what)
{
    double p1 = d->p1, p2 = d->p2, p3 = d->p3;
    if (d->kind == SCRM__DIST_UNIFORM) {
        if (!(p1 < p2))
            return scrm__fail(SCRM_EINVAL, what,
                              "uniform needs a < b (got a=%.17g, b=%.17g; use fixed for a "
                              "constant)",
                              p1, p2);
        if (!isfinite(p2 - p1))
            return bad(what, "uniform range b - a overflows", p2 - p1);
        d->lo = p1;
        d->hi = p2;
        return SCRM_OK;
    }
    const char *name = d->kind == SCRM__DIST_PERT ? "PERT" : "triangular";
    if (!(p1 < p3))
        return scrm__fail(SCRM_EINVAL, what, "%s needs min < max (got min=%.17g, max=%.17g)",
                          name, p1, p3);
    if (!(p1 <= p2 && p2 <= p3))
        return scrm__fail(SCRM_EINVAL, what,
                          "%s mode %.17g is outside [min, max] = [%.17g, %.17g]", name, p2, p1,
                          p3);
    double w = p3 - p1;
    if (!isfinite(w))
        return bad(what, "range max - min overflows", w);
    d->lo = p1;
    d->hi = p3;
    d->z = (p2 - p1) / w;             /* CDF at the mode (triangular) */
    d->x = 1.0 + 4.0 * (p2 - p1) / w; /* Beta shapes (PERT, lambda = 4) */
    d->y = 1.0 + 4.0 * (p3 - p2) / w;
    return SCRM_OK;
}

/* Normal and both lognormal parameterisations (x, y = mu, sigma of the log). */
static int init_normal(scrm__dist *d, const char *what)
{
    double p1 = d->p1, p2 = d->p2;
    switch (d->kind) {
    case SCRM__DIST_NORMAL:
        if (!(p2 > 0.0))
            return bad(what, "normal sd must be > 0", p2);
        d->lo = -D_INF;
        d->hi = D_INF;
        return SCRM_OK;
    case SCRM__DIST_LOGNORMAL:
        if (!(p2 > 0.0))
            return bad(what, "lognormal sigma (sd of log) must be > 0", p2);
        d->x = p1;
        d->y = p2;
        break;
    default: { /* SCRM__DIST_LOGNORMAL_MEAN */
        if (!(p1 > 0.0))
            return bad(what, "lognormal mean must be > 0", p1);
        if (!(p2 > 0.0))
            return bad(what, "lognormal sd must be > 0", p2);
        double cv = p2 / p1;
        double s2 = scrm__det_log1p(cv * cv); /* sigma^2 = log(1 + sd^2/mean^2) */
        if (!isfinite(s2) || !(s2 > 0.0))
            return bad(what, "lognormal sd/mean ratio out of range", cv);
        d->x = scrm__det_log(p1) - 0.5 * s2;
        d->y = sqrt(s2);
        break;
    }
    }
    d->lo = 0.0;
    d->hi = D_INF;
    return SCRM_OK;
}

int scrm__dist_init(scrm__dist *d, int kind, double p1, double p2, double p3, const char *what)
{
    if (!what)
        what = "distribution";
    if (kind < 0 || kind > SCRM__DIST_KIND_MAX)
        return scrm__fail(SCRM_EINVAL, what, "unknown distribution kind %d", kind);
    int nparams = kind == SCRM__DIST_FIXED                                   ? 1
                  : kind == SCRM__DIST_TRIANGULAR || kind == SCRM__DIST_PERT ? 3
                                                                             : 2;
    const double p[3] = {p1, p2, p3};
    for (int i = 0; i < nparams; i++)
        if (!isfinite(p[i]))
            return scrm__fail(SCRM_EINVAL, what, "parameter %d is not finite (got %g)", i + 1,
                              p[i]);
    d->kind = kind;
    d->p1 = p1;
    d->p2 = nparams > 1 ? p2 : 0.0;
    d->p3 = nparams > 2 ? p3 : 0.0;
    d->x = d->y = d->z = 0.0;
    switch (kind) {
    case SCRM__DIST_FIXED:
        d->lo = d->hi = p1;
        return SCRM_OK;
    case SCRM__DIST_UNIFORM:
    case SCRM__DIST_TRIANGULAR:
    case SCRM__DIST_PERT:
        return init_range(d, what);
    default:
        return init_normal(d, what);
    }
}

static double triangular_at(const scrm__dist *d, double u)
{
    double w = d->p3 - d->p1;
    if (u < d->z)
        return d->p1 + sqrt(u * w * (d->p2 - d->p1));
    return d->p3 - sqrt((1.0 - u) * w * (d->p3 - d->p2));
}

/* By inversion (one uniform), except FIXED (none) and PERT (Beta rejection). */
double scrm__dist_sample(const scrm__dist *d, scrm__rng *rng)
{
    switch (d->kind) {
    case SCRM__DIST_FIXED:
        return d->p1;
    case SCRM__DIST_PERT:
        return d->p1 + (d->p3 - d->p1) * scrm__rand_beta(rng, d->x, d->y);
    case SCRM__DIST_UNIFORM:
    case SCRM__DIST_TRIANGULAR:
        return scrm__dist_quantile(d, scrm__rng_uniform(rng));
    default: /* normal and lognormal: the quantile is infinite at 0 */
        return scrm__dist_quantile(d, scrm__rng_uniform_open(rng));
    }
}

double scrm__dist_quantile(const scrm__dist *d, double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0)
        return D_NAN;
    switch (d->kind) {
    case SCRM__DIST_UNIFORM:
        return d->p1 + (d->p2 - d->p1) * p;
    case SCRM__DIST_TRIANGULAR:
        return triangular_at(d, p);
    case SCRM__DIST_PERT:
        return d->p1 + (d->p3 - d->p1) * scrm__beta_quantile(p, d->x, d->y);
    case SCRM__DIST_NORMAL:
        return d->p1 + d->p2 * scrm__det_normal_quantile(p);
    case SCRM__DIST_LOGNORMAL:
    case SCRM__DIST_LOGNORMAL_MEAN:
        return scrm__det_exp(d->x + d->y * scrm__det_normal_quantile(p));
    default:
        return d->p1;
    }
}

double scrm__dist_mean(const scrm__dist *d)
{
    switch (d->kind) {
    case SCRM__DIST_UNIFORM:
        return 0.5 * (d->p1 + d->p2);
    case SCRM__DIST_TRIANGULAR:
        return (d->p1 + d->p2 + d->p3) / 3.0;
    case SCRM__DIST_PERT:
        return (d->p1 + 4.0 * d->p2 + d->p3) / 6.0;
    case SCRM__DIST_NORMAL:
        return d->p1;
    case SCRM__DIST_LOGNORMAL:
    case SCRM__DIST_LOGNORMAL_MEAN:
        return scrm__det_exp(d->x + 0.5 * d->y * d->y);
    default:
        return d->p1;
    }
}

double scrm__dist_variance(const scrm__dist *d)
{
    double a = d->p1, m = d->p2, b = d->p3;
    switch (d->kind) {
    case SCRM__DIST_UNIFORM:
        return (d->p2 - d->p1) * (d->p2 - d->p1) / 12.0;
    case SCRM__DIST_TRIANGULAR:
        return (a * a + m * m + b * b - a * m - a * b - m * b) / 18.0;
    case SCRM__DIST_PERT: {
        double mean = (a + 4.0 * m + b) / 6.0;
        return (mean - a) * (b - mean) / 7.0;
    }
    case SCRM__DIST_NORMAL:
        return d->p2 * d->p2;
    case SCRM__DIST_LOGNORMAL:
    case SCRM__DIST_LOGNORMAL_MEAN: {
        double s2 = d->y * d->y;
        return scrm__det_expm1(s2) * scrm__det_exp(2.0 * d->x + s2);
    }
    default:
        return 0.0;
    }
}
