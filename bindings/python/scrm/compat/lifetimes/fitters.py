"""The lifetimes fitters, computed by libscrm (see the package docstring for
every known difference)."""

import math
import pickle
import warnings

from ... import _lib
from ...clv import ClvKind, ClvModel, kind_name
from ...errors import LossOfAccuracyError, NoDataError, NotConvergedError
from . import _formulas, _simulate
from ._common import ConvergenceError, broadcast, frame, np, series, shaped, table, vector
from ._common import pd as _pd

#: lifetimes' freq -> time units per month (its _customer_lifetime_value table).
UNITS_PER_MONTH = {"D": 30.0, "W": 4.345, "M": 1.0, "H": 720.0}

_FILE_FORMAT = "scrm.compat.lifetimes/1"

#: Attributes a fit sets to bound methods, as lifetimes sets them (in the instance
#: ``__dict__``): attribute -> method.
_BOUND = {"predict": "conditional_expected_number_of_purchases_up_to_time",
          "generate_new_data": "_generate_new_data"}


class BaseFitter:
    """What every fitter shares: ``params_`` (the source of truth of every
    prediction), ``summary``, ``variance_matrix_``, ``save_model``/``load_model``."""

    _kind = None            # ClvKind
    _param_names = ()
    _time_params = ()       # parameters in time units (lifetimes rescales them)
    _log_initial = True     # lifetimes' initial_params are log-parameters
    _nll_divisor = "sum"    # how lifetimes normalises its negative log-likelihood:
    # "sum" (of weights: a mean per customer, as libscrm) or "mean" (of weights:
    # Pareto/NBD, a total per row), which scales lifetimes' penalty by 1/rows.

    def __init__(self, penalizer_coef=0.0):
        self.penalizer_coef = penalizer_coef
        self.params_names = list(self._param_names)

    def __repr__(self):
        name = type(self).__name__
        subjects = _n_subjects(getattr(self, "data", None))
        subjects = "" if subjects is None else f" fitted with {subjects:d} subjects,"
        try:
            params = ", ".join(f"{k}: {v:.2f}" for k, v in sorted(dict(self.params_).items()))
        except AttributeError:
            return f"<lifetimes.{name}>"
        return f"<lifetimes.{name}:{subjects} {params}>"

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_model_cache", None)  # a ctypes handle; rebuilt from params_
        return state

    # -- params_ -> the C model -------------------------------------------------

    def _unload_params(self, *names):
        if not hasattr(self, "params_"):
            raise ValueError("Model has not been fit yet. Please call the .fit method first.")
        return [self.params_[n] for n in names]

    def _fitted_model(self):
        """The libscrm model of the current ``params_`` (set by fit, by hand or by
        load_model; changed in place or replaced): rebuilt whenever they differ
        from the cached model's."""
        names = self._param_names
        values = tuple(float(v) for v in self._unload_params(*names))
        cached = self.__dict__.get("_model_cache")
        if cached is not None and cached[0] == values:
            return cached[1]
        for name, value in zip(names, values):
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"{type(self).__name__}.params_: {name} = {value!r}; every "
                                 f"parameter ({', '.join(names)}) must be finite and > 0")
        self._check_available()
        model = ClvModel(self._kind, list(values))
        self.__dict__["_model_cache"] = (values, model)
        return model

    def _check_available(self):
        if kind_name(self._kind) is None:
            raise NotImplementedError(
                f"{type(self).__name__}: the {self._kind.name} model is not available in the "
                f"loaded libscrm {_lib.version_string()} ({_lib.path})")

    def _initial(self, initial_params, max_age):
        """lifetimes' initial_params (log or natural, on its time axis) -> natural, original units."""
        if initial_params is None:
            return None
        values = [float(v) for v in vector(initial_params, "initial_params")]
        if len(values) != len(self._param_names):
            raise ValueError(f"initial_params: expected {len(self._param_names)} values "
                             f"({', '.join(self._param_names)}), got {len(values)}")
        if self._log_initial:
            values = [math.exp(v) for v in values]
        return [v * max_age if i in self._time_params else v for i, v in enumerate(values)]

    def _penalizer(self, n_rows):
        """libscrm's penalizer giving lifetimes' penalised optimum: libscrm adds it to
        the mean negative log-likelihood per unit weight, as lifetimes does except for
        Pareto/NBD, whose total per row makes its coefficient n_rows times weaker."""
        c = float(self.penalizer_coef)
        if not (c >= 0 and math.isfinite(c)):
            raise ValueError(f"penalizer_coef = {self.penalizer_coef!r} must be finite and >= 0")
        if self._nll_divisor == "mean":
            return c / max(n_rows, 1)
        return c

    def _run_fit(self, columns, initial, verbose, tol, kwargs):
        self._check_available()
        n_rows = len(next(iter(columns.values())))
        options = {"tolerance": float(tol), "penalizer": self._penalizer(n_rows)}
        kwargs = dict(kwargs)
        if "maxiter" in kwargs:
            options["max_iterations"] = int(kwargs.pop("maxiter"))
        if "gtol" in kwargs:
            options["tolerance"] = float(kwargs.pop("gtol"))
        verbose = bool(kwargs.pop("disp", verbose))
        if kwargs:
            warnings.warn(f"{type(self).__name__}.fit: ignored {sorted(kwargs)} (scipy.optimize "
                          "options; libscrm uses its own BFGS)", stacklevel=3)
        try:
            model = ClvModel.fit(self._kind, initial_params=initial, **columns, **options)
        except (NotConvergedError, LossOfAccuracyError) as exc:
            raise ConvergenceError(
                "The model did not converge. Try adding a larger penalizer to see if that "
                f"helps convergence. (libscrm: {exc})") from exc
        info = model.info()
        if verbose:
            print("Optimization terminated successfully.\n"
                  f"         Current function value: {-info.log_likelihood / info.n_customers:.6f}\n"
                  f"         Iterations: {info.iterations}\n"
                  f"         Function evaluations: {info.evaluations}")
        return model

    def _adopt(self, model, max_age=None, x=None, w=None):
        """Set the lifetimes attributes from a fitted libscrm model."""
        info = model.info()
        names = list(self._param_names)
        params = [info.params[n] for n in names]
        se = [info.std_errors[n] for n in names]
        self.params_ = series(params, names)
        self.__dict__["_model_cache"] = (tuple(params), model)
        self.variance_matrix_, self._hessian_ = self._variance(model, params, info.n_customers)
        self.standard_errors_ = series(se, names)
        p, s = np().array(params), np().array(se)
        self.confidence_intervals_ = table(np().column_stack([p - 1.96 * s, p + 1.96 * s]),
                                           names, ("lower 95% bound", "upper 95% bound"))
        self.log_likelihood_ = info.log_likelihood
        self.nit = info.iterations
        if x is not None:
            self._negative_log_likelihood_ = self._lifetimes_nll(info, params, max_age, x, w)
        for name, method in _BOUND.items():
            if hasattr(self, method):
                setattr(self, name, getattr(self, method))

    def _variance(self, model, params, total_weight):
        """lifetimes' ``variance_matrix_`` and ``_hessian_`` from the C fit's covariance.

        lifetimes computes (params_ ** 2).values * inv(H) / sum(weights) with H the
        Hessian of its mean objective in the log-parameters: entry (i, j) is
        p_j^2 (H_total^-1)_ij, i.e. the covariance p_i p_j (H_total^-1)_ij scaled by
        p_j / p_i (its diagonal is the delta-method variance; off the diagonal the
        matrix is not symmetric, as lifetimes'). ``_hessian_`` is lifetimes' H
        (None for Pareto/NBD, as lifetimes). When the Hessian is not positive
        definite, the variances are infinite like ``standard_errors_``."""
        n = np()
        names = list(self._param_names)
        p = n.asarray(params, dtype=float)
        try:
            cov = n.asarray(model.covariance(), dtype=float)
        except NoDataError:
            cov = n.full((len(p), len(p)), n.inf)
        var = cov * p[None, :] / p[:, None]
        hessian = None
        if self._nll_divisor == "sum" and n.all(n.isfinite(cov)):
            hessian = n.linalg.inv(cov / n.outer(p, p)) / float(total_weight)
        return table(var, names, names), hessian

    def _lifetimes_nll(self, info, params, max_age, x, w):
        """lifetimes' ``_negative_log_likelihood_``: penalised, on its rescaled time axis
        (max age 1), normalised as each lifetimes fitter does."""
        n = np()
        scale = 1.0 / max_age if max_age else 1.0
        ll = info.log_likelihood
        if self._time_params:  # densities of purchase times: Jacobian of the rescaling
            ll -= math.log(scale) * float(n.sum(w * x))
        divisor = {"sum": float(n.sum(w)), "mean": float(n.mean(w))}
        scaled = [p * scale if i in self._time_params else p for i, p in enumerate(params)]
        return -ll / divisor[self._nll_divisor] + self.penalizer_coef * sum(p * p for p in scaled)

    @property
    def summary(self):
        """coef, se(coef) and 95% bounds per parameter (a DataFrame with pandas)."""
        self._unload_params()
        names = list(self._param_names)
        cols = {"coef": [self.params_[k] for k in names],
                "se(coef)": [self.standard_errors_[k] for k in names],
                "lower 95% bound": [self.params_[k] - 1.96 * self.standard_errors_[k]
                                    for k in names],
                "upper 95% bound": [self.params_[k] + 1.96 * self.standard_errors_[k]
                                    for k in names]}
        return frame(cols, index=names)

    # -- persistence ---------------------------------------------------------

    def save_model(self, path, save_data=True, save_generate_data_method=True,
                   values_to_save=None):
        """Save the fitter's attributes with pickle, as lifetimes saves them with dill
        (fitted or not). ``save_data=False`` and ``save_generate_data_method=False``
        store ``data`` and ``generate_new_data`` as ``None``, or as the matching
        entry of ``values_to_save`` (lifetimes pairs the two lists positionally:
        ``[data placeholder, generate_new_data placeholder]``)."""
        state = self.__getstate__()
        dropped = ["" if save_data else "data",
                   "" if save_generate_data_method else "generate_new_data"]
        placeholders = [None] * len(dropped) if values_to_save is None else values_to_save
        for attr, placeholder in zip(dropped, placeholders):
            if attr in state:
                state[attr] = placeholder
        # bound methods would pickle the fitter again: re-bound on load
        bound = [k for k in _BOUND if callable(state.get(k))]
        for k in bound:
            del state[k]
        with open(path, "wb") as out:
            pickle.dump({"format": _FILE_FORMAT, "class": type(self).__name__, "state": state,
                         "bound": bound}, out)

    def load_model(self, path):
        """Load what :meth:`save_model` saved into this fitter (lifetimes updates the
        fitter's attributes the same way). Only open files you trust: this uses
        pickle, as lifetimes uses dill."""
        with open(path, "rb") as src:
            saved = pickle.load(src)
        if not isinstance(saved, dict) or saved.get("format") != _FILE_FORMAT:
            raise ValueError(f"{path}: not a model saved by scrm.compat.lifetimes")
        if saved["class"] != type(self).__name__:
            raise ValueError(f"{path} holds a {saved['class']}, not a {type(self).__name__}")
        self.__dict__.pop("_model_cache", None)
        self.__dict__.update(saved["state"])
        for name in saved["bound"]:
            setattr(self, name, getattr(self, _BOUND[name]))

    def _simulation_ages(self, column):
        """The ages (or opportunities) simulated customers get: those fitted on."""
        data = getattr(self, "data", None)
        if data is None or isinstance(data, str):
            raise ValueError(f"{type(self).__name__}.generate_new_data: no fitted data (saved "
                             f"with save_data=False?) to take the customers' {column} from")
        return np().asarray(data[column], dtype=float)


def _n_subjects(data):
    """Rows of a fitter's ``data`` (DataFrame, array or dict of columns), or None."""
    shape = getattr(data, "shape", None)
    if shape:
        return int(shape[0])
    if isinstance(data, dict) and data:
        return len(next(iter(data.values())))
    return None


class _TransactionFitter(BaseFitter):
    """BG/NBD, MBG/NBD and Pareto/NBD: fit on (frequency, recency, T).

    Rows with frequency 0 and recency > 0 (impossible: no repeat purchase, yet a
    last repeat purchase after the first) are evaluated as lifetimes evaluates
    its formulas there, by :meth:`_alive_without_repeats`; the C library rejects
    them. The conditional expectation is P(alive) times a factor that does not
    depend on recency, so it is the C value at recency 0 rescaled by the ratio of
    the two P(alive)."""

    _time_params = (1,)
    _alive_atleast_1d = True

    def _fit_frt(self, frequency, recency, T, weights, initial_params, verbose, tol, index,
                 kwargs):
        x = vector(frequency, "frequency")
        r = vector(recency, "recency")
        age = vector(T, "T")
        _lifetimes_checks(x, r, age)
        w = n_ones(len(x)) if weights is None else vector(weights, "weights")
        max_age = float(age.max()) if age.size else 1.0
        model = self._run_fit({"frequency": x, "recency": r, "age": age, "weights": w},
                              self._initial(initial_params, max_age), verbose, tol, kwargs)
        self._scale = 1.0 / max_age  # lifetimes' time axis: T / T.max()
        self.data = frame({"frequency": x.astype(int), "recency": r, "T": age, "weights": w},
                          index=index)
        self._adopt(model, max_age, x, w)
        return self

    def _alive_without_repeats(self, params, recency, age):
        """P(alive | frequency 0, recency > 0, T) as lifetimes evaluates it."""
        raise NotImplementedError  # every transaction fitter defines it

    def _alive(self, model, x, r, age):
        """P(alive) per row, and the mask of the rows with x = 0 and t_x != 0."""
        n = np()
        odd = (x == 0) & (r != 0)
        out = n.array(model.probability_alive(x, n.where(odd, 0.0, r), age), dtype=float)
        if odd.any():
            params = [float(v) for v in self._unload_params(*self._param_names)]
            out[odd] = self._alive_without_repeats(params, r[odd], age[odd])
        return out, odd

    def conditional_expected_number_of_purchases_up_to_time(self, t, frequency, recency, T):
        """E[repeat purchases in the next t | frequency, recency, T] per customer."""
        n = np()
        model = self._fitted_model()
        (ts, x, r, age), scalar = broadcast(t, frequency, recency, T)
        odd = (x == 0) & (r != 0)
        r0 = n.where(odd, 0.0, r)
        out = n.empty(len(x))
        for tv in n.unique(ts):
            mask = ts == tv
            out[mask] = model.conditional_expected_purchases(float(tv), x[mask], r0[mask],
                                                             age[mask])
        if odd.any():
            alive, _ = self._alive(model, x[odd], r[odd], age[odd])
            at_zero = n.asarray(model.probability_alive(x[odd], r0[odd], age[odd]), dtype=float)
            out[odd] *= alive / at_zero
        return shaped(out, (frequency, recency, T, t), scalar)

    def conditional_probability_alive(self, frequency, recency, T):
        """P(alive | frequency, recency, T) per customer."""
        model = self._fitted_model()
        (x, r, age), scalar = broadcast(frequency, recency, T)
        out, _ = self._alive(model, x, r, age)
        if self._alive_atleast_1d:
            return out  # lifetimes returns np.atleast_1d(...) here
        return shaped(out, (frequency, recency, T), scalar)

    def conditional_probability_alive_matrix(self, max_frequency=None, max_recency=None):
        """P(alive) for recency 0..max_recency (rows) and frequency 0..max_frequency
        (columns), at age T = max_recency (cells with frequency 0 and recency > 0
        as lifetimes evaluates them)."""
        model = self._fitted_model()
        n = np()
        max_frequency = max_frequency or int(n.max(n.asarray(self.data["frequency"])))
        max_recency = max_recency or int(n.max(n.asarray(self.data["T"])))
        rec, freq = n.meshgrid(n.arange(max_recency + 1, dtype=float),
                               n.arange(max_frequency + 1, dtype=float), indexing="ij")
        ages = n.full(rec.size, float(max_recency))
        p, _ = self._alive(model, freq.ravel(), rec.ravel(), ages)
        return p.reshape(rec.shape)

    def expected_number_of_purchases_up_to_time(self, t):
        """E[repeat purchases in (0, t]] of a new customer."""
        model = self._fitted_model()
        (ts,), scalar = broadcast(t)
        return shaped(model.expected_purchases(ts), (t,), scalar)


def _lifetimes_checks(*args, **kwargs):
    """lifetimes' input checks with its messages (utils._check_inputs), before the
    library's own (which name the row)."""
    from .utils import _check_inputs
    _check_inputs(*args, **kwargs)


def n_ones(n):
    return np().ones(n, dtype=int)


class BetaGeoFitter(_TransactionFitter):
    """BG/NBD (Fader, Hardie & Lee 2005), as lifetimes.BetaGeoFitter.

    Parameters r, alpha, a, b. ``fit(frequency, recency, T, weights=None,
    initial_params=None, verbose=False, tol=1e-7, index=None, **kwargs)``.
    """

    _kind = ClvKind.BGNBD
    _param_names = ("r", "alpha", "a", "b")

    def fit(self, frequency, recency, T, weights=None, initial_params=None, verbose=False,
            tol=1e-7, index=None, **kwargs):
        """Fit by maximum likelihood; returns self with ``params_`` set."""
        return self._fit_frt(frequency, recency, T, weights, initial_params, verbose, tol,
                             index, kwargs)

    def probability_of_n_purchases_up_to_time(self, t, n):
        """P(N(t) = n) for a new customer."""
        (ts, ns), scalar = broadcast(t, n)
        out = self._fitted_model().probability_purchases(ts, ns)
        return shaped(out, (t, n), scalar)

    def _alive_without_repeats(self, params, recency, age):
        return np().ones(len(recency))  # lifetimes: 1 whenever frequency is 0

    def _generate_new_data(self, size=1):
        """``size`` simulated customers with the fitted ages (lifetimes'
        generate_new_data; see :mod:`._simulate`)."""
        return _simulate.beta_geo(self._simulation_ages("T"),
                                  *self._unload_params(*self._param_names), size=size,
                                  modified=self._kind == ClvKind.MBGNBD)

    #: lifetimes' objective: (log_params, freq, rec, T, weights, penalizer_coef), the
    #: weighted mean negative log-likelihood on the time axis of the inputs, plus
    #: penalizer_coef * sum(params ** 2).
    _negative_log_likelihood = staticmethod(_formulas.bgnbd_nll)


class ModifiedBetaGeoFitter(BetaGeoFitter):
    """MBG/NBD (Batislam et al. 2007; Wagner & Hoppe 2008), as
    lifetimes.ModifiedBetaGeoFitter. Parameters r, alpha, a, b."""

    _kind = ClvKind.MBGNBD

    def _alive_without_repeats(self, params, recency, age):
        return _formulas.mbgnbd_alive_at_impossible_rows(params, recency, age)

    _negative_log_likelihood = staticmethod(_formulas.mbgnbd_nll)


class ParetoNBDFitter(_TransactionFitter):
    """Pareto/NBD (Schmittlein, Morrison & Colombo 1987), as lifetimes.ParetoNBDFitter.

    Parameters r, alpha, s, beta. lifetimes fits it with Nelder-Mead; libscrm
    uses BFGS with analytic gradients, so ``iterative_fitting``, ``fit_method``
    and ``tol`` (a simplex tolerance there) do not apply: the fit runs to the
    library's gradient tolerance (1e-8, or ``tol`` when smaller).
    """

    _kind = ClvKind.PARETO_NBD
    _param_names = ("r", "alpha", "s", "beta")
    _time_params = (1, 3)
    _log_initial = False
    _nll_divisor = "mean"
    _alive_atleast_1d = False

    def fit(self, frequency, recency, T, weights=None, iterative_fitting=1,
            initial_params=None, verbose=False, tol=1e-4, index=None, fit_method="Nelder-Mead",
            maxiter=2000, **kwargs):
        """Fit by maximum likelihood; returns self with ``params_`` set."""
        if iterative_fitting <= 0:
            raise ValueError("iterative_fitting parameter should be greater than 0 as of "
                             "lifetimes v0.2.1")
        if iterative_fitting > 1 and initial_params is not None:
            raise ValueError("iterative_fitting and initial_params should not be both set, as "
                             "no improvement could be made.")
        kwargs = dict(kwargs)
        kwargs.setdefault("maxiter", max(int(maxiter), 500))
        return self._fit_frt(frequency, recency, T, weights, initial_params, verbose,
                             min(float(tol), 1e-8), index, kwargs)

    def conditional_probability_of_n_purchases_up_to_time(self, n, t, frequency, recency, T):
        """P(n purchases in the next t | frequency, recency, T) (Fader & Hardie,
        note 028, eq. 16); ``n`` and ``t`` scalars, the history scalars or arrays.
        0 when t <= 0, as lifetimes."""
        if t <= 0:
            return 0
        (x, r, age), scalar = broadcast(frequency, recency, T)
        alive, _ = self._alive(self._fitted_model(), x, r, age)
        params = [float(v) for v in self._unload_params(*self._param_names)]
        with np().errstate(divide="ignore"):
            out = _formulas.pnbd_conditional_pmf(params, n, float(t), x, r, age,
                                                 np().log(alive))
        return shaped(out, (frequency, recency, T), scalar)

    def _alive_without_repeats(self, params, recency, age):
        return _formulas.pnbd_alive_at_impossible_rows(params, recency, age)

    def _generate_new_data(self, size=1):
        """``size`` simulated customers with the fitted ages (lifetimes'
        generate_new_data; see :mod:`._simulate`)."""
        return _simulate.pareto_nbd(self._simulation_ages("T"),
                                    *self._unload_params(*self._param_names), size=size)

    #: lifetimes' objective: (params, freq, rec, T, weights, penalizer_coef) with
    #: NATURAL parameters: -sum(weights * log L) / mean(weights) + penalty.
    _negative_log_likelihood = staticmethod(_formulas.pnbd_nll)
    #: log A_0 (params, freq, recency, age) of the likelihood (note 009, eqs. 19-20).
    _log_A_0 = staticmethod(_formulas.pnbd_log_a0)
    #: log L per row (params, freq, rec, T) (note 009, eq. 18).
    _conditional_log_likelihood = staticmethod(_formulas.pnbd_conditional_log_likelihood)


class GammaGammaFitter(BaseFitter):
    """Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Fader & Hardie 2013),
    as lifetimes.GammaGammaFitter. Parameters p, q, v."""

    _kind = ClvKind.GAMMA_GAMMA
    _param_names = ("p", "q", "v")

    #: lifetimes' objective: (log_params, frequency, avg_monetary_value, weights,
    #: penalizer_coef).
    _negative_log_likelihood = staticmethod(_formulas.gamma_gamma_nll)

    def fit(self, frequency, monetary_value, weights=None, initial_params=None, verbose=False,
            tol=1e-7, index=None, q_constraint=False, **kwargs):
        """Fit on repeat buyers (frequency >= 1, monetary_value > 0)."""
        x = vector(frequency, "frequency")
        m = vector(monetary_value, "monetary_value")
        _lifetimes_checks(x, monetary_value=m)
        w = n_ones(len(x)) if weights is None else vector(weights, "weights")
        model = self._run_fit({"frequency": x, "monetary": m, "weights": w},
                              self._initial(initial_params, None), verbose, tol, kwargs)
        q = model.params["q"]
        if q_constraint and q < 1:
            raise ConvergenceError(
                f"q_constraint: the maximum-likelihood q = {q:.4g} < 1 and libscrm does not "
                "fit under constraints; the population mean spend does not exist")
        self.data = frame({"monetary_value": m, "frequency": x, "weights": w}, index=index)
        self._adopt(model, None, x, w)
        return self

    def conditional_expected_average_profit(self, frequency=None, monetary_value=None):
        """E[M | frequency, monetary_value]: the expected value per transaction."""
        model = self._fitted_model()
        if monetary_value is None:
            monetary_value = self.data["monetary_value"]
        if frequency is None:
            frequency = self.data["frequency"]
        (x, m), scalar = broadcast(frequency, monetary_value)
        return shaped(model.expected_spend(x, m), (frequency, monetary_value), scalar)

    def customer_lifetime_value(self, transaction_prediction_model, frequency, recency, T,
                                monetary_value, time=12, discount_rate=0.01, freq="D"):
        """Discounted value of the next ``time`` months per customer, with the
        Gamma-Gamma expected spend (a Series named ``clv``)."""
        from .utils import _clv
        return _clv(transaction_prediction_model, frequency, recency, T, monetary_value,
                    time, discount_rate, freq, spend=self._fitted_model())


class BetaGeoBetaBinomFitter(BaseFitter):
    """BG/BB (Fader, Hardie & Shang 2010), as lifetimes.BetaGeoBetaBinomFitter.

    Discrete time: ``frequency`` = opportunities with a transaction, ``recency`` =
    the last of them, ``n_periods`` = opportunities observed. Parameters alpha,
    beta, gamma, delta. As in lifetimes 0.11: BFGS on log-parameters, ``tol``
    1e-7, ``initial_params`` as log-parameters. lifetimes before 0.10 fitted it
    by Nelder-Mead: its ``iterative_fitting`` and ``fit_method`` keywords are
    accepted and ignored (with a warning, as other scipy options).
    """

    _kind = ClvKind.BGBB
    _param_names = ("alpha", "beta", "gamma", "delta")
    _time_params = ()

    #: lifetimes' objective: (log_params, frequency, recency, n_periods, weights,
    #: penalizer_coef=0); and log L per row (params, x, tx, T) (FHS 2010, eq. 5).
    _negative_log_likelihood = staticmethod(_formulas.bgbb_nll)
    _loglikelihood = staticmethod(_formulas.bgbb_log_likelihood)

    def fit(self, frequency, recency, n_periods, weights=None, initial_params=None,
            verbose=False, tol=1e-7, index=None, **kwargs):
        """Fit by maximum likelihood; returns self with ``params_`` set."""
        x = vector(frequency, "frequency")
        r = vector(recency, "recency")
        n = vector(n_periods, "n_periods")
        _lifetimes_checks(x, r, n)
        w = n_ones(len(x)) if weights is None else vector(weights, "weights")
        model = self._run_fit({"frequency": x, "recency": r, "age": n, "weights": w},
                              self._initial(initial_params, None), verbose, tol, kwargs)
        self.data = frame({"frequency": x.astype(int), "recency": r.astype(int),
                           "n_periods": n.astype(int), "weights": w}, index=index)
        self._adopt(model, None, x, w)
        return self

    def _rows(self, x, r, n):
        """The rows for the C library, and per row the factor turning its value into
        lifetimes': rows with frequency 0 and recency > 0 are evaluated at recency 0
        and rescaled by L(0, 0, n) / L(0, t_x, n), since every prediction is a
        recency-free quantity over the likelihood L (FHS 2010, eqs. 13 and A10)."""
        odd = (x == 0) & (r != 0)
        factor = np().ones(len(x))
        if odd.any():
            params = [float(v) for v in self._unload_params(*self._param_names)]
            factor[odd] = np().exp(
                _formulas.bgbb_log_likelihood(params, 0.0, np().zeros(int(odd.sum())), n[odd])
                - _formulas.bgbb_log_likelihood(params, 0.0, r[odd], n[odd]))
        return np().where(odd, 0.0, r), factor

    def conditional_expected_number_of_purchases_up_to_time(self, m_periods_in_future,
                                                            frequency, recency, n_periods):
        """Expected transactions in the next ``m_periods_in_future`` opportunities
        given (frequency, recency, n_periods) (FHS 2010, eq. 13)."""
        model = self._fitted_model()
        (ms, x, r, n), scalar = broadcast(m_periods_in_future, frequency, recency, n_periods)
        r0, factor = self._rows(x, r, n)
        out = np().empty(len(x))
        for mv in np().unique(ms):
            mask = ms == mv
            out[mask] = model.conditional_expected_purchases(float(mv), x[mask], r0[mask],
                                                             n[mask])
        return shaped(out * factor, (frequency, recency, n_periods, m_periods_in_future),
                      scalar)

    def conditional_probability_alive(self, m_periods_in_future, frequency, recency,
                                      n_periods):
        """P(alive at opportunity n_periods + m_periods_in_future) given the history."""
        from ...special import lbeta
        model = self._fitted_model()
        (ms, x, r, n), scalar = broadcast(m_periods_in_future, frequency, recency, n_periods)
        r0, rescale = self._rows(x, r, n)
        alive_next = np().asarray(model.probability_alive(x, r0, n), dtype=float) * rescale
        g, d = self.params_["gamma"], self.params_["delta"]
        # libscrm gives P(alive at n + 1); surviving the m - 1 further opportunities
        # scales it by B(gamma, delta + n + m) / B(gamma, delta + n + 1).
        factor = [math.exp(lbeta(g, d + nv + mv) - lbeta(g, d + nv + 1))
                  for nv, mv in zip(n.tolist(), ms.tolist())]
        return shaped(alive_next * np().asarray(factor), (frequency, recency, n_periods),
                      scalar)

    def _generate_new_data(self, size=1):
        """``size`` simulated customers over the fitted numbers of opportunities
        (lifetimes' generate_new_data; see :mod:`._simulate`)."""
        return _simulate.beta_geo_beta_binom(self._simulation_ages("n_periods"),
                                             *self._unload_params(*self._param_names),
                                             size=size)

    def expected_number_of_transactions_in_first_n_periods(self, n):
        """Expected number of customers with x transactions in the first ``n``
        opportunities, for each x observed in the fitted data (FHS 2010, eq. 7):
        a DataFrame indexed by frequency with the column ``model``."""
        model = self._fitted_model()
        nn = np()
        x = nn.asarray(self.data["frequency"], dtype=float)
        w = nn.asarray(self.data["weights"], dtype=float)
        xs = nn.unique(x)
        p = nn.asarray(model.probability_purchases([float(n)] * len(xs), xs), dtype=float)
        counts = p * float(w.sum())
        pandas = _pd()
        if pandas is None:
            return {"frequency": xs, "model": counts}
        return pandas.DataFrame({"model": counts},
                                index=pandas.Index(xs.astype(int), name="frequency"))


__all__ = ["BaseFitter", "BetaGeoFitter", "ModifiedBetaGeoFitter", "ParetoNBDFitter",
           "GammaGammaFitter", "BetaGeoBetaBinomFitter", "ConvergenceError", "UNITS_PER_MONTH"]
