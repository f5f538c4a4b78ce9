/* Writes the seed corpora of fuzz_deserialize, fuzz_options and fuzz_api
 * from the library itself (valid serialized states, default options, short
 * call programs), so the seeds follow format changes:
 *
 *   build-fuzz/tests/fuzz/make-corpus tests/fuzz/corpus
 *
 * Each seed starts with the selector byte its target reads first. Seeds are
 * kept small (well under run-smoke's -max_len). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scrm.h"

static const char *root;

static void die(const char *what)
{
    fprintf(stderr, "make-corpus: %s: %s\n", what, scrm_last_error_message());
    exit(1);
}

static void write_seed(const char *target, const char *name, uint8_t selector, const void *p,
                       size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die(path);
    snprintf(path, sizeof path, "%s/%s/%s", root, target, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(&selector, 1, 1, f) != 1 || (n && fwrite(p, 1, n, f) != n) || fclose(f))
        die(path);
    printf("%s (%zu bytes)\n", path, n + 1);
}

/* ---- fuzz_deserialize: selector = adapter index ---- */

enum { D_NPS, D_ENGAGEMENT, D_SERVICE, D_CLV, D_CRV, D_RFM_HIST };

#define SERIALIZE_SEED(T, x, name, sel)                                                        \
    do {                                                                                       \
        size_t need_ = 0;                                                                      \
        scrm_##T##_serialize(x, NULL, 0, &need_);                                              \
        uint8_t *b_ = malloc(need_);                                                           \
        if (!b_ || scrm_##T##_serialize(x, b_, need_, &need_))                                 \
            die(name);                                                                         \
        write_seed("deserialize", name, sel, b_, need_);                                       \
        free(b_);                                                                              \
    } while (0)

static void deserialize_seeds(void)
{
    scrm_nps *nps = NULL;
    double scores[] = {0, 3, 6, 7, 8, 9, 10, 10};
    if (scrm_nps_new(&nps, NULL) || scrm_nps_add_scores(nps, scores, 8))
        die("nps");
    SERIALIZE_SEED(nps, nps, "nps", D_NPS);
    scrm_nps_free(nps);
    scrm_nps_options no = SCRM_NPS_OPTIONS_INIT;
    no.detractor_max = 4;
    no.promoter_min = 8;
    no.ci_method = SCRM_NPS_CI_WALD;
    if (scrm_nps_new(&nps, &no))
        die("nps");
    SERIALIZE_SEED(nps, nps, "nps-empty-wald", D_NPS);
    scrm_nps_free(nps);

    scrm_engagement_options eo = SCRM_ENGAGEMENT_OPTIONS_INIT;
    eo.hll_precision = 4;
    eo.period = SCRM_PERIOD_WEEK;
    eo.window_days = 3;
    scrm_engagement *e = NULL;
    if (scrm_engagement_new(&e, &eo))
        die("engagement");
    int64_t t[5] = {1672531200, 1672617600, 1672704000, 1673308800, 1673395200};
    const char *users[5] = {"@a", "@b", "@a", "@c", "@d"};
    int32_t kinds[5] = {SCRM_ENGAGEMENT_POST, SCRM_ENGAGEMENT_LIKE, SCRM_ENGAGEMENT_COMMENT,
                        SCRM_ENGAGEMENT_MENTION, SCRM_ENGAGEMENT_SHARE};
    double reach[5] = {100, 0, 5, 7, 1}, sent[5] = {0.5, -0.2, 0, 1, -1};
    int8_t comp[5] = {0, 0, 0, 1, 0};
    const char *channels[2] = {"x", "fb"};
    double followers[2] = {1000, 250};
    if (scrm_engagement_add(e, t, users, kinds, reach, reach, sent, comp, 5) ||
        scrm_engagement_add_followers(e, t, channels, followers, 2))
        die("engagement add");
    SERIALIZE_SEED(engagement, e, "engagement", D_ENGAGEMENT);
    scrm_engagement_free(e);
    if (scrm_engagement_new(&e, &eo))
        die("engagement");
    SERIALIZE_SEED(engagement, e, "engagement-empty", D_ENGAGEMENT);
    scrm_engagement_free(e);

    scrm_service_options so = SCRM_SERVICE_OPTIONS_INIT;
    so.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    so.n_response_targets = 2;
    so.response_targets[1] = 600;
    scrm_service *s = NULL;
    if (scrm_service_new(&s, &so))
        die("service");
    int64_t created[4] = {1672531200, 1672534800, 1672538400, 1672621200};
    int64_t first[4] = {1672531500, 1672538400, SCRM_TIME_NONE, 1672624800};
    int64_t resolved[4] = {1672617600, SCRM_TIME_NONE, SCRM_TIME_NONE, 1672704000};
    double handle[4] = {300, 120, 0, 900};
    uint32_t keys[4] = {1, 2, 1, 3};
    if (scrm_service_add(s, 4, created, first, resolved, handle, keys))
        die("service add");
    SERIALIZE_SEED(service, s, "service", D_SERVICE);
    scrm_service_free(s);
    if (scrm_service_new(&s, NULL))
        die("service");
    SERIALIZE_SEED(service, s, "service-empty", D_SERVICE);
    scrm_service_free(s);

    static const struct {
        const char *name;
        int32_t kind;
        size_t n;
        double p[4];
    } models[] = {
        {"clv-bgnbd", SCRM_CLV_BGNBD, 4, {0.243, 4.414, 0.793, 2.426}},
        {"clv-mbgnbd", SCRM_CLV_MBGNBD, 4, {0.525, 6.183, 0.891, 1.614}},
        {"clv-paretonbd", SCRM_CLV_PARETO_NBD, 4, {0.553, 10.58, 0.606, 11.67}},
        {"clv-gammagamma", SCRM_CLV_GAMMA_GAMMA, 3, {6.25, 3.74, 15.44, 0}},
        {"clv-sbg", SCRM_CLV_SBG, 2, {0.668, 3.806, 0, 0}},
        {"clv-bgbb", SCRM_CLV_BGBB, 4, {1.204, 0.750, 0.657, 2.783}},
    };
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        scrm_clv_model *m = NULL;
        if (scrm_clv_model_new(&m, models[i].kind, models[i].p, models[i].n))
            die(models[i].name);
        SERIALIZE_SEED(clv_model, m, models[i].name, D_CLV);
        scrm_clv_model_free(m);
    }
}

static void crv_seeds(void)
{
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    o.horizon = 3;
    o.share_anyway = 0.25;
    scrm_crv *c = NULL;
    if (scrm_crv_new(&c, &o))
        die("crv");
    int64_t ref[3] = {1, 1, 42};
    double margins[9] = {10, 11, 12, 5, 0, 0, 7, 7, 7};
    uint32_t active[3] = {3, 1, 2};
    double incentive[3] = {5, 5, 2.5};
    if (scrm_crv_add(c, ref, margins, active, incentive, NULL, NULL, 3))
        die("crv add");
    SERIALIZE_SEED(crv, c, "crv", D_CRV);
    scrm_crv_free(c);
    if (scrm_crv_new(&c, NULL))
        die("crv");
    SERIALIZE_SEED(crv, c, "crv-empty", D_CRV);
    scrm_crv_free(c);

    scrm_rfm_hist *h = NULL;
    double hx[4] = {0, 1, 1, 3}, htx[4] = {0, 2, 2, 5.5}, hT[4] = {6, 6, 6, 6}, hw[4] = {2, 1, 1, 3};
    if (scrm_rfm_hist_new(&h, NULL) || scrm_rfm_hist_add(h, hx, htx, hT, hw, 4))
        die("rfm_hist");
    SERIALIZE_SEED(rfm_hist, h, "rfm-hist", D_RFM_HIST);
    scrm_rfm_hist_free(h);
}

/* ---- fuzz_options: selector = target index; then flags (bit 0: valid
 * version), the struct's bytes, and the extra bytes each target reads ---- */

static void option_seed(const char *name, uint8_t sel, const void *opts, size_t size,
                        const void *extra, size_t extra_len)
{
    uint8_t buf[1024];
    buf[0] = 1;
    memcpy(buf + 1, opts, size);
    memcpy(buf + 1 + size, extra, extra_len);
    write_seed("options", name, sel, buf, 1 + size + extra_len);
}

static void options_seeds(void)
{
    static const uint8_t zero[64];
    scrm_dataset_load_options lo = SCRM_DATASET_LOAD_OPTIONS_INIT;
    lo.on_error = SCRM_ON_ERROR_SKIP;
    option_seed("load", 0, &lo, sizeof lo, zero, 0);
    scrm_nps_options no = SCRM_NPS_OPTIONS_INIT;
    option_seed("nps", 1, &no, sizeof no, zero, 0);
    scrm_engagement_options eo = SCRM_ENGAGEMENT_OPTIONS_INIT;
    eo.own_brand = NULL; /* pointer bytes are replaced by the target anyway */
    uint8_t brand = 3;
    option_seed("engagement", 2, &eo, sizeof eo, &brand, 1);
    scrm_service_options so = SCRM_SERVICE_OPTIONS_INIT;
    so.group_by = SCRM_SERVICE_GROUP_AGENT;
    option_seed("service", 3, &so, sizeof so, zero, 0);
    scrm_service_savings_options sv = SCRM_SERVICE_SAVINGS_OPTIONS_INIT;
    sv.social_channels = sv.cost_category = NULL;
    struct {
        uint8_t ch, cat;
        scrm_service_savings_inputs in;
    } svx = {4, 0, {1000, 900, 800, 850, 300000, 5000}};
    option_seed("savings", 4, &sv, sizeof sv, &svx, sizeof svx);
    scrm_staffing_options st = SCRM_STAFFING_OPTIONS_INIT;
    struct {
        double a[4];
        uint8_t agents;
    } stx = {{120, 180, 20, 0.8}, 12};
    option_seed("staffing", 5, &st, sizeof st, &stx, sizeof stx);
    scrm_clv_fit_options fo = SCRM_CLV_FIT_OPTIONS_INIT;
    fo.max_iterations = 20;
    uint8_t kind = SCRM_CLV_BGNBD - 1;
    option_seed("clv-fit", 6, &fo, sizeof fo, &kind, 1);
    scrm_clv_data cd = SCRM_CLV_DATA_INIT;
    cd.n = 3;
    cd.frequency = cd.recency = cd.age = cd.monetary = NULL;
    double vals[4][8] = {{0, 2, 5}, {0, 10, 30}, {38, 38, 38}, {1, 20, 35}};
    option_seed("clv-data", 7, &cd, sizeof cd, vals, sizeof vals);
    scrm_clv_value_options vo = SCRM_CLV_VALUE_OPTIONS_INIT;
    option_seed("clv-value", 8, &vo, sizeof vo, zero, 0);
    scrm_rfm_options ro = SCRM_RFM_OPTIONS_INIT;
    ro.period = SCRM_PERIOD_MONTH;
    option_seed("rfm", 9, &ro, sizeof ro, zero, 0);
    scrm_clv_terms ct = SCRM_CLV_TERMS_INIT;
    ct.margin = 100;
    ct.retention = 0.8;
    ct.discount = 0.1;
    ct.horizon = 10;
    option_seed("clv-terms", 10, &ct, sizeof ct, zero, 0);
    scrm_roi_options roi = SCRM_ROI_OPTIONS_INIT;
    roi.start = 1672531200;
    option_seed("roi", 11, &roi, sizeof roi, zero, 0);
    scrm_roi_sensitivity_options so2 = SCRM_ROI_SENSITIVITY_OPTIONS_INIT;
    uint8_t scen = 2;
    option_seed("roi-sensitivity", 12, &so2, sizeof so2, &scen, 1);
    scrm_roi_mc_options mo = SCRM_ROI_MC_OPTIONS_INIT;
    mo.iterations = 100;
    uint8_t none = 0;
    option_seed("roi-mc", 13, &mo, sizeof mo, &none, 1);
    scrm_crv_options co = SCRM_CRV_OPTIONS_INIT;
    co.horizon = 4;
    option_seed("crv", 14, &co, sizeof co, zero, 0);
    scrm_crv_segment_options cs = SCRM_CRV_SEGMENT_OPTIONS_INIT;
    struct {
        double clv[6], crv[6];
        uint8_t n, seg;
    } csx = {{1, 5, 3, 9, 2, 7}, {0, 4, 8, 1, 6, 2}, 6, 1};
    option_seed("crv-segments", 15, &cs, sizeof cs, &csx, sizeof csx);
    scrm_clv_fit_options sf = SCRM_CLV_FIT_OPTIONS_INIT;
    struct {
        double surv[8];
        uint8_t n, plausible, rates[8];
    } sfx = {{1000, 631, 468, 382, 326, 289, 262, 241}, 8, 0, {0}};
    option_seed("sbg-fit", 16, &sf, sizeof sf, &sfx, sizeof sfx);
    scrm_rfm_hist_options ho = SCRM_RFM_HIST_OPTIONS_INIT;
    option_seed("rfm-hist", 17, &ho, sizeof ho, zero, 0);
}

/* ---- fuzz_api: short programs (see fuzz_api.c for the encoding) ---- */

typedef struct prog {
    uint8_t b[2048];
    size_t n;
} prog;

static void emit(prog *p, const void *src, size_t n)
{
    if (p->n + n > sizeof p->b)
        die("program too long");
    memcpy(p->b + p->n, src, n);
    p->n += n;
}

static void emit_bytes(prog *p, int count, ...)
{
    va_list ap;
    va_start(ap, count);
    for (int i = 0; i < count; i++) {
        uint8_t b = (uint8_t)va_arg(ap, int);
        emit(p, &b, 1);
    }
    va_end(ap);
}

/* op_load: op 1, slot, flags, length, text. The flags pick the table as
 * flags % (SCRM_TABLE_COUNT + 1) and 0x80 adds the header (0x40, 0x20, 0x10
 * are limits, left clear): 0x80 + x with (128 + x) % 9 == table. */
static void load(prog *p, int slot, int table, const char *rows)
{
    size_t n = strlen(rows);
    int flags = 0x80 + (table + 2 * (SCRM_TABLE_COUNT + 1) - 128 % (SCRM_TABLE_COUNT + 1)) %
                           (SCRM_TABLE_COUNT + 1);
    emit_bytes(p, 4, 1, slot, flags, (int)n);
    emit(p, rows, n);
}

static void api_seeds(void)
{
    prog p = {{0}, 0};
    /* Load survey responses and customers, then NPS: new, compute, by segment. */
    load(&p, 0, SCRM_TABLE_SURVEY,
         "C1,2023-01-02,9,yes,no\nC2,2023-01-03,3,no,no\nC3,2023-02-01,10,yes,yes\n");
    load(&p, 0, SCRM_TABLE_CUSTOMERS, "C1,2022-05-01,a,10,web\nC2,2022-06-01,b,5,x\n");
    emit_bytes(&p, 8, 5, 0, 1, 0, 6, 9, 2, 1);  /* op_nps new in slot 0 */
    emit_bytes(&p, 5, 5, 0, 0, 6, 0);           /* compute on ds 0 */
    emit_bytes(&p, 7, 5, 0, 0, 7, 1, 0, 8);     /* by segment */
    emit_bytes(&p, 4, 5, 0, 1, 4);              /* serialize 0 -> deserialize into 1 */
    emit_bytes(&p, 4, 5, 1, 0, 3);              /* merge 1 <- 0 */
    write_seed("api", "nps", p.b[0], p.b + 1, p.n - 1);
    /* ... then band counts (score 0..10: 1..11), compare 0 with 1 at 95 %,
     * and the referral accumulator (dataset's table + 3 flags, zero merge). */
    emit_bytes(&p, 5, 5, 0, 1, 9, 11);
    for (int i = 0; i < 11; i++)
        emit_bytes(&p, 2, 1, i + 1);
    emit_bytes(&p, 8, 5, 0, 1, 10, 1, 1, 1, 0);
    emit_bytes(&p, 6, 5, 0, 0, 8, 1, 0);
    emit_bytes(&p, 1, 3);
    for (int i = 0; i < 3; i++)
        emit_bytes(&p, 4, 1, 2, 1, i);
    emit_bytes(&p, 1, 1);
    static const scrm_nps_referral zero_ref;
    emit(&p, &zero_ref, sizeof zero_ref);
    write_seed("api", "nps-more", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    load(&p, 0, SCRM_TABLE_SOCIAL,
         "2023-01-02,x,@a,post,p1,,,100,150,0.5\n2023-01-03,x,@b,like,p1,@a,,,,positive\n");
    load(&p, 0, SCRM_TABLE_AUDIENCE, "2023-01-01,x,100\n");
    emit_bytes(&p, 9, 7, 0, 0, 0, 3, 4, 7, 0, 1);   /* engagement new, p = 6 */
    emit_bytes(&p, 5, 7, 0, 0, 7, 0);               /* compute */
    emit_bytes(&p, 4, 7, 0, 1, 5);                  /* serialize/deserialize */
    emit_bytes(&p, 6, 7, 1, 0, 6, 4, 4);            /* finalize, periods, days */
    write_seed("api", "engagement", p.b[0], p.b + 1, p.n - 1);
    /* ... then pre-hashed keys (2 rows), options read back, reset, a hash. */
    emit_bytes(&p, 5, 7, 0, 0, 8, 2);
    for (int i = 0; i < 2; i++)
        emit_bytes(&p, 10, 3 + i, 0, 1, i, 0, 0, 10, 0, 50, 1);
    emit_bytes(&p, 1, 15);
    emit_bytes(&p, 8, 7, 0, 0, 9, 3, 'a', 'b', 'c');
    write_seed("api", "engagement-more", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    load(&p, 0, SCRM_TABLE_TICKETS,
         "T1,social,ann,t1,2023-01-02T10:00:00Z,2023-01-02T10:30:00Z,2023-01-03T10:00:00Z,300\n"
         "T2,phone,bob,t2,2023-01-05T10:00:00Z,,,\n");
    emit_bytes(&p, 11, 9, 0, 0, 0, 1, 0, 1, 0, 5, 0, 1); /* service new (group by channel) */
    emit_bytes(&p, 5, 9, 0, 0, 6, 0);                    /* compute */
    emit_bytes(&p, 4, 9, 0, 1, 4);                       /* serialize/deserialize */
    write_seed("api", "service", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    load(&p, 0, SCRM_TABLE_TRANSACTIONS,
         "C1,2023-01-05,10,2\nC1,2023-02-05,20,4\nC2,2023-03-01,5,1\nC2,2023-04-01,7,1\n"
         "C3,2023-01-09,3,1\n");
    emit_bytes(&p, 9, 11, 0, 0, 0, 1, 1, 1, 0, 0);   /* rfm new, ds 0 */
    emit_bytes(&p, 6, 11, 0, 1, 2, 200, 0);           /* fit BG/NBD into clv slot 1 */
    emit_bytes(&p, 4, 11, 1, 2, 4);                  /* serialize/deserialize model */
    write_seed("api", "customer-value", p.b[0], p.b + 1, p.n - 1);
    emit_bytes(&p, 7, 11, 0, 0, 7, 8, 1, 1); /* rfm customers, column, kind names */
    /* BG/NBD (0.3, 4.5, 0.9, 2.5) in slot 1, Gamma-Gamma (6.3, 3.8, 15.5) in slot 0 */
    emit_bytes(&p, 13, 11, 1, 0, 3, 4, 1, 2, 1, 44, 1, 8, 1, 24);
    emit_bytes(&p, 1, 0);
    emit_bytes(&p, 11, 11, 0, 0, 3, 3, 1, 62, 1, 37, 1, 154);
    emit_bytes(&p, 1, 3);
    emit_bytes(&p, 4, 11, 1, 2, 4); /* serialize/deserialize BG/NBD into slot 2 */
    /* predictions for 3 customers, values with the Gamma-Gamma model */
    emit_bytes(&p, 5, 11, 1, 0, 5, 3);
    emit_bytes(&p, 17, 2, 38, 50, 20, 1, 10, 0, 20, 10, 1, 20, 5, 40, 90, 35, 1, 30);
    emit_bytes(&p, 2, 8, 12);
    write_seed("api", "customer-value-more", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    load(&p, 0, SCRM_TABLE_COSTS, "2023-01-01,staff,1000\n2023-02-01,ads,500\n");
    emit_bytes(&p, 12, 12, 0, 1, 2, 2, 0, 3, 24, 1, 0, 0, 1); /* roi new, horizon 24, start */
    emit_bytes(&p, 10, 12, 0, 2, 2, 42, 2, 0, 100, 0, 0);     /* add_cost "cost" */
    emit_bytes(&p, 10, 12, 0, 0, 3, 42, 3, 0, 120, 0, 0);     /* add_benefit "a" */
    emit_bytes(&p, 8, 12, 0, 1, 2, 2, 4, 0, 0);               /* costs table */
    emit_bytes(&p, 9, 12, 0, 0, 0, 0, 7, 0, 0, 10);           /* evaluate, flows */
    emit_bytes(&p, 10, 12, 0, 0, 0, 0, 9, 50, 1, 0, 100);     /* Monte Carlo */
    write_seed("api", "roi", p.b[0], p.b + 1, p.n - 1);
    /* ... then a conversions line "conv" (periods 0..12) and the read-back calls. */
    emit_bytes(&p, 12, 12, 0, 5, 2, 14, 10, 0, 100, 0, 5, 0, 1);
    emit_bytes(&p, 1, 0);
    emit_bytes(&p, 10, 12, 0, 0, 2, 2, 11, 1, 0, 0, 10);
    write_seed("api", "roi-more", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    load(&p, 0, SCRM_TABLE_REFERRALS, "C1,C9,2023-01-20,true,5\nC2,C8,2023-02-01,true,5\n");
    load(&p, 0, SCRM_TABLE_TRANSACTIONS,
         "C9,2023-02-05,20,4\nC9,2023-03-05,20,4\nC8,2023-02-10,5,1\n");
    emit_bytes(&p, 11, 13, 0, 0, 0, 3, 6, 0, 1, 1, 0, 1); /* crv new: month, 6 periods */
    emit_bytes(&p, 5, 13, 0, 0, 6, 0);                        /* compute on ds 0 */
    emit_bytes(&p, 4, 13, 0, 1, 4);                           /* serialize/deserialize */
    emit_bytes(&p, 5, 13, 1, 0, 5, 8);                        /* finalize, referrers, ... */
    write_seed("api", "crv", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    /* op_sbg: slot 0, 8 survivors from 300 (rates 0.3 + k/100), t = 1..4, fit */
    static const uint8_t kept[7] = {33, 44, 52, 55, 59, 61, 62}; /* Fader & Hardie's cohort */
    emit_bytes(&p, 4, 14, 0, 8, 200);
    for (int i = 1; i < 8; i++)
        emit_bytes(&p, 2, 1, kept[i - 1]);
    for (int i = 0; i < 4; i++)
        emit_bytes(&p, 2, 1, i + 1);
    emit_bytes(&p, 5, 200, 1, 4, 0, 10);
    write_seed("api", "sbg", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    /* op_finance: flows -100, 30, 40, 50, 20 (x 100), rate 10 %, IRR, payback,
     * ROI 50/20, months, 12 % a year over 12 periods, period arithmetic. */
    emit_bytes(&p, 12, 15, 5, 1, 0x9c, 1, 30, 1, 40, 1, 50, 1, 20);
    emit_bytes(&p, 16, 0, 10, 4, 0, 50, 0, 20, 3, 0, 12, 0, 12, 10, 0, 5, 1);
    emit_bytes(&p, 1, 32);
    write_seed("api", "finance", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    /* op_rfm_hist: new in slot 0, 3 plausible rows (weights), serialize into
     * slot 1, merge 0 <- 1, rows, fit BG/NBD (200 iterations), reset. */
    emit_bytes(&p, 6, 16, 0, 0, 0, 0, 0);
    emit_bytes(&p, 5, 16, 0, 0, 2, 3);
    emit_bytes(&p, 4, 1, 0, 6, 5);
    emit_bytes(&p, 5, 1, 2, 8, 2, 3);
    emit_bytes(&p, 5, 1, 4, 10, 4, 5);
    emit_bytes(&p, 1, 1);
    emit_bytes(&p, 4, 16, 0, 1, 4);
    emit_bytes(&p, 5, 16, 0, 1, 3, 1);
    emit_bytes(&p, 5, 16, 0, 0, 5, 16);
    emit_bytes(&p, 6, 16, 0, 2, 6, 200, 0);
    emit_bytes(&p, 4, 16, 1, 0, 7);
    write_seed("api", "rfm-hist", p.b[0], p.b + 1, p.n - 1);

    p.n = 0;
    /* op_misc: lgamma(3), lbeta(3, 2), 2F1(3, 2; 5; 50/101), transactions column 2 */
    emit_bytes(&p, 11, 17, 0, 3, 0, 2, 0, 5, 1, 50, 2, 3);
    write_seed("api", "misc", p.b[0], p.b + 1, p.n - 1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make-corpus CORPUS_DIR (e.g. tests/fuzz/corpus)\n");
        return 2;
    }
    root = argv[1];
    deserialize_seeds();
    crv_seeds();
    options_seeds();
    api_seeds();
    return 0;
}
