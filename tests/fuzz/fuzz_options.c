/* Fuzz option validation: byte 0 picks a public options struct, the next
 * bytes fill it whole (version included), and the constructors, _init
 * functions and computations that take it are called. Pointer fields are not
 * fuzzed (a caller owns them): they are set to NULL or to valid test strings.
 * A few fields that are valid but only make a call slow (iterations, months,
 * threads) are folded into small valid values so the fuzzer stays fast; their
 * out-of-range values are still passed through to be rejected. Every status
 * is allowed except a crash, a sanitizer report, a leak, or a constructor
 * failing without setting *out = NULL. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scrm.h"
#include "fuzz_util.h"

/* Options struct from the input; flag bit 0 forces the valid version so the
 * other fields are reached, else the fuzzed version is kept. */
#define FILL(in, var, valid_version)                                                           \
    do {                                                                                       \
        uint8_t flags_ = u8(in);                                                             \
        take(in, &(var), sizeof(var));                                                         \
        if (flags_ & 1)                                                                        \
            (var).version = (valid_version);                                                   \
    } while (0)

static const char *pick_string(uint8_t b)
{
    static const char *const s[] = {NULL, "", "rival", "roastriot", "social,twitter", "x"};
    return s[b % (sizeof s / sizeof s[0])];
}

/* A small dataset with a row in every table, built once. */
static scrm_dataset *dataset(void)
{
    static scrm_dataset *ds;
    if (ds)
        return ds;
    static const char *const csv[SCRM_TABLE_COUNT] = {
        "id,acquired,segment,acquisition_cost,channel\nC1,2023-01-01,a,10,web\nC2,2023-02-01,b,5,x\n",
        "customer,time,amount,margin\nC1,2023-01-05,10,2\nC1,2023-02-05,20,4\nC2,2023-03-01,5,1\n"
        "C2,2023-04-01,7,1\n",
        "customer,time,score,intends_to_refer,referred\nC1,2023-01-10,9,yes,no\nC2,2023-01-11,3,no,no\n",
        "time,channel,user,kind,post_id,target_user,brand,reach,impressions,sentiment\n"
        "2023-01-02,x,@a,post,p1,,,100,150,0.5\n2023-01-03,x,@b,like,p1,@a,,,,positive\n"
        "2023-01-04,x,@c,mention,,,rival,,,-0.2\n",
        "time,channel,followers\n2023-01-01,x,100\n2023-02-01,x,120\n",
        "id,channel,agent,team,created,first_response,resolved,handle_time\n"
        "T1,social,ann,t1,2023-01-02T10:00:00Z,2023-01-02T10:30:00Z,2023-01-03T10:00:00Z,300\n"
        "T2,phone,bob,t2,2023-01-05T10:00:00Z,,,\n",
        "referrer,referee,time,converted,incentive_cost\nC1,C9,2023-01-20,true,5\n",
        "time,category,amount\n2023-01-01,staff,1000\n2023-02-01,ads,500\n",
    };
    if (scrm_dataset_new(&ds) != SCRM_OK)
        return NULL;
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++)
        if (scrm_dataset_load_csv_buffer(ds, t, csv[t], strlen(csv[t]), NULL, NULL, NULL))
            __builtin_trap(); /* the fixture itself must load */
    return ds;
}

static void load_options(input *in)
{
    scrm_dataset_load_options o;
    FILL(in, o, SCRM_DATASET_LOAD_OPTIONS_VERSION);
    scrm_dataset_load_options d;
    scrm_dataset_load_options_init(&d, o.version);
    static const char csv[] = "customer,time,amount\nC1,2023-01-01,1\n\"C2\",2023-01-02,x\n";
    scrm_dataset *ds = NULL;
    if (scrm_dataset_new(&ds) != SCRM_OK)
        return;
    scrm_load_report rep;
    int rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, csv, sizeof csv - 1, NULL,
                                          &o, &rep);
    CHECK(rep.status == rc);
    const char *ids[2] = {"a", "b"};
    double amounts[2] = {1, 2};
    int64_t times[2] = {0, 86400};
    scrm_column_input cols[3] = {{SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, ids},
                                 {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, times},
                                 {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amounts}};
    rc = scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 2, cols, 3, &o, &rep);
    CHECK(rep.status == rc);
    scrm_dataset_free(ds);
}

static void nps_options(input *in)
{
    scrm_nps_options o;
    FILL(in, o, SCRM_NPS_OPTIONS_VERSION);
    scrm_nps_options d;
    scrm_nps_options_init(&d, o.version);
    scrm_nps *x = (scrm_nps *)&d;
    if (scrm_nps_new(&x, &o) != SCRM_OK) {
        CHECK(x == NULL);
        return;
    }
    double scores[4] = {0, 7, 9, 10};
    scrm_nps_add_scores(x, scores, 4);
    scrm_nps_result r;
    CHECK(scrm_nps_finalize(x, &r) == SCRM_OK);
    CHECK(r.nps >= -100 && r.nps <= 100 && r.ci_low <= r.ci_high);
    scrm_nps_compute(x, dataset(), &r);
    scrm_nps_free(x);
}

static void engagement_options(input *in)
{
    scrm_engagement_options o;
    FILL(in, o, SCRM_ENGAGEMENT_OPTIONS_VERSION);
    o.own_brand = pick_string(u8(in));
    scrm_engagement_options d;
    scrm_engagement_options_init(&d, o.version);
    scrm_engagement *e = (scrm_engagement *)&d;
    if (scrm_engagement_new(&e, &o) != SCRM_OK) {
        CHECK(e == NULL);
        return;
    }
    int64_t t[3] = {1672531200, 1672617600, 1675209600};
    const char *users[3] = {"@a", "@b", "@a"};
    int32_t kinds[3] = {SCRM_ENGAGEMENT_POST, SCRM_ENGAGEMENT_LIKE, SCRM_ENGAGEMENT_MENTION};
    double reach[3] = {10, 0, 5}, sent[3] = {0.5, -0.5, 0};
    int8_t comp[3] = {0, 0, 1};
    scrm_engagement_add(e, t, users, kinds, reach, reach, sent, comp, 3);
    scrm_engagement_result r, p[4];
    size_t len;
    scrm_engagement_finalize(e, &r);
    scrm_engagement_periods(e, p, 4, &len);
    scrm_engagement_compute(e, dataset(), &r);
    scrm_engagement_free(e);
}

static void service_options(input *in)
{
    scrm_service_options o;
    FILL(in, o, SCRM_SERVICE_OPTIONS_VERSION);
    scrm_service_options d;
    scrm_service_options_init(&d, o.version);
    scrm_service *s = (scrm_service *)&d;
    if (scrm_service_new(&s, &o) != SCRM_OK) {
        CHECK(s == NULL);
        return;
    }
    int64_t created[2] = {1672531200, 1672617600}, first[2] = {1672534800, SCRM_TIME_NONE};
    int64_t resolved[2] = {1672617600, SCRM_TIME_NONE};
    double ht[2] = {300, 0};
    uint32_t keys[2] = {1, 2};
    scrm_service_add(s, 2, created, first, resolved, ht, keys);
    scrm_service_result r;
    scrm_service_stats g[4];
    size_t len;
    scrm_service_finalize(s, &r);
    scrm_service_groups(s, g, 4, &len);
    scrm_service_compute(s, dataset(), &r);
    scrm_service_free(s);
}

static void savings_options(input *in)
{
    scrm_service_savings_options o;
    FILL(in, o, SCRM_SERVICE_SAVINGS_OPTIONS_VERSION);
    o.social_channels = pick_string(u8(in));
    o.cost_category = pick_string(u8(in));
    scrm_service_savings_options d;
    scrm_service_savings_options_init(&d, o.version);
    scrm_service_savings_inputs si;
    take(in, &si, sizeof si);
    scrm_service_savings_result r;
    scrm_service_savings(&si, &o, &r);
    scrm_service_savings_compute(dataset(), &o, &r);
}

static void staffing_options(input *in)
{
    scrm_staffing_options o;
    FILL(in, o, SCRM_STAFFING_OPTIONS_VERSION);
    scrm_staffing_options d;
    scrm_staffing_options_init(&d, o.version);
    double a[4];
    take(in, a, sizeof a);
    /* Searches through millions of agents are valid but slow: fold them. */
    if (o.max_agents == 0 || o.max_agents > 100000)
        o.max_agents = 1 + o.max_agents % 100000;
    scrm_staffing_result r;
    scrm_erlang_staffing(a[0], a[1], a[2], a[3], &o, &r);
    uint32_t agents = u8(in);
    scrm_erlang_result er;
    scrm_erlang_c(a[0], a[1], agents, a[2], &er);
    double b;
    scrm_erlang_b(a[0], agents, &b);
}

static void clv_fit_options(input *in)
{
    scrm_clv_fit_options o;
    FILL(in, o, SCRM_CLV_FIT_OPTIONS_VERSION);
    uint8_t k = u8(in);
    double init[SCRM_CLV_MAX_PARAMS];
    take(in, init, sizeof init);
    o.initial_params = (k & 0x80) ? init : NULL;
    o.progress = NULL;
    o.progress_user_data = NULL;
    if (o.n_initial_params > SCRM_CLV_MAX_PARAMS)
        o.n_initial_params = o.n_initial_params % (SCRM_CLV_MAX_PARAMS + 2);
    if (o.max_iterations > 30 && o.max_iterations <= 1000000)
        o.max_iterations = 1 + o.max_iterations % 30;
    scrm_clv_fit_options d;
    scrm_clv_fit_options_init(&d, o.version);
    static const double x[6] = {0, 1, 2, 5, 1, 3}, tx[6] = {0, 5, 20, 30, 2, 35};
    static const double T[6] = {38, 38, 38, 38, 20, 36}, m[6] = {1, 10, 25, 15.5, 8, 40};
    scrm_clv_data data = SCRM_CLV_DATA_INIT;
    data.n = 6;
    data.frequency = x;
    data.recency = tx;
    data.age = T;
    data.monetary = m;
    int32_t kind = 1 + (k & 0x7f) % 8; /* includes unknown kinds */
    if (kind == SCRM_CLV_GAMMA_GAMMA) {
        data.n = 5;
        data.frequency = x + 1;
        data.recency = tx + 1;
        data.age = T + 1;
        data.monetary = m + 1;
    }
    scrm_clv_model *model = (scrm_clv_model *)&d;
    scrm_clv_fit_result r;
    int rc = scrm_clv_model_fit(&model, kind, &data, &o, &r);
    if (rc != SCRM_OK)
        CHECK(model == NULL);
    scrm_clv_model_free(model);
}

static void clv_data_struct(input *in)
{
    /* scrm_clv_data is versioned too: fuzz its version, n and the values. */
    scrm_clv_data data;
    FILL(in, data, SCRM_CLV_DATA_VERSION);
    double v[4][8];
    take(in, v, sizeof v);
    data.n %= 9;
    data.frequency = v[0];
    data.recency = v[1];
    data.age = v[2];
    data.monetary = v[3];
    data.weights = (data.version & 2) ? v[0] : NULL;
    static const double p[4] = {0.24, 4.4, 0.79, 2.4}, g[3] = {6.2, 3.7, 15.4};
    scrm_clv_model *m = NULL, *gg = NULL;
    if (scrm_clv_model_new(&m, SCRM_CLV_BGNBD, p, 4) != SCRM_OK ||
        scrm_clv_model_new(&gg, SCRM_CLV_GAMMA_GAMMA, g, 3) != SCRM_OK) {
        scrm_clv_model_free(m);
        return;
    }
    double out[8];
    size_t len;
    scrm_clv_probability_alive(m, &data, out, 8, &len);
    scrm_clv_conditional_expected_purchases(m, 10, &data, out, 8, &len);
    scrm_clv_expected_spend(gg, &data, out, 8, &len);
    scrm_clv_model *fit = NULL;
    scrm_clv_fit_options fo = SCRM_CLV_FIT_OPTIONS_INIT;
    fo.max_iterations = 5;
    scrm_clv_fit_result r;
    if (scrm_clv_model_fit(&fit, SCRM_CLV_BGNBD, &data, &fo, &r) != SCRM_OK)
        CHECK(fit == NULL);
    scrm_clv_model_free(fit);
    scrm_clv_model_free(m);
    scrm_clv_model_free(gg);
}

static void clv_value_options(input *in)
{
    scrm_clv_value_options o;
    FILL(in, o, SCRM_CLV_VALUE_OPTIONS_VERSION);
    if (o.months > 24 && o.months <= 100000)
        o.months = 1 + o.months % 24;
    scrm_clv_value_options d;
    scrm_clv_value_options_init(&d, o.version);
    static const double p[4] = {0.24, 4.4, 0.79, 2.4}, g[3] = {6.2, 3.7, 15.4};
    static const double x[2] = {1, 4}, tx[2] = {10, 30}, T[2] = {38, 38}, m[2] = {20, 35};
    scrm_clv_data data = SCRM_CLV_DATA_INIT;
    data.n = 2;
    data.frequency = x;
    data.recency = tx;
    data.age = T;
    data.monetary = m;
    scrm_clv_model *tm = NULL, *sm = NULL;
    if (scrm_clv_model_new(&tm, SCRM_CLV_BGNBD, p, 4) == SCRM_OK &&
        scrm_clv_model_new(&sm, SCRM_CLV_GAMMA_GAMMA, g, 3) == SCRM_OK) {
        double out[2];
        size_t len;
        scrm_clv_customer_value(tm, sm, &data, &o, out, 2, &len);
    }
    scrm_clv_model_free(tm);
    scrm_clv_model_free(sm);
}

static void rfm_options(input *in)
{
    scrm_rfm_options o;
    FILL(in, o, SCRM_RFM_OPTIONS_VERSION);
    scrm_rfm_options d;
    scrm_rfm_options_init(&d, o.version);
    scrm_rfm *r = (scrm_rfm *)&d;
    if (scrm_rfm_new(&r, &o, dataset()) != SCRM_OK)
        CHECK(r == NULL);
    else {
        double col[4];
        size_t len;
        scrm_rfm_info info;
        scrm_rfm_get_info(r, &info);
        scrm_rfm_column(r, SCRM_RFM_FREQUENCY, col, 4, &len);
        scrm_rfm_collapse(r, col, col, col, NULL, 4, &len);
    }
    scrm_rfm_free(r);
    static const int64_t cust[4] = {1, 1, 2, 1};
    static const int64_t t[4] = {1672531200, 1675209600, 1672617600, 1677628800};
    static const double v[4] = {10, 20, 5, 7};
    r = NULL;
    if (scrm_rfm_new_from_arrays(&r, &o, cust, t, v, 4) != SCRM_OK)
        CHECK(r == NULL);
    scrm_rfm_free(r);
}

static void clv_terms(input *in)
{
    scrm_clv_terms o;
    FILL(in, o, SCRM_CLV_TERMS_VERSION);
    scrm_clv_terms d;
    scrm_clv_terms_init(&d, o.version);
    double v;
    scrm_clv_closed_form(&o, &v);
    double ret[16], surv[16], marg[16], disc[16];
    take(in, ret, sizeof ret);
    size_t len;
    double customers;
    take(in, &customers, sizeof customers);
    scrm_clv_cohort(&o, customers, (u8(in) & 1) ? ret : NULL, surv, marg, disc, 16, &len);
}

static scrm_roi_model *roi_model(const scrm_roi_options *o)
{
    static char sentinel;
    scrm_roi_model *m = (scrm_roi_model *)(void *)&sentinel;
    if (scrm_roi_model_new(&m, o) != SCRM_OK) {
        CHECK(m == NULL);
        return NULL;
    }
    int32_t line = -1;
    scrm_roi_model_add_cost(m, "staff", NULL, 0, -1, 1000, 0.0, NULL);
    scrm_roi_model_add_benefit(m, "sales", "est.", 1, -1, 1500, 0.01, &line);
    scrm_roi_model_add_costs_table(m, "program", NULL, dataset(), NULL, NULL);
    scrm_roi_model_add_retention(m, "churn", NULL, 1, -1, 100, 0.7, 0.8, 20, 0.01, NULL);
    if (line >= 0) {
        scrm_roi_model_set_uncertain(m, line, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_PERT, 900, 1500,
                                     2600);
        scrm_roi_model_set_scenario(m, "rival", line, SCRM_ROI_INPUT_AMOUNT, 800);
    }
    return m;
}

static void roi_options(input *in)
{
    scrm_roi_options o;
    FILL(in, o, SCRM_ROI_OPTIONS_VERSION);
    if (o.horizon > 600 && o.horizon <= 100000) /* valid but slow (IRR over every period) */
        o.horizon = 1 + o.horizon % 600;
    scrm_roi_options d;
    scrm_roi_options_init(&d, o.version);
    scrm_roi_model *m = roi_model(&o);
    if (!m)
        return;
    scrm_roi_result r;
    scrm_roi_model_evaluate(m, NULL, &r);
    double flows[64];
    size_t len;
    scrm_roi_model_flows(m, "rival", SCRM_ROI_FLOWS_DISCOUNTED_NET, flows, 64, &len);
    scrm_roi_model_free(m);
}

static void roi_sensitivity_options(input *in)
{
    scrm_roi_sensitivity_options o;
    FILL(in, o, SCRM_ROI_SENSITIVITY_OPTIONS_VERSION);
    o.scenario = pick_string(u8(in));
    scrm_roi_sensitivity_options d;
    scrm_roi_sensitivity_options_init(&d, o.version);
    scrm_roi_options ro = SCRM_ROI_OPTIONS_INIT;
    ro.start = 1672531200;
    scrm_roi_model *m = roi_model(&ro);
    if (!m)
        return;
    scrm_roi_sensitivity_row rows[8];
    size_t len;
    scrm_roi_model_sensitivity(m, &o, rows, 8, &len);
    scrm_roi_model_free(m);
}

static void roi_mc_options(input *in)
{
    scrm_roi_mc_options o;
    FILL(in, o, SCRM_ROI_MC_OPTIONS_VERSION);
    o.scenario = pick_string(u8(in));
    o.progress = NULL;
    o.progress_user = NULL;
    if (o.iterations > 300 && o.iterations <= ((uint64_t)1 << 32))
        o.iterations = 1 + o.iterations % 300;
    o.threads %= 3;
    scrm_roi_mc_options d;
    scrm_roi_mc_options_init(&d, o.version);
    scrm_roi_options ro = SCRM_ROI_OPTIONS_INIT;
    ro.start = 1672531200;
    ro.horizon = 12;
    scrm_roi_model *m = roi_model(&ro);
    if (!m)
        return;
    scrm_roi_mc *mc = (scrm_roi_mc *)m;
    if (scrm_roi_mc_run(&mc, m, &o) != SCRM_OK)
        CHECK(mc == NULL);
    else {
        scrm_roi_mc_summary s;
        CHECK(scrm_roi_mc_summarize(mc, &s) == SCRM_OK);
        double probs[3] = {0.0, 0.5, 1.0}, q[3];
        scrm_roi_mc_percentiles(mc, SCRM_ROI_METRIC_NPV, probs, 3, q);
    }
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
}

static void crv_options(input *in)
{
    scrm_crv_options o;
    FILL(in, o, SCRM_CRV_OPTIONS_VERSION);
    scrm_crv_options d;
    scrm_crv_options_init(&d, o.version);
    scrm_crv *c = (scrm_crv *)(void *)&d;
    if (scrm_crv_new(&c, &o) != SCRM_OK) {
        CHECK(c == NULL);
        return;
    }
    int64_t ref[2] = {7, 9};
    double margins[2 * 4] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint32_t active[2] = {1, 3};
    scrm_crv_result r;
    scrm_crv_options got;
    CHECK(scrm_crv_get_options(c, &got) == SCRM_OK);
    if (got.horizon == 4)
        scrm_crv_add(c, ref, margins, active, NULL, NULL, NULL, 2);
    scrm_crv_add(c, ref, NULL, NULL, NULL, NULL, NULL, 2);
    scrm_crv_finalize(c, &r);
    scrm_crv_compute(c, dataset(), &r);
    scrm_crv_free(c);
}

static void crv_segment_options(input *in)
{
    scrm_crv_segment_options o;
    FILL(in, o, SCRM_CRV_SEGMENT_OPTIONS_VERSION);
    scrm_crv_segment_options d;
    scrm_crv_segment_options_init(&d, o.version);
    double clv[6], crv[6];
    take(in, clv, sizeof clv);
    take(in, crv, sizeof crv);
    size_t n = u8(in) % 7, len = 0;
    int32_t seg[6];
    scrm_crv_segment_summary sum;
    scrm_crv_segments(clv, crv, n, &o, (u8(in) & 1) ? seg : NULL, 6, &len, &sum);
}

static void sbg_fit(input *in)
{
    scrm_clv_fit_options o;
    FILL(in, o, SCRM_CLV_FIT_OPTIONS_VERSION);
    o.initial_params = NULL;
    o.progress = NULL;
    if (o.max_iterations > 30 && o.max_iterations <= 1000000)
        o.max_iterations = 1 + o.max_iterations % 30;
    double surv[8];
    take(in, surv, sizeof surv);
    size_t n = u8(in) % 9;
    if (u8(in) & 1) { /* a plausible cohort rather than raw bytes */
        surv[0] = 1000;
        for (size_t i = 1; i < 8; i++)
            surv[i] = surv[i - 1] * (0.5 + (double)(u8(in) % 50) / 100.0);
    }
    scrm_clv_model *m = (scrm_clv_model *)(void *)surv;
    scrm_clv_fit_result r;
    if (scrm_clv_sbg_fit_survivors(&m, surv, n, &o, &r) != SCRM_OK) {
        CHECK(m == NULL);
        return;
    }
    double t[4] = {0, 1, 5, 12}, out[4];
    size_t len;
    scrm_clv_sbg_survival(m, t, 4, out, 4, &len);
    scrm_clv_sbg_retention(m, t, 4, out, 4, &len);
    scrm_clv_sbg_derl(m, 0.1, t, 4, out, 4, &len);
    scrm_clv_model_free(m);
}

static void rfm_hist_options(input *in)
{
    scrm_rfm_hist_options o;
    FILL(in, o, SCRM_RFM_HIST_OPTIONS_VERSION);
    scrm_rfm_hist_options d;
    scrm_rfm_hist_options_init(&d, o.version);
    scrm_rfm_hist *h = (scrm_rfm_hist *)(void *)&d;
    if (scrm_rfm_hist_new(&h, &o) != SCRM_OK) {
        CHECK(h == NULL);
        return;
    }
    static const double x[4] = {0, 1, 2, 1}, tx[4] = {0, 3, 5, 3}, T[4] = {6, 6, 6, 6};
    scrm_rfm_hist_info info;
    CHECK(scrm_rfm_hist_get_info(h, &info) == SCRM_OK);
    int rc = scrm_rfm_hist_add(h, x, tx, T, NULL, 4);
    CHECK(rc == SCRM_OK ? info.max_rows >= 3 : (rc == SCRM_ELIMIT && info.max_rows < 3));
    scrm_rfm *r = NULL;
    if (scrm_rfm_new(&r, NULL, dataset()) == SCRM_OK)
        scrm_rfm_hist_add_rfm(h, r);
    scrm_rfm_free(r);
    scrm_rfm_hist_free(h);
}

typedef void (*target)(input *);

static const target targets[] = {
    load_options,     nps_options,     engagement_options, service_options,
    savings_options,  staffing_options, clv_fit_options,   clv_data_struct,
    clv_value_options, rfm_options,     clv_terms,          roi_options,
    roi_sensitivity_options, roi_mc_options, crv_options, crv_segment_options, sbg_fit,
    rfm_hist_options,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    input in = {data + 1, size - 1};
    targets[data[0] % (sizeof targets / sizeof targets[0])](&in);
    return 0;
}
