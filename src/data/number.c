/* Decimal numbers for CSV fields. Most values ("123.45") take an exact fast
 * path (Clinger: an integer mantissa below 2^53 scaled by an exactly
 * representable power of ten is correctly rounded); the rest are validated
 * here and converted by strtod. */
#include "data/data.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod on a validated, NUL-terminated copy with the locale's decimal point
 * (strtod follows LC_NUMERIC, which the host application may have changed). */
static int slow_path(const char *s, size_t len, double *out)
{
    const char *dp = localeconv()->decimal_point;
    size_t dpl = dp && *dp ? strlen(dp) : 1;
    char stack[128];
    size_t need = len * dpl + 1; /* len is bounded by max_field_bytes */
    char *buf = need <= sizeof stack ? stack : scrm__malloc(need);
    if (!buf)
        return -3;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.' && dp && *dp) {
            memcpy(buf + k, dp, dpl);
            k += dpl;
        } else
            buf[k++] = s[i];
    }
    buf[k] = '\0';
    char *end = NULL;
    double v = strtod(buf, &end);
    int ok = end == buf + k;
    if (buf != stack)
        scrm__free(buf);
    if (!ok)
        return -1;
    if (!isfinite(v))
        return -2;
    *out = v;
    return 0;
}

int scrm__parse_f64(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    /* Up to 19 digits fit in the mantissa; longer inputs go to strtod. */
    uint64_t mant = 0;
    const char *d0 = p;
    while (p < end && (unsigned)(*p - '0') < 10)
        mant = mant * 10 + (uint64_t)(*p++ - '0');
    size_t ndig = (size_t)(p - d0), nfrac = 0;
    if (p < end && *p == '.') {
        const char *f0 = ++p;
        while (p < end && (unsigned)(*p - '0') < 10)
            mant = mant * 10 + (uint64_t)(*p++ - '0');
        nfrac = (size_t)(p - f0);
        ndig += nfrac;
    }
    if (ndig == 0)
        return -1;
    int64_t exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p == end || (unsigned)(*p - '0') >= 10)
            return -1;
        for (; p < end && (unsigned)(*p - '0') < 10; p++)
            if (exp < 100000)
                exp = exp * 10 + (*p - '0');
        if (eneg)
            exp = -exp;
    }
    if (p != end)
        return -1;
    if (ndig <= 19) {
        int64_t e10 = exp - (int64_t)nfrac;
        if (mant == 0) {
            *out = neg ? -0.0 : 0.0;
            return 0;
        }
        if (mant <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22) {
            double v = (double)mant;
            v = e10 < 0 ? v / pow10_exact[-e10] : v * pow10_exact[e10];
            *out = neg ? -v : v;
            return 0;
        }
    }
    return slow_path(s, len, out);
}

int scrm__utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len < 8) {
        /* Short strings (most ids): all ASCII? */
        unsigned any = 0;
        for (size_t k = 0; k < len; k++)
            any |= s[k];
        if (any < 0x80)
            return 1;
    }
    size_t i = 0;
    while (i < len) {
        /* ASCII runs 8 bytes at a time. */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & UINT64_C(0x8080808080808080))) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) lo = 0xA0;      /* no overlongs */
            else if (c == 0xED) hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) lo = 0x90;
            else if (c == 0xF4) hi = 0x8F; /* <= U+10FFFF */
        } else
            return 0;
        if (len - i - 1 < n)
            return 0;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return 0;
        i += n + 1;
    }
    return 1;
}

void scrm__quote_value(char *dst, size_t cap, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (cap < 8) {
        if (cap)
            dst[0] = '\0';
        return;
    }
    size_t k = 0, room = cap - 5; /* closing quote, "...", NUL */
    dst[k++] = '"';
    size_t i = 0;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            /* Whole valid UTF-8 sequences are kept; stray bytes are escaped. */
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (n <= len - i && scrm__utf8_valid(s + i, n)) {
                if (k + n > room)
                    break;
                memcpy(dst + k, s + i, n);
                k += n;
                i += n - 1;
                continue;
            }
        }
        int plain = c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
        size_t w = plain ? 1 : (c == '"' || c == '\\') ? 2 : 4;
        if (k + w > room)
            break;
        if (plain)
            dst[k++] = (char)c;
        else if (w == 2) {
            dst[k++] = '\\';
            dst[k++] = (char)c;
        } else {
            dst[k++] = '\\';
            dst[k++] = 'x';
            dst[k++] = hex[c >> 4];
            dst[k++] = hex[c & 15];
        }
    }
    dst[k++] = '"';
    if (i < len) {
        memcpy(dst + k, "...", 3);
        k += 3;
    }
    dst[k] = '\0';
}
