/* Distributions for Monte Carlo and simulation tests: samplers, quantiles and
 * moments, plus the elementary functions they use.
 *
 * Platform independence: every sampler here uses only IEEE-754 basic operations
 * (+ - * / sqrt, floor, frexp, ldexp) and the deterministic scrm__det_log /
 * scrm__det_exp below, never the C library's log/exp (whose last bit differs
 * between C libraries). With the generator in rng.h, a seed therefore gives the
 * same variates, bit for bit, on every platform with IEEE double arithmetic
 * evaluated in double (FLT_EVAL_METHOD == 0, i.e. not x87) and without
 * floating-point contraction (GCC's ISO C mode, or the pragma below for clang
 * and MSVC). Files that need this include dists.h first. */
#ifndef SCRM_NUM_DISTS_H
#define SCRM_NUM_DISTS_H

#include <stdint.h>

#include "num/rng.h"

/* No fused multiply-add: a*b+c must round twice everywhere. GCC never
 * contracts in ISO C mode (-std=c11, the project default). */
#if defined(__clang__)
#  pragma STDC FP_CONTRACT OFF
#elif defined(_MSC_VER)
#  pragma fp_contract(off)
#endif

/* ---- Deterministic elementary functions (max error about 1-2 ulp) ---- */

/* Natural log. log(0) = -inf, log(x<0) = NaN, log(inf) = inf, NaN -> NaN. */
double scrm__det_log(double x);
/* log(1 + x), accurate for small x. x < -1 -> NaN, x = -1 -> -inf. */
double scrm__det_log1p(double x);
/* e^x; overflow -> inf, underflow -> 0 (or subnormal), NaN -> NaN. */
double scrm__det_exp(double x);
/* e^x - 1, accurate for small x. */
double scrm__det_expm1(double x);
/* Natural log of the gamma function for x > 0 (absolute error ~1e-14 near the
 * zeros at 1 and 2, relative ~1e-15 elsewhere). NaN for x <= 0 or NaN. */
double scrm__det_lgamma(double x);
/* Standard normal quantile Phi^-1(p) for 0 < p < 1: Wichura's AS 241 (PPND16),
 * Applied Statistics 37(3), 1988, evaluated with scrm__det_log (so it can
 * differ from num/normal.h's scrm__normal_quantile in the last bits). -inf/+inf
 * at 0/1, NaN outside [0, 1]. */
double scrm__det_normal_quantile(double p);

/* ---- Samplers for simulation (parameters are NOT validated: callers pass
 * valid ones; each documents what it needs) ---- */

/* Standard normal by inversion: scrm__det_normal_quantile(u), u in (0,1).
 * One uniform per variate. */
double scrm__rand_normal(scrm__rng *rng);
/* Exponential with rate 1: -log(u), u in (0,1). */
double scrm__rand_exponential(scrm__rng *rng);
/* Gamma(shape, scale 1), shape > 0: Marsaglia & Tsang, "A simple method for
 * generating gamma variables", ACM TOMS 26(3), 2000; shape < 1 through
 * Gamma(shape+1) * U^(1/shape). */
double scrm__rand_gamma(scrm__rng *rng, double shape);
/* Beta(a, b), a, b > 0: X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b), in log space
 * when a or b < 1 so tiny shapes do not underflow to 0/0. */
double scrm__rand_beta(scrm__rng *rng, double a, double b);
/* Poisson(lambda), 0 <= lambda < 2^52: sequential-search inversion below 10
 * (Devroye 1986, X.3), Hormann's PTRS above ("The transformed rejection method
 * for generating Poisson random variables", Insurance: Mathematics and
 * Economics 12(1), 1993). */
uint64_t scrm__rand_poisson(scrm__rng *rng, double lambda);
/* Trials up to and including the first success, 0 < p <= 1: 1 + floor(log(u) /
 * log(1-p)); support 1, 2, ... (saturates at UINT64_MAX). */
uint64_t scrm__rand_geometric(scrm__rng *rng, double p);
/* 1 with probability p, else 0. */
static inline int scrm__rand_bernoulli(scrm__rng *rng, double p)
{
    return scrm__rng_uniform(rng) < p;
}

/* ---- Parametric distributions for uncertain inputs ---- */

/* Kinds. Values equal the public SCRM_DIST_* constants of scrm.h. */
enum scrm__dist_kind {
    SCRM__DIST_FIXED = 0,         /* p1 = value */
    SCRM__DIST_UNIFORM = 1,       /* p1 = a < p2 = b */
    SCRM__DIST_TRIANGULAR = 2,    /* p1 = a <= p2 = mode <= p3 = b, a < b */
    SCRM__DIST_PERT = 3,          /* p1 = a <= p2 = mode <= p3 = b, a < b; lambda 4 */
    SCRM__DIST_NORMAL = 4,        /* p1 = mean, p2 = sd > 0 */
    SCRM__DIST_LOGNORMAL = 5,     /* p1 = mu, p2 = sigma > 0 of log X */
    SCRM__DIST_LOGNORMAL_MEAN = 6 /* p1 = mean > 0, p2 = sd > 0 of X itself */
};
#define SCRM__DIST_KIND_MAX 6

/* A validated distribution with derived constants. */
typedef struct scrm__dist {
    int kind;
    double p1, p2, p3; /* parameters as given */
    double lo, hi;     /* support (may be infinite) */
    double x, y, z;    /* derived: see dists.c (log mu/sigma, Beta shapes, mode CDF) */
} scrm__dist;

/* Validate kind and parameters and fill *d. All parameters must be finite
 * (unused ones are ignored). On failure returns SCRM_EINVAL with a message
 * naming `what` (e.g. "scrm_roi_model_set_uncertain: line 'ads' input volume")
 * and the offending value; *d is left unspecified. */
int scrm__dist_init(scrm__dist *d, int kind, double p1, double p2, double p3,
                    const char *what);

/* One variate. FIXED returns p1 and draws nothing; UNIFORM, TRIANGULAR, NORMAL
 * and both LOGNORMAL kinds draw one uniform (inversion); PERT uses the Beta
 * rejection sampler (a variable number of uniforms). */
double scrm__dist_sample(const scrm__dist *d, scrm__rng *rng);

/* Quantile at 0 <= p <= 1 (NaN outside); the support bounds at 0 and 1. PERT
 * inverts the regularized incomplete beta function (absolute error < 1e-13 of
 * the range). */
double scrm__dist_quantile(const scrm__dist *d, double p);

/* Mean and variance (exact formulas). */
double scrm__dist_mean(const scrm__dist *d);
double scrm__dist_variance(const scrm__dist *d);

/* Regularized incomplete beta I_x(a, b) for a, b > 0, 0 <= x <= 1 (continued
 * fraction, DLMF 8.17.22, with the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)). */
double scrm__beta_cdf(double x, double a, double b);
/* Its inverse in p: x with I_x(a, b) = p. */
double scrm__beta_quantile(double p, double a, double b);

#endif /* SCRM_NUM_DISTS_H */
