#!/usr/bin/env python3
"""Benchmark: every scrm.compat.lifetimes fitter's fit beside real lifetimes 0.11.3, same run.

Data: lifetimes' own CDNOW summary (2357 customers; Gamma-Gamma on its 946 repeat buyers)
and donations (BG/BB, 22 weighted rows), read with pandas; both sides get the same pandas
Series, so the timing includes the pandas handling (inputs, the ``data`` DataFrame,
``params_``, ``variance_matrix_``). lifetimes runs from ../shared/peers (SCRM_PEERS
overrides; beside the repository or beside the main checkout of a worktree). Prints
``BENCH name=... lifetimes_s=... scrm_s=... speedup=...`` per fitter (median CPU seconds
of the process over --reps, which a machine shared with other jobs disturbs less than wall
time; lifetimes' Pareto/NBD, which takes seconds, once) and exits 1 when a speedup is below
--target (20).

    SCRM_LIBRARY=build/libscrm.so PYTHONPATH=bindings/python \\
        python3 tests/bench/bench_lifetimes_fit.py
"""
import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

SOURCE_ROOT = Path(os.environ.get("SCRM_SOURCE_ROOT", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SOURCE_ROOT / "bindings" / "python" / "tests"))
from lifetimes_suite.peers import peers_for_bench  # noqa: E402


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--target", type=float, default=20.0)
    args = ap.parse_args()
    where = peers_for_bench(SOURCE_ROOT, "lifetimes_fit")
    if where is None:
        return 77
    sys.path[:0] = [str(where / "lifetimes"), str(where / "autograd")]
    warnings.simplefilter("ignore")
    import pandas as pd
    import lifetimes
    import scrm.compat.lifetimes as drop_in
    data = where / "lifetimes" / "lifetimes" / "datasets"
    cdnow = pd.read_csv(data / "cdnow_customers_summary.csv")
    money = pd.read_csv(data / "cdnow_customers_summary_with_transactions.csv")
    money = money[money["x"] > 0]
    gifts = pd.read_csv(data / "donations.csv")
    frt = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    cases = [("BetaGeoFitter", frt, {}), ("ModifiedBetaGeoFitter", frt, {}),
             ("ParetoNBDFitter", frt, {}),
             ("GammaGammaFitter", (money["x"], money["zbar"]), {}),
             ("BetaGeoBetaBinomFitter", (gifts["frequency"], gifts["recency"],
                                         gifts["periods"], gifts["weights"]), {})]
    slow = []
    for name, cols, kw in cases:
        theirs = median_time(lambda: getattr(lifetimes, name)().fit(*cols, **kw),
                             1 if name == "ParetoNBDFitter" else args.reps)
        ours = median_time(lambda: getattr(drop_in, name)().fit(*cols, **kw), args.reps * 4)
        speedup = theirs / ours
        print(f"BENCH name=fit_{name} rows={len(cols[0])} lifetimes_s={theirs:.4f} "
              f"scrm_s={ours:.5f} speedup={speedup:.1f}", flush=True)
        if speedup < args.target:
            slow.append(name)
    if slow:
        print(f"BENCH lifetimes_fit BELOW TARGET {args.target:g}x: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
