"""Version, status codes and the per-thread last error of libscrm.

The C functions are declared in :mod:`scrm._lib` (the binding needs them to
raise errors); this module is their Python face.
"""

from . import _lib
from ._structs import CONSTANTS
from .errors import CODE_NAMES

CONSTANTS.update({name: code for code, name in CODE_NAMES.items()})
CONSTANTS.update(SCRM_ABI_VERSION_MAJOR=_lib.ABI_MAJOR)


def version():
    """Version of the loaded library, e.g. ``"0.1.0"``."""
    return _lib.version_string()


def version_number():
    """Version of the loaded library as MAJOR*10000 + MINOR*100 + PATCH."""
    return _lib._scrm_version_number()


def abi_version():
    """ABI major version of the loaded library (checked at import)."""
    return _lib._scrm_abi_version()


def library_path():
    """Path (or soname) of the loaded shared library."""
    return _lib.path


def strerror(code):
    """Static description of a status code (any integer)."""
    return _lib.strerror(code)


def last_error():
    """``(code, message)`` of this thread's most recent library failure.

    The binding raises on every failure, so this is rarely needed; it is valid
    until the next libscrm call on this thread.
    """
    return _lib.last_error_code(), _lib.last_error_message()


def clear_error():
    """Forget this thread's last error."""
    _lib._scrm_clear_error()


def free(address):
    """Release memory the library allocated for the caller (``scrm_free``).

    Wrappers call it for you; exposed for completeness. ``None``/0 is a no-op.
    """
    _lib._scrm_free(address)


__all__ = ["version", "version_number", "abi_version", "library_path", "strerror",
           "last_error", "clear_error", "free"]
