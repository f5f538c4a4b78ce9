/* Closed-form CLV and cohort projection: textbook values, identities between
 * the forms, accuracy near q = 1, and every bad input as a status. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "scrm.h"

static double clv(double m, double r, double d, double g, int32_t timing, uint32_t n)
{
    scrm_clv_terms t = SCRM_CLV_TERMS_INIT;
    t.margin = m;
    t.retention = r;
    t.discount = d;
    t.growth = g;
    t.timing = timing;
    t.horizon = n;
    double v = NAN;
    int rc = scrm_clv_closed_form(&t, &v);
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
    return v;
}

#define END SCRM_CLV_TIMING_END
#define BEGIN SCRM_CLV_TIMING_BEGIN

static void close_rel(double got, double want, double rel)
{
    cr_assert(fabs(got - want) <= rel * fabs(want), "got %.17g want %.17g", got, want);
}

Test(closed_form, gupta_lehmann_margin_multiple)
{
    /* Gupta & Lehmann (2003): r = 80%, i = 10% -> margin multiple 2.67 (printed). */
    double mult = clv(1.0, 0.8, 0.1, 0.0, END, 0);
    cr_assert(fabs(mult - 2.67) < 0.005);
    close_rel(mult, 2.6666666666666665, 1e-15);
    close_rel(clv(100.0, 0.8, 0.1, 0.0, END, 0), 266.6666666666667, 1e-15);
    /* Textbook exercise (METRICS.md CLV-2): m = 15.49/month, d = 1%/month. */
    close_rel(clv(15.49, 0.99, 0.01, 0.0, END, 0), 766.755, 1e-14);
    close_rel(clv(15.49, 0.95, 0.01, 0.0, END, 0), 245.25833333333333, 1e-14);
    close_rel(clv(15.49, 0.90, 0.01, 0.0, END, 0), 126.73636363636365, 1e-14);
}

Test(closed_form, timing_horizon_and_growth_variants)
{
    /* METRICS.md CLV-3..CLV-6. */
    close_rel(clv(100, 0.8, 0.1, 0, END, 5), 212.40973356266025, 1e-14);
    close_rel(clv(100, 0.8, 0.1, 0, BEGIN, 5), 292.06338364865786, 1e-14);
    close_rel(clv(100, 0.8, 0.1, 0, BEGIN, 0), 366.6666666666667, 1e-15);
    close_rel(clv(5, 0.9, 0.1, 0, BEGIN, 3), 5 + 5 * 0.9 / 1.1 + 5 * 0.81 / 1.21, 1e-15);
    close_rel(clv(5, 0.9, 0.1, 0, BEGIN, 3), 12.438016528925619, 1e-15);
    /* Growth: m r / (1 + i - r (1 + g)). */
    close_rel(clv(100, 0.8, 0.1, 0.05, END, 0), 80.0 / (1.1 - 0.84), 1e-15);
    close_rel(clv(100, 0.8, 0.1, 0.05, BEGIN, 0), 110.0 / (1.1 - 0.84), 1e-15);
    for (uint32_t n = 1; n < 40; n++) {
        double b = clv(7, 0.85, 0.12, 0.03, BEGIN, n);
        double e = clv(7, 0.85, 0.12, 0.03, END, n);
        /* END(n) = r / (1 + d) * BEGIN(n): every payment one period later, one more retention. */
        close_rel(e, 0.85 / 1.12 * b, 1e-14);
        /* BEGIN(n+1) = m + q * BEGIN(n) with q = r (1 + g) / (1 + d). */
        close_rel(clv(7, 0.85, 0.12, 0.03, BEGIN, n + 1), 7 + 0.85 * 1.03 / 1.12 * b, 1e-14);
    }
    /* Finite horizons converge to the infinite one. */
    close_rel(clv(100, 0.8, 0.1, 0.02, END, 2000), clv(100, 0.8, 0.1, 0.02, END, 0), 1e-14);
    /* Edge cases: r = 0, q = 1 exactly, negative discount with finite horizon. */
    cr_assert_float_eq(clv(100, 0.0, 0.1, 0, END, 0), 0.0, 0);
    cr_assert_float_eq(clv(100, 0.0, 0.1, 0, BEGIN, 0), 100.0, 0);
    cr_assert_float_eq(clv(100, 0.0, 0.1, 0, BEGIN, 9), 100.0, 0);
    close_rel(clv(3, 1.0, 0.0, 0, END, 12), 36.0, 1e-15);
    close_rel(clv(3, 1.0, 0.0, 0, BEGIN, 12), 36.0, 1e-15);
    close_rel(clv(3, 1.0, 0.05, 0.05, BEGIN, 12), 36.0, 1e-15);
    close_rel(clv(1, 1.0, 0.25, 0, END, 0), 4.0, 1e-15); /* perpetuity m / d */
    close_rel(clv(1, 0.5, -0.2, 0, END, 3), 0.625 + 0.390625 + 0.244140625, 1e-15);
    /* A negative margin is a negative value, not an error. */
    close_rel(clv(-10, 0.8, 0.1, 0, END, 0), -26.666666666666668, 1e-15);
}

Test(closed_form, accurate_when_q_is_close_to_one)
{
    /* r = 1 - 1e-12, no discount, 10^6 periods: sum_{k=1}^{N} r^k. */
    double r = 1.0 - 1e-12;
    long double s = 0, p = 1;
    for (int k = 0; k < 1000000; k++) {
        p *= (long double)r;
        s += p;
    }
    close_rel(clv(1, r, 0, 0, END, 1000000), (double)s, 1e-12);
    /* Infinite horizon, 1 - r tiny but d larger: exact value r / (d + 1 - r). */
    close_rel(clv(1, 1.0 - 1e-15, 1e-9, 0, END, 0), (1.0 - 1e-15) / (1e-9 + 1e-15), 1e-9);
}

Test(closed_form, bad_input_is_a_status)
{
    scrm_clv_terms t = SCRM_CLV_TERMS_INIT;
    double v = 42;
    t.margin = 1;
    t.retention = 0.8;
    t.discount = 0.1;
    cr_assert_eq(scrm_clv_closed_form(NULL, &v), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_closed_form(&t, NULL), SCRM_EINVAL);
    scrm_clv_terms b = t;
    b.retention = NAN;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EINVAL);
    b = t;
    b.margin = INFINITY;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EINVAL);
    b = t;
    b.retention = 1.01;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EDOM);
    b.retention = -0.01;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EDOM);
    b = t;
    b.discount = -1.0;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EDOM);
    b = t;
    b.growth = -1.5;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EDOM);
    b = t;
    b.timing = 0;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EINVAL);
    b = t;
    b.version = 2;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EVERSION);
    /* Divergent infinite sums. */
    b = t;
    b.retention = 1.0;
    b.discount = 0.0;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EDOM);
    b = t;
    b.growth = 0.5; /* 0.8 * 1.5 = 1.2 >= 1.1 */
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_EDOM);
    cr_assert(strstr(scrm_last_error_message(), "diverges") != NULL);
    /* Overflow over a finite horizon. */
    b.retention = 1.0;
    b.growth = 1.0;
    b.discount = 0.0;
    b.horizon = 2000;
    cr_assert_eq(scrm_clv_closed_form(&b, &v), SCRM_ERANGE);
    cr_assert_float_eq(v, 42.0, 0); /* untouched on failure */

    cr_assert_eq(scrm_clv_terms_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_terms_init(&b, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_clv_terms_init(&b, 1), SCRM_OK);
    cr_assert_eq(b.timing, SCRM_CLV_TIMING_END);
    cr_assert_eq(b.horizon, 0);
}

Test(closed_form, cohort_projection_sums_to_the_closed_form)
{
    for (int32_t timing = END; timing <= BEGIN; timing++) {
        scrm_clv_terms t = SCRM_CLV_TERMS_INIT;
        t.margin = 50;
        t.retention = 0.7;
        t.discount = 0.12;
        t.growth = 0.04;
        t.timing = timing;
        t.horizon = 24;
        double s[24], m[24], pv[24];
        size_t n;
        cr_assert_eq(scrm_clv_cohort(&t, 1000, NULL, s, m, pv, 24, &n), SCRM_OK);
        cr_assert_eq(n, 24);
        double total = 0, one;
        for (size_t k = 0; k < n; k++)
            total += pv[k];
        scrm_clv_closed_form(&t, &one);
        close_rel(total, 1000 * one, 1e-13);
        /* First rows by hand. */
        close_rel(s[0], timing == END ? 700 : 1000, 1e-15);
        close_rel(m[1], (timing == END ? 490 : 700) * 50 * 1.04, 1e-15);
        close_rel(pv[0], timing == END ? 700 * 50 / 1.12 : 50000, 1e-15);

        /* The same constant retention given per period. */
        double r[24], pv2[24];
        for (int k = 0; k < 24; k++)
            r[k] = 0.7;
        cr_assert_eq(scrm_clv_cohort(&t, 1000, r, NULL, NULL, pv2, 24, &n), SCRM_OK);
        for (int k = 0; k < 24; k++)
            close_rel(pv2[k], pv[k], 1e-14);
    }
}

Test(closed_form, cohort_with_a_retention_curve)
{
    /* Gupta & Lehmann (2003) general form: sum m_t prod r_j / (1 + i)^t. */
    scrm_clv_terms t = SCRM_CLV_TERMS_INIT;
    t.margin = 10;
    t.discount = 0.1;
    t.horizon = 3;
    double r[3] = {0.6, 0.75, 0.8}, s[3], pv[3];
    size_t n;
    cr_assert_eq(scrm_clv_cohort(&t, 100, r, s, NULL, pv, 3, &n), SCRM_OK);
    close_rel(s[2], 100 * 0.6 * 0.75 * 0.8, 1e-15);
    close_rel(pv[0] + pv[1] + pv[2], 600 / 1.1 + 450 / 1.21 + 360 / 1.331, 1e-15);
    t.timing = BEGIN;
    cr_assert_eq(scrm_clv_cohort(&t, 100, r, s, NULL, pv, 3, &n), SCRM_OK);
    close_rel(pv[0] + pv[1] + pv[2], 1000 + 600 / 1.1 + 450 / 1.21, 1e-15);
}

Test(closed_form, cohort_bad_input)
{
    scrm_clv_terms t = SCRM_CLV_TERMS_INIT;
    t.margin = 1;
    t.retention = 0.5;
    t.horizon = 4;
    double b[4];
    size_t n = 0;
    cr_assert_eq(scrm_clv_cohort(&t, 10, NULL, b, NULL, NULL, 3, &n), SCRM_EBUFS);
    cr_assert_eq(n, 4);
    cr_assert_eq(scrm_clv_cohort(&t, 10, NULL, NULL, NULL, NULL, 0, &n), SCRM_OK);
    cr_assert_eq(scrm_clv_cohort(NULL, 10, NULL, b, NULL, NULL, 4, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_cohort(&t, 10, NULL, b, NULL, NULL, 4, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_cohort(&t, NAN, NULL, b, NULL, NULL, 4, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_cohort(&t, -1, NULL, b, NULL, NULL, 4, &n), SCRM_EDOM);
    double r[4] = {0.5, NAN, 0.5, 0.5};
    cr_assert_eq(scrm_clv_cohort(&t, 10, r, b, NULL, NULL, 4, &n), SCRM_EINVAL);
    r[1] = 1.5;
    cr_assert_eq(scrm_clv_cohort(&t, 10, r, b, NULL, NULL, 4, &n), SCRM_EDOM);
    t.horizon = 0;
    cr_assert_eq(scrm_clv_cohort(&t, 10, NULL, b, NULL, NULL, 4, &n), SCRM_EINVAL);
    t.horizon = 4;
    t.discount = -2;
    cr_assert_eq(scrm_clv_cohort(&t, 10, NULL, b, NULL, NULL, 4, &n), SCRM_EDOM);
}
