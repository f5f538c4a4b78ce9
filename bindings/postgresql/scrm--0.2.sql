-- libscrm KPIs as PostgreSQL aggregates (see README.md).
\echo Use "CREATE EXTENSION scrm" to load this file. \quit

-- Every aggregate's transition state is a libscrm accumulator (STYPE internal); its
-- partial states travel between parallel workers as the library's bytes. Combine
-- and serialize are shared (the state knows its calculator); each calculator has
-- its transition, deserialize and final functions and a typed saved state.
-- Merging saved states: scrm_nps_merge, scrm_service_merge, scrm_engagement_merge,
-- scrm_rfm_hist_merge (declared below, in the DO block).
CREATE FUNCTION scrm_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_agg_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_agg_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pg_scrm_agg_serial' LANGUAGE C STRICT PARALLEL SAFE;

-- Per calculator (nps, service, engagement, rfm_hist), the same declarations:
--
-- * the saved state type scrm_<calc>_state: the library's serialized bytes (the
--   bytes of the C library's scrm_<calc>_serialize() and of the Python binding);
--   text form \x and hex digits, binary form the bytes. Input, receive and the
--   cast from bytea check the bytes with the library, so a state of another
--   calculator, corrupted or truncated bytes are refused. Assignment casts to and
--   from bytea; no implicit cast, so function calls are typed;
-- * its aggregate support: scrm_<calc>_deserial (parallel partial states),
--   scrm_<calc>_state_final (the state's bytes), scrm_<calc>_merge_sfunc;
-- * the aggregate scrm_<calc>_merge(state scrm_<calc>_state) -> scrm_<calc>_state:
--   merge saved states (rollups of daily states, states from other processes).
DO $$
DECLARE
    calc text;
BEGIN
    FOREACH calc IN ARRAY ARRAY['nps', 'service', 'engagement', 'rfm_hist'] LOOP
        EXECUTE format($sql$
            CREATE TYPE scrm_%1$s_state;
            CREATE FUNCTION scrm_%1$s_state_in(cstring) RETURNS scrm_%1$s_state
                AS 'MODULE_PATHNAME', 'pg_scrm_%1$s_state_in' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
            CREATE FUNCTION scrm_%1$s_state_out(scrm_%1$s_state) RETURNS cstring
                AS 'MODULE_PATHNAME', 'pg_scrm_state_out' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
            CREATE FUNCTION scrm_%1$s_state_recv(internal) RETURNS scrm_%1$s_state
                AS 'MODULE_PATHNAME', 'pg_scrm_%1$s_state_recv' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
            CREATE FUNCTION scrm_%1$s_state_send(scrm_%1$s_state) RETURNS bytea
                AS 'MODULE_PATHNAME', 'pg_scrm_state_send' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
            CREATE TYPE scrm_%1$s_state (
                INPUT = scrm_%1$s_state_in, OUTPUT = scrm_%1$s_state_out,
                RECEIVE = scrm_%1$s_state_recv, SEND = scrm_%1$s_state_send,
                INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended
            );
            CREATE FUNCTION scrm_%1$s_state_from_bytea(bytea) RETURNS scrm_%1$s_state
                AS 'MODULE_PATHNAME', 'pg_scrm_%1$s_state_from_bytea' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
            CREATE CAST (bytea AS scrm_%1$s_state) WITH FUNCTION scrm_%1$s_state_from_bytea(bytea) AS ASSIGNMENT;
            CREATE CAST (scrm_%1$s_state AS bytea) WITHOUT FUNCTION AS ASSIGNMENT;

            CREATE FUNCTION scrm_%1$s_deserial(bytea, internal) RETURNS internal
                AS 'MODULE_PATHNAME', 'pg_scrm_%1$s_deserial' LANGUAGE C STRICT PARALLEL SAFE;
            CREATE FUNCTION scrm_%1$s_state_final(internal) RETURNS scrm_%1$s_state
                AS 'MODULE_PATHNAME', 'pg_scrm_agg_serial' LANGUAGE C STRICT PARALLEL SAFE;
            CREATE FUNCTION scrm_%1$s_merge_sfunc(internal, scrm_%1$s_state) RETURNS internal
                AS 'MODULE_PATHNAME', 'pg_scrm_%1$s_merge' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
            CREATE AGGREGATE scrm_%1$s_merge(state scrm_%1$s_state) (
                SFUNC = scrm_%1$s_merge_sfunc, STYPE = internal, FINALFUNC = scrm_%1$s_state_final,
                COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
                DESERIALFUNC = scrm_%1$s_deserial, PARALLEL = SAFE
            );
        $sql$, calc);
    END LOOP;
END
$$;

------------------------------------------------------------------------------
-- NPS
------------------------------------------------------------------------------
CREATE TYPE scrm_nps_result AS (
    n               bigint,
    promoters       bigint,
    passives        bigint,
    detractors      bigint,
    promoter_share  float8,
    passive_share   float8,
    detractor_share float8,
    nps             float8,
    se              float8,
    ci_low          float8,
    ci_high         float8
);

CREATE FUNCTION scrm_nps_sfunc(internal, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_sfunc' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_nps_final(internal) RETURNS scrm_nps_result
    AS 'MODULE_PATHNAME', 'pg_scrm_agg_final' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- NPS of scores 0..10 (default bands 0-6 / 7-8 / 9-10, 95 % adjusted Wald interval).
CREATE AGGREGATE scrm_nps(score float8) (
    SFUNC = scrm_nps_sfunc, STYPE = internal, FINALFUNC = scrm_nps_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_nps_deserial, PARALLEL = SAFE
);
-- The accumulator's saved state (readable by every binding).
CREATE AGGREGATE scrm_nps_state(score float8) (
    SFUNC = scrm_nps_sfunc, STYPE = internal, FINALFUNC = scrm_nps_state_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_nps_deserial, PARALLEL = SAFE
);
-- Result of a saved state.
CREATE FUNCTION scrm_nps_result(state scrm_nps_state) RETURNS scrm_nps_result
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_result' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

------------------------------------------------------------------------------
-- Social customer service: time to first response / resolution, SLA attainment
------------------------------------------------------------------------------
CREATE TYPE scrm_service_result AS (
    volume            bigint,   -- tickets (rows with a creation time)
    responded         bigint,   -- with a first response
    resolved          bigint,   -- with a resolution
    backlog           bigint,   -- open at the latest time in the data
    response_rate     float8,
    resolution_rate   float8,
    answer_mean       float8,   -- seconds to first response (NULL: none answered)
    answer_median     float8,
    answer_p90        float8,
    answer_p95        float8,
    answer_max        float8,
    resolution_mean   float8,   -- seconds to resolution (NULL: none resolved)
    resolution_median float8,
    resolution_p90    float8,
    resolution_p95    float8,
    resolution_max    float8,
    response_sla      float8,   -- share of all tickets answered within the target
    resolution_sla    float8    -- share of all tickets resolved within the target
);

CREATE FUNCTION scrm_service_sfunc(internal, timestamptz, timestamptz, timestamptz)
    RETURNS internal AS 'MODULE_PATHNAME', 'pg_scrm_service_sfunc'
    LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_service_sfunc(internal, timestamptz, timestamptz, timestamptz, float8, float8)
    RETURNS internal AS 'MODULE_PATHNAME', 'pg_scrm_service_sfunc'
    LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_service_final(internal) RETURNS scrm_service_result
    AS 'MODULE_PATHNAME', 'pg_scrm_agg_final' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- Default targets: first response within 3600 s, resolution within 86400 s.
CREATE AGGREGATE scrm_service_agg(created timestamptz, first_response timestamptz,
                                  resolved timestamptz) (
    SFUNC = scrm_service_sfunc, STYPE = internal, FINALFUNC = scrm_service_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_service_deserial, PARALLEL = SAFE
);
-- Explicit targets in seconds (the same in every row).
CREATE AGGREGATE scrm_service_agg(created timestamptz, first_response timestamptz,
                                  resolved timestamptz, response_target_s float8,
                                  resolution_target_s float8) (
    SFUNC = scrm_service_sfunc, STYPE = internal, FINALFUNC = scrm_service_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_service_deserial, PARALLEL = SAFE
);
-- The accumulator's saved state (options included).
CREATE AGGREGATE scrm_service_state(created timestamptz, first_response timestamptz,
                                    resolved timestamptz) (
    SFUNC = scrm_service_sfunc, STYPE = internal, FINALFUNC = scrm_service_state_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_service_deserial, PARALLEL = SAFE
);
CREATE AGGREGATE scrm_service_state(created timestamptz, first_response timestamptz,
                                    resolved timestamptz, response_target_s float8,
                                    resolution_target_s float8) (
    SFUNC = scrm_service_sfunc, STYPE = internal, FINALFUNC = scrm_service_state_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_service_deserial, PARALLEL = SAFE
);
-- Result of a saved state.
CREATE FUNCTION scrm_service_result(state scrm_service_state) RETURNS scrm_service_result
    AS 'MODULE_PATHNAME', 'pg_scrm_service_result' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

------------------------------------------------------------------------------
-- Engagement: counts by kind, unique engaged users (HyperLogLog), rates
------------------------------------------------------------------------------
CREATE TYPE scrm_engagement_result AS (
    rows                bigint,   -- interactions counted (rows with a time and a kind)
    posts               bigint,   -- by kind (see scrm_engagement_kind())
    comments            bigint,
    shares              bigint,
    likes               bigint,
    mentions            bigint,
    others              bigint,
    engagements         bigint,   -- likes + comments + shares
    unique_users        float8,   -- distinct users with a like, comment, share or mention (HLL estimate)
    talking_window      float8,   -- the same over the 7 days ending on the last day with data
    reach               float8,   -- sums
    impressions         float8,
    er_reach            float8,   -- engagements / reach * 100 (NULL: no reach)
    er_impressions      float8,   -- engagements / impressions * 100
    conversation_rate   float8,   -- comments per post (NULL: no post)
    amplification_rate  float8,   -- shares per post
    applause_rate       float8,   -- likes per post
    positive            bigint,   -- sentiment > 0, = 0, < 0, NULL
    neutral             bigint,
    negative            bigint,
    unscored            bigint,
    net_sentiment       float8,   -- (P - N) / (P + N) * 100
    net_sentiment_total float8,   -- (P - N) / (P + N + neutral) * 100
    mean_sentiment      float8
);

CREATE FUNCTION scrm_engagement_sfunc(internal, timestamptz, text, text)
    RETURNS internal AS 'MODULE_PATHNAME', 'pg_scrm_engagement_sfunc'
    LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_engagement_sfunc(internal, timestamptz, text, text, float8, float8, float8)
    RETURNS internal AS 'MODULE_PATHNAME', 'pg_scrm_engagement_sfunc'
    LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_engagement_final(internal) RETURNS scrm_engagement_result
    AS 'MODULE_PATHNAME', 'pg_scrm_agg_final' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- The library's code (0 post .. 5 other) of a kind string, as the aggregate maps it.
CREATE FUNCTION scrm_engagement_kind(kind text) RETURNS int4
    AS 'MODULE_PATHNAME', 'pg_scrm_engagement_kind' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE scrm_engagement_agg(at timestamptz, user_id text, kind text) (
    SFUNC = scrm_engagement_sfunc, STYPE = internal, FINALFUNC = scrm_engagement_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_engagement_deserial, PARALLEL = SAFE
);
CREATE AGGREGATE scrm_engagement_agg(at timestamptz, user_id text, kind text, reach float8,
                                     impressions float8, sentiment float8) (
    SFUNC = scrm_engagement_sfunc, STYPE = internal, FINALFUNC = scrm_engagement_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_engagement_deserial, PARALLEL = SAFE
);
-- The accumulator's saved state (mergeable with the C library's and Python's).
CREATE AGGREGATE scrm_engagement_state(at timestamptz, user_id text, kind text) (
    SFUNC = scrm_engagement_sfunc, STYPE = internal, FINALFUNC = scrm_engagement_state_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_engagement_deserial, PARALLEL = SAFE
);
CREATE AGGREGATE scrm_engagement_state(at timestamptz, user_id text, kind text, reach float8,
                                       impressions float8, sentiment float8) (
    SFUNC = scrm_engagement_sfunc, STYPE = internal, FINALFUNC = scrm_engagement_state_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_engagement_deserial, PARALLEL = SAFE
);
-- Result of a saved state.
CREATE FUNCTION scrm_engagement_result(state scrm_engagement_state) RETURNS scrm_engagement_result
    AS 'MODULE_PATHNAME', 'pg_scrm_engagement_result' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

------------------------------------------------------------------------------
-- CLV models stored as bytea (scrm_clv_model_serialize() bytes)
------------------------------------------------------------------------------
CREATE TYPE scrm_clv_info AS (
    kind           text,      -- 'BG/NBD', 'MBG/NBD', 'Pareto/NBD', 'Gamma-Gamma', 'sBG', 'BG/BB'
    param_names    text[],    -- e.g. {r,alpha,a,b}
    params         float8[],  -- estimates (natural units, the data's time unit)
    std_errors     float8[],  -- NULL for a model made from given parameters
    log_likelihood float8,    -- total log-likelihood of the fit (NULL: not fitted)
    fitted         boolean,
    converged      boolean,
    iterations     int4,
    n_customers    float8,
    gradient_norm  float8
);

-- A model from known parameters (e.g. published estimates), in the kind's order.
CREATE FUNCTION scrm_clv_model(kind text, params float8[]) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pg_scrm_clv_model' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION scrm_clv_params(model bytea) RETURNS scrm_clv_info
    AS 'MODULE_PATHNAME', 'pg_scrm_clv_params' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
-- P(alive | x, t_x, T).
CREATE FUNCTION scrm_clv_p_alive(model bytea, x float8, t_x float8, "T" float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pg_scrm_clv_p_alive' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
-- E[Y(t) | x, t_x, T]: expected repeat purchases in the next t time units.
CREATE FUNCTION scrm_clv_expected_purchases(model bytea, t float8, x float8, t_x float8, "T" float8)
    RETURNS float8 AS 'MODULE_PATHNAME', 'pg_scrm_clv_expected_purchases'
    LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
-- E[X(t)]: expected repeat purchases of a new customer in (0, t].
CREATE FUNCTION scrm_clv_expected_purchases(model bytea, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'pg_scrm_clv_expected_purchases_new' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

------------------------------------------------------------------------------
-- RFM histogram (weighted distinct (x, t_x, T) rows) and CLV fit on it
------------------------------------------------------------------------------
CREATE FUNCTION scrm_rfm_hist_sfunc(internal, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_rfm_hist_sfunc' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_rfm_hist_sfunc(internal, float8, float8, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_rfm_hist_sfunc' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- The histogram of per-customer (x, t_x, T), weight 1 each or given.
CREATE AGGREGATE scrm_rfm_hist(x float8, t_x float8, "T" float8) (
    SFUNC = scrm_rfm_hist_sfunc, STYPE = internal, FINALFUNC = scrm_rfm_hist_state_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_rfm_hist_deserial, PARALLEL = SAFE
);
CREATE AGGREGATE scrm_rfm_hist(x float8, t_x float8, "T" float8, weight float8) (
    SFUNC = scrm_rfm_hist_sfunc, STYPE = internal, FINALFUNC = scrm_rfm_hist_state_final,
    COMBINEFUNC = scrm_agg_combine, SERIALFUNC = scrm_agg_serial,
    DESERIALFUNC = scrm_rfm_hist_deserial, PARALLEL = SAFE
);
-- The distinct rows of a histogram, sorted by x, t_x, T.
CREATE FUNCTION scrm_rfm_hist_rows(hist scrm_rfm_hist_state, OUT x float8, OUT t_x float8, OUT "T" float8,
                                   OUT weight float8) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'pg_scrm_rfm_hist_rows' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
-- Maximum-likelihood fit of 'BG/NBD', 'MBG/NBD', 'Pareto/NBD', 'BG/BB' or 'sBG' on a histogram.
CREATE FUNCTION scrm_clv_fit(kind text, hist scrm_rfm_hist_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pg_scrm_clv_fit' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
