"""Social engagement KPIs (the ``engagement`` section of scrm.h).

:class:`Engagement` is a mergeable accumulator: add interactions (and follower
counts), merge accumulators built on other threads, processes or machines,
serialize them with :meth:`Engagement.to_bytes`, and read the results overall
(:meth:`~Engagement.finalize`), per calendar period (:meth:`~Engagement.periods`)
or per day with the rolling "people talking about this" window
(:meth:`~Engagement.days`). :meth:`~Engagement.compute` does everything from a
:class:`scrm.Dataset` and counts unique users exactly.

    >>> import scrm
    >>> e = scrm.Engagement("day")
    >>> e.add([0, 0, 60], ["ann", "bob", "ann"], ["post", "like", "comment"])
    >>> r = e.finalize()
    >>> r.counts["like"], r.conversation_rate
    (1, 1.0)

Figures whose denominator is zero are ``None`` (the C result marks them in its
``valid`` bits and holds NaN); :attr:`EngagementResult.valid` keeps the bits.
"""

import enum
from ctypes import (POINTER, byref, c_char_p, c_double, c_int, c_int8, c_int32, c_int64,
                    c_size_t, c_uint, c_uint8, c_uint32, c_uint64, cast)

from ._arrays import as_input
from ._accumulator import Accumulator
from ._lib import HandlePtr, _fn, check_status
from ._structs import CONSTANTS, Result, Struct, make_options, result
from .errors import BufferTooSmallError
from .dataset import DatasetPtr
from .times import Period, _period, to_seconds

__all__ = ["Engagement", "EngagementResult", "EngagementDay", "EngagementKind",
           "EngagementValid", "EngagementCompetitors", "engagement_hash"]

KIND_COUNT = 6


class EngagementKind(enum.IntEnum):
    """Interaction kinds (enum scrm_engagement_kind)."""

    POST = 0
    COMMENT = 1
    SHARE = 2
    LIKE = 3
    MENTION = 4
    OTHER = 5


class EngagementCompetitors(enum.IntEnum):
    """How competitor rows are used (enum scrm_engagement_competitors)."""

    SOV_ONLY = 0
    POOLED = 1


class EngagementValid(enum.IntFlag):
    """Bits of ``valid`` (enum scrm_engagement_valid)."""

    ER_REACH = 1 << 0
    ER_IMPRESSIONS = 1 << 1
    ER_FOLLOWERS = 1 << 2
    PER_POST = 1 << 3
    ECONOMIC = 1 << 4
    NSS = 1 << 5
    NSS_TOTAL = 1 << 6
    SOV = 1 << 7
    FOLLOWERS = 1 << 8
    GROWTH_ENGAGEMENTS = 1 << 9
    GROWTH_USERS = 1 << 10
    GROWTH_FOLLOWERS = 1 << 11
    EXACT_USERS = 1 << 12


CONSTANTS.update({f"SCRM_ENGAGEMENT_{k.name}": k.value for k in EngagementKind})
CONSTANTS.update({f"SCRM_ENGAGEMENT_COMPETITORS_{c.name}": c.value for c in EngagementCompetitors})
CONSTANTS.update({f"SCRM_ENGAGEMENT_VALID_{v.name}": v.value for v in EngagementValid
                  if v is not EngagementValid.EXACT_USERS})
CONSTANTS.update(SCRM_ENGAGEMENT_EXACT_USERS=EngagementValid.EXACT_USERS.value,
                 SCRM_ENGAGEMENT_KIND_COUNT=KIND_COUNT,
                 SCRM_ENGAGEMENT_OPTIONS_VERSION=1,
                 SCRM_ENGAGEMENT_DEFAULT_ENGAGEMENT_KINDS=0b01110,
                 SCRM_ENGAGEMENT_DEFAULT_TALKING_KINDS=0b11110)


class EngagementPtr(HandlePtr):
    _c_name_ = "scrm_engagement"


class EngagementOptions(Struct):
    _c_name_ = "scrm_engagement_options"
    _fields_ = [("version", c_uint), ("period", c_int32), ("engagement_kinds", c_uint32),
                ("talking_kinds", c_uint32), ("sov_kinds", c_uint32), ("competitors", c_int32),
                ("hll_precision", c_int32), ("window_days", c_int32),
                ("neutral_band", c_double), ("value", c_double * KIND_COUNT),
                ("own_brand", c_char_p)]


class CEngagementResult(Struct):
    _c_name_ = "scrm_engagement_result"
    _fields_ = [("start", c_int64), ("end", c_int64), ("rows", c_uint64),
                ("counts", c_uint64 * KIND_COUNT), ("competitor_counts", c_uint64 * KIND_COUNT),
                ("engagements", c_uint64), ("positive", c_uint64), ("neutral", c_uint64),
                ("negative", c_uint64), ("unscored", c_uint64), ("own_mentions", c_uint64),
                ("competitor_mentions", c_uint64), ("reach", c_double),
                ("impressions", c_double), ("followers", c_double),
                ("unique_users", c_double), ("talking_window", c_double),
                ("er_reach", c_double), ("er_impressions", c_double),
                ("er_followers", c_double), ("conversation_rate", c_double),
                ("amplification_rate", c_double), ("applause_rate", c_double),
                ("economic_value", c_double), ("net_sentiment", c_double),
                ("net_sentiment_total", c_double), ("mean_sentiment", c_double),
                ("share_of_voice", c_double), ("growth_engagements", c_double),
                ("growth_unique_users", c_double), ("growth_followers", c_double),
                ("valid", c_uint32)]


class CEngagementDay(Struct):
    _c_name_ = "scrm_engagement_day"
    _fields_ = [("start", c_int64), ("rows", c_uint64), ("engagements", c_uint64),
                ("unique_users", c_double), ("talking_window", c_double), ("exact", c_uint32)]


_options_init = _fn("scrm_engagement_options_init", [POINTER(EngagementOptions), c_uint], c_int,
                    check_status)
_new = _fn("scrm_engagement_new", [POINTER(EngagementPtr), POINTER(EngagementOptions)], c_int,
           check_status)
_free = _fn("scrm_engagement_free", [EngagementPtr], None, None)
_get_options = _fn("scrm_engagement_get_options", [EngagementPtr, POINTER(EngagementOptions)],
                   c_int, check_status)
_reset = _fn("scrm_engagement_reset", [EngagementPtr], c_int, check_status)
_hash = _fn("scrm_engagement_hash", [c_char_p, c_size_t], c_uint64, None)
_ROW_ARGS = [POINTER(c_int32), POINTER(c_double), POINTER(c_double), POINTER(c_double),
             POINTER(c_int8), c_size_t]
_add = _fn("scrm_engagement_add", [EngagementPtr, POINTER(c_int64), POINTER(c_char_p)] + _ROW_ARGS,
           c_int, check_status)
_add_keys = _fn("scrm_engagement_add_keys",
                [EngagementPtr, POINTER(c_int64), POINTER(c_uint64)] + _ROW_ARGS, c_int,
                check_status)
_add_followers = _fn("scrm_engagement_add_followers",
                     [EngagementPtr, POINTER(c_int64), POINTER(c_char_p), POINTER(c_double),
                      c_size_t], c_int, check_status)
_merge = _fn("scrm_engagement_merge", [EngagementPtr, EngagementPtr], c_int, check_status)
_serialize = _fn("scrm_engagement_serialize",
                 [EngagementPtr, POINTER(c_uint8), c_size_t, POINTER(c_size_t)], c_int,
                 check_status)
_deserialize = _fn("scrm_engagement_deserialize",
                   [POINTER(EngagementPtr), POINTER(c_uint8), c_size_t], c_int, check_status)
_finalize = _fn("scrm_engagement_finalize", [EngagementPtr, POINTER(CEngagementResult)], c_int,
                check_status)
_periods = _fn("scrm_engagement_periods",
               [EngagementPtr, POINTER(CEngagementResult), c_size_t, POINTER(c_size_t)], c_int,
               check_status)
_days = _fn("scrm_engagement_days",
            [EngagementPtr, POINTER(CEngagementDay), c_size_t, POINTER(c_size_t)], c_int,
            check_status)


_compute = _fn("scrm_engagement_compute",
               [EngagementPtr, DatasetPtr, POINTER(CEngagementResult)], c_int, check_status)

_KIND_NAMES = [k.name.lower() for k in EngagementKind]

# Which valid bit guards which field.
_GUARDS = {
    "er_reach": EngagementValid.ER_REACH,
    "er_impressions": EngagementValid.ER_IMPRESSIONS,
    "er_followers": EngagementValid.ER_FOLLOWERS,
    "conversation_rate": EngagementValid.PER_POST,
    "amplification_rate": EngagementValid.PER_POST,
    "applause_rate": EngagementValid.PER_POST,
    "economic_value": EngagementValid.ECONOMIC,
    "net_sentiment": EngagementValid.NSS,
    "net_sentiment_total": EngagementValid.NSS_TOTAL,
    "mean_sentiment": EngagementValid.NSS_TOTAL,
    "share_of_voice": EngagementValid.SOV,
    "followers": EngagementValid.FOLLOWERS,
    "growth_engagements": EngagementValid.GROWTH_ENGAGEMENTS,
    "growth_unique_users": EngagementValid.GROWTH_USERS,
    "growth_followers": EngagementValid.GROWTH_FOLLOWERS,
}


def engagement_hash(value):
    """The 64-bit key of a user or channel string: XXH64 (seed 0) of its UTF-8 bytes,
    as :meth:`Engagement.add` and :meth:`Engagement.compute` use it."""
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return _hash(raw, len(raw))


def _kind(value, what):
    if isinstance(value, str):
        try:
            return EngagementKind[value.upper()].value
        except KeyError:
            raise ValueError(f"{what}: unknown kind {value!r}; one of "
                             f"{', '.join(_KIND_NAMES)}") from None
    return int(value)


def _mask(kinds, what):
    if isinstance(kinds, int):
        return kinds
    if isinstance(kinds, str):
        kinds = [kinds]
    mask = 0
    for k in kinds:
        mask |= 1 << _kind(k, what)
    return mask


@result
class EngagementResult(Result):
    """Engagement figures for one period or the whole range (scrm_engagement_result).

    ``counts`` / ``competitor_counts`` map kind names to row counts. Rates are
    percentages (0..100) except the per-post rates and ``mean_sentiment``;
    undefined figures (zero denominator) are ``None``. ``exact_users`` says the
    user counts are exact (dataset compute) rather than sketch estimates.
    """

    start: int
    end: int
    rows: int
    counts: dict
    competitor_counts: dict
    engagements: int
    positive: int
    neutral: int
    negative: int
    unscored: int
    own_mentions: int
    competitor_mentions: int
    reach: float
    impressions: float
    followers: object
    unique_users: float
    talking_window: float
    er_reach: object
    er_impressions: object
    er_followers: object
    conversation_rate: object
    amplification_rate: object
    applause_rate: object
    economic_value: object
    net_sentiment: object
    net_sentiment_total: object
    mean_sentiment: object
    share_of_voice: object
    growth_engagements: object
    growth_unique_users: object
    growth_followers: object
    valid: EngagementValid
    exact_users: bool


def _result(c):
    valid = EngagementValid(c.valid)
    values = {}
    for name, *_ in CEngagementResult._fields_:
        v = getattr(c, name)
        if name in ("counts", "competitor_counts"):
            v = dict(zip(_KIND_NAMES, list(v)))
        elif name in _GUARDS and not (valid & _GUARDS[name]):
            v = None
        elif name == "valid":
            v = valid
        values[name] = v
    return EngagementResult(exact_users=bool(valid & EngagementValid.EXACT_USERS), **values)


@result
class EngagementDay(Result):
    """One day of the daily series: distinct engaged users that day and in the
    rolling window ending on it (scrm_engagement_day)."""

    start: int
    rows: int
    engagements: int
    unique_users: float
    talking_window: float
    exact: bool


def _read_structs(call, ctype, cap=16):
    """Structs from a caller-buffer function, retrying once on SCRM_EBUFS."""
    for _ in range(3):
        buf = (ctype * max(cap, 1))()
        n = c_size_t(0)
        try:
            call(cast(buf, POINTER(ctype)), cap, byref(n))
        except BufferTooSmallError:
            if n.value <= cap:
                raise
            cap = n.value
            continue
        return list(buf[:n.value])
    raise BufferTooSmallError(-4, "buffer still too small after 3 attempts")


def _times(values, what="times"):
    if hasattr(values, "dtype") and getattr(values.dtype, "kind", "") in "iu":
        return as_input(values, c_int64, what)
    return as_input([to_seconds(v) for v in values], c_int64, what)


def _optional(values, ctype, what, n, missing=None):
    if values is None:
        return None
    if missing is not None and isinstance(values, (list, tuple)):
        values = [missing if v is None else v for v in values]
    arr = as_input(values, ctype, what)
    if arr.n != n:
        raise ValueError(f"{what}: {arr.n} values for {n} rows")
    return arr


def _strings(values, what, allow_none=False):
    out = []
    for i, v in enumerate(values):
        if v is None:
            if not allow_none:
                raise TypeError(f"{what}[{i}]: missing (None)")
            out.append(None)
        elif isinstance(v, bytes):
            out.append(v)
        else:
            out.append(str(v).encode("utf-8"))
    return (c_char_p * max(len(out), 1))(*out)


class Engagement(Accumulator):
    """Engagement accumulator (``scrm_engagement``).

    Options (keyword arguments, defaults from the library):
        period: "day", "week", "month" (default), "quarter" or "year".
        engagement_kinds: kinds counted as engagements (default like, comment, share).
        talking_kinds: kinds whose users count as engaged (default like, comment,
            share, mention).
        sov_kinds: kinds counted as mentions for share of voice (default mention).
        competitors: "sov_only" (default) or "pooled".
        hll_precision: 4..18 (default 14: 0.81 % standard error).
        window_days: rolling window length (default 7).
        neutral_band: sentiment scores within +-band are neutral (default 0).
        values: economic value per action, ``{"like": 0.1, ...}`` (default 0).
        own_brand: brand name of own rows in datasets (default: empty brand only).
    """

    _free_ = _free
    _ptr_type_ = EngagementPtr
    _merge_ = _merge
    _serialize_ = _serialize
    _deserialize_ = _deserialize
    _bytes_hint_ = 4096

    def __init__(self, period="month", *, values=None, own_brand=None, **options):
        for key in ("engagement_kinds", "talking_kinds", "sov_kinds"):
            if key in options:
                options[key] = _mask(options[key], key)
        if "competitors" in options and isinstance(options["competitors"], str):
            options["competitors"] = EngagementCompetitors[options["competitors"].upper()].value
        options["period"] = _period(period)
        opts = make_options(EngagementOptions, _options_init, 1, options)
        for k, v in (values or {}).items():
            opts.value[_kind(k, "values")] = float(v)
        brand = None
        if own_brand is not None:
            brand = own_brand.encode("utf-8") if isinstance(own_brand, str) else bytes(own_brand)
            opts.own_brand = brand
        ptr = EngagementPtr()
        _new(byref(ptr), byref(opts))  # copies own_brand
        super().__init__(ptr)

    @property
    def options(self):
        """The options as a dict (``own_brand`` decoded, masks as kind-name lists)."""
        o = EngagementOptions()
        with self._locked() as h:
            _get_options(h, byref(o))
            d = o.as_dict()
            d["own_brand"] = None if not o.own_brand else o.own_brand.decode("utf-8", "replace")
        for key in ("engagement_kinds", "talking_kinds", "sov_kinds"):
            d[key] = [n for i, n in enumerate(_KIND_NAMES) if d[key] >> i & 1]
        d["values"] = dict(zip(_KIND_NAMES, d.pop("value")))
        d["period"] = Period(d["period"]).name.lower()
        d["competitors"] = EngagementCompetitors(d["competitors"]).name.lower()
        return d

    def reset(self):
        """Forget all data (options are kept)."""
        with self._mutating() as h:
            _reset(h)

    def _rows(self, times, kinds, reach, impressions, sentiment, competitor):
        t = _times(times)
        k = as_input([_kind(v, "kinds") for v in kinds]
                     if not hasattr(kinds, "dtype") else kinds, c_int32, "kinds")
        if k.n != t.n:
            raise ValueError(f"kinds: {k.n} values for {t.n} rows")
        r = _optional(reach, c_double, "reach", t.n)
        i = _optional(impressions, c_double, "impressions", t.n)
        s = _optional(sentiment, c_double, "sentiment", t.n, missing=float("nan"))
        c = _optional(competitor, c_int8, "competitor", t.n)
        ptr = lambda a: None if a is None else a.ptr  # noqa: E731
        return t, k, [ptr(r), ptr(i), ptr(s), ptr(c)], (r, i, s, c)

    def add(self, times, users, kinds, reach=None, impressions=None, sentiment=None,
            competitor=None):
        """Add interactions with users as strings.

        ``times``: seconds, ISO-8601 strings or datetimes; ``kinds``: names or
        :class:`EngagementKind`; ``sentiment``: -1..1, NaN/None = not scored;
        ``competitor``: 1 for competitor rows. All rows are checked first:
        on error nothing is added.
        """
        t, k, opt, keep = self._rows(times, kinds, reach, impressions, sentiment, competitor)
        u = _strings(list(users), "users")
        if len(users) != t.n:
            raise ValueError(f"users: {len(users)} values for {t.n} rows")
        with self._mutating() as h:
            _add(h, t.ptr, cast(u, POINTER(c_char_p)), k.ptr, *opt, t.n)

    def add_keys(self, times, keys, kinds, reach=None, impressions=None, sentiment=None,
                 competitor=None):
        """Add interactions with users as 64-bit keys (see :func:`engagement_hash`)."""
        t, k, opt, keep = self._rows(times, kinds, reach, impressions, sentiment, competitor)
        u = as_input(keys, c_uint64, "keys")
        if u.n != t.n:
            raise ValueError(f"keys: {u.n} values for {t.n} rows")
        with self._mutating() as h:
            _add_keys(h, t.ptr, u.ptr, k.ptr, *opt, t.n)

    def add_followers(self, times, followers, channels=None):
        """Add follower counts (per channel; ``channels=None``: one unnamed channel)."""
        t = _times(times)
        f = as_input(followers, c_double, "followers")
        if f.n != t.n:
            raise ValueError(f"followers: {f.n} values for {t.n} rows")
        ch = None
        if channels is not None:
            if len(channels) != t.n:
                raise ValueError(f"channels: {len(channels)} values for {t.n} rows")
            ch = cast(_strings(list(channels), "channels", allow_none=True), POINTER(c_char_p))
        with self._mutating() as h:
            _add_followers(h, t.ptr, ch, f.ptr, t.n)

    def finalize(self):
        """Overall :class:`EngagementResult`."""
        out = CEngagementResult()
        with self._locked() as h:
            _finalize(h, byref(out))
        return _result(out)

    def periods(self):
        """One :class:`EngagementResult` per calendar period, first to last (gaps included)."""
        with self._locked() as h:
            rows = _read_structs(lambda p, cap, n: _periods(h, p, cap, n), CEngagementResult)
        return [_result(r) for r in rows]

    def days(self):
        """Daily series (:class:`EngagementDay`) from the first to the last day with data."""
        with self._locked() as h:
            rows = _read_structs(lambda p, cap, n: _days(h, p, cap, n), CEngagementDay, 64)
        return [EngagementDay(start=d.start, rows=d.rows, engagements=d.engagements,
                              unique_users=d.unique_users, talking_window=d.talking_window,
                              exact=bool(d.exact)) for d in rows]

    def compute(self, dataset):
        """Reset, add the dataset's social and audience tables, return the overall result."""
        out = CEngagementResult()
        with self._mutating() as h, dataset._locked() as d:
            _compute(h, d, byref(out))
        return _result(out)
