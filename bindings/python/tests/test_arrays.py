"""Array inputs (zero-copy where possible), caller buffers with SCRM_EBUFS retry, views."""
import array
import ctypes
from ctypes import c_double, c_int8, c_int64, c_uint32, c_void_p

import pytest

from scrm import _arrays
from scrm._arrays import as_input, read_bytes, read_sized
from scrm.errors import SCRM_EBUFS, BufferTooSmallError


def address(carr):
    return ctypes.cast(carr.ptr, c_void_p).value


def values(carr):
    return carr.ptr[:carr.n]


def test_list_tuple_and_iterables():
    for src in ([1.5, 2, True], (1.5, 2, True), (x for x in [1.5, 2, True])):
        c = as_input(src, c_double, "x")
        assert c.n == 3 and values(c) == [1.5, 2.0, 1.0] and c.copied


def test_integer_inputs_are_checked():
    assert values(as_input([1, 2.0, -3], c_int64)) == [1, 2, -3]
    with pytest.raises(TypeError, match=r"x\[1\]: expected an integer, got 2.5"):
        as_input([1, 2.5], c_int64, "x")
    with pytest.raises(ValueError, match=r"ids\[0\]: -1 is outside the uint32 range"):
        as_input([-1], c_uint32, "ids")
    with pytest.raises(ValueError, match="outside the int8 range"):
        as_input([200], c_int8)


def test_bad_inputs_name_the_element():
    with pytest.raises(TypeError, match=r"amount\[2\]: expected a number, got 'x'"):
        as_input([1.0, 2.0, "x"], c_double, "amount")
    with pytest.raises(TypeError, match="expected a sequence"):
        as_input("123", c_double, "amount")
    with pytest.raises(TypeError, match="expected a sequence"):
        as_input(3.0, c_double, "amount")


def test_empty_input_has_a_valid_pointer():
    c = as_input([], c_double)
    assert c.n == 0 and address(c)


def test_array_array_is_zero_copy():
    a = array.array("d", [1.0, 2.0, 3.0])
    c = as_input(a, c_double)
    assert not c.copied and address(c) == a.buffer_info()[0] and c.n == 3
    # same size and kind under another type code is still zero-copy
    q = array.array("q", [5, 6])
    assert not as_input(q, c_int64).copied
    # another type is converted
    f = as_input(array.array("f", [0.5]), c_double)
    assert f.copied and values(f) == [0.5]


def test_numpy_zero_copy_when_contiguous_and_same_dtype():
    np = pytest.importorskip("numpy")
    a = np.arange(5, dtype=np.float64)
    c = as_input(a, c_double)
    assert not c.copied and address(c) == a.ctypes.data and c.n == 5


def test_numpy_conversions():
    np = pytest.importorskip("numpy")
    strided = np.arange(10, dtype=np.float64)[::2]
    c = as_input(strided, c_double)
    assert c.copied and values(c) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert values(as_input(np.array([1, 2], dtype=np.int32), c_double)) == [1.0, 2.0]
    assert values(as_input(np.array([1.0, 2.0]), c_int64)) == [1, 2]
    assert values(as_input(np.array([True, False]), c_double)) == [1.0, 0.0]
    big_endian = np.array([1.0, 2.0], dtype=">f8")
    assert values(as_input(big_endian, c_double)) == [1.0, 2.0]
    with pytest.raises(TypeError, match=r"x\[1\]: expected an integer"):
        as_input(np.array([1.0, 1.5]), c_int64, "x")
    with pytest.raises(TypeError, match="expected an integer"):
        as_input(np.array([1.0, np.nan]), c_int64, "x")
    with pytest.raises(ValueError, match="outside the uint32 range"):
        as_input(np.array([-1, 2]), c_uint32, "x")
    with pytest.raises(ValueError, match="1-D"):
        as_input(np.zeros((2, 2)), c_double)
    with pytest.raises(TypeError, match="cannot use"):
        as_input(np.array(["2020-01-01"], dtype="datetime64[s]"), c_double)
    assert values(as_input(np.array([1, 2], dtype=object), c_double)) == [1.0, 2.0]
    assert as_input(np.zeros(0), c_double).n == 0


def test_pandas_series_input():
    pd = pytest.importorskip("pandas")
    s = pd.Series([1.0, 2.5])
    assert values(as_input(s, c_double)) == [1.0, 2.5]


class FakeSizedCall:
    """Imitates a C function (T *out, size_t cap, size_t *out_len) with EBUFS."""

    def __init__(self, data, ctype=c_double):
        self.data, self.calls = data, []

    def __call__(self, ptr, cap, out_len_ref):
        self.calls.append(cap)
        out_len_ref._obj.value = len(self.data)
        if cap < len(self.data):
            raise BufferTooSmallError(SCRM_EBUFS, "buffer too small")
        for i, v in enumerate(self.data):
            ptr[i] = v
        return 0


def test_read_sized_retries_with_the_reported_size():
    data = [float(i) for i in range(100)]
    call = FakeSizedCall(data)
    out = read_sized(call, c_double, cap=8)
    assert list(out) == data and call.calls == [8, 100]
    small = FakeSizedCall([1.0, 2.0])
    assert list(read_sized(small, c_double, cap=8)) == [1.0, 2.0] and small.calls == [8]
    assert len(read_sized(FakeSizedCall([]), c_double)) == 0


def test_read_sized_gives_up_on_a_lying_library():
    def liar(ptr, cap, out_len_ref):
        out_len_ref._obj.value = cap  # claims the buffer it got is enough, yet fails
        raise BufferTooSmallError(SCRM_EBUFS, "buffer too small")
    with pytest.raises(BufferTooSmallError):
        read_sized(liar, c_double)

    def grows(ptr, cap, out_len_ref):
        out_len_ref._obj.value = cap * 2
        raise BufferTooSmallError(SCRM_EBUFS, "buffer too small")
    with pytest.raises(BufferTooSmallError, match="after 3 attempts"):
        read_sized(grows, c_double)


def test_read_bytes():
    payload = bytes(range(256)) * 3

    def serialize(buf, cap, out_len_ref):
        out_len_ref._obj.value = len(payload)
        if cap < len(payload):
            raise BufferTooSmallError(SCRM_EBUFS, "buffer too small")
        ctypes.memmove(buf, payload, len(payload))
        return 0
    assert read_bytes(serialize, cap=16) == payload


def test_outputs_without_numpy(no_numpy):
    out = read_sized(FakeSizedCall([1.0, 2.0, 3.0]), c_double, cap=2)
    assert isinstance(out, array.array) and out.tolist() == [1.0, 2.0, 3.0]
    assert values(as_input(array.array("d", [1.0]), c_double)) == [1.0]
    assert not _arrays.have_numpy()


def test_large_numpy_input_is_not_copied_by_a_real_call():
    """16 MB of scores through Nps.add: a matching array allocates (almost) nothing,
    a float32 one is converted (16 MB more), measured with tracemalloc (NumPy reports
    its buffers to it)."""
    np = pytest.importorskip("numpy")
    import tracemalloc
    from scrm.nps import Nps
    n = 2_000_000
    same = np.full(n, 9.0)            # float64, C-contiguous: the C type
    other = np.full(n, 9.0, dtype=np.float32)

    def peak(scores):
        with Nps() as calc:
            tracemalloc.start()
            try:
                calc.add(scores)
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    assert peak(same) < 64 * 1024
    assert peak(other) >= n * 8
    assert as_input(same, c_double).ptr[n - 1] == 9.0
    assert address(as_input(same, c_double)) == same.ctypes.data
