/* Normal distribution and compensated sums (src/num basics). */
#include <criterion/criterion.h>
#include <math.h>

#include "num/normal.h"
#include "num/sum.h"

Test(normal, quantile_reference_values)
{
    /* Reference values: scipy.stats.norm.ppf / R qnorm, 16 digits. */
    cr_assert_float_eq(scrm__normal_quantile(0.975), 1.959963984540054, 1e-14);
    cr_assert_float_eq(scrm__normal_quantile(0.5), 0.0, 1e-16);
    cr_assert_float_eq(scrm__normal_quantile(0.05), -1.6448536269514729, 1e-14);
    cr_assert_float_eq(scrm__normal_quantile(1e-10), -6.361340902404056, 1e-12);
    cr_assert_float_eq(scrm__normal_quantile(1 - 1e-10), 6.361340889697422, 1e-7);
    cr_assert(isinf(scrm__normal_quantile(0.0)) && scrm__normal_quantile(0.0) < 0);
    cr_assert(isnan(scrm__normal_quantile(-0.1)));
    cr_assert(isnan(scrm__normal_quantile(NAN)));
}

Test(normal, cdf_and_quantile_are_inverse)
{
    for (double p = 1e-300; p < 1.0; p = p < 1e-3 ? p * 10 : p + 0.001) {
        double x = scrm__normal_quantile(p);
        double back = scrm__normal_cdf(x);
        /* Relative error grows like x^2 * eps in the far tail (conditioning). */
        cr_assert(fabs(back - p) <= 2e-15 * (1.0 + x * x) * p + 1e-300, "p=%g back=%g", p, back);
    }
    cr_assert_float_eq(scrm__normal_sf(1.959963984540054), 0.025, 1e-15);
    cr_assert_float_eq(scrm__normal_sf(10.0), 7.61985302416047e-24, 1e-36);
}

Test(sum, compensated_sum_is_exact_where_naive_is_not)
{
    /* 1 + 1e-16 * 1e6 - 1: naive summation loses every small term. */
    scrm__sum acc = SCRM__SUM_INIT;
    scrm__sum_add(&acc, 1.0);
    for (int i = 0; i < 1000000; i++)
        scrm__sum_add(&acc, 1e-16);
    scrm__sum_add(&acc, -1.0);
    cr_assert_float_eq(scrm__sum_value(&acc), 1e-10, 1e-18);

    double x[4] = {1e100, 1.0, -1e100, 1.0};
    cr_assert_eq(scrm__sum_array(x, 4), 2.0);
}

Test(sum, merge_equals_one_pass)
{
    scrm__sum a = SCRM__SUM_INIT, b = SCRM__SUM_INIT, all = SCRM__SUM_INIT;
    for (int i = 0; i < 1000; i++) {
        double v = (i % 7) * 0.1 + 1e-9 * i;
        scrm__sum_add(i < 400 ? &a : &b, v);
        scrm__sum_add(&all, v);
    }
    scrm__sum_merge(&a, &b);
    cr_assert_float_eq(scrm__sum_value(&a), scrm__sum_value(&all), 1e-12);
}
