/* RFM summary: rebuilds the published CDNOW summary, agrees with a brute-force
 * reference on random data for every period/unit, and rejects bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "clv/rfm.h"
#include "rfm_cdnow.h"
#include "scrm.h"

static cdnow_tx cd;

static scrm_rfm *cdnow_summary(int holdout)
{
    cr_assert_eq(cdnow_load(&cd), 0, "CDNOW_sample.txt not found (SCRM_SHARED_DATA)");
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.period = SCRM_PERIOD_DAY;
    o.unit = SCRM_PERIOD_WEEK;
    o.calibration_end = day_time(1997, 9, 30);
    if (holdout)
        o.observation_end = day_time(1998, 6, 30);
    scrm_rfm *r = NULL;
    int rc = scrm_rfm_new_from_arrays(&r, &o, cd.customer, cd.time, cd.value, cd.n);
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
    return r;
}

static double col(const scrm_rfm *r, int32_t c, size_t i)
{
    static double buf[3000];
    size_t len;
    cr_assert_eq(scrm_rfm_column(r, c, buf, 3000, &len), SCRM_OK);
    return buf[i];
}

Test(rfm, rebuilds_cdnow_summary_exactly)
{
    scrm_rfm *r = cdnow_summary(0);
    int64_t keys[3000];
    double x[3000], tx[3000], T[3000], m[3000];
    size_t n;
    cr_assert_eq(scrm_rfm_customers(r, keys, 3000, &n), SCRM_OK);
    cr_assert_eq(n, 2357);
    scrm_rfm_column(r, SCRM_RFM_FREQUENCY, x, 3000, &n);
    scrm_rfm_column(r, SCRM_RFM_RECENCY, tx, 3000, &n);
    scrm_rfm_column(r, SCRM_RFM_AGE, T, 3000, &n);
    scrm_rfm_column(r, SCRM_RFM_MONETARY, m, 3000, &n);

    /* Customers come in first-appearance order, which is the sample id order. */
    FILE *f = shared_file("cdnow/cdnow_customers_summary.csv");
    FILE *g = shared_file("cdnow/cdnow_customers_summary_with_transactions.csv");
    cr_assert(f && g);
    char line[256];
    cr_assert(fgets(line, sizeof line, f) && fgets(line, sizeof line, g)); /* headers */
    size_t i = 0;
    long id, id2;
    double ex, etx, eT, ex2, etx2, eT2, zbar;
    while (fscanf(f, "%ld,%lf,%lf,%lf", &id, &ex, &etx, &eT) == 4) {
        cr_assert_eq(fscanf(g, "%ld,%lf,%lf,%lf,%lf", &id2, &ex2, &etx2, &eT2, &zbar), 5);
        cr_assert_eq(keys[i], id, "row %zu: id %lld != %ld", i, (long long)keys[i], id);
        cr_assert_eq(x[i], ex, "id %ld: x %g != %g", id, x[i], ex);
        /* The files print 2 decimals: equal after rounding (no ties: days/7). */
        cr_assert(fabs(tx[i] - etx) <= 0.005 + 1e-12, "id %ld: t_x %.4f vs %.2f", id, tx[i], etx);
        cr_assert(fabs(T[i] - eT) <= 0.005 + 1e-12, "id %ld: T %.4f vs %.2f", id, T[i], eT);
        cr_assert(fabs(m[i] - zbar) <= 0.005 + 1e-9, "id %ld: zbar %.4f vs %.2f", id, m[i], zbar);
        i++;
    }
    fclose(f);
    fclose(g);
    cr_assert_eq(i, 2357);

    scrm_rfm_info info;
    cr_assert_eq(scrm_rfm_get_info(r, &info), SCRM_OK);
    cr_assert_eq(info.customers, 2357);
    cr_assert_eq(info.late_customers, 0);
    cr_assert_eq(info.calibration_end, day_time(1997, 9, 30));
    cr_assert_eq(info.observation_end, SCRM_TIME_NONE);
    cr_assert_eq(info.transactions + info.after_end, 6919);
    /* Customer 1 (rows of 1997-01-01, -01-18, -08-02, -12-12): x 2, t_x 213 days, T 272 days. */
    cr_assert_float_eq(x[0], 2.0, 0);
    cr_assert_float_eq(tx[0], 213.0 / 7.0, 1e-12);
    cr_assert_float_eq(T[0], 272.0 / 7.0, 1e-12);
    cr_assert_float_eq(m[0], (29.73 + 14.96) / 2, 1e-12);
    scrm_rfm_free(r);
}

Test(rfm, cdnow_holdout)
{
    scrm_rfm *r = cdnow_summary(1);
    scrm_rfm_info info;
    cr_assert_eq(scrm_rfm_get_info(r, &info), SCRM_OK);
    /* 1997-09-30 .. 1998-06-30 = 273 days = 39 weeks. */
    cr_assert_float_eq(info.holdout_duration, 39.0, 1e-12);
    cr_assert_eq(info.after_end, 0);
    cr_assert_eq(info.transactions, 6919);
    /* Customer 1: one holdout purchase (1997-12-12, 26.48). */
    cr_assert_float_eq(col(r, SCRM_RFM_HOLDOUT_FREQUENCY, 0), 1.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_HOLDOUT_MONETARY, 0), 26.48, 1e-12);
    /* The calibration columns are unchanged by a holdout. */
    cr_assert_float_eq(col(r, SCRM_RFM_FREQUENCY, 0), 2.0, 0);
    /* Holdout repeat-purchase days summed over customers: distinct (customer, day)
     * pairs after 1997-09-30, counted directly. */
    double hx[3000];
    size_t n;
    scrm_rfm_column(r, SCRM_RFM_HOLDOUT_FREQUENCY, hx, 3000, &n);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += hx[i];
    size_t direct = 0;
    for (size_t i = 0; i < cd.n; i++) {
        if (cd.time[i] <= day_time(1997, 9, 30))
            continue;
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = cd.customer[j] == cd.customer[i] && cd.time[j] == cd.time[i];
        direct += !dup;
    }
    cr_assert_float_eq(total, (double)direct, 0);
    scrm_rfm_free(r);
}

Test(rfm, collapse_cdnow)
{
    scrm_rfm *r = cdnow_summary(0);
    static double x[3000], tx[3000], T[3000], w[3000];
    size_t m;
    cr_assert_eq(scrm_rfm_collapse(r, NULL, NULL, NULL, NULL, 0, &m), SCRM_EBUFS);
    cr_assert(m > 0 && m < 2357, "distinct rows %zu", m);
    cr_assert_eq(scrm_rfm_collapse(r, x, tx, T, w, m - 1, &m), SCRM_EBUFS);
    cr_assert_eq(scrm_rfm_collapse(r, x, tx, T, w, 3000, &m), SCRM_OK);
    double total = 0;
    for (size_t i = 0; i < m; i++) {
        total += w[i];
        cr_assert(w[i] >= 1);
        if (i) {
            int ordered = x[i - 1] < x[i] || (x[i - 1] == x[i] && (tx[i - 1] < tx[i] ||
                          (tx[i - 1] == tx[i] && T[i - 1] < T[i])));
            cr_assert(ordered, "row %zu not strictly ordered", i);
        }
    }
    cr_assert_float_eq(total, 2357.0, 0);
    /* x = 0 rows: t_x = 0 and T takes one value per first-purchase day (Q1 1997: 90 days). */
    size_t zero_rows = 0;
    double zero_w = 0;
    for (size_t i = 0; i < m && x[i] == 0; i++) {
        zero_rows++;
        zero_w += w[i];
        cr_assert_float_eq(tx[i], 0.0, 0);
    }
    cr_assert(zero_rows <= 90);
    cr_assert_float_eq(zero_w, 2357.0 - 946.0, 0); /* 946 repeat buyers (REFERENCE.md) */
    scrm_rfm_free(r);
}

/* ---- brute-force reference on random data ---- */

typedef struct ref_row {
    double x, t_x, T, m, hx, hm, first;
} ref_row;

/* O(n^2) restatement of the definitions, with scrm_period_start for buckets. */
static void reference(const int64_t *cust, const int64_t *t, const double *v, size_t n,
                      const scrm_rfm_options *o, int64_t key, ref_row *out)
{
    int64_t cal, obs = 0, b, f = INT64_MAX;
    scrm_period_start(o->calibration_end, o->period, &cal);
    if (o->observation_end != SCRM_TIME_NONE)
        scrm_period_start(o->observation_end, o->period, &obs);
    for (size_t i = 0; i < n; i++) {
        if (cust[i] != key)
            continue;
        scrm_period_start(t[i], o->period, &b);
        if (b < f)
            f = b;
    }
    memset(out, 0, sizeof *out);
    int64_t last = f;
    double msum = 0, hsum = 0;
    /* Distinct buckets other than the first, each counted at its first row. */
    for (size_t i = 0; i < n; i++) {
        if (cust[i] != key)
            continue;
        scrm_period_start(t[i], o->period, &b);
        if (b == f)
            continue;
        int seen = 0;
        double s = 0;
        for (size_t j = 0; j < n; j++) {
            int64_t bj;
            if (cust[j] != key)
                continue;
            scrm_period_start(t[j], o->period, &bj);
            if (bj == b) {
                if (j < i)
                    seen = 1;
                s += v[j];
            }
        }
        if (seen)
            continue;
        if (b <= cal) {
            out->x++;
            msum += s;
            if (b > last)
                last = b;
        } else if (o->observation_end != SCRM_TIME_NONE && b <= obs) {
            out->hx++;
            hsum += s;
        }
    }
    out->t_x = scrm__rfm_span(f, last, o->unit);
    out->T = scrm__rfm_span(f, cal, o->unit);
    out->m = out->x ? msum / out->x : 0;
    out->hm = out->hx ? hsum / out->hx : 0;
    out->first = (double)f;
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

Test(rfm, matches_brute_force_for_every_period_and_unit)
{
    enum { N = 600 };
    static int64_t cust[N], t[N];
    static double v[N];
    int64_t t0 = day_time(2019, 11, 20);
    for (size_t i = 0; i < N; i++) {
        cust[i] = (int64_t)(rnd() % 40) * 1000003 - 7; /* sparse, some negative */
        t[i] = t0 + (int64_t)(rnd() % (3 * 365 * 86400ull));
        v[i] = (double)(rnd() % 10000) / 100.0 - 10.0;
    }
    for (int32_t p = SCRM_PERIOD_DAY; p <= SCRM_PERIOD_YEAR; p++) {
        for (int32_t u = SCRM_PERIOD_DAY; u <= SCRM_PERIOD_YEAR; u++) {
            for (int h = 0; h < 2; h++) {
                scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
                o.period = p;
                o.unit = u;
                o.calibration_end = t0 + 500 * 86400 + 4321;
                if (h)
                    o.observation_end = t0 + 800 * 86400;
                scrm_rfm *r = NULL;
                cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, N), SCRM_OK, "%s",
                             scrm_last_error_message());
                static int64_t keys[N];
                static double c[8][N];
                size_t n;
                scrm_rfm_customers(r, keys, N, &n);
                for (int32_t k = 1; k <= 7; k++)
                    scrm_rfm_column(r, k, c[k], N, &n);
                for (size_t i = 0; i < n; i++) {
                    ref_row e;
                    reference(cust, t, v, N, &o, keys[i], &e);
                    double want[8] = {0, e.x, e.t_x, e.T, e.m, e.hx, e.hm, e.first};
                    for (int k = 1; k <= 7; k++)
                        cr_assert(fabs(c[k][i] - want[k]) <= 1e-9 * (1 + fabs(want[k])),
                                  "period %d unit %d holdout %d key %lld col %d: %.12g vs %.12g",
                                  p, u, h, (long long)keys[i], k, c[k][i], want[k]);
                }
                scrm_rfm_free(r);
            }
        }
    }
}

Test(rfm, same_period_purchases_count_once_and_order_does_not_matter)
{
    int64_t d = day_time(2024, 1, 10);
    /* Shuffled: customer 5 buys twice on day 0, once on day 3, twice on day 10. */
    int64_t cust[] = {5, 5, 5, 5, 5};
    int64_t t[] = {d + 10 * 86400 + 5, d + 3600, d + 3 * 86400, d + 10 * 86400 + 99, d};
    double v[] = {1.0, 2.0, 4.0, 8.0, 16.0};
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.calibration_end = d + 20 * 86400 + 77;
    scrm_rfm *r;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 5), SCRM_OK);
    cr_assert_float_eq(col(r, SCRM_RFM_FREQUENCY, 0), 2.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_RECENCY, 0), 10.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_AGE, 0), 20.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_MONETARY, 0), (4.0 + 9.0) / 2, 1e-15);
    cr_assert_float_eq(col(r, SCRM_RFM_FIRST, 0), (double)d, 0);
    scrm_rfm_free(r);

    /* NULL values: all monetary values are 0. Weekly buckets: days 0 and 3
     * (Wed, Sat) share an ISO week; day 10 is the next Saturday. */
    o.period = SCRM_PERIOD_WEEK;
    o.unit = SCRM_PERIOD_WEEK;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, NULL, 5), SCRM_OK);
    cr_assert_float_eq(col(r, SCRM_RFM_FREQUENCY, 0), 1.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_RECENCY, 0), 1.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_AGE, 0), 3.0, 0); /* Jan 8 -> Jan 29 week starts */
    cr_assert_float_eq(col(r, SCRM_RFM_MONETARY, 0), 0.0, 0);
    scrm_rfm_free(r);
}

Test(rfm, month_units_are_calendar_months)
{
    cr_assert_float_eq(scrm__rfm_span(day_time(2023, 1, 15), day_time(2023, 3, 15),
                                      SCRM_PERIOD_MONTH), 2.0, 1e-12);
    cr_assert_float_eq(scrm__rfm_span(day_time(2023, 1, 1), day_time(2024, 1, 1),
                                      SCRM_PERIOD_YEAR), 1.0, 1e-12);
    cr_assert_float_eq(scrm__rfm_span(day_time(2023, 1, 1), day_time(2023, 7, 1),
                                      SCRM_PERIOD_QUARTER), 2.0, 1e-12);
    cr_assert_float_eq(scrm__rfm_span(day_time(2024, 2, 1), day_time(2024, 2, 15),
                                      SCRM_PERIOD_MONTH), 14.0 / 29.0, 1e-12);
    /* Monthly buckets with monthly units give whole months, as lifetimes' freq='M'. */
    int64_t cust[] = {1, 1, 1};
    int64_t t[] = {day_time(2023, 1, 31), day_time(2023, 2, 1), day_time(2023, 5, 20)};
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.period = o.unit = SCRM_PERIOD_MONTH;
    o.calibration_end = day_time(2023, 12, 31);
    scrm_rfm *r;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, NULL, 3), SCRM_OK);
    cr_assert_float_eq(col(r, SCRM_RFM_FREQUENCY, 0), 2.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_RECENCY, 0), 4.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_AGE, 0), 11.0, 0);
    scrm_rfm_free(r);
}

Test(rfm, defaults_and_late_customers)
{
    int64_t d = day_time(2022, 6, 1);
    int64_t cust[] = {1, 2, 1, 3};
    int64_t t[] = {d, d + 86400, d + 5 * 86400, d + 9 * 86400};
    double v[] = {1, 2, 3, 4};
    scrm_rfm *r;
    /* NULL options: days, calibration end = the latest transaction. */
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, t, v, 4), SCRM_OK);
    scrm_rfm_info info;
    scrm_rfm_get_info(r, &info);
    cr_assert_eq(info.customers, 3);
    cr_assert_eq(info.calibration_end, d + 9 * 86400);
    cr_assert_float_eq(col(r, SCRM_RFM_AGE, 0), 9.0, 0);
    cr_assert_float_eq(col(r, SCRM_RFM_AGE, 2), 0.0, 0); /* T = 0 is allowed */
    scrm_rfm_free(r);

    /* Customer 3 first buys in the holdout: left out and counted. */
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.calibration_end = d + 6 * 86400;
    o.observation_end = d + 30 * 86400;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 4), SCRM_OK);
    scrm_rfm_get_info(r, &info);
    cr_assert_eq(info.customers, 2);
    cr_assert_eq(info.late_customers, 1);
    cr_assert_eq(info.transactions, 3);
    cr_assert_float_eq(info.holdout_duration, 24.0, 0);
    scrm_rfm_free(r);

    /* Without a holdout, rows after the calibration end are ignored and counted. */
    o.observation_end = SCRM_TIME_NONE;
    o.calibration_end = d + 2 * 86400;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 4), SCRM_OK);
    scrm_rfm_get_info(r, &info);
    cr_assert_eq(info.customers, 2);
    cr_assert_eq(info.after_end, 2);
    scrm_rfm_free(r);
}

Test(rfm, bad_input_is_a_status)
{
    int64_t d = day_time(2022, 6, 1);
    int64_t cust[] = {1, 2};
    int64_t t[] = {d, d + 86400};
    double v[] = {1, 2};
    scrm_rfm *r = (scrm_rfm *)&r;
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;

    cr_assert_eq(scrm_rfm_new_from_arrays(NULL, NULL, cust, t, v, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, NULL, t, v, 2), SCRM_EINVAL);
    cr_assert_null(r);
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, NULL, v, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, t, v, 0), SCRM_ENODATA);
    cr_assert_eq(scrm_rfm_new(&r, NULL, NULL), SCRM_EINVAL);

    double nan_v[] = {1, NAN};
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, t, nan_v, 2), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "row 1"), "%s", scrm_last_error_message());
    double inf_v[] = {INFINITY, 1};
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, t, inf_v, 2), SCRM_EINVAL);
    int64_t t_none[] = {d, SCRM_TIME_NONE};
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, t_none, v, 2), SCRM_EINVAL);
    int64_t t_far[] = {d, INT64_C(400000000000)};
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, t_far, v, 2), SCRM_ERANGE);

    o.version = 0;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_EVERSION);
    o.version = 99;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_EVERSION);
    o.version = SCRM_RFM_OPTIONS_VERSION;
    o.period = 0;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_EINVAL);
    o.period = SCRM_PERIOD_DAY;
    o.unit = 6;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_EINVAL);
    o.unit = SCRM_PERIOD_DAY;
    o.value = 3;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_EINVAL);
    o.value = SCRM_RFM_VALUE_AMOUNT;
    /* Inverted dates, and a holdout without a calibration end. */
    o.calibration_end = d + 10 * 86400;
    o.observation_end = d;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "before"), "%s", scrm_last_error_message());
    o.calibration_end = SCRM_TIME_NONE;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_EINVAL);
    o.observation_end = SCRM_TIME_NONE;
    o.calibration_end = INT64_MAX;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_ERANGE);
    /* Calibration ends before anyone's first purchase. */
    o.calibration_end = d - 86400;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 2), SCRM_ENODATA);
    cr_assert_null(r);

    cr_assert_eq(scrm_rfm_options_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_rfm_options_init(&o, 1), SCRM_OK);
    cr_assert_eq(o.period, SCRM_PERIOD_DAY);
    cr_assert_eq(o.calibration_end, SCRM_TIME_NONE);
    scrm_rfm_free(NULL);
}

Test(rfm, accessors_check_buffers)
{
    int64_t d = day_time(2022, 6, 1);
    int64_t cust[] = {1, 2};
    int64_t t[] = {d, d + 86400};
    scrm_rfm *r;
    cr_assert_eq(scrm_rfm_new_from_arrays(&r, NULL, cust, t, NULL, 2), SCRM_OK);
    double out[2];
    int64_t keys[2];
    size_t len = 0;
    cr_assert_eq(scrm_rfm_column(r, SCRM_RFM_AGE, NULL, 0, &len), SCRM_EBUFS);
    cr_assert_eq(len, 2);
    cr_assert_eq(scrm_rfm_column(r, SCRM_RFM_AGE, out, 1, &len), SCRM_EBUFS);
    cr_assert_eq(scrm_rfm_column(r, 0, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_column(r, 8, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_column(r, SCRM_RFM_AGE, NULL, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_column(r, SCRM_RFM_AGE, out, 2, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_column(NULL, SCRM_RFM_AGE, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_customers(r, keys, 2, &len), SCRM_OK);
    cr_assert(keys[0] == 1 && keys[1] == 2);
    cr_assert_eq(scrm_rfm_customers(NULL, keys, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_get_info(r, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_collapse(r, out, out, out, NULL, 2, &len), SCRM_EINVAL);
    scrm_rfm_free(r);
}

/* Dataset path: CDNOW appended as text ids gives the same summary as the arrays,
 * keyed by interned ids. */
Test(rfm, dataset_matches_arrays)
{
    cr_assert_eq(cdnow_load(&cd), 0);
    static char idtext[8000][16];
    static const char *ids[8000];
    static double margin[8000];
    for (size_t i = 0; i < cd.n; i++) {
        snprintf(idtext[i], sizeof idtext[i], "c%04lld", (long long)cd.customer[i]);
        ids[i] = idtext[i];
        margin[i] = cd.value[i] * 0.25;
    }
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_column_input cols[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, ids},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, cd.time},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, cd.value},
        {SCRM_TRANSACTIONS_MARGIN, SCRM_VALUE_F64, margin},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, cd.n, cols, 4, NULL, NULL),
                 SCRM_OK, "%s", scrm_last_error_message());
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.unit = SCRM_PERIOD_WEEK;
    o.calibration_end = day_time(1997, 9, 30);
    o.observation_end = day_time(1998, 6, 30);
    scrm_rfm *a, *b, *mg;
    cr_assert_eq(scrm_rfm_new(&a, &o, ds), SCRM_OK, "%s", scrm_last_error_message());
    o.value = SCRM_RFM_VALUE_MARGIN;
    cr_assert_eq(scrm_rfm_new(&mg, &o, ds), SCRM_OK);
    o.value = SCRM_RFM_VALUE_AMOUNT;
    cr_assert_eq(scrm_rfm_new_from_arrays(&b, &o, cd.customer, cd.time, cd.value, cd.n), SCRM_OK);
    scrm_dataset_free(ds); /* the summaries do not depend on the dataset */

    static int64_t ka[3000], kb[3000];
    static double ca[3000], cb[3000], cm[3000];
    size_t na, nb;
    scrm_rfm_customers(a, ka, 3000, &na);
    scrm_rfm_customers(b, kb, 3000, &nb);
    cr_assert_eq(na, nb);
    cr_assert_neq(ka[0], ka[1]);
    for (int32_t c = SCRM_RFM_FREQUENCY; c <= SCRM_RFM_FIRST; c++) {
        scrm_rfm_column(a, c, ca, 3000, &na);
        scrm_rfm_column(b, c, cb, 3000, &nb);
        scrm_rfm_column(mg, c, cm, 3000, &nb);
        for (size_t i = 0; i < na; i++) {
            cr_assert_float_eq(ca[i], cb[i], 1e-12, "column %d row %zu", c, i);
            int money = c == SCRM_RFM_MONETARY || c == SCRM_RFM_HOLDOUT_MONETARY;
            cr_assert_float_eq(cm[i], money ? 0.25 * ca[i] : ca[i], 1e-12);
        }
    }
    scrm_rfm_free(a);
    scrm_rfm_free(b);
    scrm_rfm_free(mg);
}

Test(rfm, dataset_errors)
{
    scrm_dataset *ds;
    scrm_rfm *r;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    cr_assert_eq(scrm_rfm_new(&r, NULL, ds), SCRM_ENODATA);
    cr_assert_null(r);
    const char *ids[] = {"a", "b"};
    int64_t t[] = {day_time(2020, 1, 1), day_time(2020, 1, 2)};
    double amt[] = {1, 2};
    scrm_column_input cols[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, ids},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, t},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amt},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 2, cols, 3, NULL, NULL),
                 SCRM_OK);
    /* Margins requested but missing. */
    scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
    o.value = SCRM_RFM_VALUE_MARGIN;
    cr_assert_eq(scrm_rfm_new(&r, &o, ds), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "margin"), "%s", scrm_last_error_message());
    o.value = SCRM_RFM_VALUE_AMOUNT;
    cr_assert_eq(scrm_rfm_new(NULL, &o, ds), SCRM_EINVAL);
    cr_assert_eq(scrm_rfm_new(&r, &o, ds), SCRM_OK);
    int64_t keys[2];
    size_t n;
    scrm_rfm_customers(r, keys, 2, &n);
    const char *s;
    cr_assert_eq(scrm_dataset_string(ds, (uint32_t)keys[1], &s, NULL), SCRM_OK);
    cr_assert_str_eq(s, "b");
    scrm_rfm_free(r);
    scrm_dataset_free(ds);
}
