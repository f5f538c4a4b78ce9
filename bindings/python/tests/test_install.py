"""``pip install ./bindings/python`` works offline: the package builds with the
installed setuptools (no build isolation, no index), installs into a temporary
directory and imports from there, with SCRM_LIBRARY or with the library bundled
in ``scrm/_libs``. The source tree is copied first so the build writes nothing
into it."""
import os
import shutil
import subprocess
import sys

import pytest

import scrm
from scrm import _lib

PKG_SRC = os.path.dirname(os.path.dirname(scrm.__file__))
LIB = os.path.abspath(_lib.path)


def _have(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"],
                          capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not (_have("pip") and _have("setuptools")),
                                reason="pip or setuptools not installed "
                                       "(Debian: python3-pip, python3-setuptools)")


def _copy_source(dest, bundle=False):
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(os.path.join(PKG_SRC, name), dest / name)
    shutil.copytree(os.path.join(PKG_SRC, "scrm"), dest / "scrm",
                    ignore=shutil.ignore_patterns("__pycache__", "_libs"))
    if bundle:
        (dest / "scrm" / "_libs").mkdir()
        shutil.copy(LIB, dest / "scrm" / "_libs" / "libscrm.so.0")
    return dest


def _install(src, target):
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation",
                           "--no-deps", "--no-index", "--no-cache-dir", "--target",
                           str(target), str(src)], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _run(target, code, **extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRM_LIBRARY")}
    env.update(PYTHONPATH=str(target), PYTHONDONTWRITEBYTECODE="1", **extra_env)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env, cwd=str(target))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()


def test_pip_install_offline_and_import(tmp_path):
    src = _copy_source(tmp_path / "src")
    target = tmp_path / "site"
    _install(src, target)
    installed = target / "scrm"
    assert (installed / "compat" / "lifetimes" / "fitters.py").is_file()
    assert not (installed / "_libs").exists()
    out = _run(target, "import scrm, scrm.compat.lifetimes, scrm.charts\n"
                       "print(scrm.__file__); print(scrm.library_path()); print(scrm.version())\n"
                       "from scrm.nps import Nps\n"
                       "n = Nps(); n.add([10, 9, 3]); print(n.finalize().nps)",
               SCRM_LIBRARY=LIB)
    assert out[0].startswith(str(installed))
    assert os.path.samefile(out[1], LIB)
    assert out[2] == scrm.version()
    assert float(out[3]) == pytest.approx(100 / 3)


def test_pip_install_with_a_bundled_library(tmp_path):
    src = _copy_source(tmp_path / "src", bundle=True)
    target = tmp_path / "site"
    _install(src, target)
    bundled = target / "scrm" / "_libs" / "libscrm.so.0"
    assert bundled.is_file()
    out = _run(target, "import scrm; print(scrm.library_path())")
    assert os.path.samefile(out[0], bundled)
