/* The load transaction shared by CSV loading and array appends: options,
 * the report, rejections, and the rollback that makes a failed load add
 * nothing. Rollback is a truncation: rows are only ever appended. */
#include "data/data.h"

#include <stdio.h>
#include <string.h>

SCRM_API int scrm_dataset_load_options_init(scrm_dataset_load_options *opts, unsigned int version)
{
    SCRM__CHECK_NULL(opts);
    int rc = scrm__check_version(version, SCRM_DATASET_LOAD_OPTIONS_VERSION,
                                 "scrm_dataset_load_options");
    if (rc)
        return rc;
    scrm_dataset_load_options d = SCRM_DATASET_LOAD_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        /* Cut at a UTF-8 character boundary. */
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int scrm__load_begin(scrm__load *L, scrm_dataset *ds, int32_t table,
                     const scrm_dataset_load_options *opts, const char *name,
                     scrm_load_report *report, int bad_row_code, const char *fn)
{
    memset(L, 0, sizeof *L);
    L->report = report ? report : &L->own_report;
    memset(L->report, 0, sizeof *L->report);
    const scrm__table_def *def = scrm__table_def_get(table);
    L->report->table = def ? table : -1;
    int rc = SCRM_OK;
    if (!ds)
        rc = scrm__fail(SCRM_EINVAL, fn, "ds: NULL");
    else if (!def)
        rc = scrm__fail(SCRM_EINVAL, fn, "unknown table %d", (int)table);
    else if (opts && (rc = scrm__check_version(opts->version, SCRM_DATASET_LOAD_OPTIONS_VERSION,
                                                "scrm_dataset_load_options")) != SCRM_OK)
        ;
    else if (opts && opts->on_error != SCRM_ON_ERROR_FAIL && opts->on_error != SCRM_ON_ERROR_SKIP)
        rc = scrm__fail(SCRM_EINVAL, fn, "on_error %d is neither FAIL (0) nor SKIP (1)",
                        (int)opts->on_error);
    else if (opts && (opts->delimiter == '"' || opts->delimiter == '\r' ||
                      opts->delimiter == '\n'))
        rc = scrm__fail(SCRM_EINVAL, fn, "delimiter 0x%02x cannot separate fields",
                        (unsigned)(unsigned char)opts->delimiter);
    if (rc) {
        L->report->status = rc;
        return rc;
    }
    L->ds = ds;
    L->table = table;
    L->def = def;
    L->tab = &ds->tables[table];
    L->start_rows = L->tab->rows;
    L->on_error = opts ? opts->on_error : SCRM_ON_ERROR_FAIL;
    L->max_rows = opts && opts->max_rows ? opts->max_rows : SCRM__DEFAULT_MAX_ROWS;
    L->max_field = opts && opts->max_field_bytes ? opts->max_field_bytes : SCRM__DEFAULT_MAX_FIELD;
    L->delimiter = opts && opts->delimiter ? opts->delimiter : ',';
    L->bad_row_code = bad_row_code;
    L->name = name ? name : def->name;
    L->conv.ds = ds;
    L->conv.name = L->name;
    L->conv.why = L->why;
    L->conv.why_cap = sizeof L->why;
    return SCRM_OK;
}

int scrm__load_count_read(scrm__load *L, uint64_t row)
{
    if (L->report->rows_read >= L->max_rows)
        return scrm__fail(SCRM_ELIMIT, L->name, "row %llu: more than max_rows = %llu rows",
                          (unsigned long long)row, (unsigned long long)L->max_rows);
    L->report->rows_read++;
    return SCRM_OK;
}

int scrm__load_reject(scrm__load *L, uint64_t row, const char *column, const char *reason)
{
    scrm_load_report *r = L->report;
    r->rows_rejected++;
    if (r->n_rejections < SCRM_REPORT_MAX_REJECTIONS) {
        scrm_rejection *j = &r->rejections[r->n_rejections++];
        j->row = row;
        copy_text(j->column, sizeof j->column, column ? column : "");
        copy_text(j->reason, sizeof j->reason, reason);
    }
    if (L->on_error == SCRM_ON_ERROR_SKIP)
        return SCRM_OK;
    if (column)
        return scrm__fail(L->bad_row_code, L->name, "row %llu, column '%s': %s",
                          (unsigned long long)row, column, reason);
    return scrm__fail(L->bad_row_code, L->name, "row %llu: %s", (unsigned long long)row, reason);
}

int scrm__load_room(scrm__load *L)
{
    scrm__table *t = L->tab;
    if (t->rows < t->cap)
        return SCRM_OK;
    if (t->rows == SIZE_MAX)
        return scrm__fail(SCRM_ELIMIT, L->name, "table is full");
    return scrm__table_reserve(t, L->def, t->rows + 1);
}

int scrm__load_accept(scrm__load *L, const scrm__value *row)
{
    scrm__table *t = L->tab;
    int rc = scrm__load_room(L);
    if (rc)
        return rc;
    scrm__table_push(t, L->def, row);
    L->report->rows_accepted++;
    return SCRM_OK;
}

int scrm__load_end(scrm__load *L, int rc)
{
    if (rc != SCRM_OK) {
        scrm__table_truncate(L->tab, L->start_rows);
        L->report->rows_accepted = 0;
    }
    if (L->reserved)
        scrm__table_shrink(L->tab, L->def);
    L->report->status = rc;
    return rc;
}
