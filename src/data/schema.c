/* Table and column metadata: names, storage types, required flags and the
 * validation rules the header documents for each column. */
#include "data/data.h"

#define S SCRM_TYPE_STRING
#define T SCRM_TYPE_TIME
#define F SCRM_TYPE_F64
#define B SCRM_TYPE_BOOL
#define NONNEG SCRM__COL_NONNEG

/* Column order must match enum scrm_column in scrm.h. */
static const scrm__column_def customers[] = {
    {"id", S, 1, 0},
    {"acquired", T, 0, 0},
    {"segment", S, 0, 0},
    {"acquisition_cost", F, 0, NONNEG},
    {"channel", S, 0, 0},
};
static const scrm__column_def transactions[] = {
    {"customer", S, 1, 0},
    {"time", T, 1, 0},
    {"amount", F, 1, 0},
    {"margin", F, 0, 0},
};
static const scrm__column_def survey[] = {
    {"customer", S, 0, 0},
    {"time", T, 1, 0},
    {"score", F, 1, 0},
    {"intends_to_refer", B, 0, 0},
    {"referred", B, 0, 0},
};
static const scrm__column_def social[] = {
    {"time", T, 1, 0},
    {"channel", S, 0, 0},
    {"user", S, 1, 0},
    {"kind", S, 1, SCRM__COL_LOWER},
    {"post_id", S, 0, 0},
    {"target_user", S, 0, 0},
    {"brand", S, 0, 0},
    {"reach", F, 0, NONNEG},
    {"impressions", F, 0, NONNEG},
    {"sentiment", F, 0, SCRM__COL_SENTIMENT},
};
static const scrm__column_def audience[] = {
    {"time", T, 1, 0},
    {"channel", S, 0, 0},
    {"followers", F, 1, NONNEG},
};
static const scrm__column_def tickets[] = {
    {"id", S, 1, 0},
    {"channel", S, 0, 0},
    {"agent", S, 0, 0},
    {"team", S, 0, 0},
    {"created", T, 1, 0},
    {"first_response", T, 0, 0},
    {"resolved", T, 0, 0},
    {"handle_time", F, 0, NONNEG},
};
static const scrm__column_def referrals[] = {
    {"referrer", S, 1, 0},
    {"referee", S, 0, 0},
    {"time", T, 1, 0},
    {"converted", B, 0, 0},
    {"incentive_cost", F, 0, NONNEG},
};
static const scrm__column_def costs[] = {
    {"time", T, 1, 0},
    {"category", S, 0, 0},
    {"amount", F, 1, 0},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const scrm__table_def tables[SCRM_TABLE_COUNT] = {
    {"customers", "customers.csv", N(customers), customers},
    {"transactions", "transactions.csv", N(transactions), transactions},
    {"survey", "survey.csv", N(survey), survey},
    {"social", "social.csv", N(social), social},
    {"audience", "audience.csv", N(audience), audience},
    {"tickets", "tickets.csv", N(tickets), tickets},
    {"referrals", "referrals.csv", N(referrals), referrals},
    {"costs", "costs.csv", N(costs), costs},
};

const scrm__table_def *scrm__table_def_get(int32_t table)
{
    if (table < 0 || table >= SCRM_TABLE_COUNT)
        return NULL;
    return &tables[table];
}

const scrm__column_def *scrm__column_def_get(int32_t table, int32_t column)
{
    const scrm__table_def *t = scrm__table_def_get(table);
    if (!t || column < 0 || (size_t)column >= t->n_columns)
        return NULL;
    return &t->columns[column];
}

size_t scrm__type_size(int32_t type)
{
    switch (type) {
    case SCRM_TYPE_STRING: return sizeof(uint32_t);
    case SCRM_TYPE_TIME: return sizeof(int64_t);
    case SCRM_TYPE_F64: return sizeof(double);
    default: return sizeof(int8_t);
    }
}

SCRM_API int scrm_table_columns(int32_t table, size_t *out)
{
    const scrm__table_def *t = scrm__table_def_get(table);
    SCRM__CHECK_NULL(out);
    if (!t)
        return SCRM__FAIL(SCRM_EINVAL, "unknown table %d", (int)table);
    *out = t->n_columns;
    return SCRM_OK;
}

SCRM_API const char *scrm_table_name(int32_t table)
{
    const scrm__table_def *t = scrm__table_def_get(table);
    return t ? t->name : NULL;
}

SCRM_API const char *scrm_column_name(int32_t table, int32_t column)
{
    const scrm__column_def *c = scrm__column_def_get(table, column);
    return c ? c->name : NULL;
}

SCRM_API int scrm_column_type(int32_t table, int32_t column)
{
    const scrm__column_def *c = scrm__column_def_get(table, column);
    return c ? c->type : 0;
}

SCRM_API int scrm_column_required(int32_t table, int32_t column)
{
    const scrm__column_def *c = scrm__column_def_get(table, column);
    return c ? c->required : -1;
}
