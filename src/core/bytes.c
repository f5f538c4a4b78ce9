/* Envelope writer/reader; see bytes.h for the format. */
#include "core/bytes.h"

#include <string.h>

#define HEADER_BYTES 16 /* magic 4 + kind 2 + version 2 + length 8 */
#define TRAILER_BYTES 4

uint32_t scrm__crc32(const uint8_t *p, size_t n)
{
    /* Bitwise CRC-32 (IEEE 802.3, reflected). Serialized states are small, so
     * a table is not worth its static data. */
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void scrm__writer_init(scrm__writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->len = 0;
    w->payload_start = 0;
}

void scrm__put_bytes(scrm__writer *w, const void *p, size_t n)
{
    if (w->len <= w->cap && n <= w->cap - w->len && n > 0)
        memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void put_le(scrm__writer *w, uint64_t v, int bytes)
{
    uint8_t b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    scrm__put_bytes(w, b, (size_t)bytes);
}

void scrm__put_u8(scrm__writer *w, uint8_t v) { put_le(w, v, 1); }
void scrm__put_u16(scrm__writer *w, uint16_t v) { put_le(w, v, 2); }
void scrm__put_u32(scrm__writer *w, uint32_t v) { put_le(w, v, 4); }
void scrm__put_u64(scrm__writer *w, uint64_t v) { put_le(w, v, 8); }
void scrm__put_i64(scrm__writer *w, int64_t v) { put_le(w, (uint64_t)v, 8); }

void scrm__put_f64(scrm__writer *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_le(w, bits, 8);
}

void scrm__envelope_begin(scrm__writer *w, uint16_t kind, uint16_t version)
{
    scrm__put_bytes(w, "SCRM", 4);
    scrm__put_u16(w, kind);
    scrm__put_u16(w, version);
    scrm__put_u64(w, 0); /* payload length, patched by envelope_end */
    w->payload_start = w->len;
}

int scrm__envelope_end(scrm__writer *w, size_t *out_len, const char *what)
{
    size_t total = w->len + TRAILER_BYTES;
    if (out_len)
        *out_len = total;
    if (total > w->cap)
        return scrm__fail(SCRM_EBUFS, what, "buffer of %zu bytes too small, %zu needed", w->cap,
                          total);
    uint64_t payload = (uint64_t)(w->len - w->payload_start);
    for (int i = 0; i < 8; i++)
        w->buf[8 + i] = (uint8_t)(payload >> (8 * i));
    scrm__put_u32(w, scrm__crc32(w->buf, w->len));
    return SCRM_OK;
}

static uint64_t get_le(scrm__reader *r, int bytes)
{
    if (r->failed || r->len - r->pos < (size_t)bytes) {
        r->failed = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->buf[r->pos + (size_t)i] << (8 * i);
    r->pos += (size_t)bytes;
    return v;
}

int scrm__envelope_open(scrm__reader *r, const uint8_t *buf, size_t len, uint16_t kind,
                        uint16_t max_version, uint16_t *version, const char *what)
{
    if (!r || !buf || !version)
        return scrm__fail(SCRM_EINVAL, what, "NULL buffer");
    if (len < HEADER_BYTES + TRAILER_BYTES || memcmp(buf, "SCRM", 4) != 0)
        return scrm__fail(SCRM_ECORRUPT, what, "not a libscrm byte string (%zu bytes)", len);
    r->buf = buf;
    r->len = len - TRAILER_BYTES;
    r->pos = 4;
    r->failed = false;
    uint16_t k = (uint16_t)get_le(r, 2);
    uint16_t v = (uint16_t)get_le(r, 2);
    uint64_t payload = get_le(r, 8);
    if (payload != (uint64_t)(len - HEADER_BYTES - TRAILER_BYTES))
        return scrm__fail(SCRM_ECORRUPT, what,
                          "truncated or padded: header says %llu payload bytes, got %zu",
                          (unsigned long long)payload, len - HEADER_BYTES - TRAILER_BYTES);
    uint32_t crc = 0;
    for (int i = 0; i < 4; i++)
        crc |= (uint32_t)buf[len - TRAILER_BYTES + (size_t)i] << (8 * i);
    /* Fuzz builds skip the checksum so the fuzzer reaches the payload parsers
     * (the OSS-Fuzz convention); they still must never crash on any payload. */
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    if (crc != scrm__crc32(buf, len - TRAILER_BYTES))
#else
    if (crc != scrm__crc32(buf, len - TRAILER_BYTES) && crc != 0)
#endif
        return scrm__fail(SCRM_ECORRUPT, what, "checksum mismatch (corrupted bytes)");
    if (k != kind)
        return scrm__fail(SCRM_ECORRUPT, what, "byte string holds kind %u, expected %u",
                          (unsigned)k, (unsigned)kind);
    if (v == 0 || v > max_version)
        return scrm__fail(SCRM_EVERSION, what, "format version %u not supported (max %u)",
                          (unsigned)v, (unsigned)max_version);
    *version = v;
    return SCRM_OK;
}

uint8_t scrm__get_u8(scrm__reader *r) { return (uint8_t)get_le(r, 1); }
uint16_t scrm__get_u16(scrm__reader *r) { return (uint16_t)get_le(r, 2); }
uint32_t scrm__get_u32(scrm__reader *r) { return (uint32_t)get_le(r, 4); }
uint64_t scrm__get_u64(scrm__reader *r) { return get_le(r, 8); }
int64_t scrm__get_i64(scrm__reader *r) { return (int64_t)get_le(r, 8); }

double scrm__get_f64(scrm__reader *r)
{
    uint64_t bits = get_le(r, 8);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

void scrm__get_bytes(scrm__reader *r, void *p, size_t n)
{
    if (r->failed || r->len - r->pos < n) {
        r->failed = true;
        memset(p, 0, n);
        return;
    }
    memcpy(p, r->buf + r->pos, n);
    r->pos += n;
}

size_t scrm__reader_left(const scrm__reader *r)
{
    return r->failed ? 0 : r->len - r->pos;
}

int scrm__reader_close(scrm__reader *r, const char *what)
{
    if (r->failed)
        return scrm__fail(SCRM_ECORRUPT, what, "payload truncated");
    if (r->pos != r->len)
        return scrm__fail(SCRM_ECORRUPT, what, "%zu unexpected trailing payload bytes",
                          r->len - r->pos);
    return SCRM_OK;
}
