/* Special functions (private side): log-gamma with sign, log-space Gauss
 * hypergeometric 2F1, small helpers shared by the CLV models. The public
 * GSL-style wrappers (scrm_sf_*) are declared in scrm.h. */
#ifndef SCRM_NUM_SF_H
#define SCRM_NUM_SF_H

#include "core/internal.h"

#include <math.h>

/* log|Gamma(x)| and the sign of Gamma(x). x must be finite and not a
 * non-positive integer (returns SCRM_EDOM then, without a message). Relative
 * accuracy about 4 ulp away from the zeros at 1 and 2, where the absolute
 * error is about 1e-16. */
int scrm__lgamma_sgn(double x, double *val, double *sgn);

/* psi(x); same domain rules as scrm__lgamma_sgn. */
int scrm__digamma(double x, double *val);

/* log B(a, b) for a, b > 0, accurate also when one or both are large. */
int scrm__lbeta(double a, double b, double *val);

/* Stirling correction lgamma(x) - [(x-0.5) log x - x + 0.5 log(2 pi)], x >= 10. */
double scrm__lgamma_corr(double x);

/* 2F1(a, b; c; z) in log space: *lnabs = log|F|, *sgn = +1/-1 (0 if F == 0,
 * then *lnabs = -inf). *relerr estimates the relative error of |F|.
 * Domain: z < 1 (z == 1 when c - a - b > 0), c not a non-positive integer.
 * Returns SCRM_OK, SCRM_EDOM, SCRM_EMAXITER (series did not converge) or
 * SCRM_ELOSS (cancellation); no message is recorded. */
int scrm__hyperg_2F1_log(double a, double b, double c, double z, double *lnabs, double *sgn,
                         double *relerr);

/* Numerically stable helpers. */
static inline double scrm__log1pexp(double x) /* log(1 + e^x) */
{
    return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

#endif /* SCRM_NUM_SF_H */
