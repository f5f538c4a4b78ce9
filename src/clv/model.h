/* The CLV model handle (private layout). */
#ifndef SCRM_CLV_MODEL_H
#define SCRM_CLV_MODEL_H

#include "clv/kinds.h"

struct scrm_clv_model {
    const scrm__clv_kind *k;
    scrm_clv_fit_result info; /* params (original units), errors, diagnostics */
    int has_cov;              /* 1 when cov_log holds a fit's inverse Hessian */
    /* Inverse Hessian of the total penalised negative log-likelihood in the
     * log-parameters (row-major n_params x n_params); see scrm_clv_model_covariance(). */
    double cov_log[SCRM_CLV_MAX_PARAMS * SCRM_CLV_MAX_PARAMS];
};

const scrm__clv_kind *scrm__clv_model_kind(const scrm_clv_model *m);



/* Customer value after validation (value.c): out has customers->n entries. */
int scrm__clv_value(const scrm_clv_model *transactions, const scrm_clv_model *spend,
                    const scrm_clv_data *customers, const scrm_clv_value_options *o, double *out);
#endif /* SCRM_CLV_MODEL_H */
