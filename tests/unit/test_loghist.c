/* Log-bucket histogram (src/num/loghist.c): bucket layout, the 2^-7 relative
 * error bound, exact merge, canonical serialization. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num/loghist.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) /* splitmix64: reproducible without libc rand() */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

Test(loghist, small_values_are_exact_buckets)
{
    for (uint64_t v = 0; v < 128; v++) {
        cr_assert_eq(scrm__loghist_index(v), v);
        cr_assert_eq(scrm__loghist_value((uint32_t)v), (double)v);
    }
    cr_assert_eq(scrm__loghist_index(128), 128);
    cr_assert_eq(scrm__loghist_index(129), 128); /* width 2 from 128 */
    cr_assert_eq(scrm__loghist_index(130), 129);
    cr_assert_eq(scrm__loghist_index(UINT64_MAX), SCRM__LOGHIST_BUCKETS - 1);
}

/* Every bucket's bounds are contiguous and contain exactly the values that
 * map to it; the representative is within 2^-7 of every value in it. */
Test(loghist, bounds_contiguous_and_error_bound)
{
    uint64_t prev_hi = 0;
    double worst = 0;
    for (uint32_t i = 0; i < SCRM__LOGHIST_BUCKETS; i++) {
        uint64_t lo, hi;
        scrm__loghist_bounds(i, &lo, &hi);
        if (i > 0)
            cr_assert_eq(lo, prev_hi + 1, "bucket %u", i);
        cr_assert_eq(scrm__loghist_index(lo), i);
        cr_assert_eq(scrm__loghist_index(hi), i);
        if (lo > 0) {
            double rep = scrm__loghist_value(i);
            double e1 = fabs(rep - (double)lo) / (double)lo, e2 = fabs(rep - (double)hi) / (double)hi;
            worst = fmax(worst, fmax(e1, e2));
        }
        prev_hi = hi;
    }
    cr_assert_eq(prev_hi, UINT64_MAX);
    /* (2^(e-6) - 1) / 2^(e+1) < 1/128, reached up to rounding for e >= 53. */
    cr_assert(worst <= 1.0 / 128.0, "worst relative error %g", worst);
    cr_assert(worst > 0.0077, "bound is tight: %g", worst);
}

static void fill(scrm__loghist *h, const uint64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(scrm__loghist_add(h, v[i]), SCRM_OK);
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Skewed data (lognormal-like, 1 s .. months): every order statistic read
 * from the histogram is within 2^-7 relative of the exact one. */
Test(loghist, order_statistics_within_bound_on_skewed_data)
{
    enum { N = 200000 };
    uint64_t *v = malloc(N * sizeof *v);
    scrm__loghist h;
    scrm__loghist_init(&h);
    for (size_t i = 0; i < N; i++) {
        /* exp of a sum of uniforms: heavy right tail, median ~ 20 min */
        double u = 0;
        for (int k = 0; k < 4; k++)
            u += (double)(rng() >> 11) / 9007199254740992.0;
        v[i] = (uint64_t)exp(7.2 + 2.6 * (u - 2.0));
    }
    fill(&h, v, N);
    qsort(v, N, sizeof *v, cmp);
    cr_assert_eq(h.n, N);
    double worst = 0;
    for (uint64_t r = 0; r < N; r += 97) {
        double est = scrm__loghist_order_stat(&h, r, (double)v[0], (double)v[N - 1]);
        if (v[r] > 0)
            worst = fmax(worst, fabs(est - (double)v[r]) / (double)v[r]);
        else
            cr_assert_eq(est, 0.0);
    }
    cr_assert(worst < 1.0 / 128.0, "worst %g", worst);
    scrm__loghist_free(&h);
    free(v);
}

Test(loghist, merge_is_exact_and_grows_both_ways)
{
    scrm__loghist a, b, all;
    scrm__loghist_init(&a);
    scrm__loghist_init(&b);
    scrm__loghist_init(&all);
    for (int i = 0; i < 5000; i++) {
        uint64_t v = rng() >> (rng() % 64);
        cr_assert_eq(scrm__loghist_add(i % 3 ? &a : &b, v), SCRM_OK);
        cr_assert_eq(scrm__loghist_add(&all, v), SCRM_OK);
    }
    cr_assert_eq(scrm__loghist_merge(&a, &b), SCRM_OK);
    cr_assert_eq(a.n, all.n);
    for (uint32_t i = 0; i < SCRM__LOGHIST_BUCKETS; i++) {
        uint64_t ca = i >= a.lo && i < a.hi ? a.counts[i - a.lo] : 0;
        uint64_t cb = i >= all.lo && i < all.hi ? all.counts[i - all.lo] : 0;
        cr_assert_eq(ca, cb, "bucket %u", i);
    }
    /* Equal histograms serialize to equal bytes whatever their allocation. */
    uint8_t x[20000], y[20000];
    size_t nx, ny;
    cr_assert_eq(scrm__loghist_serialize(&a, x, sizeof x, &nx), SCRM_OK);
    cr_assert_eq(scrm__loghist_serialize(&all, y, sizeof y, &ny), SCRM_OK);
    cr_assert_eq(nx, ny);
    cr_assert_eq(memcmp(x, y, nx), 0);
    scrm__loghist_free(&a);
    scrm__loghist_free(&b);
    scrm__loghist_free(&all);
}

Test(loghist, serialize_round_trip_and_every_truncation)
{
    scrm__loghist h, back;
    scrm__loghist_init(&h);
    const uint64_t v[] = {0, 1, 1, 5, 127, 128, 1000, 1000, 86400, 3000000, 1ull << 40};
    fill(&h, v, sizeof v / sizeof *v);
    size_t need;
    cr_assert_eq(scrm__loghist_serialize(&h, NULL, 0, &need), SCRM_EBUFS);
    uint8_t buf[4096];
    cr_assert_eq(scrm__loghist_serialize(&h, buf, sizeof buf, &need), SCRM_OK);
    cr_assert_eq(scrm__loghist_deserialize(&back, buf, need), SCRM_OK);
    cr_assert_eq(back.n, h.n);
    for (uint64_t r = 0; r < h.n; r++)
        cr_assert_eq(scrm__loghist_order_stat(&back, r, 0, 1e300),
                     scrm__loghist_order_stat(&h, r, 0, 1e300));
    scrm__loghist_free(&back);
    for (size_t n = 0; n < need; n++)
        cr_assert_eq(scrm__loghist_deserialize(&back, buf, n), SCRM_ECORRUPT, "len %zu", n);
    scrm__loghist_free(&h);

    /* Empty histogram. */
    scrm__loghist_init(&h);
    cr_assert_eq(scrm__loghist_serialize(&h, buf, sizeof buf, &need), SCRM_OK);
    cr_assert_eq(scrm__loghist_deserialize(&back, buf, need), SCRM_OK);
    cr_assert_eq(back.n, 0);
    scrm__loghist_free(&back);
}

/* Valid checksums over invalid contents: the reader still refuses them. */
static int parse_payload(const uint8_t *payload, size_t n)
{
    uint8_t buf[256];
    scrm__writer w;
    size_t len;
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__envelope_begin(&w, SCRM__KIND_HISTOGRAM, 1);
    scrm__put_bytes(&w, payload, n);
    cr_assert_eq(scrm__envelope_end(&w, &len, "t"), SCRM_OK);
    scrm__loghist h;
    int st = scrm__loghist_deserialize(&h, buf, len);
    if (st == SCRM_OK)
        scrm__loghist_free(&h);
    return st;
}

Test(loghist, crafted_payloads_are_rejected)
{
    const uint8_t zero_end[] = {5, 2, 1, 0};             /* last count 0: not canonical */
    const uint8_t zero_start[] = {5, 2, 0, 1};           /* first count 0 */
    const uint8_t range[] = {0xC0, 0x1D, 1, 1};          /* lo = 3776 + count past the end */
    const uint8_t offset_empty[] = {3, 0};               /* empty with an offset */
    const uint8_t overlong[] = {0x80, 0x00, 0};          /* non-minimal varint */
    const uint8_t long_count[] = {0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
    const uint8_t trailing[] = {0, 1, 1, 9};             /* extra byte */
    const uint8_t ok[] = {7, 1, 3};
    cr_assert_eq(parse_payload(zero_end, sizeof zero_end), SCRM_ECORRUPT);
    cr_assert_eq(parse_payload(zero_start, sizeof zero_start), SCRM_ECORRUPT);
    cr_assert_eq(parse_payload(range, sizeof range), SCRM_ECORRUPT);
    cr_assert_eq(parse_payload(offset_empty, sizeof offset_empty), SCRM_ECORRUPT);
    cr_assert_eq(parse_payload(overlong, sizeof overlong), SCRM_ECORRUPT);
    cr_assert_eq(parse_payload(long_count, sizeof long_count), SCRM_ECORRUPT);
    cr_assert_eq(parse_payload(trailing, sizeof trailing), SCRM_ECORRUPT);
    cr_assert_eq(parse_payload(ok, sizeof ok), SCRM_OK);
}
