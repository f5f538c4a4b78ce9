#!/usr/bin/env python3
"""Run charts.py on a data directory and check every PNG it says it wrote.

    test_charts.py CHARTS_PY DATA_DIR OUT_DIR

Exit status 77 (a skip for Meson) when matplotlib is not installed.
"""
import os
import subprocess
import sys

PNG = b"\x89PNG\r\n\x1a\n"


def main():
    script, data, out = sys.argv[1:4]
    p = subprocess.run([sys.executable, script, data, "--out", out], capture_output=True,
                       text=True, timeout=600)
    if p.returncode == 3 and "needs matplotlib" in p.stderr:
        print(p.stderr.strip())
        return 77
    assert p.returncode == 0, p.stderr
    written = [line.split(" ", 1)[1] for line in p.stdout.splitlines()
               if line.startswith("wrote ")]
    assert written, p.stdout
    for path in written:
        with open(path, "rb") as f:
            head = f.read(8)
        assert head == PNG and os.path.getsize(path) > 10000, path
    print("ok:", ", ".join(os.path.basename(w) for w in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
