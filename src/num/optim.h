/* Unconstrained quasi-Newton minimisation (BFGS) with a strong-Wolfe line
 * search, for the small smooth problems of model fitting (n <= 8, parameters
 * usually log-transformed by the caller). Private: scrm__ prefix. */
#ifndef SCRM_NUM_OPTIM_H
#define SCRM_NUM_OPTIM_H

#include "core/internal.h"

#define SCRM__OPTIM_MAX_N 8

/* Objective: f(x) and its gradient g (g may be NULL when only f is wanted).
 * Return SCRM_OK, or any other status for "cannot evaluate here" (the line
 * search then steps back). A non-finite f counts as a failure too. */
typedef int (*scrm__objective_fn)(void *ctx, const double *x, double *f, double *g);

/* Called once per iteration with the current point; nonzero stops the run. */
typedef int (*scrm__optim_progress_fn)(void *user, int iteration, double f, double gnorm,
                                       const double *x);

typedef struct scrm__optim_options {
    int n;                    /* dimension, 1..SCRM__OPTIM_MAX_N */
    int max_iter;             /* iterations (each one line search) */
    double gtol;              /* converged when max |g_i| <= gtol */
    const double *inv_hessian; /* optional n*n start for the inverse Hessian */
    scrm__optim_progress_fn progress;
    void *user;
} scrm__optim_options;

typedef struct scrm__optim_result {
    double f;      /* objective at the returned point */
    double gnorm;  /* max |g_i| there */
    double g[SCRM__OPTIM_MAX_N];
    double inv_hessian[SCRM__OPTIM_MAX_N * SCRM__OPTIM_MAX_N]; /* final BFGS approximation */
    int iterations;
    int evaluations;
    int converged; /* 1 when gnorm <= gtol */
    int stopped;   /* 1 when the progress callback asked to stop */
} scrm__optim_result;

/* Minimise from x (updated in place to the best point found). Returns
 *   SCRM_OK        converged;
 *   SCRM_EMAXITER  iteration limit reached or stopped by the callback;
 *   SCRM_ELOSS     no step decreases f any further before the gradient test
 *                  is met (precision limit);
 *   SCRM_EDOM      f or g cannot be evaluated at the start (status of fn
 *                  otherwise).
 * In every case but the last, x and r describe the best point. No message is
 * recorded; callers word their own. */
int scrm__bfgs(scrm__objective_fn fn, void *ctx, double *x, const scrm__optim_options *o,
               scrm__optim_result *r);

/* Hessian by central differences of the analytic gradient, symmetrised:
 * H (n*n, row-major). Step h_j = step * max(1, |x_j|). */
int scrm__hessian_fd(scrm__objective_fn fn, void *ctx, int n, const double *x, double step,
                     double *H);

/* The same from forward differences, given the gradient g0 at x (n
 * evaluations instead of 2n; error O(step) instead of O(step^2)). */
int scrm__hessian_fd_forward(scrm__objective_fn fn, void *ctx, int n, const double *x,
                             const double *g0, double step, double *H);

/* Invert a symmetric positive definite n*n matrix in place (Cholesky).
 * Returns SCRM_OK or SCRM_EDOM when it is not positive definite. */
int scrm__spd_inverse(int n, double *A);

#endif /* SCRM_NUM_OPTIM_H */
