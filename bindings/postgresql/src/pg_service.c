/*
 * scrm_service_agg(created, first_response, resolved [, response_target_s,
 * resolution_target_s]): service time quantiles and SLA attainment as a
 * parallel aggregate over the scrm_service accumulator.
 */
#include "pg_scrm.h"

#include <math.h>

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pg_scrm_service_sfunc);
PG_FUNCTION_INFO_V1(pg_scrm_service_combine);
PG_FUNCTION_INFO_V1(pg_scrm_service_serial);
PG_FUNCTION_INFO_V1(pg_scrm_service_deserial);
PG_FUNCTION_INFO_V1(pg_scrm_service_final);

#define SERVICE_RESULT_FIELDS 18

static void
service_release(void *h)
{
	scrm_service_free((scrm_service *) h);
}

#define SERVICE_BATCH 256

/*
 * The transition state: the accumulator, the targets it was created with, and
 * a batch of tickets not yet added (the library validates and adds them in one
 * call). Flushed before the state is serialized, merged or finalized.
 */
typedef struct service_state
{
	pg_scrm_handle *slot;
	bool		has_targets;	/* created from the 5-argument form */
	double		targets[2];		/* response, resolution target (seconds) */
	int			nbuf;
	int64_t		created[SERVICE_BATCH];
	int64_t		first[SERVICE_BATCH];
	int64_t		resolved[SERVICE_BATCH];
} service_state;

#define SVC(st) ((scrm_service *) (st)->slot->h)

/* Add the batched tickets; the accumulator is then complete. */
static scrm_service *
service_flush(service_state *st)
{
	int			n = st->nbuf;

	st->nbuf = 0;				/* on error the batch is dropped with the query */
	if (n > 0)
		pg_scrm_check(scrm_service_add(SVC(st), (size_t) n, st->created, st->first,
									   st->resolved, NULL, NULL),
					  "scrm_service_agg");
	return SVC(st);
}

/* New accumulator in mcxt: defaults, or the two targets (seconds) when given. */
static service_state *
service_state_new(MemoryContext mcxt, const double *targets)
{
	service_state *st = MemoryContextAllocZero(mcxt, sizeof(*st));
	scrm_service_options opts = SCRM_SERVICE_OPTIONS_INIT;
	scrm_service *svc = NULL;

	st->slot = pg_scrm_handle_new(mcxt, service_release);
	if (targets != NULL)
	{
		opts.response_targets[0] = targets[0];
		opts.resolution_targets[0] = targets[1];
		st->has_targets = true;
		st->targets[0] = targets[0];
		st->targets[1] = targets[1];
	}
	pg_scrm_check(scrm_service_new(&svc, &opts), "scrm_service_agg");
	st->slot->h = svc;
	return st;
}

static service_state *
service_state_from_bytes(MemoryContext mcxt, const uint8_t *buf, size_t len)
{
	service_state *st = MemoryContextAllocZero(mcxt, sizeof(*st));
	scrm_service *svc = NULL;

	st->slot = pg_scrm_handle_new(mcxt, service_release);
	pg_scrm_check(scrm_service_deserialize(&svc, buf, len), "scrm_service_agg state");
	st->slot->h = svc;
	return st;
}

static int
service_ser(const void *h, uint8_t *buf, size_t cap, size_t *out_len)
{
	return scrm_service_serialize((const scrm_service *) h, buf, cap, out_len);
}

static bytea *
service_state_bytes(const scrm_service *svc)
{
	return pg_scrm_bytes(service_ser, svc, "scrm_service_agg serialize");
}

static int64_t
unix_seconds(TimestampTz t, const char *column)
{
	return pg_scrm_unix_seconds(t, "scrm_service_agg", column);
}

#define SVC_ARG(i) (PG_ARGISNULL(i) ? NULL : (service_state *) PG_GETARG_POINTER(i))

/*
 * sfunc(state, created, first_response, resolved [, response_target_s,
 * resolution_target_s]). Rows without a creation time are skipped; NULL
 * first_response / resolved mean unanswered / unresolved. The targets must be
 * the same in every row (the accumulator is created with the first row's).
 */
Datum
pg_scrm_service_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_service_agg");
	service_state *st = SVC_ARG(0);
	double		targets[2] = {0, 0};
	int			i;
	bool		have_targets = PG_NARGS() >= 6;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (have_targets)
	{
		if (PG_ARGISNULL(4) || PG_ARGISNULL(5))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("scrm_service_agg: SLA targets must not be NULL")));
		targets[0] = PG_GETARG_FLOAT8(4);
		targets[1] = PG_GETARG_FLOAT8(5);
	}
	if (st == NULL)
		st = service_state_new(aggcxt, have_targets ? targets : NULL);
	else if (have_targets && (st->targets[0] != targets[0] || st->targets[1] != targets[1]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scrm_service_agg: SLA targets must be the same in every row "
						"(%g, %g, then %g, %g)", st->targets[0], st->targets[1],
						targets[0], targets[1])));
	i = st->nbuf;
	st->created[i] = unix_seconds(PG_GETARG_TIMESTAMPTZ(1), "created");
	st->first[i] = PG_ARGISNULL(2) ? SCRM_TIME_NONE
		: unix_seconds(PG_GETARG_TIMESTAMPTZ(2), "first_response");
	st->resolved[i] = PG_ARGISNULL(3) ? SCRM_TIME_NONE
		: unix_seconds(PG_GETARG_TIMESTAMPTZ(3), "resolved");
	if (++st->nbuf == SERVICE_BATCH)
		service_flush(st);
	PG_RETURN_POINTER(st);
}

/* combinefunc: a NULL first state becomes a copy of the second (same options). */
Datum
pg_scrm_service_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_service_agg combine");
	service_state *a = SVC_ARG(0);
	service_state *b = SVC_ARG(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		bytea	   *copy = service_state_bytes(service_flush(b));

		a = service_state_from_bytes(aggcxt, (const uint8_t *) VARDATA(copy),
									 VARSIZE(copy) - VARHDRSZ);
		a->has_targets = b->has_targets;
		a->targets[0] = b->targets[0];
		a->targets[1] = b->targets[1];
		pfree(copy);
		PG_RETURN_POINTER(a);
	}
	pg_scrm_check(scrm_service_merge(service_flush(a), service_flush(b)),
				  "scrm_service_agg combine");
	PG_RETURN_POINTER(a);
}

Datum
pg_scrm_service_serial(PG_FUNCTION_ARGS)
{
	service_state *st = (service_state *) PG_GETARG_POINTER(0);

	PG_RETURN_BYTEA_P(service_state_bytes(service_flush(st)));
}

Datum
pg_scrm_service_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	(void) pg_scrm_aggcontext(fcinfo, "scrm_service_agg deserialize");
	PG_RETURN_POINTER(service_state_from_bytes(CurrentMemoryContext,
											   (const uint8_t *) VARDATA_ANY(b),
											   VARSIZE_ANY_EXHDR(b)));
}

/* NaN (no such tickets) becomes SQL NULL. */
static void
put_double(Datum *v, bool *nulls, int i, double x)
{
	nulls[i] = isnan(x);
	v[i] = Float8GetDatum(nulls[i] ? 0.0 : x);
}

Datum
pg_scrm_service_final(PG_FUNCTION_ARGS)
{
	service_state *st = SVC_ARG(0);
	scrm_service_result r;
	const scrm_service_stats *o = &r.overall;
	TupleDesc	td;
	Datum		v[SERVICE_RESULT_FIELDS];
	bool		nulls[SERVICE_RESULT_FIELDS] = {0};
	int			rc;

	if (st == NULL)
		PG_RETURN_NULL();
	rc = scrm_service_finalize(service_flush(st), &r);
	if (rc == SCRM_ENODATA)
		PG_RETURN_NULL();
	pg_scrm_check(rc, "scrm_service_agg");
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("scrm_service_agg: result type is not the composite scrm_service_result")));
	td = BlessTupleDesc(td);
	v[0] = pg_scrm_count(o->volume, "scrm_service_agg");
	v[1] = pg_scrm_count(o->responded, "scrm_service_agg");
	v[2] = pg_scrm_count(o->resolved, "scrm_service_agg");
	v[3] = pg_scrm_count(o->backlog, "scrm_service_agg");
	put_double(v, nulls, 4, o->response_rate);
	put_double(v, nulls, 5, o->resolution_rate);
	put_double(v, nulls, 6, o->answer.mean);
	put_double(v, nulls, 7, o->answer.median);
	put_double(v, nulls, 8, o->answer.p90);
	put_double(v, nulls, 9, o->answer.p95);
	put_double(v, nulls, 10, o->answer.max);
	put_double(v, nulls, 11, o->resolution.mean);
	put_double(v, nulls, 12, o->resolution.median);
	put_double(v, nulls, 13, o->resolution.p90);
	put_double(v, nulls, 14, o->resolution.p95);
	put_double(v, nulls, 15, o->resolution.max);
	put_double(v, nulls, 16, r.n_response_targets > 0 ? o->response_sla[0] : NAN);
	put_double(v, nulls, 17, r.n_resolution_targets > 0 ? o->resolution_sla[0] : NAN);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}
