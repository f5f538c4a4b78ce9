#!/usr/bin/env bash
# Regression test (and optional benchmark) of the libscrm PostgreSQL extension.
#
#   bash bindings/postgresql/test/run.sh [--bench]
#
# Builds the extension against $SCRM_BUILD/libscrm.a (default: build/), installs it
# with PGXS (needs root), starts a throwaway PostgreSQL 15 cluster (initdb in a
# temporary directory, 127.0.0.1 on a free port, socket in that directory; as the
# `postgres` user when run as root), checks the aggregates against the C library
# (through the Python binding) and hand-written SQL, serially and with forced
# parallel workers, checks that bad input raises an ERROR without crashing the
# backend, runs the pg_regress suite (`make installcheck`: sql/, expected/) on the
# same cluster, and stops the cluster on exit. --bench adds timing runs over
# 10,000,000 rows (NPS vs count(*) FILTER, service quantiles vs percentile_cont;
# printed as BENCH lines, medians of 3 runs, not asserted).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ext=$(dirname "$here")
root=$(cd "$ext/../.." && pwd)
build=${SCRM_BUILD:-$root/build}
bench=0
[[ ${1:-} == --bench ]] && bench=1

log() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

[[ -f $build/libscrm.a && -f $build/libscrm.so ]] || fail "build libscrm first (meson compile -C $build)"
pgbin=$(pg_config --bindir)

log "building and installing the extension (PGXS)"
make -C "$ext" -s SCRM_BUILD="$build" >&2
if [[ $(id -u) -eq 0 ]]; then
    make -C "$ext" -s SCRM_BUILD="$build" install >&2
    as_pg() { runuser -u postgres -- "$@"; }
else
    [[ -w $(pg_config --pkglibdir) ]] || fail "make install needs root (or a writable $(pg_config --pkglibdir))"
    make -C "$ext" -s SCRM_BUILD="$build" install >&2
    as_pg() { "$@"; }
fi

tmp=$(mktemp -d /tmp/scrm-pg.XXXXXX)
chmod 755 "$tmp"
[[ $(id -u) -eq 0 ]] && chown postgres: "$tmp"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
    local rc=$?
    if [[ -f $tmp/data/postmaster.pid ]]; then
        as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if ((rc != 0)) && [[ -f $tmp/server.log ]]; then
        log "server log (tail):"; tail -n 30 "$tmp/server.log" >&2
    fi
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT INT TERM

log "throwaway cluster in $tmp, 127.0.0.1:$port"
as_pg "$pgbin/initdb" -D "$tmp/data" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -o \
    "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_worker_processes=8 -c max_parallel_workers=4 -c shared_buffers=256MB" \
    start >/dev/null

psql_() { as_pg "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
q() { psql_ -At -c "$1"; }                       # one query, unaligned output
q_par() { psql_ -At -c "$PAR $1"; }              # the same with forced parallel workers
PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"
SER="SET max_parallel_workers_per_gather = 0;"
expect_eq() { [[ $2 == "$3" ]] || fail "$1: got '$2', expected '$3'"; log "ok: $1"; }
expect_error() { # name sql pattern: the statement fails with a message matching pattern
    local out
    if out=$(psql_ -At -c "$2" 2>&1); then fail "$1: no error (output: $out)"; fi
    grep -Eq "$3" <<<"$out" || fail "$1: error '$out' does not match '$3'"
    [[ $(q 'SELECT 1') == 1 ]] || fail "$1: server not answering after the error"
    log "ok: $1 -> $(head -n 1 <<<"$out")"
}

expect_parallel() { # name sql: EXPLAIN ANALYZE under forced parallelism shows Gather over
    # Partial Aggregate with workers planned and launched
    local plan planned launched
    plan=$(q_par "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $2")
    grep -Eq 'Gather' <<<"$plan" || fail "$1: parallel plan has no Gather: $plan"
    grep -q 'Partial Aggregate' <<<"$plan" || fail "$1: parallel plan has no Partial Aggregate: $plan"
    planned=$(sed -n 's/.*Workers Planned: \([0-9]*\).*/\1/p' <<<"$plan" | head -n 1)
    launched=$(sed -n 's/.*Workers Launched: \([0-9]*\).*/\1/p' <<<"$plan" | head -n 1)
    ((${planned:-0} >= 1)) || fail "$1: no parallel worker planned: $plan"
    ((${launched:-0} >= 1)) || fail "$1: no parallel worker launched: $plan"
    log "ok: $1: Gather + Partial Aggregate, $planned workers planned, $launched launched"
}
# The C library through the Python binding (the build's libscrm.so).
pyscrm() { SCRM_LIBRARY=$build/libscrm.so PYTHONPATH=$root/bindings/python python3 "$@"; }

log "pg_regress suite (make installcheck: sql/*.sql against expected/*.out)"
if ! PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres make -C "$ext" -s SCRM_BUILD="$build" installcheck \
    >"$tmp/installcheck.log" 2>&1; then
    cat "$tmp/installcheck.log" >&2
    [[ -f $ext/regression.diffs ]] && head -n 300 "$ext/regression.diffs" >&2
    fail "make installcheck (diffs: $ext/regression.diffs)"
fi
log "ok: pg_regress: $(grep -E 'tests passed' "$tmp/installcheck.log" | sed 's/^[ =]*//; s/[ =]*$//')"

q "CREATE EXTENSION scrm"

# ---------------------------------------------------------------- NPS
log "NPS: 200,000 scores (fixed seed), every 997th NULL"
q "SELECT setseed(0.42); CREATE TABLE nps_t AS
   SELECT i, CASE WHEN i % 997 = 0 THEN NULL ELSE floor(random() * 11)::float8 END AS score
   FROM generate_series(1, 200000) AS i; ANALYZE nps_t;" >/dev/null

NPS_SQL="SELECT (r).n, (r).promoters, (r).passives, (r).detractors, (r).promoter_share,
  (r).passive_share, (r).detractor_share, (r).nps, (r).se, (r).ci_low, (r).ci_high
  FROM (SELECT scrm_nps(score) AS r FROM nps_t) AS s"
FILTER_SQL="SELECT count(score), count(*) FILTER (WHERE score >= 9),
  count(*) FILTER (WHERE score >= 7 AND score <= 8), count(*) FILTER (WHERE score <= 6)"
serial=$(q "$SER $NPS_SQL")
parallel=$(q_par "$NPS_SQL")
expect_eq "parallel result equals serial result" "$parallel" "$serial"
expect_eq "counts equal count(*) FILTER" "$(cut -d'|' -f1-4 <<<"$serial")" "$(q "$FILTER_SQL FROM nps_t")"
expect_eq "nps equals the FILTER formula" \
    "$(q "SELECT abs((r).nps - 100.0 * (count_p - count_d) / count_n) < 1e-9 FROM
          (SELECT scrm_nps(score) AS r, count(*) FILTER (WHERE score >= 9) AS count_p,
                  count(*) FILTER (WHERE score <= 6) AS count_d, count(score) AS count_n
           FROM nps_t) AS s")" t

expect_parallel "scrm_nps" "SELECT scrm_nps(score) FROM nps_t"

log "NPS: the C library (Python binding) on the same scores"
psql_ -c "\\copy (SELECT score FROM nps_t WHERE score IS NOT NULL ORDER BY i) TO '$tmp/scores.txt'"
q "SELECT encode(scrm_nps_state(score)::bytea, 'hex') FROM nps_t" >"$tmp/nps.hex"
pyscrm - "$tmp/scores.txt" "$serial" "$tmp/nps.hex" <<'PY'
import sys
from scrm.nps import Nps
scores = [float(line) for line in open(sys.argv[1])]
calc = Nps(); calc.add(scores); r = calc.finalize()
if calc.to_bytes() != bytes.fromhex(open(sys.argv[3]).read().strip()):
    sys.exit("FAIL: SQL scrm_nps_state bytes differ from the C library's")
want = [r.n, r.promoters, r.passives, r.detractors, r.promoter_share, r.passive_share,
        r.detractor_share, r.nps, r.se, r.ci_low, r.ci_high]
got = sys.argv[2].split("|")
for name, g, w in zip("n promoters passives detractors promoter_share passive_share "
                      "detractor_share nps se ci_low ci_high".split(), got, want):
    g = type(w)(g)
    if g != w:
        sys.exit(f"FAIL: {name}: SQL {g!r} != C library {w!r}")
print(f"==> ok: SQL scrm_nps equals the C library on {len(scores)} scores, saved state byte for byte "
      f"(nps {r.nps:.6f}, se {r.se:.6f}, ci [{r.ci_low:.6f}, {r.ci_high:.6f}])", file=sys.stderr)
PY

expect_eq "saved state gives the same result" \
    "$(q "SELECT (r).n, (r).nps, (r).ci_low FROM (SELECT scrm_nps_result(scrm_nps_state(score)) AS r FROM nps_t) s")" \
    "$(cut -d'|' -f1,8,10 <<<"$serial")"
expect_eq "merged per-group states (parallel) equal the whole" \
    "$(q_par "SELECT (r).n, (r).nps, (r).se FROM (SELECT scrm_nps_result(scrm_nps_merge(st)) AS r
              FROM (SELECT i % 10 AS g, scrm_nps_state(score) AS st FROM nps_t GROUP BY 1) AS d) s")" \
    "$(cut -d'|' -f1,8,9 <<<"$serial")"
expect_eq "no rows gives NULL" "$(q "SELECT scrm_nps(score) IS NULL FROM nps_t WHERE false")" t
expect_eq "only NULL scores give NULL" "$(q "SELECT scrm_nps(NULL::float8) IS NULL FROM generate_series(1, 3)")" t
expect_eq "GROUP BY works" "$(q "SELECT count(*) FROM (SELECT i % 7, scrm_nps(score) FROM nps_t GROUP BY 1) s")" 7

expect_error "score 11 raises an ERROR" "SELECT scrm_nps(s) FROM (VALUES (3.0), (11.0)) v(s)" 'ERROR: .*scrm_nps: .*11'
expect_error "score 7.5 raises an ERROR" "SELECT scrm_nps(7.5)" 'ERROR: .*scrm_nps: .*7\.5'
expect_error "NaN score raises an ERROR" "SELECT scrm_nps('NaN'::float8)" 'ERROR: .*scrm_nps: '
expect_error "score 11 in a parallel worker raises an ERROR" \
    "$PAR SELECT scrm_nps(CASE WHEN i = 150000 THEN 11 ELSE score END) FROM nps_t" 'ERROR: .*scrm_nps: .*11'
expect_error "corrupted state bytes raise an ERROR" \
    "SELECT scrm_nps_result(set_byte(scrm_nps_state(score)::bytea, 20, 255)::scrm_nps_state) FROM nps_t" \
    'ERROR: .*scrm_nps state: '
expect_error "truncated state bytes raise an ERROR" \
    "SELECT substring(scrm_nps_state(score)::bytea from 1 for 10)::scrm_nps_state FROM nps_t" 'ERROR: .*scrm_nps state: '
expect_error "garbage state text raises an ERROR" "SELECT scrm_nps_result('\\x00')" 'ERROR: .*scrm_nps state: '
expect_error "a bytea is not a state (no implicit cast)" "SELECT scrm_nps_result('\\x00'::bytea)" \
    'ERROR: .*function scrm_nps_result\(bytea\) does not exist'
expect_error "corrupted state in scrm_nps_merge raises an ERROR" \
    "SELECT scrm_nps_merge(set_byte(st::bytea, 20, 255)::scrm_nps_state) FROM (SELECT scrm_nps_state(score) AS st FROM nps_t) AS s" \
    'ERROR: .*scrm_nps state: '

log "saved states: text and binary (COPY) forms round-trip"
q "CREATE TABLE states_t (nps scrm_nps_state); INSERT INTO states_t SELECT scrm_nps_state(score) FROM nps_t" >/dev/null
expect_eq "text form is \\x and the library bytes in hex" \
    "$(q "SELECT nps::text = '\\x' || encode(nps::bytea, 'hex') AND nps::text::scrm_nps_state::bytea = nps::bytea FROM states_t")" t
psql_ -c "\\copy states_t TO '$tmp/states.bin' WITH (FORMAT binary)"
psql_ -c "\\copy states_t FROM '$tmp/states.bin' WITH (FORMAT binary)"
expect_eq "binary COPY (send/recv) round-trips" "$(q "SELECT count(*), count(DISTINCT nps::bytea) FROM states_t")" "2|1"
printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\001\0\0\0\003abc\377\377' >"$tmp/bad.bin"
expect_error "binary COPY of bytes that are no NPS state raises an ERROR" \
    "COPY states_t FROM '$tmp/bad.bin' WITH (FORMAT binary)" 'ERROR: .*scrm_nps state: '

for part in service engagement clv; do
    source "$ext/test/$part.sh"
done

if grep -Eq 'terminated by signal|server process .* was terminated' "$tmp/server.log"; then
    fail "a backend crashed (see the server log)"
fi
log "ok: no backend crashed"

# ---------------------------------------------------------------- benchmark
if ((bench)); then
    log "benchmark: 10,000,000 scores"
    q "SELECT setseed(0.5); CREATE TABLE bench_t AS SELECT floor(random() * 11)::float8 AS score
       FROM generate_series(1, 10000000)" >/dev/null
    q "VACUUM ANALYZE bench_t"
    bench_one() { # name settings sql: median of 3 runs after a warm-up, from psql's \timing
        local ms
        ms=$(printf '%s\n\\timing on\n%s;\n%s;\n%s;\n%s;\n' "$2" "$3" "$3" "$3" "$3" |
            psql_ -At 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 3 | sort -n | sed -n 2p)
        awk -v n="$1" -v ms="$ms" 'BEGIN { printf "BENCH name=%s rows=10000000 median_s=%.3f rate=%.0f unit=rows/s\n", n, ms / 1000, 1e7 / (ms / 1000) }'
    }
    nps_q="SELECT scrm_nps(score) FROM bench_t"
    filter_q="SELECT count(score), count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score >= 7 AND score <= 8), count(*) FILTER (WHERE score <= 6), 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(score) FROM bench_t"
    bench_one pg_scrm_nps_serial "$SER SET jit = off;" "$nps_q"
    bench_one pg_filter_sql_serial "$SER SET jit = off;" "$filter_q"
    bench_one pg_scrm_nps_parallel2 "${PAR/SET parallel_leader_participation = off;/} SET jit = off;" "$nps_q"
    bench_one pg_filter_sql_parallel2 "${PAR/SET parallel_leader_participation = off;/} SET jit = off;" "$filter_q"
    q "DROP TABLE bench_t"

    log "benchmark: service quantiles over 10,000,000 tickets"
    q "SELECT setseed(0.6); CREATE TABLE bench_svc AS
       SELECT created,
              CASE WHEN random() < 0.9 THEN created + floor(exp(random() * 10)) * interval '1 second' END AS first_response,
              CASE WHEN random() < 0.8 THEN created + floor(exp(random() * 12)) * interval '1 second' END AS resolved
       FROM (SELECT timestamptz '2024-01-01 00:00:00+00' + floor(random() * 86400 * 365) * interval '1 second' AS created
             FROM generate_series(1, 10000000)) AS s" >/dev/null
    q "VACUUM ANALYZE bench_svc"
    # The same figures by hand: quantiles of both durations with percentile_cont
    # (ordered-set aggregates have no partial mode, so they never run in parallel
    # workers), means, maxima and SLA shares.
    svc_q="SELECT scrm_service_agg(created, first_response, resolved) FROM bench_svc"
    pct_q="SELECT count(created), percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY a),
       percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY z), avg(a), max(a), avg(z), max(z),
       count(*) FILTER (WHERE a <= 3600)::float8 / count(*), count(*) FILTER (WHERE z <= 86400)::float8 / count(*)
       FROM (SELECT created, extract(epoch FROM first_response - created) AS a,
                    extract(epoch FROM resolved - created) AS z FROM bench_svc) AS t"
    mem="SET jit = off; SET work_mem = '1GB';"
    bench_one pg_scrm_service_serial "$SER $mem" "$svc_q"
    bench_one pg_percentile_cont_sql_serial "$SER $mem" "$pct_q"
    bench_one pg_scrm_service_parallel2 "${PAR/SET parallel_leader_participation = off;/} $mem" "$svc_q"
    bench_one pg_percentile_cont_sql_parallel2 "${PAR/SET parallel_leader_participation = off;/} $mem" "$pct_q"
    q "DROP TABLE bench_svc"
fi
log "PostgreSQL extension: all checks passed"
