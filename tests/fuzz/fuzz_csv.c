/* Fuzz every CSV table loader through each entry point. Byte 0: bits 0-2 pick
 * the table, bit 7 the error mode, bits 3-4 the entry point:
 *   0  scrm_dataset_load_csv_buffer
 *   1  scrm_dataset_load_csv (a file) against the buffer load of the same bytes
 *   2  scrm_dataset_load_dir: the rest is split at NUL bytes into the files of
 *      tables 0, 1, ... (customers.csv, transactions.csv, ...)
 *   3  the buffer load with tight limits (max_rows 4, max_field_bytes 12)
 * Fuzz builds read files in 61-byte chunks (load.c), so records, quotes, the
 * BOM and the header straddle chunk boundaries. Any crash, leak or sanitizer
 * report is a bug; every input must give a status, and the checks below must
 * hold (a trap otherwise). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrm.h"
#include "fuzz_util.h"

/* Read back every column so stored values are touched too. */
static void read_back(const scrm_dataset *ds, int32_t table)
{
    size_t ncols = 0, rows = 0;
    CHECK(scrm_table_columns(table, &ncols) == SCRM_OK);
    CHECK(scrm_dataset_rows(ds, table, &rows) == SCRM_OK);
    for (size_t c = 0; c < ncols; c++) {
        const void *values = NULL;
        size_t n = 0;
        CHECK(scrm_dataset_column(ds, table, (int32_t)c, &values, &n) == SCRM_OK && n == rows);
        if (scrm_column_type(table, (int32_t)c) != SCRM_TYPE_STRING)
            continue;
        const uint32_t *ids = values;
        for (size_t i = 0; i < n; i++) {
            const char *s = NULL;
            size_t len = 0;
            CHECK(scrm_dataset_string(ds, ids[i], &s, &len) == SCRM_OK);
        }
    }
}

/* Same rows, value for value (strings by their text: ids may differ). */
static void same_table(const scrm_dataset *a, const scrm_dataset *b, int32_t table)
{
    size_t ncols = 0, ra = 0, rb = 0;
    scrm_table_columns(table, &ncols);
    scrm_dataset_rows(a, table, &ra);
    scrm_dataset_rows(b, table, &rb);
    CHECK(ra == rb);
    for (size_t c = 0; c < ncols; c++) {
        const void *va = NULL, *vb = NULL;
        size_t n = 0;
        CHECK(scrm_dataset_column(a, table, (int32_t)c, &va, &n) == SCRM_OK);
        CHECK(scrm_dataset_column(b, table, (int32_t)c, &vb, &n) == SCRM_OK);
        int type = scrm_column_type(table, (int32_t)c);
        for (size_t i = 0; i < n; i++) {
            if (type == SCRM_TYPE_STRING) {
                const char *sa = NULL, *sb = NULL;
                size_t la = 0, lb = 0;
                scrm_dataset_string(a, ((const uint32_t *)va)[i], &sa, &la);
                scrm_dataset_string(b, ((const uint32_t *)vb)[i], &sb, &lb);
                CHECK(la == lb && memcmp(sa, sb, la) == 0);
            } else if (type == SCRM_TYPE_TIME) {
                CHECK(((const int64_t *)va)[i] == ((const int64_t *)vb)[i]);
            } else if (type == SCRM_TYPE_F64) {
                double x = ((const double *)va)[i], y = ((const double *)vb)[i];
                CHECK(x == y || (x != x && y != y));
            } else {
                CHECK(((const int8_t *)va)[i] == ((const int8_t *)vb)[i]);
            }
        }
    }
}

static void same_report(const scrm_load_report *a, const scrm_load_report *b)
{
    CHECK(a->status == b->status && a->rows_read == b->rows_read);
    CHECK(a->rows_accepted == b->rows_accepted && a->rows_rejected == b->rows_rejected);
    CHECK(a->n_rejections == b->n_rejections);
    for (uint32_t i = 0; i < a->n_rejections && i < SCRM_REPORT_MAX_REJECTIONS; i++) {
        CHECK(a->rejections[i].row == b->rejections[i].row);
        CHECK(strcmp(a->rejections[i].column, b->rejections[i].column) == 0);
        CHECK(strcmp(a->rejections[i].reason, b->rejections[i].reason) == 0);
    }
}

/* One scratch directory per process, emptied after every input. */
static char dir[64];

static void remove_dir(void)
{
    if (dir[0])
        rmdir(dir);
}

static const char *scratch_dir(void)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/scrm-fuzz-csv-XXXXXX");
        if (!mkdtemp(dir)) {
            dir[0] = '\0';
            return NULL;
        }
        atexit(remove_dir);
    }
    return dir;
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(p, 1, n, f) == n;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int load_buffer(scrm_dataset *ds, int32_t table, const uint8_t *p, size_t n,
                       const scrm_dataset_load_options *o, scrm_load_report *rep)
{
    size_t before = 0, after = 0;
    scrm_dataset_rows(ds, table, &before);
    int rc = scrm_dataset_load_csv_buffer(ds, table, (const char *)p, n, "fuzz.csv", o, rep);
    scrm_dataset_rows(ds, table, &after);
    CHECK(rep->status == rc && rep->table == table);
    CHECK(rep->n_rejections <= SCRM_REPORT_MAX_REJECTIONS);
    CHECK(rep->rows_accepted + rep->rows_rejected <= rep->rows_read);
    /* A failed load adds nothing; a good one adds what it accepted. */
    CHECK(after == before + (rc == SCRM_OK ? rep->rows_accepted : 0));
    if (rc == SCRM_OK && o->on_error == SCRM_ON_ERROR_FAIL)
        CHECK(rep->rows_rejected == 0);
    return rc;
}

/* The file loader streams in chunks; it must agree with the buffer loader.
 * One legitimate difference: a streamed record longer than the header allows
 * (ragged rows, long ignored fields) is refused with SCRM_ELIMIT, as the
 * stream cannot tell where it ends without holding it whole. */
static void via_file(int32_t table, const uint8_t *p, size_t n, const scrm_dataset_load_options *o)
{
    const char *d = scratch_dir();
    if (!d)
        return;
    char path[128];
    snprintf(path, sizeof path, "%s/in.csv", d);
    if (write_file(path, p, n) != 0) {
        unlink(path);
        return;
    }
    scrm_dataset *a = NULL, *b = NULL;
    if (scrm_dataset_new(&a) == SCRM_OK && scrm_dataset_new(&b) == SCRM_OK) {
        scrm_load_report ra, rb;
        int rca = load_buffer(a, table, p, n, o, &ra);
        int rcb = scrm_dataset_load_csv(b, table, path, o, &rb);
        CHECK(rb.status == rcb);
        if (rca == SCRM_ENOMEM || rcb == SCRM_ENOMEM || rcb == SCRM_ELIMIT) {
            /* out of memory, or the streaming record bound: nothing to compare */
        } else {
            CHECK(rca == rcb);
            same_report(&ra, &rb);
            same_table(a, b, table);
            if (rcb == SCRM_OK)
                read_back(b, table);
        }
    }
    scrm_dataset_free(a);
    scrm_dataset_free(b);
    unlink(path);
}

/* The files of a directory: all load, or none (every table rolled back). */
static void via_dir(const uint8_t *p, size_t n, const scrm_dataset_load_options *o)
{
    const char *d = scratch_dir();
    if (!d)
        return;
    const uint8_t *part[SCRM_TABLE_COUNT];
    size_t len[SCRM_TABLE_COUNT], nparts = 0;
    char path[SCRM_TABLE_COUNT][128];
    while (nparts < SCRM_TABLE_COUNT) {
        const uint8_t *end = memchr(p, '\0', n);
        size_t k = end ? (size_t)(end - p) : n;
        part[nparts] = p;
        len[nparts] = k;
        /* <table>.csv, as load_dir names them: "customers" -> customers.csv */
        snprintf(path[nparts], sizeof path[nparts], "%s/%s.csv", d,
                 scrm_table_name((int32_t)nparts));
        int ok = write_file(path[nparts], part[nparts], k) == 0;
        nparts++;
        if (!ok || !end)
            break;
        p = end + 1;
        n -= k + 1;
    }
    scrm_dataset *ds = NULL;
    if (scrm_dataset_new(&ds) == SCRM_OK) {
        scrm_load_report reps[SCRM_TABLE_COUNT];
        size_t nrep = 0;
        int rc = scrm_dataset_load_dir(ds, d, o, reps, SCRM_TABLE_COUNT, &nrep);
        CHECK(nrep <= nparts);
        if (rc == SCRM_OK) {
            CHECK(nrep == nparts);
            for (size_t t = 0; t < nrep; t++) {
                CHECK(reps[t].status == SCRM_OK && reps[t].table == (int32_t)t);
                size_t rows = 0;
                scrm_dataset_rows(ds, (int32_t)t, &rows);
                CHECK(rows == reps[t].rows_accepted);
                read_back(ds, (int32_t)t);
                /* each file as the buffer loader sees it (the buffer has no
                 * streaming record bound, so it loads whatever the file did) */
                scrm_dataset *b = NULL;
                scrm_load_report rb;
                if (scrm_dataset_new(&b) == SCRM_OK &&
                    load_buffer(b, (int32_t)t, part[t], len[t], o, &rb) == SCRM_OK) {
                    same_report(&reps[t], &rb);
                    same_table(ds, b, (int32_t)t);
                }
                scrm_dataset_free(b);
            }
        } else {
            CHECK(nrep >= 1 && reps[nrep - 1].status == rc);
            for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++) {
                size_t rows = 1;
                scrm_dataset_rows(ds, t, &rows);
                CHECK(rows == 0); /* rolled back */
            }
        }
    }
    scrm_dataset_free(ds);
    for (size_t i = 0; i < nparts; i++)
        unlink(path[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    scrm_dataset_load_options opts = SCRM_DATASET_LOAD_OPTIONS_INIT;
    opts.on_error = (data[0] & 0x80) ? SCRM_ON_ERROR_SKIP : SCRM_ON_ERROR_FAIL;
    opts.max_field_bytes = 4096;
    int32_t table = (int32_t)(data[0] & 7);
    int mode = (data[0] >> 3) & 3;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    if (mode == 1) {
        via_file(table, p, n, &opts);
        return 0;
    }
    if (mode == 2) {
        via_dir(p, n, &opts);
        return 0;
    }
    if (mode == 3) {
        opts.max_rows = 4;
        opts.max_field_bytes = 12;
    }
    scrm_dataset *ds = NULL;
    if (scrm_dataset_new(&ds) != SCRM_OK)
        return 0;
    scrm_load_report rep;
    if (load_buffer(ds, table, p, n, &opts, &rep) == SCRM_OK) {
        read_back(ds, table);
        /* a second load appends to the same table */
        if (load_buffer(ds, table, p, n, &opts, &rep) == SCRM_OK)
            read_back(ds, table);
    }
    scrm_dataset_free(ds);
    return 0;
}
