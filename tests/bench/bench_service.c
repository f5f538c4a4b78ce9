/* Service metrics over 10,000,000 tickets held in memory (issue 4 target: at
 * least 50 million tickets/s): scrm_service_add on one core (no grouping and
 * grouped by channel), scrm_service_compute on a dataset's tickets table
 * (with exact quantiles), and two accumulators filled by two threads and
 * merged. Prints BENCH lines with the median of REPS runs (wall time, and
 * thread CPU time since the machine is shared). */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scrm.h"
#include "bench_util.h"

enum { N = 10000000, REPS = 9, THREADS = 2, CHANNELS = 8 };

static int fail(const char *what)
{
    fprintf(stderr, "bench_service: %s: %s\n", what, scrm_last_error_message());
    return 1;
}

typedef struct tickets {
    int64_t *created, *fr, *res;
    double *ht;
    uint32_t *ch;
} tickets;

typedef struct part {
    const tickets *t;
    size_t a, n;
    scrm_service *s;
    int rc;
    double cpu_s;
} part;

static void *add_part(void *arg)
{
    part *p = arg;
    double c = bench_thread_cpu();
    const tickets *t = p->t;
    p->rc = scrm_service_reset(p->s);
    if (p->rc == SCRM_OK)
        p->rc = scrm_service_add(p->s, p->n, t->created + p->a, t->fr + p->a, t->res + p->a,
                                 t->ht + p->a, t->ch + p->a);
    p->cpu_s = bench_thread_cpu() - c;
    return NULL;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(rng() >> 11) / 9007199254740992.0; }

/* Realistic mix: tickets over one year in time order, right-skewed answer and
 * resolution times, 15 % unanswered, 25 % unresolved, 10 % without handle time. */
static void generate(tickets *t)
{
    for (size_t i = 0; i < N; i++) {
        int64_t c = INT64_C(1704067200) + (int64_t)(i * 3); /* 2024, ~3 s apart */
        double u = unif();
        t->created[i] = c;
        t->fr[i] = u < 0.15 ? SCRM_TIME_NONE
                            : c + (int64_t)exp(7.0 + 1.6 * 1.7 * (unif() + unif() - 1.0));
        t->res[i] = unif() < 0.25 ? SCRM_TIME_NONE
                                  : c + (int64_t)exp(10.5 + 1.3 * 1.7 * (unif() + unif() - 1.0));
        t->ht[i] = unif() < 0.1 ? (double)NAN : 30.0 + unif() * 1800.0;
        t->ch[i] = 1u + (uint32_t)(rng() % CHANNELS);
    }
}

static int bench_add(const tickets *t, int32_t group_by, const char *name)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = group_by;
    o.n_response_targets = 2;
    o.response_targets[1] = 300.0;
    scrm_service *s;
    if (scrm_service_new(&s, &o))
        return fail("new");
    double w[REPS], c[REPS];
    scrm_service_result r;
    for (int k = 0; k < REPS; k++) {
        scrm_service_reset(s);
        double a = bench_now(), b = bench_thread_cpu();
        int rc = scrm_service_add(s, N, t->created, t->fr, t->res, t->ht, t->ch);
        if (rc == SCRM_OK)
            rc = scrm_service_finalize(s, &r);
        c[k] = bench_thread_cpu() - b;
        w[k] = bench_now() - a;
        if (rc)
            return fail(name);
    }
    double m = bench_median(w, REPS), mc = bench_median(c, REPS);
    printf("BENCH name=%s tickets=%d threads=1 groups=%llu median_s=%.5f rate=%.0f "
           "cpu_median_s=%.5f cpu_rate=%.0f unit=tickets/s median_answer_s=%.1f\n",
           name, N, (unsigned long long)r.n_groups, m, N / m, mc, N / mc, r.overall.answer.median);
    scrm_service_free(s);
    return 0;
}

int main(void)
{
    tickets t;
    t.created = malloc(N * sizeof *t.created);
    t.fr = malloc(N * sizeof *t.fr);
    t.res = malloc(N * sizeof *t.res);
    t.ht = malloc(N * sizeof *t.ht);
    t.ch = malloc(N * sizeof *t.ch);
    if (!t.created || !t.fr || !t.res || !t.ht || !t.ch)
        return 1;
    generate(&t);

    /* 1-2. One core, scrm_service_add (+ finalize) over the in-memory columns. */
    if (bench_add(&t, SCRM_SERVICE_GROUP_NONE, "service_add") ||
        bench_add(&t, SCRM_SERVICE_GROUP_CHANNEL, "service_add_by_channel"))
        return 1;

    /* 3. Two accumulators, one per thread, merged and finalized (thread start
     * and merge included in the time). */
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_CHANNEL;
    part parts[THREADS];
    for (int i = 0; i < THREADS; i++) {
        parts[i].t = &t;
        parts[i].a = (size_t)i * (N / THREADS);
        parts[i].n = i == THREADS - 1 ? N - parts[i].a : N / THREADS;
        if (scrm_service_new(&parts[i].s, &o))
            return fail("new");
    }
    scrm_service *one;
    scrm_service_result ref, merged;
    if (scrm_service_new(&one, &o) ||
        scrm_service_add(one, N, t.created, t.fr, t.res, t.ht, t.ch) ||
        scrm_service_finalize(one, &ref))
        return fail("one pass");
    double w[REPS], c[REPS];
    for (int k = 0; k < REPS; k++) {
        pthread_t th[THREADS];
        double a = bench_now();
        for (int i = 0; i < THREADS; i++)
            if (pthread_create(&th[i], NULL, add_part, &parts[i]))
                return 1;
        for (int i = 0; i < THREADS; i++)
            pthread_join(th[i], NULL);
        for (int i = 1; i < THREADS; i++)
            if (parts[0].rc || parts[i].rc || scrm_service_merge(parts[0].s, parts[i].s))
                return fail("threads/merge");
        if (scrm_service_finalize(parts[0].s, &merged))
            return fail("finalize");
        w[k] = bench_now() - a;
        c[k] = 0.0; /* seconds per ticket of the slower thread */
        for (int i = 0; i < THREADS; i++)
            if (parts[i].cpu_s / (double)parts[i].n > c[k])
                c[k] = parts[i].cpu_s / (double)parts[i].n;
    }
    double m = bench_median(w, REPS), mc = bench_median(c, REPS);
    printf("BENCH name=service_add_merged tickets=%d threads=%d median_s=%.5f rate=%.0f "
           "per_core=%.0f cpu_per_core=%.0f unit=tickets/s\n",
           N, THREADS, m, N / m, N / m / THREADS, 1.0 / mc);
    if (memcmp(&merged.overall, &ref.overall, sizeof ref.overall) != 0) {
        fprintf(stderr, "bench_service: merged result differs from one pass\n");
        return 1;
    }

    /* 4. scrm_service_compute over a dataset's tickets table: one pass plus
     * the exact-quantile pass (ids are required by the table; not timed). */
    char *idbuf = malloc((size_t)N * 12);
    const char **ids = malloc(N * sizeof *ids);
    const char *names[CHANNELS + 1] = {"", "twitter", "facebook", "instagram", "email",
                                       "phone", "chat", "x", "forum"};
    const char **chn = malloc(N * sizeof *chn);
    if (!idbuf || !ids || !chn)
        return 1;
    for (size_t i = 0; i < N; i++) {
        snprintf(idbuf + 12 * i, 12, "%zu", i);
        ids[i] = idbuf + 12 * i;
        chn[i] = names[t.ch[i]];
    }
    scrm_dataset *ds;
    if (scrm_dataset_new(&ds))
        return fail("dataset_new");
    scrm_column_input in[] = {
        {SCRM_TICKETS_ID, SCRM_VALUE_TEXT, ids},
        {SCRM_TICKETS_CHANNEL, SCRM_VALUE_TEXT, chn},
        {SCRM_TICKETS_CREATED, SCRM_VALUE_I64, t.created},
        {SCRM_TICKETS_FIRST_RESPONSE, SCRM_VALUE_I64, t.fr},
        {SCRM_TICKETS_RESOLVED, SCRM_VALUE_I64, t.res},
        {SCRM_TICKETS_HANDLE_TIME, SCRM_VALUE_F64, t.ht},
    };
    scrm_dataset_load_options lo = SCRM_DATASET_LOAD_OPTIONS_INIT;
    lo.max_rows = N;
    if (scrm_dataset_append(ds, SCRM_TABLE_TICKETS, N, in, 6, &lo, NULL))
        return fail("dataset_append");
    free(ids);
    free(idbuf);
    free(chn);
    for (int g = 0; g < 2; g++) {
        scrm_service_options co = SCRM_SERVICE_OPTIONS_INIT;
        co.group_by = g ? SCRM_SERVICE_GROUP_CHANNEL : SCRM_SERVICE_GROUP_NONE;
        scrm_service *s;
        scrm_service_result r;
        if (scrm_service_new(&s, &co))
            return fail("new");
        for (int k = 0; k < REPS; k++) {
            double a = bench_now(), b = bench_thread_cpu();
            int rc = scrm_service_compute(s, ds, &r);
            c[k] = bench_thread_cpu() - b;
            w[k] = bench_now() - a;
            if (rc)
                return fail("compute");
        }
        m = bench_median(w, REPS);
        mc = bench_median(c, REPS);
        printf("BENCH name=%s tickets=%d threads=1 median_s=%.5f rate=%.0f cpu_median_s=%.5f "
               "cpu_rate=%.0f unit=tickets/s exact=%d median_answer_s=%.1f\n",
               g ? "service_compute_by_channel" : "service_compute", N, m, N / m, mc, N / mc,
               r.quantiles_exact, r.overall.answer.median);
        scrm_service_free(s);
    }

    /* 5. Erlang C staffing for 5,000 Erlangs (thousands of agents). */
    for (int k = 0; k < REPS; k++) {
        scrm_staffing_result st;
        double a = bench_now();
        if (scrm_erlang_staffing(5000.0 / 180.0, 180.0, 20.0, 0.8, NULL, &st))
            return fail("staffing");
        w[k] = bench_now() - a;
        if (k == 0)
            printf("BENCH name=erlang_staffing_5000E agents=%u ", st.agents);
    }
    printf("median_s=%.6f\n", bench_median(w, REPS));

    for (int i = 0; i < THREADS; i++)
        scrm_service_free(parts[i].s);
    scrm_service_free(one);
    scrm_dataset_free(ds);
    free(t.created);
    free(t.fr);
    free(t.res);
    free(t.ht);
    free(t.ch);
    return 0;
}
