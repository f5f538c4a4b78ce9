"""Handle lifetime: close, context manager, GC safety net, parents, views, type safety."""
import copy
import ctypes
import gc
import pickle
import weakref

import pytest

from scrm import _arrays
from scrm._lib import Handle, HandlePtr
from scrm.errors import ClosedError

FREED = []


def _fake_free(ptr):
    FREED.append(ptr.value)


class FakePtr(HandlePtr):
    _c_name_ = "scrm_fake"


class OtherPtr(HandlePtr):
    _c_name_ = "scrm_other"


class Fake(Handle):
    """A handle whose 'C memory' is a ctypes buffer and whose free records the call."""

    _free_ = _fake_free

    def __init__(self, parent=None, n=4):
        self.buf = (ctypes.c_double * n)(*range(n))
        super().__init__(FakePtr(ctypes.addressof(self.buf)), parent=parent)

    def view(self):
        with self._locked():
            return _arrays.export_view(self, ctypes.addressof(self.buf), ctypes.c_double,
                                       len(self.buf))

    def grow(self):
        with self._mutating():
            pass


@pytest.fixture(autouse=True)
def _reset():
    FREED.clear()
    yield
    gc.collect()


def test_close_frees_once():
    h = Fake()
    address = h._ptr.value
    h.close()
    h.close()
    assert FREED == [address]
    assert h.closed
    del h
    gc.collect()
    assert FREED == [address]


def test_use_after_close_raises():
    h = Fake()
    h.close()
    with pytest.raises(ClosedError, match="Fake is closed"):
        h._handle
    with pytest.raises(ClosedError):
        with h._locked():
            pass
    assert isinstance(ClosedError("x"), ValueError)
    assert "closed" in repr(h)


def test_context_manager_closes():
    with Fake() as h:
        assert not h.closed
    assert h.closed and len(FREED) == 1


def test_garbage_collection_frees():
    h = Fake()
    ref = weakref.ref(h)
    del h
    gc.collect()
    assert ref() is None and len(FREED) == 1


def test_child_keeps_parent_alive():
    parent = Fake()
    child = Fake(parent=parent)
    parent_address = parent._ptr.value
    ref = weakref.ref(parent)
    del parent
    gc.collect()
    assert ref() is not None and parent_address not in FREED
    del child
    gc.collect()
    assert ref() is None and parent_address in FREED and len(FREED) == 2


def test_closing_parent_while_child_alive_is_safe():
    parent = Fake()
    child = Fake(parent=parent)
    parent.close()
    assert not child.closed
    child.close()
    assert len(FREED) == 2


def test_views_keep_owner_and_defer_close():
    np = pytest.importorskip("numpy")
    h = Fake()
    address = h._ptr.value
    v = h.view()
    assert isinstance(v, np.ndarray) and v.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert not v.flags.writeable
    with pytest.raises(ValueError):
        v[0] = 5
    with pytest.raises(BufferError, match="1 live zero-copy view"):
        h.grow()
    h.close()                      # deferred: the view still reads the memory
    assert h.closed and FREED == []
    tail = v[2:]
    del h, v
    gc.collect()
    assert FREED == [] and tail.tolist() == [2.0, 3.0]
    del tail
    gc.collect()
    assert FREED == [address]


def test_views_released_allow_mutation():
    pytest.importorskip("numpy")
    h = Fake()
    v = h.view()
    del v
    gc.collect()
    h.grow()


def test_copies_are_not_views(no_numpy):
    h = Fake()
    v = h.view()
    assert v.tolist() == [0.0, 1.0, 2.0, 3.0] and v.typecode == "d"
    h.grow()  # a copy does not pin the handle
    h.close()
    assert len(FREED) == 1


def test_handles_cannot_be_copied_or_pickled():
    h = Fake()
    for op in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(TypeError, match="Fake"):
            op(h)


def test_handle_pointer_types_are_distinct():
    proto = ctypes.CFUNCTYPE(ctypes.c_int, FakePtr)
    f = proto(lambda p: 1)
    h = Fake()
    assert f(h) == 1
    assert f(None) == 1
    with pytest.raises(ctypes.ArgumentError, match="expected a scrm_fake handle"):
        f(OtherPtr(1))
    with pytest.raises(ctypes.ArgumentError):
        f(12345)


def test_null_or_foreign_pointer_is_refused():
    with pytest.raises(TypeError):
        Handle.__init__(Fake.__new__(Fake), FakePtr())
    with pytest.raises(TypeError):
        Handle.__init__(Fake.__new__(Fake), ctypes.c_void_p(1))

    class NoFree(Handle):
        pass
    with pytest.raises(TypeError, match="_free_"):
        NoFree(FakePtr(1))


def test_wrap_adopts_a_pointer():
    buf = (ctypes.c_double * 1)()
    h = Fake._wrap(FakePtr(ctypes.addressof(buf)))
    h.close()
    assert FREED == [ctypes.addressof(buf)]


# ---- the same with real library handles: the C free runs exactly once --------------


@pytest.fixture
def counted_nps(monkeypatch):
    """scrm.nps.Nps whose C free (the real scrm_nps_free) records each call."""
    from scrm import nps
    freed = []
    real = nps.Nps._free_

    def free(ptr):
        freed.append(ptr.value)
        real(ptr)
    monkeypatch.setattr(nps.Nps, "_free_", staticmethod(free))
    return nps.Nps, freed


def test_real_handle_close_then_collect_frees_once(counted_nps):
    Nps, freed = counted_nps
    n = Nps()
    n.add([10, 9, 0])
    address = n._ptr.value
    n.close()
    n.close()
    del n
    gc.collect()
    assert freed == [address]


def test_real_handle_context_manager_and_collection(counted_nps):
    Nps, freed = counted_nps
    with Nps() as n:
        n.add([10])
        assert n.finalize().n == 1
    assert len(freed) == 1 and n.closed
    with pytest.raises(ClosedError):
        n.add([1])
    m = Nps()
    m.add([5])
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None and len(freed) == 2


def test_real_deserialized_handle_frees_once(counted_nps):
    Nps, freed = counted_nps
    a = Nps()
    a.add([10, 3])
    b = Nps.from_bytes(a.to_bytes())
    assert b.finalize() == a.finalize()
    a.close()
    del b
    gc.collect()
    assert len(freed) == 2 and len(set(freed)) == 2


def test_interpreter_exit_frees_without_crashing():
    """Handles alive at exit are freed by the finalizers (atexit), once, no crash."""
    import os
    import subprocess
    import sys
    import scrm
    code = ("import sys, scrm.nps as m\n"
            "real = m.Nps._free_\n"
            "def free(p):\n"
            "    real(p)\n"
            "    sys.stdout.write('free\\n')\n"
            "m.Nps._free_ = staticmethod(free)\n"
            "keep = [m.Nps() for _ in range(3)]\n"
            "keep[0].close()\n"
            "sys.stdout.write('exit\\n')\n")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(scrm.__file__)),
               PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # one free by close(), the two others by weakref.finalize at exit
    assert proc.stdout.split() == ["free", "exit", "free", "free"]
