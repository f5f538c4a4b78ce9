/* Small deterministic data shared by the hardening suites (alloc_fail,
 * limits, concurrency): CSV text for every table, generated from a row count
 * and a seed so each suite can make datasets of the size it needs. */
#ifndef SCRM_TESTS_HARDENING_DATA_H
#define SCRM_TESTS_HARDENING_DATA_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"

typedef struct hd_text {
    char *s;
    size_t len, cap;
} hd_text;

static inline void hd_printf(hd_text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if (t->s && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s)
            abort();
        t->s = s;
        t->cap = cap;
    }
}

static inline uint64_t hd_next(uint64_t *state)
{
    /* splitmix64: deterministic, independent of the library under test */
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* CSV text (header + `rows` rows) for `table`; free with free(). Customers are
 * C00000..C(customers-1), so transactions/survey/referrals join with them. */
static inline char *hd_csv(int32_t table, size_t rows, uint64_t seed, size_t *len)
{
    static const char *const headers[SCRM_TABLE_COUNT] = {
        "id,acquired,segment,acquisition_cost,channel",
        "customer,time,amount,margin",
        "customer,time,score,intends_to_refer,referred",
        "time,channel,user,kind,post_id,target_user,brand,reach,impressions,sentiment",
        "time,channel,followers",
        "id,channel,agent,team,created,first_response,resolved,handle_time",
        "referrer,referee,time,converted,incentive_cost",
        "time,category,amount",
    };
    static const char *const yn[] = {"yes", "no", ""};
    static const char *const kinds[] = {"post", "comment", "share", "like", "mention"};
    hd_text t = {0};
    uint64_t st = seed * 7919u + (uint64_t)table;
    size_t customers = rows / 3 + 1;
    hd_printf(&t, "%s\r\n", headers[table]);
    for (size_t i = 0; i < rows; i++) {
        uint64_t r = hd_next(&st);
        unsigned mon = (unsigned)(r % 12) + 1, day = (unsigned)(r >> 8) % 28 + 1;
        unsigned hh = (unsigned)(r >> 16) % 24, mm = (unsigned)(r >> 24) % 60;
        unsigned long cust = (unsigned long)((r >> 32) % customers);
        switch (table) {
        case SCRM_TABLE_CUSTOMERS:
            hd_printf(&t, "C%05zu,2022-%02u-%02u,seg%u,%u.5,ch%u\n", i, mon, day,
                      (unsigned)(r >> 40) % 4, (unsigned)(r >> 44) % 50, (unsigned)(r >> 50) % 3);
            break;
        case SCRM_TABLE_TRANSACTIONS:
            hd_printf(&t, "C%05lu,2023-%02u-%02uT%02u:%02u:00Z,%u.25,%u.5\n", cust, mon, day, hh,
                      mm, (unsigned)(r >> 40) % 200 + 1, (unsigned)(r >> 48) % 40);
            break;
        case SCRM_TABLE_SURVEY:
            hd_printf(&t, "C%05lu,2023-%02u-%02u,%u,%s,%s\n", cust, mon, day,
                      (unsigned)(r >> 40) % 11, yn[(r >> 48) % 3], yn[(r >> 52) % 3]);
            break;
        case SCRM_TABLE_SOCIAL:
            hd_printf(&t,
                      "2023-%02u-%02uT%02u:%02u:00Z,ch%u,@u%lu,%s,p%u,\"@u%u\",%s,%u,%u,%s\n",
                      mon, day, hh, mm, (unsigned)(r >> 36) % 3, cust, kinds[(r >> 40) % 5],
                      (unsigned)(r >> 44) % 50, (unsigned)(r >> 50) % 20,
                      (r >> 56) % 4 ? "" : "rival", (unsigned)(r >> 20) % 1000,
                      (unsigned)(r >> 22) % 3000, (r >> 58) % 2 ? "0.25" : "negative");
            break;
        case SCRM_TABLE_AUDIENCE:
            hd_printf(&t, "2023-%02u-%02u,ch%u,%u\n", mon, day, (unsigned)(r >> 36) % 3,
                      (unsigned)(r >> 40) % 100000);
            break;
        case SCRM_TABLE_TICKETS:
            hd_printf(&t,
                      "T%06zu,ch%u,agent%u,team%u,2023-%02u-%02uT%02u:%02u:00Z,"
                      "2023-%02u-%02uT%02u:%02u:30Z,%s,%u\n",
                      i, (unsigned)(r >> 36) % 3, (unsigned)(r >> 40) % 7,
                      (unsigned)(r >> 44) % 2, mon, day, hh, mm, mon, day, hh, mm,
                      (r >> 50) % 4 ? "2024-01-01T00:00:00Z" : "", (unsigned)(r >> 52) % 900);
            break;
        case SCRM_TABLE_REFERRALS:
            hd_printf(&t, "C%05lu,R%05zu,2023-%02u-%02u,%s,%u\n", cust, i, mon, day,
                      (r >> 40) % 2 ? "true" : "false", (unsigned)(r >> 44) % 20);
            break;
        default:
            hd_printf(&t, "2023-%02u-%02u,cat%u,%u.75\n", mon, day, (unsigned)(r >> 36) % 4,
                      (unsigned)(r >> 40) % 5000);
            break;
        }
    }
    if (len)
        *len = t.len;
    return t.s;
}

/* Load `rows` generated rows into every table of ds (fail mode). */
static inline int hd_load_all(scrm_dataset *ds, size_t rows, uint64_t seed)
{
    for (int32_t tb = 0; tb < SCRM_TABLE_COUNT; tb++) {
        size_t len;
        char *csv = hd_csv(tb, tb == SCRM_TABLE_CUSTOMERS ? rows / 3 + 1 : rows, seed, &len);
        int rc = scrm_dataset_load_csv_buffer(ds, tb, csv, len, NULL, NULL, NULL);
        free(csv);
        if (rc != SCRM_OK)
            return rc;
    }
    return SCRM_OK;
}

/* 1 if tables `table` of a and b hold the same values (strings compared as
 * text, since ids may differ between datasets). */
static inline int hd_same_table(const scrm_dataset *a, const scrm_dataset *b, int32_t table)
{
    size_t na = 0, nb = 0, ncols = 0;
    if (scrm_dataset_rows(a, table, &na) || scrm_dataset_rows(b, table, &nb) || na != nb ||
        scrm_table_columns(table, &ncols))
        return 0;
    for (int32_t c = 0; c < (int32_t)ncols; c++) {
        const void *va = NULL, *vb = NULL;
        if (scrm_dataset_column(a, table, c, &va, NULL) ||
            scrm_dataset_column(b, table, c, &vb, NULL))
            return 0;
        if (na == 0)
            continue;
        switch (scrm_column_type(table, c)) {
        case SCRM_TYPE_STRING:
            for (size_t i = 0; i < na; i++) {
                const char *sa, *sb;
                if (scrm_dataset_string(a, ((const uint32_t *)va)[i], &sa, NULL) ||
                    scrm_dataset_string(b, ((const uint32_t *)vb)[i], &sb, NULL) ||
                    strcmp(sa, sb) != 0)
                    return 0;
            }
            break;
        case SCRM_TYPE_TIME:
            if (memcmp(va, vb, na * sizeof(int64_t)))
                return 0;
            break;
        case SCRM_TYPE_F64:
            if (memcmp(va, vb, na * sizeof(double)))
                return 0;
            break;
        default:
            if (memcmp(va, vb, na * sizeof(int8_t)))
                return 0;
            break;
        }
    }
    return 1;
}

static inline int hd_same_dataset(const scrm_dataset *a, const scrm_dataset *b)
{
    for (int32_t tb = 0; tb < SCRM_TABLE_COUNT; tb++)
        if (!hd_same_table(a, b, tb))
            return 0;
    return 1;
}

#endif /* SCRM_TESTS_HARDENING_DATA_H */
