"""C structs, options and result dataclasses.

- :class:`Struct`: base of every ctypes mirror of a public C struct. Setting
  ``_c_name_`` registers it in :data:`STRUCTS`; a test compiles a C program and
  checks every registered struct's size and field offsets against the header.
- :data:`CONSTANTS`: C macro/enum values mirrored in Python (``name -> value``),
  checked against the header by the same test. Module files ``update()`` it.
- :func:`make_options`: an options struct filled by its ``_init`` function
  (never by hand: the library knows the defaults) plus keyword overrides,
  checked for unknown names, integer ranges and types.
- :func:`result`: decorator making a :class:`Result` subclass a frozen dataclass
  with a readable repr (long arrays summarized); :func:`from_struct` fills one
  from a C struct::

      @result
      class NpsResult(Result):
          nps: float
          n: int
"""

import dataclasses
import math
import operator
from ctypes import Array, Structure, byref, c_char, c_double, c_float

from ._arrays import _int_bounds, _kind

#: Registered C structs by C type name.
STRUCTS = {}

#: C constants mirrored in Python, by C name.
CONSTANTS = {}


class Struct(Structure):
    """Base of ctypes mirrors of public C structs (set ``_c_name_`` and ``_fields_``)."""

    _c_name_ = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("_c_name_")
        if name:
            if name in STRUCTS and STRUCTS[name] is not cls:
                raise RuntimeError(f"struct {name} is mirrored twice")
            STRUCTS[name] = cls

    def as_dict(self):
        """Plain Python values: nested structs as dicts, char arrays as str."""
        return {name: _plain(getattr(self, name)) for name, *_ in self._fields_}

    def __repr__(self):
        inner = ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items())
        return f"{self._c_name_ or type(self).__name__}({inner})"


def _plain(value):
    if isinstance(value, Structure):
        return {name: _plain(getattr(value, name)) for name, *_ in value._fields_}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Array):
        return [_plain(v) for v in value]
    return value


def set_field(obj, name, value):
    """Set ``obj.name`` with checks ctypes does not do (integer wrap-around, NaN-free types)."""
    ctype = dict((f[0], f[1]) for f in obj._fields_)[name]
    where = f"{obj._c_name_ or type(obj).__name__}.{name}"
    code = getattr(ctype, "_type_", None)
    if isinstance(code, str) and _kind(code) in "iu":
        try:
            value = operator.index(value)
        except TypeError:
            raise TypeError(f"{where}: expected an integer, got {value!r}") from None
        lo, hi = _int_bounds(ctype)
        if not lo <= value <= hi:
            raise ValueError(f"{where}: {value} is out of range [{lo}, {hi}]")
    elif ctype in (c_double, c_float):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__float__"):
            raise TypeError(f"{where}: expected a number, got {value!r}")
        value = float(value)
    elif ctype is c_char:
        if isinstance(value, str):
            value = value.encode("utf-8")
        if not isinstance(value, bytes) or len(value) != 1:
            raise ValueError(f"{where}: expected one single-byte character, got {value!r}")
    setattr(obj, name, value)


def make_options(struct_cls, init_fn, version, overrides):
    """An options struct: ``init_fn(&opts, version)`` then each keyword override.

    Unknown names raise ``TypeError`` listing the known ones; ``version`` cannot
    be overridden.
    """
    opts = struct_cls()
    init_fn(byref(opts), version)
    known = [f[0] for f in struct_cls._fields_ if f[0] != "version"]
    for key, value in overrides.items():
        if key not in known:
            raise TypeError(f"unknown option {key!r} for {struct_cls._c_name_}; "
                            f"known: {', '.join(known)}")
        set_field(opts, key, value)
    return opts


class Result:
    """Base of result dataclasses: readable repr, ``as_dict()``."""

    def as_dict(self):
        return dataclasses.asdict(self)

    def __repr__(self):
        parts = ", ".join(f"{f.name}={_short(getattr(self, f.name))}"
                          for f in dataclasses.fields(self) if f.repr)
        return f"{type(self).__name__}({parts})"


def _short(value, limit=8):
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) and len(repr(value)) <= 12 else f"{value:.6g}"
    if isinstance(value, (list, tuple)) and len(value) > limit:
        head = ", ".join(_short(v) for v in value[:3])
        return f"[{head}, ... ({len(value)} items)]"
    if hasattr(value, "shape") and hasattr(value, "dtype") and getattr(value, "size", 0) > limit:
        return f"array(shape={tuple(value.shape)}, dtype={value.dtype})"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_short(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    return repr(value)


def result(cls):
    """Decorator: ``cls`` becomes a frozen dataclass deriving :class:`Result`."""
    if not issubclass(cls, Result):
        raise TypeError(f"{cls.__name__} must derive from scrm._structs.Result")
    return dataclasses.dataclass(frozen=True, repr=False)(cls)


def from_struct(cls, struct, **overrides):
    """An instance of dataclass ``cls`` from the same-named fields of ``struct``."""
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in overrides:
            values[f.name] = overrides[f.name]
        else:
            values[f.name] = _plain(getattr(struct, f.name))
    return cls(**values)
