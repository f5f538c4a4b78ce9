"""Customer base: RFM summaries and closed-form lifetime value.

- :class:`Rfm` (``scrm_rfm``): per-customer frequency x, recency t_x, age T and
  mean repeat value from a dataset's transactions or from arrays, in days,
  weeks, months, quarters or years, with an optional calibration/holdout split
  (Fader, Hardie & Lee 2005). :meth:`Rfm.collapse` gives the weighted distinct
  (x, t_x, T) rows the model fits consume.
- :class:`RfmHistogram` (``scrm_rfm_hist``): a mergeable accumulator of weighted
  distinct (x, t_x, T) rows, built per partition (threads, processes, Dask),
  merged (also through :meth:`RfmHistogram.to_bytes`) and fitted once.
- :func:`clv_closed_form` and :func:`clv_cohort`: lifetime value with constant
  (or per-period) retention after Gupta & Lehmann (2003), "Customers as assets".
"""

import enum
import math
import operator
from ctypes import POINTER, byref, c_double, c_int, c_int32, c_int64, c_size_t, c_uint, \
    c_uint8, c_uint32, c_uint64, cast

from ._arrays import as_input, have_numpy, np, read_sized
from ._accumulator import Accumulator
from ._lib import Handle, HandlePtr, _fn, check_status
from ._structs import CONSTANTS, Result, Struct, from_struct, make_options, result
from . import errors
from ._lib import raise_last
from .clv import ClvFitOptions, ClvFitResultC, ClvModel, ClvModelPtr, _fit_options_init, \
    _kind, _last_message, _to_result, kind_param_names
from .dataset import Dataset, DatasetPtr
from .errors import SCRM_EINVAL, BufferTooSmallError, error_for
from .times import TIME_NONE, Period, to_seconds

RFM_OPTIONS_VERSION = 1
RFM_HIST_OPTIONS_VERSION = 1
CLV_TERMS_VERSION = 1


class RfmValue(enum.IntEnum):
    """Which transaction value the monetary columns average (enum scrm_rfm_value)."""

    AMOUNT = 1
    MARGIN = 2


class RfmColumn(enum.IntEnum):
    """Columns of an RFM summary (enum scrm_rfm_column)."""

    FREQUENCY = 1
    RECENCY = 2
    AGE = 3
    MONETARY = 4
    HOLDOUT_FREQUENCY = 5
    HOLDOUT_MONETARY = 6
    FIRST = 7


class ClvTiming(enum.IntEnum):
    """When each period's margin is received (enum scrm_clv_timing)."""

    END = 1
    BEGIN = 2


CONSTANTS.update({f"SCRM_RFM_VALUE_{v.name}": v.value for v in RfmValue})
CONSTANTS.update({f"SCRM_RFM_{c.name}": c.value for c in RfmColumn})
CONSTANTS.update({f"SCRM_CLV_TIMING_{t.name}": t.value for t in ClvTiming})
CONSTANTS.update(SCRM_RFM_OPTIONS_VERSION=RFM_OPTIONS_VERSION,
                 SCRM_RFM_HIST_OPTIONS_VERSION=RFM_HIST_OPTIONS_VERSION,
                 SCRM_CLV_TERMS_VERSION=CLV_TERMS_VERSION)


class RfmPtr(HandlePtr):
    _c_name_ = "scrm_rfm"


class RfmOptions(Struct):
    _c_name_ = "scrm_rfm_options"
    _fields_ = [("version", c_uint), ("period", c_int32), ("unit", c_int32), ("value", c_int32),
                ("calibration_end", c_int64), ("observation_end", c_int64)]


class CRfmInfo(Struct):
    _c_name_ = "scrm_rfm_info"
    _fields_ = [("customers", c_uint64), ("transactions", c_uint64), ("after_end", c_uint64),
                ("late_customers", c_uint64), ("calibration_end", c_int64),
                ("observation_end", c_int64), ("holdout_duration", c_double)]


class ClvTerms(Struct):
    _c_name_ = "scrm_clv_terms"
    _fields_ = [("version", c_uint), ("margin", c_double), ("retention", c_double),
                ("discount", c_double), ("growth", c_double), ("timing", c_int32),
                ("horizon", c_uint32)]


_rfm_options_init = _fn("scrm_rfm_options_init", [POINTER(RfmOptions), c_uint], c_int,
                        check_status)
_rfm_new = _fn("scrm_rfm_new", [POINTER(RfmPtr), POINTER(RfmOptions), DatasetPtr], c_int,
               check_status)
_rfm_new_from_arrays = _fn("scrm_rfm_new_from_arrays",
                           [POINTER(RfmPtr), POINTER(RfmOptions), POINTER(c_int64),
                            POINTER(c_int64), POINTER(c_double), c_size_t], c_int, check_status)
_rfm_free = _fn("scrm_rfm_free", [RfmPtr], None, None)
_rfm_get_info = _fn("scrm_rfm_get_info", [RfmPtr, POINTER(CRfmInfo)], c_int, check_status)
_rfm_customers = _fn("scrm_rfm_customers",
                     [RfmPtr, POINTER(c_int64), c_size_t, POINTER(c_size_t)], c_int, check_status)
_rfm_column = _fn("scrm_rfm_column",
                  [RfmPtr, c_int32, POINTER(c_double), c_size_t, POINTER(c_size_t)], c_int,
                  check_status)
_rfm_collapse = _fn("scrm_rfm_collapse",
                    [RfmPtr, POINTER(c_double), POINTER(c_double), POINTER(c_double),
                     POINTER(c_double), c_size_t, POINTER(c_size_t)], c_int, check_status)
_clv_terms_init = _fn("scrm_clv_terms_init", [POINTER(ClvTerms), c_uint], c_int, check_status)
_clv_closed_form = _fn("scrm_clv_closed_form", [POINTER(ClvTerms), POINTER(c_double)], c_int,
                       check_status)
_clv_cohort = _fn("scrm_clv_cohort",
                  [POINTER(ClvTerms), c_double, POINTER(c_double), POINTER(c_double),
                   POINTER(c_double), POINTER(c_double), c_size_t, POINTER(c_size_t)], c_int,
                  check_status)


def _sbg_fit_check(result, func, args):
    """Fits return the best point with SCRM_EMAXITER/SCRM_ELOSS: the wrapper raises."""
    if result < 0 and result not in (errors.SCRM_EMAXITER, errors.SCRM_ELOSS):
        raise_last(result, "scrm_clv_sbg_fit_survivors")
    return result


_sbg_fit_survivors = _fn("scrm_clv_sbg_fit_survivors",
                         [POINTER(ClvModelPtr), POINTER(c_double), c_size_t,
                          POINTER(ClvFitOptions), POINTER(ClvFitResultC)], c_int, _sbg_fit_check)
_sbg_survival = _fn("scrm_clv_sbg_survival",
                    [ClvModelPtr, POINTER(c_double), c_size_t, POINTER(c_double), c_size_t,
                     POINTER(c_size_t)], c_int, check_status)
_sbg_retention = _fn("scrm_clv_sbg_retention",
                     [ClvModelPtr, POINTER(c_double), c_size_t, POINTER(c_double), c_size_t,
                      POINTER(c_size_t)], c_int, check_status)
_sbg_derl = _fn("scrm_clv_sbg_derl",
                [ClvModelPtr, c_double, POINTER(c_double), c_size_t, POINTER(c_double), c_size_t,
                 POINTER(c_size_t)], c_int, check_status)


def _enum(cls, value, what):
    """An enum member from a member, its value or its (case-insensitive) name."""
    if isinstance(value, str):
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise error_for(SCRM_EINVAL, f"{what}: unknown value {value!r}; one of "
                            f"{', '.join(m.name.lower() for m in cls)}") from None
    try:
        return cls(operator.index(value))
    except (TypeError, ValueError):
        raise error_for(SCRM_EINVAL, f"{what}: unknown value {value!r}") from None


_UNIT_ALIASES = {"days": "day", "weeks": "week", "months": "month", "quarters": "quarter",
                 "years": "year", "d": "day", "w": "week", "m": "month", "q": "quarter",
                 "y": "year"}


def _period(value, what):
    if isinstance(value, str):
        value = _UNIT_ALIASES.get(value.strip().lower(), value)
    return _enum(Period, value, what)


def _time_or_none(value):
    return TIME_NONE if value is None else to_seconds(value)


def _rfm_options(period="day", unit="day", value="amount", calibration_end=None,
                 observation_end=None):
    return make_options(RfmOptions, _rfm_options_init, RFM_OPTIONS_VERSION, {
        "period": _period(period, "period"), "unit": _period(unit, "unit"),
        "value": _enum(RfmValue, value, "value"),
        "calibration_end": _time_or_none(calibration_end),
        "observation_end": _time_or_none(observation_end)})


@result
class RfmInfo(Result):
    """What an RFM summary used. Times are seconds since the epoch;
    ``observation_end`` is ``TIME_NONE`` without a holdout."""

    customers: int
    transactions: int
    after_end: int
    late_customers: int
    calibration_end: int
    observation_end: int
    holdout_duration: float


def _times(values):
    """int64 seconds from ints, ISO strings, dates/datetimes or NumPy datetime64."""
    if have_numpy():
        arr = np.asarray(values)
        if arr.dtype.kind == "M":
            return as_input(arr.astype("datetime64[s]").view("int64"), c_int64, "time")
        if arr.dtype.kind in "iu":
            return as_input(arr, c_int64, "time")
        values = arr.tolist()
    out = []
    for i, v in enumerate(values):
        try:
            out.append(v if isinstance(v, int) and not isinstance(v, bool) else to_seconds(v))
        except TypeError:
            raise TypeError(f"time[{i}]: expected a time, got {v!r}") from None
    return as_input(out, c_int64, "time")


def _customer_keys(customers):
    """int64 keys for the C call and the labels to map them back (or None)."""
    if have_numpy():
        arr = np.asarray(customers)
        if arr.ndim != 1:
            raise ValueError(f"customer: expected a 1-D array, got shape {arr.shape}")
        if arr.dtype.kind in "iu":
            return as_input(arr, c_int64, "customer"), None
        labels, codes = np.unique(arr, return_inverse=True)
        return as_input(codes.astype("int64"), c_int64, "customer"), labels
    items = list(customers)
    if all(isinstance(c, int) and not isinstance(c, bool) for c in items):
        return as_input(items, c_int64, "customer"), None
    index, labels = {}, []
    for c in items:
        if c not in index:
            index[c] = len(labels)
            labels.append(c)
    return as_input([index[c] for c in items], c_int64, "customer"), labels


class Rfm(Handle):
    """Per-customer RFM summary (``scrm_rfm``).

    Build it with :meth:`from_dataset` or :meth:`from_arrays`. Options (keyword
    arguments): ``period`` (bucket in which purchases count once: ``"day"``,
    ``"week"``, ``"month"``, ``"quarter"``, ``"year"``), ``unit`` (time unit of
    recency/age), ``value`` (``"amount"`` or ``"margin"``, datasets only),
    ``calibration_end`` and ``observation_end`` (times; ``None`` = latest
    transaction / no holdout).
    """

    _free_ = _rfm_free

    def __init__(self, *args, **kwargs):
        raise TypeError("use Rfm.from_dataset() or Rfm.from_arrays()")

    @classmethod
    def from_dataset(cls, dataset, **options):
        """Summarise ``dataset``'s transactions table; keys are interned customer ids
        (:meth:`customer_names` turns them into strings while the dataset is open)."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"expected a Dataset, got {type(dataset).__name__}")
        opts = _rfm_options(**options)
        ptr = RfmPtr()
        with dataset._locked() as d:
            _rfm_new(byref(ptr), byref(opts), d)
        obj = cls._wrap(ptr)
        obj._labels = None
        obj._dataset = dataset
        return obj

    @classmethod
    def from_arrays(cls, customer, time, value=None, **options):
        """Summarise transactions given as columns. ``customer``: integers or any
        hashable labels (strings); ``time``: seconds, ISO strings, dates or
        ``datetime64``; ``value``: numbers or ``None``."""
        keys, labels = _customer_keys(customer)
        t = _times(time)
        v = as_input(value, c_double, "value") if value is not None else None
        if t.n != keys.n or (v is not None and v.n != keys.n):
            raise error_for(SCRM_EINVAL, f"Rfm.from_arrays: columns differ in length "
                            f"(customer {keys.n}, time {t.n}, value {v.n if v else '-'})")
        opts = _rfm_options(**options)
        ptr = RfmPtr()
        _rfm_new_from_arrays(byref(ptr), byref(opts), keys.ptr, t.ptr,
                             v.ptr if v is not None else None, keys.n)
        obj = cls._wrap(ptr)
        obj._labels = labels
        obj._dataset = None
        return obj

    def __len__(self):
        return self.info().customers

    def info(self):
        """An :class:`RfmInfo`."""
        out = CRfmInfo()
        with self._locked() as h:
            _rfm_get_info(h, byref(out))
        return from_struct(RfmInfo, out)

    def customers(self):
        """Customer of each row: the labels given to :meth:`from_arrays`, or the
        integer keys (interned ids for a dataset summary)."""
        with self._locked() as h:
            keys = read_sized(lambda p, c, n: _rfm_customers(h, p, c, n), c_int64,
                              cap=max(len(self), 1))
        if self._labels is None:
            return keys
        if have_numpy() and hasattr(self._labels, "dtype"):
            return self._labels[np.asarray(keys)]
        return [self._labels[k] for k in keys]

    def customer_names(self):
        """Customer id strings of a dataset summary (needs the dataset open)."""
        if self._dataset is None:
            raise error_for(SCRM_EINVAL, "customer_names: this summary was built from arrays; "
                            "use customers()")
        return [self._dataset.string(int(k)) for k in self.customers()]

    def column(self, column):
        """One column by :class:`RfmColumn`, value or name (``"frequency"``, ...)."""
        col = _enum(RfmColumn, column, "column")
        with self._locked() as h:
            return read_sized(lambda p, c, n: _rfm_column(h, col, p, c, n), c_double,
                              cap=max(len(self), 1))

    frequency = property(lambda self: self.column(RfmColumn.FREQUENCY), doc="x per customer.")
    recency = property(lambda self: self.column(RfmColumn.RECENCY), doc="t_x per customer.")
    T = property(lambda self: self.column(RfmColumn.AGE), doc="Age T per customer.")
    monetary = property(lambda self: self.column(RfmColumn.MONETARY),
                        doc="Mean value per repeat purchase period.")

    def collapse(self):
        """Distinct (x, t_x, T) rows with their counts: a tuple of four arrays
        ``(x, t_x, T, weight)`` sorted by x, t_x, T."""
        with self._locked() as h:
            n = c_size_t(0)
            try:
                _rfm_collapse(h, None, None, None, None, 0, byref(n))
            except BufferTooSmallError:
                pass
            cap = max(n.value, 1)
            bufs = [(c_double * cap)() for _ in range(4)]
            _rfm_collapse(h, *[cast(b, POINTER(c_double)) for b in bufs], cap, byref(n))
        m = n.value
        if have_numpy():
            return tuple(np.ctypeslib.as_array(b)[:m].copy() for b in bufs)
        return tuple(list(b[:m]) for b in bufs)

    def to_dict(self):
        """All columns by name (``customer``, ``frequency``, ``recency``, ``T``,
        ``monetary_value``, holdout columns, ``first``)."""
        out = {"customer": self.customers()}
        names = {RfmColumn.FREQUENCY: "frequency", RfmColumn.RECENCY: "recency",
                 RfmColumn.AGE: "T", RfmColumn.MONETARY: "monetary_value",
                 RfmColumn.HOLDOUT_FREQUENCY: "frequency_holdout",
                 RfmColumn.HOLDOUT_MONETARY: "monetary_value_holdout",
                 RfmColumn.FIRST: "first"}
        for col, name in names.items():
            out[name] = self.column(col)
        return out

    def to_pandas(self):
        """A pandas DataFrame indexed by customer (needs pandas)."""
        import pandas as pd
        d = self.to_dict()
        return pd.DataFrame(d).set_index("customer")


# ---- mergeable RFM histogram ------------------------------------------------


class RfmHistPtr(HandlePtr):
    _c_name_ = "scrm_rfm_hist"


class RfmHistOptions(Struct):
    _c_name_ = "scrm_rfm_hist_options"
    _fields_ = [("version", c_uint), ("max_rows", c_uint64)]


class CRfmHistInfo(Struct):
    _c_name_ = "scrm_rfm_hist_info"
    _fields_ = [("rows", c_uint64), ("total_weight", c_double), ("max_rows", c_uint64)]


def _hist_fit_check(result, func, args):
    """Fits return the best point with SCRM_EMAXITER/SCRM_ELOSS: the wrapper raises."""
    if result < 0 and result not in (errors.SCRM_EMAXITER, errors.SCRM_ELOSS):
        raise_last(result, "scrm_rfm_hist_fit")
    return result


_hist_options_init = _fn("scrm_rfm_hist_options_init", [POINTER(RfmHistOptions), c_uint],
                         c_int, check_status)
_hist_new = _fn("scrm_rfm_hist_new", [POINTER(RfmHistPtr), POINTER(RfmHistOptions)], c_int,
                check_status)
_hist_free = _fn("scrm_rfm_hist_free", [RfmHistPtr], None, None)
_hist_reset = _fn("scrm_rfm_hist_reset", [RfmHistPtr], c_int, check_status)
_hist_add = _fn("scrm_rfm_hist_add",
                [RfmHistPtr, POINTER(c_double), POINTER(c_double), POINTER(c_double),
                 POINTER(c_double), c_size_t], c_int, check_status)
_hist_add_rfm = _fn("scrm_rfm_hist_add_rfm", [RfmHistPtr, RfmPtr], c_int, check_status)
_hist_merge = _fn("scrm_rfm_hist_merge", [RfmHistPtr, RfmHistPtr], c_int, check_status)
_hist_serialize = _fn("scrm_rfm_hist_serialize",
                      [RfmHistPtr, POINTER(c_uint8), c_size_t, POINTER(c_size_t)], c_int,
                      check_status)
_hist_deserialize = _fn("scrm_rfm_hist_deserialize",
                        [POINTER(RfmHistPtr), POINTER(c_uint8), c_size_t], c_int, check_status)
_hist_get_info = _fn("scrm_rfm_hist_get_info", [RfmHistPtr, POINTER(CRfmHistInfo)], c_int,
                     check_status)
_hist_rows = _fn("scrm_rfm_hist_rows",
                 [RfmHistPtr, POINTER(c_double), POINTER(c_double), POINTER(c_double),
                  POINTER(c_double), c_size_t, POINTER(c_size_t)], c_int, check_status)
_hist_fit = _fn("scrm_rfm_hist_fit",
                [POINTER(ClvModelPtr), c_int32, RfmHistPtr, POINTER(ClvFitOptions),
                 POINTER(ClvFitResultC)], c_int, _hist_fit_check)


@result
class RfmHistInfo(Result):
    """Size of an :class:`RfmHistogram`: distinct rows, total weight (customers)
    and the row limit in force."""

    rows: int
    total_weight: float
    max_rows: int


@result
class RfmHistRows(Result):
    """Distinct rows sorted by x, t_x, T with their summed weights (NumPy arrays
    when NumPy is installed, else lists)."""

    x: object
    t_x: object
    T: object
    weight: object


class RfmHistogram(Accumulator):
    """Mergeable histogram of weighted (x, t_x, T) rows (``scrm_rfm_hist``).

    Build one per partition with :meth:`add` / :meth:`add_rfm`, combine with
    :meth:`merge` (or ship :meth:`to_bytes` and :meth:`from_bytes`; ``pickle``
    uses them), then :meth:`fit` once. With integer weights any split merged in
    any order gives exactly the rows and fit of one pass.

    ``max_rows``: most distinct rows (0 = the built-in 2^32 - 2); adds and
    merges that would exceed it raise ``LimitError`` and change nothing.
    """

    _free_ = _hist_free
    _ptr_type_ = RfmHistPtr
    _merge_ = _hist_merge
    _serialize_ = _hist_serialize
    _deserialize_ = _hist_deserialize
    _bytes_hint_ = 4096

    def __init__(self, max_rows=0):
        opts = make_options(RfmHistOptions, _hist_options_init, RFM_HIST_OPTIONS_VERSION,
                            {"max_rows": max_rows})
        ptr = RfmHistPtr()
        _hist_new(byref(ptr), byref(opts))
        super().__init__(ptr)

    @classmethod
    def from_arrays(cls, x, t_x, T, weight=None, max_rows=0):
        """A new histogram holding the given rows."""
        h = cls(max_rows=max_rows)
        h.add(x, t_x, T, weight)
        return h

    def add(self, x, t_x, T, weight=None):
        """Add rows (sequences, ``array.array`` or NumPy arrays of equal length;
        ``weight`` None = 1 each). Atomic: a bad row adds nothing and raises
        :class:`scrm.errors.InvalidArgumentError` naming its index and field."""
        cols = [as_input(x, c_double, "x"), as_input(t_x, c_double, "t_x"),
                as_input(T, c_double, "T")]
        if weight is not None:
            cols.append(as_input(weight, c_double, "weight"))
        n = cols[0].n
        if any(c.n != n for c in cols):
            raise error_for(SCRM_EINVAL, "RfmHistogram.add: columns differ in length ("
                            + ", ".join(str(c.n) for c in cols) + ")")
        w = cols[3].ptr if weight is not None else None
        with self._mutating() as h:
            _hist_add(h, cols[0].ptr, cols[1].ptr, cols[2].ptr, w, n)

    def add_rfm(self, rfm):
        """Add every customer of an :class:`Rfm` summary (weight 1 each)."""
        if not isinstance(rfm, Rfm):
            raise TypeError(f"expected an Rfm, got {type(rfm).__name__}")
        with self._mutating() as h, rfm._locked() as r:
            _hist_add_rfm(h, r)

    def reset(self):
        """Forget every row (the options stay)."""
        with self._mutating() as h:
            _hist_reset(h)

    def info(self):
        """An :class:`RfmHistInfo`."""
        out = CRfmHistInfo()
        with self._locked() as h:
            _hist_get_info(h, byref(out))
        return from_struct(RfmHistInfo, out)

    def __len__(self):
        return self.info().rows

    def rows(self):
        """The distinct rows sorted by x, t_x, T, as :class:`RfmHistRows`."""
        with self._locked() as h:
            n = c_size_t(0)
            try:
                _hist_rows(h, None, None, None, None, 0, byref(n))
            except BufferTooSmallError:
                pass
            cap = max(n.value, 1)
            bufs = [(c_double * cap)() for _ in range(4)]
            _hist_rows(h, *[cast(b, POINTER(c_double)) for b in bufs], cap, byref(n))
        m = n.value
        if have_numpy():
            cols = [np.ctypeslib.as_array(b)[:m].copy() for b in bufs]
        else:
            cols = [list(b[:m]) for b in bufs]
        return RfmHistRows(*cols)

    def fit(self, kind="bgnbd", initial_params=None, **options):
        """Fit a customer-base model (``"bgnbd"``, ``"mbgnbd"``, ``"pareto_nbd"``,
        ``"bgbb"``, ``"sbg"``) on the sorted rows; options as for
        :meth:`scrm.clv.ClvModel.fit` (max_iterations, tolerance, penalizer).
        Returns a :class:`scrm.clv.ClvModel` (its ``info()`` has the estimates,
        standard errors and log-likelihood); non-convergence raises
        :class:`scrm.errors.NotConvergedError` with the best point as ``.result``."""
        k = _kind(kind)
        opts = make_options(ClvFitOptions, _fit_options_init, 1, options)
        keep = None
        if initial_params is not None:
            if isinstance(initial_params, dict):
                initial_params = [initial_params[p] for p in kind_param_names(k)]
            keep = as_input(initial_params, c_double, "initial_params")
            opts.initial_params = keep.ptr
            opts.n_initial_params = keep.n
        res = ClvFitResultC()
        ptr = ClvModelPtr()
        with self._locked() as h:
            code = _hist_fit(byref(ptr), k, h, byref(opts), byref(res))
        del keep
        if code < 0:
            exc = errors.error_for(code, _last_message(code), "scrm_rfm_hist_fit")
            exc.result = _to_result(res)
            raise exc
        return ClvModel._wrap(ptr)


def _terms(margin, retention, discount, growth, timing, horizon):
    return make_options(ClvTerms, _clv_terms_init, CLV_TERMS_VERSION, {
        "margin": margin, "retention": retention, "discount": discount, "growth": growth,
        "timing": _enum(ClvTiming, timing, "timing"), "horizon": horizon})


def clv_closed_form(margin, retention, discount, growth=0.0, timing="end", horizon=0):
    """Lifetime value per customer with constant retention (Gupta & Lehmann 2003).

    ``timing="end"``: margins at the end of each period, m r / (1 + d - r (1 + g))
    for an infinite horizon (``horizon=0``); ``"begin"``: the first margin now.
    Raises ``DomainError`` for inputs outside the domain or a divergent sum.
    """
    terms = _terms(margin, retention, discount, growth, timing, horizon)
    out = c_double()
    _clv_closed_form(byref(terms), byref(out))
    return out.value


@result
class Cohort(Result):
    """A cohort projection: per payment, customers still active, cohort margin and
    its present value; ``total`` is the sum of ``discounted``."""

    survivors: object
    margin: object
    discounted: object
    total: float


def clv_cohort(customers, margin, discount, horizon, retention=None, growth=0.0,
               timing="end"):
    """Project a cohort of ``customers`` over ``horizon`` periods.

    ``retention``: a constant rate or a sequence of ``horizon`` per-period rates.
    """
    per_period = retention is not None and not isinstance(retention, (int, float))
    curve = as_input(retention, c_double, "retention") if per_period else None
    if curve is not None and curve.n != horizon:
        raise error_for(SCRM_EINVAL, f"clv_cohort: {curve.n} retention rates for a horizon "
                        f"of {horizon}")
    terms = _terms(margin, 0.0 if per_period or retention is None else retention, discount,
                   growth, timing, horizon)
    cap = max(int(horizon), 1)
    bufs = [(c_double * cap)() for _ in range(3)]
    n = c_size_t(0)
    _clv_cohort(byref(terms), customers, curve.ptr if curve is not None else None,
                *[cast(b, POINTER(c_double)) for b in bufs], cap, byref(n))
    m = n.value
    if have_numpy():
        arrays = [np.ctypeslib.as_array(b)[:m].copy() for b in bufs]
    else:
        arrays = [list(b[:m]) for b in bufs]
    return Cohort(arrays[0], arrays[1], arrays[2], math.fsum(arrays[2]))


# ---- sBG (Fader & Hardie 2007, 2010) ---------------------------------------


def sbg_fit(survivors, **options):
    """Fit a shifted-beta-geometric model to a cohort's survivor curve.

    ``survivors[t]``: customers (or the share) still active after t renewal
    opportunities, ``survivors[0]`` the cohort size. Options as for
    :meth:`scrm.clv.ClvModel.fit` (max_iterations, tolerance, penalizer).
    Returns a :class:`scrm.clv.ClvModel` of kind SBG; non-convergence raises
    :class:`scrm.errors.NotConvergedError` with the best point as ``.result``.
    """
    s = as_input(survivors, c_double, "survivors")
    opts = make_options(ClvFitOptions, _fit_options_init, 1, options)
    res = ClvFitResultC()
    ptr = ClvModelPtr()
    code = _sbg_fit_survivors(byref(ptr), s.ptr, s.n, byref(opts), byref(res))
    if code < 0:
        exc = errors.error_for(code, _last_message(code), "scrm_clv_sbg_fit_survivors")
        exc.result = _to_result(res)
        raise exc
    return ClvModel._wrap(ptr)


def _sbg_call(model, fn, values, what, *lead):
    if not isinstance(model, ClvModel):
        raise TypeError(f"expected a ClvModel, got {type(model).__name__}")
    scalar = not hasattr(values, "__len__")
    arr = as_input([values] if scalar else values, c_double, what)
    with model._locked() as h:
        out = read_sized(lambda p, cap, n: fn(h, *lead, arr.ptr, arr.n, p, cap, n), c_double,
                         cap=max(arr.n, 1))
    return float(out[0]) if scalar else out


def sbg_survival(model, t):
    """S(t): share of a new cohort still active after t renewal opportunities."""
    return _sbg_call(model, _sbg_survival, t, "t")


def sbg_retention(model, t):
    """r(t) = S(t)/S(t-1), t >= 1: the retention rate at the t-th renewal."""
    return _sbg_call(model, _sbg_retention, t, "t")


def sbg_derl(model, discount, renewals):
    """Discounted expected residual lifetime (periods) of customers who have made
    ``renewals`` renewals (Fader & Hardie 2010, eq. 6); times the margin per period
    it is the residual lifetime value."""
    return _sbg_call(model, _sbg_derl, renewals, "renewals", float(discount))


__all__ = ["Rfm", "RfmInfo", "RfmHistogram", "RfmHistInfo", "RfmHistRows", "RfmValue", "RfmColumn", "ClvTiming", "Cohort",
           "clv_closed_form", "clv_cohort", "sbg_fit", "sbg_survival", "sbg_retention",
           "sbg_derl"]
