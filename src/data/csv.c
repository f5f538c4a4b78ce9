/* RFC 4180 record scanner (see csv.h). Quoted fields may hold delimiters,
 * doubled quotes and line breaks; records end with LF, CRLF or CR. Blank
 * lines between records are skipped. */
#include "data/csv.h"

#include <string.h>

void scrm__csv_init(scrm__csv *c, char delimiter, scrm__csv_field *fields, size_t cap)
{
    memset(c, 0, sizeof *c);
    c->delimiter = delimiter;
    c->special[(uint8_t)delimiter] = 1;
    c->special['\n'] = 1;
    c->special['\r'] = 1;
    c->special['"'] = 1;
    c->fields = fields;
    c->cap = cap;
    c->line = 1;
}

#define ONES UINT64_C(0x0101010101010101)

/* Lowest byte of w equal to c, as a bit mask (exact for the lowest match). */
static uint64_t has_byte(uint64_t w, uint64_t c)
{
    uint64_t x = w ^ c;
    return (x - ONES) & ~x & (ONES << 7);
}

/* Index of the first byte in b[i..n) that ends an unquoted run. Eight bytes at
 * a time where a word can be read (SWAR), then byte by byte. */
static size_t scan_unquoted(const scrm__csv *c, const char *b, size_t i, size_t n)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t kd = ONES * (uint8_t)c->delimiter, kn = ONES * '\n', kr = ONES * '\r',
                   kq = ONES * '"';
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        uint64_t m = has_byte(w, kd) | has_byte(w, kn) | has_byte(w, kr) | has_byte(w, kq);
        if (m)
            return i + (size_t)(__builtin_ctzll(m) >> 3);
        i += 8;
    }
#endif
    while (i < n && !c->special[(uint8_t)b[i]])
        i++;
    return i;
}

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k = 0;
    const char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}

int scrm__csv_record(scrm__csv *c, const char *b, size_t n, int eof, size_t *pos)
{
    size_t i = *pos;
    /* Blank lines carry no record. */
    for (;;) {
        if (i == n) {
            *pos = i;
            return eof ? SCRM__REC_END : SCRM__REC_MORE;
        }
        if (b[i] == '\n') {
            i++;
            c->line++;
        } else if (b[i] == '\r') {
            if (i + 1 == n && !eof) {
                *pos = i;
                return SCRM__REC_MORE;
            }
            i += (i + 1 < n && b[i + 1] == '\n') ? 2 : 1;
            c->line++;
        } else
            break;
    }
    *pos = i;
    c->rec_line = c->line;
    const char delim = c->delimiter;
    uint64_t lines = 0;
    size_t nf = 0;
    for (;;) {
        size_t start, flen;
        int esc = 0;
        if (i < n && b[i] == '"') {
            start = ++i;
            for (;;) {
                const char *q = memchr(b + i, '"', n - i);
                if (!q) {
                    if (!eof)
                        return SCRM__REC_MORE;
                    c->err = "unterminated quoted field";
                    lines += count_lf(b + i, n - i);
                    i = n;
                    goto bad_done;
                }
                size_t j = (size_t)(q - b);
                if (j + 1 == n && !eof)
                    return SCRM__REC_MORE; /* a doubled quote may follow */
                if (j + 1 < n && b[j + 1] == '"') {
                    esc = 1;
                    i = j + 2;
                    continue;
                }
                flen = j - start;
                lines += count_lf(b + start, flen);
                i = j + 1;
                break;
            }
            if (i < n && b[i] != delim && b[i] != '\n' && b[i] != '\r') {
                c->err = "unexpected character after a closing quote";
                goto bad;
            }
        } else {
            start = i;
            i = scan_unquoted(c, b, i, n);
            if (i < n && b[i] == '"') {
                c->err = "quote inside an unquoted field";
                goto bad;
            }
            flen = i - start;
        }
        if (nf < c->cap) {
            c->fields[nf].off = start;
            c->fields[nf].len = flen;
            c->fields[nf].escaped = esc;
        }
        nf++;
        if (i == n) {
            if (!eof)
                return SCRM__REC_MORE;
            break;
        }
        char ch = b[i];
        if (ch == delim) {
            i++;
            continue;
        }
        if (ch == '\r') {
            if (i + 1 == n && !eof)
                return SCRM__REC_MORE;
            i += (i + 1 < n && b[i + 1] == '\n') ? 2 : 1;
        } else
            i++; /* '\n' */
        lines++;
        break;
    }
    c->nfields = nf;
    c->line += lines;
    *pos = i;
    return SCRM__REC_OK;

bad: {
    /* Resynchronise at the next line feed. */
    const char *lf = memchr(b + i, '\n', n - i);
    if (!lf) {
        if (!eof)
            return SCRM__REC_MORE;
        i = n;
    } else {
        i = (size_t)(lf - b) + 1;
        lines++;
    }
}
bad_done:
    c->nfields = nf;
    c->line += lines;
    *pos = i;
    return SCRM__REC_BAD;
}
