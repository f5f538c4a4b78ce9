/* CRV calculator internals: per-referrer compensated sums in an open-addressing
 * map keyed by referrer id, shared by the accumulator (crv.c), its byte form
 * (crv_bytes.c) and the dataset path (crv_dataset.c). */
#ifndef SCRM_KPI_CRV_H
#define SCRM_KPI_CRV_H

#include "core/internal.h"
#include "num/sum.h"

#include <stdint.h>

/* Sums per referrer, in this order. */
enum { CRV__MARGIN, CRV__RETENTION, CRV__INCENTIVE, CRV__ACQUISITION, CRV__REFEREES,
       CRV__INCREMENTAL, CRV__NSUMS };

typedef struct scrm__crv_entry {
    int64_t key;
    scrm__sum s[CRV__NSUMS];
} scrm__crv_entry;

struct scrm_crv {
    scrm_crv_options o;
    double *v;                /* v[k] = (1 + r)^-k, k = 0..horizon */
    double *ann;              /* ann[m] = v[1] + ... + v[m] */
    scrm__crv_entry *e;       /* entries, insertion order */
    size_t n, cap;            /* entries used / allocated */
    uint32_t *slot;           /* hash slots: entry index + 1, 0 = empty */
    size_t nslot;             /* power of two, >= 2 cap */
    uint64_t referrals, not_converted, duplicates, after_end;
};

/* Validate options (defaults for NULL) into *out. */
int scrm__crv_check_options(const scrm_crv_options *in, scrm_crv_options *out, const char *fn);

/* A calculator with validated options (no entries). */
int scrm__crv_create(scrm_crv **out, const scrm_crv_options *o, const char *fn);

/* Make room for `more` new entries without failing later. */
int scrm__crv_reserve(scrm_crv *c, size_t more, const char *fn);

/* The entry of `key`, created when missing (room must be reserved). */
scrm__crv_entry *scrm__crv_entry_get(scrm_crv *c, int64_t key);
const scrm__crv_entry *scrm__crv_entry_find(const scrm_crv *c, int64_t key);

/* Add one validated referee. */
void scrm__crv_add_one(scrm_crv *c, scrm__crv_entry *e, const double *margins, uint32_t active,
                       double incentive, double acquisition, double p);

/* Entry indices sorted by key (scrm__free). */
int scrm__crv_sorted(const scrm_crv *c, size_t **order, const char *fn);

#endif /* SCRM_KPI_CRV_H */
