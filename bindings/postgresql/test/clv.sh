# CLV checks, sourced by run.sh (uses its q, q_par, expect_*, pyscrm helpers).
data=$root/tests/data/cdnow
log "CLV: CDNOW sample transactions -> (x, t_x, T) per customer in SQL"
q "CREATE TABLE cdnow_raw (line text); CREATE TABLE cdnow_summary (id int, x float8, t_x float8, \"T\" float8)"
psql_ -c "\\copy cdnow_raw FROM pstdin" <"$data/CDNOW_sample.txt"
psql_ -c "\\copy cdnow_summary FROM pstdin CSV HEADER" <"$data/cdnow_customers_summary.csv"
q "CREATE TABLE cdnow_tx AS
   SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS day, f[4]::int AS cds, f[5]::numeric AS amount
   FROM (SELECT regexp_split_to_array(btrim(line), '\\s+') AS f FROM cdnow_raw) AS s; ANALYZE cdnow_tx" >/dev/null
# The papers' calibration period ends 1997-09-30; time unit weeks. x = repeat
# purchase DAYS, t_x = last purchase day - first, T = end - first purchase day.
RFM_SQL="SELECT customer,
       (count(DISTINCT day) - 1)::float8 AS x,
       (max(day) - min(day)) / 7.0::float8 AS t_x,
       (date '1997-09-30' - min(day)) / 7.0::float8 AS \"T\"
FROM cdnow_tx WHERE day <= date '1997-09-30'
GROUP BY customer"
q "CREATE TABLE cdnow_rfm AS $RFM_SQL; ANALYZE cdnow_rfm" >/dev/null
expect_eq "CLV: SQL (x, t_x, T) equal the published summary (2 decimals) for every customer" \
    "$(q "SELECT count(*), count(*) FILTER (WHERE r.x = s.x AND abs(r.t_x - s.t_x) <= 0.005 + 1e-9
                                         AND abs(r.\"T\" - s.\"T\") <= 0.005 + 1e-9)
          FROM cdnow_rfm r JOIN cdnow_summary s ON s.id = r.customer")" "2357|2357"

log "CLV: scoring with a stored model (published BG/NBD parameters)"
q "CREATE TABLE clv_models (name text PRIMARY KEY, model bytea);
   INSERT INTO clv_models VALUES ('published', scrm_clv_model('BG/NBD', ARRAY[0.243, 4.414, 0.793, 2.426]))" >/dev/null
expect_eq "CLV: scrm_clv_params reads the model back" \
    "$(q "SELECT (i).kind, (i).param_names, (i).params, (i).fitted, (i).log_likelihood IS NULL
          FROM (SELECT scrm_clv_params(model) AS i FROM clv_models WHERE name = 'published') s")" \
    "BG/NBD|{r,alpha,a,b}|{0.243,4.414,0.793,2.426}|f|t"
expect_eq "CLV: E[Y(39) | 2, 30.43, 38.86] = 1.226 (Fader, Hardie & Lee 2005)" \
    "$(q "SELECT round(scrm_clv_expected_purchases(model, 39, 2, 30.43, 38.86)::numeric, 3)
          FROM clv_models WHERE name = 'published'")" 1.226
SCORE_SQL="SELECT string_agg(format('%s %s %s', customer, scrm_clv_p_alive(m.model, x, t_x, \"T\"),
                                    scrm_clv_expected_purchases(m.model, 39, x, t_x, \"T\")), E'\\n' ORDER BY customer)
           FROM cdnow_rfm, clv_models m WHERE m.name = 'published'"
q "$SER $SCORE_SQL" >"$tmp/scores_serial.txt"
q_par "$SCORE_SQL" >"$tmp/scores_parallel.txt"
cmp -s "$tmp/scores_serial.txt" "$tmp/scores_parallel.txt" || fail "CLV: parallel scores differ from serial scores"
psql_ -c "\\copy (SELECT customer, x, t_x, \"T\" FROM cdnow_rfm ORDER BY customer) TO '$tmp/rfm.csv' CSV"
pyscrm - "$tmp/rfm.csv" "$tmp/scores_serial.txt" <<'PY'
import csv, sys
from scrm.clv import ClvModel
rows = [[float(v) for v in r] for r in csv.reader(open(sys.argv[1]))]
m = ClvModel("bgnbd", [0.243, 4.414, 0.793, 2.426])
x, tx, T = ([r[i] for r in rows] for i in (1, 2, 3))
alive = m.probability_alive(x, tx, T)
ey = m.conditional_expected_purchases(39, x, tx, T)
got = [line.split() for line in open(sys.argv[2]).read().split("\n") if line]
if len(got) != len(rows):
    sys.exit(f"FAIL: CLV: {len(got)} SQL scores for {len(rows)} customers")
for g, r, a, e in zip(got, rows, alive, ey):
    if int(g[0]) != int(r[0]) or float(g[1]) != a or float(g[2]) != e:
        sys.exit(f"FAIL: CLV customer {g[0]}: SQL ({g[1]}, {g[2]}) != C library ({a!r}, {e!r})")
print(f"==> ok: SQL P(alive) and E[Y(39)] equal the C library for all {len(rows)} CDNOW customers "
      f"(serial and parallel scans)", file=sys.stderr)
PY

expect_eq "CLV: NULL arguments give NULL" \
    "$(q "SELECT scrm_clv_p_alive(model, NULL, 1, 2) IS NULL AND scrm_clv_params(NULL) IS NULL FROM clv_models")" t
expect_error "CLV: unknown model kind raises an ERROR" \
    "SELECT scrm_clv_model('BG/XYZ', ARRAY[1, 2])" 'ERROR: .*unknown model kind "BG/XYZ"'
expect_error "CLV: wrong parameter count raises the library's ERROR" \
    "SELECT scrm_clv_model('bgnbd', ARRAY[1, 2])" 'ERROR: .*scrm_clv_model: '
expect_error "CLV: negative parameter raises the library's ERROR" \
    "SELECT scrm_clv_model('pareto_nbd', ARRAY[1, -2, 3, 4])" 'ERROR: .*scrm_clv_model: .*-2'
expect_error "CLV: NULL parameter raises an ERROR" \
    "SELECT scrm_clv_model('bgnbd', ARRAY[1, NULL, 3, 4])" 'ERROR: .*params\[2\] is NULL'
expect_error "CLV: t_x > T raises the library's ERROR" \
    "SELECT scrm_clv_p_alive(model, 2, 40, 38) FROM clv_models" 'ERROR: .*scrm_clv_p_alive: '
expect_error "CLV: non-integer frequency raises the library's ERROR" \
    "SELECT scrm_clv_expected_purchases(model, 39, 2.5, 3, 38) FROM clv_models" 'ERROR: .*scrm_clv_expected_purchases: '
expect_error "CLV: NaN recency raises the library's ERROR" \
    "SELECT scrm_clv_p_alive(model, 2, 'NaN', 38) FROM clv_models" 'ERROR: .*scrm_clv_p_alive: '
expect_error "CLV: negative horizon raises the library's ERROR" \
    "SELECT scrm_clv_expected_purchases(model, -1) FROM clv_models" 'ERROR: .*scrm_clv_expected_purchases: '
expect_error "CLV: corrupted model bytes raise an ERROR" \
    "SELECT scrm_clv_p_alive(set_byte(model, 24, 99), 2, 3, 38) FROM clv_models" 'ERROR: .*scrm_clv_p_alive: '
expect_error "CLV: truncated model bytes raise an ERROR" \
    "SELECT scrm_clv_params(substring(model from 1 for 12)) FROM clv_models" 'ERROR: .*scrm_clv_params: '
expect_error "CLV: an NPS state is not a model" \
    "SELECT scrm_clv_params(scrm_nps_state(score)::bytea) FROM nps_t" 'ERROR: .*scrm_clv_params: '

log "CLV: RFM histogram aggregate (scrm_rfm_hist) and BG/NBD fit in SQL"
HIST_Q="SELECT scrm_rfm_hist(x, t_x, \"T\") FROM cdnow_rfm"
expect_parallel "scrm_rfm_hist" "$HIST_Q"
hist_md5=$(q "$SER SELECT md5(($HIST_Q)::bytea)")
expect_eq "CLV: parallel histogram is byte-identical to the serial one" "$(q_par "SELECT md5(($HIST_Q)::bytea)")" "$hist_md5"
expect_eq "CLV: histogram straight from the transactions (GROUP BY customer) is the same" \
    "$(q_par "SELECT md5(scrm_rfm_hist(x, t_x, \"T\")::bytea) FROM ($RFM_SQL) AS c")" "$hist_md5"
expect_eq "CLV: merged per-group histograms equal the whole" \
    "$(q_par "SELECT md5(scrm_rfm_hist_merge(h)::bytea) FROM (SELECT customer % 7, scrm_rfm_hist(x, t_x, \"T\") AS h
              FROM cdnow_rfm GROUP BY 1) AS g")" "$hist_md5"
expect_eq "CLV: weighted distinct rows give the same histogram" \
    "$(q "SELECT md5(scrm_rfm_hist(x, t_x, \"T\", n)::bytea) FROM (SELECT x, t_x, \"T\", count(*)::float8 AS n
          FROM cdnow_rfm GROUP BY 1, 2, 3) AS d")" "$hist_md5"
expect_eq "CLV: scrm_rfm_hist_rows lists the distinct rows and their weights" \
    "$(q "SELECT count(*), sum(weight) FROM scrm_rfm_hist_rows(($HIST_Q))")" \
    "$(q "SELECT count(DISTINCT (x, t_x, \"T\")), count(*) FROM cdnow_rfm")"
q "INSERT INTO clv_models SELECT 'fitted', scrm_clv_fit('BG/NBD', scrm_rfm_hist(x, t_x, \"T\")) FROM cdnow_rfm" >/dev/null
fit=$(q "SELECT array_to_string((i).params, ' '), (i).log_likelihood, (i).converged, (i).n_customers
         FROM (SELECT scrm_clv_params(model) AS i FROM clv_models WHERE name = 'fitted') AS s")
log "CLV: SQL fit: params (r alpha a b) and LL, converged, customers: $fit"
q "$SER SELECT encode(($HIST_Q)::bytea, 'hex')" >"$tmp/hist.hex"
q "SELECT encode(model, 'hex') FROM clv_models WHERE name = 'fitted'" >"$tmp/model.hex"
pyscrm - "$tmp/rfm.csv" "$tmp/hist.hex" "$tmp/model.hex" <<'PY'
import csv, sys
from scrm.clv import ClvModel
rows = [[float(v) for v in r] for r in csv.reader(open(sys.argv[1]))]
x, tx, T = ([r[i] for r in rows] for i in (1, 2, 3))
sql_model = ClvModel.from_bytes(bytes.fromhex(open(sys.argv[3]).read().strip()))
got = sql_model.info()
want = ClvModel.fit("bgnbd", x, tx, T).info()
for name in want.params:
    g, w = got.params[name], want.params[name]
    if abs(g - w) > 1e-9 * abs(w):
        sys.exit(f"FAIL: CLV fit {name}: SQL {g!r} != C library {w!r}")
if abs(got.log_likelihood - want.log_likelihood) > 1e-9 * abs(want.log_likelihood):
    sys.exit(f"FAIL: CLV fit LL: SQL {got.log_likelihood!r} != C library {want.log_likelihood!r}")
published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
for name, p in published.items():
    if abs(got.params[name] - p) > 1e-3:
        sys.exit(f"FAIL: CLV fit {name} = {got.params[name]} is not the published {p} (+-1e-3)")
if abs(got.log_likelihood - -9582.4) > 0.05:
    sys.exit(f"FAIL: CLV fit LL {got.log_likelihood} is not the published -9582.4")
try:
    from scrm.customer_base import RfmHistogram
except ImportError:
    RfmHistogram = None
if RfmHistogram is not None:
    h = RfmHistogram()
    h.add(x, tx, T)
    sql_hist = bytes.fromhex(open(sys.argv[2]).read().strip())
    if h.to_bytes() != sql_hist:
        sys.exit("FAIL: SQL scrm_rfm_hist bytes differ from the C library's histogram")
    if h.fit("bgnbd").to_bytes() != bytes.fromhex(open(sys.argv[3]).read().strip()):
        sys.exit("FAIL: SQL scrm_clv_fit model bytes differ from the C library's scrm_rfm_hist_fit")
print(f"==> ok: SQL BG/NBD fit on the histogram equals the C library's fit (1e-9) and the published "
      f"r, alpha, a, b = 0.243, 4.414, 0.793, 2.426 (1e-3), LL -9582.4 (0.05)"
      f"{'; histogram and model bytes identical' if RfmHistogram else ''}", file=sys.stderr)
PY
expect_eq "CLV: E[X(t)] of the fitted model at t = 1, 3, 78 (0.0532, 0.1506, 1.8576; 3e-4 relative)" \
    "$(q "SELECT bool_and(abs(scrm_clv_expected_purchases(model, t) - e) <= greatest(5e-5, 3e-4 * e))
          FROM clv_models, unnest(ARRAY[1, 3, 78]::float8[], ARRAY[0.0532, 0.1506, 1.8576]::float8[]) AS u(t, e)
          WHERE name = 'fitted'")" t
expect_eq "CLV: Pareto/NBD fit on the same histogram (r 0.553, alpha 10.578, s 0.606, beta 11.669)" \
    "$(q "SELECT abs(p[1] - 0.553) <= 2e-3 AND abs(p[2] - 10.578) <= 2e-2 AND abs(p[3] - 0.606) <= 2e-3
                 AND abs(p[4] - 11.669) <= 2e-2
          FROM (SELECT (scrm_clv_params(scrm_clv_fit('pareto/nbd', ($HIST_Q)))).params AS p) AS s")" t
expect_eq "CLV: histogram of no rows is NULL" "$(q "SELECT scrm_rfm_hist(x, t_x, \"T\") IS NULL FROM cdnow_rfm WHERE false")" t
expect_eq "CLV: rows with a NULL are skipped" \
    "$(q "SELECT md5(scrm_rfm_hist(x, t_x, \"T\")::bytea) FROM (SELECT x, t_x, \"T\" FROM cdnow_rfm
          UNION ALL SELECT NULL, 1, 2 UNION ALL SELECT 1, NULL, 2) AS s")" "$hist_md5"
expect_error "CLV: negative frequency raises the library's ERROR" \
    "SELECT scrm_rfm_hist(-1, 0, 3)" 'ERROR: .*scrm_rfm_hist: '
expect_error "CLV: t_x > T raises the library's ERROR (in a parallel worker)" \
    "$PAR SELECT scrm_rfm_hist(x, CASE WHEN customer = 2000 THEN 99 ELSE t_x END, \"T\") FROM cdnow_rfm" 'ERROR: .*scrm_rfm_hist: '
expect_error "CLV: zero weight raises the library's ERROR" \
    "SELECT scrm_rfm_hist(1, 2, 3, 0)" 'ERROR: .*scrm_rfm_hist: '
expect_error "CLV: Gamma-Gamma cannot be fitted on a histogram" \
    "SELECT scrm_clv_fit('gamma-gamma', ($HIST_Q))" 'ERROR: .*scrm_clv_fit: '
expect_error "CLV: corrupted histogram bytes raise an ERROR" \
    "SELECT scrm_clv_fit('bgnbd', set_byte(($HIST_Q)::bytea, 40, 1)::scrm_rfm_hist_state)" 'ERROR: .*scrm_rfm_hist state: '
expect_error "CLV: truncated histogram bytes raise an ERROR" \
    "SELECT * FROM scrm_rfm_hist_rows(substring(($HIST_Q)::bytea from 1 for 30)::scrm_rfm_hist_state)" \
    'ERROR: .*scrm_rfm_hist state: '
expect_error "CLV: an NPS state is not a histogram" \
    "SELECT scrm_rfm_hist_merge(st) FROM (SELECT scrm_nps_state(score) AS st FROM nps_t) AS s" \
    'ERROR: .*function scrm_rfm_hist_merge\(scrm_nps_state\) does not exist'
expect_error "CLV: NPS state bytes are not a histogram" \
    "SELECT scrm_clv_fit('bgnbd', scrm_nps_state(score)::bytea::scrm_rfm_hist_state) FROM nps_t" 'ERROR: .*scrm_rfm_hist state: '

log "CLV: BG/BB on the donations data (weighted histogram rows)"
q "CREATE TABLE donations (x float8, t_x float8, n float8, donors float8)" >/dev/null
psql_ -c "\\copy donations FROM pstdin CSV HEADER" <"$data/donations.csv"
expect_eq "CLV: BG/BB fit on scrm_rfm_hist(x, t_x, n, donors) = Fader, Hardie & Shang (2010)" \
    "$(q "SELECT (i).n_customers, abs((i).params[1] - 1.204) <= 1e-3 AND abs((i).params[2] - 0.750) <= 1e-3
                 AND abs((i).params[3] - 0.657) <= 1e-3 AND abs((i).params[4] - 2.783) <= 1e-3
                 AND abs((i).log_likelihood - -33225.6) <= 0.05
          FROM (SELECT scrm_clv_params(scrm_clv_fit('BG/BB', scrm_rfm_hist(x, t_x, n, donors))) AS i
                FROM donations) AS s")" "11104|t"
