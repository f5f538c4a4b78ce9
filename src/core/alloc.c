/* The one place libscrm allocates memory (STYLE rule 11), and the test-only
 * allocation-failure injection that rule makes possible.
 *
 * Fault injection: a countdown per thread. While it is off (the default, -1)
 * the cost is one thread-local load per allocation. Tests set it through
 * scrm__alloc_fail_after() (private header only, hidden visibility, so not
 * part of the ABI and not exported from the shared library). It is
 * thread-local, like the last-error slot, for two reasons: the library keeps
 * its promise of no shared mutable state (other threads, and other users of
 * the same process, never see an injected failure), and a test can inject
 * failures on one thread while other threads run normally. */
#include "core/internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Allocations that may still succeed on this thread; < 0 = injection off. */
static _Thread_local long fail_countdown = -1;
/* After the countdown hits 0: fail every call (1) or only the next one (0). */
static _Thread_local int fail_persistent;
static _Thread_local unsigned long injected;

/* No object may be larger than PTRDIFF_MAX (pointer differences must fit),
 * and glibc's malloc refuses such sizes anyway: fail them here, before any
 * allocator (or valgrind, or a sanitizer) sees an absurd request. */
static int too_big(size_t size)
{
    return size > (size_t)PTRDIFF_MAX;
}

static int inject(void)
{
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown > 0) {
        fail_countdown--;
        return 0;
    }
    injected++;
    if (!fail_persistent)
        fail_countdown = -1;
    return 1;
}

void scrm__alloc_fail_after(long n, int persistent)
{
    fail_countdown = n < 0 ? -1 : n;
    fail_persistent = persistent;
    injected = 0;
}

unsigned long scrm__alloc_injected(void)
{
    return injected;
}

void *scrm__malloc(size_t size)
{
    if (too_big(size) || inject())
        return NULL;
    return malloc(size ? size : 1);
}

void *scrm__calloc(size_t count, size_t size)
{
    if ((size && count > (size_t)PTRDIFF_MAX / size) || inject())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *scrm__realloc(void *ptr, size_t size)
{
    if (too_big(size) || inject())
        return NULL; /* like a failed realloc: ptr is left untouched */
    return realloc(ptr, size ? size : 1);
}

void scrm__free(void *ptr)
{
    free(ptr);
}

int scrm__mul_size(size_t count, size_t size, size_t *out)
{
    if (size != 0 && count > SIZE_MAX / size)
        return scrm__fail(SCRM_ENOMEM, "allocation", "%zu x %zu bytes overflows", count, size);
    *out = count * size;
    return SCRM_OK;
}

SCRM_API void scrm_free(void *ptr)
{
    scrm__free(ptr);
}
