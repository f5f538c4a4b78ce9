"""ROI arithmetic and business-case models (the ``roi`` section of scrm.h).

Finance primitives on cash-flow sequences: ``flows[0]`` occurs now (time 0,
undiscounted) and ``flows[t]`` at the end of period ``t``, as in
numpy-financial. A spreadsheet's ``NPV(r, v1..vn)`` equals ``npv(r, [0, v1,
..., vn])``.

    >>> import scrm
    >>> round(scrm.npv(0.08, [-40000, 5000, 8000, 12000, 30000]), 5)
    3065.22267
    >>> [round(r, 12) for r in scrm.irr([-100, 230, -132])]   # every IRR, ascending
    [0.1, 0.2]
"""

from ctypes import POINTER, byref, c_double, c_int, c_int32, c_int64, c_size_t

from ._arrays import as_input, read_sized
from ._lib import _fn, check_status
from ._structs import Result, Struct, from_struct, result
from .times import _period

# ---- finance primitives ----------------------------------------------------


class CPaybackResult(Struct):
    _c_name_ = "scrm_payback_result"
    _fields_ = [("reached", c_int32), ("stays", c_int32), ("whole_period", c_int64),
                ("period", c_double)]


_npv = _fn("scrm_npv", [c_double, POINTER(c_double), c_size_t, POINTER(c_double)], c_int,
           check_status)
_irr = _fn("scrm_irr", [POINTER(c_double), c_size_t, POINTER(c_double), c_size_t,
                        POINTER(c_size_t)], c_int, check_status)
_payback = _fn("scrm_payback", [POINTER(c_double), c_size_t, POINTER(CPaybackResult)], c_int,
               check_status)
_discounted_payback = _fn("scrm_discounted_payback",
                          [POINTER(c_double), c_size_t, c_double, POINTER(CPaybackResult)],
                          c_int, check_status)
_rate_per_period = _fn("scrm_rate_per_period", [c_double, c_double, POINTER(c_double)], c_int,
                       check_status)
_periods_per_year = _fn("scrm_periods_per_year", [c_int32, POINTER(c_double)], c_int,
                        check_status)
_roi = _fn("scrm_roi", [c_double, c_double, POINTER(c_double)], c_int, check_status)


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


__all__ = ["Payback", "npv", "irr", "payback", "discounted_payback", "rate_per_period",
           "periods_per_year_of", "roi_ratio"]
