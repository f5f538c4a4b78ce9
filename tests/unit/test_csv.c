/* CSV parsing from memory buffers: RFC 4180, header mapping, validation,
 * fail/skip modes, limits. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"

static scrm_dataset *ds;
static scrm_load_report rep;

static void setup(void)
{
    cr_assert_eq(scrm_dataset_new(&ds), SCRM_OK);
    memset(&rep, 0x5A, sizeof rep); /* every load must fill it */
}
static void teardown(void) { scrm_dataset_free(ds); }

TestSuite(csv, .init = setup, .fini = teardown);

static int load(int32_t table, const char *text, const scrm_dataset_load_options *o)
{
    return scrm_dataset_load_csv_buffer(ds, table, text, strlen(text), "test.csv", o, &rep);
}

static int load_skip(int32_t table, const char *text)
{
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.on_error = SCRM_ON_ERROR_SKIP;
    return load(table, text, &o);
}

static size_t rows(int32_t table)
{
    size_t n = 0;
    cr_assert_eq(scrm_dataset_rows(ds, table, &n), SCRM_OK);
    return n;
}

static const void *col(int32_t table, int32_t column)
{
    const void *v = NULL;
    cr_assert_eq(scrm_dataset_column(ds, table, column, &v, NULL), SCRM_OK);
    return v;
}

static const char *str_at(int32_t table, int32_t column, size_t i)
{
    const uint32_t *ids = col(table, column);
    const char *s = NULL;
    cr_assert_eq(scrm_dataset_string(ds, ids[i], &s, NULL), SCRM_OK);
    return s;
}

static void expect_ok(int rc)
{
    cr_assert_eq(rc, SCRM_OK, "rc %d: %s", rc, scrm_last_error_message());
    cr_assert_eq(rep.status, SCRM_OK);
}

/* The message must contain every given fragment. */
static void expect_msg(const char *a, const char *b, const char *c)
{
    const char *m = scrm_last_error_message();
    cr_assert(strstr(m, a) != NULL, "'%s' not in '%s'", a, m);
    if (b)
        cr_assert(strstr(m, b) != NULL, "'%s' not in '%s'", b, m);
    if (c)
        cr_assert(strstr(m, c) != NULL, "'%s' not in '%s'", c, m);
}

Test(csv, simple_transactions)
{
    expect_ok(load(SCRM_TABLE_TRANSACTIONS,
                   "customer,time,amount,margin\n"
                   "c1,2024-01-01,12.50,3\n"
                   "c2,2024-01-02T10:00:00Z,-4,\n"
                   "c1,2024-01-03T10:00:00+01:00,0.1,0.05\n",
                   NULL));
    cr_assert_eq(rep.table, SCRM_TABLE_TRANSACTIONS);
    cr_assert_eq(rep.rows_read, 3);
    cr_assert_eq(rep.rows_accepted, 3);
    cr_assert_eq(rep.rows_rejected, 0);
    cr_assert_eq(rep.n_rejections, 0);
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 3);
    const int64_t *t = col(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME);
    cr_assert_eq(t[0], 1704067200);
    cr_assert_eq(t[1], 1704189600);
    cr_assert_eq(t[2], 1704272400);
    const double *a = col(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT);
    cr_assert_eq(a[0], 12.5);
    cr_assert_eq(a[1], -4.0);
    cr_assert_eq(a[2], 0.1);
    const double *m = col(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_MARGIN);
    cr_assert(isnan(m[1]));
    cr_assert_eq(m[2], 0.05);
    const uint32_t *c = col(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER);
    cr_assert_eq(c[0], c[2]);
    cr_assert_str_eq(str_at(SCRM_TABLE_TRANSACTIONS, 0, 1), "c2");
}

Test(csv, appends_to_existing_rows)
{
    const char *text = "customer,time,amount\nc1,2024-01-01,1\n";
    expect_ok(load(SCRM_TABLE_TRANSACTIONS, text, NULL));
    expect_ok(load(SCRM_TABLE_TRANSACTIONS, text, NULL));
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 2);
    cr_assert_eq(rep.rows_accepted, 1);
}

Test(csv, quotes_doubled_quotes_and_embedded_newlines)
{
    expect_ok(load(SCRM_TABLE_CUSTOMERS,
                   "id,segment,channel\n"
                   "\"a,1\",\"say \"\"hi\"\"\",\"line1\nline2\"\n"
                   "\"\",x,y\n" /* empty required id: rejected below in skip test */
                   ,
                   &(scrm_dataset_load_options){SCRM_DATASET_LOAD_OPTIONS_VERSION, SCRM_ON_ERROR_SKIP, 0, 0, 0}));
    cr_assert_eq(rows(SCRM_TABLE_CUSTOMERS), 1);
    cr_assert_str_eq(str_at(SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ID, 0), "a,1");
    cr_assert_str_eq(str_at(SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_SEGMENT, 0), "say \"hi\"");
    cr_assert_str_eq(str_at(SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_CHANNEL, 0), "line1\nline2");
    /* The embedded newline counts: the second record starts on line 4. */
    cr_assert_eq(rep.rows_rejected, 1);
    cr_assert_eq(rep.rejections[0].row, 4);
    cr_assert_str_eq(rep.rejections[0].column, "id");
    cr_assert(strstr(rep.rejections[0].reason, "required value is missing") != NULL);
}

Test(csv, crlf_lf_and_cr_line_ends)
{
    expect_ok(load(SCRM_TABLE_COSTS, "time,amount\r\n2024-01-01,1\r\n2024-02-01,2\n2024-03-01,3\r2024-04-01,4", NULL));
    cr_assert_eq(rows(SCRM_TABLE_COSTS), 4);
    const double *a = col(SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT);
    cr_assert(a[0] == 1 && a[1] == 2 && a[2] == 3 && a[3] == 4, "no CR left in values");
    /* CRLF inside quotes is data. */
    expect_ok(load(SCRM_TABLE_COSTS, "time,amount,category\r\n2024-01-01,5,\"a\r\nb\"\r\n", NULL));
    cr_assert_str_eq(str_at(SCRM_TABLE_COSTS, SCRM_COSTS_CATEGORY, 4), "a\r\nb");
}

Test(csv, bom_header_case_blanks_and_unknown_columns)
{
    expect_ok(load(SCRM_TABLE_AUDIENCE,
                   "\xEF\xBB\xBF  Time ,NOTES,\tFollowers\t, channel,\n"
                   "2024-01-01,hello,100,twitter,\n"
                   "2024-01-08,,110,twitter,zzz\n",
                   NULL));
    cr_assert_eq(rows(SCRM_TABLE_AUDIENCE), 2);
    const double *f = col(SCRM_TABLE_AUDIENCE, SCRM_AUDIENCE_FOLLOWERS);
    cr_assert_eq(f[1], 110.0);
    cr_assert_str_eq(str_at(SCRM_TABLE_AUDIENCE, SCRM_AUDIENCE_CHANNEL, 0), "twitter");
    /* A quoted header name works too. */
    expect_ok(load(SCRM_TABLE_AUDIENCE, "\"time\",\"followers\"\n2024-01-01,5\n", NULL));
}

Test(csv, optional_columns_may_be_absent)
{
    expect_ok(load(SCRM_TABLE_TICKETS, "id,created\nT1,2024-01-01T09:00:00Z\n", NULL));
    const int64_t *fr = col(SCRM_TABLE_TICKETS, SCRM_TICKETS_FIRST_RESPONSE);
    cr_assert_eq(fr[0], SCRM_TIME_NONE);
    const double *h = col(SCRM_TABLE_TICKETS, SCRM_TICKETS_HANDLE_TIME);
    cr_assert(isnan(h[0]));
    const uint32_t *agent = col(SCRM_TABLE_TICKETS, SCRM_TICKETS_AGENT);
    cr_assert_eq(agent[0], 0);
}

Test(csv, every_table_loads_with_all_columns)
{
    static const char *text[SCRM_TABLE_COUNT] = {
        "id,acquired,segment,acquisition_cost,channel\nC1,2023-05-01,smb,25.5,search\n",
        "customer,time,amount,margin\nC1,2023-06-01,10,2\n",
        "customer,time,score,intends_to_refer,referred\nC1,2023-07-01,9,yes,no\n",
        "time,channel,user,kind,post_id,target_user,brand,reach,impressions,sentiment\n"
        "2023-07-01T12:00:00Z,twitter,@a,Mention,p1,@b,rival,100,250,Positive\n",
        "time,channel,followers\n2023-07-01,twitter,1200\n",
        "id,channel,agent,team,created,first_response,resolved,handle_time\n"
        "T1,email,ann,tier1,2023-07-01T09:00:00Z,2023-07-01T09:30:00Z,,600\n",
        "referrer,referee,time,converted,incentive_cost\nC1,C9,2023-07-02,TRUE,20\n",
        "time,category,amount\n2023-07-01,software,1500\n",
    };
    for (int t = 0; t < SCRM_TABLE_COUNT; t++) {
        expect_ok(load(t, text[t], NULL));
        cr_assert_eq(rows(t), 1, "%s", scrm_table_name(t));
    }
    cr_assert_str_eq(str_at(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_KIND, 0), "mention");
    cr_assert_eq(((const double *)col(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_SENTIMENT))[0], 1.0);
    cr_assert_str_eq(str_at(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_BRAND, 0), "rival");
    cr_assert_eq(((const int8_t *)col(SCRM_TABLE_SURVEY, SCRM_SURVEY_INTENDS))[0], 1);
    cr_assert_eq(((const int8_t *)col(SCRM_TABLE_SURVEY, SCRM_SURVEY_REFERRED))[0], 0);
    cr_assert_eq(((const int8_t *)col(SCRM_TABLE_REFERRALS, SCRM_REFERRALS_CONVERTED))[0], 1);
    cr_assert_eq(((const int64_t *)col(SCRM_TABLE_TICKETS, SCRM_TICKETS_RESOLVED))[0],
                 SCRM_TIME_NONE);
    cr_assert_eq(((const int64_t *)col(SCRM_TABLE_TICKETS, SCRM_TICKETS_FIRST_RESPONSE))[0],
                 1688203800);
}

Test(csv, header_only_no_trailing_newline_blank_lines)
{
    expect_ok(load(SCRM_TABLE_COSTS, "time,amount", NULL));
    cr_assert_eq(rep.rows_read, 0);
    expect_ok(load(SCRM_TABLE_COSTS, "\n\ntime,amount\n\n2024-01-01,1\n\n\n2024-01-02,2", NULL));
    cr_assert_eq(rep.rows_read, 2);
    cr_assert_eq(rows(SCRM_TABLE_COSTS), 2);
}

Test(csv, custom_delimiter)
{
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.delimiter = ';';
    expect_ok(load(SCRM_TABLE_COSTS, "time;amount;category\n2024-01-01;1.5;\"a;b\"\n", &o));
    cr_assert_str_eq(str_at(SCRM_TABLE_COSTS, SCRM_COSTS_CATEGORY, 0), "a;b");
    o.delimiter = '\t';
    expect_ok(load(SCRM_TABLE_COSTS, "time\tamount\n2024-01-01\t2\n", &o));
    cr_assert_eq(rows(SCRM_TABLE_COSTS), 2);
}

Test(csv, missing_required_column)
{
    int rc = load(SCRM_TABLE_TRANSACTIONS, "customer,time,margin\nc1,2024-01-01,1\n", NULL);
    cr_assert_eq(rc, SCRM_ENOTFOUND);
    cr_assert_eq(rep.status, SCRM_ENOTFOUND);
    expect_msg("test.csv", "'amount'", "missing from the header");
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 0);
    /* Also in skip mode: a header problem is not a row problem. */
    cr_assert_eq(load_skip(SCRM_TABLE_SOCIAL, "time,user\n2024-01-01,u\n"), SCRM_ENOTFOUND);
    expect_msg("'kind'", NULL, NULL);
}

Test(csv, duplicate_header_column)
{
    cr_assert_eq(load(SCRM_TABLE_COSTS, "time,amount,Amount \n2024-01-01,1,2\n", NULL),
                 SCRM_EPARSE);
    expect_msg("test.csv", "'amount' appears twice", "fields 2 and 3");
    /* Duplicate unknown columns are ignored. */
    expect_ok(load(SCRM_TABLE_COSTS, "time,x,amount,x\n2024-01-01,1,2,3\n", NULL));
}

Test(csv, empty_input_and_malformed_header)
{
    cr_assert_eq(load(SCRM_TABLE_COSTS, "", NULL), SCRM_EPARSE);
    expect_msg("no header row", NULL, NULL);
    cr_assert_eq(load(SCRM_TABLE_COSTS, "\n\r\n", NULL), SCRM_EPARSE);
    cr_assert_eq(load_skip(SCRM_TABLE_COSTS, "ti\"me,amount\n2024-01-01,1\n"), SCRM_EPARSE);
    expect_msg("malformed header", "row 1", NULL);
}

Test(csv, ragged_rows_name_the_row)
{
    const char *text = "time,amount\n2024-01-01,1\n2024-01-02\n2024-01-03,3,extra\n";
    cr_assert_eq(load(SCRM_TABLE_COSTS, text, NULL), SCRM_EPARSE);
    expect_msg("test.csv: row 3", "expected 2 fields", "found 1");
    cr_assert_eq(rows(SCRM_TABLE_COSTS), 0);
    cr_assert_eq(rep.rows_read, 2);
    cr_assert_eq(rep.rows_accepted, 0);
    cr_assert_eq(rep.rows_rejected, 1);
    cr_assert_eq(rep.rejections[0].row, 3);
    cr_assert_str_eq(rep.rejections[0].column, "");
    expect_ok(load_skip(SCRM_TABLE_COSTS, text));
    cr_assert_eq(rep.rows_rejected, 2);
    cr_assert_eq(rep.rejections[1].row, 4);
    cr_assert(strstr(rep.rejections[1].reason, "found 3") != NULL);
    cr_assert_eq(rows(SCRM_TABLE_COSTS), 1);
}

Test(csv, structural_errors)
{
    static const struct {
        const char *text, *reason;
    } cases[] = {
        {"time,amount,category\n2024-01-01,1,a\"b\n2024-01-02,2,ok\n", "quote inside an unquoted field"},
        {"time,amount,category\n2024-01-01,1,\"ab\"c\n2024-01-02,2,ok\n", "after a closing quote"},
        {"time,amount,category\n2024-01-02,2,ok\n2024-01-01,1,\"abc\n", "unterminated quoted field"},
    };
    for (size_t k = 0; k < 3; k++) {
        cr_assert_eq(load(SCRM_TABLE_COSTS, cases[k].text, NULL), SCRM_EPARSE, "case %zu", k);
        expect_msg(cases[k].reason, "test.csv: row", NULL);
        cr_assert_eq(rows(SCRM_TABLE_COSTS), 0);
        expect_ok(load_skip(SCRM_TABLE_COSTS, cases[k].text));
        cr_assert_eq(rep.rows_rejected, 1, "case %zu", k);
        cr_assert_eq(rep.rows_accepted, 1, "case %zu", k);
        cr_assert(strstr(rep.rejections[0].reason, cases[k].reason) != NULL);
        cr_assert_eq(rep.rejections[0].row, k == 2 ? 3 : 2);
        scrm_dataset_free(ds);
        scrm_dataset_new(&ds);
    }
}

Test(csv, bad_values_fail_with_file_row_column_value)
{
    static const struct {
        int32_t table;
        const char *text, *column, *frag;
    } cases[] = {
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,2024-01-01,12;5\n", "amount", "not a number: \"12;5\""},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,2024-01-01,NaN\n", "amount", "not a number: \"NaN\""},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,2024-01-01,inf\n", "amount", "\"inf\""},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,2024-01-01,-infinity\n", "amount", "not a number"},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,2024-01-01,1e999\n", "amount", "out of range"},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,2024-13-01,1\n", "time", "month 13"},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,2023-02-29,1\n", "time", "\"2023-02-29\""},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,0000-01-01,1\n", "time", "year 0000"},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc,10000-01-01,1\n", "time", "YYYY-MM-DD"},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nc\xff,2024-01-01,1\n", "customer", "invalid UTF-8: \"c\\xff\""},
        {SCRM_TABLE_TRANSACTIONS, "customer,time,amount\n,2024-01-01,1\n", "customer", "required value is missing"},
        {SCRM_TABLE_CUSTOMERS, "id,acquisition_cost\nc,-5\n", "acquisition_cost", "must be >= 0: \"-5\""},
        {SCRM_TABLE_SOCIAL, "time,user,kind,reach\n2024-01-01,u,post,-1\n", "reach", ">= 0"},
        {SCRM_TABLE_SOCIAL, "time,user,kind,sentiment\n2024-01-01,u,post,2\n", "sentiment", "-1..1"},
        {SCRM_TABLE_SOCIAL, "time,user,kind,sentiment\n2024-01-01,u,post,meh\n", "sentiment", "\"meh\""},
        {SCRM_TABLE_SURVEY, "time,score,referred\n2024-01-01,9,maybe\n", "referred", "not a boolean"},
        {SCRM_TABLE_AUDIENCE, "time,followers\n2024-01-01,-3\n", "followers", ">= 0"},
        {SCRM_TABLE_TICKETS, "id,created,handle_time\nT,2024-01-01,-60\n", "handle_time", ">= 0"},
        {SCRM_TABLE_REFERRALS, "referrer,time,incentive_cost\nR,2024-01-01,-1\n", "incentive_cost", ">= 0"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int rc = load(cases[k].table, cases[k].text, NULL);
        cr_assert_eq(rc, SCRM_EPARSE, "case %zu: %d", k, rc);
        char col_frag[64];
        snprintf(col_frag, sizeof col_frag, "column '%s'", cases[k].column);
        expect_msg("test.csv: row 2", col_frag, cases[k].frag);
        cr_assert_str_eq(rep.rejections[0].column, cases[k].column);
        cr_assert(strstr(rep.rejections[0].reason, cases[k].frag) != NULL, "case %zu: %s", k,
                  rep.rejections[0].reason);
        cr_assert_eq(rows(cases[k].table), 0, "case %zu", k);
    }
}

Test(csv, blanks_around_typed_values_and_labels)
{
    expect_ok(load(SCRM_TABLE_SOCIAL,
                   "time,user,kind,sentiment,reach\n"
                   " 2024-01-01 ,u, LIKE ,NEUTRAL, 5 \n"
                   "2024-01-01,u,post, negative ,\n"
                   "2024-01-01,u,post,-0.5,0\n",
                   NULL));
    const double *s = col(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_SENTIMENT);
    cr_assert(s[0] == 0 && s[1] == -1 && s[2] == -0.5);
    const double *r = col(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_REACH);
    cr_assert_eq(r[0], 5.0);
    cr_assert(isnan(r[1]));
    /* Strings keep their blanks (RFC 4180); kind is only lower-cased. */
    cr_assert_str_eq(str_at(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_KIND, 0), " like ");
}

Test(csv, skip_mode_rejects_and_keeps_the_rest)
{
    /* 12 bad rows among good ones: counts are exact, the first 8 are detailed. */
    char text[4096] = "customer,time,amount\n";
    for (int i = 0; i < 24; i++) {
        char line[64];
        snprintf(line, sizeof line, "c%d,2024-01-%02d,%s\n", i, i + 1, i % 2 ? "bad" : "1");
        strcat(text, line);
    }
    expect_ok(load_skip(SCRM_TABLE_TRANSACTIONS, text));
    cr_assert_eq(rep.rows_read, 24);
    cr_assert_eq(rep.rows_accepted, 12);
    cr_assert_eq(rep.rows_rejected, 12);
    cr_assert_eq(rep.n_rejections, SCRM_REPORT_MAX_REJECTIONS);
    for (unsigned k = 0; k < SCRM_REPORT_MAX_REJECTIONS; k++) {
        cr_assert_eq(rep.rejections[k].row, 3 + 2 * k);
        cr_assert_str_eq(rep.rejections[k].column, "amount");
        cr_assert_str_eq(rep.rejections[k].reason, "not a number: \"bad\"");
    }
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 12);
}

Test(csv, fail_mode_leaves_table_exactly_as_before)
{
    expect_ok(load(SCRM_TABLE_TRANSACTIONS, "customer,time,amount\nkeep,2024-01-01,7\n", NULL));
    size_t strings_before;
    scrm_dataset_string_count(ds, &strings_before);
    char *text = malloc(200000);
    strcpy(text, "customer,time,amount\n");
    size_t len = strlen(text);
    for (int i = 0; i < 5000; i++)
        len += (size_t)sprintf(text + len, "n%d,2024-02-01,%d\n", i, i);
    strcpy(text + len, "last,2024-02-01,oops\n");
    cr_assert_eq(load(SCRM_TABLE_TRANSACTIONS, text, NULL), SCRM_EPARSE);
    expect_msg("test.csv: row 5002", "column 'amount'", "\"oops\"");
    cr_assert_eq(rep.rows_read, 5001);
    cr_assert_eq(rep.rows_accepted, 0);
    cr_assert_eq(rep.rows_rejected, 1);
    cr_assert_eq(rows(SCRM_TABLE_TRANSACTIONS), 1);
    cr_assert_str_eq(str_at(SCRM_TABLE_TRANSACTIONS, 0, 0), "keep");
    cr_assert_eq(((const double *)col(SCRM_TABLE_TRANSACTIONS, 2))[0], 7.0);
    free(text);
}

Test(csv, limits)
{
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.max_field_bytes = 10;
    expect_ok(load(SCRM_TABLE_COSTS, "time,amount,category\n2024-01-01,1,abcdefghij\n", &o));
    cr_assert_eq(load(SCRM_TABLE_COSTS, "time,amount,category\n2024-01-01,1,abcdefghijk\n", &o),
                 SCRM_ELIMIT);
    expect_msg("row 2", "column 'category'", "max_field_bytes");
    /* Escaped quotes count once: "a""b" is 3 bytes. */
    o.max_field_bytes = 3;
    o.on_error = SCRM_ON_ERROR_SKIP;
    cr_assert_eq(load(SCRM_TABLE_CUSTOMERS, "id\n\"a\"\"b\"\n", &o), SCRM_OK);
    cr_assert_str_eq(str_at(SCRM_TABLE_CUSTOMERS, 0, 0), "a\"b");
    /* A long field of doubled quotes is refused without being copied. */
    {
        size_t n = 1 << 20;
        char *big = malloc(n + 64);
        strcpy(big, "id\n\"");
        memset(big + 4, '"', n);
        strcpy(big + 4 + n, "\"\n");
        scrm_dataset_load_options q = SCRM_DATASET_LOAD_OPTIONS_INIT;
        q.max_field_bytes = 1000;
        cr_assert_eq(load(SCRM_TABLE_CUSTOMERS, big, &q), SCRM_ELIMIT);
        expect_msg("row 2", "column 'id'", "max_field_bytes = 1000");
        q.max_field_bytes = (uint32_t)n;
        expect_ok(load(SCRM_TABLE_CUSTOMERS, big, &q));
        free(big);
    }
    /* Skip mode does not skip past a limit. */
    cr_assert_eq(load(SCRM_TABLE_CUSTOMERS, "id\nabcdef\n", &o), SCRM_ELIMIT);
    scrm_dataset_load_options r = SCRM_DATASET_LOAD_OPTIONS_INIT;
    r.max_rows = 2;
    expect_ok(load(SCRM_TABLE_CUSTOMERS, "id\na\nb\n", &r));
    cr_assert_eq(load(SCRM_TABLE_CUSTOMERS, "id\na\nb\nc\n", &r), SCRM_ELIMIT);
    expect_msg("max_rows", "row 4", NULL);
    cr_assert_eq(rep.status, SCRM_ELIMIT);
    cr_assert_eq(rows(SCRM_TABLE_CUSTOMERS), 4);
}

Test(csv, argument_errors)
{
    cr_assert_eq(scrm_dataset_load_csv_buffer(NULL, 0, "id\n", 3, NULL, NULL, &rep), SCRM_EINVAL);
    cr_assert_eq(rep.status, SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, 0, NULL, 3, NULL, NULL, &rep), SCRM_EINVAL);
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, -1, "id\n", 3, NULL, NULL, &rep), SCRM_EINVAL);
    cr_assert_eq(rep.table, -1);
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_COUNT, "id\n", 3, NULL, NULL, NULL),
                 SCRM_EINVAL);
    scrm_dataset_load_options o = SCRM_DATASET_LOAD_OPTIONS_INIT;
    o.version = 99;
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, 0, "id\n", 3, NULL, &o, NULL), SCRM_EVERSION);
    o.version = SCRM_DATASET_LOAD_OPTIONS_VERSION;
    o.delimiter = '\n';
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, 0, "id\n", 3, NULL, &o, NULL), SCRM_EINVAL);
    o.delimiter = 0;
    o.on_error = -1;
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, 0, "id\n", 3, NULL, &o, NULL), SCRM_EINVAL);
    /* NULL data with length 0 is an empty input; NULL report is allowed. */
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, 0, NULL, 0, NULL, NULL, NULL), SCRM_EPARSE);
    /* Without a name, messages name the table. */
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_COSTS, "time,amount\nx,1\n", 16,
                                              NULL, NULL, NULL), SCRM_EPARSE);
    expect_msg("costs: row 2", NULL, NULL);
}

Test(csv, length_bounds_the_buffer)
{
    const char *text = "id\nA\nB\nGARBAGE\"\"\"";
    expect_ok(scrm_dataset_load_csv_buffer(ds, 0, text, 7, NULL, NULL, &rep));
    cr_assert_eq(rows(0), 2);
}

static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}
#define RND() rnd(&x)

/* Property: random values written with random quoting/line ends load back
 * exactly. */
Test(csv, random_round_trip)
{
    uint64_t x = 0x2545F4914F6CDD1Du;
    enum { N = 3000 };
    static double amount[N];
    static int64_t when[N];
    static char seg[N][16];
    size_t cap = N * 96 + 64, len = 0;
    char *text = malloc(cap);
    len += (size_t)sprintf(text, "category,amount,time\r\n");
    for (int i = 0; i < N; i++) {
        amount[i] = (double)(int64_t)(RND() % 2000001 - 1000000) / 100.0;
        when[i] = (int64_t)(RND() % 2000000000u);
        static const char *alpha[] = {"a", "b,c", "d\"e", "f\ng", " h ", "ü"};
        snprintf(seg[i], sizeof seg[i], "%s%d", alpha[RND() % 6], (int)(RND() % 50));
        char t[21];
        scrm_time_format(when[i], t, sizeof t);
        /* segment always quoted (doubled quotes), amount sometimes quoted */
        text[len++] = '"';
        for (const char *p = seg[i]; *p; p++) {
            if (*p == '"')
                text[len++] = '"';
            text[len++] = *p;
        }
        text[len++] = '"';
        len += (size_t)sprintf(text + len, RND() % 2 ? ",\"%.2f\",%s%s" : ",%.2f,%s%s", amount[i],
                               t, RND() % 2 ? "\r\n" : "\n");
    }
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_COSTS, text, len, NULL, NULL, &rep),
                 SCRM_OK, "%s", scrm_last_error_message());
    cr_assert_eq(rows(SCRM_TABLE_COSTS), N);
    const double *a = col(SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT);
    const int64_t *t = col(SCRM_TABLE_COSTS, SCRM_COSTS_TIME);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(a[i], amount[i], "row %d", i);
        cr_assert_eq(t[i], when[i], "row %d", i);
        cr_assert_str_eq(str_at(SCRM_TABLE_COSTS, SCRM_COSTS_CATEGORY, (size_t)i), seg[i]);
    }
    free(text);
}

/* Property: decimal text parses to the same double as strtod ("C" locale). */
Test(csv, numbers_match_strtod)
{
    uint64_t x = 0x9E3779B97F4A7C15u;
    char text[64 * 1024];
    static double want[1000];
    size_t len = (size_t)sprintf(text, "time,amount\n");
    for (int i = 0; i < 1000; i++) {
        char num[48];
        switch (RND() % 4) {
        case 0: snprintf(num, sizeof num, "%.17g", (double)(RND() >> 11) * 0x1p-53 * 1e6); break;
        case 1: snprintf(num, sizeof num, "%llu.%03llu", (unsigned long long)(RND() % 100000), (unsigned long long)(RND() % 1000)); break;
        case 2: snprintf(num, sizeof num, "%.6e", (double)(RND() >> 11) * 0x1p-40 - 1e3); break;
        default: snprintf(num, sizeof num, "%llu%llu", (unsigned long long)(RND() % 1000000000), (unsigned long long)(RND() % 1000000000000ull)); break;
        }
        want[i] = strtod(num, NULL);
        len += (size_t)sprintf(text + len, "2024-01-01,%s\n", num);
    }
    cr_assert_eq(scrm_dataset_load_csv_buffer(ds, SCRM_TABLE_COSTS, text, len, NULL, NULL, &rep),
                 SCRM_OK, "%s", scrm_last_error_message());
    const double *a = col(SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(a[i], want[i], "row %d: %.17g vs %.17g", i, a[i], want[i]);
}
