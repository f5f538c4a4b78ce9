/* CRV calculator state as a byte string (the library's one envelope, kind
 * SCRM__KIND_CRV): options, counters, then referrers in key order with their
 * compensated sums, so equal states give equal bytes. */
#include "core/bytes.h"
#include "clv/crv.h"

#include <math.h>

#define FORMAT_VERSION 1
#define ENTRY_BYTES (8 + CRV__NSUMS * 16)

SCRM_API int scrm_crv_serialize(const scrm_crv *crv, uint8_t *buf, size_t cap, size_t *out_len)
{
    static const char fn[] = "scrm_crv_serialize";
    if (!crv || !out_len)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, crv ? "out_len" : "crv");
    size_t *order;
    int st = scrm__crv_sorted(crv, &order, fn);
    if (st)
        return st;
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_CRV, FORMAT_VERSION);
    const scrm_crv_options *o = &crv->o;
    scrm__put_u32(&w, (uint32_t)o->period);
    scrm__put_u32(&w, o->horizon);
    scrm__put_f64(&w, o->discount_rate);
    scrm__put_f64(&w, o->share_anyway);
    scrm__put_u32(&w, (uint32_t)o->acquisition_source);
    scrm__put_f64(&w, o->acquisition_saving);
    scrm__put_f64(&w, o->retention_cost);
    scrm__put_u32(&w, (uint32_t)o->margin_source);
    scrm__put_f64(&w, o->margin_rate);
    scrm__put_i64(&w, o->observation_end);
    scrm__put_u64(&w, crv->referrals);
    scrm__put_u64(&w, crv->not_converted);
    scrm__put_u64(&w, crv->duplicates);
    scrm__put_u64(&w, crv->after_end);
    scrm__put_u64(&w, crv->n);
    for (size_t i = 0; i < crv->n; i++) {
        const scrm__crv_entry *e = &crv->e[order[i]];
        scrm__put_i64(&w, e->key);
        for (int k = 0; k < CRV__NSUMS; k++) {
            scrm__put_f64(&w, e->s[k].s);
            scrm__put_f64(&w, e->s[k].c);
        }
    }
    scrm__free(order);
    return scrm__envelope_end(&w, out_len, fn);
}

SCRM_API int scrm_crv_deserialize(scrm_crv **out, const uint8_t *buf, size_t len)
{
    static const char fn[] = "scrm_crv_deserialize";
    if (out)
        *out = NULL;
    if (!out || !buf)
        return scrm__error(SCRM_EINVAL, "%s: '%s' is NULL", fn, out ? "buf" : "out");
    scrm__reader r;
    uint16_t version;
    int st = scrm__envelope_open(&r, buf, len, SCRM__KIND_CRV, FORMAT_VERSION, &version, fn);
    if (st)
        return st;
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    o.period = (int32_t)scrm__get_u32(&r);
    o.horizon = scrm__get_u32(&r);
    o.discount_rate = scrm__get_f64(&r);
    o.share_anyway = scrm__get_f64(&r);
    o.acquisition_source = (int32_t)scrm__get_u32(&r);
    o.acquisition_saving = scrm__get_f64(&r);
    o.retention_cost = scrm__get_f64(&r);
    o.margin_source = (int32_t)scrm__get_u32(&r);
    o.margin_rate = scrm__get_f64(&r);
    o.observation_end = scrm__get_i64(&r);
    uint64_t counters[4];
    for (int k = 0; k < 4; k++)
        counters[k] = scrm__get_u64(&r);
    uint64_t n = scrm__get_u64(&r);
    if (r.failed || n > scrm__reader_left(&r) / ENTRY_BYTES)
        return scrm__error(SCRM_ECORRUPT, "%s: truncated or inconsistent header", fn);
    scrm_crv_options checked;
    if (scrm__crv_check_options(&o, &checked, fn) != SCRM_OK)
        return scrm__error(SCRM_ECORRUPT, "%s: invalid options in the byte string", fn);
    scrm_crv *c;
    if ((st = scrm__crv_create(&c, &checked, fn)))
        return st;
    if ((st = scrm__crv_reserve(c, (size_t)n, fn))) {
        scrm_crv_free(c);
        return st;
    }
    c->referrals = counters[0];
    c->not_converted = counters[1];
    c->duplicates = counters[2];
    c->after_end = counters[3];
    for (uint64_t i = 0; i < n; i++) {
        int64_t key = scrm__get_i64(&r);
        size_t before = c->n;
        scrm__crv_entry *e = scrm__crv_entry_get(c, key);
        int bad = c->n == before; /* a key seen twice */
        for (int k = 0; k < CRV__NSUMS; k++) {
            e->s[k].s = scrm__get_f64(&r);
            e->s[k].c = scrm__get_f64(&r);
            bad = bad || !isfinite(e->s[k].s) || !isfinite(e->s[k].c);
        }
        if (bad) {
            scrm_crv_free(c);
            return scrm__error(SCRM_ECORRUPT, "%s: referrer %llu: duplicate key or bad value", fn,
                               (unsigned long long)i);
        }
    }
    if ((st = scrm__reader_close(&r, fn))) {
        scrm_crv_free(c);
        return st;
    }
    *out = c;
    return SCRM_OK;
}
