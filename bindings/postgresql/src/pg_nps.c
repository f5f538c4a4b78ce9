/*
 * scrm_nps(score float8): NPS as a parallel aggregate over the scrm_nps
 * accumulator, and its saved state type scrm_nps_state (pg_scrm.h has the
 * aggregate glue; this file describes the calculator).
 */
#include "pg_scrm.h"

#include "access/htup_details.h"
#include "funcapi.h"

#define NPS_FN "scrm_nps"
#define NPS_RESULT_FIELDS 11
#define NPS_BATCH 512

/* The data area: scores not yet added (the library's per-call cost is paid once per batch). */
typedef struct nps_data
{
	double		scores[NPS_BATCH];
} nps_data;

PG_SCRM_ACC_OPS(scrm_nps)

static int
nps_add(void *h, const void *data, int n)
{
	return scrm_nps_add_scores((scrm_nps *) h, ((const nps_data *) data)->scores, (size_t) n);
}

static Datum
nps_result(FunctionCallInfo fcinfo, const void *h, bool *isnull)
{
	scrm_nps_result r;
	TupleDesc	td;
	Datum		v[NPS_RESULT_FIELDS];
	bool		nulls[NPS_RESULT_FIELDS] = {0};
	int			rc = scrm_nps_finalize((const scrm_nps *) h, &r);

	*isnull = rc == SCRM_ENODATA;
	if (*isnull)
		return (Datum) 0;
	pg_scrm_check(rc, NPS_FN);
	td = pg_scrm_result_desc(fcinfo, NPS_FN, "scrm_nps_result", NPS_RESULT_FIELDS);
	v[0] = pg_scrm_count(r.n, NPS_FN);
	v[1] = pg_scrm_count(r.promoters, NPS_FN);
	v[2] = pg_scrm_count(r.passives, NPS_FN);
	v[3] = pg_scrm_count(r.detractors, NPS_FN);
	v[4] = Float8GetDatum(r.promoter_share);
	v[5] = Float8GetDatum(r.passive_share);
	v[6] = Float8GetDatum(r.detractor_share);
	v[7] = Float8GetDatum(r.nps);
	v[8] = Float8GetDatum(r.se);
	v[9] = Float8GetDatum(r.ci_low);
	v[10] = Float8GetDatum(r.ci_high);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

static const pg_scrm_agg_desc nps_desc = {
	.agg = NPS_FN,
	.calc = "scrm_nps",
	.data_size = sizeof(nps_data),
	.batch_rows = NPS_BATCH,
	.add = nps_add,
	PG_SCRM_ACC_DESC(scrm_nps),
	.result = nps_result,
};

PG_SCRM_STATE_FUNCTIONS(nps, nps_desc)
PG_SCRM_ENTRY(nps, result, pg_scrm_state_result, nps_desc)

PG_FUNCTION_INFO_V1(pg_scrm_nps_sfunc);

/* sfunc(state internal, score float8): NULL scores are skipped. */
Datum
pg_scrm_nps_sfunc(PG_FUNCTION_ARGS)
{
	pg_scrm_agg *a = PG_SCRM_AGG_ARG(0);

	if (PG_ARGISNULL(1))
		PG_SCRM_RETURN_AGG(a);
	if (a == NULL)
		a = pg_scrm_agg_new(fcinfo, &nps_desc, NULL);
	((nps_data *) a->data)->scores[a->nbuf] = PG_GETARG_FLOAT8(1);
	pg_scrm_agg_push(a);
	PG_RETURN_POINTER(a);
}
