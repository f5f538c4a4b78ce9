/* Cost lines from the dataset's program costs table, summed per model period. */
#include "roi/model.h"

#include <math.h>
#include <string.h>

#include "num/sum.h"

SCRM_API int scrm_roi_model_add_costs_table(scrm_roi_model *model, const char *name,
                                            const char *source, const scrm_dataset *ds,
                                            const char *category, int32_t *line)
{
    const char *fn = __func__;
    if (!model || !name || !ds)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !model ? "model" : !name ? "name" : "ds");
    if (model->opts.start == SCRM_TIME_NONE)
        return scrm__fail(SCRM_ESTATE, fn,
                          "the model has no start time (options.start) to place the costs "
                          "table's rows in periods");
    uint32_t cat_id = 0;
    if (category) {
        int rc = scrm_dataset_string_id(ds, category, strlen(category), &cat_id);
        if (rc == SCRM_ENOTFOUND)
            return scrm__fail(SCRM_ENOTFOUND, fn, "category '%s' does not occur in the dataset",
                              category);
        if (rc)
            return rc;
    }
    size_t n = 0;
    const int64_t *time = NULL;
    const double *amount = NULL;
    const uint32_t *cat = NULL;
    int rc = scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_TIME, (const void **)&time, &n);
    if (!rc)
        rc = scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_AMOUNT,
                                 (const void **)&amount, NULL);
    if (!rc)
        rc = scrm_dataset_column(ds, SCRM_TABLE_COSTS, SCRM_COSTS_CATEGORY,
                                 (const void **)&cat, NULL);
    if (rc)
        return rc;

    int32_t h = model->opts.horizon;
    size_t nb = (size_t)h + 1;
    int64_t *bound = scrm__malloc(nb * sizeof *bound);
    scrm__sum *sums = scrm__calloc(nb, sizeof *sums);
    double *table = scrm__calloc(nb, sizeof *table);
    if (!bound || !sums || !table) {
        rc = scrm__fail(SCRM_ENOMEM, fn, "out of memory");
        goto done;
    }
    /* bound[k] = end of period k (start of period k + 1); bound[0] = start. */
    for (int32_t k = 0; k <= h; k++)
        if ((rc = scrm_period_add(model->opts.start, model->opts.period, k, &bound[k])))
            goto done;
    uint64_t used = 0, before = 0, after = 0;
    for (size_t i = 0; i < n; i++) {
        if (category && cat[i] != cat_id)
            continue;
        int64_t t = time[i];
        if (t < bound[0]) {
            before++;
            continue;
        }
        if (t >= bound[h]) {
            after++;
            continue;
        }
        if (!isfinite(amount[i])) {
            rc = scrm__fail(SCRM_EINVAL, fn, "costs row %zu: amount is not finite", i);
            goto done;
        }
        /* First k with t < bound[k]: the row belongs to period k. */
        size_t lo = 1, hi = (size_t)h;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t < bound[mid])
                hi = mid;
            else
                lo = mid + 1;
        }
        scrm__sum_add(&sums[lo], amount[i]);
        used++;
    }
    for (size_t k = 0; k < nb; k++) {
        table[k] = scrm__sum_value(&sums[k]);
        if (!isfinite(table[k])) {
            rc = scrm__fail(SCRM_ERANGE, fn, "the costs of period %zu overflow", k);
            goto done;
        }
    }
    rc = scrm__roi_add_table_line(model, fn, name, source, table, used, before, after, category,
                                  line);
    table = NULL; /* owned (or freed) by the line */
done:
    scrm__free(bound);
    scrm__free(sums);
    scrm__free(table);
    return rc;
}
