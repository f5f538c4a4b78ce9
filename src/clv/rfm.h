/* RFM summary internals: the summary table and the grouping engine shared by
 * the dataset and array constructors. */
#ifndef SCRM_CLV_RFM_H
#define SCRM_CLV_RFM_H

#include "core/internal.h"

#include <stddef.h>
#include <stdint.h>

struct scrm_rfm {
    size_t n;          /* customers (rows) */
    int64_t *key;      /* customer key per row */
    double *x;         /* repeat purchase periods in calibration */
    double *t_x;       /* recency, units */
    double *age;       /* T, units */
    double *monetary;  /* mean value per repeat period */
    double *hx;        /* holdout purchase periods */
    double *hm;        /* holdout mean value per period */
    double *first;     /* first period start, seconds */
    scrm_rfm_info info;
};

/* Rows already mapped to dense customer indices 0..k-1 (first appearance
 * order); keys[i] is the public key of dense customer i. value may be NULL. */
typedef struct scrm__rfm_input {
    size_t n;
    const uint32_t *cust;
    const int64_t *time;
    const double *value;
    size_t k;
    const int64_t *keys;
} scrm__rfm_input;

/* Validated options with defaults applied. */
int scrm__rfm_resolve_options(const scrm_rfm_options *in, scrm_rfm_options *out,
                              const char *fn);

/* Build the summary; on failure *out is untouched and the error recorded. */
int scrm__rfm_build(const scrm__rfm_input *in, const scrm_rfm_options *opts, scrm_rfm **out,
                    const char *fn);

/* Length from a to b (seconds, a <= b) in the given unit. */
double scrm__rfm_span(int64_t a, int64_t b, int32_t unit);

/* Map arbitrary int64 ids to dense indices in first-appearance order.
 * cust receives n indices; *keys (scrm__free) the distinct ids; *k their count. */
int scrm__rfm_densify(const int64_t *ids, size_t n, uint32_t *cust, int64_t **keys, size_t *k);

void scrm__rfm_destroy(scrm_rfm *r);

#endif /* SCRM_CLV_RFM_H */
