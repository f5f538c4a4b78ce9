/* NPS over a dataset: compute, grouping by segment and by period, intent
 * versus referral. Small datasets built with scrm_dataset_append(); every
 * expected group is recomputed from its scores through the accumulator. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scrm.h"

static scrm_dataset *ds;
static scrm_nps *nps;

static void setup(void)
{
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    cr_assert_eq(scrm_nps_new(&nps, NULL), SCRM_OK);
}

static void teardown(void)
{
    scrm_nps_free(nps);
    scrm_dataset_free(ds);
}

TestSuite(nps_dataset, .init = setup, .fini = teardown);

static void assert_msg_has(const char *needle)
{
    const char *msg = scrm_last_error_message();
    cr_assert(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg, needle);
}

/* Customers: c1 appears twice (first row wins: gold), c4 has no segment. */
static void add_customers(void)
{
    const char *id[] = { "c1", "c2", "c3", "c4", "c5", "c1" };
    const char *seg[] = { "gold", "silver", "gold", "", "bronze", "silver" };
    scrm_column_input in[] = {
        { SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id },
        { SCRM_CUSTOMERS_SEGMENT, SCRM_VALUE_TEXT, seg },
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_CUSTOMERS, 6, in, 2, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
}

#define N_SURVEY 8
static const char *s_customer[N_SURVEY] = { "c1", "c2", "c3", "c4", "", "c9", "c5", "c1" };
static const char *s_time[N_SURVEY] = { "2024-01-01", "2024-01-02T12:00", "2024-01-15",
                                        "2024-02-01", "2024-02-10", "2024-04-01",
                                        "2024-03-31T23:59:59", "2023-12-31T08:00" };
static double s_score[N_SURVEY] = { 10, 9, 3, 7, 0, 10, 8, 6 };
static const char *s_intends[N_SURVEY] = { "yes", "yes", "no", "yes", "", "yes", "no", "no" };
static const char *s_referred[N_SURVEY] = { "yes", "no", "no", "no", "yes", "", "yes", "no" };

static void add_survey(const double *scores)
{
    scrm_column_input in[] = {
        { SCRM_SURVEY_CUSTOMER, SCRM_VALUE_TEXT, s_customer },
        { SCRM_SURVEY_TIME, SCRM_VALUE_TEXT, s_time },
        { SCRM_SURVEY_SCORE, SCRM_VALUE_F64, scores },
        { SCRM_SURVEY_INTENDS, SCRM_VALUE_TEXT, s_intends },
        { SCRM_SURVEY_REFERRED, SCRM_VALUE_TEXT, s_referred },
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_SURVEY, N_SURVEY, in, 5, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
}

/* The expected result of the survey rows listed in `rows` (-1 terminated). */
static scrm_nps_result expected(const scrm_nps *like, const int *rows)
{
    scrm_nps_options o;
    cr_assert_eq(scrm_nps_get_options(like, &o), SCRM_OK);
    scrm_nps *x;
    cr_assert_eq(scrm_nps_new(&x, &o), SCRM_OK);
    for (; *rows >= 0; rows++)
        cr_assert_eq(scrm_nps_add_scores(x, &s_score[*rows], 1), SCRM_OK);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(x, &r), SCRM_OK);
    scrm_nps_free(x);
    return r;
}

static void assert_same_result(const scrm_nps_result *a, const scrm_nps_result *b, size_t g)
{
    cr_assert_eq(a->n, b->n, "group %zu: n %llu vs %llu", g, (unsigned long long)a->n,
                 (unsigned long long)b->n);
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        cr_assert_eq(a->score_counts[s], b->score_counts[s], "group %zu score %d", g, s);
    cr_assert(a->nps == b->nps && a->se == b->se && a->ci_low == b->ci_low &&
              a->ci_high == b->ci_high && a->method == b->method && a->level == b->level,
              "group %zu", g);
}

static int64_t t(const char *iso)
{
    int64_t v;
    cr_assert_eq(scrm_time_parse(iso, strlen(iso), &v), SCRM_OK);
    return v;
}

static const char *name(uint32_t id)
{
    const char *s;
    cr_assert_eq(scrm_dataset_string(ds, id, &s, NULL), SCRM_OK);
    return s;
}

Test(nps_dataset, compute_equals_the_accumulator_and_keeps_state)
{
    add_customers();
    add_survey(s_score);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_compute(nps, ds, &r), SCRM_OK, "%s", scrm_last_error_message());
    const int all[] = { 0, 1, 2, 3, 4, 5, 6, 7, -1 };
    scrm_nps_result want = expected(nps, all);
    assert_same_result(&r, &want, 0);
    cr_assert_eq(r.promoters, 3);
    cr_assert_eq(r.detractors, 3);
    cr_assert_eq(r.nps, 0.0);
    /* compute resets first: twice gives the same, not double. */
    cr_assert_eq(scrm_nps_compute(nps, ds, &r), SCRM_OK);
    cr_assert_eq(r.n, N_SURVEY);
    scrm_nps_result fin;
    cr_assert_eq(scrm_nps_finalize(nps, &fin), SCRM_OK);
    assert_same_result(&fin, &want, 0);
}

Test(nps_dataset, bad_score_names_the_row_and_changes_nothing)
{
    add_customers();
    double bad[N_SURVEY];
    memcpy(bad, s_score, sizeof bad);
    bad[3] = 10.5;
    add_survey(bad);
    double prior = 9.0;
    cr_assert_eq(scrm_nps_add_scores(nps, &prior, 1), SCRM_OK);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_compute(nps, ds, &r), SCRM_EINVAL);
    assert_msg_has("survey row 3");
    assert_msg_has("10.5");
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_OK);
    cr_assert_eq(r.n, 1, "state unchanged on failure");
    scrm_nps_group g[16];
    size_t len = 99;
    cr_assert_eq(scrm_nps_compute_by_segment(nps, ds, g, 16, &len), SCRM_EINVAL);
    assert_msg_has("survey row 3");
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_MONTH, g, 16, &len),
                 SCRM_EINVAL);
    assert_msg_has("survey row 3");
    assert_msg_has("10.5");
}

Test(nps_dataset, empty_survey_is_enodata)
{
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_compute(nps, ds, &r), SCRM_ENODATA);
    scrm_nps_group g[4];
    size_t len = 99;
    cr_assert_eq(scrm_nps_compute_by_segment(nps, ds, g, 4, &len), SCRM_ENODATA);
    cr_assert_eq(len, 0);
    len = 99;
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_DAY, g, 4, &len), SCRM_ENODATA);
    cr_assert_eq(len, 0);
}

Test(nps_dataset, by_segment_joins_customers_with_an_unknown_group)
{
    add_customers();
    add_survey(s_score);
    scrm_nps_group g[8];
    size_t len = 0;
    cr_assert_eq(scrm_nps_compute_by_segment(nps, ds, g, 8, &len), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_eq(len, 4);
    /* Sorted by name, unknown ("") first. c4 (no segment), the row without a
     * customer and c9 (not in customers) are unknown; c1 is gold (first row). */
    const char *names[] = { "", "bronze", "gold", "silver" };
    const int rows[4][5] = { { 3, 4, 5, -1 }, { 6, -1 }, { 0, 2, 7, -1 }, { 1, -1 } };
    uint64_t total = 0;
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(name(g[i].segment), names[i]);
        cr_assert_eq(g[i].period_start, SCRM_TIME_NONE);
        scrm_nps_result want = expected(nps, rows[i]);
        assert_same_result(&g[i].result, &want, i);
        total += g[i].result.n;
    }
    cr_assert_eq(g[0].segment, 0, "unknown is string id 0");
    cr_assert_eq(total, N_SURVEY, "every response in exactly one group");
    /* The handle's own state is neither used nor changed. */
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(nps, &r), SCRM_ENODATA);
}

Test(nps_dataset, by_segment_without_customers_table_is_all_unknown)
{
    add_survey(s_score);
    scrm_nps_group g[2];
    size_t len = 0;
    cr_assert_eq(scrm_nps_compute_by_segment(nps, ds, g, 2, &len), SCRM_OK);
    cr_assert_eq(len, 1);
    cr_assert_eq(g[0].segment, 0);
    cr_assert_eq(g[0].result.n, N_SURVEY);
}

struct period_case {
    int32_t period;
    size_t n_groups;
    const char *first;
    const char *last;
};

Test(nps_dataset, by_period_groups_sorted_with_full_results)
{
    add_customers();
    add_survey(s_score);
    /* Row times: 2023-12-31 (Sun), 2024-01-01 (Mon), 01-02, 01-15 (Mon),
     * 02-01 (Thu), 02-10 (Sat), 03-31T23:59:59 (Sun), 04-01 (Mon). */
    const struct period_case cases[] = {
        { SCRM_PERIOD_DAY, 8, "2023-12-31", "2024-04-01" },
        { SCRM_PERIOD_WEEK, 7, "2023-12-25", "2024-04-01" },
        { SCRM_PERIOD_MONTH, 5, "2023-12-01", "2024-04-01" },
        { SCRM_PERIOD_QUARTER, 3, "2023-10-01", "2024-04-01" },
        { SCRM_PERIOD_YEAR, 2, "2023-01-01", "2024-01-01" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        scrm_nps_group g[16];
        size_t len = 0;
        cr_assert_eq(scrm_nps_compute_by_period(nps, ds, cases[c].period, g, 16, &len), SCRM_OK,
                     "%s", scrm_last_error_message());
        cr_assert_eq(len, cases[c].n_groups, "period %d: %zu groups", cases[c].period, len);
        cr_assert_eq(g[0].period_start, t(cases[c].first));
        cr_assert_eq(g[len - 1].period_start, t(cases[c].last));
        uint64_t total = 0;
        for (size_t i = 0; i < len; i++) {
            cr_assert_eq(g[i].segment, 0);
            if (i > 0)
                cr_assert(g[i - 1].period_start < g[i].period_start, "sorted");
            /* Rebuild the group from the rows whose period start matches. */
            int rows[N_SURVEY + 1], k = 0;
            for (int r = 0; r < N_SURVEY; r++) {
                int64_t start;
                cr_assert_eq(scrm_period_start(t(s_time[r]), cases[c].period, &start), SCRM_OK);
                if (start == g[i].period_start)
                    rows[k++] = r;
            }
            rows[k] = -1;
            scrm_nps_result want = expected(nps, rows);
            assert_same_result(&g[i].result, &want, i);
            total += g[i].result.n;
        }
        cr_assert_eq(total, N_SURVEY);
    }
    /* Month by month: 2024-01 has 10, 9, 3 -> NPS 100 (2 - 1) / 3. */
    scrm_nps_group g[8];
    size_t len;
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_MONTH, g, 8, &len), SCRM_OK);
    cr_assert_eq(g[1].period_start, t("2024-01-01"));
    cr_assert_float_eq(g[1].result.nps, 100.0 / 3.0, 1e-13);
    /* Consecutive periods can be compared directly. */
    scrm_nps_comparison cmp;
    cr_assert_eq(scrm_nps_compare(&g[1].result, &g[2].result, 0.95, &cmp), SCRM_OK);
    cr_assert_float_eq(cmp.difference, -50.0 - 100.0 / 3.0, 1e-12);
}

Test(nps_dataset, grouped_buffers_follow_the_ebufs_pattern)
{
    add_customers();
    add_survey(s_score);
    size_t len = 0;
    cr_assert_eq(scrm_nps_compute_by_segment(nps, ds, NULL, 0, &len), SCRM_EBUFS);
    cr_assert_eq(len, 4);
    scrm_nps_group g[8];
    memset(g, 0xA5, sizeof g);
    unsigned char pristine[sizeof g];
    memcpy(pristine, g, sizeof g);
    cr_assert_eq(scrm_nps_compute_by_segment(nps, ds, g, 3, &len), SCRM_EBUFS);
    cr_assert_eq(len, 4);
    cr_assert(memcmp(g, pristine, sizeof g) == 0, "nothing written on EBUFS");
    assert_msg_has("4 needed");
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_DAY, NULL, 0, &len), SCRM_EBUFS);
    cr_assert_eq(len, 8);
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_DAY, g, 7, &len), SCRM_EBUFS);
    cr_assert_eq(len, 8);
    cr_assert(memcmp(g, pristine, sizeof g) == 0, "nothing written on EBUFS");
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_DAY, NULL, 8, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_compute_by_segment(nps, ds, g, 8, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_nps_compute_by_segment(NULL, ds, g, 8, &len), SCRM_EINVAL);
    const int32_t bad_periods[] = { 0, 6, -1, 99 };
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(scrm_nps_compute_by_period(nps, ds, bad_periods[i], g, 8, &len), SCRM_EINVAL,
                     "period %d", bad_periods[i]);
        assert_msg_has("period");
    }
}

Test(nps_dataset, grouped_results_use_the_handle_options)
{
    add_survey(s_score);
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    o.ci_method = SCRM_NPS_CI_WALD;
    o.level = 0.8;
    o.detractor_max = 2;
    o.promoter_min = 8;
    scrm_nps *w;
    cr_assert_eq(scrm_nps_new(&w, &o), SCRM_OK);
    scrm_nps_group g[4];
    size_t len;
    cr_assert_eq(scrm_nps_compute_by_period(w, ds, SCRM_PERIOD_YEAR, g, 4, &len), SCRM_OK);
    cr_assert_eq(g[1].result.method, SCRM_NPS_CI_WALD);
    cr_assert_eq(g[1].result.level, 0.8);
    cr_assert_eq(g[1].result.promoters, 4, "8, 9, 10, 10 with promoter_min 8");
    cr_assert_eq(g[1].result.detractors, 1, "only 0 with detractor_max 2");
    scrm_nps_free(w);
}

Test(nps_dataset, many_periods_grow_the_group_table)
{
    /* 3,000 daily responses over ~8 years, in reverse order: more groups
     * than the initial table, and no help from the "same period" cache. */
    enum { N = 3000 };
    static int64_t times[N];
    static double scores[N];
    int64_t base = t("2016-03-01");
    for (int i = 0; i < N; i++) {
        times[i] = base + (int64_t)(N - 1 - i) * SCRM_SECONDS_PER_DAY + 3600 * (i % 24);
        scores[i] = (double)(i % 11);
    }
    scrm_column_input in[] = {
        { SCRM_SURVEY_TIME, SCRM_VALUE_I64, times },
        { SCRM_SURVEY_SCORE, SCRM_VALUE_F64, scores },
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_SURVEY, N, in, 2, NULL, NULL), SCRM_OK, "%s",
                 scrm_last_error_message());
    static scrm_nps_group g[N];
    size_t len;
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_DAY, g, N, &len), SCRM_OK);
    cr_assert_eq(len, N);
    for (size_t i = 0; i < len; i++) {
        cr_assert_eq(g[i].period_start, base + (int64_t)i * SCRM_SECONDS_PER_DAY);
        cr_assert_eq(g[i].result.n, 1);
        cr_assert_eq(g[i].result.score_counts[(N - 1 - i) % 11], 1);
    }
    cr_assert_eq(scrm_nps_compute_by_period(nps, ds, SCRM_PERIOD_MONTH, g, N, &len), SCRM_OK);
    uint64_t total = 0;
    for (size_t i = 0; i < len; i++)
        total += g[i].result.n;
    cr_assert_eq(total, N);
    cr_assert(len >= 98 && len <= 100, "about 99 months: %zu", len);
}

Test(nps_dataset, referral_from_survey_and_referrals_tables)
{
    add_customers();
    add_survey(s_score);
    const char *referrer[] = { "c1", "c1", "c2", "c5", "c9" };
    const char *rtime[] = { "2024-01-05", "2024-01-06", "2024-02-01", "2024-04-02", "2024-04-03" };
    const char *converted[] = { "yes", "no", "", "yes", "no" };
    scrm_column_input in[] = {
        { SCRM_REFERRALS_REFERRER, SCRM_VALUE_TEXT, referrer },
        { SCRM_REFERRALS_TIME, SCRM_VALUE_TEXT, rtime },
        { SCRM_REFERRALS_CONVERTED, SCRM_VALUE_TEXT, converted },
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_REFERRALS, 5, in, 3, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    scrm_nps_referral r;
    memset(&r, 0xA5, sizeof r); /* compute starts from scratch */
    cr_assert_eq(scrm_nps_referral_compute(ds, &r), SCRM_OK);
    /* (intends, referred): (1,1) (1,0) (0,0) (1,0) (?,1) (1,?) (0,1) (0,0) */
    cr_assert_eq(r.intend_referred, 1);
    cr_assert_eq(r.intend_not_referred, 2);
    cr_assert_eq(r.referred_not_intend, 1);
    cr_assert_eq(r.neither, 2);
    cr_assert_eq(r.incomplete, 2);
    scrm_nps_referral_result s;
    cr_assert_eq(scrm_nps_referral_finalize(&r, &s), SCRM_OK);
    cr_assert_eq(s.n, 6);
    cr_assert_float_eq(s.intend_share, 0.5, 1e-15);
    cr_assert_float_eq(s.referred_share, 2.0 / 6.0, 1e-15);
    cr_assert_float_eq(s.referred_given_intend, 1.0 / 3.0, 1e-15);
    /* phi = (1*2 - 2*1) / sqrt(3*3*2*4) = 0 */
    cr_assert(s.phi_valid);
    cr_assert_float_eq(s.phi, 0.0, 1e-15);
    cr_assert_eq(r.referrals, 4);
    cr_assert_eq(r.referrals_converted, 2);
    cr_assert_eq(r.referrals_unknown, 1);
    cr_assert_float_eq(s.conversion_share, 0.5, 1e-15);

    /* An empty dataset: nothing is valid, nothing is NaN. */
    scrm_dataset *empty;
    cr_assert_eq(scrm_dataset_new(&empty), SCRM_OK);
    cr_assert_eq(scrm_nps_referral_compute(empty, &r), SCRM_OK);
    cr_assert_eq(scrm_nps_referral_finalize(&r, &s), SCRM_OK);
    cr_assert(!s.shares_valid && !s.phi_valid && !s.conversion_valid && s.n == 0);
    cr_assert(!isnan(s.phi) && !isnan(s.conversion_share));
    scrm_dataset_free(empty);
}
