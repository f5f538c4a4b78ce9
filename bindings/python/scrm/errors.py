"""Exceptions raised by the scrm binding.

Every failing libscrm call raises :class:`ScrmError` (or a subclass chosen by the
status code) carrying the code and the library's own message, read from
``scrm_last_error_message()`` right after the call on the same thread.

Subclasses also derive from the built-in exception a Python caller would expect,
so ``except ValueError`` catches invalid arguments and parse errors,
``except MemoryError`` catches out-of-memory and ``except OSError`` catches I/O
failures.
"""

# Status codes of include/scrm.h (enum scrm_status); tests check them against the header.
SCRM_OK = 0
SCRM_EINVAL = -1
SCRM_ENOMEM = -2
SCRM_EIO = -3
SCRM_EBUFS = -4
SCRM_EVERSION = -5
SCRM_ESTATE = -6
SCRM_ELIMIT = -7
SCRM_ENOTFOUND = -8
SCRM_EPARSE = -20
SCRM_ENODATA = -21
SCRM_ECORRUPT = -22
SCRM_EDOM = -40
SCRM_ERANGE = -41
SCRM_EMAXITER = -42
SCRM_ELOSS = -43

#: Status name by code, for messages and ``ScrmError.name``.
CODE_NAMES = {value: name for name, value in globals().items()
              if name.startswith("SCRM_") and isinstance(value, int)}

#: Alias of SCRM_EMAXITER ("not converged").
SCRM_ENOCONV = SCRM_EMAXITER


class ScrmError(Exception):
    """A libscrm call failed.

    Attributes:
        code: the negative ``SCRM_E*`` status.
        message: the library's detailed message (names the field, row, value).
        function: the C function that failed, when known.
    """

    def __init__(self, code, message, function=None):
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.function = function

    @property
    def name(self):
        """The status name, e.g. ``"SCRM_EINVAL"``."""
        return CODE_NAMES.get(self.code, str(self.code))

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"{type(self).__name__}({self.name}, {self.message!r})"


class InvalidArgumentError(ScrmError, ValueError):
    """SCRM_EINVAL: invalid argument (bad value, unknown table/column, NULL)."""


class OutOfMemoryError(ScrmError, MemoryError):
    """SCRM_ENOMEM: the library could not allocate memory."""


class ScrmIOError(ScrmError, OSError):
    """SCRM_EIO: a file is missing or unreadable."""


class BufferTooSmallError(ScrmError):
    """SCRM_EBUFS: a caller buffer was too small.

    The binding handles it internally (it retries with the size the library
    reports), so user code normally never sees it.
    """


class VersionError(ScrmError):
    """SCRM_EVERSION: unknown options version or serialized format version."""


class StateError(ScrmError):
    """SCRM_ESTATE: the operation is not valid in the handle's current state."""


class ClosedError(StateError, ValueError):
    """A handle was used after ``close()`` (raised by the binding, not the library)."""

    def __init__(self, message, function=None):
        super().__init__(SCRM_ESTATE, message, function)

    def __reduce__(self):
        return (type(self), (self.message, self.function))


class LimitError(ScrmError):
    """SCRM_ELIMIT: a configured or built-in size limit was exceeded."""


class NotFoundError(ScrmError, LookupError):
    """SCRM_ENOTFOUND: a named item (column, table, key, string) was not found."""


class ParseError(ScrmError, ValueError):
    """SCRM_EPARSE: malformed input text (CSV, number, date)."""


class NoDataError(ScrmError, ValueError):
    """SCRM_ENODATA: nothing to compute from (empty table or group)."""


class CorruptError(ScrmError, ValueError):
    """SCRM_ECORRUPT: serialized bytes are truncated or corrupted."""


class DomainError(ScrmError, ValueError):
    """SCRM_EDOM: input outside the mathematical domain of the function."""


class RangeError(ScrmError, ArithmeticError):
    """SCRM_ERANGE: the result is not representable (overflow/underflow)."""


class NotConvergedError(ScrmError, ArithmeticError):
    """SCRM_EMAXITER: an iterative method did not converge.

    Wrappers that receive a best point from the library attach it as
    ``result`` when they raise this.
    """


class LossOfAccuracyError(ScrmError, ArithmeticError):
    """SCRM_ELOSS: loss of accuracy; the result is unreliable."""


#: Exception class by status code; unknown codes raise the base ScrmError.
ERROR_CLASSES = {
    SCRM_EINVAL: InvalidArgumentError,
    SCRM_ENOMEM: OutOfMemoryError,
    SCRM_EIO: ScrmIOError,
    SCRM_EBUFS: BufferTooSmallError,
    SCRM_EVERSION: VersionError,
    SCRM_ESTATE: StateError,
    SCRM_ELIMIT: LimitError,
    SCRM_ENOTFOUND: NotFoundError,
    SCRM_EPARSE: ParseError,
    SCRM_ENODATA: NoDataError,
    SCRM_ECORRUPT: CorruptError,
    SCRM_EDOM: DomainError,
    SCRM_ERANGE: RangeError,
    SCRM_EMAXITER: NotConvergedError,
    SCRM_ELOSS: LossOfAccuracyError,
}


def error_for(code, message, function=None):
    """The exception instance for a status ``code`` (not raised)."""
    return ERROR_CLASSES.get(code, ScrmError)(code, message, function)


__all__ = [name for name in dir() if name.endswith("Error") or name.startswith("SCRM_")] + [
    "CODE_NAMES", "ERROR_CLASSES", "error_for"]
