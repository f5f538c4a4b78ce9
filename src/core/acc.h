/* One private descriptor per accumulator kind, the way clv/kinds.c describes
 * models: every public X_serialize / X_deserialize is a call through it, so
 * the envelope, the version rules and the failure paths are written once.
 *
 * Wire layout inside the envelope (core/bytes.h): options, then state, each
 * written by the calculator's own functions. Format versions: `format` is
 * written; `min_format`..`format` are read (the read functions receive the
 * version and decode older layouts); anything else is SCRM_EVERSION, never a
 * misread. */
#ifndef SCRM_CORE_ACC_H
#define SCRM_CORE_ACC_H

#include "core/bytes.h"

#include <stddef.h>
#include <stdint.h>

typedef struct scrm__acc_desc {
    const char *name;    /* "nps", for messages */
    uint16_t kind;       /* enum scrm__kind */
    uint16_t format;     /* newest format version, the one written */
    uint16_t min_format; /* oldest format still read */
    size_t options_size; /* sizeof the public options struct */
    unsigned int options_version; /* its current version field value */
    void (*write_options)(scrm__writer *w, const void *acc);
    void (*write_state)(scrm__writer *w, const void *acc);
    /* Read the options of `format` into opts (options_size bytes, zeroed, the
     * version field set) and validate them: SCRM_ECORRUPT naming fn otherwise. */
    int (*read_options)(scrm__reader *r, uint16_t format, void *opts, const char *fn);
    int (*create)(void **out, const void *opts); /* the public X_new */
    /* Read the state of `format` into a fresh accumulator: SCRM_ECORRUPT (or
     * SCRM_ENOMEM) naming fn; the caller frees the accumulator on failure. */
    int (*read_state)(scrm__reader *r, uint16_t format, void *acc, const char *fn);
    void (*free)(void *acc); /* the public X_free */
} scrm__acc_desc;

/* Write acc into buf (cap bytes; buf may be NULL with cap 0 to measure).
 * SCRM_OK, or SCRM_EBUFS with *out_len set to the size needed. */
int scrm__acc_serialize(const scrm__acc_desc *d, const void *acc, uint8_t *buf, size_t cap,
                        size_t *out_len, const char *fn);

/* Build a new accumulator from buf[0..len). *out is NULL on failure:
 * SCRM_EINVAL (NULL), SCRM_ECORRUPT, SCRM_EVERSION, SCRM_ENOMEM. */
int scrm__acc_deserialize(const scrm__acc_desc *d, void **out, const uint8_t *buf, size_t len,
                          const char *fn);

#endif /* SCRM_CORE_ACC_H */
