/* Finance primitives: NPV, IRR, payback, rate conversion, ROI.
 * Golden values: METRICS.md section 7 (numpy-financial documentation cases),
 * Microsoft's Excel NPV/IRR help examples, and mpmath at 40 digits (stated per
 * case). Tolerance 1e-9 relative unless a source gives fewer digits. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "scrm.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static double npv(double rate, const double *v, size_t n)
{
    double out = NAN;
    int rc = scrm_finance_npv(rate, v, n, &out);
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
    return out;
}

static void rel_eq(double got, double want, double tol)
{
    cr_assert(fabs(got - want) <= tol * fmax(1.0, fabs(want)), "got %.17g want %.17g", got, want);
}

Test(npv, numpy_financial_documentation_values)
{
    const double a[] = {-40000, 5000, 8000, 12000, 30000};
    rel_eq(npv(0.08, a, N(a)), 3065.2226681795255, 1e-12); /* NPV-1 */
    const double b[] = {-100, 39, 59, 55, 20};
    cr_assert_float_eq(npv(0.281, b, N(b)), -0.00847859163845488, 1e-12); /* NPV-2 */
    /* Docstring table: rates {0, .05, .10} x two flow vectors. */
    const double c1[] = {-4000, 500, 800}, c2[] = {-5000, 600, 900};
    rel_eq(npv(0.0, c1, 3), -2700.0, 1e-15);
    rel_eq(npv(0.0, c2, 3), -3500.0, 1e-15);
    rel_eq(npv(0.05, c1, 3), -2798.185941043083900226757370, 1e-14);
    rel_eq(npv(0.05, c2, 3), -3612.244897959183673469387756, 1e-14);
    rel_eq(npv(0.10, c1, 3), -2884.297520661157024793388430, 1e-14);
    rel_eq(npv(0.10, c2, 3), -3710.743801652892561983471074, 1e-14);
}

Test(npv, spreadsheet_convention_by_leading_zero)
{
    /* Excel NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44 (Microsoft "NPV
     * function" example 1): the first value is at the end of period 1, so the
     * equivalent here has a 0 at time 0. mpmath: 1188.4434123352230039. */
    const double e1[] = {0, -10000, 3000, 4200, 6800};
    rel_eq(npv(0.10, e1, N(e1)), 1188.4434123352230039, 1e-13);
    /* Example 2: NPV(8%, 8000, 9200, 10000, 12000, 14500) + (-40000) = 1,922.06,
     * and with a 9,000 loss in year 6: -3,749.47. */
    const double e2[] = {-40000, 8000, 9200, 10000, 12000, 14500};
    rel_eq(npv(0.08, e2, N(e2)), 1922.0615549323722009, 1e-13);
    const double e3[] = {-40000, 8000, 9200, 10000, 12000, 14500, -9000};
    rel_eq(npv(0.08, e3, N(e3)), -3749.4650870155708259, 1e-13);
    /* Rust `financial` crate (Excel convention) documents
     * npv(0.1, [-1000, 500, 500, 500]) = 221.29635953828267. */
    const double e4[] = {0, -1000, 500, 500, 500};
    rel_eq(npv(0.10, e4, N(e4)), 221.29635953828267, 1e-12);
}

Test(npv, edge_cases)
{
    cr_assert_eq(npv(0.1, NULL, 0), 0.0);
    const double z[] = {0, 0, 0};
    cr_assert_eq(npv(0.1, z, 3), 0.0);
    const double one[] = {42};
    cr_assert_eq(npv(5.0, one, 1), 42.0);
    /* Rate close to -1: large but finite factors. */
    const double v[] = {-1, 0, 1};
    rel_eq(npv(-0.5, v, 3), 3.0, 1e-15);
    /* Zero flows are skipped, so 0 * inf never makes a NaN. */
    double w[40] = {1}; /* factors reach 1e10^39 = inf */
    cr_assert_eq(npv(-1.0 + 1e-10, w, N(w)), 1.0);
}

Test(npv, bad_inputs)
{
    const double v[] = {-100, 50, 60};
    double out = 123;
    cr_assert_eq(scrm_finance_npv(0.1, v, 3, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_npv(0.1, NULL, 3, &out), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_npv(NAN, v, 3, &out), SCRM_EINVAL);
    cr_assert_not_null(strstr(scrm_last_error_message(), "NaN"));
    cr_assert_eq(scrm_finance_npv(-1.0, v, 3, &out), SCRM_EDOM);
    cr_assert_eq(scrm_finance_npv(-2.0, v, 3, &out), SCRM_EDOM);
    cr_assert_eq(scrm_finance_npv(INFINITY, v, 3, &out), SCRM_EDOM);
    const double bad[] = {-100, NAN, 60};
    cr_assert_eq(scrm_finance_npv(0.1, bad, 3, &out), SCRM_EINVAL);
    cr_assert_not_null(strstr(scrm_last_error_message(), "flows[1]"));
    const double inf[] = {-100, 1, INFINITY};
    cr_assert_eq(scrm_finance_npv(0.1, inf, 3, &out), SCRM_EINVAL);
    cr_assert_eq(out, 123, "output untouched on failure");
    const double big[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1e300};
    cr_assert_eq(scrm_finance_npv(-0.999, big, N(big), &out), SCRM_ERANGE);
}

static size_t irr(const double *v, size_t n, double *roots, size_t cap)
{
    size_t k = 999;
    int rc = scrm_finance_irr(v, n, roots, cap, &k);
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
    return k;
}

Test(irr, numpy_financial_documentation_values)
{
    double r[8];
    const double a[] = {-100, 39, 59, 55, 20};
    cr_assert_eq(irr(a, N(a), r, 8), 1);
    rel_eq(r[0], 0.2809484211599611, 1e-12);
    const double b[] = {-100, 0, 0, 74};
    cr_assert_eq(irr(b, N(b), r, 8), 1);
    rel_eq(r[0], -0.09549583034897252, 1e-12); /* mpmath; numpy doc -0.0955 */
    const double d[] = {-100, 100, 0, 7};
    cr_assert_eq(irr(d, N(d), r, 8), 1);
    rel_eq(r[0], 0.06205848562992946, 1e-12); /* mpmath; numpy doc 0.06206 */
    const double e[] = {-150000, 15000, 25000, 35000, 45000, 60000};
    cr_assert_eq(irr(e, N(e), r, 8), 1);
    rel_eq(r[0], 0.052432888859414103, 1e-12);
    /* Each root really zeroes the NPV. */
    cr_assert_float_eq(npv(r[0], e, N(e)), 0.0, 1e-9);
}

Test(irr, several_roots_are_all_reported)
{
    double r[8];
    /* numpy-financial's doc returns -0.0833 (its Newton start); the flows have a
     * second IRR at -0.6789 (mpmath polyroots). */
    const double c[] = {-100, 100, 0, -7};
    cr_assert_eq(irr(c, N(c), r, 8), 2);
    rel_eq(r[0], -0.67889437363238652, 1e-12);
    rel_eq(r[1], -0.083299666184932686, 1e-12);
    /* Three sign changes, three IRRs; numpy's doc value 0.0886 is the middle one. */
    const double d[] = {-5, 10.5, 1, -8, 1};
    cr_assert_eq(irr(d, N(d), r, 8), 3);
    rel_eq(r[0], -0.87020124748474118, 1e-12);
    rel_eq(r[1], 0.088598338527755346, 1e-12);
    rel_eq(r[2], 0.70955952768618357, 1e-12);
    /* Classic two-IRR project: 10% and 20%. */
    const double p[] = {-100, 230, -132};
    cr_assert_eq(irr(p, N(p), r, 8), 2);
    rel_eq(r[0], 0.1, 1e-13);
    rel_eq(r[1], 0.2, 1e-13);
}

Test(irr, excel_help_examples)
{
    /* Microsoft "IRR function": -70000, 12000, 15000, 18000, 21000, 26000;
     * after 4 years -2.1%, after 5 years 8.7%, after 2 years -44.4% (with a
     * guess of -10% in Excel; no guess needed here). Full digits: mpmath. */
    const double v[] = {-70000, 12000, 15000, 18000, 21000, 26000};
    double r[4];
    cr_assert_eq(irr(v, 5, r, 4), 1);
    rel_eq(r[0], -0.021244848273410991, 1e-12);
    cr_assert_eq(irr(v, 6, r, 4), 1);
    rel_eq(r[0], 0.086630948036531614, 1e-12);
    cr_assert_eq(irr(v, 3, r, 4), 1);
    rel_eq(r[0], -0.44350694133474054, 1e-12);
}

Test(irr, no_root_cases)
{
    double r[4];
    const double neg[] = {-100, -50, -10};
    cr_assert_eq(irr(neg, N(neg), r, 4), 0);
    const double pos[] = {5, 0, 7};
    cr_assert_eq(irr(pos, N(pos), r, 4), 0);
    const double single[] = {-3};
    cr_assert_eq(irr(single, 1, r, 4), 0);
    /* Two sign changes but NPV > 0 for every rate: min of 1 - 1.9x + x^2 is 0.0975. */
    const double none[] = {1, -1.9, 1};
    cr_assert_eq(irr(none, N(none), r, 4), 0);
    /* Leading and trailing zeros change nothing. */
    const double padded[] = {0, 0, -100, 39, 59, 55, 20, 0, 0};
    cr_assert_eq(irr(padded, N(padded), r, 4), 1);
    /* Root of the shifted polynomial: NPV(r) = (1+r)^-2 * NPV_unpadded(r). */
    rel_eq(r[0], 0.2809484211599611, 1e-12);
}

Test(irr, multiple_roots_and_touching_zero)
{
    double r[4];
    /* -(1 - x)^3 with x = 1/(1+r): triple root at r = 0 (one sign change counted). */
    const double triple[] = {-1, 3, -3, 1};
    cr_assert_eq(irr(triple, N(triple), r, 4), 1);
    cr_assert_float_eq(r[0], 0.0, 1e-5); /* a triple root is only cube-root accurate */
    /* (1 - 1.5x)^2: NPV touches zero at r = 0.5 without changing sign. */
    const double dbl[] = {1, -3, 2.25};
    cr_assert_eq(irr(dbl, N(dbl), r, 4), 1);
    cr_assert_float_eq(r[0], 0.5, 1e-6);
    /* Two roots 0.1% apart: 1/(1+r) = 0.8 and 0.8008. */
    const double close[] = {0.8 * 0.8008, -(0.8 + 0.8008), 1};
    cr_assert_eq(irr(close, N(close), r, 4), 2);
    rel_eq(r[0], 1 / 0.8008 - 1, 1e-9);
    rel_eq(r[1], 0.25, 1e-9);
}

Test(irr, buffer_too_small_reports_count)
{
    const double d[] = {-5, 10.5, 1, -8, 1};
    double r[2] = {0, 0};
    size_t k = 0;
    cr_assert_eq(scrm_finance_irr(d, N(d), r, 2, &k), SCRM_EBUFS);
    cr_assert_eq(k, 3);
    rel_eq(r[0], -0.87020124748474118, 1e-12);
    cr_assert_eq(scrm_finance_irr(d, N(d), NULL, 0, &k), SCRM_EBUFS);
    cr_assert_eq(k, 3);
}

Test(irr, bad_inputs)
{
    const double v[] = {-100, 110};
    double r[2];
    size_t k;
    cr_assert_eq(scrm_finance_irr(NULL, 2, r, 2, &k), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_irr(v, 2, r, 2, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_irr(v, 2, NULL, 2, &k), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_irr(v, 0, r, 2, &k), SCRM_EINVAL);
    const double nan[] = {-100, NAN};
    cr_assert_eq(scrm_finance_irr(nan, 2, r, 2, &k), SCRM_EINVAL);
    const double zero[] = {0, 0, 0};
    cr_assert_eq(scrm_finance_irr(zero, 3, r, 2, &k), SCRM_EDOM);
    cr_assert_not_null(strstr(scrm_last_error_message(), "every rate"));
}

Test(irr, long_horizon_and_extreme_rates)
{
    /* 36 monthly flows: -10000 now, 400 a month: IRR per month from mpmath. */
    double v[37];
    v[0] = -10000;
    for (int t = 1; t <= 36; t++)
        v[t] = 400;
    double r[4];
    cr_assert_eq(irr(v, 37, r, 4), 1);
    cr_assert_float_eq(npv(r[0], v, 37), 0.0, 1e-8);
    /* Huge return: -1 then 1e6 -> r = 999999. */
    const double big[] = {-1, 1e6};
    cr_assert_eq(irr(big, 2, r, 4), 1);
    rel_eq(r[0], 999999.0, 1e-12);
    /* Near-total loss: -1 then 1e-6 -> r = -0.999999. */
    const double loss[] = {-1, 1e-6};
    cr_assert_eq(irr(loss, 2, r, 4), 1);
    cr_assert_float_eq(r[0], -0.999999, 1e-15);
}

Test(payback, golden_values)
{
    const double v[] = {-100, 39, 59, 55, 20};
    scrm_finance_payback_result p;
    cr_assert_eq(scrm_finance_payback(v, N(v), &p), SCRM_OK);
    cr_assert_eq(p.reached, 1);
    cr_assert_eq(p.stays, 1);
    cr_assert_eq(p.whole_period, 3);
    rel_eq(p.period, 2.036363636363636, 1e-13); /* PB-1: 2 + 2/55 */
    cr_assert_eq(scrm_finance_discounted_payback(v, N(v), 0.10, &p), SCRM_OK);
    cr_assert_eq(p.reached, 1);
    cr_assert_eq(p.whole_period, 3);
    rel_eq(p.period, 2.382, 1e-13); /* PB-2 */
    /* Rate 0 discounted payback equals plain payback. */
    cr_assert_eq(scrm_finance_discounted_payback(v, N(v), 0.0, &p), SCRM_OK);
    rel_eq(p.period, 2.036363636363636, 1e-13);
}

Test(payback, not_reached_never_negative_and_relapse)
{
    scrm_finance_payback_result p;
    const double never[] = {-100, 10, 10, 10};
    cr_assert_eq(scrm_finance_payback(never, N(never), &p), SCRM_OK);
    cr_assert_eq(p.reached, 0);
    cr_assert_eq(p.whole_period, -1);
    cr_assert(isinf(p.period) && p.period > 0);
    /* Undiscounted pays back at exactly 4, discounted never. */
    const double edge[] = {-100, 25, 25, 25, 25};
    cr_assert_eq(scrm_finance_payback(edge, N(edge), &p), SCRM_OK);
    cr_assert_eq(p.reached, 1);
    rel_eq(p.period, 4.0, 1e-15);
    cr_assert_eq(scrm_finance_discounted_payback(edge, N(edge), 0.01, &p), SCRM_OK);
    cr_assert_eq(p.reached, 0);
    const double free_lunch[] = {0, 5, 5};
    cr_assert_eq(scrm_finance_payback(free_lunch, N(free_lunch), &p), SCRM_OK);
    cr_assert_eq(p.reached, 1);
    cr_assert_eq(p.period, 0.0);
    cr_assert_eq(p.whole_period, 0);
    /* Investment one period in: cum 0, -100, -40, 20 -> 2 + 40/60. */
    const double late[] = {0, -100, 60, 60};
    cr_assert_eq(scrm_finance_payback(late, N(late), &p), SCRM_OK);
    rel_eq(p.period, 2.0 + 40.0 / 60.0, 1e-15);
    /* Recovered, then a later outlay pushes it negative again. */
    const double relapse[] = {-100, 150, -200, 10};
    cr_assert_eq(scrm_finance_payback(relapse, N(relapse), &p), SCRM_OK);
    cr_assert_eq(p.reached, 1);
    cr_assert_eq(p.stays, 0);
    rel_eq(p.period, 100.0 / 150.0, 1e-15);
    const double zeros[] = {0, 0};
    cr_assert_eq(scrm_finance_payback(zeros, 2, &p), SCRM_OK);
    cr_assert_eq(p.period, 0.0);
}

Test(payback, bad_inputs)
{
    const double v[] = {-100, 150};
    scrm_finance_payback_result p;
    cr_assert_eq(scrm_finance_payback(NULL, 2, &p), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_payback(v, 2, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_payback(v, 0, &p), SCRM_EINVAL);
    const double bad[] = {-100, INFINITY};
    cr_assert_eq(scrm_finance_payback(bad, 2, &p), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_discounted_payback(v, 2, NAN, &p), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_discounted_payback(v, 2, -1.0, &p), SCRM_EDOM);
    cr_assert_eq(scrm_finance_discounted_payback(bad, 2, 0.1, &p), SCRM_EINVAL);
}

Test(rates, per_period_conversion)
{
    double r;
    cr_assert_eq(scrm_finance_rate_per_period(0.10, 12, &r), SCRM_OK);
    rel_eq(r, 0.007974140428903741066, 1e-14); /* 1.1^(1/12) - 1, mpmath */
    rel_eq(pow(1 + r, 12) - 1, 0.10, 1e-13);
    cr_assert_eq(scrm_finance_rate_per_period(0.10, 4, &r), SCRM_OK);
    rel_eq(r, 0.024113689084445129404, 1e-14); /* 1.1^(1/4) - 1 */
    cr_assert_eq(scrm_finance_rate_per_period(0.10, 1, &r), SCRM_OK);
    rel_eq(r, 0.10, 1e-15);
    cr_assert_eq(scrm_finance_rate_per_period(0.0, 12, &r), SCRM_OK);
    cr_assert_eq(r, 0.0);
    cr_assert_eq(scrm_finance_rate_per_period(1e-12, 12, &r), SCRM_OK);
    rel_eq(r, 1e-12 / 12 * (1 - 11e-12 / 24), 1e-15); /* small rates keep their digits */
    cr_assert_eq(scrm_finance_rate_per_period(-0.5, 12, &r), SCRM_OK);
    rel_eq(r, pow(0.5, 1.0 / 12) - 1, 1e-14);
    cr_assert_eq(scrm_finance_rate_per_period(-1.0, 12, &r), SCRM_EDOM);
    cr_assert_eq(scrm_finance_rate_per_period(NAN, 12, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_rate_per_period(0.1, 0, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_rate_per_period(0.1, -12, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_rate_per_period(0.1, NAN, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_rate_per_period(0.1, INFINITY, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_rate_per_period(0.1, 12, NULL), SCRM_EINVAL);
    double k;
    cr_assert_eq(scrm_finance_periods_per_year(SCRM_PERIOD_MONTH, &k), SCRM_OK);
    cr_assert_eq(k, 12.0);
    cr_assert_eq(scrm_finance_periods_per_year(SCRM_PERIOD_QUARTER, &k), SCRM_OK);
    cr_assert_eq(k, 4.0);
    cr_assert_eq(scrm_finance_periods_per_year(SCRM_PERIOD_YEAR, &k), SCRM_OK);
    cr_assert_eq(k, 1.0);
    cr_assert_eq(scrm_finance_periods_per_year(SCRM_PERIOD_WEEK, &k), SCRM_OK);
    rel_eq(k, 52.1775, 1e-15);
    cr_assert_eq(scrm_finance_periods_per_year(SCRM_PERIOD_DAY, &k), SCRM_OK);
    cr_assert_eq(scrm_finance_periods_per_year(0, &k), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_periods_per_year(6, &k), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_periods_per_year(SCRM_PERIOD_MONTH, NULL), SCRM_EINVAL);
}

Test(roi, definition_and_bad_inputs)
{
    double r;
    cr_assert_eq(scrm_finance_roi(150, 100, &r), SCRM_OK);
    cr_assert_eq(r, 0.5); /* ROI-1 */
    cr_assert_eq(scrm_finance_roi(0, 100, &r), SCRM_OK);
    cr_assert_eq(r, -1.0);
    cr_assert_eq(scrm_finance_roi(150, 0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_finance_roi(150, -5, &r), SCRM_EDOM);
    cr_assert_eq(scrm_finance_roi(NAN, 100, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_roi(150, INFINITY, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_finance_roi(150, 100, NULL), SCRM_EINVAL);
}
