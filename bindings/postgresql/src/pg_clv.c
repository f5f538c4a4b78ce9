/*
 * CLV models stored as bytea (scrm_clv_model_serialize() bytes): make one from
 * known parameters, read its parameters, and score customers with it.
 */
#include "pg_clv.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(pg_scrm_clv_model);
PG_FUNCTION_INFO_V1(pg_scrm_clv_params);
PG_FUNCTION_INFO_V1(pg_scrm_clv_p_alive);
PG_FUNCTION_INFO_V1(pg_scrm_clv_expected_purchases);
PG_FUNCTION_INFO_V1(pg_scrm_clv_expected_purchases_new);

#define CLV_INFO_FIELDS 10

void
pg_scrm_clv_model_release(void *h)
{
	scrm_clv_model_free((scrm_clv_model *) h);
}

static int
model_serialize(const void *h, uint8_t *buf, size_t cap, size_t *out_len)
{
	return scrm_clv_model_serialize((const scrm_clv_model *) h, buf, cap, out_len);
}

/* "BG/NBD", "bgnbd", "bg_nbd", "Pareto/NBD", "gamma-gamma", ...: letters and digits compared case-insensitively. */
static bool
kind_name_eq(const char *a, const char *b)
{
	for (;;)
	{
		while (*a && !isalnum((unsigned char) *a))
			a++;
		while (*b && !isalnum((unsigned char) *b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (pg_tolower((unsigned char) *a) != pg_tolower((unsigned char) *b))
			return false;
		a++;
		b++;
	}
}

int32_t
pg_scrm_clv_kind(text *t, const char *func)
{
	char	   *s = text_to_cstring(t);
	StringInfoData known;

	for (int32_t k = 1; k < 64; k++)
	{
		const char *name = scrm_clv_kind_name(k);

		if (name == NULL)
			continue;
		if (kind_name_eq(s, name))
		{
			pfree(s);
			return k;
		}
	}
	initStringInfo(&known);
	for (int32_t k = 1; k < 64; k++)
		if (scrm_clv_kind_name(k) != NULL)
			appendStringInfo(&known, "%s%s", known.len ? ", " : "", scrm_clv_kind_name(k));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: unknown model kind \"%s\"", func, s),
			 errhint("Known kinds: %s.", known.data)));
	return 0;
}

bytea *
pg_scrm_clv_model_bytes(const scrm_clv_model *m, const char *func)
{
	return pg_scrm_bytes(model_serialize, m, func);
}

/*
 * The model of a bytea argument, deserialized once per query: the last bytes
 * and their model are cached in fn_extra (the function's memory context), so
 * scoring a table with the same stored model costs one deserialization.
 */
typedef struct model_cache
{
	pg_scrm_handle *slot;
	Size		len;
	char	   *bytes;
} model_cache;

const scrm_clv_model *
pg_scrm_clv_model_arg(FunctionCallInfo fcinfo, int argno, const char *func)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(argno);
	Size		len = VARSIZE_ANY_EXHDR(b);
	model_cache *c = (model_cache *) fcinfo->flinfo->fn_extra;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	scrm_clv_model *m = NULL;

	if (c != NULL && c->slot->h != NULL && c->len == len &&
		memcmp(c->bytes, VARDATA_ANY(b), len) == 0)
		return (const scrm_clv_model *) c->slot->h;
	if (c == NULL)
	{
		c = MemoryContextAllocZero(mcxt, sizeof(*c));
		c->slot = pg_scrm_handle_new(mcxt, pg_scrm_clv_model_release);
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->slot->h != NULL)
	{
		scrm_clv_model_free((scrm_clv_model *) c->slot->h);
		c->slot->h = NULL;
	}
	if (c->bytes != NULL)
		pfree(c->bytes);
	c->bytes = NULL;
	pg_scrm_check(scrm_clv_model_deserialize(&m, (const uint8_t *) VARDATA_ANY(b), len), func);
	c->slot->h = m;
	c->bytes = MemoryContextAlloc(mcxt, len + 1);
	memcpy(c->bytes, VARDATA_ANY(b), len);
	c->len = len;
	return m;
}

/* scrm_clv_model(kind text, params float8[]) -> bytea: a model from known parameters. */
Datum
pg_scrm_clv_model(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_clv_model";
	int32_t		kind = pg_scrm_clv_kind(PG_GETARG_TEXT_PP(0), fn);
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	double		p[SCRM_CLV_MAX_PARAMS + 1] = {0};
	scrm_clv_model *m = NULL;
	pg_scrm_handle *slot = pg_scrm_handle_new(CurrentMemoryContext, pg_scrm_clv_model_release);

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: params must be a one-dimensional array", fn)));
	deconstruct_array(a, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n > SCRM_CLV_MAX_PARAMS)
		n = SCRM_CLV_MAX_PARAMS + 1;	/* the library names the expected count */
	for (int i = 0; i < n && i < SCRM_CLV_MAX_PARAMS; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: params[%d] is NULL", fn, i + 1)));
		p[i] = DatumGetFloat8(elems[i]);
	}
	pg_scrm_check(scrm_clv_model_new(&m, kind, p, (size_t) n), fn);
	slot->h = m;
	PG_RETURN_BYTEA_P(pg_scrm_clv_model_bytes(m, fn));
}

static ArrayType *
float8_array(const double *v, int n)
{
	Datum		d[SCRM_CLV_MAX_PARAMS];

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(v[i]);
	return construct_array(d, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/*
 * scrm_clv_params(model bytea) -> scrm_clv_info: kind, parameter names,
 * estimates, standard errors, log-likelihood and fit diagnostics.
 */
Datum
pg_scrm_clv_params(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_clv_params";
	const scrm_clv_model *m = pg_scrm_clv_model_arg(fcinfo, 0, fn);
	scrm_clv_fit_result r;
	TupleDesc	td;
	Datum		v[CLV_INFO_FIELDS];
	bool		nulls[CLV_INFO_FIELDS] = {0};
	Datum		names[SCRM_CLV_MAX_PARAMS];
	int			np;

	pg_scrm_check(scrm_clv_model_info(m, &r), fn);
	np = (int) Min(r.n_params, SCRM_CLV_MAX_PARAMS);
	for (int i = 0; i < np; i++)
	{
		const char *name = scrm_clv_kind_param_name(r.kind, (uint32_t) i);

		names[i] = CStringGetTextDatum(name ? name : "?");
	}
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: result type is not the composite scrm_clv_info", fn)));
	td = BlessTupleDesc(td);
	v[0] = CStringGetTextDatum(scrm_clv_kind_name(r.kind) ? scrm_clv_kind_name(r.kind) : "?");
	v[1] = PointerGetDatum(construct_array(names, np, TEXTOID, -1, false, TYPALIGN_INT));
	v[2] = PointerGetDatum(float8_array(r.params, np));
	v[3] = PointerGetDatum(float8_array(r.std_errors, np));
	v[4] = Float8GetDatum(r.log_likelihood);
	v[5] = BoolGetDatum(r.fitted != 0);
	v[6] = BoolGetDatum(r.converged != 0);
	v[7] = Int32GetDatum((int32) r.iterations);
	v[8] = Float8GetDatum(r.n_customers);
	v[9] = Float8GetDatum(r.gradient_norm);
	if (!r.fitted)
	{
		nulls[3] = nulls[4] = nulls[6] = nulls[7] = nulls[8] = nulls[9] = true;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

/* One customer's (x, t_x, T) from arguments first..first+2. */
static scrm_clv_data
customer_arg(FunctionCallInfo fcinfo, int first, double *x, double *tx, double *T)
{
	scrm_clv_data d = SCRM_CLV_DATA_INIT;

	*x = PG_GETARG_FLOAT8(first);
	*tx = PG_GETARG_FLOAT8(first + 1);
	*T = PG_GETARG_FLOAT8(first + 2);
	d.n = 1;
	d.frequency = x;
	d.recency = tx;
	d.age = T;
	return d;
}

/* scrm_clv_p_alive(model bytea, x, t_x, T float8) -> float8. */
Datum
pg_scrm_clv_p_alive(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_clv_p_alive";
	const scrm_clv_model *m = pg_scrm_clv_model_arg(fcinfo, 0, fn);
	double		x,
				tx,
				T,
				out = 0;
	size_t		len = 0;
	scrm_clv_data d = customer_arg(fcinfo, 1, &x, &tx, &T);

	pg_scrm_check(scrm_clv_probability_alive(m, &d, &out, 1, &len), fn);
	PG_RETURN_FLOAT8(out);
}

/* scrm_clv_expected_purchases(model bytea, t, x, t_x, T float8) -> float8: E[Y(t) | x, t_x, T]. */
Datum
pg_scrm_clv_expected_purchases(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_clv_expected_purchases";
	const scrm_clv_model *m = pg_scrm_clv_model_arg(fcinfo, 0, fn);
	double		t = PG_GETARG_FLOAT8(1);
	double		x,
				tx,
				T,
				out = 0;
	size_t		len = 0;
	scrm_clv_data d = customer_arg(fcinfo, 2, &x, &tx, &T);

	pg_scrm_check(scrm_clv_conditional_expected_purchases(m, t, &d, &out, 1, &len), fn);
	PG_RETURN_FLOAT8(out);
}

/* scrm_clv_expected_purchases(model bytea, t float8) -> float8: E[X(t)] of a new customer. */
Datum
pg_scrm_clv_expected_purchases_new(PG_FUNCTION_ARGS)
{
	const char *fn = "scrm_clv_expected_purchases";
	const scrm_clv_model *m = pg_scrm_clv_model_arg(fcinfo, 0, fn);
	double		t = PG_GETARG_FLOAT8(1),
				out = 0;
	size_t		len = 0;

	pg_scrm_check(scrm_clv_expected_purchases(m, &t, 1, &out, 1, &len), fn);
	PG_RETURN_FLOAT8(out);
}
