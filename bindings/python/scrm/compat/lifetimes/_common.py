"""Shared helpers of scrm.compat.lifetimes: optional NumPy/pandas, input
vectors, result shapes as lifetimes returns them."""

import functools

from ... import _arrays


class ConvergenceError(ValueError):
    """The fit did not converge (lifetimes.utils.ConvergenceError)."""


def np():
    """NumPy, or ImportError: lifetimes' API is array-based."""
    if _arrays.np is None:
        raise ImportError("scrm.compat.lifetimes needs NumPy (Debian: apt-get install "
                          "python3-numpy)")
    return _arrays.np


def pd():
    """pandas, or None when it is not installed."""
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def is_series(value):
    p = pd()
    return p is not None and isinstance(value, p.Series)


def vector(value, what, dtype=float):
    """A 1-D float array from a scalar, list, NumPy array or pandas Series."""
    arr = np().asarray(value, dtype=dtype)
    if arr.ndim > 1:
        raise ValueError(f"{what}: expected a 1-D array, got shape {arr.shape}")
    return arr


def broadcast(*values):
    """The inputs as equally long 1-D float arrays, and whether all were scalars."""
    n = np()
    arrays = [n.asarray(v, dtype=float) for v in values]
    scalar = all(a.ndim == 0 for a in arrays)
    arrays = [a.ravel() if a.ndim else a for a in n.broadcast_arrays(*arrays)]
    return [n.ascontiguousarray(a.reshape(-1)) for a in arrays], scalar


def shaped(result, inputs, scalar, atleast_1d=False):
    """Results shaped as lifetimes returns them: a Series indexed like the first
    Series input, a scalar for scalar inputs, else an array."""
    n = np()
    result = n.asarray(result, dtype=float)
    for value in inputs:
        if is_series(value) and len(value) == len(result):
            return pd().Series(result, index=value.index)
    if scalar and not atleast_1d:
        return n.float64(result[0])
    return result


@functools.lru_cache(maxsize=64)
def _labels(names):
    """A pandas Index of parameter or column names (immutable: shared, built once)."""
    return pd().Index(list(names), dtype=object)


def series(values, index_names):
    """params_-like object: a pandas Series, or a dict without pandas."""
    p = pd()
    if p is None:
        return dict(zip(index_names, (float(v) for v in values)))
    return p.Series(np().array(values, dtype=float), index=_labels(tuple(index_names)))


def table(matrix, index_names, column_names):
    """A float DataFrame of a 2-D array, or a dict of its columns without pandas."""
    matrix = np().asarray(matrix, dtype=float)
    p = pd()
    if p is None:
        return {c: matrix[:, j] for j, c in enumerate(column_names)}
    return p.DataFrame(matrix, index=_labels(tuple(index_names)),
                       columns=_labels(tuple(column_names)))


def frame(columns, index=None):
    """A DataFrame of ``columns`` (dict), or the dict itself without pandas."""
    p = pd()
    if p is None:
        return dict(columns)
    return p.DataFrame(columns, index=index)
