/* ISO-8601 dates and date-times <-> seconds since the epoch (UTC). Strict:
 * every field is range-checked, including the Feb 29 leap-year rules. */
#include "data/timeparse.h"

#include "core/civil.h"
#include "data/data.h"

#include <stdio.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Two / four digits at s, or -1 if any is not a digit (branch-light: this
 * runs for every time field of a CSV load). */
static int d2(const char *s)
{
    unsigned a = (unsigned)(s[0] - '0'), b = (unsigned)(s[1] - '0');
    return ((a > 9) | (b > 9)) ? -1 : (int)(a * 10 + b);
}

static int d4(const char *s)
{
    unsigned a = (unsigned)(s[0] - '0'), b = (unsigned)(s[1] - '0');
    unsigned c = (unsigned)(s[2] - '0'), d = (unsigned)(s[3] - '0');
    return ((a > 9) | (b > 9) | (c > 9) | (d > 9)) ? -1 : (int)(a * 1000 + b * 100 + c * 10 + d);
}

static int num(const char *s, int n) { return n == 4 ? d4(s) : d2(s); }

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

#define FAIL(...) do { snprintf(why, cap, __VA_ARGS__); return -1; } while (0)

/* Zone designator at s[0..n): "Z", "+hh", "+hhmm", "+hh:mm" (or '-').
 * Writes the offset east of UTC in seconds. */
static int parse_zone(const char *s, size_t n, int64_t *off, char *why, size_t cap)
{
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *off = 0;
        return 0;
    }
    if (s[0] != '+' && s[0] != '-')
        FAIL("unexpected text after the time (expected Z or +hh:mm)");
    int hh, mm = 0;
    if (n == 3)
        hh = num(s + 1, 2);
    else if (n == 5) {
        hh = num(s + 1, 2);
        mm = num(s + 3, 2);
    } else if (n == 6 && s[3] == ':') {
        hh = num(s + 1, 2);
        mm = num(s + 4, 2);
    } else
        FAIL("malformed time-zone offset (expected +hh:mm, +hhmm or +hh)");
    if (hh < 0 || mm < 0)
        FAIL("malformed time-zone offset (expected +hh:mm, +hhmm or +hh)");
    if (hh > 23 || mm > 59)
        FAIL("time-zone offset out of range");
    *off = (s[0] == '-' ? -1 : 1) * (int64_t)(hh * 3600 + mm * 60);
    return 0;
}

int scrm__time_parse(const char *s, size_t len, int64_t *out, char *why, size_t cap)
{
    if (len < 10 || s[4] != '-' || s[7] != '-')
        FAIL("not an ISO-8601 date (expected YYYY-MM-DD)");
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        FAIL("not an ISO-8601 date (expected YYYY-MM-DD)");
    if (y < 1)
        FAIL("year %04d outside 0001..9999", y);
    if (m < 1 || m > 12)
        FAIL("month %02d out of range", m);
    if (d < 1 || d > days_in_month(y, m))
        FAIL("day %02d does not exist in %04d-%02d", d, y, m);
    int64_t t = scrm__days_from_civil(y, m, d) * SCRM_SECONDS_PER_DAY;
    if (len == 10) {
        *out = t;
        return 0;
    }
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        FAIL("unexpected text after the date (expected T or a space)");
    if (len < 16 || s[13] != ':')
        FAIL("malformed time of day (expected hh:mm[:ss])");
    int hh = num(s + 11, 2), mi = num(s + 14, 2), ss = 0;
    if (hh < 0 || mi < 0)
        FAIL("malformed time of day (expected hh:mm[:ss])");
    size_t i = 16;
    if (i < len && s[i] == ':') {
        if (len < 19 || (ss = num(s + 17, 2)) < 0)
            FAIL("malformed seconds (expected hh:mm:ss)");
        i = 19;
        if (i < len && s[i] == '.') {
            /* Fraction of a second: validated, then truncated. */
            size_t f = ++i;
            while (i < len && is_digit(s[i]))
                i++;
            if (i == f)
                FAIL("malformed fraction of a second");
        }
    }
    if (hh > 23)
        FAIL("hour %02d out of range", hh);
    if (mi > 59)
        FAIL("minute %02d out of range", mi);
    if (ss > 59)
        FAIL("second %02d out of range", ss);
    int64_t off = 0;
    if (i < len && parse_zone(s + i, len - i, &off, why, cap) != 0)
        return -1;
    t += hh * 3600 + mi * 60 + ss - off;
    if (t < SCRM__TIME_MIN || t > SCRM__TIME_MAX)
        FAIL("outside years 0001..9999 once the time-zone offset is applied");
    *out = t;
    return 0;
}

SCRM_API int scrm_time_parse(const char *text, size_t len, int64_t *out)
{
    if (!text || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", text ? "out" : "text");
    char why[96], val[64];
    if (scrm__time_parse(text, len, out, why, sizeof why) == 0)
        return SCRM_OK;
    scrm__quote_value(val, sizeof val, text, len);
    return SCRM__FAIL(SCRM_EPARSE, "%s: %s", why, val);
}

SCRM_API int scrm_time_format(int64_t t, char *buf, size_t cap)
{
    SCRM__CHECK_NULL(buf);
    if (t < SCRM__TIME_MIN || t > SCRM__TIME_MAX)
        return SCRM__FAIL(SCRM_ERANGE, "time %lld outside years 0001..9999", (long long)t);
    if (cap < 21)
        return SCRM__FAIL(SCRM_EBUFS, "buffer of %zu bytes, 21 needed", cap);
    int64_t days = scrm__floor_div(t, SCRM_SECONDS_PER_DAY);
    int64_t sod = t - days * SCRM_SECONDS_PER_DAY;
    int64_t y;
    int m, d;
    scrm__civil_from_days(days, &y, &m, &d);
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60));
    return SCRM_OK;
}
