#!/usr/bin/env python3
"""Run the mattress and service business-case examples and check their figures.

  test_cases.py mattress EXE
  test_cases.py service EXE
"""
import json
import subprocess
import sys


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def mattress(exe):
    assert "value the sales KPI does not show" in run(exe)
    d = json.loads(run(exe, "--json"))
    assert abs(d["satisfied_pct"] - 51.2) < 1e-9, d
    # 48.8 % unhappy buyers are detractors, 40 % of the satisfied passives: NPS = 0.512*0.6*100 - 48.8
    assert abs(d["nps"] - (51.2 * 0.6 - 48.8)) < 0.1, d
    assert d["repeat_value_satisfied"] > d["repeat_value_unhappy"] > 0, d
    assert d["cohort_value"] < d["cohort_value_if_all_satisfied"], d
    assert abs(d["hidden_loss"] - (d["cohort_value_if_all_satisfied"] - d["cohort_value"])) < 0.01
    assert 10 < d["hidden_loss_pct"] < 60, d


def service(exe):
    assert "tornado" in run(exe)
    d = json.loads(run(exe, "--json"))
    assert d["moved_per_month"] == 2000 and d["saving_per_contact"] > 0, d
    assert d["slow_adoption_npv"] < d["npv"], d
    assert d["mc_npv_p5"] <= d["mc_npv_p50"] <= d["mc_npv_p95"], d
    assert 0 <= d["p_roi_positive_pct"] <= 100, d
    swings = [t["swing"] for t in d["tornado"]]
    assert len(swings) == 4 and swings == sorted(swings, reverse=True), d["tornado"]
    # Seeded Monte Carlo: the same figures on every run.
    assert json.loads(run(exe, "--json")) == d


if __name__ == "__main__":
    {"mattress": mattress, "service": service}[sys.argv[1]](sys.argv[2])
    print("ok")
