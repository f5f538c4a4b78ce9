/* Calendar periods (UTC) as consecutive integers, the one bucketing rule for
 * trends, ROI periods and RFM summaries: days since 1970-01-01, Monday-based
 * weeks, month indices (y * 12 + m - 1), quarters and years. */
#ifndef SCRM_CORE_PERIOD_H
#define SCRM_CORE_PERIOD_H

#include <stdint.h>

/* Index of the period of kind `period` (SCRM_PERIOD_DAY .. SCRM_PERIOD_YEAR)
 * containing time t (seconds since the epoch, within SCRM__TIME_MIN..MAX);
 * consecutive periods have consecutive indices. */
int64_t scrm__period_index(int64_t t, int32_t period);
/* First second of the period with index b. */
int64_t scrm__period_index_start(int64_t b, int32_t period);

#endif /* SCRM_CORE_PERIOD_H */
