# Service checks, sourced by run.sh (uses its q, q_par, expect_* helpers).
log "service: 100,000 tickets (fixed seed; 10 % unanswered, 20 % unresolved, 5 NULL creation times)"
q "SELECT setseed(0.7); CREATE TABLE svc_t AS
   SELECT i, created,
          CASE WHEN random() < 0.9 THEN created + floor(exp(random() * 10)) * interval '1 second' END AS first_response,
          CASE WHEN random() < 0.8 THEN created + floor(exp(random() * 12)) * interval '1 second' END AS resolved
   FROM (SELECT i, CASE WHEN i % 20000 = 7 THEN NULL
                   ELSE timestamptz '2024-01-01 00:00:00+00' + floor(random() * 86400 * 90) * interval '1 second' END AS created
         FROM generate_series(1, 100000) AS i) AS s; ANALYZE svc_t;" >/dev/null

SVC_SQL="SELECT (r).* FROM (SELECT scrm_service_agg(created, first_response, resolved) AS r FROM svc_t) AS s"
svc_serial=$(q "$SER $SVC_SQL")
expect_eq "service: parallel result equals serial result" "$(q_par "$SVC_SQL")" "$svc_serial"
plan=$(q_par "EXPLAIN (COSTS OFF) SELECT scrm_service_agg(created, first_response, resolved) FROM svc_t")
grep -q 'Partial Aggregate' <<<"$plan" || fail "service: parallel plan has no Partial Aggregate: $plan"
log "ok: service plan uses Gather + Partial Aggregate"

# Exact SQL for the counts, SLA shares, means and maxima; percentile_cont (type 7, as
# the library) for the quantiles, which the accumulator knows within 2^-7 relative.
expect_eq "service: agrees with hand-written SQL" "$(q "
  WITH t AS (SELECT created, extract(epoch FROM first_response - created) AS a,
                    extract(epoch FROM resolved - created) AS z
             FROM svc_t WHERE created IS NOT NULL),
  x AS (SELECT count(*) AS volume, count(a) AS responded, count(z) AS resolved,
               avg(a) AS a_mean, max(a) AS a_max, avg(z) AS z_mean, max(z) AS z_max,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY a) AS a_med,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY a) AS a_p90,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY z) AS z_p95,
               count(*) FILTER (WHERE a <= 3600)::float8 / count(*) AS a_sla,
               count(*) FILTER (WHERE z <= 86400)::float8 / count(*) AS z_sla FROM t),
  r AS (SELECT (scrm_service_agg(created, first_response, resolved)).* FROM svc_t)
  SELECT r.volume = x.volume AND r.responded = x.responded AND r.resolved = x.resolved
     AND r.backlog = x.volume - x.resolved
     AND abs(r.answer_mean - x.a_mean) <= 1e-9 * x.a_mean
     AND abs(r.resolution_mean - x.z_mean) <= 1e-9 * x.z_mean
     AND r.answer_max = x.a_max AND r.resolution_max = x.z_max
     AND abs(r.answer_median - x.a_med) <= 0.0079 * x.a_med
     AND abs(r.answer_p90 - x.a_p90) <= 0.0079 * x.a_p90
     AND abs(r.resolution_p95 - x.z_p95) <= 0.0079 * x.z_p95
     AND abs(r.response_sla - x.a_sla) <= 1e-12 AND abs(r.resolution_sla - x.z_sla) <= 1e-12
  FROM r, x")" t
expect_eq "service: explicit targets agree with FILTER (parallel)" "$(q_par "
  SELECT abs((r).response_sla - a) <= 1e-12 AND abs((r).resolution_sla - z) <= 1e-12 FROM (
    SELECT scrm_service_agg(created, first_response, resolved, 600, 7200) AS r,
           count(*) FILTER (WHERE first_response - created <= interval '600 s')::float8 / count(created) AS a,
           count(*) FILTER (WHERE resolved - created <= interval '7200 s')::float8 / count(created) AS z
    FROM svc_t) AS s")" t
expect_eq "service: no rows gives NULL" \
    "$(q "SELECT scrm_service_agg(created, first_response, resolved) IS NULL FROM svc_t WHERE false")" t
expect_eq "service: unanswered only gives NULL answer times" \
    "$(q "SELECT (r).volume, (r).answer_median IS NULL FROM (SELECT scrm_service_agg(now(), NULL, NULL) AS r) s")" "1|t"

expect_error "service: first response before creation raises an ERROR" \
    "SELECT scrm_service_agg(now(), now() - interval '1 hour', NULL)" 'ERROR: .*scrm_service_agg: '
expect_error "service: infinite time raises an ERROR" \
    "SELECT scrm_service_agg('infinity'::timestamptz, NULL, NULL)" 'ERROR: .*created is infinite'
expect_error "service: targets varying between rows raise an ERROR" \
    "SELECT scrm_service_agg(created, first_response, resolved, i, 7200) FROM svc_t" 'ERROR: .*same in every row'
expect_error "service: negative target raises the library's ERROR" \
    "SELECT scrm_service_agg(now(), NULL, NULL, -1, 7200)" 'ERROR: .*scrm_service_agg: '
