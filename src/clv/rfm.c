/* RFM summary: public constructors and accessors. The grouping itself is in
 * rfm_build.c; buckets and durations in rfm_time.c. */
#include "clv/rfm.h"

#include "core/civil.h"

#include <stdlib.h>

SCRM_API int scrm_rfm_options_init(scrm_rfm_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "scrm_rfm_options_init: 'opts' is NULL");
    int rc = scrm__check_version(version, SCRM_RFM_OPTIONS_VERSION, "scrm_rfm_options");
    if (rc)
        return rc;
    scrm_rfm_options d = SCRM_RFM_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

static int valid_period(int32_t p)
{
    return p >= SCRM_PERIOD_DAY && p <= SCRM_PERIOD_YEAR;
}

static int check_time(int64_t t, const char *fn, const char *what)
{
    if (t != SCRM_TIME_NONE && (t < SCRM__TIME_MIN || t > SCRM__TIME_MAX))
        return scrm__error(SCRM_ERANGE, "%s: %s %lld outside years 0001..9999", fn, what,
                           (long long)t);
    return SCRM_OK;
}

int scrm__rfm_resolve_options(const scrm_rfm_options *in, scrm_rfm_options *o, const char *fn)
{
    scrm_rfm_options d = SCRM_RFM_OPTIONS_INIT;
    if (!in) {
        *o = d;
        return SCRM_OK;
    }
    int rc = scrm__check_version(in->version, SCRM_RFM_OPTIONS_VERSION, "scrm_rfm_options");
    if (rc)
        return rc;
    *o = *in;
    if (!valid_period(o->period))
        return scrm__error(SCRM_EINVAL, "%s: options.period: unknown period %d", fn,
                           (int)o->period);
    if (!valid_period(o->unit))
        return scrm__error(SCRM_EINVAL, "%s: options.unit: unknown unit %d", fn, (int)o->unit);
    if (o->value != SCRM_RFM_VALUE_AMOUNT && o->value != SCRM_RFM_VALUE_MARGIN)
        return scrm__error(SCRM_EINVAL, "%s: options.value: unknown value %d", fn,
                           (int)o->value);
    if ((rc = check_time(o->calibration_end, fn, "options.calibration_end")) ||
        (rc = check_time(o->observation_end, fn, "options.observation_end")))
        return rc;
    if (o->observation_end != SCRM_TIME_NONE) {
        if (o->calibration_end == SCRM_TIME_NONE)
            return scrm__error(SCRM_EINVAL,
                               "%s: options.observation_end needs options.calibration_end", fn);
        if (o->observation_end < o->calibration_end)
            return scrm__error(SCRM_EINVAL,
                               "%s: options.observation_end %lld is before calibration_end %lld",
                               fn, (long long)o->observation_end,
                               (long long)o->calibration_end);
    }
    return SCRM_OK;
}

SCRM_API int scrm_rfm_new(scrm_rfm **out, const scrm_rfm_options *opts, const scrm_dataset *ds)
{
    static const char fn[] = "scrm_rfm_new";
    if (out)
        *out = NULL;
    if (!out || !ds)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, out ? "ds" : "out");
    scrm_rfm_options o;
    int rc = scrm__rfm_resolve_options(opts, &o, fn);
    if (rc)
        return rc;
    const void *cv, *tv, *vv;
    size_t n, nstr;
    int32_t vcol = o.value == SCRM_RFM_VALUE_MARGIN ? SCRM_TRANSACTIONS_MARGIN
                                                    : SCRM_TRANSACTIONS_AMOUNT;
    if ((rc = scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, &cv,
                                  &n)) ||
        (rc = scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, &tv,
                                  NULL)) ||
        (rc = scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, vcol, &vv, NULL)) ||
        (rc = scrm_dataset_string_count(ds, &nstr)))
        return rc;
    if (n == 0)
        return scrm__error(SCRM_ENODATA, "%s: the transactions table is empty", fn);
    if (n >= UINT32_MAX || nstr >= UINT32_MAX)
        return scrm__error(SCRM_ELIMIT, "%s: %zu transactions exceed the limit", fn, n);
    const uint32_t *ids = cv;
    const double *val = vv;
    if (o.value == SCRM_RFM_VALUE_MARGIN) {
        for (size_t i = 0; i < n; i++)
            if (val[i] != val[i])
                return scrm__error(SCRM_EINVAL, "%s: transactions row %zu: missing margin", fn,
                                   i);
    }
    /* Interned ids are dense over all strings; renumber the customers. */
    uint32_t *map = scrm__malloc(nstr * sizeof *map);
    uint32_t *cust = scrm__malloc(n * sizeof *cust);
    int64_t *keys = scrm__malloc(n * sizeof *keys);
    if (!map || !cust || !keys) {
        rc = scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu transactions)", fn, n);
        goto done;
    }
    for (size_t i = 0; i < nstr; i++)
        map[i] = UINT32_MAX;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t s = ids[i];
        if (s >= nstr) {
            rc = scrm__error(SCRM_EINVAL, "%s: transactions row %zu: bad customer id %u", fn, i,
                             (unsigned)s);
            goto done;
        }
        if (map[s] == UINT32_MAX) {
            map[s] = (uint32_t)k;
            keys[k++] = s;
        }
        cust[i] = map[s];
    }
    scrm__rfm_input in = {n, cust, tv, val, k, keys};
    rc = scrm__rfm_build(&in, &o, out, fn);
done:
    scrm__free(map);
    scrm__free(cust);
    scrm__free(keys);
    return rc;
}

SCRM_API int scrm_rfm_new_from_arrays(scrm_rfm **out, const scrm_rfm_options *opts,
                                      const int64_t *customer, const int64_t *time,
                                      const double *value, size_t n)
{
    static const char fn[] = "scrm_rfm_new_from_arrays";
    if (out)
        *out = NULL;
    if (!out || (n && (!customer || !time)))
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn,
                           !out ? "out" : !customer ? "customer" : "time");
    scrm_rfm_options o;
    int rc = scrm__rfm_resolve_options(opts, &o, fn);
    if (rc)
        return rc;
    if (n == 0)
        return scrm__error(SCRM_ENODATA, "%s: no transactions", fn);
    if (n >= UINT32_MAX)
        return scrm__error(SCRM_ELIMIT, "%s: %zu transactions exceed the limit", fn, n);
    uint32_t *cust = scrm__malloc(n * sizeof *cust);
    int64_t *keys = NULL;
    size_t k = 0;
    if (!cust)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu transactions)", fn, n);
    rc = scrm__rfm_densify(customer, n, cust, &keys, &k);
    if (rc == SCRM_OK) {
        scrm__rfm_input in = {n, cust, time, value, k, keys};
        rc = scrm__rfm_build(&in, &o, out, fn);
    }
    scrm__free(cust);
    scrm__free(keys);
    return rc;
}

SCRM_API void scrm_rfm_free(scrm_rfm *rfm)
{
    scrm__rfm_destroy(rfm);
}

SCRM_API int scrm_rfm_get_info(const scrm_rfm *rfm, scrm_rfm_info *out)
{
    if (!rfm || !out)
        return scrm__error(SCRM_EINVAL, "scrm_rfm_get_info: '%s' is NULL", rfm ? "out" : "rfm");
    *out = rfm->info;
    return SCRM_OK;
}

/* Common checks of the caller-buffer accessors. */
static int check_buffer(const scrm_rfm *rfm, const void *out, size_t cap, size_t *out_len,
                        const char *fn)
{
    if (!rfm || !out_len || (cap && !out))
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn,
                           !rfm ? "rfm" : !out_len ? "out_len" : "out");
    *out_len = rfm->n;
    if (cap < rfm->n)
        return scrm__error(SCRM_EBUFS, "%s: buffer holds %zu values, %zu needed", fn, cap,
                           rfm->n);
    return SCRM_OK;
}

SCRM_API int scrm_rfm_customers(const scrm_rfm *rfm, int64_t *out, size_t cap, size_t *out_len)
{
    int rc = check_buffer(rfm, out, cap, out_len, "scrm_rfm_customers");
    if (rc)
        return rc;
    for (size_t i = 0; i < rfm->n; i++)
        out[i] = rfm->key[i];
    return SCRM_OK;
}

SCRM_API int scrm_rfm_column(const scrm_rfm *rfm, int32_t column, double *out, size_t cap,
                             size_t *out_len)
{
    static const char fn[] = "scrm_rfm_column";
    const double *src = NULL;
    if (rfm) {
        switch (column) {
        case SCRM_RFM_FREQUENCY: src = rfm->x; break;
        case SCRM_RFM_RECENCY: src = rfm->t_x; break;
        case SCRM_RFM_AGE: src = rfm->age; break;
        case SCRM_RFM_MONETARY: src = rfm->monetary; break;
        case SCRM_RFM_HOLDOUT_FREQUENCY: src = rfm->hx; break;
        case SCRM_RFM_HOLDOUT_MONETARY: src = rfm->hm; break;
        case SCRM_RFM_FIRST: src = rfm->first; break;
        default:
            return scrm__error(SCRM_EINVAL, "%s: unknown column %d", fn, (int)column);
        }
    }
    int rc = check_buffer(rfm, out, cap, out_len, fn);
    if (rc)
        return rc;
    for (size_t i = 0; i < rfm->n; i++)
        out[i] = src[i];
    return SCRM_OK;
}

typedef struct triple {
    double x, t_x, age;
} triple;

static int cmp_triple(const void *pa, const void *pb)
{
    const triple *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->t_x != b->t_x)
        return a->t_x < b->t_x ? -1 : 1;
    if (a->age != b->age)
        return a->age < b->age ? -1 : 1;
    return 0;
}

SCRM_API int scrm_rfm_collapse(const scrm_rfm *rfm, double *x, double *t_x, double *T,
                               double *weight, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_rfm_collapse";
    if (!rfm || !out_len || (cap && (!x || !t_x || !T || !weight)))
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", fn);
    triple *tr = scrm__malloc(rfm->n * sizeof *tr);
    if (!tr)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu rows)", fn, rfm->n);
    for (size_t i = 0; i < rfm->n; i++) {
        tr[i].x = rfm->x[i];
        tr[i].t_x = rfm->t_x[i];
        tr[i].age = rfm->age[i];
    }
    qsort(tr, rfm->n, sizeof *tr, cmp_triple);
    size_t m = 0;
    for (size_t i = 0; i < rfm->n;) {
        size_t j = i + 1;
        while (j < rfm->n && cmp_triple(&tr[i], &tr[j]) == 0)
            j++;
        if (m < cap) {
            x[m] = tr[i].x;
            t_x[m] = tr[i].t_x;
            T[m] = tr[i].age;
            weight[m] = (double)(j - i);
        }
        m++;
        i = j;
    }
    scrm__free(tr);
    *out_len = m;
    if (m > cap)
        return scrm__error(SCRM_EBUFS, "%s: buffers hold %zu rows, %zu needed", fn, cap, m);
    return SCRM_OK;
}
