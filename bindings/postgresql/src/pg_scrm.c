/* Shared helpers and the aggregate glue of the libscrm PostgreSQL extension (see pg_scrm.h). */
#include "pg_scrm.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

static void
pg_scrm_handle_release(void *arg)
{
	pg_scrm_handle *slot = (pg_scrm_handle *) arg;

	if (slot->h != NULL)
		slot->release(slot->h);
	slot->h = NULL;
}

pg_scrm_handle *
pg_scrm_handle_new(MemoryContext mcxt, void (*release) (void *h))
{
	pg_scrm_handle *slot = MemoryContextAllocZero(mcxt, sizeof(*slot));

	slot->release = release;
	slot->cb.func = pg_scrm_handle_release;
	slot->cb.arg = slot;
	MemoryContextRegisterResetCallback(mcxt, &slot->cb);
	return slot;
}

static int
pg_scrm_sqlstate(int rc)
{
	switch (rc)
	{
		case SCRM_EINVAL:
		case SCRM_EDOM:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case SCRM_ERANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case SCRM_ENOMEM:
			return ERRCODE_OUT_OF_MEMORY;
		case SCRM_ECORRUPT:
			return ERRCODE_DATA_CORRUPTED;
		case SCRM_EVERSION:
			return ERRCODE_FEATURE_NOT_SUPPORTED;
		case SCRM_ENODATA:
			return ERRCODE_NO_DATA;
		case SCRM_ELIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		default:
			return ERRCODE_EXTERNAL_ROUTINE_EXCEPTION;
	}
}

void
pg_scrm_check(int rc, const char *func)
{
	const char *msg;

	if (rc == SCRM_OK)
		return;
	/* Read the thread-local detail before anything else can call the library. */
	msg = scrm_last_error_message();
	ereport(ERROR,
			(errcode(pg_scrm_sqlstate(rc)),
			 errmsg("%s: %s", func, (msg && msg[0]) ? msg : scrm_strerror(rc)),
			 errdetail("libscrm status %d (%s)", rc, scrm_strerror(rc))));
}

MemoryContext
pg_scrm_aggcontext(FunctionCallInfo fcinfo, const char *func)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", func)));
	return aggcxt;
}

void
pg_scrm_put_float8(Datum *v, bool *nulls, int i, double x, bool valid)
{
	nulls[i] = !valid || isnan(x);
	v[i] = Float8GetDatum(nulls[i] ? 0.0 : x);
}

TupleDesc
pg_scrm_result_desc(FunctionCallInfo fcinfo, const char *func, const char *type_name, int natts)
{
	TupleDesc	td;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: result type is not the composite %s", func, type_name)));
	if (td->natts != natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: %s has %d fields, expected %d (reinstall the extension)",
						func, type_name, td->natts, natts)));
	return BlessTupleDesc(td);
}

Datum
pg_scrm_count(uint64_t v, const char *func)
{
	if (v > (uint64_t) PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: count %llu does not fit in bigint", func,
						(unsigned long long) v)));
	return Int64GetDatum((int64) v);
}

int64_t
pg_scrm_unix_seconds(TimestampTz t, const char *func, const char *column)
{
	int64		s;

	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s is infinite", func, column)));
	s = t / USECS_PER_SEC;
	if (t % USECS_PER_SEC < 0)
		s -= 1;
	return (int64_t) s + (int64_t) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

TimestampTz
pg_scrm_timestamptz(int64_t s)
{
	return (TimestampTz) ((s - (int64_t) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)
						  * USECS_PER_SEC);
}

bytea *
pg_scrm_bytes(pg_scrm_serialize_fn fn, const void *h, const char *func)
{
	size_t		len = 0;
	int			rc = fn(h, NULL, 0, &len);
	bytea	   *out;

	if (rc != SCRM_EBUFS && rc != SCRM_OK)
		pg_scrm_check(rc, func);
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: state of %zu bytes is too large for a bytea", func, len)));
	out = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	pg_scrm_check(fn(h, (uint8_t *) VARDATA(out), len, &len), func);
	return out;
}

/* ------------------------------------------------------------------------
 * Aggregates over a library accumulator (see pg_scrm.h)
 * ------------------------------------------------------------------------ */

/* rc checked with the message prefix "<name><suffix>" (built only on error). */
static void
agg_check(int rc, const char *name, const char *suffix)
{
	if (rc != SCRM_OK)
		pg_scrm_check(rc, psprintf("%s%s", name, suffix));
}

/* A state without accumulator yet (slot->h NULL), its data area zeroed, in mcxt. */
static pg_scrm_agg *
agg_alloc(MemoryContext mcxt, const pg_scrm_agg_desc *d)
{
	pg_scrm_agg *a = MemoryContextAllocZero(mcxt, MAXALIGN(sizeof(*a)) + d->data_size);

	a->desc = d;
	a->data = (char *) a + MAXALIGN(sizeof(*a));
	a->slot = pg_scrm_handle_new(mcxt, d->release);
	return a;
}

pg_scrm_agg *
pg_scrm_agg_new(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d, const void *opts)
{
	pg_scrm_agg *a = agg_alloc(pg_scrm_aggcontext(fcinfo, d->agg), d);

	pg_scrm_check(d->create(&a->slot->h, opts), d->agg);
	return a;
}

void *
pg_scrm_agg_flush(pg_scrm_agg *a)
{
	int			n = a->nbuf;

	a->nbuf = 0;				/* on error the batch is dropped with the query */
	if (n > 0)
		pg_scrm_check(a->desc->add(a->slot->h, a->data, n), a->desc->agg);
	return a->slot->h;
}

/* A state holding the accumulator of bytes buf[0..len) in mcxt; ERROR naming func. */
static pg_scrm_agg *
agg_from_bytes(MemoryContext mcxt, const pg_scrm_agg_desc *d, const char *buf, Size len,
			   const char *func)
{
	pg_scrm_agg *a = agg_alloc(mcxt, d);

	pg_scrm_check(d->deserialize(&a->slot->h, (const uint8_t *) buf, len), func);
	return a;
}

static pg_scrm_agg *
agg_from_bytea(MemoryContext mcxt, const pg_scrm_agg_desc *d, bytea *b, const char *func)
{
	return agg_from_bytes(mcxt, d, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), func);
}

void *
pg_scrm_state_open(const pg_scrm_agg_desc *d, bytea *b, const char *func)
{
	return agg_from_bytea(CurrentMemoryContext, d, b, func)->slot->h;
}

/* The complete accumulator's bytes (ERROR naming "<agg><suffix>" on failure). */
static bytea *
agg_bytes(pg_scrm_agg *a, const char *suffix)
{
	const void *h = pg_scrm_agg_flush(a);

	return pg_scrm_bytes(a->desc->serialize, h, psprintf("%s%s", a->desc->agg, suffix));
}

/* A copy of state b (accumulator and data area) in mcxt. */
static pg_scrm_agg *
agg_copy(MemoryContext mcxt, pg_scrm_agg *b)
{
	bytea	   *bytes = agg_bytes(b, " combine");
	pg_scrm_agg *a = agg_from_bytea(mcxt, b->desc, bytes, b->desc->agg);

	memcpy(a->data, b->data, b->desc->data_size);
	pfree(bytes);
	return a;
}

PG_FUNCTION_INFO_V1(pg_scrm_agg_combine);
PG_FUNCTION_INFO_V1(pg_scrm_agg_serial);
PG_FUNCTION_INFO_V1(pg_scrm_agg_final);
PG_FUNCTION_INFO_V1(pg_scrm_state_out);
PG_FUNCTION_INFO_V1(pg_scrm_state_send);

/*
 * combinefunc(internal, internal): not strict, so a NULL first state becomes
 * a copy of the second in the aggregate's context (same options).
 */
Datum
pg_scrm_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm combine");
	pg_scrm_agg *a = PG_SCRM_AGG_ARG(0);
	pg_scrm_agg *b = PG_SCRM_AGG_ARG(1);

	if (b == NULL)
		PG_SCRM_RETURN_AGG(a);
	if (a == NULL)
		PG_RETURN_POINTER(agg_copy(aggcxt, b));
	pg_scrm_agg_flush(b);
	agg_check(a->desc->merge(pg_scrm_agg_flush(a), b->slot->h), a->desc->agg, " combine");
	PG_RETURN_POINTER(a);
}

/*
 * serialfunc(internal) -> bytea, and the finalfunc of the aggregates that
 * return a saved state (the same bytes). Flushing the batch changes the
 * state's representation, not its value, so the state stays reusable.
 */
Datum
pg_scrm_agg_serial(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(agg_bytes((pg_scrm_agg *) PG_GETARG_POINTER(0), " serialize"));
}

/* finalfunc(internal) -> the calculator's result; NULL without rows. */
Datum
pg_scrm_agg_final(PG_FUNCTION_ARGS)
{
	pg_scrm_agg *a = PG_SCRM_AGG_ARG(0);
	bool		isnull = false;
	Datum		r;

	if (a == NULL)
		PG_RETURN_NULL();
	r = a->desc->result(fcinfo, pg_scrm_agg_flush(a), &isnull);
	if (isnull)
		PG_RETURN_NULL();
	return r;
}

/* deserialfunc(bytea, internal): the state lives in the calling context. */
Datum
pg_scrm_agg_deserial(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d)
{
	(void) pg_scrm_aggcontext(fcinfo, d->agg);
	PG_RETURN_POINTER(agg_from_bytea(CurrentMemoryContext, d, PG_GETARG_BYTEA_PP(0),
									 psprintf("%s state", d->calc)));
}

/*
 * sfunc(internal, saved state) of scrm_<calc>_merge: NULL states are skipped;
 * the first state becomes the accumulator (whatever its options), the others
 * are merged into it.
 */
Datum
pg_scrm_agg_merge(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, d->calc);
	pg_scrm_agg *a = PG_SCRM_AGG_ARG(0);
	const char *state = psprintf("%s state", d->calc);
	void	   *other;

	if (PG_ARGISNULL(1))
		PG_SCRM_RETURN_AGG(a);
	if (a == NULL)
		PG_RETURN_POINTER(agg_from_bytea(aggcxt, d, PG_GETARG_BYTEA_PP(1), state));
	other = pg_scrm_state_open(d, PG_GETARG_BYTEA_PP(1), state);
	agg_check(d->merge(pg_scrm_agg_flush(a), other), d->calc, "_merge");
	PG_RETURN_POINTER(a);
}

/* scrm_<calc>_result(state): the result of a saved state; NULL without rows. */
Datum
pg_scrm_state_result(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d)
{
	void	   *h = pg_scrm_state_open(d, PG_GETARG_BYTEA_PP(0), psprintf("%s state", d->calc));
	bool		isnull = false;
	Datum		r = d->result(fcinfo, h, &isnull);

	if (isnull)
		PG_RETURN_NULL();
	return r;
}

/* ERROR unless buf[0..len) are bytes of d's accumulator (deserialized, then freed). */
static void
state_validate(const pg_scrm_agg_desc *d, const char *buf, Size len)
{
	void	   *h = NULL;
	int			rc = d->deserialize(&h, (const uint8_t *) buf, len);

	if (h != NULL)
		d->release(h);
	agg_check(rc, d->calc, " state");
}

/*
 * Text form of a state: "\x" and the library bytes in hexadecimal (as
 * bytea's hex output), e.g. for pg_dump and COPY.
 */
Datum
pg_scrm_state_in(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d)
{
	const char *s = PG_GETARG_CSTRING(0);
	size_t		n = strlen(s);
	bytea	   *b;

	if (n < 2 || s[0] != '\\' || s[1] != 'x')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s_state: \"%.40s\"", d->calc, s),
				 errdetail("A state is written \\x followed by the library bytes in hexadecimal.")));
	b = (bytea *) palloc(VARHDRSZ + (n - 2) / 2 + 1);
	SET_VARSIZE(b, VARHDRSZ + hex_decode(s + 2, n - 2, VARDATA(b)));
	state_validate(d, VARDATA(b), VARSIZE(b) - VARHDRSZ);
	PG_RETURN_BYTEA_P(b);
}

Datum
pg_scrm_state_out(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	Size		len = VARSIZE_ANY_EXHDR(b);
	char	   *s = palloc(2 * len + 3);

	s[0] = '\\';
	s[1] = 'x';
	s[2 + hex_encode(VARDATA_ANY(b), len, s + 2)] = '\0';
	PG_RETURN_CSTRING(s);
}

/* Binary form of a state: the library bytes. */
Datum
pg_scrm_state_recv(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	bytea	   *b = (bytea *) palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	pq_copymsgbytes(buf, VARDATA(b), len);
	state_validate(d, VARDATA(b), len);
	PG_RETURN_BYTEA_P(b);
}

Datum
pg_scrm_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(PG_GETARG_BYTEA_P_COPY(0));
}

/* Cast bytea -> state: the same bytes, once the calculator has accepted them. */
Datum
pg_scrm_state_from_bytea(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d)
{
	bytea	   *b = PG_GETARG_BYTEA_P(0);

	state_validate(d, VARDATA(b), VARSIZE(b) - VARHDRSZ);
	PG_RETURN_BYTEA_P(b);
}
