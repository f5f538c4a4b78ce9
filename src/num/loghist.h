/* Mergeable log-bucket histogram of nonnegative integers (durations in whole
 * seconds), for quantiles in streaming accumulators.
 *
 * Buckets (HDR-histogram style, 6 sub-bucket bits): values 0..127 have a
 * bucket each (exact); a value v >= 128 with e = floor(log2 v) falls in bucket
 * 128 + 64 (e - 7) + (the 6 bits of v below its leading bit), which spans
 * [L, L + 2^(e-6)) with L >= 2^e. Its representative, the midpoint
 * L + (2^(e-6) - 1) / 2, is within (2^(e-6) - 1) / (2 L) < 2^-7 (0.78 %)
 * relative of every value in the bucket. Merging adds counts: exact.
 * The index is a count-leading-zeros and two shifts, cheap enough for the
 * add loop. Counts are stored densely over the range of buckets in use. */
#ifndef SCRM_KPI_LOGHIST_H
#define SCRM_KPI_LOGHIST_H

#include "core/bits.h"
#include "core/bytes.h"

#include <stdint.h>

#define SCRM__LOGHIST_EXACT 128u
#define SCRM__LOGHIST_SUB 64u
/* Largest index: v = 2^64 - 1, e = 63: 128 + 64 * 56 + 63. */
#define SCRM__LOGHIST_BUCKETS (SCRM__LOGHIST_EXACT + SCRM__LOGHIST_SUB * 57u)

typedef struct scrm__loghist {
    uint64_t *counts; /* counts[i - lo] for buckets lo <= i < hi */
    uint32_t lo, hi;
    uint64_t n; /* total count */
} scrm__loghist;

static inline uint32_t scrm__loghist_index(uint64_t v)
{
    if (v < SCRM__LOGHIST_EXACT)
        return (uint32_t)v;
    unsigned e = scrm__log2_u64(v);
    return SCRM__LOGHIST_EXACT + SCRM__LOGHIST_SUB * (e - 7u) +
           (uint32_t)((v >> (e - 6u)) & (SCRM__LOGHIST_SUB - 1u));
}

/* Smallest and largest value of bucket i. */
void scrm__loghist_bounds(uint32_t i, uint64_t *lo, uint64_t *hi);
/* The representative (midpoint) of bucket i. */
double scrm__loghist_value(uint32_t i);

void scrm__loghist_init(scrm__loghist *h);
void scrm__loghist_free(scrm__loghist *h);
void scrm__loghist_clear(scrm__loghist *h); /* keeps the allocation */

/* Make room for bucket i. SCRM_ENOMEM leaves h unchanged. */
int scrm__loghist_grow(scrm__loghist *h, uint32_t i);

static inline int scrm__loghist_add(scrm__loghist *h, uint64_t v)
{
    uint32_t i = scrm__loghist_index(v);
    if (i < h->lo || i >= h->hi) {
        int st = scrm__loghist_grow(h, i);
        if (st != SCRM_OK)
            return st;
    }
    h->counts[i - h->lo]++;
    h->n++;
    return SCRM_OK;
}

/* h += o. SCRM_ENOMEM leaves h unchanged. */
int scrm__loghist_merge(scrm__loghist *h, const scrm__loghist *o);

/* Bucket holding the order statistic of 0-based rank r < h->n; *before
 * receives the count of values in lower buckets. */
uint32_t scrm__loghist_rank_bucket(const scrm__loghist *h, uint64_t rank, uint64_t *before);

/* The order statistic of rank r estimated by its bucket's representative,
 * clamped to the known [vmin, vmax] (clamping only moves it closer). */
double scrm__loghist_order_stat(const scrm__loghist *h, uint64_t rank, double vmin, double vmax);

/* Canonical encoding (trimmed to the nonzero buckets; varint counts), so
 * equal histograms serialize to equal bytes. */
void scrm__loghist_write(scrm__writer *w, const scrm__loghist *h);
/* Reads into an initialised, empty h. SCRM_ECORRUPT / SCRM_ENOMEM. */
int scrm__loghist_read(scrm__reader *r, scrm__loghist *h, const char *what);

/* Standalone byte string (envelope kind SCRM__KIND_HISTOGRAM). */
int scrm__loghist_serialize(const scrm__loghist *h, uint8_t *buf, size_t cap, size_t *out_len);
int scrm__loghist_deserialize(scrm__loghist *h, const uint8_t *buf, size_t len);

#endif /* SCRM_KPI_LOGHIST_H */
