/* Concurrent use: the library has no shared mutable state, so distinct
 * handles used from several threads at once must give exactly (bit for bit)
 * the single-threaded results; read-only calls may share one handle; each
 * thread has its own last error and its own allocation-failure countdown.
 * `bash tools/dev tsan` runs this suite under ThreadSanitizer. */
#ifdef SCRM_TEST_PLAIN
#include "plain_test.h" /* the ThreadSanitizer build (see plain_test.h) */
#else
#include <criterion/criterion.h>
#endif

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hardening_data.h"
#include "core/internal.h"
#include "scrm.h"

#define THREADS 4
#define ROUNDS 2
#define ROWS 400

/* ---- shared, read-only input ---- */

static char *csv[SCRM_TABLE_COUNT];
static size_t csv_len[SCRM_TABLE_COUNT];

static void inputs_init(void)
{
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++)
        csv[t] = hd_csv(t, t == SCRM_TABLE_CUSTOMERS ? ROWS / 3 + 1 : ROWS, 42, &csv_len[t]);
}

static void inputs_fini(void)
{
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++)
        free(csv[t]);
}

TestSuite(concurrency, .init = inputs_init, .fini = inputs_fini, .timeout = 600);

/* ---- a digest of everything a workload computes ---- */

typedef struct digest {
    unsigned char *b;
    size_t len, cap;
    int failed;       /* a call failed: status and message below */
    int status;
    char what[96];
    char message[512];
} digest;

static void put(digest *d, const void *p, size_t n)
{
    if (d->len + n > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4096;
        while (cap < d->len + n)
            cap *= 2;
        d->b = realloc(d->b, cap);
        if (!d->b)
            abort();
        d->cap = cap;
    }
    memcpy(d->b + d->len, p, n);
    d->len += n;
}

/* Record a call's status; the first failure is kept with its message (read
 * on the calling thread, right after the call). */
static int ok(digest *d, int rc, const char *what)
{
    put(d, &rc, sizeof rc);
    if (rc != SCRM_OK && !d->failed) {
        d->failed = 1;
        d->status = rc;
        snprintf(d->what, sizeof d->what, "%s", what);
        snprintf(d->message, sizeof d->message, "%s", scrm_last_error_message());
    }
    return rc == SCRM_OK;
}

#define PUT(d, x) put((d), &(x), sizeof(x))

/* Result structs are zeroed before each call so padding bytes compare equal. */
#define ZERO(x) memset(&(x), 0, sizeof(x))

/* ---- the workload: every calculator on its own handles ---- */

static scrm_dataset *load_dataset(digest *d)
{
    scrm_dataset *ds = NULL;
    if (!ok(d, scrm_dataset_new(&ds), "scrm_dataset_new"))
        return NULL;
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++) {
        scrm_load_report rep;
        ZERO(rep);
        ok(d, scrm_dataset_load_csv_buffer(ds, t, csv[t], csv_len[t], NULL, NULL, &rep),
           scrm_table_name(t));
        PUT(d, rep);
    }
    return ds;
}

static void nps_work(digest *d, const scrm_dataset *ds)
{
    scrm_nps *x = NULL;
    if (!ok(d, scrm_nps_new(&x, NULL), "scrm_nps_new"))
        return;
    scrm_nps_result r;
    ZERO(r);
    ok(d, scrm_nps_compute(x, ds, &r), "scrm_nps_compute");
    PUT(d, r);
    scrm_nps_group g[64];
    size_t len = 0;
    ZERO(g);
    ok(d, scrm_nps_compute_by_segment(x, ds, g, 64, &len), "scrm_nps_compute_by_segment");
    put(d, g, len * sizeof *g);
    ZERO(g);
    ok(d, scrm_nps_compute_by_period(x, ds, SCRM_PERIOD_MONTH, g, 64, &len),
       "scrm_nps_compute_by_period");
    put(d, g, len * sizeof *g);
    scrm_nps_referral f;
    ZERO(f);
    ok(d, scrm_nps_referral_compute(ds, &f), "scrm_nps_referral_compute");
    PUT(d, f);
    /* Accumulator round trip: serialize, deserialize, merge. */
    uint8_t buf[512];
    size_t n = 0;
    scrm_nps *y = NULL;
    ok(d, scrm_nps_serialize(x, buf, sizeof buf, &n), "scrm_nps_serialize");
    put(d, buf, n);
    if (ok(d, scrm_nps_deserialize(&y, buf, n), "scrm_nps_deserialize")) {
        ok(d, scrm_nps_merge(y, x), "scrm_nps_merge");
        ZERO(r);
        ok(d, scrm_nps_finalize(y, &r), "scrm_nps_finalize");
        PUT(d, r);
    }
    scrm_nps_free(y);
    scrm_nps_free(x);
}

static void engagement_work(digest *d, const scrm_dataset *ds)
{
    scrm_engagement *e = NULL;
    if (!ok(d, scrm_engagement_new(&e, NULL), "scrm_engagement_new"))
        return;
    scrm_engagement_result r;
    ZERO(r);
    ok(d, scrm_engagement_compute(e, ds, &r), "scrm_engagement_compute");
    PUT(d, r);
    scrm_engagement_result p[32];
    size_t len = 0;
    ZERO(p);
    ok(d, scrm_engagement_periods(e, p, 32, &len), "scrm_engagement_periods");
    put(d, p, len * sizeof *p);
    /* serialize / deserialize / finalize of the same state */
    size_t need = 0;
    scrm_engagement_serialize(e, NULL, 0, &need);
    uint8_t *buf = malloc(need ? need : 1);
    scrm_engagement *f = NULL;
    if (buf && ok(d, scrm_engagement_serialize(e, buf, need, &need), "scrm_engagement_serialize") &&
        ok(d, scrm_engagement_deserialize(&f, buf, need), "scrm_engagement_deserialize")) {
        put(d, buf, need);
        ZERO(r);
        ok(d, scrm_engagement_finalize(f, &r), "scrm_engagement_finalize");
        PUT(d, r);
    }
    free(buf);
    scrm_engagement_free(f);
    scrm_engagement_free(e);
}

static void service_work(digest *d, const scrm_dataset *ds)
{
    scrm_service_options o;
    ok(d, scrm_service_options_init(&o, SCRM_SERVICE_OPTIONS_VERSION), "service options");
    o.group_by = SCRM_SERVICE_GROUP_AGENT;
    scrm_service *s = NULL;
    if (!ok(d, scrm_service_new(&s, &o), "scrm_service_new"))
        return;
    scrm_service_result r;
    ZERO(r);
    ok(d, scrm_service_compute(s, ds, &r), "scrm_service_compute");
    PUT(d, r);
    scrm_service_stats g[16];
    size_t len = 0;
    ZERO(g);
    ok(d, scrm_service_groups(s, g, 16, &len), "scrm_service_groups");
    put(d, g, len * sizeof *g);
    size_t need = 0;
    scrm_service_serialize(s, NULL, 0, &need);
    uint8_t *buf = malloc(need ? need : 1);
    scrm_service *t = NULL;
    if (buf && ok(d, scrm_service_serialize(s, buf, need, &need), "scrm_service_serialize") &&
        ok(d, scrm_service_deserialize(&t, buf, need), "scrm_service_deserialize")) {
        put(d, buf, need);
        ZERO(r);
        ok(d, scrm_service_finalize(t, &r), "scrm_service_finalize");
        PUT(d, r);
    }
    free(buf);
    scrm_service_free(t);
    scrm_service_free(s);
}

static void clv_work(digest *d, const scrm_dataset *ds)
{
    scrm_rfm_options o;
    ok(d, scrm_rfm_options_init(&o, SCRM_RFM_OPTIONS_VERSION), "rfm options");
    o.period = SCRM_PERIOD_WEEK;
    o.unit = SCRM_PERIOD_WEEK;
    scrm_rfm *rfm = NULL;
    if (!ok(d, scrm_rfm_new(&rfm, &o, ds), "scrm_rfm_new"))
        return;
    scrm_rfm_info info;
    ZERO(info);
    ok(d, scrm_rfm_get_info(rfm, &info), "scrm_rfm_get_info");
    PUT(d, info);
    double x[ROWS], tx[ROWS], T[ROWS], w[ROWS];
    size_t n = 0;
    if (ok(d, scrm_rfm_collapse(rfm, x, tx, T, w, ROWS, &n), "scrm_rfm_collapse")) {
        put(d, x, n * sizeof *x);
        put(d, T, n * sizeof *T);
        scrm_clv_data cd = SCRM_CLV_DATA_INIT;
        cd.n = n;
        cd.frequency = x;
        cd.recency = tx;
        cd.age = T;
        cd.weights = w;
        scrm_clv_model *m = NULL;
        scrm_clv_fit_result fr;
        ZERO(fr);
        int rc = scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &cd, NULL, &fr);
        /* Small synthetic data need not converge; the outcome must still be
         * the same in every thread. */
        PUT(d, rc);
        PUT(d, fr);
        if (m) {
            double out[ROWS];
            size_t len = 0;
            ok(d, scrm_clv_probability_alive(m, &cd, out, ROWS, &len), "probability_alive");
            put(d, out, len * sizeof *out);
            uint8_t buf[512];
            size_t bl = 0;
            ok(d, scrm_clv_model_serialize(m, buf, sizeof buf, &bl), "clv serialize");
            put(d, buf, bl);
        }
        scrm_clv_model_free(m);
    }
    scrm_rfm_free(rfm);
}

static void crv_work(digest *d, const scrm_dataset *ds)
{
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    o.margin_source = SCRM_CRV_SOURCE_AMOUNT;
    o.margin_rate = 0.3;
    scrm_crv *c = NULL;
    if (!ok(d, scrm_crv_new(&c, &o), "scrm_crv_new"))
        return;
    scrm_crv_result r;
    ZERO(r);
    ok(d, scrm_crv_compute(c, ds, &r), "scrm_crv_compute");
    PUT(d, r);
    double v[ROWS];
    size_t len = 0;
    ok(d, scrm_crv_column(c, SCRM_CRV_VALUE, v, ROWS, &len), "scrm_crv_column");
    put(d, v, len * sizeof *v);
    scrm_crv_free(c);
    static const double surv[8] = {1000, 631, 468, 382, 326, 289, 262, 241};
    scrm_clv_model *m = NULL;
    scrm_clv_fit_result fr;
    ZERO(fr);
    if (ok(d, scrm_clv_sbg_fit_survivors(&m, surv, 8, NULL, &fr), "sbg fit")) {
        PUT(d, fr);
        double t[3] = {1, 5, 12}, out[3];
        ok(d, scrm_clv_sbg_retention(m, t, 3, out, 3, &len), "sbg retention");
        put(d, out, len * sizeof *out);
    }
    scrm_clv_model_free(m);
}

/* BG/BB on the donations summary (Fader, Hardie & Shang 2010): fit, P(alive),
 * conditional expectations, a saved model. */
static void bgbb_work(digest *d)
{
    static const double x[22] = {0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6};
    static const double tx[22] = {0, 1, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 3, 4, 5, 6, 4, 5, 6, 5, 6, 6};
    static const double w[22] = {3464, 1091, 277, 129, 78,  119, 129, 613, 255, 155, 173,
                                 234,  322,  181, 225, 357, 240, 284, 512, 335, 728, 1203};
    double n[22];
    for (int i = 0; i < 22; i++)
        n[i] = 6;
    scrm_clv_data cd = SCRM_CLV_DATA_INIT;
    cd.n = 22;
    cd.frequency = x;
    cd.recency = tx;
    cd.age = n;
    cd.weights = w;
    scrm_clv_model *m = NULL;
    scrm_clv_fit_result fr;
    ZERO(fr);
    if (!ok(d, scrm_clv_model_fit(&m, SCRM_CLV_BGBB, &cd, NULL, &fr), "bgbb fit"))
        return;
    PUT(d, fr);
    double out[22];
    size_t len = 0;
    ok(d, scrm_clv_probability_alive(m, &cd, out, 22, &len), "bgbb p_alive");
    put(d, out, len * sizeof *out);
    ok(d, scrm_clv_conditional_expected_purchases(m, 5, &cd, out, 22, &len), "bgbb cond");
    put(d, out, len * sizeof *out);
    uint8_t buf[512];
    size_t bl = 0;
    ok(d, scrm_clv_model_serialize(m, buf, sizeof buf, &bl), "bgbb serialize");
    put(d, buf, bl);
    scrm_clv_model_free(m);
}

/* RFM histogram: the dataset's RFM summary plus arrays, saved, fitted. */
static void rfm_hist_work(digest *d, const scrm_dataset *ds)
{
    static const double x[4] = {0, 1, 2, 1}, tx[4] = {0, 3, 5, 3}, T[4] = {6, 6, 6, 6};
    scrm_rfm_hist *h = NULL;
    if (!ok(d, scrm_rfm_hist_new(&h, NULL), "scrm_rfm_hist_new"))
        return;
    scrm_rfm *rfm = NULL;
    if (ok(d, scrm_rfm_new(&rfm, NULL, ds), "rfm for the histogram"))
        ok(d, scrm_rfm_hist_add_rfm(h, rfm), "scrm_rfm_hist_add_rfm");
    scrm_rfm_free(rfm);
    ok(d, scrm_rfm_hist_add(h, x, tx, T, NULL, 4), "scrm_rfm_hist_add");
    scrm_rfm_hist_info info;
    ZERO(info);
    ok(d, scrm_rfm_hist_get_info(h, &info), "scrm_rfm_hist_get_info");
    PUT(d, info);
    size_t need = 0, bl = 0;
    uint8_t *buf = scrm_rfm_hist_serialize(h, NULL, 0, &need) == SCRM_EBUFS ? malloc(need) : NULL;
    PUT(d, need);
    if (buf && ok(d, scrm_rfm_hist_serialize(h, buf, need, &bl), "scrm_rfm_hist_serialize"))
        put(d, buf, bl);
    free(buf);
    scrm_clv_model *m = NULL;
    scrm_clv_fit_result fr;
    ZERO(fr);
    int rc = scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, h, NULL, &fr);
    PUT(d, rc); /* small data need not converge: the same outcome everywhere */
    PUT(d, fr);
    scrm_clv_model_free(m);
    scrm_rfm_hist_free(h);
}

static void roi_work(digest *d, const scrm_dataset *ds, uint32_t mc_threads)
{
    scrm_roi_options o;
    ok(d, scrm_roi_options_init(&o, SCRM_ROI_OPTIONS_VERSION), "roi options");
    o.horizon = 24;
    o.start = 1672531200; /* 2023-01-01 */
    scrm_roi_model *m = NULL;
    if (!ok(d, scrm_roi_model_new(&m, &o), "scrm_roi_model_new"))
        return;
    int32_t cost = -1, benefit = -1, table = -1;
    ok(d, scrm_roi_model_add_cost(m, "platform", NULL, 0, -1, 1000, 0.01, &cost), "add_cost");
    ok(d, scrm_roi_model_add_benefit(m, "sales", NULL, 1, -1, 1500, 0.02, &benefit),
       "add_benefit");
    ok(d, scrm_roi_model_add_costs_table(m, "program", NULL, ds, NULL, &table),
       "add_costs_table");
    ok(d, scrm_roi_model_set_uncertain(m, benefit, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_TRIANGULAR,
                                       800, 1500, 2500),
       "set_uncertain");
    ok(d, scrm_roi_model_set_scenario(m, "pessimistic", benefit, SCRM_ROI_INPUT_AMOUNT, 900),
       "set_scenario");
    scrm_roi_result r;
    ZERO(r);
    ok(d, scrm_roi_model_evaluate(m, NULL, &r), "evaluate");
    PUT(d, r);
    ZERO(r);
    ok(d, scrm_roi_model_evaluate(m, "pessimistic", &r), "evaluate scenario");
    PUT(d, r);
    scrm_roi_sensitivity_row rows[8];
    size_t len = 0;
    ZERO(rows);
    ok(d, scrm_roi_model_sensitivity(m, NULL, rows, 8, &len), "sensitivity");
    put(d, rows, len * sizeof *rows);
    scrm_roi_mc_options mo;
    ok(d, scrm_roi_mc_options_init(&mo, SCRM_ROI_MC_OPTIONS_VERSION), "mc options");
    mo.iterations = 600;
    mo.seed = 7;
    mo.threads = mc_threads;
    scrm_roi_mc *mc = NULL;
    if (ok(d, scrm_roi_mc_run(&mc, m, &mo), "scrm_roi_mc_run")) {
        scrm_roi_mc_summary s;
        ZERO(s);
        ok(d, scrm_roi_mc_summarize(mc, &s), "mc summarize");
        PUT(d, s);
    }
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
}

static void finance_work(digest *d)
{
    static const double flows[] = {-1000, 200, 300, 400, 500, -50, 300};
    double v = 0, roots[8];
    size_t n = 0;
    ok(d, scrm_finance_npv(0.07, flows, 7, &v), "scrm_finance_npv");
    PUT(d, v);
    ok(d, scrm_finance_irr(flows, 7, roots, 8, &n), "scrm_finance_irr");
    put(d, roots, n * sizeof *roots);
    scrm_sf_result sr;
    ZERO(sr);
    ok(d, scrm_sf_hyperg_2F1_e(1.5, 2.25, 3.5, 0.75, &sr), "2F1");
    PUT(d, sr);
}

/* Everything on fresh handles; `mc_threads` > 1 nests the Monte Carlo
 * workers inside the test's threads. */
static void workload(digest *d, uint32_t mc_threads)
{
    scrm_dataset *ds = load_dataset(d);
    if (!ds)
        return;
    nps_work(d, ds);
    engagement_work(d, ds);
    service_work(d, ds);
    clv_work(d, ds);
    crv_work(d, ds);
    bgbb_work(d);
    rfm_hist_work(d, ds);
    roi_work(d, ds, mc_threads);
    finance_work(d);
    scrm_dataset_free(ds);
}

static void expect_same(const digest *ref, const digest *got, const char *who)
{
    cr_assert(!got->failed, "%s: %s failed: %d (%s): %s", who, got->what, got->status,
              scrm_strerror(got->status), got->message);
    cr_assert_eq(got->len, ref->len, "%s: digest of %zu bytes, single-threaded %zu", who,
                 got->len, ref->len);
    size_t i = 0;
    while (i < got->len && got->b[i] == ref->b[i])
        i++;
    cr_assert_eq(i, got->len, "%s: results differ from the single-threaded run at byte %zu",
                 who, i);
}

typedef struct worker {
    pthread_t th;
    int index;
    uint32_t mc_threads;
    digest d[ROUNDS];
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int r = 0; r < ROUNDS; r++)
        workload(&w->d[r], w->mc_threads);
    return NULL;
}

static void run_threads(uint32_t mc_threads)
{
    digest ref = {0};
    workload(&ref, mc_threads);
    cr_assert(!ref.failed, "single-threaded: %s failed: %d: %s", ref.what, ref.status,
              ref.message);
    static worker w[THREADS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < THREADS; i++) {
        w[i].index = i;
        w[i].mc_threads = mc_threads;
        cr_assert_eq(pthread_create(&w[i].th, NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_join(w[i].th, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        for (int r = 0; r < ROUNDS; r++) {
            char who[48];
            snprintf(who, sizeof who, "thread %d round %d", i, r);
            expect_same(&ref, &w[i].d[r], who);
            free(w[i].d[r].b);
        }
    free(ref.b);
}

Test(concurrency, distinct_handles_match_single_threaded)
{
    run_threads(1);
}

/* Monte Carlo with its own worker threads inside each test thread. */
Test(concurrency, nested_monte_carlo_threads)
{
    run_threads(2);
}

/* ---- one handle shared by readers ---- */

static scrm_dataset *shared_ds;
static scrm_clv_model *shared_model;
static scrm_roi_model *shared_roi;

typedef struct reader {
    pthread_t th;
    digest d;
} reader;

static void read_only_work(digest *d)
{
    for (int r = 0; r < ROUNDS; r++) {
        /* Calculators are per thread; the dataset and models are shared. */
        nps_work(d, shared_ds);
        engagement_work(d, shared_ds);
        service_work(d, shared_ds);
        size_t rows = 0;
        ok(d, scrm_dataset_rows(shared_ds, SCRM_TABLE_SOCIAL, &rows), "rows");
        PUT(d, rows);
        const uint32_t *ids = NULL;
        ok(d, scrm_dataset_column(shared_ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_USER,
                                  (const void **)&ids, NULL),
           "column");
        for (size_t i = 0; i < rows; i += 37) {
            const char *s = NULL;
            size_t len = 0;
            uint32_t back = 0;
            ok(d, scrm_dataset_string(shared_ds, ids[i], &s, &len), "string");
            put(d, s, len);
            ok(d, scrm_dataset_string_id(shared_ds, s, len, &back), "string_id");
            PUT(d, back);
        }
        double t[4] = {1, 5, 10, 52}, out[4];
        size_t len = 0;
        ok(d, scrm_clv_expected_purchases(shared_model, t, 4, out, 4, &len),
           "expected_purchases");
        put(d, out, len * sizeof *out);
        scrm_clv_fit_result info;
        ZERO(info);
        ok(d, scrm_clv_model_info(shared_model, &info), "model_info");
        PUT(d, info);
        scrm_roi_result rr;
        ZERO(rr);
        ok(d, scrm_roi_model_evaluate(shared_roi, NULL, &rr), "roi evaluate");
        PUT(d, rr);
        scrm_roi_mc_options mo = SCRM_ROI_MC_OPTIONS_INIT;
        mo.iterations = 500;
        scrm_roi_mc *mc = NULL;
        if (ok(d, scrm_roi_mc_run(&mc, shared_roi, &mo), "mc run")) {
            scrm_roi_mc_summary s;
            ZERO(s);
            ok(d, scrm_roi_mc_summarize(mc, &s), "mc summarize");
            PUT(d, s);
        }
        scrm_roi_mc_free(mc);
    }
}

static void *read_only(void *arg)
{
    read_only_work(&((reader *)arg)->d);
    return NULL;
}

Test(concurrency, shared_read_only_handles)
{
    digest setup = {0};
    shared_ds = load_dataset(&setup);
    cr_assert(!setup.failed, "%s: %s", setup.what, setup.message);
    static const double p[] = {0.24, 4.4, 0.79, 2.4};
    cr_assert_eq(scrm_clv_model_new(&shared_model, SCRM_CLV_BGNBD, p, 4), SCRM_OK);
    cr_assert_eq(scrm_roi_model_new(&shared_roi, NULL), SCRM_OK);
    int32_t line = -1;
    cr_assert_eq(scrm_roi_model_add_cost(shared_roi, "c", NULL, 0, -1, 100, 0, NULL), SCRM_OK);
    cr_assert_eq(scrm_roi_model_add_benefit(shared_roi, "b", NULL, 1, -1, 150, 0, &line),
                 SCRM_OK);
    cr_assert_eq(scrm_roi_model_set_uncertain(shared_roi, line, SCRM_ROI_INPUT_AMOUNT,
                                              SCRM_DIST_NORMAL, 150, 30, 0),
                 SCRM_OK, "%s", scrm_last_error_message());
    free(setup.b);
    digest ref = {0};
    read_only_work(&ref);
    cr_assert(!ref.failed, "%s: %s", ref.what, ref.message);
    static reader rd[THREADS];
    memset(rd, 0, sizeof rd);
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_create(&rd[i].th, NULL, read_only, &rd[i]), 0);
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_join(rd[i].th, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        char who[32];
        snprintf(who, sizeof who, "reader %d", i);
        expect_same(&ref, &rd[i].d, who);
        free(rd[i].d.b);
    }
    free(ref.b);
    scrm_roi_model_free(shared_roi);
    scrm_clv_model_free(shared_model);
    scrm_dataset_free(shared_ds);
}

/* ---- partial accumulators from threads, merged on one ---- */

typedef struct part {
    pthread_t th;
    int index;
    uint8_t nps[512];
    size_t nps_len;
    int rc;
} part;

static const double *survey_scores;
static size_t n_scores;
static scrm_dataset *merge_ds;

static void *accumulate(void *arg)
{
    part *p = arg;
    size_t lo = n_scores * (size_t)p->index / THREADS, hi = n_scores * (size_t)(p->index + 1) / THREADS;
    scrm_nps *x = NULL;
    p->rc = scrm_nps_new(&x, NULL);
    if (p->rc == SCRM_OK)
        p->rc = scrm_nps_add_scores(x, survey_scores + lo, hi - lo);
    if (p->rc == SCRM_OK)
        p->rc = scrm_nps_serialize(x, p->nps, sizeof p->nps, &p->nps_len);
    scrm_nps_free(x);
    return NULL;
}

Test(concurrency, partial_accumulators_merge_exactly)
{
    digest setup = {0};
    merge_ds = load_dataset(&setup);
    cr_assert(!setup.failed);
    free(setup.b);
    const void *v = NULL;
    cr_assert_eq(scrm_dataset_column(merge_ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_SCORE, &v,
                                     &n_scores),
                 SCRM_OK);
    survey_scores = v;
    static part parts[THREADS];
    memset(parts, 0, sizeof parts);
    for (int i = 0; i < THREADS; i++) {
        parts[i].index = i;
        cr_assert_eq(pthread_create(&parts[i].th, NULL, accumulate, &parts[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_join(parts[i].th, NULL), 0);
    scrm_nps *all = NULL, *whole = NULL;
    cr_assert_eq(scrm_nps_new(&all, NULL), SCRM_OK);
    for (int i = 0; i < THREADS; i++) {
        cr_assert_eq(parts[i].rc, SCRM_OK);
        scrm_nps *x = NULL;
        cr_assert_eq(scrm_nps_deserialize(&x, parts[i].nps, parts[i].nps_len), SCRM_OK);
        cr_assert_eq(scrm_nps_merge(all, x), SCRM_OK);
        scrm_nps_free(x);
    }
    scrm_nps_result a, b;
    ZERO(a);
    ZERO(b);
    cr_assert_eq(scrm_nps_finalize(all, &a), SCRM_OK);
    cr_assert_eq(scrm_nps_new(&whole, NULL), SCRM_OK);
    cr_assert_eq(scrm_nps_compute(whole, merge_ds, &b), SCRM_OK);
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "merged partial states differ from one pass");
    scrm_nps_free(all);
    scrm_nps_free(whole);
    scrm_dataset_free(merge_ds);
}

/* ---- per-thread last error and allocation countdown ---- */

static pthread_barrier_t barrier;

typedef struct errthread {
    pthread_t th;
    int index;
    int ok;
    char why[256];
} errthread;

static void *own_error(void *arg)
{
    errthread *t = arg;
    t->ok = 1;
    /* A fresh thread starts with no error, whatever the others did. */
    if (scrm_last_error_code() != SCRM_OK || scrm_last_error_message()[0] != '\0') {
        t->ok = 0;
        snprintf(t->why, sizeof t->why, "fresh thread has error %d \"%s\"",
                 scrm_last_error_code(), scrm_last_error_message());
    }
    pthread_barrier_wait(&barrier);
    for (int round = 0; round < 200 && t->ok; round++) {
        /* Each thread fails with a value of its own... */
        scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
        o.detractor_max = 100 + t->index;
        scrm_nps *x = NULL;
        int rc = scrm_nps_new(&x, &o);
        /* ...and odd threads also get injected allocation failures, which
         * must not leak into the even threads. */
        if (t->index % 2)
            scrm__alloc_fail_after(0, 1);
        scrm_dataset *ds = NULL;
        int rc2 = scrm_dataset_new(&ds);
        scrm__alloc_fail_after(-1, 0);
        scrm_dataset_free(ds);
        int want2 = t->index % 2 ? SCRM_ENOMEM : SCRM_OK;
        if (rc2 != want2) {
            t->ok = 0;
            snprintf(t->why, sizeof t->why, "round %d: scrm_dataset_new gave %d, expected %d",
                     round, rc2, want2);
            break;
        }
        if (t->index % 2 == 0) {
            /* no new error on this thread: the NPS message must still be ours */
            char want[32];
            snprintf(want, sizeof want, ": %d is not", 100 + t->index);
            if (rc != SCRM_EINVAL || scrm_last_error_code() != SCRM_EINVAL ||
                !strstr(scrm_last_error_message(), want)) {
                t->ok = 0;
                snprintf(t->why, sizeof t->why, "round %d: got %d / %d \"%s\", wanted \"%s\"",
                         round, rc, scrm_last_error_code(), scrm_last_error_message(), want);
            }
        } else if (scrm_last_error_code() != SCRM_ENOMEM) {
            t->ok = 0;
            snprintf(t->why, sizeof t->why, "round %d: last error %d, expected ENOMEM", round,
                     scrm_last_error_code());
        }
        scrm_clear_error();
        if (scrm_last_error_code() != SCRM_OK || scrm_last_error_message()[0]) {
            t->ok = 0;
            snprintf(t->why, sizeof t->why, "scrm_clear_error left %d", scrm_last_error_code());
        }
    }
    return NULL;
}

Test(concurrency, last_error_and_alloc_countdown_are_per_thread)
{
    /* The main thread's error must survive the other threads' errors. */
    cr_assert_eq(scrm_nps_new(NULL, NULL), SCRM_EINVAL);
    char mine[512];
    snprintf(mine, sizeof mine, "%s", scrm_last_error_message());
    cr_assert_eq(pthread_barrier_init(&barrier, NULL, THREADS), 0);
    static errthread t[THREADS];
    memset(t, 0, sizeof t);
    for (int i = 0; i < THREADS; i++) {
        t[i].index = i;
        cr_assert_eq(pthread_create(&t[i].th, NULL, own_error, &t[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_join(t[i].th, NULL), 0);
    pthread_barrier_destroy(&barrier);
    for (int i = 0; i < THREADS; i++)
        cr_assert(t[i].ok, "thread %d: %s", i, t[i].why);
    cr_assert_eq(scrm_last_error_code(), SCRM_EINVAL);
    cr_assert_str_eq(scrm_last_error_message(), mine);
}
