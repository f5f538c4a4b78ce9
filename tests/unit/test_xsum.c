/* Exact summation (src/num/xsum.c) and its one wire encoding. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num/xsum.h"

static double xsum_of(const double *x, size_t n)
{
    scrm__xsum s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < n; i++)
        scrm__xsum_add(&s, x[i]);
    return scrm__xsum_value(&s);
}

Test(xsum, empty_and_zeros)
{
    cr_assert_eq(xsum_of(NULL, 0), 0.0);
    double z[] = {0.0, -0.0, 0.0};
    cr_assert_eq(xsum_of(z, 3), 0.0);
}

Test(xsum, cancellation_is_exact)
{
    double x[] = {1e16, 1.0, -1e16};
    cr_assert_eq(xsum_of(x, 3), 1.0);
    double y[] = {1e308, 1e-308, -1e308};
    cr_assert_eq(xsum_of(y, 3), 1e-308);
    double w[] = {DBL_MIN / 4, DBL_MIN / 4, -DBL_MIN / 8}; /* subnormals */
    cr_assert_eq(xsum_of(w, 3), 3 * (DBL_MIN / 8));
}

Test(xsum, correctly_rounded)
{
    /* Ten copies of double(0.1) sum exactly to 1.0000000000000000555..., whose
     * nearest double is 1.0; naive summation gives 0.9999999999999999. */
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = 0.1;
    cr_assert_eq(xsum_of(x, 10), 1.0);
    /* 1 + 2^-53 is a tie between 1 and 1 + 2^-52: round half to even gives 1;
     * one more tiny bit breaks the tie upwards. */
    double t[] = {1.0, ldexp(1.0, -53)};
    cr_assert_eq(xsum_of(t, 2), 1.0);
    double u[] = {1.0, ldexp(1.0, -53), ldexp(1.0, -1000)};
    cr_assert_eq(xsum_of(u, 3), 1.0 + ldexp(1.0, -52));
    double v[] = {-1.0, -ldexp(1.0, -53), -ldexp(1.0, -1000)};
    cr_assert_eq(xsum_of(v, 3), -(1.0 + ldexp(1.0, -52)));
}

Test(xsum, every_digit_alignment_round_trips)
{
    /* A single value must come back unchanged whatever its bit position
     * within a 32-bit digit (the top digit holds 1..32 significant bits). */
    double x = 1.0 + ldexp(1.0, -52);
    for (int ex = -1074; ex <= 1023; ex++) {
        double v = ldexp(x, ex);
        if (v == 0 || isinf(v))
            continue;
        double a[1] = {v}, b[1] = {-v};
        cr_assert_eq(xsum_of(a, 1), v, "2^%d: %a", ex, xsum_of(a, 1));
        cr_assert_eq(xsum_of(b, 1), -v, "-2^%d", ex);
        double p[1] = {ldexp(1.0, ex)};
        cr_assert_eq(xsum_of(p, 1), p[0], "power 2^%d", ex);
    }
    double c[1] = {12000.0};
    cr_assert_eq(xsum_of(c, 1), 12000.0);
}

Test(xsum, overflow_gives_infinity)
{
    double x[] = {DBL_MAX, DBL_MAX};
    cr_assert(isinf(xsum_of(x, 2)) && xsum_of(x, 2) > 0);
    double y[] = {-DBL_MAX, -DBL_MAX, DBL_MAX};
    cr_assert_eq(xsum_of(y, 3), -DBL_MAX);
}

static double urand(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (double)(*state >> 8) / 16777216.0;
}

Test(xsum, order_and_split_independent)
{
    enum { N = 5000 };
    double *x = malloc(N * sizeof *x);
    unsigned st = 7;
    for (int i = 0; i < N; i++)
        x[i] = (urand(&st) - 0.5) * pow(10.0, (int)(urand(&st) * 30) - 15);
    double one = xsum_of(x, N);
    /* Reverse order. */
    scrm__xsum r;
    memset(&r, 0, sizeof r);
    for (int i = N - 1; i >= 0; i--)
        scrm__xsum_add(&r, x[i]);
    cr_assert_eq(scrm__xsum_value(&r), one);
    /* Any split merged. */
    for (int cut = 0; cut <= N; cut += 1237) {
        scrm__xsum a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        for (int i = 0; i < cut; i++)
            scrm__xsum_add(&a, x[i]);
        for (int i = cut; i < N; i++)
            scrm__xsum_add(&b, x[i]);
        scrm__xsum_merge(&b, &a);
        cr_assert_eq(scrm__xsum_value(&b), one);
        scrm__xsum_normalize(&b);
        scrm__xsum_normalize(&r);
        cr_assert(scrm__xsum_is_normalized(&b));
        cr_assert_eq(memcmp(b.d, r.d, sizeof b.d), 0, "canonical form differs at cut %d", cut);
    }
    free(x);
}

Test(xsum, lazy_carry_survives_many_additions)
{
    /* Enough additions to force normalizations inside the add path. */
    scrm__xsum s;
    memset(&s, 0, sizeof s);
    s.pending = SCRM__XSUM_PENDING_MAX - 10;
    for (int i = 0; i < 1000; i++)
        scrm__xsum_add(&s, 4294967295.0);
    cr_assert_eq(scrm__xsum_value(&s), 4294967295.0 * 1000);
}

Test(xsum, normalized_check)
{
    scrm__xsum s;
    memset(&s, 0, sizeof s);
    cr_assert(scrm__xsum_is_normalized(&s));
    s.d[3] = -1;
    cr_assert_not(scrm__xsum_is_normalized(&s));
    s.d[3] = INT64_C(4294967296);
    cr_assert_not(scrm__xsum_is_normalized(&s));
    s.d[3] = 0;
    s.d[SCRM__XSUM_N - 1] = -5; /* the top digit carries the sign */
    cr_assert(scrm__xsum_is_normalized(&s));
}

/* Encode s, decode it, and return the decoded accumulator; the bytes must be
 * consumed exactly. */
static scrm__xsum round_trip(const scrm__xsum *s, size_t *nbytes)
{
    uint8_t buf[2 + 4 * SCRM__XSUM_N];
    scrm__writer w;
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__xsum_write(&w, s);
    cr_assert_leq(w.len, sizeof buf);
    scrm__reader r = {buf, w.len, 0, false};
    scrm__xsum back;
    cr_assert_eq(scrm__xsum_read(&r, &back, "test"), SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_eq(r.pos, w.len);
    *nbytes = w.len;
    return back;
}

Test(xsum, wire_round_trip_keeps_the_exact_value)
{
    const double cases[][3] = {
        {0.0, 0.0, 0.0},          {1.0, 0.0, 0.0},         {-1.0, 0.0, 0.0},
        {1e16, 1.0, -1e16},       {DBL_MIN / 8, 3.0, 0.0}, {-DBL_MAX, -DBL_MAX, 1e-300},
        {DBL_MAX, DBL_MAX, 1.0},  {0.1, 0.2, 0.3},         {-5e-324, 1e300, -1e300},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        scrm__xsum s;
        memset(&s, 0, sizeof s);
        for (int k = 0; k < 3; k++)
            scrm__xsum_add(&s, cases[c][k]);
        size_t n;
        scrm__xsum back = round_trip(&s, &n);
        scrm__xsum norm = s;
        scrm__xsum_normalize(&norm);
        cr_assert_eq(memcmp(back.d, norm.d, sizeof norm.d), 0, "case %zu", c);
        double v = scrm__xsum_value(&s), bv = scrm__xsum_value(&back);
        cr_assert(v == bv || (isnan(v) && isnan(bv)), "case %zu: %g vs %g", c, v, bv);
        cr_assert_eq(scrm__xsum_negative(&back), scrm__xsum_negative(&s));
    }
    scrm__xsum z;
    memset(&z, 0, sizeof z);
    size_t n;
    round_trip(&z, &n);
    cr_assert_eq(n, 2, "zero is two bytes");
}

Test(xsum, wire_bytes_are_canonical_across_splits)
{
    double x[200];
    for (int i = 0; i < 200; i++)
        x[i] = ldexp((i % 7) - 3.0, (i * 37) % 200 - 100);
    scrm__xsum one, a, b;
    memset(&one, 0, sizeof one);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    for (int i = 0; i < 200; i++) {
        scrm__xsum_add(&one, x[i]);
        scrm__xsum_add(i % 3 ? &a : &b, x[i]);
    }
    scrm__xsum_merge(&a, &b);
    uint8_t b1[512], b2[512];
    scrm__writer w1, w2;
    scrm__writer_init(&w1, b1, sizeof b1);
    scrm__writer_init(&w2, b2, sizeof b2);
    scrm__xsum_write(&w1, &one);
    scrm__xsum_write(&w2, &a);
    cr_assert_eq(w1.len, w2.len);
    cr_assert_eq(memcmp(b1, b2, w1.len), 0);
}

static int read_bytes(const uint8_t *p, size_t n)
{
    scrm__reader r = {p, n, 0, false};
    scrm__xsum s;
    return scrm__xsum_read(&r, &s, "scrm_test_read");
}

Test(xsum, wire_refuses_non_canonical_or_truncated_bytes)
{
    static const struct {
        uint8_t b[10];
        size_t n;
        int want;
    } cases[] = {
        {{3, 1, 5, 0, 0, 0}, 6, SCRM_OK},                  /* one digit */
        {{3, 0}, 2, SCRM_ECORRUPT},                        /* empty with an offset */
        {{66, 2, 1, 0, 0, 0, 1, 0, 0, 0}, 10, SCRM_ECORRUPT}, /* past the top digit */
        {{3, 2, 0, 0, 0, 0, 1, 0, 0, 0}, 10, SCRM_ECORRUPT},  /* first digit zero */
        {{3, 2, 1, 0, 0, 0, 0, 0, 0, 0}, 10, SCRM_ECORRUPT},  /* last digit zero */
        {{3}, 1, SCRM_ECORRUPT},                           /* header cut */
        {{3, 2, 1, 0, 0, 0, 1}, 7, SCRM_ECORRUPT},         /* digits cut */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_assert_eq(read_bytes(cases[i].b, cases[i].n), cases[i].want, "case %zu", i);
    cr_assert_str_eq(scrm_last_error_message(), "scrm_test_read: exact sum: truncated");
}

Test(xsum, wire_top_digit_is_signed)
{
    /* Top digit -1 alone: the exact value -2^1038, -inf as a double. */
    const uint8_t neg[] = {SCRM__XSUM_N - 1, 1, 0xFF, 0xFF, 0xFF, 0xFF};
    scrm__reader r = {neg, sizeof neg, 0, false};
    scrm__xsum s;
    cr_assert_eq(scrm__xsum_read(&r, &s, "t"), SCRM_OK);
    cr_assert_eq(s.d[SCRM__XSUM_N - 1], -1);
    cr_assert(scrm__xsum_negative(&s));
    cr_assert(isinf(scrm__xsum_value(&s)) && scrm__xsum_value(&s) < 0);
    size_t n;
    scrm__xsum back = round_trip(&s, &n);
    cr_assert_eq(back.d[SCRM__XSUM_N - 1], -1);
}
