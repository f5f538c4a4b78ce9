#!/usr/bin/env python3
"""Check that a Python example prints what its C twin prints.

    compare.py [--strict] C_EXE PY_SCRIPT [ARGS...]

Runs both with ARGS in text mode and with --json. Text output is compared
section by section (a section starts at a title underlined with dashes), JSON
output member by member. Sections the Python version does not have yet are
listed, not failed, so the C report can grow first (with --strict they fail);
every section the Python version prints must equal the C one.
"""
import json
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} exited with {p.returncode}:\n{p.stderr}")
    return p.stdout


def text_sections(out):
    lines = out.splitlines()
    sections, title = {"(preamble)": []}, "(preamble)"
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and lines[i + 1] and set(lines[i + 1]) == {"-"} \
                and len(lines[i + 1]) == len(line):
            title = line
            sections[title] = []
        sections[title].append(line)
    for lines_ in sections.values():  # the blank line before the next title
        while lines_ and not lines_[-1].strip():
            lines_.pop()
    return sections


STRICT = False


def compare(c_parts, py_parts, what):
    missing = [k for k in c_parts if k not in py_parts]
    extra = [k for k in py_parts if k not in c_parts]
    different = [k for k in py_parts if k in c_parts and py_parts[k] != c_parts[k]]
    for k in different:
        print(f"{what} section {k!r} differs:\n  C:      {c_parts[k]!r}\n  Python: {py_parts[k]!r}")
    if extra:
        print(f"{what}: sections only in Python: {extra}")
    if missing:
        print(f"{what}: not yet in the Python version: {missing}")
    return not different and not extra and not (STRICT and missing)


def main():
    global STRICT
    argv = sys.argv[1:]
    if argv and argv[0] == "--strict":
        STRICT = True
        argv = argv[1:]
    c_exe, py_script, args = argv[0], argv[1], argv[2:]
    py = [sys.executable, py_script]
    ok = compare(text_sections(run([c_exe] + args)), text_sections(run(py + args)), "text")
    ok &= compare(json.loads(run([c_exe] + args + ["--json"])),
                  json.loads(run(py + args + ["--json"])), "json")
    print("same" if ok else "DIFFERENT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
