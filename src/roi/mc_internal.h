/* Private pieces of the Monte Carlo simulation of a business case, one step
 * per file:
 *   montecarlo.c  options, the run's lifecycle (scrm_roi_mc_run, _free)
 *   mc_prepare.c  the certain part of the model and the list of random inputs
 *   mc_draw.c     one block of draws: sample the inputs, evaluate each draw
 *   mc_workers.c  the worker threads, progress and the first error
 *   mc_order.c    order statistics (percentiles by selection)
 *   mc_summary.c  summaries, percentiles and samples of a finished run
 *
 * Reproducibility: iterations are grouped in blocks of SCRM__MC_BLOCK; in
 * block b the input (line, input) draws from its own generator seeded with
 * (seed, stream(b, line, input)). A draw therefore depends only on the seed,
 * its index and the input, never on the thread that computes it or on the
 * other inputs. */
#ifndef SCRM_ROI_MC_INTERNAL_H
#define SCRM_ROI_MC_INTERNAL_H

#include "roi/model.h" /* first: includes num/dists.h (contraction off) */

#include <stdint.h>

#if !defined(_WIN32) || defined(__MINGW32__)
#  include <pthread.h>
#  define SCRM__MC_THREADS 1
#else
#  define SCRM__MC_THREADS 0
#endif

#define SCRM__MC_BLOCK 1024
#define SCRM__MC_METRICS 6

struct scrm_roi_mc {
    uint64_t n, seed, clamped;
    double *v; /* SCRM__MC_METRICS arrays of n values, metric k at v + (k - 1) n */
};

/* A random input: where its value goes and how it is drawn. */
typedef struct scrm__mc_input {
    size_t slot;
    const scrm__dist *dist;
    uint64_t stream; /* (line, input) part of the stream id */
    double lo, hi;   /* the input's domain, an open lower bound already moved in */
} scrm__mc_input;

/* A line with a random input. When its growth is certain its per-period
 * factors (the powers of 1 + growth, or the costs table) are computed once and
 * each draw only scales them by the line's base value. */
typedef struct scrm__mc_line {
    int32_t line, first, last;
    const double *shape; /* factors for periods first..last, or NULL */
    double pvf;          /* sum of shape[p] * df[first + p] (certain discount rate) */
    int is_cost;
} scrm__mc_line;

/* A run in progress: the prepared model (read-only while drawing) and the
 * shared progress state (under `lock`). */
typedef struct scrm__mc_job {
    const scrm_roi_model *m;
    const char *fn; /* the public function, for messages */
    /* prepared by scrm__mc_prepare, owned, released by scrm__mc_job_release */
    double *vals;          /* certain values (scenario, FIXED distributions applied) */
    scrm__mc_input *rin;   /* random inputs */
    size_t n_rin;
    scrm__mc_line *dyn;    /* lines with a random input */
    size_t n_dyn;
    double *flows0;        /* ben0 | cost0 | df0 | net0 | shapes of the random lines */
    int rate_random;
    const double *ben0, *cost0, *df0; /* flows of the certain lines, base discounts */
    const double *net0;               /* ben0 - cost0 */
    double bpv0, cpv0;                /* their present values at the base discounts */
    /* the run */
    uint64_t seed, n, nblocks;
    double *out; /* scrm_roi_mc::v */
#if SCRM__MC_THREADS
    pthread_mutex_t lock;
#endif
    uint64_t next_block, done, clamped;
    uint64_t reported; /* last `done` passed to the progress callback */
    int stop;          /* 1 error, 2 cancelled */
    int err_code;      /* error of the lowest failing draw */
    uint64_t err_draw;
    char err_msg[512];
} scrm__mc_job;

/* Scratch of one worker. */
typedef struct scrm__mc_worker {
    double *vals, *net, *dnet, *df;
    scrm__rng *rng;
} scrm__mc_worker;

/* Present value of f[0..len) against df[0..len), compensated (TwoSum). */
static inline double scrm__mc_pv(const double *f, const double *df, int32_t len)
{
    scrm__acc2 acc = { 0.0, 0.0 };
    for (int32_t p = 0; p < len; p++)
        scrm__acc2_add(&acc, f[p] * df[p]);
    return acc.s + acc.c;
}

/* ---- mc_prepare.c ---- */

/* Fill j's prepared part for model m under scenario sc (NULL = base values).
 * SCRM_ENOMEM or SCRM_EDOM naming j->fn; release with scrm__mc_job_release
 * in any case. */
int scrm__mc_prepare(scrm__mc_job *j, const scrm_roi_model *m, const scrm__roi_scenario *sc);
void scrm__mc_job_release(scrm__mc_job *j);

/* ---- mc_draw.c ---- */

/* SCRM_OK or SCRM_ENOMEM (no message). */
int scrm__mc_worker_init(scrm__mc_worker *w, const scrm__mc_job *j);
void scrm__mc_worker_free(scrm__mc_worker *w);
/* Draws [b * BLOCK, ...) of block b into j->out, counting clamped samples.
 * Returns SCRM_OK, or the code of the failing draw (message set, naming it). */
int scrm__mc_run_block(const scrm__mc_job *j, scrm__mc_worker *w, uint64_t b,
                       uint64_t *clamped, uint64_t *failed_draw);

/* ---- mc_workers.c ---- */

/* Run every block of j on the calling thread and up to threads - 1 more,
 * reporting progress through progress (may be NULL). SCRM_ENOMEM (message
 * naming j->fn) when the calling thread's scratch cannot be had, else SCRM_OK
 * and j->stop says how the run ended (0 done, 1 error in j->err_*, 2
 * cancelled). */
int scrm__mc_execute(scrm__mc_job *j, uint32_t threads, scrm_progress_fn progress,
                     void *progress_user);

/* ---- mc_order.c ---- */

/* Percentiles of a[0..n) (n > 0, reordered) at probs[0..np): linear
 * interpolation at position (n - 1) p (Hyndman & Fan type 7). idx: room for
 * 2 np positions. */
void scrm__mc_percentiles(double *a, size_t n, const double *probs, size_t np, double *out,
                          int64_t *idx);

#endif /* SCRM_ROI_MC_INTERNAL_H */
