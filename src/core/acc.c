/* The accumulator descriptor's two paths (core/acc.h). */
#include "core/acc.h"

#include <string.h>

int scrm__acc_serialize(const scrm__acc_desc *d, const void *acc, uint8_t *buf, size_t cap,
                        size_t *out_len, const char *fn)
{
    if (!acc)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", d->name);
    if (!out_len)
        return scrm__fail(SCRM_EINVAL, fn, "out_len: NULL");
    if (!buf && cap)
        return scrm__fail(SCRM_EINVAL, fn, "buf: NULL with cap %zu", cap);
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, d->kind, d->format);
    d->write_options(&w, acc);
    d->write_state(&w, acc);
    return scrm__envelope_end(&w, out_len, fn);
}

/* Options structs are small (a version field and a few scalars); a fixed,
 * suitably aligned buffer keeps deserialization free of an extra allocation. */
typedef union acc_options_buf {
    max_align_t align;
    unsigned char bytes[512];
} acc_options_buf;

int scrm__acc_deserialize(const scrm__acc_desc *d, void **out, const uint8_t *buf, size_t len,
                          const char *fn)
{
    if (!out)
        return scrm__fail(SCRM_EINVAL, fn, "out: NULL");
    *out = NULL;
    if (!buf)
        return scrm__fail(SCRM_EINVAL, fn, "buf: NULL");
    scrm__reader r;
    uint16_t format;
    int rc = scrm__envelope_open(&r, buf, len, d->kind, d->format, &format, fn);
    if (rc != SCRM_OK)
        return rc;
    if (format < d->min_format)
        return scrm__fail(SCRM_EVERSION, fn,
                          "format version %u is no longer read (this library reads %u..%u)",
                          (unsigned)format, (unsigned)d->min_format, (unsigned)d->format);
    acc_options_buf opts;
    if (d->options_size > sizeof opts.bytes || d->options_size < sizeof(unsigned int))
        return scrm__fail(SCRM_EINVAL, fn, "%s: options of %zu bytes (internal limit %zu)",
                          d->name, d->options_size, sizeof opts.bytes);
    memset(&opts, 0, sizeof opts);
    memcpy(opts.bytes, &d->options_version, sizeof d->options_version);
    if ((rc = d->read_options(&r, format, opts.bytes, fn)) != SCRM_OK)
        return rc;
    void *acc = NULL;
    if ((rc = d->create(&acc, opts.bytes)) != SCRM_OK)
        return rc;
    if ((rc = d->read_state(&r, format, acc, fn)) != SCRM_OK ||
        (rc = scrm__reader_close(&r, fn)) != SCRM_OK) {
        d->free(acc);
        return rc;
    }
    *out = acc;
    return SCRM_OK;
}
