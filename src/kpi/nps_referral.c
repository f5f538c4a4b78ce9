/* Intent versus actual referral (Kumar, Petersen & Leone, HBR 2007): a
 * plain-struct accumulator holding a 2x2 table of survey flags plus referral
 * conversions, mergeable by adding counts; finalize derives the statistics
 * without modifying it. */
#include "kpi/nps_internal.h"

#include <math.h>
#include <string.h>

/* Check a flag array holds only -1, 0, 1. Returns the first bad index or n. */
static size_t first_bad_flag(const int8_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] < -1 || v[i] > 1)
            return i;
    return n;
}

static int check_flags(const int8_t *v, size_t n, const char *name, const char *fn)
{
    size_t bad = first_bad_flag(v, n);
    if (bad < n)
        return scrm__fail(SCRM_EINVAL, fn, "%s[%zu]: %d is not -1, 0 or 1", name, bad,
                          (int)v[bad]);
    return SCRM_OK;
}

/* The counts of an accumulator, in one array for overflow-checked adds. */
enum { C11, C10, C01, C00, INCOMPLETE, REFERRALS, CONVERTED, UNKNOWN, N_COUNTS };

static void get_counts(const scrm_nps_referral *r, uint64_t c[N_COUNTS])
{
    c[C11] = r->intend_referred;
    c[C10] = r->intend_not_referred;
    c[C01] = r->referred_not_intend;
    c[C00] = r->neither;
    c[INCOMPLETE] = r->incomplete;
    c[REFERRALS] = r->referrals;
    c[CONVERTED] = r->referrals_converted;
    c[UNKNOWN] = r->referrals_unknown;
}

static void set_counts(scrm_nps_referral *r, const uint64_t c[N_COUNTS])
{
    r->intend_referred = c[C11];
    r->intend_not_referred = c[C10];
    r->referred_not_intend = c[C01];
    r->neither = c[C00];
    r->incomplete = c[INCOMPLETE];
    r->referrals = c[REFERRALS];
    r->referrals_converted = c[CONVERTED];
    r->referrals_unknown = c[UNKNOWN];
}

/* Sum of the 2x2 table into *n; SCRM_ERANGE naming fn if it exceeds 2^64-1. */
static int table_total(const uint64_t c[N_COUNTS], uint64_t *n, const char *fn)
{
    uint64_t t = 0;
    for (int i = C11; i <= C00; i++) {
        if (c[i] > UINT64_MAX - t)
            return scrm__fail(SCRM_ERANGE, fn, "the 2x2 table: adds up to more than 2^64-1");
        t += c[i];
    }
    *n = t;
    return SCRM_OK;
}

/* acc += add, all or nothing: every count and the table's total stay below 2^64. */
static int add_counts(scrm_nps_referral *acc, const uint64_t add[N_COUNTS], const char *fn)
{
    uint64_t c[N_COUNTS], n = 0;
    get_counts(acc, c);
    for (int i = 0; i < N_COUNTS; i++) {
        if (add[i] > UINT64_MAX - c[i])
            return scrm__fail(SCRM_ERANGE, fn, "count %d: would exceed 2^64-1", i);
        c[i] += add[i];
    }
    int rc = table_total(c, &n, fn);
    if (rc == SCRM_OK)
        set_counts(acc, c);
    return rc;
}

/* phi = (ad - bc) / sqrt(r1 r0 c1 c0); undefined when a margin is empty (one
 * variable is constant). Products in double: counts up to 2^64 would overflow
 * integers, and the relative error of a few roundings is ~1e-16. */
static void phi_of(const scrm_nps_referral *acc, scrm_nps_referral_result *out)
{
    uint64_t a = acc->intend_referred, b = acc->intend_not_referred;
    uint64_t c = acc->referred_not_intend, d = acc->neither;
    /* Margins summed as integers (no overflow: the caller checked the total),
     * then rounded once. */
    double intend = (double)(a + b), not_intend = (double)(c + d);
    double refer = (double)(a + c), not_refer = (double)(b + d);
    out->phi_valid = intend > 0.0 && not_intend > 0.0 && refer > 0.0 && not_refer > 0.0;
    out->phi = 0.0;
    if (out->phi_valid) {
        double num = (double)a * (double)d - (double)b * (double)c;
        double den = sqrt((intend * not_intend) * (refer * not_refer)); /* < 2^256 */
        double phi = num / den;
        out->phi = phi > 1.0 ? 1.0 : (phi < -1.0 ? -1.0 : phi);
    }
}

SCRM_API int scrm_nps_referral_finalize(const scrm_nps_referral *acc,
                                        scrm_nps_referral_result *out)
{
    SCRM__CHECK_NULL(acc);
    SCRM__CHECK_NULL(out);
    uint64_t c[N_COUNTS], total = 0;
    get_counts(acc, c);
    int rc = table_total(c, &total, __func__);
    if (rc != SCRM_OK)
        return rc;
    if (acc->referrals_converted > acc->referrals)
        return SCRM__FAIL(SCRM_EINVAL, "acc->referrals_converted: %llu > referrals %llu",
                          (unsigned long long)acc->referrals_converted,
                          (unsigned long long)acc->referrals);
    memset(out, 0, sizeof *out);
    out->n = total;
    /* Integer margins rounded once: monotone rounding keeps every share within
     * [0, 1] (summing rounded doubles gave 1 + 2^-52 near 2^63). */
    double n = (double)total, intend = (double)(c[C11] + c[C10]);
    out->shares_valid = total > 0;
    out->intend_share = out->shares_valid ? intend / n : 0.0;
    out->referred_share = out->shares_valid ? (double)(c[C11] + c[C01]) / n : 0.0;
    out->referred_given_intend_valid = intend > 0.0;
    out->referred_given_intend = intend > 0.0 ? (double)c[C11] / intend : 0.0;
    phi_of(acc, out);
    out->conversion_valid = acc->referrals > 0;
    out->conversion_share =
        acc->referrals ? (double)acc->referrals_converted / (double)acc->referrals : 0.0;
    return SCRM_OK;
}

SCRM_API int scrm_nps_referral_add(scrm_nps_referral *acc, const int8_t *intends,
                                   const int8_t *referred, size_t n)
{
    SCRM__CHECK_NULL(acc);
    SCRM__CHECK_ARG(intends || n == 0, "intends");
    SCRM__CHECK_ARG(referred || n == 0, "referred");
    int rc = check_flags(intends, n, "intends", __func__);
    if (rc == SCRM_OK)
        rc = check_flags(referred, n, "referred", __func__);
    if (rc != SCRM_OK)
        return rc;
    uint64_t add[N_COUNTS] = { 0 };
    for (size_t i = 0; i < n; i++) {
        if (intends[i] < 0 || referred[i] < 0)
            add[INCOMPLETE]++;
        else
            add[intends[i] ? (referred[i] ? C11 : C10) : (referred[i] ? C01 : C00)]++;
    }
    return add_counts(acc, add, __func__);
}

SCRM_API int scrm_nps_referral_add_conversions(scrm_nps_referral *acc, const int8_t *converted,
                                               size_t n)
{
    SCRM__CHECK_NULL(acc);
    SCRM__CHECK_ARG(converted || n == 0, "converted");
    int rc = check_flags(converted, n, "converted", __func__);
    if (rc != SCRM_OK)
        return rc;
    uint64_t add[N_COUNTS] = { 0 };
    for (size_t i = 0; i < n; i++) {
        if (converted[i] < 0) {
            add[UNKNOWN]++;
        } else {
            add[REFERRALS]++;
            add[CONVERTED] += (uint64_t)converted[i];
        }
    }
    return add_counts(acc, add, __func__);
}

SCRM_API int scrm_nps_referral_merge(scrm_nps_referral *acc, const scrm_nps_referral *other)
{
    SCRM__CHECK_NULL(acc);
    SCRM__CHECK_NULL(other);
    uint64_t add[N_COUNTS];
    get_counts(other, add); /* copied first: other may alias acc */
    return add_counts(acc, add, __func__);
}

SCRM_API int scrm_nps_referral_compute(const scrm_dataset *ds, scrm_nps_referral *out)
{
    SCRM__CHECK_NULL(ds);
    SCRM__CHECK_NULL(out);
    const void *intends = NULL, *referred = NULL, *converted = NULL;
    size_t n_survey = 0, n_referrals = 0;
    int rc = scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_INTENDS, &intends, &n_survey);
    if (rc == SCRM_OK)
        rc = scrm_dataset_column(ds, SCRM_TABLE_SURVEY, SCRM_SURVEY_REFERRED, &referred, NULL);
    if (rc == SCRM_OK)
        rc = scrm_dataset_column(ds, SCRM_TABLE_REFERRALS, SCRM_REFERRALS_CONVERTED, &converted,
                                 &n_referrals);
    if (rc != SCRM_OK)
        return rc;
    scrm_nps_referral r;
    memset(&r, 0, sizeof r);
    if ((rc = scrm_nps_referral_add(&r, intends, referred, n_survey)) != SCRM_OK ||
        (rc = scrm_nps_referral_add_conversions(&r, converted, n_referrals)) != SCRM_OK)
        return rc;
    *out = r;
    return SCRM_OK;
}
