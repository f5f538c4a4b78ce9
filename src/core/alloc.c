/* The one place libscrm allocates memory (STYLE rule 11). */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>

void *scrm__malloc(size_t size)
{
    return malloc(size ? size : 1);
}

void *scrm__calloc(size_t count, size_t size)
{
    return calloc(count ? count : 1, size ? size : 1);
}

void *scrm__realloc(void *ptr, size_t size)
{
    return realloc(ptr, size ? size : 1);
}

void scrm__free(void *ptr)
{
    free(ptr);
}

int scrm__mul_size(size_t count, size_t size, size_t *out)
{
    if (size != 0 && count > SIZE_MAX / size)
        return scrm__error(SCRM_ENOMEM, "allocation of %zu x %zu bytes overflows", count, size);
    *out = count * size;
    return SCRM_OK;
}

SCRM_API void scrm_free(void *ptr)
{
    scrm__free(ptr);
}
