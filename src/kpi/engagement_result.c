/* Engagement results: overall, per period and per day, assembled from the
 * per-day state (see engagement_state.h). All derivations read the state only,
 * so equal states give bit-identical results. */
#include "core/civil.h"
#include "kpi/engagement_state.h"
#include "num/hll.h"
#include "num/sum.h"

#include <math.h>
#include <string.h>

typedef struct agg {
    uint64_t counted[SCRM__ENG_K]; /* rows in the metrics, by kind */
    uint64_t own[SCRM__ENG_K];     /* own brand flag, for share of voice */
    uint64_t comp[SCRM__ENG_K];    /* competitor brand flag */
    uint64_t pos, neu, neg;
    scrm__xsum reach, impressions, sentiment;
} agg;

/* Everything the result functions need, prepared once per call. */
typedef struct view {
    const scrm_engagement *e;
    size_t *idx; /* non-empty days, sorted by day */
    size_t n;
    uint8_t *reg; /* scratch registers */
    int64_t first_day, last_day;
} view;

static const scrm__eng_day *vday(const view *v, size_t i) { return &v->e->days[v->idx[i]]; }

static int view_open(view *v, const scrm_engagement *e)
{
    memset(v, 0, sizeof *v);
    v->e = e;
    int rc = scrm__eng_sorted_days(e, &v->idx, &v->n);
    if (rc || v->n == 0)
        return rc;
    v->reg = scrm__malloc(e->m);
    if (!v->reg) {
        scrm__free(v->idx);
        v->idx = NULL;
        return scrm__error(SCRM_ENOMEM, "engagement: out of memory");
    }
    v->first_day = vday(v, 0)->day;
    v->last_day = vday(v, v->n - 1)->day;
    return SCRM_OK;
}

static void view_close(view *v)
{
    scrm__free(v->idx);
    scrm__free(v->reg);
}

/* First index with day >= d. */
static size_t lower_bound(const view *v, int64_t d)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vday(v, mid)->day < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Estimated distinct users of the days with index in [i0, i1). */
static double users_of(const view *v, size_t i0, size_t i1)
{
    memset(v->reg, 0, v->e->m);
    bool any = false;
    for (size_t i = i0; i < i1; i++) {
        const scrm__eng_day *d = vday(v, i);
        if (d->hll) {
            scrm__hll_union(v->reg, d->hll, v->e->m);
            any = true;
        }
    }
    return any ? scrm__hll_estimate(v->reg, v->e->p) : 0.0;
}

/* Distinct users in the window of window_days days ending on day `d`. */
static double window_of(const view *v, int64_t d)
{
    size_t i0 = lower_bound(v, d - v->e->opts.window_days + 1);
    size_t i1 = lower_bound(v, d + 1);
    return users_of(v, i0, i1);
}

static void agg_add_day(const scrm_engagement *e, agg *a, const scrm__eng_day *d)
{
    uint64_t counted[SCRM__ENG_K];
    scrm__eng_day_counted(e, d, counted);
    for (int k = 0; k < SCRM__ENG_K; k++) {
        a->counted[k] += counted[k];
        a->own[k] += d->own[k];
        a->comp[k] += d->comp[k];
    }
    a->pos += d->pos;
    a->neu += d->neu;
    a->neg += d->neg;
    scrm__xsum_merge(&a->reach, &d->reach);
    scrm__xsum_merge(&a->impressions, &d->impressions);
    scrm__xsum_merge(&a->sentiment, &d->sentiment);
}

/* Sum over channels of the latest follower count dated before `end_day`
 * (snapshots are sorted by channel, then day). */
static bool followers_before(const scrm_engagement *e, int64_t end_day, double *out)
{
    scrm__sum s = SCRM__SUM_INIT;
    bool any = false;
    size_t i = 0;
    while (i < e->n_snaps) {
        size_t j = i;
        while (j < e->n_snaps && e->snaps[j].channel == e->snaps[i].channel)
            j++;
        /* last snapshot in [i, j) with day < end_day */
        size_t lo = i, hi = j;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (e->snaps[mid].day < end_day)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > i) {
            scrm__sum_add(&s, e->snaps[lo - 1].followers);
            any = true;
        }
        i = j;
    }
    *out = scrm__sum_value(&s);
    return any;
}

static double pct(uint64_t num, double den) { return (double)num / den * 100.0; }

/* Fill everything but start/end/growth from an aggregate. */
static int fill(const scrm_engagement *e, const agg *a, int64_t end, double users,
                double window, scrm_engagement_result *r, const char *fn)
{
    const scrm_engagement_options *o = &e->opts;
    const double nan = (double)NAN;
    r->rows = r->engagements = r->own_mentions = r->competitor_mentions = 0;
    for (int k = 0; k < SCRM__ENG_K; k++) {
        r->counts[k] = a->counted[k];
        r->competitor_counts[k] = a->comp[k];
        r->rows += a->counted[k];
        if (o->engagement_kinds >> k & 1u)
            r->engagements += a->counted[k];
        if (o->sov_kinds >> k & 1u) {
            r->own_mentions += a->own[k];
            r->competitor_mentions += a->comp[k];
        }
    }
    r->positive = a->pos;
    r->neutral = a->neu;
    r->negative = a->neg;
    r->unscored = r->rows - a->pos - a->neu - a->neg;
    r->reach = scrm__xsum_value(&a->reach);
    r->impressions = scrm__xsum_value(&a->impressions);
    double ssum = scrm__xsum_value(&a->sentiment);
    if (!isfinite(r->reach) || !isfinite(r->impressions))
        return scrm__error(SCRM_ERANGE, "%s: the sum of reach or impressions overflows", fn);
    r->unique_users = users;
    r->talking_window = window;
    r->valid = e->exact.valid ? SCRM_ENGAGEMENT_EXACT_USERS : 0;

    r->followers = nan;
    double f;
    if (followers_before(e, scrm__floor_div(end, SCRM_SECONDS_PER_DAY), &f)) {
        r->followers = f;
        r->valid |= SCRM_ENGAGEMENT_VALID_FOLLOWERS;
    }
    double E = (double)r->engagements;
    r->er_reach = r->er_impressions = r->er_followers = nan;
    if (r->reach > 0) {
        r->er_reach = E / r->reach * 100.0;
        r->valid |= SCRM_ENGAGEMENT_VALID_ER_REACH;
    }
    if (r->impressions > 0) {
        r->er_impressions = E / r->impressions * 100.0;
        r->valid |= SCRM_ENGAGEMENT_VALID_ER_IMPRESSIONS;
    }
    if ((r->valid & SCRM_ENGAGEMENT_VALID_FOLLOWERS) && r->followers > 0) {
        r->er_followers = E / r->followers * 100.0;
        r->valid |= SCRM_ENGAGEMENT_VALID_ER_FOLLOWERS;
    }
    uint64_t posts = a->counted[SCRM_ENGAGEMENT_POST];
    r->conversation_rate = r->amplification_rate = r->applause_rate = nan;
    if (posts) {
        r->conversation_rate = (double)a->counted[SCRM_ENGAGEMENT_COMMENT] / (double)posts;
        r->amplification_rate = (double)a->counted[SCRM_ENGAGEMENT_SHARE] / (double)posts;
        r->applause_rate = (double)a->counted[SCRM_ENGAGEMENT_LIKE] / (double)posts;
        r->valid |= SCRM_ENGAGEMENT_VALID_PER_POST;
    }
    scrm__sum ev = SCRM__SUM_INIT;
    bool valued = false;
    for (int k = 0; k < SCRM__ENG_K; k++) {
        scrm__sum_add(&ev, (double)a->counted[k] * o->value[k]);
        valued |= o->value[k] != 0.0;
    }
    r->economic_value = nan;
    if (valued) {
        r->economic_value = scrm__sum_value(&ev);
        if (!isfinite(r->economic_value))
            return scrm__error(SCRM_ERANGE, "%s: economic value overflows", fn);
        r->valid |= SCRM_ENGAGEMENT_VALID_ECONOMIC;
    }
    r->net_sentiment = r->net_sentiment_total = r->mean_sentiment = nan;
    uint64_t polar = a->pos + a->neg, scored = polar + a->neu;
    if (polar) {
        r->net_sentiment = ((double)a->pos - (double)a->neg) / (double)polar * 100.0;
        r->valid |= SCRM_ENGAGEMENT_VALID_NSS;
    }
    if (scored) {
        r->net_sentiment_total = ((double)a->pos - (double)a->neg) / (double)scored * 100.0;
        r->mean_sentiment = ssum / (double)scored;
        r->valid |= SCRM_ENGAGEMENT_VALID_NSS_TOTAL;
    }
    r->share_of_voice = nan;
    uint64_t voice = r->own_mentions + r->competitor_mentions;
    if (voice) {
        r->share_of_voice = pct(r->own_mentions, (double)voice);
        r->valid |= SCRM_ENGAGEMENT_VALID_SOV;
    }
    r->growth_engagements = r->growth_unique_users = r->growth_followers = nan;
    return SCRM_OK;
}

/* Start of the next period; past year 9999 the end of time's next second. */
static int64_t period_next(int64_t start, int32_t period)
{
    int64_t next;
    if (scrm_period_add(start, period, 1, &next) != SCRM_OK)
        next = SCRM__TIME_MAX + 1;
    return next;
}

static int64_t period_first(const view *v)
{
    int64_t s = 0;
    (void)scrm_period_start(v->first_day * SCRM_SECONDS_PER_DAY, v->e->opts.period, &s);
    return s;
}

static size_t count_periods(const view *v)
{
    size_t n = 0;
    int64_t last = v->last_day * SCRM_SECONDS_PER_DAY;
    for (int64_t s = period_first(v); s <= last; s = period_next(s, v->e->opts.period))
        n++;
    return n;
}

static int64_t period_last(const view *v)
{
    int64_t s = 0;
    (void)scrm_period_start(v->last_day * SCRM_SECONDS_PER_DAY, v->e->opts.period, &s);
    return s;
}

SCRM_API int scrm_engagement_finalize(const scrm_engagement *e, scrm_engagement_result *out)
{
    static const char fn[] = "scrm_engagement_finalize";
    if (!e || !out)
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", fn);
    memset(out, 0, sizeof *out);
    view v;
    int rc = view_open(&v, e);
    if (rc)
        return rc;
    if (v.n == 0) {
        /* Nothing added: zero counts, every derived figure undefined. */
        agg a;
        memset(&a, 0, sizeof a);
        rc = fill(e, &a, 0, 0.0, 0.0, out, fn);
        out->valid &= SCRM_ENGAGEMENT_EXACT_USERS;
        out->followers = (double)NAN;
        out->er_followers = (double)NAN;
        view_close(&v);
        return rc;
    }
    agg a;
    memset(&a, 0, sizeof a);
    for (size_t i = 0; i < v.n; i++)
        agg_add_day(e, &a, vday(&v, i));
    out->start = period_first(&v);
    out->end = period_next(period_last(&v), e->opts.period);
    double users, window;
    if (e->exact.valid) {
        users = e->exact.all_users;
        window = e->exact.all_window;
    } else {
        users = users_of(&v, 0, v.n);
        window = window_of(&v, v.last_day);
    }
    int64_t start = out->start, end = out->end;
    rc = fill(e, &a, end, users, window, out, fn);
    out->start = start;
    out->end = end;
    view_close(&v);
    return rc;
}

static void growth(scrm_engagement_result *r, const scrm_engagement_result *prev)
{
    if (prev->engagements > 0) {
        r->growth_engagements = ((double)r->engagements - (double)prev->engagements) /
                                (double)prev->engagements * 100.0;
        r->valid |= SCRM_ENGAGEMENT_VALID_GROWTH_ENGAGEMENTS;
    }
    if (prev->unique_users > 0) {
        r->growth_unique_users = (r->unique_users - prev->unique_users) / prev->unique_users * 100.0;
        r->valid |= SCRM_ENGAGEMENT_VALID_GROWTH_USERS;
    }
    if ((prev->valid & SCRM_ENGAGEMENT_VALID_FOLLOWERS) && prev->followers > 0 &&
        (r->valid & SCRM_ENGAGEMENT_VALID_FOLLOWERS)) {
        r->growth_followers = (r->followers - prev->followers) / prev->followers * 100.0;
        r->valid |= SCRM_ENGAGEMENT_VALID_GROWTH_FOLLOWERS;
    }
}

SCRM_API int scrm_engagement_periods(const scrm_engagement *e, scrm_engagement_result *out,
                                     size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_engagement_periods";
    if (!e || !out_len || (!out && cap > 0))
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", fn);
    *out_len = 0;
    view v;
    int rc = view_open(&v, e);
    if (rc || v.n == 0)
        return rc;
    size_t n = count_periods(&v);
    *out_len = n;
    if (cap < n) {
        view_close(&v);
        return scrm__error(SCRM_EBUFS, "%s: room for %zu results, %zu needed", fn, cap, n);
    }
    const int32_t period = e->opts.period;
    size_t j = 0; /* next day index */
    int64_t s = period_first(&v);
    for (size_t pi = 0; pi < n; pi++) {
        int64_t next = period_next(s, period);
        int64_t end_day = scrm__floor_div(next, SCRM_SECONDS_PER_DAY);
        agg a;
        memset(&a, 0, sizeof a);
        size_t j0 = j;
        while (j < v.n && vday(&v, j)->day < end_day)
            agg_add_day(e, &a, vday(&v, j++));
        double users, window;
        if (e->exact.valid) {
            users = e->exact.period_users[pi];
            window = e->exact.period_window[pi];
        } else {
            users = users_of(&v, j0, j);
            int64_t wend = end_day - 1 < v.last_day ? end_day - 1 : v.last_day;
            window = window_of(&v, wend);
        }
        scrm_engagement_result *r = &out[pi];
        memset(r, 0, sizeof *r);
        rc = fill(e, &a, next, users, window, r, fn);
        if (rc)
            break;
        r->start = s;
        r->end = next;
        if (pi > 0)
            growth(r, &out[pi - 1]);
        s = next;
    }
    view_close(&v);
    return rc;
}

SCRM_API int scrm_engagement_days(const scrm_engagement *e, scrm_engagement_day *out, size_t cap,
                                  size_t *out_len)
{
    static const char fn[] = "scrm_engagement_days";
    if (!e || !out_len || (!out && cap > 0))
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", fn);
    *out_len = 0;
    view v;
    int rc = view_open(&v, e);
    if (rc || v.n == 0)
        return rc;
    size_t n = (size_t)(v.last_day - v.first_day) + 1;
    *out_len = n;
    if (cap < n) {
        view_close(&v);
        return scrm__error(SCRM_EBUFS, "%s: room for %zu days, %zu needed", fn, cap, n);
    }
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t day = v.first_day + (int64_t)i;
        scrm_engagement_day *o = &out[i];
        memset(o, 0, sizeof *o);
        o->start = day * SCRM_SECONDS_PER_DAY;
        bool has = j < v.n && vday(&v, j)->day == day;
        if (has) {
            const scrm__eng_day *d = vday(&v, j);
            uint64_t counted[SCRM__ENG_K];
            scrm__eng_day_counted(e, d, counted);
            for (int k = 0; k < SCRM__ENG_K; k++) {
                o->rows += counted[k];
                if (e->opts.engagement_kinds >> k & 1u)
                    o->engagements += counted[k];
            }
        }
        if (e->exact.valid) {
            o->unique_users = e->exact.day_users[i];
            o->talking_window = e->exact.day_window[i];
            o->exact = 1;
        } else {
            o->unique_users = has ? users_of(&v, j, j + 1) : 0.0;
            o->talking_window = window_of(&v, day);
        }
        if (has)
            j++;
    }
    view_close(&v);
    return SCRM_OK;
}
