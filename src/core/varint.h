/* Variable-length unsigned integers (LEB128: seven bits a byte, low first,
 * high bit = more follows) in the byte strings of core/bytes.h, and the
 * zigzag map that gives small signed integers short encodings. Encodings are
 * minimal, so equal values serialize to equal bytes. */
#ifndef SCRM_CORE_VARINT_H
#define SCRM_CORE_VARINT_H

#include "core/bytes.h"

#include <stdint.h>

void scrm__put_varint(scrm__writer *w, uint64_t v);
/* Sets r->failed (and returns 0) on a truncated, overlong (> 64 bits) or
 * non-minimal encoding. */
uint64_t scrm__get_varint(scrm__reader *r);

/* 0, -1, 1, -2, ... -> 0, 1, 2, 3, ... */
static inline uint64_t scrm__zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);
}

static inline int64_t scrm__unzigzag(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

#endif /* SCRM_CORE_VARINT_H */
