"""One base class for the mergeable libscrm accumulators (the accumulator protocol).

Every accumulator handle (:class:`scrm.Nps`, :class:`scrm.Service`,
:class:`scrm.Engagement`, :class:`scrm.Crv`, :class:`scrm.RfmHistogram`, and
the ones added later) has the same four C calls, ``scrm_X_merge``,
``scrm_X_serialize``, ``scrm_X_deserialize`` and ``scrm_X_free``, and gets the
same Python methods from them, written once here:

- :meth:`Accumulator.merge` adds another accumulator of the same class (or its
  bytes); the rules (same options, self-merge, atomicity on failure) are the
  library's, stated once in the header's "Accumulator protocol" section.
- :meth:`Accumulator.to_bytes` / :meth:`Accumulator.from_bytes`: the library's
  versioned, checksummed, endian-independent state bytes.
- ``pickle``, :func:`copy.copy` and :func:`copy.deepcopy` go through those bytes
  (so accumulators travel to Dask, Spark or multiprocessing workers).

A subclass sets, besides :attr:`Handle._free_`::

    class Nps(Accumulator):
        _free_ = _free                # scrm_nps_free
        _ptr_type_ = NpsPtr           # its HandlePtr subclass
        _merge_ = _merge              # scrm_nps_merge
        _serialize_ = _serialize      # scrm_nps_serialize
        _deserialize_ = _deserialize  # scrm_nps_deserialize
        _bytes_hint_ = 128            # first buffer size to_bytes tries (grows as needed)

and overrides :meth:`Accumulator._restored` / :meth:`Accumulator._merged` only
when it keeps Python-side state next to the handle.
"""

from ctypes import POINTER, byref, c_uint8, cast

from ._arrays import read_bytes
from ._lib import Handle

__all__ = ["Accumulator"]

_BYTES_LIKE = (bytes, bytearray, memoryview)


class Accumulator(Handle):
    """Base class of the mergeable accumulators: merge, bytes and pickling."""

    _ptr_type_ = None
    _merge_ = None
    _serialize_ = None
    _deserialize_ = None
    _bytes_hint_ = 256

    @classmethod
    def _protocol_class(cls):
        """The class that binds the C calls (the one to compare in :meth:`merge`)."""
        for klass in cls.__mro__:
            if "_merge_" in vars(klass):
                return klass
        raise TypeError(f"{cls.__name__} does not set _merge_")

    @classmethod
    def from_bytes(cls, data):
        """An accumulator restored from :meth:`to_bytes` output (any bytes-like object).

        Raises :class:`scrm.errors.CorruptError` for truncated or damaged bytes
        and :class:`scrm.errors.VersionError` for a format this library does not read.
        """
        raw = bytes(data)
        buf = (c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        ptr = cls._ptr_type_()
        cls._deserialize_(byref(ptr), cast(buf, POINTER(c_uint8)), len(raw))
        obj = cls._wrap(ptr)
        obj._restored()
        return obj

    def to_bytes(self):
        """The state (options included) as versioned, endian-independent ``bytes``;
        equal states give equal bytes."""
        serialize = type(self)._serialize_
        with self._locked() as h:
            return read_bytes(lambda buf, cap, n: serialize(h, buf, cap, n),
                              cap=self._bytes_hint_)

    def merge(self, other):
        """Add ``other``'s data: an accumulator of the same class and options, or its
        :meth:`to_bytes`. ``other`` may be ``self`` (its data then counts twice).
        On failure this accumulator is unchanged."""
        if isinstance(other, _BYTES_LIKE):
            with type(self).from_bytes(other) as loaded:
                self.merge(loaded)
            return
        kind = self._protocol_class()
        if not isinstance(other, kind):
            raise TypeError(f"expected {kind.__name__} or its bytes, "
                            f"got {type(other).__name__}")
        with self._mutating() as h, other._locked() as o:
            kind._merge_(h, o)
        self._merged()

    def _restored(self):
        """Hook: called on a new object made by :meth:`from_bytes`."""

    def _merged(self):
        """Hook: called after a successful :meth:`merge`."""

    def __reduce__(self):
        return (type(self).from_bytes, (self.to_bytes(),))

    def __copy__(self):
        return type(self).from_bytes(self.to_bytes())

    def __deepcopy__(self, memo):
        return self.__copy__()
