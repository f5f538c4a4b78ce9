/* Linked into every Criterion suite. Tests' `.timeout` values are budgets for
 * native runs; under valgrind (20-50x slower) they fail tests that are fine,
 * and Criterion's --timeout can only lower them. `bash tools/dev valgrind`
 * sets SCRM_TEST_NO_TIMEOUTS=1, and this hook then lifts every suite and test
 * timeout before the first test starts (meson's per-suite timeout, scaled by
 * --timeout-multiplier, still stops a hang). */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <criterion/internal/ordered-set.h>

#include <stdlib.h>

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    const char *v = getenv("SCRM_TEST_NO_TIMEOUTS");
    if (!v || v[0] != '1')
        return;
    FOREACH_SET(struct criterion_suite_set *s, set->suites)
    {
        if (s->suite.data)
            s->suite.data->timeout = 0;
        FOREACH_SET(struct criterion_test *t, s->tests)
        {
            if (t->data)
                t->data->timeout = 0;
        }
    }
}
