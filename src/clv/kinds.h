/* The table of CLV model kinds. Each kind (BG/NBD, Pareto/NBD, Gamma-Gamma,
 * ...) lives in its own file and exports one `const scrm__clv_kind`; kinds.c
 * lists them. Adding a kind = adding a file and one line in kinds.c.
 *
 * Conventions for the callbacks:
 *  - Parameters are in their natural space (all > 0). For fitting, the rows
 *    are rescaled (time so that max(T) = 10, money so that the mean spend is
 *    1) and the parameters flagged in time_params / money_params are in those
 *    scaled units; predictions always see original units.
 *  - loglik returns the weighted total log-likelihood of the rows and, when
 *    grad is not NULL, its gradient with respect to the LOG of each parameter.
 *    It must never produce NaN for valid parameters: return a status instead.
 *  - Prediction callbacks get one customer at a time and may be NULL (the
 *    public function then answers SCRM_EINVAL "not available for this kind").
 *  - Callbacks record no error message; model.c words it. */
#ifndef SCRM_CLV_KINDS_H
#define SCRM_CLV_KINDS_H

#include "core/internal.h"

#include <stddef.h>
#include <stdint.h>

/* Which input columns a kind reads (scrm__clv_kind.inputs). */
#define SCRM__CLV_IN_FREQUENCY 0x1u
#define SCRM__CLV_IN_RECENCY 0x2u
#define SCRM__CLV_IN_AGE 0x4u
#define SCRM__CLV_IN_MONETARY 0x8u

/* Customers as the models see them: identical rows collapsed into weights,
 * distinct frequencies indexed so per-frequency terms (log-gamma differences,
 * digamma) are computed once per evaluation. */
/* Fits rescale time so the largest age is this (conditioning). */
#define SCRM__CLV_TIME_AXIS 10.0

typedef struct scrm__clv_rows {
    size_t n;          /* distinct rows */
    double *x;         /* frequency */
    double *tx;        /* recency (scaled) */
    double *T;         /* age (scaled) */
    double *m;         /* monetary (scaled) */
    double *w;         /* weights (> 0) */
    uint32_t *xi;      /* index of x[i] in xs */
    size_t nx;         /* distinct frequencies */
    double *xs;        /* the distinct frequencies, ascending */
    double *scratch;   /* nx * SCRM__CLV_SCRATCH doubles for loglik */
    double wsum;       /* total weight */
    double wxsum;      /* sum of w * x */
    double time_scale; /* tx, T were multiplied by this (SCRM__CLV_TIME_AXIS / max age) */
    double money_scale; /* m was multiplied by this */
    /* Optional (NULL when times hardly repeat): the distinct values of T and
     * t_x together (tv, ntv) with tv[iT[i]] = T[i], tv[itx[i]] = tx[i], and
     * tv_scratch (SCRM__CLV_TV_SCRATCH * ntv doubles) for per-evaluation
     * terms such as log(alpha + t): real data in days repeats them a lot. */
    size_t ntv;
    double *tv;
    double *tv_scratch;
    uint32_t *iT;
    uint32_t *itx;
} scrm__clv_rows;

#define SCRM__CLV_TV_SCRATCH 2

#define SCRM__CLV_SCRATCH 8

typedef struct scrm__clv_kind {
    int32_t kind;
    const char *name;
    uint32_t n_params;
    const char *param_names[8];
    uint32_t inputs;       /* SCRM__CLV_IN_* read by fit and predictions */
    uint32_t time_params;  /* bit i: parameter i is measured in time units */
    uint32_t money_params; /* bit i: parameter i is measured in money units */
    /* 0 if the row is acceptable (for fitting when `fitting`, else for
     * prediction), else SCRM_EINVAL with *why set. */
    int (*check_row)(double x, double tx, double T, double m, int fitting, const char **why);
    /* Default start (scaled units). */
    void (*start)(const scrm__clv_rows *rows, double *p);
    int (*loglik)(const double *p, const scrm__clv_rows *rows, double *ll, double *grad);
    /* Predictions (original units); each may be NULL. */
    int (*expected)(const double *p, double t, double *out);
    int (*cond_expected)(const double *p, double t, double x, double tx, double T, double *out);
    int (*p_alive)(const double *p, double x, double tx, double T, double *out);
    int (*pmf)(const double *p, double t, double n, double *out);
    int (*spend)(const double *p, double x, double m, double *out);
    /* Expected purchases in the next t given alive at T, so that
     * cond_expected = cond_alive * p_alive (may be NULL). Lets customer value
     * work per distinct frequency: see value.c. */
    int (*cond_alive)(const double *p, double t, double x, double T, double *out);
} scrm__clv_kind;

/* The kind's table entry, or NULL when not available in this build. */
const scrm__clv_kind *scrm__clv_kind_find(int32_t kind);

/* Validate and collapse customers for a kind (weights optional). On success
 * rows owns its arrays; free with scrm__clv_rows_free(). Records messages. */
int scrm__clv_rows_build(const scrm__clv_kind *k, const scrm_clv_data *d, const char *fn,
                         scrm__clv_rows *rows);
void scrm__clv_rows_free(scrm__clv_rows *rows);

/* An evenly spaced subsample of about k of the rows (same scales; xs and
 * scratch shared with rows, which must outlive it; no time index). Free with
 * scrm__clv_rows_free(). Returns SCRM_ENOMEM without a message. */
int scrm__clv_rows_subsample(const scrm__clv_rows *rows, size_t k, scrm__clv_rows *sub);

/* Distinct values of v[0..n) ascending (*vals, allocated with scrm__malloc)
 * and idx[i] = position of v[i] in them. Returns SCRM_ENOMEM (no message). */
int scrm__clv_index_values(const double *v, size_t n, uint32_t *idx, double **vals,
                           size_t *n_vals);
/* The same, giving up with SCRM_ERANGE (no message, nothing allocated) once
 * more than max_vals distinct values are seen. */
int scrm__clv_index_values_max(const double *v, size_t n, size_t max_vals, uint32_t *idx,
                               double **vals, size_t *n_vals);

/* Check one customer of a prediction input (message names function and row). */
int scrm__clv_check_customer(const scrm__clv_kind *k, const scrm_clv_data *d, size_t i,
                             const char *fn);

/* The kinds implemented by this library. */
extern const scrm__clv_kind scrm__clv_bgnbd;
extern const scrm__clv_kind scrm__clv_mbgnbd;
extern const scrm__clv_kind scrm__clv_pareto_nbd;
extern const scrm__clv_kind scrm__clv_gamma_gamma;
extern const scrm__clv_kind scrm__clv_sbg;
extern const scrm__clv_kind scrm__clv_bgbb;

/* Shared BG/NBD-family expectation: (C/eps) [1 - (1-z)^eps 2F1(A, eps; C; z)]
 * with z = u/(1+u), stable as eps = a - 1 -> 0 and for a + b < 1. */
int scrm__clv_bg_q(double A, double eps, double C, double u, double *out);

#endif /* SCRM_CLV_KINDS_H */
