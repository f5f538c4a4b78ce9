/* Shared by the C benchmarks: clocks and the median of repeated timings.
 * Header-only; every benchmark prints medians so that one noisy run on a
 * shared machine does not move the figure. */
#ifndef SCRM_BENCH_UTIL_H
#define SCRM_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

/* Seconds on clock @p id. */
static inline double bench_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline double bench_now(void) { return bench_clock(CLOCK_MONOTONIC); }
static inline double bench_thread_cpu(void) { return bench_clock(CLOCK_THREAD_CPUTIME_ID); }
static inline double bench_process_cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }

/* qsort comparator for doubles (timings are never NaN). */
static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of @p n timings (the upper one for even @p n); sorts @p t in place. */
static inline double bench_median(double *t, size_t n)
{
    qsort(t, n, sizeof t[0], bench_cmp_double);
    return t[n / 2];
}

#endif
