/* Shared by the service test suites: a reproducible ticket generator and a
 * brute-force reference (sorting every duration) to check the calculator
 * against. Header-only; included by test_service*.c. */
#ifndef SCRM_TEST_SERVICE_REF_H
#define SCRM_TEST_SERVICE_REF_H

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"

#define T0 INT64_C(1700000000) /* 2023-11-14T22:13:20Z */

typedef struct tickets {
    size_t n;
    int64_t *created, *fr, *res;
    double *ht;
    uint32_t *ch;
} tickets;

static uint64_t ref_rng_state;
static uint64_t ref_rng(void) /* splitmix64 */
{
    uint64_t z = (ref_rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double ref_unif(void)
{
    return (double)(ref_rng() >> 11) / 9007199254740992.0;
}

static void tickets_alloc(tickets *t, size_t n)
{
    t->n = n;
    t->created = malloc(n * sizeof *t->created);
    t->fr = malloc(n * sizeof *t->fr);
    t->res = malloc(n * sizeof *t->res);
    t->ht = malloc(n * sizeof *t->ht);
    t->ch = malloc(n * sizeof *t->ch);
}

static void tickets_free(tickets *t)
{
    free(t->created);
    free(t->fr);
    free(t->res);
    free(t->ht);
    free(t->ch);
}

/* Skewed durations: exp(N(mu, sigma))-like via a sum of uniforms. */
static int64_t skewed(double mu, double sigma)
{
    double u = ref_unif() + ref_unif() + ref_unif() + ref_unif() - 2.0;
    return (int64_t)exp(mu + sigma * 1.7 * u);
}

/* n tickets over ~90 days, 7 channels (ids 1..7, plus 0 = missing), 15 %
 * unanswered, 25 % unresolved, 10 % without handle time, some zero durations. */
static void tickets_random(tickets *t, size_t n, uint64_t seed)
{
    ref_rng_state = seed;
    tickets_alloc(t, n);
    for (size_t i = 0; i < n; i++) {
        int64_t c = T0 + (int64_t)(ref_unif() * 90 * 86400.0);
        t->created[i] = c;
        double u = ref_unif();
        t->fr[i] = u < 0.15 ? SCRM_TIME_NONE : u < 0.17 ? c : c + skewed(7.0, 1.6);
        u = ref_unif();
        t->res[i] = u < 0.25 ? SCRM_TIME_NONE : c + skewed(10.5, 1.3);
        u = ref_unif();
        t->ht[i] = u < 0.1 ? (double)NAN : 30.0 + ref_unif() * 1800.0;
        t->ch[i] = (uint32_t)(ref_rng() % 8);
    }
}

static int ref_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Type-7 quantile of sorted v[0..n) for p = num/den, with the library's
 * exact rank arithmetic (so exact results can be compared bit for bit). */
static double ref_quantile(const int64_t *v, size_t n, uint64_t num, uint64_t den)
{
    uint64_t m = n - 1, q = m / den, r = m % den;
    uint64_t lo = q * num + (r * num) / den, rem = (r * num) % den;
    double xa = (double)v[lo], xb = rem ? (double)v[lo + 1] : xa;
    return xa + (double)rem / (double)den * (xb - xa);
}

typedef struct ref_dur {
    size_t n;
    double mean, min, median, p90, p95, max;
    int64_t *sorted;
} ref_dur;

static void ref_durations(const int64_t *c, const int64_t *end, const size_t *rows, size_t nrows,
                          ref_dur *d)
{
    d->sorted = malloc((nrows ? nrows : 1) * sizeof *d->sorted);
    d->n = 0;
    int64_t sum = 0;
    for (size_t k = 0; k < nrows; k++) {
        size_t i = rows[k];
        if (end[i] == SCRM_TIME_NONE)
            continue;
        d->sorted[d->n++] = end[i] - c[i];
        sum += end[i] - c[i];
    }
    qsort(d->sorted, d->n, sizeof *d->sorted, ref_cmp);
    if (!d->n) {
        d->mean = d->min = d->median = d->p90 = d->p95 = d->max = NAN;
        return;
    }
    d->mean = (double)sum / (double)d->n; /* sums stay below 2^53 in the tests */
    d->min = (double)d->sorted[0];
    d->max = (double)d->sorted[d->n - 1];
    d->median = ref_quantile(d->sorted, d->n, 1, 2);
    d->p90 = ref_quantile(d->sorted, d->n, 9, 10);
    d->p95 = ref_quantile(d->sorted, d->n, 19, 20);
}

/* Append the tickets to a dataset with ids "t0", "t1", ...; channel and agent
 * columns only when given (agents only with channels). Returns the status of
 * scrm_dataset_append (SCRM_ENOMEM if the id buffers cannot be allocated). */
static inline int ref_append_tickets(scrm_dataset *ds, const tickets *t,
                                     const char *const *channels, const char *const *agents)
{
    size_t n = t->n;
    const char **ids = malloc(n * sizeof *ids);
    char *idbuf = malloc(n * 24);
    int rc = SCRM_ENOMEM;
    if (ids && idbuf) {
        for (size_t i = 0; i < n; i++) {
            snprintf(idbuf + 24 * i, 24, "t%zu", i);
            ids[i] = idbuf + 24 * i;
        }
        scrm_column_input cols[7] = {
            {SCRM_TICKETS_ID, SCRM_VALUE_TEXT, ids},
            {SCRM_TICKETS_CREATED, SCRM_VALUE_I64, t->created},
            {SCRM_TICKETS_FIRST_RESPONSE, SCRM_VALUE_I64, t->fr},
            {SCRM_TICKETS_RESOLVED, SCRM_VALUE_I64, t->res},
            {SCRM_TICKETS_HANDLE_TIME, SCRM_VALUE_F64, t->ht},
            {SCRM_TICKETS_CHANNEL, SCRM_VALUE_TEXT, channels},
            {SCRM_TICKETS_AGENT, SCRM_VALUE_TEXT, agents},
        };
        size_t ncols = channels ? (agents ? 7 : 6) : 5;
        scrm_load_report rep;
        rc = scrm_dataset_append(ds, SCRM_TABLE_TICKETS, n, cols, ncols, NULL, &rep);
    }
    free(ids);
    free(idbuf);
    return rc;
}

#endif
