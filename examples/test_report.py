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
    if "roi" in doc:  # the full report (the Python twin may print only the first sections)
        check_full_report(doc, rows)


def check_full_report(doc, rows):
    """The KPI, customer value and ROI sections: present, error-free, consistent."""
    for name in ("engagement", "nps", "service", "customer_value", "roi"):
        assert name in doc and "error" not in doc[name], (name, doc.get(name))
    e = doc["engagement"]
    assert e["posts"] > 0 and e["unique_users"] > 0, e
    assert e["engagements"] == e["comments"] + e["shares"] + e["likes"], e
    n = doc["nps"]
    assert -100 <= n["ci_low"] <= n["nps"] <= n["ci_high"] <= 100, n
    assert abs(n["promoters"] - n["detractors"] - n["nps"]) < 1e-6, n
    assert sum(g["n"] for g in n["segments"]) == n["n"] == rows["survey"], n["segments"]
    assert sum(q["n"] for q in n["quarters"]) == n["n"], n["quarters"]
    assert 0 <= n["referral"]["referred_given_intend"] <= 100, n["referral"]
    s = doc["service"]
    assert s["tickets"] == rows["tickets"] == sum(c["tickets"] for c in s["channels"]), s
    assert s["time_to_answer"]["median_h"] <= s["time_to_answer"]["p90_h"], s
    assert s["staffing"]["agents"] >= 1, s["staffing"]
    c = doc["customer_value"]
    assert c["bgnbd"]["converged"] == "yes" and c["gamma_gamma"]["converged"] == "yes", c
    assert 0 < c["clv"]["median"] <= c["clv"]["p90"], c["clv"]
    assert 0 < c["clv"]["mean_p_alive"] < 1, c["clv"]
    r = doc["roi"]
    kinds = [line["type"] for line in r["lines"]]
    assert kinds.count("cost") >= 1 and kinds.count("benefit") >= 4, r["lines"]
    assert all(line["source"] for line in r["lines"]), r["lines"]
    x = r["expected"]
    roi = (x["benefits_pv"] - x["costs_pv"]) / x["costs_pv"] * 100
    assert abs(roi - x["roi"]) < 0.01 and abs(x["benefits_pv"] - x["costs_pv"] - x["npv"]) < 0.01, x
    swings = [t["swing"] for t in r["tornado"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0, swings
    m = r["monte_carlo"]
    assert m["npv_p5"] <= m["npv_p50"] <= m["npv_p95"], m
    assert 0 <= m["p_roi_positive"] <= 100 and 0 <= m["p_payback"] <= 100, m
    names = [sc["name"] for sc in r["scenarios"]]
    assert "pessimistic" in names and "optimistic" in names, names
    npv = {sc["name"]: sc["npv"] for sc in r["scenarios"]}
    assert npv["pessimistic"] < x["npv"] < npv["optimistic"], (npv, x["npv"])


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
