/* Customer lifetime value per customer, lifetimes' definition
 * (lifetimes/utils.py `_customer_lifetime_value`):
 *   CLV_i = sum_{k=1..K} margin * M_i * (E_i(k f) - E_i((k-1) f)) / (1 + d)^k.
 *
 * For the transaction models E_i(t) = H(t; x_i, T_i) P_i(alive) (kind
 * callback cond_alive), so
 *   CLV_i = margin * M_i * P_i * V(x_i, T_i),  V(x, T) = sum_k d^k (H(k f) - H((k-1) f)).
 * V is the expensive part (for BG/NBD a 2F1 series per month) and does not
 * depend on t_x. Customers are grouped by frequency; in a group of many
 * customers V is a smooth function of y = log(c + T), c the smallest time
 * parameter (the singularities at T = -alpha, -beta go to infinity in y). It
 * is interpolated at Chebyshev-Lobatto points, doubling their number (9 to
 * 129) until the last coefficients fall below 1e-15 of the sum of their
 * magnitudes, and then checked against direct evaluation at two points
 * between nodes (agreement within 1e-13 of that sum); a group that fails is
 * evaluated customer by customer, as are small groups and kinds without
 * cond_alive. */
#include "clv/model.h"

#include <math.h>
#include <string.h>

#define GROUP_MIN 64
#define CHEB_MIN 8
#define CHEB_MAX 128
#define PI 3.14159265358979323846

typedef struct vctx {
    const scrm__clv_kind *k;
    const double *p;
    double f, disc;
    uint32_t months;
} vctx;

/* V(x, T) by its definition. */
static int v_direct(const vctx *c, double x, double T, double *out)
{
    double prev = 0, value = 0, dk = 1;
    for (uint32_t step = 1; step <= c->months; step++) {
        double e;
        int st = c->k->cond_alive(c->p, c->f * step, x, T, &e);
        if (st)
            return st;
        dk *= c->disc;
        value += (e - prev) * dk;
        prev = e;
    }
    *out = value;
    return SCRM_OK;
}

typedef struct cheb {
    int n;
    double lo, hi, scale; /* y range; sum of |coefficients| */
    double c[CHEB_MAX + 1];
} cheb;

static double cheb_eval(const cheb *ch, double y)
{
    double t = (2.0 * y - (ch->lo + ch->hi)) / (ch->hi - ch->lo), t2 = 2.0 * t;
    double b1 = 0, b2 = 0;
    for (int k = ch->n; k >= 1; k--) {
        double b0 = ch->c[k] + t2 * b1 - b2;
        b2 = b1;
        b1 = b0;
    }
    return ch->c[0] + t * b1 - b2;
}

/* Four evaluations at once: independent recurrences overlap in the
 * pipeline (one Clenshaw step depends on the previous). */
static void cheb_eval4(const cheb *ch, const double *y, double *out)
{
    double t[4], b1[4] = {0}, b2[4] = {0};
    for (int i = 0; i < 4; i++)
        t[i] = (2.0 * y[i] - (ch->lo + ch->hi)) / (ch->hi - ch->lo);
    for (int k = ch->n; k >= 1; k--)
        for (int i = 0; i < 4; i++) {
            double b0 = ch->c[k] + 2.0 * t[i] * b1[i] - b2[i];
            b2[i] = b1[i];
            b1[i] = b0;
        }
    for (int i = 0; i < 4; i++)
        out[i] = ch->c[0] + t[i] * b1[i] - b2[i];
}

/* T at the Chebyshev-Lobatto point cos(pi j / n) of the y range. */
static double node_T(double lo, double hi, double shift, double t)
{
    return exp(0.5 * (lo + hi) + 0.5 * (hi - lo) * t) - shift;
}

/* Interpolant of V(x, .) on y in [lo, hi]; SCRM_ELOSS when it does not
 * reach full accuracy (the caller then evaluates directly). */
static int cheb_build(const vctx *c, double x, double lo, double hi, double shift, cheb *ch)
{
    double f[CHEB_MAX + 1], g[CHEB_MAX + 1], cs[2 * CHEB_MAX];
    int n = CHEB_MIN, st;
    for (int j = 0; j <= n; j++)
        if ((st = v_direct(c, x, fmax(0.0, node_T(lo, hi, shift, cos(PI * j / n))), &f[j])))
            return st;
    for (;;) {
        for (int m = 0; m < 2 * n; m++)
            cs[m] = cos(PI * m / n);
        double sum = 0;
        for (int k = 0; k <= n; k++) {
            double s = 0.5 * (f[0] + (k % 2 ? -f[n] : f[n]));
            for (int j = 1; j < n; j++)
                s += f[j] * cs[(j * k) % (2 * n)];
            ch->c[k] = (k == 0 || k == n ? 1.0 : 2.0) * s / n;
            sum += fabs(ch->c[k]);
        }
        double tail = fabs(ch->c[n - 2]) + fabs(ch->c[n - 1]) + fabs(ch->c[n]);
        if (tail <= 1e-15 * sum)
            break;
        if (2 * n > CHEB_MAX)
            return SCRM_ELOSS;
        /* Double the points; the old ones are the even ones. */
        for (int j = 0; j <= n; j++)
            g[2 * j] = f[j];
        for (int j = 1; j < 2 * n; j += 2)
            if ((st = v_direct(c, x, fmax(0.0, node_T(lo, hi, shift, cos(PI * j / (2 * n)))), &g[j])))
                return st;
        n *= 2;
        memcpy(f, g, sizeof(double) * (size_t)(n + 1));
    }
    ch->n = n;
    ch->lo = lo;
    ch->hi = hi;
    ch->scale = 0;
    for (int k = 0; k <= n; k++)
        ch->scale += fabs(ch->c[k]);
    /* Independent check between nodes, near an end and in the middle. */
    const double probe[2] = {cos(PI * 0.5 / n), cos(PI * (0.5 * n + 0.5) / n)};
    for (int i = 0; i < 2; i++) {
        double y = 0.5 * (lo + hi) + 0.5 * (hi - lo) * probe[i], v;
        if ((st = v_direct(c, x, fmax(0.0, exp(y) - shift), &v)))
            return st;
        if (!(fabs(cheb_eval(ch, y) - v) <= 1e-13 * ch->scale))
            return SCRM_ELOSS;
    }
    return SCRM_OK;
}

static int row_error(int st, const char *what, size_t i)
{
    return scrm__error(st, "scrm_clv_customer_value: %s fails at row %zu", what, i);
}

/* Margin, spend and P(alive) of customer i times V. */
static int finish(const scrm_clv_model *tm, const scrm_clv_model *sm, const scrm_clv_data *c,
                  const scrm_clv_value_options *o, size_t i, double V, double *out)
{
    double x = c->frequency[i], M = c->monetary[i], pa;
    int st;
    if (sm && (st = sm->k->spend(sm->info.params, x, M, &M)))
        return row_error(st, "the spend model", i);
    if ((st = tm->k->p_alive(tm->info.params, x, c->recency[i], c->age[i], &pa)))
        return row_error(st, tm->k->name, i);
    out[i] = o->margin * M * pa * V;
    if (!isfinite(out[i]))
        return scrm__error(SCRM_ERANGE, "scrm_clv_customer_value: row %zu: value overflows", i);
    return SCRM_OK;
}

/* Customer by customer with the full conditional expectation (kinds
 * without cond_alive). */
static int value_plain(const scrm_clv_model *tm, const scrm_clv_model *sm,
                       const scrm_clv_data *c, const scrm_clv_value_options *o, double *out)
{
    const scrm__clv_kind *k = tm->k;
    const double *p = tm->info.params;
    double f = o->units_per_month, disc = 1.0 / (1.0 + o->discount_rate);
    for (size_t i = 0; i < c->n; i++) {
        double x = c->frequency[i], tx = c->recency[i], T = c->age[i], M = c->monetary[i];
        int st;
        if (sm && (st = sm->k->spend(sm->info.params, x, M, &M)))
            return row_error(st, "the spend model", i);
        double prev = 0, value = 0, dk = 1;
        for (uint32_t step = 1; step <= o->months; step++) {
            double e;
            if ((st = k->cond_expected(p, f * step, x, tx, T, &e)))
                return row_error(st, k->name, i);
            dk *= disc;
            value += (e - prev) * dk;
            prev = e;
        }
        out[i] = o->margin * M * value;
        if (!isfinite(out[i]))
            return scrm__error(SCRM_ERANGE, "scrm_clv_customer_value: row %zu: value overflows", i);
    }
    return SCRM_OK;
}

/* Smallest time parameter of the kind (the shift of y = log(shift + T)). */
static double time_shift(const scrm__clv_kind *k, const double *p)
{
    double s = (double)INFINITY;
    for (uint32_t i = 0; i < k->n_params; i++)
        if (k->time_params & (1u << i))
            s = fmin(s, p[i]);
    return isfinite(s) ? s : 1.0;
}

/* One frequency group (customers idx[0..m)). */
static int value_group(const scrm_clv_model *tm, const scrm_clv_model *sm, const scrm_clv_data *c,
                       const scrm_clv_value_options *o, const vctx *vc, double x,
                       const uint32_t *idx, size_t m, double *out)
{
    double shift = time_shift(tm->k, tm->info.params), tlo = (double)INFINITY, thi = 0, V;
    int st;
    for (size_t j = 0; j < m; j++) {
        tlo = fmin(tlo, c->age[idx[j]]);
        thi = fmax(thi, c->age[idx[j]]);
    }
    cheb ch;
    int interp = 0;
    if (m >= GROUP_MIN && thi > tlo) {
        st = cheb_build(vc, x, log(shift + tlo), log(shift + thi), shift, &ch);
        if (st == SCRM_OK)
            interp = 1;
        else if (st != SCRM_ELOSS)
            return row_error(st, tm->k->name, idx[0]);
    }
    double V0 = 0;
    if (thi == tlo && (st = v_direct(vc, x, tlo, &V0)))
        return row_error(st, tm->k->name, idx[0]);
    size_t j = 0;
    if (interp)
        for (; j + 4 <= m; j += 4) {
            double y[4], v4[4];
            for (int q = 0; q < 4; q++)
                y[q] = log(shift + c->age[idx[j + (size_t)q]]);
            cheb_eval4(&ch, y, v4);
            for (int q = 0; q < 4; q++)
                if ((st = finish(tm, sm, c, o, idx[j + (size_t)q], v4[q], out)))
                    return st;
        }
    for (; j < m; j++) {
        size_t i = idx[j];
        if (thi == tlo)
            V = V0;
        else if (interp)
            V = cheb_eval(&ch, log(shift + c->age[i]));
        else if ((st = v_direct(vc, x, c->age[i], &V)))
            return row_error(st, tm->k->name, i);
        if ((st = finish(tm, sm, c, o, i, V, out)))
            return st;
    }
    return SCRM_OK;
}

int scrm__clv_value(const scrm_clv_model *tm, const scrm_clv_model *sm,
                    const scrm_clv_data *c, const scrm_clv_value_options *o, double *out)
{
    const scrm__clv_kind *k = tm->k;
    if (!k->cond_alive || !k->p_alive || c->n == 0)
        return value_plain(tm, sm, c, o, out);
    size_t n = c->n, nx = 0, bytes;
    if (n > UINT32_MAX || scrm__mul_size(n, 2 * sizeof(uint32_t), &bytes))
        return scrm__error(SCRM_ENOMEM, "scrm_clv_customer_value: %zu customers", n);
    uint32_t *xi = scrm__malloc(bytes), *order = xi ? xi + n : NULL;
    double *xs = NULL;
    size_t *start = NULL;
    int st = SCRM_ENOMEM;
    if (!xi || scrm__clv_index_values(c->frequency, n, xi, &xs, &nx) != SCRM_OK ||
        !(start = scrm__calloc(nx + 1, sizeof(size_t)))) {
        st = scrm__error(SCRM_ENOMEM, "scrm_clv_customer_value: out of memory");
        goto done;
    }
    /* Counting sort of the customers by frequency. */
    for (size_t i = 0; i < n; i++)
        start[xi[i] + 1]++;
    for (size_t g = 0; g < nx; g++)
        start[g + 1] += start[g];
    for (size_t i = 0; i < n; i++)
        order[start[xi[i]]++] = (uint32_t)i;
    for (size_t g = nx; g > 0; g--)
        start[g] = start[g - 1];
    start[0] = 0;
    vctx vc = {k, tm->info.params, o->units_per_month, 1.0 / (1.0 + o->discount_rate), o->months};
    st = SCRM_OK;
    for (size_t g = 0; g < nx && st == SCRM_OK; g++)
        st = value_group(tm, sm, c, o, &vc, xs[g], order + start[g], start[g + 1] - start[g], out);
done:
    scrm__free(xi);
    scrm__free(xs);
    scrm__free(start);
    return st;
}
