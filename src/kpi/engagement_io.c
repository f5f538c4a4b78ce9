/* Engagement accumulator state as a byte string (src/core/bytes.h envelope,
 * kind SCRM__KIND_ENGAGEMENT). Payload, format version 1, little-endian:
 *
 *   options: i32 period, u32 engagement_kinds, u32 talking_kinds, u32 sov_kinds,
 *            i32 competitors, i32 hll_precision, i32 window_days, f64 neutral_band,
 *            f64 value[6], u8 has_own_brand, u32 length, bytes
 *   u64 number of days, then per day in increasing order:
 *            i64 day, u64 own[6], u64 comp[6], u64 pos, neu, neg,
 *            3 exact sums (reach, impressions, sentiment): u8 first digit, u8 count,
 *            count x i64 normalized digits (zero digits trimmed at both ends),
 *            u8 has_sketch, 2^p register bytes if set
 *   u64 number of follower snapshots, then per snapshot in (channel, day) order:
 *            u64 channel, i64 time, f64 followers
 *
 * Only non-empty days and non-zero sketches are written, so equal states give
 * equal bytes. The reader re-checks every invariant (ranges, order, normalized
 * digits, register bounds) and reports SCRM_ECORRUPT, never trusting a field. */
#include "core/bytes.h"
#include "core/civil.h"
#include "kpi/engagement_state.h"
#include "num/hll.h"

#include <math.h>
#include <string.h>

#define FORMAT_VERSION 1
#define WHAT "scrm_engagement_deserialize"

static void put_xsum(scrm__writer *w, const scrm__xsum *in)
{
    scrm__xsum s = *in;
    scrm__xsum_normalize(&s);
    int lo = 0, hi = SCRM__XSUM_N - 1;
    while (lo < SCRM__XSUM_N && s.d[lo] == 0)
        lo++;
    while (hi >= lo && s.d[hi] == 0)
        hi--;
    if (lo > hi) {
        scrm__put_u8(w, 0);
        scrm__put_u8(w, 0);
        return;
    }
    scrm__put_u8(w, (uint8_t)lo);
    scrm__put_u8(w, (uint8_t)(hi - lo + 1));
    for (int i = lo; i <= hi; i++)
        scrm__put_i64(w, s.d[i]);
}

static bool sketch_nonzero(const uint8_t *reg, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (reg[i])
            return true;
    return false;
}

SCRM_API int scrm_engagement_serialize(const scrm_engagement *e, uint8_t *buf, size_t cap,
                                       size_t *out_len)
{
    if (!e || !out_len || (!buf && cap > 0))
        return scrm__error(SCRM_EINVAL, "scrm_engagement_serialize: NULL argument");
    size_t *idx, n;
    int rc = scrm__eng_sorted_days(e, &idx, &n);
    if (rc)
        return rc;
    const scrm_engagement_options *o = &e->opts;
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_ENGAGEMENT, FORMAT_VERSION);
    scrm__put_u32(&w, (uint32_t)o->period);
    scrm__put_u32(&w, o->engagement_kinds);
    scrm__put_u32(&w, o->talking_kinds);
    scrm__put_u32(&w, o->sov_kinds);
    scrm__put_u32(&w, (uint32_t)o->competitors);
    scrm__put_u32(&w, (uint32_t)o->hll_precision);
    scrm__put_u32(&w, (uint32_t)o->window_days);
    scrm__put_f64(&w, o->neutral_band);
    for (int k = 0; k < SCRM__ENG_K; k++)
        scrm__put_f64(&w, o->value[k]);
    size_t blen = e->own_brand ? strlen(e->own_brand) : 0;
    scrm__put_u8(&w, e->own_brand != NULL);
    scrm__put_u32(&w, (uint32_t)blen);
    scrm__put_bytes(&w, e->own_brand, blen);
    scrm__put_u64(&w, n);
    for (size_t i = 0; i < n; i++) {
        const scrm__eng_day *d = &e->days[idx[i]];
        scrm__put_i64(&w, d->day);
        for (int k = 0; k < SCRM__ENG_K; k++)
            scrm__put_u64(&w, d->own[k]);
        for (int k = 0; k < SCRM__ENG_K; k++)
            scrm__put_u64(&w, d->comp[k]);
        scrm__put_u64(&w, d->pos);
        scrm__put_u64(&w, d->neu);
        scrm__put_u64(&w, d->neg);
        put_xsum(&w, &d->reach);
        put_xsum(&w, &d->impressions);
        put_xsum(&w, &d->sentiment);
        bool sk = d->hll && sketch_nonzero(d->hll, e->m);
        scrm__put_u8(&w, sk);
        if (sk)
            scrm__put_bytes(&w, d->hll, e->m);
    }
    scrm__free(idx);
    scrm__put_u64(&w, e->n_snaps);
    for (size_t i = 0; i < e->n_snaps; i++) {
        scrm__put_u64(&w, e->snaps[i].channel);
        scrm__put_i64(&w, e->snaps[i].time);
        scrm__put_f64(&w, e->snaps[i].followers);
    }
    return scrm__envelope_end(&w, out_len, "scrm_engagement_serialize");
}

static int corrupt(const char *why)
{
    return scrm__error(SCRM_ECORRUPT, WHAT ": %s", why);
}

/* Read one exact sum; `nonneg` requires a value >= 0. */
static int get_xsum(scrm__reader *r, scrm__xsum *s, bool nonneg)
{
    memset(s, 0, sizeof *s);
    unsigned lo = scrm__get_u8(r), cnt = scrm__get_u8(r);
    if (r->failed)
        return corrupt("payload truncated");
    if (cnt == 0)
        return lo == 0 ? SCRM_OK : corrupt("empty sum with a digit offset");
    if (lo + cnt > SCRM__XSUM_N)
        return corrupt("sum digits out of range");
    for (unsigned i = 0; i < cnt; i++)
        s->d[lo + i] = scrm__get_i64(r);
    if (r->failed)
        return corrupt("payload truncated");
    if (s->d[lo] == 0 || s->d[lo + cnt - 1] == 0)
        return corrupt("sum digits not trimmed");
    int64_t top = s->d[SCRM__XSUM_N - 1];
    if (!scrm__xsum_is_normalized(s) || top > INT32_MAX || top < INT32_MIN)
        return corrupt("sum digits not normalized");
    if (nonneg && top < 0)
        return corrupt("negative sum of non-negative values");
    return SCRM_OK;
}

static int get_options(scrm__reader *r, scrm_engagement_options *o, char **brand)
{
    scrm_engagement_options d = SCRM_ENGAGEMENT_OPTIONS_INIT;
    *o = d;
    o->period = (int32_t)scrm__get_u32(r);
    o->engagement_kinds = scrm__get_u32(r);
    o->talking_kinds = scrm__get_u32(r);
    o->sov_kinds = scrm__get_u32(r);
    o->competitors = (int32_t)scrm__get_u32(r);
    o->hll_precision = (int32_t)scrm__get_u32(r);
    o->window_days = (int32_t)scrm__get_u32(r);
    o->neutral_band = scrm__get_f64(r);
    for (int k = 0; k < SCRM__ENG_K; k++)
        o->value[k] = scrm__get_f64(r);
    unsigned has = scrm__get_u8(r);
    uint32_t blen = scrm__get_u32(r);
    if (r->failed)
        return corrupt("payload truncated");
    if (has > 1 || (!has && blen) || blen > scrm__reader_left(r))
        return corrupt("bad own-brand string");
    *brand = NULL;
    if (has) {
        *brand = scrm__malloc((size_t)blen + 1);
        if (!*brand)
            return scrm__error(SCRM_ENOMEM, WHAT ": out of memory");
        scrm__get_bytes(r, *brand, blen);
        (*brand)[blen] = '\0';
        if (strlen(*brand) != blen)
            return corrupt("own-brand string contains a NUL byte");
    }
    o->own_brand = *brand;
    if (scrm__eng_check_options(o, WHAT) != SCRM_OK)
        return scrm__error(SCRM_ECORRUPT, "%s (in serialized options)", scrm_last_error_message());
    return SCRM_OK;
}

static bool add_ok(uint64_t *acc, uint64_t v)
{
    if (*acc > UINT64_MAX - v)
        return false;
    *acc += v;
    return true;
}

static int get_day(scrm__reader *r, scrm_engagement *e, int64_t prev, bool first)
{
    int64_t day = scrm__get_i64(r);
    if (r->failed)
        return corrupt("payload truncated");
    if (day < scrm__floor_div(SCRM__TIME_MIN, SCRM_SECONDS_PER_DAY) ||
        day > scrm__floor_div(SCRM__TIME_MAX, SCRM_SECONDS_PER_DAY))
        return corrupt("day out of range");
    if (!first && day <= prev)
        return corrupt("days not in increasing order");
    size_t i;
    int rc = scrm__eng_day_get(e, day, &i);
    if (rc)
        return rc;
    scrm__eng_day *d = &e->days[i];
    uint64_t rows = 0, counted = 0;
    bool ok = true;
    for (int k = 0; k < SCRM__ENG_K; k++)
        d->own[k] = scrm__get_u64(r);
    for (int k = 0; k < SCRM__ENG_K; k++)
        d->comp[k] = scrm__get_u64(r);
    d->pos = scrm__get_u64(r);
    d->neu = scrm__get_u64(r);
    d->neg = scrm__get_u64(r);
    if (r->failed)
        return corrupt("payload truncated");
    uint64_t cnt[SCRM__ENG_K];
    scrm__eng_day_counted(e, d, cnt);
    for (int k = 0; k < SCRM__ENG_K; k++) {
        ok &= add_ok(&rows, d->own[k]) && add_ok(&rows, d->comp[k]);
        ok &= cnt[k] >= d->own[k] && add_ok(&counted, cnt[k]); /* no wrap-around */
    }
    uint64_t scored = 0;
    ok &= add_ok(&scored, d->pos) && add_ok(&scored, d->neu) && add_ok(&scored, d->neg);
    if (!ok || rows == 0 || scored > counted)
        return corrupt("inconsistent day counts");
    if ((rc = get_xsum(r, &d->reach, true)) || (rc = get_xsum(r, &d->impressions, true)) ||
        (rc = get_xsum(r, &d->sentiment, false)))
        return rc;
    unsigned sk = scrm__get_u8(r);
    if (r->failed)
        return corrupt("payload truncated");
    if (sk > 1)
        return corrupt("bad sketch flag");
    if (sk) {
        if (scrm__reader_left(r) < e->m)
            return corrupt("payload truncated");
        if ((rc = scrm__eng_day_sketch(e, d)))
            return rc;
        scrm__get_bytes(r, d->hll, e->m);
        if (!scrm__hll_registers_valid(d->hll, e->p) || !sketch_nonzero(d->hll, e->m))
            return corrupt("sketch registers out of range");
    }
    return SCRM_OK;
}

static int get_state(scrm__reader *r, scrm_engagement *e)
{
    /* Smallest encodings bound the counts before anything is allocated. */
    const size_t min_day = 8 + 15 * 8 + 3 * 2 + 1, snap_size = 24;
    uint64_t n_days = scrm__get_u64(r);
    if (r->failed)
        return corrupt("payload truncated");
    if (n_days > scrm__reader_left(r) / min_day)
        return corrupt("day count exceeds the payload");
    int64_t prev = 0;
    for (uint64_t i = 0; i < n_days; i++) {
        int rc = get_day(r, e, prev, i == 0);
        if (rc)
            return rc;
        prev = e->days[e->n_days - 1].day;
    }
    uint64_t n_snaps = scrm__get_u64(r);
    if (r->failed)
        return corrupt("payload truncated");
    if (n_snaps > scrm__reader_left(r) / snap_size)
        return corrupt("snapshot count exceeds the payload");
    if (n_snaps == 0)
        return SCRM_OK;
    e->snaps = scrm__calloc((size_t)n_snaps, sizeof *e->snaps);
    if (!e->snaps)
        return scrm__error(SCRM_ENOMEM, WHAT ": out of memory");
    for (uint64_t i = 0; i < n_snaps; i++) {
        scrm__eng_snap *s = &e->snaps[i];
        s->channel = scrm__get_u64(r);
        s->time = scrm__get_i64(r);
        s->followers = scrm__get_f64(r);
        if (r->failed)
            return corrupt("payload truncated");
        if (s->time < SCRM__TIME_MIN || s->time > SCRM__TIME_MAX ||
            !(s->followers >= 0.0 && isfinite(s->followers)))
            return corrupt("bad follower snapshot");
        s->day = scrm__floor_div(s->time, SCRM_SECONDS_PER_DAY);
        if (i > 0) {
            const scrm__eng_snap *p = s - 1;
            if (p->channel > s->channel || (p->channel == s->channel && p->day >= s->day))
                return corrupt("follower snapshots not in canonical order");
        }
        e->n_snaps = (size_t)i + 1;
    }
    return SCRM_OK;
}

SCRM_API int scrm_engagement_deserialize(scrm_engagement **out, const uint8_t *buf, size_t len)
{
    if (!out)
        return scrm__error(SCRM_EINVAL, WHAT ": 'out' is NULL");
    *out = NULL;
    if (!buf)
        return scrm__error(SCRM_EINVAL, WHAT ": 'buf' is NULL");
    scrm__reader r;
    uint16_t version;
    int rc = scrm__envelope_open(&r, buf, len, SCRM__KIND_ENGAGEMENT, FORMAT_VERSION, &version,
                                 WHAT);
    if (rc)
        return rc;
    scrm_engagement_options o;
    char *brand = NULL;
    rc = get_options(&r, &o, &brand);
    scrm_engagement *e = NULL;
    if (!rc)
        rc = scrm__eng_create(&e, &o);
    scrm__free(brand);
    if (!rc)
        rc = get_state(&r, e);
    if (!rc)
        rc = scrm__reader_close(&r, WHAT);
    if (rc) {
        scrm_engagement_free(e);
        return rc;
    }
    *out = e;
    return SCRM_OK;
}
