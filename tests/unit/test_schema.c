/* Table and column metadata: names, types and required flags as documented
 * in scrm.h (and README.md's table of files). */
#include <criterion/criterion.h>
#include <string.h>

#include "scrm.h"

Test(schema, table_names_and_counts)
{
    static const char *names[] = {"customers", "transactions", "survey",    "social",
                                  "audience",  "tickets",      "referrals", "costs"};
    static const size_t ncols[] = {5, 4, 5, 10, 3, 8, 5, 3};
    for (int t = 0; t < SCRM_TABLE_COUNT; t++) {
        cr_assert_str_eq(scrm_table_name(t), names[t]);
        size_t n = 0;
        cr_assert_eq(scrm_table_columns(t, &n), SCRM_OK);
        cr_assert_eq(n, ncols[t], "%s", names[t]);
        for (size_t c = 0; c < n; c++) {
            cr_assert_not_null(scrm_column_name(t, (int32_t)c));
            int ty = scrm_column_type(t, (int32_t)c);
            cr_assert(ty >= SCRM_TYPE_STRING && ty <= SCRM_TYPE_BOOL);
            int req = scrm_column_required(t, (int32_t)c);
            cr_assert(req == 0 || req == 1);
        }
        cr_assert_null(scrm_column_name(t, (int32_t)n));
    }
}

Test(schema, column_details)
{
    cr_assert_str_eq(scrm_column_name(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_AMOUNT), "amount");
    cr_assert_eq(scrm_column_type(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_TIME), SCRM_TYPE_TIME);
    cr_assert_eq(scrm_column_required(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_MARGIN), 0);
    cr_assert_eq(scrm_column_required(SCRM_TABLE_TRANSACTIONS, SCRM_TRANSACTIONS_CUSTOMER), 1);
    cr_assert_str_eq(scrm_column_name(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_TARGET), "target_user");
    cr_assert_str_eq(scrm_column_name(SCRM_TABLE_SOCIAL, SCRM_SOCIAL_POST), "post_id");
    cr_assert_eq(scrm_column_type(SCRM_TABLE_SURVEY, SCRM_SURVEY_REFERRED), SCRM_TYPE_BOOL);
    cr_assert_str_eq(scrm_column_name(SCRM_TABLE_SURVEY, SCRM_SURVEY_INTENDS), "intends_to_refer");
    cr_assert_eq(scrm_column_type(SCRM_TABLE_TICKETS, SCRM_TICKETS_HANDLE_TIME), SCRM_TYPE_F64);
    cr_assert_str_eq(scrm_column_name(SCRM_TABLE_TICKETS, SCRM_TICKETS_FIRST_RESPONSE),
                     "first_response");
    cr_assert_eq(scrm_column_type(SCRM_TABLE_CUSTOMERS, SCRM_CUSTOMERS_ID), SCRM_TYPE_STRING);
    cr_assert_str_eq(scrm_column_name(SCRM_TABLE_REFERRALS, SCRM_REFERRALS_INCENTIVE_COST),
                     "incentive_cost");
}

/* The required columns of README.md's "Data files" table. */
Test(schema, required_columns_match_readme)
{
    static const char *req[SCRM_TABLE_COUNT] = {
        "id", "customer,time,amount", "time,score", "time,user,kind",
        "time,followers", "id,created", "referrer,time", "time,amount",
    };
    for (int t = 0; t < SCRM_TABLE_COUNT; t++) {
        char got[128] = "";
        size_t n = 0;
        scrm_table_columns(t, &n);
        for (size_t c = 0; c < n; c++)
            if (scrm_column_required(t, (int32_t)c) == 1) {
                if (got[0])
                    strcat(got, ",");
                strcat(got, scrm_column_name(t, (int32_t)c));
            }
        cr_assert_str_eq(got, req[t], "table %s", scrm_table_name(t));
    }
}

Test(schema, unknown_ids)
{
    size_t n = 99;
    cr_assert_null(scrm_table_name(-1));
    cr_assert_null(scrm_table_name(SCRM_TABLE_COUNT));
    cr_assert_eq(scrm_table_columns(SCRM_TABLE_COUNT, &n), SCRM_EINVAL);
    cr_assert_eq(n, 99);
    cr_assert_eq(scrm_table_columns(0, NULL), SCRM_EINVAL);
    cr_assert_null(scrm_column_name(0, -1));
    cr_assert_null(scrm_column_name(-1, 0));
    cr_assert_eq(scrm_column_type(0, 99), 0);
    cr_assert_eq(scrm_column_type(99, 0), 0);
    cr_assert_eq(scrm_column_required(0, 5), -1);
    cr_assert_eq(scrm_column_required(-3, 0), -1);
}
