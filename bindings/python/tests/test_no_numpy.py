"""The package imports and works without NumPy (and without pandas)."""
import os
import subprocess
import sys
import textwrap

import scrm

PKG_ROOT = os.path.dirname(os.path.dirname(scrm.__file__))


def run_without(modules, code):
    prelude = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    env = dict(os.environ, PYTHONPATH=PKG_ROOT, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_and_arrays_without_numpy():
    out = run_without(["numpy", "pandas"], """
        import array, ctypes
        import scrm
        from scrm import _arrays
        assert _arrays.np is None
        c = _arrays.as_input([1, 2, 3], ctypes.c_double)
        assert c.ptr[:3] == [1.0, 2.0, 3.0]
        buf = (ctypes.c_int64 * 2)(7, 8)
        v = _arrays.export_view(None, ctypes.addressof(buf), ctypes.c_int64, 2)
        assert isinstance(v, array.array) and v.tolist() == [7, 8]
        assert scrm.period_start(86400 * 40, "month") == 86400 * 31
        # a real calculator with list and array.array inputs, dataclass results
        from scrm.nps import Nps
        with Nps() as n:
            n.add([10, 9, 8])
            n.add(array.array("d", [0.0, 10.0]))
            r = n.finalize()
        assert r.n == 5 and abs(r.nps - 40.0) < 1e-12, r
        assert repr(r).startswith("NpsResult(")
        with scrm.Dataset() as ds:
            ds.load_csv_buffer("transactions",
                               "customer,time,amount\\na,2024-01-01,5\\nb,2024-01-02,7\\n")
            col = ds.column("transactions", "amount")
            assert isinstance(col, array.array) and col.tolist() == [5.0, 7.0]
        print("ok")
    """)
    assert out.strip() == "ok"


def test_every_module_imports_without_optional_packages():
    out = run_without(["numpy", "pandas", "matplotlib"], """
        import importlib, pkgutil, scrm
        for info in pkgutil.walk_packages(scrm.__path__, "scrm."):
            importlib.import_module(info.name)
        print("ok")
    """)
    assert out.strip() == "ok"


def test_pandas_features_say_what_is_missing(monkeypatch):
    import pytest
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="needs pandas"):
        scrm.dataset._pandas()
