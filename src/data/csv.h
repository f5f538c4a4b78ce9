/* RFC 4180 record scanner. It splits one record at a time out of a window of
 * bytes and says when it needs more bytes, so the same code serves memory
 * buffers (one window) and files read in chunks. */
#ifndef SCRM_CSV_H
#define SCRM_CSV_H

#include <stddef.h>
#include <stdint.h>

typedef struct scrm__csv_field {
    size_t off;  /* start of the content (inside the quotes), from the window start */
    size_t len;  /* raw content length (doubled quotes still doubled) */
    int escaped; /* content holds doubled quotes to undo */
} scrm__csv_field;

enum {
    SCRM__REC_OK = 0,  /* a record: fields[0..min(nfields, cap)) */
    SCRM__REC_MORE,    /* incomplete record at the window end: supply more bytes */
    SCRM__REC_END,     /* no more records */
    SCRM__REC_BAD      /* malformed record (err); skipped up to the next line */
};

typedef struct scrm__csv {
    uint8_t special[256]; /* bytes that end an unquoted run */
    char delimiter;
    scrm__csv_field *fields;
    size_t cap;      /* entries in fields */
    size_t nfields;  /* fields in the record (may exceed cap: not stored) */
    uint64_t line;   /* 1-based line of the next byte to scan */
    uint64_t rec_line; /* line where the last record started */
    const char *err; /* reason for SCRM__REC_BAD */
} scrm__csv;

void scrm__csv_init(scrm__csv *c, char delimiter, scrm__csv_field *fields, size_t cap);

/* Scan the record at *pos in buf[0..len). eof says no bytes follow the window.
 * On OK/BAD *pos moves past the record; on MORE it stays at the record start. */
int scrm__csv_record(scrm__csv *c, const char *buf, size_t len, int eof, size_t *pos);

#endif /* SCRM_CSV_H */
