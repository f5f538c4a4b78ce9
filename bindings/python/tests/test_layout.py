"""The ctypes mirrors match the C header: struct sizes, field offsets, constants.

A small C program is generated from the registries (scrm._structs.STRUCTS and
CONSTANTS), compiled against include/scrm.h and its output compared with ctypes.
"""
import os
import shlex
import shutil
import subprocess
from ctypes import sizeof

import pytest

from scrm._structs import CONSTANTS, STRUCTS

from conftest import SOURCE_ROOT, import_all_modules

HEADER_DIR = SOURCE_ROOT / "include"


def compiler():
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc or not (HEADER_DIR / "scrm.h").exists():
        pytest.skip("no C compiler or include/scrm.h not found")
    return shlex.split(cc)


def c_program():
    lines = ["#include <stddef.h>", "#include <stdio.h>", '#include "scrm.h"',
             "int main(void) {"]
    for cname, cls in sorted(STRUCTS.items()):
        lines.append(f'  printf("size {cname} %zu\\n", sizeof({cname}));')
        for fname, *_ in cls._fields_:
            lines.append(f'  printf("field {cname}.{fname} %zu %zu\\n", '
                         f'offsetof({cname}, {fname}), sizeof((({cname} *)0)->{fname}));')
    for name in sorted(CONSTANTS):
        lines.append(f'  printf("const {name} %lld\\n", (long long)({name}));')
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


def test_structs_and_constants_match_the_header(tmp_path):
    import_all_modules()
    cc = compiler()
    src = tmp_path / "layout.c"
    exe = tmp_path / "layout"
    src.write_text(c_program())
    subprocess.run(cc + ["-std=c11", "-I", str(HEADER_DIR), str(src), "-o", str(exe)],
                   check=True, capture_output=True, text=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    mismatches = []
    for line in out.splitlines():
        kind, name, *nums = line.split()
        nums = [int(x) for x in nums]
        if kind == "size":
            if sizeof(STRUCTS[name]) != nums[0]:
                mismatches.append(f"sizeof({name}): C {nums[0]}, ctypes {sizeof(STRUCTS[name])}")
        elif kind == "field":
            sname, fname = name.split(".")
            desc = getattr(STRUCTS[sname], fname)
            if (desc.offset, desc.size) != tuple(nums):
                mismatches.append(f"{name}: C offset/size {nums}, "
                                  f"ctypes {[desc.offset, desc.size]}")
        elif CONSTANTS[name] != nums[0]:
            mismatches.append(f"{name}: C {nums[0]}, Python {CONSTANTS[name]}")
    assert not mismatches, "\n".join(mismatches)
    assert out.count("\nconst ") + out.startswith("const ") == len(CONSTANTS)


def test_registries_are_not_empty():
    import_all_modules()
    assert "scrm_dataset_load_options" in STRUCTS and "SCRM_EINVAL" in CONSTANTS
