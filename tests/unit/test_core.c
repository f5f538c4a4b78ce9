/* Version, status codes, the per-thread last error, scrm_free. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "core/internal.h"

Test(core, version_matches_header)
{
    cr_assert_eq(scrm_version_number(), SCRM_VERSION_NUMBER);
    cr_assert_str_eq(scrm_version_string(), SCRM_VERSION_STRING);
    cr_assert_eq(scrm_abi_version(), SCRM_ABI_VERSION_MAJOR);
    cr_assert_eq(SCRM_VERSION_NUMBER,
                 SCRM_VERSION_MAJOR * 10000 + SCRM_VERSION_MINOR * 100 + SCRM_VERSION_PATCH);
}

Test(core, strerror_covers_every_code_and_unknown)
{
    const int codes[] = {SCRM_OK,      SCRM_EINVAL,   SCRM_ENOMEM,  SCRM_EIO,     SCRM_EBUFS,
                         SCRM_EVERSION, SCRM_ESTATE,  SCRM_ELIMIT,  SCRM_ENOTFOUND, SCRM_EPARSE,
                         SCRM_ENODATA, SCRM_ECORRUPT, SCRM_EDOM,    SCRM_ERANGE,  SCRM_EMAXITER,
                         SCRM_ELOSS};
    const char *unknown = scrm_strerror(-12345);
    cr_assert_str_eq(unknown, "unknown status code");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = scrm_strerror(codes[i]);
        cr_assert_not_null(s);
        cr_assert_str_neq(s, unknown, "code %d has no text", codes[i]);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(s, scrm_strerror(codes[j]), "codes %d and %d share a text",
                              codes[i], codes[j]);
    }
    cr_assert_eq(SCRM_ENOCONV, SCRM_EMAXITER);
}

Test(core, last_error_records_code_and_message)
{
    scrm_clear_error();
    cr_assert_str_eq(scrm_last_error_message(), "");
    cr_assert_eq(scrm_last_error_code(), SCRM_OK);
    int rc = scrm__error(SCRM_EPARSE, "row %d, column '%s': bad", 7, "amount");
    cr_assert_eq(rc, SCRM_EPARSE);
    cr_assert_eq(scrm_last_error_code(), SCRM_EPARSE);
    cr_assert_str_eq(scrm_last_error_message(), "row 7, column 'amount': bad");
    scrm_clear_error();
    cr_assert_eq(scrm_last_error_code(), SCRM_OK);
    cr_assert_str_eq(scrm_last_error_message(), "");
}

Test(core, long_messages_are_truncated_not_overflowed)
{
    char big[4096];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    scrm__error(SCRM_EINVAL, "%s", big);
    size_t n = strlen(scrm_last_error_message());
    cr_assert(n > 100 && n < sizeof big);
}

static void *other_thread(void *arg)
{
    (void)arg;
    /* A fresh thread starts with no error, whatever the main thread has. */
    int clean = scrm_last_error_code() == SCRM_OK && scrm_last_error_message()[0] == '\0';
    scrm__error(SCRM_EDOM, "thread-local");
    return clean ? (void *)1 : NULL;
}

Test(core, last_error_is_per_thread)
{
    scrm__error(SCRM_EIO, "main thread");
    pthread_t t;
    void *clean = NULL;
    cr_assert_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
    cr_assert_eq(pthread_join(t, &clean), 0);
    cr_assert_not_null(clean);
    cr_assert_eq(scrm_last_error_code(), SCRM_EIO);
    cr_assert_str_eq(scrm_last_error_message(), "main thread");
}

Test(core, check_version_rejects_zero_and_future)
{
    cr_assert_eq(scrm__check_version(1, 1, "opts"), SCRM_OK);
    cr_assert_eq(scrm__check_version(0, 1, "opts"), SCRM_EVERSION);
    cr_assert_eq(scrm__check_version(2, 1, "opts"), SCRM_EVERSION);
    cr_assert(strstr(scrm_last_error_message(), "opts") != NULL);
}

Test(core, mul_size_detects_overflow)
{
    size_t out = 0;
    cr_assert_eq(scrm__mul_size(1000, 8, &out), SCRM_OK);
    cr_assert_eq(out, 8000);
    cr_assert_eq(scrm__mul_size(SIZE_MAX / 2, 3, &out), SCRM_ENOMEM);
}

Test(core, free_accepts_null_and_library_memory)
{
    scrm_free(NULL);
    void *p = scrm__malloc(16);
    cr_assert_not_null(p);
    scrm_free(p);
}
