"""Finding the shared library, the ABI check and the declaration helper."""
import os
import shutil
import subprocess
import sys
from ctypes import c_int

import pytest

import scrm
from scrm import _lib

LIB = _lib.path


def _no_system(name):
    return None


def test_env_override_that_fails_is_an_error(tmp_path):
    missing = str(tmp_path / "nope.so")
    with pytest.raises(_lib.LibraryNotFoundError, match="SCRM_LIBRARY=.*nope.so"):
        _lib.locate(environ={"SCRM_LIBRARY": missing}, bundled_dir=tmp_path,
                    find_library=_no_system)


def test_not_found_lists_every_place(tmp_path):
    with pytest.raises(_lib.LibraryNotFoundError) as info:
        _lib.locate(environ={}, bundled_dir=tmp_path / "absent", find_library=_no_system)
    text = str(info.value)
    assert "SCRM_LIBRARY: not set" in text
    assert str(tmp_path / "absent") in text
    assert "find_library('scrm') found nothing" in text
    assert isinstance(info.value, ImportError)


def test_bundled_copy_is_used(tmp_path):
    copy = tmp_path / "libscrm.so.0"
    shutil.copy(LIB, copy)
    lib, where = _lib.locate(environ={}, bundled_dir=tmp_path, find_library=_no_system)
    assert where == str(copy)
    lib["scrm_abi_version"].restype = c_int
    assert lib["scrm_abi_version"]() == _lib.ABI_MAJOR


def test_broken_bundled_copy_is_reported(tmp_path):
    (tmp_path / "libscrm.so").write_bytes(b"not a shared object")
    with pytest.raises(_lib.LibraryNotFoundError, match="bundled copy .*libscrm.so"):
        _lib.locate(environ={}, bundled_dir=tmp_path, find_library=_no_system)


def test_system_library_is_last(tmp_path):
    lib, where = _lib.locate(environ={}, bundled_dir=tmp_path, find_library=lambda n: LIB)
    assert os.path.samefile(where, LIB)


class _FakeFunc:
    def __init__(self, value):
        self.value = value

    def __call__(self):
        return self.value


def test_abi_mismatch_is_refused():
    with pytest.raises(_lib.AbiMismatchError, match="ABI version 7.*needs ABI version 0"):
        _lib.check_abi({"scrm_abi_version": _FakeFunc(7)}, "/x/libscrm.so")
    _lib.check_abi({"scrm_abi_version": _FakeFunc(_lib.ABI_MAJOR)}, "/x/libscrm.so")


def test_not_libscrm_is_refused():
    class NoSymbols:
        def __getitem__(self, name):
            raise AttributeError(name)
    with pytest.raises(_lib.AbiMismatchError, match="is not libscrm"):
        _lib.check_abi(NoSymbols(), "/usr/lib/libc.so.6")


def test_import_fails_clearly_without_the_library(tmp_path):
    env = dict(os.environ, SCRM_LIBRARY=str(tmp_path / "missing.so"),
               PYTHONPATH=str(os.path.dirname(os.path.dirname(scrm.__file__))),
               PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", "import scrm"], env=env,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "LibraryNotFoundError" in proc.stderr and "missing.so" in proc.stderr


def test_declaring_twice_is_refused():
    with pytest.raises(RuntimeError, match="declared twice"):
        _lib._fn("scrm_version_number", [], c_int, None)


def test_missing_symbol_becomes_a_stub(monkeypatch):
    monkeypatch.setattr(_lib, "BOUND", dict(_lib.BOUND))
    monkeypatch.setattr(_lib, "MISSING", set(_lib.MISSING))
    stub = _lib._fn("scrm_from_the_future", [], c_int, _lib.check_status)
    assert "scrm_from_the_future" in _lib.MISSING and "scrm_from_the_future" in _lib.BOUND
    with pytest.raises(_lib.MissingSymbolError, match=r"scrm_from_the_future.*libscrm 0\.1\.0"):
        stub()


def test_declared_functions_have_signatures():
    for name, func in _lib.BOUND.items():
        if name in _lib.MISSING:
            continue
        assert func.argtypes is not None, name
        assert func.__name__ == name


def test_version_and_abi():
    assert scrm.abi_version() == _lib.ABI_MAJOR
    major, minor, patch = (int(x) for x in scrm.version().split("."))
    assert scrm.version_number() == major * 10000 + minor * 100 + patch
    assert scrm.version() == scrm.__version__
    assert os.path.exists(scrm.library_path())
