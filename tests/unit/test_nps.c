/* NPS calculator: options, accumulation, statistics, comparison, serialized
 * state, intent versus referral. Goldens: METRICS.md 1.2-1.4 and section 7
 * (NPS-1..6), tolerance 1e-9 relative unless stated. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "kpi/nps_internal.h"
#include "scrm.h"

#define Z975 1.959963984540054 /* Phi^-1(0.975), see test_normal.c */

static void assert_rel(double got, double want, double tol, const char *what)
{
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    cr_assert(fabs(got - want) <= tol * scale, "%s: got %.17g, want %.17g", what, got, want);
}

static void assert_msg_has(const char *needle)
{
    const char *msg = scrm_last_error_message();
    cr_assert(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg, needle);
}

/* Deterministic generator for property tests (splitmix64). */
static uint64_t rng_state = 0x1234567ull;
static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static scrm_nps *new_nps(int32_t method)
{
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    o.ci_method = method;
    scrm_nps *nps = NULL;
    cr_assert_eq(scrm_nps_new(&nps, &o), SCRM_OK);
    return nps;
}

/* METRICS.md 1.2: n = 100, 50 promoters, 20 detractors, 30 passives. */
static void add_golden(scrm_nps *nps)
{
    double s[100];
    for (int i = 0; i < 100; i++)
        s[i] = i < 50 ? 10.0 : (i < 80 ? 7.0 : 0.0);
    cr_assert_eq(scrm_nps_add_scores(nps, s, 100), SCRM_OK);
}

static void assert_same_result(const scrm_nps_result *a, const scrm_nps_result *b)
{
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(a->detractors, b->detractors);
    cr_assert_eq(a->passives, b->passives);
    cr_assert_eq(a->promoters, b->promoters);
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        cr_assert_eq(a->score_counts[s], b->score_counts[s], "score %d", s);
    /* Exact equality on purpose: merging histograms must be exact. */
    cr_assert(a->nps == b->nps && a->se == b->se && a->ci_low == b->ci_low &&
              a->ci_high == b->ci_high && a->ci_center == b->ci_center && a->ci_se == b->ci_se &&
              a->promoter_share == b->promoter_share && a->detractor_share == b->detractor_share &&
              a->passive_share == b->passive_share);
    cr_assert_eq(a->method, b->method);
}

/* ---------------------------------------------------------------- options */

Test(nps, options_init_gives_documented_defaults)
{
    scrm_nps_options o;
    memset(&o, 0x5a, sizeof o);
    cr_assert_eq(scrm_nps_options_init(&o, SCRM_NPS_OPTIONS_VERSION), SCRM_OK);
    cr_assert_eq(o.version, SCRM_NPS_OPTIONS_VERSION);
    cr_assert_eq(o.detractor_max, 6);
    cr_assert_eq(o.promoter_min, 9);
    cr_assert_eq(o.level, 0.95);
    cr_assert_eq(o.ci_method, SCRM_NPS_CI_ADJUSTED_WALD);
    scrm_nps_options m = SCRM_NPS_OPTIONS_INIT;
    cr_assert(memcmp(&m.detractor_max, &o.detractor_max, sizeof(int32_t) * 2) == 0);
    cr_assert_eq(scrm_nps_options_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_nps_options_init(&o, SCRM_NPS_OPTIONS_VERSION + 1), SCRM_EVERSION);
}

struct bad_opts {
    unsigned int version;
    int32_t dmax, pmin;
    double level;
    int32_t method;
    int code;
    const char *field;
};

Test(nps, new_rejects_every_bad_option)
{
    const struct bad_opts cases[] = {
        { 0, 6, 9, 0.95, 2, SCRM_EVERSION, "version" },
        { 2, 6, 9, 0.95, 2, SCRM_EVERSION, "version" },
        { 1, -1, 9, 0.95, 2, SCRM_EINVAL, "detractor_max" },
        { 1, 10, 11, 0.95, 2, SCRM_EINVAL, "detractor_max" },
        { 1, 6, 6, 0.95, 2, SCRM_EINVAL, "promoter_min" },  /* overlapping */
        { 1, 6, 5, 0.95, 2, SCRM_EINVAL, "promoter_min" },  /* not ordered */
        { 1, 6, 11, 0.95, 2, SCRM_EINVAL, "promoter_min" }, /* outside 0..10 */
        { 1, 6, 9, 0.0, 2, SCRM_EINVAL, "level" },
        { 1, 6, 9, 1.0, 2, SCRM_EINVAL, "level" },
        { 1, 6, 9, -0.5, 2, SCRM_EINVAL, "level" },
        { 1, 6, 9, 95.0, 2, SCRM_EINVAL, "level" },
        { 1, 6, 9, NAN, 2, SCRM_EINVAL, "level" },
        { 1, 6, 9, INFINITY, 2, SCRM_EINVAL, "level" },
        { 1, 6, 9, 0.95, 0, SCRM_EINVAL, "ci_method" },
        { 1, 6, 9, 0.95, 3, SCRM_EINVAL, "ci_method" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scrm_nps_options o = { cases[i].version, cases[i].dmax, cases[i].pmin, cases[i].level,
                               cases[i].method };
        scrm_nps *nps = (scrm_nps *)&o; /* must be overwritten with NULL */
        cr_assert_eq(scrm_nps_new(&nps, &o), cases[i].code, "case %zu", i);
        cr_assert_null(nps, "case %zu", i);
        assert_msg_has(cases[i].field);
    }
    cr_assert_eq(scrm_nps_new(NULL, NULL), SCRM_EINVAL);
}

Test(nps, extreme_valid_bands_are_accepted)
{
    const int32_t ok[][2] = { { 0, 1 }, { 9, 10 }, { 6, 7 }, { 0, 10 } };
    for (size_t i = 0; i < 4; i++) {
        scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
        o.detractor_max = ok[i][0];
        o.promoter_min = ok[i][1];
        scrm_nps *nps;
        cr_assert_eq(scrm_nps_new(&nps, &o), SCRM_OK, "bands %d/%d", ok[i][0], ok[i][1]);
        scrm_nps_options back;
        cr_assert_eq(scrm_nps_get_options(nps, &back), SCRM_OK);
        cr_assert_eq(back.detractor_max, ok[i][0]);
        cr_assert_eq(back.promoter_min, ok[i][1]);
        scrm_nps_free(nps);
    }
    scrm_nps_free(NULL); /* no-op */
    scrm_nps_options o;
    cr_assert_eq(scrm_nps_get_options(NULL, &o), SCRM_EINVAL);
}

/* ---------------------------------------------------------------- goldens */

Test(nps, golden_wald_metrics_nps_1_to_3)
{
    scrm_nps *nps = new_nps(SCRM_NPS_CI_WALD);
    add_golden(nps);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    cr_assert_eq(r.n, 100);
    cr_assert_eq(r.promoters, 50);
    cr_assert_eq(r.passives, 30);
    cr_assert_eq(r.detractors, 20);
    cr_assert_eq(r.score_counts[10], 50);
    cr_assert_eq(r.score_counts[7], 30);
    cr_assert_eq(r.score_counts[0], 20);
    cr_assert_eq(r.promoter_share, 0.5);
    cr_assert_eq(r.passive_share, 0.3);
    cr_assert_eq(r.detractor_share, 0.2);
    assert_rel(r.nps, 30.0, 1e-15, "NPS-1");
    assert_rel(r.se, 7.810249675906654, 1e-9, "NPS-2");
    cr_assert_eq(r.method, SCRM_NPS_CI_WALD);
    cr_assert_eq(r.level, 0.95);
    cr_assert_eq(r.ci_center, r.nps);
    cr_assert_eq(r.ci_se, r.se);
    /* METRICS.md NPS-3 used z = 1.959964 (7 digits): its bounds differ from
     * the exact quantile's by 1.2e-7, hence 1e-6 absolute against it and
     * 1e-9 relative against the exact-z values (Python, math module). */
    cr_assert_float_eq(r.ci_low, 14.69219180421129, 1e-6);
    cr_assert_float_eq(r.ci_high, 45.30780819578871, 1e-6);
    assert_rel(r.ci_low, 14.692191924957328, 1e-9, "NPS-3 low (exact z)");
    assert_rel(r.ci_high, 45.30780807504267, 1e-9, "NPS-3 high (exact z)");
    scrm_nps_free(nps);
}

Test(nps, golden_adjusted_wald_metrics_nps_4)
{
    scrm_nps *nps = new_nps(SCRM_NPS_CI_ADJUSTED_WALD);
    add_golden(nps);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    assert_rel(r.nps, 30.0, 1e-15, "raw point estimate is kept");
    assert_rel(r.se, 7.810249675906654, 1e-9, "raw SE is kept");
    assert_rel(r.ci_center, 29.126213592233007, 1e-9, "NPS-4 centre");
    assert_rel(r.ci_se, 7.691510421814756, 1e-9, "NPS-4 SE");
    /* METRICS.md bounds also used z = 1.959964. */
    cr_assert_float_eq(r.ci_low, 14.051130059851271, 1e-6);
    cr_assert_float_eq(r.ci_high, 44.20129712461474, 1e-6);
    assert_rel(r.ci_low, 14.051130178761605, 1e-9, "NPS-4 low (exact z)");
    assert_rel(r.ci_high, 44.20129700570441, 1e-9, "NPS-4 high (exact z)");
    scrm_nps_free(nps);
}

Test(nps, other_level_uses_its_quantile)
{
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    o.ci_method = SCRM_NPS_CI_WALD;
    o.level = 0.90;
    scrm_nps *nps;
    cr_assert_eq(scrm_nps_new(&nps, &o), SCRM_OK);
    add_golden(nps);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    /* z_0.95 = 1.6448536269514722 */
    assert_rel(r.ci_high - r.nps, 1.6448536269514722 * 7.810249675906654, 1e-12, "90% half-width");
    scrm_nps_free(nps);
}

Test(nps, custom_bands_and_empty_passive_band)
{
    const double s[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    o.detractor_max = 4;
    o.promoter_min = 8;
    scrm_nps *nps;
    cr_assert_eq(scrm_nps_new(&nps, &o), SCRM_OK);
    cr_assert_eq(scrm_nps_add_scores(nps, s, 11), SCRM_OK);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    cr_assert_eq(r.detractors, 5);
    cr_assert_eq(r.passives, 3);
    cr_assert_eq(r.promoters, 3);
    assert_rel(r.nps, 100.0 * (3 - 5) / 11.0, 1e-15, "custom bands");
    scrm_nps_free(nps);

    o.detractor_max = 6;
    o.promoter_min = 7; /* no passives */
    cr_assert_eq(scrm_nps_new(&nps, &o), SCRM_OK);
    cr_assert_eq(scrm_nps_add_scores(nps, s, 11), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    cr_assert_eq(r.detractors, 7);
    cr_assert_eq(r.passives, 0);
    cr_assert_eq(r.promoters, 4);
    scrm_nps_free(nps);
}

Test(nps, degenerate_samples_have_finite_intervals)
{
    /* All promoters: Wald SE is 0 and the interval collapses to [100, 100];
     * the adjusted Wald still has width (the reason it is the default). */
    double s[5] = { 10, 10, 9, 9, 10 };
    scrm_nps *w = new_nps(SCRM_NPS_CI_WALD), *a = new_nps(SCRM_NPS_CI_ADJUSTED_WALD);
    cr_assert_eq(scrm_nps_add_scores(w, s, 5), SCRM_OK);
    cr_assert_eq(scrm_nps_add_scores(a, s, 5), SCRM_OK);
    scrm_nps_result rw, ra;
    cr_assert_eq(scrm_nps_finalize(w, &rw), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(a, &ra), SCRM_OK);
    cr_assert_eq(rw.nps, 100.0);
    cr_assert_eq(rw.se, 0.0);
    cr_assert_eq(rw.ci_low, 100.0);
    cr_assert_eq(rw.ci_high, 100.0);
    cr_assert(ra.ci_se > 0.0);
    cr_assert(ra.ci_low < 100.0 && ra.ci_high == 100.0, "clipped at 100: %g", ra.ci_high);
    /* A single response: clipped to the scale, never NaN. */
    double one = 0.0;
    scrm_nps_reset(w);
    cr_assert_eq(scrm_nps_add_scores(w, &one, 1), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(w, &rw), SCRM_OK);
    cr_assert_eq(rw.nps, -100.0);
    cr_assert(!isnan(rw.ci_low) && !isnan(rw.ci_high) && rw.ci_low == -100.0);
    scrm_nps_free(w);
    scrm_nps_free(a);
}

/* ------------------------------------------------------------- bad input */

Test(nps, add_scores_rejects_bad_scores_atomically_naming_index_and_value)
{
    const double bad[] = { NAN, 10.5, -1.0, 11.0, INFINITY, -INFINITY, 3.5, 1e300, -1e-300,
                           0.1, 9.999999999999998 };
    const char *text[] = { "nan", "10.5", "-1", "11", "inf", "-inf", "3.5", "1e+300", "-1e-300",
                           "0.10000000000000001", "9.9999999999999982" };
    scrm_nps *nps = new_nps(SCRM_NPS_CI_ADJUSTED_WALD);
    double s[23];
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        /* Every position, so both the unrolled body and the tail see it. */
        for (size_t pos = 0; pos < 23; pos++) {
            for (size_t i = 0; i < 23; i++)
                s[i] = (double)(i % 11);
            s[pos] = bad[b];
            cr_assert_eq(scrm_nps_add_scores(nps, s, 23), SCRM_EINVAL, "bad %zu at %zu", b, pos);
            char idx[32];
            snprintf(idx, sizeof idx, "scores[%zu]", pos);
            assert_msg_has(idx);
            assert_msg_has(text[b]);
            scrm_nps_result r;
            cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_ENODATA, "nothing added");
        }
    }
    /* The first bad index is reported when several are bad. */
    for (size_t i = 0; i < 23; i++)
        s[i] = 5.0;
    s[17] = -2.0;
    s[9] = 12.0;
    cr_assert_eq(scrm_nps_add_scores(nps, s, 23), SCRM_EINVAL);
    assert_msg_has("scores[9]");
    /* -0.0 is 0. */
    double z = -0.0;
    cr_assert_eq(scrm_nps_add_scores(nps, &z, 1), SCRM_OK);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    cr_assert_eq(r.score_counts[0], 1);
    scrm_nps_free(nps);
}

Test(nps, null_arguments)
{
    scrm_nps *nps = new_nps(SCRM_NPS_CI_WALD);
    double s = 5.0;
    uint64_t c[SCRM_NPS_SCORES] = { 0 };
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_add_scores(NULL, &s, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_add_scores(nps, NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_add_scores(nps, NULL, 0), SCRM_OK);
    cr_assert_eq(scrm_nps_add_counts(NULL, c, SCRM_NPS_SCORES), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_add_counts(nps, NULL, SCRM_NPS_SCORES), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_add_counts(nps, c, 10), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_merge(NULL, nps), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_merge(nps, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_finalize(NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_finalize(nps, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_ENODATA);
    cr_assert_eq(scrm_nps_reset(NULL), SCRM_EINVAL);
    size_t len;
    cr_assert_eq(scrm_nps_serialize(NULL, NULL, 0, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_serialize(nps, NULL, 0, NULL), SCRM_EINVAL);
    scrm_nps *out = nps;
    cr_assert_eq(scrm_nps_deserialize(&out, NULL, 10), SCRM_EINVAL);
    cr_assert_null(out);
    cr_assert_eq(scrm_nps_deserialize(NULL, (const uint8_t *)"x", 1), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_compute(NULL, NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_compute(nps, NULL, &r), SCRM_EINVAL);
    size_t n;
    cr_assert_eq(scrm_nps_compute_by_segment(nps, NULL, NULL, 0, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_compute_by_period(nps, NULL, SCRM_PERIOD_DAY, NULL, 0, &n), SCRM_EINVAL);
    scrm_nps_free(nps);
}

Test(nps, counts_overflow_is_erange_and_changes_nothing)
{
    scrm_nps *nps = new_nps(SCRM_NPS_CI_WALD);
    uint64_t c[SCRM_NPS_SCORES] = { 0 };
    c[3] = UINT64_MAX - 1;
    cr_assert_eq(scrm_nps_add_counts(nps, c, SCRM_NPS_SCORES), SCRM_OK);
    uint64_t more[SCRM_NPS_SCORES] = { 0 };
    more[3] = 2;
    cr_assert_eq(scrm_nps_add_counts(nps, more, SCRM_NPS_SCORES), SCRM_ERANGE);
    more[3] = 0;
    more[10] = 2; /* each count fits, the total does not */
    cr_assert_eq(scrm_nps_add_counts(nps, more, SCRM_NPS_SCORES), SCRM_ERANGE);
    cr_assert_eq(scrm_nps_merge(nps, nps), SCRM_ERANGE);
    double s = 3.0;
    cr_assert_eq(scrm_nps_add_scores(nps, &s, 1), SCRM_OK);
    cr_assert_eq(scrm_nps_add_scores(nps, &s, 1), SCRM_ERANGE);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    cr_assert_eq(r.n, UINT64_MAX);
    cr_assert_eq(r.detractors, UINT64_MAX);
    cr_assert_eq(r.nps, -100.0);
    scrm_nps_free(nps);
}

/* ------------------------------------------------- histogram implementations */

/* Both implementations (the run-time dispatched one, AVX on most x86-64, and
 * the portable bit-pattern one) against the scalar reference
 * scrm__nps_score() on every single-bit flip of every valid score's bits. */
Test(nps, histogram_paths_agree_with_the_reference_on_every_bit_flip)
{
    double vals[12 * 65];
    size_t m = 0;
    for (int k = 0; k <= 11; k++) {
        double x = k == 11 ? -0.0 : (double)k;
        uint64_t u;
        memcpy(&u, &x, sizeof u);
        memcpy(&vals[m++], &u, sizeof u);
        for (int bit = 0; bit < 64; bit++) {
            uint64_t f = u ^ (UINT64_C(1) << bit);
            memcpy(&vals[m++], &f, sizeof f);
        }
    }
    size_t n_valid = 0;
    for (size_t i = 0; i < m; i++) {
        int ref = scrm__nps_score(vals[i]);
        n_valid += ref >= 0;
        /* Each value alone, then at every position of a 9-long valid run
         * (covers the vector body and the tail). */
        for (size_t pos = 0; pos < 9; pos++) {
            double run[9] = { 10, 9, 8, 7, 6, 5, 4, 3, 2 };
            run[pos] = vals[i];
            uint64_t c1[SCRM_NPS_SCORES] = { 0 }, c2[SCRM_NPS_SCORES] = { 0 };
            size_t r1 = scrm__nps_histogram(run, 9, c1);
            size_t r2 = scrm__nps_histogram_portable(run, 9, c2);
            cr_assert_eq(r1, ref >= 0 ? 9 : pos, "value %a at %zu: dispatched %zu", vals[i], pos,
                         r1);
            cr_assert_eq(r2, r1, "value %a at %zu: portable %zu", vals[i], pos, r2);
            cr_assert(memcmp(c1, c2, sizeof c1) == 0);
            if (ref >= 0) {
                uint64_t want[SCRM_NPS_SCORES] = { 0 };
                for (size_t j = 0; j < 9; j++)
                    want[scrm__nps_score(run[j])]++;
                cr_assert(memcmp(c1, want, sizeof want) == 0, "value %a at %zu", vals[i], pos);
            } else {
                const uint64_t none[SCRM_NPS_SCORES] = { 0 };
                cr_assert(memcmp(c1, none, sizeof none) == 0, "nothing added on failure");
            }
        }
    }
    cr_assert(n_valid > 12, "flips that land on other scores (e.g. 2 -> 3) are valid");
}

Test(nps, histogram_paths_agree_on_random_valid_columns)
{
    static double s[10007];
    const size_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 255, 256, 257, 1000, 10007 };
    for (size_t L = 0; L < sizeof lens / sizeof lens[0]; L++) {
        size_t n = lens[L];
        uint64_t want[SCRM_NPS_SCORES] = { 0 };
        for (size_t i = 0; i < n; i++) {
            int k = (int)(rng() % 12);
            s[i] = k == 11 ? -0.0 : (double)k;
            want[k == 11 ? 0 : k]++;
        }
        uint64_t c1[SCRM_NPS_SCORES] = { 0 }, c2[SCRM_NPS_SCORES] = { 0 };
        cr_assert_eq(scrm__nps_histogram(s, n, c1), n);
        cr_assert_eq(scrm__nps_histogram_portable(s, n, c2), n);
        cr_assert(memcmp(c1, want, sizeof want) == 0, "dispatched, n = %zu", n);
        cr_assert(memcmp(c2, want, sizeof want) == 0, "portable, n = %zu", n);
        if (n > 0) { /* a bad last score is found in either path */
            s[n - 1] = 4.5;
            cr_assert_eq(scrm__nps_histogram(s, n, c1), n - 1);
            cr_assert_eq(scrm__nps_histogram_portable(s, n, c2), n - 1);
            cr_assert(memcmp(c1, want, sizeof want) == 0, "counts untouched on failure");
        }
    }
}

/* ------------------------------------------------------------- properties */

static size_t random_scores(double *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s[i] = (double)(rng() % SCRM_NPS_SCORES);
    return n;
}

Test(nps, merge_of_any_split_equals_one_pass_exactly)
{
    enum { N = 1003 };
    static double s[N];
    for (int method = SCRM_NPS_CI_WALD; method <= SCRM_NPS_CI_ADJUSTED_WALD; method++) {
        random_scores(s, N);
        scrm_nps *all = new_nps(method);
        cr_assert_eq(scrm_nps_add_scores(all, s, N), SCRM_OK);
        scrm_nps_result want;
        cr_assert_eq(scrm_nps_finalize(all, &want), SCRM_OK);
        for (size_t cut = 0; cut <= N; cut += (cut < 20 ? 1 : 37)) {
            /* Three parts, merged in both orders, and through bytes. */
            size_t cut2 = cut + (N - cut) / 3;
            scrm_nps *a = new_nps(method), *b = new_nps(method), *c = new_nps(method);
            cr_assert_eq(scrm_nps_add_scores(a, s, cut), SCRM_OK);
            cr_assert_eq(scrm_nps_add_scores(b, s + cut, cut2 - cut), SCRM_OK);
            cr_assert_eq(scrm_nps_add_scores(c, s + cut2, N - cut2), SCRM_OK);
            uint8_t buf[256];
            size_t len;
            cr_assert_eq(scrm_nps_serialize(c, buf, sizeof buf, &len), SCRM_OK);
            scrm_nps *c2;
            cr_assert_eq(scrm_nps_deserialize(&c2, buf, len), SCRM_OK);
            cr_assert_eq(scrm_nps_merge(b, a), SCRM_OK);
            cr_assert_eq(scrm_nps_merge(c2, b), SCRM_OK);
            scrm_nps_result got;
            cr_assert_eq(scrm_nps_finalize(c2, &got), SCRM_OK);
            assert_same_result(&got, &want);
            scrm_nps_free(a);
            scrm_nps_free(b);
            scrm_nps_free(c);
            scrm_nps_free(c2);
        }
        scrm_nps_free(all);
    }
}

Test(nps, permutation_invariance_and_counts_path)
{
    enum { N = 517 };
    double s[N];
    random_scores(s, N);
    scrm_nps *x = new_nps(SCRM_NPS_CI_ADJUSTED_WALD), *y = new_nps(SCRM_NPS_CI_ADJUSTED_WALD);
    cr_assert_eq(scrm_nps_add_scores(x, s, N), SCRM_OK);
    scrm_nps_result rx, ry;
    cr_assert_eq(scrm_nps_finalize(x, &rx), SCRM_OK);
    for (int round = 0; round < 20; round++) {
        for (size_t i = N - 1; i > 0; i--) { /* Fisher-Yates */
            size_t j = (size_t)(rng() % (i + 1));
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        scrm_nps_reset(y);
        cr_assert_eq(scrm_nps_add_scores(y, s, N), SCRM_OK);
        cr_assert_eq(scrm_nps_finalize(y, &ry), SCRM_OK);
        assert_same_result(&rx, &ry);
    }
    /* The pre-aggregated path gives the same result. */
    scrm_nps_reset(y);
    cr_assert_eq(scrm_nps_add_counts(y, rx.score_counts, SCRM_NPS_SCORES), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(y, &ry), SCRM_OK);
    assert_same_result(&rx, &ry);
    scrm_nps_free(x);
    scrm_nps_free(y);
}

Test(nps, bounds_and_se_match_trinomial_means_on_random_histograms)
{
    for (int trial = 0; trial < 2000; trial++) {
        uint64_t c[SCRM_NPS_SCORES];
        int zeros = (int)(rng() % 4); /* often leave bands empty */
        for (int s = 0; s < SCRM_NPS_SCORES; s++)
            c[s] = (int)(rng() % 4) < zeros ? 0 : rng() % (trial < 1000 ? 5 : 1000000);
        int32_t method = 1 + (int32_t)(trial & 1);
        scrm_nps *nps = new_nps(method);
        cr_assert_eq(scrm_nps_add_counts(nps, c, SCRM_NPS_SCORES), SCRM_OK);
        scrm_nps_result r;
        int rc = scrm_nps_finalize(nps, &r);
        scrm_nps_free(nps);
        uint64_t n = 0;
        for (int s = 0; s < SCRM_NPS_SCORES; s++)
            n += c[s];
        if (n == 0) {
            cr_assert_eq(rc, SCRM_ENODATA);
            continue;
        }
        cr_assert_eq(rc, SCRM_OK);
        cr_assert(r.nps >= -100.0 && r.nps <= 100.0, "nps %g", r.nps);
        cr_assert(r.se >= 0.0 && r.ci_se >= 0.0);
        cr_assert(-100.0 <= r.ci_low && r.ci_low <= r.ci_high && r.ci_high <= 100.0);
        cr_assert(r.ci_low <= r.ci_center && r.ci_center <= r.ci_high);
        if (method == SCRM_NPS_CI_WALD)
            cr_assert(r.ci_low <= r.nps && r.nps <= r.ci_high);
        else
            cr_assert(r.ci_se > 0.0);
        cr_assert_float_eq(r.promoter_share + r.passive_share + r.detractor_share, 1.0, 1e-15);
        /* Trinomial-means view (METRICS.md 1.2): score +1/0/-1, population
         * SD / sqrt(n) of the mean, x100. Independent two-pass formula. */
        double mean = ((double)r.promoters - (double)r.detractors) / (double)n;
        double ss = (double)r.promoters * (1 - mean) * (1 - mean) +
                    (double)r.passives * mean * mean +
                    (double)r.detractors * (1 + mean) * (1 + mean);
        double se = 100.0 * sqrt(ss / (double)n / (double)n);
        cr_assert(fabs(r.se - se) <= 1e-12 * (se + 1e-300) + 1e-13, "se %.17g vs %.17g", r.se, se);
    }
}

/* -------------------------------------------------------------- merge */

Test(nps, merge_requires_same_options)
{
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    scrm_nps *base;
    cr_assert_eq(scrm_nps_new(&base, &o), SCRM_OK);
    scrm_nps_options variants[4];
    for (int i = 0; i < 4; i++)
        variants[i] = o;
    variants[0].detractor_max = 5;
    variants[1].promoter_min = 10;
    variants[2].level = 0.9;
    variants[3].ci_method = SCRM_NPS_CI_WALD;
    double s[3] = { 1, 8, 10 };
    cr_assert_eq(scrm_nps_add_scores(base, s, 3), SCRM_OK);
    for (int i = 0; i < 4; i++) {
        scrm_nps *other;
        cr_assert_eq(scrm_nps_new(&other, &variants[i]), SCRM_OK);
        cr_assert_eq(scrm_nps_add_scores(other, s, 3), SCRM_OK);
        cr_assert_eq(scrm_nps_merge(base, other), SCRM_EINVAL, "variant %d", i);
        assert_msg_has("options differ");
        cr_assert_eq(scrm_nps_merge(other, base), SCRM_EINVAL, "variant %d", i);
        scrm_nps_free(other);
    }
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(base, &r), SCRM_OK);
    cr_assert_eq(r.n, 3, "failed merges changed nothing");
    cr_assert_eq(scrm_nps_merge(base, base), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(base, &r), SCRM_OK);
    cr_assert_eq(r.n, 6, "self-merge doubles");
    scrm_nps_free(base);
}

/* ---------------------------------------------------------- serialization */

Test(nps, serialize_round_trip_and_layout)
{
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    o.detractor_max = 5;
    o.promoter_min = 8;
    o.level = 0.9;
    o.ci_method = SCRM_NPS_CI_WALD;
    scrm_nps *nps;
    cr_assert_eq(scrm_nps_new(&nps, &o), SCRM_OK);
    uint64_t c[SCRM_NPS_SCORES] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x0102030405060708ull };
    cr_assert_eq(scrm_nps_add_counts(nps, c, SCRM_NPS_SCORES), SCRM_OK);
    size_t need = 0;
    cr_assert_eq(scrm_nps_serialize(nps, NULL, 0, &need), SCRM_EBUFS);
    cr_assert_eq(need, 16 + 3 + 8 + 11 * 8 + 4);
    uint8_t buf[256];
    size_t len = 0;
    cr_assert_eq(scrm_nps_serialize(nps, buf, need - 1, &len), SCRM_EBUFS);
    cr_assert_eq(len, need);
    cr_assert_eq(scrm_nps_serialize(nps, buf, sizeof buf, &len), SCRM_OK);
    cr_assert_eq(len, need);
    /* Little-endian on every host: envelope header, then the payload. */
    cr_assert(memcmp(buf, "SCRM\x01\x00\x01\x00", 8) == 0);
    cr_assert_eq(buf[16], 5);
    cr_assert_eq(buf[17], 8);
    cr_assert_eq(buf[18], SCRM_NPS_CI_WALD);
    const uint8_t last[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
    cr_assert(memcmp(buf + 16 + 3 + 8 + 10 * 8, last, 8) == 0);

    scrm_nps *back;
    cr_assert_eq(scrm_nps_deserialize(&back, buf, len), SCRM_OK);
    scrm_nps_options ob;
    cr_assert_eq(scrm_nps_get_options(back, &ob), SCRM_OK);
    cr_assert(ob.detractor_max == 5 && ob.promoter_min == 8 && ob.level == 0.9 &&
              ob.ci_method == SCRM_NPS_CI_WALD);
    scrm_nps_result r1, r2;
    cr_assert_eq(scrm_nps_finalize(nps, &r1), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(back, &r2), SCRM_OK);
    assert_same_result(&r1, &r2);
    cr_assert_eq(scrm_nps_merge(back, nps), SCRM_OK, "restored options equal the original's");
    scrm_nps_free(back);

    /* An empty calculator round-trips too. */
    scrm_nps_reset(nps);
    cr_assert_eq(scrm_nps_serialize(nps, buf, sizeof buf, &len), SCRM_OK);
    cr_assert_eq(scrm_nps_deserialize(&back, buf, len), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(back, &r2), SCRM_ENODATA);
    scrm_nps_free(back);
    scrm_nps_free(nps);
}

Test(nps, every_truncation_and_bit_flip_is_rejected)
{
    scrm_nps *nps = new_nps(SCRM_NPS_CI_ADJUSTED_WALD);
    add_golden(nps);
    uint8_t buf[256];
    size_t len;
    cr_assert_eq(scrm_nps_serialize(nps, buf, sizeof buf, &len), SCRM_OK);
    scrm_nps *out;
    for (size_t n = 0; n < len; n++) {
        out = nps;
        cr_assert_eq(scrm_nps_deserialize(&out, buf, n), SCRM_ECORRUPT, "truncated to %zu", n);
        cr_assert_null(out);
    }
    uint8_t padded[257];
    memcpy(padded, buf, len);
    padded[len] = 0;
    cr_assert_eq(scrm_nps_deserialize(&out, padded, len + 1), SCRM_ECORRUPT);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            out = nps;
            int rc = scrm_nps_deserialize(&out, buf, len);
            cr_assert(rc == SCRM_ECORRUPT || rc == SCRM_EVERSION, "flip %zu:%d gave %d", i, bit,
                      rc);
            cr_assert_null(out);
            buf[i] ^= (uint8_t)(1u << bit);
        }
    }
    cr_assert_eq(scrm_nps_deserialize(&out, buf, len), SCRM_OK);
    scrm_nps_free(out);
    scrm_nps_free(nps);
}

/* Envelopes with a valid CRC but impossible contents. */
static size_t craft(uint8_t *buf, uint16_t kind, uint16_t version, uint8_t dmax, uint8_t pmin,
                    uint8_t method, double level, uint64_t count0, uint64_t count10, int extra)
{
    scrm__writer w;
    scrm__writer_init(&w, buf, 256);
    scrm__envelope_begin(&w, kind, version);
    scrm__put_u8(&w, dmax);
    scrm__put_u8(&w, pmin);
    scrm__put_u8(&w, method);
    scrm__put_f64(&w, level);
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        scrm__put_u64(&w, s == 0 ? count0 : (s == 10 ? count10 : 0));
    if (extra)
        scrm__put_u8(&w, 0);
    size_t len;
    cr_assert_eq(scrm__envelope_end(&w, &len, "craft"), SCRM_OK);
    return len;
}

Test(nps, deserialize_rejects_valid_envelopes_with_bad_contents)
{
    uint8_t buf[256];
    scrm_nps *out;
    size_t len = craft(buf, SCRM__KIND_NPS, 1, 6, 9, 2, 0.95, 1, 2, 0);
    cr_assert_eq(scrm_nps_deserialize(&out, buf, len), SCRM_OK, "the crafter itself is right");
    scrm_nps_free(out);
    struct { uint16_t kind, ver; uint8_t d, p, m; double level; uint64_t c0, c10; int extra, rc; }
    cases[] = {
        { SCRM__KIND_ENGAGEMENT, 1, 6, 9, 2, 0.95, 1, 2, 0, SCRM_ECORRUPT },
        { SCRM__KIND_NPS, 2, 6, 9, 2, 0.95, 1, 2, 0, SCRM_EVERSION },
        { SCRM__KIND_NPS, 1, 12, 13, 2, 0.95, 1, 2, 0, SCRM_ECORRUPT },
        { SCRM__KIND_NPS, 1, 6, 6, 2, 0.95, 1, 2, 0, SCRM_ECORRUPT },
        { SCRM__KIND_NPS, 1, 6, 9, 7, 0.95, 1, 2, 0, SCRM_ECORRUPT },
        { SCRM__KIND_NPS, 1, 6, 9, 2, NAN, 1, 2, 0, SCRM_ECORRUPT },
        { SCRM__KIND_NPS, 1, 6, 9, 2, 1.5, 1, 2, 0, SCRM_ECORRUPT },
        { SCRM__KIND_NPS, 1, 6, 9, 2, 0.95, UINT64_MAX, 1, 0, SCRM_ECORRUPT },
        { SCRM__KIND_NPS, 1, 6, 9, 2, 0.95, 1, 2, 1, SCRM_ECORRUPT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        len = craft(buf, cases[i].kind, cases[i].ver, cases[i].d, cases[i].p, cases[i].m,
                    cases[i].level, cases[i].c0, cases[i].c10, cases[i].extra);
        out = (scrm_nps *)buf;
        cr_assert_eq(scrm_nps_deserialize(&out, buf, len), cases[i].rc, "case %zu", i);
        cr_assert_null(out);
    }
}

/* ------------------------------------------------------------ comparison */

static scrm_nps_result counts_result(uint64_t n, uint64_t promoters, uint64_t detractors,
                                     int32_t method)
{
    scrm_nps_result r;
    memset(&r, 0, sizeof r);
    r.n = n;
    r.promoters = promoters;
    r.detractors = detractors;
    r.passives = n - promoters - detractors;
    r.method = method;
    return r;
}

Test(nps, compare_golden_unadjusted_metrics_nps_5)
{
    scrm_nps_result a = counts_result(100, 50, 20, SCRM_NPS_CI_WALD);
    scrm_nps_result b = counts_result(200, 60, 15, SCRM_NPS_CI_WALD);
    scrm_nps_comparison c;
    cr_assert_eq(scrm_nps_compare(&a, &b, 0.95, &c), SCRM_OK);
    assert_rel(c.difference, -7.5, 1e-13, "difference");
    cr_assert_eq(c.center, c.difference);
    assert_rel(c.se, hypot(7.810249675906654, 4.027250923396753), 1e-9, "SE (NPS-2, METRICS 1.4)");
    assert_rel(c.z, -0.8534928354911501, 1e-9, "NPS-5");
    /* p = erfc(|z| / sqrt 2) (Python math.erfc): not significant. */
    assert_rel(c.p_value, 0.39338605906144875, 1e-9, "p-value");
    assert_rel(c.ci_low, -24.72302668843297, 1e-9, "CI low");
    assert_rel(c.ci_high, 9.72302668843297, 1e-9, "CI high");
    cr_assert_eq(c.method, SCRM_NPS_CI_WALD);
    cr_assert_eq(c.level, 0.95);
}

Test(nps, compare_golden_adjusted_metrics_nps_6_from_accumulators)
{
    scrm_nps *x = new_nps(SCRM_NPS_CI_ADJUSTED_WALD), *y = new_nps(SCRM_NPS_CI_ADJUSTED_WALD);
    uint64_t cx[SCRM_NPS_SCORES] = { 20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50 };
    uint64_t cy[SCRM_NPS_SCORES] = { 0, 0, 0, 0, 0, 0, 15, 0, 125, 0, 60 };
    cr_assert_eq(scrm_nps_add_counts(x, cx, SCRM_NPS_SCORES), SCRM_OK);
    cr_assert_eq(scrm_nps_add_counts(y, cy, SCRM_NPS_SCORES), SCRM_OK);
    scrm_nps_result a, b;
    cr_assert_eq(scrm_nps_finalize(x, &a), SCRM_OK);
    cr_assert_eq(scrm_nps_finalize(y, &b), SCRM_OK);
    assert_rel(b.ci_center, 22.167487684729065, 1e-9, "NPS_adj2");
    assert_rel(b.ci_se, 4.017863680175024, 1e-9, "SE_adj2");
    scrm_nps_comparison c;
    cr_assert_eq(scrm_nps_compare(&a, &b, 0.95, &c), SCRM_OK);
    assert_rel(c.difference, -7.5, 1e-13, "raw difference");
    assert_rel(c.center, 22.167487684729065 - 29.12621359223301, 1e-9, "adjusted difference");
    assert_rel(c.se, hypot(7.691510421814757, 4.017863680175024), 1e-9, "SE");
    assert_rel(c.z, -0.8019085741689721, 1e-9, "NPS-6");
    assert_rel(c.p_value, 0.4226058459759202, 1e-9, "p-value");
    assert_rel(c.ci_high - c.center, Z975 * c.se, 1e-12, "half-width");
    cr_assert_eq(c.method, SCRM_NPS_CI_ADJUSTED_WALD);
    scrm_nps_free(x);
    scrm_nps_free(y);
}

Test(nps, compare_properties)
{
    for (int t = 0; t < 500; t++) {
        int32_t m = 1 + (t & 1);
        uint64_t n1 = 1 + rng() % 500, n2 = 1 + rng() % 500;
        uint64_t p1 = rng() % (n1 + 1), p2 = rng() % (n2 + 1);
        uint64_t d1 = rng() % (n1 - p1 + 1), d2 = rng() % (n2 - p2 + 1);
        scrm_nps_result a = counts_result(n1, p1, d1, m), b = counts_result(n2, p2, d2, m);
        scrm_nps_comparison ab, ba, aa;
        int rc = scrm_nps_compare(&a, &b, 0.95, &ab);
        if (rc == SCRM_EDOM) {
            cr_assert_eq(m, SCRM_NPS_CI_WALD);
            continue;
        }
        cr_assert_eq(rc, SCRM_OK);
        cr_assert_eq(scrm_nps_compare(&b, &a, 0.95, &ba), SCRM_OK);
        cr_assert_eq(ab.z, -ba.z, "antisymmetric");
        cr_assert_eq(ab.p_value, ba.p_value);
        cr_assert(ab.se > 0.0 && ab.p_value >= 0.0 && ab.p_value <= 1.0);
        cr_assert(-200.0 <= ab.ci_low && ab.ci_low <= ab.ci_high && ab.ci_high <= 200.0);
        /* Inside the 95 % interval exactly when p > 0.05 (duality). */
        int zero_inside = ab.ci_low < 0.0 && 0.0 < ab.ci_high;
        if (fabs(ab.p_value - 0.05) > 1e-9)
            cr_assert_eq(zero_inside, ab.p_value > 0.05, "p %g ci [%g, %g]", ab.p_value, ab.ci_low,
                         ab.ci_high);
        if (scrm_nps_compare(&a, &a, 0.95, &aa) == SCRM_OK) {
            cr_assert_eq(aa.z, 0.0);
            cr_assert_eq(aa.p_value, 1.0);
        }
    }
}

Test(nps, compare_bad_input)
{
    scrm_nps_result a = counts_result(100, 50, 20, SCRM_NPS_CI_WALD);
    scrm_nps_result b = counts_result(200, 60, 15, SCRM_NPS_CI_WALD);
    scrm_nps_comparison c;
    cr_assert_eq(scrm_nps_compare(NULL, &b, 0.95, &c), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_compare(&a, NULL, 0.95, &c), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_compare(&a, &b, 0.95, NULL), SCRM_EINVAL);
    const double levels[] = { 0.0, 1.0, -0.1, 95.0, NAN, INFINITY };
    for (size_t i = 0; i < 6; i++)
        cr_assert_eq(scrm_nps_compare(&a, &b, levels[i], &c), SCRM_EINVAL, "level %g", levels[i]);
    scrm_nps_result bad = b;
    bad.method = SCRM_NPS_CI_ADJUSTED_WALD;
    cr_assert_eq(scrm_nps_compare(&a, &bad, 0.95, &c), SCRM_EINVAL);
    assert_msg_has("methods differ");
    bad.method = 9;
    cr_assert_eq(scrm_nps_compare(&bad, &bad, 0.95, &c), SCRM_EINVAL);
    bad = b;
    bad.passives += 1;
    cr_assert_eq(scrm_nps_compare(&a, &bad, 0.95, &c), SCRM_EINVAL);
    bad = b;
    bad.promoters = UINT64_MAX; /* sum wraps around to n */
    bad.passives = b.n - b.detractors + 1;
    cr_assert_eq(scrm_nps_compare(&a, &bad, 0.95, &c), SCRM_EINVAL);
    bad = counts_result(0, 0, 0, SCRM_NPS_CI_WALD);
    cr_assert_eq(scrm_nps_compare(&a, &bad, 0.95, &c), SCRM_EINVAL);
    /* Wald, both samples all promoters: SE 0, z undefined. */
    scrm_nps_result p1 = counts_result(5, 5, 0, SCRM_NPS_CI_WALD);
    scrm_nps_result p2 = counts_result(9, 9, 0, SCRM_NPS_CI_WALD);
    cr_assert_eq(scrm_nps_compare(&p1, &p2, 0.95, &c), SCRM_EDOM);
    p1.method = p2.method = SCRM_NPS_CI_ADJUSTED_WALD;
    cr_assert_eq(scrm_nps_compare(&p1, &p2, 0.95, &c), SCRM_OK);
    cr_assert(!isnan(c.z) && c.se > 0.0);
}

/* ------------------------------------------------------ intent vs referral */

static void fill_flags(int8_t *intends, int8_t *referred, size_t from, size_t n, int8_t i,
                       int8_t r)
{
    for (size_t k = from; k < from + n; k++) {
        intends[k] = i;
        referred[k] = r;
    }
}

/* The statistics of r; finalize must succeed and leave r unchanged. */
static scrm_nps_referral_result referral_stats(const scrm_nps_referral *r)
{
    scrm_nps_referral before = *r;
    scrm_nps_referral_result out;
    cr_assert_eq(scrm_nps_referral_finalize(r, &out), SCRM_OK, "%s", scrm_last_error_message());
    cr_assert(memcmp(&before, r, sizeof before) == 0, "finalize does not modify");
    return out;
}

static void assert_no_nan(const scrm_nps_referral_result *r)
{
    cr_assert(!isnan(r->intend_share) && !isnan(r->referred_share) &&
              !isnan(r->referred_given_intend) && !isnan(r->phi) && !isnan(r->conversion_share));
}

Test(nps, referral_golden_kumar_style_funnel)
{
    /* A table with Kumar et al.'s financial-services margins (68 % intend,
     * 33 % referred; HBR 2007 via The Financial Brand), assuming every
     * referrer had intended: a = 33, b = 35, c = 0, d = 32, plus 12 of 100
     * referrals converting (their telecom figure). Expected values by hand:
     * P(ref | intend) = 33/68; phi = 33*32 / sqrt(68*32*33*67) (Python). */
    int8_t in[110], re[110], conv[103];
    fill_flags(in, re, 0, 33, 1, 1);
    fill_flags(in, re, 33, 35, 1, 0);
    fill_flags(in, re, 68, 32, 0, 0);
    fill_flags(in, re, 100, 6, -1, 1);  /* unknown intent */
    fill_flags(in, re, 106, 4, 0, -1);  /* unknown referral */
    for (int i = 0; i < 103; i++)
        conv[i] = i < 12 ? 1 : (i < 100 ? 0 : -1);
    scrm_nps_referral r = { 0 };
    cr_assert_eq(scrm_nps_referral_add(&r, in, re, 110), SCRM_OK);
    cr_assert_eq(scrm_nps_referral_add_conversions(&r, conv, 103), SCRM_OK);
    scrm_nps_referral_result s = referral_stats(&r);
    cr_assert_eq(s.n, 100);
    cr_assert_eq(r.incomplete, 10);
    cr_assert_eq(r.intend_referred, 33);
    cr_assert_eq(r.intend_not_referred, 35);
    cr_assert_eq(r.referred_not_intend, 0);
    cr_assert_eq(r.neither, 32);
    cr_assert(s.shares_valid && s.referred_given_intend_valid && s.phi_valid && s.conversion_valid);
    assert_rel(s.intend_share, 0.68, 1e-15, "intend share");
    assert_rel(s.referred_share, 0.33, 1e-15, "referred share");
    assert_rel(s.referred_given_intend, 33.0 / 68.0, 1e-15, "P(ref|intend)");
    assert_rel(s.phi, 0.4814377064012165, 1e-12, "phi");
    cr_assert_eq(r.referrals, 100);
    cr_assert_eq(r.referrals_converted, 12);
    cr_assert_eq(r.referrals_unknown, 3);
    assert_rel(s.conversion_share, 0.12, 1e-15, "conversion");
}

Test(nps, referral_phi_equals_pearson_correlation_and_merges_exactly)
{
    enum { N = 400 };
    int8_t in[N], re[N];
    for (int t = 0; t < 200; t++) {
        for (int i = 0; i < N; i++) {
            uint64_t u = rng();
            in[i] = (int8_t)((u & 3) == 0 ? -1 : (int8_t)((u >> 2) & 1));
            /* correlated: usually copy intent */
            re[i] = (u >> 3) % 5 == 0 ? (int8_t)((u >> 8) & 1) : (int8_t)(in[i] < 0 ? 0 : in[i]);
            if (t % 7 == 0)
                re[i] = 1; /* constant: phi undefined */
        }
        scrm_nps_referral all = { 0 }, a = { 0 }, b = { 0 };
        cr_assert_eq(scrm_nps_referral_add(&all, in, re, N), SCRM_OK);
        size_t cut = (size_t)(rng() % (N + 1));
        cr_assert_eq(scrm_nps_referral_add(&a, in, re, cut), SCRM_OK);
        cr_assert_eq(scrm_nps_referral_add(&b, in + cut, re + cut, N - cut), SCRM_OK);
        cr_assert_eq(scrm_nps_referral_merge(&a, &b), SCRM_OK);
        cr_assert(memcmp(&a, &all, sizeof a) == 0, "merge equals one pass");
        scrm_nps_referral twice = all, doubled = all;
        cr_assert_eq(scrm_nps_referral_merge(&twice, &twice), SCRM_OK);
        cr_assert_eq(scrm_nps_referral_merge(&doubled, &all), SCRM_OK);
        cr_assert(memcmp(&twice, &doubled, sizeof twice) == 0, "self-merge doubles");
        scrm_nps_referral_result st = referral_stats(&all);
        assert_no_nan(&st);
        /* Pearson correlation of the complete rows, two-pass. */
        double sx = 0, sy = 0, m = 0;
        for (int i = 0; i < N; i++)
            if (in[i] >= 0 && re[i] >= 0) {
                sx += in[i];
                sy += re[i];
                m++;
            }
        double mx = sx / m, my = sy / m, cxy = 0, vx = 0, vy = 0;
        for (int i = 0; i < N; i++)
            if (in[i] >= 0 && re[i] >= 0) {
                cxy += (in[i] - mx) * (re[i] - my);
                vx += (in[i] - mx) * (in[i] - mx);
                vy += (re[i] - my) * (re[i] - my);
            }
        if (vx > 0 && vy > 0) {
            cr_assert(st.phi_valid);
            cr_assert_float_eq(st.phi, cxy / sqrt(vx * vy), 1e-12);
            cr_assert(st.phi >= -1.0 && st.phi <= 1.0);
        } else {
            cr_assert(!st.phi_valid);
            cr_assert_eq(st.phi, 0.0);
        }
    }
}

Test(nps, referral_undefined_statistics_are_flagged_not_nan)
{
    scrm_nps_referral r = { 0 };
    scrm_nps_referral_result s = referral_stats(&r);
    cr_assert(!s.shares_valid && !s.referred_given_intend_valid && !s.phi_valid &&
              !s.conversion_valid);
    assert_no_nan(&s);
    /* Nobody intends: P(ref | intend) and phi are undefined, shares are not. */
    int8_t in[3] = { 0, 0, 0 }, re[3] = { 1, 0, 1 };
    cr_assert_eq(scrm_nps_referral_add(&r, in, re, 3), SCRM_OK);
    s = referral_stats(&r);
    cr_assert(s.shares_valid && !s.referred_given_intend_valid && !s.phi_valid);
    cr_assert_eq(s.intend_share, 0.0);
    assert_rel(s.referred_share, 2.0 / 3.0, 1e-15, "referred share");
    assert_no_nan(&s);
    /* Perfect association: phi = 1 and -1. */
    scrm_nps_referral p = { 0 }, q = { 0 };
    int8_t x[4] = { 1, 1, 0, 0 }, y[4] = { 1, 1, 0, 0 }, z[4] = { 0, 0, 1, 1 };
    cr_assert_eq(scrm_nps_referral_add(&p, x, y, 4), SCRM_OK);
    cr_assert_eq(scrm_nps_referral_add(&q, x, z, 4), SCRM_OK);
    cr_assert_eq(referral_stats(&p).phi, 1.0);
    cr_assert_eq(referral_stats(&q).phi, -1.0);
}

Test(nps, referral_bad_input)
{
    scrm_nps_referral r = { 0 };
    int8_t ok[4] = { 1, 0, -1, 1 }, bad[4] = { 1, 0, 2, -2 };
    cr_assert_eq(scrm_nps_referral_add(NULL, ok, ok, 4), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_referral_add(&r, NULL, ok, 4), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_referral_add(&r, ok, NULL, 4), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_referral_add(&r, NULL, NULL, 0), SCRM_OK);
    cr_assert_eq(scrm_nps_referral_add(&r, ok, bad, 4), SCRM_EINVAL);
    assert_msg_has("scrm_nps_referral_add: referred[2]: 2 is not");
    cr_assert_eq(scrm_nps_referral_add(&r, bad, ok, 4), SCRM_EINVAL);
    assert_msg_has("scrm_nps_referral_add: intends[2]: 2 is not");
    cr_assert_eq(scrm_nps_referral_add_conversions(&r, bad, 4), SCRM_EINVAL);
    assert_msg_has("converted[2]");
    cr_assert_eq(scrm_nps_referral_add_conversions(NULL, ok, 4), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_referral_add_conversions(&r, NULL, 1), SCRM_EINVAL);
    scrm_nps_referral zero = { 0 };
    cr_assert(memcmp(&r, &zero, sizeof r) == 0, "atomic");
    cr_assert_eq(scrm_nps_referral_merge(NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_referral_merge(&r, NULL), SCRM_EINVAL);
    scrm_nps_referral_result res;
    cr_assert_eq(scrm_nps_referral_finalize(NULL, &res), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_referral_finalize(&r, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_referral_compute(NULL, &r), SCRM_EINVAL);

    scrm_nps_referral h = { 0 };
    h.referrals = 3;
    h.referrals_converted = 4;
    cr_assert_eq(scrm_nps_referral_finalize(&h, &res), SCRM_EINVAL);
    assert_msg_has("referrals_converted: 4 > referrals 3");
    h.referrals_converted = 1;
    h.intend_referred = UINT64_MAX;
    h.neither = 1;
    cr_assert_eq(scrm_nps_referral_finalize(&h, &res), SCRM_ERANGE);
    h.neither = 0;
    cr_assert_eq(referral_stats(&h).n, UINT64_MAX);
    scrm_nps_referral before = h;
    cr_assert_eq(scrm_nps_referral_add(&h, ok, ok, 1), SCRM_ERANGE);
    cr_assert(memcmp(&before, &h, sizeof h) == 0, "unchanged on overflow");
    cr_assert_eq(scrm_nps_referral_merge(&h, &h), SCRM_ERANGE);
    cr_assert(memcmp(&before, &h, sizeof h) == 0, "unchanged on overflow");
}
