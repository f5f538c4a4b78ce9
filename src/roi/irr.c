/* Every IRR of a cash-flow vector by bracketing and Brent's method
 * (METRICS.md 6.3: scan NPV sign changes, then a safeguarded solver; report all
 * roots). Works on the polynomial P(x) = sum v[t] x^t with x = 1 / (1 + r), so
 * the whole domain r > -1 is x > 0. */
#include "roi/finance.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#define GRID 4096

/* The flows with leading and trailing zeros stripped: P(x) = x^lead * Q(x),
 * Q(x) = sum c[j] x^j, j = 0..m, c[0] != 0, c[m] != 0. */
typedef struct poly {
    const double *c;
    size_t m;
} poly;

/* Q(x) for x <= 1 and Q(x) / x^m for x > 1: continuous, same sign as P on
 * x > 0, and never overflows (all powers are <= 1). */
static double eval(const poly *p, double x)
{
    double r;
    if (x <= 1.0) {
        r = p->c[p->m];
        for (size_t j = p->m; j-- > 0;)
            r = r * x + p->c[j];
    } else {
        double y = 1.0 / x;
        r = p->c[0];
        for (size_t j = 1; j <= p->m; j++)
            r = r * y + p->c[j];
    }
    return r;
}

/* Fujiwara's bound on the moduli of the roots of sum a[j] z^j (a[deg] != 0):
 * 2 max(|a[deg-k]/a[deg]|^(1/k), k < deg; |a[0]/(2 a[deg])|^(1/deg)). */
static double fujiwara(const double *c, size_t m, int reversed)
{
    double lead = fabs(reversed ? c[0] : c[m]), best = 0.0;
    for (size_t k = 1; k <= m; k++) {
        double a = fabs(reversed ? c[k] : c[m - k]) / lead;
        if (k == m)
            a *= 0.5;
        if (a > 0.0) {
            double root = scrm__det_exp(scrm__det_log(a) / (double)k);
            if (root > best)
                best = root;
        }
    }
    return 2.0 * best;
}

/* Brent's zero finder on [a, b] with f(a) f(b) < 0 (Brent 1973, ch. 4). */
static double brent(const poly *p, double a, double b, double fa, double fb)
{
    double c = a, fc = fa, d = b - a, e = d;
    for (int it = 0; it < 300; it++) {
        if ((fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0)) {
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol = 2.0 * DBL_EPSILON * fabs(b) + DBL_MIN;
        double m = 0.5 * (c - b);
        if (fabs(m) <= tol || fb == 0.0)
            return b;
        if (fabs(e) >= tol && fabs(fa) > fabs(fb)) {
            double s = fb / fa, pp, q;
            if (a == c) {
                pp = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                double qq = fa / fc, r = fb / fc;
                pp = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if (pp > 0.0)
                q = -q;
            else
                pp = -pp;
            double lim1 = 3.0 * m * q - fabs(tol * q), lim2 = fabs(e * q);
            if (2.0 * pp < (lim1 < lim2 ? lim1 : lim2)) {
                e = d;
                d = pp / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol ? d : (m > 0.0 ? tol : -tol);
        fb = eval(p, b);
    }
    return b;
}

typedef struct found {
    double *x;
    size_t n, cap;
} found;

static void add_root(found *f, double x)
{
    if (f->n < f->cap)
        f->x[f->n] = x;
    f->n++;
}

/* Golden-section search for the extremum of sign * Q on [lo, hi] (in x) around
 * a grid point where |Q| has a local minimum without a sign change. Adds two
 * roots if Q changes sign inside, one (double root) if it touches zero within
 * `tiny`, none otherwise. */
static void probe_dip(const poly *p, double lo, double hi, double sign, double tiny, found *f)
{
    const double g = 0.6180339887498949;
    double a = lo, b = hi;
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = sign * eval(p, x1), f2 = sign * eval(p, x2);
    for (int it = 0; it < 200 && b - a > 4.0 * DBL_EPSILON * b; it++) {
        if (f1 < 0.0 || f2 < 0.0) {
            double xm = f1 < 0.0 ? x1 : x2, fm = f1 < 0.0 ? f1 : f2;
            double flo = eval(p, lo), fhi = eval(p, hi);
            add_root(f, brent(p, lo, xm, flo, sign * fm));
            add_root(f, brent(p, xm, hi, sign * fm, fhi));
            return;
        }
        if (f1 < f2) {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = sign * eval(p, x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = sign * eval(p, x2);
        }
    }
    double xm = f1 < f2 ? x1 : x2, fm = f1 < f2 ? f1 : f2;
    if (fm <= tiny)
        add_root(f, xm);
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

int scrm__finance_irr(const double *flows, size_t n, double *roots, size_t cap, size_t *count,
                  const char *fn)
{
    size_t first = 0, last = n;
    while (first < n && flows[first] == 0.0)
        first++;
    if (first == n)
        return fn ? scrm__fail(SCRM_EDOM, fn, "all %zu flows are zero: every rate is an IRR", n)
                  : SCRM_EDOM;
    while (flows[last - 1] == 0.0)
        last--;
    poly p = {flows + first, last - 1 - first};
    *count = 0;
    size_t changes = 0;
    double prev = 0.0, scale = 0.0;
    for (size_t j = 0; j <= p.m; j++) {
        scale += fabs(p.c[j]);
        if (p.c[j] != 0.0) {
            if (prev != 0.0 && (prev < 0.0) != (p.c[j] < 0.0))
                changes++;
            prev = p.c[j];
        }
    }
    if (changes == 0)
        return SCRM_OK; /* Descartes: no positive root */

    double upper = fujiwara(p.c, p.m, 0), lower = 1.0 / fujiwara(p.c, p.m, 1);
    double s_lo = scrm__det_log(lower) - 0.01, s_hi = scrm__det_log(upper) + 0.01;
    if (s_lo < -700.0)
        s_lo = -700.0;
    if (s_hi > 700.0)
        s_hi = 700.0;

    double *x = scrm__malloc((2 * (GRID + 1) + n) * sizeof *x);
    if (!x)
        return fn ? scrm__fail(SCRM_ENOMEM, fn, "out of memory") : SCRM_ENOMEM;
    double *g = x + GRID + 1;
    found fd = {g + GRID + 1, 0, n};
    for (size_t i = 0; i <= GRID; i++) {
        x[i] = scrm__det_exp(s_lo + (s_hi - s_lo) * (double)i / GRID);
        g[i] = eval(&p, x[i]);
    }
    /* Evaluation error of Q is about m * eps * scale; treat smaller as zero. */
    double tiny = 8.0 * (double)(p.m + 1) * DBL_EPSILON * scale;
    for (size_t i = 0; i <= GRID; i++) {
        if (g[i] == 0.0) {
            add_root(&fd, x[i]);
            continue;
        }
        if (i < GRID && g[i + 1] != 0.0 && (g[i] < 0.0) != (g[i + 1] < 0.0))
            add_root(&fd, brent(&p, x[i], x[i + 1], g[i], g[i + 1]));
        if (changes >= 2 && i > 0 && i < GRID && g[i - 1] != 0.0 && g[i + 1] != 0.0 &&
            (g[i - 1] < 0.0) == (g[i] < 0.0) && (g[i + 1] < 0.0) == (g[i] < 0.0) &&
            fabs(g[i]) < fabs(g[i - 1]) && fabs(g[i]) <= fabs(g[i + 1]))
            probe_dip(&p, x[i - 1], x[i + 1], g[i] < 0.0 ? -1.0 : 1.0, tiny, &fd);
    }
    /* At most `changes` roots exist; fd.cap = n > changes, so none were lost. */
    size_t k = fd.n < fd.cap ? fd.n : fd.cap;
    qsort(fd.x, k, sizeof *fd.x, cmp_desc); /* descending x = ascending r */
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || fd.x[i] < fd.x[u - 1] * (1.0 - 8.0 * DBL_EPSILON))
            fd.x[u++] = fd.x[i];
    *count = u;
    for (size_t i = 0; i < u && i < cap; i++)
        roots[i] = 1.0 / fd.x[i] - 1.0;
    scrm__free(x);
    if (u > cap)
        return fn ? scrm__fail(SCRM_EBUFS, fn, "%zu roots found, room for %zu", u, cap)
                  : SCRM_EBUFS;
    return SCRM_OK;
}

SCRM_API int scrm_finance_irr(const double *flows, size_t n, double *roots, size_t cap, size_t *n_roots)
{
    if (!flows || !n_roots || (!roots && cap > 0))
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL",
                          !flows ? "flows" : !n_roots ? "n_roots" : "roots");
    if (n == 0)
        return SCRM__FAIL(SCRM_EINVAL, "no flows (n = 0)");
    if (n > ((size_t)-1) / sizeof(double) - 2 * (GRID + 1))
        return SCRM__FAIL(SCRM_ENOMEM, "%zu flows is too many", n);
    int rc = scrm__finance_check_flows(flows, n, __func__);
    if (rc)
        return rc;
    return scrm__finance_irr(flows, n, roots, cap, n_roots, __func__);
}
