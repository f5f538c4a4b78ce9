/* Fuzz every deserializer of accumulator state and saved models: byte 0 picks
 * the kind, the rest is the byte string. Fuzz builds skip the envelope CRC
 * (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) so the payload parsers are reached.
 *
 * A successful deserialize must give a handle that every read-only function
 * accepts, and that serializes to bytes which deserialize again and serialize
 * to the very same bytes (a canonical round trip). Seeds: tests/fuzz/make-corpus.
 * Add one adapter per serializable handle, appended (byte 0 selects by index). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"
#include "fuzz_util.h"

/* serialize(x) -> bytes; deserialize(bytes) -> y; serialize(y) == bytes. */
#define ROUND_TRIP(T, x)                                                                       \
    do {                                                                                       \
        size_t need_ = 0;                                                                      \
        int rc_ = scrm_##T##_serialize(x, NULL, 0, &need_);                                    \
        CHECK(rc_ == SCRM_EBUFS || (rc_ == SCRM_OK && need_ == 0));                            \
        uint8_t *a_ = malloc(need_ ? need_ : 1), *b_ = malloc(need_ ? need_ : 1);              \
        if (a_ && b_) {                                                                        \
            size_t len_ = 0, len2_ = 0;                                                        \
            CHECK(scrm_##T##_serialize(x, a_, need_, &len_) == SCRM_OK && len_ == need_);      \
            scrm_##T *y_ = NULL;                                                               \
            rc_ = scrm_##T##_deserialize(&y_, a_, len_);                                       \
            if (rc_ == SCRM_OK) {                                                              \
                CHECK(scrm_##T##_serialize(y_, b_, need_, &len2_) == SCRM_OK);                 \
                CHECK(len2_ == len_ && memcmp(a_, b_, len_) == 0);                             \
            } else {                                                                           \
                CHECK(rc_ == SCRM_ENOMEM); /* our own bytes must load */                      \
            }                                                                                  \
            scrm_##T##_free(y_);                                                               \
        }                                                                                      \
        free(a_);                                                                              \
        free(b_);                                                                              \
    } while (0)

static void nps(const uint8_t *p, size_t n)
{
    scrm_nps *x = NULL;
    if (scrm_nps_deserialize(&x, p, n) != SCRM_OK) {
        CHECK(x == NULL);
        return;
    }
    ROUND_TRIP(nps, x);
    scrm_nps_result r;
    scrm_nps_finalize(x, &r);
    scrm_nps_options o;
    CHECK(scrm_nps_get_options(x, &o) == SCRM_OK);
    scrm_nps *y = NULL;
    if (scrm_nps_new(&y, &o) == SCRM_OK) {
        scrm_nps_merge(y, x); /* same options: may only fail on overflow */
        scrm_nps_free(y);
    }
    scrm_nps_free(x);
}

static void engagement(const uint8_t *p, size_t n)
{
    scrm_engagement *x = NULL;
    if (scrm_engagement_deserialize(&x, p, n) != SCRM_OK) {
        CHECK(x == NULL);
        return;
    }
    ROUND_TRIP(engagement, x);
    scrm_engagement_result r;
    scrm_engagement_finalize(x, &r);
    size_t len = 0;
    scrm_engagement_result periods[8];
    scrm_engagement_periods(x, periods, 8, &len);
    scrm_engagement_day days[8];
    scrm_engagement_days(x, days, 8, &len);
    scrm_engagement_merge(x, x);
    scrm_engagement_free(x);
}

static void service(const uint8_t *p, size_t n)
{
    scrm_service *x = NULL;
    if (scrm_service_deserialize(&x, p, n) != SCRM_OK) {
        CHECK(x == NULL);
        return;
    }
    ROUND_TRIP(service, x);
    scrm_service_result r;
    scrm_service_finalize(x, &r);
    scrm_service_stats g[8];
    size_t len = 0;
    scrm_service_groups(x, g, 8, &len);
    scrm_service_merge(x, x);
    scrm_service_free(x);
}

static void clv_model(const uint8_t *p, size_t n)
{
    scrm_clv_model *m = NULL;
    if (scrm_clv_model_deserialize(&m, p, n) != SCRM_OK) {
        CHECK(m == NULL);
        return;
    }
    size_t need = 0, len = 0;
    CHECK(scrm_clv_model_serialize(m, NULL, 0, &need) == SCRM_EBUFS);
    uint8_t *a = malloc(need), *b = malloc(need);
    if (a && b) {
        CHECK(scrm_clv_model_serialize(m, a, need, &len) == SCRM_OK);
        scrm_clv_model *m2 = NULL;
        CHECK(scrm_clv_model_deserialize(&m2, a, len) == SCRM_OK);
        CHECK(scrm_clv_model_serialize(m2, b, need, &len) == SCRM_OK && memcmp(a, b, len) == 0);
        scrm_clv_model_free(m2);
    }
    free(a);
    free(b);
    scrm_clv_fit_result info;
    CHECK(scrm_clv_model_info(m, &info) == SCRM_OK);
    /* Predictions on a few customers: any status, no crash. */
    double x[3] = {0, 2, 7}, tx[3] = {0, 10.5, 30}, T[3] = {5, 38, 38}, mon[3] = {1, 20, 35.5};
    double t[3] = {1, 10, 52}, out[3];
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = 3;
    d.frequency = x;
    d.recency = tx;
    d.age = T;
    d.monetary = mon;
    scrm_clv_expected_purchases(m, t, 3, out, 3, &len);
    scrm_clv_conditional_expected_purchases(m, 10, &d, out, 3, &len);
    scrm_clv_probability_alive(m, &d, out, 3, &len);
    scrm_clv_probability_purchases(m, t, x, 3, out, 3, &len);
    d.frequency = x + 1;
    d.recency = tx + 1;
    d.age = T + 1;
    d.monetary = mon + 1;
    d.n = 2;
    scrm_clv_expected_spend(m, &d, out, 3, &len);
    scrm_clv_customer_value(m, m, &d, NULL, out, 3, &len);
    scrm_clv_sbg_survival(m, t, 3, out, 3, &len);
    scrm_clv_sbg_retention(m, t, 3, out, 3, &len);
    scrm_clv_sbg_derl(m, 0.1, t, 3, out, 3, &len);
    scrm_clv_model_free(m);
}

static void crv(const uint8_t *p, size_t n)
{
    scrm_crv *x = NULL;
    if (scrm_crv_deserialize(&x, p, n) != SCRM_OK) {
        CHECK(x == NULL);
        return;
    }
    ROUND_TRIP(crv, x);
    scrm_crv_result r;
    scrm_crv_finalize(x, &r);
    int64_t keys[8];
    double col[8];
    size_t len = 0;
    scrm_crv_referrers(x, keys, 8, &len);
    scrm_crv_column(x, SCRM_CRV_VALUE, col, 8, &len);
    scrm_crv_lookup(x, keys, len < 8 ? len : 8, col, 8, &len);
    scrm_crv_merge(x, x);
    scrm_crv_free(x);
}

static void rfm_hist(const uint8_t *p, size_t n)
{
    scrm_rfm_hist *x = NULL;
    if (scrm_rfm_hist_deserialize(&x, p, n) != SCRM_OK) {
        CHECK(x == NULL);
        return;
    }
    ROUND_TRIP(rfm_hist, x);
    scrm_rfm_hist_info info;
    CHECK(scrm_rfm_hist_get_info(x, &info) == SCRM_OK);
    double a[8], b[8], c[8], d[8];
    size_t len = 0;
    scrm_rfm_hist_rows(x, a, b, c, d, 8, &len);
    CHECK(len == info.rows);
    if (info.rows > 0 && info.rows <= 8) {
        scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
        o.max_iterations = 20;
        scrm_clv_model *m = NULL;
        scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, x, &o, NULL);
        scrm_clv_model_free(m);
    }
    scrm_rfm_hist_merge(x, x); /* may only fail with SCRM_ERANGE */
    scrm_rfm_hist_free(x);
}

typedef void (*adapter)(const uint8_t *, size_t);

static const adapter adapters[] = {
    nps,
    engagement,
    service,
    clv_model,
    crv,
    rfm_hist,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t k = data[0] % (sizeof adapters / sizeof adapters[0]);
    adapters[k](data + 1, size - 1);
    return 0;
}
