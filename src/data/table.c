/* Columnar table storage: growth, appending validated rows, rollback. */
#include "data/data.h"

#include <string.h>

int scrm__table_reserve(scrm__table *t, const scrm__table_def *def, size_t rows)
{
    if (rows <= t->cap)
        return SCRM_OK;
    /* Grow by half again: amortised O(1) appends, and at most 1.5x the rows
     * in memory (pages past the row count are untouched). */
    size_t cap = t->cap < 64 ? 64 : t->cap;
    while (cap < rows)
        cap = cap > SIZE_MAX / 3 * 2 ? rows : cap + cap / 2;
    for (size_t c = 0; c < def->n_columns; c++) {
        size_t bytes;
        if (scrm__mul_size(cap, scrm__type_size(def->columns[c].type), &bytes))
            return scrm__fail(SCRM_ENOMEM, def->name, "%zu rows do not fit in memory", cap);
        void *p = scrm__realloc(t->cols[c], bytes);
        if (!p)
            return scrm__fail(SCRM_ENOMEM, def->name, "out of memory growing to %zu rows", cap);
        t->cols[c] = p; /* columns already grown keep their room; cap stays safe */
    }
    t->cap = cap;
    return SCRM_OK;
}

void scrm__table_push(scrm__table *t, const scrm__table_def *def, const scrm__value *row)
{
    size_t r = t->rows;
    for (size_t c = 0; c < def->n_columns; c++) {
        switch (def->columns[c].type) {
        case SCRM_TYPE_STRING: ((uint32_t *)t->cols[c])[r] = row[c].s; break;
        case SCRM_TYPE_TIME: ((int64_t *)t->cols[c])[r] = row[c].t; break;
        case SCRM_TYPE_F64: ((double *)t->cols[c])[r] = row[c].f; break;
        default: ((int8_t *)t->cols[c])[r] = row[c].b; break;
        }
    }
    t->rows = r + 1;
}

void scrm__table_truncate(scrm__table *t, size_t rows)
{
    if (rows < t->rows)
        t->rows = rows;
}

void scrm__table_shrink(scrm__table *t, const scrm__table_def *def)
{
    /* Only worth a realloc when more than a quarter of the room is unused. */
    if (t->cap <= 64 || t->cap - t->rows <= t->cap / 4)
        return;
    size_t cap = t->rows < 64 ? 64 : t->rows;
    for (size_t c = 0; c < def->n_columns; c++) {
        void *p = scrm__realloc(t->cols[c], cap * scrm__type_size(def->columns[c].type));
        if (p)
            t->cols[c] = p; /* a failed shrink keeps the larger block: harmless */
    }
    t->cap = cap; /* every column holds at least cap rows */
}
