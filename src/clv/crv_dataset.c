/* CRV from a dataset: referrals joined to the referees' transactions, summed
 * per period after each referral, then added as in scrm_crv_add(). */
#include "clv/rfm.h"
#include "clv/crv.h"
#include "core/period.h"

#include <math.h>
#include <string.h>

#define NONE UINT32_MAX

typedef struct tables {
    size_t nr, nt, nc, nstr;
    const uint32_t *referrer, *referee, *tx_customer, *cust_id;
    const int64_t *ref_time, *tx_time;
    const int8_t *converted;
    const double *incentive, *amount, *margin, *acq_cost;
} tables;

static int load(const scrm_dataset *ds, tables *t)
{
    const void *p[12];
    int st;
    memset(t, 0, sizeof *t);
    if ((st = scrm_dataset_column(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_REFERRER, &p[0], &t->nr)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_REFEREE, &p[1], NULL)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_TIME, &p[2], NULL)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_CONVERTED, &p[3], NULL)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_INCENTIVE_COST, &p[4],
                                  NULL)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, &p[5],
                                  &t->nt)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, &p[6], NULL)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, &p[7], NULL)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_MARGIN, &p[8], NULL)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ID, &p[9], &t->nc)) ||
        (st = scrm_dataset_column(ds, SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ACQUISITION_COST, &p[10],
                                  NULL)) ||
        (st = scrm_dataset_string_count(ds, &t->nstr)))
        return st;
    t->referrer = p[0], t->referee = p[1], t->ref_time = p[2], t->converted = p[3];
    t->incentive = p[4], t->tx_customer = p[5], t->tx_time = p[6], t->amount = p[7];
    t->margin = p[8], t->cust_id = p[9], t->acq_cost = p[10];
    return SCRM_OK;
}

/* Mean acquisition cost of customers who were not referred. */
static int acquisition_mean(const tables *t, const uint32_t *referee_of, double *out,
                            const char *fn)
{
    scrm__sum s = SCRM__SUM_INIT;
    size_t k = 0;
    for (size_t i = 0; i < t->nc; i++) {
        uint32_t id = t->cust_id[i];
        if (id < t->nstr && referee_of[id] == NONE && !isnan(t->acq_cost[i])) {
            scrm__sum_add(&s, t->acq_cost[i]);
            k++;
        }
    }
    if (k == 0)
        return scrm__error(SCRM_ENODATA,
                           "%s: acquisition_source = customers, but no customer who was not "
                           "referred has an acquisition_cost", fn);
    *out = scrm__sum_value(&s) / (double)k;
    return SCRM_OK;
}

SCRM_API int scrm_crv_compute(scrm_crv *crv, const scrm_dataset *ds, scrm_crv_result *out)
{
    static const char fn[] = "scrm_crv_compute";
    if (!crv || !ds)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, crv ? "ds" : "crv");
    tables t;
    int st = load(ds, &t);
    if (st)
        return st;
    if (t.nr == 0)
        return scrm__error(SCRM_ENODATA, "%s: the referrals table is empty", fn);
    if (t.nstr >= NONE || t.nr >= NONE)
        return scrm__error(SCRM_ELIMIT, "%s: too many rows or strings", fn);
    const scrm_crv_options *o = &crv->o;
    const uint32_t H = o->horizon;

    int64_t end = o->observation_end;
    if (end == SCRM_TIME_NONE) {
        end = INT64_MIN;
        for (size_t i = 0; i < t.nt; i++)
            end = t.tx_time[i] > end ? t.tx_time[i] : end;
        for (size_t i = 0; i < t.nr; i++)
            end = t.ref_time[i] > end ? t.ref_time[i] : end;
    }

    /* The counted referral of each referee: the earliest converted one. */
    uint32_t *best = scrm__malloc(t.nstr * sizeof *best);
    uint32_t *dense = scrm__malloc(t.nstr * sizeof *dense);
    double *margins = NULL;
    if (!best || !dense) {
        st = scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
        goto done;
    }
    for (size_t i = 0; i < t.nstr; i++)
        best[i] = dense[i] = NONE;
    uint64_t not_converted = 0, duplicates = 0, after_end = 0;
    for (size_t i = 0; i < t.nr; i++) {
        uint32_t y = t.referee[i];
        if (y == 0 || y >= t.nstr || t.converted[i] == 0) {
            not_converted++;
            continue;
        }
        if (t.ref_time[i] > end) {
            after_end++;
            continue;
        }
        if (best[y] == NONE) {
            best[y] = (uint32_t)i;
        } else {
            duplicates++;
            if (t.ref_time[i] < t.ref_time[best[y]])
                best[y] = (uint32_t)i;
        }
    }
    size_t ny = 0;
    for (size_t s = 0; s < t.nstr; s++)
        if (best[s] != NONE)
            dense[s] = (uint32_t)ny++;
    size_t cells;
    if ((st = scrm__mul_size(ny ? ny : 1, (size_t)H * sizeof(double), &cells)))
        goto done;
    margins = scrm__calloc(1, cells);
    if (!margins) {
        st = scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu referees)", fn, ny);
        goto done;
    }
    /* Referee transactions from the referral on, summed per period. */
    for (size_t i = 0; i < t.nt; i++) {
        uint32_t c = t.tx_customer[i];
        if (c >= t.nstr || dense[c] == NONE)
            continue;
        int64_t rt = t.ref_time[best[c]], tt = t.tx_time[i];
        if (tt < rt || tt > end)
            continue;
        int64_t k = scrm__period_index(tt, o->period) - scrm__period_index(rt, o->period) + 1;
        if (k > (int64_t)H)
            continue;
        double v;
        if (o->margin_source == SCRM_CRV_SOURCE_MARGIN) {
            v = t.margin[i];
            if (isnan(v)) {
                st = scrm__error(SCRM_EINVAL,
                                 "%s: transactions row %zu: a referee's transaction has no margin "
                                 "(use margin_source = SCRM_CRV_SOURCE_AMOUNT with a margin_rate)", fn, i);
                goto done;
            }
        } else {
            v = t.amount[i] * o->margin_rate;
        }
        margins[(size_t)dense[c] * H + (size_t)(k - 1)] += v;
    }
    for (size_t i = 0; i < ny * H; i++)
        if (!isfinite(margins[i])) {
            st = scrm__error(SCRM_ERANGE, "%s: a referee's margin overflows", fn);
            goto done;
        }
    double acq = o->acquisition_saving;
    if (o->acquisition_source == SCRM_CRV_ACQUISITION_CUSTOMERS &&
        (st = acquisition_mean(&t, dense, &acq, fn)))
        goto done;

    scrm_crv_reset(crv);
    if ((st = scrm__crv_reserve(crv, ny, fn)))
        goto done;
    int64_t end_b = scrm__period_index(end, o->period);
    double p = 1.0 - o->share_anyway;
    for (size_t s = 0; s < t.nstr; s++) {
        if (dense[s] == NONE)
            continue;
        uint32_t r = best[s];
        int64_t act = end_b - scrm__period_index(t.ref_time[r], o->period) + 1;
        double inc = isnan(t.incentive[r]) ? 0.0 : t.incentive[r];
        scrm__crv_add_one(crv, scrm__crv_entry_get(crv, t.referrer[r]),
                          margins + (size_t)dense[s] * H,
                          (uint32_t)(act < 0 ? 0 : act > (int64_t)H ? H : act), inc, acq, p);
    }
    crv->referrals = t.nr;
    crv->not_converted = not_converted;
    crv->duplicates = duplicates;
    crv->after_end = after_end;
    st = out ? scrm_crv_finalize(crv, out) : SCRM_OK;
done:
    scrm__free(best);
    scrm__free(dense);
    scrm__free(margins);
    return st;
}
