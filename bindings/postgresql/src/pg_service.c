/*
 * scrm_service_agg(created, first_response, resolved [, response_target_s,
 * resolution_target_s]): service time quantiles and SLA attainment as a
 * parallel aggregate over the scrm_service accumulator, and its saved state
 * type scrm_service_state (pg_scrm.h has the aggregate glue).
 */
#include "pg_scrm.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/timestamp.h"

#define SERVICE_FN "scrm_service_agg"
#define SERVICE_RESULT_FIELDS 18
#define SERVICE_BATCH 256

/*
 * The data area: the targets the accumulator was created with (checked on
 * every row) and a batch of tickets not yet added.
 */
typedef struct service_data
{
	bool		has_targets;	/* created from the 5-argument form */
	double		targets[2];		/* response, resolution target (seconds) */
	int64_t		created[SERVICE_BATCH];
	int64_t		first[SERVICE_BATCH];
	int64_t		resolved[SERVICE_BATCH];
} service_data;

PG_SCRM_ACC_OPS(scrm_service)

static int
service_add(void *h, const void *data, int n)
{
	const service_data *d = (const service_data *) data;

	return scrm_service_add((scrm_service *) h, (size_t) n, d->created, d->first, d->resolved,
							NULL, NULL);
}

static Datum
service_result(FunctionCallInfo fcinfo, const void *h, bool *isnull)
{
	scrm_service_result r;
	const scrm_service_stats *o = &r.overall;
	TupleDesc	td;
	Datum		v[SERVICE_RESULT_FIELDS];
	bool		nulls[SERVICE_RESULT_FIELDS] = {0};
	int			rc = scrm_service_finalize((const scrm_service *) h, &r);
	const double *stats[] = {
		&o->response_rate, &o->resolution_rate,
		&o->answer.mean, &o->answer.median, &o->answer.p90, &o->answer.p95, &o->answer.max,
		&o->resolution.mean, &o->resolution.median, &o->resolution.p90, &o->resolution.p95,
		&o->resolution.max,
	};
	int			i = 0;

	*isnull = rc == SCRM_ENODATA;
	if (*isnull)
		return (Datum) 0;
	pg_scrm_check(rc, SERVICE_FN);
	td = pg_scrm_result_desc(fcinfo, SERVICE_FN, "scrm_service_result", SERVICE_RESULT_FIELDS);
	v[i++] = pg_scrm_count(o->volume, SERVICE_FN);
	v[i++] = pg_scrm_count(o->responded, SERVICE_FN);
	v[i++] = pg_scrm_count(o->resolved, SERVICE_FN);
	v[i++] = pg_scrm_count(o->backlog, SERVICE_FN);
	for (size_t k = 0; k < lengthof(stats); k++, i++)	/* NaN (no such tickets) -> NULL */
		pg_scrm_put_float8(v, nulls, i, *stats[k], true);
	pg_scrm_put_float8(v, nulls, i++, o->response_sla[0], r.n_response_targets > 0);
	pg_scrm_put_float8(v, nulls, i++, o->resolution_sla[0], r.n_resolution_targets > 0);
	Assert(i == SERVICE_RESULT_FIELDS);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

static const pg_scrm_agg_desc service_desc = {
	.agg = SERVICE_FN,
	.calc = "scrm_service",
	.data_size = sizeof(service_data),
	.batch_rows = SERVICE_BATCH,
	.add = service_add,
	PG_SCRM_ACC_DESC(scrm_service),
	.result = service_result,
};

PG_SCRM_STATE_FUNCTIONS(service, service_desc)
PG_SCRM_ENTRY(service, result, pg_scrm_state_result, service_desc)

/* The state of this row: a new one created with the row's targets, or the same targets. */
static pg_scrm_agg *
service_state(FunctionCallInfo fcinfo)
{
	pg_scrm_agg *a = PG_SCRM_AGG_ARG(0);
	bool		have_targets = PG_NARGS() >= 6;
	double		targets[2] = {0, 0};
	service_data *d;

	if (have_targets)
	{
		if (PG_ARGISNULL(4) || PG_ARGISNULL(5))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: SLA targets must not be NULL", SERVICE_FN)));
		targets[0] = PG_GETARG_FLOAT8(4);
		targets[1] = PG_GETARG_FLOAT8(5);
	}
	if (a == NULL)
	{
		scrm_service_options opts = SCRM_SERVICE_OPTIONS_INIT;

		if (have_targets)
		{
			opts.response_targets[0] = targets[0];
			opts.resolution_targets[0] = targets[1];
		}
		a = pg_scrm_agg_new(fcinfo, &service_desc, &opts);
		d = (service_data *) a->data;
		d->has_targets = have_targets;
		d->targets[0] = targets[0];
		d->targets[1] = targets[1];
		return a;
	}
	d = (service_data *) a->data;
	if (have_targets && (d->targets[0] != targets[0] || d->targets[1] != targets[1]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: SLA targets must be the same in every row (%g, %g, then %g, %g)",
						SERVICE_FN, d->targets[0], d->targets[1], targets[0], targets[1])));
	return a;
}

PG_FUNCTION_INFO_V1(pg_scrm_service_sfunc);

/*
 * sfunc(state, created, first_response, resolved [, response_target_s,
 * resolution_target_s]). Rows without a creation time are skipped; NULL
 * first_response / resolved mean unanswered / unresolved. The targets must be
 * the same in every row (the accumulator is created with the first row's).
 */
Datum
pg_scrm_service_sfunc(PG_FUNCTION_ARGS)
{
	pg_scrm_agg *a;
	service_data *d;
	int			i;

	if (PG_ARGISNULL(1))
		PG_SCRM_RETURN_AGG(PG_SCRM_AGG_ARG(0));
	a = service_state(fcinfo);
	d = (service_data *) a->data;
	i = a->nbuf;
	d->created[i] = pg_scrm_unix_seconds(PG_GETARG_TIMESTAMPTZ(1), SERVICE_FN, "created");
	d->first[i] = PG_ARGISNULL(2) ? SCRM_TIME_NONE
		: pg_scrm_unix_seconds(PG_GETARG_TIMESTAMPTZ(2), SERVICE_FN, "first_response");
	d->resolved[i] = PG_ARGISNULL(3) ? SCRM_TIME_NONE
		: pg_scrm_unix_seconds(PG_GETARG_TIMESTAMPTZ(3), SERVICE_FN, "resolved");
	pg_scrm_agg_push(a);
	PG_RETURN_POINTER(a);
}
