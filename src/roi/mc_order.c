/* Monte Carlo order statistics: percentiles of the draws by selection
 * (Hoare's FIND with Wirth's partition, several positions at once) instead of
 * a full sort. */
#include "roi/mc_internal.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* k-th smallest of a[0..n) (0-based), leaving a partitioned around position k:
 * Hoare/Wirth selection with a median-of-three pivot, falling back to a full
 * sort of the remaining range if it degenerates. */
static void select_range(double *a, int64_t l, int64_t r, int64_t k)
{
    int rounds = 0;
    while (l < r) {
        if (++rounds > 128) {
            qsort(a + l, (size_t)(r - l + 1), sizeof *a, cmp_double);
            return;
        }
        double x1 = a[l], x2 = a[l + (r - l) / 2], x3 = a[r];
        double x = x1 < x2 ? (x2 < x3 ? x2 : (x1 < x3 ? x3 : x1))
                           : (x1 < x3 ? x1 : (x2 < x3 ? x3 : x2));
        int64_t i = l, j = r;
        do {
            while (a[i] < x)
                i++;
            while (x < a[j])
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < k)
            l = i;
        if (k < i)
            r = j;
    }
}

/* Put the order statistics of the sorted positions ks[0..nk) in place within
 * a[l..r], each selection narrowing the range of the next ones. */
static void multi_select(double *a, int64_t l, int64_t r, const int64_t *ks, size_t nk)
{
    if (nk == 0 || l >= r)
        return;
    size_t mid = nk / 2;
    int64_t k = ks[mid];
    select_range(a, l, r, k);
    multi_select(a, l, k - 1, ks, mid);
    multi_select(a, k + 1, r, ks + mid + 1, nk - mid - 1);
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

void scrm__mc_percentiles(double *a, size_t n, const double *probs, size_t np, double *out,
                          int64_t *idx)
{
    size_t ni = 0;
    for (size_t i = 0; i < np; i++) {
        size_t lo = (size_t)floor((double)(n - 1) * probs[i]);
        idx[ni++] = (int64_t)lo;
        if (lo + 1 < n)
            idx[ni++] = (int64_t)lo + 1;
    }
    qsort(idx, ni, sizeof *idx, cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < ni; i++)
        if (u == 0 || idx[i] != idx[u - 1])
            idx[u++] = idx[i];
    multi_select(a, 0, (int64_t)n - 1, idx, u);
    for (size_t i = 0; i < np; i++) {
        double h = (double)(n - 1) * probs[i];
        size_t lo = (size_t)floor(h);
        double frac = h - (double)lo, vlo = a[lo];
        if (frac == 0.0 || lo + 1 >= n || a[lo + 1] == vlo)
            out[i] = vlo;
        else
            out[i] = vlo + frac * (a[lo + 1] - vlo);
    }
}
