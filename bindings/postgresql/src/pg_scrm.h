/*
 * Shared helpers of the libscrm PostgreSQL extension: library status ->
 * ereport, accumulator handles whose lifetime follows a memory context, and
 * the aggregate glue every calculator uses (one descriptor per calculator).
 */
#ifndef PG_SCRM_H
#define PG_SCRM_H

#include "postgres.h"
#include "fmgr.h"
#include "datatype/timestamp.h"
#include "access/tupdesc.h"
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

/* A float8 result field; SQL NULL when !valid or x is NaN (no such data). */
extern void pg_scrm_put_float8(Datum *v, bool *nulls, int i, double x, bool valid);

/*
 * The blessed descriptor of the function's composite result type, checked to
 * have natts fields (type_name is the SQL type, for the message).
 */
extern TupleDesc pg_scrm_result_desc(FunctionCallInfo fcinfo, const char *func,
									 const char *type_name, int natts);

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

/* ------------------------------------------------------------------------
 * Aggregates over a library accumulator.
 *
 * Each calculator describes its accumulator once (pg_scrm_agg_desc); the
 * transition state of every aggregate is a pg_scrm_agg: the accumulator in a
 * pg_scrm_handle of the aggregate's memory context, plus the calculator's
 * `data` area (a batch of rows not yet added, and any per-state extras). The
 * calculator's transition function fills one batch row and calls
 * pg_scrm_agg_push(); the library validates and adds a whole batch in one
 * call. Combine, serialize, deserialize, finalize, merging saved states and
 * the typed state SQL types (in/out/send/recv, cast from bytea) are written
 * once in pg_scrm.c.
 *
 * A saved state is a varlena holding the library's serialized bytes (the same
 * layout as bytea), of a SQL type per calculator (scrm_nps_state, ...): its
 * input, receive and cast functions deserialize the bytes with the
 * calculator's library function, so a state of another kind, corrupted or
 * truncated bytes are refused where they enter SQL.
 * ------------------------------------------------------------------------ */
typedef struct pg_scrm_agg_desc
{
	const char *agg;			/* the row aggregate, for messages: "scrm_nps" */
	const char *calc;			/* the calculator, for messages: "scrm_nps" ->
								 * "scrm_nps_merge", "scrm_nps state" */
	Size		data_size;		/* bytes of the data area (batch and extras) */
	int			batch_rows;		/* rows in a full batch */
	/* new accumulator; opts: the library's options (NULL: defaults) */
	int			(*create) (void **out, const void *opts);
	/* add the first n rows of the data area's batch */
	int			(*add) (void *h, const void *data, int n);
	int			(*merge) (void *h, const void *other);
	int			(*serialize) (const void *h, uint8_t *buf, size_t cap, size_t *out_len);
	int			(*deserialize) (void **out, const uint8_t *buf, size_t len);
	void		(*release) (void *h);
	/* the composite result of a complete accumulator, or *isnull (no data) */
	Datum		(*result) (FunctionCallInfo fcinfo, const void *h, bool *isnull);
} pg_scrm_agg_desc;

typedef struct pg_scrm_agg
{
	const pg_scrm_agg_desc *desc;
	pg_scrm_handle *slot;		/* slot->h: the library accumulator */
	int			nbuf;			/* batched rows not yet added */
	void	   *data;			/* desc->data_size bytes, MAXALIGNed */
} pg_scrm_agg;

/* Transition state argument i (NULL for SQL NULL); ERROR outside an aggregate. */
#define PG_SCRM_AGG_ARG(i) (PG_ARGISNULL(i) ? NULL : (pg_scrm_agg *) PG_GETARG_POINTER(i))
#define PG_SCRM_RETURN_AGG(a) \
	do { if ((a) == NULL) PG_RETURN_NULL(); PG_RETURN_POINTER(a); } while (0)

/* A new state with a fresh accumulator (desc->create(opts)) in the aggregate's context. */
extern pg_scrm_agg *pg_scrm_agg_new(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d,
									const void *opts);

/* Add the batched rows; returns the complete accumulator. */
extern void *pg_scrm_agg_flush(pg_scrm_agg *a);

/* One more batched row (its values already in the data area at index a->nbuf). */
static inline void
pg_scrm_agg_push(pg_scrm_agg *a)
{
	if (++a->nbuf == a->desc->batch_rows)
		pg_scrm_agg_flush(a);
}

/*
 * The accumulator of saved state bytes (a typed state or bytea argument),
 * living in CurrentMemoryContext; ERROR naming func for bytes the calculator
 * refuses.
 */
extern void *pg_scrm_state_open(const pg_scrm_agg_desc *d, bytea *b, const char *func);

/* Calculator-specific SQL entry points, each a call into pg_scrm.c with the descriptor. */
extern Datum pg_scrm_agg_deserial(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d);
extern Datum pg_scrm_agg_merge(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d);
extern Datum pg_scrm_state_result(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d);
extern Datum pg_scrm_state_in(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d);
extern Datum pg_scrm_state_recv(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d);
extern Datum pg_scrm_state_from_bytea(FunctionCallInfo fcinfo, const pg_scrm_agg_desc *d);

/*
 * The SQL entry points of calculator `calc` described by `desc`:
 * pg_scrm_<calc>_deserial (deserialfunc), _merge (transition function of the
 * scrm_<calc>_merge aggregate over saved states), _state_in, _state_recv,
 * _state_from_bytea (the state type's input, receive and cast functions).
 * Calculators with a result add PG_SCRM_ENTRY(calc, result,
 * pg_scrm_state_result, desc) (saved state -> result). Combine, serialize, finalize, output and send
 * need no descriptor (the state carries it, or the bytes are the bytes):
 * pg_scrm_agg_combine, pg_scrm_agg_serial, pg_scrm_agg_final,
 * pg_scrm_state_out, pg_scrm_state_send.
 */
#define PG_SCRM_ENTRY(calc, fn, impl, desc) \
	PG_FUNCTION_INFO_V1(pg_scrm_##calc##_##fn); \
	Datum pg_scrm_##calc##_##fn(PG_FUNCTION_ARGS); \
	Datum pg_scrm_##calc##_##fn(PG_FUNCTION_ARGS) { return impl(fcinfo, &(desc)); }
#define PG_SCRM_STATE_FUNCTIONS(calc, desc) \
	PG_SCRM_ENTRY(calc, deserial, pg_scrm_agg_deserial, desc) \
	PG_SCRM_ENTRY(calc, merge, pg_scrm_agg_merge, desc) \
	PG_SCRM_ENTRY(calc, state_in, pg_scrm_state_in, desc) \
	PG_SCRM_ENTRY(calc, state_recv, pg_scrm_state_recv, desc) \
	PG_SCRM_ENTRY(calc, state_from_bytea, pg_scrm_state_from_bytea, desc)

/*
 * Typed wrappers of accumulator type T's new (with a T_options pointer),
 * merge, serialize, deserialize and free functions (T_new, T_merge, ...),
 * named T_pg_new, ..., with the descriptor's void-pointer signatures (calling
 * a function through a pointer of another type is undefined behaviour in C);
 * PG_SCRM_ACC_DESC(T) names them in a descriptor initializer.
 */
#define PG_SCRM_ACC_OPS(T) \
	static int T##_pg_new(void **out, const void *opts) \
	{ T *x = NULL; int rc = T##_new(&x, (const T##_options *) opts); *out = x; return rc; } \
	static int T##_pg_merge(void *h, const void *o) \
	{ return T##_merge((T *) h, (const T *) o); } \
	static int T##_pg_serialize(const void *h, uint8_t *b, size_t cap, size_t *len) \
	{ return T##_serialize((const T *) h, b, cap, len); } \
	static int T##_pg_deserialize(void **out, const uint8_t *b, size_t len) \
	{ T *x = NULL; int rc = T##_deserialize(&x, b, len); *out = x; return rc; } \
	static void T##_pg_free(void *h) \
	{ T##_free((T *) h); }
#define PG_SCRM_ACC_DESC(T) \
	.create = T##_pg_new, .merge = T##_pg_merge, .serialize = T##_pg_serialize, \
	.deserialize = T##_pg_deserialize, .release = T##_pg_free

#endif
