/* BFGS + strong-Wolfe line search, finite-difference Hessian, SPD inverse. */
#include <criterion/criterion.h>
#include <math.h>

#include "num/optim.h"

static int rosenbrock(void *ctx, const double *x, double *f, double *g)
{
    int *calls = ctx;
    if (calls)
        (*calls)++;
    double a = 1 - x[0], b = x[1] - x[0] * x[0];
    *f = a * a + 100 * b * b;
    if (g) {
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
    }
    return SCRM_OK;
}

Test(optim, rosenbrock_converges)
{
    double x[2] = {-1.2, 1.0};
    scrm__optim_options o = {2, 500, 1e-10, NULL, NULL, NULL};
    scrm__optim_result r;
    int calls = 0;
    cr_assert_eq(scrm__bfgs(rosenbrock, &calls, x, &o, &r), SCRM_OK);
    cr_assert(r.converged);
    cr_assert_float_eq(x[0], 1.0, 1e-8);
    cr_assert_float_eq(x[1], 1.0, 1e-8);
    cr_assert(r.gnorm <= 1e-10);
    cr_assert(r.iterations > 5 && r.iterations < 200, "iterations %d", r.iterations);
    cr_assert_eq(r.evaluations, calls);
}

Test(optim, max_iter_returns_best_point)
{
    double x[2] = {-1.2, 1.0};
    scrm__optim_options o = {2, 1, 1e-10, NULL, NULL, NULL};
    scrm__optim_result r;
    double f0;
    rosenbrock(NULL, x, &f0, NULL);
    cr_assert_eq(scrm__bfgs(rosenbrock, NULL, x, &o, &r), SCRM_EMAXITER);
    cr_assert_eq(r.converged, 0);
    cr_assert_eq(r.iterations, 1);
    cr_assert(r.f < f0);
    double f;
    rosenbrock(NULL, x, &f, NULL);
    cr_assert_eq(f, r.f);
}

/* f = sum (x_i - i)^2 / (i + 1) but undefined (error) for x_0 > 3: the line
 * search must step back instead of failing. */
static int fenced(void *ctx, const double *x, double *f, double *g)
{
    (void)ctx;
    if (x[0] > 3)
        return SCRM_EDOM;
    *f = 0;
    for (int i = 0; i < 4; i++) {
        *f += (x[i] - i) * (x[i] - i) / (i + 1);
        if (g)
            g[i] = 2 * (x[i] - i) / (i + 1);
    }
    return SCRM_OK;
}

Test(optim, steps_back_from_undefined_region)
{
    double x[4] = {-20, 10, -10, 30};
    scrm__optim_options o = {4, 200, 1e-12, NULL, NULL, NULL};
    scrm__optim_result r;
    cr_assert_eq(scrm__bfgs(fenced, NULL, x, &o, &r), SCRM_OK);
    for (int i = 0; i < 4; i++)
        cr_assert_float_eq(x[i], (double)i, 1e-10);
}

Test(optim, start_outside_domain_is_an_error)
{
    double x[4] = {5, 0, 0, 0};
    scrm__optim_options o = {4, 200, 1e-12, NULL, NULL, NULL};
    scrm__optim_result r;
    cr_assert_eq(scrm__bfgs(fenced, NULL, x, &o, &r), SCRM_EDOM);
}

static int stop_at_3(void *user, int it, double f, double gnorm, const double *x)
{
    (void)f, (void)gnorm, (void)x;
    int *seen = user;
    *seen = it;
    return it >= 3;
}

Test(optim, progress_callback_can_stop)
{
    double x[2] = {-1.2, 1.0};
    int seen = -1;
    scrm__optim_options o = {2, 500, 1e-10, NULL, stop_at_3, &seen};
    scrm__optim_result r;
    cr_assert_eq(scrm__bfgs(rosenbrock, NULL, x, &o, &r), SCRM_EMAXITER);
    cr_assert(r.stopped);
    cr_assert_eq(seen, 3);
    cr_assert_eq(r.iterations, 3);
}

Test(optim, hessian_and_inverse)
{
    double x[2] = {1, 1}, H[4];
    cr_assert_eq(scrm__hessian_fd(rosenbrock, NULL, 2, x, 1e-5, H), SCRM_OK);
    /* exact: [[802, -400], [-400, 200]] */
    cr_assert_float_eq(H[0], 802, 1e-5);
    cr_assert_float_eq(H[1], -400, 1e-5);
    cr_assert_float_eq(H[2], -400, 1e-5);
    cr_assert_float_eq(H[3], 200, 1e-5);
    cr_assert_eq(scrm__spd_inverse(2, H), SCRM_OK);
    /* inverse = [[0.5, 1], [1, 2.005]] */
    cr_assert_float_eq(H[0], 0.5, 1e-6);
    cr_assert_float_eq(H[1], 1.0, 1e-6);
    cr_assert_float_eq(H[3], 2.005, 1e-6);
    double bad[4] = {1, 2, 2, 1};
    cr_assert_eq(scrm__spd_inverse(2, bad), SCRM_EDOM);
}
