/* Resource limits: huge inputs and absurd sizes give SCRM_ELIMIT or
 * SCRM_ENOMEM with a message, never a crash, and leave the dataset unchanged.
 *
 * Nothing here writes gigabytes: a multi-gigabyte CSV buffer is one 1 MiB
 * block of rows mapped thousands of times into one contiguous address range
 * (memfd + MAP_FIXED, so it costs 1 MiB of memory and some page tables); a
 * 2 GiB file is sparse; an endless file is a named pipe fed by a thread. */
#define _GNU_SOURCE /* memfd_create */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hardening_data.h"
#include "core/internal.h"
#include "scrm.h"

/* Allocations of terabytes must come back as NULL (SCRM_ENOMEM) in the
 * sanitizer build too, not stop the process: that is what is being tested. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static const char tx_header[] = "customer,time,amount,margin\n";

static void assert_message(int rc, int want, const char *needle)
{
    cr_assert_eq(rc, want, "status %d (%s), expected %d: %s", rc, scrm_strerror(rc), want,
                 scrm_last_error_message());
    cr_assert_eq(scrm_last_error_code(), want);
    if (needle)
        cr_assert(strstr(scrm_last_error_message(), needle), "message \"%s\" lacks \"%s\"",
                  scrm_last_error_message(), needle);
}

static size_t rows_of(const scrm_dataset *ds, int32_t table)
{
    size_t n = 0;
    cr_assert_eq(scrm_dataset_rows(ds, table, &n), SCRM_OK);
    return n;
}

/* ---- a multi-gigabyte buffer made of one block mapped many times ---- */

#define BLOCK ((size_t)1 << 20)

typedef struct big_buffer {
    char *base;
    size_t len; /* mapped bytes */
} big_buffer;

/* Header page then `blocks` copies of a 1 MiB block of complete rows.
 * Returns 0 if the system refuses the mappings (the test is then skipped). */
static int big_buffer_map(big_buffer *b, size_t blocks)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t head = (size_t)page;
    int fd = memfd_create("scrm-limits", 0);
    if (fd < 0)
        return 0;
    if (ftruncate(fd, (off_t)(head + BLOCK)) != 0) {
        close(fd);
        return 0;
    }
    char *w = mmap(NULL, head + BLOCK, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    cr_assert_neq(w, MAP_FAILED);
    /* Header page: the header, then newlines (empty lines are skipped). */
    memset(w, '\n', head);
    memcpy(w, tx_header, sizeof tx_header - 1);
    /* Row block: fixed-width rows, the last one ending exactly at the block end. */
    size_t pos = 0, i = 0;
    char row[64];
    while (pos < BLOCK) {
        int n = snprintf(row, sizeof row, "C%06zu,2023-05-%02zuT10:00:00Z,%zu.50,1\n", i % 50000,
                         i % 28 + 1, i % 1000);
        if (pos + (size_t)n > BLOCK) {
            /* pad the tail with newlines: empty lines */
            memset(w + head + pos, '\n', BLOCK - pos);
            break;
        }
        memcpy(w + head + pos, row, (size_t)n);
        pos += (size_t)n;
        i++;
    }
    munmap(w, head + BLOCK);
    b->len = head + blocks * BLOCK;
    b->base = mmap(NULL, b->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (b->base == MAP_FAILED) {
        close(fd);
        return 0;
    }
    int ok = mmap(b->base, head, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED;
    for (size_t k = 0; ok && k < blocks; k++)
        ok = mmap(b->base + head + k * BLOCK, BLOCK, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
                  (off_t)head) != MAP_FAILED;
    close(fd);
    if (!ok) {
        munmap(b->base, b->len);
        return 0;
    }
    return 1;
}

static void big_buffer_unmap(big_buffer *b)
{
    munmap(b->base, b->len);
}

/* A 4 GiB + 4 KiB CSV (over 100 million rows): lengths past 32 bits must be
 * carried whole, and max_rows stops the load early with SCRM_ELIMIT. */
Test(limits, csv_buffer_over_4gib_stops_at_max_rows)
{
    big_buffer b;
    if (!big_buffer_map(&b, 4096))
        cr_skip_test("cannot map a 4 GiB test buffer here");
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_rows = 250000;
    scrm_load_report rep;
    int rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, b.base, b.len, "big.csv",
                                          &o, &rep);
    assert_message(rc, SCRM_ELIMIT, "max_rows = 250000");
    cr_assert_eq(rep.status, SCRM_ELIMIT);
    cr_assert_eq(rep.rows_accepted, 0);
    cr_assert_eq(rep.rows_read, 250000);
    cr_assert_eq(rows_of(ds, SCRM_TABLE_TRANSACTIONS), 0, "a failed load adds nothing");
    /* The same in skip mode: limits are not row errors, nothing is kept. */
    o.on_error = SCRM_ON_ERROR_SKIP;
    rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, b.base, b.len, "big.csv", &o,
                                      &rep);
    assert_message(rc, SCRM_ELIMIT, "max_rows");
    cr_assert_eq(rows_of(ds, SCRM_TABLE_TRANSACTIONS), 0);
    scrm_dataset_free(ds);
    big_buffer_unmap(&b);
}

/* A 2 GiB CSV on a machine whose memory runs out: every allocation of the
 * load is made to fail in turn (persistent and one-shot). The load reserves
 * its rows from an estimate after the first records, so only a few dozen
 * allocations are involved; max_rows = 300,000 keeps the runs short. Each
 * run gives SCRM_ENOMEM (or reaches the row limit when the failed
 * allocation was only the optional up-front reservation), with the dataset
 * unchanged. */
Test(limits, csv_buffer_2gib_out_of_memory)
{
    big_buffer b;
    if (!big_buffer_map(&b, 2048))
        cr_skip_test("cannot map a 2 GiB test buffer here");
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    cr_assert_eq(hd_load_all(ds, 30, 3), SCRM_OK);
    scrm_dataset *before = NULL;
    cr_assert_eq(scrm_dataset_new(&before), SCRM_OK);
    cr_assert_eq(hd_load_all(before, 30, 3), SCRM_OK);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_rows = 300000;
    for (int persistent = 1; persistent >= 0; persistent--) {
        long n = 0;
        for (;; n++) {
            cr_assert_lt(n, 10000);
            scrm_clear_error();
            scrm__alloc_fail_after(n, persistent);
            int rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, b.base, b.len,
                                                  "big.csv", &o, NULL);
            unsigned long injected = scrm__alloc_injected();
            scrm__alloc_fail_after(-1, 0);
            if (rc == SCRM_ENOMEM)
                assert_message(rc, SCRM_ENOMEM, "out of memory");
            else
                assert_message(rc, SCRM_ELIMIT, "max_rows = 300000");
            cr_assert(hd_same_dataset(ds, before), "failed load changed the dataset (n = %ld)",
                      n);
            if (!injected)
                break;
        }
        cr_log_info("2 GiB load: %ld allocations, each failed in turn (%s)", n,
                    persistent ? "persistent" : "one-shot");
        cr_assert_gt(n, 10);
    }
    scrm_dataset_free(before);
    scrm_dataset_free(ds);
    big_buffer_unmap(&b);
}

/* ---- gigantic fields and records ---- */

static char *filled(size_t prefix_len, const char *prefix, size_t n, char fill)
{
    char *s = malloc(prefix_len + n + 2);
    cr_assert_not_null(s);
    memcpy(s, prefix, prefix_len);
    memset(s + prefix_len, fill, n);
    s[prefix_len + n] = '\n';
    s[prefix_len + n + 1] = '\0';
    return s;
}

Test(limits, gigantic_field_in_buffer)
{
    static const char head[] = "customer,time,amount\nC1,2023-01-01,";
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    /* 8 MiB of digits in one field: over the default 65536-byte limit. */
    size_t n = (size_t)8 << 20;
    char *csv = filled(sizeof head - 1, head, n, '7');
    int rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, csv, strlen(csv), NULL,
                                          NULL, NULL);
    cr_assert(rc == SCRM_ELIMIT, "status %d: %s", rc, scrm_last_error_message());
    cr_assert(strstr(scrm_last_error_message(), "65536"), "%s", scrm_last_error_message());
    /* A configured limit; skip mode does not turn a limit into a rejection. */
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_field_bytes = 100;
    o.on_error = SCRM_ON_ERROR_SKIP;
    csv[sizeof head - 1 + 101] = '\n';
    rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, csv, sizeof head - 1 + 102,
                                      NULL, &o, NULL);
    assert_message(rc, SCRM_ELIMIT, "max_field_bytes = 100");
    cr_assert_eq(rows_of(ds, SCRM_TABLE_TRANSACTIONS), 0);
    free(csv);
    /* An unterminated quote running to the end of 8 MiB. */
    static const char quoted[] = "customer,time,amount\n\"C1";
    csv = filled(sizeof quoted - 1, quoted, n, 'x');
    rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, csv, strlen(csv), NULL, NULL,
                                      NULL);
    cr_assert(rc == SCRM_ELIMIT || rc == SCRM_EPARSE, "status %d: %s", rc,
              scrm_last_error_message());
    cr_assert_neq(scrm_last_error_message()[0], '\0');
    free(csv);
    /* A gigantic header. */
    csv = filled(0, "", n, 'h');
    rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, csv, strlen(csv), NULL, NULL,
                                      NULL);
    cr_assert(rc == SCRM_ELIMIT || rc == SCRM_ENOTFOUND, "status %d: %s", rc,
              scrm_last_error_message());
    free(csv);
    /* A header with 100,000 columns. */
    size_t cols = 100000;
    char *wide = malloc(cols * 2 + 1);
    cr_assert_not_null(wide);
    for (size_t i = 0; i < cols; i++)
        wide[2 * i] = 'a', wide[2 * i + 1] = ',';
    wide[cols * 2 - 1] = '\n';
    rc = scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_TRANSACTIONS, wide, cols * 2, NULL, NULL,
                                      NULL);
    assert_message(rc, SCRM_ELIMIT, "header");
    free(wide);
    cr_assert_eq(rows_of(ds, SCRM_TABLE_TRANSACTIONS), 0);
    scrm_dataset_free(ds);
}

/* A 2 GiB file that is one endless field (a sparse file: no disk used). The
 * reader must stop at the record limit instead of growing its buffer. */
Test(limits, gigantic_field_in_2gib_sparse_file)
{
    char path[] = "/tmp/scrm-limits-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, tx_header, sizeof tx_header - 1), (ssize_t)(sizeof tx_header - 1));
    if (ftruncate(fd, (off_t)2 << 30) != 0) {
        close(fd);
        unlink(path);
        cr_skip_test("cannot make a sparse 2 GiB file here");
    }
    close(fd);
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_load_report rep;
    int rc = scrm_dataset_load_csv(ds, SCRM_TABLE_TRANSACTIONS, path, NULL, &rep);
    unlink(path);
    assert_message(rc, SCRM_ELIMIT, "record longer than");
    cr_assert_eq(rep.rows_accepted, 0);
    cr_assert_eq(rows_of(ds, SCRM_TABLE_TRANSACTIONS), 0);
    scrm_dataset_free(ds);
}

/* ---- an endless file: a named pipe fed by a thread ---- */

typedef struct feeder {
    char path[64];
    volatile int stop;
} feeder;

static void *feed(void *arg)
{
    feeder *f = arg;
    int fd = open(f->path, O_WRONLY);
    if (fd < 0)
        return NULL;
    char block[1 << 16];
    size_t len = 0;
    for (size_t i = 0; len + 64 < sizeof block; i++)
        len += (size_t)snprintf(block + len, sizeof block - len, "C%05zu,2023-02-03,%zu.5,\n",
                                i % 9999, i % 100);
    if (write(fd, tx_header, sizeof tx_header - 1) < 0) {
        close(fd);
        return NULL;
    }
    while (!f->stop)
        if (write(fd, block, len) < 0)
            break; /* EPIPE: the reader is done */
    close(fd);
    return NULL;
}

Test(limits, endless_pipe_stops_at_max_rows)
{
    signal(SIGPIPE, SIG_IGN);
    feeder f = {.stop = 0};
    snprintf(f.path, sizeof f.path, "/tmp/scrm-fifo-%ld", (long)getpid());
    unlink(f.path);
    cr_assert_eq(mkfifo(f.path, 0600), 0, "mkfifo: %s", strerror(errno));
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, feed, &f), 0);
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_rows = 400000;
    scrm_load_report rep;
    int rc = scrm_dataset_load_csv(ds, SCRM_TABLE_TRANSACTIONS, f.path, &o, &rep);
    f.stop = 1;
    pthread_join(th, NULL);
    unlink(f.path);
    assert_message(rc, SCRM_ELIMIT, "max_rows = 400000");
    cr_assert_eq(rep.rows_read, 400000);
    cr_assert_eq(rows_of(ds, SCRM_TABLE_TRANSACTIONS), 0);
    scrm_dataset_free(ds);
}

/* ---- absurd row counts through scrm_dataset_append ---- */

Test(limits, append_absurd_row_counts)
{
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    cr_assert_eq(hd_load_all(ds, 10, 4), SCRM_OK);
    scrm_dataset *before = NULL;
    cr_assert_eq(scrm_dataset_new(&before), SCRM_OK);
    cr_assert_eq(hd_load_all(before, 10, 4), SCRM_OK);
    /* Arrays of 4 values only: the library must refuse before reading row 4. */
    const char *ids[4] = {"a", "b", "c", "d"};
    int64_t times[4] = {0, 1, 2, 3};
    double amounts[4] = {1, 2, 3, 4};
    scrm_column_input cols[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, ids},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, times},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amounts},
    };
    const size_t counts[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 10, SIZE_MAX / 2, SIZE_MAX / 8,
                             SIZE_MAX / 9, (size_t)1 << 45};
    scrm_dataset_load_options unlimited = SCRM_DATASET_LOAD_OPTIONS_INIT;
    unlimited.max_rows = UINT64_MAX;
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        for (int lim = 0; lim < 2; lim++) {
            scrm_clear_error();
            scrm_load_report rep;
            int rc = scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, counts[k], cols, 3,
                                         lim ? &unlimited : NULL, &rep);
            cr_assert(rc == SCRM_ELIMIT || rc == SCRM_ENOMEM,
                      "n = %zu, %s: status %d (%s): %s", counts[k],
                      lim ? "max_rows unlimited" : "default max_rows", rc, scrm_strerror(rc),
                      scrm_last_error_message());
            cr_assert_eq(scrm_last_error_code(), rc);
            cr_assert_neq(scrm_last_error_message()[0], '\0');
            if (!lim)
                cr_assert(strstr(scrm_last_error_message(), "max_rows"), "%s",
                          scrm_last_error_message());
            cr_assert_eq(rep.rows_accepted, 0);
            cr_assert(hd_same_dataset(ds, before), "n = %zu changed the dataset", counts[k]);
        }
    }
    /* Just over the default max_rows (100,000,000): refused before any allocation. */
    assert_message(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, (size_t)100000001, cols, 3,
                                       NULL, NULL),
                   SCRM_ELIMIT, "max_rows");
    cr_assert(hd_same_dataset(ds, before));
    /* The dataset still works. */
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 4, cols, 3, NULL, NULL),
                 SCRM_OK, "%s", scrm_last_error_message());
    scrm_dataset_free(before);
    scrm_dataset_free(ds);
}

/* max_rows counts one load, not the table: successive loads may each use it. */
Test(limits, max_rows_per_load_and_exact_boundary)
{
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    size_t len;
    char *csv = hd_csv(SCRM_TABLE_TRANSACTIONS, 100, 9, &len);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_rows = 100;
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, 1, csv, len, NULL, &o, NULL), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, 1, csv, len, NULL, &o, NULL), SCRM_OK);
    o.max_rows = 99;
    assert_message(scrm_dataset_load_csv_buffer(ds, 1, csv, len, NULL, &o, NULL), SCRM_ELIMIT,
                   "max_rows = 99");
    cr_assert_eq(rows_of(ds, SCRM_TABLE_TRANSACTIONS), 200);
    free(csv);
    scrm_dataset_free(ds);
}

/* Sizes in the accumulators: counts near 2^64 are refused, not wrapped. */
Test(limits, nps_counts_near_uint64_max)
{
    scrm_nps *a = NULL;
    cr_assert_eq(scrm_nps_new(&a, NULL), SCRM_OK);
    uint64_t c[SCRM_NPS_SCORES] = {0};
    c[10] = UINT64_MAX;
    cr_assert_eq(scrm_nps_add_counts(a, c, SCRM_NPS_SCORES), SCRM_OK);
    c[10] = 0;
    c[0] = 1;
    assert_message(scrm_nps_add_counts(a, c, SCRM_NPS_SCORES), SCRM_ERANGE, NULL);
    cr_assert_eq(scrm_nps_merge(a, a), SCRM_ERANGE);
    scrm_nps_result r;
    cr_assert_eq(scrm_nps_finalize(a, &r), SCRM_OK);
    cr_assert_eq(r.n, UINT64_MAX);
    cr_assert_float_eq(r.nps, 100.0, 1e-12);
    scrm_nps_free(a);
}

/* Referral counts near 2^63: every share stays within [0, 1] (found by
 * fuzz_api: margins summed from rounded doubles gave 1 + 2^-52). */
Test(limits, nps_referral_shares_with_huge_counts)
{
    scrm_nps_referral r;
    scrm_nps_referral_result s;
    memset(&r, 0, sizeof r);
    r.intend_referred = 7205759403792793600u;
    r.intend_not_referred = 7663543657271679590u;
    r.referred_not_intend = 88;
    cr_assert_eq(scrm_nps_referral_finalize(&r, &s), SCRM_OK);
    cr_assert(s.shares_valid && s.referred_given_intend_valid);
    cr_assert(s.intend_share >= 0 && s.intend_share <= 1, "intend_share %.17g",
              s.intend_share);
    cr_assert(s.referred_share >= 0 && s.referred_share <= 1, "referred_share %.17g",
              s.referred_share);
    cr_assert(s.referred_given_intend >= 0 && s.referred_given_intend <= 1);
    cr_assert_float_eq(s.intend_share, 1.0, 1e-15);
    /* at the very top: three cells of 2^62 and one of 2^62 - 1 */
    r.intend_referred = r.intend_not_referred = r.referred_not_intend = (uint64_t)1 << 62;
    r.neither = ((uint64_t)1 << 62) - 1;
    cr_assert_eq(scrm_nps_referral_finalize(&r, &s), SCRM_OK);
    cr_assert_eq(s.n, UINT64_MAX);
    cr_assert(s.intend_share <= 1 && s.referred_share <= 1 && s.phi >= -1 && s.phi <= 1);
    r.neither++; /* one more overflows the table */
    assert_message(scrm_nps_referral_finalize(&r, &s), SCRM_ERANGE, "2^64");
    /* and no add can get there */
    r.neither--;
    int8_t one = 0;
    assert_message(scrm_nps_referral_add(&r, &one, &one, 1), SCRM_ERANGE, "2^64");
}

/* Staffing searches N upwards: an occupancy cap that no N within max_agents
 * meets is refused at once, and a search through hundreds of thousands of
 * agents with B(A, N) underflowed stays linear (it used to recompute
 * log(1/B) from scratch for every N: quadratic, hours for this case). */
Test(limits, erlang_staffing_huge_searches)
{
    scrm_staffing_options o = SCRM_STAFFING_OPTIONS_INIT;
    o.max_occupancy = 1e-300;
    scrm_staffing_result r;
    assert_message(scrm_erlang_staffing(1, 50, 20, 0.8, &o, &r), SCRM_ELIMIT, "max_agents");
    o.max_occupancy = 1e-4; /* A = 50 Erlangs: N >= 500,000 */
    cr_assert_eq(scrm_erlang_staffing(1, 50, 20, 0.8, &o, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_eq(r.agents, 500000);
    cr_assert(r.occupancy_bound);
    /* The same figures as scrm_erlang_c() at that N, to the bit. */
    scrm_erlang_result c;
    cr_assert_eq(scrm_erlang_c(1, 50, r.agents, 20, &c), SCRM_OK);
    cr_assert_eq(c.agents, r.at.agents);
    const double got[] = {r.at.offered_load, r.at.wait_probability, r.at.log_wait_probability,
                          r.at.service_level, r.at.asa, r.at.mean_wait_delayed, r.at.occupancy};
    const double want[] = {c.offered_load, c.wait_probability, c.log_wait_probability,
                           c.service_level, c.asa, c.mean_wait_delayed, c.occupancy};
    cr_assert_eq(memcmp(got, want, sizeof got), 0, "staffing and scrm_erlang_c differ");
    cr_assert(c.wait_probability < 1e-280 && c.log_wait_probability < -600,
              "B(A, N) underflowed: the log-space path was used (log C = %g)",
              c.log_wait_probability);
}
