"""Customer lifetime value models (``scrm_clv_*``): BG/NBD, MBG/NBD, Pareto/NBD
and Gamma-Gamma, fitted by maximum likelihood, with their predictions and the
discounted customer value (lifetimes' definition).

    >>> m = scrm.ClvModel.fit("bgnbd", frequency=x, recency=t_x, age=T)
    >>> m.params            # {'r': ..., 'alpha': ..., 'a': ..., 'b': ...}
    >>> m.conditional_expected_purchases(39, x, t_x, T)
"""

import enum
from ctypes import (CFUNCTYPE, POINTER, byref, c_double, c_int, c_int32, c_size_t, c_uint,
                    c_uint8, c_uint32, c_uint64, c_void_p, c_char_p, cast)

from . import errors
from ._arrays import as_input, read_bytes, read_sized
from ._lib import Handle, HandlePtr, _fn, check_status, raise_last
from ._structs import CONSTANTS, Result, Struct, from_struct, make_options, result

MAX_PARAMS = 8


class ClvKind(enum.IntEnum):
    """Model kinds (enum scrm_clv_kind)."""

    BGNBD = 1
    MBGNBD = 2
    PARETO_NBD = 3
    GAMMA_GAMMA = 4
    SBG = 5
    BGBB = 6


CONSTANTS.update({f"SCRM_CLV_{k.name}": k.value for k in ClvKind})
CONSTANTS.update(SCRM_CLV_MAX_PARAMS=MAX_PARAMS, SCRM_CLV_DATA_VERSION=1,
                 SCRM_CLV_FIT_OPTIONS_VERSION=1, SCRM_CLV_VALUE_OPTIONS_VERSION=1)

_ALIASES = {"bgnbd": ClvKind.BGNBD, "bg/nbd": ClvKind.BGNBD, "mbgnbd": ClvKind.MBGNBD,
            "mbg/nbd": ClvKind.MBGNBD, "pareto_nbd": ClvKind.PARETO_NBD,
            "pareto/nbd": ClvKind.PARETO_NBD, "pnbd": ClvKind.PARETO_NBD,
            "gamma_gamma": ClvKind.GAMMA_GAMMA, "gg": ClvKind.GAMMA_GAMMA,
            "sbg": ClvKind.SBG, "bgbb": ClvKind.BGBB}


def _kind(kind):
    if isinstance(kind, str):
        try:
            return _ALIASES[kind.lower()]
        except KeyError:
            raise ValueError(f"unknown CLV model kind {kind!r}; known: "
                             f"{', '.join(sorted(_ALIASES))}") from None
    return int(kind)


class ClvModelPtr(HandlePtr):
    _c_name_ = "scrm_clv_model"


class ClvData(Struct):
    _c_name_ = "scrm_clv_data"
    _fields_ = [("version", c_uint), ("n", c_size_t), ("frequency", POINTER(c_double)),
                ("recency", POINTER(c_double)), ("age", POINTER(c_double)),
                ("monetary", POINTER(c_double)), ("weights", POINTER(c_double))]


ProgressFn = CFUNCTYPE(c_int, c_void_p, c_uint32, c_double, c_double, POINTER(c_double),
                       c_size_t)


class ClvFitOptions(Struct):
    _c_name_ = "scrm_clv_fit_options"
    _fields_ = [("version", c_uint), ("max_iterations", c_uint32), ("tolerance", c_double),
                ("penalizer", c_double), ("initial_params", POINTER(c_double)),
                ("n_initial_params", c_size_t), ("progress", ProgressFn),
                ("progress_user_data", c_void_p)]


class ClvFitResultC(Struct):
    _c_name_ = "scrm_clv_fit_result"
    _fields_ = [("kind", c_int32), ("status", c_int32), ("converged", c_int32),
                ("fitted", c_int32), ("n_params", c_uint32), ("iterations", c_uint32),
                ("evaluations", c_uint32), ("params", c_double * MAX_PARAMS),
                ("std_errors", c_double * MAX_PARAMS), ("log_likelihood", c_double),
                ("gradient_norm", c_double), ("n_customers", c_double), ("n_rows", c_uint64)]


class ClvValueOptions(Struct):
    _c_name_ = "scrm_clv_value_options"
    _fields_ = [("version", c_uint), ("months", c_uint32), ("discount_rate", c_double),
                ("units_per_month", c_double), ("margin", c_double)]


UNITS_PER_MONTH = {"D": 30.0, "W": 4.345, "M": 1.0, "H": 720.0}


def _fit_check(result, func, args):
    """Fits return the best point with SCRM_EMAXITER/SCRM_ELOSS: let the wrapper raise."""
    if result < 0 and result not in (errors.SCRM_EMAXITER, errors.SCRM_ELOSS):
        raise_last(result, "scrm_clv_model_fit")
    return result


_P = POINTER
_fit_options_init = _fn("scrm_clv_fit_options_init", [_P(ClvFitOptions), c_uint], c_int,
                        check_status)
_value_options_init = _fn("scrm_clv_value_options_init", [_P(ClvValueOptions), c_uint], c_int,
                          check_status)
_model_fit = _fn("scrm_clv_model_fit", [_P(ClvModelPtr), c_int32, _P(ClvData),
                                        _P(ClvFitOptions), _P(ClvFitResultC)], c_int, _fit_check)
_model_new = _fn("scrm_clv_model_new", [_P(ClvModelPtr), c_int32, _P(c_double), c_size_t],
                 c_int, check_status)
_model_free = _fn("scrm_clv_model_free", [ClvModelPtr], None, None)
_model_info = _fn("scrm_clv_model_info", [ClvModelPtr, _P(ClvFitResultC)], c_int, check_status)
_covariance = _fn("scrm_clv_model_covariance", [ClvModelPtr, _P(c_double), c_size_t,
                                                _P(c_size_t)], c_int, check_status)
_kind_name = _fn("scrm_clv_kind_name", [c_int32], c_char_p, None)
_kind_param_count = _fn("scrm_clv_kind_param_count", [c_int32], c_uint32, None)
_kind_param_name = _fn("scrm_clv_kind_param_name", [c_int32, c_uint32], c_char_p, None)
_serialize = _fn("scrm_clv_model_serialize", [ClvModelPtr, _P(c_uint8), c_size_t,
                                              _P(c_size_t)], c_int, check_status)
_deserialize = _fn("scrm_clv_model_deserialize", [_P(ClvModelPtr), _P(c_uint8), c_size_t],
                   c_int, check_status)
_expected = _fn("scrm_clv_expected_purchases", [ClvModelPtr, _P(c_double), c_size_t,
                                                _P(c_double), c_size_t, _P(c_size_t)], c_int,
                check_status)
_cond_expected = _fn("scrm_clv_conditional_expected_purchases",
                     [ClvModelPtr, c_double, _P(ClvData), _P(c_double), c_size_t, _P(c_size_t)],
                     c_int, check_status)
_p_alive = _fn("scrm_clv_probability_alive", [ClvModelPtr, _P(ClvData), _P(c_double),
                                              c_size_t, _P(c_size_t)], c_int, check_status)
_pmf = _fn("scrm_clv_probability_purchases", [ClvModelPtr, _P(c_double), _P(c_double),
                                              c_size_t, _P(c_double), c_size_t, _P(c_size_t)],
           c_int, check_status)
_spend = _fn("scrm_clv_expected_spend", [ClvModelPtr, _P(ClvData), _P(c_double), c_size_t,
                                         _P(c_size_t)], c_int, check_status)
_value = _fn("scrm_clv_customer_value", [ClvModelPtr, ClvModelPtr, _P(ClvData),
                                         _P(ClvValueOptions), _P(c_double), c_size_t,
                                         _P(c_size_t)], c_int, check_status)


def kind_name(kind):
    """Name of a kind ("BG/NBD"), or None when this library lacks it."""
    name = _kind_name(_kind(kind))
    return name.decode("ascii") if name else None


def kind_param_names(kind):
    """Parameter names of a kind, e.g. ``["r", "alpha", "a", "b"]``."""
    k = _kind(kind)
    return [_kind_param_name(k, i).decode("ascii") for i in range(_kind_param_count(k))]


@result
class ClvFitResult(Result):
    kind: int
    status: int
    converged: bool
    fitted: bool
    params: dict
    std_errors: dict
    log_likelihood: float
    gradient_norm: float
    iterations: int
    evaluations: int
    n_customers: float
    n_rows: int


def _to_result(c):
    names = kind_param_names(c.kind) if _kind_param_count(c.kind) else [
        f"p{i}" for i in range(c.n_params)]
    n = c.n_params
    return from_struct(ClvFitResult, c, converged=bool(c.converged), fitted=bool(c.fitted),
                       params=dict(zip(names, list(c.params)[:n])),
                       std_errors=dict(zip(names, list(c.std_errors)[:n])))


def _data(frequency=None, recency=None, age=None, monetary=None, weights=None):
    """A ClvData plus the CArrays that must stay alive during the call."""
    cols = {"frequency": frequency, "recency": recency, "age": age, "monetary": monetary,
            "weights": weights}
    d = ClvData()
    d.version = 1
    keep, n = [], None
    for name, values in cols.items():
        if values is None:
            continue
        arr = as_input(values, c_double, name)
        if n is not None and arr.n != n:
            raise ValueError(f"{name}: {arr.n} values, expected {n} like the other columns")
        n = arr.n
        setattr(d, name, arr.ptr)
        keep.append(arr)
    d.n = n or 0
    return d, keep


class ClvModel(Handle):
    """A fitted (or parameter-given) CLV model; read-only and thread-safe to query."""

    _free_ = _model_free

    def __init__(self, kind, params):
        """A model from known parameters (sequence in the kind's order, or a dict)."""
        k = _kind(kind)
        if isinstance(params, dict):
            params = [params[name] for name in kind_param_names(k)]
        arr = as_input(params, c_double, "params")
        ptr = ClvModelPtr()
        _model_new(byref(ptr), k, arr.ptr, arr.n)
        super().__init__(ptr)

    @classmethod
    def fit(cls, kind, frequency, recency=None, age=None, monetary=None, weights=None,
            initial_params=None, progress=None, **options):
        """Fit by maximum likelihood. Options: max_iterations, tolerance, penalizer.

        ``progress(iteration, log_likelihood, gradient_norm, params)`` is called per
        iteration; returning True stops the fit. Non-convergence raises
        :class:`scrm.errors.NotConvergedError` (or ``LossOfAccuracyError``) with
        the best point as ``.result``.
        """
        k = _kind(kind)
        opts = make_options(ClvFitOptions, _fit_options_init, 1, options)
        keep = []
        if initial_params is not None:
            if isinstance(initial_params, dict):
                initial_params = [initial_params[n] for n in kind_param_names(k)]
            arr = as_input(initial_params, c_double, "initial_params")
            keep.append(arr)
            opts.initial_params = arr.ptr
            opts.n_initial_params = arr.n
        if progress is not None:
            def thunk(user, it, ll, gnorm, params, n):
                try:
                    return 1 if progress(it, ll, gnorm, [params[i] for i in range(n)]) else 0
                except Exception:  # never let an exception cross the C frame
                    return 1
            cb = ProgressFn(thunk)
            keep.append(cb)
            opts.progress = cb
        d, cols = _data(frequency, recency, age, monetary, weights)
        res = ClvFitResultC()
        ptr = ClvModelPtr()
        code = _model_fit(byref(ptr), k, byref(d), byref(opts), byref(res))
        del keep, cols
        if code < 0:
            exc = errors.error_for(code, _last_message(code), "scrm_clv_model_fit")
            exc.result = _to_result(res)
            raise exc
        model = cls._wrap(ptr)
        return model

    @classmethod
    def from_bytes(cls, data):
        """Restore a model saved with :meth:`to_bytes`."""
        raw = bytes(data)
        buf = (c_uint8 * max(len(raw), 1)).from_buffer_copy(raw or b"\0")
        ptr = ClvModelPtr()
        _deserialize(byref(ptr), cast(buf, POINTER(c_uint8)), len(raw))
        return cls._wrap(ptr)

    def to_bytes(self):
        """The model as a versioned byte string."""
        with self._locked() as h:
            return read_bytes(lambda p, cap, n: _serialize(h, p, cap, n))

    def info(self):
        """Parameters, standard errors and fit diagnostics (:class:`ClvFitResult`)."""
        out = ClvFitResultC()
        with self._locked() as h:
            _model_info(h, byref(out))
        return _to_result(out)

    def covariance(self):
        """Covariance of the fitted parameters (natural units; its diagonal is the
        squared standard errors) as a list of rows in the kind's parameter order.
        Only models fitted in this process carry it: others raise
        :class:`scrm.errors.NoDataError`."""
        with self._locked() as h:
            flat = list(read_sized(lambda p, cap, n: _covariance(h, p, cap, n), c_double,
                                   cap=MAX_PARAMS * MAX_PARAMS))
        k = int(round(len(flat) ** 0.5))
        return [flat[i * k:(i + 1) * k] for i in range(k)]

    @property
    def params(self):
        return self.info().params

    @property
    def kind(self):
        return ClvKind(self.info().kind)

    def expected_purchases(self, t):
        """E[X(t)] for each horizon in ``t``."""
        ts = as_input(t, c_double, "t")
        with self._locked() as h:
            return read_sized(lambda p, cap, n: _expected(h, ts.ptr, ts.n, p, cap, n),
                              c_double, cap=max(ts.n, 1))

    def conditional_expected_purchases(self, t, frequency, recency, age):
        """E[Y(t) | x, t_x, T] per customer."""
        d, keep = _data(frequency, recency, age)
        with self._locked() as h:
            return read_sized(lambda p, cap, n: _cond_expected(h, t, byref(d), p, cap, n),
                              c_double, cap=max(d.n, 1))

    def probability_alive(self, frequency, recency, age):
        """P(alive | x, t_x, T) per customer."""
        d, keep = _data(frequency, recency, age)
        with self._locked() as h:
            return read_sized(lambda p, cap, n: _p_alive(h, byref(d), p, cap, n), c_double,
                              cap=max(d.n, 1))

    def probability_purchases(self, t, n):
        """P(X(t) = n) for pairs (t, n) (scalars are broadcast)."""
        if not hasattr(t, "__len__") and hasattr(n, "__len__"):
            t = [t] * len(n)
        if not hasattr(n, "__len__") and hasattr(t, "__len__"):
            n = [n] * len(t)
        if not hasattr(t, "__len__"):
            t, n = [t], [n]
        ts, ns = as_input(t, c_double, "t"), as_input(n, c_double, "n")
        if ts.n != ns.n:
            raise ValueError("t and n differ in length")
        with self._locked() as h:
            return read_sized(lambda p, cap, k: _pmf(h, ts.ptr, ns.ptr, ts.n, p, cap, k),
                              c_double, cap=max(ts.n, 1))

    def expected_spend(self, frequency, monetary):
        """Gamma-Gamma E[M | x, mbar] per customer."""
        d, keep = _data(frequency, monetary=monetary)
        with self._locked() as h:
            return read_sized(lambda p, cap, n: _spend(h, byref(d), p, cap, n), c_double,
                              cap=max(d.n, 1))

    def customer_value(self, frequency, recency, age, monetary, spend_model=None, **options):
        """Discounted expected future value per customer (lifetimes' definition).

        Options: months (12), discount_rate (0.01 per month), units_per_month (30;
        or ``freq="D"/"W"/"M"/"H"`` as in lifetimes), margin (1).
        """
        freq = options.pop("freq", None)
        if freq is not None:
            options["units_per_month"] = UNITS_PER_MONTH[freq]
        opts = make_options(ClvValueOptions, _value_options_init, 1, options)
        d, keep = _data(frequency, recency, age, monetary)
        with self._locked() as h:
            if spend_model is None:
                return read_sized(lambda p, cap, n: _value(h, None, byref(d), byref(opts), p,
                                                           cap, n), c_double, cap=max(d.n, 1))
            with spend_model._locked() as s:
                return read_sized(lambda p, cap, n: _value(h, s, byref(d), byref(opts), p,
                                                           cap, n), c_double, cap=max(d.n, 1))


def _last_message(code):
    from ._lib import last_error_code, last_error_message
    return last_error_message() if last_error_code() == code else ""


__all__ = ["ClvKind", "ClvModel", "ClvFitResult", "kind_name", "kind_param_names"]
