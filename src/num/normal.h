/* Standard normal distribution: CDF, survival function and quantile, to full
 * double precision (used by confidence intervals, p-values and samplers). */
#ifndef SCRM_NUM_NORMAL_H
#define SCRM_NUM_NORMAL_H

/* Phi(x) = P(Z <= x). Accurate in both tails (uses erfc). */
double scrm__normal_cdf(double x);
/* 1 - Phi(x) without cancellation. */
double scrm__normal_sf(double x);
/* Phi^-1(p) for 0 < p < 1 (Wichura's AS 241, relative error ~1e-16);
 * -inf/+inf at 0/1, NaN outside [0, 1]. */
double scrm__normal_quantile(double p);
/* The same AS 241 evaluated with the natural log `log_fn`: libm's log above,
 * the platform-independent scrm__det_log for the sampler (num/dists.h). */
double scrm__normal_quantile_as241(double p, double (*log_fn)(double));

#endif /* SCRM_NUM_NORMAL_H */
