"""Loading libscrm and declaring its functions: the core of the ctypes binding.

Finding the library (first match wins)
--------------------------------------
1. ``SCRM_LIBRARY``: an explicit path to the shared library. When it is set and
   cannot be loaded, that is an error (no silent fallback).
2. A copy bundled inside the package: ``scrm/_libs/libscrm.so*`` (``.dylib``,
   ``scrm.dll`` on other systems).
3. The system: ``ctypes.util.find_library("scrm")``.

When nothing loads, :class:`LibraryNotFoundError` (an ``ImportError``) lists every
place that was tried. The loaded library must report ``scrm_abi_version() ==
ABI_MAJOR``, otherwise :class:`AbiMismatchError` is raised.

The pattern every module file follows (``scrm/<module>.py``)
-------------------------------------------------------------
One file per C module binds *every* public function of its header section, at
import time, through :func:`_fn`, and wraps them in Pythonic functions/classes::

    from ctypes import POINTER, byref, c_double, c_int, c_int32, c_size_t, c_uint
    from ._lib import _fn, check_status, Handle, HandlePtr
    from ._arrays import as_input, read_sized
    from ._structs import Result, Struct, from_struct, make_options, result

    class NpsPtr(HandlePtr):                 # one distinct pointer type per handle
        _c_name_ = "scrm_nps"

    class NpsOptions(Struct):                # mirrors the C struct field by field
        _c_name_ = "scrm_nps_options"        # (tests compare offsets with the C compiler)
        _fields_ = [("version", c_uint), ("confidence", c_double)]

    _nps_options_init = _fn("scrm_nps_options_init",
                            [POINTER(NpsOptions), c_uint], c_int, check_status)
    _nps_new = _fn("scrm_nps_new", [POINTER(NpsPtr), POINTER(NpsOptions)],
                   c_int, check_status)
    _nps_free = _fn("scrm_nps_free", [NpsPtr], None, None)
    _nps_add = _fn("scrm_nps_add_scores",
                   [NpsPtr, POINTER(c_double), c_size_t], c_int, check_status)

    class Nps(Handle):
        _free_ = _nps_free                   # called exactly once (close() or GC)

        def __init__(self, **options):
            opts = make_options(NpsOptions, _nps_options_init, 1, options)
            ptr = NpsPtr()
            _nps_new(byref(ptr), byref(opts))    # raises ScrmError subclasses
            super().__init__(ptr)

        def add(self, scores):
            x = as_input(scores, c_double, "scores")   # list, array.array, NumPy
            with self._mutating() as h:          # lock; ClosedError after close()
                _nps_add(h, x.ptr, x.n)          # errcheck raises on failure

        def finalize(self):
            out = CNpsResult()
            with self._locked() as h:            # read-only calls use _locked()
                _nps_finalize(h, byref(out))
            return from_struct(NpsResult, out)   # a @result dataclass

Rules of the pattern:

- ``_fn(name, argtypes, restype, errcheck)`` is the only way to declare a
  function; it registers the name in :data:`BOUND` (the ``symbols`` test checks
  that every exported function is bound) and refuses a second declaration.
  A symbol the loaded library lacks (older library) becomes a stub raising
  :class:`MissingSymbolError` naming the loaded version, so ``import scrm``
  still works.
- ``errcheck``: :func:`check_status` for every ``int`` status function (raises
  the :mod:`scrm.errors` class of the code with the library's message);
  :func:`check_null` for pointer-returning getters; :func:`check_nan` for
  ``double`` convenience forms that return NaN on failure; ``None`` otherwise.
- Handles: subclass :class:`HandlePtr` (distinct type per handle, so passing a
  model where a dataset is expected is a ``ctypes.ArgumentError``) and
  :class:`Handle`. Call C inside ``with self._locked() as h:`` (reads) or
  ``with self._mutating() as h:`` (calls that change the handle) and pass ``h``.
  A child keeps its parent alive: ``super().__init__(ptr, parent=dataset)``;
  a handle from a second constructor (deserialize): ``cls._wrap(ptr)``.
  Another handle as an argument: ``with self._mutating() as h, ds._locked() as d:``.
- Inputs: :func:`scrm._arrays.as_input` (zero-copy for matching NumPy arrays and
  ``array.array``). Outputs through caller buffers: :func:`scrm._arrays.read_sized`
  (retries on SCRM_EBUFS with the size the library reports).
- Options: :func:`scrm._structs.make_options` (``_init`` + keyword arguments);
  results: dataclasses deriving :class:`scrm._structs.Result`.
- Tests: ``tests/test_<module>.py`` using the real library, plus error paths.
"""

import ctypes
import ctypes.util
import math
import contextlib
import os
import threading
import weakref
from ctypes import c_char_p, c_int, c_void_p
from pathlib import Path

from . import errors
from .errors import ClosedError, error_for

#: ABI major version this binding is written for (SCRM_ABI_VERSION_MAJOR).
ABI_MAJOR = 0

#: Environment variable naming the shared library to load.
ENV_VAR = "SCRM_LIBRARY"

#: Directory holding a bundled copy of the shared library, if any.
BUNDLED_DIR = Path(__file__).resolve().parent / "_libs"

_BUNDLED_PATTERNS = ("libscrm.so*", "libscrm*.dylib", "scrm.dll", "libscrm.dll")


class LibraryNotFoundError(ImportError):
    """The libscrm shared library could not be found or loaded."""


class AbiMismatchError(ImportError):
    """The loaded libscrm has a different ABI major version than this binding."""


class MissingSymbolError(NotImplementedError):
    """A function bound by this package is absent from the loaded libscrm."""


def locate(environ=None, bundled_dir=BUNDLED_DIR, find_library=ctypes.util.find_library,
           load=ctypes.CDLL):
    """Load libscrm; returns ``(library, where)``. Parameters exist for tests."""
    environ = os.environ if environ is None else environ
    tried = []
    explicit = environ.get(ENV_VAR)
    if explicit:
        try:
            return load(explicit), explicit
        except OSError as exc:
            raise LibraryNotFoundError(
                f"libscrm: {ENV_VAR}={explicit!r} could not be loaded: {exc}") from exc
    tried.append(f"{ENV_VAR}: not set")

    bundled_dir = Path(bundled_dir)
    found = sorted({p for pat in _BUNDLED_PATTERNS for p in bundled_dir.glob(pat)}) \
        if bundled_dir.is_dir() else []
    for candidate in found:
        try:
            return load(str(candidate)), str(candidate)
        except OSError as exc:
            tried.append(f"bundled copy {candidate}: {exc}")
    if not found:
        tried.append(f"bundled copy: nothing matching {', '.join(_BUNDLED_PATTERNS)} "
                     f"in {bundled_dir}")

    name = find_library("scrm")
    if name:
        try:
            return load(name), _resolve(name)
        except OSError as exc:
            tried.append(f"system: {name}: {exc}")
    else:
        tried.append("system: ctypes.util.find_library('scrm') found nothing")
    raise LibraryNotFoundError(
        "libscrm shared library not found. Looked in:\n  - " + "\n  - ".join(tried) +
        f"\nBuild it (meson setup build && meson compile -C build) and set "
        f"{ENV_VAR}=/path/to/build/libscrm.so, copy it into {bundled_dir}, "
        "or install it system-wide.")


def _resolve(name):
    """Full path of a library loaded by soname (Linux: from /proc/self/maps)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.split(None, 5)[-1].strip()
                if os.path.basename(path) == name:
                    return path
    except OSError:
        pass
    return name


def check_abi(library, where):
    """Refuse a library whose ABI major differs from :data:`ABI_MAJOR`."""
    try:
        abi_fn = library["scrm_abi_version"]
    except AttributeError:
        raise AbiMismatchError(f"{where} is not libscrm (no scrm_abi_version)") from None
    abi_fn.argtypes, abi_fn.restype = [], c_int
    abi = abi_fn()
    if abi != ABI_MAJOR:
        raise AbiMismatchError(
            f"libscrm at {where} has ABI version {abi}; this binding (scrm for Python) "
            f"needs ABI version {ABI_MAJOR}. Install a matching library or binding.")


lib, path = locate()
check_abi(lib, path)

#: Every declared function by C name (stubs included); see :func:`_fn`.
BOUND = {}
#: Declared names the loaded library does not export.
MISSING = set()


class _Missing:
    """Stands in for a function the loaded library lacks."""

    def __init__(self, name):
        self.__name__ = name

    def __call__(self, *args):
        raise MissingSymbolError(
            f"{self.__name__} is not exported by the loaded libscrm {version_string()} "
            f"({path}); this binding needs a newer library")


def _fn(name, argtypes, restype, errcheck):
    """Declare C function ``name`` with its signature and error check.

    Args:
        name: exported C symbol, e.g. ``"scrm_dataset_new"``.
        argtypes: list of ctypes types, exactly as in ``include/scrm.h``.
        restype: ctypes return type, ``None`` for ``void``.
        errcheck: :func:`check_status`, :func:`check_null`, :func:`check_nan` or ``None``.
    Returns:
        the ctypes function (a private copy: other declarations cannot change it).
    """
    if name in BOUND:
        raise RuntimeError(f"{name} is declared twice in the scrm binding")
    try:
        func = lib[name]
    except AttributeError:
        func = _Missing(name)
        MISSING.add(name)
    else:
        func.argtypes = list(argtypes)
        func.restype = restype
        if errcheck is not None:
            func.errcheck = errcheck
    BOUND[name] = func
    return func


def bound_names():
    """Names of the C functions this package binds (after importing its modules)."""
    return set(BOUND)


def raise_last(code, function=None):
    """Raise the exception for ``code`` with this thread's last library message."""
    message = last_error_message() if code == last_error_code() else ""
    if not message:
        message = f"{function or 'libscrm'}: {strerror(code)}"
    raise error_for(code, message, function)


def check_status(result, func, args):
    """errcheck for ``int`` status returns: raise on a negative code."""
    if result < 0:
        raise_last(result, getattr(func, "__name__", None))
    return result


def check_null(result, func, args):
    """errcheck for pointer returns where NULL means an unknown argument."""
    if not result:
        name = getattr(func, "__name__", "libscrm")
        shown = ", ".join(repr(getattr(a, "value", a)) for a in args)
        raise error_for(errors.SCRM_EINVAL, f"{name}({shown}): no such item", name)
    return result


def check_nan(result, func, args):
    """errcheck for ``double`` convenience forms that return NaN on failure.

    Prefer binding the ``_e`` status form for Python wrappers; this exists so the
    convenience form can be bound too.
    """
    if math.isnan(result):
        code = last_error_code()
        raise_last(code if code < 0 else errors.SCRM_EDOM, getattr(func, "__name__", None))
    return result


# ---- core functions the binding itself needs (wrapped for users in scrm.core) ----

_scrm_version_number = _fn("scrm_version_number", [], c_int, None)
_scrm_version_string = _fn("scrm_version_string", [], c_char_p, None)
_scrm_abi_version = _fn("scrm_abi_version", [], c_int, None)
_scrm_strerror = _fn("scrm_strerror", [c_int], c_char_p, None)
_scrm_last_error_message = _fn("scrm_last_error_message", [], c_char_p, None)
_scrm_last_error_code = _fn("scrm_last_error_code", [], c_int, None)
_scrm_clear_error = _fn("scrm_clear_error", [], None, None)
_scrm_free = _fn("scrm_free", [c_void_p], None, None)


def version_string():
    return _scrm_version_string().decode("ascii", "replace")


def strerror(code):
    return _scrm_strerror(code).decode("utf-8", "replace")


def last_error_message():
    return _scrm_last_error_message().decode("utf-8", "replace")


def last_error_code():
    return _scrm_last_error_code()


# ---- handles --------------------------------------------------------------


class HandlePtr(c_void_p):
    """Base of the distinct pointer types of opaque handles (``scrm_X *``).

    Subclass once per handle type and set ``_c_name_``. As an argtype it accepts
    only its own type (or an object whose ``_as_parameter_`` is one) and ``None``
    (NULL), so handles cannot be mixed up.
    """

    _c_name_ = "void"

    @classmethod
    def from_param(cls, value):
        value = getattr(value, "_as_parameter_", value)
        if value is None or isinstance(value, cls):
            return value
        raise TypeError(f"expected a {cls._c_name_} handle, got {type(value).__name__}")


class _Exports:
    """Weak references to the live zero-copy views of a handle (ctypes arrays are
    unhashable, so a WeakSet cannot hold them)."""

    __slots__ = ("_refs", "__weakref__")

    def __init__(self):
        self._refs = {}

    def add(self, obj):
        refs, key = self._refs, id(obj)

        def gone(ref):
            if refs.get(key) is ref:
                del refs[key]
        refs[key] = weakref.ref(obj, gone)

    def __len__(self):
        return sum(1 for r in list(self._refs.values()) if r() is not None)


class Handle:
    """A Python object owning one libscrm handle.

    - ``close()`` frees it (idempotent); ``with`` closes it on exit.
    - A ``weakref.finalize`` frees it when the object is garbage collected, so
      the C ``_free_`` runs exactly once whichever comes first.
    - ``parent``: the object this one was made from (kept alive while this lives).
    - Zero-copy views of the handle's memory (see :func:`scrm._arrays.export_view`)
      keep the object alive; ``close()`` while views exist defers the free until
      the last view is gone, and :meth:`_mutating` refuses changes that could
      move the memory under them (``BufferError``, as ``bytearray`` does).
    - Calls go through ``with self._locked() as h:`` (or ``_mutating()``), so
      one handle is never used by two threads at once (ctypes drops the GIL).

    Subclasses set ``_free_`` to the bound ``scrm_X_free`` and call
    ``super().__init__(ptr)`` with a non-NULL :class:`HandlePtr` instance.
    """

    _free_ = None

    def __init__(self, ptr, parent=None):
        if not isinstance(ptr, HandlePtr) or not ptr.value:
            raise TypeError(f"{type(self).__name__}: expected a non-NULL HandlePtr")
        if type(self)._free_ is None:
            raise TypeError(f"{type(self).__name__} does not set _free_")
        self._ptr = ptr
        self._parent = parent
        self._closed = False
        self._lock = threading.RLock()
        self._exports = _Exports()
        self._finalizer = weakref.finalize(self, type(self)._free_, ptr)

    @classmethod
    def _wrap(cls, ptr, parent=None):
        """Adopt ``ptr`` (from a second constructor, e.g. deserialize) without ``__init__``."""
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parent)
        return obj

    @property
    def _handle(self):
        """The pointer to pass to C; raises :class:`ClosedError` once closed."""
        if self._closed:
            raise ClosedError(f"{type(self).__name__} is closed")
        return self._ptr

    _as_parameter_ = _handle

    @property
    def closed(self):
        return self._closed

    def close(self):
        """Release the C handle now (no-op when already closed)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if not self._exports:
                self._finalizer()
            # else: the finalizer runs when the views (which hold self) are gone.

    @contextlib.contextmanager
    def _locked(self):
        """Hold the handle's lock and yield the C pointer.

        ctypes releases the GIL during calls; the lock keeps two Python threads
        from using one handle at once (the C contract) and keeps close() from
        freeing it under a running call.
        """
        with self._lock:
            yield self._handle

    @contextlib.contextmanager
    def _mutating(self):
        """As :meth:`_locked`, for calls that may move the handle's memory:
        refuses (``BufferError``) while zero-copy views exist."""
        with self._lock:
            handle = self._handle
            live = len(self._exports)
            if live:
                raise BufferError(
                    f"{type(self).__name__} has {live} live zero-copy view(s); delete "
                    "them (or take copies) before modifying it")
            yield handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = "closed" if self._closed else f"at 0x{self._ptr.value:x}"
        return f"<scrm.{type(self).__name__} {state}>"

    def __reduce__(self):
        raise TypeError(f"cannot pickle {type(self).__name__} (a C handle)")

    def __copy__(self):
        raise TypeError(f"cannot copy {type(self).__name__} (a C handle)")

    def __deepcopy__(self, memo):
        raise TypeError(f"cannot copy {type(self).__name__} (a C handle)")
