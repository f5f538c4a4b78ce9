/* Private helpers shared by every module: allocation, errors, option checks.
 * Nothing here is exported (names use the scrm__ prefix and hidden visibility). */
#ifndef SCRM_INTERNAL_H
#define SCRM_INTERNAL_H

#include "scrm.h"

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#  define SCRM__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define SCRM__PRINTF(f, a)
#endif

/* All allocation goes through these, so a hook or fault injection can be added
 * in one place later (STYLE rule 11). They never abort. */
void *scrm__malloc(size_t size);
void *scrm__calloc(size_t count, size_t size);
void *scrm__realloc(void *ptr, size_t size);
void scrm__free(void *ptr);

/* Test-only allocation-failure injection (tests/unit/test_alloc_fail.c).
 * After `n` more successful allocations on the calling thread, scrm__malloc,
 * scrm__calloc and scrm__realloc return NULL: every later call if `persistent`,
 * else only the next one. n < 0 switches injection off (the default). The
 * countdown is thread-local, so other threads are never affected; it is not
 * exported (hidden visibility) and not part of the API. */
void scrm__alloc_fail_after(long n, int persistent);
/* Allocations failed by injection on this thread since the last
 * scrm__alloc_fail_after(): 0 after a run means the countdown was never reached. */
unsigned long scrm__alloc_injected(void);

/* Overflow-checked array size: returns 0 and sets *out on success,
 * SCRM_ENOMEM (with message) when count * size overflows. */
int scrm__mul_size(size_t count, size_t size, size_t *out);

/* The error idiom, one for the whole library. Every message has the shape
 * "function: what: value", e.g. "scrm_nps_add: scores[3]: 11 is not in 0..10".
 *
 *   return SCRM__FAIL(SCRM_EDOM, "scores[%zu]: %d is not in 0..10", i, v);
 *   SCRM__CHECK_NULL(out);                  -> "scrm_x_new: out: NULL"
 *   SCRM__CHECK_ARG(level < 1, "level");    -> "scrm_x_new: level: invalid argument"
 *
 * A private helper that reports for a public function takes that function's
 * name (`const char *fn`) and calls scrm__fail(code, fn, ...) itself. Each
 * records code and message in the thread-local slot and returns the code. */
int scrm__fail(int code, const char *func, const char *fmt, ...) SCRM__PRINTF(3, 4);
#define SCRM__FAIL(code, ...) scrm__fail((code), __func__, __VA_ARGS__)

#define SCRM__CHECK_NULL(p)                                                      \
    do {                                                                         \
        if (!(p))                                                                \
            return scrm__fail(SCRM_EINVAL, __func__, "%s: NULL", #p);            \
    } while (0)

#define SCRM__CHECK_ARG(cond, name)                                              \
    do {                                                                         \
        if (!(cond))                                                             \
            return scrm__fail(SCRM_EINVAL, __func__, "%s: invalid argument", (name)); \
    } while (0)

/* The recorder under the idiom: a whole preformatted message. Call sites use
 * SCRM__FAIL or scrm__fail, which put the function name first. */
int scrm__error(int code, const char *fmt, ...) SCRM__PRINTF(2, 3);
int scrm__verror(int code, const char *fmt, va_list ap) SCRM__PRINTF(2, 0);

/* Validate the version field of an options struct (rule 8):
 * 0 or newer than `known` is SCRM_EVERSION. */
int scrm__check_version(unsigned int version, unsigned int known, const char *what);

#endif /* SCRM_INTERNAL_H */
