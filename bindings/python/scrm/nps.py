"""Net Promoter Score (the ``nps`` section of scrm.h).

:class:`Nps` is a calculator and mergeable accumulator over the histogram of the
11 scores 0..10: add scores (lists, ``array.array``, NumPy), merge accumulators
filled elsewhere (threads, processes, a Spark job: :meth:`Nps.to_bytes` /
:meth:`Nps.from_bytes`, also used by ``pickle``), then :meth:`Nps.finalize`.
Intervals: Wald or adjusted Wald (the default; Rocks 2016, MeasuringU).

    >>> import scrm
    >>> with scrm.Nps(ci_method="wald") as calc:
    ...     calc.add([10] * 50 + [7] * 30 + [0] * 20)
    ...     r = calc.finalize()
    >>> r.nps, round(r.se, 6)
    (30.0, 7.81025)

:func:`nps_compare` tests two independent results; :class:`Nps` also computes
per customer segment and per period from a :class:`scrm.Dataset`.
:class:`Referral` is the intent-versus-actual-referral funnel (Kumar, Petersen
& Leone 2007).
"""

import enum
from ctypes import POINTER, byref, c_double, c_int, c_int8, c_int32, c_int64, c_size_t, \
    c_uint, c_uint8, c_uint32, c_uint64
from typing import Optional, Tuple

from ._arrays import as_input
from ._accumulator import Accumulator
from ._lib import HandlePtr, _fn, check_status
from ._structs import CONSTANTS, Result, Struct, from_struct, make_options, result
from .dataset import DatasetPtr
from .errors import BufferTooSmallError
from .times import TIME_NONE, _period

NPS_SCORES = 11
NPS_OPTIONS_VERSION = 1


class CiMethod(enum.IntEnum):
    """Confidence-interval method (enum scrm_nps_ci_method)."""

    WALD = 1
    ADJUSTED_WALD = 2


CONSTANTS.update({f"SCRM_NPS_CI_{m.name}": m.value for m in CiMethod})
CONSTANTS.update(SCRM_NPS_SCORES=NPS_SCORES, SCRM_NPS_OPTIONS_VERSION=NPS_OPTIONS_VERSION)


class NpsPtr(HandlePtr):
    _c_name_ = "scrm_nps"


class NpsOptions(Struct):
    _c_name_ = "scrm_nps_options"
    _fields_ = [("version", c_uint), ("detractor_max", c_int32), ("promoter_min", c_int32),
                ("level", c_double), ("ci_method", c_int32)]


class CNpsResult(Struct):
    _c_name_ = "scrm_nps_result"
    _fields_ = [("n", c_uint64), ("detractors", c_uint64), ("passives", c_uint64),
                ("promoters", c_uint64), ("score_counts", c_uint64 * NPS_SCORES),
                ("detractor_share", c_double), ("passive_share", c_double),
                ("promoter_share", c_double), ("nps", c_double), ("se", c_double),
                ("level", c_double), ("method", c_int32), ("ci_center", c_double),
                ("ci_se", c_double), ("ci_low", c_double), ("ci_high", c_double)]


class CNpsComparison(Struct):
    _c_name_ = "scrm_nps_comparison"
    _fields_ = [("difference", c_double), ("center", c_double), ("se", c_double),
                ("z", c_double), ("p_value", c_double), ("level", c_double),
                ("ci_low", c_double), ("ci_high", c_double), ("method", c_int32)]


class CNpsGroup(Struct):
    _c_name_ = "scrm_nps_group"
    _fields_ = [("segment", c_uint32), ("period_start", c_int64), ("result", CNpsResult)]


_REFERRAL_COUNTS = ["intend_referred", "intend_not_referred", "referred_not_intend", "neither",
                    "incomplete", "referrals", "referrals_converted", "referrals_unknown"]


class CNpsReferral(Struct):
    _c_name_ = "scrm_nps_referral"
    _fields_ = [(name, c_uint64) for name in _REFERRAL_COUNTS]


class CNpsReferralResult(Struct):
    _c_name_ = "scrm_nps_referral_result"
    _fields_ = [("n", c_uint64), ("intend_share", c_double), ("referred_share", c_double),
                ("referred_given_intend", c_double), ("phi", c_double),
                ("conversion_share", c_double), ("shares_valid", c_int32),
                ("referred_given_intend_valid", c_int32), ("phi_valid", c_int32),
                ("conversion_valid", c_int32)]


_options_init = _fn("scrm_nps_options_init", [POINTER(NpsOptions), c_uint], c_int, check_status)
_new = _fn("scrm_nps_new", [POINTER(NpsPtr), POINTER(NpsOptions)], c_int, check_status)
_free = _fn("scrm_nps_free", [NpsPtr], None, None)
_get_options = _fn("scrm_nps_get_options", [NpsPtr, POINTER(NpsOptions)], c_int, check_status)
_reset = _fn("scrm_nps_reset", [NpsPtr], c_int, check_status)
_add_scores = _fn("scrm_nps_add_scores", [NpsPtr, POINTER(c_double), c_size_t], c_int,
                  check_status)
_add_counts = _fn("scrm_nps_add_counts", [NpsPtr, POINTER(c_uint64), c_size_t], c_int,
                  check_status)
_merge = _fn("scrm_nps_merge", [NpsPtr, NpsPtr], c_int, check_status)
_serialize = _fn("scrm_nps_serialize", [NpsPtr, POINTER(c_uint8), c_size_t, POINTER(c_size_t)],
                 c_int, check_status)
_deserialize = _fn("scrm_nps_deserialize", [POINTER(NpsPtr), POINTER(c_uint8), c_size_t], c_int,
                   check_status)
_finalize = _fn("scrm_nps_finalize", [NpsPtr, POINTER(CNpsResult)], c_int, check_status)
_compute = _fn("scrm_nps_compute", [NpsPtr, DatasetPtr, POINTER(CNpsResult)], c_int,
               check_status)
_by_segment = _fn("scrm_nps_compute_by_segment",
                  [NpsPtr, DatasetPtr, POINTER(CNpsGroup), c_size_t, POINTER(c_size_t)], c_int,
                  check_status)
_by_period = _fn("scrm_nps_compute_by_period",
                 [NpsPtr, DatasetPtr, c_int32, POINTER(CNpsGroup), c_size_t, POINTER(c_size_t)],
                 c_int, check_status)
_compare = _fn("scrm_nps_compare",
               [POINTER(CNpsResult), POINTER(CNpsResult), c_double, POINTER(CNpsComparison)],
               c_int, check_status)
_referral_add = _fn("scrm_nps_referral_add",
                    [POINTER(CNpsReferral), POINTER(c_int8), POINTER(c_int8), c_size_t], c_int,
                    check_status)
_referral_add_conversions = _fn("scrm_nps_referral_add_conversions",
                                [POINTER(CNpsReferral), POINTER(c_int8), c_size_t], c_int,
                                check_status)
_referral_merge = _fn("scrm_nps_referral_merge", [POINTER(CNpsReferral), POINTER(CNpsReferral)],
                      c_int, check_status)
_referral_finalize = _fn("scrm_nps_referral_finalize",
                         [POINTER(CNpsReferral), POINTER(CNpsReferralResult)], c_int,
                         check_status)
_referral_compute = _fn("scrm_nps_referral_compute", [DatasetPtr, POINTER(CNpsReferral)], c_int,
                        check_status)


def _method(value):
    if isinstance(value, str):
        try:
            return CiMethod[value.upper().replace("-", "_")]
        except KeyError:
            raise ValueError(f"unknown ci_method {value!r}; one of "
                             f"{', '.join(m.name.lower() for m in CiMethod)}") from None
    return int(value)


@result
class NpsResult(Result):
    """NPS of a set of responses (``scrm_nps_result``).

    ``nps`` is the raw estimate in [-100, 100] and ``se`` its trinomial standard
    error; the interval ``[ci_low, ci_high]`` at ``level`` is centred on
    ``ci_center`` with SE ``ci_se`` (the adjusted estimate for the adjusted Wald).
    Shares are fractions in [0, 1]; ``score_counts[s]`` counts score ``s``.
    """

    n: int
    detractors: int
    passives: int
    promoters: int
    score_counts: Tuple[int, ...]
    detractor_share: float
    passive_share: float
    promoter_share: float
    nps: float
    se: float
    level: float
    method: CiMethod
    ci_center: float
    ci_se: float
    ci_low: float
    ci_high: float

    def _to_c(self):
        c = CNpsResult()
        for name in ("n", "detractors", "passives", "promoters"):
            setattr(c, name, getattr(self, name))
        c.method = int(self.method)
        return c


def _nps_result(c):
    return from_struct(NpsResult, c, score_counts=tuple(c.score_counts),
                       method=CiMethod(c.method))


@result
class NpsComparison(Result):
    """Two-sample comparison, b minus a (``scrm_nps_comparison``).

    ``difference`` is the raw difference; ``center`` the one the test and the
    interval use (adjusted for the adjusted Wald); ``p_value`` is two-sided.
    """

    difference: float
    center: float
    se: float
    z: float
    p_value: float
    level: float
    ci_low: float
    ci_high: float
    method: CiMethod


@result
class NpsGroup(Result):
    """One group of a grouped computation.

    By segment: ``segment`` is the segment name (``None`` for the unknown group:
    no customer, a customer missing from the customers table, or no segment),
    ``segment_id`` its interned id (0 for unknown), ``period_start`` is None.
    By period: ``period_start`` is the period's start in seconds since the epoch.
    """

    segment: Optional[str]
    segment_id: int
    period_start: Optional[int]
    result: NpsResult


def nps_compare(a, b, level=0.95):
    """Compare two independent :class:`NpsResult` (b minus a); both must use one method.

    Raises :class:`scrm.errors.DomainError` for the Wald method when both samples
    have SE 0 (every respondent of each in one band).
    """
    ca, cb = a._to_c(), b._to_c()
    out = CNpsComparison()
    _compare(byref(ca), byref(cb), level, byref(out))
    return from_struct(NpsComparison, out, method=CiMethod(out.method))


class Nps(Accumulator):
    """NPS calculator and mergeable accumulator (``scrm_nps``).

    Options (keywords): ``detractor_max`` (default 6), ``promoter_min`` (9):
    detractors are 0..detractor_max, promoters promoter_min..10, passives the
    scores between; ``level`` (0.95); ``ci_method`` (``"adjusted_wald"`` or
    ``"wald"``, or a :class:`CiMethod`).
    """

    _free_ = _free
    _ptr_type_ = NpsPtr
    _merge_ = _merge
    _serialize_ = _serialize
    _deserialize_ = _deserialize
    _bytes_hint_ = 128

    def __init__(self, **options):
        if "ci_method" in options:
            options["ci_method"] = _method(options["ci_method"])
        opts = make_options(NpsOptions, _options_init, NPS_OPTIONS_VERSION, options)
        ptr = NpsPtr()
        _new(byref(ptr), byref(opts))
        super().__init__(ptr)

    @property
    def options(self):
        """The options as a dict (``detractor_max``, ``promoter_min``, ``level``, ``ci_method``)."""
        opts = NpsOptions()
        with self._locked() as h:
            _get_options(h, byref(opts))
        d = opts.as_dict()
        del d["version"]
        d["ci_method"] = CiMethod(d["ci_method"])
        return d

    def reset(self):
        """Forget every response (the options stay)."""
        with self._mutating() as h:
            _reset(h)

    def add(self, scores):
        """Add scores (integers 0..10). Atomic: a bad score adds nothing and raises
        :class:`scrm.errors.InvalidArgumentError` naming its index and value."""
        x = as_input(scores, c_double, "scores")
        with self._mutating() as h:
            _add_scores(h, x.ptr, x.n)

    def add_counts(self, counts):
        """Add pre-aggregated responses: ``counts[s]`` responses with score ``s`` (11 counts)."""
        x = as_input(counts, c_uint64, "counts")
        with self._mutating() as h:
            _add_counts(h, x.ptr, x.n)

    def finalize(self):
        """The :class:`NpsResult` of the responses so far (:class:`~scrm.errors.NoDataError`
        when there are none)."""
        out = CNpsResult()
        with self._locked() as h:
            _finalize(h, byref(out))
        return _nps_result(out)

    def compute(self, dataset):
        """NPS of ``dataset``'s survey table; the calculator then holds those responses."""
        out = CNpsResult()
        with self._mutating() as h, dataset._locked() as d:
            _compute(h, d, byref(out))
        return _nps_result(out)

    def _grouped(self, dataset, call):
        with self._locked() as h, dataset._locked() as d:
            n = c_size_t(0)
            cap = 16
            for _ in range(3):
                buf = (CNpsGroup * cap)()
                try:
                    call(h, d, buf, cap, byref(n))
                except BufferTooSmallError:
                    if n.value <= cap:
                        raise
                    cap = n.value
                    continue
                break
            else:
                raise BufferTooSmallError(-4, "NPS groups: buffer still too small")
            groups = []
            for g in buf[:n.value]:
                segment = None
                if g.period_start == TIME_NONE and g.segment != 0:
                    segment = dataset.string(g.segment)
                groups.append(NpsGroup(
                    segment=segment, segment_id=g.segment,
                    period_start=None if g.period_start == TIME_NONE else g.period_start,
                    result=_nps_result(g.result)))
            return groups

    def by_segment(self, dataset):
        """One :class:`NpsGroup` per customer segment (joined through the customers
        table), sorted by name, unknown first. Uses this calculator's options only."""
        return self._grouped(dataset, lambda h, d, buf, cap, n: _by_segment(h, d, buf, cap, n))

    def by_period(self, dataset, period):
        """One :class:`NpsGroup` per period (``"day"``, ``"week"``, ``"month"``,
        ``"quarter"``, ``"year"`` or a :class:`scrm.Period`) with responses, in time
        order. Uses this calculator's options only."""
        p = _period(period)
        return self._grouped(dataset,
                             lambda h, d, buf, cap, n: _by_period(h, d, p, buf, cap, n))


@result
class Referral(Result):
    """Intent versus actual referral (``scrm_nps_referral``; Kumar, Petersen & Leone,
    "How Valuable Is Word of Mouth?", HBR 2007).

    Counts of the survey's 2x2 table (responses with both flags known), of
    referrals with known conversion, and the statistics; an undefined statistic
    (zero denominator) is ``None``. Mergeable: ``a.merge(b)``.
    """

    intend_referred: int
    intend_not_referred: int
    referred_not_intend: int
    neither: int
    incomplete: int
    referrals: int
    referrals_converted: int
    referrals_unknown: int
    n: int
    intend_share: Optional[float]
    referred_share: Optional[float]
    referred_given_intend: Optional[float]
    phi: Optional[float]
    conversion_share: Optional[float]

    @classmethod
    def from_counts(cls, **counts):
        """A funnel from counts (keywords: the count fields; missing ones are 0)."""
        c = CNpsReferral()
        for key, value in counts.items():
            if key not in _REFERRAL_COUNTS:
                raise TypeError(f"unknown count {key!r}; known: {', '.join(_REFERRAL_COUNTS)}")
            setattr(c, key, value)
        return _referral(c)

    @classmethod
    def from_dataset(cls, dataset):
        """The funnel of a dataset's survey and referrals tables."""
        c = CNpsReferral()
        with dataset._locked() as d:
            _referral_compute(d, byref(c))
        return _referral(c)

    @classmethod
    def from_flags(cls, intends=(), referred=(), converted=()):
        """The funnel of flag columns: ``intends``/``referred`` per survey response,
        ``converted`` per referral; values True/False/None (or 1/0/-1)."""
        c = CNpsReferral()
        i, r = _flags(intends, "intends"), _flags(referred, "referred")
        if len(i) != len(r):
            raise ValueError(f"intends ({len(i)}) and referred ({len(r)}) differ in length")
        _referral_add(byref(c), i.ptr, r.ptr, i.n)
        conv = _flags(converted, "converted")
        _referral_add_conversions(byref(c), conv.ptr, conv.n)
        return _referral(c)

    def _to_c(self):
        c = CNpsReferral()
        for key in _REFERRAL_COUNTS:
            setattr(c, key, getattr(self, key))
        return c

    def merge(self, other):
        """The funnel of both (counts added exactly)."""
        a, b = self._to_c(), other._to_c()
        _referral_merge(byref(a), byref(b))
        return _referral(a)


def _flags(values, what):
    if isinstance(values, (list, tuple)):
        values = [-1 if v is None else int(v) for v in values]
    return as_input(values, c_int8, what)


def _referral(c):
    """The :class:`Referral` of the counts ``c`` (a ``CNpsReferral``), finalized."""
    st = CNpsReferralResult()
    _referral_finalize(byref(c), byref(st))

    def stat(name, valid):
        return getattr(st, name) if valid else None
    return Referral(
        **{key: getattr(c, key) for key in _REFERRAL_COUNTS}, n=st.n,
        intend_share=stat("intend_share", st.shares_valid),
        referred_share=stat("referred_share", st.shares_valid),
        referred_given_intend=stat("referred_given_intend", st.referred_given_intend_valid),
        phi=stat("phi", st.phi_valid),
        conversion_share=stat("conversion_share", st.conversion_valid))


__all__ = ["Nps", "NpsResult", "NpsComparison", "NpsGroup", "CiMethod", "Referral",
           "nps_compare", "NPS_SCORES"]
