/* Shared by the libFuzzer targets: the entry point's prototype, the check
 * that turns a broken promise into a crash the fuzzer reports, and a reader
 * that takes typed values off the input (zero-filled past its end, so every
 * input is a complete program). Header-only. */
#ifndef SCRM_FUZZ_UTIL_H
#define SCRM_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond))                                                                           \
            __builtin_trap();                                                                  \
    } while (0)

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

/* Copy `len` bytes into dst, zero-filled past the end of the input. */
static inline void take(input *in, void *dst, size_t len)
{
    size_t k = in->n < len ? in->n : len;
    memcpy(dst, in->p, k);
    memset((uint8_t *)dst + k, 0, len - k);
    in->p += k;
    in->n -= k;
}

static inline uint8_t u8(input *in)
{
    uint8_t b = 0;
    take(in, &b, 1);
    return b;
}

#endif
