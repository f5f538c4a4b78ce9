/* CLV model helpers shared by the model functions and the RFM histogram fit. */
#ifndef PG_CLV_H
#define PG_CLV_H

#include "pg_scrm.h"

/* ::scrm_clv_kind of a kind name ("BG/NBD", "bgnbd", "pareto_nbd", ...), ERROR when unknown. */
extern int32_t pg_scrm_clv_kind(text *t, const char *func);

/* scrm_clv_model_free() of a handle slot (pg_scrm_handle_new()). */
extern void pg_scrm_clv_model_release(void *h);

/* scrm_clv_model_serialize() bytes as a palloc'd bytea. */
extern bytea *pg_scrm_clv_model_bytes(const scrm_clv_model *m, const char *func);

/* The model stored in bytea argument argno (cached per call site; ERROR on bad bytes). */
extern const scrm_clv_model *pg_scrm_clv_model_arg(FunctionCallInfo fcinfo, int argno,
												   const char *func);

#endif
