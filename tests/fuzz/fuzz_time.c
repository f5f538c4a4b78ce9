/* Fuzz ISO-8601 parsing and the format/parse round trip. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scrm.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t t = 0;
    if (scrm_time_parse((const char *)data, size, &t) != SCRM_OK)
        return 0;
    char buf[32];
    if (scrm_time_format(t, buf, sizeof buf) == SCRM_OK) {
        int64_t back = 0;
        /* Formatting then parsing must give the same instant. */
        CHECK(scrm_time_parse(buf, strlen(buf), &back) == SCRM_OK && back == t);
    }
    int64_t s = 0;
    scrm_period_start(t, SCRM_PERIOD_WEEK, &s);
    return 0;
}
