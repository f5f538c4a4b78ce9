/* Serialized state of an NPS calculator (format version 1):
 *   u8 detractor_max | u8 promoter_min | u8 ci_method | f64 level | 11 x u64 counts
 * inside the libscrm envelope (src/core/bytes.h). */
#include "core/bytes.h"
#include "kpi/nps_internal.h"

#include <string.h>

#define NPS_FORMAT_VERSION 1

SCRM_API int scrm_nps_serialize(const scrm_nps *nps, uint8_t *buf, size_t cap, size_t *out_len)
{
    SCRM__CHECK_ARG(nps, "nps");
    SCRM__CHECK_ARG(out_len, "out_len");
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_NPS, NPS_FORMAT_VERSION);
    scrm__put_u8(&w, (uint8_t)nps->opts.detractor_max);
    scrm__put_u8(&w, (uint8_t)nps->opts.promoter_min);
    scrm__put_u8(&w, (uint8_t)nps->opts.ci_method);
    scrm__put_f64(&w, nps->opts.level);
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        scrm__put_u64(&w, nps->counts[s]);
    return scrm__envelope_end(&w, out_len, "scrm_nps_serialize");
}

SCRM_API int scrm_nps_deserialize(scrm_nps **out, const uint8_t *buf, size_t len)
{
    SCRM__CHECK_ARG(out, "out");
    *out = NULL;
    SCRM__CHECK_ARG(buf, "buf");
    scrm__reader r;
    uint16_t version;
    int rc = scrm__envelope_open(&r, buf, len, SCRM__KIND_NPS, NPS_FORMAT_VERSION, &version,
                                 "scrm_nps_deserialize");
    if (rc != SCRM_OK)
        return rc;
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    o.detractor_max = scrm__get_u8(&r);
    o.promoter_min = scrm__get_u8(&r);
    o.ci_method = scrm__get_u8(&r);
    o.level = scrm__get_f64(&r);
    uint64_t counts[SCRM_NPS_SCORES];
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        counts[s] = scrm__get_u64(&r);
    if ((rc = scrm__reader_close(&r, "scrm_nps_deserialize")) != SCRM_OK)
        return rc;
    if (scrm__nps_check_options(&o, "scrm_nps_deserialize") != SCRM_OK)
        return scrm__error(SCRM_ECORRUPT, "scrm_nps_deserialize: invalid options inside");
    uint64_t total[SCRM_NPS_SCORES] = { 0 };
    if (scrm__nps_counts_add(total, counts, "scrm_nps_deserialize") != SCRM_OK)
        return scrm__error(SCRM_ECORRUPT,
                           "scrm_nps_deserialize: counts add up to more than 2^64-1");
    scrm_nps *nps;
    if ((rc = scrm_nps_new(&nps, &o)) != SCRM_OK)
        return rc;
    memcpy(nps->counts, counts, sizeof counts);
    *out = nps;
    return SCRM_OK;
}
