"""pytest plugin: run lifetimes' own test files against scrm.compat.lifetimes.

Loaded with ``-p lifetimes_as_scrm`` by test_lifetimes_suite.py (this folder on
PYTHONPATH). It makes ``import lifetimes`` and ``lifetimes.<name>`` resolve to
``scrm.compat.lifetimes`` and ``scrm.compat.lifetimes.<name>``, except
``lifetimes.datasets``: lifetimes' bundled data sets are data, not code we
provide, so that module is executed from the unmodified lifetimes folder named
by SCRM_LIFETIMES_PEER (its ``resource_filename("lifetimes", ...)`` pointed at
that folder). Each test's outcome goes to the JSON file named by
SCRM_LIFETIMES_OUTCOMES: {nodeid: "passed" | "failed" | "skipped"}, and
collection errors to {"<collect> path": "failed"}.
"""
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys

PEER = os.environ["SCRM_LIFETIMES_PEER"]  # .../peers/lifetimes/lifetimes
OUTCOMES = os.environ["SCRM_LIFETIMES_OUTCOMES"]


class _Alias(importlib.abc.Loader):
    """Loads ``lifetimes.<name>`` as the already imported scrm module."""

    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass


class _PeerDatasets(importlib.machinery.SourceFileLoader):
    """lifetimes/datasets/__init__.py from the peer folder, reading its files there."""

    def exec_module(self, module):
        super().exec_module(module)
        module.resource_filename = lambda package, name: os.path.join(PEER, name)


class _LifetimesIsScrm(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "lifetimes" and not name.startswith("lifetimes."):
            return None
        if name == "lifetimes.datasets":
            folder = os.path.join(PEER, "datasets")
            init = os.path.join(folder, "__init__.py")
            return importlib.util.spec_from_file_location(
                name, init, loader=_PeerDatasets(name, init),
                submodule_search_locations=[folder])
        target = "scrm.compat." + name
        try:
            found = importlib.util.find_spec(target)
        except ImportError:
            found = None
        if found is None:
            return None  # ModuleNotFoundError for lifetimes.<name>: scrm lacks it
        return importlib.machinery.ModuleSpec(name, _Alias(target))


sys.meta_path.insert(0, _LifetimesIsScrm())
for _name in [n for n in sys.modules if n == "lifetimes" or n.startswith("lifetimes.")]:
    del sys.modules[_name]

_outcomes = {}


def pytest_runtest_logreport(report):
    previous = _outcomes.get(report.nodeid)
    if report.failed:
        _outcomes[report.nodeid] = "failed"
    elif report.skipped and previous != "failed":
        _outcomes[report.nodeid] = "skipped"
    elif report.when == "call" and previous is None:
        _outcomes[report.nodeid] = "passed"


def pytest_collectreport(report):
    if report.failed:
        _outcomes["<collect> " + report.nodeid] = "failed"


def pytest_sessionfinish(session, exitstatus):
    with open(OUTCOMES, "w") as f:
        json.dump(_outcomes, f, indent=1, sort_keys=True)
