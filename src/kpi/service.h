/* Private state of the scrm_service calculator/accumulator, shared by the
 * service*.c files. One group per key (channel/agent/team id or period
 * start); the overall result is the merge of all groups, formed when read. */
#ifndef SCRM_KPI_SERVICE_H
#define SCRM_KPI_SERVICE_H

#include "core/internal.h"
#include "num/loghist.h"
#include "kpi/service_num.h"

#include <stdint.h>

#define SCRM__NT SCRM_SERVICE_MAX_TARGETS
/* Exact quantiles cached per group: {answer, resolution} x {p50, p90, p95}. */
#define SCRM__SVC_NQ 6
/* Keys below this (interned string ids are small and dense) are looked up in
 * a direct table instead of the hash table. */
#define SCRM__SVC_DIRECT 4096

/* One duration (time to answer or to resolution) of one group. */
typedef struct scrm__svc_dur {
    scrm__loghist hist; /* hist.n = number of tickets with this duration */
    scrm__u128 sum;    /* exact sum of durations, seconds */
    uint64_t min, max; /* valid when hist.n > 0 (min is UINT64_MAX while empty) */
    uint64_t met[SCRM__NT];
} scrm__svc_dur;

typedef struct scrm__svc_group {
    int64_t key;
    uint64_t volume;
    uint64_t backlog;        /* open tickets (see scrm__svc_open) */
    uint64_t handled;        /* tickets with a handle time */
    scrm__u128 open_created; /* sum of (created - SCRM__TIME_MIN) over open tickets */
    int64_t open_min;        /* earliest creation among open tickets */
    scrm__svc_dur answer, resolution;
    scrm__xsum handle; /* exact sum of handle times */
} scrm__svc_group;

struct scrm_service {
    scrm_service_options opts; /* canonical: unused targets 0, period 0 unless grouping by period */
    uint64_t resp_t[SCRM__NT]; /* targets in whole seconds: d <= T  <=>  d <= floor(T) */
    uint64_t res_t[SCRM__NT];
    scrm__svc_group *groups;
    size_t n_groups, cap_groups;
    uint32_t *slots; /* open-addressing table of group index + 1 (0 = empty) */
    size_t n_slots;  /* power of two, or 0 */
    size_t last;     /* group used last (lookup cache), or SIZE_MAX */
    uint32_t *direct; /* group index + 1 by key for keys below SCRM__SVC_DIRECT (string ids) */
    int64_t period_lo, period_hi; /* cached period [lo, hi) for period keys */
    int64_t tmax;    /* latest time seen, SCRM_TIME_NONE when empty */
    int failed;      /* an ENOMEM left the state unusable until reset */
    double *exact;   /* SCRM__SVC_NQ per group, then SCRM__SVC_NQ overall */
    int exact_valid;
};

/* Validate options (NULL = defaults) into their canonical form. */
int scrm__svc_options(const scrm_service_options *in, scrm_service_options *out,
                      const char *fn);
/* Equal canonical options (merge requires them). */
int scrm__svc_same_options(const scrm_service_options *a, const scrm_service_options *b);
/* Fill the integer targets from s->opts. */
void scrm__svc_targets(scrm_service *s);
/* Empty the accumulator (keeps options and allocations where cheap). */
void scrm__svc_clear(scrm_service *s);

void scrm__svc_group_init(scrm__svc_group *g, int64_t key);
void scrm__svc_group_free(scrm__svc_group *g);
/* g += o. SCRM_ENOMEM may leave g partly merged (callers mark the handle failed). */
int scrm__svc_group_merge(scrm__svc_group *g, const scrm__svc_group *o);

/* Index of the group with this key; created when `create` (SCRM_ENOMEM), else
 * SCRM_ENOTFOUND (no message) when absent. */
int scrm__svc_find(scrm_service *s, int64_t key, int create, size_t *idx);
/* Group key of a creation time under period grouping (cached). */
int scrm__svc_period_key(scrm_service *s, int64_t created, int64_t *key);

/* Check rows [a, n) of a batch: SCRM_OK, or SCRM_EINVAL naming the first bad
 * row (`what` names the rows, `fn` the function). */
int scrm__svc_validate(size_t a, size_t n, const int64_t *created, const int64_t *fr,
                       const int64_t *res, const double *ht, const char *what, const char *fn);
/* Tests only: 1 makes validation use its portable check even where AVX2 is
 * available (not thread-safe). */
void scrm__svc_validate_portable(int on);

/* Validate then accumulate; `what` names the rows in messages ("tickets").
 * blockwise = 0: a bad row leaves the state untouched. blockwise = 1
 * (faster): rows are validated and accumulated block by block, so a bad row
 * leaves the earlier blocks added; for callers that discard the state then. */
int scrm__svc_add(scrm_service *s, size_t n, const int64_t *created, const int64_t *fr,
                  const int64_t *res, const double *ht, const uint32_t *keys, int blockwise,
                  const char *what, const char *fn);

/* The time the backlog is measured at. */
int64_t scrm__svc_now(const scrm_service *s);
/* Stats of one group; q = SCRM__SVC_NQ exact quantiles or NULL (histogram). */
void scrm__svc_stats(const scrm_service *s, const scrm__svc_group *g, const double *q,
                     scrm_service_stats *out);
/* Merge of all groups into *all (caller frees with scrm__svc_group_free). */
int scrm__svc_overall(const scrm_service *s, scrm__svc_group *all);
/* Group indices ordered by key (caller frees with scrm__free). */
int scrm__svc_order(const scrm_service *s, size_t **order);

/* Quantile p = num/den of n values as ranks lo <= hi and weight frac of hi. */
void scrm__svc_quantile_ranks(uint64_t n, uint32_t num, uint32_t den, uint64_t *lo,
                              uint64_t *hi, double *frac);
extern const uint32_t scrm__svc_qnum[3], scrm__svc_qden[3];

/* Tests only: 1 makes scrm_service_compute use its portable collection scan
 * even where AVX2 is available (not thread-safe; set before computing). */
void scrm__svc_compute_portable(int on);

#endif /* SCRM_KPI_SERVICE_H */
