/* RFM grouping engine: counting sort by customer, then one pass per customer
 * over its period buckets. O(n + customers) apart from customers whose rows
 * are not already in time order, which are sorted individually. */
#include "clv/rfm.h"

#include "core/civil.h"
#include "core/period.h"
#include "num/sum.h"

#include <math.h>
#include <stdlib.h>

/* Rows hit customers at random: prefetching a few rows ahead overlaps the
 * cache misses, which dominate on millions of rows. */
#define PREFETCH 16
#if defined(__GNUC__)
#  define SCRM__PREFETCH(p) __builtin_prefetch(p, 1)
#else
#  define SCRM__PREFETCH(p) ((void)0)
#endif

typedef struct entry {
    int64_t b; /* period bucket */
    double v;  /* value */
} entry;

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    return (a->b > b->b) - (a->b < b->b);
}

static void sort_entries(entry *e, size_t m)
{
    size_t i = 1;
    while (i < m && e[i - 1].b <= e[i].b)
        i++;
    if (i >= m)
        return; /* already ordered: the common case for time-ordered logs */
    if (m <= 32) {
        for (; i < m; i++) {
            entry cur = e[i];
            size_t j = i;
            while (j > 0 && e[j - 1].b > cur.b) {
                e[j] = e[j - 1];
                j--;
            }
            e[j] = cur;
        }
    } else {
        qsort(e, m, sizeof *e, cmp_entry);
    }
}

void scrm__rfm_destroy(scrm_rfm *r)
{
    if (!r)
        return;
    scrm__free(r->key);
    scrm__free(r->x);
    scrm__free(r->t_x);
    scrm__free(r->age);
    scrm__free(r->monetary);
    scrm__free(r->hx);
    scrm__free(r->hm);
    scrm__free(r->first);
    scrm__free(r);
}

static scrm_rfm *alloc_table(size_t k)
{
    scrm_rfm *r = scrm__calloc(1, sizeof *r);
    size_t cnt = k ? k : 1;
    if (!r)
        return NULL;
    r->key = scrm__calloc(cnt, sizeof *r->key);
    double **cols[] = {&r->x, &r->t_x, &r->age, &r->monetary, &r->hx, &r->hm, &r->first};
    int ok = r->key != NULL;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        *cols[i] = scrm__calloc(cnt, sizeof(double));
        ok = ok && *cols[i];
    }
    if (!ok) {
        scrm__rfm_destroy(r);
        return NULL;
    }
    return r;
}

/* Check rows and find the latest time. */
static int validate_rows(const scrm__rfm_input *in, int64_t *tmax, const char *fn)
{
    int64_t mx = INT64_MIN;
    for (size_t i = 0; i < in->n; i++) {
        int64_t t = in->time[i];
        if (t == SCRM_TIME_NONE)
            return scrm__error(SCRM_EINVAL, "%s: row %zu: missing time", fn, i);
        if (t < SCRM__TIME_MIN || t > SCRM__TIME_MAX)
            return scrm__error(SCRM_ERANGE, "%s: row %zu: time %lld outside years 0001..9999",
                               fn, i, (long long)t);
        if (in->value && !isfinite(in->value[i]))
            return scrm__error(SCRM_EINVAL, "%s: row %zu: value %g is not finite", fn, i,
                               in->value[i]);
        if (t > mx)
            mx = t;
    }
    *tmax = mx;
    return SCRM_OK;
}

/* Summarise one customer's sorted entries into row `row` of r.
 * Returns 0 if the customer's first purchase is after the calibration end. */
static int summarise(scrm_rfm *r, size_t row, const entry *e, size_t m, int64_t cal_b,
                     int64_t cal_start, const scrm_rfm_options *o)
{
    int64_t f = e[0].b;
    if (f > cal_b)
        return 0;
    size_t x = 0, hx = 0;
    int64_t last = f;
    scrm__sum ms = SCRM__SUM_INIT, hs = SCRM__SUM_INIT;
    size_t i = 0;
    /* Skip the first period: its value is not a repeat purchase. */
    while (i < m && e[i].b == f)
        i++;
    while (i < m) {
        int64_t b = e[i].b;
        double s = 0.0;
        for (; i < m && e[i].b == b; i++)
            s += e[i].v;
        if (b <= cal_b) {
            x++;
            last = b;
            scrm__sum_add(&ms, s);
        } else {
            hx++;
            scrm__sum_add(&hs, s);
        }
    }
    int64_t fs = scrm__period_index_start(f, o->period);
    r->x[row] = (double)x;
    r->t_x[row] = x ? scrm__rfm_span(fs, scrm__period_index_start(last, o->period), o->unit) : 0.0;
    r->age[row] = scrm__rfm_span(fs, cal_start, o->unit);
    r->monetary[row] = x ? scrm__sum_value(&ms) / (double)x : 0.0;
    r->hx[row] = (double)hx;
    r->hm[row] = hx ? scrm__sum_value(&hs) / (double)hx : 0.0;
    r->first[row] = (double)fs;
    return 1;
}

int scrm__rfm_build(const scrm__rfm_input *in, const scrm_rfm_options *o, scrm_rfm **out,
                    const char *fn)
{
    if (in->n == 0)
        return scrm__error(SCRM_ENODATA, "%s: no transactions", fn);
    int64_t tmax = 0;
    int rc = validate_rows(in, &tmax, fn);
    if (rc)
        return rc;
    int64_t cal_end = o->calibration_end == SCRM_TIME_NONE ? tmax : o->calibration_end;
    int holdout = o->observation_end != SCRM_TIME_NONE;
    int64_t cal_b = scrm__period_index(cal_end, o->period);
    int64_t obs_b = holdout ? scrm__period_index(o->observation_end, o->period) : cal_b;

    size_t *off = scrm__calloc(in->k + 1, sizeof *off);
    entry *ent = NULL;
    scrm_rfm *r = NULL;
    if (!off)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu customers)", fn, in->k);

    /* Count the rows each customer keeps, then scatter them contiguously. */
    size_t used = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (i + PREFETCH < in->n)
            SCRM__PREFETCH(&off[in->cust[i + PREFETCH] + 1]);
        if (scrm__period_index(in->time[i], o->period) <= obs_b) {
            off[in->cust[i] + 1]++;
            used++;
        }
    }
    for (size_t c = 0; c < in->k; c++)
        off[c + 1] += off[c];
    ent = scrm__malloc((used ? used : 1) * sizeof *ent);
    r = alloc_table(in->k);
    if (!ent || !r) {
        rc = scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu transactions)", fn, in->n);
        goto done;
    }
    {
        /* off[c] serves as the fill cursor; afterwards off[c] = end of c. */
        for (size_t i = 0; i < in->n; i++) {
            if (i + PREFETCH < in->n)
                SCRM__PREFETCH(&off[in->cust[i + PREFETCH]]);
            if (i + PREFETCH / 2 < in->n)
                SCRM__PREFETCH(&ent[off[in->cust[i + PREFETCH / 2]]]);
            int64_t b = scrm__period_index(in->time[i], o->period);
            if (b <= obs_b) {
                entry *e = &ent[off[in->cust[i]]++];
                e->b = b;
                e->v = in->value ? in->value[i] : 0.0;
            }
        }
    }

    int64_t cal_start = scrm__period_index_start(cal_b, o->period);
    size_t rows = 0, start = 0;
    uint64_t late = 0, late_tx = 0;
    for (size_t c = 0; c < in->k; c++) {
        size_t end = off[c];
        size_t m = end - start;
        if (m) {
            sort_entries(ent + start, m);
            if (summarise(r, rows, ent + start, m, cal_b, cal_start, o)) {
                r->key[rows++] = in->keys[c];
            } else {
                late++;
                late_tx += m;
            }
        }
        start = end;
    }
    if (rows == 0) {
        rc = scrm__error(SCRM_ENODATA,
                         "%s: no customer made a first purchase by the calibration end", fn);
        goto done;
    }
    r->n = rows;
    r->info.customers = rows;
    r->info.transactions = used - late_tx;
    r->info.after_end = in->n - used;
    r->info.late_customers = late;
    r->info.calibration_end = cal_start;
    r->info.observation_end =
        holdout ? scrm__period_index_start(obs_b, o->period) : SCRM_TIME_NONE;
    r->info.holdout_duration =
        holdout ? scrm__rfm_span(cal_start, r->info.observation_end, o->unit) : 0.0;
    *out = r;
    r = NULL;
    rc = SCRM_OK;
done:
    scrm__free(off);
    scrm__free(ent);
    scrm__rfm_destroy(r);
    return rc;
}
