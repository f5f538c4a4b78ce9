/* Calendar period bucketing (UTC) for trends and ROI periods. */
#include "core/civil.h"
#include "core/internal.h"

static int check(int64_t t, int32_t period, const int64_t *out, const char *fn)
{
    if (!out)
        return scrm__error(SCRM_EINVAL, "%s: 'out' is NULL", fn);
    if (period < SCRM_PERIOD_DAY || period > SCRM_PERIOD_YEAR)
        return scrm__error(SCRM_EINVAL, "%s: unknown period %d", fn, (int)period);
    if (t < SCRM__TIME_MIN || t > SCRM__TIME_MAX)
        return scrm__error(SCRM_ERANGE, "%s: time %lld outside years 0001..9999", fn,
                           (long long)t);
    return SCRM_OK;
}

/* Start of the period as (day number), plus its calendar month index for
 * month-based periods. */
static int64_t month_index(int64_t y, int m) { return y * 12 + (m - 1); }

static int64_t start_of_month_index(int64_t mi)
{
    int64_t y = scrm__floor_div(mi, 12);
    int m = (int)(mi - y * 12) + 1;
    return scrm__days_from_civil(y, m, 1) * SCRM_SECONDS_PER_DAY;
}

static int64_t months_per(int32_t period)
{
    return period == SCRM_PERIOD_MONTH ? 1 : period == SCRM_PERIOD_QUARTER ? 3 : 12;
}

static int64_t period_step(int64_t t, int32_t period, int64_t k)
{
    int64_t day = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
    switch (period) {
    case SCRM_PERIOD_DAY:
        return (day + k) * SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_WEEK: {
        /* 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier. */
        int64_t week = scrm__floor_div(day + 3, 7);
        return ((week + k) * 7 - 3) * SCRM_SECONDS_PER_DAY;
    }
    default: {
        int64_t y;
        int m, d;
        scrm__civil_from_days(day, &y, &m, &d);
        int64_t per = months_per(period);
        int64_t mi = scrm__floor_div(month_index(y, m), per) * per;
        return start_of_month_index(mi + k * per);
    }
    }
}

SCRM_API int scrm_period_start(int64_t t, int32_t period, int64_t *out)
{
    int rc = check(t, period, out, "scrm_period_start");
    if (rc)
        return rc;
    *out = period_step(t, period, 0);
    return SCRM_OK;
}

SCRM_API int scrm_period_add(int64_t t, int32_t period, int64_t k, int64_t *out)
{
    int rc = check(t, period, out, "scrm_period_add");
    if (rc)
        return rc;
    /* Bound k first so the arithmetic cannot overflow: the range is < 3.7M days. */
    if (k > 4000000 || k < -4000000)
        return scrm__error(SCRM_ERANGE, "scrm_period_add: step %lld out of range", (long long)k);
    int64_t r = period_step(t, period, k);
    if (r < SCRM__TIME_MIN || r > SCRM__TIME_MAX)
        return scrm__error(SCRM_ERANGE, "scrm_period_add: result outside years 0001..9999");
    *out = r;
    return SCRM_OK;
}
