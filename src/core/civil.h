/* Proleptic Gregorian calendar <-> day numbers (days since 1970-01-01), after
 * Howard Hinnant's "chrono-compatible low-level date algorithms". Shared by
 * time parsing/formatting and period bucketing. */
#ifndef SCRM_CIVIL_H
#define SCRM_CIVIL_H

#include <stdint.h>

/* Valid time range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
#define SCRM__TIME_MIN INT64_C(-62135596800)
#define SCRM__TIME_MAX INT64_C(253402300799)

static inline int64_t scrm__days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static inline void scrm__civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Floor division for negative times. */
static inline int64_t scrm__floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Months since year 0 (y * 12 + m - 1) of day number `day`. */
static inline int64_t scrm__month_index_of_day(int64_t day)
{
    int64_t y;
    int m, d;
    scrm__civil_from_days(day, &y, &m, &d);
    return y * 12 + (m - 1);
}

/* Day number of the first day of month index mi. */
static inline int64_t scrm__month_start_day(int64_t mi)
{
    int64_t y = scrm__floor_div(mi, 12);
    return scrm__days_from_civil(y, (int)(mi - y * 12) + 1, 1);
}

#endif /* SCRM_CIVIL_H */
