"""Special functions (``scrm_sf_*``): log-gamma, log-beta, digamma and the Gauss
hypergeometric function 2F1, with GSL's value-and-error convention.

Each function returns the value; the ``*_e`` forms return ``(value, error)``
where ``error`` estimates the absolute error. Failures raise the
:mod:`scrm.errors` class of the status (``DomainError`` outside the domain).
"""

from ctypes import POINTER, byref, c_double, c_int

from ._lib import _fn, check_nan, check_status
from ._structs import Struct


class SfResult(Struct):
    """Mirror of ``scrm_sf_result``."""

    _c_name_ = "scrm_sf_result"
    _fields_ = [("val", c_double), ("err", c_double)]


_R = POINTER(SfResult)
_lgamma_sgn_e = _fn("scrm_sf_lgamma_sgn_e", [c_double, _R, POINTER(c_double)], c_int,
                    check_status)
_lgamma_e = _fn("scrm_sf_lgamma_e", [c_double, _R], c_int, check_status)
_lgamma = _fn("scrm_sf_lgamma", [c_double], c_double, check_nan)
_lbeta_e = _fn("scrm_sf_lbeta_e", [c_double, c_double, _R], c_int, check_status)
_lbeta = _fn("scrm_sf_lbeta", [c_double, c_double], c_double, check_nan)
_digamma_e = _fn("scrm_sf_digamma_e", [c_double, _R], c_int, check_status)
_digamma = _fn("scrm_sf_digamma", [c_double], c_double, check_nan)
_hyperg_e = _fn("scrm_sf_hyperg_2F1_e", [c_double, c_double, c_double, c_double, _R], c_int,
                check_status)
_hyperg = _fn("scrm_sf_hyperg_2F1", [c_double, c_double, c_double, c_double], c_double,
              check_nan)
_hyperg_log_e = _fn("scrm_sf_hyperg_2F1_log_e",
                    [c_double, c_double, c_double, c_double, _R, POINTER(c_double)], c_int,
                    check_status)


def lgamma(x):
    """log|Gamma(x)| (x finite, not 0, -1, -2, ...)."""
    return _lgamma(x)


def lgamma_e(x):
    """``(log|Gamma(x)|, error)``."""
    r = SfResult()
    _lgamma_e(x, byref(r))
    return r.val, r.err


def lgamma_sgn(x):
    """``(log|Gamma(x)|, sign of Gamma(x))``."""
    r, s = SfResult(), c_double()
    _lgamma_sgn_e(x, byref(r), byref(s))
    return r.val, int(s.value)


def lbeta(a, b):
    """log B(a, b) for a, b > 0."""
    return _lbeta(a, b)


def lbeta_e(a, b):
    """``(log B(a, b), error)``."""
    r = SfResult()
    _lbeta_e(a, b, byref(r))
    return r.val, r.err


def digamma(x):
    """psi(x) = d/dx log Gamma(x)."""
    return _digamma(x)


def digamma_e(x):
    """``(psi(x), error)``."""
    r = SfResult()
    _digamma_e(x, byref(r))
    return r.val, r.err


def hyperg_2f1(a, b, c, x):
    """2F1(a, b; c; x) for x < 1 (or x = 1 with c - a - b > 0)."""
    return _hyperg(a, b, c, x)


def hyperg_2f1_e(a, b, c, x):
    """``(2F1(a, b; c; x), error)``."""
    r = SfResult()
    _hyperg_e(a, b, c, x, byref(r))
    return r.val, r.err


def hyperg_2f1_log(a, b, c, x):
    """``(log|2F1(a, b; c; x)|, sign)``: for values beyond the double range."""
    r, s = SfResult(), c_double()
    _hyperg_log_e(a, b, c, x, byref(r), byref(s))
    return r.val, int(s.value)


__all__ = ["lgamma", "lgamma_e", "lgamma_sgn", "lbeta", "lbeta_e", "digamma", "digamma_e",
           "hyperg_2f1", "hyperg_2f1_e", "hyperg_2f1_log"]
