"""Status codes become exceptions carrying the library's message."""
import ctypes
import pickle

import pytest

import scrm
from scrm import _lib, errors
from scrm.errors import (ClosedError, InvalidArgumentError, NotFoundError, OutOfMemoryError,
                         ParseError, ScrmError, ScrmIOError)

BUILTIN_BASES = {
    errors.SCRM_EINVAL: ValueError, errors.SCRM_ENOMEM: MemoryError, errors.SCRM_EIO: OSError,
    errors.SCRM_ENOTFOUND: LookupError, errors.SCRM_EPARSE: ValueError,
    errors.SCRM_EDOM: ValueError, errors.SCRM_ECORRUPT: ValueError,
    errors.SCRM_ENODATA: ValueError, errors.SCRM_ERANGE: ArithmeticError,
    errors.SCRM_EMAXITER: ArithmeticError, errors.SCRM_ELOSS: ArithmeticError,
}


def test_every_code_has_its_own_class():
    codes = [c for c in errors.CODE_NAMES if c != errors.SCRM_OK]
    classes = {errors.ERROR_CLASSES[c] for c in codes}
    assert len(classes) == len(codes)
    for code in codes:
        exc = errors.error_for(code, "msg", "scrm_f")
        assert isinstance(exc, ScrmError)
        assert (exc.code, exc.message, exc.function, str(exc)) == (code, "msg", "scrm_f", "msg")
        assert exc.name == errors.CODE_NAMES[code]
        if code in BUILTIN_BASES:
            assert isinstance(exc, BUILTIN_BASES[code])


def test_unknown_code_gives_base_class():
    exc = errors.error_for(-99, "odd")
    assert type(exc) is ScrmError and exc.name == "-99"


def test_library_message_is_raised():
    with pytest.raises(InvalidArgumentError) as info:
        scrm.period_start(0, 99)
    exc = info.value
    assert exc.code == errors.SCRM_EINVAL and exc.name == "SCRM_EINVAL"
    assert exc.function == "scrm_period_start"
    assert "unknown period 99" in str(exc)
    assert isinstance(exc, ValueError)
    # the per-thread state agrees with the exception
    assert scrm.last_error() == (errors.SCRM_EINVAL, exc.message)
    scrm.clear_error()
    assert scrm.last_error() == (0, "")


def test_range_error_from_library():
    with pytest.raises(errors.RangeError, match="scrm_period_add"):
        scrm.period_add(0, scrm.Period.YEAR, 10**6)


def test_strerror_matches_library_for_every_code():
    for code in errors.CODE_NAMES:
        text = scrm.strerror(code)
        assert text and text != "unknown status code"
    assert scrm.strerror(12345) == "unknown status code"


def _fake(name):
    def f():
        pass
    f.__name__ = name
    return f


def test_check_status_uses_current_message(monkeypatch):
    monkeypatch.setattr(_lib, "last_error_code", lambda: errors.SCRM_ENOMEM)
    monkeypatch.setattr(_lib, "last_error_message", lambda: "scrm_x_new: 4096 bytes")
    with pytest.raises(OutOfMemoryError, match="4096 bytes") as info:
        _lib.check_status(errors.SCRM_ENOMEM, _fake("scrm_x_new"), ())
    assert isinstance(info.value, MemoryError)
    assert _lib.check_status(0, _fake("f"), ()) == 0
    assert _lib.check_status(3, _fake("f"), ()) == 3


def test_check_status_ignores_a_stale_message(monkeypatch):
    # A message recorded for another code belongs to an earlier call.
    monkeypatch.setattr(_lib, "last_error_code", lambda: errors.SCRM_EPARSE)
    monkeypatch.setattr(_lib, "last_error_message", lambda: "old parse error")
    with pytest.raises(ScrmIOError) as info:
        _lib.check_status(errors.SCRM_EIO, _fake("scrm_load"), ())
    assert str(info.value) == "scrm_load: I/O error"
    assert isinstance(info.value, OSError)


def test_check_null_and_check_nan(monkeypatch):
    with pytest.raises(InvalidArgumentError, match=r"scrm_table_name\(99\)"):
        _lib.check_null(None, _fake("scrm_table_name"), (99,))
    assert _lib.check_null(b"x", _fake("f"), ()) == b"x"
    monkeypatch.setattr(_lib, "last_error_code", lambda: errors.SCRM_EDOM)
    monkeypatch.setattr(_lib, "last_error_message", lambda: "scrm_sf_f: x = -1 < 0")
    with pytest.raises(errors.DomainError, match="x = -1"):
        _lib.check_nan(float("nan"), _fake("scrm_sf_f"), ())
    assert _lib.check_nan(1.5, _fake("f"), ()) == 1.5
    monkeypatch.setattr(_lib, "last_error_code", lambda: 0)
    with pytest.raises(errors.DomainError):
        _lib.check_nan(float("nan"), _fake("scrm_sf_f"), ())


def test_null_returning_getter_raises():
    with pytest.raises(InvalidArgumentError, match=r"scrm_table_name\(99\): no such item"):
        scrm.dataset._table_name(99)
    with pytest.raises(InvalidArgumentError, match="unknown table 99"):
        scrm.dataset.table_name(99)


def test_errcheck_runs_on_a_real_call_from_another_thread():
    import threading
    seen = []

    def work():
        try:
            scrm.period_start(0, 42)
        except InvalidArgumentError as exc:
            seen.append(str(exc))
    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == ["scrm_period_start: unknown period 42"]


def test_exceptions_pickle():
    for exc in (ParseError(errors.SCRM_EPARSE, "row 3", "scrm_f"),
                ScrmIOError(errors.SCRM_EIO, "missing", "scrm_g"),
                NotFoundError(errors.SCRM_ENOTFOUND, "no col")):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc)
        assert (back.code, back.message, back.function) == (exc.code, exc.message, exc.function)
    closed = pickle.loads(pickle.dumps(ClosedError("Dataset is closed")))
    assert isinstance(closed, ValueError) and str(closed) == "Dataset is closed"


def test_ctypes_argument_errors_stay_python_errors():
    with pytest.raises(ctypes.ArgumentError):
        scrm.times._period_start("not a number", 1, None)
