/* RFM histogram: equals scrm_rfm_collapse on CDNOW, merges of any split equal
 * one pass exactly, canonical serialization, corruption detection, the
 * published BG/NBD fit from merged histograms, and every bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "rfm_cdnow.h"
#include "scrm.h"

/* ---- data ---- */

#define CDNOW_N 2357
static double cx[CDNOW_N], ctx[CDNOW_N], cT[CDNOW_N];

static void load_summary(void)
{
    FILE *f = shared_file("cdnow/cdnow_customers_summary_with_transactions.csv");
    cr_assert(f, "CDNOW summary not found (SCRM_SHARED_DATA)");
    char line[256];
    cr_assert(fgets(line, sizeof line, f));
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        int id;
        double m;
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &cx[n], &ctx[n], &cT[n], &m) != 5)
            continue;
        cr_assert(n < CDNOW_N);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, CDNOW_N);
}

TestSuite(rfm_hist, .init = load_summary);

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t z = rng_state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static scrm_rfm_hist *hist_new(void)
{
    scrm_rfm_hist *h = NULL;
    cr_assert_eq(scrm_rfm_hist_new(&h, NULL), SCRM_OK);
    cr_assert(h);
    return h;
}

typedef struct rows {
    size_t n;
    double *x, *tx, *T, *w;
} rows;

static rows get_rows(const scrm_rfm_hist *h)
{
    rows r = {0};
    cr_assert_eq(scrm_rfm_hist_rows(h, NULL, NULL, NULL, NULL, 0, &r.n),
                 r.n ? SCRM_EBUFS : SCRM_OK);
    size_t n = r.n;
    if (n == 0) {
        cr_assert_eq(scrm_rfm_hist_rows(h, NULL, NULL, NULL, NULL, 0, &r.n), SCRM_OK);
        return r;
    }
    r.x = malloc(n * sizeof(double));
    r.tx = malloc(n * sizeof(double));
    r.T = malloc(n * sizeof(double));
    r.w = malloc(n * sizeof(double));
    cr_assert_eq(scrm_rfm_hist_rows(h, r.x, r.tx, r.T, r.w, n - 1, &r.n), SCRM_EBUFS);
    cr_assert_eq(r.n, n);
    cr_assert_eq(scrm_rfm_hist_rows(h, r.x, r.tx, r.T, r.w, n, &r.n), SCRM_OK);
    return r;
}

static void rows_free(rows *r)
{
    free(r->x);
    free(r->tx);
    free(r->T);
    free(r->w);
}

static int rows_equal(const rows *a, const rows *b)
{
    size_t s = a->n * sizeof(double);
    return a->n == b->n &&
           (a->n == 0 || (memcmp(a->x, b->x, s) == 0 && memcmp(a->tx, b->tx, s) == 0 &&
                          memcmp(a->T, b->T, s) == 0 && memcmp(a->w, b->w, s) == 0));
}

static uint8_t *ser(const scrm_rfm_hist *h, size_t *len)
{
    size_t need = 0;
    cr_assert_eq(scrm_rfm_hist_serialize(h, NULL, 0, &need), SCRM_EBUFS);
    uint8_t *b = malloc(need);
    cr_assert_eq(scrm_rfm_hist_serialize(h, b, need - 1, len), SCRM_EBUFS);
    cr_assert_eq(*len, need);
    cr_assert_eq(scrm_rfm_hist_serialize(h, b, need, len), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_eq(*len, need);
    return b;
}

static scrm_rfm *cdnow_rfm(void)
{
    static cdnow_tx cd;
    cr_assert_eq(cdnow_load(&cd), 0, "CDNOW_sample.txt not found (SCRM_SHARED_DATA)");
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.unit = SCRM_PERIOD_WEEK;
    o.calibration_end = day_time(1997, 9, 30);
    scrm_rfm *r = NULL;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cd.customer, cd.time, cd.value, cd.n), SCRM_OK,
                 "%s", scrm_last_error_message());
    return r;
}

/* ---- equals scrm_rfm_collapse ---- */

Test(rfm_hist, arrays_and_rfm_equal_collapse)
{
    scrm_rfm *r = cdnow_rfm();
    static double x[3000], tx[3000], T[3000], w[3000];
    size_t m, n;
    cr_assert_eq(scrm_rfm_collapse(r, x, tx, T, w, 3000, &m), SCRM_OK);
    rows want = {m, x, tx, T, w};

    static double fx[3000], ftx[3000], fT[3000];
    cr_assert_eq(scrm_rfm_column(r, SCRM_RFM_FREQUENCY, fx, 3000, &n), SCRM_OK);
    cr_assert_eq(scrm_rfm_column(r, SCRM_RFM_RECENCY, ftx, 3000, &n), SCRM_OK);
    cr_assert_eq(scrm_rfm_column(r, SCRM_RFM_AGE, fT, 3000, &n), SCRM_OK);
    cr_assert_eq(n, 2357);

    scrm_rfm_hist *a = hist_new(), *b = hist_new();
    cr_assert_eq(scrm_rfm_hist_add(a, fx, ftx, fT, NULL, n), SCRM_OK);
    cr_assert_eq(scrm_rfm_hist_add_rfm(b, r), SCRM_OK);
    rows ra = get_rows(a), rb = get_rows(b);
    cr_assert(m > 100 && m < n, "distinct rows %zu", m);
    cr_assert(rows_equal(&ra, &want), "arrays: %zu rows vs collapse %zu", ra.n, m);
    cr_assert(rows_equal(&rb, &want), "add_rfm differs from collapse");
    scrm_rfm_hist_info info;
    cr_assert_eq(scrm_rfm_hist_get_info(a, &info), SCRM_OK);
    cr_assert_eq(info.rows, m);
    cr_assert_float_eq(info.total_weight, 2357.0, 0);
    cr_assert_eq(info.max_rows, (uint64_t)UINT32_MAX - 1);
    rows_free(&ra);
    rows_free(&rb);
    scrm_rfm_hist_free(a);
    scrm_rfm_hist_free(b);
    scrm_rfm_free(r);
}

/* ---- merges of any split equal one pass ---- */

static void split_merge(uint64_t seed, int integer_weights)
{
    rng_state = seed;
    static double w[CDNOW_N];
    for (size_t i = 0; i < CDNOW_N; i++)
        w[i] = integer_weights ? (double)(1 + rnd() % 5) : 0.1 + (double)(rnd() % 1000) / 7.0;
    scrm_rfm_hist *one = hist_new();
    cr_assert_eq(scrm_rfm_hist_add(one, cx, ctx, cT, w, CDNOW_N), SCRM_OK);
    size_t k = 2 + (size_t)(rnd() % 7);
    scrm_rfm_hist *part[8];
    for (size_t p = 0; p < k; p++)
        part[p] = hist_new();
    /* Rows go to random parts in random-length runs, each run added in one call. */
    for (size_t i = 0; i < CDNOW_N;) {
        size_t run = 1 + (size_t)(rnd() % 50);
        if (run > CDNOW_N - i)
            run = CDNOW_N - i;
        cr_assert_eq(scrm_rfm_hist_add(part[rnd() % k], cx + i, ctx + i, cT + i, w + i, run),
                     SCRM_OK);
        i += run;
    }
    /* Merge through the bytes, in a random order, into a random part. */
    size_t into = (size_t)(rnd() % k);
    for (size_t p = 0; p < k; p++) {
        if (p == into)
            continue;
        size_t len;
        uint8_t *b = ser(part[p], &len);
        scrm_rfm_hist *q = NULL;
        cr_assert_eq(scrm_rfm_hist_deserialize(&q, b, len), SCRM_OK, "%s",
                     scrm_last_error_message());
        cr_assert_eq(scrm_rfm_hist_merge(part[into], q), SCRM_OK);
        scrm_rfm_hist_free(q);
        free(b);
    }
    rows r1 = get_rows(one), r2 = get_rows(part[into]);
    if (integer_weights) {
        cr_assert(rows_equal(&r1, &r2), "seed %llu: merged rows differ", (unsigned long long)seed);
        size_t l1, l2;
        uint8_t *b1 = ser(one, &l1), *b2 = ser(part[into], &l2);
        cr_assert(l1 == l2 && memcmp(b1, b2, l1) == 0, "bytes differ");
        free(b1);
        free(b2);
    } else {
        cr_assert_eq(r1.n, r2.n);
        for (size_t i = 0; i < r1.n; i++) {
            cr_assert(r1.x[i] == r2.x[i] && r1.tx[i] == r2.tx[i] && r1.T[i] == r2.T[i]);
            cr_assert(fabs(r1.w[i] - r2.w[i]) <= 4e-16 * r1.w[i], "row %zu: %.17g vs %.17g",
                      i, r1.w[i], r2.w[i]);
        }
    }
    rows_free(&r1);
    rows_free(&r2);
    for (size_t p = 0; p < k; p++)
        scrm_rfm_hist_free(part[p]);
    scrm_rfm_hist_free(one);
}

Test(rfm_hist, merge_of_any_split_equals_one_pass)
{
    for (uint64_t seed = 1; seed <= 8; seed++)
        split_merge(seed, 1);
}

Test(rfm_hist, merge_non_integer_weights_agree_to_rounding)
{
    for (uint64_t seed = 11; seed <= 14; seed++)
        split_merge(seed, 0);
}

Test(rfm_hist, self_merge_doubles_and_empty_merge)
{
    scrm_rfm_hist *h = hist_new(), *e = hist_new();
    cr_assert_eq(scrm_rfm_hist_add(h, cx, ctx, cT, NULL, CDNOW_N), SCRM_OK);
    rows before = get_rows(h);
    cr_assert_eq(scrm_rfm_hist_merge(h, e), SCRM_OK);
    rows same = get_rows(h);
    cr_assert(rows_equal(&before, &same));
    cr_assert_eq(scrm_rfm_hist_merge(h, h), SCRM_OK);
    rows after = get_rows(h);
    cr_assert_eq(after.n, before.n);
    for (size_t i = 0; i < after.n; i++)
        cr_assert_float_eq(after.w[i], 2 * before.w[i], 0);
    cr_assert_eq(scrm_rfm_hist_merge(e, h), SCRM_OK);
    rows copy = get_rows(e);
    cr_assert(rows_equal(&copy, &after));
    rows_free(&before);
    rows_free(&same);
    rows_free(&after);
    rows_free(&copy);
    scrm_rfm_hist_free(h);
    scrm_rfm_hist_free(e);
}

/* ---- serialization ---- */

Test(rfm_hist, serialize_round_trip_is_canonical)
{
    scrm_rfm_hist_options o = SCRM_RFM_HIST_OPTIONS_INIT;
    o.max_rows = 5000;
    scrm_rfm_hist *h = NULL;
    cr_assert_eq(scrm_rfm_hist_new(&h, &o), SCRM_OK);
    /* Added in reverse: storage order differs from the sorted bytes. */
    for (size_t i = CDNOW_N; i-- > 0;)
        cr_assert_eq(scrm_rfm_hist_add(h, cx + i, ctx + i, cT + i, NULL, 1), SCRM_OK);
    size_t len, len2;
    uint8_t *b = ser(h, &len);
    scrm_rfm_hist *g = NULL;
    cr_assert_eq(scrm_rfm_hist_deserialize(&g, b, len), SCRM_OK, "%s", scrm_last_error_message());
    uint8_t *b2 = ser(g, &len2);
    cr_assert(len == len2 && memcmp(b, b2, len) == 0);
    rows r1 = get_rows(h), r2 = get_rows(g);
    cr_assert(rows_equal(&r1, &r2));
    scrm_rfm_hist_info i1, i2;
    scrm_rfm_hist_get_info(h, &i1);
    scrm_rfm_hist_get_info(g, &i2);
    cr_assert(i1.rows == i2.rows && i1.total_weight == i2.total_weight && i2.max_rows == 5000);
    /* Restored options count: merging with a default histogram is refused. */
    scrm_rfm_hist *d = hist_new();
    cr_assert_eq(scrm_rfm_hist_merge(d, g), SCRM_EINVAL);
    /* Empty histograms round trip too. */
    size_t elen;
    uint8_t *eb = ser(d, &elen);
    scrm_rfm_hist *e = NULL;
    cr_assert_eq(scrm_rfm_hist_deserialize(&e, eb, elen), SCRM_OK);
    scrm_rfm_hist_info ei;
    scrm_rfm_hist_get_info(e, &ei);
    cr_assert(ei.rows == 0 && ei.total_weight == 0);
    free(eb);
    scrm_rfm_hist_free(e);
    scrm_rfm_hist_free(d);
    rows_free(&r1);
    rows_free(&r2);
    free(b);
    free(b2);
    scrm_rfm_hist_free(h);
    scrm_rfm_hist_free(g);
}

Test(rfm_hist, truncation_and_bit_flips_are_corrupt)
{
    scrm_rfm_hist *h = hist_new();
    double w[40];
    for (int i = 0; i < 40; i++)
        w[i] = 1 + i % 3;
    cr_assert_eq(scrm_rfm_hist_add(h, cx, ctx, cT, w, 40), SCRM_OK);
    size_t len;
    uint8_t *b = ser(h, &len);
    for (size_t cut = 0; cut < len; cut++) {
        scrm_rfm_hist *q = (scrm_rfm_hist *)1;
        cr_assert_eq(scrm_rfm_hist_deserialize(&q, b, cut), SCRM_ECORRUPT, "length %zu", cut);
        cr_assert_null(q);
    }
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1u << bit);
            scrm_rfm_hist *q = (scrm_rfm_hist *)1;
            int rc = scrm_rfm_hist_deserialize(&q, b, len);
            /* A flip in the format version field may read as a newer version. */
            cr_assert(rc == SCRM_ECORRUPT || (rc == SCRM_EVERSION && i >= 6 && i < 8),
                      "byte %zu bit %d: %d", i, bit, rc);
            cr_assert_null(q);
            b[i] ^= (uint8_t)(1u << bit);
        }
    free(b);
    scrm_rfm_hist_free(h);
}

/* Valid envelopes (good CRC) around bad payloads. */
typedef struct prow {
    double x, tx, T, ws, wc;
} prow;

static int load_payload(uint64_t max_rows, uint64_t n, const prow *r, size_t nr, int extra)
{
    uint8_t buf[1024];
    scrm__writer w;
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__envelope_begin(&w, SCRM__KIND_RFM_HIST, 1);
    scrm__put_u64(&w, max_rows);
    scrm__put_u64(&w, n);
    for (size_t i = 0; i < nr; i++) {
        scrm__put_f64(&w, r[i].x);
        scrm__put_f64(&w, r[i].tx);
        scrm__put_f64(&w, r[i].T);
        scrm__put_f64(&w, r[i].ws);
        scrm__put_f64(&w, r[i].wc);
    }
    for (int i = 0; i < extra; i++)
        scrm__put_u8(&w, 0);
    size_t len;
    cr_assert_eq(scrm__envelope_end(&w, &len, "test"), SCRM_OK);
    scrm_rfm_hist *h = (scrm_rfm_hist *)1;
    int rc = scrm_rfm_hist_deserialize(&h, buf, len);
    if (rc != SCRM_OK)
        cr_assert_null(h);
    scrm_rfm_hist_free(h);
    return rc;
}

Test(rfm_hist, crafted_payloads)
{
    const prow ok[2] = {{0, 0, 5, 3, 0}, {1, 2, 5, 1, 0}};
    cr_assert_eq(load_payload(0, 2, ok, 2, 0), SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_eq(load_payload(0, 3, ok, 2, 0), SCRM_ECORRUPT);          /* count too big */
    cr_assert_eq(load_payload(0, 1, ok, 2, 0), SCRM_ECORRUPT);          /* count too small */
    cr_assert_eq(load_payload(0, UINT64_MAX, ok, 2, 0), SCRM_ECORRUPT); /* absurd count */
    cr_assert_eq(load_payload(0, 2, ok, 2, 3), SCRM_ECORRUPT);          /* trailing bytes */
    cr_assert_eq(load_payload(1, 2, ok, 2, 0), SCRM_ECORRUPT);          /* over max_rows */
    const prow dup[2] = {{1, 2, 5, 1, 0}, {1, 2, 5, 1, 0}};
    cr_assert_eq(load_payload(0, 2, dup, 2, 0), SCRM_ECORRUPT);
    const prow unsorted[2] = {{1, 2, 5, 1, 0}, {0, 0, 5, 3, 0}};
    cr_assert_eq(load_payload(0, 2, unsorted, 2, 0), SCRM_ECORRUPT);
    const prow negzero[1] = {{0, -0.0, 5, 1, 0}};
    cr_assert_eq(load_payload(0, 1, negzero, 1, 0), SCRM_ECORRUPT);
    const prow bad[][1] = {
        {{NAN, 0, 5, 1, 0}}, {{1, INFINITY, 5, 1, 0}}, {{1, 1, NAN, 1, 0}},
        {{-1, 0, 5, 1, 0}},  {{1, -1, 5, 1, 0}},       {{1, 6, 5, 1, 0}},
        {{0, 1, 5, 1, 0}},   {{1, 1, 5, 0, 0}},        {{1, 1, 5, -1, 0}},
        {{1, 1, 5, NAN, 0}}, {{1, 1, 5, 1, NAN}},      {{1, 1, 5, INFINITY, 0}},
        {{1, 1, 5, 1, 2}},   {{1, 1, 5, 1, -1}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(load_payload(0, 1, bad[i], 1, 0), SCRM_ECORRUPT, "case %zu", i);
    /* Wrong kind and a newer version. */
    uint8_t buf[128];
    scrm__writer w;
    size_t len;
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__envelope_begin(&w, SCRM__KIND_RFM, 1);
    scrm__put_u64(&w, 0);
    scrm__put_u64(&w, 0);
    cr_assert_eq(scrm__envelope_end(&w, &len, "test"), SCRM_OK);
    scrm_rfm_hist *h = NULL;
    cr_assert_eq(scrm_rfm_hist_deserialize(&h, buf, len), SCRM_ECORRUPT);
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__envelope_begin(&w, SCRM__KIND_RFM_HIST, 2);
    scrm__put_u64(&w, 0);
    scrm__put_u64(&w, 0);
    cr_assert_eq(scrm__envelope_end(&w, &len, "test"), SCRM_OK);
    cr_assert_eq(scrm_rfm_hist_deserialize(&h, buf, len), SCRM_EVERSION);
    cr_assert_null(h);
}

/* ---- fit ---- */

Test(rfm_hist, bgnbd_fit_from_merged_histogram_reproduces_fhl2005)
{
    /* Three partitions, merged through bytes, as the scale-out paths do. */
    scrm_rfm_hist *p[3];
    for (int i = 0; i < 3; i++)
        p[i] = hist_new();
    for (size_t i = 0; i < CDNOW_N; i++)
        cr_assert_eq(scrm_rfm_hist_add(p[i % 3], cx + i, ctx + i, cT + i, NULL, 1), SCRM_OK);
    for (int i = 1; i < 3; i++) {
        size_t len;
        uint8_t *b = ser(p[i], &len);
        scrm_rfm_hist *q;
        cr_assert_eq(scrm_rfm_hist_deserialize(&q, b, len), SCRM_OK);
        cr_assert_eq(scrm_rfm_hist_merge(p[0], q), SCRM_OK);
        scrm_rfm_hist_free(q);
        free(b);
    }
    scrm_clv_model *m = NULL;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, p[0], NULL, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert(m && r.converged);
    const double pub[4] = {0.243, 4.414, 0.793, 2.426};
    for (int i = 0; i < 4; i++)
        cr_expect(fabs(r.params[i] - pub[i]) <= 1e-3, "param %d: %.6g vs %.6g", i, r.params[i],
                  pub[i]);
    cr_expect(fabs(r.log_likelihood - -9582.4) <= 0.05, "LL %.6f", r.log_likelihood);
    cr_expect_float_eq(r.n_customers, 2357.0, 0);
    /* Same estimates as fitting the raw rows. */
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = CDNOW_N;
    d.frequency = cx;
    d.recency = ctx;
    d.age = cT;
    scrm_clv_fit_result raw;
    scrm_clv_model *m2 = NULL;
    cr_assert_eq(scrm_clv_model_fit(&m2, SCRM_CLV_BGNBD, &d, NULL, &raw), SCRM_OK);
    for (int i = 0; i < 4; i++)
        cr_expect(fabs(r.params[i] - raw.params[i]) <= 1e-6 * raw.params[i], "param %d", i);
    scrm_clv_model_free(m2);
    scrm_clv_model_free(m);
    /* Pareto/NBD too (REFERENCE.md: 0.553, 10.578, 0.606, 11.669). */
    cr_assert_eq(scrm_rfm_hist_fit(&m, SCRM_CLV_PARETO_NBD, p[0], NULL, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    const double pn[4] = {0.553, 10.578, 0.606, 11.669};
    for (int i = 0; i < 4; i++)
        cr_expect(fabs(r.params[i] - pn[i]) <= 2e-3 * pn[i], "pnbd param %d: %.6g", i,
                  r.params[i]);
    scrm_clv_model_free(m);
    /* Gamma-Gamma needs monetary values; an empty histogram has no data. */
    m = (scrm_clv_model *)1;
    cr_assert_eq(scrm_rfm_hist_fit(&m, SCRM_CLV_GAMMA_GAMMA, p[0], NULL, NULL), SCRM_EINVAL);
    cr_assert_null(m);
    scrm_rfm_hist *e = hist_new();
    cr_assert_eq(scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, e, NULL, NULL), SCRM_ENODATA);
    cr_assert_eq(scrm_rfm_hist_fit(&m, 999, p[0], NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_fit(NULL, SCRM_CLV_BGNBD, p[0], NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, NULL, NULL, NULL), SCRM_EINVAL);
    scrm_rfm_hist_free(e);
    for (int i = 0; i < 3; i++)
        scrm_rfm_hist_free(p[i]);
}

/* ---- bad input, limits, reset ---- */

static void expect_bad_row(double x, double tx, double T, double w, const char *field)
{
    scrm_rfm_hist *h = hist_new();
    double xs[4] = {1, 2, 0, x}, txs[4] = {1, 2, 0, tx}, Ts[4] = {3, 4, 5, T},
           ws[4] = {1, 1, 1, w};
    cr_assert_eq(scrm_rfm_hist_add(h, xs, txs, Ts, ws, 4), SCRM_EINVAL, "%g %g %g %g", x, tx, T,
                 w);
    const char *msg = scrm_last_error_message();
    cr_assert(strstr(msg, "row 3") && strstr(msg, field), "message: %s", msg);
    scrm_rfm_hist_info info;
    cr_assert_eq(scrm_rfm_hist_get_info(h, &info), SCRM_OK);
    cr_assert(info.rows == 0 && info.total_weight == 0, "rows added by a failed call");
    scrm_rfm_hist_free(h);
}

Test(rfm_hist, bad_rows_name_row_and_field_and_add_nothing)
{
    expect_bad_row(NAN, 0, 1, 1, "x");
    expect_bad_row(INFINITY, 0, 1, 1, "x");
    expect_bad_row(1, NAN, 1, 1, "t_x");
    expect_bad_row(1, 0, -INFINITY, 1, "T");
    expect_bad_row(1, 0, 1, NAN, "weight");
    expect_bad_row(1, 0, 1, INFINITY, "weight");
    expect_bad_row(-1, 0, 1, 1, "x");
    expect_bad_row(1, -0.5, 1, 1, "t_x");
    expect_bad_row(1, 2, 1, 1, "t_x");
    expect_bad_row(1, 0, -1, 1, "T"); /* t_x 0 > T -1 */
    expect_bad_row(0, 1, 2, 1, "x = 0");
    expect_bad_row(1, 0, 1, 0, "weight");
    expect_bad_row(1, 0, 1, -2, "weight");
    expect_bad_row(1, 0, 1, 1e271, "weight");
}

Test(rfm_hist, weight_overflow_in_merge_is_erange_and_atomic)
{
    uint8_t buf[256];
    scrm__writer w;
    size_t len;
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__envelope_begin(&w, SCRM__KIND_RFM_HIST, 1);
    scrm__put_u64(&w, 0);
    scrm__put_u64(&w, 2);
    const double rows_[2][5] = {{0, 0, 5, 1, 0}, {1, 1, 5, 1e308, 0}};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 5; j++)
            scrm__put_f64(&w, rows_[i][j]);
    cr_assert_eq(scrm__envelope_end(&w, &len, "test"), SCRM_OK);
    scrm_rfm_hist *h = NULL, *g = hist_new();
    cr_assert_eq(scrm_rfm_hist_deserialize(&h, buf, len), SCRM_OK, "%s", scrm_last_error_message());
    size_t l0, l1;
    uint8_t *b0 = ser(h, &l0);
    cr_assert_eq(scrm_rfm_hist_merge(h, h), SCRM_ERANGE);
    double x = 2, T = 6;
    cr_assert_eq(scrm_rfm_hist_add(g, &x, &x, &T, NULL, 1), SCRM_OK);
    cr_assert_eq(scrm_rfm_hist_merge(g, h), SCRM_OK);
    cr_assert_eq(scrm_rfm_hist_merge(g, h), SCRM_ERANGE); /* 2e308 */
    scrm_rfm_hist_info info;
    scrm_rfm_hist_get_info(g, &info);
    cr_assert_eq(info.rows, 3);
    cr_assert_float_eq(info.total_weight, 1e308 + 2, 1e293);
    uint8_t *b1 = ser(h, &l1);
    cr_assert(l0 == l1 && memcmp(b0, b1, l0) == 0);
    /* Adding the largest allowed weight to a huge row rounds, never overflows. */
    double big = 1e270, one = 1;
    for (int i = 0; i < 100; i++)
        cr_assert_eq(scrm_rfm_hist_add(h, &one, &one, &T, &big, 1), SCRM_OK);
    scrm_rfm_hist_get_info(h, &info);
    cr_assert(isfinite(info.total_weight));
    free(b0);
    free(b1);
    scrm_rfm_hist_free(h);
    scrm_rfm_hist_free(g);
}

Test(rfm_hist, null_arguments_and_options)
{
    scrm_rfm_hist *h = hist_new();
    double v = 1;
    size_t len;
    cr_assert_eq(scrm_rfm_hist_add(NULL, &v, &v, &v, NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_add(h, NULL, &v, &v, NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_add(h, &v, NULL, &v, NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_add(h, &v, &v, NULL, NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_add(h, NULL, NULL, NULL, NULL, 0), SCRM_OK);
    cr_assert_eq(scrm_rfm_hist_add_rfm(h, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_add_rfm(NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_merge(NULL, h), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_merge(h, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_serialize(NULL, NULL, 0, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_serialize(h, NULL, 0, NULL), SCRM_EINVAL);
    scrm_rfm_hist *q = (scrm_rfm_hist *)1;
    cr_assert_eq(scrm_rfm_hist_deserialize(&q, NULL, 0), SCRM_EINVAL);
    cr_assert_null(q);
    cr_assert_eq(scrm_rfm_hist_deserialize(NULL, (const uint8_t *)"x", 1), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_rows(NULL, NULL, NULL, NULL, NULL, 0, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_rows(h, NULL, NULL, NULL, NULL, 0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_rows(h, &v, &v, &v, NULL, 1, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_rows(h, NULL, NULL, NULL, NULL, 0, &len), SCRM_OK);
    cr_assert_eq(len, 0);
    scrm_rfm_hist_info info;
    cr_assert_eq(scrm_rfm_hist_get_info(NULL, &info), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_get_info(h, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_reset(NULL), SCRM_EINVAL);
    scrm_rfm_hist_free(NULL);
    scrm_rfm_hist_free(h);

    scrm_rfm_hist_options o;
    cr_assert_eq(scrm_rfm_hist_options_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_hist_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_rfm_hist_options_init(&o, 2), SCRM_EVERSION);
    cr_assert_eq(scrm_rfm_hist_options_init(&o, SCRM_RFM_HIST_OPTIONS_VERSION), SCRM_OK);
    cr_assert_eq(o.max_rows, 0);
    cr_assert_eq(scrm_rfm_hist_new(NULL, &o), SCRM_EINVAL);
    o.version = 7;
    h = (scrm_rfm_hist *)1;
    cr_assert_eq(scrm_rfm_hist_new(&h, &o), SCRM_EVERSION);
    cr_assert_null(h);
}

Test(rfm_hist, max_rows_limit_is_atomic)
{
    scrm_rfm_hist_options o = SCRM_RFM_HIST_OPTIONS_INIT;
    o.max_rows = 2;
    scrm_rfm_hist *h = NULL, *g = NULL;
    cr_assert_eq(scrm_rfm_hist_new(&h, &o), SCRM_OK);
    cr_assert_eq(scrm_rfm_hist_new(&g, &o), SCRM_OK);
    double x[4] = {1, 1, 2, 3}, tx[4] = {1, 1, 2, 3}, T[4] = {5, 5, 5, 5};
    cr_assert_eq(scrm_rfm_hist_add(h, x, tx, T, NULL, 3), SCRM_OK); /* 2 rows */
    size_t l0;
    uint8_t *b0 = ser(h, &l0);
    cr_assert_eq(scrm_rfm_hist_add(h, x, tx, T, NULL, 4), SCRM_ELIMIT);
    size_t l1;
    uint8_t *b1 = ser(h, &l1);
    cr_assert(l0 == l1 && memcmp(b0, b1, l0) == 0, "failed add changed the histogram");
    /* Still usable after the rollback: the same row adds to its weight. */
    cr_assert_eq(scrm_rfm_hist_add(h, x, tx, T, NULL, 1), SCRM_OK);
    scrm_rfm_hist_info info;
    scrm_rfm_hist_get_info(h, &info);
    cr_assert(info.rows == 2 && info.total_weight == 4 && info.max_rows == 2);
    double gx[2] = {7, 8}, gT[2] = {9, 9};
    cr_assert_eq(scrm_rfm_hist_add(g, gx, gx, gT, NULL, 2), SCRM_OK);
    cr_assert_eq(scrm_rfm_hist_merge(h, g), SCRM_ELIMIT);
    scrm_rfm_hist_get_info(h, &info);
    cr_assert(info.rows == 2 && info.total_weight == 4);
    free(b0);
    free(b1);
    scrm_rfm_hist_free(h);
    scrm_rfm_hist_free(g);
}

Test(rfm_hist, negative_zero_reset_and_reuse)
{
    scrm_rfm_hist *h = hist_new();
    double x[3] = {0, -0.0, 2}, tx[3] = {-0.0, 0, 1}, T[3] = {4, 4, 4}, w[3] = {1, 2, 0.5};
    cr_assert_eq(scrm_rfm_hist_add(h, x, tx, T, w, 3), SCRM_OK);
    rows r = get_rows(h);
    cr_assert_eq(r.n, 2);
    cr_assert(!signbit(r.x[0]) && !signbit(r.tx[0]) && r.w[0] == 3 && r.w[1] == 0.5);
    rows_free(&r);
    /* A growing table keeps every row (many distinct rows, some repeated). */
    for (int rep = 0; rep < 2; rep++)
        for (int i = 0; i < 5000; i++) {
            double a = i % 97 + 1, b = a, c = a + i;
            cr_assert_eq(scrm_rfm_hist_add(h, &a, &b, &c, NULL, 1), SCRM_OK);
        }
    scrm_rfm_hist_info info;
    scrm_rfm_hist_get_info(h, &info);
    cr_assert_eq(info.rows, 5002);
    cr_assert_float_eq(info.total_weight, 10003.5, 0);
    cr_assert_eq(scrm_rfm_hist_reset(h), SCRM_OK);
    scrm_rfm_hist_get_info(h, &info);
    cr_assert(info.rows == 0 && info.total_weight == 0);
    cr_assert_eq(scrm_rfm_hist_add(h, x, tx, T, NULL, 3), SCRM_OK);
    scrm_rfm_hist_get_info(h, &info);
    cr_assert(info.rows == 2 && info.total_weight == 3);
    scrm_rfm_hist_free(h);
}

/* ---- allocation failures: ENOMEM, nothing changed, same result after ---- */

#include "core/internal.h"

Test(rfm_hist, allocation_failures_change_nothing)
{
    /* A histogram with a few rows, then an add that grows it past several
     * table and row-array sizes: each injected failure must leave it as it was. */
    double x[600], tx[600], T[600];
    for (int i = 0; i < 600; i++) {
        x[i] = i % 50;
        tx[i] = i % 50 ? (double)(i % 7) : 0;
        T[i] = 10 + i;
    }
    for (int persistent = 0; persistent < 2; persistent++) {
        int done = 0;
        for (long k = 0; k < 1000 && !done; k++) {
            scrm_rfm_hist *h = hist_new();
            cr_assert_eq(scrm_rfm_hist_add(h, x, tx, T, NULL, 5), SCRM_OK);
            size_t l0;
            uint8_t *b0 = ser(h, &l0);
            scrm__alloc_fail_after(k, persistent);
            int rc = scrm_rfm_hist_add(h, x, tx, T, NULL, 600);
            unsigned long injected = scrm__alloc_injected();
            scrm__alloc_fail_after(-1, 0);
            if (rc == SCRM_OK) {
                cr_assert_eq(injected, 0, "k %ld: success despite a failed allocation", k);
                done = 1;
            } else {
                cr_assert_eq(rc, SCRM_ENOMEM, "k %ld: %d", k, rc);
                size_t l1;
                uint8_t *b1 = ser(h, &l1);
                cr_assert(l0 == l1 && memcmp(b0, b1, l0) == 0, "k %ld: changed", k);
                free(b1);
                /* Still consistent: the same add now succeeds. */
                cr_assert_eq(scrm_rfm_hist_add(h, x, tx, T, NULL, 600), SCRM_OK);
            }
            free(b0);
            /* merge, serialize, rows, fit and deserialize under injection too */
            scrm_rfm_hist *g = hist_new();
            scrm__alloc_fail_after(k, persistent);
            int rm = scrm_rfm_hist_merge(g, h);
            scrm__alloc_fail_after(-1, 0);
            cr_assert(rm == SCRM_OK || rm == SCRM_ENOMEM);
            if (rm == SCRM_ENOMEM) {
                scrm_rfm_hist_info gi;
                scrm_rfm_hist_get_info(g, &gi);
                cr_assert(gi.rows == 0 && gi.total_weight == 0);
            }
            size_t len;
            uint8_t *b = ser(h, &len);
            scrm_rfm_hist *q = (scrm_rfm_hist *)1;
            scrm__alloc_fail_after(k, persistent);
            int rd = scrm_rfm_hist_deserialize(&q, b, len);
            scrm__alloc_fail_after(-1, 0);
            cr_assert(rd == SCRM_OK || (rd == SCRM_ENOMEM && q == NULL), "%d", rd);
            scrm_rfm_hist_free(q);
            free(b);
            scrm_clv_model *m = (scrm_clv_model *)1;
            scrm_clv_fit_options fo = SCRM_CLV_FIT_OPTIONS_INIT;
            fo.max_iterations = 3;
            scrm__alloc_fail_after(k, persistent);
            int rf = scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, h, &fo, NULL);
            scrm__alloc_fail_after(-1, 0);
            cr_assert(rf == SCRM_ENOMEM || rf == SCRM_OK || rf == SCRM_EMAXITER, "%d", rf);
            if (rf == SCRM_ENOMEM)
                cr_assert_null(m);
            scrm_clv_model_free(rf == SCRM_ENOMEM ? NULL : m);
            scrm_rfm_hist_free(g);
            scrm_rfm_hist_free(h);
        }
        cr_assert(done, "never completed");
    }
}
