/* Customer-base models: BG/BB fit on the donations data (22 weighted rows,
 * 11,104 donors), sBG fit on a survivor curve, BG/BB P(alive) for 1,000,000
 * customers, closed-form CLV for 1,000,000 customers, CRV accumulation of
 * 1,000,000 referees (12 monthly margins each), and the RFM summary of a
 * 10,000,000-row transactions table in a dataset. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "scrm.h"
#include "bench_util.h"

#define CHECK(call)                                                                      \
    do {                                                                                 \
        int st_ = (call);                                                                \
        if (st_ != SCRM_OK) {                                                            \
            fprintf(stderr, "bench_customer: %s: %s\n", #call, scrm_last_error_message()); \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

/* Fader, Hardie & Shang (2010) donations (x, t_x, n = 6, donors). */
static const double don[22][3] = {
    {0, 0, 3464}, {1, 1, 1091}, {1, 2, 277}, {1, 3, 129}, {1, 4, 78},  {1, 5, 119},
    {1, 6, 129},  {2, 2, 613},  {2, 3, 255}, {2, 4, 155}, {2, 5, 173}, {2, 6, 234},
    {3, 3, 322},  {3, 4, 181},  {3, 5, 225}, {3, 6, 357}, {4, 4, 240}, {4, 5, 284},
    {4, 6, 512},  {5, 5, 335},  {5, 6, 728}, {6, 6, 1203}};

static uint64_t state = 0x243F6A8885A308D3ull;
static uint64_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(void)
{
    enum { REPS = 7, M = 1000000 };
    double t[REPS];

    /* BG/BB fit. */
    double x[22], tx[22], n[22], w[22];
    for (int i = 0; i < 22; i++) {
        x[i] = don[i][0];
        tx[i] = don[i][1];
        n[i] = 6;
        w[i] = don[i][2];
    }
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = 22;
    d.frequency = x;
    d.recency = tx;
    d.age = n;
    d.weights = w;
    scrm_clv_model *bgbb = NULL;
    for (int r = 0; r < REPS; r++) {
        scrm_clv_model_free(bgbb);
        double a = bench_now();
        CHECK(scrm_clv_model_fit(&bgbb, SCRM_CLV_BGBB, &d, NULL, NULL));
        t[r] = bench_now() - a;
    }
    printf("BENCH name=bgbb_fit_donations rows=22 customers=11104 median_s=%.6f unit=s\n",
           bench_median(t, REPS));

    /* sBG fit (Fader & Hardie 2007 high-end segment, years 0..7). */
    const double surv[8] = {1000, 869, 743, 653, 593, 551, 517, 491};
    for (int r = 0; r < REPS; r++) {
        scrm_clv_model *m;
        double a = bench_now();
        CHECK(scrm_clv_sbg_fit_survivors(&m, surv, 8, NULL, NULL));
        t[r] = bench_now() - a;
        scrm_clv_model_free(m);
    }
    printf("BENCH name=sbg_fit_survivors periods=8 median_s=%.6f unit=s\n", bench_median(t, REPS));

    /* BG/BB P(alive), 1M customers over 6 opportunities. */
    double *cx = malloc(M * sizeof *cx), *ctx = malloc(M * sizeof *ctx);
    double *cn = malloc(M * sizeof *cn), *out = malloc(M * sizeof *out);
    for (size_t i = 0; i < M; i++) {
        int k = (int)(rnd() % 22);
        cx[i] = don[k][0];
        ctx[i] = don[k][1];
        cn[i] = 6;
    }
    scrm_clv_data c = SCRM_CLV_DATA_INIT;
    c.n = M;
    c.frequency = cx;
    c.recency = ctx;
    c.age = cn;
    size_t len;
    for (int r = 0; r < REPS; r++) {
        double a = bench_now();
        CHECK(scrm_clv_probability_alive(bgbb, &c, out, M, &len));
        t[r] = bench_now() - a;
    }
    printf("BENCH name=bgbb_palive customers=%d median_s=%.4f rate=%.0f unit=customers/s\n", M,
           bench_median(t, REPS), M / bench_median(t, REPS));
    scrm_clv_model_free(bgbb);

    /* Closed-form CLV, 1M different term sets. */
    scrm_clv_terms *terms = malloc(M * sizeof *terms);
    for (size_t i = 0; i < M; i++) {
        scrm_clv_terms tt = SCRM_CLV_TERMS_INIT;
        tt.margin = (double)(rnd() % 10000) / 100;
        tt.retention = (double)(rnd() % 990) / 1000;
        tt.discount = 0.01 + (double)(rnd() % 100) / 1000;
        tt.horizon = (uint32_t)(rnd() % 60);
        terms[i] = tt;
    }
    for (int r = 0; r < REPS; r++) {
        double a = bench_now();
        for (size_t i = 0; i < M; i++)
            CHECK(scrm_clv_closed_form(&terms[i], &out[i]));
        t[r] = bench_now() - a;
    }
    printf("BENCH name=clv_closed_form customers=%d median_s=%.4f rate=%.0f unit=customers/s\n",
           M, bench_median(t, REPS), M / bench_median(t, REPS));
    free(terms);

    /* CRV: 1M referees of 100,000 referrers, 12 monthly margins each. */
    int64_t *ref = malloc(M * sizeof *ref);
    double *mg = malloc((size_t)M * 12 * sizeof *mg);
    for (size_t i = 0; i < M; i++) {
        ref[i] = (int64_t)(rnd() % 100000);
        for (int k = 0; k < 12; k++)
            mg[i * 12 + k] = (double)(rnd() % 5000) / 100;
    }
    for (int r = 0; r < REPS; r++) {
        scrm_crv *crv;
        CHECK(scrm_crv_new(&crv, NULL));
        double a = bench_now();
        CHECK(scrm_crv_add(crv, ref, mg, NULL, NULL, NULL, NULL, M));
        t[r] = bench_now() - a;
        scrm_crv_free(crv);
    }
    printf("BENCH name=crv_add referees=%d referrers=100000 median_s=%.4f rate=%.0f "
           "unit=referees/s\n", M, bench_median(t, REPS), M / bench_median(t, REPS));
    free(ref);
    free(mg);
    free(cx);
    free(ctx);
    free(cn);
    free(out);

    /* RFM summary from a dataset: 10M transactions, 1M customers. */
    enum { N = 10000000, K = 1000000 };
    char *names = malloc((size_t)K * 12);
    const char **ids = malloc(N * sizeof *ids);
    int64_t *tm = malloc(N * sizeof *tm);
    double *amt = malloc(N * sizeof *amt);
    for (size_t i = 0; i < K; i++)
        snprintf(names + i * 12, 12, "c%09zu", i);
    const int64_t t0 = INT64_C(1577836800);
    for (size_t i = 0; i < N; i++) {
        ids[i] = names + (rnd() % K) * 12;
        tm[i] = t0 + (int64_t)((double)i / N * 2 * 365 * 86400);
        amt[i] = (double)(rnd() % 10000) / 100;
    }
    scrm_dataset *ds;
    CHECK(scrm_dataset_new(&ds));
    scrm_column_input cols[] = {{SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, ids},
                                {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, tm},
                                {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amt}};
    CHECK(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, N, cols, 3, NULL, NULL));
    free(ids);
    free(tm);
    free(amt);
    free(names);
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.unit = SCRM_PERIOD_WEEK;
    o.calibration_end = t0 + 365 * 86400;
    o.observation_end = t0 + 2 * 365 * 86400;
    for (int r = 0; r < 5; r++) {
        scrm_rfm *rfm;
        double a = bench_now();
        CHECK(scrm_rfm_new(&rfm, &o, ds));
        t[r] = bench_now() - a;
        scrm_rfm_free(rfm);
    }
    printf("BENCH name=rfm_summary_dataset transactions=%d customers=%d median_s=%.4f rate=%.0f "
           "unit=transactions/s\n", N, K, bench_median(t, 5), N / bench_median(t, 5));
    scrm_dataset_free(ds);
    return 0;
}
