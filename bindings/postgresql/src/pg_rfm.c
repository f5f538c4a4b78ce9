/*
 * scrm_rfm_hist(x, t_x, T [, weight]): the mergeable RFM histogram (weighted
 * distinct (x, t_x, T) rows) as a parallel aggregate returning its serialized
 * bytes, and scrm_clv_fit(kind, hist): a CLV model fitted on those rows.
 */
#include "pg_clv.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_sfunc);
PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_sfunc_state);
PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_combine);
PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_serial);
PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_deserial);
PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_rows);
PG_FUNCTION_INFO_V1(pg_scrm_clv_fit);

#define RFM_FN "scrm_rfm_hist"
#define RFM_BATCH 256

/* The transition state: the histogram plus a batch of rows not yet added. */
typedef struct rfm_state
{
	pg_scrm_handle *slot;
	int			nbuf;
	double		x[RFM_BATCH];
	double		tx[RFM_BATCH];
	double		T[RFM_BATCH];
	double		w[RFM_BATCH];
} rfm_state;

#define HIST(s) ((scrm_rfm_hist *) (s)->slot->h)
#define RFM_ARG(i) (PG_ARGISNULL(i) ? NULL : (rfm_state *) PG_GETARG_POINTER(i))

static void
rfm_release(void *h)
{
	scrm_rfm_hist_free((scrm_rfm_hist *) h);
}

static rfm_state *
rfm_state_alloc(MemoryContext mcxt)
{
	rfm_state  *s = MemoryContextAlloc(mcxt, sizeof(*s));

	s->nbuf = 0;
	s->slot = pg_scrm_handle_new(mcxt, rfm_release);
	return s;
}

static rfm_state *
rfm_state_new(MemoryContext mcxt)
{
	rfm_state  *s = rfm_state_alloc(mcxt);
	scrm_rfm_hist *h = NULL;

	pg_scrm_check(scrm_rfm_hist_new(&h, NULL), RFM_FN);
	s->slot->h = h;
	return s;
}

static rfm_state *
rfm_state_from_bytes(MemoryContext mcxt, bytea *b, const char *func)
{
	rfm_state  *s = rfm_state_alloc(mcxt);
	scrm_rfm_hist *h = NULL;

	pg_scrm_check(scrm_rfm_hist_deserialize(&h, (const uint8_t *) VARDATA_ANY(b),
											VARSIZE_ANY_EXHDR(b)),
				  func);
	s->slot->h = h;
	return s;
}

/* Add the batched rows (validated by the library); the histogram is then complete. */
static scrm_rfm_hist *
rfm_flush(rfm_state *s)
{
	int			n = s->nbuf;

	s->nbuf = 0;				/* on error the batch is dropped with the query */
	if (n > 0)
		pg_scrm_check(scrm_rfm_hist_add(HIST(s), s->x, s->tx, s->T, s->w, (size_t) n), RFM_FN);
	return HIST(s);
}

static int
rfm_ser(const void *h, uint8_t *buf, size_t cap, size_t *out_len)
{
	return scrm_rfm_hist_serialize((const scrm_rfm_hist *) h, buf, cap, out_len);
}

/*
 * sfunc(state, x, t_x, T [, weight]): rows with a NULL x, t_x, T or weight
 * are skipped, as SQL aggregates skip NULL input.
 */
Datum
pg_scrm_rfm_hist_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, RFM_FN);
	rfm_state  *s = RFM_ARG(0);
	bool		weighted = PG_NARGS() >= 5;
	int			i;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || (weighted && PG_ARGISNULL(4)))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = rfm_state_new(aggcxt);
	i = s->nbuf;
	s->x[i] = PG_GETARG_FLOAT8(1);
	s->tx[i] = PG_GETARG_FLOAT8(2);
	s->T[i] = PG_GETARG_FLOAT8(3);
	s->w[i] = weighted ? PG_GETARG_FLOAT8(4) : 1.0;
	if (++s->nbuf == RFM_BATCH)
		rfm_flush(s);
	PG_RETURN_POINTER(s);
}

/* sfunc(state, hist bytea): merges saved histograms. */
Datum
pg_scrm_rfm_hist_sfunc_state(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_rfm_hist_merge");
	rfm_state  *s = RFM_ARG(0);
	rfm_state  *b;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	b = rfm_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(1), "scrm_rfm_hist state");
	if (s == NULL)
		s = rfm_state_new(aggcxt);
	pg_scrm_check(scrm_rfm_hist_merge(rfm_flush(s), HIST(b)), "scrm_rfm_hist_merge");
	PG_RETURN_POINTER(s);
}

/* combinefunc: not strict, so a NULL first state gets a fresh histogram in aggcxt. */
Datum
pg_scrm_rfm_hist_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, RFM_FN " combine");
	rfm_state  *a = RFM_ARG(0);
	rfm_state  *b = RFM_ARG(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = rfm_state_new(aggcxt);
	pg_scrm_check(scrm_rfm_hist_merge(rfm_flush(a), rfm_flush(b)), RFM_FN " combine");
	PG_RETURN_POINTER(a);
}

/* serialfunc and finalfunc: the histogram's bytes (rows sorted: equal histograms, equal bytes). */
Datum
pg_scrm_rfm_hist_serial(PG_FUNCTION_ARGS)
{
	rfm_state  *s = (rfm_state *) PG_GETARG_POINTER(0);

	PG_RETURN_BYTEA_P(pg_scrm_bytes(rfm_ser, rfm_flush(s), RFM_FN " serialize"));
}

Datum
pg_scrm_rfm_hist_deserial(PG_FUNCTION_ARGS)
{
	(void) pg_scrm_aggcontext(fcinfo, RFM_FN " deserialize");
	PG_RETURN_POINTER(rfm_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0),
										   "scrm_rfm_hist state"));
}

/* scrm_rfm_hist_rows(hist bytea) -> SETOF (x, t_x, T, weight), sorted by x, t_x, T. */
Datum
pg_scrm_rfm_hist_rows(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_rfm_hist_rows";
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	rfm_state  *s;
	size_t		n = 0;
	int			rc;
	double	   *col[4];

	InitMaterializedSRF(fcinfo, 0);
	s = rfm_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0), fn);
	rc = scrm_rfm_hist_rows(HIST(s), NULL, NULL, NULL, NULL, 0, &n);
	if (rc != SCRM_EBUFS && rc != SCRM_OK)
		pg_scrm_check(rc, fn);
	if (n == 0)
		return (Datum) 0;
	if (n > MaxAllocSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: %zu rows are too many to list", fn, n)));
	for (int k = 0; k < 4; k++)
		col[k] = palloc(n * sizeof(double));
	pg_scrm_check(scrm_rfm_hist_rows(HIST(s), col[0], col[1], col[2], col[3], n, &n), fn);
	for (size_t i = 0; i < n; i++)
	{
		Datum		v[4];
		bool		nulls[4] = {0};

		for (int k = 0; k < 4; k++)
			v[k] = Float8GetDatum(col[k][i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

static void
model_release(void *h)
{
	scrm_clv_model_free((scrm_clv_model *) h);
}

/*
 * Progress callback: stop the optimizer when a cancel or termination is
 * pending (the fit then returns and the interrupt is serviced outside the
 * library, so no library memory is skipped by a longjmp).
 */
static int
fit_progress(void *user, uint32_t iteration, double ll, double gnorm, const double *params,
			 size_t n_params)
{
	(void) user;
	(void) iteration;
	(void) ll;
	(void) gnorm;
	(void) params;
	(void) n_params;
	return InterruptPending ? 1 : 0;
}

/*
 * scrm_clv_fit(kind text, hist bytea) -> bytea: maximum-likelihood fit on the
 * histogram's rows (scrm_rfm_hist_fit()); the model's bytes, to store and
 * score with. A fit that does not converge raises the library's ERROR.
 */
Datum
pg_scrm_clv_fit(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_clv_fit";
	int32_t		kind = pg_scrm_clv_kind(PG_GETARG_TEXT_PP(0), fn);
	rfm_state  *s = rfm_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(1),
										 "scrm_clv_fit histogram");
	pg_scrm_handle *slot = pg_scrm_handle_new(CurrentMemoryContext, model_release);
	scrm_clv_fit_options opts = SCRM_CLV_FIT_OPTIONS_INIT;
	scrm_clv_model *m = NULL;
	int			rc;

	opts.progress = fit_progress;
	rc = scrm_rfm_hist_fit(&m, kind, HIST(s), &opts, NULL);
	slot->h = m;
	CHECK_FOR_INTERRUPTS();
	pg_scrm_check(rc, fn);
	PG_RETURN_BYTEA_P(pg_scrm_clv_model_bytes(m, fn));
}
