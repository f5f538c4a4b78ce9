/* ISO-8601 parsing and formatting. Reference values from Python's datetime. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "scrm.h"

static int64_t parse_ok(const char *s)
{
    int64_t t = 0;
    int rc = scrm_time_parse(s, strlen(s), &t);
    cr_assert_eq(rc, SCRM_OK, "%s: %s", s, scrm_last_error_message());
    return t;
}

Test(time, parses_every_accepted_form)
{
    cr_assert_eq(parse_ok("2024-02-29"), INT64_C(1709164800));
    cr_assert_eq(parse_ok("2024-02-29T13:45"), INT64_C(1709214300));
    cr_assert_eq(parse_ok("2024-02-29T13:45:00"), INT64_C(1709214300));
    cr_assert_eq(parse_ok("2024-02-29 13:45:00"), INT64_C(1709214300));
    cr_assert_eq(parse_ok("2024-02-29t13:45:00z"), INT64_C(1709214300));
    cr_assert_eq(parse_ok("2024-02-29T13:45:00Z"), INT64_C(1709214300));
    cr_assert_eq(parse_ok("2023-06-15T10:30:00+02:00"), INT64_C(1686817800));
    cr_assert_eq(parse_ok("2023-06-15T10:30:00+0200"), INT64_C(1686817800));
    cr_assert_eq(parse_ok("2023-06-15T10:30:00+02"), INT64_C(1686817800));
    cr_assert_eq(parse_ok("2023-06-15T03:00:00-05:30"), INT64_C(1686817800));
    cr_assert_eq(parse_ok("2023-06-15T10:30+02:00"), INT64_C(1686817800));
    cr_assert_eq(parse_ok("2000-02-29"), INT64_C(951782400));
    cr_assert_eq(parse_ok("1900-03-01"), INT64_C(-2203891200));
    cr_assert_eq(parse_ok("1969-12-31T23:59:59"), -1);
}

Test(time, fraction_is_truncated)
{
    cr_assert_eq(parse_ok("2023-06-15T08:30:59.999"), INT64_C(1686817859));
    cr_assert_eq(parse_ok("2023-06-15T08:30:59.000000001Z"), INT64_C(1686817859));
    cr_assert_eq(parse_ok("1969-12-31T23:59:59.5"), -1);
}

Test(time, year_range_edges)
{
    cr_assert_eq(parse_ok("0001-01-01"), INT64_C(-62135596800));
    cr_assert_eq(parse_ok("9999-12-31T23:59:59"), INT64_C(253402300799));
    cr_assert_eq(parse_ok("9999-12-31T23:59:59+05:00"), INT64_C(253402300799) - 5 * 3600);
}

struct bad_time {
    char text[48];
    char reason[48]; /* substring of the message */
};

ParameterizedTestParameters(time, rejects_invalid)
{
    static struct bad_time cases[] = {
        {"", "expected YYYY-MM-DD"},
        {"2024", "expected YYYY-MM-DD"},
        {"2024/01/01", "expected YYYY-MM-DD"},
        {"24-01-01", "expected YYYY-MM-DD"},
        {"2024-1-01", "expected YYYY-MM-DD"},
        {"12024-01-01", "expected YYYY-MM-DD"},
        {"0000-01-01", "year 0000"},
        {"2024-00-10", "month 00"},
        {"2024-13-01", "month 13"},
        {"2024-01-00", "day 00"},
        {"2024-04-31", "day 31"},
        {"2023-02-29", "day 29"},
        {"1900-02-29", "day 29"},
        {"2100-02-29", "day 29"},
        {"2024-01-01X", "after the date"},
        {"2024-01-01Z", "after the date"},
        {"2024-01-01T", "time of day"},
        {"2024-01-01T1:00", "time of day"},
        {"2024-01-01T24:00", "hour 24"},
        {"2024-01-01T23:60", "minute 60"},
        {"2024-01-01T23:59:60", "second 60"},
        {"2024-01-01T23:59:5", "seconds"},
        {"2024-01-01T23:59:59.", "fraction"},
        {"2024-01-01T23:59:59.5x", "after the time"},
        {"2024-01-01T23:59:59+5", "offset"},
        {"2024-01-01T23:59:59+05:0", "offset"},
        {"2024-01-01T23:59:59+24:00", "offset out of range"},
        {"2024-01-01T23:59:59+05:60", "offset out of range"},
        {"2024-01-01T23:59:59ZZ", "after the time"},
        {" 2024-01-01", "expected YYYY-MM-DD"},
        {"0001-01-01T00:00:00+01:00", "outside years"},
        {"9999-12-31T23:00:00-01:00", "outside years"},
    };
    return cr_make_param_array(struct bad_time, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_time *c, time, rejects_invalid)
{
    int64_t t = 12345;
    int rc = scrm_time_parse(c->text, strlen(c->text), &t);
    cr_assert_eq(rc, SCRM_EPARSE, "'%s' gave %d", c->text, rc);
    cr_assert_eq(scrm_last_error_code(), SCRM_EPARSE);
    cr_assert(strstr(scrm_last_error_message(), c->reason) != NULL, "'%s': message '%s'",
              c->text, scrm_last_error_message());
    cr_assert_eq(t, 12345, "output must be untouched on failure");
}

Test(time, message_names_value)
{
    int64_t t;
    cr_assert_eq(scrm_time_parse("2023-02-29", 10, &t), SCRM_EPARSE);
    cr_assert(strstr(scrm_last_error_message(), "\"2023-02-29\"") != NULL);
}

Test(time, length_bounds_the_text)
{
    int64_t t = 0;
    /* Not NUL-terminated: only the first 10 bytes count. */
    cr_assert_eq(scrm_time_parse("2024-02-29garbage", 10, &t), SCRM_OK);
    cr_assert_eq(t, INT64_C(1709164800));
    cr_assert_eq(scrm_time_parse("2024-02-29", 9, &t), SCRM_EPARSE);
}

Test(time, null_arguments)
{
    int64_t t;
    cr_assert_eq(scrm_time_parse(NULL, 10, &t), SCRM_EINVAL);
    cr_assert_eq(scrm_time_parse("2024-01-01", 10, NULL), SCRM_EINVAL);
    char buf[32];
    cr_assert_eq(scrm_time_format(0, NULL, 32), SCRM_EINVAL);
    cr_assert_eq(scrm_time_format(0, buf, 20), SCRM_EBUFS);
}

Test(time, format_known_values)
{
    char buf[21];
    cr_assert_eq(scrm_time_format(INT64_C(1709214300), buf, sizeof buf), SCRM_OK);
    cr_assert_str_eq(buf, "2024-02-29T13:45:00Z");
    cr_assert_eq(scrm_time_format(-1, buf, sizeof buf), SCRM_OK);
    cr_assert_str_eq(buf, "1969-12-31T23:59:59Z");
    cr_assert_eq(scrm_time_format(INT64_C(-62135596800), buf, sizeof buf), SCRM_OK);
    cr_assert_str_eq(buf, "0001-01-01T00:00:00Z");
    cr_assert_eq(scrm_time_format(INT64_C(253402300799), buf, sizeof buf), SCRM_OK);
    cr_assert_str_eq(buf, "9999-12-31T23:59:59Z");
}

Test(time, format_rejects_out_of_range)
{
    char buf[32];
    cr_assert_eq(scrm_time_format(INT64_C(-62135596801), buf, sizeof buf), SCRM_ERANGE);
    cr_assert_eq(scrm_time_format(INT64_C(253402300800), buf, sizeof buf), SCRM_ERANGE);
    cr_assert_eq(scrm_time_format(SCRM_TIME_NONE, buf, sizeof buf), SCRM_ERANGE);
    cr_assert_eq(scrm_time_format(INT64_MAX, buf, sizeof buf), SCRM_ERANGE);
}

/* Property: format then parse is the identity over the whole range. */
Test(time, round_trip_property)
{
    uint64_t x = 0x9E3779B97F4A7C15u;
    const int64_t lo = INT64_C(-62135596800), span = INT64_C(253402300799) - lo + 1;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t t = lo + (int64_t)(x % (uint64_t)span);
        char buf[21];
        cr_assert_eq(scrm_time_format(t, buf, sizeof buf), SCRM_OK);
        int64_t back = 0;
        cr_assert_eq(scrm_time_parse(buf, strlen(buf), &back), SCRM_OK, "%s", buf);
        cr_assert_eq(back, t, "%s", buf);
    }
}

/* Property: every calendar day of 1999..2001 parses and days are consecutive. */
Test(time, consecutive_days)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t prev = 0;
    int first = 1;
    for (int y = 1999; y <= 2001; y++)
        for (int m = 1; m <= 12; m++) {
            int n = dim[m - 1] + (m == 2 && y == 2000);
            for (int d = 1; d <= n + 1; d++) {
                char s[24];
                snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
                int64_t t = 0;
                int rc = scrm_time_parse(s, 10, &t);
                if (d == n + 1) {
                    cr_assert_eq(rc, SCRM_EPARSE, "%s must not exist", s);
                    continue;
                }
                cr_assert_eq(rc, SCRM_OK, "%s", s);
                if (!first)
                    cr_assert_eq(t - prev, 86400, "%s", s);
                prev = t;
                first = 0;
            }
        }
}
