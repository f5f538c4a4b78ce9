/* sBG: Fader & Hardie (2007) fits, projections, DERL (Fader & Hardie 2010)
 * against 30-digit mpmath values and closed forms, simulation recovery,
 * serialization, and bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "clv/sbg.h"
#include "num/dists.h"
#include "num/rng.h"
#include "rfm_cdnow.h"
#include "scrm.h"

/* sbg/survival.csv: years 0..12 of each segment, in percent; fit on 0..7. */
static void load_survival(double regular[13], double high[13])
{
    FILE *f = shared_file("sbg/survival.csv");
    cr_assert(f, "sbg/survival.csv not found (SCRM_SHARED_DATA)");
    char line[128];
    cr_assert(fgets(line, sizeof line, f));
    for (int i = 0; i < 13; i++) {
        int year;
        cr_assert_eq(fscanf(f, "%d,%lf,%lf", &year, &regular[i], &high[i]), 3);
        cr_assert_eq(year, i);
        regular[i] *= 10.0; /* percent of 1,000 customers -> customers */
        high[i] *= 10.0;
    }
    fclose(f);
}

static scrm_clv_model *fit(const double *s, size_t n, scrm_clv_fit_result *res)
{
    scrm_clv_model *m = NULL;
    int st = scrm_clv_sbg_fit_survivors(&m, s, n, NULL, res);
    cr_assert_eq(st, SCRM_OK, "%s", scrm_last_error_message());
    return m;
}

Test(sbg, reproduces_fader_hardie_2007)
{
    double reg[13], high[13];
    load_survival(reg, high);
    scrm_clv_fit_result r;
    scrm_clv_model *m = fit(reg, 8, &r);
    /* REFERENCE.md: 0.704 / 1.182, LL about -1680.27 (printed to 3 decimals). */
    cr_assert(fabs(r.params[0] - 0.704) < 1e-3, "alpha %.6f", r.params[0]);
    cr_assert(fabs(r.params[1] - 1.182) < 1e-3, "beta %.6f", r.params[1]);
    cr_assert(fabs(r.log_likelihood - -1680.27) < 0.05, "LL %.4f", r.log_likelihood);
    /* Tighter: an independent BFGS/scipy refit gives 0.7040773, 1.1820432, -1680.26519. */
    cr_assert(fabs(r.params[0] - 0.7040773) < 2e-6 && fabs(r.params[1] - 1.1820432) < 2e-6);
    cr_assert_float_eq(r.log_likelihood, -1680.2651885, 1e-6);
    cr_assert(r.converged && r.kind == SCRM_CLV_SBG && r.n_params == 2);
    cr_assert(r.std_errors[0] > 0 && r.std_errors[0] < 0.5 && r.std_errors[1] > 0);
    cr_assert_float_eq(r.n_customers, 1000.0, 1e-9);
    cr_assert_eq(r.n_rows, 8);
    scrm_clv_model_free(m);

    m = fit(high, 8, &r);
    cr_assert(fabs(r.params[0] - 0.668) < 1e-3, "alpha %.6f", r.params[0]);
    cr_assert(fabs(r.params[1] - 3.806) < 1e-3, "beta %.6f", r.params[1]);
    cr_assert(fabs(r.log_likelihood - -1611.16) < 0.05, "LL %.4f", r.log_likelihood);
    cr_assert_float_eq(r.log_likelihood, -1611.1581474, 1e-6);

    /* Projection to the held-out years 8..12: within 2 percentage points of the
     * observed shares (our check: 46.0/43.6/41.4/39.5/37.8 vs 46.8/44.5/42.7/40.9/39.4). */
    double t[13], s[13];
    size_t len;
    for (int i = 0; i < 13; i++)
        t[i] = i;
    cr_assert_eq(scrm_clv_sbg_survival(m, t, 13, s, 13, &len), SCRM_OK);
    cr_assert_eq(len, 13);
    cr_assert_float_eq(s[0], 1.0, 1e-15);
    for (int i = 8; i < 13; i++)
        cr_assert(fabs(1000.0 * s[i] - high[i]) < 20.0, "year %d: %.1f vs %.1f", i, 1000 * s[i],
                  high[i]);
    scrm_clv_model_free(m);
}

Test(sbg, survival_and_retention_identities)
{
    double p[2] = {0.668, 3.806};
    scrm_clv_model *m;
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_SBG, p, 2), SCRM_OK);
    double t[40], s[40], r[40];
    size_t len;
    for (int i = 0; i < 40; i++)
        t[i] = i;
    cr_assert_eq(scrm_clv_sbg_survival(m, t, 40, s, 40, &len), SCRM_OK);
    cr_assert_eq(scrm_clv_sbg_retention(m, t + 1, 39, r, 40, &len), SCRM_OK);
    double prod = 1.0;
    for (int i = 1; i < 40; i++) {
        /* S(t) = prod_{k<=t} r(k); r(t) = (beta + t - 1)/(alpha + beta + t - 1), rising. */
        prod *= (3.806 + i - 1) / (0.668 + 3.806 + i - 1);
        cr_assert(fabs(s[i] - prod) <= 1e-14 * prod, "t=%d %.17g %.17g", i, s[i], prod);
        cr_assert(fabs(r[i - 1] - s[i] / s[i - 1]) < 1e-14);
        if (i > 1)
            cr_assert(r[i - 1] > r[i - 2]);
    }
    /* Very long horizons stay finite and positive (no underflow to NaN). */
    double big = 1e12, sb;
    cr_assert_eq(scrm_clv_sbg_survival(m, &big, 1, &sb, 1, &len), SCRM_OK);
    cr_assert(sb > 0 && sb < 1e-6 && isfinite(sb));
    scrm_clv_model_free(m);
}

/* 30-digit mpmath: (b+r)/(a+b+r) hyp2f1(1, b+r+1, a+b+r+1, 1/(1+d)). */
static const struct {
    double a, b, r, d, derl;
} derl_ref[] = {
    {0.704, 1.182, 0, 0.1, 2.9646621461320299},   {0.704, 1.182, 0, 0.01, 8.5029471720112638},
    {0.704, 1.182, 4, 0.1, 5.8944228598441578},   {0.704, 1.182, 7, 0.01, 26.678781367752844},
    {0.704, 1.182, 50, 0.1, 9.7227752403166998},  {0.704, 1.182, 50, 0.01, 56.994537118609686},
    {0.668, 3.806, 0, 0.1, 5.4148560483740368},   {0.668, 3.806, 4, 0.01, 27.588141084237007},
    {0.668, 3.806, 7, 0.1, 7.5299495309109677},   {0.668, 3.806, 50, 0.01, 59.374914893573957},
    {2.5, 4.0, 0, 0.1, 1.8292818051805915},       {2.5, 4.0, 7, 0.01, 6.3534248041204461},
    {2.5, 4.0, 50, 0.1, 7.5549526415414458},
    /* Small discounts: the connection-formula path (z close to 1). */
    {2.5, 4.0, 4, 1e-5, 5.3323899567090286},      {0.704, 1.182, 7, 1e-4, 173.52394595236998},
    {0.668, 3.806, 0, 1e-4, 124.45869611950398},
};

Test(sbg, derl_matches_reference_values)
{
    for (size_t i = 0; i < sizeof derl_ref / sizeof derl_ref[0]; i++) {
        double p[2] = {derl_ref[i].a, derl_ref[i].b}, v;
        size_t len;
        scrm_clv_model *m;
        cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_SBG, p, 2), SCRM_OK);
        cr_assert_eq(scrm_clv_sbg_derl(m, derl_ref[i].d, &derl_ref[i].r, 1, &v, 1, &len),
                     SCRM_OK, "%s", scrm_last_error_message());
        double tol = derl_ref[i].d >= 1e-3 ? 1e-13 : 1e-9;
        cr_assert(fabs(v - derl_ref[i].derl) <= tol * derl_ref[i].derl, "case %zu: %.17g vs %.17g",
                  i, v, derl_ref[i].derl);
        scrm_clv_model_free(m);
    }
    /* The published sBG example (sBG for Python README): high-end segment fitted
     * on years 0..7, d = 10%, the survivors of year 7 (7 renewals): 7.530. */
    double reg[13], high[13], seven = 7, v;
    size_t len;
    load_survival(reg, high);
    scrm_clv_model *m = fit(high, 8, NULL);
    cr_assert_eq(scrm_clv_sbg_derl(m, 0.1, &seven, 1, &v, 1, &len), SCRM_OK);
    cr_assert(fabs(v - 7.530) < 5e-4, "DERL %.5f", v);
    scrm_clv_model_free(m);
}

Test(sbg, derl_identities)
{
    double p[2] = {2.5, 4.0};
    scrm_clv_model *m;
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_SBG, p, 2), SCRM_OK);
    double ren[5] = {0, 1, 4, 50, 1000}, v[5];
    size_t len;
    /* d = 0 and alpha > 1: (beta + n - 1)/(alpha - 1). */
    cr_assert_eq(scrm_clv_sbg_derl(m, 0.0, ren, 5, v, 5, &len), SCRM_OK);
    for (int i = 0; i < 5; i++)
        cr_assert(fabs(v[i] - (4.0 + ren[i]) / 1.5) <= 1e-12 * v[i], "%g: %.17g", ren[i], v[i]);
    /* Direct summation of the definition: sum_{k>=1} S(n+k)/S(n) / (1+d)^(k-1). */
    double d = 0.02;
    cr_assert_eq(scrm_clv_sbg_derl(m, d, ren, 3, v, 5, &len), SCRM_OK);
    for (int i = 0; i < 3; i++) {
        long double s = 1, sum = 0, disc = 1;
        for (int k = 1; k < 20000; k++) {
            double t = ren[i] + k;
            s *= (long double)(4.0 + t - 1) / (2.5 + 4.0 + t - 1);
            sum += s * disc;
            disc /= 1.0L + d;
        }
        cr_assert(fabs(v[i] - (double)sum) <= 1e-12 * v[i], "%g: %.17g vs %.17Lg", ren[i], v[i],
                  sum);
    }
    /* DEL of a new customer = 1 + DERL(0 renewals) / (1 + d) = 2F1(1, b; a+b; 1/(1+d)). */
    double zero = 0, dl;
    cr_assert_eq(scrm_clv_sbg_derl(m, 0.1, &zero, 1, &dl, 1, &len), SCRM_OK);
    cr_assert(dl > 0 && dl < 1.0 / (1 - 1 / 1.1)); /* below the no-churn annuity 11 */
    scrm_clv_model_free(m);
}

Test(sbg, fit_from_rows_equals_fit_from_survivors)
{
    /* Per-customer rows (no weights) give the same fit as the survivor curve. */
    static const double surv[4] = {10, 7, 5, 4};
    static double x[10], T[10];
    int k = 0;
    for (int t = 1; t < 4; t++)
        for (int j = 0; j < (int)(surv[t - 1] - surv[t]); j++, k++) {
            x[k] = t - 1;
            T[k] = 3;
        }
    for (int j = 0; j < 4; j++, k++) {
        x[k] = 3;
        T[k] = 3;
    }
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = 10;
    d.frequency = x;
    d.age = T;
    scrm_clv_fit_result a, b;
    scrm_clv_model *m1, *m2;
    cr_assert_eq(scrm_clv_model_fit(&m1, SCRM_CLV_SBG, &d, NULL, &a), SCRM_OK, "%s",
                 scrm_last_error_message());
    m2 = fit(surv, 4, &b);
    cr_assert_float_eq(a.params[0], b.params[0], 1e-7);
    cr_assert_float_eq(a.params[1], b.params[1], 1e-7);
    cr_assert_float_eq(a.log_likelihood, b.log_likelihood, 1e-9);
    scrm_clv_model_free(m1);
    scrm_clv_model_free(m2);
}

Test(sbg, recovers_simulated_parameters)
{
    /* 200,000 customers, theta ~ Beta(1.3, 2.7), 10 renewal opportunities. */
    enum { N = 200000, PERIODS = 10 };
    double alpha = 1.3, beta = 2.7, surv[PERIODS + 1] = {0};
    scrm__rng rng;
    scrm__rng_seed(&rng, 20240517);
    for (int i = 0; i < N; i++) {
        double theta = scrm__rand_beta(&rng, alpha, beta);
        int t = 0;
        surv[0]++;
        while (t < PERIODS && scrm__rng_uniform(&rng) >= theta)
            surv[++t]++;
    }
    scrm_clv_fit_result r;
    scrm_clv_model *m = fit(surv, PERIODS + 1, &r);
    double truth[2] = {alpha, beta};
    for (int i = 0; i < 2; i++)
        cr_assert(fabs(r.params[i] - truth[i]) < 3.5 * r.std_errors[i],
                  "param %d: %.4f vs %.4f (se %.4f)", i, r.params[i], truth[i], r.std_errors[i]);
    scrm_clv_model_free(m);
}

Test(sbg, serialize_round_trip_and_corruption)
{
    double reg[13], high[13];
    load_survival(reg, high);
    scrm_clv_model *m = fit(reg, 8, NULL), *back = NULL;
    uint8_t buf[512];
    size_t len;
    cr_assert_eq(scrm_clv_model_serialize(m, buf, sizeof buf, &len), SCRM_OK);
    cr_assert_eq(scrm_clv_model_deserialize(&back, buf, len), SCRM_OK);
    scrm_clv_fit_result a, b;
    scrm_clv_model_info(m, &a);
    scrm_clv_model_info(back, &b);
    cr_assert_eq(b.kind, SCRM_CLV_SBG);
    cr_assert(memcmp(a.params, b.params, sizeof a.params) == 0);
    double r = 3, d1, d2;
    size_t n;
    scrm_clv_sbg_derl(m, 0.1, &r, 1, &d1, 1, &n);
    scrm_clv_sbg_derl(back, 0.1, &r, 1, &d2, 1, &n);
    cr_assert_eq(d1, d2);
    scrm_clv_model_free(back);
    for (size_t i = 0; i < len; i++) {
        uint8_t c[512];
        memcpy(c, buf, len);
        c[i] ^= 0x10;
        back = (scrm_clv_model *)1;
        cr_assert_neq(scrm_clv_model_deserialize(&back, c, len), SCRM_OK, "flip at %zu", i);
        cr_assert_null(back);
    }
    cr_assert_eq(scrm_clv_model_deserialize(&back, buf, len - 1), SCRM_ECORRUPT);
    scrm_clv_model_free(m);
}

Test(sbg, bad_input_is_a_status)
{
    scrm_clv_model *m = (scrm_clv_model *)1;
    double ok[3] = {10, 6, 4};
    cr_assert_eq(scrm_clv_sbg_fit_survivors(NULL, ok, 3, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_fit_survivors(&m, NULL, 3, NULL, NULL), SCRM_EINVAL);
    cr_assert_null(m);
    cr_assert_eq(scrm_clv_sbg_fit_survivors(&m, ok, 1, NULL, NULL), SCRM_ENODATA);
    double up[3] = {10, 6, 7}, neg[3] = {10, -1, 0}, nan_[3] = {10, NAN, 1}, empty[3] = {0, 0, 0};
    cr_assert_eq(scrm_clv_sbg_fit_survivors(&m, up, 3, NULL, NULL), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "survivors[2]"), "%s", scrm_last_error_message());
    cr_assert_eq(scrm_clv_sbg_fit_survivors(&m, neg, 3, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_fit_survivors(&m, nan_, 3, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_fit_survivors(&m, empty, 3, NULL, NULL), SCRM_ENODATA);

    /* Rows for the generic fit: renewals > opportunities, fractional, negative. */
    double x[2] = {3, 1}, T[2] = {2, 2};
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = 2;
    d.frequency = x;
    d.age = T;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_SBG, &d, NULL, NULL), SCRM_EINVAL);
    x[0] = 1.5;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_SBG, &d, NULL, NULL), SCRM_EINVAL);
    x[0] = -1;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_SBG, &d, NULL, NULL), SCRM_EINVAL);
    d.age = NULL;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_SBG, &d, NULL, NULL), SCRM_EINVAL);

    /* Projections. */
    double p[2] = {0.7, 1.2}, out[2], t[2] = {1, 2};
    size_t len;
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_SBG, p, 2), SCRM_OK);
    cr_assert_eq(scrm_clv_sbg_survival(m, t, 2, out, 1, &len), SCRM_EBUFS);
    cr_assert_eq(len, 2);
    cr_assert_eq(scrm_clv_sbg_survival(NULL, t, 2, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_survival(m, NULL, 2, out, 2, &len), SCRM_EINVAL);
    double bad_t[1] = {-1}, nan_t[1] = {NAN}, zero_t[1] = {0};
    cr_assert_eq(scrm_clv_sbg_survival(m, bad_t, 1, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_survival(m, nan_t, 1, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_retention(m, zero_t, 1, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_derl(m, 0.0, t, 1, out, 2, &len), SCRM_EDOM); /* alpha <= 1 */
    cr_assert_eq(scrm_clv_sbg_derl(m, -0.1, t, 1, out, 2, &len), SCRM_EDOM);
    cr_assert_eq(scrm_clv_sbg_derl(m, NAN, t, 1, out, 2, &len), SCRM_EINVAL);
    double frac[1] = {1.5};
    cr_assert_eq(scrm_clv_sbg_derl(m, 0.1, frac, 1, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_derl(m, 0.1, bad_t, 1, out, 2, &len), SCRM_EINVAL);
    /* Other kinds are refused. */
    double bg[4] = {0.24, 4.4, 0.79, 2.4};
    scrm_clv_model *other;
    cr_assert_eq(scrm_clv_model_new(&other, SCRM_CLV_BGNBD, bg, 4), SCRM_OK);
    cr_assert_eq(scrm_clv_sbg_survival(other, t, 1, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_sbg_derl(other, 0.1, t, 1, out, 2, &len), SCRM_EINVAL);
    /* Generic predictions the sBG kind does not have are refused, not NaN. */
    cr_assert_eq(scrm_clv_expected_purchases(m, t, 1, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_kind_param_count(SCRM_CLV_SBG), 2);
    cr_assert_str_eq(scrm_clv_kind_param_name(SCRM_CLV_SBG, 1), "beta");
    cr_assert_str_eq(scrm_clv_kind_name(SCRM_CLV_SBG), "sBG");
    scrm_clv_model_free(other);
    scrm_clv_model_free(m);
}
