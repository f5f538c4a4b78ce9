/* LEB128 varints; see varint.h. */
#include "core/varint.h"

void scrm__put_varint(scrm__writer *w, uint64_t v)
{
    while (v >= 0x80) {
        scrm__put_u8(w, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    scrm__put_u8(w, (uint8_t)v);
}

uint64_t scrm__get_varint(scrm__reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        uint8_t b = scrm__get_u8(r);
        if (r->failed)
            return 0;
        if (shift == 63 && b > 1)
            break; /* more than 64 bits */
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            if (b == 0 && shift > 0)
                break; /* non-minimal encoding: not canonical */
            return v;
        }
    }
    r->failed = true;
    return 0;
}
