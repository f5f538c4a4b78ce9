/* Durations for the RFM summary on the UTC calendar (periods: core/period.h). */
#include "clv/rfm.h"

#include "core/civil.h"

/* Position of t on a continuous month axis: month index plus the elapsed
 * share of that month, so whole calendar months come out as integers. The
 * index and the share are kept apart so differences stay exact. */
static int64_t month_position(int64_t t, double *share)
{
    int64_t day = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
    int64_t mi = scrm__month_index_of_day(day);
    int64_t start = scrm__month_start_day(mi) * SCRM_SECONDS_PER_DAY;
    int64_t len = scrm__month_start_day(mi + 1) * SCRM_SECONDS_PER_DAY - start;
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
