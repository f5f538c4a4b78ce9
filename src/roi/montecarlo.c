/* Monte Carlo simulation of a business case (METRICS.md 6.5): seeded draws of
 * the uncertain inputs, per-draw NPV/ROI/paybacks, summaries and percentiles.
 *
 * Reproducibility: iterations are grouped in blocks of BLOCK; in block b the
 * input (line, input) draws from its own generator seeded with
 * (seed, stream(b, line, input)). A draw therefore depends only on the seed, its
 * index and the input, never on the thread that computes it or on the other
 * inputs. */
#include "roi/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num/sum.h"

#if !defined(_WIN32) || defined(__MINGW32__)
#  include <pthread.h>
#  define HAVE_THREADS 1
#else
#  define HAVE_THREADS 0
#endif

#define BLOCK 1024
#define N_METRICS 6
#define MAX_ITERATIONS (UINT64_C(1) << 32)

struct scrm_roi_mc {
    uint64_t n, seed, clamped;
    double *v; /* N_METRICS arrays of n values, metric k at v + (k - 1) n */
};

static const scrm_roi_mc_options mc_defaults = SCRM_ROI_MC_OPTIONS_INIT;

SCRM_API int scrm_roi_mc_options_init(scrm_roi_mc_options *opts, unsigned int version)
{
    const char *fn = __func__;
    if (!opts)
        return scrm__fail(SCRM_EINVAL, fn, "opts: NULL");
    int rc = scrm__check_version(version, SCRM_ROI_MC_OPTIONS_VERSION, fn);
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

/* ---- the simulation ---- */

typedef struct rand_input {
    size_t slot;
    int32_t line, input;
    const scrm__dist *dist;
    uint64_t stream; /* (line, input) part of the stream id */
    double lo, hi;   /* the input's domain, an open lower bound already moved in */
} rand_input;

/* A line with a random input. When its growth is certain its per-period
 * factors (the powers of 1 + growth, or the costs table) are computed once and
 * each draw only scales them by the line's base value. */
typedef struct dyn_line {
    int32_t line, first, last;
    const double *shape; /* factors for periods first..last, or NULL */
    double pvf;          /* sum of shape[p] * df[first + p] (certain discount rate) */
    int is_cost;
} dyn_line;

typedef struct job {
    const scrm_roi_model *m;
    const double *vals; /* certain values (scenario, FIXED distributions applied) */
    const rand_input *rin;
    size_t n_rin;
    const dyn_line *dyn; /* lines with a random input */
    size_t n_dyn;
    int rate_random;
    const double *ben0, *cost0, *df0; /* flows of the certain lines, base discounts */
    const double *net0;               /* ben0 - cost0 */
    double bpv0, cpv0;                /* their present values at the base discounts */
    uint64_t seed, n, nblocks;
    double *out; /* scrm_roi_mc::v */
#if HAVE_THREADS
    pthread_mutex_t lock;
#endif
    uint64_t next_block, done, clamped;
    uint64_t reported; /* last `done` passed to the progress callback */
    int stop;             /* 1 error, 2 cancelled */
    int err_code;         /* error of the lowest failing draw */
    uint64_t err_draw;
    char err_msg[512];
} job;

static void lock(job *j)
{
#if HAVE_THREADS
    pthread_mutex_lock(&j->lock);
#else
    (void)j;
#endif
}

static void unlock(job *j)
{
#if HAVE_THREADS
    pthread_mutex_unlock(&j->lock);
#else
    (void)j;
#endif
}

/* Scratch of one worker. */
typedef struct worker {
    double *vals, *net, *dnet, *df;
    scrm__rng *rng;
} worker;

static void worker_free(worker *w)
{
    scrm__free(w->vals);
    scrm__free(w->rng);
    memset(w, 0, sizeof *w);
}

static int worker_init(worker *w, const job *j)
{
    size_t nv = (j->m->n_lines + 1) * SCRM__ROI_NIN, nf = (size_t)j->m->opts.horizon + 1;
    memset(w, 0, sizeof *w);
    w->vals = scrm__malloc((nv + 3 * nf) * sizeof *w->vals);
    w->rng = scrm__malloc((j->n_rin ? j->n_rin : 1) * sizeof *w->rng);
    if (!w->vals || !w->rng) {
        worker_free(w);
        return SCRM_ENOMEM;
    }
    memcpy(w->vals, j->vals, nv * sizeof *w->vals);
    w->net = w->vals + nv;
    w->dnet = w->net + nf;
    w->df = w->dnet + nf;
    return SCRM_OK;
}

static void record_error(job *j, uint64_t draw, int code)
{
    lock(j);
    if (!j->stop || j->stop == 1) {
        if (j->stop != 1 || draw < j->err_draw) {
            j->err_code = code;
            j->err_draw = draw;
            snprintf(j->err_msg, sizeof j->err_msg, "%s", scrm_last_error_message());
        }
        j->stop = 1;
    }
    unlock(j);
}

/* Present value of f[0..len) against df[0..len), compensated. */
static double pv_of(const double *f, const double *df, int32_t len)
{
    scrm__acc2 acc = {0.0, 0.0};
    for (int32_t p = 0; p < len; p++)
        scrm__acc2_add(&acc, f[p] * df[p]);
    return acc.s + acc.c;
}

/* One draw with the values in w->vals. The flows of a line are base x factors
 * (powers of 1 + growth, or the costs table), so with a certain discount rate
 * its present value is base x a precomputed factor sum and only the net flows
 * (for the paybacks) are built period by period. */
static int draw(const job *j, worker *w, scrm__roi_out *o)
{
    static const char fn[] = "scrm_roi_mc_run";
    const scrm_roi_model *m = j->m;
    int32_t nf = m->opts.horizon + 1;
    const double *df = j->df0;
    scrm__acc2 bpv = {j->bpv0, 0.0}, cpv = {j->cpv0, 0.0};
    if (j->rate_random) {
        scrm__roi_discounts(m, w->vals, w->df);
        df = w->df;
        bpv.s = pv_of(j->ben0, df, nf);
        cpv.s = pv_of(j->cost0, df, nf);
    }
    memcpy(w->net, j->net0, (size_t)nf * sizeof *w->net);
    for (size_t k = 0; k < j->n_dyn; k++) {
        const dyn_line *d = &j->dyn[k];
        const double *row = w->vals + scrm__roi_slot(d->line, 0);
        int32_t len = d->last - d->first + 1;
        double base, growth, pv;
        const double *restrict f = d->shape;
        int rc = scrm__roi_line_base(m, d->line, row, &base, &growth, fn);
        if (rc)
            return rc;
        if (!f) {
            /* Random growth: values base (1 + g)^k with the powers made exactly
             * as scrm__roi_line_add makes them, added and discounted in one pass. */
            double *restrict a = w->net + d->first;
            const double *restrict dd = df + d->first;
            double m2 = (1.0 + growth) * (1.0 + growth), f0 = 1.0, f1 = 1.0 + growth;
            double sgn = d->is_cost ? -1.0 : 1.0;
            scrm__acc2 acc = {0.0, 0.0};
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
            scrm__acc2_add(d->is_cost ? &cpv : &bpv, acc.s + acc.c);
            continue;
        }
        pv = base * (j->rate_random ? pv_of(f, df + d->first, len) : d->pvf);
        double *restrict a = w->net + d->first;
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
        scrm__acc2_add(d->is_cost ? &cpv : &bpv, pv);
    }
    o->benefits_pv = bpv.s + bpv.c;
    o->costs_pv = cpv.s + cpv.c;
    if (!isfinite(o->benefits_pv) || !isfinite(o->costs_pv))
        return scrm__fail(SCRM_ERANGE, fn, "the flows overflow (present values %g and %g)",
                          o->benefits_pv, o->costs_pv);
    o->npv = o->benefits_pv - o->costs_pv;
    o->roi = o->costs_pv > 0.0 ? o->npv / o->costs_pv : (double)NAN;
    for (int32_t t = 0; t < nf; t++)
        w->dnet[t] = w->net[t] * df[t];
    scrm__finance_payback_ex(w->net, (size_t)nf, 0, &o->payback);
    scrm__finance_payback_ex(w->dnet, (size_t)nf, 0, &o->discounted_payback);
    return SCRM_OK;
}

/* Draws [b * BLOCK, ...) of block b. Returns 0, or nonzero after recording an error. */
static int run_block(job *j, worker *w, uint64_t b, uint64_t *clamped)
{
    for (size_t k = 0; k < j->n_rin; k++)
        scrm__rng_seed_stream(&w->rng[k], j->seed, (b << 32) ^ j->rin[k].stream);
    uint64_t end = (b + 1) * BLOCK < j->n ? (b + 1) * BLOCK : j->n;
    double *out = j->out;
    for (uint64_t i = b * BLOCK; i < end; i++) {
        for (size_t k = 0; k < j->n_rin; k++) {
            const rand_input *r = &j->rin[k];
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
        scrm__roi_out o;
        int rc = draw(j, w, &o);
        if (rc) {
            record_error(j, i, rc);
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

/* Take blocks until none are left; the calling thread also reports progress. */
static void work(job *j, worker *w, const scrm_roi_mc_options *progress)
{
    uint64_t clamped = 0, last_report = 0, step = j->n / 200 ? j->n / 200 : 1;
    for (;;) {
        lock(j);
        uint64_t b = j->next_block++;
        int stop = j->stop;
        unlock(j);
        if (stop || b >= j->nblocks)
            break;
        if (run_block(j, w, b, &clamped))
            break;
        lock(j);
        uint64_t count = (b + 1) * BLOCK < j->n ? BLOCK : j->n - b * BLOCK;
        j->done += count;
        uint64_t done = j->done;
        unlock(j);
        if (progress && progress->progress && (done - last_report >= step || done == j->n)) {
            last_report = done;
            j->reported = done; /* only the calling thread reports */
            if (progress->progress(progress->progress_user, done, j->n)) {
                lock(j);
                if (!j->stop)
                    j->stop = 2;
                unlock(j);
                break;
            }
        }
    }
    lock(j);
    j->clamped += clamped;
    unlock(j);
}

#if HAVE_THREADS
typedef struct thread_arg {
    job *j;
    worker w;
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    work(a->j, &a->w, NULL);
    return NULL;
}
#endif

/* Prepare the certain part of the model and the list of random inputs. */
static int prepare(job *j, const scrm_roi_model *m, const scrm__roi_scenario *sc, double **vals,
                   rand_input **rin, dyn_line **dyn, double **flows0)
{
    static const char fn[] = "scrm_roi_mc_run";
    size_t nf = (size_t)m->opts.horizon + 1;
    *vals = scrm__roi_values(m, sc);
    *rin = scrm__malloc((m->n_unc ? m->n_unc : 1) * sizeof **rin);
    *dyn = scrm__malloc((m->n_lines ? m->n_lines : 1) * sizeof **dyn);
    /* flows0: certain benefits, costs and discounts (3 nf), then the shapes of
     * the random lines (at most nf each). */
    *flows0 = scrm__malloc((4 + m->n_lines) * nf * sizeof **flows0);
    char *is_dyn = scrm__calloc(m->n_lines + 1, 1);
    if (!*vals || !*rin || !*dyn || !*flows0 || !is_dyn) {
        scrm__free(is_dyn);
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    size_t nr = 0;
    for (size_t i = 0; i < m->n_unc; i++) {
        const scrm__roi_unc *u = &m->unc[i];
        size_t slot = scrm__roi_slot(u->line, u->input);
        if (u->dist.kind == SCRM_DIST_FIXED) {
            (*vals)[slot] = u->dist.p1;
            continue;
        }
        rand_input *r = &(*rin)[nr++];
        r->slot = slot;
        r->line = u->line;
        r->input = u->input;
        r->dist = &u->dist;
        r->stream = ((uint64_t)(uint32_t)(u->line + 1) << 8) ^ (uint64_t)u->input;
        int open_lo;
        scrm__roi_domain(u->input, u->line == SCRM_ROI_MODEL_LINE ? 0 : m->lines[u->line].is_cost,
                         &r->lo, &r->hi, &open_lo);
        if (open_lo) /* same as scrm__roi_clamp */
            r->lo = nextafter(r->lo, (double)INFINITY);
        if (u->line == SCRM_ROI_MODEL_LINE)
            j->rate_random = 1;
        else
            is_dyn[u->line] |= u->input == SCRM_ROI_INPUT_GROWTH ? 2 : 1;
    }
    size_t nd = 0;
    double *ben = *flows0, *cost = ben + nf, *df = cost + nf;
    memset(ben, 0, 2 * nf * sizeof *ben);
    int rc = SCRM_OK;
    double *net0 = df + nf, *shapes = net0 + nf;
    for (size_t l = 0; l < m->n_lines && !rc; l++) {
        const scrm__roi_line *L = &m->lines[l];
        const double *row = *vals + scrm__roi_slot((int32_t)l, 0);
        if (!is_dyn[l]) {
            rc = scrm__roi_line_add(m, (int32_t)l, row, L->is_cost ? cost : ben, fn);
            continue;
        }
        dyn_line *d = &(*dyn)[nd++];
        d->line = (int32_t)l;
        d->is_cost = L->is_cost;
        d->pvf = 0.0;
        d->first = L->first;
        d->last = L->last;
        d->shape = NULL;
        if (L->kind == SCRM_ROI_LINE_TABLE) {
            d->first = 0;
            d->last = m->opts.horizon;
            d->shape = L->table;
        } else if (!(is_dyn[l] & 2)) {
            /* The same factors scrm__roi_line_add computes (unit base). */
            double g = row[SCRM_ROI_INPUT_GROWTH], f0 = 1.0, f1 = 1.0 + g, m2 = (1.0 + g) * (1.0 + g);
            if (L->kind == SCRM_ROI_LINE_RETENTION)
                g = 0.0, f1 = 1.0, m2 = 1.0;
            int32_t len = L->last - L->first + 1;
            for (int32_t k = 0; k < len; k += 64)
                scrm__roi_growth_powers(&f0, &f1, m2, len - k < 64 ? len - k : 64, shapes + k);
            d->shape = shapes;
            shapes += len;
        }
    }
    scrm__free(is_dyn);
    scrm__roi_discounts(m, *vals, df);
    for (size_t t = 0; t < nf; t++)
        net0[t] = ben[t] - cost[t];
    j->bpv0 = pv_of(ben, df, (int32_t)nf);
    j->cpv0 = pv_of(cost, df, (int32_t)nf);
    for (size_t k = 0; k < nd; k++) {
        dyn_line *d = &(*dyn)[k];
        if (d->shape)
            d->pvf = pv_of(d->shape, df + d->first, d->last - d->first + 1);
    }
    j->net0 = net0;
    j->rin = *rin;
    j->n_rin = nr;
    j->dyn = *dyn;
    j->n_dyn = nd;
    j->ben0 = ben;
    j->cost0 = cost;
    j->df0 = df;
    j->vals = *vals;
    return rc;
}

SCRM_API int scrm_roi_mc_run(scrm_roi_mc **out, const scrm_roi_model *model,
                             const scrm_roi_mc_options *opts)
{
    const char *fn = __func__;
    if (!out)
        return scrm__fail(SCRM_EINVAL, fn, "out: NULL");
    *out = NULL;
    if (!model)
        return scrm__fail(SCRM_EINVAL, fn, "model: NULL");
    scrm_roi_mc_options o = mc_defaults;
    if (opts) {
        int rc = scrm__check_version(opts->version, SCRM_ROI_MC_OPTIONS_VERSION, fn);
        if (rc)
            return rc;
        o = *opts;
    }
    if (o.iterations < 1 || o.iterations > MAX_ITERATIONS)
        return scrm__fail(SCRM_EINVAL, fn, "iterations %llu outside 1..2^32",
                          (unsigned long long)o.iterations);
    const scrm__roi_scenario *sc;
    int rc = scrm__roi_find_scenario(model, o.scenario, &sc, fn);
    if (rc)
        return rc;
    size_t bytes;
    if ((rc = scrm__mul_size((size_t)o.iterations, N_METRICS * sizeof(double), &bytes)))
        return rc;
    scrm_roi_mc *mc = scrm__calloc(1, sizeof *mc);
    double *v = scrm__malloc(bytes);
    if (!mc || !v) {
        scrm__free(mc);
        scrm__free(v);
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory for %llu iterations",
                          (unsigned long long)o.iterations);
    }
    mc->n = o.iterations;
    mc->seed = o.seed;
    mc->v = v;

    job j;
    memset(&j, 0, sizeof j);
    j.m = model;
    j.seed = o.seed;
    j.n = o.iterations;
    j.nblocks = (o.iterations + BLOCK - 1) / BLOCK;
    j.out = v;
    double *vals = NULL, *flows0 = NULL;
    rand_input *rin = NULL;
    dyn_line *dyn = NULL;
    rc = prepare(&j, model, sc, &vals, &rin, &dyn, &flows0);
    worker w0;
    memset(&w0, 0, sizeof w0);
    if (!rc && worker_init(&w0, &j))
        rc = scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    if (!rc) {
#if HAVE_THREADS
        pthread_mutex_init(&j.lock, NULL);
        uint32_t extra = o.threads > 1 ? o.threads - 1 : 0;
        if ((uint64_t)extra > j.nblocks - 1)
            extra = (uint32_t)(j.nblocks - 1);
        pthread_t *tid = extra ? scrm__malloc(extra * sizeof *tid) : NULL;
        thread_arg *args = extra ? scrm__calloc(extra, sizeof *args) : NULL;
        uint32_t started = 0;
        if (tid && args)
            for (; started < extra; started++) {
                args[started].j = &j;
                if (worker_init(&args[started].w, &j))
                    break;
                if (pthread_create(&tid[started], NULL, thread_main, &args[started])) {
                    worker_free(&args[started].w);
                    break; /* fewer threads: same results, just slower */
                }
            }
        work(&j, &w0, &o);
        for (uint32_t t = 0; t < started; t++) {
            pthread_join(tid[t], NULL);
            worker_free(&args[t].w);
        }
        scrm__free(tid);
        scrm__free(args);
        pthread_mutex_destroy(&j.lock);
#else
        work(&j, &w0, &o);
#endif
        /* Worker threads may finish the last blocks: report completion once. */
        if (!j.stop && o.progress && j.reported != j.n)
            (void)o.progress(o.progress_user, j.n, j.n);
        if (j.stop == 1)
            rc = scrm__fail(j.err_code, fn, "draw %llu: %s", (unsigned long long)j.err_draw,
                            j.err_msg);
        else if (j.stop == 2)
            rc = scrm__fail(SCRM_ESTATE, fn,
                            "stopped by the progress callback after %llu of %llu draws",
                            (unsigned long long)j.done, (unsigned long long)j.n);
        mc->clamped = j.clamped;
    }
    worker_free(&w0);
    scrm__free(vals);
    scrm__free(rin);
    scrm__free(dyn);
    scrm__free(flows0);
    if (rc) {
        scrm_roi_mc_free(mc);
        return rc;
    }
    *out = mc;
    return SCRM_OK;
}

/* ---- order statistics ---- */

/* k-th smallest of a[0..n) (0-based), leaving a partitioned around position k:
 * Hoare/Wirth selection with a median-of-three pivot, falling back to a full
 * sort of the remaining range if it degenerates. */
static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static void select_range(double *a, int64_t l, int64_t r, int64_t k)
{
    int rounds = 0;
    while (l < r) {
        if (++rounds > 128) {
            qsort(a + l, (size_t)(r - l + 1), sizeof *a, cmp_double);
            return;
        }
        double x1 = a[l], x2 = a[l + (r - l) / 2], x3 = a[r];
        double x = x1 < x2 ? (x2 < x3 ? x2 : (x1 < x3 ? x3 : x1))
                           : (x1 < x3 ? x1 : (x2 < x3 ? x3 : x2));
        int64_t i = l, j = r;
        do {
            while (a[i] < x)
                i++;
            while (x < a[j])
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < k)
            l = i;
        if (k < i)
            r = j;
    }
}

/* Put the order statistics of the sorted positions ks[0..nk) in place within
 * a[l..r], each selection narrowing the range of the next ones. */
static void multi_select(double *a, int64_t l, int64_t r, const int64_t *ks, size_t nk)
{
    if (nk == 0 || l >= r)
        return;
    size_t mid = nk / 2;
    int64_t k = ks[mid];
    select_range(a, l, r, k);
    multi_select(a, l, k - 1, ks, mid);
    multi_select(a, k + 1, r, ks + mid + 1, nk - mid - 1);
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

/* Percentiles of a[0..n) (n > 0, reordered) at probs[0..np): linear
 * interpolation at position (n - 1) p (Hyndman & Fan type 7). idx: room for
 * 2 np positions. */
static void percentiles_of(double *a, size_t n, const double *probs, size_t np, double *out,
                           int64_t *idx)
{
    size_t ni = 0;
    for (size_t i = 0; i < np; i++) {
        size_t lo = (size_t)floor((double)(n - 1) * probs[i]);
        idx[ni++] = (int64_t)lo;
        if (lo + 1 < n)
            idx[ni++] = (int64_t)lo + 1;
    }
    qsort(idx, ni, sizeof *idx, cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < ni; i++)
        if (u == 0 || idx[i] != idx[u - 1])
            idx[u++] = idx[i];
    multi_select(a, 0, (int64_t)n - 1, idx, u);
    for (size_t i = 0; i < np; i++) {
        double h = (double)(n - 1) * probs[i];
        size_t lo = (size_t)floor(h);
        double frac = h - (double)lo, vlo = a[lo];
        if (frac == 0.0 || lo + 1 >= n || a[lo + 1] == vlo)
            out[i] = vlo;
        else
            out[i] = vlo + frac * (a[lo + 1] - vlo);
    }
}

/* Non-NaN values of metric into scratch; returns their count. */
static size_t defined(const scrm_roi_mc *mc, int32_t metric, double *scratch)
{
    const double *x = mc->v + (size_t)(metric - 1) * mc->n;
    size_t k = 0;
    for (uint64_t i = 0; i < mc->n; i++)
        if (!isnan(x[i]))
            scratch[k++] = x[i];
    return k;
}

static void stats(double *a, size_t n, scrm_roi_stats *s)
{
    s->n = n;
    if (n == 0) {
        s->mean = s->sd = s->min = s->p5 = s->p50 = s->p95 = s->max = (double)NAN;
        return;
    }
    scrm__sum acc = SCRM__SUM_INIT;
    size_t pos_inf = 0, neg_inf = 0;
    double lo = a[0], hi = a[0];
    for (size_t i = 0; i < n; i++) {
        if (a[i] == (double)INFINITY)
            pos_inf++;
        else if (a[i] == -(double)INFINITY)
            neg_inf++;
        else
            scrm__sum_add(&acc, a[i]);
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
    }
    s->min = lo;
    s->max = hi;
    if (pos_inf || neg_inf) {
        s->mean = pos_inf && neg_inf ? (double)NAN : pos_inf ? (double)INFINITY
                                                             : -(double)INFINITY;
        s->sd = (double)NAN;
    } else {
        double mean = scrm__sum_value(&acc) / (double)n;
        scrm__sum ss = SCRM__SUM_INIT;
        for (size_t i = 0; i < n; i++)
            scrm__sum_add(&ss, (a[i] - mean) * (a[i] - mean));
        s->mean = mean;
        s->sd = n > 1 ? sqrt(scrm__sum_value(&ss) / (double)(n - 1)) : 0.0;
    }
    static const double probs[3] = {0.05, 0.50, 0.95};
    double q[3];
    int64_t idx[6];
    percentiles_of(a, n, probs, 3, q, idx);
    s->p5 = q[0];
    s->p50 = q[1];
    s->p95 = q[2];
}

SCRM_API int scrm_roi_mc_summarize(const scrm_roi_mc *mc, scrm_roi_mc_summary *out)
{
    const char *fn = __func__;
    if (!mc || !out)
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !mc ? "mc" : "out");
    double *scratch = scrm__malloc((size_t)mc->n * sizeof *scratch);
    if (!scratch)
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    memset(out, 0, sizeof *out);
    out->iterations = mc->n;
    out->seed = mc->seed;
    out->clamped = mc->clamped;
    scrm_roi_stats *dst[4] = {&out->npv, &out->roi, &out->benefits_pv, &out->costs_pv};
    for (int32_t k = 0; k < 4; k++)
        stats(scratch, defined(mc, k + 1, scratch), dst[k]);
    const double *npv = mc->v, *pb = mc->v + 4 * mc->n, *dpb = mc->v + 5 * mc->n;
    uint64_t pos = 0, reached = 0, dreached = 0;
    for (uint64_t i = 0; i < mc->n; i++) {
        pos += npv[i] > 0.0;
        reached += isfinite(pb[i]) != 0;
        dreached += isfinite(dpb[i]) != 0;
    }
    out->p_roi_positive = (double)pos / (double)mc->n;
    out->p_payback = (double)reached / (double)mc->n;
    out->p_discounted_payback = (double)dreached / (double)mc->n;
    scrm__free(scratch);
    return SCRM_OK;
}

static int check_metric(int32_t metric, const char *fn)
{
    if (metric < SCRM_ROI_METRIC_NPV || metric > SCRM_ROI_METRIC_DISCOUNTED_PAYBACK)
        return scrm__fail(SCRM_EINVAL, fn, "unknown metric %d", (int)metric);
    return SCRM_OK;
}

SCRM_API int scrm_roi_mc_percentiles(const scrm_roi_mc *mc, int32_t metric, const double *probs,
                                     size_t n, double *out)
{
    const char *fn = __func__;
    if (!mc || ((!probs || !out) && n > 0))
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !mc ? "mc" : !probs ? "probs" : "out");
    int rc = check_metric(metric, fn);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (!(probs[i] >= 0.0 && probs[i] <= 1.0))
            return scrm__fail(SCRM_EINVAL, fn, "probs[%zu] = %g outside [0, 1]", i, probs[i]);
    size_t ibytes;
    if ((rc = scrm__mul_size(n ? n : 1, 2 * sizeof(int64_t), &ibytes)))
        return rc;
    double *scratch = scrm__malloc((size_t)mc->n * sizeof *scratch);
    int64_t *idx = scrm__malloc(ibytes);
    if (!scratch || !idx) {
        scrm__free(scratch);
        scrm__free(idx);
        return scrm__fail(SCRM_ENOMEM, fn, "out of memory");
    }
    size_t k = defined(mc, metric, scratch);
    if (k)
        percentiles_of(scratch, k, probs, n, out, idx);
    else
        for (size_t i = 0; i < n; i++)
            out[i] = (double)NAN;
    scrm__free(scratch);
    scrm__free(idx);
    return SCRM_OK;
}

SCRM_API int scrm_roi_mc_samples(const scrm_roi_mc *mc, int32_t metric, double *out, size_t cap,
                                 size_t *out_len)
{
    const char *fn = __func__;
    if (!mc || !out_len || (!out && cap > 0))
        return scrm__fail(SCRM_EINVAL, fn, "%s: NULL", !mc ? "mc" : !out_len ? "out_len" : "out");
    int rc = check_metric(metric, fn);
    if (rc)
        return rc;
    *out_len = (size_t)mc->n;
    if (cap < mc->n)
        return scrm__fail(SCRM_EBUFS, fn, "%llu draws, room for %zu", (unsigned long long)mc->n,
                          cap);
    memcpy(out, mc->v + (size_t)(metric - 1) * mc->n, (size_t)mc->n * sizeof *out);
    return SCRM_OK;
}
