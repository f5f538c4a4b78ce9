/* Customer referral value (Kumar, Petersen & Leone 2007, 2010): the
 * accumulator. Each referee adds its expected contribution
 *   p (A - a - M + ACQ) + (1 - p) ACQ, discounted per period,
 * to its referrer's compensated sums; merging adds the sums. */
#include "clv/crv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int scrm__crv_check_options(const scrm_crv_options *in, scrm_crv_options *o, const char *fn)
{
    scrm_crv_options d = SCRM_CRV_OPTIONS_INIT;
    if (!in) {
        *o = d;
        return SCRM_OK;
    }
    int st = scrm__check_version(in->version, SCRM_CRV_OPTIONS_VERSION, "scrm_crv_options");
    if (st)
        return st;
    *o = *in;
    if (o->period < SCRM_PERIOD_DAY || o->period > SCRM_PERIOD_YEAR)
        return scrm__error(SCRM_EINVAL, "%s: options.period: unknown period %d", fn,
                           (int)o->period);
    if (o->horizon < 1 || o->horizon > 1200)
        return scrm__error(SCRM_EINVAL, "%s: options.horizon %u must be in 1..1200", fn,
                           (unsigned)o->horizon);
    if (!isfinite(o->discount_rate) || o->discount_rate <= -1.0)
        return scrm__error(SCRM_EINVAL, "%s: options.discount_rate %g must be finite and > -1",
                           fn, o->discount_rate);
    if (!(o->share_anyway >= 0.0 && o->share_anyway <= 1.0))
        return scrm__error(SCRM_EINVAL, "%s: options.share_anyway %g must be in [0, 1]", fn,
                           o->share_anyway);
    if (o->acquisition_source != SCRM_CRV_ACQUISITION_FIXED &&
        o->acquisition_source != SCRM_CRV_ACQUISITION_CUSTOMERS)
        return scrm__error(SCRM_EINVAL, "%s: options.acquisition_source: unknown value %d", fn,
                           (int)o->acquisition_source);
    if (!(o->acquisition_saving >= 0.0) || !isfinite(o->acquisition_saving))
        return scrm__error(SCRM_EINVAL, "%s: options.acquisition_saving %g must be finite and >= 0",
                           fn, o->acquisition_saving);
    if (!(o->retention_cost >= 0.0) || !isfinite(o->retention_cost))
        return scrm__error(SCRM_EINVAL, "%s: options.retention_cost %g must be finite and >= 0",
                           fn, o->retention_cost);
    if (o->margin_source != SCRM_CRV_SOURCE_MARGIN && o->margin_source != SCRM_CRV_SOURCE_AMOUNT)
        return scrm__error(SCRM_EINVAL, "%s: options.margin_source: unknown value %d", fn,
                           (int)o->margin_source);
    if (!isfinite(o->margin_rate))
        return scrm__error(SCRM_EINVAL, "%s: options.margin_rate %g must be finite", fn,
                           o->margin_rate);
    return SCRM_OK;
}

SCRM_API int scrm_crv_options_init(scrm_crv_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "scrm_crv_options_init: 'opts' is NULL");
    int st = scrm__check_version(version, SCRM_CRV_OPTIONS_VERSION, "scrm_crv_options");
    if (st)
        return st;
    scrm_crv_options d = SCRM_CRV_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

int scrm__crv_create(scrm_crv **out, const scrm_crv_options *o, const char *fn)
{
    scrm_crv *c = scrm__calloc(1, sizeof *c);
    if (!c || !(c->v = scrm__malloc(2 * (o->horizon + 1) * sizeof *c->v))) {
        scrm__free(c);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
    }
    c->o = *o;
    c->ann = c->v + o->horizon + 1;
    double l = log1p(o->discount_rate);
    scrm__sum ann = SCRM__SUM_INIT;
    for (uint32_t k = 0; k <= o->horizon; k++) {
        c->v[k] = exp(-(double)k * l);
        if (k)
            scrm__sum_add(&ann, c->v[k]);
        c->ann[k] = scrm__sum_value(&ann);
    }
    *out = c;
    return SCRM_OK;
}

SCRM_API int scrm_crv_new(scrm_crv **out, const scrm_crv_options *opts)
{
    static const char fn[] = "scrm_crv_new";
    if (out)
        *out = NULL;
    if (!out)
        return scrm__error(SCRM_EINVAL, "%s: 'out' is NULL", fn);
    scrm_crv_options o;
    int st = scrm__crv_check_options(opts, &o, fn);
    return st ? st : scrm__crv_create(out, &o, fn);
}

SCRM_API void scrm_crv_free(scrm_crv *crv)
{
    if (!crv)
        return;
    scrm__free(crv->v);
    scrm__free(crv->e);
    scrm__free(crv->slot);
    scrm__free(crv);
}

SCRM_API int scrm_crv_get_options(const scrm_crv *crv, scrm_crv_options *out)
{
    if (!crv || !out)
        return scrm__error(SCRM_EINVAL, "scrm_crv_get_options: '%s' is NULL",
                           crv ? "out" : "crv");
    *out = crv->o;
    return SCRM_OK;
}

SCRM_API void scrm_crv_reset(scrm_crv *crv)
{
    if (!crv)
        return;
    crv->n = 0;
    if (crv->slot)
        memset(crv->slot, 0, crv->nslot * sizeof *crv->slot);
    crv->referrals = crv->not_converted = crv->duplicates = crv->after_end = 0;
}

/* ---- the referrer map ---- */

static size_t hash(int64_t key, size_t mask)
{
    uint64_t z = (uint64_t)key + UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return (size_t)(z ^ (z >> 31)) & mask;
}

int scrm__crv_reserve(scrm_crv *c, size_t more, const char *fn)
{
    if (more > UINT32_MAX - 1 - c->n)
        return scrm__error(SCRM_ELIMIT, "%s: too many referrers", fn);
    size_t need = c->n + more;
    if (need > c->cap) {
        size_t cap = c->cap ? c->cap : 16;
        while (cap < need)
            cap *= 2;
        scrm__crv_entry *e = scrm__realloc(c->e, cap * sizeof *e);
        if (!e)
            return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu referrers)", fn, cap);
        c->e = e;
        c->cap = cap;
    }
    if (2 * need > c->nslot) {
        size_t ns = c->nslot ? c->nslot : 32;
        while (ns < 2 * need)
            ns *= 2;
        uint32_t *slot = scrm__calloc(ns, sizeof *slot);
        if (!slot)
            return scrm__error(SCRM_ENOMEM, "%s: out of memory (%zu referrers)", fn, need);
        for (size_t i = 0; i < c->n; i++) {
            size_t h = hash(c->e[i].key, ns - 1);
            while (slot[h])
                h = (h + 1) & (ns - 1);
            slot[h] = (uint32_t)(i + 1);
        }
        scrm__free(c->slot);
        c->slot = slot;
        c->nslot = ns;
    }
    return SCRM_OK;
}

const scrm__crv_entry *scrm__crv_entry_find(const scrm_crv *c, int64_t key)
{
    if (!c->nslot)
        return NULL;
    size_t h = hash(key, c->nslot - 1);
    for (uint32_t s; (s = c->slot[h]) != 0; h = (h + 1) & (c->nslot - 1))
        if (c->e[s - 1].key == key)
            return &c->e[s - 1];
    return NULL;
}

scrm__crv_entry *scrm__crv_entry_get(scrm_crv *c, int64_t key)
{
    size_t h = hash(key, c->nslot - 1);
    for (uint32_t s; (s = c->slot[h]) != 0; h = (h + 1) & (c->nslot - 1))
        if (c->e[s - 1].key == key)
            return &c->e[s - 1];
    scrm__crv_entry *e = &c->e[c->n];
    memset(e, 0, sizeof *e);
    e->key = key;
    c->slot[h] = (uint32_t)++c->n;
    return e;
}

void scrm__crv_add_one(scrm_crv *c, scrm__crv_entry *e, const double *margins, uint32_t active,
                       double incentive, double acquisition, double p)
{
    /* A referee's own stream is short (<= horizon terms): a plain sum; the
     * referrer totals, which collect many referees, are compensated. */
    double pv = 0.0;
    if (margins)
        for (uint32_t k = 1; k <= active; k++)
            pv += margins[k - 1] * c->v[k];
    scrm__sum_add(&e->s[CRV__MARGIN], p * pv);
    scrm__sum_add(&e->s[CRV__RETENTION], p * c->o.retention_cost * c->ann[active]);
    scrm__sum_add(&e->s[CRV__INCENTIVE], p * incentive * c->v[1]);
    scrm__sum_add(&e->s[CRV__ACQUISITION], acquisition * c->v[1]);
    scrm__sum_add(&e->s[CRV__REFEREES], 1.0);
    scrm__sum_add(&e->s[CRV__INCREMENTAL], p);
}

SCRM_API int scrm_crv_add(scrm_crv *crv, const int64_t *referrer, const double *margins,
                          const uint32_t *active, const double *incentive,
                          const double *acquisition, const double *incremental, size_t n)
{
    static const char fn[] = "scrm_crv_add";
    if (!crv || (n && !referrer))
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, crv ? "referrer" : "crv");
    uint32_t h = crv->o.horizon;
    /* Validate everything first: an add is all or nothing. */
    for (size_t i = 0; i < n; i++) {
        if (margins)
            for (uint32_t k = 0; k < h; k++)
                if (!isfinite(margins[i * h + k]))
                    return scrm__error(SCRM_EINVAL, "%s: margins[%zu][%u] = %g is not finite", fn,
                                       i, (unsigned)k, margins[i * h + k]);
        if (active && active[i] > h)
            return scrm__error(SCRM_EINVAL, "%s: active[%zu] = %u exceeds the horizon %u", fn, i,
                               (unsigned)active[i], (unsigned)h);
        if (incentive && !(incentive[i] >= 0 && isfinite(incentive[i])))
            return scrm__error(SCRM_EINVAL, "%s: incentive[%zu] = %g must be finite and >= 0", fn,
                               i, incentive[i]);
        if (acquisition && !(acquisition[i] >= 0 && isfinite(acquisition[i])))
            return scrm__error(SCRM_EINVAL, "%s: acquisition[%zu] = %g must be finite and >= 0",
                               fn, i, acquisition[i]);
        if (incremental && !(incremental[i] >= 0 && incremental[i] <= 1))
            return scrm__error(SCRM_EINVAL, "%s: incremental[%zu] = %g must be in [0, 1]", fn, i,
                               incremental[i]);
    }
    int st = scrm__crv_reserve(crv, n, fn);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        scrm__crv_add_one(crv, scrm__crv_entry_get(crv, referrer[i]),
                          margins ? margins + i * h : NULL, active ? active[i] : h,
                          incentive ? incentive[i] : 0.0,
                          acquisition ? acquisition[i] : crv->o.acquisition_saving,
                          incremental ? incremental[i] : 1.0 - crv->o.share_anyway);
    return SCRM_OK;
}

static int same_options(const scrm_crv_options *a, const scrm_crv_options *b)
{
    return a->period == b->period && a->horizon == b->horizon &&
           a->discount_rate == b->discount_rate && a->share_anyway == b->share_anyway &&
           a->acquisition_source == b->acquisition_source &&
           a->acquisition_saving == b->acquisition_saving &&
           a->retention_cost == b->retention_cost && a->margin_source == b->margin_source &&
           a->margin_rate == b->margin_rate && a->observation_end == b->observation_end;
}

SCRM_API int scrm_crv_merge(scrm_crv *crv, const scrm_crv *other)
{
    static const char fn[] = "scrm_crv_merge";
    if (!crv || !other || crv == other)
        return scrm__error(SCRM_EINVAL, "%s: %s", fn,
                           crv == other && crv ? "cannot merge a calculator into itself"
                                               : "NULL argument");
    if (!same_options(&crv->o, &other->o))
        return scrm__error(SCRM_EINVAL, "%s: the calculators have different options", fn);
    int st = scrm__crv_reserve(crv, other->n, fn);
    if (st)
        return st;
    for (size_t i = 0; i < other->n; i++) {
        scrm__crv_entry *e = scrm__crv_entry_get(crv, other->e[i].key);
        for (int k = 0; k < CRV__NSUMS; k++)
            scrm__sum_merge(&e->s[k], &other->e[i].s[k]);
    }
    crv->referrals += other->referrals;
    crv->not_converted += other->not_converted;
    crv->duplicates += other->duplicates;
    crv->after_end += other->after_end;
    return SCRM_OK;
}

static double entry_value(const scrm__crv_entry *e)
{
    scrm__sum s = SCRM__SUM_INIT;
    scrm__sum_merge(&s, &e->s[CRV__MARGIN]);
    scrm__sum_merge(&s, &e->s[CRV__ACQUISITION]);
    scrm__sum r = e->s[CRV__RETENTION];
    scrm__sum_merge(&r, &e->s[CRV__INCENTIVE]);
    scrm__sum_add(&s, -r.s);
    scrm__sum_add(&s, -r.c);
    return scrm__sum_value(&s);
}

SCRM_API int scrm_crv_finalize(const scrm_crv *crv, scrm_crv_result *out)
{
    if (!crv || !out)
        return scrm__error(SCRM_EINVAL, "scrm_crv_finalize: '%s' is NULL", crv ? "out" : "crv");
    scrm__sum t[CRV__NSUMS], v = SCRM__SUM_INIT;
    for (int k = 0; k < CRV__NSUMS; k++)
        t[k] = (scrm__sum)SCRM__SUM_INIT;
    for (size_t i = 0; i < crv->n; i++) {
        for (int k = 0; k < CRV__NSUMS; k++)
            scrm__sum_merge(&t[k], &crv->e[i].s[k]);
        scrm__sum_add(&v, entry_value(&crv->e[i]));
    }
    memset(out, 0, sizeof *out);
    out->referrers = crv->n;
    out->referees = scrm__sum_value(&t[CRV__REFEREES]);
    out->incremental_referees = scrm__sum_value(&t[CRV__INCREMENTAL]);
    out->value = scrm__sum_value(&v);
    out->mean_value = crv->n ? out->value / (double)crv->n : 0.0;
    out->margin = scrm__sum_value(&t[CRV__MARGIN]);
    out->retention_cost = scrm__sum_value(&t[CRV__RETENTION]);
    out->incentive_cost = scrm__sum_value(&t[CRV__INCENTIVE]);
    out->acquisition_saving = scrm__sum_value(&t[CRV__ACQUISITION]);
    out->referrals = crv->referrals;
    out->not_converted = crv->not_converted;
    out->duplicates = crv->duplicates;
    out->after_end = crv->after_end;
    return SCRM_OK;
}


typedef struct keyidx {
    int64_t key;
    size_t i;
} keyidx;

static int cmp_keyidx(const void *pa, const void *pb)
{
    const keyidx *a = pa, *b = pb;
    return (a->key > b->key) - (a->key < b->key);
}

int scrm__crv_sorted(const scrm_crv *c, size_t **order, const char *fn)
{
    keyidx *k = scrm__malloc((c->n ? c->n : 1) * sizeof *k);
    size_t *o = scrm__malloc((c->n ? c->n : 1) * sizeof *o);
    if (!k || !o) {
        scrm__free(k);
        scrm__free(o);
        return scrm__error(SCRM_ENOMEM, "%s: out of memory", fn);
    }
    for (size_t i = 0; i < c->n; i++) {
        k[i].key = c->e[i].key;
        k[i].i = i;
    }
    qsort(k, c->n, sizeof *k, cmp_keyidx);
    for (size_t i = 0; i < c->n; i++)
        o[i] = k[i].i;
    scrm__free(k);
    *order = o;
    return SCRM_OK;
}

static int out_check(const scrm_crv *crv, const void *out, size_t cap, size_t *out_len,
                     const char *fn)
{
    if (!crv || !out_len || (cap && !out))
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn,
                           !crv ? "crv" : !out_len ? "out_len" : "out");
    *out_len = crv->n;
    if (cap < crv->n)
        return scrm__error(SCRM_EBUFS, "%s: buffer holds %zu values, %zu needed", fn, cap,
                           crv->n);
    return SCRM_OK;
}

SCRM_API int scrm_crv_referrers(const scrm_crv *crv, int64_t *out, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_crv_referrers";
    size_t *order;
    int st = out_check(crv, out, cap, out_len, fn);
    if (st || (st = scrm__crv_sorted(crv, &order, fn)))
        return st;
    for (size_t i = 0; i < crv->n; i++)
        out[i] = crv->e[order[i]].key;
    scrm__free(order);
    return SCRM_OK;
}

SCRM_API int scrm_crv_column(const scrm_crv *crv, int32_t column, double *out, size_t cap,
                             size_t *out_len)
{
    static const char fn[] = "scrm_crv_column";
    if (column < SCRM_CRV_VALUE || column > SCRM_CRV_INCREMENTAL)
        return scrm__error(SCRM_EINVAL, "%s: unknown column %d", fn, (int)column);
    size_t *order;
    int st = out_check(crv, out, cap, out_len, fn);
    if (st || (st = scrm__crv_sorted(crv, &order, fn)))
        return st;
    static const int sum_of[] = {-1, -1, CRV__MARGIN, CRV__RETENTION, CRV__INCENTIVE,
                                 CRV__ACQUISITION, CRV__REFEREES, CRV__INCREMENTAL};
    for (size_t i = 0; i < crv->n; i++) {
        const scrm__crv_entry *e = &crv->e[order[i]];
        out[i] = column == SCRM_CRV_VALUE ? entry_value(e) : scrm__sum_value(&e->s[sum_of[column]]);
    }
    scrm__free(order);
    return SCRM_OK;
}

SCRM_API int scrm_crv_lookup(const scrm_crv *crv, const int64_t *customers, size_t n,
                             double *out, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_crv_lookup";
    if (!crv || !out_len || (n && !customers))
        return scrm__error(SCRM_EINVAL, "%s: NULL argument", fn);
    *out_len = n;
    if (cap < n || (n && !out))
        return scrm__error(SCRM_EBUFS, "%s: buffer holds %zu values, %zu needed", fn, cap, n);
    for (size_t i = 0; i < n; i++) {
        const scrm__crv_entry *e = scrm__crv_entry_find(crv, customers[i]);
        out[i] = e ? entry_value(e) : 0.0;
    }
    return SCRM_OK;
}
