/* Pareto/NBD: Schmittlein, Morrison & Colombo (1987), "Counting your
 * customers: who are they and what will they do next?", Management Science
 * 33(1), 1-24, in the notation of Fader & Hardie (2005), "A note on deriving
 * the Pareto/NBD model and related expressions" (brucehardie.com/notes/009).
 * Parameters r, alpha (purchase rate ~ Gamma(r, alpha)), s, beta (dropout
 * rate ~ Gamma(s, beta)).
 *
 * Likelihood. The note (eq. 22-23) writes, with rsf = r + s + x,
 *   L = G(r+x) alpha^r beta^s / G(r) [ (alpha+T)^-(r+x) (beta+T)^-s + s/rsf A_0 ]
 * where A_0 is the DIFFERENCE of two 2F1 terms at t_x and at T (branches by
 * the sign of alpha - beta), which cancels when t_x ~ T and overflows for
 * large x. A_0 / rsf is the integral of (alpha+u)^-(r+x) (beta+u)^-(s+1) over
 * (t_x, T); integrating the first term by parts turns the bracket into a sum
 * of two POSITIVE terms (the same rearrangement as pymc-marketing's ParetoNBD):
 *   [...] = ((r+x) J(T) + s K(t_x)) / rsf,
 *   K(y) = rsf int_y^inf (alpha+u)^-(r+x) (beta+u)^-(s+1) du,
 *   J(y) = rsf int_y^inf (alpha+u)^-(r+x+1) (beta+u)^-s du.
 * With z = |alpha - beta| / (max(alpha, beta) + y) in [0, 1) and Euler's
 * transformation of the note's 2F1(rsf, .; rsf+1; z):
 *   alpha >= beta: K = (alpha+y)^-(r+x) (beta+y)^-s G(r+x),
 *                  J = (alpha+y)^-(r+x+1) (beta+y)^(1-s) G(r+x+1);
 *   alpha <  beta: K = (alpha+y)^(1-r-x) (beta+y)^-(s+1) G(s+1),
 *                  J = (alpha+y)^-(r+x) (beta+y)^-s G(s),
 * G(b) = 2F1(1, b; rsf+1; z) = sum_k (b)_k / (rsf+1)_k z^k: positive terms
 * falling at least as fast as z^k, summed together with the derivatives in
 * b, rsf+1 and z, so the gradient is analytic. Everything is in logs. For
 * z > 0.95 (alpha and beta far apart, young customers) the value comes from
 * the log-space 2F1 (connection formulas) and the b and c derivatives from
 * central differences of it (step 1e-5 relative); where those cancel (b and
 * c both large) the series is summed to up to 2e6 terms.
 *
 * Predictions (the note, sections 4-6): E[X(t)] = r beta / (alpha (s-1))
 * [1 - (beta/(beta+t))^(s-1)]; P(alive) = (alpha+T)^-(r+x) (beta+T)^-s rsf /
 * ((r+x) J(T) + s K(t_x)); E[Y(t) | x, t_x, T] = (r+x)(beta+T) / ((alpha+T)
 * (s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive); the factor
 * [1 - q^(s-1)]/(s-1) is evaluated as -expm1((s-1) log q)/(s-1), its limit
 * -log q at s = 1. */
#include "clv/paretonbd.h"
#include "clv/bgfamily.h"
#include "num/sf.h"
#include "num/sum.h"

#include <float.h>
#include <math.h>

#define Z_SERIES 0.95
#define MAX_TERMS 20000L
#define MAX_TERMS_FAR 2000000L

/* log G and dG/db / G, dG/dc / G, dG/dz / G. */
typedef struct gval {
    double lng, db, dc, dz;
} gval;

/* G(b, c, z) = 2F1(1, b; c; z) for 0 < b < c and 0 <= z <= Z_SERIES: the
 * terms t_k = (b)_k/(c)_k z^k are positive and fall by (b+k)/(c+k) z <= z.
 * The derivatives are the sums of t_k H_k(b), -t_k H_k(c) and k t_k / z with
 * H_k(v) = sum_{j<k} 1/(v+j). */
static int g_series(double b, double c, double z, int grad, long max_terms, gval *o)
{
    double t = 1.0, s0 = 0, sb = 0, sc = 0, sz = 0, hb = 0, hc = 0;
    double tail = 1.0 / ((1.0 - z) * (1.0 - z));
    long k;
    for (k = 0; k < max_terms; k++) {
        double dk = (double)k, bk = b + dk, ck = c + dk;
        double inv = 1.0 / (bk * ck);
        double rq = bk * bk * inv; /* (b+k)/(c+k) */
        s0 += t;
        if (grad) {
            sb += t * hb;
            sc += t * hc;
            sz += (dk + 1.0) * t * rq;
            hb += ck * inv;
            hc += bk * inv;
        }
        t *= rq * z;
        /* Tail bound of all four sums (the weights grow at most like k + H). */
        if (t * (dk + 2.0 + hb) * tail <= 1e-17 * s0)
            break;
    }
    if (k >= max_terms)
        return SCRM_EMAXITER;
    o->lng = log(s0);
    o->db = sb / s0;
    o->dc = -sc / s0;
    o->dz = sz / s0;
    return SCRM_OK;
}

static int g_log(double b, double c, double z, double *ln)
{
    double sg, rel;
    int st = scrm__hyperg_2F1_log(1.0, b, c, z, ln, &sg, &rel);
    if (st != SCRM_OK)
        return st;
    return sg > 0 ? SCRM_OK : SCRM_ELOSS;
}

/* z beyond the series range: log-space 2F1 (connection formulas). */
static int g_far(double b, double c, double z, int grad, gval *o)
{
    int st = g_log(b, c, z, &o->lng);
    if (st || !grad)
        return st;
    /* dG/dz = (b/c) 2F1(2, b+1; c+1; z). */
    double ln2, sg, rel, hp, hm, lp, lm;
    if ((st = scrm__hyperg_2F1_log(2.0, b + 1.0, c + 1.0, z, &ln2, &sg, &rel)))
        return st;
    o->dz = b / c * exp(ln2 - o->lng);
    hp = 1e-5 * fmax(1.0, b);
    hm = fmin(hp, 0.5 * b); /* stay in b > 0 */
    if ((st = g_log(b + hp, c, z, &lp)) || (st = g_log(b - hm, c, z, &lm)))
        return st;
    o->db = (lp - lm) / (hp + hm);
    hp = 1e-5 * fmax(1.0, c);
    hm = fmin(hp, 0.5 * (c - b)); /* stay in c > b */
    if ((st = g_log(b, c + hp, z, &lp)) || (st = g_log(b, c - hm, z, &lm)))
        return st;
    o->dc = (lp - lm) / (hp + hm);
    return SCRM_OK;
}

static int gfun(double b, double c, double z, int grad, gval *o)
{
    if (z <= Z_SERIES)
        return g_series(b, c, z, grad, MAX_TERMS, o);
    /* The connection formulas cancel when b and c are both large (heavy
     * buyers); the series still converges there, only slowly. */
    if (g_far(b, c, z, grad, o) == SCRM_OK)
        return SCRM_OK;
    return g_series(b, c, z, grad, MAX_TERMS_FAR, o);
}

/* log K(y) (j = 0) or log J(y) (j = 1) and their derivatives in
 * (r, alpha, s, beta); c = r + s + x + 1. */
typedef struct lterm {
    double v;
    double d[4];
} lterm;

static int term_logs(const double *p, double x, double y, double lA, double lB, int j, int grad,
                     lterm *o)
{
    double r = p[0], al = p[1], s = p[2], be = p[3];
    double A = al + y, B = be + y;
    double rx = r + x, c = rx + s + 1.0, ea, eb;
    gval g;
    int st;
    if (al >= be) {
        /* A^-ea B^-eb G(b), z = 1 - B/A */
        ea = j ? rx + 1.0 : rx;
        eb = j ? s - 1.0 : s;
        if ((st = gfun(j ? rx + 1.0 : rx, c, (al - be) / A, grad, &g)))
            return st;
        if (grad) {
            o->d[0] = -lA + g.db + g.dc;
            o->d[1] = -ea / A + g.dz * B / (A * A);
            o->d[2] = -lB + g.dc;
            o->d[3] = -eb / B - g.dz / A;
        }
    } else {
        /* z = 1 - A/B */
        ea = j ? rx : rx - 1.0;
        eb = j ? s : s + 1.0;
        if ((st = gfun(j ? s : s + 1.0, c, (be - al) / B, grad, &g)))
            return st;
        if (grad) {
            o->d[0] = -lA + g.dc;
            o->d[1] = -ea / A - g.dz / B;
            o->d[2] = -lB + g.db + g.dc;
            o->d[3] = -eb / B + g.dz * A / (B * B);
        }
    }
    o->v = -ea * lA - eb * lB + g.lng;
    return SCRM_OK;
}

static int term(const double *p, double x, double y, int j, int grad, lterm *o)
{
    return term_logs(p, x, y, log(p[1] + y), log(p[3] + y), j, grad, o);
}

static int check_row(double x, double tx, double T, double m, int fitting, const char **why)
{
    return scrm__clv_check_rfm(x, tx, T, m, fitting, why);
}

static void start(const scrm__clv_rows *rows, double *p)
{
    (void)rows;
    p[0] = p[1] = p[2] = p[3] = 1.0;
}

/* log(e^u + e^v) and the weight e^(u - result) of u. */
static double lse2(double u, double v, double *wu)
{
    double e = exp(-fabs(u - v));
    double inv = 1.0 / (1.0 + e);
    *wu = u >= v ? inv : e * inv;
    return fmax(u, v) + log(1.0 + e);
}

static int loglik(const double *p, const scrm__clv_rows *rows, double *ll, double *grad)
{
    double r = p[0], al = p[1], s = p[2], be = p[3];
    double lgr, sg, psir;
    if (scrm__lgamma_sgn(r, &lgr, &sg) || scrm__digamma(r, &psir))
        return SCRM_EDOM;
    int want = grad != NULL, st;
    /* Per distinct x: [0] ln G(r+x) - ln G(r), [1] psi(r+x) - psi(r),
     * [2] ln rsf, [3] 1/rsf, [4] ln(r+x), [5] 1/(r+x). */
    for (size_t j = 0; j < rows->nx; j++) {
        double x = rows->xs[j], *sc = rows->scratch + j * SCRM__CLV_SCRATCH, lg, ps;
        if (scrm__lgamma_sgn(r + x, &lg, &sg) || scrm__digamma(r + x, &ps))
            return SCRM_EDOM;
        sc[0] = lg - lgr;
        sc[1] = ps - psir;
        sc[2] = log(r + s + x);
        sc[3] = 1.0 / (r + s + x);
        sc[4] = log(r + x);
        sc[5] = 1.0 / (r + x);
    }
    /* Every x = 0 row has t_x = 0: K(0) is shared. */
    lterm K0;
    int have_k0 = rows->nx > 0 && rows->xs[0] == 0.0;
    if (have_k0 && (st = term(p, 0.0, 0.0, 0, want, &K0)))
        return st;
    double lal = log(al), lbe = log(be), ls = log(s), inv_s = 1.0 / s;
    /* log(alpha + t), log(beta + t) once per distinct time when times repeat. */
    double *la = rows->tv ? rows->tv_scratch : NULL, *lb = la ? la + rows->ntv : NULL;
    if (la)
        for (size_t j = 0; j < rows->ntv; j++) {
            la[j] = log(al + rows->tv[j]);
            lb[j] = log(be + rows->tv[j]);
        }
    scrm__sum acc = SCRM__SUM_INIT;
    double g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    for (size_t i = 0; i < rows->n; i++) {
        const double *sc = rows->scratch + (size_t)rows->xi[i] * SCRM__CLV_SCRATCH;
        double x = rows->x[i], w = rows->w[i], tx = rows->tx[i], T = rows->T[i];
        lterm K, J;
        if (x == 0.0 && have_k0)
            K = K0;
        else if ((st = la ? term_logs(p, x, tx, la[rows->itx[i]], lb[rows->itx[i]], 0, want, &K)
                          : term(p, x, tx, 0, want, &K)))
            return st;
        if ((st = la ? term_logs(p, x, T, la[rows->iT[i]], lb[rows->iT[i]], 1, want, &J)
                     : term(p, x, T, 1, want, &J)))
            return st;
        double pj, u = sc[4] + J.v, v = ls + K.v;
        double lbr = lse2(u, v, &pj), pk = 1.0 - pj;
        scrm__sum_add(&acc, w * (sc[0] + r * lal + s * lbe - sc[2] + lbr));
        if (want) {
            g0 += w * (sc[1] + lal - sc[3] + pj * (sc[5] + J.d[0]) + pk * K.d[0]);
            g1 += w * (pj * J.d[1] + pk * K.d[1]);
            g2 += w * (lbe - sc[3] + pj * J.d[2] + pk * (inv_s + K.d[2]));
            g3 += w * (pj * J.d[3] + pk * K.d[3]);
        }
    }
    *ll = scrm__sum_value(&acc);
    if (want) {
        /* r/alpha and s/beta summed once. */
        grad[0] = r * g0;
        grad[1] = al * g1 + r * rows->wsum;
        grad[2] = s * g2;
        grad[3] = be * g3 + s * rows->wsum;
    }
    return isfinite(*ll) ? SCRM_OK : SCRM_EDOM;
}

/* [1 - q^e] / e with log q = -L (L >= 0), and its limit L at e = 0. */
static double one_minus_pow_over(double e, double L)
{
    return e != 0.0 ? -expm1(-e * L) / e : L;
}

static int expected(const double *p, double t, double *out)
{
    double r = p[0], al = p[1], s = p[2], be = p[3];
    *out = r * be / al * one_minus_pow_over(s - 1.0, log1p(t / be));
    return SCRM_OK;
}

static int log_p_alive(const double *p, double x, double tx, double T, double *out)
{
    double r = p[0], al = p[1], s = p[2], be = p[3], wj;
    lterm K, J;
    int st;
    if ((st = term(p, x, tx, 0, 0, &K)) || (st = term(p, x, T, 1, 0, &J)))
        return st;
    double lb = lse2(log(r + x) + J.v, log(s) + K.v, &wj);
    double la = log(r + s + x) - (r + x) * log(al + T) - s * log(be + T) - lb;
    *out = fmin(0.0, la);
    return SCRM_OK;
}

static int p_alive(const double *p, double x, double tx, double T, double *out)
{
    double la;
    int st = log_p_alive(p, x, tx, T, &la);
    if (!st)
        *out = exp(la);
    return st;
}

static int cond_alive(const double *p, double t, double x, double T, double *out)
{
    double r = p[0], al = p[1], s = p[2], be = p[3];
    *out = (r + x) * (be + T) / (al + T) * one_minus_pow_over(s - 1.0, log1p(t / (be + T)));
    return SCRM_OK;
}

static int cond_expected(const double *p, double t, double x, double tx, double T, double *out)
{
    double la, e;
    int st = log_p_alive(p, x, tx, T, &la);
    if (!st)
        st = cond_alive(p, t, x, T, &e);
    if (!st)
        *out = e * exp(la);
    return st;
}

const scrm__clv_kind scrm__clv_pareto_nbd = {
    .kind = SCRM_CLV_PARETO_NBD,
    .name = "Pareto/NBD",
    .n_params = 4,
    .param_names = {"r", "alpha", "s", "beta"},
    .inputs = SCRM__CLV_IN_FREQUENCY | SCRM__CLV_IN_RECENCY | SCRM__CLV_IN_AGE,
    .time_params = (1u << 1) | (1u << 3),
    .money_params = 0,
    .check_row = check_row,
    .start = start,
    .loglik = loglik,
    .expected = expected,
    .cond_expected = cond_expected,
    .p_alive = p_alive,
    .pmf = scrm__clv_pnbd_pmf,
    .spend = NULL,
    .cond_alive = cond_alive,
};
