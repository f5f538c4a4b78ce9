-- scrm_engagement_agg: counts by kind, unique engaged users, rates and
-- sentiment on small inputs (test/run.sh compares 120,000 rows with the C library).
SET timezone = 'UTC';

-- Kind strings as a libscrm dataset maps them (case-insensitive).
SELECT k, scrm_engagement_kind(k)
FROM unnest(ARRAY['post', 'Comment', 'reply', 'share', 'RETWEET', 'like', 'reaction', 'mention',
                  'tag', 'save', '']) AS k;

CREATE TABLE interactions (at timestamptz, user_id text, kind text, reach float8,
                           impressions float8, sentiment float8);
INSERT INTO interactions VALUES
    ('2024-03-01 10:00', 'brand', 'post', 1000, 5000, NULL),
    ('2024-03-01 11:00', 'ann', 'like', 0, 0, 0.5),
    ('2024-03-01 12:00', 'bob', 'comment', 0, 0, -0.2),
    ('2024-03-02 09:00', 'ann', 'share', 200, 800, 0),
    ('2024-03-02 10:00', NULL, 'like', NULL, NULL, NULL),     -- empty user id; reach 0
    ('2024-03-02 11:00', 'cy', 'save', 0, 0, NULL),           -- other
    (NULL, 'dan', 'like', 0, 0, NULL),                        -- no time: skipped
    ('2024-03-03 08:00', 'dan', NULL, 0, 0, NULL);            -- no kind: skipped

SELECT (r).rows, (r).posts, (r).comments, (r).shares, (r).likes, (r).mentions, (r).others,
       (r).engagements, round((r).unique_users::numeric, 3) AS unique_users,
       (r).reach, (r).impressions, round((r).er_reach::numeric, 6) AS er_reach,
       round((r).er_impressions::numeric, 6) AS er_impressions,
       (r).conversation_rate, (r).amplification_rate, (r).applause_rate,
       (r).positive, (r).neutral, (r).negative, (r).unscored,
       (r).net_sentiment, round((r).net_sentiment_total::numeric, 6) AS net_sentiment_total,
       round((r).mean_sentiment::numeric, 6) AS mean_sentiment
FROM (SELECT scrm_engagement_agg(at, user_id, kind, reach, impressions, sentiment) AS r
      FROM interactions) AS x;

-- Without posts, reach or scores the rates are NULL.
SELECT (r).rows, (r).conversation_rate IS NULL AS no_post, (r).er_reach IS NULL AS no_reach,
       (r).net_sentiment IS NULL AS no_score
FROM (SELECT scrm_engagement_agg(at, user_id, kind) AS r FROM interactions WHERE kind = 'like') AS x;

-- No rows, or only rows without a time: NULL.
SELECT scrm_engagement_agg(at, user_id, kind) IS NULL AS no_rows FROM interactions WHERE false;
SELECT scrm_engagement_agg(at, user_id, kind) IS NULL AS no_times FROM interactions WHERE at IS NULL;

-- Saved daily states merged equal the whole (sketches merge by register maximum).
CREATE TABLE engagement_daily AS
SELECT date_trunc('day', at) AS day, scrm_engagement_state(at, user_id, kind, reach, impressions, sentiment) AS state
FROM interactions GROUP BY 1;
SELECT (r).rows, (r).engagements, round((r).unique_users::numeric, 3) AS unique_users, (r).reach
FROM (SELECT scrm_engagement_result(scrm_engagement_merge(state)) AS r FROM engagement_daily) AS x;

-- Our own errors.
SELECT scrm_engagement_agg(now(), 'u', 'like', 0, 0, 'NaN');
SELECT scrm_engagement_agg('-infinity', 'u', 'like');

-- Library errors: SQLSTATE 22023 (invalid argument).
\set VERBOSITY sqlstate
SELECT scrm_engagement_agg(now(), 'u', 'like', 0, 0, 1.5);
SELECT scrm_engagement_agg(now(), 'u', 'like', -3, 0, NULL);
\set VERBOSITY default
