"""Every bound function's argtypes/restype/errcheck agree with its prototype in
include/scrm.h: parameter count, scalar types, pointer targets (the struct or handle
named in the header), return type, and a status check for functions returning a status."""
import ctypes
import re
from ctypes import (c_char_p, c_double, c_int, c_int8, c_int32, c_int64, c_size_t, c_uint,
                    c_uint8, c_uint32, c_uint64, c_void_p)

import pytest

from scrm import _lib
from scrm._lib import HandlePtr
from scrm._structs import Struct

from conftest import SOURCE_ROOT, import_all_modules

HEADER = SOURCE_ROOT / "include" / "scrm.h"

SCALARS = {"int": c_int, "unsigned int": c_uint, "int8_t": c_int8, "uint8_t": c_uint8,
           "int32_t": c_int32, "uint32_t": c_uint32, "int64_t": c_int64,
           "uint64_t": c_uint64, "size_t": c_size_t, "double": c_double}

DECL = re.compile(r"SCRM_API\s+([^;{}()]*?)\b(scrm_\w+)\s*\(([^;{}]*?)\)\s*;", re.S)


def prototypes():
    """name -> (return type, [parameter types], doc comment) from the header."""
    text = HEADER.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", lambda m: " " * len(m.group(0)), text, flags=re.S)
    code = re.sub(r"^\s*#.*$", lambda m: " " * len(m.group(0)), code, flags=re.M)
    out = {}
    for m in DECL.finditer(code):
        ret, name, params = " ".join(m.group(1).split()), m.group(2), m.group(3)
        types = []
        for p in params.split(","):
            p = " ".join(p.split())
            if p == "void":
                continue
            p = re.sub(r"\s*\b(?!const\b)[A-Za-z_]\w*$", "", p) if not p.endswith("*") else p
            types.append(re.sub(r"\s*\*", " *", p).replace("* *", "**").strip())
        doc_start = text.rfind("/**", 0, m.start())
        doc = text[doc_start:m.start()] if doc_start >= 0 else ""
        out[name] = (ret, types, doc)
    return out


def _strip_const(t):
    return " ".join(re.sub(r"\bconst\b", " ", t).split())


# Functions whose int return is a value, not a status (their docs mention SCRM_OK).
NOT_A_STATUS = {"scrm_last_error_code"}


def check_type(ctype, ctext, where, nested=False):
    """None when ctypes type ``ctype`` fits C type text ``ctext``, else a message.
    ``nested``: ``ctext`` is what an out-pointer points to, where a ``char *``
    may be read as ``c_void_p`` (text given with its length, not NUL-terminated)."""
    t = _strip_const(ctext).replace(" *", "*").replace(" ", " ")
    if t in SCALARS:
        return None if ctype is SCALARS[t] else f"{where}: {ctext} bound as {ctype}"
    if t == "char*":
        ok = (c_char_p, ctypes.POINTER(ctypes.c_char)) + ((c_void_p,) if nested else ())
        return None if ctype in ok else \
            f"{where}: {ctext} bound as {ctype}"
    if t == "void*":
        return None if ctype is c_void_p else f"{where}: {ctext} bound as {ctype}"
    if not t.endswith("*"):
        return f"{where}: unexpected C type {ctext}"
    inner = t[:-1]
    if isinstance(ctype, type) and issubclass(ctype, HandlePtr):
        return None if ctype._c_name_ == inner else \
            f"{where}: {ctext} bound as a {ctype._c_name_} handle"
    target = getattr(ctype, "_type_", None)
    if not isinstance(target, type):
        return f"{where}: {ctext} bound as {ctype}, not a pointer type"
    if issubclass(target, Struct):
        return None if target._c_name_ == inner else \
            f"{where}: {ctext} bound as a pointer to {target._c_name_}"
    return check_type(target, inner, where, nested=True)


def test_every_bound_function_matches_its_prototype():
    import_all_modules()
    protos = prototypes()
    assert len(protos) > 100, "header parse found too few prototypes"
    problems = []
    for name, func in sorted(_lib.BOUND.items()):
        if name in _lib.MISSING:
            continue
        if name not in protos:
            problems.append(f"{name}: bound but not declared in scrm.h")
            continue
        ret, params, doc = protos[name]
        if func.argtypes is None or len(func.argtypes) != len(params):
            problems.append(f"{name}: {len(func.argtypes or [])} argtypes for "
                            f"{len(params)} parameters")
            continue
        for i, (ctype, ctext) in enumerate(zip(func.argtypes, params)):
            msg = check_type(ctype, ctext, f"{name} parameter {i + 1}")
            if msg:
                problems.append(msg)
        if ret == "void":
            if func.restype is not None:
                problems.append(f"{name}: void bound with restype {func.restype}")
        elif ret.replace(" *", "*").endswith("*"):
            msg = check_type(func.restype, ret, f"{name} return")
            if msg:
                problems.append(msg)
        else:
            msg = check_type(func.restype, ret, f"{name} return")
            if msg:
                problems.append(msg)
        returns_status = ret == "int" and "SCRM_OK" in doc and name not in NOT_A_STATUS
        if returns_status and getattr(func, "errcheck", None) is None:
            problems.append(f"{name}: returns a status but has no errcheck")
    assert not problems, "\n".join(problems)


def test_the_check_catches_mismatches():
    assert check_type(c_int32, "int32_t", "x") is None
    assert check_type(c_double, "int32_t", "x")
    assert check_type(ctypes.POINTER(c_double), "const double *", "x") is None
    assert check_type(ctypes.POINTER(c_int64), "const double *", "x")
    assert check_type(c_double, "double *", "x")


@pytest.mark.parametrize("name", ["scrm_dataset_new", "scrm_nps_add_scores"])
def test_known_prototypes_parse(name):
    ret, params, doc = prototypes()[name]
    assert ret == "int" and params and "SCRM_OK" in doc
