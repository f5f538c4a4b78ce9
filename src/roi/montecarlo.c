/* Monte Carlo simulation of a business case (METRICS.md 6.5): the options and
 * the run's lifecycle. The steps are in mc_prepare.c (the certain part of the
 * model), mc_draw.c (blocks of draws), mc_workers.c (threads, progress) and
 * mc_summary.c (reading a finished run); see mc_internal.h. */
#include "roi/mc_internal.h"

#include <string.h>

#define MAX_ITERATIONS (UINT64_C(1) << 32)

static const scrm_roi_mc_options mc_defaults = SCRM_ROI_MC_OPTIONS_INIT;

SCRM_API int scrm_roi_mc_options_init(scrm_roi_mc_options *opts, unsigned int version)
{
    SCRM__CHECK_NULL(opts);
    int rc = scrm__check_version(version, SCRM_ROI_MC_OPTIONS_VERSION, __func__);
    if (rc)
        return rc;
    *opts = mc_defaults;
    opts->version = version;
    return SCRM_OK;
}

SCRM_API void scrm_roi_mc_free(scrm_roi_mc *mc)
{
    if (!mc)
        return;
    scrm__free(mc->v);
    scrm__free(mc);
}

/* The options in effect (defaults for NULL), validated. */
static int read_options(const scrm_roi_mc_options *opts, scrm_roi_mc_options *o, const char *fn)
{
    *o = mc_defaults;
    if (opts) {
        int rc = scrm__check_version(opts->version, SCRM_ROI_MC_OPTIONS_VERSION, fn);
        if (rc)
            return rc;
        *o = *opts;
    }
    if (o->iterations < 1 || o->iterations > MAX_ITERATIONS)
        return scrm__fail(SCRM_EINVAL, fn, "iterations: %llu is not in 1..2^32",
                          (unsigned long long)o->iterations);
    return SCRM_OK;
}

/* An empty run with room for every draw's metrics. */
static int new_run(const scrm_roi_mc_options *o, scrm_roi_mc **out, const char *fn)
{
    size_t bytes;
    int rc = scrm__mul_size((size_t)o->iterations, SCRM__MC_METRICS * sizeof(double), &bytes);
    if (rc)
        return rc;
    scrm_roi_mc *mc = scrm__calloc(1, sizeof *mc);
    double *v = scrm__malloc(bytes);
    if (!mc || !v) {
        scrm__free(mc);
        scrm__free(v);
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory for %llu iterations",
                          (unsigned long long)o->iterations);
    }
    mc->n = o->iterations;
    mc->seed = o->seed;
    mc->v = v;
    *out = mc;
    return SCRM_OK;
}

/* Prepare the model, draw every block, and turn how the run ended into a status. */
static int simulate(scrm__mc_job *j, const scrm__roi_scenario *sc, const scrm_roi_mc_options *o)
{
    int rc = scrm__mc_prepare(j, j->m, sc);
    if (rc == SCRM_OK)
        rc = scrm__mc_execute(j, o->threads, o->progress, o->progress_user);
    scrm__mc_job_release(j);
    if (rc != SCRM_OK)
        return rc;
    if (j->stop == 1)
        return scrm__fail(j->err_code, j->fn, "draw %llu: %s", (unsigned long long)j->err_draw,
                          j->err_msg);
    if (j->stop == 2)
        return scrm__fail(SCRM_ESTATE, j->fn,
                          "stopped by the progress callback after %llu of %llu draws",
                          (unsigned long long)j->done, (unsigned long long)j->n);
    return SCRM_OK;
}

SCRM_API int scrm_roi_mc_run(scrm_roi_mc **out, const scrm_roi_model *model,
                             const scrm_roi_mc_options *opts)
{
    SCRM__CHECK_NULL(out);
    *out = NULL;
    SCRM__CHECK_NULL(model);
    scrm_roi_mc_options o;
    const scrm__roi_scenario *sc;
    scrm_roi_mc *mc = NULL;
    int rc = read_options(opts, &o, __func__);
    if (!rc)
        rc = scrm__roi_find_scenario(model, o.scenario, &sc, __func__);
    if (!rc)
        rc = new_run(&o, &mc, __func__);
    if (rc)
        return rc;
    scrm__mc_job j;
    memset(&j, 0, sizeof j);
    j.m = model;
    j.fn = __func__;
    j.seed = o.seed;
    j.n = o.iterations;
    j.nblocks = (o.iterations + SCRM__MC_BLOCK - 1) / SCRM__MC_BLOCK;
    j.out = mc->v;
    if ((rc = simulate(&j, sc, &o)) != SCRM_OK) {
        scrm_roi_mc_free(mc);
        return rc;
    }
    mc->clamped = j.clamped;
    *out = mc;
    return SCRM_OK;
}
