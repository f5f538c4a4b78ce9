# Engagement checks, sourced by run.sh (uses its q, q_par, expect_*, pyscrm helpers).
log "engagement: 120,000 interactions (fixed seed; 30,000 users, NULL times/kinds/users/sentiments)"
q "SELECT setseed(0.3); CREATE TABLE eng_t AS
   SELECT i,
          CASE WHEN i % 10007 = 1 THEN NULL
               ELSE timestamptz '2024-03-01 00:00:00+00' + floor(random() * 86400 * 75) * interval '1 second' END AS at,
          CASE WHEN i % 5003 = 2 THEN NULL ELSE 'user-' || floor(random() * 30000)::int END AS user_id,
          CASE WHEN i % 9001 = 3 THEN NULL
               ELSE (ARRAY['post', 'comment', 'Reply', 'share', 'retweet', 'like', 'LIKE', 'reaction',
                           'like', 'mention', 'tag', 'save'])[1 + floor(random() * 12)::int] END AS kind,
          floor(random() * 5000)::float8 AS reach,
          floor(random() * 20000)::float8 AS impressions,
          CASE WHEN random() < 0.3 THEN NULL ELSE round((random() * 2 - 1)::numeric, 3)::float8 END AS sentiment
   FROM generate_series(1, 120000) AS i; ANALYZE eng_t;" >/dev/null

ENG_SQL="SELECT (r).* FROM (SELECT scrm_engagement_agg(at, user_id, kind, reach, impressions, sentiment) AS r FROM eng_t) s"
eng_serial=$(q "$SER $ENG_SQL")
expect_eq "engagement: parallel result equals serial result" "$(q_par "$ENG_SQL")" "$eng_serial"
expect_parallel "scrm_engagement_agg" \
    "SELECT scrm_engagement_agg(at, user_id, kind, reach, impressions, sentiment) FROM eng_t"
expect_parallel "scrm_engagement_agg (3 arguments)" "SELECT scrm_engagement_agg(at, user_id, kind) FROM eng_t"
expect_eq "engagement: serial and parallel saved states are the same bytes" \
    "$(q_par "SELECT md5(scrm_engagement_state(at, user_id, kind, reach, impressions, sentiment)) FROM eng_t")" \
    "$(q "$SER SELECT md5(scrm_engagement_state(at, user_id, kind, reach, impressions, sentiment)) FROM eng_t")"

# Exact SQL for the counts and sums; count(DISTINCT) for the HyperLogLog estimate
# (p = 14: relative standard error 0.81 %, checked within 3 %).
expect_eq "engagement: agrees with hand-written SQL" "$(q "
  WITH t AS (SELECT *, scrm_engagement_kind(kind) AS k FROM eng_t WHERE at IS NOT NULL AND kind IS NOT NULL),
  x AS (SELECT count(*) AS n, count(*) FILTER (WHERE k = 0) AS posts, count(*) FILTER (WHERE k = 1) AS comments,
               count(*) FILTER (WHERE k = 2) AS shares, count(*) FILTER (WHERE k = 3) AS likes,
               count(*) FILTER (WHERE k = 4) AS mentions, count(*) FILTER (WHERE k = 5) AS others,
               count(DISTINCT coalesce(user_id, '')) FILTER (WHERE k BETWEEN 1 AND 4) AS users,
               sum(reach) AS reach, sum(impressions) AS impressions,
               count(*) FILTER (WHERE sentiment > 0) AS pos, count(*) FILTER (WHERE sentiment < 0) AS neg,
               count(*) FILTER (WHERE sentiment IS NULL) AS unscored, avg(sentiment) AS mean_s FROM t),
  r AS (SELECT (scrm_engagement_agg(at, user_id, kind, reach, impressions, sentiment)).* FROM eng_t)
  SELECT r.rows = x.n AND r.posts = x.posts AND r.comments = x.comments AND r.shares = x.shares
     AND r.likes = x.likes AND r.mentions = x.mentions AND r.others = x.others
     AND r.engagements = x.comments + x.shares + x.likes
     AND abs(r.unique_users - x.users) <= 0.03 * x.users
     AND r.reach = x.reach AND r.impressions = x.impressions
     AND abs(r.er_reach - 100.0 * r.engagements / x.reach) <= 1e-12 * r.er_reach
     AND abs(r.conversation_rate - x.comments::float8 / x.posts) <= 1e-15
     AND r.positive = x.pos AND r.negative = x.neg AND r.unscored = x.unscored
     AND abs(r.mean_sentiment - x.mean_s) <= 1e-12
  FROM r, x")" t

log "engagement: the C library (Python binding) on the same rows"
psql_ -c "\\copy (SELECT floor(extract(epoch FROM at))::bigint, coalesce(user_id, ''), scrm_engagement_kind(kind), reach, impressions, sentiment FROM eng_t WHERE at IS NOT NULL AND kind IS NOT NULL ORDER BY i) TO '$tmp/engagement.csv' CSV"
psql_ -At -c "SELECT encode(scrm_engagement_state(at, user_id, kind, reach, impressions, sentiment)::bytea, 'hex') FROM eng_t" >"$tmp/engagement.hex"
pyscrm - "$tmp/engagement.csv" "$tmp/engagement.hex" "$eng_serial" <<'PY'
import csv, math, sys
from scrm.engagement import Engagement
rows = list(csv.reader(open(sys.argv[1])))
e = Engagement()
e.add([int(r[0]) for r in rows], [r[1] for r in rows], [int(r[2]) for r in rows],
      reach=[float(r[3]) for r in rows], impressions=[float(r[4]) for r in rows],
      sentiment=[float(r[5]) if r[5] else math.nan for r in rows])
sql_state = bytes.fromhex(open(sys.argv[2]).read().strip())
if e.to_bytes() != sql_state:
    sys.exit(f"FAIL: engagement state bytes differ from the C library's ({len(sql_state)} vs {len(e.to_bytes())} bytes)")
r = e.finalize()
nan = lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else v  # noqa: E731
want = [r.rows, *r.counts.values(), r.engagements, r.unique_users, r.talking_window, r.reach, r.impressions,
        r.er_reach, r.er_impressions, r.conversation_rate, r.amplification_rate, r.applause_rate,
        r.positive, r.neutral, r.negative, r.unscored, r.net_sentiment, r.net_sentiment_total,
        r.mean_sentiment]
got = sys.argv[3].split("|")
if len(got) != len(want):
    sys.exit(f"FAIL: engagement: {len(got)} SQL fields, {len(want)} expected")
for i, (g, w) in enumerate(zip(got, want)):
    w = nan(w)
    if (g == "" and w is not None) or (g != "" and (w is None or type(w)(g) != w)):
        sys.exit(f"FAIL: engagement field {i + 1}: SQL {g!r} != C library {w!r}")
print(f"==> ok: SQL scrm_engagement_agg and scrm_engagement_state equal the C library on {len(rows)} rows "
      f"(state {len(sql_state)} bytes identical; unique users {r.unique_users:.1f})", file=sys.stderr)
PY

expect_eq "engagement: merged per-group states (parallel) equal the whole" \
    "$(q_par "SELECT (r).* FROM (SELECT scrm_engagement_result(scrm_engagement_merge(st)) AS r
              FROM (SELECT i % 10 AS g, scrm_engagement_state(at, user_id, kind, reach, impressions, sentiment) AS st
                    FROM eng_t GROUP BY 1) AS d) s")" "$eng_serial"
expect_eq "engagement: GROUP BY kind counts" \
    "$(q "SELECT string_agg(format('%s=%s', k, (r).rows), ',' ORDER BY k) FROM
          (SELECT scrm_engagement_kind(kind) AS k, scrm_engagement_agg(at, user_id, kind) AS r FROM eng_t GROUP BY 1) s WHERE k IS NOT NULL")" \
    "$(q "SELECT string_agg(format('%s=%s', k, n), ',' ORDER BY k) FROM
          (SELECT scrm_engagement_kind(kind) AS k, count(at) AS n FROM eng_t GROUP BY 1) s WHERE k IS NOT NULL")"
expect_eq "engagement: no rows gives NULL" \
    "$(q "SELECT scrm_engagement_agg(at, user_id, kind) IS NULL FROM eng_t WHERE false")" t
expect_eq "engagement: only NULL times give NULL" \
    "$(q "SELECT scrm_engagement_agg(NULL::timestamptz, 'u', 'like') IS NULL FROM generate_series(1, 3)")" t
expect_eq "engagement: rates without posts or reach are NULL" \
    "$(q "SELECT (r).rows, (r).conversation_rate IS NULL, (r).er_reach IS NULL FROM (SELECT scrm_engagement_agg(now(), 'u', 'like') AS r) s")" "1|t|t"

expect_error "engagement: sentiment 1.5 raises the library's ERROR" \
    "SELECT scrm_engagement_agg(now(), 'u', 'like', 0, 0, 1.5)" 'ERROR: .*scrm_engagement_agg: .*1\.5'
expect_error "engagement: negative reach raises the library's ERROR" \
    "SELECT scrm_engagement_agg(now(), 'u', 'like', -3, 0, NULL)" 'ERROR: .*scrm_engagement_agg: .*-3'
expect_error "engagement: NaN sentiment raises an ERROR" \
    "SELECT scrm_engagement_agg(now(), 'u', 'like', 0, 0, 'NaN')" 'ERROR: .*sentiment is NaN'
expect_error "engagement: infinite time raises an ERROR" \
    "SELECT scrm_engagement_agg('-infinity', 'u', 'like')" 'ERROR: .*at is infinite'
expect_error "engagement: bad value in a parallel worker raises an ERROR" \
    "$PAR SELECT scrm_engagement_agg(at, user_id, kind, CASE WHEN i = 90000 THEN -1 ELSE reach END, impressions, sentiment) FROM eng_t" \
    'ERROR: .*scrm_engagement_agg: '
expect_error "engagement: corrupted state bytes raise an ERROR" \
    "SELECT set_byte(scrm_engagement_state(at, user_id, kind)::bytea, 30, 7)::scrm_engagement_state FROM eng_t" \
    'ERROR: .*scrm_engagement state: '
expect_error "engagement: truncated state bytes raise an ERROR" \
    "SELECT scrm_engagement_result(substring(scrm_engagement_state(at, user_id, kind)::bytea from 1 for 40)::scrm_engagement_state) FROM eng_t" \
    'ERROR: .*scrm_engagement state: '
expect_error "engagement: SQL refuses an NPS state where an engagement state is expected" \
    "SELECT scrm_engagement_result(scrm_nps_state(score)) FROM nps_t" \
    'ERROR: .*function scrm_engagement_result\(scrm_nps_state\) does not exist'
expect_error "engagement: SQL refuses an engagement state where an NPS state is expected" \
    "SELECT scrm_nps_result(scrm_engagement_state(at, user_id, kind)) FROM eng_t" \
    'ERROR: .*function scrm_nps_result\(scrm_engagement_state\) does not exist'
expect_error "engagement: NPS state bytes cast to an engagement state are refused by the library" \
    "SELECT scrm_nps_state(score)::bytea::scrm_engagement_state FROM nps_t" 'ERROR: .*scrm_engagement state: '
