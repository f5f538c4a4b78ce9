/* Loading CSV files (streamed in chunks) and data directories. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scrm.h"

/* The reader's chunk size (src/data/load.c): records straddling it matter. */
#define CHUNK (256 * 1024)

static scrm_dataset *ds;
static char dir[64];

static void rm_rf(const char *d)
{
    static const char *files[] = {"customers.csv", "transactions.csv", "survey.csv",
                                  "social.csv",    "audience.csv",     "tickets.csv",
                                  "referrals.csv", "costs.csv",        "data.csv",
                                  "sub/x.csv"};
    char p[256];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", d, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/sub", d);
    rmdir(p);
    rmdir(d);
}

static void setup(void)
{
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    strcpy(dir, "/tmp/scrm-test-load-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    scrm_dataset_free(ds);
    rm_rf(dir);
}

TestSuite(load, .init = setup, .fini = teardown);

static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

static size_t rows(const scrm_dataset *d, int32_t table)
{
    size_t n = 0;
    cr_assert_eq(scrm_dataset_rows(d, table, &n), SCRM_OK);
    return n;
}

static void expect_msg(const char *a, const char *b)
{
    const char *m = scrm_last_error_message();
    cr_assert(strstr(m, a) != NULL, "'%s' not in '%s'", a, m);
    if (b)
        cr_assert(strstr(m, b) != NULL, "'%s' not in '%s'", b, m);
}

Test(load, file_happy_path)
{
    const char *p = write_text("data.csv", "\xEF\xBB\xBF" "customer,time,amount\r\nc1,2024-01-01,5\r\n");
    scrm_load_report rep;
    cr_assert_eq(scrm_dataset_load_csv(ds, SCRM_TABLE_TRANSACTIONS, p, NULL, &rep), SCRM_OK,
                 "%s", scrm_last_error_message());
    cr_assert_eq(rep.rows_accepted, 1);
    cr_assert_eq(rows(ds, SCRM_TABLE_TRANSACTIONS), 1);
}

Test(load, file_errors_name_the_path)
{
    scrm_load_report rep;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/nope.csv", dir);
    cr_assert_eq(scrm_dataset_load_csv(ds, 0, missing, NULL, &rep), SCRM_EIO);
    cr_assert_eq(rep.status, SCRM_EIO);
    expect_msg(missing, "cannot open");
    cr_assert_eq(scrm_dataset_load_csv(ds, 0, dir, NULL, &rep), SCRM_EIO);
    expect_msg(dir, "directory");
    const char *p = write_text("data.csv", "customer,time,amount\nc1,2024-01-01,x\n");
    cr_assert_eq(scrm_dataset_load_csv(ds, SCRM_TABLE_TRANSACTIONS, p, NULL, &rep), SCRM_EPARSE);
    expect_msg("data.csv: row 2, column 'amount'", "\"x\"");
    cr_assert_eq(scrm_dataset_load_csv(ds, 0, NULL, NULL, &rep), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_load_csv(NULL, 0, p, NULL, &rep), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_load_csv(ds, 42, p, NULL, &rep), SCRM_EINVAL);
    /* An unterminated quote names the row where the record starts. */
    p = write_text("data.csv", "time,amount,category\n2024-01-01,1,a\n2024-01-02,2,\"oops\n"
                               "2024-01-03,3,b\n");
    cr_assert_eq(scrm_dataset_load_csv(ds, SCRM_TABLE_COSTS, p, NULL, &rep), SCRM_EPARSE);
    expect_msg("row 3", "unterminated");
    cr_assert_eq(rows(ds, SCRM_TABLE_COSTS), 0);
}

/* Build a CSV whose byte at `at` (and the next) hit the chunk boundary. */
static char *boundary_file(size_t at, const char *pair, size_t *len_out)
{
    size_t cap = 3 * CHUNK, len = 0;
    char *buf = malloc(cap);
    len += (size_t)sprintf(buf, "time,amount,category\n");
    /* Filler rows up to near `at`, then a row that places `pair` at at-1. */
    while (len + 64 < at)
        len += (size_t)sprintf(buf + len, "2024-01-01,1,filler\n");
    const char *prefix = "2024-01-02,2,";
    size_t need = at - 1 - len - strlen(prefix); /* filler bytes inside the quoted field */
    len += (size_t)sprintf(buf + len, "%s", prefix);
    if (pair[0] == '"' && pair[1] == '"') {
        buf[len++] = '"';
        memset(buf + len, 'x', need - 1);
        len += need - 1;
        len += (size_t)sprintf(buf + len, "\"\"y\"\n"); /* "" straddles the boundary */
    } else if (pair[0] == '\r') {
        memset(buf + len, 'x', need);
        len += need;
        len += (size_t)sprintf(buf + len, "\r\n"); /* CR | LF */
    } else { /* closing quote at the last byte of the chunk */
        buf[len++] = '"';
        memset(buf + len, 'x', need - 1);
        len += need - 1;
        len += (size_t)sprintf(buf + len, "\"\n");
    }
    cr_assert(buf[at - 1] == pair[0] && buf[at] == pair[1], "pair must straddle the chunk");
    while (len + 64 < 2 * CHUNK)
        len += (size_t)sprintf(buf + len, "2024-01-03,3,\"multi\nline\"\r\n");
    len += (size_t)sprintf(buf + len, "2024-01-04,4,end");
    *len_out = len;
    return buf;
}

static void compare_file_and_buffer(const char *text, size_t len, int32_t table,
                                    const scrm_dataset_load_options *o)
{
    const char *p = write_file("data.csv", text, len);
    scrm_dataset *mem;
    scrm_dataset_new(&mem);
    scrm_load_report rf, rm;
    int a = scrm_dataset_load_csv(ds, table, p, o, &rf);
    int b = scrm_dataset_load_csv_buffer(mem, table, text, len, p, o, &rm);
    cr_assert_eq(a, b, "file %d (%s) vs buffer %d", a, scrm_last_error_message(), b);
    cr_assert_eq(a, SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_eq(rf.rows_read, rm.rows_read);
    cr_assert_eq(rf.rows_accepted, rm.rows_accepted);
    cr_assert_eq(rf.rows_rejected, rm.rows_rejected);
    for (uint32_t k = 0; k < rf.n_rejections; k++) {
        cr_assert_eq(rf.rejections[k].row, rm.rejections[k].row);
        cr_assert_str_eq(rf.rejections[k].reason, rm.rejections[k].reason);
    }
    size_t n = rows(ds, table), ncols = 0;
    cr_assert_eq(n, rows(mem, table));
    scrm_table_columns(table, &ncols);
    for (int32_t c = 0; c < (int32_t)ncols; c++) {
        const void *va, *vb;
        scrm_dataset_column(ds, table, c, &va, NULL);
        scrm_dataset_column(mem, table, c, &vb, NULL);
        int ty = scrm_column_type(table, c);
        for (size_t i = 0; i < n; i++) {
            if (ty == SCRM_TYPE_STRING) {
                const char *sa, *sb;
                scrm_dataset_string(ds, ((const uint32_t *)va)[i], &sa, NULL);
                scrm_dataset_string(mem, ((const uint32_t *)vb)[i], &sb, NULL);
                cr_assert_str_eq(sa, sb, "row %zu", i);
            } else if (ty == SCRM_TYPE_F64) {
                double x = ((const double *)va)[i], y = ((const double *)vb)[i];
                cr_assert((x == y) || (x != x && y != y), "row %zu", i);
            } else if (ty == SCRM_TYPE_TIME)
                cr_assert_eq(((const int64_t *)va)[i], ((const int64_t *)vb)[i]);
        }
    }
    scrm_dataset_free(mem);
}

Test(load, records_straddling_chunks)
{
    static const char *pairs[] = {"\"\"", "\r\n", "\"\n"};
    for (int k = 0; k < 3; k++) {
        size_t len;
        char *text = boundary_file(CHUNK, pairs[k], &len);
        compare_file_and_buffer(text, len, SCRM_TABLE_COSTS, NULL);
        size_t n = rows(ds, SCRM_TABLE_COSTS);
        cr_assert_gt(n, 5000);
        free(text);
        scrm_dataset_free(ds);
        scrm_dataset_new(&ds);
    }
}

Test(load, skip_mode_rows_across_chunks)
{
    /* Bad rows everywhere (one in 97), some with embedded newlines before them. */
    size_t cap = 4 * CHUNK, len = 0;
    char *text = malloc(cap);
    len += (size_t)sprintf(text, "customer,time,amount,margin\n");
    for (int i = 0; len + 128 < cap; i++)
        len += (size_t)sprintf(text + len, i % 97 == 5 ? "c%d,2024-02-30,1,\n"
                                           : i % 13 == 0 ? "\"c\n%d\",2024-01-01,2,\"1.5\"\r\n"
                                                         : "c%d,2024-01-01,3,0.5\n", i % 1000);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = SCRM_ON_ERROR_SKIP;
    compare_file_and_buffer(text, len, SCRM_TABLE_TRANSACTIONS, &o);
    free(text);
}

Test(load, record_larger_than_a_chunk)
{
    size_t big = CHUNK * 2 + 123, len = 0;
    char *text = malloc(big + 256);
    len += (size_t)sprintf(text, "id,segment\nA,\"");
    memset(text + len, 's', big);
    len += big;
    len += (size_t)sprintf(text + len, "\"\nB,small\n");
    const char *p = write_file("data.csv", text, len);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_field_bytes = (uint32_t)big;
    cr_assert_eq(scrm_dataset_load_csv(ds, 0, p, &o, NULL), SCRM_OK, "%s",
                 scrm_last_error_message());
    const void *v;
    scrm_dataset_column(ds, 0, SCRM_CUSTOMERS_SEGMENT, &v, NULL);
    size_t slen = 0;
    const char *s;
    scrm_dataset_string(ds, ((const uint32_t *)v)[0], &s, &slen);
    cr_assert_eq(slen, big);
    /* With the default limit, the same file is refused, not swallowed. */
    cr_assert_eq(scrm_dataset_load_csv(ds, 0, p, NULL, NULL), SCRM_ELIMIT);
    expect_msg("data.csv: row 2", NULL);
    cr_assert_eq(rows(ds, 0), 2);
    free(text);
}

static void write_dir_basics(void)
{
    write_text("customers.csv", "id,segment\nC1,smb\nC2,enterprise\n");
    write_text("transactions.csv", "customer,time,amount\nC1,2024-01-01,10\nC2,2024-01-02,20\n"
                                   "C1,2024-01-03,30\n");
    write_text("costs.csv", "time,amount,category\n2024-01-01,100,ads\n");
}

Test(load, directory_with_missing_files)
{
    write_dir_basics();
    scrm_load_report reps[SCRM_TABLE_COUNT];
    size_t n = 99;
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, NULL, reps, SCRM_TABLE_COUNT, &n), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_eq(n, 3);
    cr_assert_eq(reps[0].table, SCRM_TABLE_CUSTOMERS);
    cr_assert_eq(reps[1].table, SCRM_TABLE_TRANSACTIONS);
    cr_assert_eq(reps[2].table, SCRM_TABLE_COSTS);
    cr_assert_eq(reps[1].rows_accepted, 3);
    cr_assert_eq(rows(ds, SCRM_TABLE_CUSTOMERS), 2);
    cr_assert_eq(rows(ds, SCRM_TABLE_TRANSACTIONS), 3);
    cr_assert_eq(rows(ds, SCRM_TABLE_COSTS), 1);
    cr_assert_eq(rows(ds, SCRM_TABLE_SOCIAL), 0);
    cr_assert_eq(rows(ds, SCRM_TABLE_TICKETS), 0);
    /* Customer ids are shared between tables (one dictionary). */
    const void *a, *b;
    scrm_dataset_column(ds, SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ID, &a, NULL);
    scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, &b, NULL);
    cr_assert_eq(((const uint32_t *)a)[0], ((const uint32_t *)b)[2]);
}

Test(load, directory_reports_cap_and_trailing_slash)
{
    write_dir_basics();
    scrm_load_report rep;
    size_t n = 0;
    char slash[80];
    snprintf(slash, sizeof slash, "%s/", dir);
    cr_assert_eq(scrm_dataset_load_dir(ds, slash, NULL, &rep, 1, &n), SCRM_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(rep.table, SCRM_TABLE_CUSTOMERS);
    cr_assert_eq(rows(ds, SCRM_TABLE_COSTS), 1, "files beyond cap still load");
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, NULL, NULL, 0, NULL), SCRM_OK);
    cr_assert_eq(rows(ds, SCRM_TABLE_COSTS), 2);
}

Test(load, empty_directory)
{
    size_t n = 5;
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, NULL, NULL, 0, &n), SCRM_OK);
    cr_assert_eq(n, 0);
}

Test(load, directory_failure_rolls_back_all_tables)
{
    write_dir_basics();
    write_text("tickets.csv", "id,created,handle_time\nT1,2024-01-01T08:00:00Z,30\n"
                              "T2,2024-01-01T09:00:00Z,-5\n");
    scrm_load_report reps[SCRM_TABLE_COUNT];
    size_t n = 0;
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, NULL, reps, SCRM_TABLE_COUNT, &n), SCRM_EPARSE);
    expect_msg("tickets.csv: row 3, column 'handle_time'", "\"-5\"");
    cr_assert_eq(n, 3, "customers, transactions, tickets (stopped there)");
    cr_assert_eq(reps[2].table, SCRM_TABLE_TICKETS);
    cr_assert_eq(reps[2].status, SCRM_EPARSE);
    cr_assert_eq(reps[2].rejections[0].row, 3);
    cr_assert_eq(reps[0].rows_accepted, 0, "rolled back too");
    for (int t = 0; t < SCRM_TABLE_COUNT; t++)
        cr_assert_eq(rows(ds, t), 0, "table %s", scrm_table_name(t));
    /* Skip mode loads everything else and reports the row. */
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = SCRM_ON_ERROR_SKIP;
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, &o, reps, SCRM_TABLE_COUNT, &n), SCRM_OK);
    cr_assert_eq(n, 4);
    cr_assert_eq(reps[2].rows_rejected, 1);
    cr_assert_eq(rows(ds, SCRM_TABLE_TICKETS), 1);
    cr_assert_eq(rows(ds, SCRM_TABLE_TRANSACTIONS), 3);
}

Test(load, directory_errors)
{
    size_t n = 7;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/absent", dir);
    cr_assert_eq(scrm_dataset_load_dir(ds, missing, NULL, NULL, 0, &n), SCRM_EIO);
    expect_msg(missing, NULL);
    cr_assert_eq(n, 0);
    const char *file = write_text("data.csv", "x\n");
    cr_assert_eq(scrm_dataset_load_dir(ds, file, NULL, NULL, 0, NULL), SCRM_EIO);
    expect_msg("not a directory", NULL);
    cr_assert_eq(scrm_dataset_load_dir(NULL, dir, NULL, NULL, 0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_load_dir(ds, NULL, NULL, NULL, 0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, NULL, NULL, 3, NULL), SCRM_EINVAL);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.version = 0;
    write_dir_basics();
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, &o, NULL, 0, NULL), SCRM_EVERSION);
    /* An empty file is not a CSV table. */
    write_text("survey.csv", "");
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, NULL, NULL, 0, NULL), SCRM_EPARSE);
    expect_msg("survey.csv", "no header row");
    /* A directory where a file should be. */
    unlink(write_text("survey.csv", ""));
    char sub[128];
    snprintf(sub, sizeof sub, "%s/social.csv", dir);
    cr_assert_eq(mkdir(sub, 0700), 0);
    cr_assert_eq(scrm_dataset_load_dir(ds, dir, NULL, NULL, 0, NULL), SCRM_EIO);
    expect_msg("social.csv", NULL);
    rmdir(sub);
    for (int t = 0; t < SCRM_TABLE_COUNT; t++)
        cr_assert_eq(rows(ds, t), 0);
}

/* The bundled sample data (examples/data) loads without a rejection. */
Test(load, bundled_sample_data)
{
    const char *root = getenv("SCRM_SOURCE_ROOT");
    cr_assert_not_null(root, "SCRM_SOURCE_ROOT is set by meson test");
    char path[512];
    snprintf(path, sizeof path, "%s/examples/data", root);
    scrm_load_report reps[SCRM_TABLE_COUNT];
    size_t n = 0;
    cr_assert_eq(scrm_dataset_load_dir(ds, path, NULL, reps, SCRM_TABLE_COUNT, &n), SCRM_OK,
                 "%s", scrm_last_error_message());
    cr_assert_eq(n, SCRM_TABLE_COUNT);
    for (size_t k = 0; k < n; k++) {
        cr_assert_eq(reps[k].table, (int32_t)k);
        cr_assert_eq(reps[k].rows_rejected, 0);
        cr_assert_gt(reps[k].rows_accepted, 100, "%s", scrm_table_name((int32_t)k));
    }
    cr_assert_eq(rows(ds, SCRM_TABLE_CUSTOMERS), 1500);
}
