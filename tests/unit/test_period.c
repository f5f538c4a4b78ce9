/* Calendar period bucketing. Reference times computed with Python's datetime. */
#include <criterion/criterion.h>

#include "scrm.h"

/* 2024-02-29T13:45:00Z, a Thursday in a leap year. */
#define LEAP_THU INT64_C(1709214300)

Test(period, start_of_each_kind)
{
    int64_t s = 0;
    cr_assert_eq(scrm_period_start(LEAP_THU, SCRM_PERIOD_DAY, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1709164800)); /* 2024-02-29 */
    cr_assert_eq(scrm_period_start(LEAP_THU, SCRM_PERIOD_WEEK, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1708905600)); /* Monday 2024-02-26 */
    cr_assert_eq(scrm_period_start(LEAP_THU, SCRM_PERIOD_MONTH, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1706745600)); /* 2024-02-01 */
    cr_assert_eq(scrm_period_start(LEAP_THU, SCRM_PERIOD_QUARTER, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1704067200)); /* 2024-01-01 */
    cr_assert_eq(scrm_period_start(LEAP_THU, SCRM_PERIOD_YEAR, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1704067200));
}

Test(period, negative_times_floor_correctly)
{
    int64_t s = 0;
    /* 1969-12-31T23:59:59Z belongs to 1969-12-31, week of Monday 1969-12-29. */
    cr_assert_eq(scrm_period_start(-1, SCRM_PERIOD_DAY, &s), SCRM_OK);
    cr_assert_eq(s, -86400);
    cr_assert_eq(scrm_period_start(-1, SCRM_PERIOD_WEEK, &s), SCRM_OK);
    cr_assert_eq(s, -3 * 86400);
    cr_assert_eq(scrm_period_start(-1, SCRM_PERIOD_QUARTER, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(-7948800)); /* 1969-10-01 */
}

Test(period, add_steps_calendar_units)
{
    int64_t s = 0;
    cr_assert_eq(scrm_period_add(LEAP_THU, SCRM_PERIOD_MONTH, 1, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1709251200)); /* 2024-03-01 */
    cr_assert_eq(scrm_period_add(LEAP_THU, SCRM_PERIOD_MONTH, -2, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1701388800)); /* 2023-12-01 */
    cr_assert_eq(scrm_period_add(LEAP_THU, SCRM_PERIOD_QUARTER, 3, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1727740800)); /* 2024-10-01 */
    cr_assert_eq(scrm_period_add(LEAP_THU, SCRM_PERIOD_YEAR, 1, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1735689600)); /* 2025-01-01 */
    cr_assert_eq(scrm_period_add(LEAP_THU, SCRM_PERIOD_WEEK, 1, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1709510400)); /* 2024-03-04 */
    cr_assert_eq(scrm_period_add(LEAP_THU, SCRM_PERIOD_DAY, 0, &s), SCRM_OK);
    cr_assert_eq(s, INT64_C(1709164800));
}

Test(period, every_day_of_four_centuries_lands_in_its_month)
{
    /* Property: a month start is <= t < next month start, and is a day boundary. */
    for (int64_t t = INT64_C(-2208988800); t < INT64_C(10413792000); t += 86400 * 7 + 3601) {
        int64_t a, b;
        cr_assert_eq(scrm_period_start(t, SCRM_PERIOD_MONTH, &a), SCRM_OK);
        cr_assert_eq(scrm_period_add(t, SCRM_PERIOD_MONTH, 1, &b), SCRM_OK);
        cr_assert(a <= t && t < b, "t=%lld", (long long)t);
        cr_assert(b - a >= 28 * 86400 && b - a <= 31 * 86400);
        cr_assert_eq(a % 86400, 0);
    }
}

Test(period, bad_input)
{
    int64_t s;
    cr_assert_eq(scrm_period_start(0, 0, &s), SCRM_EINVAL);
    cr_assert_eq(scrm_period_start(0, 6, &s), SCRM_EINVAL);
    cr_assert_eq(scrm_period_start(0, SCRM_PERIOD_DAY, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_period_start(INT64_MAX, SCRM_PERIOD_DAY, &s), SCRM_ERANGE);
    cr_assert_eq(scrm_period_start(SCRM_TIME_NONE, SCRM_PERIOD_DAY, &s), SCRM_ERANGE);
    cr_assert_eq(scrm_period_add(0, SCRM_PERIOD_YEAR, 100000, &s), SCRM_ERANGE);
    cr_assert_eq(scrm_period_add(0, SCRM_PERIOD_MONTH, INT64_MAX, &s), SCRM_ERANGE);
    cr_assert(scrm_last_error_message()[0] != '\0');
}
