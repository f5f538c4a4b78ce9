/* Customer rows for fitting: validation, collapsing identical rows into
 * weights (open-addressing hash on the bit patterns), indexing distinct
 * frequencies, and rescaling time and money for conditioning. */
#include "clv/kinds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0; /* -0.0 and 0.0 are the same customer */
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static double col(const double *c, size_t i)
{
    return c ? c[i] : 0.0;
}

static int check_row(const scrm__clv_kind *k, const scrm_clv_data *d, size_t i, int fitting,
                     const char *fn)
{
    double x = col(d->frequency, i), tx = col(d->recency, i), T = col(d->age, i),
           m = col(d->monetary, i);
    const char *why = NULL;
    if (!isfinite(x) || !isfinite(tx) || !isfinite(T) || !isfinite(m))
        return scrm__error(SCRM_EINVAL,
                           "%s: row %zu: not a finite number (frequency %g, recency %g, age %g, "
                           "monetary %g)",
                           fn, i, x, tx, T, m);
    if (k->check_row(x, tx, T, m, fitting, &why) != SCRM_OK)
        return scrm__error(SCRM_EINVAL,
                           "%s: row %zu: %s (frequency %g, recency %g, age %g, monetary %g)", fn,
                           i, why, x, tx, T, m);
    return SCRM_OK;
}

int scrm__clv_check_customer(const scrm__clv_kind *k, const scrm_clv_data *d, size_t i,
                             const char *fn)
{
    return check_row(k, d, i, 0, fn);
}

static int check_columns(const scrm__clv_kind *k, const scrm_clv_data *d, const char *fn)
{
    if ((k->inputs & SCRM__CLV_IN_FREQUENCY) && !d->frequency)
        return scrm__error(SCRM_EINVAL, "%s: %s needs data.frequency", fn, k->name);
    if ((k->inputs & SCRM__CLV_IN_RECENCY) && !d->recency)
        return scrm__error(SCRM_EINVAL, "%s: %s needs data.recency", fn, k->name);
    if ((k->inputs & SCRM__CLV_IN_AGE) && !d->age)
        return scrm__error(SCRM_EINVAL, "%s: %s needs data.age", fn, k->name);
    if ((k->inputs & SCRM__CLV_IN_MONETARY) && !d->monetary)
        return scrm__error(SCRM_EINVAL, "%s: %s needs data.monetary", fn, k->name);
    return SCRM_OK;
}

void scrm__clv_rows_free(scrm__clv_rows *rows)
{
    if (!rows)
        return;
    scrm__free(rows->x);
    scrm__free(rows->xi);
    memset(rows, 0, sizeof *rows);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int scrm__clv_rows_build(const scrm__clv_kind *k, const scrm_clv_data *d, const char *fn,
                         scrm__clv_rows *rows)
{
    memset(rows, 0, sizeof *rows);
    int st = scrm__check_version(d->version, SCRM_CLV_DATA_VERSION, "scrm_clv_data");
    if (st)
        return st;
    if ((st = check_columns(k, d, fn)))
        return st;
    if (d->n == 0)
        return scrm__error(SCRM_ENODATA, "%s: no customers (data.n = 0)", fn);
    size_t n = d->n;
    for (size_t i = 0; i < n; i++) {
        if ((st = check_row(k, d, i, 1, fn)))
            return st;
        if (d->weights && !(d->weights[i] >= 0 && isfinite(d->weights[i])))
            return scrm__error(SCRM_EINVAL, "%s: row %zu: weight %g is not finite and >= 0", fn,
                               i, d->weights[i]);
    }
    /* Hash table of distinct rows: capacity a power of two >= 2n. */
    size_t cap = 16;
    while (cap < 2 * n)
        cap <<= 1;
    size_t bytes;
    if ((st = scrm__mul_size(cap, sizeof(uint32_t), &bytes)))
        return st;
    uint32_t *slot = scrm__malloc(bytes);
    size_t per_row = 5 * sizeof(double);
    if ((st = scrm__mul_size(n, per_row, &bytes))) {
        scrm__free(slot);
        return st;
    }
    double *block = scrm__malloc(bytes);
    uint32_t *xi = NULL;
    if (!slot || !block || n > UINT32_MAX - 1) {
        scrm__free(slot);
        scrm__free(block);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory for %zu rows", fn, n);
    }
    memset(slot, 0xff, cap * sizeof(uint32_t));
    rows->x = block;
    rows->tx = block + n;
    rows->T = block + 2 * n;
    rows->m = block + 3 * n;
    rows->w = block + 4 * n;
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        double w = d->weights ? d->weights[i] : 1.0;
        if (w == 0)
            continue;
        /* Only the columns the kind reads identify a row. */
        double x = (k->inputs & SCRM__CLV_IN_FREQUENCY) ? col(d->frequency, i) : 0.0;
        double tx = (k->inputs & SCRM__CLV_IN_RECENCY) ? col(d->recency, i) : 0.0;
        double T = (k->inputs & SCRM__CLV_IN_AGE) ? col(d->age, i) : 0.0;
        double m = (k->inputs & SCRM__CLV_IN_MONETARY) ? col(d->monetary, i) : 0.0;
        uint64_t h = mix(bits(x) ^ mix(bits(tx) ^ mix(bits(T) ^ mix(bits(m)))));
        size_t s = (size_t)h & (cap - 1);
        for (;;) {
            uint32_t j = slot[s];
            if (j == UINT32_MAX) {
                slot[s] = (uint32_t)u;
                rows->x[u] = x;
                rows->tx[u] = tx;
                rows->T[u] = T;
                rows->m[u] = m;
                rows->w[u] = w;
                u++;
                break;
            }
            if (bits(rows->x[j]) == bits(x) && bits(rows->tx[j]) == bits(tx) &&
                bits(rows->T[j]) == bits(T) && bits(rows->m[j]) == bits(m)) {
                rows->w[j] += w;
                break;
            }
            s = (s + 1) & (cap - 1);
        }
    }
    scrm__free(slot);
    rows->n = u;
    if (u == 0) {
        scrm__clv_rows_free(rows);
        return scrm__error(SCRM_ENODATA, "%s: total weight is 0", fn);
    }
    /* Compact the columns (u <= n). */
    if (u < n) {
        memmove(block + u, rows->tx, u * sizeof(double));
        memmove(block + 2 * u, rows->T, u * sizeof(double));
        memmove(block + 3 * u, rows->m, u * sizeof(double));
        memmove(block + 4 * u, rows->w, u * sizeof(double));
        rows->tx = block + u;
        rows->T = block + 2 * u;
        rows->m = block + 3 * u;
        rows->w = block + 4 * u;
    }
    /* Distinct frequencies, sorted; xi maps rows to them. */
    double *xs = scrm__malloc((u + (size_t)SCRM__CLV_SCRATCH * u) * sizeof(double));
    xi = scrm__malloc(u * sizeof(uint32_t));
    if (!xs || !xi) {
        scrm__free(xs);
        scrm__free(xi);
        scrm__clv_rows_free(rows);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
    }
    memcpy(xs, rows->x, u * sizeof(double));
    qsort(xs, u, sizeof(double), cmp_double);
    size_t nx = 0;
    for (size_t i = 0; i < u; i++)
        if (nx == 0 || xs[i] != xs[nx - 1])
            xs[nx++] = xs[i];
    for (size_t i = 0; i < u; i++) {
        size_t lo = 0, hi = nx;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (xs[mid] <= rows->x[i])
                lo = mid;
            else
                hi = mid;
        }
        xi[i] = (uint32_t)lo;
    }
    /* xs and scratch share one allocation owned through xi's partner below. */
    double *joined = scrm__realloc(block, (5 * u + nx + (size_t)SCRM__CLV_SCRATCH * nx) * sizeof(double));
    if (!joined) {
        scrm__free(xs);
        scrm__free(xi);
        scrm__clv_rows_free(rows);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
    }
    rows->x = joined;
    rows->tx = joined + u;
    rows->T = joined + 2 * u;
    rows->m = joined + 3 * u;
    rows->w = joined + 4 * u;
    rows->xs = joined + 5 * u;
    rows->scratch = rows->xs + nx;
    memcpy(rows->xs, xs, nx * sizeof(double));
    scrm__free(xs);
    rows->xi = xi;
    rows->nx = nx;
    /* Totals and scaling. */
    double wsum = 0, wxsum = 0, tmax = 0, msum = 0;
    for (size_t i = 0; i < u; i++) {
        wsum += rows->w[i];
        wxsum += rows->w[i] * rows->x[i];
        tmax = fmax(tmax, rows->T[i]);
        msum += rows->w[i] * rows->m[i];
    }
    rows->wsum = wsum;
    rows->wxsum = wxsum;
    rows->time_scale = (k->time_params && tmax > 0) ? 10.0 / tmax : 1.0;
    rows->money_scale = (k->money_params && msum > 0) ? wsum / msum : 1.0;
    if (rows->time_scale != 1.0)
        for (size_t i = 0; i < u; i++) {
            rows->tx[i] *= rows->time_scale;
            rows->T[i] *= rows->time_scale;
        }
    if (rows->money_scale != 1.0)
        for (size_t i = 0; i < u; i++)
            rows->m[i] *= rows->money_scale;
    return SCRM_OK;
}
