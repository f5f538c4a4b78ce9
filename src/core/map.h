/* The one integer-key hash map: 64-bit keys to 64-bit values (typically the
 * uint32 index of an entry in the caller's own array), open addressing with
 * linear probing over one power-of-two array of {key, value} slots, hashed
 * with the one mixer (scrm__mix64, core/bits.h), load factor <= 1/2.
 *
 * A slot holds its key, so a lookup touches one cache line, and the map never
 * calls back into the caller. Two ways to use it:
 * - unique keys (ids, day numbers, period starts): scrm__map_find and the
 *   insert-or-find scrm__map_put;
 * - keys that are 64-bit hashes of larger keys (rows of doubles, strings),
 *   where distinct keys may share a hash: scrm__map_next walks every value
 *   stored under a hash, the caller compares its own key, and scrm__map_add
 *   stores another value under the same hash.
 *
 * Growth doubles the slot array and is the only allocation; when it fails the
 * map is unchanged (SCRM_ENOMEM, no message: the caller names what it was
 * doing). Entries are never removed one by one (scrm__map_clear empties the
 * map). Not thread-safe; a map only read is safe to share. */
#ifndef SCRM_CORE_MAP_H
#define SCRM_CORE_MAP_H

#include "core/bits.h"
#include "core/internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct scrm__map_slot {
    uint64_t key;
    uint64_t v1; /* value + 1; 0 marks an empty slot (so calloc makes a table) */
} scrm__map_slot;

typedef struct scrm__map {
    scrm__map_slot *slot; /* mask + 1 slots, or NULL while nothing was ever stored */
    size_t mask;
    size_t len; /* entries stored; 2 * len <= mask + 1 */
} scrm__map;

/* Largest value a map can hold (UINT64_MAX is reserved by the encoding). */
#define SCRM__MAP_VALUE_MAX (UINT64_MAX - 1)
#define SCRM__MAP_INIT {NULL, 0, 0}

static inline void scrm__map_init(scrm__map *m)
{
    m->slot = NULL;
    m->mask = 0;
    m->len = 0;
}

/* Release the slots; the map is empty (and usable) again. */
void scrm__map_free(scrm__map *m);
/* Remove every entry, keeping the allocation. */
void scrm__map_clear(scrm__map *m);
/* Make room for n entries in total, so that the next n - len insertions
 * allocate nothing (and cannot fail). SCRM_ENOMEM: map unchanged. */
int scrm__map_reserve(scrm__map *m, size_t n);

/* The slot a key's probe starts from (the start position for scrm__map_next). */
static inline size_t scrm__map_home(const scrm__map *m, uint64_t key)
{
    return (size_t)scrm__mix64(key) & m->mask;
}

/* Start loading the slot `key` probes first, for a lookup a few rows later
 * (tables larger than the caches). */
static inline void scrm__map_prefetch(const scrm__map *m, uint64_t key)
{
#if defined(__GNUC__) || defined(__clang__)
    if (m->slot)
        __builtin_prefetch(&m->slot[scrm__map_home(m, key)]);
#else
    (void)m, (void)key;
#endif
}

/* true and *val if key is present (unique-key maps). */
static inline bool scrm__map_find(const scrm__map *m, uint64_t key, uint64_t *val)
{
    if (!m->slot)
        return false;
    for (size_t i = scrm__map_home(m, key);; i = (i + 1) & m->mask) {
        const scrm__map_slot *s = &m->slot[i];
        if (s->v1 == 0)
            return false;
        if (s->key == key) {
            *val = s->v1 - 1;
            return true;
        }
    }
}

/* Store key (new, or a hash-keyed map) in a slot; room has been made. */
static inline void scrm__map_place(scrm__map *m, uint64_t key, uint64_t val)
{
    size_t i = scrm__map_home(m, key);
    while (m->slot[i].v1)
        i = (i + 1) & m->mask;
    m->slot[i].key = key;
    m->slot[i].v1 = val + 1;
    m->len++;
}

/* Store val under key whether or not the key is present (hash-keyed maps:
 * after scrm__map_next found no equal entry). SCRM_OK or SCRM_ENOMEM (map
 * unchanged). */
static inline int scrm__map_add(scrm__map *m, uint64_t key, uint64_t val)
{
    if (!m->slot || 2 * (m->len + 1) > m->mask + 1) {
        int st = scrm__map_reserve(m, m->len + 1);
        if (st != SCRM_OK)
            return st;
    }
    scrm__map_place(m, key, val);
    return SCRM_OK;
}

/* Insert-or-find (unique-key maps). On entry *val is the value to store if key
 * is new (<= SCRM__MAP_VALUE_MAX). Returns 1 (added: *val unchanged), 0 (key
 * present: *val set to its value) or SCRM_ENOMEM (map unchanged). */
static inline int scrm__map_put(scrm__map *m, uint64_t key, uint64_t *val)
{
    scrm__map_slot *slot = m->slot;
    if (slot) {
        size_t mask = m->mask, i = (size_t)scrm__mix64(key) & mask;
        for (; slot[i].v1; i = (i + 1) & mask)
            if (slot[i].key == key) {
                *val = slot[i].v1 - 1;
                return 0;
            }
        size_t len = m->len;
        if (2 * (len + 1) <= mask + 1) {
            m->len = len + 1;
            slot[i].key = key;
            slot[i].v1 = *val + 1;
            return 1;
        }
    }
    int st = scrm__map_add(m, key, *val);
    return st == SCRM_OK ? 1 : st;
}

/* Walk the values stored under `key` (hash-keyed maps): start with
 * *pos = scrm__map_home(m, key); each call returns true with the next value,
 * false when there is none left. */
static inline bool scrm__map_next(const scrm__map *m, uint64_t key, size_t *pos, uint64_t *val)
{
    if (!m->slot)
        return false;
    for (size_t i = *pos;; i = (i + 1) & m->mask) {
        const scrm__map_slot *s = &m->slot[i];
        if (s->v1 == 0)
            return false;
        if (s->key == key) {
            *val = s->v1 - 1;
            *pos = (i + 1) & m->mask;
            return true;
        }
    }
}

/* Every entry once, in slot order: start with *pos = 0; true with the next
 * key and value, false at the end. */
static inline bool scrm__map_iter(const scrm__map *m, size_t *pos, uint64_t *key, uint64_t *val)
{
    if (!m->slot)
        return false;
    for (size_t i = *pos; i <= m->mask; i++)
        if (m->slot[i].v1) {
            *key = m->slot[i].key;
            *val = m->slot[i].v1 - 1;
            *pos = i + 1;
            return true;
        }
    *pos = m->mask + 1;
    return false;
}

#endif /* SCRM_CORE_MAP_H */
