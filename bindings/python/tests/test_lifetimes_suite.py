"""lifetimes' own tests, run against scrm.compat.lifetimes.

lifetimes 0.11.3 (unmodified, with its tests) lives outside this repository in
../shared/peers/lifetimes (beside the repository, or beside the main checkout of
a git worktree; SCRM_PEERS overrides). Its test_estimation.py, test_utils.py and
test_plotting.py run in a subprocess pytest, read in place, with the plugin
lifetimes_suite/lifetimes_as_scrm.py making ``import lifetimes`` resolve to
scrm.compat.lifetimes (lifetimes' data sets are read from the peer folder).

Every test must pass except those in EXCEPTIONS, each with its reason; a listed
test that passes fails this check too, so the list only shrinks. The tests that
fail on real lifetimes here (its own bugs) are deselected: see EXCLUDED.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SOURCE_ROOT
from lifetimes_suite.peers import peers_or_skip

HERE = Path(__file__).resolve().parent
# lifetimes 0.11.3's test files run here, with the number of tests in each.
FILES = {"test_estimation.py": 59, "test_utils.py": 28, "test_plotting.py": 18}

# Fail on real lifetimes 0.11.3 with pandas 1.5 / NumPy 1.24 (../shared/peers/README.md).
EXCLUDED = {
    "test_estimation.py::TestGammaGammaFitter::test_customer_lifetime_value_with_bgf":
        "fails on real lifetimes here (its own bug with pandas 1.5 / NumPy 1.24)",
    "test_estimation.py::TestModifiedBetaGammaFitter::test_conditional_probability_alive_matrix":
        "fails on real lifetimes here (its own bug with pandas 1.5 / NumPy 1.24)",
}

# Tests that pass on real lifetimes but not yet on the drop-in: nodeid -> reason.
EXCEPTIONS = {}


def _run(peers, workdir):
    tests = peers / "lifetimes" / "tests"
    outcomes = workdir / "outcomes.json"
    # lifetimes' tests read "lifetimes/datasets/..." relative to the working
    # directory and save models into it: run in a scratch folder that links there.
    (workdir / "lifetimes").symlink_to(peers / "lifetimes" / "lifetimes")
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": os.pathsep.join([str(HERE / "lifetimes_suite"), str(HERE.parent)]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "SCRM_LIFETIMES_PEER": str(peers / "lifetimes" / "lifetimes"),
        "SCRM_LIFETIMES_OUTCOMES": str(outcomes),
    })
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-p", "lifetimes_as_scrm", "-W", "ignore::DeprecationWarning",
            "--continue-on-collection-errors",
            "--rootdir", str(tests)]
    for nodeid in EXCLUDED:
        args += ["--deselect", nodeid]
    args += [str(tests / f) for f in FILES]
    proc = subprocess.run(args, cwd=workdir, env=env, capture_output=True, text=True)
    if not outcomes.is_file():
        pytest.fail(f"lifetimes' tests did not run (exit {proc.returncode}):\n"
                    f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return json.loads(outcomes.read_text()), proc


def test_lifetimes_own_tests_pass_against_the_drop_in(tmp_path):
    peers = peers_or_skip(SOURCE_ROOT, "LIFETIMES' OWN TEST SUITE")
    outcomes, proc = _run(peers, tmp_path)
    problems = []
    for nodeid, outcome in sorted(outcomes.items()):
        if nodeid in EXCEPTIONS:
            if outcome == "passed":
                problems.append(f"{nodeid}: passes now: remove it from EXCEPTIONS")
        elif outcome != "passed":
            problems.append(f"{nodeid}: {outcome}")
    for nodeid in EXCEPTIONS:
        if nodeid not in outcomes:
            problems.append(f"{nodeid}: listed in EXCEPTIONS but did not run")
    for name, total in FILES.items():
        if "<collect> " + name in outcomes:
            continue  # its tests did not run: reported above
        expected = total - sum(k.startswith(name + "::") for k in EXCLUDED)
        ran = sum(k.startswith(name + "::") for k in outcomes)
        if ran != expected:
            problems.append(f"{name}: {ran} tests ran, expected {expected}")
    if problems:
        pytest.fail("lifetimes' tests against scrm.compat.lifetimes:\n  "
                    + "\n  ".join(problems) + "\n--- their pytest output (tail) ---\n"
                    + proc.stdout[-6000:], pytrace=False)


def test_every_exception_has_a_reason():
    for nodeid, reason in {**EXCLUDED, **EXCEPTIONS}.items():
        assert nodeid.split("::")[0].replace("<collect> ", "") in FILES and len(reason.split()) >= 3, nodeid
