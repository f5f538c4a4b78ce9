/* scrm-report: load a data directory and report on it.
 *
 *   scrm-report [DATA_DIR] [--json] [--skip-bad-rows]
 *
 * DATA_DIR defaults to examples/data. By default a bad row fails the load:
 * the library's message (file, row, column, value) goes to stderr and the exit
 * status is 1. With --skip-bad-rows bad rows are rejected, reported and the
 * rest is loaded. --json prints one JSON object instead of text.
 *
 * The report is built from sections, one function each; later sections (KPIs,
 * customer value, ROI) are added the same way. Only the public header is used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- sections -------------------------------------------------------- */

/* Load every CSV of the directory. Returns 0, or 1 after printing the error. */
static int load_data(report *r)
{
    scrm_dataset_load_options opts;
    if (scrm_dataset_load_options_init(&opts, SCRM_DATASET_LOAD_OPTIONS_VERSION) != SCRM_OK ||
        scrm_dataset_new(&r->ds) != SCRM_OK) {
        fprintf(stderr, "scrm-report: %s\n", scrm_last_error_message());
        return 1;
    }
    opts.on_error = r->skip_bad_rows ? SCRM_ON_ERROR_SKIP : SCRM_ON_ERROR_FAIL;
    int rc = scrm_dataset_load_dir(r->ds, r->dir, &opts, r->loads, SCRM_TABLE_COUNT,
                                   &r->n_loads);
    if (rc != SCRM_OK) {
        fprintf(stderr, "scrm-report: cannot load %s: %s (%s)\n", r->dir,
                scrm_last_error_message(), scrm_strerror(rc));
        if (!r->skip_bad_rows)
            fprintf(stderr, "scrm-report: nothing was loaded; use --skip-bad-rows to load "
                            "the valid rows and list the bad ones\n");
        return 1;
    }
    return 0;
}

static const scrm_load_report *load_of(const report *r, int32_t table)
{
    for (size_t i = 0; i < r->n_loads; i++)
        if (r->loads[i].table == table)
            return &r->loads[i];
    return NULL;
}

/* What each load did: rows read/accepted/rejected and the first rejections. */
static void section_loads(report *r)
{
    if (r->json) {
        json_section(r, "loads");
        printf("[");
        for (size_t i = 0; i < r->n_loads; i++) {
            const scrm_load_report *l = &r->loads[i];
            printf("%s\n    {\"table\": ", i ? "," : "");
            json_string(scrm_table_name(l->table));
            printf(", \"file\": \"%s.csv\", \"status\": %d, \"rows_read\": %llu, "
                   "\"rows_accepted\": %llu, \"rows_rejected\": %llu, \"rejections\": [",
                   scrm_table_name(l->table), (int)l->status, (unsigned long long)l->rows_read,
                   (unsigned long long)l->rows_accepted, (unsigned long long)l->rows_rejected);
            for (uint32_t k = 0; k < l->n_rejections; k++) {
                const scrm_rejection *j = &l->rejections[k];
                printf("%s{\"row\": %llu, \"column\": ", k ? ", " : "",
                       (unsigned long long)j->row);
                json_string(j->column);
                printf(", \"reason\": ");
                json_string(j->reason);
                printf("}");
            }
            printf("]}");
        }
        printf("\n  ]");
        return;
    }
    text_heading("Data loaded");
    printf("%-14s %-18s %10s %10s %10s\n", "table", "file", "read", "accepted", "rejected");
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++) {
        const scrm_load_report *l = load_of(r, t);
        char file[64];
        snprintf(file, sizeof file, "%s.csv", scrm_table_name(t));
        if (!l) {
            printf("%-14s %-18s %10s\n", scrm_table_name(t), file, "(no file)");
            continue;
        }
        printf("%-14s %-18s %10llu %10llu %10llu\n", scrm_table_name(t), file,
               (unsigned long long)l->rows_read, (unsigned long long)l->rows_accepted,
               (unsigned long long)l->rows_rejected);
    }
    for (size_t i = 0; i < r->n_loads; i++) {
        const scrm_load_report *l = &r->loads[i];
        for (uint32_t k = 0; k < l->n_rejections; k++) {
            const scrm_rejection *j = &l->rejections[k];
            printf("  rejected: %s.csv row %llu%s%s%s: %s\n", scrm_table_name(l->table),
                   (unsigned long long)j->row, j->column[0] ? ", column '" : "", j->column,
                   j->column[0] ? "'" : "", j->reason);
        }
        if (l->rows_rejected > l->n_rejections)
            printf("  ... and %llu more rejected rows in %s.csv\n",
                   (unsigned long long)(l->rows_rejected - l->n_rejections),
                   scrm_table_name(l->table));
    }
}

/* Time span of a table's time column, as two formatted dates (or "-"). */
static void time_span(const report *r, int32_t table, int32_t column, char *from, char *to)
{
    const void *v = NULL;
    size_t n = 0;
    strcpy(from, "-");
    strcpy(to, "-");
    if (scrm_dataset_column(r->ds, table, column, &v, &n) != SCRM_OK || n == 0)
        return;
    const int64_t *t = v;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < n; i++)
        if (t[i] != SCRM_TIME_NONE) {
            lo = t[i] < lo ? t[i] : lo;
            hi = t[i] > hi ? t[i] : hi;
        }
    if (lo <= hi && scrm_time_format(lo, from, 21) == SCRM_OK)
        scrm_time_format(hi, to, 21);
}

/* The first time column of a table (every table has one). */
static int32_t time_column(int32_t table)
{
    size_t n = 0;
    scrm_table_columns(table, &n);
    for (int32_t c = 0; c < (int32_t)n; c++)
        if (scrm_column_type(table, c) == SCRM_TYPE_TIME)
            return c;
    return -1;
}

/* Rows per table, the period each covers, and the size of the dictionary. */
static void section_dataset(report *r)
{
    size_t strings = 0;
    scrm_dataset_string_count(r->ds, &strings);
    if (r->json) {
        json_section(r, "dataset");
        printf("{\"strings\": %zu, \"tables\": [", strings);
    } else {
        text_heading("Dataset");
        printf("%-14s %10s  %-20s  %-20s\n", "table", "rows", "from", "to");
    }
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++) {
        size_t rows = 0;
        scrm_dataset_rows(r->ds, t, &rows);
        char from[21], to[21];
        time_span(r, t, time_column(t), from, to);
        if (r->json) {
            printf("%s\n    {\"table\": \"%s\", \"rows\": %zu, \"from\": ", t ? "," : "",
                   scrm_table_name(t), rows);
            json_string(from);
            printf(", \"to\": ");
            json_string(to);
            printf("}");
        } else
            printf("%-14s %10zu  %-20s  %-20s\n", scrm_table_name(t), rows, from, to);
    }
    if (r->json)
        printf("\n  ]}");
    else
        printf("%zu distinct strings (ids, channels, segments, ...)\n", strings);
}

/* ---- main ------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr, "usage: scrm-report [DATA_DIR] [--json] [--skip-bad-rows]\n");
    return 2;
}

int main(int argc, char **argv)
{
    report r;
    memset(&r, 0, sizeof r);
    r.dir = "examples/data";
    int have_dir = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            r.json = 1;
        else if (strcmp(argv[i], "--skip-bad-rows") == 0)
            r.skip_bad_rows = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage();
            return 0;
        } else if (argv[i][0] == '-' || have_dir)
            return usage();
        else {
            r.dir = argv[i];
            have_dir = 1;
        }
    }
    if (load_data(&r) != 0) {
        scrm_dataset_free(r.ds);
        return 1;
    }
    if (r.json) {
        printf("{\"libscrm\": \"%s\", \"data_dir\": ", scrm_version_string());
        json_string(r.dir);
        r.sections = 1;
    } else
        printf("libscrm %s report on %s\n", scrm_version_string(), r.dir);

    section_loads(&r);
    section_dataset(&r);
    section_engagement(&r);
    section_nps(&r);
    section_service(&r);
    section_customer_value(&r);
    section_roi(&r);

    if (r.json)
        printf("\n}\n");
    scrm_dataset_free(r.ds);
    return 0;
}
