/* The hot loop of scrm_nps_add_scores: validate scores and bucket them. */
#include "nps_internal.h"

#include <string.h>

/* Scores are doubles, so a score is valid when 0 <= x <= 10 and x converts to
 * an integer exactly. The loop is branch-free: bad scores are folded into a
 * flag (and bucketed harmlessly into 0) and located by a second, scalar pass
 * only on failure. Four histograms break the store-to-load dependency between
 * consecutive increments of the same bucket. */
static inline int bucket(double x, unsigned *bad)
{
    int in_range = (x >= 0.0) & (x <= 10.0); /* false for NaN */
    double c = in_range ? x : 0.0;           /* keeps the conversion defined */
    int b = (int)c;
    *bad |= (unsigned)!in_range | (unsigned)((double)b != c);
    return b;
}

size_t scrm__nps_histogram(const double *scores, size_t n, uint64_t *counts)
{
    uint64_t h[4][16];
    memset(h, 0, sizeof h);
    unsigned bad = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        int b0 = bucket(scores[i], &bad);
        int b1 = bucket(scores[i + 1], &bad);
        int b2 = bucket(scores[i + 2], &bad);
        int b3 = bucket(scores[i + 3], &bad);
        h[0][b0]++;
        h[1][b1]++;
        h[2][b2]++;
        h[3][b3]++;
    }
    for (; i < n; i++)
        h[0][bucket(scores[i], &bad)]++;
    if (bad) {
        for (i = 0; i < n; i++)
            if (scrm__nps_score(scores[i]) < 0)
                return i;
    }
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        counts[s] += h[0][s] + h[1][s] + h[2][s] + h[3][s];
    return n;
}
