"""Nothing public is left unbound: the library's exports equal the bound names."""
import shutil
import subprocess

import pytest

from scrm import _lib

from conftest import import_all_modules

# C modules that landed on main before the binding infrastructure did. Their
# helpers bind them in scrm/<module>.py and delete their line here; the test
# fails for a prefix that is no longer needed, so the list only shrinks.
PENDING = {
}


def pending(name):
    return any(name.startswith(prefix) for prefix in PENDING)


def exported(path):
    out = subprocess.run(["nm", "-D", "--defined-only", path], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TtWiV":
            names.add(parts[2].split("@")[0])
    return {n for n in names if n.startswith("scrm_")}


@pytest.mark.skipif(shutil.which("nm") is None, reason="nm (binutils) not installed")
def test_every_exported_function_is_bound():
    import_all_modules()
    have = exported(_lib.path)
    assert have, f"no scrm_ symbols exported by {_lib.path}"
    missing = have - _lib.bound_names()
    stale = [p for p in PENDING if not any(n.startswith(p) for n in missing)]
    assert not stale, f"fully bound now: remove {stale} from PENDING in {__file__}"
    unbound = sorted(n for n in missing if not pending(n))
    assert not unbound, ("exported by libscrm but not bound in bindings/python/scrm "
                         f"(add them to the module's file): {', '.join(unbound)}")
    unknown = sorted(_lib.bound_names() - have)
    assert not unknown, f"bound but not exported by {_lib.path}: {', '.join(unknown)}"
    assert not _lib.MISSING
