"""Array inputs and outputs for C calls: lists, ``array.array`` and NumPy (optional).

- :func:`as_input` turns a 1-D sequence into a C array. A C-contiguous, aligned
  NumPy array of exactly the C type, or an ``array.array`` of the same type, is
  passed without copying; anything else is converted (checked: no silent
  truncation of floats to integers, no wrap-around of out-of-range integers).
- :func:`read_sized` runs a caller-buffer call ``(T *out, size_t cap, size_t
  *out_len)`` and retries once the library reports SCRM_EBUFS with the size it
  needs; :func:`read_bytes` does the same for byte buffers (serialization).
- :func:`export_view` exposes library-owned memory as a read-only NumPy view
  that keeps its owner alive (a copy in an ``array.array`` without NumPy).

NumPy is optional: everything works without it, results are then ``array.array``.
"""

import array
import math
import operator
from ctypes import POINTER, byref, c_size_t, c_uint8, cast, sizeof, string_at

from .errors import BufferTooSmallError

try:  # optional dependency
    import numpy as np
except ImportError:  # pragma: no cover - exercised by the no-NumPy tests
    np = None


def have_numpy():
    """True when NumPy is importable (and not disabled by tests)."""
    return np is not None


def _kind(code):
    """'f' float, 'i' signed, 'u' unsigned, '?' other, for ctypes/array type codes."""
    if code in "fd":
        return "f"
    if code in "bhilq":
        return "i"
    if code in "BHILQ":
        return "u"
    return "?"


def _int_bounds(ctype):
    bits = 8 * sizeof(ctype)
    if _kind(ctype._type_) == "u":
        return 0, (1 << bits) - 1
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def _type_name(ctype):
    kind = _kind(ctype._type_)
    bits = 8 * sizeof(ctype)
    return {"f": f"float{bits}", "i": f"int{bits}", "u": f"uint{bits}"}.get(kind, ctype.__name__)


class CArray:
    """A C array ready for one call: ``ptr`` (``POINTER(ctype)``) and ``n``.

    ``copied`` says whether the values were converted; ``keep`` holds whatever
    owns the memory, so keep the CArray referenced until the call returns.
    """

    __slots__ = ("ptr", "n", "keep", "copied")

    def __init__(self, ptr, n, keep, copied):
        self.ptr, self.n, self.keep, self.copied = ptr, n, keep, copied

    def __len__(self):
        return self.n


def _empty(ctype):
    # A valid pointer even for zero elements: the C side may reject NULL.
    buf = (ctype * 1)()
    return CArray(cast(buf, POINTER(ctype)), 0, buf, True)


def as_input(values, ctype, what="values"):
    """A :class:`CArray` of ``ctype`` from a 1-D list/tuple/iterable, ``array.array``,
    NumPy array or anything with ``__array__`` (pandas Series).

    Raises ``TypeError`` for values of the wrong kind (strings, non-integral
    floats for integer types) and ``ValueError`` for out-of-range integers or
    arrays that are not 1-D; both name ``what`` and the offending index.
    """
    if np is not None and (isinstance(values, np.ndarray) or (
            hasattr(values, "__array__") and not isinstance(values, (list, tuple, array.array)))):
        return _from_numpy(np.asarray(values), ctype, what)
    if isinstance(values, array.array):
        if (_kind(values.typecode) == _kind(ctype._type_)
                and values.itemsize == sizeof(ctype)):
            if len(values) == 0:
                return _empty(ctype)
            buf = (ctype * len(values)).from_buffer(values)
            return CArray(cast(buf, POINTER(ctype)), len(values), (buf, values), False)
        values = values.tolist()
    elif isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{what}: expected a sequence of numbers, got {type(values).__name__}")
    elif not isinstance(values, (list, tuple)):
        values = list(values)
    return _from_list(values, ctype, what)


def _from_list(values, ctype, what):
    n = len(values)
    if n == 0:
        return _empty(ctype)
    if _kind(ctype._type_) in "iu":
        lo, hi = _int_bounds(ctype)
        converted = []
        for i, v in enumerate(values):
            try:
                iv = operator.index(v)
            except TypeError:
                if isinstance(v, float) and v.is_integer():
                    iv = int(v)
                else:
                    raise TypeError(f"{what}[{i}]: expected an integer, got {v!r}") from None
            if not lo <= iv <= hi:
                raise ValueError(f"{what}[{i}]: {iv} is outside the {_type_name(ctype)} range")
            converted.append(iv)
        values = converted
    try:
        buf = (ctype * n)(*values)
    except TypeError:
        for i, v in enumerate(values):
            try:
                ctype(v)
            except TypeError:
                raise TypeError(f"{what}[{i}]: expected a number, got {v!r}") from None
        raise
    return CArray(cast(buf, POINTER(ctype)), n, buf, True)


def _from_numpy(arr, ctype, what):
    if arr.ndim != 1:
        raise ValueError(f"{what}: expected a 1-D array, got shape {arr.shape}")
    if arr.size == 0:
        return _empty(ctype)
    want = np.dtype(ctype)
    if arr.dtype == want and arr.flags.c_contiguous and arr.flags.aligned:
        return CArray(arr.ctypes.data_as(POINTER(ctype)), arr.size, arr, False)
    src = arr.dtype
    if src.kind in "OUS":
        return _from_list(arr.tolist(), ctype, what)
    if src.kind not in "biuf":
        raise TypeError(f"{what}: cannot use {src} values as {want}")
    if want.kind in "iu" and not np.can_cast(src, want, "safe"):
        if src.kind == "f":
            bad = ~np.isfinite(arr) | (arr != np.trunc(arr))
            if bad.any():
                i = int(np.argmax(bad))
                raise TypeError(f"{what}[{i}]: expected an integer, got {arr[i]!r}")
        info = np.iinfo(want)
        lo, hi = arr.min(), arr.max()
        if lo < info.min or hi > info.max:
            i = int(np.argmax((arr < info.min) | (arr > info.max)))
            raise ValueError(f"{what}[{i}]: {arr[i]} is outside the {want} range")
    conv = np.ascontiguousarray(arr.astype(want))
    return CArray(conv.ctypes.data_as(POINTER(ctype)), conv.size, conv, True)


class Output:
    """A caller buffer of ``cap`` values of ``ctype``; ``result(n)`` returns the values."""

    def __init__(self, ctype, cap):
        self.ctype, self.cap = ctype, cap
        if np is not None:
            self._buf = np.empty(max(cap, 1), dtype=np.dtype(ctype))
            self.ptr = self._buf.ctypes.data_as(POINTER(ctype))
        else:
            self._buf = (ctype * max(cap, 1))()
            self.ptr = cast(self._buf, POINTER(ctype))

    def result(self, n):
        """The first ``n`` values: a NumPy array (or ``array.array`` without NumPy)."""
        if n > self.cap:
            raise RuntimeError(f"libscrm reported {n} values for a buffer of {self.cap}")
        if np is not None:
            return self._buf[:n] if n == len(self._buf) else self._buf[:n].copy()
        return array.array(self.ctype._type_, string_at(self._buf, n * sizeof(self.ctype)))


def read_sized(call, ctype, cap=64, attempts=3):
    """Values from a caller-buffer function.

    ``call(ptr, cap, out_len_ref)`` must call the bound C function (whose
    errcheck raises :class:`BufferTooSmallError` on SCRM_EBUFS after writing the
    needed length to ``*out_len``). Returns a NumPy array or ``array.array``.
    """
    for _ in range(attempts):
        out = Output(ctype, cap)
        n = c_size_t(0)
        try:
            call(out.ptr, cap, byref(n))
        except BufferTooSmallError:
            if n.value <= cap:
                raise
            cap = n.value
            continue
        return out.result(n.value)
    raise BufferTooSmallError(-4, f"buffer still too small after {attempts} attempts")


def read_bytes(call, cap=256, attempts=3):
    """``bytes`` from a function ``(uint8_t *buf, size_t cap, size_t *out_len)``
    (serialization), retrying on SCRM_EBUFS like :func:`read_sized`."""
    for _ in range(attempts):
        buf = (c_uint8 * max(cap, 1))()
        n = c_size_t(0)
        try:
            call(cast(buf, POINTER(c_uint8)), cap, byref(n))
        except BufferTooSmallError:
            if n.value <= cap:
                raise
            cap = n.value
            continue
        if n.value > cap:
            raise RuntimeError(f"libscrm reported {n.value} bytes for a buffer of {cap}")
        return string_at(buf, n.value)
    raise BufferTooSmallError(-4, f"buffer still too small after {attempts} attempts")


def export_view(owner, address, ctype, n, copy=False):
    """``n`` values of ``ctype`` at ``address`` (memory owned by handle ``owner``).

    With NumPy and ``copy=False``: a read-only zero-copy view registered in
    ``owner._exports``; it keeps ``owner`` alive (see :class:`scrm._lib.Handle`).
    Otherwise a copy: a NumPy array, or an ``array.array`` without NumPy.
    """
    if n == 0 or not address:
        if np is not None:
            return np.empty(0, dtype=np.dtype(ctype))
        return array.array(ctype._type_)
    carr = (ctype * n).from_address(address)
    if np is None:
        return array.array(ctype._type_, string_at(carr, n * sizeof(ctype)))
    if copy:
        return np.frombuffer(string_at(carr, n * sizeof(ctype)), dtype=np.dtype(ctype)).copy()
    carr._scrm_owner = owner
    owner._exports.add(carr)
    return np.frombuffer(memoryview(carr).toreadonly(), dtype=np.dtype(ctype))


def isnan(value):
    """True for float NaN (and NumPy/pandas missing markers that compare unequal to themselves)."""
    try:
        return value != value or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False
