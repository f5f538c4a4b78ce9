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

typedef struct scrm__intern {
    scrm__istr *entries; /* by id */
    size_t count;
    size_t cap;
    uint64_t *slots; /* open addressing: (hash << 32) | id, 0 = empty */
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

#endif /* SCRM_INTERN_H */
