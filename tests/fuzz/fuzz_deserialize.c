/* Fuzz every deserializer of accumulator state and saved models: byte 0 picks
 * the kind, the rest is the byte string. A successful deserialize must also
 * survive serialize and finalize. Add one adapter per serializable handle. */
#include <stddef.h>
#include <stdint.h>

#include "scrm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void nps(const uint8_t *p, size_t n)
{
    scrm_nps *x = NULL;
    if (scrm_nps_deserialize(&x, p, n) != SCRM_OK)
        return;
    uint8_t buf[512];
    size_t len = 0;
    scrm_nps_serialize(x, buf, sizeof buf, &len);
    scrm_nps_result r;
    scrm_nps_finalize(x, &r);
    scrm_nps_free(x);
}

typedef void (*adapter)(const uint8_t *, size_t);

static const adapter adapters[] = {
    nps,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t k = data[0] % (sizeof adapters / sizeof adapters[0]);
    adapters[k](data + 1, size - 1);
    return 0;
}
