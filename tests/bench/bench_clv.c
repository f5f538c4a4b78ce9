/* CLV model benchmarks: median of several runs, machine-readable lines
 *   BENCH name=... median_s=... rate=... unit=...
 * Data: the CDNOW summary (SCRM_SHARED_DATA) and 1,000,000 distinct simulated
 * BG/NBD customers (seeded). Each line also has the median process CPU time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scrm.h"
#include "bench_util.h"

/* Wall time and process CPU time: the machine is shared, so CPU time is the
 * steadier figure (the library is single-threaded). */
static double cpu_t0, cpu[16];
static double now(void)
{
    cpu_t0 = bench_process_cpu();
    return bench_now();
}
#define LAP(t, r, t0) ((cpu[r] = bench_process_cpu() - cpu_t0), (t)[r] = bench_now() - (t0))

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void report(const char *name, double *t, int reps, double items, const char *unit)
{
    double m = median(t, reps), c = median(cpu, reps);
    printf("BENCH name=%s median_s=%.6f rate=%.6g unit=%s reps=%d cpu_median_s=%.6f\n", name, m,
           items / m, unit, reps, c);
}

static uint64_t sm = 12345;
static double unif(void)
{
    uint64_t z = (sm += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) * 0x1.0p-53;
}
static double gamma_draw(double k)
{
    if (k < 1)
        return gamma_draw(k + 1) * pow(unif(), 1 / k);
    double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double z = sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()), v = 1 + c * z;
        if (v <= 0)
            continue;
        v = v * v * v;
        if (log(unif()) < 0.5 * z * z + d - d * v + d * log(v))
            return d * v;
    }
}

#define CDN 2357
static double cx[CDN], ctx[CDN], cT[CDN], cm[CDN];

/* Argument "cdnow": the CDNOW benchmarks only. */
int main(int argc, char **argv)
{
    const char *root = getenv("SCRM_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/cdnow/cdnow_customers_summary_with_transactions.csv",
             root ? root : "../shared/data");
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return 1;
    }
    char line[256];
    size_t n = 0;
    if (!fgets(line, sizeof line, f))
        return 1;
    while (n < CDN && fgets(line, sizeof line, f)) {
        int id;
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &cx[n], &ctx[n], &cT[n], &cm[n]) == 5)
            n++;
    }
    fclose(f);
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = n;
    d.frequency = cx;
    d.recency = ctx;
    d.age = cT;
    d.monetary = cm;
    enum { REPS = 9 };
    double t[REPS];
    scrm_clv_model *m;

    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        if (scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, NULL))
            return 1;
        LAP(t, r, t0);
        scrm_clv_model_free(m);
    }
    report("bgnbd_fit_cdnow", t, REPS, (double)n, "customers/s");

    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        if (scrm_clv_model_fit(&m, SCRM_CLV_PARETO_NBD, &d, NULL, NULL))
            return 1;
        LAP(t, r, t0);
        scrm_clv_model_free(m);
    }
    report("pnbd_fit_cdnow", t, REPS, (double)n, "customers/s");

    static double gx[CDN], gm[CDN];
    size_t g = 0;
    for (size_t i = 0; i < n; i++)
        if (cx[i] > 0) {
            gx[g] = cx[i];
            gm[g++] = cm[i];
        }
    scrm_clv_data dg = SCRM_CLV_DATA_INIT;
    dg.n = g;
    dg.frequency = gx;
    dg.monetary = gm;
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        if (scrm_clv_model_fit(&m, SCRM_CLV_GAMMA_GAMMA, &dg, NULL, NULL))
            return 1;
        LAP(t, r, t0);
        scrm_clv_model_free(m);
    }
    report("gamma_gamma_fit_cdnow", t, REPS, (double)g, "customers/s");

    if (argc > 1 && strcmp(argv[1], "cdnow") == 0)
        return 0;
    /* 1,000,000 distinct simulated customers (continuous T, t_x). */
    enum { N = 1000000, R3 = 3 };
    double *x = malloc(N * sizeof *x), *tx = malloc(N * sizeof *tx), *T = malloc(N * sizeof *T),
           *mm = malloc(N * sizeof *mm), *out = malloc(N * sizeof *out);
    const double truth[4] = {0.5, 6.0, 0.8, 2.5};
    for (int i = 0; i < N; i++) {
        T[i] = 26 + 13 * unif();
        double lambda = gamma_draw(truth[0]) / truth[1], g1 = gamma_draw(truth[2]),
               g2 = gamma_draw(truth[3]), p = g1 / (g1 + g2), s = 0;
        x[i] = 0;
        tx[i] = 0;
        for (;;) {
            s += -log(unif()) / lambda;
            if (s > T[i])
                break;
            x[i] += 1;
            tx[i] = s;
            if (unif() < p)
                break;
        }
        mm[i] = 10 + 40 * unif();
    }
    scrm_clv_data big = SCRM_CLV_DATA_INIT;
    big.n = N;
    big.frequency = x;
    big.recency = tx;
    big.age = T;
    big.monetary = mm;
    scrm_clv_model *bg = NULL;
    scrm_clv_fit_result res;
    for (int r = 0; r < R3; r++) {
        scrm_clv_model_free(bg);
        double t0 = now();
        if (scrm_clv_model_fit(&bg, SCRM_CLV_BGNBD, &big, NULL, &res))
            return 1;
        LAP(t, r, t0);
    }
    report("bgnbd_fit_1m", t, R3, (double)N, "customers/s");
    fprintf(stderr, "1M fit: rows %llu, iterations %u, evaluations %u\n",
            (unsigned long long)res.n_rows, res.iterations, res.evaluations);

    double gp[3] = {6.25, 3.74, 15.44};
    scrm_clv_model *gg;
    scrm_clv_model_new(&gg, SCRM_CLV_GAMMA_GAMMA, gp, 3);
    size_t len;
    for (int r = 0; r < R3; r++) {
        double t0 = now();
        if (scrm_clv_customer_value(bg, gg, &big, NULL, out, N, &len))
            return 1;
        LAP(t, r, t0);
    }
    report("clv_1m", t, R3, (double)N, "customers/s");
    scrm_clv_model_free(bg);
    scrm_clv_model_free(gg);
    free(x);
    free(tx);
    free(T);
    free(mm);
    free(out);
    return 0;
}
