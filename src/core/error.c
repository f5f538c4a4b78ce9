/* Status texts and the per-thread last error (libgit2's model, STYLE rule 7). */
#include "core/internal.h"

#include <stdio.h>

#define SCRM__MESSAGE_CAP 512

/* The only mutable state in the library, and it is per thread. */
static _Thread_local int last_code = SCRM_OK;
static _Thread_local char last_message[SCRM__MESSAGE_CAP];

SCRM_API const char *scrm_strerror(int code)
{
    switch (code) {
    case SCRM_OK: return "success";
    case SCRM_EINVAL: return "invalid argument";
    case SCRM_ENOMEM: return "out of memory";
    case SCRM_EIO: return "I/O error";
    case SCRM_EBUFS: return "buffer too small";
    case SCRM_EVERSION: return "version mismatch";
    case SCRM_ESTATE: return "invalid state for this operation";
    case SCRM_ELIMIT: return "size limit exceeded";
    case SCRM_ENOTFOUND: return "not found";
    case SCRM_EPARSE: return "parse error";
    case SCRM_ENODATA: return "no data";
    case SCRM_ECORRUPT: return "corrupted or truncated data";
    case SCRM_EDOM: return "argument outside the domain";
    case SCRM_ERANGE: return "result out of range";
    case SCRM_EMAXITER: return "did not converge";
    case SCRM_ELOSS: return "loss of accuracy";
    default: return "unknown status code";
    }
}

int scrm__verror(int code, const char *fmt, va_list ap)
{
    last_code = code;
    if (vsnprintf(last_message, sizeof last_message, fmt, ap) < 0)
        last_message[0] = '\0';
    return code;
}

int scrm__error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    scrm__verror(code, fmt, ap);
    va_end(ap);
    return code;
}

int scrm__fail(int code, const char *func, const char *fmt, ...)
{
    int n = snprintf(last_message, sizeof last_message, "%s: ", func ? func : "libscrm");
    if (n < 0 || (size_t)n >= sizeof last_message)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(last_message + n, sizeof last_message - (size_t)n, fmt, ap) < 0)
        last_message[n] = '\0';
    va_end(ap);
    last_code = code;
    return code;
}

int scrm__check_version(unsigned int version, unsigned int known, const char *what)
{
    if (version == 0 || version > known)
        return scrm__fail(SCRM_EVERSION, what,
                          "version %u not supported (this library knows 1..%u)", version,
                          known);
    return SCRM_OK;
}

SCRM_API const char *scrm_last_error_message(void)
{
    return last_message;
}

SCRM_API int scrm_last_error_code(void)
{
    return last_code;
}

SCRM_API void scrm_clear_error(void)
{
    last_code = SCRM_OK;
    last_message[0] = '\0';
}
