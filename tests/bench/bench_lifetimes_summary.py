"""Benchmark: RFM summaries of scrm.compat.lifetimes beside real lifetimes.

Times ``summary_data_from_transaction_data`` and ``calibration_and_holdout_data``
of the drop-in and of lifetimes 0.11.3 (run from ../shared/peers, unmodified) on
the same generated, seeded transaction log (time-ordered, as exported from a
shop: about ten purchases per customer, times to the second, a value each), in
one process, and checks that both give the same table. Prints one
machine-readable line per summary (wall-clock medians, seconds):

    BENCH lifetimes_summary fn=<name> n=<rows> customers=<n> repeats=<k>/<k>
          scrm_median_s=<s> lifetimes_median_s=<s> ratio=<lifetimes/scrm> same_table=<0|1>

and, for scale, the libscrm RFM summary alone under the drop-in's summary
(``fn=libscrm_rfm``, ``scrm.Rfm.from_arrays`` on the prepared columns).

Environment: SCRM_BENCH_LT_ROWS (default 10000000), SCRM_BENCH_LT_REPEATS (runs of
the drop-in, default 5), SCRM_BENCH_LT_PEER_REPEATS (runs of lifetimes, default 1:
minutes each at 10^7 rows), SCRM_PEERS (the folder holding lifetimes/ and
autograd/; default ../shared/peers beside the source tree or beside the main
checkout of a git worktree). Without lifetimes it says so loudly and exits 77
(meson: skipped).
"""
import importlib
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from bench_timing import timed

SOURCE_ROOT = Path(os.environ.get("SCRM_SOURCE_ROOT", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SOURCE_ROOT / "bindings" / "python" / "tests"))
from lifetimes_suite.peers import peers_for_bench  # noqa: E402

ROWS = int(os.environ.get("SCRM_BENCH_LT_ROWS", "10000000"))
REPEATS = int(os.environ.get("SCRM_BENCH_LT_REPEATS", "5"))
PEER_REPEATS = int(os.environ.get("SCRM_BENCH_LT_PEER_REPEATS", "1"))
SEED = 20261206


def transactions(rows):
    """``rows`` purchases by about rows / 10 customers over two years, in time order."""
    rng = np.random.default_rng(SEED)
    customers = max(rows // 10, 1)
    ids = rng.integers(0, customers, rows, dtype=np.int64) * 7 + 1000
    first = rng.integers(0, 600, customers)
    days = first[(ids - 1000) // 7] + rng.integers(0, 130, rows)
    seconds = rng.integers(0, 86400, rows)
    stamps = (np.datetime64("2022-01-01", "s") + days.astype("timedelta64[D]")
              + seconds.astype("timedelta64[s]")).astype("datetime64[ns]")
    df = pd.DataFrame({"id": ids, "date": stamps, "value": rng.gamma(2.0, 20.0, rows)})
    return df.sort_values("date", kind="stable", ignore_index=True)


CALLS = {
    "summary_data_from_transaction_data": lambda u, df: u.summary_data_from_transaction_data(
        df, "id", "date", monetary_value_col="value", observation_period_end="2023-12-31"),
    "calibration_and_holdout_data": lambda u, df: u.calibration_and_holdout_data(
        df, "id", "date", calibration_period_end="2023-06-30",
        observation_period_end="2023-12-31"),
}


def libscrm_alone(df):
    """The RFM summary under summary_data_from_transaction_data, inputs prepared."""
    from scrm.customer_base import Rfm
    from scrm.times import Period
    ids = df["id"].to_numpy()
    seconds = df["date"].to_numpy().view("int64") // 10**9
    value = df["value"].to_numpy()
    end = int(np.datetime64("2023-12-31", "s").astype("int64"))

    def run():
        with Rfm.from_arrays(ids, seconds, value, period=Period.DAY, unit=Period.DAY,
                             calibration_end=end) as rfm:
            return len(rfm)
    return run


def main():
    found = peers_for_bench(SOURCE_ROOT, "lifetimes_summary")
    if found is None:
        return 77
    sys.path[:0] = [str(found / "lifetimes"), str(found / "autograd")]
    real = importlib.import_module("lifetimes.utils")
    ours = importlib.import_module("scrm.compat.lifetimes.utils")
    df = transactions(ROWS)
    customers = df["id"].nunique()
    head = f"BENCH lifetimes_summary n={ROWS} customers={customers}"
    alone, _ = timed(libscrm_alone(df), REPEATS)
    print(f"{head} fn=libscrm_rfm repeats={REPEATS} scrm_median_s={alone:.4f}", flush=True)
    failed = False
    for name, call in CALLS.items():
        scrm_s, a = timed(lambda: call(ours, df), REPEATS)
        real_s, b = timed(lambda: call(real, df), PEER_REPEATS)
        same = a.index.equals(b.index) and list(a.columns) == list(b.columns) and np.allclose(
            a.to_numpy(), b.to_numpy(), rtol=1e-12, atol=0)
        failed |= not same
        print(f"{head} fn={name} repeats={REPEATS}/{PEER_REPEATS} scrm_median_s={scrm_s:.4f} "
              f"lifetimes_median_s={real_s:.4f} ratio={real_s / scrm_s:.2f} "
              f"same_table={int(same)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
