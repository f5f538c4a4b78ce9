/* Private finance helpers shared by the public primitives (finance.c), the ROI
 * model and its Monte Carlo loop. No validation here: callers validate. */
#ifndef SCRM_ROI_FINANCE_H
#define SCRM_ROI_FINANCE_H

#include "num/dists.h" /* first: floating-point contraction off */

#include <stddef.h>

#include "internal.h"

/* df[t] = (1 + rate)^-t for t < n, by repeated multiplication with 1/(1+rate). */
void scrm__roi_discount_factors(double rate, size_t n, double *df);

/* sum flows[t] * df[t] (df NULL = undiscounted), compensated. */
double scrm__roi_pv(const double *flows, const double *df, size_t n);

/* Payback of flows[t] * df[t] (df NULL = undiscounted). */
void scrm__roi_payback(const double *flows, const double *df, size_t n, scrm_payback_result *out);

/* All IRRs of flows (validated, finite, n >= 1) into roots[0..cap), ascending;
 * *count = number found. Returns SCRM_OK, SCRM_EBUFS (count > cap), SCRM_EDOM
 * (all zero) or SCRM_ENOMEM, with messages naming `fn`. */
int scrm__roi_irr(const double *flows, size_t n, double *roots, size_t cap, size_t *count,
                  const char *fn);

/* Check flows are finite; message names `fn` and the index. */
int scrm__roi_check_flows(const double *flows, size_t n, const char *fn);

#endif /* SCRM_ROI_FINANCE_H */
