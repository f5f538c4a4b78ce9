"""Test setup: import the package from this source tree, never write caches there."""
import os
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import scrm  # noqa: E402  (after the path change on purpose)

SOURCE_ROOT = Path(os.environ.get("SCRM_SOURCE_ROOT", HERE.parents[2]))
SHARED_DATA = Path(os.environ.get("SCRM_SHARED_DATA", SOURCE_ROOT / "tests" / "data"))


@pytest.fixture
def no_numpy(monkeypatch):
    """Run the binding as if NumPy were not installed."""
    from scrm import _arrays
    monkeypatch.setattr(_arrays, "np", None)


@pytest.fixture
def source_root():
    return SOURCE_ROOT


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared reference data not found at {SHARED_DATA}")
    return SHARED_DATA


def import_all_modules():
    """Import every module of the package (module files bind their functions at import)."""
    import importlib
    import pkgutil
    names = []
    for info in pkgutil.walk_packages(scrm.__path__, "scrm."):
        importlib.import_module(info.name)
        names.append(info.name)
    return names
