/* Public CSV entry points: a memory buffer, a file read in chunks (the file
 * is never held whole in memory), and a directory of conventional files. */
#include "data/csvload.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CHUNK ((size_t)256 * 1024)
#else
/* Fuzz builds: tiny chunks, so fuzz inputs cross chunk boundaries anywhere. */
#define CHUNK ((size_t)61)
#endif

SCRM_API int scrm_dataset_load_csv_buffer(scrm_dataset *ds, int32_t table, const char *data,
                                          size_t len, const char *name,
                                          const scrm_dataset_load_options *opts,
                                          scrm_load_report *report)
{
    scrm__load L;
    int rc = scrm__load_begin(&L, ds, table, opts, name, report, SCRM_EPARSE,
                              "scrm_dataset_load_csv_buffer");
    if (rc)
        return rc;
    if (!data && len)
        return scrm__load_end(&L, SCRM__FAIL(SCRM_EINVAL, "data: NULL"));
    scrm__csvload r;
    rc = scrm__csvload_init(&r, &L, len);
    if (rc == SCRM_OK) {
        size_t pos = 0;
        int more = 0;
        rc = scrm__csvload_feed(&r, data ? data : "", len, 1, &pos, &more);
    }
    scrm__csvload_free(&r);
    return scrm__load_end(&L, rc);
}

static uint64_t file_size(FILE *f)
{
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        return (uint64_t)st.st_size;
    return 0;
}

/* Stream the open file through the CSV loader in chunks. */
static int load_stream(scrm__load *L, FILE *f, const char *path)
{
    scrm__csvload r;
    int rc = scrm__csvload_init(&r, L, file_size(f));
    size_t cap = CHUNK, len = 0, pos = 0;
    char *buf = rc ? NULL : scrm__malloc(cap);
    if (!rc && !buf)
        rc = scrm__fail(SCRM_ENOMEM, path, "out of memory for the read buffer");
    int eof = 0, more = 1;
    while (rc == SCRM_OK && more) {
        /* Keep the unfinished record, then fill the rest of the buffer. */
        if (pos > 0) {
            memmove(buf, buf + pos, len - pos);
            len -= pos;
            r.window_base += pos;
            pos = 0;
        }
        if (len == cap) {
            /* One record fills the buffer: grow it (csvload bounds records). */
            size_t ncap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
            char *n = ncap > cap ? scrm__realloc(buf, ncap) : NULL;
            if (!n) {
                rc = scrm__fail(SCRM_ENOMEM, path, "out of memory for a %zu-byte record", len);
                break;
            }
            buf = n;
            cap = ncap;
        }
        while (!eof && len < cap) {
            size_t got = fread(buf + len, 1, cap - len, f);
            len += got;
            if (got == 0) {
                if (ferror(f))
                    rc = scrm__fail(SCRM_EIO, path, "read error: %s", strerror(errno));
                eof = 1;
            }
        }
        if (rc == SCRM_OK)
            rc = scrm__csvload_feed(&r, buf, len, eof, &pos, &more);
    }
    scrm__free(buf);
    scrm__csvload_free(&r);
    return rc;
}

SCRM_API int scrm_dataset_load_csv(scrm_dataset *ds, int32_t table, const char *path,
                                   const scrm_dataset_load_options *opts, scrm_load_report *report)
{
    scrm__load L;
    int rc = scrm__load_begin(&L, ds, table, opts, path, report, SCRM_EPARSE,
                              "scrm_dataset_load_csv");
    if (rc)
        return rc;
    if (!path)
        return scrm__load_end(&L, SCRM__FAIL(SCRM_EINVAL, "path: NULL"));
    FILE *f = fopen(path, "rb");
    if (!f)
        return scrm__load_end(&L, scrm__fail(SCRM_EIO, path, "cannot open: %s", strerror(errno)));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
        rc = scrm__fail(SCRM_EIO, path, "is a directory, not a CSV file");
    else
        rc = load_stream(&L, f, path);
    fclose(f);
    return scrm__load_end(&L, rc);
}

SCRM_API int scrm_dataset_load_dir(scrm_dataset *ds, const char *dir,
                                   const scrm_dataset_load_options *opts, scrm_load_report *reports,
                                   size_t cap, size_t *n_reports)
{
    const char *fn = "scrm_dataset_load_dir";
    if (n_reports)
        *n_reports = 0;
    if (!ds || !dir)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", ds ? "dir" : "ds");
    if (cap && !reports)
        return scrm__fail(SCRM_EINVAL, fn, "reports: NULL with cap %zu", cap);
    struct stat st;
    if (stat(dir, &st) != 0)
        return scrm__fail(SCRM_EIO, dir, "cannot open directory: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return scrm__fail(SCRM_EIO, dir, "not a directory");
    /* A failure anywhere leaves every table as it was before the call. */
    size_t before[SCRM_TABLE_COUNT];
    for (int t = 0; t < SCRM_TABLE_COUNT; t++)
        before[t] = ds->tables[t].rows;
    size_t dlen = strlen(dir), n = 0;
    int rc = SCRM_OK;
    for (int32_t t = 0; t < SCRM_TABLE_COUNT && rc == SCRM_OK; t++) {
        const char *file = scrm__table_def_get(t)->file;
        size_t need = dlen + 1 + strlen(file) + 1;
        char stack[512];
        char *path = need <= sizeof stack ? stack : scrm__malloc(need);
        if (!path)
            return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
        int sep = dlen && dir[dlen - 1] != '/';
        snprintf(path, need, "%s%s%s", dir, sep ? "/" : "", file);
        if (stat(path, &st) != 0 && errno == ENOENT) {
            if (path != stack)
                scrm__free(path);
            continue; /* missing file: empty table */
        }
        scrm_load_report tmp;
        scrm_load_report *rep = n < cap ? &reports[n] : &tmp;
        rc = scrm_dataset_load_csv(ds, t, path, opts, rep);
        if (n < cap)
            n++;
        if (path != stack)
            scrm__free(path);
    }
    if (rc != SCRM_OK) {
        for (int t = 0; t < SCRM_TABLE_COUNT; t++)
            scrm__table_truncate(&ds->tables[t], before[t]);
        for (size_t k = 0; k < n; k++)
            reports[k].rows_accepted = 0; /* their rows were rolled back too */
    }
    if (n_reports)
        *n_reports = n;
    return rc;
}
