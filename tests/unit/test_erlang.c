/* Erlang B / C and staffing (src/kpi/erlang.c).
 *
 * Reference values: "mpmath" = direct sums of the Erlang C formula in 50-digit
 * arithmetic (mpmath 1.3, sums of A^k/k! built term by term), which agree
 * with every printed source value below to the digits printed. Tolerances:
 * 1e-13 relative against mpmath for N <= 100, 1e-11 for thousands of agents
 * (a few ulp per recursion step cannot add up beyond that), and half a unit
 * of the last printed digit against printed values. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "scrm.h"

#define REL(a, b, tol) cr_assert(fabs((a) - (b)) <= (tol) * fabs(b), "%.17g vs %.17g", (a), (b))
#define ABS(a, b, tol) cr_assert(fabs((a) - (b)) <= (tol), "%.17g vs %.17g", (a), (b))

static scrm_erlang_result erl(double rate, double aht, uint32_t n, double t)
{
    scrm_erlang_result r;
    cr_assert_eq(scrm_erlang_c(rate, aht, n, t, &r), SCRM_OK, "%s", scrm_last_error_message());
    return r;
}

/* ERL-1: pyworkforce README (rodrigo-arenas/pyworkforce): 100 transactions per
 * 30 min, AHT 3 min, target 20 s -> 14 agents: service_level 0.8884,
 * occupancy 0.7143, waiting_probability 0.1741. */
Test(erlang, pyworkforce_readme_14_agents)
{
    scrm_erlang_result r = erl(100.0 / 1800.0, 180.0, 14, 20.0);
    REL(r.offered_load, 10.0, 1e-15);
    cr_assert_eq(r.agents, 14);
    REL(r.wait_probability, 0.17413193359504984264, 1e-13);
    REL(r.service_level, 0.88835001917946688425, 1e-13);
    REL(r.asa, 7.8359370117772429190, 1e-13);
    REL(r.mean_wait_delayed, 180.0 / 4.0, 1e-15);
    REL(r.occupancy, 10.0 / 14.0, 1e-15);
    REL(r.log_wait_probability, log(0.17413193359504984264), 1e-13);
    ABS(r.wait_probability, 0.1741, 5e-5);
    ABS(r.service_level, 0.8884, 5e-5);
    ABS(r.occupancy, 0.7143, 5e-5);
}

/* ERL-2: 360 calls per 30 min, AHT 240 s, 55 agents, 15 s (METRICS.md 5.4). */
Test(erlang, metrics_md_erl2)
{
    scrm_erlang_result r = erl(360.0 / 1800.0, 240.0, 55, 15.0);
    REL(r.offered_load, 48.0, 1e-15);
    REL(r.wait_probability, 0.23870093637800921875, 1e-13);
    REL(r.asa, 8.1840321043888874999, 1e-13);
    REL(r.service_level, 0.84588309217058033912, 1e-13);
    REL(r.occupancy, 48.0 / 55.0, 1e-15);
}

/* ERL-3 and the Mathematica ErlangC documentation examples: C(3 servers,
 * 2 Erlangs) = 4/9; 30 calls/h of 5 min (a = 2.5): 5 servers 0.13037,
 * 6 servers 0.047445. */
Test(erlang, mathematica_examples)
{
    REL(erl(2.0, 1.0, 3, 0.0).wait_probability, 4.0 / 9.0, 1e-14);
    scrm_erlang_result r5 = erl(30.0 / 60.0, 5.0, 5, 0.0), r6 = erl(30.0 / 60.0, 5.0, 6, 0.0);
    ABS(r5.wait_probability, 0.13037, 5e-6);
    ABS(r6.wait_probability, 0.047445, 5e-7);
    REL(r5.wait_probability, 0.13037129745515227368, 1e-13);
    REL(r6.wait_probability, 0.047444812194455409468, 1e-13);
    /* At t = 0 the service level is the probability of no wait. */
    REL(r6.service_level, 1.0 - r6.wait_probability, 1e-15);
}

/* Erlang C table ("Table C", traffic in Erlangs for a probability of queueing,
 * A printed to 2 decimals): 8 channels at P = 0.05 carry A = 3.87; 10
 * channels at P = 0.01 carry A = 4.08. A rounded to +-0.005 moves P by less
 * than 0.0006 and 0.0001 here, the tolerances. */
Test(erlang, printed_erlang_c_table)
{
    ABS(erl(3.87, 1.0, 8, 0.0).wait_probability, 0.05, 6e-4);
    ABS(erl(4.08, 1.0, 10, 0.0).wait_probability, 0.01, 1e-4);
    REL(erl(3.87, 1.0, 8, 0.0).wait_probability, 0.050085127387598769191, 1e-13);
    REL(erl(4.08, 1.0, 10, 0.0).wait_probability, 0.010051746700122268239, 1e-13);
}

/* Hundreds and thousands of agents. Printed values (4 decimals) from a public
 * staffing test suite (erlang_c(123, 132) = 0.3211, (12345, 12421) = 0.3812,
 * erlang_b(123, 132) = 0.0312); mpmath for the full digits. */
Test(erlang, many_agents)
{
    scrm_erlang_result r = erl(123.0, 1.0, 132, 0.0);
    ABS(r.wait_probability, 0.3211, 5e-5);
    REL(r.wait_probability, 0.32111617926170744248, 1e-12);
    r = erl(12345.0, 1.0, 12421, 0.0);
    ABS(r.wait_probability, 0.3812, 5e-5);
    REL(r.wait_probability, 0.38122501506175140381, 1e-11);
    REL(r.log_wait_probability, -0.964365487472238, 1e-11);
    double b;
    cr_assert_eq(scrm_erlang_b(123.0, 132, &b), SCRM_OK);
    ABS(b, 0.0312, 5e-5);
    REL(b, 0.031242821046996372663, 1e-12);
    r = erl(500.5, 1.0, 520, 0.0);
    REL(r.wait_probability, 0.28538865000515375311, 1e-12);
}

/* ln C where C is tiny; values from Mathematica as quoted in a public
 * capacity-planning test suite (ln C(90, 100) = -1.52813224460,
 * ln C(9000, 10000) = -56.8266885378, ln C(10, 100) = -143.375505741,
 * ln C(100, 10000) = -36157.2159266), confirmed with mpmath. The last
 * underflows double (C ~ 1e-15703): only the log survives. */
Test(erlang, log_wait_probability_beyond_double_range)
{
    REL(erl(90.0, 1.0, 100, 0.0).log_wait_probability, -1.52813224460122, 1e-12);
    REL(erl(9000.0, 1.0, 10000, 0.0).log_wait_probability, -56.826688537795061, 1e-11);
    REL(erl(10.0, 1.0, 100, 0.0).log_wait_probability, -143.3755057405011, 1e-12);
    REL(erl(1000.0, 1.0, 1500, 0.0).log_wait_probability, -111.67465415588302, 1e-11);
    scrm_erlang_result r = erl(100.0, 1.0, 10000, 30.0);
    REL(r.log_wait_probability, -36157.215926597586, 1e-11);
    cr_assert_eq(r.wait_probability, 0.0);
    cr_assert_eq(r.service_level, 1.0);
    cr_assert_eq(r.asa, 0.0);
}

Test(erlang, erlang_b_edges)
{
    double b;
    cr_assert_eq(scrm_erlang_b(5.0, 0, &b), SCRM_OK);
    cr_assert_eq(b, 1.0);
    cr_assert_eq(scrm_erlang_b(0.0, 3, &b), SCRM_OK);
    cr_assert_eq(b, 0.0);
    cr_assert_eq(scrm_erlang_b(1.0, 1, &b), SCRM_OK);
    REL(b, 0.5, 1e-16); /* A / (1 + A) */
    cr_assert_eq(scrm_erlang_b(200.0, 10000, &b), SCRM_OK);
    cr_assert_eq(b, 0.0); /* ln B = -29325.75: underflows, does not overflow */
    cr_assert_eq(scrm_erlang_b(12000.0, 10000, &b), SCRM_OK);
    REL(log(b), -1.78927734648935, 1e-11); /* Mathematica value quoted above */
}

Test(erlang, zero_arrivals)
{
    scrm_erlang_result r = erl(0.0, 60.0, 1, 10.0);
    cr_assert_eq(r.wait_probability, 0.0);
    cr_assert_eq(r.service_level, 1.0);
    cr_assert_eq(r.asa, 0.0);
    cr_assert_eq(r.occupancy, 0.0);
    cr_assert(isinf(r.log_wait_probability) && r.log_wait_probability < 0);
}

/* More agents never hurt: P_w and ASA fall, the service level rises. */
Test(erlang, monotonic_in_agents)
{
    const double loads[] = {0.3, 1.0, 7.5, 48.0, 240.0, 999.9};
    for (size_t i = 0; i < sizeof loads / sizeof *loads; i++) {
        double a = loads[i];
        uint32_t n0 = (uint32_t)floor(a) + 1;
        scrm_erlang_result prev = erl(a, 1.0, n0, 0.2);
        for (uint32_t n = n0 + 1; n < n0 + 60; n++) {
            scrm_erlang_result r = erl(a, 1.0, n, 0.2);
            cr_assert(r.wait_probability <= prev.wait_probability, "A=%g N=%u", a, n);
            cr_assert(r.service_level >= prev.service_level, "A=%g N=%u", a, n);
            cr_assert(r.asa <= prev.asa, "A=%g N=%u", a, n);
            cr_assert(r.wait_probability >= 0 && r.wait_probability <= 1);
            cr_assert(r.service_level >= 0 && r.service_level <= 1);
            REL(r.occupancy, a / n, 1e-15);
            if (r.wait_probability > 1e-250)
                REL(r.log_wait_probability, log(r.wait_probability), 1e-12);
            prev = r;
        }
    }
}

/* The log-space recursion (used where B < 1e-280) continues the double one
 * smoothly: for B this small, B(N+1) = A B(N) / (N + 1) to double precision,
 * so ln C(N+1) - ln C(N) = ln(A / (N+1)) + ln((N+1) / (N+1-A)) - ln(N / (N-A)).
 * Plus two mpmath values on either side of the switch (near N = 285 for A = 10). */
Test(erlang, log_and_linear_recursions_agree)
{
    const double a = 10.0;
    scrm_erlang_result prev = erl(a, 1.0, 270, 0.0);
    cr_assert(prev.wait_probability > 1e-280);
    for (uint32_t n = 270; n < 300; n++) {
        scrm_erlang_result r = erl(a, 1.0, n + 1, 0.0);
        double step = log(a / (n + 1.0)) + log((n + 1.0) / (n + 1.0 - a)) - log(n / (n - a));
        ABS(r.log_wait_probability - prev.log_wait_probability, step, 1e-9);
        prev = r;
    }
    /* C(10, 300) ~ 1.4e-319 is subnormal: taken from the log, not the recursion. */
    REL(prev.wait_probability, exp(-734.0964204951786), 1e-9);
    REL(erl(a, 1.0, 280, 0.0).log_wait_probability, -666.7175261585966, 1e-12);
    REL(erl(a, 1.0, 300, 0.0).log_wait_probability, -734.0964204951786, 1e-12);
}

Test(erlang, unstable_queue)
{
    scrm_erlang_result r;
    memset(&r, 0xAB, sizeof r);
    cr_assert_eq(scrm_erlang_c(10.0, 1.0, 10, 20.0, &r), SCRM_EDOM);
    cr_assert(strstr(scrm_last_error_message(), "unstable"));
    cr_assert_eq(r.wait_probability, 1.0);
    cr_assert_eq(r.service_level, 0.0);
    cr_assert(isinf(r.asa));
    cr_assert_eq(r.occupancy, 1.0);
    cr_assert_eq(r.agents, 10);
    cr_assert_eq(scrm_erlang_c(1000.0, 1.0, 900, 20.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(10.0, 1.0, 11, 20.0, &r), SCRM_OK);
}

Test(erlang, bad_inputs)
{
    scrm_erlang_result r;
    double b;
    cr_assert_eq(scrm_erlang_c(1.0, 1.0, 5, 1.0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_erlang_c(NAN, 1.0, 5, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(-1.0, 1.0, 5, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(INFINITY, 1.0, 5, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1.0, 0.0, 5, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1.0, -3.0, 5, 1.0, &r), SCRM_EDOM);
    cr_assert(strstr(scrm_last_error_message(), "aht"));
    cr_assert_eq(scrm_erlang_c(1.0, NAN, 5, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1.0, INFINITY, 5, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1.0, 1.0, 5, -1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1.0, 1.0, 5, NAN, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1.0, 1.0, 5, INFINITY, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1.0, 1.0, 0, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_c(1e300, 1e300, 5, 1.0, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_b(1.0, 1, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_erlang_b(-1.0, 1, &b), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_b(NAN, 1, &b), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_b(INFINITY, 1, &b), SCRM_EDOM);
}

static scrm_staffing_result staff(double rate, double aht, double t, double sl,
                                  const scrm_staffing_options *o)
{
    scrm_staffing_result r;
    cr_assert_eq(scrm_erlang_staffing(rate, aht, t, sl, o, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    return r;
}

/* ERL-4, pyworkforce README and tests: SL 80 % in 20 s, max occupancy 0.85,
 * shrinkage 0.3 -> 14 raw, 20 positions; SL 90 % -> 22 positions,
 * occupancy 0.6667; max occupancy 0.7 (target 0.33 min) -> 15 raw,
 * 22 positions, SL 0.941, occupancy 0.667, P_w 0.102. */
Test(erlang, staffing_pyworkforce)
{
    scrm_staffing_options o = SCRM_STAFFING_OPTIONS_INIT;
    o.shrinkage = 0.3;
    o.max_occupancy = 0.85;
    scrm_staffing_result r = staff(100.0 / 1800.0, 180.0, 20.0, 0.8, &o);
    cr_assert_eq(r.agents, 14);
    cr_assert_eq(r.positions, 20);
    cr_assert_eq(r.occupancy_bound, 0);
    ABS(r.at.service_level, 0.8884, 5e-5);
    ABS(r.at.occupancy, 0.7143, 5e-5);
    ABS(r.at.wait_probability, 0.1741, 5e-5);

    r = staff(100.0 / 1800.0, 180.0, 20.0, 0.9, &o);
    cr_assert_eq(r.agents, 15);
    cr_assert_eq(r.positions, 22);
    ABS(r.at.occupancy, 0.6667, 5e-5);

    o.max_occupancy = 0.7;
    r = staff(100.0 / 1800.0, 180.0, 0.33 * 60.0, 0.8, &o);
    cr_assert_eq(r.agents, 15);
    cr_assert_eq(r.positions, 22);
    cr_assert_eq(r.occupancy_bound, 1);
    ABS(r.at.service_level, 0.941, 5e-4);
    ABS(r.at.occupancy, 0.667, 5e-4);
    ABS(r.at.wait_probability, 0.102, 5e-4);
    REL(r.at.service_level, 0.94112667570396528953, 1e-13);

    /* 13 agents give 0.7956 < 0.8 (METRICS.md 5.4): 14 is the minimum. */
    REL(erl(100.0 / 1800.0, 180.0, 13, 20.0).service_level, 0.79559478841778311910, 1e-13);
}

/* The staffing answer is the smallest N meeting the target, and its
 * performance equals scrm_erlang_c() to the bit. */
Test(erlang, staffing_is_minimal_and_consistent)
{
    const double loads[] = {0.05, 2.5, 48.0, 333.3, 5000.0};
    const double levels[] = {0.0, 0.5, 0.8, 0.95, 0.999};
    for (size_t i = 0; i < 5; i++) {
        for (size_t j = 0; j < 5; j++) {
            double rate = loads[i] / 120.0;
            scrm_staffing_result r = staff(rate, 120.0, 20.0, levels[j], NULL);
            cr_assert_eq(r.positions, r.agents);
            cr_assert(r.agents > loads[i]);
            scrm_erlang_result at = erl(rate, 120.0, r.agents, 20.0);
            /* field by field: the struct's padding is not part of the result */
            const double x[] = {at.offered_load, at.wait_probability, at.log_wait_probability,
                                at.service_level, at.asa, at.mean_wait_delayed, at.occupancy};
            const double y[] = {r.at.offered_load, r.at.wait_probability,
                                r.at.log_wait_probability, r.at.service_level, r.at.asa,
                                r.at.mean_wait_delayed, r.at.occupancy};
            cr_assert_eq(at.agents, r.at.agents);
            cr_assert_eq(memcmp(x, y, sizeof x), 0, "A=%g", loads[i]);
            cr_assert(at.service_level >= levels[j]);
            if ((double)(r.agents - 1) > loads[i]) {
                scrm_erlang_result below = erl(rate, 120.0, r.agents - 1, 20.0);
                cr_assert(below.service_level < levels[j], "A=%g SL=%g N=%u", loads[i],
                          levels[j], r.agents);
            }
        }
    }
}

Test(erlang, staffing_bad_inputs)
{
    scrm_staffing_result r;
    scrm_staffing_options o = SCRM_STAFFING_OPTIONS_INIT;
    cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, 0.8, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, 1.0, NULL, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, -0.1, NULL, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, NAN, NULL, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_staffing(NAN, 1.0, 1.0, 0.8, NULL, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_staffing(1.0, -1.0, 1.0, 0.8, NULL, &r), SCRM_EDOM);
    cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, -1.0, 0.8, NULL, &r), SCRM_EDOM);
    o.version = 0;
    cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, 0.8, &o, &r), SCRM_EVERSION);
    o.version = SCRM_STAFFING_OPTIONS_VERSION + 1;
    cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, 0.8, &o, &r), SCRM_EVERSION);
    o.version = SCRM_STAFFING_OPTIONS_VERSION;
    const double bad_occ[] = {0.0, -0.5, 1.5, NAN};
    for (int i = 0; i < 4; i++) {
        o.max_occupancy = bad_occ[i];
        cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, 0.8, &o, &r), SCRM_EINVAL);
    }
    o.max_occupancy = 1.0;
    const double bad_shrink[] = {1.0, -0.1, NAN};
    for (int i = 0; i < 3; i++) {
        o.shrinkage = bad_shrink[i];
        cr_assert_eq(scrm_erlang_staffing(1.0, 1.0, 1.0, 0.8, &o, &r), SCRM_EINVAL);
    }
    o.shrinkage = 0.0;
    o.max_agents = 50;
    cr_assert_eq(scrm_erlang_staffing(100.0, 1.0, 1.0, 0.8, &o, &r), SCRM_ELIMIT);
    cr_assert_eq(scrm_erlang_staffing(45.0, 1.0, 1.0, 0.999999, &o, &r), SCRM_ELIMIT);
    o.max_agents = 60;
    cr_assert_eq(scrm_erlang_staffing(45.0, 1.0, 1.0, 0.8, &o, &r), SCRM_OK);
}

Test(erlang, staffing_options_init)
{
    scrm_staffing_options o;
    cr_assert_eq(scrm_staffing_options_init(NULL, SCRM_STAFFING_OPTIONS_VERSION), SCRM_EINVAL);
    cr_assert_eq(scrm_staffing_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_staffing_options_init(&o, SCRM_STAFFING_OPTIONS_VERSION + 1), SCRM_EVERSION);
    cr_assert_eq(scrm_staffing_options_init(&o, SCRM_STAFFING_OPTIONS_VERSION), SCRM_OK);
    cr_assert_eq(o.version, SCRM_STAFFING_OPTIONS_VERSION);
    cr_assert_eq(o.max_occupancy, 1.0);
    cr_assert_eq(o.shrinkage, 0.0);
    cr_assert_eq(o.max_agents, 0);
}
