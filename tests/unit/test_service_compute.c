/* scrm_service_compute and scrm_service_savings_compute over datasets:
 * exact quantiles (against sorting every duration), grouping keys from the
 * tickets table, bad rows, and the savings inputs gathered from the tickets
 * and costs tables. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scrm.h"
#include "service_ref.h"

#define NONE SCRM_TIME_NONE
#define EQ(a, b) cr_assert((a) == (b), "%.17g vs %.17g", (double)(a), (double)(b))

static void append_tickets(scrm_dataset *ds, const tickets *t, const char *const *channels,
                           const char *const *agents)
{
    cr_assert_eq(ref_append_tickets(ds, t, channels, agents), SCRM_OK, "%s",
                 scrm_last_error_message());
}

/* The six hand-worked tickets of test_service.c. */
static const char *const g_channel[6] = {"twitter", "email", "twitter", "phone", "email", "Twitter"};

static scrm_dataset *golden_ds(void)
{
    static const int64_t c[6] = {0, 100, 200, 1000, 5000, 10000};
    static const int64_t f[6] = {30, 4000, -1, 10, 200, -1};
    static const int64_t r[6] = {600, 90000, -1, 100, -1, 20000};
    static const double h[6] = {300, 1200, NAN, 60, 90, 30.5};
    tickets t;
    tickets_alloc(&t, 6);
    for (int i = 0; i < 6; i++) {
        t.created[i] = T0 + c[i];
        t.fr[i] = f[i] < 0 ? NONE : t.created[i] + f[i];
        t.res[i] = r[i] < 0 ? NONE : t.created[i] + r[i];
        t.ht[i] = h[i];
    }
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    append_tickets(ds, &t, g_channel, NULL);
    tickets_free(&t);
    return ds;
}

Test(service_compute, golden_exact_quantiles)
{
    scrm_dataset *ds = golden_ds();
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, NULL), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_eq(r.quantiles_exact, 1);
    /* Worked by hand in test_service.c: 115, 2860, 3430 and 10300, 69000, 79500. */
    EQ(r.overall.answer.median, 115.0);
    EQ(r.overall.answer.p90, 2860.0);
    EQ(r.overall.answer.p95, 3430.0);
    EQ(r.overall.resolution.median, 10300.0);
    EQ(r.overall.resolution.p90, 69000.0);
    EQ(r.overall.resolution.p95, 79500.0);
    EQ(r.overall.answer.mean, 1060.0);
    cr_assert_eq(r.overall.backlog, 2);
    EQ(r.overall.handle_time_total, 1680.5);
    /* The same numbers through groups() (one group). */
    scrm_service_stats g;
    size_t n;
    cr_assert_eq(scrm_service_groups(s, &g, 1, &n), SCRM_OK);
    cr_assert_eq(memcmp(&g, &r.overall, sizeof g), 0);
    /* Adding more tickets drops back to histogram quantiles. */
    int64_t c = T0, f = T0 + 1;
    cr_assert_eq(scrm_service_add(s, 1, &c, &f, NULL, NULL, NULL), SCRM_OK);
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_OK);
    cr_assert_eq(r.quantiles_exact, 0);
    cr_assert_eq(r.overall.volume, 7);
    /* compute() starts over. */
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_OK);
    cr_assert_eq(r.overall.volume, 6);
    scrm_service_free(s);
    scrm_dataset_free(ds);
}

Test(service_compute, golden_grouped_by_channel)
{
    scrm_dataset *ds = golden_ds();
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, &o), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_OK);
    cr_assert_eq(r.n_groups, 4); /* "Twitter" and "twitter" are different strings */
    scrm_service_stats g[4];
    size_t n;
    cr_assert_eq(scrm_service_groups(s, g, 4, &n), SCRM_OK);
    const char *names[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(scrm_dataset_string(ds, (uint32_t)g[i].key, &names[i], NULL), SCRM_OK);
    for (int i = 0; i < 4; i++) {
        if (!strcmp(names[i], "email")) { /* #1 (4000) and #4 (200) */
            cr_assert_eq(g[i].volume, 2);
            EQ(g[i].answer.median, 2100.0);
            EQ(g[i].answer.p90, 200.0 + 0.9 * 3800.0);
        } else if (!strcmp(names[i], "twitter")) { /* #0, #2 */
            cr_assert_eq(g[i].volume, 2);
            EQ(g[i].answer.median, 30.0);
            EQ(g[i].resolution.median, 600.0);
        }
    }
    EQ(r.overall.answer.p95, 3430.0);
    scrm_service_free(s);
    scrm_dataset_free(ds);
}

/* Exact means exact: every group's quantiles equal those of the sorted
 * durations bit for bit (same type-7 arithmetic), on skewed random data. */
static void check_exact(int32_t group_by)
{
    tickets t;
    tickets_random(&t, 60000, 1234 + (uint64_t)group_by);
    const char *names[8] = {"", "twitter", "facebook", "email", "phone", "chat", "instagram", "x"};
    const char **ch = malloc(t.n * sizeof *ch);
    for (size_t i = 0; i < t.n; i++)
        ch[i] = names[t.ch[i]];
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    append_tickets(ds, &t, ch, NULL);
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = group_by;
    o.period = SCRM_PERIOD_WEEK;
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, &o), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_OK, "%s", scrm_last_error_message());
    size_t n = r.n_groups, m;
    scrm_service_stats *g = malloc((n + 1) * sizeof *g);
    cr_assert_eq(scrm_service_groups(s, g, n, &m), SCRM_OK);
    g[n] = r.overall;
    const uint32_t *ids;
    cr_assert_eq(scrm_dataset_column(ds, SCRM_TABLE_TICKETS, SCRM_TICKETS_CHANNEL,
                                     (const void **)&ids, NULL), SCRM_OK);
    size_t *rows = malloc(t.n * sizeof *rows);
    for (size_t k = 0; k <= n; k++) {
        size_t nr = 0;
        for (size_t i = 0; i < t.n; i++) {
            int in = k == n || group_by == SCRM_SERVICE_GROUP_NONE;
            if (!in && group_by == SCRM_SERVICE_GROUP_CHANNEL)
                in = ids[i] == (uint32_t)g[k].key;
            if (!in && group_by == SCRM_SERVICE_GROUP_PERIOD) {
                int64_t start;
                scrm_period_start(t.created[i], SCRM_PERIOD_WEEK, &start);
                in = start == g[k].key;
            }
            if (in)
                rows[nr++] = i;
        }
        cr_assert_eq(nr, g[k].volume, "group %zu", k);
        ref_dur a, b;
        ref_durations(t.created, t.fr, rows, nr, &a);
        ref_durations(t.created, t.res, rows, nr, &b);
        const scrm_service_durations *d[2] = {&g[k].answer, &g[k].resolution};
        const ref_dur *e[2] = {&a, &b};
        for (int mm = 0; mm < 2; mm++) {
            cr_assert_eq(d[mm]->n, e[mm]->n);
            if (!e[mm]->n) {
                cr_assert(isnan(d[mm]->median));
                continue;
            }
            EQ(d[mm]->median, e[mm]->median);
            EQ(d[mm]->p90, e[mm]->p90);
            EQ(d[mm]->p95, e[mm]->p95);
            EQ(d[mm]->mean, e[mm]->mean);
            EQ(d[mm]->max, e[mm]->max);
        }
        free(a.sorted);
        free(b.sorted);
    }
    free(rows);
    free(g);
    free(ch);
    scrm_service_free(s);
    scrm_dataset_free(ds);
    tickets_free(&t);
}

Test(service_compute, exact_quantiles_overall) { check_exact(SCRM_SERVICE_GROUP_NONE); }
Test(service_compute, exact_quantiles_by_channel) { check_exact(SCRM_SERVICE_GROUP_CHANNEL); }
Test(service_compute, exact_quantiles_by_week) { check_exact(SCRM_SERVICE_GROUP_PERIOD); }

/* All durations equal (and in one wide bucket): selection on duplicates. */
Test(service_compute, identical_durations)
{
    tickets t;
    tickets_alloc(&t, 5001);
    for (size_t i = 0; i < t.n; i++) {
        t.created[i] = T0 + (int64_t)i;
        t.fr[i] = t.created[i] + 5000 + (i == 7 ? 1 : 0); /* one outlier in the same bucket */
        t.res[i] = NONE;
        t.ht[i] = NAN;
    }
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    append_tickets(ds, &t, NULL, NULL);
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, NULL), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_OK);
    EQ(r.overall.answer.median, 5000.0);
    EQ(r.overall.answer.p95, 5000.0);
    EQ(r.overall.answer.max, 5001.0);
    cr_assert_eq(r.overall.resolution.n, 0);
    cr_assert_eq(r.overall.backlog, 5001);
    scrm_service_free(s);
    scrm_dataset_free(ds);
    tickets_free(&t);
}

Test(service_compute, bad_rows_and_arguments)
{
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, NULL), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_ENODATA);
    cr_assert_eq(scrm_service_compute(NULL, ds, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_service_compute(s, NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_service_compute(s, ds, NULL), SCRM_EINVAL);
    /* The dataset accepts a response before creation; the calculator does not. */
    tickets t;
    tickets_alloc(&t, 3);
    for (int i = 0; i < 3; i++) {
        t.created[i] = T0 + i;
        t.fr[i] = T0 + 10;
        t.res[i] = NONE;
        t.ht[i] = NAN;
    }
    t.fr[2] = T0 - 1;
    append_tickets(ds, &t, NULL, NULL);
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_EINVAL);
    const char *msg = scrm_last_error_message();
    cr_assert(strstr(msg, "tickets row 2") && strstr(msg, "first_response"), "%s", msg);
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_ENODATA); /* nothing was added */
    tickets_free(&t);
    scrm_service_free(s);
    scrm_dataset_free(ds);
}

/* ---- savings from a dataset ---- */

Test(service_compute, savings_from_tickets_and_costs)
{
    scrm_dataset *ds = golden_ds();
    const char *cat[3] = {"social", "Other", "SOCIAL"};
    double amt[3] = {100.0, 50.0, 25.0};
    int64_t when[3] = {T0, T0, T0};
    scrm_column_input cols[3] = {{SCRM_COSTS_TIME, SCRM_VALUE_I64, when},
                                 {SCRM_COSTS_CATEGORY, SCRM_VALUE_TEXT, cat},
                                 {SCRM_COSTS_AMOUNT, SCRM_VALUE_F64, amt}};
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_COSTS, 3, cols, 3, NULL, NULL), SCRM_OK);
    /* Default social list, case-insensitive: "twitter" x2 and "Twitter" are
     * social: 3 contacts (#0, #2, #5), 1 answered, 2 resolved, 2 with handle
     * times 300 + 30.5 s. All costs: 175. */
    scrm_service_savings_result r;
    cr_assert_eq(scrm_service_savings_compute(ds, NULL, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    EQ(r.inputs.social_contacts, 3.0);
    EQ(r.inputs.social_answered, 1.0);
    EQ(r.inputs.social_resolved, 2.0);
    EQ(r.inputs.social_handled, 2.0);
    EQ(r.inputs.social_handle_seconds, 330.5);
    EQ(r.inputs.program_cost, 175.0);
    double per = 0.40 * 5.25 + 0.17 * 4.42 + 0.15 * 3.82;
    cr_assert(fabs(r.avoided_cost - 2.0 * per) < 1e-12);
    cr_assert(fabs(r.agent_cost - (330.5 / 3600.0 * 15.53 + 1.0)) < 1e-12);
    cr_assert(fabs(r.net_savings - (r.avoided_cost - r.agent_cost - 175.0)) < 1e-12);
    /* A category filter (case-insensitive) and an explicit channel list. */
    scrm_service_savings_options o = SCRM_SERVICE_SAVINGS_OPTIONS_INIT;
    o.cost_category = "Social";
    o.social_channels = " Email , phone";
    cr_assert_eq(scrm_service_savings_compute(ds, &o, &r), SCRM_OK);
    EQ(r.inputs.program_cost, 125.0);
    EQ(r.inputs.social_contacts, 3.0); /* #1, #3, #4 */
    EQ(r.inputs.social_answered, 3.0);
    EQ(r.inputs.social_handle_seconds, 1350.0);
    o.social_channels = "";
    cr_assert_eq(scrm_service_savings_compute(ds, &o, &r), SCRM_OK);
    EQ(r.inputs.social_contacts, 0.0);
    cr_assert_eq(scrm_service_savings_compute(NULL, NULL, &r), SCRM_EINVAL);
    cr_assert_eq(scrm_service_savings_compute(ds, NULL, NULL), SCRM_EINVAL);
    o.mix_phone = 2.0;
    cr_assert_eq(scrm_service_savings_compute(ds, &o, &r), SCRM_EINVAL);
    scrm_dataset_free(ds);
}

Test(service_compute, savings_on_an_empty_dataset)
{
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_service_savings_result r;
    cr_assert_eq(scrm_service_savings_compute(ds, NULL, &r), SCRM_OK);
    EQ(r.inputs.social_contacts, 0.0);
    EQ(r.net_savings, 0.0);
    scrm_dataset_free(ds);
}

/* ---- out of memory (private fault injection, src/core/alloc.c) ---- */

#include "core/internal.h"

Test(service_compute, out_of_memory)
{
    scrm_dataset *ds = golden_ds();
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, &o), SCRM_OK);
    scrm_service_result want, got;
    cr_assert_eq(scrm_service_compute(s, ds, &want), SCRM_OK);
    scrm_service_savings_result sw, sg;
    cr_assert_eq(scrm_service_savings_compute(ds, NULL, &sw), SCRM_OK);
    for (int persistent = 0; persistent < 2; persistent++) {
        for (long n = 0;; n++) {
            scrm__alloc_fail_after(n, persistent);
            int st = scrm_service_compute(s, ds, &got);
            int st2 = scrm_service_savings_compute(ds, NULL, &sg);
            unsigned long hit = scrm__alloc_injected();
            scrm__alloc_fail_after(-1, 0);
            cr_assert(st == SCRM_OK || st == SCRM_ENOMEM, "compute: %d", st);
            cr_assert(st2 == SCRM_OK || st2 == SCRM_ENOMEM, "savings: %d", st2);
            if (st == SCRM_OK)
                cr_assert_eq(memcmp(&got.overall, &want.overall, sizeof got.overall), 0);
            if (st2 == SCRM_OK)
                cr_assert_eq(memcmp(&sg, &sw, sizeof sg), 0);
            /* Whatever happened, the calculator recovers. */
            cr_assert_eq(scrm_service_compute(s, ds, &got), SCRM_OK);
            cr_assert_eq(memcmp(&got.overall, &want.overall, sizeof got.overall), 0);
            if (!hit)
                break;
            cr_assert(n < 10000);
        }
    }
    scrm_service_free(s);
    scrm_dataset_free(ds);
}
