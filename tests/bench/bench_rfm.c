/* RFM summary of 10,000,000 transactions (1,000,000 customers, two years,
 * time-ordered as a transaction log is). Target (issue 5): under 2 s. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "scrm.h"
#include "bench_util.h"

int main(void)
{
    enum { N = 10000000, CUSTOMERS = 1000000, REPS = 5 };
    int64_t *cust = malloc(N * sizeof *cust), *t = malloc(N * sizeof *t);
    double *v = malloc(N * sizeof *v);
    if (!cust || !t || !v)
        return 1;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    const int64_t t0 = INT64_C(1577836800); /* 2020-01-01 */
    for (size_t i = 0; i < N; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        cust[i] = (int64_t)(s % CUSTOMERS) + 100000000;
        t[i] = t0 + (int64_t)((double)i / N * 2 * 365 * 86400); /* log order */
        v[i] = (double)(s >> 40) / 1e5;
    }
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.unit = SCRM_PERIOD_WEEK;
    o.calibration_end = t0 + 365 * 86400;
    o.observation_end = t0 + 2 * 365 * 86400;
    double times[REPS];
    size_t customers = 0;
    for (int r = 0; r < REPS; r++) {
        scrm_rfm *rfm = NULL;
        double a = bench_now();
        int rc = scrm_rfm_new_from_arrays(&rfm, &o, cust, t, v, N);
        times[r] = bench_now() - a;
        if (rc) {
            fprintf(stderr, "bench_rfm: %s\n", scrm_last_error_message());
            return 1;
        }
        scrm_rfm_info info;
        scrm_rfm_get_info(rfm, &info);
        customers = info.customers;
        scrm_rfm_free(rfm);
    }
    qsort(times, REPS, sizeof times[0], bench_cmp_double);
    printf("BENCH name=rfm_summary_arrays transactions=%d customers=%zu median_s=%.4f "
           "rate=%.0f unit=transactions/s\n",
           N, customers, times[REPS / 2], N / times[REPS / 2]);
    free(cust);
    free(t);
    free(v);
    return 0;
}
