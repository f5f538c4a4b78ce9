#!/usr/bin/env python3
"""Check that the shared library exports exactly the functions declared with
SCRM_API in the public header, and nothing without the scrm_ prefix."""
import re
import subprocess
import sys


def declared(header_path):
    text = open(header_path, encoding="utf-8").read()
    return set(re.findall(r"SCRM_API\b[^;(]*?\b(scrm_\w+)\s*\(", text))


def exported(lib_path):
    out = subprocess.run(["nm", "-D", "--defined-only", lib_path],
                         check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TtDdBbRrVvWwi":
            names.add(parts[2].split("@")[0])
    return names


def main():
    header, lib = sys.argv[1], sys.argv[2]
    want, have = declared(header), exported(lib)
    ok = True
    foreign = sorted(n for n in have if not n.startswith("scrm_"))
    if foreign:
        print("exported without the scrm_ prefix:", ", ".join(foreign))
        ok = False
    missing = sorted(want - have)
    if missing:
        print("declared in scrm.h but not exported:", ", ".join(missing))
        ok = False
    extra = sorted((have - want) - set(foreign))
    if extra:
        print("exported but not declared in scrm.h:", ", ".join(extra))
        ok = False
    print(f"{len(want)} declared, {len(have)} exported")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
