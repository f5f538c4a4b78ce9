/* Dense customer indices for arbitrary 64-bit ids: open addressing with
 * linear probing, grown at half load, so lookups stay O(1) on 10^7 rows. */
#include "clv/rfm.h"

#if defined(__GNUC__)
#  define PREFETCH(p) __builtin_prefetch(p)
#else
#  define PREFETCH(p) ((void)0)
#endif

typedef struct slot {
    int64_t id;
    uint32_t idx; /* dense index + 1; 0 = empty */
} slot;

static uint64_t mix(uint64_t z)
{
    /* splitmix64 finaliser: consecutive ids spread over the table. */
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int grow(slot **tab, size_t *cap)
{
    size_t ncap = *cap * 2;
    slot *nt = scrm__calloc(ncap, sizeof *nt);
    if (!nt)
        return SCRM_ENOMEM;
    for (size_t i = 0; i < *cap; i++) {
        if (!(*tab)[i].idx)
            continue;
        size_t h = (size_t)mix((uint64_t)(*tab)[i].id) & (ncap - 1);
        while (nt[h].idx)
            h = (h + 1) & (ncap - 1);
        nt[h] = (*tab)[i];
    }
    scrm__free(*tab);
    *tab = nt;
    *cap = ncap;
    return SCRM_OK;
}

int scrm__rfm_densify(const int64_t *ids, size_t n, uint32_t *cust, int64_t **keys, size_t *k)
{
    size_t cap = 1024, count = 0, kcap = 256;
    slot *tab = scrm__calloc(cap, sizeof *tab);
    int64_t *kv = scrm__malloc(kcap * sizeof *kv);
    if (!tab || !kv)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        /* Random probes dominate: prefetch the slot of a row a few ahead. */
        if (i + 8 < n)
            PREFETCH(&tab[(size_t)mix((uint64_t)ids[i + 8]) & (cap - 1)]);
        size_t h = (size_t)mix((uint64_t)ids[i]) & (cap - 1);
        while (tab[h].idx && tab[h].id != ids[i])
            h = (h + 1) & (cap - 1);
        if (!tab[h].idx) {
            if (count == kcap) {
                int64_t *nk = scrm__realloc(kv, 2 * kcap * sizeof *kv);
                if (!nk)
                    goto nomem;
                kv = nk;
                kcap *= 2;
            }
            kv[count] = ids[i];
            tab[h].id = ids[i];
            tab[h].idx = (uint32_t)++count;
            if (2 * count > cap) {
                if (grow(&tab, &cap))
                    goto nomem;
            }
            cust[i] = (uint32_t)(count - 1);
        } else {
            cust[i] = tab[h].idx - 1;
        }
    }
    scrm__free(tab);
    *keys = kv;
    *k = count;
    return SCRM_OK;
nomem:
    scrm__free(tab);
    scrm__free(kv);
    return scrm__error(SCRM_ENOMEM, "scrm_rfm_new_from_arrays: out of memory (%zu rows)", n);
}
