/* Helpers shared by the engagement test suites. */
#ifndef TEST_ENGAGEMENT_UTIL_H
#define TEST_ENGAGEMENT_UTIL_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"

#define DAY ((int64_t)SCRM_SECONDS_PER_DAY)
/* 2024-01-01T00:00:00Z, a Monday. */
#define T0 INT64_C(1704067200)

static inline scrm_engagement *eng_new(const scrm_engagement_options *o)
{
    scrm_engagement *e = NULL;
    int rc = scrm_engagement_new(&e, o);
    cr_assert_eq(rc, SCRM_OK, "scrm_engagement_new: %s", scrm_last_error_message());
    return e;
}

static inline scrm_engagement_options eng_opts(int32_t period)
{
    scrm_engagement_options o = SCRM_ENGAGEMENT_OPTIONS_INIT;
    o.period = period;
    return o;
}

/* Add `n` rows of one kind on one day for users key0 .. key0+n-1. */
static inline void eng_add_same(scrm_engagement *e, int64_t t, int32_t kind, size_t n,
                                uint64_t key0, double reach, double sent, int8_t comp)
{
    int64_t *ts = malloc((n ? n : 1) * sizeof *ts);
    uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
    int32_t *kinds = malloc((n ? n : 1) * sizeof *kinds);
    double *r = malloc((n ? n : 1) * sizeof *r), *s = malloc((n ? n : 1) * sizeof *s);
    int8_t *c = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        ts[i] = t;
        keys[i] = key0 + i;
        kinds[i] = kind;
        r[i] = reach;
        s[i] = sent;
        c[i] = comp;
    }
    int rc = scrm_engagement_add_keys(e, ts, keys, kinds, r, NULL, s, c, n);
    cr_assert_eq(rc, SCRM_OK, "add_keys: %s", scrm_last_error_message());
    free(ts), free(keys), free(kinds), free(r), free(s), free(c);
}

static inline uint8_t *eng_bytes(const scrm_engagement *e, size_t *len)
{
    size_t need = 0;
    cr_assert_eq(scrm_engagement_serialize(e, NULL, 0, &need), SCRM_EBUFS);
    uint8_t *buf = malloc(need);
    cr_assert_eq(scrm_engagement_serialize(e, buf, need, len), SCRM_OK);
    cr_assert_eq(*len, need);
    return buf;
}

/* Bitwise equality of doubles (NaN == NaN with the same bits). */
static inline int same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static inline void assert_same_result(const scrm_engagement_result *a,
                                      const scrm_engagement_result *b, const char *what)
{
    cr_assert_eq(a->start, b->start, "%s: start", what);
    cr_assert_eq(a->end, b->end, "%s: end", what);
    cr_assert_eq(a->rows, b->rows, "%s: rows", what);
    cr_assert_eq(memcmp(a->counts, b->counts, sizeof a->counts), 0, "%s: counts", what);
    cr_assert_eq(memcmp(a->competitor_counts, b->competitor_counts, sizeof a->counts), 0,
                 "%s: competitor counts", what);
    cr_assert_eq(a->engagements, b->engagements, "%s: engagements", what);
    cr_assert_eq(a->positive, b->positive, "%s", what);
    cr_assert_eq(a->neutral, b->neutral, "%s", what);
    cr_assert_eq(a->negative, b->negative, "%s", what);
    cr_assert_eq(a->unscored, b->unscored, "%s", what);
    cr_assert_eq(a->own_mentions, b->own_mentions, "%s", what);
    cr_assert_eq(a->competitor_mentions, b->competitor_mentions, "%s", what);
    const double *x = &a->reach, *y = &b->reach;
    size_t nd = (size_t)(&a->growth_followers - &a->reach) + 1;
    for (size_t i = 0; i < nd; i++)
        cr_assert(same_double(x[i], y[i]), "%s: double field %zu: %.17g vs %.17g", what, i, x[i],
                  y[i]);
    cr_assert_eq(a->valid, b->valid, "%s: valid 0x%x vs 0x%x", what, a->valid, b->valid);
}

#endif
