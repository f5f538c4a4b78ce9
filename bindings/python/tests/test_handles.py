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
