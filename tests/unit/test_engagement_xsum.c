/* Exact summation used by the engagement accumulator (src/kpi/engagement_xsum.c). */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/engagement_xsum.h"

static double xsum_of(const double *x, size_t n)
{
    scrm__xsum s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < n; i++)
        scrm__xsum_add(&s, x[i]);
    return scrm__xsum_value(&s);
}

Test(engagement_xsum, empty_and_zeros)
{
    cr_assert_eq(xsum_of(NULL, 0), 0.0);
    double z[] = {0.0, -0.0, 0.0};
    cr_assert_eq(xsum_of(z, 3), 0.0);
}

Test(engagement_xsum, cancellation_is_exact)
{
    double x[] = {1e16, 1.0, -1e16};
    cr_assert_eq(xsum_of(x, 3), 1.0);
    double y[] = {1e308, 1e-308, -1e308};
    cr_assert_eq(xsum_of(y, 3), 1e-308);
    double w[] = {DBL_MIN / 4, DBL_MIN / 4, -DBL_MIN / 8}; /* subnormals */
    cr_assert_eq(xsum_of(w, 3), 3 * (DBL_MIN / 8));
}

Test(engagement_xsum, correctly_rounded)
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

Test(engagement_xsum, every_digit_alignment_round_trips)
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

Test(engagement_xsum, overflow_gives_infinity)
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

Test(engagement_xsum, order_and_split_independent)
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

Test(engagement_xsum, lazy_carry_survives_many_additions)
{
    /* Enough additions to force normalizations inside the add path. */
    scrm__xsum s;
    memset(&s, 0, sizeof s);
    s.pending = SCRM__XSUM_PENDING_MAX - 10;
    for (int i = 0; i < 1000; i++)
        scrm__xsum_add(&s, 4294967295.0);
    cr_assert_eq(scrm__xsum_value(&s), 4294967295.0 * 1000);
}

Test(engagement_xsum, normalized_check)
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
