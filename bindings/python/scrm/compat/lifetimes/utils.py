"""lifetimes.utils, computed by libscrm: RFM summaries from transactions, customer
lifetime value, the tracking helpers (expected cumulative transactions, P(alive)
paths) and the private helpers lifetimes' users call."""

import collections
import numbers

from ...times import Period, period_add, to_seconds
from ._common import ConvergenceError, broadcast, is_series, np, pd, shaped
from .fitters import UNITS_PER_MONTH, BaseFitter

_Freq = collections.namedtuple("_Freq", "period group_ns unit_seconds")
_Freq.__doc__ = """How libscrm summarises one lifetimes ``freq``.

period: the calendar period in which purchases count once, or None for a fixed
length below a day, group_ns nanoseconds (hours, minutes, ...); unit_seconds:
the length of one unit of recency and T (lifetimes divides differences of period
starts by ``np.timedelta64(1, freq)``: NumPy's mean month and year)."""

_DAY_S = 86400
_MONTH_S = 2629746  # NumPy's month: 365.2425 / 12 days
_YEAR_S = 31556952  # NumPy's year: 365.2425 days
_FIXED = {"h": 3600, "H": 3600, "min": 60, "T": 60, "s": 1, "S": 1, "ms": 1e-3, "L": 1e-3,
          "us": 1e-6, "U": 1e-6, "ns": 1e-9, "N": 1e-9}
# lifetimes' freq is a pandas period alias that is also a NumPy time unit: D, W, M,
# Y, h, s, ms, us, ns; and "m", which pandas reads as months and NumPy as minutes.
# The other pandas aliases listed here are accepted too (lifetimes raises on them).
_FREQS = {
    "D": _Freq(Period.DAY, None, _DAY_S),
    "W": _Freq(Period.WEEK, None, 7 * _DAY_S),
    "W-SUN": _Freq(Period.WEEK, None, 7 * _DAY_S),
    "M": _Freq(Period.MONTH, None, _MONTH_S),
    "MS": _Freq(Period.MONTH, None, _MONTH_S),
    "m": _Freq(Period.MONTH, None, 60),
    "Q": _Freq(Period.QUARTER, None, 3 * _MONTH_S),
    "QS": _Freq(Period.QUARTER, None, 3 * _MONTH_S),
    "Y": _Freq(Period.YEAR, None, _YEAR_S),
    "A": _Freq(Period.YEAR, None, _YEAR_S),
    "YS": _Freq(Period.YEAR, None, _YEAR_S),
    "AS": _Freq(Period.YEAR, None, _YEAR_S),
}
_FREQS.update({k: _Freq(None, round(s * 1e9), s) for k, s in _FIXED.items()})
_MAX_FIXED_PERIODS = 2_900_000  # days from 1970 to the library's year 9999


def _freq(freq):
    try:
        return _FREQS[str(freq)]
    except KeyError:
        raise ValueError(f"freq={freq!r} is not supported by libscrm; use one of "
                         f"{', '.join(_FREQS)}") from None


def _column(transactions, name):
    values = transactions[name]
    return values.to_numpy() if hasattr(values, "to_numpy") else np().asarray(values)


def _nanoseconds(values, datetime_format=None):
    """int64 nanoseconds since the epoch (UTC) of a column of times."""
    p = pd()
    n = np()
    if isinstance(values, n.ndarray) and values.dtype == n.dtype("datetime64[ns]"):
        ns = values.view("int64")  # no parsing needed
        missing = ns == n.iinfo("int64").min  # NaT
        if missing.any():
            raise ValueError(f"missing times at rows {list(n.flatnonzero(missing)[:5])}")
        return ns
    if p is not None:
        parsed = p.to_datetime(values if isinstance(values, p.Series) else p.Series(values),
                               format=datetime_format)
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        if parsed.isna().any():
            raise ValueError(f"missing or unparsable times at rows "
                             f"{list(n.flatnonzero(parsed.isna().to_numpy())[:5])}")
        return parsed.to_numpy().astype("datetime64[ns]").view("int64")
    arr = n.asarray(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[ns]").view("int64")
    if datetime_format is not None:
        import datetime as dt
        seconds = [to_seconds(dt.datetime.strptime(str(v), datetime_format)) for v in arr]
    else:
        seconds = [to_seconds(v) for v in arr.tolist()]
    return n.asarray(seconds, dtype="int64") * 10**9


def _one_time(value, datetime_format=None):
    """One end time in nanoseconds: like the column in ``datetime_format``, else any
    ISO-8601 text, datetime or pandas Timestamp/Period."""
    if value is None:
        return None
    if hasattr(value, "to_timestamp"):  # a pandas Period: its start
        value = value.to_timestamp()
    try:
        return int(_nanoseconds([value], datetime_format)[0])
    except ValueError:
        if datetime_format is None:
            raise
        return int(_nanoseconds([value])[0])


class _Axis:
    """Times as libscrm sees them for one ``freq``: seconds for calendar periods;
    for a fixed length below a day, period k after the earliest one is day k after
    1970-01-01, so that libscrm's daily summary counts those periods."""

    def __init__(self, spec, times_ns, *ends_ns):
        self.spec = spec
        self.origin = 0
        if spec.period is None:
            known = [int(v) for v in ends_ns if v is not None]
            if len(times_ns):
                known += [int(times_ns.min()), int(times_ns.max())]
            if known:
                self.origin = min(known) // spec.group_ns
                count = max(known) // spec.group_ns - self.origin + 1
                if count > _MAX_FIXED_PERIODS:
                    raise ValueError(
                        f"the transactions span {count} periods of {spec.unit_seconds} s; "
                        f"libscrm summarises at most {_MAX_FIXED_PERIODS} periods shorter "
                        "than a day")

    def times(self, ns):
        n = np()
        if self.spec.period is None:
            return (n.floor_divide(ns, self.spec.group_ns) - self.origin) * _DAY_S
        return n.floor_divide(ns, 10**9)

    def time(self, ns):
        return None if ns is None else int(self.times(np().asarray([ns]))[0])

    @property
    def period(self):
        return Period.DAY if self.spec.period is None else self.spec.period

    def to_units(self, days):
        """Durations in days on this axis to units of ``freq``."""
        seconds = _DAY_S if self.spec.period is not None else self.spec.unit_seconds
        return np().asarray(days, dtype=float) * (seconds / self.spec.unit_seconds)

    def periods_between(self, start_ns, end_ns):
        """How many ``freq`` periods the period of ``end_ns`` comes after that of
        ``start_ns`` (lifetimes' duration_holdout)."""
        return self._ordinal(end_ns) - self._ordinal(start_ns)

    def _ordinal(self, ns):
        if self.spec.period is None:
            return ns // self.spec.group_ns
        day = np().datetime64(ns // 10**9 // _DAY_S, "D")
        months = int(day.astype("datetime64[M]").astype("int64"))
        return {Period.DAY: int(day.astype("int64")),
                Period.WEEK: (int(day.astype("int64")) + 3) // 7,  # weeks start on Monday
                Period.MONTH: months, Period.QUARTER: months // 3,
                Period.YEAR: months // 12}[self.spec.period]


def _customers(values):
    """int64 keys for libscrm and a function from returned keys to the index."""
    n = np()
    p = pd()
    arr = values.to_numpy() if hasattr(values, "to_numpy") else n.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype("int64", copy=False), (lambda keys: keys)
    if p is not None:
        codes, uniques = p.factorize(arr, sort=True)
        if (codes < 0).any():
            raise ValueError(f"missing customer ids at rows {list(n.flatnonzero(codes < 0)[:5])}")
        return codes.astype("int64", copy=False), uniques.take
    labels, codes = n.unique(arr, return_inverse=True)
    return codes.astype("int64"), (lambda keys: labels[keys])


class _Log:
    """A transaction log as libscrm summarises it for one ``freq``: customer keys,
    times on the freq's axis, values; ``to_labels`` maps keys back to the ids."""

    def __init__(self, transactions, customer_id_col, times_ns, monetary_value_col, freq,
                 *ends_ns):
        self.axis = _Axis(_freq(freq), times_ns, *ends_ns)
        self.keys, self.to_labels = _customers(transactions[customer_id_col])
        self.times = self.axis.times(times_ns)
        self.values = None
        if monetary_value_col:
            self.values = np().asarray(_column(transactions, monetary_value_col), dtype=float)

    def rows(self, keep):
        """The log restricted to the rows where ``keep`` is True."""
        out = object.__new__(_Log)
        out.axis, out.to_labels = self.axis, self.to_labels
        out.keys, out.times = self.keys[keep], self.times[keep]
        out.values = None if self.values is None else self.values[keep]
        return out

    def summary(self, end_ns):
        """libscrm's RFM summary, purchases up to the period of ``end_ns`` (None:
        all)."""
        try:
            from ...customer_base import Rfm
        except ImportError as exc:  # the RFM binding is not in this build
            raise NotImplementedError(f"summaries need scrm.customer_base (libscrm RFM): "
                                      f"{exc}")
        return Rfm.from_arrays(self.keys, self.times, self.values, period=self.axis.period,
                               unit=Period.DAY, calibration_end=self.axis.time(end_ns))


def _read(rfm, *names):
    """Customer keys, sorted, and the named columns in the same order."""
    n = np()
    keys = n.asarray(rfm.customers(), dtype="int64")
    table = n.empty((len(keys), len(names)))
    for j, name in enumerate(names):
        table[:, j] = rfm.column(name)
    order = n.argsort(keys)  # keys are distinct
    table = table[order]  # one gather of whole rows
    return keys[order], [table[:, j] for j in range(len(names))]


def _with_first(rfm, ids, log, x):
    """Frequency and mean value counting the first purchase period too (``ids``:
    the summary's sorted keys)."""
    n = np()
    end = period_add(rfm.info().calibration_end, log.axis.period, 1)
    keep = log.times < end
    rows = n.searchsorted(ids, log.keys[keep])
    values = log.values[keep] if log.values is not None else None
    total = n.bincount(rows, weights=values, minlength=len(ids)) if values is not None else 0.0
    return x + 1, total / (x + 1)


def _frame(columns, index, index_name):
    """The summary table, rows in the order of ``index`` (sorted keys)."""
    p = pd()
    if p is None:  # a dict of columns, rows sorted by customer id as with pandas
        ids = list(index)
        try:
            order = sorted(range(len(ids)), key=lambda i: ids[i])
        except TypeError:
            order = list(range(len(ids)))
        out = {"customer_id": [ids[i] for i in order]}
        out.update({k: np().asarray(v, dtype=float)[order] for k, v in columns.items()})
        return out
    return p.DataFrame(columns, index=p.Index(index, name=index_name), copy=False)


def _summary(log, end_ns, include_first, freq_multiplier):
    """lifetimes' summary columns of ``log`` up to the period of ``end_ns``, and the
    sorted customer keys."""
    monetary = log.values is not None
    with log.summary(end_ns) as rfm:
        ids, read = _read(rfm, "frequency", "recency", "age",
                          *(["monetary"] if monetary else []))
        x, recency, age = read[:3]
        cols = {"frequency": x, "recency": log.axis.to_units(recency) / freq_multiplier,
                "T": log.axis.to_units(age) / freq_multiplier}
        if monetary:
            cols["monetary_value"] = read[3]
        if include_first:
            cols["frequency"], first_m = _with_first(rfm, ids, log, x)
            if monetary:
                cols["monetary_value"] = first_m
    return cols, ids


def summary_data_from_transaction_data(transactions, customer_id_col, datetime_col,
                                       monetary_value_col=None, datetime_format=None,
                                       observation_period_end=None, freq="D",
                                       freq_multiplier=1, include_first_transaction=False):
    """Per-customer frequency, recency, T (and monetary_value) from a transaction log.

    As lifetimes: purchases in one ``freq`` period count once (their values
    summed); frequency counts repeat periods; recency and T are differences of
    period starts in units of ``freq`` (NumPy's: a month is 30.436875 days)
    divided by ``freq_multiplier``; T runs to the start of the period of
    ``observation_period_end`` (default: the last transaction); purchases in
    later periods are left out; monetary_value is the mean value of the repeat
    periods (0 when there are none). Returns a DataFrame indexed by customer id
    (sorted).
    """
    _freq(freq)
    end = _one_time(observation_period_end, datetime_format)
    times = _nanoseconds(_column(transactions, datetime_col), datetime_format)
    log = _Log(transactions, customer_id_col, times, monetary_value_col, freq, end)
    cols, ids = _summary(log, end, include_first_transaction, freq_multiplier)
    return _frame(cols, log.to_labels(ids), customer_id_col)


def calibration_and_holdout_data(transactions, customer_id_col, datetime_col,
                                 calibration_period_end, observation_period_end=None, freq="D",
                                 freq_multiplier=1, datetime_format=None,
                                 monetary_value_col=None, include_first_transaction=False):
    """Calibration summary (``*_cal``) and holdout counts per customer, as lifetimes.

    The calibration summary is :func:`summary_data_from_transaction_data` of the
    purchases up to ``calibration_period_end`` (inclusive, to the second);
    frequency_holdout counts the ``freq`` periods with purchases after it, up to
    ``observation_period_end`` (default: the last purchase); monetary_value_holdout
    is the mean value of those purchases; duration_holdout is the number of
    periods from the calibration end's to the observation end's, divided by
    ``freq_multiplier``. Customers without calibration purchases are left out.
    """
    n = np()
    _freq(freq)
    cal_end = _one_time(calibration_period_end, datetime_format)
    obs_end = _one_time(observation_period_end, datetime_format)
    times = _nanoseconds(_column(transactions, datetime_col), datetime_format)
    if obs_end is None:
        obs_end = int(times.max()) if len(times) else cal_end
    in_holdout = (times > cal_end) & (times <= obs_end)
    if not in_holdout.any():
        raise ValueError(  # lifetimes' words
            "There is no data available. Check the `observation_period_end` and  "
            "`calibration_period_end` and confirm that values in `transactions` occur prior "
            "to those dates.")
    log = _Log(transactions, customer_id_col, times, monetary_value_col, freq, cal_end,
               obs_end)
    cols, ids = _summary(log.rows(times <= cal_end), cal_end, include_first_transaction,
                         freq_multiplier)
    cols = {k + "_cal": v for k, v in cols.items()}
    holdout = log.rows(in_holdout)
    with holdout.summary(None) as rfm:
        held, (x,) = _read(rfm, "frequency")
    rows, known = _positions(ids, held)
    cols["frequency_holdout"] = n.zeros(len(ids))
    cols["frequency_holdout"][rows[known]] = x[known] + 1
    if holdout.values is not None:
        rows, known = _positions(ids, holdout.keys)
        total = n.bincount(rows[known], weights=holdout.values[known], minlength=len(ids))
        count = n.bincount(rows[known], minlength=len(ids))
        cols["monetary_value_holdout"] = total / n.maximum(count, 1)
    duration = log.axis.periods_between(cal_end, obs_end) / freq_multiplier
    cols["duration_holdout"] = n.full(len(ids), float(duration))
    return _frame(cols, log.to_labels(ids), customer_id_col)


def _positions(ids, keys):
    """Rows of ``keys`` in the sorted ``ids``, and which keys are there at all."""
    n = np()
    rows = n.searchsorted(ids, keys)
    known = rows < len(ids)
    known[known] = ids[rows[known]] == keys[known]
    return rows, known


def _pandas(what):
    p = pd()
    if p is None:
        raise ImportError(f"{what} needs pandas (Debian: apt-get install python3-pandas)")
    return p


def _timestamp(value, datetime_format=None):
    p = _pandas("lifetimes.utils")
    if isinstance(value, p.Period):
        return value.to_timestamp()
    try:
        return p.to_datetime(value, format=datetime_format)
    except ValueError:
        if datetime_format is None:
            raise
        return p.to_datetime(value)


def _find_first_transactions(transactions, customer_id_col, datetime_col,
                             monetary_value_col=None, datetime_format=None,
                             observation_period_end=None, freq="D"):
    """One row per customer and ``freq`` period with a purchase, as lifetimes:
    columns customer id, period (pandas Period), [the period's summed value,]
    ``first`` (True for the customer's first period); rows sorted by customer and
    period, periods starting after ``observation_period_end`` left out."""
    p = _pandas("_find_first_transactions")
    if observation_period_end is None:
        observation_period_end = transactions[datetime_col].max()
    end = _timestamp(observation_period_end, datetime_format)
    cols = [customer_id_col, datetime_col] + ([monetary_value_col] if monetary_value_col else [])
    frame = transactions[cols].copy()
    periods = p.to_datetime(frame[datetime_col], format=datetime_format).dt.to_period(freq)
    frame[datetime_col] = periods
    frame = frame[(periods.dt.start_time <= end).to_numpy()]
    grouped = frame.groupby([customer_id_col, datetime_col], sort=True)
    if monetary_value_col:
        out = grouped[monetary_value_col].sum().reset_index()
    else:
        out = grouped.size().reset_index()[[customer_id_col, datetime_col]]
    out["first"] = ~out[customer_id_col].duplicated().to_numpy()
    return out


def _scale_time(age):
    """lifetimes' time scale: 1 / the largest age."""
    return 1.0 / np().asarray(age).max()


def _check_inputs(frequency, recency=None, T=None, monetary_value=None):
    """Raise ValueError, with lifetimes' messages, on RFM inputs its fitters refuse:
    recency > T, recency != 0 with frequency 0, negative recency, empty vectors,
    non-integer frequencies, monetary values <= 0."""
    n = np()
    x = n.asarray(frequency, dtype=float)
    if recency is not None:
        r = n.asarray(recency, dtype=float)
        if T is not None and n.any(r > n.asarray(T, dtype=float)):
            raise ValueError("Some values in recency vector are larger than T vector.")
        if n.any(r[x == 0] != 0):
            raise ValueError("There exist non-zero recency values when frequency is zero.")
        if n.any(r < 0):
            raise ValueError("There exist negative recency (ex: last order set before first "
                             "order)")
        if any(n.asarray(v).shape[0] == 0 for v in (recency, frequency, T) if v is not None):
            raise ValueError("There exists a zero length vector in one of frequency, recency "
                             "or T.")
    if n.any(x != n.trunc(x)):
        raise ValueError("There exist non-integer values in the frequency vector.")
    if monetary_value is not None and n.any(n.asarray(monetary_value, dtype=float) <= 0):
        raise ValueError("There exist non-positive (<= 0) values in the monetary_value vector.")


def calculate_alive_path(model, transactions, datetime_col, t, freq="D"):
    """P(alive) of one customer at each ``freq`` period 0, 1, ... since the first
    purchase (at least t + 1 periods), from the customer's own transactions: a
    Series of the model's ``conditional_probability_alive`` at the frequency,
    recency and age reached at each period."""
    p = _pandas("calculate_alive_path")
    n = np()
    periods = p.to_datetime(transactions[datetime_col]).dt.to_period(freq)
    offsets = periods.array.asi8 - periods.array.asi8.min()
    bought = n.zeros(max(int(offsets.max()) + 1, t + 1), dtype=bool)
    bought[offsets] = True
    age = n.arange(len(bought), dtype=float)
    frequency = n.cumsum(bought) - 1.0
    recency = n.maximum.accumulate(n.where(bought, age, 0.0))
    alive = model.conditional_probability_alive(frequency, recency, age)
    return p.Series(n.asarray(alive, dtype=float))


def expected_cumulative_transactions(model, transactions, datetime_col, customer_id_col, t,
                                     datetime_format=None, freq="D", freq_multiplier=1,
                                     set_index_date=False):
    """Actual and expected cumulative repeat transactions over ``t`` periods from
    the first purchase in ``transactions``, as lifetimes (Fader, Hardie & Lee
    2005, "A Note on Implementing the Pareto/NBD Model in MATLAB"): the expected
    count at period i adds, over customers whose first purchase period j came
    before i, E[X((i - j) / freq_multiplier)]. One row per ``freq_multiplier``
    periods; indexed 0, 1, ... or by period (``set_index_date``)."""
    p = _pandas("expected_cumulative_transactions")
    n = np()
    start = p.to_datetime(transactions[datetime_col], format=datetime_format).min()
    first_period = start.to_period(freq)
    periods = _find_first_transactions(transactions, customer_id_col, datetime_col,
                                       datetime_format=datetime_format,
                                       observation_period_end=first_period + t, freq=freq)
    offsets = periods[datetime_col].array.asi8 - first_period.ordinal
    is_first = periods["first"].to_numpy()
    firsts = n.bincount(offsets[is_first], minlength=t + 1)[:t + 1].astype(float)
    repeats = n.bincount(offsets[~is_first], minlength=t + 1)[:t + 1]
    ages = n.arange(1, t + 1, dtype=float) / freq_multiplier
    per_customer = n.asarray(model.expected_number_of_purchases_up_to_time(ages), dtype=float)
    at = n.arange(freq_multiplier, t + 1, freq_multiplier)  # the periods evaluated
    predicted = n.convolve(firsts, per_customer)[at - 1]
    actual = n.cumsum(repeats)[at - 1]
    if set_index_date:
        index = p.period_range(first_period, periods=t + 1, freq=freq)[at - 1]
    else:
        index = range(len(at))
    return p.DataFrame({"actual": actual, "predicted": predicted}, index=index)


def _clv(transaction_prediction_model, frequency, recency, T, monetary_value, time,
         discount_rate, freq, spend=None):
    if not isinstance(transaction_prediction_model, BaseFitter):
        raise TypeError("transaction_prediction_model must be a scrm.compat.lifetimes fitter "
                        f"(got {type(transaction_prediction_model).__name__})")
    try:
        units = UNITS_PER_MONTH[freq]
    except KeyError:
        raise ValueError(f"freq={freq!r}: one of {', '.join(UNITS_PER_MONTH)}") from None
    if not isinstance(time, numbers.Real) or time < 1:
        raise ValueError(f"time={time!r}: expected a number of months >= 1")
    months = int(np().arange(1, time + 1).size)  # lifetimes' steps
    model = transaction_prediction_model._fitted_model()
    (x, r, age, m), scalar = broadcast(frequency, recency, T, monetary_value)
    values = model.customer_value(x, r, age, m, spend_model=spend, months=months,
                                  discount_rate=float(discount_rate), units_per_month=units)
    p = pd()
    if p is None:
        return shaped(values, (), scalar)
    index = frequency.index if is_series(frequency) else None
    return p.Series(np().asarray(values, dtype=float), index=index, name="clv")


def customer_lifetime_value(transaction_prediction_model, frequency, recency, T, monetary_value,
                            time=12, discount_rate=0.01, freq="D"):
    """Discounted expected value of the next ``time`` months per customer, with each
    customer's own ``monetary_value`` per transaction (lifetimes'
    ``utils._customer_lifetime_value``). ``freq``: the time unit of T ("D", "W",
    "M", "H"). Returns a Series named ``clv`` (indexed like ``frequency``)."""
    return _clv(transaction_prediction_model, frequency, recency, T, monetary_value, time,
                discount_rate, freq)


_customer_lifetime_value = customer_lifetime_value

__all__ = ["summary_data_from_transaction_data", "calibration_and_holdout_data",
           "calculate_alive_path", "expected_cumulative_transactions",
           "customer_lifetime_value", "ConvergenceError"]
