/* Compensated (Neumaier) summation: sums of millions of doubles without the
 * O(n) error growth of a naive loop. Header-only so hot loops inline it. */
#ifndef SCRM_NUM_SUM_H
#define SCRM_NUM_SUM_H

#include <math.h>
#include <stddef.h>

typedef struct scrm__sum {
    double s; /* running sum */
    double c; /* running compensation */
} scrm__sum;

#define SCRM__SUM_INIT { 0.0, 0.0 }

static inline void scrm__sum_add(scrm__sum *acc, double x)
{
    double t = acc->s + x;
    if (fabs(acc->s) >= fabs(x))
        acc->c += (acc->s - t) + x;
    else
        acc->c += (x - t) + acc->s;
    acc->s = t;
}

/* Merge another accumulator (for mergeable KPI states). */
static inline void scrm__sum_merge(scrm__sum *acc, const scrm__sum *other)
{
    scrm__sum_add(acc, other->s);
    scrm__sum_add(acc, other->c);
}

static inline double scrm__sum_value(const scrm__sum *acc)
{
    return acc->s + acc->c;
}

/* Compensated sum of an array. */
double scrm__sum_array(const double *x, size_t n);

#endif /* SCRM_NUM_SUM_H */
