/* Engagement calculator: golden values worked by hand and from the sources
 * (METRICS.md section 4), definitions of every figure, and bad input. */
#include "test_engagement_util.h"

/* ---- goldens ---- */

/* ENG-1 / ENG-2 (SocialTalk): 500 likes + 50 comments + 20 shares + 30 saves
 * = 600 engagements; 10,000 followers -> 6 %; 8,000 impressions -> 7.5 %. */
Test(engagement, socialtalk_engagement_rates)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_DAY);
    o.engagement_kinds = SCRM_ENGAGEMENT_DEFAULT_ENGAGEMENT_KINDS |
                         SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_OTHER); /* saves */
    scrm_engagement *e = eng_new(&o);
    int64_t t = T0 + 3600;
    eng_add_same(e, t, SCRM_ENGAGEMENT_LIKE, 500, 1000, 0, NAN, 0);
    eng_add_same(e, t, SCRM_ENGAGEMENT_COMMENT, 50, 2000, 0, NAN, 0);
    eng_add_same(e, t, SCRM_ENGAGEMENT_SHARE, 20, 3000, 0, NAN, 0);
    eng_add_same(e, t, SCRM_ENGAGEMENT_OTHER, 30, 4000, 0, NAN, 0);
    /* One post carrying the impressions and a reach of 12,000. */
    int64_t pt = t - 60;
    uint64_t brand = 1;
    int32_t post = SCRM_ENGAGEMENT_POST;
    double reach = 12000, impressions = 8000;
    cr_assert_eq(scrm_engagement_add_keys(e, &pt, &brand, &post, &reach, &impressions, NULL, NULL,
                                          1),
                 SCRM_OK);
    int64_t ft = T0 - DAY; /* the count as of the day before */
    double followers = 10000;
    cr_assert_eq(scrm_engagement_add_followers(e, &ft, NULL, &followers, 1), SCRM_OK);

    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_eq(r.engagements, 600);
    cr_assert_eq(r.rows, 601);
    cr_assert_eq(r.counts[SCRM_ENGAGEMENT_POST], 1);
    cr_assert_eq(r.start, T0);
    cr_assert_eq(r.end, T0 + DAY);
    cr_assert(r.valid & SCRM_ENGAGEMENT_VALID_ER_FOLLOWERS);
    cr_assert_float_eq(r.er_followers, 6.0, 1e-12);
    cr_assert_float_eq(r.er_impressions, 7.5, 1e-12);
    cr_assert_float_eq(r.er_reach, 5.0, 1e-12, "er_reach %.17g reach %.17g E %llu", r.er_reach, r.reach, (unsigned long long)r.engagements);
    cr_assert_eq(r.followers, 10000.0);
    /* Kaushik rates with one post: 50 comments, 20 shares, 500 likes per post. */
    cr_assert_eq(r.conversation_rate, 50.0);
    cr_assert_eq(r.amplification_rate, 20.0);
    cr_assert_eq(r.applause_rate, 500.0);
    scrm_engagement_free(e);
}

/* ENG-3: 20 posts, 100 comments, 60 shares, 1,000 likes -> 5.0, 3.0, 50.0 per post. */
Test(engagement, kaushik_rates)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_MONTH);
    scrm_engagement *e = eng_new(&o);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_POST, 20, 1, 0, NAN, 0);
    eng_add_same(e, T0 + 5 * DAY, SCRM_ENGAGEMENT_COMMENT, 100, 100, 0, NAN, 0);
    eng_add_same(e, T0 + 9 * DAY, SCRM_ENGAGEMENT_SHARE, 60, 200, 0, NAN, 0);
    eng_add_same(e, T0 + 20 * DAY, SCRM_ENGAGEMENT_LIKE, 1000, 300, 0, NAN, 0);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert(r.valid & SCRM_ENGAGEMENT_VALID_PER_POST);
    cr_assert_eq(r.conversation_rate, 5.0);
    cr_assert_eq(r.amplification_rate, 3.0);
    cr_assert_eq(r.applause_rate, 50.0);
    cr_assert_eq(r.engagements, 1160);
    /* No reach, impressions or followers: those rates are undefined, flagged and NaN. */
    cr_assert_not(r.valid & (SCRM_ENGAGEMENT_VALID_ER_REACH | SCRM_ENGAGEMENT_VALID_ER_IMPRESSIONS |
                             SCRM_ENGAGEMENT_VALID_ER_FOLLOWERS | SCRM_ENGAGEMENT_VALID_FOLLOWERS));
    cr_assert(isnan(r.er_reach) && isnan(r.er_impressions) && isnan(r.er_followers));
    scrm_engagement_free(e);
}

/* SENT-1 / SENT-2: P = 80, N = 20, U = 100 -> 30.0 (over all scored) and 60.0 (polar). */
Test(engagement, net_sentiment_both_definitions)
{
    scrm_engagement *e = eng_new(NULL);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_MENTION, 80, 1, 0, 0.5, 0);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_MENTION, 20, 100, 0, -1.0, 0);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_MENTION, 100, 200, 0, 0.0, 0);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_COMMENT, 7, 300, 0, NAN, 0); /* unscored */
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_eq(r.positive, 80);
    cr_assert_eq(r.negative, 20);
    cr_assert_eq(r.neutral, 100);
    cr_assert_eq(r.unscored, 7);
    cr_assert_float_eq(r.net_sentiment_total, 30.0, 1e-12);
    cr_assert_float_eq(r.net_sentiment, 60.0, 1e-12);
    /* Mean score: (80 * 0.5 - 20) / 200 = 0.1. */
    cr_assert_float_eq(r.mean_sentiment, 0.1, 1e-15);
    cr_assert(r.valid & SCRM_ENGAGEMENT_VALID_NSS);
    cr_assert(r.valid & SCRM_ENGAGEMENT_VALID_NSS_TOTAL);
    scrm_engagement_free(e);
}

Test(engagement, neutral_band_classifies_weak_scores)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_MONTH);
    o.neutral_band = 0.05;
    scrm_engagement *e = eng_new(&o);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_COMMENT, 3, 1, 0, 0.05, 0);  /* neutral (boundary) */
    eng_add_same(e, T0, SCRM_ENGAGEMENT_COMMENT, 2, 10, 0, -0.04, 0); /* neutral */
    eng_add_same(e, T0, SCRM_ENGAGEMENT_COMMENT, 1, 20, 0, 0.06, 0);  /* positive */
    eng_add_same(e, T0, SCRM_ENGAGEMENT_COMMENT, 4, 30, 0, -0.5, 0);  /* negative */
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_eq(r.neutral, 5);
    cr_assert_eq(r.positive, 1);
    cr_assert_eq(r.negative, 4);
    cr_assert_float_eq(r.net_sentiment, (1.0 - 4.0) / 5.0 * 100.0, 1e-12);
    scrm_engagement_free(e);
}

/* SOV: own 30 mentions, competitors 70 -> 30 %; competitor rows stay out of
 * the own metrics unless pooled. */
Test(engagement, share_of_voice_and_competitor_modes)
{
    for (int pooled = 0; pooled <= 1; pooled++) {
        scrm_engagement_options o = eng_opts(SCRM_PERIOD_MONTH);
        o.competitors = pooled ? SCRM_ENGAGEMENT_COMPETITORS_POOLED
                               : SCRM_ENGAGEMENT_COMPETITORS_SOV_ONLY;
        scrm_engagement *e = eng_new(&o);
        eng_add_same(e, T0, SCRM_ENGAGEMENT_MENTION, 30, 1, 10, 1.0, 0);
        eng_add_same(e, T0 + DAY, SCRM_ENGAGEMENT_MENTION, 70, 1000, 20, -1.0, 1);
        eng_add_same(e, T0 + DAY, SCRM_ENGAGEMENT_LIKE, 5, 2000, 0, NAN, 1);
        scrm_engagement_result r;
        cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
        cr_assert_eq(r.own_mentions, 30);
        cr_assert_eq(r.competitor_mentions, 70);
        cr_assert_float_eq(r.share_of_voice, 30.0, 1e-12);
        cr_assert_eq(r.competitor_counts[SCRM_ENGAGEMENT_MENTION], 70);
        cr_assert_eq(r.competitor_counts[SCRM_ENGAGEMENT_LIKE], 5);
        if (!pooled) {
            cr_assert_eq(r.rows, 30);
            cr_assert_eq(r.reach, 300.0);
            cr_assert_eq(r.positive, 30);
            cr_assert_eq(r.negative, 0);
            cr_assert_float_eq(r.unique_users, 30.0, 0.3);
        } else {
            cr_assert_eq(r.rows, 105);
            cr_assert_eq(r.reach, 1700.0);
            cr_assert_eq(r.negative, 70);
            cr_assert_float_eq(r.unique_users, 105.0, 1.0);
        }
        scrm_engagement_free(e);
    }
}

Test(engagement, sov_kinds_option_counts_other_kinds_as_voice)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_MONTH);
    o.sov_kinds = SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_MENTION) |
                  SCRM_ENGAGEMENT_BIT(SCRM_ENGAGEMENT_COMMENT);
    scrm_engagement *e = eng_new(&o);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_MENTION, 1, 1, 0, NAN, 0);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_COMMENT, 2, 10, 0, NAN, 0);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_COMMENT, 5, 20, 0, NAN, 1);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_LIKE, 50, 30, 0, NAN, 1);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_eq(r.own_mentions, 3);
    cr_assert_eq(r.competitor_mentions, 5);
    cr_assert_float_eq(r.share_of_voice, 37.5, 1e-12);
    scrm_engagement_free(e);
}

Test(engagement, economic_value_from_values_per_action)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_MONTH);
    scrm_engagement *plain = eng_new(&o);
    o.value[SCRM_ENGAGEMENT_LIKE] = 0.25;
    o.value[SCRM_ENGAGEMENT_COMMENT] = 1.5;
    o.value[SCRM_ENGAGEMENT_SHARE] = 4.0;
    scrm_engagement *e = eng_new(&o);
    scrm_engagement *both[] = {plain, e};
    for (int i = 0; i < 2; i++) {
        eng_add_same(both[i], T0, SCRM_ENGAGEMENT_LIKE, 40, 1, 0, NAN, 0);
        eng_add_same(both[i], T0, SCRM_ENGAGEMENT_COMMENT, 6, 100, 0, NAN, 0);
        eng_add_same(both[i], T0, SCRM_ENGAGEMENT_SHARE, 3, 200, 0, NAN, 0);
        eng_add_same(both[i], T0, SCRM_ENGAGEMENT_SHARE, 9, 300, 0, NAN, 1); /* competitor */
    }
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert(r.valid & SCRM_ENGAGEMENT_VALID_ECONOMIC);
    cr_assert_eq(r.economic_value, 40 * 0.25 + 6 * 1.5 + 3 * 4.0); /* 31 */
    /* With every value at its default 0 the figure is undefined, not "0". */
    cr_assert_eq(scrm_engagement_finalize(plain, &r), SCRM_OK);
    cr_assert_not(r.valid & SCRM_ENGAGEMENT_VALID_ECONOMIC);
    cr_assert(isnan(r.economic_value));
    scrm_engagement_free(e);
    scrm_engagement_free(plain);
}

/* Two channels; the count at or before each period end, summed over channels. */
Test(engagement, followers_per_channel_at_period_end)
{
    scrm_engagement *e = eng_new(NULL); /* months */
    /* January, February and April have interactions (March is empty). */
    eng_add_same(e, T0 + 2 * DAY, SCRM_ENGAGEMENT_LIKE, 10, 1, 0, NAN, 0);
    eng_add_same(e, T0 + 40 * DAY, SCRM_ENGAGEMENT_LIKE, 30, 1, 0, NAN, 0);
    eng_add_same(e, T0 + 100 * DAY, SCRM_ENGAGEMENT_LIKE, 5, 1, 0, NAN, 0);
    const char *ch[] = {"fb", "fb", "fb", "x", "x", "fb"};
    int64_t ts[] = {T0 + 1 * DAY,           /* fb 1000 */
                    T0 + 30 * DAY + 86399,  /* fb 1100 on Jan 31, last second */
                    T0 + 31 * DAY,          /* fb 1200 on Feb 1, 00:00 */
                    T0 + 10 * DAY,          /* x 500 */
                    T0 + 10 * DAY + 3600,   /* x 520 later the same day: replaces 500 */
                    T0 + 70 * DAY};         /* fb 1500 in March */
    double f[] = {1000, 1100, 1200, 500, 520, 1500};
    cr_assert_eq(scrm_engagement_add_followers(e, ts, ch, f, 6), SCRM_OK);
    scrm_engagement_result p[4];
    size_t n = 0;
    cr_assert_eq(scrm_engagement_periods(e, p, 4, &n), SCRM_OK);
    cr_assert_eq(n, 4);
    cr_assert_eq(p[0].followers, 1100 + 520.0);
    cr_assert_eq(p[1].followers, 1200 + 520.0);
    cr_assert_eq(p[2].followers, 1500 + 520.0);
    cr_assert_eq(p[3].followers, 1500 + 520.0);
    cr_assert_float_eq(p[0].er_followers, 10.0 / 1620.0 * 100.0, 1e-12);
    cr_assert_float_eq(p[1].growth_followers, (1720.0 - 1620.0) / 1620.0 * 100.0, 1e-12);
    cr_assert(p[1].valid & SCRM_ENGAGEMENT_VALID_GROWTH_FOLLOWERS);
    /* Growth of engagements: Jan 10 -> Feb 30 (+200 %) -> Mar 0 (-100 %) -> Apr: undefined. */
    cr_assert_float_eq(p[1].growth_engagements, 200.0, 1e-12);
    cr_assert_float_eq(p[2].growth_engagements, -100.0, 1e-12);
    cr_assert_not(p[3].valid & SCRM_ENGAGEMENT_VALID_GROWTH_ENGAGEMENTS);
    cr_assert(isnan(p[3].growth_engagements));
    cr_assert_not(p[0].valid & SCRM_ENGAGEMENT_VALID_GROWTH_ENGAGEMENTS);
    cr_assert_eq(p[2].rows, 0);
    cr_assert_eq(p[2].start, INT64_C(1709251200)); /* 2024-03-01 */
    /* The overall result uses the count at the end of April. */
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_eq(r.followers, 2020.0);
    cr_assert_eq(r.end, INT64_C(1714521600)); /* 2024-05-01 */
    cr_assert_not(r.valid & SCRM_ENGAGEMENT_VALID_GROWTH_FOLLOWERS);
    scrm_engagement_free(e);
}

/* "People talking about this": users a, b, c on days 1, 2, 8 and 9 with a
 * 7-day window. Worked by hand:
 *   day 1 {a}           -> 1     day 2 {a,b}   -> 2
 *   day 7 window 1..7   -> 2     day 8: window 2..8 = {b, a} -> 2
 *   day 9: window 3..9 = {a, c} -> 2;  day 10: window 4..10 = {a, c} -> 2 */
Test(engagement, rolling_window_by_hand)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_WEEK);
    scrm_engagement *e = eng_new(&o);
    const char *users[] = {"a", "b", "a", "c", "a"};
    int64_t ts[] = {T0, T0 + DAY + 5, T0 + 7 * DAY, T0 + 8 * DAY + 7, T0 + 9 * DAY};
    int32_t kinds[] = {SCRM_ENGAGEMENT_LIKE, SCRM_ENGAGEMENT_COMMENT, SCRM_ENGAGEMENT_MENTION,
                       SCRM_ENGAGEMENT_SHARE, SCRM_ENGAGEMENT_POST /* not talking */};
    cr_assert_eq(scrm_engagement_add(e, ts, users, kinds, NULL, NULL, NULL, NULL, 5), SCRM_OK);
    scrm_engagement_day d[10];
    size_t n;
    cr_assert_eq(scrm_engagement_days(e, d, 10, &n), SCRM_OK);
    cr_assert_eq(n, 10);
    const double users_day[] = {1, 1, 0, 0, 0, 0, 0, 1, 1, 0};
    const double window[] = {1, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(d[i].start, T0 + (int64_t)i * DAY);
        cr_assert_eq(d[i].exact, 0);
        cr_assert_float_eq(d[i].unique_users, users_day[i], 1e-3, "day %zu", i);
        cr_assert_float_eq(d[i].talking_window, window[i], 2e-3, "day %zu", i);
    }
    cr_assert_eq(d[9].rows, 1);
    cr_assert_eq(d[9].engagements, 0);
    /* Weeks (Monday-based): week 1 = days 1..7 {a, b}; week 2 = days 8..10 {a, c}. */
    scrm_engagement_result w[2];
    cr_assert_eq(scrm_engagement_periods(e, w, 2, &n), SCRM_OK);
    cr_assert_eq(n, 2);
    cr_assert_float_eq(w[0].unique_users, 2.0, 2e-3);
    cr_assert_float_eq(w[1].unique_users, 2.0, 2e-3);
    cr_assert_float_eq(w[0].talking_window, 2.0, 2e-3); /* window ending day 7 */
    cr_assert_float_eq(w[1].talking_window, 2.0, 2e-3); /* ending day 10 (last data day) */
    cr_assert_float_eq(w[1].growth_unique_users, 0.0, 0.2);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_float_eq(r.unique_users, 3.0, 3e-3);
    cr_assert_not(r.valid & SCRM_ENGAGEMENT_EXACT_USERS);
    scrm_engagement_free(e);
}

Test(engagement, window_length_option)
{
    scrm_engagement_options o = eng_opts(SCRM_PERIOD_DAY);
    o.window_days = 1;
    scrm_engagement *e = eng_new(&o);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_LIKE, 3, 1, 0, NAN, 0);
    eng_add_same(e, T0 + DAY, SCRM_ENGAGEMENT_LIKE, 2, 50, 0, NAN, 0);
    scrm_engagement_day d[2];
    size_t n;
    cr_assert_eq(scrm_engagement_days(e, d, 2, &n), SCRM_OK);
    cr_assert_float_eq(d[1].talking_window, 2.0, 1e-2); /* only day 2's users */
    scrm_engagement_free(e);
}

Test(engagement, string_users_match_hashed_keys)
{
    scrm_engagement *a = eng_new(NULL), *b = eng_new(NULL);
    const char *users[] = {"alice", "bob", "alice", "carol"};
    uint64_t keys[4];
    for (int i = 0; i < 4; i++)
        keys[i] = scrm_engagement_hash(users[i], strlen(users[i]));
    int64_t ts[] = {T0, T0, T0 + DAY, T0 + 40 * DAY};
    int32_t kinds[] = {1, 2, 3, 4};
    double reach[] = {10, 20, 0.5, 1e6};
    cr_assert_eq(scrm_engagement_add(a, ts, users, kinds, reach, NULL, NULL, NULL, 4), SCRM_OK);
    cr_assert_eq(scrm_engagement_add_keys(b, ts, keys, kinds, reach, NULL, NULL, NULL, 4), SCRM_OK);
    size_t la, lb;
    uint8_t *ba = eng_bytes(a, &la), *bb = eng_bytes(b, &lb);
    cr_assert_eq(la, lb);
    cr_assert_eq(memcmp(ba, bb, la), 0);
    cr_assert_eq(scrm_engagement_hash("", 0), UINT64_C(0xEF46DB3751D8E999));
    cr_assert_eq(scrm_engagement_hash(NULL, 0), UINT64_C(0xEF46DB3751D8E999));
    free(ba), free(bb);
    scrm_engagement_free(a);
    scrm_engagement_free(b);
}

Test(engagement, empty_accumulator_has_no_valid_figures)
{
    scrm_engagement *e = eng_new(NULL);
    scrm_engagement_result r;
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_eq(r.rows, 0);
    cr_assert_eq(r.valid, 0);
    cr_assert_eq(r.start, 0);
    cr_assert(isnan(r.er_reach) && isnan(r.share_of_voice) && isnan(r.followers));
    size_t n = 99;
    cr_assert_eq(scrm_engagement_periods(e, NULL, 0, &n), SCRM_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(scrm_engagement_days(e, NULL, 0, &n), SCRM_OK);
    cr_assert_eq(n, 0);
    scrm_engagement_free(e);
}

Test(engagement, periods_cover_gaps_and_every_period_kind)
{
    /* Rows on 2024-01-01 and 2024-07-15. */
    const int32_t periods[] = {SCRM_PERIOD_DAY, SCRM_PERIOD_WEEK, SCRM_PERIOD_MONTH,
                               SCRM_PERIOD_QUARTER, SCRM_PERIOD_YEAR};
    const size_t expect[] = {197, 29, 7, 3, 1};
    for (int k = 0; k < 5; k++) {
        scrm_engagement_options o = eng_opts(periods[k]);
        scrm_engagement *e = eng_new(&o);
        eng_add_same(e, T0 + 100, SCRM_ENGAGEMENT_LIKE, 1, 1, 0, NAN, 0);
        eng_add_same(e, T0 + 196 * DAY + 100, SCRM_ENGAGEMENT_LIKE, 1, 2, 0, NAN, 0);
        size_t n = 0;
        cr_assert_eq(scrm_engagement_periods(e, NULL, 0, &n), SCRM_EBUFS);
        cr_assert_eq(n, expect[k], "period %d: %zu periods", periods[k], n);
        scrm_engagement_result *p = calloc(n, sizeof *p);
        cr_assert_eq(scrm_engagement_periods(e, p, n - 1, &n), SCRM_EBUFS);
        cr_assert_eq(scrm_engagement_periods(e, p, n, &n), SCRM_OK);
        uint64_t total = 0;
        for (size_t i = 0; i < n; i++) {
            total += p[i].rows;
            cr_assert_lt(p[i].start, p[i].end);
            if (i)
                cr_assert_eq(p[i].start, p[i - 1].end);
        }
        cr_assert_eq(total, 2);
        cr_assert_leq(p[0].start, T0);
        cr_assert_gt(p[n - 1].end, T0 + 196 * DAY);
        free(p);
        scrm_engagement_free(e);
    }
}

Test(engagement, options_round_trip_and_defaults)
{
    scrm_engagement_options o;
    cr_assert_eq(scrm_engagement_options_init(&o, SCRM_ENGAGEMENT_OPTIONS_VERSION), SCRM_OK);
    cr_assert_eq(o.period, SCRM_PERIOD_MONTH);
    cr_assert_eq(o.hll_precision, 14);
    cr_assert_eq(o.window_days, 7);
    cr_assert_eq(o.engagement_kinds, 0xEu);
    cr_assert_eq(o.talking_kinds, 0x1Eu);
    cr_assert_eq(o.sov_kinds, 0x10u);
    cr_assert_null(o.own_brand);
    char brand[] = "Acme";
    o.own_brand = brand;
    scrm_engagement *e = eng_new(&o);
    brand[0] = 'X'; /* copied, not borrowed */
    scrm_engagement_options g;
    cr_assert_eq(scrm_engagement_get_options(e, &g), SCRM_OK);
    cr_assert_str_eq(g.own_brand, "Acme");
    cr_assert_eq(g.version, SCRM_ENGAGEMENT_OPTIONS_VERSION);
    scrm_engagement_free(e);
}

/* ---- bad input ---- */

Test(engagement, options_bad_versions_and_ranges)
{
    scrm_engagement_options o;
    cr_assert_eq(scrm_engagement_options_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_engagement_options_init(&o, 2), SCRM_EVERSION);
    scrm_engagement *e = (scrm_engagement *)&o;
    cr_assert_eq(scrm_engagement_new(NULL, NULL), SCRM_EINVAL);
    scrm_engagement_options bad[24];
    int codes[24];
    size_t nb = 0;
#define BAD(stmt, code)                                                                         \
    do {                                                                                        \
        scrm_engagement_options x = SCRM_ENGAGEMENT_OPTIONS_INIT;                               \
        stmt;                                                                                   \
        bad[nb] = x;                                                                            \
        codes[nb++] = code;                                                                     \
    } while (0)
    BAD(x.version = 0, SCRM_EVERSION);
    BAD(x.version = 2, SCRM_EVERSION);
    BAD(x.period = 0, SCRM_EINVAL);
    BAD(x.period = 6, SCRM_EINVAL);
    BAD(x.engagement_kinds = 1u << 6, SCRM_EINVAL);
    BAD(x.talking_kinds = 0, SCRM_EINVAL);
    BAD(x.talking_kinds = 0x80, SCRM_EINVAL);
    BAD(x.sov_kinds = 0, SCRM_EINVAL);
    BAD(x.competitors = 2, SCRM_EINVAL);
    BAD(x.competitors = -1, SCRM_EINVAL);
    BAD(x.hll_precision = 3, SCRM_EINVAL);
    BAD(x.hll_precision = 19, SCRM_EINVAL);
    BAD(x.window_days = 0, SCRM_EINVAL);
    BAD(x.window_days = 367, SCRM_EINVAL);
    BAD(x.neutral_band = -0.1, SCRM_EINVAL);
    BAD(x.neutral_band = 1.5, SCRM_EINVAL);
    BAD(x.neutral_band = NAN, SCRM_EINVAL);
    BAD(x.value[2] = NAN, SCRM_EINVAL);
    BAD(x.value[5] = INFINITY, SCRM_EINVAL);
#undef BAD
    for (size_t i = 0; i < nb; i++) {
        e = (scrm_engagement *)&o;
        cr_assert_eq(scrm_engagement_new(&e, &bad[i]), codes[i], "case %zu", i);
        cr_assert_null(e, "case %zu: *out not cleared", i);
        cr_assert_neq(scrm_last_error_message()[0], '\0');
    }
    /* Extremes that are valid. */
    scrm_engagement_options ok = SCRM_ENGAGEMENT_OPTIONS_INIT;
    ok.hll_precision = 4;
    ok.window_days = 366;
    ok.neutral_band = 1.0;
    ok.engagement_kinds = 0;
    ok.value[0] = -2.5;
    cr_assert_eq(scrm_engagement_new(&e, &ok), SCRM_OK);
    scrm_engagement_free(e);
    scrm_engagement_free(NULL);
}

static scrm_engagement *filled(void)
{
    scrm_engagement *e = eng_new(NULL);
    eng_add_same(e, T0, SCRM_ENGAGEMENT_LIKE, 3, 1, 1, 0.5, 0);
    return e;
}

static void assert_unchanged(scrm_engagement *e, const uint8_t *before, size_t len)
{
    size_t l2;
    uint8_t *now = eng_bytes(e, &l2);
    cr_assert_eq(l2, len);
    cr_assert_eq(memcmp(now, before, len), 0, "state changed by a failed call");
    free(now);
}

Test(engagement, add_rejects_bad_rows_and_adds_nothing)
{
    scrm_engagement *e = filled();
    size_t len;
    uint8_t *before = eng_bytes(e, &len);
    int64_t ts[3] = {T0, T0 + DAY, T0 + 2 * DAY};
    uint64_t keys[3] = {1, 2, 3};
    const char *users[3] = {"u1", "u2", "u3"};
    int32_t kinds[3] = {1, 2, 3};
    double reach[3] = {1, 2, 3}, impr[3] = {1, 2, 3}, sent[3] = {0.1, NAN, -1};
    int8_t comp[3] = {0, 1, 0};
    cr_assert_eq(scrm_engagement_add_keys(NULL, ts, keys, kinds, reach, impr, sent, comp, 3),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_add_keys(e, NULL, keys, kinds, reach, impr, sent, comp, 3),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_add_keys(e, ts, NULL, kinds, reach, impr, sent, comp, 3),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_add_keys(e, ts, keys, NULL, reach, impr, sent, comp, 3),
                 SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_add(e, ts, NULL, kinds, reach, impr, sent, comp, 3), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_add(NULL, ts, users, kinds, reach, impr, sent, comp, 3),
                 SCRM_EINVAL);
    /* Each bad value sits in the last row, so a partial add would show. */
#define TRY(arr, val, code, fn)                                                                  \
    do {                                                                                         \
        __typeof__(arr[2]) keep = arr[2];                                                        \
        arr[2] = val;                                                                            \
        int rc_ = fn;                                                                            \
        arr[2] = keep;                                                                           \
        cr_assert_eq(rc_, code, #arr " = " #val ": got %d", rc_);                                \
        cr_assert_neq(strstr(scrm_last_error_message(), "row 2"), NULL, "%s",                    \
                      scrm_last_error_message());                                                \
        assert_unchanged(e, before, len);                                                        \
    } while (0)
#define KEYS scrm_engagement_add_keys(e, ts, keys, kinds, reach, impr, sent, comp, 3)
#define STRS scrm_engagement_add(e, ts, users, kinds, reach, impr, sent, comp, 3)
    TRY(reach, NAN, SCRM_EINVAL, KEYS);
    TRY(reach, -1.0, SCRM_EINVAL, KEYS);
    TRY(reach, INFINITY, SCRM_EINVAL, KEYS);
    TRY(impr, -0.5, SCRM_EINVAL, KEYS);
    TRY(impr, NAN, SCRM_EINVAL, KEYS);
    TRY(sent, 1.5, SCRM_EINVAL, KEYS);
    TRY(sent, -1.01, SCRM_EINVAL, KEYS);
    TRY(sent, INFINITY, SCRM_EINVAL, KEYS);
    TRY(kinds, -1, SCRM_EINVAL, KEYS);
    TRY(kinds, SCRM_ENGAGEMENT_KIND_COUNT, SCRM_EINVAL, KEYS);
    TRY(comp, 2, SCRM_EINVAL, KEYS);
    TRY(comp, -1, SCRM_EINVAL, KEYS);
    TRY(ts, SCRM_TIME_NONE, SCRM_ERANGE, KEYS);
    TRY(ts, INT64_C(253402300800), SCRM_ERANGE, KEYS); /* 10000-01-01 */
    TRY(users, NULL, SCRM_EINVAL, STRS);
    TRY(reach, NAN, SCRM_EINVAL, STRS);
#undef TRY
#undef KEYS
#undef STRS
    /* n = 0 is a no-op, even with NULL arrays. */
    cr_assert_eq(scrm_engagement_add_keys(e, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0), SCRM_OK);
    cr_assert_eq(scrm_engagement_add(e, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0), SCRM_OK);
    assert_unchanged(e, before, len);
    free(before);
    scrm_engagement_free(e);
}

Test(engagement, add_followers_rejects_bad_rows)
{
    scrm_engagement *e = filled();
    size_t len;
    uint8_t *before = eng_bytes(e, &len);
    int64_t ts[2] = {T0, T0 + DAY};
    double f[2] = {10, 20};
    cr_assert_eq(scrm_engagement_add_followers(NULL, ts, NULL, f, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_add_followers(e, NULL, NULL, f, 2), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_add_followers(e, ts, NULL, NULL, 2), SCRM_EINVAL);
    const double badv[] = {-1.0, NAN, INFINITY};
    for (int i = 0; i < 3; i++) {
        f[1] = badv[i];
        cr_assert_eq(scrm_engagement_add_followers(e, ts, NULL, f, 2), SCRM_EINVAL);
        assert_unchanged(e, before, len);
    }
    f[1] = 5;
    ts[1] = SCRM_TIME_NONE;
    cr_assert_eq(scrm_engagement_add_followers(e, ts, NULL, f, 2), SCRM_ERANGE);
    assert_unchanged(e, before, len);
    cr_assert_eq(scrm_engagement_add_followers(e, NULL, NULL, NULL, 0), SCRM_OK);
    free(before);
    scrm_engagement_free(e);
}

Test(engagement, null_handles_and_buffers)
{
    scrm_engagement *e = filled();
    scrm_engagement_result r;
    scrm_engagement_day d;
    scrm_engagement_options o;
    size_t n;
    cr_assert_eq(scrm_engagement_reset(NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_get_options(NULL, &o), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_get_options(e, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_finalize(NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_finalize(e, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_periods(NULL, &r, 1, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_periods(e, &r, 1, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_periods(e, NULL, 1, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_days(NULL, &d, 1, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_days(e, &d, 1, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_days(e, NULL, 1, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_days(e, NULL, 0, &n), SCRM_EBUFS);
    cr_assert_eq(n, 1);
    cr_assert_eq(scrm_engagement_merge(NULL, e), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_merge(e, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_serialize(NULL, NULL, 0, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_serialize(e, NULL, 0, NULL), SCRM_EINVAL);
    uint8_t b[4];
    cr_assert_eq(scrm_engagement_serialize(e, NULL, 4, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_serialize(e, b, 4, &n), SCRM_EBUFS);
    cr_assert_gt(n, 4);
    scrm_engagement *x = e;
    cr_assert_eq(scrm_engagement_deserialize(NULL, b, 4), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_deserialize(&x, NULL, 4), SCRM_EINVAL);
    cr_assert_null(x);
    cr_assert_eq(scrm_engagement_compute(NULL, NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_compute(e, NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_engagement_reset(e), SCRM_OK);
    cr_assert_eq(scrm_engagement_finalize(e, &r), SCRM_OK);
    cr_assert_eq(r.rows, 0);
    scrm_engagement_free(e);
}

Test(engagement, merge_requires_equal_options)
{
    scrm_engagement_options o = SCRM_ENGAGEMENT_OPTIONS_INIT;
    scrm_engagement *a = eng_new(&o);
    scrm_engagement_options variants[9];
    for (int i = 0; i < 9; i++)
        variants[i] = o;
    variants[0].period = SCRM_PERIOD_WEEK;
    variants[1].engagement_kinds = 0x2;
    variants[2].talking_kinds = 0x2;
    variants[3].sov_kinds = 0x2;
    variants[4].competitors = SCRM_ENGAGEMENT_COMPETITORS_POOLED;
    variants[5].hll_precision = 12;
    variants[6].window_days = 28;
    variants[7].value[3] = 0.1;
    variants[8].own_brand = "acme";
    for (int i = 0; i < 9; i++) {
        scrm_engagement *b = eng_new(&variants[i]);
        cr_assert_eq(scrm_engagement_merge(a, b), SCRM_EINVAL, "variant %d", i);
        scrm_engagement_free(b);
    }
    scrm_engagement_options same = o;
    same.own_brand = "acme";
    scrm_engagement *c = eng_new(&same), *d = eng_new(&variants[8]);
    cr_assert_eq(scrm_engagement_merge(c, d), SCRM_OK); /* brands compared by content */
    scrm_engagement_free(a);
    scrm_engagement_free(c);
    scrm_engagement_free(d);
}
