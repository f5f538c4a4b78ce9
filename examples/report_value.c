/* Customer value section of scrm-report: RFM summary from the transactions,
 * BG/NBD and Gamma-Gamma fits, 12-month CLV per customer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double *rfm_column(const scrm_rfm *rfm, int32_t column, size_t n)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    size_t len = 0;
    if (v && scrm_rfm_column(rfm, column, v, n, &len) != SCRM_OK) {
        free(v);
        return NULL;
    }
    return v;
}

/* Share of revenue that is margin, over all transactions with both figures. */
static double margin_ratio(const scrm_dataset *ds)
{
    const void *a = NULL, *g = NULL;
    size_t n = 0;
    double amount = 0, margin = 0;
    if (scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, &a, &n) ==
            SCRM_OK &&
        scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_MARGIN, &g, NULL) ==
            SCRM_OK)
        for (size_t i = 0; i < n; i++) {
            double ai = ((const double *)a)[i], gi = ((const double *)g)[i];
            if (gi == gi) { /* margin given (not NaN) */
                amount += ai;
                margin += gi;
            }
        }
    return amount > 0 ? margin / amount : 1.0;
}

static void fit_fields(report *r, const scrm_clv_fit_result *f)
{
    for (uint32_t i = 0; i < f->n_params; i++)
        out_num(r, scrm_clv_kind_param_name(f->kind, i), scrm_clv_kind_param_name(f->kind, i),
                f->params[i], 4);
    out_num(r, "log_likelihood", "log-likelihood", f->log_likelihood, 2);
    out_str(r, "converged", "converged", f->converged ? "yes" : "no");
}

void section_customer_value(report *r)
{
    out_section(r, "customer_value", "Customer lifetime value");
    scrm_rfm_options ro;
    scrm_rfm_options_init(&ro, SCRM_RFM_OPTIONS_VERSION);
    ro.unit = SCRM_PERIOD_WEEK;
    ro.value = SCRM_RFM_VALUE_AMOUNT;
    scrm_rfm *rfm = NULL;
    scrm_rfm_info info;
    int rc = scrm_rfm_new(&rfm, &ro, r->ds);
    if (rc == SCRM_OK)
        rc = scrm_rfm_get_info(rfm, &info);
    if (rc != SCRM_OK) {
        out_error(r, "rfm", rc);
        scrm_rfm_free(rfm);
        out_end(r);
        return;
    }
    size_t n = (size_t)info.customers;
    double *x = rfm_column(rfm, SCRM_RFM_FREQUENCY, n), *tx = rfm_column(rfm, SCRM_RFM_RECENCY, n),
           *age = rfm_column(rfm, SCRM_RFM_AGE, n), *m = rfm_column(rfm, SCRM_RFM_MONETARY, n);
    double *alive = malloc((n ? n : 1) * sizeof(double)), *clv = malloc((n ? n : 1) * sizeof(double));
    scrm_clv_model *bg = NULL, *gg = NULL;
    if (!x || !tx || !age || !m || !alive || !clv) {
        out_str(r, "error", "error", "out of memory");
        goto done;
    }
    out_int(r, "customers", "customers with purchases", (int64_t)n);
    out_int(r, "transactions", "transactions", (int64_t)info.transactions);
    double ratio = margin_ratio(r->ds);
    out_num(r, "margin_ratio", "margin / amount", ratio, 3);
    out_note(r, "time unit: weeks; spend: amount per repeat purchase, CLV in margin");

    scrm_clv_data data = SCRM_CLV_DATA_INIT;
    data.n = n;
    data.frequency = x;
    data.recency = tx;
    data.age = age;
    data.monetary = m;
    scrm_clv_fit_result fb, fg;
    rc = scrm_clv_model_fit(&bg, SCRM_CLV_BGNBD, &data, NULL, &fb);
    if (rc != SCRM_OK && rc != SCRM_EMAXITER) {
        out_error(r, "BG/NBD fit", rc);
        goto done;
    }
    out_object(r, "bgnbd", "BG/NBD purchase model:");
    fit_fields(r, &fb);
    out_end(r);
    /* Gamma-Gamma is fitted on repeat buyers only (Fader, Hardie & Lee 2005). */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] > 0 && m[i] > 0) { /* refunds can make a mean negative */
            alive[k] = x[i];
            clv[k++] = m[i];
        }
    scrm_clv_data repeat = SCRM_CLV_DATA_INIT;
    repeat.n = k;
    repeat.frequency = alive;
    repeat.monetary = clv;
    rc = scrm_clv_model_fit(&gg, SCRM_CLV_GAMMA_GAMMA, &repeat, NULL, &fg);
    if (rc != SCRM_OK && rc != SCRM_EMAXITER) {
        out_error(r, "Gamma-Gamma fit", rc);
        goto done;
    }
    out_object(r, "gamma_gamma", "Gamma-Gamma spend model (repeat buyers):");
    out_int(r, "customers", "repeat buyers", (int64_t)k);
    fit_fields(r, &fg);
    out_end(r);

    size_t len = 0;
    scrm_clv_value_options vo;
    scrm_clv_value_options_init(&vo, SCRM_CLV_VALUE_OPTIONS_VERSION);
    vo.units_per_month = SCRM_CLV_UNITS_PER_MONTH_WEEKS;
    vo.margin = ratio;
    /* Net refunds can make a customer's mean spend negative; count them at 0. */
    size_t refunded = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i] < 0) {
            m[i] = 0;
            refunded++;
        }
    if (refunded)
        out_note(r, "%zu customers with net refunds counted at zero spend", refunded);
    if (scrm_clv_probability_alive(bg, &data, alive, n, &len) != SCRM_OK ||
        scrm_clv_customer_value(bg, gg, &data, &vo, clv, n, &len) != SCRM_OK) {
        out_error(r, "CLV", scrm_last_error_code());
        goto done;
    }
    double total = 0, alive_sum = 0;
    for (size_t i = 0; i < n; i++) {
        total += clv[i];
        alive_sum += alive[i];
    }
    qsort(clv, n, sizeof *clv, cmp_double);
    double top = 0;
    for (size_t i = n - n / 10; i < n; i++)
        top += clv[i];
    out_object(r, "clv", "12-month CLV (margin, 1% per month discount):");
    out_num(r, "total", "total", total, 2);
    out_num(r, "mean", "mean per customer", n ? total / (double)n : NO_VALUE, 2);
    out_num(r, "median", "median", n ? clv[n / 2] : NO_VALUE, 2);
    out_num(r, "p90", "90th percentile", n ? clv[(size_t)(0.9 * (double)(n - 1))] : NO_VALUE, 2);
    out_num(r, "top_decile_share", "share of the top 10% of customers %",
            total > 0 ? 100 * top / total : NO_VALUE, 1);
    out_num(r, "mean_p_alive", "mean probability alive", n ? alive_sum / (double)n : NO_VALUE, 3);
    out_end(r);
    r->customers = (double)n;
    r->margin_per_customer_year = n ? total / (double)n : 0;
done:
    scrm_clv_model_free(bg);
    scrm_clv_model_free(gg);
    free(x);
    free(tx);
    free(age);
    free(m);
    free(alive);
    free(clv);
    scrm_rfm_free(rfm);
    out_end(r);
}
