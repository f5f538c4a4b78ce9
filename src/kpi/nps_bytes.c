/* Serialized state of an NPS calculator, through the accumulator descriptor
 * (core/acc.h). Format version 1, inside the libscrm envelope:
 *   options: u8 detractor_max | u8 promoter_min | u8 ci_method | f64 level
 *   state:   11 x u64 counts */
#include "core/acc.h"
#include "kpi/nps_internal.h"

#include <string.h>

static void write_options(scrm__writer *w, const void *acc)
{
    const scrm_nps_options *o = &((const scrm_nps *)acc)->opts;
    scrm__put_u8(w, (uint8_t)o->detractor_max);
    scrm__put_u8(w, (uint8_t)o->promoter_min);
    scrm__put_u8(w, (uint8_t)o->ci_method);
    scrm__put_f64(w, o->level);
}

static void write_state(scrm__writer *w, const void *acc)
{
    const scrm_nps *nps = acc;
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        scrm__put_u64(w, nps->counts[s]);
}

static int read_options(scrm__reader *r, uint16_t format, void *opts, const char *fn)
{
    (void)format; /* only format 1 exists */
    scrm_nps_options *o = opts;
    o->detractor_max = scrm__get_u8(r);
    o->promoter_min = scrm__get_u8(r);
    o->ci_method = scrm__get_u8(r);
    o->level = scrm__get_f64(r);
    if (scrm__nps_check_options(o, fn) != SCRM_OK)
        return scrm__fail(SCRM_ECORRUPT, fn,
                          "options: invalid (detractor_max %d, promoter_min %d, level %g, "
                          "ci_method %d)",
                          (int)o->detractor_max, (int)o->promoter_min, o->level,
                          (int)o->ci_method);
    return SCRM_OK;
}

static int read_state(scrm__reader *r, uint16_t format, void *acc, const char *fn)
{
    (void)format;
    uint64_t counts[SCRM_NPS_SCORES], total[SCRM_NPS_SCORES] = { 0 };
    for (int s = 0; s < SCRM_NPS_SCORES; s++)
        counts[s] = scrm__get_u64(r);
    if (scrm__nps_counts_add(total, counts, fn) != SCRM_OK)
        return scrm__fail(SCRM_ECORRUPT, fn, "counts: add up to more than 2^64-1");
    memcpy(((scrm_nps *)acc)->counts, counts, sizeof counts);
    return SCRM_OK;
}

static int create(void **out, const void *opts)
{
    scrm_nps *nps = NULL;
    int rc = scrm_nps_new(&nps, opts);
    *out = nps;
    return rc;
}

static void destroy(void *acc)
{
    scrm_nps_free(acc);
}

static const scrm__acc_desc nps_desc = {
    .name = "nps",
    .kind = SCRM__KIND_NPS,
    .format = 1,
    .min_format = 1,
    .options_size = sizeof(scrm_nps_options),
    .options_version = SCRM_NPS_OPTIONS_VERSION,
    .write_options = write_options,
    .write_state = write_state,
    .read_options = read_options,
    .create = create,
    .read_state = read_state,
    .free = destroy,
};

SCRM_API int scrm_nps_serialize(const scrm_nps *nps, uint8_t *buf, size_t cap, size_t *out_len)
{
    return scrm__acc_serialize(&nps_desc, nps, buf, cap, out_len, __func__);
}

SCRM_API int scrm_nps_deserialize(scrm_nps **out, const uint8_t *buf, size_t len)
{
    SCRM__CHECK_NULL(out);
    void *acc = NULL;
    int rc = scrm__acc_deserialize(&nps_desc, &acc, buf, len, __func__);
    *out = acc;
    return rc;
}
