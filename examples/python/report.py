#!/usr/bin/env python3
"""scrm-report in Python: load a data directory and report on it.

    report.py [DATA_DIR] [--json] [--skip-bad-rows]

The same program as examples/report.c, through the Python binding (the text and
JSON output are the same; tests/examples compare them). DATA_DIR defaults to
examples/data. By default a bad row fails the load: the library's message (file,
row, column, value) goes to stderr and the exit status is 1. With
--skip-bad-rows bad rows are rejected, reported and the rest is loaded. --json
prints one JSON object instead of text.

Needs the scrm package (bindings/python) and libscrm (SCRM_LIBRARY or installed).
"""
import json
import sys

import scrm
from scrm.dataset import ColumnType, Table, columns


def heading(title):
    print(f"\n{title}\n{'-' * len(title)}")


def load_data(data_dir, skip_bad_rows):
    """The dataset and its load reports; exits with status 1 after a failed load."""
    ds = scrm.Dataset()
    try:
        loads = ds.load_dir(data_dir, on_error="skip" if skip_bad_rows else "fail")
    except scrm.ScrmError as exc:
        ds.close()
        print(f"scrm-report: cannot load {data_dir}: {exc.message} ({scrm.strerror(exc.code)})",
              file=sys.stderr)
        if not skip_bad_rows:
            print("scrm-report: nothing was loaded; use --skip-bad-rows to load the valid "
                  "rows and list the bad ones", file=sys.stderr)
        sys.exit(1)
    return ds, loads


def section_loads(loads, as_json):
    if as_json:
        return [{"table": l.table, "file": f"{l.table}.csv", "status": l.status,
                 "rows_read": l.rows_read, "rows_accepted": l.rows_accepted,
                 "rows_rejected": l.rows_rejected,
                 "rejections": [{"row": j.row, "column": j.column, "reason": j.reason}
                                for j in l.rejections]} for l in loads]
    heading("Data loaded")
    print("%-14s %-18s %10s %10s %10s" % ("table", "file", "read", "accepted", "rejected"))
    by_table = {l.table: l for l in loads}
    for table in Table:
        name = table.name.lower()
        load = by_table.get(name)
        if load is None:
            print("%-14s %-18s %10s" % (name, f"{name}.csv", "(no file)"))
            continue
        print("%-14s %-18s %10d %10d %10d" % (name, f"{name}.csv", load.rows_read,
                                              load.rows_accepted, load.rows_rejected))
    for load in loads:
        for j in load.rejections:
            column = f", column '{j.column}'" if j.column else ""
            print(f"  rejected: {load.table}.csv row {j.row}{column}: {j.reason}")
        if load.truncated:
            print(f"  ... and {load.rows_rejected - len(load.rejections)} more rejected rows "
                  f"in {load.table}.csv")


def time_span(ds, table):
    """First and last time of a table's first time column, formatted (or "-")."""
    column = next(c for c in columns(table) if c.type == ColumnType.TIME)
    times = [t for t in ds.column(table, column.index, copy=True) if t != scrm.TIME_NONE]
    if not times:
        return "-", "-"
    return scrm.time_format(min(times)), scrm.time_format(max(times))


def section_dataset(ds, as_json):
    strings = ds.string_count()
    tables = []
    if not as_json:
        heading("Dataset")
        print("%-14s %10s  %-20s  %-20s" % ("table", "rows", "from", "to"))
    for table in Table:
        rows = ds.rows(table)
        first, last = time_span(ds, table)
        tables.append({"table": table.name.lower(), "rows": rows, "from": first, "to": last})
        if not as_json:
            print("%-14s %10d  %-20s  %-20s" % (table.name.lower(), rows, first, last))
    if as_json:
        return {"strings": strings, "tables": tables}
    print(f"{strings} distinct strings (ids, channels, segments, ...)")


def usage():
    print("usage: scrm-report [DATA_DIR] [--json] [--skip-bad-rows]", file=sys.stderr)
    return 2


def main(argv):
    data_dir, as_json, skip_bad_rows, have_dir = "examples/data", False, False, False
    for arg in argv:
        if arg == "--json":
            as_json = True
        elif arg == "--skip-bad-rows":
            skip_bad_rows = True
        elif arg in ("--help", "-h"):
            usage()
            return 0
        elif arg.startswith("-") or have_dir:
            return usage()
        else:
            data_dir, have_dir = arg, True

    ds, loads = load_data(data_dir, skip_bad_rows)
    with ds:
        if as_json:
            doc = {"libscrm": scrm.version(), "data_dir": data_dir,
                   "loads": section_loads(loads, True),
                   "dataset": section_dataset(ds, True)}
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            print(f"libscrm {scrm.version()} report on {data_dir}")
            section_loads(loads, False)
            section_dataset(ds, False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
