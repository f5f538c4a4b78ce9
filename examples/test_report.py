#!/usr/bin/env python3
"""Run scrm-report as a user would.

  test_report.py EXE DATA_DIR   the bundled data loads: every table has rows, no
                                rejections, and --json prints valid JSON
  test_report.py EXE --bad      a data directory with a bad row: exit status 1 and
                                a message naming the file, row and column
"""
import json
import os
import subprocess
import sys
import tempfile


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=120)


def check_sample(exe, data):
    p = run(exe, data)
    assert p.returncode == 0, p.stderr
    for name in ("customers", "transactions", "survey", "social", "audience", "tickets",
                 "referrals", "costs"):
        assert f"{name}.csv" in p.stdout, (name, p.stdout)
    assert "rejected:" not in p.stdout, p.stdout
    p = run(exe, data, "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    loads = {l["table"]: l for l in doc["loads"]}
    assert len(loads) == 8, loads.keys()
    for name, l in loads.items():
        assert l["status"] == 0 and l["rows_rejected"] == 0, l
        assert l["rows_accepted"] == l["rows_read"] > 0, l
    rows = {t["table"]: t["rows"] for t in doc["dataset"]["tables"]}
    assert rows["customers"] == 1500, rows
    assert all(rows[t] == loads[t]["rows_accepted"] for t in rows), rows


def check_bad(exe):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "customers.csv"), "w") as f:
            f.write("id,segment\nC1,smb\n")
        with open(os.path.join(d, "transactions.csv"), "w") as f:
            f.write("customer,time,amount\nC1,2024-01-05,10\nC1,2024-02-30,12\n")
        p = run(exe, d)
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        for frag in ("transactions.csv", "row 3", "column 'time'", "2024-02-30"):
            assert frag in p.stderr, (frag, p.stderr)
        # Skipping bad rows loads the rest and lists the rejection.
        p = run(exe, d, "--skip-bad-rows")
        assert p.returncode == 0, p.stderr
        assert "rejected: transactions.csv row 3, column 'time'" in p.stdout, p.stdout
        p = run(exe, os.path.join(d, "absent"))
        assert p.returncode == 1 and "absent" in p.stderr, p.stderr


if __name__ == "__main__":
    exe = sys.argv[1]
    if sys.argv[2] == "--bad":
        check_bad(exe)
    else:
        check_sample(exe, sys.argv[2])
    print("ok")
