/* TEMPORARY: CSV loading lands in the next increment. */
#include "data.h"

SCRM_API int scrm_dataset_load_csv_buffer(scrm_dataset *ds, int32_t table, const char *data,
                                          size_t len, const char *name,
                                          const scrm_load_options *opts,
                                          scrm_load_report *report)
{
    (void)ds, (void)table, (void)data, (void)len, (void)name, (void)opts, (void)report;
    return scrm__error(SCRM_ESTATE, "CSV loading not implemented yet");
}

SCRM_API int scrm_dataset_load_csv(scrm_dataset *ds, int32_t table, const char *path,
                                   const scrm_load_options *opts, scrm_load_report *report)
{
    (void)ds, (void)table, (void)path, (void)opts, (void)report;
    return scrm__error(SCRM_ESTATE, "CSV loading not implemented yet");
}

SCRM_API int scrm_dataset_load_dir(scrm_dataset *ds, const char *dir,
                                   const scrm_load_options *opts, scrm_load_report *reports,
                                   size_t cap, size_t *n_reports)
{
    (void)ds, (void)dir, (void)opts, (void)reports, (void)cap, (void)n_reports;
    return scrm__error(SCRM_ESTATE, "CSV loading not implemented yet");
}
