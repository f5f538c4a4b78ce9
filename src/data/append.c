/* scrm_dataset_append: rows from C arrays, validated exactly like CSV fields. */
#include "data/data.h"

#include <stdio.h>

static int type_fits(int32_t value_type, int32_t column_type)
{
    switch (value_type) {
    case SCRM_VALUE_TEXT: return 1;
    case SCRM_VALUE_F64:
    case SCRM_VALUE_I64: return column_type != SCRM_TYPE_STRING;
    default: return 0;
    }
}

static const char *value_type_name(int32_t t)
{
    return t == SCRM_VALUE_TEXT ? "TEXT" : t == SCRM_VALUE_F64 ? "F64" : t == SCRM_VALUE_I64 ? "I64" : "unknown";
}

/* Check the column inputs before any row is touched; map column -> input. */
static int check_inputs(scrm__load *L, size_t n, const scrm_column_input *columns,
                        size_t n_columns, const scrm_column_input **by_col)
{
    const char *fn = "scrm_dataset_append";
    if (n_columns && !columns)
        return scrm__fail(SCRM_EINVAL, fn, "columns: NULL");
    for (size_t k = 0; k < n_columns; k++) {
        const scrm_column_input *in = &columns[k];
        const scrm__column_def *col = scrm__column_def_get(L->table, in->column);
        if (!col)
            return scrm__fail(SCRM_EINVAL, fn, "table '%s' has no column %d", L->def->name,
                              (int)in->column);
        if (by_col[in->column])
            return scrm__fail(SCRM_EINVAL, fn, "column '%s' given twice", col->name);
        if (!type_fits(in->type, col->type))
            return scrm__fail(SCRM_EINVAL, fn, "column '%s' cannot take values of type %s (%d)",
                              col->name, value_type_name(in->type), (int)in->type);
        if (n && !in->values)
            return scrm__fail(SCRM_EINVAL, fn, "values of column '%s' are NULL", col->name);
        by_col[in->column] = in;
    }
    for (size_t c = 0; c < L->def->n_columns; c++)
        if (L->def->columns[c].required && !by_col[c])
            return scrm__fail(SCRM_ENOTFOUND, fn, "required column '%s' of table '%s' not given",
                              L->def->columns[c].name, L->def->name);
    return SCRM_OK;
}

static int convert(scrm__load *L, const scrm__column_def *col, const scrm_column_input *in,
                   size_t i, scrm__value *out)
{
    switch (in->type) {
    case SCRM_VALUE_TEXT: {
        const char *s = ((const char *const *)in->values)[i];
        if (!s)
            s = "";
        size_t len = 0;
        while (s[len] && len <= L->max_field)
            len++;
        if (len > L->max_field)
            return scrm__fail(SCRM_ELIMIT, L->name,
                              "row %zu, column '%s': value longer than max_field_bytes = %zu", i,
                              col->name, L->max_field);
        return scrm__field_text(&L->conv, col, s, len, out);
    }
    case SCRM_VALUE_F64:
        return scrm__field_f64(&L->conv, col, ((const double *)in->values)[i], out);
    default:
        return scrm__field_i64(&L->conv, col, ((const int64_t *)in->values)[i], out);
    }
}

SCRM_API int scrm_dataset_append(scrm_dataset *ds, int32_t table, size_t n,
                                 const scrm_column_input *columns, size_t n_columns,
                                 const scrm_dataset_load_options *opts, scrm_load_report *report)
{
    scrm__load L;
    int rc = scrm__load_begin(&L, ds, table, opts, NULL, report, SCRM_EINVAL,
                              "scrm_dataset_append");
    if (rc)
        return rc;
    const scrm_column_input *by_col[SCRM__MAX_COLUMNS] = {0};
    rc = check_inputs(&L, n, columns, n_columns, by_col);
    if (rc == SCRM_OK && n > L.max_rows)
        rc = SCRM__FAIL(SCRM_ELIMIT, "%zu rows exceed max_rows = %llu", n,
                        (unsigned long long)L.max_rows);
    if (rc == SCRM_OK && n > SIZE_MAX - L.tab->rows)
        rc = SCRM__FAIL(SCRM_ELIMIT, "%zu rows overflow the table", n);
    if (rc == SCRM_OK)
        rc = scrm__table_reserve(L.tab, L.def, L.tab->rows + n);
    const scrm__table_def *def = L.def;
    scrm__value row[SCRM__MAX_COLUMNS];
    for (size_t i = 0; rc == SCRM_OK && i < n; i++) {
        L.report->rows_read++;
        int bad = 0;
        for (size_t c = 0; c < def->n_columns && !bad; c++) {
            const scrm__column_def *col = &def->columns[c];
            if (!by_col[c]) {
                row[c] = scrm__missing_value(col->type);
                continue;
            }
            int fr = convert(&L, col, by_col[c], i, &row[c]);
            if (fr == SCRM__BAD_VALUE) {
                bad = 1;
                rc = scrm__load_reject(&L, i, col->name, L.why);
            } else if (fr != SCRM_OK)
                rc = fr, bad = 1;
        }
        if (!bad)
            rc = scrm__load_accept(&L, row);
    }
    return scrm__load_end(&L, rc);
}
