/* Allocation failure injection over every public path that allocates.
 *
 * For each scenario, the N-th allocation is made to fail (N = 0, 1, 2, ...)
 * through the private hook scrm__alloc_fail_after() until a run completes
 * without reaching the injected failure. Every failing run must return
 * SCRM_ENOMEM with the thread's last error set (never a crash or another
 * code), leave constructors' *out == NULL, and leave datasets exactly as they
 * were; every run that succeeds despite an injected failure must give the
 * same result as a run without injection. Both modes are run: "persistent"
 * (every allocation after the N-th fails too: error paths must not need
 * memory) and "one-shot" (only the N-th fails: later allocations succeed, so a
 * path that ignores a failure would go on with a NULL pointer). Leaks are
 * caught by the sanitizer build (LeakSanitizer) and by `tools/dev valgrind`. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hardening_data.h"
#include "core/internal.h"
#include "scrm.h"

#define BASE_ROWS 40
#define LOAD_ROWS 150
#define MAX_STEPS 100000

/* ---- fixtures built once, without injection ---- */

static scrm_dataset *base;  /* BASE_ROWS per table */
static scrm_dataset *full;  /* base + LOAD_ROWS more per table (seed 2) */
static char *load_csv[SCRM_TABLE_COUNT];
static size_t load_len[SCRM_TABLE_COUNT];
static char tmpdir[64];

static scrm_dataset *new_base(void)
{
    scrm_dataset *ds = NULL;
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    cr_assert_eq(hd_load_all(ds, BASE_ROWS, 1), SCRM_OK, "%s", scrm_last_error_message());
    return ds;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static void fixtures_init(void)
{
    base = new_base();
    full = new_base();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/scrm-allocfail-XXXXXX");
    cr_assert(mkdtemp(tmpdir));
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++) {
        load_csv[t] = hd_csv(t, LOAD_ROWS, 2, &load_len[t]);
        cr_assert_eq(scrm_dataset_load_csv_buffer(full, t, load_csv[t], load_len[t], NULL, NULL,
                                                  NULL),
                     SCRM_OK, "%s", scrm_last_error_message());
        char path[128];
        snprintf(path, sizeof path, "%s/%s.csv", tmpdir, scrm_table_name(t));
        write_file(path, load_csv[t], load_len[t]);
    }
}

static void fixtures_fini(void)
{
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s.csv", tmpdir, scrm_table_name(t));
        unlink(path);
        free(load_csv[t]);
    }
    rmdir(tmpdir);
    scrm_dataset_free(base);
    scrm_dataset_free(full);
}

TestSuite(alloc_fail, .init = fixtures_init, .fini = fixtures_fini);

/* ---- the driver ---- */

/* Per-run state: run() works on it with injection on; check() verifies it
 * with injection off and releases what run() produced. */
typedef struct run_state {
    scrm_dataset *ds; /* fresh copy of `base` for each run (when wanted) */
    void *out;        /* constructor output, preset to a non-NULL sentinel */
    int32_t table;
    double result[64];
    size_t result_len;
} run_state;

typedef struct scenario {
    const char *name;
    int wants_ds;
    int (*run)(run_state *s);
    void (*check)(run_state *s, int rc);
} scenario;

static char sentinel;

/* Run sc with the n-th allocation failing, for n = 0, 1, ... until a run
 * never reaches the failure. Returns the number of allocations of a clean run. */
static long exhaust(const scenario *sc, int persistent)
{
    for (long n = 0; n < MAX_STEPS; n++) {
        run_state s;
        memset(&s, 0, sizeof s);
        s.out = &sentinel;
        if (sc->wants_ds)
            s.ds = new_base();
        scrm_clear_error();
        scrm__alloc_fail_after(n, persistent);
        int rc = sc->run(&s);
        unsigned long injected = scrm__alloc_injected();
        scrm__alloc_fail_after(-1, 0);
        if (rc != SCRM_OK) {
            cr_assert_eq(rc, SCRM_ENOMEM,
                         "%s (%s): allocation #%ld failed: status %d (%s), expected SCRM_ENOMEM: %s",
                         sc->name, persistent ? "persistent" : "one-shot", n, rc,
                         scrm_strerror(rc), scrm_last_error_message());
            cr_assert_gt(injected, 0, "%s: SCRM_ENOMEM without an injected failure", sc->name);
            cr_assert_eq(scrm_last_error_code(), SCRM_ENOMEM, "%s: last error code %d",
                         sc->name, scrm_last_error_code());
            cr_assert_neq(scrm_last_error_message()[0], '\0', "%s: empty message", sc->name);
        }
        if (sc->check)
            sc->check(&s, rc);
        if (sc->wants_ds) {
            if (rc != SCRM_OK)
                cr_assert(hd_same_dataset(s.ds, base),
                          "%s: allocation #%ld failed and the dataset changed", sc->name, n);
            scrm_dataset_free(s.ds);
        }
        if (injected == 0) {
            cr_assert_eq(rc, SCRM_OK, "%s: status %d without injection: %s", sc->name, rc,
                         scrm_last_error_message());
            return n;
        }
    }
    cr_assert_fail("%s: more than %d allocations", sc->name, MAX_STEPS);
    return -1;
}

static void exhaust_both(const scenario *sc)
{
    long a = exhaust(sc, 1);
    long b = exhaust(sc, 0);
    cr_assert_eq(a, b, "%s: %ld allocations persistent vs %ld one-shot", sc->name, a, b);
    cr_log_info("%s: %ld allocations, each failed in turn", sc->name, a);
}

/* A constructor's handle: NULL after a failure, else kept for check(). */
#define CHECK_OUT(s, rc, name)                                                              \
    do {                                                                                    \
        if ((rc) != SCRM_OK)                                                                \
            cr_assert_null((s)->out, "%s: failed but *out = %p (half-built handle)", name, \
                           (s)->out);                                                       \
        else                                                                                \
            cr_assert_not_null((s)->out, "%s: succeeded with *out = NULL", name);          \
    } while (0)

/* ---- datasets ---- */

static int run_dataset_new(run_state *s)
{
    return scrm_dataset_new((scrm_dataset **)&s->out);
}

static void check_dataset_new(run_state *s, int rc)
{
    CHECK_OUT(s, rc, "scrm_dataset_new");
    if (rc == SCRM_OK) {
        size_t n = 0;
        cr_assert_eq(scrm_dataset_string_count(s->out, &n), SCRM_OK);
        cr_assert_eq(n, 1);
        scrm_dataset_free(s->out);
    }
}

Test(alloc_fail, dataset_new)
{
    scenario sc = {"scrm_dataset_new", 0, run_dataset_new, check_dataset_new};
    exhaust_both(&sc);
}

static int run_load_buffer(run_state *s)
{
    scrm_load_report rep;
    int rc = scrm_dataset_load_csv_buffer(s->ds, s->table, load_csv[s->table],
                                          load_len[s->table], NULL, NULL, &rep);
    cr_assert_eq(rep.status, rc);
    if (rc != SCRM_OK)
        cr_assert_eq(rep.rows_accepted, 0);
    return rc;
}

static void check_loaded_table(run_state *s, int rc)
{
    if (rc == SCRM_OK)
        cr_assert(hd_same_table(s->ds, full, s->table), "table %s differs after the load",
                  scrm_table_name(s->table));
}

static int table_under_test;

static int run_load_buffer_t(run_state *s)
{
    s->table = table_under_test;
    return run_load_buffer(s);
}

Test(alloc_fail, load_csv_buffer_every_table)
{
    for (int32_t t = 0; t < SCRM_TABLE_COUNT; t++) {
        char name[64];
        snprintf(name, sizeof name, "scrm_dataset_load_csv_buffer(%s)", scrm_table_name(t));
        table_under_test = t;
        scenario sc = {name, 1, run_load_buffer_t, check_loaded_table};
        exhaust_both(&sc);
    }
}

static int run_load_skip(run_state *s)
{
    /* Skip mode with bad rows in between: rejections are recorded too. */
    static const char csv[] = "customer,time,amount,margin\n"
                              "C00001,2023-01-01,1.5,\n"
                              "C00002,not a date,2.5,\n"
                              "NEWCUSTOMER-1,2023-01-02,3.5,1\n"
                              "C00003,2023-01-03,x,\n"
                              "NEWCUSTOMER-2,2023-01-04,4.5,2\n";
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = SCRM_ON_ERROR_SKIP;
    scrm_load_report rep;
    int rc = scrm_dataset_load_csv_buffer(s->ds, SCRM_TABLE_TRANSACTIONS, csv, sizeof csv - 1,
                                          "skip.csv", &o, &rep);
    if (rc == SCRM_OK) {
        cr_assert_eq(rep.rows_accepted, 3);
        cr_assert_eq(rep.rows_rejected, 2);
    }
    return rc;
}

Test(alloc_fail, load_csv_buffer_skip_mode)
{
    scenario sc = {"scrm_dataset_load_csv_buffer(skip)", 1, run_load_skip, NULL};
    exhaust_both(&sc);
}

static int run_load_file(run_state *s)
{
    char path[128];
    s->table = SCRM_TABLE_SOCIAL;
    snprintf(path, sizeof path, "%s/social.csv", tmpdir);
    return scrm_dataset_load_csv(s->ds, s->table, path, NULL, NULL);
}

Test(alloc_fail, load_csv_file)
{
    scenario sc = {"scrm_dataset_load_csv", 1, run_load_file, check_loaded_table};
    exhaust_both(&sc);
}

static int run_load_dir(run_state *s)
{
    scrm_load_report reps[SCRM_TABLE_COUNT];
    size_t n = 0;
    int rc = scrm_dataset_load_dir(s->ds, tmpdir, NULL, reps, SCRM_TABLE_COUNT, &n);
    if (rc != SCRM_OK)
        for (size_t k = 0; k < n; k++)
            cr_assert_eq(reps[k].rows_accepted, 0);
    return rc;
}

static void check_load_dir(run_state *s, int rc)
{
    if (rc == SCRM_OK)
        cr_assert(hd_same_dataset(s->ds, full), "dataset differs after load_dir");
}

Test(alloc_fail, load_dir)
{
    scenario sc = {"scrm_dataset_load_dir", 1, run_load_dir, check_load_dir};
    exhaust_both(&sc);
}

#define APPEND_ROWS 300

static int run_append(run_state *s)
{
    static char names[APPEND_ROWS][16];
    static const char *ids[APPEND_ROWS];
    static int64_t times[APPEND_ROWS];
    static double amounts[APPEND_ROWS];
    for (size_t i = 0; i < APPEND_ROWS; i++) {
        snprintf(names[i], sizeof names[i], "A%05zu", i % 97);
        ids[i] = names[i];
        times[i] = 1672531200 + (int64_t)i * 3600;
        amounts[i] = (double)i * 0.5;
    }
    scrm_column_input cols[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, ids},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, times},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amounts},
    };
    s->table = SCRM_TABLE_TRANSACTIONS;
    return scrm_dataset_append(s->ds, s->table, APPEND_ROWS, cols, 3, NULL, NULL);
}

static void check_append(run_state *s, int rc)
{
    if (rc == SCRM_OK) {
        size_t before = 0, after = 0;
        scrm_dataset_rows(base, SCRM_TABLE_TRANSACTIONS, &before);
        scrm_dataset_rows(s->ds, SCRM_TABLE_TRANSACTIONS, &after);
        cr_assert_eq(after, before + APPEND_ROWS);
        const uint32_t *ids = NULL;
        scrm_dataset_column(s->ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER,
                            (const void **)&ids, NULL);
        const char *str = NULL;
        cr_assert_eq(scrm_dataset_string(s->ds, ids[after - 1], &str, NULL), SCRM_OK);
        cr_assert_str_eq(str, "A00008"); /* row 299: 299 % 97 = 8 */
    }
}

Test(alloc_fail, dataset_append)
{
    scenario sc = {"scrm_dataset_append", 1, run_append, check_append};
    exhaust_both(&sc);
}

/* ---- NPS ---- */

static int run_nps_new(run_state *s)
{
    scrm_nps_options o = SCRM_NPS_OPTIONS_INIT;
    return scrm_nps_new((scrm_nps **)&s->out, &o);
}

static void check_nps_handle(run_state *s, int rc)
{
    CHECK_OUT(s, rc, "nps constructor");
    if (rc == SCRM_OK)
        scrm_nps_free(s->out);
}

Test(alloc_fail, nps_new)
{
    scenario sc = {"scrm_nps_new", 0, run_nps_new, check_nps_handle};
    exhaust_both(&sc);
}

static uint8_t nps_bytes[512];
static size_t nps_bytes_len;

static int run_nps_deserialize(run_state *s)
{
    return scrm_nps_deserialize((scrm_nps **)&s->out, nps_bytes, nps_bytes_len);
}

Test(alloc_fail, nps_deserialize)
{
    scrm_nps *x = NULL;
    cr_assert_eq(scrm_nps_new(&x, NULL), SCRM_OK);
    double scores[] = {0, 5, 9, 10, 10, 7};
    cr_assert_eq(scrm_nps_add_scores(x, scores, 6), SCRM_OK);
    cr_assert_eq(scrm_nps_serialize(x, nps_bytes, sizeof nps_bytes, &nps_bytes_len), SCRM_OK);
    scrm_nps_free(x);
    scenario sc = {"scrm_nps_deserialize", 0, run_nps_deserialize, check_nps_handle};
    exhaust_both(&sc);
}

static scrm_nps_result nps_ref;

static int run_nps_compute(run_state *s)
{
    scrm_nps *x = NULL;
    int rc = scrm_nps_new(&x, NULL);
    if (rc == SCRM_OK) {
        scrm_nps_result r;
        rc = scrm_nps_compute(x, s->ds, &r);
        if (rc == SCRM_OK)
            cr_assert_eq(memcmp(&r, &nps_ref, sizeof r), 0, "NPS result differs");
    }
    scrm_nps_free(x);
    return rc;
}

Test(alloc_fail, nps_compute)
{
    scrm_nps *x = NULL;
    cr_assert_eq(scrm_nps_new(&x, NULL), SCRM_OK);
    cr_assert_eq(scrm_nps_compute(x, base, &nps_ref), SCRM_OK);
    scrm_nps_free(x);
    scenario sc = {"scrm_nps_compute", 1, run_nps_compute, NULL};
    exhaust_both(&sc);
}

#define GROUPS 64
static scrm_nps_group groups_ref[GROUPS];
static size_t groups_ref_len;

static int nps_groups(const scrm_dataset *ds, int by_period, scrm_nps_group *g, size_t *len)
{
    scrm_nps *x = NULL;
    int rc = scrm_nps_new(&x, NULL);
    if (rc == SCRM_OK)
        rc = by_period ? scrm_nps_compute_by_period(x, ds, SCRM_PERIOD_MONTH, g, GROUPS, len)
                       : scrm_nps_compute_by_segment(x, ds, g, GROUPS, len);
    scrm_nps_free(x);
    return rc;
}

/* Groups compared field by field: struct padding is not part of a result. */
static void same_groups(const scrm_nps_group *g, const scrm_nps_group *h, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        const scrm_nps_result *a = &g[i].result, *b = &h[i].result;
        cr_assert_eq(g[i].segment, h[i].segment);
        cr_assert_eq(g[i].period_start, h[i].period_start);
        cr_assert_eq(memcmp(a->score_counts, b->score_counts, sizeof a->score_counts), 0);
        const double x[] = {a->nps, a->se, a->ci_center, a->ci_se, a->ci_low, a->ci_high};
        const double y[] = {b->nps, b->se, b->ci_center, b->ci_se, b->ci_low, b->ci_high};
        cr_assert_eq(memcmp(x, y, sizeof x), 0, "group %zu differs", i);
    }
}

static int run_nps_by_segment(run_state *s)
{
    scrm_nps_group g[GROUPS];
    size_t len = 0;
    int rc = nps_groups(s->ds, 0, g, &len);
    if (rc == SCRM_OK) {
        cr_assert_eq(len, groups_ref_len);
        same_groups(g, groups_ref, len);
    }
    return rc;
}

static int run_nps_by_period(run_state *s)
{
    scrm_nps_group g[GROUPS];
    size_t len = 0;
    int rc = nps_groups(s->ds, 1, g, &len);
    if (rc == SCRM_OK) {
        cr_assert_eq(len, groups_ref_len);
        same_groups(g, groups_ref, len);
    }
    return rc;
}

Test(alloc_fail, nps_compute_by_segment)
{
    cr_assert_eq(nps_groups(base, 0, groups_ref, &groups_ref_len), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_gt(groups_ref_len, 1);
    scenario sc = {"scrm_nps_compute_by_segment", 1, run_nps_by_segment, NULL};
    exhaust_both(&sc);
}

Test(alloc_fail, nps_compute_by_period)
{
    cr_assert_eq(nps_groups(base, 1, groups_ref, &groups_ref_len), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert_gt(groups_ref_len, 1);
    scenario sc = {"scrm_nps_compute_by_period", 1, run_nps_by_period, NULL};
    exhaust_both(&sc);
}

static int run_nps_referral(run_state *s)
{
    scrm_nps_referral a, b;
    int rc = scrm_nps_referral_compute(s->ds, &a);
    if (rc == SCRM_OK) {
        cr_assert_eq(scrm_nps_referral_compute(base, &b), SCRM_OK);
        cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
    }
    return rc;
}

Test(alloc_fail, nps_referral_compute)
{
    scenario sc = {"scrm_nps_referral_compute", 1, run_nps_referral, NULL};
    exhaust_both(&sc);
}

/* ---- RFM and CLV ---- */

static int run_rfm_new(run_state *s)
{
    return scrm_rfm_new((scrm_rfm **)&s->out, NULL, s->ds);
}

static void check_rfm(run_state *s, int rc)
{
    CHECK_OUT(s, rc, "scrm_rfm_new");
    if (rc == SCRM_OK) {
        scrm_rfm_info a, b;
        scrm_rfm *ref = NULL;
        cr_assert_eq(scrm_rfm_new(&ref, NULL, base), SCRM_OK);
        cr_assert_eq(scrm_rfm_get_info(s->out, &a), SCRM_OK);
        cr_assert_eq(scrm_rfm_get_info(ref, &b), SCRM_OK);
        cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
        scrm_rfm_free(ref);
        scrm_rfm_free(s->out);
    }
}

Test(alloc_fail, rfm_new)
{
    scenario sc = {"scrm_rfm_new", 1, run_rfm_new, check_rfm};
    exhaust_both(&sc);
}

#define ARR 200
static int64_t arr_cust[ARR], arr_time[ARR];
static double arr_value[ARR];

static int run_rfm_arrays(run_state *s)
{
    int rc = scrm_rfm_new_from_arrays((scrm_rfm **)&s->out, NULL, arr_cust, arr_time, arr_value,
                                      ARR);
    if (rc != SCRM_OK)
        return rc;
    /* The collapse allocates too. */
    double x[ARR], tx[ARR], T[ARR], w[ARR];
    size_t len = 0;
    return scrm_rfm_collapse(s->out, x, tx, T, w, ARR, &len);
}

static void check_rfm_arrays(run_state *s, int rc)
{
    if (rc != SCRM_OK && s->out != &sentinel) {
        /* the collapse failed: the summary itself was built */
        scrm_rfm_free(s->out);
        return;
    }
    CHECK_OUT(s, rc, "scrm_rfm_new_from_arrays");
    if (rc == SCRM_OK)
        scrm_rfm_free(s->out);
}

Test(alloc_fail, rfm_new_from_arrays_and_collapse)
{
    uint64_t st = 5;
    for (size_t i = 0; i < ARR; i++) {
        uint64_t r = hd_next(&st);
        arr_cust[i] = (int64_t)(r % 40);
        arr_time[i] = 1672531200 + (int64_t)((r >> 8) % 300) * 86400;
        arr_value[i] = (double)((r >> 20) % 100) + 0.5;
    }
    scenario sc = {"scrm_rfm_new_from_arrays", 0, run_rfm_arrays, check_rfm_arrays};
    exhaust_both(&sc);
}

/* CDNOW summary (2357 customers): the fits converge on it (see test_clv). */
#define CDNOW_N 2357
static double clv_x[CDNOW_N], clv_tx[CDNOW_N], clv_T[CDNOW_N], clv_m[CDNOW_N];
static double rep_x[CDNOW_N], rep_tx[CDNOW_N], rep_T[CDNOW_N], rep_m[CDNOW_N];
static scrm_clv_data clv_data, clv_repeat; /* all customers; repeat buyers (Gamma-Gamma) */
static scrm_clv_fit_result clv_ref;

static void make_clv_data(void)
{
    const char *root = getenv("SCRM_SHARED_DATA");
    cr_assert(root, "SCRM_SHARED_DATA not set");
    char path[1024], line[256];
    snprintf(path, sizeof path, "%s/cdnow/cdnow_customers_summary_with_transactions.csv", root);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    cr_assert(fgets(line, sizeof line, f));
    size_t n = 0, r = 0;
    while (n < CDNOW_N && fgets(line, sizeof line, f)) {
        int id;
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &clv_x[n], &clv_tx[n], &clv_T[n],
                   &clv_m[n]) != 5)
            continue;
        if (clv_x[n] >= 1) {
            rep_x[r] = clv_x[n], rep_tx[r] = clv_tx[n], rep_T[r] = clv_T[n], rep_m[r] = clv_m[n];
            r++;
        }
        n++;
    }
    fclose(f);
    cr_assert_eq(n, CDNOW_N);
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = n;
    d.frequency = clv_x;
    d.recency = clv_tx;
    d.age = clv_T;
    d.monetary = clv_m;
    clv_data = d;
    d.n = r;
    d.frequency = rep_x;
    d.recency = rep_tx;
    d.age = rep_T;
    d.monetary = rep_m;
    clv_repeat = d;
}

static int fit_kind;

static int run_clv_fit(run_state *s)
{
    scrm_clv_fit_result r;
    int rc = scrm_clv_model_fit((scrm_clv_model **)&s->out, fit_kind,
                                fit_kind == SCRM_CLV_GAMMA_GAMMA ? &clv_repeat : &clv_data, NULL,
                                &r);
    if (rc == SCRM_OK) {
        cr_assert_eq(r.iterations, clv_ref.iterations);
        for (uint32_t i = 0; i < r.n_params; i++)
            cr_assert_eq(r.params[i], clv_ref.params[i]);
    }
    return rc;
}

static void check_clv_handle(run_state *s, int rc)
{
    CHECK_OUT(s, rc, "clv model constructor");
    if (rc == SCRM_OK)
        scrm_clv_model_free(s->out);
}

Test(alloc_fail, clv_model_fit)
{
    make_clv_data();
    static const int32_t kinds[] = {SCRM_CLV_BGNBD, SCRM_CLV_MBGNBD, SCRM_CLV_GAMMA_GAMMA};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        fit_kind = kinds[k];
        scrm_clv_model *m = NULL;
        cr_assert_eq(scrm_clv_model_fit(&m, fit_kind,
                                        fit_kind == SCRM_CLV_GAMMA_GAMMA ? &clv_repeat
                                                                         : &clv_data,
                                        NULL, &clv_ref),
                     SCRM_OK,
                     "%s: %s", scrm_clv_kind_name(fit_kind), scrm_last_error_message());
        scrm_clv_model_free(m);
        char name[64];
        snprintf(name, sizeof name, "scrm_clv_model_fit(%s)", scrm_clv_kind_name(fit_kind));
        scenario sc = {name, 0, run_clv_fit, check_clv_handle};
        exhaust_both(&sc);
    }
}

static uint8_t clv_bytes[512];
static size_t clv_bytes_len;

static int run_clv_new(run_state *s)
{
    static const double p[] = {0.24, 4.4, 0.79, 2.4};
    return scrm_clv_model_new((scrm_clv_model **)&s->out, SCRM_CLV_BGNBD, p, 4);
}

static int run_clv_deserialize(run_state *s)
{
    return scrm_clv_model_deserialize((scrm_clv_model **)&s->out, clv_bytes, clv_bytes_len);
}

static int run_clv_predict(run_state *s)
{
    (void)s;
    static const double p[] = {0.24, 4.4, 0.79, 2.4}, g[] = {6.2, 3.7, 15.4};
    scrm_clv_model *m = NULL, *gg = NULL;
    int rc = scrm_clv_model_new(&m, SCRM_CLV_BGNBD, p, 4);
    if (rc == SCRM_OK)
        rc = scrm_clv_model_new(&gg, SCRM_CLV_GAMMA_GAMMA, g, 3);
    static double out[CDNOW_N];
    double t[3] = {1, 10, 30}, k[3] = {0, 1, 2};
    size_t len = 0;
    if (rc == SCRM_OK)
        rc = scrm_clv_expected_purchases(m, t, 3, out, CDNOW_N, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_conditional_expected_purchases(m, 10, &clv_data, out, CDNOW_N, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_probability_alive(m, &clv_data, out, CDNOW_N, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_probability_purchases(m, t, k, 3, out, CDNOW_N, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_expected_spend(gg, &clv_repeat, out, CDNOW_N, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_customer_value(m, gg, &clv_repeat, NULL, out, CDNOW_N, &len);
    scrm_clv_model_free(m);
    scrm_clv_model_free(gg);
    return rc;
}

Test(alloc_fail, clv_model_new_deserialize_predict)
{
    make_clv_data();
    scenario a = {"scrm_clv_model_new", 0, run_clv_new, check_clv_handle};
    exhaust_both(&a);
    scrm_clv_model *m = NULL;
    static const double p[] = {0.24, 4.4, 0.79, 2.4};
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, p, 4), SCRM_OK);
    cr_assert_eq(scrm_clv_model_serialize(m, clv_bytes, sizeof clv_bytes, &clv_bytes_len),
                 SCRM_OK);
    scrm_clv_model_free(m);
    scenario b = {"scrm_clv_model_deserialize", 0, run_clv_deserialize, check_clv_handle};
    exhaust_both(&b);
    scenario c = {"scrm_clv_* predictions", 0, run_clv_predict, NULL};
    exhaust_both(&c);
}

/* ---- ROI finance ---- */

static int run_finance(run_state *s)
{
    (void)s;
    static const double flows[] = {-100, 20, 30, 40, 50, -10, 60, 5};
    double roots[8], npv;
    size_t n = 0;
    int rc = scrm_finance_irr(flows, 8, roots, 8, &n);
    scrm_finance_payback_result pb;
    if (rc == SCRM_OK)
        rc = scrm_finance_discounted_payback(flows, 8, 0.05, &pb);
    if (rc == SCRM_OK)
        rc = scrm_finance_npv(0.05, flows, 8, &npv);
    if (rc == SCRM_OK)
        rc = scrm_finance_payback(flows, 8, &pb);
    return rc;
}

Test(alloc_fail, roi_finance)
{
    scenario sc = {"scrm_finance_irr/scrm_finance_discounted_payback", 0, run_finance, NULL};
    exhaust_both(&sc);
}

/* ---- engagement, service, ROI models ---- */

/* The whole life of a calculator: new, add, serialize, deserialize, merge,
 * finalize, compute over the dataset. Results go to s->result for check(). */
static int run_engagement(run_state *s)
{
    scrm_engagement_options o = SCRM_ENGAGEMENT_OPTIONS_INIT;
    o.hll_precision = 8;
    o.own_brand = "rival";
    scrm_engagement *e = NULL, *f = NULL; /* f: the deserialized copy */
    uint8_t *buf = NULL;
    int rc = scrm_engagement_new(&e, &o);
    if (rc == SCRM_OK) {
        int64_t t[4] = {1672531200, 1672617600, 1675209600, 1675296000};
        const char *users[4] = {"@a", "@b", "@a", "@c"};
        int32_t kinds[4] = {SCRM_ENGAGEMENT_POST, SCRM_ENGAGEMENT_LIKE, SCRM_ENGAGEMENT_SHARE,
                            SCRM_ENGAGEMENT_MENTION};
        double reach[4] = {10, 20, 30, 40}, sent[4] = {0.5, -0.5, 0, 1};
        int8_t comp[4] = {0, 0, 0, 1};
        const char *ch[2] = {"x", "fb"};
        double fol[2] = {100, 200};
        rc = scrm_engagement_add(e, t, users, kinds, reach, reach, sent, comp, 4);
        if (rc == SCRM_OK)
            rc = scrm_engagement_add_followers(e, t, ch, fol, 2);
    }
    size_t need = 0;
    if (rc == SCRM_OK) {
        rc = scrm_engagement_serialize(e, NULL, 0, &need); /* measuring may allocate too */
        if (rc == SCRM_EBUFS)
            rc = (buf = malloc(need)) ? scrm_engagement_serialize(e, buf, need, &need) : SCRM_ENOMEM;
    }
    if (rc == SCRM_OK) {
        f = (scrm_engagement *)(void *)&sentinel;
        rc = scrm_engagement_deserialize(&f, buf, need);
        if (rc != SCRM_OK)
            cr_assert_null(f, "scrm_engagement_deserialize: half-built handle");
    }
    if (rc == SCRM_OK)
        rc = scrm_engagement_merge(f, e);
    scrm_engagement_result r, p[8];
    size_t len = 0;
    if (rc == SCRM_OK)
        rc = scrm_engagement_finalize(f, &r);
    if (rc == SCRM_OK)
        rc = scrm_engagement_periods(f, p, 8, &len);
    if (rc == SCRM_OK) {
        s->result[0] = r.unique_users;
        s->result[1] = (double)r.rows;
        s->result[2] = r.followers;
        rc = scrm_engagement_compute(e, s->ds, &r);
    }
    if (rc == SCRM_OK) {
        s->result[3] = r.unique_users;
        s->result[4] = (double)r.engagements;
        s->result[5] = r.share_of_voice;
        s->result_len = 6;
    }
    free(buf);
    scrm_engagement_free(f);
    scrm_engagement_free(e);
    return rc;
}

static double reference[64];

static void check_reference(run_state *s, int rc)
{
    if (rc != SCRM_OK)
        return;
    for (size_t i = 0; i < s->result_len; i++)
        cr_assert(memcmp(&s->result[i], &reference[i], sizeof(double)) == 0,
                  "result %zu: %.17g, without injected failures %.17g", i, s->result[i],
                  reference[i]);
}

static void set_reference(int (*run)(run_state *))
{
    run_state s;
    memset(&s, 0, sizeof s);
    s.ds = new_base();
    cr_assert_eq(run(&s), SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_gt(s.result_len, 0);
    memcpy(reference, s.result, sizeof reference);
    scrm_dataset_free(s.ds);
}

Test(alloc_fail, engagement)
{
    set_reference(run_engagement);
    scenario sc = {"scrm_engagement_*", 1, run_engagement, check_reference};
    exhaust_both(&sc);
}

static int run_service(run_state *s)
{
    scrm_service_options o = SCRM_SERVICE_OPTIONS_INIT;
    o.group_by = SCRM_SERVICE_GROUP_AGENT;
    scrm_service *a = NULL, *b = (scrm_service *)(void *)&sentinel;
    uint8_t *buf = NULL;
    scrm_service_result r;
    int rc = scrm_service_new(&a, &o);
    if (rc == SCRM_OK)
        rc = scrm_service_compute(a, s->ds, &r);
    size_t need = 0;
    if (rc == SCRM_OK) {
        rc = scrm_service_serialize(a, NULL, 0, &need); /* measuring may allocate too */
        if (rc == SCRM_EBUFS)
            rc = (buf = malloc(need)) ? scrm_service_serialize(a, buf, need, &need) : SCRM_ENOMEM;
    }
    if (rc == SCRM_OK) {
        rc = scrm_service_deserialize(&b, buf, need);
        if (rc != SCRM_OK)
            cr_assert_null(b, "scrm_service_deserialize: half-built handle");
    }
    if (b == (scrm_service *)(void *)&sentinel)
        b = NULL;
    scrm_service_stats g[16];
    size_t len = 0;
    if (rc == SCRM_OK)
        rc = scrm_service_merge(b, a);
    if (rc == SCRM_OK)
        rc = scrm_service_groups(b, g, 16, &len);
    if (rc == SCRM_OK) {
        s->result[0] = r.overall.answer.median + r.overall.resolution_rate;
        s->result[1] = (double)len;
        scrm_service_savings_result sv;
        rc = scrm_service_savings_compute(s->ds, NULL, &sv);
        s->result[2] = sv.net_savings;
        s->result_len = 3;
    }
    free(buf);
    scrm_service_free(b);
    scrm_service_free(a);
    return rc;
}

Test(alloc_fail, service)
{
    set_reference(run_service);
    scenario sc = {"scrm_service_*", 1, run_service, check_reference};
    exhaust_both(&sc);
}

static int run_roi(run_state *s)
{
    scrm_roi_options o = SCRM_ROI_OPTIONS_INIT;
    o.start = 1672531200;
    o.horizon = 24;
    scrm_roi_model *m = (scrm_roi_model *)(void *)&sentinel;
    int rc = scrm_roi_model_new(&m, &o);
    if (rc != SCRM_OK) {
        cr_assert_null(m, "scrm_roi_model_new: half-built handle");
        return rc;
    }
    int32_t b = -1;
    rc = scrm_roi_model_add_cost(m, "platform licence", "vendor quote", 0, -1, 1000, 0.01, NULL);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_add_benefit(m, "sales uplift", NULL, 1, -1, 1800, 0.02, &b);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_add_costs_table(m, "program costs", NULL, s->ds, NULL, NULL);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_add_retention(m, "retention", NULL, 1, -1, 100, 0.7, 0.75, 30, 0.01,
                                          NULL);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_uncertain(m, b, SCRM_ROI_INPUT_AMOUNT, SCRM_DIST_PERT, 900, 1800,
                                          3000);
    if (rc == SCRM_OK)
        rc = scrm_roi_model_set_scenario(m, "pessimistic", b, SCRM_ROI_INPUT_AMOUNT, 800);
    scrm_roi_result r;
    if (rc == SCRM_OK)
        rc = scrm_roi_model_evaluate(m, "pessimistic", &r);
    scrm_roi_sensitivity_row rows[8];
    size_t len = 0;
    if (rc == SCRM_OK)
        rc = scrm_roi_model_sensitivity(m, NULL, rows, 8, &len);
    scrm_roi_mc *mc = (scrm_roi_mc *)(void *)&sentinel;
    scrm_roi_mc_options mo = SCRM_ROI_MC_OPTIONS_INIT;
    mo.iterations = 300;
    if (rc == SCRM_OK) {
        rc = scrm_roi_mc_run(&mc, m, &mo);
        if (rc != SCRM_OK)
            cr_assert_null(mc, "scrm_roi_mc_run: half-built handle");
    } else {
        mc = NULL;
    }
    scrm_roi_mc_summary sum;
    if (rc == SCRM_OK)
        rc = scrm_roi_mc_summarize(mc, &sum);
    if (rc == SCRM_OK) {
        s->result[0] = r.npv;
        s->result[1] = rows[0].swing;
        s->result[2] = sum.npv.mean;
        s->result[3] = sum.p_roi_positive;
        s->result_len = 4;
    }
    scrm_roi_mc_free(mc);
    scrm_roi_model_free(m);
    return rc;
}

Test(alloc_fail, roi_model)
{
    set_reference(run_roi);
    scenario sc = {"scrm_roi_model_*", 1, run_roi, check_reference};
    exhaust_both(&sc);
}

static int run_crv(run_state *s)
{
    scrm_crv_options o = SCRM_CRV_OPTIONS_INIT;
    o.margin_source = SCRM_CRV_SOURCE_AMOUNT;
    o.margin_rate = 0.3;
    scrm_crv *a = (scrm_crv *)(void *)&sentinel, *b = (scrm_crv *)(void *)&sentinel;
    uint8_t *buf = NULL;
    int rc = scrm_crv_new(&a, &o);
    if (rc != SCRM_OK) {
        cr_assert_null(a, "scrm_crv_new: half-built handle");
        return rc;
    }
    scrm_crv_result r;
    rc = scrm_crv_compute(a, s->ds, &r);
    int64_t ref[3] = {5, 6, 5};
    if (rc == SCRM_OK)
        rc = scrm_crv_add(a, ref, NULL, NULL, NULL, NULL, NULL, 3);
    size_t need = 0;
    if (rc == SCRM_OK) {
        rc = scrm_crv_serialize(a, NULL, 0, &need);
        if (rc == SCRM_EBUFS)
            rc = (buf = malloc(need)) ? scrm_crv_serialize(a, buf, need, &need) : SCRM_ENOMEM;
    }
    if (rc == SCRM_OK) {
        rc = scrm_crv_deserialize(&b, buf, need);
        if (rc != SCRM_OK)
            cr_assert_null(b, "scrm_crv_deserialize: half-built handle");
    }
    if (b == (scrm_crv *)(void *)&sentinel)
        b = NULL;
    if (rc == SCRM_OK)
        rc = scrm_crv_merge(b, a);
    double v[4];
    size_t len = 0;
    if (rc == SCRM_OK)
        rc = scrm_crv_finalize(b, &r);
    if (rc == SCRM_OK)
        rc = scrm_crv_lookup(b, ref, 3, v, 4, &len);
    if (rc == SCRM_OK) {
        s->result[0] = r.value;
        s->result[1] = r.referees;
        s->result[2] = v[0];
        double clv[5] = {1, 9, 3, 7, 5}, crv[5] = {2, 8, 6, 4, 0};
        int32_t seg[5];
        scrm_crv_segment_summary sum;
        rc = scrm_crv_segments(clv, crv, 5, NULL, seg, 5, &len, &sum);
        s->result[3] = sum.clv_threshold;
        s->result_len = 4;
    }
    free(buf);
    scrm_crv_free(b);
    scrm_crv_free(a);
    return rc;
}

Test(alloc_fail, crv)
{
    set_reference(run_crv);
    scenario sc = {"scrm_crv_*", 1, run_crv, check_reference};
    exhaust_both(&sc);
}

static int run_sbg(run_state *s)
{
    /* Fader & Hardie's "regular" cohort (survivors of 1000 over 7 years). */
    static const double surv[8] = {1000, 631, 468, 382, 326, 289, 262, 241};
    scrm_clv_model *m = (scrm_clv_model *)(void *)&sentinel;
    scrm_clv_fit_result r;
    int rc = scrm_clv_sbg_fit_survivors(&m, surv, 8, NULL, &r);
    if (rc != SCRM_OK) {
        cr_assert_null(m, "scrm_clv_sbg_fit_survivors: half-built handle");
        return rc;
    }
    double t[3] = {1, 5, 12}, out[3], derl[3];
    size_t len = 0;
    rc = scrm_clv_sbg_survival(m, t, 3, out, 3, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_sbg_derl(m, 0.1, t, 3, derl, 3, &len);
    if (rc == SCRM_OK) {
        s->result[0] = r.params[0];
        s->result[1] = r.params[1];
        s->result[2] = out[0];
        s->result[3] = derl[1];
        s->result_len = 4;
    }
    scrm_clv_model_free(m);
    return rc;
}

Test(alloc_fail, clv_sbg)
{
    set_reference(run_sbg);
    scenario sc = {"scrm_clv_sbg_*", 0, run_sbg, check_reference};
    exhaust_both(&sc);
}

/* BG/BB (Fader, Hardie & Shang 2010): the donations summary (frequency,
 * recency, 6 opportunities, customers), fit, predictions, saved and loaded. */
static int run_bgbb(run_state *s)
{
    static const double x[22] = {0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6};
    static const double tx[22] = {0, 1, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 3, 4, 5, 6, 4, 5, 6, 5, 6, 6};
    static const double w[22] = {3464, 1091, 277, 129, 78,  119, 129, 613, 255, 155, 173,
                                 234,  322,  181, 225, 357, 240, 284, 512, 335, 728, 1203};
    static double n[22];
    for (int i = 0; i < 22; i++)
        n[i] = 6;
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = 22;
    d.frequency = x;
    d.recency = tx;
    d.age = n;
    d.weights = w;
    scrm_clv_model *m = (scrm_clv_model *)(void *)&sentinel, *back = NULL;
    scrm_clv_fit_result r;
    int rc = scrm_clv_model_fit(&m, SCRM_CLV_BGBB, &d, NULL, &r);
    if (rc != SCRM_OK) {
        cr_assert_null(m, "scrm_clv_model_fit(BG/BB): half-built handle");
        return rc;
    }
    double t[3] = {1, 5, 10}, k[3] = {0, 1, 2}, alive[22], cond[22], pk[3];
    uint8_t buf[512];
    size_t len = 0, blen = 0;
    rc = scrm_clv_probability_alive(m, &d, alive, 22, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_conditional_expected_purchases(m, 5, &d, cond, 22, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_probability_purchases(m, t, k, 3, pk, 3, &len);
    if (rc == SCRM_OK)
        rc = scrm_clv_model_serialize(m, buf, sizeof buf, &blen);
    if (rc == SCRM_OK) {
        back = (scrm_clv_model *)(void *)&sentinel;
        rc = scrm_clv_model_deserialize(&back, buf, blen);
        if (rc != SCRM_OK)
            cr_assert_null(back, "scrm_clv_model_deserialize: half-built handle");
    }
    if (rc == SCRM_OK) {
        for (int i = 0; i < 4; i++)
            s->result[i] = r.params[i];
        s->result[4] = r.log_likelihood;
        s->result[5] = alive[0];
        s->result[6] = alive[21];
        s->result[7] = cond[10];
        s->result[8] = pk[2];
        s->result_len = 9;
    }
    scrm_clv_model_free(back);
    scrm_clv_model_free(m);
    return rc;
}

Test(alloc_fail, clv_bgbb)
{
    set_reference(run_bgbb);
    scenario sc = {"scrm_clv_* BG/BB", 0, run_bgbb, check_reference};
    exhaust_both(&sc);
}

/* RFM histogram: from arrays and from an RFM summary of the dataset, merged,
 * saved and loaded, read back and fitted. A failed add or merge must leave
 * the histogram as it was (checked by the rows read back at the end). */
static int run_rfm_hist(run_state *s)
{
    static const double x[6] = {0, 1, 2, 1, 3, 0}, tx[6] = {0, 3, 5, 3, 6, 0};
    static const double T[6] = {6, 6, 6, 6, 7, 7}, w[6] = {3, 1, 2, 1, 1, 4};
    scrm_rfm_hist *a = NULL, *b = NULL, *c = (scrm_rfm_hist *)(void *)&sentinel;
    scrm_rfm *rfm = NULL;
    scrm_clv_model *m = NULL;
    uint8_t *buf = NULL;
    int rc = scrm_rfm_hist_new(&a, NULL);
    if (rc == SCRM_OK)
        rc = scrm_rfm_hist_new(&b, NULL);
    if (rc == SCRM_OK)
        rc = scrm_rfm_hist_add(a, x, tx, T, w, 6);
    if (rc == SCRM_OK)
        rc = scrm_rfm_new(&rfm, NULL, s->ds);
    if (rc == SCRM_OK)
        rc = scrm_rfm_hist_add_rfm(b, rfm);
    if (rc == SCRM_OK)
        rc = scrm_rfm_hist_merge(a, b);
    size_t need = 0, len = 0;
    if (rc == SCRM_OK) {
        rc = scrm_rfm_hist_serialize(a, NULL, 0, &need);
        if (rc == SCRM_EBUFS)
            rc = (buf = malloc(need)) ? scrm_rfm_hist_serialize(a, buf, need, &len) : SCRM_ENOMEM;
    }
    if (rc == SCRM_OK) {
        rc = scrm_rfm_hist_deserialize(&c, buf, len);
        if (rc != SCRM_OK) {
            cr_assert_null(c, "scrm_rfm_hist_deserialize: half-built handle");
        }
    } else {
        c = NULL;
    }
    double rx[32], rtx[32], rT[32], rw[32];
    size_t rows = 0;
    if (rc == SCRM_OK)
        rc = scrm_rfm_hist_rows(c, rx, rtx, rT, rw, 32, &rows);
    scrm_clv_fit_result fr;
    if (rc == SCRM_OK)
        rc = scrm_rfm_hist_fit(&m, SCRM_CLV_BGNBD, c, NULL, &fr);
    if (rc == SCRM_OK) {
        s->result[0] = (double)rows;
        s->result[1] = rw[0];
        s->result[2] = rx[rows - 1];
        s->result[3] = fr.params[0];
        s->result[4] = fr.log_likelihood;
        s->result_len = 5;
    } else if (rc != SCRM_ENOMEM) {
        cr_assert_fail("run_rfm_hist: status %d: %s", rc, scrm_last_error_message());
    }
    free(buf);
    scrm_clv_model_free(m);
    scrm_rfm_hist_free(c);
    scrm_rfm_free(rfm);
    scrm_rfm_hist_free(b);
    scrm_rfm_hist_free(a);
    return rc;
}

Test(alloc_fail, rfm_hist)
{
    set_reference(run_rfm_hist);
    scenario sc = {"scrm_rfm_hist_*", 1, run_rfm_hist, check_reference};
    exhaust_both(&sc);
}

/* The hook itself: counts, one-shot vs persistent, and per-thread isolation
 * (other threads are covered in test_concurrency). */
Test(alloc_fail, hook_semantics)
{
    scrm__alloc_fail_after(1, 0);
    void *a = scrm__malloc(8);
    void *b = scrm__malloc(8);
    void *c = scrm__malloc(8);
    cr_assert_not_null(a);
    cr_assert_null(b);
    cr_assert_not_null(c, "one-shot: only the one allocation fails");
    cr_assert_eq(scrm__alloc_injected(), 1);
    scrm__alloc_fail_after(0, 1);
    void *d = scrm__calloc(1, 8);
    void *e = scrm__realloc(c, 64);
    cr_assert_null(d);
    cr_assert_null(e, "realloc fails and leaves the block alone");
    cr_assert_eq(scrm__alloc_injected(), 2);
    scrm__alloc_fail_after(-1, 0);
    void *f = scrm__malloc(8);
    cr_assert_not_null(f);
    scrm__free(a);
    scrm__free(c);
    scrm__free(f);
}
