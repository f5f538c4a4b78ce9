/* Monte Carlo, step 2: one block of draws. Sample the random inputs from
 * their per-block streams, then evaluate each draw (present values, NPV, ROI,
 * both paybacks) on top of the prepared certain part. The hot loop. */
#include "roi/mc_internal.h"

#include <math.h>
#include <string.h>

int scrm__mc_worker_init(scrm__mc_worker *w, const scrm__mc_job *j)
{
    size_t nv = (j->m->n_lines + 1) * SCRM__ROI_NIN, nf = (size_t)j->m->opts.horizon + 1;
    memset(w, 0, sizeof *w);
    w->vals = scrm__malloc((nv + 3 * nf) * sizeof *w->vals);
    w->rng = scrm__malloc((j->n_rin ? j->n_rin : 1) * sizeof *w->rng);
    if (!w->vals || !w->rng) {
        scrm__mc_worker_free(w);
        return SCRM_ENOMEM;
    }
    memcpy(w->vals, j->vals, nv * sizeof *w->vals);
    w->net = w->vals + nv;
    w->dnet = w->net + nf;
    w->df = w->dnet + nf;
    return SCRM_OK;
}

void scrm__mc_worker_free(scrm__mc_worker *w)
{
    scrm__free(w->vals);
    scrm__free(w->rng);
    memset(w, 0, sizeof *w);
}

/* A line with random growth: values base (1 + g)^k with the powers made
 * exactly as scrm__roi_line_add makes them, added to the net flows and
 * discounted in one pass. Returns the line's present value. */
static double add_growing_line(const scrm__mc_line *d, double base, double growth, double *net,
                               const double *df)
{
    int32_t len = d->last - d->first + 1;
    double *restrict a = net + d->first;
    const double *restrict dd = df + d->first;
    double m2 = (1.0 + growth) * (1.0 + growth), f0 = 1.0, f1 = 1.0 + growth;
    double sgn = d->is_cost ? -1.0 : 1.0;
    scrm__acc2 acc = { 0.0, 0.0 };
    for (int32_t p = 0; p < len; p += 2) {
        double v0 = base * f0;
        a[p] += sgn * v0;
        scrm__acc2_add(&acc, v0 * dd[p]);
        if (p + 1 < len) {
            double v1 = base * f1;
            a[p + 1] += sgn * v1;
            scrm__acc2_add(&acc, v1 * dd[p + 1]);
        }
        f0 *= m2;
        f1 *= m2;
    }
    return acc.s + acc.c;
}

/* A line with precomputed factors: net += +-base x shape. */
static void add_shaped_line(const scrm__mc_line *d, double base, double *net)
{
    int32_t len = d->last - d->first + 1;
    const double *restrict f = d->shape;
    double *restrict a = net + d->first;
    double sb = d->is_cost ? -base : base;
    int32_t p = 0;
    for (; p + 4 <= len; p += 4) { /* unrolled: this loop is most of a draw */
        double a0 = a[p] + sb * f[p], a1 = a[p + 1] + sb * f[p + 1];
        double a2 = a[p + 2] + sb * f[p + 2], a3 = a[p + 3] + sb * f[p + 3];
        a[p] = a0;
        a[p + 1] = a1;
        a[p + 2] = a2;
        a[p + 3] = a3;
    }
    for (; p < len; p++)
        a[p] += sb * f[p];
}

/* Add every random line to w->net and to the present values bpv / cpv. */
static int add_random_lines(const scrm__mc_job *j, scrm__mc_worker *w, const double *df,
                            scrm__acc2 *bpv, scrm__acc2 *cpv)
{
    for (size_t k = 0; k < j->n_dyn; k++) {
        const scrm__mc_line *d = &j->dyn[k];
        const double *row = w->vals + scrm__roi_slot(d->line, 0);
        double base, growth, pv;
        int rc = scrm__roi_line_base(j->m, d->line, row, &base, &growth, j->fn);
        if (rc)
            return rc;
        if (!d->shape) {
            pv = add_growing_line(d, base, growth, w->net, df);
        } else {
            int32_t len = d->last - d->first + 1;
            pv = base * (j->rate_random ? scrm__mc_pv(d->shape, df + d->first, len) : d->pvf);
            add_shaped_line(d, base, w->net);
        }
        scrm__acc2_add(d->is_cost ? cpv : bpv, pv);
    }
    return SCRM_OK;
}

/* One draw with the values in w->vals. The flows of a line are base x factors
 * (powers of 1 + growth, or the costs table), so with a certain discount rate
 * its present value is base x a precomputed factor sum and only the net flows
 * (for the paybacks) are built period by period. */
static int draw(const scrm__mc_job *j, scrm__mc_worker *w, scrm__roi_out *o)
{
    int32_t nf = j->m->opts.horizon + 1;
    const double *df = j->df0;
    scrm__acc2 bpv = { j->bpv0, 0.0 }, cpv = { j->cpv0, 0.0 };
    if (j->rate_random) {
        scrm__roi_discounts(j->m, w->vals, w->df);
        df = w->df;
        bpv.s = scrm__mc_pv(j->ben0, df, nf);
        cpv.s = scrm__mc_pv(j->cost0, df, nf);
    }
    memcpy(w->net, j->net0, (size_t)nf * sizeof *w->net);
    int rc = add_random_lines(j, w, df, &bpv, &cpv);
    if (rc)
        return rc;
    o->benefits_pv = bpv.s + bpv.c;
    o->costs_pv = cpv.s + cpv.c;
    if (!isfinite(o->benefits_pv) || !isfinite(o->costs_pv))
        return scrm__fail(SCRM_ERANGE, j->fn, "the flows overflow (present values %g and %g)",
                          o->benefits_pv, o->costs_pv);
    o->npv = o->benefits_pv - o->costs_pv;
    o->roi = o->costs_pv > 0.0 ? o->npv / o->costs_pv : (double)NAN;
    for (int32_t t = 0; t < nf; t++)
        w->dnet[t] = w->net[t] * df[t];
    scrm__finance_payback_ex(w->net, (size_t)nf, 0, &o->payback);
    scrm__finance_payback_ex(w->dnet, (size_t)nf, 0, &o->discounted_payback);
    return SCRM_OK;
}

/* Sample every random input into w->vals, clamped into its domain. */
static void sample_inputs(const scrm__mc_job *j, scrm__mc_worker *w, uint64_t *clamped)
{
    for (size_t k = 0; k < j->n_rin; k++) {
        const scrm__mc_input *r = &j->rin[k];
        double x = scrm__dist_sample(r->dist, &w->rng[k]);
        if (x < r->lo) {
            x = r->lo;
            ++*clamped;
        } else if (x > r->hi) {
            x = r->hi;
            ++*clamped;
        }
        w->vals[r->slot] = x;
    }
}

int scrm__mc_run_block(const scrm__mc_job *j, scrm__mc_worker *w, uint64_t b,
                       uint64_t *clamped, uint64_t *failed_draw)
{
    for (size_t k = 0; k < j->n_rin; k++)
        scrm__rng_seed_stream(&w->rng[k], j->seed, (b << 32) ^ j->rin[k].stream);
    uint64_t end = (b + 1) * SCRM__MC_BLOCK < j->n ? (b + 1) * SCRM__MC_BLOCK : j->n;
    double *out = j->out;
    for (uint64_t i = b * SCRM__MC_BLOCK; i < end; i++) {
        sample_inputs(j, w, clamped);
        scrm__roi_out o;
        int rc = draw(j, w, &o);
        if (rc) {
            *failed_draw = i;
            return rc;
        }
        out[i] = o.npv;
        out[j->n + i] = o.roi;
        out[2 * j->n + i] = o.benefits_pv;
        out[3 * j->n + i] = o.costs_pv;
        out[4 * j->n + i] = o.payback.period;
        out[5 * j->n + i] = o.discounted_payback.period;
    }
    return SCRM_OK;
}
