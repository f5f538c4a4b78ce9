/*
 * scrm_engagement_agg(at, user_id, kind [, reach, impressions, sentiment]):
 * engagement counts by kind and unique engaged users (HyperLogLog estimate)
 * as a parallel aggregate over the scrm_engagement accumulator. Partial
 * states travel between workers as scrm_engagement_serialize() bytes, and the
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
PG_FUNCTION_INFO_V1(pg_scrm_engagement_sfunc_state);
PG_FUNCTION_INFO_V1(pg_scrm_engagement_combine);
PG_FUNCTION_INFO_V1(pg_scrm_engagement_serial);
PG_FUNCTION_INFO_V1(pg_scrm_engagement_deserial);
PG_FUNCTION_INFO_V1(pg_scrm_engagement_final);
PG_FUNCTION_INFO_V1(pg_scrm_engagement_from_state);
PG_FUNCTION_INFO_V1(pg_scrm_engagement_kind);

#define ENG_FN "scrm_engagement_agg"
#define ENG_RESULT_FIELDS 24
#define ENG_BATCH 256

/*
 * The transition state: the accumulator plus a batch of rows not yet added
 * (the library validates and adds them in one call). Flushed before the
 * state is read, serialized or merged.
 */
typedef struct eng_state
{
	pg_scrm_handle *slot;
	int			nbuf;
	int64_t		times[ENG_BATCH];
	uint64_t	keys[ENG_BATCH];
	int32_t		kinds[ENG_BATCH];
	double		reach[ENG_BATCH];
	double		impressions[ENG_BATCH];
	double		sentiment[ENG_BATCH];
} eng_state;

#define ENG(s) ((scrm_engagement *) (s)->slot->h)
#define ENG_ARG(i) (PG_ARGISNULL(i) ? NULL : (eng_state *) PG_GETARG_POINTER(i))

static void
eng_release(void *h)
{
	scrm_engagement_free((scrm_engagement *) h);
}

static eng_state *
eng_state_alloc(MemoryContext mcxt)
{
	eng_state  *s = MemoryContextAlloc(mcxt, sizeof(*s));

	s->nbuf = 0;
	s->slot = pg_scrm_handle_new(mcxt, eng_release);
	return s;
}

static eng_state *
eng_state_new(MemoryContext mcxt)
{
	eng_state  *s = eng_state_alloc(mcxt);
	scrm_engagement *e = NULL;

	pg_scrm_check(scrm_engagement_new(&e, NULL), ENG_FN);
	s->slot->h = e;
	return s;
}

static eng_state *
eng_state_from_bytes(MemoryContext mcxt, bytea *b)
{
	eng_state  *s = eng_state_alloc(mcxt);
	scrm_engagement *e = NULL;

	pg_scrm_check(scrm_engagement_deserialize(&e, (const uint8_t *) VARDATA_ANY(b),
											  VARSIZE_ANY_EXHDR(b)),
				  "scrm_engagement state");
	s->slot->h = e;
	return s;
}

/* Add the batched rows; the accumulator is then complete. */
static scrm_engagement *
eng_flush(eng_state *s)
{
	int			n = s->nbuf;

	s->nbuf = 0;				/* on error the batch is dropped with the query */
	if (n > 0)
		pg_scrm_check(scrm_engagement_add_keys(ENG(s), s->times, s->keys, s->kinds,
											   s->reach, s->impressions, s->sentiment,
											   NULL, (size_t) n),
					  ENG_FN);
	return ENG(s);
}

static int
eng_ser(const void *h, uint8_t *buf, size_t cap, size_t *out_len)
{
	return scrm_engagement_serialize((const scrm_engagement *) h, buf, cap, out_len);
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
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, ENG_FN);
	eng_state  *s = ENG_ARG(0);
	bool		extra = PG_NARGS() >= 7;
	int			i;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = eng_state_new(aggcxt);
	i = s->nbuf;
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
	if (++s->nbuf == ENG_BATCH)
		eng_flush(s);
	PG_RETURN_POINTER(s);
}

/* sfunc(state, saved bytea): merges scrm_engagement_state() values. */
Datum
pg_scrm_engagement_sfunc_state(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, "scrm_engagement_merge");
	eng_state  *s = ENG_ARG(0);
	eng_state  *b;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	b = eng_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(1));
	if (s == NULL)
		s = eng_state_new(aggcxt);
	pg_scrm_check(scrm_engagement_merge(eng_flush(s), ENG(b)), "scrm_engagement_merge");
	PG_RETURN_POINTER(s);
}

/* combinefunc: not strict, so a NULL first state gets a fresh accumulator in aggcxt. */
Datum
pg_scrm_engagement_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = pg_scrm_aggcontext(fcinfo, ENG_FN " combine");
	eng_state  *a = ENG_ARG(0);
	eng_state  *b = ENG_ARG(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = eng_state_new(aggcxt);
	pg_scrm_check(scrm_engagement_merge(eng_flush(a), eng_flush(b)), ENG_FN " combine");
	PG_RETURN_POINTER(a);
}

Datum
pg_scrm_engagement_serial(PG_FUNCTION_ARGS)
{
	eng_state  *s = (eng_state *) PG_GETARG_POINTER(0);

	PG_RETURN_BYTEA_P(pg_scrm_bytes(eng_ser, eng_flush(s), ENG_FN " serialize"));
}

/* deserialfunc(bytea, internal): the state lives in the calling context. */
Datum
pg_scrm_engagement_deserial(PG_FUNCTION_ARGS)
{
	(void) pg_scrm_aggcontext(fcinfo, ENG_FN " deserialize");
	PG_RETURN_POINTER(eng_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0)));
}

/* A figure whose validity bit is clear (NaN in the library) becomes SQL NULL. */
static void
put_double(Datum *v, bool *nulls, int i, double x, bool valid)
{
	nulls[i] = !valid || isnan(x);
	v[i] = Float8GetDatum(nulls[i] ? 0.0 : x);
}

static Datum
eng_result_datum(FunctionCallInfo fcinfo, const scrm_engagement *e)
{
	scrm_engagement_result r;
	TupleDesc	td;
	Datum		v[ENG_RESULT_FIELDS];
	bool		nulls[ENG_RESULT_FIELDS] = {0};
	int			i = 0;

	pg_scrm_check(scrm_engagement_finalize(e, &r), ENG_FN);
	if (r.rows == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: result type is not the composite scrm_engagement_result", ENG_FN)));
	td = BlessTupleDesc(td);
	if (td->natts != ENG_RESULT_FIELDS)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: scrm_engagement_result has %d fields, expected %d (reinstall the extension)",
						ENG_FN, td->natts, ENG_RESULT_FIELDS)));
	v[i++] = pg_scrm_count(r.rows, ENG_FN);
	for (int k = 0; k < SCRM_ENGAGEMENT_KIND_COUNT; k++)
		v[i++] = pg_scrm_count(r.counts[k], ENG_FN);
	v[i++] = pg_scrm_count(r.engagements, ENG_FN);
	put_double(v, nulls, i++, r.unique_users, true);
	put_double(v, nulls, i++, r.talking_window, true);
	put_double(v, nulls, i++, r.reach, true);
	put_double(v, nulls, i++, r.impressions, true);
	put_double(v, nulls, i++, r.er_reach, r.valid & SCRM_ENGAGEMENT_VALID_ER_REACH);
	put_double(v, nulls, i++, r.er_impressions, r.valid & SCRM_ENGAGEMENT_VALID_ER_IMPRESSIONS);
	put_double(v, nulls, i++, r.conversation_rate, r.valid & SCRM_ENGAGEMENT_VALID_PER_POST);
	put_double(v, nulls, i++, r.amplification_rate, r.valid & SCRM_ENGAGEMENT_VALID_PER_POST);
	put_double(v, nulls, i++, r.applause_rate, r.valid & SCRM_ENGAGEMENT_VALID_PER_POST);
	v[i++] = pg_scrm_count(r.positive, ENG_FN);
	v[i++] = pg_scrm_count(r.neutral, ENG_FN);
	v[i++] = pg_scrm_count(r.negative, ENG_FN);
	v[i++] = pg_scrm_count(r.unscored, ENG_FN);
	put_double(v, nulls, i++, r.net_sentiment, r.valid & SCRM_ENGAGEMENT_VALID_NSS);
	put_double(v, nulls, i++, r.net_sentiment_total, r.valid & SCRM_ENGAGEMENT_VALID_NSS_TOTAL);
	put_double(v, nulls, i++, r.mean_sentiment, r.valid & SCRM_ENGAGEMENT_VALID_NSS_TOTAL);
	Assert(i == ENG_RESULT_FIELDS);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

/* finalfunc: no rows (or only rows without time or kind) gives NULL. */
Datum
pg_scrm_engagement_final(PG_FUNCTION_ARGS)
{
	eng_state  *s = ENG_ARG(0);

	if (s == NULL)
		PG_RETURN_NULL();
	return eng_result_datum(fcinfo, eng_flush(s));
}

/* scrm_engagement_result(bytea): the result of a saved scrm_engagement_state() value. */
Datum
pg_scrm_engagement_from_state(PG_FUNCTION_ARGS)
{
	eng_state  *s = eng_state_from_bytes(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0));

	return eng_result_datum(fcinfo, ENG(s));
}
