/* Engagement accumulator properties: merging any split equals one pass
 * exactly (state bytes and results), permutation invariance, bounds, the
 * serialized format (round trip, every truncation, bit flips, crafted bytes). */
#include "test_engagement_util.h"

#include "core/bytes.h"

typedef struct rows {
    size_t n;
    int64_t *t;
    uint64_t *keys;
    int32_t *kinds;
    double *reach, *impr, *sent;
    int8_t *comp;
} rows;

static uint64_t rng_next(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * 0x1p-53; }

static rows gen(size_t n, uint64_t seed, int days)
{
    rows r = {n, malloc(n * 8), malloc(n * 8), malloc(n * 4), malloc(n * 8), malloc(n * 8),
              malloc(n * 8), malloc(n)};
    for (size_t i = 0; i < n; i++) {
        r.t[i] = T0 + (int64_t)(rng_unit(&seed) * days * DAY);
        r.keys[i] = rng_next(&seed) % 700;
        r.kinds[i] = (int32_t)(rng_next(&seed) % SCRM_ENGAGEMENT_KIND_COUNT);
        r.reach[i] = floor(rng_unit(&seed) * 5000) + rng_unit(&seed); /* non-integers too */
        r.impr[i] = rng_unit(&seed) * 1e4;
        r.sent[i] = rng_unit(&seed) < 0.3 ? (double)NAN : rng_unit(&seed) * 2 - 1;
        r.comp[i] = rng_unit(&seed) < 0.2;
    }
    return r;
}

static void rows_free(rows *r)
{
    free(r->t), free(r->keys), free(r->kinds), free(r->reach), free(r->impr), free(r->sent),
        free(r->comp);
}

static void add(scrm_engagement *e, const rows *r, size_t from, size_t to)
{
    int rc = scrm_engagement_add_keys(e, r->t + from, r->keys + from, r->kinds + from,
                                      r->reach + from, r->impr + from, r->sent + from,
                                      r->comp + from, to - from);
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
}

static void add_followers(scrm_engagement *e, uint64_t seed, int n)
{
    const char *ch[] = {"fb", "x", "ig"};
    for (int i = 0; i < n; i++) {
        int64_t t = T0 - 5 * DAY + (int64_t)(rng_unit(&seed) * 100 * DAY);
        const char *c = ch[rng_next(&seed) % 3];
        double f = floor(rng_unit(&seed) * 1e5);
        cr_assert_eq(scrm_engagement_add_followers(e, &t, &c, &f, 1), SCRM_OK);
    }
}

static void assert_same_everything(const scrm_engagement *a, const scrm_engagement *b,
                                   const char *what)
{
    size_t la, lb;
    uint8_t *ba = eng_bytes(a, &la), *bb = eng_bytes(b, &lb);
    cr_assert_eq(la, lb, "%s: %zu vs %zu bytes", what, la, lb);
    cr_assert_eq(memcmp(ba, bb, la), 0, "%s: state bytes differ", what);
    free(ba), free(bb);
    scrm_engagement_result ra, rb;
    cr_assert_eq(scrm_engagement_finalize(a, &ra), SCRM_OK);
    cr_assert_eq(scrm_engagement_finalize(b, &rb), SCRM_OK);
    assert_same_result(&ra, &rb, what);
    size_t na, nb;
    scrm_engagement_periods(a, NULL, 0, &na);
    scrm_engagement_periods(b, NULL, 0, &nb);
    cr_assert_eq(na, nb);
    scrm_engagement_result *pa = calloc(na + 1, sizeof *pa), *pb = calloc(na + 1, sizeof *pb);
    cr_assert_eq(scrm_engagement_periods(a, pa, na, &na), SCRM_OK);
    cr_assert_eq(scrm_engagement_periods(b, pb, nb, &nb), SCRM_OK);
    for (size_t i = 0; i < na; i++)
        assert_same_result(&pa[i], &pb[i], what);
    free(pa), free(pb);
    scrm_engagement_days(a, NULL, 0, &na);
    scrm_engagement_day *da = calloc(na + 1, sizeof *da), *db = calloc(na + 1, sizeof *db);
    cr_assert_eq(scrm_engagement_days(a, da, na, &na), SCRM_OK);
    cr_assert_eq(scrm_engagement_days(b, db, na, &nb), SCRM_OK);
    cr_assert_eq(memcmp(da, db, na * sizeof *da), 0, "%s: daily series differ", what);
    free(da), free(db);
}

static scrm_engagement_options props_opts(void)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_WEEK);
    o.hll_precision = 10;
    o.value[SCRM_ENGAGEMENT_LIKE] = 0.1;
    o.value[SCRM_ENGAGEMENT_SHARE] = 1.7;
    return o;
}

Test(engagement_props, merge_of_any_split_equals_one_pass)
{
    rows r = gen(3000, 42, 60);
    scrm_engagement_options o = props_opts();
    scrm_engagement *one = eng_new(&o);
    add(one, &r, 0, r.n);
    add_followers(one, 7, 40);
    const size_t cuts[] = {0, 1, 999, 1500, 2999, 3000};
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        scrm_engagement *a = eng_new(&o), *b = eng_new(&o);
        add(a, &r, 0, cuts[c]);
        add(b, &r, cuts[c], r.n);
        add_followers(b, 7, 40); /* follower counts are state, not additive */
        cr_assert_eq(scrm_engagement_merge(a, b), SCRM_OK);
        assert_same_everything(one, a, "two-way split");
        scrm_engagement_free(a);
        scrm_engagement_free(b);
    }
    /* Three parts, merged right to left, through serialized bytes. */
    scrm_engagement *p[3];
    for (int i = 0; i < 3; i++)
        p[i] = eng_new(&o);
    add(p[0], &r, 0, 700);
    add(p[1], &r, 700, 2100);
    add(p[2], &r, 2100, 3000);
    add_followers(p[0], 7, 40);
    size_t len;
    uint8_t *b2 = eng_bytes(p[2], &len);
    scrm_engagement *q2;
    cr_assert_eq(scrm_engagement_deserialize(&q2, b2, len), SCRM_OK);
    cr_assert_eq(scrm_engagement_merge(p[1], q2), SCRM_OK);
    cr_assert_eq(scrm_engagement_merge(p[1], p[0]), SCRM_OK);
    assert_same_everything(one, p[1], "three-way split");
    free(b2);
    scrm_engagement_free(q2);
    for (int i = 0; i < 3; i++)
        scrm_engagement_free(p[i]);
    scrm_engagement_free(one);
    rows_free(&r);
}

Test(engagement_props, permutation_invariance)
{
    rows r = gen(2000, 9, 30);
    scrm_engagement_options o = props_opts();
    scrm_engagement *a = eng_new(&o), *b = eng_new(&o);
    add(a, &r, 0, r.n);
    /* Fisher-Yates shuffle of all columns together. */
    uint64_t s = 5;
    for (size_t i = r.n - 1; i > 0; i--) {
        size_t j = rng_next(&s) % (i + 1);
#define SWAP(arr)                                                                                \
    do {                                                                                         \
        __typeof__(arr[0]) tmp_ = arr[i];                                                        \
        arr[i] = arr[j];                                                                         \
        arr[j] = tmp_;                                                                           \
    } while (0)
        SWAP(r.t);
        SWAP(r.keys);
        SWAP(r.kinds);
        SWAP(r.reach);
        SWAP(r.impr);
        SWAP(r.sent);
        SWAP(r.comp);
#undef SWAP
    }
    /* Added one row at a time, in the shuffled order. */
    for (size_t i = 0; i < r.n; i++)
        add(b, &r, i, i + 1);
    assert_same_everything(a, b, "shuffled");
    scrm_engagement_free(a);
    scrm_engagement_free(b);
    rows_free(&r);
}

Test(engagement_props, self_merge_doubles_counts_not_users)
{
    rows r = gen(500, 3, 10);
    scrm_engagement_options o = props_opts();
    scrm_engagement *a = eng_new(&o), *twice = eng_new(&o);
    add(a, &r, 0, r.n);
    add(twice, &r, 0, r.n);
    add(twice, &r, 0, r.n);
    scrm_engagement_result before;
    cr_assert_eq(scrm_engagement_finalize(a, &before), SCRM_OK);
    cr_assert_eq(scrm_engagement_merge(a, a), SCRM_OK);
    assert_same_everything(a, twice, "self merge");
    scrm_engagement_result after;
    cr_assert_eq(scrm_engagement_finalize(a, &after), SCRM_OK);
    cr_assert_eq(after.rows, 2 * before.rows);
    cr_assert_eq(after.reach, 2 * before.reach);
    cr_assert_eq(after.unique_users, before.unique_users);
    scrm_engagement_free(a);
    scrm_engagement_free(twice);
    rows_free(&r);
}

Test(engagement_props, bounds_on_random_data)
{
    rows r = gen(4000, 11, 120);
    for (int pooled = 0; pooled <= 1; pooled++) {
        scrm_engagement_options o = props_opts();
        o.period = SCRM_PERIOD_DAY;
        o.competitors = pooled;
        scrm_engagement *e = eng_new(&o);
        add(e, &r, 0, r.n);
        add_followers(e, 1, 50);
        size_t n;
        scrm_engagement_periods(e, NULL, 0, &n);
        scrm_engagement_result *p = calloc(n, sizeof *p);
        cr_assert_eq(scrm_engagement_periods(e, p, n, &n), SCRM_OK);
        uint64_t rows_total = 0;
        for (size_t i = 0; i < n; i++) {
            const scrm_engagement_result *x = &p[i];
            uint64_t sum = 0;
            for (int k = 0; k < SCRM_ENGAGEMENT_KIND_COUNT; k++)
                sum += x->counts[k];
            cr_assert_eq(sum, x->rows);
            rows_total += x->rows;
            cr_assert_leq(x->engagements, x->rows);
            cr_assert_eq(x->positive + x->neutral + x->negative + x->unscored, x->rows);
            cr_assert_geq(x->unique_users, 0.0);
            cr_assert_leq(x->unique_users, (double)x->rows * 1.02 + 0.5);
            cr_assert_geq(x->talking_window, x->unique_users * 0.97 - 0.5);
            if (x->valid & SCRM_ENGAGEMENT_VALID_SOV)
                cr_assert(x->share_of_voice >= 0 && x->share_of_voice <= 100);
            if (x->valid & SCRM_ENGAGEMENT_VALID_NSS)
                cr_assert(x->net_sentiment >= -100 && x->net_sentiment <= 100);
            if (x->valid & SCRM_ENGAGEMENT_VALID_NSS_TOTAL) {
                cr_assert(x->net_sentiment_total >= -100 && x->net_sentiment_total <= 100);
                cr_assert(fabs(x->net_sentiment_total) <= fabs(x->net_sentiment) + 1e-9);
                cr_assert(x->mean_sentiment >= -1 && x->mean_sentiment <= 1);
            }
            cr_assert(x->reach >= 0 && x->impressions >= 0);
            /* Undefined figures are NaN, defined ones are finite. */
            cr_assert_eq(!isnan(x->er_reach), !!(x->valid & SCRM_ENGAGEMENT_VALID_ER_REACH));
            cr_assert_eq(!isnan(x->share_of_voice), !!(x->valid & SCRM_ENGAGEMENT_VALID_SOV));
            cr_assert_eq(!isnan(x->conversation_rate),
                         !!(x->valid & SCRM_ENGAGEMENT_VALID_PER_POST));
            cr_assert_eq(!isnan(x->growth_engagements),
                         !!(x->valid & SCRM_ENGAGEMENT_VALID_GROWTH_ENGAGEMENTS));
        }
        scrm_engagement_result all;
        cr_assert_eq(scrm_engagement_finalize(e, &all), SCRM_OK);
        cr_assert_eq(all.rows, rows_total);
        free(p);
        scrm_engagement_free(e);
    }
    rows_free(&r);
}

Test(engagement_props, reach_sums_are_exact_whatever_the_order)
{
    /* Values whose naive sums depend on the order. */
    scrm_engagement *a = eng_new(NULL), *b = eng_new(NULL);
    int64_t t[4] = {T0, T0, T0, T0};
    uint64_t k[4] = {1, 2, 3, 4};
    int32_t kind[4] = {0, 0, 0, 0};
    double r1[4] = {1e16, 1.0, 1.0, 1e16}, r2[4] = {1.0, 1e16, 1e16, 1.0};
    cr_assert_eq(scrm_engagement_add_keys(a, t, k, kind, r1, NULL, NULL, NULL, 4), SCRM_OK);
    cr_assert_eq(scrm_engagement_add_keys(b, t, k, kind, r2, NULL, NULL, NULL, 4), SCRM_OK);
    scrm_engagement_result ra, rb;
    scrm_engagement_finalize(a, &ra);
    scrm_engagement_finalize(b, &rb);
    cr_assert_eq(ra.reach, 2e16 + 2.0);
    cr_assert_eq(rb.reach, 2e16 + 2.0);
    scrm_engagement_free(a);
    scrm_engagement_free(b);
}

/* ---- serialized state ---- */

Test(engagement_props, round_trip_keeps_state_and_options)
{
    rows r = gen(800, 77, 20);
    scrm_engagement_options o = props_opts();
    o.own_brand = "Acme Corp";
    o.neutral_band = 0.05;
    o.window_days = 28;
    scrm_engagement *e = eng_new(&o);
    add(e, &r, 0, r.n);
    add_followers(e, 2, 10);
    size_t len;
    uint8_t *b = eng_bytes(e, &len);
    cr_assert_eq(memcmp(b, "SCRM\x02\x00\x01\x00", 8), 0); /* kind 2, format 1 */
    scrm_engagement *d;
    cr_assert_eq(scrm_engagement_deserialize(&d, b, len), SCRM_OK);
    assert_same_everything(e, d, "round trip");
    scrm_engagement_options g;
    scrm_engagement_get_options(d, &g);
    cr_assert_str_eq(g.own_brand, "Acme Corp");
    cr_assert_eq(g.window_days, 28);
    cr_assert_eq(g.neutral_band, 0.05);
    cr_assert_eq(scrm_engagement_merge(d, e), SCRM_OK); /* same options */
    free(b);
    scrm_engagement_free(d);
    scrm_engagement_free(e);
    /* Empty accumulator too. */
    scrm_engagement *z = eng_new(NULL), *z2;
    b = eng_bytes(z, &len);
    cr_assert_eq(scrm_engagement_deserialize(&z2, b, len), SCRM_OK);
    assert_same_everything(z, z2, "empty round trip");
    free(b);
    scrm_engagement_free(z);
    scrm_engagement_free(z2);
    rows_free(&r);
}

static scrm_engagement *small_state(void)
{
    scrm_engagement_options o = props_opts();
    o.hll_precision = 4; /* 16 registers: small bytes, quick exhaustive checks */
    scrm_engagement *e = eng_new(&o);
    rows r = gen(60, 5, 4);
    add(e, &r, 0, r.n);
    add_followers(e, 3, 3);
    rows_free(&r);
    return e;
}

Test(engagement_props, every_truncation_and_bit_flip_is_rejected)
{
    scrm_engagement *e = small_state();
    size_t len;
    uint8_t *b = eng_bytes(e, &len);
    scrm_engagement *d = (scrm_engagement *)b;
    for (size_t n = 0; n < len; n++) {
        int rc = scrm_engagement_deserialize(&d, b, n);
        cr_assert_eq(rc, SCRM_ECORRUPT, "truncation to %zu of %zu bytes gave %d", n, len, rc);
        cr_assert_null(d);
    }
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1u << bit);
            int rc = scrm_engagement_deserialize(&d, b, len);
            cr_assert(rc == SCRM_ECORRUPT || rc == SCRM_EVERSION, "flip %zu:%d gave %d", i, bit,
                      rc);
            b[i] ^= (uint8_t)(1u << bit);
        }
    }
    free(b);
    scrm_engagement_free(e);
}

/* Re-seal a modified payload (fix the length field and the CRC), so that the
 * content checks, not the checksum, must catch it. */
static void reseal(uint8_t *b, size_t len)
{
    uint64_t payload = len - 20;
    for (int i = 0; i < 8; i++)
        b[8 + i] = (uint8_t)(payload >> (8 * i));
    uint32_t crc = scrm__crc32(b, len - 4);
    for (int i = 0; i < 4; i++)
        b[len - 4 + i] = (uint8_t)(crc >> (8 * i));
}

static int try_bytes(const uint8_t *src, size_t len, size_t off, const void *patch, size_t n)
{
    uint8_t *b = malloc(len);
    memcpy(b, src, len);
    memcpy(b + off, patch, n);
    reseal(b, len);
    scrm_engagement *d = NULL;
    int rc = scrm_engagement_deserialize(&d, b, len);
    scrm_engagement_free(d);
    free(b);
    return rc;
}

Test(engagement_props, crafted_bytes_with_valid_checksum_are_rejected)
{
    scrm_engagement *e = small_state();
    size_t len;
    uint8_t *b = eng_bytes(e, &len);
    /* Sanity: resealing unchanged bytes is accepted. */
    cr_assert_eq(try_bytes(b, len, 0, b, 0), SCRM_OK);
    /* Payload offsets (no own brand): options at 16; n_days at 105; first day at 113. */
    const uint8_t period9[4] = {9, 0, 0, 0}, prec3[4] = {3, 0, 0, 0}, prec19[4] = {19, 0, 0, 0};
    cr_assert_eq(try_bytes(b, len, 16, period9, 4), SCRM_ECORRUPT);
    cr_assert_eq(try_bytes(b, len, 16 + 20, prec3, 4), SCRM_ECORRUPT);
    cr_assert_eq(try_bytes(b, len, 16 + 20, prec19, 4), SCRM_ECORRUPT);
    const uint8_t nanv[8] = {0, 0, 0, 0, 0, 0, 0xF8, 0x7F};
    cr_assert_eq(try_bytes(b, len, 16 + 28, nanv, 8), SCRM_ECORRUPT);  /* neutral_band NaN */
    cr_assert_eq(try_bytes(b, len, 16 + 36, nanv, 8), SCRM_ECORRUPT);  /* value[0] NaN */
    const uint8_t has2 = 2;
    cr_assert_eq(try_bytes(b, len, 100, &has2, 1), SCRM_ECORRUPT); /* own-brand flag */
    const uint8_t huge[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
    cr_assert_eq(try_bytes(b, len, 105, huge, 8), SCRM_ECORRUPT); /* day count */
    const uint8_t bigday[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
    cr_assert_eq(try_bytes(b, len, 113, bigday, 8), SCRM_ECORRUPT); /* day out of range */
    const uint8_t zeros[96] = {0};
    cr_assert_eq(try_bytes(b, len, 121, zeros, 96), SCRM_ECORRUPT); /* day with no rows */
    const uint8_t maxcnt[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    cr_assert_eq(try_bytes(b, len, 121 + 8, maxcnt, 8), SCRM_ECORRUPT); /* counts overflow */
    cr_assert_eq(try_bytes(b, len, 121 + 96, maxcnt, 8), SCRM_ECORRUPT); /* pos > rows */
    /* The last snapshot's follower count (just before the CRC) set to -1. */
    const uint8_t minus1[8] = {0, 0, 0, 0, 0, 0, 0xF0, 0xBF};
    cr_assert_eq(try_bytes(b, len, len - 12, minus1, 8), SCRM_ECORRUPT);
    /* Snapshot order: the first snapshot's channel set to all ones. */
    size_t snaps_at = len - 4 - 3 * 24;
    cr_assert_eq(b[snaps_at - 8], 3); /* three snapshots were kept */
    cr_assert_eq(try_bytes(b, len, snaps_at, maxcnt, 8), SCRM_ECORRUPT);
    /* Format version 2 and a foreign kind. */
    const uint8_t v2[2] = {2, 0}, nps[2] = {1, 0};
    cr_assert_eq(try_bytes(b, len, 6, v2, 2), SCRM_EVERSION);
    cr_assert_eq(try_bytes(b, len, 4, nps, 2), SCRM_ECORRUPT);
    /* Trailing bytes after a valid payload. */
    uint8_t *longer = malloc(len + 3);
    memcpy(longer, b, len - 4);
    memset(longer + len - 4, 0, 3);
    reseal(longer, len + 3);
    scrm_engagement *d = NULL;
    cr_assert_eq(scrm_engagement_deserialize(&d, longer, len + 3), SCRM_ECORRUPT);
    cr_assert_null(d);
    free(longer);
    free(b);
    scrm_engagement_free(e);
}

Test(engagement_props, crafted_sketch_and_sum_digits_are_rejected)
{
    /* One day, one talking row, no reach: the bytes after the day's counts are
     * reach sum (2 bytes: empty), impressions (2), sentiment (2), sketch flag,
     * 16 registers, then the snapshot count. */
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_DAY);
    o.hll_precision = 4;
    scrm_engagement *e = eng_new(&o);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_LIKE, 1, 7, 0, NAN, 0);
    size_t len;
    uint8_t *b = eng_bytes(e, &len);
    size_t regs = len - 4 - 8 - 16;
    cr_assert_eq(b[regs - 1], 1); /* sketch flag */
    cr_assert_eq(try_bytes(b, len, 0, b, 0), SCRM_OK);
    const uint8_t r62 = 62, zero16[16] = {0}, two = 2;
    cr_assert_eq(try_bytes(b, len, regs + 3, &r62, 1), SCRM_ECORRUPT); /* > q + 1 = 61 */
    cr_assert_eq(try_bytes(b, len, regs, zero16, 16), SCRM_ECORRUPT);  /* non-canonical */
    cr_assert_eq(try_bytes(b, len, regs - 1, &two, 1), SCRM_ECORRUPT);
    /* Sum header (first digit, count) = (66, 2): past the last digit. */
    const uint8_t past[2] = {66, 2}, off[2] = {5, 0};
    cr_assert_eq(try_bytes(b, len, regs - 7, past, 2), SCRM_ECORRUPT);
    cr_assert_eq(try_bytes(b, len, regs - 7, off, 2), SCRM_ECORRUPT);
    free(b);
    scrm_engagement_free(e);
}
