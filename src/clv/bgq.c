/* Shared numerics of the BG/NBD family (BG/NBD, MBG/NBD) and of the NBD
 * purchase-count distribution.
 *
 * The expectations of both models reduce (Euler's transform of the 2F1 in
 * FHL 2005 eq. 9/10) to
 *     Q = (C/eps) [1 - (1-z)^eps 2F1(A, eps; C; z)],   z = u/(1+u), eps = a - 1.
 * Expanding 2F1 and cancelling the leading 1 gives
 *     Q = -C expm1(eps L)/eps - e^(eps L) sum_{k>=1} u_k,   L = log(1 - z),
 *     u_1 = A z,  u_{k+1} = u_k (A+k)(eps+k) z / ((C+k)(k+1)),
 * which has no 0/0 at a = 1 and no pole at C = a + b - 1 = 0 (a + b < 1 is
 * fine), unlike the textbook form. For z > 0.98 (horizon beyond 49 times
 * alpha + T) the connection formulas of the general 2F1 are used instead. */
#include "clv/kinds.h"
#include "num/sf.h"

#include <float.h>
#include <math.h>

#define Z_SERIES 0.98
#define MAX_TERMS 1000000L

static int q_series(double A, double eps, double C, double z, double L, long max_terms,
                    double *out)
{
    double lead = eps != 0.0 ? -C * expm1(eps * L) / eps : -C * L;
    double term = A * z, sum = 0.0;
    double kmin = fmax(fabs(A), fmax(fabs(eps), fabs(C))) + 1.0;
    long k;
    for (k = 1; k < max_terms && term != 0.0; k++) {
        sum += term;
        double dk = (double)k;
        double ratio = (A + dk) * (eps + dk) * z / ((C + dk) * (dk + 1.0));
        term *= ratio;
        if (dk > kmin) {
            double rho = fmax(fabs(ratio), z);
            if (rho < 1 && fabs(term) <= 0.25 * DBL_EPSILON * (1 - rho) * fabs(sum))
                break;
        }
    }
    if (k >= max_terms)
        return SCRM_EMAXITER;
    *out = lead - exp(eps * L) * sum;
    return SCRM_OK;
}

static int q_closed(double A, double eps, double C, double z, double L, double *out)
{
    double ln, sgn, rel;
    int st = scrm__hyperg_2F1_log(A, eps, C, z, &ln, &sgn, &rel);
    if (st != SCRM_OK)
        return st;
    /* 1 - e^(eps L) F: use expm1 when the product is near 1. */
    double e = eps * L + ln;
    double one_minus = sgn > 0 ? -expm1(e) : 1.0 + exp(e);
    *out = C / eps * one_minus;
    return SCRM_OK;
}

int scrm__clv_bg_q(double A, double eps, double C, double u, double *out)
{
    if (u == 0.0) {
        *out = 0.0;
        return SCRM_OK;
    }
    double z = u / (1.0 + u), L = -log1p(u);
    if (z <= Z_SERIES || C < 0.5)
        return q_series(A, eps, C, z, L, MAX_TERMS, out);
    if (fabs(eps) >= 1e-5)
        return q_closed(A, eps, C, z, L, out);
    /* a within 1e-5 of 1: mean of the two sides (error O(1e-10)). */
    double q1, q2;
    int st = q_closed(A, eps + 1e-5, C, z, L, &q1);
    if (!st)
        st = q_closed(A, eps - 1e-5, C, z, L, &q2);
    if (!st)
        *out = 0.5 * (q1 + q2);
    return st;
}
