/* CLV models: published CDNOW values (shared/data/REFERENCE.md), weights,
 * simulation recovery, edge cases, bad input, non-convergence, save/restore. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrm.h"

/* ---- CDNOW summary loader (test-local) ---- */

#define CDNOW_N 2357
static double cx[CDNOW_N], ctx[CDNOW_N], cT[CDNOW_N], cm[CDNOW_N];

static void load_cdnow(void)
{
    const char *root = getenv("SCRM_SHARED_DATA");
    cr_assert(root, "SCRM_SHARED_DATA not set");
    char path[1024];
    snprintf(path, sizeof path, "%s/cdnow/cdnow_customers_summary_with_transactions.csv", root);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    char line[256];
    cr_assert(fgets(line, sizeof line, f));
    cr_assert(strncmp(line, "ID,x,t_x,T,zbar", 15) == 0);
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        int id;
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &cx[n], &ctx[n], &cT[n], &cm[n]) != 5)
            continue;
        cr_assert(n < CDNOW_N);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, CDNOW_N);
}

static scrm_clv_data cdnow(void)
{
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = CDNOW_N;
    d.frequency = cx;
    d.recency = ctx;
    d.age = cT;
    d.monetary = cm;
    return d;
}

TestSuite(clv, .init = load_cdnow);

static void expect_near(double got, double want, double tol, const char *what)
{
    cr_expect(fabs(got - want) <= tol, "%s: got %.10g want %.10g (tol %g)", what, got, want, tol);
}

/* ---- BG/NBD ---- */

static const double bg_pub[4] = {0.243, 4.414, 0.793, 2.426};

Test(clv, bgnbd_cdnow_reproduces_fhl2005)
{
    scrm_clv_data d = cdnow();
    scrm_clv_model *m = NULL;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    cr_assert(m);
    cr_assert(r.converged);
    cr_assert_eq(r.n_params, 4);
    for (int i = 0; i < 4; i++)
        expect_near(r.params[i], bg_pub[i], 1e-3, scrm_clv_kind_param_name(SCRM_CLV_BGNBD, (uint32_t)i));
    expect_near(r.log_likelihood, -9582.4, 0.05, "LL");
    expect_near(r.n_customers, 2357, 0, "customers");
    /* Standard errors as lifetimes reports them for this fit. */
    const double se[4] = {0.012557, 0.378221, 0.185719, 0.705345};
    for (int i = 0; i < 4; i++)
        expect_near(r.std_errors[i], se[i], 2e-4 * (1 + se[i]), "std error");
    scrm_clv_fit_result info;
    cr_assert_eq(scrm_clv_model_info(m, &info), SCRM_OK);
    cr_assert_eq(info.fitted, 1);
    cr_assert_eq(memcmp(info.params, r.params, sizeof r.params), 0);
    scrm_clv_model_free(m);
}

/* The full covariance behind the standard errors: symmetric, its diagonal the
 * squared standard errors, and equal to lifetimes' (autograd Hessian at its own
 * optimum, delta method p_i p_j (H^-1)_ij) to the forward-difference and
 * optimizer precision. */
Test(clv, bgnbd_covariance_matches_lifetimes)
{
    static const double lt[16] = {
        1.5768630312e-04,  3.7063824627e-03,  -8.7839428685e-05, 6.5649247370e-05,
        3.7063824627e-03,  1.4305147057e-01,  -2.8655777477e-03, 1.0522423062e-02,
        -8.7839428685e-05, -2.8655777477e-03, 3.4491573672e-02,  1.2319542487e-01,
        6.5649247370e-05,  1.0522423062e-02,  1.2319542487e-01,  4.9751205364e-01};
    scrm_clv_data d = cdnow();
    scrm_clv_model *m = NULL;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, &r), SCRM_OK);
    double cov[16];
    size_t len = 0;
    cr_assert_eq(scrm_clv_model_covariance(m, NULL, 0, &len), SCRM_EBUFS);
    cr_assert_eq(len, 16);
    cr_assert_eq(scrm_clv_model_covariance(m, cov, 15, &len), SCRM_EBUFS);
    cr_assert_eq(scrm_clv_model_covariance(m, cov, 16, &len), SCRM_OK);
    for (int i = 0; i < 4; i++) {
        expect_near(cov[i * 4 + i], r.std_errors[i] * r.std_errors[i],
                    1e-12 * cov[i * 4 + i], "diagonal = se^2");
        for (int j = 0; j < 4; j++) {
            expect_near(cov[i * 4 + j], cov[j * 4 + i], 1e-6 * sqrt(cov[i * 4 + i] * cov[j * 4 + j]),
                        "symmetric");
            expect_near(cov[i * 4 + j], lt[i * 4 + j], 2e-3 * sqrt(lt[i * 4 + i] * lt[j * 4 + j]),
                        "lifetimes");
        }
    }
    cr_assert_eq(scrm_clv_model_covariance(NULL, cov, 16, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_model_covariance(m, cov, 16, NULL), SCRM_EINVAL);
    scrm_clv_model_free(m);
    /* Models from parameters (and restored ones) carry none. */
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, bg_pub, 4), SCRM_OK);
    cr_assert_eq(scrm_clv_model_covariance(m, cov, 16, &len), SCRM_ENODATA);
    cr_assert(strstr(scrm_last_error_message(), "scrm_clv_model_covariance"));
    scrm_clv_model_free(m);
}

Test(clv, bgnbd_point_values_at_published_params)
{
    scrm_clv_model *m;
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, bg_pub, 4), SCRM_OK);
    double x = 2, tx = 30.43, T = 38.86, out[6];
    size_t len;
    scrm_clv_data c = SCRM_CLV_DATA_INIT;
    c.n = 1;
    c.frequency = &x;
    c.recency = &tx;
    c.age = &T;
    cr_assert_eq(scrm_clv_conditional_expected_purchases(m, 39, &c, out, 6, &len), SCRM_OK);
    cr_assert_eq(len, 1);
    expect_near(out[0], 1.226, 5e-4, "E[Y(39) | 2, 30.43, 38.86]");

    double t[2] = {39, 2}, n[2] = {0, 10};
    cr_assert_eq(scrm_clv_probability_purchases(m, t, n, 2, out, 6, &len), SCRM_OK);
    expect_near(out[0], 0.5737864, 1e-7, "P(X(39) = 0)");
    expect_near(out[1], 1.07869e-07, 1e-12, "P(X(2) = 10)");

    scrm_clv_model_free(m);
    /* The unconditional expectations of REFERENCE.md are those of the full
     * precision fit (lifetimes' test values); they are printed to 4 decimals
     * and agree to 3e-4 relative. */
    scrm_clv_data d = cdnow();
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, NULL), SCRM_OK);
    double ts[6] = {0.1429, 1, 3, 31.8571, 32, 78};
    const double ex[6] = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
    cr_assert_eq(scrm_clv_expected_purchases(m, ts, 6, out, 6, &len), SCRM_OK);
    for (int i = 0; i < 6; i++)
        expect_near(out[i], ex[i], fmax(5e-5, 3e-4 * ex[i]), "E[X(t)]");
    scrm_clv_model_free(m);
}

Test(clv, bgnbd_pmf_sums_to_one_and_mean_matches)
{
    scrm_clv_model *m;
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, bg_pub, 4), SCRM_OK);
    double t[400], n[400], p[400], e;
    size_t len;
    for (int i = 0; i < 400; i++) {
        t[i] = 52;
        n[i] = i;
    }
    cr_assert_eq(scrm_clv_probability_purchases(m, t, n, 400, p, 400, &len), SCRM_OK);
    double s = 0, mean = 0;
    for (int i = 0; i < 400; i++) {
        s += p[i];
        mean += i * p[i];
    }
    expect_near(s, 1.0, 1e-10, "sum P(X(52) = n)");
    cr_assert_eq(scrm_clv_expected_purchases(m, t, 1, &e, 1, &len), SCRM_OK);
    expect_near(mean, e, 1e-8, "mean of pmf vs E[X(52)]");
    scrm_clv_model_free(m);
}

/* Conditional expectation and P(alive) against a direct numerical integral
 * over the posterior (an independent formula), for the edge cases. */
static double bg_cond_by_quadrature(const double *p, double t, double x, double tx, double T)
{
    double r = p[0], al = p[1], a = p[2], b = p[3];
    /* alive customer: lambda ~ Gamma(r+x, al+T), p ~ Beta(a, b+x); E = int (1 - (1 + p t/(al+T))^-(r+x)) / p */
    int N = 200000;
    double s = 0, norm = 0;
    for (int i = 0; i < N; i++) {
        double q = (i + 0.5) / N;
        double wgt = pow(q, a - 1) * pow(1 - q, b + x - 1);
        s += wgt * (1 - pow(1 + q * t / (al + T), -(r + x))) / q;
        norm += wgt;
    }
    double num = s / norm;
    double palive = x > 0 ? 1 / (1 + a / (b + x - 1) * pow((al + T) / (al + tx), r + x)) : 1.0;
    return num * palive;
}

Test(clv, bgnbd_edge_cases_no_nan)
{
    const double ps[][4] = {{0.243, 4.414, 0.793, 2.426},
                            {0.243, 4.414, 1.0, 2.426},      /* a = 1: removable 0/0 */
                            {0.5, 2.0, 0.3, 0.4},            /* a + b < 1 */
                            {0.5, 2.0, 1.2, 0.3},
                            {2.0, 0.01, 3.0, 5.0}};
    const double cust[][3] = {{0, 0, 38.86}, {0, 0, 0}, {3, 10, 10}, {1, 0.5, 20},
                              {2500, 37, 38.86}, {5000, 1, 38.86}};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        scrm_clv_model *m;
        cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, ps[i], 4), SCRM_OK);
        for (size_t j = 0; j < sizeof cust / sizeof cust[0]; j++) {
            double x = cust[j][0], tx = cust[j][1], T = cust[j][2], e, pa;
            size_t len;
            scrm_clv_data c = SCRM_CLV_DATA_INIT;
            c.n = 1;
            c.frequency = &x;
            c.recency = &tx;
            c.age = &T;
            cr_assert_eq(scrm_clv_conditional_expected_purchases(m, 52, &c, &e, 1, &len), SCRM_OK,
                         "%s", scrm_last_error_message());
            cr_assert_eq(scrm_clv_probability_alive(m, &c, &pa, 1, &len), SCRM_OK);
            cr_assert(isfinite(e) && e >= 0 && pa >= 0 && pa <= 1, "params %zu cust %zu: %g %g", i, j, e, pa);
            if (x < 100 && ps[i][2] >= 1 && ps[i][3] + x >= 1) {
                double q = bg_cond_by_quadrature(ps[i], 52, x, tx, T);
                cr_expect(fabs(e - q) <= 1e-4 * (1 + q), "params %zu cust %zu: %.10g vs quad %.10g", i, j, e, q);
            }
        }
        double t[3] = {0, 52, 5000}, e[3];
        size_t len;
        cr_assert_eq(scrm_clv_expected_purchases(m, t, 3, e, 3, &len), SCRM_OK, "%s",
                     scrm_last_error_message());
        cr_assert_eq(e[0], 0.0);
        cr_assert(isfinite(e[1]) && isfinite(e[2]) && e[2] > e[1] && e[1] > 0);
        scrm_clv_model_free(m);
    }
}

/* a = 1 is a removable singularity: the value is continuous across it. */
Test(clv, bgnbd_continuous_at_a_equal_1)
{
    double lo[4] = {0.3, 3, 1 - 1e-7, 2}, mid[4] = {0.3, 3, 1, 2}, hi[4] = {0.3, 3, 1 + 1e-7, 2};
    double t[2] = {10, 500}, e0[2], e1[2], e2[2];
    size_t len;
    scrm_clv_model *m0, *m1, *m2;
    cr_assert_eq(scrm_clv_model_new(&m0, SCRM_CLV_BGNBD, lo, 4), SCRM_OK);
    cr_assert_eq(scrm_clv_model_new(&m1, SCRM_CLV_BGNBD, mid, 4), SCRM_OK);
    cr_assert_eq(scrm_clv_model_new(&m2, SCRM_CLV_BGNBD, hi, 4), SCRM_OK);
    cr_assert_eq(scrm_clv_expected_purchases(m0, t, 2, e0, 2, &len), SCRM_OK);
    cr_assert_eq(scrm_clv_expected_purchases(m1, t, 2, e1, 2, &len), SCRM_OK);
    cr_assert_eq(scrm_clv_expected_purchases(m2, t, 2, e2, 2, &len), SCRM_OK);
    for (int i = 0; i < 2; i++) {
        expect_near(e1[i], e0[i], 1e-6 * e1[i], "left");
        expect_near(e1[i], e2[i], 1e-6 * e1[i], "right");
    }
    scrm_clv_model_free(m0);
    scrm_clv_model_free(m1);
    scrm_clv_model_free(m2);
}

/* ---- weights ---- */

static int cmp_row(const void *a, const void *b)
{
    return memcmp(a, b, 3 * sizeof(double));
}

Test(clv, collapsing_rows_into_weights_gives_the_same_fit)
{
    double (*rows)[3] = malloc(sizeof(double[3]) * CDNOW_N);
    for (int i = 0; i < CDNOW_N; i++) {
        rows[i][0] = cx[i];
        rows[i][1] = ctx[i];
        rows[i][2] = cT[i];
    }
    qsort(rows, CDNOW_N, sizeof rows[0], cmp_row);
    static double ux[CDNOW_N], utx[CDNOW_N], uT[CDNOW_N], uw[CDNOW_N];
    size_t u = 0;
    for (int i = 0; i < CDNOW_N; i++) {
        if (u > 0 && memcmp(rows[i], (double[3]){ux[u - 1], utx[u - 1], uT[u - 1]}, sizeof rows[i]) == 0) {
            uw[u - 1] += 1;
            continue;
        }
        ux[u] = rows[i][0];
        utx[u] = rows[i][1];
        uT[u] = rows[i][2];
        uw[u] = 1;
        u++;
    }
    free(rows);
    cr_assert(u < CDNOW_N);
    scrm_clv_data d = cdnow(), dw = SCRM_CLV_DATA_INIT;
    dw.n = u;
    dw.frequency = ux;
    dw.recency = utx;
    dw.age = uT;
    dw.weights = uw;
    for (int32_t kind = SCRM_CLV_BGNBD; kind <= SCRM_CLV_MBGNBD; kind++) {
        scrm_clv_model *m1, *m2;
        scrm_clv_fit_result r1, r2;
        cr_assert_eq(scrm_clv_model_fit(&m1, kind, &d, NULL, &r1), SCRM_OK);
        cr_assert_eq(scrm_clv_model_fit(&m2, kind, &dw, NULL, &r2), SCRM_OK);
        cr_assert_eq(r1.n_rows, r2.n_rows);
        for (int i = 0; i < 4; i++) {
            expect_near(r2.params[i], r1.params[i], 1e-6 * r1.params[i], "weighted param");
            expect_near(r2.std_errors[i], r1.std_errors[i], 1e-4 * r1.std_errors[i], "weighted se");
        }
        expect_near(r2.log_likelihood, r1.log_likelihood, 1e-8, "weighted LL");
        scrm_clv_model_free(m1);
        scrm_clv_model_free(m2);
    }
}

/* ---- simulation recovery ---- */

static uint64_t sm_state;
static uint64_t splitmix(void)
{
    uint64_t z = (sm_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double unif(void) { return ((splitmix() >> 11) + 0.5) * 0x1.0p-53; }
static double std_normal(void)
{
    double u = unif(), v = unif();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}
/* Marsaglia-Tsang gamma(shape, 1). */
static double gamma_draw(double k)
{
    if (k < 1)
        return gamma_draw(k + 1) * pow(unif(), 1 / k);
    double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double z = std_normal(), v = 1 + c * z;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = unif();
        if (log(u) < 0.5 * z * z + d - d * v + d * log(v))
            return d * v;
    }
}

/* One BG/NBD customer observed for T: returns x, t_x. */
static void bg_customer(const double *p, double T, double *x, double *tx)
{
    double lambda = gamma_draw(p[0]) / p[1];
    double g1 = gamma_draw(p[2]), g2 = gamma_draw(p[3]);
    double pdrop = g1 / (g1 + g2);
    double t = 0;
    *x = 0;
    *tx = 0;
    for (;;) {
        t += -log(unif()) / lambda;
        if (t > T)
            break;
        *x += 1;
        *tx = t;
        if (unif() < pdrop)
            break;
    }
}

Test(clv, bgnbd_simulation_recovers_parameters, .timeout = 120)
{
    const double truth[4] = {0.5, 6.0, 0.8, 2.5};
    enum { N = 200000 };
    double *x = malloc(N * sizeof(double)), *tx = malloc(N * sizeof(double)),
           *T = malloc(N * sizeof(double));
    sm_state = 20240601;
    for (int i = 0; i < N; i++) {
        T[i] = 26 + 13 * unif();
        bg_customer(truth, T[i], &x[i], &tx[i]);
    }
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = N;
    d.frequency = x;
    d.recency = tx;
    d.age = T;
    scrm_clv_model *m;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    for (int i = 0; i < 4; i++)
        cr_expect(fabs(r.params[i] - truth[i]) <= 3 * r.std_errors[i],
                  "param %d: %g vs truth %g (se %g)", i, r.params[i], truth[i], r.std_errors[i]);
    scrm_clv_model_free(m);
    free(x);
    free(tx);
    free(T);
}

/* ---- bad input ---- */

static int fit1(double x, double tx, double T, double w)
{
    double xs[2] = {1, x}, txs[2] = {5, tx}, Ts[2] = {20, T}, ws[2] = {1, w};
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = 2;
    d.frequency = xs;
    d.recency = txs;
    d.age = Ts;
    d.weights = ws;
    scrm_clv_model *m = (scrm_clv_model *)1;
    int st = scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, NULL);
    if (st != SCRM_OK)
        cr_assert_null(m);
    scrm_clv_model_free(m);
    return st;
}

Test(clv, bad_input_is_a_status)
{
    cr_assert_eq(fit1(1, -1, 10, 1), SCRM_EINVAL);       /* negative recency */
    cr_assert(strstr(scrm_last_error_message(), "row 1"), "%s", scrm_last_error_message());
    cr_assert_eq(fit1(1, 11, 10, 1), SCRM_EINVAL);       /* t_x > T */
    cr_assert_eq(fit1(NAN, 1, 10, 1), SCRM_EINVAL);
    cr_assert_eq(fit1(1, NAN, 10, 1), SCRM_EINVAL);
    cr_assert_eq(fit1(1, 1, INFINITY, 1), SCRM_EINVAL);
    cr_assert_eq(fit1(1.5, 1, 10, 1), SCRM_EINVAL);      /* non-integer frequency */
    cr_assert_eq(fit1(-1, 0, 10, 1), SCRM_EINVAL);
    cr_assert_eq(fit1(0, 3, 10, 1), SCRM_EINVAL);        /* recency without purchases */
    cr_assert_eq(fit1(1, 1, 10, -1), SCRM_EINVAL);       /* negative weight */
    cr_assert_eq(fit1(1, 1, 10, NAN), SCRM_EINVAL);

    scrm_clv_data d = cdnow();
    scrm_clv_model *m;
    d.n = 0;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, NULL), SCRM_ENODATA);
    d = cdnow();
    d.recency = NULL;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, NULL), SCRM_EINVAL);
    d = cdnow();
    d.version = 99;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, NULL), SCRM_EVERSION);
    d = cdnow();
    cr_assert_eq(scrm_clv_model_fit(NULL, SCRM_CLV_BGNBD, &d, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, NULL, NULL, NULL), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_model_fit(&m, 99, &d, NULL, NULL), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "not available"));
    cr_assert_eq(scrm_clv_model_fit(&m, 0 /* not a kind */, &d, NULL, NULL), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "not available"));

    scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
    o.tolerance = -1;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, NULL), SCRM_EINVAL);
    o = (scrm_clv_fit_options)SCRM_CLV_FIT_OPTIONS_INIT;
    o.max_iterations = 0;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, NULL), SCRM_EINVAL);
    o = (scrm_clv_fit_options)SCRM_CLV_FIT_OPTIONS_INIT;
    o.version = 0;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, NULL), SCRM_EVERSION);
    cr_assert_eq(scrm_clv_fit_options_init(&o, 2), SCRM_EVERSION);
    cr_assert_eq(scrm_clv_fit_options_init(NULL, 1), SCRM_EINVAL);
    double bad_start[4] = {1, -1, 1, 1};
    o = (scrm_clv_fit_options)SCRM_CLV_FIT_OPTIONS_INIT;
    o.initial_params = bad_start;
    o.n_initial_params = 4;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, NULL), SCRM_EINVAL);

    const double p[4] = {1, 1, 1, 1}, pbad[4] = {1, 0, 1, 1};
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, pbad, 4), SCRM_EINVAL);
    cr_assert_null(m);
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, p, 3), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_model_new(&m, 0 /* not a kind */, p, 4), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, p, 4), SCRM_OK);
    double out[2], t[2] = {1, -1}, nn[2] = {0, 0.5};
    size_t len;
    cr_assert_eq(scrm_clv_expected_purchases(m, t, 2, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_expected_purchases(m, t, 2, out, 1, &len), SCRM_EBUFS);
    cr_assert_eq(len, 2);
    cr_assert_eq(scrm_clv_expected_purchases(m, t, 2, NULL, 0, &len), SCRM_EBUFS);
    t[1] = 1;
    cr_assert_eq(scrm_clv_probability_purchases(m, t, nn, 2, out, 2, &len), SCRM_EINVAL);
    scrm_clv_data c = cdnow();
    c.n = 2;
    cr_assert_eq(scrm_clv_conditional_expected_purchases(m, -1, &c, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_conditional_expected_purchases(m, NAN, &c, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_expected_spend(m, &c, out, 2, &len), SCRM_EINVAL);
    cr_assert(strstr(scrm_last_error_message(), "not available"));
    double badtx[2] = {50, 0};
    c.recency = badtx;
    cr_assert_eq(scrm_clv_probability_alive(m, &c, out, 2, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_probability_alive(NULL, &c, out, 2, &len), SCRM_EINVAL);
    scrm_clv_model_free(m);
    scrm_clv_model_free(NULL);
    cr_assert_null(scrm_clv_kind_name(0));
    cr_assert_str_eq(scrm_clv_kind_name(SCRM_CLV_BGNBD), "BG/NBD");
    cr_assert_eq(scrm_clv_kind_param_count(SCRM_CLV_BGNBD), 4);
    cr_assert_eq(scrm_clv_kind_param_count(77), 0);
    cr_assert_null(scrm_clv_kind_param_name(SCRM_CLV_BGNBD, 4));
}

Test(clv, edge_case_data_fits_without_nan)
{
    /* Nobody repeats except one; a newborn customer (T = 0); a heavy buyer. */
    double x[5] = {0, 0, 0, 1, 3000}, tx[5] = {0, 0, 0, 5, 38}, T[5] = {30, 0, 10, 20, 39};
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = 5;
    d.frequency = x;
    d.recency = tx;
    d.age = T;
    scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
    o.max_iterations = 200;
    for (int32_t kind = SCRM_CLV_BGNBD; kind <= SCRM_CLV_MBGNBD; kind++) {
        scrm_clv_model *m;
        scrm_clv_fit_result r;
        int st = scrm_clv_model_fit(&m, kind, &d, &o, &r);
        cr_assert(st == SCRM_OK || st == SCRM_EMAXITER || st == SCRM_ELOSS, "status %d: %s", st,
                  scrm_last_error_message());
        cr_assert(isfinite(r.log_likelihood));
        for (int i = 0; i < 4; i++)
            cr_assert(isfinite(r.params[i]) && r.params[i] > 0);
        cr_assert(isfinite(r.gradient_norm));
        scrm_clv_model_free(m);
    }
}

Test(clv, max_iter_1_reports_emaxiter_with_a_point)
{
    scrm_clv_data d = cdnow();
    scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
    o.max_iterations = 1;
    scrm_clv_model *m = (scrm_clv_model *)1;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, &r), SCRM_EMAXITER);
    cr_assert_null(m);
    cr_assert_eq(r.status, SCRM_EMAXITER);
    cr_assert_eq(r.converged, 0);
    cr_assert_eq(r.iterations, 1);
    for (int i = 0; i < 4; i++)
        cr_assert(isfinite(r.params[i]) && r.params[i] > 0);
    cr_assert(isfinite(r.log_likelihood) && r.log_likelihood < -9582.4);
    /* The best point can still become a model. */
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_BGNBD, r.params, r.n_params), SCRM_OK);
    scrm_clv_model_free(m);
}

static int calls;
static int count_progress(void *user, uint32_t it, double ll, double g, const double *p, size_t n)
{
    (void)it, (void)ll, (void)g;
    cr_assert_eq(user, &calls);
    cr_assert_eq(n, 4);
    cr_assert(p[0] > 0);
    calls++;
    return calls >= 5;
}

Test(clv, progress_callback_and_initial_params)
{
    scrm_clv_data d = cdnow();
    scrm_clv_fit_options o = SCRM_CLV_FIT_OPTIONS_INIT;
    o.progress = count_progress;
    o.progress_user_data = &calls;
    scrm_clv_model *m;
    scrm_clv_fit_result r;
    calls = 0;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, &r), SCRM_EMAXITER);
    cr_assert_eq(calls, 5);
    o.progress = NULL;
    o.initial_params = bg_pub;
    o.n_initial_params = 4;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, &r), SCRM_OK);
    cr_assert(r.iterations < 25, "iterations from a good start: %u", r.iterations);
    expect_near(r.log_likelihood, -9582.4, 0.05, "LL");
    scrm_clv_model_free(m);
    /* A penalizer pulls the parameters in, as lifetimes' (0.11) penalizer_coef:
     * c * (r^2 + (alpha / max T)^2 + a^2 + b^2) on the mean negative
     * log-likelihood. The optimum of lifetimes' objective at c = 0.1 (scipy BFGS,
     * tol 1e-12): r 0.230947, alpha 4.219289, a 0.128655, b 0.267127. */
    o.initial_params = NULL;
    o.penalizer = 0.1;
    o.tolerance = 1e-9;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, &o, &r), SCRM_OK);
    cr_assert(r.log_likelihood < -9582.5);
    const double pen_want[4] = {0.23094707, 4.21928862, 0.12865469, 0.2671268};
    for (int i = 0; i < 4; i++)
        expect_near(r.params[i], pen_want[i], 2e-5 * pen_want[i], "penalised parameter");
    scrm_clv_model_free(m);
}

/* ---- save / restore ---- */

Test(clv, save_restore_round_trip_and_corruption)
{
    scrm_clv_data d = cdnow();
    scrm_clv_model *m, *m2;
    scrm_clv_fit_result r, r2;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_BGNBD, &d, NULL, &r), SCRM_OK);
    size_t need;
    cr_assert_eq(scrm_clv_model_serialize(m, NULL, 0, &need), SCRM_EBUFS);
    uint8_t *buf = malloc(need);
    size_t len;
    cr_assert_eq(scrm_clv_model_serialize(m, buf, need - 1, &len), SCRM_EBUFS);
    cr_assert_eq(scrm_clv_model_serialize(m, buf, need, &len), SCRM_OK);
    cr_assert_eq(len, need);
    cr_assert_eq(scrm_clv_model_deserialize(&m2, buf, len), SCRM_OK);
    cr_assert_eq(scrm_clv_model_info(m2, &r2), SCRM_OK);
    cr_assert_eq(memcmp(&r, &r2, sizeof r), 0);
    double t = 39, e1, e2;
    size_t n;
    cr_assert_eq(scrm_clv_expected_purchases(m2, &t, 1, &e2, 1, &n), SCRM_OK);
    cr_assert_eq(scrm_clv_expected_purchases(m, &t, 1, &e1, 1, &n), SCRM_OK);
    cr_assert_eq(e1, e2);
    scrm_clv_model_free(m2);
    for (size_t k = 0; k < len; k++) {
        m2 = (scrm_clv_model *)1;
        cr_assert_eq(scrm_clv_model_deserialize(&m2, buf, k), SCRM_ECORRUPT, "truncated to %zu", k);
        cr_assert_null(m2);
    }
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            int st = scrm_clv_model_deserialize(&m2, buf, len);
            cr_assert(st == SCRM_ECORRUPT || st == SCRM_EVERSION, "flip %zu:%d gave %d", i, bit, st);
            cr_assert_null(m2);
            buf[i] ^= (uint8_t)(1u << bit);
        }
    cr_assert_eq(scrm_clv_model_deserialize(&m2, NULL, len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_model_serialize(NULL, buf, len, &n), SCRM_EINVAL);
    free(buf);
    scrm_clv_model_free(m);
}

/* ---- MBG/NBD ---- */

Test(clv, mbgnbd_cdnow_fit_matches_lifetimes)
{
    /* lifetimes' ModifiedBetaGeoFitter on this file: r 0.525, alpha 6.183, a 0.891, b 1.614. */
    scrm_clv_data d = cdnow();
    scrm_clv_model *m;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_MBGNBD, &d, NULL, &r), SCRM_OK);
    const double want[4] = {0.525, 6.183, 0.891, 1.614};
    for (int i = 0; i < 4; i++)
        expect_near(r.params[i], want[i], 1e-3, "MBG param");
    /* P(alive) < 1 even without repeat purchases; pmf sums to one. */
    double x = 0, tx = 0, T = 30, pa, tt[300], nn[300], pp[300];
    size_t len;
    scrm_clv_data c = SCRM_CLV_DATA_INIT;
    c.n = 1;
    c.frequency = &x;
    c.recency = &tx;
    c.age = &T;
    cr_assert_eq(scrm_clv_probability_alive(m, &c, &pa, 1, &len), SCRM_OK);
    cr_assert(pa > 0 && pa < 1);
    for (int i = 0; i < 300; i++) {
        tt[i] = 39;
        nn[i] = i;
    }
    cr_assert_eq(scrm_clv_probability_purchases(m, tt, nn, 300, pp, 300, &len), SCRM_OK);
    double s = 0, mean = 0, e;
    for (int i = 0; i < 300; i++) {
        s += pp[i];
        mean += i * pp[i];
    }
    expect_near(s, 1, 1e-10, "MBG pmf sum");
    cr_assert_eq(scrm_clv_expected_purchases(m, tt, 1, &e, 1, &len), SCRM_OK);
    expect_near(mean, e, 1e-8, "MBG mean");
    scrm_clv_model_free(m);
}

/* ---- Gamma-Gamma and customer value ---- */

static size_t repeat_buyers(double *gx, double *gm)
{
    size_t g = 0;
    for (int i = 0; i < CDNOW_N; i++)
        if (cx[i] > 0) {
            gx[g] = cx[i];
            gm[g] = cm[i];
            g++;
        }
    return g;
}

Test(clv, gamma_gamma_cdnow_reproduces_fhl2005)
{
    static double gx[CDNOW_N], gm[CDNOW_N];
    size_t g = repeat_buyers(gx, gm);
    cr_assert_eq(g, 946);
    scrm_clv_data d = SCRM_CLV_DATA_INIT;
    d.n = g;
    d.frequency = gx;
    d.monetary = gm;
    scrm_clv_model *m;
    scrm_clv_fit_result r;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_GAMMA_GAMMA, &d, NULL, &r), SCRM_OK, "%s",
                 scrm_last_error_message());
    expect_near(r.params[0], 6.25, 5e-3, "p");
    expect_near(r.params[1], 3.74, 5e-3, "q");
    expect_near(r.params[2], 15.44, 1e-2, "v");
    expect_near(r.log_likelihood, -4055.92, 0.05, "GG LL");
    /* E[M | x, mbar] of the first 10 customers (REFERENCE.md; at the full
     * precision fit, printed to cents). */
    const double want[10] = {24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17};
    scrm_clv_data c = cdnow();
    c.n = 10;
    double out[10];
    size_t len;
    cr_assert_eq(scrm_clv_expected_spend(m, &c, out, 10, &len), SCRM_OK);
    for (int i = 0; i < 10; i++)
        expect_near(out[i], want[i] + 0.005, 0.0051, "E[M] (printed truncated to cents)");
    scrm_clv_model_free(m); /* before the failing fit below sets m = NULL */
    /* x = 0 customers may not enter a fit */
    d.n = 1;
    double zero = 0;
    d.frequency = &zero;
    cr_assert_eq(scrm_clv_model_fit(&m, SCRM_CLV_GAMMA_GAMMA, &d, NULL, NULL), SCRM_EINVAL);
    cr_assert_null(m);
    /* q <= 1: no finite mean */
    double pq[3] = {2, 0.9, 10};
    cr_assert_eq(scrm_clv_model_new(&m, SCRM_CLV_GAMMA_GAMMA, pq, 3), SCRM_OK);
    cr_assert_eq(scrm_clv_expected_spend(m, &c, out, 10, &len), SCRM_EDOM);
    cr_assert_eq(scrm_clv_expected_purchases(m, pq, 1, out, 10, &len), SCRM_EINVAL);
    scrm_clv_model_free(m);
}

Test(clv, customer_value_agrees_with_lifetimes)
{
    /* lifetimes' documentation: GammaGammaFitter.customer_lifetime_value(bgf, ...,
     * time=12, discount_rate=0.01) with both models fitted on this file, default
     * freq "D": 140.096211, 18.943467, 38.180574 (customers 1, 2, 3). */
    static double gx[CDNOW_N], gm[CDNOW_N];
    size_t g = repeat_buyers(gx, gm);
    scrm_clv_data dg = SCRM_CLV_DATA_INIT, d = cdnow();
    dg.n = g;
    dg.frequency = gx;
    dg.monetary = gm;
    scrm_clv_model *gg, *bg;
    cr_assert_eq(scrm_clv_model_fit(&gg, SCRM_CLV_GAMMA_GAMMA, &dg, NULL, NULL), SCRM_OK);
    cr_assert_eq(scrm_clv_model_fit(&bg, SCRM_CLV_BGNBD, &d, NULL, NULL), SCRM_OK);
    static double out[CDNOW_N];
    size_t len;
    cr_assert_eq(scrm_clv_customer_value(bg, gg, &d, NULL, out, CDNOW_N, &len), SCRM_OK);
    expect_near(out[0], 140.096211, 1e-4, "CLV 1");
    expect_near(out[1], 18.943467, 1e-4, "CLV 2");
    expect_near(out[2], 38.180574, 1e-4, "CLV 3");
    /* Independent check of the discounting from the public predictions. */
    scrm_clv_value_options o = SCRM_CLV_VALUE_OPTIONS_INIT;
    o.months = 6;
    o.discount_rate = 0.02;
    o.units_per_month = SCRM_CLV_UNITS_PER_MONTH_WEEKS;
    o.margin = 0.3;
    scrm_clv_data one = d;
    one.n = 1;
    double v, M, e[7] = {0};
    cr_assert_eq(scrm_clv_customer_value(bg, gg, &one, &o, &v, 1, &len), SCRM_OK);
    cr_assert_eq(scrm_clv_expected_spend(gg, &one, &M, 1, &len), SCRM_OK);
    double want = 0;
    for (int k = 1; k <= 6; k++) {
        cr_assert_eq(scrm_clv_conditional_expected_purchases(bg, 4.345 * k, &one, &e[k], 1, &len),
                     SCRM_OK);
        want += 0.3 * M * (e[k] - e[k - 1]) / pow(1.02, k);
    }
    expect_near(v, want, 1e-12 * want, "discounting");
    /* Without a spend model the customer's own monetary value is used. */
    double v2;
    cr_assert_eq(scrm_clv_customer_value(bg, NULL, &one, &o, &v2, 1, &len), SCRM_OK);
    expect_near(v2, want / M * cm[0], 1e-12 * v2, "no spend model");
    /* Bad options and kinds. */
    o.discount_rate = -1;
    cr_assert_eq(scrm_clv_customer_value(bg, gg, &one, &o, &v, 1, &len), SCRM_EINVAL);
    o = (scrm_clv_value_options)SCRM_CLV_VALUE_OPTIONS_INIT;
    o.months = 0;
    cr_assert_eq(scrm_clv_customer_value(bg, gg, &one, &o, &v, 1, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_customer_value(gg, bg, &one, NULL, &v, 1, &len), SCRM_EINVAL);
    cr_assert_eq(scrm_clv_value_options_init(&o, 3), SCRM_EVERSION);
    scrm_clv_data nomoney = one;
    nomoney.monetary = NULL;
    cr_assert_eq(scrm_clv_customer_value(bg, gg, &nomoney, NULL, &v, 1, &len), SCRM_EINVAL);
    scrm_clv_model_free(gg);
    scrm_clv_model_free(bg);
}
