/* The accumulator protocol (include/scrm.h, "Accumulator protocol"), proven
 * once for every mergeable calculator. A new accumulator gets every check by
 * adding one row to `accumulators` below: an adapter that creates it, adds
 * rows [lo, hi) of a deterministic synthetic stream, merges, serializes,
 * deserializes and frees.
 *
 * Checks, per accumulator:
 * - merge of any split equals one pass: the canonical bytes after merging the
 *   parts of random splits, in several merge orders, equal the one-pass bytes;
 * - canonical round trip: deserialize then serialize gives the same bytes, and
 *   a too-small buffer gives SCRM_EBUFS with the size needed;
 * - every truncation and every single-bit flip is SCRM_ECORRUPT (*out NULL),
 *   another kind's bytes are SCRM_ECORRUPT, a newer format is SCRM_EVERSION;
 * - self-merge: merge(a, a) equals merge(a, copy of a);
 * - out-of-memory atomicity: add and merge failing at every allocation in turn
 *   return SCRM_ENOMEM and leave the accumulator byte for byte as it was. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/internal.h"
#include "scrm.h"

#define ROWS 600
#define CHUNK 64 /* adapters add in chunks of at most this many rows */

/* ---- the synthetic stream: row i is a pure function of i ---- */

static uint64_t row_hash(size_t i, uint64_t salt)
{
    uint64_t z = (uint64_t)i * 0x9E3779B97F4A7C15u + salt;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* A double with a full 52-bit fraction in [0, scale), so sums are inexact
 * in floating point and only an exact sum merges bit for bit. */
static double row_real(size_t i, uint64_t salt, double scale)
{
    return (double)(row_hash(i, salt) >> 11) * 0x1p-53 * scale;
}

#define T0 INT64_C(1704067200) /* 2024-01-01T00:00:00Z */

/* ---- adapters: one per accumulator ---- */

typedef struct conf_acc {
    const char *name;
    int (*create)(void **out);
    int (*add)(void *acc, size_t lo, size_t hi); /* rows lo..hi-1 */
    int (*merge)(void *acc, const void *other);
    int (*serialize)(const void *acc, uint8_t *buf, size_t cap, size_t *len);
    int (*deserialize)(void **out, const uint8_t *buf, size_t len);
    void (*free)(void *acc);
} conf_acc;

/* NPS */
static int nps_create(void **out) { return scrm_nps_new((scrm_nps **)out, NULL); }
static int nps_add(void *acc, size_t lo, size_t hi)
{
    double s[CHUNK];
    for (size_t i = lo; i < hi; i++)
        s[i - lo] = (double)(row_hash(i, 1) % 11);
    return scrm_nps_add_scores(acc, s, hi - lo);
}
static int nps_merge(void *a, const void *b) { return scrm_nps_merge(a, b); }
static int nps_ser(const void *a, uint8_t *buf, size_t cap, size_t *len)
{
    return scrm_nps_serialize(a, buf, cap, len);
}
static int nps_deser(void **out, const uint8_t *buf, size_t len)
{
    return scrm_nps_deserialize((scrm_nps **)out, buf, len);
}
static void nps_free(void *a) { scrm_nps_free(a); }

/* Engagement: users by 64-bit key, every kind, fractional reach and sentiment. */
static int eng_create(void **out)
{
    return scrm_engagement_new((scrm_engagement **)out, NULL);
}
static int eng_add(void *acc, size_t lo, size_t hi)
{
    int64_t t[CHUNK];
    uint64_t user[CHUNK];
    int32_t kind[CHUNK];
    double reach[CHUNK], impressions[CHUNK], sentiment[CHUNK];
    int8_t competitor[CHUNK];
    for (size_t i = lo; i < hi; i++) {
        size_t k = i - lo;
        uint64_t h = row_hash(i, 2);
        t[k] = T0 + (int64_t)(h % (400u * 86400u));
        user[k] = row_hash(h % 97, 3); /* 97 distinct users */
        kind[k] = (int32_t)(h % SCRM_ENGAGEMENT_KIND_COUNT);
        reach[k] = row_real(i, 4, 5000.0);
        impressions[k] = reach[k] + row_real(i, 5, 100.0);
        sentiment[k] = row_real(i, 6, 2.0) - 1.0;
        competitor[k] = (int8_t)(h % 5 == 0);
    }
    return scrm_engagement_add_keys(acc, t, user, kind, reach, impressions, sentiment,
                                    competitor, hi - lo);
}
static int eng_merge(void *a, const void *b) { return scrm_engagement_merge(a, b); }
static int eng_ser(const void *a, uint8_t *buf, size_t cap, size_t *len)
{
    return scrm_engagement_serialize(a, buf, cap, len);
}
static int eng_deser(void **out, const uint8_t *buf, size_t len)
{
    return scrm_engagement_deserialize((scrm_engagement **)out, buf, len);
}
static void eng_free(void *a) { scrm_engagement_free(a); }

/* RFM histogram: repeated (x, t_x, T) rows with integer weights (the exact case). */
static int rfm_create(void **out) { return scrm_rfm_hist_new((scrm_rfm_hist **)out, NULL); }
static int rfm_add(void *acc, size_t lo, size_t hi)
{
    double x[CHUNK], tx[CHUNK], T[CHUNK], w[CHUNK];
    for (size_t i = lo; i < hi; i++) {
        size_t k = i - lo;
        uint64_t h = row_hash(i, 9);
        T[k] = (double)(10 + h % 30);
        x[k] = (double)((h >> 8) % 6);
        tx[k] = x[k] == 0 ? 0.0 : (double)((h >> 16) % (uint64_t)T[k]);
        w[k] = (double)(1 + (h >> 32) % 4);
    }
    return scrm_rfm_hist_add(acc, x, tx, T, w, hi - lo);
}
static int rfm_merge(void *a, const void *b) { return scrm_rfm_hist_merge(a, b); }
static int rfm_ser(const void *a, uint8_t *buf, size_t cap, size_t *len)
{
    return scrm_rfm_hist_serialize(a, buf, cap, len);
}
static int rfm_deser(void **out, const uint8_t *buf, size_t len)
{
    return scrm_rfm_hist_deserialize((scrm_rfm_hist **)out, buf, len);
}
static void rfm_free(void *a) { scrm_rfm_hist_free(a); }

static const conf_acc accumulators[] = {
    { "nps", nps_create, nps_add, nps_merge, nps_ser, nps_deser, nps_free },
    { "engagement", eng_create, eng_add, eng_merge, eng_ser, eng_deser, eng_free },
    { "rfm_hist", rfm_create, rfm_add, rfm_merge, rfm_ser, rfm_deser, rfm_free },
};
#define N_ACC (sizeof accumulators / sizeof accumulators[0])

/* Every check runs once per row of `accumulators`. */
#define ACC_PARAMS(test)                                                          \
    ParameterizedTestParameters(conformance, test)                               \
    {                                                                            \
        static size_t idx[N_ACC];                                                \
        for (size_t i = 0; i < N_ACC; i++)                                       \
            idx[i] = i;                                                          \
        return cr_make_param_array(size_t, idx, N_ACC);                          \
    }

/* ---- helpers over an adapter ---- */

typedef struct bytes {
    uint8_t *p;
    size_t len;
} bytes;

static void add_rows(const conf_acc *a, void *acc, size_t lo, size_t hi)
{
    for (size_t at = lo; at < hi; at += CHUNK) {
        size_t end = hi - at < CHUNK ? hi : at + CHUNK;
        cr_assert_eq(a->add(acc, at, end), SCRM_OK, "%s: add: %s", a->name,
                     scrm_last_error_message());
    }
}

static void *build(const conf_acc *a, size_t lo, size_t hi)
{
    void *acc = NULL;
    cr_assert_eq(a->create(&acc), SCRM_OK, "%s: new: %s", a->name, scrm_last_error_message());
    add_rows(a, acc, lo, hi);
    return acc;
}

static bytes to_bytes(const conf_acc *a, const void *acc)
{
    bytes b = { NULL, 0 };
    cr_assert_eq(a->serialize(acc, NULL, 0, &b.len), SCRM_EBUFS, "%s: measure", a->name);
    b.p = malloc(b.len);
    cr_assert(b.p);
    size_t len = 0;
    cr_assert_eq(a->serialize(acc, b.p, b.len, &len), SCRM_OK, "%s: serialize: %s", a->name,
                 scrm_last_error_message());
    cr_assert_eq(len, b.len);
    return b;
}

static void expect_same(const conf_acc *a, bytes got, bytes want, const char *what)
{
    cr_assert_eq(got.len, want.len, "%s: %s: %zu bytes, one pass %zu", a->name, what, got.len,
                 want.len);
    cr_assert(memcmp(got.p, want.p, got.len) == 0, "%s: %s: bytes differ from one pass",
              a->name, what);
}

static bytes one_pass(const conf_acc *a)
{
    void *acc = build(a, 0, ROWS);
    bytes b = to_bytes(a, acc);
    a->free(acc);
    return b;
}

ACC_PARAMS(split_merge)

/* Merge of any split equals one pass: k parts at seeded cut points, merged
 * left to right, right to left and as a balanced tree. */
ParameterizedTest(size_t *i, conformance, split_merge)
{
    const conf_acc *a = &accumulators[*i];
    bytes want = one_pass(a);
    for (uint64_t trial = 0; trial < 12; trial++) {
        size_t k = 2 + (size_t)(row_hash(trial, 10) % 6), cut[9];
        cut[0] = 0;
        cut[k] = ROWS;
        for (size_t j = 1; j < k; j++) /* sorted cut points, empty parts allowed */
            cut[j] = cut[j - 1] + (size_t)(row_hash(trial * 16 + j, 11) % (ROWS - cut[j - 1] + 1));
        void *part[8];
        for (size_t j = 0; j < k; j++)
            part[j] = build(a, cut[j], cut[j + 1]);
        int order = (int)(trial % 3);
        if (order == 0) { /* left fold */
            for (size_t j = 1; j < k; j++)
                cr_assert_eq(a->merge(part[0], part[j]), SCRM_OK, "%s", scrm_last_error_message());
            bytes got = to_bytes(a, part[0]);
            expect_same(a, got, want, "left fold");
            free(got.p);
        } else if (order == 1) { /* right to left, into the last part */
            for (size_t j = k - 1; j-- > 0;)
                cr_assert_eq(a->merge(part[k - 1], part[j]), SCRM_OK, "%s",
                             scrm_last_error_message());
            bytes got = to_bytes(a, part[k - 1]);
            expect_same(a, got, want, "right fold");
            free(got.p);
        } else { /* balanced tree */
            for (size_t step = 1; step < k; step *= 2)
                for (size_t j = 0; j + step < k; j += 2 * step)
                    cr_assert_eq(a->merge(part[j], part[j + step]), SCRM_OK, "%s",
                                 scrm_last_error_message());
            bytes got = to_bytes(a, part[0]);
            expect_same(a, got, want, "tree");
            free(got.p);
        }
        for (size_t j = 0; j < k; j++)
            a->free(part[j]);
    }
    free(want.p);
}

ACC_PARAMS(round_trip)

/* Canonical round trip; a short buffer is SCRM_EBUFS with the size needed;
 * an empty accumulator round-trips too. */
ParameterizedTest(size_t *i, conformance, round_trip)
{
    const conf_acc *a = &accumulators[*i];
    for (int empty = 0; empty < 2; empty++) {
        void *acc = build(a, 0, empty ? 0 : ROWS);
        bytes b = to_bytes(a, acc);
        size_t len = 0;
        uint8_t *shorter = malloc(b.len - 1);
        cr_assert(shorter);
        cr_assert_eq(a->serialize(acc, shorter, b.len - 1, &len), SCRM_EBUFS, "%s", a->name);
        cr_assert_eq(len, b.len, "%s: EBUFS reports %zu, needs %zu", a->name, len, b.len);
        free(shorter);
        void *back = NULL;
        cr_assert_eq(a->deserialize(&back, b.p, b.len), SCRM_OK, "%s: %s", a->name,
                     scrm_last_error_message());
        bytes again = to_bytes(a, back);
        expect_same(a, again, b, "round trip");
        free(again.p);
        free(b.p);
        a->free(back);
        a->free(acc);
    }
}

ACC_PARAMS(corruption)

static void expect_refused(const conf_acc *a, const uint8_t *p, size_t len, int code,
                           const char *what, size_t at)
{
    void *out = (void *)&out; /* must be reset to NULL */
    int rc = a->deserialize(&out, p, len);
    cr_assert_eq(rc, code, "%s: %s at %zu: status %d (%s), expected %d", a->name, what, at, rc,
                 scrm_last_error_message(), code);
    cr_assert_null(out, "%s: %s at %zu: *out not NULL", a->name, what, at);
    cr_assert_eq(scrm_last_error_code(), code, "%s: last error code", a->name);
}

/* States up to FLIP_ALL bytes get every bit flipped; larger ones (engagement
 * keeps a HyperLogLog per period) every bit of the first and last FLIP_ALL / 2
 * bytes (header, options, trailer) and one seeded byte in every 256 between,
 * each of its 8 bits: the checksum is what refuses them, so the point is that
 * no parser reads a field before the checksum has been verified. */
#define FLIP_ALL 4096
static int flip_checked(size_t byte, size_t len)
{
    if (len <= FLIP_ALL || byte < FLIP_ALL / 2 || byte >= len - FLIP_ALL / 2)
        return 1;
    return byte % 256 == row_hash(byte / 256, 12) % 256;
}

/* Every truncation, every single-bit flip, another kind's bytes, a newer format. */
ParameterizedTest(size_t *i, conformance, corruption)
{
    const conf_acc *a = &accumulators[*i];
    void *acc = build(a, 0, 40);
    bytes b = to_bytes(a, acc);
    a->free(acc);
    for (size_t len = 0; len < b.len; len++)
        expect_refused(a, b.p, len, SCRM_ECORRUPT, "truncation", len);
    uint8_t *c = malloc(b.len);
    cr_assert(c);
    /* Bit flips on a state of 3 rows: CRC-32 costs a pass over the whole
     * string per flip, and an engagement state holds a sketch per period. */
    acc = build(a, 0, 3);
    free(b.p);
    b = to_bytes(a, acc);
    a->free(acc);
    memcpy(c, b.p, b.len);
    for (size_t bit = 0; bit < b.len * 8; bit++) {
        if (!flip_checked(bit / 8, b.len))
            continue;
        c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        expect_refused(a, c, b.len, SCRM_ECORRUPT, "bit flip", bit);
        c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    /* Another accumulator's bytes (with a valid checksum) are refused. */
    const conf_acc *other = &accumulators[(*i + 1) % N_ACC];
    void *o = build(other, 0, 10);
    bytes ob = to_bytes(other, o);
    other->free(o);
    expect_refused(a, ob.p, ob.len, SCRM_ECORRUPT, "another kind", 0);
    free(ob.p);
    /* A format version from the future, checksum fixed up: SCRM_EVERSION. */
    memcpy(c, b.p, b.len);
    c[6] = 0xFF; /* u16 version at offset 6, little-endian */
    c[7] = 0x7F;
    uint32_t crc = scrm__crc32(c, b.len - 4);
    for (int k = 0; k < 4; k++)
        c[b.len - 4 + (size_t)k] = (uint8_t)(crc >> (8 * k));
    expect_refused(a, c, b.len, SCRM_EVERSION, "newer format", 0);
    free(c);
    free(b.p);
}

ACC_PARAMS(self_merge)

/* merge(a, a) equals merge(a, copy of a). */
ParameterizedTest(size_t *i, conformance, self_merge)
{
    const conf_acc *a = &accumulators[*i];
    void *x = build(a, 0, ROWS), *y = build(a, 0, ROWS), *copy = build(a, 0, ROWS);
    cr_assert_eq(a->merge(x, x), SCRM_OK, "%s: self-merge: %s", a->name,
                 scrm_last_error_message());
    cr_assert_eq(a->merge(y, copy), SCRM_OK, "%s", scrm_last_error_message());
    bytes bx = to_bytes(a, x), by = to_bytes(a, y);
    expect_same(a, bx, by, "self-merge");
    free(bx.p);
    free(by.p);
    a->free(x);
    a->free(y);
    a->free(copy);
}

ACC_PARAMS(oom_atomic)

/* Fail the N-th allocation of an add (new rows: new users, groups, periods)
 * and of a merge, for N = 0, 1, ... until the call succeeds: every failure is
 * SCRM_ENOMEM and leaves the accumulator as it was; the success equals a run
 * without injection. */
ParameterizedTest(size_t *i, conformance, oom_atomic)
{
    const conf_acc *a = &accumulators[*i];
    void *donor = build(a, 120, 240);
    for (int op = 0; op < 2; op++) { /* 0: add rows 120..183, 1: merge rows 120..239 */
        void *clean = build(a, 0, 120);
        if (op == 0)
            cr_assert_eq(a->add(clean, 120, 120 + CHUNK), SCRM_OK);
        else
            cr_assert_eq(a->merge(clean, donor), SCRM_OK);
        bytes want = to_bytes(a, clean);
        a->free(clean);
        for (int persistent = 0; persistent < 2; persistent++) {
            for (long n = 0;; n++) {
                cr_assert_lt(n, 100000, "%s: no success after 100000 injections", a->name);
                void *acc = build(a, 0, 120);
                bytes before = to_bytes(a, acc);
                scrm__alloc_fail_after(n, persistent);
                int rc = op == 0 ? a->add(acc, 120, 120 + CHUNK) : a->merge(acc, donor);
                unsigned long injected = scrm__alloc_injected();
                scrm__alloc_fail_after(-1, 0);
                bytes after = to_bytes(a, acc);
                a->free(acc);
                if (rc == SCRM_OK) {
                    expect_same(a, after, want, "success under injection");
                    free(before.p);
                    free(after.p);
                    if (injected == 0)
                        break; /* the countdown was never reached: every path covered */
                    continue;
                }
                cr_assert_eq(rc, SCRM_ENOMEM, "%s: %s failing allocation %ld: status %d (%s)",
                             a->name, op ? "merge" : "add", n, rc, scrm_last_error_message());
                expect_same(a, after, before, op ? "failed merge changed the state"
                                                 : "failed add changed the state");
                free(before.p);
                free(after.p);
            }
        }
        free(want.p);
    }
    a->free(donor);
}
