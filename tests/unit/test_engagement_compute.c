/* scrm_engagement_compute() over datasets: a golden worked by hand, exact
 * unique users against brute force, and agreement with the array path. */
#include "test_engagement_util.h"

#include <stdio.h>

static const char SOCIAL[] =
    "time,channel,user,kind,post_id,target_user,brand,reach,impressions,sentiment\n"
    "2024-01-01T09:00:00Z,fb,acme,post,p1,,,1000,1500,\n"
    "2024-01-01T10:00:00Z,fb,ann,like,p1,,,,,positive\n"
    "2024-01-02T10:00:00Z,fb,bob,Reply,p1,acme,,,,negative\n"
    "2024-01-02T11:00:00Z,fb,ann,retweet,p1,,ACME,,,0.5\n"
    "2024-01-08T10:00:00Z,x,cat,mention,,,,,,neutral\n"
    "2024-01-09T10:00:00Z,x,dan,mention,,,Globex,,,-0.2\n"
    "2024-01-09T12:00:00Z,x,ann,save,p1,,,,,\n"
    "2024-02-01T00:00:00Z,fb,eve,reaction,p1,,,200,300,\n";

static const char AUDIENCE[] = "time,channel,followers\n"
                               "2023-12-31,fb,1000\n"
                               "2024-01-15,fb,1100\n"
                               "2024-01-01,x,50\n"
                               "2024-02-01,fb,1150\n";

static scrm_dataset *golden_dataset(void)
{
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_load_report rep;
    int rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_SOCIAL, SOCIAL, sizeof SOCIAL - 1,
                                          "social.csv", NULL, &rep);
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
    rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_AUDIENCE, AUDIENCE, sizeof AUDIENCE - 1,
                                      "audience.csv", NULL, &rep);
    cr_assert_eq(rc, SCRM_OK, "%s", scrm_last_error_message());
    return ds;
}

static scrm_engagement_options golden_opts(void)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_MONTH);
    o.own_brand = "Acme";
    return o;
}

#define JAN1 INT64_C(1704067200)
#define FEB1 INT64_C(1706745600)
#define MAR1 INT64_C(1709251200)

Test(engagement_compute, golden_by_hand)
{
    scrm_dataset *ds = golden_dataset();
    scrm_engagement_options o = golden_opts();
    scrm_engagement *e = eng_new(&o);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_compute(e, ds, &r), SCRM_OK, "%s", scrm_last_error_message());
    scrm_dataset_free(ds); /* results and state do not depend on it */
    /* Own rows: the post, like, reply, retweet (brand ACME = Acme), mention,
     * save and reaction; Globex's mention is a competitor row. */
    cr_assert_eq(r.rows, 7);
    const uint64_t counts[] = {1, 1, 1, 2, 1, 1};
    cr_assert_eq(memcmp(r.counts, counts, sizeof counts), 0);
    cr_assert_eq(r.competitor_counts[SCRM_ENGAGEMENT_MENTION], 1);
    cr_assert_eq(r.engagements, 4);
    cr_assert_eq(r.start, JAN1);
    cr_assert_eq(r.end, MAR1);
    cr_assert_eq(r.reach, 1200.0);
    cr_assert_eq(r.impressions, 1800.0);
    cr_assert_float_eq(r.er_reach, 4.0 / 1200.0 * 100.0, 1e-12);
    cr_assert_float_eq(r.er_impressions, 4.0 / 1800.0 * 100.0, 1e-12);
    /* Followers before Mar 1: fb 1150 (Feb 1) + x 50. */
    cr_assert_eq(r.followers, 1200.0);
    cr_assert_float_eq(r.er_followers, 4.0 / 1200.0 * 100.0, 1e-12);
    cr_assert_eq(r.conversation_rate, 1.0);
    cr_assert_eq(r.amplification_rate, 1.0);
    cr_assert_eq(r.applause_rate, 2.0);
    /* Sentiment of own rows: +1, -1, +0.5, 0 -> P 2, N 1, U 1, unscored 3. */
    cr_assert_eq(r.positive, 2);
    cr_assert_eq(r.negative, 1);
    cr_assert_eq(r.neutral, 1);
    cr_assert_eq(r.unscored, 3);
    cr_assert_float_eq(r.net_sentiment, 100.0 / 3.0, 1e-12);
    cr_assert_float_eq(r.net_sentiment_total, 25.0, 1e-12);
    cr_assert_float_eq(r.mean_sentiment, 0.125, 1e-15);
    cr_assert_float_eq(r.share_of_voice, 50.0, 1e-12);
    /* Talking users (like, comment, share, mention; own rows): ann, bob, cat, eve. */
    cr_assert(r.valid & SCRM_ENGAGEMENT_EXACT_USERS);
    cr_assert_eq(r.unique_users, 4.0);
    cr_assert_eq(r.talking_window, 1.0); /* Jan 26 .. Feb 1: eve */

    scrm_engagement_result p[2];
    size_t n;
    cr_assert_eq(scrm_engagement_periods(e, p, 2, &n), SCRM_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(p[0].rows, 6);
    cr_assert_eq(p[0].engagements, 3);
    cr_assert_eq(p[0].unique_users, 3.0);
    cr_assert_eq(p[0].talking_window, 0.0); /* Jan 25 .. 31: nobody */
    cr_assert_eq(p[0].followers, 1150.0);  /* fb 1100 (Jan 15) + x 50 */
    cr_assert_eq(p[1].unique_users, 1.0);
    cr_assert_eq(p[1].talking_window, 1.0);
    cr_assert_eq(p[1].end, MAR1);
    cr_assert_float_eq(p[1].growth_engagements, (1.0 - 3.0) / 3.0 * 100.0, 1e-12);
    cr_assert_float_eq(p[1].growth_unique_users, (1.0 - 3.0) / 3.0 * 100.0, 1e-12);
    cr_assert_float_eq(p[1].growth_followers, 50.0 / 1150.0 * 100.0, 1e-12);
    cr_assert(p[1].valid & SCRM_ENGAGEMENT_EXACT_USERS);

    scrm_engagement_day d[32];
    cr_assert_eq(scrm_engagement_days(e, d, 32, &n), SCRM_OK);
    cr_assert_eq(n, 32);
    cr_assert_eq(d[0].start, JAN1);
    cr_assert_eq(d[31].start, FEB1);
    const struct {
        int day;
        double users, window;
    } want[] = {{1, 1, 1},  {2, 2, 2},  {7, 0, 2},  {8, 1, 3},  {9, 0, 1},
                {14, 0, 1}, {15, 0, 0}, {31, 0, 0}, {32, 1, 1}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const scrm_engagement_day *x = &d[want[i].day - 1];
        cr_assert_eq(x->exact, 1);
        cr_assert_eq(x->unique_users, want[i].users, "day %d users %g", want[i].day,
                     x->unique_users);
        cr_assert_eq(x->talking_window, want[i].window, "day %d window %g", want[i].day,
                     x->talking_window);
    }
    cr_assert_eq(d[8].rows, 1); /* Jan 9: ann's save (dan is a competitor) */
    cr_assert_eq(d[8].engagements, 0);

    /* Modifying the accumulator drops the exact counts: sketch estimates now. */
    scrm_engagement *empty = eng_new(&o);
    cr_assert_eq(scrm_engagement_merge(e, empty), SCRM_OK);
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_not(r.valid & SCRM_ENGAGEMENT_EXACT_USERS);
    cr_assert_float_eq(r.unique_users, 4.0, 0.01);
    cr_assert_eq(scrm_engagement_days(e, d, 32, &n), SCRM_OK);
    cr_assert_eq(d[7].exact, 0);
    cr_assert_float_eq(d[7].talking_window, 3.0, 0.01);
    scrm_engagement_free(empty);
    scrm_engagement_free(e);
}

/* The state left by compute equals the state built from the same rows through
 * the array path with user strings: the two paths key users identically. */
Test(engagement_compute, state_equals_array_path)
{
    scrm_dataset *ds = golden_dataset();
    scrm_engagement_options o = golden_opts();
    scrm_engagement *e = eng_new(&o), *a = eng_new(&o);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_compute(e, ds, &r), SCRM_OK);
    int64_t ts[8];
    const char *s[] = {"2024-01-01T09:00:00Z", "2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z",
                       "2024-01-02T11:00:00Z", "2024-01-08T10:00:00Z", "2024-01-09T10:00:00Z",
                       "2024-01-09T12:00:00Z", "2024-02-01T00:00:00Z"};
    for (int i = 0; i < 8; i++)
        cr_assert_eq(scrm_time_parse(s[i], strlen(s[i]), &ts[i]), SCRM_OK);
    const char *users[] = {"acme", "ann", "bob", "ann", "cat", "dan", "ann", "eve"};
    int32_t kinds[] = {0, 3, 1, 2, 4, 4, 5, 3};
    double reach[] = {1000, 0, 0, 0, 0, 0, 0, 200}, impr[] = {1500, 0, 0, 0, 0, 0, 0, 300};
    double sent[] = {NAN, 1, -1, 0.5, 0, -0.2, NAN, NAN};
    int8_t comp[] = {0, 0, 0, 0, 0, 1, 0, 0};
    cr_assert_eq(scrm_engagement_add(a, ts, users, kinds, reach, impr, sent, comp, 8), SCRM_OK);
    const char *ch[] = {"fb", "fb", "x", "fb"};
    const char *ft[] = {"2023-12-31", "2024-01-15", "2024-01-01", "2024-02-01"};
    int64_t fts[4];
    for (int i = 0; i < 4; i++)
        scrm_time_parse(ft[i], strlen(ft[i]), &fts[i]);
    double f[] = {1000, 1100, 50, 1150};
    cr_assert_eq(scrm_engagement_add_followers(a, fts, ch, f, 4), SCRM_OK);
    size_t la, le;
    uint8_t *ba = eng_bytes(a, &la), *be = eng_bytes(e, &le);
    cr_assert_eq(la, le);
    cr_assert_eq(memcmp(ba, be, la), 0);
    free(ba), free(be);
    /* Recomputing resets first: same result twice. */
    scrm_engagement_result r2;
    cr_assert_eq(scrm_engagement_compute(e, ds, &r2), SCRM_OK);
    assert_same_result(&r, &r2, "recompute");
    scrm_engagement_free(a);
    scrm_engagement_free(e);
    scrm_dataset_free(ds);
}

Test(engagement_compute, empty_dataset_and_no_own_brand)
{
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_engagement *e = eng_new(NULL);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_compute(e, ds, &r), SCRM_OK);
    cr_assert_eq(r.rows, 0);
    cr_assert_eq(r.valid, 0);
    scrm_dataset_free(ds);
    /* Without own_brand, "ACME" is a competitor. */
    ds = golden_dataset();
    cr_assert_eq(scrm_engagement_compute(e, ds, &r), SCRM_OK);
    cr_assert_eq(r.rows, 6);
    cr_assert_eq(r.competitor_counts[SCRM_ENGAGEMENT_SHARE], 1);
    scrm_dataset_free(ds);
    scrm_engagement_free(e);
}

/* ---- exact counts against brute force on a random dataset ---- */

#define NU 300
#define ND 45

static uint64_t lcg(uint64_t *s)
{
    *s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return *s >> 33;
}

Test(engagement_compute, exact_counts_match_brute_force)
{
    enum { N = 4000 };
    static int64_t t[N];
    static const char *user[N], *kind[N], *brand[N];
    static char names[NU][8];
    const char *kinds[] = {"post", "comment", "like", "share", "mention", "click"};
    const char *brands[] = {"", "", "", "", "rival"};
    uint64_t s = 99;
    for (int u = 0; u < NU; u++)
        snprintf(names[u], sizeof names[u], "u%d", u);
    for (int i = 0; i < N; i++) {
        t[i] = JAN1 + (int64_t)(lcg(&s) % (ND * 86400));
        user[i] = names[lcg(&s) % NU];
        kind[i] = kinds[lcg(&s) % 6];
        brand[i] = brands[lcg(&s) % 5];
    }
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_column_input cols[] = {{SCRM_SOCIAL_TIME, SCRM_VALUE_I64, t},
                                {SCRM_SOCIAL_USER, SCRM_VALUE_TEXT, user},
                                {SCRM_SOCIAL_KIND, SCRM_VALUE_TEXT, kind},
                                {SCRM_SOCIAL_BRAND, SCRM_VALUE_TEXT, brand}};
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_SOCIAL, N, cols, 4, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_WEEK);
    scrm_engagement *e = eng_new(&o);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_compute(e, ds, &r), SCRM_OK);

    /* Brute force: talking = own (brand "") rows of like/comment/share/mention. */
    static unsigned char on_day[ND][NU];
    memset(on_day, 0, sizeof on_day);
    int64_t first = ND, last = -1;
    for (int i = 0; i < N; i++) {
        int64_t d = (t[i] - JAN1) / 86400;
        first = d < first ? d : first;
        last = d > last ? d : last;
        bool talking = strcmp(kind[i], "post") && strcmp(kind[i], "click");
        if (talking && brand[i][0] == '\0')
            on_day[d][atoi(user[i] + 1)] = 1;
    }
    size_t n;
    static scrm_engagement_day days[ND];
    cr_assert_eq(scrm_engagement_days(e, days, ND, &n), SCRM_OK);
    cr_assert_eq((int64_t)n, last - first + 1);
    unsigned char any[NU] = {0};
    for (int64_t d = first; d <= last; d++) {
        int cnt = 0, win = 0;
        for (int u = 0; u < NU; u++) {
            cnt += on_day[d][u];
            int in = 0;
            for (int64_t k = d - 6; k <= d; k++)
                in |= k >= 0 && on_day[k][u];
            win += in;
            any[u] |= on_day[d][u];
        }
        const scrm_engagement_day *x = &days[d - first];
        cr_assert_eq(x->unique_users, (double)cnt, "day %lld", (long long)d);
        cr_assert_eq(x->talking_window, (double)win, "window %lld", (long long)d);
    }
    int all = 0;
    for (int u = 0; u < NU; u++)
        all += any[u];
    cr_assert_eq(r.unique_users, (double)all);
    /* Weeks start on Mondays; Jan 1 2024 is one, so week k = days 7k .. 7k+6. */
    scrm_engagement_result p[8];
    cr_assert_eq(scrm_engagement_periods(e, p, 8, &n), SCRM_OK);
    for (size_t w = 0; w < n; w++) {
        unsigned char in[NU] = {0};
        for (int64_t d = (int64_t)w * 7; d < (int64_t)w * 7 + 7 && d < ND; d++)
            for (int u = 0; u < NU; u++)
                in[u] |= on_day[d][u];
        int cnt = 0;
        for (int u = 0; u < NU; u++)
            cnt += in[u];
        cr_assert_eq(p[w].unique_users, (double)cnt, "week %zu", w);
    }
    /* The sketches of the same state estimate within 2 %. */
    scrm_engagement *empty = eng_new(&o);
    scrm_engagement_merge(e, empty);
    scrm_engagement_result est;
    cr_assert_eq(scrm_engagement_finalize(e, &est), SCRM_OK);
    cr_assert(fabs(est.unique_users - all) <= 0.02 * all, "estimate %g vs %d",
              est.unique_users, all);
    scrm_engagement_free(empty);
    scrm_engagement_free(e);
    scrm_dataset_free(ds);
}
