"""Customers simulated from a fitted model: the fitters' ``generate_new_data``, with
the columns and conventions of lifetimes.generate_data (NumPy's global random state,
so ``np.random.seed`` makes a run repeatable, as with lifetimes).

Continuous-time models (BG/NBD, MBG/NBD, Pareto/NBD): each customer gets a purchase
rate lambda ~ Gamma(r, 1/alpha) and repeat purchases at the arrival times of a
Poisson process over (0, T) while alive; ``frequency`` counts the distinct whole
time units with a purchase (lifetimes' periods), ``recency`` is the last purchase
time (0 without one), ``alive`` whether the customer is alive at the end.
"""

from ._common import np, pd


def _ages(T, size):
    n = np()
    T = n.asarray(T, dtype=float)
    return n.full(size, float(T)) if T.ndim == 0 else T


def _purchase_times(rate, horizon, survives):
    """Arrival times before ``horizon`` of a Poisson process of ``rate``, stopping at
    the first purchase after which ``survives()`` is False; returns (times, alive)."""
    rnd = np().random
    times, now, alive = [], rnd.exponential(1.0 / rate), True
    while now < horizon and alive:
        times.append(now)
        alive = survives()
        now += rnd.exponential(1.0 / rate)
    return times, alive


def _table(rows, columns, index=True):
    n = np()
    if pd() is None:
        raise ImportError("generate_new_data needs pandas (Debian: python3-pandas)")
    df = pd().DataFrame(n.asarray(rows, dtype=float).reshape(len(rows), len(columns)),
                        columns=columns)
    df["customer_id"] = n.arange(len(rows), dtype=float)
    return df.set_index("customer_id") if index else df


def _summary(times):
    n = np()
    if not times:
        return 0.0, 0.0
    return float(len(n.unique(n.floor(times)))), float(times[-1])


def beta_geo(T, r, alpha, a, b, size=1, modified=False):
    """BG/NBD (or MBG/NBD: a customer may also drop out at time 0) customers:
    each purchase is followed by dropout with probability p ~ Beta(a, b)."""
    rnd = np().random
    ages = _ages(T, size)
    p = rnd.beta(a, b, size=size)
    lam = rnd.gamma(r, scale=1.0 / alpha, size=size)
    rows = []
    for i in range(size):
        def survives(pi=p[i]):
            return rnd.random_sample() > pi
        if modified and not survives():
            times, alive = [], False
        else:
            times, alive = _purchase_times(lam[i], ages[i], survives)
        rows.append((*_summary(times), ages[i], lam[i], p[i], alive))
    return _table(rows, ["frequency", "recency", "T", "lambda", "p", "alive"])


def pareto_nbd(T, r, alpha, s, beta, size=1):
    """Pareto/NBD customers: lifetime ~ Exponential(mu), mu ~ Gamma(s, 1/beta)."""
    rnd = np().random
    ages = _ages(T, size)
    lam = rnd.gamma(r, scale=1.0 / alpha, size=size)
    mu = rnd.gamma(s, scale=1.0 / beta, size=size)
    rows = []
    for i in range(size):
        death = rnd.exponential(1.0 / mu[i])
        times, _ = _purchase_times(lam[i], min(death, ages[i]), lambda: True)
        rows.append((*_summary(times), ages[i], lam[i], mu[i], death > ages[i]))
    return _table(rows, ["frequency", "recency", "T", "lambda", "mu", "alive"])


def beta_geo_beta_binom(N, alpha, beta, gamma, delta, size=1):
    """BG/BB customers over ``N`` opportunities: at each, drop out with probability
    theta ~ Beta(gamma, delta), else transact with probability p ~ Beta(alpha, beta);
    one more dropout chance after the last (FHS 2010). ``recency`` is the number of
    the last opportunity with a transaction, counted from 1 (0 without one)."""
    rnd = np().random
    periods = _ages(N, size)
    p = rnd.beta(alpha, beta, size=size)
    theta = rnd.beta(gamma, delta, size=size)
    rows = []
    for i in range(size):
        count, last, alive, t = 0, 0, True, 0
        while t < periods[i] and alive:
            alive = rnd.binomial(1, theta[i]) == 0
            if alive and rnd.binomial(1, p[i]) == 1:
                count, last = count + 1, t + 1
            t += 1
        if alive:
            alive = rnd.binomial(1, theta[i]) == 0
        rows.append((count, last, periods[i], p[i], theta[i], alive))
    return _table(rows, ["frequency", "recency", "n_periods", "p", "theta", "alive"],
                  index=False)
