/* One field -> one validated cell, shared by CSV loading and array appends,
 * so both paths accept and reject exactly the same values. */
#include "core/civil.h"
#include "data/data.h"
#include "data/timeparse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

scrm__value scrm__missing_value(int32_t type)
{
    scrm__value v;
    switch (type) {
    case SCRM_TYPE_STRING: v.s = 0; break;
    case SCRM_TYPE_TIME: v.t = SCRM_TIME_NONE; break;
    case SCRM_TYPE_F64: v.f = (double)NAN; break;
    default: v.b = -1; break;
    }
    return v;
}

SCRM__PRINTF(2, 3)
static int bad(scrm__conv *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->why_cap, fmt, ap);
    va_end(ap);
    return SCRM__BAD_VALUE;
}

static int missing(scrm__conv *c, const scrm__column_def *col, scrm__value *out)
{
    if (col->required)
        return bad(c, "required value is missing");
    *out = scrm__missing_value(col->type);
    return SCRM_OK;
}

/* Typed fields ignore surrounding blanks ("12.5 " is a number). */
static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    if (n && p[0] != ' ' && p[0] != '\t' && p[n - 1] != ' ' && p[n - 1] != '\t')
        return; /* the common case */
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    *s = p;
    *len = n;
}

static int lower_eq(const char *s, size_t len, const char *word)
{
    size_t i = 0;
    for (; i < len && word[i]; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != word[i])
            return 0;
    }
    return i == len && word[i] == '\0';
}

/* Validation rules beyond the type, for a finite number. */
static int check_f64(scrm__conv *c, const scrm__column_def *col, double v, const char *txt,
                     size_t len, scrm__value *out)
{
    char val[100];
    if ((col->flags & SCRM__COL_NONNEG) && v < 0) {
        if (txt)
            scrm__quote_value(val, sizeof val, txt, len);
        else
            snprintf(val, sizeof val, "%.17g", v);
        return bad(c, "must be >= 0: %s", val);
    }
    if ((col->flags & SCRM__COL_SENTIMENT) && (v < -1 || v > 1)) {
        if (txt)
            scrm__quote_value(val, sizeof val, txt, len);
        else
            snprintf(val, sizeof val, "%.17g", v);
        return bad(c, "sentiment must be in -1..1 or positive/neutral/negative: %s", val);
    }
    out->f = v == 0 ? 0.0 : v; /* no -0 in columns */
    return SCRM_OK;
}

static int text_string(scrm__conv *c, const scrm__column_def *col, const char *s, size_t len,
                       scrm__value *out)
{
    char val[100];
    if (!scrm__utf8_valid(s, len)) {
        scrm__quote_value(val, sizeof val, s, len);
        return bad(c, "invalid UTF-8: %s", val);
    }
    if (col->flags & SCRM__COL_LOWER) {
        size_t k = 0;
        while (k < len && !(s[k] >= 'A' && s[k] <= 'Z'))
            k++;
        if (k < len) {
            char stack[128];
            char *low = len <= sizeof stack ? stack : scrm__malloc(len);
            if (!low)
                return scrm__fail(SCRM_ENOMEM, c->name, "out of memory lower-casing %zu bytes",
                                  len);
            for (size_t i = 0; i < len; i++)
                low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
            int rc = scrm__intern_add(&c->ds->strings, low, len, &out->s);
            if (low != stack)
                scrm__free(low);
            return rc;
        }
    }
    return scrm__intern_add(&c->ds->strings, s, len, &out->s);
}

int scrm__field_text(scrm__conv *c, const scrm__column_def *col, const char *s, size_t len,
                     scrm__value *out)
{
    char val[100], why[96];
    if (col->type != SCRM_TYPE_STRING)
        trim(&s, &len);
    if (len == 0)
        return missing(c, col, out);
    switch (col->type) {
    case SCRM_TYPE_STRING:
        return text_string(c, col, s, len, out);
    case SCRM_TYPE_TIME:
        if (scrm__time_parse(s, len, &out->t, why, sizeof why) == 0)
            return SCRM_OK;
        scrm__quote_value(val, sizeof val, s, len);
        return bad(c, "%s: %s", why, val);
    case SCRM_TYPE_F64: {
        if (col->flags & SCRM__COL_SENTIMENT) {
            if (lower_eq(s, len, "positive"))
                return out->f = 1.0, SCRM_OK;
            if (lower_eq(s, len, "neutral"))
                return out->f = 0.0, SCRM_OK;
            if (lower_eq(s, len, "negative"))
                return out->f = -1.0, SCRM_OK;
        }
        double v;
        int rc = scrm__parse_f64(s, len, &v);
        if (rc == -3)
            return scrm__fail(SCRM_ENOMEM, c->name, "out of memory parsing a %zu-byte number", len);
        if (rc != 0) {
            scrm__quote_value(val, sizeof val, s, len);
            return bad(c, rc == -2 ? "number out of range: %s" : "not a number: %s", val);
        }
        return check_f64(c, col, v, s, len, out);
    }
    default:
        if (lower_eq(s, len, "1") || lower_eq(s, len, "true") || lower_eq(s, len, "yes") ||
            lower_eq(s, len, "y"))
            return out->b = 1, SCRM_OK;
        if (lower_eq(s, len, "0") || lower_eq(s, len, "false") || lower_eq(s, len, "no") ||
            lower_eq(s, len, "n"))
            return out->b = 0, SCRM_OK;
        scrm__quote_value(val, sizeof val, s, len);
        return bad(c, "not a boolean (1/0, true/false, yes/no, y/n): %s", val);
    }
}

static int time_in_range(int64_t t) { return t >= SCRM__TIME_MIN && t <= SCRM__TIME_MAX; }

int scrm__field_f64(scrm__conv *c, const scrm__column_def *col, double v, scrm__value *out)
{
    if (isnan(v))
        return missing(c, col, out);
    if (!isfinite(v))
        return bad(c, "not a finite number: %g", v);
    switch (col->type) {
    case SCRM_TYPE_TIME: {
        /* Seconds; a fraction is truncated (towards the past), as in text. */
        double f = floor(v);
        if (!(f >= -62135596800.0 && f <= 253402300799.0))
            return bad(c, "time %.17g outside years 0001..9999", v);
        out->t = (int64_t)f;
        return SCRM_OK;
    }
    case SCRM_TYPE_F64:
        return check_f64(c, col, v, NULL, 0, out);
    case SCRM_TYPE_BOOL:
        if (v == 0 || v == 1)
            return out->b = (int8_t)v, SCRM_OK;
        return bad(c, "not a boolean (0 or 1): %.17g", v);
    default:
        return bad(c, "a number cannot be stored in a string column");
    }
}

int scrm__field_i64(scrm__conv *c, const scrm__column_def *col, int64_t v, scrm__value *out)
{
    switch (col->type) {
    case SCRM_TYPE_TIME:
        if (v == SCRM_TIME_NONE)
            return missing(c, col, out);
        if (!time_in_range(v))
            return bad(c, "time %lld outside years 0001..9999", (long long)v);
        out->t = v;
        return SCRM_OK;
    case SCRM_TYPE_F64:
        return check_f64(c, col, (double)v, NULL, 0, out);
    case SCRM_TYPE_BOOL:
        if (v == 0 || v == 1)
            return out->b = (int8_t)v, SCRM_OK;
        return bad(c, "not a boolean (0 or 1): %lld", (long long)v);
    default:
        return bad(c, "an integer cannot be stored in a string column");
    }
}
