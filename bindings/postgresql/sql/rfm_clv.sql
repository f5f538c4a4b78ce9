-- RFM histogram aggregate, CLV models and fits on small inputs (test/run.sh
-- fits the CDNOW sample and compares with the C library and the papers).

-- Weighted distinct (x, t_x, T) rows, sorted; NULL rows skipped.
CREATE TABLE rfm (x float8, t_x float8, "T" float8);
INSERT INTO rfm VALUES (0, 0, 38), (2, 30.43, 38.86), (0, 0, 38), (1, 5, 20), (NULL, 1, 2), (1, NULL, 2);
SELECT * FROM scrm_rfm_hist_rows((SELECT scrm_rfm_hist(x, t_x, "T") FROM rfm));
SELECT * FROM scrm_rfm_hist_rows((SELECT scrm_rfm_hist(x, t_x, "T", w)
                                  FROM (VALUES (0, 0, 38, 2.5), (0, 0, 38, 0.5)) AS v(x, t_x, "T", w)));
SELECT scrm_rfm_hist(x, t_x, "T") IS NULL AS no_rows FROM rfm WHERE false;

-- Merged histograms equal the whole, byte for byte.
SELECT (SELECT scrm_rfm_hist_merge(h)::bytea FROM (SELECT scrm_rfm_hist(x, t_x, "T") AS h FROM rfm GROUP BY x) AS g)
     = (SELECT scrm_rfm_hist(x, t_x, "T")::bytea FROM rfm) AS merge_equals_whole;

-- A model from published parameters (BG/NBD, Fader, Hardie & Lee 2005) and its scores.
CREATE TABLE models AS SELECT scrm_clv_model('BG/NBD', ARRAY[0.243, 4.414, 0.793, 2.426]) AS m;
SELECT (i).kind, (i).param_names, (i).params, (i).fitted, (i).std_errors IS NULL AS no_std_errors
FROM (SELECT scrm_clv_params(m) AS i FROM models) AS x;
SELECT round(scrm_clv_expected_purchases(m, 39, 2, 30.43, 38.86)::numeric, 3) AS e_y39,
       round(scrm_clv_p_alive(m, 0, 0, 38)::numeric, 6) = 1 AS p_alive_without_repeat,
       scrm_clv_p_alive(m, NULL, 0, 38) IS NULL AS strict
FROM models;

-- Kind names: punctuation and case are ignored.
SELECT (scrm_clv_params(scrm_clv_model('pareto_nbd', ARRAY[0.55, 10.58, 0.61, 11.67]))).kind;

-- Our own errors.
SELECT scrm_clv_model('BG/XYZ', ARRAY[1, 2]);
SELECT scrm_clv_model('bgnbd', ARRAY[1, NULL, 3, 4]);

-- Library errors: SQLSTATE 22023 (invalid argument) and the fit's refusal.
\set VERBOSITY sqlstate
SELECT scrm_rfm_hist(-1, 0, 3);
SELECT scrm_rfm_hist(1, 2, 3, 0);
SELECT scrm_clv_model('bgnbd', ARRAY[1, 2]);
SELECT scrm_clv_p_alive(m, 2, 40, 38) FROM models;
SELECT scrm_clv_fit('gamma-gamma', (SELECT scrm_rfm_hist(x, t_x, "T") FROM rfm));
\set VERBOSITY default
