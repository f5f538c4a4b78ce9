/* sBG model internals shared by its kind entry (sbg.c) and its public
 * projections (sbg_api.c). */
#ifndef SCRM_CLV_SBG_H
#define SCRM_CLV_SBG_H

#include "clv/kinds.h"

/* log S(t) = log B(a, b + t) - log B(a, b), t >= 0. */
int scrm__sbg_log_survival(double a, double b, double t, double *out);

/* Discounted expected residual lifetime of a customer who has made `renewals`
 * renewals, in periods, discount rate per period d > -1 (Fader & Hardie 2010).
 * SCRM_EDOM when the sum diverges (d <= 0 with alpha <= 1, or d < 0). */
int scrm__sbg_derl(double a, double b, double renewals, double discount, double *out);

#endif /* SCRM_CLV_SBG_H */
