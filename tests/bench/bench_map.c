/* The integer-key map (src/core/map.h) against the private table it replaces
 * that was fastest on large inputs: the RFM dense-index table (rfm_dense.c:
 * 16-byte slots, splitmix64 finaliser, prefetch 8 rows ahead). Same job for
 * both: dense indices for 10,000,000 ids in random order, 1,000,000 and then
 * 4,000,000 of them distinct (tables beyond the caches), then lookups in a small
 * map (365 days, the engagement and service pattern). Prints medians of 5 runs,
 * wall clock and thread CPU time (the figure to compare on a shared machine). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "clv/rfm.h"
#include "core/map.h"
#include "bench_util.h"

enum { N = 10000000, REPS = 5, AHEAD = 8 };

/* Dense index of every id through the map, as a caller does. */
static int map_densify(const int64_t *ids, size_t n, uint32_t *cust, size_t *k)
{
    scrm__map m = SCRM__MAP_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i + AHEAD < n)
            scrm__map_prefetch(&m, (uint64_t)ids[i + AHEAD]);
        uint64_t v = m.len;
        if (scrm__map_put(&m, (uint64_t)ids[i], &v) < 0) {
            scrm__map_free(&m);
            return SCRM_ENOMEM;
        }
        cust[i] = (uint32_t)v;
    }
    *k = m.len;
    scrm__map_free(&m);
    return SCRM_OK;
}

static int table_densify(const int64_t *ids, size_t n, uint32_t *cust, size_t *k)
{
    int64_t *keys = NULL;
    int rc = scrm__rfm_densify(ids, n, cust, &keys, k);
    free(keys);
    return rc;
}

typedef int (*densify_fn)(const int64_t *, size_t, uint32_t *, size_t *);

/* Median wall and thread-CPU seconds of REPS runs. */
static void time_densify(densify_fn f, const int64_t *ids, uint32_t *cust, size_t *k,
                         double *wall, double *cpu)
{
    double t[REPS], c[REPS];
    for (int r = 0; r < REPS; r++) {
        double a = bench_now(), ac = bench_thread_cpu();
        if (f(ids, N, cust, k) != SCRM_OK) {
            fprintf(stderr, "bench_map: out of memory\n");
            exit(1);
        }
        t[r] = bench_now() - a;
        c[r] = bench_thread_cpu() - ac;
    }
    *wall = bench_median(t, REPS);
    *cpu = bench_median(c, REPS);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void compare(const char *name, const int64_t *ids, uint32_t *a, uint32_t *b)
{
    size_t ka = 0, kb = 0;
    double tm, cm, tt, ct;
    time_densify(table_densify, ids, b, &kb, &tt, &ct);
    time_densify(map_densify, ids, a, &ka, &tm, &cm);
    for (size_t i = 0; i < N; i++)
        if (a[i] != b[i] || ka != kb) {
            fprintf(stderr, "bench_map: %s: indices differ at row %zu\n", name, i);
            exit(1);
        }
    printf("BENCH name=map_%s rows=%d distinct=%zu median_s=%.4f cpu_median_s=%.4f\n", name, N,
           ka, tm, cm);
    printf("BENCH name=rfm_dense_table_%s rows=%d distinct=%zu median_s=%.4f cpu_median_s=%.4f\n",
           name, N, kb, tt, ct);
}

static void small_map(const int64_t *days)
{
    double t[REPS];
    uint64_t sum = 0;
    for (int r = 0; r < REPS; r++) {
        scrm__map m = SCRM__MAP_INIT;
        double a = bench_now();
        for (size_t i = 0; i < N; i++) {
            uint64_t v = m.len;
            if (scrm__map_put(&m, (uint64_t)days[i], &v) < 0)
                exit(1);
            sum += v;
        }
        t[r] = bench_now() - a;
        scrm__map_free(&m);
    }
    double tm = bench_median(t, REPS);
    printf("BENCH name=map_small_365_days rows=%d median_s=%.4f rate=%.0f unit=rows/s "
           "(checksum %llu)\n",
           N, tm, N / tm, (unsigned long long)sum);
}

int main(void)
{
    int64_t *ids = malloc(N * sizeof *ids);
    uint32_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    if (!ids || !a || !b)
        return 1;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < N; i++)
        ids[i] = (int64_t)(xorshift(&s) % 1000000) + 100000000;
    compare("1m_of_10m", ids, a, b);
    for (size_t i = 0; i < N; i++)
        ids[i] = (int64_t)(xorshift(&s) % 4000000) * 7919;
    compare("4m_of_10m", ids, a, b);
    for (size_t i = 0; i < N; i++)
        ids[i] = 18262 + (int64_t)(xorshift(&s) % 365) * 86400;
    small_map(ids);
    free(ids);
    free(a);
    free(b);
    return 0;
}
