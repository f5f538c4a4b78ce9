/* Customer referral value: the Kumar, Petersen & Leone form on a worked
 * example, accumulator laws (merge, bytes), the dataset path, Kumar's four
 * segments, and bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"

static scrm_crv *make(uint32_t horizon, double r, double retention, double share)
{
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    o.horizon = horizon;
    o.discount_rate = r;
    o.retention_cost = retention;
    o.share_anyway = share;
    scrm_crv *c = NULL;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_OK, "%s", scrm_last_error_message());
    return c;
}

static double colv(const scrm_crv *c, int32_t col, size_t i)
{
    double out[64];
    size_t n;
    cr_assert_eq(scrm_crv_column(c, col, out, 64, &n), SCRM_OK);
    cr_assert(i < n);
    return out[i];
}

Test(crv, worked_example)
{
    /* METRICS.md CRV-1: monthly r = 0.15/12, T = 12; two referees who would not
     * have joined otherwise, each A = 20/month, M = 2/month, incentive 25 and
     * acquisition saving 60 in month 1; one who would have joined anyway,
     * saving 60 -> CRV = 527.2502925057263. */
    scrm_crv *c = make(12, 0.15 / 12, 2.0, 0.0);
    double m[3 * 12];
    for (int i = 0; i < 3 * 12; i++)
        m[i] = 20.0;
    int64_t ref[3] = {7, 7, 7};
    double inc[3] = {25, 25, 25}, acq[3] = {60, 60, 60}, p[3] = {1, 1, 0};
    cr_assert_eq(scrm_crv_add(c, ref, m, NULL, inc, acq, p, 3), SCRM_OK);
    scrm_crv_result r;
    cr_assert_eq(scrm_crv_finalize(c, &r), SCRM_OK);
    cr_assert_float_eq(r.value, 527.2502925057263, 1e-10);
    cr_assert_eq(r.referrers, 1);
    cr_assert_float_eq(r.referees, 3.0, 0);
    cr_assert_float_eq(r.incremental_referees, 2.0, 0);
    /* The parts: v = 1/1.0125, annuity a12 = sum_{k=1}^{12} v^k. */
    double v = 1 / 1.0125, a12 = (1 - pow(v, 12)) / 0.0125;
    cr_assert_float_eq(r.margin, 2 * 20 * a12, 1e-10);
    cr_assert_float_eq(r.retention_cost, 2 * 2 * a12, 1e-10);
    cr_assert_float_eq(r.incentive_cost, 2 * 25 * v, 1e-12);
    cr_assert_float_eq(r.acquisition_saving, 3 * 60 * v, 1e-12);
    cr_assert_float_eq(colv(c, SCRM_CRV_VALUE, 0), r.value, 1e-10);
    cr_assert_float_eq(colv(c, SCRM_CRV_INCENTIVE_COST, 0), 2 * 25 * v, 1e-12);
    cr_assert_float_eq(colv(c, SCRM_CRV_REFEREES, 0), 3, 0);
    cr_assert_float_eq(r.mean_value, r.value, 0);
    scrm_crv_free(c);
}

Test(crv, share_anyway_gives_the_expectation)
{
    /* With p = 1 - share for everyone: p (A - a - M + ACQ) + (1 - p) ACQ. */
    scrm_crv *c = make(3, 0.0, 1.0, 0.25);
    double m[3] = {10, 10, 10};
    int64_t ref = 1;
    double inc = 4, acq = 8;
    cr_assert_eq(scrm_crv_add(c, &ref, m, NULL, &inc, &acq, NULL, 1), SCRM_OK);
    scrm_crv_result r;
    scrm_crv_finalize(c, &r);
    cr_assert_float_eq(r.value, 0.75 * (30 - 4 - 3 + 8) + 0.25 * 8, 1e-12);
    /* Active periods: only the first 2 carry margin and retention cost. */
    scrm_crv_reset(c);
    uint32_t act = 2;
    cr_assert_eq(scrm_crv_add(c, &ref, m, &act, &inc, NULL, NULL, 1), SCRM_OK);
    scrm_crv_finalize(c, &r);
    cr_assert_float_eq(r.value, 0.75 * (20 - 4 - 2 + 0), 1e-12);
    /* No margins: only costs and savings. */
    scrm_crv_reset(c);
    cr_assert_eq(scrm_crv_add(c, &ref, NULL, NULL, NULL, &acq, NULL, 1), SCRM_OK);
    scrm_crv_finalize(c, &r);
    cr_assert_float_eq(r.value, 0.75 * (-3 + 8) + 0.25 * 8, 1e-12);
    scrm_crv_free(c);
}

/* A pseudo-random batch of referees. */
static void batch(uint64_t seed, size_t n, int64_t *ref, double *m, double *inc, double *p)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        ref[i] = (int64_t)(s >> 58) - 20; /* 64 referrers, some negative */
        for (int k = 0; k < 6; k++)
            m[i * 6 + k] = (double)((s >> (k * 5)) & 31) - 4.0;
        inc[i] = (double)((s >> 40) & 15);
        p[i] = (double)((s >> 44) & 7) / 7.0;
    }
}

Test(crv, merge_and_bytes_are_exact)
{
    enum { N = 500 };
    static int64_t ref[N];
    static double m[N * 6], inc[N], p[N];
    batch(42, N, ref, m, inc, p);
    scrm_crv *all = make(6, 0.02, 0.5, 0.1), *a = make(6, 0.02, 0.5, 0.1),
             *b = make(6, 0.02, 0.5, 0.1);
    cr_assert_eq(scrm_crv_add(all, ref, m, NULL, inc, NULL, p, N), SCRM_OK);
    cr_assert_eq(scrm_crv_add(b, ref + 200, m + 200 * 6, NULL, inc + 200, NULL, p + 200, N - 200),
                 SCRM_OK);
    cr_assert_eq(scrm_crv_add(a, ref, m, NULL, inc, NULL, p, 200), SCRM_OK);
    cr_assert_eq(scrm_crv_merge(a, b), SCRM_OK);
    int64_t k1[64], k2[64];
    double v1[64], v2[64];
    size_t n1, n2;
    cr_assert_eq(scrm_crv_referrers(all, k1, 64, &n1), SCRM_OK);
    cr_assert_eq(scrm_crv_referrers(a, k2, 64, &n2), SCRM_OK);
    cr_assert_eq(n1, n2);
    cr_assert(memcmp(k1, k2, n1 * sizeof k1[0]) == 0);
    for (size_t i = 1; i < n1; i++)
        cr_assert(k1[i - 1] < k1[i], "keys ascend");
    for (int32_t col = SCRM_CRV_VALUE; col <= SCRM_CRV_INCREMENTAL; col++) {
        scrm_crv_column(all, col, v1, 64, &n1);
        scrm_crv_column(a, col, v2, 64, &n2);
        for (size_t i = 0; i < n1; i++)
            cr_assert(fabs(v1[i] - v2[i]) <= 1e-12 * (1 + fabs(v1[i])), "col %d row %zu", col, i);
    }
    /* Bytes: round trip, measurement, corruption. */
    size_t len;
    cr_assert_eq(scrm_crv_serialize(a, NULL, 0, &len), SCRM_EBUFS);
    uint8_t *buf = malloc(len), *copy = malloc(len);
    cr_assert_eq(scrm_crv_serialize(a, buf, len, &len), SCRM_OK);
    scrm_crv *back;
    cr_assert_eq(scrm_crv_deserialize(&back, buf, len), SCRM_OK);
    scrm_crv_result ra, rb;
    scrm_crv_finalize(a, &ra);
    scrm_crv_finalize(back, &rb);
    cr_assert(memcmp(&ra, &rb, sizeof ra) == 0);
    size_t len2;
    cr_assert_eq(scrm_crv_serialize(back, copy, len, &len2), SCRM_OK);
    cr_assert(len2 == len && memcmp(buf, copy, len) == 0);
    scrm_crv_options o;
    scrm_crv_get_options(back, &o);
    cr_assert_eq(o.horizon, 6);
    cr_assert_float_eq(o.share_anyway, 0.1, 0);
    for (size_t i = 0; i < len; i += 7) {
        memcpy(copy, buf, len);
        copy[i] ^= 0x41;
        scrm_crv *bad = (scrm_crv *)1;
        cr_assert_neq(scrm_crv_deserialize(&bad, copy, len), SCRM_OK, "flip at %zu", i);
        cr_assert_null(bad);
    }
    scrm_crv_free(back);
    cr_assert_eq(scrm_crv_deserialize(&back, buf, len - 3), SCRM_ECORRUPT);
    free(buf);
    free(copy);
    /* Merge needs equal options and two handles. */
    scrm_crv *other = make(6, 0.03, 0.5, 0.1);
    cr_assert_eq(scrm_crv_merge(a, other), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_merge(a, a), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_merge(a, NULL), SCRM_EINVAL);
    scrm_crv_free(other);
    scrm_crv_free(all);
    scrm_crv_free(a);
    scrm_crv_free(b);
}

Test(crv, lookup_puts_crv_next_to_customers)
{
    scrm_crv *c = make(2, 0, 0, 0);
    int64_t ref[2] = {5, 9};
    double m[4] = {1, 2, 3, 4};
    cr_assert_eq(scrm_crv_add(c, ref, m, NULL, NULL, NULL, NULL, 2), SCRM_OK);
    int64_t cust[4] = {9, 1, 5, -3};
    double out[4];
    size_t n;
    cr_assert_eq(scrm_crv_lookup(c, cust, 4, out, 4, &n), SCRM_OK);
    cr_assert(out[0] == 7 && out[1] == 0 && out[2] == 3 && out[3] == 0);
    cr_assert_eq(scrm_crv_lookup(c, cust, 4, out, 3, &n), SCRM_EBUFS);
    cr_assert_eq(n, 4);
    scrm_crv_free(c);
}

static int64_t at(int y, int m, int d)
{
    int64_t t;
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    cr_assert_eq(scrm_time_parse(buf, strlen(buf), &t), SCRM_OK);
    return t;
}

static uint32_t sid(const scrm_dataset *ds, const char *s)
{
    uint32_t id;
    cr_assert_eq(scrm_dataset_string_id(ds, s, strlen(s), &id), SCRM_OK);
    return id;
}

static scrm_dataset *referral_dataset(void)
{
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    const char *referrer[] = {"a", "a", "b", "b", "a"};
    const char *referee[] = {"c", "d", "x", "c", "e"};
    int64_t rt[] = {at(2024, 1, 15), at(2024, 2, 3), at(2024, 1, 20), at(2024, 3, 1),
                    at(2024, 6, 1)};
    double conv[] = {1, NAN, 0, 1, 1};
    double inc[] = {10, NAN, 5, 5, 5};
    scrm_column_input rc[] = {
        {SCRM_REFERRALS_REFERRER, SCRM_VALUE_TEXT, referrer},
        {SCRM_REFERRALS_REFEREE, SCRM_VALUE_TEXT, referee},
        {SCRM_REFERRALS_TIME, SCRM_VALUE_I64, rt},
        {SCRM_REFERRALS_CONVERTED, SCRM_VALUE_F64, conv},
        {SCRM_REFERRALS_INCENTIVE_COST, SCRM_VALUE_F64, inc},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_REFERRALS, 5, rc, 5, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    const char *cust[] = {"c", "c", "c", "d", "d", "a"};
    int64_t tt[] = {at(2024, 1, 10), at(2024, 1, 20), at(2024, 2, 10), at(2024, 2, 3),
                    at(2024, 5, 1), at(2024, 4, 30)};
    double amount[] = {100, 50, 70, 30, 40, 10};
    double margin[] = {100, 5, 7, 3, 4, 1};
    scrm_column_input tc[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, cust},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, tt},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amount},
        {SCRM_TRANSACTIONS_MARGIN, SCRM_VALUE_F64, margin},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 6, tc, 4, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    const char *ids[] = {"a", "b", "c", "d"};
    double cost[] = {30, 50, 999, NAN};
    scrm_column_input cc[] = {
        {SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, ids},
        {SCRM_CUSTOMERS_ACQUISITION_COST, SCRM_VALUE_F64, cost},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_CUSTOMERS, 4, cc, 2, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    return ds;
}

Test(crv, compute_from_a_dataset)
{
    scrm_dataset *ds = referral_dataset();
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    o.horizon = 3;
    o.discount_rate = 0.01;
    o.retention_cost = 1.0;
    o.acquisition_saving = 20.0;
    o.observation_end = at(2024, 4, 30);
    scrm_crv *c;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_OK);
    scrm_crv_result r;
    cr_assert_eq(scrm_crv_compute(c, ds, &r), SCRM_OK, "%s", scrm_last_error_message());
    double v1 = 1 / 1.01, v2 = v1 * v1, v3 = v2 * v1;
    /* c (referred by a on Jan 15; b's later referral of c is a duplicate):
     * Jan 5, Feb 7 (the Jan 10 purchase predates the referral), 3 active months.
     * d (Feb 3): Feb 3; the May purchase is after the observation end. */
    double want = (5 * v1 + 7 * v2) + 3 * v1 - 2 * (v1 + v2 + v3) - 10 * v1 + 2 * 20 * v1;
    cr_assert_eq(r.referrers, 1);
    cr_assert_float_eq(r.value, want, 1e-12);
    cr_assert_eq(r.referrals, 5);
    cr_assert_eq(r.not_converted, 1);
    cr_assert_eq(r.duplicates, 1);
    cr_assert_eq(r.after_end, 1);
    int64_t key;
    size_t n;
    cr_assert_eq(scrm_crv_referrers(c, &key, 1, &n), SCRM_OK);
    cr_assert_eq(key, (int64_t)sid(ds, "a"));

    /* Amounts times a margin rate; acquisition saving from non-referred customers
     * (a: 30, b: 50; c is a referee, d has no cost): 40. */
    o.margin_source = SCRM_CRV_SOURCE_AMOUNT;
    o.margin_rate = 0.5;
    o.acquisition_source = SCRM_CRV_ACQUISITION_CUSTOMERS;
    scrm_crv *c2;
    cr_assert_eq(scrm_crv_new(&c2, &o), SCRM_OK);
    cr_assert_eq(scrm_crv_compute(c2, ds, &r), SCRM_OK, "%s", scrm_last_error_message());
    want = 0.5 * (50 * v1 + 70 * v2 + 30 * v1) - 2 * (v1 + v2 + v3) - 10 * v1 + 2 * 40 * v1;
    cr_assert_float_eq(r.value, want, 1e-12);
    /* Computing again resets first. */
    cr_assert_eq(scrm_crv_compute(c2, ds, &r), SCRM_OK);
    cr_assert_float_eq(r.value, want, 1e-12);
    /* Default observation end = the latest transaction/referral (Jun 1): d's May
     * purchase is month 4 > horizon 3, so only the active months change. */
    scrm_crv_free(c2);
    scrm_crv_free(c);
    scrm_dataset_free(ds);
}

Test(crv, compute_errors)
{
    scrm_dataset *ds;
    scrm_crv *c = make(3, 0.01, 0, 0);
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    cr_assert_eq(scrm_crv_compute(c, ds, NULL), SCRM_ENODATA);
    cr_assert_eq(scrm_crv_compute(NULL, ds, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_compute(c, NULL, NULL), SCRM_EINVAL);
    scrm_dataset_free(ds);
    /* A referee transaction without a margin under VALUE_MARGIN. */
    ds = referral_dataset();
    const char *cust[] = {"d"};
    int64_t t[] = {at(2024, 2, 20)};
    double amount[] = {9};
    scrm_column_input tc[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, cust},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, t},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amount},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 1, tc, 3, NULL, NULL), SCRM_OK);
    cr_assert_eq(scrm_crv_compute(c, ds, NULL), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "row 6"), "%s", scrm_last_error_message());
    scrm_crv_free(c);
    /* No non-referred customer with a cost. */
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    o.acquisition_source = SCRM_CRV_ACQUISITION_CUSTOMERS;
    o.margin_source = SCRM_CRV_SOURCE_AMOUNT;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_OK);
    scrm_dataset *empty_customers;
    cr_assert_eq(scrm_dataset_new(&empty_customers), SCRM_OK);
    const char *referrer[] = {"a"}, *referee[] = {"b"};
    int64_t rt[] = {at(2024, 1, 1)};
    scrm_column_input rc[] = {
        {SCRM_REFERRALS_REFERRER, SCRM_VALUE_TEXT, referrer},
        {SCRM_REFERRALS_REFEREE, SCRM_VALUE_TEXT, referee},
        {SCRM_REFERRALS_TIME, SCRM_VALUE_I64, rt},
    };
    cr_assert_eq(scrm_dataset_append(empty_customers, SCRM_TABLE_REFERRALS, 1, rc, 3, NULL, NULL),
                 SCRM_OK);
    cr_assert_eq(scrm_crv_compute(c, empty_customers, NULL), SCRM_ENODATA);
    /* With a fixed saving the same data computes: one referee, no margins. */
    scrm_crv *f = make(3, 0.0, 0, 0);
    scrm_crv_result r;
    cr_assert_eq(scrm_crv_compute(f, empty_customers, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_float_eq(r.referees, 1, 0);
    cr_assert_float_eq(r.value, 0, 0);
    scrm_crv_free(f);
    scrm_crv_free(c);
    scrm_dataset_free(empty_customers);
    scrm_dataset_free(ds);
}

Test(crv, segments)
{
    double clv[4] = {10, 40, 30, 20}, crv[4] = {5, 0, 7, 0};
    int32_t seg[5]; /* the second case has 5 customers */
    size_t n;
    scrm_crv_segment_summary s;
    cr_assert_eq(scrm_crv_segments(clv, crv, 4, NULL, seg, 4, &n, &s), SCRM_OK);
    cr_assert_eq(seg[0], SCRM_CRV_ADVOCATE);
    cr_assert_eq(seg[1], SCRM_CRV_AFFLUENT);
    cr_assert_eq(seg[2], SCRM_CRV_CHAMPION);
    cr_assert_eq(seg[3], SCRM_CRV_MISER);
    cr_assert_float_eq(s.clv_threshold, 25, 0);
    cr_assert_float_eq(s.crv_threshold, 2.5, 0);
    for (int k = 0; k < 4; k++)
        cr_assert_eq(s.count[k], 1);
    cr_assert_float_eq(s.clv_mean[SCRM_CRV_CHAMPION - 1], 30, 0);
    cr_assert_float_eq(s.crv_mean[SCRM_CRV_ADVOCATE - 1], 5, 0);
    /* Most customers refer nobody: median CRV 0, every positive CRV is high. */
    double clv5[5] = {1, 2, 3, 4, 5}, crv5[5] = {0, 0, 0, 0.01, 0};
    cr_assert_eq(scrm_crv_segments(clv5, crv5, 5, NULL, seg, 5, &n, &s), SCRM_OK);
    cr_assert_float_eq(s.crv_threshold, 0, 0);
    cr_assert_eq(seg[3], SCRM_CRV_CHAMPION);
    cr_assert_eq(seg[2], SCRM_CRV_MISER); /* CLV 3 = median is not high */
    /* Mean and fixed thresholds. */
    scrm_crv_segment_options o = SCRM_CRV_SEGMENT_OPTIONS_INIT;
    o.clv_split = SCRM_CRV_SPLIT_MEAN;
    o.crv_split = SCRM_CRV_SPLIT_VALUE;
    o.crv_threshold = 6;
    cr_assert_eq(scrm_crv_segments(clv, crv, 4, &o, seg, 4, &n, &s), SCRM_OK);
    cr_assert_float_eq(s.clv_threshold, 25, 0);
    cr_assert_eq(seg[0], SCRM_CRV_MISER);
    cr_assert_eq(seg[2], SCRM_CRV_CHAMPION);
    /* Summary only. */
    cr_assert_eq(scrm_crv_segments(clv, crv, 4, NULL, NULL, 0, &n, &s), SCRM_OK);
    /* Bad input. */
    cr_assert_eq(scrm_crv_segments(clv, crv, 4, NULL, seg, 3, &n, &s), SCRM_EBUFS);
    cr_assert_eq(scrm_crv_segments(clv, crv, 0, NULL, seg, 4, &n, &s), SCRM_ENODATA);
    cr_assert_eq(scrm_crv_segments(NULL, crv, 4, NULL, seg, 4, &n, &s), SCRM_EINVAL);
    double bad[4] = {1, NAN, 2, 3};
    cr_assert_eq(scrm_crv_segments(bad, crv, 4, NULL, seg, 4, &n, &s), SCRM_EINVAL);
    o.crv_threshold = INFINITY;
    cr_assert_eq(scrm_crv_segments(clv, crv, 4, &o, seg, 4, &n, &s), SCRM_EINVAL);
    o.crv_split = 9;
    cr_assert_eq(scrm_crv_segments(clv, crv, 4, &o, seg, 4, &n, &s), SCRM_EINVAL);
    o.version = 0;
    cr_assert_eq(scrm_crv_segments(clv, crv, 4, &o, seg, 4, &n, &s), SCRM_EVERSION);
    cr_assert_eq(scrm_crv_segment_options_init(&o, 1), SCRM_OK);
    cr_assert_eq(o.clv_split, SCRM_CRV_SPLIT_MEDIAN);
    cr_assert_eq(scrm_crv_segment_options_init(NULL, 1), SCRM_EINVAL);
}

Test(crv, bad_input_is_a_status)
{
    scrm_crv *c = (scrm_crv *)1;
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    cr_assert_eq(scrm_crv_new(NULL, &o), SCRM_EINVAL);
    o.horizon = 0;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_EINVAL);
    cr_assert_null(c);
    o = (scrm_crv_options)SCRM_CRV_OPTIONS_INIT;
    o.discount_rate = -1;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_EINVAL);
    o.discount_rate = NAN;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_EINVAL);
    o = (scrm_crv_options)SCRM_CRV_OPTIONS_INIT;
    o.share_anyway = 1.5;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_EINVAL);
    o = (scrm_crv_options)SCRM_CRV_OPTIONS_INIT;
    o.period = 0;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_EINVAL);
    o = (scrm_crv_options)SCRM_CRV_OPTIONS_INIT;
    o.acquisition_saving = -1;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_EINVAL);
    o = (scrm_crv_options)SCRM_CRV_OPTIONS_INIT;
    o.version = 2;
    cr_assert_eq(scrm_crv_new(&c, &o), SCRM_EVERSION);
    cr_assert_eq(scrm_crv_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_crv_options_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_options_init(&o, 1), SCRM_OK);
    cr_assert_eq(o.horizon, 12);
    cr_assert_eq(o.period, SCRM_PERIOD_MONTH);

    c = make(2, 0.01, 0, 0);
    int64_t ref[2] = {1, 2};
    double m[4] = {1, 2, 3, NAN};
    cr_assert_eq(scrm_crv_add(c, ref, m, NULL, NULL, NULL, NULL, 2), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "margins[1][1]"), "%s", scrm_last_error_message());
    /* All or nothing: the first referee was not added. */
    scrm_crv_result r;
    scrm_crv_finalize(c, &r);
    cr_assert_eq(r.referrers, 0);
    m[3] = 4;
    uint32_t act[2] = {1, 3};
    cr_assert_eq(scrm_crv_add(c, ref, m, act, NULL, NULL, NULL, 2), SCRM_EINVAL);
    double neg[2] = {1, -1}, p[2] = {0.5, 1.5};
    cr_assert_eq(scrm_crv_add(c, ref, m, NULL, neg, NULL, NULL, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_add(c, ref, m, NULL, NULL, neg, NULL, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_add(c, ref, m, NULL, NULL, NULL, p, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_add(c, NULL, m, NULL, NULL, NULL, NULL, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_add(NULL, ref, m, NULL, NULL, NULL, NULL, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_add(c, NULL, NULL, NULL, NULL, NULL, NULL, 0), SCRM_OK);
    double out[2];
    size_t n;
    cr_assert_eq(scrm_crv_column(c, 0, out, 2, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_column(c, 8, out, 2, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_finalize(c, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_serialize(c, NULL, 0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_crv_deserialize(NULL, (const uint8_t *)"x", 1), SCRM_EINVAL);
    scrm_crv *d = (scrm_crv *)1;
    cr_assert_eq(scrm_crv_deserialize(&d, (const uint8_t *)"garbage!", 8), SCRM_ECORRUPT);
    cr_assert_null(d);
    scrm_crv_reset(NULL);
    scrm_crv_free(NULL);
    scrm_crv_free(c);
}
