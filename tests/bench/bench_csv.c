/* CSV loading throughput and memory: a 1,000,000-row transactions file
 * (~100k distinct customers, ISO dates, amounts, margins) generated here,
 * loaded from disk several times.
 *
 * Prints: BENCH name=csv_transactions rows=... bytes=... median_s=... mb_per_s=...
 *         peak_rss_mb=... column_bytes_mb=... rss_ratio=...
 * peak_rss_mb is the resident-set high-water mark during a load minus the
 * resident set just before it (the HWM is reset through /proc/self/clear_refs);
 * column_bytes_mb is rows x (4 + 8 + 8 + 8) bytes, the raw column storage.
 * The machine may be shared: cpu_* (process CPU time) shows the cost of a load
 * independently of other load on the machine; mb_per_s is wall-clock.
 * Usage: bench_csv [ROWS] [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scrm.h"
#include "bench_util.h"

/* kB value of a /proc/self/status field, or -1. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            v = strtol(line + n + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

/* Reset VmHWM to the current RSS (Linux >= 4.0); 0 on success. */
static int reset_hwm(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return -1;
    int ok = fputs("5", f) >= 0;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static long generate(const char *path, long rows)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    fputs("customer,time,amount,margin\n", f);
    for (long i = 0; i < rows; i++) {
        unsigned cust = (unsigned)(next() % 100000);
        int y = 2022 + (int)(next() % 2), m = 1 + (int)(next() % 12);
        int d = 1 + (int)(next() % (uint64_t)dim[m - 1]);
        unsigned cents = (unsigned)(next() % 50000) + 100;
        unsigned mc = cents / 4 + (unsigned)(next() % 500);
        if (i % 4 == 0) /* a quarter with a time of day */
            fprintf(f, "C%06u,%04d-%02d-%02dT%02d:%02d:%02dZ,%u.%02u,%u.%02u\n", cust, y, m, d,
                    (int)(next() % 24), (int)(next() % 60), (int)(next() % 60), cents / 100,
                    cents % 100, mc / 100, mc % 100);
        else
            fprintf(f, "C%06u,%04d-%02d-%02d,%u.%02u,%u.%02u\n", cust, y, m, d, cents / 100,
                    cents % 100, mc / 100, mc % 100);
    }
    long size = ftell(f);
    if (fclose(f) != 0)
        return -1;
    return size;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 7;
    if (rows <= 0 || runs <= 0 || runs > 100)
        return 2;
    char path[] = "/tmp/scrm-bench-csv-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 2;
    close(fd);
    long bytes = generate(path, rows);
    if (bytes <= 0) {
        unlink(path);
        return 2;
    }
    double times[100], cpu[100];
    double peak_mb = 0;
    int hwm_ok = 1;
    for (int r = 0; r < runs; r++) {
        scrm_dataset *ds = NULL;
        if (scrm_dataset_new(&ds) != SCRM_OK)
            return 1;
        hwm_ok &= reset_hwm() == 0;
        long before = status_kb("VmRSS");
        double t0 = bench_now(), c0 = bench_process_cpu();
        scrm_load_report rep;
        int rc = scrm_dataset_load_csv(ds, SCRM_TABLE_TRANSACTIONS, path, NULL, &rep);
        times[r] = bench_now() - t0;
        cpu[r] = bench_process_cpu() - c0;
        long hwm = status_kb("VmHWM");
        if (rc != SCRM_OK || rep.rows_accepted != (uint64_t)rows) {
            fprintf(stderr, "load failed: %s\n", scrm_last_error_message());
            unlink(path);
            return 1;
        }
        double mb = (double)(hwm - before) / 1024.0;
        if ((hwm_ok || r == 0) && mb > peak_mb)
            peak_mb = mb; /* without a HWM reset only the first run is meaningful */
        scrm_dataset_free(ds);
    }
    unlink(path);
    qsort(times, (size_t)runs, sizeof times[0], bench_cmp_double);
    qsort(cpu, (size_t)runs, sizeof cpu[0], bench_cmp_double);
    double median = runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    double median_cpu = runs % 2 ? cpu[runs / 2] : (cpu[runs / 2 - 1] + cpu[runs / 2]) / 2;
    double mb = (double)bytes / 1048576.0;
    double col_mb = (double)rows * (4 + 8 + 8 + 8) / 1048576.0;
    printf("BENCH name=csv_transactions rows=%ld bytes=%ld runs=%d median_s=%.4f min_s=%.4f "
           "mb_per_s=%.1f cpu_median_s=%.4f cpu_mb_per_s=%.1f peak_rss_mb=%.1f "
           "column_bytes_mb=%.1f rss_ratio=%.2f%s\n",
           rows, bytes, runs, median, times[0], mb / median, median_cpu, mb / median_cpu, peak_mb,
           col_mb, peak_mb / col_mb, hwm_ok ? "" : " hwm=first_run_only");
    return 0;
}
