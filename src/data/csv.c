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

/* Skip the blank lines from *pos (they carry no record): SCRM__REC_OK at the
 * first byte of a record, else SCRM__REC_END or SCRM__REC_MORE. */
static inline int skip_blank_lines(scrm__csv *c, const char *b, size_t n, int eof, size_t *pos)
{
    size_t i = *pos;
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
        } else {
            *pos = i;
            return SCRM__REC_OK;
        }
    }
}

/* How a quoted field ended. */
enum { QUOTED_OK, QUOTED_MORE, QUOTED_BAD, QUOTED_UNTERMINATED };

/* The quoted field whose opening quote is b[*i]: its content is
 * b[*start .. *start + *flen) (*esc if it holds doubled quotes), *i moves past
 * the closing quote and *lines counts the line feeds inside. On
 * QUOTED_UNTERMINATED *i is n; on QUOTED_BAD it is where to resynchronise. */
static int quoted_field(scrm__csv *c, const char *b, size_t n, int eof, size_t *i,
                        size_t *start, size_t *flen, int *esc, uint64_t *lines)
{
    size_t k = *start = ++*i;
    for (;;) {
        const char *q = memchr(b + k, '"', n - k);
        if (!q) {
            if (!eof)
                return QUOTED_MORE;
            c->err = "unterminated quoted field";
            *lines += count_lf(b + k, n - k);
            *i = n;
            return QUOTED_UNTERMINATED;
        }
        size_t j = (size_t)(q - b);
        if (j + 1 == n && !eof)
            return QUOTED_MORE; /* a doubled quote may follow */
        if (j + 1 < n && b[j + 1] == '"') {
            *esc = 1;
            k = j + 2;
            continue;
        }
        *flen = j - *start;
        *lines += count_lf(b + *start, *flen);
        *i = k = j + 1;
        break;
    }
    if (k < n && b[k] != c->delimiter && b[k] != '\n' && b[k] != '\r') {
        c->err = "unexpected character after a closing quote";
        return QUOTED_BAD;
    }
    return QUOTED_OK;
}

/* After a malformed field at b[i]: skip to the next line feed. */
static int resync(scrm__csv *c, const char *b, size_t n, int eof, size_t i, uint64_t lines,
                  size_t nf, size_t *pos)
{
    const char *lf = memchr(b + i, '\n', n - i);
    if (!lf) {
        if (!eof)
            return SCRM__REC_MORE;
        i = n;
    } else {
        i = (size_t)(lf - b) + 1;
        lines++;
    }
    c->nfields = nf;
    c->line += lines;
    *pos = i;
    return SCRM__REC_BAD;
}

int scrm__csv_record(scrm__csv *c, const char *b, size_t n, int eof, size_t *pos)
{
    int st = skip_blank_lines(c, b, n, eof, pos);
    if (st != SCRM__REC_OK)
        return st;
    size_t i = *pos;
    c->rec_line = c->line;
    const char delim = c->delimiter;
    uint64_t lines = 0;
    size_t nf = 0;
    for (;;) {
        size_t start, flen;
        int esc = 0;
        if (i < n && b[i] == '"') {
            int q = quoted_field(c, b, n, eof, &i, &start, &flen, &esc, &lines);
            if (q == QUOTED_MORE)
                return SCRM__REC_MORE;
            if (q == QUOTED_BAD)
                return resync(c, b, n, eof, i, lines, nf, pos);
            if (q == QUOTED_UNTERMINATED)
                return resync(c, b, n, eof, n, lines, nf, pos);
        } else {
            start = i;
            i = scan_unquoted(c, b, i, n);
            if (i < n && b[i] == '"') {
                c->err = "quote inside an unquoted field";
                return resync(c, b, n, eof, i, lines, nf, pos);
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
}
