/* Calendar period bucketing (UTC) for trends and ROI periods. */
#include "core/civil.h"
#include "core/internal.h"
#include "core/period.h"

static int check(int64_t t, int32_t period, const int64_t *out, const char *fn)
{
    if (!out)
        return scrm__fail(SCRM_EINVAL, fn, "out: NULL");
    if (period < SCRM_PERIOD_DAY || period > SCRM_PERIOD_YEAR)
        return scrm__fail(SCRM_EINVAL, fn, "unknown period %d", (int)period);
    if (t < SCRM__TIME_MIN || t > SCRM__TIME_MAX)
        return scrm__fail(SCRM_ERANGE, fn, "time %lld outside years 0001..9999", (long long)t);
    return SCRM_OK;
}

int64_t scrm__period_index(int64_t t, int32_t period)
{
    int64_t day = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
    switch (period) {
    case SCRM_PERIOD_DAY:
        return day;
    case SCRM_PERIOD_WEEK:
        /* 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier. */
        return scrm__floor_div(day + 3, 7);
    case SCRM_PERIOD_MONTH:
        return scrm__month_index_of_day(day);
    case SCRM_PERIOD_QUARTER:
        return scrm__floor_div(scrm__month_index_of_day(day), 3);
    default:
        return scrm__floor_div(scrm__month_index_of_day(day), 12);
    }
}

int64_t scrm__period_index_start(int64_t b, int32_t period)
{
    switch (period) {
    case SCRM_PERIOD_DAY:
        return b * SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_WEEK:
        return (b * 7 - 3) * SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_MONTH:
        return scrm__month_start_day(b) * SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_QUARTER:
        return scrm__month_start_day(b * 3) * SCRM_SECONDS_PER_DAY;
    default:
        return scrm__month_start_day(b * 12) * SCRM_SECONDS_PER_DAY;
    }
}

SCRM_API int scrm_period_start(int64_t t, int32_t period, int64_t *out)
{
    int rc = check(t, period, out, "scrm_period_start");
    if (rc)
        return rc;
    *out = scrm__period_index_start(scrm__period_index(t, period), period);
    return SCRM_OK;
}

SCRM_API int scrm_period_add(int64_t t, int32_t period, int64_t k, int64_t *out)
{
    int rc = check(t, period, out, "scrm_period_add");
    if (rc)
        return rc;
    /* Bound k first so the arithmetic cannot overflow: the range is < 3.7M days. */
    if (k > 4000000 || k < -4000000)
        return SCRM__FAIL(SCRM_ERANGE, "step %lld out of range", (long long)k);
    int64_t r = scrm__period_index_start(scrm__period_index(t, period) + k, period);
    if (r < SCRM__TIME_MIN || r > SCRM__TIME_MAX)
        return SCRM__FAIL(SCRM_ERANGE, "result outside years 0001..9999");
    *out = r;
    return SCRM_OK;
}
