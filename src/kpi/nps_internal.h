/* Private pieces of the NPS calculator shared by its source files:
 *   nps.c            lifecycle, add, merge, finalize
 *   nps_bytes.c      serialize / deserialize through the accumulator descriptor
 *   nps_dataset.c    compute from a dataset (overall, by segment, by period)
 *   nps_histogram.c  the hot loop: validate scores and bucket them (AVX path)
 *   nps_inference.c  estimate, standard error, interval, two-sample test
 *   nps_referral.c   the intent-versus-referral funnel (its own accumulator) */
#ifndef SCRM_KPI_NPS_INTERNAL_H
#define SCRM_KPI_NPS_INTERNAL_H

#include "core/internal.h"

#include <stdint.h>

struct scrm_nps {
    scrm_nps_options opts;
    uint64_t counts[SCRM_NPS_SCORES]; /* responses per score 0..10 */
};

/* Validate options (version, bands, level, method); `fn` names the caller in
 * messages. SCRM_EVERSION or SCRM_EINVAL on failure. */
int scrm__nps_check_options(const scrm_nps_options *o, const char *fn);

/* Score 0..10 of x, or -1 when x is not an integer in 0..10 (NaN included). */
static inline int scrm__nps_score(double x)
{
    if (!(x >= 0.0 && x <= 10.0))
        return -1;
    int s = (int)x;
    return (double)s == x ? s : -1;
}

/* Add the histogram of scores[0..n) to counts (11 entries) if every score is
 * an integer 0..10; otherwise leave counts untouched and return the index of
 * the first bad score. Returns n when all were valid. Counts cannot overflow
 * here: n < 2^64 and the caller checks the running total. */
size_t scrm__nps_histogram(const double *scores, size_t n, uint64_t *counts);
/* The same through the portable implementation only (tests compare the two). */
size_t scrm__nps_histogram_portable(const double *scores, size_t n, uint64_t *counts);

/* dst += src for 11 counts; SCRM_ERANGE (dst unchanged) if any total would
 * exceed UINT64_MAX, else SCRM_OK. `fn` names the caller. */
int scrm__nps_counts_add(uint64_t *dst, const uint64_t *src, const char *fn);

/* Result of a non-empty histogram under valid options (n > 0 required). */
void scrm__nps_result(const scrm_nps_options *o, const uint64_t *counts, scrm_nps_result *out);

/* Point estimate and SE (both on the -100..100 scale) for P promoters and D
 * detractors out of n, by `method`: Wald uses the raw proportions, adjusted
 * Wald adds 0.75 / 0.75 / 3 first (Rocks 2016). */
void scrm__nps_estimate(double promoters, double detractors, double n, int32_t method,
                        double *center, double *se);

#endif /* SCRM_KPI_NPS_INTERNAL_H */
