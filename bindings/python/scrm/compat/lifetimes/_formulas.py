"""lifetimes' objective functions and the predictions libscrm's C API does not
evaluate, written from the papers in NumPy with libscrm's special functions.

What lives here, and why not in C:
  - the negative log-likelihoods lifetimes exposes as ``_negative_log_likelihood``
    (static methods with lifetimes' arguments: log-parameters on its rescaled time
    axis, except Pareto/NBD's natural ones), which its users call directly;
  - Pareto/NBD's log A_0 (``ParetoNBDFitter._log_A_0``), which also evaluates
    P(alive) at the rows the C library rejects (frequency 0, recency > 0) and
    lifetimes evaluates;
  - the Pareto/NBD conditional distribution of purchase counts (Fader & Hardie,
    "The Pareto/NBD conditional PMF", note 028, eq. 16).

Everything is elementwise (a row's value does not depend on the others), so
sums over rows are exactly the sums of the rows' values.
"""

import math

from ... import special
from ._common import np

_lgamma = None
_h2f1_log = None


def lgamma(x):
    """log Gamma, elementwise (x > 0)."""
    global _lgamma
    if _lgamma is None:
        _lgamma = np().frompyfunc(math.lgamma, 1, 1)
    return np().asarray(_lgamma(np().asarray(x, dtype=float)), dtype=float)


def log_hyp2f1(a, b, c, z):
    """log 2F1(a, b; c; z), elementwise (positive values: z in [0, 1))."""
    global _h2f1_log
    if _h2f1_log is None:
        _h2f1_log = np().frompyfunc(lambda *args: special.hyperg_2f1_log(*args)[0], 4, 1)
    return np().asarray(_h2f1_log(a, b, c, z), dtype=float)


def _penalty(penalizer_coef, params):
    return penalizer_coef * float(np().sum(np().asarray(params, dtype=float) ** 2))


def _mean_nll(ll, weights, params, penalizer_coef):
    """-(weighted mean of ll) + penalty: lifetimes' objective of BG/NBD, MBG/NBD, GG."""
    w = np().asarray(weights, dtype=float)
    return -float(np().sum(w * ll)) / float(np().sum(w)) + _penalty(penalizer_coef, params)


def bgnbd_nll(log_params, freq, rec, T, weights, penalizer_coef):
    """BG/NBD (Fader, Hardie & Lee 2005, eq. 6): the individual likelihood
    B(a, b+x)/B(a, b) Gamma(r+x) alpha^r / Gamma(r) [(alpha+T)^-(r+x)
    + [x > 0] a/(b+x-1) (alpha+t_x)^-(r+x)], as lifetimes' mean objective."""
    n = np()
    r, alpha, a, b = n.exp(n.asarray(log_params, dtype=float))
    x, tx, age = (n.asarray(v, dtype=float) for v in (freq, rec, T))
    head = (lgamma(r + x) - lgamma(r) + r * n.log(alpha)
            + lgamma(b + x) + lgamma(a + b) - lgamma(b) - lgamma(a + b + x))
    dead_at_T = -(r + x) * n.log(alpha + age)
    with n.errstate(divide="ignore"):
        died = n.where(x > 0, n.log(a) - n.log(b + n.maximum(x, 1) - 1)
                       - (r + x) * n.log(alpha + tx), -n.inf)
    ll = head + n.logaddexp(dead_at_T, died)
    return _mean_nll(ll, weights, (r, alpha, a, b), penalizer_coef)


def mbgnbd_nll(log_params, freq, rec, T, weights, penalizer_coef):
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007): Gamma(r+x) alpha^r / Gamma(r)
    B(a, b+x+1)/B(a, b) [(alpha+T)^-(r+x) + a/(b+x) (alpha+t_x)^-(r+x)]."""
    n = np()
    r, alpha, a, b = n.exp(n.asarray(log_params, dtype=float))
    x, tx, age = (n.asarray(v, dtype=float) for v in (freq, rec, T))
    head = (lgamma(r + x) - lgamma(r) + r * n.log(alpha)
            + lgamma(b + x + 1) + lgamma(a + b) - lgamma(b) - lgamma(a + b + x + 1))
    ll = head + n.logaddexp(-(r + x) * n.log(alpha + age),
                            n.log(a) - n.log(b + x) - (r + x) * n.log(alpha + tx))
    return _mean_nll(ll, weights, (r, alpha, a, b), penalizer_coef)


def gamma_gamma_nll(log_params, frequency, avg_monetary_value, weights, penalizer_coef):
    """Gamma-Gamma (Fader & Hardie 2013, eq. 1a) density of the mean spend mbar of x
    transactions: Gamma(px+q)/(Gamma(px) Gamma(q)) v^q mbar^(px-1) x^(px)
    / (v + x mbar)^(px+q)."""
    n = np()
    p, q, v = n.exp(n.asarray(log_params, dtype=float))
    x, m = (n.asarray(a, dtype=float) for a in (frequency, avg_monetary_value))
    ll = (lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * n.log(v)
          + (p * x - 1) * n.log(m) + p * x * n.log(x) - (p * x + q) * n.log(x * m + v))
    return _mean_nll(ll, weights, (p, q, v), penalizer_coef)


def bgbb_log_likelihood(params, x, tx, n):
    """log L(alpha, beta, gamma, delta | x, t_x, n) of BG/BB per row (FHS 2010, eq. 5):
    B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta) + sum over
    j = 0 .. n-t_x-1 of B(alpha+x, beta+t_x-x+j)/B(alpha, beta) B(gamma+1, delta+t_x+j)
    /B(gamma, delta), summed in log space; evaluated as written also where t_x is not a
    possible recency for x (lifetimes' predictions do)."""
    n_ = np()
    alpha, beta, gamma, delta = params
    lb = special.lbeta
    x, tx, n = n_.broadcast_arrays(*(n_.asarray(v, dtype=float).ravel() for v in (x, tx, n)))
    base = lb(alpha, beta) + lb(gamma, delta)
    out = n_.empty(len(x))
    for i, (xi, ti, ni) in enumerate(zip(x.tolist(), tx.tolist(), n.tolist())):
        terms = [lb(alpha + xi, beta + ni - xi) + lb(gamma, delta + ni)]
        terms += [lb(alpha + xi, beta + ti - xi + j) + lb(gamma + 1, delta + ti + j)
                  for j in range(int(ni - ti))]
        top = max(terms)
        out[i] = top + math.log(math.fsum(math.exp(v - top) for v in terms)) - base
    return out


def bgbb_nll(log_params, frequency, recency, n_periods, weights, penalizer_coef=0):
    """lifetimes' BG/BB objective: the weighted mean of -log L plus the penalty."""
    n = np()
    params = n.exp(n.asarray(log_params, dtype=float))
    ll = bgbb_log_likelihood(params, frequency, recency, n_periods)
    return _mean_nll(ll, weights, params, penalizer_coef)


def _pnbd_axis(params, x):
    """(larger of alpha and beta, |alpha - beta|, the 2F1 parameter b) of the A_0 terms."""
    r, alpha, s, beta = params
    if alpha < beta:
        return beta, beta - alpha, r + x
    return alpha, alpha - beta, s + 1.0


def pnbd_log_a0(params, freq, recency, age):
    """log A_0 of the Pareto/NBD likelihood (Fader & Hardie, note 009, eqs. 19-20):
    A_0 = F(t_x) - F(T), F(t) = 2F1(r+s+x, b; r+s+x+1; |alpha-beta|/(m+t)) / (m+t)^(r+s+x),
    m = max(alpha, beta); in log space (finite for x in the hundreds); -inf at t_x = T."""
    n = np()
    r, alpha, s, beta = (float(v) for v in params)
    x, tx, T = (n.asarray(v, dtype=float) for v in (freq, recency, age))
    m, d, b2 = _pnbd_axis((r, alpha, s, beta), x)
    rsx = r + s + x
    first = log_hyp2f1(rsx, b2, rsx + 1.0, d / (m + tx)) - rsx * n.log(m + tx)
    second = log_hyp2f1(rsx, b2, rsx + 1.0, d / (m + T)) - rsx * n.log(m + T)
    with n.errstate(divide="ignore", invalid="ignore"):
        return first + n.log1p(-n.exp(second - first))


def pnbd_log_alive_part(params, x, T):
    """log of the alive-at-T part of the Pareto/NBD likelihood,
    Gamma(r+x) alpha^r beta^s / (Gamma(r) (alpha+T)^(r+x) (beta+T)^s)."""
    n = np()
    r, alpha, s, beta = params
    return (lgamma(r + x) - lgamma(r) + r * n.log(alpha) + s * n.log(beta)
            - (r + x) * n.log(alpha + T) - s * n.log(beta + T))


def pnbd_conditional_log_likelihood(params, freq, rec, T):
    """log L(r, alpha, s, beta | x, t_x, T) per row (note 009, eq. 18)."""
    n = np()
    r, alpha, s, beta = (float(v) for v in params)
    x, tx, age = (n.asarray(v, dtype=float) for v in (freq, rec, T))
    dead = n.log(s) - n.log(r + s + x) + pnbd_log_a0((r, alpha, s, beta), x, tx, age)
    head = lgamma(r + x) - lgamma(r) + r * n.log(alpha) + s * n.log(beta)
    return head + n.logaddexp(-(r + x) * n.log(alpha + age) - s * n.log(beta + age), dead)


def pnbd_nll(params, freq, rec, T, weights, penalizer_coef):
    """lifetimes' Pareto/NBD objective: natural parameters, the total over rows of
    -weight * log L divided by the mean weight, plus the penalty (inf outside the
    parameter space, as lifetimes' Nelder-Mead needs)."""
    n = np()
    p = n.asarray(params, dtype=float)
    if n.any(p <= 0):
        return n.inf
    w = n.asarray(weights, dtype=float)
    ll = pnbd_conditional_log_likelihood(p, freq, rec, T)
    return -float(n.sum(w * ll)) / float(n.mean(w)) + _penalty(penalizer_coef, p)


def pnbd_alive_at_impossible_rows(params, recency, age):
    """P(alive | x = 0, t_x, T) with t_x > 0, as lifetimes evaluates its formula there:
    1 / (1 + s/(r+s) (alpha+T)^r (beta+T)^s A_0(t_x, T))."""
    n = np()
    r, alpha, s, beta = params
    log_a0 = pnbd_log_a0(params, n.zeros_like(recency), recency, age)
    expo = n.log(s) - n.log(r + s) + r * n.log(alpha + age) + s * n.log(beta + age) + log_a0
    with n.errstate(over="ignore"):
        return 1.0 / (1.0 + n.exp(expo))


def mbgnbd_alive_at_impossible_rows(params, recency, age):
    """MBG/NBD P(alive | x = 0, t_x, T) with t_x > 0 (Batislam et al. eq. 5 as lifetimes
    evaluates it): 1 / (1 + a/b ((alpha+T)/(alpha+t_x))^r)."""
    n = np()
    r, alpha, a, b = params
    with n.errstate(over="ignore"):
        return 1.0 / (1.0 + n.exp(n.log(a / b) + r * (n.log(alpha + age) - n.log(alpha + recency))))


def pnbd_conditional_pmf(params, n_purchases, t, x, tx, T, log_alive):
    """P(X(T, T+t) = n | x, t_x, T) under Pareto/NBD (note 028, eq. 16), given
    log P(alive | x, t_x, T) per row (which fixes the likelihood L):

      [n = 0] (1 - P(alive)) + t^n/n! Gamma(r+x+n) alpha^r beta^s
          / (Gamma(r) (alpha+T+t)^(r+x+n) (beta+T+t)^s L)
      + alpha^r beta^s B(r+x+n, s+1) / (Gamma(r) Gamma(s) L)
          [Gamma(r+s+x) G(0, T) - sum_{i=0..n} t^i/i! Gamma(r+s+x+i) G(i, T+t)],
      G(i, u) = 2F1(r+s+x+i, b'; r+s+x+n+1; |alpha-beta|/(m+u)) / (m+u)^(r+s+x+i),

    with m = max(alpha, beta) and b' = r+x+n if alpha < beta else s+1; the
    bracket is summed in log space and, as in lifetimes, its magnitude is taken
    (rounding can leave a tiny negative difference for large n)."""
    nn = np()
    r, alpha, s, beta = (float(v) for v in params)
    k = int(n_purchases)
    x, tx, T, log_alive = nn.broadcast_arrays(*(nn.asarray(v, dtype=float).ravel()
                                               for v in (x, tx, T, log_alive)))
    log_l = pnbd_log_alive_part((r, alpha, s, beta), x, T) - log_alive
    out = nn.empty(len(x))
    for row in range(len(x)):
        out[row] = _pnbd_pmf_row((r, alpha, s, beta), k, t, float(x[row]), float(T[row]),
                                 float(log_l[row]), float(log_alive[row]))
    return out


def _pnbd_pmf_row(params, k, t, x, T, log_l, log_alive):
    """One row of :func:`pnbd_conditional_pmf` (Python floats: rows are few and
    the sum over i is sequential)."""
    r, alpha, s, beta = params
    lg, log, h2f1 = math.lgamma, math.log, special.hyperg_2f1_log
    m, d, _ = _pnbd_axis(params, x)
    b2 = r + x + k if alpha < beta else s + 1.0
    rsx = r + s + x
    common = r * log(alpha) + s * log(beta) - lg(r)
    log_first = (k * log(t) - lg(k + 1) + lg(r + x + k) + common
                 - (r + x + k) * log(alpha + T + t) - s * log(beta + T + t) - log_l)
    scale = common - lg(s) + lg(r + x + k) + lg(s + 1) - lg(r + x + k + s + 1) - log_l
    log_second = scale + lg(rsx) + h2f1(rsx, b2, rsx + k + 1, d / (m + T))[0] - rsx * log(m + T)
    z, log_u, log_t = d / (m + T + t), log(m + T + t), log(t)
    thirds = [scale + i * log_t - lg(i + 1) + lg(rsx + i) + h2f1(rsx + i, b2, rsx + k + 1, z)[0]
              - (rsx + i) * log_u for i in range(k + 1)]
    top_third = max(thirds)
    log_third = top_third + log(math.fsum(math.exp(v - top_third) for v in thirds))
    top = max(log_first, log_second, log_third)
    bracket = (math.exp(log_first - top) + math.exp(log_second - top)
               - math.exp(log_third - top))
    zeroth = 1.0 - math.exp(log_alive) if k == 0 else 0.0
    return zeroth + abs(bracket) * math.exp(top)
