/* Fuzz every CSV table loader: byte 0 picks the table and the error mode,
 * the rest is the CSV text. Any crash, leak or sanitizer report is a bug;
 * every input must give a status. */
#include <stddef.h>
#include <stdint.h>

#include "scrm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    scrm_dataset *ds = NULL;
    if (scrm_dataset_new(&ds) != SCRM_OK)
        return 0;
    scrm_load_options opts = SCRM_LOAD_OPTIONS_INIT;
    opts.on_error = (data[0] & 0x80) ? SCRM_ON_ERROR_SKIP : SCRM_ON_ERROR_FAIL;
    opts.max_field_bytes = 4096;
    int32_t table = (int32_t)((data[0] & 0x7f) % SCRM_TABLE_COUNT);
    scrm_load_report report;
    int rc = scrm_dataset_load_csv_buffer(ds, table, (const char *)data + 1, size - 1, "fuzz.csv",
                                          &opts, &report);
    if (rc == SCRM_OK) {
        /* Read back every column so stored values are touched too. */
        size_t ncols = 0, rows = 0;
        scrm_table_columns(table, &ncols);
        scrm_dataset_rows(ds, table, &rows);
        for (size_t c = 0; c < ncols; c++) {
            const void *values = NULL;
            size_t n = 0;
            if (scrm_dataset_column(ds, table, (int32_t)c, &values, &n) == SCRM_OK &&
                scrm_column_type(table, (int32_t)c) == SCRM_TYPE_STRING) {
                const uint32_t *ids = values;
                for (size_t i = 0; i < n; i++) {
                    const char *s = NULL;
                    scrm_dataset_string(ds, ids[i], &s, NULL);
                }
            }
        }
    }
    scrm_dataset_free(ds);
    return 0;
}
