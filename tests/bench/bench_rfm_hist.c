/* RFM histogram over 10,000,000 simulated customers in weekly units (T in
 * 0..99 weeks, x geometric up to 20, t_x in 0..T: about 100,000 distinct
 * rows): scrm_rfm_hist_add in one call, the same data in 2 halves merged,
 * serialize + deserialize of the merged state, and a BG/NBD fit on the
 * histogram (its status is printed: the data are not drawn from BG/NBD).
 * Prints BENCH lines with the median of REPS. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "scrm.h"
#include "bench_util.h"

enum { N = 10000000, REPS = 3 };

static int fail(const char *what)
{
    fprintf(stderr, "bench_rfm_hist: %s: %s\n", what, scrm_last_error_message());
    return 1;
}

static uint64_t state = 42;
static uint64_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(void)
{
    double *x = malloc(N * sizeof(double)), *tx = malloc(N * sizeof(double)),
           *T = malloc(N * sizeof(double));
    if (!x || !tx || !T)
        return 1;
    for (size_t i = 0; i < N; i++) {
        uint64_t r = rnd();
        double age = (double)(r % 100);
        double freq = 0;
        for (uint64_t g = r >> 8; (g & 1) && freq < 20; g >>= 1)
            freq++;
        x[i] = freq;
        tx[i] = freq == 0 ? 0 : (double)((r >> 40) % (uint64_t)(age + 1));
        T[i] = age;
    }
    double t_add[REPS], t_merge[REPS], t_bytes[REPS];
    size_t rows = 0, bytes = 0;
    for (int rep = 0; rep < REPS; rep++) {
        scrm_rfm_hist *h = NULL, *a = NULL, *b = NULL, *c = NULL;
        if (scrm_rfm_hist_new(&h, NULL) || scrm_rfm_hist_new(&a, NULL) ||
            scrm_rfm_hist_new(&b, NULL))
            return fail("new");
        double t0 = bench_now();
        if (scrm_rfm_hist_add(h, x, tx, T, NULL, N))
            return fail("add");
        t_add[rep] = bench_now() - t0;
        t0 = bench_now();
        if (scrm_rfm_hist_add(a, x, tx, T, NULL, N / 2) ||
            scrm_rfm_hist_add(b, x + N / 2, tx + N / 2, T + N / 2, NULL, N - N / 2) ||
            scrm_rfm_hist_merge(a, b))
            return fail("halves");
        t_merge[rep] = bench_now() - t0;
        t0 = bench_now();
        size_t need = 0;
        scrm_rfm_hist_serialize(a, NULL, 0, &need);
        uint8_t *buf = malloc(need);
        if (!buf || scrm_rfm_hist_serialize(a, buf, need, &need) ||
            scrm_rfm_hist_deserialize(&c, buf, need))
            return fail("bytes");
        t_bytes[rep] = bench_now() - t0;
        scrm_rfm_hist_info info;
        scrm_rfm_hist_get_info(c, &info);
        rows = (size_t)info.rows;
        bytes = need;
        free(buf);
        scrm_rfm_hist_free(a);
        scrm_rfm_hist_free(b);
        scrm_rfm_hist_free(c);
        if (rep == REPS - 1) {
            scrm_clv_model *m = NULL;
            scrm_clv_fit_result r;
            double tf = bench_now();
            int rc = scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, h, NULL, &r);
            tf = bench_now() - tf;
            printf("BENCH name=rfm_hist_fit_bgnbd rows=%zu status=%d median_s=%.4f unit=s\n",
                   (size_t)r.n_rows, rc, tf);
            scrm_clv_model_free(m);
        }
        scrm_rfm_hist_free(h);
    }
    double ma = bench_median(t_add, REPS), mm = bench_median(t_merge, REPS);
    double mb = bench_median(t_bytes, REPS);
    printf("BENCH name=rfm_hist_add n=%d rows=%zu median_s=%.4f rate=%.1f unit=Mrows/s\n", N, rows,
           ma, N / ma / 1e6);
    printf("BENCH name=rfm_hist_halves_merged n=%d median_s=%.4f rate=%.1f unit=Mrows/s\n", N, mm,
           N / mm / 1e6);
    printf("BENCH name=rfm_hist_serialize_deserialize rows=%zu bytes=%zu median_s=%.4f unit=s\n",
           rows, bytes, mb);
    free(x);
    free(tx);
    free(T);
    return 0;
}
