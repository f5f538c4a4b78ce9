/* Shared pieces of the BG/NBD and MBG/NBD models (bgfamily.c, bgq.c).
 * `modified` selects MBG/NBD. */
#ifndef SCRM_CLV_BGFAMILY_H
#define SCRM_CLV_BGFAMILY_H

#include "clv/kinds.h"

/* Row rules shared by the continuous-time transaction models. */
int scrm__clv_check_rfm(double x, double tx, double T, double m, int fitting, const char **why);

int scrm__clv_bg_loglik(const double *p, const scrm__clv_rows *rows, int modified, double *ll,
                        double *grad);
double scrm__clv_bg_palive(const double *p, double x, double tx, double T, int modified);
int scrm__clv_bg_pmf(const double *p, double t, double n, int modified, double *out);

/* P(N >= n) for N ~ NB(r, q) with pmf G(r+j)/(G(r) j!) (1-q)^r q^j. */
int scrm__clv_nb_tail(double r, double q, double n, double *out);

#endif /* SCRM_CLV_BGFAMILY_H */
