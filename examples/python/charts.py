#!/usr/bin/env python3
"""Charts of a data directory, saved as PNG files.

    charts.py [DATA_DIR] [--out DIR] [--survival CSV]

DATA_DIR defaults to examples/data, DIR to the current directory. Writes one PNG
per chart whose numbers the library can compute, and says which it wrote:

  nps_trend.png          monthly Net Promoter Score with its confidence interval
  nps_by_segment.png     NPS per customer segment
  probability_alive.png  P(alive) by frequency and recency (BG/NBD on the weekly
                         RFM summary of the transactions)
  roi_tornado.png        NPV sensitivity of the report's ROI business case
  roi_monte_carlo.png    distribution of its ROI over 10,000 seeded draws
  retention.png          survival of subscription cohorts, observed and projected by
                         the sBG model fitted on the first 7 years (--survival CSV:
                         a "year" column and one "<segment>_pct_alive" column per
                         segment; default: Fader & Hardie's example in tests/data/sbg)

Needs matplotlib (Debian: python3-matplotlib), the scrm package
(bindings/python) and libscrm (SCRM_LIBRARY or installed).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scrm  # noqa: E402
from scrm import charts  # noqa: E402


def nps_charts(ds, out):
    nps = scrm.Nps()
    yield "nps_trend.png", charts.nps_trend(nps.by_period(ds, "month"),
                                            title="Net Promoter Score by month")
    yield "nps_by_segment.png", charts.nps_trend(nps.by_segment(ds),
                                                 title="Net Promoter Score by segment")


def customer_charts(ds, out):
    from scrm.compat.lifetimes import BetaGeoFitter
    from scrm.customer_base import Rfm
    with Rfm.from_dataset(ds, period="day", unit="week") as rfm:
        model = BetaGeoFitter().fit(rfm.frequency, rfm.recency, rfm.T)
    yield "probability_alive.png", charts.probability_alive_matrix(
        model, title="Probability customer is alive (BG/NBD, weeks)")


def roi_charts(ds, out):
    """The business case of report.py (its KPI sections run silently for the inputs)."""
    import report_kpi
    import report_roi
    import report_value
    from report_out import Report
    r = Report("", False, False)
    r.ds = ds
    r.write = lambda text: None
    report_kpi.section_engagement(r)
    report_kpi.section_service(r)
    report_value.section_customer_value(r)
    with report_roi.build(r) as model:
        base = model.evaluate()
        rows = model.sensitivity()
        yield "roi_tornado.png", charts.tornado(
            [f"{row.name}: {scrm.input_name(row.input)}" for row in rows],
            [row.npv_low for row in rows], [row.npv_high for row in rows], base.npv,
            title="What moves the NPV (each unknown at its P5 and P95)", xlabel="NPV")
        with model.monte_carlo(iterations=10000, seed=42) as mc:
            roi = [100 * v for v in mc.samples("roi")]
        yield "roi_monte_carlo.png", charts.monte_carlo_histogram(
            roi, title="ROI over 10,000 draws (36 months)", xlabel="ROI %")


SURVIVAL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data",
                        "sbg", "survival.csv")


def retention_charts(path, calibration_years=7):
    import csv
    from scrm.customer_base import sbg_fit, sbg_survival
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    observed, projected = {}, {}
    for column in rows[0]:
        if not column.endswith("_pct_alive"):
            continue
        label = column[:-len("_pct_alive")].replace("_", " ")
        curve = [float(row[column]) / 100 for row in rows]
        with sbg_fit(curve[:calibration_years + 1]) as model:
            projected[label] = list(sbg_survival(model, list(range(len(curve)))))
        observed[label] = curve
    yield "retention.png", charts.retention_curves(
        observed, projected, calibration_periods=calibration_years,
        title="Retention by segment: sBG fitted on years 0-7", xlabel="Year")


def main(argv):
    data_dir, out, survival = "examples/data", ".", SURVIVAL
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--out" and args:
            out = args.pop(0)
        elif arg == "--survival" and args:
            survival = args.pop(0)
        elif arg in ("-h", "--help"):
            print(__doc__.strip().splitlines()[2].strip())
            return 0
        elif arg.startswith("-"):
            print("usage: charts.py [DATA_DIR] [--out DIR] [--survival CSV]", file=sys.stderr)
            return 2
        else:
            data_dir = arg
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("charts.py: needs matplotlib (Debian: apt-get install python3-matplotlib)",
              file=sys.stderr)
        return 3
    os.makedirs(out, exist_ok=True)
    with scrm.Dataset.from_dir(data_dir) as ds:
        figures = [*nps_charts(ds, out), *customer_charts(ds, out), *roi_charts(ds, out)]
        if os.path.exists(survival):
            figures += list(retention_charts(survival))
        for name, fig in figures:
            path = os.path.join(out, name)
            charts.save(fig, path)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
