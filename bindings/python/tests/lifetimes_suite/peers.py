"""Where lifetimes 0.11.3 (unmodified, with its tests) and autograd are: the
peers folder of ../shared, outside this repository."""
import os
import subprocess
from pathlib import Path


def find_peers(source_root):
    """The folder holding lifetimes/ and autograd/: $SCRM_PEERS, else
    ../shared/peers beside ``source_root`` or, in a git worktree, beside its main
    checkout; None when there is none."""
    source_root = Path(source_root)
    candidates = [Path(os.environ["SCRM_PEERS"])] if os.environ.get("SCRM_PEERS") else []
    candidates.append(source_root.parent / "shared" / "peers")
    try:
        common = subprocess.run(["git", "-C", str(source_root), "rev-parse",
                                 "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, check=True).stdout.strip()
        candidates.append(Path(common).parent.parent / "shared" / "peers")
    except (OSError, subprocess.CalledProcessError):
        pass
    for c in candidates:
        if (c / "lifetimes" / "lifetimes").is_dir() and (c / "lifetimes" / "tests").is_dir():
            return c.resolve()
    return None


MISSING = "lifetimes not found in ../shared/peers (set SCRM_PEERS)"


def peers_or_skip(source_root, what):
    """find_peers(), or a loud pytest skip saying that ``what`` did not run."""
    import warnings

    import pytest

    found = find_peers(source_root)
    if found is None:
        message = f"{what} NOT RUN: {MISSING}"
        warnings.warn(message)
        pytest.skip(message)
    return found


def peers_for_bench(source_root, bench):
    """find_peers(), or None after the benchmark's SKIPPED line on stderr
    (the caller then exits 77, Meson's skip code)."""
    import sys

    found = find_peers(source_root)
    if found is None:
        print(f"BENCH {bench} SKIPPED: {MISSING}", file=sys.stderr)
    return found
