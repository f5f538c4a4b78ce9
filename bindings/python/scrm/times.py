"""Times (seconds since 1970-01-01T00:00:00Z) and calendar periods.

Every time in libscrm is a signed 64-bit count of seconds, UTC. These helpers
parse and format ISO-8601 with the library's own rules, convert Python
``datetime``/``date`` objects, and step calendar periods.
"""

import datetime as _dt
import enum
from ctypes import POINTER, byref, c_char_p, c_int, c_int32, c_int64, c_size_t, \
    create_string_buffer

from ._lib import _fn, check_status
from ._structs import CONSTANTS

#: Marker for a missing time (INT64_MIN; NumPy's NaT has the same bits).
TIME_NONE = -(1 << 63)
#: Seconds in one day.
SECONDS_PER_DAY = 86400
#: Buffer size that always suffices for :func:`time_format`.
TIME_FORMAT_CAP = 21

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_SECOND = _dt.timedelta(seconds=1)


class Period(enum.IntEnum):
    """Calendar periods (enum scrm_period). All UTC; weeks are ISO weeks (Monday)."""

    DAY = 1
    WEEK = 2
    MONTH = 3
    QUARTER = 4
    YEAR = 5


CONSTANTS.update({f"SCRM_PERIOD_{p.name}": p.value for p in Period})
CONSTANTS.update(SCRM_SECONDS_PER_DAY=SECONDS_PER_DAY)

_time_parse = _fn("scrm_time_parse", [c_char_p, c_size_t, POINTER(c_int64)], c_int, check_status)
_time_format = _fn("scrm_time_format", [c_int64, c_char_p, c_size_t], c_int, check_status)
_period_start = _fn("scrm_period_start", [c_int64, c_int32, POINTER(c_int64)], c_int,
                    check_status)
_period_add = _fn("scrm_period_add", [c_int64, c_int32, c_int64, POINTER(c_int64)], c_int,
                  check_status)


def time_parse(text):
    """Seconds since the epoch of an ISO-8601 date or date-time (``str`` or ``bytes``).

    ``YYYY-MM-DD``, ``YYYY-MM-DDThh:mm[:ss[.fff]]``, a space for ``T``, and a zone
    ``Z``/``+hh:mm``/``-hhmm``/``+hh``; no zone means UTC. Raises
    :class:`scrm.errors.ParseError` with the library's reason.
    """
    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    out = c_int64()
    _time_parse(raw, len(raw), byref(out))
    return out.value


def time_format(t):
    """``YYYY-MM-DDThh:mm:ssZ`` for seconds since the epoch (years 0001..9999)."""
    buf = create_string_buffer(TIME_FORMAT_CAP)
    _time_format(t, buf, TIME_FORMAT_CAP)
    return buf.value.decode("ascii")


def to_seconds(value):
    """Seconds since the epoch from ``int``, ``str`` (ISO-8601), ``datetime``
    (naive = UTC) or ``date`` (midnight UTC). Fractions of seconds are dropped
    toward the past, as the library does."""
    if isinstance(value, bool):
        raise TypeError(f"not a time: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, (str, bytes)):
        return time_parse(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return (value - _EPOCH) // _SECOND
    if isinstance(value, _dt.date):
        return (value - _EPOCH.date()).days * SECONDS_PER_DAY
    if hasattr(value, "__index__"):
        return value.__index__()
    if "datetime64" in str(getattr(value, "dtype", "")):  # NumPy scalar
        return int(value.astype("datetime64[s]").astype("int64"))
    raise TypeError(f"not a time: {value!r}")


def to_datetime(t):
    """Timezone-aware UTC ``datetime`` for seconds since the epoch (``None`` for TIME_NONE)."""
    if t == TIME_NONE:
        return None
    return _EPOCH + _dt.timedelta(seconds=int(t))


def _period(value):
    if isinstance(value, str):
        try:
            return Period[value.upper()]
        except KeyError:
            raise ValueError(f"unknown period {value!r}; "
                             f"one of {', '.join(p.name.lower() for p in Period)}") from None
    return int(value)


def period_start(t, period):
    """Start of the ``period`` (``Period``, its value, or ``"month"`` etc.) containing ``t``."""
    out = c_int64()
    _period_start(to_seconds(t), _period(period), byref(out))
    return out.value


def period_add(t, period, k):
    """Start of the period ``k`` periods after the one containing ``t`` (calendar steps)."""
    out = c_int64()
    _period_add(to_seconds(t), _period(period), k, byref(out))
    return out.value


__all__ = ["TIME_NONE", "SECONDS_PER_DAY", "Period", "time_parse", "time_format",
           "to_seconds", "to_datetime", "period_start", "period_add"]
