/* Mergeable histogram of weighted (x, t_x, T) rows: the sufficient statistics
 * of the customer-base likelihoods, built per partition and merged.
 *
 * Rows live in one array; an open-addressing table (linear probing, load
 * <= 1/2) maps the bit patterns of (x, t_x, T) to row indices. Adds are atomic:
 * all rows are validated, then the keys are inserted (new rows with weight 0)
 * and only when every insert succeeded are the weights added, so a limit or
 * allocation failure rolls back by truncating the row array.
 *
 * Serialized payload (format version 1), inside the envelope of core/bytes.h:
 *   u64 max_rows option | u64 rows | rows x (f64 x, f64 t_x, f64 T, f64 w.s, f64 w.c)
 * rows strictly ascending by (x, t_x, T); w is the Neumaier pair of the weight. */
#include "clv/rfm.h"
#include "core/bytes.h"
#include "num/sum.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_VERSION 1
#define BUILTIN_MAX ((uint64_t)UINT32_MAX - 1) /* UINT32_MAX marks an empty slot */
#define EMPTY UINT32_MAX
#define ROW_BYTES (5 * 8)
/* Below half an ulp of DBL_MAX: adding such a weight to a finite running sum
 * rounds instead of overflowing, so adds never produce an infinite weight. */
#define MAX_ADD_WEIGHT 1e270

typedef struct hrow {
    double x, tx, T;
    scrm__sum w;
} hrow;

struct scrm_rfm_hist {
    scrm_rfm_hist_options opts;
    uint64_t limit; /* effective row limit */
    hrow *rows;
    size_t n, rows_cap;
    uint32_t *tab; /* tcap slots, a power of two (0 before the first row) */
    size_t tcap;
};

static double norm0(double v)
{
    return v == 0.0 ? 0.0 : v; /* -0.0 and 0.0 are the same customer */
}

static uint64_t bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* Keys are normalised before hashing and storing, so equality is on bits. */
static uint64_t key_hash(double x, double tx, double T)
{
    return mix(bits(x) ^ mix(bits(tx) ^ mix(bits(T) + 0x9e3779b97f4a7c15ull)));
}

static int same(const hrow *r, double x, double tx, double T)
{
    return bits(r->x) == bits(x) && bits(r->tx) == bits(tx) && bits(r->T) == bits(T);
}

static int check_row(int code, const char *fn, size_t i, double x, double tx, double T, double w,
                     double wmax)
{
    const char *field = NULL, *why = NULL;
    double v = 0;
    if (!isfinite(x))
        field = "x", why = "is not finite", v = x;
    else if (!isfinite(tx))
        field = "t_x", why = "is not finite", v = tx;
    else if (!isfinite(T))
        field = "T", why = "is not finite", v = T;
    else if (!isfinite(w))
        field = "weight", why = "is not finite", v = w;
    else if (x < 0)
        field = "x", why = "is negative", v = x;
    else if (tx < 0)
        field = "t_x", why = "is negative", v = tx;
    else if (tx > T)
        return scrm__error(code, "%s: row %zu: t_x %g > T %g", fn, i, tx, T);
    else if (x == 0 && tx != 0)
        return scrm__error(code, "%s: row %zu: t_x %g must be 0 when x = 0", fn, i, tx);
    else if (!(w > 0))
        field = "weight", why = "is not > 0", v = w;
    else if (w > wmax)
        field = "weight", why = "is above 1e270", v = w;
    if (field)
        return scrm__error(code, "%s: row %zu: %s %g %s", fn, i, field, v, why);
    return SCRM_OK;
}

/* Slot holding (x, tx, T) or the empty slot where it would go. */
static size_t probe(const scrm_rfm_hist *h, double x, double tx, double T)
{
    size_t mask = h->tcap - 1, s = (size_t)key_hash(x, tx, T) & mask;
    while (h->tab[s] != EMPTY && !same(&h->rows[h->tab[s]], x, tx, T))
        s = (s + 1) & mask;
    return s;
}

static void rehash(scrm_rfm_hist *h)
{
    memset(h->tab, 0xff, h->tcap * sizeof *h->tab);
    for (size_t i = 0; i < h->n; i++)
        h->tab[probe(h, h->rows[i].x, h->rows[i].tx, h->rows[i].T)] = (uint32_t)i;
}

/* Room for one more row: table load <= 1/2, row array grown geometrically. */
static int reserve_one(scrm_rfm_hist *h)
{
    if (h->n >= h->rows_cap) {
        size_t nc = h->rows_cap ? 2 * h->rows_cap : 16, bytes;
        if (nc > BUILTIN_MAX)
            nc = (size_t)BUILTIN_MAX;
        if (scrm__mul_size(nc, sizeof(hrow), &bytes) != SCRM_OK)
            return SCRM_ENOMEM;
        hrow *r = scrm__realloc(h->rows, bytes);
        if (!r)
            return SCRM_ENOMEM;
        h->rows = r;
        h->rows_cap = nc;
    }
    if (2 * (h->n + 1) > h->tcap) {
        size_t nc = h->tcap ? 2 * h->tcap : 32, bytes;
        if (scrm__mul_size(nc, sizeof(uint32_t), &bytes) != SCRM_OK)
            return SCRM_ENOMEM;
        uint32_t *t = scrm__malloc(bytes);
        if (!t)
            return SCRM_ENOMEM;
        scrm__free(h->tab);
        h->tab = t;
        h->tcap = nc;
        rehash(h);
    }
    return SCRM_OK;
}

/* Insert the key if new (weight 0). Returns SCRM_ELIMIT / SCRM_ENOMEM without
 * a message; the caller rolls back. */
static int insert_key(scrm_rfm_hist *h, double x, double tx, double T)
{
    if (h->tcap) {
        size_t s = probe(h, x, tx, T);
        if (h->tab[s] != EMPTY)
            return SCRM_OK;
    }
    if ((uint64_t)h->n >= h->limit)
        return SCRM_ELIMIT;
    int st = reserve_one(h);
    if (st)
        return st;
    size_t s = probe(h, x, tx, T);
    hrow *r = &h->rows[h->n];
    r->x = x;
    r->tx = tx;
    r->T = T;
    r->w.s = r->w.c = 0;
    h->tab[s] = (uint32_t)h->n++;
    return SCRM_OK;
}

static hrow *find(scrm_rfm_hist *h, double x, double tx, double T)
{
    return &h->rows[h->tab[probe(h, x, tx, T)]];
}

static int rollback(scrm_rfm_hist *h, size_t old_n, int st, const char *fn)
{
    h->n = old_n;
    if (h->tcap)
        rehash(h);
    if (st == SCRM_ERANGE)
        return scrm__error(SCRM_ERANGE, "%s: a merged weight overflows; nothing merged", fn);
    if (st == SCRM_ELIMIT)
        return scrm__error(SCRM_ELIMIT, "%s: more than %llu distinct rows (max_rows); nothing added",
                           fn, (unsigned long long)h->limit);
    return scrm__error(SCRM_ENOMEM, "%s: out of memory; nothing added", fn);
}

static int cmp_row(const void *pa, const void *pb)
{
    const hrow *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->tx != b->tx)
        return a->tx < b->tx ? -1 : 1;
    if (a->T != b->T)
        return a->T < b->T ? -1 : 1;
    return 0;
}

/* A sorted copy of the rows (scrm__free); NULL only when out of memory. */
static hrow *sorted_rows(const scrm_rfm_hist *h)
{
    hrow *s = scrm__malloc((h->n ? h->n : 1) * sizeof *s);
    if (!s)
        return NULL;
    if (h->n)
        memcpy(s, h->rows, h->n * sizeof *s);
    qsort(s, h->n, sizeof *s, cmp_row);
    return s;
}

static double row_weight(const hrow *r)
{
    return scrm__sum_value(&r->w);
}

SCRM_API int scrm_rfm_hist_options_init(scrm_rfm_hist_options *opts, unsigned int version)
{
    SCRM__CHECK_ARG(opts, "opts");
    int st = scrm__check_version(version, SCRM_RFM_HIST_OPTIONS_VERSION, "scrm_rfm_hist_options");
    if (st)
        return st;
    scrm_rfm_hist_options d = SCRM_RFM_HIST_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

SCRM_API int scrm_rfm_hist_new(scrm_rfm_hist **out, const scrm_rfm_hist_options *opts)
{
    SCRM__CHECK_ARG(out, "out");
    *out = NULL;
    scrm_rfm_hist_options o = SCRM_RFM_HIST_OPTIONS_INIT;
    if (opts) {
        int st = scrm__check_version(opts->version, SCRM_RFM_HIST_OPTIONS_VERSION,
                                     "scrm_rfm_hist_options");
        if (st)
            return st;
        o.max_rows = opts->max_rows;
    }
    scrm_rfm_hist *h = scrm__calloc(1, sizeof *h);
    if (!h)
        return scrm__error(SCRM_ENOMEM, "scrm_rfm_hist_new: out of memory");
    h->opts = o;
    h->limit = (o.max_rows == 0 || o.max_rows > BUILTIN_MAX) ? BUILTIN_MAX : o.max_rows;
    *out = h;
    return SCRM_OK;
}

SCRM_API void scrm_rfm_hist_free(scrm_rfm_hist *hist)
{
    if (!hist)
        return;
    scrm__free(hist->rows);
    scrm__free(hist->tab);
    scrm__free(hist);
}

SCRM_API int scrm_rfm_hist_reset(scrm_rfm_hist *hist)
{
    SCRM__CHECK_ARG(hist, "hist");
    hist->n = 0;
    if (hist->tcap)
        memset(hist->tab, 0xff, hist->tcap * sizeof *hist->tab);
    return SCRM_OK;
}

/* Validate every row, insert the new keys, then add the weights. */
static int add_rows(scrm_rfm_hist *h, const double *x, const double *tx, const double *T,
                    const double *w, size_t n, const char *fn)
{
    for (size_t i = 0; i < n; i++) {
        int st = check_row(SCRM_EINVAL, fn, i, x[i], tx[i], T[i], w ? w[i] : 1.0, MAX_ADD_WEIGHT);
        if (st)
            return st;
    }
    size_t old_n = h->n;
    for (size_t i = 0; i < n; i++) {
        int st = insert_key(h, norm0(x[i]), norm0(tx[i]), norm0(T[i]));
        if (st)
            return rollback(h, old_n, st, fn);
    }
    hrow *last = NULL;
    for (size_t i = 0; i < n; i++) {
        double a = norm0(x[i]), b = norm0(tx[i]), c = norm0(T[i]);
        /* Sorted or grouped input repeats the previous row: skip the probe. */
        if (!last || !same(last, a, b, c))
            last = find(h, a, b, c);
        scrm__sum_add(&last->w, w ? w[i] : 1.0);
    }
    return SCRM_OK;
}

SCRM_API int scrm_rfm_hist_add(scrm_rfm_hist *hist, const double *x, const double *t_x,
                               const double *T, const double *weight, size_t n)
{
    static const char fn[] = "scrm_rfm_hist_add";
    if (!hist)
        return scrm__error(SCRM_EINVAL, "%s: NULL hist", fn);
    if (n && (!x || !t_x || !T))
        return scrm__error(SCRM_EINVAL, "%s: NULL %s with n = %zu", fn,
                           !x ? "x" : !t_x ? "t_x" : "T", n);
    return add_rows(hist, x, t_x, T, weight, n, fn);
}

SCRM_API int scrm_rfm_hist_add_rfm(scrm_rfm_hist *hist, const scrm_rfm *rfm)
{
    static const char fn[] = "scrm_rfm_hist_add_rfm";
    if (!hist || !rfm)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", fn, !hist ? "hist" : "rfm");
    return add_rows(hist, rfm->x, rfm->t_x, rfm->age, NULL, rfm->n, fn);
}

static bool merged_finite(const scrm__sum *a, const scrm__sum *b)
{
    scrm__sum t = *a;
    scrm__sum_merge(&t, b);
    return isfinite(t.s) && isfinite(t.c) && isfinite(scrm__sum_value(&t));
}

SCRM_API int scrm_rfm_hist_merge(scrm_rfm_hist *hist, const scrm_rfm_hist *other)
{
    static const char fn[] = "scrm_rfm_hist_merge";
    if (!hist || !other)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", fn, !hist ? "hist" : "other");
    if (hist->opts.max_rows != other->opts.max_rows)
        return scrm__error(SCRM_EINVAL, "%s: different options (max_rows %llu vs %llu)", fn,
                           (unsigned long long)hist->opts.max_rows,
                           (unsigned long long)other->opts.max_rows);
    if (hist == other) {
        for (size_t i = 0; i < hist->n; i++) {
            scrm__sum w = hist->rows[i].w;
            if (!merged_finite(&w, &w))
                return scrm__error(SCRM_ERANGE, "%s: a merged weight overflows; nothing merged",
                                   fn);
        }
        for (size_t i = 0; i < hist->n; i++) {
            scrm__sum w = hist->rows[i].w;
            scrm__sum_merge(&hist->rows[i].w, &w);
        }
        return SCRM_OK;
    }
    size_t old_n = hist->n;
    for (size_t i = 0; i < other->n; i++) {
        const hrow *r = &other->rows[i];
        int st = insert_key(hist, r->x, r->tx, r->T);
        if (st)
            return rollback(hist, old_n, st, fn);
    }
    /* Rows of other are distinct, so each target is merged once: check all first. */
    for (size_t i = 0; i < other->n; i++) {
        const hrow *r = &other->rows[i];
        if (!merged_finite(&find(hist, r->x, r->tx, r->T)->w, &r->w))
            return rollback(hist, old_n, SCRM_ERANGE, fn);
    }
    for (size_t i = 0; i < other->n; i++) {
        const hrow *r = &other->rows[i];
        scrm__sum_merge(&find(hist, r->x, r->tx, r->T)->w, &r->w);
    }
    return SCRM_OK;
}

SCRM_API int scrm_rfm_hist_get_info(const scrm_rfm_hist *hist, scrm_rfm_hist_info *out)
{
    if (!hist || !out)
        return scrm__error(SCRM_EINVAL, "scrm_rfm_hist_get_info: NULL %s", !hist ? "hist" : "out");
    scrm__sum total = SCRM__SUM_INIT;
    for (size_t i = 0; i < hist->n; i++)
        scrm__sum_merge(&total, &hist->rows[i].w);
    out->rows = hist->n;
    out->total_weight = scrm__sum_value(&total);
    out->max_rows = hist->limit;
    return SCRM_OK;
}

SCRM_API int scrm_rfm_hist_rows(const scrm_rfm_hist *hist, double *x, double *t_x, double *T,
                                double *weight, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_rfm_hist_rows";
    if (!hist || !out_len || (cap && (!x || !t_x || !T || !weight)))
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", fn);
    *out_len = hist->n;
    if (hist->n > cap)
        return scrm__error(SCRM_EBUFS, "%s: buffers hold %zu rows, %zu needed", fn, cap,
                           hist->n);
    hrow *s = sorted_rows(hist);
    if (!s)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu rows)", fn, hist->n);
    for (size_t i = 0; i < hist->n; i++) {
        x[i] = s[i].x;
        t_x[i] = s[i].tx;
        T[i] = s[i].T;
        weight[i] = row_weight(&s[i]);
    }
    scrm__free(s);
    return SCRM_OK;
}

SCRM_API int scrm_rfm_hist_serialize(const scrm_rfm_hist *hist, uint8_t *buf, size_t cap,
                                     size_t *out_len)
{
    static const char fn[] = "scrm_rfm_hist_serialize";
    if (!hist || !out_len)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", fn, !hist ? "hist" : "out_len");
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_RFM_HIST, FORMAT_VERSION);
    scrm__put_u64(&w, hist->opts.max_rows);
    scrm__put_u64(&w, (uint64_t)hist->n);
    /* Measure without sorting; write sorted so equal histograms give equal bytes. */
    size_t body;
    if (scrm__mul_size(hist->n, ROW_BYTES, &body) != SCRM_OK)
        return scrm__error(SCRM_ENOMEM, "%s: size overflow", fn);
    if (w.len + body + 4 > cap || !buf) {
        w.len += body;
        return scrm__envelope_end(&w, out_len, fn);
    }
    hrow *s = sorted_rows(hist);
    if (!s)
        return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu rows)", fn, hist->n);
    for (size_t i = 0; i < hist->n; i++) {
        scrm__put_f64(&w, s[i].x);
        scrm__put_f64(&w, s[i].tx);
        scrm__put_f64(&w, s[i].T);
        scrm__put_f64(&w, s[i].w.s);
        scrm__put_f64(&w, s[i].w.c);
    }
    scrm__free(s);
    return scrm__envelope_end(&w, out_len, fn);
}

SCRM_API int scrm_rfm_hist_deserialize(scrm_rfm_hist **out, const uint8_t *buf, size_t len)
{
    static const char fn[] = "scrm_rfm_hist_deserialize";
    if (!out || !buf) {
        if (out)
            *out = NULL;
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", fn, !out ? "out" : "buf");
    }
    *out = NULL;
    scrm__reader r;
    uint16_t version;
    int st = scrm__envelope_open(&r, buf, len, SCRM__KIND_RFM_HIST, FORMAT_VERSION, &version, fn);
    if (st)
        return st;
    scrm_rfm_hist_options o = SCRM_RFM_HIST_OPTIONS_INIT;
    o.max_rows = scrm__get_u64(&r);
    uint64_t n = scrm__get_u64(&r);
    if (r.failed || n > scrm__reader_left(&r) / ROW_BYTES ||
        n * ROW_BYTES != scrm__reader_left(&r))
        return scrm__error(SCRM_ECORRUPT, "%s: row count does not match the payload", fn);
    scrm_rfm_hist *h;
    if ((st = scrm_rfm_hist_new(&h, &o)))
        return st;
    if (n > h->limit) {
        uint64_t limit = h->limit;
        scrm_rfm_hist_free(h);
        return scrm__error(SCRM_ECORRUPT, "%s: %llu rows exceed max_rows %llu", fn,
                           (unsigned long long)n, (unsigned long long)limit);
    }
    hrow prev = { 0, 0, 0, SCRM__SUM_INIT };
    for (size_t i = 0; i < (size_t)n; i++) {
        hrow row;
        row.x = scrm__get_f64(&r);
        row.tx = scrm__get_f64(&r);
        row.T = scrm__get_f64(&r);
        row.w.s = scrm__get_f64(&r);
        row.w.c = scrm__get_f64(&r);
        double w = row_weight(&row);
        if ((st = check_row(SCRM_ECORRUPT, fn, i, row.x, row.tx, row.T, w, DBL_MAX)))
            goto fail;
        if (!(row.w.s > 0) || !isfinite(row.w.c) || !(fabs(row.w.c) <= row.w.s)) {
            st = scrm__error(SCRM_ECORRUPT, "%s: row %zu: bad weight pair (%g, %g)", fn, i,
                             row.w.s, row.w.c);
            goto fail;
        }
        /* The serializer never writes -0.0: taking it would break the
         * canonical bytes (deserialize then serialize gives the input). */
        if (signbit(row.x) || signbit(row.tx) || signbit(row.T)) {
            st = scrm__error(SCRM_ECORRUPT, "%s: row %zu: negative zero", fn, i);
            goto fail;
        }
        if (i && cmp_row(&prev, &row) >= 0) {
            st = scrm__error(SCRM_ECORRUPT, "%s: row %zu: duplicate or out of order", fn, i);
            goto fail;
        }
        if ((st = insert_key(h, row.x, row.tx, row.T))) {
            st = scrm__error(st, "%s: out of memory (%llu rows)", fn, (unsigned long long)n);
            goto fail;
        }
        h->rows[h->n - 1].w = row.w;
        prev = row;
    }
    if ((st = scrm__reader_close(&r, fn)))
        goto fail;
    *out = h;
    return SCRM_OK;
fail:
    scrm_rfm_hist_free(h);
    return st;
}

SCRM_API int scrm_rfm_hist_fit(scrm_clv_model **out, int32_t kind, const scrm_rfm_hist *hist,
                               const scrm_clv_fit_options *opts, scrm_clv_fit_result *result)
{
    static const char fn[] = "scrm_rfm_hist_fit";
    if (out)
        *out = NULL;
    if (!out || !hist)
        return scrm__error(SCRM_EINVAL, "%s: NULL %s", fn, !out ? "out" : "hist");
    if (kind == SCRM_CLV_GAMMA_GAMMA)
        return scrm__error(SCRM_EINVAL,
                           "%s: Gamma-Gamma needs monetary values, which a histogram does not keep",
                           fn);
    size_t n = hist->n, bytes;
    if (scrm__mul_size(n ? n : 1, 4 * sizeof(double), &bytes))
        return SCRM_ENOMEM;
    double *cols = scrm__malloc(bytes);
    hrow *s = sorted_rows(hist);
    if (!cols || !s) {
        scrm__free(cols);
        scrm__free(s);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu rows)", fn, n);
    }
    for (size_t i = 0; i < n; i++) {
        cols[i] = s[i].x;
        cols[n + i] = s[i].tx;
        cols[2 * n + i] = s[i].T;
        cols[3 * n + i] = row_weight(&s[i]);
    }
    scrm__free(s);
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = n;
    d.frequency = cols;
    d.recency = cols + n;
    d.age = cols + 2 * n;
    d.weights = cols + 3 * n;
    int st = scrm_clv_model_fit(out, kind, &d, opts, result);
    scrm__free(cols);
    return st;
}
