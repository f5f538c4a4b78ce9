/* TEMPORARY: placeholders until src/data lands. */
#include "internal.h"

SCRM_API int scrm_time_parse(const char *text, size_t len, int64_t *out)
{
    (void)text;
    (void)len;
    (void)out;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_time_format(int64_t t, char *buf, size_t cap)
{
    (void)t;
    (void)buf;
    (void)cap;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_load_options_init(scrm_load_options *opts, unsigned int version)
{
    (void)opts;
    (void)version;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_new(scrm_dataset **out)
{
    (void)out;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API void scrm_dataset_free(scrm_dataset *ds)
{
    (void)ds;
}

SCRM_API int scrm_dataset_load_csv_buffer(scrm_dataset *ds, int32_t table, const char *data,
                                          size_t len, const char *name,
                                          const scrm_load_options *opts,
                                          scrm_load_report *report)
{
    (void)ds;
    (void)table;
    (void)data;
    (void)len;
    (void)name;
    (void)opts;
    (void)report;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_load_csv(scrm_dataset *ds, int32_t table, const char *path,
                                   const scrm_load_options *opts, scrm_load_report *report)
{
    (void)ds;
    (void)table;
    (void)path;
    (void)opts;
    (void)report;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_load_dir(scrm_dataset *ds, const char *dir,
                                   const scrm_load_options *opts, scrm_load_report *reports,
                                   size_t cap, size_t *n_reports)
{
    (void)ds;
    (void)dir;
    (void)opts;
    (void)reports;
    (void)cap;
    (void)n_reports;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_append(scrm_dataset *ds, int32_t table, size_t n,
                                 const scrm_column_input *columns, size_t n_columns,
                                 const scrm_load_options *opts, scrm_load_report *report)
{
    (void)ds;
    (void)table;
    (void)n;
    (void)columns;
    (void)n_columns;
    (void)opts;
    (void)report;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_rows(const scrm_dataset *ds, int32_t table, size_t *out)
{
    (void)ds;
    (void)table;
    (void)out;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_table_columns(int32_t table, size_t *out)
{
    (void)table;
    (void)out;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API const char * scrm_table_name(int32_t table)
{
    (void)table;
    return NULL;
}

SCRM_API const char * scrm_column_name(int32_t table, int32_t column)
{
    (void)table;
    (void)column;
    return NULL;
}

SCRM_API int scrm_column_type(int32_t table, int32_t column)
{
    (void)table;
    (void)column;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_column_required(int32_t table, int32_t column)
{
    (void)table;
    (void)column;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_column(const scrm_dataset *ds, int32_t table, int32_t column,
                                 const void **values, size_t *n)
{
    (void)ds;
    (void)table;
    (void)column;
    (void)values;
    (void)n;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_string(const scrm_dataset *ds, uint32_t id, const char **out,
                                 size_t *len)
{
    (void)ds;
    (void)id;
    (void)out;
    (void)len;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_string_id(const scrm_dataset *ds, const char *str, size_t len,
                                    uint32_t *out)
{
    (void)ds;
    (void)str;
    (void)len;
    (void)out;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}

SCRM_API int scrm_dataset_string_count(const scrm_dataset *ds, size_t *out)
{
    (void)ds;
    (void)out;
    return scrm__error(SCRM_ESTATE, "not implemented yet");
}
