/* NPS over 10,000,000 scores held in memory (issue 4 target: at least
 * 1,000 million scores/s per core): scrm_nps_add_scores on one core,
 * scrm_nps_compute on a dataset's survey table, and two accumulators filled
 * by two threads and merged. Prints BENCH lines with the median of REPS. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "scrm.h"
#include "bench_util.h"

enum { N = 10000000, REPS = 11, THREADS = 2 };

/* Wall time, and this thread's CPU time: on a shared machine the CPU time
 * shows the per-core speed when other processes take turns on the cores. */
static int fail(const char *what)
{
    fprintf(stderr, "bench_nps: %s: %s\n", what, scrm_last_error_message());
    return 1;
}

typedef struct part {
    const double *scores;
    size_t n;
    scrm_nps *nps;
    int rc;
    double cpu_s;
} part;

static void *add_part(void *arg)
{
    part *p = arg;
    double c = bench_thread_cpu();
    p->rc = scrm_nps_reset(p->nps);
    if (p->rc == SCRM_OK)
        p->rc = scrm_nps_add_scores(p->nps, p->scores, p->n);
    p->cpu_s = bench_thread_cpu() - c;
    return NULL;
}

int main(void)
{
    double *scores = malloc(N * sizeof *scores);
    int64_t *times = malloc(N * sizeof *times);
    if (!scores || !times)
        return 1;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < N; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        /* Skewed towards high scores, as NPS surveys are. */
        unsigned u = (unsigned)(s % 20);
        scores[i] = u < 11 ? (double)u : (double)(7 + u % 4);
        times[i] = INT64_C(1704067200) + (int64_t)(i / 40); /* 2024, in time order */
    }
    double t[REPS], tc[REPS];
    scrm_nps *nps;
    scrm_nps_result r = { 0 };
    if (scrm_nps_new(&nps, NULL))
        return fail("new");

    /* 1. One core, scrm_nps_add_scores over the in-memory column. */
    for (int k = 0; k < REPS; k++) {
        scrm_nps_reset(nps);
        double a = bench_now(), c = bench_thread_cpu();
        int rc = scrm_nps_add_scores(nps, scores, N);
        tc[k] = bench_thread_cpu() - c;
        t[k] = bench_now() - a;
        if (rc)
            return fail("add_scores");
    }
    if (scrm_nps_finalize(nps, &r))
        return fail("finalize");
    double m = bench_median(t, REPS), mc = bench_median(tc, REPS);
    printf("BENCH name=nps_add_scores scores=%d threads=1 median_s=%.5f rate=%.0f "
           "cpu_median_s=%.5f cpu_rate=%.0f unit=scores/s nps=%.4f\n",
           N, m, N / m, mc, N / mc, r.nps);

    /* 2. scrm_nps_compute over a dataset's survey table (same scores). */
    scrm_dataset *ds;
    if (scrm_dataset_new(&ds))
        return fail("dataset_new");
    scrm_column_input in[] = {
        { SCRM_SURVEY_TIME, SCRM_VALUE_I64, times },
        { SCRM_SURVEY_SCORE, SCRM_VALUE_F64, scores },
    };
    scrm_dataset_load_options lo = SCRM_DATASET_LOAD_OPTIONS_INIT;
    lo.max_rows = N;
    if (scrm_dataset_append(ds, SCRM_TABLE_SURVEY, N, in, 2, &lo, NULL))
        return fail("dataset_append");
    for (int k = 0; k < REPS; k++) {
        double a = bench_now(), c = bench_thread_cpu();
        int rc = scrm_nps_compute(nps, ds, &r);
        tc[k] = bench_thread_cpu() - c;
        t[k] = bench_now() - a;
        if (rc)
            return fail("compute");
    }
    m = bench_median(t, REPS);
    mc = bench_median(tc, REPS);
    printf("BENCH name=nps_compute scores=%d threads=1 median_s=%.5f rate=%.0f "
           "cpu_median_s=%.5f cpu_rate=%.0f unit=scores/s nps=%.4f\n",
           N, m, N / m, mc, N / mc, r.nps);

    /* 3. Two accumulators, one per thread, merged (thread start and merge
     * included in the time). */
    part parts[THREADS];
    for (int i = 0; i < THREADS; i++) {
        parts[i].scores = scores + (size_t)i * (N / THREADS);
        parts[i].n = i == THREADS - 1 ? N - (size_t)i * (N / THREADS) : N / THREADS;
        if (scrm_nps_new(&parts[i].nps, NULL))
            return fail("new");
    }
    scrm_nps_result merged = { 0 };
    for (int k = 0; k < REPS; k++) {
        pthread_t th[THREADS];
        double a = bench_now();
        for (int i = 0; i < THREADS; i++)
            if (pthread_create(&th[i], NULL, add_part, &parts[i]))
                return 1;
        for (int i = 0; i < THREADS; i++)
            pthread_join(th[i], NULL);
        for (int i = 1; i < THREADS; i++)
            if (parts[0].rc || parts[i].rc || scrm_nps_merge(parts[0].nps, parts[i].nps))
                return fail("threads/merge");
        if (scrm_nps_finalize(parts[0].nps, &merged))
            return fail("finalize");
        t[k] = bench_now() - a;
        /* Per-core speed: scores per CPU-second of the slower thread. */
        tc[k] = 0.0;
        for (int i = 0; i < THREADS; i++)
            if (parts[i].cpu_s / (double)parts[i].n > tc[k])
                tc[k] = parts[i].cpu_s / (double)parts[i].n;
    }
    m = bench_median(t, REPS);
    mc = bench_median(tc, REPS);
    printf("BENCH name=nps_add_scores_merged scores=%d threads=%d median_s=%.5f rate=%.0f "
           "per_core=%.0f cpu_per_core=%.0f unit=scores/s nps=%.4f\n",
           N, THREADS, m, N / m, N / m / THREADS, 1.0 / mc, merged.nps);
    if (merged.nps != r.nps || merged.n != (uint64_t)N) {
        fprintf(stderr, "bench_nps: merged result differs from one pass\n");
        return 1;
    }
    for (int i = 0; i < THREADS; i++)
        scrm_nps_free(parts[i].nps);
    scrm_dataset_free(ds);
    scrm_nps_free(nps);
    free(scores);
    free(times);
    return 0;
}
