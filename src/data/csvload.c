/* CSV text -> one table (see csvload.h). */
#include "data/csvload.h"

#include <stdio.h>
#include <string.h>

/* Headers wider than this are not CSV files for these tables. */
#define HEADER_MAX_FIELDS 4096
/* Records sampled before the row count of the whole input is estimated. */
#define ESTIMATE_AFTER 4096
/* Records scanned ahead: their strings' hash slots are prefetched while the
 * earlier ones are converted, hiding memory latency of large dictionaries. */
#define BATCH 16

typedef struct scanned {
    int kind; /* SCRM__REC_OK or SCRM__REC_BAD */
    uint64_t line;
    size_t nfields;
    const char *err;
    size_t end; /* window offset just past the record */
} scanned;

int scrm__csvload_init(scrm__csvload *r, scrm__load *L, uint64_t total_bytes)
{
    memset(r, 0, sizeof *r);
    r->L = L;
    r->total_bytes = total_bytes;
    r->fields = scrm__malloc(HEADER_MAX_FIELDS * sizeof *r->fields);
    if (!r->fields)
        return scrm__fail(SCRM_ENOMEM, L->name, "out of memory");
    scrm__csv_init(&r->csv, L->delimiter, r->fields, HEADER_MAX_FIELDS);
    /* The header's longest possible record. */
    r->max_record = (size_t)HEADER_MAX_FIELDS * 64 + L->max_field * (size_t)2 + 3;
    return SCRM_OK;
}

void scrm__csvload_free(scrm__csvload *r)
{
    scrm__free(r->fields);
    scrm__free(r->map);
    scrm__free(r->scratch);
    r->fields = NULL;
    r->map = NULL;
    r->scratch = NULL;
}

/* Field text with doubled quotes undone. */
static int field_text(scrm__csvload *r, const char *buf, const scrm__csv_field *f,
                      const char **s, size_t *len)
{
    const char *p = buf + f->off;
    if (!f->escaped) {
        *s = p;
        *len = f->len;
        return SCRM_OK;
    }
    if (f->len > r->scratch_cap) {
        char *n = scrm__realloc(r->scratch, f->len);
        if (!n)
            return scrm__fail(SCRM_ENOMEM, r->L->name, "out of memory for a %zu-byte field",
                              f->len);
        r->scratch = n;
        r->scratch_cap = f->len;
    }
    size_t k = 0;
    for (size_t i = 0; i < f->len; i++) {
        r->scratch[k++] = p[i];
        if (p[i] == '"')
            i++; /* the scanner guarantees the pair */
    }
    *s = r->scratch;
    *len = k;
    return SCRM_OK;
}

static int name_eq(const char *s, size_t len, const char *name)
{
    size_t i = 0;
    for (; i < len && name[i]; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != name[i])
            return 0;
    }
    return i == len && name[i] == '\0';
}

static int header(scrm__csvload *r, const char *buf)
{
    scrm__load *L = r->L;
    const scrm__table_def *def = L->def;
    size_t nf = r->csv.nfields;
    if (nf > HEADER_MAX_FIELDS)
        return scrm__fail(SCRM_ELIMIT, L->name, "row %llu: header has %zu columns (at most %d)",
                          (unsigned long long)r->csv.rec_line, nf, HEADER_MAX_FIELDS);
    r->map = scrm__malloc(nf * sizeof *r->map);
    if (!r->map)
        return scrm__fail(SCRM_ENOMEM, L->name, "out of memory");
    size_t seen[SCRM__MAX_COLUMNS];
    for (size_t c = 0; c < SCRM__MAX_COLUMNS; c++)
        seen[c] = 0;
    for (size_t h = 0; h < nf; h++) {
        const char *s;
        size_t len;
        if (r->fields[h].len / 2 > L->max_field)
            return scrm__fail(SCRM_ELIMIT, L->name,
                              "row %llu: header field %zu exceeds max_field_bytes = %zu",
                              (unsigned long long)r->csv.rec_line, h + 1, L->max_field);
        int rc = field_text(r, buf, &r->fields[h], &s, &len);
        if (rc)
            return rc;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        r->map[h] = -1;
        for (size_t c = 0; c < def->n_columns; c++) {
            if (!name_eq(s, len, def->columns[c].name))
                continue;
            if (seen[c])
                return scrm__fail(
                    SCRM_EPARSE, L->name,
                    "row %llu: column '%s' appears twice in the header (fields %zu and %zu)",
                    (unsigned long long)r->csv.rec_line, def->columns[c].name, seen[c], h + 1);
            seen[c] = h + 1;
            r->map[h] = (int16_t)c;
        }
    }
    for (size_t c = 0; c < def->n_columns; c++)
        if (def->columns[c].required && !seen[c])
            return scrm__fail(SCRM_ENOTFOUND, L->name,
                              "required column '%s' is missing from the header",
                              def->columns[c].name);
    r->nh = nf;
    r->csv.cap = nf; /* extra fields of ragged rows are counted, not stored */
    r->batch = nf ? HEADER_MAX_FIELDS / nf : BATCH;
    if (r->batch > BATCH)
        r->batch = BATCH;
    r->n_str = r->n_mapped = r->n_absent = 0;
    for (size_t c = 0; c < def->n_columns; c++)
        if (seen[c]) {
            r->mapped[r->n_mapped].field = seen[c] - 1;
            r->mapped[r->n_mapped++].col = (int32_t)c;
        } else
            r->absent[r->n_absent++] = (int32_t)c;
    for (size_t h = 0; h < nf; h++)
        if (r->map[h] >= 0 && def->columns[r->map[h]].type == SCRM_TYPE_STRING)
            r->str_fields[r->n_str++] = h;
    size_t per_field = L->max_field * (size_t)2 + 3;
    r->max_record = nf + 1 > SIZE_MAX / per_field ? SIZE_MAX : (nf + 1) * per_field;
    r->header_done = 1;
    return SCRM_OK;
}

/* Reserve the rows the whole input will probably need, from the bytes per
 * record seen so far: one allocation instead of a series of copies. */
static void estimate(scrm__csvload *r, uint64_t offset)
{
    r->estimated = 1;
    if (!r->total_bytes || offset <= r->data_start || r->total_bytes <= offset)
        return;
    double per = (double)(offset - r->data_start) / (double)r->records;
    double more = (double)(r->total_bytes - offset) / per * 1.02 + 64;
    scrm__load *L = r->L;
    double room = (double)(L->max_rows - L->report->rows_read);
    if (more > room)
        more = room;
    if (more > 1e12)
        return;
    size_t want = L->tab->rows + (size_t)more;
    if (scrm__table_reserve(L->tab, L->def, want) == SCRM_OK)
        L->reserved = 1;
}

static int record(scrm__csvload *r, const char *buf, const scrm__csv_field *fields,
                  const scanned *sc)
{
    scrm__load *L = r->L;
    const scrm__table_def *def = L->def;
    uint64_t row = sc->line;
    int rc = scrm__load_count_read(L, row);
    if (rc)
        return rc;
    if (sc->kind == SCRM__REC_BAD)
        return scrm__load_reject(L, row, NULL, sc->err);
    if (sc->nfields != r->nh) {
        char why[96];
        snprintf(why, sizeof why, "expected %zu fields as in the header, found %zu", r->nh,
                 sc->nfields);
        return scrm__load_reject(L, row, NULL, why);
    }
    /* Convert straight into the row after the last one; it only becomes part
     * of the table when rows is incremented, so a rejected row leaves nothing. */
    scrm__table *t = L->tab;
    if (t->rows == t->cap && (rc = scrm__load_room(L)) != SCRM_OK)
        return rc;
    size_t at = t->rows;
    for (size_t k = 0; k < r->n_mapped; k++) {
        int32_t col = r->mapped[k].col;
        const scrm__column_def *cd = &def->columns[col];
        const scrm__csv_field *f = &fields[r->mapped[k].field];
        const char *s = buf + f->off;
        size_t len = f->len;
        /* Unescaping at most halves a field: check before copying it. */
        if (f->escaped && len / 2 <= L->max_field &&
            (rc = field_text(r, buf, f, &s, &len)) != SCRM_OK)
            return rc;
        if (f->escaped && len == f->len)
            len /= 2; /* not unescaped: too long anyway, report the least length */
        if (len > L->max_field)
            return scrm__fail(
                SCRM_ELIMIT, L->name,
                "row %llu, column '%s': field of %zu bytes exceeds max_field_bytes = %zu",
                (unsigned long long)row, cd->name, len, L->max_field);
        scrm__value v;
        rc = scrm__field_text(&L->conv, cd, s, len, &v);
        if (rc == SCRM__BAD_VALUE)
            return scrm__load_reject(L, row, cd->name, L->why);
        if (rc)
            return rc;
        scrm__table_set(t, col, cd->type, at, v);
    }
    for (size_t k = 0; k < r->n_absent; k++) {
        int32_t type = def->columns[r->absent[k]].type;
        scrm__table_set(t, r->absent[k], type, at, scrm__missing_value(type));
    }
    t->rows = at + 1;
    L->report->rows_accepted++;
    return SCRM_OK;
}

static int more_or_limit(scrm__csvload *r, size_t len, size_t pos, int *more)
{
    if (len - pos > r->max_record)
        return scrm__fail(SCRM_ELIMIT, r->L->name,
                          "row %llu: record longer than %zu bytes (unterminated quote or field "
                          "over max_field_bytes?)",
                          (unsigned long long)r->csv.line, r->max_record);
    *more = 1;
    return SCRM_OK;
}

/* Before the header is known: one record, the header. */
static int feed_header(scrm__csvload *r, const char *buf, size_t len, int eof, size_t *pos,
                       int *more)
{
    scrm__load *L = r->L;
    int k = scrm__csv_record(&r->csv, buf, len, eof, pos);
    if (k == SCRM__REC_MORE)
        return more_or_limit(r, len, *pos, more);
    if (k == SCRM__REC_END)
        return scrm__fail(SCRM_EPARSE, L->name, "empty input: no header row");
    if (k == SCRM__REC_BAD)
        return scrm__fail(SCRM_EPARSE, L->name, "row %llu: malformed header: %s",
                          (unsigned long long)r->csv.rec_line, r->csv.err);
    int rc = header(r, buf);
    r->data_start = r->window_base + *pos;
    return rc;
}

int scrm__csvload_feed(scrm__csvload *r, const char *buf, size_t len, int eof, size_t *pos,
                       int *more)
{
    *more = 0;
    if (!r->started) {
        static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
        if (len - *pos < 3 && !eof && memcmp(buf + *pos, bom, len - *pos) == 0) {
            *more = 1;
            return SCRM_OK;
        }
        if (len - *pos >= 3 && memcmp(buf + *pos, bom, 3) == 0)
            *pos += 3;
        r->started = 1;
    }
    if (!r->header_done) {
        int rc = feed_header(r, buf, len, eof, pos, more);
        if (rc || *more)
            return rc;
    }
    scanned sc[BATCH];
    const scrm__intern *strings = &r->L->ds->strings;
    for (;;) {
        /* Scan a batch of records, each into its own slice of fields. */
        size_t nb = 0;
        int stop = SCRM__REC_OK;
        while (nb < r->batch) {
            r->csv.fields = r->fields + nb * r->nh;
            int k = scrm__csv_record(&r->csv, buf, len, eof, pos);
            if (k == SCRM__REC_MORE || k == SCRM__REC_END) {
                stop = k;
                break;
            }
            sc[nb].kind = k;
            sc[nb].line = r->csv.rec_line;
            sc[nb].nfields = r->csv.nfields;
            sc[nb].err = r->csv.err;
            sc[nb].end = *pos;
            nb++;
        }
        for (size_t b = 0; b < nb; b++) {
            if (sc[b].kind != SCRM__REC_OK || sc[b].nfields != r->nh)
                continue;
            const scrm__csv_field *f = r->fields + b * r->nh;
            for (size_t k = 0; k < r->n_str; k++) {
                const scrm__csv_field *x = &f[r->str_fields[k]];
                if (!x->escaped)
                    scrm__intern_prefetch(strings, buf + x->off, x->len);
            }
        }
        for (size_t b = 0; b < nb; b++) {
            int rc = record(r, buf, r->fields + b * r->nh, &sc[b]);
            if (rc)
                return rc;
            if (++r->records == ESTIMATE_AFTER && !r->estimated)
                estimate(r, r->window_base + sc[b].end);
        }
        if (stop == SCRM__REC_MORE)
            return more_or_limit(r, len, *pos, more);
        if (stop == SCRM__REC_END)
            return SCRM_OK;
    }
}
