/* BFGS with a strong-Wolfe line search (Nocedal & Wright, Numerical
 * Optimization, 2nd ed., Algorithms 3.5, 3.6 and 6.1). Two additions keep it
 * from the "precision loss" stops of other implementations:
 *  - Hager & Zhang's approximate Wolfe test (SIAM J. Optim. 16(1), 2005): near
 *    the optimum, where f no longer changes by more than its rounding, a step
 *    is accepted on the directional derivative alone;
 *  - a restart from a scaled identity when the line search fails once. */
#include "num/optim.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define C1 1e-4
#define C2 0.9
#define AW_HI 0.8 /* (1 - 2 delta) with delta = 0.1 */
#define LS_MAX_EVALS 40
#define MAX_STEP 5.0 /* largest move of any coordinate in one step */

typedef struct point {
    double x[SCRM__OPTIM_MAX_N];
    double g[SCRM__OPTIM_MAX_N];
    double f;
} point;

typedef struct ls_ctx {
    scrm__objective_fn fn;
    void *ctx;
    int n;
    const point *base;
    const double *d;
    double f0, dphi0, eps_f;
    int evals;
} ls_ctx;

static double dot(int n, const double *a, const double *b)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double maxabs(int n, const double *a)
{
    double m = 0.0;
    for (int i = 0; i < n; i++)
        m = fmax(m, fabs(a[i]));
    return m;
}

/* Evaluate at base + a d; returns 0 when f and g are finite. */
static int eval_at(ls_ctx *c, double a, point *p, double *dphi)
{
    for (int i = 0; i < c->n; i++)
        p->x[i] = c->base->x[i] + a * c->d[i];
    c->evals++;
    if (c->fn(c->ctx, p->x, &p->f, p->g) != SCRM_OK || !isfinite(p->f))
        return -1;
    for (int i = 0; i < c->n; i++)
        if (!isfinite(p->g[i]))
            return -1;
    *dphi = dot(c->n, p->g, c->d);
    return 0;
}

static int wolfe_ok(const ls_ctx *c, double f, double dphi)
{
    (void)f;
    return fabs(dphi) <= -C2 * c->dphi0;
}

static int approx_wolfe_ok(const ls_ctx *c, double f, double dphi)
{
    return f <= c->f0 + c->eps_f && dphi >= C2 * c->dphi0 && dphi <= -AW_HI * c->dphi0;
}

/* Minimiser of the cubic through (a, fa, da), (b, fb, db), or (double)NAN. */
static double cubic_min(double a, double fa, double da, double b, double fb, double db)
{
    double d1 = da + db - 3.0 * (fa - fb) / (a - b);
    double disc = d1 * d1 - da * db;
    if (!(disc >= 0))
        return (double)NAN;
    double d2 = copysign(sqrt(disc), b - a);
    return b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2);
}

/* Zoom between lo (satisfies sufficient decrease) and hi. */
static int zoom(ls_ctx *c, double lo, point *plo, double dlo, double hi, double fhi, double dhi,
                int hi_valid, point *out)
{
    point trial;
    while (c->evals < LS_MAX_EVALS) {
        double w = hi - lo, a = (double)NAN;
        if (hi_valid)
            a = cubic_min(lo, plo->f, dlo, hi, fhi, dhi);
        if (!(isfinite(a)) || fabs(a - lo) < 0.1 * fabs(w) || fabs(hi - a) < 0.1 * fabs(w))
            a = lo + 0.5 * w;
        if (fabs(w) <= 1e-16 * fmax(1.0, fabs(lo)))
            break;
        double da;
        if (eval_at(c, a, &trial, &da) != 0) {
            hi = a;
            hi_valid = 0;
            continue;
        }
        if (trial.f > c->f0 + C1 * a * c->dphi0 || trial.f >= plo->f) {
            if (approx_wolfe_ok(c, trial.f, da)) {
                *out = trial;
                return 0;
            }
            hi = a;
            fhi = trial.f;
            dhi = da;
            hi_valid = 1;
        } else {
            if (wolfe_ok(c, trial.f, da) || approx_wolfe_ok(c, trial.f, da)) {
                *out = trial;
                return 0;
            }
            if (da * (hi - lo) >= 0) {
                hi = lo;
                fhi = plo->f;
                dhi = dlo;
                hi_valid = 1;
            }
            lo = a;
            *plo = trial;
            dlo = da;
        }
    }
    /* Out of evaluations: take lo if it decreased f at all. */
    if (lo > 0 && plo->f < c->f0) {
        *out = *plo;
        return 0;
    }
    return -1;
}

static int line_search(ls_ctx *c, double a_max, point *out)
{
    point prev = *c->base, cur;
    double a_prev = 0.0, d_prev = c->dphi0;
    double a = fmin(1.0, a_max);
    for (int i = 0; c->evals < LS_MAX_EVALS; i++) {
        double da;
        if (eval_at(c, a, &cur, &da) != 0) {
            /* Cannot evaluate there: treat as too far. */
            return zoom(c, a_prev, &prev, d_prev, a, (double)INFINITY, 0, 0, out);
        }
        if (cur.f > c->f0 + C1 * a * c->dphi0 || (i > 0 && cur.f >= prev.f)) {
            if (approx_wolfe_ok(c, cur.f, da)) {
                *out = cur;
                return 0;
            }
            return zoom(c, a_prev, &prev, d_prev, a, cur.f, da, 1, out);
        }
        if (wolfe_ok(c, cur.f, da) || approx_wolfe_ok(c, cur.f, da)) {
            *out = cur;
            return 0;
        }
        if (da >= 0)
            return zoom(c, a, &cur, da, a_prev, prev.f, d_prev, 1, out);
        if (a >= a_max) {
            *out = cur; /* decreasing all the way to the cap: take it */
            return 0;
        }
        a_prev = a;
        prev = cur;
        d_prev = da;
        a = fmin(2.0 * a, a_max);
    }
    return -1;
}

static void set_identity(int n, double *H, double scale)
{
    memset(H, 0, sizeof(double) * (size_t)(n * n));
    for (int i = 0; i < n; i++)
        H[i * n + i] = scale;
}

/* Steepest descent from a scaled identity: H = I / max(1, |g|_inf), d = -H g.
 * Returns the directional derivative g'd. */
static double steepest(int n, double *H, const double *g, double gnorm, double *d)
{
    set_identity(n, H, 1.0 / fmax(1.0, gnorm));
    for (int i = 0; i < n; i++)
        d[i] = -H[i * n + i] * g[i];
    return dot(n, g, d);
}

/* The quasi-Newton step from cur: a line search along -H g (or along steepest
 * descent when that is not a descent direction), retried once along steepest
 * descent when it fails. Returns 0 with *next, or nonzero (no step found);
 * counts evaluations in r and sets *just_reset when H was reset. */
static int step(scrm__objective_fn fn, void *ctx, int n, double *H, point *cur, double gnorm,
                int *just_reset, point *next, scrm__optim_result *r)
{
    double d[SCRM__OPTIM_MAX_N];
    for (int i = 0; i < n; i++)
        d[i] = -dot(n, H + i * n, cur->g);
    double dphi0 = dot(n, cur->g, d);
    if (!(dphi0 < 0)) {
        dphi0 = steepest(n, H, cur->g, gnorm, d);
        *just_reset = 1;
    }
    double dmax = maxabs(n, d);
    ls_ctx lc = {fn, ctx, n, cur, d, cur->f, dphi0, 1e-12 * fabs(cur->f), 0};
    int ls = line_search(&lc, dmax > 0 ? fmin(1e10, MAX_STEP / dmax) : 1.0, next);
    if (ls != 0 && dmax * 1.0 < MAX_STEP && !*just_reset) {
        /* Retry once along the steepest descent from a scaled identity. */
        r->evaluations += lc.evals;
        lc.dphi0 = steepest(n, H, cur->g, gnorm, d);
        lc.evals = 0;
        dmax = maxabs(n, d);
        ls = line_search(&lc, fmin(1e10, MAX_STEP / dmax), next);
        *just_reset = 1;
    }
    r->evaluations += lc.evals;
    return ls;
}

/* BFGS update of the inverse Hessian for the step cur -> next (Nocedal &
 * Wright, eq. 6.17), skipped unless the curvature s'y is safely positive.
 * Before the first update (or after a reset) H is rescaled to (s'y / y'y) I
 * (eq. 6.20); *scaled records that. */
static void update_inverse(int n, double *H, const point *cur, const point *next, int *scaled,
                           int just_reset)
{
    double s[SCRM__OPTIM_MAX_N], y[SCRM__OPTIM_MAX_N];
    for (int i = 0; i < n; i++) {
        s[i] = next->x[i] - cur->x[i];
        y[i] = next->g[i] - cur->g[i];
    }
    double sy = dot(n, s, y), yy = dot(n, y, y);
    if (!(sy > 1e-300 && sy > 1e-12 * sqrt(dot(n, s, s) * yy)))
        return;
    if (!*scaled || just_reset) {
        set_identity(n, H, sy / yy);
        *scaled = 1;
    }
    /* H = (I - rho s y') H (I - rho y s') + rho s s' */
    double rho = 1.0 / sy, Hy[SCRM__OPTIM_MAX_N];
    for (int i = 0; i < n; i++)
        Hy[i] = dot(n, H + i * n, y);
    double yHy = dot(n, y, Hy);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            H[i * n + j] += rho * ((1.0 + rho * yHy) * s[i] * s[j] - Hy[i] * s[j] - s[i] * Hy[j]);
}

int scrm__bfgs(scrm__objective_fn fn, void *ctx, double *x, const scrm__optim_options *o,
               scrm__optim_result *r)
{
    int n = o->n;
    memset(r, 0, sizeof *r);
    if (n < 1 || n > SCRM__OPTIM_MAX_N)
        return SCRM_EINVAL;
    double *H = r->inv_hessian;
    point cur;
    memcpy(cur.x, x, sizeof(double) * (size_t)n);
    int st = fn(ctx, cur.x, &cur.f, cur.g);
    r->evaluations = 1;
    if (st != SCRM_OK || !isfinite(cur.f) || !isfinite(maxabs(n, cur.g)))
        return st != SCRM_OK ? st : SCRM_EDOM;
    int scaled = o->inv_hessian != NULL;
    if (scaled)
        memcpy(H, o->inv_hessian, sizeof(double) * (size_t)(n * n));
    else
        set_identity(n, H, 1.0);
    int status = SCRM_EMAXITER, just_reset = 0, it = 0;
    for (;;) {
        double gnorm = maxabs(n, cur.g);
        r->gnorm = gnorm;
        if (gnorm <= o->gtol) {
            status = SCRM_OK;
            r->converged = 1;
            break;
        }
        if (it >= o->max_iter)
            break;
        if (o->progress && o->progress(o->user, it, cur.f, gnorm, cur.x) != 0) {
            r->stopped = 1;
            break;
        }
        point next;
        if (step(fn, ctx, n, H, &cur, gnorm, &just_reset, &next, r) != 0) {
            status = SCRM_ELOSS;
            break;
        }
        it++;
        update_inverse(n, H, &cur, &next, &scaled, just_reset);
        just_reset = 0;
        cur = next;
    }
    memcpy(x, cur.x, sizeof(double) * (size_t)n);
    memcpy(r->g, cur.g, sizeof(double) * (size_t)n);
    r->f = cur.f;
    r->iterations = it;
    return status;
}

int scrm__hessian_fd(scrm__objective_fn fn, void *ctx, int n, const double *x, double step,
                     double *H)
{
    double xp[SCRM__OPTIM_MAX_N], gp[SCRM__OPTIM_MAX_N], gm[SCRM__OPTIM_MAX_N], f;
    for (int j = 0; j < n; j++) {
        double h = step * fmax(1.0, fabs(x[j]));
        memcpy(xp, x, sizeof(double) * (size_t)n);
        xp[j] = x[j] + h;
        int st = fn(ctx, xp, &f, gp);
        if (st != SCRM_OK)
            return st;
        xp[j] = x[j] - h;
        st = fn(ctx, xp, &f, gm);
        if (st != SCRM_OK)
            return st;
        for (int i = 0; i < n; i++)
            H[i * n + j] = (gp[i] - gm[i]) / (2.0 * h);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            double m = 0.5 * (H[i * n + j] + H[j * n + i]);
            H[i * n + j] = H[j * n + i] = m;
        }
    return SCRM_OK;
}

int scrm__hessian_fd_forward(scrm__objective_fn fn, void *ctx, int n, const double *x,
                             const double *g0, double step, double *H)
{
    double xp[SCRM__OPTIM_MAX_N], gp[SCRM__OPTIM_MAX_N], f;
    for (int j = 0; j < n; j++) {
        double h = step * fmax(1.0, fabs(x[j]));
        memcpy(xp, x, sizeof(double) * (size_t)n);
        xp[j] = x[j] + h;
        h = xp[j] - x[j]; /* the step actually taken */
        int st = fn(ctx, xp, &f, gp);
        if (st != SCRM_OK)
            return st;
        for (int i = 0; i < n; i++)
            H[i * n + j] = (gp[i] - g0[i]) / h;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            double m = 0.5 * (H[i * n + j] + H[j * n + i]);
            H[i * n + j] = H[j * n + i] = m;
        }
    return SCRM_OK;
}

int scrm__spd_inverse(int n, double *A)
{
    double L[SCRM__OPTIM_MAX_N * SCRM__OPTIM_MAX_N] = {0};
    for (int j = 0; j < n; j++) {
        double s = A[j * n + j];
        for (int k = 0; k < j; k++)
            s -= L[j * n + k] * L[j * n + k];
        if (!(s > 0) || !isfinite(s))
            return SCRM_EDOM;
        L[j * n + j] = sqrt(s);
        for (int i = j + 1; i < n; i++) {
            double t = A[i * n + j];
            for (int k = 0; k < j; k++)
                t -= L[i * n + k] * L[j * n + k];
            L[i * n + j] = t / L[j * n + j];
        }
    }
    /* inv(L) by forward substitution, then A^-1 = inv(L)' inv(L). */
    double Li[SCRM__OPTIM_MAX_N * SCRM__OPTIM_MAX_N] = {0};
    for (int i = 0; i < n; i++) {
        Li[i * n + i] = 1.0 / L[i * n + i];
        for (int j = 0; j < i; j++) {
            double t = 0.0;
            for (int k = j; k < i; k++)
                t -= L[i * n + k] * Li[k * n + j];
            Li[i * n + j] = t / L[i * n + i];
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double t = 0.0;
            for (int k = i; k < n; k++)
                t += Li[k * n + i] * Li[k * n + j];
            A[i * n + j] = A[j * n + i] = t;
        }
    return SCRM_OK;
}
