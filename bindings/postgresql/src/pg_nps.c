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
#define NPS_BATCH 512

/*
 * The transition state: the accumulator plus a batch of scores not yet added,
 * so the library's per-call cost is paid once per NPS_BATCH rows. The batch is
 * flushed (and validated by the library) before the state is read or merged.
 */
typedef struct nps_state
{
	pg_scrm_handle *slot;
	int			nbuf;
	double		buf[NPS_BATCH];
} nps_state;

static void
nps_release(void *h)
{
	scrm_nps_free((scrm_nps *) h);
}

static nps_state *
nps_state_alloc(MemoryContext mcxt)
{
	nps_state  *s = MemoryContextAlloc(mcxt, sizeof(*s));

	s->nbuf = 0;
	s->slot = pg_scrm_handle_new(mcxt, nps_release);
	return s;
}

static nps_state *
nps_state_new(MemoryContext mcxt)
{
	nps_state  *s = nps_state_alloc(mcxt);
	scrm_nps   *nps = NULL;

	pg_scrm_check(scrm_nps_new(&nps, NULL), "scrm_nps");
	s->slot->h = nps;
	return s;
}

static nps_state *
nps_state_from_bytes(MemoryContext mcxt, bytea *b)
{
	nps_state  *s = nps_state_alloc(mcxt);
	scrm_nps   *nps = NULL;

	pg_scrm_check(scrm_nps_deserialize(&nps, (const uint8_t *) VARDATA_ANY(b),
									   VARSIZE_ANY_EXHDR(b)),
				  "scrm_nps state");
	s->slot->h = nps;
	return s;
}

/* Add the batched scores; the accumulator is then complete. */
static scrm_nps *
nps_flush(nps_state *s)
{
	int			n = s->nbuf;

	s->nbuf = 0;				/* on error the batch is dropped with the query */
	if (n > 0)
		pg_scrm_check(scrm_nps_add_scores((scrm_nps *) s->slot->h, s->buf, (size_t) n),
					  "scrm_nps");
	return (scrm_nps *) s->slot->h;
}

#define NPS_ARG(i) (PG_ARGISNULL(i) ? NULL : (nps_state *) PG_GETARG_POINTER(i))

/* sfunc(state internal, score float8): NULL scores are skipped. */
Datum
pg_scrm_nps_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_nps");
	nps_state  *s = NPS_ARG(0);

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = nps_state_new(aggcxt);
	s->buf[s->nbuf++] = PG_GETARG_FLOAT8(1);
	if (s->nbuf == NPS_BATCH)
		nps_flush(s);
	PG_RETURN_POINTER(s);
}

/* combinefunc: not strict, so a NULL first state gets a fresh accumulator in aggcxt. */
Datum
pg_scrm_nps_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_nps combine");
	nps_state  *a = NPS_ARG(0);
	nps_state  *b = NPS_ARG(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = nps_state_new(aggcxt);
	pg_scrm_check(scrm_nps_merge(nps_flush(a), nps_flush(b)), "scrm_nps combine");
	PG_RETURN_POINTER(a);
}

Datum
pg_scrm_nps_serial(PG_FUNCTION_ARGS)
{
	const scrm_nps *nps = nps_flush((nps_state *) PG_GETARG_POINTER(0));
	size_t		len = 0;
	int			rc;
	bytea	   *out;

	rc = scrm_nps_serialize(nps, NULL, 0, &len);
	if (rc != SCRM_EBUFS)
		pg_scrm_check(rc, "scrm_nps serialize");
	out = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	pg_scrm_check(scrm_nps_serialize(nps, (uint8_t *) VARDATA(out),
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

/*
 * finalfunc: no rows (or only NULLs) gives NULL. Flushing the batch changes
 * the state's representation, not its value, so the state stays reusable.
 */
Datum
pg_scrm_nps_final(PG_FUNCTION_ARGS)
{
	nps_state  *s = NPS_ARG(0);

	if (s == NULL)
		PG_RETURN_NULL();
	return nps_result_datum(fcinfo, nps_flush(s));
}

/* scrm_nps_from_state(bytea): the result of a saved scrm_nps_state() value. */
Datum
pg_scrm_nps_from_state(PG_FUNCTION_ARGS)
{
	nps_state  *s = nps_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0));

	return nps_result_datum(fcinfo, nps_flush(s));
}

PG_FUNCTION_INFO_V1(pg_scrm_nps_sfunc_state);

/* sfunc(state internal, saved bytea): merges scrm_nps_state() values (rollups). */
Datum
pg_scrm_nps_sfunc_state(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_nps_merge");
	nps_state  *s = NPS_ARG(0);
	nps_state  *b;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	b = nps_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(1));
	if (s == NULL)
		s = nps_state_new(aggcxt);
	pg_scrm_check(scrm_nps_merge(nps_flush(s), nps_flush(b)), "scrm_nps_merge");
	PG_RETURN_POINTER(s);
}
