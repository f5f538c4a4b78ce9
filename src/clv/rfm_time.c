/* Period buckets and durations for the RFM summary (UTC calendar). */
#include "clv/rfm.h"

#include "core/civil.h"

static int64_t month_index_of_day(int64_t day)
{
    int64_t y;
    int m, d;
    scrm__civil_from_days(day, &y, &m, &d);
    return y * 12 + (m - 1);
}

static int64_t month_start_day(int64_t mi)
{
    int64_t y = scrm__floor_div(mi, 12);
    return scrm__days_from_civil(y, (int)(mi - y * 12) + 1, 1);
}

int64_t scrm__rfm_bucket(int64_t t, int32_t period)
{
    int64_t day = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
    switch (period) {
    case SCRM_PERIOD_DAY:
        return day;
    case SCRM_PERIOD_WEEK:
        /* 1970-01-01 was a Thursday; ISO weeks start on Monday, 3 days earlier. */
        return scrm__floor_div(day + 3, 7);
    case SCRM_PERIOD_MONTH:
        return month_index_of_day(day);
    case SCRM_PERIOD_QUARTER:
        return scrm__floor_div(month_index_of_day(day), 3);
    default:
        return scrm__floor_div(month_index_of_day(day), 12);
    }
}

int64_t scrm__rfm_bucket_start(int64_t b, int32_t period)
{
    switch (period) {
    case SCRM_PERIOD_DAY:
        return b * SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_WEEK:
        return (b * 7 - 3) * SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_MONTH:
        return month_start_day(b) * SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_QUARTER:
        return month_start_day(b * 3) * SCRM_SECONDS_PER_DAY;
    default:
        return month_start_day(b * 12) * SCRM_SECONDS_PER_DAY;
    }
}

/* Position of t on a continuous month axis: month index plus the elapsed
 * share of that month, so whole calendar months come out as integers. The
 * index and the share are kept apart so differences stay exact. */
static int64_t month_position(int64_t t, double *share)
{
    int64_t day = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
    int64_t mi = month_index_of_day(day);
    int64_t start = month_start_day(mi) * SCRM_SECONDS_PER_DAY;
    int64_t len = month_start_day(mi + 1) * SCRM_SECONDS_PER_DAY - start;
    *share = (double)(t - start) / (double)len;
    return mi;
}

double scrm__rfm_span(int64_t a, int64_t b, int32_t unit)
{
    switch (unit) {
    case SCRM_PERIOD_DAY:
        return (double)(b - a) / SCRM_SECONDS_PER_DAY;
    case SCRM_PERIOD_WEEK:
        return (double)(b - a) / (7.0 * SCRM_SECONDS_PER_DAY);
    default: {
        if (a == b)
            return 0.0;
        double sa, sb;
        int64_t ma = month_position(a, &sa), mb = month_position(b, &sb);
        double months = (double)(mb - ma) + (sb - sa);
        return unit == SCRM_PERIOD_MONTH ? months
               : unit == SCRM_PERIOD_QUARTER ? months / 3.0
                                             : months / 12.0;
    }
    }
}
