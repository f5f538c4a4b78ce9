/* Engagement accumulator over 10,000,000 interactions held in memory:
 * scrm_engagement_add_keys (64-bit user keys) and scrm_engagement_add (user
 * strings, hashed with XXH64), two threads adding halves then merging,
 * finalize / periods / serialize of the resulting 365-day state, the bare
 * HyperLogLog insert rate, and scrm_engagement_compute over a dataset.
 * Prints BENCH lines with the median of the repetitions, wall and thread CPU
 * time (on a shared machine the CPU time shows the per-core speed). */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "num/hll.h"
#include "scrm.h"
#include "bench_util.h"

enum { N = 10000000, USERS = 2000000, DAYS = 365, REPS = 5, DS_ROWS = 2000000 };

static int fail(const char *what)
{
    fprintf(stderr, "bench_engagement: %s: %s\n", what, scrm_last_error_message());
    return 1;
}

static void report(const char *name, const double *wall, const double *c, int reps, double items,
                   const char *unit)
{
    double w[16], cc[16];
    memcpy(w, wall, (size_t)reps * sizeof *w);
    memcpy(cc, c, (size_t)reps * sizeof *cc);
    double mw = bench_median(w, (size_t)reps), mc = bench_median(cc, (size_t)reps);
    printf("BENCH name=%s n=%.0f reps=%d median_s=%.4f rate=%.4g cpu_median_s=%.4f "
           "cpu_rate=%.4g unit=%s\n",
           name, items, reps, mw, items / mw, mc, items / mc, unit);
    fflush(stdout);
}

typedef struct data {
    int64_t *t;
    uint64_t *keys;
    const char **users;
    int32_t *kinds;
    double *reach, *impr, *sent;
    int8_t *comp;
} data;

typedef struct part {
    const data *d;
    size_t from, n;
    scrm_engagement *e;
    int rc;
} part;

static int add_range(scrm_engagement *e, const data *d, size_t from, size_t n)
{
    return scrm_engagement_add_keys(e, d->t + from, d->keys + from, d->kinds + from,
                                    d->reach + from, d->impr + from, d->sent + from,
                                    d->comp + from, n);
}

static void *add_part(void *arg)
{
    part *p = arg;
    p->rc = scrm_engagement_reset(p->e);
    if (!p->rc)
        p->rc = add_range(p->e, p->d, p->from, p->n);
    return NULL;
}

int main(void)
{
    const int64_t t0 = INT64_C(1704067200); /* 2024-01-01 */
    data d;
    d.t = malloc(N * sizeof *d.t);
    d.keys = malloc(N * sizeof *d.keys);
    d.users = malloc(N * sizeof *d.users);
    d.kinds = malloc(N * sizeof *d.kinds);
    d.reach = malloc(N * sizeof *d.reach);
    d.impr = malloc(N * sizeof *d.impr);
    d.sent = malloc(N * sizeof *d.sent);
    d.comp = malloc(N);
    char *names = malloc((size_t)USERS * 12);
    if (!d.t || !d.keys || !d.users || !d.kinds || !d.reach || !d.impr || !d.sent || !d.comp ||
        !names)
        return 1;
    for (int u = 0; u < USERS; u++)
        snprintf(names + (size_t)u * 12, 12, "user%07d", u);
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < N; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        /* A year of interactions in time order; kinds skewed to likes. */
        d.t[i] = t0 + (int64_t)((double)i * (DAYS * 86400.0) / N);
        int u = (int)(s % USERS);
        d.users[i] = names + (size_t)u * 12;
        d.keys[i] = scrm_engagement_hash(d.users[i], 11);
        unsigned k = (unsigned)(s >> 32) % 20;
        d.kinds[i] = k < 1 ? 0 : k < 4 ? 1 : k < 6 ? 2 : k < 16 ? 3 : k < 19 ? 4 : 5;
        d.reach[i] = d.kinds[i] == 0 ? (double)(s % 100000) : 0.0;
        d.impr[i] = d.kinds[i] == 0 ? (double)(s % 150000) : 0.0;
        d.sent[i] = (s >> 20) % 2 ? (double)((int)(s >> 40) % 201 - 100) / 100.0 : (double)NAN;
        d.comp[i] = (s >> 50) % 10 == 0;
    }
    scrm_engagement *e;
    if (scrm_engagement_new(&e, NULL))
        return fail("new");
    double w[REPS], c[REPS];

    /* 1. add_keys: 10M rows, all optional columns. */
    for (int r = 0; r < REPS; r++) {
        scrm_engagement_reset(e);
        double t = bench_now(), cc = bench_thread_cpu();
        if (add_range(e, &d, 0, N))
            return fail("add_keys");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("engagement_add_keys", w, c, REPS, N, "interactions/s");

    /* 2. add with user strings (XXH64 per row). */
    for (int r = 0; r < REPS; r++) {
        scrm_engagement_reset(e);
        double t = bench_now(), cc = bench_thread_cpu();
        if (scrm_engagement_add(e, d.t, d.users, d.kinds, d.reach, d.impr, d.sent, d.comp, N))
            return fail("add");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("engagement_add_strings", w, c, REPS, N, "interactions/s");

    /* 3. Results and state of the 10M-row, 365-day accumulator. */
    scrm_engagement_result res;
    static scrm_engagement_result per[DAYS + 2];
    static scrm_engagement_day days[DAYS + 2];
    size_t n = 0, len = 0;
    for (int r = 0; r < REPS; r++) {
        double t = bench_now(), cc = bench_thread_cpu();
        if (scrm_engagement_finalize(e, &res))
            return fail("finalize");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("engagement_finalize_365_days", w, c, REPS, 1, "calls/s");
    for (int r = 0; r < REPS; r++) {
        double t = bench_now(), cc = bench_thread_cpu();
        if (scrm_engagement_periods(e, per, DAYS + 2, &n))
            return fail("periods");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("engagement_periods_monthly", w, c, REPS, 1, "calls/s");
    for (int r = 0; r < REPS; r++) {
        double t = bench_now(), cc = bench_thread_cpu();
        if (scrm_engagement_days(e, days, DAYS + 2, &n))
            return fail("days");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("engagement_days_rolling7", w, c, REPS, (double)n, "days/s");
    scrm_engagement_serialize(e, NULL, 0, &len);
    uint8_t *buf = malloc(len);
    for (int r = 0; r < REPS; r++) {
        double t = bench_now(), cc = bench_thread_cpu();
        if (scrm_engagement_serialize(e, buf, len, &len))
            return fail("serialize");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("engagement_serialize", w, c, REPS, (double)len, "bytes/s");
    printf("INFO rows=%llu unique_users_est=%.0f true_users<=%d state_bytes=%zu\n",
           (unsigned long long)res.rows, res.unique_users, USERS, len);
    free(buf);

    /* 4. Two threads add halves, then merge (wall time of the whole). */
    scrm_engagement *a, *b;
    if (scrm_engagement_new(&a, NULL) || scrm_engagement_new(&b, NULL))
        return fail("new");
    for (int r = 0; r < REPS; r++) {
        part pa = {&d, 0, N / 2, a, 0}, pb = {&d, N / 2, N - N / 2, b, 0};
        pthread_t th;
        double t = bench_now(), cc = bench_thread_cpu();
        pthread_create(&th, NULL, add_part, &pb);
        add_part(&pa);
        pthread_join(th, NULL);
        if (pa.rc || pb.rc || scrm_engagement_merge(a, b))
            return fail("threads");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc; /* this thread only */
    }
    report("engagement_add_keys_2threads_merge", w, c, REPS, N, "interactions/s");
    scrm_engagement_free(a);
    scrm_engagement_free(b);

    /* 5. Bare HyperLogLog insert (p = 14) of mixed keys. */
    uint8_t *reg = calloc((size_t)1 << 14, 1);
    for (int r = 0; r < REPS; r++) {
        memset(reg, 0, (size_t)1 << 14);
        double t = bench_now(), cc = bench_thread_cpu();
        for (size_t i = 0; i < N; i++)
            scrm__hll_insert(reg, 14, scrm__mix64(d.keys[i]));
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("hll_insert_p14", w, c, REPS, N, "inserts/s");
    double est = scrm__hll_estimate(reg, 14);
    /* Exact distinct users among the N keys, for the estimate's error. */
    uint8_t *seen = calloc(USERS, 1);
    size_t distinct = 0;
    for (size_t i = 0; i < N; i++) {
        size_t u = (size_t)(d.users[i] - names) / 12;
        distinct += !seen[u];
        seen[u] = 1;
    }
    free(seen);
    printf("INFO hll_p14_distinct=%zu estimate=%.0f relative_error=%.5f\n", distinct, est,
           est / (double)distinct - 1.0);
    for (int r = 0; r < REPS; r++) {
        double t = bench_now(), cc = bench_thread_cpu();
        for (int i = 0; i < 100; i++)
            est += scrm__hll_estimate(reg, 14) * 0.0;
        w[r] = (bench_now() - t) / 100;
        c[r] = (bench_thread_cpu() - cc) / 100;
    }
    report("hll_estimate_p14", w, c, REPS, 1, "estimates/s");
    free(reg);

    /* 6. compute over a dataset of DS_ROWS social rows (interning excluded). */
    scrm_dataset *ds;
    if (scrm_dataset_new(&ds))
        return fail("dataset");
    static const char *kind_names[] = {"post", "comment", "share", "like", "mention", "save"};
    const char **kinds = malloc(DS_ROWS * sizeof *kinds);
    const char **brands = malloc(DS_ROWS * sizeof *brands);
    for (size_t i = 0; i < DS_ROWS; i++) {
        kinds[i] = kind_names[d.kinds[i * (N / DS_ROWS)]];
        brands[i] = d.comp[i] ? "rival" : "";
    }
    const char **users = malloc(DS_ROWS * sizeof *users);
    int64_t *times = malloc(DS_ROWS * sizeof *times);
    for (size_t i = 0; i < DS_ROWS; i++) {
        users[i] = d.users[i * (N / DS_ROWS)];
        times[i] = d.t[i * (N / DS_ROWS)];
    }
    scrm_column_input cols[] = {{SCRM_SOCIAL_TIME, SCRM_VALUE_I64, times},
                                {SCRM_SOCIAL_USER, SCRM_VALUE_TEXT, users},
                                {SCRM_SOCIAL_KIND, SCRM_VALUE_TEXT, kinds},
                                {SCRM_SOCIAL_BRAND, SCRM_VALUE_TEXT, brands}};
    if (scrm_dataset_append(ds, SCRM_TABLE_SOCIAL, DS_ROWS, cols, 4, NULL, NULL))
        return fail("append");
    for (int r = 0; r < 3; r++) {
        double t = bench_now(), cc = bench_thread_cpu();
        if (scrm_engagement_compute(e, ds, &res))
            return fail("compute");
        w[r] = bench_now() - t;
        c[r] = bench_thread_cpu() - cc;
    }
    report("engagement_compute_dataset", w, c, 3, DS_ROWS, "rows/s");
    printf("INFO compute_exact_unique_users=%.0f\n", res.unique_users);
    scrm_dataset_free(ds);
    free(kinds), free(brands), free(users), free(times);

    scrm_engagement_free(e);
    free(d.t), free(d.keys), free(d.users), free(d.kinds), free(d.reach), free(d.impr),
        free(d.sent), free(d.comp), free(names);
    return 0;
}
