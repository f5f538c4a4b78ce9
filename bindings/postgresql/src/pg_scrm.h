/*
 * Shared helpers of the libscrm PostgreSQL extension: library status ->
 * ereport, and accumulator handles whose lifetime follows a memory context.
 */
#ifndef PG_SCRM_H
#define PG_SCRM_H

#include "postgres.h"
#include "fmgr.h"
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

#endif
