/* Uncertain inputs, one-at-a-time sensitivity and Monte Carlo of scrm_roi_model.
 * Statistical checks use fixed seeds (deterministic) and tolerances of 5
 * standard errors of the estimate, stated per check. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num/dists.h"
#include "scrm.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define OK(call) cr_assert_eq((call), SCRM_OK, "%s: %s", #call, scrm_last_error_message())

static void rel_eq(double got, double want, double tol)
{
    cr_assert(fabs(got - want) <= tol * fmax(1.0, fabs(want)), "got %.17g want %.17g", got, want);
}

/* Yearly, horizon 3, no discounting: cost 1000 now, service savings
 * volume x unit per year in years 1-3. NPV = 3 volume unit - 1000. */
static scrm_roi_model *linear_model(int32_t *cost, int32_t *svc)
{
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    o.period = SCRM_PERIOD_YEAR;
    o.horizon = 3;
    o.discount_rate = 0.0;
    scrm_roi_model *m;
    OK(scrm_roi_model_new(&m, &o));
    OK(scrm_roi_model_add_cost(m, "program", NULL, 0, 0, 1000, 0, cost));
    OK(scrm_roi_model_add_service_savings(m, "service", NULL, 1, -1, 100, 5, 0, svc));
    return m;
}

Test(uncertain, bad_distributions_name_line_and_input)
{
    int32_t c, s;
    scrm_roi_model *m = linear_model(&c, &s);
    struct {
        int32_t line, input, kind;
        double a, b, d;
        const char *needle;
    } bad[] = {
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_TRIANGULAR, 150, 100, 50, "min < max"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_TRIANGULAR, 50, 200, 150, "mode 200"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_PERT, 50, 100, 50, "min < max"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_UNIFORM, 120, 80, 0, "a < b"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_NORMAL, 100, 0, 0, "sd must be > 0"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_NORMAL, 100, -2, 0, "sd must be > 0"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_NORMAL, NAN, 1, 0, "not finite"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_LOGNORMAL, 1, 0, 0, "sigma"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_LOGNORMAL_MEAN, -5, 1, 0, "mean must be > 0"},
        {s, SCRM_ROI_INPUT_VOLUME, 7, 1, 2, 3, "unknown distribution kind 7"},
        {s, SCRM_ROI_INPUT_VOLUME, -1, 1, 2, 3, "unknown distribution kind -1"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_UNIFORM, -10, 10, 0, "leaves the input's domain"},
        {s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_FIXED, -1, 0, 0, "outside its domain"},
        {c, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_TRIANGULAR, -5, 0, 10, "domain"},
        {SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE, SCRM_DIST_UNIFORM, -1, 0.2, 0,
         "domain (-1"},
    };
    for (size_t i = 0; i < N(bad); i++) {
        int rc = scrm_roi_model_set_uncertain(m, bad[i].line, bad[i].input, bad[i].kind, bad[i].a,
                                              bad[i].b, bad[i].d);
        cr_assert(rc == SCRM_EINVAL || rc == SCRM_EDOM, "case %zu: rc %d", i, rc);
        const char *msg = scrm_last_error_message();
        cr_assert_not_null(strstr(msg, bad[i].needle), "case %zu: %s", i, msg);
        cr_assert(strstr(msg, "'service'") || strstr(msg, "'program'") || strstr(msg, "'model'"),
                  "case %zu names no line: %s", i, msg);
    }
    cr_assert_eq(scrm_roi_model_set_uncertain(m, s, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_UNIFORM, 0,
                                              1, 0),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_uncertain(m, 5, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_UNIFORM, 0,
                                              1, 0),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_set_uncertain(NULL, s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_UNIFORM,
                                              0, 1, 0),
                 SCRM_EINVAL);
    /* Unbounded distributions on bounded inputs are accepted (clamped per draw). */
    OK(scrm_roi_model_set_uncertain(m, s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_NORMAL, 100, 30, 0));
    OK(scrm_roi_model_clear_uncertain(m, s, SCRM_ROI_INPUT_VOLUME));
    OK(scrm_roi_model_clear_uncertain(m, s, SCRM_ROI_INPUT_VOLUME)); /* no-op */
    cr_assert_eq(scrm_roi_model_clear_uncertain(m, s, SCRM_ROI_INPUT_R0), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_clear_uncertain(NULL, s, SCRM_ROI_INPUT_VOLUME), SCRM_EINVAL);
    size_t n = 99;
    OK(scrm_roi_model_sensitivity(m, NULL, NULL, 0, &n));
    cr_assert_eq(n, 0);
    scrm_roi_model_free(m);
}

Test(sensitivity, tornado_values_and_order)
{
    int32_t c, s;
    scrm_roi_model *m = linear_model(&c, &s);
    OK(scrm_roi_model_set_uncertain(m, s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_UNIFORM, 50, 150, 0));
    OK(scrm_roi_model_set_uncertain(m, s, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_TRIANGULAR, 4, 5,
                                    6));
    OK(scrm_roi_model_set_uncertain(m, c, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_PERT, 800, 1000,
                                    1500));
    OK(scrm_roi_model_set_uncertain(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE,
                                    SCRM_DIST_FIXED, 0.05, 0, 0)); /* no bar */
    scrm_roi_sensitivity_row rows[8];
    size_t n = 0;
    OK(scrm_roi_model_sensitivity(m, NULL, rows, N(rows), &n));
    cr_assert_eq(n, 3);
    /* Volume: P5/P95 of U(50, 150) = 55 and 145; NPV = 15 volume - 1000. */
    cr_assert_eq(rows[0].line, s);
    cr_assert_eq(rows[0].input, SCRM_ROI_INPUT_VOLUME);
    cr_assert_eq(rows[0].base_value, 100);
    rel_eq(rows[0].low_value, 55, 1e-14);
    rel_eq(rows[0].high_value, 145, 1e-14);
    rel_eq(rows[0].npv_low, 15 * 55 - 1000, 1e-13);
    rel_eq(rows[0].npv_high, 15 * 145 - 1000, 1e-13);
    rel_eq(rows[0].roi_low, (15.0 * 55 - 1000) / 1000, 1e-13);
    rel_eq(rows[0].swing, 1350, 1e-13);
    /* Cost PERT(800, 1000, 1500): NPV = 1500 - cost; swing = P95 - P5. */
    scrm__dist pert;
    OK(scrm__dist_init(&pert, SCRM__DIST_PERT, 800, 1000, 1500, "test"));
    double q5 = scrm__dist_quantile(&pert, 0.05), q95 = scrm__dist_quantile(&pert, 0.95);
    cr_assert_eq(rows[1].line, c);
    rel_eq(rows[1].low_value, q5, 1e-14);
    rel_eq(rows[1].npv_low, 1500 - q5, 1e-13);
    rel_eq(rows[1].npv_high, 1500 - q95, 1e-13);
    rel_eq(rows[1].swing, q95 - q5, 1e-12);
    /* Unit value: triangular(4, 5, 6) P5 = 4 + sqrt(0.1), P95 = 6 - sqrt(0.1). */
    cr_assert_eq(rows[2].input, SCRM_ROI_INPUT_UNIT_VALUE);
    rel_eq(rows[2].low_value, 4.316227766016838, 1e-14);
    rel_eq(rows[2].high_value, 5.683772233983162, 1e-14);
    rel_eq(rows[2].swing, 300 * (5.683772233983162 - 4.316227766016838), 1e-12);
    for (size_t i = 1; i < n; i++)
        cr_assert_geq(rows[i - 1].swing, rows[i].swing);
    /* Other probabilities and a scenario as the held values. */
    OK(scrm_roi_model_set_scenario(m, "big", c, SCRM_ROI_INPUT_AMOUNT, 2000));
    scrm_roi_sensitivity_options so;
    OK(scrm_roi_sensitivity_options_init(&so, SCRM_ROI_SENSITIVITY_OPTIONS_VERSION));
    cr_assert_eq(so.low, 0.05);
    cr_assert_eq(so.high, 0.95);
    so.low = 0.0;
    so.high = 1.0;
    so.scenario = "big";
    OK(scrm_roi_model_sensitivity(m, &so, rows, N(rows), &n));
    cr_assert_eq(rows[0].input, SCRM_ROI_INPUT_VOLUME);
    rel_eq(rows[0].npv_low, 15 * 50 - 2000, 1e-13);  /* bounds at p = 0 and 1 */
    rel_eq(rows[0].npv_high, 15 * 150 - 2000, 1e-13);
    scrm_roi_model_free(m);
}

Test(sensitivity, ties_keep_line_order_and_bad_inputs)
{
    int32_t c, s;
    scrm_roi_model *m = linear_model(&c, &s);
    /* Same swing (both 300 x 2): ties in (line, input) order. */
    OK(scrm_roi_model_set_uncertain(m, s, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_UNIFORM, 4, 6, 0));
    OK(scrm_roi_model_set_uncertain(m, c, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_UNIFORM, 700, 1300, 0));
    scrm_roi_sensitivity_row rows[2];
    size_t n;
    scrm_roi_sensitivity_options so = SCRM_ROI_SENSITIVITY_OPTIONS_INIT;
    so.low = 0.0;
    so.high = 1.0;
    OK(scrm_roi_model_sensitivity(m, &so, rows, 2, &n));
    rel_eq(rows[0].swing, rows[1].swing, 1e-15);
    cr_assert_eq(rows[0].line, c);
    cr_assert_eq(rows[1].line, s);
    cr_assert_eq(scrm_roi_model_sensitivity(m, NULL, rows, 1, &n), SCRM_EBUFS);
    cr_assert_eq(n, 2);
    cr_assert_eq(scrm_roi_model_sensitivity(m, NULL, NULL, 2, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_sensitivity(m, NULL, rows, 2, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_model_sensitivity(NULL, NULL, rows, 2, &n), SCRM_EINVAL);
    so.low = 0.6;
    so.high = 0.4;
    cr_assert_eq(scrm_roi_model_sensitivity(m, &so, rows, 2, &n), SCRM_EINVAL);
    so.low = NAN;
    cr_assert_eq(scrm_roi_model_sensitivity(m, &so, rows, 2, &n), SCRM_EINVAL);
    so.low = 0.1;
    so.high = 1.5;
    cr_assert_eq(scrm_roi_model_sensitivity(m, &so, rows, 2, &n), SCRM_EINVAL);
    so = (scrm_roi_sensitivity_options)SCRM_ROI_SENSITIVITY_OPTIONS_INIT;
    so.scenario = "missing";
    cr_assert_eq(scrm_roi_model_sensitivity(m, &so, rows, 2, &n), SCRM_ENOTFOUND);
    so.scenario = NULL;
    so.version = 0;
    cr_assert_eq(scrm_roi_model_sensitivity(m, &so, rows, 2, &n), SCRM_EVERSION);
    so.version = 2;
    cr_assert_eq(scrm_roi_model_sensitivity(m, &so, rows, 2, &n), SCRM_EVERSION);
    cr_assert_eq(scrm_roi_sensitivity_options_init(&so, 9), SCRM_EVERSION);
    cr_assert_eq(scrm_roi_sensitivity_options_init(NULL, 1), SCRM_EINVAL);
    scrm_roi_model_free(m);
}

static double *samples(const scrm_roi_mc *mc, int32_t metric, size_t *n)
{
    size_t need = 0;
    cr_assert_eq(scrm_roi_mc_samples(mc, metric, NULL, 0, &need), SCRM_EBUFS);
    double *x = malloc(need * sizeof *x);
    cr_assert_not_null(x);
    OK(scrm_roi_mc_samples(mc, metric, x, need, n));
    cr_assert_eq(*n, need);
    return x;
}

static scrm_roi_mc *run(const scrm_roi_model *m, uint64_t iterations, uint64_t seed,
                        uint32_t threads)
{
    scrm_roi_mc_options o;
    OK(scrm_roi_mc_options_init(&o, SCRM_ROI_MC_OPTIONS_VERSION));
    o.iterations = iterations;
    o.seed = seed;
    o.threads = threads;
    scrm_roi_mc *mc = NULL;
    OK(scrm_roi_mc_run(&mc, m, &o));
    return mc;
}

static scrm_roi_model *rich_model(void)
{
    scrm_roi_model *m;
    OK(scrm_roi_model_new(&m, NULL)); /* 36 months, 10% a year */
    int32_t a, b, c, d;
    OK(scrm_roi_model_add_cost(m, "setup", NULL, 0, 0, 50000, 0, &a));
    OK(scrm_roi_model_add_cost(m, "staff", NULL, 1, -1, 3000, 0.002, &b));
    OK(scrm_roi_model_add_service_savings(m, "service", NULL, 2, -1, 900, 5.2, 0.01, &c));
    OK(scrm_roi_model_add_retention(m, "retention", NULL, 6, 6, 2000, 0.8, 0.83, 40, 0.1, &d));
    OK(scrm_roi_model_set_uncertain(m, a, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_TRIANGULAR, 40000,
                                    50000, 80000));
    OK(scrm_roi_model_set_uncertain(m, b, SCRM_ROI_INPUT_GROWTH, SCRM_DIST_UNIFORM, 0, 0.01, 0));
    OK(scrm_roi_model_set_uncertain(m, c, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_LOGNORMAL_MEAN, 900,
                                    250, 0));
    OK(scrm_roi_model_set_uncertain(m, c, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_PERT, 3, 5.2, 6));
    OK(scrm_roi_model_set_uncertain(m, d, SCRM_ROI_INPUT_R1, SCRM_DIST_NORMAL, 0.83, 0.02, 0));
    OK(scrm_roi_model_set_uncertain(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE,
                                    SCRM_DIST_UNIFORM, 0.05, 0.15, 0));
    return m;
}

Test(monte_carlo, same_seed_same_numbers_any_thread_count, .timeout = 120)
{
    scrm_roi_model *m = rich_model();
    scrm_roi_mc *a = run(m, 5000, 7, 1), *b = run(m, 5000, 7, 1), *t = run(m, 5000, 7, 3),
                *c = run(m, 5000, 8, 1);
    for (int32_t k = SCRM_ROI_METRIC_NPV; k <= SCRM_ROI_METRIC_DISCOUNTED_PAYBACK; k++) {
        size_t n;
        double *x = samples(a, k, &n), *y = samples(b, k, &n), *z = samples(t, k, &n);
        cr_assert_eq(memcmp(x, y, n * sizeof *x), 0, "metric %d: same seed differs", k);
        cr_assert_eq(memcmp(x, z, n * sizeof *x), 0, "metric %d: 3 threads differ", k);
        free(x);
        free(y);
        free(z);
    }
    size_t n;
    double *x = samples(a, SCRM_ROI_METRIC_NPV, &n), *w = samples(c, SCRM_ROI_METRIC_NPV, &n);
    int same = 0;
    for (size_t i = 0; i < n; i++)
        same += x[i] == w[i];
    cr_assert_lt(same, 5, "another seed must give other draws");
    free(x);
    free(w);
    /* The model is unchanged and another run is possible concurrently (read-only). */
    scrm_roi_mc_summary s1, s2;
    OK(scrm_roi_mc_summarize(a, &s1));
    OK(scrm_roi_mc_summarize(b, &s2));
    cr_assert_eq(memcmp(&s1, &s2, sizeof s1), 0);
    cr_assert_eq(s1.iterations, 5000);
    cr_assert_eq(s1.seed, 7);
    scrm_roi_mc_free(a);
    scrm_roi_mc_free(b);
    scrm_roi_mc_free(t);
    scrm_roi_mc_free(c);
    scrm_roi_model_free(m);
    scrm_roi_mc_free(NULL);
}

Test(monte_carlo, draws_follow_the_documented_streams)
{
    /* Rebuild the first draws by hand: block 0, input (line l, input i) draws
     * from scrm__rng_seed_stream(seed, (0 << 32) ^ (((l + 1) << 8) ^ i)). */
    int32_t c, s;
    scrm_roi_model *m = linear_model(&c, &s);
    OK(scrm_roi_model_set_uncertain(m, s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_NORMAL, 100, 10, 0));
    OK(scrm_roi_model_set_uncertain(m, c, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_PERT, 800, 1000,
                                    1500));
    scrm_roi_mc *mc = run(m, 2000, 99, 1);
    size_t n;
    double *npv = samples(mc, SCRM_ROI_METRIC_NPV, &n);
    scrm__dist dv, dc;
    OK(scrm__dist_init(&dv, SCRM__DIST_NORMAL, 100, 10, 0, "v"));
    OK(scrm__dist_init(&dc, SCRM__DIST_PERT, 800, 1000, 1500, "c"));
    for (uint64_t blk = 0; blk < 2; blk++) {
        scrm__rng rv, rc;
        scrm__rng_seed_stream(&rv, 99, (blk << 32) ^ (((uint64_t)(s + 1) << 8) ^
                                                     SCRM_ROI_INPUT_VOLUME));
        scrm__rng_seed_stream(&rc, 99, (blk << 32) ^ (((uint64_t)(c + 1) << 8) ^
                                                     SCRM_ROI_INPUT_AMOUNT));
        for (size_t i = 0; i < 5; i++) {
            double v = scrm__dist_sample(&dv, &rv), cost = scrm__dist_sample(&dc, &rc);
            rel_eq(npv[blk * 1024 + i], 3 * 5 * v - cost, 1e-13);
        }
    }
    /* Regression lock: the first NPVs of this model and seed, bit for bit. An
     * independent Python splitmix64/xoshiro256** + mpmath erfinv gives the
     * volume draws 102.79408245793722, 91.661870549189416, 104.08215126651581,
     * so the PERT costs are 1216.93..., 1410.47..., 1022.55... (inside [800, 1500]). */
    cr_assert_eq(npv[0], 324.98090158399623, "%.17g", npv[0]);
    cr_assert_eq(npv[1], -35.543035134986667, "%.17g", npv[1]);
    cr_assert_eq(npv[2], 538.68068730215521, "%.17g", npv[2]);
    free(npv);
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
}

Test(monte_carlo, statistics_match_the_exact_distribution, .timeout = 120)
{
    /* NPV = 15 V - 1000 with V ~ Normal(100, 10): NPV ~ Normal(500, 150).
     * n = 100,000: SE(mean) = 0.474; SE(sd) ~ 150 / sqrt(2n) = 0.335;
     * SE(P5) ~ sqrt(.05 .95 / n) / (phi(1.645) / 150) = 1.00; SE(P(NPV > 0))
     * = sqrt(p (1-p) / n) = 6.5e-5. Tolerances 5 SE. */
    int32_t c, s;
    scrm_roi_model *m = linear_model(&c, &s);
    OK(scrm_roi_model_set_uncertain(m, s, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_NORMAL, 100, 10, 0));
    scrm_roi_mc *mc = run(m, 100000, 2024, 1);
    scrm_roi_mc_summary sm;
    OK(scrm_roi_mc_summarize(mc, &sm));
    cr_assert_eq(sm.npv.n, 100000);
    cr_assert_float_eq(sm.npv.mean, 500, 5 * 0.474);
    cr_assert_float_eq(sm.npv.sd, 150, 5 * 0.335);
    cr_assert_float_eq(sm.npv.p5, 253.27195595727926, 5 * 1.00);
    cr_assert_float_eq(sm.npv.p50, 500, 5 * 0.6);
    cr_assert_float_eq(sm.npv.p95, 746.72804404272074, 5 * 1.00);
    cr_assert_float_eq(sm.p_roi_positive, 0.9995709396668031, 5 * 6.5e-5);
    cr_assert_leq(sm.npv.min, sm.npv.p5);
    cr_assert_geq(sm.npv.max, sm.npv.p95);
    /* ROI = NPV / 1000 exactly here; costs are certain. */
    rel_eq(sm.roi.mean, sm.npv.mean / 1000, 1e-12);
    rel_eq(sm.costs_pv.mean, 1000, 1e-15);
    cr_assert_eq(sm.costs_pv.sd, 0.0);
    cr_assert_eq(sm.clamped, 0);
    /* Payback reached iff 3 (5 V) >= 1000, V >= 66.7: P = 1 - Phi(-3.33) = 0.99957;
     * the undiscounted and discounted (rate 0) paybacks agree. */
    cr_assert_float_eq(sm.p_payback, 0.9995709396668031, 5 * 6.5e-5);
    cr_assert_eq(sm.p_payback, sm.p_discounted_payback);
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Test(monte_carlo, percentiles_are_type_7)
{
    scrm_roi_model *m = rich_model();
    scrm_roi_mc *mc = run(m, 3001, 5, 2);
    size_t n;
    double *x = samples(mc, SCRM_ROI_METRIC_NPV, &n);
    qsort(x, n, sizeof *x, cmp);
    const double p[] = {0.0, 0.05, 0.123, 0.5, 0.95, 0.999, 1.0};
    double q[N(p)];
    OK(scrm_roi_mc_percentiles(mc, SCRM_ROI_METRIC_NPV, p, N(p), q));
    for (size_t i = 0; i < N(p); i++) {
        double h = (n - 1) * p[i];
        size_t lo = (size_t)floor(h);
        double want = lo + 1 < n ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
        rel_eq(q[i], want, 1e-15);
    }
    scrm_roi_mc_summary sm;
    OK(scrm_roi_mc_summarize(mc, &sm));
    cr_assert_eq(sm.npv.min, x[0]);
    cr_assert_eq(sm.npv.max, x[n - 1]);
    rel_eq(sm.npv.p50, x[1500], 1e-15);
    free(x);
    /* Paybacks may be infinite (not reached): percentiles stay ordered. */
    double pq[3];
    const double pp[] = {0.05, 0.5, 0.95};
    OK(scrm_roi_mc_percentiles(mc, SCRM_ROI_METRIC_PAYBACK, pp, 3, pq));
    cr_assert(pq[0] <= pq[1] && pq[1] <= pq[2]);
    cr_assert_gt(sm.p_payback, 0.0);
    cr_assert_lt(sm.p_payback, 1.0);
    /* Bad arguments. */
    const double badp[] = {0.5, 1.5};
    cr_assert_eq(scrm_roi_mc_percentiles(mc, SCRM_ROI_METRIC_NPV, badp, 2, q), SCRM_EINVAL);
    const double nanp[] = {NAN};
    cr_assert_eq(scrm_roi_mc_percentiles(mc, SCRM_ROI_METRIC_NPV, nanp, 1, q), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_percentiles(mc, 0, p, 1, q), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_percentiles(mc, 7, p, 1, q), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_percentiles(NULL, 1, p, 1, q), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_percentiles(mc, 1, NULL, 1, q), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_percentiles(mc, 1, p, 1, NULL), SCRM_EINVAL);
    OK(scrm_roi_mc_percentiles(mc, 1, NULL, 0, NULL));
    double one;
    cr_assert_eq(scrm_roi_mc_samples(mc, 1, &one, 1, &n), SCRM_EBUFS);
    cr_assert_eq(n, 3001);
    cr_assert_eq(scrm_roi_mc_samples(mc, 9, &one, 1, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_samples(NULL, 1, &one, 1, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_samples(mc, 1, &one, 1, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_summarize(mc, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_summarize(NULL, &sm), SCRM_EINVAL);
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
}

Test(monte_carlo, no_uncertainty_equals_evaluate)
{
    scrm_roi_model *m = rich_model();
    /* Certain everything except one FIXED input: every draw equals evaluate(). */
    int32_t k;
    OK(scrm_roi_model_line_count(m, &k));
    for (int32_t l = 0; l < k; l++)
        for (int32_t in = 1; in <= 9; in++)
            if (scrm_roi_model_clear_uncertain(m, l, in) != SCRM_OK)
                scrm_clear_error();
    OK(scrm_roi_model_clear_uncertain(m, SCRM_ROI_MODEL_LINE, SCRM_ROI_INPUT_DISCOUNT_RATE));
    OK(scrm_roi_model_set_uncertain(m, 0, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_FIXED, 55000, 0, 0));
    OK(scrm_roi_model_set_scenario(m, "s", 0, SCRM_ROI_INPUT_AMOUNT, 55000));
    scrm_roi_result r;
    OK(scrm_roi_model_evaluate(m, "s", &r));
    scrm_roi_mc *mc = run(m, 10, 1, 1);
    size_t n;
    double *x = samples(mc, SCRM_ROI_METRIC_NPV, &n);
    double *pb = samples(mc, SCRM_ROI_METRIC_DISCOUNTED_PAYBACK, &n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(x[i], r.npv, "draw %zu: %.17g vs %.17g", i, x[i], r.npv);
        cr_assert_eq(pb[i], r.discounted_payback.period);
    }
    free(x);
    free(pb);
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
}

Test(monte_carlo, clamping_and_undefined_roi)
{
    /* r1 ~ Normal(0.95, 0.05) is clamped to 1 in P(Z > 1) = 15.87% of draws
     * (SE sqrt(.1587 .8413 / 20000) = 0.0026; tolerance 5 SE). */
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    o.period = SCRM_PERIOD_YEAR;
    o.horizon = 2;
    scrm_roi_model *m;
    OK(scrm_roi_model_new(&m, &o));
    int32_t r;
    OK(scrm_roi_model_add_retention(m, "ret", NULL, 1, 1, 100, 0.8, 0.9, 10, 0.1, &r));
    OK(scrm_roi_model_set_uncertain(m, r, SCRM_ROI_INPUT_R1, SCRM_DIST_NORMAL, 0.95, 0.05, 0));
    scrm_roi_mc *mc = run(m, 20000, 3, 1);
    scrm_roi_mc_summary sm;
    OK(scrm_roi_mc_summarize(mc, &sm));
    cr_assert_float_eq(sm.clamped / 20000.0, 0.15865525393145707, 5 * 0.0026);
    /* No costs: ROI undefined in every draw. */
    cr_assert_eq(sm.roi.n, 0);
    cr_assert(isnan(sm.roi.mean) && isnan(sm.roi.p50));
    double q;
    const double half = 0.5;
    OK(scrm_roi_mc_percentiles(mc, SCRM_ROI_METRIC_ROI, &half, 1, &q));
    cr_assert(isnan(q));
    /* NPV > 0 iff r1 > r0 = 0.8: Phi(3) = 0.99865, SE 0.00026. */
    cr_assert_float_eq(sm.p_roi_positive, 0.9986501019683699, 5 * 0.00026);
    rel_eq(sm.npv.max, 100 * (10 * 1.0 / 0.1 - 10 * 0.8 / 0.3) / 1.1, 1e-14); /* r1 clamped to 1 */
    scrm_roi_mc_free(mc);
    /* With d fixed at 0 (valid with the base r1 = 0.9), r1 clamped to 1 makes
     * the CLV infinite: the run fails with EDOM naming the draw. */
    OK(scrm_roi_model_set_input(m, r, SCRM_ROI_INPUT_CLV_DISCOUNT, 0.5));
    OK(scrm_roi_model_set_uncertain(m, r, SCRM_ROI_INPUT_CLV_DISCOUNT, SCRM_DIST_FIXED, 0, 0, 0));
    scrm_roi_mc_options mo = SCRM_ROI_MC_OPTIONS_INIT;
    mo.iterations = 5000;
    mc = (scrm_roi_mc *)1;
    OK(scrm_roi_model_set_uncertain(m, r, SCRM_ROI_INPUT_R1, SCRM_DIST_NORMAL, 1.2, 0.01, 0));
    cr_assert_eq(scrm_roi_mc_run(&mc, m, &mo), SCRM_EDOM);
    cr_assert_null(mc);
    cr_assert_not_null(strstr(scrm_last_error_message(), "draw "), "%s",
                       scrm_last_error_message());
    cr_assert_not_null(strstr(scrm_last_error_message(), "CLV undefined"));
    scrm_roi_model_free(m);
}

struct progress_log {
    int calls;
    uint64_t last, total;
    int monotonic;
    int stop_after;
};

static int on_progress(void *user, uint64_t done, uint64_t total)
{
    struct progress_log *p = user;
    if (done < p->last)
        p->monotonic = 0;
    p->last = done;
    p->total = total;
    p->calls++;
    return p->stop_after && p->calls >= p->stop_after;
}

Test(monte_carlo, progress_callback_and_cancel)
{
    scrm_roi_model *m = rich_model();
    struct progress_log log = {0, 0, 0, 1, 0};
    scrm_roi_mc_options o = SCRM_ROI_MC_OPTIONS_INIT;
    o.iterations = 50000;
    o.progress = on_progress;
    o.progress_user = &log;
    o.threads = 2;
    scrm_roi_mc *mc = NULL;
    OK(scrm_roi_mc_run(&mc, m, &o));
    cr_assert_gt(log.calls, 1);
    cr_assert(log.monotonic);
    cr_assert_eq(log.last, 50000);
    cr_assert_eq(log.total, 50000);
    scrm_roi_mc_free(mc);
    struct progress_log stop = {0, 0, 0, 1, 3};
    o.progress_user = &stop;
    o.threads = 1;
    mc = (scrm_roi_mc *)1;
    cr_assert_eq(scrm_roi_mc_run(&mc, m, &o), SCRM_ESTATE);
    cr_assert_null(mc);
    cr_assert_eq(stop.calls, 3);
    cr_assert_not_null(strstr(scrm_last_error_message(), "stopped by the progress callback"));
    scrm_roi_model_free(m);
}

Test(monte_carlo, bad_options)
{
    scrm_roi_model *m = rich_model();
    scrm_roi_mc *mc = (scrm_roi_mc *)1;
    scrm_roi_mc_options o = SCRM_ROI_MC_OPTIONS_INIT;
    cr_assert_eq(o.iterations, 10000);
    cr_assert_eq(scrm_roi_mc_run(NULL, m, &o), SCRM_EINVAL);
    cr_assert_eq(scrm_roi_mc_run(&mc, NULL, &o), SCRM_EINVAL);
    cr_assert_null(mc);
    o.iterations = 0;
    cr_assert_eq(scrm_roi_mc_run(&mc, m, &o), SCRM_EINVAL);
    o.iterations = (UINT64_C(1) << 32) + 1;
    cr_assert_eq(scrm_roi_mc_run(&mc, m, &o), SCRM_EINVAL);
    o.iterations = 10;
    o.scenario = "nope";
    cr_assert_eq(scrm_roi_mc_run(&mc, m, &o), SCRM_ENOTFOUND);
    o.scenario = NULL;
    o.version = 0;
    cr_assert_eq(scrm_roi_mc_run(&mc, m, &o), SCRM_EVERSION);
    o.version = 2;
    cr_assert_eq(scrm_roi_mc_run(&mc, m, &o), SCRM_EVERSION);
    cr_assert_eq(scrm_roi_mc_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_roi_mc_options_init(NULL, 1), SCRM_EINVAL);
    /* Defaults (NULL options) work. */
    OK(scrm_roi_mc_run(&mc, m, NULL));
    scrm_roi_mc_summary sm;
    OK(scrm_roi_mc_summarize(mc, &sm));
    cr_assert_eq(sm.iterations, 10000);
    cr_assert_eq(sm.seed, 1);
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
}
