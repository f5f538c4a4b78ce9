/* ISO-8601 parsing without touching the last-error slot, for the CSV hot path. */
#ifndef SCRM_TIMEPARSE_H
#define SCRM_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

/* 0 and *out on success; -1 with a reason (no value) in why[0..cap). */
int scrm__time_parse(const char *s, size_t len, int64_t *out, char *why, size_t cap);

#endif /* SCRM_TIMEPARSE_H */
