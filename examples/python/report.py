#!/usr/bin/env python3
"""scrm-report in Python: load a data directory and report on it.

    report.py [DATA_DIR] [--json] [--skip-bad-rows]

The same program as examples/report.c and its sections (report_*.c), through the
Python binding: the text and JSON output are the same (tests/examples compare
them section by section). DATA_DIR defaults to examples/data. By default a bad
row fails the load: the library's message (file, row, column, value) goes to
stderr and the exit status is 1. With --skip-bad-rows bad rows are rejected,
reported and the rest is loaded. --json prints one JSON object instead of text.

Needs the scrm package (bindings/python) and libscrm (SCRM_LIBRARY or installed).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scrm  # noqa: E402
from scrm.dataset import ColumnType, Table, columns  # noqa: E402
from report_kpi import section_engagement, section_nps, section_service  # noqa: E402
from report_out import Report  # noqa: E402
from report_roi import section_roi  # noqa: E402
from report_value import section_customer_value  # noqa: E402


def load_data(r):
    """Load every CSV of the directory; False after printing the error."""
    r.ds = scrm.Dataset()
    try:
        r.loads = r.ds.load_dir(r.dir, on_error="skip" if r.skip_bad_rows else "fail")
    except scrm.ScrmError as exc:
        print(f"scrm-report: cannot load {r.dir}: {exc.message} ({scrm.strerror(exc.code)})",
              file=sys.stderr)
        if not r.skip_bad_rows:
            print("scrm-report: nothing was loaded; use --skip-bad-rows to load the valid "
                  "rows and list the bad ones", file=sys.stderr)
        return False
    return True


def section_loads(r):
    """What each load did: rows read/accepted/rejected and the first rejections."""
    if r.json:
        r.json_section("loads")
        r.write("[")
        for i, load in enumerate(r.loads):
            r.write(("," if i else "") + '\n    {"table": ')
            r.json_string(load.table)
            r.write(', "file": "%s.csv", "status": %d, "rows_read": %d, "rows_accepted": %d, '
                    '"rows_rejected": %d, "rejections": [' % (
                        load.table, load.status, load.rows_read, load.rows_accepted,
                        load.rows_rejected))
            for k, j in enumerate(load.rejections):
                r.write('%s{"row": %d, "column": ' % (", " if k else "", j.row))
                r.json_string(j.column)
                r.write(', "reason": ')
                r.json_string(j.reason)
                r.write("}")
            r.write("]}")
        r.write("\n  ]")
        return
    r.text_heading("Data loaded")
    r.write("%-14s %-18s %10s %10s %10s\n" % ("table", "file", "read", "accepted", "rejected"))
    by_table = {load.table: load for load in r.loads}
    for table in Table:
        name = table.name.lower()
        load = by_table.get(name)
        if load is None:
            r.write("%-14s %-18s %10s\n" % (name, f"{name}.csv", "(no file)"))
            continue
        r.write("%-14s %-18s %10d %10d %10d\n" % (name, f"{name}.csv", load.rows_read,
                                                  load.rows_accepted, load.rows_rejected))
    for load in r.loads:
        for j in load.rejections:
            column = f", column '{j.column}'" if j.column else ""
            r.write(f"  rejected: {load.table}.csv row {j.row}{column}: {j.reason}\n")
        if load.truncated:
            r.write(f"  ... and {load.rows_rejected - len(load.rejections)} more rejected rows "
                    f"in {load.table}.csv\n")


def time_span(r, table):
    """First and last time of a table's first time column, formatted (or "-")."""
    column = next(c for c in columns(table) if c.type == ColumnType.TIME)
    times = [t for t in r.ds.column(table, column.index, copy=True).tolist()
             if t != scrm.TIME_NONE]
    if not times:
        return "-", "-"
    return scrm.time_format(min(times)), scrm.time_format(max(times))


def section_dataset(r):
    """Rows per table, the period each covers, and the size of the dictionary."""
    strings = r.ds.string_count()
    if r.json:
        r.json_section("dataset")
        r.write('{"strings": %d, "tables": [' % strings)
    else:
        r.text_heading("Dataset")
        r.write("%-14s %10s  %-20s  %-20s\n" % ("table", "rows", "from", "to"))
    for table in Table:
        rows = r.ds.rows(table)
        first, last = time_span(r, table)
        name = table.name.lower()
        if r.json:
            r.write('%s\n    {"table": "%s", "rows": %d, "from": ' % (
                "," if table else "", name, rows))
            r.json_string(first)
            r.write(', "to": ')
            r.json_string(last)
            r.write("}")
        else:
            r.write("%-14s %10d  %-20s  %-20s\n" % (name, rows, first, last))
    if r.json:
        r.write("\n  ]}")
    else:
        r.write(f"{strings} distinct strings (ids, channels, segments, ...)\n")


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

    r = Report(data_dir, as_json, skip_bad_rows)
    if not load_data(r):
        r.ds.close()
        return 1
    with r.ds:
        if r.json:
            r.write('{"libscrm": "%s", "data_dir": ' % scrm.version())
            r.json_string(r.dir)
            r.sections = 1
        else:
            r.write(f"libscrm {scrm.version()} report on {r.dir}\n")
        section_loads(r)
        section_dataset(r)
        section_engagement(r)
        section_nps(r)
        section_service(r)
        section_customer_value(r)
        section_roi(r)
        if r.json:
            r.write("\n}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
