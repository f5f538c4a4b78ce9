/* Pareto/NBD pieces shared between paretonbd.c (likelihood, P(alive),
 * expectations) and paretonbd_pmf.c (P(X(t) = n)). */
#ifndef SCRM_CLV_PARETONBD_H
#define SCRM_CLV_PARETONBD_H

#include "clv/kinds.h"

/* P(X(t) = n) of a new customer; p = (r, alpha, s, beta). */
int scrm__clv_pnbd_pmf(const double *p, double t, double n, double *out);

#endif /* SCRM_CLV_PARETONBD_H */
