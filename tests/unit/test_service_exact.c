/* Property tests of scrm_service_compute's exact quantiles: on many random
 * datasets (tiny to several blocks, heavy ties on and around bucket bounds,
 * missing answers and resolutions, creation times before 1970, one to three
 * channels) every group's and the overall median, p90, p95, min, max and mean
 * equal those of the sorted durations bit for bit (type 7, the library's
 * exact rank arithmetic), through both the AVX2 and the portable collection
 * scans. Also: a bad row in a later block leaves compute's state empty. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scrm.h"
#include "kpi/service.h"
#include "service_ref.h"

#define NONE SCRM_TIME_NONE
#define EQ(a, b, what)                                                                       \
    cr_assert((a) == (b) || (isnan((double)(a)) && isnan((double)(b))),                     \
              "%s: %.17g vs %.17g (trial %d)", what, (double)(a), (double)(b), trial)

static scrm_dataset *dataset(const tickets *t, const char *const *channels)
{
    scrm_dataset *ds;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    cr_assert_eq(ref_append_tickets(ds, t, channels, NULL), SCRM_OK, "%s",
                 scrm_last_error_message());
    return ds;
}

/* Durations that collide: exact buckets, both sides of 128, several values
 * sharing one wide bucket, and large ones. */
static const int64_t tie_values[] = {0, 1, 63, 64, 127, 128, 129, 130, 200, 201, 5000, 5001,
                                     5002, 5003, 5040, 70000, 70001, 1000000};

static int64_t duration(int mode)
{
    if (mode == 0)
        return tie_values[ref_rng() % (sizeof tie_values / sizeof tie_values[0])];
    if (mode == 1)
        return (int64_t)(ref_rng() % 400); /* small: exact buckets and the first wide ones */
    return skewed(mode == 2 ? 7.0 : 10.5, 1.6);
}

static void random_tickets(tickets *t, size_t n, int trial)
{
    tickets_alloc(t, n);
    int mode = trial % 4;
    double p_fr = (double)(trial % 5) / 4.0, p_res = (double)((trial / 5) % 3) / 2.0;
    int64_t base = trial % 3 == 0 ? INT64_C(-2000000000) : T0; /* before 1970 too */
    for (size_t i = 0; i < n; i++) {
        int64_t c = base + (int64_t)(ref_rng() % 1000000);
        t->created[i] = c;
        t->fr[i] = ref_unif() < p_fr ? NONE : c + duration(mode);
        t->res[i] = ref_unif() < p_res ? NONE : c + duration((mode + 1) % 4);
        t->ht[i] = ref_unif() < 0.2 ? (double)NAN : (double)(ref_rng() % 3000);
        t->ch[i] = (uint32_t)(ref_rng() % (1 + (unsigned)trial % 3));
    }
}

static void check(const scrm_service_stats *g, const tickets *t, const size_t *rows, size_t nr,
                  int trial)
{
    cr_assert_eq(g->volume, nr, "trial %d", trial);
    ref_dur e[2];
    ref_durations(t->created, t->fr, rows, nr, &e[0]);
    ref_durations(t->created, t->res, rows, nr, &e[1]);
    const scrm_service_durations *d[2] = {&g->answer, &g->resolution};
    for (int m = 0; m < 2; m++) {
        cr_assert_eq(d[m]->n, e[m].n, "trial %d", trial);
        EQ(d[m]->median, e[m].median, "median");
        EQ(d[m]->p90, e[m].p90, "p90");
        EQ(d[m]->p95, e[m].p95, "p95");
        EQ(d[m]->min, e[m].min, "min");
        EQ(d[m]->max, e[m].max, "max");
        EQ(d[m]->mean, e[m].mean, "mean");
        free(e[m].sorted);
    }
}

/* Compute over the dataset and compare each group and the overall result
 * with the sorted reference; returns the groups (overall last) for the
 * caller to compare scans. */
static scrm_service_stats *run_trial(const tickets *t, scrm_dataset *ds, int32_t group_by,
                                     int trial, size_t *ngroups)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = group_by;
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, &o), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_eq(r.quantiles_exact, 1);
    size_t n = r.n_groups, m;
    scrm_service_stats *g = calloc(n + 1, sizeof *g);
    cr_assert_eq(scrm_service_groups(s, g, n, &m), SCRM_OK);
    g[n] = r.overall;
    const uint32_t *ids;
    cr_assert_eq(scrm_dataset_column(ds, SCRM_TABLE_TICKETS, SCRM_TICKETS_CHANNEL,
                                     (const void **)&ids, NULL),
                 SCRM_OK);
    size_t *rows = malloc(t->n * sizeof *rows);
    for (size_t k = 0; k <= n; k++) {
        size_t nr = 0;
        for (size_t i = 0; i < t->n; i++)
            if (k == n || group_by == SCRM_SERVICE_GROUP_NONE || ids[i] == (uint32_t)g[k].key)
                rows[nr++] = i;
        check(&g[k], t, rows, nr, trial);
    }
    free(rows);
    scrm_service_free(s);
    *ngroups = n + 1;
    return g;
}

static void trials(int32_t group_by)
{
    static const char *const names[3] = {"", "twitter", "email"};
    for (int trial = 0; trial < 160; trial++) {
        ref_rng_state = 0xC0FFEEu + (uint64_t)trial;
        /* Mostly tiny (1..9 rows: the scalar tail of the 4-row scan), some
         * hundreds, and a few beyond compute's 4096-row blocks. */
        size_t n = trial < 60 ? 1 + (size_t)trial % 9
                 : trial < 150 ? 10 + (size_t)(ref_rng() % 600)
                               : 4000 + (size_t)(ref_rng() % 6000);
        tickets t;
        random_tickets(&t, n, trial);
        const char **ch = malloc(n * sizeof *ch);
        for (size_t i = 0; i < n; i++)
            ch[i] = names[t.ch[i]];
        scrm_dataset *ds = dataset(&t, ch);
        size_t na, nb;
        scrm__svc_compute_portable(0);
        scrm_service_stats *a = run_trial(&t, ds, group_by, trial, &na);
        scrm__svc_compute_portable(1);
        scrm_service_stats *b = run_trial(&t, ds, group_by, trial, &nb);
        scrm__svc_compute_portable(0);
        cr_assert_eq(na, nb);
        cr_assert_eq(memcmp(a, b, na * sizeof *a), 0, "scans differ (trial %d)", trial);
        free(a);
        free(b);
        free(ch);
        scrm_dataset_free(ds);
        tickets_free(&t);
    }
}

Test(service_exact, matches_sorted_reference) { trials(SCRM_SERVICE_GROUP_NONE); }
Test(service_exact, matches_sorted_reference_by_channel) { trials(SCRM_SERVICE_GROUP_CHANNEL); }

/* compute validates block by block: a bad row after the first block still
 * fails with its row number, and compute's state is left empty. */
Test(service_exact, bad_row_in_a_later_block)
{
    tickets t;
    tickets_random(&t, 9000, 99);
    t.res[8500] = t.created[8500] - 1;
    const char **ch = malloc(t.n * sizeof *ch);
    for (size_t i = 0; i < t.n; i++)
        ch[i] = "x";
    scrm_dataset *ds = dataset(&t, ch);
    scrm_service *s;
    cr_assert_eq(scrm_service_new(&s, NULL), SCRM_OK);
    scrm_service_result r;
    cr_assert_eq(scrm_service_compute(s, ds, &r), SCRM_EINVAL);
    const char *msg = scrm_last_error_message();
    cr_assert(strstr(msg, "tickets row 8500") && strstr(msg, "resolved"), "%s", msg);
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_ENODATA);
    /* The accumulator path refuses the same batch and adds nothing. */
    cr_assert_eq(scrm_service_add(s, t.n, t.created, t.fr, t.res, t.ht, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_service_finalize(s, &r), SCRM_ENODATA);
    scrm_service_free(s);
    scrm_dataset_free(ds);
    free(ch);
    tickets_free(&t);
}

/* Validation finds the first bad row of every kind wherever it is (in the
 * four-row steps or the tail), through both the AVX2 and the portable check;
 * clean batches with missing ends and NaN handle times pass both. */
Test(service_exact, validation_both_paths)
{
    static const size_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 4097};
    const int64_t tmax = INT64_C(253402300799), tmin = INT64_C(-62135596800);
    for (int portable = 0; portable < 2; portable++) {
        scrm__svc_validate_portable(portable);
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
            size_t n = sizes[z];
            tickets t;
            tickets_random(&t, n, 7 + n);
            scrm_service *s;
            cr_assert_eq(scrm_service_new(&s, NULL), SCRM_OK);
            cr_assert_eq(scrm_service_add(s, n, t.created, t.fr, t.res, t.ht, NULL), SCRM_OK,
                         "%s", scrm_last_error_message());
            size_t pos[3] = {0, n / 2, n - 1};
            for (int kind = 0; kind < 9; kind++)
                for (int k = 0; k < 3; k++) {
                    size_t p = pos[k];
                    int64_t c = t.created[p], f = t.fr[p], r = t.res[p];
                    double h = t.ht[p];
                    const char *col = kind < 2 ? "created" : kind < 4 ? "first_response"
                                    : kind < 6 ? "resolved" : "handle_time";
                    switch (kind) {
                    case 0: t.created[p] = tmin - 1; break;
                    case 1: t.created[p] = NONE; break;
                    case 2: t.fr[p] = c - 1; break;
                    case 3: t.fr[p] = tmax + 1; break;
                    case 4: t.res[p] = c - 1; break;
                    case 5: t.res[p] = tmax + 1; break;
                    case 6: t.ht[p] = -1.0; break;
                    case 7: t.ht[p] = (double)INFINITY; break;
                    default: t.ht[p] = 2e300; break;
                    }
                    scrm_service_result r0, r1;
                    cr_assert_eq(scrm_service_finalize(s, &r0), SCRM_OK);
                    cr_assert_eq(scrm_service_add(s, n, t.created, t.fr, t.res, t.ht, NULL),
                                 SCRM_EINVAL, "kind %d row %zu n %zu", kind, p, n);
                    char want[64];
                    snprintf(want, sizeof want, "tickets row %zu", p);
                    const char *msg = scrm_last_error_message();
                    cr_assert(strstr(msg, want) && strstr(msg, col), "%s (want %s, %s)", msg,
                              want, col);
                    cr_assert_eq(scrm_service_finalize(s, &r1), SCRM_OK);
                    cr_assert_eq(r1.overall.volume, r0.overall.volume); /* untouched */
                    t.created[p] = c;
                    t.fr[p] = f;
                    t.res[p] = r;
                    t.ht[p] = h;
                }
            scrm_service_free(s);
            tickets_free(&t);
        }
    }
    scrm__svc_validate_portable(0);
}
