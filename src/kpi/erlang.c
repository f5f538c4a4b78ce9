/* Erlang B and C, and staffing by Erlang C (M/M/N, no abandonment).
 *
 * Erlang B by the recursion B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)): no
 * factorials or powers, and each step damps the relative error of the last
 * (d log B(k) / d log B(k-1) = k / (k + A B(k-1)) < 1), so any N is accurate to
 * a few ulp. Erlang C from it: C = N B / (N - A (1 - B)). Where B underflows
 * the same recursion runs on L = log(1/B):
 * L(k) = log(1 + exp(L(k-1)) k / A), evaluated as x + log1p(exp(-x)). */
#include "core/internal.h"

#include <math.h>

/* Below this B the double recursion has lost (or will lose) digits to
 * underflow: switch to the log-space recursion for ln P_w. */
#define B_TINY 1e-280

static double erlang_b_rec(double a, uint32_t n)
{
    double b = 1.0;
    for (uint32_t k = 1; k <= n; k++) {
        double ab = a * b;
        b = ab / ((double)k + ab);
    }
    return b;
}

/* One step of the log-space recursion: log(1/B(A, k)) from log(1/B(A, k-1)). */
static double log_inv_step(double l, uint32_t k, double log_a)
{
    double x = l + log((double)k) - log_a;
    return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* log(1/B(A, N)); +inf for A = 0 and N >= 1. */
static double erlang_b_log_inv(double a, uint32_t n)
{
    if (n == 0)
        return 0.0;
    if (a == 0.0)
        return (double)INFINITY;
    double l = 0.0, log_a = log(a);
    for (uint32_t k = 1; k <= n; k++)
        l = log_inv_step(l, k, log_a);
    return l;
}

SCRM_API int scrm_erlang_b(double traffic, uint32_t agents, double *out)
{
    if (!out)
        return scrm__error(SCRM_EINVAL, "scrm_erlang_b: 'out' is NULL");
    if (!(traffic >= 0) || isinf(traffic))
        return scrm__error(SCRM_EDOM, "scrm_erlang_b: traffic %g must be finite and >= 0", traffic);
    *out = erlang_b_rec(traffic, agents);
    return SCRM_OK;
}

/* Metrics of N > A agents given B = B(A, N). Where B is tiny, log(1/B) is
 * needed: *log_inv if given (a caller stepping N carries it along, so the
 * staffing search stays linear in N), else computed here in O(N). */
static void metrics(double a, uint32_t n, double aht, double t, double b, const double *log_inv,
                    scrm_erlang_result *r)
{
    double dn = (double)n, gap = dn - a;
    double denom = gap + a * b; /* N - A (1 - B) > 0 */
    double c = dn * b / denom;
    if (c > 1.0)
        c = 1.0;
    r->offered_load = a;
    r->agents = n;
    if (b > B_TINY) {
        r->log_wait_probability = log(c);
    } else { /* ln C = ln N - ln(1/B) - ln(N - A + A B); C from it, not from a subnormal B */
        r->log_wait_probability =
            log(dn) - (log_inv ? *log_inv : erlang_b_log_inv(a, n)) - log(denom);
        c = exp(r->log_wait_probability);
    }
    r->wait_probability = c;
    r->service_level = 1.0 - c * exp(-gap * t / aht);
    r->asa = c * aht / gap;
    r->mean_wait_delayed = aht / gap;
    r->occupancy = a / dn;
}

static void unstable(double a, uint32_t n, scrm_erlang_result *r)
{
    r->offered_load = a;
    r->agents = n;
    r->wait_probability = 1.0;
    r->log_wait_probability = 0.0;
    r->service_level = 0.0;
    r->asa = (double)INFINITY;
    r->mean_wait_delayed = (double)INFINITY;
    r->occupancy = 1.0;
}

/* Shared checks of the queue inputs; *a receives the offered load. */
static int check_queue(double rate, double aht, double t, double *a, const char *fn)
{
    if (!(rate >= 0) || isinf(rate))
        return scrm__error(SCRM_EDOM, "%s: arrival_rate %g must be finite and >= 0", fn, rate);
    if (!(aht > 0) || isinf(aht))
        return scrm__error(SCRM_EDOM, "%s: aht %g must be finite and > 0", fn, aht);
    if (!(t >= 0) || isinf(t))
        return scrm__error(SCRM_EDOM, "%s: target_time %g must be finite and >= 0", fn, t);
    *a = rate * aht;
    if (isinf(*a))
        return scrm__error(SCRM_EDOM, "%s: offered load %g x %g overflows", fn, rate, aht);
    return SCRM_OK;
}

SCRM_API int scrm_erlang_c(double arrival_rate, double aht, uint32_t agents, double target_time,
                           scrm_erlang_result *out)
{
    if (!out)
        return scrm__error(SCRM_EINVAL, "scrm_erlang_c: 'out' is NULL");
    double a;
    int st = check_queue(arrival_rate, aht, target_time, &a, "scrm_erlang_c");
    if (st != SCRM_OK)
        return st;
    if (agents == 0)
        return scrm__error(SCRM_EDOM, "scrm_erlang_c: agents must be >= 1");
    if (a >= (double)agents) {
        unstable(a, agents, out);
        return scrm__error(SCRM_EDOM,
                           "scrm_erlang_c: unstable queue: offered load A = %g Erlangs >= %u agents",
                           a, (unsigned)agents);
    }
    metrics(a, agents, aht, target_time, erlang_b_rec(a, agents), NULL, out);
    return SCRM_OK;
}

SCRM_API int scrm_staffing_options_init(scrm_staffing_options *opts, unsigned int version)
{
    if (!opts)
        return scrm__error(SCRM_EINVAL, "scrm_staffing_options_init: 'opts' is NULL");
    int st = scrm__check_version(version, SCRM_STAFFING_OPTIONS_VERSION, "scrm_staffing_options");
    if (st != SCRM_OK)
        return st;
    scrm_staffing_options d = SCRM_STAFFING_OPTIONS_INIT;
    *opts = d;
    return SCRM_OK;
}

#define DEFAULT_MAX_AGENTS 10000000u

SCRM_API int scrm_erlang_staffing(double arrival_rate, double aht, double target_time,
                                  double service_level, const scrm_staffing_options *opts,
                                  scrm_staffing_result *out)
{
    static const char fn[] = "scrm_erlang_staffing";
    if (!out)
        return scrm__error(SCRM_EINVAL, "%s: 'out' is NULL", fn);
    scrm_staffing_options o = SCRM_STAFFING_OPTIONS_INIT;
    if (opts) {
        int st = scrm__check_version(opts->version, SCRM_STAFFING_OPTIONS_VERSION,
                                     "scrm_staffing_options");
        if (st != SCRM_OK)
            return st;
        o = *opts;
    }
    if (!(o.max_occupancy > 0 && o.max_occupancy <= 1))
        return scrm__error(SCRM_EINVAL, "%s: max_occupancy %g must be in (0, 1]", fn,
                           o.max_occupancy);
    if (!(o.shrinkage >= 0 && o.shrinkage < 1))
        return scrm__error(SCRM_EINVAL, "%s: shrinkage %g must be in [0, 1)", fn, o.shrinkage);
    uint32_t max_agents = o.max_agents ? o.max_agents : DEFAULT_MAX_AGENTS;
    double a;
    int st = check_queue(arrival_rate, aht, target_time, &a, fn);
    if (st != SCRM_OK)
        return st;
    if (!(service_level >= 0 && service_level < 1))
        return scrm__error(SCRM_EDOM, "%s: service_level %g must be in [0, 1)", fn, service_level);
    if (!(a < (double)max_agents))
        return scrm__error(SCRM_ELIMIT, "%s: offered load %g Erlangs needs more than max_agents = %u",
                           fn, a, (unsigned)max_agents);
    /* Occupancy A / N <= max_occupancy needs N >= A / max_occupancy: refuse
     * at once what no N up to max_agents can meet (a tiny max_occupancy would
     * otherwise walk N all the way to max_agents). */
    if (a / (double)max_agents > o.max_occupancy)
        return scrm__error(SCRM_ELIMIT,
                           "%s: occupancy <= %g needs more than max_agents = %u agents for %g "
                           "Erlangs",
                           fn, o.max_occupancy, (unsigned)max_agents, a);
    /* The service level increases with N (and occupancy falls), so the first
     * N that meets both targets is the answer. B(A, N), and log(1/B) once B
     * is tiny, are carried along with exactly the operations scrm_erlang_c()
     * performs, so the result is the same to the bit. */
    uint32_t n = (uint32_t)floor(a) + 1u;
    double b = erlang_b_rec(a, n);
    double log_inv = 0.0, log_a = log(a);
    int have_log_inv = 0;
    scrm_erlang_result r;
    uint32_t first_sl = 0; /* first N meeting the service level */
    for (;;) {
        if (b <= B_TINY && !have_log_inv) {
            log_inv = erlang_b_log_inv(a, n);
            have_log_inv = 1;
        }
        metrics(a, n, aht, target_time, b, have_log_inv ? &log_inv : NULL, &r);
        int sl_ok = r.service_level >= service_level;
        if (sl_ok && !first_sl)
            first_sl = n;
        if (sl_ok && r.occupancy <= o.max_occupancy)
            break;
        if (n >= max_agents)
            return scrm__error(SCRM_ELIMIT, "%s: more than max_agents = %u agents needed", fn,
                               (unsigned)max_agents);
        n++;
        double ab = a * b;
        b = ab / ((double)n + ab);
        if (have_log_inv && a != 0.0)
            log_inv = log_inv_step(log_inv, n, log_a);
    }
    out->agents = n;
    /* The smallest P with P (1 - shrinkage) >= N; the relative slack absorbs
     * rounding in the division (14 / 0.7 is 20.000000000000004). */
    double x = (double)n / (1.0 - o.shrinkage);
    double p = ceil(x * (1.0 - 1e-12));
    out->positions = p >= 4294967295.0 ? UINT32_MAX : (uint32_t)p;
    /* The occupancy limit decided N when the service level was met earlier. */
    out->occupancy_bound = first_sl != n;
    out->at = r;
    return SCRM_OK;
}
