/* The integer-key hash map (see map.h): growth, clearing, release. */
#include "core/map.h"

#include <string.h>

#define MIN_SLOTS 16

void scrm__map_free(scrm__map *m)
{
    scrm__free(m->slot);
    scrm__map_init(m);
}

void scrm__map_clear(scrm__map *m)
{
    if (m->slot)
        memset(m->slot, 0, (m->mask + 1) * sizeof *m->slot);
    m->len = 0;
}

int scrm__map_reserve(scrm__map *m, size_t n)
{
    size_t cap = m->slot ? m->mask + 1 : 0;
    if (n <= cap / 2)
        return SCRM_OK;
    size_t want = cap ? cap : MIN_SLOTS;
    while (want / 2 < n) {
        if (want > SIZE_MAX / 2 / sizeof *m->slot)
            return SCRM_ENOMEM;
        want *= 2;
    }
    scrm__map_slot *slot = scrm__calloc(want, sizeof *slot);
    if (!slot)
        return SCRM_ENOMEM;
    scrm__map old = *m;
    m->slot = slot;
    m->mask = want - 1;
    m->len = 0;
    for (size_t i = 0; i < cap; i++)
        if (old.slot[i].v1)
            scrm__map_place(m, old.slot[i].key, old.slot[i].v1 - 1);
    scrm__free(old.slot);
    return SCRM_OK;
}
