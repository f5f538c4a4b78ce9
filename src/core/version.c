/* Runtime version queries: compare with the header's macros to detect a mismatch. */
#include "core/internal.h"

SCRM_API int scrm_version_number(void)
{
    return SCRM_VERSION_NUMBER;
}

SCRM_API const char *scrm_version_string(void)
{
    return SCRM_VERSION_STRING;
}

SCRM_API int scrm_abi_version(void)
{
    return SCRM_ABI_VERSION_MAJOR;
}
