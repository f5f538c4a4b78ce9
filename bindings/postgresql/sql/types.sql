-- Saved states are typed: scrm_nps_state, scrm_service_state,
-- scrm_engagement_state, scrm_rfm_hist_state. Each holds the library's bytes
-- (text form: \x and hex digits); input, receive and the cast from bytea check
-- the bytes with the library.

CREATE TABLE states AS
SELECT (SELECT scrm_nps_state(s) FROM (VALUES (10), (9), (3)) AS v(s)) AS nps,
       (SELECT scrm_service_state(c, c + interval '10 min', NULL)
          FROM (VALUES (timestamptz '2024-01-01 00:00+00')) AS v(c)) AS service,
       (SELECT scrm_engagement_state(t, u, k)
          FROM (VALUES (timestamptz '2024-01-01 00:00+00', 'ann', 'like')) AS v(t, u, k)) AS engagement,
       (SELECT scrm_rfm_hist(2, 30, 38)) AS rfm_hist;

SELECT pg_typeof(nps) AS nps, pg_typeof(service) AS service, pg_typeof(engagement) AS engagement,
       pg_typeof(rfm_hist) AS rfm_hist
FROM states;

-- Text form: \x, then the library envelope ("SCRM" = 5343524d) in hex.
SELECT left(nps::text, 10) AS nps, left(service::text, 10) AS service,
       left(engagement::text, 10) AS engagement, left(rfm_hist::text, 10) AS rfm_hist
FROM states;
SELECT nps::text = '\x' || encode(nps::bytea, 'hex') AS text_is_hex_bytes FROM states;

-- Text and bytea round trips keep the bytes.
SELECT nps::text::scrm_nps_state::bytea = nps::bytea AS nps,
       service::text::scrm_service_state::bytea = service::bytea AS service,
       engagement::text::scrm_engagement_state::bytea = engagement::bytea AS engagement,
       rfm_hist::text::scrm_rfm_hist_state::bytea = rfm_hist::bytea AS rfm_hist
FROM states;
SELECT (scrm_nps_result(nps::bytea::scrm_nps_state)).n AS n FROM states;
SELECT scrm_nps_state_send(nps) = nps::bytea AS send_is_the_bytes FROM states;

-- Assignment casts: a bytea column takes a state, a state column takes bytea (checked).
CREATE TABLE saved (b bytea, s scrm_nps_state);
INSERT INTO saved SELECT nps, nps::bytea FROM states;
SELECT b = s::bytea AS same_bytes FROM saved;

-- SQL refuses a state of one calculator where another's is expected.
SELECT scrm_nps_result(engagement) FROM states;
SELECT scrm_engagement_result(nps) FROM states;
SELECT scrm_service_result(rfm_hist) FROM states;
SELECT scrm_nps_merge(service) FROM states;
SELECT * FROM states, scrm_rfm_hist_rows(nps);
SELECT nps::scrm_engagement_state FROM states;
-- ... and a bytea where a state is expected (no implicit cast).
SELECT scrm_nps_result(nps::bytea) FROM states;

-- Bytes of another calculator, cast explicitly, are refused by the library
-- (SQLSTATE XX001, data_corrupted), as are corrupted and truncated bytes.
\set VERBOSITY sqlstate
SELECT engagement::bytea::scrm_nps_state FROM states;
SELECT nps::bytea::scrm_rfm_hist_state FROM states;
SELECT set_byte(nps::bytea, 20, 255)::scrm_nps_state FROM states;
SELECT substring(service::bytea from 1 for 10)::scrm_service_state FROM states;
SELECT '\x00'::scrm_engagement_state;
SELECT ''::scrm_rfm_hist_state;
\set VERBOSITY default

-- Malformed text.
SELECT 'SCRM'::scrm_nps_state;
SELECT '\x5343524'::scrm_nps_state;
SELECT '\xzz'::scrm_nps_state;
