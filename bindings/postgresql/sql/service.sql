-- scrm_service_agg: time to first response / resolution and SLA attainment on
-- small inputs (test/run.sh compares 100,000 tickets with the C library).
SET timezone = 'UTC';

CREATE TABLE tickets (id int, created timestamptz, first_response timestamptz, resolved timestamptz);
INSERT INTO tickets VALUES
    (1, '2024-01-01 09:00', '2024-01-01 09:01', '2024-01-01 10:00'),   -- 60 s, 3600 s
    (2, '2024-01-01 09:00', '2024-01-01 09:02', '2024-01-02 10:00'),   -- 120 s, 90000 s
    (3, '2024-01-01 09:00', '2024-01-01 11:00', NULL),                 -- 7200 s, open
    (4, '2024-01-01 09:00', NULL, NULL),                               -- unanswered
    (5, NULL, '2024-01-01 09:00', NULL);                               -- no creation time: skipped

-- Default targets (3600 s, 86400 s). Durations below 128 s are exact; the
-- rest within 2^-7 relative (the accumulator's log-bucket histogram).
SELECT (r).volume, (r).responded, (r).resolved, (r).backlog,
       (r).response_rate, (r).resolution_rate, (r).answer_mean, (r).answer_median,
       (r).answer_max, (r).resolution_mean, (r).resolution_max,
       (r).response_sla, (r).resolution_sla
FROM (SELECT scrm_service_agg(created, first_response, resolved) AS r FROM tickets) AS x;

-- Explicit targets in seconds.
SELECT (r).response_sla, (r).resolution_sla
FROM (SELECT scrm_service_agg(created, first_response, resolved, 90, 100000) AS r FROM tickets) AS x;

-- Nothing answered or resolved: the duration fields are NULL.
SELECT (r).volume, (r).answer_mean IS NULL AS no_answer, (r).resolution_median IS NULL AS no_resolution,
       (r).response_sla
FROM (SELECT scrm_service_agg(created, NULL, NULL) AS r FROM tickets WHERE id = 4) AS x;

-- No rows, or no creation times: NULL.
SELECT scrm_service_agg(created, first_response, resolved) IS NULL AS no_rows FROM tickets WHERE false;
SELECT scrm_service_agg(created, first_response, resolved) IS NULL AS no_created FROM tickets WHERE id = 5;

-- Saved states keep their options (targets); merged states equal the whole.
CREATE TABLE service_saved AS
SELECT id % 2 AS g, scrm_service_state(created, first_response, resolved, 90, 100000) AS state
FROM tickets GROUP BY 1;
SELECT (r).volume, (r).answer_max, (r).response_sla, (r).resolution_sla
FROM (SELECT scrm_service_result(scrm_service_merge(state)) AS r FROM service_saved) AS x;
SELECT (scrm_service_result(scrm_service_state(created, first_response, resolved))).answer_max
FROM tickets;

-- Our own errors (messages of the extension).
SELECT scrm_service_agg(created, first_response, resolved, NULL, 7200) FROM tickets;
SELECT scrm_service_agg(created, first_response, resolved, id, 7200) FROM tickets;
SELECT scrm_service_agg('infinity'::timestamptz, NULL, NULL);
SELECT scrm_service_agg(now(), '-infinity'::timestamptz, NULL);

-- Library errors: SQLSTATE 22023 (invalid argument).
\set VERBOSITY sqlstate
SELECT scrm_service_agg(created, created - interval '1 hour', NULL) FROM tickets;
SELECT scrm_service_agg(created, NULL, NULL, -1, 7200) FROM tickets;
-- States with different targets do not merge.
SELECT scrm_service_merge(state)
FROM (SELECT scrm_service_state(created, NULL, NULL) AS state FROM tickets
      UNION ALL SELECT scrm_service_state(created, NULL, NULL, 60, 60) FROM tickets) AS s;
\set VERBOSITY default
