/* scrm_service accumulator (src/kpi/service*.c): hand-worked goldens,
 * grouping, bad input, merge/permutation properties, the histogram quantile
 * bound, and serialization robustness. The dataset path (compute) is in
 * test_service_compute.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "core/bytes.h"
#include "scrm.h"
#include "service_ref.h"

#define NONE SCRM_TIME_NONE
#define EQ(a, b) cr_assert((a) == (b), "%.17g vs %.17g", (double)(a), (double)(b))
#define REL(a, b, tol) cr_assert(fabs((a) - (b)) <= (tol) * fabs(b), "%.17g vs %.17g", (a), (b))

static scrm_service *mk(const scrm_service_options *o)
{
    scrm_service *s = NULL;
    cr_assert_eq(scrm_service_new(&s, o), SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_not_null(s);
    return s;
}

/* Six tickets worked by hand (offsets from T0, seconds):
 *   #  created  first_response  resolved   handle  channel
 *   0     0        +30            +600       300      1
 *   1   100        +4000          +90000    1200      2
 *   2   200        -              -          NaN      1
 *   3  1000        +10            +100        60      3
 *   4  5000        +200           -           90      2
 *   5 10000        -              +20000     30.5     1   */
static const int64_t g_c[6] = {0, 100, 200, 1000, 5000, 10000};
static const int64_t g_f[6] = {30, 4000, -1, 10, 200, -1};
static const int64_t g_r[6] = {600, 90000, -1, 100, -1, 20000};
static const double g_h[6] = {300, 1200, NAN, 60, 90, 30.5};
static const uint32_t g_ch[6] = {1, 2, 1, 3, 2, 1};

static void golden_columns(int64_t *c, int64_t *f, int64_t *r)
{
    for (int i = 0; i < 6; i++) {
        c[i] = T0 + g_c[i];
        f[i] = g_f[i] < 0 ? NONE : c[i] + g_f[i];
        r[i] = g_r[i] < 0 ? NONE : c[i] + g_r[i];
    }
}

static scrm_service *golden(const scrm_service_options *o)
{
    int64_t c[6], f[6], r[6];
    golden_columns(c, f, r);
    scrm_service *s = mk(o);
    cr_assert_eq(scrm_service_add(s, 6, c, f, r, g_h, g_ch), SCRM_OK, "%s",
                 scrm_last_error_message());
    return s;
}

static scrm_service_options two_targets(void)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.n_response_targets = 2;
    o.response_targets[1] = 60.0;
    return o;
}

Test(service, golden_overall_by_hand)
{
    scrm_service_options o = two_targets();
    scrm_service *s = golden(&o);
    scrm_service_result res;
    cr_assert_eq(scrm_service_finalize(s, &res), SCRM_OK);
    const scrm_service_stats *st = &res.overall;
    cr_assert_eq(st->volume, 6);
    cr_assert_eq(st->responded, 4);
    cr_assert_eq(st->unanswered, 2);
    cr_assert_eq(st->resolved, 4);
    cr_assert_eq(st->unresolved, 2);
    EQ(st->response_rate, 4.0 / 6.0);
    EQ(st->resolution_rate, 4.0 / 6.0);
    /* Time to answer: 10, 30, 200, 4000. h = 3p: median 30 + .5 (170) = 115;
     * p90 = 200 + .7 (3800) = 2860, p95 = 200 + .85 (3800) = 3430; mean 1060. */
    cr_assert_eq(st->answer.n, 4);
    EQ(st->answer.mean, 1060.0);
    EQ(st->answer.min, 10.0);
    EQ(st->answer.max, 4000.0);
    /* From the histogram 200 reads as the midpoint of its bucket [200, 201]
     * and 4000 as that of [4000, 4031]: median 30 + .5 (200.5 - 30) = 115.25,
     * p90 = 200.5 + .7 (4000 - 200.5) = 2860.15 (the midpoint is clamped to
     * the exact maximum): within 2^-7 of 115 and 2860. */
    EQ(st->answer.median, 115.25);
    REL(st->answer.median, 115.0, 1.0 / 128);
    REL(st->answer.p90, 2860.15, 1e-12); /* 4015.5 clamped to the exact max 4000 */
    REL(st->answer.p90, 2860.0, 1.0 / 128);
    REL(st->answer.p95, 3430.0, 1.0 / 128);
    /* Resolution: 100, 600, 20000, 90000: mean 27675, median 10300,
     * p90 69000, p95 79500 (histogram: within 2^-7). */
    cr_assert_eq(st->resolution.n, 4);
    EQ(st->resolution.mean, 27675.0);
    EQ(st->resolution.min, 100.0);
    EQ(st->resolution.max, 90000.0);
    REL(st->resolution.median, 10300.0, 1.0 / 128);
    REL(st->resolution.p90, 69000.0, 1.0 / 128);
    REL(st->resolution.p95, 79500.0, 1.0 / 128);
    /* SLA: answered within 3600 s: 30, 10, 200 -> 3 of 6 tickets (the two
     * unanswered count as misses); within 60 s: 2 of 6. Resolved within 24 h:
     * 600, 100, 20000 -> 3 of 6. */
    cr_assert_eq(st->response_sla_met[0], 3);
    cr_assert_eq(st->response_sla_met[1], 2);
    EQ(st->response_sla[0], 0.5);
    EQ(st->response_sla[1], 2.0 / 6.0);
    cr_assert_eq(st->response_sla_met[2], 0);
    EQ(st->response_sla[2], 0.0);
    cr_assert_eq(st->resolution_sla_met[0], 3);
    EQ(st->resolution_sla[0], 0.5);
    /* Backlog at end of data (latest time: #1 resolved at 90100): #2 (age
     * 89900) and #4 (age 85100): mean 87500, max 89900. */
    EQ(res.now, T0 + 90100);
    cr_assert_eq(st->backlog, 2);
    EQ(st->backlog_mean_age, 87500.0);
    EQ(st->backlog_max_age, 89900.0);
    /* Handle time: 300 + 1200 + 60 + 90 + 30.5 over 5 tickets. */
    cr_assert_eq(st->handled, 5);
    EQ(st->handle_time_total, 1680.5);
    EQ(st->handle_time_mean, 336.1);
    /* Header. */
    cr_assert_eq(res.n_groups, 1);
    cr_assert_eq(res.group_by, SCRM_SERVICE_GROUP_NONE);
    cr_assert_eq(res.period, 0);
    cr_assert_eq(res.quantiles_exact, 0);
    cr_assert_eq(res.n_response_targets, 2);
    EQ(res.response_targets[0], 3600.0);
    EQ(res.response_targets[1], 60.0);
    cr_assert_eq(res.n_resolution_targets, 1);
    EQ(res.resolution_targets[0], 86400.0);
    scrm_service_free(s);
}

/* Backlog at an explicit time T0 + 4500: open are #1 (resolved later, age
 * 4400) and #2 (never resolved, age 4300); #0 and #3 were resolved by then,
 * #4 and #5 did not exist yet. */
Test(service, golden_backlog_at_explicit_now)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.now = T0 + 4500;
    scrm_service *s = golden(&o);
    scrm_service_result res;
    cr_assert_eq(scrm_service_finalize(s, &res), SCRM_OK);
    EQ(res.now, T0 + 4500);
    cr_assert_eq(res.overall.backlog, 2);
    EQ(res.overall.backlog_mean_age, 4350.0);
    EQ(res.overall.backlog_max_age, 4400.0);
    cr_assert_eq(res.overall.volume, 6); /* the other metrics cover all tickets */
    scrm_service_free(s);
}

Test(service, golden_grouped_by_channel)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *s = golden(&o);
    size_t n = 0;
    cr_assert_eq(scrm_service_groups(s, NULL, 0, &n), SCRM_EBUFS);
    cr_assert_eq(n, 3);
    scrm_service_stats g[3];
    cr_assert_eq(scrm_service_groups(s, g, 2, &n), SCRM_EBUFS);
    cr_assert_eq(scrm_service_groups(s, g, 3, &n), SCRM_OK);
    cr_assert_eq(n, 3);
    /* Channel 1: #0, #2, #5; channel 2: #1, #4; channel 3: #3. */
    cr_assert_eq(g[0].key, 1);
    cr_assert_eq(g[1].key, 2);
    cr_assert_eq(g[2].key, 3);
    cr_assert_eq(g[0].volume, 3);
    cr_assert_eq(g[0].responded, 1);
    EQ(g[0].response_rate, 1.0 / 3.0);
    EQ(g[0].answer.median, 30.0);
    cr_assert_eq(g[0].resolved, 2);
    EQ(g[0].resolution.mean, 10300.0);
    cr_assert_eq(g[0].backlog, 1);
    EQ(g[0].backlog_max_age, 89900.0); /* age at the overall end of data */
    EQ(g[0].handle_time_total, 330.5);
    cr_assert_eq(g[0].handled, 2);
    cr_assert_eq(g[1].volume, 2);
    cr_assert_eq(g[1].responded, 2);
    EQ(g[1].answer.mean, 2100.0);
    cr_assert_eq(g[1].response_sla_met[0], 1);
    EQ(g[1].response_sla[0], 0.5);
    cr_assert_eq(g[2].volume, 1);
    EQ(g[2].answer.median, 10.0);
    EQ(g[2].resolution.p95, 100.0);
    cr_assert(isnan(g[2].backlog_mean_age)); /* no open tickets */
    /* The groups add up to the overall result. */
    scrm_service_result res;
    cr_assert_eq(scrm_service_finalize(s, &res), SCRM_OK);
    cr_assert_eq(res.n_groups, 3);
    cr_assert_eq(res.overall.key, 0);
    cr_assert_eq(g[0].volume + g[1].volume + g[2].volume, res.overall.volume);
    cr_assert_eq(g[0].backlog + g[1].backlog + g[2].backlog, res.overall.backlog);
    EQ(res.overall.answer.mean, 1060.0);
    EQ(res.overall.handle_time_total, 1680.5);
    scrm_service_free(s);
}

Test(service, grouped_by_period)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_PERIOD;
    o.period = SCRM_PERIOD_DAY;
    scrm_service *s = mk(&o);
    /* Three days, in scrambled order; 2023-11-14 starts at 1699920000. */
    const int64_t day = 1699920000;
    int64_t c[5] = {day + 86400 + 5, day + 10, day + 3 * 86400 - 1, day + 86399, day + 86400};
    int64_t f[5] = {c[0] + 60, NONE, c[2] + 1, c[3] + 5, NONE};
    cr_assert_eq(scrm_service_add(s, 5, c, f, NULL, NULL, NULL), SCRM_OK);
    scrm_service_stats g[4];
    size_t n;
    cr_assert_eq(scrm_service_groups(s, g, 4, &n), SCRM_OK);
    cr_assert_eq(n, 3);
    EQ(g[0].key, day);
    EQ(g[1].key, day + 86400);
    EQ(g[2].key, day + 2 * 86400);
    cr_assert_eq(g[0].volume, 2);
    cr_assert_eq(g[1].volume, 2);
    cr_assert_eq(g[2].volume, 1);
    cr_assert_eq(g[0].responded, 1);
    EQ(g[1].answer.max, 60.0);
    cr_assert_eq(g[0].backlog, 2); /* no resolved column: all open */
    scrm_service_result res;
    cr_assert_eq(scrm_service_finalize(s, &res), SCRM_OK);
    cr_assert_eq(res.period, SCRM_PERIOD_DAY);
    cr_assert_eq(res.overall.resolved, 0);
    cr_assert(isnan(res.overall.resolution.mean));
    cr_assert(isnan(res.overall.resolution.median));
    cr_assert(isnan(res.overall.handle_time_mean));
    EQ(res.overall.resolution_sla[0], 0.0); /* unresolved = missed */
    scrm_service_free(s);
}

Test(service, targets_are_inclusive_whole_seconds)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.n_response_targets = 3;
    o.response_targets[0] = 0.0;
    o.response_targets[1] = 59.9; /* an integer duration meets it iff <= 59 */
    o.response_targets[2] = 60.0;
    scrm_service *s = mk(&o);
    int64_t c[4] = {T0, T0, T0, T0}, f[4] = {T0, T0 + 59, T0 + 60, T0 + 61};
    cr_assert_eq(scrm_service_add(s, 4, c, f, NULL, NULL, NULL), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_OK);
    cr_assert_eq(r.overall.response_sla_met[0], 1);
    cr_assert_eq(r.overall.response_sla_met[1], 2);
    cr_assert_eq(r.overall.response_sla_met[2], 3);
    EQ(r.overall.answer.min, 0.0);
    scrm_service_free(s);
}

Test(service, options_init_and_validation)
{
    scrm_service_options o;
    cr_assert_eq(scrm_service_options_init(NULL, SCRM_SERVICE_OPTIONS_VERSION), SCRM_EINVAL);
    cr_assert_eq(scrm_service_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_service_options_init(&o, SCRM_SERVICE_OPTIONS_VERSION + 1), SCRM_EVERSION);
    cr_assert_eq(scrm_service_options_init(&o, SCRM_SERVICE_OPTIONS_VERSION), SCRM_OK);
    cr_assert_eq(o.n_response_targets, 1);
    EQ(o.response_targets[0], 3600.0);
    EQ(o.resolution_targets[0], 86400.0);
    cr_assert_eq(o.group_by, SCRM_SERVICE_GROUP_NONE);
    cr_assert_eq(o.now, SCRM_TIME_NONE);

    scrm_service *s = (scrm_service *)&o; /* must be overwritten with NULL */
    cr_assert_eq(scrm_service_new(NULL, NULL), SCRM_EINVAL);
    scrm_service_options b;
#define EXPECT_BAD(stmt, code)                                                    \
    do {                                                                          \
        scrm_service_options_init(&b, SCRM_SERVICE_OPTIONS_VERSION);             \
        stmt;                                                                     \
        s = (scrm_service *)&o;                                                   \
        cr_assert_eq(scrm_service_new(&s, &b), code, #stmt);                      \
        cr_assert_null(s, #stmt);                                                 \
    } while (0)
    EXPECT_BAD(b.version = 0, SCRM_EVERSION);
    EXPECT_BAD(b.version = 99, SCRM_EVERSION);
    EXPECT_BAD(b.n_response_targets = 5, SCRM_EINVAL);
    EXPECT_BAD(b.n_resolution_targets = 5, SCRM_EINVAL);
    EXPECT_BAD(b.response_targets[0] = NAN, SCRM_EINVAL);
    EXPECT_BAD(b.response_targets[0] = -1, SCRM_EINVAL);
    EXPECT_BAD(b.resolution_targets[0] = INFINITY, SCRM_EINVAL);
    EXPECT_BAD((b.n_resolution_targets = 2, b.resolution_targets[1] = -0.5), SCRM_EINVAL);
    EXPECT_BAD(b.group_by = 5, SCRM_EINVAL);
    EXPECT_BAD(b.group_by = -1, SCRM_EINVAL);
    EXPECT_BAD((b.group_by = SCRM_SERVICE_GROUP_PERIOD, b.period = 0), SCRM_EINVAL);
    EXPECT_BAD((b.group_by = SCRM_SERVICE_GROUP_PERIOD, b.period = 6), SCRM_EINVAL);
    EXPECT_BAD(b.now = INT64_MAX, SCRM_EINVAL);
    EXPECT_BAD(b.now = SCRM_TIME_NONE + 1, SCRM_EINVAL);
    /* Unused slots and an unused period do not matter. */
    scrm_service_options_init(&b, SCRM_SERVICE_OPTIONS_VERSION);
    b.response_targets[3] = NAN;
    b.period = 77;
    cr_assert_eq(scrm_service_new(&s, &b), SCRM_OK);
    scrm_service_free(s);
    scrm_service_free(NULL);
    cr_assert_eq(scrm_service_reset(NULL), SCRM_EINVAL);
}

Test(service, bad_tickets_name_the_row_and_change_nothing)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *s = golden(&o);
    uint8_t before[4096], after[4096];
    size_t nb, na;
    cr_assert_eq(scrm_service_serialize(s, before, sizeof before, &nb), SCRM_OK);
    int64_t c[3] = {T0, T0 + 10, T0 + 20}, f[3] = {T0 + 5, NONE, T0 + 30},
            r[3] = {NONE, T0 + 50, NONE};
    double h[3] = {1, 2, 3};
    uint32_t k[3] = {1, 2, 3};
#define BAD(stmt, col, needle)                                                    \
    do {                                                                          \
        int64_t c2[3], f2[3], r2[3];                                              \
        double h2[3];                                                             \
        memcpy(c2, c, sizeof c);                                                  \
        memcpy(f2, f, sizeof f);                                                  \
        memcpy(r2, r, sizeof r);                                                  \
        memcpy(h2, h, sizeof h);                                                  \
        stmt;                                                                     \
        cr_assert_eq(scrm_service_add(s, 3, c2, f2, r2, h2, k), SCRM_EINVAL, #stmt); \
        const char *m = scrm_last_error_message();                                \
        cr_assert(strstr(m, "row 2") && strstr(m, col) && strstr(m, needle),      \
                  "%s: %s", #stmt, m);                                            \
    } while (0)
    BAD(f2[2] = T0 + 19, "first_response", "before created");
    BAD(r2[2] = T0, "resolved", "before created");
    BAD(c2[2] = NONE, "created", "missing");
    BAD(c2[2] = INT64_C(253402300800), "created", "outside");
    BAD(c2[2] = INT64_C(-62135596801), "created", "outside");
    BAD(f2[2] = INT64_MAX, "first_response", "outside");
    BAD(r2[2] = INT64_MAX, "resolved", "outside");
    BAD(h2[2] = -1.0, "handle_time", "-1");
    BAD(h2[2] = INFINITY, "handle_time", "inf");
    BAD(h2[2] = -INFINITY, "handle_time", "inf");
    cr_assert_eq(scrm_service_add(s, 3, NULL, f, r, h, k), SCRM_EINVAL);
    cr_assert_eq(scrm_service_add(s, 3, c, f, r, h, NULL), SCRM_EINVAL); /* keys needed */
    cr_assert_eq(scrm_service_add(NULL, 3, c, f, r, h, k), SCRM_EINVAL);
    cr_assert_eq(scrm_service_add(s, 0, NULL, NULL, NULL, NULL, NULL), SCRM_OK);
    cr_assert_eq(scrm_service_serialize(s, after, sizeof after, &na), SCRM_OK);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(before, after, nb), 0, "a rejected batch changed the state");
    /* The good batch is accepted; NaN handle time means unknown. */
    h[1] = NAN;
    cr_assert_eq(scrm_service_add(s, 3, c, f, r, h, k), SCRM_OK);
    scrm_service_free(s);
}

Test(service, empty_accumulator)
{
    scrm_service *s = mk(NULL);
    scrm_service_result r;
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_ENODATA);
    cr_assert_eq(r.overall.volume, 0);
    cr_assert_eq(r.n_groups, 0);
    cr_assert_eq(r.n_response_targets, 1);
    size_t n = 99;
    cr_assert_eq(scrm_service_groups(s, NULL, 0, &n), SCRM_OK);
    cr_assert_eq(n, 0);
    uint8_t buf[512];
    size_t len;
    cr_assert_eq(scrm_service_serialize(s, buf, sizeof buf, &len), SCRM_OK);
    scrm_service *t;
    cr_assert_eq(scrm_service_deserialize(&t, buf, len), SCRM_OK);
    cr_assert_eq(scrm_service_finalize(t, &r), SCRM_ENODATA);
    cr_assert_eq(scrm_service_merge(s, t), SCRM_OK);
    scrm_service_free(t);
    cr_assert_eq(scrm_service_finalize(NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_service_finalize(s, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_service_groups(NULL, NULL, 0, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_service_groups(s, NULL, 0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_service_groups(s, NULL, 3, &n), SCRM_EINVAL);
    scrm_service_free(s);
}

Test(service, reset_forgets_tickets_keeps_options)
{
    scrm_service_options o = two_targets();
    scrm_service *s = golden(&o);
    cr_assert_eq(scrm_service_reset(s), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_ENODATA);
    cr_assert_eq(r.n_response_targets, 2);
    int64_t c[6], f[6], rr[6];
    golden_columns(c, f, rr);
    cr_assert_eq(scrm_service_add(s, 6, c, f, rr, g_h, NULL), SCRM_OK);
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_OK);
    EQ(r.overall.answer.mean, 1060.0);
    scrm_service_free(s);
}

/* ---- properties ---- */

static size_t serialize(const scrm_service *s, uint8_t **out)
{
    size_t need;
    cr_assert_eq(scrm_service_serialize(s, NULL, 0, &need), SCRM_EBUFS);
    *out = malloc(need);
    size_t len;
    cr_assert_eq(scrm_service_serialize(s, *out, need - 1, &len), SCRM_EBUFS);
    cr_assert_eq(len, need);
    cr_assert_eq(scrm_service_serialize(s, *out, need, &len), SCRM_OK);
    cr_assert_eq(len, need);
    return len;
}

static scrm_service *feed(const scrm_service_options *o, const tickets *t, size_t a, size_t b)
{
    scrm_service *s = mk(o);
    cr_assert_eq(scrm_service_add(s, b - a, t->created + a, t->fr + a, t->res + a, t->ht + a,
                                  t->ch + a),
                 SCRM_OK, "%s", scrm_last_error_message());
    return s;
}

static void assert_same_results(const scrm_service *x, const scrm_service *y)
{
    scrm_service_result rx, ry;
    cr_assert_eq(scrm_service_finalize(x, &rx), SCRM_OK);
    cr_assert_eq(scrm_service_finalize(y, &ry), SCRM_OK);
    /* Bit for bit (NaN fields compare equal as bytes too). */
    cr_assert_eq(memcmp(&rx.overall, &ry.overall, sizeof rx.overall), 0);
    size_t n = rx.n_groups, m;
    cr_assert_eq(n, ry.n_groups);
    scrm_service_stats *gx = malloc(n * sizeof *gx), *gy = malloc(n * sizeof *gy);
    cr_assert_eq(scrm_service_groups(x, gx, n, &m), SCRM_OK);
    cr_assert_eq(scrm_service_groups(y, gy, n, &m), SCRM_OK);
    cr_assert_eq(memcmp(gx, gy, n * sizeof *gx), 0);
    free(gx);
    free(gy);
}

static void check_merge_any_split(int32_t group_by)
{
    tickets t;
    tickets_random(&t, 30000, 42 + (uint64_t)group_by);
    scrm_service_options o = two_targets();
    o.group_by = group_by;
    o.period = SCRM_PERIOD_WEEK;
    scrm_service *one = feed(&o, &t, 0, t.n);
    uint8_t *ref;
    size_t ref_len = serialize(one, &ref);
    for (int trial = 0; trial < 12; trial++) {
        /* k parts at random cut points (empty parts included), merged in a
         * random order; half the parts travel through bytes first. */
        size_t k = 2 + ref_rng() % 5, cuts[8];
        cuts[0] = 0;
        cuts[k] = t.n;
        for (size_t j = 1; j < k; j++)
            cuts[j] = ref_rng() % (t.n + 1);
        for (size_t j = 1; j < k; j++) /* sort the inner cuts */
            for (size_t m = j + 1; m < k; m++)
                if (cuts[m] < cuts[j]) {
                    size_t tmp = cuts[m];
                    cuts[m] = cuts[j];
                    cuts[j] = tmp;
                }
        scrm_service *parts[8];
        for (size_t j = 0; j < k; j++) {
            parts[j] = feed(&o, &t, cuts[j], cuts[j + 1]);
            if (ref_rng() & 1) {
                uint8_t *b;
                size_t len = serialize(parts[j], &b);
                scrm_service_free(parts[j]);
                cr_assert_eq(scrm_service_deserialize(&parts[j], b, len), SCRM_OK);
                free(b);
            }
        }
        size_t first = ref_rng() % k;
        for (size_t j = 1; j < k; j++) /* the others, in rotated order */
            cr_assert_eq(scrm_service_merge(parts[first], parts[(first + j) % k]), SCRM_OK);
        uint8_t *got;
        size_t len = serialize(parts[first], &got);
        cr_assert_eq(len, ref_len, "trial %d", trial);
        cr_assert_eq(memcmp(got, ref, len), 0, "trial %d: merged state differs", trial);
        assert_same_results(parts[first], one);
        free(got);
        for (size_t j = 0; j < k; j++)
            scrm_service_free(parts[j]);
    }
    free(ref);
    scrm_service_free(one);
    tickets_free(&t);
}

Test(service, merge_of_any_split_equals_one_pass_none) { check_merge_any_split(SCRM_SERVICE_GROUP_NONE); }
Test(service, merge_of_any_split_equals_one_pass_channel) { check_merge_any_split(SCRM_SERVICE_GROUP_CHANNEL); }
Test(service, merge_of_any_split_equals_one_pass_period) { check_merge_any_split(SCRM_SERVICE_GROUP_PERIOD); }

Test(service, permutation_invariance)
{
    tickets t;
    tickets_random(&t, 20000, 7);
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_AGENT;
    scrm_service *a = feed(&o, &t, 0, t.n);
    /* Fisher-Yates shuffle of whole tickets. */
    for (size_t i = t.n - 1; i > 0; i--) {
        size_t j = ref_rng() % (i + 1);
#define SWAP(arr)                                                                 \
    do {                                                                          \
        __typeof__(arr[0]) tmp = arr[i];                                          \
        arr[i] = arr[j];                                                          \
        arr[j] = tmp;                                                             \
    } while (0)
        SWAP(t.created);
        SWAP(t.fr);
        SWAP(t.res);
        SWAP(t.ht);
        SWAP(t.ch);
    }
    scrm_service *b = feed(&o, &t, 0, t.n);
    uint8_t *x, *y;
    size_t nx = serialize(a, &x), ny = serialize(b, &y);
    cr_assert_eq(nx, ny);
    cr_assert_eq(memcmp(x, y, nx), 0);
    assert_same_results(a, b);
    free(x);
    free(y);
    scrm_service_free(a);
    scrm_service_free(b);
    tickets_free(&t);
}

/* The accumulator's quantiles against exact (sorted) ones on skewed data:
 * every quantile within 2^-7 relative; counts, means, min and max exact. */
Test(service, histogram_quantiles_within_bound_of_exact)
{
    tickets t;
    tickets_random(&t, 100000, 99);
    scrm_service *s = feed(NULL, &t, 0, t.n);
    scrm_service_result r;
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_OK);
    size_t *rows = malloc(t.n * sizeof *rows);
    for (size_t i = 0; i < t.n; i++)
        rows[i] = i;
    ref_dur ra, rr;
    ref_durations(t.created, t.fr, rows, t.n, &ra);
    ref_durations(t.created, t.res, rows, t.n, &rr);
    const scrm_service_durations *d[2] = {&r.overall.answer, &r.overall.resolution};
    const ref_dur *e[2] = {&ra, &rr};
    double worst = 0;
    for (int m = 0; m < 2; m++) {
        cr_assert_eq(d[m]->n, e[m]->n);
        EQ(d[m]->mean, e[m]->mean);
        EQ(d[m]->min, e[m]->min);
        EQ(d[m]->max, e[m]->max);
        const double got[3] = {d[m]->median, d[m]->p90, d[m]->p95};
        const double want[3] = {e[m]->median, e[m]->p90, e[m]->p95};
        for (int k = 0; k < 3; k++) {
            cr_assert(fabs(got[k] - want[k]) <= want[k] / 128.0, "m=%d k=%d: %.17g vs %.17g", m,
                      k, got[k], want[k]);
            worst = fmax(worst, fabs(got[k] - want[k]) / want[k]);
        }
    }
    cr_assert(worst > 0, "the histogram path should not be exact here");
    cr_log_info("worst relative quantile error: %g", worst);
    free(ra.sorted);
    free(rr.sorted);
    free(rows);
    scrm_service_free(s);
    tickets_free(&t);
}

Test(service, merge_errors)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    scrm_service *a = mk(&o), *b;
    cr_assert_eq(scrm_service_merge(NULL, a), SCRM_EINVAL);
    cr_assert_eq(scrm_service_merge(a, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_service_merge(a, a), SCRM_EINVAL);
    const scrm_service_options variants[] = {
        {1, 2, {3600, 60, 0, 0}, 1, {86400, 0, 0, 0}, 0, 0, SCRM_TIME_NONE},
        {1, 1, {3601, 0, 0, 0}, 1, {86400, 0, 0, 0}, 0, 0, SCRM_TIME_NONE},
        {1, 1, {3600, 0, 0, 0}, 0, {86400, 0, 0, 0}, 0, 0, SCRM_TIME_NONE},
        {1, 1, {3600, 0, 0, 0}, 1, {86400, 0, 0, 0}, SCRM_SERVICE_GROUP_TEAM, 0, SCRM_TIME_NONE},
        {1, 1, {3600, 0, 0, 0}, 1, {86400, 0, 0, 0}, 0, 0, T0},
    };
    for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
        b = mk(&variants[i]);
        cr_assert_eq(scrm_service_merge(a, b), SCRM_EINVAL, "variant %zu", i);
        scrm_service_free(b);
    }
    /* Equal after canonicalisation: unused slots and period are ignored. */
    scrm_service_options same = o;
    same.response_targets[2] = 5.0;
    same.period = SCRM_PERIOD_YEAR;
    same.resolution_targets[0] = 86400.0;
    b = mk(&same);
    cr_assert_eq(scrm_service_merge(a, b), SCRM_OK);
    scrm_service_free(b);
    scrm_service_free(a);
}

/* ---- serialization robustness ---- */

static void fix_crc(uint8_t *buf, size_t len)
{
    uint32_t crc = scrm__crc32(buf, len - 4);
    for (int i = 0; i < 4; i++)
        buf[len - 4 + i] = (uint8_t)(crc >> (8 * i));
}

Test(service, every_truncation_and_bit_flip_is_rejected)
{
    scrm_service_options o = two_targets();
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *s = golden(&o), *t;
    uint8_t *buf;
    size_t len = serialize(s, &buf);
    cr_assert_eq(scrm_service_deserialize(&t, buf, len), SCRM_OK);
    assert_same_results(s, t);
    scrm_service_free(t);
    for (size_t n = 0; n < len; n++) {
        t = (scrm_service *)buf;
        cr_assert_eq(scrm_service_deserialize(&t, buf, n), SCRM_ECORRUPT, "length %zu", n);
        cr_assert_null(t);
    }
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            int st = scrm_service_deserialize(&t, buf, len);
            cr_assert(st == SCRM_ECORRUPT || st == SCRM_EVERSION, "flip %zu:%d -> %d", i, bit, st);
            buf[i] ^= (uint8_t)(1u << bit);
        }
    cr_assert_eq(scrm_service_deserialize(NULL, buf, len), SCRM_EINVAL);
    cr_assert_eq(scrm_service_deserialize(&t, NULL, len), SCRM_EINVAL);
    cr_assert_eq(scrm_service_serialize(NULL, buf, len, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_service_serialize(s, buf, len, NULL), SCRM_EINVAL);
    free(buf);
    scrm_service_free(s);
}

/* Corruptions with a valid checksum (a buggy or hostile writer): every byte
 * of the payload set to several values. Each must be refused or yield a
 * consistent state that finalizes and re-serializes (run under ASan/UBSan in
 * CI). Most are refused: count them. */
Test(service, crafted_payloads_never_crash)
{
    scrm_service_options o = two_targets();
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *s = golden(&o);
    uint8_t *buf;
    size_t len = serialize(s, &buf);
    uint8_t *m = malloc(len);
    const uint8_t values[] = {0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF};
    size_t accepted = 0, total = 0;
    for (size_t i = 16; i + 4 < len; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            if (buf[i] == values[v])
                continue;
            memcpy(m, buf, len);
            m[i] = values[v];
            fix_crc(m, len);
            scrm_service *t = NULL;
            int st = scrm_service_deserialize(&t, m, len);
            total++;
            if (st == SCRM_OK) {
                accepted++;
                scrm_service_result r;
                int f = scrm_service_finalize(t, &r);
                cr_assert(f == SCRM_OK || f == SCRM_ENODATA);
                uint8_t *again;
                size_t n2 = serialize(t, &again);
                cr_assert(n2 > 0);
                free(again);
                scrm_service_free(t);
            } else {
                cr_assert(st == SCRM_ECORRUPT || st == SCRM_EVERSION, "byte %zu -> %d", i, st);
                cr_assert_null(t);
            }
        }
    }
    cr_log_info("crafted payloads accepted: %zu of %zu", accepted, total);
    free(m);
    free(buf);
    scrm_service_free(s);
}

Test(service, wrong_kind_is_corrupt)
{
    uint8_t buf[64];
    scrm__writer w;
    size_t len;
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__envelope_begin(&w, SCRM__KIND_NPS, 1);
    scrm__put_u32(&w, 1);
    cr_assert_eq(scrm__envelope_end(&w, &len, "t"), SCRM_OK);
    scrm_service *t;
    cr_assert_eq(scrm_service_deserialize(&t, buf, len), SCRM_ECORRUPT);
    /* A future format version is refused as such. */
    scrm__writer_init(&w, buf, sizeof buf);
    scrm__envelope_begin(&w, SCRM__KIND_SERVICE, 2);
    cr_assert_eq(scrm__envelope_end(&w, &len, "t"), SCRM_OK);
    cr_assert_eq(scrm_service_deserialize(&t, buf, len), SCRM_EVERSION);
}

/* Grouping by 20,000 agents (ids up to 2^32 - 1) works and round-trips. */
Test(service, many_groups)
{
    tickets t;
    tickets_random(&t, 100000, 5);
    for (size_t i = 0; i < t.n; i++)
        t.ch[i] = (uint32_t)(ref_rng() % 20000) * 214748u;
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_AGENT;
    scrm_service *s = feed(&o, &t, 0, t.n);
    scrm_service_result r;
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_OK);
    cr_assert(r.n_groups > 19000 && r.n_groups <= 20000);
    cr_assert_eq(r.overall.volume, t.n);
    uint8_t *b;
    size_t len = serialize(s, &b);
    cr_log_info("20k groups: %zu bytes", len);
    scrm_service *u;
    cr_assert_eq(scrm_service_deserialize(&u, b, len), SCRM_OK);
    assert_same_results(s, u);
    free(b);
    scrm_service_free(u);
    scrm_service_free(s);
    tickets_free(&t);
}

/* ---- out of memory (private fault injection, src/core/alloc.c) ---- */

#include "core/internal.h"

/* Run `body` with the n-th allocation failing, n = 0, 1, ... until a run
 * reaches no injected failure; both persistent and one-shot failures. */
#define FOR_EACH_FAILURE(persistent, body)                                         \
    for (long n_ = 0;; n_++) {                                                     \
        scrm__alloc_fail_after(n_, persistent);                                    \
        body;                                                                      \
        unsigned long hit_ = scrm__alloc_injected();                               \
        scrm__alloc_fail_after(-1, 0);                                             \
        if (!hit_)                                                                 \
            break;                                                                 \
        cr_assert(n_ < 100000);                                                    \
    }

Test(service, out_of_memory_everywhere)
{
    tickets t;
    tickets_random(&t, 3000, 77);
    scrm_service_options o = two_targets();
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *ref = feed(&o, &t, 0, t.n);
    uint8_t *ref_bytes;
    size_t ref_len = serialize(ref, &ref_bytes);
    for (int persistent = 0; persistent < 2; persistent++) {
        /* new */
        FOR_EACH_FAILURE(persistent, {
            scrm_service *s = (scrm_service *)&o;
            int st = scrm_service_new(&s, &o);
            cr_assert(st == SCRM_OK || (st == SCRM_ENOMEM && s == NULL), "new: %d", st);
            scrm_service_free(s);
        });
        /* add, then everything that reads */
        FOR_EACH_FAILURE(persistent, {
            scrm_service *s = NULL;
            int st = scrm_service_new(&s, &o);
            if (st == SCRM_OK)
                st = scrm_service_add(s, t.n, t.created, t.fr, t.res, t.ht, t.ch);
            if (st == SCRM_ENOMEM && s) {
                /* A failed accumulator refuses work until reset. */
                scrm_service_result r;
                uint8_t b[16];
                size_t len;
                cr_assert_eq(scrm_service_add(s, 1, t.created, NULL, NULL, NULL, t.ch), SCRM_ESTATE);
                cr_assert_eq(scrm_service_finalize(s, &r), SCRM_ESTATE);
                cr_assert_eq(scrm_service_serialize(s, b, sizeof b, &len), SCRM_ESTATE);
                cr_assert_eq(scrm_service_groups(s, NULL, 0, &len), SCRM_ESTATE);
                cr_assert_eq(scrm_service_merge(s, ref), SCRM_ESTATE);
                cr_assert_eq(scrm_service_merge(ref, s), SCRM_ESTATE);
                scrm__alloc_fail_after(-1, 0);
                cr_assert_eq(scrm_service_reset(s), SCRM_OK);
                cr_assert_eq(scrm_service_add(s, t.n, t.created, t.fr, t.res, t.ht, t.ch), SCRM_OK);
                uint8_t *bytes;
                size_t nb = serialize(s, &bytes);
                cr_assert_eq(nb, ref_len);
                cr_assert_eq(memcmp(bytes, ref_bytes, nb), 0);
                free(bytes);
            } else {
                cr_assert(st == SCRM_OK || (st == SCRM_ENOMEM && !s), "add: %d", st);
            }
            scrm_service_free(s);
        });
        /* merge */
        FOR_EACH_FAILURE(persistent, {
            scrm_service *s = NULL;
            scrm__alloc_fail_after(-1, 0);
            cr_assert_eq(scrm_service_new(&s, &o), SCRM_OK);
            scrm__alloc_fail_after(n_, persistent);
            int st = scrm_service_merge(s, ref);
            cr_assert(st == SCRM_OK || st == SCRM_ENOMEM, "merge: %d", st);
            if (st == SCRM_OK) {
                scrm__alloc_fail_after(-1, 0);
                assert_same_results(s, ref);
            } else {
                cr_assert_eq(scrm_service_merge(s, ref), SCRM_ESTATE);
            }
            scrm_service_free(s);
        });
        /* readers and deserialize: ENOMEM or the right answer */
        FOR_EACH_FAILURE(persistent, {
            scrm_service_result r;
            scrm_service_stats g[16];
            size_t len;
            uint8_t *b = malloc(ref_len);
            int st1 = scrm_service_finalize(ref, &r);
            int st2 = scrm_service_groups(ref, g, 16, &len);
            int st3 = scrm_service_serialize(ref, b, ref_len, &len);
            scrm_service *d = (scrm_service *)&o;
            int st4 = scrm_service_deserialize(&d, ref_bytes, ref_len);
            cr_assert(st1 == SCRM_OK || st1 == SCRM_ENOMEM);
            cr_assert(st2 == SCRM_OK || st2 == SCRM_ENOMEM);
            cr_assert(st3 == SCRM_OK || st3 == SCRM_ENOMEM);
            cr_assert(st4 == SCRM_OK || (st4 == SCRM_ENOMEM && d == NULL), "deserialize: %d", st4);
            if (st3 == SCRM_OK)
                cr_assert_eq(memcmp(b, ref_bytes, ref_len), 0);
            scrm_service_free(d);
            free(b);
        });
    }
    free(ref_bytes);
    scrm_service_free(ref);
    tickets_free(&t);
}
