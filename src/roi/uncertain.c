/* Uncertain inputs, named scenarios and one-at-a-time sensitivity (tornado). */
#include "roi/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Distribution kinds share their values with the private ones. */
#define SAME(x) ((int)SCRM_DIST_##x == (int)SCRM__DIST_##x)
_Static_assert(SAME(FIXED) && SAME(UNIFORM) && SAME(TRIANGULAR) && SAME(PERT) && SAME(NORMAL) &&
                   SAME(LOGNORMAL) && SAME(LOGNORMAL_MEAN),
               "public and private distribution kinds differ");
#undef SAME

static const char *who(const scrm_roi_model *m, int32_t line)
{
    return line == SCRM_ROI_MODEL_LINE ? "model" : m->lines[line].name;
}

static int32_t is_cost_of(const scrm_roi_model *m, int32_t line)
{
    return line == SCRM_ROI_MODEL_LINE ? 0 : m->lines[line].is_cost;
}

static const double *row_of(const scrm_roi_model *m, int32_t line)
{
    return line == SCRM_ROI_MODEL_LINE ? m->model_in : m->lines[line].in;
}

double scrm__roi_clamp(const scrm_roi_model *m, int32_t line, int32_t input, double v,
                       int *clamped)
{
    double lo, hi;
    int open_lo;
    scrm__roi_domain(input, is_cost_of(m, line), &lo, &hi, &open_lo);
    if (v < lo || (open_lo && v <= lo)) {
        *clamped = 1;
        return open_lo ? nextafter(lo, (double)INFINITY) : lo;
    }
    if (v > hi) {
        *clamped = 1;
        return hi;
    }
    return v;
}

static scrm__roi_unc *find_unc(const scrm_roi_model *m, int32_t line, int32_t input)
{
    for (size_t i = 0; i < m->n_unc; i++)
        if (m->unc[i].line == line && m->unc[i].input == input)
            return &m->unc[i];
    return NULL;
}

SCRM_API int scrm_roi_model_set_uncertain(scrm_roi_model *model, int32_t line, int32_t input,
                                          int32_t kind, double p1, double p2, double p3)
{
    const char *fn = __func__;
    int rc = scrm__roi_check_slot(model, line, input, fn);
    if (rc)
        return rc;
    char what[SCRM__ROI_NAME_MAX + 96];
    snprintf(what, sizeof what, "%s: '%s' %s", fn, who(model, line), scrm_roi_input_name(input));
    scrm__dist d;
    if ((rc = scrm__dist_init(&d, kind, p1, p2, p3, what)))
        return rc;
    /* Bounded supports must lie in the input's domain; unbounded ones are
     * clamped draw by draw. */
    if (kind == SCRM_DIST_FIXED) {
        if ((rc = scrm__roi_check_value(model, line, input, p1, row_of(model, line), fn)))
            return rc;
    } else if (isfinite(d.lo) && isfinite(d.hi)) {
        double lo, hi;
        int open_lo;
        scrm__roi_domain(input, is_cost_of(model, line), &lo, &hi, &open_lo);
        if (d.lo < lo || (open_lo && d.lo <= lo) || d.hi > hi)
            return scrm__fail(SCRM_EINVAL, what,
                              "support [%g, %g] leaves the input's domain %s%g, %g]", d.lo, d.hi,
                              open_lo ? "(" : "[", lo, hi);
    }
    scrm__roi_unc *u = find_unc(model, line, input);
    if (!u) {
        void *p = model->unc;
        rc = scrm__roi_reserve(&p, &model->cap_unc, model->n_unc, sizeof *model->unc, 8, fn);
        model->unc = p;
        if (rc)
            return rc;
        u = &model->unc[model->n_unc++];
        u->line = line;
        u->input = input;
    }
    u->dist = d;
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_clear_uncertain(scrm_roi_model *model, int32_t line, int32_t input)
{
    const char *fn = __func__;
    int rc = scrm__roi_check_slot(model, line, input, fn);
    if (rc)
        return rc;
    scrm__roi_unc *u = find_unc(model, line, input);
    if (u) {
        size_t i = (size_t)(u - model->unc);
        memmove(u, u + 1, (model->n_unc - i - 1) * sizeof *u);
        model->n_unc--;
    }
    return SCRM_OK;
}

/* ---- scenarios ---- */

static scrm__roi_scenario *find_scenario(scrm_roi_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_scen; i++)
        if (strcmp(m->scen[i].name, name) == 0)
            return &m->scen[i];
    return NULL;
}

/* Check value for (line, input) against the line's values in scenario sc
 * (NULL: base values). */
static int check_in_scenario(const scrm_roi_model *m, const scrm__roi_scenario *sc, int32_t line,
                             int32_t input, double value, const char *fn)
{
    double row[SCRM__ROI_NIN];
    memcpy(row, row_of(m, line), sizeof row);
    if (sc)
        for (size_t k = 0; k < sc->n; k++)
            if (sc->ov[k].line == line)
                row[sc->ov[k].input] = sc->ov[k].value;
    return scrm__roi_check_value(m, line, input, value, row, fn);
}

/* Room for one more override in sc. */
static int reserve_override(scrm__roi_scenario *sc, const char *fn)
{
    void *p = sc->ov;
    int rc = scrm__roi_reserve(&p, &sc->cap, sc->n, sizeof *sc->ov, 8, fn);
    sc->ov = p;
    return rc;
}

/* Append an empty scenario with room for one override; on failure the model
 * is as it was. */
static int new_scenario(scrm_roi_model *m, const char *name, size_t len,
                        scrm__roi_scenario **out, const char *fn)
{
    void *p = m->scen;
    int rc = scrm__roi_reserve(&p, &m->cap_scen, m->n_scen, sizeof *m->scen, 4, fn);
    m->scen = p;
    if (rc)
        return rc;
    scrm__roi_scenario sc = { 0 };
    sc.name = scrm__malloc(len + 1);
    if (!sc.name || (rc = reserve_override(&sc, fn)) != SCRM_OK) {
        scrm__free(sc.name);
        return rc ? rc : scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    memcpy(sc.name, name, len + 1);
    m->scen[m->n_scen] = sc;
    *out = &m->scen[m->n_scen++];
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_set_scenario(scrm_roi_model *model, const char *scenario,
                                         int32_t line, int32_t input, double value)
{
    const char *fn = __func__;
    SCRM__CHECK_NULL(model);
    SCRM__CHECK_NULL(scenario);
    size_t len = strlen(scenario);
    if (len == 0 || len > SCRM__ROI_NAME_MAX)
        return SCRM__FAIL(SCRM_EINVAL, "scenario: %zu bytes, a name must be 1..%d bytes", len,
                          SCRM__ROI_NAME_MAX);
    scrm__roi_scenario *sc = NULL;
    int rc = scrm__roi_check_slot(model, line, input, fn);
    if (!rc)
        rc = check_in_scenario(model, sc = find_scenario(model, scenario), line, input, value, fn);
    if (!rc && !sc)
        rc = new_scenario(model, scenario, len, &sc, fn);
    if (rc)
        return rc;
    for (size_t k = 0; k < sc->n; k++)
        if (sc->ov[k].line == line && sc->ov[k].input == input) {
            sc->ov[k].value = value;
            return SCRM_OK;
        }
    if ((rc = reserve_override(sc, fn)))
        return rc;
    sc->ov[sc->n].line = line;
    sc->ov[sc->n].input = input;
    sc->ov[sc->n].value = value;
    sc->n++;
    return SCRM_OK;
}

SCRM_API int scrm_roi_model_scenario_count(const scrm_roi_model *model, int32_t *out)
{
    if (!model || !out)
        return SCRM__FAIL(SCRM_EINVAL, "%s: NULL", !model ? "model" : "out");
    *out = (int32_t)model->n_scen;
    return SCRM_OK;
}

SCRM_API const char *scrm_roi_model_scenario_name(const scrm_roi_model *model, int32_t index)
{
    if (!model) {
        SCRM__FAIL(SCRM_EINVAL, "model: NULL");
        return NULL;
    }
    if (index < 0 || (size_t)index >= model->n_scen) {
        SCRM__FAIL(SCRM_EINVAL, "index %d outside 0..%zu",
                   (int)index, model->n_scen);
        return NULL;
    }
    return model->scen[index].name;
}

/* ---- sensitivity ---- */

static const scrm_roi_sensitivity_options sens_defaults = SCRM_ROI_SENSITIVITY_OPTIONS_INIT;

SCRM_API int scrm_roi_sensitivity_options_init(scrm_roi_sensitivity_options *opts,
                                               unsigned int version)
{
    const char *fn = __func__;
    if (!opts)
        return scrm__fail(SCRM_EINVAL, fn, "opts: NULL");
    int rc = scrm__check_version(version, SCRM_ROI_SENSITIVITY_OPTIONS_VERSION, fn);
    if (rc)
        return rc;
    *opts = sens_defaults;
    opts->version = version;
    return SCRM_OK;
}

static int cmp_rows(const void *pa, const void *pb)
{
    const scrm_roi_sensitivity_row *a = pa, *b = pb;
    if (a->swing != b->swing)
        return a->swing > b->swing ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->input > b->input) - (a->input < b->input);
}

SCRM_API int scrm_roi_model_sensitivity(const scrm_roi_model *model,
                                        const scrm_roi_sensitivity_options *opts,
                                        scrm_roi_sensitivity_row *rows, size_t cap,
                                        size_t *out_len)
{
    const char *fn = __func__;
    if (!model || !out_len || (!rows && cap > 0))
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL",
                          !model ? "model" : !out_len ? "out_len" : "rows");
    scrm_roi_sensitivity_options o = sens_defaults;
    if (opts) {
        int rc = scrm__check_version(opts->version, SCRM_ROI_SENSITIVITY_OPTIONS_VERSION, fn);
        if (rc)
            return rc;
        o = *opts;
    }
    if (!(o.low >= 0.0 && o.low < o.high && o.high <= 1.0))
        return scrm__fail(SCRM_EINVAL, fn,
                          "probabilities must satisfy 0 <= low < high <= 1 (got low %g, high %g)",
                          o.low, o.high);
    const scrm__roi_scenario *sc;
    int rc = scrm__roi_find_scenario(model, o.scenario, &sc, fn);
    if (rc)
        return rc;
    size_t count = 0;
    for (size_t i = 0; i < model->n_unc; i++)
        count += model->unc[i].dist.kind != SCRM_DIST_FIXED;
    *out_len = count;
    if (cap < count)
        return scrm__fail(SCRM_EBUFS, fn, "%zu rows, room for %zu", count, cap);
    scrm__roi_work w;
    if ((rc = scrm__roi_work_init(&w, model, o.scenario, fn)))
        return rc;
    double *vals = w.vals;
    size_t k = 0;
    for (size_t i = 0; i < model->n_unc && !rc; i++) {
        const scrm__roi_unc *u = &model->unc[i];
        if (u->dist.kind == SCRM_DIST_FIXED)
            continue;
        size_t slot = scrm__roi_slot(u->line, u->input);
        scrm_roi_sensitivity_row r;
        int clamped = 0;
        r.line = u->line;
        r.input = u->input;
        r.base_value = vals[slot];
        r.low_value = scrm__roi_clamp(model, u->line, u->input,
                                      scrm__dist_quantile(&u->dist, o.low), &clamped);
        r.high_value = scrm__roi_clamp(model, u->line, u->input,
                                       scrm__dist_quantile(&u->dist, o.high), &clamped);
        scrm__roi_out lo, hi;
        vals[slot] = r.low_value;
        rc = scrm__roi_eval(model, vals, &w, &lo, fn);
        if (!rc) {
            vals[slot] = r.high_value;
            rc = scrm__roi_eval(model, vals, &w, &hi, fn);
        }
        vals[slot] = r.base_value;
        if (rc)
            break;
        r.npv_low = lo.npv;
        r.npv_high = hi.npv;
        r.roi_low = lo.roi;
        r.roi_high = hi.roi;
        r.swing = fabs(hi.npv - lo.npv);
        rows[k++] = r;
    }
    scrm__roi_work_free(&w);
    if (rc)
        return rc;
    if (k > 1) /* rows may be NULL when there is nothing to sort */
        qsort(rows, k, sizeof *rows, cmp_rows);
    return SCRM_OK;
}
