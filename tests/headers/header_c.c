/* scrm.h must compile on its own as strict C11. */
#include "scrm.h"
#include "scrm.h" /* include guard */

int main(void)
{
    return scrm_version_number() == SCRM_VERSION_NUMBER ? 0 : 1;
}
