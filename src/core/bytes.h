/* Versioned, endian-independent byte strings for serialized state
 * (accumulators, fitted models). One mechanism for every module.
 *
 * Layout of an envelope (all integers little-endian):
 *   "SCRM" | u16 kind | u16 format version | u64 payload length | payload | u32 CRC-32
 * The CRC covers everything before it, so truncation and bit flips are detected
 * before any payload field is interpreted. */
#ifndef SCRM_BYTES_H
#define SCRM_BYTES_H

#include "core/internal.h"

#include <stdbool.h>
#include <stdint.h>

/* What a byte string holds. Values are part of the serialized format: append only. */
enum scrm__kind {
    SCRM__KIND_NPS = 1,
    SCRM__KIND_ENGAGEMENT = 2,
    SCRM__KIND_SERVICE = 3,
    SCRM__KIND_CLV_MODEL = 4,
    SCRM__KIND_RFM = 5,
    SCRM__KIND_CRV = 6,
    SCRM__KIND_ROI = 7,
    SCRM__KIND_HLL = 8,
    SCRM__KIND_HISTOGRAM = 9,
    SCRM__KIND_RFM_HIST = 10
};

/* Writer into a caller buffer of `cap` bytes (buf may be NULL with cap 0 to
 * measure). Writes past cap are counted but not stored, so one pass yields the
 * required size for SCRM_EBUFS. */
typedef struct scrm__writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    size_t payload_start;
} scrm__writer;

void scrm__writer_init(scrm__writer *w, uint8_t *buf, size_t cap);
void scrm__put_u8(scrm__writer *w, uint8_t v);
void scrm__put_u16(scrm__writer *w, uint16_t v);
void scrm__put_u32(scrm__writer *w, uint32_t v);
void scrm__put_u64(scrm__writer *w, uint64_t v);
void scrm__put_i64(scrm__writer *w, int64_t v);
void scrm__put_f64(scrm__writer *w, double v);
void scrm__put_bytes(scrm__writer *w, const void *p, size_t n);

/* Start an envelope (header), then put the payload, then finish: patches the
 * length, appends the CRC, sets *out_len to the total size and returns
 * SCRM_OK or SCRM_EBUFS (message names `what` and the size needed). */
void scrm__envelope_begin(scrm__writer *w, uint16_t kind, uint16_t version);
int scrm__envelope_end(scrm__writer *w, size_t *out_len, const char *what);

/* Reader. Any read past the end sets `failed` and yields zeros, so parsing code
 * can read a whole record and check once. */
typedef struct scrm__reader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    bool failed;
} scrm__reader;

/* Validate magic, kind, length and CRC of the envelope in buf[0..len) and
 * position the reader at the payload. *version receives the format version,
 * which must be in 1..max_version (else SCRM_EVERSION). Errors: SCRM_EINVAL
 * (NULL), SCRM_ECORRUPT (truncated, wrong kind, bad CRC). */
int scrm__envelope_open(scrm__reader *r, const uint8_t *buf, size_t len, uint16_t kind,
                        uint16_t max_version, uint16_t *version, const char *what);
uint8_t scrm__get_u8(scrm__reader *r);
uint16_t scrm__get_u16(scrm__reader *r);
uint32_t scrm__get_u32(scrm__reader *r);
uint64_t scrm__get_u64(scrm__reader *r);
int64_t scrm__get_i64(scrm__reader *r);
double scrm__get_f64(scrm__reader *r);
void scrm__get_bytes(scrm__reader *r, void *p, size_t n);
/* Bytes left in the payload. */
size_t scrm__reader_left(const scrm__reader *r);
/* SCRM_OK if nothing failed and the payload was consumed exactly, else SCRM_ECORRUPT. */
int scrm__reader_close(scrm__reader *r, const char *what);

uint32_t scrm__crc32(const uint8_t *p, size_t n);

#endif /* SCRM_BYTES_H */
