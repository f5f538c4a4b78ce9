"""Times and calendar periods."""
import datetime as dt

import pytest

import scrm
from scrm import Period, errors
from scrm.times import TIME_NONE, to_datetime, to_seconds

UTC = dt.timezone.utc


def ts(*args):
    return int(dt.datetime(*args, tzinfo=UTC).timestamp())


def test_period_start():
    t = ts(2020, 5, 17, 13, 45, 10)  # a Sunday
    assert scrm.period_start(t, Period.DAY) == ts(2020, 5, 17)
    assert scrm.period_start(t, "week") == ts(2020, 5, 11)  # ISO week starts Monday
    assert scrm.period_start(t, "Month") == ts(2020, 5, 1)
    assert scrm.period_start(t, Period.QUARTER) == ts(2020, 4, 1)
    assert scrm.period_start(t, 5) == ts(2020, 1, 1)
    assert scrm.period_start(-1, "day") == -86400


def test_period_add_calendar_steps():
    assert scrm.period_add(ts(2020, 1, 31), "month", 1) == ts(2020, 2, 1)
    assert scrm.period_add(ts(2020, 3, 15), Period.MONTH, -3) == ts(2019, 12, 1)
    assert scrm.period_add(ts(2021, 6, 1), "year", -1) == ts(2020, 1, 1)
    assert scrm.period_add(dt.date(2020, 2, 29), "quarter", 1) == ts(2020, 4, 1)


def test_period_errors():
    with pytest.raises(ValueError, match="unknown period 'fortnight'"):
        scrm.period_start(0, "fortnight")
    with pytest.raises(errors.InvalidArgumentError, match="unknown period 0"):
        scrm.period_start(0, 0)
    with pytest.raises(errors.RangeError):
        scrm.period_start(10**15, "day")


def test_to_seconds_conversions():
    assert to_seconds(5) == 5
    assert to_seconds(dt.date(1970, 1, 2)) == 86400
    assert to_seconds(dt.datetime(1970, 1, 1, 1)) == 3600  # naive = UTC
    plus2 = dt.timezone(dt.timedelta(hours=2))
    assert to_seconds(dt.datetime(1970, 1, 1, 2, tzinfo=plus2)) == 0
    # fractions are dropped toward the past, as the library's parser does
    assert to_seconds(dt.datetime(1969, 12, 31, 23, 59, 59, 500000)) == -1
    with pytest.raises(TypeError):
        to_seconds(True)
    with pytest.raises(TypeError):
        to_seconds(1.5)
    assert to_datetime(86400) == dt.datetime(1970, 1, 2, tzinfo=UTC)
    assert to_datetime(TIME_NONE) is None


def test_numpy_datetime64_scalar():
    np = pytest.importorskip("numpy")
    assert to_seconds(np.datetime64("1970-01-02T00:00:01")) == 86401
    assert to_seconds(np.int64(7)) == 7


def test_time_parse_and_format():
    assert scrm.time_parse("2020-05-17") == ts(2020, 5, 17)
    assert scrm.time_parse(b"2020-05-17T13:45:10Z") == ts(2020, 5, 17, 13, 45, 10)
    assert scrm.time_parse("2020-05-17 15:45:10+02:00") == ts(2020, 5, 17, 13, 45, 10)
    assert scrm.time_format(ts(2020, 5, 17, 13, 45, 10)) == "2020-05-17T13:45:10Z"
    assert to_seconds("1970-01-02") == 86400
    for t in (0, -1, ts(1, 1, 1), ts(9999, 12, 31, 23, 59, 59)):
        assert scrm.time_parse(scrm.time_format(t)) == t


def test_time_errors():
    with pytest.raises(errors.ParseError) as info:
        scrm.time_parse("2020-13-01")
    assert info.value.function == "scrm_time_parse" and info.value.message
    assert isinstance(info.value, ValueError)
    with pytest.raises(errors.RangeError):
        scrm.time_format(ts(9999, 12, 31) + 10 * 86400)
