// scrm.h must compile as C++ and link (extern "C").
#include "scrm.h"

int main()
{
    return scrm_abi_version() == SCRM_ABI_VERSION_MAJOR ? 0 : 1;
}
