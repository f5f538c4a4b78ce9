/* Test helper: CDNOW_sample.txt as arrays (customer = sample id, time =
 * purchase day at 00:00 UTC, value = dollars). Shared by RFM tests and bench. */
#ifndef TEST_RFM_CDNOW_H
#define TEST_RFM_CDNOW_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/civil.h"

typedef struct cdnow_tx {
    size_t n;
    int64_t customer[8000];
    int64_t time[8000];
    double value[8000];
} cdnow_tx;

static inline int64_t day_time(int y, int m, int d)
{
    return scrm__days_from_civil(y, m, d) * 86400;
}

static inline FILE *shared_file(const char *rel)
{
    const char *root = getenv("SCRM_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root ? root : "../shared/data", rel);
    return fopen(path, "rb");
}

/* Returns 0 on success. */
static inline int cdnow_load(cdnow_tx *tx)
{
    FILE *f = shared_file("cdnow/CDNOW_sample.txt");
    if (!f)
        return -1;
    long master, id, date, cds;
    double dollars;
    tx->n = 0;
    while (tx->n < 8000 &&
           fscanf(f, "%ld %ld %ld %ld %lf", &master, &id, &date, &cds, &dollars) == 5) {
        tx->customer[tx->n] = id;
        tx->time[tx->n] = day_time((int)(date / 10000), (int)(date / 100 % 100), (int)(date % 100));
        tx->value[tx->n] = dollars;
        tx->n++;
    }
    fclose(f);
    return tx->n == 6919 ? 0 : -1;
}

#endif
