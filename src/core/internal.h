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

/* Overflow-checked array size: returns 0 and sets *out on success,
 * SCRM_ENOMEM (with message) when count * size overflows. */
int scrm__mul_size(size_t count, size_t size, size_t *out);

/* Record a failure in the thread-local slot and return code, so call sites
 * read `return scrm__error(SCRM_EINVAL, "...", ...);`. */
int scrm__error(int code, const char *fmt, ...) SCRM__PRINTF(2, 3);
int scrm__verror(int code, const char *fmt, va_list ap);

/* Shorthand for the most common check. */
#define SCRM__CHECK_ARG(cond, name)                                              \
    do {                                                                         \
        if (!(cond))                                                             \
            return scrm__error(SCRM_EINVAL, "%s: invalid argument '%s'", __func__, \
                               name);                                            \
    } while (0)

/* Validate the version field of an options struct (rule 8):
 * 0 or newer than `known` is SCRM_EVERSION. */
int scrm__check_version(unsigned int version, unsigned int known, const char *what);

#endif /* SCRM_INTERNAL_H */
