/* A stand-in for the few Criterion macros a suite uses, so that it can also
 * be built as a plain program: Criterion cannot start under ThreadSanitizer
 * (its inheritable arena clashes with TSan's memory layout: Criterion issue
 * #274), and `tools/dev tsan` needs the concurrency suite there. Tests run in
 * one process, in registration order; the first failed assertion prints the
 * test, file, line and message and exits with status 1. */
#ifndef SCRM_TESTS_PLAIN_TEST_H
#define SCRM_TESTS_PLAIN_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct plain_suite {
    void (*init)(void);
    void (*fini)(void);
    double timeout;
} plain_suite;

typedef struct plain_test {
    const char *name;
    void (*fn)(void);
} plain_test;

static plain_test plain_tests[64];
static int plain_count;
static const char *plain_current;
static const plain_suite *plain_cfg;
static const plain_suite plain_no_suite;

static inline void plain_register(const char *name, void (*fn)(void))
{
    if (plain_count < 64)
        plain_tests[plain_count++] = (plain_test){name, fn};
}

/* Not declared printf-like: the macros below always append an empty string
 * argument, so that an assertion without a message needs no empty varargs. */
static inline void plain_check(int ok, const char *expr, const char *file, int line, const char *fmt, ...)
{
    if (ok)
        return;
    fprintf(stderr, "[FAIL] %s: %s:%d: assertion failed: %s\n  ", plain_current, file, line,
            expr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

#define TestSuite(suite, ...)                                                                  \
    static const plain_suite plain_suite_cfg = {__VA_ARGS__};                                  \
    __attribute__((constructor)) static void plain_suite_reg(void)                             \
    {                                                                                          \
        plain_cfg = &plain_suite_cfg;                                                          \
    }                                                                                          \
    extern int plain_suite_needs_a_semicolon_

#define Test(suite, name)                                                                      \
    static void suite##_##name(void);                                                          \
    __attribute__((constructor)) static void plain_reg_##suite##_##name(void)                  \
    {                                                                                          \
        plain_register(#suite "::" #name, suite##_##name);                                     \
    }                                                                                          \
    static void suite##_##name(void)

#define PLAIN_ASSERT_(cond, ...) plain_check(!!(cond), #cond, __FILE__, __LINE__, __VA_ARGS__)
#define PLAIN_EQ_(a, b, ...) plain_check((a) == (b), #a " == " #b, __FILE__, __LINE__, __VA_ARGS__)
#define PLAIN_STR_EQ_(a, b, ...)                                                               \
    plain_check(strcmp((a), (b)) == 0, #a " == " #b, __FILE__, __LINE__, __VA_ARGS__)
#define cr_assert(...) PLAIN_ASSERT_(__VA_ARGS__, "")
#define cr_assert_eq(...) PLAIN_EQ_(__VA_ARGS__, "")
#define cr_assert_str_eq(...) PLAIN_STR_EQ_(__VA_ARGS__, "")

int main(void)
{
    if (!plain_cfg)
        plain_cfg = &plain_no_suite;
    if (plain_cfg->init)
        plain_cfg->init();
    for (int i = 0; i < plain_count; i++) {
        plain_current = plain_tests[i].name;
        plain_tests[i].fn();
        fprintf(stderr, "[PASS] %s\n", plain_current);
    }
    if (plain_cfg->fini)
        plain_cfg->fini();
    fprintf(stderr, "[====] %d tests passed\n", plain_count);
    return 0;
}

#endif /* SCRM_TESTS_PLAIN_TEST_H */
