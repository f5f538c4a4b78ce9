"""Timing shared by the Python benchmarks (bench_dask.py, bench_lifetimes_summary.py)."""
import statistics
import time


def timed(fn, reps):
    """The median wall-clock seconds of ``reps`` calls of ``fn`` and its last result."""
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out
