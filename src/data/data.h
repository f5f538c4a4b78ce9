/* Private dataset internals shared by the files of src/data: the table schema,
 * the column storage, the string dictionary and the load transaction. */
#ifndef SCRM_DATA_H
#define SCRM_DATA_H

#include "core/internal.h"
#include "data/intern.h"

#include <stdint.h>

/* The widest table (social) has 10 columns. */
#define SCRM__MAX_COLUMNS 10

/* Default limits (scrm_dataset_load_options fields set to 0). */
#define SCRM__DEFAULT_MAX_ROWS UINT64_C(100000000)
#define SCRM__DEFAULT_MAX_FIELD 65536u

/* Validation rules beyond the storage type. */
enum {
    SCRM__COL_NONNEG = 1,    /* f64 value must be >= 0 */
    SCRM__COL_SENTIMENT = 2, /* f64 in -1..1, or positive/neutral/negative */
    SCRM__COL_LOWER = 4      /* string is ASCII-lower-cased before interning */
};

typedef struct scrm__column_def {
    const char *name; /* CSV header name */
    int32_t type;     /* enum scrm_column_type */
    uint8_t required;
    uint8_t flags; /* SCRM__COL_* */
} scrm__column_def;

typedef struct scrm__table_def {
    const char *name; /* "transactions"; the file is name + ".csv" */
    const char *file;
    size_t n_columns;
    const scrm__column_def *columns;
} scrm__table_def;

/* NULL for an unknown table / column. */
const scrm__table_def *scrm__table_def_get(int32_t table);
const scrm__column_def *scrm__column_def_get(int32_t table, int32_t column);
size_t scrm__type_size(int32_t type);

/* One cell while a row is being validated, before it is stored. */
typedef union scrm__value {
    uint32_t s; /* SCRM_TYPE_STRING */
    int64_t t;  /* SCRM_TYPE_TIME */
    double f;   /* SCRM_TYPE_F64 */
    int8_t b;   /* SCRM_TYPE_BOOL */
} scrm__value;

/* Columnar storage: every column of a table has the same capacity. */
typedef struct scrm__table {
    size_t rows;
    size_t cap;
    void *cols[SCRM__MAX_COLUMNS];
} scrm__table;

struct scrm_dataset {
    scrm__table tables[SCRM_TABLE_COUNT];
    scrm__intern strings;
};

/* Grow every column to hold at least `rows` rows (geometric growth,
 * overflow-checked). SCRM_ENOMEM leaves the table usable and unchanged. */
int scrm__table_reserve(scrm__table *t, const scrm__table_def *def, size_t rows);
/* Append one validated row; capacity must have been reserved. */
void scrm__table_push(scrm__table *t, const scrm__table_def *def, const scrm__value *row);
/* Store one cell (capacity must have been reserved). */
static inline void scrm__table_set(scrm__table *t, int32_t col, int32_t type, size_t row,
                                   scrm__value v)
{
    switch (type) {
    case SCRM_TYPE_STRING: ((uint32_t *)t->cols[col])[row] = v.s; break;
    case SCRM_TYPE_TIME: ((int64_t *)t->cols[col])[row] = v.t; break;
    case SCRM_TYPE_F64: ((double *)t->cols[col])[row] = v.f; break;
    default: ((int8_t *)t->cols[col])[row] = v.b; break;
    }
}
/* Roll back to `rows` rows (values past it are forgotten). */
void scrm__table_truncate(scrm__table *t, size_t rows);
/* Give back capacity far beyond the row count (after a load). */
void scrm__table_shrink(scrm__table *t, const scrm__table_def *def);

/* ---- field conversion (field.c), shared by CSV and arrays ---- */

/* Outcome of converting one field: SCRM_OK, a row-level rejection
 * (SCRM__BAD_VALUE; `why` says why, naming the value) or a fatal code
 * (SCRM_ENOMEM, SCRM_ELIMIT) that ends the load. */
#define SCRM__BAD_VALUE 1

typedef struct scrm__conv {
    scrm_dataset *ds;
    const char *name; /* the load's name, for messages */
    char *why;        /* reason buffer */
    size_t why_cap;
} scrm__conv;

/* Missing value of a column's type. */
scrm__value scrm__missing_value(int32_t type);
/* Text exactly as in a CSV field (already unquoted). Empty = missing. */
int scrm__field_text(scrm__conv *c, const scrm__column_def *col, const char *s, size_t len,
                     scrm__value *out);
int scrm__field_f64(scrm__conv *c, const scrm__column_def *col, double v, scrm__value *out);
int scrm__field_i64(scrm__conv *c, const scrm__column_def *col, int64_t v, scrm__value *out);

/* Decimal number: [+-]digits[.digits][(e|E)[+-]digits], finite only.
 * Returns 0 and *out, or -1 (not a number) / -2 (out of range). */
int scrm__parse_f64(const char *s, size_t len, double *out);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int scrm__utf8_valid(const char *s, size_t len);

/* Write `"value"` into dst (truncated with "...", non-printable bytes as \xNN). */
void scrm__quote_value(char *dst, size_t cap, const char *s, size_t len);

/* ---- the load transaction (loader.c) ---- */

typedef struct scrm__load {
    scrm_dataset *ds;
    int32_t table;
    const scrm__table_def *def;
    scrm__table *tab;
    size_t start_rows; /* rows before the load: the rollback point */
    int32_t on_error;
    uint64_t max_rows;
    size_t max_field;
    char delimiter;
    int bad_row_code;   /* status a bad row fails the load with */
    int reserved;       /* capacity was reserved from an estimate: trim at the end */
    const char *name;   /* file or table name for messages */
    scrm_load_report *report;
    scrm_load_report own_report; /* used when the caller passes NULL */
    char why[160];
    scrm__conv conv;
} scrm__load;

/* Validate arguments and options, fill the report with zeros. */
int scrm__load_begin(scrm__load *L, scrm_dataset *ds, int32_t table,
                     const scrm_dataset_load_options *opts, const char *name,
                     scrm_load_report *report, int bad_row_code, const char *fn);
/* Count a row as read; SCRM_ELIMIT past max_rows. */
int scrm__load_count_read(scrm__load *L, uint64_t row);
/* Record a rejected row. In fail mode returns the load's bad-row code with the
 * last error set; in skip mode returns SCRM_OK. `column` may be NULL. */
int scrm__load_reject(scrm__load *L, uint64_t row, const char *column, const char *reason);
/* Store a validated row (grows the table). */
int scrm__load_accept(scrm__load *L, const scrm__value *row);
/* Make room for one more row (geometric growth). */
int scrm__load_room(scrm__load *L);
/* Finish: on error roll back and keep the error; always finalise the report. */
int scrm__load_end(scrm__load *L, int rc);

#endif /* SCRM_DATA_H */
