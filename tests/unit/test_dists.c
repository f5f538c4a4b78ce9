/* Deterministic elementary functions, samplers and parametric distributions
 * (src/num/dists.h). Reference values: mpmath at 40 digits unless stated. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "num/dists.h"
#include "num/normal.h"

/* Distance in units in the last place between two finite doubles. */
static double ulps(double a, double b)
{
    if (a == b)
        return 0;
    double u = nextafter(fabs(b), INFINITY) - fabs(b);
    return fabs(a - b) / u;
}

Test(detmath, log_within_one_ulp_of_libm)
{
    scrm__rng r;
    scrm__rng_seed(&r, 1);
    double worst = 0;
    for (int i = 0; i < 200000; i++) {
        /* Mantissa uniform, exponent over the whole normal and subnormal range. */
        double x = ldexp(0.5 + 0.5 * scrm__rng_uniform(&r), (int)scrm__rng_below(&r, 2100) - 1070);
        worst = fmax(worst, ulps(scrm__det_log(x), log(x)));
    }
    for (double x = 0.5; x < 2.0; x += 1e-5)
        worst = fmax(worst, ulps(scrm__det_log(x), log(x)));
    cr_assert_leq(worst, 1.0, "worst %g ulp", worst);
    cr_assert_eq(scrm__det_log(1.0), 0.0);
    cr_assert(isinf(scrm__det_log(0.0)) && scrm__det_log(0.0) < 0);
    cr_assert(isnan(scrm__det_log(-1.0)));
    cr_assert(isnan(scrm__det_log(NAN)));
    cr_assert(isinf(scrm__det_log(INFINITY)));
    cr_assert_float_eq(scrm__det_log(DBL_TRUE_MIN), -744.44007192138126, 1e-12);
}

Test(detmath, exp_within_two_ulp_of_libm)
{
    scrm__rng r;
    scrm__rng_seed(&r, 2);
    double worst = 0;
    for (int i = 0; i < 200000; i++) {
        double x = -708.0 + 1417.0 * scrm__rng_uniform(&r);
        worst = fmax(worst, ulps(scrm__det_exp(x), exp(x)));
        double y = -1.0 + 2.0 * scrm__rng_uniform(&r);
        worst = fmax(worst, ulps(scrm__det_exp(y), exp(y)));
    }
    cr_assert_leq(worst, 2.0, "worst %g ulp", worst);
    cr_assert_eq(scrm__det_exp(0.0), 1.0);
    cr_assert(isinf(scrm__det_exp(710.0)));
    cr_assert_eq(scrm__det_exp(-746.0), 0.0);
    cr_assert_gt(scrm__det_exp(-740.0), 0.0); /* subnormal, not flushed */
    cr_assert_float_eq(scrm__det_exp(-740.0) / exp(-740.0), 1.0, 1e-9);
    cr_assert(isnan(scrm__det_exp(NAN)));
}

Test(detmath, log1p_and_expm1_are_accurate_for_small_arguments)
{
    const double xs[] = {1e-300, -1e-17, 1e-10, -3e-8, 1e-3, -0.29, 0.4, 0.5, 3.0, 1e10, -0.9999};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        cr_assert_leq(ulps(scrm__det_log1p(x), log1p(x)), 2.0, "log1p(%g)", x);
        if (fabs(x) < 700)
            cr_assert_leq(ulps(scrm__det_expm1(x), expm1(x)), 3.0, "expm1(%g)", x);
    }
    cr_assert(isinf(scrm__det_log1p(-1.0)));
    cr_assert(isnan(scrm__det_log1p(-1.5)));
    cr_assert_eq(scrm__det_expm1(-50.0), -1.0);
}

Test(detmath, lgamma_matches_reference_values)
{
    static const double x[] = {0.5, 1.5, 3, 7.5, 10.25, 100, 1e-5, 1234.5};
    static const double want[] = {0.57236494292470008707, -0.12078223763524522235,
                                  0.69314718055994530942, 7.5343642367587329552,
                                  13.368023671476046295,  359.13420536957539878,
                                  11.512919692895825707,  7550.5509010778948957};
    for (int i = 0; i < 8; i++)
        cr_assert_float_eq(scrm__det_lgamma(x[i]), want[i], 1e-14 * fmax(1.0, fabs(want[i])),
                           "lgamma(%g)", x[i]);
    cr_assert_float_eq(scrm__det_lgamma(1.0), 0.0, 5e-14);
    cr_assert_float_eq(scrm__det_lgamma(2.0), 0.0, 5e-14);
    cr_assert(isnan(scrm__det_lgamma(0.0)));
    cr_assert(isnan(scrm__det_lgamma(-2.5)));
}

Test(detmath, normal_quantile_agrees_with_num_normal)
{
    for (double p = 1e-12; p < 1.0; p = p < 1e-3 ? p * 3 : p + 0.0007) {
        double a = scrm__det_normal_quantile(p), b = scrm__normal_quantile(p);
        cr_assert_float_eq(a, b, 4e-16 * fmax(1.0, fabs(b)), "p=%g", p);
    }
    cr_assert_float_eq(scrm__det_normal_quantile(0.95), 1.6448536269514722, 1e-15);
    cr_assert(isinf(scrm__det_normal_quantile(1.0)));
    cr_assert(isnan(scrm__det_normal_quantile(1.5)));
}

Test(beta, incomplete_beta_reference_values)
{
    /* Integer shapes: I_x(a, b) = sum_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j).
     * Tolerance 4e-15: log B(a, b) from lgamma carries ~1e-15 absolute error. */
    cr_assert_float_eq(scrm__beta_cdf(0.5, 2, 3), 11.0 / 16.0, 4e-15);
    cr_assert_float_eq(scrm__beta_cdf(0.25, 1, 1), 0.25, 4e-15);
    cr_assert_float_eq(scrm__beta_cdf(0.7, 3, 1), 0.343, 4e-15);
    /* Arcsine law: I_x(1/2, 1/2) = (2/pi) asin(sqrt x). */
    cr_assert_float_eq(scrm__beta_cdf(0.3, 0.5, 0.5), 0.36901011956554538276, 1e-14);
    cr_assert_float_eq(scrm__beta_cdf(0.2, 2.5, 7.25), 0.38444272519976458052, 1e-14);
    cr_assert_float_eq(scrm__beta_cdf(0.9, 30, 3), 0.3666835190806201604, 1e-13);
    cr_assert_eq(scrm__beta_cdf(0.0, 2, 2), 0.0);
    cr_assert_eq(scrm__beta_cdf(1.0, 2, 2), 1.0);
    cr_assert(isnan(scrm__beta_cdf(0.5, 0.0, 2)));
}

Test(beta, quantile_inverts_cdf)
{
    const double shapes[][2] = {{1.4, 4.6}, {0.5, 0.5}, {5, 1}, {1, 1}, {30, 3}, {0.2, 7}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (double p = 0.001; p < 1.0; p += 0.0371) {
            double a = shapes[s][0], b = shapes[s][1];
            double x = scrm__beta_quantile(p, a, b);
            cr_assert(x >= 0 && x <= 1);
            cr_assert_float_eq(scrm__beta_cdf(x, a, b), p, 1e-12, "a=%g b=%g p=%g", a, b, p);
        }
}

/* ---- parametric distributions ---- */

static scrm__dist make(int kind, double p1, double p2, double p3)
{
    scrm__dist d;
    int rc = scrm__dist_init(&d, kind, p1, p2, p3, "test");
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
    return d;
}

Test(dist, quantile_reference_values)
{
    scrm__dist t = make(SCRM__DIST_TRIANGULAR, 0, 0.5, 1);
    cr_assert_float_eq(scrm__dist_quantile(&t, 0.5), 0.5, 1e-15);
    cr_assert_float_eq(scrm__dist_quantile(&t, 0.125), 0.25, 1e-15);
    cr_assert_float_eq(scrm__dist_quantile(&t, 0.875), 0.75, 1e-15);
    /* PERT(0, 10, 100) = 100 * Beta(1.4, 4.6); mpmath quantiles. */
    scrm__dist p = make(SCRM__DIST_PERT, 0, 10, 100);
    cr_assert_float_eq(scrm__dist_quantile(&p, 0.05), 2.9998182323589093681, 1e-11);
    cr_assert_float_eq(scrm__dist_quantile(&p, 0.5), 20.266485036146616628, 1e-11);
    cr_assert_float_eq(scrm__dist_quantile(&p, 0.95), 54.207409738531623445, 1e-11);
    cr_assert_eq(scrm__dist_quantile(&p, 0.0), 0.0);
    cr_assert_eq(scrm__dist_quantile(&p, 1.0), 100.0);
    scrm__dist n = make(SCRM__DIST_NORMAL, 10, 2, 0);
    cr_assert_float_eq(scrm__dist_quantile(&n, 0.95), 10 + 2 * 1.6448536269514722, 1e-14);
    /* Lognormal by mean 100 and sd 50: sigma^2 = log(1.25), mu = log(100) - sigma^2/2. */
    scrm__dist lm = make(SCRM__DIST_LOGNORMAL_MEAN, 100, 50, 0);
    cr_assert_float_eq(lm.x, 4.4935984103309864902, 1e-14);
    cr_assert_float_eq(lm.y, 0.47238072707743883543, 1e-15);
    cr_assert_float_eq(scrm__dist_mean(&lm), 100.0, 1e-12);
    cr_assert_float_eq(sqrt(scrm__dist_variance(&lm)), 50.0, 1e-12);
    cr_assert_float_eq(scrm__dist_quantile(&lm, 0.95), 194.53178380092208697, 1e-11);
    scrm__dist l = make(SCRM__DIST_LOGNORMAL, lm.x, lm.y, 0);
    cr_assert_float_eq(scrm__dist_quantile(&l, 0.95), 194.53178380092208697, 1e-11);
    scrm__dist u = make(SCRM__DIST_UNIFORM, -1, 3, 0);
    cr_assert_float_eq(scrm__dist_quantile(&u, 0.25), 0.0, 1e-15);
    cr_assert(isnan(scrm__dist_quantile(&u, 1.5)));
    scrm__dist f = make(SCRM__DIST_FIXED, 7.5, NAN, NAN); /* unused parameters ignored */
    cr_assert_eq(scrm__dist_quantile(&f, 0.3), 7.5);
    cr_assert_eq(scrm__dist_variance(&f), 0.0);
}

Test(dist, triangular_with_mode_at_a_bound)
{
    scrm__dist lo = make(SCRM__DIST_TRIANGULAR, 0, 0, 2);
    scrm__dist hi = make(SCRM__DIST_TRIANGULAR, 0, 2, 2);
    /* CDF at x: 1 - (2-x)^2/4 and x^2/4; invert at p = 0.75. */
    cr_assert_float_eq(scrm__dist_quantile(&lo, 0.75), 1.0, 1e-15);
    cr_assert_float_eq(scrm__dist_quantile(&hi, 0.25), 1.0, 1e-15);
}

/* Sample moments and empirical CDF at the deciles against exact values. The
 * tolerance on the mean is 5 standard errors; on the variance 5 standard errors
 * of the sample variance, sqrt((mu4 - sigma^4)/n), with mu4 estimated from the
 * same sample. Fixed seeds: these tests are deterministic. */
static void check_sampler(const scrm__dist *d, uint64_t seed, const char *label)
{
    const int n = 400000;
    scrm__rng r;
    scrm__rng_seed(&r, seed);
    double *x = malloc(n * sizeof *x);
    cr_assert_not_null(x);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        x[i] = scrm__dist_sample(d, &r);
        cr_assert(x[i] >= d->lo && x[i] <= d->hi, "%s: %g outside support", label, x[i]);
        sum += x[i];
    }
    double mean = sum / n, m2 = 0, m4 = 0;
    for (int i = 0; i < n; i++) {
        double e = x[i] - mean;
        m2 += e * e;
        m4 += e * e * e * e;
    }
    m2 /= n - 1;
    m4 /= n;
    double want_mean = scrm__dist_mean(d), want_var = scrm__dist_variance(d);
    cr_assert_float_eq(mean, want_mean, 5 * sqrt(want_var / n), "%s mean %.10g vs %.10g", label,
                       mean, want_mean);
    cr_assert_float_eq(m2, want_var, 5 * sqrt((m4 - m2 * m2) / n), "%s var %.10g vs %.10g",
                       label, m2, want_var);
    for (int k = 1; k <= 9; k++) {
        double p = k / 10.0, q = scrm__dist_quantile(d, p);
        int below = 0;
        for (int i = 0; i < n; i++)
            below += x[i] <= q;
        cr_assert_float_eq((double)below / n, p, 5 * sqrt(p * (1 - p) / n), "%s F(q%.1f)",
                           label, p);
    }
    free(x);
}

Test(dist, sample_moments_and_quantiles_match, .timeout = 120)
{
    scrm__dist d;
    d = make(SCRM__DIST_UNIFORM, 2, 5, 0);
    check_sampler(&d, 11, "uniform");
    d = make(SCRM__DIST_TRIANGULAR, 1, 2, 6);
    check_sampler(&d, 12, "triangular");
    d = make(SCRM__DIST_PERT, 1000, 1200, 2000);
    check_sampler(&d, 13, "pert");
    d = make(SCRM__DIST_PERT, 0, 0, 1); /* Beta(1, 5) */
    check_sampler(&d, 14, "pert at min");
    d = make(SCRM__DIST_NORMAL, -3, 0.5, 0);
    check_sampler(&d, 15, "normal");
    d = make(SCRM__DIST_LOGNORMAL, 1.0, 0.4, 0);
    check_sampler(&d, 16, "lognormal");
    d = make(SCRM__DIST_LOGNORMAL_MEAN, 5.2, 1.3, 0);
    check_sampler(&d, 17, "lognormal mean/sd");
}

static void check_moments(const double *x, int n, double want_mean, double want_var,
                          const char *label)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    double mean = sum / n, m2 = 0, m4 = 0;
    for (int i = 0; i < n; i++) {
        double e = x[i] - mean;
        m2 += e * e;
        m4 += e * e * e * e;
    }
    m2 /= n - 1;
    m4 /= n;
    cr_assert_float_eq(mean, want_mean, 5 * sqrt(want_var / n), "%s mean %.10g vs %.10g", label,
                       mean, want_mean);
    cr_assert_float_eq(m2, want_var, 5 * sqrt((m4 - m2 * m2) / n), "%s var %.10g vs %.10g",
                       label, m2, want_var);
}

Test(samplers, gamma_beta_poisson_geometric_exponential_moments, .timeout = 120)
{
    const int n = 300000;
    double *x = malloc(n * sizeof *x);
    cr_assert_not_null(x);
    scrm__rng r;
    char label[64];
    const double shapes[] = {0.05, 0.5, 1.0, 2.5, 30.0};
    for (int s = 0; s < 5; s++) {
        scrm__rng_seed(&r, 100 + s);
        for (int i = 0; i < n; i++) {
            x[i] = scrm__rand_gamma(&r, shapes[s]);
            cr_assert(x[i] >= 0);
        }
        snprintf(label, sizeof label, "gamma(%g)", shapes[s]);
        check_moments(x, n, shapes[s], shapes[s], label);
    }
    const double ab[][2] = {{0.5, 0.5}, {2, 5}, {0.1, 3}, {1.4, 4.6}};
    for (int s = 0; s < 4; s++) {
        double a = ab[s][0], b = ab[s][1];
        scrm__rng_seed(&r, 200 + s);
        for (int i = 0; i < n; i++) {
            x[i] = scrm__rand_beta(&r, a, b);
            cr_assert(x[i] >= 0 && x[i] <= 1);
        }
        snprintf(label, sizeof label, "beta(%g,%g)", a, b);
        check_moments(x, n, a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)), label);
    }
    const double lambdas[] = {0.3, 3.0, 9.99, 10.0, 57.5, 1e6};
    for (int s = 0; s < 6; s++) {
        scrm__rng_seed(&r, 300 + s);
        for (int i = 0; i < n; i++)
            x[i] = (double)scrm__rand_poisson(&r, lambdas[s]);
        snprintf(label, sizeof label, "poisson(%g)", lambdas[s]);
        check_moments(x, n, lambdas[s], lambdas[s], label);
    }
    scrm__rng_seed(&r, 400);
    for (int i = 0; i < n; i++)
        x[i] = (double)scrm__rand_geometric(&r, 0.2);
    check_moments(x, n, 5.0, 20.0, "geometric(0.2)");
    scrm__rng_seed(&r, 401);
    for (int i = 0; i < n; i++)
        x[i] = scrm__rand_exponential(&r);
    check_moments(x, n, 1.0, 1.0, "exponential");
    scrm__rng_seed(&r, 402);
    for (int i = 0; i < n; i++)
        x[i] = scrm__rand_normal(&r);
    check_moments(x, n, 0.0, 1.0, "normal");
    scrm__rng_seed(&r, 403);
    for (int i = 0; i < n; i++)
        x[i] = scrm__rand_bernoulli(&r, 0.3);
    check_moments(x, n, 0.3, 0.21, "bernoulli(0.3)");
    free(x);
    scrm__rng_seed(&r, 404);
    cr_assert_eq(scrm__rand_poisson(&r, 0.0), 0);
    cr_assert_eq(scrm__rand_geometric(&r, 1.0), 1);
}

Test(samplers, golden_variates_are_fixed)
{
    /* Regression lock: the first normal variates of seed 42 are
     * Phi^-1(uniform_open) of its first outputs. Checked against mpmath's
     * sqrt(2) erfinv(2u - 1) at 30 digits for the same u (-1.37954772530603120941,
     * -0.30816011350378950191, 0.4678201943365250602, 1.4373657007633584278) and
     * the libm-based scrm__normal_quantile, then fixed bit for bit. */
    scrm__rng r, u;
    scrm__rng_seed(&r, 42);
    scrm__rng_seed(&u, 42);
    double z[4];
    for (int i = 0; i < 4; i++) {
        z[i] = scrm__rand_normal(&r);
        double ref = scrm__normal_quantile(scrm__rng_uniform_open(&u));
        cr_assert_float_eq(z[i], ref, 4e-16 * fmax(1, fabs(ref)));
    }
    cr_assert_eq(z[0], -1.3795477253060311, "%.17g", z[0]);
    cr_assert_eq(z[1], -0.30816011350378952, "%.17g", z[1]);
    cr_assert_eq(z[2], 0.46782019433652505, "%.17g", z[2]);
    cr_assert_eq(z[3], 1.4373657007633585, "%.17g", z[3]);
}

Test(dist, rejects_bad_parameters_naming_the_input)
{
    scrm__dist d;
    struct {
        int kind;
        double a, b, c;
        const char *needle;
    } bad[] = {
        {SCRM__DIST_UNIFORM, 5, 1, 0, "a < b"},
        {SCRM__DIST_UNIFORM, 1, 1, 0, "a < b"},
        {SCRM__DIST_UNIFORM, NAN, 1, 0, "not finite"},
        {SCRM__DIST_UNIFORM, -DBL_MAX, DBL_MAX, 0, "overflows"},
        {SCRM__DIST_TRIANGULAR, 3, 2, 1, "min < max"},
        {SCRM__DIST_TRIANGULAR, 0, 5, 1, "outside"},
        {SCRM__DIST_PERT, 0, -1, 1, "outside"},
        {SCRM__DIST_PERT, 0, 0, INFINITY, "not finite"},
        {SCRM__DIST_NORMAL, 0, 0, 0, "sd must be > 0"},
        {SCRM__DIST_NORMAL, 0, -1, 0, "sd must be > 0"},
        {SCRM__DIST_NORMAL, INFINITY, 1, 0, "not finite"},
        {SCRM__DIST_LOGNORMAL, 0, 0, 0, "sigma"},
        {SCRM__DIST_LOGNORMAL_MEAN, -1, 1, 0, "mean must be > 0"},
        {SCRM__DIST_LOGNORMAL_MEAN, 1, 0, 0, "sd must be > 0"},
        {SCRM__DIST_FIXED, NAN, 0, 0, "not finite"},
        {-1, 0, 1, 0, "unknown distribution kind"},
        {7, 0, 1, 0, "unknown distribution kind"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = scrm__dist_init(&d, bad[i].kind, bad[i].a, bad[i].b, bad[i].c, "line 'ads' volume");
        cr_assert_eq(rc, SCRM_EINVAL, "case %zu", i);
        cr_assert_not_null(strstr(scrm_last_error_message(), "line 'ads' volume"), "case %zu: %s",
                           i, scrm_last_error_message());
        cr_assert_not_null(strstr(scrm_last_error_message(), bad[i].needle), "case %zu: %s", i,
                           scrm_last_error_message());
    }
}
