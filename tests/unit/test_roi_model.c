/* scrm_roi_model: options, lines, provenance texts, costs table, evaluation,
 * flows, inputs and scenarios. Reference values: direct computation in the
 * test (and Python for the monthly case, stated), METRICS.md 6.2-6.4 goldens. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "scrm.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void rel_eq(double got, double want, double tol)
{
    cr_assert(fabs(got - want) <= tol * fmax(1.0, fabs(want)), "got %.17g want %.17g", got, want);
}

#define OK(call) cr_assert_eq((call), SCRM_OK, "%s: %s", #call, scrm_last_error_message())

static scrm_roi_model *yearly(int32_t horizon, double rate)
{
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    o.period = SCRM_PERIOD_YEAR;
    o.horizon = horizon;
    o.discount_rate = rate;
    scrm_roi_model *m = NULL;
    OK(scrm_roi_model_new(&m, &o));
    return m;
}

Test(roi_model, options_defaults_and_versions)
{
    scrm_roi_options o;
    OK(scrm_roi_options_init(&o, SCRM_ROI_OPTIONS_VERSION));
    cr_assert_eq(o.period, SCRM_PERIOD_MONTH);
    cr_assert_eq(o.horizon, 36);
    cr_assert_eq(o.discount_rate, 0.10);
    cr_assert_eq(o.start, SCRM_TIME_NONE);
    cr_assert_eq(scrm_roi_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_roi_options_init(&o, SCRM_ROI_OPTIONS_VERSION + 1), SCRM_EVERSION);
    cr_assert_eq(scrm_roi_options_init(NULL, 1), SCRM_EINVAL);
    scrm_roi_model *m = (scrm_roi_model *)1;
    OK(scrm_roi_model_new(&m, NULL));
    scrm_roi_options got;
    OK(scrm_roi_model_get_options(m, &got));
    cr_assert_eq(got.horizon, 36);
    cr_assert_eq(got.discount_rate, 0.10);
    scrm_roi_model_free(m);
    scrm_roi_model_free(NULL);
}

Test(roi_model, bad_options)
{
    scrm_roi_model *m = (scrm_roi_model *)1;
    cr_assert_eq(scrm_roi_model_new(NULL, NULL), SCRM_EINVAL);
    struct {
        int32_t period, horizon;
        double rate;
        int64_t start;
        int code;
        const char *needle;
    } bad[] = {
        {SCRM_PERIOD_MONTH, 0, 0.1, SCRM_TIME_NONE, SCRM_EINVAL, "horizon 0"},
        {SCRM_PERIOD_MONTH, -3, 0.1, SCRM_TIME_NONE, SCRM_EINVAL, "horizon -3"},
        {SCRM_PERIOD_MONTH, 100001, 0.1, SCRM_TIME_NONE, SCRM_EINVAL, "horizon"},
        {SCRM_PERIOD_WEEK, 12, 0.1, SCRM_TIME_NONE, SCRM_EINVAL, "period 2"},
        {0, 12, 0.1, SCRM_TIME_NONE, SCRM_EINVAL, "unknown or unsupported period 0"},
        {99, 12, 0.1, SCRM_TIME_NONE, SCRM_EINVAL, "period 99"},
        {SCRM_PERIOD_MONTH, 12, NAN, SCRM_TIME_NONE, SCRM_EINVAL, "NaN"},
        {SCRM_PERIOD_MONTH, 12, -1.0, SCRM_TIME_NONE, SCRM_EDOM, "discount_rate -1"},
        {SCRM_PERIOD_MONTH, 12, INFINITY, SCRM_TIME_NONE, SCRM_EDOM, "discount_rate"},
        {SCRM_PERIOD_YEAR, 12, 0.1, INT64_C(253402300799) - 5 * 86400, SCRM_ERANGE, "horizon"},
    };
    for (size_t i = 0; i < N(bad); i++) {
        scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
        o.period = bad[i].period;
        o.horizon = bad[i].horizon;
        o.discount_rate = bad[i].rate;
        o.start = bad[i].start;
        m = (scrm_roi_model *)1;
        cr_assert_eq(scrm_roi_model_new(&m, &o), bad[i].code, "case %zu", i);
        cr_assert_null(m, "case %zu: *out must be NULL on failure", i);
        cr_assert_not_null(strstr(scrm_last_error_message(), bad[i].needle), "case %zu: %s", i,
                           scrm_last_error_message());
    }
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    o.version = 0;
    cr_assert_eq(scrm_roi_model_new(&m, &o), SCRM_EVERSION);
    o.version = 2;
    cr_assert_eq(scrm_roi_model_new(&m, &o), SCRM_EVERSION);
}

Test(roi_model, textbook_cash_flows)
{
    /* Flows {-100, 39, 59, 55, 20} as lines of a yearly model at 10%:
     * NPV -100 + 39/1.1 + 59/1.1^2 + 55/1.1^3 + 20/1.1^4, IRR 0.2809484211599611
     * (numpy-financial), payback 2.036..., discounted payback 2.382 (METRICS PB-1/2). */
    scrm_roi_model *m = yearly(4, 0.10);
    OK(scrm_roi_model_add_cost(m, "investment", NULL, 0, 0, 100, 0, NULL));
    const double v[] = {39, 59, 55, 20};
    const char *names[] = {"y1", "y2", "y3", "y4"};
    for (int i = 0; i < 4; i++)
        OK(scrm_roi_model_add_benefit(m, names[i], NULL, i + 1, i + 1, v[i], 0, NULL));
    scrm_roi_result r;
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    double npv = -100 + 39 / 1.1 + 59 / 1.21 + 55 / 1.331 + 20 / 1.4641;
    rel_eq(r.npv, npv, 1e-14);
    rel_eq(r.benefits, 173, 1e-15);
    rel_eq(r.costs, 100, 1e-15);
    rel_eq(r.costs_pv, 100, 1e-15);
    rel_eq(r.benefits_pv, npv + 100, 1e-14);
    rel_eq(r.roi, npv / 100, 1e-14);
    rel_eq(r.roi_undiscounted, 0.73, 1e-14);
    cr_assert_eq(r.irr_count, 1);
    rel_eq(r.irr, 0.2809484211599611, 1e-12);
    rel_eq(r.irr_annual, r.irr, 1e-15); /* yearly periods */
    cr_assert_eq(r.horizon, 4);
    rel_eq(r.rate_per_period, 0.10, 1e-16);
    cr_assert_eq(r.payback.reached, 1);
    rel_eq(r.payback.period, 2.036363636363636, 1e-13);
    cr_assert_eq(r.discounted_payback.reached, 1);
    rel_eq(r.discounted_payback.period, 2.382, 1e-13);
    /* The net flows are exactly the vector. */
    double f[5];
    size_t n = 0;
    OK(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_NET, f, 5, &n));
    cr_assert_eq(n, 5);
    const double want[] = {-100, 39, 59, 55, 20};
    for (int t = 0; t < 5; t++)
        cr_assert_eq(f[t], want[t]);
    scrm_roi_model_free(m);
}

Test(roi_model, monthly_model_with_growth)
{
    /* 36 months at 10% a year: 20,000 up front, 1,000 a month growing 1% a
     * month, benefits 2,500 a month. Reference values from a direct Python
     * computation with (1.1)^(1/12) - 1 per month: NPV 20965.67240551678,
     * PV benefits 77966.14610554662, PV costs 57000.47370002984, undiscounted
     * costs 63076.878359158065, payback 13.961393335180476 months. */
    scrm_roi_model *m = NULL;
    OK(scrm_roi_model_new(&m, NULL));
    OK(scrm_roi_model_add_cost(m, "setup", NULL, 0, 0, 20000, 0, NULL));
    int32_t staff, gain;
    OK(scrm_roi_model_add_cost(m, "staff", NULL, 1, -1, 1000, 0.01, &staff));
    OK(scrm_roi_model_add_benefit(m, "gain", NULL, 1, -1, 2500, 0, &gain));
    cr_assert_eq(staff, 1);
    cr_assert_eq(gain, 2);
    scrm_roi_result r;
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    rel_eq(r.rate_per_period, 0.007974140428903764, 1e-14);
    rel_eq(r.npv, 20965.67240551678, 1e-12);
    rel_eq(r.benefits_pv, 77966.14610554662, 1e-12);
    rel_eq(r.costs_pv, 57000.47370002984, 1e-12);
    rel_eq(r.roi, 0.3678157573891496, 1e-12);
    rel_eq(r.benefits, 90000, 1e-15);
    rel_eq(r.costs, 63076.878359158065, 1e-12);
    rel_eq(r.roi_undiscounted, 0.4268302798299941, 1e-12);
    rel_eq(r.payback.period, 13.961393335180476, 1e-12);
    /* Consistency with the primitives on the model's own flows. */
    double net[37], d;
    size_t n;
    OK(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_NET, net, 37, &n));
    OK(scrm_finance_npv(r.rate_per_period, net, n, &d));
    rel_eq(d, r.npv, 1e-12);
    double roots[4];
    size_t k;
    OK(scrm_finance_irr(net, n, roots, 4, &k));
    cr_assert_eq(k, 1);
    cr_assert_eq(r.irr_count, 1);
    rel_eq(r.irr, roots[0], 1e-15);
    rel_eq(r.irr_annual, pow(1 + roots[0], 12) - 1, 1e-12);
    scrm_finance_payback_result pb;
    OK(scrm_finance_discounted_payback(net, n, r.rate_per_period, &pb));
    rel_eq(r.discounted_payback.period, pb.period, 1e-12);
    /* Line flows: the staff line grows 1% a period from period 1. */
    double s[37];
    OK(scrm_roi_model_flows(m, NULL, staff, s, 37, &n));
    cr_assert_eq(s[0], 0.0);
    cr_assert_eq(s[1], 1000.0);
    rel_eq(s[2], 1010.0, 1e-15);
    rel_eq(s[36], 1000 * pow(1.01, 35), 1e-13);
    double dn[37];
    OK(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_DISCOUNTED_NET, dn, 37, &n));
    rel_eq(dn[12], net[12] / pow(1 + r.rate_per_period, 12), 1e-13);
    double b[37], c[37];
    OK(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_BENEFITS, b, 37, &n));
    OK(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_COSTS, c, 37, &n));
    for (int t = 0; t < 37; t++)
        cr_assert_eq(net[t], b[t] - c[t]);
    scrm_roi_model_free(m);
}

Test(roi_model, derived_benefit_lines_and_their_sources)
{
    scrm_roi_model *m = yearly(3, 0.0);
    int32_t svc, ret, ref, eng, conv;
    OK(scrm_roi_model_add_service_savings(m, "service", NULL, 1, -1, 1240, 5.2, 0, &svc));
    OK(scrm_roi_model_add_retention(m, "retention", NULL, 2, 2, 10000, 0.80, 0.85, 100, 0.10,
                                    &ret));
    OK(scrm_roi_model_add_referrals(m, "referrals", NULL, 1, 2, 300, 45, 0, &ref));
    OK(scrm_roi_model_add_engagement(m, "engagement", NULL, 1, -1, 25000, 0.15, 0.5, &eng));
    OK(scrm_roi_model_add_conversions(m, "conversions", "CRM export 2024-03", 3, 3, 120, 80, 0,
                                      &conv));
    double f[4];
    size_t n;
    OK(scrm_roi_model_flows(m, NULL, svc, f, 4, &n));
    rel_eq(f[1], 1240 * 5.2, 1e-15);
    rel_eq(f[3], 1240 * 5.2, 1e-15);
    /* Gupta-Lehmann CLV m r/(1+d-r): 100*.85/.25 - 100*.8/.3 = 340 - 266.67. */
    OK(scrm_roi_model_flows(m, NULL, ret, f, 4, &n));
    cr_assert_eq(f[1], 0.0);
    rel_eq(f[2], 10000 * (340.0 - 800.0 / 3.0), 1e-13);
    cr_assert_eq(f[3], 0.0);
    OK(scrm_roi_model_flows(m, NULL, ref, f, 4, &n));
    rel_eq(f[2], 13500, 1e-15);
    cr_assert_eq(f[3], 0.0);
    OK(scrm_roi_model_flows(m, NULL, eng, f, 4, &n));
    rel_eq(f[1], 3750, 1e-15);
    rel_eq(f[3], 3750 * 2.25, 1e-15); /* growth 50% a period */
    OK(scrm_roi_model_flows(m, NULL, conv, f, 4, &n));
    rel_eq(f[3], 9600, 1e-15);

    scrm_roi_line_info li;
    OK(scrm_roi_model_line_info(m, svc, &li));
    cr_assert_str_eq(li.name, "service");
    cr_assert_str_eq(li.source,
                     "service: 1,240 contacts deflected x 5.20 per contact per period, periods 1-3");
    cr_assert_eq(li.kind, SCRM_ROI_LINE_SERVICE);
    cr_assert_eq(li.is_cost, 0);
    cr_assert_eq(li.first, 1);
    cr_assert_eq(li.last, 3);
    OK(scrm_roi_model_line_info(m, ret, &li));
    cr_assert_str_eq(li.source, "retention: 10,000 customers, retention 80.00% -> 85.00%, margin "
                                "100.00, CLV discount 10.00%: CLV uplift 73.33 per customer, at "
                                "period 2");
    OK(scrm_roi_model_line_info(m, ref, &li));
    cr_assert_str_eq(li.source, "referrals: 300 referrers x 45.00 per referrer per period, "
                                "periods 1-2");
    OK(scrm_roi_model_line_info(m, eng, &li));
    cr_assert_str_eq(li.source, "engagement: 25,000 actions x 0.15 per action per period, "
                                "periods 1-3, +50.00% per period");
    OK(scrm_roi_model_line_info(m, conv, &li));
    cr_assert_str_eq(li.source, "CRM export 2024-03");
    int32_t count;
    OK(scrm_roi_model_line_count(m, &count));
    cr_assert_eq(count, 5);
    int32_t found;
    OK(scrm_roi_model_find_line(m, "referrals", &found));
    cr_assert_eq(found, ref);
    cr_assert_eq(scrm_roi_model_find_line(m, "nope", &found), SCRM_ENOTFOUND);
    /* No costs: ROI undefined (NaN), NPV still a number. */
    scrm_roi_result r;
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    cr_assert(isnan(r.roi) && isnan(r.roi_undiscounted));
    cr_assert_eq(r.irr_count, 0);
    cr_assert(isnan(r.irr));
    cr_assert(isfinite(r.npv) && r.npv > 0);
    scrm_roi_model_free(m);
}

Test(roi_model, cost_and_benefit_source_texts)
{
    scrm_roi_model *m = yearly(5, 0.1);
    int32_t a, b, c;
    OK(scrm_roi_model_add_cost(m, "platform", NULL, 0, 0, 1234567.891, 0, &a));
    OK(scrm_roi_model_add_cost(m, "fees", NULL, 1, 4, 2500, -0.02, &b));
    OK(scrm_roi_model_add_benefit(m, "refund", NULL, 2, 2, -75.5, 0, &c));
    scrm_roi_line_info li;
    OK(scrm_roi_model_line_info(m, a, &li));
    cr_assert_str_eq(li.source, "cost: 1,234,567.89, at period 0");
    OK(scrm_roi_model_line_info(m, b, &li));
    cr_assert_str_eq(li.source, "cost: 2,500.00 per period, periods 1-4, -2.00% per period");
    OK(scrm_roi_model_line_info(m, c, &li));
    cr_assert_str_eq(li.source, "benefit: -75.50, at period 2");
    cr_assert_eq(li.is_cost, 0);
    /* A generated text follows the base values. */
    OK(scrm_roi_model_set_input(m, b, SCRM_ROI_INPUT_AMOUNT, 3000));
    OK(scrm_roi_model_line_info(m, b, &li));
    cr_assert_str_eq(li.source, "cost: 3,000.00 per period, periods 1-4, -2.00% per period");
    double v;
    OK(scrm_roi_model_get_input(m, b, SCRM_ROI_INPUT_AMOUNT, &v));
    cr_assert_eq(v, 3000);
    OK(scrm_roi_model_get_input(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE, &v));
    cr_assert_eq(v, 0.1);
    OK(scrm_roi_model_set_input(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE, 0.0));
    scrm_roi_result r;
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    rel_eq(r.npv, r.benefits - r.costs, 1e-15); /* no discounting */
    scrm_roi_options o;
    OK(scrm_roi_model_get_options(m, &o));
    cr_assert_eq(o.discount_rate, 0.0);
    scrm_roi_model_free(m);
}

Test(roi_model, line_errors_name_line_and_input)
{
    scrm_roi_model *m = yearly(3, 0.1);
    int32_t line = 77;
    OK(scrm_roi_model_add_cost(m, "a", NULL, 0, 0, 1, 0, &line));
    cr_assert_eq(line, 0);
    struct {
        int rc;
        int code;
        const char *needle;
    } cases[] = {
        {scrm_roi_model_add_cost(m, "a", NULL, 0, 0, 1, 0, NULL), SCRM_EINVAL, "already exists"},
        {scrm_roi_model_add_cost(m, "", NULL, 0, 0, 1, 0, NULL), SCRM_EINVAL, "1..255 bytes"},
        {scrm_roi_model_add_cost(m, NULL, NULL, 0, 0, 1, 0, NULL), SCRM_EINVAL, "name: NULL"},
        {scrm_roi_model_add_cost(NULL, "x", NULL, 0, 0, 1, 0, NULL), SCRM_EINVAL, "model: NULL"},
        {scrm_roi_model_add_cost(m, "neg", NULL, 0, 0, -1, 0, NULL), SCRM_EINVAL,
         "'neg' amount = -1 outside"},
        {scrm_roi_model_add_cost(m, "nan", NULL, 0, 0, NAN, 0, NULL), SCRM_EINVAL,
         "'nan' amount is not finite"},
        {scrm_roi_model_add_cost(m, "g", NULL, 0, 2, 1, -1.0, NULL), SCRM_EINVAL,
         "'g' growth = -1 outside its domain (-1"},
        {scrm_roi_model_add_cost(m, "late", NULL, 4, 4, 1, 0, NULL), SCRM_EINVAL,
         "periods 4..4 outside 0..3"},
        {scrm_roi_model_add_cost(m, "inv", NULL, 2, 1, 1, 0, NULL), SCRM_EINVAL, "2..1"},
        {scrm_roi_model_add_cost(m, "neg1", NULL, -1, 1, 1, 0, NULL), SCRM_EINVAL, "-1..1"},
        {scrm_roi_model_add_benefit(m, "inf", NULL, 0, 0, INFINITY, 0, NULL), SCRM_EINVAL,
         "not finite"},
        {scrm_roi_model_add_service_savings(m, "s", NULL, 1, 1, -5, 2, 0, NULL), SCRM_EINVAL,
         "'s' volume"},
        {scrm_roi_model_add_retention(m, "r", NULL, 1, 1, 10, 0.8, 1.2, 10, 0.1, NULL),
         SCRM_EINVAL, "'r' r1 = 1.2"},
        {scrm_roi_model_add_retention(m, "r", NULL, 1, 1, 10, -0.1, 0.8, 10, 0.1, NULL),
         SCRM_EINVAL, "'r' r0"},
        {scrm_roi_model_add_retention(m, "r", NULL, 1, 1, 10, 0.8, 1.0, 10, 0.0, NULL), SCRM_EDOM,
         "CLV undefined"},
        {scrm_roi_model_add_retention(m, "r", NULL, 1, 1, 10, 0.8, 0.9, 10, -0.1, NULL),
         SCRM_EINVAL, "clv_discount"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        cr_assert_eq(cases[i].rc, cases[i].code, "case %zu: rc %d", i, cases[i].rc);
    }
    /* Messages are per call: re-run each failing call and check its text. */
    cr_assert_eq(scrm_roi_model_add_cost(m, "neg", NULL, 0, 0, -1, 0, NULL), SCRM_EINVAL);
    cr_assert_not_null(strstr(scrm_last_error_message(), "'neg' amount = -1 outside"), "%s",
                       scrm_last_error_message());
    cr_assert_eq(scrm_roi_model_add_retention(m, "r", NULL, 1, 1, 10, 0.8, 1.2, 10, 0.1, NULL),
                 SCRM_EINVAL);
    cr_assert_not_null(strstr(scrm_last_error_message(), "'r' r1 = 1.2"), "%s",
                       scrm_last_error_message());
    cr_assert_eq(scrm_roi_model_add_cost(m, "g", NULL, 0, 2, 1, -1.0, NULL), SCRM_EINVAL);
    cr_assert_not_null(strstr(scrm_last_error_message(), "growth"));
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    cr_assert_eq(scrm_roi_model_add_cost(m, longname, NULL, 0, 0, 1, 0, NULL), SCRM_EINVAL);
    /* Failed additions leave the model as it was; r = 1 with d > 0 is fine. */
    int32_t count;
    OK(scrm_roi_model_line_count(m, &count));
    cr_assert_eq(count, 1);
    OK(scrm_roi_model_add_retention(m, "r", NULL, 1, 1, 10, 0.8, 1.0, 10, 0.1, NULL));
    /* Inputs a line does not take, unknown lines, bad set_input values. */
    double v;
    cr_assert_eq(scrm_roi_model_get_input(m, 0, SCRM_ROI_INPUT_R0, &v), SCRM_EINVAL);
    cr_assert_not_null(strstr(scrm_last_error_message(), "line 'a' has no input 5 (r0)"));
    cr_assert_eq(scrm_roi_model_get_input(m, 0, 0, &v), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_get_input(m, 0, 42, &v), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_get_input(m, 9, SCRM_ROI_INPUT_AMOUNT, &v), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_get_input(m, -2, SCRM_ROI_INPUT_AMOUNT, &v), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_get_input(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_AMOUNT, &v),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_get_input(m, 0, SCRM_ROI_INPUT_AMOUNT, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_input(m, 0, SCRM_ROI_INPUT_AMOUNT, NAN), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_input(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE,
                                          -1.0),
                 SCRM_EDOM);
    cr_assert_eq(scrm_roi_model_set_input(m, 1, SCRM_ROI_INPUT_CLV_DISCOUNT, 0.0), SCRM_EDOM);
    cr_assert_eq(scrm_roi_model_set_input(NULL, 0, SCRM_ROI_INPUT_AMOUNT, 1), SCRM_EINVAL);
    scrm_roi_line_info li;
    cr_assert_eq(scrm_roi_model_line_info(m, 5, &li), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_line_info(m, 0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_line_count(NULL, &count), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_input_name(SCRM_ROI_INPUT_CLV_DISCOUNT)[0], 'c');
    cr_assert_str_eq(scrm_roi_input_name(SCRM_ROI_INPUT_DISCOUNT_RATE), "discount_rate");
    cr_assert_null(scrm_roi_input_name(0));
    cr_assert_null(scrm_roi_input_name(10));
    scrm_roi_model_free(m);
}

Test(roi_model, evaluate_and_flows_bad_inputs)
{
    scrm_roi_model *m = yearly(2, 0.1);
    OK(scrm_roi_model_add_cost(m, "c", NULL, 0, 0, 10, 0, NULL));
    scrm_roi_result r;
    cr_assert_eq(scrm_roi_model_evaluate(NULL, NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_evaluate(m, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_evaluate(m, "nope", &r), SCRM_ENOTFOUND);
    cr_assert_not_null(strstr(scrm_last_error_message(), "no scenario named 'nope'"));
    double f[3];
    size_t n = 0;
    cr_assert_eq(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_NET, f, 2, &n), SCRM_EBUFS);
    cr_assert_eq(n, 3);
    cr_assert_eq(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_NET, NULL, 0, &n), SCRM_EBUFS);
    cr_assert_eq(n, 3);
    cr_assert_eq(scrm_roi_model_flows(m, NULL, 1, f, 3, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_flows(m, NULL, -5, f, 3, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_NET, NULL, 3, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_flows(m, NULL, SCRM_ROI_FLOWS_NET, f, 3, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_flows(m, "x", SCRM_ROI_FLOWS_NET, f, 3, &n), SCRM_ENOTFOUND);
    /* Overflowing flows. */
    OK(scrm_roi_model_add_benefit(m, "huge", NULL, 1, 2, 1e308, 1e10, NULL));
    cr_assert_eq(scrm_roi_model_evaluate(m, NULL, &r), SCRM_ERANGE);
    cr_assert_eq(scrm_roi_model_flows(m, NULL, 1, f, 3, &n), SCRM_ERANGE);
    scrm_roi_model_free(m);
}

Test(roi_model, irr_count_in_results)
{
    /* -100, +230, -132: two IRRs (10% and 20%): irr is NaN, count 2. */
    scrm_roi_model *m = yearly(2, 0.1);
    OK(scrm_roi_model_add_cost(m, "in", NULL, 0, 0, 100, 0, NULL));
    OK(scrm_roi_model_add_benefit(m, "gain", NULL, 1, 1, 230, 0, NULL));
    OK(scrm_roi_model_add_cost(m, "exit", NULL, 2, 2, 132, 0, NULL));
    scrm_roi_result r;
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    cr_assert_eq(r.irr_count, 2);
    cr_assert(isnan(r.irr) && isnan(r.irr_annual));
    /* Successful calls leave the last error alone (no stray EBUFS message). */
    scrm_clear_error();
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    cr_assert_eq(scrm_last_error_code(), SCRM_OK);
    scrm_roi_model_free(m);
    /* All-zero flows: no IRR (every rate), count 0. */
    m = yearly(2, 0.1);
    OK(scrm_roi_model_add_cost(m, "free", NULL, 0, 0, 0, 0, NULL));
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    cr_assert_eq(r.irr_count, 0);
    cr_assert_eq(r.npv, 0.0);
    cr_assert_eq(r.payback.period, 0.0);
    scrm_roi_model_free(m);
    /* Costs only: no IRR, payback not reached. */
    m = yearly(3, 0.1);
    OK(scrm_roi_model_add_cost(m, "run", NULL, 0, -1, 10, 0, NULL));
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    cr_assert_eq(r.irr_count, 0);
    cr_assert_eq(r.payback.reached, 0);
    cr_assert(isinf(r.payback.period));
    rel_eq(r.roi, -1.0, 1e-15);
    scrm_roi_model_free(m);
}

Test(roi_model, scenarios_override_inputs)
{
    scrm_roi_model *m = yearly(3, 0.0);
    int32_t c, s;
    OK(scrm_roi_model_add_cost(m, "program", NULL, 0, 0, 1000, 0, &c));
    OK(scrm_roi_model_add_service_savings(m, "service", NULL, 1, -1, 100, 5, 0, &s));
    OK(scrm_roi_model_set_scenario(m, "pessimistic", s, SCRM_ROI_INPUT_VOLUME, 60));
    OK(scrm_roi_model_set_scenario(m, "pessimistic", c, SCRM_ROI_INPUT_AMOUNT, 1200));
    OK(scrm_roi_model_set_scenario(m, "optimistic", s, SCRM_ROI_INPUT_VOLUME, 150));
    OK(scrm_roi_model_set_scenario(m, "optimistic", s, SCRM_ROI_INPUT_VOLUME, 140)); /* replace */
    OK(scrm_roi_model_set_scenario(m, "rates", SCRM_ROI_MODEL_LINE,
                                   SCRM_ROI_INPUT_DISCOUNT_RATE, 0.5));
    scrm_roi_result base, pess, opt, rates;
    OK(scrm_roi_model_evaluate(m, NULL, &base));
    OK(scrm_roi_model_evaluate(m, "pessimistic", &pess));
    OK(scrm_roi_model_evaluate(m, "optimistic", &opt));
    OK(scrm_roi_model_evaluate(m, "rates", &rates));
    rel_eq(base.npv, 3 * 500 - 1000, 1e-15);
    rel_eq(pess.npv, 3 * 300 - 1200, 1e-15);
    rel_eq(opt.npv, 3 * 700 - 1000, 1e-15);
    rel_eq(rates.npv, 500 / 1.5 + 500 / 2.25 + 500 / 3.375 - 1000, 1e-14);
    /* Base values are untouched by scenarios. */
    double v;
    OK(scrm_roi_model_get_input(m, s, SCRM_ROI_INPUT_VOLUME, &v));
    cr_assert_eq(v, 100);
    int32_t k;
    OK(scrm_roi_model_scenario_count(m, &k));
    cr_assert_eq(k, 3);
    cr_assert_str_eq(scrm_roi_model_scenario_name(m, 0), "pessimistic");
    cr_assert_str_eq(scrm_roi_model_scenario_name(m, 2), "rates");
    cr_assert_null(scrm_roi_model_scenario_name(m, 3));
    cr_assert_null(scrm_roi_model_scenario_name(m, -1));
    cr_assert_null(scrm_roi_model_scenario_name(NULL, 0));
    /* Bad overrides. */
    cr_assert_eq(scrm_roi_model_set_scenario(m, "x", s, SCRM_ROI_INPUT_VOLUME, -1), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_scenario(m, "x", s, SCRM_ROI_INPUT_R0, 0.5), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_scenario(m, "", s, SCRM_ROI_INPUT_VOLUME, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_scenario(m, NULL, s, SCRM_ROI_INPUT_VOLUME, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_scenario(NULL, "x", s, SCRM_ROI_INPUT_VOLUME, 1),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_scenario(m, "x", SCRM_ROI_MODEL_LINE,
                                             SCRM_ROI_INPUT_DISCOUNT_RATE, NAN),
                 SCRM_EINVAL);
    OK(scrm_roi_model_scenario_count(m, &k));
    cr_assert_eq(k, 3, "failed overrides create no scenario");
    scrm_roi_model_free(m);
}

Test(roi_model, scenario_checks_clv_against_its_own_values)
{
    scrm_roi_model *m = yearly(2, 0.1);
    int32_t r;
    OK(scrm_roi_model_add_retention(m, "ret", NULL, 1, 1, 100, 0.8, 0.9, 50, 0.05, &r));
    OK(scrm_roi_model_set_scenario(m, "flat", r, SCRM_ROI_INPUT_R1, 1.0)); /* d = 0.05: fine */
    cr_assert_eq(scrm_roi_model_set_scenario(m, "flat", r, SCRM_ROI_INPUT_CLV_DISCOUNT, 0.0),
                 SCRM_EDOM);
    scrm_roi_result res;
    OK(scrm_roi_model_evaluate(m, "flat", &res));
    rel_eq(res.benefits, 100 * (50 * 1.0 / 0.05 - 50 * 0.8 / 0.25), 1e-13);
    scrm_roi_model_free(m);
}

Test(roi_model, flow_times_follow_the_calendar)
{
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    OK(scrm_time_parse("2024-01-15T10:00:00Z", 20, &o.start));
    o.horizon = 14;
    scrm_roi_model *m;
    OK(scrm_roi_model_new(&m, &o));
    scrm_roi_options got;
    OK(scrm_roi_model_get_options(m, &got));
    int64_t jan1, t;
    OK(scrm_time_parse("2024-01-01", 10, &jan1));
    cr_assert_eq(got.start, jan1, "start moved to the start of its month");
    OK(scrm_roi_model_flow_time(m, 0, &t));
    cr_assert_eq(t, jan1);
    char buf[32];
    OK(scrm_roi_model_flow_time(m, 2, &t));
    OK(scrm_time_format(t, buf, sizeof buf));
    cr_assert_str_eq(buf, "2024-03-01T00:00:00Z");
    OK(scrm_roi_model_flow_time(m, 14, &t));
    OK(scrm_time_format(t, buf, sizeof buf));
    cr_assert_str_eq(buf, "2025-03-01T00:00:00Z");
    cr_assert_eq(scrm_roi_model_flow_time(m, 15, &t), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_flow_time(m, -1, &t), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_flow_time(m, 0, NULL), SCRM_EINVAL);
    scrm_roi_model_free(m);
    OK(scrm_roi_model_new(&m, NULL));
    cr_assert_eq(scrm_roi_model_flow_time(m, 0, &t), SCRM_ESTATE);
    scrm_roi_model_free(m);
}

static scrm_dataset *costs_dataset(void)
{
    scrm_dataset *ds;
    OK(scrm_dataset_new(&ds));
    const char *time[] = {"2023-12-31T23:59:59Z", "2024-01-01", "2024-01-31T23:59:59Z",
                          "2024-02-01", "2024-12-31T12:00:00Z", "2025-01-01", "2024-06-15"};
    const char *amount[] = {"999", "100", "50.5", "200", "300", "888", "1000"};
    const char *cat[] = {"ads", "ads", "staff", "ads", "ads", "ads", "staff"};
    scrm_column_input cols[] = {
        {SCRM_COSTS_TIME, SCRM_VALUE_TEXT, time},
        {SCRM_COSTS_AMOUNT, SCRM_VALUE_TEXT, amount},
        {SCRM_COSTS_CATEGORY, SCRM_VALUE_TEXT, cat},
    };
    OK(scrm_dataset_append(ds, SCRM_TABLE_COSTS, 7, cols, 3, NULL, NULL));
    return ds;
}

Test(roi_model, costs_table_lines)
{
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    OK(scrm_time_parse("2024-01-01", 10, &o.start));
    o.horizon = 12;
    o.discount_rate = 0.0;
    scrm_roi_model *m;
    OK(scrm_roi_model_new(&m, &o));
    scrm_dataset *ds = costs_dataset();
    int32_t all, ads;
    OK(scrm_roi_model_add_costs_table(m, "all costs", NULL, ds, NULL, &all));
    OK(scrm_roi_model_add_costs_table(m, "ads", NULL, ds, "ads", &ads));
    cr_assert_eq(scrm_roi_model_add_costs_table(m, "tv", NULL, ds, "tv", NULL), SCRM_ENOTFOUND);
    cr_assert_not_null(strstr(scrm_last_error_message(), "'tv'"));
    scrm_dataset_free(ds); /* the lines copied what they need */
    double f[13];
    size_t n;
    OK(scrm_roi_model_flows(m, NULL, all, f, 13, &n));
    cr_assert_eq(f[0], 0.0);
    rel_eq(f[1], 150.5, 1e-15); /* Jan: 100 + 50.5 (last second of January) */
    rel_eq(f[2], 200, 1e-15);
    rel_eq(f[6], 1000, 1e-15);
    rel_eq(f[12], 300, 1e-15);
    OK(scrm_roi_model_flows(m, NULL, ads, f, 13, &n));
    rel_eq(f[1], 100, 1e-15);
    cr_assert_eq(f[6], 0.0);
    scrm_roi_line_info li;
    OK(scrm_roi_model_line_info(m, all, &li));
    cr_assert_str_eq(li.source, "costs table: 5 rows, total 1,650.50; 1 rows before the start "
                                "and 1 after the horizon left out");
    cr_assert_eq(li.is_cost, 1);
    cr_assert_eq(li.kind, SCRM_ROI_LINE_TABLE);
    OK(scrm_roi_model_line_info(m, ads, &li));
    cr_assert_str_eq(li.source, "costs table: 3 rows, category 'ads', total 600.00; 1 rows "
                                "before the start and 1 after the horizon left out");
    /* Scale: a 20% overrun, in a scenario and as the base value. */
    OK(scrm_roi_model_set_scenario(m, "overrun", ads, SCRM_ROI_INPUT_SCALE, 1.2));
    scrm_roi_result base, over;
    OK(scrm_roi_model_evaluate(m, NULL, &base));
    OK(scrm_roi_model_evaluate(m, "overrun", &over));
    rel_eq(base.costs, 1650.5 + 600, 1e-14);
    rel_eq(over.costs, 1650.5 + 720, 1e-14);
    OK(scrm_roi_model_set_input(m, ads, SCRM_ROI_INPUT_SCALE, 2));
    OK(scrm_roi_model_line_info(m, ads, &li));
    cr_assert_not_null(strstr(li.source, "total 600.00 x 2.00"), "%s", li.source);
    cr_assert_eq(scrm_roi_model_set_input(m, ads, SCRM_ROI_INPUT_SCALE, -1), SCRM_EINVAL);
    scrm_roi_model_free(m);
}

Test(roi_model, costs_table_errors)
{
    scrm_dataset *ds = costs_dataset();
    scrm_roi_model *m;
    OK(scrm_roi_model_new(&m, NULL)); /* no start */
    cr_assert_eq(scrm_roi_model_add_costs_table(m, "c", NULL, ds, NULL, NULL), SCRM_ESTATE);
    cr_assert_eq(scrm_roi_model_add_costs_table(m, "c", NULL, NULL, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_add_costs_table(NULL, "c", NULL, ds, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_add_costs_table(m, NULL, NULL, ds, NULL, NULL), SCRM_EINVAL);
    scrm_roi_model_free(m);
    /* An empty costs table gives an all-zero line. */
    scrm_dataset *empty;
    OK(scrm_dataset_new(&empty));
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    o.start = 0;
    OK(scrm_roi_model_new(&m, &o));
    int32_t l;
    OK(scrm_roi_model_add_costs_table(m, "none", "no costs recorded", empty, NULL, &l));
    scrm_roi_result r;
    OK(scrm_roi_model_evaluate(m, NULL, &r));
    cr_assert_eq(r.costs, 0.0);
    scrm_roi_line_info li;
    OK(scrm_roi_model_line_info(m, l, &li));
    cr_assert_str_eq(li.source, "no costs recorded");
    scrm_roi_model_free(m);
    scrm_dataset_free(empty);
    scrm_dataset_free(ds);
}

Test(roi_model, retention_uses_the_same_clv_as_the_clv_module)
{
    /* The ROI model's private CLV m r / (1 + d - r) equals the CLV module's
     * closed form with end-of-period timing and an infinite horizon. */
    const double cases[][4] = {{100, 0.8, 0.85, 0.10}, {15.49, 0.90, 0.99, 0.01},
                               {40, 0.5, 0.7, 0.0}, {12.5, 0.0, 1.0, 0.2}};
    for (size_t i = 0; i < N(cases); i++) {
        double m = cases[i][0], r0 = cases[i][1], r1 = cases[i][2], d = cases[i][3];
        scrm_clv_terms t;
        OK(scrm_clv_terms_init(&t, SCRM_CLV_TERMS_VERSION));
        t.margin = m;
        t.discount = d;
        double c0, c1;
        t.retention = r0;
        OK(scrm_clv_closed_form(&t, &c0));
        t.retention = r1;
        OK(scrm_clv_closed_form(&t, &c1));
        scrm_roi_model *model = yearly(1, 0.0);
        int32_t l;
        OK(scrm_roi_model_add_retention(model, "r", NULL, 1, 1, 1, r0, r1, m, d, &l));
        double f[2];
        size_t n;
        OK(scrm_roi_model_flows(model, NULL, l, f, 2, &n));
        rel_eq(f[1], c1 - c0, 1e-13);
        scrm_roi_model_free(model);
    }
}
