/* Log-bucket histogram; see loghist.h for the bucket layout and error bound. */
#include "num/loghist.h"

#include "core/varint.h"

#include <string.h>

/* Extra buckets allocated beyond the one asked for, so that a stream of
 * nearby values does not reallocate often. */
#define GROW_MARGIN 8u

void scrm__loghist_bounds(uint32_t i, uint64_t *lo, uint64_t *hi)
{
    if (i < SCRM__LOGHIST_EXACT) {
        *lo = *hi = i;
        return;
    }
    uint32_t k = i - SCRM__LOGHIST_EXACT, e = 7u + k / SCRM__LOGHIST_SUB;
    uint64_t j = k % SCRM__LOGHIST_SUB;
    *lo = (SCRM__LOGHIST_SUB + j) << (e - 6u);
    *hi = *lo + ((UINT64_C(1) << (e - 6u)) - 1u);
}

double scrm__loghist_value(uint32_t i)
{
    uint64_t lo, hi;
    scrm__loghist_bounds(i, &lo, &hi);
    return (double)lo + (double)(hi - lo) / 2.0;
}

void scrm__loghist_init(scrm__loghist *h)
{
    h->counts = NULL;
    h->lo = h->hi = 0;
    h->n = 0;
}

void scrm__loghist_free(scrm__loghist *h)
{
    scrm__free(h->counts);
    scrm__loghist_init(h);
}

void scrm__loghist_clear(scrm__loghist *h)
{
    if (h->counts)
        memset(h->counts, 0, (size_t)(h->hi - h->lo) * sizeof *h->counts);
    h->n = 0;
}

/* Grow the dense range to cover [lo, hi). */
static int grow_range(scrm__loghist *h, uint32_t lo, uint32_t hi)
{
    if (h->counts && lo >= h->lo && hi <= h->hi)
        return SCRM_OK;
    if (h->counts) {
        lo = lo < h->lo ? lo : h->lo;
        hi = hi > h->hi ? hi : h->hi;
    }
    uint64_t *c = scrm__calloc(hi - lo, sizeof *c);
    if (!c)
        return scrm__fail(SCRM_ENOMEM, "histogram", "out of memory for %u buckets", hi - lo);
    if (h->counts)
        memcpy(c + (h->lo - lo), h->counts, (size_t)(h->hi - h->lo) * sizeof *c);
    scrm__free(h->counts);
    h->counts = c;
    h->lo = lo;
    h->hi = hi;
    return SCRM_OK;
}

int scrm__loghist_grow(scrm__loghist *h, uint32_t i)
{
    int64_t lo = (int64_t)i - GROW_MARGIN, hi = (int64_t)i + 1 + GROW_MARGIN;
    if (h->counts) {
        /* Extend one side, at least doubling the width, so that a drifting
         * stream reallocates O(log range) times. */
        int64_t width = h->hi - h->lo;
        if (i < h->lo) {
            lo = lo < h->lo - width ? lo : h->lo - width;
            hi = h->hi;
        } else {
            hi = hi > h->hi + width ? hi : h->hi + width;
            lo = h->lo;
        }
    }
    if (lo < 0)
        lo = 0;
    if (hi > SCRM__LOGHIST_BUCKETS)
        hi = SCRM__LOGHIST_BUCKETS;
    return grow_range(h, (uint32_t)lo, (uint32_t)hi);
}

int scrm__loghist_merge(scrm__loghist *h, const scrm__loghist *o)
{
    if (o->n == 0)
        return SCRM_OK;
    int st = grow_range(h, o->lo, o->hi);
    if (st != SCRM_OK)
        return st;
    for (uint32_t i = o->lo; i < o->hi; i++)
        h->counts[i - h->lo] += o->counts[i - o->lo];
    h->n += o->n;
    return SCRM_OK;
}

uint32_t scrm__loghist_rank_bucket(const scrm__loghist *h, uint64_t rank, uint64_t *before)
{
    uint64_t cum = 0;
    for (uint32_t i = h->lo; i < h->hi; i++) {
        uint64_t c = h->counts[i - h->lo];
        if (rank < cum + c) {
            *before = cum;
            return i;
        }
        cum += c;
    }
    /* Unreachable for rank < n; answer the last bucket defensively. */
    *before = cum;
    return h->hi ? h->hi - 1 : 0;
}

double scrm__loghist_order_stat(const scrm__loghist *h, uint64_t rank, double vmin, double vmax)
{
    uint64_t before;
    double v = scrm__loghist_value(scrm__loghist_rank_bucket(h, rank, &before));
    return v < vmin ? vmin : v > vmax ? vmax : v;
}

void scrm__loghist_write(scrm__writer *w, const scrm__loghist *h)
{
    uint32_t lo = h->lo, hi = h->hi;
    while (lo < hi && h->counts[lo - h->lo] == 0)
        lo++;
    while (hi > lo && h->counts[hi - 1 - h->lo] == 0)
        hi--;
    if (lo == hi)
        lo = hi = 0;
    scrm__put_varint(w, lo);
    scrm__put_varint(w, hi - lo);
    for (uint32_t i = lo; i < hi; i++)
        scrm__put_varint(w, h->counts[i - h->lo]);
}

int scrm__loghist_read(scrm__reader *r, scrm__loghist *h, const char *what)
{
    uint64_t lo = scrm__get_varint(r), n = scrm__get_varint(r);
    if (r->failed)
        return scrm__fail(SCRM_ECORRUPT, what, "truncated histogram");
    if (lo > SCRM__LOGHIST_BUCKETS || n > SCRM__LOGHIST_BUCKETS - lo || n > scrm__reader_left(r))
        return scrm__fail(SCRM_ECORRUPT, what, "bad histogram bucket range %llu+%llu",
                          (unsigned long long)lo, (unsigned long long)n);
    if (n == 0)
        return lo == 0 ? SCRM_OK : scrm__fail(SCRM_ECORRUPT, what, "empty histogram with offset");
    int st = grow_range(h, (uint32_t)lo, (uint32_t)(lo + n));
    if (st != SCRM_OK)
        return st;
    uint64_t total = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t c = scrm__get_varint(r);
        if (r->failed)
            return scrm__fail(SCRM_ECORRUPT, what, "truncated histogram counts");
        if (c > UINT64_MAX - total)
            return scrm__fail(SCRM_ECORRUPT, what, "histogram total overflows");
        h->counts[lo + i - h->lo] = c;
        total += c;
    }
    if (h->counts[lo - h->lo] == 0 || h->counts[lo + n - 1 - h->lo] == 0)
        return scrm__fail(SCRM_ECORRUPT, what, "histogram not in canonical form");
    h->n = total;
    return SCRM_OK;
}

#define HIST_FORMAT 1

int scrm__loghist_serialize(const scrm__loghist *h, uint8_t *buf, size_t cap, size_t *out_len)
{
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_HISTOGRAM, HIST_FORMAT);
    scrm__loghist_write(&w, h);
    return scrm__envelope_end(&w, out_len, "histogram");
}

int scrm__loghist_deserialize(scrm__loghist *h, const uint8_t *buf, size_t len)
{
    scrm__reader r;
    uint16_t version;
    int st = scrm__envelope_open(&r, buf, len, SCRM__KIND_HISTOGRAM, HIST_FORMAT, &version,
                                 "histogram");
    if (st != SCRM_OK)
        return st;
    scrm__loghist_init(h);
    st = scrm__loghist_read(&r, h, "histogram");
    if (st == SCRM_OK)
        st = scrm__reader_close(&r, "histogram");
    if (st != SCRM_OK)
        scrm__loghist_free(h);
    return st;
}
