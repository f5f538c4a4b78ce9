/* Monte Carlo, step 1: the certain part of the model (flows of the lines
 * without random inputs, base discounts, their present values), the list of
 * random inputs and, for lines with a random input, their per-period factors. */
#include "roi/mc_internal.h"

#include <math.h>
#include <string.h>

/* is_dyn[l]: bit 1 = line l has a random input, bit 2 = its growth is random. */
enum { DYN_VALUE = 1, DYN_GROWTH = 2 };

static int alloc_buffers(scrm__mc_job *j, const scrm_roi_model *m,
                         const scrm__roi_scenario *sc, char **is_dyn)
{
    size_t nf = (size_t)m->opts.horizon + 1;
    j->vals = scrm__roi_values(m, sc);
    j->rin = scrm__malloc((m->n_unc ? m->n_unc : 1) * sizeof *j->rin);
    j->dyn = scrm__malloc((m->n_lines ? m->n_lines : 1) * sizeof *j->dyn);
    /* certain benefits, costs, discounts and net flows (4 nf), then the shapes
     * of the random lines (at most nf each) */
    j->flows0 = scrm__malloc((4 + m->n_lines) * nf * sizeof *j->flows0);
    *is_dyn = scrm__calloc(m->n_lines + 1, 1);
    if (!j->vals || !j->rin || !j->dyn || !j->flows0 || !*is_dyn) {
        scrm__free(*is_dyn);
        return scrm__fail(SCRM_ENOMEM, j->fn, "out of memory");
    }
    return SCRM_OK;
}

/* Fixed distributions go into the certain values; the others become random
 * inputs, marking their lines (or the discount rate) as random. */
static void collect_inputs(scrm__mc_job *j, const scrm_roi_model *m, char *is_dyn)
{
    j->n_rin = 0;
    for (size_t i = 0; i < m->n_unc; i++) {
        const scrm__roi_unc *u = &m->unc[i];
        size_t slot = scrm__roi_slot(u->line, u->input);
        if (u->dist.kind == SCRM_DIST_FIXED) {
            j->vals[slot] = u->dist.p1;
            continue;
        }
        scrm__mc_input *r = &j->rin[j->n_rin++];
        r->slot = slot;
        r->dist = &u->dist;
        r->stream = ((uint64_t)(uint32_t)(u->line + 1) << 8) ^ (uint64_t)u->input;
        int open_lo;
        int is_cost = u->line == SCRM_ROI_MODEL_LINE ? 0 : m->lines[u->line].is_cost;
        scrm__roi_domain(u->input, is_cost, &r->lo, &r->hi, &open_lo);
        if (open_lo) /* same as scrm__roi_clamp */
            r->lo = nextafter(r->lo, (double)INFINITY);
        if (u->line == SCRM_ROI_MODEL_LINE)
            j->rate_random = 1;
        else
            is_dyn[u->line] |= u->input == SCRM_ROI_INPUT_GROWTH ? DYN_GROWTH : DYN_VALUE;
    }
}

/* A line with a random input: its periods and, unless its growth is random,
 * its per-period factors (written at *shapes, which moves past them). */
static void random_line(const scrm_roi_model *m, int32_t l, const double *row, int growth_random,
                        scrm__mc_line *d, double **shapes)
{
    const scrm__roi_line *L = &m->lines[l];
    d->line = l;
    d->is_cost = L->is_cost;
    d->pvf = 0.0;
    d->first = L->first;
    d->last = L->last;
    d->shape = NULL;
    if (L->kind == SCRM_ROI_LINE_TABLE) {
        d->first = 0;
        d->last = m->opts.horizon;
        d->shape = L->table;
    } else if (!growth_random) {
        /* The same factors scrm__roi_line_add computes (unit base). */
        double g = row[SCRM_ROI_INPUT_GROWTH], f0 = 1.0, f1 = 1.0 + g, m2 = (1.0 + g) * (1.0 + g);
        if (L->kind == SCRM_ROI_LINE_RETENTION)
            f1 = 1.0, m2 = 1.0;
        int32_t len = L->last - L->first + 1;
        for (int32_t k = 0; k < len; k += 64)
            scrm__roi_growth_powers(&f0, &f1, m2, len - k < 64 ? len - k : 64, *shapes + k);
        d->shape = *shapes;
        *shapes += len;
    }
}

/* The flows of the certain lines into ben0/cost0; the random lines into dyn. */
static int split_lines(scrm__mc_job *j, const scrm_roi_model *m, const char *is_dyn)
{
    size_t nf = (size_t)m->opts.horizon + 1;
    double *ben = j->flows0, *cost = ben + nf, *shapes = ben + 4 * nf;
    memset(ben, 0, 2 * nf * sizeof *ben);
    j->n_dyn = 0;
    for (size_t l = 0; l < m->n_lines; l++) {
        const double *row = j->vals + scrm__roi_slot((int32_t)l, 0);
        if (is_dyn[l]) {
            random_line(m, (int32_t)l, row, is_dyn[l] & DYN_GROWTH, &j->dyn[j->n_dyn++], &shapes);
            continue;
        }
        int rc = scrm__roi_line_add(m, (int32_t)l, row, m->lines[l].is_cost ? cost : ben, j->fn);
        if (rc != SCRM_OK)
            return rc;
    }
    return SCRM_OK;
}

/* Base discounts, net flows and present values of the certain part. */
static void base_values(scrm__mc_job *j, const scrm_roi_model *m)
{
    size_t nf = (size_t)m->opts.horizon + 1;
    double *ben = j->flows0, *cost = ben + nf, *df = cost + nf, *net0 = df + nf;
    scrm__roi_discounts(m, j->vals, df);
    for (size_t t = 0; t < nf; t++)
        net0[t] = ben[t] - cost[t];
    j->bpv0 = scrm__mc_pv(ben, df, (int32_t)nf);
    j->cpv0 = scrm__mc_pv(cost, df, (int32_t)nf);
    for (size_t k = 0; k < j->n_dyn; k++) {
        scrm__mc_line *d = &j->dyn[k];
        if (d->shape)
            d->pvf = scrm__mc_pv(d->shape, df + d->first, d->last - d->first + 1);
    }
    j->ben0 = ben;
    j->cost0 = cost;
    j->df0 = df;
    j->net0 = net0;
}

int scrm__mc_prepare(scrm__mc_job *j, const scrm_roi_model *m, const scrm__roi_scenario *sc)
{
    char *is_dyn = NULL;
    int rc = alloc_buffers(j, m, sc, &is_dyn);
    if (rc != SCRM_OK)
        return rc;
    collect_inputs(j, m, is_dyn);
    rc = split_lines(j, m, is_dyn);
    scrm__free(is_dyn);
    if (rc == SCRM_OK)
        base_values(j, m);
    return rc;
}

void scrm__mc_job_release(scrm__mc_job *j)
{
    scrm__free(j->vals);
    scrm__free(j->rin);
    scrm__free(j->dyn);
    scrm__free(j->flows0);
}
