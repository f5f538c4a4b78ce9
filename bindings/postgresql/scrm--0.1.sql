-- libscrm KPIs as PostgreSQL aggregates (see README.md).
\echo Use "CREATE EXTENSION scrm" to load this file. \quit

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
CREATE FUNCTION scrm_nps_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_nps_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_serial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION scrm_nps_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_deserial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION scrm_nps_final(internal) RETURNS scrm_nps_result
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_final' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_nps_sfunc_state(internal, bytea) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_sfunc_state' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- NPS of scores 0..10 (default bands 0-6 / 7-8 / 9-10, 95 % adjusted Wald interval).
CREATE AGGREGATE scrm_nps(score float8) (
    SFUNC = scrm_nps_sfunc,
    STYPE = internal,
    FINALFUNC = scrm_nps_final,
    COMBINEFUNC = scrm_nps_combine,
    SERIALFUNC = scrm_nps_serial,
    DESERIALFUNC = scrm_nps_deserial,
    PARALLEL = SAFE
);

-- The accumulator's serialized state (libscrm bytes, readable by every binding).
CREATE AGGREGATE scrm_nps_state(score float8) (
    SFUNC = scrm_nps_sfunc,
    STYPE = internal,
    FINALFUNC = scrm_nps_serial,
    COMBINEFUNC = scrm_nps_combine,
    SERIALFUNC = scrm_nps_serial,
    DESERIALFUNC = scrm_nps_deserial,
    PARALLEL = SAFE
);

-- Merge saved states (rollups of daily states, states from other processes).
CREATE AGGREGATE scrm_nps_merge(state bytea) (
    SFUNC = scrm_nps_sfunc_state,
    STYPE = internal,
    FINALFUNC = scrm_nps_serial,
    COMBINEFUNC = scrm_nps_combine,
    SERIALFUNC = scrm_nps_serial,
    DESERIALFUNC = scrm_nps_deserial,
    PARALLEL = SAFE
);

-- Result of a saved state.
CREATE FUNCTION scrm_nps_result(state bytea) RETURNS scrm_nps_result
    AS 'MODULE_PATHNAME', 'pg_scrm_nps_from_state' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

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
CREATE FUNCTION scrm_service_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_service_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION scrm_service_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'pg_scrm_service_serial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION scrm_service_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'pg_scrm_service_deserial' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION scrm_service_final(internal) RETURNS scrm_service_result
    AS 'MODULE_PATHNAME', 'pg_scrm_service_final' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- Default targets: first response within 3600 s, resolution within 86400 s.
CREATE AGGREGATE scrm_service_agg(created timestamptz, first_response timestamptz,
                                  resolved timestamptz) (
    SFUNC = scrm_service_sfunc, STYPE = internal, FINALFUNC = scrm_service_final,
    COMBINEFUNC = scrm_service_combine, SERIALFUNC = scrm_service_serial,
    DESERIALFUNC = scrm_service_deserial, PARALLEL = SAFE
);

-- Explicit targets in seconds (the same in every row).
CREATE AGGREGATE scrm_service_agg(created timestamptz, first_response timestamptz,
                                  resolved timestamptz, response_target_s float8,
                                  resolution_target_s float8) (
    SFUNC = scrm_service_sfunc, STYPE = internal, FINALFUNC = scrm_service_final,
    COMBINEFUNC = scrm_service_combine, SERIALFUNC = scrm_service_serial,
    DESERIALFUNC = scrm_service_deserial, PARALLEL = SAFE
);
