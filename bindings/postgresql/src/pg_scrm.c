/* Shared helpers of the libscrm PostgreSQL extension (see pg_scrm.h). */
#include "pg_scrm.h"

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
