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
expect_parallel "scrm_service_agg" "SELECT scrm_service_agg(created, first_response, resolved) FROM svc_t"
expect_parallel "scrm_service_agg (targets)" \
    "SELECT scrm_service_agg(created, first_response, resolved, 600, 7200) FROM svc_t"

log "service: the C library (Python binding) on the same tickets"
psql_ -c "\\copy (SELECT floor(extract(epoch FROM created))::bigint, floor(extract(epoch FROM first_response))::bigint, floor(extract(epoch FROM resolved))::bigint FROM svc_t ORDER BY i) TO '$tmp/tickets.csv' CSV"
svc_targets=$(q "$SER SELECT (r).* FROM (SELECT scrm_service_agg(created, first_response, resolved, 600, 7200) AS r FROM svc_t) s")
q "$SER SELECT encode(scrm_service_state(created, first_response, resolved)::bytea, 'hex') FROM svc_t" >"$tmp/service.hex"
pyscrm - "$tmp/tickets.csv" "$svc_serial" "$svc_targets" "$tmp/service.hex" <<'PY'
import csv, sys
from scrm.service import Service
created, first, resolved = [], [], []
for row in csv.reader(open(sys.argv[1])):
    if row[0] == "":
        continue  # SQL skips rows without a creation time
    created.append(int(row[0]))
    first.append(int(row[1]) if row[1] else None)
    resolved.append(int(row[2]) if row[2] else None)
names = ("volume responded resolved backlog response_rate resolution_rate answer_mean answer_median "
         "answer_p90 answer_p95 answer_max resolution_mean resolution_median resolution_p90 "
         "resolution_p95 resolution_max response_sla resolution_sla").split()
for got, targets in ((sys.argv[2], None), (sys.argv[3], (600, 7200))):
    svc = Service() if targets is None else Service([targets[0]], [targets[1]])
    svc.add(created, first, resolved)
    if targets is None:
        if svc.to_bytes() != bytes.fromhex(open(sys.argv[4]).read().strip()):
            sys.exit("FAIL: SQL scrm_service_state bytes differ from the C library's")
    o = svc.finalize().overall
    want = [o.volume, o.responded, o.resolved, o.backlog, o.response_rate, o.resolution_rate,
            o.answer.mean, o.answer.median, o.answer.p90, o.answer.p95, o.answer.max,
            o.resolution.mean, o.resolution.median, o.resolution.p90, o.resolution.p95,
            o.resolution.max, o.response_sla[0], o.resolution_sla[0]]
    for name, g, w in zip(names, got.split("|"), want):
        if type(w)(g) != w:
            sys.exit(f"FAIL: service {name} (targets {targets}): SQL {g!r} != C library {w!r}")
print(f"==> ok: SQL scrm_service_agg equals the C library on {len(created)} tickets, default and "
      f"explicit targets, saved state byte for byte (answer median {o.answer.median}, p95 {o.answer.p95})", file=sys.stderr)
PY
expect_eq "service: explicit targets, parallel result equals serial result" \
    "$(q_par "SELECT (r).* FROM (SELECT scrm_service_agg(created, first_response, resolved, 600, 7200) AS r FROM svc_t) s")" \
    "$svc_targets"

log "service: saved states (scrm_service_state, scrm_service_merge, scrm_service_result)"
SVC_STATE="scrm_service_state(created, first_response, resolved)"
expect_eq "service: saved state gives the same result" \
    "$(q "SELECT (r).* FROM (SELECT scrm_service_result($SVC_STATE) AS r FROM svc_t) s")" "$svc_serial"
expect_eq "service: serial and parallel saved states are the same bytes" \
    "$(q_par "SELECT md5($SVC_STATE::bytea) FROM svc_t")" "$(q "$SER SELECT md5($SVC_STATE::bytea) FROM svc_t")"
expect_eq "service: merged per-group states (parallel) equal the whole" \
    "$(q_par "SELECT (r).* FROM (SELECT scrm_service_result(scrm_service_merge(st)) AS r
              FROM (SELECT i % 10 AS g, $SVC_STATE AS st FROM svc_t GROUP BY 1) AS d) s")" "$svc_serial"
expect_eq "service: merged states keep their targets" \
    "$(q_par "SELECT (r).* FROM (SELECT scrm_service_result(scrm_service_merge(st)) AS r
              FROM (SELECT i % 10 AS g, scrm_service_state(created, first_response, resolved, 600, 7200) AS st
                    FROM svc_t GROUP BY 1) AS d) s")" "$svc_targets"
q "CREATE TABLE svc_states AS SELECT i % 100 AS g, $SVC_STATE AS st FROM svc_t GROUP BY 1; ANALYZE svc_states" >/dev/null
expect_parallel "scrm_service_merge" "SELECT scrm_service_merge(st) FROM svc_states"
expect_eq "service: merged saved states (parallel workers) equal the whole" \
    "$(q_par "SELECT (r).* FROM (SELECT scrm_service_result(scrm_service_merge(st)) AS r FROM svc_states) s")" "$svc_serial"
expect_error "service: states with different targets do not merge" \
    "SELECT scrm_service_merge(st) FROM (SELECT g, scrm_service_state(created, first_response, resolved, 600 * (g + 1), 7200) AS st
     FROM (SELECT i % 2 AS g, * FROM svc_t) AS t GROUP BY g) AS d" 'ERROR: .*scrm_service_merge: '
expect_error "service: corrupted state bytes raise an ERROR" \
    "SELECT set_byte($SVC_STATE::bytea, 25, 1)::scrm_service_state FROM svc_t" 'ERROR: .*scrm_service state: '
expect_error "service: SQL refuses an NPS state where a service state is expected" \
    "SELECT scrm_service_result(scrm_nps_state(score)) FROM nps_t" \
    'ERROR: .*function scrm_service_result\(scrm_nps_state\) does not exist'

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
expect_error "service: NULL target raises an ERROR" \
    "SELECT scrm_service_agg(now(), NULL, NULL, NULL, 7200)" 'ERROR: .*SLA targets must not be NULL'
expect_error "service: bad ticket in a parallel worker raises the library's ERROR" \
    "$PAR SELECT scrm_service_agg(created, CASE WHEN i = 70000 THEN created - interval '1 day' ELSE first_response END, resolved) FROM svc_t" \
    'ERROR: .*scrm_service_agg: .*before created'
