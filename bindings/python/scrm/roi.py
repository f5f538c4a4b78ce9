"""ROI arithmetic and business-case models (the ``roi`` section of scrm.h).

Finance primitives on cash-flow sequences: ``flows[0]`` occurs now (time 0,
undiscounted) and ``flows[t]`` at the end of period ``t``, as in
numpy-financial. A spreadsheet's ``NPV(r, v1..vn)`` equals ``npv(r, [0, v1,
..., vn])``.

Business cases: :class:`RoiModel` holds cost and benefit lines over a horizon
of months, quarters or years; inputs can be uncertain (:func:`uniform`,
:func:`triangular`, :func:`pert`, :func:`normal`, :func:`lognormal`,
:func:`lognormal_mean`, :func:`fixed`); :meth:`RoiModel.sensitivity` gives a
tornado table and :meth:`RoiModel.monte_carlo` a seeded simulation::

    with scrm.RoiModel(period="month", horizon=36, discount_rate=0.10) as m:
        m.add_cost("platform", 50000, first=0, last=0)
        svc = m.add_service_savings("service", contacts=1240, saving=5.20)
        m.set_uncertain(svc, "volume", scrm.triangular(800, 1240, 1500))
        print(m.evaluate().npv, m.monte_carlo(iterations=10000, seed=1).summary())

    >>> import scrm
    >>> round(scrm.npv(0.08, [-40000, 5000, 8000, 12000, 30000]), 5)
    3065.22267
    >>> [round(r, 12) for r in scrm.irr([-100, 230, -132])]   # every IRR, ascending
    [0.1, 0.2]
"""

import enum
from ctypes import (CFUNCTYPE, POINTER, byref, c_char_p, c_double, c_int, c_int32, c_int64,
                    c_size_t, c_uint, c_uint32, c_uint64, c_void_p)

from ._arrays import as_input, read_sized
from ._lib import Handle, HandlePtr, _fn, check_null, check_status
from ._structs import CONSTANTS, Result, Struct, from_struct, make_options, result
from . import errors
from .dataset import DatasetPtr
from .times import TIME_NONE, _period, to_seconds

# ---- finance primitives ----------------------------------------------------


class CPaybackResult(Struct):
    _c_name_ = "scrm_finance_payback_result"
    _fields_ = [("reached", c_int32), ("stays", c_int32), ("whole_period", c_int64),
                ("period", c_double)]


_npv = _fn("scrm_finance_npv", [c_double, POINTER(c_double), c_size_t, POINTER(c_double)],
           c_int, check_status)
_irr = _fn("scrm_finance_irr",
           [POINTER(c_double), c_size_t, POINTER(c_double), c_size_t, POINTER(c_size_t)], c_int,
           check_status)
_payback = _fn("scrm_finance_payback", [POINTER(c_double), c_size_t, POINTER(CPaybackResult)],
               c_int, check_status)
_discounted_payback = _fn("scrm_finance_discounted_payback",
                          [POINTER(c_double), c_size_t, c_double, POINTER(CPaybackResult)],
                          c_int, check_status)
_rate_per_period = _fn("scrm_finance_rate_per_period", [c_double, c_double, POINTER(c_double)],
                       c_int, check_status)
_periods_per_year = _fn("scrm_finance_periods_per_year", [c_int32, POINTER(c_double)], c_int,
                        check_status)
_roi = _fn("scrm_finance_roi", [c_double, c_double, POINTER(c_double)], c_int, check_status)


@result
class Payback(Result):
    """Payback of a cash-flow sequence.

    ``period`` is interpolated within the period of recovery (``inf`` when the
    cumulative flow never recovers: ``reached`` is False); ``stays`` says it
    never falls below zero again afterwards; ``whole_period`` is the first whole
    period with a non-negative cumulative flow (-1 if never).
    """

    reached: bool
    stays: bool
    whole_period: int
    period: float


def _payback_result(c):
    return from_struct(Payback, c, reached=bool(c.reached), stays=bool(c.stays))


def npv(rate, flows):
    """Net present value of ``flows`` at ``rate`` per period (``flows[0]`` undiscounted)."""
    x = as_input(flows, c_double, "flows")
    out = c_double()
    _npv(rate, x.ptr, x.n, byref(out))
    return out.value


def irr(flows):
    """Every internal rate of return of ``flows`` (per period), ascending.

    An empty list means no IRR exists (e.g. all flows of one sign); several
    values mean several rates zero the NPV (flows changing sign more than once):
    the library never picks one silently. All-zero flows raise
    :class:`scrm.errors.DomainError` (every rate would do).
    """
    x = as_input(flows, c_double, "flows")
    roots = read_sized(lambda ptr, cap, n: _irr(x.ptr, x.n, ptr, cap, n), c_double,
                       cap=max(len(x), 1))
    return [float(r) for r in roots]


def payback(flows):
    """Undiscounted payback period of ``flows`` (a :class:`Payback`)."""
    x = as_input(flows, c_double, "flows")
    out = CPaybackResult()
    _payback(x.ptr, x.n, byref(out))
    return _payback_result(out)


def discounted_payback(flows, rate):
    """Payback of ``flows[t] / (1 + rate)^t`` (a :class:`Payback`)."""
    x = as_input(flows, c_double, "flows")
    out = CPaybackResult()
    _discounted_payback(x.ptr, x.n, rate, byref(out))
    return _payback_result(out)


def rate_per_period(rate_per_year, periods_per_year):
    """Equivalent rate per period: ``(1 + rate_per_year) ** (1 / periods_per_year) - 1``.

    ``periods_per_year`` is a number or a period (``"month"``, ``Period.QUARTER``...).
    """
    if isinstance(periods_per_year, str):
        periods_per_year = periods_per_year_of(periods_per_year)
    out = c_double()
    _rate_per_period(rate_per_year, periods_per_year, byref(out))
    return out.value


def periods_per_year_of(period):
    """Periods in a year: month 12, quarter 4, year 1, week 52.1775, day 365.2425."""
    out = c_double()
    _periods_per_year(_period(period), byref(out))
    return out.value


def roi_ratio(benefits, costs):
    """Return on investment ``(benefits - costs) / costs`` (costs > 0)."""
    out = c_double()
    _roi(benefits, costs, byref(out))
    return out.value





# ---- business-case models ---------------------------------------------------


class LineKind(enum.IntEnum):
    """Kinds of lines (enum scrm_roi_line_kind)."""

    AMOUNT = 1
    TABLE = 2
    SERVICE = 3
    RETENTION = 4
    REFERRAL = 5
    ENGAGEMENT = 6
    CONVERSION = 7


class Input(enum.IntEnum):
    """Numeric inputs of lines (enum scrm_roi_input)."""

    AMOUNT = 1
    VOLUME = 2
    UNIT_VALUE = 3
    GROWTH = 4
    R0 = 5
    R1 = 6
    CLV_DISCOUNT = 7
    SCALE = 8
    DISCOUNT_RATE = 9


class DistKind(enum.IntEnum):
    """Distributions of uncertain inputs (enum scrm_dist_kind)."""

    FIXED = 0
    UNIFORM = 1
    TRIANGULAR = 2
    PERT = 3
    NORMAL = 4
    LOGNORMAL = 5
    LOGNORMAL_MEAN = 6


class Flows(enum.IntEnum):
    """Aggregate flows of :meth:`RoiModel.flows` (a line index selects one line)."""

    NET = -1
    BENEFITS = -2
    COSTS = -3
    DISCOUNTED_NET = -4


class Metric(enum.IntEnum):
    """Outputs recorded per Monte Carlo draw (enum scrm_roi_metric)."""

    NPV = 1
    ROI = 2
    BENEFITS_PV = 3
    COSTS_PV = 4
    PAYBACK = 5
    DISCOUNTED_PAYBACK = 6


#: The model's own inputs (the discount rate) as a line index.
MODEL_LINE = -1

CONSTANTS.update({f"SCRM_ROI_LINE_{k.name}": k.value for k in LineKind})
CONSTANTS.update({f"SCRM_ROI_INPUT_{k.name}": k.value for k in Input})
CONSTANTS.update({f"SCRM_DIST_{k.name}": k.value for k in DistKind})
CONSTANTS.update({f"SCRM_ROI_FLOWS_{k.name}": k.value for k in Flows})
CONSTANTS.update({f"SCRM_ROI_METRIC_{k.name}": k.value for k in Metric})
CONSTANTS.update(SCRM_ROI_MODEL_LINE=MODEL_LINE, SCRM_ROI_OPTIONS_VERSION=1,
                 SCRM_ROI_SENSITIVITY_OPTIONS_VERSION=1, SCRM_ROI_MC_OPTIONS_VERSION=1)

ProgressFn = CFUNCTYPE(c_int, c_void_p, c_uint64, c_uint64)


class RoiModelPtr(HandlePtr):
    _c_name_ = "scrm_roi_model"


class RoiMcPtr(HandlePtr):
    _c_name_ = "scrm_roi_mc"


class RoiOptions(Struct):
    _c_name_ = "scrm_roi_options"
    _fields_ = [("version", c_uint), ("period", c_int32), ("horizon", c_int32),
                ("discount_rate", c_double), ("start", c_int64)]


class CLineInfo(Struct):
    _c_name_ = "scrm_roi_line_info"
    _fields_ = [("name", c_char_p), ("source", c_char_p), ("kind", c_int32),
                ("is_cost", c_int32), ("first", c_int32), ("last", c_int32)]


class CRoiResult(Struct):
    _c_name_ = "scrm_roi_result"
    _fields_ = [("benefits", c_double), ("costs", c_double), ("benefits_pv", c_double),
                ("costs_pv", c_double), ("npv", c_double), ("roi", c_double),
                ("roi_undiscounted", c_double), ("irr", c_double), ("irr_annual", c_double),
                ("irr_count", c_int32), ("horizon", c_int32), ("rate_per_period", c_double),
                ("payback", CPaybackResult), ("discounted_payback", CPaybackResult)]


class SensitivityOptions(Struct):
    _c_name_ = "scrm_roi_sensitivity_options"
    _fields_ = [("version", c_uint), ("low", c_double), ("high", c_double),
                ("scenario", c_char_p)]


class CSensitivityRow(Struct):
    _c_name_ = "scrm_roi_sensitivity_row"
    _fields_ = [("line", c_int32), ("input", c_int32), ("base_value", c_double),
                ("low_value", c_double), ("high_value", c_double), ("npv_low", c_double),
                ("npv_high", c_double), ("roi_low", c_double), ("roi_high", c_double),
                ("swing", c_double)]


class McOptions(Struct):
    _c_name_ = "scrm_roi_mc_options"
    _fields_ = [("version", c_uint), ("iterations", c_uint64), ("seed", c_uint64),
                ("threads", c_uint32), ("scenario", c_char_p), ("progress", ProgressFn),
                ("progress_user", c_void_p)]


class CStats(Struct):
    _c_name_ = "scrm_roi_stats"
    _fields_ = [("n", c_uint64), ("mean", c_double), ("sd", c_double), ("min", c_double),
                ("p5", c_double), ("p50", c_double), ("p95", c_double), ("max", c_double)]


class CMcSummary(Struct):
    _c_name_ = "scrm_roi_mc_summary"
    _fields_ = [("iterations", c_uint64), ("seed", c_uint64), ("npv", CStats), ("roi", CStats),
                ("benefits_pv", CStats), ("costs_pv", CStats), ("p_roi_positive", c_double),
                ("p_payback", c_double), ("p_discounted_payback", c_double),
                ("clamped", c_uint64)]


_I32P = POINTER(c_int32)
_options_init = _fn("scrm_roi_options_init", [POINTER(RoiOptions), c_uint], c_int, check_status)
_model_new = _fn("scrm_roi_model_new", [POINTER(RoiModelPtr), POINTER(RoiOptions)], c_int,
                 check_status)
_model_free = _fn("scrm_roi_model_free", [RoiModelPtr], None, None)
_get_options = _fn("scrm_roi_model_get_options", [RoiModelPtr, POINTER(RoiOptions)], c_int,
                   check_status)
_flow_time = _fn("scrm_roi_model_flow_time", [RoiModelPtr, c_int32, POINTER(c_int64)], c_int,
                 check_status)
_AMOUNT_ARGS = [RoiModelPtr, c_char_p, c_char_p, c_int32, c_int32, c_double, c_double, _I32P]
_add_cost = _fn("scrm_roi_model_add_cost", _AMOUNT_ARGS, c_int, check_status)
_add_benefit = _fn("scrm_roi_model_add_benefit", _AMOUNT_ARGS, c_int, check_status)
_add_costs_table = _fn("scrm_roi_model_add_costs_table",
                       [RoiModelPtr, c_char_p, c_char_p, DatasetPtr, c_char_p, _I32P], c_int,
                       check_status)
_VOLUME_ARGS = [RoiModelPtr, c_char_p, c_char_p, c_int32, c_int32, c_double, c_double, c_double,
                _I32P]
_add_service = _fn("scrm_roi_model_add_service_savings", _VOLUME_ARGS, c_int, check_status)
_add_referrals = _fn("scrm_roi_model_add_referrals", _VOLUME_ARGS, c_int, check_status)
_add_engagement = _fn("scrm_roi_model_add_engagement", _VOLUME_ARGS, c_int, check_status)
_add_conversions = _fn("scrm_roi_model_add_conversions", _VOLUME_ARGS, c_int, check_status)
_add_retention = _fn("scrm_roi_model_add_retention",
                     [RoiModelPtr, c_char_p, c_char_p, c_int32, c_int32, c_double, c_double,
                      c_double, c_double, c_double, _I32P], c_int, check_status)
_line_count = _fn("scrm_roi_model_line_count", [RoiModelPtr, _I32P], c_int, check_status)
_line_info = _fn("scrm_roi_model_line_info", [RoiModelPtr, c_int32, POINTER(CLineInfo)], c_int,
                 check_status)
_find_line = _fn("scrm_roi_model_find_line", [RoiModelPtr, c_char_p, _I32P], c_int,
                 check_status)
_input_name = _fn("scrm_roi_input_name", [c_int32], c_char_p, check_null)
_get_input = _fn("scrm_roi_model_get_input", [RoiModelPtr, c_int32, c_int32, POINTER(c_double)],
                 c_int, check_status)
_set_input = _fn("scrm_roi_model_set_input", [RoiModelPtr, c_int32, c_int32, c_double], c_int,
                 check_status)
_evaluate = _fn("scrm_roi_model_evaluate", [RoiModelPtr, c_char_p, POINTER(CRoiResult)], c_int,
                check_status)
_flows = _fn("scrm_roi_model_flows", [RoiModelPtr, c_char_p, c_int32, POINTER(c_double),
                                      c_size_t, POINTER(c_size_t)], c_int, check_status)
_set_uncertain = _fn("scrm_roi_model_set_uncertain",
                     [RoiModelPtr, c_int32, c_int32, c_int32, c_double, c_double, c_double],
                     c_int, check_status)
_clear_uncertain = _fn("scrm_roi_model_clear_uncertain", [RoiModelPtr, c_int32, c_int32], c_int,
                       check_status)
_set_scenario = _fn("scrm_roi_model_set_scenario",
                    [RoiModelPtr, c_char_p, c_int32, c_int32, c_double], c_int, check_status)
_scenario_count = _fn("scrm_roi_model_scenario_count", [RoiModelPtr, _I32P], c_int,
                      check_status)
_scenario_name = _fn("scrm_roi_model_scenario_name", [RoiModelPtr, c_int32], c_char_p,
                     check_null)
_sens_options_init = _fn("scrm_roi_sensitivity_options_init",
                         [POINTER(SensitivityOptions), c_uint], c_int, check_status)
_sensitivity = _fn("scrm_roi_model_sensitivity",
                   [RoiModelPtr, POINTER(SensitivityOptions), POINTER(CSensitivityRow), c_size_t,
                    POINTER(c_size_t)], c_int, check_status)
_mc_options_init = _fn("scrm_roi_mc_options_init", [POINTER(McOptions), c_uint], c_int,
                       check_status)
_mc_run = _fn("scrm_roi_mc_run", [POINTER(RoiMcPtr), RoiModelPtr, POINTER(McOptions)], c_int,
              check_status)
_mc_free = _fn("scrm_roi_mc_free", [RoiMcPtr], None, None)
_mc_summarize = _fn("scrm_roi_mc_summarize", [RoiMcPtr, POINTER(CMcSummary)], c_int,
                    check_status)
_mc_percentiles = _fn("scrm_roi_mc_percentiles",
                      [RoiMcPtr, c_int32, POINTER(c_double), c_size_t, POINTER(c_double)], c_int,
                      check_status)
_mc_samples = _fn("scrm_roi_mc_samples",
                  [RoiMcPtr, c_int32, POINTER(c_double), c_size_t, POINTER(c_size_t)], c_int,
                  check_status)


# -- distributions: (kind, p1, p2, p3) tuples ---------------------------------

def fixed(value):
    """A certain value (used as is in Monte Carlo; no tornado bar)."""
    return (DistKind.FIXED, float(value), 0.0, 0.0)


def uniform(low, high):
    """Uniform on [low, high)."""
    return (DistKind.UNIFORM, float(low), float(high), 0.0)


def triangular(low, mode, high):
    """Triangular with minimum, mode and maximum."""
    return (DistKind.TRIANGULAR, float(low), float(mode), float(high))


def pert(low, mode, high):
    """PERT (a scaled Beta with mean (low + 4 mode + high) / 6)."""
    return (DistKind.PERT, float(low), float(mode), float(high))


def normal(mean, sd):
    """Normal with mean and standard deviation (clamped into the input's domain)."""
    return (DistKind.NORMAL, float(mean), float(sd), 0.0)


def lognormal(mu, sigma):
    """Lognormal given the mean ``mu`` and standard deviation ``sigma`` of log X."""
    return (DistKind.LOGNORMAL, float(mu), float(sigma), 0.0)


def lognormal_mean(mean, sd):
    """Lognormal given the mean and standard deviation of X itself."""
    return (DistKind.LOGNORMAL_MEAN, float(mean), float(sd), 0.0)


def _text(value, what):
    if value is None:
        return None
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{what}: expected a str, got {type(value).__name__}")
    return value.encode("utf-8")


def _input(value):
    if isinstance(value, str):
        try:
            return Input[value.upper()]
        except KeyError:
            raise ValueError(f"unknown input {value!r}; one of "
                             f"{', '.join(i.name.lower() for i in Input)}") from None
    return int(value)


def _metric(value):
    if isinstance(value, str):
        try:
            return Metric[value.upper()]
        except KeyError:
            raise ValueError(f"unknown metric {value!r}; one of "
                             f"{', '.join(m.name.lower() for m in Metric)}") from None
    return int(value)


def input_name(value):
    """Name of an input ("amount", "volume", ...)."""
    return _input_name(_input(value)).decode("ascii")


@result
class LineInfo(Result):
    """A line of a business case: name, provenance text, kind, cost or benefit, periods."""

    index: int
    name: str
    source: str
    kind: LineKind
    is_cost: bool
    first: int
    last: int


@result
class RoiResult(Result):
    """Totals, present values, NPV, ROI, IRR and paybacks of a business case."""

    benefits: float
    costs: float
    benefits_pv: float
    costs_pv: float
    npv: float
    roi: float
    roi_undiscounted: float
    irr: float
    irr_annual: float
    irr_count: int
    horizon: int
    rate_per_period: float
    payback: Payback
    discounted_payback: Payback


@result
class SensitivityRow(Result):
    """One tornado bar: an input at its low and high values, the others held."""

    line: int
    name: str
    input: Input
    base_value: float
    low_value: float
    high_value: float
    npv_low: float
    npv_high: float
    roi_low: float
    roi_high: float
    swing: float


@result
class Stats(Result):
    """Mean, sd, min, P5, P50, P95 and max of one Monte Carlo metric over ``n`` draws."""

    n: int
    mean: float
    sd: float
    min: float
    p5: float
    p50: float
    p95: float
    max: float


@result
class McSummary(Result):
    """Summary of a Monte Carlo run."""

    iterations: int
    seed: int
    npv: Stats
    roi: Stats
    benefits_pv: Stats
    costs_pv: Stats
    p_roi_positive: float
    p_payback: float
    p_discounted_payback: float
    clamped: int


class MonteCarlo(Handle):
    """A finished Monte Carlo run (``scrm_roi_mc``): every draw's outputs."""

    _free_ = _mc_free

    def summary(self):
        """:class:`McSummary`: mean/sd/P5/P50/P95 per metric, P(ROI > 0), P(payback)."""
        out = CMcSummary()
        with self._locked() as h:
            _mc_summarize(h, byref(out))
        stats = {k: from_struct(Stats, getattr(out, k))
                 for k in ("npv", "roi", "benefits_pv", "costs_pv")}
        return from_struct(McSummary, out, **stats)

    def percentiles(self, metric, probs):
        """Percentiles (type 7, as numpy) of ``metric`` at probabilities ``probs`` (0..1)."""
        p = as_input(probs, c_double, "probs")
        out = (c_double * max(len(p), 1))()
        with self._locked() as h:
            _mc_percentiles(h, _metric(metric), p.ptr, p.n, out)
        return [out[i] for i in range(len(p))]

    def samples(self, metric="npv"):
        """Every draw's value of ``metric`` (NumPy array, or ``array.array`` without NumPy)."""
        m = _metric(metric)
        with self._locked() as h:
            return read_sized(lambda ptr, cap, n: _mc_samples(h, m, ptr, cap, n), c_double,
                              cap=1024)


class RoiModel(Handle):
    """A business case (``scrm_roi_model``); see the module documentation."""

    _free_ = _model_free

    def __init__(self, period="month", horizon=36, discount_rate=0.10, start=None):
        opts = make_options(RoiOptions, _options_init, 1,
                            {"period": _period(period), "horizon": horizon,
                             "discount_rate": discount_rate,
                             "start": TIME_NONE if start is None else to_seconds(start)})
        ptr = RoiModelPtr()
        _model_new(byref(ptr), byref(opts))
        super().__init__(ptr)

    # -- lines ----------------------------------------------------------------

    def _add(self, fn, *args):
        idx = c_int32(-1)
        with self._mutating() as h:
            fn(h, *args, byref(idx))
        return idx.value

    def add_cost(self, name, amount, first=1, last=-1, growth=0.0, source=None):
        """Cost ``amount`` per period from ``first`` to ``last`` (-1 = horizon); returns its index."""
        return self._add(_add_cost, _text(name, "name"), _text(source, "source"), first, last,
                         amount, growth)

    def add_benefit(self, name, amount, first=1, last=-1, growth=0.0, source=None):
        """Benefit ``amount`` per period from ``first`` to ``last``; returns its index."""
        return self._add(_add_benefit, _text(name, "name"), _text(source, "source"), first, last,
                         amount, growth)

    def add_costs_table(self, name, dataset, category=None, source=None):
        """Costs from ``dataset``'s program costs table, summed per period (needs ``start``)."""
        idx = c_int32(-1)
        with self._mutating() as h, dataset._locked() as d:
            _add_costs_table(h, _text(name, "name"), _text(source, "source"), d,
                             _text(category, "category"), byref(idx))
        return idx.value

    def add_service_savings(self, name, contacts, saving, first=1, last=-1, growth=0.0,
                            source=None):
        """Contacts moved to a cheaper channel per period x saving per contact."""
        return self._add(_add_service, _text(name, "name"), _text(source, "source"), first,
                         last, contacts, saving, growth)

    def add_retention(self, name, customers, r0, r1, margin, discount, first=1, last=-1,
                      source=None):
        """Customers x (CLV(r1) - CLV(r0)), CLV = margin r / (1 + discount - r)."""
        return self._add(_add_retention, _text(name, "name"), _text(source, "source"), first,
                         last, customers, r0, r1, margin, discount)

    def add_referrals(self, name, referrers, value, first=1, last=-1, growth=0.0, source=None):
        """Referrers per period x value per referrer."""
        return self._add(_add_referrals, _text(name, "name"), _text(source, "source"), first,
                         last, referrers, value, growth)

    def add_engagement(self, name, actions, value, first=1, last=-1, growth=0.0, source=None):
        """Actions per period x economic value per action."""
        return self._add(_add_engagement, _text(name, "name"), _text(source, "source"), first,
                         last, actions, value, growth)

    def add_conversions(self, name, conversions, margin, first=1, last=-1, growth=0.0,
                        source=None):
        """Incremental conversions per period x margin per conversion."""
        return self._add(_add_conversions, _text(name, "name"), _text(source, "source"), first,
                         last, conversions, margin, growth)

    def _line(self, line):
        if isinstance(line, str):
            return self.find_line(line)
        return int(line)

    def find_line(self, name):
        """Index of the line called ``name`` (:class:`scrm.errors.NotFoundError` if none)."""
        idx = c_int32()
        with self._locked() as h:
            _find_line(h, _text(name, "name"), byref(idx))
        return idx.value

    def __len__(self):
        n = c_int32()
        with self._locked() as h:
            _line_count(h, byref(n))
        return n.value

    def line(self, line):
        """:class:`LineInfo` of a line (index or name)."""
        i = self._line(line)
        info = CLineInfo()
        with self._locked() as h:
            _line_info(h, i, byref(info))
            return LineInfo(i, info.name.decode("utf-8"), info.source.decode("utf-8"),
                            LineKind(info.kind), bool(info.is_cost), info.first, info.last)

    @property
    def lines(self):
        """Every line's :class:`LineInfo`, in order."""
        return [self.line(i) for i in range(len(self))]

    @property
    def options(self):
        """The options (``period``, ``horizon``, ``discount_rate``, ``start``) as a dict."""
        out = RoiOptions()
        with self._locked() as h:
            _get_options(h, byref(out))
        d = out.as_dict()
        del d["version"]
        return d

    def flow_time(self, t):
        """Time (seconds since the epoch) of flow ``t``: the start, or the end of period t."""
        out = c_int64()
        with self._locked() as h:
            _flow_time(h, t, byref(out))
        return out.value

    # -- inputs, uncertainty, scenarios -----------------------------------------

    def get_input(self, line, input):
        """Base value of ``input`` ("volume", :class:`Input`...) of ``line`` (index, name or MODEL_LINE)."""
        out = c_double()
        with self._locked() as h:
            _get_input(h, self._line(line), _input(input), byref(out))
        return out.value

    def set_input(self, line, input, value):
        """Change the base value of an input."""
        with self._mutating() as h:
            _set_input(h, self._line(line), _input(input), value)

    def set_uncertain(self, line, input, dist):
        """Give an input a distribution, e.g. ``scrm.triangular(800, 1000, 1500)``."""
        kind, p1, p2, p3 = (tuple(dist) + (0.0, 0.0, 0.0))[:4]
        with self._mutating() as h:
            _set_uncertain(h, self._line(line), _input(input), int(kind), p1, p2, p3)

    def clear_uncertain(self, line, input):
        """Make an input certain again."""
        with self._mutating() as h:
            _clear_uncertain(h, self._line(line), _input(input))

    def set_scenario(self, scenario, line, input, value):
        """Override an input's value in scenario ``scenario`` (created on first use)."""
        with self._mutating() as h:
            _set_scenario(h, _text(scenario, "scenario"), self._line(line), _input(input), value)

    @property
    def scenarios(self):
        """Scenario names in order of creation."""
        n = c_int32()
        with self._locked() as h:
            _scenario_count(h, byref(n))
            return [_scenario_name(h, i).decode("utf-8") for i in range(n.value)]

    # -- results ----------------------------------------------------------------

    def evaluate(self, scenario=None):
        """:class:`RoiResult` at base values or in ``scenario``."""
        out = CRoiResult()
        with self._locked() as h:
            _evaluate(h, _text(scenario, "scenario"), byref(out))
        return from_struct(RoiResult, out, payback=_payback_result(out.payback),
                           discounted_payback=_payback_result(out.discounted_payback))

    def flows(self, which="net", scenario=None):
        """Per-period flows (horizon + 1 values): "net", "benefits", "costs",
        "discounted_net", a :class:`Flows` value, or a line (index or name)."""
        if isinstance(which, str):
            try:
                w = Flows[which.upper()]
            except KeyError:
                w = self.find_line(which)
        else:
            w = int(which)
        sc = _text(scenario, "scenario")
        with self._locked() as h:
            return read_sized(lambda ptr, cap, n: _flows(h, sc, w, ptr, cap, n), c_double,
                              cap=self.options["horizon"] + 1)

    def sensitivity(self, low=0.05, high=0.95, scenario=None):
        """Tornado table: list of :class:`SensitivityRow`, largest NPV swing first."""
        opts = make_options(SensitivityOptions, _sens_options_init, 1,
                            {"low": low, "high": high})
        opts.scenario = _text(scenario, "scenario")
        with self._locked() as h:
            n = c_size_t(0)
            try:
                _sensitivity(h, byref(opts), None, 0, byref(n))
            except errors.BufferTooSmallError:
                pass
            rows = (CSensitivityRow * max(n.value, 1))()
            _sensitivity(h, byref(opts), rows, n.value, byref(n))
        names = {}
        out = []
        for r in rows[:n.value]:
            if r.line not in names:
                names[r.line] = "model" if r.line == MODEL_LINE else self.line(r.line).name
            out.append(from_struct(SensitivityRow, r, name=names[r.line], input=Input(r.input)))
        return out

    def monte_carlo(self, iterations=10000, seed=1, threads=1, scenario=None, progress=None):
        """Run a seeded Monte Carlo simulation; returns a :class:`MonteCarlo`.

        ``progress(done, total)`` is called on this thread now and then; return
        True to stop (the run then raises :class:`scrm.errors.StateError`). An
        exception raised by ``progress`` stops the run and is re-raised.
        """
        opts = make_options(McOptions, _mc_options_init, 1,
                            {"iterations": iterations, "seed": seed, "threads": threads})
        opts.scenario = _text(scenario, "scenario")
        failure = []
        if progress is not None:
            def trampoline(_user, done, total):
                try:
                    return 1 if progress(done, total) else 0
                except BaseException as exc:  # noqa: BLE001 - re-raised below
                    failure.append(exc)
                    return 1
            opts.progress = ProgressFn(trampoline)  # kept alive by opts during the call
        ptr = RoiMcPtr()
        try:
            with self._locked() as h:
                _mc_run(byref(ptr), h, byref(opts))
        except errors.StateError:
            if failure:
                raise failure[0] from None
            raise
        return MonteCarlo(ptr)


__all__ = ["Payback", "npv", "irr", "payback", "discounted_payback", "rate_per_period",
           "periods_per_year_of", "roi_ratio", "LineKind", "Input", "DistKind", "Flows",
           "Metric", "MODEL_LINE", "RoiModel", "MonteCarlo", "LineInfo", "RoiResult",
           "SensitivityRow", "Stats", "McSummary", "fixed", "uniform", "triangular", "pert",
           "normal", "lognormal", "lognormal_mean", "input_name"]
