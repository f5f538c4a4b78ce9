/* Monte Carlo of a 36-month business case with 10 uncertain inputs,
 * 1,000,000 iterations on one thread, plus the summary (mean, sd, P5/P50/P95
 * of NPV, ROI and present values). Target (issue 6): under 1 s on one core.
 * median_s is wall time (run + summary), run_median_s the run alone and
 * cpu_median_s the process CPU time of run + summary (the meaningful figure on
 * a loaded machine). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "scrm.h"
#include "bench_util.h"

/* CPU time of this process: on a shared machine the figure that does not
 * include waiting for a core. */
#define CHECK(call)                                                                  \
    do {                                                                             \
        if ((call) != SCRM_OK) {                                                     \
            fprintf(stderr, "bench_roi: %s: %s\n", #call, scrm_last_error_message()); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

static scrm_roi_model *business_case(void)
{
    scrm_roi_model *m;
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT; /* 36 months, 10% a year */
    CHECK(scrm_roi_model_new(&m, &o));
    int32_t platform, staff, ads, svc, ret, ref, eng, conv;
    CHECK(scrm_roi_model_add_cost(m, "platform", NULL, 0, 0, 120000, 0, &platform));
    CHECK(scrm_roi_model_add_cost(m, "staff", NULL, 1, -1, 18000, 0.002, &staff));
    CHECK(scrm_roi_model_add_cost(m, "ads", NULL, 1, 12, 5000, 0, &ads));
    CHECK(scrm_roi_model_add_service_savings(m, "service", NULL, 3, -1, 1240, 5.2, 0.01, &svc));
    CHECK(scrm_roi_model_add_retention(m, "retention", NULL, 1, -1, 800, 0.80, 0.82, 30, 0.01,
                                       &ret));
    CHECK(scrm_roi_model_add_referrals(m, "referrals", NULL, 1, -1, 40, 55, 0.0, &ref));
    CHECK(scrm_roi_model_add_engagement(m, "engagement", NULL, 1, -1, 25000, 0.15, 0.0, &eng));
    CHECK(scrm_roi_model_add_conversions(m, "conversions", NULL, 1, -1, 120, 40, 0.005, &conv));
    CHECK(scrm_roi_model_set_uncertain(m, platform, SCRM_ROI_INPUT_AMOUNT,
                                       SCRM_DIST_TRIANGULAR, 100000, 120000, 180000));
    CHECK(scrm_roi_model_set_uncertain(m, staff, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_PERT, 15000,
                                       18000, 26000));
    CHECK(scrm_roi_model_set_uncertain(m, staff, SCRM_ROI_INPUT_GROWTH, SCRM_DIST_UNIFORM, 0,
                                       0.005, 0));
    CHECK(scrm_roi_model_set_uncertain(m, ads, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_NORMAL, 5000,
                                       800, 0));
    CHECK(scrm_roi_model_set_uncertain(m, svc, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_LOGNORMAL_MEAN,
                                       1240, 300, 0));
    CHECK(scrm_roi_model_set_uncertain(m, svc, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_TRIANGULAR,
                                       3.5, 5.2, 6.0));
    CHECK(scrm_roi_model_set_uncertain(m, ret, SCRM_ROI_INPUT_R1, SCRM_DIST_PERT, 0.80, 0.82,
                                       0.86));
    CHECK(scrm_roi_model_set_uncertain(m, ref, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_UNIFORM, 20, 60,
                                       0));
    CHECK(scrm_roi_model_set_uncertain(m, eng, SCRM_ROI_INPUT_UNIT_VALUE, SCRM_DIST_LOGNORMAL,
                                       -2.0, 0.5, 0));
    CHECK(scrm_roi_model_set_uncertain(m, conv, SCRM_ROI_INPUT_VOLUME, SCRM_DIST_NORMAL, 120, 30,
                                       0));
    return m;
}

int main(void)
{
    enum { REPS = 5 };
    const uint64_t iterations = 1000000;
    scrm_roi_model *m = business_case();
    scrm_roi_mc_options o = SCRM_ROI_MC_OPTIONS_INIT;
    o.iterations = iterations;
    o.seed = 2024;
    double times[REPS], run_times[REPS], cpu_times[REPS];
    scrm_roi_mc_summary s;
    for (int r = 0; r < REPS; r++) {
        scrm_roi_mc *mc = NULL;
        double a = bench_now(), ca = bench_process_cpu();
        CHECK(scrm_roi_mc_run(&mc, m, &o));
        double b = bench_now();
        CHECK(scrm_roi_mc_summarize(mc, &s));
        times[r] = bench_now() - a;
        cpu_times[r] = bench_process_cpu() - ca;
        run_times[r] = b - a;
        scrm_roi_mc_free(mc);
    }
    qsort(times, REPS, sizeof times[0], bench_cmp_double);
    qsort(run_times, REPS, sizeof run_times[0], bench_cmp_double);
    qsort(cpu_times, REPS, sizeof cpu_times[0], bench_cmp_double);
    printf("BENCH name=roi_monte_carlo iterations=%llu periods=36 uncertain_inputs=10 threads=1 "
           "median_s=%.4f run_median_s=%.4f cpu_median_s=%.4f rate=%.0f unit=iterations/s "
           "npv_mean=%.2f npv_p5=%.2f npv_p95=%.2f p_roi_positive=%.4f\n",
           (unsigned long long)iterations, times[REPS / 2], run_times[REPS / 2],
           cpu_times[REPS / 2], (double)iterations / times[REPS / 2], s.npv.mean, s.npv.p5,
           s.npv.p95, s.p_roi_positive);
    scrm_roi_model_free(m);
    return 0;
}
