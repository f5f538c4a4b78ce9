/* Dataset storage, getters, string dictionary and scrm_dataset_append. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scrm.h"

static scrm_dataset *ds;

static void setup(void) { cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK); }
static void teardown(void) { scrm_dataset_free(ds); }

TestSuite(dataset, .init = setup, .fini = teardown);

static size_t rows(int32_t table)
{
    size_t n = 999;
    cr_assert_eq(scrm_dataset_rows(ds, table, &n), SCRM_OK);
    return n;
}

static const char *str_of(uint32_t id)
{
    const char *s = NULL;
    cr_assert_eq(scrm_dataset_string(ds, id, &s, NULL), SCRM_OK);
    return s;
}

Test(dataset, new_and_free)
{
    scrm_dataset *d = (scrm_dataset *)0x1;
    cr_assert_eq(scrm_dataset_new(NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_new(&d), SCRM_OK);
    cr_assert_not_null(d);
    scrm_dataset_free(d);
    scrm_dataset_free(NULL); /* no-op */
}

Test(dataset, empty_tables)
{
    for (int t = 0; t < SCRM_TABLE_COUNT; t++)
        cr_assert_eq(rows(t), 0);
    const void *v = (const void *)0x1;
    size_t n = 7;
    cr_assert_eq(scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT, &v, &n), SCRM_OK);
    cr_assert_null(v);
    cr_assert_eq(n, 0);
    size_t count = 0;
    cr_assert_eq(scrm_dataset_string_count(ds, &count), SCRM_OK);
    cr_assert_eq(count, 1);
    const char *s = NULL;
    size_t len = 9;
    cr_assert_eq(scrm_dataset_string(ds, 0, &s, &len), SCRM_OK);
    cr_assert_str_eq(s, "");
    cr_assert_eq(len, 0);
}

Test(dataset, getters_reject_bad_arguments)
{
    size_t n;
    const void *v;
    const char *s;
    uint32_t id;
    cr_assert_eq(scrm_dataset_rows(NULL, 0, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_rows(ds, 0, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_rows(ds, 8, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_rows(ds, -1, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_column(NULL, 0, 0, &v, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_column(ds, 0, 0, NULL, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_column(ds, 9, 0, &v, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_column(ds, SCRM_TABLE_COSTS, 3, &v, &n), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "costs") != NULL);
    cr_assert_eq(scrm_dataset_column(ds, SCRM_TABLE_COSTS, -1, &v, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string(NULL, 0, &s, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string(ds, 0, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string(ds, 1, &s, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string_id(NULL, "a", 1, &id), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string_id(ds, NULL, 1, &id), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string_id(ds, "a", 1, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string_id(ds, "a", 1, &id), SCRM_ENOTFOUND);
    cr_assert_eq(scrm_dataset_string_id(ds, "", 0, &id), SCRM_OK);
    cr_assert_eq(id, 0);
    cr_assert_eq(scrm_dataset_string_count(NULL, &n), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_string_count(ds, NULL), SCRM_EINVAL);
}

Test(dataset, load_options_init)
{
    scrm_dataset_load_options o;
    memset(&o, 0x55, sizeof o);
    cr_assert_eq(scrm_dataset_load_options_init(&o, SCRM_DATASET_LOAD_OPTIONS_VERSION), SCRM_OK);
    cr_assert_eq(o.version, SCRM_DATASET_LOAD_OPTIONS_VERSION);
    cr_assert_eq(o.on_error, SCRM_ON_ERROR_FAIL);
    cr_assert_eq(o.max_rows, 0);
    cr_assert_eq(o.max_field_bytes, 0);
    cr_assert_eq(o.delimiter, 0);
    cr_assert_eq(scrm_dataset_load_options_init(NULL, 1), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_load_options_init(&o, 0), SCRM_EVERSION);
    cr_assert_eq(scrm_dataset_load_options_init(&o, SCRM_DATASET_LOAD_OPTIONS_VERSION + 1), SCRM_EVERSION);
}

/* Three transactions from text, times as I64, amounts as F64. */
Test(dataset, append_transactions)
{
    const char *cust[] = {"c1", "c2", "c1"};
    int64_t times[] = {1700000000, 1700086400, 1700172800};
    double amounts[] = {10.5, -3.0, 7.25};
    const char *margin[] = {"2.5", "", NULL};
    scrm_column_input in[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, cust},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, times},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amounts},
        {SCRM_TRANSACTIONS_MARGIN, SCRM_VALUE_TEXT, margin},
    };
    scrm_load_report rep;
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 3, in, 4, NULL, &rep), SCRM_OK,
                 "%s", scrm_last_error_message());
    cr_assert_eq(rep.table, SCRM_TABLE_TRANSACTIONS);
    cr_assert_eq(rep.status, SCRM_OK);
    cr_assert_eq(rep.rows_read, 3);
    cr_assert_eq(rep.rows_accepted, 3);
    cr_assert_eq(rep.rows_rejected, 0);
    cr_assert_eq(rep.n_rejections, 0);
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 3);

    const void *v;
    size_t n;
    cr_assert_eq(scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, &v,
                                     &n), SCRM_OK);
    const uint32_t *ids = v;
    cr_assert_eq(n, 3);
    cr_assert_eq(ids[0], ids[2]);
    cr_assert_neq(ids[0], ids[1]);
    cr_assert_str_eq(str_of(ids[0]), "c1");
    cr_assert_str_eq(str_of(ids[1]), "c2");
    uint32_t id;
    cr_assert_eq(scrm_dataset_string_id(ds, "c2xyz", 2, &id), SCRM_OK);
    cr_assert_eq(id, ids[1]);
    size_t count;
    scrm_dataset_string_count(ds, &count);
    cr_assert_eq(count, 3);

    scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, &v, NULL);
    cr_assert_eq(((const int64_t *)v)[1], 1700086400);
    scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, &v, NULL);
    cr_assert_eq(((const double *)v)[1], -3.0);
    scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_MARGIN, &v, NULL);
    const double *m = v;
    cr_assert_eq(m[0], 2.5);
    cr_assert(isnan(m[1]) && isnan(m[2]), "empty and NULL text are missing");
}

Test(dataset, append_every_type_and_missing_values)
{
    const char *user[] = {"u1", "u2"};
    const char *kind[] = {"Post", "MENTION"};
    const char *when[] = {"2024-01-01T10:00:00Z", "2024-01-02"};
    const char *sent[] = {"Negative", "0.25"};
    double reach[] = {100, NAN};
    scrm_column_input in[] = {
        {SCRM_SOCIAL_TIME, SCRM_VALUE_TEXT, when},
        {SCRM_SOCIAL_USER, SCRM_VALUE_TEXT, user},
        {SCRM_SOCIAL_KIND, SCRM_VALUE_TEXT, kind},
        {SCRM_SOCIAL_SENTIMENT, SCRM_VALUE_TEXT, sent},
        {SCRM_SOCIAL_REACH, SCRM_VALUE_F64, reach},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_SOCIAL, 2, in, 5, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    const void *v;
    scrm_dataset_column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_KIND, &v, NULL);
    cr_assert_str_eq(str_of(((const uint32_t *)v)[0]), "post");
    cr_assert_str_eq(str_of(((const uint32_t *)v)[1]), "mention");
    scrm_dataset_column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_SENTIMENT, &v, NULL);
    cr_assert_eq(((const double *)v)[0], -1.0);
    cr_assert_eq(((const double *)v)[1], 0.25);
    scrm_dataset_column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_REACH, &v, NULL);
    cr_assert_eq(((const double *)v)[0], 100.0);
    cr_assert(isnan(((const double *)v)[1]));
    scrm_dataset_column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_CHANNEL, &v, NULL);
    cr_assert_eq(((const uint32_t *)v)[0], 0, "column not given = missing string");
    scrm_dataset_column(ds, SCRM_TABLE_SOCIAL, SCRM_SOCIAL_TIME, &v, NULL);
    cr_assert_eq(((const int64_t *)v)[1], 1704153600);

    /* Bools: text, F64 and I64 forms, and missing. */
    const char *t[] = {"2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"};
    const char *sc[] = {"9", "10", "3", "7"};
    const char *intends[] = {"yes", "N", "TRUE", ""};
    double referred[] = {1, 0, NAN, 1};
    scrm_column_input s[] = {
        {SCRM_SURVEY_TIME, SCRM_VALUE_TEXT, t},
        {SCRM_SURVEY_SCORE, SCRM_VALUE_TEXT, sc},
        {SCRM_SURVEY_INTENDS, SCRM_VALUE_TEXT, intends},
        {SCRM_SURVEY_REFERRED, SCRM_VALUE_F64, referred},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_SURVEY, 4, s, 4, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_INTENDS, &v, NULL);
    const int8_t *b = v;
    cr_assert(b[0] == 1 && b[1] == 0 && b[2] == 1 && b[3] == -1);
    scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_REFERRED, &v, NULL);
    b = v;
    cr_assert(b[0] == 1 && b[1] == 0 && b[2] == -1 && b[3] == 1);
    scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_CUSTOMER, &v, NULL);
    cr_assert_eq(((const uint32_t *)v)[3], 0);
}

Test(dataset, append_time_from_f64_truncates)
{
    double t[] = {1700000000.9, -0.5, NAN};
    int64_t amount[] = {5, 6, 7};
    scrm_column_input in[] = {
        {SCRM_COSTS_TIME, SCRM_VALUE_F64, t},
        {SCRM_COSTS_AMOUNT, SCRM_VALUE_I64, amount},
    };
    scrm_load_report rep;
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = SCRM_ON_ERROR_SKIP;
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_COSTS, 3, in, 2, &o, &rep), SCRM_OK);
    cr_assert_eq(rep.rows_accepted, 2);
    cr_assert_eq(rep.rows_rejected, 1, "NaN time in a required column");
    cr_assert_eq(rep.rejections[0].row, 2);
    cr_assert_str_eq(rep.rejections[0].column, "time");
    cr_assert(strstr(rep.rejections[0].reason, "missing") != NULL);
    const void *v;
    scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_TIME, &v, NULL);
    cr_assert_eq(((const int64_t *)v)[0], 1700000000);
    cr_assert_eq(((const int64_t *)v)[1], -1);
    scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT, &v, NULL);
    cr_assert_eq(((const double *)v)[1], 6.0);
}

struct bad_cell {
    int32_t table, column, type;
    const char *text; /* for TEXT */
    double f;         /* for F64 */
    int64_t i;        /* for I64 */
    const char *reason;
};

/* Fills the other required columns of `table` with valid values. */
static size_t valid_row(int32_t table, int32_t skip, scrm_column_input *in)
{
    static const char *id[] = {"x1"};
    static const char *when[] = {"2024-03-01"};
    static const char *num[] = {"5"};
    size_t n = 0, nc = 0;
    scrm_table_columns(table, &nc);
    for (int32_t c = 0; c < (int32_t)nc; c++) {
        if (c == skip || scrm_column_required(table, c) != 1)
            continue;
        int ty = scrm_column_type(table, c);
        in[n].column = c;
        in[n].type = SCRM_VALUE_TEXT;
        in[n].values = ty == SCRM_TYPE_STRING ? (const void *)id
                       : ty == SCRM_TYPE_TIME ? (const void *)when : (const void *)num;
        n++;
    }
    return n;
}

Test(dataset, append_rejects_each_bad_value)
{
    static const struct bad_cell cases[] = {
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, "12,5", 0, 0, "not a number: \"12,5\""},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, "NaN", 0, 0, "not a number"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, "inf", 0, 0, "not a number"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, "-Infinity", 0, 0, "not a number"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, "1e400", 0, 0, "out of range"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, "0x10", 0, 0, "not a number"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, "", 0, 0, "required value is missing"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, NULL, INFINITY, 0, "not a finite number"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, NULL, NAN, 0, "required value is missing"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, SCRM_VALUE_TEXT, "2023-02-29", 0, 0, "day 29"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, SCRM_VALUE_TEXT, "0000-12-01", 0, 0, "year 0000"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, NULL, 0, INT64_C(253402300800), "outside years"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, SCRM_VALUE_I64, NULL, 0, SCRM_TIME_NONE, "required value is missing"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME, SCRM_VALUE_F64, NULL, 1e300, 0, "outside years"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, "bad\xff" "id", 0, 0, "invalid UTF-8: \"bad\\xffid\""},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, "\xc0\xaf", 0, 0, "invalid UTF-8"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, "\xed\xa0\x80", 0, 0, "invalid UTF-8"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, "\xf4\x90\x80\x80", 0, 0, "invalid UTF-8"},
        {SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, "ok\xe2\x82", 0, 0, "invalid UTF-8"},
        {SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ACQUISITION_COST, SCRM_VALUE_TEXT, "-1", 0, 0, "must be >= 0: \"-1\""},
        {SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ACQUISITION_COST, SCRM_VALUE_F64, NULL, -0.5, 0, "must be >= 0"},
        {SCRM_TABLE_SOCIAL, SCRM_SOCIAL_REACH, SCRM_VALUE_I64, NULL, 0, -3, "must be >= 0"},
        {SCRM_TABLE_SOCIAL, SCRM_SOCIAL_IMPRESSIONS, SCRM_VALUE_TEXT, "-2", 0, 0, "must be >= 0"},
        {SCRM_TABLE_SOCIAL, SCRM_SOCIAL_SENTIMENT, SCRM_VALUE_TEXT, "1.5", 0, 0, "sentiment must be in -1..1"},
        {SCRM_TABLE_SOCIAL, SCRM_SOCIAL_SENTIMENT, SCRM_VALUE_TEXT, "happy", 0, 0, "not a number"},
        {SCRM_TABLE_SOCIAL, SCRM_SOCIAL_SENTIMENT, SCRM_VALUE_F64, NULL, -1.01, 0, "sentiment"},
        {SCRM_TABLE_SOCIAL, SCRM_SOCIAL_KIND, SCRM_VALUE_TEXT, "", 0, 0, "required value is missing"},
        {SCRM_TABLE_AUDIENCE, SCRM_AUDIENCE_FOLLOWERS, SCRM_VALUE_TEXT, "-10", 0, 0, "must be >= 0"},
        {SCRM_TABLE_TICKETS, SCRM_TICKETS_HANDLE_TIME, SCRM_VALUE_TEXT, "-1e-9", 0, 0, "must be >= 0"},
        {SCRM_TABLE_TICKETS, SCRM_TICKETS_RESOLVED, SCRM_VALUE_TEXT, "yesterday", 0, 0, "expected YYYY-MM-DD"},
        {SCRM_TABLE_REFERRALS, SCRM_REFERRALS_INCENTIVE_COST, SCRM_VALUE_TEXT, "-5", 0, 0, "must be >= 0"},
        {SCRM_TABLE_REFERRALS, SCRM_REFERRALS_CONVERTED, SCRM_VALUE_TEXT, "maybe", 0, 0, "not a boolean"},
        {SCRM_TABLE_REFERRALS, SCRM_REFERRALS_CONVERTED, SCRM_VALUE_F64, NULL, 0.5, 0, "not a boolean"},
        {SCRM_TABLE_REFERRALS, SCRM_REFERRALS_CONVERTED, SCRM_VALUE_I64, NULL, 0, 2, "not a boolean"},
        {SCRM_TABLE_SURVEY, SCRM_SURVEY_SCORE, SCRM_VALUE_TEXT, "ten", 0, 0, "not a number"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct bad_cell *c = &cases[k];
        scrm_column_input in[SCRM_TABLE_COUNT + 4];
        size_t n = valid_row(c->table, c->column, in);
        in[n].column = c->column;
        in[n].type = c->type;
        in[n].values = c->type == SCRM_VALUE_TEXT ? (const void *)&c->text
                       : c->type == SCRM_VALUE_F64 ? (const void *)&c->f : (const void *)&c->i;
        n++;
        size_t before = rows(c->table);
        scrm_load_report rep;
        int rc = scrm_dataset_append(ds, c->table, 1, in, n, NULL, &rep);
        cr_assert_eq(rc, SCRM_EINVAL, "case %zu: rc %d", k, rc);
        cr_assert_eq(rep.status, SCRM_EINVAL);
        cr_assert_eq(rep.rows_read, 1);
        cr_assert_eq(rep.rows_accepted, 0);
        cr_assert_eq(rep.rows_rejected, 1);
        cr_assert_eq(rep.n_rejections, 1);
        cr_assert_eq(rep.rejections[0].row, 0);
        cr_assert_str_eq(rep.rejections[0].column, scrm_column_name(c->table, c->column));
        cr_assert(strstr(rep.rejections[0].reason, c->reason) != NULL, "case %zu: reason '%s'",
                  k, rep.rejections[0].reason);
        const char *msg = scrm_last_error_message();
        cr_assert(strstr(msg, c->reason) != NULL, "case %zu: message '%s'", k, msg);
        cr_assert(strstr(msg, "row 0") != NULL, "case %zu: message '%s'", k, msg);
        cr_assert(strstr(msg, scrm_column_name(c->table, c->column)) != NULL, "%s", msg);
        cr_assert_eq(rows(c->table), before, "case %zu: nothing added", k);

        /* Now the same value with a valid row in SKIP mode. */
        scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
        o.on_error = SCRM_ON_ERROR_SKIP;
        rc = scrm_dataset_append(ds, c->table, 1, in, n, &o, &rep);
        cr_assert_eq(rc, SCRM_OK, "case %zu", k);
        cr_assert_eq(rep.rows_rejected, 1);
        cr_assert_eq(rows(c->table), before);
    }
}

Test(dataset, accepts_edge_values)
{
    const char *amount[] = {"0", "-0", "+1.5", ".5", "5.", "1e3", "1.5E-3", " 7 ", "\t8\t",
                            "123456789012345678901234567890", "0.1", "1e-400"};
    const double want[] = {0, 0, 1.5, 0.5, 5, 1000, 0.0015, 7, 8, 1.2345678901234568e29, 0.1, 0};
    enum { N = sizeof amount / sizeof amount[0] };
    const char *cust[N], *when[N];
    for (int i = 0; i < N; i++)
        cust[i] = "c", when[i] = "2024-01-01";
    scrm_column_input in[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, cust},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_TEXT, when},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_TEXT, amount},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, N, in, 3, NULL, NULL), SCRM_OK,
                 "%s", scrm_last_error_message());
    const void *v;
    scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, &v, NULL);
    for (int i = 0; i < N; i++)
        cr_assert_eq(((const double *)v)[i], want[i], "%s", amount[i]);
    cr_assert_not(signbit(((const double *)v)[1]), "-0 is stored as +0");
}

Test(dataset, utf8_strings_are_kept)
{
    const char *id[] = {"Zürich-€-😀", "  spaced  "};
    scrm_column_input in[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}};
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_CUSTOMERS, 2, in, 1, NULL, NULL), SCRM_OK);
    const void *v;
    scrm_dataset_column(ds, SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ID, &v, NULL);
    cr_assert_str_eq(str_of(((const uint32_t *)v)[0]), "Zürich-€-😀");
    cr_assert_str_eq(str_of(((const uint32_t *)v)[1]), "  spaced  ", "strings are not trimmed");
}

Test(dataset, skip_mode_reports_first_rejections)
{
    enum { N = 20 };
    const char *cust[N], *when[N];
    double amount[N];
    for (int i = 0; i < N; i++) {
        cust[i] = "c";
        when[i] = i % 2 ? "bad-date" : "2024-05-05";
        amount[i] = i;
    }
    scrm_column_input in[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, cust},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_TEXT, when},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amount},
    };
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = SCRM_ON_ERROR_SKIP;
    scrm_load_report rep;
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, N, in, 3, &o, &rep), SCRM_OK);
    cr_assert_eq(rep.rows_read, N);
    cr_assert_eq(rep.rows_accepted, N / 2);
    cr_assert_eq(rep.rows_rejected, N / 2);
    cr_assert_eq(rep.n_rejections, SCRM_REPORT_MAX_REJECTIONS);
    for (uint32_t k = 0; k < rep.n_rejections; k++) {
        cr_assert_eq(rep.rejections[k].row, 2 * k + 1);
        cr_assert_str_eq(rep.rejections[k].column, "time");
        cr_assert(strstr(rep.rejections[k].reason, "\"bad-date\"") != NULL);
    }
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), N / 2);
    const void *v;
    scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, &v, NULL);
    cr_assert_eq(((const double *)v)[3], 6.0);
}

Test(dataset, fail_mode_rolls_back_everything)
{
    const char *cust[] = {"a", "b"};
    double amount[] = {1, 2};
    const char *when[] = {"2024-01-01", "2024-01-02"};
    scrm_column_input in[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, cust},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_TEXT, when},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, amount},
    };
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 2, in, 3, NULL, NULL), SCRM_OK);
    /* 1000 good rows then one bad one: the table must be left with 2 rows. */
    enum { N = 1001 };
    static const char *c2[N], *w2[N];
    static double a2[N];
    for (int i = 0; i < N; i++)
        c2[i] = "z", w2[i] = i == N - 1 ? "2024-02-30" : "2024-03-01", a2[i] = i;
    scrm_column_input in2[] = {
        {SCRM_TRANSACTIONS_CUSTOMER, SCRM_VALUE_TEXT, c2},
        {SCRM_TRANSACTIONS_TIME, SCRM_VALUE_TEXT, w2},
        {SCRM_TRANSACTIONS_AMOUNT, SCRM_VALUE_F64, a2},
    };
    scrm_load_report rep;
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, N, in2, 3, NULL, &rep),
                 SCRM_EINVAL);
    cr_assert_eq(rep.rows_read, N);
    cr_assert_eq(rep.rows_accepted, 0);
    cr_assert_eq(rep.rejections[0].row, N - 1);
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 2);
    const void *v;
    scrm_dataset_column(ds, SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT, &v, NULL);
    cr_assert_eq(((const double *)v)[1], 2.0);
    /* The table still works after the rollback. */
    cr_assert_eq(scrm_dataset_append(ds, SCRM_TABLE_TRANSACTIONS, 2, in, 3, NULL, NULL), SCRM_OK);
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 4);
}

Test(dataset, append_argument_errors)
{
    const char *id[] = {"a"};
    double num[] = {1};
    scrm_column_input ok[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}};
    scrm_load_report rep;
    cr_assert_eq(scrm_dataset_append(NULL, 0, 1, ok, 1, NULL, &rep), SCRM_EINVAL);
    cr_assert_eq(rep.status, SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_append(ds, 8, 1, ok, 1, NULL, &rep), SCRM_EINVAL);
    cr_assert_eq(rep.table, -1);
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, NULL, 1, NULL, NULL), SCRM_EINVAL);
    /* Unknown column, duplicate column, wrong value type, NULL values. */
    scrm_column_input unknown[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}, {5, SCRM_VALUE_TEXT, id}};
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, unknown, 2, NULL, NULL), SCRM_EINVAL);
    scrm_column_input dup[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}, {SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}};
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, dup, 2, NULL, NULL), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "twice") != NULL);
    scrm_column_input type[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_F64, num}};
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, type, 1, NULL, NULL), SCRM_EINVAL);
    scrm_column_input type2[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}, {SCRM_CUSTOMERS_SEGMENT, 9, id}};
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, type2, 2, NULL, NULL), SCRM_EINVAL);
    scrm_column_input nullv[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, NULL}};
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, nullv, 1, NULL, NULL), SCRM_EINVAL);
    /* Required column not given. */
    scrm_column_input seg[] = {{SCRM_CUSTOMERS_SEGMENT, SCRM_VALUE_TEXT, id}};
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, seg, 1, NULL, &rep), SCRM_ENOTFOUND);
    cr_assert(strstr(scrm_last_error_message(), "'id'") != NULL);
    cr_assert_eq(rep.status, SCRM_ENOTFOUND);
    /* Options. */
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.version = 0;
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, ok, 1, &o, NULL), SCRM_EVERSION);
    o.version = 2;
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, ok, 1, &o, NULL), SCRM_EVERSION);
    o.version = SCRM_DATASET_LOAD_OPTIONS_VERSION;
    o.on_error = 7;
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, ok, 1, &o, NULL), SCRM_EINVAL);
    o.on_error = 0;
    o.delimiter = '"';
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, ok, 1, &o, NULL), SCRM_EINVAL);
    cr_assert_eq(rows(0), 0);
    /* Zero rows is fine, also with NULL values. */
    cr_assert_eq(scrm_dataset_append(ds, 0, 0, nullv, 1, NULL, &rep), SCRM_OK);
    cr_assert_eq(rep.rows_read, 0);
}

Test(dataset, limits)
{
    enum { N = 10 };
    const char *id[N];
    char names[N][8];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "id%d", i);
        id[i] = names[i];
    }
    scrm_column_input in[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}};
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_rows = 9;
    cr_assert_eq(scrm_dataset_append(ds, 0, N, in, 1, &o, NULL), SCRM_ELIMIT);
    cr_assert(strstr(scrm_last_error_message(), "max_rows") != NULL);
    o.max_rows = 10;
    cr_assert_eq(scrm_dataset_append(ds, 0, N, in, 1, &o, NULL), SCRM_OK);
    /* Field length limit. */
    o.max_field_bytes = 3;
    scrm_load_report rep;
    cr_assert_eq(scrm_dataset_append(ds, 0, N, in, 1, &o, &rep), SCRM_OK);
    const char *longid[] = {"abcd"};
    in[0].values = longid;
    cr_assert_eq(scrm_dataset_append(ds, 0, 1, in, 1, &o, &rep), SCRM_ELIMIT);
    cr_assert(strstr(scrm_last_error_message(), "max_field_bytes") != NULL);
    cr_assert_eq(rep.status, SCRM_ELIMIT);
    cr_assert_eq(rows(0), 20);
}

Test(dataset, many_distinct_strings_intern_densely)
{
    enum { N = 50000 };
    static char buf[N][12];
    static const char *id[N];
    for (int i = 0; i < N; i++) {
        snprintf(buf[i], sizeof buf[i], "C%07d", i % 30000);
        id[i] = buf[i];
    }
    scrm_column_input in[] = {{SCRM_CUSTOMERS_ID, SCRM_VALUE_TEXT, id}};
    cr_assert_eq(scrm_dataset_append(ds, 0, N, in, 1, NULL, NULL), SCRM_OK);
    size_t count;
    scrm_dataset_string_count(ds, &count);
    cr_assert_eq(count, 30001);
    const void *v;
    scrm_dataset_column(ds, 0, 0, &v, NULL);
    const uint32_t *ids = v;
    for (int i = 0; i < N; i++) {
        cr_assert_eq(ids[i], (uint32_t)(i % 30000) + 1);
        uint32_t got;
        cr_assert_eq(scrm_dataset_string_id(ds, buf[i], strlen(buf[i]), &got), SCRM_OK);
        cr_assert_eq(got, ids[i]);
    }
    /* Earlier strings stay valid (stable storage) after growth. */
    const char *s0 = str_of(1);
    cr_assert_str_eq(s0, "C0000000");
}
