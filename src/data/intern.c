/* String dictionary (see intern.h). */
#include "data/intern.h"

#include "core/internal.h"

#include <string.h>

/* Messages name the dictionary (its callers add the row and column). */
#define WHO "string dictionary"
#define BLOCK_BYTES ((size_t)64 * 1024)
/* Ids are uint32_t; keep the top free so id + 1 never wraps. */
#define MAX_STRINGS ((size_t)UINT32_MAX - 1)

struct scrm__iblock {
    scrm__iblock *next;
    /* string bytes follow */
};

static uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* The first min(len, 8) bytes, zero-padded, read without a variable-length
 * copy: two overlapping loads cover 4..8 bytes, three single bytes 1..3. */
static inline uint64_t head8(const char *s, size_t len)
{
    if (len >= 8)
        return load64(s);
    if (len >= 4)
        return load32(s) | load32(s + len - 4) << (8 * (len - 4));
    if (len == 0)
        return 0;
    return (uint64_t)(uint8_t)s[0] | (uint64_t)(uint8_t)s[len / 2] << (8 * (len / 2)) |
           (uint64_t)(uint8_t)s[len - 1] << (8 * (len - 1));
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    /* Multiply-xorshift: cheap, and every input bit reaches the high bits. */
    a *= b;
    return a ^ (a >> 31);
}

static inline uint32_t hash_of(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)len;
    if (len <= 8) {
        h = mix(h ^ head8(s, len), 0xA0761D6478BD642Fu);
    } else {
        size_t i = 0;
        for (; i + 8 < len; i += 8)
            h = mix(h ^ load64(s + i), 0xA0761D6478BD642Fu);
        /* Last 8 bytes (overlapping the previous word; the length is mixed in). */
        h = mix(h ^ load64(s + len - 8), 0xE7037ED1A0B428DBu);
    }
    h = mix(h, 0x8EBC6AF09C88C6E3u);
    return (uint32_t)(h >> 32);
}

uint32_t scrm__hash(const char *s, size_t len) { return hash_of(s, len); }

/* Tag: never 0, since a non-empty string has len >= 1 in the low byte. */
static uint32_t tag_of(uint32_t h, size_t len)
{
    return (h & ~UINT32_C(0xFF)) | (uint32_t)(len < 255 ? len : 255);
}

static uint64_t prefix_of(const char *s, size_t len) { return head8(s, len); }

/* Slot index of s, or of the empty slot where it would go (*found = 0). */
static inline size_t probe(const scrm__intern *in, const char *s, size_t len, uint32_t h, int *found)
{
    uint32_t tag = tag_of(h, len);
    uint64_t pre = prefix_of(s, len);
    for (size_t i = h & in->mask;; i = (i + 1) & in->mask) {
        const scrm__islot *sl = &in->slots[i];
        if (sl->tag == 0) {
            *found = 0;
            return i;
        }
        if (sl->tag == tag && sl->prefix == pre) {
            if (len <= 8) {
                *found = 1; /* same length, same bytes */
                return i;
            }
            const scrm__istr *e = &in->entries[sl->id];
            if (e->len == len && memcmp(e->str + 8, s + 8, len - 8) == 0) {
                *found = 1;
                return i;
            }
        }
    }
}

void scrm__intern_prefetch(const scrm__intern *in, const char *s, size_t len)
{
#if defined(__GNUC__)
    if (len)
        __builtin_prefetch(&in->slots[hash_of(s, len) & in->mask]);
#else
    (void)in, (void)s, (void)len;
#endif
}

int scrm__intern_init(scrm__intern *in)
{
    memset(in, 0, sizeof *in);
    in->cap = 256;
    in->entries = scrm__malloc(in->cap * sizeof *in->entries);
    in->slots = scrm__calloc(512, sizeof *in->slots);
    if (!in->entries || !in->slots) {
        scrm__intern_free(in);
        return scrm__fail(SCRM_ENOMEM, WHO, "out of memory");
    }
    in->mask = 511;
    in->entries[0].str = "";
    in->entries[0].len = 0;
    in->entries[0].hash = 0;
    in->count = 1;
    return SCRM_OK;
}

void scrm__intern_free(scrm__intern *in)
{
    scrm__iblock *b = in->blocks;
    while (b) {
        scrm__iblock *next = b->next;
        scrm__free(b);
        b = next;
    }
    scrm__free(in->entries);
    scrm__free(in->slots);
    memset(in, 0, sizeof *in);
}

int scrm__intern_find(const scrm__intern *in, const char *s, size_t len, uint32_t *id)
{
    if (len == 0) {
        *id = 0;
        return 1;
    }
    if (len > UINT32_MAX)
        return 0;
    int found;
    size_t i = probe(in, s, len, hash_of(s, len), &found);
    if (found)
        *id = in->slots[i].id;
    return found;
}

static int rehash(scrm__intern *in)
{
    size_t nslots = (in->mask + 1) * 2;
    scrm__islot *slots = scrm__calloc(nslots, sizeof *slots);
    if (!slots)
        return scrm__fail(SCRM_ENOMEM, WHO, "out of memory (%zu slots)", nslots);
    size_t mask = nslots - 1;
    for (size_t k = 0; k <= in->mask; k++) {
        const scrm__islot *sl = &in->slots[k];
        if (!sl->tag)
            continue;
        size_t i = in->entries[sl->id].hash & mask;
        while (slots[i].tag)
            i = (i + 1) & mask;
        slots[i] = *sl;
    }
    scrm__free(in->slots);
    in->slots = slots;
    in->mask = mask;
    return SCRM_OK;
}

/* Copy the bytes into block storage (NUL-terminated). */
static const char *store(scrm__intern *in, const char *s, size_t len)
{
    size_t need = len + 1;
    if (!in->blocks || in->block_cap - in->block_used < need) {
        size_t cap = need > BLOCK_BYTES ? need : BLOCK_BYTES;
        scrm__iblock *b = scrm__malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = in->blocks;
        in->blocks = b;
        in->block_used = 0;
        in->block_cap = cap;
    }
    char *dst = (char *)(in->blocks + 1) + in->block_used;
    memcpy(dst, s, len);
    dst[len] = '\0';
    in->block_used += need;
    return dst;
}

int scrm__intern_add(scrm__intern *in, const char *s, size_t len, uint32_t *id)
{
    if (len == 0) {
        *id = 0;
        return SCRM_OK;
    }
    if (len > UINT32_MAX)
        return scrm__fail(SCRM_ELIMIT, WHO, "string of %zu bytes too long to intern", len);
    uint32_t h = hash_of(s, len);
    int found;
    size_t i = probe(in, s, len, h, &found);
    if (found) {
        *id = in->slots[i].id;
        return SCRM_OK;
    }
    if (in->count >= MAX_STRINGS)
        return scrm__fail(SCRM_ELIMIT, WHO, "full (%zu strings)", in->count);
    /* Keep the load factor at or below 1/2 so probes stay short (and the
     * table is never full); grow before inserting so failure changes nothing. */
    if ((in->count + 1) * 2 > in->mask + 1) {
        int rc = rehash(in);
        if (rc)
            return rc;
        i = probe(in, s, len, h, &found);
    }
    if (in->count == in->cap) {
        size_t cap = in->cap + in->cap / 2;
        size_t bytes;
        if (scrm__mul_size(cap, sizeof *in->entries, &bytes))
            return SCRM_ENOMEM;
        scrm__istr *e = scrm__realloc(in->entries, bytes);
        if (!e)
            return scrm__fail(SCRM_ENOMEM, WHO, "out of memory (%zu strings)", cap);
        in->entries = e;
        in->cap = cap;
    }
    const char *copy = store(in, s, len);
    if (!copy)
        return scrm__fail(SCRM_ENOMEM, WHO, "out of memory (%zu bytes)", len);
    uint32_t nid = (uint32_t)in->count;
    in->entries[nid].str = copy;
    in->entries[nid].len = (uint32_t)len;
    in->entries[nid].hash = h;
    in->count++;
    in->slots[i].tag = tag_of(h, len);
    in->slots[i].id = nid;
    in->slots[i].prefix = prefix_of(s, len);
    *id = nid;
    return SCRM_OK;
}
