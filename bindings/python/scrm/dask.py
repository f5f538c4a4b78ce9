"""KPIs over Dask DataFrames with the accumulator protocol (``scrm.dask``).

Each partition fills a libscrm accumulator (:class:`scrm.Nps`,
:class:`scrm.Service`, :class:`scrm.Engagement`, the RFM histogram) and returns
its serialized bytes; the states are merged in a tree of ``split_every``-way
merges (``dask.delayed`` tasks, so any scheduler works: threads, processes, a
``distributed`` cluster); the merged state is finalized once, in the caller.
Counts, sums, minima and maxima are exactly those of one accumulator fed every
row in one process, and so are the sketches (histogram quantiles, HyperLogLog
user counts): merging them is exact, so they carry only their documented error
against the exact figure, not an extra one from the split.

    >>> import dask.dataframe as dd, scrm.dask
    >>> ddf = dd.read_parquet("survey/")                       # doctest: +SKIP
    >>> scrm.dask.nps(ddf, "score").nps                        # doctest: +SKIP
    >>> scrm.dask.nps(ddf, "score", by="segment")["smb"].nps   # doctest: +SKIP

``by=column`` computes one result per value of a column (a dict, missing values
under ``None``). ``compute=False`` returns a ``dask.delayed`` object instead of
the result. Workers import ``scrm`` and load libscrm like any process does
(``SCRM_LIBRARY``, a bundled copy, or the system library), so the package and
the library must be installed (or ``PYTHONPATH``/``SCRM_LIBRARY`` set) on every
worker. Needs ``dask[dataframe]`` (Debian: ``python3-dask``); importing this
module works without it, calling its functions raises ``ImportError``.
"""

import math

from .customer_base import Rfm, RfmHistogram, _rfm_options
from .engagement import Engagement, EngagementKind
from .nps import Nps
from .service import Service, ServiceGroup, _group_by

# No __all__: these functions (nps, service, engagement) share their names with the
# modules scrm.nps etc.; `import scrm` does not import this module (nor Dask). Use them
# as scrm.dask.nps(...) after `import scrm.dask`.

#: Default fan-in of the merge tree.
DEFAULT_SPLIT_EVERY = 8


def _require_dask():
    try:
        import dask
        import dask.dataframe  # noqa: F401  (the DataFrame collection must be usable)
    except ImportError as exc:
        raise ImportError("scrm.dask needs dask with its DataFrame support "
                          "(Debian: python3-dask; pip: 'dask[dataframe]')") from exc
    return dask


# ---- states: serialized accumulators, or {group: bytes} -------------------------

# kind -> accumulator class (scrm._accumulator.Accumulator: from_bytes, merge, to_bytes)
_KINDS = {
    "nps": Nps,
    "service": Service,
    "engagement": Engagement,
    "rfm_hist": RfmHistogram,
}


def _merge_bytes(kind, blobs):
    if len(blobs) == 1:
        return blobs[0]
    with _KINDS[kind].from_bytes(blobs[0]) as acc:
        for blob in blobs[1:]:
            acc.merge(blob)
        return acc.to_bytes()


def _merge_states(kind, *states):
    """Merge serialized states (bytes, or dicts of bytes per group) into one."""
    if isinstance(states[0], dict):
        grouped = {}
        for state in states:
            for key, blob in state.items():
                grouped.setdefault(key, []).append(blob)
        return {key: _merge_bytes(kind, blobs) for key, blobs in grouped.items()}
    return _merge_bytes(kind, list(states))


# Tasks get fresh keys (pure=False): each call computes afresh rather than picking up
# results of an earlier identical call that the cluster may still hold.

def _tree(dask, states, kind, split_every):
    merge = dask.delayed(_merge_states, pure=False)
    while len(states) > 1:
        states = [merge(kind, *states[i:i + split_every]) if len(states[i:i + split_every]) > 1
                  else states[i] for i in range(0, len(states), split_every)]
    return states[0]


def _split_every(value):
    if value is None:
        return DEFAULT_SPLIT_EVERY
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise ValueError(f"split_every must be an integer >= 2, got {value!r}")
    return value


def reduce_states(ddf, partial, kind, *args, split_every=None):
    """The ``dask.delayed`` root of a merge tree over ``ddf``'s partitions.

    ``partial(pandas_df, *args)`` runs once per partition and returns a
    serialized accumulator of ``kind`` (``"nps"``, ``"service"``,
    ``"engagement"``, ``"rfm_hist"``), or a dict of them per group; the states
    are merged ``split_every`` at a time. Computing the root gives the merged
    state (bytes, or a dict of bytes).
    """
    dask = _require_dask()
    if kind not in _KINDS:
        raise ValueError(f"unknown accumulator kind {kind!r}; one of {', '.join(_KINDS)}")
    part = dask.delayed(partial, pure=False)
    states = [part(p, *args) for p in ddf.to_delayed()]
    return _tree(dask, states, kind, _split_every(split_every))


def _columns(ddf, names):
    cols = [c for c in names if c is not None]
    missing = [c for c in cols if c not in ddf.columns]
    if missing:
        raise KeyError(f"column(s) not in the DataFrame: {', '.join(map(repr, missing))}; "
                       f"it has {', '.join(map(repr, ddf.columns))}")
    # Select the columns only when the graph reads from storage: Dask then pushes the
    # projection into the reader. Otherwise (persisted or computed partitions) selecting
    # would copy every partition, and the partition tasks pick their columns anyway.
    if _reads_storage(ddf) and len(set(cols)) < len(ddf.columns):
        return ddf[list(dict.fromkeys(cols))]
    return ddf


def _reads_storage(ddf):
    try:
        from dask.layers import DataFrameIOLayer
    except ImportError:
        return True
    layers = getattr(ddf.dask, "layers", {})
    return any(isinstance(layer, DataFrameIOLayer) for layer in layers.values())


def _key(value):
    """A group key as a plain Python value; missing values become None."""
    if value is None:
        return None
    try:
        import pandas as pd
        if value is pd.NaT or (not isinstance(value, (str, bytes)) and pd.isna(value)):
            return None
    except (ImportError, TypeError, ValueError):
        pass
    if isinstance(value, float) and math.isnan(value):
        return None
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def _groups(df, by):
    """(key, sub-frame) per value of column ``by``, missing values under None."""
    out = {}
    for key, sub in df.groupby(by, sort=False, dropna=False, observed=True):
        out.setdefault(_key(key), []).append(sub)
    for key, subs in out.items():
        if len(subs) > 1:  # e.g. None and NaN in an object column
            import pandas as pd
            subs = [pd.concat(subs)]
        yield key, subs[0]


def _sorted(mapping):
    keys = list(mapping)
    try:
        keys.sort(key=lambda k: (k is not None, k))
    except TypeError:
        keys.sort(key=lambda k: (k is not None, str(k)))
    return {k: mapping[k] for k in keys}


def _run(dask, root, kind, finalize, compute):
    if not compute:
        return dask.delayed(_finish, pure=False)(kind, finalize, root)
    (state,) = dask.compute(root)
    return _finish(kind, finalize, state)


def _finish(kind, finalize, state):
    """The accumulator(s) of a merged state; finalized when ``finalize``."""
    load = _KINDS[kind].from_bytes

    def one(blob):
        acc = load(blob)
        if not finalize:
            return acc
        try:
            return acc.finalize()
        finally:
            acc.close()

    if isinstance(state, dict):
        return _sorted({k: one(b) for k, b in state.items()})
    return one(state)


def _per_partition(df, by, build):
    """Serialized accumulator of ``df`` (or ``{group: bytes}`` when ``by`` is set)."""
    if by is None:
        return build(df)
    return {key: build(sub) for key, sub in _groups(df, by)}


# ---- column conversions ---------------------------------------------------------

def _numbers(series):
    import numpy as np
    if series.dtype == np.float64:  # NumPy-backed: a view, no copy
        return np.ascontiguousarray(series.to_numpy())
    return np.ascontiguousarray(series.to_numpy(dtype="float64", na_value=np.nan))


def _seconds(series, what):
    """int64 seconds since the epoch; missing values are TIME_NONE."""
    import numpy as np
    import pandas as pd
    from .times import TIME_NONE
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        dtype = series.dtype
    if pd.api.types.is_datetime64_dtype(dtype):
        ns = series.to_numpy(dtype="datetime64[ns]").view("int64")
        out = np.floor_divide(ns, 1_000_000_000)
        out[ns == np.iinfo(np.int64).min] = TIME_NONE
        return out
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_extension_array_dtype(dtype):
        return np.ascontiguousarray(series.to_numpy(dtype="int64"))
    if pd.api.types.is_numeric_dtype(dtype):
        x = series.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isnan(x) & (x != np.floor(x))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{what}: expected whole seconds, got {x[i]!r} at row {i}")
        out = np.full(len(x), TIME_NONE, dtype="int64")
        ok = ~np.isnan(x)
        out[ok] = x[ok].astype("int64")
        return out
    return _seconds(pd.to_datetime(series, utc=True), what)


# ---- NPS --------------------------------------------------------------------------

def _nps_part(df, score, by, options, dropna):
    def build(sub):
        import numpy as np
        scores = _numbers(sub[score])
        if dropna:
            missing = np.isnan(scores)
            if missing.any():
                scores = scores[~missing]
        with Nps(**options) as acc:
            acc.add(scores)
            return acc.to_bytes()
    return _per_partition(df, by, build)


def _nps_root(ddf, score, by, split_every, dropna, options):
    Nps(**dict(options)).close()  # bad options fail here, in the caller
    return reduce_states(_columns(ddf, [score, by]), _nps_part, "nps", score, by,
                         dict(options), dropna, split_every=split_every)


def nps_accumulator(ddf, score="score", by=None, *, split_every=None, dropna=True,
                    compute=True, **options):
    """The merged :class:`scrm.Nps` of column ``score`` (a dict of them per ``by`` value).

    ``options`` are those of :class:`scrm.Nps`. Missing scores (NaN/None) are
    skipped when ``dropna`` (the default); any other score outside 0..10 raises
    :class:`scrm.errors.InvalidArgumentError` from the partition holding it.
    """
    dask = _require_dask()
    root = _nps_root(ddf, score, by, split_every, dropna, options)
    return _run(dask, root, "nps", False, compute)


def nps(ddf, score="score", by=None, *, split_every=None, dropna=True, compute=True,
        **options):
    """:class:`scrm.NpsResult` of column ``score`` of a Dask DataFrame.

    With ``by=column``: ``{value: NpsResult}`` sorted by value (missing values
    under ``None``), e.g. per segment or per period column. Equal to
    ``scrm.Nps(**options).add(scores)`` over all rows in one process.
    """
    dask = _require_dask()
    root = _nps_root(ddf, score, by, split_every, dropna, options)
    return _run(dask, root, "nps", True, compute)


# ---- service ----------------------------------------------------------------------

def _service_part(df, cols, by, options):
    created, first_response, resolved, handle_time = cols

    def build(sub):
        with Service(**options) as acc:
            acc.add(_seconds(sub[created], created),
                    None if first_response is None else _seconds(sub[first_response],
                                                                  first_response),
                    None if resolved is None else _seconds(sub[resolved], resolved),
                    None if handle_time is None else _numbers(sub[handle_time]))
            return acc.to_bytes()
    return _per_partition(df, by, build)


def _service_root(ddf, cols, by, split_every, options):
    group_by = _group_by(options.get("group_by", "none"))
    if group_by not in (ServiceGroup.NONE, ServiceGroup.PERIOD):
        raise ValueError("scrm.dask.service: group_by channel/agent/team needs interned ids "
                         "from one Dataset; pass by='<column>' to group by a column instead")
    Service(**options).close()
    return reduce_states(_columns(ddf, list(cols) + [by]), _service_part, "service",
                         tuple(cols), by, dict(options), split_every=split_every)


def service_accumulator(ddf, created="created", first_response=None, resolved=None,
                        handle_time=None, by=None, *, split_every=None, compute=True,
                        **options):
    """The merged :class:`scrm.Service` (a dict of them per ``by`` value).

    Use it for :meth:`scrm.Service.groups` with ``group_by="period"``.
    """
    dask = _require_dask()
    root = _service_root(ddf, (created, first_response, resolved, handle_time), by,
                         split_every, options)
    return _run(dask, root, "service", False, compute)


def service(ddf, created="created", first_response=None, resolved=None, handle_time=None,
            by=None, *, split_every=None, compute=True, **options):
    """:class:`scrm.ServiceResult` of a tickets Dask DataFrame.

    Columns: ``created`` (required), ``first_response``, ``resolved`` (times:
    datetime64, seconds since the epoch, or strings pandas parses; missing =
    unanswered/unresolved) and ``handle_time`` (seconds). ``options`` are those
    of :class:`scrm.Service` (SLA targets, ``now``, ``group_by`` "none" or
    "period"); ``by=column`` gives ``{value: ServiceResult}``. Counts, sums,
    means, minima and maxima equal one in-process :class:`scrm.Service` fed all
    rows, bit for bit; quantiles come from the merged log histogram (exact below
    128 s, within 0.78 % above), as from any accumulator.
    """
    dask = _require_dask()
    root = _service_root(ddf, (created, first_response, resolved, handle_time), by,
                         split_every, options)
    return _run(dask, root, "service", True, compute)


# ---- engagement -------------------------------------------------------------------

_KIND_VALUES = {k.name.lower(): k.value for k in EngagementKind}


def _kinds(series, what):
    import numpy as np
    import pandas as pd
    if pd.api.types.is_integer_dtype(series.dtype):
        return np.ascontiguousarray(series.to_numpy(dtype="int32"))
    names = series.astype(str).str.lower()
    codes = names.map(_KIND_VALUES)
    if codes.isna().any():
        bad = series[codes.isna()].iloc[0]
        raise ValueError(f"{what}: unknown kind {bad!r}; one of {', '.join(_KIND_VALUES)}")
    return np.ascontiguousarray(codes.to_numpy(dtype="int32"))


def _engagement_part(df, cols, by, period, values, own_brand, options):
    time, user, kind, reach, impressions, sentiment, competitor = cols

    def build(sub):
        import numpy as np
        import pandas as pd
        acc = Engagement(period, values=values, own_brand=own_brand, **options)
        with acc:
            t = _seconds(sub[time], time)
            k = _kinds(sub[kind], kind)
            extra = dict(
                reach=None if reach is None else _numbers(sub[reach]),
                impressions=None if impressions is None else _numbers(sub[impressions]),
                sentiment=None if sentiment is None else _numbers(sub[sentiment]),
                competitor=None if competitor is None else np.ascontiguousarray(
                    sub[competitor].fillna(0).to_numpy(dtype="int8")))
            users = sub[user]
            if pd.api.types.is_integer_dtype(users.dtype):
                acc.add_keys(t, np.ascontiguousarray(users.to_numpy(dtype="int64"))
                             .view("uint64"), k, **extra)
            else:
                acc.add(t, users.tolist(), k, **extra)
            return acc.to_bytes()
    return _per_partition(df, by, build)


def _engagement_root(ddf, cols, by, period, values, own_brand, split_every, options):
    Engagement(period, values=values, own_brand=own_brand, **dict(options)).close()
    return reduce_states(_columns(ddf, list(cols) + [by]), _engagement_part, "engagement",
                         tuple(cols), by, period, values, own_brand, dict(options),
                         split_every=split_every)


def _engagement_cols(time, user, kind, reach, impressions, sentiment, competitor):
    return (time, user, kind, reach, impressions, sentiment, competitor)


def engagement_accumulator(ddf, time="time", user="user", kind="kind", reach=None,
                           impressions=None, sentiment=None, competitor=None, by=None, *,
                           period="month", values=None, own_brand=None, split_every=None,
                           compute=True, **options):
    """The merged :class:`scrm.Engagement` (a dict of them per ``by`` value); use it
    for :meth:`~scrm.Engagement.periods` and :meth:`~scrm.Engagement.days`."""
    dask = _require_dask()
    cols = _engagement_cols(time, user, kind, reach, impressions, sentiment, competitor)
    root = _engagement_root(ddf, cols, by, period, values, own_brand, split_every, options)
    return _run(dask, root, "engagement", False, compute)


def engagement(ddf, time="time", user="user", kind="kind", reach=None, impressions=None,
               sentiment=None, competitor=None, by=None, *, period="month", values=None,
               own_brand=None, split_every=None, compute=True, **options):
    """:class:`scrm.EngagementResult` of an interactions Dask DataFrame.

    Columns: ``time``, ``user`` (strings, hashed as :meth:`scrm.Engagement.add`
    does, or integer keys passed to :meth:`scrm.Engagement.add_keys`), ``kind``
    (names such as "like" or :class:`scrm.EngagementKind` values), optional
    ``reach``, ``impressions``, ``sentiment`` (-1..1, NaN = unscored) and
    ``competitor`` (1 = competitor row). Counts and sums equal one in-process
    accumulator's exactly; ``unique_users`` merges HyperLogLog sketches, which
    is exact with respect to the sketch (the same estimate as one process),
    with its documented standard error 1.04/sqrt(2^hll_precision) (0.81 % by
    default) against the exact distinct count.
    """
    dask = _require_dask()
    cols = _engagement_cols(time, user, kind, reach, impressions, sentiment, competitor)
    root = _engagement_root(ddf, cols, by, period, values, own_brand, split_every, options)
    return _run(dask, root, "engagement", True, compute)


# ---- RFM histogram and CLV fit ------------------------------------------------------

def _rfm_part(df, customer, date, value, end, options, max_rows):
    with RfmHistogram(max_rows=max_rows) as hist:
        if len(df):
            if end is not None and options.get("calibration_end") is None:
                options = dict(options, calibration_end=int(_seconds(_series([end]), date)[0]))
            v = None if value is None else _numbers(df[value])
            with Rfm.from_arrays(df[customer].to_numpy(), _seconds(df[date], date), v,
                                 **options) as rfm:
                hist.add_rfm(rfm)
        return hist.to_bytes()


def _series(values):
    import pandas as pd
    return pd.Series(values)


def _rfm_root(dask, ddf, customer, date, value, split_every, shuffle, max_rows, options):
    _rfm_options(**options)  # bad options fail here, in the caller
    RfmHistogram(max_rows=max_rows).close()
    cols = [c for c in (customer, date, value) if c is not None]
    _columns(ddf, cols)
    ddf = ddf[list(dict.fromkeys(cols))]
    # T runs to the calibration end; without one it is the latest transaction of
    # all partitions (one extra reduction in the same graph), not of each partition.
    end = None
    if options.get("calibration_end") is None:
        end = ddf[date].max().to_delayed()
    if shuffle:  # every transaction of a customer in one partition
        ddf = ddf.shuffle(on=customer)
    part = dask.delayed(_rfm_part, pure=False)
    states = [part(p, customer, date, value, end, dict(options), max_rows)
              for p in ddf.to_delayed()]
    return _tree(dask, states, "rfm_hist", _split_every(split_every))


def rfm_histogram(ddf, customer="customer", date="date", value=None, *, split_every=None,
                  shuffle=True, max_rows=0, compute=True, **options):
    """The merged :class:`scrm.RfmHistogram` of a transactions Dask DataFrame.

    The transactions are shuffled so that each customer's rows share a partition
    (``shuffle=False`` when they already do, e.g. partitioned by customer); each
    partition summarises its customers with :meth:`scrm.Rfm.from_arrays`
    (``options``: ``period``, ``unit``, ``calibration_end``, ``observation_end``)
    and adds the (x, t_x, T) rows to a histogram; the histograms are merged in a
    tree. Without ``calibration_end`` the latest transaction of the whole
    DataFrame is used, as one process would. The rows and weights equal those of
    one :class:`scrm.Rfm` over all transactions, exactly.
    """
    dask = _require_dask()
    root = _rfm_root(dask, ddf, customer, date, value, split_every, shuffle, max_rows,
                     options)
    return _run(dask, root, "rfm_hist", False, compute)


def fit_clv(ddf, customer="customer", date="date", kind="bgnbd", *, period="day", unit="day",
            calibration_end=None, observation_end=None, split_every=None, shuffle=True,
            initial_params=None, **fit_options):
    """Fit a customer-base model (``"bgnbd"``, ``"mbgnbd"``, ``"pareto_nbd"``,
    ``"bgbb"``) on the merged RFM histogram of a transactions Dask DataFrame.

    The histogram is built as :func:`rfm_histogram` does and fitted once, in the
    caller (:meth:`scrm.RfmHistogram.fit`; ``fit_options``: ``max_iterations``,
    ``tolerance``, ``penalizer``). Returns a :class:`scrm.ClvModel`, the same as
    fitting the single-process summary.
    """
    hist = rfm_histogram(ddf, customer, date, split_every=split_every, shuffle=shuffle,
                         period=period, unit=unit, calibration_end=calibration_end,
                         observation_end=observation_end)
    with hist:
        return hist.fit(kind, initial_params=initial_params, **fit_options)
