"""lifetimes.utils, computed by libscrm: RFM summaries from transactions and
customer lifetime value."""

import numbers

from ...times import Period, period_add, to_seconds
from ._common import ConvergenceError, broadcast, is_series, np, pd, shaped
from .fitters import UNITS_PER_MONTH, BaseFitter

# lifetimes' freq (a pandas period alias) -> libscrm calendar period.
_FREQ = {"D": Period.DAY, "W": Period.WEEK, "M": Period.MONTH, "MS": Period.MONTH,
         "Q": Period.QUARTER, "QS": Period.QUARTER, "A": Period.YEAR, "Y": Period.YEAR,
         "AS": Period.YEAR, "YS": Period.YEAR}


def _period(freq):
    key = str(freq).upper()
    if key.startswith("W-"):
        if key != "W-SUN":
            raise ValueError(f"freq={freq!r}: libscrm weeks start on Monday (pandas 'W' = "
                             "'W-SUN'); other week anchors are not supported")
        key = "W"
    try:
        return _FREQ[key]
    except KeyError:
        raise ValueError(f"freq={freq!r} is not supported by libscrm; use one of "
                         f"{', '.join(sorted(_FREQ))}") from None


def _column(transactions, name):
    values = transactions[name]
    return values.to_numpy() if hasattr(values, "to_numpy") else np().asarray(values)


def _seconds(values, datetime_format=None):
    """int64 seconds since the epoch (UTC) of a column of times."""
    p = pd()
    n = np()
    if p is not None:
        parsed = p.to_datetime(p.Series(values), format=datetime_format)
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        if parsed.isna().any():
            raise ValueError(f"missing or unparsable times at rows "
                             f"{list(n.flatnonzero(parsed.isna().to_numpy())[:5])}")
        return parsed.to_numpy().astype("datetime64[s]").view("int64")
    arr = n.asarray(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[s]").view("int64")
    if datetime_format is not None:
        import datetime as dt
        return n.asarray([to_seconds(dt.datetime.strptime(str(v), datetime_format))
                          for v in arr], dtype="int64")
    return n.asarray([to_seconds(v) for v in arr.tolist()], dtype="int64")


def _one_time(value, datetime_format=None):
    """One end date; like the column in ``datetime_format``, else any ISO-8601/datetime."""
    if value is None:
        return None
    try:
        return int(_seconds([value], datetime_format)[0])
    except ValueError:
        if datetime_format is None:
            raise
        return int(_seconds([value])[0])


def _rfm(transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format,
         freq, calibration_end, observation_end):
    try:
        from ...customer_base import Rfm
    except ImportError as exc:  # the RFM binding is not in this build
        raise NotImplementedError(f"summaries need scrm.customer_base (libscrm RFM): {exc}")
    period = _period(freq)
    customers = _column(transactions, customer_id_col)
    times = _seconds(_column(transactions, datetime_col), datetime_format)
    values = None
    if monetary_value_col:
        values = np().asarray(_column(transactions, monetary_value_col), dtype=float)
    rfm = Rfm.from_arrays(customers, times, values, period=period, unit=period,
                          calibration_end=calibration_end, observation_end=observation_end)
    return rfm, customers, times, values, period


def _with_first(rfm, customers, times, values, period, x, m):
    """Frequency and mean value counting the first purchase period too."""
    n = np()
    end = period_add(rfm.info().calibration_end, period, 1)
    keep = times < end
    totals = {}
    for c, v in zip(customers[keep].tolist(), values[keep].tolist()):
        totals[c] = totals.get(c, 0.0) + v
    ids = list(rfm.customers())
    total = n.asarray([totals[c] for c in ids], dtype=float)
    return x + 1, total / (x + 1)


def _frame(columns, ids, index_name):
    p = pd()
    if p is None:  # a dict of columns, rows sorted by customer id as with pandas
        ids = list(ids)
        try:
            order = sorted(range(len(ids)), key=lambda i: ids[i])
        except TypeError:
            order = list(range(len(ids)))
        out = {"customer_id": [ids[i] for i in order]}
        out.update({k: np().asarray(v, dtype=float)[order] for k, v in columns.items()})
        return out
    df = p.DataFrame(columns, index=p.Index(list(ids), name=index_name)).astype(float)
    return df.sort_index()


def summary_data_from_transaction_data(transactions, customer_id_col, datetime_col,
                                       monetary_value_col=None, datetime_format=None,
                                       observation_period_end=None, freq="D",
                                       freq_multiplier=1, include_first_transaction=False):
    """Per-customer frequency, recency, T (and monetary_value) from a transaction log.

    As lifetimes: purchases in one ``freq`` period count once (their values
    summed); frequency counts repeat periods; recency and T are measured between
    period starts in ``freq`` units divided by ``freq_multiplier``; T runs to the
    start of the period of ``observation_period_end`` (default: the last
    transaction); monetary_value is the mean value of the repeat periods (0 when
    there are none). Returns a DataFrame indexed by customer id (sorted).
    """
    end = _one_time(observation_period_end, datetime_format)
    rfm, customers, times, values, period = _rfm(
        transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format, freq,
        end, None)
    with rfm:
        x = np().asarray(rfm.frequency, dtype=float)
        cols = {"frequency": x, "recency": np().asarray(rfm.recency) / freq_multiplier,
                "T": np().asarray(rfm.T) / freq_multiplier}
        m = np().asarray(rfm.monetary, dtype=float) if monetary_value_col else None
        if include_first_transaction:
            cols["frequency"], first_m = _with_first(
                rfm, customers, times, values if values is not None else
                np().zeros(len(times)), period, x, m if m is not None else 0.0)
            if m is not None:
                m = first_m
        if m is not None:
            cols["monetary_value"] = m
        return _frame(cols, rfm.customers(), customer_id_col)


def calibration_and_holdout_data(transactions, customer_id_col, datetime_col,
                                 calibration_period_end, observation_period_end=None, freq="D",
                                 freq_multiplier=1, datetime_format=None,
                                 monetary_value_col=None, include_first_transaction=False):
    """Calibration summary (``*_cal``) and holdout counts per customer, as lifetimes:
    frequency_cal, recency_cal, T_cal[, monetary_value_cal], frequency_holdout[,
    monetary_value_holdout], duration_holdout."""
    cal_end = _one_time(calibration_period_end, datetime_format)
    obs_end = _one_time(observation_period_end, datetime_format)
    if obs_end is None:
        obs_end = int(_seconds(_column(transactions, datetime_col), datetime_format).max())
    rfm, customers, times, values, period = _rfm(
        transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format, freq,
        cal_end, obs_end)
    n = np()
    with rfm:
        x = n.asarray(rfm.frequency, dtype=float)
        m = n.asarray(rfm.monetary, dtype=float) if monetary_value_col else None
        cols = {"frequency_cal": x, "recency_cal": n.asarray(rfm.recency) / freq_multiplier,
                "T_cal": n.asarray(rfm.T) / freq_multiplier}
        if include_first_transaction:
            cols["frequency_cal"], first_m = _with_first(
                rfm, customers, times, values if values is not None else n.zeros(len(times)),
                period, x, m if m is not None else 0.0)
            if m is not None:
                m = first_m
        if m is not None:
            cols["monetary_value_cal"] = m
        cols["frequency_holdout"] = n.asarray(rfm.column("holdout_frequency"), dtype=float)
        if monetary_value_col:
            cols["monetary_value_holdout"] = n.asarray(rfm.column("holdout_monetary"),
                                                       dtype=float)
        cols["duration_holdout"] = n.full(len(x), rfm.info().holdout_duration / freq_multiplier)
        return _frame(cols, rfm.customers(), customer_id_col)


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
           "customer_lifetime_value", "ConvergenceError"]
