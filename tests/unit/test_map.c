/* The integer-key hash map (src/core/map.h): insert-or-find, growth,
 * iteration, hash-keyed duplicates, clear, and allocation failure. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/map.h"

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) /* xorshift64 */
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

Test(map, empty_map_finds_nothing)
{
    scrm__map m = SCRM__MAP_INIT;
    uint64_t v = 7, k;
    cr_assert_not(scrm__map_find(&m, 0, &v));
    cr_assert_eq(v, 7);
    size_t pos = scrm__map_home(&m, 5);
    cr_assert_not(scrm__map_next(&m, 5, &pos, &v));
    pos = 0;
    cr_assert_not(scrm__map_iter(&m, &pos, &k, &v));
    scrm__map_clear(&m);
    scrm__map_free(&m);
    cr_assert_eq(m.len, 0);
}

/* Dense indices of arbitrary keys, the way every caller uses the map:
 * insert-or-find with the next index as the value of a new key. */
Test(map, put_assigns_dense_indices_and_find_returns_them)
{
    enum { N = 100000 };
    uint64_t *keys = malloc(N * sizeof *keys);
    cr_assert_not_null(keys);
    scrm__map m;
    scrm__map_init(&m);
    for (size_t i = 0; i < N; i++) {
        /* Keys that stress weak mixers: multiples of 2^32, sign bits, 0, max. */
        keys[i] = i % 4 == 0   ? (uint64_t)i << 32
                  : i % 4 == 1 ? next()
                  : i % 4 == 2 ? (uint64_t)(-(int64_t)i)
                               : i;
        uint64_t v = m.len;
        int st = scrm__map_put(&m, keys[i], &v);
        cr_assert_eq(st, 1, "key %zu", i);
        cr_assert_eq(v, i);
        cr_assert(2 * m.len <= m.mask + 1);
    }
    cr_assert_eq(m.len, N);
    for (size_t i = 0; i < N; i++) {
        uint64_t v = 12345;
        cr_assert_eq(scrm__map_put(&m, keys[i], &v), 0);
        cr_assert_eq(v, i);
        cr_assert(scrm__map_find(&m, keys[i], &v));
        cr_assert_eq(v, i);
    }
    cr_assert_eq(m.len, N);
    uint64_t v;
    cr_assert_not(scrm__map_find(&m, UINT64_C(0xDEADBEEF00000001), &v));
    scrm__map_free(&m);
    free(keys);
}

Test(map, values_span_the_documented_range)
{
    scrm__map m = SCRM__MAP_INIT;
    uint64_t v = SCRM__MAP_VALUE_MAX;
    cr_assert_eq(scrm__map_put(&m, 1, &v), 1);
    v = 0;
    cr_assert_eq(scrm__map_put(&m, 2, &v), 1);
    cr_assert(scrm__map_find(&m, 1, &v));
    cr_assert_eq(v, SCRM__MAP_VALUE_MAX);
    cr_assert(scrm__map_find(&m, 2, &v));
    cr_assert_eq(v, 0);
    scrm__map_free(&m);
}

Test(map, iteration_visits_every_entry_once)
{
    enum { N = 5000 };
    static unsigned char seen[N];
    scrm__map m = SCRM__MAP_INIT;
    for (uint64_t i = 0; i < N; i++) {
        uint64_t v = i;
        cr_assert_eq(scrm__map_put(&m, i * 7919, &v), 1);
    }
    size_t pos = 0, count = 0;
    uint64_t k, v;
    while (scrm__map_iter(&m, &pos, &k, &v)) {
        cr_assert_eq(k, v * 7919);
        cr_assert_not(seen[v]);
        seen[v] = 1;
        count++;
    }
    cr_assert_eq(count, N);
    scrm__map_free(&m);
}

Test(map, clear_keeps_the_allocation_and_forgets_the_keys)
{
    scrm__map m = SCRM__MAP_INIT;
    for (uint64_t i = 0; i < 100; i++) {
        uint64_t v = i;
        scrm__map_put(&m, i, &v);
    }
    scrm__map_slot *slots = m.slot;
    size_t mask = m.mask;
    scrm__map_clear(&m);
    cr_assert_eq(m.len, 0);
    cr_assert_eq(m.slot, slots);
    cr_assert_eq(m.mask, mask);
    uint64_t v = 99;
    for (uint64_t i = 0; i < 100; i++)
        cr_assert_not(scrm__map_find(&m, i, &v));
    cr_assert_eq(scrm__map_put(&m, 42, &v), 1);
    scrm__map_free(&m);
}

/* Hash-keyed use: several entries under one key, told apart by the caller. */
Test(map, next_walks_every_value_stored_under_a_key)
{
    scrm__map m = SCRM__MAP_INIT;
    cr_assert_eq(scrm__map_reserve(&m, 64), SCRM_OK);
    size_t mask = m.mask;
    for (uint64_t i = 0; i < 64; i++)
        cr_assert_eq(scrm__map_add(&m, i % 4, i), SCRM_OK);
    cr_assert_eq(m.mask, mask, "reserve made room for every add");
    for (uint64_t key = 0; key < 4; key++) {
        unsigned mask_seen = 0, n = 0;
        size_t pos = scrm__map_home(&m, key);
        uint64_t v;
        while (scrm__map_next(&m, key, &pos, &v)) {
            cr_assert_eq(v % 4, key);
            n++;
            mask_seen |= 1u << (v / 4);
        }
        cr_assert_eq(n, 16);
        cr_assert_eq(mask_seen, 0xFFFFu);
    }
    scrm__map_free(&m);
}

Test(map, failed_growth_leaves_the_map_unchanged)
{
    scrm__map m = SCRM__MAP_INIT;
    uint64_t v;
    /* Fill to the growth threshold of the smallest table (16 slots, 8 keys). */
    for (uint64_t i = 0; i < 8; i++) {
        v = i;
        cr_assert_eq(scrm__map_put(&m, i + 100, &v), 1);
    }
    scrm__map before = m;
    scrm__map_slot copy[16];
    cr_assert_eq(m.mask, 15);
    memcpy(copy, m.slot, sizeof copy);
    scrm__alloc_fail_after(0, 1);
    v = 8;
    int st = scrm__map_put(&m, 108, &v);
    st = st == SCRM_ENOMEM ? scrm__map_add(&m, 109, 9) : st;
    st = st == SCRM_ENOMEM ? scrm__map_reserve(&m, 1000) : st;
    unsigned long injected = scrm__alloc_injected();
    scrm__alloc_fail_after(-1, 0);
    cr_assert_eq(st, SCRM_ENOMEM);
    cr_assert_eq(injected, 3);
    cr_assert_eq(m.slot, before.slot);
    cr_assert_eq(m.mask, before.mask);
    cr_assert_eq(m.len, before.len);
    cr_assert_eq(memcmp(copy, m.slot, sizeof copy), 0);
    cr_assert_not(scrm__map_find(&m, 108, &v));
    /* And it still works once memory is back. */
    v = 8;
    cr_assert_eq(scrm__map_put(&m, 108, &v), 1);
    for (uint64_t i = 0; i <= 8; i++) {
        cr_assert(scrm__map_find(&m, i + 100, &v));
        cr_assert_eq(v, i);
    }
    scrm__map_free(&m);
}

Test(map, reserve_refuses_impossible_sizes)
{
    scrm__map m = SCRM__MAP_INIT;
    cr_assert_eq(scrm__map_reserve(&m, SIZE_MAX / 4), SCRM_ENOMEM);
    cr_assert_null(m.slot);
    cr_assert_eq(scrm__map_reserve(&m, 0), SCRM_OK);
    cr_assert_null(m.slot);
}
