/* BG/BB (Fader, Hardie & Shang 2010): the donations fit, P(alive), the
 * expectations against direct sums of beta functions, pmf identities,
 * simulation recovery, serialization and bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "num/dists.h"
#include "num/rng.h"
#include "rfm_cdnow.h"
#include "scrm.h"

static double x_[32], tx_[32], n_[32], w_[32];
static size_t rows_;

static scrm_clv_data donations(void)
{
    FILE *f = shared_file("cdnow/donations.csv");
    cr_assert(f, "cdnow/donations.csv not found (SCRM_SHARED_DATA)");
    char line[128];
    cr_assert(fgets(line, sizeof line, f));
    rows_ = 0;
    while (rows_ < 32 &&
           fscanf(f, "%lf,%lf,%lf,%lf", &x_[rows_], &tx_[rows_], &n_[rows_], &w_[rows_]) == 4)
        rows_++;
    fclose(f);
    cr_assert_eq(rows_, 22);
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = rows_;
    d.frequency = x_;
    d.recency = tx_;
    d.age = n_;
    d.weights = w_;
    return d;
}

static scrm_clv_model *published(void)
{
    double p[4] = {1.204, 0.750, 0.657, 2.783};
    scrm_clv_model *m;
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGBB, p, 4), SCRM_OK, "%s",
                 scrm_last_error_message());
    return m;
}

Test(bgbb, reproduces_fader_hardie_shang_2010)
{
    scrm_clv_data d = donations();
    scrm_clv_model *m;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGBB, &d, NULL, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    /* REFERENCE.md: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33225.6. */
    const double pub[4] = {1.204, 0.750, 0.657, 2.783};
    for (int i = 0; i < 4; i++)
        cr_assert(fabs(r.params[i] - pub[i]) < 1e-3, "param %d: %.6f", i, r.params[i]);
    cr_assert(fabs(r.log_likelihood - -33225.6) < 0.05, "LL %.4f", r.log_likelihood);
    /* Tighter, against an independent scipy BFGS refit: 1.2035235, 0.7497167,
     * 0.6567163, 2.7834308, LL -33225.58127. */
    const double ref[4] = {1.2035235, 0.7497167, 0.6567163, 2.7834308};
    for (int i = 0; i < 4; i++)
        cr_assert(fabs(r.params[i] - ref[i]) < 2e-5, "param %d: %.7f", i, r.params[i]);
    cr_assert_float_eq(r.log_likelihood, -33225.58127, 1e-4);
    cr_assert(r.converged);
    cr_assert_float_eq(r.n_customers, 11104.0, 0);
    cr_assert_eq(r.n_rows, 22);
    for (int i = 0; i < 4; i++)
        cr_assert(r.std_errors[i] > 0 && r.std_errors[i] < 0.5 * r.params[i]);
    scrm_clv_model_free(m);
}

Test(bgbb, probability_alive_published_values)
{
    /* P(alive in 2002) for (x, t_x) = (0, 0), (2, 4), (6, 6), n = 6: 0.11, 0.59, 0.93. */
    scrm_clv_model *m = published();
    double x[3] = {0, 2, 6}, tx[3] = {0, 4, 6}, n[3] = {6, 6, 6}, out[3];
    scrm_clv_data c = SCRM_CLV_DATA_INIT;
    c.n = 3;
    c.frequency = x;
    c.recency = tx;
    c.age = n;
    size_t len;
    cr_assert_eq(scrm_clv_probability_alive(m, &c, out, 3, &len), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert(fabs(out[0] - 0.11) < 0.005, "%.4f", out[0]);
    cr_assert(fabs(out[1] - 0.59) < 0.005, "%.4f", out[1]);
    cr_assert(fabs(out[2] - 0.93) < 0.005, "%.4f", out[2]);
    /* scipy at the published parameters: 0.1080165841686741, 0.5895141164336981,
     * 0.9304025423728814. */
    cr_assert_float_eq(out[0], 0.1080165841686741, 1e-12);
    cr_assert_float_eq(out[1], 0.5895141164336981, 1e-12);
    cr_assert_float_eq(out[2], 0.9304025423728814, 1e-12);
    scrm_clv_model_free(m);
}

/* log B(a, b) through lgamma (test-side reference). */
static double lb(double a, double b)
{
    return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/* L(x, t_x, n) directly from the definition. */
static double lik(const double *p, double x, double tx, double n)
{
    double a = p[0], b = p[1], g = p[2], d = p[3];
    double s = exp(lb(a + x, b + n - x) - lb(a, b) + lb(g, d + n) - lb(g, d));
    for (double i = 0; i < n - tx; i++)
        s += exp(lb(a + x, b + tx - x + i) - lb(a, b) + lb(g + 1, d + tx + i) - lb(g, d));
    return s;
}

Test(bgbb, expectations_match_direct_sums)
{
    const double p[4] = {1.204, 0.750, 0.657, 2.783};
    scrm_clv_model *m = published();
    /* E[X(n)] = a/(a+b) sum_{k=1}^{n} B(g, d+k)/B(g, d). */
    double t[5] = {0, 1, 6, 11, 40}, e[5];
    size_t len;
    cr_assert_eq(scrm_clv_expected_purchases(m, t, 5, e, 5, &len), SCRM_OK, "%s",
                 scrm_last_error_message());
    for (int i = 0; i < 5; i++) {
        double s = 0;
        for (int k = 1; k <= t[i]; k++)
            s += exp(lb(p[2], p[3] + k) - lb(p[2], p[3]));
        s *= p[0] / (p[0] + p[1]);
        cr_assert(fabs(e[i] - s) <= 1e-12 * (1 + s), "n=%g: %.17g vs %.17g", t[i], e[i], s);
    }
    cr_assert_float_eq(e[2], 2.2196313934873078, 1e-12); /* scipy, published parameters */
    /* E[X(n, n+n*) | x, t_x, n] = sum_{k=1}^{n*} B(a+x+1, b+n-x)/B(a,b) B(g, d+n+k)/B(g,d) / L. */
    double x[4] = {0, 2, 6, 1}, tx[4] = {0, 4, 6, 1}, n[4] = {6, 6, 6, 6}, ce[4];
    scrm_clv_data c = SCRM_CLV_DATA_INIT;
    c.n = 4;
    c.frequency = x;
    c.recency = tx;
    c.age = n;
    cr_assert_eq(scrm_clv_conditional_expected_purchases(m, 5, &c, ce, 4, &len), SCRM_OK, "%s",
                 scrm_last_error_message());
    for (int i = 0; i < 4; i++) {
        double s = 0;
        for (int k = 1; k <= 5; k++)
            s += exp(lb(p[0] + x[i] + 1, p[1] + n[i] - x[i]) - lb(p[0], p[1]) +
                     lb(p[2], p[3] + n[i] + k) - lb(p[2], p[3]));
        s /= lik(p, x[i], tx[i], n[i]);
        cr_assert(fabs(ce[i] - s) <= 1e-11 * (1 + s), "row %d: %.17g vs %.17g", i, ce[i], s);
    }
    cr_assert_float_eq(ce[1], 1.0573489419096913, 1e-11); /* scipy */
    scrm_clv_model_free(m);
}

Test(bgbb, gamma_near_one_is_finite_and_continuous)
{
    /* E[X(n)] has d/(g-1) [1 - R]: 0/0 at g = 1. */
    double t = 25, e[3];
    const double gs[3] = {1.0 - 1e-9, 1.0, 1.0 + 1e-9};
    for (int i = 0; i < 3; i++) {
        double p[4] = {1.5, 2.0, gs[i], 3.0};
        scrm_clv_model *m;
        size_t len;
        cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGBB, p, 4), SCRM_OK);
        cr_assert_eq(scrm_clv_expected_purchases(m, &t, 1, &e[i], 1, &len), SCRM_OK);
        cr_assert(isfinite(e[i]));
        scrm_clv_model_free(m);
    }
    double s = 0; /* g = 1: a/(a+b) d sum_{j<25} 1/(1+d+j) */
    for (int j = 0; j < 25; j++)
        s += 1.0 / (4.0 + j);
    s *= 1.5 / 3.5 * 3.0;
    cr_assert_float_eq(e[1], s, 1e-13);
    cr_assert(fabs(e[0] - s) < 1e-7 && fabs(e[2] - s) < 1e-7);
}

Test(bgbb, pmf_sums_to_one_and_gives_the_mean)
{
    scrm_clv_model *m = published();
    double t[7], k[7], pr[7];
    size_t len;
    for (int i = 0; i < 7; i++) {
        t[i] = 6;
        k[i] = i;
    }
    cr_assert_eq(scrm_clv_probability_purchases(m, t, k, 7, pr, 7, &len), SCRM_OK, "%s",
                 scrm_last_error_message());
    double total = 0, mean = 0, e;
    for (int i = 0; i < 7; i++) {
        cr_assert(pr[i] > 0 && pr[i] < 1);
        total += pr[i];
        mean += i * pr[i];
    }
    cr_assert_float_eq(total, 1.0, 1e-13);
    cr_assert_eq(scrm_clv_expected_purchases(m, t, 1, &e, 1, &len), SCRM_OK);
    cr_assert_float_eq(mean, e, 1e-12);
    /* More purchases than opportunities: probability 0, not an error. */
    double t7 = 6, k7 = 7, z;
    cr_assert_eq(scrm_clv_probability_purchases(m, &t7, &k7, 1, &z, 1, &len), SCRM_OK);
    cr_assert_eq(z, 0.0);
    scrm_clv_model_free(m);
}

Test(bgbb, recovers_simulated_parameters)
{
    /* 200,000 donors over 8 opportunities from known parameters. Before each
     * opportunity a donor dies with probability theta; if alive, gives with p. */
    enum { N = 200000, OPP = 8 };
    const double truth[4] = {1.1, 0.9, 0.7, 2.5};
    static double cnt[OPP + 1][OPP + 1]; /* [x][t_x] */
    memset(cnt, 0, sizeof cnt);
    scrm__rng rng;
    scrm__rng_seed(&rng, 77);
    for (int i = 0; i < N; i++) {
        double p = scrm__rand_beta(&rng, truth[0], truth[1]);
        double th = scrm__rand_beta(&rng, truth[2], truth[3]);
        int x = 0, tx = 0;
        for (int t = 1; t <= OPP; t++) {
            if (scrm__rng_uniform(&rng) < th)
                break;
            if (scrm__rng_uniform(&rng) < p) {
                x++;
                tx = t;
            }
        }
        cnt[x][tx]++;
    }
    static double x[81], tx[81], n[81], w[81];
    size_t r = 0;
    for (int a = 0; a <= OPP; a++)
        for (int b = 0; b <= OPP; b++)
            if (cnt[a][b] > 0) {
                x[r] = a;
                tx[r] = b;
                n[r] = OPP;
                w[r] = cnt[a][b];
                r++;
            }
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = r;
    d.frequency = x;
    d.recency = tx;
    d.age = n;
    d.weights = w;
    scrm_clv_model *m;
    scrm_clv_fit_result res;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGBB, &d, NULL, &res), SCRM_OK, "%s",
                 scrm_last_error_message());
    for (int i = 0; i < 4; i++)
        cr_assert(fabs(res.params[i] - truth[i]) < 3.5 * res.std_errors[i],
                  "param %d: %.4f vs %.4f (se %.4f)", i, res.params[i], truth[i],
                  res.std_errors[i]);
    scrm_clv_model_free(m);
}

Test(bgbb, serialize_round_trip_and_corruption)
{
    scrm_clv_data d = donations();
    scrm_clv_model *m, *back;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGBB, &d, NULL, NULL), SCRM_OK);
    uint8_t buf[512];
    size_t len;
    cr_assert_eq(scrm_clv_model_serialize(m, buf, sizeof buf, &len), SCRM_OK);
    cr_assert_eq(scrm_clv_model_deserialize(&back, buf, len), SCRM_OK);
    scrm_clv_fit_result a, b;
    scrm_clv_model_info(m, &a);
    scrm_clv_model_info(back, &b);
    cr_assert_eq(b.kind, SCRM_CLV_BGBB);
    cr_assert(memcmp(a.params, b.params, sizeof a.params) == 0);
    cr_assert_eq(a.log_likelihood, b.log_likelihood);
    scrm_clv_model_free(back);
    for (size_t i = 0; i < len; i += 3) {
        uint8_t c[512];
        memcpy(c, buf, len);
        c[i] ^= 0x04;
        back = (scrm_clv_model *)1;
        cr_assert_neq(scrm_clv_model_deserialize(&back, c, len), SCRM_OK, "flip at %zu", i);
        cr_assert_null(back);
    }
    scrm_clv_model_free(m);
}

Test(bgbb, edge_cases_without_nan)
{
    scrm_clv_model *m = published();
    /* n = 0 (a new customer), x = n (never missed), long histories. */
    double x[4] = {0, 6, 0, 900}, tx[4] = {0, 6, 0, 1000}, n[4] = {0, 6, 1000, 1000}, out[4];
    scrm_clv_data c = SCRM_CLV_DATA_INIT;
    c.n = 4;
    c.frequency = x;
    c.recency = tx;
    c.age = n;
    size_t len;
    cr_assert_eq(scrm_clv_probability_alive(m, &c, out, 4, &len), SCRM_OK);
    for (int i = 0; i < 4; i++)
        cr_assert(out[i] >= 0 && out[i] <= 1, "row %d: %g", i, out[i]);
    cr_assert(out[2] < 0.01 && out[3] > 0.99);
    cr_assert_eq(scrm_clv_conditional_expected_purchases(m, 10, &c, out, 4, &len), SCRM_OK);
    for (int i = 0; i < 4; i++)
        cr_assert(isfinite(out[i]) && out[i] >= 0);
    double big = 1e6, e;
    cr_assert_eq(scrm_clv_expected_purchases(m, &big, 1, &e, 1, &len), SCRM_OK);
    cr_assert(isfinite(e) && e > 0);
    scrm_clv_model_free(m);
}

Test(bgbb, bad_input_is_a_status)
{
    scrm_clv_model *m = published(), *f;
    double out[2];
    size_t len;
    scrm_clv_data c = SCRM_CLV_DATA_INIT;
    double x[1], tx[1], n[1];
    c.n = 1;
    c.frequency = x;
    c.recency = tx;
    c.age = n;
    /* x > t_x, t_x > n, x > 0 with t_x = 0, fractional, negative, NaN. */
    const double bad[][3] = {{3, 2, 6}, {2, 7, 6}, {1, 0, 6}, {1.5, 2, 6}, {-1, 0, 6},
                             {0, 0, -1}, {NAN, 0, 6}, {0, 1, 6}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        x[0] = bad[i][0];
        tx[0] = bad[i][1];
        n[0] = bad[i][2];
        cr_assert_eq(scrm_clv_probability_alive(m, &c, out, 2, &len), SCRM_EINVAL, "case %zu", i);
        cr_assert_eq(scrm_clv_model_fit(&f, SCRM_CLV_BGBB, &c, NULL, NULL), SCRM_EINVAL,
                     "case %zu", i);
    }
    double frac = 2.5;
    cr_assert_neq(scrm_clv_expected_purchases(m, &frac, 1, out, 2, &len), SCRM_OK);
    x[0] = 1, tx[0] = 2, n[0] = 6;
    cr_assert_neq(scrm_clv_conditional_expected_purchases(m, 2.5, &c, out, 2, &len), SCRM_OK);
    double neg[4] = {1, -1, 1, 1};
    cr_assert_eq(scrm_clv_model_new(&f, SCRM_CLV_BGBB, neg, 4), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_model_new(&f, SCRM_CLV_BGBB, neg, 3), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_expected_spend(m, &c, out, 2, &len), SCRM_EINVAL);
    cr_assert_str_eq(scrm_clv_kind_name(SCRM_CLV_BGBB), "BG/BB");
    cr_assert_str_eq(scrm_clv_kind_param_name(SCRM_CLV_BGBB, 3), "delta");
    scrm_clv_model_free(m);
}
