#!/usr/bin/env python3
"""Benchmark scrm.dask: NPS and service KPIs over N rows, a 2-process LocalCluster vs one process.

The data are generated on the workers and persisted there (the timing covers the KPI only:
per-partition accumulators, serialized states, the merge tree, the final finalize); the
single-process figure is plain scrm (Nps.add / Service.add on the same NumPy columns).
Prints `BENCH name=... mode=... median_s=... rate=... unit=rows/s` lines (median of --reps).

    SCRM_LIBRARY=build/libscrm.so PYTHONPATH=bindings/python \\
        python3 tests/bench/bench_dask.py --rows 10000000 --workers 2
"""
import argparse
import os
import sys

from bench_timing import timed


def make_part(seed, n):
    """One partition: survey scores and service tickets (int64 seconds, TIME_NONE missing)."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    none = -(1 << 63)
    created = 1_704_067_200 + rng.integers(0, 365 * 86400, n)
    answer = created + rng.exponential(3000.0, n).astype(np.int64)
    answer[rng.random(n) < 0.05] = none
    resolved = created + rng.exponential(60000.0, n).astype(np.int64)
    resolved[rng.random(n) < 0.1] = none
    return pd.DataFrame({
        "score": rng.integers(0, 11, n).astype(np.float64),
        "created": created, "first_response": answer, "resolved": resolved,
        "handle_time": rng.gamma(2.0, 150.0, n),
    })


def bench_line(name, mode, rows, median, workers, parts):
    print(f"BENCH name={name} mode={mode} rows={rows} workers={workers} partitions={parts} "
          f"median_s={median:.4f} rate={rows / median:.4g} unit=rows/s", flush=True)


def single_process(scrm, sizes, targets, reps):
    """Plain scrm on the same columns in one process (NumPy, zero-copy into C)."""
    import pandas as pd
    df = pd.concat([make_part(i, n) for i, n in enumerate(sizes)], ignore_index=True)
    score = df["score"].to_numpy()
    tickets = [df[c].to_numpy() for c in ("created", "first_response", "resolved",
                                          "handle_time")]

    def nps():
        with scrm.Nps() as a:
            a.add(score)
            return a.finalize()

    def service():
        with scrm.Service(**targets) as a:
            a.add(*tickets)
            return a.finalize()

    t_nps, r_nps = timed(nps, reps)
    t_svc, r_svc = timed(service, reps)
    return t_nps, r_nps, t_svc, r_svc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=20)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    try:
        import dask
        import dask.dataframe as dd
        import distributed
        import numpy  # noqa: F401  (the partitions are NumPy/pandas)
        import pandas  # noqa: F401
    except ImportError as exc:
        print(f"SKIP bench_dask: {exc}")
        return 77
    here = os.path.dirname(os.path.abspath(__file__))
    pkg = os.path.join(os.path.dirname(os.path.dirname(here)), "bindings", "python")
    if os.path.isdir(pkg):  # run from the source tree: workers import the same package
        sys.path.insert(0, pkg)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (pkg, os.environ.get("PYTHONPATH")) if p)
    import scrm
    import scrm.dask as sd
    os.environ["SCRM_LIBRARY"] = str(scrm.library_path())

    rows, parts = args.rows, args.partitions
    sizes = [rows // parts + (i < rows % parts) for i in range(parts)]
    targets = dict(response_targets=(3600,), resolution_targets=(86400,))
    cols = dict(created="created", first_response="first_response", resolved="resolved",
                handle_time="handle_time")

    t_nps1, r_nps1, t_svc1, r_svc1 = single_process(scrm, sizes, targets, args.reps)
    bench_line("dask_nps", "single", rows, t_nps1, 1, 1)
    bench_line("dask_service", "single", rows, t_svc1, 1, 1)

    cluster = distributed.LocalCluster(n_workers=args.workers, processes=True,
                                       threads_per_worker=1, host="127.0.0.1",
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        meta = make_part(0, 0)
        ddf = dd.from_delayed([dask.delayed(make_part)(i, n) for i, n in enumerate(sizes)],
                              meta=meta, verify_meta=False).persist()
        distributed.wait(ddf)
        t_nps, r_nps = timed(lambda: sd.nps(ddf, "score"), args.reps)
        bench_line("dask_nps", "dask", rows, t_nps, args.workers, parts)
        t_svc, r_svc = timed(lambda: sd.service(ddf, **cols, **targets), args.reps)
        bench_line("dask_service", "dask", rows, t_svc, args.workers, parts)
    finally:
        client.close()
        cluster.close()
    # the figures are only worth reporting if the results agree
    ok = r_nps == r_nps1 and r_svc.overall.volume == r_svc1.overall.volume and \
        r_svc.overall.answer == r_svc1.overall.answer and \
        r_svc.overall.response_sla == r_svc1.overall.response_sla
    print(f"BENCH name=dask_check same_results={int(ok)} nps={r_nps.nps:.6f} "
          f"service_p90={r_svc.overall.answer.p90:.3f}", flush=True)
    print(f"BENCH name=dask_speedup nps={t_nps1 / t_nps:.3f} service={t_svc1 / t_svc:.3f} "
          f"workers={args.workers}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
