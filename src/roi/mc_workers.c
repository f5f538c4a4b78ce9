/* Monte Carlo, step 3: the workers. Threads take blocks until none are left;
 * the calling thread also reports progress; the error of the lowest failing
 * draw wins, so the outcome does not depend on the thread count. */
#include "roi/mc_internal.h"

#include <stdio.h>
#include <string.h>

static void lock(scrm__mc_job *j)
{
#if SCRM__MC_THREADS
    pthread_mutex_lock(&j->lock);
#else
    (void)j;
#endif
}

static void unlock(scrm__mc_job *j)
{
#if SCRM__MC_THREADS
    pthread_mutex_unlock(&j->lock);
#else
    (void)j;
#endif
}

/* Keep the error of the lowest failing draw (the message is this thread's). */
static void record_error(scrm__mc_job *j, uint64_t draw, int code)
{
    lock(j);
    if (!j->stop || j->stop == 1) {
        if (j->stop != 1 || draw < j->err_draw) {
            j->err_code = code;
            j->err_draw = draw;
            const char *msg = scrm_last_error_message();
            size_t skip = strlen(j->fn);
            /* "fn: what: value" from the draw: keep "what: value" */
            if (strncmp(msg, j->fn, skip) == 0 && msg[skip] == ':' && msg[skip + 1] == ' ')
                msg += skip + 2;
            snprintf(j->err_msg, sizeof j->err_msg, "%s", msg);
        }
        j->stop = 1;
    }
    unlock(j);
}

/* Count a finished block; returns the draws done so far. */
static uint64_t block_done(scrm__mc_job *j, uint64_t b)
{
    uint64_t count = (b + 1) * SCRM__MC_BLOCK < j->n ? SCRM__MC_BLOCK : j->n - b * SCRM__MC_BLOCK;
    lock(j);
    j->done += count;
    uint64_t done = j->done;
    unlock(j);
    return done;
}

typedef struct progress {
    scrm_progress_fn fn; /* NULL on worker threads */
    void *user;
} progress;

/* Take blocks until none are left, or the run stops. */
static void work(scrm__mc_job *j, scrm__mc_worker *w, progress pr)
{
    uint64_t clamped = 0, last_report = 0, step = j->n / 200 ? j->n / 200 : 1;
    for (;;) {
        lock(j);
        uint64_t b = j->next_block++;
        int stop = j->stop;
        unlock(j);
        if (stop || b >= j->nblocks)
            break;
        uint64_t failed = 0;
        int rc = scrm__mc_run_block(j, w, b, &clamped, &failed);
        if (rc) {
            record_error(j, failed, rc);
            break;
        }
        uint64_t done = block_done(j, b);
        if (!pr.fn || (done - last_report < step && done != j->n))
            continue;
        last_report = done;
        j->reported = done; /* only the calling thread reports */
        if (pr.fn(pr.user, done, j->n)) {
            lock(j);
            if (!j->stop)
                j->stop = 2;
            unlock(j);
            break;
        }
    }
    lock(j);
    j->clamped += clamped;
    unlock(j);
}

#if SCRM__MC_THREADS
typedef struct thread_arg {
    scrm__mc_job *j;
    scrm__mc_worker w;
    pthread_t tid;
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    progress none = { NULL, NULL };
    work(a->j, &a->w, none);
    return NULL;
}

/* Start up to n helper threads; returns how many started (fewer threads give
 * the same results, just slower). */
static uint32_t start_threads(scrm__mc_job *j, thread_arg *args, uint32_t n)
{
    uint32_t started = 0;
    for (; started < n; started++) {
        args[started].j = j;
        if (scrm__mc_worker_init(&args[started].w, j))
            break;
        if (pthread_create(&args[started].tid, NULL, thread_main, &args[started])) {
            scrm__mc_worker_free(&args[started].w);
            break;
        }
    }
    return started;
}
#endif

int scrm__mc_execute(scrm__mc_job *j, uint32_t threads, scrm_progress_fn progress_fn,
                     void *progress_user)
{
    scrm__mc_worker w0;
    if (scrm__mc_worker_init(&w0, j))
        return scrm__fail(SCRM_ENOMEM, j->fn, "out of memory");
    progress pr = { progress_fn, progress_user };
#if SCRM__MC_THREADS
    pthread_mutex_init(&j->lock, NULL);
    uint32_t extra = threads > 1 ? threads - 1 : 0;
    if ((uint64_t)extra > j->nblocks - 1)
        extra = (uint32_t)(j->nblocks - 1);
    thread_arg *args = extra ? scrm__calloc(extra, sizeof *args) : NULL;
    uint32_t started = args ? start_threads(j, args, extra) : 0;
    work(j, &w0, pr);
    for (uint32_t t = 0; t < started; t++) {
        pthread_join(args[t].tid, NULL);
        scrm__mc_worker_free(&args[t].w);
    }
    scrm__free(args);
    pthread_mutex_destroy(&j->lock);
#else
    (void)threads;
    work(j, &w0, pr);
#endif
    scrm__mc_worker_free(&w0);
    /* Worker threads may finish the last blocks: report completion once. */
    if (!j->stop && progress_fn && j->reported != j->n)
        (void)progress_fn(progress_user, j->n, j->n);
    return SCRM_OK;
}
