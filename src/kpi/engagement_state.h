/* Private state of the engagement accumulator, shared by src/kpi/engagement*.c.
 *
 * The state is kept per UTC day (periods are assembled from days when results
 * are requested), so merging is a per-day merge: integer counts add, sums are
 * exact superaccumulators, user sketches take the register maximum. Follower
 * snapshots keep, per channel and day, only the latest one. Days with no rows
 * may exist transiently (reserved before a failed allocation) and are ignored
 * everywhere. */
#ifndef SCRM_KPI_ENGAGEMENT_STATE_H
#define SCRM_KPI_ENGAGEMENT_STATE_H

#include "core/internal.h"
#include "num/xsum.h"

#include <stdbool.h>
#include <stdint.h>

#define SCRM__ENG_K SCRM_ENGAGEMENT_KIND_COUNT

typedef struct scrm__eng_day {
    int64_t day;                 /* days since 1970-01-01 */
    uint64_t own[SCRM__ENG_K];   /* rows flagged own, by kind */
    uint64_t comp[SCRM__ENG_K];  /* rows flagged competitor, by kind */
    uint64_t pos, neu, neg;      /* counted rows by sentiment class */
    scrm__xsum reach, impressions, sentiment; /* over counted rows */
    uint8_t *hll;                /* 2^p registers of talking users, or NULL */
} scrm__eng_day;

typedef struct scrm__eng_snap {
    uint64_t channel; /* scrm_engagement_hash() of the channel name */
    int64_t day;      /* floor(time / 86400) */
    int64_t time;
    double followers;
} scrm__eng_snap;

/* Exact unique-user counts from the last scrm_engagement_compute(), valid
 * until the interactions change. Indexed by day offset from first_day and by
 * period index from the first period. */
typedef struct scrm__eng_exact {
    bool valid;
    int64_t first_day;
    size_t n_days;
    double *day_users, *day_window;
    size_t n_periods;
    double *period_users, *period_window;
    double all_users, all_window;
} scrm__eng_exact;

struct scrm_engagement {
    scrm_engagement_options opts; /* opts.own_brand points to own_brand */
    char *own_brand;
    int p;    /* HLL precision */
    size_t m; /* 2^p */
    scrm__eng_day *days;
    size_t n_days, cap_days;
    uint32_t *map; /* open addressing, day index + 1; 0 = empty slot */
    size_t map_cap;
    size_t last; /* index of the most recently used day (a lookup cache) */
    scrm__eng_snap *snaps; /* sorted by (channel, day), one per pair */
    size_t n_snaps;
    scrm__eng_exact exact;
};

/* Options checks shared by new and deserialize; `fn` names the caller. */
int scrm__eng_check_options(const scrm_engagement_options *o, const char *fn);
/* Allocate a handle with validated options (own_brand copied). */
int scrm__eng_create(scrm_engagement **out, const scrm_engagement_options *o);
bool scrm__eng_same_options(const scrm_engagement_options *a, const scrm_engagement_options *b);

/* Index of the day, creating it (zeroed) if absent. SCRM_ENOMEM on failure. */
int scrm__eng_day_get(scrm_engagement *e, int64_t day, size_t *index);
/* Allocate the day's sketch if absent. */
int scrm__eng_day_sketch(scrm_engagement *e, scrm__eng_day *d);
bool scrm__eng_day_empty(const scrm__eng_day *d);
/* Rows counted in the metrics on this day, by kind (own, plus competitors when pooled). */
void scrm__eng_day_counted(const scrm_engagement *e, const scrm__eng_day *d,
                           uint64_t counted[SCRM__ENG_K]);

/* Sort + reduce snapshots (latest per channel and day; time ties: larger
 * count). Takes ownership of `v` (n entries) and installs it in e. */
void scrm__eng_snaps_install(scrm_engagement *e, scrm__eng_snap *v, size_t n);

void scrm__eng_exact_clear(scrm__eng_exact *x);
/* Forget the interactions' derived caches after a modification. */
void scrm__eng_touched(scrm_engagement *e);

/* Interaction rows as parallel arrays; exactly one of keys / users is set. */
typedef struct scrm__eng_rows {
    const int64_t *times;
    const uint64_t *keys;
    const char *const *users;
    const int32_t *kinds;
    const double *reach, *impressions, *sentiment;
    const int8_t *competitor;
} scrm__eng_rows;

/* Validate all rows, then add them (nothing is added on failure). */
int scrm__eng_add_rows(scrm_engagement *e, const scrm__eng_rows *r, size_t n, const char *fn);
/* Validate and add follower snapshots keyed by channel hash (NULL = unnamed). */
int scrm__eng_add_snaps(scrm_engagement *e, const int64_t *times, const uint64_t *channels,
                        const double *followers, size_t n, const char *fn);

/* Sorted indices of the non-empty days; *out is NULL when there are none.
 * Free with scrm__free. */
int scrm__eng_sorted_days(const scrm_engagement *e, size_t **out, size_t *n);

#endif /* SCRM_KPI_ENGAGEMENT_STATE_H */
