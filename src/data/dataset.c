/* The dataset handle: lifetime and read access to columns and strings. */
#include "data/data.h"

#include <string.h>

SCRM_API int scrm_dataset_new(scrm_dataset **out)
{
    SCRM__CHECK_NULL(out);
    *out = NULL;
    scrm_dataset *ds = scrm__calloc(1, sizeof *ds);
    if (!ds)
        return SCRM__FAIL(SCRM_ENOMEM, "out of memory");
    int rc = scrm__intern_init(&ds->strings);
    if (rc) {
        scrm__free(ds);
        return rc;
    }
    *out = ds;
    return SCRM_OK;
}

SCRM_API void scrm_dataset_free(scrm_dataset *ds)
{
    if (!ds)
        return;
    for (int t = 0; t < SCRM_TABLE_COUNT; t++)
        for (int c = 0; c < SCRM__MAX_COLUMNS; c++)
            scrm__free(ds->tables[t].cols[c]);
    scrm__intern_free(&ds->strings);
    scrm__free(ds);
}

SCRM_API int scrm_dataset_rows(const scrm_dataset *ds, int32_t table, size_t *out)
{
    if (!ds || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", ds ? "out" : "ds");
    if (!scrm__table_def_get(table))
        return SCRM__FAIL(SCRM_EINVAL, "unknown table %d", (int)table);
    *out = ds->tables[table].rows;
    return SCRM_OK;
}

SCRM_API int scrm_dataset_column(const scrm_dataset *ds, int32_t table, int32_t column,
                                 const void **values, size_t *n)
{
    if (!ds || !values)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", ds ? "values" : "ds");
    if (!scrm__table_def_get(table))
        return SCRM__FAIL(SCRM_EINVAL, "unknown table %d", (int)table);
    if (!scrm__column_def_get(table, column))
        return SCRM__FAIL(SCRM_EINVAL, "table '%s' has no column %d",
                          scrm__table_def_get(table)->name, (int)column);
    const scrm__table *t = &ds->tables[table];
    *values = t->rows ? t->cols[column] : NULL;
    if (n)
        *n = t->rows;
    return SCRM_OK;
}

SCRM_API int scrm_dataset_string(const scrm_dataset *ds, uint32_t id, const char **out,
                                 size_t *len)
{
    if (!ds || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", ds ? "out" : "ds");
    if (id >= ds->strings.count)
        return SCRM__FAIL(SCRM_EINVAL, "unknown string id %u (%zu interned)", (unsigned)id,
                          ds->strings.count);
    *out = ds->strings.entries[id].str;
    if (len)
        *len = ds->strings.entries[id].len;
    return SCRM_OK;
}

SCRM_API int scrm_dataset_string_id(const scrm_dataset *ds, const char *str, size_t len,
                                    uint32_t *out)
{
    if (!ds || !str || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", !ds ? "ds" : !str ? "str" : "out");
    if (!scrm__intern_find(&ds->strings, str, len, out)) {
        char val[72];
        scrm__quote_value(val, sizeof val, str, len);
        return SCRM__FAIL(SCRM_ENOTFOUND, "%s does not occur", val);
    }
    return SCRM_OK;
}

SCRM_API int scrm_dataset_string_count(const scrm_dataset *ds, size_t *out)
{
    if (!ds || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", ds ? "out" : "ds");
    *out = ds->strings.count;
    return SCRM_OK;
}
