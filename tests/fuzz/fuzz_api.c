/* Structured fuzzing of the public API: the input is a program of calls on a
 * few slots of handles (datasets, NPS, engagement, service, RFM, RFM
 * histograms, CLV and ROI models, CRV), plus the stateless finance and
 * calendar functions, decoded one byte-coded operation at a time: create and free in
 * any order, load CSV text and append arrays, add, merge (also with itself),
 * reset, serialize/deserialize, finalize, compute over any dataset.
 *
 * Checked on every call: the status is OK or a known negative code; a
 * failing call leaves that same code and a non-empty message in the thread's
 * last error; failed constructors leave *out == NULL; serialized state loads
 * back to the same bytes. Plus whatever ASan/UBSan/LSan find. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"
#include "fuzz_util.h"

#define SLOTS 3
#define MAXN 48

static size_t small(input *in, size_t max)
{
    return u8(in) % (max + 1);
}

/* A double that is usually "reasonable" (small integers and fractions) but
 * sometimes any bit pattern (NaN, infinities, huge, subnormal). */
static double num(input *in)
{
    uint8_t k = u8(in);
    if (k < 200)
        return (double)(int8_t)u8(in) + (k % 4) * 0.25;
    double d;
    take(in, &d, sizeof d);
    return d;
}

static int64_t when(input *in)
{
    uint8_t k = u8(in);
    if (k == 255)
        return SCRM_TIME_NONE;
    if (k > 250) {
        int64_t t;
        take(in, &t, sizeof t);
        return t;
    }
    return 1672531200 + (int64_t)k * 86400 + (int64_t)u8(in) * 3600;
}

/* Every status: OK, or a known negative code recorded as the last error. */
static int st(int rc)
{
    CHECK(rc <= 0);
    if (rc < 0) {
        CHECK(strcmp(scrm_strerror(rc), "unknown status code") != 0);
        CHECK(scrm_last_error_code() == rc);
        CHECK(scrm_last_error_message()[0] != '\0');
    }
    return rc;
}

/* ---- the handles ---- */

typedef struct world {
    scrm_dataset *ds[SLOTS];
    scrm_nps *nps[SLOTS];
    scrm_engagement *eng[SLOTS];
    scrm_service *svc[SLOTS];
    scrm_rfm *rfm[SLOTS];
    scrm_clv_model *clv[SLOTS];
    scrm_roi_model *roi[SLOTS];
    scrm_crv *crv[SLOTS];
    scrm_rfm_hist *hist[SLOTS];
} world;

static char sentinel;
#define SENTINEL(T) ((T *)(void *)&sentinel)

/* Constructor contract: *out is the new handle or NULL. */
#define CTOR(slot, T, call)                                                                    \
    do {                                                                                       \
        T *out_ = SENTINEL(T);                                                                 \
        int rc_ = st(call);                                                                    \
        CHECK(rc_ == SCRM_OK ? out_ != NULL && out_ != SENTINEL(T) : out_ == NULL);            \
        if (rc_ == SCRM_OK) {                                                                  \
            T##_free(slot);                                                                    \
            slot = out_;                                                                       \
        }                                                                                      \
    } while (0)

static const scrm_dataset *any_ds(world *w, input *in)
{
    return w->ds[small(in, SLOTS - 1)]; /* may be NULL: that is tested too */
}

/* CSV text: a table's header (usually) then fuzz bytes. */
static void op_load(world *w, input *in)
{
    static const char *const headers[SCRM_TABLE_COUNT] = {
        "id,acquired,segment,acquisition_cost,channel\n",
        "customer,time,amount,margin\n",
        "customer,time,score,intends_to_refer,referred\n",
        "time,channel,user,kind,post_id,target_user,brand,reach,impressions,sentiment\n",
        "time,channel,followers\n",
        "id,channel,agent,team,created,first_response,resolved,handle_time\n",
        "referrer,referee,time,converted,incentive_cost\n",
        "time,category,amount\n",
    };
    scrm_dataset *ds = w->ds[small(in, SLOTS - 1)];
    uint8_t f = u8(in);
    int32_t table = (int32_t)(f % (SCRM_TABLE_COUNT + 1)); /* includes an unknown table */
    size_t len = small(in, 255);
    char buf[512];
    size_t k = 0;
    if ((f & 0x80) && table < SCRM_TABLE_COUNT) {
        k = strlen(headers[table]);
        memcpy(buf, headers[table], k);
    }
    take(in, buf + k, len);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = (f & 0x40) ? SCRM_ON_ERROR_SKIP : SCRM_ON_ERROR_FAIL;
    o.max_rows = (f & 0x20) ? 3 : 0;
    o.max_field_bytes = (f & 0x10) ? 8 : 0;
    size_t before = 0, after = 0;
    int have = ds && table < SCRM_TABLE_COUNT;
    if (have)
        scrm_dataset_rows(ds, table, &before);
    scrm_load_report rep;
    int rc = st(scrm_dataset_load_csv_buffer(ds, table, buf, k + len, NULL, &o, &rep));
    CHECK(rep.status == rc);
    CHECK(rep.n_rejections <= SCRM_REPORT_MAX_REJECTIONS);
    if (have) {
        scrm_dataset_rows(ds, table, &after);
        /* A failed load adds nothing; a good one adds what it accepted. */
        CHECK(after == before + (rc == SCRM_OK ? rep.rows_accepted : 0));
        CHECK(rep.rows_accepted + rep.rows_rejected <= rep.rows_read);
    }
}

static void op_append(world *w, input *in)
{
    scrm_dataset *ds = w->ds[small(in, SLOTS - 1)];
    int32_t table = (int32_t)small(in, SCRM_TABLE_COUNT);
    size_t n = small(in, 8);
    size_t ncols = small(in, 4);
    static char text[4][8][8];
    const char *texts[4][8];
    double f64[4][8];
    int64_t i64[4][8];
    scrm_column_input cols[4];
    for (size_t c = 0; c < ncols; c++) {
        cols[c].column = (int32_t)small(in, 10);
        cols[c].type = (int32_t)small(in, 3);
        for (size_t i = 0; i < n; i++) {
            take(in, text[c][i], 7);
            text[c][i][7] = '\0';
            texts[c][i] = (u8(in) & 7) ? text[c][i] : NULL;
            f64[c][i] = num(in);
            i64[c][i] = when(in);
        }
        cols[c].values = cols[c].type == SCRM_VALUE_TEXT  ? (const void *)texts[c]
                         : cols[c].type == SCRM_VALUE_F64 ? (const void *)f64[c]
                                                          : (const void *)i64[c];
    }
    size_t before = 0, after = 0;
    if (ds)
        scrm_dataset_rows(ds, table, &before);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = (int32_t)(u8(in) & 1);
    scrm_load_report rep;
    int rc = st(scrm_dataset_append(ds, table, n, cols, ncols, &o, &rep));
    if (ds && table < SCRM_TABLE_COUNT) {
        scrm_dataset_rows(ds, table, &after);
        CHECK(after == before + (rc == SCRM_OK ? rep.rows_accepted : 0));
    }
}

static void op_read(world *w, input *in)
{
    const scrm_dataset *ds = any_ds(w, in);
    int32_t table = (int32_t)small(in, SCRM_TABLE_COUNT);
    int32_t col = (int32_t)small(in, 10);
    const void *v = NULL;
    size_t n = 0, rows = 0, count = 0;
    st(scrm_dataset_rows(ds, table, &rows));
    if (st(scrm_dataset_column(ds, table, col, &v, &n)) == SCRM_OK) {
        CHECK(n == rows);
        if (n && scrm_column_type(table, col) == SCRM_TYPE_STRING) {
            uint32_t id = ((const uint32_t *)v)[small(in, 255) % n];
            const char *s = NULL;
            size_t len = 0;
            CHECK(st(scrm_dataset_string(ds, id, &s, &len)) == SCRM_OK);
            uint32_t back = 0;
            CHECK(st(scrm_dataset_string_id(ds, s, len, &back)) == SCRM_OK && back == id);
        }
    }
    if (st(scrm_dataset_string_count(ds, &count)) == SCRM_OK) {
        const char *s = NULL;
        st(scrm_dataset_string(ds, (uint32_t)small(in, 255), &s, NULL));
    }
}

static void op_nps(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1), b = small(in, SLOTS - 1);
    switch (u8(in) % 11) {
    case 0: {
        scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
        o.detractor_max = (int32_t)small(in, 10);
        o.promoter_min = (int32_t)small(in, 11);
        o.ci_method = (int32_t)small(in, 3);
        CTOR(w->nps[a], scrm_nps, scrm_nps_new(&out_, (u8(in) & 1) ? &o : NULL));
        break;
    }
    case 1:
        scrm_nps_free(w->nps[a]);
        w->nps[a] = NULL;
        break;
    case 2: {
        double s[MAXN];
        size_t n = small(in, MAXN);
        for (size_t i = 0; i < n; i++)
            s[i] = (u8(in) & 15) ? (double)small(in, 10) : num(in);
        st(scrm_nps_add_scores(w->nps[a], s, n));
        break;
    }
    case 3:
        st(scrm_nps_merge(w->nps[a], w->nps[b]));
        break;
    case 4: {
        uint8_t buf[256];
        size_t len = 0;
        if (st(scrm_nps_serialize(w->nps[a], buf, sizeof buf, &len)) == SCRM_OK) {
            CTOR(w->nps[b], scrm_nps, scrm_nps_deserialize(&out_, buf, len));
            uint8_t again[256];
            size_t len2 = 0;
            CHECK(st(scrm_nps_serialize(w->nps[b], again, sizeof again, &len2)) == SCRM_OK);
            CHECK(len2 == len && memcmp(buf, again, len) == 0);
        }
        break;
    }
    case 5: {
        scrm_nps_result r;
        if (st(scrm_nps_finalize(w->nps[a], &r)) == SCRM_OK)
            CHECK(r.nps >= -100 && r.nps <= 100 && r.ci_low <= r.ci_high);
        break;
    }
    case 6: {
        scrm_nps_result r;
        st(scrm_nps_compute(w->nps[a], any_ds(w, in), &r));
        break;
    }
    case 7: {
        scrm_nps_group g[8];
        size_t len = 0;
        if (u8(in) & 1)
            st(scrm_nps_compute_by_segment(w->nps[a], any_ds(w, in), g, small(in, 8), &len));
        else
            st(scrm_nps_compute_by_period(w->nps[a], any_ds(w, in), (int32_t)small(in, 6), g,
                                          small(in, 8), &len));
        break;
    }
    case 9: {
        /* Band counts per score; sometimes huge (sums must not wrap). */
        uint64_t c[12];
        size_t n = small(in, 12);
        for (size_t i = 0; i < n; i++) {
            if (u8(in) & 7)
                c[i] = small(in, 255);
            else
                take(in, &c[i], sizeof c[i]);
        }
        st(scrm_nps_add_counts(w->nps[a], c, n));
        break;
    }
    case 10: {
        /* Two results, finalized or built from raw bytes, compared. */
        scrm_nps_result r[2];
        for (int i = 0; i < 2; i++) {
            if ((u8(in) & 3) == 0 || st(scrm_nps_finalize(w->nps[i ? b : a], &r[i])) != SCRM_OK)
                take(in, &r[i], sizeof r[i]);
        }
        static const double levels[] = {0.95, 0.5, 0.999999, 0.0, 1.0, -1.0};
        double level = (u8(in) & 7) ? levels[small(in, 5)] : num(in);
        scrm_nps_comparison cmp;
        st(scrm_nps_compare(&r[0], &r[1], level, &cmp));
        break;
    }
    default: {
        scrm_nps_referral r, other;
        if (u8(in) & 1)
            st(scrm_nps_referral_compute(any_ds(w, in), &r));
        else
            memset(&r, 0, sizeof r);
        /* Flags are 1, 0, -1 (unknown) or anything else (refused). */
        int8_t f1[MAXN], f2[MAXN];
        size_t n = small(in, MAXN);
        for (size_t i = 0; i < n; i++) {
            f1[i] = (u8(in) & 15) ? (int8_t)small(in, 2) - 1 : (int8_t)u8(in);
            f2[i] = (u8(in) & 15) ? (int8_t)small(in, 2) - 1 : (int8_t)u8(in);
        }
        st(scrm_nps_referral_add(&r, (u8(in) & 7) ? f1 : NULL, f2, n));
        st(scrm_nps_referral_add_conversions(&r, f1, n));
        /* counters from raw bytes: merging must refuse what would wrap */
        take(in, &other, sizeof other);
        st(scrm_nps_referral_merge(&r, &other));
        st(scrm_nps_referral_merge(&r, &r));
        scrm_nps_referral kept = r;
        scrm_nps_referral_result res;
        if (st(scrm_nps_referral_finalize(&r, &res)) == SCRM_OK) {
            if (res.shares_valid)
                CHECK(res.intend_share >= 0 && res.intend_share <= 1);
            if (res.phi_valid)
                CHECK(res.phi >= -1 - 1e-12 && res.phi <= 1 + 1e-12);
        }
        CHECK(memcmp(&kept, &r, sizeof r) == 0); /* finalize only reads */
        st(scrm_nps_reset(w->nps[a]));
        break;
    }
    }
}

static void op_engagement(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1), b = small(in, SLOTS - 1);
    switch (u8(in) % 10) {
    case 0: {
        scrm_engagement_options o = SCRM_ENGAGEMENT_OPTIONS_INIT;
        o.period = (int32_t)small(in, 6);
        o.hll_precision = (int32_t)(2 + small(in, 18));
        o.window_days = (int32_t)small(in, 9);
        o.own_brand = (u8(in) & 1) ? "rival" : NULL;
        CTOR(w->eng[a], scrm_engagement, scrm_engagement_new(&out_, (u8(in) & 3) ? &o : NULL));
        break;
    }
    case 1:
        scrm_engagement_free(w->eng[a]);
        w->eng[a] = NULL;
        break;
    case 2: {
        int64_t t[MAXN];
        const char *users[MAXN];
        static const char *const names[] = {"@a", "@b", "@c", "", "@dd"};
        int32_t kinds[MAXN];
        double reach[MAXN], imp[MAXN], sent[MAXN];
        int8_t comp[MAXN];
        size_t n = small(in, MAXN);
        for (size_t i = 0; i < n; i++) {
            t[i] = when(in);
            users[i] = names[small(in, 4)];
            kinds[i] = (int32_t)small(in, 6);
            reach[i] = num(in);
            imp[i] = num(in);
            sent[i] = (u8(in) & 1) ? (double)NAN : num(in) / 100;
            comp[i] = (int8_t)small(in, 2) - 1;
        }
        st(scrm_engagement_add(w->eng[a], t, users, kinds, (u8(in) & 1) ? reach : NULL, imp,
                               sent, comp, n));
        break;
    }
    case 3: {
        int64_t t[8];
        const char *ch[8];
        double f[8];
        size_t n = small(in, 8);
        for (size_t i = 0; i < n; i++)
            t[i] = when(in), ch[i] = (u8(in) & 1) ? "x" : "fb", f[i] = num(in);
        st(scrm_engagement_add_followers(w->eng[a], t, ch, f, n));
        break;
    }
    case 4:
        st(scrm_engagement_merge(w->eng[a], w->eng[b]));
        break;
    case 5: {
        size_t need = 0;
        if (!w->eng[a])
            break;
        CHECK(scrm_engagement_serialize(w->eng[a], NULL, 0, &need) == SCRM_EBUFS);
        uint8_t *buf = malloc(need), *again = malloc(need);
        size_t len = 0, len2 = 0;
        if (buf && again &&
            st(scrm_engagement_serialize(w->eng[a], buf, need, &len)) == SCRM_OK) {
            CTOR(w->eng[b], scrm_engagement, scrm_engagement_deserialize(&out_, buf, len));
            if (w->eng[b]) {
                CHECK(st(scrm_engagement_serialize(w->eng[b], again, need, &len2)) == SCRM_OK);
                CHECK(len2 == len && memcmp(buf, again, len) == 0);
            }
        }
        free(buf);
        free(again);
        break;
    }
    case 6: {
        scrm_engagement_result r, p[8];
        scrm_engagement_day d[8];
        size_t len = 0;
        st(scrm_engagement_finalize(w->eng[a], &r));
        st(scrm_engagement_periods(w->eng[a], p, small(in, 8), &len));
        st(scrm_engagement_days(w->eng[a], d, small(in, 8), &len));
        break;
    }
    case 8: {
        /* Pre-hashed user keys (any 64-bit value, 0 included). */
        int64_t t[MAXN];
        uint64_t keys[MAXN];
        int32_t kinds[MAXN];
        double reach[MAXN], sent[MAXN];
        int8_t comp[MAXN];
        size_t n = small(in, MAXN);
        for (size_t i = 0; i < n; i++) {
            t[i] = when(in);
            if (u8(in) & 3)
                keys[i] = scrm_engagement_hash((u8(in) & 1) ? "@a" : "@b", 2);
            else
                take(in, &keys[i], sizeof keys[i]);
            kinds[i] = (int32_t)small(in, 6);
            reach[i] = num(in);
            sent[i] = num(in) / 100;
            comp[i] = (int8_t)small(in, 2) - 1;
        }
        uint8_t f = u8(in);
        st(scrm_engagement_add_keys(w->eng[a], t, keys, kinds, (f & 1) ? reach : NULL,
                                    (f & 2) ? reach : NULL, (f & 4) ? sent : NULL,
                                    (f & 8) ? comp : NULL, n));
        break;
    }
    case 9: {
        scrm_engagement_options o;
        if (st(scrm_engagement_get_options(w->eng[a], &o)) == SCRM_OK) {
            /* the options read back make an accumulator that merges */
            scrm_engagement *e = NULL;
            if (st(scrm_engagement_new(&e, &o)) == SCRM_OK) {
                int rc = st(scrm_engagement_merge(e, w->eng[a]));
                CHECK(rc == SCRM_OK || rc == SCRM_ENOMEM); /* same options */
            }
            scrm_engagement_free(e);
        }
        st(scrm_engagement_reset(w->eng[a]));
        char text[16];
        size_t n = small(in, sizeof text);
        take(in, text, n);
        CHECK(scrm_engagement_hash(text, n) == scrm_engagement_hash(text, n));
        break;
    }
    default: {
        scrm_engagement_result r;
        st(scrm_engagement_compute(w->eng[a], any_ds(w, in), &r));
        break;
    }
    }
}

static void op_service(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1), b = small(in, SLOTS - 1);
    switch (u8(in) % 8) {
    case 0: {
        scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
        o.group_by = (int32_t)small(in, 5);
        o.period = (int32_t)small(in, 6);
        o.n_response_targets = (uint32_t)small(in, 5);
        o.response_targets[0] = num(in);
        o.now = (u8(in) & 1) ? when(in) : SCRM_TIME_NONE;
        CTOR(w->svc[a], scrm_service, scrm_service_new(&out_, (u8(in) & 3) ? &o : NULL));
        break;
    }
    case 1:
        scrm_service_free(w->svc[a]);
        w->svc[a] = NULL;
        break;
    case 2: {
        int64_t c[MAXN], f[MAXN], r[MAXN];
        double h[MAXN];
        uint32_t k[MAXN];
        size_t n = small(in, MAXN);
        for (size_t i = 0; i < n; i++) {
            c[i] = when(in);
            f[i] = (u8(in) & 3) ? c[i] + (int64_t)u8(in) * 60 : when(in);
            r[i] = (u8(in) & 3) ? f[i] + (int64_t)u8(in) * 600 : when(in);
            h[i] = num(in);
            k[i] = (uint32_t)small(in, 4);
        }
        st(scrm_service_add(w->svc[a], n, c, f, r, (u8(in) & 1) ? h : NULL,
                            (u8(in) & 1) ? k : NULL));
        break;
    }
    case 3:
        st(scrm_service_merge(w->svc[a], w->svc[b]));
        break;
    case 4: {
        size_t need = 0;
        if (!w->svc[a])
            break;
        CHECK(scrm_service_serialize(w->svc[a], NULL, 0, &need) == SCRM_EBUFS);
        uint8_t *buf = malloc(need), *again = malloc(need);
        size_t len = 0, len2 = 0;
        if (buf && again && st(scrm_service_serialize(w->svc[a], buf, need, &len)) == SCRM_OK) {
            CTOR(w->svc[b], scrm_service, scrm_service_deserialize(&out_, buf, len));
            if (w->svc[b]) {
                CHECK(st(scrm_service_serialize(w->svc[b], again, need, &len2)) == SCRM_OK);
                CHECK(len2 == len && memcmp(buf, again, len) == 0);
            }
        }
        free(buf);
        free(again);
        break;
    }
    case 5: {
        scrm_service_result r;
        scrm_service_stats g[8];
        size_t len = 0;
        st(scrm_service_finalize(w->svc[a], &r));
        st(scrm_service_groups(w->svc[a], g, small(in, 8), &len));
        break;
    }
    case 6: {
        scrm_service_result r;
        st(scrm_service_compute(w->svc[a], any_ds(w, in), &r));
        break;
    }
    default: {
        scrm_service_savings_result r;
        st(scrm_service_savings_compute(any_ds(w, in), NULL, &r));
        st(scrm_service_reset(w->svc[a]));
        break;
    }
    }
}

static void op_customer_value(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1), b = small(in, SLOTS - 1);
    switch (u8(in) % 8) {
    case 0: {
        scrm_rfm_options o = SCRM_RFM_OPTIONS_INIT;
        o.period = (int32_t)small(in, 6);
        o.unit = (int32_t)small(in, 6);
        o.value = (int32_t)small(in, 3);
        if (u8(in) & 1)
            o.calibration_end = when(in), o.observation_end = (u8(in) & 1) ? when(in) : o.observation_end;
        CTOR(w->rfm[a], scrm_rfm, scrm_rfm_new(&out_, &o, any_ds(w, in)));
        break;
    }
    case 1:
        scrm_rfm_free(w->rfm[a]);
        w->rfm[a] = NULL;
        break;
    case 2: {
        /* Fit a model to a summary (few iterations: the fit is not the point). */
        double x[64], tx[64], T[64], wt[64], col[64];
        size_t n = 0;
        if (st(scrm_rfm_collapse(w->rfm[a], x, tx, T, wt, 64, &n)) != SCRM_OK)
            break;
        st(scrm_rfm_column(w->rfm[a], SCRM_RFM_MONETARY, col, 64, &n));
        scrm_clv_data d = SCRM_CLV_DATA_INIT;
        d.n = n;
        d.frequency = x;
        d.recency = tx;
        d.age = T;
        d.weights = wt;
        scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
        o.max_iterations = 1 + (uint32_t)small(in, 200);
        scrm_clv_fit_result r;
        int32_t kind = 1 + (int32_t)small(in, 6);
        CTOR(w->clv[b], scrm_clv_model, scrm_clv_model_fit(&out_, kind, &d, &o, &r));
        break;
    }
    case 3: {
        double p[SCRM_CLV_MAX_PARAMS];
        size_t n = small(in, SCRM_CLV_MAX_PARAMS);
        for (size_t i = 0; i < n; i++)
            p[i] = (u8(in) & 7) ? 0.1 + small(in, 100) / 10.0 : num(in);
        CTOR(w->clv[a], scrm_clv_model,
             scrm_clv_model_new(&out_, 1 + (int32_t)small(in, 6), p, n));
        break;
    }
    case 4: {
        uint8_t buf[512];
        size_t len = 0;
        if (st(scrm_clv_model_serialize(w->clv[a], buf, sizeof buf, &len)) == SCRM_OK) {
            CTOR(w->clv[b], scrm_clv_model, scrm_clv_model_deserialize(&out_, buf, len));
            uint8_t again[512];
            size_t len2 = 0;
            CHECK(st(scrm_clv_model_serialize(w->clv[b], again, sizeof again, &len2)) == SCRM_OK);
            CHECK(len2 == len && memcmp(buf, again, len) == 0);
        }
        break;
    }
    case 5: {
        double x[8], tx[8], T[8], m[8], t[8], out[8];
        size_t n = small(in, 8), len = 0;
        for (size_t i = 0; i < n; i++) {
            x[i] = (double)small(in, 20);
            T[i] = 1 + (double)small(in, 100);
            tx[i] = x[i] > 0 ? T[i] * small(in, 100) / 100.0 : 0;
            m[i] = 1 + (double)small(in, 200);
            t[i] = (u8(in) & 15) ? (double)small(in, 60) : num(in);
        }
        scrm_clv_data d = SCRM_CLV_DATA_INIT;
        d.n = n;
        d.frequency = x;
        d.recency = tx;
        d.age = T;
        d.monetary = m;
        scrm_clv_model *c = w->clv[a];
        st(scrm_clv_expected_purchases(c, t, n, out, 8, &len));
        st(scrm_clv_conditional_expected_purchases(c, t[0], &d, out, small(in, 8), &len));
        st(scrm_clv_probability_alive(c, &d, out, 8, &len));
        st(scrm_clv_probability_purchases(c, t, x, n, out, 8, &len));
        st(scrm_clv_expected_spend(c, &d, out, 8, &len));
        scrm_clv_value_options vo = SCRM_CLV_VALUE_OPTIONS_INIT;
        vo.months = 1 + (uint32_t)small(in, 12);
        st(scrm_clv_customer_value(c, w->clv[b], &d, &vo, out, 8, &len));
        break;
    }
    case 7: {
        int64_t ids[16];
        double col[16];
        size_t len = 0, cap = small(in, 16);
        st(scrm_rfm_customers(w->rfm[a], ids, cap, &len));
        st(scrm_rfm_column(w->rfm[a], (int32_t)small(in, 8), col, cap, &len));
        scrm_rfm_info info;
        st(scrm_rfm_get_info(w->rfm[a], &info));
        int32_t kind = (int32_t)small(in, 8);
        uint32_t np = scrm_clv_kind_param_count(kind);
        CHECK(np <= SCRM_CLV_MAX_PARAMS);
        CHECK((scrm_clv_kind_name(kind) != NULL) == (np > 0));
        for (uint32_t i = 0; i <= np; i++)
            CHECK((scrm_clv_kind_param_name(kind, i) != NULL) == (i < np));
        break;
    }
    default:
        scrm_clv_model_free(w->clv[a]);
        w->clv[a] = NULL;
        break;
    }
}

static void op_roi(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1);
    scrm_roi_model *m = w->roi[a];
    static const char *const names[] = {"a", "b", "cost", "", NULL, "conv"};
    const char *name = names[small(in, 5)];
    int32_t first = (int32_t)small(in, 40) - 2, last = (int32_t)small(in, 40) - 2;
    switch (u8(in) % 12) {
    case 0: {
        scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
        o.period = (int32_t)small(in, 6);
        o.horizon = (int32_t)small(in, 40);
        o.start = (u8(in) & 1) ? when(in) : SCRM_TIME_NONE;
        CTOR(w->roi[a], scrm_roi_model, scrm_roi_model_new(&out_, (u8(in) & 3) ? &o : NULL));
        break;
    }
    case 1:
        scrm_roi_model_free(m);
        w->roi[a] = NULL;
        break;
    case 2:
        st(scrm_roi_model_add_cost(m, name, NULL, first, last, num(in), num(in) / 100, NULL));
        break;
    case 3:
        st(scrm_roi_model_add_benefit(m, name, "src", first, last, num(in), num(in) / 100,
                                      NULL));
        break;
    case 4:
        st(scrm_roi_model_add_costs_table(m, name, NULL, any_ds(w, in),
                                          (u8(in) & 1) ? "cat" : NULL, NULL));
        break;
    case 5:
        st(scrm_roi_model_add_retention(m, name, NULL, first, last, num(in), num(in) / 100,
                                        num(in) / 100, num(in), num(in) / 100, NULL));
        break;
    case 6: {
        int32_t line = (int32_t)small(in, 6) - 2, input = (int32_t)small(in, 10);
        uint8_t k = u8(in);
        if (k & 1)
            st(scrm_roi_model_set_input(m, line, input, num(in)));
        else if (k & 2)
            st(scrm_roi_model_set_uncertain(m, line, input, (int32_t)small(in, 7), num(in),
                                            num(in), num(in)));
        else
            st(scrm_roi_model_set_scenario(m, names[small(in, 3)], line, input, num(in)));
        break;
    }
    case 7: {
        scrm_roi_result r;
        double flows[64];
        size_t len = 0;
        st(scrm_roi_model_evaluate(m, (u8(in) & 1) ? "a" : NULL, &r));
        st(scrm_roi_model_flows(m, NULL, -1 - (int32_t)small(in, 4), flows, small(in, 64),
                                &len));
        break;
    }
    case 8: {
        scrm_roi_sensitivity_row rows[8];
        size_t len = 0;
        st(scrm_roi_model_sensitivity(m, NULL, rows, small(in, 8), &len));
        break;
    }
    case 10: {
        /* The driver-based lines: volume x value per period, growing. */
        double v = num(in), value = num(in), growth = num(in) / 100;
        int32_t line = -1;
        switch (u8(in) % 4) {
        case 0:
            st(scrm_roi_model_add_conversions(m, name, "src", first, last, v, value, growth,
                                              &line));
            break;
        case 1:
            st(scrm_roi_model_add_engagement(m, name, NULL, first, last, v, value, growth,
                                             &line));
            break;
        case 2:
            st(scrm_roi_model_add_referrals(m, name, "src", first, last, v, value, growth,
                                            &line));
            break;
        default:
            st(scrm_roi_model_add_service_savings(m, name, NULL, first, last, v, value, growth,
                                                  &line));
            break;
        }
        break;
    }
    case 11: {
        /* Read a model back: lines, inputs, scenarios, options, times. */
        int32_t count = -1, line = (int32_t)small(in, 8) - 1, input = (int32_t)small(in, 10);
        if (st(scrm_roi_model_line_count(m, &count)) == SCRM_OK) {
            CHECK(count >= 0);
            scrm_roi_line_info li;
            if (st(scrm_roi_model_line_info(m, line, &li)) == SCRM_OK) {
                CHECK(line >= 0 && line < count && li.name != NULL);
                int32_t found = -1;
                CHECK(st(scrm_roi_model_find_line(m, li.name, &found)) == SCRM_OK);
                CHECK(found >= 0 && found < count);
            }
        }
        int32_t found = -1;
        st(scrm_roi_model_find_line(m, name, &found));
        double v = 0;
        st(scrm_roi_model_get_input(m, line, input, &v));
        (void)scrm_roi_input_name(input);
        if (u8(in) & 1)
            st(scrm_roi_model_clear_uncertain(m, line, input));
        int32_t ns = -1;
        if (st(scrm_roi_model_scenario_count(m, &ns)) == SCRM_OK)
            for (int32_t i = -1; i <= ns; i++) {
                const char *sn = scrm_roi_model_scenario_name(m, i);
                CHECK((i >= 0 && i < ns) ? sn != NULL : sn == NULL);
            }
        scrm_roi_options o;
        st(scrm_roi_model_get_options(m, &o));
        int64_t t = 0;
        st(scrm_roi_model_flow_time(m, (int32_t)small(in, 80) - 4, &t));
        break;
    }
    default: {
        scrm_roi_mc_options o = SCRM_ROI_MC_OPTIONS_INIT;
        o.iterations = 1 + small(in, 200);
        o.seed = u8(in);
        scrm_roi_mc *mc = SENTINEL(scrm_roi_mc);
        if (st(scrm_roi_mc_run(&mc, m, &o)) == SCRM_OK) {
            scrm_roi_mc_summary s;
            CHECK(st(scrm_roi_mc_summarize(mc, &s)) == SCRM_OK);
            double smp[256];
            size_t len = 0;
            st(scrm_roi_mc_samples(mc, 1 + (int32_t)small(in, 6), smp, small(in, 255), &len));
        } else {
            CHECK(mc == NULL);
        }
        scrm_roi_mc_free(mc);
        break;
    }
    }
}

static void op_crv(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1), b = small(in, SLOTS - 1);
    switch (u8(in) % 8) {
    case 0: {
        scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
        o.period = (int32_t)small(in, 6);
        o.horizon = (uint32_t)small(in, 8);
        o.share_anyway = small(in, 10) / 8.0;
        o.acquisition_source = (int32_t)small(in, 3);
        o.margin_source = (int32_t)small(in, 3);
        o.observation_end = (u8(in) & 1) ? when(in) : SCRM_TIME_NONE;
        CTOR(w->crv[a], scrm_crv, scrm_crv_new(&out_, (u8(in) & 3) ? &o : NULL));
        break;
    }
    case 1:
        scrm_crv_free(w->crv[a]);
        w->crv[a] = NULL;
        break;
    case 2: {
        scrm_crv_options o;
        if (!w->crv[a] || st(scrm_crv_get_options(w->crv[a], &o)) != SCRM_OK)
            break;
        size_t n = small(in, 8), h = o.horizon;
        if (n * h > 64)
            n = 64 / h;
        int64_t ref[8];
        double m[64], inc[8], acq[8], p[8];
        uint32_t act[8];
        for (size_t i = 0; i < n; i++) {
            ref[i] = (int64_t)small(in, 4);
            for (size_t k = 0; k < h; k++)
                m[i * h + k] = num(in);
            act[i] = (uint32_t)small(in, 9);
            inc[i] = num(in);
            acq[i] = num(in);
            p[i] = small(in, 10) / 8.0;
        }
        uint8_t f = u8(in);
        st(scrm_crv_add(w->crv[a], ref, (f & 1) ? m : NULL, (f & 2) ? act : NULL,
                        (f & 4) ? inc : NULL, (f & 8) ? acq : NULL, (f & 16) ? p : NULL, n));
        break;
    }
    case 3:
        st(scrm_crv_merge(w->crv[a], w->crv[b]));
        break;
    case 4: {
        size_t need = 0;
        if (!w->crv[a])
            break;
        CHECK(scrm_crv_serialize(w->crv[a], NULL, 0, &need) == SCRM_EBUFS);
        uint8_t *buf = malloc(need), *again = malloc(need);
        size_t len = 0, len2 = 0;
        if (buf && again && st(scrm_crv_serialize(w->crv[a], buf, need, &len)) == SCRM_OK) {
            CTOR(w->crv[b], scrm_crv, scrm_crv_deserialize(&out_, buf, len));
            if (w->crv[b]) {
                CHECK(st(scrm_crv_serialize(w->crv[b], again, need, &len2)) == SCRM_OK);
                CHECK(len2 == len && memcmp(buf, again, len) == 0);
            }
        }
        free(buf);
        free(again);
        break;
    }
    case 5: {
        scrm_crv_result r;
        int64_t keys[8];
        double col[8];
        size_t len = 0;
        st(scrm_crv_finalize(w->crv[a], &r));
        st(scrm_crv_referrers(w->crv[a], keys, small(in, 8), &len));
        st(scrm_crv_column(w->crv[a], (int32_t)small(in, 8), col, 8, &len));
        st(scrm_crv_lookup(w->crv[a], keys, len < 8 ? len : 0, col, 8, &len));
        break;
    }
    case 6: {
        scrm_crv_result r;
        st(scrm_crv_compute(w->crv[a], any_ds(w, in), &r));
        break;
    }
    default: {
        double clv[8], crv[8];
        int32_t seg[8];
        size_t n = small(in, 8), len = 0;
        for (size_t i = 0; i < n; i++)
            clv[i] = num(in), crv[i] = num(in);
        scrm_crv_segment_options o = SCRM_CRV_SEGMENT_OPTIONS_INIT;
        o.clv_split = (int32_t)small(in, 4);
        o.crv_split = (int32_t)small(in, 4);
        scrm_crv_segment_summary sum;
        st(scrm_crv_segments(clv, crv, n, &o, seg, small(in, 8), &len, &sum));
        if (w->crv[a])
            scrm_crv_reset(w->crv[a]);
        break;
    }
    }
}

static void op_sbg(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1);
    double s[12], t[4], out[4];
    size_t n = small(in, 12), len = 0;
    s[0] = 100 + small(in, 200);
    for (size_t i = 1; i < n; i++)
        s[i] = (u8(in) & 15) ? s[i - 1] * (0.3 + small(in, 70) / 100.0) : num(in);
    for (int i = 0; i < 4; i++)
        t[i] = (u8(in) & 15) ? (double)small(in, 24) : num(in);
    scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
    o.max_iterations = 1 + (uint32_t)small(in, 200);
    scrm_clv_fit_result r;
    if (u8(in) & 1)
        CTOR(w->clv[a], scrm_clv_model, scrm_clv_sbg_fit_survivors(&out_, s, n, &o, &r));
    st(scrm_clv_sbg_survival(w->clv[a], t, 4, out, small(in, 4), &len));
    st(scrm_clv_sbg_retention(w->clv[a], t, 4, out, 4, &len));
    st(scrm_clv_sbg_derl(w->clv[a], num(in) / 100, t, 4, out, 4, &len));
}

/* RFM histograms: weighted (x, t_x, T) rows, merged, saved, fitted. */
static void op_rfm_hist(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1), b = small(in, SLOTS - 1);
    switch (u8(in) % 8) {
    case 0: {
        scrm_rfm_hist_options o = SCRM_RFM_HIST_OPTIONS_INIT;
        o.max_rows = small(in, 12);
        CTOR(w->hist[a], scrm_rfm_hist, scrm_rfm_hist_new(&out_, (u8(in) & 1) ? &o : NULL));
        break;
    }
    case 1:
        scrm_rfm_hist_free(w->hist[a]);
        w->hist[a] = NULL;
        break;
    case 2: {
        /* Usually plausible rows (0 <= t_x <= T, x = 0 => t_x = 0), sometimes raw. */
        double x[MAXN], tx[MAXN], T[MAXN], wt[MAXN];
        size_t n = small(in, MAXN);
        for (size_t i = 0; i < n; i++) {
            if (u8(in) & 15) {
                x[i] = (double)small(in, 6);
                T[i] = 1 + (double)small(in, 12);
                tx[i] = x[i] > 0 ? T[i] * small(in, 4) / 4.0 : 0;
                wt[i] = 1 + (double)small(in, 9);
            } else {
                x[i] = num(in), tx[i] = num(in), T[i] = num(in), wt[i] = num(in);
            }
        }
        scrm_rfm_hist_info before, after;
        int have = w->hist[a] && scrm_rfm_hist_get_info(w->hist[a], &before) == SCRM_OK;
        int rc = st(scrm_rfm_hist_add(w->hist[a], x, tx, T, (u8(in) & 1) ? wt : NULL, n));
        if (have && rc != SCRM_OK) { /* a failed add changes nothing */
            CHECK(scrm_rfm_hist_get_info(w->hist[a], &after) == SCRM_OK);
            CHECK(after.rows == before.rows);
        }
        break;
    }
    case 3:
        if (u8(in) & 1)
            st(scrm_rfm_hist_merge(w->hist[a], w->hist[b]));
        else
            st(scrm_rfm_hist_add_rfm(w->hist[a], w->rfm[b]));
        break;
    case 4: {
        size_t need = 0;
        if (!w->hist[a])
            break;
        CHECK(scrm_rfm_hist_serialize(w->hist[a], NULL, 0, &need) == SCRM_EBUFS);
        uint8_t *buf = malloc(need), *again = malloc(need);
        size_t len = 0, len2 = 0;
        if (buf && again &&
            st(scrm_rfm_hist_serialize(w->hist[a], buf, need, &len)) == SCRM_OK) {
            CTOR(w->hist[b], scrm_rfm_hist, scrm_rfm_hist_deserialize(&out_, buf, len));
            if (w->hist[b]) {
                CHECK(st(scrm_rfm_hist_serialize(w->hist[b], again, need, &len2)) == SCRM_OK);
                CHECK(len2 == len && memcmp(buf, again, len) == 0);
            }
        }
        free(buf);
        free(again);
        break;
    }
    case 5: {
        scrm_rfm_hist_info info;
        double x[16], tx[16], T[16], wt[16];
        size_t len = 0;
        if (st(scrm_rfm_hist_get_info(w->hist[a], &info)) == SCRM_OK)
            CHECK(info.rows <= info.max_rows);
        st(scrm_rfm_hist_rows(w->hist[a], x, tx, T, wt, small(in, 16), &len));
        break;
    }
    case 6: {
        scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
        o.max_iterations = 1 + (uint32_t)small(in, 200);
        scrm_clv_fit_result r;
        int32_t kind = 1 + (int32_t)small(in, 6);
        CTOR(w->clv[b], scrm_clv_model, scrm_rfm_hist_fit(&out_, kind, w->hist[a], &o, &r));
        break;
    }
    default:
        st(scrm_rfm_hist_reset(w->hist[a]));
        break;
    }
}

/* The stateless finance functions and calendar helpers. */
static void op_finance(world *w, input *in)
{
    (void)w;
    double flows[24], roots[8];
    size_t n = small(in, 24), nr = 0;
    for (size_t i = 0; i < n; i++)
        flows[i] = (u8(in) & 7) ? (double)(int8_t)u8(in) * 100 : num(in);
    double rate = num(in) / 100, v = 0;
    scrm_finance_payback_result pb;
    st(scrm_finance_npv(rate, flows, n, &v));
    /* Roots ascend and are rates >= -1 (a root at 1 + r below 1e-16, as for
     * {6.5e180, 4400, 10100, 0, -100}, rounds to exactly -1). */
    if (st(scrm_finance_irr(flows, n, roots, small(in, 8), &nr)) == SCRM_OK)
        for (size_t i = 0; i < nr && i < 8; i++)
            CHECK(roots[i] >= -1 && isfinite(roots[i]) && (i == 0 || roots[i] >= roots[i - 1]));
    st(scrm_finance_payback(flows, n, &pb));
    st(scrm_finance_discounted_payback(flows, n, rate, &pb));
    st(scrm_finance_roi(num(in), num(in), &v));
    int32_t period = (int32_t)small(in, 6);
    st(scrm_finance_periods_per_year(period, &v));
    st(scrm_finance_rate_per_period(num(in) / 100, num(in), &v));
    int64_t t = when(in), k = (int64_t)(int8_t)u8(in), out = 0;
    if (!(u8(in) & 7))
        take(in, &k, sizeof k);
    st(scrm_period_add(t, period, k, &out));
    if (st(scrm_period_start(t, period, &out)) == SCRM_OK) {
        char buf[40];
        st(scrm_time_format(out, buf, (size_t)small(in, 40)));
    }
}

/* Special functions (any doubles), schema names, versions and the last
 * error: values are finite or the status says why. */
static void op_misc(world *w, input *in)
{
    (void)w;
    double a = num(in), b = num(in), c = num(in), x = (u8(in) & 3) ? small(in, 100) / 101.0 : num(in);
    scrm_sf_result r;
    double sgn = 0;
    if (st(scrm_sf_lgamma_sgn_e(a, &r, &sgn)) == SCRM_OK)
        CHECK(sgn == 1 || sgn == -1);
    if (st(scrm_sf_lgamma_e(a, &r)) == SCRM_OK)
        CHECK(!isnan(r.val) && r.err >= 0);
    st(scrm_sf_lbeta_e(a, b, &r));
    st(scrm_sf_digamma_e(b, &r));
    if (st(scrm_sf_hyperg_2F1_e(a, b, c, x, &r)) == SCRM_OK)
        CHECK(isfinite(r.val));
    st(scrm_sf_hyperg_2F1_log_e(a, b, c, x, &r, &sgn));
    (void)scrm_sf_lgamma(a);
    (void)scrm_sf_lbeta(a, b);
    (void)scrm_sf_digamma(c);
    (void)scrm_sf_hyperg_2F1(a, b, c, x);
    int32_t table = (int32_t)small(in, SCRM_TABLE_COUNT + 1) - 1, col = (int32_t)small(in, 11) - 1;
    size_t ncols = 0;
    int known = st(scrm_table_columns(table, &ncols)) == SCRM_OK;
    CHECK((scrm_table_name(table) != NULL) == known);
    int in_range = known && col >= 0 && (size_t)col < ncols;
    CHECK((scrm_column_name(table, col) != NULL) == in_range);
    if (in_range)
        CHECK(scrm_column_type(table, col) > 0 && scrm_column_required(table, col) >= 0);
    CHECK(scrm_version_number() > 0 && scrm_version_string()[0] != '\0');
    CHECK(scrm_abi_version() >= 0);
    scrm_clear_error();
    CHECK(scrm_last_error_code() == SCRM_OK && scrm_last_error_message()[0] == '\0');
    scrm_free(NULL);
}

static void op_dataset(world *w, input *in)
{
    size_t a = small(in, SLOTS - 1);
    if (u8(in) & 1) {
        CTOR(w->ds[a], scrm_dataset, scrm_dataset_new(&out_));
    } else {
        /* Freed while calculators and models made from it live on (free
         * order must not matter). */
        scrm_dataset_free(w->ds[a]);
        w->ds[a] = NULL;
    }
}

typedef void (*op)(world *, input *);

static const op ops[] = {
    op_dataset, op_load, op_load, op_append, op_read, op_nps, op_nps,
    op_engagement, op_engagement, op_service, op_service, op_customer_value, op_roi,
    op_crv, op_sbg, op_finance, op_rfm_hist, op_misc,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    world w;
    memset(&w, 0, sizeof w);
    /* Start with one dataset so the first operations have something to use. */
    if (scrm_dataset_new(&w.ds[0]) != SCRM_OK)
        return 0;
    input in = {data, size};
    for (int steps = 0; in.n > 0 && steps < 64; steps++)
        ops[u8(&in) % (sizeof ops / sizeof ops[0])](&w, &in);
    for (int i = 0; i < SLOTS; i++) {
        scrm_dataset_free(w.ds[i]);
        scrm_nps_free(w.nps[i]);
        scrm_engagement_free(w.eng[i]);
        scrm_service_free(w.svc[i]);
        scrm_rfm_free(w.rfm[i]);
        scrm_clv_model_free(w.clv[i]);
        scrm_roi_model_free(w.roi[i]);
        scrm_crv_free(w.crv[i]);
        scrm_rfm_hist_free(w.hist[i]);
    }
    return 0;
}
