/*
 * scrm_rfm_hist(x, t_x, T [, weight]): the mergeable RFM histogram (weighted
 * distinct (x, t_x, T) rows) as a parallel aggregate returning its saved state
 * (scrm_rfm_hist_state; pg_scrm.h has the aggregate glue), and
 * scrm_clv_fit(kind, hist): a CLV model fitted on those rows.
 */
#include "pg_clv.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_sfunc);
PG_FUNCTION_INFO_V1(pg_scrm_rfm_hist_rows);
PG_FUNCTION_INFO_V1(pg_scrm_clv_fit);

#define RFM_FN "scrm_rfm_hist"
#define RFM_BATCH 256

/* The data area: a batch of rows not yet added. */
typedef struct rfm_data
{
	double		x[RFM_BATCH];
	double		tx[RFM_BATCH];
	double		T[RFM_BATCH];
	double		w[RFM_BATCH];
} rfm_data;

PG_SCRM_ACC_OPS(scrm_rfm_hist)

static int
rfm_add(void *h, const void *data, int n)
{
	const rfm_data *d = (const rfm_data *) data;

	return scrm_rfm_hist_add((scrm_rfm_hist *) h, d->x, d->tx, d->T, d->w, (size_t) n);
}

/* No result function: the aggregate's value is the histogram (its saved state). */
static const pg_scrm_agg_desc rfm_desc = {
	.agg = RFM_FN,
	.calc = "scrm_rfm_hist",
	.data_size = sizeof(rfm_data),
	.batch_rows = RFM_BATCH,
	.add = rfm_add,
	PG_SCRM_ACC_DESC(scrm_rfm_hist),
	.result = NULL,
};

PG_SCRM_STATE_FUNCTIONS(rfm_hist, rfm_desc)

/*
 * sfunc(state, x, t_x, T [, weight]): rows with a NULL x, t_x, T or weight
 * are skipped, as SQL aggregates skip NULL input.
 */
Datum
pg_scrm_rfm_hist_sfunc(PG_FUNCTION_ARGS)
{
	pg_scrm_agg *a = PG_SCRM_AGG_ARG(0);
	bool		weighted = PG_NARGS() >= 5;
	rfm_data   *d;
	int			i;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || (weighted && PG_ARGISNULL(4)))
		PG_SCRM_RETURN_AGG(a);
	if (a == NULL)
		a = pg_scrm_agg_new(fcinfo, &rfm_desc, NULL);
	d = (rfm_data *) a->data;
	i = a->nbuf;
	d->x[i] = PG_GETARG_FLOAT8(1);
	d->tx[i] = PG_GETARG_FLOAT8(2);
	d->T[i] = PG_GETARG_FLOAT8(3);
	d->w[i] = weighted ? PG_GETARG_FLOAT8(4) : 1.0;
	pg_scrm_agg_push(a);
	PG_RETURN_POINTER(a);
}

/* scrm_rfm_hist_rows(hist scrm_rfm_hist_state) -> SETOF (x, t_x, T, weight), sorted by x, t_x, T. */
Datum
pg_scrm_rfm_hist_rows(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_rfm_hist_rows";
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const scrm_rfm_hist *h;
	size_t		n = 0;
	int			rc;
	double	   *col[4];

	InitMaterializedSRF(fcinfo, 0);
	h = pg_scrm_state_open(&rfm_desc, PG_GETARG_BYTEA_PP(0), fn);
	rc = scrm_rfm_hist_rows(h, NULL, NULL, NULL, NULL, 0, &n);
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
	pg_scrm_check(scrm_rfm_hist_rows(h, col[0], col[1], col[2], col[3], n, &n), fn);
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
 * scrm_clv_fit(kind text, hist scrm_rfm_hist_state) -> bytea: maximum-likelihood fit on the
 * histogram's rows (scrm_rfm_hist_fit()); the model's bytes, to store and
 * score with. A fit that does not converge raises the library's ERROR.
 */
Datum
pg_scrm_clv_fit(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_clv_fit";
	int32_t		kind = pg_scrm_clv_kind(PG_GETARG_TEXT_PP(0), fn);
	const scrm_rfm_hist *h = pg_scrm_state_open(&rfm_desc, PG_GETARG_BYTEA_PP(1),
												"scrm_clv_fit histogram");
	pg_scrm_handle *slot = pg_scrm_handle_new(CurrentMemoryContext, pg_scrm_clv_model_release);
	scrm_clv_fit_options opts = SCRM_CLV_FIT_OPTIONS_INIT;
	scrm_clv_model *m = NULL;
	int			rc;

	opts.progress = fit_progress;
	rc = scrm_rfm_hist_fit(&m, kind, h, &opts, NULL);
	slot->h = m;
	CHECK_FOR_INTERRUPTS();
	pg_scrm_check(rc, fn);
	PG_RETURN_BYTEA_P(pg_scrm_clv_model_bytes(m, fn));
}
