/* Out-of-line compensated sum of an array. */
#include "num/sum.h"

#include <stddef.h>

double scrm__sum_array(const double *x, size_t n)
{
    scrm__sum acc = SCRM__SUM_INIT;
    for (size_t i = 0; i < n; i++)
        scrm__sum_add(&acc, x[i]);
    return scrm__sum_value(&acc);
}
