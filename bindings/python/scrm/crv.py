"""Customer referral value (``scrm_crv``), after Kumar, Petersen & Leone (2007,
HBR "How valuable is word of mouth?"; 2010, J. Marketing "Driving profitability
by encouraging customer referrals").

Per referrer: the discounted value of the customers they referred — margins less
referral incentive and retention cost, plus the acquisition cost saved, for
referees who would not have joined otherwise; only the acquisition cost saved for
those who would have (each referee weighted by the probability of being
incremental, by default ``1 - share_anyway``). :class:`Crv` is a mergeable
accumulator; :func:`crv_segments` puts customers into Kumar's four segments
(champions, affluents, advocates, misers) from CLV and CRV.
"""

import enum
import operator
from ctypes import POINTER, byref, c_double, c_int, c_int32, c_int64, c_size_t, c_uint, \
    c_uint8, c_uint32, c_uint64

from ._arrays import as_input, have_numpy, np, read_sized
from ._accumulator import Accumulator
from ._lib import HandlePtr, _fn, check_status
from ._structs import CONSTANTS, Result, Struct, from_struct, make_options, result
from .dataset import Dataset, DatasetPtr
from .errors import SCRM_EINVAL, error_for
from .times import TIME_NONE, Period, to_seconds

CRV_OPTIONS_VERSION = 1
CRV_SEGMENT_OPTIONS_VERSION = 1


class CrvAcquisition(enum.IntEnum):
    """Source of the acquisition cost saved (enum scrm_crv_acquisition)."""

    FIXED = 1
    CUSTOMERS = 2


class CrvSource(enum.IntEnum):
    """Where referee margins come from in datasets (enum scrm_crv_source)."""

    MARGIN = 1
    AMOUNT = 2


class CrvColumn(enum.IntEnum):
    """Per-referrer columns (enum scrm_crv_column)."""

    VALUE = 1
    MARGIN = 2
    RETENTION_COST = 3
    INCENTIVE_COST = 4
    ACQUISITION_SAVING = 5
    REFEREES = 6
    INCREMENTAL = 7


class Segment(enum.IntEnum):
    """Kumar, Petersen & Leone's customer segments (enum scrm_crv_segment)."""

    CHAMPION = 1
    AFFLUENT = 2
    ADVOCATE = 3
    MISER = 4


class Split(enum.IntEnum):
    """High/low threshold rule (enum scrm_crv_split)."""

    MEDIAN = 1
    MEAN = 2
    VALUE = 3


CONSTANTS.update({f"SCRM_CRV_ACQUISITION_{v.name}": v.value for v in CrvAcquisition})
CONSTANTS.update({f"SCRM_CRV_SOURCE_{v.name}": v.value for v in CrvSource})
CONSTANTS.update({f"SCRM_CRV_{c.name}": c.value for c in CrvColumn if c.name != "VALUE"})
CONSTANTS.update({f"SCRM_CRV_{s.name}": s.value for s in Segment})
CONSTANTS.update({f"SCRM_CRV_SPLIT_{s.name}": s.value for s in Split})
CONSTANTS.update(SCRM_CRV_VALUE=CrvColumn.VALUE.value, SCRM_CRV_OPTIONS_VERSION=1,
                 SCRM_CRV_SEGMENT_OPTIONS_VERSION=1)


class CrvPtr(HandlePtr):
    _c_name_ = "scrm_crv"


class CrvOptions(Struct):
    _c_name_ = "scrm_crv_options"
    _fields_ = [("version", c_uint), ("period", c_int32), ("horizon", c_uint32),
                ("discount_rate", c_double), ("share_anyway", c_double),
                ("acquisition_source", c_int32), ("acquisition_saving", c_double),
                ("retention_cost", c_double), ("margin_source", c_int32), ("margin_rate", c_double),
                ("observation_end", c_int64)]


class CCrvResult(Struct):
    _c_name_ = "scrm_crv_result"
    _fields_ = [("referrers", c_uint64), ("referees", c_double),
                ("incremental_referees", c_double), ("value", c_double),
                ("mean_value", c_double), ("margin", c_double), ("retention_cost", c_double),
                ("incentive_cost", c_double), ("acquisition_saving", c_double),
                ("referrals", c_uint64), ("not_converted", c_uint64), ("duplicates", c_uint64),
                ("after_end", c_uint64)]


class SegmentOptions(Struct):
    _c_name_ = "scrm_crv_segment_options"
    _fields_ = [("version", c_uint), ("clv_split", c_int32), ("clv_threshold", c_double),
                ("crv_split", c_int32), ("crv_threshold", c_double)]


class CSegmentSummary(Struct):
    _c_name_ = "scrm_crv_segment_summary"
    _fields_ = [("clv_threshold", c_double), ("crv_threshold", c_double),
                ("count", c_uint64 * 4), ("clv_mean", c_double * 4), ("crv_mean", c_double * 4)]


_P = POINTER
_options_init = _fn("scrm_crv_options_init", [_P(CrvOptions), c_uint], c_int, check_status)
_new = _fn("scrm_crv_new", [_P(CrvPtr), _P(CrvOptions)], c_int, check_status)
_free = _fn("scrm_crv_free", [CrvPtr], None, None)
_get_options = _fn("scrm_crv_get_options", [CrvPtr, _P(CrvOptions)], c_int, check_status)
_reset = _fn("scrm_crv_reset", [CrvPtr], None, None)
_add = _fn("scrm_crv_add", [CrvPtr, _P(c_int64), _P(c_double), _P(c_uint32), _P(c_double),
                            _P(c_double), _P(c_double), c_size_t], c_int, check_status)
_merge = _fn("scrm_crv_merge", [CrvPtr, CrvPtr], c_int, check_status)
_serialize = _fn("scrm_crv_serialize", [CrvPtr, _P(c_uint8), c_size_t, _P(c_size_t)], c_int,
                 check_status)
_deserialize = _fn("scrm_crv_deserialize", [_P(CrvPtr), _P(c_uint8), c_size_t], c_int,
                   check_status)
_finalize = _fn("scrm_crv_finalize", [CrvPtr, _P(CCrvResult)], c_int, check_status)
_referrers = _fn("scrm_crv_referrers", [CrvPtr, _P(c_int64), c_size_t, _P(c_size_t)], c_int,
                 check_status)
_column = _fn("scrm_crv_column", [CrvPtr, c_int32, _P(c_double), c_size_t, _P(c_size_t)], c_int,
              check_status)
_lookup = _fn("scrm_crv_lookup", [CrvPtr, _P(c_int64), c_size_t, _P(c_double), c_size_t,
                                  _P(c_size_t)], c_int, check_status)
_compute = _fn("scrm_crv_compute", [CrvPtr, DatasetPtr, _P(CCrvResult)], c_int, check_status)
_segment_options_init = _fn("scrm_crv_segment_options_init", [_P(SegmentOptions), c_uint], c_int,
                            check_status)
_segments = _fn("scrm_crv_segments", [_P(c_double), _P(c_double), c_size_t, _P(SegmentOptions),
                                      _P(c_int32), c_size_t, _P(c_size_t), _P(CSegmentSummary)],
                c_int, check_status)


def _enum(cls, value, what):
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


def _options(**kw):
    if "period" in kw:
        kw["period"] = _enum(Period, kw["period"], "period")
    if "acquisition_source" in kw:
        kw["acquisition_source"] = _enum(CrvAcquisition, kw["acquisition_source"],
                                         "acquisition_source")
    if "margin_source" in kw:
        kw["margin_source"] = _enum(CrvSource, kw["margin_source"], "margin_source")
    if "observation_end" in kw:
        v = kw["observation_end"]
        kw["observation_end"] = TIME_NONE if v is None else to_seconds(v)
    return make_options(CrvOptions, _options_init, CRV_OPTIONS_VERSION, kw)


@result
class CrvResult(Result):
    """Totals over referrers (money values are present values)."""

    referrers: int
    referees: float
    incremental_referees: float
    value: float
    mean_value: float
    margin: float
    retention_cost: float
    incentive_cost: float
    acquisition_saving: float
    referrals: int
    not_converted: int
    duplicates: int
    after_end: int


class Crv(Accumulator):
    """A customer referral value calculator (mergeable accumulator).

    Options (keywords): ``period`` ("month"), ``horizon`` (12 periods),
    ``discount_rate`` (0.01 per period), ``share_anyway`` (0), ``acquisition_source``
    ("fixed" or "customers"), ``acquisition_saving`` (0), ``retention_cost`` (0 per
    active period), ``margin_source`` ("margin" or "amount"), ``margin_rate`` (1),
    ``observation_end`` (None = latest data).
    """

    _free_ = _free
    _ptr_type_ = CrvPtr
    _merge_ = _merge
    _serialize_ = _serialize
    _deserialize_ = _deserialize

    def __init__(self, **options):
        opts = _options(**options)
        ptr = CrvPtr()
        _new(byref(ptr), byref(opts))
        super().__init__(ptr)

    @property
    def options(self):
        out = CrvOptions()
        with self._locked() as h:
            _get_options(h, byref(out))
        return out.as_dict()

    def reset(self):
        with self._mutating() as h:
            _reset(h)

    def add(self, referrer, margins=None, active=None, incentive=None, acquisition=None,
            incremental=None):
        """Add converted referees. ``margins``: per referee a sequence of
        ``horizon`` per-period margins (a 2-D array or list of lists)."""
        ref = as_input(referrer, c_int64, "referrer")
        horizon = self.options["horizon"]
        keep = [ref]
        m = None
        if margins is not None:
            if have_numpy():
                flat = np.asarray(margins, dtype=float)
                if flat.ndim != 2 or flat.shape != (ref.n, horizon):
                    raise error_for(SCRM_EINVAL, f"margins: expected shape ({ref.n}, {horizon}), "
                                    f"got {flat.shape}")
                flat = flat.ravel()
            else:
                rows = [list(r) for r in margins]
                if len(rows) != ref.n or any(len(r) != horizon for r in rows):
                    raise error_for(SCRM_EINVAL, f"margins: expected {ref.n} rows of {horizon}")
                flat = [v for r in rows for v in r]
            m = as_input(flat, c_double, "margins")
            keep.append(m)
        cols = {}
        for name, values, ctype in (("active", active, c_uint32), ("incentive", incentive, c_double),
                                    ("acquisition", acquisition, c_double),
                                    ("incremental", incremental, c_double)):
            if values is None:
                cols[name] = None
                continue
            arr = as_input(values, ctype, name)
            if arr.n != ref.n:
                raise error_for(SCRM_EINVAL, f"{name}: {arr.n} values for {ref.n} referees")
            keep.append(arr)
            cols[name] = arr.ptr
        with self._mutating() as h:
            _add(h, ref.ptr, m.ptr if m is not None else None, cols["active"], cols["incentive"],
                 cols["acquisition"], cols["incremental"], ref.n)

    def finalize(self):
        out = CCrvResult()
        with self._locked() as h:
            _finalize(h, byref(out))
        return from_struct(CrvResult, out)

    def compute(self, dataset):
        """Reset, add the dataset's referrals, finalize. Keys are interned ids."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"expected a Dataset, got {type(dataset).__name__}")
        out = CCrvResult()
        with self._mutating() as h, dataset._locked() as d:
            _compute(h, d, byref(out))
        return from_struct(CrvResult, out)

    def referrers(self):
        with self._locked() as h:
            return read_sized(lambda p, cap, n: _referrers(h, p, cap, n), c_int64)

    def column(self, column):
        col = _enum(CrvColumn, column, "column")
        with self._locked() as h:
            return read_sized(lambda p, cap, n: _column(h, col, p, cap, n), c_double)

    def to_dict(self):
        """Per-referrer columns keyed by name, plus ``referrer``."""
        out = {"referrer": self.referrers()}
        for c in CrvColumn:
            out[c.name.lower()] = self.column(c)
        return out

    def lookup(self, customers):
        """CRV of each customer key (0 for customers who referred nobody)."""
        keys = as_input(customers, c_int64, "customers")
        with self._locked() as h:
            return read_sized(lambda p, cap, n: _lookup(h, keys.ptr, keys.n, p, cap, n), c_double,
                              cap=max(keys.n, 1))


@result
class SegmentSummary(Result):
    """Thresholds used and, per segment name, the count and mean CLV/CRV."""

    clv_threshold: float
    crv_threshold: float
    count: dict
    clv_mean: dict
    crv_mean: dict


def crv_segments(clv, crv, clv_split="median", crv_split="median", clv_threshold=0.0,
                 crv_threshold=0.0):
    """Kumar's segments per customer (array of :class:`Segment` values) and a
    :class:`SegmentSummary`. "High" is strictly above the threshold."""
    a, b = as_input(clv, c_double, "clv"), as_input(crv, c_double, "crv")
    if a.n != b.n:
        raise error_for(SCRM_EINVAL, f"clv and crv differ in length ({a.n}, {b.n})")
    opts = make_options(SegmentOptions, _segment_options_init, CRV_SEGMENT_OPTIONS_VERSION, {
        "clv_split": _enum(Split, clv_split, "clv_split"),
        "crv_split": _enum(Split, crv_split, "crv_split"),
        "clv_threshold": clv_threshold, "crv_threshold": crv_threshold})
    summary = CSegmentSummary()
    seg = read_sized(lambda p, cap, n: _segments(a.ptr, b.ptr, a.n, byref(opts), p, cap, n,
                                                 byref(summary)), c_int32, cap=max(a.n, 1))
    names = [s.name.lower() for s in Segment]
    return seg, SegmentSummary(
        summary.clv_threshold, summary.crv_threshold,
        dict(zip(names, [int(v) for v in summary.count])),
        dict(zip(names, list(summary.clv_mean))), dict(zip(names, list(summary.crv_mean))))


__all__ = ["Crv", "CrvResult", "CrvColumn", "CrvSource", "CrvAcquisition", "Segment", "Split",
           "SegmentSummary", "crv_segments"]
