/* Cost lines from the dataset's program costs table, summed per model period. */
#include "roi/model.h"

#include <math.h>
#include <string.h>

#include "num/sum.h"

/* The costs table's columns. */
typedef struct costs_rows {
    size_t n;
    const int64_t *time;
    const double *amount;
    const uint32_t *cat;
} costs_rows;

static int costs_columns(const scrm_dataset *ds, costs_rows *c)
{
    int rc = scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_TIME, (const void **)&c->time,
                                 &c->n);
    if (!rc)
        rc = scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT,
                                 (const void **)&c->amount, NULL);
    if (!rc)
        rc = scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_CATEGORY,
                                 (const void **)&c->cat, NULL);
    return rc;
}

/* The string id of category (NULL: any), or SCRM_ENOTFOUND naming fn. */
static int category_id(const scrm_dataset *ds, const char *category, uint32_t *id,
                       const char *fn)
{
    *id = 0;
    if (!category)
        return SCRM_OK;
    int rc = scrm_dataset_string_id(ds, category, strlen(category), id);
    if (rc == SCRM_ENOTFOUND)
        return scrm__fail(SCRM_ENOTFOUND, fn, "category: '%s' does not occur in the dataset",
                          category);
    return rc;
}

/* Rows counted per period and those left out. */
typedef struct bucketed {
    uint64_t used, before, after;
} bucketed;

/* First k in 1..h with t < bound[k]: the period of a time inside the horizon. */
static size_t period_of(const int64_t *bound, int32_t h, int64_t t)
{
    size_t lo = 1, hi = (size_t)h;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t < bound[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Add each row of the category (cat_id; any when category is NULL) to the sum
 * of its period; bound[k] is the end of period k, bound[0] the start. */
static int bucket_rows(const costs_rows *c, const char *category, uint32_t cat_id,
                       const int64_t *bound, int32_t h, scrm__sum *sums, bucketed *b,
                       const char *fn)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < c->n; i++) {
        if (category && c->cat[i] != cat_id)
            continue;
        int64_t t = c->time[i];
        if (t < bound[0] || t >= bound[h]) {
            ++*(t < bound[0] ? &b->before : &b->after);
            continue;
        }
        if (!isfinite(c->amount[i]))
            return scrm__fail(SCRM_EINVAL, fn, "costs row %zu: amount is not finite", i);
        scrm__sum_add(&sums[period_of(bound, h, t)], c->amount[i]);
        b->used++;
    }
    return SCRM_OK;
}

/* The per-period sums of the costs rows into table (horizon + 1 entries). */
static int sum_costs(const scrm_roi_model *m, const costs_rows *c, const char *category,
                     uint32_t cat_id, double *table, bucketed *b, const char *fn)
{
    int32_t h = m->opts.horizon;
    size_t nb = (size_t)h + 1;
    int64_t *bound = scrm__malloc(nb * sizeof *bound);
    scrm__sum *sums = scrm__calloc(nb, sizeof *sums);
    int rc = bound && sums ? SCRM_OK : scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    for (int32_t k = 0; k <= h && !rc; k++)
        rc = scrm_period_add(m->opts.start, m->opts.period, k, &bound[k]);
    if (!rc)
        rc = bucket_rows(c, category, cat_id, bound, h, sums, b, fn);
    for (size_t k = 0; k < nb && !rc; k++) {
        table[k] = scrm__sum_value(&sums[k]);
        if (!isfinite(table[k]))
            rc = scrm__fail(SCRM_ERANGE, fn, "costs of period %zu: overflow", k);
    }
    scrm__free(bound);
    scrm__free(sums);
    return rc;
}

SCRM_API int scrm_roi_model_add_costs_table(scrm_roi_model *model, const char *name,
                                            const char *source, const scrm_dataset *ds,
                                            const char *category, int32_t *line)
{
    const char *fn = __func__;
    SCRM__CHECK_NULL(model);
    SCRM__CHECK_NULL(name);
    SCRM__CHECK_NULL(ds);
    if (model->opts.start == SCRM_TIME_NONE)
        return SCRM__FAIL(SCRM_ESTATE,
                          "options.start: none, so the costs table's rows have no periods");
    uint32_t cat_id;
    costs_rows c = { 0 };
    int rc = category_id(ds, category, &cat_id, fn);
    if (!rc)
        rc = costs_columns(ds, &c);
    if (rc)
        return rc;
    double *table = scrm__calloc((size_t)model->opts.horizon + 1, sizeof *table);
    if (!table)
        return SCRM__FAIL(SCRM_ENOMEM, "out of memory");
    bucketed b;
    if ((rc = sum_costs(model, &c, category, cat_id, table, &b, fn))) {
        scrm__free(table);
        return rc;
    }
    /* the line owns table from here (freed on failure) */
    return scrm__roi_add_table_line(model, fn, name, source, table, b.used, b.before, b.after,
                                    category, line);
}
