"""Datasets: typed columnar tables of CRM and social data (``scrm_dataset``).

A :class:`Dataset` holds up to eight tables (customers, transactions, survey,
social, audience, tickets, referrals, costs). Load them from CSV files, CSV
text, a data directory, Python/NumPy columns or pandas DataFrames; read columns
back as NumPy arrays (zero-copy, read-only) or ``array.array`` without NumPy.

Tables and columns are named as in the CSV headers (``"transactions"``,
``"amount"``) or given as :class:`Table` / integer ids. Strings are interned by
the library; string columns hold integer ids (0 = missing) that
:meth:`Dataset.string` turns back into text, and :meth:`Dataset.strings` decodes
a whole column.
"""

import enum
import functools
import math
import operator
import os
from ctypes import POINTER, byref, c_char, c_char_p, c_double, c_int, c_int8, c_int32, \
    c_int64, c_size_t, c_uint, c_uint32, c_uint64, c_void_p, cast, string_at
from dataclasses import dataclass
from typing import Optional, Tuple

from . import _arrays
from ._arrays import as_input, export_view
from ._lib import Handle, HandlePtr, _fn, check_null, check_status
from ._structs import CONSTANTS, Result, Struct, make_options, result
from .errors import SCRM_EINVAL, ScrmError, error_for
from .times import TIME_NONE, time_format, to_seconds


class Table(enum.IntEnum):
    """Table identifiers (enum scrm_table); the CSV file of each is ``<name>.csv``."""

    CUSTOMERS = 0
    TRANSACTIONS = 1
    SURVEY = 2
    SOCIAL = 3
    AUDIENCE = 4
    TICKETS = 5
    REFERRALS = 6
    COSTS = 7


class ColumnType(enum.IntEnum):
    """Storage type of a column (enum scrm_column_type)."""

    STRING = 1  # uint32 interned string id, 0 = missing
    TIME = 2    # int64 seconds since the epoch, TIME_NONE = missing
    F64 = 3     # double, NaN = missing
    BOOL = 4    # int8: 1 true, 0 false, -1 missing


class OnError(enum.IntEnum):
    """What a load does with a bad row (enum scrm_on_error)."""

    FAIL = 0  # fail the whole load, add nothing
    SKIP = 1  # reject bad rows (reported), load the rest


class ValueType(enum.IntEnum):
    """Value types of append inputs (enum scrm_value_type)."""

    TEXT = 1
    F64 = 2
    I64 = 3


LOAD_OPTIONS_VERSION = 1
REPORT_MAX_REJECTIONS = 8
TABLE_COUNT = 8

CONSTANTS.update({f"SCRM_TABLE_{t.name}": t.value for t in Table})
CONSTANTS.update({f"SCRM_TYPE_{t.name}": t.value for t in ColumnType})
CONSTANTS.update({f"SCRM_ON_ERROR_{t.name}": t.value for t in OnError})
CONSTANTS.update({f"SCRM_VALUE_{t.name}": t.value for t in ValueType})
CONSTANTS.update(SCRM_TABLE_COUNT=TABLE_COUNT,
                 SCRM_DATASET_LOAD_OPTIONS_VERSION=LOAD_OPTIONS_VERSION,
                 SCRM_REPORT_MAX_REJECTIONS=REPORT_MAX_REJECTIONS, SCRM_TIME_NONE=TIME_NONE)


class DatasetPtr(HandlePtr):
    _c_name_ = "scrm_dataset"


class LoadOptions(Struct):
    _c_name_ = "scrm_dataset_load_options"
    _fields_ = [("version", c_uint), ("on_error", c_int32), ("max_rows", c_uint64),
                ("max_field_bytes", c_uint32), ("delimiter", c_char)]


class CRejection(Struct):
    _c_name_ = "scrm_rejection"
    _fields_ = [("row", c_uint64), ("column", c_char * 32), ("reason", c_char * 160)]


class CLoadReport(Struct):
    _c_name_ = "scrm_load_report"
    _fields_ = [("table", c_int32), ("status", c_int32), ("rows_read", c_uint64),
                ("rows_accepted", c_uint64), ("rows_rejected", c_uint64),
                ("n_rejections", c_uint32), ("rejections", CRejection * REPORT_MAX_REJECTIONS)]


class ColumnInput(Struct):
    _c_name_ = "scrm_column_input"
    _fields_ = [("column", c_int32), ("type", c_int32), ("values", c_void_p)]


_load_options_init = _fn("scrm_dataset_load_options_init", [POINTER(LoadOptions), c_uint], c_int,
                         check_status)
_new = _fn("scrm_dataset_new", [POINTER(DatasetPtr)], c_int, check_status)
_free = _fn("scrm_dataset_free", [DatasetPtr], None, None)
_load_csv_buffer = _fn("scrm_dataset_load_csv_buffer",
                       [DatasetPtr, c_int32, c_char_p, c_size_t, c_char_p,
                        POINTER(LoadOptions), POINTER(CLoadReport)], c_int, check_status)
_load_csv = _fn("scrm_dataset_load_csv",
                [DatasetPtr, c_int32, c_char_p, POINTER(LoadOptions), POINTER(CLoadReport)],
                c_int, check_status)
_load_dir = _fn("scrm_dataset_load_dir",
                [DatasetPtr, c_char_p, POINTER(LoadOptions), POINTER(CLoadReport), c_size_t,
                 POINTER(c_size_t)], c_int, check_status)
_append = _fn("scrm_dataset_append",
              [DatasetPtr, c_int32, c_size_t, POINTER(ColumnInput), c_size_t,
               POINTER(LoadOptions), POINTER(CLoadReport)], c_int, check_status)
_rows = _fn("scrm_dataset_rows", [DatasetPtr, c_int32, POINTER(c_size_t)], c_int, check_status)
_table_columns = _fn("scrm_table_columns", [c_int32, POINTER(c_size_t)], c_int, check_status)
_table_name = _fn("scrm_table_name", [c_int32], c_char_p, check_null)
_column_name = _fn("scrm_column_name", [c_int32, c_int32], c_char_p, check_null)
_column_type = _fn("scrm_column_type", [c_int32, c_int32], c_int, None)
_column_required = _fn("scrm_column_required", [c_int32, c_int32], c_int, None)
_column = _fn("scrm_dataset_column",
              [DatasetPtr, c_int32, c_int32, POINTER(c_void_p), POINTER(c_size_t)], c_int,
              check_status)
_string = _fn("scrm_dataset_string", [DatasetPtr, c_uint32, POINTER(c_void_p), POINTER(c_size_t)],
              c_int, check_status)
_string_id = _fn("scrm_dataset_string_id", [DatasetPtr, c_char_p, c_size_t, POINTER(c_uint32)],
                 c_int, check_status)
_string_count = _fn("scrm_dataset_string_count", [DatasetPtr, POINTER(c_size_t)], c_int,
                    check_status)

_CTYPE = {ColumnType.STRING: c_uint32, ColumnType.TIME: c_int64, ColumnType.F64: c_double,
          ColumnType.BOOL: c_int8}


# ---- schema ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table, as the library describes it."""

    table: Table
    index: int
    name: str
    type: ColumnType
    required: bool


def _invalid(message):
    return error_for(SCRM_EINVAL, message)


def table_id(table):
    """The :class:`Table` for a ``Table``, an integer id or a name (``"transactions"``,
    ``"transactions.csv"``; case-insensitive)."""
    if isinstance(table, str):
        key = table.strip().lower()
        if key.endswith(".csv"):
            key = key[:-4]
        for t in Table:
            if t.name.lower() == key:
                return t
        raise _invalid(f"unknown table {table!r}; one of "
                       f"{', '.join(t.name.lower() for t in Table)}")
    try:
        return Table(operator.index(table))
    except (TypeError, ValueError):
        raise _invalid(f"unknown table {table!r}") from None


@functools.lru_cache(maxsize=None)
def _columns(table):
    n = c_size_t()
    _table_columns(table, byref(n))
    return tuple(Column(Table(table), i, _column_name(table, i).decode("utf-8"),
                        ColumnType(_column_type(table, i)), _column_required(table, i) == 1)
                 for i in range(n.value))


def columns(table):
    """The columns of ``table`` as :class:`Column` tuples, in id order."""
    return _columns(table_id(table))


def column_info(table, column):
    """The :class:`Column` for a column name (CSV header, case-insensitive) or id."""
    cols = columns(table)
    if isinstance(column, str):
        key = column.strip().lower()
        for c in cols:
            if c.name == key:
                return c
        raise _invalid(f"table '{table_id(table).name.lower()}' has no column {column!r}; "
                       f"columns: {', '.join(c.name for c in cols)}")
    try:
        index = operator.index(column)
    except TypeError:
        raise _invalid(f"not a column: {column!r}") from None
    if not 0 <= index < len(cols):
        raise _invalid(f"table '{table_id(table).name.lower()}' has no column {index}")
    return cols[index]


def table_name(table):
    """The library's name of a table (also its file name without ``.csv``)."""
    return _table_name(table_id(table)).decode("utf-8")


# ---- load reports ----------------------------------------------------------


@result
class Rejection(Result):
    """A rejected row: CSV line (header = 1) or 0-based array index, column, reason."""

    row: int
    column: str
    reason: str


@result
class LoadReport(Result):
    """What one load did. Rejected rows are never dropped silently: ``rows_read ==
    rows_accepted + rows_rejected``; ``rejections`` holds the first few in detail."""

    table: Optional[str]
    status: int
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rejections: Tuple[Rejection, ...]

    @property
    def ok(self):
        return self.status == 0

    @property
    def truncated(self):
        """True when more rows were rejected than ``rejections`` lists."""
        return self.rows_rejected > len(self.rejections)


def _report(c):
    n = min(c.n_rejections, REPORT_MAX_REJECTIONS)
    rejections = tuple(
        Rejection(int(r.row), r.column.decode("utf-8", "replace"),
                  r.reason.decode("utf-8", "replace"))
        for r in c.rejections[:n])
    table = Table(c.table).name.lower() if 0 <= c.table < TABLE_COUNT else None
    return LoadReport(table, int(c.status), int(c.rows_read), int(c.rows_accepted),
                      int(c.rows_rejected), rejections)


def load_options(on_error="fail", max_rows=0, max_field_bytes=0, delimiter=None):
    """A ``scrm_dataset_load_options`` struct from keyword arguments.

    ``on_error``: ``"fail"`` (default: a bad row fails the load, nothing is
    added) or ``"skip"`` (bad rows are rejected and reported). ``max_rows`` and
    ``max_field_bytes``: limits, 0 = library default. ``delimiter``: one
    character, default ``","``.
    """
    if isinstance(on_error, str):
        try:
            on_error = OnError[on_error.strip().upper()]
        except KeyError:
            raise _invalid(f"on_error must be 'fail' or 'skip', not {on_error!r}") from None
    overrides = {"on_error": int(on_error), "max_rows": max_rows,
                 "max_field_bytes": max_field_bytes}
    if delimiter is not None:
        overrides["delimiter"] = delimiter
    return make_options(LoadOptions, _load_options_init, LOAD_OPTIONS_VERSION, overrides)


# ---- append encoding -------------------------------------------------------


def _is_missing(v):
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if type(v).__name__ in ("NAType", "NaTType"):
        return True
    if "datetime64" in type(v).__name__ or "float" in type(v).__name__:
        try:
            return bool(v != v)
        except (TypeError, ValueError):
            return False
    return False


def _utf8(s, what, i):
    raw = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    if b"\0" in raw:
        raise ValueError(f"{what}[{i}]: text contains a NUL character")
    return raw


def _text_array(items):
    arr = (c_char_p * max(len(items), 1))(*items)
    return ValueType.TEXT, arr, len(items)


def _as_numpy(values):
    np = _arrays.np
    if np is None or isinstance(values, (list, tuple)):
        return None
    if isinstance(values, np.ndarray) or hasattr(values, "__array__"):
        arr = np.asarray(values)
        if arr.ndim != 1:
            raise ValueError(f"expected a 1-D column, got shape {arr.shape}")
        return arr
    return None


def _as_list(values, what):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{what}: expected a sequence of values, got {type(values).__name__}")
    return values if isinstance(values, (list, tuple)) else list(values)


def _encode_string(values, what):
    arr = _as_numpy(values)
    items = arr.tolist() if arr is not None else _as_list(values, what)
    out = []
    for i, v in enumerate(items):
        if _is_missing(v):
            out.append(None)
        elif isinstance(v, (str, bytes)):
            out.append(_utf8(v, what, i))
        elif isinstance(v, bool):
            raise TypeError(f"{what}[{i}]: expected text, got {v!r}")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)).encode("ascii"))
        else:
            try:
                out.append(str(operator.index(v)).encode("ascii"))
            except TypeError:
                raise TypeError(f"{what}[{i}]: expected text, got {v!r}") from None
    return _text_array(out)


def _encode_time(values, what):
    arr = _as_numpy(values)
    if arr is not None:
        if arr.dtype.kind == "M":
            secs = arr.astype("datetime64[s]").view("int64")  # NaT is TIME_NONE
            c = as_input(secs, c_int64, what)
            return ValueType.I64, c, c.n
        if arr.dtype.kind in "iu":
            c = as_input(arr, c_int64, what)
            return ValueType.I64, c, c.n
        if arr.dtype.kind == "b":
            raise TypeError(f"{what}: expected times, got booleans")
        items = arr.tolist()
    else:
        items = _as_list(values, what)
    if any(isinstance(v, (str, bytes)) for v in items):
        out = []
        for i, v in enumerate(items):
            if _is_missing(v):
                out.append(None)
            elif isinstance(v, (str, bytes)):
                out.append(_utf8(v, what, i))
            else:
                out.append(time_format(_seconds(v, what, i)).encode("ascii"))
        return _text_array(out)
    secs = [TIME_NONE if _is_missing(v) else _seconds(v, what, i) for i, v in enumerate(items)]
    c = as_input(secs, c_int64, what)
    return ValueType.I64, c, c.n


def _seconds(v, what, i):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    try:
        return to_seconds(v)
    except TypeError:
        raise TypeError(f"{what}[{i}]: expected a time, got {v!r}") from None


def _encode_number(values, what):
    arr = _as_numpy(values)
    if arr is not None:
        if arr.dtype.kind in "biuf":
            c = as_input(arr, c_double, what)
            return ValueType.F64, c, c.n
        if arr.dtype.kind not in "OUS":
            raise TypeError(f"{what}: expected numbers, got {arr.dtype}")
        items = arr.tolist()
    else:
        items = _as_list(values, what)
    if any(isinstance(v, (str, bytes)) for v in items):
        out = []
        for i, v in enumerate(items):
            if _is_missing(v):
                out.append(None)
            elif isinstance(v, (str, bytes)):
                out.append(_utf8(v, what, i))
            else:
                out.append(repr(_number(v, what, i)).encode("ascii"))
        return _text_array(out)
    nums = [math.nan if _is_missing(v) else _number(v, what, i) for i, v in enumerate(items)]
    c = as_input(nums, c_double, what)
    return ValueType.F64, c, c.n


def _number(v, what, i):
    if isinstance(v, (str, bytes)) or not hasattr(v, "__float__"):
        raise TypeError(f"{what}[{i}]: expected a number, got {v!r}")
    return float(v)


_ENCODERS = {ColumnType.STRING: _encode_string, ColumnType.TIME: _encode_time,
             ColumnType.F64: _encode_number, ColumnType.BOOL: _encode_number}


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("this needs pandas (Debian: apt-get install python3-pandas)") from None
    return pandas


def _series_values(series):
    """A pandas Series as something the encoders take (tz-aware times to naive UTC)."""
    pd = _pandas()
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    if pd.api.types.is_extension_array_dtype(dtype):
        return series.to_numpy(dtype=object, na_value=None)
    return series.to_numpy()


# ---- the dataset -----------------------------------------------------------


class Dataset(Handle):
    """A libscrm dataset (``scrm_dataset``): eight optional typed tables.

    Use it as a context manager or call :meth:`close`; the memory is released
    exactly once either way (also by garbage collection). Every load appends its
    :class:`LoadReport` to :attr:`reports`; a failed load raises a
    :class:`~scrm.errors.ScrmError` subclass with the report attached as
    ``exc.report`` (``exc.reports`` for :meth:`load_dir`).
    """

    _free_ = _free

    def __init__(self):
        ptr = DatasetPtr()
        _new(byref(ptr))
        super().__init__(ptr)
        self.reports = []

    # -- constructors ---------------------------------------------------------

    @classmethod
    def from_dir(cls, path, **options):
        """A dataset with every ``<table>.csv`` of directory ``path`` (see :meth:`load_dir`)."""
        ds = cls()
        try:
            ds.load_dir(path, **options)
        except BaseException:
            ds.close()
            raise
        return ds

    @classmethod
    def from_pandas(cls, frames, **options):
        """A dataset from pandas DataFrames: ``{"transactions": df, ...}``.

        DataFrame columns map to table columns by name (case-insensitive);
        other columns are ignored, as in CSV files. Times may be datetime64
        (naive = UTC, or tz-aware), integers (seconds) or ISO-8601 strings;
        ids may be strings or integers; missing values (None, NaN, NaT, pd.NA)
        are missing. ``options`` as for :meth:`load_csv`.
        """
        ds = cls()
        try:
            for table, frame in frames.items():
                ds.append_pandas(table, frame, **options)
        except BaseException:
            ds.close()
            raise
        return ds

    # -- loading --------------------------------------------------------------

    def _run_load(self, call, report):
        try:
            call()
        except ScrmError as exc:
            exc.report = _report(report)
            self.reports.append(exc.report)
            raise
        rep = _report(report)
        self.reports.append(rep)
        return rep

    def load_csv(self, table, path, **options):
        """Append the rows of CSV file ``path`` to ``table``; returns a :class:`LoadReport`.

        Options: ``on_error="fail"|"skip"``, ``max_rows``, ``max_field_bytes``,
        ``delimiter``.
        """
        t = table_id(table)
        opts = load_options(**options)
        report = CLoadReport()
        raw = os.fsencode(path)
        with self._mutating() as h:
            return self._run_load(
                lambda: _load_csv(h, t, raw, byref(opts), byref(report)), report)

    def load_csv_buffer(self, table, data, name=None, **options):
        """Append rows from CSV text (``str``, encoded as UTF-8, or bytes-like) to ``table``."""
        t = table_id(table)
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        label = None if name is None else str(name).encode("utf-8")
        opts = load_options(**options)
        report = CLoadReport()
        with self._mutating() as h:
            return self._run_load(
                lambda: _load_csv_buffer(h, t, raw, len(raw), label, byref(opts),
                                         byref(report)), report)

    def load_dir(self, path, **options):
        """Load every ``<table>.csv`` found in directory ``path``; one report per file.

        Stops at the first table that fails (its report is ``exc.report``, all
        reports so far ``exc.reports``).
        """
        opts = load_options(**options)
        reports = (CLoadReport * TABLE_COUNT)()
        n = c_size_t(0)
        raw = os.fsencode(path)
        with self._mutating() as h:
            try:
                _load_dir(h, raw, byref(opts), reports, TABLE_COUNT, byref(n))
            except ScrmError as exc:
                exc.reports = [_report(r) for r in reports[:n.value]]
                exc.report = exc.reports[-1] if exc.reports else None
                self.reports.extend(exc.reports)
                raise
        out = [_report(r) for r in reports[:n.value]]
        self.reports.extend(out)
        return out

    def append(self, table, columns, **options):
        """Append rows to ``table`` from ``{column: values}`` (all of the same length).

        Values: lists, tuples, ``array.array``, NumPy arrays, pandas Series.
        String columns take text (integers are written in decimal); time
        columns take seconds, ``datetime``/``date``, NumPy datetime64 or ISO-8601
        text; number and boolean columns take numbers/booleans or text. ``None``
        and NaN (NaT, pd.NA) are missing. The library validates every value as
        it does CSV fields; with ``on_error="skip"`` bad rows are rejected and
        reported by 0-based index. Returns a :class:`LoadReport`.
        """
        t = table_id(table)
        items = list(columns.items())
        inputs = (ColumnInput * max(len(items), 1))()
        keep, n, lengths = [], None, {}
        for k, (key, values) in enumerate(items):
            col = column_info(t, key)
            what = f"{t.name.lower()}.{col.name}"
            vtype, carr, count = _ENCODERS[col.type](values, what)
            keep.append(carr)
            lengths[col.name] = count
            n = count if n is None else n
            ptr = carr.ptr if hasattr(carr, "ptr") else carr
            inputs[k].column, inputs[k].type = col.index, int(vtype)
            inputs[k].values = cast(ptr, c_void_p)
        if len(set(lengths.values())) > 1:
            raise _invalid(f"append to '{t.name.lower()}': columns differ in length: " +
                           ", ".join(f"{k}={v}" for k, v in lengths.items()))
        opts = load_options(**options)
        report = CLoadReport()
        with self._mutating() as h:
            return self._run_load(
                lambda: _append(h, t, n or 0, inputs, len(items), byref(opts), byref(report)),
                report)

    def append_pandas(self, table, frame, **options):
        """Append a pandas DataFrame to ``table`` (columns matched by name, others ignored)."""
        t = table_id(table)
        known = {c.name for c in columns(t)}
        data = {}
        for name in frame.columns:
            key = str(name).strip().lower()
            if key in known:
                if key in data:
                    raise _invalid(f"DataFrame for '{t.name.lower()}' has column "
                                   f"{key!r} twice")
                data[key] = _series_values(frame[name])
        return self.append(t, data, **options)

    # -- reading --------------------------------------------------------------

    def rows(self, table):
        """Number of rows in ``table``."""
        n = c_size_t()
        with self._locked() as h:
            _rows(h, table_id(table), byref(n))
        return n.value

    def row_counts(self):
        """``{table name: rows}`` for every table."""
        return {t.name.lower(): self.rows(t) for t in Table}

    def column(self, table, column, copy=False):
        """A column's stored values.

        With NumPy: a read-only zero-copy view (``uint32`` string ids, ``int64``
        seconds, ``float64``, ``int8`` booleans) that keeps the dataset alive;
        the dataset refuses modifications while such views exist
        (``BufferError``), so delete them or pass ``copy=True``. Without NumPy:
        an ``array.array`` copy.
        """
        col = column_info(table, column)
        ptr, n = c_void_p(), c_size_t()
        with self._locked() as h:
            _column(h, col.table, col.index, byref(ptr), byref(n))
            return export_view(self, ptr.value, _CTYPE[col.type], n.value, copy=copy)

    def string(self, string_id):
        """The text of an interned string id (0 is ``""``)."""
        ptr, n = c_void_p(), c_size_t()
        with self._locked() as h:
            _string(h, string_id, byref(ptr), byref(n))
            return string_at(ptr.value, n.value).decode("utf-8") if n.value else ""

    def string_id(self, text):
        """The interned id of ``text``; :class:`~scrm.errors.NotFoundError` if absent."""
        raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = c_uint32()
        with self._locked() as h:
            _string_id(h, raw, len(raw), byref(out))
        return out.value

    def string_count(self):
        """Number of interned strings (ids are ``0 .. count-1``)."""
        n = c_size_t()
        with self._locked() as h:
            _string_count(h, byref(n))
        return n.value

    def strings(self, table, column):
        """A string column decoded to a list of ``str`` (``None`` where missing)."""
        col = column_info(table, column)
        if col.type != ColumnType.STRING:
            raise _invalid(f"{col.table.name.lower()}.{col.name} is not a string column")
        cache = {0: None}
        out = []
        for i in self.column(col.table, col.index, copy=True):
            i = int(i)
            if i not in cache:
                cache[i] = self.string(i)
            out.append(cache[i])
        return out

    def values(self, table, column):
        """A column as Python values: ``str``, UTC ``datetime``, ``float``, ``bool``;
        ``None`` where missing (NaN stays NaN in number columns)."""
        col = column_info(table, column)
        if col.type == ColumnType.STRING:
            return self.strings(col.table, col.index)
        raw = self.column(col.table, col.index, copy=True).tolist()
        if col.type == ColumnType.TIME:
            from .times import to_datetime
            return [to_datetime(v) for v in raw]
        if col.type == ColumnType.BOOL:
            return [None if v < 0 else bool(v) for v in raw]
        return [float(v) for v in raw]

    def to_pandas(self, table):
        """``table`` as a pandas DataFrame: strings as objects (None = missing),
        times as UTC datetimes, booleans as the nullable ``boolean`` dtype."""
        pd = _pandas()
        data = {}
        for col in columns(table):
            if col.type == ColumnType.STRING:
                data[col.name] = pd.Series(self.strings(col.table, col.index), dtype=object)
            elif col.type == ColumnType.TIME:
                raw = self.column(col.table, col.index, copy=True)
                data[col.name] = pd.to_datetime(raw.view("datetime64[s]"), utc=True)
            elif col.type == ColumnType.BOOL:
                data[col.name] = pd.array(self.values(col.table, col.index), dtype="boolean")
            else:
                data[col.name] = self.column(col.table, col.index, copy=True)
        return pd.DataFrame(data)

    def __repr__(self):
        if self.closed:
            return "<scrm.Dataset closed>"
        counts = {k: v for k, v in self.row_counts().items() if v}
        inner = " ".join(f"{k}={v}" for k, v in counts.items()) or "empty"
        return f"<scrm.Dataset {inner}>"


__all__ = ["Dataset", "Table", "ColumnType", "OnError", "ValueType", "Column", "LoadReport",
           "Rejection", "columns", "column_info", "table_id", "table_name", "load_options"]
