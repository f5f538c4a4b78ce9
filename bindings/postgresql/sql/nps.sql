-- scrm_nps: NPS of scores 0..10 on small inputs (the SQL-visible behaviour;
-- test/run.sh compares large inputs with the C library).

-- 3 promoters (9, 10), 2 passives (7, 8), 2 detractors (0..6); NULL skipped:
-- NPS = 100 * (3 - 2) / 7 = 14.2857...
SELECT (r).n, (r).promoters, (r).passives, (r).detractors,
       round((r).promoter_share::numeric, 6) AS promoter_share,
       round((r).passive_share::numeric, 6) AS passive_share,
       round((r).detractor_share::numeric, 6) AS detractor_share,
       round((r).nps::numeric, 6) AS nps, round((r).se::numeric, 6) AS se,
       round((r).ci_low::numeric, 6) AS ci_low, round((r).ci_high::numeric, 6) AS ci_high
FROM (SELECT scrm_nps(s) AS r FROM (VALUES (10), (9), (9), (8), (7), (6), (0), (NULL)) AS v(s)) AS x;

-- Integer and numeric scores are accepted (implicit casts to float8).
SELECT (scrm_nps(s)).nps FROM (VALUES (10::int), (0::int)) AS v(s);
SELECT (scrm_nps(s)).nps FROM (VALUES (9.0::numeric), (9.0::numeric)) AS v(s);

-- No rows, or only NULL scores: NULL.
SELECT scrm_nps(s) IS NULL AS no_rows FROM (VALUES (1.0)) AS v(s) WHERE false;
SELECT scrm_nps(NULL::float8) IS NULL AS only_nulls FROM generate_series(1, 3);

-- GROUP BY: one accumulator per group.
SELECT g, (r).n, (r).nps
FROM (SELECT g, scrm_nps(s) AS r
      FROM (VALUES ('a', 10), ('a', 0), ('b', 9), ('b', 10), ('c', NULL)) AS v(g, s)
      GROUP BY g) AS x
ORDER BY g;

-- Saved states: the result of a state equals the aggregate's; merged states
-- equal the whole.
CREATE TABLE nps_daily AS
SELECT d, scrm_nps_state(s) AS state
FROM (VALUES (1, 10), (1, 9), (1, 3), (2, 8), (2, 0), (2, 10), (3, NULL)) AS v(d, s)
GROUP BY d;
SELECT d, state IS NULL AS no_scores, (scrm_nps_result(state)).n FROM nps_daily ORDER BY d;
SELECT (r).n, (r).promoters, (r).passives, (r).detractors, (r).nps
FROM (SELECT scrm_nps_result(scrm_nps_merge(state)) AS r FROM nps_daily) AS x;
SELECT scrm_nps_merge(state) IS NULL AS nothing_to_merge FROM nps_daily WHERE d = 3;

-- Library errors: SQLSTATE 22023 (invalid argument), whatever the row.
\set VERBOSITY sqlstate
SELECT scrm_nps(s) FROM (VALUES (3.0), (11.0)) AS v(s);
SELECT scrm_nps(7.5);
SELECT scrm_nps('NaN'::float8);
SELECT scrm_nps(-1);
\set VERBOSITY default
