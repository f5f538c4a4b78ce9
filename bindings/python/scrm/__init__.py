"""libscrm for Python: social ROI and CRM metrics through the libscrm C library.

A pure-Python ctypes binding: no compiler needed, only the shared library
(found through ``SCRM_LIBRARY``, a copy bundled in ``scrm/_libs``, or the
system; see :mod:`scrm._lib`). NumPy and pandas are optional.

    >>> import scrm
    >>> with scrm.Dataset.from_dir("examples/data") as ds:
    ...     print(ds.rows("transactions"))

Every public module (``scrm.dataset``, ``scrm.times``, one per C module) is
imported here and the names in its ``__all__`` are available as ``scrm.<name>``.
``scrm.compat`` and ``scrm.charts`` are imported on demand.
"""

import importlib as _importlib
import pkgutil as _pkgutil

from . import errors
from ._lib import AbiMismatchError, LibraryNotFoundError, MissingSymbolError
from .errors import ScrmError

#: Version of this Python package (follows the library it was written for).
__version__ = "0.1.0"

#: Subpackages/modules not imported eagerly (optional dependencies, heavier).
_ON_DEMAND = {"compat", "charts"}

__all__ = ["errors", "ScrmError", "AbiMismatchError", "LibraryNotFoundError",
           "MissingSymbolError", "__version__"]


def _export_modules():
    owner = {}
    for info in sorted(_pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _ON_DEMAND or info.name == "errors":
            continue
        module = _importlib.import_module(f"{__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            if name in owner and getattr(module, name) is not globals()[name]:
                raise ImportError(f"scrm.{info.name} and scrm.{owner[name]} both export "
                                  f"{name!r}; rename one")
            owner.setdefault(name, info.name)
            globals()[name] = getattr(module, name)
            if name not in __all__:
                __all__.append(name)


_export_modules()

# Common exceptions at the top level too.
from .errors import (ClosedError, InvalidArgumentError, NotConvergedError,  # noqa: E402
                     NotFoundError, ParseError)

__all__ += ["ClosedError", "InvalidArgumentError", "NotConvergedError", "NotFoundError",
            "ParseError"]
