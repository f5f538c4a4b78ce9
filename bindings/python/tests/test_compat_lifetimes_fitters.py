"""scrm.compat.lifetimes fitters against real lifetimes 0.11.3, run from ../shared/peers
in a subprocess (skipped loudly without it): params_ as the source of truth, the same
numbers at the same parameters (1e-10 relative), rows lifetimes accepts,
variance_matrix_, persistence."""
import json
import math
import os
import subprocess
import sys

import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from scrm.compat.lifetimes import (BaseFitter, BetaGeoBetaBinomFitter,  # noqa: E402
                                   BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter,
                                   ParetoNBDFitter)

from conftest import SOURCE_ROOT  # noqa: E402
from lifetimes_suite.peers import peers_or_skip  # noqa: E402

CDNOW = ("lifetimes", "lifetimes", "datasets", "cdnow_customers_summary.csv")

# Real lifetimes, in one child process per module: reads a JSON list of jobs on stdin,
# prints the results. A job: [class name, params or None, "cdnow" (fit on it first) or
# None, method (a name ending in "_" is an attribute; "static:" calls the class's
# static method), args].
PEER_SCRIPT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
import lifetimes
from lifetimes.datasets import load_cdnow_summary
cdnow = load_cdnow_summary()
cdnow = [cdnow["frequency"], cdnow["recency"], cdnow["T"]]
out, fitted = [], {}
for cls, params, fit, method, args in json.load(sys.stdin):
    args = [np.asarray(a) if isinstance(a, list) else a for a in args]
    if method.startswith("static:"):
        out.append(float(getattr(getattr(lifetimes, cls), method[7:])(*args)))
        continue
    if fit is not None:
        if cls not in fitted:
            fitted[cls] = getattr(lifetimes, cls)().fit(*cdnow)
        f = fitted[cls]
    else:
        f = getattr(lifetimes, cls)()
    if params is not None:
        f.params_ = pd.Series(params)
    with np.errstate(all="ignore"):
        v = getattr(f, method) if method.endswith("_") else getattr(f, method)(*args)
    out.append(np.asarray(getattr(v, "values", v), dtype=float).tolist())
print(json.dumps(out))
"""
JOBS = {}


def job(key, cls, params, method, *args, fit=None):
    """Register a computation for real lifetimes (run once, by the ``lt`` fixture)."""
    JOBS[key] = [cls, params, fit, method, [a.tolist() if hasattr(a, "tolist") else a
                                           for a in args]]
    return key


@pytest.fixture(scope="module")
def peers():
    return peers_or_skip(SOURCE_ROOT, "THE COMPARISONS WITH REAL LIFETIMES' NUMBERS")


@pytest.fixture(scope="module")
def lt(peers):
    """Every registered job's value from real lifetimes (NaN where it gives NaN)."""
    keys = list(JOBS)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(peers / "lifetimes"), str(peers / "autograd")]), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", PEER_SCRIPT],
                          input=json.dumps([JOBS[k] for k in keys]), capture_output=True,
                          text=True, env=env, cwd=str(peers / "lifetimes"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {k: np.asarray(v, dtype=float) for k, v in zip(keys, json.loads(proc.stdout))}


@pytest.fixture(scope="module")
def cdnow(peers):
    df = pd.read_csv(peers.joinpath(*CDNOW))
    return [df["frequency"].to_numpy(), df["recency"].to_numpy(), df["T"].to_numpy()]


BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
MBG = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}
PNBD = {"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562}
PNBD_WIDE = {"r": 1.2, "alpha": 3.0, "s": 0.4, "beta": 25.0}  # alpha < beta branch
GG = {"p": 6.25, "q": 3.74, "v": 15.44}
BGBB = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}

# Histories: ordinary rows, rows at t_x = T, and the rows with frequency 0 and
# recency > 0 that lifetimes evaluates (its P(alive) matrix is made of them).
X = [0, 0, 0, 1, 2, 2, 5, 10, 26, 0, 3]
TX = [0.0, 5.0, 38.0, 1.0, 30.43, 30.0, 20.0, 35.5, 30.86, 12.0, 39.0]
T = [10.0, 38.0, 38.0, 2.0, 38.86, 38.0, 40.0, 39.0, 31.0, 77.0, 39.0]


def drop_in(cls, params):
    f = cls()
    f.params_ = pd.Series(params)
    return f


def assert_same(ours, theirs, rel=1e-10):
    ours = np.asarray(ours, dtype=float).ravel()
    theirs = np.asarray(theirs, dtype=float).ravel()
    assert ours.shape == theirs.shape
    finite = np.isfinite(theirs)
    assert np.all(np.isfinite(ours)), ours
    assert ours[finite] == pytest.approx(theirs[finite], rel=rel, abs=1e-300)


TRANSACTION_CASES = [("BetaGeoFitter", BetaGeoFitter, BG),
                     ("ModifiedBetaGeoFitter", ModifiedBetaGeoFitter, MBG),
                     ("ParetoNBDFitter", ParetoNBDFitter, PNBD),
                     ("ParetoNBDFitter", ParetoNBDFitter, PNBD_WIDE)]
HORIZONS = [0.0, 1.0, 7.5, 39.0, 52.0]
for _i, (_name, _, _params) in enumerate(TRANSACTION_CASES):
    job(("alive", _i), _name, _params, "conditional_probability_alive", X, TX, T)
    job(("expected", _i), _name, _params, "expected_number_of_purchases_up_to_time", HORIZONS)
    for _t in HORIZONS[1:]:
        job(("conditional", _i, _t), _name, _params,
            "conditional_expected_number_of_purchases_up_to_time", _t, X, TX, T)


@pytest.mark.parametrize("i", range(len(TRANSACTION_CASES)))
def test_predictions_equal_lifetimes(lt, i):
    _, cls, params = TRANSACTION_CASES[i]
    f = drop_in(cls, params)
    assert_same(f.conditional_probability_alive(X, TX, T), lt[("alive", i)])
    assert_same(f.expected_number_of_purchases_up_to_time(HORIZONS), lt[("expected", i)])
    for t in HORIZONS[1:]:
        assert_same(f.conditional_expected_number_of_purchases_up_to_time(t, X, TX, T),
                    lt[("conditional", i, t)])


PMF_PAIRS = [(39, 0), (2, 10), (30, 11), (30, 20), (0.5, 1), (100, 3)]
for _i in (0, 1):
    for _t, _n in PMF_PAIRS:
        job(("pmf", _i, _t, _n), TRANSACTION_CASES[_i][0], TRANSACTION_CASES[_i][2],
            "probability_of_n_purchases_up_to_time", _t, _n)


@pytest.mark.parametrize("i", (0, 1))
def test_purchase_count_distribution_equals_lifetimes(lt, i):
    _, cls, params = TRANSACTION_CASES[i]
    f = drop_in(cls, params)
    for t, n in PMF_PAIRS:
        assert_same(f.probability_of_n_purchases_up_to_time(t, n), lt[("pmf", i, t, n)])


COND_PMF = [(n, t, x, tx, age) for n in (0, 1, 4) for t in (1.0, 10.0)
            for x, tx, age in ((0, 0.0, 20.0), (2, 10.0, 30.0), (7, 25.0, 26.0), (0, 4.0, 9.0))]
for _i in (2, 3):
    for _c in COND_PMF:
        job(("cpmf", _i, _c), "ParetoNBDFitter", TRANSACTION_CASES[_i][2],
            "conditional_probability_of_n_purchases_up_to_time", *_c)


@pytest.mark.parametrize("i", (2, 3))
def test_pareto_conditional_pmf_equals_lifetimes(lt, i):
    f = drop_in(ParetoNBDFitter, TRANSACTION_CASES[i][2])
    for c in COND_PMF:
        assert_same(f.conditional_probability_of_n_purchases_up_to_time(*c), lt[("cpmf", i, c)],
                    rel=1e-9)
    assert f.conditional_probability_of_n_purchases_up_to_time(1, 0, 2, 1.0, 3.0) == 0


FITTED = ["BetaGeoFitter", "ModifiedBetaGeoFitter", "ParetoNBDFitter", "GammaGammaFitter",
          "BetaGeoBetaBinomFitter"]
MATRIX_X, MATRIX_TX = np.repeat(np.arange(6.0), 11), np.tile(np.arange(11.0), 6)
for _name in FITTED[:3]:
    job(("fit", _name), _name, None, "params_", fit="cdnow")
    job(("matrix", _name), _name, None, "conditional_probability_alive", MATRIX_X, MATRIX_TX,
        10.0, fit="cdnow")
for _name in FITTED[:2]:
    job(("variance", _name), _name, None, "variance_matrix_", fit="cdnow")


@pytest.mark.parametrize("cls", [BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter])
def test_alive_matrix_equals_lifetimes(lt, cdnow, cls):
    """After a fit, at lifetimes' own estimates (its matrix has frequency-0 cells at every
    recency)."""
    f = cls().fit(*cdnow)
    f.params_ = pd.Series(dict(zip(f.params_names, lt[("fit", cls.__name__)])))
    got = f.conditional_probability_alive_matrix(max_frequency=5, max_recency=10)
    assert_same(got.T.ravel(), lt[("matrix", cls.__name__)])


BX, BTX, BN = [0, 2, 6, 3, 1, 0, 0], [0, 4, 6, 6, 1, 3, 6], [6, 6, 6, 6, 6, 6, 9]
GX, GM = [1, 2, 6, 20], [10.0, 35.5, 3.2, 120.0]
job("gg", "GammaGammaFitter", GG, "conditional_expected_average_profit", GX, GM)
job("bb alive 1", "BetaGeoBetaBinomFitter", BGBB, "conditional_probability_alive", 1, BX, BTX,
    BN)
job("bb alive 4", "BetaGeoBetaBinomFitter", BGBB, "conditional_probability_alive", 4, BX, BTX,
    BN)
job("bb conditional", "BetaGeoBetaBinomFitter", BGBB,
    "conditional_expected_number_of_purchases_up_to_time", 5, BX, BTX, BN)


def test_gamma_gamma_and_bgbb_equal_lifetimes(lt):
    assert_same(drop_in(GammaGammaFitter, GG).conditional_expected_average_profit(GX, GM),
                lt["gg"])
    bb = drop_in(BetaGeoBetaBinomFitter, BGBB)
    assert_same(bb.conditional_probability_alive(1, BX, BTX, BN), lt["bb alive 1"])
    assert_same(bb.conditional_probability_alive(4, BX, BTX, BN), lt["bb alive 4"])
    assert_same(bb.conditional_expected_number_of_purchases_up_to_time(5, BX, BTX, BN),
                lt["bb conditional"])


NLL_X, NLL_TX, NLL_T = [0, 1, 3, 10, 0], [0.0, 0.2, 0.5, 0.99, 0.0], [0.3, 0.4, 1.0, 1.0, 0.7]
NLL_W = [1.0, 2.0, 1.0, 3.0, 1.0]
NLL_CASES = [  # class, parameters, data columns (weights and penalizer_coef follow)
    (BetaGeoFitter, np.log([0.3, 0.05, 0.7, 2.0]), (NLL_X, NLL_TX, NLL_T)),
    (ModifiedBetaGeoFitter, np.log([0.3, 0.05, 0.7, 2.0]), (NLL_X, NLL_TX, NLL_T)),
    (ParetoNBDFitter, np.array([0.5, 0.2, 0.6, 0.3]), (NLL_X, NLL_TX, NLL_T)),
    (GammaGammaFitter, np.log([6.0, 3.5, 15.0]), ([1, 2, 5, 9, 3], [10.0, 3.5, 40.0, 22.0, 7.0])),
    (BetaGeoBetaBinomFitter, np.log([1.2, 0.75, 0.66, 2.8]), ([0, 2, 6, 3, 1], [0, 4, 6, 6, 1],
                                                             [6, 6, 6, 6, 6]))]
for _cls, _p, _cols in NLL_CASES:
    job(("nll", _cls.__name__), _cls.__name__, None, "static:_negative_log_likelihood", _p,
        *_cols, NLL_W, 0.1)
job("log A0", "ParetoNBDFitter", None, "static:_log_A_0", [10.465, 7.98565181e-03, 3.0516, 2.82],
    [40.0], [5.0], [6.0])


def test_negative_log_likelihoods_equal_lifetimes(lt):
    """lifetimes' static objectives (its tests and users call them directly)."""
    for cls, params, cols in NLL_CASES:
        got = cls._negative_log_likelihood(params, *[np.array(c) for c in cols],
                                           np.array(NLL_W), 0.1)
        assert got == pytest.approx(float(lt[("nll", cls.__name__)]), rel=1e-12), cls
    got = ParetoNBDFitter._log_A_0([10.465, 7.98565181e-03, 3.0516, 2.82], np.array([40.0]),
                                   np.array([5.0]), np.array([6.0]))
    assert got == pytest.approx(float(lt["log A0"]), rel=1e-11)


@pytest.mark.parametrize("cls", [BetaGeoFitter, ModifiedBetaGeoFitter])
def test_variance_matrix_equals_lifetimes(lt, cdnow, cls):
    """Same layout (lifetimes' p_j^2 (H^-1)_ij: not symmetric) and the same numbers to
    the precision of the two fits and of libscrm's forward-difference Hessian."""
    theirs = lt[("variance", cls.__name__)]
    f = cls().fit(*cdnow)
    v = f.variance_matrix_
    assert list(v.index) == list(v.columns) == f.params_names
    scale = np.sqrt(np.outer(np.diag(theirs), np.diag(theirs)))
    assert np.abs((v.to_numpy() - theirs) / scale).max() < 5e-3
    assert np.sqrt(np.diag(v.to_numpy())) == pytest.approx(f.standard_errors_.to_numpy(),
                                                           rel=1e-12)


def test_params_assigned_after_a_fit_drive_every_prediction(cdnow):
    """The regression: after a fit, params_ set by hand used to be ignored (0.730)."""
    f = BetaGeoFitter().fit(*cdnow)
    fitted_alive = f.conditional_probability_alive(2, 30, 38)[0]
    f.params_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 0.5, "b": 5.0})
    want = 1.0 / (1.0 + 0.5 / (5.0 + 2 - 1) * (39.0 / 31.0) ** 3)  # FHL note 021
    assert want == pytest.approx(0.858, abs=5e-4)
    assert f.conditional_probability_alive(2, 30, 38)[0] == pytest.approx(want, rel=1e-14)
    assert f.predict(10, 2, 30, 38) == f.conditional_expected_number_of_purchases_up_to_time(
        10, 2, 30, 38)
    f.params_["a"] = 0.25  # in place, too
    assert f.conditional_probability_alive(2, 30, 38)[0] == pytest.approx(
        1.0 / (1.0 + 0.25 / 6.0 * (39.0 / 31.0) ** 3), rel=1e-14)
    f.params_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 0.5, "b": 5.0})
    assert f.conditional_probability_alive(2, 30, 38)[0] != fitted_alive
    f.params_ = pd.Series({"r": 1.0, "alpha": -1.0, "a": 0.5, "b": 5.0})
    with pytest.raises(ValueError, match=r"params_: alpha = -1.0"):
        f.conditional_probability_alive(2, 30, 38)
    f.params_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 0.5})
    with pytest.raises(KeyError):  # as lifetimes' _unload_params
        f.conditional_probability_alive(2, 30, 38)
    with pytest.raises(ValueError, match="Model has not been fit yet"):
        BetaGeoFitter().conditional_probability_alive(2, 30, 38)


def test_save_model_follows_lifetimes(cdnow, tmp_path):
    f = BetaGeoFitter().fit(*cdnow)
    path = tmp_path / "bgf.pkl"
    f.save_model(path, save_data=False, values_to_save=[""])
    back = BetaGeoFitter()
    back.load_model(path)
    assert back.data == "" and back._scale == f._scale
    assert back.params_.equals(f.params_) and back.variance_matrix_.equals(f.variance_matrix_)
    assert back.predict(5, 2, 30.0, 38.0) == f.predict(5, 2, 30.0, 38.0)
    back.params_ = pd.Series(BG)  # loaded params_ stay the source of truth
    assert back.predict(5, 2, 30.0, 38.0) == drop_in(BetaGeoFitter, BG).\
        conditional_expected_number_of_purchases_up_to_time(5, 2, 30.0, 38.0)
    unfitted = BaseFitter()
    unfitted.save_model(path)
    again = BaseFitter()
    again.load_model(path)
    assert repr(again) == "<lifetimes.BaseFitter>"
    by_hand = drop_in(GammaGammaFitter, GG)
    by_hand.save_model(path)
    g = GammaGammaFitter()
    g.load_model(path)
    assert g.conditional_expected_average_profit(2, 30.0) == \
        by_hand.conditional_expected_average_profit(2, 30.0)


def test_repr_follows_lifetimes():
    f = BaseFitter()
    f.params_ = pd.Series({"x": 12.3, "y": 42})
    f.data = np.array([1, 2, 3])
    assert repr(f) == "<lifetimes.BaseFitter: fitted with 3 subjects, x: 12.30, y: 42.00>"
    f.data = None
    assert repr(f) == "<lifetimes.BaseFitter: x: 12.30, y: 42.00>"


@pytest.mark.parametrize("cls", [BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter])
def test_every_transaction_fitter_has_a_variance_matrix(cdnow, cls):
    f = cls().fit(*cdnow)
    v = f.variance_matrix_.to_numpy()
    assert v.shape == (4, 4) and np.all(np.isfinite(v)) and np.all(np.diag(v) > 0)
    p = f.params_.to_numpy()
    sym = v * p[:, None] / p[None, :]  # back to the covariance: symmetric
    assert sym == pytest.approx(sym.T, rel=1e-6)


def test_gamma_gamma_and_bgbb_have_a_variance_matrix(cdnow):
    x, m = cdnow[0], cdnow[1] + 5.0  # any positive values: the layout is the point
    keep = x > 0
    g = GammaGammaFitter().fit(x[keep], m[keep])
    assert g.variance_matrix_.shape == (3, 3) and g._hessian_.shape == (3, 3)
    bb = BetaGeoBetaBinomFitter().fit([0, 2, 6, 3, 1], [0, 4, 6, 6, 1], [6, 6, 6, 6, 6],
                                      weights=[3464, 1000, 1203, 728, 1091])
    assert list(bb.variance_matrix_.columns) == ["alpha", "beta", "gamma", "delta"]
    assert math.isfinite(bb.variance_matrix_.to_numpy().sum())


@pytest.mark.parametrize("cls,params,columns", [
    (BetaGeoFitter, BG, ["frequency", "recency", "T", "lambda", "p", "alive"]),
    (ModifiedBetaGeoFitter, MBG, ["frequency", "recency", "T", "lambda", "p", "alive"]),
    (ParetoNBDFitter, PNBD, ["frequency", "recency", "T", "lambda", "mu", "alive"])])
def test_generate_new_data_simulates_the_model(cdnow, tmp_path, cls, params, columns):
    """lifetimes' columns; the share of customers without a repeat purchase is the
    model's P(X(T) = 0) (within 4 standard errors of 20,000 draws)."""
    f = cls().fit(*cdnow)
    f.params_ = pd.Series(params)
    f.data = pd.DataFrame({"T": np.full(20000, 38.0)})
    np.random.seed(7)
    sim = f.generate_new_data(size=20000)
    assert list(sim.columns) == columns and sim.index.name == "customer_id"
    assert (sim["recency"] <= sim["T"]).all() and (sim["frequency"] <= sim["T"] + 1).all()
    p0 = f.probability_of_n_purchases_up_to_time(38.0, 0) if hasattr(
        f, "probability_of_n_purchases_up_to_time") else None
    if p0 is None:  # Pareto/NBD: the pmf of the C model
        p0 = f._fitted_model().probability_purchases(38.0, 0)[0]
    share = float((sim["frequency"] == 0).mean())
    assert abs(share - p0) < 4 * math.sqrt(p0 * (1 - p0) / 20000), (share, p0)
    f.save_model(tmp_path / "m.pkl")
    back = cls()
    back.load_model(tmp_path / "m.pkl")
    np.random.seed(7)
    assert back.generate_new_data(size=20000).equals(sim)


def test_bgbb_generate_new_data_simulates_the_model():
    f = BetaGeoBetaBinomFitter().fit([0, 2, 6, 3, 1], [0, 4, 6, 6, 1], [6, 6, 6, 6, 6],
                                     weights=[3464, 1000, 1203, 728, 1091])
    f.params_ = pd.Series(BGBB)
    f.data = pd.DataFrame({"n_periods": np.full(20000, 6)})
    np.random.seed(11)
    sim = f.generate_new_data(size=20000)
    assert list(sim.columns) == ["frequency", "recency", "n_periods", "p", "theta", "alive",
                                 "customer_id"]
    p0 = f._fitted_model().probability_purchases(6.0, 0)[0]
    share = float((sim["frequency"] == 0).mean())
    assert abs(share - p0) < 4 * math.sqrt(p0 * (1 - p0) / 20000), (share, p0)
    assert (sim["recency"] >= sim["frequency"]).all()


# ---- where lifetimes gives NaN (or loses digits): high-precision values ---------------
# mpmath at 60 digits, from the papers' formulas: BG/NBD P(X(t) = x) (FHL 2005 eq. 8),
# E[X(t)] (eq. 9); MBG/NBD E[Y(t) | x, t_x, T] (Wagner & Hoppe 2008).
NAN_PMF = [(100.0, 200), (1e4, 1000)]
for _t, _n in NAN_PMF:
    job(("nan pmf", _t, _n), "BetaGeoFitter", BG, "probability_of_n_purchases_up_to_time", _t,
        _n)
NAN_COND = [(200, 38.0, 39.0), (5000, 1000.0, 1000.0)]
job("nan mbg conditional", "ModifiedBetaGeoFitter", MBG,
    "conditional_expected_number_of_purchases_up_to_time", 1e4, *[list(c) for c in zip(*NAN_COND)])


def _mp_bg_pmf(mp, r, alpha, a, b, t, x):
    beta, g = mp.beta, mp.gamma
    p, q = alpha / (alpha + t), t / (alpha + t)
    alive = beta(a, b + x) / beta(a, b) * g(r + x) / (g(r) * mp.factorial(x)) * p ** r * q ** x
    below = mp.fsum(g(r + j) / (g(r) * mp.factorial(j)) * q ** j for j in range(x))
    return alive + beta(a + 1, b + x - 1) / beta(a, b) * (1 - p ** r * below)


def _mp_mbg_conditional(mp, r, alpha, a, b, t, x, tx, T):
    z = t / (alpha + T + t)
    top = (a + b + x) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x)
                                   * mp.hyp2f1(r + x, b + x + 1, a + b + x, z))
    return top / (1 + a / (b + x) * ((alpha + T) / (alpha + tx)) ** (r + x))


def test_finite_where_lifetimes_is_nan(lt):
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 60
    bg = [mpmath.mpf(str(BG[k])) for k in ("r", "alpha", "a", "b")]
    f = drop_in(BetaGeoFitter, BG)
    for t, n in NAN_PMF:
        assert np.isnan(lt[("nan pmf", t, n)])  # scipy's 2F1/gamma ratios overflow there
        want = float(_mp_bg_pmf(mpmath, *bg, mpmath.mpf(t), n))
        assert f.probability_of_n_purchases_up_to_time(t, n) == pytest.approx(want, rel=1e-11)
    mbg = [mpmath.mpf(str(MBG[k])) for k in ("r", "alpha", "a", "b")]
    assert np.isnan(lt["nan mbg conditional"]).all()
    got = drop_in(ModifiedBetaGeoFitter, MBG).conditional_expected_number_of_purchases_up_to_time(
        1e4, *[np.array(c) for c in zip(*NAN_COND)])
    want = [float(_mp_mbg_conditional(mpmath, *mbg, mpmath.mpf(10 ** 4), x, mpmath.mpf(tx),
                                      mpmath.mpf(T))) for x, tx, T in NAN_COND]
    assert got == pytest.approx(want, rel=1e-11)


job("far horizon", "BetaGeoFitter", BG, "expected_number_of_purchases_up_to_time", [1e6, 1e9])


def test_far_horizons_are_exact_where_lifetimes_loses_digits(lt):
    """E[X(t)] at t = 1e9: lifetimes' scipy 2F1 at z = t/(alpha+t) -> 1 is off by 8e-9
    relative; libscrm agrees with 60-digit mpmath (FHL eq. 9) to 1e-12."""
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 60
    r, alpha, a, b = (mpmath.mpf(str(BG[k])) for k in ("r", "alpha", "a", "b"))
    want = [float((a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r
                                           * mpmath.hyp2f1(r, b, a + b - 1, t / (alpha + t))))
            for t in (mpmath.mpf(10) ** 6, mpmath.mpf(10) ** 9)]
    got = drop_in(BetaGeoFitter, BG).expected_number_of_purchases_up_to_time([1e6, 1e9])
    assert got == pytest.approx(want, rel=1e-11)
    theirs = lt["far horizon"]
    assert theirs[0] == pytest.approx(want[0], rel=1e-10)
    assert abs(theirs[1] / want[1] - 1) > 1e-9  # lifetimes' own value there is off


def test_fit_errors_carry_lifetimes_wording():
    with pytest.raises(ValueError, match="Some values in recency vector are larger than T"):
        BetaGeoFitter().fit([1, 2], [5.0, 1.0], [4.0, 3.0])
    with pytest.raises(ValueError, match="non-zero recency values when frequency is zero"):
        ParetoNBDFitter().fit([0, 2], [1.0, 1.0], [4.0, 3.0])
    with pytest.raises(ValueError, match="non-positive"):
        GammaGammaFitter().fit([1, 2], [10.0, -1.0])
    with pytest.raises(ValueError, match="non-integer values in the frequency"):
        BetaGeoBetaBinomFitter().fit([0.5, 2], [0, 4], [6, 6])
    with pytest.raises(ValueError, match="should not be both set"):
        ParetoNBDFitter().fit([1, 2], [1.0, 2.0], [4.0, 3.0], iterative_fitting=2,
                              initial_params=[1, 1, 1, 1])
    with pytest.raises(ValueError, match=r"row 1.*weight"):  # the library names the row
        BetaGeoFitter().fit([1, 2], [1.0, 1.0], [4.0, 3.0], weights=[1.0, -2.0])
