/* Private finance helpers shared by the public primitives (finance.c), the ROI
 * model and its Monte Carlo loop. No validation here: callers validate. */
#ifndef SCRM_ROI_FINANCE_H
#define SCRM_ROI_FINANCE_H

#include "num/dists.h" /* first: floating-point contraction off */

#include <stddef.h>

#include "core/internal.h"

#include <math.h>

/* Compensated accumulator with Knuth's branch-free TwoSum (the running error
 * of each addition is exact), cheaper than Neumaier's branch in this hot loop. */
typedef struct scrm__acc2 {
    double s, c;
} scrm__acc2;

static inline void scrm__acc2_add(scrm__acc2 *a, double x)
{
    double t = a->s + x;
    double bb = t - a->s;
    a->c += (a->s - (t - bb)) + (x - bb);
    a->s = t;
}

/* df[t] = (1 + rate)^-t for t < n, by repeated multiplication with 1/(1+rate). */
void scrm__finance_discount_factors(double rate, size_t n, double *df);

/* sum flows[t] * df[t] (df NULL = undiscounted), compensated. */
double scrm__finance_pv(const double *flows, const double *df, size_t n);

/* Payback of the flows f (discount them first for a discounted payback). */
void scrm__finance_payback(const double *f, size_t n, scrm_finance_payback_result *out);
/* The same; with stays = 0 the scan stops at the recovery and out->stays is
 * -1 (unknown) when reached (Monte Carlo needs only the period). */
void scrm__finance_payback_ex(const double *f, size_t n, int stays, scrm_finance_payback_result *out);

/* All IRRs of flows (validated, finite, n >= 1) into roots[0..cap), ascending;
 * *count = number found. Returns SCRM_OK, SCRM_EBUFS (count > cap), SCRM_EDOM
 * (all zero) or SCRM_ENOMEM, with messages naming `fn`; fn NULL = return the
 * code without recording a message (callers for whom these are answers). */
int scrm__finance_irr(const double *flows, size_t n, double *roots, size_t cap, size_t *count,
                  const char *fn);

/* Check flows are finite; message names `fn` and the index. */
int scrm__finance_check_flows(const double *flows, size_t n, const char *fn);

#endif /* SCRM_ROI_FINANCE_H */
