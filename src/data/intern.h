/* String dictionary: each distinct string gets a dense uint32 id; id 0 is "".
 * Strings never move once interned (callers borrow them until the dataset is
 * freed), so they live in fixed blocks rather than one growing buffer. */
#ifndef SCRM_INTERN_H
#define SCRM_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct scrm__istr {
    const char *str;
    uint32_t len;
    uint32_t hash;
} scrm__istr;

typedef struct scrm__iblock scrm__iblock;

/* A hash slot carries the first 8 bytes of its string and a tag made of hash
 * bits and the length, so ids of up to 8 bytes (most customer ids) are found
 * without touching the entry or the string: one cache miss per lookup.
 *
 * This special table stays instead of core/map.h on a measurement: the same
 * interner on core/map.h (64-bit string hash -> id, the string compared in the
 * entry) made tests/bench/bench_csv (1,000,000 rows, ~100,000 customer ids)
 * take 0.69-0.77 s of CPU per load against 0.27-0.34 s with this table
 * (medians of 7 loads, 3 runs each, same machine state):
 * every lookup then touches the entry and the string as well as the slot. */
typedef struct scrm__islot {
    uint32_t tag; /* (hash & ~0xFF) | min(len, 255); 0 = empty */
    uint32_t id;
    uint64_t prefix; /* first min(len, 8) bytes, zero-padded */
} scrm__islot;

typedef struct scrm__intern {
    scrm__istr *entries; /* by id */
    size_t count;
    size_t cap;
    scrm__islot *slots; /* open addressing, linear probing, load <= 1/2 */
    size_t mask;
    scrm__iblock *blocks; /* newest first */
    size_t block_used;
    size_t block_cap;
} scrm__intern;

int scrm__intern_init(scrm__intern *in);
void scrm__intern_free(scrm__intern *in);
/* Id of s[0..len), adding it if new. SCRM_ENOMEM / SCRM_ELIMIT (id space full). */
int scrm__intern_add(scrm__intern *in, const char *s, size_t len, uint32_t *id);
/* 1 and *id if present, else 0. */
int scrm__intern_find(const scrm__intern *in, const char *s, size_t len, uint32_t *id);

uint32_t scrm__hash(const char *s, size_t len);

/* Start loading the slot s would probe first, so a lookup a little later
 * does not wait for memory (the CSV loader interns a batch at a time). */
void scrm__intern_prefetch(const scrm__intern *in, const char *s, size_t len);

#endif /* SCRM_INTERN_H */
