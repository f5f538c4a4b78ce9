/*
 * scrm_engagement_agg(at, user_id, kind [, reach, impressions, sentiment]):
 * engagement counts by kind and unique engaged users (HyperLogLog estimate)
 * as a parallel aggregate over the scrm_engagement accumulator, and its saved
 * state type scrm_engagement_state (pg_scrm.h has the aggregate glue). The
 * sketches merge by register maximum, so a parallel plan gives the same
 * estimate as a serial one.
 */
#include "pg_scrm.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pg_scrm_engagement_sfunc);
PG_FUNCTION_INFO_V1(pg_scrm_engagement_kind);

#define ENG_FN "scrm_engagement_agg"
#define ENG_RESULT_FIELDS 24
#define ENG_BATCH 256

/* The data area: a batch of rows not yet added. */
typedef struct eng_data
{
	int64_t		times[ENG_BATCH];
	uint64_t	keys[ENG_BATCH];
	int32_t		kinds[ENG_BATCH];
	double		reach[ENG_BATCH];
	double		impressions[ENG_BATCH];
	double		sentiment[ENG_BATCH];
} eng_data;

PG_SCRM_ACC_OPS(scrm_engagement)

static int
eng_add(void *h, const void *data, int n)
{
	const eng_data *d = (const eng_data *) data;

	return scrm_engagement_add_keys((scrm_engagement *) h, d->times, d->keys, d->kinds, d->reach,
									d->impressions, d->sentiment, NULL, (size_t) n);
}

/*
 * Kind strings as the library maps a dataset's `kind` column (scrm.h,
 * enum scrm_engagement_kind): case-insensitive; anything else is "other".
 */
static int32_t
eng_kind_of(const char *s)
{
	static const char *const names[][6] = {
		[SCRM_ENGAGEMENT_POST] = {"post"},
		[SCRM_ENGAGEMENT_COMMENT] = {"comment", "reply"},
		[SCRM_ENGAGEMENT_SHARE] = {"share", "retweet", "repost", "reshare"},
		[SCRM_ENGAGEMENT_LIKE] = {"like", "reaction", "favorite", "favourite", "applause"},
		[SCRM_ENGAGEMENT_MENTION] = {"mention", "tag"},
	};

	for (int k = 0; k < SCRM_ENGAGEMENT_OTHER; k++)
		for (int i = 0; i < 6 && names[k][i] != NULL; i++)
			if (pg_strcasecmp(s, names[k][i]) == 0)
				return k;
	return SCRM_ENGAGEMENT_OTHER;
}

static int32_t
eng_kind_arg(text *t)
{
	char	   *s = text_to_cstring(t);
	int32_t		k = eng_kind_of(s);

	pfree(s);
	return k;
}

/* scrm_engagement_kind(text): the library's kind code of a kind string (0..5). */
Datum
pg_scrm_engagement_kind(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(eng_kind_arg(PG_GETARG_TEXT_PP(0)));
}

static Datum
eng_result(FunctionCallInfo fcinfo, const void *h, bool *isnull)
{
	const scrm_engagement *e = (const scrm_engagement *) h;
	scrm_engagement_result r;
	TupleDesc	td;
	Datum		v[ENG_RESULT_FIELDS];
	bool		nulls[ENG_RESULT_FIELDS] = {0};
	int			i = 0;

	pg_scrm_check(scrm_engagement_finalize(e, &r), ENG_FN);
	*isnull = r.rows == 0;
	if (*isnull)
		return (Datum) 0;
	td = pg_scrm_result_desc(fcinfo, ENG_FN, "scrm_engagement_result", ENG_RESULT_FIELDS);
	v[i++] = pg_scrm_count(r.rows, ENG_FN);
	for (int k = 0; k < SCRM_ENGAGEMENT_KIND_COUNT; k++)
		v[i++] = pg_scrm_count(r.counts[k], ENG_FN);
	v[i++] = pg_scrm_count(r.engagements, ENG_FN);
	pg_scrm_put_float8(v, nulls, i++, r.unique_users, true);
	pg_scrm_put_float8(v, nulls, i++, r.talking_window, true);
	pg_scrm_put_float8(v, nulls, i++, r.reach, true);
	pg_scrm_put_float8(v, nulls, i++, r.impressions, true);
	pg_scrm_put_float8(v, nulls, i++, r.er_reach, r.valid & SCRM_ENGAGEMENT_VALID_ER_REACH);
	pg_scrm_put_float8(v, nulls, i++, r.er_impressions, r.valid & SCRM_ENGAGEMENT_VALID_ER_IMPRESSIONS);
	pg_scrm_put_float8(v, nulls, i++, r.conversation_rate, r.valid & SCRM_ENGAGEMENT_VALID_PER_POST);
	pg_scrm_put_float8(v, nulls, i++, r.amplification_rate, r.valid & SCRM_ENGAGEMENT_VALID_PER_POST);
	pg_scrm_put_float8(v, nulls, i++, r.applause_rate, r.valid & SCRM_ENGAGEMENT_VALID_PER_POST);
	v[i++] = pg_scrm_count(r.positive, ENG_FN);
	v[i++] = pg_scrm_count(r.neutral, ENG_FN);
	v[i++] = pg_scrm_count(r.negative, ENG_FN);
	v[i++] = pg_scrm_count(r.unscored, ENG_FN);
	pg_scrm_put_float8(v, nulls, i++, r.net_sentiment, r.valid & SCRM_ENGAGEMENT_VALID_NSS);
	pg_scrm_put_float8(v, nulls, i++, r.net_sentiment_total, r.valid & SCRM_ENGAGEMENT_VALID_NSS_TOTAL);
	pg_scrm_put_float8(v, nulls, i++, r.mean_sentiment, r.valid & SCRM_ENGAGEMENT_VALID_NSS_TOTAL);
	Assert(i == ENG_RESULT_FIELDS);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}


static const pg_scrm_agg_desc eng_desc = {
	.agg = ENG_FN,
	.calc = "scrm_engagement",
	.data_size = sizeof(eng_data),
	.batch_rows = ENG_BATCH,
	.add = eng_add,
	PG_SCRM_ACC_DESC(scrm_engagement),
	.result = eng_result,
};

PG_SCRM_STATE_FUNCTIONS(engagement, eng_desc)
PG_SCRM_ENTRY(engagement, result, pg_scrm_state_result, eng_desc)

/*
 * sfunc(state, at timestamptz, user_id text, kind text [, reach, impressions,
 * sentiment float8]). Rows with a NULL time or kind are skipped; a NULL user
 * is the empty user id (as an empty `user` in a dataset); NULL reach and
 * impressions are 0; a NULL sentiment is "not scored". Users are keyed with
 * scrm_engagement_hash() of their UTF-8 bytes, as the C library and the
 * Python binding key strings, so saved states merge across all of them.
 */
Datum
pg_scrm_engagement_sfunc(PG_FUNCTION_ARGS)
{
	pg_scrm_agg *a = PG_SCRM_AGG_ARG(0);
	bool		extra = PG_NARGS() >= 7;
	eng_data   *s;
	int			i;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_SCRM_RETURN_AGG(a);
	if (a == NULL)
		a = pg_scrm_agg_new(fcinfo, &eng_desc, NULL);
	s = (eng_data *) a->data;
	i = a->nbuf;
	s->times[i] = pg_scrm_unix_seconds(PG_GETARG_TIMESTAMPTZ(1), ENG_FN, "at");
	if (PG_ARGISNULL(2))
		s->keys[i] = scrm_engagement_hash("", 0);
	else
	{
		text	   *u = PG_GETARG_TEXT_PP(2);

		s->keys[i] = scrm_engagement_hash(VARDATA_ANY(u), VARSIZE_ANY_EXHDR(u));
	}
	s->kinds[i] = eng_kind_arg(PG_GETARG_TEXT_PP(3));
	s->reach[i] = (extra && !PG_ARGISNULL(4)) ? PG_GETARG_FLOAT8(4) : 0.0;
	s->impressions[i] = (extra && !PG_ARGISNULL(5)) ? PG_GETARG_FLOAT8(5) : 0.0;
	s->sentiment[i] = (extra && !PG_ARGISNULL(6)) ? PG_GETARG_FLOAT8(6) : NAN;
	if (extra && !PG_ARGISNULL(6) && isnan(s->sentiment[i]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: sentiment is NaN (use NULL for a row without a score)", ENG_FN)));
	pg_scrm_agg_push(a);
	PG_RETURN_POINTER(a);
}

