/*
 * scrm_nps(score float8): NPS as a parallel aggregate over the scrm_nps
 * accumulator. State: a pg_scrm_handle holding a scrm_nps; partial states
 * travel between workers as scrm_nps_serialize() bytes.
 */
#include "pg_scrm.h"

#include "access/htup_details.h"
#include "funcapi.h"

PG_FUNCTION_INFO_V1(pg_scrm_nps_sfunc);
PG_FUNCTION_INFO_V1(pg_scrm_nps_combine);
PG_FUNCTION_INFO_V1(pg_scrm_nps_serial);
PG_FUNCTION_INFO_V1(pg_scrm_nps_deserial);
PG_FUNCTION_INFO_V1(pg_scrm_nps_final);
PG_FUNCTION_INFO_V1(pg_scrm_nps_from_state);

#define NPS_RESULT_FIELDS 11

static void
nps_release(void *h)
{
	scrm_nps_free((scrm_nps *) h);
}

static pg_scrm_handle *
nps_state_new(MemoryContext mcxt)
{
	pg_scrm_handle *s = pg_scrm_handle_new(mcxt, nps_release);
	scrm_nps   *nps = NULL;

	pg_scrm_check(scrm_nps_new(&nps, NULL), "scrm_nps");
	s->h = nps;
	return s;
}

static pg_scrm_handle *
nps_state_from_bytes(MemoryContext mcxt, bytea *b)
{
	pg_scrm_handle *s = pg_scrm_handle_new(mcxt, nps_release);
	scrm_nps   *nps = NULL;

	pg_scrm_check(scrm_nps_deserialize(&nps, (const uint8_t *) VARDATA_ANY(b),
									   VARSIZE_ANY_EXHDR(b)),
				  "scrm_nps state");
	s->h = nps;
	return s;
}

#define NPS_ARG(i) (PG_ARGISNULL(i) ? NULL : (pg_scrm_handle *) PG_GETARG_POINTER(i))

/* sfunc(state internal, score float8): NULL scores are skipped. */
Datum
pg_scrm_nps_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_nps");
	pg_scrm_handle *s = NPS_ARG(0);
	double		score;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = nps_state_new(aggcxt);
	score = PG_GETARG_FLOAT8(1);
	pg_scrm_check(scrm_nps_add_scores((scrm_nps *) s->h, &score, 1), "scrm_nps");
	PG_RETURN_POINTER(s);
}

/* combinefunc: not strict, so a NULL first state gets a fresh accumulator in aggcxt. */
Datum
pg_scrm_nps_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_nps combine");
	pg_scrm_handle *a = NPS_ARG(0);
	pg_scrm_handle *b = NPS_ARG(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = nps_state_new(aggcxt);
	pg_scrm_check(scrm_nps_merge((scrm_nps *) a->h, (const scrm_nps *) b->h),
				  "scrm_nps combine");
	PG_RETURN_POINTER(a);
}

Datum
pg_scrm_nps_serial(PG_FUNCTION_ARGS)
{
	pg_scrm_handle *s = (pg_scrm_handle *) PG_GETARG_POINTER(0);
	size_t		len = 0;
	int			rc;
	bytea	   *out;

	rc = scrm_nps_serialize((const scrm_nps *) s->h, NULL, 0, &len);
	if (rc != SCRM_EBUFS)
		pg_scrm_check(rc, "scrm_nps serialize");
	out = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	pg_scrm_check(scrm_nps_serialize((const scrm_nps *) s->h, (uint8_t *) VARDATA(out),
									 len, &len),
				  "scrm_nps serialize");
	PG_RETURN_BYTEA_P(out);
}

/* deserialfunc(bytea, internal): the state lives in the calling context. */
Datum
pg_scrm_nps_deserial(PG_FUNCTION_ARGS)
{
	(void) pg_scrm_aggcontext(fcinfo, "scrm_nps deserialize");
	PG_RETURN_POINTER(nps_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0)));
}

static Datum
nps_result_datum(FunctionCallInfo fcinfo, const scrm_nps *nps)
{
	scrm_nps_result r;
	TupleDesc	td;
	Datum		v[NPS_RESULT_FIELDS];
	bool		nulls[NPS_RESULT_FIELDS] = {0};
	int			rc;

	rc = scrm_nps_finalize(nps, &r);
	if (rc == SCRM_ENODATA)
		PG_RETURN_NULL();
	pg_scrm_check(rc, "scrm_nps");
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("scrm_nps: result type is not the composite scrm_nps_result")));
	td = BlessTupleDesc(td);
	v[0] = pg_scrm_count(r.n, "scrm_nps");
	v[1] = pg_scrm_count(r.promoters, "scrm_nps");
	v[2] = pg_scrm_count(r.passives, "scrm_nps");
	v[3] = pg_scrm_count(r.detractors, "scrm_nps");
	v[4] = Float8GetDatum(r.promoter_share);
	v[5] = Float8GetDatum(r.passive_share);
	v[6] = Float8GetDatum(r.detractor_share);
	v[7] = Float8GetDatum(r.nps);
	v[8] = Float8GetDatum(r.se);
	v[9] = Float8GetDatum(r.ci_low);
	v[10] = Float8GetDatum(r.ci_high);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

/* finalfunc: read-only on the state; no rows (or only NULLs) gives NULL. */
Datum
pg_scrm_nps_final(PG_FUNCTION_ARGS)
{
	pg_scrm_handle *s = NPS_ARG(0);

	if (s == NULL)
		PG_RETURN_NULL();
	return nps_result_datum(fcinfo, (const scrm_nps *) s->h);
}

/* scrm_nps_from_state(bytea): the result of a saved scrm_nps_state() value. */
Datum
pg_scrm_nps_from_state(PG_FUNCTION_ARGS)
{
	pg_scrm_handle *s = nps_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0));

	return nps_result_datum(fcinfo, (const scrm_nps *) s->h);
}

PG_FUNCTION_INFO_V1(pg_scrm_nps_sfunc_state);

/* sfunc(state internal, saved bytea): merges scrm_nps_state() values (rollups). */
Datum
pg_scrm_nps_sfunc_state(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_nps_merge");
	pg_scrm_handle *s = NPS_ARG(0);
	pg_scrm_handle *b;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	b = nps_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(1));
	if (s == NULL)
		s = nps_state_new(aggcxt);
	pg_scrm_check(scrm_nps_merge((scrm_nps *) s->h, (const scrm_nps *) b->h), "scrm_nps_merge");
	PG_RETURN_POINTER(s);
}
