/* CSV text -> one table: header mapping and per-record conversion, fed a
 * window of bytes at a time by load.c (memory buffer or file chunks). */
#ifndef SCRM_CSVLOAD_H
#define SCRM_CSVLOAD_H

#include "data/csv.h"
#include "data/data.h"

typedef struct scrm__csvload {
    scrm__load *L;
    scrm__csv csv;
    scrm__csv_field *fields;
    int16_t *map; /* header field -> column, -1 = ignored */
    size_t nh;    /* header fields */
    size_t batch; /* records scanned before they are converted */
    size_t str_fields[SCRM__MAX_COLUMNS]; /* header fields of string columns */
    size_t n_str;
    struct {
        size_t field;  /* header field */
        int32_t col;   /* column it fills */
    } mapped[SCRM__MAX_COLUMNS];
    size_t n_mapped;
    int32_t absent[SCRM__MAX_COLUMNS]; /* columns not in the header */
    size_t n_absent;
    int started;  /* BOM checked */
    int header_done;
    char *scratch; /* unescaped field text */
    size_t scratch_cap;
    size_t max_record; /* longest record accepted, in bytes */
    uint64_t total_bytes; /* size of the whole input if known, else 0 */
    uint64_t window_base; /* offset of the window start in the input */
    uint64_t data_start;  /* offset of the first data record */
    uint64_t records;     /* data records scanned */
    int estimated;
} scrm__csvload;

int scrm__csvload_init(scrm__csvload *r, scrm__load *L, uint64_t total_bytes);
void scrm__csvload_free(scrm__csvload *r);

/* Consume every complete record of buf[*pos..len). Returns SCRM_OK with
 * *more = 1 when it stopped at an incomplete record (supply more bytes, keeping
 * buf[*pos..len)), *more = 0 at the end of input; or a failure status. */
int scrm__csvload_feed(scrm__csvload *r, const char *buf, size_t len, int eof, size_t *pos,
                       int *more);

#endif /* SCRM_CSVLOAD_H */
