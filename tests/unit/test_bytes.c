/* The serialized-state envelope shared by every module. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "core/bytes.h"
#include "core/varint.h"

static size_t write_sample(uint8_t *buf, size_t cap, int *rc)
{
    scrm__writer w;
    scrm__writer_init(&w, buf, cap);
    scrm__envelope_begin(&w, SCRM__KIND_NPS, 1);
    scrm__put_u8(&w, 0xAB);
    scrm__put_u16(&w, 0xBEEF);
    scrm__put_u32(&w, 0xDEADBEEFu);
    scrm__put_u64(&w, 0x0123456789ABCDEFull);
    scrm__put_i64(&w, -42);
    scrm__put_f64(&w, -0.1);
    size_t len = 0;
    *rc = scrm__envelope_end(&w, &len, "sample");
    return len;
}

Test(bytes, crc32_known_value)
{
    /* The standard CRC-32 check value of "123456789". */
    cr_assert_eq(scrm__crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
}

Test(bytes, measure_then_write_round_trip)
{
    int rc;
    size_t need = write_sample(NULL, 0, &rc);
    cr_assert_eq(rc, SCRM_EBUFS);
    cr_assert_eq(need, 16 + 1 + 2 + 4 + 8 + 8 + 8 + 4);
    uint8_t buf[64];
    cr_assert_eq(write_sample(buf, need - 1, &rc), need);
    cr_assert_eq(rc, SCRM_EBUFS);
    cr_assert_eq(write_sample(buf, sizeof buf, &rc), need);
    cr_assert_eq(rc, SCRM_OK);
    /* Little-endian regardless of the host. */
    cr_assert_eq(memcmp(buf, "SCRM\x01\x00\x01\x00", 8), 0);

    scrm__reader r;
    uint16_t version = 0;
    cr_assert_eq(scrm__envelope_open(&r, buf, need, SCRM__KIND_NPS, 1, &version, "s"), SCRM_OK);
    cr_assert_eq(version, 1);
    cr_assert_eq(scrm__get_u8(&r), 0xAB);
    cr_assert_eq(scrm__get_u16(&r), 0xBEEF);
    cr_assert_eq(scrm__get_u32(&r), 0xDEADBEEFu);
    cr_assert_eq(scrm__get_u64(&r), 0x0123456789ABCDEFull);
    cr_assert_eq(scrm__get_i64(&r), -42);
    cr_assert_eq(scrm__get_f64(&r), -0.1);
    cr_assert_eq(scrm__reader_close(&r, "s"), SCRM_OK);
}

Test(bytes, every_truncation_and_bit_flip_is_rejected)
{
    uint8_t buf[64];
    int rc;
    size_t len = write_sample(buf, sizeof buf, &rc);
    cr_assert_eq(rc, SCRM_OK);
    scrm__reader r;
    uint16_t v;
    for (size_t n = 0; n < len; n++)
        cr_assert_eq(scrm__envelope_open(&r, buf, n, SCRM__KIND_NPS, 1, &v, "s"), SCRM_ECORRUPT,
                     "truncation to %zu bytes accepted", n);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            int st = scrm__envelope_open(&r, buf, len, SCRM__KIND_NPS, 1, &v, "s");
            cr_assert(st == SCRM_ECORRUPT || st == SCRM_EVERSION, "flip %zu:%d gave %d", i, bit, st);
            buf[i] ^= (uint8_t)(1u << bit);
        }
    }
}

Test(bytes, wrong_kind_and_future_version)
{
    uint8_t buf[64];
    int rc;
    size_t len = write_sample(buf, sizeof buf, &rc);
    scrm__reader r;
    uint16_t v;
    cr_assert_eq(scrm__envelope_open(&r, buf, len, SCRM__KIND_SERVICE, 1, &v, "s"), SCRM_ECORRUPT);
    cr_assert_eq(scrm__envelope_open(&r, buf, len, SCRM__KIND_NPS, 0, &v, "s"), SCRM_EVERSION);
    cr_assert_eq(scrm__envelope_open(&r, NULL, len, SCRM__KIND_NPS, 1, &v, "s"), SCRM_EINVAL);
}

Test(bytes, reads_past_payload_fail_once)
{
    uint8_t buf[64];
    int rc;
    size_t len = write_sample(buf, sizeof buf, &rc);
    scrm__reader r;
    uint16_t v;
    cr_assert_eq(scrm__envelope_open(&r, buf, len, SCRM__KIND_NPS, 1, &v, "s"), SCRM_OK);
    uint8_t tmp[64];
    scrm__get_bytes(&r, tmp, 40);
    cr_assert(r.failed);
    cr_assert_eq(scrm__get_u64(&r), 0);
    cr_assert_eq(scrm__reader_close(&r, "s"), SCRM_ECORRUPT);
    /* Not consuming everything is also corrupt. */
    cr_assert_eq(scrm__envelope_open(&r, buf, len, SCRM__KIND_NPS, 1, &v, "s"), SCRM_OK);
    (void)scrm__get_u8(&r);
    cr_assert_eq(scrm__reader_close(&r, "s"), SCRM_ECORRUPT);
}

Test(bytes, varint_round_trip)
{
    const uint64_t v[] = {0, 1, 127, 128, 300, 16383, 16384, UINT32_MAX, UINT64_MAX - 1, UINT64_MAX};
    const size_t bytes[] = {1, 1, 1, 2, 2, 2, 3, 5, 10, 10};
    uint8_t buf[256];
    scrm__writer w;
    scrm__writer_init(&w, buf, sizeof buf);
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        size_t before = w.len;
        scrm__put_varint(&w, v[i]);
        cr_assert_eq(w.len - before, bytes[i], "value %llu", (unsigned long long)v[i]);
    }
    scrm__reader r = {buf, w.len, 0, false};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        cr_assert_eq(scrm__get_varint(&r), v[i]);
    cr_assert(!r.failed);
    cr_assert_eq(r.pos, w.len);
}

static bool varint_fails(const uint8_t *p, size_t n)
{
    scrm__reader r = {p, n, 0, false};
    uint64_t v = scrm__get_varint(&r);
    return r.failed && v == 0;
}

Test(bytes, varint_refuses_truncated_overlong_and_non_minimal)
{
    const uint8_t truncated[] = {0x80};
    const uint8_t non_minimal[] = {0x80, 0x00};
    const uint8_t over64[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    const uint8_t eleven[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00};
    cr_assert(varint_fails(truncated, sizeof truncated));
    cr_assert(varint_fails(non_minimal, sizeof non_minimal));
    cr_assert(varint_fails(over64, sizeof over64));
    cr_assert(varint_fails(eleven, sizeof eleven));
    const uint8_t zero[] = {0x00};
    cr_assert_not(varint_fails(zero, sizeof zero));
}

Test(bytes, zigzag_maps_small_magnitudes_to_small_codes)
{
    const int64_t v[] = {0, -1, 1, -2, 2, INT64_MAX, INT64_MIN};
    const uint64_t z[] = {0, 1, 2, 3, 4, UINT64_MAX - 1, UINT64_MAX};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        cr_assert_eq(scrm__zigzag(v[i]), z[i]);
        cr_assert_eq(scrm__unzigzag(z[i]), v[i]);
    }
}
