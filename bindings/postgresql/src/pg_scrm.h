/*
 * Shared helpers of the libscrm PostgreSQL extension: library status ->
 * ereport, and accumulator handles whose lifetime follows a memory context.
 */
#ifndef PG_SCRM_H
#define PG_SCRM_H

#include "postgres.h"
#include "fmgr.h"
#include "datatype/timestamp.h"
#include "utils/memutils.h"

#include "scrm.h"

/*
 * A libscrm handle owned by a memory context: the reset callback frees it
 * when the context is reset or deleted, so an ERROR (which unwinds without
 * running our code) can never leak the library's malloc'd memory.
 */
typedef struct pg_scrm_handle
{
	void	   *h;					/* the library handle; NULL until created */
	void		(*release) (void *h);	/* its scrm_X_free() */
	MemoryContextCallback cb;
} pg_scrm_handle;

/* Allocate a handle slot in mcxt (h = NULL) with its release callback registered. */
extern pg_scrm_handle *pg_scrm_handle_new(MemoryContext mcxt, void (*release) (void *h));

/* ereport(ERROR) with the library's message unless rc == SCRM_OK. */
extern void pg_scrm_check(int rc, const char *func);

/* The aggregate's memory context, or an ERROR naming func outside an aggregate. */
extern MemoryContext pg_scrm_aggcontext(FunctionCallInfo fcinfo, const char *func);

/* uint64 count -> bigint Datum, with an ERROR above INT64_MAX. */
extern Datum pg_scrm_count(uint64_t v, const char *func);

/* timestamptz -> seconds since the Unix epoch (floor); ERROR naming func and column for infinities. */
extern int64_t pg_scrm_unix_seconds(TimestampTz t, const char *func, const char *column);

/* seconds since the Unix epoch -> timestamptz. */
extern TimestampTz pg_scrm_timestamptz(int64_t s);

/*
 * A library serializer, (handle, buf, cap, out_len) -> status, called through
 * a small typed wrapper, so one function can turn any state into a bytea.
 */
typedef int (*pg_scrm_serialize_fn) (const void *h, uint8_t *buf, size_t cap, size_t *out_len);

/* The handle's serialized bytes as a palloc'd bytea (ERROR with func on failure). */
extern bytea *pg_scrm_bytes(pg_scrm_serialize_fn fn, const void *h, const char *func);

#endif
