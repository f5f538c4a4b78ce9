/* Validation of a batch of tickets for scrm_service_add and compute: a
 * branch-free check of the whole range (four rows per step with AVX2 when
 * the CPU has it), and only when it fails a scalar pass that finds and
 * reports the first bad row. */
#include "kpi/service.h"

#include "core/civil.h"

#include <math.h>

#define TIME_OK(t) ((t) >= SCRM__TIME_MIN && (t) <= SCRM__TIME_MAX)

static int bad_time(const char *fn, const char *what, size_t row, const char *col, int64_t t)
{
    if (t == SCRM_TIME_NONE)
        return scrm__error(SCRM_EINVAL, "%s: %s row %zu: '%s' is missing", fn, what, row, col);
    return scrm__error(SCRM_EINVAL, "%s: %s row %zu: '%s' = %lld is outside years 0001..9999",
                       fn, what, row, col, (long long)t);
}

/* Find and report the first bad row (the slow path of scrm__svc_validate). */
static int report(size_t a, size_t n, const int64_t *created, const int64_t *fr,
                  const int64_t *res, const double *ht, const char *what, const char *fn)
{
    for (size_t i = a; i < n; i++) {
        int64_t c = created[i];
        if (!TIME_OK(c))
            return bad_time(fn, what, i, "created", c);
        if (fr && fr[i] != SCRM_TIME_NONE) {
            if (!TIME_OK(fr[i]))
                return bad_time(fn, what, i, "first_response", fr[i]);
            if (fr[i] < c)
                return scrm__error(SCRM_EINVAL,
                                   "%s: %s row %zu: first_response %lld is before created %lld "
                                   "(negative time to answer)",
                                   fn, what, i, (long long)fr[i], (long long)c);
        }
        if (res && res[i] != SCRM_TIME_NONE) {
            if (!TIME_OK(res[i]))
                return bad_time(fn, what, i, "resolved", res[i]);
            if (res[i] < c)
                return scrm__error(SCRM_EINVAL,
                                   "%s: %s row %zu: resolved %lld is before created %lld "
                                   "(negative time to resolution)",
                                   fn, what, i, (long long)res[i], (long long)c);
        }
        if (ht && !isnan(ht[i]) && !(ht[i] >= 0 && ht[i] <= 1e300))
            return scrm__error(SCRM_EINVAL,
                               "%s: %s row %zu: handle_time %g must be finite and >= 0 seconds",
                               fn, what, i, ht[i]);
    }
    return SCRM_OK;
}

/* Portable check of rows [a, n) without branches per row (the common case is a clean
 * batch); only a batch with a bad row pays for finding it. Missing times
 * (SCRM_TIME_NONE) are fine except in `created`; NaN handle times are fine
 * (every comparison with NaN is false). */
static int check_portable(size_t a, size_t n, const int64_t *created, const int64_t *fr,
                          const int64_t *res, const double *ht)
{
    const int64_t lo = SCRM__TIME_MIN, hi = SCRM__TIME_MAX, none = SCRM_TIME_NONE;
    int bad = 0;
    for (size_t i = a; i < n; i++) {
        int64_t c = created[i];
        bad |= (c < lo) | (c > hi);
        if (fr) {
            int64_t f = fr[i];
            bad |= (f != none) & ((f < c) | (f > hi));
        }
        if (res) {
            int64_t r = res[i];
            bad |= (r != none) & ((r < c) | (r > hi));
        }
        if (ht)
            bad |= (ht[i] < 0.0) | (ht[i] > 1e300);
    }
    return bad;
}

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#  define SCRM__SVC_AVX2 1
#  include <immintrin.h>

static inline __attribute__((target("avx2"))) __m256i load4(const int64_t *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

/* The same test as check_portable on rows [a, a + 4k); *done = a + 4k. */
__attribute__((target("avx2"))) static int check_avx2(size_t a, size_t n, const int64_t *created,
                                                      const int64_t *fr, const int64_t *res,
                                                      const double *ht, size_t *done)
{
    const __m256i lo = _mm256_set1_epi64x(SCRM__TIME_MIN), hi = _mm256_set1_epi64x(SCRM__TIME_MAX),
                  none = _mm256_set1_epi64x(SCRM_TIME_NONE);
    const __m256d zero = _mm256_setzero_pd(), big = _mm256_set1_pd(1e300);
    __m256i bad = _mm256_setzero_si256();
    size_t i = a;
    for (; i + 4 <= n; i += 4) {
        __m256i c = load4(created + i);
        bad = _mm256_or_si256(bad, _mm256_or_si256(_mm256_cmpgt_epi64(lo, c),
                                                   _mm256_cmpgt_epi64(c, hi)));
        if (fr) { /* present and (before created or after the range) */
            __m256i f = load4(fr + i);
            __m256i out = _mm256_or_si256(_mm256_cmpgt_epi64(c, f), _mm256_cmpgt_epi64(f, hi));
            bad = _mm256_or_si256(bad, _mm256_andnot_si256(_mm256_cmpeq_epi64(f, none), out));
        }
        if (res) {
            __m256i r = load4(res + i);
            __m256i out = _mm256_or_si256(_mm256_cmpgt_epi64(c, r), _mm256_cmpgt_epi64(r, hi));
            bad = _mm256_or_si256(bad, _mm256_andnot_si256(_mm256_cmpeq_epi64(r, none), out));
        }
        if (ht) { /* ordered comparisons: false for NaN, which is allowed */
            __m256d x = _mm256_loadu_pd(ht + i);
            __m256d out = _mm256_or_pd(_mm256_cmp_pd(x, zero, _CMP_LT_OQ),
                                       _mm256_cmp_pd(x, big, _CMP_GT_OQ));
            bad = _mm256_or_si256(bad, _mm256_castpd_si256(out));
        }
    }
    *done = i;
    return !_mm256_testz_si256(bad, bad);
}
#endif

static int force_portable;

void scrm__svc_validate_portable(int on)
{
    force_portable = on;
}

int scrm__svc_validate(size_t a, size_t n, const int64_t *created, const int64_t *fr,
                       const int64_t *res, const double *ht, const char *what, const char *fn)
{
    size_t from = a;
    int bad = 0;
#ifdef SCRM__SVC_AVX2
    if (!force_portable && __builtin_cpu_supports("avx2"))
        bad = check_avx2(a, n, created, fr, res, ht, &from);
#endif
    bad |= check_portable(from, n, created, fr, res, ht);
    return bad ? report(a, n, created, fr, res, ht, what, fn) : SCRM_OK;
}
