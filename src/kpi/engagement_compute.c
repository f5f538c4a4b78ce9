/* scrm_engagement_compute(): feed a dataset's social and audience tables into
 * the accumulator, and count unique users exactly from the interned ids. */
#include "core/civil.h"
#include "kpi/engagement_state.h"
#include "num/hll.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#define FN "scrm_engagement_compute"
#define CHUNK 2048

typedef struct social {
    size_t n;
    const int64_t *time;
    const uint32_t *user, *kind, *brand;
    const double *reach, *impressions, *sentiment;
} social;

static int column(const scrm_dataset *ds, int32_t table, int32_t col, const void **v)
{
    return scrm_dataset_column(ds, table, col, v, NULL);
}

static int load_social(const scrm_dataset *ds, social *s)
{
    int rc = scrm_dataset_rows(ds, SCRM_TABLE_SOCIAL, &s->n);
    if (!rc)
        rc = column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_TIME, (const void **)&s->time);
    if (!rc)
        rc = column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_USER, (const void **)&s->user);
    if (!rc)
        rc = column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_KIND, (const void **)&s->kind);
    if (!rc)
        rc = column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_BRAND, (const void **)&s->brand);
    if (!rc)
        rc = column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_REACH, (const void **)&s->reach);
    if (!rc)
        rc = column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_IMPRESSIONS,
                    (const void **)&s->impressions);
    if (!rc)
        rc = column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_SENTIMENT, (const void **)&s->sentiment);
    return rc;
}

static bool eq_any(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp(s, *names) == 0)
            return true;
    return false;
}

/* Kind strings -> scrm_engagement_kind, as documented in scrm.h. */
static int8_t kind_of_string(const char *s)
{
    static const char *const post[] = {"post", NULL};
    static const char *const comment[] = {"comment", "reply", NULL};
    static const char *const share[] = {"share", "retweet", "repost", "reshare", NULL};
    static const char *const like[] = {"like", "reaction", "favorite", "favourite", "applause",
                                       NULL};
    static const char *const mention[] = {"mention", "tag", NULL};
    if (eq_any(s, post))
        return SCRM_ENGAGEMENT_POST;
    if (eq_any(s, comment))
        return SCRM_ENGAGEMENT_COMMENT;
    if (eq_any(s, share))
        return SCRM_ENGAGEMENT_SHARE;
    if (eq_any(s, like))
        return SCRM_ENGAGEMENT_LIKE;
    if (eq_any(s, mention))
        return SCRM_ENGAGEMENT_MENTION;
    return SCRM_ENGAGEMENT_OTHER;
}

/* Per interned id, computed on first use: kind code, competitor flag, key. */
typedef struct cache {
    size_t n;
    int8_t *kind;     /* -1 = not yet */
    int8_t *comp;     /* -1 = not yet */
    uint64_t *key;
    uint8_t *has_key;
} cache;

static void cache_free(cache *c)
{
    scrm__free(c->kind);
    scrm__free(c->comp);
    scrm__free(c->key);
    scrm__free(c->has_key);
}

static int cache_init(cache *c, const scrm_dataset *ds)
{
    memset(c, 0, sizeof *c);
    int rc = scrm_dataset_string_count(ds, &c->n);
    if (rc)
        return rc;
    c->kind = scrm__malloc(c->n);
    c->comp = scrm__malloc(c->n);
    c->key = scrm__calloc(c->n, sizeof *c->key);
    c->has_key = scrm__calloc(c->n, 1);
    if (!c->kind || !c->comp || !c->key || !c->has_key) {
        cache_free(c);
        return scrm__error(SCRM_ENOMEM, FN ": out of memory for %zu strings", c->n);
    }
    memset(c->kind, -1, c->n);
    memset(c->comp, -1, c->n);
    return SCRM_OK;
}

static int string_of(const scrm_dataset *ds, uint32_t id, const char **s, size_t *len)
{
    int rc = scrm_dataset_string(ds, id, s, len);
    if (rc)
        return scrm__error(SCRM_ECORRUPT, FN ": dataset string id %u is unknown", (unsigned)id);
    return SCRM_OK;
}

static int key_of(cache *c, const scrm_dataset *ds, uint32_t id, uint64_t *out)
{
    if (id >= c->n)
        return scrm__error(SCRM_ECORRUPT, FN ": dataset string id %u is unknown", (unsigned)id);
    if (!c->has_key[id]) {
        const char *s;
        size_t len;
        int rc = string_of(ds, id, &s, &len);
        if (rc)
            return rc;
        c->key[id] = scrm__hash64(s, len, 0);
        c->has_key[id] = 1;
    }
    *out = c->key[id];
    return SCRM_OK;
}

static int kind_of(cache *c, const scrm_dataset *ds, uint32_t id, int32_t *out)
{
    if (id >= c->n)
        return scrm__error(SCRM_ECORRUPT, FN ": dataset string id %u is unknown", (unsigned)id);
    if (c->kind[id] < 0) {
        const char *s;
        int rc = string_of(ds, id, &s, NULL);
        if (rc)
            return rc;
        c->kind[id] = kind_of_string(s);
    }
    *out = c->kind[id];
    return SCRM_OK;
}

static int comp_of(cache *c, const scrm_dataset *ds, const char *own, uint32_t id, int8_t *out)
{
    if (id >= c->n)
        return scrm__error(SCRM_ECORRUPT, FN ": dataset string id %u is unknown", (unsigned)id);
    if (c->comp[id] < 0) {
        const char *s;
        int rc = string_of(ds, id, &s, NULL);
        if (rc)
            return rc;
        c->comp[id] = !(s[0] == '\0' || (own && strcasecmp(s, own) == 0));
    }
    *out = c->comp[id];
    return SCRM_OK;
}

/* Feed the social rows in chunks through the validated add path. */
static int add_social(scrm_engagement *e, const scrm_dataset *ds, const social *s, cache *c)
{
    struct {
        int64_t times[CHUNK];
        uint64_t keys[CHUNK];
        int32_t kinds[CHUNK];
        double reach[CHUNK], impressions[CHUNK];
        int8_t comp[CHUNK];
    } *b = scrm__malloc(sizeof *b);
    if (!b)
        return scrm__error(SCRM_ENOMEM, FN ": out of memory");
    int rc = SCRM_OK;
    for (size_t at = 0; at < s->n && !rc; at += CHUNK) {
        size_t n = s->n - at < CHUNK ? s->n - at : CHUNK;
        for (size_t i = 0; i < n && !rc; i++) {
            size_t row = at + i;
            rc = key_of(c, ds, s->user[row], &b->keys[i]);
            if (!rc)
                rc = kind_of(c, ds, s->kind[row], &b->kinds[i]);
            if (!rc)
                rc = comp_of(c, ds, e->own_brand, s->brand[row], &b->comp[i]);
            b->times[i] = s->time[row];
            /* Missing reach / impressions (NaN) contribute nothing. */
            b->reach[i] = isnan(s->reach[row]) ? 0.0 : s->reach[row];
            b->impressions[i] = isnan(s->impressions[row]) ? 0.0 : s->impressions[row];
        }
        if (!rc) {
            scrm__eng_rows r = {b->times, b->keys,        NULL,           b->kinds,
                                b->reach, b->impressions, s->sentiment + at, b->comp};
            rc = scrm__eng_add_rows(e, &r, n, FN);
        }
    }
    scrm__free(b);
    return rc;
}

static int add_audience(scrm_engagement *e, const scrm_dataset *ds, cache *c)
{
    size_t n;
    const int64_t *time;
    const uint32_t *channel;
    const double *followers;
    int rc = scrm_dataset_rows(ds, SCRM_TABLE_AUDIENCE, &n);
    if (!rc)
        rc = column(ds, SCRM_TABLE_AUDIENCE, SCRM_AUDIENCE_TIME, (const void **)&time);
    if (!rc)
        rc = column(ds, SCRM_TABLE_AUDIENCE, SCRM_AUDIENCE_CHANNEL, (const void **)&channel);
    if (!rc)
        rc = column(ds, SCRM_TABLE_AUDIENCE, SCRM_AUDIENCE_FOLLOWERS, (const void **)&followers);
    if (rc || n == 0)
        return rc;
    size_t bytes;
    if (scrm__mul_size(n, sizeof(uint64_t), &bytes))
        return SCRM_ENOMEM;
    uint64_t *keys = scrm__malloc(bytes);
    if (!keys)
        return scrm__error(SCRM_ENOMEM, FN ": out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        rc = key_of(c, ds, channel[i], &keys[i]);
    if (!rc)
        rc = scrm__eng_add_snaps(e, time, keys, followers, n, FN);
    scrm__free(keys);
    return rc;
}

/* ---- exact distinct users ---- */

typedef struct exact_ctx {
    int64_t first_day;
    size_t n_days;
    size_t *period_of; /* period index of each day offset */
    size_t n_periods;
    int64_t *period_last_day; /* last day offset of each period, clipped to n_days-1 */
} exact_ctx;

static int periods_of_days(const scrm_engagement *e, exact_ctx *x)
{
    x->period_of = scrm__calloc(x->n_days, sizeof *x->period_of);
    if (!x->period_of)
        return scrm__error(SCRM_ENOMEM, FN ": out of memory");
    /* Days are visited in order, so periods are found by stepping. */
    int64_t s = 0, next = 0;
    (void)scrm_period_start(x->first_day * SCRM_SECONDS_PER_DAY, e->opts.period, &s);
    if (scrm_period_add(s, e->opts.period, 1, &next))
        next = SCRM__TIME_MAX + 1;
    size_t pi = 0;
    for (size_t d = 0; d < x->n_days; d++) {
        int64_t t = (x->first_day + (int64_t)d) * SCRM_SECONDS_PER_DAY;
        while (t >= next) {
            s = next;
            if (scrm_period_add(s, e->opts.period, 1, &next))
                next = SCRM__TIME_MAX + 1;
            pi++;
        }
        x->period_of[d] = pi;
    }
    x->n_periods = pi + 1;
    x->period_last_day = scrm__calloc(x->n_periods, sizeof *x->period_last_day);
    if (!x->period_last_day)
        return scrm__error(SCRM_ENOMEM, FN ": out of memory");
    for (size_t d = 0; d < x->n_days; d++)
        x->period_last_day[x->period_of[d]] = (int64_t)d;
    return SCRM_OK;
}

/* Exact counts per day, per rolling window, per period and overall.
 * Rows are bucketed by day (counting sort); walking days in order, a per-user
 * "last seen" marks first sightings, and each user's window coverage
 * [d, d + w - 1] is added to a difference array without double counting. */
static int exact_users(scrm_engagement *e, const social *s, cache *c, const uint8_t *qual)
{
    scrm__eng_exact *ex = &e->exact;
    size_t *idx = NULL, nd = 0;
    int rc = scrm__eng_sorted_days(e, &idx, &nd);
    if (rc || nd == 0)
        return rc;
    exact_ctx x = {0};
    x.first_day = e->days[idx[0]].day;
    x.n_days = (size_t)(e->days[idx[nd - 1]].day - x.first_day) + 1;
    scrm__free(idx);
    size_t *start = NULL, *order = NULL;
    int64_t *seen = NULL, *covered = NULL, *lastp = NULL, *diff = NULL;
    rc = periods_of_days(e, &x);
    if (rc)
        goto done;
    ex->first_day = x.first_day;
    ex->n_days = x.n_days;
    ex->n_periods = x.n_periods;
    ex->day_users = scrm__calloc(x.n_days, sizeof(double));
    ex->day_window = scrm__calloc(x.n_days, sizeof(double));
    ex->period_users = scrm__calloc(x.n_periods, sizeof(double));
    ex->period_window = scrm__calloc(x.n_periods, sizeof(double));
    start = scrm__calloc(x.n_days + 1, sizeof *start);
    order = scrm__calloc(s->n ? s->n : 1, sizeof *order);
    seen = scrm__calloc(c->n, sizeof *seen);
    covered = scrm__calloc(c->n, sizeof *covered);
    lastp = scrm__calloc(c->n, sizeof *lastp);
    diff = scrm__calloc(x.n_days + 1, sizeof *diff);
    if (!ex->day_users || !ex->day_window || !ex->period_users || !ex->period_window || !start ||
        !order || !seen || !covered || !lastp || !diff) {
        rc = scrm__error(SCRM_ENOMEM, FN ": out of memory counting unique users");
        goto done;
    }
    /* Counting sort of the qualifying rows by day offset. */
    for (size_t i = 0; i < s->n; i++)
        if (qual[i])
            start[scrm__floor_div(s->time[i], SCRM_SECONDS_PER_DAY) - x.first_day + 1]++;
    for (size_t d = 0; d < x.n_days; d++)
        start[d + 1] += start[d];
    for (size_t i = 0; i < s->n; i++)
        if (qual[i])
            order[start[scrm__floor_div(s->time[i], SCRM_SECONDS_PER_DAY) - x.first_day]++] = i;
    for (size_t d = x.n_days; d > 0; d--)
        start[d] = start[d - 1];
    start[0] = 0;
    for (size_t u = 0; u < c->n; u++)
        seen[u] = covered[u] = lastp[u] = -1;
    const int64_t w = e->opts.window_days, nd64 = (int64_t)x.n_days;
    double all = 0;
    for (size_t d = 0; d < x.n_days; d++) {
        int64_t dd = (int64_t)d;
        int64_t pi = (int64_t)x.period_of[d];
        for (size_t k = start[d]; k < start[d + 1]; k++) {
            uint32_t u = s->user[order[k]];
            if (seen[u] == dd)
                continue;
            seen[u] = dd;
            ex->day_users[d] += 1;
            if (lastp[u] < 0)
                all += 1;
            if (lastp[u] != pi) {
                ex->period_users[pi] += 1;
                lastp[u] = pi;
            }
            int64_t from = covered[u] >= dd ? covered[u] + 1 : dd;
            int64_t to = dd + w - 1; /* inclusive */
            if (from < nd64) {
                diff[from]++;
                diff[(to + 1 < nd64 ? to + 1 : nd64)]--;
            }
            covered[u] = to;
        }
    }
    int64_t run = 0;
    for (size_t d = 0; d < x.n_days; d++) {
        run += diff[d];
        ex->day_window[d] = (double)run;
    }
    for (size_t p = 0; p < x.n_periods; p++)
        ex->period_window[p] = ex->day_window[x.period_last_day[p]];
    ex->all_users = all;
    ex->all_window = ex->day_window[x.n_days - 1];
    ex->valid = true;
done:
    if (rc)
        scrm__eng_exact_clear(ex);
    scrm__free(x.period_of);
    scrm__free(x.period_last_day);
    scrm__free(start);
    scrm__free(order);
    scrm__free(seen);
    scrm__free(covered);
    scrm__free(lastp);
    scrm__free(diff);
    return rc;
}

SCRM_API int scrm_engagement_compute(scrm_engagement *e, const scrm_dataset *ds,
                                     scrm_engagement_result *out)
{
    if (!e || !ds || !out)
        return scrm__error(SCRM_EINVAL, FN ": NULL argument");
    scrm_engagement_reset(e);
    social s;
    cache c;
    int rc = load_social(ds, &s);
    if (rc)
        return rc;
    rc = cache_init(&c, ds);
    if (rc)
        return rc;
    uint8_t *qual = NULL;
    rc = add_social(e, ds, &s, &c);
    if (!rc)
        rc = add_audience(e, ds, &c);
    if (!rc && s.n) {
        /* Rows that make their user "talking": counted rows of a talking kind
         * (kinds and brands are cached by now). */
        qual = scrm__malloc(s.n);
        if (!qual)
            rc = scrm__error(SCRM_ENOMEM, FN ": out of memory");
        bool pooled = e->opts.competitors == SCRM_ENGAGEMENT_COMPETITORS_POOLED;
        for (size_t i = 0; !rc && i < s.n; i++)
            qual[i] = (uint8_t)((e->opts.talking_kinds >> c.kind[s.kind[i]] & 1u) &&
                                (pooled || !c.comp[s.brand[i]]));
        if (!rc)
            rc = exact_users(e, &s, &c, qual);
    }
    scrm__free(qual);
    cache_free(&c);
    if (!rc)
        rc = scrm_engagement_finalize(e, out);
    if (rc) {
        int code = rc;
        scrm_engagement_reset(e);
        return code;
    }
    return SCRM_OK;
}
