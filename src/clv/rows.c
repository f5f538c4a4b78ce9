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
    scrm__free(rows->tv);
    scrm__free(rows->iT);
    memset(rows, 0, sizeof *rows);
}

#define PREFETCH 16

static inline void prefetch(const void *p)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

static inline uint64_t row_hash(double x, double tx, double T, double m)
{
    return mix(bits(x) ^ mix(bits(tx) ^ mix(bits(T) ^ mix(bits(m)))));
}

typedef struct xval {
    double v;
    uint32_t id;
} xval;

static int cmp_xval(const void *a, const void *b)
{
    double x = ((const xval *)a)->v, y = ((const xval *)b)->v;
    return (x > y) - (x < y);
}

/* The distinct values of x[0..u) in ascending order (*xs, allocated) and
 * xi[i] = index of x[i] in them. Distinct values are gathered through a
 * small hash table (few distinct frequencies in practice), so only they are
 * sorted, not the rows. Returns SCRM_ENOMEM without a message. */
int scrm__clv_index_values(const double *x, size_t u, uint32_t *xi, double **xs_out,
                           size_t *nx_out)
{
    return scrm__clv_index_values_max(x, u, SIZE_MAX, xi, xs_out, nx_out);
}

int scrm__clv_index_values_max(const double *x, size_t u, size_t max_vals, uint32_t *xi,
                               double **xs_out, size_t *nx_out)
{
    size_t cap = 64, nv = 0;
    uint32_t *tab = scrm__malloc(cap * sizeof(uint32_t));
    xval *vals = scrm__malloc(cap / 2 * sizeof(xval));
    if (!tab || !vals)
        goto nomem;
    memset(tab, 0xff, cap * sizeof(uint32_t));
    uint32_t last_id = UINT32_MAX;
    double last = 0;
    for (size_t i = 0; i < u; i++) {
        if (last_id != UINT32_MAX && bits(x[i]) == bits(last)) {
            xi[i] = last_id;
            continue;
        }
        uint64_t b = bits(x[i]);
        size_t s = (size_t)mix(b) & (cap - 1);
        while (tab[s] != UINT32_MAX && bits(vals[tab[s]].v) != b)
            s = (s + 1) & (cap - 1);
        if (tab[s] == UINT32_MAX) {
            if (nv >= max_vals) {
                scrm__free(tab);
                scrm__free(vals);
                return SCRM_ERANGE;
            }
            if (2 * (nv + 1) > cap) {
                /* Grow: double the table and rehash. */
                size_t nc = 2 * cap;
                uint32_t *nt = scrm__malloc(nc * sizeof(uint32_t));
                xval *nvv = scrm__realloc(vals, nc / 2 * sizeof(xval));
                if (!nt || !nvv) {
                    scrm__free(nt);
                    if (nvv)
                        vals = nvv;
                    goto nomem;
                }
                vals = nvv;
                memset(nt, 0xff, nc * sizeof(uint32_t));
                for (size_t j = 0; j < nv; j++) {
                    size_t t = (size_t)mix(bits(vals[j].v)) & (nc - 1);
                    while (nt[t] != UINT32_MAX)
                        t = (t + 1) & (nc - 1);
                    nt[t] = (uint32_t)j;
                }
                scrm__free(tab);
                tab = nt;
                cap = nc;
                s = (size_t)mix(b) & (cap - 1);
                while (tab[s] != UINT32_MAX)
                    s = (s + 1) & (cap - 1);
            }
            vals[nv].v = x[i];
            vals[nv].id = (uint32_t)nv;
            tab[s] = (uint32_t)nv++;
        }
        last = x[i];
        last_id = tab[s];
        xi[i] = last_id;
    }
    scrm__free(tab);
    tab = NULL;
    /* Sort the distinct values; rank[id] is the sorted position of id. */
    qsort(vals, nv, sizeof *vals, cmp_xval);
    uint32_t *rank = scrm__malloc((nv ? nv : 1) * sizeof(uint32_t));
    double *xs = scrm__malloc((nv ? nv : 1) * sizeof(double));
    if (!rank || !xs) {
        scrm__free(rank);
        scrm__free(xs);
        goto nomem;
    }
    for (size_t j = 0; j < nv; j++) {
        rank[vals[j].id] = (uint32_t)j;
        xs[j] = vals[j].v;
    }
    for (size_t i = 0; i < u; i++)
        xi[i] = rank[xi[i]];
    scrm__free(rank);
    scrm__free(vals);
    *xs_out = xs;
    *nx_out = nv;
    return SCRM_OK;
nomem:
    scrm__free(tab);
    scrm__free(vals);
    return SCRM_ENOMEM;
}

/* The time index of scrm__clv_rows (T and t_x values), when there are at
 * most half as many distinct values as rows. */
static void index_times(scrm__clv_rows *rows)
{
    size_t u = rows->n, nv = 0;
    if (u < 16)
        return;
    double *both = scrm__malloc(2 * u * sizeof(double));
    uint32_t *idx = scrm__malloc(2 * u * sizeof(uint32_t));
    double *vals = NULL;
    if (!both || !idx)
        goto fail;
    memcpy(both, rows->T, u * sizeof(double));
    memcpy(both + u, rows->tx, u * sizeof(double));
    if (scrm__clv_index_values_max(both, 2 * u, u / 2, idx, &vals, &nv) != SCRM_OK)
        goto fail;
    double *tv = scrm__realloc(vals, (1 + SCRM__CLV_TV_SCRATCH) * nv * sizeof(double));
    if (!tv)
        goto fail;
    scrm__free(both);
    rows->ntv = nv;
    rows->tv = tv;
    rows->tv_scratch = tv + nv;
    rows->iT = idx;
    rows->itx = idx + u;
    return;
fail:
    scrm__free(both);
    scrm__free(idx);
    scrm__free(vals);
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
    /* The largest age over every row, weight 0 included: the time axis (and
     * the penalty's, as lifetimes' T.max()) must not depend on weights. */
    double tmax = 0;
    for (size_t i = 0; i < n; i++) {
        if ((st = check_row(k, d, i, 1, fn)))
            return st;
        if (k->inputs & SCRM__CLV_IN_AGE)
            tmax = fmax(tmax, d->age[i]);
        if (d->weights && !(d->weights[i] >= 0 && isfinite(d->weights[i])))
            return scrm__error(SCRM_EINVAL, "%s: row %zu: weight %g is not finite and >= 0", fn,
                               i, d->weights[i]);
    }
    /* Hash table of distinct rows: capacity a power of two >= 2n; a slot holds
     * the row index and 32 bits of its hash, so most probes never touch the
     * row data. Slots are prefetched a few rows ahead (the table is larger
     * than the caches for big inputs). */
    size_t cap = 16;
    while (cap < 2 * n)
        cap <<= 1;
    size_t bytes;
    if ((st = scrm__mul_size(cap, sizeof(uint64_t), &bytes)))
        return st;
    uint64_t *slot = scrm__malloc(bytes);
    size_t per_row = 5 * sizeof(double);
    if ((st = scrm__mul_size(n, per_row, &bytes))) {
        scrm__free(slot);
        return st;
    }
    double *block = scrm__malloc(bytes);
    if (!slot || !block || n > UINT32_MAX - 1) {
        scrm__free(slot);
        scrm__free(block);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory for %zu rows", fn, n);
    }
    memset(slot, 0xff, cap * sizeof(uint64_t));
    rows->x = block;
    rows->tx = block + n;
    rows->T = block + 2 * n;
    rows->m = block + 3 * n;
    rows->w = block + 4 * n;
    /* Only the columns the kind reads identify a row. */
    const double *cf = (k->inputs & SCRM__CLV_IN_FREQUENCY) ? d->frequency : NULL;
    const double *cr = (k->inputs & SCRM__CLV_IN_RECENCY) ? d->recency : NULL;
    const double *ca = (k->inputs & SCRM__CLV_IN_AGE) ? d->age : NULL;
    const double *cm = (k->inputs & SCRM__CLV_IN_MONETARY) ? d->monetary : NULL;
    uint64_t ring[PREFETCH];
    for (size_t i = 0; i < n && i < PREFETCH; i++) {
        ring[i] = row_hash(col(cf, i), col(cr, i), col(ca, i), col(cm, i));
        prefetch(&slot[ring[i] & (cap - 1)]);
    }
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = ring[i % PREFETCH];
        size_t ahead = i + PREFETCH;
        if (ahead < n) {
            uint64_t ha = row_hash(col(cf, ahead), col(cr, ahead), col(ca, ahead), col(cm, ahead));
            ring[ahead % PREFETCH] = ha;
            prefetch(&slot[ha & (cap - 1)]);
        }
        double w = d->weights ? d->weights[i] : 1.0;
        if (w == 0)
            continue;
        double x = col(cf, i), tx = col(cr, i), T = col(ca, i), m = col(cm, i);
        uint64_t tag = (h >> 32) << 32;
        size_t s = (size_t)h & (cap - 1);
        for (;;) {
            uint64_t e = slot[s];
            if (e == UINT64_MAX) {
                slot[s] = tag | (uint64_t)u;
                rows->x[u] = x;
                rows->tx[u] = tx;
                rows->T[u] = T;
                rows->m[u] = m;
                rows->w[u] = w;
                u++;
                break;
            }
            uint32_t j = (uint32_t)e;
            if ((e >> 32) == (h >> 32) && bits(rows->x[j]) == bits(x) &&
                bits(rows->tx[j]) == bits(tx) && bits(rows->T[j]) == bits(T) &&
                bits(rows->m[j]) == bits(m)) {
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
    }
    /* Room for the distinct frequencies and the per-frequency scratch is added
     * once their number is known. */
    uint32_t *xi = scrm__malloc(u * sizeof(uint32_t));
    if (!xi) {
        scrm__clv_rows_free(rows);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
    }
    rows->xi = xi;
    double *xs = NULL;
    size_t nx = 0;
    if ((st = scrm__clv_index_values(block, u, xi, &xs, &nx))) {
        scrm__clv_rows_free(rows);
        return scrm__error(st, "%s: out of memory", fn);
    }
    double *joined = scrm__realloc(block, (5 * u + nx + (size_t)SCRM__CLV_SCRATCH * nx) * sizeof(double));
    if (!joined) {
        scrm__free(xs);
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
    rows->nx = nx;
    /* Totals and scaling. */
    double wsum = 0, wxsum = 0, msum = 0;
    for (size_t i = 0; i < u; i++) {
        wsum += rows->w[i];
        wxsum += rows->w[i] * rows->x[i];
        msum += rows->w[i] * rows->m[i];
    }
    rows->wsum = wsum;
    rows->wxsum = wxsum;
    rows->time_scale = (k->time_params && tmax > 0) ? SCRM__CLV_TIME_AXIS / tmax : 1.0;
    rows->money_scale = (k->money_params && msum > 0) ? wsum / msum : 1.0;
    if (rows->time_scale != 1.0)
        for (size_t i = 0; i < u; i++) {
            rows->tx[i] *= rows->time_scale;
            rows->T[i] *= rows->time_scale;
        }
    if (rows->money_scale != 1.0)
        for (size_t i = 0; i < u; i++)
            rows->m[i] *= rows->money_scale;
    if ((k->inputs & SCRM__CLV_IN_AGE) && (k->inputs & SCRM__CLV_IN_RECENCY))
        index_times(rows); /* optional: no index on failure */
    return SCRM_OK;
}

int scrm__clv_rows_subsample(const scrm__clv_rows *rows, size_t k, scrm__clv_rows *sub)
{
    memset(sub, 0, sizeof *sub);
    if (k == 0 || k > rows->n)
        k = rows->n;
    size_t stride = rows->n / k;
    k = rows->n / stride;
    double *block = scrm__malloc(5 * k * sizeof(double));
    uint32_t *xi = scrm__malloc(k * sizeof(uint32_t));
    if (!block || !xi) {
        scrm__free(block);
        scrm__free(xi);
        return SCRM_ENOMEM;
    }
    *sub = *rows;
    sub->n = k;
    sub->x = block;
    sub->tx = block + k;
    sub->T = block + 2 * k;
    sub->m = block + 3 * k;
    sub->w = block + 4 * k;
    sub->xi = xi;
    sub->ntv = 0;
    sub->tv = sub->tv_scratch = NULL;
    sub->iT = sub->itx = NULL;
    sub->wsum = sub->wxsum = 0;
    for (size_t j = 0; j < k; j++) {
        size_t i = j * stride;
        sub->x[j] = rows->x[i];
        sub->tx[j] = rows->tx[i];
        sub->T[j] = rows->T[i];
        sub->m[j] = rows->m[i];
        sub->w[j] = rows->w[i];
        xi[j] = rows->xi[i];
        sub->wsum += rows->w[i];
        sub->wxsum += rows->w[i] * rows->x[i];
    }
    return SCRM_OK;
}
